//! What every response says about itself (a Content-Security-Policy that lets only the
//! app's own scripts run, no sniffing, no referrer to elsewhere, no framing) and how
//! large a request may be.

mod common;

use common::TestServer;
use reqwest::StatusCode;

#[tokio::test]
async fn a_page_lets_only_its_own_scripts_run_and_cannot_be_framed() {
    let server = TestServer::start().await;
    let res = reqwest::get(format!("{}/login", server.url)).await.unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    let header = |name: &str| res.headers().get(name).map(|v| v.to_str().unwrap().to_owned());
    let policy = header("content-security-policy").expect("a Content-Security-Policy");
    assert!(policy.contains("frame-ancestors 'none'"), "{policy}");
    assert!(policy.contains("object-src 'none'"), "{policy}");
    assert_eq!(header("x-content-type-options").as_deref(), Some("nosniff"));
    assert_eq!(header("referrer-policy").as_deref(), Some("same-origin"));
    // Scripts: the app's own files, and the inline ones bearing this response's nonce.
    let nonce = policy
        .split_whitespace()
        .find_map(|p| p.strip_prefix("'nonce-").and_then(|n| n.strip_suffix('\'')))
        .expect("a nonce in script-src")
        .to_owned();
    assert!(!policy.contains("unsafe-inline"), "{policy}");
    let page = res.text().await.unwrap();
    let scripts: Vec<&str> = page.split("<script").skip(1).map(|s| &s[..s.find('>').unwrap()]).collect();
    assert!(!scripts.is_empty());
    for attrs in scripts {
        // Data blocks (the session's bytes) are never run; every script that runs has the nonce.
        if !attrs.contains("application/octet-stream") && !attrs.contains("application/json") {
            assert!(attrs.contains(&format!("nonce=\"{nonce}\"")), "a script without the nonce: <script{attrs}>");
        }
    }
    // A fresh nonce a response.
    let again = reqwest::get(format!("{}/login", server.url)).await.unwrap();
    let policy_again = again.headers()["content-security-policy"].to_str().unwrap().to_owned();
    assert_ne!(policy, policy_again);
}

#[tokio::test]
async fn data_answers_run_nothing_either() {
    let server = TestServer::start().await;
    let res = reqwest::get(format!("{}/health", server.url)).await.unwrap();
    assert_eq!(res.headers()["content-security-policy"], "default-src 'none'; frame-ancestors 'none'");
    assert_eq!(res.headers()["x-content-type-options"], "nosniff");
}

#[tokio::test]
async fn a_body_larger_than_its_endpoint_takes_is_refused_413() {
    let server = TestServer::start().await;
    let op1 = server.signed_in("op1").await;
    let http = reqwest::Client::new();
    // 2 MB at the sign-in: refused before it is read, not a dropped connection.
    let big = vec![b'a'; 2 * 1024 * 1024];
    let res = http.post(format!("{}/api/login", server.url)).body(big.clone()).send().await.unwrap();
    assert_eq!(res.status(), StatusCode::PAYLOAD_TOO_LARGE);
    // A server function of a signed-in user takes a quarter of a megabyte at most.
    let note = serde_json::json!({ "id": 1, "body": "あ".repeat(200_000) });
    let res = op1.http.post(format!("{}/api/tickets/note", server.url)).json(&note).send().await.unwrap();
    assert_eq!(res.status(), StatusCode::PAYLOAD_TOO_LARGE);
    // The hold music upload takes megabytes.
    let admin = server.signed_in("admin").await;
    let samples: Vec<u8> = vec![0x10; 2 * 8000 * 120];
    let uploaded: Result<app::model::HoldMusicFile, _> =
        admin.postcard("admin/hold-music/upload", &("two-minutes.wav", samples)).await;
    assert_eq!(uploaded.unwrap().duration_ms, 120_000);
}

#[tokio::test]
async fn arguments_that_cannot_be_read_are_the_callers_mistake_not_the_servers() {
    let server = TestServer::start().await;
    let op1 = server.signed_in("op1").await;
    let post = |path: &str| op1.http.post(format!("{}/api/{path}", server.url));
    // A missing argument, an ill-typed one, a body that is not JSON, invalid UTF-8.
    let cases = [
        post("phone/answer").form(&[("nothing", "here")]),
        post("tickets/note").json(&serde_json::json!({ "id": "one", "body": 5 })),
        post("tickets/note").header("content-type", "application/json").body("{not json"),
        post("tickets/update").header("content-type", "application/json").body(vec![0xff, 0xfe, 0x00]),
        post("phone/act").json(&serde_json::json!({ "action": "Fly" })),
    ];
    for (i, req) in cases.into_iter().enumerate() {
        let res = req.send().await.unwrap();
        assert_eq!(res.status(), StatusCode::BAD_REQUEST, "case {i}");
        let e = common::refusal(res).await.expect("a refusal");
        assert!(matches!(e, app::error::AppError::Transport(_)), "case {i}: {e:?}");
    }
}
