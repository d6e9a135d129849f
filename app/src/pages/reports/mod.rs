//! レポート: for a range of days (Japan time) and an interval, each service's queue
//! figures with a chart, and each agent's calls and time in each status; the same
//! figures as a CSV download. The form is a plain GET form, so a report is an address
//! that can be shared and bookmarked; the whole page is drawn by the server (its charts
//! too), so it adds nothing to the browser's code.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

use crate::api::{get_report, report_services};
use crate::domain::board_scope;
use crate::domain::report::{Interval, ReportForm, field};
use crate::i18n::{Key, locale, t};
use crate::model::{Report, SessionInfo};
use crate::pages::form::{FieldError, Problems, error_id};

mod chart;
mod tables;

#[component]
pub fn ReportsPage() -> impl IntoView {
    let session = use_context::<Option<SessionInfo>>().flatten();
    let allowed = session.as_ref().and_then(board_scope).is_some();
    view! {
        <Title text=format!("{} – {}", t(Key::Reports), t(Key::AppName)) />
        <main class="page reports">
            <h1>{t(Key::Reports)}</h1>
            {match allowed {
                true => view! { <ReportView /> }.into_any(),
                false => view! { <p class="error" role="alert">{t(Key::ErrForbidden)}</p> }.into_any(),
            }}
        </main>
    }
}

#[component]
fn ReportView() -> impl IntoView {
    let query = use_query_map();
    let form = Memo::new(move |_| {
        query.with(|q| {
            let get = |k: &str| q.get(k).unwrap_or_default();
            ReportForm {
                from: get(field::FROM),
                to: get(field::TO),
                interval: get(field::INTERVAL),
                service: get(field::SERVICE),
                short_abandon: get(field::SHORT_ABANDON),
            }
        })
    });
    let answer = crate::api::load(move || form.get(), get_report);
    let problems = Problems::new();
    view! {
        <Suspense fallback=|| view! { <p class="muted">{t(Key::Connecting)}</p> }>
            {move || answer.get().map(|r| {
                let asked = form.get_untracked();
                match r {
                    Ok(report) => {
                        problems.clear();
                        let shown = shown_form(&report, asked);
                        view! { <Filters form=shown problems /> <Results report /> }.into_any()
                    }
                    Err(e) => {
                        problems.show(&e);
                        let message = e.message(locale());
                        view! {
                            <Filters form=asked problems />
                            <p class="error" role="alert">{message}</p>
                        }
                        .into_any()
                    }
                }
            })}
        </Suspense>
    }
}

/// The form as the report was counted: its dates (today, when none were asked for) and
/// interval.
fn shown_form(report: &Report, asked: ReportForm) -> ReportForm {
    let day = |ms: i64| crate::time::format_datetime(ms)[..10].to_owned();
    ReportForm {
        from: day(report.from_ms),
        to: day(report.to_ms - 1),
        interval: report.interval.as_str().to_owned(),
        short_abandon: report.short_abandon_secs.to_string(),
        ..asked
    }
}

/// The address of the CSV of the report `form` asks for.
fn csv_href(form: &ReportForm) -> String {
    let pairs = [
        (field::FROM, &form.from),
        (field::TO, &form.to),
        (field::INTERVAL, &form.interval),
        (field::SERVICE, &form.service),
        (field::SHORT_ABANDON, &form.short_abandon),
    ];
    let query: Vec<String> = pairs
        .iter()
        .map(|(k, v)| format!("{k}={}", v.trim().replace(|c: char| !c.is_ascii_alphanumeric() && c != '-', "")))
        .collect();
    format!("/reports/report.csv?{}", query.join("&"))
}

#[component]
fn Filters(form: ReportForm, problems: Problems) -> impl IntoView {
    let services = crate::api::load(|| (), |_| report_services());
    let invalid = move |name: &'static str| problems.bad(name);
    let date = move |name: &'static str, label: Key, value: String| {
        view! {
            <label class:invalid=move || invalid(name)>
                <span>{t(label)}</span>
                <input type="date" name=name value=value required
                    aria-invalid=move || invalid(name).to_string() aria-describedby=error_id("report", name) />
                <FieldError problems scope="report" field=name />
            </label>
        }
    };
    let interval = form.interval.clone();
    let chosen_service = form.service.clone();
    let href = csv_href(&form);
    view! {
        <form method="get" action="/reports" class="filters card" aria-label=t(Key::Reports)>
            {date(field::FROM, Key::DateFrom, form.from.clone())}
            {date(field::TO, Key::DateTo, form.to.clone())}
            <label class:invalid=move || invalid(field::INTERVAL)>
                <span>{t(Key::ReportInterval)}</span>
                <select name=field::INTERVAL aria-describedby=error_id("report", field::INTERVAL)>
                    {Interval::ALL.into_iter().map(|i| {
                        let key = match i {
                            Interval::Quarter => Key::IntervalQuarter,
                            Interval::Half => Key::IntervalHalf,
                            Interval::Hour => Key::IntervalHour,
                            Interval::Day => Key::IntervalDay,
                        };
                        view! { <option value=i.as_str() selected=interval == i.as_str()>{t(key)}</option> }
                    }).collect_view()}
                </select>
                <FieldError problems scope="report" field=field::INTERVAL />
            </label>
            <label class:invalid=move || invalid(field::SERVICE)>
                <span>{t(Key::ReportService)}</span>
                <select name=field::SERVICE aria-describedby=error_id("report", field::SERVICE)>
                    <Suspense>
                        {move || services.get().and_then(Result::ok).map(|list| {
                            let chosen = chosen_service.clone();
                            let all = (list.len() > 1).then(|| view! {
                                <option value="" selected=chosen.is_empty()>{t(Key::AllServices)}</option>
                            });
                            let each = list.into_iter().map(|s| {
                                let selected = chosen == s.id.to_string();
                                view! { <option value=s.id.to_string() selected=selected>{s.name}</option> }
                            }).collect_view();
                            view! { {all} {each} }
                        })}
                    </Suspense>
                </select>
                <FieldError problems scope="report" field=field::SERVICE />
            </label>
            <label class:invalid=move || invalid(field::SHORT_ABANDON)>
                <span>{t(Key::ShortAbandonLabel)}</span>
                <input type="number" name=field::SHORT_ABANDON min="0" max="120" inputmode="numeric"
                    value=form.short_abandon.clone()
                    aria-invalid=move || invalid(field::SHORT_ABANDON).to_string()
                    aria-describedby=format!("{} short-abandon-hint", error_id("report", field::SHORT_ABANDON)) />
                <small class="muted" id="short-abandon-hint">{t(Key::ShortAbandonHint)}</small>
                <FieldError problems scope="report" field=field::SHORT_ABANDON />
            </label>
            <div class="form-actions">
                <button type="submit" class="primary">{t(Key::ShowReport)}</button>
                <a class="button" href=href download>{t(Key::DownloadCsv)}</a>
            </div>
        </form>
    }
}

#[component]
fn Results(report: Report) -> impl IntoView {
    let note = t(Key::ReportThresholdNote).replace("{}", &report.threshold_secs.to_string());
    let Report { from_ms, to_ms, interval, services, agents, .. } = report;
    view! {
        <p class="muted">{note}</p>
        {services.into_iter().map(|s| view! { <tables::ServiceSection service=s from_ms to_ms interval /> }).collect_view()}
        <tables::AgentSection agents />
    }
}
