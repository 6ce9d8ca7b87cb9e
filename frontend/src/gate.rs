//! What a page shows around its content: who may see it, and the loading, error and empty
//! states of a list. One place, so every page says the same things the same way.

use leptos::prelude::*;
use leptos_router::components::A;
use shared::Role;

use crate::api::{ApiError, use_session};
use crate::i18n::use_i18n;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Access {
    /// The first silent refresh has not answered yet.
    Loading,
    SignedOut,
    Refused,
    Allowed,
}

/// Shows `children` to signed-in users with one of `roles`; otherwise a loading line, an
/// invitation to log in, or `refusal` (a catalogue key).
///
/// Only a change of access re-renders: saving a profile or switching the language does not
/// rebuild the forms inside (and lose what they were showing).
#[component]
pub fn RoleGate(
    roles: &'static [Role],
    refusal: &'static str,
    children: ChildrenFn,
) -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    let access = Memo::new(move |_| {
        if !session.ready.get() {
            return Access::Loading;
        }
        session.user.with(|user| match user {
            None => Access::SignedOut,
            Some(u) if roles.contains(&u.role) => Access::Allowed,
            Some(_) => Access::Refused,
        })
    });
    move || match access.get() {
        Access::Loading => loading().into_any(),
        Access::SignedOut => view! {
            <p>{move || i18n.t("auth.required")}</p>
            <p><A href="/login">{move || i18n.t("nav.login")}</A></p>
        }
        .into_any(),
        Access::Refused => {
            view! { <p class="alert" role="alert">{move || i18n.t(refusal)}</p> }.into_any()
        }
        Access::Allowed => children().into_any(),
    }
}

/// The line shown while something loads.
pub fn loading() -> impl IntoView {
    let i18n = use_i18n();
    view! { <p class="loading" role="status">{move || i18n.t("state.loading")}</p> }
}

/// Loading, error and empty states around a list: `Ok(items)` when there is something to show.
pub fn list_state<T>(
    result: Option<Result<Vec<T>, ApiError>>,
    empty_key: &'static str,
) -> Result<Vec<T>, AnyView> {
    let i18n = use_i18n();
    match result {
        None => Err(loading().into_any()),
        Some(Err(_)) => {
            Err(view! { <p class="alert" role="alert">{i18n.t("state.error")}</p> }.into_any())
        }
        Some(Ok(items)) if items.is_empty() => Err(view! { <p>{i18n.t(empty_key)}</p> }.into_any()),
        Some(Ok(items)) => Ok(items),
    }
}
