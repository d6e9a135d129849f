//! Several instances on one PostgreSQL (`RINGDESK_CLUSTER`): an instance routes a
//! tenant only while it holds the tenant's lease (`store/leases.rs`). A tenant's
//! routing task takes the lease before it reads the tenant's state, renews it every
//! third of its length, and stops as soon as a renewal fails or a transaction finds
//! the lease fenced; the claimer takes, every renewal period, the tenants no one
//! holds (a dead instance's, after its leases run out).

use std::time::Duration;

use tokio::sync::watch;

use super::handle::RoutingHandle;
use crate::store::Store;
use crate::store::leases::Lease;

/// This instance among others: the cluster's name (its instances' messages are apart
/// from another cluster's on the same NATS), the instance's own (unique per process),
/// and how long a lease lasts unrenewed.
#[derive(Clone, Debug)]
pub struct Cluster {
    pub name: String,
    pub owner: String,
    pub ttl: Duration,
}

impl Cluster {
    /// This process in the cluster `name`, named by its host, process id and a random
    /// part.
    pub fn joined(name: String, ttl: Duration) -> Cluster {
        let host = std::fs::read_to_string("/etc/hostname").map(|h| h.trim().to_owned()).unwrap_or_default();
        let owner = format!("{host}:{}:{}", std::process::id(), &uuid::Uuid::new_v4().simple().to_string()[..8]);
        Cluster { name, owner, ttl }
    }

    pub(super) fn ttl_ms(&self) -> i64 {
        self.ttl.as_millis() as i64
    }

    fn renew_every(&self) -> Duration {
        self.ttl / 3
    }
}

/// Renews `lease` until the task it belongs to stops (`held` is dropped) or a renewal
/// fails; then says it is lost. A renewal the store cannot answer is tried again
/// until the lease would have run out.
pub(super) fn keep(store: Store, cluster: Cluster, lease: Lease) -> watch::Receiver<bool> {
    let (lost, held) = watch::channel(false);
    tokio::spawn(async move {
        let mut kept_at = tokio::time::Instant::now();
        let mut tick = tokio::time::interval(cluster.renew_every());
        tick.tick().await;
        loop {
            tokio::select! {
                _ = tick.tick() => {}
                _ = lost.closed() => return,
            }
            match store.keep_lease(lease, &cluster.owner, cluster.ttl_ms()).await {
                Ok(true) => kept_at = tokio::time::Instant::now(),
                Ok(false) => break,
                Err(e) => {
                    tracing::warn!(error = %e, tenant = lease.tenant_id, "routing: cannot renew the lease");
                    if kept_at.elapsed() >= cluster.ttl {
                        break;
                    }
                }
            }
        }
        tracing::warn!(tenant = lease.tenant_id, "routing: the lease is lost; this instance stops routing the tenant");
        let _ = lost.send(true);
    });
    held
}

/// Takes, every renewal period, the tenants whose lease no one holds.
pub(super) fn claim(routing: RoutingHandle, store: Store, cluster: Cluster) {
    tokio::spawn(async move {
        let mut tick = tokio::time::interval(cluster.renew_every());
        loop {
            tick.tick().await;
            match store.unleased_tenants().await {
                Ok(tenants) => {
                    for tenant in tenants {
                        routing.claim(tenant);
                    }
                }
                Err(e) => tracing::warn!(error = %e, "routing: cannot read which tenants are unleased"),
            }
        }
    });
}
