//! Telephone audio inside ringdesk, whatever carries it: 20 ms frames of 8 kHz mono
//! PCM. The clips ringdesk plays (hold music, guidance, the simulator's customers'
//! voices), and what a listener can tell of a recording (its loudest tone, its level).

pub mod clip;
pub mod hearing;

pub use clip::{Clip, FRAME};
pub use hearing::Hearing;
