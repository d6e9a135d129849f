//! CTI設定's 保留音ファイル: the tenant's own hold music, chosen as a file in the browser,
//! decoded and resampled there to what a call carries (8 kHz mono), and uploaded as
//! samples. The browser's decoders read WAV, MP3, Ogg and the rest; the server never
//! parses an uploaded audio format, only checks the length.

use leptos::prelude::*;

use crate::api::HOLD_MUSIC_FILE;
use crate::i18n::{Key, t};
use crate::model::HoldMusicFile;
use crate::pages::form::{FieldError, Submission, SubmissionStatus, error_id};

/// The file input, its アップロード button, and what is uploaded now. A successful
/// upload sets `file` (and the form's 保留音 to it, for 保存 to apply).
#[component]
pub fn HoldMusicUpload(file: RwSignal<Option<HoldMusicFile>>, music: RwSignal<String>) -> impl IntoView {
    let upload = Submission::new();
    let problems = upload.problems;
    let chosen = NodeRef::<leptos::html::Input>::new();
    let send = move |_| {
        #[cfg(feature = "hydrate")]
        {
            let Some(input) = chosen.get_untracked() else { return };
            let picked = input.files().and_then(|l| l.get(0));
            use crate::api::upload_hold_music;
            upload.send(
                async move {
                    let picked = picked.ok_or_else(|| refusal(crate::domain::Problem::Required))?;
                    let samples = decode(&picked).await?;
                    upload_hold_music(picked.name(), samples).await
                },
                move |saved| {
                    file.set(Some(saved));
                    music.set(crate::domain::HOLD_MUSIC_OWN.to_owned());
                },
            );
        }
        #[cfg(not(feature = "hydrate"))]
        let _ = (chosen, music);
    };
    view! {
        <div class="upload">
            // The hint is beside the field, not in its label: the file chooser's name is
            // the label alone.
            <label class:invalid=move || problems.bad(HOLD_MUSIC_FILE)>
                <span>{t(Key::HoldMusicFileLabel)}</span>
                <input type="file" name=HOLD_MUSIC_FILE accept="audio/*" node_ref=chosen
                    aria-invalid=move || problems.bad(HOLD_MUSIC_FILE).to_string()
                    aria-describedby=format!("hold-music-hint {}", error_id("cti", HOLD_MUSIC_FILE)) />
            </label>
            <small id="hold-music-hint" class="muted">{t(Key::HoldMusicFileHint)}</small>
            <FieldError problems scope="cti" field=HOLD_MUSIC_FILE />
            <div class="upload-actions">
                <button type="button" on:click=send disabled=move || upload.pending.get()>{t(Key::Upload)}</button>
                <SubmissionStatus of=upload done=Key::HoldMusicUploaded />
            </div>
            <p class="muted">
                {move || file.get().map(|f| format!("{}: {} ({})", t(Key::HoldMusicCurrent), f.file_name, duration(f.duration_ms)))}
            </p>
        </div>
    }
}

/// `m:ss`.
pub fn duration(ms: i64) -> String {
    let secs = ms / 1000;
    format!("{}:{:02}", secs / 60, secs % 60)
}

#[cfg(feature = "hydrate")]
fn refusal(problem: crate::domain::Problem) -> crate::error::AppError {
    crate::error::AppError::Invalid(vec![crate::domain::FieldProblem::new(HOLD_MUSIC_FILE, problem)])
}

/// Decodes `file` with the browser's own decoders into 8 kHz mono samples, as
/// little-endian 16-bit bytes (what the upload carries: two bytes a sample).
#[cfg(feature = "hydrate")]
async fn decode(file: &web_sys::File) -> Result<Vec<u8>, crate::error::AppError> {
    use wasm_bindgen::JsCast;
    use wasm_bindgen_futures::JsFuture;
    let unreadable = || refusal(crate::domain::Problem::HoldMusicLength);
    let bytes: js_sys::ArrayBuffer =
        JsFuture::from(file.array_buffer()).await.map_err(|_| unreadable())?.dyn_into().map_err(|_| unreadable())?;
    // decodeAudioData resamples to its context's rate: an offline context at 8 kHz.
    let rate = crate::domain::cti_settings::HOLD_MUSIC_RATE as f32;
    let context = web_sys::OfflineAudioContext::new_with_number_of_channels_and_length_and_sample_rate(1, 1, rate)
        .map_err(|_| unreadable())?;
    let decoding = context.decode_audio_data(&bytes).map_err(|_| unreadable())?;
    let decoded: web_sys::AudioBuffer =
        JsFuture::from(decoding).await.map_err(|_| unreadable())?.dyn_into().map_err(|_| unreadable())?;
    let channels = decoded.number_of_channels();
    let mut mix = vec![0f32; decoded.length() as usize];
    for c in 0..channels {
        let data = decoded.get_channel_data(c).map_err(|_| unreadable())?;
        for (m, s) in mix.iter_mut().zip(data) {
            *m += s / channels as f32;
        }
    }
    Ok(mix.into_iter().flat_map(|s| ((s.clamp(-1.0, 1.0) * 32767.0) as i16).to_le_bytes()).collect())
}
