//! The routing task: the one owner of live phone state (DESIGN.md, principle 1).
//! Server functions and telephony events become commands on one channel; the task
//! applies them in order, so no two agents win one call and no status changes behind
//! its back.

mod actor;
mod batch;
pub mod change;
mod consult;
mod handle;
pub mod health;
mod in_call;
mod line_commands;
mod outbound;
#[cfg(test)]
mod proptests;
pub mod roster;
pub mod state;
mod supervise;
#[cfg(test)]
mod tests;

pub use actor::{Mailbox, channel, run};
pub use change::CallId;
pub use handle::{Command, RoutingHandle};
