//! Real calls over SIP (`RINGDESK_TELEPHONY=sip`) with real peers: sipp as the carrier,
//! baresip as an agent's phone and as a customer. Each party sends its own tone; what
//! each heard is recorded and told apart by frequency.

mod common;

use app::domain::{AgentAction, AgentStatus};
use app::model::EndReason;
use common::TestServer;
use common::floor::{Floor, agent_phone, customer_calls, floor, media, ready, registered};
use common::peers::{self, AGENT_HZ, CUSTOMER_HZ, HOLD_MUSIC_HZ, RawSip};
use server::store::demo::{DEMO_PASSWORD, DEMO_SERVICE_NUMBER};

#[tokio::test]
async fn calls_from_outside_the_trunk_and_to_unknown_numbers_are_refused() {
    let media = media();
    // The carrier is 127.0.0.2: this test's client, on 127.0.0.1, is not it.
    let server = TestServer::start_sip("127.0.0.2:5060", media.path().into()).await;
    let sip = server.sip_addr();
    let client = RawSip::new().await;
    let uri = format!("sip:{DEMO_SERVICE_NUMBER}@{sip}");
    client
        .send(
            sip,
            &client.request("INVITE", &uri, "+81312345678", "Content-Type: application/sdp\r\n", &peers::offer(4000)),
        )
        .await;
    assert_eq!(client.final_answer().await.0, 403, "only the trunk may call in");

    let server = TestServer::start_sip("127.0.0.1:5060", media.path().into()).await;
    let sip = server.sip_addr();
    let sdp = "Content-Type: application/sdp\r\n";
    for (number, want) in [("+81399999999", 404), ("alice", 404)] {
        let uri = format!("sip:{number}@{sip}");
        client.send(sip, &client.request("INVITE", &uri, "+81312345678", sdp, &peers::offer(4000))).await;
        assert_eq!(client.final_answer().await.0, want, "{number}");
    }
    // Audio ringdesk cannot relay.
    let g729 = "v=0\r\no=- 1 1 IN IP4 127.0.0.1\r\ns=-\r\nc=IN IP4 127.0.0.1\r\nt=0 0\r\nm=audio 4000 RTP/AVP 18\r\n";
    let uri = format!("sip:{DEMO_SERVICE_NUMBER}@{sip}");
    client.send(sip, &client.request("INVITE", &uri, "+81312345678", sdp, g729)).await;
    assert_eq!(client.final_answer().await.0, 488);

    // Malformed messages are dropped without harm: the server still answers.
    for junk in [&b"\x00\xff\xfe garbage"[..], b"INVITE\r\n\r\n", b"SIP/2.0 200 OK\r\n\r\n", &[b'A'; 60000][..]] {
        client.send_bytes(sip, junk).await;
    }
    client.send(sip, &client.request("OPTIONS", &uri, "probe", "", "")).await;
    assert_eq!(client.final_answer().await.0, 200);
}

#[tokio::test]
async fn a_phone_registers_with_its_cti_id_and_sip_password_and_guessing_is_slowed() {
    let media = media();
    let server = TestServer::start_sip("127.0.0.1:5060", media.path().into()).await;
    let sip = server.sip_addr();
    let client = RawSip::new().await;
    let registrar = format!("sip:{sip}");
    let to = format!("sip:op1@{sip}");
    let register = |auth: &str| client.request("REGISTER", &to, "op1", &format!("Expires: 120\r\n{auth}"), "");
    client.send(sip, &register("")).await;
    let (code, challenge) = client.final_answer().await;
    assert_eq!(code, 401);
    let nonce = challenge.split("nonce=\"").nth(1).and_then(|r| r.split('"').next()).expect("a nonce").to_owned();

    let authorization = |password: &str| {
        use md5::{Digest, Md5};
        let hex = |s: String| Md5::digest(s.as_bytes()).iter().map(|b| format!("{b:02x}")).collect::<String>();
        let ha1 = server::telephony::sip::digest::ha1("op1", password);
        let ha2 = hex(format!("REGISTER:{registrar}"));
        let response = hex(format!("{ha1}:{nonce}:{ha2}"));
        format!(
            "Authorization: Digest username=\"op1\", realm=\"ringdesk\", nonce=\"{nonce}\", uri=\"{registrar}\", response=\"{response}\", algorithm=MD5\r\n"
        )
    };
    client.send(sip, &register(&authorization(DEMO_PASSWORD))).await;
    let (code, ok) = client.final_answer().await;
    assert_eq!(code, 200, "{ok}");
    assert!(ok.contains("expires=120"), "{ok}");

    // Wrong passwords: refused, and after a few the address must wait.
    let mut codes = Vec::new();
    for _ in 0..7 {
        client.send(sip, &register(&authorization("guess"))).await;
        codes.push(client.final_answer().await.0);
    }
    assert_eq!(&codes[..5], &[403; 5]);
    assert!(codes[5..].iter().all(|c| *c == 503), "{codes:?}");
    // Even the right password waits its turn now.
    client.send(sip, &register(&authorization(DEMO_PASSWORD))).await;
    assert_eq!(client.final_answer().await.0, 503);
}

#[tokio::test]
async fn an_agent_without_a_registered_phone_is_not_offered_calls_and_is_told_why() {
    let media = media();
    let server = TestServer::start_sip("127.0.0.1:5060", media.path().into()).await;
    let op1 = server.signed_in("op1").await;
    let mut events = op1.events().await;
    ready(&op1, &mut events).await;
    let v = op1.view().await.unwrap();
    assert!(v.phone_missing);

    let tones = tempfile::tempdir().unwrap();
    let phone = agent_phone(&server, "op1", tones.path(), 60);
    registered(&mut events, &phone).await;
    drop(phone);
}

#[tokio::test]
async fn the_customer_and_the_agent_hear_each_other_and_hold_music_plays_while_held() {
    let Floor { server, op1, mut events, phone, tones, _media } = floor().await;

    // The customer (from the trunk's address) calls the service and hangs up after 8 s.
    let customer = customer_calls(&server, tones.path(), 8);
    // The agent's phone answers at once: that is the agent's 応答.
    let in_call = events.until_within(10, "通話中", |v| v.status == AgentStatus::InCall).await;
    let call_id = in_call.call.clone().expect("the call").call_id;
    let talk = tokio::time::Instant::now();
    // Malformed and stray RTP at every port of the call's range, from a stranger: dropped,
    // and the conversation goes on (checked by what each party heard, below).
    let stranger = tokio::net::UdpSocket::bind("127.0.0.1:0").await.unwrap();
    for port in server.rtp_ports().step_by(2) {
        for junk in [
            &[0u8; 0][..],
            &[0x80],
            &[0xff; 12],
            &[0x80, 0x00, 0, 1, 0, 0, 0, 160, 0, 0, 0, 9, 1, 2, 3][..],
            &[0x41; 1400][..],
        ] {
            let _ = stranger.send_to(junk, ("127.0.0.1", port)).await;
        }
    }
    // Two seconds of talk, then two on hold, then the rest talking until the customer leaves.
    tokio::time::sleep_until(talk + std::time::Duration::from_secs(2)).await;
    op1.form::<app::model::AgentView>("phone/hold", &[("call_id", &call_id)]).await.expect("保留");
    events.until("保留中", |v| v.status == AgentStatus::OnHold).await;
    tokio::time::sleep_until(talk + std::time::Duration::from_secs(4)).await;
    op1.form::<app::model::AgentView>("phone/release", &[("call_id", &call_id)]).await.expect("解除");
    events.until("通話中", |v| v.status == AgentStatus::InCall).await;

    let customer_heard = customer.heard_when_done().await;
    events.until_within(10, "業務(チケット処理)", |v| v.status == AgentStatus::Wrapup).await;
    let agent_heard = phone.heard_now().await;

    assert!(
        peers::windows_of(&agent_heard, CUSTOMER_HZ) >= 8,
        "the agent heard the customer: {:?}",
        peers::heard(&agent_heard, &[CUSTOMER_HZ, AGENT_HZ, HOLD_MUSIC_HZ])
    );
    assert!(
        peers::windows_of(&customer_heard, AGENT_HZ) >= 8,
        "the customer heard the agent: {:?}",
        peers::heard(&customer_heard, &[CUSTOMER_HZ, AGENT_HZ, HOLD_MUSIC_HZ])
    );
    assert!(
        peers::windows_of(&customer_heard, HOLD_MUSIC_HZ) >= 4,
        "the customer heard hold music: {:?}",
        peers::heard(&customer_heard, &[CUSTOMER_HZ, AGENT_HZ, HOLD_MUSIC_HZ])
    );
    assert_eq!(peers::windows_of(&agent_heard, HOLD_MUSIC_HZ), 0, "the agent never hears the hold music");

    let (state, reason, _, ended) = server.call_record(&call_id).await;
    assert_eq!((state.as_str(), reason.as_deref()), ("ended", Some("customer_hangup")));
    assert!(ended.is_some());
    let ticket = in_call.call.as_ref().and_then(|c| c.ticket_id);
    let _ = (ticket, EndReason::CustomerHangup);
}

#[tokio::test]
async fn a_carrier_call_that_gives_up_while_waiting_is_abandoned() {
    let media = media();
    let server = TestServer::start_sip("127.0.0.1:5060", media.path().into()).await;
    let work = tempfile::tempdir().unwrap();
    let (ok, out) = peers::sipp("cancel.xml", server.sip_addr(), work.path(), &["-s", DEMO_SERVICE_NUMBER]).await;
    assert!(ok, "sipp: {out}");
    let db = server.db().await;
    use sea_orm::{ConnectionTrait, Statement};
    // The CANCEL is answered before routing records it: wait for the record, not a time.
    let deadline = tokio::time::Instant::now() + std::time::Duration::from_secs(10);
    let reason = loop {
        let row = db
            .query_one_raw(Statement::from_string(db.get_database_backend(), "SELECT end_reason FROM calls"))
            .await
            .unwrap()
            .expect("the call was recorded");
        match row.try_get::<Option<String>>("", "end_reason").unwrap() {
            Some(reason) => break reason,
            None if tokio::time::Instant::now() < deadline => {
                tokio::time::sleep(std::time::Duration::from_millis(50)).await
            }
            None => panic!("the call was never ended"),
        }
    };
    assert_eq!(reason, "abandoned");
}

#[tokio::test]
async fn a_carrier_call_is_answered_on_the_agents_phone_and_the_agent_hears_it() {
    let Floor { server, op1, mut events, phone, tones: _tones, _media } = floor().await;

    let work = tempfile::tempdir().unwrap();
    peers::ulaw_tone(work.path(), "customer.wav", CUSTOMER_HZ, 10);
    let (ok, out) = peers::sipp(
        "call.xml",
        server.sip_addr(),
        work.path(),
        &["-s", DEMO_SERVICE_NUMBER, "-d", "4000", "-mp", &peers::free_port().to_string()],
    )
    .await;
    assert!(ok, "sipp: {out}");
    events.until_within(10, "業務(チケット処理)", |v| v.status == AgentStatus::Wrapup).await;
    drop(op1);
    let agent_heard = phone.heard_now().await;
    assert!(
        peers::windows_of(&agent_heard, CUSTOMER_HZ) >= 6,
        "the agent heard the carrier's caller: {:?}",
        peers::heard(&agent_heard, &[CUSTOMER_HZ, AGENT_HZ])
    );
}

#[tokio::test]
async fn a_forced_termination_speaks_the_guidance_to_the_customer_then_ends_the_call() {
    let Floor { server, op1, mut events, phone, tones, _media } = floor().await;
    // The customer would stay 30 s: the guidance and the end must come first.
    let customer = customer_calls(&server, tones.path(), 30);
    let in_call = events.until_within(10, "通話中", |v| v.status == AgentStatus::InCall).await;
    let call_id = in_call.call.clone().expect("the call").call_id;
    let message = "これ以上の通話は続けられませんので、終了させていただきます。";
    // A moment of conversation first, so that the guidance follows the agent's voice.
    customer.until_log("Call established", 10).await;
    tokio::time::sleep(std::time::Duration::from_millis(1500)).await;
    op1.json::<app::model::AgentView>("phone/force-end", serde_json::json!({ "call_id": call_id, "message": message }))
        .await
        .expect("強制終了");
    // ringdesk ends the call once the guidance has played (the customer would stay 30 s).
    customer.until_log("session closed", 20).await;
    let heard = customer.heard_now().await;
    let _ = phone.heard_now().await;
    // After the agent's tone: speech, loud and in none of the test tones, for seconds.
    let windows = peers::heard(&heard, &[CUSTOMER_HZ, AGENT_HZ, HOLD_MUSIC_HZ]);
    let last_agent = windows.iter().rposition(|w| *w == Some(AGENT_HZ)).expect("the customer heard the agent first");
    let after: Vec<&[i16]> = heard.chunks(2000).skip(last_agent + 1).collect();
    let spoken = after.iter().filter(|w| peers::loudness(w) > 300.0).count();
    assert!(spoken >= 8, "about 4 s of the guidance heard, got {spoken} windows of 250 ms");
    let (state, reason, _, _) = server.call_record(&call_id).await;
    assert_eq!((state.as_str(), reason.as_deref()), ("ended", Some("force_terminated")));
}

#[tokio::test]
async fn an_outbound_call_goes_through_the_trunk_with_the_caller_number_and_each_outcome_is_told() {
    let media = media();
    let carrier_port = peers::free_port();
    let server = TestServer::start_sip(&format!("127.0.0.1:{carrier_port}"), media.path().into()).await;
    let op1 = server.signed_in("op1").await;
    let mut events = op1.events().await;
    op1.act(AgentAction::CtiLogin).await.unwrap();
    let tones = tempfile::tempdir().unwrap();
    let phone = agent_phone(&server, "op1", tones.path(), 90);
    registered(&mut events, &phone).await;

    // Answered: the agent's phone is called first, then the customer, who is heard.
    let work = tempfile::tempdir().unwrap();
    peers::ulaw_tone(work.path(), "customer.wav", CUSTOMER_HZ, 20);
    let carrier =
        peers::sipp_serve("answer.xml", carrier_port, work.path(), &["-key", "caller_id", "+81350000001"]).await;
    let dialled = op1.dial("03-1234-5678", "+81350000001").await.expect("かける");
    events.until_within(10, "通話中", |v| v.status == AgentStatus::InCall).await;
    tokio::time::sleep(std::time::Duration::from_secs(2)).await;
    op1.hang_up(&dialled.call_id).await.expect("終話");
    let (ok, out) = carrier.await.unwrap();
    assert!(ok, "the carrier saw the caller number in From and P-Asserted-Identity, and a BYE: {out}");
    phone.until_log("session closed", 10).await;
    let heard = phone.recorded();
    assert!(
        peers::windows_of(&heard, CUSTOMER_HZ) >= 4,
        "the agent heard the customer they called: {:?}",
        peers::heard(&heard, &[CUSTOMER_HZ, AGENT_HZ])
    );

    // Busy, no answer, refused: the agent is told, and is back where they dialled from.
    for (code, outcome) in [("486", EndReason::Busy), ("480", EndReason::NoAnswer), ("603", EndReason::Rejected)] {
        let work = tempfile::tempdir().unwrap();
        let scenario = peers::refusal(work.path(), code);
        let carrier = peers::sipp_serve(&scenario, carrier_port, work.path(), &[]).await;
        let before = op1.view().await.unwrap().status;
        op1.dial("03-1234-5678", "+81350000001").await.expect("かける");
        let back = events.until_within(10, code, |v| v.last_outcome == Some(outcome)).await;
        assert_eq!(back.status, before);
        let (ok, out) = carrier.await.unwrap();
        assert!(ok, "{code}: {out}");
    }
    drop(phone);
}

#[tokio::test]
async fn calls_up_when_the_server_stops_are_ended_with_a_bye_when_it_starts_again() {
    let Floor { mut server, op1: _, mut events, phone, tones, _media } = floor().await;
    let customer = customer_calls(&server, tones.path(), 60);
    let in_call = events.until_within(10, "通話中", |v| v.status == AgentStatus::InCall).await;
    let call_id = in_call.call.clone().expect("the call").call_id;
    // Both dialogs (the carrier's and the agent's phone's) are kept once they are up.
    let db_url = server.db_url.clone();
    let kept = move || {
        let db_url = db_url.clone();
        async move {
            use sea_orm::{ConnectionTrait, Statement};
            let db = sea_orm::Database::connect(&db_url).await.unwrap();
            let row = db
                .query_one_raw(Statement::from_string(
                    db.get_database_backend(),
                    "SELECT COUNT(*) AS n FROM sip_dialogs",
                ))
                .await
                .unwrap()
                .unwrap();
            row.try_get::<i64>("", "n").unwrap()
        }
    };
    for _ in 0..100 {
        if kept().await == 2 {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    assert_eq!(kept().await, 2);

    // Stopped without ending anything, as a crash would; the next start ends both.
    server.restart().await;
    customer.until_log("session closed", 15).await;
    phone.until_log("session closed", 15).await;
    let (state, reason, _, _) = server.call_record(&call_id).await;
    assert_eq!((state.as_str(), reason.as_deref()), ("ended", Some("server_restart")));
    assert_eq!(kept().await, 0);
}

#[tokio::test]
async fn with_answer_waiting_the_caller_is_answered_at_once_and_hears_hold_music_until_an_agent_takes_the_call() {
    let media = media();
    let mut server = TestServer::start_sip("127.0.0.1:5060", media.path().into()).await;
    server.set_cti_settings("answer_waiting = 1").await;
    let op1 = server.signed_in("op1").await;
    let mut events = op1.events().await;
    // Logged in but 業務: nobody takes the call yet.
    op1.act(AgentAction::CtiLogin).await.unwrap();
    let tones = tempfile::tempdir().unwrap();
    let phone = agent_phone(&server, "op1", tones.path(), 60);
    registered(&mut events, &phone).await;

    let customer = customer_calls(&server, tones.path(), 10);
    // Answered although no agent is free: carriers do not give up on an answered call.
    customer.until_log("Call established", 10).await;
    tokio::time::sleep(std::time::Duration::from_secs(3)).await;
    op1.act(AgentAction::Choose(AgentStatus::Ready)).await.unwrap();
    let in_call = events.until_within(10, "通話中", |v| v.status == AgentStatus::InCall).await;
    let call_id = in_call.call.clone().expect("the call").call_id;

    let heard = customer.heard_when_done().await;
    let windows = peers::heard(&heard, &[CUSTOMER_HZ, AGENT_HZ, HOLD_MUSIC_HZ]);
    let first_agent = windows.iter().position(|w| *w == Some(AGENT_HZ)).expect("the customer heard the agent");
    let music_before = windows[..first_agent].iter().filter(|w| **w == Some(HOLD_MUSIC_HZ)).count();
    assert!(music_before >= 8, "hold music while waiting: {windows:?}");
    assert!(
        windows[first_agent..].iter().filter(|w| **w == Some(AGENT_HZ)).count() >= 4,
        "then the agent: {windows:?}"
    );
    assert_eq!(
        windows[first_agent..].iter().filter(|w| **w == Some(HOLD_MUSIC_HZ)).count(),
        0,
        "no music once answered: {windows:?}"
    );
    events.until_within(10, "業務(チケット処理)", |v| v.status == AgentStatus::Wrapup).await;
    let (state, reason, _, _) = server.call_record(&call_id).await;
    assert_eq!((state.as_str(), reason.as_deref()), ("ended", Some("customer_hangup")));
    drop(phone);
}

#[tokio::test]
async fn a_carrier_calling_from_elsewhere_is_let_in_by_its_digest_credentials_only() {
    let media = media();
    let server = TestServer::start_sip_with("127.0.0.2:5060", media.path().into(), |c| {
        c.trunk_credentials = Some(("carrier-user".into(), "carrier-secret".into()));
    })
    .await;
    let sip = server.sip_addr();
    let client = RawSip::new().await;
    let uri = format!("sip:{DEMO_SERVICE_NUMBER}@{sip}");
    let invite = |auth: &str| {
        client.request(
            "INVITE",
            &uri,
            "+81312345678",
            &format!("Content-Type: application/sdp\r\n{auth}"),
            &peers::offer(4000),
        )
    };
    client.send(sip, &invite("")).await;
    let (code, challenge) = client.final_answer().await;
    assert_eq!(code, 401, "challenged, not refused: {challenge}");
    let nonce = challenge.split("nonce=\"").nth(1).and_then(|r| r.split('"').next()).expect("a nonce").to_owned();
    let authorization = |password: &str| {
        use md5::{Digest, Md5};
        let hex = |s: String| Md5::digest(s.as_bytes()).iter().map(|b| format!("{b:02x}")).collect::<String>();
        let ha1 = server::telephony::sip::digest::ha1("carrier-user", password);
        let response = hex(format!("{ha1}:{nonce}:{}", hex(format!("INVITE:{uri}"))));
        format!(
            "Authorization: Digest username=\"carrier-user\", realm=\"ringdesk\", nonce=\"{nonce}\", uri=\"{uri}\", response=\"{response}\"\r\n"
        )
    };
    client.send(sip, &invite(&authorization("guess"))).await;
    assert_eq!(client.final_answer().await.0, 403, "wrong credentials");
    // The right ones: the call is queued and rings (no agent is ready: it waits).
    client.send(sip, &invite(&authorization("carrier-secret"))).await;
    let ringing = client.next_answer().await;
    assert!(ringing.starts_with("SIP/2.0 100") || ringing.starts_with("SIP/2.0 180"), "{ringing}");
}

#[tokio::test]
async fn ringdesk_registers_with_a_carrier_that_wants_it_using_its_credentials() {
    let media = media();
    let carrier_port = peers::free_port();
    let work = tempfile::tempdir().unwrap();
    let registrar = peers::sipp_serve("registrar.xml", carrier_port, work.path(), &[]).await;
    let _server = TestServer::start_sip_with(&format!("127.0.0.1:{carrier_port}"), media.path().into(), |c| {
        c.trunk_credentials = Some(("carrier-user".into(), "carrier-secret".into()));
        c.trunk_register = true;
    })
    .await;
    let (ok, out) = registrar.await.unwrap();
    assert!(ok, "the carrier saw a REGISTER answer its challenge with ringdesk's credentials: {out}");
}

#[tokio::test]
async fn cti_settings_says_the_phones_are_on_sip() {
    let media = media();
    let server = TestServer::start_sip("127.0.0.1:5060", media.path().into()).await;
    let admin = server.signed_in("admin").await;
    let page = admin.get("/admin/cti/settings").await.text().await.unwrap();
    assert!(page.contains("SIP（キャリアの回線とオペレーターの電話機）"), "the 電話システム section");
    assert!(!page.contains("内蔵シミュレーター"));
}

#[tokio::test]
async fn a_held_customer_hears_the_hold_music_the_tenant_uploaded() {
    let Floor { server, op1, mut events, phone, tones, _media } = floor().await;
    // The tenant admin uploads two seconds of 880 Hz and chooses it.
    let admin = server.signed_in("admin").await;
    let samples: Vec<u8> = (0..16000)
        .map(|i| ((i as f32 * peers::OWN_MUSIC_HZ * std::f32::consts::TAU / 8000.0).sin() * 12000.0) as i16)
        .flat_map(i16::to_le_bytes)
        .collect();
    let _: app::model::HoldMusicFile =
        admin.postcard("admin/hold-music/upload", &("ours.wav", samples)).await.expect("uploaded");
    let mut settings: app::domain::CtiSettings = admin.form("admin/cti-settings", &[]).await.unwrap();
    settings.hold_music = "own".into();
    let _: app::domain::CtiSettings =
        admin.json("admin/cti-settings/save", serde_json::json!({ "settings": settings })).await.unwrap();

    let customer = customer_calls(&server, tones.path(), 9);
    let in_call = events.until_within(10, "通話中", |v| v.status == AgentStatus::InCall).await;
    let call_id = in_call.call.expect("the call").call_id;
    customer.until_log("Call established", 10).await;
    tokio::time::sleep(std::time::Duration::from_secs(2)).await;
    op1.form::<app::model::AgentView>("phone/hold", &[("call_id", &call_id)]).await.expect("保留");
    tokio::time::sleep(std::time::Duration::from_secs(3)).await;
    op1.form::<app::model::AgentView>("phone/release", &[("call_id", &call_id)]).await.expect("解除");

    let heard = customer.heard_when_done().await;
    drop(phone);
    let windows = peers::heard(&heard, &[CUSTOMER_HZ, AGENT_HZ, HOLD_MUSIC_HZ, peers::OWN_MUSIC_HZ]);
    assert!(
        peers::windows_of(&heard, peers::OWN_MUSIC_HZ) >= 8,
        "the customer heard the tenant's own music: {windows:?}"
    );
    assert_eq!(peers::windows_of(&heard, HOLD_MUSIC_HZ), 0, "not the built-in one");
}

#[tokio::test]
async fn keys_the_customer_presses_reach_the_agents_phone_as_rfc_4733_events() {
    let Floor { server, op1: _op1, mut events, phone, tones: _tones, _media } = floor().await;
    let work = tempfile::tempdir().unwrap();
    let (ok, out) = peers::sipp(
        "dtmf.xml",
        server.sip_addr(),
        work.path(),
        &["-s", DEMO_SERVICE_NUMBER, "-mp", &peers::free_port().to_string()],
    )
    .await;
    assert!(ok, "sipp: {out}");
    events.until_within(10, "業務(チケット処理)", |v| v.status == AgentStatus::Wrapup).await;
    phone.until_log("session closed", 10).await;
    // baresip logs each telephone-event it receives: the keys arrive, in order.
    let log = phone.log();
    let keys: Vec<&str> =
        log.lines().filter_map(|l| l.split("received event: '").nth(1)).filter_map(|k| k.get(..1)).collect();
    let mut pressed = keys.clone();
    pressed.dedup();
    assert_eq!(pressed, ["1", "4", "9"], "the agent's phone received the keys: {log}");
}
