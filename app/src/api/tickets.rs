use leptos::prelude::*;

use crate::error::AppError;
use crate::model::{Assignable, CallerCard, Customer, TicketDetail, TicketEdit, TicketFilter, TicketId, TicketPage};

/// A page of the tickets the caller works, filtered and sorted.
#[server(endpoint = "tickets/list", input = server_fn::codec::Json, output = server_fn::codec::Postcard)]
pub async fn list_tickets(filter: TicketFilter) -> Result<TicketPage, AppError> {
    super::respond(
        async move {
            let user = super::session::require_user()?;
            super::ports::backend()?.tickets.list(&user, filter).await
        }
        .await,
    )
}

#[server(endpoint = "tickets/get", output = server_fn::codec::Postcard)]
pub async fn get_ticket(id: TicketId) -> Result<TicketDetail, AppError> {
    super::respond(
        async move {
            let user = super::session::require_user()?;
            super::ports::backend()?.tickets.get(&user, id).await
        }
        .await,
    )
}

/// Saves an edit of a ticket's fields, made on the version it names.
#[server(endpoint = "tickets/update", input = server_fn::codec::Json, output = server_fn::codec::Postcard)]
pub async fn update_ticket(edit: TicketEdit) -> Result<TicketDetail, AppError> {
    super::respond(
        async move {
            let user = super::session::require_user()?;
            super::ports::backend()?.tickets.update(&user, edit).await
        }
        .await,
    )
}

#[server(endpoint = "tickets/note", input = server_fn::codec::Json, output = server_fn::codec::Postcard)]
pub async fn add_ticket_note(id: TicketId, body: String) -> Result<TicketDetail, AppError> {
    super::respond(
        async move {
            let user = super::session::require_user()?;
            super::ports::backend()?.tickets.add_note(&user, id, body).await
        }
        .await,
    )
}

/// Saves the card of the customer behind ticket `id`.
#[server(endpoint = "tickets/customer", input = server_fn::codec::Json, output = server_fn::codec::Postcard)]
pub async fn save_customer(id: TicketId, customer: Customer) -> Result<Customer, AppError> {
    super::respond(
        async move {
            let user = super::session::require_user()?;
            super::ports::backend()?.tickets.save_customer(&user, id, customer).await
        }
        .await,
    )
}

#[server(endpoint = "tickets/assignees", output = server_fn::codec::Postcard)]
pub async fn ticket_assignees() -> Result<Vec<Assignable>, AppError> {
    super::respond(
        async move {
            let user = super::session::require_user()?;
            super::ports::backend()?.tickets.assignees(&user).await
        }
        .await,
    )
}

/// Who is calling: the card the widget shows while a call rings (screen pop).
#[server(endpoint = "phone/caller", output = server_fn::codec::Postcard)]
pub async fn lookup_caller(number: String) -> Result<CallerCard, AppError> {
    super::respond(
        async move {
            let user = super::session::require_agent()?;
            super::ports::backend()?.tickets.caller_card(&user, number).await
        }
        .await,
    )
}
