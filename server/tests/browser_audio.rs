//! An agent who talks in the browser: their phone window's WebRTC connection (here a
//! Rust softphone doing what the window does), the simulated customer's voice both
//! ways, hold music, and what routing makes of the connection coming and going.

mod common;

use std::time::Duration;

use app::domain::{AgentAction, AgentStatus};
use app::error::AppError;
use app::model::{BrowserAudio, Endpoint};
use common::TestServer;
use common::voices::{agent_hears, calls_with_tone, customer_hears};
use reqwest::{Method, StatusCode};
use ringdesk_load::softphone::Codec;
use serde_json::{Value, json};

#[tokio::test]
async fn audio_flows_both_ways_and_hold_plays_music_instead() {
    for codec in [Codec::Opus, Codec::Pcmu] {
        let server = TestServer::start().await;
        let op = server.signed_in("op1").await;
        let mut events = op.events().await;
        op.set_endpoint(Endpoint::Browser).await.unwrap();
        op.act(AgentAction::CtiLogin).await.unwrap();
        op.act(AgentAction::Choose(AgentStatus::Ready)).await.unwrap();
        // Ready, but with no phone window connected: not offered the call.
        let v = events.until("the audio is missing", |v| v.endpoint == Endpoint::Browser).await;
        assert_eq!(v.browser_audio, BrowserAudio::Closed);
        let call = calls_with_tone(&server, 440).await;
        let phone = op.softphone(codec).await;
        // Once it is, the waiting call is offered.
        events.until("the call is offered", |v| v.status == AgentStatus::Ringing).await;
        assert_eq!(op.view().await.unwrap().browser_audio, BrowserAudio::Ready);
        op.answer(&call).await.unwrap();
        phone.hum(Some(1000));
        agent_hears(&phone, 440).await;
        customer_hears(&server, &call, 1000).await;

        // 保留: the customer hears music, no longer the agent; the agent hears nothing.
        op.form::<app::model::AgentView>("phone/hold", &[("call_id", &call)]).await.unwrap();
        let mut held = Value::Null;
        for _ in 0..100 {
            let (_, line) = server.sim(Method::GET, &format!("/sim/calls/{call}"), None).await;
            if line["heard"]["tone_hz"].as_u64().is_some_and(|t| (t as u32).abs_diff(1000) > 30) {
                held = line;
                break;
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        assert!(held["heard"]["level_dbfs"].as_f64().unwrap() > -40.0, "music, not silence: {held}");
        op.form::<app::model::AgentView>("phone/release", &[("call_id", &call)]).await.unwrap();
        customer_hears(&server, &call, 1000).await;
        op.hang_up(&call).await.unwrap();
    }
}

#[tokio::test]
async fn a_second_window_takes_the_phone_and_the_first_is_told() {
    let server = TestServer::start().await;
    let op = server.signed_in("op1").await;
    op.set_endpoint(Endpoint::Browser).await.unwrap();
    let first = op.softphone(Codec::Opus).await;
    let _second = op.softphone(Codec::Opus).await;
    let restart = op
        .json::<String>("phone/audio/offer", json!({ "connection": first.connection, "restart": true, "sdp": "v=0" }))
        .await;
    assert!(matches!(restart, Err((StatusCode::CONFLICT, AppError::AudioElsewhere))), "{restart:?}");
    let unknown =
        op.json::<String>("phone/audio/offer", json!({ "connection": "never", "restart": true, "sdp": "v=0" })).await;
    assert!(matches!(unknown, Err((StatusCode::CONFLICT, AppError::AudioConnectionGone))), "{unknown:?}");
    let garbage =
        op.json::<String>("phone/audio/offer", json!({ "connection": "new", "restart": false, "sdp": "hello" })).await;
    assert!(matches!(garbage, Err((StatusCode::UNPROCESSABLE_ENTITY, AppError::AudioRefused))), "{garbage:?}");
}

#[tokio::test]
async fn only_browser_agents_connect_and_not_during_a_call() {
    let server = TestServer::start().await;
    let op = server.signed_in("op1").await;
    let offer =
        op.json::<String>("phone/audio/offer", json!({ "connection": "c", "restart": false, "sdp": "v=0" })).await;
    assert!(matches!(offer, Err((StatusCode::FORBIDDEN, AppError::Forbidden))), "{offer:?}");
    op.act(AgentAction::CtiLogin).await.unwrap();
    op.act(AgentAction::Choose(AgentStatus::Ready)).await.unwrap();
    let call = server.customer_calls("+81312345678").await;
    let mut events = op.events().await;
    events.until("offered", |v| v.status == AgentStatus::Ringing).await;
    let during = op.set_endpoint(Endpoint::Browser).await;
    assert!(matches!(during, Err((StatusCode::CONFLICT, AppError::EndpointDuringCall))), "{during:?}");
    op.answer(&call).await.unwrap();
    op.hang_up(&call).await.unwrap();
    let v = op.set_endpoint(Endpoint::Browser).await.unwrap();
    assert_eq!((v.endpoint, v.browser_audio), (Endpoint::Browser, BrowserAudio::Closed));
    // Kept with the user: a restart of the server remembers it.
    let mut server = server;
    server.restart().await;
    let op = server.signed_in("op1").await;
    assert_eq!(op.view().await.unwrap().endpoint, Endpoint::Browser);
}

/// A carrier's customer (baresip through the trunk, saying `CUSTOMER_HZ`) answered by an
/// agent in the browser: each hears the other through ringdesk's relay, G.711 on the
/// trunk and the browser's codec on the other side.
#[tokio::test]
async fn a_trunk_call_is_heard_both_ways_by_an_agent_in_the_browser() {
    use common::floor::{customer_calls, media, ready};
    use common::peers::{self, AGENT_HZ, CUSTOMER_HZ};
    let media = media();
    let server = TestServer::start_sip("127.0.0.1:5060", media.path().into()).await;
    let op = server.signed_in("op1").await;
    let mut events = op.events().await;
    op.set_endpoint(Endpoint::Browser).await.unwrap();
    let phone = op.softphone(Codec::Opus).await;
    phone.hum(Some(AGENT_HZ as u32));
    ready(&op, &mut events).await;
    // No SIP phone is registered: the browser is the agent's phone.
    let v = op.view().await.unwrap();
    assert_eq!((v.browser_audio, v.phone_missing), (BrowserAudio::Ready, false), "{v:?}");

    let tones = tempfile::tempdir().unwrap();
    let customer = customer_calls(&server, tones.path(), 6);
    let offered = events.until_within(10, "offered", |v| v.status == AgentStatus::Ringing).await;
    op.answer(&offered.call.unwrap().call_id).await.unwrap();
    agent_hears(&phone, CUSTOMER_HZ as u32).await;
    let customer_heard = customer.heard_when_done().await;
    assert!(
        peers::windows_of(&customer_heard, AGENT_HZ) >= 4,
        "the customer heard the agent: {:?}",
        peers::heard(&customer_heard, &[CUSTOMER_HZ, AGENT_HZ])
    );
    events.until_within(10, "業務(チケット処理)", |v| v.status == AgentStatus::Wrapup).await;
}
