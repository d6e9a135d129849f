//! The controls of a connected call: 保留 / 解除 (F15) and 強制終了 with its guidance
//! popup (F14). Which are enabled comes from the rule table, as everywhere.

use leptos::prelude::*;

use super::store::PhoneStore;
use crate::api::{force_end, force_end_message, hold_call, release_call};
use crate::domain::AgentAction;
use crate::i18n::{Key, t};

#[component]
pub fn CallControls(call_id: String) -> impl IntoView {
    let store = expect_context::<PhoneStore>();
    let forcing = RwSignal::new(false);
    let transferring = RwSignal::new(false);
    let (hold_id, release_id, transfer_id) = (call_id.clone(), call_id.clone(), call_id.clone());
    view! {
        <div class="call-controls">
            <Show
                when=move || store.can(AgentAction::Release)
                fallback=move || {
                    let id = hold_id.clone();
                    view! {
                        <button type="button" disabled=move || !store.can(AgentAction::Hold)
                            on:click=move |_| store.update(hold_call(id.clone()))>
                            {t(Key::Hold)}
                        </button>
                    }
                }
            >
                {
                    let id = release_id.clone();
                    view! {
                        <button type="button" class="primary"
                            on:click=move |_| store.update(release_call(id.clone()))>
                            {t(Key::Release)}
                        </button>
                    }
                }
            </Show>
            <button type="button" disabled=move || !store.can(AgentAction::Consult) || transferring.get()
                on:click=move |_| transferring.set(true)>
                {t(Key::Transfer)}
            </button>
            <button type="button" class="danger" disabled=move || !store.can(AgentAction::ForceEnd) || forcing.get()
                on:click=move |_| forcing.set(true)>
                {t(Key::ForceEnd)}
            </button>
        </div>
        <Show when=move || forcing.get()>
            <ForceEndDialog call_id=call_id.clone() close=Callback::new(move |()| forcing.set(false)) />
        </Show>
        <Show when=move || transferring.get() && store.can(AgentAction::Consult)>
            <super::transfer::TransferDialog call_id=transfer_id.clone() close=Callback::new(move |()| transferring.set(false)) />
        </Show>
    }
}

/// 強制終了's popup: the tenant's default guidance, editable, and 確認.
#[component]
fn ForceEndDialog(call_id: String, close: Callback<()>) -> impl IntoView {
    let store = expect_context::<PhoneStore>();
    let message = RwSignal::new(String::new());
    let default = LocalResource::new(force_end_message);
    Effect::new(move || {
        if let Some(Ok(m)) = default.get()
            && message.with_untracked(String::is_empty)
        {
            message.set(m);
        }
    });
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        store.update(force_end(call_id.clone(), message.get_untracked()));
        close.run(());
    };
    view! {
        <div class="dial force-end" role="dialog" aria-labelledby="force-end-title"
            on:keydown=move |ev| if ev.key() == "Escape" { ev.stop_propagation(); close.run(()) }>
            <h3 id="force-end-title">{t(Key::ForceEnd)}</h3>
            <form on:submit=submit>
                <label>
                    <span>{t(Key::ForceEndMessage)}</span>
                    <textarea name="message" rows="4" required autofocus
                        prop:value=move || message.get()
                        on:input=move |ev| message.set(event_target_value(&ev))></textarea>
                </label>
                <p class="muted hint">{t(Key::ForceEndHint)}</p>
                <div class="actions">
                    <button type="button" class="quiet" on:click=move |_| close.run(())>{t(Key::Cancel)}</button>
                    <button type="submit" class="danger" disabled=move || store.busy.get()>{t(Key::Confirm)}</button>
                </div>
            </form>
        </div>
    }
}
