//! The built-in telephony simulator: a pretend telephone network with pretend
//! customers, driven over HTTP (`docs/simulator.md`). It is a product feature for demos
//! and tests, and it goes through the same `Telephony` trait and routing commands as a
//! real provider would.

mod api;

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use async_trait::async_trait;
use serde::Serialize;

pub use api::router;

use super::{Telephony, TelephonyError};
use crate::routing::RoutingHandle;
use crate::store::now_ms;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum LineState {
    /// The customer hears ringing: the call waits in the queue or rings at an agent.
    Ringing,
    /// The customer talks to an agent.
    Connected,
    Ended,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Party {
    Customer,
    Agent,
    System,
}

/// Something the customer experienced, with its time.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct LineEvent {
    pub at_ms: i64,
    pub kind: &'static str,
}

/// One simulated customer's call, as the customer experiences it.
#[derive(Clone, Debug, Serialize)]
pub struct SimCall {
    pub call_id: String,
    pub from: String,
    pub to: Option<String>,
    pub state: LineState,
    pub created_at_ms: i64,
    pub answered_at_ms: Option<i64>,
    pub ended_at_ms: Option<i64>,
    pub ended_by: Option<Party>,
    pub events: Vec<LineEvent>,
}

impl SimCall {
    fn end(&mut self, by: Party, kind: &'static str) {
        let now = now_ms();
        self.state = LineState::Ended;
        self.ended_at_ms = Some(now);
        self.ended_by = Some(by);
        self.events.push(LineEvent { at_ms: now, kind });
    }
}

#[derive(Clone)]
pub struct Simulator {
    calls: Arc<Mutex<HashMap<String, SimCall>>>,
    routing: RoutingHandle,
}

impl Simulator {
    pub fn new(routing: RoutingHandle) -> Self {
        Simulator { calls: Arc::default(), routing }
    }

    fn with_calls<T>(&self, f: impl FnOnce(&mut HashMap<String, SimCall>) -> T) -> T {
        f(&mut self.calls.lock().unwrap_or_else(|p| p.into_inner()))
    }

    pub fn call(&self, id: &str) -> Option<SimCall> {
        self.with_calls(|calls| calls.get(id).cloned())
    }
}

#[async_trait]
impl Telephony for Simulator {
    async fn answer(&self, call_id: &str) -> Result<(), TelephonyError> {
        self.with_calls(|calls| match calls.get_mut(call_id) {
            Some(c) if c.state == LineState::Ringing => {
                let now = now_ms();
                c.state = LineState::Connected;
                c.answered_at_ms = Some(now);
                c.events.push(LineEvent { at_ms: now, kind: "connected" });
                Ok(())
            }
            _ => Err(TelephonyError::Gone(call_id.to_owned())),
        })
    }

    async fn hang_up(&self, call_id: &str) -> Result<(), TelephonyError> {
        self.with_calls(|calls| match calls.get_mut(call_id) {
            Some(c) if c.state != LineState::Ended => {
                c.end(Party::Agent, "agent_hung_up");
                Ok(())
            }
            _ => Err(TelephonyError::Gone(call_id.to_owned())),
        })
    }
}
