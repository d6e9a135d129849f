//! Two instances on one PostgreSQL, talking over NATS (`RINGDESK_CLUSTER`): whichever
//! instance a request reaches serves it. One instance routes the demo tenant (it holds
//! the lease); the other sends its agents' commands there, and shows their phones and
//! the board from what the routing instance tells every instance.

mod common;

use std::time::Duration;

use app::domain::{AgentAction, AgentStatus};
use common::TestServer;
use server::config::Role;

/// The default lease: shorter ones ran out while six three-process clusters shared two
/// busy cores, and the instance a test took for the owner no longer was.
const LEASE: Duration = Duration::from_secs(2);

async fn routed(server: &TestServer) -> Vec<i64> {
    let health: serde_json::Value = reqwest::get(format!("{}/health", server.url)).await.unwrap().json().await.unwrap();
    health["routing"]["tenants"].as_array().unwrap().iter().filter_map(|t| t.as_i64()).collect()
}

/// The two instances, the one routing the demo tenant first.
async fn two_instances() -> (TestServer, TestServer, i64) {
    let a = TestServer::start_cluster("a", None, LEASE).await;
    let b = TestServer::start_cluster("b", Some(a.db_url.clone()), LEASE).await;
    routing_first(a, b).await
}

/// `a` and `b`, the one routing the demo tenant first, once one does; and the tenant.
async fn routing_first(a: TestServer, b: TestServer) -> (TestServer, TestServer, i64) {
    let demo = {
        use sea_orm::{ConnectionTrait, Statement};
        let db = a.db().await;
        let sql = "SELECT tenant_id FROM services WHERE inbound_number = '+81350000000'";
        let row = db.query_one_raw(Statement::from_string(db.get_database_backend(), sql)).await.unwrap().unwrap();
        i64::from(row.try_get_by_index::<i32>(0).unwrap())
    };
    let deadline = std::time::Instant::now() + Duration::from_secs(15);
    loop {
        if routed(&a).await.contains(&demo) {
            return (a, b, demo);
        }
        if routed(&b).await.contains(&demo) {
            return (b, a, demo);
        }
        assert!(std::time::Instant::now() < deadline, "no instance routes the demo tenant");
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}

#[tokio::test]
async fn an_agent_works_through_the_instance_that_does_not_route_their_tenant() {
    let (routing, other, demo) = two_instances().await;
    assert!(!routed(&other).await.contains(&demo), "one instance routes a tenant");

    // op1 works through the other instance; the manager watches the board there too.
    let op1 = other.signed_in("op1").await;
    let mut events = op1.events().await;
    let mut board = other.signed_in("manager").await.board().await.unwrap();
    board.until("the floor, told by the routing instance", |b| b.agents.len() == 3).await;

    assert_eq!(op1.act(AgentAction::CtiLogin).await.unwrap().status, AgentStatus::Busy);
    assert_eq!(op1.act(AgentAction::Choose(AgentStatus::Ready)).await.unwrap().status, AgentStatus::Ready);
    events.until("待機 on the stream", |v| v.status == AgentStatus::Ready).await;
    board.until("佐藤 花子 待機 on the board", |b| b.agent("佐藤 花子").status == AgentStatus::Ready).await;

    // The routing instance has the same: one state, wherever it is read.
    let same = routing.signed_in("op1").await;
    assert_eq!(same.view().await.unwrap().status, AgentStatus::Ready);
}

#[tokio::test]
async fn when_the_routing_instance_stops_the_other_takes_the_tenant_and_its_agents_carry_on() {
    let (routing, other, demo) = two_instances().await;
    // op1 has their phone open on the instance left; op2 works without one.
    let op1 = other.signed_in("op1").await;
    let _phone = op1.events().await;
    op1.act(AgentAction::CtiLogin).await.unwrap();
    op1.act(AgentAction::Choose(AgentStatus::Ready)).await.unwrap();
    let op2 = other.signed_in("op2").await;
    op2.act(AgentAction::CtiLogin).await.unwrap();
    // Whoever routes the tenant next reads 離席とみなすまで as one second.
    {
        use sea_orm::ConnectionTrait;
        routing.db().await.execute_unprepared("UPDATE cti_settings SET away_after_secs = 1").await.unwrap();
    }

    routing.stop().await;
    // At once, while no instance routes the tenant yet: the action waits for the one
    // that takes it over instead of failing, and the status recorded before stays.
    assert_eq!(op1.act(AgentAction::Choose(AgentStatus::Busy)).await.unwrap().status, AgentStatus::Busy);
    assert!(routed(&other).await.contains(&demo), "the instance left routes the tenant");

    // The new routing read the agents with no widget open; the instance left told it
    // op1's: once op2, without one, is away, op1 still is not.
    let deadline = std::time::Instant::now() + Duration::from_secs(15);
    while !op2.view().await.unwrap().away {
        assert!(std::time::Instant::now() < deadline, "op2 never counted away");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    assert!(!op1.view().await.unwrap().away, "op1's open phone was not told to the new routing");
}

/// How the simulated customer's line is now (`/sim/calls/{id}`): its state, and who
/// ended it.
async fn line(phones: &TestServer, call: &str) -> (String, Option<String>) {
    let (status, line) = phones.sim(reqwest::Method::GET, &format!("/sim/calls/{call}"), None).await;
    assert_eq!(status, reqwest::StatusCode::OK, "the line {call}: {line}");
    (line["state"].as_str().unwrap().to_owned(), line["ended_by"].as_str().map(str::to_owned))
}

#[tokio::test]
async fn a_call_the_telephone_systems_own_process_holds_carries_on_when_its_routing_instance_stops() {
    // An instance routes a tenant once it has asked the telephone system which calls
    // are up: the telephone system's process starts before the instances route.
    let a = TestServer::start_in_cluster("a", None, LEASE, Role::Web).await;
    let phones = TestServer::start_in_cluster("phones", Some(a.db_url.clone()), LEASE, Role::Telephony).await;
    let b = TestServer::start_in_cluster("b", Some(a.db_url.clone()), LEASE, Role::Web).await;
    let (routing, other, demo) = routing_first(a, b).await;
    let op1 = other.signed_in("op1").await;
    let mut events = op1.events().await;
    op1.act(AgentAction::CtiLogin).await.unwrap();
    op1.act(AgentAction::Choose(AgentStatus::Ready)).await.unwrap();

    // The customer calls the telephone system's process, which sends the call to the
    // instance routing the tenant; the offer reaches op1 on the other instance.
    let call = phones.customer_calls("+819011112222").await;
    events.until("the call rings at op1", |v| v.status == AgentStatus::Ringing).await;
    op1.answer(&call).await.unwrap();
    assert_eq!(line(&phones, &call).await.0, "connected");

    // The routing instance goes; the other takes the tenant over and carries the call
    // on: op1 still talks to the customer, whose line never went through an instance.
    routing.stop().await;
    let deadline = std::time::Instant::now() + Duration::from_secs(15);
    while !routed(&other).await.contains(&demo) {
        assert!(std::time::Instant::now() < deadline, "the instance left never took the tenant over");
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    let view = op1.view().await.unwrap();
    assert_eq!(view.status, AgentStatus::InCall, "{view:?}");
    assert_eq!(view.call.as_ref().map(|c| c.call_id.as_str()), Some(call.as_str()));
    assert_eq!(line(&phones, &call).await.0, "connected");
    assert_eq!(other.call_record(&call).await.0, "connected");

    // It ends as any call does: op1 hangs up through the new owner.
    assert_eq!(op1.hang_up(&call).await.unwrap().status, AgentStatus::Wrapup);
    assert_eq!(line(&phones, &call).await, ("ended".to_owned(), Some("agent".to_owned())));
    let (state, reason, _, _) = other.call_record(&call).await;
    assert_eq!((state.as_str(), reason.as_deref()), ("ended", Some("agent_hangup")));

    // The store says which tenure wrote what: the call's offer and answer under the
    // first owner's lease, its end under the new owner's, a later epoch.
    let epochs = event_epochs(&other, &call).await;
    let epoch_of = |kind: &str| epochs.iter().find(|(k, _)| k == kind).and_then(|(_, e)| *e);
    let (answered, ended) = (epoch_of("answered"), epoch_of("agent_hangup"));
    assert!(answered.is_some() && ended.is_some(), "every event is written under a lease: {epochs:?}");
    assert!(ended > answered, "the end is written under the new owner's epoch: {epochs:?}");
}

/// The kind of each of the call's events and the lease epoch it was written under.
async fn event_epochs(server: &TestServer, call: &str) -> Vec<(String, Option<i64>)> {
    use sea_orm::{ConnectionTrait, Statement};
    let db = server.db().await;
    let sql = "SELECT kind, epoch FROM call_events WHERE call_id = $1 ORDER BY id";
    let rows =
        db.query_all_raw(Statement::from_sql_and_values(db.get_database_backend(), sql, [call.into()])).await.unwrap();
    rows.iter().map(|r| (r.try_get_by_index(0).unwrap(), r.try_get_by_index(1).unwrap())).collect()
}

#[tokio::test]
async fn over_sip_the_telephone_systems_own_process_carries_the_call_and_its_audio() {
    use common::floor::{agent_phone, customer_calls, media, ready, registered};
    use common::peers::{self, AGENT_HZ, CUSTOMER_HZ};

    // The SIP stack and its RTP live in the telephone system's process; the instance
    // routes and serves op1, and knows agents take calls on phones of their own.
    let media = media();
    let db_url = common::fresh_postgres().await;
    let phones = TestServer::start_sip_in_cluster(
        "phones",
        db_url.clone(),
        LEASE,
        Role::Telephony,
        "127.0.0.1:5060",
        media.path().into(),
    )
    .await;
    let routing =
        TestServer::start_sip_in_cluster("a", db_url, LEASE, Role::Web, "127.0.0.1:5060", media.path().into()).await;
    let deadline = std::time::Instant::now() + Duration::from_secs(15);
    while routed(&routing).await.is_empty() {
        assert!(std::time::Instant::now() < deadline, "the instance never routed the demo tenant");
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    let op1 = routing.signed_in("op1").await;
    let mut events = op1.events().await;
    ready(&op1, &mut events).await;
    assert!(op1.view().await.unwrap().phone_missing, "no phone yet: not offered calls");

    // op1's phone registers with the telephone system's process; the instance hears of it.
    let tones = tempfile::tempdir().unwrap();
    let phone = agent_phone(&phones, "op1", tones.path(), 60);
    registered(&mut events, &phone).await;

    // A customer calls through the carrier; op1's phone rings and answers at once; each
    // hears the other through the telephone system's process.
    let customer = customer_calls(&phones, tones.path(), 6);
    let in_call = events.until_within(10, "通話中", |v| v.status == AgentStatus::InCall).await;
    let call_id = in_call.call.expect("the call").call_id;
    let customer_heard = customer.heard_when_done().await;
    events.until_within(10, "業務(チケット処理)", |v| v.status == AgentStatus::Wrapup).await;
    let agent_heard = phone.heard_now().await;
    assert!(
        peers::windows_of(&agent_heard, CUSTOMER_HZ) >= 6,
        "the agent heard the customer: {:?}",
        peers::heard(&agent_heard, &[CUSTOMER_HZ, AGENT_HZ])
    );
    assert!(
        peers::windows_of(&customer_heard, AGENT_HZ) >= 6,
        "the customer heard the agent: {:?}",
        peers::heard(&customer_heard, &[CUSTOMER_HZ, AGENT_HZ])
    );
    let (state, reason, _, _) = routing.call_record(&call_id).await;
    assert_eq!((state.as_str(), reason.as_deref()), ("ended", Some("customer_hangup")));
}

#[tokio::test]
async fn a_phone_registered_with_the_telephone_systems_process_still_takes_calls_after_a_takeover() {
    use common::floor::{agent_phone, customer_calls, media, ready, registered};

    let media = media();
    let db_url = common::fresh_postgres().await;
    let trunk = "127.0.0.1:5060";
    let start = |name: &'static str, role: Role| {
        TestServer::start_sip_in_cluster(name, db_url.clone(), LEASE, role, trunk, media.path().into())
    };
    let phones = start("phones", Role::Telephony).await;
    let (a, b) = (start("a", Role::Web).await, start("b", Role::Web).await);
    let (routing, other, demo) = routing_first(a, b).await;
    let op1 = other.signed_in("op1").await;
    let mut events = op1.events().await;
    ready(&op1, &mut events).await;
    let tones = tempfile::tempdir().unwrap();
    let phone = agent_phone(&phones, "op1", tones.path(), 60);
    registered(&mut events, &phone).await;

    // The routing instance goes. The one left reads the tenant's agents with no phone
    // registered; the telephone system's process tells it again which are.
    routing.stop().await;
    let deadline = std::time::Instant::now() + Duration::from_secs(15);
    while !routed(&other).await.contains(&demo) {
        assert!(std::time::Instant::now() < deadline, "the instance left never took the tenant over");
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    let deadline = std::time::Instant::now() + Duration::from_secs(10);
    loop {
        let view = op1.view().await.unwrap();
        if !view.phone_missing && view.status == AgentStatus::Ready {
            break;
        }
        assert!(std::time::Instant::now() < deadline, "op1's phone is still missing after the takeover: {view:?}");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }

    // And it takes the next call, long before it would register again.
    let _customer = customer_calls(&phones, tones.path(), 3);
    events.until_within(10, "通話中", |v| v.status == AgentStatus::InCall).await;
    events.until_within(10, "業務(チケット処理)", |v| v.status == AgentStatus::Wrapup).await;
    drop(phone);
}

#[tokio::test]
async fn an_agent_talking_in_the_browser_keeps_the_call_and_its_audio_through_a_takeover() {
    use app::model::{BrowserAudio, Endpoint};
    use common::voices::{agent_hears, calls_with_tone, customer_hears};
    use ringdesk_load::softphone::Codec;

    let a = TestServer::start_in_cluster("a", None, LEASE, Role::Web).await;
    let phones = TestServer::start_in_cluster("phones", Some(a.db_url.clone()), LEASE, Role::Telephony).await;
    let b = TestServer::start_in_cluster("b", Some(a.db_url.clone()), LEASE, Role::Web).await;
    let (routing, other, demo) = routing_first(a, b).await;
    let op1 = other.signed_in("op1").await;
    let mut events = op1.events().await;
    op1.set_endpoint(Endpoint::Browser).await.unwrap();
    op1.act(AgentAction::CtiLogin).await.unwrap();
    op1.act(AgentAction::Choose(AgentStatus::Ready)).await.unwrap();

    // The phone window's offer reaches an instance that routes nothing; the telephone
    // system's process answers it, and the audio is ready at the routing instance.
    let phone = op1.softphone(Codec::Opus).await;
    events.until("op1's audio is ready", |v| v.browser_audio == BrowserAudio::Ready).await;
    let call = calls_with_tone(&phones, 440).await;
    events.until("the call rings at op1", |v| v.status == AgentStatus::Ringing).await;
    op1.answer(&call).await.unwrap();
    phone.hum(Some(1000));
    agent_hears(&phone, 440).await;
    customer_hears(&phones, &call, 1000).await;

    // The routing instance goes. The call and its audio carry on: both were the
    // telephone system's process's all along.
    routing.stop().await;
    let deadline = std::time::Instant::now() + Duration::from_secs(15);
    while !routed(&other).await.contains(&demo) {
        assert!(std::time::Instant::now() < deadline, "the instance left never took the tenant over");
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    phone.mark();
    phone.hum(Some(1300));
    customer_hears(&phones, &call, 1300).await;
    let deadline = std::time::Instant::now() + Duration::from_secs(10);
    while phone.first_sound().is_none() {
        assert!(std::time::Instant::now() < deadline, "op1 hears nothing since the takeover");
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    assert_eq!(op1.hang_up(&call).await.unwrap().status, AgentStatus::Wrapup);

    // The new owner read op1 with no window connected; the telephone system's process
    // told it again, so the next call is offered at once.
    let deadline = std::time::Instant::now() + Duration::from_secs(10);
    loop {
        let view = op1.view().await.unwrap();
        if view.browser_audio == BrowserAudio::Ready {
            break;
        }
        assert!(std::time::Instant::now() < deadline, "op1's audio was not told to the new owner: {view:?}");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    op1.act(AgentAction::Choose(AgentStatus::Ready)).await.unwrap();
    let next = calls_with_tone(&phones, 500).await;
    events.until("the next call rings at op1", |v| v.status == AgentStatus::Ringing).await;
    op1.answer(&next).await.unwrap();
    agent_hears(&phone, 500).await;
}
