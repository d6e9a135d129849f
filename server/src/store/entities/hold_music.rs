use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "hold_music")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub tenant_id: i32,
    pub file_name: String,
    /// 8 kHz mono, little-endian 16-bit samples.
    #[sea_orm(column_type = "Blob")]
    pub samples: Vec<u8>,
    pub duration_ms: i64,
    pub uploaded_at: i64,
    pub uploaded_by: i32,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
