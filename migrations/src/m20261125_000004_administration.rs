//! Administration: accounts can be disabled, audit entries name what they changed, and
//! the identities that must be unique are unique in the schema too (the server checks
//! first to say which field; the index keeps a race from slipping through).

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Users {
    Table,
    TenantId,
    Active,
    CtiId,
    CtiNumber,
}

#[derive(DeriveIden)]
enum AuditLog {
    Table,
    Subject,
}

#[derive(DeriveIden)]
enum CallerNumbers {
    Table,
    ServiceId,
    Number,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        // One column per statement: SQLite alters one thing at a time.
        m.alter_table(
            Table::alter()
                .table(Users::Table)
                .add_column(ColumnDef::new(Users::Active).boolean().not_null().default(true))
                .to_owned(),
        )
        .await?;
        m.alter_table(
            Table::alter()
                .table(AuditLog::Table)
                .add_column(ColumnDef::new(AuditLog::Subject).string().null())
                .to_owned(),
        )
        .await?;
        // NULLs are distinct in a unique index on both engines: operators without a
        // CTI identity do not collide.
        m.create_index(
            Index::create()
                .name("uq_users_tenant_cti_id")
                .table(Users::Table)
                .col(Users::TenantId)
                .col(Users::CtiId)
                .unique()
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("uq_users_tenant_cti_number")
                .table(Users::Table)
                .col(Users::TenantId)
                .col(Users::CtiNumber)
                .unique()
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("uq_caller_numbers_service_number")
                .table(CallerNumbers::Table)
                .col(CallerNumbers::ServiceId)
                .col(CallerNumbers::Number)
                .unique()
                .to_owned(),
        )
        .await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        for (name, table) in [
            ("uq_caller_numbers_service_number", CallerNumbers::Table.into_iden()),
            ("uq_users_tenant_cti_number", Users::Table.into_iden()),
            ("uq_users_tenant_cti_id", Users::Table.into_iden()),
        ] {
            m.drop_index(Index::drop().name(name).table(table).to_owned()).await?;
        }
        m.alter_table(Table::alter().table(AuditLog::Table).drop_column(AuditLog::Subject).to_owned()).await?;
        m.alter_table(Table::alter().table(Users::Table).drop_column(Users::Active).to_owned()).await
    }
}
