//! Routing policies a tenant admin sets in CTI設定: 後処理の上限 (seconds of after-call
//! work before an agent is 待機 again) and 連続不応答で休憩 (offers missed in a row
//! before an agent goes to 休憩). 0 is off, and both start off: nothing changes for a
//! tenant until its admin sets them.

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum CtiSettings {
    Table,
    WrapupLimitSecs,
    AutoPauseAfter,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        // One column a statement: SQLite alters a table no other way.
        for column in [CtiSettings::WrapupLimitSecs, CtiSettings::AutoPauseAfter] {
            m.alter_table(
                Table::alter()
                    .table(CtiSettings::Table)
                    .add_column(ColumnDef::new(column).integer().not_null().default(0))
                    .to_owned(),
            )
            .await?;
        }
        Ok(())
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        for column in [CtiSettings::AutoPauseAfter, CtiSettings::WrapupLimitSecs] {
            m.alter_table(Table::alter().table(CtiSettings::Table).drop_column(column).to_owned()).await?;
        }
        Ok(())
    }
}
