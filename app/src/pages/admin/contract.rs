//! 全体管理 → 契約: the tenant's contract features (F1), as the platform set them.

use leptos::prelude::*;

use crate::api::get_contract;
use crate::i18n::{Key, t};
use crate::pages::frame::{AdminFrame, crumb, loading, refused};

#[component]
pub fn ContractPage() -> impl IntoView {
    let contract = crate::api::load(|| (), |_| get_contract());
    view! {
        <AdminFrame title=Key::Contract crumbs=vec![crumb(Key::AdminWhole, Some("/admin"))]>
            <Suspense fallback=loading>
                {move || contract.get().map(|r| match r {
                    Err(e) => refused(&e),
                    Ok(c) => view! {
                        <section class="card settings">
                            <h2>{c.tenant_name}</h2>
                            <ul class="features">
                                <li>
                                    <label class="choice">
                                        <input type="checkbox" disabled checked=c.inbound />
                                        {t(Key::FeatureInbound)}
                                    </label>
                                </li>
                                <li>
                                    <label class="choice">
                                        <input type="checkbox" disabled checked=c.outbound />
                                        {t(Key::FeatureOutbound)}
                                    </label>
                                </li>
                            </ul>
                            <p class="muted">{t(Key::ContractReadOnly)}</p>
                        </section>
                    }.into_any(),
                })}
            </Suspense>
        </AdminFrame>
    }
}
