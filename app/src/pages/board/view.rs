//! How a service and its agents are drawn.

use leptos::prelude::*;

use super::live::BoardState;
use crate::i18n::{Key, t};
use crate::model::{FloorAgent, QueueFigures, ServiceBoard};
use crate::time::format_duration;
use crate::widget::status_label;

#[component]
pub fn ServiceCard(service: ServiceBoard, board: BoardState) -> impl IntoView {
    let id = service.service_id;
    let heading = format!("service-{id}");
    let labelled_by = heading.clone();
    let live = move || board.services.with(|all| all.iter().find(|s| s.service_id == id).cloned());
    let agents = move || {
        let mut list: Vec<FloorAgent> =
            board.agents.with(|all| all.values().filter(|a| a.service_id == id).cloned().collect());
        list.sort_by(|a, b| a.name.cmp(&b.name));
        list
    };
    view! {
        <section class="card board-service" aria-labelledby=labelled_by>
            <h2 id=heading>{service.name.clone()}</h2>
            {move || live().map(|s| view! { <Figures service=s board /> })}
            <table class="list floor">
                <caption class="visually-hidden">{t(Key::BoardAgents)}</caption>
                <thead><tr>
                    <th scope="col">{t(Key::RoleOperator)}</th>
                    <th scope="col">{t(Key::TicketStatus)}</th>
                    <th scope="col">{t(Key::BoardInStatus)}</th>
                    <th scope="col">{t(Key::BoardCall)}</th>
                    <th scope="col"><span class="visually-hidden">{t(Key::SetStatus)}</span></th>
                </tr></thead>
                <tbody>
                    <For each=agents key=|a| (a.user_id, a.status, a.since_ms, a.reason.clone(), a.pending, a.call.as_ref().map(|c| (c.since_ms, c.ticket_id))) let:a>
                        <AgentRow agent=a board />
                    </For>
                </tbody>
            </table>
        </section>
    }
}

#[component]
fn Figures(service: ServiceBoard, board: BoardState) -> impl IntoView {
    let QueueFigures { offered, answered, abandoned, longest_wait_ms, .. } = service.today;
    let today = service.today;
    let oldest = service.oldest_since_ms;
    let waiting_now = service.waiting > 0;
    let waiting_for = move || oldest.map(|since| format_duration(board.server_now() - since));
    let ms = |v: Option<i64>| v.map_or_else(|| "—".to_owned(), format_duration);
    let tiles: Vec<(Key, String)> = vec![
        (Key::BoardOffered, offered.to_string()),
        (Key::BoardAnswered, answered.to_string()),
        (Key::BoardAbandoned, abandoned.to_string()),
        (Key::BoardServiceLevel, today.service_level_percent().map_or_else(|| "—".to_owned(), |p| format!("{p}%"))),
        (Key::BoardAverageAnswer, ms(today.average_answer_ms())),
        (Key::BoardAverageHandle, ms(today.average_handle_ms())),
        (Key::BoardLongestWait, ms((answered + abandoned > 0).then_some(longest_wait_ms))),
    ];
    view! {
        <dl class="figures now">
            <div class:alert=waiting_now>
                <dt>{t(Key::CallsWaiting)}</dt>
                <dd>{service.waiting}</dd>
            </div>
            <div>
                <dt>{t(Key::BoardOldestWait)}</dt>
                <dd>{move || waiting_for().unwrap_or_else(|| "—".into())}</dd>
            </div>
        </dl>
        <h3 class="figures-title">{t(Key::BoardToday)}</h3>
        <dl class="figures today">
            {tiles.into_iter().map(|(k, v)| view! { <div><dt>{t(k)}</dt><dd>{v}</dd></div> }).collect_view()}
        </dl>
    }
}

#[component]
fn AgentRow(agent: FloorAgent, board: BoardState) -> impl IntoView {
    let since = agent.since_ms;
    let user = agent.user_id;
    let reason = agent.reason.map(|r| format!("（{}）", crate::widget::break_reason_label(&r)));
    let pending = agent.pending.map(|p| format!("{}: {}", t(Key::PendingAfterCall), status_label(p)));
    let can_set = agent.status != crate::domain::AgentStatus::LoggedOut;
    let call = agent.call.map(|c| {
        let started = c.since_ms;
        let number = view! { <span class="number">{c.customer.shown}</span> };
        let number = match c.ticket_id {
            Some(id) => view! { <a href=format!("/tickets/{id}")>{number}</a> }.into_any(),
            None => number.into_any(),
        };
        view! { {number}" "<span class="muted">{move || format_duration(board.server_now() - started)}</span> }
    });
    view! {
        <tr>
            <th scope="row">{agent.name}</th>
            <td class="status">
                <span class=format!("status-dot {}", agent.status.as_str()) aria-hidden="true"></span>
                {status_label(agent.status)}{reason}
                {pending.map(|p| view! { <small class="pending">{p}</small> })}
            </td>
            <td class="number">{move || format_duration(board.server_now() - since)}</td>
            <td>{call}</td>
            <td class="row-actions">
                {can_set.then(|| view! {
                    <button type="button" on:click=move |_| board.editing.set(Some(user))>{t(Key::SetStatus)}</button>
                })}
            </td>
        </tr>
    }
}
