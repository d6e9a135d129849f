//! The controls of a connected call over HTTP (F14, F15): what the agent may do in
//! which status, and what the customer hears, as the simulator records it.

mod common;

use app::domain::{AgentAction, AgentStatus, Problem};
use app::error::AppError;
use app::model::{AgentView, EndReason};
use common::{Client, Events, TestServer};
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

/// op1, ready, talking to a customer: (op1, their stream, the call, its ticket).
async fn connected(server: &TestServer) -> (Client, Events, String, i32) {
    let op1 = server.signed_in("op1").await;
    op1.act(AgentAction::CtiLogin).await.unwrap();
    op1.act(AgentAction::Choose(AgentStatus::Ready)).await.unwrap();
    let mut events = op1.events().await;
    let call_id = server.customer_calls("+81312345678").await;
    events.until("着信中", |v| v.status == AgentStatus::Ringing).await;
    let ticket = op1.answer(&call_id).await.unwrap();
    (op1, events, call_id, ticket)
}

async fn hold(c: &Client, endpoint: &str, call_id: &str) -> Result<AgentView, (StatusCode, AppError)> {
    c.form(endpoint, &[("call_id", call_id)]).await
}

async fn heard(server: &TestServer, call_id: &str) -> Value {
    let (status, line) = server.sim(Method::GET, &format!("/sim/calls/{call_id}"), None).await;
    assert_eq!(status, StatusCode::OK);
    line
}

fn kinds(line: &Value) -> Vec<String> {
    line["events"].as_array().unwrap().iter().map(|e| e["kind"].as_str().unwrap().to_owned()).collect()
}

#[tokio::test]
async fn hold_plays_the_tenants_music_and_release_resumes_the_call() {
    let server = TestServer::start().await;
    let (op1, _events, call_id, _) = connected(&server).await;

    // 解除 before 保留 is refused and changes nothing.
    assert_eq!(hold(&op1, "phone/release", &call_id).await.unwrap_err().0, StatusCode::CONFLICT);
    let held = hold(&op1, "phone/hold", &call_id).await.unwrap();
    assert_eq!(held.status, AgentStatus::OnHold);
    assert_eq!(heard(&server, &call_id).await["hold_music"], "classic");
    // A second 保留 is refused.
    assert_eq!(hold(&op1, "phone/hold", &call_id).await.unwrap_err().0, StatusCode::CONFLICT);

    let resumed = hold(&op1, "phone/release", &call_id).await.unwrap();
    assert_eq!(resumed.status, AgentStatus::InCall);
    let line = heard(&server, &call_id).await;
    assert_eq!(line["hold_music"], Value::Null);
    assert_eq!(kinds(&line), ["dialled", "connected", "hold_music_started", "hold_music_stopped"]);
    // Someone else's call, or no call: not found.
    let op2 = server.signed_in("op2").await;
    op2.act(AgentAction::CtiLogin).await.unwrap();
    assert_eq!(hold(&op2, "phone/hold", &call_id).await.unwrap_err().0, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn forced_termination_plays_the_edited_message_then_ends_the_call() {
    let server = TestServer::start().await;
    let (op1, mut events, call_id, ticket) = connected(&server).await;
    let default: String = op1.form("phone/force-end-message", &[]).await.unwrap();
    assert!(default.starts_with("恐れ入りますが"));

    let end =
        |message: &str| op1.json::<AgentView>("phone/force-end", json!({ "call_id": call_id, "message": message }));
    let (status, err) = end("   ").await.unwrap_err();
    assert_eq!(
        (status, err),
        (StatusCode::UNPROCESSABLE_ENTITY, AppError::invalid("message", Problem::ForceEndMessage))
    );
    assert_eq!(op1.view().await.unwrap().status, AgentStatus::InCall, "nothing changed");

    // From hold too: the music stops, the message plays, the line ends.
    hold(&op1, "phone/hold", &call_id).await.unwrap();
    let message = "これ以上のご対応はできません。失礼いたします。";
    let after = end(message).await.unwrap();
    assert_eq!(after.status, AgentStatus::Wrapup);
    events.until("業務(チケット処理)", |v| v.status == AgentStatus::Wrapup).await;

    let line = heard(&server, &call_id).await;
    assert_eq!(line["state"], "ended");
    assert_eq!(
        kinds(&line),
        ["dialled", "connected", "hold_music_started", "hold_music_stopped", "message_played", "force_terminated"]
    );
    let played = line["events"].as_array().unwrap().iter().find(|e| e["kind"] == "message_played").unwrap();
    assert_eq!(played["detail"], message);

    let t = op1.ticket(ticket).await.unwrap();
    assert_eq!(t.calls[0].end_reason, Some(EndReason::ForceTerminated));
    assert_eq!(t.calls[0].force_end_message.as_deref(), Some(message));
    // The call is over: a second 強制終了 finds nothing.
    assert_eq!(end(message).await.unwrap_err().0, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn with_answer_waiting_a_waiting_caller_hears_hold_music_until_answered() {
    let mut server = TestServer::start().await;
    server.set_cti_settings("answer_waiting = 1").await;
    let call_id = server.customer_calls("+81312345678").await;
    let line = heard(&server, &call_id).await;
    assert_eq!(line["state"], "ringing", "still waiting for an agent");
    assert_eq!(line["hold_music"], "classic");
    let op1 = server.signed_in("op1").await;
    let mut events = op1.events().await;
    op1.act(AgentAction::CtiLogin).await.unwrap();
    op1.act(AgentAction::Choose(AgentStatus::Ready)).await.unwrap();
    events.until("着信中", |v| v.status == AgentStatus::Ringing).await;
    op1.answer(&call_id).await.unwrap();
    let line = heard(&server, &call_id).await;
    assert_eq!(line["hold_music"], Value::Null);
    assert_eq!(kinds(&line), ["dialled", "hold_music_started", "hold_music_stopped", "connected"]);
}
