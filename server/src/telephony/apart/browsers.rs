//! Agents' phone windows in a cluster: a window's WebRTC connection is signalled
//! through whichever instance its page reached, but its media is the telephone
//! system's process's, where the calls' audio is. So an instance that dies or is
//! upgraded cuts no agent's audio. The instance sends what the window asks on
//! `rd.<cluster>.telephony.browsers` (`RemoteWindows`); that process answers it with its
//! `BrowserPhones` (`serve`), which tell the tenants' routing how each agent's audio is.

use std::sync::Arc;
use std::time::Duration;

use app::model::{BrowserAudio, UserId};
use async_trait::async_trait;
use futures::StreamExt;
use serde::{Deserialize, Serialize};

use crate::telephony::browser::{AnswerError, OfferError, PhoneWindows};

/// How long an offer waits for the answer: the telephone system gathers its
/// candidates before answering.
const ASK_TIMEOUT: Duration = Duration::from_secs(10);

fn subject(cluster: &str) -> String {
    format!("rd.{cluster}.telephony.browsers")
}

/// What a window asks, as it travels.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "ask", rename_all = "snake_case")]
enum Asked {
    Offer { user: UserId, connection: String, restart: bool, sdp: String },
    Close { user: UserId },
    Problem { user: UserId, audio: BrowserAudio },
}

/// The telephone system's answer.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "answer", rename_all = "snake_case")]
enum Answered {
    Sdp { sdp: String },
    Gone,
    Elsewhere,
    Refused { why: AnswerError },
    Done,
}

impl Answered {
    fn of(result: Result<String, OfferError>) -> Answered {
        match result {
            Ok(sdp) => Answered::Sdp { sdp },
            Err(OfferError::Gone) => Answered::Gone,
            Err(OfferError::Elsewhere) => Answered::Elsewhere,
            Err(OfferError::Refused(why)) => Answered::Refused { why },
            // Not sent by the process that answers; read as "try again".
            Err(OfferError::Unreached) => Answered::Gone,
        }
    }

    fn into_offer(self) -> Result<String, OfferError> {
        match self {
            Answered::Sdp { sdp } => Ok(sdp),
            Answered::Gone => Err(OfferError::Gone),
            Answered::Elsewhere => Err(OfferError::Elsewhere),
            Answered::Refused { why } => Err(OfferError::Refused(why)),
            Answered::Done => Err(OfferError::Unreached),
        }
    }
}

/// The phone windows as an instance sees them when the telephone system is apart.
pub struct RemoteWindows {
    client: async_nats::Client,
    subject: String,
}

impl RemoteWindows {
    pub fn new(client: async_nats::Client, cluster: &str) -> RemoteWindows {
        RemoteWindows { client, subject: subject(cluster) }
    }

    async fn ask(&self, asked: &Asked) -> Option<Answered> {
        let payload = serde_json::to_vec(asked).ok()?;
        let reply = self.client.request(self.subject.clone(), payload.into());
        match tokio::time::timeout(ASK_TIMEOUT, reply).await {
            Ok(Ok(reply)) => serde_json::from_slice(&reply.payload).ok(),
            other => {
                tracing::warn!(?other, ?asked, "phone window: the telephone system did not answer");
                None
            }
        }
    }
}

#[async_trait]
impl PhoneWindows for RemoteWindows {
    async fn offer(&self, user: UserId, connection: &str, restart: bool, sdp: &str) -> Result<String, OfferError> {
        let asked = Asked::Offer { user, connection: connection.to_owned(), restart, sdp: sdp.to_owned() };
        self.ask(&asked).await.ok_or(OfferError::Unreached)?.into_offer()
    }

    async fn close(&self, user: UserId) {
        self.ask(&Asked::Close { user }).await;
    }

    async fn problem(&self, user: UserId, audio: BrowserAudio) {
        self.ask(&Asked::Problem { user, audio }).await;
    }
}

/// Answers what the instances send from the windows with `windows` (the telephone
/// system's process's own) until the connection closes.
pub async fn serve(
    client: async_nats::Client,
    cluster: &str,
    windows: Arc<dyn PhoneWindows>,
) -> Result<(), async_nats::SubscribeError> {
    let mut asked = client.subscribe(subject(cluster)).await?;
    tokio::spawn(async move {
        while let Some(message) = asked.next().await {
            let (Ok(ask), Some(reply_to)) = (serde_json::from_slice::<Asked>(&message.payload), message.reply) else {
                tracing::warn!(subject = %message.subject, "phone window: unreadable request");
                continue;
            };
            let (client, windows) = (client.clone(), windows.clone());
            // Side by side: one agent's offer gathering candidates holds up no other.
            tokio::spawn(async move {
                let answered = match ask {
                    Asked::Offer { user, connection, restart, sdp } => {
                        Answered::of(windows.offer(user, &connection, restart, &sdp).await)
                    }
                    Asked::Close { user } => {
                        windows.close(user).await;
                        Answered::Done
                    }
                    Asked::Problem { user, audio } => {
                        windows.problem(user, audio).await;
                        Answered::Done
                    }
                };
                let payload = serde_json::to_vec(&answered).unwrap_or_default();
                let _ = client.publish(reply_to, payload.into()).await;
            });
        }
    });
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn what_a_window_asks_and_its_answers_read_back_as_sent() {
        let asked = Asked::Offer { user: 4, connection: "c1".into(), restart: true, sdp: "v=0\r\n".into() };
        assert_eq!(serde_json::from_slice::<Asked>(&serde_json::to_vec(&asked).unwrap()).unwrap(), asked);
        for result in [
            Ok("v=0\r\n".to_owned()),
            Err(OfferError::Gone),
            Err(OfferError::Elsewhere),
            Err(OfferError::Refused(AnswerError::NoAudio)),
            Err(OfferError::Refused(AnswerError::Sdp("line 3".into()))),
        ] {
            let answered = Answered::of(result.clone());
            let read: Answered = serde_json::from_slice(&serde_json::to_vec(&answered).unwrap()).unwrap();
            assert_eq!(read.into_offer(), result);
        }
    }
}
