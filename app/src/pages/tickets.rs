use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_params_map;

use crate::api::{get_ticket, list_tickets};
use crate::i18n::{Key, locale, t};
use crate::model::{CallDirection, CallRecord, EndReason, Role, SessionInfo, TicketDetail, TicketStatus};
use leptos_router::components::Redirect;
use crate::time::format_datetime;
use crate::widget::PhoneStore;

pub fn ticket_status_label(s: TicketStatus) -> &'static str {
    t(match s {
        TicketStatus::Open => Key::TicketOpen,
        TicketStatus::Pending => Key::TicketPending,
        TicketStatus::Solved => Key::TicketSolved,
        TicketStatus::Closed => Key::TicketClosed,
    })
}

fn end_reason_label(r: EndReason) -> &'static str {
    t(match r {
        EndReason::CustomerHangup => Key::EndCustomerHangup,
        EndReason::AgentHangup => Key::EndAgentHangup,
        EndReason::Abandoned => Key::EndAbandoned,
        EndReason::ServerRestart => Key::EndServerRestart,
        EndReason::NoAnswer => Key::EndNoAnswer,
        EndReason::Busy => Key::EndBusy,
        EndReason::Rejected => Key::EndRejected,
        EndReason::Cancelled => Key::EndCancelled,
        EndReason::ForceTerminated => Key::EndForceTerminated,
        EndReason::Transferred => Key::EndTransferred,
    })
}

/// The home page: the newest tickets.
#[component]
pub fn TicketList() -> impl IntoView {
    // The platform admin has no tickets: their home is the tenants' contracts.
    if use_context::<Option<SessionInfo>>().flatten().is_some_and(|s| s.role == Role::PlatformAdmin) {
        return view! { <Redirect path="/platform/contracts" /> }.into_any();
    }
    let tickets = Resource::new(|| (), |_| list_tickets());
    view! {
        <Title text=format!("{} – {}", t(Key::Tickets), t(Key::AppName)) />
        <main class="page">
            <h1>{t(Key::Tickets)}</h1>
            <Suspense fallback=|| view! { <p class="muted">{t(Key::Connecting)}</p> }>
                {move || tickets.get().map(|r| match r {
                    Err(e) => view! { <p class="error" role="alert">{e.message(locale())}</p> }.into_any(),
                    Ok(list) if list.is_empty() => view! { <p class="muted">{t(Key::NoTickets)}</p> }.into_any(),
                    Ok(list) => view! {
                        <table class="list">
                            <thead><tr>
                                <th scope="col">"#"</th>
                                <th scope="col">{t(Key::Subject)}</th>
                                <th scope="col">{t(Key::CustomerNumber)}</th>
                                <th scope="col">{t(Key::TicketStatus)}</th>
                                <th scope="col">{t(Key::CreatedAt)}</th>
                            </tr></thead>
                            <tbody>
                                {list.into_iter().map(|tk| view! {
                                    <tr>
                                        <td>{tk.id}</td>
                                        <td><a href=format!("/tickets/{}", tk.id)>{tk.subject}</a></td>
                                        <td class="number">{tk.customer_number.unwrap_or_default()}</td>
                                        <td>{ticket_status_label(tk.status)}</td>
                                        <td>{format_datetime(tk.created_at_ms)}</td>
                                    </tr>
                                }).collect_view()}
                            </tbody>
                        </table>
                    }.into_any(),
                })}
            </Suspense>
        </main>
    }
    .into_any()
}

/// One ticket: its fields and the calls behind it.
#[component]
pub fn TicketPage() -> impl IntoView {
    let params = use_params_map();
    let id = move || params.read().get("id").and_then(|s| s.parse::<i32>().ok());
    // An agent's own call moving on (answered, ended) changes this ticket's call log.
    let phone = use_context::<PhoneStore>();
    let call_moment = move || phone.and_then(|p| p.view.with(|v| v.as_ref().map(|v| (v.status, v.call.as_ref().map(|c| c.call_id.clone())))));
    let ticket = Resource::new(move || (id(), call_moment()), |(id, _)| async move {
        match id {
            Some(id) => get_ticket(id).await,
            None => Err(crate::error::AppError::NotFound),
        }
    });
    view! {
        <main class="page">
            <Suspense fallback=|| view! { <p class="muted">{t(Key::Connecting)}</p> }>
                {move || ticket.get().map(|r| match r {
                    Err(e) => view! {
                        <h1>{t(Key::Ticket)}</h1>
                        <p class="error" role="alert">{e.message(locale())}</p>
                    }.into_any(),
                    Ok(tk) => view! { <TicketView ticket=tk /> }.into_any(),
                })}
            </Suspense>
        </main>
    }
}

#[component]
fn TicketView(ticket: TicketDetail) -> impl IntoView {
    let title = format!("{} #{} {}", t(Key::Ticket), ticket.id, ticket.subject);
    view! {
        <Title text=format!("{title} – {}", t(Key::AppName)) />
        <h1>{title}</h1>
        <dl class="fields card">
            <dt>{t(Key::TicketStatus)}</dt>
            <dd><span class="badge">{ticket_status_label(ticket.status)}</span></dd>
            <dt>{t(Key::CustomerNumber)}</dt>
            <dd>
                <span class="number">{ticket.customer_number.clone().unwrap_or_default()}</span>
                {click_to_call(ticket.customer_number.clone())}
            </dd>
            <dt>{t(Key::Channel)}</dt>
            <dd>{t(Key::ChannelPhone)}</dd>
            <dt>{t(Key::Assignee)}</dt>
            <dd>{ticket.assignee.clone().unwrap_or_default()}</dd>
            <dt>{t(Key::CreatedAt)}</dt>
            <dd>{format_datetime(ticket.created_at_ms)}</dd>
        </dl>
        <section aria-labelledby="call-log-title">
            <h2 id="call-log-title">{t(Key::CallLog)}</h2>
            <table class="list">
                <thead><tr>
                    <th scope="col">{t(Key::Direction)}</th>
                    <th scope="col">{t(Key::CustomerNumber)}</th>
                    <th scope="col">{t(Key::Assignee)}</th>
                    <th scope="col">{t(Key::QueuedAt)}</th>
                    <th scope="col">{t(Key::AnsweredAt)}</th>
                    <th scope="col">{t(Key::EndedAt)}</th>
                    <th scope="col">{t(Key::EndReason)}</th>
                </tr></thead>
                <tbody>
                    {ticket.calls.into_iter().map(|c| view! { <CallRow call=c /> }).collect_view()}
                </tbody>
            </table>
        </section>
    }
}

/// A call button beside the customer's number, for agents who may dial (F10).
fn click_to_call(number: Option<String>) -> Option<impl IntoView> {
    let phone = use_context::<PhoneStore>()?;
    let number = number?;
    let can = move || phone.view.with(|v| v.as_ref().is_some_and(|v| v.can_dial)) && phone.can(crate::domain::AgentAction::Dial);
    Some(view! {
        <button type="button" class="call-number" disabled=move || !can()
            on:click=move |_| phone.dial(number.clone())>
            {t(Key::CallThisNumber)}
        </button>
    })
}

#[component]
fn CallRow(call: CallRecord) -> AnyView {
    let opt_time = |ms: Option<i64>| ms.map(format_datetime).unwrap_or_default();
    view! {
        <tr>
            <td>{t(match call.direction { CallDirection::Inbound => Key::Inbound, CallDirection::Outbound => Key::Outbound })}</td>
            <td class="number">{call.customer_number}</td>
            <td>
                {call.agent.unwrap_or_default()}
                {(!call.transfers.is_empty()).then(|| view! {
                    <ul class="transfers" aria-label=t(Key::Transfer)>
                        {call.transfers.into_iter().map(|(from, to)| view! {
                            <li>{t(Key::Transfer)}": "{from}" → "{to}</li>
                        }).collect_view()}
                    </ul>
                })}
            </td>
            <td>{format_datetime(call.queued_at_ms)}</td>
            <td>{opt_time(call.answered_at_ms)}</td>
            <td>{opt_time(call.ended_at_ms)}</td>
            <td>
                {call.end_reason.map(end_reason_label).unwrap_or_else(|| t(Key::InProgress))}
                {call.force_end_message.map(|m| view! { <blockquote class="played">{m}</blockquote> })}
            </td>
        </tr>
    }
    .into_any()
}
