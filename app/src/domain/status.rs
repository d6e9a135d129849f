//! Agent statuses and the one transition table between them.

use serde::{Deserialize, Serialize};

/// What an agent is doing, as far as the phone is concerned. The Japanese label of each
/// lives in `i18n`; this is the name the code uses.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum AgentStatus {
    /// CTI未ログイン
    LoggedOut,
    /// 業務: other work, no calls.
    Busy,
    /// 待機: ready for calls.
    Ready,
    /// 休憩: on a break, no calls.
    Break,
    /// 着信中: a call is offered and ringing.
    Ringing,
    /// 発信中: dialing out.
    Dialing,
    /// 通話中
    InCall,
    /// 通話中(転換): consulting a transfer target while the customer holds.
    Consulting,
    /// 保留中
    OnHold,
    /// 業務(チケット処理): after-call work.
    Wrapup,
}

crate::stored_names!(AgentStatus {
    LoggedOut => "logged_out",
    Busy => "busy",
    Ready => "ready",
    Break => "break",
    Ringing => "ringing",
    Dialing => "dialing",
    InCall => "in_call",
    Consulting => "consulting",
    OnHold => "on_hold",
    Wrapup => "wrapup",
});

impl AgentStatus {
    /// A call (offered, dialing or connected) belongs to the agent in this status.
    pub fn has_call(self) -> bool {
        matches!(
            self,
            AgentStatus::Ringing
                | AgentStatus::Dialing
                | AgentStatus::InCall
                | AgentStatus::Consulting
                | AgentStatus::OnHold
        )
    }

    /// Statuses an agent may pick by hand and that CTI settings may name as the status
    /// at login or after a missed offer.
    pub fn is_chosen(self) -> bool {
        matches!(self, AgentStatus::Busy | AgentStatus::Ready | AgentStatus::Break)
    }
}

/// Everything that can change an agent's status: the agent's own buttons and the events
/// of the phone system.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum AgentAction {
    /// CTIログイン
    CtiLogin,
    /// CTIログアウト
    CtiLogout,
    /// The agent picks 業務, 待機 or 休憩.
    Choose(AgentStatus),
    /// Routing offers a call (system).
    Offer,
    /// 応答
    Answer,
    /// The offer was not answered in time (system).
    OfferTimeout,
    /// The caller hung up while the offer rang (system).
    OfferWithdrawn,
    /// かける
    Dial,
    /// The dialled customer answered (system).
    DialAnswered,
    /// The dialled customer did not answer, was busy, or the agent cancelled.
    DialFailed,
    /// 保留
    Hold,
    /// 解除
    Release,
    /// 協議通話 / 接続 in the transfer popup.
    Consult,
    /// 顧客接続
    ConnectCustomer,
    /// キャンセル of the consult call.
    CancelConsult,
    /// 強制終了
    ForceEnd,
    /// 終話: the agent ends the call.
    HangUp,
    /// The customer ended the call (system).
    CallEnded,
    /// A supervisor sets the agent to 休憩, 業務 or CTI未ログイン from the board; during
    /// a call it waits until the call ends (routing holds it until then).
    Supervise(AgentStatus),
    /// 後処理の上限 has passed in 業務(チケット処理) (system): back to 待機.
    WrapupTimeout,
    /// The offer rang out, and it was the agent's Nth missed in a row (連続不応答で休憩,
    /// system): 休憩, with the reason 不在.
    AutoPause,
}

/// The reason of a 休憩 routing sets after offers missed in a row, as stored (shown
/// translated).
pub const AUTO_PAUSE_REASON: &str = "不在";

/// What a supervisor may set an agent to.
pub const SUPERVISED: [AgentStatus; 3] = [AgentStatus::Break, AgentStatus::Busy, AgentStatus::LoggedOut];

impl AgentAction {
    /// Actions the agent triggers with a button, as opposed to events of the phone system.
    pub fn is_agent_action(self) -> bool {
        !matches!(
            self,
            AgentAction::Offer
                | AgentAction::OfferTimeout
                | AgentAction::OfferWithdrawn
                | AgentAction::DialAnswered
                | AgentAction::CallEnded
                | AgentAction::Supervise(_)
                | AgentAction::WrapupTimeout
                | AgentAction::AutoPause
        )
    }
}

/// The tenant's CTI settings that the rules depend on (F3, F9).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Policy {
    /// The status an agent gets at CTI login.
    pub login_status: AgentStatus,
    /// Where an agent goes who let an offer ring out: stays 待機, or 業務.
    pub missed_offer_status: AgentStatus,
    /// Where an agent returns after a dial that did not connect.
    pub status_before_dial: AgentStatus,
}

impl Default for Policy {
    fn default() -> Self {
        Policy {
            login_status: AgentStatus::Busy,
            missed_offer_status: AgentStatus::Ready,
            status_before_dial: AgentStatus::Busy,
        }
    }
}

/// An action that the rules do not allow in the agent's current status.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
#[error("{action:?} is not allowed while {status:?}")]
pub struct RuleError {
    pub status: AgentStatus,
    pub action: AgentAction,
}

/// The transition table: where `action` leads from `status`, or why it may not happen.
pub fn next_status(status: AgentStatus, action: AgentAction, policy: &Policy) -> Result<AgentStatus, RuleError> {
    use AgentAction as A;
    use AgentStatus as S;
    // Statuses between calls: logged in, no call of one's own.
    let idle = matches!(status, S::Busy | S::Ready | S::Break | S::Wrapup);
    let next = match (status, action) {
        (S::LoggedOut, A::CtiLogin) => Some(policy.login_status),
        (_, A::CtiLogout) if idle => Some(S::LoggedOut),
        (_, A::Choose(target)) if idle && target.is_chosen() && target != status => Some(target),
        // Again to 休憩 too: a supervisor may change the reason.
        (_, A::Supervise(target)) if idle && SUPERVISED.contains(&target) => Some(target),
        (S::Ready, A::Offer) => Some(S::Ringing),
        (S::Ringing, A::Answer) => Some(S::InCall),
        (S::Ringing, A::OfferTimeout) => Some(policy.missed_offer_status),
        (S::Ringing, A::OfferWithdrawn) => Some(S::Ready),
        (S::Ringing, A::AutoPause) => Some(S::Break),
        (S::Wrapup, A::WrapupTimeout) => Some(S::Ready),
        (S::Busy | S::Ready | S::Wrapup, A::Dial) => Some(S::Dialing),
        (S::Dialing, A::DialAnswered) => Some(S::InCall),
        (S::Dialing, A::DialFailed) => Some(policy.status_before_dial),
        (S::InCall, A::Hold) => Some(S::OnHold),
        (S::OnHold, A::Release) => Some(S::InCall),
        (S::InCall, A::Consult) => Some(S::Consulting),
        (S::Consulting, A::ConnectCustomer) => Some(S::Wrapup),
        (S::Consulting, A::CancelConsult) => Some(S::OnHold),
        (S::InCall | S::OnHold, A::ForceEnd) => Some(S::Wrapup),
        (S::InCall | S::OnHold, A::HangUp) => Some(S::Wrapup),
        (S::InCall | S::OnHold | S::Consulting, A::CallEnded) => Some(S::Wrapup),
        _ => None,
    };
    next.ok_or(RuleError { status, action })
}

/// Whether the agent may press the button for `action` now.
pub fn allowed(status: AgentStatus, action: AgentAction, policy: &Policy) -> bool {
    next_status(status, action, policy).is_ok()
}

#[cfg(test)]
mod tests {
    use super::*;
    use AgentAction as A;
    use AgentStatus as S;

    fn all_actions() -> Vec<AgentAction> {
        let mut v = vec![
            A::CtiLogin,
            A::CtiLogout,
            A::Offer,
            A::Answer,
            A::OfferTimeout,
            A::OfferWithdrawn,
            A::Dial,
            A::DialAnswered,
            A::DialFailed,
            A::Hold,
            A::Release,
            A::Consult,
            A::ConnectCustomer,
            A::CancelConsult,
            A::ForceEnd,
            A::HangUp,
            A::CallEnded,
            A::WrapupTimeout,
            A::AutoPause,
        ];
        v.extend(S::ALL.into_iter().map(A::Choose));
        v.extend(S::ALL.into_iter().map(A::Supervise));
        v
    }

    /// The whole table, written out as the specification reads: every pair not listed
    /// here must be refused.
    fn expected(status: S, action: A) -> Option<S> {
        let p = Policy::default();
        let idle = [S::Busy, S::Ready, S::Break, S::Wrapup];
        match action {
            A::CtiLogin => (status == S::LoggedOut).then_some(p.login_status),
            A::CtiLogout => idle.contains(&status).then_some(S::LoggedOut),
            A::Choose(t) => {
                (idle.contains(&status) && [S::Busy, S::Ready, S::Break].contains(&t) && t != status).then_some(t)
            }
            A::Offer => (status == S::Ready).then_some(S::Ringing),
            A::Answer => (status == S::Ringing).then_some(S::InCall),
            A::OfferTimeout => (status == S::Ringing).then_some(p.missed_offer_status),
            A::OfferWithdrawn => (status == S::Ringing).then_some(S::Ready),
            A::Dial => [S::Busy, S::Ready, S::Wrapup].contains(&status).then_some(S::Dialing),
            A::DialAnswered => (status == S::Dialing).then_some(S::InCall),
            A::DialFailed => (status == S::Dialing).then_some(p.status_before_dial),
            A::Hold => (status == S::InCall).then_some(S::OnHold),
            A::Release => (status == S::OnHold).then_some(S::InCall),
            A::Consult => (status == S::InCall).then_some(S::Consulting),
            A::ConnectCustomer => (status == S::Consulting).then_some(S::Wrapup),
            A::CancelConsult => (status == S::Consulting).then_some(S::OnHold),
            A::ForceEnd | A::HangUp => [S::InCall, S::OnHold].contains(&status).then_some(S::Wrapup),
            A::CallEnded => [S::InCall, S::OnHold, S::Consulting].contains(&status).then_some(S::Wrapup),
            A::WrapupTimeout => (status == S::Wrapup).then_some(S::Ready),
            A::AutoPause => (status == S::Ringing).then_some(S::Break),
            A::Supervise(t) => (idle.contains(&status) && [S::Break, S::Busy, S::LoggedOut].contains(&t)).then_some(t),
        }
    }

    #[test]
    fn every_status_and_action_pair_follows_the_table() {
        let p = Policy::default();
        for status in S::ALL {
            for action in all_actions() {
                let got = next_status(status, action, &p).ok();
                assert_eq!(got, expected(status, action), "{status:?} × {action:?}");
            }
        }
    }

    #[test]
    fn refused_action_names_status_and_action() {
        let err = next_status(S::Ringing, A::Choose(S::Break), &Policy::default()).unwrap_err();
        assert_eq!(err, RuleError { status: S::Ringing, action: A::Choose(S::Break) });
    }

    #[test]
    fn cti_login_takes_the_configured_status() {
        let p = Policy { login_status: S::Ready, ..Policy::default() };
        assert_eq!(next_status(S::LoggedOut, A::CtiLogin, &p), Ok(S::Ready));
    }

    #[test]
    fn missed_offer_goes_where_settings_say() {
        let p = Policy { missed_offer_status: S::Busy, ..Policy::default() };
        assert_eq!(next_status(S::Ringing, A::OfferTimeout, &p), Ok(S::Busy));
    }

    #[test]
    fn no_call_is_offered_outside_ready() {
        for s in S::ALL.into_iter().filter(|s| *s != S::Ready) {
            assert!(!allowed(s, A::Offer, &Policy::default()), "{s:?}");
        }
    }

    #[test]
    fn every_call_end_leads_to_after_call_work() {
        for s in [S::InCall, S::OnHold, S::Consulting] {
            assert_eq!(next_status(s, A::CallEnded, &Policy::default()), Ok(S::Wrapup));
        }
    }

    #[test]
    fn stored_names_round_trip() {
        for s in S::ALL {
            assert_eq!(S::parse(s.as_str()), Some(s));
        }
    }
}
