//! The message bus between instances (`RINGDESK_CLUSTER`), on NATS: routing's commands
//! go to the instance that routes their tenant (`rd.<cluster>.routing.<tenant>`, request
//! and reply), and what a tenant's routing tells its browsers goes to every other
//! instance (`rd.<cluster>.views.<tenant>`), whose agents' and boards' streams serve the tenant too. NATS
//! keeps each publisher's messages on a subject in order, so every instance's hub sees
//! a tenant's views in the order routing committed them. An instance that takes a
//! tenant over says so (`rd.<cluster>.taken.<tenant>`): the others tell it again which
//! of the tenant's agents have a widget open on them.

use std::sync::Arc;
use std::time::Duration;

use async_trait::async_trait;
use futures::StreamExt;
use tokio::sync::mpsc;
use tokio_util::sync::CancellationToken;

use crate::push::{Hub, Tell};
use crate::routing::remote::{Remote, Unanswered};
use crate::routing::{Answer, Request, RoutingHandle};

/// How long a command sent to another instance waits for its answer.
const ASK_TIMEOUT: Duration = Duration::from_secs(5);

#[derive(Debug, thiserror::Error)]
#[error("cannot reach NATS at {url}: {error}")]
pub struct BusError {
    url: String,
    error: String,
}

impl BusError {
    pub fn new(url: &str, error: &dyn std::fmt::Display) -> BusError {
        BusError { url: url.to_owned(), error: error.to_string() }
    }
}

pub struct Bus {
    client: async_nats::Client,
    /// This instance's routing, serving the commands other instances send it.
    routing: RoutingHandle,
    /// The cluster's name: its subjects are `rd.<name>.…`.
    name: String,
    /// What routing tells, in commit order, for the publisher.
    outbox: mpsc::UnboundedSender<(i32, Vec<Tell>)>,
}

fn commands(cluster: &str, tenant: i32) -> String {
    format!("rd.{cluster}.routing.{tenant}")
}

fn views(cluster: &str, tenant: i32) -> String {
    format!("rd.{cluster}.views.{tenant}")
}

impl Bus {
    /// Connects as a process of the cluster `name`, feeds every tenant's views from
    /// the other instances to `hub` (an instance's; the telephone system's process
    /// serves no browser), and tells `routing` when another instance takes a tenant
    /// over.
    pub async fn connect(
        url: &str,
        name: &str,
        hub: Option<Hub>,
        routing: RoutingHandle,
    ) -> Result<Arc<Bus>, BusError> {
        let failed = |e: &dyn std::fmt::Display| BusError::new(url, e);
        // Without echo: an instance does not hear its own views back.
        let client =
            async_nats::ConnectOptions::new().name("ringdesk").no_echo().connect(url).await.map_err(|e| failed(&e))?;
        if let Some(hub) = hub {
            let mut heard = client.subscribe(format!("rd.{name}.views.*")).await.map_err(|e| failed(&e))?;
            tokio::spawn(async move {
                while let Some(message) = heard.next().await {
                    match serde_json::from_slice::<Vec<Tell>>(&message.payload) {
                        Ok(tells) => tells.into_iter().for_each(|tell| hub.tell(tell)),
                        Err(e) => tracing::warn!(error = %e, subject = %message.subject, "bus: unreadable views"),
                    }
                }
            });
        }
        let mut taken = client.subscribe(format!("rd.{name}.taken.*")).await.map_err(|e| failed(&e))?;
        let told = routing.clone();
        tokio::spawn(async move {
            while let Some(message) = taken.next().await {
                let tenant = message.subject.rsplit('.').next().and_then(|t| t.parse::<i32>().ok());
                if let Some(tenant) = tenant {
                    told.reannounce(tenant).await;
                }
            }
        });
        let (outbox, mut sending) = mpsc::unbounded_channel::<(i32, Vec<Tell>)>();
        let (publisher, cluster) = (client.clone(), name.to_owned());
        tokio::spawn(async move {
            while let Some((tenant, tells)) = sending.recv().await {
                let Ok(payload) = serde_json::to_vec(&tells) else { continue };
                if let Err(e) = publisher.publish(views(&cluster, tenant), payload.into()).await {
                    tracing::warn!(error = %e, tenant, "bus: cannot publish views");
                }
            }
        });
        Ok(Arc::new(Bus { client, routing, name: name.to_owned(), outbox }))
    }

    /// The connection, for the telephone system's work (`telephony::apart`).
    pub fn client(&self) -> async_nats::Client {
        self.client.clone()
    }
}

#[async_trait]
impl Remote for Bus {
    async fn ask(&self, tenant: i32, request: &Request) -> Result<Answer, Unanswered> {
        use async_nats::RequestErrorKind;
        let payload = serde_json::to_vec(request).map_err(|_| Unanswered::Lost)?;
        let asked = self.client.request(commands(&self.name, tenant), payload.into());
        let reply = match tokio::time::timeout(ASK_TIMEOUT, asked).await {
            Ok(Ok(reply)) => reply,
            Ok(Err(e)) if e.kind() == RequestErrorKind::NoResponders => return Err(Unanswered::NoOne),
            _ => return Err(Unanswered::Lost),
        };
        // An empty reply: that instance no longer routes the tenant, and did nothing.
        if reply.payload.is_empty() {
            return Err(Unanswered::NoOne);
        }
        serde_json::from_slice(&reply.payload).map_err(|_| Unanswered::Lost)
    }

    fn serve(&self, tenant: i32, until: CancellationToken) {
        let (client, subject) = (self.client.clone(), commands(&self.name, tenant));
        let routing = self.routing.clone();
        tokio::spawn(async move {
            // One queue group: each command goes to one instance. During a takeover two
            // may listen — the new owner, and the old one frozen until it wakes and lets
            // go — and with both hearing a command, the new owner carried it out while
            // the woken one answered "not mine", first: the sender, told nothing was
            // done, sent it again and was refused (a call "exists already"). A command
            // the frozen one takes alone is answered "not mine" when it wakes, or not
            // at all (it is then sent again as unanswered), and goes to the new owner.
            let mut asked = match client.queue_subscribe(subject, "routing".to_owned()).await {
                Ok(s) => s,
                Err(e) => return tracing::error!(error = %e, tenant, "bus: cannot serve the tenant's commands"),
            };
            loop {
                let message = tokio::select! {
                    message = asked.next() => message,
                    () = until.cancelled() => None,
                };
                let Some(message) = message else { break };
                let (Some(reply_to), Ok(request)) =
                    (message.reply, serde_json::from_slice::<Request>(&message.payload))
                else {
                    continue;
                };
                // Sent in the order they came; answered as their batches commit.
                let answer = routing.send_here(tenant, request).await;
                let client = client.clone();
                tokio::spawn(async move {
                    let payload = match answer {
                        Some(answer) => answer.await.ok().and_then(|a| serde_json::to_vec(&a).ok()).unwrap_or_default(),
                        None => Vec::new(),
                    };
                    let _ = client.publish(reply_to, payload.into()).await;
                });
            }
            let _ = asked.unsubscribe().await;
        });
    }

    fn tell(&self, tenant: i32, tells: Vec<Tell>) {
        let _ = self.outbox.send((tenant, tells));
    }

    fn taken(&self, tenant: i32) {
        let (client, subject) = (self.client.clone(), format!("rd.{}.taken.{tenant}", self.name));
        tokio::spawn(async move {
            if let Err(e) = client.publish(subject, Vec::new().into()).await {
                tracing::warn!(error = %e, tenant, "bus: cannot tell the others of a takeover");
            }
        });
    }
}
