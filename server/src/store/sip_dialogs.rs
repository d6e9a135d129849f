//! SIP dialogs that are up, kept so that a restarted server ends them (BYE) rather than
//! leave calls open at the carrier and on agents' phones.

use sea_orm::EntityTrait;

use super::entities::sip_dialog;
use super::{Store, StoreError};

impl Store {
    /// Keeps a SIP dialog that is up (replacing what was kept of it).
    pub async fn keep_sip_dialog(&self, sip_call_id: &str, call_id: &str, dialog: String) -> Result<(), StoreError> {
        use sea_orm::{ActiveValue::Set, sea_query::OnConflict};
        let row = sip_dialog::ActiveModel {
            sip_call_id: Set(sip_call_id.to_owned()),
            call_id: Set(call_id.to_owned()),
            dialog: Set(dialog),
        };
        sip_dialog::Entity::insert(row)
            .on_conflict(
                OnConflict::column(sip_dialog::Column::SipCallId).update_column(sip_dialog::Column::Dialog).to_owned(),
            )
            .exec(&self.db)
            .await?;
        Ok(())
    }

    pub async fn forget_sip_dialog(&self, sip_call_id: &str) -> Result<(), StoreError> {
        sip_dialog::Entity::delete_by_id(sip_call_id.to_owned()).exec(&self.db).await?;
        Ok(())
    }

    /// The dialogs that were up when the server stopped, forgotten as they are read:
    /// a restarted server ends them.
    pub async fn take_sip_dialogs(&self) -> Result<Vec<sip_dialog::Model>, StoreError> {
        let rows = sip_dialog::Entity::find().all(&self.db).await?;
        sip_dialog::Entity::delete_many().exec(&self.db).await?;
        Ok(rows)
    }
}
