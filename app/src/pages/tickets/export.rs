//! The call log's CSV export, for those who administer a service: a plain GET form, so
//! the browser downloads the streamed file itself. The dates are checked here first
//! (the same rule the server applies) so that a mistake is shown beside its field.

use leptos::prelude::*;

use crate::domain::date_range::parse_closed;
use crate::i18n::{Key, t};
use crate::pages::form::{FieldError, Problems, error_id};
use crate::started::UntilStarted;

const FROM: &str = "from";
const TO: &str = "to";

#[island(lazy)]
pub fn ExportCalls() -> impl IntoView {
    crate::started::island();
    let problems = Problems::new();
    let from = RwSignal::new(String::new());
    let to = RwSignal::new(String::new());
    let check = move |ev: leptos::ev::SubmitEvent| {
        if let Err(p) = parse_closed(&from.get_untracked(), &to.get_untracked(), (FROM, TO)) {
            ev.prevent_default();
            problems.show(&crate::error::AppError::Invalid(p));
        } else {
            problems.clear();
        }
    };
    let date = move |name: &'static str, label: Key, value: RwSignal<String>| {
        view! {
            <label class:invalid=move || problems.bad(name)>
                <span>{t(label)}</span>
                <input type="date" name=name required
                    aria-invalid=move || problems.bad(name).to_string()
                    aria-describedby=error_id("export", name)
                    prop:value=move || value.get()
                    on:input=move |ev| value.set(event_target_value(&ev)) />
                <FieldError problems scope="export" field=name />
            </label>
        }
    };
    view! {
        <UntilStarted><section class="card export" aria-labelledby="export-title">
            <h2 id="export-title">{t(Key::ExportCalls)}</h2>
            <form method="get" action="/export/calls.csv" class="inline-form" novalidate on:submit=check>
                {date(FROM, Key::DateFrom, from)}
                {date(TO, Key::DateTo, to)}
                <button type="submit">{t(Key::Export)}</button>
            </form>
        </section></UntilStarted>
    }
}
