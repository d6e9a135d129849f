//! Failover between instances (`--failover N --postgres URL`): two instances of one
//! cluster (`RINGDESK_CLUSTER`) on a database made for the run and the NATS server at
//! `--nats`. N times, alternately, the instance that routes the tenants is killed
//! (SIGKILL) or frozen (SIGSTOP); the harness times how long until the other routes
//! them, and how long until an agent working through the other gets an answer to a
//! status change again. A frozen instance is then let run again (SIGCONT): it must give
//! the tenants up (its leases were taken, its transactions are fenced), which the
//! harness checks by waiting for its `/health` to list none of them; a killed one is
//! started again. Calls do not flow here: the telephony side does not yet run apart
//! from the instances (docs/scale-out.md).

use std::time::{Duration, Instant};

use serde_json::json;

use crate::agent::Agent;
use crate::args::Args;
use crate::server::Server;
use crate::stats::Samples;

/// How long a run waits for anything before it fails (each wait names what it waits
/// for).
const PATIENCE: Duration = Duration::from_secs(30);

pub async fn run(args: &Args, times: usize) -> Result<bool, String> {
    let admin = args.postgres.as_deref().ok_or("--failover needs --postgres URL")?;
    let lease_ms = args.lease.as_millis();
    println!("failover: 2 instances on PostgreSQL and NATS ({}), leases of {lease_ms} ms, {times} times", args.nats);
    let more = vec![
        ("RINGDESK_CLUSTER", "on".to_owned()),
        ("RINGDESK_NATS_URL", args.nats.clone()),
        ("RINGDESK_CLUSTER_NAME", format!("load{}", std::process::id())),
        ("RINGDESK_LEASE_MS", lease_ms.to_string()),
    ];
    let first = Server::start_with(&args.server, args.agents, 1, None, Some(admin), more).await?;
    let http = reqwest::Client::new();
    let tenants = until("the first instance routes the tenants", || async {
        first.routed(&http).await.filter(|t| !t.is_empty())
    })
    .await?;
    let second = first.another().await?;
    let mut servers = [first, second];
    println!("instance 1 routes tenants {tenants:?}; instance 2 stands by");

    let (mut takeover, mut answered, mut let_go) = (Samples::default(), Samples::default(), Samples::default());
    for round in 0..times {
        let holder = holder(&servers, &http, &tenants).await?;
        let other = 1 - holder;
        // An agent works through the instance that will be left.
        let agent = Agent::sign_in_all(&http, &servers[other].url, 1, 1).await?.remove(0);
        // 待機 before (from 業務, or logged in first); 業務 through the other after.
        let _ = agent.act(json!("CtiLogin")).await;
        agent.act(json!({ "Choose": "Ready" })).await?;

        let freeze = round % 2 == 1;
        let gone = Instant::now();
        if freeze {
            servers[holder].freeze();
        } else {
            servers[holder].kill();
        }
        let took = until("the other instance routes the tenants", || async {
            let routed = servers[other].routed(&http).await?;
            tenants.iter().all(|t| routed.contains(t)).then_some(gone.elapsed())
        })
        .await?;
        let works = until("the agent's 業務 is answered", || async {
            agent.act(json!({ "Choose": "Busy" })).await.ok().map(|_| gone.elapsed())
        })
        .await?;
        takeover.push(took);
        answered.push(works);
        let how = if freeze { "frozen (SIGSTOP)" } else { "killed (SIGKILL)" };
        print!(
            "{:>2}. instance {} {how}: the other routes its tenants after {:.0} ms, answers the agent after {:.0} ms",
            round + 1,
            holder + 1,
            ms(took),
            ms(works)
        );
        if freeze {
            let woke = Instant::now();
            servers[holder].thaw();
            let released = until("the woken instance lets the tenants go", || async {
                let routed = servers[holder].routed(&http).await?;
                tenants.iter().all(|t| !routed.contains(t)).then_some(woke.elapsed())
            })
            .await?;
            let_go.push(released);
            println!("; woken, it let them go after {:.0} ms", ms(released));
        } else {
            servers[holder].start_again().await?;
            println!();
        }
    }
    println!();
    println!("takeover after the routing instance died or froze   {}", spread(&mut takeover));
    println!("the agent answered again through the other instance {}", spread(&mut answered));
    if let_go.len() > 0 {
        println!("a frozen instance, woken, let its tenants go        {}", spread(&mut let_go));
    }
    Ok(true)
}

/// The smallest, the median and the largest, in milliseconds.
pub(crate) fn spread(samples: &mut Samples) -> String {
    let at = |s: &mut Samples, q: f64| s.quantile(q).map_or(f64::NAN, ms);
    let (min, median, max) = (at(samples, 0.0), at(samples, 0.5), at(samples, 1.0));
    format!("min {min:.0} ms, median {median:.0} ms, max {max:.0} ms (n = {})", samples.len())
}

pub(crate) fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

/// Which of the two routes `tenants`.
async fn holder(servers: &[Server; 2], http: &reqwest::Client, tenants: &[i64]) -> Result<usize, String> {
    until("an instance routes every tenant", || async {
        for (i, s) in servers.iter().enumerate() {
            if s.routed(http).await.is_some_and(|r| tenants.iter().all(|t| r.contains(t))) {
                return Some(i);
            }
        }
        None
    })
    .await
}

/// Asks `check` every 10 ms until it answers, for up to `PATIENCE`.
pub(crate) async fn until<T, F: std::future::Future<Output = Option<T>>>(
    what: &str,
    mut check: impl FnMut() -> F,
) -> Result<T, String> {
    let deadline = Instant::now() + PATIENCE;
    loop {
        if let Some(found) = check().await {
            return Ok(found);
        }
        if Instant::now() > deadline {
            return Err(format!("not within {PATIENCE:?}: {what}"));
        }
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
}
