//! What routing is asked, and what it answers, as data: a `Request` names what to do,
//! an `Answer` is routing's reply. Both are plain serde values, so a command can be
//! carried to the instance that routes its tenant (docs/scale-out.md) as well as to a
//! task in this process.

use app::domain::{AgentAction, PhoneNumber, TicketScope};
use app::error::AppError;
use app::model::{AgentView, Dialled, EndReason, ReadyColleague, TicketId, UserId};
use serde::{Deserialize, Serialize};
use tokio::sync::oneshot;

use super::change::{CallId, ConsultTarget, Supervision};
use super::roster::AgentProfile;
use super::state::{IncomingError, Queued, TenantPhone};
use crate::push::Tell;

/// A request, and where its answer goes (none: nobody waits for it).
pub struct Command {
    pub request: Request,
    pub reply: Option<oneshot::Sender<Answer>>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub enum Request {
    View {
        user: UserId,
    },
    Act {
        user: UserId,
        action: AgentAction,
    },
    /// A supervisor sets an agent's status from the board.
    Supervise {
        by: UserId,
        scope: TicketScope,
        user: UserId,
        set: Supervision,
    },
    Answer {
        user: UserId,
        call_id: CallId,
    },
    HangUp {
        user: UserId,
        call_id: CallId,
    },
    /// 保留 (`held`) or 解除.
    Hold {
        user: UserId,
        call_id: CallId,
        held: bool,
    },
    /// 強制終了 → 確認 with the (edited) message.
    ForceEnd {
        user: UserId,
        call_id: CallId,
        message: String,
    },
    /// 協議通話 / 接続: a consult call to `target`.
    Consult {
        user: UserId,
        call_id: CallId,
        target: ConsultTarget,
    },
    /// 顧客接続.
    ConnectCustomer {
        user: UserId,
        call_id: CallId,
    },
    /// キャンセル of the consult call.
    CancelConsult {
        user: UserId,
        call_id: CallId,
    },
    /// The colleagues of `user`'s service who are 待機 now.
    ReadyColleagues {
        user: UserId,
    },
    Incoming {
        call_id: CallId,
        from: String,
        to: String,
    },
    CustomerHangup {
        call_id: CallId,
    },
    Dial {
        user: UserId,
        to: PhoneNumber,
        caller_number: String,
    },
    /// The dialled customer answered.
    OutboundAnswered {
        call_id: CallId,
    },
    /// The dial ended without a conversation.
    OutboundFailed {
        call_id: CallId,
        reason: EndReason,
    },
    RingTimeout {
        call_id: CallId,
        user: UserId,
    },
    /// 後処理の上限 may have passed for the after-call work `user` began at `since`.
    WrapupTimeout {
        user: UserId,
        since: i64,
    },
    /// A tenant's phone behaviour changed (CTI settings, contract).
    TenantPhone {
        tenant_id: i32,
        phone: TenantPhone,
    },
    /// An administrator granted the phone or changed who an agent is (`Some`), or took
    /// the phone away (`None`).
    Agent {
        user: UserId,
        profile: Option<AgentProfile>,
    },
    /// A service's caller numbers changed.
    CallerNumbers {
        service_id: i32,
        numbers: Vec<String>,
    },
    /// An agent's phone registered (`ready`) or was lost.
    Phone {
        user: UserId,
        ready: bool,
    },
    /// The state of an agent's audio in the browser changed.
    BrowserAudio {
        user: UserId,
        audio: app::model::BrowserAudio,
    },
    /// The agent chose where they talk (kept in the store already).
    Endpoint {
        user: UserId,
        endpoint: app::model::Endpoint,
    },
    /// One of the agent's phone widgets opened its live stream, or closed it.
    Widget {
        user: UserId,
        open: bool,
    },
    /// Time to check on an agent away since `since` (their last widget closed then).
    Presence {
        user: UserId,
        since: i64,
    },
    /// What `user`'s browsers are shown now: their phone and their service's waiting
    /// callers (a stream opening on an instance that has not heard of them yet).
    Snapshot {
        user: UserId,
    },
    /// Every row and queue of `tenant`'s boards (a board opening on an instance that
    /// has not heard of the tenant yet).
    Floor {
        tenant: i32,
    },
    /// Panics in `tenant`'s routing task, as a bug would (tests of its recovery).
    #[cfg(test)]
    Panic {
        tenant: Option<i32>,
    },
}

/// Routing's answer to a request.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub enum Answer {
    /// Done; nothing to tell.
    Done,
    View(Option<AgentView>),
    /// The agent's view after an action, or why it was refused.
    Acted(Result<AgentView, AppError>),
    Supervised(Result<(), AppError>),
    /// The ticket of the call answered.
    Answered(Result<TicketId, AppError>),
    Colleagues(Result<Vec<ReadyColleague>, AppError>),
    Queued(Result<Queued, IncomingError>),
    Dialled(Result<Dialled, AppError>),
    /// What browsers are shown, for a snapshot.
    Tells(Vec<Tell>),
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every kind of request survives the trip to another instance as it was.
    #[test]
    fn requests_and_answers_travel_as_they_are() {
        let requests = [
            Request::Act { user: 3, action: AgentAction::CtiLogin },
            Request::Incoming { call_id: "sim-1".into(), from: "+81312345678".into(), to: "+81350000000".into() },
            Request::TenantPhone { tenant_id: 2, phone: TenantPhone::default() },
            Request::Supervise {
                by: 1,
                scope: TicketScope { tenant_id: 2, service_id: Some(3) },
                user: 4,
                set: Supervision { to: app::domain::AgentStatus::Break, reason: Some("昼食".into()) },
            },
        ];
        for request in requests {
            let bytes = serde_json::to_vec(&request).unwrap();
            assert_eq!(serde_json::from_slice::<Request>(&bytes).unwrap(), request);
        }
        let answers = [
            Answer::Queued(Ok(Queued { music_while_waiting: Some(app::domain::HoldMusic::Builtin("gentle")) })),
            Answer::Acted(Err(AppError::NoPhonePermission)),
        ];
        for answer in answers {
            let bytes = serde_json::to_vec(&answer).unwrap();
            assert_eq!(serde_json::from_slice::<Answer>(&bytes).unwrap(), answer);
        }
    }
}
