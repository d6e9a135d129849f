//! Tickets, their calls and the customers behind them, as the pages and the widget see
//! them.

use serde::{Deserialize, Serialize};

use super::{CallDirection, EndReason, TicketId, TicketStatus, UserId};
use crate::domain::ShownNumber;

/// Where a ticket came from. ringdesk makes phone tickets; the others are the rest of
/// the helpdesk's channels, which share the list.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Channel {
    Phone,
    Email,
    Web,
}

crate::stored_names!(Channel {
    Phone => "phone",
    Email => "email",
    Web => "web",
});

/// The ticket list's filters exactly as the page's address carries them (`?status=open`):
/// text, an empty value meaning "any". The server checks them and refuses a malformed one
/// by name (see `domain::ticket_query`).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct TicketFilter {
    pub status: String,
    /// `me`, `none`, or a user id.
    pub assignee: String,
    pub channel: String,
    pub direction: String,
    /// `YYYY-MM-DD`, Japan time, inclusive.
    pub from: String,
    pub to: String,
    pub customer: String,
    pub sort: String,
    /// The page: after or before a cursor of the previous answer.
    pub after: String,
    pub before: String,
}

/// One row of the ticket list.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct TicketSummary {
    pub id: TicketId,
    pub subject: String,
    pub status: TicketStatus,
    pub channel: Channel,
    pub direction: Option<CallDirection>,
    pub customer_number: Option<ShownNumber>,
    /// The known customer's name.
    pub customer_name: Option<String>,
    pub assignee: Option<String>,
    pub created_at_ms: i64,
    pub updated_at_ms: i64,
}

/// One page of the list, with cursors to its neighbours (keyset pagination: any page is
/// as quick as the first).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct TicketPage {
    pub tickets: Vec<TicketSummary>,
    /// How many tickets match the filters in all.
    pub total: u64,
    pub next: Option<String>,
    pub prev: Option<String>,
}

/// Someone a ticket can be assigned to.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Assignable {
    pub user_id: UserId,
    pub name: String,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct TicketDetail {
    pub id: TicketId,
    /// The version the page shows; an edit names it, and is refused if the ticket has
    /// moved on since.
    pub version: i32,
    pub subject: String,
    pub body: String,
    pub status: TicketStatus,
    pub channel: Channel,
    pub direction: Option<CallDirection>,
    pub customer_number: Option<ShownNumber>,
    /// The customer kept for the ticket's number, or an empty card to fill in.
    pub customer: Option<Customer>,
    pub assignee_id: Option<UserId>,
    pub assignee: Option<String>,
    /// Who the ticket can be assigned to: the people of its service.
    pub assignees: Vec<Assignable>,
    pub created_at_ms: i64,
    pub updated_at_ms: i64,
    pub notes: Vec<TicketNote>,
    pub calls: Vec<CallRecord>,
}

/// An edit of a ticket's fields, made on `version`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct TicketEdit {
    pub id: TicketId,
    pub version: i32,
    pub subject: String,
    pub body: String,
    pub status: String,
    /// A user id, or empty for nobody.
    pub assignee: String,
}

/// An internal note: seen by the helpdesk, never by the customer.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct TicketNote {
    pub author: String,
    pub body: String,
    pub created_at_ms: i64,
}

/// A customer, known by their number within a tenant.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Customer {
    /// E.164.
    pub number: String,
    pub name: String,
    pub notes: String,
    /// 0 for a customer not kept yet.
    pub version: i32,
}

/// What the widget shows about a ringing call's caller (screen pop).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CallerCard {
    pub number: ShownNumber,
    /// The known customer's name.
    pub name: Option<String>,
    pub notes: String,
    /// The number's newest tickets.
    pub recent: Vec<TicketSummary>,
}

/// How a call ended and who ended it, for the call log.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CallRecord {
    pub call_id: String,
    pub ticket_id: Option<TicketId>,
    pub direction: CallDirection,
    pub customer_number: ShownNumber,
    /// The service's number: the one called (inbound) or shown as the caller (outbound).
    pub service_number: ShownNumber,
    /// The agent who has the call (the last one, after transfers).
    pub agent: Option<String>,
    /// Everyone who took part: offered, answered, consulted, transferred to.
    pub agents: Vec<String>,
    pub queued_at_ms: i64,
    /// When it was first offered to an agent.
    pub offered_at_ms: Option<i64>,
    pub answered_at_ms: Option<i64>,
    pub ended_at_ms: Option<i64>,
    /// Connected time less time on hold.
    pub talk_ms: Option<i64>,
    pub hold_ms: i64,
    pub holds: u32,
    pub end_reason: Option<EndReason>,
    /// The agent who ended it, when an agent did.
    pub ended_by: Option<String>,
    /// The message played before a forced termination.
    pub force_end_message: Option<String>,
    /// Each transfer of the call: who handed it (a name) to whom (a name or a number).
    pub transfers: Vec<(String, String)>,
}
