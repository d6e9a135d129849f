//! Agents' SIP phones: whose phone may register with a user name, and the digest hash
//! it is checked against.

use app::model::UserId;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};

use super::entities::user;
use super::{Store, StoreError};

/// A phone operator a SIP user name (their CTI ID) may belong to.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SipAccount {
    pub user_id: UserId,
    pub tenant_id: i32,
    pub ha1: String,
}

impl Store {
    /// The active phone operators with this CTI ID and a SIP password, in any tenant (a
    /// CTI ID is unique only within its tenant; the password tells them apart).
    pub async fn sip_accounts(&self, cti_id: &str) -> Result<Vec<SipAccount>, StoreError> {
        let users = user::Entity::find()
            .filter(user::Column::CtiId.eq(cti_id))
            .filter(user::Column::PhonePermission.eq(true))
            .filter(user::Column::Active.eq(true))
            .filter(user::Column::SipHa1.is_not_null())
            .all(&self.db)
            .await?;
        Ok(users
            .into_iter()
            .filter_map(|u| Some(SipAccount { user_id: u.id, tenant_id: u.tenant_id, ha1: u.sip_ha1? }))
            .collect())
    }
}
