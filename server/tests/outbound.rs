//! Outbound calls over HTTP (F10, F11): every outcome under both ticket timings, and
//! every refusal.

mod common;

use app::domain::{AgentAction, AgentStatus};
use app::error::AppError;
use app::model::{CallDirection, EndReason};
use common::{Client, TestServer};
use reqwest::Method;
use serde_json::json;

const CALLER: &str = "+81350000001";

async fn logged_in(server: &TestServer, user: &str) -> Client {
    let c = server.signed_in(user).await;
    c.act(AgentAction::CtiLogin).await.unwrap();
    c
}

async fn server_with_f11(on: bool) -> TestServer {
    let mut server = TestServer::start().await;
    if on {
        server.set_cti_settings("outbound_ticket_on_dial = true").await;
    }
    server
}

#[tokio::test]
async fn an_answered_dial_connects_and_lands_on_a_ticket_under_both_timings() {
    for f11 in [false, true] {
        let server = server_with_f11(f11).await;
        server.customer_behaves("+81312345678", json!({ "behaviour": "answer", "after_ms": 100 })).await;
        let op1 = logged_in(&server, "op1").await;
        let mut events = op1.events().await;

        // A national number is accepted and dialled in E.164.
        let placed = op1.dial("03-1234-5678", CALLER).await.unwrap();
        assert_eq!(placed.ticket_id.is_some(), f11, "F11 有効 makes the ticket on dialling");
        let dialing = events.until("発信中", |v| v.status == AgentStatus::Dialing).await;
        assert_eq!(dialing.call.as_ref().unwrap().customer_number.shown, "03-1234-5678");
        let in_call = events.until("通話中", |v| v.status == AgentStatus::InCall).await;
        let ticket_id = in_call.call.unwrap().ticket_id.expect("a ticket once connected");
        if let Some(made) = placed.ticket_id {
            assert_eq!(ticket_id, made, "one ticket, not two");
        }
        let ticket = op1.ticket(ticket_id).await.unwrap();
        assert_eq!(ticket.customer_number.as_ref().map(|n| n.e164.as_str()), Some("+81312345678"));
        assert_eq!(ticket.calls[0].direction, CallDirection::Outbound);
        assert!(ticket.calls[0].answered_at_ms.is_some());
        assert_eq!(op1.tickets().await.len(), 1);

        // The customer saw the service's caller number.
        let (_, line) = server.sim(Method::GET, &format!("/sim/calls/{}", placed.call_id), None).await;
        assert_eq!(line["direction"], "outbound");
        assert_eq!(line["from"], CALLER);
        assert_eq!(line["state"], "connected");

        server.sim(Method::POST, &format!("/sim/calls/{}/hangup", placed.call_id), None).await;
        events.until("業務(チケット処理)", |v| v.status == AgentStatus::Wrapup).await;
    }
}

#[tokio::test]
async fn a_dial_that_does_not_connect_returns_the_agent_and_says_why_under_both_timings() {
    let outcomes = [
        (json!({ "behaviour": "no_answer", "after_ms": 100 }), EndReason::NoAnswer),
        (json!({ "behaviour": "busy" }), EndReason::Busy),
        (json!({ "behaviour": "reject" }), EndReason::Rejected),
    ];
    for f11 in [false, true] {
        for (behaviour, reason) in &outcomes {
            let server = server_with_f11(f11).await;
            server.customer_behaves("+81312345678", behaviour.clone()).await;
            let op1 = logged_in(&server, "op1").await;
            op1.act(AgentAction::Choose(AgentStatus::Ready)).await.unwrap();
            let mut events = op1.events().await;

            let placed = op1.dial("+81312345678", CALLER).await.unwrap();
            events.until("発信中", |v| v.status == AgentStatus::Dialing).await;
            let back = events.until("back from the dial", |v| v.status != AgentStatus::Dialing).await;
            assert_eq!(back.status, AgentStatus::Ready, "{reason:?}: back to the status dialled from");
            assert_eq!(back.last_outcome, Some(*reason));
            assert!(back.call.is_none());

            let tickets = op1.tickets().await;
            if f11 {
                let ticket = op1.ticket(placed.ticket_id.unwrap()).await.unwrap();
                assert_eq!(ticket.calls[0].end_reason, Some(*reason), "the ticket records the outcome");
                assert_eq!(tickets.len(), 1);
            } else {
                assert!(tickets.is_empty(), "{reason:?}: no ticket for a call that never connected");
            }
            assert_eq!(server.call_record(&placed.call_id).await.1.as_deref(), Some(reason.as_str()));
        }
    }
}

#[tokio::test]
async fn the_agent_can_cancel_a_ringing_dial_under_both_timings() {
    for f11 in [false, true] {
        let server = server_with_f11(f11).await;
        server.customer_behaves("+81312345678", json!({ "behaviour": "no_answer", "after_ms": 30000 })).await;
        let op1 = logged_in(&server, "op1").await;
        let mut events = op1.events().await;
        let placed = op1.dial("+81312345678", CALLER).await.unwrap();
        events.until("発信中", |v| v.status == AgentStatus::Dialing).await;

        let back = op1.hang_up(&placed.call_id).await.unwrap();
        assert_eq!(back.status, AgentStatus::Busy);
        assert_eq!(back.last_outcome, Some(EndReason::Cancelled));
        let (_, line) = server.sim(Method::GET, &format!("/sim/calls/{}", placed.call_id), None).await;
        assert_eq!(line["state"], "ended");
        assert_eq!(line["ended_by"], "agent");
        assert_eq!(op1.tickets().await.len(), usize::from(f11));
    }
}

#[tokio::test]
async fn an_unregistered_caller_number_is_refused_whatever_the_browser_sends() {
    let server = TestServer::start().await;
    let op1 = logged_in(&server, "op1").await;
    let err = op1.dial("+81312345678", "+81399999999").await.unwrap_err();
    assert_eq!(err, AppError::CallerNumberNotRegistered);
    assert_eq!(op1.view().await.unwrap().status, AgentStatus::Busy);
    assert!(op1.tickets().await.is_empty());
}

#[tokio::test]
async fn a_malformed_or_empty_number_is_refused_and_nothing_is_dialled() {
    let server = TestServer::start().await;
    let op1 = logged_in(&server, "op1").await;
    for bad in ["", "03-abcd-5678", "12"] {
        let err = op1.dial(bad, CALLER).await.unwrap_err();
        assert!(matches!(err, AppError::InvalidNumber(_)), "{bad:?}: {err:?}");
    }
    assert_eq!(op1.view().await.unwrap().status, AgentStatus::Busy);
}

#[tokio::test]
async fn dialling_needs_cti_login_a_status_that_allows_it_and_the_outbound_contract() {
    let mut server = TestServer::start().await;
    let op1 = server.signed_in("op1").await;
    assert!(matches!(op1.dial("+81312345678", CALLER).await.unwrap_err(), AppError::NotAllowedNow(_)));
    op1.act(AgentAction::CtiLogin).await.unwrap();
    op1.act(AgentAction::Choose(AgentStatus::Break)).await.unwrap();
    assert!(matches!(op1.dial("+81312345678", CALLER).await.unwrap_err(), AppError::NotAllowedNow(_)));

    server.set_and_restart("UPDATE tenants SET feature_outbound = false").await;
    let op1 = Client { url: server.url.clone(), http: op1.http };
    op1.act(AgentAction::Choose(AgentStatus::Busy)).await.unwrap();
    assert!(!op1.view().await.unwrap().can_dial);
    assert_eq!(op1.dial("+81312345678", CALLER).await.unwrap_err(), AppError::OutboundDisabled);
    assert_eq!(op1.view().await.unwrap().status, AgentStatus::Busy);
}
