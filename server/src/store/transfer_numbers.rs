//! よく使われる転換番号 (F12): the numbers a service's agents transfer to often, added
//! from the transfer popup and shared by the service.

use app::domain::Problem;
use app::error::AppError;
use app::model::{NumberEntry, UserId};
use sea_orm::{ActiveModelTrait, ActiveValue::NotSet, ColumnTrait, EntityTrait, QueryFilter, QueryOrder, Set};

use super::entities::transfer_number;
use super::{Store, StoreError};
use crate::numbers::Reading;

fn entry(reading: Reading, n: transfer_number::Model) -> NumberEntry {
    NumberEntry { id: n.id, number: reading.shown(&n.number), label: n.label }
}

impl Store {
    pub async fn transfer_numbers(&self, service_id: i32) -> Result<Vec<NumberEntry>, StoreError> {
        Ok(transfer_number::Entity::find()
            .filter(transfer_number::Column::ServiceId.eq(service_id))
            .order_by_asc(transfer_number::Column::Label)
            .order_by_asc(transfer_number::Column::Id)
            .all(&self.db)
            .await?
            .into_iter()
            .map(|n| entry(self.reading, n))
            .collect())
    }

    /// 追加: `number` (E.164) for the service, unless it is on the list already.
    pub async fn add_transfer_number(
        &self,
        service_id: i32,
        by: UserId,
        number: &str,
        label: &str,
        now: i64,
    ) -> Result<NumberEntry, StoreError> {
        let existing = transfer_number::Entity::find()
            .filter(transfer_number::Column::ServiceId.eq(service_id))
            .filter(transfer_number::Column::Number.eq(number))
            .one(&self.db)
            .await?;
        if existing.is_some() {
            return Err(StoreError::Refused(AppError::invalid("number", Problem::Taken)));
        }
        let made = transfer_number::ActiveModel {
            id: NotSet,
            service_id: Set(service_id),
            number: Set(number.to_owned()),
            label: Set(label.to_owned()),
            created_by: Set(by),
            created_at: Set(now),
        }
        .insert(&self.db)
        .await?;
        Ok(entry(self.reading, made))
    }
}
