use leptos::prelude::*;

use crate::domain::AgentAction;
use crate::error::AppError;
use crate::model::{AgentView, BrowserAudio, CallerNumber, Dialled, Endpoint, TicketId};

/// The agent's phone as it is now (the live stream sends the same view on changes).
#[server(endpoint = "phone/view", output = server_fn::codec::Postcard)]
pub async fn phone_view() -> Result<AgentView, AppError> {
    super::respond(
        async move {
            let user = super::session::require_phone_user()?;
            super::ports::backend()?.phone.view(&user).await
        }
        .await,
    )
}

/// CTIログイン, CTIログアウト, and the statuses the agent picks (業務, 待機, 休憩).
#[server(endpoint = "phone/act", input = server_fn::codec::Json, output = server_fn::codec::Postcard)]
pub async fn phone_act(action: AgentAction) -> Result<AgentView, AppError> {
    super::respond(
        async move {
            let user = super::session::require_phone_user()?;
            if !matches!(action, AgentAction::CtiLogin | AgentAction::CtiLogout | AgentAction::Choose(_)) {
                return Err(AppError::Forbidden);
            }
            super::ports::backend()?.phone.act(&user, action).await
        }
        .await,
    )
}

/// 応答: connect the offered call; answers the id of the ticket created for it.
#[server(endpoint = "phone/answer", output = server_fn::codec::Postcard)]
pub async fn answer_call(call_id: String) -> Result<TicketId, AppError> {
    super::respond(
        async move {
            let user = super::session::require_phone_user()?;
            super::ports::backend()?.phone.answer(&user, &call_id).await
        }
        .await,
    )
}

/// 終話: the agent ends the call.
#[server(endpoint = "phone/hangup", output = server_fn::codec::Postcard)]
pub async fn hang_up(call_id: String) -> Result<AgentView, AppError> {
    super::respond(
        async move {
            let user = super::session::require_phone_user()?;
            super::ports::backend()?.phone.hang_up(&user, &call_id).await
        }
        .await,
    )
}

/// The caller numbers the agent may show when dialling.
#[server(endpoint = "phone/caller-numbers", output = server_fn::codec::Postcard)]
pub async fn caller_numbers() -> Result<Vec<CallerNumber>, AppError> {
    super::respond(
        async move {
            let user = super::session::require_agent()?;
            super::ports::backend()?.phone.caller_numbers(&user).await
        }
        .await,
    )
}

/// 確認 in the dial dialog: call `to` (E.164 or a national number) showing
/// `caller_number`, which must be registered for the agent's service.
#[server(endpoint = "phone/dial", output = server_fn::codec::Postcard)]
pub async fn dial(to: String, caller_number: String) -> Result<Dialled, AppError> {
    super::respond(
        async move {
            let user = super::session::require_phone_user()?;
            super::ports::backend()?.phone.dial(&user, &to, &caller_number).await
        }
        .await,
    )
}

/// 保留: the customer hears the hold music (F15).
#[server(endpoint = "phone/hold", output = server_fn::codec::Postcard)]
pub async fn hold_call(call_id: String) -> Result<AgentView, AppError> {
    super::respond(
        async move {
            let user = super::session::require_phone_user()?;
            super::ports::backend()?.phone.hold(&user, &call_id, true).await
        }
        .await,
    )
}

/// 解除: agent and customer talk again.
#[server(endpoint = "phone/release", output = server_fn::codec::Postcard)]
pub async fn release_call(call_id: String) -> Result<AgentView, AppError> {
    super::respond(
        async move {
            let user = super::session::require_phone_user()?;
            super::ports::backend()?.phone.hold(&user, &call_id, false).await
        }
        .await,
    )
}

/// The default guidance of 強制終了 (CTI設定), which the popup starts from.
#[server(endpoint = "phone/force-end-message", output = server_fn::codec::Postcard)]
pub async fn force_end_message() -> Result<String, AppError> {
    super::respond(
        async move {
            let user = super::session::require_agent()?;
            super::ports::backend()?.phone.force_end_message(&user).await
        }
        .await,
    )
}

/// 強制終了 → 確認: plays `message` to the customer, then ends the call; the ticket
/// records both (F14).
#[server(endpoint = "phone/force-end", input = server_fn::codec::Json, output = server_fn::codec::Postcard)]
pub async fn force_end(call_id: String, message: String) -> Result<AgentView, AppError> {
    super::respond(
        async move {
            let user = super::session::require_phone_user()?;
            let message = message.trim();
            if message.is_empty() || message.chars().count() > 500 {
                return Err(AppError::invalid("message", crate::domain::Problem::ForceEndMessage));
            }
            super::ports::backend()?.phone.force_end(&user, &call_id, message).await
        }
        .await,
    )
}

/// 協議通話 (a number typed in) or 接続 (a favourite number, a ready colleague): the
/// customer waits on hold while the agent talks to the target (F12, F13).
#[server(endpoint = "phone/consult", input = server_fn::codec::Json, output = server_fn::codec::Postcard)]
pub async fn consult(call_id: String, target: crate::model::ConsultTarget) -> Result<AgentView, AppError> {
    super::respond(
        async move {
            let user = super::session::require_phone_user()?;
            super::ports::backend()?.phone.consult(&user, &call_id, target).await
        }
        .await,
    )
}

/// 顧客接続: joins the customer to the consult target; the agent's call ends (F13).
#[server(endpoint = "phone/connect-customer", output = server_fn::codec::Postcard)]
pub async fn connect_customer(call_id: String) -> Result<AgentView, AppError> {
    super::respond(
        async move {
            let user = super::session::require_phone_user()?;
            super::ports::backend()?.phone.connect_customer(&user, &call_id).await
        }
        .await,
    )
}

/// キャンセル: ends the consult call; the customer stays on hold until 解除.
#[server(endpoint = "phone/cancel-consult", output = server_fn::codec::Postcard)]
pub async fn cancel_consult(call_id: String) -> Result<AgentView, AppError> {
    super::respond(
        async move {
            let user = super::session::require_phone_user()?;
            super::ports::backend()?.phone.cancel_consult(&user, &call_id).await
        }
        .await,
    )
}

/// 待機中のオペレーター: the agent's colleagues who are 待機 now.
#[server(endpoint = "phone/ready-colleagues", output = server_fn::codec::Postcard)]
pub async fn ready_colleagues() -> Result<Vec<crate::model::ReadyColleague>, AppError> {
    super::respond(
        async move {
            let user = super::session::require_phone_user()?;
            super::ports::backend()?.phone.ready_colleagues(&user).await
        }
        .await,
    )
}

/// よく使われる転換番号: the service's frequently used transfer numbers.
#[server(endpoint = "phone/transfer-numbers", output = server_fn::codec::Postcard)]
pub async fn transfer_numbers() -> Result<Vec<crate::model::NumberEntry>, AppError> {
    super::respond(
        async move {
            let user = super::session::require_agent()?;
            super::ports::backend()?.phone.transfer_numbers(&user).await
        }
        .await,
    )
}

/// 追加: a number (kept in E.164) and its label, shared by the service's agents.
#[server(endpoint = "phone/transfer-numbers/add", input = server_fn::codec::Json, output = server_fn::codec::Postcard)]
pub async fn add_transfer_number(number: String, label: String) -> Result<crate::model::NumberEntry, AppError> {
    super::respond(
        async move {
            let user = super::session::require_agent()?;
            if let Some(p) = crate::domain::validation::text(&label, 40) {
                return Err(AppError::invalid("label", p));
            }
            super::ports::backend()?.phone.add_transfer_number(&user, &number, label.trim()).await
        }
        .await,
    )
}

/// Where the agent talks from now on: ブラウザ or SIP電話 (kept with the user).
#[server(endpoint = "phone/endpoint", input = server_fn::codec::Json, output = server_fn::codec::Postcard)]
pub async fn set_endpoint(endpoint: Endpoint) -> Result<AgentView, AppError> {
    super::respond(
        async move {
            let user = super::session::require_phone_user()?;
            super::ports::backend()?.phone.set_endpoint(&user, endpoint).await
        }
        .await,
    )
}

/// The phone window's WebRTC offer for its connection `connection`; answers ringdesk's
/// SDP. `restart`: a new offer on a connection the window already had (ICE restart).
#[server(endpoint = "phone/audio/offer", input = server_fn::codec::Json, output = server_fn::codec::Postcard)]
pub async fn audio_offer(connection: String, restart: bool, sdp: String) -> Result<String, AppError> {
    super::respond(
        async move {
            let user = super::session::require_phone_user()?;
            super::ports::backend()?.phone.audio_offer(&user, &connection, restart, &sdp).await
        }
        .await,
    )
}

/// The phone window cannot connect its audio, and says why (no microphone, or the
/// browser was not allowed one).
#[server(endpoint = "phone/audio/problem", input = server_fn::codec::Json, output = server_fn::codec::Postcard)]
pub async fn audio_problem(audio: BrowserAudio) -> Result<(), AppError> {
    super::respond(
        async move {
            let user = super::session::require_phone_user()?;
            super::ports::backend()?.phone.audio_problem(&user, audio).await
        }
        .await,
    )
}
