//! The live state each browser watches: one `watch` channel per agent holds the agent's
//! latest phone view, and one per service the number of its callers waiting. A stream
//! that opens (or reopens) gets the current values at once, and a slow browser skips
//! values it has not drawn yet instead of queueing stale ones.
//!
//! The two are apart because they change at different rates for different audiences: a
//! call moving through a service changes one or two agents' phones but the waiting count
//! of everyone in the service. Pushing the count inside every agent's view made each call
//! re-render and send a full view to the whole floor.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use app::model::{AgentView, UserId};
use tokio::sync::watch;

/// What routing tells the browsers after a commit, as data: applied to this process's
/// hub, and (in a cluster) sent to every other instance's, whose streams serve the
/// tenant's agents and boards too.
#[derive(Clone, Debug, PartialEq, serde::Serialize, serde::Deserialize)]
pub enum Tell {
    /// An agent's phone, with the service whose queue their widget counts.
    View { user: UserId, service: Option<i32>, view: AgentView },
    /// A service's callers waiting, for its agents' widgets.
    Waiting { service: i32, count: u32 },
    /// An agent's row on the tenant's boards.
    FloorAgent { tenant: i32, row: app::model::FloorAgent },
    /// An agent taken off the tenant's boards.
    FloorGone { tenant: i32, user: UserId },
    /// A service's queue on the tenant's boards.
    FloorQueue { tenant: i32, service: i32, queue: crate::floor::Queue },
}

/// An agent's view, with the service whose queue their widget counts.
#[derive(Clone, Debug)]
pub struct Published {
    pub view: AgentView,
    pub service: Option<i32>,
}

#[derive(Clone)]
pub struct Hub {
    agents: Arc<Mutex<HashMap<UserId, watch::Sender<Published>>>>,
    queues: Arc<Mutex<HashMap<i32, watch::Sender<u32>>>>,
    /// Set when the server stops, so that open streams end and shutdown can finish.
    closing: watch::Sender<bool>,
    /// What the supervisors' boards watch.
    pub floors: crate::floor::Floors,
}

impl Default for Hub {
    fn default() -> Self {
        Hub {
            agents: Arc::default(),
            queues: Arc::default(),
            closing: watch::Sender::new(false),
            floors: crate::floor::Floors::default(),
        }
    }
}

impl Hub {
    pub fn tell(&self, tell: Tell) {
        match tell {
            Tell::View { user, service, view } => self.publish(user, service, view),
            Tell::Waiting { service, count } => self.publish_waiting(service, count),
            Tell::FloorAgent { tenant, row } => self.floors.agent(tenant, row),
            Tell::FloorGone { tenant, user } => self.floors.remove(tenant, user),
            Tell::FloorQueue { tenant, service, queue } => self.floors.queue(tenant, service, queue),
        }
    }

    /// Tells the agent's browsers their phone changed; a view that differs from the
    /// last one only in its revision wakes no one. (The clock in a view is stamped when
    /// a stream sends it.)
    pub fn publish(&self, user: UserId, service: Option<i32>, mut view: AgentView) {
        view.server_now_ms = 0;
        let next = Published { view, service };
        let mut agents = self.agents.lock().unwrap_or_else(|p| p.into_inner());
        match agents.get(&user) {
            Some(tx) => {
                tx.send_if_modified(|old| {
                    let changed = old.service != next.service
                        || AgentView { revision: next.view.revision, ..old.view.clone() } != next.view;
                    if changed {
                        *old = next;
                    }
                    changed
                });
            }
            None => {
                agents.insert(user, watch::Sender::new(next));
            }
        }
    }

    /// Tells the service's agents how many callers wait; the same count wakes no one.
    pub fn publish_waiting(&self, service: i32, count: u32) {
        let mut queues = self.queues.lock().unwrap_or_else(|p| p.into_inner());
        queues
            .entry(service)
            .or_insert_with(|| watch::Sender::new(0))
            .send_if_modified(|old| std::mem::replace(old, count) != count);
    }

    /// The service's waiting count now and from now on. A service nobody has published
    /// yet has no one waiting: routing publishes every count that is not zero.
    pub fn waiting(&self, service: i32) -> watch::Receiver<u32> {
        let mut queues = self.queues.lock().unwrap_or_else(|p| p.into_inner());
        queues.entry(service).or_insert_with(|| watch::Sender::new(0)).subscribe()
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
    pub fn subscribe(&self, user: UserId) -> Option<watch::Receiver<Published>> {
        let agents = self.agents.lock().unwrap_or_else(|p| p.into_inner());
        agents.get(&user).map(|tx| tx.subscribe())
    }
}
