//! Crashes under load (`--kills N`): customers call and agents work as in a load run,
//! and at random moments the server is killed (SIGKILL: nothing flushed, no goodbye)
//! and started again on the same database. After each restart, with customers paused,
//! the store is read (a snapshot of the SQLite file) and held against what the server
//! had acknowledged before it died:
//!
//! - every 応答 it answered is a call with that agent and a ticket that exists;
//! - every status change it answered is in the agent's status history;
//! - no call answered before the crash is still open (half-open) after it;
//! - no agent's status contradicts the calls (ringing or talking with no such call, a
//!   connected call whose agent is not in it).
//!
//! At the end, every call a customer made has ended. Any of these failing fails the run.

pub mod acked;
mod check;
mod cluster;
mod epochs;

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use serde_json::json;

use crate::agent::Agent;
use crate::args::Args;
use crate::server::Server;
use crate::stats::Samples;
use acked::{Acked, now_ms};
use check::{calls, check, cut_off, settle};

pub async fn run(args: &Args, kills: usize) -> Result<bool, String> {
    if args.instances >= 2 {
        return cluster::run(args, kills).await;
    }
    println!(
        "chaos: {} agents, {} calls/s, talk {:?}, {kills} crashes (SIGKILL) at random moments",
        args.agents, args.rate, args.talk
    );
    let mut server = Server::start(&args.server, args.agents, args.tenants, None, None).await?;
    let http = reqwest::Client::new();
    let agents = Agent::sign_in_all(&http, &server.url, args.agents, args.sign_in_concurrency).await?;
    let acked = Arc::new(Acked::default());
    for a in &agents {
        tokio::spawn(a.clone().work_through_crashes(acked.clone(), args.talk));
    }

    // Customers call at the rate, except while the store is being checked.
    let paused = Arc::new(AtomicBool::new(false));
    let calling = Arc::new(AtomicBool::new(true));
    let customers = {
        let (http, url, acked, paused, calling) =
            (http.clone(), server.url.clone(), acked.clone(), paused.clone(), calling.clone());
        let every = Duration::from_secs_f64(1.0 / args.rate.max(0.1));
        tokio::spawn(async move {
            let mut i = 0;
            while calling.load(Ordering::Relaxed) {
                tokio::time::sleep(every).await;
                if paused.load(Ordering::Relaxed) {
                    continue;
                }
                i += 1;
                let (http, url, acked) = (http.clone(), url.clone(), acked.clone());
                tokio::spawn(async move {
                    let from = format!("+813{:08}", 20_000_000 + i);
                    let made = http
                        .post(format!("{url}/sim/calls"))
                        .json(&json!({ "from": from, "to": crate::service_number(0) }))
                        .timeout(crate::agent::REQUEST_TIMEOUT)
                        .send()
                        .await;
                    if let Ok(r) = made
                        && r.status().as_u16() == 201
                        && let Ok(v) = r.json::<serde_json::Value>().await
                        && let Some(id) = v["call_id"].as_str()
                    {
                        acked.made(id.to_owned());
                    }
                });
            }
        })
    };

    let mut problems: Vec<String> = Vec::new();
    let mut restarts = Samples::default();
    for k in 1..=kills {
        // A random moment under load: between half a second and three seconds on.
        let wait = Duration::from_millis(500 + rand::random::<u64>() % 2_500);
        tokio::time::sleep(wait).await;
        let killed_at = now_ms();
        let took = server.crash_and_restart().await?;
        restarts.push(took);
        // Customers wait while the store is read; the agents' streams come back by
        // themselves and the calls that were ringing settle.
        paused.store(true, Ordering::Relaxed);
        settle(&server).await;
        let found = check(&server, &acked, killed_at).await?;
        println!(
            "crash {k}: back in {:.2} s; {}",
            took.as_secs_f64(),
            if found.is_empty() { "store consistent".into() } else { format!("{} problems", found.len()) }
        );
        problems.extend(found.into_iter().map(|p| format!("after crash {k}: {p}")));
        paused.store(false, Ordering::Relaxed);
    }
    calling.store(false, Ordering::Relaxed);
    let _ = customers.await;
    // The calls still up end (the customers hang up after `talk`); then every call made
    // must have ended.
    let deadline = Instant::now() + args.talk + Duration::from_secs(30);
    while !calls(&server, false).await?.is_empty() && Instant::now() < deadline {
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    let made = acked.made.lock().unwrap_or_else(|e| e.into_inner()).clone();
    let ended = calls(&server, true).await?;
    let never_ended: Vec<&String> = made.iter().filter(|id| !ended.contains(id.as_str())).collect();
    if !never_ended.is_empty() {
        problems.push(format!(
            "{} calls made never ended: {:?}",
            never_ended.len(),
            never_ended.iter().take(5).collect::<Vec<_>>()
        ));
    }

    let statuses = acked.statuses.lock().unwrap_or_else(|e| e.into_inner()).len();
    let answers = acked.answers.lock().unwrap_or_else(|e| e.into_inner()).len();
    println!();
    println!("crashes               {kills}");
    println!("back after a crash    {}", restarts.summary());
    println!("calls made            {}", made.len());
    println!("calls cut off         {} (talking when the server died; ended by its restart)", cut_off(&server).await?);
    println!("status changes acked  {statuses}, every one checked in the store after each crash");
    println!("応答 acked            {answers}, every one checked in the store after each crash");
    println!("problems              {}", problems.len());
    for p in problems.iter().take(20) {
        println!("problem: {p}");
    }
    Ok(problems.is_empty())
}
