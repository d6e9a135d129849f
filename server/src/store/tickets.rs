//! Tickets: the list (filtered, sorted, paged by keyset), one ticket with its calls and
//! notes, and edits that name the version they were made on. Every query is scoped to
//! the reader's tenant, and to their service unless they administer the tenant.

use std::collections::HashMap;

use app::domain::TicketScope;
use app::domain::ticket_edit::{self, CheckedEdit};
use app::domain::ticket_query::{AssigneeFilter, Cursor, PAGE_SIZE, PageAt, TicketQuery};
use app::error::AppError;
use app::model::{
    Assignable, CallDirection, Channel, Customer, TicketDetail, TicketId, TicketNote, TicketPage, TicketStatus,
    TicketSummary, UserId,
};
use sea_orm::sea_query::{Expr, ExprTrait, Order, SimpleExpr};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder, QuerySelect,
    Select, Set, TransactionTrait,
};

use super::call_log::{CallLog, names};
use super::entities::{call, customer, ticket, ticket_note, user};
use super::{Store, StoreError};

/// A filter already checked, with the customer's number in E.164 and "me" known.
pub struct ListRequest<'a> {
    pub scope: TicketScope,
    pub query: &'a TicketQuery,
    pub me: UserId,
}

impl Store {
    pub async fn list_tickets(&self, req: ListRequest<'_>) -> Result<TicketPage, StoreError> {
        let q = req.query;
        let filtered = filtered(req.scope, q, req.me);
        let total = filtered.clone().count(&self.read).await?;

        let key = if q.sort.by_updated() { ticket::Column::UpdatedAt } else { ticket::Column::CreatedAt };
        // Read towards the page: forwards in the list's order, or backwards from a
        // cursor for the page before it (then turned round).
        let backwards = matches!(q.page, PageAt::Before(_));
        let sql_desc = q.sort.descending() != backwards;
        let mut select = filtered;
        if let PageAt::After(c) | PageAt::Before(c) = q.page {
            select = select.filter(beyond(key, c, sql_desc));
        }
        let order = if sql_desc { Order::Desc } else { Order::Asc };
        let mut rows = select
            .order_by(key, order.clone())
            .order_by(ticket::Column::Id, order)
            .limit(PAGE_SIZE + 1)
            .all(&self.read)
            .await?;
        let more = rows.len() as u64 > PAGE_SIZE;
        rows.truncate(PAGE_SIZE as usize);
        if backwards {
            rows.reverse();
        }
        let cursor = |t: &ticket::Model| {
            Cursor { at_ms: if q.sort.by_updated() { t.updated_at } else { t.created_at }, id: t.id }.encode()
        };
        let (first, last) = (rows.first().map(cursor), rows.last().map(cursor));
        let (prev, next) = match q.page {
            PageAt::First => (None, last.filter(|_| more)),
            PageAt::After(_) => (first, last.filter(|_| more)),
            PageAt::Before(_) => (first.filter(|_| more), last),
        };
        Ok(TicketPage { tickets: self.summaries(rows).await?, total, next, prev })
    }

    /// List rows for tickets, with their assignees' and customers' names.
    async fn summaries(&self, rows: Vec<ticket::Model>) -> Result<Vec<TicketSummary>, StoreError> {
        let people = names(&self.read, rows.iter().filter_map(|t| t.assignee_id)).await?;
        let customer_ids: Vec<i32> = rows.iter().filter_map(|t| t.customer_id).collect();
        let customers: HashMap<i32, String> = match customer_ids.is_empty() {
            true => HashMap::new(),
            false => customer::Entity::find()
                .filter(customer::Column::Id.is_in(customer_ids))
                .all(&self.read)
                .await?
                .into_iter()
                .map(|c| (c.id, c.name))
                .collect(),
        };
        Ok(rows
            .into_iter()
            .map(|t| TicketSummary {
                id: t.id,
                status: status(&t),
                channel: Channel::parse(&t.channel).unwrap_or(Channel::Phone),
                direction: t.direction.as_deref().and_then(direction),
                customer_name: t.customer_id.and_then(|c| customers.get(&c).cloned()),
                assignee: t.assignee_id.and_then(|a| people.get(&a).cloned()),
                subject: t.subject,
                customer_number: self.reading.shown_opt(t.customer_number.as_deref()),
                created_at_ms: t.created_at,
                updated_at_ms: t.updated_at,
            })
            .collect())
    }

    /// The newest tickets of a number (a caller's history), newest first.
    pub async fn recent_tickets(
        &self,
        scope: TicketScope,
        number: &str,
        limit: u64,
    ) -> Result<Vec<TicketSummary>, StoreError> {
        let rows = scoped(scope)
            .filter(ticket::Column::CustomerNumber.eq(number))
            .order_by_desc(ticket::Column::CreatedAt)
            .order_by_desc(ticket::Column::Id)
            .limit(limit)
            .all(&self.read)
            .await?;
        self.summaries(rows).await
    }

    /// The ticket `id` within `scope`; one outside it is as absent as one that does not
    /// exist.
    pub async fn ticket(
        &self,
        scope: TicketScope,
        id: TicketId,
        now_ms: i64,
    ) -> Result<Option<TicketDetail>, StoreError> {
        let Some(t) = scoped(scope).filter(ticket::Column::Id.eq(id)).one(&self.read).await? else {
            return Ok(None);
        };
        let calls = call::Entity::find()
            .filter(call::Column::TicketId.eq(id))
            .order_by_asc(call::Column::QueuedAt)
            .all(&self.read)
            .await?;
        let calls = CallLog::load(&self.read, self.reading, calls, now_ms).await?;
        let notes = ticket_note::Entity::find()
            .filter(ticket_note::Column::TicketId.eq(id))
            .order_by_asc(ticket_note::Column::Id)
            .all(&self.read)
            .await?;
        let assignees = assignables(&self.read, t.tenant_id, Some(t.service_id)).await?;
        let people = names(&self.read, notes.iter().map(|n| n.author_id).chain(t.assignee_id)).await?;
        let customer = match &t.customer_number {
            Some(number) => Some(self.customer(t.tenant_id, number).await?.unwrap_or_else(|| Customer {
                number: number.clone(),
                name: String::new(),
                notes: String::new(),
                version: 0,
            })),
            None => None,
        };
        Ok(Some(TicketDetail {
            id: t.id,
            version: t.version,
            status: status(&t),
            channel: Channel::parse(&t.channel).unwrap_or(Channel::Phone),
            direction: t.direction.as_deref().and_then(direction),
            customer,
            assignee: t.assignee_id.and_then(|a| people.get(&a).cloned()),
            assignee_id: t.assignee_id,
            assignees,
            notes: notes
                .into_iter()
                .map(|n| TicketNote {
                    author: people.get(&n.author_id).cloned().unwrap_or_default(),
                    body: n.body,
                    created_at_ms: n.created_at,
                })
                .collect(),
            calls,
            subject: t.subject,
            body: t.body,
            customer_number: self.reading.shown_opt(t.customer_number.as_deref()),
            created_at_ms: t.created_at,
            updated_at_ms: t.updated_at,
        }))
    }

    /// Saves an edit made on `version`. Refused, changing nothing, when the ticket has
    /// moved on since (`Stale`), is outside `scope` (`NotFound`), or the assignee is not
    /// one of the ticket's service.
    pub async fn update_ticket(
        &self,
        scope: TicketScope,
        id: TicketId,
        version: i32,
        edit: CheckedEdit,
        now_ms: i64,
    ) -> Result<(), StoreError> {
        let txn = self.db.begin().await?;
        let Some(t) = scoped(scope).filter(ticket::Column::Id.eq(id)).one(&txn).await? else {
            return Err(StoreError::Refused(AppError::NotFound));
        };
        if let Some(a) = edit.assignee
            && !assignables(&txn, t.tenant_id, Some(t.service_id)).await?.iter().any(|p| p.user_id == a)
        {
            return Err(StoreError::Refused(AppError::invalid(
                ticket_edit::field::ASSIGNEE,
                app::domain::Problem::Choice,
            )));
        }
        // The version in the WHERE makes the check and the write one step: of two edits
        // made on the same version, exactly one is kept.
        let written = ticket::Entity::update_many()
            .col_expr(ticket::Column::Subject, Expr::value(edit.subject))
            .col_expr(ticket::Column::Body, Expr::value(edit.body))
            .col_expr(ticket::Column::Status, Expr::value(edit.status.as_str()))
            .col_expr(ticket::Column::AssigneeId, Expr::value(edit.assignee))
            .col_expr(ticket::Column::UpdatedAt, Expr::value(now_ms))
            .col_expr(ticket::Column::Version, Expr::col(ticket::Column::Version).add(1))
            .filter(ticket::Column::Id.eq(id))
            .filter(ticket::Column::Version.eq(version))
            .exec(&txn)
            .await?;
        if written.rows_affected == 0 {
            return Err(StoreError::Refused(AppError::Stale));
        }
        txn.commit().await?;
        Ok(())
    }

    /// Adds an internal note. Notes only ever add, so two agents' notes never collide;
    /// the ticket counts as updated.
    pub async fn add_note(
        &self,
        scope: TicketScope,
        id: TicketId,
        author: UserId,
        body: String,
        now_ms: i64,
    ) -> Result<(), StoreError> {
        let txn = self.db.begin().await?;
        if scoped(scope).filter(ticket::Column::Id.eq(id)).one(&txn).await?.is_none() {
            return Err(StoreError::Refused(AppError::NotFound));
        }
        ticket_note::ActiveModel {
            ticket_id: Set(id),
            author_id: Set(author),
            body: Set(body),
            created_at: Set(now_ms),
            ..Default::default()
        }
        .insert(&txn)
        .await?;
        ticket::Entity::update_many()
            .col_expr(ticket::Column::UpdatedAt, Expr::value(now_ms))
            .filter(ticket::Column::Id.eq(id))
            .exec(&txn)
            .await?;
        txn.commit().await?;
        Ok(())
    }

    /// The people tickets of `scope` can be assigned to (the list's assignee filter).
    pub async fn ticket_assignees(&self, scope: TicketScope) -> Result<Vec<Assignable>, StoreError> {
        assignables(&self.read, scope.tenant_id, scope.service_id).await
    }
}

/// The tickets of `scope`. A service belongs to one tenant and the scope's service comes
/// from the signed-in user's own record, so a service scope filters on the service
/// alone: the planner then reads (and counts) along the service's indexes instead of
/// checking each of the tenant's rows for its service (7× faster at 100,000 tickets).
pub(super) fn scoped(scope: TicketScope) -> Select<ticket::Entity> {
    match scope.service_id {
        Some(service) => ticket::Entity::find().filter(ticket::Column::ServiceId.eq(service)),
        None => ticket::Entity::find().filter(ticket::Column::TenantId.eq(scope.tenant_id)),
    }
}

/// The tickets of `scope` that pass the query's filters.
fn filtered(scope: TicketScope, q: &TicketQuery, me: UserId) -> Select<ticket::Entity> {
    let mut s = scoped(scope);
    if let Some(st) = q.status {
        s = s.filter(ticket::Column::Status.eq(st.as_str()));
    }
    match q.assignee {
        Some(AssigneeFilter::Me) => s = s.filter(ticket::Column::AssigneeId.eq(me)),
        Some(AssigneeFilter::User(u)) => s = s.filter(ticket::Column::AssigneeId.eq(u)),
        Some(AssigneeFilter::Nobody) => s = s.filter(ticket::Column::AssigneeId.is_null()),
        None => {}
    }
    if let Some(c) = q.channel {
        s = s.filter(ticket::Column::Channel.eq(c.as_str()));
    }
    if let Some(d) = q.direction {
        s = s.filter(ticket::Column::Direction.eq(d.as_str()));
    }
    if let Some(from) = q.created_from_ms {
        s = s.filter(ticket::Column::CreatedAt.gte(from));
    }
    if let Some(before) = q.created_before_ms {
        s = s.filter(ticket::Column::CreatedAt.lt(before));
    }
    if let Some(number) = &q.customer {
        s = s.filter(ticket::Column::CustomerNumber.eq(number.as_str()));
    }
    s
}

/// The rows past `c` in the order being read: `(key, id) < (at, id)` (or `>`), a
/// row-value comparison both engines answer with one range of the index.
fn beyond(key: ticket::Column, c: Cursor, desc: bool) -> SimpleExpr {
    let row = Expr::tuple([Expr::col(key), Expr::col(ticket::Column::Id)]);
    let cursor = Expr::tuple([Expr::value(c.at_ms), Expr::value(c.id)]);
    if desc { row.lt(cursor) } else { row.gt(cursor) }
}

/// The active people of a tenant (of one service of it, if given), whom its tickets can
/// be assigned to.
async fn assignables(
    db: &impl ConnectionTrait,
    tenant_id: i32,
    service_id: Option<i32>,
) -> Result<Vec<Assignable>, StoreError> {
    let mut people = user::Entity::find()
        .filter(user::Column::TenantId.eq(tenant_id))
        .filter(user::Column::Role.is_in(["operator", "service_admin"]))
        .filter(user::Column::Active.eq(true));
    if let Some(service) = service_id {
        people = people.filter(user::Column::ServiceId.eq(service));
    }
    Ok(people
        .order_by_asc(user::Column::Id)
        .all(db)
        .await?
        .into_iter()
        .map(|u| Assignable { user_id: u.id, name: u.display_name })
        .collect())
}

fn status(t: &ticket::Model) -> TicketStatus {
    TicketStatus::parse(&t.status).unwrap_or(TicketStatus::Open)
}

fn direction(s: &str) -> Option<CallDirection> {
    match s {
        "inbound" => Some(CallDirection::Inbound),
        "outbound" => Some(CallDirection::Outbound),
        _ => None,
    }
}
