//! The frame every page sits in: skip link, header with navigation and language, footer.

use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::components::{A, Route, Router, Routes};
use leptos_router::hooks::{use_location, use_navigate};
use leptos_router::path;
use shared::dto::users::UpdateProfileRequest;
use shared::pages::WebApp;
use shared::{Locale, Role};

use crate::api::{provide_session, restore_session, use_session};
use crate::forms::{FailureAlert, Failures, FormAlert, FormErrors};
use crate::gate::login_link;
use crate::i18n::{colon, provide_i18n, use_i18n};
use crate::pages::account::{ForgotPassword, ResetPassword, VerifyEmail};
use crate::pages::admin::{AdminOrganizations, AdminUsers};
use crate::pages::appointments::Appointments;
use crate::pages::certificate::CertificatePage;
use crate::pages::event_form::{EditEventPage, NewEventPage};
use crate::pages::invitations::Invitations;
use crate::pages::manage::{ManageEvent, ManageEvents};
use crate::pages::moderation::Moderation;
use crate::pages::notices::Notices;
use crate::pages::offers::{Applications, OfferPage, Offers};
use crate::pages::org_offers::{OrganizationOffer, OrganizationOffers};
use crate::pages::organizations::{OrganizationPage, Organizations};
use crate::pages::orientation::{InventoryPage, Orientation};
use crate::pages::result::ResultPage;
use crate::pages::saved::Saved;
use crate::pages::sectors::{SectorPage, Sectors};
use crate::pages::slots::ManageAppointments;
use crate::pages::sources::AdminSources;
use crate::pages::{
    centers::CenterPage, centers::Centers, events::EventPage, events::Events, events::MyEvents,
    home::Home, login::Login, not_found::NotFound, occupations::OccupationPage,
    occupations::Occupations, profile::Profile, register::Register,
};

/// Which app is running, for the pages that hand over to another.
#[derive(Clone, Copy)]
pub struct ThisApp(pub WebApp);

/// The frame every page of every app sits in: language, session, skip link, header, the
/// "session ended" panel, footer; `children` are the app's routes.
#[component]
fn Frame(app: WebApp, children: Children) -> impl IntoView {
    // The loading shell of index.html gives way to the app.
    if let Some(shell) = document().get_element_by_id("shell") {
        shell.remove();
    }
    provide_context(ThisApp(app));
    provide_i18n();
    Failures::provide();
    let online = Online::provide();
    register_service_worker();
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
            // The browser's own jump (not the router's), so the focus lands in the content.
            <a class="skip" href="#main" rel="external">{move || i18n.t("nav.skip")}</a>
            <Header/>
            <PageChanges/>
            <main id="main" tabindex="-1">
                <Show when=move || !online.0.get()>
                    <p class="notice" role="status" id="offline-notice">{move || i18n.t("state.offline_notice")}</p>
                </Show>
                <SessionEnded/>
                <FailureAlert/>
                {children()}
            </main>
            <footer>
                <p>{move || i18n.t("app.tagline")}</p>
                <p class="muted">{move || i18n.t("footer.credit")}</p>
            </footer>
        </Router>
    }
}

/// The count of unread notices beside a link or the menu's button, said in words to screen
/// readers; nothing when there are none.
#[component]
fn Unread(count: impl Fn() -> u32 + Copy + Send + Sync + 'static) -> impl IntoView {
    let i18n = use_i18n();
    move || {
        let n = count();
        (n > 0).then(|| {
            view! {
                " "
                <span class="count" aria-hidden="true">{n}</span>
                <span class="visually-hidden">{i18n.t("nav.unread").replace("{n}", &n.to_string())}</span>
            }
        })
    }
}

/// The youth's app: home, the account and orientation (every page the others do not have).
#[component]
pub fn YouthApp() -> impl IntoView {
    view! {
        <Frame app=WebApp::Youth>
            <Routes fallback=NotFound>
                <Route path=path!("/") view=Home/>
                <Route path=path!("/login") view=Login/>
                <Route path=path!("/register") view=Register/>
                <Route path=path!("/profile") view=Profile/>
                <Route path=path!("/orientation") view=Orientation/>
                <Route path=path!("/orientation/inventory") view=InventoryPage/>
                <Route path=path!("/orientation/results/:id") view=ResultPage/>
            </Routes>
        </Frame>
    }
}

/// The guide: offers, events, growth sectors, occupations and centers (`shared::pages::GUIDE_PAGES`).
#[component]
pub fn GuideApp() -> impl IntoView {
    view! {
        <Frame app=WebApp::Guide>
            <Routes fallback=NotFound>
                <Route path=path!("/sectors") view=Sectors/>
                <Route path=path!("/sectors/:code") view=SectorPage/>
                <Route path=path!("/occupations") view=Occupations/>
                <Route path=path!("/occupations/:isco08") view=OccupationPage/>
                <Route path=path!("/centers") view=Centers/>
                <Route path=path!("/centers/:id") view=CenterPage/>
                <Route path=path!("/events") view=Events/>
                <Route path=path!("/events/mine") view=MyEvents/>
                <Route path=path!("/certificates/:code") view=CertificatePage/>
                <Route path=path!("/events/:id") view=EventPage/>
                <Route path=path!("/appointments") view=Appointments/>
                <Route path=path!("/notices") view=Notices/>
                <Route path=path!("/offers") view=Offers/>
                <Route path=path!("/offers/:id") view=OfferPage/>
                <Route path=path!("/applications") view=Applications/>
                <Route path=path!("/saved") view=Saved/>
                <Route path=path!("/forgot-password") view=ForgotPassword/>
                <Route path=path!("/reset-password") view=ResetPassword/>
                <Route path=path!("/verify-email") view=VerifyEmail/>
            </Routes>
        </Frame>
    }
}

/// The staff's app: administration, organisations and the events one runs
/// (`shared::pages::STAFF_PAGES`).
#[component]
pub fn StaffApp() -> impl IntoView {
    view! {
        <Frame app=WebApp::Staff>
            <Routes fallback=NotFound>
                <Route path=path!("/invitations") view=Invitations/>
                <Route path=path!("/organizations") view=Organizations/>
                <Route path=path!("/organizations/:id") view=OrganizationPage/>
                <Route path=path!("/organizations/:id/offers") view=OrganizationOffers/>
                <Route path=path!("/organizations/:id/offers/:offer") view=OrganizationOffer/>
                <Route path=path!("/admin/users") view=AdminUsers/>
                <Route path=path!("/admin/organizations") view=AdminOrganizations/>
                <Route path=path!("/admin/offers") view=Moderation/>
                <Route path=path!("/admin/sources") view=AdminSources/>
                <Route path=path!("/manage/events") view=ManageEvents/>
                <Route path=path!("/manage/events/new") view=NewEventPage/>
                <Route path=path!("/manage/events/:id") view=ManageEvent/>
                <Route path=path!("/manage/events/:id/edit") view=EditEventPage/>
                <Route path=path!("/manage/appointments") view=ManageAppointments/>
            </Routes>
        </Frame>
    }
}

#[component]
fn Header() -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    let navigate = use_navigate();
    let location = use_location();
    // From a page, "log in" comes back to it; from the account pages, to the profile.
    let login_href = move || {
        let path = location.pathname.get();
        if matches!(
            path.as_str(),
            "/" | "/login" | "/register" | "/forgot-password" | "/reset-password"
        ) {
            "/login".to_owned()
        } else {
            login_link(&path, &location.search.get())
        }
    };
    let has_role = move |roles: &[Role]| {
        session
            .user
            .with(|u| u.as_ref().is_some_and(|u| roles.contains(&u.role)))
    };
    // Notices not yet read, as `/me` counted them; the notices page sets it to zero.
    let unread = move || {
        session
            .user
            .with(|u| u.as_ref().and_then(|u| u.unread_notices).unwrap_or(0))
    };
    let failures = Failures::get();
    let logout = move |_| {
        let navigate = navigate.clone();
        spawn_local(async move {
            match session.logout().await {
                Ok(()) => navigate("/", Default::default()),
                Err(error) => failures.report(&error),
            }
        });
    };
    // On a phone the links fold into a menu behind one button; a new page folds it again.
    let open = RwSignal::new(false);
    Effect::new(move |_| {
        location.pathname.track();
        open.set(false);
        failures.clear();
    });
    view! {
        <header>
            <A href="/" attr:class="brand">{move || i18n.t("app.name")}</A>
            <button
                type="button"
                class="menu-toggle secondary"
                id="menu-toggle"
                aria-expanded=move || if open.get() { "true" } else { "false" }
                aria-controls="site-nav"
                on:click=move |_| open.update(|o| *o = !*o)
            >
                {move || i18n.t("nav.toggle")}
                <Unread count=unread/>
            </button>
            <nav id="site-nav" class:open=move || open.get() aria-label=move || i18n.t("nav.menu")>
                <ul>
                    <li><A href="/">{move || i18n.t("nav.home")}</A></li>
                    <li><A href="/offers">{move || i18n.t("nav.offers")}</A></li>
                    <li><A href="/events">{move || i18n.t("nav.events")}</A></li>
                    <li><A href="/centers">{move || i18n.t("nav.centers")}</A></li>
                    <li><A href="/sectors">{move || i18n.t("nav.sectors")}</A></li>
                    <li><A href="/occupations">{move || i18n.t("nav.occupations")}</A></li>
                    <Show
                        when=move || session.is_signed_in()
                        fallback=move || view! {
                            <li><A href=login_href>{move || i18n.t("nav.login")}</A></li>
                            <li><A href="/register">{move || i18n.t("nav.register")}</A></li>
                        }
                    >
                        <li><A href="/profile">{move || i18n.t("nav.profile")}</A></li>
                        <Show when=move || { has_role(&[Role::Youth]) || unread() > 0 }>
                            <li>
                                <A href="/notices" attr:id="notices-link">
                                    {move || i18n.t("nav.notices")}
                                    <Unread count=unread/>
                                </A>
                            </li>
                        </Show>
                        <Show when=move || has_role(&[Role::Youth, Role::Counselor, Role::Admin])>
                            <li><A href="/orientation">{move || i18n.t("nav.orientation")}</A></li>
                        </Show>
                        <Show when=move || has_role(&[Role::Youth])>
                            <li><A href="/applications">{move || i18n.t("nav.applications")}</A></li>
                            <li><A href="/events/mine">{move || i18n.t("nav.my_events")}</A></li>
                            <li><A href="/appointments">{move || i18n.t("nav.appointments")}</A></li>
                        </Show>
                        <Show when=move || has_role(&[Role::Counselor])>
                            <li><A href="/manage/appointments">{move || i18n.t("nav.slots")}</A></li>
                        </Show>
                        <Show when=move || has_role(&[Role::Employer, Role::Partner])>
                            <li><A href="/organizations">{move || i18n.t("nav.organizations")}</A></li>
                        </Show>
                        <Show when=move || has_role(&[Role::Counselor, Role::Employer, Role::Partner, Role::Admin])>
                            <li><A href="/manage/events">{move || i18n.t("nav.manage")}</A></li>
                        </Show>
                        <Show when=move || has_role(&[Role::Admin])>
                            <li><A href="/admin/users">{move || i18n.t("nav.admin.users")}</A></li>
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
    let failures = Failures::get();
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
                                if let Err(error) = session.update_me(&changes).await {
                                    failures.report(&error);
                                }
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

/// Shown above the page when the server refused to renew a session the page was using: the
/// password again, and the page underneath keeps what was typed; or sign out.
#[component]
fn SessionEnded() -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    let navigate = use_navigate();
    let password = RwSignal::new(String::new());
    let errors = FormErrors::new();
    let busy = RwSignal::new(false);
    let email = move || {
        session
            .user
            .with(|u| u.as_ref().map(|u| u.email.clone()).unwrap_or_default())
    };
    let input = NodeRef::<leptos::html::Input>::new();
    // The user must act before going on: the password field takes the focus.
    Effect::new(move |_| {
        if session.ended.get()
            && let Some(input) = input.get()
        {
            let _ = input.focus();
        }
    });
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        errors.clear();
        busy.set(true);
        spawn_local(async move {
            match session.login(email(), password.get_untracked()).await {
                Ok(_) => password.set(String::new()),
                Err(error) => errors.show(&error),
            }
            busy.set(false);
        });
    };
    let leave = move |_| {
        let navigate = navigate.clone();
        spawn_local(async move {
            match session.logout().await {
                Ok(()) => navigate("/", Default::default()),
                Err(error) => errors.show(&error),
            }
        });
    };
    view! {
        <Show when=move || session.ended.get()>
            <section class="session-ended" id="session-ended" aria-labelledby="session-ended-title">
                <h2 id="session-ended-title">{move || i18n.t("session.ended.title")}</h2>
                <p id="session-ended-text">{move || i18n.t("session.ended.text")}</p>
                <form on:submit=submit novalidate>
                    <FormAlert errors=errors/>
                    <p>{move || i18n.t("form.email")} {move || colon(i18n.locale.get())} <bdi>{email}</bdi></p>
                    <div class="field">
                        <label for="session-password">{move || i18n.t("form.password")}</label>
                        <input
                            id="session-password"
                            type="password"
                            aria-describedby="session-ended-title session-ended-text"
                            autocomplete="current-password"
                            required
                            node_ref=input
                            prop:value=move || password.get()
                            on:input=move |ev| password.set(event_target_value(&ev))
                        />
                    </div>
                    <div class="actions">
                        <button type="submit" disabled=move || busy.get()>{move || i18n.t("session.ended.submit")}</button>
                        <button type="button" class="secondary" on:click=leave.clone()>{move || i18n.t("session.ended.leave")}</button>
                    </div>
                </form>
            </section>
        </Show>
    }
}

/// After a change of page (or of language): the tab is named after the page's heading, in the
/// current language, and on a change of page the focus moves to that heading, so a screen
/// reader starts reading the new page and the keyboard goes on from there.
#[component]
fn PageChanges() -> impl IntoView {
    let location = use_location();
    let i18n = use_i18n();
    Effect::new(move |previous: Option<String>| {
        let path = location.pathname.get();
        let locale = i18n.locale.get();
        let navigated = previous.as_ref().is_some_and(|p| *p != path);
        // A new page cancels the previous page's wait; a new language only renames the tab,
        // and the new page's heading still gets the focus.
        let generation = FOLLOWING.with(|g| {
            if navigated {
                g.set(g.get().wrapping_add(1));
            }
            g.get()
        });
        follow_heading(locale, navigated, generation, 50);
        path
    });
}

thread_local! {
    /// The latest page change: an earlier one still waiting for its heading gives up.
    static FOLLOWING: std::cell::Cell<u32> = const { std::cell::Cell::new(0) };
}

/// Waits (up to `tries` tenths of a second: pages show their heading once their data is in)
/// for the page's `h1`, then names the tab after it and, if `focus`, focuses it.
fn follow_heading(locale: Locale, focus: bool, generation: u32, tries: u32) {
    set_timeout(
        move || {
            if FOLLOWING.with(std::cell::Cell::get) != generation {
                return;
            }
            let document = document();
            let app = crate::i18n::lookup(locale, "app.name");
            let heading = document.query_selector("main h1").ok().flatten();
            let Some(heading) = heading else {
                if tries > 0 {
                    follow_heading(locale, focus, generation, tries - 1);
                } else {
                    document.set_title(app);
                    if focus && let Some(main) = document.get_element_by_id("main") {
                        let _ = wasm_bindgen::JsCast::unchecked_into::<web_sys::HtmlElement>(main)
                            .focus();
                    }
                }
                return;
            };
            let page = heading.text_content().unwrap_or_default();
            let page = page.trim();
            if page.is_empty() || page == app {
                document.set_title(app);
            } else {
                document.set_title(&format!("{page} · {app}"));
            }
            // Not from under someone who already went on (typing in a field of the new page).
            let idle = document.active_element().is_none_or(|e| {
                !matches!(e.tag_name().as_str(), "INPUT" | "TEXTAREA" | "SELECT")
                    || e.closest("main").ok().flatten().is_none()
            });
            if focus && idle {
                let _ = heading.set_attribute("tabindex", "-1");
                let _ =
                    wasm_bindgen::JsCast::unchecked_into::<web_sys::HtmlElement>(heading).focus();
            }
        },
        std::time::Duration::from_millis(100),
    );
}

/// Whether the browser has a network, kept up to date; pages read it from the context.
#[derive(Clone, Copy)]
pub struct Online(pub RwSignal<bool>);

impl Online {
    fn provide() -> Self {
        let online = Self(RwSignal::new(window().navigator().on_line()));
        let up = window_event_listener(leptos::ev::online, move |_| online.0.set(true));
        let down = window_event_listener(leptos::ev::offline, move |_| online.0.set(false));
        on_cleanup(move || {
            up.remove();
            down.remove();
        });
        provide_context(online);
        online
    }
}

/// Installs `sw.js` (where the browser has service workers): after a first visit the app
/// opens offline, and the home screen can hold it.
fn register_service_worker() {
    use wasm_bindgen::JsCast;
    let navigator = window().navigator();
    let Ok(container) = js_sys::Reflect::get(&navigator, &"serviceWorker".into()) else {
        return;
    };
    if container.is_undefined() {
        return;
    }
    if let Ok(register) = js_sys::Reflect::get(&container, &"register".into())
        .and_then(|f| f.dyn_into::<js_sys::Function>())
    {
        let _ = register.call1(&container, &"/sw.js".into());
    }
}
