//! Several instances of ringdesk on one PostgreSQL and NATS (`--instances N`): N
//! instances that serve the agents and route (`RINGDESK_ROLE=web`), and the telephone
//! system's own process (`RINGDESK_ROLE=telephony`), which the customers call.

use std::time::{Duration, Instant};

use crate::args::Args;
use crate::server::Server;

pub struct Cluster {
    pub web: Vec<Server>,
    pub phones: Server,
}

impl Cluster {
    pub async fn start(args: &Args) -> Result<Cluster, String> {
        let admin = args.postgres.as_deref().ok_or("--instances needs --postgres URL")?;
        let settings = vec![
            ("RINGDESK_CLUSTER", "on".to_owned()),
            ("RINGDESK_NATS_URL", args.nats.clone()),
            ("RINGDESK_CLUSTER_NAME", format!("load{}", std::process::id())),
            ("RINGDESK_LEASE_MS", args.lease.as_millis().to_string()),
            ("RINGDESK_ROLE", "web".to_owned()),
            ("RUST_LOG", "warn,server::routing::actor=info".to_owned()),
        ];
        let first = Server::start_with(&args.server, args.agents, args.tenants, None, Some(admin), settings).await?;
        let mut web = vec![first];
        while web.len() < args.instances.max(1) {
            let next = web[0].another().await?;
            web.push(next);
        }
        let phones = web[0].another_with(&[("RINGDESK_ROLE", "telephony")]).await?;
        let cluster = Cluster { web, phones };
        let http = reqwest::Client::new();
        let deadline = Instant::now() + Duration::from_secs(30);
        while cluster.routed(&http).await.iter().map(Vec::len).sum::<usize>() < args.tenants {
            if Instant::now() > deadline {
                return Err("not within 30 s: the instances route every tenant".into());
            }
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
        Ok(cluster)
    }

    /// The instances' addresses, for the agents to spread over.
    pub fn urls(&self) -> Vec<String> {
        self.web.iter().map(|s| s.url.clone()).collect()
    }

    /// The tenants each instance routes (none for one that does not answer).
    pub async fn routed(&self, http: &reqwest::Client) -> Vec<Vec<i64>> {
        let mut routed = Vec::new();
        for s in &self.web {
            routed.push(s.routed(http).await.unwrap_or_default());
        }
        routed
    }

    /// Every process's id, named.
    pub fn pids(&self) -> Vec<(String, u32)> {
        let web = self.web.iter().enumerate().map(|(i, s)| (format!("instance {}", i + 1), s.pid()));
        web.chain([("telephony".to_owned(), self.phones.pid())]).collect()
    }
}
