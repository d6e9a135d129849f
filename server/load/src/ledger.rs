//! What happened to every call the harness made: when it was made, offered (to whom),
//! answered and ended, and the latencies that follow from those moments.

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use crate::stats::Samples;

#[derive(Default)]
struct Call {
    made: Option<Instant>,
    first_offer: Option<Instant>,
    offered_to: Vec<usize>,
    answered: bool,
    ended: bool,
}

#[derive(Default)]
struct Book {
    calls: HashMap<String, Call>,
    offer_latency: Samples,
    answer_latency: Samples,
    /// 応答 → the agent's softphone hears the customer (browser runs).
    audio_latency: Samples,
    /// Calls talking at once, now and at the most.
    talking: usize,
    peak_talking: usize,
    refused: usize,
    errors: Vec<String>,
}

#[derive(Default)]
pub struct Ledger(Mutex<Book>);

/// The ledger's totals at the end of a run.
pub struct Totals {
    pub made: usize,
    pub refused: usize,
    pub completed: usize,
    pub lost: usize,
    pub double_offered: usize,
    pub offer: String,
    pub answer: String,
    /// 応答 → audio at the agent, and how many calls talked at once at the most.
    pub audio: String,
    pub peak_talking: usize,
    pub errors: Vec<String>,
}

impl Ledger {
    fn with<T>(&self, f: impl FnOnce(&mut Book) -> T) -> T {
        f(&mut self.0.lock().unwrap_or_else(|e| e.into_inner()))
    }

    /// The call was asked for at `at` (before the request) and got `id`.
    pub fn made(&self, id: &str, at: Instant) {
        self.with(|b| {
            let c = b.calls.entry(id.to_owned()).or_default();
            c.made = Some(at);
            // The offer may have been pushed before the simulator's answer came back.
            if let Some(offer) = c.first_offer {
                b.offer_latency.push(offer.saturating_duration_since(at));
            }
        })
    }

    pub fn refused(&self, why: String) {
        self.with(|b| {
            b.refused += 1;
            b.errors.push(why);
        })
    }

    pub fn offered(&self, id: &str, agent: usize, at: Instant) {
        self.with(|b| {
            let c = b.calls.entry(id.to_owned()).or_default();
            if !c.offered_to.contains(&agent) {
                c.offered_to.push(agent);
            }
            if c.first_offer.is_none() {
                c.first_offer = Some(at);
                if let Some(made) = c.made {
                    b.offer_latency.push(at.saturating_duration_since(made));
                }
            }
        })
    }

    /// The agent's softphone heard the customer `took` after 応答 was asked.
    pub fn audio(&self, took: Duration) {
        self.with(|b| b.audio_latency.push(took));
    }

    /// A call starts talking (`true`) or stops.
    pub fn talking(&self, now: bool) {
        self.with(|b| {
            if now {
                b.talking += 1;
                b.peak_talking = b.peak_talking.max(b.talking);
            } else {
                b.talking = b.talking.saturating_sub(1);
            }
        });
    }

    pub fn answered(&self, id: &str, took: Duration) {
        self.with(|b| {
            b.answer_latency.push(took);
            b.calls.entry(id.to_owned()).or_default().answered = true;
        })
    }

    pub fn ended(&self, id: &str, ok: bool) {
        self.with(|b| {
            b.calls.entry(id.to_owned()).or_default().ended = ok;
        })
    }

    pub fn failed(&self, id: &str, why: String) {
        self.with(|b| b.errors.push(format!("call {id}: {why}")))
    }

    pub fn error(&self, why: String) {
        self.with(|b| b.errors.push(why))
    }

    /// Calls made and not yet ended.
    /// The offer latencies recorded so far, from the `from`-th on: a soak's window.
    pub fn offer_latencies_since(&self, from: usize) -> (Vec<Duration>, usize) {
        self.with(|b| {
            let all = b.offer_latency.all();
            (all.get(from..).unwrap_or_default().to_vec(), all.len())
        })
    }

    pub fn in_flight(&self) -> usize {
        self.with(|b| b.calls.values().filter(|c| c.made.is_some() && !c.ended).count())
    }

    pub fn completed(&self) -> usize {
        self.with(|b| b.calls.values().filter(|c| c.ended).count())
    }

    pub fn totals(&self) -> Totals {
        self.with(|b| {
            let made: Vec<&Call> = b.calls.values().filter(|c| c.made.is_some()).collect();
            Totals {
                made: made.len(),
                refused: b.refused,
                completed: made.iter().filter(|c| c.ended).count(),
                lost: made.iter().filter(|c| !(c.answered && c.ended)).count(),
                double_offered: b.calls.values().filter(|c| c.offered_to.len() > 1).count(),
                offer: b.offer_latency.summary(),
                answer: b.answer_latency.summary(),
                audio: b.audio_latency.summary(),
                peak_talking: b.peak_talking,
                errors: b.errors.iter().take(5).cloned().collect(),
            }
        })
    }
}
