//! Many tickets at once, for the list benchmark and the tests of paging: a spread of
//! statuses, assignees, directions, customers and creation times like a busy service's
//! year. Deterministic, so two runs measure the same data.

use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, Set, TransactionTrait};

use super::entities::{service, ticket, user};
use super::{Store, StoreError};

/// Rows a statement inserts (well under SQLite's limit on bound values).
const BATCH: usize = 500;

impl Store {
    /// Adds `count` phone tickets to `service_id`, created one every `step_ms` back from
    /// `newest_ms`, among `customers` distinct numbers.
    pub async fn seed_tickets(
        &self,
        service_id: i32,
        count: usize,
        newest_ms: i64,
        step_ms: i64,
        customers: usize,
    ) -> Result<(), StoreError> {
        let service = service::Entity::find_by_id(service_id)
            .one(&self.db)
            .await?
            .ok_or(sea_orm::DbErr::RecordNotFound("service".into()))?;
        let people: Vec<Option<i32>> = user::Entity::find()
            .filter(user::Column::ServiceId.eq(service_id))
            .all(&self.db)
            .await?
            .into_iter()
            .map(|u| Some(u.id))
            .chain([None])
            .collect();
        let statuses = ["open", "pending", "solved", "closed", "solved", "closed"];
        let txn = self.db.begin().await?;
        for start in (0..count).step_by(BATCH) {
            let rows = (start..(start + BATCH).min(count)).map(|i| {
                let at = newest_ms - (count - 1 - i) as i64 * step_ms;
                let outbound = i % 3 == 0;
                let number = format!("+81901{:07}", (i * 7919) % customers.max(1));
                ticket::ActiveModel {
                    tenant_id: Set(service.tenant_id),
                    service_id: Set(service_id),
                    subject: Set(format!(
                        "{} {}",
                        if outbound { "電話発信" } else { "電話着信" },
                        self.reading.shown(&number).shown
                    )),
                    body: Set(String::new()),
                    status: Set(statuses[i % statuses.len()].into()),
                    channel: Set("phone".into()),
                    customer_number: Set(Some(number)),
                    assignee_id: Set(people[i % people.len()]),
                    call_id: Set(None),
                    created_at: Set(at),
                    updated_at: Set(at + (i % 5) as i64 * 60_000),
                    version: Set(1),
                    customer_id: Set(None),
                    direction: Set(Some(if outbound { "outbound" } else { "inbound" }.into())),
                    ..Default::default()
                }
            });
            ticket::Entity::insert_many(rows).exec(&txn).await?;
        }
        txn.commit().await?;
        Ok(())
    }
}
