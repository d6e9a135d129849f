//! When each session was last used: a session idle for longer than
//! `RINGDESK_SESSION_IDLE_MINS` ends (0: none since it began, so its start counts).

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Sessions {
    Table,
    LastSeenAt,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.alter_table(
            Table::alter()
                .table(Sessions::Table)
                .add_column(ColumnDef::new(Sessions::LastSeenAt).big_integer().not_null().default(0))
                .to_owned(),
        )
        .await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.alter_table(Table::alter().table(Sessions::Table).drop_column(Sessions::LastSeenAt).to_owned()).await
    }
}
