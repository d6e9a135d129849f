//! Supervisors watching the board while customers call (`--supervisors N`): each signs
//! in as the demo's tenant admin (one session each, as N people would) and reads
//! `/board/events` until the run ends, counting what the board sends them. Run with and
//! without them, the offer latency tells what watching costs routing (#21).

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

use futures::StreamExt;

/// What the supervisors received.
#[derive(Default)]
pub struct Watched {
    pub messages: AtomicU64,
    pub bytes: AtomicU64,
}

/// Signs in `count` supervisors and opens each one's board.
pub async fn watch(http: &reqwest::Client, url: &str, count: usize) -> Result<Arc<Watched>, String> {
    let watched = Arc::new(Watched::default());
    for _ in 0..count {
        let res = http
            .post(format!("{url}/api/login"))
            .form(&[("username", "admin"), ("password", "demo1234")])
            .send()
            .await
            .map_err(|e| e.to_string())?;
        let cookie = crate::agent::session_cookie(&res);
        let board = http
            .get(format!("{url}/board/events"))
            .header(reqwest::header::COOKIE, cookie)
            .send()
            .await
            .map_err(|e| e.to_string())?;
        if !board.status().is_success() {
            return Err(format!("board: {}", board.status()));
        }
        let watched = watched.clone();
        tokio::spawn(async move {
            let mut body = board.bytes_stream();
            // A message ends with a blank line, which may straddle two chunks.
            let mut last = 0u8;
            while let Some(Ok(chunk)) = body.next().await {
                watched.bytes.fetch_add(chunk.len() as u64, Ordering::Relaxed);
                let ends = std::iter::once(last).chain(chunk.iter().copied()).collect::<Vec<u8>>();
                let frames = ends.windows(2).filter(|w| w == b"\n\n").count() as u64;
                watched.messages.fetch_add(frames, Ordering::Relaxed);
                last = chunk.last().copied().unwrap_or(last);
            }
        });
    }
    Ok(watched)
}
