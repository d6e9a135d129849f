//! Whether routing's tasks are alive, for `/health`: a server whose routing stopped
//! must not answer 200 while every phone action fails. A command that panics does not
//! stop routing (its state is read again from the store); this says how often that
//! happened, how many decisions each commit carried (group commit, `batch.rs`), and how
//! long its transactions held the store's writer (on SQLite, every tenant's batches
//! take turns on one writer: docs/BENCHMARKS.md, "Where SQLite stops").

use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::time::Duration;

#[derive(Debug, Default)]
pub struct Health {
    running: AtomicBool,
    /// The task routes its tenant: its state is read (in a cluster, under its lease).
    routing: AtomicBool,
    recoveries: AtomicU64,
    commits: AtomicU64,
    decisions: AtomicU64,
    open_us: AtomicU64,
    waited_us: AtomicU64,
}

/// What `/health` reports of routing.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct RoutingHealth {
    pub alive: bool,
    /// Commands that panicked since the start, each followed by a reload from the store.
    pub recoveries: u64,
    /// Transactions routing committed since the start, and the decisions in them.
    pub commits: u64,
    pub decisions: u64,
    /// How long those transactions were open, from their start to their commit, in
    /// all (ms); and how long their starts waited for a connection to the store.
    pub open_ms: u64,
    pub waited_ms: u64,
    /// Routing tasks: one per tenant, and one answering for no tenant known.
    pub tasks: u64,
    /// The tenants this instance routes (in a cluster, those whose lease it holds).
    pub tenants: Vec<i32>,
}

impl RoutingHealth {
    /// All of routing's tasks together: alive while every one is (and routing runs).
    /// A tenant counts as routed once its task routes it (`Health::routes`): in a
    /// cluster, not while it waits for the lease.
    pub fn of(started: bool, tasks: impl Iterator<Item = (Option<i32>, RoutingHealth, bool)>) -> RoutingHealth {
        let mut all = RoutingHealth {
            alive: started,
            recoveries: 0,
            commits: 0,
            decisions: 0,
            open_ms: 0,
            waited_ms: 0,
            tasks: 0,
            tenants: Vec::new(),
        };
        for (tenant, t, routes) in tasks {
            all.alive &= t.alive;
            all.recoveries += t.recoveries;
            all.commits += t.commits;
            all.decisions += t.decisions;
            all.open_ms += t.open_ms;
            all.waited_ms += t.waited_ms;
            all.tasks += 1;
            all.tenants.extend(tenant.filter(|_| routes));
        }
        all.tenants.sort_unstable();
        all
    }
}

impl Health {
    pub(super) fn started(&self) {
        self.running.store(true, Ordering::Relaxed);
    }

    /// The task routes its tenant from now on.
    pub(super) fn routing(&self) {
        self.routing.store(true, Ordering::Relaxed);
    }

    pub fn routes(&self) -> bool {
        self.routing.load(Ordering::Relaxed)
    }

    pub(super) fn stopped(&self) {
        self.running.store(false, Ordering::Relaxed);
    }

    pub(super) fn recovered(&self) {
        self.recoveries.fetch_add(1, Ordering::Relaxed);
    }

    pub(super) fn committed(&self, decisions: u64, held: super::batch::Held) {
        self.commits.fetch_add(1, Ordering::Relaxed);
        self.decisions.fetch_add(decisions, Ordering::Relaxed);
        self.open_us.fetch_add(micros(held.open), Ordering::Relaxed);
        self.waited_us.fetch_add(micros(held.waited), Ordering::Relaxed);
    }

    pub fn report(&self) -> RoutingHealth {
        RoutingHealth {
            alive: self.running.load(Ordering::Relaxed),
            recoveries: self.recoveries.load(Ordering::Relaxed),
            commits: self.commits.load(Ordering::Relaxed),
            decisions: self.decisions.load(Ordering::Relaxed),
            open_ms: self.open_us.load(Ordering::Relaxed) / 1000,
            waited_ms: self.waited_us.load(Ordering::Relaxed) / 1000,
            tasks: 1,
            tenants: Vec::new(),
        }
    }
}

fn micros(d: Duration) -> u64 {
    u64::try_from(d.as_micros()).unwrap_or(u64::MAX)
}
