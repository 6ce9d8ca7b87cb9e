//! Invitations into organisations (the staff's app): those addressed to the signed-in employer
//! or partner, and the one of a mailed link (`#token=…`), accepted or declined.

use leptos::prelude::*;
use leptos::task::spawn_local;
use shared::Role;

use super::account::link_token;
use crate::api::{ApiError, use_session};
use crate::gate::{RoleGate, list_state};
use crate::i18n::{format_date, use_i18n};

/// Invitations addressed to the signed-in employer or partner, and the one of a mailed link.
#[component]
pub fn Invitations() -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    let reload = RwSignal::new(0u32);
    let token = RwSignal::new(link_token());
    let joined = RwSignal::new(None::<String>);
    let problem = RwSignal::new(None::<&'static str>);
    let received = LocalResource::new(move || {
        reload.track();
        async move { session.invitations().await }
    });
    let after = move |result: Result<shared::dto::organizations::OrganizationView, ApiError>| {
        match result {
            Ok(org) => {
                token.set(None);
                joined.set(Some(org.name));
            }
            Err(error) => {
                let codes: Vec<String> = error.field_errors().into_iter().map(|e| e.code).collect();
                problem.set(Some(
                    if codes
                        .iter()
                        .any(|c| shared::codes::INVITATION_OTHER_ADDRESS == *c)
                    {
                        "invite.other_address"
                    } else if codes.iter().any(|c| shared::codes::TOKEN_INVALID == *c) {
                        "link.dead"
                    } else if codes
                        .iter()
                        .any(|c| shared::codes::INVITATION_WRONG_ROLE == *c)
                    {
                        "invite.wrong_role"
                    } else {
                        "err.generic"
                    },
                ));
            }
        }
        reload.update(|n| *n += 1);
    };
    let accept_link = move |_| {
        problem.set(None);
        if let Some(value) = token.get_untracked() {
            spawn_local(async move { after(session.accept_invitation_link(value).await) });
        }
    };
    let accept = move |id: i64| {
        problem.set(None);
        spawn_local(async move { after(session.accept_invitation(id).await) });
    };
    let failures = crate::forms::Failures::get();
    let decline = move |id: i64| {
        spawn_local(async move {
            failures.after(&session.decline_invitation(id).await);
            reload.update(|n| *n += 1);
        });
    };
    view! {
        <h1>{move || i18n.t("invite.title")}</h1>
        <RoleGate roles=Role::ALL refusal="auth.required">
            {move || problem.get().map(|key| view! { <p class="alert" role="alert">{i18n.t(key)}</p> })}
            {move || joined.get().map(|name| view! {
                <p class="success" role="status" id="joined">{i18n.t("invite.joined")} " " {name}</p>
            })}
            {move || token.get().map(|_| view! {
                <button type="button" id="accept-link" on:click=accept_link>{i18n.t("invite.accept")}</button>
            })}
            <h2>{move || i18n.t("invite.received")}</h2>
            {move || match list_state(received.get(), "invite.none", move || received.refetch()) {
                Err(state) => state,
                Ok(list) => view! {
                    <ul class="cards" id="received-invitations">
                        {list.into_iter().map(|invitation| {
                            let id = invitation.id;
                            view! {
                                <li>
                                    <strong>{invitation.organization_name.clone()}</strong>
                                    <p>{i18n.t(&format!("org.kind.{}", invitation.organization_kind))}
                                        " · " {i18n.t(&format!("member.{}", invitation.role.as_str()))}</p>
                                    <p>{invitation.invited_by.clone().unwrap_or_default()} " · " {i18n.t("invite.until")} " " {format_date(i18n.locale.get(), invitation.expires_at)}</p>
                                    <button type="button" on:click=move |_| accept(id)>{i18n.t("invite.accept")}</button>
                                    " "
                                    <button type="button" class="secondary" on:click=move |_| decline(id)>{i18n.t("invite.decline")}</button>
                                </li>
                            }
                        }).collect_view()}
                    </ul>
                }.into_any(),
            }}
        </RoleGate>
    }
}
