use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "tickets")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub tenant_id: i32,
    pub service_id: i32,
    pub subject: String,
    #[sea_orm(column_type = "Text")]
    pub body: String,
    pub status: String,
    pub channel: String,
    pub customer_number: Option<String>,
    pub assignee_id: Option<i32>,
    pub call_id: Option<String>,
    pub created_at: i64,
    pub updated_at: i64,
    /// Bumped by every edit: an edit names the version it was made on (optimistic
    /// concurrency).
    pub version: i32,
    pub customer_id: Option<i32>,
    /// `inbound` / `outbound` for a phone ticket.
    pub direction: Option<String>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
