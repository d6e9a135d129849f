//! The transfer popup (F12) and the consult call it starts (F13): a number typed in and
//! 協議通話, or a colleague who is 待機 now and 接続. While the consult call lasts the
//! panel shows who is on it, with 顧客接続 and キャンセル.

use leptos::prelude::*;
use leptos::task::spawn_local;

use super::store::PhoneStore;
use crate::api::{add_transfer_number, cancel_consult, connect_customer, consult, ready_colleagues, transfer_numbers};
use crate::domain::AgentAction;
use crate::i18n::{Key, locale, t};
use crate::model::{ConsultTarget, ConsultView};

/// How often the list of ready colleagues is refreshed while the popup is open.
const COLLEAGUES_EVERY_MS: i64 = 2_000;

#[component]
pub fn TransferDialog(call_id: String, close: Callback<()>) -> impl IntoView {
    let store = expect_context::<PhoneStore>();
    let loc = locale();
    let number = RwSignal::new(String::new());
    let search = RwSignal::new(String::new());
    let chosen = RwSignal::new(None::<i32>);
    let error = RwSignal::new(None::<&'static str>);
    // Keyed on the panel's clock: the list follows colleagues becoming 待機 or busy.
    let colleagues = LocalResource::new(move || {
        let _ = store.now_ms.get() / COLLEAGUES_EVERY_MS;
        ready_colleagues()
    });
    let start = move |target: ConsultTarget| {
        let call_id = call_id.clone();
        store.busy.set(true);
        error.set(None);
        spawn_local(async move {
            let result = consult(call_id, target).await;
            store.busy.set(false);
            match result {
                // Closed first: the new view replaces the controls this popup belongs to.
                Ok(view) => {
                    close.run(());
                    store.apply(view, store.now_ms.get_untracked());
                }
                Err(e) => error.set(Some(e.message(loc))),
            }
        });
    };
    let start_number = start.clone();
    let start_favourite = start.clone();
    let favourites_changed = RwSignal::new(0u32);
    let favourites = LocalResource::new(move || {
        favourites_changed.track();
        transfer_numbers()
    });
    let favourite = RwSignal::new(None::<String>);
    let new_number = RwSignal::new(String::new());
    let new_label = RwSignal::new(String::new());
    let to_favourite = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if let Some(number) = favourite.get_untracked() {
            start_favourite(ConsultTarget::Number { number });
        }
    };
    let add = move |_| {
        error.set(None);
        spawn_local(async move {
            match add_transfer_number(new_number.get_untracked(), new_label.get_untracked()).await {
                Ok(added) => {
                    new_number.set(String::new());
                    new_label.set(String::new());
                    favourite.set(Some(added.number.e164));
                    favourites_changed.update(|n| *n += 1);
                }
                Err(e) => error.set(Some(e.message(loc))),
            }
        });
    };
    let direct = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        start_number(ConsultTarget::Number { number: number.get_untracked() });
    };
    let to_colleague = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if let Some(user_id) = chosen.get_untracked() {
            start(ConsultTarget::Agent { user_id });
        }
    };
    let matches = move |name: &str, cti: Option<&str>| {
        let q = search.get().trim().to_lowercase();
        q.is_empty() || name.to_lowercase().contains(&q) || cti.is_some_and(|c| c.contains(&q))
    };
    view! {
        <div class="dial transfer" role="dialog" aria-labelledby="transfer-title"
            on:keydown=move |ev| if ev.key() == "Escape" { ev.stop_propagation(); close.run(()) }>
            <h3 id="transfer-title">{t(Key::Transfer)}</h3>
            <form on:submit=direct aria-labelledby="direct-title">
                <h4 id="direct-title">{t(Key::DirectInput)}</h4>
                <label>
                    <span>{t(Key::DialNumber)}</span>
                    <input type="tel" name="number" autocomplete="off"
                        prop:value=move || number.get()
                        on:input=move |ev| number.set(event_target_value(&ev)) />
                </label>
                <div class="actions">
                    <button type="submit" disabled=move || store.busy.get() || number.with(|n| n.trim().is_empty())>
                        {t(Key::ConsultCall)}
                    </button>
                </div>
            </form>
            <form on:submit=to_favourite aria-labelledby="favourites-title">
                <h4 id="favourites-title">{t(Key::FavouriteNumbers)}</h4>
                <fieldset class="colleagues">
                    <legend class="visually-hidden">{t(Key::FavouriteNumbers)}</legend>
                    {move || favourites.get().and_then(Result::ok).unwrap_or_default().into_iter().map(|n| {
                        let value = n.number.e164.clone();
                        let checked = n.number.e164.clone();
                        view! {
                            <label class="choice">
                                <input type="radio" name="favourite" value=n.number.e164.clone()
                                    prop:checked=move || favourite.with(|f| f.as_deref() == Some(checked.as_str()))
                                    on:change=move |_| favourite.set(Some(value.clone())) />
                                {n.label}
                                <span class="muted cti-number">{n.number.shown}</span>
                            </label>
                        }
                    }).collect_view()}
                </fieldset>
                <div class="add-favourite">
                    <label>
                        <span>{t(Key::DialNumber)}</span>
                        <input type="tel" name="new_number" autocomplete="off"
                            prop:value=move || new_number.get()
                            on:input=move |ev| new_number.set(event_target_value(&ev)) />
                    </label>
                    <label>
                        <span>{t(Key::Label)}</span>
                        <input type="text" name="new_label" autocomplete="off"
                            prop:value=move || new_label.get()
                            on:input=move |ev| new_label.set(event_target_value(&ev)) />
                    </label>
                    <button type="button" on:click=add>{t(Key::Add)}</button>
                </div>
                <div class="actions">
                    <button type="submit" disabled=move || store.busy.get() || favourite.with(Option::is_none)>{t(Key::Connect)}</button>
                </div>
            </form>
            <form on:submit=to_colleague aria-labelledby="ready-title">
                <h4 id="ready-title">{t(Key::ReadyOperators)}</h4>
                <label>
                    <span>{t(Key::Search)}</span>
                    <input type="search" name="search" autocomplete="off"
                        prop:value=move || search.get()
                        on:input=move |ev| search.set(event_target_value(&ev)) />
                </label>
                <fieldset class="colleagues">
                    <legend class="visually-hidden">{t(Key::ReadyOperators)}</legend>
                    {move || {
                        let list = colleagues.get().and_then(Result::ok).unwrap_or_default();
                        let shown: Vec<_> = list.into_iter().filter(|c| matches(&c.name, c.cti_number.as_deref())).collect();
                        if shown.is_empty() {
                            return view! { <p class="muted">{t(Key::NoReadyOperators)}</p> }.into_any();
                        }
                        shown.into_iter().map(|c| {
                            let id = c.user_id;
                            view! {
                                <label class="choice">
                                    <input type="radio" name="colleague" value=id.to_string()
                                        prop:checked=move || chosen.get() == Some(id)
                                        on:change=move |_| chosen.set(Some(id)) />
                                    {c.name}
                                    <span class="muted cti-number">{c.cti_number.unwrap_or_default()}</span>
                                </label>
                            }
                        }).collect_view().into_any()
                    }}
                </fieldset>
                <div class="actions">
                    <button type="submit" disabled=move || store.busy.get() || chosen.get().is_none()>{t(Key::Connect)}</button>
                </div>
            </form>
            <p class="error" role="alert">{move || error.get()}</p>
            <div class="actions">
                <button type="button" class="quiet" on:click=move |_| close.run(())>{t(Key::Close)}</button>
            </div>
        </div>
    }
}

/// The consult call as the agent transferring sees it: who, whether they are on the
/// line, and 顧客接続 / キャンセル.
#[component]
pub fn ConsultBox(call_id: String, consult_view: ConsultView) -> impl IntoView {
    let store = expect_context::<PhoneStore>();
    let (connect_id, cancel_id) = (call_id.clone(), call_id);
    let answered = consult_view.answered;
    view! {
        <div class="consult">
            <p class="muted">{t(Key::ConsultWith)}</p>
            <p><strong>{consult_view.with}</strong>" "
                <span class="badge">{t(if answered { Key::ConsultTalking } else { Key::ConsultRinging })}</span>
            </p>
            <div class="call-controls">
                <button type="button" class="primary"
                    disabled=move || !answered || !store.can(AgentAction::ConnectCustomer)
                    on:click=move |_| store.update(connect_customer(connect_id.clone()))>
                    {t(Key::ConnectCustomer)}
                </button>
                <button type="button"
                    disabled=move || !store.can(AgentAction::CancelConsult)
                    on:click=move |_| store.update(cancel_consult(cancel_id.clone()))>
                    {t(Key::CancelDial)}
                </button>
            </div>
        </div>
    }
}
