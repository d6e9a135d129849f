//! 全体管理: the tenant admin's pages.

mod audit_log;
mod break_reasons;
mod contract;
mod cti_operators;
mod cti_settings;
mod hold_music;

pub use audit_log::AuditLogPage;
pub use break_reasons::BreakReasonsPage;
pub use contract::ContractPage;
pub use cti_operators::CtiOperatorsPage;
pub use cti_settings::CtiSettingsPage;

use leptos::prelude::*;

use super::frame::AdminFrame;
use crate::i18n::{Key, t};

/// 全体管理: the menu of the tenant's administration.
#[component]
pub fn AdminHome() -> impl IntoView {
    view! {
        <AdminFrame title=Key::AdminWhole crumbs=Vec::new()>
            <div class="menu-grid">
                <section class="card menu">
                    <h2>{t(Key::Contract)}</h2>
                    <a href="/admin/contract">{t(Key::Contract)}</a>
                </section>
                <section class="card menu">
                    <h2>{t(Key::AdminCti)}</h2>
                    <a href="/admin/cti/settings">{t(Key::CtiSettingsTitle)}</a>
                    <a href="/admin/cti/operators">{t(Key::CtiOperatorsTitle)}</a>
                    <a href="/admin/cti/break-reasons">{t(Key::BreakReasonsTitle)}</a>
                </section>
                <section class="card menu">
                    <h2>{t(Key::AuditLogTitle)}</h2>
                    <a href="/admin/audit">{t(Key::AuditLogTitle)}</a>
                </section>
            </div>
        </AdminFrame>
    }
}
