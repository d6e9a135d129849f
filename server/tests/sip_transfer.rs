//! Transfers over SIP (F12, F13) with real peers: baresip as the customer, as the
//! agents' phones and as a number outside. Each says its own tone, and what each heard
//! is told apart by frequency: the customer hears the agent, then hold music during the
//! consult, then whoever took the call.

mod common;

use std::time::Duration;

use app::domain::AgentStatus;
use app::model::{AgentView, ReadyColleague};
use common::Client;
use common::floor::{Floor, customer_calls, floor, floor_on_trunk, outside_party, phone_saying, ready, registered};
use common::peers::{self, AGENT_HZ, COLLEAGUE_HZ, CUSTOMER_HZ, HOLD_MUSIC_HZ, OUTSIDE_HZ};
use serde_json::json;

const EVERY_TONE: [f32; 5] = [CUSTOMER_HZ, AGENT_HZ, HOLD_MUSIC_HZ, OUTSIDE_HZ, COLLEAGUE_HZ];

async fn consult(c: &Client, call_id: &str, target: serde_json::Value) -> AgentView {
    c.json("phone/consult", json!({ "call_id": call_id, "target": target })).await.expect("協議通話")
}

async fn step(c: &Client, endpoint: &str, call_id: &str) -> AgentView {
    c.form(endpoint, &[("call_id", call_id)]).await.unwrap_or_else(|e| panic!("{endpoint}: {e:?}"))
}

fn consult_answered(v: &AgentView) -> bool {
    v.call.as_ref().and_then(|c| c.consult.as_ref()).is_some_and(|c| c.answered)
}

/// The 250 ms windows in which `hz` was heard, by position.
fn windows(samples: &[i16], hz: f32) -> Vec<usize> {
    peers::heard(samples, &EVERY_TONE).iter().enumerate().filter(|(_, w)| **w == Some(hz)).map(|(i, _)| i).collect()
}

#[tokio::test]
async fn a_colleague_answers_the_consult_on_their_phone_and_takes_the_customer_over() {
    let Floor { server, op1, mut events, phone, tones, _media } = floor().await;
    // The customer stays 16 s: talk, consult, then the colleague.
    let customer = customer_calls(&server, tones.path(), 16);
    let in_call = events.until_within(10, "通話中", |v| v.status == AgentStatus::InCall).await;
    let call_id = in_call.call.expect("the call").call_id;

    // op2 is 待機 with their own phone, saying its own tone.
    let op2 = server.signed_in("op2").await;
    let mut op2_events = op2.events().await;
    ready(&op2, &mut op2_events).await;
    let colleague = phone_saying(&server, "op2", COLLEAGUE_HZ, tones.path(), 60);
    registered(&mut op2_events, &colleague).await;
    customer.until_log("Call established", 10).await;
    tokio::time::sleep(Duration::from_secs(2)).await;

    let colleagues: Vec<ReadyColleague> = op1.form("phone/ready-colleagues", &[]).await.unwrap();
    let op2_id = colleagues.iter().find(|c| c.cti_number.as_deref() == Some("2002")).expect("op2 is listed").user_id;
    let consulting = consult(&op1, &call_id, json!({ "kind": "agent", "user_id": op2_id })).await;
    assert_eq!(consulting.status, AgentStatus::Consulting);
    // op2's phone answers at once: that is op2's 応答, and the two agents talk.
    events.until_within(10, "the colleague is on the line", consult_answered).await;
    tokio::time::sleep(Duration::from_secs(3)).await;

    let done = step(&op1, "phone/connect-customer", &call_id).await;
    assert_eq!(done.status, AgentStatus::Wrapup);
    let now = op2_events.until("op2 holds the call", |v| v.call.as_ref().is_some_and(|c| c.call_id == call_id)).await;
    assert_eq!(now.status, AgentStatus::InCall);
    // The first agent's phone is let go.
    phone.until_log("session closed", 10).await;
    let agent_heard = phone.heard_now().await;

    let customer_heard = customer.heard_when_done().await;
    op2_events.until_within(10, "op2's 業務(チケット処理)", |v| v.status == AgentStatus::Wrapup).await;
    let colleague_heard = colleague.heard_now().await;

    let tones_of = |s: &[i16]| peers::heard(s, &EVERY_TONE);
    let (agent, music, other) = (
        windows(&customer_heard, AGENT_HZ),
        windows(&customer_heard, HOLD_MUSIC_HZ),
        windows(&customer_heard, COLLEAGUE_HZ),
    );
    assert!(
        agent.len() >= 4 && music.len() >= 6 && other.len() >= 8,
        "the customer heard the agent, hold music, then the colleague: {:?}",
        tones_of(&customer_heard)
    );
    assert!(
        agent.iter().max() < music.iter().min() && music.iter().max() < other.iter().min(),
        "in that order: {:?}",
        tones_of(&customer_heard)
    );
    assert!(
        windows(&agent_heard, COLLEAGUE_HZ).len() >= 6,
        "the agent heard the colleague during the consult: {:?}",
        tones_of(&agent_heard)
    );
    assert!(windows(&agent_heard, HOLD_MUSIC_HZ).is_empty(), "the agent never hears the hold music");
    assert!(
        windows(&colleague_heard, AGENT_HZ).len() >= 6,
        "the colleague heard the agent: {:?}",
        tones_of(&colleague_heard)
    );
    assert!(
        windows(&colleague_heard, CUSTOMER_HZ).len() >= 8,
        "the colleague heard the customer: {:?}",
        tones_of(&colleague_heard)
    );

    let (state, reason, _, _) = server.call_record(&call_id).await;
    assert_eq!((state.as_str(), reason.as_deref()), ("ended", Some("customer_hangup")));
}

#[tokio::test]
async fn a_consult_outside_goes_through_the_trunk_is_cancelled_then_joined_to_the_customer() {
    const OUTSIDE: &str = "+81355550000";
    let tones = tempfile::tempdir().unwrap();
    // The number outside, reached through the trunk: the carrier is at its address.
    let outside = outside_party(OUTSIDE, tones.path(), 60);
    let Floor { server, op1, mut events, phone, tones: floor_tones, _media } =
        floor_on_trunk(&format!("127.0.0.1:{}", outside.sip_port)).await;
    let customer = customer_calls(&server, floor_tones.path(), 22);
    let in_call = events.until_within(10, "通話中", |v| v.status == AgentStatus::InCall).await;
    let call_id = in_call.call.expect("the call").call_id;
    customer.until_log("Call established", 10).await;
    tokio::time::sleep(Duration::from_secs(2)).await;

    // A first consult, cancelled: the agent is back, the customer still on hold.
    consult(&op1, &call_id, json!({ "kind": "number", "number": OUTSIDE })).await;
    events.until_within(10, "the number outside answered", consult_answered).await;
    tokio::time::sleep(Duration::from_secs(2)).await;
    let back = step(&op1, "phone/cancel-consult", &call_id).await;
    assert_eq!(back.status, AgentStatus::OnHold);
    outside.until_log("session closed", 10).await;
    step(&op1, "phone/release", &call_id).await;
    tokio::time::sleep(Duration::from_secs(2)).await;

    // A second, joined to the customer: the call leaves ringdesk, the audio goes on.
    consult(&op1, &call_id, json!({ "kind": "number", "number": OUTSIDE })).await;
    events.until_within(10, "the number outside answered again", consult_answered).await;
    tokio::time::sleep(Duration::from_secs(1)).await;
    let done = step(&op1, "phone/connect-customer", &call_id).await;
    assert_eq!(done.status, AgentStatus::Wrapup);
    phone.until_log("session closed", 10).await;
    let agent_heard = phone.heard_now().await;

    // The customer hangs up in the end; the number outside is let go with them.
    let customer_heard = customer.heard_when_done().await;
    let outside_log = || outside.log().matches("session closed").count();
    for _ in 0..100 {
        if outside_log() >= 2 {
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    assert_eq!(outside_log(), 2, "the number outside was let go when the customer hung up: {}", outside.log());
    let outside_heard = outside.heard_now().await;

    let tones_of = |s: &[i16]| peers::heard(s, &EVERY_TONE);
    let (agent, target) = (windows(&customer_heard, AGENT_HZ), windows(&customer_heard, OUTSIDE_HZ));
    assert!(
        windows(&customer_heard, HOLD_MUSIC_HZ).len() >= 6,
        "the customer was on hold during the consults: {:?}",
        tones_of(&customer_heard)
    );
    assert!(
        agent.len() >= 10 && target.len() >= 8,
        "the customer heard the agent, then the number outside: {:?}",
        tones_of(&customer_heard)
    );
    assert!(
        agent.iter().max() < target.iter().min(),
        "the agent before the number outside: {:?}",
        tones_of(&customer_heard)
    );
    assert!(
        windows(&agent_heard, OUTSIDE_HZ).len() >= 8,
        "the agent heard the number outside on both consults: {:?}",
        tones_of(&agent_heard)
    );
    // baresip keeps its longest call's recording: the second, joined to the customer.
    assert!(
        windows(&outside_heard, CUSTOMER_HZ).len() >= 8,
        "the number outside heard the customer: {:?}",
        tones_of(&outside_heard)
    );

    let (state, reason, _, _) = server.call_record(&call_id).await;
    assert_eq!((state.as_str(), reason.as_deref()), ("ended", Some("transferred")));
}
