//! The same inbound flow and restart on PostgreSQL: the store's queries and migrations
//! run on both engines.

mod common;

use app::domain::{AgentAction, AgentStatus};
use app::model::EndReason;
use common::TestServer;
use reqwest::Method;

#[tokio::test]
async fn the_inbound_flow_and_a_restart_work_on_postgres() {
    let mut server = TestServer::start_postgres().await;
    let op1 = server.signed_in("op1").await;
    op1.act(AgentAction::CtiLogin).await.unwrap();
    op1.act(AgentAction::Choose(AgentStatus::Ready)).await.unwrap();
    let mut events = op1.events().await;

    let call_id = server.customer_calls("+81312345678").await;
    events.until("着信中", |v| v.status == AgentStatus::Ringing).await;
    let ticket_id = op1.answer(&call_id).await.unwrap();
    server.sim(Method::POST, &format!("/sim/calls/{call_id}/hangup"), None).await;
    events.until("業務(チケット処理)", |v| v.status == AgentStatus::Wrapup).await;

    // A second call, live across a restart.
    op1.act(AgentAction::Choose(AgentStatus::Ready)).await.unwrap();
    let second = server.customer_calls("+81398765432").await;
    events.until("着信中", |v| v.status == AgentStatus::Ringing).await;
    let second_ticket = op1.answer(&second).await.unwrap();

    server.restart().await;
    let op1 = common::Client { url: server.url.clone(), http: op1.http };
    assert_eq!(op1.view().await.unwrap().status, AgentStatus::Wrapup);
    let first = op1.ticket(ticket_id).await.unwrap();
    assert_eq!(first.calls[0].end_reason, Some(EndReason::CustomerHangup));
    let cut = op1.ticket(second_ticket).await.unwrap();
    assert_eq!(cut.calls[0].end_reason, Some(EndReason::ServerRestart));
}
