//! Chaos in a cluster (`--kills N --instances K --postgres URL`): K instances and the
//! telephone system's own process (`cluster.rs`); agents spread over the instances as a
//! load balancer would, customers calling the telephone system. N times, at random
//! moments, the instance routing the tenants is killed (SIGKILL), frozen past its lease
//! (SIGSTOP, then SIGCONT), or restarted as an upgrade does (SIGTERM), in turn; the
//! others take its tenants over. After the calls stop, the store is held against what
//! happened:
//!
//! - every call a customer made was answered and has ended, none cut off
//!   (`server_restart`) and none refused: no call is lost with an instance;
//! - no call was answered by two agents (offered twice);
//! - every agent's stream shows the status the store has (the views caught up);
//! - no call event was written under a stale epoch or outside the lease (`epochs.rs`).
//!
//! Work a fenced-out owner sent the telephone system, refused there, and batches it
//! tried to commit, refused by the store, are counted from the logs.

use std::collections::{HashMap, HashSet};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use serde_json::json;
use sqlx::{Connection, Row};

use super::acked::Acked;
use super::epochs;
use crate::agent::Agent;
use crate::args::Args;
use crate::cluster::Cluster;
use crate::failover::{ms, spread, until};
use crate::stats::Samples;

/// What happens to the routing instance, in turn.
#[derive(Clone, Copy, Debug)]
enum Blow {
    Kill,
    Freeze,
    Restart,
}

pub async fn run(args: &Args, blows: usize) -> Result<bool, String> {
    println!(
        "chaos in a cluster: {} instances and the telephone system's process, {} agents in {} tenant(s), {} calls/s, talk {:?}, leases of {} ms; {blows} kills, freezes and restarts of the routing instance",
        args.instances,
        args.agents,
        args.tenants,
        args.rate,
        args.talk,
        args.lease.as_millis()
    );
    let mut cluster = Cluster::start(args).await?;
    let http = reqwest::Client::new();
    let agents =
        Agent::sign_in_spread(&http, &cluster.urls(), &cluster.phones.url, args.agents, args.sign_in_concurrency)
            .await?;
    // Agents who talk in the browser: each phone window's connection is the telephone
    // system's process's, so no blow to an instance may cut its calls.
    if let Some(codec) = args.browser {
        for a in &agents {
            a.talk_in_browser(codec).await?;
        }
        println!("the agents talk in the browser ({codec:?}): their audio is the telephone system's process's");
    }
    let acked = Arc::new(Acked::default());
    for a in &agents {
        tokio::spawn(a.clone().work_through_crashes(acked.clone(), args.talk));
    }

    let calling = Arc::new(AtomicBool::new(true));
    let refused = Arc::new(AtomicUsize::new(0));
    let customers = {
        let (http, url, acked, calling, refused) =
            (http.clone(), cluster.phones.url.clone(), acked.clone(), calling.clone(), refused.clone());
        let (every, tenants) = (Duration::from_secs_f64(1.0 / args.rate.max(0.1)), args.tenants);
        tokio::spawn(async move {
            let mut i = 0;
            let mut placing = Vec::new();
            while calling.load(Ordering::Relaxed) {
                tokio::time::sleep(every).await;
                i += 1;
                let (http, url, acked, refused) = (http.clone(), url.clone(), acked.clone(), refused.clone());
                placing.push(tokio::spawn(async move {
                    let from = format!("+813{:08}", 30_000_000 + i);
                    let made = http
                        .post(format!("{url}/sim/calls"))
                        .json(&json!({ "from": from, "to": crate::service_number(i % tenants) }))
                        .timeout(crate::agent::REQUEST_TIMEOUT)
                        .send()
                        .await;
                    match made {
                        Ok(r) if r.status().as_u16() == 201 => match r.json::<serde_json::Value>().await {
                            Ok(v) => acked.made(v["call_id"].as_str().unwrap_or_default().to_owned()),
                            Err(_) => drop(refused.fetch_add(1, Ordering::Relaxed)),
                        },
                        Ok(r) => {
                            let status = r.status();
                            println!("a call was refused: {status} {}", r.text().await.unwrap_or_default());
                            refused.fetch_add(1, Ordering::Relaxed);
                        }
                        Err(e) => {
                            println!("a call was not placed: {e}");
                            refused.fetch_add(1, Ordering::Relaxed);
                        }
                    }
                }));
            }
            for p in placing {
                let _ = p.await;
            }
        })
    };

    let tenants_all = |routed: &[Vec<i64>]| routed.iter().map(Vec::len).sum::<usize>();
    let (mut takeovers, mut let_go) = (Samples::default(), Samples::default());
    let mut refused_problems = Vec::new();
    for k in 0..blows {
        tokio::time::sleep(Duration::from_millis(1_000 + rand::random::<u64>() % 2_000)).await;
        let routed = cluster.routed(&http).await;
        let holder = (0..routed.len()).max_by_key(|i| routed[*i].len()).unwrap_or(0);
        let taken = routed[holder].clone();
        let blow = [Blow::Kill, Blow::Freeze, Blow::Restart][k % 3];
        let (at, at_ms) = (Instant::now(), super::acked::now_ms());
        match blow {
            Blow::Kill => cluster.web[holder].kill(),
            Blow::Freeze => cluster.web[holder].freeze(),
            Blow::Restart => cluster.web[holder].stop(),
        }
        // The others route every tenant again (asked alone: a frozen instance answers
        // nobody, and waiting for it would blur the time).
        let took = until("the other instances take the tenants over", || async {
            let mut others = HashSet::new();
            for (_, s) in cluster.web.iter().enumerate().filter(|(i, _)| *i != holder) {
                others.extend(s.routed(&http).await.unwrap_or_default());
            }
            taken.iter().all(|t| others.contains(t)).then_some(at.elapsed())
        })
        .await?;
        takeovers.push(took);
        let mut line = format!(
            "{:>2}. at {at_ms} instance {} {blow:?}: its {} tenant(s) taken over after {:.0} ms",
            k + 1,
            holder + 1,
            taken.len(),
            ms(took)
        );
        match blow {
            Blow::Freeze => {
                let woke = Instant::now();
                cluster.web[holder].thaw();
                let released = until("the woken instance lets its tenants go", || async {
                    let routed = cluster.web[holder].routed(&http).await?;
                    taken.iter().all(|t| !routed.contains(t)).then_some(woke.elapsed())
                })
                .await
                .map_err(|e| format!("{e}; its log ends:\n{}", tail(&cluster.web[holder].log(), 30)))?;
                let_go.push(released);
                line.push_str(&format!("; woken, it let them go after {:.0} ms", ms(released)));
            }
            Blow::Kill | Blow::Restart => cluster.web[holder].start_again().await?,
        }
        println!("{line}");
        let routed = cluster.routed(&http).await;
        if tenants_all(&routed) < args.tenants {
            refused_problems.push(format!("after blow {}: only {} tenants routed", k + 1, tenants_all(&routed)));
        }
    }
    calling.store(false, Ordering::Relaxed);
    let _ = customers.await;

    // The calls still up end (each customer hangs up `talk` after the agent answers).
    let db_url = cluster.web[0].database_url();
    let made: Vec<String> = acked.made.lock().unwrap_or_else(|e| e.into_inner()).clone();
    let deadline = Instant::now() + args.talk + Duration::from_secs(60);
    let mut calls = read_calls(&db_url).await?;
    while made.iter().any(|id| calls.get(id).is_none_or(|c| c.state != "ended")) && Instant::now() < deadline {
        tokio::time::sleep(Duration::from_millis(250)).await;
        calls = read_calls(&db_url).await?;
    }

    let mut problems = refused_problems;
    let refused = refused.load(Ordering::Relaxed);
    if refused > 0 {
        problems.push(format!("{refused} calls refused by the telephone system (routing did not take them)"));
    }
    let (mut never, mut unanswered, mut cut) = (Vec::new(), Vec::new(), Vec::new());
    for id in &made {
        match calls.get(id) {
            None => never.push(format!("{id} (not recorded)")),
            Some(c) if c.state != "ended" => never.push(format!("{id} ({})", c.state)),
            Some(c) if c.reason.as_deref() == Some("server_restart") => cut.push(id.clone()),
            Some(c) if !c.answered => unanswered.push(format!("{id} ({:?})", c.reason)),
            Some(_) => {}
        }
    }
    for (what, list) in [("never ended", &never), ("ended unanswered", &unanswered), ("cut off by a takeover", &cut)] {
        if !list.is_empty() {
            problems.push(format!("{} calls {what}: {:?}", list.len(), list.iter().take(5).collect::<Vec<_>>()));
        }
    }
    // A call left connected: what the store recorded of it, and what each process
    // logged about it.
    if let Some(first) = never.first().and_then(|n| n.split(' ').next()) {
        problems.push(format!("the first call never ended: {}", story(&db_url, first).await?));
        let logs = cluster.web.iter().enumerate().map(|(i, s)| (format!("instance {}", i + 1), s.log()));
        for (name, log) in logs.chain([("telephony".to_owned(), cluster.phones.log())]) {
            for line in log.lines().filter(|l| l.contains(first)) {
                println!("{name}: {line}");
            }
        }
    }
    if let Some(first) = cut.first() {
        problems.push(format!("the first cut call's story: {}", story(&db_url, first).await?));
        for (i, s) in cluster.web.iter().enumerate() {
            for line in s.log().lines().filter(|l| l.contains("state read")) {
                println!("instance {}: {line}", i + 1);
            }
        }
    }
    let twice = acked.answered_twice.lock().unwrap_or_else(|e| e.into_inner()).clone();
    if !twice.is_empty() {
        problems.push(format!(
            "{} calls answered by two agents: {:?}",
            twice.len(),
            twice.iter().take(5).collect::<Vec<_>>()
        ));
    }
    let behind = views_behind(&db_url, &acked, args.agents).await?;
    if !behind.is_empty() {
        problems.push(format!(
            "{} agents' streams never showed the status the store has: {:?}",
            behind.len(),
            behind.iter().take(5).collect::<Vec<_>>()
        ));
    }
    let written = call_event_epochs(&db_url).await?;
    let stale = epochs::stale(&written);
    if !stale.is_empty() {
        problems.push(format!(
            "{} call events written under a stale epoch or outside the lease: {:?}",
            stale.len(),
            stale.iter().take(5).collect::<Vec<_>>()
        ));
    }
    let refused_work = cluster.phones.log().matches("fenced-out owner refused").count();
    let fenced_batches: usize = cluster.web.iter().map(|s| s.log().matches("fenced out").count()).sum();

    println!();
    println!("blows                 {blows} (kill, freeze, restart in turn) of the routing instance");
    println!("takeover              {}", spread(&mut takeovers));
    if let_go.len() > 0 {
        println!("frozen, woken, let go {}", spread(&mut let_go));
    }
    println!("calls made            {}", made.len());
    println!("calls answered        {}", made.len() - never.len() - unanswered.len());
    println!("calls lost            {}", never.len() + unanswered.len() + refused);
    println!("calls cut off         {}", cut.len());
    println!("calls offered twice   {} (answered by two agents)", twice.len());
    println!(
        "fenced out            {refused_work} pieces of work refused by the telephone system, {fenced_batches} batches by the store"
    );
    println!(
        "epochs                {} call events, written in {} tenures, {} under a stale epoch or outside the lease",
        written.len(),
        epochs::tenures(&written),
        stale.len()
    );
    println!("problems              {}", problems.len());
    for p in problems.iter().take(20) {
        println!("problem: {p}");
    }
    Ok(problems.is_empty())
}

/// What the store and the telephone system recorded of call `id`, with times relative
/// to its first event.
async fn story(db_url: &str, id: &str) -> Result<String, String> {
    let mut db = sqlx::PgConnection::connect(db_url).await.map_err(|e| e.to_string())?;
    let rows = sqlx::query("SELECT at, kind, agent_id FROM call_events WHERE call_id = $1 ORDER BY id")
        .bind(id)
        .fetch_all(&mut db)
        .await
        .map_err(|e| e.to_string())?;
    let first = rows.first().and_then(|r| r.try_get::<i64, _>(0).ok()).unwrap_or(0);
    let events: Vec<String> = rows
        .iter()
        .filter_map(|r| {
            let (at, kind, agent) =
                (r.try_get::<i64, _>(0).ok()?, r.try_get::<String, _>(1).ok()?, r.try_get::<Option<i32>, _>(2).ok()?);
            Some(format!("+{}ms {kind}{}", at - first, agent.map(|a| format!(" ({a})")).unwrap_or_default()))
        })
        .collect();
    Ok(format!("from {first} (Unix ms): {}", events.join(", ")))
}

/// Every call event with its tenant and the lease epoch it was written under, in the
/// order written.
async fn call_event_epochs(db_url: &str) -> Result<Vec<epochs::Written>, String> {
    let mut db = sqlx::PgConnection::connect(db_url).await.map_err(|e| e.to_string())?;
    let rows = sqlx::query(
        "SELECT e.id::BIGINT, c.tenant_id, e.epoch FROM call_events e JOIN calls c ON c.id = e.call_id ORDER BY e.id",
    )
    .fetch_all(&mut db)
    .await
    .map_err(|e| e.to_string())?;
    rows.iter()
        .map(|r| Ok(epochs::Written { id: r.try_get(0)?, tenant: r.try_get(1)?, epoch: r.try_get(2)? }))
        .collect::<Result<_, sqlx::Error>>()
        .map_err(|e| e.to_string())
}

/// The last `n` lines of `log`.
fn tail(log: &str, n: usize) -> String {
    let lines: Vec<&str> = log.lines().collect();
    lines[lines.len().saturating_sub(n)..].join("\n")
}

struct CallRow {
    state: String,
    reason: Option<String>,
    answered: bool,
}

async fn read_calls(db_url: &str) -> Result<HashMap<String, CallRow>, String> {
    let mut db = sqlx::PgConnection::connect(db_url).await.map_err(|e| e.to_string())?;
    let rows = sqlx::query("SELECT id, state, end_reason, answered_at FROM calls")
        .fetch_all(&mut db)
        .await
        .map_err(|e| e.to_string())?;
    Ok(rows
        .iter()
        .filter_map(|r| {
            let row = CallRow {
                state: r.try_get(1).ok()?,
                reason: r.try_get(2).ok()?,
                answered: r.try_get::<Option<i64>, _>(3).ok()?.is_some(),
            };
            Some((r.try_get::<String, _>(0).ok()?, row))
        })
        .collect())
}

/// The agents whose stream, within 15 s, does not show the status the store has.
async fn views_behind(db_url: &str, acked: &Acked, agents: usize) -> Result<Vec<String>, String> {
    let deadline = Instant::now() + Duration::from_secs(15);
    loop {
        let mut db = sqlx::PgConnection::connect(db_url).await.map_err(|e| e.to_string())?;
        let rows = sqlx::query(
            "SELECT u.username, s.status FROM users u JOIN agent_states s ON s.user_id = u.id WHERE u.username LIKE 'agent%'",
        )
        .fetch_all(&mut db)
        .await
        .map_err(|e| e.to_string())?;
        let stored: HashMap<String, String> =
            rows.iter().filter_map(|r| Some((r.try_get(0).ok()?, r.try_get(1).ok()?))).collect();
        let seen = acked.seen.lock().unwrap_or_else(|e| e.into_inner()).clone();
        let behind: Vec<String> = (0..agents)
            .filter_map(|i| {
                let name = format!("agent{:05}", i + 1);
                let store = stored.get(&name)?;
                let shown = seen.get(&i).map(|(_, s)| snake(s)).unwrap_or_default();
                (shown != *store).then(|| format!("{name}: stream {shown:?}, store {store:?}"))
            })
            .collect();
        if behind.is_empty() || Instant::now() > deadline {
            return Ok(behind);
        }
        tokio::time::sleep(Duration::from_millis(250)).await;
    }
}

/// A status as the stream names it (`InCall`) as the store does (`in_call`).
fn snake(status: &str) -> String {
    let mut out = String::new();
    for (i, c) in status.chars().enumerate() {
        if c.is_uppercase() && i > 0 {
            out.push('_');
        }
        out.extend(c.to_lowercase());
    }
    out
}

#[cfg(test)]
mod tests {
    #[test]
    fn statuses_read_as_the_store_names_them() {
        assert_eq!(super::snake("InCall"), "in_call");
        assert_eq!(super::snake("LoggedOut"), "logged_out");
        assert_eq!(super::snake("Wrapup"), "wrapup");
    }
}
