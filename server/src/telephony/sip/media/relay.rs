//! A call's audio: one task per call between the customer's leg and the leg of whoever
//! talks to them (an agent's phone, a colleague, a number outside). It forwards what
//! each side says to the other, plays hold music to the customer while the call is
//! held, and plays a message once (the guidance of 強制終了). RTP goes where it really
//! comes from (symmetric RTP), so phones behind NAT are heard and reached.

use std::net::SocketAddr;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use rustrtc::rtp::RtpPacket;
use tokio::sync::{mpsc, oneshot};
use tokio::time::{Interval, MissedTickBehavior};

use super::ports::RtpSocket;
use super::stream::OutStream;
use crate::telephony::audio::Clip;
use crate::telephony::browser::{Line, Listening};
use crate::telephony::sip::sdp::{Codec, Media};

/// Packets counted across every relay, for the figures of `make bench`.
#[derive(Default, Debug)]
pub struct RelayStats {
    /// Packets read from the legs' sockets.
    pub received: AtomicU64,
    pub relayed: AtomicU64,
    pub played: AtomicU64,
    pub dropped: AtomicU64,
}

enum Control {
    Customer(Media),
    Attach(RtpSocket, Media),
    /// An agent who talks in the browser joins the customer, on their line.
    AttachBrowser(Arc<Line>),
    Detach,
    Hold(Option<Arc<Clip>>),
    Play(Arc<Clip>, oneshot::Sender<()>),
    /// Sends one end's side to another relay (`Take`), as it is: its socket, where it is
    /// latched, and its stream's numbering, so the phone on it notices nothing.
    HandOver(End, mpsc::UnboundedSender<Control>),
    /// A side handed over by another relay: it talks to this relay's customer.
    Take(Peer),
}

/// One end of a relay.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum End {
    /// The end the relay was started on (a call's customer).
    Customer,
    /// Whoever talks to them.
    Other,
}

/// The handle of a call's relay; the relay stops when the handle is dropped.
pub struct Relay {
    tx: mpsc::UnboundedSender<Control>,
    pub customer_port: u16,
}

impl Relay {
    /// Starts the relay on the customer's RTP socket.
    pub fn start(customer: RtpSocket, stats: Arc<RelayStats>) -> Relay {
        let (tx, rx) = mpsc::unbounded_channel();
        let customer_port = customer.port;
        tokio::spawn(run(customer, rx, stats));
        Relay { tx, customer_port }
    }

    /// The customer's side of the audio is known (their offer or answer).
    pub fn customer(&self, media: Media) {
        let _ = self.tx.send(Control::Customer(media));
    }

    /// Someone joins the customer: they hear each other from now on (and the customer no
    /// longer hears hold music).
    pub fn attach(&self, socket: RtpSocket, media: Media) {
        let _ = self.tx.send(Control::Attach(socket, media));
    }

    /// An agent who talks in the browser joins the customer: what each says reaches
    /// the other, coded on the way (the line speaks 8 kHz PCM).
    pub fn attach_browser(&self, line: Arc<Line>) {
        let _ = self.tx.send(Control::AttachBrowser(line));
    }

    /// The one talking to the customer leaves (the customer hears nothing until someone
    /// else joins or music plays).
    pub fn detach(&self) {
        let _ = self.tx.send(Control::Detach);
    }

    /// `Some`: the customer hears `music`, looped, and the other side is not heard;
    /// `None`: back to talking.
    pub fn hold(&self, music: Option<Arc<Clip>>) {
        let _ = self.tx.send(Control::Hold(music));
    }

    /// Moves this relay's `end` to `to`, where it talks to `to`'s customer; whether `to`
    /// is held or talking stays as it was. A transfer is made of these moves: the agent's
    /// side to a consult's relay and back, or the target's side to the customer's relay.
    pub fn hand_over(&self, end: End, to: &Relay) {
        let _ = self.tx.send(Control::HandOver(end, to.tx.clone()));
    }

    /// Plays `clip` to the customer once; answers when it has been played.
    pub fn play(&self, clip: Arc<Clip>) -> oneshot::Receiver<()> {
        let (done, rx) = oneshot::channel();
        let _ = self.tx.send(Control::Play(clip, done));
        rx
    }
}

/// One side of the relay: its socket, where it is heard, and what it is sent.
struct Side {
    socket: RtpSocket,
    media: Media,
    /// Where RTP really comes from, once it has come.
    latched: Option<SocketAddr>,
    out: OutStream,
}

impl Side {
    fn new(socket: RtpSocket, media: Media, ssrc: u32) -> Side {
        let codec = media.codec().unwrap_or(Codec::Pcmu);
        let out = OutStream::new(ssrc, codec, media.dtmf);
        Side { socket, media, latched: None, out }
    }

    fn dest(&self) -> SocketAddr {
        self.latched.unwrap_or(self.media.addr)
    }

    /// Whether a packet from `from` is this side's. The address its SDP names always
    /// is (and is latched at once); before anything came from there, the first packet
    /// that is RTP in a payload type this side negotiated is taken as the side behind
    /// NAT, and latched. Anything else is a stranger's, dropped: a stray packet cannot
    /// take the stream over or be heard.
    fn accepts(&mut self, from: SocketAddr, raw: &[u8]) -> bool {
        if from == self.media.addr {
            self.latched = Some(from);
            return true;
        }
        match self.latched {
            Some(latched) => latched == from,
            None if self.negotiated(raw) => {
                self.latched = Some(from);
                true
            }
            None => false,
        }
    }

    fn negotiated(&self, raw: &[u8]) -> bool {
        let Ok(p) = RtpPacket::parse(raw) else { return false };
        let pt = p.header.payload_type;
        self.media.codecs.iter().any(|c| c.payload_type() == pt) || self.media.dtmf == Some(pt)
    }
}

/// Whoever talks to the customer: a leg of RTP (an agent's phone, a colleague's, a
/// number outside), or an agent in the browser.
enum Peer {
    Rtp(Side),
    Browser(BrowserSide),
}

/// An agent in the browser, on their line.
struct BrowserSide {
    line: Listening,
    /// µ-law and A-law, to decode what the customer says.
    decoders: [Box<dyn audio_codec::Decoder>; 2],
    /// Frames the agent said, for their timestamps towards the customer.
    said: u32,
}

impl BrowserSide {
    fn new(line: &Arc<Line>) -> BrowserSide {
        BrowserSide {
            line: line.listen(),
            decoders: [
                audio_codec::create_decoder(audio_codec::CodecType::PCMU),
                audio_codec::create_decoder(audio_codec::CodecType::PCMA),
            ],
            said: 0,
        }
    }

    /// A packet from the customer, for the agent to hear; telephone events and other
    /// codecs are not heard.
    fn hear(&mut self, raw: &[u8], stats: &RelayStats) {
        let Ok(p) = RtpPacket::parse(raw) else { return };
        match p.header.payload_type {
            pt @ (0 | 8) => {
                let pcm = self.decoders[usize::from(pt == 8)].decode(&p.payload);
                self.line.say(&pcm);
                stats.relayed.fetch_add(1, Ordering::Relaxed);
            }
            _ => {
                stats.dropped.fetch_add(1, Ordering::Relaxed);
            }
        }
    }
}

enum Mode {
    Talk,
    Hold { music: Arc<Clip>, frame: usize },
    Play { clip: Arc<Clip>, frame: usize, done: Option<oneshot::Sender<()>> },
}

async fn recv(side: Option<&Side>, buf: &mut [u8]) -> std::io::Result<(usize, SocketAddr)> {
    match side {
        Some(s) => s.socket.socket.recv_from(buf).await,
        None => std::future::pending().await,
    }
}

/// What came from whoever talks to the customer.
enum Heard {
    Rtp(std::io::Result<(usize, SocketAddr)>),
    /// The agent in the browser said a frame (`None`: their line went away).
    Browser(Option<Vec<i16>>),
}

async fn from_peer(peer: &mut Option<Peer>, buf: &mut [u8]) -> Heard {
    match peer {
        Some(Peer::Rtp(s)) => Heard::Rtp(s.socket.socket.recv_from(buf).await),
        Some(Peer::Browser(b)) => Heard::Browser(b.line.frames.recv().await),
        None => std::future::pending().await,
    }
}

async fn tick(ticker: &mut Option<Interval>) {
    match ticker {
        Some(t) => {
            t.tick().await;
        }
        None => std::future::pending().await,
    }
}

fn ticker() -> Option<Interval> {
    let mut t = tokio::time::interval(Duration::from_millis(20));
    t.set_missed_tick_behavior(MissedTickBehavior::Skip);
    Some(t)
}

async fn run(customer_socket: RtpSocket, mut rx: mpsc::UnboundedReceiver<Control>, stats: Arc<RelayStats>) {
    let seed: u32 = rand::random();
    let mut customer_socket = Some(customer_socket);
    let mut customer: Option<Side> = None;
    let mut other: Option<Peer> = None;
    let mut mode = Mode::Talk;
    let mut ticker: Option<Interval> = None;
    let mut buf_a = vec![0u8; 2048];
    let mut buf_b = vec![0u8; 2048];
    // Before the customer's SDP is known, packets on their port are read and dropped.
    let mut parked = customer_socket.as_ref().map(|s| s.socket.clone());
    loop {
        tokio::select! {
            control = rx.recv() => match control {
                None => return,
                Some(Control::Customer(media)) => match (&mut customer, customer_socket.take()) {
                    (Some(side), _) => side.media = media,
                    (None, Some(socket)) => customer = Some(Side::new(socket, media, seed)),
                    (None, None) => {}
                },
                Some(Control::Attach(socket, media)) => {
                    other = Some(Peer::Rtp(Side::new(socket, media, seed.rotate_left(13))));
                    mode = Mode::Talk;
                    ticker = None;
                }
                Some(Control::AttachBrowser(line)) => {
                    other = Some(Peer::Browser(BrowserSide::new(&line)));
                    mode = Mode::Talk;
                    ticker = None;
                }
                Some(Control::Detach) => other = None,
                Some(Control::Hold(Some(music))) => {
                    if let Some(c) = customer.as_mut() {
                        c.out.restart_clip();
                    }
                    mode = Mode::Hold { music, frame: 0 };
                    ticker = ticker.or_else(self::ticker);
                }
                Some(Control::Hold(None)) => {
                    mode = Mode::Talk;
                    ticker = None;
                }
                Some(Control::HandOver(end, to)) => {
                    let side = match end {
                        End::Customer => {
                            // The socket is someone else's now: no longer drained here.
                            parked = None;
                            customer.take().map(Peer::Rtp)
                        }
                        End::Other => other.take(),
                    };
                    if let Some(side) = side {
                        let _ = to.send(Control::Take(side));
                    }
                }
                Some(Control::Take(side)) => other = Some(side),
                Some(Control::Play(clip, done)) => {
                    if let Some(c) = customer.as_mut() {
                        c.out.restart_clip();
                    }
                    mode = Mode::Play { clip, frame: 0, done: Some(done) };
                    ticker = ticker.or_else(self::ticker);
                }
            },
            got = recv(customer.as_ref(), &mut buf_a) => {
                let Ok((n, from)) = got else { continue };
                stats.received.fetch_add(1, Ordering::Relaxed);
                let Some(c) = customer.as_mut() else { continue };
                if !c.accepts(from, &buf_a[..n]) { stats.dropped.fetch_add(1, Ordering::Relaxed); continue; }
                let their_dtmf = c.media.dtmf;
                if !matches!(mode, Mode::Talk) { continue; }
                match other.as_mut() {
                    Some(Peer::Rtp(o)) => relay(&buf_a[..n], their_dtmf, o, &stats).await,
                    Some(Peer::Browser(b)) => b.hear(&buf_a[..n], &stats),
                    None => {}
                }
            }
            heard = from_peer(&mut other, &mut buf_b) => {
                let got = match heard {
                    Heard::Browser(None) => { other = None; continue }
                    Heard::Browser(Some(pcm)) => {
                        let Some(Peer::Browser(b)) = other.as_mut() else { continue };
                        b.said = b.said.wrapping_add(1);
                        if !matches!(mode, Mode::Talk) { continue; }
                        let Some(c) = customer.as_mut() else { continue };
                        if let Some(bytes) = c.out.voice(&pcm, b.said)
                            && c.socket.socket.send_to(&bytes, c.dest()).await.is_ok()
                        {
                            stats.relayed.fetch_add(1, Ordering::Relaxed);
                        }
                        continue;
                    }
                    Heard::Rtp(got) => got,
                };
                let Ok((n, from)) = got else { continue };
                stats.received.fetch_add(1, Ordering::Relaxed);
                let Some(Peer::Rtp(o)) = other.as_mut() else { continue };
                if !o.accepts(from, &buf_b[..n]) { stats.dropped.fetch_add(1, Ordering::Relaxed); continue; }
                let their_dtmf = o.media.dtmf;
                if !matches!(mode, Mode::Talk) { continue; }
                let Some(c) = customer.as_mut() else { continue };
                relay(&buf_b[..n], their_dtmf, c, &stats).await;
            }
            _ = tick(&mut ticker) => {
                let Some(c) = customer.as_mut() else { continue };
                let frame = match &mut mode {
                    Mode::Hold { music, frame } => {
                        *frame += 1;
                        Some(music.looped(*frame - 1).to_vec())
                    }
                    Mode::Play { clip, frame, done } => {
                        *frame += 1;
                        match clip.frame(*frame - 1) {
                            Some(samples) => Some(samples.to_vec()),
                            None => {
                                if let Some(done) = done.take() { let _ = done.send(()); }
                                None
                            }
                        }
                    }
                    Mode::Talk => None,
                };
                match frame {
                    Some(samples) => {
                        let n = match &mode { Mode::Hold { frame, .. } | Mode::Play { frame, .. } => *frame as u32, Mode::Talk => 0 };
                        if let Some(bytes) = c.out.play(&samples, n)
                            && c.socket.socket.send_to(&bytes, c.dest()).await.is_ok()
                        {
                            stats.played.fetch_add(1, Ordering::Relaxed);
                        }
                    }
                    None => ticker = None,
                }
            }
        }
        // Until the customer's side is known its port is only drained.
        if customer.is_none()
            && let Some(p) = &parked
        {
            while p.try_recv_from(&mut buf_a).is_ok() {}
        }
    }
}

/// Forwards one packet read from the far side to `to`; a packet that is not RTP is
/// counted and dropped.
async fn relay(raw: &[u8], their_dtmf: Option<u8>, to: &mut Side, stats: &RelayStats) {
    let Ok(packet) = RtpPacket::parse(raw) else {
        stats.dropped.fetch_add(1, Ordering::Relaxed);
        return;
    };
    match to.out.forward(&packet, their_dtmf) {
        Some(bytes) => {
            if to.socket.socket.send_to(&bytes, to.dest()).await.is_ok() {
                stats.relayed.fetch_add(1, Ordering::Relaxed);
            }
        }
        None => {
            stats.dropped.fetch_add(1, Ordering::Relaxed);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::telephony::sip::media::PortPool;
    use rustrtc::rtp::RtpHeader;

    fn side(sdp_addr: &str) -> Side {
        let pool = PortPool::new("127.0.0.1".parse().unwrap(), 42000..=42003);
        let media =
            Media { addr: sdp_addr.parse().unwrap(), codecs: vec![Codec::Pcmu], dtmf: Some(101), on_hold: false };
        Side::new(pool.try_bind().unwrap(), media, 1)
    }

    fn rtp(pt: u8) -> Vec<u8> {
        RtpPacket::new(RtpHeader::new(pt, 1, 160, 9), vec![0xff; 160]).marshal().unwrap()
    }

    #[tokio::test]
    async fn strangers_are_dropped_and_the_sdp_address_always_wins() {
        let mut s = side("127.0.0.1:5004");
        let stranger = "127.0.0.1:6666".parse().unwrap();
        // Not RTP, or RTP in a payload type never negotiated: dropped, nothing latched.
        assert!(!s.accepts(stranger, b"garbage"));
        assert!(!s.accepts(stranger, &rtp(18)));
        // Valid RTP first from elsewhere (a phone behind NAT, or a stranger) is taken...
        assert!(s.accepts(stranger, &rtp(0)));
        // ...until the address the SDP names speaks: then only it is heard.
        assert!(s.accepts("127.0.0.1:5004".parse().unwrap(), &rtp(0)));
        assert!(!s.accepts(stranger, &rtp(0)));
        assert_eq!(s.dest(), "127.0.0.1:5004".parse().unwrap());
    }

    #[tokio::test]
    async fn a_phone_behind_nat_is_latched_where_its_rtp_comes_from() {
        let mut s = side("10.0.0.5:4000");
        let public = "127.0.0.1:40000".parse().unwrap();
        assert!(s.accepts(public, &rtp(101)));
        assert_eq!(s.dest(), public);
        assert!(!s.accepts("127.0.0.1:40001".parse().unwrap(), &rtp(0)));
    }
}
