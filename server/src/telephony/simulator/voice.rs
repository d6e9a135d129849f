//! The simulated customers' voices. A customer connected to an agent who talks in the
//! browser says something (a recorded Japanese sentence, or a steady tone a test can
//! recognise) over and over, and listens: what they heard (the agent, hold music,
//! silence) is kept for the last seconds, and `/sim` tells what it was. An agent on a
//! phone of their own has no audio with the simulator, so their customers are silent.

use std::collections::{HashMap, VecDeque};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use app::model::UserId;
use serde::Deserialize;
use tokio::sync::mpsc;
use tokio::time::MissedTickBehavior;

use crate::telephony::audio::hearing::{Heard, tone};
use crate::telephony::audio::{Clip, FRAME, Hearing};
use crate::telephony::browser::{BrowserPhones, Line, Listening};

/// What a simulated customer says.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case", tag = "kind")]
pub enum Says {
    /// A recorded sentence in Japanese (a customer asking after an order), then a pause.
    #[default]
    Sentence,
    /// A steady tone of `hz`.
    Tone { hz: u32 },
    /// Nothing.
    Silence,
}

/// The sentence (Open JTalk, voice "mei": see server/assets/README.md).
const SENTENCE: &[u8] = include_bytes!("../../../assets/customer-ja.wav");

/// Seconds of what the customer heard that are kept (and given as a WAV).
const KEPT_SECONDS: usize = 10;
/// Ended calls whose hearing is still told.
const ENDED_KEPT: usize = 200;

enum Control {
    /// The agent on the line (`None`: no one; the customer hears silence).
    Agent(Option<Arc<Line>>),
    /// Hold music (`None`: back to the agent).
    Hold(Option<Arc<Clip>>),
}

struct Voice {
    control: mpsc::UnboundedSender<Control>,
    hearing: Arc<Mutex<Hearing>>,
}

#[derive(Clone)]
pub struct Voices {
    browser: BrowserPhones,
    sentence: Arc<Clip>,
    says: Arc<Mutex<HashMap<String, Says>>>,
    live: Arc<Mutex<HashMap<String, Voice>>>,
    ended: Arc<Mutex<VecDeque<(String, Heard)>>>,
}

fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|p| p.into_inner())
}

impl Voices {
    pub fn new(browser: BrowserPhones) -> Voices {
        let sentence = Clip::embedded("customer-ja.wav", SENTENCE).expect("the built-in sentence is 8 kHz mono PCM");
        // The sentence, then a second and a half of the customer waiting for an answer.
        let samples: Vec<i16> = sentence.samples.iter().copied().chain(std::iter::repeat_n(0, 12_000)).collect();
        Voices {
            browser,
            sentence: Arc::new(Clip { name: sentence.name, samples: samples.into() }),
            says: Arc::default(),
            live: Arc::default(),
            ended: Arc::default(),
        }
    }

    /// What the customer of `call_id` will say once connected.
    pub fn will_say(&self, call_id: &str, says: Says) {
        lock(&self.says).insert(call_id.to_owned(), says);
    }

    fn clip_of(&self, says: Says) -> Arc<Clip> {
        match says {
            Says::Sentence => self.sentence.clone(),
            // A second of the tone: a whole number of cycles, so it loops without a click.
            Says::Tone { hz } => Arc::new(Clip { name: format!("{hz} Hz"), samples: tone(hz, 8000, 0, 8000).into() }),
            Says::Silence => Arc::new(Clip::silence(1000)),
        }
    }

    /// The customer of `call_id` now talks to `agent` (answered, or taken over by a
    /// colleague), if the agent talks in the browser.
    pub async fn connect(&self, call_id: &str, agent: UserId) {
        let line = self.browser.line(agent);
        let mut live = lock(&self.live);
        if let Some(v) = live.get(call_id) {
            let _ = v.control.send(Control::Agent(line));
            return;
        }
        let Some(line) = line else { return };
        let says = lock(&self.says).get(call_id).copied().unwrap_or_default();
        let (control, rx) = mpsc::unbounded_channel();
        let hearing = Arc::new(Mutex::new(Hearing::new(KEPT_SECONDS)));
        let _ = control.send(Control::Agent(Some(line)));
        tokio::spawn(talk(self.clip_of(says), rx, hearing.clone()));
        live.insert(call_id.to_owned(), Voice { control, hearing });
    }

    /// The customer of `call_id` hears `music` (held), or the agent again (`None`).
    pub fn hold(&self, call_id: &str, music: Option<Arc<Clip>>) {
        if let Some(v) = lock(&self.live).get(call_id) {
            let _ = v.control.send(Control::Hold(music));
        }
    }

    /// The call ended: the customer stops talking; what they heard is still told.
    pub fn end(&self, call_id: &str) {
        lock(&self.says).remove(call_id);
        let Some(voice) = lock(&self.live).remove(call_id) else { return };
        let heard = lock(&voice.hearing).heard();
        let mut ended = lock(&self.ended);
        if ended.len() == ENDED_KEPT {
            ended.pop_front();
        }
        ended.push_back((call_id.to_owned(), heard));
    }

    /// What the customer of `call_id` heard (`None`: they never talked to the browser).
    pub fn heard(&self, call_id: &str) -> Option<Heard> {
        if let Some(v) = lock(&self.live).get(call_id) {
            return Some(lock(&v.hearing).heard());
        }
        lock(&self.ended).iter().rev().find(|(id, _)| id == call_id).map(|(_, h)| h.clone())
    }

    /// The last seconds the customer of a call still up heard, as 8 kHz samples.
    pub fn recording(&self, call_id: &str) -> Option<Vec<i16>> {
        lock(&self.live).get(call_id).map(|v| lock(&v.hearing).recent())
    }
}

/// The customer's side, 20 ms at a time, until the call ends (its control is dropped).
async fn talk(says: Arc<Clip>, mut control: mpsc::UnboundedReceiver<Control>, hearing: Arc<Mutex<Hearing>>) {
    let mut ticker = tokio::time::interval(Duration::from_millis(20));
    ticker.set_missed_tick_behavior(MissedTickBehavior::Skip);
    let mut agent: Option<Listening> = None;
    let mut music: Option<(Arc<Clip>, usize)> = None;
    let mut n = 0usize;
    let silence = [0i16; FRAME];
    loop {
        tokio::select! {
            c = control.recv() => match c {
                None => return,
                Some(Control::Agent(line)) => agent = line.map(|l| l.listen()),
                Some(Control::Hold(m)) => music = m.map(|clip| (clip, 0)),
            },
            _ = ticker.tick() => {
                let mut ears = lock(&hearing);
                match (&mut music, &mut agent) {
                    (Some((clip, i)), agent) => {
                        // Held: the customer hears the music, and the agent hears nothing.
                        ears.hear(clip.looped(*i));
                        *i += 1;
                        if let Some(a) = agent {
                            while a.frames.try_recv().is_ok() {}
                        }
                    }
                    (None, Some(a)) => {
                        a.say(says.looped(n));
                        let mut any = false;
                        while let Ok(frame) = a.frames.try_recv() {
                            ears.hear(&frame);
                            any = true;
                        }
                        if !any {
                            ears.hear(&silence);
                        }
                    }
                    (None, None) => ears.hear(&silence),
                }
                n += 1;
            }
        }
    }
}
