//! HTTPS served by ringdesk itself (`RINGDESK_TLS_CERT`, `RINGDESK_TLS_KEY`): pages and
//! server functions over TLS, and a session cookie the browser keeps to HTTPS.

mod common;

use common::TestServer;
use reqwest::StatusCode;

#[tokio::test]
async fn the_server_speaks_https_and_its_session_cookie_is_secure() {
    let dir = tempfile::tempdir().unwrap();
    let made = rcgen::generate_simple_self_signed(vec!["localhost".into(), "127.0.0.1".into()]).unwrap();
    let (cert, key) = (dir.path().join("cert.pem"), dir.path().join("key.pem"));
    std::fs::write(&cert, made.cert.pem()).unwrap();
    std::fs::write(&key, made.signing_key.serialize_pem()).unwrap();
    let server = TestServer::start_tls(cert, key).await;
    assert!(server.url.starts_with("https://"));
    let http = reqwest::Client::builder().danger_accept_invalid_certs(true).build().unwrap();

    let page = http.get(format!("{}/login", server.url)).send().await.unwrap();
    assert_eq!(page.status(), StatusCode::OK);
    let res = http
        .post(format!("{}/api/login", server.url))
        .form(&[("username", "op1"), ("password", "demo1234")])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    let cookie = res.headers()["set-cookie"].to_str().unwrap().to_owned();
    assert!(cookie.contains("; Secure"), "{cookie}");
    assert!(cookie.contains("HttpOnly") && cookie.contains("SameSite=Strict"), "{cookie}");

    // Plain HTTP to the same port is not served.
    let plain = reqwest::get(server.url.replacen("https://", "http://", 1) + "/health").await;
    assert!(plain.is_err() || !plain.unwrap().status().is_success());
}

#[tokio::test]
async fn over_plain_http_the_cookie_is_not_marked_secure() {
    let server = TestServer::start().await;
    let res = server.anonymous().login("op1", "demo1234").await;
    let cookie = res.headers()["set-cookie"].to_str().unwrap().to_owned();
    assert!(!cookie.contains("Secure"), "{cookie}");
}
