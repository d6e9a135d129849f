//! A softphone in Rust: what an agent's phone window does, without a browser. It makes
//! a WebRTC connection to ringdesk (its offer goes through `signal`, the way the phone
//! window posts it), hums a tone into it when asked, and listens: the last second it
//! heard, the tone in it, and when sound first came. The load harness drives hundreds
//! of them; the server's tests use one to hear a call.

use std::collections::VecDeque;
use std::future::Future;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use audio_codec::{CodecType, Decoder, Encoder};
use rustrtc::media::{AudioFrame, MediaKind as TrackKind, MediaSample, MediaStreamTrack, sample_track};
use rustrtc::{
    AudioCapability, MediaCapabilities, PeerConnection, PeerConnectionState, RtcConfiguration, RtpCodecParameters,
    SdpType, SessionDescription,
};

/// The codec the softphone offers.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Codec {
    Opus,
    Pcmu,
}

impl Codec {
    fn clock_rate(self) -> u32 {
        match self {
            Codec::Opus => 48_000,
            Codec::Pcmu => 8_000,
        }
    }

    fn encoder(self) -> Box<dyn Encoder> {
        match self {
            Codec::Opus => Box::new(audio_codec::opus::OpusEncoder::new(8000, 1)),
            Codec::Pcmu => audio_codec::create_encoder(CodecType::PCMU),
        }
    }

    fn decoder(self) -> Box<dyn Decoder> {
        match self {
            Codec::Opus => Box::new(audio_codec::opus::OpusDecoder::new(8000, 1)),
            Codec::Pcmu => audio_codec::create_decoder(CodecType::PCMU),
        }
    }
}

const FRAME: usize = 160;
const RATE: usize = 8000;

#[derive(Default)]
struct Ears {
    recent: VecDeque<i16>,
    /// When a frame with sound in it last came, and the first since `since` did.
    first_sound_since: Option<(Instant, Option<Instant>)>,
}

pub struct Softphone {
    pc: PeerConnection,
    /// The connection's name, as the phone window would give it.
    pub connection: String,
    ears: Arc<Mutex<Ears>>,
    tone: Arc<Mutex<Option<u32>>>,
    tasks: Vec<tokio::task::JoinHandle<()>>,
}

impl Drop for Softphone {
    fn drop(&mut self) {
        for t in &self.tasks {
            t.abort();
        }
        self.pc.close();
    }
}

fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|p| p.into_inner())
}

impl Softphone {
    /// Connects: makes an offer, hands it to `signal` (which answers ringdesk's SDP, or
    /// why not), and waits until the connection is up.
    pub async fn connect<F, Fut>(codec: Codec, signal: F) -> Result<Softphone, String>
    where
        F: FnOnce(String, String) -> Fut,
        Fut: Future<Output = Result<String, String>>,
    {
        let mut config = RtcConfiguration::default();
        let capability = match codec {
            Codec::Opus => {
                AudioCapability { fmtp: Some("minptime=10;useinbandfec=1".into()), ..AudioCapability::opus() }
            }
            Codec::Pcmu => AudioCapability::pcmu(),
        };
        let payload_type = capability.payload_type;
        let params = RtpCodecParameters {
            payload_type,
            name: capability.codec_name.clone(),
            clock_rate: capability.clock_rate,
            channels: capability.channels,
        };
        config.media_capabilities =
            Some(MediaCapabilities { audio: vec![capability], video: vec![], application: None, image: vec![] });
        config.enable_gcc = false;
        config.disable_ipv6 = true;
        let pc = PeerConnection::new(config);
        let (source, track, _feedback) = sample_track(TrackKind::Audio, 64);
        pc.add_track(track, params).map_err(|e| e.to_string())?;
        let offer = pc.create_offer().await.map_err(|e| e.to_string())?;
        pc.set_local_description(offer).map_err(|e| e.to_string())?;
        pc.wait_for_gathering_complete().await;
        let offer = pc.local_description().ok_or("no offer")?.to_sdp_string();
        let connection = format!("softphone-{:016x}", rand_u64());
        let answer = signal(connection.clone(), offer).await?;
        let answer = SessionDescription::parse(SdpType::Answer, &answer).map_err(|e| e.to_string())?;
        pc.set_remote_description(answer).await.map_err(|e| e.to_string())?;

        let ears: Arc<Mutex<Ears>> = Arc::default();
        let tone: Arc<Mutex<Option<u32>>> = Arc::default();
        let mut tasks = Vec::new();
        let receiver = pc.get_transceivers().into_iter().find_map(|t| t.receiver()).ok_or("no audio receiver")?;
        let heard = receiver.track();
        let e = ears.clone();
        tasks.push(tokio::spawn(async move {
            let mut decoder = codec.decoder();
            while let Ok(sample) = heard.recv().await {
                let MediaSample::Audio(frame) = sample else { continue };
                let pcm = decoder.decode(&frame.data);
                let loud = level(&pcm) > 300.0;
                let mut ears = lock(&e);
                for s in pcm {
                    if ears.recent.len() == RATE {
                        ears.recent.pop_front();
                    }
                    ears.recent.push_back(s);
                }
                if loud && let Some((_, first @ None)) = ears.first_sound_since.as_mut() {
                    *first = Some(Instant::now());
                }
            }
        }));
        let t = tone.clone();
        tasks.push(tokio::spawn(async move {
            let mut encoder = codec.encoder();
            let mut ticker = tokio::time::interval(Duration::from_millis(20));
            let (mut n, mut ts) = (0usize, 0u32);
            loop {
                ticker.tick().await;
                // Quiet, it sends nothing (as a browser with DTX would): a floor of idle
                // softphones costs the harness, which shares the machine, nothing.
                let hz = *lock(&t);
                let Some(hz) = hz else {
                    ts = ts.wrapping_add(codec.clock_rate() / 50);
                    continue;
                };
                let samples: Vec<i16> = (n..n + FRAME)
                    .map(|i| {
                        (8000.0 * (2.0 * std::f64::consts::PI * f64::from(hz) * i as f64 / RATE as f64).sin()) as i16
                    })
                    .collect();
                n += FRAME;
                let frame = AudioFrame {
                    rtp_timestamp: ts,
                    clock_rate: codec.clock_rate(),
                    data: encoder.encode(&samples).into(),
                    payload_type: Some(payload_type),
                    ..AudioFrame::default()
                };
                ts = ts.wrapping_add(codec.clock_rate() / 50);
                let _ = source.try_send_audio(frame);
            }
        }));
        let phone = Softphone { pc, connection, ears, tone, tasks };
        phone.until(PeerConnectionState::Connected, Duration::from_secs(10)).await?;
        Ok(phone)
    }

    /// Waits until the connection is in `state`.
    pub async fn until(&self, state: PeerConnectionState, within: Duration) -> Result<(), String> {
        let mut states = self.pc.subscribe_peer_state();
        let wait = async {
            loop {
                if *states.borrow_and_update() == state {
                    return Ok(());
                }
                if states.changed().await.is_err() {
                    return Err("the connection went away".to_owned());
                }
            }
        };
        tokio::time::timeout(within, wait).await.map_err(|_| format!("not {state:?} within {within:?}"))?
    }

    /// Hums `hz` from now on (`None`: silence).
    pub fn hum(&self, hz: Option<u32>) {
        *lock(&self.tone) = hz;
    }

    /// The tone of the last second heard (zero crossings), `None` if it was quiet.
    pub fn heard_tone(&self) -> Option<u32> {
        let ears = lock(&self.ears);
        let samples: Vec<i16> = ears.recent.iter().copied().collect();
        (samples.len() >= RATE / 2 && level(&samples) > 300.0).then(|| zero_crossing_hz(&samples))
    }

    /// Starts timing: `first_sound` tells when sound came after this.
    pub fn mark(&self) {
        lock(&self.ears).first_sound_since = Some((Instant::now(), None));
    }

    /// How long after `mark` the first sound came.
    pub fn first_sound(&self) -> Option<Duration> {
        lock(&self.ears).first_sound_since.and_then(|(since, first)| first.map(|f| f.duration_since(since)))
    }

    /// Closes the connection (the window closed).
    pub fn close(&self) {
        self.pc.close();
    }
}

fn level(samples: &[i16]) -> f64 {
    if samples.is_empty() {
        return 0.0;
    }
    (samples.iter().map(|&s| f64::from(s) * f64::from(s)).sum::<f64>() / samples.len() as f64).sqrt()
}

/// A pure tone's frequency, from how often it crosses zero.
fn zero_crossing_hz(samples: &[i16]) -> u32 {
    let crossings = samples.windows(2).filter(|w| (w[0] < 0) != (w[1] < 0)).count();
    let seconds = samples.len() as f64 / RATE as f64;
    (crossings as f64 / 2.0 / seconds).round() as u32
}

fn rand_u64() -> u64 {
    use std::hash::{BuildHasher, Hasher};
    let mut h = std::collections::hash_map::RandomState::new().build_hasher();
    h.write_u128(Instant::now().elapsed().as_nanos());
    h.finish()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_tone_is_told_by_its_zero_crossings() {
        let samples: Vec<i16> = (0..RATE)
            .map(|i| (8000.0 * (2.0 * std::f64::consts::PI * 440.0 * i as f64 / 8000.0).sin()) as i16)
            .collect();
        assert!(zero_crossing_hz(&samples).abs_diff(440) <= 2);
    }
}
