//! What a page shows around its content: who may see it, and the loading, error and empty
//! states of a list. One place, so every page says the same things the same way.

use leptos::prelude::*;
use leptos_router::components::A;
use shared::Role;

use crate::api::{ApiError, restore_session, use_session};
use crate::i18n::use_i18n;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Access {
    /// The first silent refresh has not answered yet.
    Loading,
    /// The first silent refresh found no server: signed in or not is unknown.
    Unreachable,
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
            None if session.unreachable.get() => Access::Unreachable,
            None => Access::SignedOut,
            Some(u) if roles.contains(&u.role) => Access::Allowed,
            Some(_) => Access::Refused,
        })
    });
    move || match access.get() {
        Access::Loading => loading().into_any(),
        Access::Unreachable => offline(move || {
            session.ready.set(false);
            leptos::task::spawn_local(restore_session(session));
        }),
        Access::SignedOut => view! {
            <p>{move || i18n.t("auth.required")}</p>
            <p><A href=login_here()>{move || i18n.t("nav.login")}</A></p>
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

/// The login page, coming back here once signed in.
pub fn login_here() -> String {
    let here = leptos_router::hooks::use_location();
    login_link(&here.pathname.get_untracked(), &here.search.get_untracked())
}

/// The login page, coming back to `path` (with its `search`, without `?`) once signed in.
pub fn login_link(path: &str, search: &str) -> String {
    let back = if search.is_empty() {
        path.to_owned()
    } else {
        format!("{path}?{search}")
    };
    format!("/login?next={}", js_sys::encode_uri_component(&back))
}

/// Where to go after signing in: the `next` of the login link when it is a page of this app
/// (a path, not another site's address), else the profile.
pub fn after_login(next: Option<String>) -> String {
    next.as_deref()
        .and_then(shared::pages::safe_return)
        .unwrap_or("/profile")
        .to_owned()
}

/// Loading, error and empty states around a list: `Ok(items)` when there is something to show.
/// `retry` loads again (a failure offers it).
pub fn list_state<T>(
    result: Option<Result<Vec<T>, ApiError>>,
    empty_key: &'static str,
    retry: impl Fn() + Send + Sync + 'static,
) -> Result<Vec<T>, AnyView> {
    let retry = Callback::new(move |()| retry());
    let i18n = use_i18n();
    match result {
        None => Err(loading().into_any()),
        Some(Err(error)) => Err(failed_with(&error, "state.error", retry)),
        // A status, so that a search that finds nothing is heard, not only seen.
        Some(Ok(items)) if items.is_empty() => {
            Err(view! { <p role="status">{i18n.t(empty_key)}</p> }.into_any())
        }
        Some(Ok(items)) => Ok(items),
    }
}

/// A read that failed, said as what it is: no connection (with a button to try again), a
/// session that ended (the frame asks for the password), nothing there (`missing`, a catalogue
/// key), or an error on the server's side (with the button).
pub fn failed(
    error: &ApiError,
    missing: &'static str,
    retry: impl Fn() + Send + Sync + 'static,
) -> AnyView {
    failed_with(error, missing, Callback::new(move |()| retry()))
}

/// [`failed`], not generic: one copy of its view in the app, whatever the caller.
fn failed_with(error: &ApiError, missing: &'static str, retry: Callback<()>) -> AnyView {
    let i18n = use_i18n();
    match error {
        ApiError::Network => offline_with(retry),
        // Once the password is given again (the panel above), the read can be tried again.
        ApiError::SessionEnded => with_retry("alert", "err.session_ended", retry),
        error if error.is_not_found() => {
            view! { <p class="alert" role="alert">{move || i18n.t(missing)}</p> }.into_any()
        }
        _ => with_retry("alert", "state.error", retry),
    }
}

/// No answer from the server: said so, with a button to try again.
pub fn offline(retry: impl Fn() + Send + Sync + 'static) -> AnyView {
    offline_with(Callback::new(move |()| retry()))
}

fn offline_with(retry: Callback<()>) -> AnyView {
    with_retry("alert offline", "state.offline", retry)
}

/// A message (`key`) in a box of `class`, with a button to try again: one view for every
/// failure that can be retried.
fn with_retry(class: &'static str, key: &'static str, retry: Callback<()>) -> AnyView {
    let i18n = use_i18n();
    view! {
        <div class=class role="alert">
            <p>{move || i18n.t(key)}</p>
            <button type="button" class="secondary retry" on:click=move |_| retry.run(())>{move || i18n.t("state.retry")}</button>
        </div>
    }
    .into_any()
}

/// A table that scrolls sideways inside its own box on a narrow screen, reachable with the
/// keyboard and named (`label`, a catalogue key) for screen readers; it stays a table.
#[component]
pub fn Wide(label: &'static str, children: Children) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <div class="table-scroll" role="region" tabindex="0" aria-label=move || i18n.t(label)>
            {children()}
        </div>
    }
}

/// A long list read a page at a time: the first page, then more on request ("show more"),
/// each after the cursor of the last. A list that starts over (a new search) ignores the
/// answers still on their way for the old one.
pub struct Paged<T: Send + Sync + 'static> {
    items: RwSignal<Option<Vec<T>>>,
    next: RwSignal<Option<String>>,
    error: RwSignal<Option<ApiError>>,
    busy: RwSignal<bool>,
    generation: RwSignal<u32>,
    load: Callback<Option<String>>,
}

impl<T: Send + Sync + 'static> Clone for Paged<T> {
    fn clone(&self) -> Self {
        *self
    }
}

impl<T: Send + Sync + 'static> Copy for Paged<T> {}

impl<T: Clone + Send + Sync + 'static> Paged<T> {
    /// Fetches pages with `fetch(cursor)`; the first at once.
    pub fn new<F, Fut>(fetch: F) -> Self
    where
        F: Fn(Option<String>) -> Fut + Copy + Send + Sync + 'static,
        Fut: std::future::Future<Output = Result<shared::dto::Page<T>, ApiError>> + 'static,
    {
        let items = RwSignal::new(None::<Vec<T>>);
        let next = RwSignal::new(None::<String>);
        let error = RwSignal::new(None::<ApiError>);
        let busy = RwSignal::new(false);
        let generation = RwSignal::new(0u32);
        let load = Callback::new(move |cursor: Option<String>| {
            let asked = generation.get_untracked();
            busy.set(true);
            error.set(None);
            leptos::task::spawn_local(async move {
                let answer = fetch(cursor).await;
                // Gone (the page was left while it loaded) or started over: not ours to show.
                if generation.try_get_untracked() != Some(asked) {
                    return;
                }
                match answer {
                    Ok(page) => {
                        items.update(|items| items.get_or_insert_with(Vec::new).extend(page.items));
                        next.set(page.next_cursor);
                    }
                    Err(failure) => error.set(Some(failure)),
                }
                busy.set(false);
            });
        });
        load.run(None);
        Self {
            items,
            next,
            error,
            busy,
            generation,
            load,
        }
    }

    /// Forgets what was read and reads the first page again (the filters changed).
    pub fn restart(&self) {
        self.generation.update(|g| *g += 1);
        self.items.set(None);
        self.next.set(None);
        self.load.run(None);
    }

    /// Loading, error and empty states of the first page, as [`list_state`] gives them; the
    /// items read so far otherwise.
    pub fn state(&self, empty_key: &'static str) -> Result<Vec<T>, AnyView> {
        let this = *self;
        let first = match (self.items.get(), self.error.get()) {
            (Some(items), _) => Some(Ok(items)),
            (None, Some(error)) => Some(Err(error)),
            (None, None) => None,
        };
        list_state(first, empty_key, move || this.restart())
    }

    /// Whether an item read so far answers `test` (a reactive read).
    pub fn any(&self, test: impl Fn(&T) -> bool) -> bool {
        self.items
            .with(|items| items.as_ref().is_some_and(|items| items.iter().any(test)))
    }

    /// The largest key of the items read so far (not a reactive read).
    pub fn newest(&self, key: impl Fn(&T) -> i64) -> Option<i64> {
        self.items
            .with_untracked(|items| items.as_ref().and_then(|items| items.iter().map(key).max()))
    }

    /// Below the list: a button for the next page while there is one, or what keeps it.
    pub fn more(&self) -> impl IntoView + use<T> {
        let Paged {
            items,
            next,
            error,
            busy,
            load,
            ..
        } = *self;
        let shown = move || items.with(|i| i.as_ref().map_or(0, Vec::len));
        more_view(
            Signal::derive(shown),
            Signal::derive(move || items.with(Option::is_some) && next.with(Option::is_some)),
            Signal::derive(move || busy.get() && items.with(Option::is_some)),
            Signal::derive(move || {
                if items.with(Option::is_some) {
                    error.get()
                } else {
                    None
                }
            }),
            Callback::new(move |()| load.run(next.get_untracked())),
        )
    }
}

/// [`Paged::more`], not generic: one copy of its view in the app.
fn more_view(
    shown: Signal<usize>,
    has_more: Signal<bool>,
    busy: Signal<bool>,
    error: Signal<Option<ApiError>>,
    more: Callback<()>,
) -> AnyView {
    let i18n = use_i18n();
    view! {
        <div class="more">
            // Read out when more arrive, so a screen reader hears that the list grew.
            <p class="visually-hidden" role="status">
                {move || (shown.get() > 0).then(|| i18n.t("list.shown").replace("{n}", &shown.get().to_string()))}
            </p>
            {move || match (error.get(), busy.get(), has_more.get()) {
                (Some(error), _, _) => failed_with(&error, "state.error", more),
                (None, true, _) => loading().into_any(),
                (None, false, true) => view! {
                    <button type="button" class="secondary" id="show-more" on:click=move |_| more.run(())>
                        {move || i18n.t("list.more")}
                    </button>
                }.into_any(),
                (None, false, false) => ().into_any(),
            }}
        </div>
    }
    .into_any()
}

/// Puts the focus on the element `id` once the page is drawn (after an action that redraws
/// it), so the keyboard goes on from there and a screen reader reads it.
pub fn focus(id: &'static str) {
    request_animation_frame(move || {
        let found = document()
            .get_element_by_id(id)
            .and_then(|e| wasm_bindgen::JsCast::dyn_into::<web_sys::HtmlElement>(e).ok());
        if let Some(element) = found {
            let _ = element.focus();
        }
    });
}
