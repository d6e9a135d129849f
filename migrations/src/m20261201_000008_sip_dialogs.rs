//! SIP dialogs that are up, kept so that a restarted server can end them (BYE) rather
//! than leave them open at the carrier and on agents' phones.

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum SipDialogs {
    Table,
    SipCallId,
    CallId,
    Dialog,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table(SipDialogs::Table)
                .col(string(SipDialogs::SipCallId).primary_key())
                .col(string(SipDialogs::CallId))
                .col(text(SipDialogs::Dialog))
                .to_owned(),
        )
        .await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.drop_table(Table::drop().table(SipDialogs::Table).to_owned()).await
    }
}
