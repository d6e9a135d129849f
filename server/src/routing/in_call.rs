//! The controls of a connected call (➌): 保留 and 解除 (F15), 強制終了 (F14). Each
//! decision checks that the call is the agent's and that the rule table allows the
//! action in the agent's status.

use app::domain::AgentAction;
use app::error::AppError;
use app::model::{EndReason, UserId};

use super::change::Change;
use super::state::RoutingState;

impl RoutingState {
    /// The agent's own connected call `call_id`, and the status `action` leads to.
    fn own_call_action(
        &self,
        user: UserId,
        call_id: &str,
        action: AgentAction,
    ) -> Result<app::domain::AgentStatus, AppError> {
        let agent = self.agent(user)?;
        if agent.call.as_deref() != Some(call_id) {
            return Err(AppError::NotFound);
        }
        if !self.calls.contains_key(call_id) {
            // A consult call between colleagues: the customer's call is the other
            // agent's to hold or end.
            return Err(app::domain::RuleError { status: agent.status, action }.into());
        }
        Ok(app::domain::next_status(agent.status, action, &self.policy_for(agent))?)
    }

    /// 保留 (`held`) or 解除: the customer hears the tenant's hold music while held.
    pub fn decide_hold(&self, user: UserId, call_id: &str, held: bool) -> Result<Vec<Change>, AppError> {
        let action = if held { AgentAction::Hold } else { AgentAction::Release };
        let to = self.own_call_action(user, call_id, action)?;
        let tenant = self.agent(user)?.tenant_id;
        Ok(vec![
            Change::CallHeld { call_id: call_id.into(), agent: user, held, music: self.phone_of(tenant).hold_music },
            Change::Status { user, to, call: Some(call_id.into()) },
        ])
    }

    /// 強制終了 → 確認: `message` is played to the customer, then the call ends.
    pub fn decide_force_end(&self, user: UserId, call_id: &str, message: &str) -> Result<Vec<Change>, AppError> {
        let to = self.own_call_action(user, call_id, AgentAction::ForceEnd)?;
        Ok(vec![
            Change::MessagePlayed { call_id: call_id.into(), agent: user, message: message.to_owned() },
            Change::CallEnded { call_id: call_id.into(), reason: EndReason::ForceTerminated, agent: Some(user) },
            Change::Status { user, to, call: None },
        ])
    }
}
