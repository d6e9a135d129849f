//! What the phone widget reads from the store directly.

use app::model::{CallerNumber, UserId};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder};

use super::entities::{caller_number, user};
use super::{Store, StoreError};

impl Store {
    /// The caller numbers (発信番号) of the user's service.
    pub async fn caller_numbers_of(&self, user_id: UserId) -> Result<Vec<CallerNumber>, StoreError> {
        let Some(service_id) = user::Entity::find_by_id(user_id).one(&self.db).await?.and_then(|u| u.service_id) else {
            return Ok(Vec::new());
        };
        Ok(caller_number::Entity::find()
            .filter(caller_number::Column::ServiceId.eq(service_id))
            .order_by_asc(caller_number::Column::Id)
            .all(&self.db)
            .await?
            .into_iter()
            .map(|n| CallerNumber { number: n.number, label: n.label })
            .collect())
    }
}
