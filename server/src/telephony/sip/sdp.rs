//! Session descriptions for the audio of a call: what the other side offers or answers
//! (parsed by rustrtc's SDP reader) and what ringdesk offers or answers (G.711 µ-law
//! and A-law, with RFC 4733 telephone events). Pure.

use std::net::{IpAddr, SocketAddr};

use rustrtc::SdpType;
use rustrtc::sdp::{MediaKind, SessionDescription};

/// The G.711 codecs ringdesk relays and plays in, by their static payload types.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Codec {
    Pcmu,
    Pcma,
}

impl Codec {
    pub fn payload_type(self) -> u8 {
        match self {
            Codec::Pcmu => 0,
            Codec::Pcma => 8,
        }
    }

    fn from_payload_type(pt: u8) -> Option<Codec> {
        match pt {
            0 => Some(Codec::Pcmu),
            8 => Some(Codec::Pcma),
            _ => None,
        }
    }

    fn rtpmap(self) -> &'static str {
        match self {
            Codec::Pcmu => "PCMU/8000",
            Codec::Pcma => "PCMA/8000",
        }
    }
}

/// The payload type ringdesk gives telephone events in its own offers.
pub const DTMF_PAYLOAD_TYPE: u8 = 101;

/// The audio the other side sends from and expects to receive at.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Media {
    /// Where to send RTP (the SDP's address and port; latched to where RTP really comes
    /// from once it does, for phones behind NAT).
    pub addr: SocketAddr,
    /// The G.711 codecs offered or answered, in the other side's order of preference.
    pub codecs: Vec<Codec>,
    /// The payload type of telephone events, if the other side takes them.
    pub dtmf: Option<u8>,
    /// The other side put the call on hold (`sendonly` / `inactive`, or address 0.0.0.0).
    pub on_hold: bool,
}

impl Media {
    /// The codec to use with this side: its first preference that ringdesk has.
    pub fn codec(&self) -> Option<Codec> {
        self.codecs.first().copied()
    }
}

#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum SdpProblem {
    #[error("the session description cannot be read: {0}")]
    Unreadable(String),
    #[error("the session description has no audio")]
    NoAudio,
    #[error("the session description has no address for its audio")]
    NoAddress,
    #[error("none of the offered codecs is G.711 (PCMU or PCMA)")]
    NoCommonCodec,
}

/// Reads the other side's offer or answer.
pub fn parse(raw: &[u8], kind: SdpType) -> Result<Media, SdpProblem> {
    let text = std::str::from_utf8(raw).map_err(|_| SdpProblem::Unreadable("not UTF-8".into()))?;
    let sdp = SessionDescription::parse(kind, text).map_err(|e| SdpProblem::Unreadable(e.to_string()))?;
    let audio =
        sdp.media_sections.iter().find(|m| m.kind == MediaKind::Audio && m.port != 0).ok_or(SdpProblem::NoAudio)?;
    let connection = audio.connection.as_deref().or(sdp.session.connection.as_deref()).ok_or(SdpProblem::NoAddress)?;
    // "IN IP4 192.0.2.1" (a multicast TTL after a slash is not ours to honour).
    let ip: IpAddr = connection
        .split_whitespace()
        .nth(2)
        .and_then(|a| a.split('/').next())
        .and_then(|a| a.parse().ok())
        .ok_or(SdpProblem::NoAddress)?;
    let codecs: Vec<Codec> =
        audio.formats.iter().filter_map(|f| f.parse::<u8>().ok()).filter_map(Codec::from_payload_type).collect();
    if codecs.is_empty() {
        return Err(SdpProblem::NoCommonCodec);
    }
    let dtmf = audio.attributes.iter().filter(|a| a.key == "rtpmap").filter_map(|a| a.value.as_deref()).find_map(|v| {
        let (pt, name) = v.split_once(' ')?;
        name.to_ascii_lowercase().starts_with("telephone-event/8000").then(|| pt.parse().ok())?
    });
    let direction_hold = audio.attributes.iter().any(|a| a.key == "sendonly" || a.key == "inactive")
        || matches!(audio.direction, rustrtc::sdp::Direction::SendOnly | rustrtc::sdp::Direction::Inactive);
    Ok(Media { addr: SocketAddr::new(ip, audio.port), codecs, dtmf, on_hold: direction_hold || ip.is_unspecified() })
}

/// What ringdesk says: its address and port, and the codecs it takes there.
pub struct Ours {
    pub ip: IpAddr,
    pub port: u16,
    pub session_id: u64,
}

impl Ours {
    fn write(&self, codecs: &[Codec], dtmf: Option<u8>) -> Vec<u8> {
        let family = if self.ip.is_ipv4() { "IP4" } else { "IP6" };
        let mut formats: Vec<String> = codecs.iter().map(|c| c.payload_type().to_string()).collect();
        let mut attributes: Vec<String> =
            codecs.iter().map(|c| format!("a=rtpmap:{} {}\r\n", c.payload_type(), c.rtpmap())).collect();
        if let Some(pt) = dtmf {
            formats.push(pt.to_string());
            attributes.push(format!("a=rtpmap:{pt} telephone-event/8000\r\na=fmtp:{pt} 0-16\r\n"));
        }
        format!(
            "v=0\r\no=ringdesk {id} {id} IN {family} {ip}\r\ns=ringdesk\r\nc=IN {family} {ip}\r\nt=0 0\r\n\
             m=audio {port} RTP/AVP {formats}\r\n{attributes}a=ptime:20\r\na=sendrecv\r\n",
            id = self.session_id,
            ip = self.ip,
            port = self.port,
            formats = formats.join(" "),
            attributes = attributes.concat(),
        )
        .into_bytes()
    }

    /// An offer of both G.711 laws, `first` preferred, and telephone events.
    pub fn offer(&self, first: Codec) -> Vec<u8> {
        let other = if first == Codec::Pcmu { Codec::Pcma } else { Codec::Pcmu };
        self.write(&[first, other], Some(DTMF_PAYLOAD_TYPE))
    }

    /// The answer to `theirs`: their preferred G.711 law, and telephone events in their
    /// payload type if they offered them.
    pub fn answer(&self, theirs: &Media) -> Vec<u8> {
        self.write(&theirs.codec().into_iter().collect::<Vec<_>>(), theirs.dtmf)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const SIPP_OFFER: &str = "v=0\r\no=user1 53655765 2353687637 IN IP4 127.0.0.1\r\ns=-\r\nc=IN IP4 127.0.0.1\r\nt=0 0\r\nm=audio 6000 RTP/AVP 0 101\r\na=rtpmap:0 PCMU/8000\r\na=rtpmap:101 telephone-event/8000\r\n";

    #[test]
    fn a_carriers_offer_is_read() {
        let m = parse(SIPP_OFFER.as_bytes(), SdpType::Offer).unwrap();
        assert_eq!(m.addr, "127.0.0.1:6000".parse().unwrap());
        assert_eq!(m.codecs, vec![Codec::Pcmu]);
        assert_eq!(m.dtmf, Some(101));
        assert!(!m.on_hold);
    }

    #[test]
    fn a_law_first_and_a_hold_are_read() {
        let sdp = "v=0\r\no=- 1 1 IN IP4 10.0.0.9\r\ns=-\r\nt=0 0\r\nm=audio 4000 RTP/AVP 18 8 0\r\nc=IN IP4 10.0.0.9\r\na=sendonly\r\n";
        let m = parse(sdp.as_bytes(), SdpType::Offer).unwrap();
        assert_eq!(m.codecs, vec![Codec::Pcma, Codec::Pcmu]);
        assert_eq!(m.dtmf, None);
        assert!(m.on_hold);
    }

    #[test]
    fn what_cannot_be_used_is_named() {
        let video = "v=0\r\no=- 1 1 IN IP4 1.2.3.4\r\ns=-\r\nc=IN IP4 1.2.3.4\r\nt=0 0\r\nm=video 4000 RTP/AVP 96\r\n";
        assert_eq!(parse(video.as_bytes(), SdpType::Offer), Err(SdpProblem::NoAudio));
        let g729 = "v=0\r\no=- 1 1 IN IP4 1.2.3.4\r\ns=-\r\nc=IN IP4 1.2.3.4\r\nt=0 0\r\nm=audio 4000 RTP/AVP 18\r\n";
        assert_eq!(parse(g729.as_bytes(), SdpType::Offer), Err(SdpProblem::NoCommonCodec));
        assert!(matches!(parse(b"\xff\xfe", SdpType::Offer), Err(SdpProblem::Unreadable(_))));
        assert!(matches!(parse(b"garbage", SdpType::Offer), Err(SdpProblem::Unreadable(_))));
    }

    #[test]
    fn our_answer_reads_back_as_what_we_take() {
        let theirs = parse(SIPP_OFFER.as_bytes(), SdpType::Offer).unwrap();
        let ours = Ours { ip: "192.0.2.1".parse().unwrap(), port: 20002, session_id: 7 };
        let back = parse(&ours.answer(&theirs), SdpType::Answer).unwrap();
        assert_eq!(back.addr, "192.0.2.1:20002".parse().unwrap());
        assert_eq!((back.codecs, back.dtmf), (vec![Codec::Pcmu], Some(101)));
        let offer = parse(&ours.offer(Codec::Pcma), SdpType::Offer).unwrap();
        assert_eq!((offer.codecs, offer.dtmf), (vec![Codec::Pcma, Codec::Pcmu], Some(DTMF_PAYLOAD_TYPE)));
    }
}
