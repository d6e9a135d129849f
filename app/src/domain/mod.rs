//! Pure rules of the phone: no I/O, compiled for both the browser and the server.
//! The routing task enforces them; the widget asks the same functions which buttons
//! to enable (one rule table, two users).

mod phone_number;
mod status;

pub use phone_number::{PhoneNumber, PhoneNumberError};
pub use status::{AgentAction, AgentStatus, Policy, RuleError, allowed, next_status};
