//! Transfer with a consult call over HTTP (F12, F13): to a colleague and to a number
//! outside, joined or cancelled, and every way a consult call can fail.

mod common;

use app::domain::{AgentAction, AgentStatus};
use app::error::AppError;
use app::model::{AgentView, EndReason, ReadyColleague};
use common::{Client, Events, TestServer};
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

struct Agent {
    client: Client,
    events: Events,
}

async fn ready(server: &TestServer, who: &str) -> Agent {
    let client = server.signed_in(who).await;
    client.act(AgentAction::CtiLogin).await.unwrap();
    client.act(AgentAction::Choose(AgentStatus::Ready)).await.unwrap();
    let events = client.events().await;
    Agent { client, events }
}

/// op1 talking to a customer, op2 ready: (op1, op2, the call, its ticket).
async fn talking(server: &TestServer) -> (Agent, Agent, String, i32) {
    let mut op1 = ready(server, "op1").await;
    let call_id = server.customer_calls("+81312345678").await;
    op1.events.until("着信中", |v| v.status == AgentStatus::Ringing).await;
    let ticket = op1.client.answer(&call_id).await.unwrap();
    let op2 = ready(server, "op2").await;
    (op1, op2, call_id, ticket)
}

async fn consult(c: &Client, call_id: &str, target: Value) -> Result<AgentView, (StatusCode, AppError)> {
    c.json("phone/consult", json!({ "call_id": call_id, "target": target })).await
}

async fn step(c: &Client, endpoint: &str, call_id: &str) -> Result<AgentView, (StatusCode, AppError)> {
    c.form(endpoint, &[("call_id", call_id)]).await
}

async fn line(server: &TestServer, call_id: &str) -> Value {
    server.sim(Method::GET, &format!("/sim/calls/{call_id}"), None).await.1
}

async fn op2_id(c: &Client) -> i32 {
    let list: Vec<ReadyColleague> = c.form("phone/ready-colleagues", &[]).await.unwrap();
    list.iter().find(|r| r.name == "鈴木 一郎").expect("op2 is ready").user_id
}

#[tokio::test]
async fn a_colleague_takes_the_call_and_its_ticket() {
    let server = TestServer::start().await;
    let (mut op1, mut op2, call_id, ticket) = talking(&server).await;
    let target = op2_id(&op1.client).await;

    let consulting = consult(&op1.client, &call_id, json!({ "kind": "agent", "user_id": target })).await.unwrap();
    assert_eq!(consulting.status, AgentStatus::Consulting);
    assert_eq!(line(&server, &call_id).await["hold_music"], "classic");
    // 顧客接続 before the colleague answers is refused.
    assert_eq!(step(&op1.client, "phone/connect-customer", &call_id).await.unwrap_err().1, AppError::TargetNotReady);

    let offered = op2.events.until("the consult call rings", |v| v.status == AgentStatus::Ringing).await;
    let leg = offered.call.unwrap();
    let from = leg.consult.expect("a consult call");
    assert!(from.incoming);
    assert_eq!(from.with, "佐藤 花子");
    // The colleague is shown the ticket they are consulted about.
    assert_eq!(op2.client.answer(&leg.call_id).await.unwrap(), ticket);
    let talking_views = op1
        .events
        .until("the colleague is on the line", |v| {
            v.call.as_ref().and_then(|c| c.consult.as_ref()).is_some_and(|c| c.answered)
        })
        .await;
    assert_eq!(talking_views.status, AgentStatus::Consulting);

    let done = step(&op1.client, "phone/connect-customer", &call_id).await.unwrap();
    assert_eq!(done.status, AgentStatus::Wrapup);
    let now = op2
        .events
        .until("op2 holds the customer's call", |v| v.call.as_ref().is_some_and(|c| c.call_id == call_id))
        .await;
    assert_eq!(now.status, AgentStatus::InCall);
    assert_eq!(now.call.unwrap().ticket_id, Some(ticket));
    assert_eq!(line(&server, &call_id).await["hold_music"], Value::Null);

    // The customer hangs up on op2; the ticket's call log names op2 and ends normally.
    server.sim(Method::POST, &format!("/sim/calls/{call_id}/hangup"), None).await;
    op2.events.until("業務(チケット処理)", |v| v.status == AgentStatus::Wrapup).await;
    let t = op1.client.ticket(ticket).await.unwrap();
    assert_eq!(t.calls[0].agent.as_deref(), Some("鈴木 一郎"));
    assert_eq!(t.calls[0].end_reason, Some(EndReason::CustomerHangup));
    assert_eq!(t.calls[0].transfers, [("佐藤 花子".to_owned(), "鈴木 一郎".to_owned())]);
}

#[tokio::test]
async fn cancel_leaves_the_customer_on_hold_until_release() {
    let server = TestServer::start().await;
    let (op1, mut op2, call_id, _) = talking(&server).await;
    let target = op2_id(&op1.client).await;
    consult(&op1.client, &call_id, json!({ "kind": "agent", "user_id": target })).await.unwrap();
    let leg = op2.events.until("rings", |v| v.status == AgentStatus::Ringing).await.call.unwrap();
    op2.client.answer(&leg.call_id).await.unwrap();
    op2.events.until("on the consult call", |v| v.status == AgentStatus::InCall).await;
    // The colleague cannot hold or transfer the consult call itself.
    assert_eq!(step(&op2.client, "phone/hold", &leg.call_id).await.unwrap_err().0, StatusCode::CONFLICT);
    assert_eq!(
        consult(&op2.client, &leg.call_id, json!({ "kind": "number", "number": "0312340000" })).await.unwrap_err().0,
        StatusCode::CONFLICT
    );

    let held = step(&op1.client, "phone/cancel-consult", &call_id).await.unwrap();
    assert_eq!(held.status, AgentStatus::OnHold);
    op2.events.until("op2 is ready again", |v| v.status == AgentStatus::Ready && v.call.is_none()).await;
    assert_eq!(line(&server, &call_id).await["hold_music"], "classic");
    // No consult leg any more: 顧客接続 and キャンセル are refused; 解除 resumes.
    assert_eq!(step(&op1.client, "phone/connect-customer", &call_id).await.unwrap_err().0, StatusCode::CONFLICT);
    assert_eq!(step(&op1.client, "phone/cancel-consult", &call_id).await.unwrap_err().0, StatusCode::CONFLICT);
    // A consult from hold is refused too.
    assert_eq!(
        consult(&op1.client, &call_id, json!({ "kind": "agent", "user_id": target })).await.unwrap_err().0,
        StatusCode::CONFLICT
    );
    let resumed = step(&op1.client, "phone/release", &call_id).await.unwrap();
    assert_eq!(resumed.status, AgentStatus::InCall);
    assert_eq!(line(&server, &call_id).await["hold_music"], Value::Null);
}

#[tokio::test]
async fn a_number_outside_answers_and_takes_the_call_out_of_the_system() {
    let server = TestServer::start().await;
    let (op1, _op2, call_id, ticket) = talking(&server).await;
    server.customer_behaves("+81355550000", json!({ "behaviour": "answer", "after_ms": 100 })).await;
    consult(&op1.client, &call_id, json!({ "kind": "number", "number": "03-5555-0000" })).await.unwrap();
    let mut events = op1.client.events().await;
    events
        .until("the number answered", |v| v.call.as_ref().and_then(|c| c.consult.as_ref()).is_some_and(|c| c.answered))
        .await;
    // A second consult while consulting is refused.
    assert_eq!(
        consult(&op1.client, &call_id, json!({ "kind": "number", "number": "0312340000" })).await.unwrap_err().0,
        StatusCode::CONFLICT
    );

    let done = step(&op1.client, "phone/connect-customer", &call_id).await.unwrap();
    assert_eq!(done.status, AgentStatus::Wrapup);
    let customer = line(&server, &call_id).await;
    assert_eq!(customer["state"], "ended");
    let transferred =
        customer["events"].as_array().unwrap().iter().find(|e| e["kind"] == "transferred").unwrap().clone();
    assert_eq!(transferred["detail"], "+81355550000");
    let t = op1.client.ticket(ticket).await.unwrap();
    assert_eq!(t.calls[0].end_reason, Some(EndReason::Transferred));
    assert_eq!(t.calls[0].transfers, [("佐藤 花子".to_owned(), "03-5555-0000".to_owned())]);
}

#[tokio::test]
async fn a_busy_target_returns_the_agent_to_hold_with_a_message() {
    let server = TestServer::start().await;
    let (op1, _op2, call_id, _) = talking(&server).await;
    server.customer_behaves("+81355550001", json!({ "behaviour": "busy" })).await;
    let mut events = op1.client.events().await;
    consult(&op1.client, &call_id, json!({ "kind": "number", "number": "+81355550001" })).await.unwrap();
    let back = events.until("保留中 again", |v| v.status == AgentStatus::OnHold).await;
    assert_eq!(back.last_outcome, Some(EndReason::Busy));
    assert_eq!(line(&server, &call_id).await["hold_music"], "classic");
}

#[tokio::test]
async fn a_customer_who_hangs_up_during_the_consult_ends_it() {
    let server = TestServer::start().await;
    let (mut op1, mut op2, call_id, ticket) = talking(&server).await;
    let target = op2_id(&op1.client).await;
    consult(&op1.client, &call_id, json!({ "kind": "agent", "user_id": target })).await.unwrap();
    op2.events.until("rings", |v| v.status == AgentStatus::Ringing).await;

    server.sim(Method::POST, &format!("/sim/calls/{call_id}/hangup"), None).await;
    op1.events.until("業務(チケット処理)", |v| v.status == AgentStatus::Wrapup).await;
    op2.events.until("op2 is ready again", |v| v.status == AgentStatus::Ready && v.call.is_none()).await;
    let t = op1.client.ticket(ticket).await.unwrap();
    assert_eq!(t.calls[0].end_reason, Some(EndReason::CustomerHangup));
}

#[tokio::test]
async fn only_ready_colleagues_of_the_service_can_be_consulted() {
    let server = TestServer::start().await;
    let (op1, op2, call_id, _) = talking(&server).await;
    let target = op2_id(&op1.client).await;
    op2.client.act(AgentAction::Choose(AgentStatus::Break)).await.unwrap();
    let list: Vec<ReadyColleague> = op1.client.form("phone/ready-colleagues", &[]).await.unwrap();
    assert!(list.is_empty(), "op2 is on a break: {list:?}");
    let (status, err) =
        consult(&op1.client, &call_id, json!({ "kind": "agent", "user_id": target })).await.unwrap_err();
    assert_eq!((status, err), (StatusCode::CONFLICT, AppError::TargetNotReady));
    assert_eq!(
        consult(&op1.client, &call_id, json!({ "kind": "agent", "user_id": 9999 })).await.unwrap_err().0,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        consult(&op1.client, &call_id, json!({ "kind": "number", "number": "12" })).await.unwrap_err().0,
        StatusCode::UNPROCESSABLE_ENTITY
    );
    assert_eq!(op1.client.view().await.unwrap().status, AgentStatus::InCall, "nothing changed");
}

#[tokio::test]
async fn favourite_numbers_are_shared_by_the_service_and_kept_in_e164() {
    let server = TestServer::start().await;
    let (op1, op2, _call_id, _) = talking(&server).await;
    async fn add(c: &Client, number: &str, label: &str) -> Result<app::model::NumberEntry, (StatusCode, AppError)> {
        c.json("phone/transfer-numbers/add", json!({ "number": number, "label": label })).await
    }
    let added = add(&op1.client, "03-5555-0100", "本社 総務").await.unwrap();
    assert_eq!((added.number.e164.as_str(), added.number.shown.as_str()), ("+81355550100", "03-5555-0100"));
    assert_eq!(add(&op2.client, "+81355550100", "重複").await.unwrap_err().0, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(add(&op2.client, "本社", "総務").await.unwrap_err().0, StatusCode::UNPROCESSABLE_ENTITY);
    let seen: Vec<app::model::NumberEntry> = op2.client.form("phone/transfer-numbers", &[]).await.unwrap();
    assert_eq!(seen.iter().map(|n| n.label.as_str()).collect::<Vec<_>>(), ["本社 総務"]);
}

#[tokio::test]
async fn a_colleague_who_lets_the_consult_call_ring_out_returns_the_agent_to_hold() {
    let mut server = TestServer::start().await;
    server.set_cti_settings("ring_timeout_secs = 5").await;
    let (op1, mut op2, call_id, _) = talking(&server).await;
    let target = op2_id(&op1.client).await;
    let mut events = op1.client.events().await;
    consult(&op1.client, &call_id, json!({ "kind": "agent", "user_id": target })).await.unwrap();
    op2.events.until("rings", |v| v.status == AgentStatus::Ringing).await;
    let back = events.until_within(15, "保留中 after the ring timeout", |v| v.status == AgentStatus::OnHold).await;
    assert_eq!(back.last_outcome, Some(EndReason::NoAnswer));
    // The colleague who missed it goes where CTI settings say (待機 in the demo).
    op2.events.until("op2 no longer rings", |v| v.status == AgentStatus::Ready && v.call.is_none()).await;
}

#[tokio::test]
async fn a_restart_during_a_consult_cuts_both_lines_and_frees_the_agent() {
    use sea_orm::{ConnectionTrait, Statement};
    let mut server = TestServer::start().await;
    let (op1, _op2, call_id, _) = talking(&server).await;
    server.customer_behaves("+81355550400", json!({ "behaviour": "no_answer", "after_ms": 60000 })).await;
    consult(&op1.client, &call_id, json!({ "kind": "number", "number": "+81355550400" })).await.unwrap();

    server.restart().await;
    let op1 = Client { url: server.url.clone(), http: op1.client.http };
    assert_eq!(op1.view().await.unwrap().status, AgentStatus::Wrapup);
    assert_eq!(line(&server, &call_id).await["state"], "ended");
    let db = server.lines_db().await;
    let leg = db
        .query_one_raw(Statement::from_string(
            db.get_database_backend(),
            "SELECT call_id FROM sim_lines WHERE call_id LIKE 'leg-%'".to_owned(),
        ))
        .await
        .unwrap()
        .expect("the consult leg's line")
        .try_get::<String>("", "call_id")
        .unwrap();
    let leg_line = line(&server, &leg).await;
    assert_eq!(leg_line["state"], "ended");
    assert!(leg_line["events"].as_array().unwrap().iter().any(|e| e["kind"] == "cut_off_by_restart"));
}
