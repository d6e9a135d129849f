//! レポート: a range of days by interval, for the services the caller supervises (a
//! tenant admin's every service, a service admin's own). The form is read here; the
//! server checks the service is the caller's.

use leptos::prelude::*;

use crate::domain::report::ReportForm;
use crate::error::AppError;
use crate::model::{Report, ReportService};

/// The report the form asks for (today by the hour when it asks for no dates).
#[server(endpoint = "reports", input = server_fn::codec::Json, output = server_fn::codec::Postcard)]
pub async fn get_report(form: ReportForm) -> Result<Report, AppError> {
    super::respond(
        async move {
            let user = super::session::require_user()?;
            super::ports::backend()?.reports.report(&user, form).await
        }
        .await,
    )
}

/// The services a report may be asked for.
#[server(endpoint = "reports/services", output = server_fn::codec::Postcard)]
pub async fn report_services() -> Result<Vec<ReportService>, AppError> {
    super::respond(
        async move { super::ports::backend()?.reports.services(&super::session::require_user()?).await }.await,
    )
}
