//! The platform admin's port: every tenant's contract.

use app::api::ports::PlatformPort;
use app::error::AppError;
use app::model::{Contract, SessionInfo};
use async_trait::async_trait;

use super::internal;
use crate::routing::RoutingHandle;
use crate::store::{Store, now_ms};

pub(super) struct Platform {
    pub(super) store: Store,
    pub(super) routing: RoutingHandle,
}

#[async_trait]
impl PlatformPort for Platform {
    async fn contracts(&self, user: &SessionInfo) -> Result<Vec<Contract>, AppError> {
        self.store.contracts(user.tenant_id).await.map_err(internal)
    }

    async fn save_contract(
        &self,
        user: &SessionInfo,
        tenant_id: i32,
        inbound: bool,
        outbound: bool,
    ) -> Result<Contract, AppError> {
        if tenant_id == user.tenant_id {
            // The platform's own tenant has no contract to change.
            return Err(AppError::NotFound);
        }
        let (contract, phone) = self
            .store
            .save_contract(user.user_id, tenant_id, inbound, outbound, now_ms())
            .await
            .map_err(internal)?
            .ok_or(AppError::NotFound)?;
        self.routing.set_tenant_phone(tenant_id, phone).await;
        Ok(contract)
    }
}
