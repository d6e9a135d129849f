//! Calls in from the carrier: who may send them, and how each is queued and answered.

use super::*;

/// What a call from outside the trunk's addresses proved.
enum Credentials {
    /// The carrier's digest credentials (`RINGDESK_SIP_TRUNK_USER` / `_PASSWORD`).
    Valid,
    /// Nothing yet, or a stale nonce: this challenge asks for them.
    Challenge(Header),
    /// No credentials configured, wrong ones, or an address that must wait.
    Refused,
}

impl Worker {
    /// Whether an INVITE from an address outside the trunk carries the carrier's digest
    /// credentials (checked as the registrar checks a phone's).
    fn carrier_credentials(&mut self, tx: &Transaction, from: std::net::IpAddr) -> Credentials {
        let Some((user, password)) = &self.config.trunk_credentials else { return Credentials::Refused };
        let now = crate::store::now_ms();
        if self.carrier_throttle.wait_ms(&from, now) > 0 {
            return Credentials::Refused;
        }
        let challenge = |stale| {
            Credentials::Challenge(Header::WwwAuthenticate(WwwAuthenticate::new(
                self.carrier_nonces.challenge(now, stale),
            )))
        };
        let Some(auth) = tx.original.authorization_header() else { return challenge(false) };
        let raw = auth.value().to_owned();
        let verdict = match answer_of(&raw) {
            Some(answer) if answer.username == user.as_str() => {
                self.carrier_nonces.verify(&answer, "INVITE", &digest::ha1(user, password), now)
            }
            _ => Verdict::Invalid,
        };
        match verdict {
            Verdict::Valid => {
                self.carrier_throttle.succeeded(&from);
                Credentials::Valid
            }
            Verdict::Stale => challenge(true),
            Verdict::Invalid => {
                self.carrier_throttle.failed(from, now);
                Credentials::Refused
            }
        }
    }

    /// A customer's call from the carrier.
    pub(super) fn invite(&mut self, mut tx: Transaction) {
        let refuse = |mut tx: Transaction, status: StatusCode| {
            tokio::spawn(async move { tx.reply(status).await });
        };
        let Some((_, source)) = source_of(&tx) else { return refuse(tx, StatusCode::BadRequest) };
        if !addressing::from_trunk(source.ip(), &self.config.trunk) {
            // Calls in come only from the carrier (its addresses, or its digest
            // credentials): anything else could ring agents or, worse, be a way out
            // (toll fraud).
            match self.carrier_credentials(&tx, source.ip()) {
                Credentials::Valid => {}
                Credentials::Challenge(header) => {
                    tokio::spawn(async move {
                        let _ = tx.reply_with(StatusCode::Unauthorized, vec![header], None).await;
                    });
                    return;
                }
                Credentials::Refused => {
                    tracing::warn!(%source, "SIP: an INVITE not from the trunk was refused");
                    return refuse(tx, StatusCode::Forbidden);
                }
            }
        }
        let Some(dialled) = tx.original.uri.user().and_then(|u| addressing::number(u, self.region)) else {
            return refuse(tx, StatusCode::NotFound);
        };
        let customer_number = tx
            .original
            .from_header()
            .ok()
            .and_then(|f| f.uri().ok())
            .and_then(|u| u.user().map(str::to_owned))
            .map(|u| addressing::number(&u, self.region).map(|n| n.to_string()).unwrap_or(u))
            .unwrap_or_else(|| "anonymous".into());
        let media = match sdp::parse(&tx.original.body, SdpType::Offer) {
            Ok(m) => m,
            Err(e) => {
                tracing::info!(error = %e, "SIP: a call with no usable audio was refused");
                return refuse(tx, StatusCode::NotAcceptableHere);
            }
        };
        let Ok(socket) = self.ports.try_bind() else {
            tracing::warn!("SIP: no RTP port free; a call was refused");
            return refuse(tx, StatusCode::ServiceUnavailable);
        };
        let dialog = match self.dialogs.get_or_create_server_invite(
            &tx,
            self.state_sender.clone(),
            None,
            Some(self.contact.clone()),
        ) {
            Ok(d) => d,
            Err(e) => {
                tracing::warn!(error = %e, "SIP: a call could not be taken");
                return refuse(tx, StatusCode::ServerInternalError);
            }
        };
        let call_id = CallId::sip();
        let sip_call = dialog.id().call_id.clone();
        let relay = Relay::start(socket, self.stats.clone());
        relay.customer(media.clone());
        self.by_sip_call.insert(sip_call, (call_id.clone(), Party::Customer));
        self.calls.insert(
            call_id.clone(),
            Call {
                customer: Some(dialog.clone()),
                customer_media: Some(media),
                outbound: None,
                relay,
                phase: Phase::Waiting,
                legs: HashMap::new(),
                connect_when_answered: None,
                ending: false,
                answered_early: false,
                held_with: None,
                consult: None,
            },
        );
        // The INVITE transaction lives until the ACK (or the CANCEL) in a task of its own.
        let mut server_dialog = dialog;
        tokio::spawn(async move {
            if let Err(e) = server_dialog.handle(&mut tx).await {
                tracing::debug!(error = %e, "SIP: the customer's INVITE transaction ended with an error");
            }
        });
        let routing = self.routing.clone();
        let events = self.events.clone();
        tokio::spawn(async move {
            let result = routing.incoming(call_id.clone(), customer_number, dialled.to_string()).await;
            let _ = events.send(Event::Queued { call_id, result });
        });
    }

    pub(super) fn queued(&mut self, call_id: &CallId, result: Option<Result<Queued, IncomingError>>) {
        let Some(call) = self.calls.get(call_id) else { return };
        let status = match result {
            Some(Ok(queued)) => {
                if !matches!(call.phase, Phase::Waiting) {
                    return;
                }
                match queued.music_while_waiting {
                    // 待ち呼: answered now, the caller hears the hold music until an agent
                    // takes the call (a carrier would give up on one left ringing).
                    Some(music) => {
                        self.accept_customer(call_id);
                        if let Some(call) = self.calls.get_mut(call_id) {
                            call.answered_early = true;
                        }
                        self.hold(call_id, Some(music));
                    }
                    None => {
                        if let Some(customer) = &call.customer {
                            let _ = customer.ringing(None, None);
                        }
                    }
                }
                return;
            }
            Some(Err(IncomingError::UnknownNumber(_))) => StatusCode::NotFound,
            Some(Err(IncomingError::InboundDisabled)) => StatusCode::Forbidden,
            Some(Err(IncomingError::Duplicate(_))) => StatusCode::LoopDetected,
            Some(Err(IncomingError::Unavailable)) | None => StatusCode::ServiceUnavailable,
        };
        if let Some(customer) = &call.customer {
            let _ = customer.reject(Some(status), None);
        }
        self.forget(call_id);
    }

    /// Answers the customer's INVITE (200 OK with ringdesk's SDP).
    pub(super) fn accept_customer(&mut self, call_id: &CallId) {
        let ip = self.config.advertised_ip();
        let Some(call) = self.calls.get(call_id) else { return };
        let (Some(customer), Some(media)) = (&call.customer, &call.customer_media) else { return };
        let ours = Ours { ip, port: call.relay.customer_port, session_id: u64::from(call.relay.customer_port) };
        let answer = ours.answer(media);
        self.local_sdp.insert(customer.id().call_id.clone(), answer.clone());
        if let Err(e) = customer.accept(Some(vec![sdp_header()]), Some(answer)) {
            tracing::warn!(error = %e, "SIP: cannot answer the customer");
        }
    }
}
