//! Routing over HTTP: ring timeouts, abandoned calls, the waiting count, after-call work.

mod common;

use app::domain::{AgentAction, AgentStatus};
use common::{Client, TestServer};
use reqwest::Method;

async fn ready(c: &Client) {
    if c.view().await.unwrap().status == AgentStatus::LoggedOut {
        c.act(AgentAction::CtiLogin).await.unwrap();
    }
    c.act(AgentAction::Choose(AgentStatus::Ready)).await.unwrap();
}

#[tokio::test]
async fn a_ring_timeout_passes_the_call_to_the_next_ready_agent() {
    let mut server = TestServer::start().await;
    server.set_cti_settings("ring_timeout_secs = 1").await;
    let op1 = server.signed_in("op1").await;
    let op2 = server.signed_in("op2").await;
    ready(&op1).await;
    ready(&op2).await;
    let (mut e1, mut e2) = (op1.events().await, op2.events().await);

    let call_id = server.customer_calls("+81312345678").await;
    e1.until("op1 着信中", |v| v.status == AgentStatus::Ringing).await;
    // No answer within a second: back to 待機 (the default), and the call rings at op2.
    e1.until("op1 待機 again", |v| v.status == AgentStatus::Ready && v.call.is_none()).await;
    let at_op2 = e2.until("op2 着信中", |v| v.status == AgentStatus::Ringing).await;
    assert_eq!(at_op2.call.unwrap().call_id, call_id);
    assert_eq!(op1.view().await.unwrap().status, AgentStatus::Ready, "op1 is not offered the call again");
    // A stale tab of op1 cannot take it any more.
    assert_eq!(op1.answer(&call_id).await.unwrap_err(), app::error::AppError::OfferGone);
    op2.answer(&call_id).await.unwrap();
}

#[tokio::test]
async fn an_agent_who_misses_a_call_moves_to_busy_when_settings_say_so() {
    let mut server = TestServer::start().await;
    server.set_cti_settings("ring_timeout_secs = 1, missed_offer_status = 'busy'").await;
    let op1 = server.signed_in("op1").await;
    ready(&op1).await;
    let mut e1 = op1.events().await;
    server.customer_calls("+81312345678").await;
    e1.until("着信中", |v| v.status == AgentStatus::Ringing).await;
    let after = e1.until("業務 after the miss", |v| v.status != AgentStatus::Ringing).await;
    assert_eq!(after.status, AgentStatus::Busy);
    // The call waits again, and nobody else is ready.
    e1.until_waiting(1).await;
}

#[tokio::test]
async fn a_call_with_no_other_ready_agent_comes_back_to_the_one_who_missed_it() {
    let mut server = TestServer::start().await;
    server.set_cti_settings("ring_timeout_secs = 1").await;
    let op1 = server.signed_in("op1").await;
    ready(&op1).await;
    let mut e1 = op1.events().await;
    let call_id = server.customer_calls("+81312345678").await;
    let first = e1.until("着信中", |v| v.status == AgentStatus::Ringing).await;
    // Rung out: 待機 and, in the same commit, offered again (the stream may show only
    // the new ring: it always shows the latest view).
    let again = e1.until("着信中 again", |v| v.status == AgentStatus::Ringing && v.since_ms != first.since_ms).await;
    assert_eq!(again.call.unwrap().call_id, call_id);
}

#[tokio::test]
async fn a_customer_who_hangs_up_in_the_queue_is_recorded_as_abandoned_with_the_time_waited() {
    let server = TestServer::start().await;
    let call_id = server.customer_calls("+81312345678").await;
    server.sim(Method::POST, &format!("/sim/calls/{call_id}/hangup"), None).await;
    let (state, reason, queued_at, ended_at) = server.call_record(&call_id).await;
    assert_eq!(state, "ended");
    assert_eq!(reason.as_deref(), Some("abandoned"));
    assert!(ended_at.unwrap() >= queued_at);
}

#[tokio::test]
async fn a_customer_who_hangs_up_while_ringing_withdraws_the_offer_at_once() {
    let server = TestServer::start().await;
    let op1 = server.signed_in("op1").await;
    ready(&op1).await;
    let mut e1 = op1.events().await;
    let call_id = server.customer_calls("+81312345678").await;
    e1.until("着信中", |v| v.status == AgentStatus::Ringing).await;
    // A call ringing at an agent is still waiting for an answer.
    e1.until_waiting(1).await;
    server.sim(Method::POST, &format!("/sim/calls/{call_id}/hangup"), None).await;
    let v = e1.until("待機, no call", |v| v.status == AgentStatus::Ready).await;
    assert!(v.call.is_none());
    e1.until_waiting(0).await;
    assert_eq!(server.call_record(&call_id).await.1.as_deref(), Some("abandoned"));
    assert_eq!(op1.answer(&call_id).await.unwrap_err(), app::error::AppError::OfferGone);
}

#[tokio::test]
async fn the_widget_counts_the_calls_waiting_for_the_service() {
    let server = TestServer::start().await;
    let op1 = server.signed_in("op1").await;
    op1.act(AgentAction::CtiLogin).await.unwrap();
    let mut e1 = op1.events().await;
    server.customer_calls("+81311111111").await;
    server.customer_calls("+81322222222").await;
    e1.until_waiting(2).await;
    op1.act(AgentAction::Choose(AgentStatus::Ready)).await.unwrap();
    let ringing = e1.until("着信中", |v| v.status == AgentStatus::Ringing).await;
    // First come, first offered.
    assert_eq!(ringing.call.as_ref().unwrap().customer_number.e164, "+81311111111");
    op1.answer(&ringing.call.unwrap().call_id).await.unwrap();
    e1.until("通話中", |v| v.status == AgentStatus::InCall).await;
    e1.until_waiting(1).await;
}

#[tokio::test]
async fn after_call_work_then_ready_receives_the_next_call() {
    let server = TestServer::start().await;
    let op1 = server.signed_in("op1").await;
    ready(&op1).await;
    let mut e1 = op1.events().await;
    let first = server.customer_calls("+81311111111").await;
    e1.until("着信中", |v| v.status == AgentStatus::Ringing).await;
    op1.answer(&first).await.unwrap();
    let second = server.customer_calls("+81322222222").await;
    server.sim(Method::POST, &format!("/sim/calls/{first}/hangup"), None).await;
    e1.until("業務(チケット処理)", |v| v.status == AgentStatus::Wrapup).await;
    // No call is offered in after-call work: it waits.
    e1.until_waiting(1).await;
    op1.act(AgentAction::Choose(AgentStatus::Ready)).await.unwrap();
    let next = e1.until("着信中", |v| v.status == AgentStatus::Ringing).await;
    assert_eq!(next.call.unwrap().call_id, second);
}

#[tokio::test]
async fn every_status_change_is_kept_with_its_time() {
    use sea_orm::{ConnectionTrait, Statement};
    let server = TestServer::start().await;
    let op1 = server.signed_in("op1").await;
    ready(&op1).await;
    op1.act(AgentAction::Choose(AgentStatus::Break)).await.unwrap();
    let db = server.db().await;
    let rows = db
        .query_all_raw(Statement::from_string(
            db.get_database_backend(),
            "SELECT h.status, h.at FROM status_history h JOIN users u ON u.id = h.user_id \
             WHERE u.username = 'op1' ORDER BY h.id"
                .to_owned(),
        ))
        .await
        .unwrap();
    let statuses: Vec<String> = rows.iter().map(|r| r.try_get("", "status").unwrap()).collect();
    assert_eq!(statuses, ["busy", "ready", "break"]);
    let times: Vec<i64> = rows.iter().map(|r| r.try_get("", "at").unwrap()).collect();
    assert!(times.windows(2).all(|w| w[0] <= w[1]));
}

#[tokio::test]
async fn after_a_restart_calls_still_waiting_are_queued_again_in_their_old_order() {
    let mut server = TestServer::start().await;
    let op1 = server.signed_in("op1").await;
    op1.act(AgentAction::CtiLogin).await.unwrap();
    let first = server.customer_calls("+81311111111").await;
    let second = server.customer_calls("+81322222222").await;

    server.restart().await;

    let op1 = Client { url: server.url.clone(), http: op1.http };
    let mut e1 = op1.events().await;
    e1.until_waiting(2).await;
    op1.act(AgentAction::Choose(AgentStatus::Ready)).await.unwrap();
    let ringing = e1.until("着信中", |v| v.status == AgentStatus::Ringing).await;
    assert_eq!(ringing.call.unwrap().call_id, first, "the older call first");
    op1.answer(&first).await.unwrap();
    e1.until_waiting(1).await;
    let (_, line) = server.sim(Method::GET, &format!("/sim/calls/{second}"), None).await;
    assert_eq!(line["state"], "ringing");
}

#[tokio::test]
async fn a_call_ringing_at_a_restart_rings_again() {
    let mut server = TestServer::start().await;
    let op1 = server.signed_in("op1").await;
    ready(&op1).await;
    let mut e1 = op1.events().await;
    let call_id = server.customer_calls("+81311111111").await;
    e1.until("着信中", |v| v.status == AgentStatus::Ringing).await;

    server.restart().await;

    let op1 = Client { url: server.url.clone(), http: op1.http };
    let mut e1 = op1.events().await;
    let again = e1.until("着信中 after the restart", |v| v.status == AgentStatus::Ringing).await;
    assert_eq!(again.call.unwrap().call_id, call_id);
    op1.answer(&call_id).await.unwrap();
}

#[tokio::test]
async fn cti_login_gives_the_status_chosen_in_cti_settings() {
    let mut server = TestServer::start().await;
    let op1 = server.signed_in("op1").await;
    assert_eq!(op1.act(AgentAction::CtiLogin).await.unwrap().status, AgentStatus::Busy, "the demo's 業務");
    op1.act(AgentAction::CtiLogout).await.unwrap();
    server.set_cti_settings("login_status = 'ready'").await;
    let op1 = Client { url: server.url.clone(), http: op1.http };
    assert_eq!(op1.act(AgentAction::CtiLogin).await.unwrap().status, AgentStatus::Ready);
}
