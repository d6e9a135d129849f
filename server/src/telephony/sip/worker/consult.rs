//! Transfers over SIP (F12, F13). A consult is a leg of its own: a colleague's phone
//! rung from ringdesk, or a number outside called through the trunk. While the customer
//! waits on hold, the agent's side of the customer's relay moves to a relay of the
//! consult's, where the agent and the target talk. 顧客接続 moves the target's side to
//! the customer's relay and lets the agent go; キャンセル (or the target hanging up)
//! moves the agent's side back. The phones notice nothing: no re-INVITE, the same ports.

use super::*;
use app::model::ConsultTarget;

/// Whom a consult calls.
#[derive(Clone, Copy)]
pub(super) enum Target {
    Colleague(UserId),
    Outside,
}

/// A consult leg and its audio.
pub(super) struct Consult {
    pub(super) leg_id: CallId,
    /// The agent who holds the customer and calls the target.
    agent: UserId,
    target: Target,
    /// The target's dialog (`None`: a colleague's phone declined; their widget still rings).
    dialog: Option<InviteDialog>,
    /// The target's RTP socket, until their relay starts with it.
    socket: Option<RtpSocket>,
    /// The target's SDP once they answered.
    answered: Option<Media>,
    /// Routing counts the colleague as answered (the widget's 応答 or the phone's).
    taken: bool,
    /// The agent and the target talking: the target's side as its customer end, the
    /// agent's as its other end.
    relay: Option<Relay>,
}

impl Consult {
    /// Ends the target's leg: CANCEL while it rings, BYE once answered.
    pub(super) fn hang_up(self) {
        if let Some(dialog) = self.dialog {
            tokio::spawn(async move {
                let _ = dialog.hangup().await;
            });
        }
    }
}

impl Worker {
    /// 協議通話: the agent of `call_id` calls `target`; the customer is already on hold.
    pub(super) fn consult(
        &mut self,
        call_id: &CallId,
        leg_id: CallId,
        target: &ConsultTarget,
        caller_id: &str,
        agent: UserId,
    ) {
        let Some(call) = self.calls.get(call_id) else { return };
        if call.consult.is_some() || !matches!(call.phase, Phase::Connected { .. }) {
            return;
        }
        let codec = call.customer_media.as_ref().and_then(Media::codec).unwrap_or(Codec::Pcmu);
        let customer =
            call.customer.as_ref().and_then(|c| c.initial_request().from_header().ok().and_then(|f| f.uri().ok()));
        let Ok(socket) = self.ports.try_bind() else {
            tracing::warn!("SIP: no RTP port free for a consult");
            return self.consult_failed(leg_id, EndReason::Rejected);
        };
        let (invited, target) = match target {
            // The colleague's phone shows the customer they are consulted about.
            ConsultTarget::Agent { user_id } => {
                let caller = customer.unwrap_or_else(|| self.contact.clone());
                (self.invite_phone(*user_id, caller, codec, socket.port, None), Target::Colleague(*user_id))
            }
            ConsultTarget::Number { number } => (self.invite_trunk(number, caller_id, socket.port), Target::Outside),
        };
        let Some(invited) = invited else {
            return match target {
                // No phone to ring: the colleague's widget rings until the offer ends.
                Target::Colleague(_) => {}
                Target::Outside => self.consult_failed(leg_id, EndReason::Rejected),
            };
        };
        self.by_sip_call.insert(invited.sip_call, (call_id.clone(), Party::Consult));
        self.by_leg.insert(leg_id.clone(), call_id.clone());
        let consult = Consult {
            leg_id: leg_id.clone(),
            agent,
            target,
            dialog: Some(invited.dialog),
            socket: Some(socket),
            answered: None,
            taken: matches!(target, Target::Outside),
            relay: None,
        };
        if let Some(call) = self.calls.get_mut(call_id) {
            call.consult = Some(consult);
        }
        let call_id = call_id.clone();
        self.when_answered(invited.outcome, move |answered| Event::ConsultLeg { call_id, leg_id, answered });
    }

    /// The target answered (with their SDP), or did not (with the status).
    pub(super) fn consult_leg(
        &mut self,
        call_id: &CallId,
        leg_id: &CallId,
        answered: Result<Vec<u8>, Option<StatusCode>>,
    ) {
        let Some(consult) = self.consult_mut(call_id, leg_id) else { return };
        let target = consult.target;
        match (answered.map(|body| sdp::parse(&body, SdpType::Answer)), target) {
            (Ok(Ok(media)), _) => {
                consult.answered = Some(media);
                match target {
                    Target::Outside => {
                        self.join_consult(call_id);
                        let (routing, leg_id) = (self.routing.clone(), leg_id.clone());
                        tokio::spawn(async move { routing.outbound_answered(leg_id).await });
                    }
                    Target::Colleague(_) if consult.taken => self.join_consult(call_id),
                    Target::Colleague(user) => {
                        // Answered on the phone: that is the colleague's 応答.
                        let (routing, events, leg_id) = (self.routing.clone(), self.events.clone(), leg_id.clone());
                        tokio::spawn(async move {
                            if routing.answer(user, leg_id.clone()).await.is_err() {
                                let _ = events.send(Event::AnswerRefused { call_id: leg_id, user });
                            }
                        });
                    }
                }
            }
            (Ok(Err(e)), _) => {
                tracing::warn!(error = %e, "SIP: a consult's target answered with no usable audio");
                self.drop_consult_phone(call_id);
                if let Target::Outside = target {
                    self.by_leg.remove(leg_id);
                    if let Some(call) = self.calls.get_mut(call_id) {
                        call.consult = None;
                    }
                    self.consult_failed(leg_id.clone(), EndReason::Rejected);
                }
            }
            // Declined or busy: the colleague's widget still rings until the offer ends.
            (Err(_), Target::Colleague(_)) => {
                consult.dialog = None;
            }
            (Err(status), Target::Outside) => {
                if let Some(call) = self.calls.get_mut(call_id) {
                    call.consult = None;
                }
                self.by_leg.remove(leg_id);
                self.consult_failed(leg_id.clone(), outbound::dial_outcome(status));
            }
        }
    }

    /// Routing counts the colleague as answered: their phone joins the agent's once it
    /// has answered too.
    pub(super) fn consult_taken(&mut self, call_id: &CallId, leg_id: &CallId) {
        let Some(consult) = self.consult_mut(call_id, leg_id) else { return };
        consult.taken = true;
        if consult.answered.is_some() {
            self.join_consult(call_id);
        }
    }

    /// The agent and the target hear each other: the agent's side leaves the customer's
    /// relay (where the customer hears hold music) for the consult's.
    fn join_consult(&mut self, call_id: &CallId) {
        let stats = self.stats.clone();
        let Some(call) = self.calls.get_mut(call_id) else { return };
        let Some(consult) = call.consult.as_mut() else { return };
        let (Some(socket), Some(media)) = (consult.socket.take(), consult.answered.clone()) else { return };
        let relay = Relay::start(socket, stats);
        relay.customer(media);
        call.relay.hand_over(End::Other, &relay);
        consult.relay = Some(relay);
    }

    /// The consult ended without a transfer: its leg ends, and the agent's side goes back
    /// to the customer's relay (still on hold until 解除).
    pub(super) fn end_consult(&mut self, call_id: &CallId) {
        let Some(call) = self.calls.get_mut(call_id) else { return };
        if matches!(call.phase, Phase::TransferredOut) {
            return;
        }
        let Some(consult) = call.consult.take() else { return };
        if let Some(relay) = &consult.relay {
            relay.hand_over(End::Other, &call.relay);
        }
        self.by_leg.remove(&consult.leg_id);
        consult.hang_up();
    }

    /// 顧客接続: the target's side joins the customer's relay, off hold, and the agent's
    /// phone is let go. A colleague now holds the call; a number outside talks to the
    /// customer through ringdesk until either hangs up.
    pub(super) fn transfer(&mut self, call_id: &CallId) {
        let Some(call) = self.calls.get_mut(call_id) else { return };
        let joined = call.consult.as_ref().is_some_and(|c| c.relay.is_some());
        if !joined {
            tracing::warn!(call = %call_id, "SIP: 顧客接続 before the target's audio joined; the customer stays on hold");
            return;
        }
        let Some(mut consult) = call.consult.take() else { return };
        if let Some(relay) = consult.relay.take() {
            // The consult's relay stops once the move is made, letting the agent's socket go.
            relay.hand_over(End::Customer, &call.relay);
        }
        call.relay.hold(None);
        call.held_with = None;
        let agent = consult.agent;
        match consult.target {
            Target::Colleague(user) => {
                call.phase = Phase::Connected { agent: user };
                self.by_leg.remove(&consult.leg_id);
                if let Some(dialog) = consult.dialog.take() {
                    self.by_sip_call.insert(dialog.id().call_id.clone(), (call_id.clone(), Party::Agent(user)));
                    call.legs.insert(user, AgentLeg { dialog, socket: None, answered: consult.answered.take() });
                }
            }
            Target::Outside => {
                call.phase = Phase::TransferredOut;
                call.consult = Some(consult);
            }
        }
        self.end_leg(call_id, agent);
    }

    /// The consult's target hung up (BYE) during the consult: routing ends it as
    /// routing ends any consult (and `end_consult` follows). Outside a consult, after a
    /// transfer out, the customer's line ends with it.
    pub(super) fn consult_target_left(&mut self, call_id: &CallId, sip_call: &str, reason: &TerminatedReason) {
        let Some(call) = self.calls.get(call_id) else { return };
        if matches!(call.phase, Phase::TransferredOut) {
            return self.hang_up(call_id);
        }
        let Some(consult) = &call.consult else { return };
        let ours = consult.dialog.as_ref().is_some_and(|d| d.id().call_id == sip_call);
        if !ours || consult.answered.is_none() || !matches!(reason, TerminatedReason::UasBye) {
            // Ended before it was answered: its outcome tells how.
            return;
        }
        let (routing, leg_id) = (self.routing.clone(), consult.leg_id.clone());
        match consult.target {
            Target::Colleague(user) => {
                tokio::spawn(async move {
                    let _ = routing.hang_up(user, leg_id).await;
                });
            }
            Target::Outside => {
                tokio::spawn(async move { routing.customer_hangup(leg_id).await });
            }
        }
    }

    /// The colleague's phone is let go (routing refused its answer, or it answered with
    /// no usable audio); their widget is routing's to ring or end.
    pub(super) fn drop_consult_phone(&mut self, call_id: &CallId) {
        let Some(consult) = self.calls.get_mut(call_id).and_then(|c| c.consult.as_mut()) else { return };
        if let Some(dialog) = consult.dialog.take() {
            tokio::spawn(async move {
                let _ = dialog.hangup().await;
            });
        }
        consult.answered = None;
    }

    fn consult_mut(&mut self, call_id: &CallId, leg_id: &CallId) -> Option<&mut Consult> {
        self.calls.get_mut(call_id)?.consult.as_mut().filter(|c| c.leg_id == *leg_id)
    }

    /// A consult with a number outside failed: routing hears it as a dial that failed.
    fn consult_failed(&self, leg_id: CallId, reason: EndReason) {
        let routing = self.routing.clone();
        tokio::spawn(async move { routing.outbound_failed(leg_id, reason).await });
    }
}
