//! What routing decides, as data. One list of changes drives all three consumers in
//! order: the store records it (in one transaction), the live state applies it, and the
//! browsers of the agents it touches are told.

use app::domain::{AgentStatus, ShownNumber};
use app::model::{CallDirection, EndReason, UserId};

/// A call as routing and the telephone system name it: a customer's call (the
/// simulator's, `sip-…` from the trunk, `out-…` dialled) or a consult leg (`leg-…`),
/// which is offered, answered and ended like a call. Opaque: it is written to the store
/// and the browser as it is, and read back from them with `From`.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Default, serde::Serialize, serde::Deserialize)]
#[serde(transparent)]
pub struct CallId(String);

impl CallId {
    /// A new call dialled by an agent (かける).
    pub fn outbound() -> CallId {
        CallId(format!("out-{}", uuid::Uuid::new_v4()))
    }

    /// A new consult leg (協議通話).
    pub fn leg() -> CallId {
        CallId(format!("leg-{}", uuid::Uuid::new_v4()))
    }

    /// A new call from the trunk.
    pub fn sip() -> CallId {
        CallId(format!("sip-{}", uuid::Uuid::new_v4()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl From<String> for CallId {
    fn from(s: String) -> CallId {
        CallId(s)
    }
}

impl From<&str> for CallId {
    fn from(s: &str) -> CallId {
        CallId(s.to_owned())
    }
}

impl From<CallId> for String {
    fn from(id: CallId) -> String {
        id.0
    }
}

impl std::ops::Deref for CallId {
    type Target = str;
    fn deref(&self) -> &str {
        &self.0
    }
}

impl std::borrow::Borrow<str> for CallId {
    fn borrow(&self) -> &str {
        &self.0
    }
}

impl std::fmt::Display for CallId {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl PartialEq<str> for CallId {
    fn eq(&self, other: &str) -> bool {
        self.0 == other
    }
}

/// A status a supervisor set, with the 休憩 reason.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Supervision {
    pub to: AgentStatus,
    pub reason: Option<String>,
}

/// A call that has just reached the system.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NewCall {
    pub id: CallId,
    pub direction: CallDirection,
    pub tenant_id: i32,
    pub service_id: i32,
    pub customer_number: ShownNumber,
    pub service_number: String,
}

pub use app::model::ConsultTarget;

/// How a consult call ended without the transfer.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ConsultEnd {
    /// キャンセル by the agent.
    Cancelled,
    NoAnswer,
    Busy,
    Rejected,
    /// The target hung up the consult call.
    TargetHungUp,
    /// The customer hung up while waiting.
    CustomerLeft,
}

impl ConsultEnd {
    pub fn as_str(self) -> &'static str {
        match self {
            ConsultEnd::Cancelled => "consult_cancelled",
            ConsultEnd::NoAnswer => "consult_no_answer",
            ConsultEnd::Busy => "consult_busy",
            ConsultEnd::Rejected => "consult_rejected",
            ConsultEnd::TargetHungUp => "consult_target_hung_up",
            ConsultEnd::CustomerLeft => "consult_customer_left",
        }
    }

    /// What the agent is told when the target did not take the consult call.
    pub fn outcome(self) -> Option<EndReason> {
        match self {
            ConsultEnd::NoAnswer => Some(EndReason::NoAnswer),
            ConsultEnd::Busy => Some(EndReason::Busy),
            ConsultEnd::Rejected => Some(EndReason::Rejected),
            _ => None,
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Change {
    /// The agent holding `call_id` calls `target` on the consult leg `leg_id`; the
    /// customer waits on hold.
    ConsultStarted { call_id: CallId, leg_id: CallId, agent: UserId, target: ConsultTarget, deadline_ms: i64 },
    /// The target took the consult call.
    ConsultAnswered { call_id: CallId },
    /// The consult leg ended without the transfer.
    ConsultEnded { call_id: CallId, how: ConsultEnd },
    /// 顧客接続: the customer is joined to the target. An agent target now holds the
    /// call (and its ticket); a number outside takes the call out of the system.
    Transferred { call_id: CallId, from: UserId, to: ConsultTarget },
    /// 保留 (`held`) or 解除 of a connected call; the customer hears `music` while held.
    CallHeld { call_id: CallId, agent: UserId, held: bool, music: &'static str },
    /// A message was played to the customer (強制終了's guidance, F14).
    MessagePlayed { call_id: CallId, agent: UserId, message: String },
    /// An agent's status, with the call they hold afterwards (if any).
    Status { user: UserId, to: AgentStatus, call: Option<CallId> },
    /// A call joins its service's queue.
    CallQueued(NewCall),
    /// A call that waited when the server stopped, and whose customer still waits, is
    /// queued again with its first arrival time (so in its old order).
    CallRequeued { call: NewCall, queued_at_ms: i64 },
    /// An agent dials out; with `with_ticket` (F11 有効) the ticket is made now.
    CallDialed { call: NewCall, agent: UserId, with_ticket: bool },
    /// A queued call rings at one agent until `deadline_ms`.
    CallOffered { call_id: CallId, agent: UserId, deadline_ms: i64 },
    /// The offer rang out: the call is queued again at its old place.
    CallReturned { call_id: CallId, missed_by: UserId },
    /// The call is connected (the agent answered, or the dialled customer did); a
    /// ticket is made for it unless it has one.
    CallAnswered {
        call_id: CallId,
        agent: UserId,
        direction: CallDirection,
        tenant_id: i32,
        service_id: i32,
        customer_number: ShownNumber,
        make_ticket: bool,
    },
    /// The call is over.
    CallEnded { call_id: CallId, reason: EndReason, agent: Option<UserId> },
    /// `agent` finished the after-call work of `call_id` after `ms` (the status they
    /// leave 業務(チケット処理) for is a change of its own).
    AfterCallWork { call_id: CallId, agent: UserId, ms: i64 },
    /// Supervisor `by` set agent `user` (in `from`) to `to`: at once (the status is a
    /// change of its own), or when their call ends. The audit log has it.
    Supervised {
        by: UserId,
        user: UserId,
        tenant_id: i32,
        name: String,
        from: AgentStatus,
        set: Supervision,
        at_once: bool,
    },
    /// The reason of the agent's 休憩, shown on the board and in their widget.
    BreakReason { user: UserId, reason: Option<String> },
    /// Agent `user` was in `status` from `from_ms` until `to_ms` (the decision's time):
    /// the reports add it to their quarter hours.
    StatusTime { user: UserId, status: AgentStatus, from_ms: i64, to_ms: i64 },
}

impl Change {
    /// The call this change is about (for a consult, the customer's call).
    pub fn call_id(&self) -> Option<&str> {
        match self {
            Change::Status { .. }
            | Change::Supervised { .. }
            | Change::BreakReason { .. }
            | Change::StatusTime { .. } => None,
            Change::CallQueued(c) | Change::CallRequeued { call: c, .. } | Change::CallDialed { call: c, .. } => {
                Some(&c.id)
            }
            Change::ConsultStarted { call_id, .. }
            | Change::ConsultAnswered { call_id }
            | Change::ConsultEnded { call_id, .. }
            | Change::Transferred { call_id, .. }
            | Change::CallHeld { call_id, .. }
            | Change::MessagePlayed { call_id, .. }
            | Change::CallOffered { call_id, .. }
            | Change::CallReturned { call_id, .. }
            | Change::CallAnswered { call_id, .. }
            | Change::CallEnded { call_id, .. }
            | Change::AfterCallWork { call_id, .. } => Some(call_id),
        }
    }
}

/// Changes decided together, at one instant.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Decision {
    pub at_ms: i64,
    pub changes: Vec<Change>,
}

impl Decision {
    pub fn new(at_ms: i64, changes: Vec<Change>) -> Self {
        Decision { at_ms, changes }
    }

    pub fn is_empty(&self) -> bool {
        self.changes.is_empty()
    }
}
