//! ボード's port: control of the floor, checked against the floor the user supervises
//! (`board_scope`), and the tenant's 休憩理由, kept by the tenant admin.

use app::api::ports::FloorPort;
use app::domain::{AgentStatus, board_scope};
use app::error::AppError;
use app::model::{BreakReason, Role, SessionInfo, UserId};
use async_trait::async_trait;

use super::internal;
use crate::routing::RoutingHandle;
use crate::routing::change::Supervision;
use crate::store::{Store, now_ms};

pub(super) struct Floor {
    pub(super) store: Store,
    pub(super) routing: RoutingHandle,
}

fn tenant_admin(user: &SessionInfo) -> Result<i32, AppError> {
    (user.role == Role::TenantAdmin).then_some(user.tenant_id).ok_or(AppError::Forbidden)
}

#[async_trait]
impl FloorPort for Floor {
    async fn set_agent_status(
        &self,
        user: &SessionInfo,
        agent: UserId,
        to: AgentStatus,
        reason: Option<i32>,
    ) -> Result<(), AppError> {
        let scope = board_scope(user).ok_or(AppError::Forbidden)?;
        let reason = match (to, reason) {
            (AgentStatus::Break, Some(id)) => Some(
                self.store
                    .break_reason(scope.tenant_id, id)
                    .await
                    .map_err(internal)?
                    .ok_or_else(|| AppError::invalid("reason", app::domain::Problem::Choice))?,
            ),
            _ => None,
        };
        self.routing.supervise(user.user_id, scope, agent, Supervision { to, reason }).await
    }

    async fn break_reasons(&self, user: &SessionInfo) -> Result<Vec<BreakReason>, AppError> {
        let tenant = board_scope(user).map(|s| s.tenant_id).ok_or(AppError::Forbidden)?;
        self.store.break_reasons(tenant).await.map_err(internal)
    }

    async fn add_break_reason(&self, user: &SessionInfo, label: &str) -> Result<BreakReason, AppError> {
        let tenant = tenant_admin(user)?;
        self.store.add_break_reason(tenant, user.user_id, label, now_ms()).await.map_err(internal)
    }

    async fn remove_break_reason(&self, user: &SessionInfo, id: i32) -> Result<(), AppError> {
        let tenant = tenant_admin(user)?;
        self.store.remove_break_reason(tenant, user.user_id, id, now_ms()).await.map_err(internal)
    }
}
