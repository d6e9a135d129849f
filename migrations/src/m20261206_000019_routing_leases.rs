//! Several instances on one PostgreSQL (`RINGDESK_CLUSTER`): the routing of a tenant
//! belongs to the instance holding its lease. `epoch` rises with every new holder and
//! fences the ones before: each routing transaction first checks it is still the
//! lease's (docs/scale-out.md). `expires_at` is milliseconds of the database's clock,
//! so instances' clocks may differ.

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum RoutingLeases {
    Table,
    TenantId,
    Owner,
    Epoch,
    ExpiresAt,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table(RoutingLeases::Table)
                .col(integer(RoutingLeases::TenantId).primary_key())
                .col(text(RoutingLeases::Owner))
                .col(big_integer(RoutingLeases::Epoch))
                .col(big_integer(RoutingLeases::ExpiresAt))
                .to_owned(),
        )
        .await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.drop_table(Table::drop().table(RoutingLeases::Table).to_owned()).await
    }
}
