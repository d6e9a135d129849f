//! Customers, known by their E.164 number within a tenant: a name and notes the
//! helpdesk keeps, the caller's card when they ring, and the link from their tickets.

use app::domain::TicketScope;
use app::error::AppError;
use app::model::{Customer, TicketId};
use sea_orm::sea_query::Expr;
use sea_orm::{ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, Set, TransactionTrait};

use super::entities::{customer, ticket};
use super::{Store, StoreError};

impl Store {
    /// The customer with `number` (E.164) in the tenant.
    pub async fn customer(&self, tenant_id: i32, number: &str) -> Result<Option<Customer>, StoreError> {
        Ok(find(&self.db, tenant_id, number).await?.map(view))
    }

    /// Saves the card of the customer behind ticket `ticket_id`, made on `version` (0 for
    /// a customer not kept yet), and links the number's tickets to them. A card that
    /// changed since it was read is refused (`CustomerStale`), as is one made twice.
    pub async fn save_customer(
        &self,
        scope: TicketScope,
        ticket_id: TicketId,
        name: String,
        notes: String,
        version: i32,
        now_ms: i64,
    ) -> Result<Customer, StoreError> {
        let txn = self.db.begin().await?;
        let ticket = super::tickets::scoped(scope).filter(ticket::Column::Id.eq(ticket_id)).one(&txn).await?;
        let Some(number) = ticket.and_then(|t| t.customer_number) else {
            return Err(StoreError::Refused(AppError::NotFound));
        };
        let saved = match (find(&txn, scope.tenant_id, &number).await?, version) {
            (None, 0) => {
                customer::ActiveModel {
                    tenant_id: Set(scope.tenant_id),
                    number: Set(number.clone()),
                    name: Set(name),
                    notes: Set(notes),
                    updated_at: Set(now_ms),
                    version: Set(1),
                    ..Default::default()
                }
                .insert(&txn)
                .await?
            }
            (Some(c), v) if c.version == v => {
                let mut c: customer::ActiveModel = c.into();
                c.name = Set(name);
                c.notes = Set(notes);
                c.updated_at = Set(now_ms);
                c.version = Set(v + 1);
                c.update(&txn).await?
            }
            _ => return Err(StoreError::Refused(AppError::CustomerStale)),
        };
        ticket::Entity::update_many()
            .col_expr(ticket::Column::CustomerId, Expr::value(saved.id))
            .filter(ticket::Column::TenantId.eq(scope.tenant_id))
            .filter(ticket::Column::CustomerNumber.eq(number))
            .filter(ticket::Column::CustomerId.is_null())
            .exec(&txn)
            .await?;
        txn.commit().await?;
        Ok(view(saved))
    }
}

/// The customer with `number` in the tenant, read on `db` (a transaction, say).
pub async fn find(
    db: &impl ConnectionTrait,
    tenant_id: i32,
    number: &str,
) -> Result<Option<customer::Model>, StoreError> {
    Ok(customer::Entity::find()
        .filter(customer::Column::TenantId.eq(tenant_id))
        .filter(customer::Column::Number.eq(number))
        .one(db)
        .await?)
}

fn view(c: customer::Model) -> Customer {
    Customer { number: c.number, name: c.name, notes: c.notes, version: c.version }
}
