//! A recording ringdesk plays into a call: 8 kHz mono 16-bit PCM, read once (hound
//! reads the WAV) and shared by every call that plays it.

use std::path::Path;
use std::sync::Arc;

#[derive(Debug)]
pub struct Clip {
    pub name: String,
    pub samples: Arc<[i16]>,
}

#[derive(Debug, thiserror::Error)]
pub enum ClipError {
    #[error("{0}: {1}")]
    Unreadable(String, hound::Error),
    #[error("{0}: must be 8000 Hz, mono, 16-bit PCM (convert it: sox in.wav -r 8000 -c 1 -b 16 out.wav)")]
    Format(String),
    #[error("{0}: holds no sound")]
    Empty(String),
}

/// Samples in a 20 ms packet at 8 kHz.
pub const FRAME: usize = 160;

impl Clip {
    pub fn load(path: &Path) -> Result<Clip, ClipError> {
        let name = path.display().to_string();
        let reader = hound::WavReader::open(path).map_err(|e| ClipError::Unreadable(name.clone(), e))?;
        Clip::read(name, reader)
    }

    /// A WAV built into the binary.
    pub fn embedded(name: &str, wav: &'static [u8]) -> Result<Clip, ClipError> {
        let reader =
            hound::WavReader::new(std::io::Cursor::new(wav)).map_err(|e| ClipError::Unreadable(name.into(), e))?;
        Clip::read(name.into(), reader)
    }

    fn read<R: std::io::Read>(name: String, reader: hound::WavReader<R>) -> Result<Clip, ClipError> {
        let spec = reader.spec();
        if spec.sample_rate != 8000
            || spec.channels != 1
            || spec.bits_per_sample != 16
            || spec.sample_format != hound::SampleFormat::Int
        {
            return Err(ClipError::Format(name));
        }
        let samples: Vec<i16> = reader
            .into_samples::<i16>()
            .collect::<Result<_, _>>()
            .map_err(|e| ClipError::Unreadable(name.clone(), e))?;
        if samples.is_empty() {
            return Err(ClipError::Empty(name));
        }
        Ok(Clip { name, samples: samples.into() })
    }

    /// Silence of `ms` milliseconds (the hold music `none`).
    pub fn silence(ms: usize) -> Clip {
        Clip { name: "silence".into(), samples: vec![0i16; 8 * ms].into() }
    }

    /// The built-in hold music `name`: `hold-{name}.wav` in the media folder, else the
    /// free recording Debian's asterisk-moh-opsound-wav installs for it (silence for
    /// `none`, or for a file that cannot be read, which is logged).
    pub fn builtin_music(media_dir: &Path, name: &str) -> Clip {
        if name == "none" {
            return Clip::silence(1000);
        }
        let own = media_dir.join(format!("hold-{name}.wav"));
        let debian = match name {
            "gentle" => "manolo_camp-morning_coffee.wav",
            _ => "macroform-the_simplicity.wav",
        };
        let path = if own.exists() { own } else { Path::new("/usr/share/asterisk/moh").join(debian) };
        Clip::load(&path).unwrap_or_else(|e| {
            tracing::error!(error = %e, "hold music cannot be played; the customer hears silence");
            Clip::silence(1000)
        })
    }

    /// The 20 ms frame `n` of the clip; `None` past its end.
    pub fn frame(&self, n: usize) -> Option<&[i16]> {
        let start = n.checked_mul(FRAME)?;
        if start >= self.samples.len() {
            return None;
        }
        Some(&self.samples[start..(start + FRAME).min(self.samples.len())])
    }

    /// The frame `n` of the clip played over and over.
    pub fn looped(&self, n: usize) -> &[i16] {
        let frames = self.samples.len().div_ceil(FRAME);
        self.frame(n % frames).unwrap_or(&[])
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn frames_cover_the_clip_and_loop() {
        let clip = Clip { name: "t".into(), samples: (0..400).map(|i| i as i16).collect::<Vec<_>>().into() };
        assert_eq!(clip.frame(0).unwrap().len(), 160);
        assert_eq!(clip.frame(2).unwrap().len(), 80);
        assert!(clip.frame(3).is_none());
        assert_eq!(clip.looped(3)[0], 0);
        assert_eq!(clip.looped(4)[0], 160);
    }

    #[test]
    fn only_8khz_mono_pcm_is_taken() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("cd.wav");
        let spec = hound::WavSpec {
            channels: 2,
            sample_rate: 44100,
            bits_per_sample: 16,
            sample_format: hound::SampleFormat::Int,
        };
        let mut w = hound::WavWriter::create(&path, spec).unwrap();
        w.write_sample(0i16).unwrap();
        w.write_sample(0i16).unwrap();
        w.finalize().unwrap();
        assert!(matches!(Clip::load(&path), Err(ClipError::Format(_))));
        assert!(matches!(Clip::load(&dir.path().join("missing.wav")), Err(ClipError::Unreadable(..))));
    }
}
