//! The harness's arguments: `--agents N --rate R --talk T --duration D` and friends.

use std::time::Duration;

#[derive(Clone, Debug)]
pub struct Args {
    /// Agents signed in, streaming and 待機.
    pub agents: usize,
    /// Tenants the agents are dealt round, and the customers' calls too (each tenant
    /// has its own routing task).
    pub tenants: usize,
    /// Customer calls a second (0: agents only, idle).
    pub rate: f64,
    /// How long each answered call talks before the customer hangs up.
    pub talk: Duration,
    /// How long customers keep calling.
    pub duration: Duration,
    /// The release server binary to start.
    pub server: String,
    /// Sign-ins at once (each is an Argon2 check on the server).
    pub sign_in_concurrency: usize,
    /// Real calls over SIP: sipp is the carrier (calling in with audio) and every agent's
    /// phone (answering and echoing the audio); agents do not answer over HTTP.
    pub sip: bool,
    /// A soak: the server's memory, open files and offer latency are printed this often
    /// while customers call (`--sample 60s`), and how they moved after warm-up at the end.
    pub sample: Option<Duration>,
    /// Agents talk in the browser: each connects a softphone (WebRTC) in this codec, and
    /// the customers hum; 応答 → audio is timed.
    pub browser: Option<ringdesk_load::softphone::Codec>,
    /// Crashes: the server is killed (SIGKILL) this many times at random moments while
    /// customers call, and the store is checked after each restart (`chaos`).
    pub kills: Option<usize>,
    /// Supervisors watching the board (`/board/events`) while customers call.
    pub supervisors: usize,
    /// The store on this PostgreSQL server (a database made for the run and dropped
    /// after it) instead of a fresh SQLite file.
    pub postgres: Option<String>,
    /// Failovers between two instances of a cluster (`failover.rs`), needing
    /// `--postgres` and a NATS server (`--nats`).
    pub failover: Option<usize>,
    pub nats: String,
    /// How long a tenant's lease lasts unrenewed in `--failover` (`RINGDESK_LEASE_MS`).
    pub lease: Duration,
    /// A cluster of this many instances (`RINGDESK_ROLE=web`) and the telephone
    /// system's own process, on `--postgres` and `--nats` (0: one process does all).
    pub instances: usize,
}

impl Args {
    pub fn parse(mut it: impl Iterator<Item = String>) -> Result<Args, String> {
        let mut a = Args {
            agents: 10,
            tenants: 1,
            rate: 5.0,
            talk: Duration::from_secs(1),
            duration: Duration::from_secs(10),
            server: default_server(),
            sign_in_concurrency: 4,
            sip: false,
            sample: None,
            browser: None,
            kills: None,
            supervisors: 0,
            postgres: None,
            failover: None,
            nats: "nats://127.0.0.1:4222".into(),
            lease: Duration::from_secs(2),
            instances: 0,
        };
        while let Some(flag) = it.next() {
            let mut value = || it.next().ok_or_else(|| format!("{flag} needs a value"));
            match flag.as_str() {
                "--agents" => a.agents = value()?.parse().map_err(|_| "--agents: a count")?,
                "--tenants" => a.tenants = value()?.parse().map_err(|_| "--tenants: a count")?,
                "--rate" => a.rate = value()?.parse().map_err(|_| "--rate: calls a second")?,
                "--talk" => a.talk = duration(&value()?)?,
                "--duration" => a.duration = duration(&value()?)?,
                "--server" => a.server = value()?,
                "--sign-in-concurrency" => {
                    a.sign_in_concurrency = value()?.parse().map_err(|_| "--sign-in-concurrency: a count")?
                }
                "--sip" => a.sip = true,
                "--sample" => a.sample = Some(duration(&value()?)?),
                "--browser" => {
                    a.browser = Some(match value()?.as_str() {
                        "opus" => ringdesk_load::softphone::Codec::Opus,
                        "pcmu" => ringdesk_load::softphone::Codec::Pcmu,
                        other => return Err(format!("--browser: opus or pcmu, not {other}")),
                    })
                }
                "--kills" => a.kills = Some(value()?.parse().map_err(|_| "--kills: a count")?),
                "--supervisors" => a.supervisors = value()?.parse().map_err(|_| "--supervisors: a count")?,
                "--postgres" => a.postgres = Some(value()?),
                "--failover" => a.failover = Some(value()?.parse().map_err(|_| "--failover: a count")?),
                "--nats" => a.nats = value()?,
                "--lease" => a.lease = duration(&value()?)?,
                "--instances" => a.instances = value()?.parse().map_err(|_| "--instances: a count")?,
                "--help" | "-h" => return Err(USAGE.into()),
                other => return Err(format!("unknown argument {other}\n{USAGE}")),
            }
        }
        if a.agents == 0 {
            return Err("--agents must be at least 1".into());
        }
        if a.tenants == 0 || a.tenants > a.agents {
            return Err("--tenants: from 1 to the number of agents".into());
        }
        if a.failover.is_some() && a.postgres.is_none() {
            return Err("--failover runs a cluster: it needs --postgres URL".into());
        }
        if a.instances > 0 && a.postgres.is_none() {
            return Err("--instances runs a cluster: it needs --postgres URL".into());
        }
        if a.kills.is_some() && a.postgres.is_some() && a.instances < 2 {
            return Err("--kills on one server checks its SQLite file afterwards: not with --postgres (in a cluster: --instances 2 or more)".into());
        }
        Ok(a)
    }
}

pub const USAGE: &str = "usage: load [--agents N] [--tenants N] [--rate CALLS_PER_SEC] [--talk 1s|500ms] [--duration 60s] [--server PATH] [--sip] [--sample 60s] [--browser opus|pcmu] [--kills N] [--supervisors N] [--postgres postgres://user@host/db] [--failover N] [--instances N] [--nats nats://host:4222] [--lease 2s]";

/// `500ms`, `2s`, `1m`.
fn duration(s: &str) -> Result<Duration, String> {
    let bad = || format!("{s:?} is not a duration like 500ms, 2s or 1m");
    let (n, unit) = s.find(|c: char| !c.is_ascii_digit() && c != '.').map(|i| s.split_at(i)).ok_or_else(bad)?;
    let n: f64 = n.parse().map_err(|_| bad())?;
    let secs = match unit {
        "ms" => n / 1000.0,
        "s" => n,
        "m" => n * 60.0,
        _ => return Err(bad()),
    };
    Ok(Duration::from_secs_f64(secs))
}

/// The server binary beside this one (both are in the release target folder).
fn default_server() -> String {
    std::env::current_exe()
        .ok()
        .and_then(|p| p.parent().map(|d| d.join("server")))
        .map(|p| p.display().to_string())
        .unwrap_or_else(|| "server".into())
}
