//! The live state each browser watches. One `watch` channel per agent holds the agent's
//! latest phone view: a stream that opens (or reopens) gets the current view at once,
//! and a slow browser skips views it has not drawn yet instead of queueing stale ones.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use app::model::{AgentView, UserId};
use tokio::sync::watch;

#[derive(Clone)]
pub struct Hub {
    agents: Arc<Mutex<HashMap<UserId, watch::Sender<AgentView>>>>,
    /// Set when the server stops, so that open streams end and shutdown can finish.
    closing: watch::Sender<bool>,
}

impl Default for Hub {
    fn default() -> Self {
        Hub { agents: Arc::default(), closing: watch::Sender::new(false) }
    }
}

impl Hub {
    /// Tells the agent's browsers their phone changed; a view that differs from the
    /// last one only in its revision wakes no one. (The clock in a view is stamped when
    /// a stream sends it.)
    pub fn publish(&self, user: UserId, mut view: AgentView) {
        view.server_now_ms = 0;
        let mut agents = self.agents.lock().unwrap_or_else(|p| p.into_inner());
        match agents.get(&user) {
            Some(tx) => {
                tx.send_if_modified(|old| {
                    let changed = AgentView { revision: view.revision, ..old.clone() } != view;
                    if changed {
                        *old = view;
                    }
                    changed
                });
            }
            None => {
                agents.insert(user, watch::Sender::new(view));
            }
        }
    }

    /// Ends every open stream.
    pub fn close(&self) {
        self.closing.send_replace(true);
    }

    /// Resolves when the server is stopping.
    pub fn closed(&self) -> impl std::future::Future<Output = ()> + Send + 'static {
        let mut rx = self.closing.subscribe();
        async move {
            let _ = rx.wait_for(|closing| *closing).await;
        }
    }

    /// The agent's view now and from now on; `None` for a user who is not an agent.
    pub fn subscribe(&self, user: UserId) -> Option<watch::Receiver<AgentView>> {
        let agents = self.agents.lock().unwrap_or_else(|p| p.into_inner());
        agents.get(&user).map(|tx| tx.subscribe())
    }
}
