//! Agents who talk in the browser (`Endpoint::Browser`): each has a phone window whose
//! WebRTC connection to ringdesk carries their calls' audio. This module answers those
//! connections, keeps one per agent (the newest: a second window takes the phone over,
//! and the first is told so), tells routing whether each agent's audio is ready, and
//! gives calls the agent's line (`Line`) to talk on. The telephone side of a call (the
//! simulator's customer, a SIP trunk's relay) does not know a browser is behind it.

mod connection;
pub mod line;
pub mod voice;

use std::collections::{HashMap, VecDeque};
use std::sync::{Arc, Mutex};

use app::model::{BrowserAudio, UserId};
use async_trait::async_trait;
use tokio::sync::mpsc;

pub use connection::{AnswerError, RtcSetup};
use connection::{Connection, Report, Wiring};
pub use line::{Line, Listening};

use crate::routing::RoutingHandle;

/// Why an offer was not answered.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum OfferError {
    #[error(transparent)]
    Refused(#[from] AnswerError),
    /// A restart of a connection ringdesk does not know (it restarted since).
    #[error("no such connection")]
    Gone,
    /// A restart of a connection another window has taken over since.
    #[error("the phone is open in another window")]
    Elsewhere,
    /// The telephone system's process did not answer (in a cluster).
    #[error("the telephone system did not answer")]
    Unreached,
}

/// What an agent's phone window asks of ringdesk's side of its connection: here
/// (`BrowserPhones`), or the telephone system's process in a cluster, whose media the
/// connection's is (`telephony::apart::browsers`).
#[async_trait]
pub trait PhoneWindows: Send + Sync {
    /// Answers the window's SDP offer (`BrowserPhones::offer`).
    async fn offer(&self, user: UserId, connection: &str, restart: bool, sdp: &str) -> Result<String, OfferError>;
    /// Ends the agent's connection, and tells routing their audio is closed.
    async fn close(&self, user: UserId);
    /// What only the window can know: it has no microphone, or may not use it.
    async fn problem(&self, user: UserId, audio: BrowserAudio);
}

/// Connections replaced by a newer window, remembered per agent so that the old window
/// is told it lost the phone rather than taking it back.
const REPLACED_KEPT: usize = 8;

#[derive(Default)]
struct AgentPhone {
    line: Arc<Line>,
    connection: tokio::sync::Mutex<Option<Connection>>,
    /// Whether `connection` holds one, for those who cannot wait on its lock.
    connected: std::sync::atomic::AtomicBool,
    replaced: Mutex<VecDeque<String>>,
}

#[derive(Clone)]
pub struct BrowserPhones {
    phones: Arc<Mutex<HashMap<UserId, Arc<AgentPhone>>>>,
    setup: RtcSetup,
    reports: mpsc::UnboundedSender<Report>,
    routing: RoutingHandle,
}

impl BrowserPhones {
    /// Starts with no connection; each agent's audio state goes to `routing`.
    pub fn new(setup: RtcSetup, routing: RoutingHandle) -> BrowserPhones {
        let (reports, mut rx) = mpsc::unbounded_channel::<Report>();
        let phones: Arc<Mutex<HashMap<UserId, Arc<AgentPhone>>>> = Arc::default();
        let me = BrowserPhones { phones: phones.clone(), setup, reports, routing: routing.clone() };
        tokio::spawn(async move {
            while let Some(r) = rx.recv().await {
                let Some(phone) = phones.lock().unwrap_or_else(|p| p.into_inner()).get(&r.user).cloned() else {
                    continue;
                };
                // Only the agent's current connection speaks for their audio.
                let current = phone.connection.lock().await.as_ref().is_some_and(|c| c.id == r.connection);
                if current {
                    tracing::debug!(user = r.user, connection = %r.connection, audio = ?r.audio, "browser phone");
                    routing.browser_audio(r.user, r.audio).await;
                }
            }
        });
        me
    }

    fn phone(&self, user: UserId) -> Arc<AgentPhone> {
        self.phones.lock().unwrap_or_else(|p| p.into_inner()).entry(user).or_default().clone()
    }

    /// The line of an agent whose phone window is connected, for a call to talk on.
    pub fn line(&self, user: UserId) -> Option<Arc<Line>> {
        let phone = self.phones.lock().unwrap_or_else(|p| p.into_inner()).get(&user).cloned()?;
        phone.connected.load(std::sync::atomic::Ordering::Relaxed).then(|| phone.line.clone())
    }
}

#[async_trait]
impl PhoneWindows for BrowserPhones {
    /// Answers the offer of `user`'s phone window for its connection `connection`:
    /// ringdesk's SDP answer. `restart`: the offer is a new one on a connection the
    /// window had (an ICE restart); otherwise the connection is new and replaces any
    /// other the agent has.
    async fn offer(&self, user: UserId, connection: &str, restart: bool, sdp: &str) -> Result<String, OfferError> {
        let phone = self.phone(user);
        let mut current = phone.connection.lock().await;
        if let Some(c) = current.as_ref().filter(|c| c.id == connection) {
            return Ok(c.renegotiate(sdp).await?);
        }
        if restart {
            let replaced = phone.replaced.lock().unwrap_or_else(|p| p.into_inner()).contains(&connection.to_owned());
            return Err(if replaced { OfferError::Elsewhere } else { OfferError::Gone });
        }
        let wiring = Wiring { user, line: phone.line.clone(), report: self.reports.clone() };
        let (fresh, answer) = Connection::answer(connection.to_owned(), sdp, &self.setup, wiring).await?;
        phone.connected.store(true, std::sync::atomic::Ordering::Relaxed);
        if let Some(old) = current.replace(fresh) {
            let mut replaced = phone.replaced.lock().unwrap_or_else(|p| p.into_inner());
            if replaced.len() == REPLACED_KEPT {
                replaced.pop_front();
            }
            replaced.push_back(old.id.clone());
            tracing::info!(user, "browser phone: a new window took the phone over");
        }
        Ok(answer)
    }

    /// Ends the agent's connection (they chose to talk on a phone of their own).
    async fn close(&self, user: UserId) {
        let phone = self.phones.lock().unwrap_or_else(|p| p.into_inner()).get(&user).cloned();
        if let Some(phone) = phone {
            phone.line.speak_to(None);
            phone.connection.lock().await.take();
            phone.connected.store(false, std::sync::atomic::Ordering::Relaxed);
        }
        self.routing.browser_audio(user, BrowserAudio::Closed).await;
    }

    async fn problem(&self, user: UserId, audio: BrowserAudio) {
        self.routing.browser_audio(user, audio).await;
    }
}
