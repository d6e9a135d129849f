//! Routing among several instances (`RINGDESK_CLUSTER`): what routing needs of the
//! message bus between them (`crate::bus` is the NATS one). A command for a tenant this
//! instance does not route goes to the instance that does; the tenant's routing task
//! serves the commands sent to it while it holds the lease; and what it tells its
//! browsers after each commit is told to every instance, whose streams serve the
//! tenant's agents and boards too.

use async_trait::async_trait;
use tokio_util::sync::CancellationToken;

use super::request::{Answer, Request};
use crate::push::Tell;

/// Why another instance did not answer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Unanswered {
    /// No instance routes the tenant (a takeover under way), or the one asked no longer
    /// does: the request was not carried out, and may be sent again.
    NoOne,
    /// It was sent, and no answer came: it may have been carried out.
    Lost,
}

#[async_trait]
pub trait Remote: Send + Sync {
    /// Asks the instance that routes `tenant`.
    async fn ask(&self, tenant: i32, request: &Request) -> Result<Answer, Unanswered>;
    /// Serves the requests sent for `tenant` with this instance's routing, until `until`
    /// is cancelled (the task lost the lease, or the instance stops).
    fn serve(&self, tenant: i32, until: CancellationToken);
    /// Tells the other instances what `tenant`'s routing told its browsers.
    fn tell(&self, tenant: i32, tells: Vec<Tell>);
    /// Tells the other instances that this one has just taken `tenant` over (their
    /// widgets open for its agents are told again: `RoutingHandle::reannounce`).
    fn taken(&self, tenant: i32);
}
