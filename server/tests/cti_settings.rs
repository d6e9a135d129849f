//! 全体管理 → CTI管理 → CTI設定 over HTTP: who may read and change it, what is refused,
//! the audit entry, and the change reaching live routing.

mod common;

use app::domain::cti_settings::field;
use app::domain::{AgentAction, AgentStatus, CtiSettings, FieldProblem, Problem};
use app::error::AppError;
use common::{Client, TestServer};
use reqwest::StatusCode;
use serde_json::json;

async fn get(c: &Client) -> Result<CtiSettings, (StatusCode, AppError)> {
    c.form("admin/cti-settings", &[]).await
}

async fn save(c: &Client, s: &CtiSettings) -> Result<CtiSettings, (StatusCode, AppError)> {
    c.json("admin/cti-settings/save", json!({ "settings": s })).await
}

#[tokio::test]
async fn the_tenant_admin_changes_settings_and_the_next_offer_follows_them() {
    let server = TestServer::start().await;
    let admin = server.signed_in("admin").await;
    let before = get(&admin).await.unwrap();
    assert_eq!(before.ring_timeout_secs, 20);

    let after = CtiSettings { ring_timeout_secs: 5, missed_offer_status: AgentStatus::Busy, ..before.clone() };
    assert_eq!(save(&admin, &after).await.unwrap(), after);
    assert_eq!(get(&admin).await.unwrap(), after);

    // Live: no restart. A missed call now moves the agent to 業務 after 5 s.
    let op1 = server.signed_in("op1").await;
    op1.act(AgentAction::CtiLogin).await.unwrap();
    op1.act(AgentAction::Choose(AgentStatus::Ready)).await.unwrap();
    let mut events = op1.events().await;
    server.customer_calls("+81312345678").await;
    let ringing = events.until("着信中", |v| v.status == AgentStatus::Ringing).await;
    let missed = events.until_within(15, "業務 after 5 s", |v| v.status != AgentStatus::Ringing).await;
    assert_eq!(missed.status, AgentStatus::Busy);
    let rang_ms = missed.since_ms - ringing.since_ms;
    assert!((5_000..20_000).contains(&rang_ms), "rang {rang_ms} ms");

    // The audit log has who, what, before and after.
    use sea_orm::{ConnectionTrait, Statement};
    let db = server.db().await;
    let row = db
        .query_one_raw(Statement::from_string(
            db.get_database_backend(),
            "SELECT a.action, a.before, a.after, u.username FROM audit_log a JOIN users u ON u.id = a.actor_id".to_owned(),
        ))
        .await
        .unwrap()
        .expect("an audit entry");
    assert_eq!(row.try_get::<String>("", "action").unwrap(), "cti_settings.update");
    assert_eq!(row.try_get::<String>("", "username").unwrap(), "admin");
    let b: CtiSettings = serde_json::from_str(&row.try_get::<String>("", "before").unwrap()).unwrap();
    let a: CtiSettings = serde_json::from_str(&row.try_get::<String>("", "after").unwrap()).unwrap();
    assert_eq!((b, a), (before, after));
}

#[tokio::test]
async fn an_operator_may_neither_read_nor_change_cti_settings() {
    let server = TestServer::start().await;
    let admin = server.signed_in("admin").await;
    let stored = get(&admin).await.unwrap();
    let op1 = server.signed_in("op1").await;
    assert_eq!(get(&op1).await.unwrap_err(), (StatusCode::FORBIDDEN, AppError::Forbidden));
    let attempt = CtiSettings { ring_timeout_secs: 60, ..stored.clone() };
    assert_eq!(save(&op1, &attempt).await.unwrap_err(), (StatusCode::FORBIDDEN, AppError::Forbidden));
    assert_eq!(get(&admin).await.unwrap(), stored);
}

#[tokio::test]
async fn bad_settings_are_refused_field_by_field_and_nothing_changes() {
    let server = TestServer::start().await;
    let admin = server.signed_in("admin").await;
    let stored = get(&admin).await.unwrap();
    let bad = CtiSettings {
        ring_timeout_secs: -3,
        login_status: AgentStatus::InCall,
        force_end_message: " ".into(),
        ..stored.clone()
    };
    let (status, err) = save(&admin, &bad).await.unwrap_err();
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(
        err,
        AppError::Invalid(vec![
            FieldProblem::new(field::RING_TIMEOUT, Problem::RingTimeout),
            FieldProblem::new(field::LOGIN_STATUS, Problem::Choice),
            FieldProblem::new(field::FORCE_END_MESSAGE, Problem::ForceEndMessage),
        ])
    );
    assert_eq!(get(&admin).await.unwrap(), stored);
}
