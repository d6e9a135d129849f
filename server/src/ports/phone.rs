//! The agent's phone: the widget's server functions, handed to routing.

use app::api::ports::PhonePort;
use app::domain::AgentAction;
use app::error::AppError;
use app::model::{
    AgentView, BrowserAudio, CallerNumber, ConsultTarget, Dialled, Endpoint, NumberEntry, ReadyColleague, SessionInfo,
    TicketId,
};
use async_trait::async_trait;

use super::internal;
use crate::numbers;
use crate::routing::RoutingHandle;
use crate::store::Store;
use crate::telephony::browser::{OfferError, PhoneWindows};

pub(super) struct Phone {
    pub(super) routing: RoutingHandle,
    pub(super) browser: std::sync::Arc<dyn PhoneWindows>,
    pub(super) store: Store,
    pub(super) region: phonenumber::country::Id,
}

#[async_trait]
impl PhonePort for Phone {
    async fn view(&self, user: &SessionInfo) -> Result<AgentView, AppError> {
        self.routing.view(user.user_id).await.ok_or(AppError::NoPhonePermission)
    }

    async fn act(&self, user: &SessionInfo, action: AgentAction) -> Result<AgentView, AppError> {
        self.routing.act(user.user_id, action).await
    }

    async fn answer(&self, user: &SessionInfo, call_id: &str) -> Result<TicketId, AppError> {
        self.routing.answer(user.user_id, call_id.to_owned()).await
    }

    async fn hang_up(&self, user: &SessionInfo, call_id: &str) -> Result<AgentView, AppError> {
        self.routing.hang_up(user.user_id, call_id.to_owned()).await
    }

    async fn hold(&self, user: &SessionInfo, call_id: &str, held: bool) -> Result<AgentView, AppError> {
        self.routing.hold(user.user_id, call_id.to_owned(), held).await
    }

    async fn force_end(&self, user: &SessionInfo, call_id: &str, message: &str) -> Result<AgentView, AppError> {
        self.routing.force_end(user.user_id, call_id.to_owned(), message.to_owned()).await
    }

    async fn force_end_message(&self, user: &SessionInfo) -> Result<String, AppError> {
        let settings = self.store.cti_settings(user.tenant_id).await.map_err(internal)?;
        Ok(settings.map(|s| s.force_end_message).unwrap_or_default())
    }

    async fn consult(&self, user: &SessionInfo, call_id: &str, target: ConsultTarget) -> Result<AgentView, AppError> {
        let target = match target {
            ConsultTarget::Number { number } => {
                ConsultTarget::Number { number: numbers::normalize(&number, self.region)?.to_string() }
            }
            agent => agent,
        };
        self.routing.consult(user.user_id, call_id.to_owned(), target).await
    }

    async fn connect_customer(&self, user: &SessionInfo, call_id: &str) -> Result<AgentView, AppError> {
        self.routing.connect_customer(user.user_id, call_id.to_owned()).await
    }

    async fn cancel_consult(&self, user: &SessionInfo, call_id: &str) -> Result<AgentView, AppError> {
        self.routing.cancel_consult(user.user_id, call_id.to_owned()).await
    }

    async fn transfer_numbers(&self, user: &SessionInfo) -> Result<Vec<NumberEntry>, AppError> {
        let Some(service) = user.service_id else { return Ok(Vec::new()) };
        self.store.transfer_numbers(service).await.map_err(internal)
    }

    async fn add_transfer_number(
        &self,
        user: &SessionInfo,
        number: &str,
        label: &str,
    ) -> Result<NumberEntry, AppError> {
        let service = user.service_id.ok_or(AppError::NoPhonePermission)?;
        let number = numbers::normalize(number, self.region)
            .map_err(|_| AppError::invalid("number", app::domain::Problem::PhoneNumber))?;
        self.store
            .add_transfer_number(service, user.user_id, number.as_str(), label, crate::store::now_ms())
            .await
            .map_err(internal)
    }

    async fn ready_colleagues(&self, user: &SessionInfo) -> Result<Vec<ReadyColleague>, AppError> {
        self.routing.ready_colleagues(user.user_id).await
    }

    async fn caller_numbers(&self, user: &SessionInfo) -> Result<Vec<CallerNumber>, AppError> {
        self.store.caller_numbers_of(user.user_id).await.map_err(internal)
    }

    async fn dial(&self, user: &SessionInfo, to: &str, caller_number: &str) -> Result<Dialled, AppError> {
        let to = numbers::normalize(to, self.region)?;
        self.routing.dial(user.user_id, to, caller_number.to_owned()).await
    }

    async fn set_endpoint(&self, user: &SessionInfo, endpoint: Endpoint) -> Result<AgentView, AppError> {
        let view = self.view(user).await?;
        if view.call.is_some() {
            return Err(AppError::EndpointDuringCall);
        }
        if view.endpoint != endpoint {
            self.store.set_endpoint(user.user_id, endpoint).await.map_err(internal)?;
            self.routing.set_endpoint(user.user_id, endpoint).await;
            if endpoint != Endpoint::Browser {
                self.browser.close(user.user_id).await;
            }
        }
        self.view(user).await
    }

    async fn audio_offer(
        &self,
        user: &SessionInfo,
        connection: &str,
        restart: bool,
        sdp: &str,
    ) -> Result<String, AppError> {
        if self.view(user).await?.endpoint != Endpoint::Browser {
            return Err(AppError::Forbidden);
        }
        self.browser.offer(user.user_id, connection, restart, sdp).await.map_err(|e| match e {
            OfferError::Gone => AppError::AudioConnectionGone,
            OfferError::Elsewhere => AppError::AudioElsewhere,
            OfferError::Refused(e) => {
                tracing::info!(user = user.user_id, error = %e, "browser phone: offer refused");
                AppError::AudioRefused
            }
            OfferError::Unreached => AppError::AudioRefused,
        })
    }

    async fn audio_problem(&self, user: &SessionInfo, audio: BrowserAudio) -> Result<(), AppError> {
        // Only what the window alone can know; whether it is connected is ringdesk's to say.
        if !matches!(audio, BrowserAudio::NoPermission | BrowserAudio::NoDevice) {
            return Err(AppError::Forbidden);
        }
        self.view(user).await?;
        self.browser.problem(user.user_id, audio).await;
        Ok(())
    }
}
