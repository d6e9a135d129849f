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
            "SELECT a.action, a.before, a.after, u.username FROM audit_log a JOIN users u ON u.id = a.actor_id"
                .to_owned(),
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

/// `secs` of a tone at 8 kHz, as the browser uploads it: little-endian 16-bit samples.
fn tone_bytes(hz: f32, secs: f32) -> Vec<u8> {
    (0..(secs * 8000.0) as usize)
        .map(|i| ((i as f32 * hz * std::f32::consts::TAU / 8000.0).sin() * 12000.0) as i16)
        .flat_map(i16::to_le_bytes)
        .collect()
}

async fn upload(c: &Client, name: &str, samples: Vec<u8>) -> Result<app::model::HoldMusicFile, (StatusCode, AppError)> {
    c.postcard("admin/hold-music/upload", &(name, samples)).await
}

#[tokio::test]
async fn a_tenant_uploads_its_own_hold_music_and_held_customers_hear_it() {
    let server = TestServer::start().await;
    let admin = server.signed_in("admin").await;
    let settings = get(&admin).await.unwrap();
    let own = CtiSettings { hold_music: "own".into(), ..settings.clone() };

    // Chosen before there is one: refused, nothing changes.
    let (status, e) = save(&admin, &own).await.unwrap_err();
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(e, AppError::Invalid(vec![FieldProblem::new(field::HOLD_MUSIC, Problem::NoHoldMusicFile)]));
    // Half a second, or no name: refused.
    let e = upload(&admin, "short.wav", tone_bytes(880.0, 0.5)).await.unwrap_err().1;
    assert_eq!(e, AppError::Invalid(vec![FieldProblem::new("hold_music_file", Problem::HoldMusicLength)]));
    let e = upload(&admin, "  ", tone_bytes(880.0, 2.0)).await.unwrap_err().1;
    assert_eq!(e, AppError::Invalid(vec![FieldProblem::new("hold_music_file", Problem::Required)]));
    // Only the tenant admin uploads.
    let op1 = server.signed_in("op1").await;
    assert_eq!(upload(&op1, "mine.wav", tone_bytes(880.0, 2.0)).await.unwrap_err().0, StatusCode::FORBIDDEN);
    let none: Option<app::model::HoldMusicFile> = admin.form("admin/hold-music", &[]).await.unwrap();
    assert_eq!(none, None);

    let file = upload(&admin, "鳥のさえずり.wav", tone_bytes(880.0, 2.0)).await.unwrap();
    assert_eq!((file.file_name.as_str(), file.duration_ms), ("鳥のさえずり.wav", 2000));
    let shown: Option<app::model::HoldMusicFile> = admin.form("admin/hold-music", &[]).await.unwrap();
    assert_eq!(shown, Some(file));
    let audit: Vec<app::model::AuditEntry> = admin.form("admin/audit-log", &[]).await.unwrap();
    assert_eq!(audit[0].action, app::model::AuditAction::HoldMusicUpload);
    assert_eq!(save(&admin, &own).await.unwrap().hold_music, "own");

    // 保留 now plays the tenant's own recording.
    op1.act(AgentAction::CtiLogin).await.unwrap();
    op1.act(AgentAction::Choose(AgentStatus::Ready)).await.unwrap();
    let mut events = op1.events().await;
    let call_id = server.customer_calls("+81312345678").await;
    events.until("着信中", |v| v.status == AgentStatus::Ringing).await;
    op1.answer(&call_id).await.unwrap();
    let _: app::model::AgentView = op1.form("phone/hold", &[("call_id", &call_id)]).await.unwrap();
    let line = server.sim(reqwest::Method::GET, &format!("/sim/calls/{call_id}"), None).await.1;
    assert_eq!(line["hold_music"], "own");
}

#[tokio::test]
async fn after_call_work_ends_at_its_limit_and_a_new_limit_applies_at_once() {
    let server = TestServer::start().await;
    let admin = server.signed_in("admin").await;
    let settings = get(&admin).await.unwrap();
    assert_eq!((settings.wrapup_limit_secs, settings.auto_pause_after), (0, 0), "both off by default");
    let op1 = server.signed_in("op1").await;
    op1.act(AgentAction::CtiLogin).await.unwrap();
    op1.act(AgentAction::Choose(AgentStatus::Ready)).await.unwrap();
    let mut events = op1.events().await;

    // No limit (the routing unit tests check it never ends by itself).
    let call = server.customer_calls("+81312345678").await;
    events.until("着信中", |v| v.status == AgentStatus::Ringing).await;
    op1.answer(&call).await.unwrap();
    let wrapup = op1.hang_up(&call).await.unwrap();
    assert_eq!(wrapup.status, AgentStatus::Wrapup);
    events.until("業務(チケット処理)", |v| v.status == AgentStatus::Wrapup).await;

    // A limit of 2 s applies to the after-call work under way: 待機 again, by itself.
    save(&admin, &CtiSettings { wrapup_limit_secs: 2, ..settings.clone() }).await.unwrap();
    let ready = events.until_within(10, "待機 after the limit", |v| v.status != AgentStatus::Wrapup).await;
    assert_eq!(ready.status, AgentStatus::Ready);

    // The next call's after-call work ends 2 s after it began, counted on the call.
    let call = server.customer_calls("+81312345679").await;
    events.until("着信中", |v| v.status == AgentStatus::Ringing).await;
    op1.answer(&call).await.unwrap();
    let wrapup = op1.hang_up(&call).await.unwrap();
    events.until("業務(チケット処理) again", |v| v.status == AgentStatus::Wrapup).await;
    let ready = events.until_within(10, "待機 after 2 s", |v| v.status == AgentStatus::Ready).await;
    let lasted = ready.since_ms - wrapup.since_ms;
    assert!((2_000..5_000).contains(&lasted), "after-call work lasted {lasted} ms");
    let wrapup_ms: Option<i64> = {
        use sea_orm::{ConnectionTrait, Statement};
        let db = server.db().await;
        let row = db
            .query_one_raw(Statement::from_string(
                db.get_database_backend(),
                format!("SELECT wrapup_ms FROM calls WHERE id = '{call}'"),
            ))
            .await
            .unwrap()
            .expect("the call");
        row.try_get("", "wrapup_ms").unwrap()
    };
    assert_eq!(wrapup_ms, Some(lasted), "the call's handle time has its after-call work");
}

#[tokio::test]
async fn an_agent_who_misses_offers_in_a_row_goes_to_break_as_away_and_the_board_shows_it() {
    let server = TestServer::start().await;
    let admin = server.signed_in("admin").await;
    let settings = get(&admin).await.unwrap();
    let policies = CtiSettings { ring_timeout_secs: 5, auto_pause_after: 2, ..settings };
    save(&admin, &policies).await.unwrap();
    let op1 = server.signed_in("op1").await;
    op1.act(AgentAction::CtiLogin).await.unwrap();
    op1.act(AgentAction::Choose(AgentStatus::Ready)).await.unwrap();
    let mut events = op1.events().await;
    let mut board = admin.board().await.expect("the tenant admin watches the board");

    // The first miss: 待機 again (the setting for a missed call), and the call rings at
    // them again at once (the widget may show only the new ring: views of one commit
    // reach it as the last of them).
    server.customer_calls("+81312345678").await;
    let first = events.until("着信中", |v| v.status == AgentStatus::Ringing).await;
    let missed =
        events.until_within(15, "rang out", |v| v.status != AgentStatus::Ringing || v.since_ms != first.since_ms).await;
    assert!(matches!(missed.status, AgentStatus::Ready | AgentStatus::Ringing), "{:?}", missed.status);
    // The second in a row: 休憩, reason 不在, on the widget and on the board.
    if missed.status != AgentStatus::Ringing {
        events.until("着信中 again", |v| v.status == AgentStatus::Ringing).await;
    }
    let paused = events.until_within(15, "rang out again", |v| v.status != AgentStatus::Ringing).await;
    assert_eq!((paused.status, paused.break_reason.as_deref()), (AgentStatus::Break, Some("不在")));
    let drawn = board.until("休憩（不在）", |b| b.agent("佐藤 花子").reason.as_deref() == Some("不在")).await;
    assert_eq!(drawn.agent("佐藤 花子").status, AgentStatus::Break);
    assert_eq!(drawn.service("サポートデスク").waiting, 1, "the call still waits, for someone else");

    // Back at the desk: the count starts again, so one more miss does not pause.
    op1.act(AgentAction::Choose(AgentStatus::Ready)).await.unwrap();
    events.until("着信中 once more", |v| v.status == AgentStatus::Ringing).await;
    let call = op1.view().await.unwrap().call.expect("the offer").call_id;
    op1.answer(&call).await.unwrap();
    op1.hang_up(&call).await.unwrap();
    op1.act(AgentAction::Choose(AgentStatus::Ready)).await.unwrap();
    server.customer_calls("+81312345679").await;
    let ringing = events.until("the next call rings", |v| v.status == AgentStatus::Ringing).await;
    let missed = events
        .until_within(15, "rang out", |v| v.status != AgentStatus::Ringing || v.since_ms != ringing.since_ms)
        .await;
    assert!(
        matches!(missed.status, AgentStatus::Ready | AgentStatus::Ringing),
        "one miss after an answer does not pause: {:?}",
        missed.status
    );
}
