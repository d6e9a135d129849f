//! 待ち呼 (CTI設定): answer waiting callers at once with the hold music, or let them hear
//! ringing until an agent answers (the default).

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum CtiSettings {
    Table,
    AnswerWaiting,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.alter_table(
            Table::alter()
                .table(CtiSettings::Table)
                .add_column(ColumnDef::new(CtiSettings::AnswerWaiting).boolean().not_null().default(false))
                .to_owned(),
        )
        .await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.alter_table(Table::alter().table(CtiSettings::Table).drop_column(CtiSettings::AnswerWaiting).to_owned()).await
    }
}
