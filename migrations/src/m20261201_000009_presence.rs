//! Presence (CTI設定): how long an agent without an open phone widget (or registered
//! phone) is still offered calls, and when they are logged out of CTI.

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum CtiSettings {
    Table,
    AwayAfterSecs,
    LogoutAfterSecs,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        // One column an alteration: SQLite adds one at a time.
        m.alter_table(
            Table::alter()
                .table(CtiSettings::Table)
                .add_column(ColumnDef::new(CtiSettings::AwayAfterSecs).integer().not_null().default(30))
                .to_owned(),
        )
        .await?;
        m.alter_table(
            Table::alter()
                .table(CtiSettings::Table)
                .add_column(ColumnDef::new(CtiSettings::LogoutAfterSecs).integer().not_null().default(600))
                .to_owned(),
        )
        .await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.alter_table(Table::alter().table(CtiSettings::Table).drop_column(CtiSettings::AwayAfterSecs).to_owned())
            .await?;
        m.alter_table(Table::alter().table(CtiSettings::Table).drop_column(CtiSettings::LogoutAfterSecs).to_owned())
            .await
    }
}
