//! What a tenant's new owner reads from the store when the telephone system is a
//! process apart that outlived the last owner (`Store::load_routing_carrying`): calls
//! still connected at the telephone system carry on, including one the last owner
//! answered on the line but died before recording.

mod common;

use app::domain::{AgentAction, AgentStatus};
use common::TestServer;
use server::routing::CallId;
use server::store::agents::{Lines, Scope};
use server::store::{Store, now_ms};

/// A server whose op1 is offered a customer's call, stopped there: the store has the
/// call ringing at op1. Answers the server (stopped), op1's id and the call.
async fn stopped_while_ringing() -> (TestServer, i32, String) {
    let server = TestServer::start().await;
    let op1 = server.signed_in("op1").await;
    op1.act(AgentAction::CtiLogin).await.unwrap();
    op1.act(AgentAction::Choose(AgentStatus::Ready)).await.unwrap();
    let mut events = op1.events().await;
    let call = server.customer_calls("+819012340000").await;
    events.until("the call rings at op1", |v| v.status == AgentStatus::Ringing).await;
    let op1_id: i32 = {
        use sea_orm::{ConnectionTrait, Statement};
        let db = server.db().await;
        let sql = "SELECT id FROM users WHERE username = 'op1'";
        let row = db.query_one_raw(Statement::from_string(db.get_database_backend(), sql)).await.unwrap().unwrap();
        row.try_get_by_index(0).unwrap()
    };
    let mut server = server;
    server.halt().await;
    (server, op1_id, call)
}

#[tokio::test]
async fn a_call_answered_on_the_line_but_not_recorded_is_answered_by_the_next_owner() {
    let (server, op1, call) = stopped_while_ringing().await;
    let store = Store::open(&server.db_url).await.unwrap();
    let connected = [CallId::from(call.as_str())];
    let lines = Lines { waiting: &[], connected: &connected, outlived: true };
    let (state, closed) = store.load_routing_carrying(now_ms(), lines, Scope::All, None).await.unwrap();

    assert!(closed.is_empty(), "nothing closed: {closed:?}");
    let agent = &state.agents[&op1];
    assert_eq!((agent.status, agent.call.as_deref()), (AgentStatus::InCall, Some(call.as_str())));
    let (row_state, reason, _, _) = server.call_record(&call).await;
    assert_eq!((row_state.as_str(), reason), ("connected", None));
    // Its ticket was made, as an answer makes it.
    let ticket: Option<i32> = {
        use sea_orm::{ConnectionTrait, Statement};
        let db = server.db().await;
        let sql = format!("SELECT ticket_id FROM calls WHERE id = '{call}'");
        let row = db.query_one_raw(Statement::from_string(db.get_database_backend(), sql)).await.unwrap().unwrap();
        row.try_get_by_index(0).unwrap()
    };
    assert!(ticket.is_some(), "the answered call has a ticket");
}

#[tokio::test]
async fn a_call_still_ringing_at_the_telephone_system_is_offered_again() {
    let (server, op1, call) = stopped_while_ringing().await;
    let store = Store::open(&server.db_url).await.unwrap();
    let waiting = [CallId::from(call.as_str())];
    let lines = Lines { waiting: &waiting, connected: &[], outlived: true };
    let (state, closed) = store.load_routing_carrying(now_ms(), lines, Scope::All, None).await.unwrap();

    assert!(closed.is_empty(), "nothing closed: {closed:?}");
    assert!(state.calls.contains_key(call.as_str()), "the call waits in its queue again");
    assert_ne!(state.agents[&op1].status, AgentStatus::Ringing, "the offer was withdrawn, to be made again");
}
