//! The phone widget: a tab fixed at the right edge of every signed-in page, opening the
//! phone panel. Its state is one reactive store fed by the live stream.
//!
//! Two layers of the wasm: the idle tab in the main module (every signed-in page draws
//! it), and the workings (the live stream, the ring alert, the panel) in a piece started
//! after hydration. (The panel was a piece of its own; as one piece with the workings,
//! the pieces a page needs share fewer, larger chunks: docs/BENCHMARKS.md.)

mod alert;
mod audio;
mod caller;
mod dial;
mod in_call;
mod labels;
pub use labels::{break_reason_label, status_key, status_label};
mod live;
mod panel;
mod store;
pub(crate) mod tab;
mod tab_memory;
mod transfer;

use leptos::prelude::*;

use crate::i18n::{Key, t};
use crate::phone_piece::{Workings, phone_widget};
use panel::PANEL_ID;
pub use store::PhoneStore;

/// The widget as a page first shows it: the tab, drawn by the server. It is an island:
/// the one part of every signed-in page that the browser always runs. Its workings (the
/// live stream, the ring alert, the panel) are a piece of the wasm of their own
/// (`#[lazy]`), fetched beside the main module and started once the island has
/// hydrated: the page does not wait for them, and until they start the tab looks the
/// same.
#[island]
pub fn PhoneWidget() -> impl IntoView {
    crate::started::island();
    let Some(store) = PhoneStore::of_page() else { return ().into_any() };
    provide_context(store);
    let _fetched = lazy_preload!(crate::phone_piece::phone_widget);
    // Effects run in the browser only, after hydration.
    let started = RwSignal::new(false);
    Effect::new(move || started.set(true));
    view! {
        <Show when=move || started.get() fallback=idle_tab>
            <Suspense fallback=idle_tab>{move || Suspend::new(phone_widget(Workings::Tab))}</Suspense>
        </Show>
    }
    .into_any()
}

/// The tab before the widget has started: the same button, closed, status unknown, and
/// disabled: it cannot open the panel until the workings have arrived.
fn idle_tab() -> impl IntoView {
    view! {
        <button type="button" class="phone-tab" disabled aria-expanded="false" aria-controls=PANEL_ID>
            <span class="phone-icon" aria-hidden="true">"☎"</span>
            <span class="phone-label">{t(Key::Phone)}</span>
            <span class="status-dot unknown" aria-hidden="true"></span>
        </button>
    }
}
