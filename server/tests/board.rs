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

/// Sets `agent` to `status` (with `reason`) as `who`.
async fn set_status(
    who: &common::Client,
    agent: i32,
    status: &str,
    reason: Option<i32>,
) -> Result<(), (StatusCode, app::error::AppError)> {
    let mut form = vec![("agent", agent.to_string()), ("status", status.to_owned())];
    form.extend(reason.map(|r| ("reason", r.to_string())));
    let form: Vec<(&str, &str)> = form.iter().map(|(k, v)| (*k, v.as_str())).collect();
    who.form::<()>("board/set-status", &form).await
}

#[tokio::test]
async fn a_supervisor_sets_an_agent_to_break_at_once_or_when_their_call_ends() {
    use app::model::{AuditAction, AuditEntry, BreakReason};

    let server = TestServer::start().await;
    let manager = server.signed_in("manager").await;
    let op1 = server.signed_in("op1").await;
    let mut events = op1.events().await;
    op1.act(AgentAction::CtiLogin).await.unwrap();
    op1.act(AgentAction::Choose(AgentStatus::Ready)).await.unwrap();
    let me = op1.view().await.unwrap();
    let mut board = manager.board().await.unwrap();
    let op1_id = board
        .until("佐藤 花子 待機", |b| b.agent("佐藤 花子").status == AgentStatus::Ready)
        .await
        .agent("佐藤 花子")
        .user_id;
    assert_eq!(me.status, AgentStatus::Ready);
    let reasons: Vec<BreakReason> = manager.form("board/break-reasons", &[]).await.unwrap();
    let lunch = reasons.iter().find(|r| r.label == "昼食").unwrap().id;

    // Between calls: at once, with the reason, in the agent's widget and on the board.
    set_status(&manager, op1_id, "break", Some(lunch)).await.unwrap();
    let on_break = events.until("休憩", |v| v.status == AgentStatus::Break).await;
    assert_eq!(on_break.break_reason.as_deref(), Some("昼食"));
    board.until("休憩（昼食）", |b| b.agent("佐藤 花子").reason.as_deref() == Some("昼食")).await;

    // During a call: the call goes on, and 休憩 comes when it ends.
    op1.act(AgentAction::Choose(AgentStatus::Ready)).await.unwrap();
    let call = server.customer_calls("+81312345678").await;
    events.until("着信中", |v| v.status == AgentStatus::Ringing).await;
    op1.answer(&call).await.unwrap();
    set_status(&manager, op1_id, "break", None).await.unwrap();
    let talking = events.until("休憩 after the call", |v| v.pending == Some(AgentStatus::Break)).await;
    assert_eq!(talking.status, AgentStatus::InCall);
    board.until("通話後: 休憩", |b| b.agent("佐藤 花子").pending == Some(AgentStatus::Break)).await;
    server.sim(Method::POST, &format!("/sim/calls/{call}/hangup"), None).await;
    let after = events.until("休憩 once the call ended", |v| v.status == AgentStatus::Break).await;
    assert_eq!((after.pending, after.break_reason), (None, None));

    // Logged out of CTI by the supervisor; then there is nothing to set.
    set_status(&manager, op1_id, "logged_out", None).await.unwrap();
    events.until("CTI未ログイン", |v| v.status == AgentStatus::LoggedOut).await;
    let refused = set_status(&manager, op1_id, "busy", None).await.unwrap_err();
    assert_eq!(refused.0, StatusCode::CONFLICT);

    // Bad input changes nothing: a status a supervisor may not set, another tenant's
    // reason, an unknown agent.
    assert_eq!(set_status(&manager, op1_id, "ready", None).await.unwrap_err().0, StatusCode::UNPROCESSABLE_ENTITY);
    op1.act(AgentAction::CtiLogin).await.unwrap();
    assert_eq!(
        set_status(&manager, op1_id, "break", Some(9999)).await.unwrap_err().0,
        StatusCode::UNPROCESSABLE_ENTITY
    );
    assert_eq!(set_status(&manager, 9999, "busy", None).await.unwrap_err().0, StatusCode::NOT_FOUND);
    assert_eq!(op1.view().await.unwrap().status, AgentStatus::Busy);

    // The audit log has each change the supervisor made, with who and what.
    let admin = server.signed_in("admin").await;
    let log: Vec<AuditEntry> = admin.form("admin/audit-log", &[]).await.unwrap();
    let set: Vec<&AuditEntry> = log.iter().filter(|e| e.action == AuditAction::AgentStatusSet).collect();
    assert_eq!(set.len(), 3);
    assert!(set.iter().all(|e| e.actor == "山田 太郎" && e.subject == "佐藤 花子"));
    let first = set.last().unwrap();
    let field = |name: &str| first.changes.iter().find(|c| c.field == name).and_then(|c| c.after.clone());
    assert_eq!(field("status").as_deref(), Some("break"));
    assert_eq!(field("reason").as_deref(), Some("昼食"));
}
