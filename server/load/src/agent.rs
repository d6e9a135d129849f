//! One agent as a browser would be: signed in (own cookie), its live stream open,
//! answering what rings and going back to 待機 after each call.

use std::sync::Arc;
use std::time::{Duration, Instant};

use futures::StreamExt;
use serde_json::{Value, json};
use tokio::sync::mpsc;

use crate::ledger::Ledger;

/// A request unanswered for this long counts as failed (an overloaded server shows up
/// as lost calls, not as a harness that never ends). The stream has no timeout.
pub const REQUEST_TIMEOUT: Duration = Duration::from_secs(30);

pub struct Agent {
    pub index: usize,
    http: reqwest::Client,
    url: String,
}

impl Agent {
    pub async fn sign_in(url: &str, index: usize) -> Result<Agent, String> {
        let http = reqwest::Client::builder().cookie_store(true).build().map_err(|e| e.to_string())?;
        let username = format!("agent{:05}", index + 1);
        let res = http
            .post(format!("{url}/api/login"))
            .form(&[("username", username.as_str()), ("password", "demo1234")])
            .timeout(REQUEST_TIMEOUT)
            .send()
            .await
            .map_err(|e| e.to_string())?;
        if !res.status().is_success() {
            return Err(format!("sign-in of {username}: {}", res.status()));
        }
        Ok(Agent { index, http, url: url.to_owned() })
    }

    /// Opens the live stream: each pushed view arrives on the channel.
    pub async fn stream(&self) -> Result<mpsc::UnboundedReceiver<Value>, String> {
        let res = self.http.get(format!("{}/events", self.url)).send().await.map_err(|e| e.to_string())?;
        if !res.status().is_success() {
            return Err(format!("stream: {}", res.status()));
        }
        let (tx, rx) = mpsc::unbounded_channel();
        let mut body = res.bytes_stream();
        tokio::spawn(async move {
            let mut buf = String::new();
            while let Some(Ok(chunk)) = body.next().await {
                buf.push_str(&String::from_utf8_lossy(&chunk));
                while let Some(end) = buf.find("\n\n") {
                    let frame: String = buf.drain(..end + 2).collect();
                    for data in frame.lines().filter_map(|l| l.strip_prefix("data:")) {
                        if let Ok(v) = serde_json::from_str::<Value>(data.trim()) {
                            let _ = tx.send(v);
                        }
                    }
                }
            }
        });
        Ok(rx)
    }

    pub async fn act(&self, action: Value) -> Result<(), String> {
        let res = self.http.post(format!("{}/api/phone/act", self.url)).json(&json!({ "action": action })).timeout(REQUEST_TIMEOUT).send().await.map_err(|e| e.to_string())?;
        res.status().is_success().then_some(()).ok_or_else(|| format!("act {action}: {}", res.status()))
    }

    pub async fn answer(&self, call_id: &str) -> Result<(), String> {
        let res = self.http.post(format!("{}/api/phone/answer", self.url)).form(&[("call_id", call_id)]).timeout(REQUEST_TIMEOUT).send().await.map_err(|e| e.to_string())?;
        res.status().is_success().then_some(()).ok_or_else(|| format!("answer: {}", res.status()))
    }

    /// Works the phone until the stream ends: answers each offer once, lets the customer
    /// talk for `talk` and hang up, then goes back to 待機.
    pub async fn work(self: Arc<Self>, mut views: mpsc::UnboundedReceiver<Value>, ledger: Arc<Ledger>, talk: Duration) {
        let mut answered: Option<String> = None;
        let mut wrapped_up = false;
        while let Some(view) = views.recv().await {
            let status = view["status"].as_str().unwrap_or_default();
            let call_id = view["call"]["call_id"].as_str().map(str::to_owned);
            match (status, call_id) {
                ("Ringing", Some(id)) if answered.as_deref() != Some(&id) => {
                    ledger.offered(&id, self.index, Instant::now());
                    answered = Some(id.clone());
                    let (me, ledger) = (self.clone(), ledger.clone());
                    tokio::spawn(async move {
                        let asked = Instant::now();
                        match me.answer(&id).await {
                            Ok(()) => {
                                ledger.answered(&id, asked.elapsed());
                                // The customer talks, then hangs up (the simulator's API).
                                tokio::time::sleep(talk).await;
                                let hung_up = me.http.post(format!("{}/sim/calls/{id}/hangup", me.url)).timeout(REQUEST_TIMEOUT).send().await;
                                ledger.ended(&id, hung_up.is_ok_and(|r| r.status().is_success()));
                            }
                            Err(e) => ledger.failed(&id, e),
                        }
                    });
                    wrapped_up = false;
                }
                ("Wrapup", _) if !wrapped_up => {
                    wrapped_up = true;
                    if let Err(e) = self.act(json!({ "Choose": "Ready" })).await {
                        ledger.error(e);
                    }
                }
                _ => {}
            }
        }
    }
}
