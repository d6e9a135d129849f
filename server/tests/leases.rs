//! Several instances on one PostgreSQL (`RINGDESK_CLUSTER`): a tenant's routing
//! belongs to the instance holding its lease; a new holder's epoch fences out the one
//! before (a frozen instance writes nothing when it wakes); a dead instance's tenants
//! are taken by another once its leases run out.

use std::sync::Arc;
use std::time::{Duration, Instant};

use app::domain::{AgentAction, AgentStatus};
use app::error::AppError;
use sea_orm::{ConnectionTrait, Database};
use server::push::Hub;
use server::routing::{Cluster, RoutingHandle};
use server::store::agents::Scope;
use server::store::{Store, now_ms};
use server::telephony::NoTelephony;

const TTL: Duration = Duration::from_millis(600);

/// A fresh database on the machine's PostgreSQL, with the demo; its name keeps its
/// cluster's messages apart from other tests'.
async fn fresh_store() -> (Store, String) {
    let admin_url =
        std::env::var("RINGDESK_TEST_POSTGRES").unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/test".into());
    let name = format!("ringdesk_test_{}", uuid::Uuid::new_v4().simple());
    let admin = Database::connect(&admin_url).await.expect("PostgreSQL is reachable");
    admin.execute_unprepared(&format!("CREATE DATABASE {name}")).await.expect("create database");
    let base = admin_url.rsplit_once('/').map(|(b, _)| b).unwrap_or(&admin_url);
    let store = Store::open(&format!("{base}/{name}")).await.expect("the store opens");
    store.load_demo_if_empty().await.unwrap();
    (store, name)
}

/// The demo's op1 and their tenant.
async fn op1(store: &Store) -> (i32, i32) {
    let (state, _) = store.load_routing(now_ms(), &[], Scope::All).await.unwrap();
    let op1 = state.agents.values().find(|a| a.name == "佐藤 花子").expect("the demo's op1");
    (op1.user_id, op1.tenant_id)
}

/// An instance's routing on `store`, talking to the others over the machine's NATS
/// (`RINGDESK_TEST_NATS`).
async fn instance((store, cluster): &(Store, String), name: &str) -> RoutingHandle {
    let (routing, mailbox) = server::routing::channel();
    let cluster = Cluster { name: cluster.clone(), owner: name.into(), ttl: TTL };
    let nats = std::env::var("RINGDESK_TEST_NATS").unwrap_or_else(|_| "nats://127.0.0.1:4222".into());
    let hub = Hub::default();
    let bus = server::bus::Bus::connect(&nats, &cluster.name, Some(hub.clone()), routing.clone())
        .await
        .expect("NATS is reachable");
    server::routing::run_in_cluster(mailbox, store.clone(), hub, Arc::new(NoTelephony), cluster, bus)
        .await
        .expect("routing starts");
    routing
}

async fn until(what: &str, mut done: impl AsyncFnMut() -> bool) {
    let deadline = Instant::now() + Duration::from_secs(15);
    while !done().await {
        assert!(Instant::now() < deadline, "still not: {what}");
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}

#[tokio::test]
async fn a_lease_has_one_holder_and_a_new_epoch_fences_the_one_before() {
    let db = fresh_store().await;
    let store = db.0.clone();
    let (_, tenant) = op1(&store).await;
    let a = store.take_lease(tenant, "a", 60_000).await.unwrap().expect("free at first");
    assert_eq!(store.take_lease(tenant, "b", 60_000).await.unwrap(), None, "held by a");
    assert!(store.keep_lease(a, "a", 60_000).await.unwrap());
    assert!(!store.unleased_tenants().await.unwrap().contains(&tenant));

    // a stops renewing (frozen, or dead): once it runs out, b takes it, one epoch on.
    store.expire_lease(tenant).await.unwrap();
    assert!(store.unleased_tenants().await.unwrap().contains(&tenant));
    let b = store.take_lease(tenant, "b", 60_000).await.unwrap().expect("run out");
    assert_eq!(b.epoch, a.epoch + 1);
    assert!(!store.keep_lease(a, "a", 60_000).await.unwrap(), "a's renewal finds it gone");

    // A stopping instance gives its leases up at once.
    store.release_lease(b, "b").await.unwrap();
    assert!(store.unleased_tenants().await.unwrap().contains(&tenant));
}

#[tokio::test]
async fn an_instance_that_lost_its_lease_writes_nothing_and_stops_routing_the_tenant() {
    let db = fresh_store().await;
    let store = db.0.clone();
    let (op1, tenant) = op1(&store).await;
    let a = instance(&db, "a").await;
    until("a routes the demo tenant", async || a.routes(tenant)).await;
    until("a answers for op1", async || a.act(op1, AgentAction::CtiLogin).await.is_ok()).await;

    // a freezes past its lease and another instance takes the tenant meanwhile. (a is
    // not really frozen: its keeper may renew the lease between the two steps, as a
    // live holder does, so the pair is tried again until b holds it.)
    until("b takes the tenant", async || {
        store.expire_lease(tenant).await.unwrap();
        store.take_lease(tenant, "b", 60_000).await.unwrap().is_some()
    })
    .await;

    // Woken, a decides, but its transaction is fenced: nothing is written.
    assert_eq!(a.act(op1, AgentAction::Choose(AgentStatus::Ready)).await, Err(AppError::Internal));
    let (state, _) = store.load_routing(now_ms(), &[], Scope::Tenant(tenant)).await.unwrap();
    assert_eq!(state.agents[&op1].status, AgentStatus::Busy, "the fenced decision left no trace");
    until("a no longer routes the tenant", async || !a.routes(tenant)).await;
}

#[tokio::test]
async fn a_dead_instances_tenants_are_taken_by_another_once_its_leases_run_out() {
    let db = fresh_store().await;
    let store = db.0.clone();
    let (op1, tenant) = op1(&store).await;
    // a runs on a runtime of its own, which is then dropped: its tasks stop at once,
    // as a process killed with SIGKILL would (no lease is given up).
    let runtime = tokio::runtime::Runtime::new().unwrap();
    let a = {
        let db = db.clone();
        runtime.spawn(async move { instance(&db, "a").await }).await.unwrap()
    };
    until("a routes the demo tenant", async || a.routes(tenant)).await;
    let b = instance(&db, "b").await;

    let died = Instant::now();
    runtime.shutdown_background();
    until("b routes the demo tenant", async || b.routes(tenant)).await;
    until("b answers for op1", async || b.act(op1, AgentAction::CtiLogin).await.is_ok()).await;
    println!("failover after the holder died: {:?} (lease {TTL:?})", died.elapsed());
    assert_eq!(store.take_lease(tenant, "c", 60_000).await.unwrap(), None, "b holds it");
}

#[tokio::test]
async fn an_instance_that_stops_gives_its_tenants_up_at_once() {
    let db = fresh_store().await;
    let store = db.0.clone();
    let (op1, tenant) = op1(&store).await;
    let a = instance(&db, "a").await;
    until("a routes the demo tenant", async || a.routes(tenant)).await;
    until("a answers for op1", async || a.act(op1, AgentAction::CtiLogin).await.is_ok()).await;

    a.stop().await;
    // Given up, not left to run out: another instance may take it now.
    assert!(store.unleased_tenants().await.unwrap().contains(&tenant));
    assert!(!a.routes(tenant));
    assert_eq!(a.act(op1, AgentAction::Choose(AgentStatus::Ready)).await, Err(AppError::Internal));
    let b = store.take_lease(tenant, "b", 60_000).await.unwrap().expect("free");
    assert!(b.epoch >= 2);
}
