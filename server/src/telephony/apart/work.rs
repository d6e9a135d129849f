//! What routing asks of a telephone system in another process, and its answers, as
//! they travel on the bus: the `Telephony` trait's calls as data.

use app::domain::HoldMusic;
use app::model::{ConsultTarget, UserId};
use serde::{Deserialize, Serialize};

use crate::routing::CallId;
use crate::telephony::{Telephony, TelephonyError};

/// One of the `Telephony` trait's calls.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "work", rename_all = "snake_case")]
pub enum Work {
    Originate { call_id: CallId, caller_id: String, to: String, agent: UserId },
    Answer { call_id: CallId, user: UserId },
    RingAgent { call_id: CallId, user: UserId },
    StopRinging { call_id: CallId, user: UserId },
    HangUp { call_id: CallId },
    Hold { call_id: CallId, music: Option<HoldMusic> },
    Consult { call_id: CallId, leg_id: CallId, target: ConsultTarget, caller_id: String, agent: UserId },
    ConsultEnded { call_id: CallId },
    Transfer { call_id: CallId, leg_id: CallId, target: ConsultTarget },
    ForceEnd { call_id: CallId, message: String },
    WaitingCalls,
    CallsUp,
    DropCall { call_id: CallId },
}

/// Work as sent: by whose routing, under which lease.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Sent {
    /// The routing's tenant and its lease's epoch; `None` from routing for no tenant.
    pub lease: Option<(i32, i64)>,
    pub work: Work,
}

/// The telephone system's answer.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "done", rename_all = "snake_case")]
pub enum Done {
    Ok,
    /// The call is not on the line any more.
    Gone,
    Calls {
        calls: Vec<CallId>,
    },
    /// Sent under an older lease than the tenant's newest: not carried out.
    Stale,
}

impl Work {
    /// The calls the work starts (a dial, a consult leg): reports on them are for the
    /// sender's tenant.
    pub fn starts(&self) -> Vec<&CallId> {
        match self {
            Work::Originate { call_id, .. } => vec![call_id],
            Work::Consult { leg_id, .. } => vec![leg_id],
            _ => Vec::new(),
        }
    }

    /// The calls that are over at the telephone system once the work is done.
    pub fn ends(&self) -> Vec<&CallId> {
        match self {
            Work::HangUp { call_id } | Work::ForceEnd { call_id, .. } | Work::DropCall { call_id } => vec![call_id],
            Work::Transfer { call_id, leg_id, target: ConsultTarget::Number { .. } } => vec![call_id, leg_id],
            _ => Vec::new(),
        }
    }

    /// Does the work with `telephony`.
    pub async fn carry_out(self, telephony: &dyn Telephony) -> Done {
        fn done(result: Result<(), TelephonyError>) -> Done {
            match result {
                Ok(()) => Done::Ok,
                Err(TelephonyError::Gone(_)) => Done::Gone,
            }
        }
        match self {
            Work::Originate { call_id, caller_id, to, agent } => {
                done(telephony.originate(&call_id, &caller_id, &to, agent).await)
            }
            Work::Answer { call_id, user } => done(telephony.answer(&call_id, user).await),
            Work::RingAgent { call_id, user } => {
                telephony.ring_agent(&call_id, user).await;
                Done::Ok
            }
            Work::StopRinging { call_id, user } => {
                telephony.stop_ringing(&call_id, user).await;
                Done::Ok
            }
            Work::HangUp { call_id } => done(telephony.hang_up(&call_id).await),
            Work::Hold { call_id, music } => done(telephony.hold(&call_id, music).await),
            Work::Consult { call_id, leg_id, target, caller_id, agent } => {
                done(telephony.consult(&call_id, &leg_id, &target, &caller_id, agent).await)
            }
            Work::ConsultEnded { call_id } => {
                telephony.consult_ended(&call_id).await;
                Done::Ok
            }
            Work::Transfer { call_id, leg_id, target } => done(telephony.transfer(&call_id, &leg_id, &target).await),
            Work::ForceEnd { call_id, message } => done(telephony.force_end(&call_id, &message).await),
            Work::WaitingCalls => Done::Calls { calls: telephony.waiting_calls().await },
            Work::CallsUp => Done::Calls { calls: telephony.calls_up().await },
            Work::DropCall { call_id } => {
                telephony.drop_call(&call_id).await;
                Done::Ok
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn work_reads_back_as_it_was_sent() {
        let sent = Sent {
            lease: Some((3, 7)),
            work: Work::Hold { call_id: "c-1".into(), music: Some(HoldMusic::Builtin("classic")) },
        };
        let read: Sent = serde_json::from_slice(&serde_json::to_vec(&sent).unwrap()).unwrap();
        assert_eq!(read, sent);
        let consult = Work::Consult {
            call_id: "c-1".into(),
            leg_id: "c-1-leg".into(),
            target: ConsultTarget::Number { number: "+819012345678".into() },
            caller_id: "+81350000000".into(),
            agent: 4,
        };
        assert_eq!(consult.starts(), vec![&CallId::from("c-1-leg")]);
        let read: Work = serde_json::from_str(&serde_json::to_string(&consult).unwrap()).unwrap();
        assert_eq!(read, consult);
    }
}
