//! The HTTP edge: who is calling (sessions), what they may reach, the live stream, and
//! a check that state-changing requests come from our own pages.

pub mod auth;
pub mod csrf;
pub mod events;
pub mod export;
