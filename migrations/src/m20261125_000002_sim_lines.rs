//! The telephony simulator's lines: a telephone network keeps its calls when ringdesk
//! restarts, and the simulator, standing in for one, keeps them here.

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum SimLines {
    Table,
    CallId,
    Direction,
    FromNumber,
    ToNumber,
    State,
    CreatedAt,
    AnsweredAt,
    EndedAt,
    EndedBy,
    Events,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table(SimLines::Table)
                .col(string(SimLines::CallId).primary_key())
                .col(string(SimLines::Direction))
                .col(string(SimLines::FromNumber))
                .col(string_null(SimLines::ToNumber))
                .col(string(SimLines::State))
                .col(big_integer(SimLines::CreatedAt))
                .col(big_integer_null(SimLines::AnsweredAt))
                .col(big_integer_null(SimLines::EndedAt))
                .col(string_null(SimLines::EndedBy))
                .col(text(SimLines::Events))
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create().name("idx_sim_lines_state").table(SimLines::Table).col(SimLines::State).to_owned(),
        )
        .await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.drop_table(Table::drop().table(SimLines::Table).to_owned()).await
    }
}
