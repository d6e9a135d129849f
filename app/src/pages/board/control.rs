//! ステータス変更: the dialog in which a supervisor sets an agent to 休憩 (with a
//! reason from the tenant's 休憩理由), 業務 or CTI未ログイン. During the agent's call
//! the server keeps it until the call ends; the dialog says so.

use leptos::prelude::*;

use super::live::BoardState;
use crate::api::{break_reasons, set_agent_status};
use crate::domain::AgentStatus;
use crate::i18n::{Key, locale, t};
use crate::widget::status_label;

/// The choices, as the dialog lists them.
const CHOICES: [(AgentStatus, Key); 3] = [
    (AgentStatus::Break, Key::StatusBreak),
    (AgentStatus::Busy, Key::StatusBusy),
    (AgentStatus::LoggedOut, Key::CtiLogout),
];

#[component]
pub fn SetStatusDialog(board: BoardState) -> impl IntoView {
    move || {
        let user = board.editing.get()?;
        let agent = board.agents.with_untracked(|all| all.get(&user).cloned())?;
        Some(view! { <Dialog board user name=agent.name status=agent.status /> })
    }
}

#[component]
fn Dialog(board: BoardState, user: crate::model::UserId, name: String, status: AgentStatus) -> impl IntoView {
    let close = move || board.editing.set(None);
    let chosen = RwSignal::new(AgentStatus::Break);
    let reason = RwSignal::new(String::new());
    let error = RwSignal::new(None::<&'static str>);
    let pending = RwSignal::new(false);
    let reasons = LocalResource::new(break_reasons);
    let on_call = !matches!(status, AgentStatus::Busy | AgentStatus::Ready | AgentStatus::Break | AgentStatus::Wrapup);
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let to = chosen.get_untracked();
        let reason = reason.get_untracked().parse::<i32>().ok().filter(|_| to == AgentStatus::Break);
        pending.set(true);
        leptos::task::spawn_local(async move {
            match set_agent_status(user, to.as_str().to_owned(), reason).await {
                Ok(()) => close(),
                Err(e) => error.set(Some(e.message(locale()))),
            }
            pending.set(false);
        });
    };
    let title_id = "set-status-title";
    // The dialog opens with the first choice focused, for the keyboard.
    let choices = NodeRef::<leptos::html::Fieldset>::new();
    Effect::new(move || {
        #[cfg(feature = "hydrate")]
        if let Some(first) = choices.get().and_then(|f| f.query_selector("input").ok().flatten()) {
            use wasm_bindgen::JsCast;
            if let Ok(first) = first.dyn_into::<web_sys::HtmlElement>() {
                let _ = first.focus();
            }
        }
    });
    view! {
        <div class="dialog-backdrop">
            <div class="card dialog set-status" role="dialog" aria-modal="true" aria-labelledby=title_id
                on:keydown=move |ev| if ev.key() == "Escape" { ev.stop_propagation(); close() }>
                <h2 id=title_id>{format!("{name}{}", t(Key::SetStatusOf))}</h2>
                <p class="muted">{format!("{}: {}", t(Key::CurrentStatus), status_label(status))}</p>
                {on_call.then(|| view! { <p class="note">{t(Key::SetStatusAfterCall)}</p> })}
                <form on:submit=submit>
                    <fieldset node_ref=choices>
                        <legend>{t(Key::SetStatus)}</legend>
                        {CHOICES.into_iter().map(|(s, key)| view! {
                            <label class="choice">
                                <input type="radio" name="status" value=s.as_str()
                                    prop:checked=move || chosen.get() == s
                                    on:change=move |_| chosen.set(s) />
                                {t(key)}
                            </label>
                        }).collect_view()}
                    </fieldset>
                    <label>
                        <span>{t(Key::BreakReason)}</span>
                        <select name="reason" disabled=move || chosen.get() != AgentStatus::Break
                            prop:value=move || reason.get()
                            on:change=move |ev| reason.set(event_target_value(&ev))>
                            <option value="">{t(Key::NoBreakReason)}</option>
                            {move || reasons.get().and_then(Result::ok).unwrap_or_default().into_iter().map(|r| view! {
                                <option value=r.id.to_string()>{r.label}</option>
                            }).collect_view()}
                        </select>
                    </label>
                    <p class="error" role="alert">{move || error.get()}</p>
                    <div class="actions">
                        <button type="button" class="quiet" on:click=move |_| close()>{t(Key::Cancel)}</button>
                        <button type="submit" class="primary" disabled=move || pending.get()>{t(Key::Change)}</button>
                    </div>
                </form>
            </div>
        </div>
    }
}
