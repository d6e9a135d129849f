//! The inbound call end to end over HTTP: sign-in, CTI login, statuses, the simulator,
//! the live stream, the ticket, and what survives a restart.

mod common;

use app::domain::{AgentAction, AgentStatus, RuleError};
use app::error::AppError;
use app::model::EndReason;
use common::TestServer;
use reqwest::{Method, StatusCode};
use serde_json::json;

async fn ready(c: &common::Client) {
    c.act(AgentAction::CtiLogin).await.unwrap();
    let v = c.act(AgentAction::Choose(AgentStatus::Ready)).await.unwrap();
    assert_eq!(v.status, AgentStatus::Ready);
}

#[tokio::test]
async fn an_inbound_call_rings_is_answered_becomes_a_ticket_and_ends_in_after_call_work() {
    let server = TestServer::start().await;
    let op1 = server.signed_in("op1").await;
    let mut events = op1.events().await;
    events.until("CTI未ログイン", |v| v.status == AgentStatus::LoggedOut).await;
    ready(&op1).await;

    let call_id = server.customer_calls("+81312345678").await;
    let ringing = events.until("着信中", |v| v.status == AgentStatus::Ringing).await;
    let offered = ringing.call.expect("the ringing view names the call");
    assert_eq!(offered.call_id, call_id);
    // Stored in E.164, read as Japanese staff write it.
    assert_eq!(
        (offered.customer_number.e164.as_str(), offered.customer_number.shown.as_str()),
        ("+81312345678", "03-1234-5678")
    );

    let ticket_id = op1.answer(&call_id).await.unwrap();
    let in_call = events.until("通話中", |v| v.status == AgentStatus::InCall).await;
    assert_eq!(in_call.call.unwrap().ticket_id, Some(ticket_id));
    let ticket = op1.ticket(ticket_id).await.unwrap();
    assert_eq!(ticket.customer_number.as_ref().map(|n| n.e164.as_str()), Some("+81312345678"));
    assert_eq!(ticket.subject, "電話着信 03-1234-5678");
    assert_eq!(ticket.calls.len(), 1);
    assert!(ticket.calls[0].answered_at_ms.is_some());

    let (status, line) = server.sim(Method::GET, &format!("/sim/calls/{call_id}"), None).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(line["state"], "connected");

    let (status, _) = server.sim(Method::POST, &format!("/sim/calls/{call_id}/hangup"), None).await;
    assert_eq!(status, StatusCode::OK);
    events.until("業務(チケット処理)", |v| v.status == AgentStatus::Wrapup).await;
    let ticket = op1.ticket(ticket_id).await.unwrap();
    assert_eq!(ticket.calls[0].end_reason, Some(EndReason::CustomerHangup));
    let (_, line) = server.sim(Method::GET, &format!("/sim/calls/{call_id}"), None).await;
    assert_eq!(line["state"], "ended");
    assert_eq!(line["ended_by"], "customer");
}

#[tokio::test]
async fn the_longest_idle_ready_agent_gets_the_call() {
    let server = TestServer::start().await;
    let op1 = server.signed_in("op1").await;
    let op2 = server.signed_in("op2").await;
    ready(&op2).await;
    ready(&op1).await;
    let mut e2 = op2.events().await;
    server.customer_calls("+81312345678").await;
    e2.until("着信中 at op2", |v| v.status == AgentStatus::Ringing).await;
    assert_eq!(op1.view().await.unwrap().status, AgentStatus::Ready);
}

#[tokio::test]
async fn a_wrong_status_action_is_refused_with_a_clear_error_and_changes_nothing() {
    let server = TestServer::start().await;
    let op1 = server.signed_in("op1").await;
    // 待機 before CTI login.
    let err = op1.act(AgentAction::Choose(AgentStatus::Ready)).await.unwrap_err();
    assert_eq!(
        err,
        AppError::NotAllowedNow(RuleError {
            status: AgentStatus::LoggedOut,
            action: AgentAction::Choose(AgentStatus::Ready)
        })
    );
    assert_eq!(op1.view().await.unwrap().status, AgentStatus::LoggedOut);

    // 休憩 while 着信中.
    ready(&op1).await;
    let mut events = op1.events().await;
    let call_id = server.customer_calls("+81312345678").await;
    events.until("着信中", |v| v.status == AgentStatus::Ringing).await;
    let err = op1.act(AgentAction::Choose(AgentStatus::Break)).await.unwrap_err();
    assert!(matches!(err, AppError::NotAllowedNow(_)));
    assert_eq!(op1.view().await.unwrap().status, AgentStatus::Ringing);

    // 応答 on a call that is not ringing at this agent.
    let op2 = server.signed_in("op2").await;
    ready(&op2).await;
    assert_eq!(op2.answer(&call_id).await.unwrap_err(), AppError::OfferGone);
    assert_eq!(op1.view().await.unwrap().status, AgentStatus::Ringing);
}

#[tokio::test]
async fn a_refusal_carries_its_http_status() {
    let server = TestServer::start().await;
    let op1 = server.signed_in("op1").await;
    let (status, body) = op1.call("phone/answer", &[("call_id", "no-such-call")]).await;
    assert_eq!(status, StatusCode::CONFLICT);
    assert_eq!(body, Some(AppError::OfferGone));
}

#[tokio::test]
async fn an_anonymous_caller_is_refused_everywhere_but_the_login_page() {
    let server = TestServer::start().await;
    let anon = server.anonymous();
    for endpoint in ["phone/view", "phone/act", "phone/answer", "tickets/list", "tickets/get", "logout", "locale"] {
        let (status, body) = anon.call(endpoint, &[]).await;
        assert_eq!(status, StatusCode::UNAUTHORIZED, "{endpoint}");
        assert_eq!(body, Some(AppError::Unauthorized), "{endpoint}");
    }
    assert_eq!(anon.get("/events").await.status(), StatusCode::UNAUTHORIZED);
    let page = anon.get("/tickets/1").await;
    assert_eq!(page.status(), StatusCode::SEE_OTHER);
    assert_eq!(page.headers()["location"], "/login");
    assert_eq!(anon.get("/login").await.status(), StatusCode::OK);
}

#[tokio::test]
async fn a_wrong_password_is_refused_and_sets_no_session() {
    let server = TestServer::start().await;
    let c = server.anonymous();
    let res = c.login("op1", "wrong").await;
    assert_eq!(res.status(), StatusCode::UNAUTHORIZED);
    assert_eq!(common::refusal(res).await, Some(AppError::BadCredentials));
    let (status, _) = c.call("phone/view", &[]).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn sign_out_ends_the_session() {
    let server = TestServer::start().await;
    let c = server.signed_in("op1").await;
    assert_eq!(c.call("logout", &[]).await.0, StatusCode::OK);
    assert_eq!(c.call("phone/view", &[]).await.0, StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn the_session_cookie_is_http_only_and_same_site_strict() {
    let server = TestServer::start().await;
    let res = server.anonymous().login("op1", "demo1234").await;
    let cookie = res.headers()["set-cookie"].to_str().unwrap().to_owned();
    assert!(cookie.contains("HttpOnly"), "{cookie}");
    assert!(cookie.contains("SameSite=Strict"), "{cookie}");
}

#[tokio::test]
async fn a_user_without_the_phone_permission_has_no_phone() {
    let server = TestServer::start().await;
    let admin = server.signed_in("admin").await;
    assert_eq!(admin.act(AgentAction::CtiLogin).await.unwrap_err(), AppError::NoPhonePermission);
    assert_eq!(admin.get("/events").await.status(), StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn a_cross_site_request_is_refused() {
    let server = TestServer::start().await;
    let c = server.signed_in("op1").await;
    let res = c
        .http
        .post(format!("{}/api/phone/act", c.url))
        .header("sec-fetch-site", "cross-site")
        .json(&json!({ "action": "CtiLogin" }))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::FORBIDDEN);
    assert_eq!(c.view().await.unwrap().status, AgentStatus::LoggedOut);
}

#[tokio::test]
async fn the_simulator_refuses_a_malformed_number_and_an_unknown_call() {
    let server = TestServer::start().await;
    let (status, body) =
        server.sim(Method::POST, "/sim/calls", Some(json!({ "from": "03-1234-abcd", "to": "0350000000" }))).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(body["error"], "invalid_number");
    // A call must say which service it calls: never handed to some tenant's first one.
    let (status, body) = server.sim(Method::POST, "/sim/calls", Some(json!({ "from": "+81312345678" }))).await;
    assert_eq!((status, body["error"].as_str()), (StatusCode::BAD_REQUEST, Some("bad_request")));
    let (status, _) =
        server.sim(Method::POST, "/sim/calls", Some(json!({ "from": "+81312345678", "to": "+81399999999" }))).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let (status, _) = server.sim(Method::GET, "/sim/calls/nope", None).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let (status, _) = server.sim(Method::POST, "/sim/calls/nope/hangup", None).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn health_says_whether_routing_is_alive() {
    let server = TestServer::start().await;
    let res = reqwest::get(format!("{}/health", server.url)).await.unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    let body: serde_json::Value = res.json().await.unwrap();
    assert_eq!(
        (&body["status"], &body["routing"]["alive"], &body["routing"]["recoveries"]),
        (&json!("ok"), &json!(true), &json!(0))
    );
    // Group commit: how many decisions routing's commits carried.
    let op1 = server.signed_in("op1").await;
    op1.act(app::domain::AgentAction::CtiLogin).await.unwrap();
    let body: serde_json::Value = reqwest::get(format!("{}/health", server.url)).await.unwrap().json().await.unwrap();
    let (commits, decisions) =
        (body["routing"]["commits"].as_u64().unwrap(), body["routing"]["decisions"].as_u64().unwrap());
    assert!(commits >= 1 && decisions >= commits, "{body}");
    // And how long those transactions kept the store's writer, and waited for it.
    assert!(body["routing"]["open_ms"].is_u64() && body["routing"]["waited_ms"].is_u64(), "{body}");
}

#[tokio::test]
async fn the_simulator_answers_this_host_only_or_its_token_and_a_refusal_changes_nothing() {
    let server = TestServer::start().await;
    let call = json!({ "from": "+81312345678", "to": "+81350000000" });
    let post = |headers: &[(&str, &str)]| {
        let mut req = reqwest::Client::new().post(format!("{}/sim/calls", server.url)).json(&call);
        for (k, v) in headers {
            req = req.header(*k, *v);
        }
        req.send()
    };
    // Forwarded by a reverse proxy (from elsewhere, though it reaches us on loopback):
    // refused without the token, or with a wrong one; no call is placed.
    let refused = post(&[("x-forwarded-for", "203.0.113.7")]).await.unwrap();
    assert_eq!(refused.status(), StatusCode::FORBIDDEN);
    assert_eq!(refused.json::<serde_json::Value>().await.unwrap()["error"], "forbidden");
    let wrong = post(&[("forwarded", "for=203.0.113.7"), ("authorization", "Bearer guess")]).await.unwrap();
    assert_eq!(wrong.status(), StatusCode::FORBIDDEN);
    let db = server.db().await;
    use sea_orm::{ConnectionTrait, Statement};
    let count = |db: sea_orm::DatabaseConnection| async move {
        let row = db
            .query_one_raw(Statement::from_string(db.get_database_backend(), "SELECT COUNT(*) AS n FROM calls"))
            .await
            .unwrap()
            .unwrap();
        row.try_get::<i64>("", "n").unwrap()
    };
    assert_eq!(count(db.clone()).await, 0, "a refused request placed no call");
    // With the token it is let in.
    let auth = format!("Bearer {}", common::SIM_TOKEN);
    let placed = post(&[("x-forwarded-for", "203.0.113.7"), ("authorization", &auth)]).await.unwrap();
    assert_eq!(placed.status(), StatusCode::CREATED);
    assert_eq!(count(db).await, 1);
}

#[tokio::test]
async fn a_restart_keeps_statuses_and_tickets_and_closes_live_calls_with_a_reason() {
    let mut server = TestServer::start().await;
    let op1 = server.signed_in("op1").await;
    let op2 = server.signed_in("op2").await;
    ready(&op1).await;
    let mut events = op1.events().await;
    let call_id = server.customer_calls("+81312345678").await;
    events.until("着信中", |v| v.status == AgentStatus::Ringing).await;
    let ticket_id = op1.answer(&call_id).await.unwrap();
    op2.act(AgentAction::CtiLogin).await.unwrap();
    op2.act(AgentAction::Choose(AgentStatus::Break)).await.unwrap();

    server.restart().await;

    // Sessions survive; so do statuses. The live call could not: it is closed, with why.
    let op1 = common::Client { url: server.url.clone(), http: op1.http };
    let op2 = common::Client { url: server.url.clone(), http: op2.http };
    assert_eq!(op2.view().await.unwrap().status, AgentStatus::Break);
    assert_eq!(op1.view().await.unwrap().status, AgentStatus::Wrapup);
    let ticket = op1.ticket(ticket_id).await.unwrap();
    assert_eq!(ticket.calls[0].end_reason, Some(EndReason::ServerRestart));
    // The customer's line was cut, by the system.
    let (_, line) = server.sim(Method::GET, &format!("/sim/calls/{call_id}"), None).await;
    assert_eq!(line["state"], "ended");
    assert_eq!(line["ended_by"], "system");
}

#[tokio::test]
async fn the_store_keeps_no_usable_session_token() {
    use sea_orm::{ConnectionTrait, Statement};
    let server = TestServer::start().await;
    let res = server.anonymous().login("op1", "demo1234").await;
    let cookie = res.headers()["set-cookie"].to_str().unwrap().to_owned();
    let token = cookie.split(';').next().unwrap().split_once('=').unwrap().1.to_owned();
    let db = server.db().await;
    let rows = db
        .query_all_raw(Statement::from_string(db.get_database_backend(), "SELECT id FROM sessions".to_owned()))
        .await
        .unwrap();
    let kept: Vec<String> = rows.iter().map(|r| r.try_get("", "id").unwrap()).collect();
    assert_eq!(kept.len(), 1);
    assert_ne!(kept[0], token, "the token itself is not stored");
    // And the kept value does not sign anyone in.
    let forged = reqwest::Client::new()
        .post(format!("{}/api/phone/view", server.url))
        .header("cookie", format!("ringdesk_session={}", kept[0]))
        .send()
        .await
        .unwrap();
    assert_eq!(forged.status(), StatusCode::UNAUTHORIZED);
}
