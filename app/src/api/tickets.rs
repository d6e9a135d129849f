use leptos::prelude::*;

use crate::error::AppError;
use crate::model::{TicketDetail, TicketId, TicketSummary};

/// The newest tickets of the caller's tenant.
#[server(endpoint = "tickets/list")]
pub async fn list_tickets() -> Result<Vec<TicketSummary>, AppError> {
    super::respond(async move {
        let user = super::session::require_user()?;
        super::ports::backend()?.tickets.list(&user).await
    }
    .await)
}

#[server(endpoint = "tickets/get")]
pub async fn get_ticket(id: TicketId) -> Result<TicketDetail, AppError> {
    super::respond(async move {
        let user = super::session::require_user()?;
        super::ports::backend()?.tickets.get(&user, id).await
    }
    .await)
}
