//! Password hashing with Argon2id. Hashing is deliberately slow, so it runs on the
//! blocking pool, never on the async workers.

use std::sync::LazyLock;

use argon2::Argon2;
use argon2::password_hash::phc::PasswordHash;
use argon2::password_hash::{PasswordHasher, PasswordVerifier};
use tokio::sync::Semaphore;

/// Checks at once: one a core. A storm of sign-ins (a shift starting) queues here
/// rather than taking every blocking thread and 19 MiB each.
static CHECKS: LazyLock<Semaphore> =
    LazyLock::new(|| Semaphore::new(std::thread::available_parallelism().map_or(2, |n| n.get())));

/// Hashing failed: nothing may be stored (an empty hash would be a password that
/// matches nothing at best).
#[derive(Debug, thiserror::Error)]
#[error("the password could not be hashed: {0}")]
pub struct HashError(String);

/// A PHC string (`$argon2id$v=19$...`) with a fresh random salt.
pub async fn hash(password: String) -> Result<String, HashError> {
    let _slot = CHECKS.acquire().await;
    tokio::task::spawn_blocking(move || {
        Argon2::default()
            .hash_password(password.as_bytes())
            .map(|h| h.to_string())
            .map_err(|e| HashError(e.to_string()))
    })
    .await
    .map_err(|e| HashError(e.to_string()))?
}

/// Whether `password` matches the stored PHC string. A malformed hash matches nothing.
pub async fn verify(password: String, phc: String) -> bool {
    let _slot = CHECKS.acquire().await;
    tokio::task::spawn_blocking(move || {
        PasswordHash::new(&phc).is_ok_and(|h| Argon2::default().verify_password(password.as_bytes(), &h).is_ok())
    })
    .await
    .unwrap_or(false)
}

#[cfg(test)]
mod tests {
    #[tokio::test]
    async fn a_hash_verifies_its_password_and_no_other() {
        let h = super::hash("demo1234".into()).await.unwrap();
        assert!(h.starts_with("$argon2id$"));
        assert!(super::verify("demo1234".into(), h.clone()).await);
        assert!(!super::verify("demo12345".into(), h).await);
        assert!(!super::verify("x".into(), "not a hash".into()).await);
    }
}
