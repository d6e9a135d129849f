//! The phone widget: a tab fixed at the right edge of every signed-in page, opening the
//! phone panel. Its state is one reactive store fed by the live stream.
//!
//! Three layers of the wasm: the idle tab in the main module (every signed-in page
//! draws it), the working tab with the live stream and ring alert in a piece started
//! after hydration, and the panel in a piece fetched as soon as that has started.

mod alert;
mod caller;
mod dial;
mod in_call;
mod labels;
pub use labels::status_label;
mod live;
mod panel;
mod store;
mod transfer;

use leptos::prelude::*;

use crate::domain::AgentStatus;
use crate::i18n::{Key, t};
use panel::PhonePanel;
pub use store::PhoneStore;

pub const PANEL_ID: &str = "phone-panel";

/// The widget as a page first shows it: the tab, drawn by the server. Its workings (the
/// live stream, the ring alert, the panel) are a piece of the wasm of their own
/// (`#[lazy]`), fetched beside the page's code and started once the page has hydrated:
/// the page does not wait for them, and until they start the tab looks the same.
#[component]
pub fn PhoneWidget() -> impl IntoView {
    let _fetched = lazy_preload!(phone_widget);
    // Effects run in the browser only, after hydration.
    let started = RwSignal::new(false);
    Effect::new(move || started.set(true));
    view! {
        <Show when=move || started.get() fallback=idle_tab>
            <Suspense fallback=idle_tab>{move || Suspend::new(phone_widget())}</Suspense>
        </Show>
    }
}

#[lazy]
fn phone_widget() -> AnyView {
    view! { <PhoneTab /> }.into_any()
}

/// The tab before the widget has started: the same button, closed, status unknown.
fn idle_tab() -> impl IntoView {
    view! {
        <button type="button" class="phone-tab" aria-expanded="false" aria-controls=PANEL_ID>
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
    let _fetched = lazy_preload!(phone_panel);

    let ringing = move || store.status() == Some(AgentStatus::Ringing);
    // A ringing call opens the panel by itself: the caller and 応答 are one click away.
    Effect::new(move || {
        if ringing() {
            store.open.set(true);
        }
    });

    // When a dialled customer answers, the browser goes to the call's ticket (F10),
    // once per call.
    let navigate = leptos_router::hooks::use_navigate();
    let followed = StoredValue::new(None::<String>);
    Effect::new(move || {
        let connected = store.view.with(|v| {
            let v = v.as_ref().filter(|v| v.status == AgentStatus::InCall)?;
            let c = v.call.as_ref().filter(|c| c.direction == crate::model::CallDirection::Outbound)?;
            Some((c.call_id.clone(), c.ticket_id?))
        });
        if let Some((call_id, ticket)) = connected
            && followed.with_value(|f| f.as_deref() != Some(call_id.as_str()))
        {
            followed.set_value(Some(call_id));
            navigate(&format!("/tickets/{ticket}"), Default::default());
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
            {move || Suspend::new(phone_panel())}
        </Show>
    }
}

/// The panel and everything it does (answering, holds, consults, the dial dialog) is a
/// piece of the wasm of its own (`#[lazy]`), fetched in the background as soon as the
/// working tab has started, so that a ringing call opens the panel at once.
#[lazy]
fn phone_panel() -> AnyView {
    view! { <PhonePanel /> }.into_any()
}
