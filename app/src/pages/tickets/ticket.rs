//! One ticket, where an agent works after a call: its fields (edited on the version
//! shown, so a colleague's change is never overwritten unseen), the customer, internal
//! notes and the call log.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_params_map;

use super::call_log::CallLog;
use super::customer::CustomerCard;
use super::notes::Notes;
use super::{channel_label, direction_label};
use crate::api::{Carried, get_ticket, update_ticket};
use crate::domain::ticket_edit::field;
use crate::error::AppError;
use crate::i18n::{Key, locale, t};
use crate::model::{TicketDetail, TicketEdit, TicketStatus};
use crate::pages::form::{FieldError, Submission, SubmissionStatus, TextField, error_id};
use crate::started::UntilStarted;
use crate::time::format_datetime;
use crate::widget::PhoneStore;

#[component]
pub fn TicketPage() -> impl IntoView {
    let params = use_params_map();
    let id = params.read_untracked().get("id").and_then(|s| s.parse::<i32>().ok());
    let ticket = crate::api::load(
        move || id,
        |id| async move {
            match id {
                Some(id) => get_ticket(id).await,
                None => Err(AppError::NotFound),
            }
        },
    );
    view! {
        <main class="page ticket-page">
            <Suspense fallback=|| view! { <p class="muted">{t(Key::Connecting)}</p> }>
                {move || ticket.get().map(|r| match r {
                    Err(e) => view! {
                        <Title text=format!("{} – {}", t(Key::Ticket), t(Key::AppName)) />
                        <h1>{t(Key::Ticket)}</h1>
                        <p class="error" role="alert">{e.message(locale())}</p>
                    }.into_any(),
                    Ok(tk) => {
                        let title = format!("{} #{} {}", t(Key::Ticket), tk.id, tk.subject);
                        view! {
                            <Title text=format!("{title} – {}", t(Key::AppName)) />
                            <h1>{title}</h1>
                            <TicketView ticket=Carried(tk) />
                        }.into_any()
                    }
                })}
            </Suspense>
        </main>
    }
}

/// Everything on a ticket that the agent works with: one island, because its parts
/// move together (a save updates 更新日時, a note too, the call log follows the call).
#[island(lazy)]
fn TicketView(ticket: Carried<TicketDetail>) -> impl IntoView {
    crate::started::island();
    let Carried(ticket) = ticket;
    let id = ticket.id;
    let calls = RwSignal::new(ticket.calls.clone());
    let updated_at = RwSignal::new(ticket.updated_at_ms);
    let phone = PhoneStore::of_page();
    follow_own_call(phone, id, calls);
    view! {
        <UntilStarted><div class="ticket-layout">
            <div class="ticket-main">
                <EditForm ticket=ticket.clone() updated_at />
                <Notes id notes=ticket.notes.clone() updated_at />
            </div>
            <aside class="ticket-side">
                <dl class="fields card">
                    <dt>{t(Key::CustomerNumber)}</dt>
                    <dd>
                        <span class="number">{ticket.customer_number.clone().map(|n| n.shown)}</span>
                        {click_to_call(phone, ticket.customer_number.clone().map(|n| n.e164))}
                    </dd>
                    <dt>{t(Key::Channel)}</dt>
                    <dd>{channel_label(ticket.channel)}{ticket.direction.map(|d| format!("（{}）", direction_label(d)))}</dd>
                    <dt>{t(Key::CreatedAt)}</dt>
                    <dd>{format_datetime(ticket.created_at_ms)}</dd>
                    <dt>{t(Key::UpdatedAt)}</dt>
                    <dd>{move || format_datetime(updated_at.get())}</dd>
                </dl>
                {ticket.customer.clone().map(|c| view! { <CustomerCard ticket_id=id customer=c shown=ticket.customer_number.clone().map(|n| n.shown).unwrap_or_default() /> })}
            </aside>
        </div></UntilStarted>
        {move || view! { <CallLog calls=calls.get() /> }}
    }
}

/// The agent's own call moving on (answered, held, ended) changes this ticket's call
/// log: read it again then, leaving the forms as they are. Also once on mount: the call
/// may have moved on between the page's read and its drawing.
fn follow_own_call(phone: Option<PhoneStore>, id: i32, calls: RwSignal<Vec<crate::model::CallRecord>>) {
    let Some(phone) = phone else { return };
    let moment =
        move || phone.view.with(|v| v.as_ref().map(|v| (v.status, v.call.as_ref().map(|c| c.call_id.clone()))));
    Effect::watch(
        moment,
        move |_, _, _| {
            leptos::task::spawn_local(async move {
                if let Ok(t) = get_ticket(id).await {
                    calls.set(t.calls);
                }
            })
        },
        true,
    );
}

/// The ticket's own fields. A save names the version the form was filled from; if a
/// colleague saved first it is refused, and what was typed stays in the form.
#[component]
fn EditForm(ticket: TicketDetail, updated_at: RwSignal<i64>) -> AnyView {
    let version = RwSignal::new(ticket.version);
    let subject = RwSignal::new(ticket.subject.clone());
    let body = RwSignal::new(ticket.body.clone());
    let status = RwSignal::new(ticket.status.as_str().to_owned());
    let assignee = RwSignal::new(ticket.assignee_id.map(|a| a.to_string()).unwrap_or_default());
    let submission = Submission::new();
    let problems = submission.problems;
    let stale = RwSignal::new(false);
    let id = ticket.id;
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let edit = TicketEdit {
            id,
            version: version.get_untracked(),
            subject: subject.get_untracked(),
            body: body.get_untracked(),
            status: status.get_untracked(),
            assignee: assignee.get_untracked(),
        };
        stale.set(false);
        let request = async move {
            let answer = update_ticket(edit).await;
            if matches!(answer, Err(AppError::Stale)) {
                stale.set(true);
            }
            answer
        };
        submission.send(request, move |saved: TicketDetail| {
            version.set(saved.version);
            updated_at.set(saved.updated_at_ms);
        });
    };
    let bad = move |f: &'static str| problems.bad(f);
    view! {
        <form class="card ticket-form" on:submit=submit novalidate aria-label=t(Key::Ticket)>
            <TextField label=Key::Subject name=field::SUBJECT value=subject problems scope="ticket" />
            <div class="row">
                <label class:invalid=move || bad(field::STATUS)>
                    <span>{t(Key::TicketStatus)}</span>
                    <select name=field::STATUS aria-describedby=error_id("ticket", field::STATUS)
                        on:change=move |ev| status.set(event_target_value(&ev))>
                        {TicketStatus::ALL.into_iter().map(|s| view! {
                            <option value=s.as_str() selected=move || status.with(|v| v == s.as_str())>{t(s.label_key())}</option>
                        }).collect_view()}
                    </select>
                    <FieldError problems scope="ticket" field=field::STATUS />
                </label>
                <label class:invalid=move || bad(field::ASSIGNEE)>
                    <span>{t(Key::Assignee)}</span>
                    <select name=field::ASSIGNEE aria-describedby=error_id("ticket", field::ASSIGNEE)
                        on:change=move |ev| assignee.set(event_target_value(&ev))>
                        <option value="" selected=move || assignee.with(String::is_empty)>{t(Key::Unassigned)}</option>
                        {ticket.assignees.iter().map(|p| {
                            let v = p.user_id.to_string();
                            let value = v.clone();
                            view! { <option value=v selected=move || assignee.with(|a| *a == value)>{p.name.clone()}</option> }
                        }).collect_view()}
                    </select>
                    <FieldError problems scope="ticket" field=field::ASSIGNEE />
                </label>
            </div>
            <label class:invalid=move || bad(field::BODY)>
                <span>{t(Key::Body)}</span>
                <textarea name=field::BODY rows="6"
                    aria-invalid=move || bad(field::BODY).to_string()
                    aria-describedby=error_id("ticket", field::BODY)
                    prop:value=move || body.get()
                    on:input=move |ev| body.set(event_target_value(&ev))></textarea>
                <FieldError problems scope="ticket" field=field::BODY />
            </label>
            <div class="form-actions">
                <SubmissionStatus of=submission />
                <Show when=move || stale.get()>
                    <button type="button" on:click=move |_| crate::pages::go_to(&format!("/tickets/{id}"))>{t(Key::ReloadLatest)}</button>
                </Show>
                <button type="submit" class="primary" disabled=move || submission.pending.get()>{t(Key::Save)}</button>
            </div>
        </form>
    }
    .into_any()
}

/// A call button beside the customer's number, for agents who may dial (F10).
fn click_to_call(phone: Option<PhoneStore>, number: Option<String>) -> Option<impl IntoView> {
    let phone = phone?;
    let number = number?;
    let can = move || {
        phone.view.with(|v| v.as_ref().is_some_and(|v| v.can_dial)) && phone.can(crate::domain::AgentAction::Dial)
    };
    Some(view! {
        <button type="button" class="call-number" disabled=move || !can()
            on:click=move |_| phone.dial(number.clone())>
            {t(Key::CallThisNumber)}
        </button>
    })
}
