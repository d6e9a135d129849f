//! The working tab: it opens the panel, and it watches the agent's phone (the live
//! stream, the ring alert).

use leptos::prelude::*;

use super::panel::{PANEL_ID, PhonePanel};
use super::store::PhoneStore;
use super::{alert, live, tab_memory};
use crate::domain::AgentStatus;
use crate::i18n::{Key, t};

/// The working tab: it opens the panel, and it watches the agent's phone.
#[component]
pub fn PhoneTab() -> impl IntoView {
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
