use sea_orm::entity::prelude::*;

/// The ended inbound calls of one service, agent and quarter hour, added up as they end
/// (`app::domain::call_sums::CallSums`; migration 018 describes the histograms' text).
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "call_quarters")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub tenant_id: i32,
    #[sea_orm(primary_key, auto_increment = false)]
    pub start_ms: i64,
    #[sea_orm(primary_key, auto_increment = false)]
    pub service_id: i32,
    /// The agent the calls rang at last; 0 for calls that rang at no one.
    #[sea_orm(primary_key, auto_increment = false)]
    pub agent_id: i32,
    pub calls: i64,
    pub answered: i64,
    pub answer_wait_ms: i64,
    pub handle_ms: i64,
    pub longest_answer_ms: i64,
    pub abandoned: i64,
    pub longest_abandon_ms: i64,
    pub answer_secs: String,
    pub abandon_secs: String,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
