//! One WebRTC connection between ringdesk and an agent's phone window (rustrtc: ICE,
//! DTLS-SRTP). It lasts all day, across calls: a call is only a matter of whose audio
//! is sent on it and who hears what it receives (`super::Line`), so answering never
//! waits for a connection. The browser offers; ringdesk answers once its candidates
//! are gathered (no trickle: the answer is complete). An ICE restart is a new offer on
//! the same connection.

use std::sync::Arc;
use std::time::Duration;

use app::model::{BrowserAudio, UserId};
use rustrtc::media::{MediaKind as TrackKind, MediaStreamTrack, sample_track};
use rustrtc::{
    AudioCapability, DisconnectReason, MediaCapabilities, MediaKind, PeerConnection, PeerConnectionState,
    RtcConfiguration, RtpCodecParameters, SdpType, SessionDescription, TransceiverDirection,
};

use super::line::Line;
use super::voice::{BrowserCodec, Framer};

/// How an answer could not be made.
#[derive(Debug, Clone, PartialEq, thiserror::Error, serde::Serialize, serde::Deserialize)]
#[serde(tag = "refused", content = "why", rename_all = "snake_case")]
pub enum AnswerError {
    #[error("not an SDP offer: {0}")]
    Sdp(String),
    #[error("the offer has no audio ringdesk can take")]
    NoAudio,
    #[error("WebRTC: {0}")]
    Rtc(String),
}

/// What ringdesk's side of the connections is configured with.
#[derive(Clone, Debug, Default)]
pub struct RtcSetup {
    /// The codec ringdesk prefers (the other is taken where the browser lacks it).
    pub prefer: Option<BrowserCodec>,
    pub ports: Option<(u16, u16)>,
    /// The address browsers reach ringdesk at, where it is not one of the host's own
    /// (behind NAT).
    pub public_ip: Option<String>,
}

impl RtcSetup {
    fn configuration(&self) -> RtcConfiguration {
        let mut c = RtcConfiguration::default();
        let opus =
            AudioCapability { fmtp: Some("minptime=10;useinbandfec=1".into()), channels: 2, ..AudioCapability::opus() };
        c.media_capabilities = Some(MediaCapabilities {
            audio: match self.prefer.unwrap_or(BrowserCodec::Opus) {
                BrowserCodec::Opus => vec![opus, AudioCapability::pcmu()],
                BrowserCodec::Pcmu => vec![AudioCapability::pcmu(), opus],
            },
            video: vec![],
            application: None,
            image: vec![],
        });
        if let Some((start, end)) = self.ports {
            c.rtp_start_port = Some(start);
            c.rtp_end_port = Some(end);
        }
        c.external_ip = self.public_ip.clone();
        // One voice stream: no bandwidth estimation to drive.
        c.enable_gcc = false;
        c.disable_ipv6 = true;
        c
    }
}

/// A live connection. Closed when dropped.
pub struct Connection {
    /// The phone window's name for it.
    pub id: String,
    pc: PeerConnection,
    tasks: Vec<tokio::task::AbortHandle>,
}

impl Drop for Connection {
    fn drop(&mut self) {
        for t in &self.tasks {
            t.abort();
        }
        self.pc.close();
    }
}

/// A change of a connection's state, as the widget says it.
#[derive(Debug)]
pub struct Report {
    pub user: UserId,
    pub connection: String,
    pub audio: BrowserAudio,
}

/// Where a connection's audio and state go.
#[derive(Clone)]
pub struct Wiring {
    pub user: UserId,
    pub line: Arc<Line>,
    pub report: tokio::sync::mpsc::UnboundedSender<Report>,
}

impl Connection {
    /// Answers a new connection's offer: the connection, and ringdesk's answer.
    pub async fn answer(
        id: String,
        offer: &str,
        setup: &RtcSetup,
        wiring: Wiring,
    ) -> Result<(Connection, String), AnswerError> {
        let codecs = codecs_offered(offer);
        let offer = SessionDescription::parse(SdpType::Offer, offer).map_err(|e| AnswerError::Sdp(e.to_string()))?;
        let pc = PeerConnection::new(setup.configuration());
        pc.set_remote_description(offer).await.map_err(|e| AnswerError::Rtc(e.to_string()))?;
        let audio =
            pc.get_transceivers().into_iter().find(|t| t.kind() == MediaKind::Audio).ok_or(AnswerError::NoAudio)?;
        audio.set_direction(TransceiverDirection::SendRecv);
        let (pt, codec) = pick(&codecs, setup.prefer.unwrap_or(BrowserCodec::Opus)).ok_or(AnswerError::NoAudio)?;
        let (source, track, _feedback) = sample_track(TrackKind::Audio, 64);
        let params = RtpCodecParameters {
            payload_type: pt,
            name: match codec {
                BrowserCodec::Opus => "opus".into(),
                BrowserCodec::Pcmu => "PCMU".into(),
            },
            clock_rate: codec.clock_rate(),
            channels: if codec == BrowserCodec::Opus { 2 } else { 1 },
        };
        pc.add_track(track, params).map_err(|e| AnswerError::Rtc(e.to_string()))?;
        let answer = complete_answer(&pc).await?;
        let mut tasks = Vec::new();
        if let Some(receiver) = audio.receiver() {
            let heard = receiver.track();
            tasks.push(tokio::spawn(receive(heard, codecs, wiring.line.clone())).abort_handle());
        }
        wiring.line.speak_to(Some(super::line::Mouth::new(source, codec, pt)));
        tasks.push(tokio::spawn(watch(pc.clone(), wiring.user, id.clone(), wiring.report)).abort_handle());
        Ok((Connection { id, pc, tasks }, answer))
    }

    /// Answers a new offer on this connection: an ICE restart after a network change.
    pub async fn renegotiate(&self, offer: &str) -> Result<String, AnswerError> {
        let offer = SessionDescription::parse(SdpType::Offer, offer).map_err(|e| AnswerError::Sdp(e.to_string()))?;
        self.pc.set_remote_description(offer).await.map_err(|e| AnswerError::Rtc(e.to_string()))?;
        complete_answer(&self.pc).await
    }
}

/// The answer with every candidate in it.
async fn complete_answer(pc: &PeerConnection) -> Result<String, AnswerError> {
    let rtc = |e: rustrtc::RtcError| AnswerError::Rtc(e.to_string());
    let _ = pc.create_answer().await.map_err(rtc)?;
    pc.wait_for_gathering_complete().await;
    let answer = pc.create_answer().await.map_err(rtc)?;
    pc.set_local_description(answer.clone()).map_err(rtc)?;
    Ok(answer.to_sdp_string())
}

/// The payload types of the offer's audio that ringdesk can decode, in its order
/// (`a=rtpmap:111 opus/48000/2`).
fn codecs_offered(sdp: &str) -> Vec<(u8, BrowserCodec)> {
    sdp.lines()
        .filter_map(|l| l.trim().strip_prefix("a=rtpmap:"))
        .filter_map(|m| {
            let (pt, rest) = m.split_once(' ')?;
            let name = rest.split('/').next()?;
            Some((pt.parse().ok()?, BrowserCodec::named(name)?))
        })
        .collect()
}

/// The codec to send in: the preferred one if offered, else any.
fn pick(codecs: &[(u8, BrowserCodec)], prefer: BrowserCodec) -> Option<(u8, BrowserCodec)> {
    codecs.iter().find(|(_, c)| *c == prefer).or_else(|| codecs.first()).copied()
}

/// What the browser sends, decoded into 20 ms frames for whoever listens on the line.
async fn receive(track: Arc<rustrtc::media::SampleStreamTrack>, codecs: Vec<(u8, BrowserCodec)>, line: Arc<Line>) {
    let mut decoders: Vec<(u8, Box<dyn audio_codec::Decoder>)> =
        codecs.iter().map(|(pt, c)| (*pt, c.decoder())).collect();
    let mut framer = Framer::default();
    while let Ok(sample) = track.recv().await {
        let rustrtc::media::MediaSample::Audio(frame) = sample else { continue };
        if !line.listened() {
            continue;
        }
        let Some(pt) = frame.payload_type else { continue };
        let Some((_, decoder)) = decoders.iter_mut().find(|(p, _)| *p == pt) else { continue };
        let pcm = decoder.decode(&frame.data);
        framer.push(&pcm, |f| line.heard(f));
    }
}

/// Reports the connection's state as it changes. A connection in trouble for this long
/// without the browser mending it is taken as closed.
const GIVE_UP: Duration = Duration::from_secs(30);

async fn watch(pc: PeerConnection, user: UserId, id: String, report: tokio::sync::mpsc::UnboundedSender<Report>) {
    let tell = |audio| report.send(Report { user, connection: id.clone(), audio });
    let mut states = pc.subscribe_peer_state();
    loop {
        let state = *states.borrow_and_update();
        // A window that closes says so (DTLS close_notify): closed, not in trouble.
        let closed_by_window = pc.disconnect_reason() == Some(DisconnectReason::DtlsClosed);
        let audio = match state {
            PeerConnectionState::Connected => Some(BrowserAudio::Ready),
            PeerConnectionState::Disconnected if closed_by_window => Some(BrowserAudio::Closed),
            PeerConnectionState::Disconnected | PeerConnectionState::Failed => Some(BrowserAudio::Trouble),
            PeerConnectionState::Closed => Some(BrowserAudio::Closed),
            PeerConnectionState::New | PeerConnectionState::Connecting => None,
        };
        if let Some(audio) = audio {
            let _ = tell(audio);
        }
        if audio == Some(BrowserAudio::Closed) {
            return;
        }
        let changed = match audio {
            Some(BrowserAudio::Trouble) => tokio::time::timeout(GIVE_UP, states.changed()).await,
            _ => Ok(states.changed().await),
        };
        match changed {
            Ok(Ok(())) => {}
            Ok(Err(_)) => return,
            Err(_) => {
                let _ = tell(BrowserAudio::Closed);
                return;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_offered_codecs_are_read_in_order() {
        let sdp = "v=0\r\nm=audio 9 UDP/TLS/RTP/SAVPF 111 63 9 0 8 13\r\na=rtpmap:111 opus/48000/2\r\n\
                   a=rtpmap:63 red/48000/2\r\na=rtpmap:9 G722/8000\r\na=rtpmap:0 PCMU/8000\r\n";
        let codecs = codecs_offered(sdp);
        assert_eq!(codecs, vec![(111, BrowserCodec::Opus), (0, BrowserCodec::Pcmu)]);
        assert_eq!(pick(&codecs, BrowserCodec::Pcmu), Some((0, BrowserCodec::Pcmu)));
        assert_eq!(pick(&codecs[..1], BrowserCodec::Pcmu), Some((111, BrowserCodec::Opus)));
        assert_eq!(pick(&[], BrowserCodec::Opus), None);
    }
}
