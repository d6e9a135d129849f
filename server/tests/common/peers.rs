//! Real SIP peers for the tests, installed from Debian by `.ci/setup.sh`: baresip (an
//! agent's phone, a customer), sipp (the carrier), sox (tones); and how to tell what a
//! party heard: the strongest of a few known frequencies in each 250 ms of a recording.

use std::net::{SocketAddr, UdpSocket};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::Duration;

/// Frequencies each party sends, so that a recording tells who was heard.
pub const CUSTOMER_HZ: f32 = 440.0;
pub const AGENT_HZ: f32 = 1000.0;
pub const HOLD_MUSIC_HZ: f32 = 660.0;
pub const OUTSIDE_HZ: f32 = 1500.0;
pub const COLLEAGUE_HZ: f32 = 1250.0;
/// A tenant's own hold music, uploaded in CTI設定.
pub const OWN_MUSIC_HZ: f32 = 880.0;

/// A tone file (8 kHz mono 16-bit WAV) made by sox.
pub fn tone(dir: &Path, name: &str, hz: f32, secs: u32) -> PathBuf {
    sox_tone(dir, name, hz, secs, &["-b", "16"])
}

/// The same tone in G.711 µ-law, as sipp streams it.
pub fn ulaw_tone(dir: &Path, name: &str, hz: f32, secs: u32) -> PathBuf {
    sox_tone(dir, name, hz, secs, &["-e", "u-law"])
}

fn sox_tone(dir: &Path, name: &str, hz: f32, secs: u32, format: &[&str]) -> PathBuf {
    let path = dir.join(name);
    let made = Command::new("sox")
        .args(["-n", "-r", "8000", "-c", "1"])
        .args(format)
        .arg(&path)
        .args(["synth", &secs.to_string(), "sine", &hz.to_string(), "vol", "0.5"])
        .status()
        .expect("sox is installed (.ci/setup.sh installs it)");
    assert!(made.success(), "sox made {name}");
    path
}

/// A free UDP port on 127.0.0.1 (free when asked; good enough for a test's peers).
/// A port for baresip's SIP: baresip 1.0 listens on UDP and TCP there and on TCP one
/// above for TLS (it cannot be told not to), so all three must be free. Chosen below
/// the kernel's ephemeral range, where the tests' own connections never land.
pub fn free_sip_port() -> u16 {
    loop {
        let port = 21_000 + 2 * (rand::random::<u16>() % 5_000);
        let free = UdpSocket::bind(("127.0.0.1", port)).is_ok()
            && std::net::TcpListener::bind(("127.0.0.1", port)).is_ok()
            && std::net::TcpListener::bind(("127.0.0.1", port + 1)).is_ok();
        if free {
            return port;
        }
    }
}

pub fn free_port() -> u16 {
    UdpSocket::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port()
}

/// The power of `hz` in `samples` (8 kHz), by the Goertzel algorithm.
pub fn power(samples: &[i16], hz: f32) -> f32 {
    let k = 2.0 * (2.0 * std::f32::consts::PI * hz / 8000.0).cos();
    let (mut s1, mut s2) = (0.0f32, 0.0f32);
    for &x in samples {
        let s0 = f32::from(x) / 32768.0 + k * s1 - s2;
        s2 = s1;
        s1 = s0;
    }
    (s1 * s1 + s2 * s2 - k * s1 * s2) / samples.len().max(1) as f32
}

/// For each 250 ms of `samples`: which of `candidates` it holds, if any clearly does.
pub fn heard(samples: &[i16], candidates: &[f32]) -> Vec<Option<f32>> {
    samples
        .chunks(2000)
        .filter(|w| w.len() == 2000)
        .map(|w| {
            let (best, p) =
                candidates.iter().map(|&hz| (hz, power(w, hz))).fold((0.0, 0.0), |a, b| if b.1 > a.1 { b } else { a });
            // A tone at half scale gives about 30; silence and noise well under 1.
            (p > 1.0).then_some(best)
        })
        .collect()
}

/// How many 250 ms windows of `samples` hold `hz` above the others.
pub fn windows_of(samples: &[i16], hz: f32) -> usize {
    heard(samples, &[CUSTOMER_HZ, AGENT_HZ, HOLD_MUSIC_HZ, OUTSIDE_HZ, COLLEAGUE_HZ, OWN_MUSIC_HZ])
        .iter()
        .filter(|w| **w == Some(hz))
        .count()
}

pub fn read_wav(path: &Path) -> Vec<i16> {
    let reader = hound::WavReader::open(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    reader.into_samples::<i16>().map(|s| s.unwrap()).collect()
}

/// A baresip user agent with its own folder: its microphone plays `source` (a WAV), and
/// what it hears is recorded (sndfile's `*-dec.wav`).
pub struct Baresip {
    pub dir: tempfile::TempDir,
    pub sip_port: u16,
    child: Child,
}

impl Baresip {
    /// Starts baresip with `account` (an accounts line) and the commands `exec`, quitting
    /// by itself after `quit_after_secs`.
    pub fn start(account: &str, source: &Path, exec: &[String], quit_after_secs: u32) -> Baresip {
        let dir = tempfile::tempdir().unwrap();
        let sip_port = free_sip_port();
        let rtp = 40000 + 2 * (rand::random::<u16>() % 5000);
        let config = format!(
            "poll_method\tepoll\nsip_listen\t127.0.0.1:{sip_port}\nnet_interface\t127.0.0.1\n\
             rtp_ports\t{rtp}-{}\naudio_player\taubridge,nil\naudio_source\taufile,{}\naudio_alert\taubridge,nil\n\
             module_path\t/usr/lib/baresip/modules\nmodule\tg711.so\nmodule\taufile.so\nmodule\taubridge.so\n\
             module\tsndfile.so\nsnd_path\t{}\nmodule_app\taccount.so\nmodule_app\tmenu.so\nmodule_tmp\tuuid.so\n",
            rtp + 99,
            source.display(),
            dir.path().display(),
        );
        std::fs::write(dir.path().join("config"), config).unwrap();
        std::fs::write(dir.path().join("accounts"), format!("{account}\n")).unwrap();
        // Line-buffered, so that its log says what happened when it happens.
        let mut cmd = Command::new("stdbuf");
        cmd.args(["-oL", "-eL", "baresip"]).arg("-f").arg(dir.path()).args(["-t", &quit_after_secs.to_string()]);
        for e in exec {
            cmd.args(["-e", e]);
        }
        let log = std::fs::File::create(dir.path().join("baresip.log")).unwrap();
        let child = cmd
            .stdin(Stdio::null())
            .stdout(log.try_clone().unwrap())
            .stderr(log)
            .spawn()
            .expect("baresip is installed (.ci/setup.sh installs baresip-core)");
        Baresip { dir, sip_port, child }
    }

    /// Waits for baresip to quit (after its `-t`), then answers what it heard.
    pub async fn heard_when_done(mut self) -> Vec<i16> {
        for _ in 0..600 {
            if self.child.try_wait().unwrap().is_some() {
                break;
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        let _ = self.child.kill();
        self.recorded()
    }

    /// What baresip heard on its longest call so far (a recording per call, closed when
    /// the call ends).
    pub fn recorded(&self) -> Vec<i16> {
        let dec = std::fs::read_dir(self.dir.path())
            .unwrap()
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|p| p.to_string_lossy().ends_with("-dec.wav"))
            .max_by_key(|p| std::fs::metadata(p).map(|m| m.len()).unwrap_or(0));
        match dec {
            Some(path) => read_wav(&path),
            None => panic!("baresip recorded nothing; its log:\n{}", self.log()),
        }
    }

    /// Stops baresip now (SIGTERM: it hangs up and closes its recordings) and answers
    /// what it heard.
    pub async fn heard_now(self) -> Vec<i16> {
        // SAFETY: kill(2) with a child's pid and a signal number has no memory effects.
        unsafe { libc::kill(self.child.id() as i32, libc::SIGTERM) };
        self.heard_when_done().await
    }

    /// Waits until baresip's log says `text` (a call established, terminated…).
    pub async fn until_log(&self, text: &str, secs: u64) {
        let deadline = tokio::time::Instant::now() + Duration::from_secs(secs);
        while !self.log().contains(text) {
            assert!(tokio::time::Instant::now() < deadline, "baresip never said {text:?}; its log:\n{}", self.log());
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }

    pub fn log(&self) -> String {
        std::fs::read_to_string(self.dir.path().join("baresip.log")).unwrap_or_default()
    }
}

impl Drop for Baresip {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// sipp running one of the repository's scenarios (`server/tests/sipp/`) against
/// `target` in the folder `work`; answers whether every call of it succeeded, and its
/// output.
pub async fn sipp(scenario: &str, target: SocketAddr, work: &Path, args: &[&str]) -> (bool, String) {
    let file = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/sipp").join(scenario);
    let port = free_port().to_string();
    let mut cmd = tokio::process::Command::new("sipp");
    cmd.arg(target.to_string())
        .arg("-sf")
        .arg(&file)
        // -mi: media on loopback too (sipp's default is the host's primary address).
        .args([
            "-i",
            "127.0.0.1",
            "-mi",
            "127.0.0.1",
            "-p",
            &port,
            "-m",
            "1",
            "-timeout",
            "60s",
            "-timeout_error",
            "-nostdin",
            "-trace_err",
        ])
        .args(args)
        .current_dir(work)
        .kill_on_drop(true);
    let out = cmd.output().await.expect("sipp is installed (.ci/setup.sh installs sip-tester)");
    let mut text = format!("{}{}", String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr));
    // sipp's -trace_err log names the message it did not expect.
    for entry in std::fs::read_dir(work).into_iter().flatten().flatten() {
        if entry.file_name().to_string_lossy().ends_with("_errors.log") {
            text.push_str(&std::fs::read_to_string(entry.path()).unwrap_or_default());
        }
    }
    (out.status.success(), text)
}

/// A bare SIP client over UDP, for requests no well-behaved peer would send.
pub struct RawSip {
    socket: tokio::net::UdpSocket,
    pub port: u16,
}

impl RawSip {
    pub async fn new() -> RawSip {
        let socket = tokio::net::UdpSocket::bind("127.0.0.1:0").await.unwrap();
        let port = socket.local_addr().unwrap().port();
        RawSip { socket, port }
    }

    pub async fn send(&self, to: SocketAddr, text: &str) {
        self.socket.send_to(text.as_bytes(), to).await.unwrap();
    }

    pub async fn send_bytes(&self, to: SocketAddr, bytes: &[u8]) {
        self.socket.send_to(bytes, to).await.unwrap();
    }

    /// The next final answer's status line and whole text (provisional ones skipped).
    pub async fn final_answer(&self) -> (u16, String) {
        let mut buf = vec![0u8; 65536];
        loop {
            let (n, _) = tokio::time::timeout(Duration::from_secs(10), self.socket.recv_from(&mut buf))
                .await
                .expect("an answer within 10 s")
                .unwrap();
            let text = String::from_utf8_lossy(&buf[..n]).into_owned();
            let code: u16 = text.split_whitespace().nth(1).and_then(|c| c.parse().ok()).unwrap_or(0);
            if code >= 200 {
                return (code, text);
            }
        }
    }

    /// The next answer of any kind, whole.
    pub async fn next_answer(&self) -> String {
        let mut buf = vec![0u8; 65536];
        let (n, _) = tokio::time::timeout(Duration::from_secs(10), self.socket.recv_from(&mut buf))
            .await
            .expect("an answer within 10 s")
            .unwrap();
        String::from_utf8_lossy(&buf[..n]).into_owned()
    }

    /// A request as a phone or carrier would write it, from this client.
    pub fn request(&self, method: &str, uri: &str, from_user: &str, extra: &str, body: &str) -> String {
        let branch = format!("z9hG4bK{}", rand::random::<u64>());
        let call = format!("{}@127.0.0.1", rand::random::<u64>());
        format!(
            "{method} {uri} SIP/2.0\r\nVia: SIP/2.0/UDP 127.0.0.1:{port};branch={branch};rport\r\n\
             Max-Forwards: 70\r\nFrom: <sip:{from_user}@127.0.0.1:{port}>;tag={tag}\r\nTo: <{uri}>\r\n\
             Call-ID: {call}\r\nCSeq: 1 {method}\r\nContact: <sip:{from_user}@127.0.0.1:{port}>\r\n{extra}\
             Content-Length: {len}\r\n\r\n{body}",
            port = self.port,
            tag = rand::random::<u32>(),
            len = body.len(),
        )
    }
}

/// An SDP offer of PCMU from 127.0.0.1:`port`.
pub fn offer(port: u16) -> String {
    format!(
        "v=0\r\no=- 1 1 IN IP4 127.0.0.1\r\ns=-\r\nc=IN IP4 127.0.0.1\r\nt=0 0\r\nm=audio {port} RTP/AVP 0 101\r\n\
         a=rtpmap:0 PCMU/8000\r\na=rtpmap:101 telephone-event/8000\r\n"
    )
}

/// The RMS level of `samples` (a tone at half scale is about 11,600).
pub fn loudness(samples: &[i16]) -> f32 {
    let sum: f64 = samples.iter().map(|&s| f64::from(s) * f64::from(s)).sum();
    (sum / samples.len().max(1) as f64).sqrt() as f32
}

/// sipp as the carrier's side that takes ringdesk's calls: it listens on 127.0.0.1:`port`
/// and runs the scenario once; the answer says whether it succeeded, and its output.
pub async fn sipp_serve(
    scenario: &str,
    port: u16,
    work: &Path,
    args: &[&str],
) -> tokio::task::JoinHandle<(bool, String)> {
    // A scenario of the repository's, or one a test wrote (an absolute path).
    let file = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/sipp").join(scenario);
    let mut cmd = tokio::process::Command::new("sipp");
    cmd.arg("-sf")
        .arg(&file)
        .args([
            "-i",
            "127.0.0.1",
            "-mi",
            "127.0.0.1",
            "-p",
            &port.to_string(),
            "-m",
            "1",
            "-timeout",
            "60s",
            "-timeout_error",
            "-nostdin",
        ])
        .args(["-trace_err", "-mp", &free_port().to_string()])
        .args(args)
        .current_dir(work)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .kill_on_drop(true);
    let child = cmd.spawn().expect("sipp is installed (.ci/setup.sh installs sip-tester)");
    // Ready once it holds its port (nothing else can bind it then).
    for _ in 0..100 {
        if UdpSocket::bind(("127.0.0.1", port)).is_err() {
            break;
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    let work = work.to_owned();
    tokio::spawn(async move {
        let out = child.wait_with_output().await.unwrap();
        let mut text = format!("{}{}", String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr));
        for entry in std::fs::read_dir(&work).into_iter().flatten().flatten() {
            if entry.file_name().to_string_lossy().ends_with("_errors.log") {
                text.push_str(&std::fs::read_to_string(entry.path()).unwrap_or_default());
            }
        }
        (out.status.success(), text)
    })
}

/// The repository's `refuse.xml` with `code` as its final status, written into `work`.
pub fn refusal(work: &Path, code: &str) -> String {
    let template = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/sipp/refuse.xml");
    let path = work.join(format!("refuse-{code}.xml"));
    std::fs::write(&path, std::fs::read_to_string(template).unwrap().replace("CODE", code)).unwrap();
    path.display().to_string()
}
