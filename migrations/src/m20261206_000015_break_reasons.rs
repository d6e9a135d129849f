//! 休憩理由: the reasons a tenant admin keeps for 休憩 (a supervisor picks one when
//! setting an agent to 休憩 from the board), and the reason of an agent's 休憩 now.

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum BreakReasons {
    Table,
    Id,
    TenantId,
    Label,
    CreatedAt,
}

#[derive(DeriveIden)]
enum Tenants {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum AgentStates {
    Table,
    Reason,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table(BreakReasons::Table)
                .col(pk_auto(BreakReasons::Id))
                .col(integer(BreakReasons::TenantId))
                .col(string(BreakReasons::Label))
                .col(big_integer(BreakReasons::CreatedAt))
                .foreign_key(
                    ForeignKey::create()
                        .from(BreakReasons::Table, BreakReasons::TenantId)
                        .to(Tenants::Table, Tenants::Id)
                        .on_delete(ForeignKeyAction::Cascade),
                )
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("uq_break_reasons_tenant_label")
                .table(BreakReasons::Table)
                .col(BreakReasons::TenantId)
                .col(BreakReasons::Label)
                .unique()
                .to_owned(),
        )
        .await?;
        m.alter_table(
            Table::alter()
                .table(AgentStates::Table)
                .add_column(ColumnDef::new(AgentStates::Reason).string().null())
                .to_owned(),
        )
        .await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.alter_table(Table::alter().table(AgentStates::Table).drop_column(AgentStates::Reason).to_owned()).await?;
        m.drop_table(Table::drop().table(BreakReasons::Table).to_owned()).await
    }
}
