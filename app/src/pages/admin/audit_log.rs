//! 全体管理 → 監査ログ: every administrative change of the tenant, newest first, with
//! who made it and what changed.

use leptos::prelude::*;

use crate::api::list_audit_log;
use crate::i18n::{Key, t};
use crate::model::{AuditAction, FieldChange};
use crate::pages::frame::{AdminFrame, crumb, loading, refused};
use crate::time::format_datetime;

fn action_label(a: AuditAction) -> &'static str {
    t(match a {
        AuditAction::ContractUpdate => Key::AuditContractUpdate,
        AuditAction::CtiSettingsUpdate => Key::AuditCtiSettingsUpdate,
        AuditAction::OperatorCreate => Key::AuditOperatorCreate,
        AuditAction::OperatorUpdate => Key::AuditOperatorUpdate,
        AuditAction::CtiIdentityUpdate => Key::AuditCtiIdentityUpdate,
        AuditAction::SipPasswordSet => Key::AuditSipPasswordSet,
        AuditAction::HoldMusicUpload => Key::AuditHoldMusicUpload,
        AuditAction::SignInFailed => Key::AuditSignInFailed,
        AuditAction::PasswordChange => Key::AuditPasswordChange,
        AuditAction::CallerNumberAdd => Key::AuditCallerNumberAdd,
        AuditAction::CallerNumberRemove => Key::AuditCallerNumberRemove,
        AuditAction::AgentStatusSet => Key::AuditAgentStatusSet,
        AuditAction::BreakReasonAdd => Key::AuditBreakReasonAdd,
        AuditAction::BreakReasonRemove => Key::AuditBreakReasonRemove,
    })
}

fn change_line(c: FieldChange) -> impl IntoView {
    let shown = |v: Option<String>| v.unwrap_or_else(|| "—".into());
    view! {
        <li>
            <code>{c.field}</code>": "
            <span class="before">{shown(c.before)}</span>
            " → "
            <span class="after">{shown(c.after)}</span>
        </li>
    }
}

#[component]
pub fn AuditLogPage() -> impl IntoView {
    let entries = crate::api::load(|| (), |_| list_audit_log());
    view! {
        <AdminFrame title=Key::AuditLogTitle crumbs=vec![crumb(Key::AdminWhole, Some("/admin"))]>
            <Suspense fallback=loading>
                {move || entries.get().map(|r| match r {
                    Err(e) => refused(&e),
                    Ok(list) if list.is_empty() => view! { <p class="muted">{t(Key::NothingYet)}</p> }.into_any(),
                    Ok(list) => view! {
                        <table class="list audit">
                            <thead><tr>
                                <th scope="col">{t(Key::AuditAt)}</th>
                                <th scope="col">{t(Key::AuditActor)}</th>
                                <th scope="col">{t(Key::AuditAction)}</th>
                                <th scope="col">{t(Key::AuditSubject)}</th>
                                <th scope="col">{t(Key::AuditChanges)}</th>
                            </tr></thead>
                            <tbody>
                                {list.into_iter().map(|e| view! {
                                    <tr>
                                        <td class="when">{format_datetime(e.at_ms)}</td>
                                        <td>{e.actor}</td>
                                        <td>{action_label(e.action)}</td>
                                        <td>{e.subject}</td>
                                        <td><ul class="changes">{e.changes.into_iter().map(change_line).collect_view()}</ul></td>
                                    </tr>
                                }).collect_view()}
                            </tbody>
                        </table>
                    }.into_any(),
                })}
            </Suspense>
        </AdminFrame>
    }
}
