//! A report over a million calls: seeds a fresh database (SQLite, and PostgreSQL when
//! `RINGDESK_BENCH_POSTGRES` names a server to make a database on) with a month of
//! calls (their offers, answers and the agents' status changes too) and prints how long
//! the report of the month takes by the day and by the hour, and of one day by the
//! quarter hour: median and 95th percentile over repeated runs.
//!
//! `cargo bench -p server --bench report` (or `make bench`); `CALLS=100000` seeds
//! another size.

mod common;

use std::time::{Duration, Instant};

use app::domain::report::ReportForm;
use sea_orm::ConnectionTrait;
use server::store::Store;
use server::store::report::ReportScope;

const RUNS: usize = 7;
const MONTH_MS: i64 = 30 * 86_400_000;

#[tokio::main(flavor = "current_thread")]
async fn main() {
    let count: usize = std::env::var("CALLS").ok().and_then(|s| s.parse().ok()).unwrap_or(1_000_000);
    common::on_each_database(|engine, url| async move { run(engine, &url, count).await }).await;
}

async fn run(engine: &str, url: &str, count: usize) {
    let store = Store::open(url).await.expect("store");
    store.load_demo_if_empty().await.expect("demo data");
    use sea_orm::EntityTrait;
    let desk = server::store::entities::service::Entity::find().one(&store.db).await.expect("services");
    let (tenant, desk) = desk.map(|s| (s.tenant_id, s.id)).expect("the demo desk");
    let started = Instant::now();
    // The month ending at the start of today (Japan time), spread evenly.
    let today = app::time::day_start_of(server::store::now_ms());
    let step = MONTH_MS / count as i64;
    store.seed_calls(desk, count, today - 1, step).await.expect("seed");
    println!("\n{engine}: seeded {count} calls over 30 days in {:.1} s", started.elapsed().as_secs_f64());
    let analyze =
        if store.db.get_database_backend() == sea_orm::DbBackend::Postgres { "VACUUM ANALYZE" } else { "ANALYZE" };
    store.db.execute_unprepared(analyze).await.expect("analyze");
    let day = |ms: i64| app::time::format_datetime(ms)[..10].to_owned();
    let (first, last) = (day(today - MONTH_MS), day(today - 1));
    let cases = [
        ("the month, by the day", first.clone(), last.clone(), "day"),
        ("the month, by the hour", first, last.clone(), "60"),
        ("its last day, by the quarter hour", last.clone(), last, "15"),
    ];
    let scope = ReportScope { tenant_id: tenant, service_id: None };
    println!("{:<36} {:>10} {:>10} {:>10}", "report (service and agents)", "median", "p95", "calls");
    for (name, from, to, interval) in cases {
        let form = ReportForm { from, to, interval: interval.into(), ..ReportForm::default() };
        let span = form.read().expect("a valid form");
        let mut times = Vec::with_capacity(RUNS);
        let mut calls = 0;
        for _ in 0..RUNS {
            let t = Instant::now();
            let report = store.report(scope, span, 20, server::store::now_ms()).await.expect("report");
            times.push(t.elapsed());
            calls = report.services.iter().map(|s| s.total.offered).sum::<u32>();
        }
        times.sort();
        let ms = |d: Duration| format!("{:.0} ms", d.as_secs_f64() * 1000.0);
        println!("{name:<36} {:>10} {:>10} {calls:>10}", ms(times[RUNS / 2]), ms(times[RUNS * 95 / 100]));
    }
}
