//! Transfer with a consult call (F12, F13): the agent holding a call calls a target
//! while the customer waits on hold; 顧客接続 joins customer and target, キャンセル ends
//! the consult leg. The target is another 待機 agent of the service (offered the leg in
//! their widget like any call) or a number outside.

use app::domain::{AgentAction, AgentStatus, next_status};
use app::error::AppError;
use app::model::{EndReason, ReadyColleague, UserId};

use super::change::{CallId, Change, ConsultEnd, ConsultTarget};
use super::state::{Consult, LiveCall, RoutingState};

impl RoutingState {
    /// The customer call a consult leg belongs to.
    pub fn call_of_leg(&self, leg_id: &str) -> Option<(&LiveCall, &Consult)> {
        let call = self.calls.get(self.legs.get(leg_id)?)?;
        Some((call, call.consult.as_ref()?))
    }

    /// 協議通話 / 接続 in the transfer popup: `user`, talking on `call_id`, calls `target`
    /// on a new leg `leg_id`.
    pub fn decide_consult(
        &self,
        user: UserId,
        call_id: &str,
        leg_id: CallId,
        target: &ConsultTarget,
        now_ms: i64,
    ) -> Result<Vec<Change>, AppError> {
        let agent = self.agent(user)?;
        if agent.call.as_deref() != Some(call_id) {
            return Err(AppError::NotFound);
        }
        // The rule table refuses a consult while on hold, a second consult, and any
        // consult outside a conversation; a consult call itself is not transferred.
        let to = next_status(agent.status, AgentAction::Consult, &self.policy_for(agent))?;
        if !self.calls.contains_key(call_id) {
            return Err(app::domain::RuleError { status: agent.status, action: AgentAction::Consult }.into());
        }
        let phone = self.phone_of(agent.tenant_id);
        let mut changes = vec![
            Change::Status { user, to, call: Some(call_id.into()) },
            Change::ConsultStarted {
                call_id: call_id.into(),
                leg_id: leg_id.clone(),
                agent: user,
                target: target.clone(),
                deadline_ms: now_ms + phone.ring_timeout_ms,
            },
            Change::CallHeld { call_id: call_id.into(), agent: user, held: true, music: phone.hold_music },
        ];
        if let ConsultTarget::Agent { user_id } = target {
            let t = self.agents.get(user_id).ok_or(AppError::NotFound)?;
            let colleague = t.user_id != user && t.service_id == agent.service_id && t.service_id.is_some();
            if !colleague {
                return Err(AppError::NotFound);
            }
            let ringing =
                next_status(t.status, AgentAction::Offer, &self.policy_for(t)).map_err(|_| AppError::TargetNotReady)?;
            if t.retiring || !self.reachable(t) {
                return Err(AppError::TargetNotReady);
            }
            changes.push(Change::Status { user: *user_id, to: ringing, call: Some(leg_id) });
        }
        Ok(changes)
    }

    /// The target took the consult leg: an agent's 応答, or the number outside answering.
    pub fn decide_consult_answered(&self, leg_id: &str, by: Option<UserId>) -> Result<Vec<Change>, AppError> {
        let (call, consult) = self.call_of_leg(leg_id).ok_or(AppError::OfferGone)?;
        if consult.answered {
            return Err(AppError::OfferGone);
        }
        let mut changes = vec![Change::ConsultAnswered { call_id: call.call.id.clone() }];
        match (&consult.target, by) {
            (ConsultTarget::Agent { user_id }, Some(by)) if *user_id == by => {
                let agent = self.agent(by)?;
                let to = next_status(agent.status, AgentAction::Answer, &self.policy_for(agent))?;
                changes.push(Change::Status { user: by, to, call: Some(leg_id.into()) });
            }
            (ConsultTarget::Number { .. }, None) => {}
            _ => return Err(AppError::OfferGone),
        }
        Ok(changes)
    }

    /// The consult leg ends without the transfer: the agent is 保留中 with the customer
    /// still waiting (unless the customer left), an agent target is 待機 again.
    pub fn consult_ended(&self, call: &LiveCall, consult: &Consult, how: ConsultEnd) -> Vec<Change> {
        let mut changes = Vec::new();
        if how != ConsultEnd::CustomerLeft {
            changes.push(self.system_status_with_call(
                consult.by,
                AgentAction::CancelConsult,
                Some(call.call.id.clone()),
            ));
        }
        if let ConsultTarget::Agent { user_id } = consult.target
            && self.agents.get(&user_id).is_some_and(|a| a.call.as_deref() == Some(consult.leg_id.as_str()))
        {
            let to = match (how, self.agents[&user_id].status) {
                (ConsultEnd::NoAnswer, AgentStatus::Ringing) => self.system_next(user_id, AgentAction::OfferTimeout),
                _ => AgentStatus::Ready,
            };
            changes.push(Change::Status { user: user_id, to, call: None });
        }
        // Last, so that the outcome shown to the agent is not cleared by their status.
        changes.push(Change::ConsultEnded { call_id: call.call.id.clone(), how });
        changes
    }

    /// キャンセル by the agent of their consult leg.
    pub fn decide_cancel_consult(&self, user: UserId, call_id: &str) -> Result<Vec<Change>, AppError> {
        let (call, consult) = self.own_consult(user, call_id, AgentAction::CancelConsult)?;
        Ok(self.consult_ended(call, consult, ConsultEnd::Cancelled))
    }

    /// 顧客接続: the customer is joined to the target, who must be on the line.
    pub fn decide_connect_customer(&self, user: UserId, call_id: &str) -> Result<Vec<Change>, AppError> {
        let (call, consult) = self.own_consult(user, call_id, AgentAction::ConnectCustomer)?;
        if !consult.answered {
            return Err(AppError::TargetNotReady);
        }
        let id = call.call.id.clone();
        let mut changes = vec![
            Change::Transferred { call_id: id.clone(), from: user, to: consult.target.clone() },
            self.system_status_with_call(user, AgentAction::ConnectCustomer, None),
        ];
        match &consult.target {
            ConsultTarget::Agent { user_id } => {
                changes.push(Change::CallHeld { call_id: id.clone(), agent: *user_id, held: false, music: "" });
                changes.push(Change::Status { user: *user_id, to: AgentStatus::InCall, call: Some(id) });
            }
            ConsultTarget::Number { .. } => {
                changes.push(Change::CallEnded { call_id: id, reason: EndReason::Transferred, agent: Some(user) });
            }
        }
        Ok(changes)
    }

    /// The agent's consult on `call_id`, if `action` is allowed in their status.
    fn own_consult(&self, user: UserId, call_id: &str, action: AgentAction) -> Result<(&LiveCall, &Consult), AppError> {
        let agent = self.agent(user)?;
        if agent.call.as_deref() != Some(call_id) {
            return Err(AppError::NotFound);
        }
        next_status(agent.status, action, &self.policy_for(agent))?;
        let call = self.calls.get(call_id).ok_or(AppError::CallGone)?;
        let consult = call
            .consult
            .as_ref()
            .ok_or(AppError::NotAllowedNow(app::domain::RuleError { status: agent.status, action }))?;
        Ok((call, consult))
    }

    /// The consult on `call_id`: its leg, and whom it calls.
    pub fn consult_on(&self, call_id: &str) -> Option<(CallId, ConsultTarget)> {
        let consult = self.calls.get(call_id)?.consult.as_ref()?;
        Some((consult.leg_id.clone(), consult.target.clone()))
    }

    /// Whether `call_id` is a consult leg whose line is connected at the telephone
    /// system (a number outside); such a leg ends there too when the consult ends.
    pub fn external_leg(&self, call_id: &str) -> Option<CallId> {
        let consult = self.calls.get(call_id)?.consult.as_ref()?;
        matches!(consult.target, ConsultTarget::Number { .. }).then(|| consult.leg_id.clone())
    }

    /// The caller ID a consult call outside shows: the service's first caller number,
    /// else the number the customer dialled.
    pub fn caller_id_for(&self, call_id: &str) -> String {
        let Some(call) = self.calls.get(call_id) else { return String::new() };
        self.caller_numbers
            .get(&call.call.service_id)
            .and_then(|n| n.first().cloned())
            .unwrap_or_else(|| call.call.service_number.clone())
    }

    /// 待機中のオペレーター: the colleagues of `user`'s service who are 待機 now, by name.
    pub fn ready_colleagues(&self, user: UserId) -> Result<Vec<ReadyColleague>, AppError> {
        let me = self.agent(user)?;
        let mut list: Vec<ReadyColleague> = self
            .agents
            .values()
            .filter(|a| a.user_id != user && a.status == AgentStatus::Ready && !a.retiring && self.reachable(a))
            .filter(|a| a.service_id.is_some() && a.service_id == me.service_id)
            .map(|a| ReadyColleague { user_id: a.user_id, name: a.name.clone(), cti_number: a.cti_number.clone() })
            .collect();
        list.sort_by(|a, b| a.name.cmp(&b.name).then(a.user_id.cmp(&b.user_id)));
        Ok(list)
    }
}
