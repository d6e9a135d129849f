//! A floor of agents with SIP phones: what the SIP tests start from.

use app::domain::{AgentAction, AgentStatus};
use server::store::demo::{DEMO_PASSWORD, DEMO_SERVICE_NUMBER};

use super::peers::{self, AGENT_HZ, Baresip, CUSTOMER_HZ, HOLD_MUSIC_HZ};
use super::{Client, Events, TestServer};

/// A SIP server with op1 待機 and their phone (baresip) registered, answering at once.
pub struct Floor {
    pub server: TestServer,
    pub op1: Client,
    pub events: Events,
    pub phone: Baresip,
    /// Where the parties' tones are.
    pub tones: tempfile::TempDir,
    pub _media: tempfile::TempDir,
}

pub async fn floor() -> Floor {
    floor_on_trunk("127.0.0.1:5060").await
}

/// The same, with the carrier at `trunk`.
pub async fn floor_on_trunk(trunk: &str) -> Floor {
    let media = media();
    let server = TestServer::start_sip(trunk, media.path().into()).await;
    let op1 = server.signed_in("op1").await;
    let mut events = op1.events().await;
    ready(&op1, &mut events).await;
    let tones = tempfile::tempdir().unwrap();
    let phone = agent_phone(&server, "op1", tones.path(), 60);
    registered(&mut events, &phone).await;
    Floor { server, op1, events, phone, tones, _media: media }
}

/// A customer calling the demo service from the trunk's address (baresip, saying
/// `CUSTOMER_HZ`), who hangs up after `secs`.
pub fn customer_calls(server: &TestServer, tones: &std::path::Path, secs: u32) -> Baresip {
    let sip = server.sip_addr();
    Baresip::start(
        "<sip:+81312345678@127.0.0.1>;regint=0",
        &peers::tone(tones, "customer.wav", CUSTOMER_HZ, 60),
        &[format!("/dial sip:{DEMO_SERVICE_NUMBER}@{sip}")],
        secs,
    )
}

/// A media folder whose hold music is a 660 Hz tone.
pub fn media() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    peers::tone(dir.path(), "hold-classic.wav", HOLD_MUSIC_HZ, 30);
    dir
}

pub async fn ready(c: &Client, events: &mut Events) {
    c.act(AgentAction::CtiLogin).await.unwrap();
    c.act(AgentAction::Choose(AgentStatus::Ready)).await.unwrap();
    events.until("待機", |v| v.status == AgentStatus::Ready).await;
}

/// baresip registered as `cti_id`'s phone, answering at once and saying `AGENT_HZ`.
pub fn agent_phone(server: &TestServer, cti_id: &str, tones: &std::path::Path, quit_after: u32) -> Baresip {
    phone_saying(server, cti_id, AGENT_HZ, tones, quit_after)
}

/// baresip registered as `cti_id`'s phone, answering at once and saying `hz`.
pub fn phone_saying(server: &TestServer, cti_id: &str, hz: f32, tones: &std::path::Path, quit_after: u32) -> Baresip {
    let sip = server.sip_addr();
    let account =
        format!("<sip:{cti_id}@{sip}>;auth_pass={DEMO_PASSWORD};answermode=auto;regint=60;outbound=\"sip:{sip}\"");
    Baresip::start(&account, &peers::tone(tones, &format!("{cti_id}.wav"), hz, 60), &[], quit_after)
}

/// A number outside as the carrier would reach it (baresip at its own address, standing
/// for the trunk), answering at once and saying `OUTSIDE_HZ`. Its account is the E.164
/// number `number`, which is what ringdesk dials.
pub fn outside_party(number: &str, tones: &std::path::Path, quit_after: u32) -> Baresip {
    Baresip::start(
        &format!("<sip:{number}@127.0.0.1>;regint=0;answermode=auto"),
        &peers::tone(tones, "outside.wav", peers::OUTSIDE_HZ, 60),
        &[],
        quit_after,
    )
}

/// Waits for `phone` to register (the agent's view says so), at most 30 s; if it does
/// not, fails with what baresip said.
pub async fn registered(events: &mut Events, phone: &Baresip) {
    if events.try_until_within(30, |v| !v.phone_missing).await.is_none() {
        panic!("the phone did not register within 30 s; its log:\n{}", phone.log());
    }
}
