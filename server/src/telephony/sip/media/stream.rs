//! One direction of a leg's audio as the receiving side sees it: one SSRC, sequence
//! numbers without gaps, timestamps that run on when the source changes (from the agent
//! to hold music and back), in the leg's own G.711 law and telephone-event payload type.
//! Pure: packets in, packets out.

use audio_codec::{CodecType, Decoder, Encoder};
use rustrtc::rtp::{RtpHeader, RtpPacket};

use crate::telephony::audio::FRAME;
use crate::telephony::sip::sdp::Codec;

/// Where a packet came from: the other leg (by its SSRC) or a clip ringdesk plays.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Source {
    Leg(u32),
    /// An agent in the browser (their audio comes as PCM, not as packets).
    Browser,
    Clip,
}

pub struct OutStream {
    ssrc: u32,
    seq: u16,
    codec: Codec,
    dtmf: Option<u8>,
    /// The source of the last packet, and what to add to its timestamps.
    current: Option<(Source, u32)>,
    last_ts: u32,
    encoder: Box<dyn Encoder>,
    decoders: [Box<dyn Decoder>; 2],
}

fn codec_type(c: Codec) -> CodecType {
    match c {
        Codec::Pcmu => CodecType::PCMU,
        Codec::Pcma => CodecType::PCMA,
    }
}

impl OutStream {
    pub fn new(ssrc: u32, codec: Codec, dtmf: Option<u8>) -> OutStream {
        OutStream {
            ssrc,
            seq: (ssrc >> 16) as u16,
            codec,
            dtmf,
            current: None,
            last_ts: ssrc.rotate_left(7),
            encoder: audio_codec::create_encoder(codec_type(codec)),
            decoders: [audio_codec::create_decoder(CodecType::PCMU), audio_codec::create_decoder(CodecType::PCMA)],
        }
    }

    fn header(&mut self, source: Source, ts: u32, payload_type: u8, marker: bool) -> RtpHeader {
        let switched = self.current.map(|(s, _)| s) != Some(source);
        if switched {
            // The new source's first packet follows the last one sent by a frame.
            let offset = self.last_ts.wrapping_add(FRAME as u32).wrapping_sub(ts);
            self.current = Some((source, offset));
        }
        let offset = self.current.map_or(0, |(_, o)| o);
        let out_ts = ts.wrapping_add(offset);
        self.last_ts = out_ts;
        self.seq = self.seq.wrapping_add(1);
        let mut h = RtpHeader::new(payload_type, self.seq, out_ts, self.ssrc);
        h.marker = marker || switched;
        h
    }

    /// A packet from the other leg, as this leg must receive it; `None` for what this
    /// leg cannot take (a codec it did not negotiate, telephone events it did not offer).
    pub fn forward(&mut self, packet: &RtpPacket, their_dtmf: Option<u8>) -> Option<Vec<u8>> {
        let source = Source::Leg(packet.header.ssrc);
        let pt = packet.header.payload_type;
        if Some(pt) == their_dtmf {
            let ours = self.dtmf?;
            let h = self.header(source, packet.header.timestamp, ours, packet.header.marker);
            return RtpPacket::new(h, packet.payload.to_vec()).marshal().ok();
        }
        let payload = match (pt, self.codec) {
            (0, Codec::Pcmu) | (8, Codec::Pcma) => packet.payload.to_vec(),
            (0 | 8, _) => {
                let pcm = self.decoders[usize::from(pt == 8)].decode(&packet.payload);
                self.encoder.encode(&pcm)
            }
            _ => return None,
        };
        let h = self.header(source, packet.header.timestamp, self.codec.payload_type(), packet.header.marker);
        RtpPacket::new(h, payload).marshal().ok()
    }

    /// A 20 ms frame an agent in the browser said, their `n`th.
    pub fn voice(&mut self, samples: &[i16], n: u32) -> Option<Vec<u8>> {
        let payload = self.encoder.encode(samples);
        let h = self.header(Source::Browser, n.wrapping_mul(FRAME as u32), self.codec.payload_type(), false);
        RtpPacket::new(h, payload).marshal().ok()
    }

    /// A 20 ms frame of a clip, frame `n` of what is playing.
    pub fn play(&mut self, samples: &[i16], n: u32) -> Option<Vec<u8>> {
        let payload = self.encoder.encode(samples);
        let h = self.header(Source::Clip, n.wrapping_mul(FRAME as u32), self.codec.payload_type(), false);
        RtpPacket::new(h, payload).marshal().ok()
    }

    /// A new clip starts: its frames follow on from what was sent, not from the last clip.
    pub fn restart_clip(&mut self) {
        if self.current.map(|(s, _)| s) == Some(Source::Clip) {
            self.current = None;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn packet(ssrc: u32, seq: u16, ts: u32, pt: u8, payload: Vec<u8>) -> RtpPacket {
        RtpPacket::new(RtpHeader::new(pt, seq, ts, ssrc), payload)
    }

    fn read(bytes: &[u8]) -> RtpPacket {
        RtpPacket::parse(bytes).unwrap()
    }

    #[test]
    fn sequence_and_time_run_on_across_sources() {
        let mut out = OutStream::new(42, Codec::Pcmu, None);
        let a = read(&out.forward(&packet(1, 500, 9000, 0, vec![0xff; 160]), None).unwrap());
        let b = read(&out.forward(&packet(1, 501, 9160, 0, vec![0xff; 160]), None).unwrap());
        assert_eq!(b.header.sequence_number, a.header.sequence_number.wrapping_add(1));
        assert_eq!(b.header.timestamp, a.header.timestamp.wrapping_add(160));
        assert!(a.header.marker && !b.header.marker);
        let music = read(&out.play(&[0i16; 160], 0).unwrap());
        assert_eq!(music.header.ssrc, 42);
        assert_eq!(music.header.timestamp, b.header.timestamp.wrapping_add(160));
        assert_eq!(music.header.sequence_number, b.header.sequence_number.wrapping_add(1));
        let back = read(&out.forward(&packet(1, 900, 70_000, 0, vec![0xff; 160]), None).unwrap());
        assert_eq!(back.header.timestamp, music.header.timestamp.wrapping_add(160));
    }

    #[test]
    fn a_law_is_transcoded_for_a_mu_law_leg() {
        let mut out = OutStream::new(1, Codec::Pcmu, None);
        // A-law silence (0xd5) is µ-law silence (0xff).
        let p = read(&out.forward(&packet(9, 1, 0, 8, vec![0xd5; 160]), None).unwrap());
        assert_eq!(p.header.payload_type, 0);
        assert_eq!(p.payload.len(), 160);
        // Still (near) silence once decoded as µ-law.
        let pcm = audio_codec::create_decoder(CodecType::PCMU).decode(&p.payload);
        assert!(pcm.iter().all(|x| x.abs() < 16), "{:?}", &pcm[..4]);
    }

    #[test]
    fn telephone_events_take_this_legs_payload_type_or_are_dropped() {
        let event = packet(9, 1, 0, 96, vec![5, 0x8a, 0, 160]);
        let mut with = OutStream::new(1, Codec::Pcmu, Some(101));
        let p = read(&with.forward(&event, Some(96)).unwrap());
        assert_eq!((p.header.payload_type, &p.payload[..]), (101, &[5u8, 0x8a, 0, 160][..]));
        let mut without = OutStream::new(1, Codec::Pcmu, None);
        assert!(without.forward(&event, Some(96)).is_none());
        assert!(without.forward(&packet(9, 2, 0, 18, vec![0; 20]), None).is_none());
    }
}
