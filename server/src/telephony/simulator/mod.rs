//! The built-in telephony simulator: a pretend telephone network with pretend
//! customers, driven over HTTP (`docs/simulator.md`). It is a product feature for demos
//! and tests, and it goes through the same `Telephony` trait and routing commands as a
//! real provider would. Like a real network it outlives a restart of ringdesk: its
//! lines are kept in the store.

mod api;
pub mod guard;
mod lines;
pub mod voice;

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use crate::routing::CallId;
use async_trait::async_trait;
use serde::{Deserialize, Serialize};

pub use api::router;

use super::{Telephony, TelephonyError};
use app::model::{CallDirection, EndReason};

use crate::routing::RoutingHandle;
use crate::store::{Store, StoreError, now_ms};
use crate::telephony::audio::Clip;
use crate::telephony::browser::BrowserPhones;
use app::domain::HoldMusic;
use app::model::UserId;
use voice::Voices;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum LineState {
    /// The customer hears ringing: the call waits in the queue or rings at an agent.
    Ringing,
    /// The customer talks to an agent.
    Connected,
    Ended,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Party {
    Customer,
    Agent,
    System,
}

/// Something the customer experienced, with its time.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct LineEvent {
    pub at_ms: i64,
    pub kind: String,
    /// What was played: the hold music's name, a message's words.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub detail: Option<String>,
}

/// One simulated customer's call, as the customer experiences it. For an outbound call
/// `from` is the caller ID the customer's phone showed and `to` the customer.
#[derive(Clone, Debug, Serialize)]
pub struct SimCall {
    pub call_id: String,
    pub direction: CallDirection,
    pub from: String,
    pub to: Option<String>,
    pub state: LineState,
    pub created_at_ms: i64,
    pub answered_at_ms: Option<i64>,
    pub ended_at_ms: Option<i64>,
    pub ended_by: Option<Party>,
    /// The hold music the customer hears now, if they are held.
    pub hold_music: Option<String>,
    pub events: Vec<LineEvent>,
    /// What the customer heard, where they talked to an agent in the browser.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub heard: Option<crate::telephony::audio::hearing::Heard>,
}

impl SimCall {
    fn record(&mut self, kind: &str) {
        self.record_with(kind, None);
    }

    fn record_with(&mut self, kind: &str, detail: Option<String>) {
        self.events.push(LineEvent { at_ms: now_ms(), kind: kind.to_owned(), detail });
    }

    fn stop_hold_music(&mut self) {
        if self.hold_music.take().is_some() {
            self.record("hold_music_stopped");
        }
    }

    /// The hold music playing after these events.
    fn hold_music_after(events: &[LineEvent]) -> Option<String> {
        events.iter().rev().find_map(|e| match e.kind.as_str() {
            "hold_music_started" => Some(e.detail.clone()),
            "hold_music_stopped" | "connected" => Some(None),
            _ => None,
        })?
    }

    fn end(&mut self, by: Party, kind: &str) {
        let now = now_ms();
        self.hold_music = None;
        self.state = LineState::Ended;
        self.ended_at_ms = Some(now);
        self.ended_by = Some(by);
        self.record(kind);
    }
}

/// How a simulated customer's phone behaves when ringdesk calls it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "behaviour", rename_all = "snake_case")]
pub enum Behaviour {
    /// Picks up after `after_ms`.
    Answer { after_ms: u64 },
    /// Rings for `after_ms`, then the network gives up.
    NoAnswer { after_ms: u64 },
    /// The line is busy.
    Busy,
    /// The phone refuses the call.
    Reject,
}

impl Default for Behaviour {
    fn default() -> Self {
        Behaviour::Answer { after_ms: 1_000 }
    }
}

/// A line that has not ended.
const UP: &[LineState] = &[LineState::Ringing, LineState::Connected];

#[derive(Clone)]
pub struct Simulator {
    calls: Arc<Mutex<HashMap<String, SimCall>>>,
    /// Per customer number, E.164; numbers not here answer after a second.
    behaviours: Arc<Mutex<HashMap<String, Behaviour>>>,
    routing: RoutingHandle,
    store: Store,
    /// The customers' voices, for agents who talk in the browser.
    voices: Voices,
    /// The agent each outbound call was placed for, until the customer answers.
    dialled_by: Arc<Mutex<HashMap<String, UserId>>>,
    media_dir: std::path::PathBuf,
}

impl Simulator {
    /// The simulator with the lines that were up when the server last stopped.
    pub async fn load(
        store: Store,
        routing: RoutingHandle,
        browser: BrowserPhones,
        media_dir: std::path::PathBuf,
    ) -> Result<Simulator, StoreError> {
        let live = lines::live(&store).await?;
        let calls = live.into_iter().map(|c| (c.call_id.clone(), c)).collect();
        Ok(Simulator {
            calls: Arc::new(Mutex::new(calls)),
            behaviours: Arc::default(),
            routing,
            store,
            voices: Voices::new(browser),
            dialled_by: Arc::default(),
            media_dir,
        })
    }

    /// The recording the customers of a tenant hear on hold with `music`.
    async fn hold_clip(&self, music: HoldMusic) -> Arc<Clip> {
        match music {
            HoldMusic::Builtin(name) => Arc::new(Clip::builtin_music(&self.media_dir, name)),
            HoldMusic::Own { tenant_id, .. } => match self.store.hold_music_samples(tenant_id).await {
                Ok(Some((_, samples))) if !samples.is_empty() => {
                    Arc::new(Clip { name: format!("tenant {tenant_id}'s hold music"), samples: samples.into() })
                }
                _ => Arc::new(Clip::silence(1000)),
            },
        }
    }

    fn with_calls<T>(&self, f: impl FnOnce(&mut HashMap<String, SimCall>) -> T) -> T {
        f(&mut self.calls.lock().unwrap_or_else(|p| p.into_inner()))
    }

    /// A line as the customer experiences it, ended ones included.
    pub async fn call(&self, id: &str) -> Option<SimCall> {
        let call = match self.with_calls(|calls| calls.get(id).cloned()) {
            Some(c) => Some(c),
            None => lines::find(&self.store, id).await.ok().flatten(),
        };
        call.map(|c| SimCall { heard: self.voices.heard(id), ..c })
    }

    /// The last seconds the customer of a call still up heard (8 kHz samples).
    pub fn recording(&self, id: &str) -> Option<Vec<i16>> {
        self.voices.recording(id)
    }

    /// Changes a line if `change` allows it, then keeps it in the store; answers the
    /// line as changed, or why not.
    async fn change<E>(
        &self,
        id: &str,
        change: impl FnOnce(&mut SimCall) -> Result<(), E>,
        unknown: impl FnOnce() -> E,
    ) -> Result<SimCall, E> {
        let line = self.with_calls(|calls| match calls.get_mut(id) {
            Some(c) => change(c).map(|()| c.clone()),
            None => Err(unknown()),
        })?;
        match lines::save(&self.store, &line).await {
            // An ended line changes no more: it leaves memory (the store answers for it),
            // so a simulator that runs for days does not grow with every call it made.
            Ok(()) if line.state == LineState::Ended => {
                self.with_calls(|calls| calls.remove(id));
                self.voices.end(id);
                self.dialled_by.lock().unwrap_or_else(|p| p.into_inner()).remove(id);
            }
            Ok(()) => {}
            Err(e) => tracing::error!(error = %e, call = id, "simulator: cannot keep the line"),
        }
        Ok(line)
    }

    /// Does `act` to a line that is in one of `states`; to ringdesk, a line in another
    /// state (or unknown) is gone.
    async fn act_on(
        &self,
        call_id: &str,
        states: &[LineState],
        act: impl FnOnce(&mut SimCall),
    ) -> Result<(), TelephonyError> {
        let gone = || TelephonyError::Gone(call_id.into());
        self.change(
            call_id,
            |c| {
                if !states.contains(&c.state) {
                    return Err(gone());
                }
                act(c);
                Ok(())
            },
            gone,
        )
        .await
        .map(|_| ())
    }

    pub fn set_behaviour(&self, number: String, behaviour: Behaviour) {
        self.behaviours.lock().unwrap_or_else(|p| p.into_inner()).insert(number, behaviour);
    }

    pub fn behaviour(&self, number: &str) -> Behaviour {
        self.behaviours.lock().unwrap_or_else(|p| p.into_inner()).get(number).copied().unwrap_or_default()
    }

    /// The customer's side of an outbound call, played out in time.
    async fn play_outbound(self, call_id: String, behaviour: Behaviour) {
        use tokio::time::{Duration, sleep};
        let (wait_ms, outcome) = match behaviour {
            Behaviour::Answer { after_ms } => (after_ms, None),
            Behaviour::NoAnswer { after_ms } => (after_ms, Some((EndReason::NoAnswer, "no_answer"))),
            Behaviour::Busy => (200, Some((EndReason::Busy, "busy"))),
            Behaviour::Reject => (200, Some((EndReason::Rejected, "rejected"))),
        };
        sleep(Duration::from_millis(wait_ms)).await;
        let still_ringing = |c: &mut SimCall| if c.state == LineState::Ringing { Ok(()) } else { Err(()) };
        match outcome {
            None => {
                let answered = self
                    .change(
                        &call_id,
                        |c| {
                            still_ringing(c)?;
                            c.state = LineState::Connected;
                            c.answered_at_ms = Some(now_ms());
                            c.record("answered");
                            Ok(())
                        },
                        || (),
                    )
                    .await;
                if answered.is_ok() {
                    let agent = self.dialled_by.lock().unwrap_or_else(|p| p.into_inner()).remove(&call_id);
                    if let Some(agent) = agent {
                        self.voices.connect(&call_id, agent).await;
                    }
                    self.routing.outbound_answered(call_id).await;
                }
            }
            Some((reason, kind)) => {
                let ended = self
                    .change(
                        &call_id,
                        |c| {
                            still_ringing(c)?;
                            c.end(Party::Customer, kind);
                            Ok(())
                        },
                        || (),
                    )
                    .await;
                if ended.is_ok() {
                    self.routing.outbound_failed(call_id, reason).await;
                }
            }
        }
    }

    async fn add(&self, line: SimCall) -> Result<(), StoreError> {
        lines::save(&self.store, &line).await?;
        self.with_calls(|calls| calls.insert(line.call_id.clone(), line));
        Ok(())
    }
}

#[async_trait]
impl Telephony for Simulator {
    async fn originate(
        &self,
        call_id: &CallId,
        caller_id: &str,
        to: &str,
        agent: app::model::UserId,
    ) -> Result<(), TelephonyError> {
        let now = now_ms();
        let line = SimCall {
            call_id: call_id.to_string(),
            direction: CallDirection::Outbound,
            from: caller_id.to_owned(),
            to: Some(to.to_owned()),
            state: LineState::Ringing,
            created_at_ms: now,
            answered_at_ms: None,
            ended_at_ms: None,
            ended_by: None,
            hold_music: None,
            events: vec![LineEvent { at_ms: now, kind: "ringing".into(), detail: None }],
            heard: None,
        };
        self.add(line).await.map_err(|_| TelephonyError::Gone(call_id.clone()))?;
        self.dialled_by.lock().unwrap_or_else(|p| p.into_inner()).insert(call_id.to_string(), agent);
        tokio::spawn(self.clone().play_outbound(call_id.to_string(), self.behaviour(to)));
        Ok(())
    }

    async fn answer(&self, call_id: &CallId, user: app::model::UserId) -> Result<(), TelephonyError> {
        self.act_on(call_id, &[LineState::Ringing], |c| {
            c.stop_hold_music();
            c.state = LineState::Connected;
            c.answered_at_ms = Some(now_ms());
            c.record("connected");
        })
        .await?;
        self.voices.connect(call_id, user).await;
        Ok(())
    }

    async fn hang_up(&self, call_id: &CallId) -> Result<(), TelephonyError> {
        self.act_on(call_id, UP, |c| c.end(Party::Agent, "agent_hung_up")).await
    }

    async fn hold(&self, call_id: &CallId, music: Option<app::domain::HoldMusic>) -> Result<(), TelephonyError> {
        let name = music.map(app::domain::HoldMusic::name);
        self.act_on(call_id, &[LineState::Connected], |c| {
            match name {
                Some(m) => c.record_with("hold_music_started", Some(m.to_owned())),
                None => c.record("hold_music_stopped"),
            }
            c.hold_music = name.map(str::to_owned);
        })
        .await?;
        let clip = match music {
            Some(m) => Some(self.hold_clip(m).await),
            None => None,
        };
        self.voices.hold(call_id, clip);
        Ok(())
    }

    async fn transfer(
        &self,
        call_id: &CallId,
        leg_id: &CallId,
        target: &app::model::ConsultTarget,
    ) -> Result<(), TelephonyError> {
        if let app::model::ConsultTarget::Agent { user_id } = target {
            // Between two agents the customer's line stays as it is: they come off hold,
            // and talk to the colleague.
            self.voices.connect(call_id, *user_id).await;
            return self.hold(call_id, None).await;
        }
        let mut joined_to = None;
        self.act_on(leg_id, &[LineState::Connected], |leg| {
            joined_to = leg.to.clone();
            leg.end(Party::System, "bridged");
        })
        .await?;
        self.act_on(call_id, &[LineState::Connected], |c| {
            c.stop_hold_music();
            c.record_with("transferred", joined_to);
            c.end(Party::System, "left_for_transfer");
        })
        .await
    }

    async fn force_end(&self, call_id: &CallId, message: &str) -> Result<(), TelephonyError> {
        self.act_on(call_id, UP, |c| {
            c.stop_hold_music();
            c.record_with("message_played", Some(message.to_owned()));
            c.end(Party::Agent, "force_terminated");
        })
        .await
    }

    async fn drop_call(&self, call_id: &CallId) {
        let _ = self
            .change(
                call_id,
                |c| {
                    if c.state != LineState::Ended {
                        c.end(Party::System, "cut_off_by_restart");
                    }
                    Ok::<(), ()>(())
                },
                || (),
            )
            .await;
    }

    async fn calls_up(&self) -> Vec<CallId> {
        self.with_calls(|calls| {
            calls.values().filter(|c| c.state != LineState::Ended).map(|c| c.call_id.as_str().into()).collect()
        })
    }

    async fn waiting_calls(&self) -> Vec<CallId> {
        self.with_calls(|calls| {
            calls.values().filter(|c| c.state == LineState::Ringing).map(|c| c.call_id.as_str().into()).collect()
        })
    }
}
