use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "calls")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: String,
    pub tenant_id: i32,
    pub service_id: i32,
    pub direction: String,
    pub customer_number: String,
    pub service_number: String,
    pub state: String,
    pub agent_id: Option<i32>,
    pub ticket_id: Option<i32>,
    pub queued_at: i64,
    pub offered_at: Option<i64>,
    pub answered_at: Option<i64>,
    pub ended_at: Option<i64>,
    pub end_reason: Option<String>,
    /// After-call work that followed the call, summed over its agents (a transfer
    /// leaves two), once each has finished it.
    pub wrapup_ms: Option<i64>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
