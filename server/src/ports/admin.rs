//! 全体管理: the tenant admin's port, always on the caller's own tenant.

use app::api::ports::AdminPort;
use app::domain::CtiSettings;
use app::error::AppError;
use app::model::{AuditEntry, Contract, CtiOperator, SessionInfo, UserId};
use async_trait::async_trait;

use super::{internal, sync_agent};
use crate::routing::RoutingHandle;
use crate::store::{Store, now_ms};

pub(super) struct Admin {
    pub(super) store: Store,
    pub(super) routing: RoutingHandle,
}

#[async_trait]
impl AdminPort for Admin {
    async fn contract(&self, user: &SessionInfo) -> Result<Contract, AppError> {
        self.store.contract(user.tenant_id).await.map_err(internal)?.ok_or(AppError::NotFound)
    }

    async fn cti_settings(&self, user: &SessionInfo) -> Result<CtiSettings, AppError> {
        self.store.cti_settings(user.tenant_id).await.map_err(internal)?.ok_or(AppError::NotFound)
    }

    async fn save_cti_settings(&self, user: &SessionInfo, settings: CtiSettings) -> Result<CtiSettings, AppError> {
        let phone = self
            .store
            .save_cti_settings(user.tenant_id, user.user_id, &settings, now_ms())
            .await
            .map_err(internal)?;
        self.routing.set_tenant_phone(user.tenant_id, phone).await;
        Ok(settings)
    }

    async fn cti_operators(&self, user: &SessionInfo) -> Result<Vec<CtiOperator>, AppError> {
        self.store.cti_operators(user.tenant_id).await.map_err(internal)
    }

    async fn save_cti_identity(&self, user: &SessionInfo, user_id: UserId, cti_id: &str, cti_number: &str) -> Result<CtiOperator, AppError> {
        let (saved, row) = self
            .store
            .save_cti_identity(user.user_id, user.tenant_id, user_id, cti_id, cti_number, now_ms())
            .await
            .map_err(internal)?;
        sync_agent(&self.routing, &row).await;
        Ok(saved)
    }

    async fn set_sip_password(&self, user: &SessionInfo, user_id: UserId, password: &str) -> Result<CtiOperator, AppError> {
        self.store.set_sip_password(user.user_id, user.tenant_id, user_id, password, now_ms()).await.map_err(internal)
    }

    async fn audit_log(&self, user: &SessionInfo) -> Result<Vec<AuditEntry>, AppError> {
        self.store.audit_log(user.tenant_id).await.map_err(internal)
    }
}
