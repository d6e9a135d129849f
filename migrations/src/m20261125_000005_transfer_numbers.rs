//! よく使われる転換番号 (F12): a service's frequently used transfer numbers, shared by
//! its agents.

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum TransferNumbers {
    Table,
    Id,
    ServiceId,
    Number,
    Label,
    CreatedBy,
    CreatedAt,
}

#[derive(DeriveIden)]
enum Services {
    Table,
    Id,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table(TransferNumbers::Table)
                .col(pk_auto(TransferNumbers::Id))
                .col(integer(TransferNumbers::ServiceId))
                .col(string(TransferNumbers::Number))
                .col(string(TransferNumbers::Label))
                .col(integer(TransferNumbers::CreatedBy))
                .col(big_integer(TransferNumbers::CreatedAt))
                .foreign_key(
                    ForeignKey::create()
                        .from(TransferNumbers::Table, TransferNumbers::ServiceId)
                        .to(Services::Table, Services::Id)
                        .on_delete(ForeignKeyAction::Cascade),
                )
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("uq_transfer_numbers_service_number")
                .table(TransferNumbers::Table)
                .col(TransferNumbers::ServiceId)
                .col(TransferNumbers::Number)
                .unique()
                .to_owned(),
        )
        .await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.drop_table(Table::drop().table(TransferNumbers::Table).to_owned()).await
    }
}
