use leptos::prelude::*;

use super::caller::CallerPop;
use super::dial::DialDialog;
use super::in_call::CallControls;
use super::labels::{status_label, status_meaning};
use super::store::PhoneStore;
use super::transfer::ConsultBox;
use crate::api::{answer_call, hang_up, phone_act};
use crate::domain::{AgentAction, AgentStatus};
use crate::i18n::{Key, t};
use crate::model::EndReason;
use crate::time::format_duration;

/// The panel's id, which the tab names in `aria-controls`.
pub const PANEL_ID: &str = "phone-panel";

/// The phone panel: status, the offered or connected call, and the agent's buttons.
/// Non-modal on purpose: an agent keeps working in the page while it is open.
#[component]
pub fn PhonePanel() -> impl IntoView {
    let store = expect_context::<PhoneStore>();

    let act = move |action: AgentAction| {
        if action == AgentAction::CtiLogin {
            super::alert::ask_notification_permission();
            // Talking in the browser: the phone window opens with the login (a click, so
            // the browser lets it), and asks for the microphone.
            if store.view.with_untracked(|v| v.as_ref().is_some_and(|v| v.endpoint == crate::model::Endpoint::Browser))
            {
                super::audio::open_phone_window();
            }
        }
        store.update(phone_act(action))
    };
    let answer = move |call_id: String| {
        store.run(async move {
            let ticket = answer_call(call_id).await?;
            crate::pages::go_to(&format!("/tickets/{ticket}"));
            Ok(())
        })
    };
    let end_call = move |call_id: String| store.update(hang_up(call_id));

    let status = move || store.status();
    let waiting = move || store.waiting.get();
    let call = move || store.view.with(|v| v.as_ref().and_then(|v| v.call.clone()));
    let status_button = move |target: AgentStatus| {
        view! {
            <button
                type="button"
                class=format!("status-choice {}", target.as_str())
                aria-pressed=move || (status() == Some(target)).to_string()
                disabled=move || !store.can(AgentAction::Choose(target))
                on:click=move |_| act(AgentAction::Choose(target))
            >
                {status_label(target)}
            </button>
        }
    };

    view! {
        <section
            id=PANEL_ID
            class="phone-panel"
            role="dialog"
            aria-labelledby="phone-title"
            on:keydown=move |ev| if ev.key() == "Escape" { store.open.set(false) }
        >
            <header>
                <h2 id="phone-title">{t(Key::Phone)}</h2>
                <button type="button" class="quiet" on:click=move |_| store.open.set(false)>
                    {t(Key::Close)}
                </button>
            </header>
            <super::audio::AudioBox />
            <Show when=move || store.phone_missing()>
                // Not a status of its own: the panel's one status is the agent's.
                <p class="notice">{t(Key::PhoneMissing)}</p>
            </Show>
            <Show when=move || store.revoked()>
                <p class="notice" role="alert">{t(Key::PhoneRevoked)}</p>
            </Show>
            <Show when=move || !store.live.get()>
                <p class="notice">{move || if store.view.with(Option::is_some) { t(Key::LiveLost) } else { t(Key::Connecting) }}</p>
            </Show>
            <div class="status-line" class:ringing=move || status() == Some(AgentStatus::Ringing)>
                <span class="muted">{t(Key::CurrentStatus)}</span>
                <strong class="status-name" role="status">{move || status().map(status_label).unwrap_or("")}</strong>
                // A timer (ARIA): a screen reader reads it when asked, not every second.
                <span class="timer" role="timer">{move || store.time_in_status_ms().map(format_duration).unwrap_or_default()}</span>
                <p class="muted meaning">{move || status().map(status_meaning).unwrap_or("")}</p>
                // Set by a supervisor from the board: the 休憩's reason, or what comes
                // when this call ends.
                {move || store.view.with(|v| {
                    let v = v.as_ref()?;
                    let line = match (&v.break_reason, v.pending) {
                        (_, Some(next)) => format!("{}: {}", t(Key::PendingAfterCall), status_label(next)),
                        (Some(reason), None) => {
                            format!("{}: {}", t(Key::BreakReason), super::break_reason_label(reason))
                        }
                        (None, None) => return None,
                    };
                    Some(view! { <p class="reason">{line}</p> })
                })}
            </div>
            <p class="waiting" class=("has-waiting", move || waiting() > 0)>
                <span>{t(Key::CallsWaiting)}</span>
                <strong class="number" aria-live="polite">{waiting}</strong>
            </p>
            {move || match (status(), call()) {
                (Some(AgentStatus::Ringing), Some(c)) => {
                    let id = c.call_id.clone();
                    view! {
                        <div class="offer" role="alert">
                            {match &c.consult {
                                Some(k) => view! { <p class="muted">{t(Key::ConsultFrom)}": "<strong>{k.with.clone()}</strong></p> }.into_any(),
                                None => view! { <p class="muted">{t(Key::IncomingCall)}</p> }.into_any(),
                            }}
                            <p class="number">{c.customer_number.shown}</p>
                            <button type="button" class="answer primary"
                                disabled=move || !store.can(AgentAction::Answer)
                                on:click=move |_| answer(id.clone())>
                                {t(Key::Answer)}
                            </button>
                        </div>
                    }.into_any()
                }
                (Some(AgentStatus::Dialing), Some(c)) => {
                    let id = c.call_id.clone();
                    view! {
                        <div class="call dialing">
                            <p class="muted">{t(Key::Dialing)}</p>
                            <p class="number">{c.customer_number.shown}</p>
                            <button type="button" class="danger"
                                disabled=move || !store.can(AgentAction::DialFailed)
                                on:click=move |_| end_call(id.clone())>
                                {t(Key::CancelDial)}
                            </button>
                        </div>
                    }.into_any()
                }
                (Some(s), Some(c)) if s.has_call() => {
                    let id = c.call_id.clone();
                    view! {
                        <div class="call">
                            <p class="muted">{t(Key::CallWith)}</p>
                            <p class="number">{c.customer_number.shown}</p>
                            {c.ticket_id.map(|tk| view! { <a href=format!("/tickets/{tk}")>{t(Key::OpenTicket)}</a> })}
                            {match c.consult.clone() {
                                // A colleague consults this agent: theirs is only to talk and end.
                                Some(k) if k.incoming => view! { <p class="muted">{t(Key::ConsultFrom)}": "<strong>{k.with}</strong></p> }.into_any(),
                                Some(k) => view! { <ConsultBox call_id=id.clone() consult_view=k /> }.into_any(),
                                None => view! { <CallControls call_id=id.clone() /> }.into_any(),
                            }}
                            <button type="button" class="danger"
                                disabled=move || !store.can(AgentAction::HangUp)
                                on:click=move |_| end_call(id.clone())>
                                {t(Key::HangUp)}
                            </button>
                        </div>
                    }.into_any()
                }
                _ => ().into_any(),
            }}
            <CallerPop />
            <p class="outcome" aria-live="polite">{move || store.view.with(|v| v.as_ref().and_then(|v| v.last_outcome)).map(outcome_text)}</p>
            <Show when=move || store.dial_to.with(Option::is_some)>
                <DialDialog />
            </Show>
            <div class="cti">
                {move || if status() == Some(AgentStatus::LoggedOut) || status().is_none() {
                    view! {
                        <button type="button" class="primary"
                            disabled=move || !store.can(AgentAction::CtiLogin)
                            on:click=move |_| act(AgentAction::CtiLogin)>
                            {t(Key::CtiLogin)}
                        </button>
                    }.into_any()
                } else {
                    view! {
                        <button type="button"
                            disabled=move || !store.can(AgentAction::CtiLogout)
                            on:click=move |_| act(AgentAction::CtiLogout)>
                            {t(Key::CtiLogout)}
                        </button>
                    }.into_any()
                }}
            </div>
            <Show when=move || store.view.with(|v| v.as_ref().is_some_and(|v| v.can_dial))>
                <button type="button" class="dial-button"
                    disabled=move || !store.can(AgentAction::Dial) || store.dial_to.with(Option::is_some)
                    on:click=move |_| store.dial(String::new())>
                    {t(Key::Dial)}
                </button>
            </Show>
            <div class="status-buttons" role="group" aria-label=t(Key::ChooseStatus)>
                {status_button(AgentStatus::Busy)}
                {status_button(AgentStatus::Ready)}
                {status_button(AgentStatus::Break)}
            </div>
            <div class="sound">
                <button type="button" class="quiet"
                    aria-pressed=move || (!store.muted.get()).to_string()
                    data-sounding=move || store.sounding.get().to_string()
                    on:click=move |_| {
                        let muted = !store.muted.get_untracked();
                        store.muted.set(muted);
                        super::alert::remember_muted(muted);
                    }>
                    <span class="tone-icon" aria-hidden="true"></span>
                    {t(Key::RingTone)}
                </button>
            </div>
            <p class="error" role="alert">{move || store.error.get()}</p>
        </section>
    }
}

fn outcome_text(reason: EndReason) -> &'static str {
    t(match reason {
        EndReason::NoAnswer => Key::OutcomeNoAnswer,
        EndReason::Busy => Key::OutcomeBusy,
        EndReason::Cancelled => Key::OutcomeCancelled,
        _ => Key::OutcomeRejected,
    })
}
