//! The browser's side of a call's audio in the telephone's form: what the browser sends
//! (Opus, or G.711 µ-law where the browser was asked for it) decoded to 20 ms frames of
//! 8 kHz PCM, and such frames encoded for the browser. Opus is coded at 8 kHz both ways:
//! the telephone network carries no more, and Opus resamples inside its own codec, so
//! nothing else is needed. Pure.

use audio_codec::opus::{OpusDecoder, OpusEncoder};
use audio_codec::{CodecType, Decoder, Encoder};

use crate::telephony::audio::FRAME;

/// The codecs ringdesk talks with browsers in.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum BrowserCodec {
    /// Opus: robust on Wi-Fi (in-band FEC, loss concealment), but coded and decoded for
    /// every call (the trunk speaks G.711).
    Opus,
    /// G.711 µ-law: passed on to a µ-law trunk unchanged; no codec work.
    Pcmu,
}

/// Opus's bit rate for narrowband voice: ample at 8 kHz.
const OPUS_BITRATE: i32 = 24_000;

impl BrowserCodec {
    /// The codec named in an SDP rtpmap (`opus/48000/2`, `PCMU/8000`).
    pub fn named(name: &str) -> Option<BrowserCodec> {
        match name.to_ascii_lowercase().as_str() {
            "opus" => Some(BrowserCodec::Opus),
            "pcmu" => Some(BrowserCodec::Pcmu),
            _ => None,
        }
    }

    /// The RTP clock: Opus always runs at 48 kHz on the wire.
    pub fn clock_rate(self) -> u32 {
        match self {
            BrowserCodec::Opus => 48_000,
            BrowserCodec::Pcmu => 8_000,
        }
    }

    /// RTP timestamp ticks in one 20 ms frame.
    pub fn ticks_per_frame(self) -> u32 {
        self.clock_rate() / 50
    }

    pub fn encoder(self) -> Box<dyn Encoder> {
        match self {
            BrowserCodec::Opus => {
                let mut e = OpusEncoder::new(8000, 1);
                e.set_bitrate(OPUS_BITRATE);
                Box::new(e)
            }
            BrowserCodec::Pcmu => audio_codec::create_encoder(CodecType::PCMU),
        }
    }

    pub fn decoder(self) -> Box<dyn Decoder> {
        match self {
            BrowserCodec::Opus => Box::new(OpusDecoder::new(8000, 1)),
            BrowserCodec::Pcmu => audio_codec::create_decoder(CodecType::PCMU),
        }
    }
}

/// Splits decoded audio into 20 ms frames (a browser may send 10 ms or 60 ms packets).
#[derive(Default)]
pub struct Framer {
    pending: Vec<i16>,
}

impl Framer {
    pub fn push(&mut self, samples: &[i16], mut frame: impl FnMut(Vec<i16>)) {
        self.pending.extend_from_slice(samples);
        while self.pending.len() >= FRAME {
            let rest = self.pending.split_off(FRAME);
            frame(std::mem::replace(&mut self.pending, rest));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::telephony::audio::hearing::{strongest_tone, tone};

    fn round_trip(codec: BrowserCodec, hz: u32) -> Vec<i16> {
        let (mut enc, mut dec) = (codec.encoder(), codec.decoder());
        let mut out = Vec::new();
        for i in 0..50 {
            let packet = enc.encode(&tone(hz, 8000, i * FRAME, FRAME));
            out.extend(dec.decode(&packet));
        }
        out
    }

    #[test]
    fn a_tone_survives_either_codec_at_telephone_rate() {
        for codec in [BrowserCodec::Opus, BrowserCodec::Pcmu] {
            let heard = round_trip(codec, 1000);
            assert_eq!(heard.len(), 50 * FRAME, "{codec:?}");
            let found = strongest_tone(&heard[heard.len() - 8000 / 2..]).unwrap();
            assert!(found.abs_diff(1000) <= 10, "{codec:?}: 1000 Hz heard as {found} Hz");
        }
    }

    #[test]
    fn packets_of_any_length_come_out_as_20_ms_frames() {
        let mut framer = Framer::default();
        let mut frames = Vec::new();
        framer.push(&[1; 80], |f| frames.push(f));
        assert!(frames.is_empty());
        framer.push(&[2; 480], |f| frames.push(f));
        assert_eq!(frames.len(), 3);
        assert!(frames.iter().all(|f| f.len() == FRAME));
        assert_eq!(&frames[0][..81], &[[1; 80].as_slice(), &[2]].concat()[..]);
    }
}
