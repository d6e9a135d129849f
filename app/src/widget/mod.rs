//! The phone widget: a tab fixed at the right edge of every signed-in page, opening the
//! phone panel. Its state is one reactive store fed by the live stream.

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

#[component]
pub fn PhoneWidget() -> impl IntoView {
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
/// piece of the wasm of its own (`#[lazy]`): the page becomes usable with the tab alone,
/// and the piece is fetched in the background as soon as the page is up, so that a
/// ringing call opens the panel at once.
#[lazy]
fn phone_panel() -> AnyView {
    view! { <PhonePanel /> }.into_any()
}
