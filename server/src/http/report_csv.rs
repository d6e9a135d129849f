//! `GET /reports/report.csv?from&to&interval&service&short_abandon`: the report the page
//! shows, as CSV: one row per service and interval with a total row each, then one row
//! per agent and interval with a total row each. Computed by the same port as the page.

use app::api::ports::Backend;
use app::domain::report::ReportForm;
use app::i18n::{Key, Locale, text};
use app::model::{AgentFigures, LOGGED_IN, QueueFigures, Report, SessionInfo};
use app::time::format_datetime;
use app::widget::status_key;
use axum::Extension;
use axum::extract::{Query, State};
use axum::http::header;
use axum::response::{IntoResponse, Response};

pub async fn report_csv(
    State(backend): State<Backend>,
    Extension(user): Extension<SessionInfo>,
    Query(form): Query<ReportForm>,
) -> Response {
    let report = match backend.reports.report(&user, form).await {
        Ok(r) => r,
        Err(app::error::AppError::Invalid(problems)) => {
            let detail = problems
                .iter()
                .map(|p| format!("{}: {}", p.field, p.problem.message(user.locale)))
                .collect::<Vec<_>>()
                .join("\n");
            return super::export::refuse(&user, app::error::AppError::Invalid(problems), detail);
        }
        Err(e) => return super::export::refuse(&user, e, String::new()),
    };
    let day = |ms: i64| format_datetime(ms)[..10].to_owned();
    let filename = format!("report_{}_{}_{}.csv", day(report.from_ms), day(report.to_ms - 1), report.interval.as_str());
    (
        [
            (header::CONTENT_TYPE, "text/csv; charset=utf-8".to_owned()),
            (header::CONTENT_DISPOSITION, format!("attachment; filename=\"{filename}\"")),
            (header::CACHE_CONTROL, "no-store".to_owned()),
        ],
        csv(&report, user.locale),
    )
        .into_response()
}

/// Whole seconds, as the page shows them (cut, not rounded).
fn secs(ms: i64) -> String {
    (ms / 1000).to_string()
}

fn opt_secs(ms: Option<i64>) -> String {
    ms.map(secs).unwrap_or_default()
}

fn header_row(l: Locale) -> Vec<String> {
    let s = |k: Key| format!("{}({})", text(l, k), text(l, Key::Seconds));
    let mut h = vec![
        text(l, Key::ReportKind).to_owned(),
        text(l, Key::ReportName).to_owned(),
        text(l, Key::ReportService).to_owned(),
        text(l, Key::ReportPeriod).to_owned(),
        text(l, Key::BoardOffered).to_owned(),
        text(l, Key::BoardAnswered).to_owned(),
        text(l, Key::BoardAbandoned).to_owned(),
        text(l, Key::ReportAnsweredWithin).to_owned(),
        format!("{}(%)", text(l, Key::BoardServiceLevel)),
        s(Key::BoardAverageAnswer),
        s(Key::BoardAverageHandle),
        s(Key::BoardLongestWait),
        text(l, Key::ReportHandled).to_owned(),
        text(l, Key::ReportOffers).to_owned(),
        text(l, Key::ReportMissed).to_owned(),
        s(Key::ReportLoggedIn),
    ];
    h.extend(LOGGED_IN.iter().map(|st| s(status_key(*st))));
    h
}

/// The queue columns of a row; `offered` is left empty for an agent (their offers
/// have their own column).
fn queue(f: &QueueFigures, offered: bool) -> Vec<String> {
    let finished = f.answered + f.abandoned > 0;
    vec![
        if offered { f.offered.to_string() } else { String::new() },
        f.answered.to_string(),
        f.abandoned.to_string(),
        f.answered_within.to_string(),
        f.service_level_percent().map(|p| p.to_string()).unwrap_or_default(),
        opt_secs(f.average_answer_ms()),
        opt_secs(f.average_handle_ms()),
        if finished { secs(f.longest_wait_ms) } else { String::new() },
        f.handled.to_string(),
    ]
}

fn agent_columns(a: &AgentFigures) -> Vec<String> {
    let mut v = vec![a.offers.to_string(), a.missed.to_string(), secs(a.time_in.logged_in())];
    v.extend(LOGGED_IN.iter().map(|s| secs(a.time_in.of(*s))));
    v
}

fn csv(report: &Report, l: Locale) -> Vec<u8> {
    let period = |start: i64| format_datetime(start)[..16].to_owned();
    let total = text(l, Key::ReportTotal).to_owned();
    let blank_agent = vec![String::new(); 3 + LOGGED_IN.len()];
    let mut w = csv::Writer::from_writer(Vec::new());
    let _ = w.write_record(header_row(l));
    for s in &report.services {
        let kind = text(l, Key::ReportService);
        let rows = s.rows.iter().map(|(at, f)| (period(*at), f)).chain([(total.clone(), &s.total)]);
        for (when, f) in rows {
            let mut r = vec![kind.to_owned(), s.name.clone(), s.name.clone(), when];
            r.extend(queue(f, true));
            r.extend(blank_agent.iter().cloned());
            let _ = w.write_record(r);
        }
    }
    for a in &report.agents {
        let kind = text(l, Key::ReportName);
        let rows = a.rows.iter().map(|(at, f)| (period(*at), f)).chain([(total.clone(), &a.total)]);
        for (when, f) in rows {
            let mut r = vec![kind.to_owned(), a.name.clone(), a.service.clone(), when];
            r.extend(queue(&f.calls, false));
            r.extend(agent_columns(f));
            let _ = w.write_record(r);
        }
    }
    w.into_inner().unwrap_or_default()
}
