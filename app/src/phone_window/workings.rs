//! The phone window's view (its state, the microphone's level, ミュート, the devices)
//! and the start of its workings (`rtc`).

use leptos::prelude::*;

use super::ui::{Device, Ui, WindowState};
use crate::i18n::{Key, t};

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
            super::rtc::start(ui);
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
