//! The harness over real SIP (`--sip`): with the agents 待機, sipp registers every
//! agent's phone (one sipp answers for all of them, echoing what it hears), then sipp as
//! the carrier calls in at the rate for the duration, each customer streaming a tone for
//! the talk time and hanging up. Reported: calls set up and failed, set-up time (INVITE →
//! 200 OK, which waits for the agent's phone to answer) p50/p99, the calls up at once,
//! RTP packets ringdesk read and relayed, datagrams the kernel dropped (at ringdesk's
//! sockets, and at the rig's), and the server's CPU per call.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::process::Stdio;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use futures::StreamExt;
use tokio::process::{Child, Command};

use crate::args::Args;
use crate::server::Server;
use crate::stats;

/// The RTP ports the harness gives the server (`RINGDESK_RTP_PORTS` in server.rs).
const RINGDESK_RTP: std::ops::RangeInclusive<u16> = 20000..=29999;

pub fn free_udp_port() -> Result<u16, String> {
    std::net::UdpSocket::bind("127.0.0.1:0").and_then(|s| s.local_addr()).map(|a| a.port()).map_err(|e| e.to_string())
}

fn scenario(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("sipp").join(name)
}

fn carrier_scenario() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/sipp/call.xml")
}

fn sipp(dir: &Path, args: &[String]) -> Result<Child, String> {
    Command::new("sipp")
        .args(args)
        .current_dir(dir)
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .kill_on_drop(true)
        .spawn()
        .map_err(|e| format!("cannot run sipp (apt-get install sip-tester): {e}"))
}

fn s(x: impl ToString) -> String {
    x.to_string()
}

/// Answers whether every call was set up.
pub async fn run(args: &Args, server: &Server, sip_port: u16, agents: usize) -> Result<bool, String> {
    let dir = server.dir().to_owned();
    let target = format!("127.0.0.1:{sip_port}");
    // The phones' sipp: one listener for every agent's phone, media on loopback.
    let phones_port = free_udp_port()?;
    let _phones = sipp(
        &dir,
        &[
            s("-sf"),
            scenario("phones.xml").display().to_string(),
            s("-i"),
            s("127.0.0.1"),
            s("-mi"),
            s("127.0.0.1"),
            s("-p"),
            s(phones_port),
            s("-mp"),
            s(free_udp_port()?),
            s("-rtp_echo"),
            s("-nostdin"),
            s("-m"),
            s(10_000_000),
        ],
    )?;
    // Register them all: agent00001… with the demo password, 16 at a time.
    let t = Instant::now();
    let failures: Vec<String> = futures::stream::iter(1..=agents)
        .map(|n| {
            let (dir, target) = (dir.clone(), target.clone());
            async move {
                let user = format!("agent{n:05}");
                let args = [
                    target,
                    s("-sf"),
                    scenario("register.xml").display().to_string(),
                    s("-s"),
                    user.clone(),
                    s("-au"),
                    user.clone(),
                    s("-ap"),
                    s("demo1234"),
                    s("-i"),
                    s("127.0.0.1"),
                    s("-p"),
                    s(free_udp_port()?),
                    s("-key"),
                    s("phones"),
                    s(phones_port),
                    s("-m"),
                    s(1),
                    s("-nostdin"),
                    s("-timeout"),
                    s("30s"),
                    s("-timeout_error"),
                ];
                let out = sipp(&dir, &args)?.wait_with_output().await.map_err(|e| e.to_string())?;
                if out.status.success() {
                    Ok(())
                } else {
                    Err(format!("{user}: {}", String::from_utf8_lossy(&out.stderr)))
                }
            }
        })
        .buffer_unordered(16)
        .filter_map(|r: Result<(), String>| async move { r.err() })
        .collect()
        .await;
    if let Some(first) = failures.first() {
        return Err(format!("{} phones could not register; the first: {first}", failures.len()));
    }
    println!("{agents} phones registered in {:.1} s", t.elapsed().as_secs_f64());

    // The carrier: customers call at the rate, each streaming a 440 Hz tone for the talk.
    let tone = dir.join("customer.wav");
    let made = std::process::Command::new("sox")
        .args(["-n", "-r", "8000", "-c", "1", "-e", "u-law"])
        .arg(&tone)
        .args(["synth", "30", "sine", "440", "vol", "0.5"])
        .status()
        .map_err(|e| format!("sox: {e} (apt-get install sox)"))?;
    if !made.success() {
        return Err("sox could not make the customer's tone".into());
    }
    let count = (args.rate * args.duration.as_secs_f64()).round().max(1.0) as usize;
    let at_once = (args.rate * args.talk.as_secs_f64()).ceil() as usize + 10;
    let before = stats::process_use(server.pid());
    let drops_before = udp_buffer_drops();
    let load = Instant::now();
    let carrier = sipp(
        &dir,
        &[
            target,
            s("-sf"),
            carrier_scenario().display().to_string(),
            s("-s"),
            s("+81350000000"),
            s("-i"),
            s("127.0.0.1"),
            s("-mi"),
            s("127.0.0.1"),
            s("-p"),
            s(free_udp_port()?),
            s("-mp"),
            s(free_udp_port()?),
            s("-r"),
            s(args.rate),
            s("-l"),
            s(at_once),
            s("-m"),
            s(count),
            s("-d"),
            s(args.talk.as_millis()),
            s("-trace_rtt"),
            s("-rtt_freq"),
            s(1),
            s("-trace_stat"),
            s("-fd"),
            s(1),
            s("-nostdin"),
            s("-timeout"),
            s(format!("{}s", args.duration.as_secs() + args.talk.as_secs() + 120)),
            s("-timeout_error"),
        ],
    )?;
    // Which sockets the kernel dropped datagrams for: ringdesk's RTP ports, or the rig's.
    // Sockets come and go with the calls, so they are looked at while the calls run.
    let seen = Arc::new(Mutex::new(HashMap::new()));
    let sampling = {
        let seen = seen.clone();
        tokio::spawn(async move {
            loop {
                socket_drops(&mut seen.lock().unwrap_or_else(|p| p.into_inner()));
                tokio::time::sleep(Duration::from_millis(250)).await;
            }
        })
    };
    let out = carrier.wait_with_output().await.map_err(|e| e.to_string())?;
    sampling.abort();
    let elapsed = load.elapsed();
    let after = stats::process_use(server.pid());
    let (ours, rigs) =
        seen.lock().unwrap_or_else(|p| p.into_inner()).values().fold((0u64, 0u64), |(o, r), (port, drops)| {
            if RINGDESK_RTP.contains(port) { (o + drops, r) } else { (o, r + drops) }
        });
    let kernel_drops = udp_buffer_drops().zip(drops_before).map(|(a, b)| a.saturating_sub(b));
    // The server logs its media counts every 5 s: wait for the count after the last call.
    tokio::time::sleep(Duration::from_secs(6)).await;

    let (successful, failed, peak) = call_counts(&dir);
    let setup = setup_times(&dir);
    let log = server.log();
    let (received, relayed) = (media_count(&log, "received"), media_count(&log, "relayed"));
    // Each answered call: the customer's tone to the phone and its echo back, 50 packets
    // a second each way for the talk.
    let expected = successful as f64 * args.talk.as_secs_f64() * 50.0 * 2.0;
    println!();
    println!("calls set up          {successful} of {count} ({failed} failed)");
    println!("calls up at once      {peak} (peak)");
    if let Some((p50, p99)) = setup {
        println!(
            "set-up time           p50 {p50:.0} ms, p99 {p99:.0} ms (INVITE → 200 OK, after the agent's phone answered; sipp's 1 ms resolution)"
        );
    }
    if received > 0 {
        let lost = received.saturating_sub(relayed) as f64 / received as f64 * 100.0;
        println!("RTP in ringdesk       {received} packets read, {relayed} relayed ({lost:.3} % not relayed)");
    }
    if let Some(d) = kernel_drops {
        println!(
            "UDP buffer overflows  {d} on the machine: {ours} at ringdesk's RTP sockets, {rigs} at the test rig's (sipp)"
        );
    }
    if expected > 0.0 {
        let short = (1.0 - relayed as f64 / expected).max(0.0) * 100.0;
        println!(
            "RTP relayed           {relayed} of about {expected:.0} sent by the customers and phones ({short:.2} % short)"
        );
    }
    if let (Some(b), Some(a)) = (before, after) {
        let cpu = a.cpu.saturating_sub(b.cpu).as_secs_f64();
        println!(
            "server CPU            {cpu:.1} s over {:.1} s ({:.0} % of one core)",
            elapsed.as_secs_f64(),
            cpu / elapsed.as_secs_f64() * 100.0
        );
        if successful > 0 {
            println!(
                "CPU per call          {:.1} ms ({:.2} ms a second of talk)",
                cpu * 1000.0 / successful as f64,
                cpu * 1000.0 / (successful as f64 * args.talk.as_secs_f64())
            );
        }
        println!("server peak memory    {:.1} MB", a.peak_rss_kib as f64 / 1024.0);
    }
    if !out.status.success() && failed == 0 {
        println!("sipp: {}", String::from_utf8_lossy(&out.stderr).lines().last().unwrap_or_default());
    }
    Ok(failed == 0 && successful == count)
}

/// sipp's statistics file: the last line's successful and failed calls, and the most calls
/// up at once.
fn call_counts(dir: &Path) -> (usize, usize, usize) {
    let Some(text) = read_ending(dir, "_.csv") else { return (0, 0, 0) };
    let mut lines = text.lines();
    let header: Vec<&str> = lines.next().unwrap_or_default().split(';').collect();
    let col = |name: &str| header.iter().position(|h| *h == name);
    let (ok, failed, current) = (col("SuccessfulCall(C)"), col("FailedCall(C)"), col("CurrentCall"));
    let mut peak = 0;
    let mut last = (0, 0);
    for line in lines {
        let f: Vec<&str> = line.split(';').collect();
        let get = |c: Option<usize>| c.and_then(|c| f.get(c)).and_then(|v| v.trim().parse::<usize>().ok()).unwrap_or(0);
        peak = peak.max(get(current));
        last = (get(ok), get(failed));
    }
    (last.0, last.1, peak)
}

/// The set-up times sipp measured for each call (`rtd` on the 200 OK; the file's columns
/// are `Date_ms;response_time_ms;rtd_no`), p50 and p99 in ms.
fn setup_times(dir: &Path) -> Option<(f64, f64)> {
    let text = read_ending(dir, "_rtt.csv")?;
    let mut ms: Vec<f64> = text.lines().skip(1).filter_map(|l| l.split(';').nth(1)?.trim().parse().ok()).collect();
    if ms.is_empty() {
        return None;
    }
    ms.sort_by(|a, b| a.total_cmp(b));
    let at = |q: f64| ms[((ms.len() - 1) as f64 * q).round() as usize];
    Some((at(0.5), at(0.99)))
}

/// The last count `name` (received, relayed) of the server's media log lines.
fn media_count(log: &str, name: &str) -> u64 {
    log.lines()
        .filter(|l| l.contains("SIP media"))
        .map(without_colours)
        .filter_map(|l| l.split(&format!(" {name}=")).nth(1)?.split_whitespace().next()?.parse().ok())
        .next_back()
        .unwrap_or(0)
}

/// A log line without its terminal colour codes (`ESC [ … m`).
fn without_colours(line: &str) -> String {
    let mut out = String::with_capacity(line.len());
    let mut chars = line.chars();
    while let Some(c) = chars.next() {
        if c == '\u{1b}' {
            for c in chars.by_ref() {
                if c == 'm' {
                    break;
                }
            }
        } else {
            out.push(c);
        }
    }
    out
}

/// Per UDP socket (by inode): its local port and the datagrams the kernel dropped for it
/// (`/proc/net/udp`).
fn socket_drops(into: &mut HashMap<u64, (u16, u64)>) {
    let Ok(text) = std::fs::read_to_string("/proc/net/udp") else { return };
    for line in text.lines().skip(1) {
        let f: Vec<&str> = line.split_whitespace().collect();
        let (Some(local), Some(inode), Some(drops)) = (f.get(1), f.get(9), f.last()) else { continue };
        let port = local.rsplit(':').next().and_then(|p| u16::from_str_radix(p, 16).ok()).unwrap_or(0);
        let (Ok(inode), Ok(drops)) = (inode.parse::<u64>(), drops.parse::<u64>()) else { continue };
        let e = into.entry(inode).or_insert((port, 0));
        e.1 = e.1.max(drops);
    }
}

/// UDP datagrams the kernel dropped for full receive buffers, machine-wide
/// (`/proc/net/snmp`, Udp RcvbufErrors).
fn udp_buffer_drops() -> Option<u64> {
    let snmp = std::fs::read_to_string("/proc/net/snmp").ok()?;
    let mut udp = snmp.lines().filter(|l| l.starts_with("Udp:"));
    let (names, values) = (udp.next()?, udp.next()?);
    let i = names.split_whitespace().position(|n| n == "RcvbufErrors")?;
    values.split_whitespace().nth(i)?.parse().ok()
}

fn read_ending(dir: &Path, suffix: &str) -> Option<String> {
    std::fs::read_dir(dir)
        .ok()?
        .flatten()
        .find(|e| {
            let name = e.file_name().to_string_lossy().into_owned();
            name.starts_with("call_") && name.ends_with(suffix)
        })
        .and_then(|e| std::fs::read_to_string(e.path()).ok())
}
