//! The phone window: where an agent who talks in the browser keeps their calls' audio.
//! Pages of the app are each a page load, and a page load would cut a call's audio; so
//! the audio lives in this small window of its own, opened by CTIログイン (or the
//! widget's 電話ウィンドウを開く) and left open all day, while the agent moves between
//! tickets in their tabs. It holds the WebRTC connection to ringdesk (one a day, not one
//! a call: answering waits for nothing), the microphone, its level, ミュート, and the
//! choice of microphone and speaker; the tabs' widgets see its level and mute it
//! through `channel`. docs/ARCHITECTURE.md says why a window and not a single-page app.
//!
//! One phone per agent: a second window in the same browser finds the first holding the
//! phone (a Web Lock) and says so; a window elsewhere that connects takes the phone
//! over at ringdesk, and the first is told.

pub mod channel;
#[cfg(feature = "hydrate")]
mod devices;
#[cfg(feature = "hydrate")]
mod lock;
#[cfg(feature = "hydrate")]
mod meter;
#[cfg(feature = "hydrate")]
mod rtc;
pub mod ui;
pub mod workings;

use leptos::prelude::*;

use crate::i18n::{Key, t};

/// The phone window's page: no top bar, no widget; the window is the phone.
#[component]
pub fn PhoneWindowPage() -> impl IntoView {
    let session = use_context::<Option<crate::model::SessionInfo>>().flatten();
    view! {
        <leptos_meta::Title text=t(Key::PhoneWindowTitle) />
        <main class="phone-window">
            <h1>{t(Key::PhoneWindowTitle)}</h1>
            {match session {
                Some(s) if s.phone_permission => view! { <PhoneWindow /> }.into_any(),
                _ => view! { <p class="notice">{t(Key::ErrNoPhonePermission)}</p> }.into_any(),
            }}
        </main>
    }
}

/// The window's island: tiny, in the main module; its workings are the phone's piece of
/// the wasm (`phone_piece`), started once the page has.
#[island]
fn PhoneWindow() -> impl IntoView {
    crate::started::island();
    let _fetched = leptos::prelude::lazy_preload!(crate::phone_piece::phone_widget);
    let started = RwSignal::new(false);
    Effect::new(move || started.set(true));
    let connecting = || view! { <p class="audio-state" role="status">{t(Key::Connecting)}</p> };
    view! {
        <Show when=move || started.get() fallback=connecting>
            <Suspense fallback=connecting>
                {move || Suspend::new(crate::phone_piece::phone_widget(crate::phone_piece::Workings::Window))}
            </Suspense>
        </Show>
    }
}
