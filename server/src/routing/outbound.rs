//! Outbound calls (F10, F11): dialling, the customer answering, and every way a dial
//! ends without a conversation.

use app::domain::{AgentAction, PhoneNumber, next_status};
use app::error::AppError;
use app::model::{CallDirection, EndReason, UserId};

use super::change::{CallId, Change, ConsultEnd, NewCall};
use super::state::{Phase, RoutingState};

impl RoutingState {
    /// かける → 確認 by `user`: dial `to` showing `caller_number`.
    pub fn decide_dial(
        &self,
        user: UserId,
        call_id: CallId,
        to: &PhoneNumber,
        caller_number: &str,
    ) -> Result<Vec<Change>, AppError> {
        let agent = self.agent(user)?;
        let phone = self.phone_of(agent.tenant_id);
        if !phone.outbound {
            return Err(AppError::OutboundDisabled);
        }
        let service_id = agent.service_id.ok_or(AppError::CallerNumberNotRegistered)?;
        // Only the service's registered numbers, whatever the browser sends (F10).
        let registered = self.caller_numbers.get(&service_id).is_some_and(|n| n.iter().any(|n| n == caller_number));
        if !registered {
            return Err(AppError::CallerNumberNotRegistered);
        }
        let to_status = next_status(agent.status, AgentAction::Dial, &self.policy_for(agent))?;
        Ok(vec![
            Change::CallDialed {
                call: NewCall {
                    id: call_id.clone(),
                    direction: CallDirection::Outbound,
                    tenant_id: agent.tenant_id,
                    service_id,
                    customer_number: self.reading.shown(to.as_str()),
                    service_number: caller_number.to_owned(),
                },
                agent: user,
                with_ticket: phone.ticket_on_dial,
            },
            Change::Status { user, to: to_status, call: Some(call_id) },
        ])
    }

    /// The dialled customer answered.
    pub fn decide_outbound_answered(&self, call_id: &str) -> Option<Vec<Change>> {
        if self.legs.contains_key(call_id) {
            return self.decide_consult_answered(call_id, None).ok();
        }
        let call = self.calls.get(call_id)?;
        let Phase::Dialing { agent, ticket_id } = call.phase else {
            return None;
        };
        Some(vec![
            Change::CallAnswered {
                call_id: call_id.into(),
                agent,
                direction: CallDirection::Outbound,
                tenant_id: call.call.tenant_id,
                service_id: call.call.service_id,
                customer_number: call.call.customer_number.clone(),
                make_ticket: ticket_id.is_none(),
            },
            Change::Status {
                user: agent,
                to: self.system_next(agent, AgentAction::DialAnswered),
                call: Some(call_id.into()),
            },
        ])
    }

    /// The dial ended without a conversation: no answer, busy, refused, or cancelled.
    /// The agent returns to the status they dialled from.
    pub fn dial_failed(&self, call_id: &str, reason: EndReason) -> Option<Vec<Change>> {
        if let Some((call, consult)) = self.call_of_leg(call_id) {
            let how = match reason {
                EndReason::NoAnswer => ConsultEnd::NoAnswer,
                EndReason::Busy => ConsultEnd::Busy,
                _ => ConsultEnd::Rejected,
            };
            return Some(self.consult_ended(call, consult, how));
        }
        let Phase::Dialing { agent, .. } = self.calls.get(call_id)?.phase else {
            return None;
        };
        Some(vec![
            Change::CallEnded { call_id: call_id.into(), reason, agent: Some(agent) },
            self.system_status(agent, AgentAction::DialFailed),
        ])
    }
}
