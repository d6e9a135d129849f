//! かける: the agent's phone first, then the customer through the trunk.

use super::*;

/// Where an outbound call goes, and the caller ID it shows.
pub(super) struct Outbound {
    pub(super) to: String,
    pub(super) caller_id: String,
}

impl Worker {
    /// かける: the agent's phone is called first (and answers by itself where it honours
    /// Call-Info answer-after); once the agent is on the line, the customer is called
    /// through the trunk. An agent in the browser, or without a phone, has the customer
    /// called at once.
    pub(super) fn dial(&mut self, call_id: CallId, outbound: Outbound, user: UserId) {
        let Ok(socket) = self.ports.try_bind() else {
            tracing::warn!("SIP: no RTP port free; a dial failed");
            return self.report_dial_failed(call_id, EndReason::Rejected);
        };
        let relay = Relay::start(socket, self.stats.clone());
        self.calls.insert(
            call_id.clone(),
            Call {
                customer: None,
                customer_media: None,
                outbound: Some(outbound),
                relay,
                phase: Phase::Dialing { agent: user },
                legs: HashMap::new(),
                connect_when_answered: Some(user),
                ending: false,
                answered_early: false,
                held_with: None,
                consult: None,
            },
        );
        if let Some(line) = self.browser.line(user) {
            // In the browser the agent is on the line already: the customer is called.
            if let Some(call) = self.calls.get(&call_id) {
                call.relay.attach_browser(line);
            }
            self.place_customer_leg(&call_id);
        } else if self.registrar.binding(user).is_some() {
            self.ring(&call_id, user);
        } else {
            self.place_customer_leg(&call_id);
        }
    }

    /// The customer's leg of an outbound call: INVITE through the trunk, showing the
    /// chosen caller number.
    pub(super) fn place_customer_leg(&mut self, call_id: &CallId) {
        let Some(call) = self.calls.get(call_id) else { return };
        let Some(out) = &call.outbound else { return };
        let (to, caller_id, port) = (out.to.clone(), out.caller_id.clone(), call.relay.customer_port);
        let Some(invited) = self.invite_trunk(&to, &caller_id, port) else {
            return self.dial_failed(call_id, EndReason::Rejected);
        };
        self.by_sip_call.insert(invited.sip_call, (call_id.clone(), Party::Customer));
        if let Some(call) = self.calls.get_mut(call_id) {
            call.customer = Some(invited.dialog);
        }
        let call_id = call_id.clone();
        self.when_answered(invited.outcome, move |answered| Event::CustomerLeg { call_id, answered });
    }

    /// Calls `to` through the trunk, showing `caller_id` (From and P-Asserted-Identity),
    /// with audio offered on `port`; `None` (logged) when there is no trunk or the
    /// numbers make no URI.
    pub(super) fn invite_trunk(&mut self, to: &str, caller_id: &str, port: u16) -> Option<Invited> {
        let ip = self.config.advertised_ip();
        let Some(trunk) = self.config.trunk.first().copied() else {
            tracing::warn!("SIP: no trunk (RINGDESK_SIP_TRUNK) to place a call through");
            return None;
        };
        let ours = Ours { ip, port, session_id: u64::from(port) };
        let offer = ours.offer(Codec::Pcmu);
        let caller = Uri::try_from(format!("sip:{caller_id}@{ip}").as_str()).ok()?;
        let callee = Uri::try_from(format!("sip:{to}@{trunk}").as_str()).ok()?;
        let identity = Header::Other("P-Asserted-Identity".into(), format!("<{caller}>"));
        let sip_call = format!("{}-out", uuid::Uuid::new_v4().simple());
        let credential = self.config.trunk_credentials.as_ref().map(|(user, password)| {
            rsipstack::dialog::authenticate::Credential {
                username: user.clone(),
                password: password.clone(),
                realm: None,
                auth_username: None,
            }
        });
        let option = InviteOption {
            caller,
            callee,
            destination: Some(SipAddr::new(rsipstack::sip::Transport::Udp, trunk.into())),
            content_type: Some("application/sdp".into()),
            offer: Some(offer.clone()),
            contact: self.contact.clone(),
            credential,
            headers: Some(vec![identity]),
            call_id: Some(sip_call.clone()),
            ..Default::default()
        };
        match self.dialogs.do_invite_async(option, self.state_sender.clone()) {
            Ok((dialog, outcome)) => {
                self.local_sdp.insert(sip_call.clone(), offer);
                Some(Invited { dialog, outcome, sip_call })
            }
            Err(e) => {
                tracing::warn!(error = %e, "SIP: cannot place the call through the trunk");
                None
            }
        }
    }

    /// The customer of an outbound call answered, or the call failed with a status.
    pub(super) fn customer_leg(&mut self, call_id: &CallId, answered: Result<Vec<u8>, Option<StatusCode>>) {
        let Some(call) = self.calls.get_mut(call_id) else { return };
        let Phase::Dialing { agent } = call.phase else { return };
        match answered.map(|body| sdp::parse(&body, SdpType::Answer)) {
            Ok(Ok(media)) => {
                call.relay.customer(media.clone());
                call.customer_media = Some(media);
                call.phase = Phase::Connected { agent };
                let routing = self.routing.clone();
                let call_id = call_id.clone();
                tokio::spawn(async move { routing.outbound_answered(call_id).await });
            }
            Ok(Err(e)) => {
                tracing::warn!(error = %e, "SIP: the customer answered with no usable audio");
                self.hang_up(call_id);
                self.report_dial_failed(call_id.clone(), EndReason::Rejected);
            }
            Err(status) => self.dial_failed(call_id, dial_outcome(status)),
        }
    }

    /// Ends an outbound call that did not connect, and tells routing how.
    pub(super) fn dial_failed(&mut self, call_id: &CallId, reason: EndReason) {
        self.forget(call_id);
        self.report_dial_failed(call_id.clone(), reason);
    }

    pub(super) fn report_dial_failed(&self, call_id: CallId, reason: EndReason) {
        let routing = self.routing.clone();
        tokio::spawn(async move { routing.outbound_failed(call_id, reason).await });
    }
}

/// How a dial that was not answered ended, from the carrier's final status.
pub(super) fn dial_outcome(status: Option<StatusCode>) -> EndReason {
    match status.map(u16::from) {
        Some(486 | 600) => EndReason::Busy,
        Some(408 | 480 | 487) | None => EndReason::NoAnswer,
        _ => EndReason::Rejected,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    pub(super) fn a_carriers_final_status_is_the_dials_outcome() {
        assert_eq!(dial_outcome(Some(StatusCode::BusyHere)), EndReason::Busy);
        assert_eq!(dial_outcome(Some(StatusCode::TemporarilyUnavailable)), EndReason::NoAnswer);
        assert_eq!(dial_outcome(Some(StatusCode::RequestTimeout)), EndReason::NoAnswer);
        assert_eq!(dial_outcome(Some(StatusCode::Decline)), EndReason::Rejected);
        assert_eq!(dial_outcome(Some(StatusCode::Forbidden)), EndReason::Rejected);
    }
}
