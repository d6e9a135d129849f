//! Real calls over SIP (`RINGDESK_TELEPHONY=sip`, docs/telephony.md). The carrier's calls
//! come in on the trunk; agents' phones register here; ringdesk answers the customer,
//! rings the agent's phone and relays the audio between them.
//!
//! Routing never waits on the network: each `Telephony` call only hands the work to the
//! SIP worker (`worker.rs`) and returns, and what the network does (a phone answers, a
//! customer hangs up, a phone registers) comes back to routing as commands.

pub mod addressing;
pub mod digest;
mod kept;
pub mod media;
mod registrar;
pub mod sdp;
pub mod speech;
mod stack;
mod worker;

use std::net::SocketAddr;
use std::sync::Arc;

use crate::routing::CallId;
use app::model::UserId;
use async_trait::async_trait;
use tokio::sync::mpsc;

use super::{Telephony, TelephonyError};
use crate::config::SipConfig;
use crate::routing::RoutingHandle;
use crate::store::Store;
pub use media::RelayStats;

/// What routing asks of the SIP side; carried out by the worker, never waited for.
#[derive(Debug)]
pub(crate) enum Work {
    Ring {
        call_id: CallId,
        user: UserId,
    },
    /// かける: the agent's phone first, then the customer through the trunk.
    Dial {
        call_id: CallId,
        caller_id: String,
        to: String,
        user: UserId,
    },
    StopRinging {
        call_id: CallId,
        user: UserId,
    },
    Answer {
        call_id: CallId,
        user: UserId,
    },
    HangUp {
        call_id: CallId,
    },
    Hold {
        call_id: CallId,
        music: Option<app::domain::HoldMusic>,
    },
    ForceEnd {
        call_id: CallId,
        message: String,
    },
    /// 協議通話: the agent of `call_id` calls `target` on the leg `leg_id`.
    Consult {
        call_id: CallId,
        leg_id: CallId,
        target: app::model::ConsultTarget,
        caller_id: String,
        agent: UserId,
    },
    EndConsult {
        call_id: CallId,
    },
    /// 顧客接続.
    Transfer {
        call_id: CallId,
    },
}

#[derive(Debug, thiserror::Error)]
pub enum SipError {
    #[error("cannot listen for SIP on {0}: {1}")]
    Listen(SocketAddr, String),
}

/// The SIP provider, as routing sees it.
#[derive(Clone)]
pub struct SipTelephony {
    work: mpsc::UnboundedSender<Work>,
    /// Where SIP is heard (the port chosen, when the configuration said 0).
    pub addr: SocketAddr,
    pub stats: Arc<RelayStats>,
    stop: tokio_util::sync::CancellationToken,
}

impl SipTelephony {
    /// Listens on `RINGDESK_SIP_LISTEN` (UDP and TCP) and starts the worker.
    pub async fn start(
        config: SipConfig,
        routing: RoutingHandle,
        store: Store,
        region: phonenumber::country::Id,
        media_dir: std::path::PathBuf,
        voice: speech::Voice,
        browser: crate::telephony::browser::BrowserPhones,
    ) -> Result<SipTelephony, SipError> {
        let stack = stack::Stack::listen(&config).await?;
        end_kept_dialogs(&stack, &store).await;
        if config.trunk_register {
            tokio::spawn(register_with_carrier(stack.endpoint.clone(), config.clone(), stack.cancel.clone()));
        }
        let addr = stack.addr;
        let stop = stack.cancel.clone();
        let stats = Arc::new(RelayStats::default());
        let (work, rx) = mpsc::unbounded_channel();
        let speech = speech::Speech::new(voice);
        worker::spawn(
            worker::Setup { config, stack, routing, store, region, media_dir, stats: stats.clone(), speech, browser },
            rx,
        );
        tracing::info!(%addr, "SIP: listening (UDP and TCP)");
        tokio::spawn(report_media(stats.clone(), stop.clone()));
        Ok(SipTelephony { work, addr, stats, stop })
    }

    /// Stops listening. Calls up are not ended: like a crash, they are left to the next
    /// start, which ends them (`end_kept_dialogs`).
    pub fn stop(&self) {
        self.stop.cancel();
    }

    fn send(&self, work: Work) -> Result<(), TelephonyError> {
        self.work.send(work).map_err(|_| TelephonyError::Gone(CallId::default()))
    }
}

/// `RINGDESK_SIP_TRUNK_REGISTER=on`: ringdesk registers with the carrier (the first
/// trunk address) with its digest credentials, and again before each registration
/// expires; a failure is logged and retried after half a minute.
async fn register_with_carrier(
    endpoint: rsipstack::transaction::endpoint::EndpointInnerRef,
    config: SipConfig,
    stop: tokio_util::sync::CancellationToken,
) {
    use rsipstack::dialog::authenticate::Credential;
    use rsipstack::dialog::registration::Registration;
    let (Some(trunk), Some((user, password))) = (config.trunk.first(), config.trunk_credentials.clone()) else {
        return tracing::error!("SIP: RINGDESK_SIP_TRUNK_REGISTER needs RINGDESK_SIP_TRUNK and its user and password");
    };
    let Ok(server) = rsipstack::sip::Uri::try_from(format!("sip:{trunk}").as_str()) else { return };
    let credential = Credential { username: user, password, realm: None, auth_username: None };
    let mut registration = Registration::new(endpoint, Some(credential));
    loop {
        let wait = match registration.register(server.clone(), Some(REGISTER_EXPIRES)).await {
            Ok(r) if r.status_code.kind() == rsipstack::sip::StatusCodeKind::Successful => {
                let expires = registration.expires().clamp(60, REGISTER_EXPIRES);
                tracing::info!(%trunk, expires, "SIP: registered with the carrier");
                std::time::Duration::from_secs(u64::from(expires) * 4 / 5)
            }
            Ok(r) => {
                tracing::error!(%trunk, status = %r.status_code, "SIP: the carrier refused ringdesk's registration");
                std::time::Duration::from_secs(30)
            }
            Err(e) => {
                tracing::error!(%trunk, error = %e, "SIP: cannot register with the carrier");
                std::time::Duration::from_secs(30)
            }
        };
        tokio::select! {
            () = stop.cancelled() => return,
            () = tokio::time::sleep(wait) => {}
        }
    }
}

/// How long ringdesk asks the carrier to keep its registration (seconds).
const REGISTER_EXPIRES: u32 = 600;

/// Every 5 s while audio flows: packets relayed, played and dropped so far, logged under
/// the target `ringdesk::sip_media` (the load harness reads it for packet loss).
async fn report_media(stats: Arc<RelayStats>, stop: tokio_util::sync::CancellationToken) {
    use std::sync::atomic::Ordering::Relaxed;
    let mut last = (0, 0, 0, 0);
    loop {
        tokio::select! {
            () = stop.cancelled() => return,
            () = tokio::time::sleep(std::time::Duration::from_secs(5)) => {}
        }
        let now = (
            stats.received.load(Relaxed),
            stats.relayed.load(Relaxed),
            stats.played.load(Relaxed),
            stats.dropped.load(Relaxed),
        );
        if now != last {
            tracing::info!(target: "ringdesk::sip_media", received = now.0, relayed = now.1, played = now.2, dropped = now.3, "SIP media");
            last = now;
        }
    }
}

/// Calls up when the server last stopped cannot be carried on: each of their dialogs (the
/// carrier's, the agents' phones') is ended with a BYE rather than left open. Routing
/// closes the calls themselves (`server_restart`).
async fn end_kept_dialogs(stack: &stack::Stack, store: &Store) {
    let kept = match store.take_sip_dialogs().await {
        Ok(k) => k,
        Err(e) => return tracing::error!(error = %e, "SIP: the dialogs kept from before cannot be read"),
    };
    for row in kept {
        let Some(snapshot) = serde_json::from_str::<kept::KeptDialog>(&row.dialog).ok().and_then(|k| k.snapshot())
        else {
            tracing::warn!(call = row.call_id, "SIP: a kept dialog cannot be read back; it is left to time out");
            continue;
        };
        let id = snapshot.id.clone();
        if stack.dialogs.restore_from_snapshot(snapshot, stack.states.0.clone()).is_err() {
            continue;
        }
        if let Some(rsipstack::dialog::dialog::Dialog::Invite(dialog)) = stack.dialogs.get_dialog(&id) {
            tracing::info!(call = row.call_id, "SIP: ending a call left over from before the restart");
            tokio::spawn(async move {
                let _ = dialog.bye_with_reason("SIP;cause=503;text=\"server restarted\"".into()).await;
            });
        }
    }
}

#[async_trait]
impl Telephony for SipTelephony {
    async fn originate(
        &self,
        call_id: &CallId,
        caller_id: &str,
        to: &str,
        agent: UserId,
    ) -> Result<(), TelephonyError> {
        self.send(Work::Dial {
            call_id: call_id.clone(),
            caller_id: caller_id.to_owned(),
            to: to.to_owned(),
            user: agent,
        })
    }

    async fn ring_agent(&self, call_id: &CallId, user: UserId) {
        let _ = self.send(Work::Ring { call_id: call_id.clone(), user });
    }

    async fn stop_ringing(&self, call_id: &CallId, user: UserId) {
        let _ = self.send(Work::StopRinging { call_id: call_id.clone(), user });
    }

    async fn answer(&self, call_id: &CallId, user: UserId) -> Result<(), TelephonyError> {
        self.send(Work::Answer { call_id: call_id.clone(), user })
    }

    async fn hang_up(&self, call_id: &CallId) -> Result<(), TelephonyError> {
        self.send(Work::HangUp { call_id: call_id.clone() })
    }

    async fn hold(&self, call_id: &CallId, music: Option<app::domain::HoldMusic>) -> Result<(), TelephonyError> {
        self.send(Work::Hold { call_id: call_id.clone(), music })
    }

    async fn consult(
        &self,
        call_id: &CallId,
        leg_id: &CallId,
        target: &app::model::ConsultTarget,
        caller_id: &str,
        agent: UserId,
    ) -> Result<(), TelephonyError> {
        self.send(Work::Consult {
            call_id: call_id.clone(),
            leg_id: leg_id.clone(),
            target: target.clone(),
            caller_id: caller_id.to_owned(),
            agent,
        })
    }

    async fn consult_ended(&self, call_id: &CallId) {
        let _ = self.send(Work::EndConsult { call_id: call_id.clone() });
    }

    async fn transfer(
        &self,
        call_id: &CallId,
        _leg_id: &CallId,
        _target: &app::model::ConsultTarget,
    ) -> Result<(), TelephonyError> {
        self.send(Work::Transfer { call_id: call_id.clone() })
    }

    async fn force_end(&self, call_id: &CallId, message: &str) -> Result<(), TelephonyError> {
        self.send(Work::ForceEnd { call_id: call_id.clone(), message: message.to_owned() })
    }

    async fn waiting_calls(&self) -> Vec<CallId> {
        // SIP dialogs are not carried across a restart yet: a restarted server has none.
        Vec::new()
    }

    async fn drop_call(&self, _call_id: &CallId) {}

    fn needs_phones(&self) -> bool {
        true
    }
}
