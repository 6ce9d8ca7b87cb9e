//! The admin area: users and organisations.

use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::components::A;
use shared::Role;
use shared::dto::organizations::OrganizationView;
use shared::dto::users::UserView;

use crate::api::{self, ApiError, use_session};
use crate::gate::{RoleGate, Wide, list_state};
use crate::i18n::{I18n, has, use_i18n};

/// A refusal in words: the first field error's translation, or a general message.
fn describe(i18n: I18n, error: &ApiError) -> String {
    error
        .field_errors()
        .first()
        .map(|e| format!("err.{}", e.code))
        .filter(|key| has(key))
        .map(|key| i18n.t(&key).to_owned())
        .unwrap_or_else(|| i18n.t("err.generic").to_owned())
}

#[component]
pub fn AdminUsers() -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    let role = RwSignal::new(String::new());
    let search = RwSignal::new(String::new());
    let cursor = RwSignal::new(None::<String>);
    let reload = RwSignal::new(0u32);
    let page = LocalResource::new(move || {
        reload.track();
        let mut query = vec!["limit=20".to_owned()];
        let role = role.get();
        if !role.is_empty() {
            query.push(format!("role={role}"));
        }
        let q = search.get();
        if !q.trim().is_empty() {
            query.push(format!("q={}", js_sys::encode_uri_component(q.trim())));
        }
        if let Some(c) = cursor.get() {
            query.push(format!("cursor={c}"));
        }
        async move { session.users(&query.join("&")).await }
    });
    let centers = LocalResource::new(|| api::centers(None, None));
    let failure = RwSignal::new(None::<String>);
    // Changes go to the server one at a time, in the order made: an admin who picks a center
    // and then the counselor role must not have the role arrive first (and be refused for want
    // of a center) while the center's success clears the refusal from the screen.
    let queue = StoredValue::new(std::sync::Arc::new(futures_util::lock::Mutex::new(())));
    // Applies one change to one account; a refusal is shown above the table, translated.
    let apply = move |id: i64, changes: serde_json::Value| {
        let queue = queue.get_value();
        spawn_local(async move {
            let _turn = queue.lock().await;
            match session.update_user(id, changes).await {
                Ok(_) => failure.set(None),
                Err(error) => failure.set(Some(describe(i18n, &error))),
            }
            reload.update(|n| *n += 1);
        });
    };
    let toggle =
        move |user: UserView| apply(user.id, serde_json::json!({"is_active": !user.is_active}));
    view! {
        <RoleGate roles=&[Role::Admin] refusal="admin.only">
            <AdminTabs/>
            <h1>{move || i18n.t("admin.users.title")}</h1>
            <div class="filters">
                <div class="field">
                    <label for="user-search">{move || i18n.t("admin.search")}</label>
                    <input id="user-search" type="search" on:change=move |ev| { cursor.set(None); search.set(event_target_value(&ev)); }/>
                </div>
                <div class="field">
                    <label for="user-role">{move || i18n.t("admin.role")}</label>
                    <select id="user-role" on:change=move |ev| { cursor.set(None); role.set(event_target_value(&ev)); }>
                        <option value="">{move || i18n.t("admin.all")}</option>
                        {Role::ALL.iter().map(|r| {
                            let key = format!("role.{}", r.as_str());
                            view! { <option value=r.as_str()>{move || i18n.t(&key)}</option> }
                        }).collect_view()}
                    </select>
                </div>
            </div>
            {move || failure.get().map(|message| view! { <p class="alert" role="alert">{message}</p> })}
            {move || {
                let center_options: Vec<(i64, String)> = centers
                    .get()
                    .and_then(Result::ok)
                    .map(|p| p.items.into_iter().map(|c| (c.id, c.name)).collect())
                    .unwrap_or_default();
                let result = page.get().map(|r| r.map(|p| (p.items, p.next_cursor)));
                let next = result.as_ref().and_then(|r| r.as_ref().ok()).and_then(|(_, n)| n.clone());
                match list_state(result.map(|r| r.map(|(items, _)| items)), "admin.users.empty", move || page.refetch()) {
                    Err(state) => state,
                    Ok(users) => view! {
                        <Wide label="admin.users.title"><table>
                            <caption>{i18n.t("admin.users.title")}</caption>
                            <thead><tr>
                                <th scope="col">{i18n.t("form.email")}</th>
                                <th scope="col">{i18n.t("admin.name")}</th>
                                <th scope="col">{i18n.t("admin.role")}</th>
                                <th scope="col">{i18n.t("admin.center")}</th>
                                <th scope="col">{i18n.t("admin.status")}</th>
                                <th scope="col">{i18n.t("admin.actions")}</th>
                            </tr></thead>
                            <tbody>
                                {users.into_iter().map(|user| {
                                    let role_key = format!("role.{}", user.role.as_str());
                                    let status = if user.is_active { "admin.active" } else { "admin.inactive" };
                                    let action = if user.is_active { "admin.deactivate" } else { "admin.activate" };
                                    let is_self = session.user.with_untracked(|me| me.as_ref().map(|m| m.id)) == Some(user.id);
                                    let row = user.clone();
                                    view! {
                                        <tr>
                                            <td>{user.email.clone()}</td>
                                            <td>{format!("{} {}", user.first_name, user.last_name)}</td>
                                            <td>{if is_self {
                                                i18n.t(&role_key).into_any()
                                            } else {
                                                let id = user.id;
                                                let current = user.role;
                                                view! {
                                                    <select id=format!("role-{id}") aria-label=format!("{} — {}", i18n.t("admin.role"), user.email)
                                                        on:change=move |ev| apply(id, serde_json::json!({"role": event_target_value(&ev)}))>
                                                        {Role::ALL.iter().map(|r| {
                                                            let key = format!("role.{}", r.as_str());
                                                            view! { <option value=r.as_str() selected=*r == current>{i18n.t(&key)}</option> }
                                                        }).collect_view()}
                                                    </select>
                                                }.into_any()
                                            }}</td>
                                            <td>{
                                                let id = user.id;
                                                let current = user.center_id;
                                                view! {
                                                    <select id=format!("center-{id}") aria-label=format!("{} — {}", i18n.t("admin.center"), user.email)
                                                        on:change=move |ev| {
                                                            let value = event_target_value(&ev).parse::<i64>().ok();
                                                            apply(id, serde_json::json!({"center_id": value}));
                                                        }>
                                                        <option value="" selected=current.is_none()>{i18n.t("admin.no_center")}</option>
                                                        {center_options.iter().map(|(cid, name)| {
                                                            view! { <option value=cid.to_string() selected=current == Some(*cid)>{name.clone()}</option> }
                                                        }).collect_view()}
                                                    </select>
                                                }
                                            }</td>
                                            <td>{i18n.t(status)}</td>
                                            <td>{(!is_self).then(|| view! {
                                                <button type="button" class="small" on:click=move |_| toggle(row.clone())>{i18n.t(action)}</button>
                                            })}</td>
                                        </tr>
                                    }
                                }).collect_view()}
                            </tbody>
                        </table></Wide>
                        {next.map(|n| view! {
                            <button type="button" class="secondary" on:click=move |_| cursor.set(Some(n.clone()))>{i18n.t("admin.next")}</button>
                        })}
                    }.into_any(),
                }
            }}
        </RoleGate>
    }
}

#[component]
pub fn AdminOrganizations() -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    let pending_only = RwSignal::new(true);
    let reload = RwSignal::new(0u32);
    let page = LocalResource::new(move || {
        reload.track();
        let query = if pending_only.get() {
            "verified=false&limit=100"
        } else {
            "limit=100"
        };
        async move { session.organizations(query).await }
    });
    let failures = crate::forms::Failures::get();
    let set_verified = move |org: OrganizationView, verified: bool| {
        spawn_local(async move {
            failures.after(&session.set_verified(org.id, verified).await);
            reload.update(|n| *n += 1);
        });
    };
    view! {
        <RoleGate roles=&[Role::Admin] refusal="admin.only">
            <AdminTabs/>
            <h1>{move || i18n.t("admin.orgs.title")}</h1>
            <div class="field checkbox">
                <label>
                    <input type="checkbox" id="pending-only" prop:checked=move || pending_only.get() on:change=move |ev| pending_only.set(event_target_checked(&ev))/>
                    {move || i18n.t("admin.orgs.pending")}
                </label>
            </div>
            {move || match list_state(page.get().map(|r| r.map(|p| p.items)), "admin.orgs.empty", move || page.refetch()) {
                Err(state) => state,
                Ok(orgs) => view! {
                    <ul class="cards">
                        {orgs.into_iter().map(|org| {
                            let kind_key = format!("org.kind.{}", org.kind.as_str());
                            let verified = org.verified_at.is_some();
                            let row = org.clone();
                            view! {
                                <li class="card" data-org=org.id>
                                    <h2>{org.name.clone()}</h2>
                                    <p>{i18n.t(&kind_key)} {org.city.clone().map(|c| format!(" — {c}"))}</p>
                                    <p class="badge">{i18n.t(if verified { "org.verified" } else { "org.unverified" })}</p>
                                    <p>
                                        <button type="button" class="verify" on:click=move |_| set_verified(row.clone(), !verified)>
                                            {i18n.t(if verified { "admin.orgs.withdraw" } else { "admin.orgs.verify" })}
                                        </button>
                                    </p>
                                </li>
                            }
                        }).collect_view()}
                    </ul>
                }.into_any(),
            }}
        </RoleGate>
    }
}

/// The administration's pages, one link each (the site's menu has the first only).
#[component]
pub fn AdminTabs() -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <nav class="tabs" aria-label=move || i18n.t("admin.tabs")>
            <ul>
                <li><A href="/admin/users" attr:id="admin-users-tab">{move || i18n.t("nav.admin.users")}</A></li>
                <li><A href="/admin/organizations" attr:id="admin-orgs-tab">{move || i18n.t("admin.tab.orgs")}</A></li>
                <li><A href="/admin/offers" attr:id="admin-offers-tab">{move || i18n.t("admin.tab.offers")}</A></li>
                <li><A href="/admin/sources" attr:id="admin-sources-tab">{move || i18n.t("admin.tab.sources")}</A></li>
            </ul>
        </nav>
    }
}
