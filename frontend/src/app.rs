//! The frame every page sits in: skip link, header with navigation and language, footer.

use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::components::{A, Route, Router, Routes};
use leptos_router::hooks::use_navigate;
use leptos_router::path;
use shared::dto::users::UpdateProfileRequest;
use shared::{Locale, Role};

use crate::api::{provide_session, restore_session, use_session};
use crate::i18n::{provide_i18n, use_i18n};
use crate::pages::account::{ForgotPassword, Invitations, ResetPassword, VerifyEmail};
use crate::pages::admin::{AdminOrganizations, AdminUsers};
use crate::pages::organizations::{OrganizationPage, Organizations};
use crate::pages::orientation::{InventoryPage, Orientation};
use crate::pages::result::ResultPage;
use crate::pages::sectors::{SectorPage, Sectors};
use crate::pages::{
    centers::Centers, home::Home, login::Login, not_found::NotFound, profile::Profile,
    register::Register,
};

#[component]
pub fn App() -> impl IntoView {
    provide_i18n();
    let session = provide_session();
    spawn_local(restore_session(session));
    let i18n = use_i18n();
    // The account's language follows its owner from device to device: on signing in (or on a
    // reload that restores the session) the app takes the language saved in the profile.
    Effect::new(move |signed_in_before: Option<Option<i64>>| {
        let user = session.user.get();
        let id = user.as_ref().map(|u| u.id);
        if let Some(user) = user
            && signed_in_before.flatten() != Some(user.id)
            && user.locale != i18n.locale.get_untracked()
        {
            i18n.set(user.locale);
        }
        id
    });
    view! {
        <Router>
            <a class="skip" href="#main">{move || i18n.t("nav.menu")}</a>
            <Header/>
            <main id="main" tabindex="-1">
                <Routes fallback=NotFound>
                    <Route path=path!("/") view=Home/>
                    <Route path=path!("/login") view=Login/>
                    <Route path=path!("/register") view=Register/>
                    <Route path=path!("/forgot-password") view=ForgotPassword/>
                    <Route path=path!("/reset-password") view=ResetPassword/>
                    <Route path=path!("/verify-email") view=VerifyEmail/>
                    <Route path=path!("/invitations") view=Invitations/>
                    <Route path=path!("/profile") view=Profile/>
                    <Route path=path!("/centers") view=Centers/>
                    <Route path=path!("/organizations") view=Organizations/>
                    <Route path=path!("/organizations/:id") view=OrganizationPage/>
                    <Route path=path!("/orientation") view=Orientation/>
                    <Route path=path!("/orientation/inventory") view=InventoryPage/>
                    <Route path=path!("/orientation/results/:id") view=ResultPage/>
                    <Route path=path!("/sectors") view=Sectors/>
                    <Route path=path!("/sectors/:code") view=SectorPage/>
                    <Route path=path!("/admin/users") view=AdminUsers/>
                    <Route path=path!("/admin/organizations") view=AdminOrganizations/>
                </Routes>
            </main>
            <footer>
                <p>{move || i18n.t("app.tagline")}</p>
                <p class="muted">{move || i18n.t("footer.credit")}</p>
            </footer>
        </Router>
    }
}

#[component]
fn Header() -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    let navigate = use_navigate();
    let has_role = move |roles: &[Role]| {
        session
            .user
            .with(|u| u.as_ref().is_some_and(|u| roles.contains(&u.role)))
    };
    let logout = move |_| {
        let navigate = navigate.clone();
        spawn_local(async move {
            session.logout().await;
            navigate("/", Default::default());
        });
    };
    view! {
        <header>
            <A href="/" attr:class="brand">{move || i18n.t("app.name")}</A>
            <nav aria-label=move || i18n.t("nav.menu")>
                <ul>
                    <li><A href="/">{move || i18n.t("nav.home")}</A></li>
                    <li><A href="/centers">{move || i18n.t("nav.centers")}</A></li>
                    <li><A href="/sectors">{move || i18n.t("nav.sectors")}</A></li>
                    <Show
                        when=move || session.is_signed_in()
                        fallback=move || view! {
                            <li><A href="/login">{move || i18n.t("nav.login")}</A></li>
                            <li><A href="/register">{move || i18n.t("nav.register")}</A></li>
                        }
                    >
                        <li><A href="/profile">{move || i18n.t("nav.profile")}</A></li>
                        <Show when=move || has_role(&[Role::Youth, Role::Counselor, Role::Admin])>
                            <li><A href="/orientation">{move || i18n.t("nav.orientation")}</A></li>
                        </Show>
                        <Show when=move || has_role(&[Role::Employer, Role::Partner])>
                            <li><A href="/organizations">{move || i18n.t("nav.organizations")}</A></li>
                        </Show>
                        <Show when=move || has_role(&[Role::Admin])>
                            <li><A href="/admin/users">{move || i18n.t("nav.admin.users")}</A></li>
                            <li><A href="/admin/organizations">{move || i18n.t("nav.admin.orgs")}</A></li>
                        </Show>
                        <li><button type="button" class="link" id="logout" on:click=logout.clone()>{move || i18n.t("nav.logout")}</button></li>
                    </Show>
                </ul>
            </nav>
            <LanguageSwitch/>
        </header>
    }
}

#[component]
fn LanguageSwitch() -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    view! {
        <label class="language">
            <span>{move || i18n.t("lang.label")}</span>
            <select
                id="language"
                on:change=move |ev| {
                    if let Ok(locale) = Locale::parse(&event_target_value(&ev)) {
                        i18n.set(locale);
                        // Signed in, the choice is saved in the profile, for the other
                        // devices and for the e-mails the platform sends.
                        if session.user.get_untracked().is_some_and(|u| u.locale != locale) {
                            let changes = UpdateProfileRequest {
                                locale: Some(locale),
                                ..Default::default()
                            };
                            spawn_local(async move {
                                let _ = session.update_me(&changes).await;
                            });
                        }
                    }
                }
            >
                {Locale::ALL
                    .iter()
                    .map(|locale| {
                        let locale = *locale;
                        let key = match locale {
                            Locale::Fr => "lang.fr",
                            Locale::Ar => "lang.ar",
                            Locale::En => "lang.en",
                        };
                        view! {
                            <option value=locale.as_str() selected=move || i18n.locale.get() == locale>
                                {move || i18n.t(key)}
                            </option>
                        }
                    })
                    .collect_view()}
            </select>
        </label>
    }
}
