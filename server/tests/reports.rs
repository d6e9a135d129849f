//! レポート over HTTP, beyond its figures (figures.rs checks those to the second): who
//! may read a report and its CSV, and what a bad form gets.

mod common;

use app::domain::Problem;
use app::error::AppError;
use app::model::{Report, ReportService};
use common::TestServer;
use reqwest::StatusCode;
use serde_json::json;

fn form(from: &str, to: &str, interval: &str, service: &str) -> serde_json::Value {
    json!({ "form": { "from": from, "to": to, "interval": interval, "service": service, "short_abandon": "" } })
}

#[tokio::test]
async fn supervisors_read_their_own_services_and_no_other() {
    let server = TestServer::start().await;
    let admin = server.signed_in("admin").await;
    let manager = server.signed_in("manager").await;
    let all: Vec<ReportService> = admin.form("reports/services", &[]).await.unwrap();
    let own: Vec<ReportService> = manager.form("reports/services", &[]).await.unwrap();
    assert_eq!(own.len(), 1);
    // The second tenant's service.
    let admin2 = server.signed_in("admin2").await;
    let other: Vec<ReportService> = admin2.form("reports/services", &[]).await.unwrap();
    let other = &other[0];

    // No dates: today, by the hour, over the manager's service only.
    let today: Report = manager.json("reports", form("", "", "", "")).await.unwrap();
    assert_eq!(today.services.len(), 1);
    assert_eq!(today.interval.as_str(), "60");
    assert_eq!(today.to_ms - today.from_ms, app::time::DAY_MS);
    assert!(today.agents.iter().all(|a| a.service == own[0].name));
    // The tenant admin sees every service.
    let everything: Report = admin.json("reports", form("", "", "day", "")).await.unwrap();
    assert_eq!(everything.services.len(), all.len());

    // Another tenant's service is not found, on the page and as CSV.
    for who in [&admin, &manager] {
        let refused = who.json::<Report>("reports", form("", "", "day", &other.id.to_string())).await;
        assert_eq!(refused.unwrap_err(), (StatusCode::NOT_FOUND, AppError::NotFound));
    }
    let csv = manager.get(&format!("/reports/report.csv?interval=day&service={}", other.id)).await;
    assert_eq!(csv.status(), StatusCode::NOT_FOUND);
    // An operator has no reports.
    let op1 = server.signed_in("op1").await;
    assert_eq!(op1.get("/reports/report.csv").await.status(), StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn a_bad_form_is_refused_field_by_field_in_the_readers_language() {
    let server = TestServer::start().await;
    let admin = server.signed_in("admin").await;
    let (status, e) = admin.json::<Report>("reports", form("2026-12-01", "2026-12-31", "15", "")).await.unwrap_err();
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(e, AppError::Invalid(vec![app::domain::FieldProblem::new("to", Problem::ReportTooLong)]));
    let (_, e) = admin.json::<Report>("reports", form("2026-02-30", "", "7", "x")).await.unwrap_err();
    let AppError::Invalid(problems) = e else { panic!("{e:?}") };
    let fields: Vec<&str> = problems.iter().map(|p| p.field.as_str()).collect();
    assert_eq!(fields, ["from", "to", "interval", "service"]);

    let csv = admin.get("/reports/report.csv?from=2026-12-01&to=2026-12-31&interval=15").await;
    assert_eq!(csv.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let text = csv.text().await.unwrap();
    assert!(text.contains("期間が長すぎます"), "{text}");
}

/// A call counts in the report while it goes on (from the calls) and, once ended, from
/// the sums kept as calls end: offered once all along, handled once it has ended.
#[tokio::test]
async fn a_call_counts_once_while_it_goes_on_and_after_it_ends() {
    use app::domain::{AgentAction, AgentStatus};
    let server = TestServer::start().await;
    let manager = server.signed_in("manager").await;
    let desk = |r: &Report| {
        let t = r.services[0].total;
        (t.offered, t.answered, t.handled)
    };
    let op1_handled = |r: &Report| r.agents.iter().find(|a| a.name == "佐藤 花子").map(|a| a.total.calls.handled);
    let report = || async { manager.json::<Report>("reports", form("", "", "day", "")).await.unwrap() };
    let before = report().await;

    let op1 = server.signed_in("op1").await;
    let mut events = op1.events().await;
    let call = server.customer_calls("+81312349999").await;
    let waiting = report().await;
    assert_eq!(desk(&waiting), (desk(&before).0 + 1, desk(&before).1, desk(&before).2));

    op1.act(AgentAction::CtiLogin).await.unwrap();
    op1.act(AgentAction::Choose(AgentStatus::Ready)).await.unwrap();
    events.until("ringing", |v| v.status == AgentStatus::Ringing).await;
    op1.answer(&call).await.unwrap();
    let talking = report().await;
    assert_eq!(desk(&talking), (desk(&before).0 + 1, desk(&before).1 + 1, desk(&before).2));

    op1.hang_up(&call).await.unwrap();
    events.until("after-call work", |v| v.status == AgentStatus::Wrapup).await;
    let ended = report().await;
    assert_eq!(desk(&ended), (desk(&before).0 + 1, desk(&before).1 + 1, desk(&before).2 + 1));
    assert_eq!(op1_handled(&ended), op1_handled(&before).map(|n| n + 1));
}
