//! The dial dialog (F10): the customer's number, one of the service's caller numbers,
//! and 確認. The server decides; the dialog shows its refusal and changes nothing.

use leptos::prelude::*;
use leptos::task::spawn_local;

use super::store::PhoneStore;
use crate::api::{caller_numbers, dial};
use crate::i18n::{Key, locale, t};

#[component]
pub fn DialDialog() -> impl IntoView {
    let store = expect_context::<PhoneStore>();
    let loc = locale();
    let numbers = LocalResource::new(caller_numbers);
    let to = RwSignal::new(store.dial_to.get_untracked().unwrap_or_default());
    let caller = RwSignal::new(String::new());
    let error = RwSignal::new(None::<&'static str>);
    let pending = RwSignal::new(false);
    // The first registered number is chosen until the agent picks another.
    Effect::new(move || {
        if caller.with_untracked(String::is_empty)
            && let Some(Ok(list)) = numbers.get()
            && let Some(first) = list.first()
        {
            caller.set(first.number.e164.clone());
        }
    });
    let close = move || store.dial_to.set(None);
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        pending.set(true);
        error.set(None);
        spawn_local(async move {
            match dial(to.get_untracked(), caller.get_untracked()).await {
                Ok(placed) => {
                    close();
                    // F11 有効: the ticket exists already; go to it at once.
                    if let Some(ticket) = placed.ticket_id {
                        crate::pages::go_to(&format!("/tickets/{ticket}"));
                    }
                }
                Err(e) => error.set(Some(e.message(loc))),
            }
            pending.set(false);
        });
    };
    view! {
        <div class="dial" role="dialog" aria-labelledby="dial-title"
            on:keydown=move |ev| if ev.key() == "Escape" { ev.stop_propagation(); close() }>
            <h3 id="dial-title">{t(Key::DialTitle)}</h3>
            <form on:submit=submit>
                <label>
                    <span>{t(Key::DialNumber)}</span>
                    <input type="tel" name="to" autocomplete="off" required autofocus
                        prop:value=move || to.get()
                        on:input=move |ev| to.set(event_target_value(&ev)) />
                </label>
                <label>
                    <span>{t(Key::CallerNumber)}</span>
                    <select name="caller_number"
                        prop:value=move || caller.get()
                        on:change=move |ev| caller.set(event_target_value(&ev))>
                        {move || numbers.get().and_then(Result::ok).unwrap_or_default().into_iter().map(|n| {
                            view! { <option value=n.number.e164>{format!("{} {}", n.number.shown, n.label)}</option> }
                        }).collect_view()}
                    </select>
                </label>
                <p class="error" role="alert">{move || error.get()}</p>
                <div class="actions">
                    <button type="button" class="quiet" on:click=move |_| close()>{t(Key::Close)}</button>
                    <button type="submit" class="primary" disabled=move || pending.get()>{t(Key::Confirm)}</button>
                </div>
            </form>
        </div>
    }
}
