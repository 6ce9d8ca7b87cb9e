//! An employer's or partner's own organisations, and their API keys.

use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::components::A;
use leptos_router::hooks::use_params_map;
use shared::dto::organizations::{
    CreateApiKeyRequest, CreateInvitationRequest, CreateOrganizationRequest,
};
use shared::{ApiScope, MembershipRole, OrganizationKind, Role};

use crate::api::use_session;
use crate::forms::{Field, FormAlert, FormErrors};
use crate::gate::{RoleGate, Wide, failed, list_state, loading};
use crate::i18n::{format_date, use_i18n};

#[component]
pub fn Organizations() -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    let reload = RwSignal::new(0u32);
    let mine = LocalResource::new(move || {
        reload.track();
        async move { session.organizations("limit=100").await }
    });
    let name = RwSignal::new(String::new());
    let city = RwSignal::new(String::new());
    let kind = RwSignal::new(OrganizationKind::RecruitmentAgency);
    let errors = FormErrors::new();
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        errors.clear();
        let request = CreateOrganizationRequest {
            name: name.get_untracked(),
            kind: kind.get_untracked(),
            city: Some(city.get_untracked()),
            region_code: None,
            website: None,
            description: None,
        };
        spawn_local(async move {
            match session.create_organization(&request).await {
                Ok(_) => {
                    name.set(String::new());
                    city.set(String::new());
                    reload.update(|n| *n += 1);
                }
                Err(error) => errors.show(&error),
            }
        });
    };
    view! {
        <RoleGate roles=&[Role::Employer, Role::Partner, Role::Admin] refusal="org.only">
            <h1>{move || i18n.t("org.title")}</h1>
            <p><A href="/invitations">{move || i18n.t("invite.received")}</A></p>
            {move || match list_state(mine.get().map(|r| r.map(|p| p.items)), "org.empty", move || mine.refetch()) {
                Err(state) => state,
                Ok(orgs) => view! {
                    <ul class="cards">
                        {orgs.into_iter().map(|org| {
                            let href = format!("/organizations/{}", org.id);
                            let verified = org.verified_at.is_some();
                            view! {
                                <li class="card">
                                    <h2><A href=href>{org.name.clone()}</A></h2>
                                    <p class="badge">{i18n.t(if verified { "org.verified" } else { "org.unverified" })}</p>
                                </li>
                            }
                        }).collect_view()}
                    </ul>
                }.into_any(),
            }}
            <h2>{move || i18n.t("org.create")}</h2>
            <form on:submit=submit novalidate id="organization-form">
                <FormAlert errors=errors/>
                <Field name="name" label="org.name" value=name errors=errors required=true/>
                <div class="field">
                    <label for="kind">{move || i18n.t("org.kind")}</label>
                    <select id="kind" on:change=move |ev| {
                        if let Ok(k) = OrganizationKind::parse(&event_target_value(&ev)) { kind.set(k); }
                    }>
                        {OrganizationKind::ALL.iter().map(|k| {
                            let k = *k;
                            let key = format!("org.kind.{}", k.as_str());
                            view! { <option value=k.as_str() selected=move || kind.get() == k>{move || i18n.t(&key)}</option> }
                        }).collect_view()}
                    </select>
                </div>
                <Field name="city" label="form.city" value=city errors=errors/>
                <button type="submit">{move || i18n.t("org.create")}</button>
            </form>
        </RoleGate>
    }
}

#[component]
pub fn OrganizationPage() -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    let params = use_params_map();
    let id = move || {
        params
            .read()
            .get("id")
            .and_then(|v| v.parse::<i64>().ok())
            .unwrap_or_default()
    };
    let reload = RwSignal::new(0u32);
    let organization = LocalResource::new(move || {
        let id = id();
        async move { session.organization(id).await }
    });
    let keys = LocalResource::new(move || {
        reload.track();
        let id = id();
        async move { session.api_keys(id).await }
    });
    let key_name = RwSignal::new(String::new());
    let scopes = RwSignal::new(vec![ApiScope::OrganizationRead]);
    let secret = RwSignal::new(None::<String>);
    let errors = FormErrors::new();
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        errors.clear();
        secret.set(None);
        let request = CreateApiKeyRequest {
            name: key_name.get_untracked(),
            scopes: scopes.get_untracked(),
            expires_at: None,
        };
        let id = id();
        spawn_local(async move {
            match session.create_api_key(id, &request).await {
                Ok(created) => {
                    secret.set(Some(created.secret));
                    key_name.set(String::new());
                    reload.update(|n| *n += 1);
                }
                Err(error) => errors.show(&error),
            }
        });
    };
    let failures = crate::forms::Failures::get();
    let revoke = move |key: i64| {
        let id = id();
        spawn_local(async move {
            failures.after(&session.revoke_api_key(id, key).await);
            reload.update(|n| *n += 1);
        });
    };
    view! {
        <RoleGate roles=&[Role::Employer, Role::Partner, Role::Admin] refusal="org.only">
            {move || match organization.get() {
                None => loading().into_any(),
                Some(Err(error)) if error.is_not_found() => view! { <h1>{i18n.t("notfound.title")}</h1> }.into_any(),
                Some(Err(error)) => failed(&error, "notfound.title", move || organization.refetch()),
                Some(Ok(org)) => {
                    let verified = org.verified_at.is_some();
                    view! {
                        <h1>{org.name.clone()}</h1>
                        <p class="badge">{i18n.t(if verified { "org.verified" } else { "org.unverified" })}</p>
                        {(!verified).then(|| view! { <p>{i18n.t("org.await_verification")}</p> })}
                        <p><A href=format!("/organizations/{}/offers", org.id) attr:id="org-offers-link">{i18n.t("orgoffers.title")}</A></p>
                    }.into_any()
                }
            }}
            <h2>{move || i18n.t("keys.title")}</h2>
            <p>{move || i18n.t("keys.intro")}</p>
            {move || secret.get().map(|value| view! {
                <div class="success secret" role="status">
                    <p><strong>{i18n.t("keys.shown_once")}</strong></p>
                    <p><code id="new-secret" dir="ltr">{value}</code></p>
                </div>
            })}
            {move || match list_state(keys.get(), "keys.empty", move || keys.refetch()) {
                Err(state) => state,
                Ok(list) => view! {
                    <Wide label="keys.title"><table id="api-keys">
                        <caption>{i18n.t("keys.title")}</caption>
                        <thead><tr>
                            <th scope="col">{i18n.t("keys.name")}</th>
                            <th scope="col">{i18n.t("keys.prefix")}</th>
                            <th scope="col">{i18n.t("keys.created")}</th>
                            <th scope="col">{i18n.t("admin.status")}</th>
                            <th scope="col">{i18n.t("admin.actions")}</th>
                        </tr></thead>
                        <tbody>
                            {list.into_iter().map(|key| {
                                let revoked = key.revoked_at.is_some();
                                let key_id = key.id;
                                view! {
                                    <tr>
                                        <td>{key.name.clone()}</td>
                                        <td><code dir="ltr">{key.prefix.clone()}</code></td>
                                        <td>{format_date(i18n.locale.get(), key.created_at)}</td>
                                        <td>{i18n.t(if revoked { "keys.revoked" } else { "keys.active" })}</td>
                                        <td>{(!revoked).then(|| view! {
                                            <button type="button" class="small" on:click=move |_| revoke(key_id)>{i18n.t("keys.revoke")}</button>
                                        })}</td>
                                    </tr>
                                }
                            }).collect_view()}
                        </tbody>
                    </table></Wide>
                }.into_any(),
            }}
            <form on:submit=submit novalidate id="api-key-form">
                <FormAlert errors=errors/>
                <Field name="name" label="keys.name" value=key_name errors=errors required=true/>
                <fieldset>
                    <legend>{move || i18n.t("keys.scopes")}</legend>
                    {ApiScope::ALL.iter().map(|scope| {
                        let scope = *scope;
                        let key = format!("scope.{}", scope.as_str().replace(':', "_"));
                        let input_id = format!("scope-{}", scope.as_str().replace(':', "-"));
                        let label_for = input_id.clone();
                        view! {
                            <label for=label_for class="checkbox">
                                <input
                                    type="checkbox"
                                    id=input_id
                                    prop:checked=move || scopes.with(|s| s.contains(&scope))
                                    on:change=move |ev| scopes.update(|s| {
                                        s.retain(|x| *x != scope);
                                        if event_target_checked(&ev) { s.push(scope); }
                                    })
                                />
                                {move || i18n.t(&key)}
                            </label>
                        }
                    }).collect_view()}
                </fieldset>
                <button type="submit">{move || i18n.t("keys.create")}</button>
            </form>
            {move || view! { <InviteSection organization=id()/> }}
        </RoleGate>
    }
}

/// Colleagues invited by e-mail: they join when they accept. Shown to those who manage the
/// organisation (the list answers 403 to plain members, who see nothing here).
#[component]
fn InviteSection(organization: i64) -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    let reload = RwSignal::new(0u32);
    let pending = LocalResource::new(move || {
        reload.track();
        async move { session.sent_invitations(organization).await }
    });
    let email = RwSignal::new(String::new());
    let owner = RwSignal::new(false);
    let errors = FormErrors::new();
    let sent = RwSignal::new(false);
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        errors.clear();
        sent.set(false);
        let request = CreateInvitationRequest {
            email: email.get_untracked(),
            role: Some(if owner.get_untracked() {
                MembershipRole::Owner
            } else {
                MembershipRole::Member
            }),
        };
        if let Err(invalid) = request.parse() {
            errors.refuse(invalid);
            return;
        }
        spawn_local(async move {
            match session.invite(organization, &request).await {
                Ok(_) => {
                    email.set(String::new());
                    sent.set(true);
                    reload.update(|n| *n += 1);
                }
                Err(error) => errors.show(&error),
            }
        });
    };
    let failures = crate::forms::Failures::get();
    let withdraw = move |invitation: i64| {
        spawn_local(async move {
            failures.after(&session.withdraw_invitation(organization, invitation).await);
            reload.update(|n| *n += 1);
        });
    };
    move || {
        match pending.get() {
        Some(Ok(list)) => view! {
            <section aria-labelledby="invite-title">
                <h2 id="invite-title">{i18n.t("invite.send.title")}</h2>
                <p>{i18n.t("invite.send.intro")}</p>
                {move || sent.get().then(|| view! { <p class="success" role="status">{i18n.t("invite.sent")}</p> })}
                <form on:submit=submit novalidate id="invite-form">
                    <FormAlert errors=errors/>
                    <Field name="email" label="form.email" value=email errors=errors kind="email" autocomplete="off" required=true/>
                    <label for="invite-owner" class="checkbox">
                        <input type="checkbox" id="invite-owner" prop:checked=move || owner.get()
                            on:change=move |ev| owner.set(event_target_checked(&ev))/>
                        {i18n.t("invite.as_owner")}
                    </label>
                    <button type="submit">{i18n.t("invite.send")}</button>
                </form>
                <h3>{i18n.t("invite.pending")}</h3>
                <ul id="pending-invitations">
                    {list.into_iter().map(|invitation| {
                        let id = invitation.id;
                        view! {
                            <li>
                                <bdi>{invitation.email}</bdi> " · " {i18n.t(&format!("member.{}", invitation.role))} " "
                                <button type="button" class="small" on:click=move |_| withdraw(id)>{i18n.t("invite.withdraw")}</button>
                            </li>
                        }
                    }).collect_view()}
                </ul>
            </section>
        }.into_any(),
        _ => ().into_any(),
    }
    }
}
