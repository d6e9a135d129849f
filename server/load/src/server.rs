//! The server under load: the release binary on a fresh SQLite file and a free port,
//! with the demo and `agents` extra phone agents.

use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

pub struct Server {
    pub url: String,
    child: Child,
    dir: PathBuf,
}

impl Server {
    pub async fn start(binary: &str, agents: usize) -> Result<Server, String> {
        let port = std::net::TcpListener::bind("127.0.0.1:0").and_then(|l| l.local_addr()).map_err(|e| e.to_string())?.port();
        let dir = std::env::temp_dir().join(format!("ringdesk-load-{}", std::process::id()));
        std::fs::create_dir_all(&dir).map_err(|e| e.to_string())?;
        let log = std::fs::File::create(dir.join("server.log")).map_err(|e| e.to_string())?;
        let child = Command::new(binary)
            .env("RINGDESK_ADDR", format!("127.0.0.1:{port}"))
            .env("RINGDESK_DATABASE_URL", format!("sqlite://{}/load.db?mode=rwc", dir.display()))
            .env("RINGDESK_DEMO_AGENTS", agents.to_string())
            .env("RINGDESK_DEMO_TICKETS", "0")
            .env("RUST_LOG", "warn")
            .stdout(Stdio::null())
            .stderr(log)
            .spawn()
            .map_err(|e| format!("cannot start {binary}: {e} (build it first: make build)"))?;
        let server = Server { url: format!("http://127.0.0.1:{port}"), child, dir };
        server.wait_healthy().await?;
        Ok(server)
    }

    /// Waits until `/health` answers (the demo agents are loaded before it listens).
    async fn wait_healthy(&self) -> Result<(), String> {
        let http = reqwest::Client::new();
        let deadline = Instant::now() + Duration::from_secs(120);
        while Instant::now() < deadline {
            if http.get(format!("{}/health", self.url)).send().await.is_ok_and(|r| r.status().is_success()) {
                return Ok(());
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        Err(format!("the server did not answer within 2 minutes; see {}", self.dir.join("server.log").display()))
    }

    pub fn pid(&self) -> u32 {
        self.child.id()
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}
