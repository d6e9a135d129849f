//! Today's figures to the second: a scripted run of calls with known waits, talk and
//! after-call work (the simulator moves the server's clock forward, so nothing waits
//! for real), checked on the board and in the reports (their page's figures and their
//! CSV) against figures worked out by hand, on SQLite and on PostgreSQL, and again
//! after a restart (they come from the store).
//!
//! Alone in its file: the clock it moves is the whole process's.

mod common;

use app::domain::{AgentAction, AgentStatus};
use common::board::Drawn;
use common::{Client, TestServer};
use reqwest::Method;
use serde_json::json;

const DESK: &str = "サポートデスク";

async fn advance(server: &TestServer, secs: i64) {
    let (status, _) = server.sim(Method::POST, "/sim/clock", Some(json!({ "advance_ms": secs * 1000 }))).await;
    assert!(status.is_success());
}

/// The scripted day; answers op1's client.
async fn a_day_of_calls(server: &TestServer) -> Client {
    let op1 = server.signed_in("op1").await;
    let mut events = op1.events().await;
    op1.act(AgentAction::CtiLogin).await.unwrap();
    op1.act(AgentAction::Choose(AgentStatus::Ready)).await.unwrap();

    // A: rings at once, answered after 12 s (within 20 s), 150 s of talk with 30 s on
    // hold inside it, then 30 s of after-call work.
    let a = server.customer_calls("+81312340001").await;
    events.until("A ringing", |v| v.status == AgentStatus::Ringing).await;
    advance(server, 12).await;
    op1.answer(&a).await.unwrap();
    advance(server, 60).await;
    op1.form::<app::model::AgentView>("phone/hold", &[("call_id", &a)]).await.unwrap();
    advance(server, 30).await;
    op1.form::<app::model::AgentView>("phone/release", &[("call_id", &a)]).await.unwrap();
    advance(server, 60).await;
    op1.hang_up(&a).await.unwrap();
    advance(server, 30).await;
    op1.act(AgentAction::Choose(AgentStatus::Busy)).await.unwrap();

    // B: nobody is ready; the caller gives up after 45 s.
    let b = server.customer_calls("+81312340002").await;
    advance(server, 45).await;
    server.sim(Method::POST, &format!("/sim/calls/{b}/hangup"), None).await;

    // C: waits 24 s (past 20 s) until op1 is ready, 60 s of talk, the customer hangs
    // up, 10 s of after-call work.
    let c = server.customer_calls("+81312340003").await;
    advance(server, 24).await;
    op1.act(AgentAction::Choose(AgentStatus::Ready)).await.unwrap();
    events.until("C ringing", |v| v.status == AgentStatus::Ringing).await;
    op1.answer(&c).await.unwrap();
    advance(server, 60).await;
    server.sim(Method::POST, &format!("/sim/calls/{c}/hangup"), None).await;
    events.until("C's after-call work", |v| v.status == AgentStatus::Wrapup).await;
    advance(server, 10).await;
    op1.act(AgentAction::Choose(AgentStatus::Busy)).await.unwrap();

    // D: the caller hangs up after 3 s.
    let d = server.customer_calls("+81312340004").await;
    advance(server, 3).await;
    server.sim(Method::POST, &format!("/sim/calls/{d}/hangup"), None).await;
    op1
}

/// What the board shows, in the seconds a person reads.
fn read(drawn: &Drawn) -> (u32, u32, u32, Option<i64>, Option<i64>, Option<i64>, i64) {
    let f = drawn.service(DESK).today;
    (
        f.offered,
        f.answered,
        f.abandoned,
        f.service_level_percent().map(i64::from),
        f.average_answer_ms().map(|ms| ms / 1000),
        f.average_handle_ms().map(|ms| ms / 1000),
        f.longest_wait_ms / 1000,
    )
}

// By hand: 4 offered; A and C answered, B and D abandoned; within 20 s: A only, so
// 1 of 4 finished = 25 %; speed of answer (12 + 24) / 2 = 18 s; handle time
// A 150 + 30, C 60 + 10: (180 + 70) / 2 = 125 s; longest wait B's 45 s.
const EXPECTED: (u32, u32, u32, Option<i64>, Option<i64>, Option<i64>, i64) =
    (4, 2, 2, Some(25), Some(18), Some(125), 45);

/// A day with room for the script: within half an hour of midnight (Japan time), the
/// clock moves on to the next day.
async fn room_in_the_day(server: &TestServer) {
    let (_, clock) = server.sim(Method::GET, "/sim/clock", None).await;
    let now = clock["now_ms"].as_i64().unwrap();
    let left = app::time::day_start_of(now) + app::time::DAY_MS - now;
    if left < 30 * 60_000 {
        advance(server, left / 1000 + 60).await;
    }
}

/// The report of today, as the page asks for it.
async fn report(c: &Client, today: &str, interval: &str, short_abandon: &str) -> app::model::Report {
    let form =
        json!({ "from": today, "to": today, "interval": interval, "service": "", "short_abandon": short_abandon });
    c.json("reports", json!({ "form": form })).await.expect("the report")
}

/// The report's figures of the day, as its page and its CSV show them.
async fn check_reports(manager: &Client, today: &str) {
    let day = report(manager, today, "day", "0").await;
    assert_eq!(day.threshold_secs, 20);
    let desk = day.services.iter().find(|s| s.name == DESK).expect("the desk's rows");
    let f = desk.total;
    let shown = (
        f.offered,
        f.answered,
        f.abandoned,
        f.service_level_percent().map(i64::from),
        f.average_answer_ms().map(|ms| ms / 1000),
        f.average_handle_ms().map(|ms| ms / 1000),
        f.longest_wait_ms / 1000,
    );
    assert_eq!(shown, EXPECTED);
    assert_eq!(desk.rows.len(), 1, "one day, one row");

    // The agent: offered A and C (B and D found no one ready), answered both.
    let op1 = day.agents.iter().find(|a| a.name == "佐藤 花子").expect("op1's rows").total;
    assert_eq!((op1.offers, op1.missed, op1.calls.answered, op1.calls.handled), (2, 0, 2, 2));
    assert_eq!(op1.calls.average_answer_ms().map(|ms| ms / 1000), Some(18));
    assert_eq!(op1.calls.average_handle_ms().map(|ms| ms / 1000), Some(125));
    // Time in each status, to the second: A rang 12 s; talk 60 + 60 (A) and 60 (C);
    // 30 s held; after-call work 30 + 10 s.
    let secs = |s: AgentStatus| op1.time_in.of(s) / 1000;
    let times = [AgentStatus::Ringing, AgentStatus::InCall, AgentStatus::OnHold, AgentStatus::Wrapup].map(secs);
    assert_eq!(times, [12, 180, 30, 40]);

    // Leaving out abandons under 5 s drops D: 3 offered, 1 abandoned, 1 of 3 within.
    let short = report(manager, today, "day", "5").await;
    let f = short.services.iter().find(|s| s.name == DESK).unwrap().total;
    assert_eq!((f.offered, f.abandoned, f.service_level_percent()), (3, 1, Some(33)));

    // By the quarter hour, the intervals add up to the day.
    let quarters = report(manager, today, "15", "0").await;
    let desk = quarters.services.iter().find(|s| s.name == DESK).unwrap();
    let sum = desk.rows.iter().fold(app::model::QueueFigures::default(), |sum, (_, f)| sum + *f);
    assert_eq!((sum, desk.total), (day.services[0].total, day.services[0].total));

    // The CSV has the same figures (whole seconds).
    let res = manager.get(&format!("/reports/report.csv?from={today}&to={today}&interval=day")).await;
    assert_eq!(res.status(), reqwest::StatusCode::OK);
    let csv = res.text().await.unwrap();
    assert!(csv.starts_with("区分,名前,サービス,時間帯,着信数,応答数,放棄数,基準内応答数,サービスレベル(%)"), "{csv}");
    let total = format!("サービス,{DESK},{DESK},合計,4,2,2,1,25,18,125,45,2,");
    assert!(csv.lines().any(|l| l.starts_with(&total)), "{total} in\n{csv}");
    let agent = csv.lines().find(|l| l.starts_with("名前,佐藤 花子,") && l.contains(",合計,")).expect("op1's total");
    // Theirs: 2 answered, none abandoned at them, A within 20 s (50 %), longest wait C's
    // 24 s, 2 handled, 2 offers, none missed.
    assert!(agent.starts_with(&format!("名前,佐藤 花子,{DESK},合計,,2,0,1,50,18,125,24,2,2,0,")), "{agent}");
}

/// The reports' sums, kept as each call ended (and its after-call work came), are
/// what adding up the calls afterwards gives (migration 018's fill).
async fn kept_as_rebuilt(server: &TestServer) {
    use sea_orm::{ConnectionTrait, Statement};
    let db = server.db().await;
    let rows = || async {
        let sql = "SELECT tenant_id, start_ms, service_id, agent_id, calls, answered, answer_wait_ms, handle_ms, \
                   longest_answer_ms, abandoned, longest_abandon_ms, answer_secs, abandon_secs FROM call_quarters \
                   ORDER BY tenant_id, start_ms, service_id, agent_id";
        let rows = db.query_all_raw(Statement::from_string(db.get_database_backend(), sql)).await.unwrap();
        rows.iter()
            .map(|r| {
                let n = |c: &str| r.try_get::<i64>("", c).unwrap();
                let t = |c: &str| r.try_get::<String>("", c).unwrap();
                let nums = [
                    "calls",
                    "answered",
                    "answer_wait_ms",
                    "handle_ms",
                    "longest_answer_ms",
                    "abandoned",
                    "longest_abandon_ms",
                ];
                (nums.map(n), t("answer_secs"), t("abandon_secs"))
            })
            .collect::<Vec<_>>()
    };
    let kept = rows().await;
    // The day's four calls: A answered in 12 s and C in 24 s, B gone after 45 s, D after 3 s.
    let total = |i: usize| kept.iter().map(|(n, _, _)| n[i]).sum::<i64>();
    assert_eq!((total(0), total(1), total(5)), (4, 2, 2), "{kept:?}");
    migration::fill_call_quarters(&db).await.unwrap();
    assert_eq!(rows().await, kept);
}

async fn check(mut server: TestServer) {
    room_in_the_day(&server).await;
    a_day_of_calls(&server).await;
    let manager = server.signed_in("manager").await;
    let mut board = manager.board().await.unwrap();
    let drawn = board.until("the day's figures", |b| read(b) == EXPECTED).await;
    assert_eq!(read(&drawn), EXPECTED);
    let (_, clock) = server.sim(Method::GET, "/sim/clock", None).await;
    let today = app::time::format_datetime(clock["now_ms"].as_i64().unwrap())[..10].to_owned();
    check_reports(&manager, &today).await;
    kept_as_rebuilt(&server).await;

    server.restart().await;
    let manager = server.signed_in("manager").await;
    let mut board = manager.board().await.unwrap();
    board.until("the same figures after a restart", |b| read(b) == EXPECTED).await;
    check_reports(&manager, &today).await;
}

#[tokio::test]
async fn the_board_adds_up_a_scripted_day_to_the_second_on_both_databases() {
    check(TestServer::start().await).await;
    check(TestServer::start_postgres().await).await;
}
