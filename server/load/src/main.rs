//! ringdesk's load harness. It starts the release server on a fresh SQLite file, signs in
//! N agents over HTTP, opens each agent's live stream and sets them 待機, then has
//! simulated customers call at R calls a second for the duration; each agent answers its
//! offer, the customer talks for T and hangs up, the agent goes back to 待機. It reports
//! offer latency (call made → offer on the agent's stream), answer latency (応答 → the
//! ticket), completed calls a second, calls lost or offered twice, and the server's peak
//! memory and CPU time. It exits non-zero when a call was lost or offered twice.
//!
//! `cargo run --release -p ringdesk-load -- --agents 1000 --rate 100 --talk 2s --duration 60s`
//! (see docs/BENCHMARKS.md).

mod agent;
mod args;
mod chaos;
mod cluster;
mod failover;
// The softphone is the library's (ringdesk_load::softphone).
mod ledger;
mod server;
mod sip;
mod soak;
mod stats;
mod supervisor;

use std::sync::Arc;
use std::time::{Duration, Instant};

use futures::StreamExt;
use serde_json::json;

use agent::Agent;
use args::Args;
use cluster::Cluster;
use ledger::Ledger;
use server::Server;

/// The number the customers of tenant `k` (0-based, of `--tenants`) dial: the demo
/// service's, then the load tenants' (`RINGDESK_DEMO_TENANTS`).
fn service_number(k: usize) -> String {
    match k {
        0 => "+81350000000".into(),
        k => format!("+8135100{:04}", k + 1),
    }
}

#[tokio::main]
async fn main() {
    let args = match Args::parse(std::env::args().skip(1)) {
        Ok(a) => a,
        Err(e) => {
            eprintln!("{e}");
            std::process::exit(2);
        }
    };
    match run(args).await {
        Ok(true) => {}
        Ok(false) => std::process::exit(1),
        Err(e) => {
            eprintln!("load: {e}");
            std::process::exit(2);
        }
    }
}

/// Answers whether nothing was lost or offered twice.
async fn run(args: Args) -> Result<bool, String> {
    if let Some(kills) = args.kills {
        return chaos::run(&args, kills).await;
    }
    if let Some(times) = args.failover {
        return failover::run(&args, times).await;
    }
    println!(
        "load: {} agents in {} tenant(s), {} calls/s, talk {:?}, for {:?}, {} supervisors watching, on {}",
        args.agents,
        args.tenants,
        args.rate,
        args.talk,
        args.duration,
        args.supervisors,
        if args.postgres.is_some() { "PostgreSQL" } else { "SQLite" }
    );
    let started = Instant::now();
    let sip_port = args.sip.then(sip::free_udp_port).transpose()?;
    // One server, or (`--instances`) a cluster whose telephone system the customers call.
    let (server, cluster) = match args.instances {
        0 => {
            let server = Server::start(&args.server, args.agents, args.tenants, sip_port, args.postgres.as_deref());
            (Some(server.await?), None)
        }
        _ => (None, Some(Cluster::start(&args).await?)),
    };
    let (urls, sim_url, pids) = match (&server, &cluster) {
        (Some(s), _) => (vec![s.url.clone()], s.url.clone(), vec![("server".to_owned(), s.pid())]),
        (None, Some(c)) => (c.urls(), c.phones.url.clone(), c.pids()),
        (None, None) => unreachable!("one or the other is started"),
    };
    let pid = pids[0].1;
    println!(
        "{} up in {:.1} s (pids {pids:?})",
        if cluster.is_some() { "cluster" } else { "server" },
        started.elapsed().as_secs_f64()
    );

    // Sign in (an Argon2 check each), open the streams, log in to CTI and go 待機.
    let t = Instant::now();
    let ledger = Arc::new(Ledger::default());
    let http = reqwest::Client::new();
    let agents = Agent::sign_in_spread(&http, &urls, &sim_url, args.agents, args.sign_in_concurrency).await?;
    println!("{} agents signed in in {:.1} s", agents.len(), t.elapsed().as_secs_f64());
    if let Some(u) = stats::process_use(pid) {
        println!("server after the sign-ins: {:.1} MB resident", u.rss_kib as f64 / 1024.0);
    }
    let t = Instant::now();
    let ready: Vec<Result<(), String>> = futures::stream::iter(agents.iter().cloned())
        .map(|a| {
            let ledger = ledger.clone();
            let (talk, phone, browser) = (args.talk, args.sip, args.browser);
            async move {
                if let Some(codec) = browser {
                    a.talk_in_browser(codec).await?;
                }
                let views = a.stream().await?;
                tokio::spawn(a.clone().work(views, ledger, talk, phone));
                a.act(json!("CtiLogin")).await?;
                a.act(json!({ "Choose": "Ready" })).await
            }
        })
        .buffer_unordered(64)
        .collect()
        .await;
    ready.into_iter().collect::<Result<Vec<()>, _>>()?;
    println!("{} agents streaming and 待機 in {:.1} s", agents.len(), t.elapsed().as_secs_f64());
    let idle = stats::process_use(pid);
    let harness_idle = stats::process_use(std::process::id());
    if let Some(u) = &idle {
        println!(
            "server with every agent idle: {:.1} MB resident ({:.1} MB peak)",
            u.rss_kib as f64 / 1024.0,
            u.peak_rss_kib as f64 / 1024.0
        );
    }

    if let (Some(port), Some(server)) = (sip_port, &server) {
        return sip::run(&args, server, port, agents.len()).await;
    }
    let watched = supervisor::watch(&http, &urls[0], args.supervisors).await?;
    if args.supervisors > 0 {
        println!("{} supervisors watching the board", args.supervisors);
    }

    // Customers call on a fixed schedule, each request on its own task so that a slow
    // answer does not delay the next call.
    let before = RoutingFigures::read(&http, &urls).await;
    let load = Instant::now();
    let count = (args.rate * args.duration.as_secs_f64()).round() as usize;
    let soak = args.sample.map(|every| tokio::spawn(soak::sample(pid, ledger.clone(), every, load + args.duration)));
    let sim = http.clone();
    let mut placing = Vec::with_capacity(count);
    for i in 0..count {
        let at = load + Duration::from_secs_f64(i as f64 / args.rate);
        tokio::time::sleep_until(at.into()).await;
        let (sim, url, ledger) = (sim.clone(), sim_url.clone(), ledger.clone());
        let to = service_number(i % args.tenants);
        placing.push(tokio::spawn(async move {
            let made = Instant::now();
            let from = format!("+813{:08}", 10_000_000 + i);
            match sim
                .post(format!("{url}/sim/calls"))
                .json(&json!({ "from": from, "to": to, "says": { "kind": "tone", "hz": 440 } }))
                .timeout(agent::REQUEST_TIMEOUT)
                .send()
                .await
            {
                Ok(r) if r.status().as_u16() == 201 => match r.json::<serde_json::Value>().await {
                    Ok(v) => ledger.made(v["call_id"].as_str().unwrap_or_default(), made),
                    Err(e) => ledger.refused(e.to_string()),
                },
                Ok(r) => ledger.refused(format!("POST /sim/calls: {}", r.status())),
                Err(e) => ledger.refused(e.to_string()),
            }
        }));
    }
    for p in placing {
        let _ = p.await;
    }
    if let Some(soak) = soak
        && let Ok(samples) = soak.await
    {
        soak::report(&samples);
    }
    // Calls still talking finish: wait for them (up to a ring timeout and a talk more).
    let drain = Instant::now() + args.talk + Duration::from_secs(30);
    while ledger.in_flight() > 0 && Instant::now() < drain {
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    let elapsed = load.elapsed();
    let used = stats::process_use(pid);
    let totals = ledger.totals();

    println!();
    println!("calls made            {}", totals.made);
    println!("calls refused         {}", totals.refused);
    println!(
        "calls completed       {} ({:.1} a second over {:.1} s)",
        totals.completed,
        ledger.completed() as f64 / elapsed.as_secs_f64(),
        elapsed.as_secs_f64()
    );
    println!("calls lost            {}", totals.lost);
    println!("calls offered twice   {}", totals.double_offered);
    println!("offer latency         {}", totals.offer);
    println!("answer latency        {}", totals.answer);
    // Group commit: how many decisions each of routing's transactions carried, and how
    // long they kept the store's writer (SQLite has one).
    let routing = RoutingFigures::read(&http, &urls).await.since(before);
    if routing.commits > 0 {
        let commits = routing.commits as f64;
        println!(
            "routing commits       {} for {} decisions ({:.2} a commit)",
            routing.commits,
            routing.decisions,
            routing.decisions as f64 / commits
        );
        println!(
            "routing transactions  open {:.2} ms a commit ({:.0} % of the run in all), {:.2} ms waiting to start",
            routing.open_ms as f64 / commits,
            routing.open_ms as f64 / 10.0 / elapsed.as_secs_f64(),
            routing.waited_ms as f64 / commits,
        );
    }
    if args.supervisors > 0 {
        use std::sync::atomic::Ordering::Relaxed;
        let messages = watched.messages.load(Relaxed);
        println!(
            "board messages        {messages} to {} supervisors ({:.1} a second each, {:.0} KB in all)",
            args.supervisors,
            messages as f64 / args.supervisors as f64 / elapsed.as_secs_f64(),
            watched.bytes.load(Relaxed) as f64 / 1024.0
        );
    }
    if args.browser.is_some() {
        println!("応答 → audio           {}", totals.audio);
        println!("calls talking at once {} at the most", totals.peak_talking);
        if let Some(u) = &used {
            let call_seconds = totals.completed as f64 * args.talk.as_secs_f64();
            if call_seconds > 0.0 {
                println!(
                    "server CPU per call   {:.2} % of a core (CPU time over call time, {:?})",
                    100.0 * u.cpu.as_secs_f64() / call_seconds,
                    args.browser
                );
            }
        }
    }
    if let Some(u) = used.as_ref().filter(|_| cluster.is_none()) {
        println!("server peak memory    {:.1} MB", u.peak_rss_kib as f64 / 1024.0);
        println!("server CPU time       {:.1} s", u.cpu.as_secs_f64());
    }
    // The CPU the calls cost, the sign-ins (an Argon2 check each) left out: the server's,
    // and the harness's own (its agents share the machine's cores with the server).
    if let (Some(before), Some(after), Some(me_after)) = (&idle, &used, stats::process_use(std::process::id()))
        && cluster.is_none()
    {
        let calls = totals.completed.max(1) as f64;
        let (server, harness) = (
            after.cpu.saturating_sub(before.cpu),
            me_after.cpu.saturating_sub(harness_idle.map_or(Duration::ZERO, |u| u.cpu)),
        );
        println!(
            "CPU during the calls  server {:.1} s ({:.2} ms a call), harness {:.1} s ({:.2} ms a call)",
            server.as_secs_f64(),
            server.as_secs_f64() * 1000.0 / calls,
            harness.as_secs_f64(),
            harness.as_secs_f64() * 1000.0 / calls
        );
    }
    for (name, pid) in pids.iter().filter(|_| cluster.is_some()) {
        if let Some(u) = stats::process_use(*pid) {
            let (mb, cpu) = (u.peak_rss_kib as f64 / 1024.0, u.cpu.as_secs_f64());
            println!("{name:<21} peak memory {mb:.1} MB, CPU time {cpu:.1} s");
        }
    }
    for e in &totals.errors {
        println!("error: {e}");
    }
    Ok(totals.lost == 0 && totals.double_offered == 0 && totals.refused == 0)
}

/// Routing's commits as `/health` counts them, summed over the instances.
#[derive(Clone, Copy, Default)]
struct RoutingFigures {
    commits: u64,
    decisions: u64,
    open_ms: u64,
    waited_ms: u64,
}

impl RoutingFigures {
    async fn read(http: &reqwest::Client, urls: &[String]) -> RoutingFigures {
        let mut sum = RoutingFigures::default();
        for url in urls {
            if let Ok(r) = http.get(format!("{url}/health")).send().await
                && let Ok(health) = r.json::<serde_json::Value>().await
            {
                let of = |key: &str| health["routing"][key].as_u64().unwrap_or(0);
                sum.commits += of("commits");
                sum.decisions += of("decisions");
                sum.open_ms += of("open_ms");
                sum.waited_ms += of("waited_ms");
            }
        }
        sum
    }

    /// What happened after `before` (an instance restarted since counts from zero).
    fn since(self, before: RoutingFigures) -> RoutingFigures {
        RoutingFigures {
            commits: self.commits.saturating_sub(before.commits),
            decisions: self.decisions.saturating_sub(before.decisions),
            open_ms: self.open_ms.saturating_sub(before.open_ms),
            waited_ms: self.waited_ms.saturating_sub(before.waited_ms),
        }
    }
}
