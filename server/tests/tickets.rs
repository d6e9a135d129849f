//! Tickets over HTTP against a real SQLite file: the list's filters and keyset pages,
//! edits that name their version, notes, the call log, customers and the screen pop,
//! and the streamed CSV export.

mod common;

use std::collections::HashSet;

use app::domain::{AgentAction, AgentStatus, Problem};
use app::error::AppError;
use app::model::{AgentView, CallerCard, Customer, EndReason, TicketDetail, TicketPage, TicketStatus};
use common::{Client, TestServer};
use reqwest::StatusCode;
use sea_orm::ConnectionTrait;
use serde_json::json;
use server::store::Store;

const DAY_MS: i64 = 86_400_000;
/// 2026-11-25 00:00 in Japan.
const NOV_25_JST: i64 = 1_795_564_800_000 - 9 * 3_600_000;

async fn demo_service(server: &TestServer) -> i32 {
    let db = server.db().await;
    let row = db
        .query_one_raw(sea_orm::Statement::from_string(
            db.get_database_backend(),
            "SELECT id FROM services WHERE name = 'サポートデスク'",
        ))
        .await
        .unwrap()
        .unwrap();
    row.try_get("", "id").unwrap()
}

/// `count` tickets in the demo service, one an hour back from 2026-11-25 23:00 JST.
async fn seed(server: &TestServer, count: usize) {
    let store = Store::open(&server.db_url).await.unwrap();
    store.seed_tickets(demo_service(server).await, count, NOV_25_JST + 23 * 3_600_000, 3_600_000, 40).await.unwrap();
}

/// op1 answers a call from `from` and it ends; answers (call id, ticket id).
async fn answered_call(server: &TestServer, op1: &Client, from: &str) -> (String, i32) {
    op1.act(AgentAction::Choose(AgentStatus::Ready)).await.unwrap();
    let mut events = op1.events().await;
    let call = server.customer_calls(from).await;
    events.until("着信中", |v| v.status == AgentStatus::Ringing).await;
    let ticket = op1.answer(&call).await.unwrap();
    (call, ticket)
}

fn refused_fields(e: (StatusCode, AppError)) -> (StatusCode, Vec<String>) {
    (e.0, e.1.field_problems().iter().map(|p| p.field.clone()).collect())
}

#[tokio::test]
async fn keyset_pages_walk_every_ticket_once_in_order_and_back() {
    let server = TestServer::start().await;
    seed(&server, 130).await;
    let op1 = server.signed_in("op1").await;

    let mut seen = Vec::new();
    let mut page = op1.ticket_page(json!({})).await.unwrap();
    assert_eq!(page.total, 130);
    assert_eq!(page.prev, None, "the first page has nothing before it");
    let mut pages = vec![page.clone()];
    loop {
        seen.extend(page.tickets.iter().map(|t| (t.created_at_ms, t.id)));
        let Some(next) = page.next.clone() else { break };
        page = op1.ticket_page(json!({ "after": next })).await.unwrap();
        pages.push(page.clone());
    }
    assert_eq!(pages.iter().map(|p| p.tickets.len()).collect::<Vec<_>>(), [50, 50, 30]);
    assert_eq!(seen.len(), 130);
    assert!(seen.windows(2).all(|w| w[0] > w[1]), "newest first, no repeats");

    // Back from the last page: the middle page again, exactly.
    let back = op1.ticket_page(json!({ "before": pages[2].prev.clone().unwrap() })).await.unwrap();
    assert_eq!(back.tickets, pages[1].tickets);
    let first = op1.ticket_page(json!({ "before": back.prev.clone().unwrap() })).await.unwrap();
    assert_eq!(first.tickets, pages[0].tickets);
    assert_eq!(first.prev, None);

    // Oldest first is the same tickets turned round.
    let oldest = op1.ticket_page(json!({ "sort": "created_asc" })).await.unwrap();
    let mut expected: Vec<_> = seen.iter().rev().take(50).map(|(_, id)| *id).collect();
    expected.truncate(50);
    assert_eq!(oldest.tickets.iter().map(|t| t.id).collect::<Vec<_>>(), expected);
    // By last update, newest first.
    let updated = op1.ticket_page(json!({ "sort": "updated_desc" })).await.unwrap();
    assert!(updated.tickets.windows(2).all(|w| (w[0].updated_at_ms, w[0].id) > (w[1].updated_at_ms, w[1].id)));
}

#[tokio::test]
async fn filters_narrow_the_list_and_the_count() {
    let server = TestServer::start().await;
    seed(&server, 120).await;
    let op1 = server.signed_in("op1").await;
    let all = op1.ticket_page(json!({ "sort": "created_asc" })).await.unwrap();
    assert_eq!(all.total, 120);

    let solved = op1.ticket_page(json!({ "status": "solved" })).await.unwrap();
    assert_eq!(solved.total, 40);
    assert!(solved.tickets.iter().all(|t| t.status == TicketStatus::Solved));

    let outbound = op1.ticket_page(json!({ "direction": "outbound" })).await.unwrap();
    assert_eq!(outbound.total, 40);
    let mine = op1.ticket_page(json!({ "assignee": "me" })).await.unwrap();
    assert!(mine.total > 0 && mine.tickets.iter().all(|t| t.assignee.as_deref() == Some("佐藤 花子")));
    let nobody = op1.ticket_page(json!({ "assignee": "none" })).await.unwrap();
    assert!(nobody.total > 0 && nobody.tickets.iter().all(|t| t.assignee.is_none()));
    assert_eq!(op1.ticket_page(json!({ "channel": "email" })).await.unwrap().total, 0);

    // One Japan-time day holds 24 of the hourly tickets; both ends included.
    let day = op1.ticket_page(json!({ "from": "2026-11-25", "to": "2026-11-25" })).await.unwrap();
    assert_eq!(day.total, 24);
    assert!(day.tickets.iter().all(|t| (NOV_25_JST..NOV_25_JST + DAY_MS).contains(&t.created_at_ms)));
    let two_days = op1.ticket_page(json!({ "from": "2026-11-24", "to": "2026-11-25" })).await.unwrap();
    assert_eq!(two_days.total, 48);

    // A customer's number is shown as people write it, and finds the tickets as typed.
    let number = all.tickets[0].customer_number.clone().unwrap();
    assert!(number.e164.starts_with("+81901"), "{number:?}");
    let national = format!("0{}", &number.e164[3..]);
    assert_eq!(number.shown, format!("{}-{}-{}", &national[..3], &national[3..7], &national[7..]));
    let theirs = op1.ticket_page(json!({ "customer": number.shown })).await.unwrap();
    assert!(theirs.total >= 1);
    assert!(theirs.tickets.iter().all(|t| t.customer_number.as_ref() == Some(&number)));

    // Filters combine.
    let combined =
        op1.ticket_page(json!({ "status": "open", "direction": "inbound", "from": "2026-11-25" })).await.unwrap();
    assert!(combined.tickets.iter().all(|t| t.status == TicketStatus::Open && t.created_at_ms >= NOV_25_JST));
}

#[tokio::test]
async fn malformed_filters_are_named_and_list_nothing() {
    let server = TestServer::start().await;
    let op1 = server.signed_in("op1").await;
    let bad = op1
        .ticket_page(json!({ "status": "done", "direction": "up", "from": "2026-02-30", "to": "2026-01-01x", "sort": "random", "after": "nope" }))
        .await
        .unwrap_err();
    assert_eq!(
        refused_fields(bad),
        (
            StatusCode::UNPROCESSABLE_ENTITY,
            vec!["status".into(), "direction".into(), "sort".into(), "from".into(), "to".into(), "page".into()]
        )
    );
    let order = op1.ticket_page(json!({ "from": "2026-11-25", "to": "2026-11-01" })).await.unwrap_err();
    assert_eq!(order.1, AppError::invalid("to", Problem::DateOrder));
    let number = op1.ticket_page(json!({ "customer": "12ab" })).await.unwrap_err();
    assert_eq!(number.1, AppError::invalid("customer", Problem::PhoneNumber));
}

#[tokio::test]
async fn two_agents_editing_one_ticket_never_overwrite_each_other() {
    let server = TestServer::start().await;
    let op1 = server.signed_in("op1").await;
    op1.act(AgentAction::CtiLogin).await.unwrap();
    let (call, id) = answered_call(&server, &op1, "+81312345678").await;
    op1.hang_up(&call).await.unwrap();
    let op2 = server.signed_in("op2").await;
    let seen_by_1 = op1.ticket(id).await.unwrap();
    let seen_by_2 = op2.ticket(id).await.unwrap();
    assert_eq!(seen_by_1.version, seen_by_2.version);
    let op2_id = seen_by_1.assignees.iter().find(|a| a.name == "鈴木 一郎").unwrap().user_id;

    let edit = |t: &TicketDetail, subject: &str, status: &str, assignee: String| json!({ "edit": { "id": t.id, "version": t.version, "subject": subject, "body": "請求書の再発行", "status": status, "assignee": assignee } });
    let saved: TicketDetail =
        op1.json("tickets/update", edit(&seen_by_1, "請求書の件", "pending", op2_id.to_string())).await.unwrap();
    assert_eq!(
        (saved.subject.as_str(), saved.status, saved.assignee.as_deref()),
        ("請求書の件", TicketStatus::Pending, Some("鈴木 一郎"))
    );
    assert_eq!(saved.version, seen_by_1.version + 1);

    // op2 saves over the version they read: refused, and op1's edit stands.
    let stale = op2
        .json::<TicketDetail>("tickets/update", edit(&seen_by_2, "別件", "solved", String::new()))
        .await
        .unwrap_err();
    assert_eq!(stale, (StatusCode::CONFLICT, AppError::Stale));
    let now = op2.ticket(id).await.unwrap();
    assert_eq!((now.subject.as_str(), now.status, now.version), ("請求書の件", TicketStatus::Pending, saved.version));
    // On the new version, op2's edit is kept.
    let second: TicketDetail = op2.json("tickets/update", edit(&now, "別件", "solved", String::new())).await.unwrap();
    assert_eq!((second.status, second.assignee.as_deref()), (TicketStatus::Solved, None));

    // Bad input changes nothing: a blank subject, an unknown status, someone of another tenant.
    let bad = op1.json::<TicketDetail>("tickets/update", edit(&second, " ", "done", String::new())).await.unwrap_err();
    assert_eq!(refused_fields(bad), (StatusCode::UNPROCESSABLE_ENTITY, vec!["subject".into(), "status".into()]));
    let admin2_id = {
        let db = server.db().await;
        let row = db
            .query_one_raw(sea_orm::Statement::from_string(
                db.get_database_backend(),
                "SELECT id FROM users WHERE username = 'admin2'",
            ))
            .await
            .unwrap()
            .unwrap();
        row.try_get::<i32>("", "id").unwrap()
    };
    let foreign = op1
        .json::<TicketDetail>("tickets/update", edit(&second, "x", "open", admin2_id.to_string()))
        .await
        .unwrap_err();
    assert_eq!(foreign.1, AppError::invalid("assignee", Problem::Choice));
    assert_eq!(op1.ticket(id).await.unwrap(), second, "nothing changed");
}

#[tokio::test]
async fn unknown_and_other_tenants_tickets_are_not_found() {
    let server = TestServer::start().await;
    let op1 = server.signed_in("op1").await;
    op1.act(AgentAction::CtiLogin).await.unwrap();
    let (_, id) = answered_call(&server, &op1, "+81312345678").await;
    let admin2 = server.signed_in("admin2").await;
    assert_eq!(admin2.ticket(id).await.unwrap_err(), AppError::NotFound);
    assert_eq!(op1.ticket(id + 1000).await.unwrap_err(), AppError::NotFound);
    let note = admin2.json::<TicketDetail>("tickets/note", json!({ "id": id, "body": "覗き見" })).await.unwrap_err();
    assert_eq!(note, (StatusCode::NOT_FOUND, AppError::NotFound));
    let edit =
        json!({ "edit": { "id": id, "version": 1, "subject": "x", "body": "", "status": "open", "assignee": "" } });
    assert_eq!(admin2.json::<TicketDetail>("tickets/update", edit).await.unwrap_err().0, StatusCode::NOT_FOUND);
    // And the other tenant's list does not hold it.
    assert!(admin2.tickets().await.iter().all(|t| t.id != id));
    assert!(op1.ticket(id).await.unwrap().notes.is_empty());
}

#[tokio::test]
async fn notes_add_up_under_their_authors() {
    let server = TestServer::start().await;
    let op1 = server.signed_in("op1").await;
    op1.act(AgentAction::CtiLogin).await.unwrap();
    let (_, id) = answered_call(&server, &op1, "+81312345678").await;
    let op2 = server.signed_in("op2").await;
    let version = op1.ticket(id).await.unwrap().version;
    let _: TicketDetail = op1.json("tickets/note", json!({ "id": id, "body": "折り返し希望（午後）" })).await.unwrap();
    let after: TicketDetail =
        op2.json("tickets/note", json!({ "id": id, "body": "15時に折り返し済み" })).await.unwrap();
    let notes: Vec<(&str, &str)> = after.notes.iter().map(|n| (n.author.as_str(), n.body.as_str())).collect();
    assert_eq!(notes, [("佐藤 花子", "折り返し希望（午後）"), ("鈴木 一郎", "15時に折り返し済み")]);
    // A note does not make an open edit form stale.
    assert_eq!(after.version, version);
    let blank = op1.json::<TicketDetail>("tickets/note", json!({ "id": id, "body": "  " })).await.unwrap_err();
    assert_eq!(blank.1, AppError::invalid("note", Problem::Required));
}

#[tokio::test]
async fn the_call_log_tells_the_whole_call() {
    let server = TestServer::start().await;
    let op1 = server.signed_in("op1").await;
    op1.act(AgentAction::CtiLogin).await.unwrap();
    let (call, id) = answered_call(&server, &op1, "+81312345678").await;
    op1.form::<AgentView>("phone/hold", &[("call_id", &call)]).await.unwrap();
    op1.form::<AgentView>("phone/release", &[("call_id", &call)]).await.unwrap();
    op1.hang_up(&call).await.unwrap();

    let ticket = op1.ticket(id).await.unwrap();
    let c = &ticket.calls[0];
    assert_eq!((c.customer_number.e164.as_str(), c.service_number.e164.as_str()), ("+81312345678", "+81350000000"));
    assert_eq!((c.customer_number.shown.as_str(), c.service_number.shown.as_str()), ("03-1234-5678", "03-5000-0000"));
    assert_eq!(c.agents, ["佐藤 花子"]);
    assert_eq!((c.end_reason, c.ended_by.as_deref()), (Some(EndReason::AgentHangup), Some("佐藤 花子")));
    assert_eq!(c.holds, 1);
    let (queued, offered, answered, ended) =
        (c.queued_at_ms, c.offered_at_ms.unwrap(), c.answered_at_ms.unwrap(), c.ended_at_ms.unwrap());
    assert!(queued <= offered && offered <= answered && answered <= ended);
    assert_eq!(c.talk_ms.unwrap() + c.hold_ms, ended - answered, "talk and hold make up the connected time");
    assert_eq!(ticket.direction, Some(app::model::CallDirection::Inbound));
}

#[tokio::test]
async fn a_known_customer_is_named_when_they_call_again() {
    let server = TestServer::start().await;
    let op1 = server.signed_in("op1").await;
    op1.act(AgentAction::CtiLogin).await.unwrap();
    let (call, first) = answered_call(&server, &op1, "+81312345678").await;
    op1.hang_up(&call).await.unwrap();

    // Unknown at first: no name, but the number's tickets are there.
    let card: CallerCard = op1.form("phone/caller", &[("number", "03-1234-5678")]).await.unwrap();
    assert_eq!((card.name, card.recent.len()), (None, 1));

    let blank = op1.ticket(first).await.unwrap().customer.unwrap();
    assert_eq!((blank.number.as_str(), blank.version), ("+81312345678", 0));
    let save = |c: &Customer, name: &str| json!({ "id": first, "customer": { "number": c.number, "name": name, "notes": "法人契約", "version": c.version } });
    let saved: Customer = op1.json("tickets/customer", save(&blank, "山田 太郎")).await.unwrap();
    assert_eq!((saved.name.as_str(), saved.version), ("山田 太郎", 1));
    // A second card made from the same stale view is refused; the first stands.
    let again = op1.json::<Customer>("tickets/customer", save(&blank, "山田 花子")).await.unwrap_err();
    assert_eq!(again, (StatusCode::CONFLICT, AppError::CustomerStale));
    let blank_name = op1.json::<Customer>("tickets/customer", save(&saved, " ")).await.unwrap_err();
    assert_eq!(blank_name.1, AppError::invalid("customer_name", Problem::Required));

    // They call again: the widget's card names them, with their tickets.
    op1.act(AgentAction::Choose(AgentStatus::Ready)).await.unwrap();
    let mut events = op1.events().await;
    let call = server.customer_calls("+81312345678").await;
    let ringing = events.until("着信中", |v| v.status == AgentStatus::Ringing).await;
    let card: CallerCard =
        op1.form("phone/caller", &[("number", &ringing.call.unwrap().customer_number.e164)]).await.unwrap();
    assert_eq!((card.name.as_deref(), card.notes.as_str()), (Some("山田 太郎"), "法人契約"));
    assert_eq!(card.recent.iter().map(|t| t.id).collect::<Vec<_>>(), [first]);
    let second = op1.answer(&call).await.unwrap();
    let list = op1.tickets().await;
    let row = list.iter().find(|t| t.id == second).unwrap();
    assert_eq!(row.customer_name.as_deref(), Some("山田 太郎"), "the new ticket is linked to them");
    assert_eq!(op1.ticket(second).await.unwrap().customer.unwrap().name, "山田 太郎");
    let bad: (StatusCode, AppError) = op1.form::<CallerCard>("phone/caller", &[("number", "12ab")]).await.unwrap_err();
    assert_eq!(bad.0, StatusCode::UNPROCESSABLE_ENTITY);
}

#[tokio::test]
async fn the_call_log_exports_as_a_streamed_csv_for_a_date_range() {
    let server = TestServer::start().await;
    let op1 = server.signed_in("op1").await;
    op1.act(AgentAction::CtiLogin).await.unwrap();
    let (call, ticket) = answered_call(&server, &op1, "+81312345678").await;
    op1.hang_up(&call).await.unwrap();
    // Many more calls than one read brings, on one day long ago.
    let db = server.db().await;
    let service = demo_service(&server).await;
    let day = NOV_25_JST - 30 * DAY_MS;
    for chunk in 0..3 {
        let values: Vec<String> = (0..400)
            .map(|i| {
                let n = chunk * 400 + i;
                format!(
                    "('bulk-{n:05}', (SELECT tenant_id FROM services WHERE id = {service}), {service}, 'inbound', '+8190{n:08}', '+81350000000', 'ended', NULL, NULL, {}, NULL, NULL, {}, 'abandoned')",
                    day + n as i64 * 1000,
                    day + n as i64 * 1000 + 500
                )
            })
            .collect();
        db.execute_unprepared(&format!(
            "INSERT INTO calls (id, tenant_id, service_id, direction, customer_number, service_number, state, agent_id, ticket_id, queued_at, offered_at, answered_at, ended_at, end_reason) VALUES {}",
            values.join(",")
        ))
        .await
        .unwrap();
    }

    let admin = server.signed_in("admin").await;
    let res = admin.get("/export/calls.csv?from=2026-10-26&to=2026-10-26").await;
    assert_eq!(res.status(), StatusCode::OK);
    assert!(res.headers()["content-type"].to_str().unwrap().starts_with("text/csv"));
    assert!(res.headers()["content-disposition"].to_str().unwrap().contains("calls_2026-10-26_2026-10-26.csv"));
    assert!(res.headers().get("content-length").is_none(), "streamed, not built whole");
    let text = res.text().await.unwrap();
    let mut reader = csv::Reader::from_reader(text.trim_start_matches('\u{feff}').as_bytes());
    assert_eq!(&reader.headers().unwrap()[0], "通話ID");
    let rows: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
    assert_eq!(rows.len(), 1200);
    let ids: HashSet<&str> = rows.iter().map(|r| &r[0]).collect();
    assert_eq!(ids.len(), 1200, "each call once across the reads");
    assert!(rows.windows(2).all(|w| w[0][0] < w[1][0]), "oldest first");
    assert_eq!(&rows[0][14], "放棄呼");

    // Today's call, with its ticket, agent and end.
    let manager = server.signed_in("manager").await;
    let (from, to) = today_jst();
    let text = manager.get(&format!("/export/calls.csv?from={from}&to={to}")).await.text().await.unwrap();
    let mut reader = csv::Reader::from_reader(text.trim_start_matches('\u{feff}').as_bytes());
    let rows: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
    let row = rows.iter().find(|r| &r[0] == call.as_str()).expect("today's call");
    assert_eq!(
        (&row[1], &row[3], &row[5], &row[14], &row[15]),
        (ticket.to_string().as_str(), "+81312345678", "佐藤 花子", "担当者が終話", "佐藤 花子")
    );

    // Who may not, and what is malformed.
    assert_eq!(op1.get("/export/calls.csv?from=2026-10-26&to=2026-10-26").await.status(), StatusCode::FORBIDDEN);
    assert_eq!(
        server.anonymous().get("/export/calls.csv?from=2026-10-26&to=2026-10-26").await.status(),
        StatusCode::UNAUTHORIZED
    );
    for bad in ["", "?from=2026-10-26", "?from=2026-13-01&to=2026-10-26", "?from=2026-10-27&to=2026-10-26"] {
        assert_eq!(
            admin.get(&format!("/export/calls.csv{bad}")).await.status(),
            StatusCode::UNPROCESSABLE_ENTITY,
            "{bad}"
        );
    }
    // The other tenant's admin exports their own calls only.
    let admin2 = server.signed_in("admin2").await;
    let theirs = admin2.get("/export/calls.csv?from=2026-10-26&to=2026-10-26").await.text().await.unwrap();
    assert_eq!(theirs.lines().count(), 1, "a header and nothing of another tenant");
}

/// Today in Japan, as `YYYY-MM-DD` twice (and yesterday, for a call just after midnight).
fn today_jst() -> (String, String) {
    let now = server::store::now_ms();
    let today = app::time::format_datetime(now)[..10].to_owned();
    let yesterday = app::time::format_datetime(now - DAY_MS)[..10].to_owned();
    (yesterday, today)
}

#[tokio::test]
async fn the_tenant_admin_sees_every_service_an_operator_their_own() {
    let server = TestServer::start().await;
    seed(&server, 10).await;
    let admin = server.signed_in("admin").await;
    let page: TicketPage = admin.ticket_page(json!({})).await.unwrap();
    assert_eq!(page.total, 10);
    let admin2 = server.signed_in("admin2").await;
    assert_eq!(admin2.ticket_page(json!({})).await.unwrap().total, 0);
}
