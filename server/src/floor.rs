//! The floor as the supervisors' boards see it, per tenant: every agent's row and every
//! service's queue, each stamped with the generation that last changed it. Routing
//! writes a row when an agent changes; a board remembers the generation it has drawn
//! and reads what is newer, at its own pace: a thousand agents changing a hundred times
//! a second cost a board one message a pace, never a queue of stale rows.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use app::model::{FloorAgent, UserId};
use tokio::sync::watch;

/// A service's callers waiting now.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Queue {
    pub waiting: u32,
    /// When the longest-waiting of them joined the queue.
    pub oldest_since_ms: Option<i64>,
}

#[derive(Default)]
struct Floor {
    generation: u64,
    agents: HashMap<UserId, (FloorAgent, u64)>,
    /// Agents taken off the floor, and when.
    gone: HashMap<UserId, u64>,
    queues: HashMap<i32, (Queue, u64)>,
    /// The generation, for boards to wait on.
    changed: Option<watch::Sender<u64>>,
}

impl Floor {
    fn bump(&mut self) -> u64 {
        self.generation += 1;
        if let Some(tx) = &self.changed {
            tx.send_replace(self.generation);
        }
        self.generation
    }
}

/// What changed on a floor since a generation.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Since {
    pub generation: u64,
    pub agents: Vec<FloorAgent>,
    pub gone: Vec<UserId>,
    pub queues: HashMap<i32, Queue>,
    /// Some queue changed (the day's figures may have).
    pub queues_changed: bool,
}

#[derive(Clone, Default)]
pub struct Floors {
    tenants: Arc<Mutex<HashMap<i32, Floor>>>,
}

impl Floors {
    fn with<T>(&self, tenant: i32, f: impl FnOnce(&mut Floor) -> T) -> T {
        let mut tenants = self.tenants.lock().unwrap_or_else(|p| p.into_inner());
        f(tenants.entry(tenant).or_default())
    }

    /// Whether anything of `tenant`'s floor has been heard here (in a cluster, an
    /// instance that does not route the tenant hears of it from the one that does).
    pub fn knows(&self, tenant: i32) -> bool {
        let tenants = self.tenants.lock().unwrap_or_else(|p| p.into_inner());
        tenants.get(&tenant).is_some_and(|f| f.generation > 0)
    }

    /// Agent `row.user_id` as they are now; the same row again wakes no board.
    pub fn agent(&self, tenant: i32, row: FloorAgent) {
        self.with(tenant, |f| {
            if f.agents.get(&row.user_id).is_some_and(|(old, _)| *old == row) {
                return;
            }
            let generation = f.bump();
            f.gone.remove(&row.user_id);
            f.agents.insert(row.user_id, (row, generation));
        });
    }

    /// Agent `user` is no longer on the floor.
    pub fn remove(&self, tenant: i32, user: UserId) {
        self.with(tenant, |f| {
            if f.agents.remove(&user).is_some() {
                let generation = f.bump();
                f.gone.insert(user, generation);
            }
        });
    }

    /// Service `service`'s queue now; the same queue again wakes no board.
    pub fn queue(&self, tenant: i32, service: i32, queue: Queue) {
        self.with(tenant, |f| {
            if f.queues.get(&service).is_some_and(|(old, _)| *old == queue) {
                return;
            }
            let generation = f.bump();
            f.queues.insert(service, (queue, generation));
        });
    }

    /// Everything newer than `generation` (all of it from 0), and a receiver that
    /// wakes when more changes.
    pub fn since(&self, tenant: i32, generation: u64) -> (Since, watch::Receiver<u64>) {
        self.with(tenant, |f| {
            let rx = f.changed.get_or_insert_with(|| watch::Sender::new(f.generation)).subscribe();
            let newer = |g: u64| g > generation;
            let since = Since {
                generation: f.generation,
                agents: f.agents.values().filter(|(_, g)| newer(*g)).map(|(a, _)| a.clone()).collect(),
                gone: f.gone.iter().filter(|(_, g)| newer(**g)).map(|(u, _)| *u).collect(),
                queues: f.queues.iter().map(|(s, (q, _))| (*s, *q)).collect(),
                queues_changed: f.queues.values().any(|(_, g)| newer(*g)),
            };
            (since, rx)
        })
    }
}

#[cfg(test)]
mod tests {
    use app::domain::AgentStatus;

    use super::*;

    fn row(user: UserId, status: AgentStatus) -> FloorAgent {
        FloorAgent {
            user_id: user,
            name: format!("agent {user}"),
            service_id: 1,
            status,
            since_ms: 0,
            reason: None,
            pending: None,
            call: None,
        }
    }

    #[test]
    fn a_board_reads_only_what_changed_since_it_last_looked() {
        let floors = Floors::default();
        floors.agent(1, row(7, AgentStatus::Ready));
        floors.agent(1, row(8, AgentStatus::Busy));
        let (all, _) = floors.since(1, 0);
        assert_eq!(all.agents.len(), 2);

        floors.agent(1, row(8, AgentStatus::Busy));
        floors.agent(1, row(7, AgentStatus::Ringing));
        floors.remove(1, 8);
        let (next, _) = floors.since(1, all.generation);
        assert_eq!(next.agents, [row(7, AgentStatus::Ringing)]);
        assert_eq!(next.gone, [8]);
        assert!(!next.queues_changed);

        floors.queue(1, 1, Queue { waiting: 2, oldest_since_ms: Some(5) });
        let (last, _) = floors.since(1, next.generation);
        assert!(last.agents.is_empty() && last.gone.is_empty() && last.queues_changed);
        assert_eq!(last.queues[&1].waiting, 2);
    }

    #[test]
    fn tenants_floors_are_apart_and_a_change_wakes_the_board() {
        let floors = Floors::default();
        let (_, rx) = floors.since(1, 0);
        floors.agent(2, row(7, AgentStatus::Ready));
        assert!(!rx.has_changed().unwrap());
        floors.agent(1, row(9, AgentStatus::Ready));
        assert!(rx.has_changed().unwrap());
        assert_eq!(floors.since(1, 0).0.agents, [row(9, AgentStatus::Ready)]);
    }
}
