//! What the load harness shares with the server's tests: the softphone.

pub mod softphone;
