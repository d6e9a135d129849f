//! Presence: an agent with no phone widget open is not offered calls after the tenant's
//! 離席とみなすまで, and is logged out of CTI after CTI自動ログアウト (CTI設定).

mod common;

use std::time::Duration;

use app::domain::{AgentAction, AgentStatus};
use common::{Client, TestServer};

/// Polls the agent's view (over HTTP, as their widget is closed) until `pred` holds.
async fn until_view(
    c: &Client,
    what: &str,
    secs: u64,
    pred: impl Fn(&app::model::AgentView) -> bool,
) -> app::model::AgentView {
    let deadline = tokio::time::Instant::now() + Duration::from_secs(secs);
    loop {
        let v = c.view().await.unwrap();
        if pred(&v) {
            return v;
        }
        assert!(tokio::time::Instant::now() < deadline, "{what} within {secs} s; the view: {v:?}");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

#[tokio::test]
async fn an_agent_whose_widget_closed_is_not_offered_calls_until_it_opens_again() {
    let mut server = TestServer::start().await;
    server.set_cti_settings("away_after_secs = 1, logout_after_secs = 600").await;
    let op1 = server.signed_in("op1").await;
    let events = op1.events().await;
    op1.act(AgentAction::CtiLogin).await.unwrap();
    op1.act(AgentAction::Choose(AgentStatus::Ready)).await.unwrap();
    assert!(!op1.view().await.unwrap().away);

    // The browser closes: a moment later the agent is away.
    drop(events);
    until_view(&op1, "away", 10, |v| v.away).await;
    let call = server.customer_calls("+81312345678").await;
    let v = op1.view().await.unwrap();
    assert_eq!(v.status, AgentStatus::Ready, "an away agent is not offered the call");

    // The widget opens again: the waiting call is offered at once.
    let mut events = op1.events().await;
    let ringing = events.until("着信中", |v| v.status == AgentStatus::Ringing).await;
    assert_eq!(ringing.call.unwrap().call_id, call);
    assert!(!ringing.away);
}

#[tokio::test]
async fn an_agent_away_for_long_is_logged_out_of_cti() {
    let mut server = TestServer::start().await;
    let op1 = server.signed_in("op1").await;
    op1.act(AgentAction::CtiLogin).await.unwrap();
    op1.act(AgentAction::Choose(AgentStatus::Ready)).await.unwrap();
    // A restart: nobody's widget is open until they come back.
    server.set_cti_settings("away_after_secs = 1, logout_after_secs = 2").await;
    let op1 = server.signed_in("op1").await;
    until_view(&op1, "logged out of CTI", 10, |v| v.status == AgentStatus::LoggedOut).await;
    // An agent with a widget open stays.
    let op2 = server.signed_in("op2").await;
    let mut events = op2.events().await;
    op2.act(AgentAction::CtiLogin).await.unwrap();
    let v = events.until("業務", |v| v.status == AgentStatus::Busy).await;
    assert!(!v.away);
}
