//! A tenant's own hold music (保留音, CTI設定): the recording an administrator uploaded,
//! as 8 kHz mono 16-bit PCM, one per tenant.

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum HoldMusic {
    Table,
    TenantId,
    FileName,
    Samples,
    DurationMs,
    UploadedAt,
    UploadedBy,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table(HoldMusic::Table)
                .col(integer(HoldMusic::TenantId).primary_key())
                .col(string(HoldMusic::FileName))
                // Little-endian 16-bit samples at 8 kHz: what a call's audio is made of.
                .col(blob(HoldMusic::Samples))
                .col(big_integer(HoldMusic::DurationMs))
                .col(big_integer(HoldMusic::UploadedAt))
                .col(integer(HoldMusic::UploadedBy))
                .to_owned(),
        )
        .await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.drop_table(Table::drop().table(HoldMusic::Table).to_owned()).await
    }
}
