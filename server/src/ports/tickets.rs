//! Tickets, always within the caller's tenant.

use app::api::ports::TicketPort;
use app::error::AppError;
use app::model::{SessionInfo, TicketDetail, TicketId, TicketSummary};
use async_trait::async_trait;

use super::internal;
use crate::store::Store;

pub(super) struct Tickets {
    pub(super) store: Store,
}

#[async_trait]
impl TicketPort for Tickets {
    async fn list(&self, user: &SessionInfo) -> Result<Vec<TicketSummary>, AppError> {
        self.store.list_tickets(user.tenant_id).await.map_err(internal)
    }

    async fn get(&self, user: &SessionInfo, id: TicketId) -> Result<TicketDetail, AppError> {
        self.store.ticket(user.tenant_id, id).await.map_err(internal)?.ok_or(AppError::NotFound)
    }
}

