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

use leptos::prelude::*;

use crate::i18n::{Key, t};

/// How the window's audio is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum WindowState {
    Starting,
    /// Another window of this browser holds the phone.
    ElsewhereHere,
    /// Another window (another browser, another computer) took the phone over.
    Elsewhere,
    NoPermission,
    NoDevice,
    Connecting,
    Ready,
    /// The connection dropped; the window is mending it (接続不良).
    Trouble,
}

impl WindowState {
    fn text(self) -> &'static str {
        t(match self {
            WindowState::Starting | WindowState::Connecting => Key::Connecting,
            WindowState::ElsewhereHere | WindowState::Elsewhere => Key::PhoneElsewhere,
            WindowState::NoPermission => Key::AudioNoPermission,
            WindowState::NoDevice => Key::AudioNoDevice,
            WindowState::Ready => Key::AudioReady,
            WindowState::Trouble => Key::AudioTrouble,
        })
    }
}

/// A microphone or speaker the browser offers.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Device {
    pub id: String,
    pub label: String,
}

/// The window's state, shared by its view and its workings.
#[derive(Clone, Copy)]
pub struct Ui {
    pub state: RwSignal<WindowState>,
    pub level: RwSignal<f64>,
    pub muted: RwSignal<bool>,
    pub mics: RwSignal<Vec<Device>>,
    pub speakers: RwSignal<Vec<Device>>,
    /// The chosen devices ("" for the browser's default), remembered in this browser.
    pub mic: RwSignal<String>,
    pub speaker: RwSignal<String>,
    /// Asked to take the phone over from another window.
    pub take_over: RwSignal<u32>,
    pub audio: NodeRef<leptos::html::Audio>,
}

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

/// The window's island: tiny, in the main module; its workings are the widget's piece of
/// the wasm (`widget::phone_widget`), started once the page has.
#[island]
fn PhoneWindow() -> impl IntoView {
    crate::started::island();
    let _fetched = leptos::prelude::lazy_preload!(crate::widget::phone_widget);
    let started = RwSignal::new(false);
    Effect::new(move || started.set(true));
    let connecting = || view! { <p class="audio-state" role="status">{t(Key::Connecting)}</p> };
    view! {
        <Show when=move || started.get() fallback=connecting>
            <Suspense fallback=connecting>
                {move || Suspend::new(crate::widget::phone_widget(crate::widget::Workings::Window))}
            </Suspense>
        </Show>
    }
}

/// The window's view and workings.
#[component]
pub fn WindowWorkings() -> impl IntoView {
    let ui = Ui {
        state: RwSignal::new(WindowState::Starting),
        level: RwSignal::new(0.0),
        muted: RwSignal::new(false),
        mics: RwSignal::new(Vec::new()),
        speakers: RwSignal::new(Vec::new()),
        mic: RwSignal::new(String::new()),
        speaker: RwSignal::new(String::new()),
        take_over: RwSignal::new(0),
        audio: NodeRef::new(),
    };
    #[cfg(feature = "hydrate")]
    Effect::new(move |done: Option<()>| {
        if done.is_none() {
            rtc::start(ui);
        }
    });
    let state = ui.state;
    let device_choice =
        move |label: Key, devices: RwSignal<Vec<Device>>, chosen: RwSignal<String>, name: &'static str| {
            view! {
                <label class="device">
                    <span>{t(label)}</span>
                    <select name=name
                        prop:value=move || chosen.get()
                        on:change=move |ev| chosen.set(event_target_value(&ev))>
                        <option value="">{t(Key::DefaultDevice)}</option>
                        <For each=move || devices.get() key=|d| d.id.clone() let:d>
                            <option value=d.id.clone()>{d.label.clone()}</option>
                        </For>
                    </select>
                </label>
            }
        };
    view! {
        <p class="muted">{t(Key::PhoneWindowIntro)}</p>
        <p class="audio-state" role="status" data-state=move || format!("{:?}", state.get())
            class:trouble=move || matches!(state.get(), WindowState::Trouble | WindowState::NoPermission | WindowState::NoDevice)>
            {move || state.get().text()}
        </p>
        <Show when=move || state.get() == WindowState::Trouble>
            <p class="muted">{t(Key::AudioTroubleHint)}</p>
        </Show>
        <Show when=move || state.get() == WindowState::Elsewhere>
            <button type="button" class="primary" on:click=move |_| ui.take_over.update(|n| *n += 1)>
                {t(Key::UseThisWindow)}
            </button>
        </Show>
        <div class="mic">
            <label class="meter">
                <span>{t(Key::MicLevel)}</span>
                <meter min="0" max="1" low="0.02" prop:value=move || ui.level.get()></meter>
            </label>
            <button type="button" class="mute"
                aria-pressed=move || ui.muted.get().to_string()
                disabled=move || state.get() != WindowState::Ready
                on:click=move |_| ui.muted.update(|m| *m = !*m)>
                <span class="mic-icon" aria-hidden="true"></span>
                {t(Key::Mute)}
            </button>
        </div>
        <Show when=move || ui.muted.get()>
            <p class="notice">{t(Key::Muted)}</p>
        </Show>
        {device_choice(Key::Microphone, ui.mics, ui.mic, "microphone")}
        {device_choice(Key::Speaker, ui.speakers, ui.speaker, "speaker")}
        <audio node_ref=ui.audio autoplay></audio>
    }
}
