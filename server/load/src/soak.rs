//! A soak's samples: every interval while customers call, the server's resident memory,
//! open files and the offer latency of that interval; at the end, how each moved from
//! the first sample after warm-up to the last. A server that leaks shows it here.

use std::sync::Arc;
use std::time::{Duration, Instant};

use crate::ledger::Ledger;
use crate::stats::{self, Samples};

/// One interval's figures.
#[derive(Clone, Copy, Debug)]
pub struct Sample {
    pub at: Duration,
    pub rss_mb: f64,
    pub open_files: usize,
    pub offers: usize,
    pub p99_ms: Option<f64>,
}

/// Samples every `every` until `until`, printing each; answers them all.
pub async fn sample(pid: u32, ledger: Arc<Ledger>, every: Duration, until: Instant) -> Vec<Sample> {
    let start = Instant::now();
    let mut seen = 0;
    let mut out = Vec::new();
    println!("soak: minute  resident MB  open files  offers  offer p99");
    while Instant::now() + every <= until + Duration::from_millis(100) {
        tokio::time::sleep(every).await;
        let (window, total) = ledger.offer_latencies_since(seen);
        seen = total;
        let mut s = Samples::default();
        for d in &window {
            s.push(*d);
        }
        let sample = Sample {
            at: start.elapsed(),
            rss_mb: stats::process_use(pid).map_or(0.0, |u| u.rss_kib as f64 / 1024.0),
            open_files: stats::open_files(pid).unwrap_or(0),
            offers: window.len(),
            p99_ms: s.quantile(0.99).map(|d| d.as_secs_f64() * 1000.0),
        };
        println!(
            "soak: {:6.1}  {:11.1}  {:10}  {:6}  {}",
            sample.at.as_secs_f64() / 60.0,
            sample.rss_mb,
            sample.open_files,
            sample.offers,
            sample.p99_ms.map_or("-".into(), |p| format!("{p:.2} ms"))
        );
        out.push(sample);
    }
    out
}

/// How the figures moved after warm-up (the first sample is warm-up): the second sample
/// against the last.
pub fn report(samples: &[Sample]) {
    let (Some(first), Some(last)) = (samples.get(1), samples.last()) else {
        println!("soak: too short to compare (two samples at least)");
        return;
    };
    let p99 = |s: &Sample| s.p99_ms.map_or("-".into(), |p| format!("{p:.2} ms"));
    let worst = samples.iter().skip(1).filter_map(|s| s.p99_ms).fold(0.0, f64::max);
    println!(
        "soak after warm-up: resident {:.1} → {:.1} MB, open files {} → {}, offer p99 {} → {} (worst minute {:.2} ms)",
        first.rss_mb,
        last.rss_mb,
        first.open_files,
        last.open_files,
        p99(first),
        p99(last),
        worst
    );
}
