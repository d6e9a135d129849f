//! The simulator's HTTP API, mounted at `/sim` only when the simulator is on.

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use serde::{Deserialize, Serialize};

use super::{Behaviour, LineEvent, LineState, Party, SimCall, Simulator};
use crate::routing::state::IncomingError;
use crate::store::now_ms;

/// The API, behind its guard (`guard.rs`): this host, or `RINGDESK_SIM_TOKEN`.
pub fn router(sim: Simulator, token: Option<String>) -> Router {
    let token: Option<std::sync::Arc<str>> = token.map(Into::into);
    Router::new()
        .route("/sim/calls", post(place_call))
        .route("/sim/calls/{id}", get(call_state))
        .route("/sim/calls/{id}/hangup", post(hang_up))
        .route("/sim/calls/{id}/heard.wav", get(heard_wav))
        .route("/sim/numbers/{number}", get(number_behaviour).put(set_number_behaviour))
        .route("/sim/clock", get(clock).post(advance_clock))
        .route_layer(axum::middleware::from_fn_with_state(token, super::guard::guard))
        .with_state(sim)
}

#[derive(Serialize)]
struct Clock {
    now_ms: i64,
}

async fn clock() -> Json<Clock> {
    Json(Clock { now_ms: now_ms() })
}

#[derive(Deserialize)]
struct Advance {
    /// How far to move the clock forward.
    advance_ms: i64,
}

/// Moves the server's clock forward (`clock.rs`): a demo's or a test's customer waits
/// forty seconds at once.
async fn advance_clock(body: Result<Json<Advance>, axum::extract::rejection::JsonRejection>) -> Response {
    match body {
        Ok(Json(Advance { advance_ms })) if advance_ms >= 0 => {
            Json(Clock { now_ms: crate::clock::advance(advance_ms) }).into_response()
        }
        Ok(_) => error(StatusCode::UNPROCESSABLE_ENTITY, "negative", "the clock only moves forward"),
        Err(e) => error(StatusCode::BAD_REQUEST, "malformed", e.body_text()),
    }
}

#[derive(Deserialize)]
struct PlaceCall {
    /// The customer's number, E.164.
    from: String,
    /// The number dialled: a service's number, E.164 or national.
    to: String,
    /// What the customer says once an agent talks to them in the browser.
    #[serde(default)]
    says: super::voice::Says,
}

#[derive(Serialize)]
struct Placed {
    call_id: String,
}

#[derive(Serialize)]
struct ApiError {
    error: &'static str,
    message: String,
    /// The call the refusal is about, kept in the simulator's record as ended.
    #[serde(skip_serializing_if = "Option::is_none")]
    call_id: Option<String>,
}

fn error(status: StatusCode, code: &'static str, message: impl ToString) -> Response {
    (status, Json(ApiError { error: code, message: message.to_string(), call_id: None })).into_response()
}

async fn place_call(
    State(sim): State<Simulator>,
    body: Result<Json<PlaceCall>, axum::extract::rejection::JsonRejection>,
) -> Response {
    let body = match body {
        Ok(Json(body)) => body,
        Err(e) => {
            let why = format!("expected JSON {{\"from\": \"+81...\", \"to\": \"+81...\"}}: {}", e.body_text());
            return error(StatusCode::BAD_REQUEST, "bad_request", why);
        }
    };
    let normalize = |n: &str| crate::numbers::normalize(n, crate::numbers::DEFAULT_REGION);
    let from = match normalize(&body.from) {
        Ok(n) => n,
        Err(e) => return error(StatusCode::UNPROCESSABLE_ENTITY, "invalid_number", format!("from: {e}")),
    };
    let to = match normalize(&body.to) {
        Ok(n) => n,
        Err(e) => return error(StatusCode::UNPROCESSABLE_ENTITY, "invalid_number", format!("to: {e}")),
    };
    let call_id = format!("sim-{}", uuid::Uuid::new_v4());
    let now = now_ms();
    // The line exists (and is kept) before routing hears of it, so that an agent who
    // answers at once finds it ringing.
    let line = SimCall {
        call_id: call_id.clone(),
        direction: app::model::CallDirection::Inbound,
        from: from.to_string(),
        to: Some(to.to_string()),
        state: LineState::Ringing,
        created_at_ms: now,
        answered_at_ms: None,
        ended_at_ms: None,
        ended_by: None,
        hold_music: None,
        events: vec![LineEvent { at_ms: now, kind: "dialled".into(), detail: None }],
        heard: None,
    };
    sim.voices.will_say(&call_id, body.says);
    if let Err(e) = sim.add(line).await {
        return error(StatusCode::SERVICE_UNAVAILABLE, "unavailable", e);
    }
    let result = sim.routing.incoming(call_id.clone(), from.to_string(), to.to_string()).await;
    let (status, code, message) = match result {
        Some(Ok(queued)) => {
            // 待ち呼: the simulated caller is answered at once and hears the hold music.
            if let Some(music) = queued.music_while_waiting.map(app::domain::HoldMusic::name) {
                let _ = sim
                    .change(
                        &call_id,
                        |c| {
                            c.record_with("hold_music_started", Some(music.to_owned()));
                            c.hold_music = Some(music.to_owned());
                            Ok::<(), ()>(())
                        },
                        || (),
                    )
                    .await;
            }
            return (StatusCode::CREATED, Json(Placed { call_id })).into_response();
        }
        Some(Err(e @ IncomingError::UnknownNumber(_))) => (StatusCode::NOT_FOUND, "unknown_number", e.to_string()),
        Some(Err(e @ IncomingError::InboundDisabled)) => (StatusCode::FORBIDDEN, "inbound_disabled", e.to_string()),
        Some(Err(e)) => (StatusCode::SERVICE_UNAVAILABLE, "unavailable", e.to_string()),
        None => (StatusCode::SERVICE_UNAVAILABLE, "unavailable", "routing is not running".to_owned()),
    };
    let kind = if code == "unknown_number" { "unknown_number" } else { "rejected" };
    let _ = sim
        .change(
            &call_id,
            |c| {
                c.end(Party::System, kind);
                Ok::<(), ()>(())
            },
            || (),
        )
        .await;
    (status, Json(ApiError { error: code, message, call_id: Some(call_id) })).into_response()
}

async fn call_state(State(sim): State<Simulator>, Path(id): Path<String>) -> Response {
    match sim.call(&id).await {
        Some(c) => Json(c).into_response(),
        None => error(StatusCode::NOT_FOUND, "unknown_call", format!("no call {id}")),
    }
}

/// The last seconds the customer heard, as a WAV (8 kHz mono), while the call is up.
async fn heard_wav(State(sim): State<Simulator>, Path(id): Path<String>) -> Response {
    let Some(samples) = sim.recording(&id) else {
        return error(StatusCode::NOT_FOUND, "unknown_call", format!("no call {id} talking in the browser"));
    };
    let spec =
        hound::WavSpec { channels: 1, sample_rate: 8000, bits_per_sample: 16, sample_format: hound::SampleFormat::Int };
    let mut wav = std::io::Cursor::new(Vec::new());
    let written = hound::WavWriter::new(&mut wav, spec).and_then(|mut w| {
        samples.iter().try_for_each(|s| w.write_sample(*s))?;
        w.finalize()
    });
    match written {
        Ok(()) => ([(axum::http::header::CONTENT_TYPE, "audio/wav")], wav.into_inner()).into_response(),
        Err(e) => error(StatusCode::INTERNAL_SERVER_ERROR, "unavailable", e),
    }
}

// The refusal is the answer itself, made once and sent at once: not worth a box.
#[allow(clippy::result_large_err)]
async fn hang_up(State(sim): State<Simulator>, Path(id): Path<String>) -> Response {
    let ended = sim
        .change(
            &id,
            |c| {
                if c.state == LineState::Ended {
                    return Err(error(
                        StatusCode::CONFLICT,
                        "already_ended",
                        format!("the call {id} has ended already"),
                    ));
                }
                c.end(Party::Customer, "customer_hung_up");
                Ok(())
            },
            || error(StatusCode::NOT_FOUND, "unknown_call", format!("no call {id}")),
        )
        .await;
    if let Err(response) = ended {
        // An ended call has left the simulator's memory; the store still knows it.
        if response.status() == StatusCode::NOT_FOUND
            && sim.call(&id).await.is_some_and(|c| c.state == LineState::Ended)
        {
            return error(StatusCode::CONFLICT, "already_ended", format!("the call {id} has ended already"));
        }
        return response;
    }
    sim.routing.customer_hangup(id.clone()).await;
    match sim.call(&id).await {
        Some(c) => Json(c).into_response(),
        None => error(StatusCode::NOT_FOUND, "unknown_call", format!("no call {id}")),
    }
}

async fn number_behaviour(State(sim): State<Simulator>, Path(number): Path<String>) -> Response {
    match crate::numbers::normalize(&number, crate::numbers::DEFAULT_REGION) {
        Ok(n) => Json(sim.behaviour(n.as_str())).into_response(),
        Err(e) => error(StatusCode::UNPROCESSABLE_ENTITY, "invalid_number", e),
    }
}

/// How the customer at `number` behaves when ringdesk calls them.
async fn set_number_behaviour(
    State(sim): State<Simulator>,
    Path(number): Path<String>,
    body: Option<Json<Behaviour>>,
) -> Response {
    let Some(Json(behaviour)) = body else {
        return error(
            StatusCode::BAD_REQUEST,
            "bad_request",
            "expected {\"behaviour\": \"answer\"|\"no_answer\"|\"busy\"|\"reject\", \"after_ms\": …}",
        );
    };
    match crate::numbers::normalize(&number, crate::numbers::DEFAULT_REGION) {
        Ok(n) => {
            sim.set_behaviour(n.to_string(), behaviour);
            Json(behaviour).into_response()
        }
        Err(e) => error(StatusCode::UNPROCESSABLE_ENTITY, "invalid_number", e),
    }
}
