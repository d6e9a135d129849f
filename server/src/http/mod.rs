//! The HTTP edge: who is calling (sessions), what they may reach, the live stream, a
//! check that state-changing requests come from our own pages, and how the site's files
//! are cached.

pub mod auth;
pub mod csrf;
pub mod events;
pub mod export;
pub mod site_files;
