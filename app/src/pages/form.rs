//! What every administration form shares: the server's refusals shown beside the fields
//! they are about, and announced to screen readers with the field.

use leptos::prelude::*;

use crate::domain::FieldProblem;
use crate::error::AppError;
use crate::i18n::locale;

/// The refused fields of one form.
#[derive(Clone, Copy)]
pub struct Problems(RwSignal<Vec<FieldProblem>>);

impl Problems {
    pub fn new() -> Problems {
        Problems(RwSignal::new(Vec::new()))
    }

    /// Shows a refusal's field problems (none for a refusal of the whole form).
    pub fn show(&self, e: &AppError) {
        self.0.set(e.field_problems().to_vec());
    }

    pub fn clear(&self) {
        self.0.set(Vec::new());
    }

    /// Whether `field` is refused (reactive).
    pub fn bad(&self, field: &str) -> bool {
        self.0.with(|p| p.iter().any(|p| p.field == field))
    }

    fn message(&self, field: &str) -> Option<&'static str> {
        let loc = locale();
        self.0.with(|p| p.iter().find(|p| p.field == field).map(|p| p.problem.message(loc)))
    }
}

/// The id of the element that explains why `field` is refused; inputs name it in
/// `aria-describedby` so that the reason is read with the field.
pub fn error_id(scope: &str, field: &str) -> String {
    format!("err-{scope}-{field}")
}

/// The reason `field` is refused, beside it.
#[component]
pub fn FieldError(problems: Problems, #[prop(into)] scope: String, field: &'static str) -> impl IntoView {
    let id = error_id(&scope, field);
    move || problems.message(field).map(|m| view! { <span class="field-error" id=id.clone()>{m}</span> })
}

/// One form's round trip to the server: while it is pending, the fields it refused, and
/// how it ended (保存しました, or what the server said).
#[derive(Clone, Copy)]
pub struct Submission {
    pub problems: Problems,
    pub pending: RwSignal<bool>,
    outcome: RwSignal<Option<Result<(), &'static str>>>,
    locale: crate::i18n::Locale,
}

impl Submission {
    pub fn new() -> Submission {
        Submission {
            problems: Problems::new(),
            pending: RwSignal::new(false),
            outcome: RwSignal::new(None),
            locale: locale(),
        }
    }

    /// Sends `request`; on success clears the refusals, says so, and hands the answer to
    /// `then`; on refusal shows each field's problem and the reason.
    pub fn send<T: 'static>(
        self,
        request: impl std::future::Future<Output = Result<T, AppError>> + 'static,
        then: impl FnOnce(T) + 'static,
    ) {
        self.pending.set(true);
        leptos::task::spawn_local(async move {
            match request.await {
                Ok(v) => {
                    self.problems.clear();
                    self.outcome.set(Some(Ok(())));
                    then(v);
                }
                Err(e) => {
                    self.problems.show(&e);
                    self.outcome.set(Some(Err(e.message(self.locale))));
                }
            }
            self.pending.set(false);
        });
    }

    pub fn refused(&self) -> bool {
        self.outcome.with(|o| matches!(o, Some(Err(_))))
    }
}

/// How the last submission ended, announced politely.
#[component]
pub fn SubmissionStatus(
    of: Submission,
    /// What success says (保存しました unless told).
    #[prop(optional)]
    done: Option<crate::i18n::Key>,
) -> impl IntoView {
    let done = done.unwrap_or(crate::i18n::Key::Saved);
    view! {
        <span role="status" class=move || if of.refused() { "error" } else { "ok" }>
            {move || of.outcome.get().map(|o| o.map(|()| crate::i18n::t(done)).unwrap_or_else(|m| m))}
        </span>
    }
}

/// A labelled text input whose refusal is shown beside it and read with it.
#[component]
pub fn TextField(
    label: crate::i18n::Key,
    name: &'static str,
    value: RwSignal<String>,
    problems: Problems,
    /// Names the form, so that refusals of two forms on a page do not share ids.
    #[prop(into)]
    scope: String,
    #[prop(default = "text")] kind: &'static str,
    #[prop(default = "off")] autocomplete: &'static str,
    #[prop(optional)] inputmode: Option<&'static str>,
    #[prop(optional)] placeholder: Option<&'static str>,
    /// The form the input belongs to, when it stands outside it (a table row).
    #[prop(optional, into)]
    form: Option<String>,
    /// The label is for screen readers only (a table's column says it).
    #[prop(optional)]
    hidden_label: bool,
) -> impl IntoView {
    let described = error_id(&scope, name);
    view! {
        <label class:invalid=move || problems.bad(name)>
            <span class:visually-hidden=hidden_label>{crate::i18n::t(label)}</span>
            <input type=kind name=name autocomplete=autocomplete inputmode=inputmode placeholder=placeholder form=form
                aria-invalid=move || problems.bad(name).to_string()
                aria-describedby=described
                prop:value=move || value.get()
                on:input=move |ev| value.set(event_target_value(&ev)) />
            <FieldError problems scope field=name />
        </label>
    }
}
