//! The orientation assessment: the hub (history, or a counselor's list), and the inventory one
//! activity per screen, saved as it goes in the browser and on the server.

use std::collections::BTreeMap;
use std::sync::Arc;

use leptos::ev;
use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::components::A;
use leptos_router::hooks::use_navigate;
use shared::Role;
use shared::dto::orientation::{AnswersRequest, Draft, Inventory};

use crate::api::{self, ApiError, use_session};
use crate::forms::{FormAlert, FormErrors};
use crate::gate::{Paged, RoleGate, failed, loading};
use crate::i18n::{colon, format_date, use_i18n};

/// Answer labels, from 0 (strongly dislike) to 4 (strongly like).
const ANSWER_KEYS: [&str; 5] = [
    "inv.answer.0",
    "inv.answer.1",
    "inv.answer.2",
    "inv.answer.3",
    "inv.answer.4",
];
/// The server copy of the draft is refreshed every this many answers (and on "finish later").
const SAVE_EVERY: usize = 5;

/// The hub: a youth's history and the way into the inventory; a counselor's list of the
/// center's results.
#[component]
pub fn Orientation() -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    let is_youth = move || {
        session
            .user
            .with(|u| u.as_ref().is_some_and(|u| u.role == Role::Youth))
    };
    view! {
        <RoleGate roles=&[Role::Youth, Role::Counselor, Role::Admin] refusal="orientation.only">
            <h1>{move || i18n.t("orientation.title")}</h1>
            <Show when=is_youth fallback=|| view! { <ResultList staff=true/> }>
                <p>{move || i18n.t("orientation.intro")}</p>
                <p class="muted">{move || i18n.t("orientation.model")}</p>
                <p><A href="/orientation/inventory" attr:class="button" attr:id="start-inventory">{move || i18n.t("orientation.start")}</A></p>
                <h2>{move || i18n.t("orientation.history")}</h2>
                <ResultList staff=false/>
            </Show>
        </RoleGate>
    }
}

/// Results, newest first: the youth's own, or (for staff) those of the center with names.
#[component]
fn ResultList(staff: bool) -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    let results = Paged::new(move |cursor| async move { session.results(cursor).await });
    let list = move || {
        match results.state(if staff {
            "orientation.none.staff"
        } else {
            "orientation.none"
        }) {
        Err(state) => state,
        Ok(items) => view! {
            <table id="results">
                <caption>{i18n.t(if staff { "orientation.center_results" } else { "orientation.history" })}</caption>
                <thead><tr>
                    {staff.then(|| view! { <th scope="col">{i18n.t("orientation.youth")}</th> })}
                    <th scope="col">{i18n.t("orientation.date")}</th>
                    <th scope="col">{i18n.t("orientation.code")}</th>
                    <th scope="col"><span class="visually-hidden">{i18n.t("orientation.open")}</span></th>
                </tr></thead>
                <tbody>
                    {items.into_iter().map(|r| {
                        let href = format!("/orientation/results/{}", r.id);
                        let date = format_date(i18n.locale.get_untracked(), r.created_at);
                        view! {
                            <tr>
                                {staff.then(|| view! { <td>{r.user_name.clone()}</td> })}
                                <td>{date}</td>
                                <td><bdi><strong>{r.code.clone()}</strong></bdi></td>
                                <td><A href=href>{i18n.t("orientation.open")}</A></td>
                            </tr>
                        }
                    }).collect_view()}
                </tbody>
            </table>
        }
        .into_any(),
        }
    };
    view! { {list} {results.more()} }
}

fn storage_key(user_id: i64) -> String {
    format!("cc.inventory.{user_id}")
}

/// The answer sheet the browser keeps between visits, per user, in the shape the server takes:
/// answers not yet on the server survive a closed tab or a lost connection.
fn local_draft(user_id: i64) -> Option<AnswersRequest> {
    let storage = window().local_storage().ok().flatten()?;
    let text = storage.get_item(&storage_key(user_id)).ok().flatten()?;
    serde_json::from_str(&text).ok()
}

fn keep_locally(user_id: i64, draft: &AnswersRequest) {
    if let (Some(storage), Ok(text)) = (
        window().local_storage().ok().flatten(),
        serde_json::to_string(draft),
    ) {
        let _ = storage.set_item(&storage_key(user_id), &text);
    }
}

fn forget_locally(user_id: i64) {
    if let Some(storage) = window().local_storage().ok().flatten() {
        let _ = storage.remove_item(&storage_key(user_id));
    }
}

/// The fuller of the browser's and the server's drafts, for this version of the inventory.
fn resume_from(
    version: &str,
    local: Option<AnswersRequest>,
    server: Option<Draft>,
) -> BTreeMap<String, u8> {
    let local = local
        .filter(|d| d.instrument_version == version)
        .map(|d| d.answers)
        .unwrap_or_default();
    let server = server
        .filter(|d| d.instrument_version == version)
        .map(|d| d.answers)
        .unwrap_or_default();
    if server.len() > local.len() {
        server
    } else {
        local
    }
}

#[component]
pub fn InventoryPage() -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <RoleGate roles=&[Role::Youth] refusal="inventory.only">
            <h1>{move || i18n.t("inventory.title")}</h1>
            <InventoryRunner/>
        </RoleGate>
    }
}

#[component]
fn InventoryRunner() -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    let user_id = session
        .user
        .with_untracked(|u| u.as_ref().map(|u| u.id).unwrap_or(0));
    let loaded = LocalResource::new(move || async move {
        let inventory = api::inventory().await?;
        // Offline, the draft this device keeps is enough to go on with.
        let server = match session.draft().await {
            Ok(draft) => draft,
            Err(ApiError::Network) => None,
            Err(error) => return Err(error),
        };
        Ok::<_, ApiError>((inventory, server))
    });
    let answers: RwSignal<BTreeMap<String, u8>> = RwSignal::new(BTreeMap::new());
    let position = RwSignal::new(0usize);
    let inventory: RwSignal<Option<Inventory>> = RwSignal::new(None);
    Effect::new(move |_| {
        if let Some(Ok((inv, server))) = loaded.get() {
            let resumed = resume_from(&inv.version, local_draft(user_id), server);
            let first_open = inv
                .items
                .iter()
                .position(|i| !resumed.contains_key(&i.id))
                .unwrap_or(inv.items.len());
            position.set(first_open);
            answers.set(resumed);
            inventory.set(Some(inv));
        }
    });
    let errors = FormErrors::new();
    let saved = RwSignal::new(false);
    let request = move || request_now(inventory, answers);
    // The server's copy of the draft is written one request at a time, in the order asked: a
    // save sent before "start over" reaches the server before the deletion, never after it (two
    // requests on their way at once may arrive in either order).
    let lane = StoredValue::new(Arc::new(futures_util::lock::Mutex::new(())));
    let save_on_server = move || {
        let request = request();
        let lane = lane.get_value();
        spawn_local(async move {
            let _turn = lane.lock().await;
            saved.set(session.save_draft(&request).await.is_ok());
        });
    };
    let answer = move |value: u8| {
        let Some(id) = inventory.with_untracked(|i| {
            i.as_ref()
                .and_then(|i| i.items.get(position.get_untracked()))
                .map(|item| item.id.clone())
        }) else {
            return;
        };
        answers.update(|a| {
            a.insert(id, value);
        });
        let draft = request();
        keep_locally(user_id, &draft);
        if draft.answers.len() % SAVE_EVERY == 0 {
            save_on_server();
        }
        position.update(|p| *p += 1);
        focus_question();
    };
    // Keys 1–5 answer, as the buttons do; arrows are left to the browser, and so are digits
    // typed into a field (the language menu) or with a modifier (browser shortcuts).
    let keys = window_event_listener(ev::keydown, move |event| {
        let total = inventory.with_untracked(|i| i.as_ref().map_or(0, |i| i.items.len()));
        let in_field = event
            .target()
            .and_then(|t| wasm_bindgen::JsCast::dyn_into::<web_sys::Element>(t).ok())
            .is_some_and(|e| matches!(e.tag_name().as_str(), "INPUT" | "SELECT" | "TEXTAREA"));
        let modified = event.ctrl_key() || event.alt_key() || event.meta_key();
        // A key held down answers once, not question after question.
        if position.get_untracked() >= total || in_field || modified || event.repeat() {
            return;
        }
        // The key's place, not its character: on AZERTY the digit row types "&é\"'(" without
        // Shift, and an Arabic layout may type "١٢٣٤٥".
        if let Some(value) = answer_of_key(&event.code(), &event.key()) {
            event.prevent_default();
            answer(value);
        }
    });
    // Answers given offline are kept on this device; the server gets them when the network
    // returns.
    let back_online = window_event_listener(ev::online, move |_| {
        if answers.with_untracked(|a| !a.is_empty()) {
            save_on_server();
        }
    });
    on_cleanup(move || {
        keys.remove();
        back_online.remove();
    });
    let navigate = use_navigate();
    let finish_later = {
        let navigate = navigate.clone();
        move |_| {
            let request = request();
            let navigate = navigate.clone();
            let lane = lane.get_value();
            spawn_local(async move {
                let _turn = lane.lock().await;
                match session.save_draft(&request).await {
                    Ok(_) => navigate("/orientation", Default::default()),
                    Err(error) => errors.show(&error),
                }
            });
        }
    };
    // One submission at a time; a second tap while the first is on its way does nothing, and
    // a retry after a lost answer carries the same Idempotency-Key (one result, never two).
    let submitting = RwSignal::new(false);
    let submit = move |_| {
        if submitting.get_untracked() {
            return;
        }
        errors.clear();
        let request = request();
        // Every item answered, as the server will check, so a sheet it would refuse is not
        // sent. (Against the fetched inventory: `AnswersRequest::parse_complete` would compile
        // the sixty items' texts into the app.)
        let mut missing = shared::FieldErrors::new();
        inventory.with_untracked(|i| {
            for item in i.iter().flat_map(|i| &i.items) {
                if !request.answers.contains_key(&item.id) {
                    missing.push(
                        format!("answers.{}", item.id),
                        shared::codes::ANSWER_MISSING,
                        "every item needs an answer",
                    );
                }
            }
        });
        if !missing.0.is_empty() {
            errors.refuse(missing);
            return;
        }
        submitting.set(true);
        let navigate = navigate.clone();
        let lane = lane.get_value();
        spawn_local(async move {
            // After any save still on its way, so that none lands after the result.
            let _turn = lane.lock().await;
            match session.submit_answers(&request).await {
                Ok(result) => {
                    forget_locally(user_id);
                    navigate(
                        &format!("/orientation/results/{}", result.summary.id),
                        Default::default(),
                    );
                }
                Err(error) => errors.show(&error),
            }
            submitting.set(false);
        });
    };
    let go_to = move |index: usize| {
        position.set(index);
        focus_question();
    };
    // Starting over asks once more (every answer goes), then clears both copies of the draft;
    // the server's first, so that a failure leaves the answers where they were.
    let confirming = RwSignal::new(false);
    let start_over = move |_| {
        let lane = lane.get_value();
        spawn_local(async move {
            let _turn = lane.lock().await;
            match session.delete_draft().await {
                Ok(()) => {
                    forget_locally(user_id);
                    errors.clear();
                    answers.set(BTreeMap::new());
                    confirming.set(false);
                    saved.set(false);
                    go_to(0);
                }
                Err(error) => errors.show(&error),
            }
        });
    };
    move || {
        if let Some(Err(error)) = loaded.get() {
            return failed(&error, "state.error", move || loaded.refetch());
        }
        let Some(total) = inventory.with(|i| i.as_ref().map(|i| i.items.len())) else {
            return loading().into_any();
        };
        let answered = answers.with(|a| a.len());
        let progress = i18n
            .t("inv.progress")
            .replace("{n}", &answered.to_string())
            .replace("{total}", &total.to_string());
        let at = position.get();
        let screen = if at < total {
            let (id, text) = inventory.with(|i| {
                let item = &i.as_ref().expect("loaded").items[at];
                (item.id.clone(), item.text.get(i18n.locale.get()).to_owned())
            });
            let current = answers.with(|a| a.get(&id).copied());
            view! {
                <fieldset class="item" id="item">
                    <legend>
                        <span class="muted">{i18n.t("inv.question")} " " {at + 1} " / " {total}</span>
                        <strong id="item-text" data-item=id tabindex="-1">{text}</strong>
                    </legend>
                    <div class="answers">
                        {(0u8..5).map(|value| view! {
                            <button
                                type="button"
                                class="answer"
                                data-value=value
                                aria-pressed=move || if current == Some(value) { "true" } else { "false" }
                                on:click=move |_| answer(value)
                            >
                                <span class="key" aria-hidden="true">{value + 1}</span>
                                {i18n.t(ANSWER_KEYS[value as usize])}
                            </button>
                        }).collect_view()}
                    </div>
                    <p class="hint">{i18n.t("inv.keys")}</p>
                </fieldset>
            }
            .into_any()
        } else {
            view! {
                <div class="success" role="status" id="inventory-done" tabindex="-1">
                    <p>{i18n.t("inv.done")}</p>
                </div>
                <button
                    type="button"
                    id="submit-inventory"
                    aria-disabled=move || if submitting.get() { "true" } else { "false" }
                    on:click=submit.clone()
                >
                    {move || i18n.t(if submitting.get() { "inv.submitting" } else { "inv.submit" })}
                </button>
            }
            .into_any()
        };
        view! {
            <p id="progress-text">{progress}</p>
            <progress max=total value=answered aria-labelledby="progress-text"></progress>
            <FormAlert errors=errors/>
            <Refusals errors=errors inventory=inventory go_to=go_to/>
            {screen}
            <div class="actions">
                <button type="button" class="secondary" id="previous" disabled=at == 0 on:click=move |_| go_to(at.saturating_sub(1))>
                    {i18n.t("inv.previous")}
                </button>
                <button type="button" class="secondary" id="finish-later" on:click=finish_later.clone()>
                    {i18n.t("inv.later")}
                </button>
                {(answered > 0).then(|| view! {
                    <button type="button" class="secondary" id="start-over" aria-expanded=move || confirming.get().to_string()
                        aria-controls="start-over-confirm" on:click=move |_| confirming.update(|c| *c = !*c)>
                        {i18n.t("inv.restart")}
                    </button>
                })}
            </div>
            {move || confirming.get().then(|| view! {
                <div class="confirm" id="start-over-confirm" role="group" aria-labelledby="start-over-question">
                    <p id="start-over-question">{i18n.t("inv.restart.question")}</p>
                    <button type="button" class="danger" id="start-over-yes" on:click=start_over>{i18n.t("inv.restart.yes")}</button>
                    " "
                    <button type="button" class="secondary" on:click=move |_| {
                        confirming.set(false);
                        // The question goes: the keyboard goes back to where it came from.
                        request_animation_frame(|| {
                            if let Some(button) = document()
                                .get_element_by_id("start-over")
                                .and_then(|e| wasm_bindgen::JsCast::dyn_into::<web_sys::HtmlElement>(e).ok())
                            {
                                let _ = button.focus();
                            }
                        });
                    }>{i18n.t("inv.restart.no")}</button>
                </div>
            })}
            {move || saved.get().then(|| view! { <p class="muted" role="status">{i18n.t("inv.saved")}</p> })}
        }
        .into_any()
    }
}

/// The sheet as the device holds it now: the inventory's version and the answers given.
fn request_now(
    inventory: RwSignal<Option<Inventory>>,
    answers: RwSignal<BTreeMap<String, u8>>,
) -> AnswersRequest {
    AnswersRequest {
        instrument_version: inventory
            .with_untracked(|i| i.as_ref().map(|i| i.version.clone()).unwrap_or_default()),
        answers: answers.get_untracked(),
    }
}

/// The answer a key gives: 1 to 5 on the digit row, whatever the layout types there, or on
/// the keypad when it types digits (with Num Lock off its keys move the cursor).
fn answer_of_key(code: &str, key: &str) -> Option<u8> {
    let digit = match code.strip_prefix("Numpad") {
        Some(digit) if key == digit => digit,
        Some(_) => return None,
        None => code.strip_prefix("Digit")?,
    };
    match digit {
        "1" => Some(0),
        "2" => Some(1),
        "3" => Some(2),
        "4" => Some(3),
        "5" => Some(4),
        _ => None,
    }
}

/// After an answer, the next question (or the end of the inventory) takes the focus, so a
/// screen reader reads it and the keyboard goes on from there.
fn focus_question() {
    request_animation_frame(|| {
        let document = document();
        let target = document
            .get_element_by_id("item-text")
            .or_else(|| document.get_element_by_id("inventory-done"));
        if let Some(element) =
            target.and_then(|e| wasm_bindgen::JsCast::dyn_into::<web_sys::HtmlElement>(e).ok())
        {
            let _ = element.focus();
        }
    });
}

/// What the last check refused, question by question, each with a way to it.
#[component]
fn Refusals(
    errors: FormErrors,
    inventory: RwSignal<Option<Inventory>>,
    go_to: impl Fn(usize) + Copy + Send + Sync + 'static,
) -> impl IntoView {
    let i18n = use_i18n();
    move || {
        let fields = errors.fields.get();
        (!fields.is_empty()).then(|| {
            view! {
                <ul class="refusals" id="refusals">
                    {fields.into_iter().map(|error| {
                        let message = errors.message(&error.field).unwrap_or_default();
                        let index = error.field.strip_prefix("answers.").and_then(|id| {
                            inventory.with_untracked(|i| {
                                i.as_ref().and_then(|i| i.items.iter().position(|item| item.id == id))
                            })
                        });
                        match index {
                            Some(index) => view! {
                                <li>
                                    <button type="button" class="link" on:click=move |_| go_to(index)>
                                        {i18n.t("inv.question")} " " {index + 1}
                                    </button>
                                    {colon(i18n.locale.get_untracked())} {message}
                                </li>
                            }.into_any(),
                            None => view! { <li>{message}</li> }.into_any(),
                        }
                    }).collect_view()}
                </ul>
            }
        })
    }
}

#[cfg(test)]
mod tests {
    use super::answer_of_key;

    #[test]
    fn keys_answer_by_their_place_whatever_the_layout() {
        assert_eq!(answer_of_key("Digit1", "&"), Some(0));
        assert_eq!(answer_of_key("Digit2", "é"), Some(1));
        assert_eq!(answer_of_key("Digit3", "٣"), Some(2));
        assert_eq!(answer_of_key("Numpad5", "5"), Some(4));
        assert_eq!(answer_of_key("Numpad1", "End"), None);
        assert_eq!(answer_of_key("Digit6", "6"), None);
        assert_eq!(answer_of_key("Digit0", "0"), None);
        assert_eq!(answer_of_key("KeyA", "1"), None);
    }
}
