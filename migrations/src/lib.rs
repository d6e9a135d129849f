//! The schema of ringdesk, one file a migration, runnable on SQLite and PostgreSQL.

pub use sea_orm_migration::prelude::*;

mod m20261125_000001_init;

pub struct Migrator;

#[async_trait::async_trait]
impl MigratorTrait for Migrator {
    fn migrations() -> Vec<Box<dyn MigrationTrait>> {
        vec![Box::new(m20261125_000001_init::Migration)]
    }
}
