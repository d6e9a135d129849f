//! An agent's audio line in the browser, which outlives any one connection: a call
//! talks to the line, and the line to whichever connection the agent's phone window
//! has now. So a phone window that reconnects (or is opened again) mid-call carries
//! on with the call, and a call's audio needs no connection of its own.

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use audio_codec::Encoder;
use rustrtc::media::{AudioFrame, SampleStreamSource};
use tokio::sync::mpsc;

use super::voice::BrowserCodec;

/// The sending side of the current connection.
pub struct Mouth {
    source: SampleStreamSource,
    codec: BrowserCodec,
    payload_type: u8,
    encoder: Box<dyn Encoder>,
    next_ts: u32,
    last: Option<Instant>,
}

impl Mouth {
    pub fn new(source: SampleStreamSource, codec: BrowserCodec, payload_type: u8) -> Mouth {
        Mouth { source, codec, payload_type, encoder: codec.encoder(), next_ts: rand::random(), last: None }
    }

    fn say(&mut self, pcm: &[i16]) {
        let now = Instant::now();
        // After a pause (between calls, or a source that stalled) the timestamps jump
        // by the time that passed, so that the browser plays the pause as one.
        if let Some(last) = self.last {
            let gap = now.duration_since(last);
            if gap > Duration::from_millis(60) {
                let frames = (gap.as_millis() / 20) as u32;
                self.next_ts = self.next_ts.wrapping_add(frames.saturating_sub(1) * self.codec.ticks_per_frame());
            }
        }
        self.last = Some(now);
        let payload = self.encoder.encode(pcm);
        let frame = AudioFrame {
            rtp_timestamp: self.next_ts,
            clock_rate: self.codec.clock_rate(),
            data: payload.into(),
            payload_type: Some(self.payload_type),
            ..AudioFrame::default()
        };
        self.next_ts = self.next_ts.wrapping_add(self.codec.ticks_per_frame());
        let _ = self.source.try_send_audio(frame);
    }
}

type Ear = (u64, mpsc::Sender<Vec<i16>>);

#[derive(Default)]
pub struct Line {
    mouth: Mutex<Option<Mouth>>,
    ear: Mutex<Option<Ear>>,
    listeners: AtomicU64,
    /// Frames said to the agent, and heard from them, over the line's life.
    pub said: AtomicU64,
    pub heard: AtomicU64,
}

impl Line {
    /// The connection to send on from now on (`None`: there is none).
    pub fn speak_to(&self, mouth: Option<Mouth>) {
        *self.mouth.lock().unwrap_or_else(|p| p.into_inner()) = mouth;
    }

    /// 20 ms of audio for the agent to hear.
    pub fn say(&self, pcm: &[i16]) {
        if let Some(m) = self.mouth.lock().unwrap_or_else(|p| p.into_inner()).as_mut() {
            m.say(pcm);
            self.said.fetch_add(1, Ordering::Relaxed);
        }
    }

    /// Whether a call listens to the agent now: what the browser sends between calls is
    /// not even decoded.
    pub fn listened(&self) -> bool {
        self.ear.lock().unwrap_or_else(|p| p.into_inner()).is_some()
    }

    /// 20 ms of what the agent said, for whoever listens.
    pub fn heard(&self, frame: Vec<i16>) {
        self.heard.fetch_add(1, Ordering::Relaxed);
        if let Some((_, ear)) = self.ear.lock().unwrap_or_else(|p| p.into_inner()).as_ref() {
            // A listener that falls behind loses audio, never holds up the line.
            let _ = ear.try_send(frame);
        }
    }

    /// Listens to the agent from now on, instead of whoever listened before.
    pub fn listen(self: &Arc<Self>) -> Listening {
        let id = self.listeners.fetch_add(1, Ordering::Relaxed);
        let (tx, rx) = mpsc::channel(25);
        *self.ear.lock().unwrap_or_else(|p| p.into_inner()) = Some((id, tx));
        Listening { line: self.clone(), id, frames: rx }
    }
}

/// A call's hold on an agent's line: what the agent says arrives in `frames`, and what
/// the call says goes to the agent (`say`). The line goes quiet when it is dropped.
pub struct Listening {
    line: Arc<Line>,
    id: u64,
    pub frames: mpsc::Receiver<Vec<i16>>,
}

impl Listening {
    pub fn say(&self, pcm: &[i16]) {
        self.line.say(pcm);
    }
}

impl Drop for Listening {
    fn drop(&mut self) {
        let mut ear = self.line.ear.lock().unwrap_or_else(|p| p.into_inner());
        if ear.as_ref().is_some_and(|(id, _)| *id == self.id) {
            *ear = None;
        }
    }
}
