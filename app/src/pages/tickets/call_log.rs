//! A ticket's call log: every call behind it, who took part, when, for how long, and
//! how it ended.

use leptos::prelude::*;

use super::direction_label;
use crate::i18n::{Key, t};
use crate::model::CallRecord;
use crate::time::{format_datetime, format_duration};

#[component]
pub fn CallLog(calls: Vec<CallRecord>) -> AnyView {
    view! {
        <section class="call-log" aria-labelledby="call-log-title">
            <h2 id="call-log-title">{t(Key::CallLog)}</h2>
            <table class="list">
                <thead><tr>
                    <th scope="col">{t(Key::Direction)}</th>
                    <th scope="col">{t(Key::CustomerNumber)}</th>
                    <th scope="col">{t(Key::AgentsInvolved)}</th>
                    <th scope="col">{t(Key::QueuedAt)}" / "{t(Key::AnsweredAt)}" / "{t(Key::EndedAt)}</th>
                    <th scope="col">{t(Key::TalkTime)}</th>
                    <th scope="col">{t(Key::HoldTime)}</th>
                    <th scope="col">{t(Key::EndReason)}</th>
                </tr></thead>
                <tbody>
                    {calls.into_iter().map(|c| view! { <CallRow call=c /> }).collect_view()}
                </tbody>
            </table>
        </section>
    }
    .into_any()
}

#[component]
fn CallRow(call: CallRecord) -> AnyView {
    let time = |key: Key, ms: Option<i64>| {
        ms.map(|ms| view! { <li><span class="muted">{t(key)}</span>" "{format_datetime(ms)}</li> })
    };
    let agents = if call.agents.is_empty() { call.agent.clone().into_iter().collect() } else { call.agents.clone() };
    view! {
        <tr>
            <td>{direction_label(call.direction)}</td>
            <td>
                <span class="number">{call.customer_number.shown}</span>
                <br />
                <small class="muted">{t(Key::ServiceNumber)}" "<span class="number">{call.service_number.shown}</span></small>
            </td>
            <td>
                {agents.join("、")}
                {(!call.transfers.is_empty()).then(|| view! {
                    <ul class="transfers" aria-label=t(Key::Transfer)>
                        {call.transfers.into_iter().map(|(from, to)| view! {
                            <li>{t(Key::Transfer)}": "{from}" → "{to}</li>
                        }).collect_view()}
                    </ul>
                })}
            </td>
            <td>
                <ul class="times">
                    {time(Key::QueuedAt, Some(call.queued_at_ms))}
                    {time(Key::OfferedAt, call.offered_at_ms)}
                    {time(Key::AnsweredAt, call.answered_at_ms)}
                    {time(Key::EndedAt, call.ended_at_ms)}
                </ul>
            </td>
            <td class="number">{call.talk_ms.map(format_duration).unwrap_or_default()}</td>
            <td class="number">
                {format_duration(call.hold_ms)}
                {(call.holds > 0).then(|| format!("（{}{}）", call.holds, t(Key::TimesSuffix)))}
            </td>
            <td>
                {call.end_reason.map(|r| t(r.label_key())).unwrap_or_else(|| t(Key::InProgress))}
                {call.ended_by.map(|who| view! { <span class="muted">" （"{who}"）"</span> })}
                {call.force_end_message.map(|m| view! { <blockquote class="played">{m}</blockquote> })}
            </td>
        </tr>
    }
    .into_any()
}
