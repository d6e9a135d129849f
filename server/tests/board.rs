//! The supervisor's board over HTTP: who may watch it, and a call moving across it.

mod common;

use app::domain::{AgentAction, AgentStatus};
use common::TestServer;
use reqwest::{Method, StatusCode};

#[tokio::test]
async fn supervisors_watch_a_call_cross_the_floor_and_operators_may_not() {
    let server = TestServer::start().await;
    assert_eq!(server.signed_in("op1").await.board().await.err(), Some(StatusCode::FORBIDDEN));
    assert_eq!(server.signed_in("root").await.board().await.err(), Some(StatusCode::FORBIDDEN));
    assert_eq!(server.anonymous().board().await.err(), Some(StatusCode::UNAUTHORIZED));

    let manager = server.signed_in("manager").await;
    let mut board = manager.board().await.unwrap();
    let first = board.until("the floor", |b| b.agents.len() == 3).await;
    assert_eq!(first.services.iter().map(|s| s.name.as_str()).collect::<Vec<_>>(), ["サポートデスク"]);
    assert_eq!(first.agent("佐藤 花子").status, AgentStatus::LoggedOut);
    assert_eq!(first.service("サポートデスク").waiting, 0);

    // A customer waits while nobody is ready.
    let call = server.customer_calls("+81312345678").await;
    let waiting = board.until("a caller waiting", |b| b.service("サポートデスク").waiting == 1).await;
    assert!(waiting.service("サポートデスク").oldest_since_ms.is_some());

    let op1 = server.signed_in("op1").await;
    let mut events = op1.events().await;
    op1.act(AgentAction::CtiLogin).await.unwrap();
    op1.act(AgentAction::Choose(AgentStatus::Ready)).await.unwrap();
    events.until("着信中", |v| v.status == AgentStatus::Ringing).await;
    let ringing = board.until("佐藤 花子 ringing", |b| b.agent("佐藤 花子").status == AgentStatus::Ringing).await;
    let offered = ringing.agent("佐藤 花子").call.clone().expect("the ringing agent's call");
    assert_eq!(offered.customer.shown, "03-1234-5678");

    let ticket = op1.answer(&call).await.unwrap();
    let talking = board
        .until("the call connected, and counted answered today", |b| {
            let desk = b.service("サポートデスク");
            b.agent("佐藤 花子").status == AgentStatus::InCall && desk.waiting == 0 && desk.today.answered == 1
        })
        .await;
    assert_eq!(talking.agent("佐藤 花子").call.as_ref().and_then(|c| c.ticket_id), Some(ticket));
    assert_eq!(talking.service("サポートデスク").today.offered, 1);

    server.sim(Method::POST, &format!("/sim/calls/{call}/hangup"), None).await;
    let after = board
        .until("after-call work, the call handled", |b| {
            b.agent("佐藤 花子").status == AgentStatus::Wrapup && b.service("サポートデスク").today.handled == 1
        })
        .await;
    assert!(after.agent("佐藤 花子").call.is_none());

    // The tenant admin watches every service of the tenant; the other tenant's admin
    // sees none of this one's agents.
    let admin = server.signed_in("admin").await;
    let whole = admin.board().await.unwrap().until("the tenant's floor", |b| !b.agents.is_empty()).await;
    assert_eq!(whole.agent("佐藤 花子").status, AgentStatus::Wrapup);
    let other = server.signed_in("admin2").await;
    let theirs = other.board().await.unwrap().until("their floor", |_| true).await;
    assert!(theirs.agents.is_empty());
    assert_eq!(theirs.services.iter().map(|s| s.name.as_str()).collect::<Vec<_>>(), ["お客様窓口"]);
}
