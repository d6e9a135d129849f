//! What the board and the reports add up, kept on each call as it happens so that a
//! report over a million calls is one scan of one table: the after-call work
//! (業務(チケット処理)) that followed the call; and the tenant's service-level
//! threshold (CTI設定).

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Calls {
    Table,
    WrapupMs,
}

#[derive(DeriveIden)]
enum CtiSettings {
    Table,
    ServiceLevelSecs,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        // One column a statement: SQLite alters a table no other way.
        m.alter_table(
            Table::alter()
                .table(Calls::Table)
                .add_column(ColumnDef::new(Calls::WrapupMs).big_integer().null())
                .to_owned(),
        )
        .await?;
        m.alter_table(
            Table::alter()
                .table(CtiSettings::Table)
                .add_column(ColumnDef::new(CtiSettings::ServiceLevelSecs).integer().not_null().default(20))
                .to_owned(),
        )
        .await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.alter_table(Table::alter().table(CtiSettings::Table).drop_column(CtiSettings::ServiceLevelSecs).to_owned())
            .await?;
        m.alter_table(Table::alter().table(Calls::Table).drop_column(Calls::WrapupMs).to_owned()).await
    }
}
