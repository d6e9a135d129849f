//! Tickets and customers, always within the caller's ticket scope (their service, or
//! their tenant for a tenant admin).

use app::api::ports::TicketPort;
use app::domain::ticket_edit::{check_customer, check_edit, check_note};
use app::domain::ticket_query::{self, field};
use app::domain::{Problem, TicketScope, ticket_scope};
use app::error::AppError;
use app::model::{
    Assignable, CallerCard, Customer, SessionInfo, TicketDetail, TicketEdit, TicketFilter, TicketId, TicketPage,
};
use async_trait::async_trait;
use phonenumber::country::Id;

use super::internal;
use crate::numbers::normalize;
use crate::store::tickets::ListRequest;
use crate::store::{Store, now_ms};

/// How many of a caller's tickets the screen pop shows.
const RECENT: u64 = 5;

pub(super) struct Tickets {
    pub(super) store: Store,
    pub(super) region: Id,
}

impl Tickets {
    fn e164(&self, number: &str) -> Result<String, app::domain::PhoneNumberError> {
        normalize(number, self.region).map(|n| n.as_str().to_owned())
    }
}

fn scope(user: &SessionInfo) -> Result<TicketScope, AppError> {
    ticket_scope(user).ok_or(AppError::Forbidden)
}

#[async_trait]
impl TicketPort for Tickets {
    async fn list(&self, user: &SessionInfo, filter: TicketFilter) -> Result<TicketPage, AppError> {
        let scope = scope(user)?;
        let mut query = ticket_query::parse(&filter).map_err(AppError::Invalid)?;
        if let Some(typed) = query.customer.take() {
            query.customer =
                Some(self.e164(&typed).map_err(|_| AppError::invalid(field::CUSTOMER, Problem::PhoneNumber))?);
        }
        self.store.list_tickets(ListRequest { scope, query: &query, me: user.user_id }).await.map_err(internal)
    }

    async fn get(&self, user: &SessionInfo, id: TicketId) -> Result<TicketDetail, AppError> {
        self.store.ticket(scope(user)?, id, now_ms()).await.map_err(internal)?.ok_or(AppError::NotFound)
    }

    async fn update(&self, user: &SessionInfo, edit: TicketEdit) -> Result<TicketDetail, AppError> {
        let scope = scope(user)?;
        let checked = check_edit(&edit).map_err(AppError::Invalid)?;
        self.store.update_ticket(scope, edit.id, edit.version, checked, now_ms()).await.map_err(internal)?;
        self.get(user, edit.id).await
    }

    async fn add_note(&self, user: &SessionInfo, id: TicketId, body: String) -> Result<TicketDetail, AppError> {
        let scope = scope(user)?;
        let body = check_note(&body).map_err(AppError::Invalid)?;
        self.store.add_note(scope, id, user.user_id, body, now_ms()).await.map_err(internal)?;
        self.get(user, id).await
    }

    async fn save_customer(
        &self,
        user: &SessionInfo,
        ticket_id: TicketId,
        customer: Customer,
    ) -> Result<Customer, AppError> {
        let scope = scope(user)?;
        let (name, notes) = check_customer(&customer.name, &customer.notes).map_err(AppError::Invalid)?;
        self.store.save_customer(scope, ticket_id, name, notes, customer.version, now_ms()).await.map_err(internal)
    }

    async fn assignees(&self, user: &SessionInfo) -> Result<Vec<Assignable>, AppError> {
        self.store.ticket_assignees(scope(user)?).await.map_err(internal)
    }

    async fn caller_card(&self, user: &SessionInfo, number: String) -> Result<CallerCard, AppError> {
        let scope = scope(user)?;
        let number = self.e164(&number)?;
        let customer = self.store.customer(scope.tenant_id, &number).await.map_err(internal)?;
        let recent = self.store.recent_tickets(scope, &number, RECENT).await.map_err(internal)?;
        Ok(CallerCard {
            name: customer.as_ref().map(|c| c.name.clone()),
            notes: customer.map(|c| c.notes).unwrap_or_default(),
            recent,
            number: self.store.reading.shown(&number),
        })
    }
}
