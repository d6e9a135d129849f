//! Pure rules of the phone: no I/O, compiled for both the browser and the server.
//! The routing task enforces them; the widget asks the same functions which buttons
//! to enable (one rule table, two users).

mod access;
pub mod call_sums;
pub mod cti_settings;
pub mod date_range;
mod phone_number;
pub mod report;
mod status;
pub mod ticket_edit;
pub mod ticket_query;
pub mod validation;

pub use access::{TicketScope, board_scope, may_administer_service, may_export_calls, ticket_scope};
pub use cti_settings::{CtiSettings, HOLD_MUSIC, HOLD_MUSIC_OWN, HoldMusic, RING_TIMEOUT_SECS};
pub use phone_number::{PhoneNumber, PhoneNumberError, ShownNumber};
pub use status::{AUTO_PAUSE_REASON, AgentAction, AgentStatus, Policy, RuleError, SUPERVISED, allowed, next_status};
pub use validation::{FieldProblem, Problem};
