//! Agents' phones register here: the user name is the agent's CTI ID, the password the
//! SIP password set in CTIオペレータ管理 (digest authentication against its HA1). A
//! binding says where the phone is reached (the address its REGISTER came from, which
//! works behind NAT) until it expires. Routing is told when an agent's phone becomes
//! ready or is lost.

use std::collections::HashMap;
use std::net::{IpAddr, SocketAddr};
use std::sync::{Arc, Mutex};

use app::model::UserId;
use rsipstack::sip::headers::untyped::{Contact, WwwAuthenticate};
use rsipstack::sip::typed::tokenizers::AuthTokenizer;
use rsipstack::sip::{Header, HeadersExt, StatusCode, Transport, Uri};
use rsipstack::transaction::transaction::Transaction;
use rsipstack::transport::connection::SipConnection;

use super::digest::{Answer, Nonces, Verdict};
use crate::routing::RoutingHandle;
use crate::store::{Store, now_ms};
use crate::throttle::Throttle;

/// The longest wait of an address that keeps guessing SIP passwords.
pub const GUESSING_WAIT_MAX_MS: i64 = 5 * 60 * 1000;

/// Registrations last at most an hour and at least a minute.
const MAX_EXPIRES: u32 = 3600;
const MIN_EXPIRES: u32 = 60;

/// Where an agent's phone is reached.
#[derive(Clone, Debug)]
pub struct Binding {
    pub contact: Uri,
    pub transport: Transport,
    pub source: SocketAddr,
    pub expires_at_ms: i64,
}

#[derive(Clone)]
pub struct Registrar {
    bindings: Arc<Mutex<HashMap<UserId, Binding>>>,
    throttle: Arc<Mutex<Throttle<std::net::IpAddr>>>,
    nonces: Nonces,
    store: Store,
    routing: RoutingHandle,
}

/// The address a request came from (its top Via, with `received` and `rport`).
pub fn source_of(tx: &Transaction) -> Option<(Transport, SocketAddr)> {
    let via = tx.original.via_header().ok()?;
    let (transport, host) = SipConnection::parse_target_from_via(via).ok()?;
    let addr = rsipstack::transport::SipAddr::new(transport, host).get_socketaddr().ok()?;
    Some((transport, addr))
}

fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|p| p.into_inner())
}

impl Registrar {
    pub fn new(store: Store, routing: RoutingHandle) -> Registrar {
        Registrar {
            bindings: Arc::default(),
            throttle: Arc::new(Mutex::new(Throttle::new(GUESSING_WAIT_MAX_MS))),
            nonces: Nonces::new(rand::random()),
            store,
            routing,
        }
    }

    pub fn binding(&self, user: UserId) -> Option<Binding> {
        lock(&self.bindings).get(&user).cloned()
    }

    /// Forgets the bindings that have expired; routing hears those agents' phones are gone.
    pub async fn expire(&self) {
        let now = now_ms();
        let gone: Vec<UserId> = {
            let mut b = lock(&self.bindings);
            let gone = b.iter().filter(|(_, b)| b.expires_at_ms <= now).map(|(u, _)| *u).collect::<Vec<_>>();
            for u in &gone {
                b.remove(u);
            }
            gone
        };
        for user in gone {
            tracing::info!(user, "SIP: the agent's phone registration expired");
            self.routing.phone(user, false).await;
        }
    }

    /// Answers one REGISTER.
    pub async fn register(&self, mut tx: Transaction) {
        let (status, headers) = self.decide(&tx).await;
        if let Err(e) = tx.reply_with(status, headers, None).await {
            tracing::debug!(error = %e, "SIP: the answer to a REGISTER was not sent");
        }
    }

    async fn decide(&self, tx: &Transaction) -> (StatusCode, Vec<Header>) {
        let Some((transport, source)) = source_of(tx) else { return (StatusCode::BadRequest, vec![]) };
        let now = now_ms();
        let wait = lock(&self.throttle).wait_ms(&source.ip(), now);
        if wait > 0 {
            let retry = Header::Other("Retry-After".into(), (wait / 1000 + 1).to_string());
            return (StatusCode::ServiceUnavailable, vec![retry]);
        }
        let Some(cti_id) =
            tx.original.to_header().ok().and_then(|t| t.uri().ok()).and_then(|u| u.user().map(str::to_owned))
        else {
            return (StatusCode::BadRequest, vec![]);
        };
        let challenge = |stale: bool| {
            (
                StatusCode::Unauthorized,
                vec![Header::WwwAuthenticate(WwwAuthenticate::new(self.nonces.challenge(now, stale)))],
            )
        };
        let Some(auth) = tx.original.authorization_header() else { return challenge(false) };
        let raw = auth.value().to_owned();
        let Some(answer) = answer_of(&raw) else { return self.failed(source.ip(), now, &cti_id) };
        if answer.username != cti_id {
            return self.failed(source.ip(), now, &cti_id);
        }
        let accounts = match self.store.sip_accounts(&cti_id).await {
            Ok(a) => a,
            Err(e) => {
                tracing::error!(error = %e, "SIP: cannot read phone accounts");
                return (StatusCode::ServerInternalError, vec![]);
            }
        };
        let mut matched = Vec::new();
        for account in &accounts {
            match self.nonces.verify(&answer, "REGISTER", &account.ha1, now) {
                Verdict::Valid => matched.push(account.user_id),
                Verdict::Stale => return challenge(true),
                Verdict::Invalid => {}
            }
        }
        // One CTI ID in two tenants with one password cannot be told apart.
        let [user] = matched[..] else {
            if matched.len() > 1 {
                tracing::warn!(cti_id, "SIP: a CTI ID with the same SIP password in two tenants; refused");
            }
            return self.failed(source.ip(), now, &cti_id);
        };
        lock(&self.throttle).succeeded(&source.ip());
        self.bind(tx, user, transport, source, now).await
    }

    fn failed(&self, ip: IpAddr, now: i64, cti_id: &str) -> (StatusCode, Vec<Header>) {
        tracing::warn!(%ip, cti_id, "SIP: a REGISTER failed authentication");
        lock(&self.throttle).failed(ip, now);
        (StatusCode::Forbidden, vec![])
    }

    async fn bind(
        &self,
        tx: &Transaction,
        user: UserId,
        transport: Transport,
        source: SocketAddr,
        now: i64,
    ) -> (StatusCode, Vec<Header>) {
        let contacts = tx.original.typed_contact_headers().unwrap_or_default();
        let header_expires = tx.original.expires_header().and_then(|e| e.value().trim().parse::<u32>().ok());
        let contact = contacts.first();
        let expires = contact.and_then(|c| c.expires()).or(header_expires).unwrap_or(MAX_EXPIRES);
        let Some(contact) = contact.filter(|_| expires > 0) else {
            // A REGISTER without contacts asks for the bindings; with expires 0, removes them.
            if expires == 0 && lock(&self.bindings).remove(&user).is_some() {
                self.routing.phone(user, false).await;
            }
            let current =
                self.binding(user).map(|b| contact_header(&b.contact, ((b.expires_at_ms - now) / 1000) as u32));
            return (StatusCode::OK, current.into_iter().collect());
        };
        if expires < MIN_EXPIRES {
            return (StatusCode::IntervalTooBrief, vec![Header::MinExpires(MIN_EXPIRES.to_string().into())]);
        }
        let expires = expires.min(MAX_EXPIRES);
        let reach = reach_at(&contact.uri, source);
        let binding = Binding {
            contact: contact.uri.clone(),
            transport,
            source: reach,
            expires_at_ms: now + i64::from(expires) * 1000,
        };
        let was = lock(&self.bindings).insert(user, binding);
        if was.is_none() {
            tracing::info!(user, %source, "SIP: an agent's phone registered");
            self.routing.phone(user, true).await;
        }
        (StatusCode::OK, vec![contact_header(&contact.uri, expires)])
    }
}

/// Where a phone is rung: the address its Contact names when that is where its REGISTER
/// came from (no NAT between; a phone may register from one port and listen on
/// another), else where the REGISTER came from (behind NAT, the Contact's address is a
/// private one that cannot be reached).
fn reach_at(contact: &Uri, source: SocketAddr) -> SocketAddr {
    let named = match contact.host() {
        rsipstack::sip::Host::IpAddr(ip) => Some(*ip),
        rsipstack::sip::Host::Domain(_) => None,
    };
    match named {
        Some(ip) if ip == source.ip() => {
            let port = contact.host_with_port.port.as_ref().map_or(5060, |p| p.value());
            SocketAddr::new(ip, port)
        }
        _ => source,
    }
}

/// The digest answer in an Authorization header's value; `None` if it cannot be read.
pub fn answer_of(raw: &str) -> Option<Answer<'_>> {
    let tok = AuthTokenizer::parse(raw).ok()?;
    let param = |name: &str| tok.params.iter().find(|(k, _)| k.eq_ignore_ascii_case(name)).map(|(_, v)| *v);
    let qop = match (param("qop"), param("cnonce"), param("nc").and_then(|n| u32::from_str_radix(n, 16).ok())) {
        (Some(q), Some(c), Some(n)) if q.eq_ignore_ascii_case("auth") => Some((c, n)),
        (None, _, _) => None,
        _ => return None,
    };
    Some(Answer {
        username: param("username").unwrap_or_default(),
        realm: param("realm").unwrap_or_default(),
        nonce: param("nonce").unwrap_or_default(),
        uri: param("uri").unwrap_or_default(),
        response: param("response").unwrap_or_default(),
        qop,
    })
}

fn contact_header(uri: &Uri, expires: u32) -> Header {
    Header::Contact(Contact::new(format!("<{uri}>;expires={expires}")))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_phone_is_rung_at_its_contact_unless_it_is_behind_nat() {
        let source: SocketAddr = "203.0.113.7:40123".parse().unwrap();
        let natted = Uri::try_from("sip:op1@192.168.1.20:5060").unwrap();
        assert_eq!(reach_at(&natted, source), source);
        let direct = Uri::try_from("sip:op1@203.0.113.7:5070").unwrap();
        assert_eq!(reach_at(&direct, source), "203.0.113.7:5070".parse().unwrap());
        let by_name = Uri::try_from("sip:op1@phone.example").unwrap();
        assert_eq!(reach_at(&by_name, source), source);
        let no_port = Uri::try_from("sip:op1@203.0.113.7").unwrap();
        assert_eq!(reach_at(&no_port, source), "203.0.113.7:5060".parse().unwrap());
    }
}
