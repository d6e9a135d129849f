//! Caller numbers (発信番号, F10's registry): the only caller IDs a service's agents
//! may dial with.

use app::domain::Problem;
use app::error::AppError;
use app::model::{AuditAction, CallerNumber, NumberEntry, UserId};
use sea_orm::{
    ActiveModelTrait, ActiveValue::NotSet, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, Set,
    TransactionTrait,
};
use serde::Serialize;

use super::audit::Audit;
use super::entities::{caller_number, service, user};
use super::{Store, StoreError};
use crate::numbers::Reading;

#[derive(Serialize)]
struct Record<'a> {
    number: &'a str,
    label: &'a str,
}

fn entry(reading: Reading, n: caller_number::Model) -> NumberEntry {
    NumberEntry { id: n.id, number: reading.shown(&n.number), label: n.label }
}

async fn of_service<C: ConnectionTrait>(db: &C, service_id: i32) -> Result<Vec<caller_number::Model>, StoreError> {
    Ok(caller_number::Entity::find()
        .filter(caller_number::Column::ServiceId.eq(service_id))
        .order_by_asc(caller_number::Column::Id)
        .all(db)
        .await?)
}

impl Store {
    /// The caller numbers of the user's service, for the dial dialog.
    pub async fn caller_numbers_of(&self, user_id: UserId) -> Result<Vec<CallerNumber>, StoreError> {
        let Some(service_id) = user::Entity::find_by_id(user_id).one(&self.db).await?.and_then(|u| u.service_id) else {
            return Ok(Vec::new());
        };
        Ok(of_service(&self.db, service_id)
            .await?
            .into_iter()
            .map(|n| CallerNumber { number: self.reading.shown(&n.number), label: n.label })
            .collect())
    }

    pub async fn service_caller_numbers(&self, service_id: i32) -> Result<Vec<NumberEntry>, StoreError> {
        Ok(of_service(&self.db, service_id).await?.into_iter().map(|n| entry(self.reading, n)).collect())
    }

    /// Registers `number` (E.164) for the service. Answers the new entry and the
    /// service's numbers as routing checks them.
    pub async fn add_caller_number(
        &self,
        actor_id: UserId,
        service: &service::Model,
        number: &str,
        label: &str,
        now: i64,
    ) -> Result<(NumberEntry, Vec<String>), StoreError> {
        let txn = self.db.begin().await?;
        let existing = of_service(&txn, service.id).await?;
        if existing.iter().any(|n| n.number == number) {
            return Err(StoreError::Refused(AppError::invalid("number", Problem::Taken)));
        }
        let made = caller_number::ActiveModel {
            id: NotSet,
            service_id: Set(service.id),
            number: Set(number.to_owned()),
            label: Set(label.to_owned()),
        }
        .insert(&txn)
        .await?;
        Audit {
            tenant_id: service.tenant_id,
            actor_id,
            action: AuditAction::CallerNumberAdd,
            subject: &service.name,
            at: now,
        }
        .record(&txn, None::<&()>, Some(&Record { number, label }))
        .await?;
        txn.commit().await?;
        let numbers = existing.into_iter().map(|n| n.number).chain([made.number.clone()]).collect();
        Ok((entry(self.reading, made), numbers))
    }

    /// Removes one of the service's caller numbers; answers the numbers left.
    pub async fn remove_caller_number(
        &self,
        actor_id: UserId,
        service: &service::Model,
        id: i32,
        now: i64,
    ) -> Result<Vec<String>, StoreError> {
        let txn = self.db.begin().await?;
        let existing = of_service(&txn, service.id).await?;
        let Some(gone) = existing.iter().find(|n| n.id == id) else {
            return Err(StoreError::Refused(AppError::NotFound));
        };
        caller_number::Entity::delete_by_id(id).exec(&txn).await?;
        Audit {
            tenant_id: service.tenant_id,
            actor_id,
            action: AuditAction::CallerNumberRemove,
            subject: &service.name,
            at: now,
        }
        .record(&txn, Some(&Record { number: &gone.number, label: &gone.label }), None::<&()>)
        .await?;
        txn.commit().await?;
        Ok(existing.into_iter().filter(|n| n.id != id).map(|n| n.number).collect())
    }
}
