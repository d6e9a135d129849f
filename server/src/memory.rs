//! How the server's allocator treats large blocks.
//!
//! Each password check (Argon2) allocates 19 MiB for a moment. glibc serves a block that
//! large by mapping it, but after the first is freed it raises its mapping threshold
//! above that size, so later blocks come from per-thread arenas and stay with the process
//! when freed: a hundred sign-ins left the server at ~730 MB resident before any call
//! (docs/BENCHMARKS.md). Fixing the threshold at 1 MiB keeps large blocks mapped, so
//! they go back to the system when freed.

/// Call once, first thing in `main`.
pub fn return_large_blocks_to_the_system() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    // SAFETY: mallopt only sets an allocator parameter; any value is valid.
    unsafe {
        libc::mallopt(libc::M_MMAP_THRESHOLD, 1 << 20);
    }
}
