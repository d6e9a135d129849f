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
}

impl Acked {
    pub fn status(&self, agent: usize, status: &'static str, sent: i64) {
        let acked = now_ms();
        self.statuses.lock().unwrap_or_else(|e| e.into_inner()).push(StatusAck { agent, status, sent, acked });
    }

    pub fn answer(&self, call_id: &str, agent: usize) {
        self.answers.lock().unwrap_or_else(|e| e.into_inner()).insert(call_id.to_owned(), agent);
    }

    pub(super) fn made(&self, call_id: String) {
        self.made.lock().unwrap_or_else(|e| e.into_inner()).push(call_id);
    }
}
