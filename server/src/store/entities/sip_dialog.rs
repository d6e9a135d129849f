use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "sip_dialogs")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub sip_call_id: String,
    pub call_id: String,
    /// What it takes to end the dialog, as JSON (`telephony::sip::kept`).
    #[sea_orm(column_type = "Text")]
    pub dialog: String,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
