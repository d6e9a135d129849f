//! What a listener makes of the last few seconds of audio it heard: how loud it was and
//! which tone stood out. The simulator's customers report it (`/sim`), so that a demo or
//! a test can tell the agent's voice, hold music and silence apart. Pure.

use std::collections::VecDeque;

use serde::Serialize;

use super::FRAME;

/// Samples a second at 8 kHz.
const RATE: usize = 8000;

/// The last `seconds` of what was heard, and how much was heard in all.
#[derive(Debug)]
pub struct Hearing {
    recent: VecDeque<i16>,
    keep: usize,
    /// Frames heard in all, and those with sound in them (above the silence floor).
    frames: u64,
    loud_frames: u64,
}

/// What the recent audio sounds like.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Heard {
    /// Seconds of audio heard in all, and of those, seconds with sound in them.
    pub seconds: f64,
    pub seconds_with_sound: f64,
    /// The level of the last second, in dBFS (-96 for digital silence).
    pub level_dbfs: f64,
    /// The strongest frequency of the last second, in Hz, to the nearest 10 Hz; `None`
    /// when it was silent.
    pub tone_hz: Option<u32>,
}

/// A frame quieter than this (dBFS) counts as silence: line noise, not a voice.
const SILENCE_DBFS: f64 = -50.0;

impl Hearing {
    pub fn new(seconds: usize) -> Hearing {
        Hearing { recent: VecDeque::with_capacity(seconds * RATE), keep: seconds * RATE, frames: 0, loud_frames: 0 }
    }

    /// One frame heard (`FRAME` samples; a shorter one counts as a frame too).
    pub fn hear(&mut self, samples: &[i16]) {
        self.frames += 1;
        if level_dbfs(samples) > SILENCE_DBFS {
            self.loud_frames += 1;
        }
        for &s in samples {
            if self.recent.len() == self.keep {
                self.recent.pop_front();
            }
            self.recent.push_back(s);
        }
    }

    /// The last `seconds` heard, oldest first.
    pub fn recent(&self) -> Vec<i16> {
        self.recent.iter().copied().collect()
    }

    pub fn heard(&self) -> Heard {
        let second: Vec<i16> = self.recent.iter().rev().take(RATE).rev().copied().collect();
        let level = level_dbfs(&second);
        let frame_s = FRAME as f64 / RATE as f64;
        Heard {
            seconds: self.frames as f64 * frame_s,
            seconds_with_sound: self.loud_frames as f64 * frame_s,
            level_dbfs: (level * 10.0).round() / 10.0,
            tone_hz: (level > SILENCE_DBFS).then(|| strongest_tone(&second)).flatten(),
        }
    }
}

/// RMS level in dBFS; -96 for silence (or nothing).
pub fn level_dbfs(samples: &[i16]) -> f64 {
    if samples.is_empty() {
        return -96.0;
    }
    let sum: f64 = samples.iter().map(|&s| f64::from(s) * f64::from(s)).sum();
    let rms = (sum / samples.len() as f64).sqrt() / 32768.0;
    if rms <= 0.0 { -96.0 } else { (20.0 * rms.log10()).max(-96.0) }
}

/// Samples in a block the scan measures: 100 ms, so that each filter hears ±10 Hz
/// around its frequency, as wide as the scan's steps (over a whole second a filter
/// would hear ±1 Hz, and a tone between two steps would slip through both).
const BLOCK: usize = RATE / 10;

/// The frequency with the most energy, scanned from 100 to 3,500 Hz in 10 Hz steps
/// (the Goertzel filter at each, over 100 ms blocks summed): telephone audio's band.
pub fn strongest_tone(samples: &[i16]) -> Option<u32> {
    if samples.len() < FRAME {
        return None;
    }
    (10..=350)
        .map(|step| step * 10)
        .map(|hz| (hz, samples.chunks(BLOCK).map(|b| goertzel(b, hz as f64)).sum::<f64>()))
        .max_by(|a, b| a.1.total_cmp(&b.1))
        .map(|(hz, _)| hz)
}

/// The energy of `samples` at `hz`.
fn goertzel(samples: &[i16], hz: f64) -> f64 {
    let w = 2.0 * std::f64::consts::PI * hz / RATE as f64;
    let coeff = 2.0 * w.cos();
    let (mut s1, mut s2) = (0.0f64, 0.0f64);
    for &x in samples {
        let s0 = f64::from(x) + coeff * s1 - s2;
        s2 = s1;
        s1 = s0;
    }
    s1 * s1 + s2 * s2 - coeff * s1 * s2
}

/// A pure tone, for tests and the simulator's customers who only hum.
pub fn tone(hz: u32, amplitude: i16, offset: usize, len: usize) -> Vec<i16> {
    (offset..offset + len)
        .map(|n| {
            let t = n as f64 / RATE as f64;
            (f64::from(amplitude) * (2.0 * std::f64::consts::PI * f64::from(hz) * t).sin()) as i16
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn silence_has_no_tone_and_the_floor_level() {
        let mut h = Hearing::new(2);
        for _ in 0..50 {
            h.hear(&[0; FRAME]);
        }
        let heard = h.heard();
        assert_eq!((heard.tone_hz, heard.level_dbfs, heard.seconds_with_sound), (None, -96.0, 0.0));
        assert!((heard.seconds - 1.0).abs() < 1e-9);
    }

    #[test]
    fn only_the_last_seconds_are_kept() {
        let mut h = Hearing::new(1);
        for i in 0..100 {
            h.hear(&tone(440, 8000, i * FRAME, FRAME));
        }
        assert_eq!(h.recent().len(), RATE);
        assert_eq!(h.heard().seconds_with_sound, 2.0);
    }

    proptest! {
        /// Any tone in the telephone band is found to within one step of the scan.
        #[test]
        fn a_tone_is_found_where_it_is(hz in 150u32..3400, amplitude in 1000i16..20000) {
            let mut h = Hearing::new(1);
            for i in 0..50 {
                h.hear(&tone(hz, amplitude, i * FRAME, FRAME));
            }
            let found = h.heard().tone_hz.unwrap();
            prop_assert!(found.abs_diff(hz) <= 10, "{hz} Hz heard as {found} Hz");
        }
    }
}
