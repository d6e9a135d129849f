//! Configuration from the environment, with defaults that run a demo on one machine.

use std::net::{IpAddr, SocketAddr};
use std::ops::RangeInclusive;

#[derive(Clone, Debug)]
pub struct Config {
    /// `RINGDESK_ADDR`: where to listen (default `127.0.0.1:3000`).
    pub addr: SocketAddr,
    /// `RINGDESK_DATABASE_URL`: SQLite or PostgreSQL (default `sqlite://data/ringdesk.db?mode=rwc`).
    pub database_url: String,
    /// `RINGDESK_SIMULATOR`: `on` or `off` (default `on`): the built-in telephony
    /// simulator and its `/sim` API, when `telephony` is `None`.
    pub simulator: bool,
    /// `RINGDESK_SIM_TOKEN`: lets `/sim` answer other hosts than this one (and requests a
    /// reverse proxy forwards), given as `Authorization: Bearer <token>`. Unset, `/sim`
    /// answers only loopback.
    pub sim_token: Option<String>,
    /// `RINGDESK_TLS_CERT` and `RINGDESK_TLS_KEY` (PEM files, both or neither): serve
    /// HTTPS, with `Secure` session cookies.
    pub tls: Option<(std::path::PathBuf, std::path::PathBuf)>,
    /// `RINGDESK_SESSION_MAX_HOURS` (default 12) and `RINGDESK_SESSION_IDLE_MINS`
    /// (default 120): a session ends that long after sign-in, or after that long
    /// without a request (an open phone widget counts as use).
    pub sessions: crate::store::auth::SessionRules,
    /// `RINGDESK_TELEPHONY`: `sim` (default) or `sip`; with `sip`, its settings.
    pub sip: Option<SipConfig>,
    /// `RINGDESK_MEDIA_DIR`: recordings played into calls (`hold-classic.wav`, …),
    /// default `media`; hold music not found there comes from Debian's
    /// asterisk-moh-opsound-wav.
    pub media_dir: std::path::PathBuf,
    /// `RINGDESK_TTS_VOICE` and `RINGDESK_TTS_DICTIONARY`: the Open JTalk voice and
    /// dictionary that speak 強制終了's guidance.
    pub voice: crate::telephony::sip::speech::Voice,
    /// `RINGDESK_DEMO`: `on` or `off` (default `on`): load the demo tenant into an
    /// empty database.
    pub demo: bool,
    /// `RINGDESK_DEMO_TICKETS`: how many past phone tickets the demo service starts
    /// with, so that its list has history to filter and page (default 300).
    pub demo_tickets: usize,
    /// `RINGDESK_DEMO_AGENTS`: extra phone agents in the demo service, `agent00001`…
    /// (password `demo1234`), for the load harness (default 0).
    pub demo_agents: usize,
    /// `RINGDESK_DEMO_TENANTS`: the tenants those agents are dealt round (default 1,
    /// the demo's); the others are `負荷テナント 2`…, reached on `+81351000002`….
    pub demo_tenants: usize,
    /// `RINGDESK_CLUSTER` (`on`/`off`, default off): one of several instances on one
    /// PostgreSQL; routing takes a lease per tenant (`RINGDESK_LEASE_MS`, 2000 by
    /// default, how long a dead instance's tenants wait for another), and instances
    /// talk over NATS (`RINGDESK_NATS_URL`, default `nats://127.0.0.1:4222`) under the
    /// cluster's name (`RINGDESK_CLUSTER_NAME`, default `ringdesk`).
    pub cluster: Option<(crate::routing::Cluster, String)>,
    /// `RINGDESK_ROLE`: what this process does (`all`, the default; in a cluster also
    /// `web` or `telephony`).
    pub role: Role,
    /// `LEPTOS_SITE_ROOT`: the built site (default `target/site`).
    pub site_root: String,
    /// The browser's audio (WebRTC): `RINGDESK_WEBRTC_CODEC` (`opus`, the default, or
    /// `pcmu`: no coding on the server for a µ-law trunk), `RINGDESK_WEBRTC_PORTS` (the
    /// UDP ports its connections use, `first-last`; default: any the system gives) and
    /// `RINGDESK_PUBLIC_IP` (the address browsers reach, behind NAT).
    pub webrtc: crate::telephony::browser::RtcSetup,
    /// `RINGDESK_DEFAULT_REGION`: the country (ISO 3166 code) of phone numbers typed
    /// without a country code (default `JP`).
    pub default_region: phonenumber::country::Id,
}

/// Real calls over SIP (`RINGDESK_TELEPHONY=sip`, docs/telephony.md).
#[derive(Clone, Debug, PartialEq)]
pub struct SipConfig {
    /// `RINGDESK_SIP_LISTEN`: where SIP is heard, UDP and TCP (default `127.0.0.1:5060`).
    pub listen: SocketAddr,
    /// `RINGDESK_SIP_TRUNK`: the carrier's addresses, comma-separated (`host:port`);
    /// the first is where outbound calls go. Calls in are taken only from these.
    pub trunk: Vec<SocketAddr>,
    /// `RINGDESK_SIP_TRUNK_USER` / `RINGDESK_SIP_TRUNK_PASSWORD`: digest credentials,
    /// for a carrier that challenges ringdesk's calls or wants it registered.
    pub trunk_credentials: Option<(String, String)>,
    /// `RINGDESK_SIP_TRUNK_REGISTER`: `on` to register with the carrier (default `off`).
    pub trunk_register: bool,
    /// `RINGDESK_PUBLIC_IP`: the address the carrier and phones reach ringdesk at, written
    /// in Contact headers and SDP (default: the listening address).
    pub public_ip: Option<IpAddr>,
    /// `RINGDESK_RTP_PORTS`: the UDP ports audio uses, `first-last` (default `20000-20999`).
    pub rtp_ports: RangeInclusive<u16>,
}

impl SipConfig {
    /// The address written where others must reach ringdesk.
    pub fn advertised_ip(&self) -> IpAddr {
        self.public_ip.unwrap_or(self.listen.ip())
    }
}

/// Where `.ci/setup.sh` puts the HTS voice (mei, from the pyopenjtalk package).
pub const DEFAULT_VOICE: &str = "/usr/local/share/ringdesk/voices/mei_normal.htsvoice";
/// Where Debian's open-jtalk-mecab-naist-jdic puts its dictionary.
pub const DEFAULT_DICTIONARY: &str = "/var/lib/mecab/dic/open-jtalk/naist-jdic";

#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    #[error("{name} must be an address like 127.0.0.1:3000, not {value:?}")]
    Addr { name: &'static str, value: String },
    #[error("{name} must be on or off, not {value:?}")]
    Switch { name: &'static str, value: String },
    #[error("{0} must be a count, not {1:?}")]
    Count(&'static str, String),
    #[error("RINGDESK_DEFAULT_REGION must be a country code like JP, not {0:?}")]
    Region(String),
    #[error("RINGDESK_TELEPHONY must be sim or sip, not {0:?}")]
    Telephony(String),
    #[error("RINGDESK_SIP_TRUNK must be addresses like 203.0.113.5:5060, comma-separated, not {0:?}")]
    Trunk(String),
    #[error("RINGDESK_PUBLIC_IP must be an IP address, not {0:?}")]
    PublicIp(String),
    #[error("RINGDESK_RTP_PORTS must be a range like 20000-20999 with an even first port, not {0:?}")]
    RtpPorts(String),
    #[error("RINGDESK_WEBRTC_CODEC must be opus or pcmu, not {0:?}")]
    WebrtcCodec(String),
    #[error("RINGDESK_WEBRTC_PORTS must be a range like 40000-40999, not {0:?}")]
    WebrtcPorts(String),
    #[error("RINGDESK_SIP_TRUNK_USER and RINGDESK_SIP_TRUNK_PASSWORD go together")]
    TrunkCredentials,
    #[error("RINGDESK_TLS_CERT and RINGDESK_TLS_KEY go together")]
    TlsPair,
    #[error("{0} must be a whole number from {1} to {2}, not {3:?}")]
    Range(&'static str, i64, i64, String),
    #[error("RINGDESK_CLUSTER needs RINGDESK_DATABASE_URL on PostgreSQL (postgres://…): instances share its leases")]
    ClusterStore,
    #[error("RINGDESK_ROLE must be all, web or telephony, not {0:?}")]
    Role(String),
    #[error("RINGDESK_ROLE={0} needs RINGDESK_CLUSTER=on: its processes talk over NATS")]
    RoleAlone(&'static str),
}

/// What one process of ringdesk does.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Role {
    /// Everything: pages, routing and the telephone system (the embedded default).
    All,
    /// Pages, server functions, streams and routing; the telephone system is the
    /// `Telephony` process's, reached over NATS. Any number of these.
    Web,
    /// The telephone system only (the simulator and its `/sim` API, or SIP with its
    /// media), for the `Web` instances: one of these, which no instance's death or
    /// upgrade touches.
    Telephony,
}

impl Config {
    pub fn from_env() -> Result<Config, ConfigError> {
        Config::from_lookup(|name| std::env::var(name).ok())
    }

    pub fn from_lookup(get: impl Fn(&str) -> Option<String>) -> Result<Config, ConfigError> {
        let addr_value = get("RINGDESK_ADDR").unwrap_or_else(|| "127.0.0.1:3000".into());
        let addr =
            addr_value.parse().map_err(|_| ConfigError::Addr { name: "RINGDESK_ADDR", value: addr_value.clone() })?;
        let switch = |name: &'static str, default: bool| -> Result<bool, ConfigError> {
            match get(name).as_deref().map(str::to_ascii_lowercase).as_deref() {
                None => Ok(default),
                Some("on" | "true" | "1" | "yes") => Ok(true),
                Some("off" | "false" | "0" | "no") => Ok(false),
                Some(other) => Err(ConfigError::Switch { name, value: other.to_owned() }),
            }
        };
        let region = get("RINGDESK_DEFAULT_REGION").unwrap_or_else(|| "JP".into());
        let default_region =
            region.trim().to_ascii_uppercase().parse().map_err(|_| ConfigError::Region(region.clone()))?;
        let number = |name: &'static str, default: i64, range: RangeInclusive<i64>| match get(name) {
            None => Ok(default),
            Some(v) => v
                .trim()
                .parse()
                .ok()
                .filter(|n| range.contains(n))
                .ok_or_else(|| ConfigError::Range(name, *range.start(), *range.end(), v.clone())),
        };
        let count = |name: &'static str, default: usize| match get(name) {
            None => Ok(default),
            Some(v) => v.trim().parse().map_err(|_| ConfigError::Count(name, v.clone())),
        };
        let demo_tickets = count("RINGDESK_DEMO_TICKETS", 300)?;
        let demo_agents = count("RINGDESK_DEMO_AGENTS", 0)?;
        let demo_tenants = count("RINGDESK_DEMO_TENANTS", 1)?;
        let database_url = get("RINGDESK_DATABASE_URL").unwrap_or_else(|| "sqlite://data/ringdesk.db?mode=rwc".into());
        let cluster = match switch("RINGDESK_CLUSTER", false)? {
            false => None,
            true if !database_url.starts_with("postgres") => return Err(ConfigError::ClusterStore),
            true => {
                let ttl = number("RINGDESK_LEASE_MS", 2000, 300..=60_000)?;
                let nats = get("RINGDESK_NATS_URL").unwrap_or_else(|| "nats://127.0.0.1:4222".into());
                let name = get("RINGDESK_CLUSTER_NAME").unwrap_or_else(|| "ringdesk".into());
                let ttl = std::time::Duration::from_millis(ttl as u64);
                Some((crate::routing::Cluster::joined(name, ttl), nats))
            }
        };
        let role = match get("RINGDESK_ROLE").as_deref().map(str::trim).map(str::to_ascii_lowercase).as_deref() {
            None | Some("all") => Role::All,
            Some("web") => Role::Web,
            Some("telephony") => Role::Telephony,
            Some(other) => return Err(ConfigError::Role(other.to_owned())),
        };
        match (role, &cluster) {
            (Role::Web, None) => return Err(ConfigError::RoleAlone("web")),
            (Role::Telephony, None) => return Err(ConfigError::RoleAlone("telephony")),
            _ => {}
        }
        let sip = match get("RINGDESK_TELEPHONY").as_deref().map(str::trim).map(str::to_ascii_lowercase).as_deref() {
            None | Some("sim") => None,
            Some("sip") => Some(sip_config(&get, &switch)?),
            Some(other) => return Err(ConfigError::Telephony(other.to_owned())),
        };
        Ok(Config {
            sip,
            media_dir: get("RINGDESK_MEDIA_DIR").unwrap_or_else(|| "media".into()).into(),
            voice: crate::telephony::sip::speech::Voice {
                voice: get("RINGDESK_TTS_VOICE").unwrap_or_else(|| DEFAULT_VOICE.into()).into(),
                dictionary: get("RINGDESK_TTS_DICTIONARY").unwrap_or_else(|| DEFAULT_DICTIONARY.into()).into(),
            },
            addr,
            demo_tickets,
            demo_agents,
            demo_tenants,
            default_region,
            database_url,
            cluster,
            role,
            simulator: switch("RINGDESK_SIMULATOR", true)?,
            sim_token: get("RINGDESK_SIM_TOKEN").filter(|t| !t.trim().is_empty()),
            tls: match (get("RINGDESK_TLS_CERT"), get("RINGDESK_TLS_KEY")) {
                (Some(cert), Some(key)) => Some((cert.into(), key.into())),
                (None, None) => None,
                _ => return Err(ConfigError::TlsPair),
            },
            sessions: crate::store::auth::SessionRules {
                max_age_ms: number("RINGDESK_SESSION_MAX_HOURS", 12, 1..=24 * 30)? * 3600 * 1000,
                idle_ms: number("RINGDESK_SESSION_IDLE_MINS", 120, 5..=24 * 60)? * 60 * 1000,
            },
            demo: switch("RINGDESK_DEMO", true)?,
            site_root: get("LEPTOS_SITE_ROOT").unwrap_or_else(|| "target/site".into()),
            webrtc: webrtc_setup(&get)?,
        })
    }
}

fn webrtc_setup(get: &impl Fn(&str) -> Option<String>) -> Result<crate::telephony::browser::RtcSetup, ConfigError> {
    use crate::telephony::browser::voice::BrowserCodec;
    let prefer = match get("RINGDESK_WEBRTC_CODEC") {
        None => None,
        Some(v) => Some(BrowserCodec::named(v.trim()).ok_or(ConfigError::WebrtcCodec(v))?),
    };
    let ports = match get("RINGDESK_WEBRTC_PORTS") {
        None => None,
        Some(v) => {
            let (a, b) = v.trim().split_once('-').ok_or_else(|| ConfigError::WebrtcPorts(v.clone()))?;
            match (a.trim().parse::<u16>(), b.trim().parse::<u16>()) {
                (Ok(a), Ok(b)) if 0 < a && a <= b => Some((a, b)),
                _ => return Err(ConfigError::WebrtcPorts(v)),
            }
        }
    };
    let public_ip = get("RINGDESK_PUBLIC_IP")
        .map(|v| {
            v.trim().parse::<std::net::IpAddr>().map(|ip| ip.to_string()).map_err(|_| ConfigError::PublicIp(v.clone()))
        })
        .transpose()?;
    Ok(crate::telephony::browser::RtcSetup { prefer, ports, public_ip })
}

fn sip_config(
    get: &impl Fn(&str) -> Option<String>,
    switch: &impl Fn(&'static str, bool) -> Result<bool, ConfigError>,
) -> Result<SipConfig, ConfigError> {
    let listen_value = get("RINGDESK_SIP_LISTEN").unwrap_or_else(|| "127.0.0.1:5060".into());
    let listen = listen_value
        .trim()
        .parse()
        .map_err(|_| ConfigError::Addr { name: "RINGDESK_SIP_LISTEN", value: listen_value.clone() })?;
    let trunk = match get("RINGDESK_SIP_TRUNK") {
        None => Vec::new(),
        Some(v) => parse_trunk(&v).ok_or(ConfigError::Trunk(v))?,
    };
    let public_ip = get("RINGDESK_PUBLIC_IP")
        .map(|v| v.trim().parse().map_err(|_| ConfigError::PublicIp(v.clone())))
        .transpose()?;
    let rtp_ports = match get("RINGDESK_RTP_PORTS") {
        None => 20000..=20999,
        Some(v) => parse_port_range(&v).ok_or(ConfigError::RtpPorts(v))?,
    };
    let trunk_credentials = match (get("RINGDESK_SIP_TRUNK_USER"), get("RINGDESK_SIP_TRUNK_PASSWORD")) {
        (Some(u), Some(p)) => Some((u, p)),
        (None, None) => None,
        _ => return Err(ConfigError::TrunkCredentials),
    };
    Ok(SipConfig {
        listen,
        trunk,
        trunk_credentials,
        trunk_register: switch("RINGDESK_SIP_TRUNK_REGISTER", false)?,
        public_ip,
        rtp_ports,
    })
}

/// `host:port` addresses, comma-separated; a host name is looked up once, at start.
fn parse_trunk(value: &str) -> Option<Vec<SocketAddr>> {
    use std::net::ToSocketAddrs;
    let mut addrs = Vec::new();
    for part in value.split(',').map(str::trim).filter(|p| !p.is_empty()) {
        let with_port = if part.rsplit_once(':').is_some_and(|(_, p)| p.parse::<u16>().is_ok()) {
            part.to_owned()
        } else {
            format!("{part}:5060")
        };
        addrs.extend(with_port.to_socket_addrs().ok()?);
    }
    (!addrs.is_empty()).then_some(addrs)
}

/// `first-last`: RTP takes even ports and RTCP the odd one above, so the range starts
/// even and holds at least one pair.
fn parse_port_range(value: &str) -> Option<RangeInclusive<u16>> {
    let (a, b) = value.trim().split_once('-')?;
    let (first, last): (u16, u16) = (a.trim().parse().ok()?, b.trim().parse().ok()?);
    (first % 2 == 0 && first >= 1024 && last > first).then_some(first..=last)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_run_the_embedded_demo() {
        let c = Config::from_lookup(|_| None).unwrap();
        assert_eq!(c.addr.to_string(), "127.0.0.1:3000");
        assert_eq!(c.database_url, "sqlite://data/ringdesk.db?mode=rwc");
        assert!(c.simulator && c.demo);
        assert_eq!(c.role, Role::All);
        assert_eq!(c.demo_tickets, 300);
        assert_eq!(c.default_region, phonenumber::country::Id::JP);
    }

    #[test]
    fn the_default_region_is_a_country_code() {
        let c = Config::from_lookup(|n| (n == "RINGDESK_DEFAULT_REGION").then(|| "us".into())).unwrap();
        assert_eq!(c.default_region, phonenumber::country::Id::US);
        assert!(Config::from_lookup(|n| (n == "RINGDESK_DEFAULT_REGION").then(|| "Japan".into())).is_err());
    }

    #[test]
    fn sip_has_defaults_and_named_refusals() {
        let sip = |extra: &'static [(&'static str, &'static str)]| {
            Config::from_lookup(move |n| {
                if n == "RINGDESK_TELEPHONY" {
                    return Some("sip".into());
                }
                extra.iter().find(|(k, _)| *k == n).map(|(_, v)| (*v).to_owned())
            })
        };
        let c = sip(&[]).unwrap().sip.unwrap();
        assert_eq!(c.listen.to_string(), "127.0.0.1:5060");
        assert_eq!(c.rtp_ports, 20000..=20999);
        assert!(c.trunk.is_empty() && c.trunk_credentials.is_none() && !c.trunk_register);
        let c = sip(&[("RINGDESK_SIP_TRUNK", "127.0.0.1:5080, 127.0.0.2"), ("RINGDESK_PUBLIC_IP", "192.0.2.7")])
            .unwrap()
            .sip
            .unwrap();
        assert_eq!(c.trunk, vec!["127.0.0.1:5080".parse().unwrap(), "127.0.0.2:5060".parse().unwrap()]);
        assert_eq!(c.advertised_ip().to_string(), "192.0.2.7");
        for (name, value) in [
            ("RINGDESK_SIP_TRUNK", "carrier.invalid:99999"),
            ("RINGDESK_RTP_PORTS", "20001-20999"),
            ("RINGDESK_RTP_PORTS", "30000-20000"),
            ("RINGDESK_PUBLIC_IP", "here"),
            ("RINGDESK_SIP_LISTEN", "5060"),
            ("RINGDESK_SIP_TRUNK_USER", "ringdesk"),
        ] {
            let err = Config::from_lookup(|n| match n {
                "RINGDESK_TELEPHONY" => Some("sip".into()),
                n if n == name => Some(value.into()),
                _ => None,
            })
            .unwrap_err();
            let said = err.to_string();
            assert!(said.contains(name.trim_end_matches("_USER")), "{name}={value}: {said}");
        }
        assert!(Config::from_lookup(|n| (n == "RINGDESK_TELEPHONY").then(|| "pbx".into())).is_err());
        assert!(Config::from_lookup(|_| None).unwrap().sip.is_none());
    }

    #[test]
    fn a_process_with_one_role_is_one_of_a_cluster() {
        let env = |vars: &'static [(&'static str, &'static str)]| {
            move |n: &str| vars.iter().find(|(k, _)| *k == n).map(|(_, v)| (*v).to_owned())
        };
        let alone = Config::from_lookup(env(&[("RINGDESK_ROLE", "telephony")])).unwrap_err();
        assert!(matches!(alone, ConfigError::RoleAlone("telephony")), "{alone}");
        let clustered = env(&[
            ("RINGDESK_ROLE", " Web "),
            ("RINGDESK_CLUSTER", "on"),
            ("RINGDESK_DATABASE_URL", "postgres://127.0.0.1/ringdesk"),
        ]);
        assert_eq!(Config::from_lookup(clustered).unwrap().role, Role::Web);
        let unknown = Config::from_lookup(env(&[("RINGDESK_ROLE", "router")])).unwrap_err();
        assert!(unknown.to_string().contains("all, web or telephony"), "{unknown}");
    }

    #[test]
    fn a_bad_switch_is_named() {
        let err = Config::from_lookup(|n| (n == "RINGDESK_SIMULATOR").then(|| "maybe".into())).unwrap_err();
        assert!(err.to_string().contains("RINGDESK_SIMULATOR"));
    }
}
