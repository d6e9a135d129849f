//! The microphone and the speaker: asking for the microphone, and the devices the
//! browser offers, remembered in this browser.

use js_sys::{Object, Reflect};
use leptos::prelude::*;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;
use web_sys::{MediaDeviceInfo, MediaDeviceKind, MediaStream, MediaStreamConstraints};

use super::ui::{Device, Ui, WindowState};

pub const MIC_KEY: &str = "ringdesk.phone.microphone";
pub const SPEAKER_KEY: &str = "ringdesk.phone.speaker";

pub fn storage() -> Option<web_sys::Storage> {
    web_sys::window()?.local_storage().ok().flatten()
}

/// The microphone, with the browser's echo cancelling and noise suppression.
pub async fn microphone(device: &str) -> Result<MediaStream, WindowState> {
    let devices = web_sys::window().and_then(|w| w.navigator().media_devices().ok()).ok_or(WindowState::NoDevice)?;
    let audio = Object::new();
    for key in ["echoCancellation", "noiseSuppression", "autoGainControl"] {
        let _ = Reflect::set(&audio, &key.into(), &JsValue::TRUE);
    }
    if !device.is_empty() {
        let exact = Object::new();
        let _ = Reflect::set(&exact, &"exact".into(), &device.into());
        let _ = Reflect::set(&audio, &"deviceId".into(), &exact);
    }
    let constraints = MediaStreamConstraints::new();
    constraints.set_audio(&audio);
    let asked = devices.get_user_media_with_constraints(&constraints).map_err(|_| WindowState::NoDevice)?;
    match JsFuture::from(asked).await {
        Ok(stream) => Ok(stream.unchecked_into()),
        Err(e) => {
            let name = Reflect::get(&e, &"name".into()).ok().and_then(|n| n.as_string()).unwrap_or_default();
            Err(match name.as_str() {
                "NotAllowedError" | "SecurityError" => WindowState::NoPermission,
                _ => WindowState::NoDevice,
            })
        }
    }
}

/// The microphones and speakers the browser offers (named once the microphone is
/// allowed).
pub async fn list_devices(ui: Ui) {
    let Some(devices) = web_sys::window().and_then(|w| w.navigator().media_devices().ok()) else { return };
    let Ok(listing) = devices.enumerate_devices() else { return };
    let Ok(list) = JsFuture::from(listing).await else { return };
    let (mut mics, mut speakers) = (Vec::new(), Vec::new());
    for d in js_sys::Array::from(&list).iter() {
        let d: MediaDeviceInfo = d.unchecked_into();
        let id = d.device_id();
        if id.is_empty() || id == "default" {
            continue;
        }
        let device = Device { label: if d.label().is_empty() { id.clone() } else { d.label() }, id };
        match d.kind() {
            MediaDeviceKind::Audioinput => mics.push(device),
            MediaDeviceKind::Audiooutput => speakers.push(device),
            _ => {}
        }
    }
    ui.mics.set(mics);
    ui.speakers.set(speakers);
}
