//! The telephone system behind a trait. Routing tells it what to do with a call; what
//! customers do (call in, hang up) reaches routing as commands through its handle.
//! The built-in simulator is the embedded default; `sip` takes real calls.

pub mod apart;
pub mod audio;
pub mod browser;
pub mod simulator;
pub mod sip;

use app::domain::HoldMusic;
use app::model::{ConsultTarget, UserId};

pub use crate::routing::CallId;
use async_trait::async_trait;
use std::sync::Arc;

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum TelephonyError {
    #[error("the call {0} is not on the line any more")]
    Gone(CallId),
}

#[async_trait]
pub trait Telephony: Send + Sync {
    /// Places an outbound call to `to`, showing `caller_id`, for the agent `agent`.
    /// Whether the customer answers is reported later through the routing handle.
    async fn originate(&self, call_id: &CallId, caller_id: &str, to: &str, agent: UserId)
    -> Result<(), TelephonyError>;
    /// Connects the customer to the agent `user` who answered.
    async fn answer(&self, call_id: &CallId, user: UserId) -> Result<(), TelephonyError>;
    /// The call is offered to `user`: their phone rings too, where they have one.
    async fn ring_agent(&self, _call_id: &CallId, _user: UserId) {}
    /// The offer to `user` ended without their answer: their phone stops ringing.
    async fn stop_ringing(&self, _call_id: &CallId, _user: UserId) {}
    /// Whether agents need a phone of their own to be offered calls (with the
    /// simulator the widget is the phone).
    fn needs_phones(&self) -> bool {
        false
    }
    /// Ends the call from the agent's side.
    async fn hang_up(&self, call_id: &CallId) -> Result<(), TelephonyError>;
    /// Puts the customer on hold with `music` (F15), or back on the line (`None`).
    async fn hold(&self, call_id: &CallId, music: Option<HoldMusic>) -> Result<(), TelephonyError>;
    /// 協議通話: `agent`, whose customer on `call_id` is now held, calls `target` on the
    /// consult leg `leg_id`: a colleague's phone rings (where they have one), a number
    /// outside is dialled showing `caller_id`. Whether it answers comes back through the
    /// routing handle, as for a dial.
    async fn consult(
        &self,
        _call_id: &CallId,
        leg_id: &CallId,
        target: &ConsultTarget,
        caller_id: &str,
        agent: UserId,
    ) -> Result<(), TelephonyError> {
        match target {
            ConsultTarget::Number { number } => self.originate(leg_id, caller_id, number, agent).await,
            ConsultTarget::Agent { .. } => Ok(()),
        }
    }
    /// The consult on `call_id` ended without a transfer: its leg goes, and the agent is
    /// back with their customer, who is still on hold.
    async fn consult_ended(&self, _call_id: &CallId) {}
    /// 顧客接続: the customer of `call_id` is joined to the target on the consult leg
    /// `leg_id`, and the first agent leaves. A colleague takes the call over; with a
    /// number outside the call leaves ringdesk.
    async fn transfer(&self, call_id: &CallId, leg_id: &CallId, target: &ConsultTarget) -> Result<(), TelephonyError>;
    /// Plays `message` to the customer, then ends the call (強制終了, F14).
    async fn force_end(&self, call_id: &CallId, message: &str) -> Result<(), TelephonyError>;
    /// Calls whose customers are still waiting for an answer: after a restart of ours,
    /// the telephone system still holds them, and routing queues them again.
    async fn waiting_calls(&self) -> Vec<CallId>;
    /// Every call still up at the telephone system, ringing or connected: after a
    /// restart of ours, those routing does not carry on (consult legs, say) are dropped.
    async fn calls_up(&self) -> Vec<CallId> {
        self.waiting_calls().await
    }
    /// Ends a call ringdesk could not carry on (it was connected when ringdesk stopped).
    async fn drop_call(&self, call_id: &CallId);
    /// The telephone system as `tenant`'s routing uses it while it holds the lease
    /// `epoch` (`None`: this one as it is). A telephone system apart from the instances
    /// refuses work under an older epoch than it has seen for the tenant: an owner that
    /// froze and woke up late cannot ring, answer or hang up a call.
    fn for_routing(&self, _tenant: i32, _epoch: i64) -> Option<Arc<dyn Telephony>> {
        None
    }
    /// Whether the calls outlive the routing instance (a process apart): a tenant's new
    /// owner carries on the calls still connected, instead of closing them.
    fn outlives_routing(&self) -> bool {
        false
    }
}

/// A telephone system with no lines: what the server runs with when the simulator is
/// off and no other provider is configured. Nothing rings; nothing can be answered.
pub struct NoTelephony;

#[async_trait]
impl Telephony for NoTelephony {
    async fn originate(
        &self,
        call_id: &CallId,
        _caller_id: &str,
        _to: &str,
        _agent: UserId,
    ) -> Result<(), TelephonyError> {
        Err(TelephonyError::Gone(call_id.clone()))
    }
    async fn answer(&self, call_id: &CallId, _user: UserId) -> Result<(), TelephonyError> {
        Err(TelephonyError::Gone(call_id.clone()))
    }
    async fn hang_up(&self, _call_id: &CallId) -> Result<(), TelephonyError> {
        Ok(())
    }
    async fn hold(&self, call_id: &CallId, _music: Option<HoldMusic>) -> Result<(), TelephonyError> {
        Err(TelephonyError::Gone(call_id.clone()))
    }
    async fn force_end(&self, _call_id: &CallId, _message: &str) -> Result<(), TelephonyError> {
        Ok(())
    }
    async fn transfer(
        &self,
        call_id: &CallId,
        _leg_id: &CallId,
        _target: &ConsultTarget,
    ) -> Result<(), TelephonyError> {
        Err(TelephonyError::Gone(call_id.clone()))
    }
    async fn waiting_calls(&self) -> Vec<CallId> {
        Vec::new()
    }
    async fn drop_call(&self, _call_id: &CallId) {}
}
