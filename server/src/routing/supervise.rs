//! Control of the floor: a supervisor sets an agent to 休憩 (with a reason), 業務 or
//! CTI未ログイン from the board. Between calls it happens at once; during a call the
//! agent keeps talking and the status comes when the call ends. Either way the audit
//! log has who set what, when (`Change::Supervised`).

use app::domain::{AgentAction, AgentStatus, TicketScope, next_status};
use app::error::AppError;
use app::model::UserId;

use super::change::{Change, Supervision};
use super::state::RoutingState;

impl RoutingState {
    /// Supervisor `by`, watching `scope`, sets agent `user` to `set`.
    pub fn decide_supervise(
        &self,
        by: UserId,
        scope: TicketScope,
        user: UserId,
        set: Supervision,
    ) -> Result<Vec<Change>, AppError> {
        // Someone outside the supervisor's floor is as unknown as someone who is not
        // there: ids reveal nothing.
        let agent = self
            .agents
            .get(&user)
            .filter(|a| a.tenant_id == scope.tenant_id && scope.service_id.is_none_or(|s| a.service_id == Some(s)))
            .ok_or(AppError::NotFound)?;
        let action = AgentAction::Supervise(set.to);
        let at_once = match next_status(agent.status, action, &self.policy_for(agent)) {
            Ok(_) => true,
            // During a call (or an offer, or a dial) it waits for the call to end; an
            // agent not logged in to CTI has no status to set.
            Err(e) if agent.status == AgentStatus::LoggedOut || !app::domain::SUPERVISED.contains(&set.to) => {
                return Err(e.into());
            }
            Err(_) => false,
        };
        let set = Supervision { reason: set.reason.filter(|_| set.to == AgentStatus::Break), ..set };
        let mut changes = vec![Change::Supervised {
            by,
            user,
            tenant_id: agent.tenant_id,
            name: agent.name.clone(),
            from: agent.status,
            set: set.clone(),
            at_once,
        }];
        if at_once {
            changes.extend(self.supervised_status(user, &set));
        }
        Ok(changes)
    }

    /// The status a supervisor set, and its reason (on a 休憩 already, only the reason).
    fn supervised_status(&self, user: UserId, set: &Supervision) -> Vec<Change> {
        let mut changes = Vec::new();
        if self.agents.get(&user).is_none_or(|a| a.status != set.to) {
            changes.push(Change::Status { user, to: set.to, call: None });
        }
        if set.to == AgentStatus::Break {
            changes.push(Change::BreakReason { user, reason: set.reason.clone() });
        }
        changes
    }

    /// What supervisors set during calls that have now ended: the changes that make it
    /// so, agent by agent.
    pub fn due_supervisions(&self) -> Vec<(UserId, Vec<Change>)> {
        let mut due: Vec<(UserId, Vec<Change>)> = self
            .agents
            .values()
            .filter(|a| a.call.is_none() && !a.retiring)
            .filter_map(|a| {
                let set = a.pending.as_ref()?;
                next_status(a.status, AgentAction::Supervise(set.to), &self.policy_for(a)).ok()?;
                Some((a.user_id, self.supervised_status(a.user_id, set)))
            })
            .collect();
        due.sort_unstable_by_key(|(user, _)| *user);
        due
    }
}
