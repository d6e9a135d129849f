//! The RTP ports of `RINGDESK_RTP_PORTS`: an even port for each leg's RTP (RTCP, on the
//! odd port above it, is not used), handed out in turn and returned when the leg ends.

use std::collections::VecDeque;
use std::net::{IpAddr, SocketAddr};
use std::ops::RangeInclusive;
use std::sync::{Arc, Mutex};

use tokio::net::UdpSocket;

#[derive(Clone)]
pub struct PortPool {
    ip: IpAddr,
    free: Arc<Mutex<VecDeque<u16>>>,
}

#[derive(Debug, thiserror::Error)]
#[error("no RTP port is free in RINGDESK_RTP_PORTS")]
pub struct NoPortFree;

impl PortPool {
    pub fn new(ip: IpAddr, range: RangeInclusive<u16>) -> PortPool {
        let free = range.step_by(2).collect();
        PortPool { ip, free: Arc::new(Mutex::new(free)) }
    }

    fn take(&self) -> Option<u16> {
        self.free.lock().unwrap_or_else(|p| p.into_inner()).pop_front()
    }

    fn give_back(&self, port: u16) {
        self.free.lock().unwrap_or_else(|p| p.into_inner()).push_back(port);
    }

    /// A socket on the next free port. A port another program holds is skipped (and
    /// tried again later). Binding a UDP socket does not wait, so this is not async:
    /// the SIP worker calls it in line. Needs a Tokio runtime.
    pub fn try_bind(&self) -> Result<RtpSocket, NoPortFree> {
        let tries = self.free.lock().unwrap_or_else(|p| p.into_inner()).len();
        for _ in 0..tries {
            let port = self.take().ok_or(NoPortFree)?;
            let bound = std::net::UdpSocket::bind(SocketAddr::new(self.ip, port))
                .and_then(|s| s.set_nonblocking(true).map(|()| s))
                .and_then(UdpSocket::from_std);
            match bound {
                Ok(socket) => return Ok(RtpSocket { socket: Arc::new(socket), port, pool: self.clone() }),
                Err(e) => {
                    tracing::warn!(port, error = %e, "RTP port in use by another program; skipped");
                    self.give_back(port);
                }
            }
        }
        Err(NoPortFree)
    }
}

/// A leg's RTP socket; its port goes back to the pool when it is dropped.
pub struct RtpSocket {
    pub socket: Arc<UdpSocket>,
    pub port: u16,
    pool: PortPool,
}

impl Drop for RtpSocket {
    fn drop(&mut self) {
        self.pool.give_back(self.port);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn ports_are_even_and_come_back() {
        let pool = PortPool::new("127.0.0.1".parse().unwrap(), 41000..=41003);
        let a = pool.try_bind().unwrap();
        let b = pool.try_bind().unwrap();
        assert_eq!((a.port, b.port), (41000, 41002));
        assert!(pool.try_bind().is_err());
        drop(a);
        assert_eq!(pool.try_bind().unwrap().port, 41000);
    }
}
