//! What crosses the wire between browser and server: plain, serialisable views.

use serde::{Deserialize, Serialize};

use crate::domain::{AgentStatus, Policy};
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

impl Role {
    pub fn as_str(self) -> &'static str {
        match self {
            Role::PlatformAdmin => "platform_admin",
            Role::TenantAdmin => "tenant_admin",
            Role::ServiceAdmin => "service_admin",
            Role::Operator => "operator",
        }
    }

    pub fn parse(s: &str) -> Option<Role> {
        [Role::PlatformAdmin, Role::TenantAdmin, Role::ServiceAdmin, Role::Operator]
            .into_iter()
            .find(|r| r.as_str() == s)
    }
}

/// Who is signed in, known to every page from the first byte (rendered into the page,
/// so that server and browser agree without a round trip).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SessionInfo {
    pub user_id: UserId,
    pub tenant_id: i32,
    pub username: String,
    pub display_name: String,
    pub role: Role,
    pub phone_permission: bool,
    pub locale: Locale,
}

/// The phone as one agent sees it: everything the widget draws.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct AgentView {
    pub status: AgentStatus,
    /// When the current status began (Unix ms, server clock).
    pub since_ms: i64,
    /// The server's clock when this view was made, to measure time in status.
    pub server_now_ms: i64,
    pub policy: Policy,
    /// The call offered to or held by the agent.
    pub call: Option<CallView>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CallView {
    pub call_id: String,
    pub customer_number: String,
    pub ticket_id: Option<TicketId>,
}

/// What the server pushes to a browser over its live stream.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum PushEvent {
    /// The agent's phone changed (or a stream began): replace the widget's view.
    Agent(AgentView),
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum TicketStatus {
    Open,
    Pending,
    Solved,
    Closed,
}

impl TicketStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            TicketStatus::Open => "open",
            TicketStatus::Pending => "pending",
            TicketStatus::Solved => "solved",
            TicketStatus::Closed => "closed",
        }
    }

    pub fn parse(s: &str) -> Option<TicketStatus> {
        [TicketStatus::Open, TicketStatus::Pending, TicketStatus::Solved, TicketStatus::Closed]
            .into_iter()
            .find(|t| t.as_str() == s)
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum CallDirection {
    Inbound,
    Outbound,
}

/// Why a call ended, as recorded.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum EndReason {
    CustomerHangup,
    AgentHangup,
    Abandoned,
    ServerRestart,
}

impl EndReason {
    pub fn as_str(self) -> &'static str {
        match self {
            EndReason::CustomerHangup => "customer_hangup",
            EndReason::AgentHangup => "agent_hangup",
            EndReason::Abandoned => "abandoned",
            EndReason::ServerRestart => "server_restart",
        }
    }

    pub fn parse(s: &str) -> Option<EndReason> {
        [EndReason::CustomerHangup, EndReason::AgentHangup, EndReason::Abandoned, EndReason::ServerRestart]
            .into_iter()
            .find(|r| r.as_str() == s)
    }
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct TicketSummary {
    pub id: TicketId,
    pub subject: String,
    pub status: TicketStatus,
    pub customer_number: Option<String>,
    pub created_at_ms: i64,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct TicketDetail {
    pub id: TicketId,
    pub subject: String,
    pub body: String,
    pub status: TicketStatus,
    pub customer_number: Option<String>,
    pub assignee: Option<String>,
    pub created_at_ms: i64,
    pub calls: Vec<CallRecord>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CallRecord {
    pub call_id: String,
    pub direction: CallDirection,
    pub customer_number: String,
    pub agent: Option<String>,
    pub queued_at_ms: i64,
    pub answered_at_ms: Option<i64>,
    pub ended_at_ms: Option<i64>,
    pub end_reason: Option<EndReason>,
}
