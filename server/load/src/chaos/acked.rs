//! What the server acknowledged during a crash run, and the calls customers made.

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::{SystemTime, UNIX_EPOCH};

/// Milliseconds since the epoch, the store's clock.
pub fn now_ms() -> i64 {
    SystemTime::now().duration_since(UNIX_EPOCH).map(|d| d.as_millis() as i64).unwrap_or(0)
}

/// A status change the server acknowledged: asked at `sent`, answered at `acked`.
#[derive(Clone, Copy)]
pub(super) struct StatusAck {
    pub(super) agent: usize,
    pub(super) status: &'static str,
    pub(super) sent: i64,
    pub(super) acked: i64,
}

/// What the server acknowledged, and the calls customers made.
#[derive(Default)]
pub struct Acked {
    pub(super) statuses: Mutex<Vec<StatusAck>>,
    /// 応答s answered: call id → the agent.
    pub(super) answers: Mutex<HashMap<String, usize>>,
    pub(super) made: Mutex<Vec<String>>,
    /// 応答s of one call acknowledged to two agents: (call, first agent, second).
    pub(super) answered_twice: Mutex<Vec<(String, usize, usize)>>,
    /// The last status each agent's stream showed, with its revision.
    pub(super) seen: Mutex<HashMap<usize, (u64, String)>>,
}

impl Acked {
    pub fn status(&self, agent: usize, status: &'static str, sent: i64) {
        let acked = now_ms();
        self.statuses.lock().unwrap_or_else(|e| e.into_inner()).push(StatusAck { agent, status, sent, acked });
    }

    pub fn answer(&self, call_id: &str, agent: usize) {
        let before = self.answers.lock().unwrap_or_else(|e| e.into_inner()).insert(call_id.to_owned(), agent);
        if let Some(first) = before.filter(|a| *a != agent) {
            self.answered_twice.lock().unwrap_or_else(|e| e.into_inner()).push((call_id.to_owned(), first, agent));
        }
    }

    /// A view `agent`'s stream showed: kept if it is newer than the last.
    pub fn seen(&self, agent: usize, view: &serde_json::Value) {
        let (Some(revision), Some(status)) = (view["revision"].as_u64(), view["status"].as_str()) else { return };
        let mut seen = self.seen.lock().unwrap_or_else(|e| e.into_inner());
        let last = seen.entry(agent).or_insert((0, String::new()));
        if revision >= last.0 {
            *last = (revision, status.to_owned());
        }
    }

    pub(super) fn made(&self, call_id: String) {
        self.made.lock().unwrap_or_else(|e| e.into_inner()).push(call_id);
    }
}
