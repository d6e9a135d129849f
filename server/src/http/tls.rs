//! HTTPS served by ringdesk itself (`RINGDESK_TLS_CERT`, `RINGDESK_TLS_KEY`): browsers
//! give the microphone only to a secure page, and the session cookie is `Secure`.
//! rustls with the ring provider, through axum-server; a reverse proxy in front is the
//! alternative (docs/telephony.md).

use std::path::Path;
use std::sync::Arc;

use rustls::pki_types::pem::PemObject;
use rustls::pki_types::{CertificateDer, PrivateKeyDer};

#[derive(Debug, thiserror::Error)]
pub enum TlsError {
    #[error("RINGDESK_TLS_CERT {0}: {1}")]
    Cert(String, String),
    #[error("RINGDESK_TLS_KEY {0}: {1}")]
    Key(String, String),
    #[error("the certificate and key do not go together: {0}")]
    Mismatch(String),
}

/// The server's TLS settings from a PEM certificate chain and its private key.
pub fn config(cert: &Path, key: &Path) -> Result<axum_server::tls_rustls::RustlsConfig, TlsError> {
    let shown = |p: &Path| p.display().to_string();
    let chain: Vec<CertificateDer<'static>> = CertificateDer::pem_file_iter(cert)
        .map_err(|e| TlsError::Cert(shown(cert), e.to_string()))?
        .collect::<Result<_, _>>()
        .map_err(|e| TlsError::Cert(shown(cert), e.to_string()))?;
    if chain.is_empty() {
        return Err(TlsError::Cert(shown(cert), "no certificate in the file".into()));
    }
    let key_der = PrivateKeyDer::from_pem_file(key).map_err(|e| TlsError::Key(shown(key), e.to_string()))?;
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let mut server = rustls::ServerConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .map_err(|e| TlsError::Mismatch(e.to_string()))?
        .with_no_client_auth()
        .with_single_cert(chain, key_der)
        .map_err(|e| TlsError::Mismatch(e.to_string()))?;
    server.alpn_protocols = vec![b"h2".to_vec(), b"http/1.1".to_vec()];
    Ok(axum_server::tls_rustls::RustlsConfig::from_config(Arc::new(server)))
}
