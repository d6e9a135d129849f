//! Hearing what was said on a call: the simulated customer's line and an agent's
//! softphone each say what tone they last heard.

use std::time::Duration;

use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

use super::TestServer;

/// Waits until the simulated customer of `call` heard `hz` (within 15 Hz).
pub async fn customer_hears(server: &TestServer, call: &str, hz: u32) -> Value {
    let mut last = Value::Null;
    for _ in 0..100 {
        let (_, line) = server.sim(Method::GET, &format!("/sim/calls/{call}"), None).await;
        if line["heard"]["tone_hz"].as_u64().is_some_and(|t| (t as u32).abs_diff(hz) <= 15) {
            return line;
        }
        last = line;
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    panic!("the customer never heard {hz} Hz: {last}");
}

pub async fn agent_hears(phone: &ringdesk_load::softphone::Softphone, hz: u32) {
    for _ in 0..100 {
        if phone.heard_tone().is_some_and(|t| t.abs_diff(hz) <= 15) {
            return;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    panic!("the agent never heard {hz} Hz (heard {:?})", phone.heard_tone());
}

pub async fn calls_with_tone(server: &TestServer, hz: u32) -> String {
    let (status, placed) = server
        .sim(
            Method::POST,
            "/sim/calls",
            Some(json!({ "from": "+81312345678", "to": server::store::demo::DEMO_SERVICE_NUMBER,
                         "says": { "kind": "tone", "hz": hz } })),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{placed}");
    placed["call_id"].as_str().unwrap().to_owned()
}
