//! The schema of ringdesk, one file a migration, runnable on SQLite and PostgreSQL.

pub use sea_orm_migration::prelude::*;

mod m20261125_000001_init;
mod m20261125_000002_sim_lines;
mod m20261125_000003_audit_log;
mod m20261125_000004_administration;
mod m20261125_000005_transfer_numbers;
mod m20261125_000006_tickets;
mod m20261201_000007_sip_phones;
mod m20261201_000008_sip_dialogs;
mod m20261201_000009_presence;
mod m20261201_000010_answer_waiting;
mod m20261202_000011_hold_music;
mod m20261202_000012_session_last_seen;
mod m20261203_000013_phone_endpoint;
mod m20261205_000014_call_figures;
mod m20261206_000015_break_reasons;
mod m20261206_000016_routing_policies;
mod m20261206_000017_report_intervals;
mod m20261206_000018_call_quarters;
mod m20261206_000019_routing_leases;
mod m20261206_000020_call_event_epochs;

pub use m20261206_000018_call_quarters::fill_call_quarters;

pub struct Migrator;

#[async_trait::async_trait]
impl MigratorTrait for Migrator {
    fn migrations() -> Vec<Box<dyn MigrationTrait>> {
        vec![
            Box::new(m20261125_000001_init::Migration),
            Box::new(m20261125_000002_sim_lines::Migration),
            Box::new(m20261125_000003_audit_log::Migration),
            Box::new(m20261125_000004_administration::Migration),
            Box::new(m20261125_000005_transfer_numbers::Migration),
            Box::new(m20261125_000006_tickets::Migration),
            Box::new(m20261201_000007_sip_phones::Migration),
            Box::new(m20261201_000008_sip_dialogs::Migration),
            Box::new(m20261201_000009_presence::Migration),
            Box::new(m20261201_000010_answer_waiting::Migration),
            Box::new(m20261202_000011_hold_music::Migration),
            Box::new(m20261202_000012_session_last_seen::Migration),
            Box::new(m20261203_000013_phone_endpoint::Migration),
            Box::new(m20261205_000014_call_figures::Migration),
            Box::new(m20261206_000015_break_reasons::Migration),
            Box::new(m20261206_000016_routing_policies::Migration),
            Box::new(m20261206_000017_report_intervals::Migration),
            Box::new(m20261206_000018_call_quarters::Migration),
            Box::new(m20261206_000019_routing_leases::Migration),
            Box::new(m20261206_000020_call_event_epochs::Migration),
        ]
    }
}
