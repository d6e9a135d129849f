use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "cti_settings")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub tenant_id: i32,
    pub ring_timeout_secs: i32,
    pub login_status: String,
    pub missed_offer_status: String,
    pub outbound_ticket_on_dial: bool,
    #[sea_orm(column_type = "Text")]
    pub force_end_message: String,
    pub hold_music: String,
    pub away_after_secs: i32,
    pub logout_after_secs: i32,
    pub answer_waiting: bool,
    pub service_level_secs: i32,
    pub wrapup_limit_secs: i32,
    pub auto_pause_after: i32,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
