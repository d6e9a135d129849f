//! テナント管理: the platform admin sets each tenant's contract features (F1). A change
//! applies to routing at once: without IB no call reaches the tenant's agents, without
//! OB nobody dials.

use leptos::prelude::*;

use super::form::{Submission, SubmissionStatus};
use super::frame::{AdminFrame, loading, refused};
use crate::api::{Carried, list_contracts, save_contract};
use crate::i18n::{Key, t};
use crate::model::Contract;
use crate::started::UntilStarted;

#[component]
pub fn ContractsPage() -> impl IntoView {
    let contracts = crate::api::load(|| (), |_| list_contracts());
    view! {
        <AdminFrame title=Key::PlatformAdmin crumbs=Vec::new()>
            <Suspense fallback=loading>
                {move || contracts.get().map(|r| match r {
                    Err(e) => refused(&e),
                    Ok(list) => view! { <ContractTable list=Carried(list) /> }.into_any(),
                })}
            </Suspense>
        </AdminFrame>
    }
}

/// The tenants' rows, each its own small form: one island (an island cannot stand
/// between a table's rows).
#[island(lazy)]
fn ContractTable(list: Carried<Vec<Contract>>) -> impl IntoView {
    crate::started::island();
    let Carried(list) = list;
    view! {
        <UntilStarted><table class="list">
            <thead><tr>
                <th scope="col">{t(Key::Tenant)}</th>
                <th scope="col">{t(Key::FeatureInbound)}</th>
                <th scope="col">{t(Key::FeatureOutbound)}</th>
                <th scope="col"><span class="visually-hidden">{t(Key::Save)}</span></th>
            </tr></thead>
            <tbody>{list.into_iter().map(|c| view! { <ContractRow c /> }).collect_view()}</tbody>
        </table></UntilStarted>
    }
}

#[component]
fn ContractRow(c: Contract) -> impl IntoView {
    let tenant_id = c.tenant_id;
    let inbound = RwSignal::new(c.inbound);
    let outbound = RwSignal::new(c.outbound);
    let submission = Submission::new();
    let form_id = format!("contract-{tenant_id}");
    let save = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        submission.send(save_contract(tenant_id, inbound.get_untracked(), outbound.get_untracked()), |_| ());
    };
    let feature_form = form_id.clone();
    let feature = move |signal: RwSignal<bool>, key: Key, name: &'static str| {
        view! {
            <td>
                <label class="choice">
                    <input type="checkbox" name=name form=feature_form.clone() prop:checked=move || signal.get()
                        on:change=move |ev| signal.set(event_target_checked(&ev)) />
                    <span class="visually-hidden">{t(key)}</span>
                </label>
            </td>
        }
    };
    view! {
        <tr>
            <th scope="row">{c.tenant_name.clone()}</th>
            {feature(inbound, Key::FeatureInbound, "inbound")}
            {feature(outbound, Key::FeatureOutbound, "outbound")}
            <td class="row-actions">
                <form id=form_id.clone() on:submit=save>
                    <button type="submit" disabled=move || submission.pending.get()>{t(Key::Save)}</button>
                </form>
                <SubmissionStatus of=submission />
            </td>
        </tr>
    }
}
