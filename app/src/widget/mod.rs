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
pub use labels::status_label;
mod live;
mod panel;
mod store;
mod tab_memory;
mod transfer;

use leptos::prelude::*;

use crate::domain::AgentStatus;
use crate::i18n::{Key, t};
use panel::PhonePanel;
pub use store::PhoneStore;

pub const PANEL_ID: &str = "phone-panel";

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
    let _fetched = lazy_preload!(phone_widget);
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

/// Which workings to start: the widget's tab and panel, or the phone window's.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Workings {
    Tab,
    Window,
}

/// The phone's workings, one piece of the wasm for both the widget and the phone
/// window: the two share most of their code (the store, the channel, WebRTC's and the
/// audio's bindings), and a piece of its own for the window would split every page's
/// shared code into more, smaller chunks (a ticket's page went over its budget).
#[lazy]
pub fn phone_widget(workings: Workings) -> AnyView {
    match workings {
        Workings::Tab => view! { <PhoneTab /> }.into_any(),
        Workings::Window => view! { <crate::phone_window::WindowWorkings /> }.into_any(),
    }
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

/// The working tab: it opens the panel, and it watches the agent's phone.
#[component]
fn PhoneTab() -> impl IntoView {
    let store = expect_context::<PhoneStore>();
    live::connect(store);
    alert::watch(store);
    keep_open_across_pages(store);

    let ringing = move || store.status() == Some(AgentStatus::Ringing);
    // A ringing call opens the panel by itself: the caller and 応答 are one click away.
    Effect::new(move || {
        if ringing() {
            store.open.set(true);
        }
    });

    // When a dialled customer answers, the browser goes to the call's ticket (F10),
    // once per call: the tab remembers the call it followed, so that the pages the agent
    // goes to afterwards (each a page load) do not send them back.
    Effect::new(move || {
        let connected = store.view.with(|v| {
            let v = v.as_ref().filter(|v| v.status == AgentStatus::InCall)?;
            let c = v.call.as_ref().filter(|c| c.direction == crate::model::CallDirection::Outbound)?;
            Some((c.call_id.clone(), c.ticket_id?))
        });
        if let Some((call_id, ticket)) = connected
            && tab_memory::get(FOLLOWED_CALL).as_deref() != Some(call_id.as_str())
        {
            tab_memory::set(FOLLOWED_CALL, Some(&call_id));
            crate::pages::go_to(&format!("/tickets/{ticket}"));
        }
    });

    view! {
        <button
            type="button"
            class="phone-tab"
            class:ringing=ringing
            aria-expanded=move || store.open.get().to_string()
            aria-controls=PANEL_ID
            on:click=move |_| store.open.update(|o| *o = !*o)
        >
            <span class="phone-icon" aria-hidden="true">"☎"</span>
            <span class="phone-label">{t(Key::Phone)}</span>
            <span class=move || format!("status-dot {}", store.status().map(|s| s.as_str()).unwrap_or("unknown"))
                aria-hidden="true"></span>
        </button>
        <Show when=move || store.open.get()>
            <PhonePanel />
        </Show>
    }
}

/// Each page is a page load of its own, so the panel's being open is kept for the tab:
/// an agent who answers, goes to the ticket, or follows a link finds the panel as they
/// left it.
fn keep_open_across_pages(store: PhoneStore) {
    if tab_memory::get(PANEL_OPEN).is_some() {
        store.open.set(true);
    }
    Effect::new(move || tab_memory::set(PANEL_OPEN, store.open.get().then_some("1")));
}

const PANEL_OPEN: &str = "ringdesk.phone-open";
const FOLLOWED_CALL: &str = "ringdesk.followed-call";
