//! SeaORM entities, one a table (the schema is in the `migration` crate).

pub mod agent_state;
pub mod audit_entry;
pub mod break_reason;
pub mod call;
pub mod call_event;
pub mod call_quarter;
pub mod caller_number;
pub mod cti_settings;
pub mod customer;
pub mod hold_music;
pub mod service;
pub mod session;
pub mod sim_line;
pub mod sip_dialog;
pub mod status_history;
pub mod status_interval;
pub mod tenant;
pub mod ticket;
pub mod ticket_note;
pub mod transfer_number;
pub mod user;
