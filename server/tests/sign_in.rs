//! Sign-in and sessions as an attacker and a careful reviewer would try them: repeated
//! failures are slowed per account and per address (and audited), without keeping the
//! account's owner out for long; sessions end after an idle time and a maximum age.

mod common;

use std::time::Duration;

use app::error::AppError;
use common::{TestServer, refusal};
use reqwest::StatusCode;

/// Signs `username` in from `from` (as a reverse proxy on this host would name it).
async fn sign_in(server: &TestServer, username: &str, password: &str, from: &str) -> (StatusCode, Option<AppError>) {
    let res = reqwest::Client::new()
        .post(format!("{}/api/login", server.url))
        .header("x-forwarded-for", from)
        .form(&[("username", username), ("password", password)])
        .send()
        .await
        .unwrap();
    let status = res.status();
    (status, refusal(res).await)
}

#[tokio::test]
async fn repeated_failures_are_slowed_per_account_and_per_address_and_audited() {
    let server = TestServer::start().await;
    let attacker = "203.0.113.1";
    for _ in 0..5 {
        assert_eq!(sign_in(&server, "op1", "guess", attacker).await.1, Some(AppError::BadCredentials));
    }
    // The sixth is not even checked: from that address, for any account...
    let (status, e) = sign_in(&server, "op2", "demo1234", attacker).await;
    assert_eq!(status, StatusCode::TOO_MANY_REQUESTS);
    assert!(matches!(e, Some(AppError::TooManyAttempts { retry_after_secs }) if retry_after_secs <= 300));
    // ...and for that account, from anywhere, even with the right password, a moment.
    let (status, e) = sign_in(&server, "op1", "demo1234", "203.0.113.2").await;
    assert_eq!(status, StatusCode::TOO_MANY_REQUESTS);
    assert!(matches!(e, Some(AppError::TooManyAttempts { retry_after_secs }) if retry_after_secs <= 30));
    // Others sign in as ever.
    assert_eq!(sign_in(&server, "op2", "demo1234", "203.0.113.2").await.0, StatusCode::OK);
    // The owner is back in once the account's short wait is over (a second after five).
    let deadline = tokio::time::Instant::now() + Duration::from_secs(10);
    loop {
        match sign_in(&server, "op1", "demo1234", "203.0.113.3").await.0 {
            StatusCode::OK => break,
            StatusCode::TOO_MANY_REQUESTS if tokio::time::Instant::now() < deadline => {
                tokio::time::sleep(Duration::from_millis(200)).await
            }
            other => panic!("op1 could not sign in again: {other}"),
        }
    }
    // Each failure for the real account is in its tenant's audit log, with the address.
    let admin = server.signed_in("admin").await;
    let log: Vec<app::model::AuditEntry> = admin.form("admin/audit-log", &[]).await.unwrap();
    let failed: Vec<_> = log.iter().filter(|e| e.action == app::model::AuditAction::SignInFailed).collect();
    assert_eq!(failed.len(), 5);
    assert!(failed.iter().all(|e| e.subject == "op1 (203.0.113.1)"), "{failed:?}");
}

#[tokio::test]
async fn a_remote_peer_cannot_choose_its_address_with_a_header() {
    // Only a proxy on this host is believed: the tests' requests come from loopback, so
    // the header is read; the rule itself is in `client_address` (app/src/api/session.rs).
    let server = TestServer::start().await;
    for i in 0..5 {
        sign_in(&server, "op3", "guess", &format!("198.51.100.{i}")).await;
    }
    // Five addresses, one failure each: only the account is slowed, no address.
    assert_eq!(sign_in(&server, "op3", "demo1234", "198.51.100.9").await.0, StatusCode::TOO_MANY_REQUESTS);
    assert_eq!(sign_in(&server, "op2", "demo1234", "198.51.100.0").await.0, StatusCode::OK);
}

/// Moves every session's clock: started and last used `ago_ms` back (its maximum age
/// left as it was), as if that time had passed with no request.
async fn age_sessions(server: &TestServer, sql: &str) {
    use sea_orm::ConnectionTrait;
    server.db().await.execute_unprepared(sql).await.unwrap();
}

#[tokio::test]
async fn a_session_ends_when_idle_for_too_long_and_use_keeps_it() {
    let server = TestServer::start().await;
    let op1 = server.signed_in("op1").await;
    // Ninety minutes without a request (the idle limit is two hours): still in, and the
    // request counts as use.
    let ninety = 90 * 60 * 1000;
    age_sessions(
        &server,
        &format!("UPDATE sessions SET created_at = created_at - {ninety}, last_seen_at = created_at - {ninety}"),
    )
    .await;
    assert!(op1.view().await.is_ok());
    // Two more hours of nothing: the session has ended.
    let two_hours = 2 * 3600 * 1000;
    age_sessions(
        &server,
        &format!(
            "UPDATE sessions SET created_at = created_at - {two_hours}, last_seen_at = last_seen_at - {two_hours}"
        ),
    )
    .await;
    assert_eq!(op1.view().await.unwrap_err(), AppError::Unauthorized);
}

#[tokio::test]
async fn a_session_ends_at_its_maximum_age_however_busy() {
    let server = TestServer::start().await;
    let op1 = server.signed_in("op1").await;
    assert!(op1.view().await.is_ok());
    age_sessions(&server, "UPDATE sessions SET expires_at = 1").await;
    assert_eq!(op1.view().await.unwrap_err(), AppError::Unauthorized);
}

/// パスワード変更 as the user would try it, and as someone who knew the old password.
#[tokio::test]
async fn changing_a_password_ends_the_other_sessions_and_only_them() {
    use app::domain::validation::Problem;
    use serde_json::json;
    let server = TestServer::start().await;
    let here = server.signed_in("op1").await;
    let elsewhere = server.signed_in("op1").await;
    let mut elsewhere_stream = elsewhere.events().await;
    let change =
        |current: &str, new: &str, confirm: &str| json!({ "current": current, "new": new, "confirm": confirm });

    // Refused, field by field, changing nothing: a wrong current password, a short new
    // one, a confirmation that differs.
    let refused = |e: (StatusCode, AppError)| -> Vec<(String, Problem)> {
        match e {
            (StatusCode::UNPROCESSABLE_ENTITY, AppError::Invalid(p)) => {
                p.into_iter().map(|p| (p.field, p.problem)).collect()
            }
            other => panic!("not a refusal by field: {other:?}"),
        }
    };
    let e = here.json::<()>("account/password", change("wrong-one", "new-secret-1", "new-secret-1")).await.unwrap_err();
    assert_eq!(refused(e), vec![("current_password".to_owned(), Problem::WrongPassword)]);
    let e = here.json::<()>("account/password", change("demo1234", "short", "short")).await.unwrap_err();
    assert_eq!(refused(e), vec![("new_password".to_owned(), Problem::PasswordTooShort)]);
    let e = here.json::<()>("account/password", change("demo1234", "new-secret-1", "new-secret-2")).await.unwrap_err();
    assert_eq!(refused(e), vec![("confirm_password".to_owned(), Problem::PasswordMismatch)]);
    assert!(elsewhere.view().await.is_ok());
    assert_eq!(server.anonymous().login("op1", "demo1234").await.status(), StatusCode::OK);

    // Changed: this session goes on, the other ends (its requests and its open stream),
    // and only the new password signs in.
    here.json::<()>("account/password", change("demo1234", "new-secret-1", "new-secret-1")).await.unwrap();
    assert!(here.view().await.is_ok());
    assert_eq!(elsewhere.view().await.unwrap_err(), AppError::Unauthorized);
    assert!(elsewhere_stream.ended_within(5).await, "the other session's live stream ended");
    assert_eq!(server.anonymous().login("op1", "demo1234").await.status(), StatusCode::UNAUTHORIZED);
    assert_eq!(server.anonymous().login("op1", "new-secret-1").await.status(), StatusCode::OK);

    // The audit log has the change (and the wrong current password, as a failed sign-in).
    let admin = server.signed_in("admin").await;
    let log: Vec<app::model::AuditEntry> = admin.form("admin/audit-log", &[]).await.unwrap();
    assert!(log.iter().any(|e| e.action == app::model::AuditAction::PasswordChange && e.subject == "op1"), "{log:?}");
    assert!(log.iter().any(|e| e.action == app::model::AuditAction::SignInFailed && e.subject.starts_with("op1 ")));
    // A signed-out caller changes nothing.
    let (status, _) = server.anonymous().call("account/password", &[]).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
}
