//! Talking in the browser, as the widget shows it: where the agent talks (通話デバイス),
//! whether their audio is ready and why not, the button that opens the phone window,
//! and, during a call, the microphone's level and ミュート, which the phone window
//! (`crate::phone_window`) tells and obeys through its channel.

use leptos::prelude::*;

use super::store::PhoneStore;
use crate::api::set_endpoint;
use crate::i18n::{Key, t};
use crate::model::{BrowserAudio, Endpoint};

/// Opens the phone window, or brings it forward if it is open. Called from a click, so
/// that the browser lets the window open.
pub fn open_phone_window() {
    #[cfg(feature = "hydrate")]
    if let Some(w) = web_sys::window() {
        // Opening "/phone" in the named window would load it again if it is open, and a
        // page load drops its audio: an empty address finds the window as it is (or opens
        // a blank one, which then goes to the phone).
        let found = w.open_with_url_and_target_and_features("", "ringdesk-phone", "popup,width=400,height=600");
        if let Ok(Some(phone)) = found {
            if phone.location().pathname().ok().as_deref() != Some("/phone") {
                let _ = phone.location().set_href("/phone");
            }
            let _ = phone.focus();
        }
    }
}

/// What the phone window last said: the microphone's level and whether it is muted.
#[derive(Clone, Copy)]
struct Heard {
    level: RwSignal<f64>,
    muted: RwSignal<bool>,
}

#[cfg(feature = "hydrate")]
fn listen(heard: Heard) {
    use crate::phone_window::channel::{self, Said};
    use wasm_bindgen::JsCast;
    use wasm_bindgen::closure::Closure;
    let Ok(tabs) = web_sys::BroadcastChannel::new(channel::NAME) else { return };
    let on_message = Closure::<dyn FnMut(web_sys::MessageEvent)>::new(move |ev: web_sys::MessageEvent| {
        if let Some(said) = ev.data().as_string().as_deref().and_then(Said::decode) {
            heard.level.set(said.level);
            heard.muted.set(said.muted);
        }
    });
    tabs.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
    // The page's lifetime.
    on_message.forget();
    std::mem::forget(tabs);
}

fn ask_mute(muted: bool) {
    #[cfg(feature = "hydrate")]
    if let Ok(tabs) = web_sys::BroadcastChannel::new(crate::phone_window::channel::NAME) {
        let _ = tabs.post_message(&crate::phone_window::channel::mute_request(muted).into());
        tabs.close();
    }
    #[cfg(not(feature = "hydrate"))]
    let _ = muted;
}

/// 通話デバイス, and the browser's audio where the agent talks there.
#[component]
pub fn AudioBox() -> impl IntoView {
    let store = expect_context::<PhoneStore>();
    let heard = Heard { level: RwSignal::new(0.0), muted: RwSignal::new(false) };
    #[cfg(feature = "hydrate")]
    listen(heard);
    let endpoint = move || store.view.with(|v| v.as_ref().map(|v| v.endpoint));
    let audio = move || store.view.with(|v| v.as_ref().map(|v| v.browser_audio));
    let in_call = move || store.status().is_some_and(|s| s.has_call());
    let choose = move |value: String| {
        let chosen = if value == "browser" { Endpoint::Browser } else { Endpoint::DeskPhone };
        if chosen == Endpoint::Browser {
            open_phone_window();
        }
        store.update(set_endpoint(chosen));
    };
    view! {
        <div class="audio-box">
            <label class="endpoint">
                <span>{t(Key::EndpointLabel)}</span>
                <select
                    prop:value=move || if endpoint() == Some(Endpoint::Browser) { "browser" } else { "desk_phone" }
                    disabled=move || store.busy.get() || in_call() || endpoint().is_none()
                    on:change=move |ev| choose(event_target_value(&ev))>
                    <option value="browser">{t(Key::EndpointBrowser)}</option>
                    <option value="desk_phone">{t(Key::EndpointDeskPhone)}</option>
                </select>
            </label>
            <Show when=move || endpoint() == Some(Endpoint::Browser)>
                {move || match audio() {
                    Some(BrowserAudio::Ready) => view! {
                        <p class="audio-ready">{t(Key::AudioReady)}</p>
                    }.into_any(),
                    Some(BrowserAudio::Trouble) => view! {
                        <p class="notice audio-trouble"><strong>{t(Key::AudioTrouble)}</strong>" "{t(Key::AudioTroubleHint)}</p>
                    }.into_any(),
                    other => view! {
                        <p class="notice">{t(match other {
                            Some(BrowserAudio::NoPermission) => Key::AudioNoPermission,
                            Some(BrowserAudio::NoDevice) => Key::AudioNoDevice,
                            _ => Key::AudioClosed,
                        })}</p>
                        <button type="button" on:click=move |_| open_phone_window()>{t(Key::OpenPhoneWindow)}</button>
                    }.into_any(),
                }}
                <Show when=move || in_call() && audio() == Some(BrowserAudio::Ready)>
                    <div class="mic">
                        <label class="meter">
                            <span>{t(Key::MicLevel)}</span>
                            <meter min="0" max="1" low="0.02" prop:value=move || heard.level.get()></meter>
                        </label>
                        <button type="button" class="mute"
                            aria-pressed=move || heard.muted.get().to_string()
                            on:click=move |_| ask_mute(!heard.muted.get_untracked())>
                            <span class="mic-icon" aria-hidden="true"></span>
                            {t(Key::Mute)}
                        </button>
                    </div>
                    <Show when=move || heard.muted.get()>
                        <p class="notice">{t(Key::Muted)}</p>
                    </Show>
                </Show>
            </Show>
        </div>
    }
}
