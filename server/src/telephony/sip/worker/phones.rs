//! Agents' phones: the legs that ring them, their answers, and joining them to the
//! customer's audio.

use super::*;

/// A leg from ringdesk to an agent's phone.
pub(super) struct AgentLeg {
    pub(super) dialog: InviteDialog,
    pub(super) socket: Option<RtpSocket>,
    /// Its SDP once the phone answered.
    pub(super) answered: Option<Media>,
}

/// An INVITE ringdesk sent, under way.
pub(super) struct Invited {
    pub(super) dialog: InviteDialog,
    /// Its outcome, for `when_answered`.
    pub(super) outcome: rsipstack::platform::JoinHandle<rsipstack::dialog::invitation::InviteAsyncResult>,
    pub(super) sip_call: String,
}

impl Worker {
    /// An offer: the agent's phone rings (if it is registered) besides their widget.
    pub(super) fn ring(&mut self, call_id: &CallId, user: UserId) {
        let Some(call) = self.calls.get(call_id) else { return };
        // An agent who talks in the browser has no phone to ring: the widget rings.
        if call.legs.contains_key(&user) || self.registrar.binding(user).is_none() || self.browser.line(user).is_some()
        {
            return;
        }
        let codec = call.customer_media.as_ref().and_then(Media::codec).unwrap_or(Codec::Pcmu);
        // The phone shows the customer: who calls in, or whom the agent calls.
        let caller = match (&call.outbound, &call.customer) {
            (Some(out), _) => Uri::try_from(format!("sip:{}@{}", out.to, self.config.advertised_ip()).as_str()).ok(),
            (None, Some(customer)) => customer.initial_request().from_header().ok().and_then(|f| f.uri().ok()),
            (None, None) => None,
        }
        .unwrap_or_else(|| self.contact.clone());
        // The agent asked for this call (かける): a phone that honours it answers by itself.
        let headers = matches!(call.phase, Phase::Dialing { .. })
            .then(|| vec![Header::Other("Call-Info".into(), format!("<{}>;answer-after=0", self.contact))]);
        let Ok(socket) = self.ports.try_bind() else {
            tracing::warn!("SIP: no RTP port free to ring an agent's phone");
            return;
        };
        let Some(invited) = self.invite_phone(user, caller, codec, socket.port, headers) else { return };
        self.by_sip_call.insert(invited.sip_call, (call_id.clone(), Party::Agent(user)));
        if let Some(call) = self.calls.get_mut(call_id) {
            call.legs.insert(user, AgentLeg { dialog: invited.dialog, socket: Some(socket), answered: None });
        }
        let call_id = call_id.clone();
        self.when_answered(invited.outcome, move |answered| Event::AgentLeg { call_id, user, answered });
    }

    /// Calls `user`'s registered phone, showing `caller`, with audio offered on `port`
    /// in `codec`; `None` (logged) when it has no phone or cannot be called.
    pub(super) fn invite_phone(
        &mut self,
        user: UserId,
        caller: Uri,
        codec: Codec,
        port: u16,
        headers: Option<Vec<Header>>,
    ) -> Option<Invited> {
        let binding = self.registrar.binding(user)?;
        let ours = Ours { ip: self.config.advertised_ip(), port, session_id: u64::from(port) };
        let sip_call = format!("{}-{}", uuid::Uuid::new_v4().simple(), user);
        let offer = ours.offer(codec);
        let option = InviteOption {
            caller,
            callee: binding.contact.clone(),
            destination: Some(SipAddr::new(binding.transport, binding.source.into())),
            content_type: Some("application/sdp".into()),
            offer: Some(offer.clone()),
            contact: self.contact.clone(),
            call_id: Some(sip_call.clone()),
            headers,
            ..Default::default()
        };
        match self.dialogs.do_invite_async(option, self.state_sender.clone()) {
            Ok((dialog, outcome)) => {
                self.local_sdp.insert(sip_call.clone(), offer);
                Some(Invited { dialog, outcome, sip_call })
            }
            Err(e) => {
                tracing::warn!(error = %e, user, "SIP: cannot call the agent's phone");
                None
            }
        }
    }

    /// An agent's phone answered, or stopped ringing.
    pub(super) fn agent_leg(&mut self, call_id: &CallId, user: UserId, answered: Result<Vec<u8>, Option<StatusCode>>) {
        enum Next {
            Connect,
            End,
            AskRouting,
        }
        let Some(call) = self.calls.get_mut(call_id) else { return };
        let Some(leg) = call.legs.get_mut(&user) else { return };
        let media = match answered.map(|body| sdp::parse(&body, SdpType::Answer)) {
            Ok(Ok(media)) => media,
            Ok(Err(e)) => {
                tracing::warn!(error = %e, user, "SIP: the agent's phone answered with no usable audio");
                self.end_leg(call_id, user);
                return;
            }
            Err(status) => {
                tracing::debug!(?status, user, "SIP: the agent's phone did not answer");
                call.legs.remove(&user);
                if matches!(call.phase, Phase::Dialing { .. }) {
                    // かける with the agent's own phone refusing: the dial fails.
                    return self.dial_failed(call_id, EndReason::Rejected);
                }
                // Declined, busy or cancelled: the widget still rings until the offer ends.
                return;
            }
        };
        leg.answered = Some(media);
        if let Phase::Dialing { agent } = call.phase
            && agent == user
        {
            // The agent is on the line: now the customer is called.
            self.connect(call_id, user);
            return self.place_customer_leg(call_id);
        }
        let next = match call.phase {
            Phase::Connected { agent } if agent == user => Next::Connect,
            Phase::Connected { .. } => Next::End,
            Phase::Waiting if call.connect_when_answered == Some(user) => Next::Connect,
            Phase::Waiting => Next::AskRouting,
            Phase::Dialing { .. } | Phase::TransferredOut => Next::End,
        };
        match next {
            Next::Connect => self.connect(call_id, user),
            Next::End => self.end_leg(call_id, user),
            Next::AskRouting => {
                // Answered on the phone: that is the agent's 応答. Routing decides whether
                // it still wins the call.
                let routing = self.routing.clone();
                let events = self.events.clone();
                let call_id = call_id.clone();
                tokio::spawn(async move {
                    if routing.answer(user, call_id.clone()).await.is_err() {
                        let _ = events.send(Event::AnswerRefused { call_id, user });
                    }
                });
            }
        }
    }

    /// Routing connected the call to `user`.
    pub(super) fn answer(&mut self, call_id: &CallId, user: UserId) {
        let Some(call) = self.calls.get(call_id) else { return };
        match (&call.phase, call.answered_early) {
            (Phase::Waiting, false) => self.accept_customer(call_id),
            // The hold music of the wait stops; the agent's voice follows once joined.
            (Phase::Waiting, true) => self.hold(call_id, None),
            _ => {}
        }
        let Some(call) = self.calls.get_mut(call_id) else { return };
        call.phase = Phase::Connected { agent: user };
        let others: Vec<UserId> = call.legs.keys().copied().filter(|u| *u != user).collect();
        for other in others {
            self.end_leg(call_id, other);
        }
        if let Some(line) = self.browser.line(user) {
            // In the browser: the agent's line joins the customer at once.
            if let Some(call) = self.calls.get(call_id) {
                call.relay.attach_browser(line);
            }
            return;
        }
        match self.calls.get(call_id).and_then(|c| c.legs.get(&user)).map(|l| l.answered.is_some()) {
            Some(true) => self.connect(call_id, user),
            // Answered in the widget while the phone rings: it is connected when the
            // agent picks up.
            Some(false) => {
                if let Some(call) = self.calls.get_mut(call_id) {
                    call.connect_when_answered = Some(user);
                }
            }
            // No phone and no browser: the agent has no audio.
            None => {}
        }
    }

    /// Joins the agent's answered leg to the customer's audio.
    pub(super) fn connect(&mut self, call_id: &CallId, user: UserId) {
        let Some(call) = self.calls.get_mut(call_id) else { return };
        let Some(leg) = call.legs.get_mut(&user) else { return };
        if let (Some(socket), Some(media)) = (leg.socket.take(), leg.answered.clone()) {
            call.relay.attach(socket, media);
        }
    }

    /// Ends the leg to `user`'s phone (CANCEL while ringing, BYE once answered).
    pub(super) fn end_leg(&mut self, call_id: &CallId, user: UserId) {
        let Some(call) = self.calls.get_mut(call_id) else { return };
        let Some(leg) = call.legs.remove(&user) else { return };
        if call.connect_when_answered == Some(user) {
            call.connect_when_answered = None;
        }
        let dialog = leg.dialog;
        tokio::spawn(async move {
            let _ = dialog.hangup().await;
        });
    }
}
