//! In a cluster, each call event carries the epoch of the routing lease it was written
//! under. The fence at the start of a routing transaction (`store/leases.rs`) sets the
//! transaction's `ringdesk.epoch`, and PostgreSQL stamps each event with it, so nothing
//! in the journal's code can forget to. What it gives: a tenant's events, read in the
//! order they were written, never go back to an older epoch — a write by an owner fenced
//! out would show as one (the chaos harness checks it; an operator can ask which
//! instance's tenure wrote what). Outside a cluster, and on SQLite, it stays empty.

use sea_orm_migration::prelude::*;
use sea_orm_migration::sea_orm::DatabaseBackend;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        let sql = match m.get_database_backend() {
            DatabaseBackend::Postgres => {
                "ALTER TABLE call_events ADD COLUMN epoch BIGINT \
                 DEFAULT NULLIF(current_setting('ringdesk.epoch', true), '')::BIGINT"
            }
            _ => "ALTER TABLE call_events ADD COLUMN epoch BIGINT",
        };
        m.get_connection().execute_unprepared(sql).await?;
        Ok(())
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.get_connection().execute_unprepared("ALTER TABLE call_events DROP COLUMN epoch").await?;
        Ok(())
    }
}
