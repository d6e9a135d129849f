//! What the benchmarks share: a fresh database on each engine.

use sea_orm::{ConnectionTrait, Database};

/// Runs `bench` on a fresh SQLite file, then on a fresh PostgreSQL database when
/// `RINGDESK_BENCH_POSTGRES` names a server to make one on (dropped afterwards).
pub async fn on_each_database<F, Fut>(bench: F)
where
    F: Fn(&'static str, String) -> Fut,
    Fut: std::future::Future<Output = ()>,
{
    let dir = tempfile::tempdir().expect("temp dir");
    bench("SQLite", format!("sqlite://{}/bench.db?mode=rwc", dir.path().display())).await;
    if let Ok(admin_url) = std::env::var("RINGDESK_BENCH_POSTGRES") {
        let admin = match Database::connect(&admin_url).await {
            Ok(admin) => admin,
            Err(e) => return println!("\nPostgreSQL skipped ({admin_url}: {e})"),
        };
        let name = format!("ringdesk_bench_{}", std::process::id());
        admin.execute_unprepared(&format!("CREATE DATABASE {name}")).await.expect("create database");
        let base = admin_url.rsplit_once('/').map(|(b, _)| b).unwrap_or(&admin_url);
        bench("PostgreSQL", format!("{base}/{name}")).await;
        admin.execute_unprepared(&format!("DROP DATABASE {name} WITH (FORCE)")).await.ok();
    }
}
