//! The phone's workings, one piece of the wasm (`#[lazy]`) for the widget's tab and for
//! the phone window: the two share most of their code (the store, the channel, WebRTC's
//! and the audio's bindings), and a piece of its own for the window would split every
//! page's shared code into more, smaller chunks (a ticket's page went over its budget).
//! The islands that start them (`widget::PhoneWidget`, `phone_window::PhoneWindow`) are
//! small and in the main module.

use leptos::prelude::*;

/// Which workings to start: the widget's tab and panel, or the phone window's.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Workings {
    Tab,
    Window,
}

/// The workings `workings` names, fetched with the piece.
#[lazy]
pub fn phone_widget(workings: Workings) -> AnyView {
    match workings {
        Workings::Tab => view! { <crate::widget::tab::PhoneTab /> }.into_any(),
        Workings::Window => view! { <crate::phone_window::workings::WindowWorkings /> }.into_any(),
    }
}
