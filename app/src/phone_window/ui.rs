//! The phone window's state, shared by its view and its workings.

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
    pub fn text(self) -> &'static str {
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
