//! The telephone system's own process (`RINGDESK_ROLE=telephony`) doing the work the
//! instances' routing sends it (`remote.rs`), under the newest lease of each tenant.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use futures::StreamExt;

use super::work::{Done, Sent};
use crate::routing::RoutingHandle;
use crate::telephony::Telephony;

/// The newest lease epoch seen from each tenant's routing.
#[derive(Default)]
pub struct Epochs(Mutex<HashMap<i32, i64>>);

impl Epochs {
    /// Whether work under `lease` may be done: its epoch is the tenant's newest yet.
    pub fn admit(&self, lease: Option<(i32, i64)>) -> bool {
        let Some((tenant, epoch)) = lease else { return true };
        let mut newest = self.0.lock().unwrap_or_else(|p| p.into_inner());
        let seen = newest.entry(tenant).or_insert(epoch);
        if epoch < *seen {
            return false;
        }
        *seen = epoch;
        true
    }
}

/// Does the work sent on the cluster's subject with `telephony` until the connection
/// closes. `routing` (this process's, which routes no tenant) learns the tenant of the
/// calls the work starts, for the reports on them to reach it.
pub async fn serve(
    client: async_nats::Client,
    cluster: &str,
    telephony: Arc<dyn Telephony>,
    routing: RoutingHandle,
) -> Result<(), async_nats::SubscribeError> {
    let mut asked = client.subscribe(super::subject(cluster)).await?;
    let epochs = Arc::new(Epochs::default());
    tokio::spawn(async move {
        while let Some(message) = asked.next().await {
            let Ok(sent) = serde_json::from_slice::<Sent>(&message.payload) else {
                tracing::warn!(subject = %message.subject, "telephony apart: unreadable work");
                continue;
            };
            let (client, telephony, routing, epochs) =
                (client.clone(), telephony.clone(), routing.clone(), epochs.clone());
            match message.reply {
                // Work that is answered is awaited by the routing that sent it before it
                // sends the next: done side by side, a tenant's work keeps its order.
                Some(reply_to) => drop(tokio::spawn(async move {
                    let done = carry_out(sent, telephony.as_ref(), &routing, &epochs).await;
                    let payload = serde_json::to_vec(&done).unwrap_or_default();
                    let _ = client.publish(reply_to, payload.into()).await;
                })),
                // Work that needs no answer (a phone rings, a line is dropped) is done
                // before the work sent after it.
                None => drop(carry_out(sent, telephony.as_ref(), &routing, &epochs).await),
            }
        }
    });
    Ok(())
}

async fn carry_out(sent: Sent, telephony: &dyn Telephony, routing: &RoutingHandle, epochs: &Epochs) -> Done {
    if !epochs.admit(sent.lease) {
        tracing::warn!(lease = ?sent.lease, work = ?sent.work, "telephony apart: work from a fenced-out owner refused");
        return Done::Stale;
    }
    if let Some((tenant, _)) = sent.lease {
        for call in sent.work.starts() {
            routing.learn_call(call.clone(), tenant);
        }
    }
    let ended: Vec<_> = sent.work.ends().into_iter().cloned().collect();
    let done = sent.work.carry_out(telephony).await;
    for call in ended {
        routing.forget_call(&call);
    }
    done
}

#[cfg(test)]
mod tests {
    use super::Epochs;

    #[test]
    fn work_under_an_older_lease_than_the_newest_seen_is_refused() {
        let epochs = Epochs::default();
        assert!(epochs.admit(Some((1, 4))));
        assert!(epochs.admit(Some((1, 5))), "a new owner");
        assert!(!epochs.admit(Some((1, 4))), "the old owner woke up");
        assert!(epochs.admit(Some((2, 1))), "another tenant's leases are its own");
        assert!(epochs.admit(None), "routing for no tenant holds no lease");
        assert!(epochs.admit(Some((1, 5))));
    }
}
