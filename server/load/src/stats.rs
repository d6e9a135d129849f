//! Latency samples and what the report prints of them.

use std::time::Duration;

#[derive(Default)]
pub struct Samples(Vec<Duration>);

impl Samples {
    pub fn push(&mut self, d: Duration) {
        self.0.push(d);
    }

    pub fn len(&self) -> usize {
        self.0.len()
    }

    /// Every sample, in the order recorded (until a quantile sorts them).
    pub fn all(&self) -> &[Duration] {
        &self.0
    }

    /// The `q` quantile (0.5, 0.99, 1.0), nearest rank.
    pub fn quantile(&mut self, q: f64) -> Option<Duration> {
        if self.0.is_empty() {
            return None;
        }
        self.0.sort_unstable();
        let rank = ((q * self.0.len() as f64).ceil() as usize).clamp(1, self.0.len());
        Some(self.0[rank - 1])
    }

    pub fn summary(&mut self) -> String {
        let ms = |d: Option<Duration>| d.map_or("-".into(), |d| format!("{:.2} ms", d.as_secs_f64() * 1000.0));
        format!(
            "p50 {}  p99 {}  max {}  (n = {})",
            ms(self.quantile(0.5)),
            ms(self.quantile(0.99)),
            ms(self.quantile(1.0)),
            self.len()
        )
    }
}

/// The server process's resident memory (now and at its peak) and CPU time, from /proc.
pub struct ProcessUse {
    pub peak_rss_kib: u64,
    pub rss_kib: u64,
    pub cpu: Duration,
}

/// How many files (sockets included) the process holds open.
pub fn open_files(pid: u32) -> Option<usize> {
    Some(std::fs::read_dir(format!("/proc/{pid}/fd")).ok()?.count())
}

pub fn process_use(pid: u32) -> Option<ProcessUse> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    let kib = |field: &str| -> Option<u64> {
        status.lines().find_map(|l| l.strip_prefix(field))?.split_whitespace().next()?.parse().ok()
    };
    let (peak_rss_kib, rss_kib) = (kib("VmHWM:")?, kib("VmRSS:")?);
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
    // Fields after the command name (which may hold spaces) start at state, field 3.
    let rest = &stat[stat.rfind(')')? + 2..];
    let f: Vec<&str> = rest.split_whitespace().collect();
    let ticks: u64 = f.get(11)?.parse::<u64>().ok()? + f.get(12)?.parse::<u64>().ok()?;
    // Linux reports CPU time in USER_HZ, 100 a second on every mainstream architecture.
    Some(ProcessUse { peak_rss_kib, rss_kib, cpu: Duration::from_millis(ticks * 10) })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quantiles_are_nearest_rank() {
        let mut s = Samples::default();
        for ms in 1..=100 {
            s.push(Duration::from_millis(ms));
        }
        assert_eq!(s.quantile(0.5), Some(Duration::from_millis(50)));
        assert_eq!(s.quantile(0.99), Some(Duration::from_millis(99)));
        assert_eq!(s.quantile(1.0), Some(Duration::from_millis(100)));
        assert_eq!(Samples::default().quantile(0.5), None);
    }
}
