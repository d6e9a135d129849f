//! Configuration from the environment, with defaults that run a demo on one machine.

use std::net::SocketAddr;

#[derive(Clone, Debug)]
pub struct Config {
    /// `RINGDESK_ADDR`: where to listen (default `127.0.0.1:3000`).
    pub addr: SocketAddr,
    /// `RINGDESK_DATABASE_URL`: SQLite or PostgreSQL (default `sqlite://data/ringdesk.db?mode=rwc`).
    pub database_url: String,
    /// `RINGDESK_SIMULATOR`: `on` or `off` (default `on`): the built-in telephony
    /// simulator and its `/sim` API.
    pub simulator: bool,
    /// `RINGDESK_DEMO`: `on` or `off` (default `on`): load the demo tenant into an
    /// empty database.
    pub demo: bool,
    /// `RINGDESK_DEMO_TICKETS`: how many past phone tickets the demo service starts
    /// with, so that its list has history to filter and page (default 300).
    pub demo_tickets: usize,
    /// `RINGDESK_DEMO_AGENTS`: extra phone agents in the demo service, `agent00001`…
    /// (password `demo1234`), for the load harness (default 0).
    pub demo_agents: usize,
    /// `LEPTOS_SITE_ROOT`: the built site (default `target/site`).
    pub site_root: String,
    /// `RINGDESK_DEFAULT_REGION`: the country (ISO 3166 code) of phone numbers typed
    /// without a country code (default `JP`).
    pub default_region: phonenumber::country::Id,
}

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
}

impl Config {
    pub fn from_env() -> Result<Config, ConfigError> {
        Config::from_lookup(|name| std::env::var(name).ok())
    }

    pub fn from_lookup(get: impl Fn(&str) -> Option<String>) -> Result<Config, ConfigError> {
        let addr_value = get("RINGDESK_ADDR").unwrap_or_else(|| "127.0.0.1:3000".into());
        let addr = addr_value
            .parse()
            .map_err(|_| ConfigError::Addr { name: "RINGDESK_ADDR", value: addr_value.clone() })?;
        let switch = |name: &'static str, default: bool| -> Result<bool, ConfigError> {
            match get(name).as_deref().map(str::to_ascii_lowercase).as_deref() {
                None => Ok(default),
                Some("on" | "true" | "1" | "yes") => Ok(true),
                Some("off" | "false" | "0" | "no") => Ok(false),
                Some(other) => Err(ConfigError::Switch { name, value: other.to_owned() }),
            }
        };
        let region = get("RINGDESK_DEFAULT_REGION").unwrap_or_else(|| "JP".into());
        let default_region = region.trim().to_ascii_uppercase().parse().map_err(|_| ConfigError::Region(region.clone()))?;
        let count = |name: &'static str, default: usize| match get(name) {
            None => Ok(default),
            Some(v) => v.trim().parse().map_err(|_| ConfigError::Count(name, v.clone())),
        };
        let demo_tickets = count("RINGDESK_DEMO_TICKETS", 300)?;
        let demo_agents = count("RINGDESK_DEMO_AGENTS", 0)?;
        Ok(Config {
            addr,
            demo_tickets,
            demo_agents,
            default_region,
            database_url: get("RINGDESK_DATABASE_URL").unwrap_or_else(|| "sqlite://data/ringdesk.db?mode=rwc".into()),
            simulator: switch("RINGDESK_SIMULATOR", true)?,
            demo: switch("RINGDESK_DEMO", true)?,
            site_root: get("LEPTOS_SITE_ROOT").unwrap_or_else(|| "target/site".into()),
        })
    }
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
    fn a_bad_switch_is_named() {
        let err = Config::from_lookup(|n| (n == "RINGDESK_SIMULATOR").then(|| "maybe".into())).unwrap_err();
        assert!(err.to_string().contains("RINGDESK_SIMULATOR"));
    }
}
