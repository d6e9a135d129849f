//! What crosses the wire between browser and server: plain, serialisable views.
//!
//! Server functions answer in postcard (`api::wire`), which writes fields in order and
//! no names: a type read back must not depend on self-description (no internally tagged
//! or untagged enums, `flatten` or `skip_serializing_if` in an answer). The live stream's
//! [`PushEvent`] is JSON and may.

mod admin;
mod board;
mod report;
mod tickets;

pub use admin::*;
pub use board::*;
pub use report::*;
pub use tickets::*;

use serde::{Deserialize, Serialize};

use crate::domain::{AgentStatus, Policy, ShownNumber};
use crate::i18n::Locale;

pub type UserId = i32;
pub type TicketId = i32;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Role {
    /// Runs the platform: tenants and their contracts.
    PlatformAdmin,
    /// 全体管理 of one tenant.
    TenantAdmin,
    /// サービス管理 of their services.
    ServiceAdmin,
    Operator,
}

crate::stored_names!(Role {
    PlatformAdmin => "platform_admin",
    TenantAdmin => "tenant_admin",
    ServiceAdmin => "service_admin",
    Operator => "operator",
});

/// Who is signed in, known to every page from the first byte (rendered into the page,
/// so that server and browser agree without a round trip).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SessionInfo {
    pub user_id: UserId,
    pub tenant_id: i32,
    /// The service the user works in (and administers, for a service admin).
    pub service_id: Option<i32>,
    pub username: String,
    pub display_name: String,
    pub role: Role,
    pub phone_permission: bool,
    pub locale: Locale,
}

/// The phone as one agent sees it: everything the widget draws.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct AgentView {
    /// Routing's revision when the view was made. A browser gets views both in answers
    /// and over its stream, in either order: it keeps the newest.
    pub revision: u64,
    pub status: AgentStatus,
    /// When the current status began (Unix ms, server clock).
    pub since_ms: i64,
    /// The server's clock when this view was made, to measure time in status.
    pub server_now_ms: i64,
    pub policy: Policy,
    /// The tenant's contract has outbound calls (F1): かける is offered.
    pub can_dial: bool,
    /// How the agent's last dial ended without a conversation, until the next call.
    pub last_outcome: Option<EndReason>,
    /// The call offered to or held by the agent.
    pub call: Option<CallView>,
    /// False once an administrator has taken the phone permission away: the last view
    /// such an agent gets.
    pub permitted: bool,
    /// Calls reach agents on a phone of their own (SIP) and this agent's is not
    /// registered: they are not offered calls until it is.
    pub phone_missing: bool,
    /// None of the agent's phone widgets has been open for longer than the tenant's
    /// 離席とみなすまで: not offered calls until one opens (or their phone takes them).
    pub away: bool,
    /// Where the agent talks: the browser, or a phone of their own.
    pub endpoint: Endpoint,
    /// The browser's audio, for an agent who talks in the browser: calls are offered
    /// only while it is `Ready`.
    pub browser_audio: BrowserAudio,
    /// The reason of a 休憩.
    pub break_reason: Option<String>,
    /// The status a supervisor set during the call, to come when it ends.
    pub pending: Option<AgentStatus>,
}

/// Where an agent talks (chosen by the agent, kept with the user).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Endpoint {
    /// A phone of their own: a SIP phone registered with ringdesk (with the simulator,
    /// the widget stands for it and no audio flows).
    #[default]
    DeskPhone,
    /// The browser: the phone window carries the call's audio (WebRTC).
    Browser,
}

impl Endpoint {
    /// The name kept in the store.
    pub fn stored(self) -> &'static str {
        match self {
            Endpoint::DeskPhone => "desk_phone",
            Endpoint::Browser => "browser",
        }
    }

    pub fn from_stored(s: &str) -> Endpoint {
        match s {
            "browser" => Endpoint::Browser,
            _ => Endpoint::DeskPhone,
        }
    }
}

/// The state of an agent's audio in the browser, as the widget says it.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub enum BrowserAudio {
    /// The phone window is connected: calls are offered.
    Ready,
    /// No phone window is connected.
    #[default]
    Closed,
    /// The browser was not allowed the microphone.
    NoPermission,
    /// The browser has no microphone.
    NoDevice,
    /// The connection dropped and the phone window is reconnecting (接続不良).
    Trouble,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CallView {
    pub call_id: String,
    pub direction: CallDirection,
    pub customer_number: ShownNumber,
    pub ticket_id: Option<TicketId>,
    /// The consult call (協議通話) this call is part of, if any.
    pub consult: Option<ConsultView>,
}

/// A consult call as one of its two agents sees it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ConsultView {
    /// Who is on the other end: the target (a colleague's name or a number) for the
    /// agent transferring; the colleague who calls, for the target.
    pub with: String,
    /// This is the target's view: a colleague consults them about `customer_number`.
    pub incoming: bool,
    /// The target is on the line.
    pub answered: bool,
}

/// Whether the server itself serves HTTPS (`RINGDESK_TLS_CERT`): its session cookies
/// are then `Secure`. Given to the pages and server functions through context.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Https(pub bool);

/// Who a consult call (協議通話, F13) goes to.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum ConsultTarget {
    /// An agent of the same service who is 待機.
    Agent { user_id: UserId },
    /// A number outside: E.164, or as typed when sent by the browser.
    Number { number: String },
}

/// A colleague who is 待機 now, whom a call can be transferred to.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReadyColleague {
    pub user_id: UserId,
    pub name: String,
    pub cti_number: Option<String>,
}

/// What the server pushes to a browser over its live stream.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum PushEvent {
    /// The agent's phone changed (or a stream began): replace the widget's view.
    Agent(AgentView),
    /// Customers of the agent's service waiting for an answer (queued or ringing). Sent
    /// when a stream begins and when it changes, at most a few times a second.
    Waiting { count: u32 },
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum TicketStatus {
    Open,
    Pending,
    Solved,
    Closed,
}

crate::stored_names!(TicketStatus {
    Open => "open",
    Pending => "pending",
    Solved => "solved",
    Closed => "closed",
});

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CallDirection {
    Inbound,
    Outbound,
}

crate::stored_names!(CallDirection { Inbound => "inbound", Outbound => "outbound" });

/// Why a call ended, as recorded.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum EndReason {
    CustomerHangup,
    AgentHangup,
    Abandoned,
    ServerRestart,
    /// The dialled customer did not answer.
    NoAnswer,
    /// The dialled number was busy.
    Busy,
    /// The dialled number refused the call.
    Rejected,
    /// The agent cancelled the dial.
    Cancelled,
    /// 強制終了: a message was played to the customer, then the call was ended (F14).
    ForceTerminated,
    /// Transferred to a number outside (顧客接続 after a consult call).
    Transferred,
}

crate::stored_names!(EndReason {
    CustomerHangup => "customer_hangup",
    AgentHangup => "agent_hangup",
    Abandoned => "abandoned",
    ServerRestart => "server_restart",
    NoAnswer => "no_answer",
    Busy => "busy",
    Rejected => "rejected",
    Cancelled => "cancelled",
    ForceTerminated => "force_terminated",
    Transferred => "transferred",
});

impl TicketStatus {
    pub fn label_key(self) -> crate::i18n::Key {
        use crate::i18n::Key;
        match self {
            TicketStatus::Open => Key::TicketOpen,
            TicketStatus::Pending => Key::TicketPending,
            TicketStatus::Solved => Key::TicketSolved,
            TicketStatus::Closed => Key::TicketClosed,
        }
    }
}

impl EndReason {
    /// How the call log names the reason.
    pub fn label_key(self) -> crate::i18n::Key {
        use crate::i18n::Key;
        match self {
            EndReason::CustomerHangup => Key::EndCustomerHangup,
            EndReason::AgentHangup => Key::EndAgentHangup,
            EndReason::Abandoned => Key::EndAbandoned,
            EndReason::ServerRestart => Key::EndServerRestart,
            EndReason::NoAnswer => Key::EndNoAnswer,
            EndReason::Busy => Key::EndBusy,
            EndReason::Rejected => Key::EndRejected,
            EndReason::Cancelled => Key::EndCancelled,
            EndReason::ForceTerminated => Key::EndForceTerminated,
            EndReason::Transferred => Key::EndTransferred,
        }
    }
}

/// A caller number (発信番号) registered for a service.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CallerNumber {
    pub number: ShownNumber,
    pub label: String,
}

/// A dial that was placed.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Dialled {
    pub call_id: String,
    /// The ticket made at once when outbound tickets are made on dialling (F11 有効).
    pub ticket_id: Option<TicketId>,
}
