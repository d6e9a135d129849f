//! The commands that change a telephone line — 応答, 終話, 保留, 強制終了, the consult
//! and its transfer, dialling out. Each decides first, commits what waits in the batch
//! before the line changes (`Actor::line`), then records its own decision: a line never
//! changes ahead of a decision made before it.

use app::domain::PhoneNumber;
use app::error::AppError;
use app::model::{AgentView, Dialled, EndReason, TicketId, UserId};

use super::actor::Actor;
use super::change::CallId;
use crate::store::now_ms;

impl Actor {
    pub(super) async fn answer(&mut self, user: UserId, call_id: &CallId) -> Result<TicketId, AppError> {
        let changes = self.state.decide_answer(user, call_id)?;
        if let Some((call, _)) = self.state.call_of_leg(call_id) {
            // A consult call between two agents: no line to connect, no ticket of its
            // own. The colleague is shown the ticket of the call they are consulted on.
            let ticket = match call.phase {
                super::state::Phase::Connected { ticket_id, .. } => ticket_id,
                _ => None,
            };
            self.commit(changes).await?;
            // The colleague's phone (where they have one) joins the agent's.
            let _ = self.line().await?.answer(call_id, user).await;
            return ticket.ok_or(AppError::CallGone);
        }
        self.line().await?.answer(call_id, user).await.map_err(|_| AppError::OfferGone)?;
        match self.commit(changes).await {
            Ok(Some(ticket)) => Ok(ticket),
            Ok(None) => Err(AppError::Internal),
            Err(e) => {
                // Connected on the line but not recorded: hang up rather than leave a
                // customer talking to no one on a call no one owns.
                if let Ok(line) = self.line().await {
                    let _ = line.hang_up(call_id).await;
                }
                Err(e)
            }
        }
    }

    pub(super) async fn hang_up(&mut self, user: UserId, call_id: &CallId) -> Result<AgentView, AppError> {
        let changes = self.state.decide_hang_up(user, call_id)?;
        // The line may already be down (the customer hung up an instant earlier); the
        // call ends for the agent either way.
        let _ = self.line().await?.hang_up(call_id).await;
        self.commit(changes).await?;
        self.view(user)
    }

    pub(super) async fn hold(&mut self, user: UserId, call_id: &CallId, held: bool) -> Result<AgentView, AppError> {
        let changes = self.state.decide_hold(user, call_id, held)?;
        let music = held.then(|| self.state.hold_music_of_agent(user));
        // The customer has just hung up: the hang-up that follows ends it.
        self.line().await?.hold(call_id, music).await.map_err(|_| AppError::CallGone)?;
        self.commit(changes).await?;
        self.view(user)
    }

    pub(super) async fn force_end(
        &mut self,
        user: UserId,
        call_id: &CallId,
        message: &str,
    ) -> Result<AgentView, AppError> {
        let changes = self.state.decide_force_end(user, call_id, message)?;
        // Played and cut whatever the line's state: the call ends for the agent either way.
        let _ = self.line().await?.force_end(call_id, message).await;
        self.commit(changes).await?;
        self.view(user)
    }

    /// 顧客接続: the customer and the consult's target are joined.
    pub(super) async fn connect_customer(&mut self, user: UserId, call_id: &CallId) -> Result<AgentView, AppError> {
        let changes = self.state.decide_connect_customer(user, call_id)?;
        let (leg, target) = self.state.consult_on(call_id).ok_or(AppError::CallGone)?;
        self.line().await?.transfer(call_id, &leg, &target).await.map_err(|_| AppError::CallGone)?;
        self.commit(changes).await?;
        self.view(user)
    }

    /// キャンセル of the consult call.
    pub(super) async fn cancel_consult(&mut self, user: UserId, call_id: &CallId) -> Result<AgentView, AppError> {
        let changes = self.state.decide_cancel_consult(user, call_id)?;
        if let Some(leg) = self.state.external_leg(call_id) {
            let _ = self.line().await?.hang_up(&leg).await;
        }
        self.commit(changes).await?;
        self.view(user)
    }

    /// Records the dial, then asks the telephone system to place it: the call exists
    /// in the store before the customer's phone can ring.
    pub(super) async fn dial(
        &mut self,
        user: UserId,
        to: PhoneNumber,
        caller_number: String,
    ) -> Result<Dialled, AppError> {
        let call_id = CallId::outbound();
        let changes = self.state.decide_dial(user, call_id.clone(), &to, &caller_number)?;
        let ticket_id = self.commit(changes).await?;
        if self.line().await?.originate(&call_id, &caller_number, to.as_str(), user).await.is_err()
            && let Some(changes) = self.state.dial_failed(&call_id, EndReason::Rejected)
        {
            self.commit(changes).await?;
        }
        Ok(Dialled { call_id: call_id.into(), ticket_id })
    }

    /// 協議通話 / 接続: the customer is held, then the target is called: an agent's
    /// widget rings, a number outside is dialled from the service's caller number.
    pub(super) async fn consult(
        &mut self,
        user: UserId,
        call_id: &CallId,
        target: super::change::ConsultTarget,
    ) -> Result<AgentView, AppError> {
        let leg_id = CallId::leg();
        let changes = self.state.decide_consult(user, call_id, leg_id.clone(), &target, now_ms())?;
        let music = self.state.hold_music_of_agent(user);
        self.line().await?.hold(call_id, Some(music)).await.map_err(|_| AppError::CallGone)?;
        if let Err(e) = self.commit(changes).await {
            if let Ok(line) = self.line().await {
                let _ = line.hold(call_id, None).await;
            }
            return Err(e);
        }
        let caller_id = self.state.caller_id_for(call_id);
        if self.line().await?.consult(call_id, &leg_id, &target, &caller_id, user).await.is_err()
            && let Some(changes) = self.state.dial_failed(&leg_id, EndReason::Rejected)
        {
            self.commit(changes).await?;
        }
        self.view(user)
    }
}
