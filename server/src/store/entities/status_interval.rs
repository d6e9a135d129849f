use sea_orm::entity::prelude::*;

/// An agent's time in one status within one quarter hour (the reports' finest interval),
/// added to as each status ends.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "status_intervals")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub user_id: i32,
    #[sea_orm(primary_key, auto_increment = false)]
    pub start_ms: i64,
    #[sea_orm(primary_key, auto_increment = false)]
    pub status: String,
    pub ms: i64,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
