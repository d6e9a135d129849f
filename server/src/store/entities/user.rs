use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "users")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub tenant_id: i32,
    pub service_id: Option<i32>,
    pub username: String,
    pub display_name: String,
    pub password_hash: String,
    pub role: String,
    pub phone_permission: bool,
    pub cti_id: Option<String>,
    pub cti_number: Option<String>,
    pub locale: String,
    pub active: bool,
    /// The digest hash of the agent's SIP password (`telephony::sip::digest::ha1`).
    pub sip_ha1: Option<String>,
    /// Where the agent talks (`app::model::Endpoint::stored`).
    pub phone_endpoint: String,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
