//! One agent as a browser would be: signed in (own session cookie), its live stream
//! open, answering what rings and going back to 待機 after each call.
//!
//! Agents share one HTTP client, and so one pool of connections, and each sends its own
//! cookie: ten thousand agents with a client each would hold twenty thousand sockets,
//! more than a process may open here. Each open stream holds one connection, as each
//! browser's does; requests share the others.

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use futures::StreamExt;
use serde_json::{Value, json};
use tokio::sync::mpsc;

use crate::ledger::Ledger;

/// A request unanswered for this long counts as failed (an overloaded server shows up
/// as lost calls, not as a harness that never ends). The stream has no timeout.
pub const REQUEST_TIMEOUT: Duration = Duration::from_secs(30);

/// The `Cookie` header a sign-in's answer sets.
pub fn session_cookie(res: &reqwest::Response) -> String {
    res.headers()
        .get_all(reqwest::header::SET_COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok()?.split(';').next())
        .collect::<Vec<_>>()
        .join("; ")
}

pub struct Agent {
    pub index: usize,
    http: reqwest::Client,
    /// The instances the agent reaches, the one it works through first: it moves on to
    /// the next when one stops answering, as a load balancer would send it (`--instances`).
    urls: Vec<String>,
    at: AtomicUsize,
    /// Where the customers' lines are (the simulator's API).
    sim: String,
    /// The `Cookie` header the server's sign-in set.
    cookie: String,
    /// The agent's phone window, in a browser run.
    pub softphone: std::sync::OnceLock<ringdesk_load::softphone::Softphone>,
}

impl Agent {
    pub async fn sign_in(http: &reqwest::Client, url: &str, index: usize) -> Result<Agent, String> {
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
        let cookie = session_cookie(&res);
        if cookie.is_empty() {
            return Err(format!("sign-in of {username}: no session cookie"));
        }
        Ok(Agent {
            index,
            http: http.clone(),
            urls: vec![url.to_owned()],
            at: AtomicUsize::new(0),
            sim: url.to_owned(),
            cookie,
            softphone: Default::default(),
        })
    }

    /// Signs in the first `count` demo agents spread over the instances at `urls` (the
    /// `i`th through the `i % urls.len()`th, moving on to the next if it stops
    /// answering), `at_once` at a time; the customers' lines are at `sim`.
    pub async fn sign_in_spread(
        http: &reqwest::Client,
        urls: &[String],
        sim: &str,
        count: usize,
        at_once: usize,
    ) -> Result<Vec<Arc<Agent>>, String> {
        futures::stream::iter(0..count)
            .map(|i| async move {
                let first = i % urls.len();
                let agent = Agent::sign_in(http, &urls[first], i).await?;
                let urls = urls[first..].iter().chain(&urls[..first]).cloned().collect();
                Ok(Arc::new(Agent { urls, sim: sim.to_owned(), ..agent }))
            })
            .buffer_unordered(at_once)
            .collect::<Vec<_>>()
            .await
            .into_iter()
            .collect()
    }

    /// The instance the agent works through now.
    fn url(&self) -> &str {
        &self.urls[self.at.load(Ordering::Relaxed) % self.urls.len()]
    }

    /// The instance stopped answering: on to the next.
    fn move_on(&self) {
        self.at.fetch_add(1, Ordering::Relaxed);
    }

    /// How long a request waits: with several instances, a frozen one is left sooner
    /// (longer than a takeover, which a request waits for on the instance).
    fn timeout(&self) -> Duration {
        if self.urls.len() > 1 { Duration::from_secs(8) } else { REQUEST_TIMEOUT }
    }

    /// Signs in the first `count` demo agents, `at_once` at a time (each is an Argon2
    /// check on the server).
    pub async fn sign_in_all(
        http: &reqwest::Client,
        url: &str,
        count: usize,
        at_once: usize,
    ) -> Result<Vec<Arc<Agent>>, String> {
        futures::stream::iter(0..count)
            .map(|i| async move { Agent::sign_in(http, url, i).await.map(Arc::new) })
            .buffer_unordered(at_once)
            .collect::<Vec<_>>()
            .await
            .into_iter()
            .collect()
    }

    fn post(&self, path: &str) -> reqwest::RequestBuilder {
        self.http
            .post(format!("{}{path}", self.url()))
            .header(reqwest::header::COOKIE, &self.cookie)
            .timeout(self.timeout())
    }

    /// The customer of `call_id` hangs up (the simulator's API); answers whether the
    /// line took it (`Err`: the simulator did not answer).
    async fn customer_hangs_up(&self, call_id: &str) -> Result<bool, String> {
        let url = format!("{}/sim/calls/{call_id}/hangup", self.sim);
        let res = self.http.post(url).timeout(REQUEST_TIMEOUT).send().await.map_err(|e| e.to_string())?;
        Ok(res.status().is_success())
    }

    /// Opens the live stream: each pushed view arrives on the channel (and, for each
    /// keep-alive, `Value::Null`).
    pub async fn stream(&self) -> Result<mpsc::UnboundedReceiver<Value>, String> {
        // The stream holds a connection of the pool for as long as it is open.
        let res = self
            .http
            .get(format!("{}/events", self.url()))
            .header(reqwest::header::COOKIE, &self.cookie)
            .send()
            .await
            .map_err(|e| e.to_string())?;
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
                    if frame.starts_with(':') {
                        let _ = tx.send(Value::Null);
                    }
                }
            }
        });
        Ok(rx)
    }

    pub async fn act(&self, action: Value) -> Result<(), String> {
        let res =
            self.post("/api/phone/act").json(&json!({ "action": action })).send().await.map_err(|e| e.to_string())?;
        res.status().is_success().then_some(()).ok_or_else(|| format!("act {action}: {}", res.status()))
    }

    pub async fn answer(&self, call_id: &str) -> Result<(), String> {
        let res =
            self.post("/api/phone/answer").form(&[("call_id", call_id)]).send().await.map_err(|e| e.to_string())?;
        res.status().is_success().then_some(()).ok_or_else(|| format!("answer: {}", res.status()))
    }

    /// Works the phone until the stream ends: answers each offer once, lets the customer
    /// talk for `talk` and hang up, then goes back to 待機.
    /// Answers offers over HTTP (unless `phone`: their SIP phone answers) and goes back
    /// to 待機 after each call.
    pub async fn work(
        self: Arc<Self>,
        mut views: mpsc::UnboundedReceiver<Value>,
        ledger: Arc<Ledger>,
        talk: Duration,
        phone: bool,
    ) {
        let mut answered: Option<String> = None;
        let mut wrapped_up = false;
        while let Some(view) = views.recv().await {
            if view.is_null() {
                continue;
            }
            let status = view["status"].as_str().unwrap_or_default();
            let call_id = view["call"]["call_id"].as_str().map(str::to_owned);
            match (status, call_id) {
                ("Ringing", Some(_)) if phone => wrapped_up = false,
                ("Ringing", Some(id)) if answered.as_deref() != Some(&id) => {
                    ledger.offered(&id, self.index, Instant::now());
                    answered = Some(id.clone());
                    let (me, ledger) = (self.clone(), ledger.clone());
                    tokio::spawn(async move {
                        let asked = Instant::now();
                        if let Some(phone) = me.softphone.get() {
                            phone.mark();
                            phone.hum(Some(1000));
                        }
                        match me.answer(&id).await {
                            Ok(()) => {
                                ledger.answered(&id, asked.elapsed());
                                ledger.talking(true);
                                // The customer talks, then hangs up (the simulator's API);
                                // in the browser, the agent hears them meanwhile.
                                let hangs_up = tokio::time::Instant::now() + talk;
                                if let Some(phone) = me.softphone.get() {
                                    while phone.first_sound().is_none() && tokio::time::Instant::now() < hangs_up {
                                        tokio::time::sleep(Duration::from_millis(5)).await;
                                    }
                                    match phone.first_sound() {
                                        Some(took) => ledger.audio(took),
                                        None => ledger.error(format!("{id}: the agent heard nothing")),
                                    }
                                }
                                tokio::time::sleep_until(hangs_up).await;
                                if let Some(phone) = me.softphone.get() {
                                    phone.hum(None);
                                }
                                ledger.talking(false);
                                ledger.ended(&id, me.customer_hangs_up(&id).await.unwrap_or(false));
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

impl Agent {
    /// Works the phone through crashes of the server (`--kills`) or of the instances
    /// (`--instances`): when the stream ends, or says nothing for longer than three
    /// keep-alives (a frozen instance), it opens it again as soon as an instance
    /// answers, as the widget does behind a load balancer; whatever state it finds
    /// (logged out of CTI, 業務, 業務(チケット処理)) it goes back to 待機. It answers
    /// each offer it is shown until an answer is taken (an offer made again after a
    /// takeover is answered again); the customer of each call it is shown talking hangs
    /// up `talk` later. Every status change and 応答 acknowledged is noted in `acked`.
    pub async fn work_through_crashes(self: Arc<Self>, acked: Arc<crate::chaos::acked::Acked>, talk: Duration) {
        use std::collections::HashSet;
        use std::sync::Mutex;
        const SILENCE: Duration = Duration::from_secs(15);
        // Calls answered (or being answered), and calls whose customer will hang up.
        let answering: Arc<Mutex<HashSet<String>>> = Arc::default();
        let mut talking: HashSet<String> = HashSet::new();
        loop {
            let Ok(mut views) = self.stream().await else {
                self.move_on();
                tokio::time::sleep(Duration::from_millis(100)).await;
                continue;
            };
            while let Ok(Some(view)) = tokio::time::timeout(SILENCE, views.recv()).await {
                if view.is_null() {
                    continue;
                }
                acked.seen(self.index, &view);
                let status = view["status"].as_str().unwrap_or_default();
                let call_id = view["call"]["call_id"].as_str().map(str::to_owned);
                let ready = match status {
                    "LoggedOut" => {
                        let sent = crate::chaos::acked::now_ms();
                        if self.act(json!("CtiLogin")).await.is_ok() {
                            acked.status(self.index, "ready", sent);
                        }
                        false
                    }
                    "Busy" | "Break" | "Wrapup" => true,
                    "Ringing" => {
                        let fresh =
                            |id: &String| answering.lock().unwrap_or_else(|e| e.into_inner()).insert(id.clone());
                        if let Some(id) = call_id.filter(fresh) {
                            let (me, acked, answering) = (self.clone(), acked.clone(), answering.clone());
                            tokio::spawn(async move {
                                match me.answer(&id).await {
                                    Ok(()) => acked.answer(&id, me.index),
                                    // Not taken: if it is offered again, it is answered again.
                                    Err(_) => drop(answering.lock().unwrap_or_else(|e| e.into_inner()).remove(&id)),
                                }
                            });
                        }
                        false
                    }
                    "InCall" | "OnHold" => {
                        if let Some(id) = call_id.filter(|id| talking.insert(id.clone())) {
                            let me = self.clone();
                            tokio::spawn(async move {
                                tokio::time::sleep(talk).await;
                                while me.customer_hangs_up(&id).await.is_err() {
                                    tokio::time::sleep(Duration::from_millis(200)).await;
                                }
                            });
                        }
                        false
                    }
                    _ => false,
                };
                if ready {
                    let sent = crate::chaos::acked::now_ms();
                    if self.act(json!({ "Choose": "Ready" })).await.is_ok() {
                        acked.status(self.index, "ready", sent);
                    }
                }
            }
            if self.urls.len() > 1 {
                self.move_on();
            }
        }
    }

    /// Talks in the browser: chooses ブラウザ and connects a softphone in `codec`, as the
    /// phone window would.
    pub async fn talk_in_browser(&self, codec: ringdesk_load::softphone::Codec) -> Result<(), String> {
        let res = self
            .post("/api/phone/endpoint")
            .json(&json!({ "endpoint": "Browser" }))
            .send()
            .await
            .map_err(|e| e.to_string())?;
        if !res.status().is_success() {
            return Err(format!("endpoint: {}", res.status()));
        }
        let phone = ringdesk_load::softphone::Softphone::connect(codec, |connection, sdp| async move {
            let res = self
                .post("/api/phone/audio/offer")
                .json(&json!({ "connection": connection, "restart": false, "sdp": sdp }))
                .send()
                .await
                .map_err(|e| e.to_string())?;
            if !res.status().is_success() {
                return Err(format!("offer: {}", res.status()));
            }
            postcard_string(&res.bytes().await.map_err(|e| e.to_string())?)
        })
        .await?;
        let _ = self.softphone.set(phone);
        Ok(())
    }
}

/// A string as postcard carries it: its length (a varint), then its bytes.
fn postcard_string(bytes: &[u8]) -> Result<String, String> {
    let (mut len, mut shift, mut at) = (0usize, 0, 0);
    loop {
        let b = *bytes.get(at).ok_or("postcard: cut short")?;
        len |= usize::from(b & 0x7f) << shift;
        at += 1;
        if b & 0x80 == 0 {
            break;
        }
        shift += 7;
    }
    let text = bytes.get(at..at + len).ok_or("postcard: cut short")?;
    String::from_utf8(text.to_vec()).map_err(|e| e.to_string())
}
