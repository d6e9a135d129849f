//! The telephone system as an instance sees it when it runs in a process of its own
//! (`RINGDESK_ROLE=web`): each of the `Telephony` trait's calls is sent on the bus and
//! answered by that process (`serve.rs`).

use std::sync::Arc;
use std::time::Duration;

use app::domain::HoldMusic;
use app::model::{ConsultTarget, UserId};
use async_trait::async_trait;

use super::work::{Done, Sent, Work};
use crate::routing::CallId;
use crate::telephony::{Telephony, TelephonyError};

/// How long one piece of work waits for its answer.
const WORK_TIMEOUT: Duration = Duration::from_secs(5);
/// How long work waits for a telephone system to answer at all (one restarting).
const RESTART_WAIT: Duration = Duration::from_secs(5);
const RETRY: Duration = Duration::from_millis(50);

/// Why work was not answered.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Unreached {
    /// No telephone system listens: the work was not done.
    NoOne,
    /// Sent, and no answer came: it may have been done.
    Lost,
}

#[derive(Clone)]
pub struct RemoteTelephony {
    client: async_nats::Client,
    subject: String,
    /// Whether agents need phones of their own (SIP): the process apart runs the
    /// telephony this instance was configured with.
    needs_phones: bool,
    /// The tenant and lease epoch of the routing that uses this handle.
    lease: Option<(i32, i64)>,
}

impl RemoteTelephony {
    pub fn new(client: async_nats::Client, cluster: &str, needs_phones: bool) -> RemoteTelephony {
        RemoteTelephony { client, subject: super::subject(cluster), needs_phones, lease: None }
    }

    async fn send_once(&self, work: &Work) -> Result<Done, Unreached> {
        use async_nats::RequestErrorKind;
        let sent = Sent { lease: self.lease, work: work.clone() };
        let payload = serde_json::to_vec(&sent).map_err(|_| Unreached::Lost)?;
        let asked = self.client.request(self.subject.clone(), payload.into());
        match tokio::time::timeout(WORK_TIMEOUT, asked).await {
            Ok(Ok(reply)) => serde_json::from_slice(&reply.payload).map_err(|_| Unreached::Lost),
            Ok(Err(e)) if e.kind() == RequestErrorKind::NoResponders => Err(Unreached::NoOne),
            _ => Err(Unreached::Lost),
        }
    }

    /// Sends `work`, waiting for a telephone system that is restarting.
    async fn send(&self, work: Work) -> Result<Done, Unreached> {
        let deadline = tokio::time::Instant::now() + RESTART_WAIT;
        loop {
            match self.send_once(&work).await {
                Err(Unreached::NoOne) if tokio::time::Instant::now() < deadline => tokio::time::sleep(RETRY).await,
                answer => {
                    if let Err(why) = answer {
                        tracing::warn!(?why, ?work, "telephony apart: no answer");
                    }
                    return answer;
                }
            }
        }
    }

    /// Sends work that needs no answer (ringing an agent's phone, dropping a line):
    /// NATS keeps it in order with the work this routing sends after it.
    async fn tell(&self, work: Work) {
        let sent = Sent { lease: self.lease, work };
        match serde_json::to_vec(&sent) {
            Ok(payload) => {
                if let Err(e) = self.client.publish(self.subject.clone(), payload.into()).await {
                    tracing::warn!(error = %e, work = ?sent.work, "telephony apart: cannot send");
                }
            }
            Err(e) => tracing::warn!(error = %e, "telephony apart: unwritable work"),
        }
    }

    /// Does work on `call_id`: anything but its doing is, to routing, a line gone.
    async fn on_line(&self, call_id: &CallId, work: Work) -> Result<(), TelephonyError> {
        match self.send(work).await {
            Ok(Done::Ok) => Ok(()),
            _ => Err(TelephonyError::Gone(call_id.clone())),
        }
    }

    /// Which calls the telephone system holds: asked until it answers, since routing
    /// that read none would close every call it does not hear of.
    async fn calls(&self, work: Work) -> Vec<CallId> {
        let mut wait = RETRY;
        loop {
            match self.send_once(&work).await {
                Ok(Done::Calls { calls }) => return calls,
                Ok(Done::Stale) => return Vec::new(),
                other => tracing::warn!(?other, "telephony apart: cannot read the calls up; asking again"),
            }
            tokio::time::sleep(wait).await;
            wait = (wait * 2).min(Duration::from_secs(1));
        }
    }
}

#[async_trait]
impl Telephony for RemoteTelephony {
    async fn originate(
        &self,
        call_id: &CallId,
        caller_id: &str,
        to: &str,
        agent: UserId,
    ) -> Result<(), TelephonyError> {
        let work =
            Work::Originate { call_id: call_id.clone(), caller_id: caller_id.to_owned(), to: to.to_owned(), agent };
        self.on_line(call_id, work).await
    }

    async fn answer(&self, call_id: &CallId, user: UserId) -> Result<(), TelephonyError> {
        self.on_line(call_id, Work::Answer { call_id: call_id.clone(), user }).await
    }

    async fn ring_agent(&self, call_id: &CallId, user: UserId) {
        self.tell(Work::RingAgent { call_id: call_id.clone(), user }).await;
    }

    async fn stop_ringing(&self, call_id: &CallId, user: UserId) {
        self.tell(Work::StopRinging { call_id: call_id.clone(), user }).await;
    }

    fn needs_phones(&self) -> bool {
        self.needs_phones
    }

    async fn hang_up(&self, call_id: &CallId) -> Result<(), TelephonyError> {
        self.on_line(call_id, Work::HangUp { call_id: call_id.clone() }).await
    }

    async fn hold(&self, call_id: &CallId, music: Option<HoldMusic>) -> Result<(), TelephonyError> {
        self.on_line(call_id, Work::Hold { call_id: call_id.clone(), music }).await
    }

    async fn consult(
        &self,
        call_id: &CallId,
        leg_id: &CallId,
        target: &ConsultTarget,
        caller_id: &str,
        agent: UserId,
    ) -> Result<(), TelephonyError> {
        let work = Work::Consult {
            call_id: call_id.clone(),
            leg_id: leg_id.clone(),
            target: target.clone(),
            caller_id: caller_id.to_owned(),
            agent,
        };
        self.on_line(call_id, work).await
    }

    async fn consult_ended(&self, call_id: &CallId) {
        self.tell(Work::ConsultEnded { call_id: call_id.clone() }).await;
    }

    async fn transfer(&self, call_id: &CallId, leg_id: &CallId, target: &ConsultTarget) -> Result<(), TelephonyError> {
        let work = Work::Transfer { call_id: call_id.clone(), leg_id: leg_id.clone(), target: target.clone() };
        self.on_line(call_id, work).await
    }

    async fn force_end(&self, call_id: &CallId, message: &str) -> Result<(), TelephonyError> {
        self.on_line(call_id, Work::ForceEnd { call_id: call_id.clone(), message: message.to_owned() }).await
    }

    async fn waiting_calls(&self) -> Vec<CallId> {
        self.calls(Work::WaitingCalls).await
    }

    async fn calls_up(&self) -> Vec<CallId> {
        self.calls(Work::CallsUp).await
    }

    async fn drop_call(&self, call_id: &CallId) {
        self.tell(Work::DropCall { call_id: call_id.clone() }).await;
    }

    fn for_routing(&self, tenant: i32, epoch: i64) -> Option<Arc<dyn Telephony>> {
        Some(Arc::new(RemoteTelephony { lease: Some((tenant, epoch)), ..self.clone() }))
    }

    fn outlives_routing(&self) -> bool {
        true
    }
}
