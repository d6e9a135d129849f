//! The report's sections: a service's chart and its table by interval, and the agents'
//! calls and time in each status.

use leptos::prelude::*;

use super::chart::{calls_chart, status_chart};
use crate::domain::report::Interval;
use crate::i18n::{Key, t};
use crate::model::{AgentReport, LOGGED_IN, QueueFigures, ServiceReport};
use crate::time::{format_datetime, format_duration};
use crate::widget::status_label;

/// A length of time as a figure: `mm:ss` (or `h:mm:ss`), `—` where there is none.
fn duration(ms: Option<i64>) -> String {
    ms.map_or_else(|| "—".to_owned(), format_duration)
}

/// The eight figures of a queue, as table cells.
fn queue_cells(f: &QueueFigures) -> impl IntoView + use<> {
    let finished = f.answered + f.abandoned > 0;
    let sl = f.service_level_percent().map_or_else(|| "—".to_owned(), |p| format!("{p}%"));
    view! {
        <td class="number">{f.offered}</td>
        <td class="number">{f.answered}</td>
        <td class="number">{f.abandoned}</td>
        <td class="number">{sl}</td>
        <td class="number">{duration(f.average_answer_ms())}</td>
        <td class="number">{duration(f.average_handle_ms())}</td>
        <td class="number">{duration(finished.then_some(f.longest_wait_ms))}</td>
    }
}

/// An interval's name in a table: the time of day, or the date and time across days.
fn period(start: i64, interval: Interval, days: i64) -> String {
    let at = format_datetime(start);
    match (interval, days) {
        (Interval::Day, _) => at[..10].to_owned(),
        (_, 2..) => at[..16].to_owned(),
        _ => at[11..16].to_owned(),
    }
}

const QUEUE_HEADS: [Key; 7] = [
    Key::BoardOffered,
    Key::BoardAnswered,
    Key::BoardAbandoned,
    Key::BoardServiceLevel,
    Key::BoardAverageAnswer,
    Key::BoardAverageHandle,
    Key::BoardLongestWait,
];

#[component]
pub fn ServiceSection(service: ServiceReport, from_ms: i64, to_ms: i64, interval: Interval) -> impl IntoView {
    let title_id = format!("report-service-{}", service.service_id);
    let days = (to_ms - from_ms) / crate::time::DAY_MS;
    let svg = calls_chart(&service.rows, from_ms, to_ms, interval);
    let empty = service.rows.is_empty();
    let total = service.total;
    view! {
        <section class="card report-service" aria-labelledby=title_id.clone()>
            <h2 id=title_id.clone()>{service.name.clone()}</h2>
            <figure class="chart-figure">
                <div inner_html=svg></div>
                <figcaption class="legend">
                    <span><span class="swatch answered" aria-hidden="true"></span>{t(Key::BoardAnswered)}</span>
                    <span><span class="swatch abandoned" aria-hidden="true"></span>{t(Key::BoardAbandoned)}</span>
                    <span><span class="swatch sl" aria-hidden="true"></span>{t(Key::BoardServiceLevel)}</span>
                </figcaption>
            </figure>
            {if empty {
                view! { <p class="muted">{t(Key::ReportNoCalls)}</p> }.into_any()
            } else {
                view! {
                    <div class="table-scroll">
                        <table class="report-table">
                            <caption class="visually-hidden">{service.name}</caption>
                            <thead><tr>
                                <th scope="col">{t(Key::ReportPeriod)}</th>
                                {QUEUE_HEADS.map(|k| view! { <th scope="col" class="number">{t(k)}</th> }).collect_view()}
                            </tr></thead>
                            <tbody>
                                {service.rows.iter().map(|(start, f)| view! {
                                    <tr><th scope="row">{period(*start, interval, days)}</th>{queue_cells(f)}</tr>
                                }).collect_view()}
                            </tbody>
                            <tfoot>
                                <tr><th scope="row">{t(Key::ReportTotal)}</th>{queue_cells(&total)}</tr>
                            </tfoot>
                        </table>
                    </div>
                }
                .into_any()
            }}
        </section>
    }
}

#[component]
pub fn AgentSection(agents: Vec<AgentReport>) -> impl IntoView {
    let svg = status_chart(&agents);
    let calls = agents
        .iter()
        .map(|a| {
            let f = a.total;
            view! {
                <tr>
                    <th scope="row">{a.name.clone()}</th>
                    <td>{a.service.clone()}</td>
                    <td class="number">{f.offers}</td>
                    <td class="number">{f.calls.answered}</td>
                    <td class="number">{f.missed}</td>
                    <td class="number">{f.calls.abandoned}</td>
                    <td class="number">{duration(f.calls.average_answer_ms())}</td>
                    <td class="number">{duration(f.calls.average_handle_ms())}</td>
                    <td class="number">{f.calls.handled}</td>
                </tr>
            }
        })
        .collect_view();
    let times = agents
        .iter()
        .map(|a| {
            let times = a.total.time_in;
            view! {
                <tr>
                    <th scope="row">{a.name.clone()}</th>
                    <td class="number">{format_duration(times.logged_in())}</td>
                    {LOGGED_IN.map(|s| view! { <td class="number">{format_duration(times.of(s))}</td> }).collect_view()}
                </tr>
            }
        })
        .collect_view();
    view! {
        <section class="card report-agents" aria-labelledby="report-agents-title">
            <h2 id="report-agents-title">{t(Key::ReportAgents)}</h2>
            <h3 id="report-agent-calls">{t(Key::ReportAgentCalls)}</h3>
            <div class="table-scroll">
                <table class="report-table" aria-labelledby="report-agent-calls">
                    <thead><tr>
                        <th scope="col">{t(Key::ReportName)}</th>
                        <th scope="col">{t(Key::ReportService)}</th>
                        {[Key::ReportOffers, Key::BoardAnswered, Key::ReportMissed, Key::BoardAbandoned,
                          Key::BoardAverageAnswer, Key::BoardAverageHandle, Key::ReportHandled]
                            .map(|k| view! { <th scope="col" class="number">{t(k)}</th> }).collect_view()}
                    </tr></thead>
                    <tbody>{calls}</tbody>
                </table>
            </div>
            <h3 id="report-agent-times">{t(Key::ReportTimeInStatus)}</h3>
            <figure class="chart-figure">
                <div inner_html=svg></div>
                <figcaption class="legend">
                    {LOGGED_IN.map(|s| view! {
                        <span><span class=format!("swatch st-{}", s.as_str()) aria-hidden="true"></span>{status_label(s)}</span>
                    }).collect_view()}
                </figcaption>
            </figure>
            <div class="table-scroll">
                <table class="report-table" aria-labelledby="report-agent-times">
                    <thead><tr>
                        <th scope="col">{t(Key::ReportName)}</th>
                        <th scope="col" class="number">{t(Key::ReportLoggedIn)}</th>
                        {LOGGED_IN.map(|s| view! { <th scope="col" class="number">{status_label(s)}</th> }).collect_view()}
                    </tr></thead>
                    <tbody>{times}</tbody>
                </table>
            </div>
        </section>
    }
}
