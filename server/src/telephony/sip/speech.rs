//! 強制終了's guidance as Japanese speech: the text the agent confirmed is spoken by
//! Open JTalk (Debian's `open-jtalk` with the NAIST Japanese dictionary, and an HTS
//! voice), offline, and played to the customer at 8 kHz. The same text is spoken once
//! and kept.

use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::{Arc, Mutex};

use super::media::Clip;

/// Where Open JTalk and its voice are.
#[derive(Clone, Debug)]
pub struct Voice {
    /// The `.htsvoice` file (`RINGDESK_TTS_VOICE`).
    pub voice: PathBuf,
    /// The dictionary folder (`RINGDESK_TTS_DICTIONARY`).
    pub dictionary: PathBuf,
}

#[derive(Debug, thiserror::Error)]
pub enum SpeechError {
    #[error("open_jtalk could not be run (apt-get install open-jtalk): {0}")]
    Missing(std::io::Error),
    #[error("open_jtalk failed: {0}")]
    Failed(String),
    #[error("open_jtalk's recording cannot be read: {0}")]
    Unreadable(hound::Error),
}

/// Messages already spoken, by their text: agents use the tenant's one message most of
/// the time. Bounded, so an agent typing a new text each time cannot grow it for ever.
const KEPT: usize = 32;

#[derive(Clone)]
pub struct Speech {
    voice: Voice,
    kept: Arc<Mutex<HashMap<String, Arc<Clip>>>>,
}

impl Speech {
    pub fn new(voice: Voice) -> Speech {
        Speech { voice, kept: Arc::default() }
    }

    /// `text` spoken, as a clip to play into a call.
    pub async fn say(&self, text: &str) -> Result<Arc<Clip>, SpeechError> {
        if let Some(clip) = self.kept.lock().unwrap_or_else(|p| p.into_inner()).get(text) {
            return Ok(clip.clone());
        }
        let dir = tempfile::tempdir().map_err(SpeechError::Missing)?;
        let input = dir.path().join("message.txt");
        let output = dir.path().join("message.wav");
        tokio::fs::write(&input, text).await.map_err(SpeechError::Missing)?;
        let out = tokio::process::Command::new("open_jtalk")
            .arg("-x")
            .arg(&self.voice.dictionary)
            .arg("-m")
            .arg(&self.voice.voice)
            .arg("-ow")
            .arg(&output)
            .arg(&input)
            .kill_on_drop(true)
            .output()
            .await
            .map_err(SpeechError::Missing)?;
        if !out.status.success() {
            return Err(SpeechError::Failed(String::from_utf8_lossy(&out.stderr).trim().to_owned()));
        }
        let reader = hound::WavReader::open(&output).map_err(SpeechError::Unreadable)?;
        let rate = reader.spec().sample_rate;
        let samples: Vec<i16> =
            reader.into_samples::<i16>().collect::<Result<_, _>>().map_err(SpeechError::Unreadable)?;
        let samples = audio_codec::resampler::resample(&samples, rate, 8000);
        let clip = Arc::new(Clip { name: format!("speech: {text}"), samples: samples.into() });
        let mut kept = self.kept.lock().unwrap_or_else(|p| p.into_inner());
        if kept.len() >= KEPT {
            kept.clear();
        }
        kept.insert(text.to_owned(), clip.clone());
        Ok(clip)
    }
}
