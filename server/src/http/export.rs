//! `GET /export/calls.csv?from=YYYY-MM-DD&to=YYYY-MM-DD`: the call log of the caller's
//! service (or, for a tenant admin, tenant) as a streamed CSV download.

use app::domain::date_range::parse_closed;
use app::domain::{may_export_calls, ticket_scope};
use app::error::AppError;
use app::model::SessionInfo;
use axum::Extension;
use axum::body::Body;
use axum::extract::{Query, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde::Deserialize;

use crate::store::Store;
use crate::store::export::call_log_csv;

/// The export form's field names.
pub const FROM: &str = "from";
pub const TO: &str = "to";

#[derive(Deserialize)]
pub struct Range {
    #[serde(default)]
    from: String,
    #[serde(default)]
    to: String,
}

pub async fn calls_csv(
    State(store): State<Store>,
    Extension(user): Extension<SessionInfo>,
    Query(range): Query<Range>,
) -> Response {
    let scope = match ticket_scope(&user) {
        Some(scope) if may_export_calls(&user) => scope,
        _ => return refuse(&user, AppError::Forbidden, String::new()),
    };
    let (from_ms, before_ms) = match parse_closed(&range.from, &range.to, (FROM, TO)) {
        Ok(r) => r,
        Err(problems) => {
            let detail = problems
                .iter()
                .map(|p| format!("{}: {}", p.field, p.problem.message(user.locale)))
                .collect::<Vec<_>>()
                .join("\n");
            return refuse(&user, AppError::Invalid(problems), detail);
        }
    };
    let filename = format!("calls_{}_{}.csv", range.from.trim(), range.to.trim());
    let body = Body::from_stream(call_log_csv(store, scope, from_ms, before_ms, user.locale));
    (
        [
            (header::CONTENT_TYPE, "text/csv; charset=utf-8".to_owned()),
            (header::CONTENT_DISPOSITION, format!("attachment; filename=\"{filename}\"")),
            (header::CACHE_CONTROL, "no-store".to_owned()),
        ],
        body,
    )
        .into_response()
}

/// A refusal a person reads (the download was asked for by a link or form).
pub(super) fn refuse(user: &SessionInfo, e: AppError, detail: String) -> Response {
    let status = StatusCode::from_u16(e.http_status()).unwrap_or(StatusCode::BAD_REQUEST);
    let text = if detail.is_empty() {
        e.message(user.locale).to_owned()
    } else {
        format!("{}\n{detail}", e.message(user.locale))
    };
    (status, [(header::CONTENT_TYPE, "text/plain; charset=utf-8")], text).into_response()
}
