//! Routing: the one owner of live phone state (DESIGN.md, principle 1). Server
//! functions and telephony events become commands to their tenant's routing task
//! (`directory.rs`, `tenants.rs`); each task applies its commands in order, so no two
//! agents win one call and no status changes behind its back.

mod actor;
mod batch;
pub mod change;
mod consult;
mod directory;
mod handle;
pub mod health;
mod in_call;
mod lease;
mod line_commands;
mod outbound;
#[cfg(test)]
mod proptests;
pub mod remote;
pub mod request;
pub mod roster;
pub mod state;
mod supervise;
mod tenants;
#[cfg(test)]
mod tests;

pub use actor::{Mailbox, channel, run, run_in_cluster, run_relay};
pub use change::CallId;
pub use handle::RoutingHandle;
pub use lease::Cluster;
pub use request::{Answer, Command, Request};
