//! The audio of SIP calls: RTP ports, each call's relay between its legs, and the
//! clips ringdesk plays (hold music, guidance). The relay forwards RTP without decoding
//! it unless the two legs speak different G.711 laws.

pub mod ports;
pub mod relay;
mod stream;

pub use crate::telephony::audio::Clip;
pub use ports::{PortPool, RtpSocket};
pub use relay::{End, Relay, RelayStats};
