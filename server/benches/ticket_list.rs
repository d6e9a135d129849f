//! The ticket list at 100,000 tickets: seeds a fresh database (SQLite, and PostgreSQL
//! when `RINGDESK_BENCH_POSTGRES` names a server to make a database on) and prints how
//! long each kind of list query takes, median and 95th percentile over repeated runs.
//!
//! `cargo bench -p server --bench ticket_list` (or `make bench`); `TICKETS=1000000`
//! seeds another size.

mod common;

use std::time::{Duration, Instant};

use app::domain::TicketScope;
use app::domain::ticket_query::{self, PageAt};
use app::model::TicketFilter;
use sea_orm::ConnectionTrait;
use server::store::Store;
use server::store::tickets::ListRequest;

const RUNS: usize = 30;

#[tokio::main(flavor = "current_thread")]
async fn main() {
    let count: usize = std::env::var("TICKETS").ok().and_then(|s| s.parse().ok()).unwrap_or(100_000);
    common::on_each_database(|engine, url| async move { run(engine, &url, count).await }).await;
}

async fn run(engine: &str, url: &str, count: usize) {
    let store = Store::open(url).await.expect("store");
    store.load_demo_if_empty().await.expect("demo data");
    let service = first_service(&store).await;
    let started = Instant::now();
    // One a minute back from now: 100,000 tickets span about ten weeks.
    store.seed_tickets(service.1, count, server::store::now_ms(), 60_000, 20_000).await.expect("seed");
    println!("\n{engine}: seeded {count} tickets in {:.1} s", started.elapsed().as_secs_f64());
    // Fresh statistics, as PostgreSQL's autovacuum and SQLite's `PRAGMA optimize` (run
    // by the store at start) keep them in service.
    let analyze = if store.db.get_database_backend() == sea_orm::DbBackend::Postgres {
        "VACUUM ANALYZE tickets"
    } else {
        "ANALYZE"
    };
    store.db.execute_unprepared(analyze).await.expect("analyze");
    let scope = TicketScope { tenant_id: service.0, service_id: Some(service.1) };
    let me = first_operator(&store, service.1).await;

    // A cursor deep in the list: the ticket 90 % of the way down, newest first.
    let deep = nth_cursor(&store, scope, me, count * 9 / 10).await;
    let yesterday = app::time::format_datetime(server::store::now_ms() - 86_400_000)[..10].to_owned();
    let cases: Vec<(&str, TicketFilter)> = vec![
        ("first page, newest first", TicketFilter::default()),
        ("a page 90% of the way down", TicketFilter { after: deep.clone(), ..Default::default() }),
        ("first page, oldest first", TicketFilter { sort: "created_asc".into(), ..Default::default() }),
        ("first page, by last update", TicketFilter { sort: "updated_desc".into(), ..Default::default() }),
        ("status = pending", TicketFilter { status: "pending".into(), ..Default::default() }),
        ("assignee = me", TicketFilter { assignee: "me".into(), ..Default::default() }),
        (
            "unassigned, outbound",
            TicketFilter { assignee: "none".into(), direction: "outbound".into(), ..Default::default() },
        ),
        ("one customer's number", TicketFilter { customer: "+819010000042".into(), ..Default::default() }),
        ("created yesterday", TicketFilter { from: yesterday.clone(), to: yesterday, ..Default::default() }),
        ("whole tenant (tenant admin)", TicketFilter::default()),
    ];
    println!("{:<32} {:>10} {:>10} {:>8}", "query (50 a page, with total count)", "median", "p95", "total");
    for (i, (name, filter)) in cases.into_iter().enumerate() {
        let query = ticket_query::parse(&filter).expect("a valid filter");
        let scope = if i == 9 { TicketScope { service_id: None, ..scope } } else { scope };
        let mut times = Vec::with_capacity(RUNS);
        let mut total = 0;
        for _ in 0..RUNS {
            let t = Instant::now();
            let page = store.list_tickets(ListRequest { scope, query: &query, me }).await.expect("list");
            times.push(t.elapsed());
            total = page.total;
        }
        times.sort();
        println!("{name:<32} {:>10} {:>10} {total:>8}", ms(times[RUNS / 2]), ms(times[RUNS * 95 / 100]));
    }
}

fn ms(d: Duration) -> String {
    format!("{:.2} ms", d.as_secs_f64() * 1000.0)
}

async fn first_service(store: &Store) -> (i32, i32) {
    let row = store
        .db
        .query_one_raw(sea_orm::Statement::from_string(
            store.db.get_database_backend(),
            "SELECT id, tenant_id FROM services WHERE name = 'サポートデスク'",
        ))
        .await
        .unwrap()
        .unwrap();
    (row.try_get("", "tenant_id").unwrap(), row.try_get("", "id").unwrap())
}

async fn first_operator(store: &Store, service: i32) -> i32 {
    let row = store
        .db
        .query_one_raw(sea_orm::Statement::from_string(
            store.db.get_database_backend(),
            format!("SELECT id FROM users WHERE service_id = {service} AND role = 'operator' ORDER BY id LIMIT 1"),
        ))
        .await
        .unwrap()
        .unwrap();
    row.try_get("", "id").unwrap()
}

/// The cursor after the `n`th ticket, newest first, found by walking pages (not timed).
async fn nth_cursor(store: &Store, scope: TicketScope, me: i32, n: usize) -> String {
    let mut q = ticket_query::parse(&TicketFilter::default()).unwrap();
    let mut seen = 0;
    loop {
        let page = store.list_tickets(ListRequest { scope, query: &q, me }).await.unwrap();
        seen += page.tickets.len();
        match page.next {
            Some(next) if seen < n => q.page = PageAt::After(ticket_query::Cursor::decode(&next).unwrap()),
            Some(next) => return next,
            None => return String::new(),
        }
    }
}
