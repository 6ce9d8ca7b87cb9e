//! The admins' sources of gathered offers in the staff's app: each feed, page or partner's file
//! with its last poll (what it read, created, updated, left unchanged or rejected, and why),
//! added, switched on and off, polled now, and its history of runs.

use leptos::prelude::*;
use leptos::task::spawn_local;
use shared::dto::ingest::{IngestRunView, IngestSourceView};
use shared::{IngestSourceKind, Role};

use crate::api::use_session;
use crate::forms::{Failures, Field, FormAlert, FormErrors};
use crate::gate::{Paged, RoleGate, list_state};
use crate::i18n::{I18n, format_moment, has, use_i18n};

/// A moment in Morocco's time, as the app writes moments.
fn moment(i18n: I18n, at: chrono::DateTime<chrono::Utc>) -> String {
    let morocco = chrono::FixedOffset::east_opt(3600).expect("one hour east");
    format_moment(i18n.locale.get_untracked(), at.with_timezone(&morocco))
}

/// Why a poll failed: its kind in the admin's language, then the server's details.
fn failure_label(i18n: I18n, error: &str) -> (String, String) {
    match error.split_once(": ") {
        Some((kind, details)) if has(&format!("admin.sources.failure.{kind}")) => (
            i18n.t(&format!("admin.sources.failure.{kind}")).to_owned(),
            details.to_owned(),
        ),
        _ => (i18n.t("admin.sources.error").to_owned(), error.to_owned()),
    }
}

fn kind_key(kind: IngestSourceKind) -> &'static str {
    match kind {
        IngestSourceKind::File => "admin.sources.kind.file",
        IngestSourceKind::Feed => "admin.sources.kind.feed",
        IngestSourceKind::JsonLd => "admin.sources.kind.json_ld",
        IngestSourceKind::Csv => "admin.sources.kind.csv",
    }
}

fn status_key(status: &str) -> &'static str {
    match status {
        "running" => "admin.sources.status.running",
        "finished" => "admin.sources.status.finished",
        "not_modified" => "admin.sources.status.not_modified",
        "interrupted" => "admin.sources.status.interrupted",
        _ => "admin.sources.status.failed",
    }
}

/// A reason records were refused or dropped, in the admin's language where the catalogues
/// have it (the field's refusal, what reading a document left out), else the server's words.
fn reason_label(i18n: I18n, key: &str, example: &str) -> String {
    let translated = |catalogue: String| has(&catalogue).then(|| i18n.t(&catalogue).to_owned());
    let label = if let Some(what) = key.strip_prefix("dropped:") {
        translated(format!("admin.sources.dropped.{what}"))
    } else if key == "record:unreadable" {
        translated("admin.sources.unreadable".to_owned())
    } else if let Some((field, code)) = key.split_once(':') {
        translated(format!("err.{code}")).map(|text| format!("{field} — {text}"))
    } else {
        None
    };
    label.unwrap_or_else(|| example.to_owned())
}

/// What a run did, in numbers and reasons.
#[component]
fn RunSummary(run: IngestRunView) -> impl IntoView {
    let i18n = use_i18n();
    let counts = i18n
        .t("admin.sources.counts")
        .replace("{fetched}", &run.fetched.to_string())
        .replace("{created}", &run.created.to_string())
        .replace("{updated}", &run.updated.to_string())
        .replace("{unchanged}", &run.unchanged.to_string())
        .replace("{rejected}", &run.rejected.to_string())
        .replace("{duplicates}", &run.duplicates.to_string());
    let mut reasons: Vec<_> = run.reasons.into_iter().collect();
    reasons.sort_by_key(|r| std::cmp::Reverse(r.1.count));
    view! {
        <p>
            <span class="badge">{i18n.t(status_key(&run.status))}</span> " "
            <span class="muted">{moment(i18n, run.started_at)}</span>
        </p>
        <p>{counts}</p>
        {run.error.map(|error| {
            let (kind, details) = failure_label(i18n, &error);
            view! { <p class="error">{kind} " " <bdi class="muted" dir="auto">"(" {details} ")"</bdi></p> }
        })}
        {(!reasons.is_empty()).then(|| view! {
            <ul class="reasons">
                {reasons.into_iter().map(|(key, reason)| view! {
                    <li>{reason_label(i18n, &key, &reason.example)} " × " {reason.count}</li>
                }).collect_view()}
            </ul>
        })}
    }
}

/// A source's earlier runs, loaded when asked for.
#[component]
fn Runs(id: i64) -> impl IntoView {
    let session = use_session();
    let list = Paged::new(move |cursor| async move { session.ingest_runs(id, cursor).await });
    view! {
        {move || match list.state("admin.sources.runs.none") {
            Err(state) => state,
            Ok(runs) => view! {
                <ol class="runs">
                    {runs.into_iter().map(|run| view! { <li><RunSummary run=run/></li> }).collect_view()}
                </ol>
            }.into_any(),
        }}
        {list.more()}
    }
}

/// The body that sends `source` back as it is, but for `enabled`.
fn as_sent(source: &IngestSourceView, enabled: bool) -> serde_json::Value {
    serde_json::json!({
        "name": source.name,
        "kind": source.kind,
        "url": source.url,
        "every_minutes": source.every_minutes,
        "columns": source.columns,
        "enabled": enabled,
    })
}

#[component]
fn SourceCard(
    source: IngestSourceView,
    reload: RwSignal<u32>,
    editing: RwSignal<Option<IngestSourceView>>,
) -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    let failures = Failures::get();
    let id = source.id;
    let polled = source.kind != IngestSourceKind::File;
    let history = RwSignal::new(false);
    let poll = move |_| {
        spawn_local(async move {
            let answer = session.poll_ingest_source(id).await;
            failures.after(&answer);
            reload.update(|n| *n += 1);
        });
    };
    let toggle = {
        let body = as_sent(&source, !source.enabled);
        move |_| {
            let body = body.clone();
            spawn_local(async move {
                let answer = session.replace_ingest_source(id, body).await;
                failures.after(&answer);
                reload.update(|n| *n += 1);
            });
        }
    };
    let edit = {
        let source = source.clone();
        move |_| {
            editing.set(Some(source.clone()));
            // The form is below the list: brought into view, its first field focused.
            if let Some(field) = leptos::prelude::document().get_element_by_id("name") {
                field.scroll_into_view();
                if let Ok(input) = wasm_bindgen::JsCast::dyn_into::<web_sys::HtmlElement>(field) {
                    let _ = input.focus();
                }
            }
        }
    };
    let every = source.every_minutes.map(|m| {
        i18n.t("admin.sources.every")
            .replace("{minutes}", &m.to_string())
    });
    let live = i18n
        .t("admin.sources.live")
        .replace("{n}", &source.live_offers.to_string());
    let backoff = (source.failures > 0).then(|| {
        i18n.t("admin.sources.failing")
            .replace("{n}", &source.failures.to_string())
            .replace(
                "{date}",
                &source
                    .next_poll_at
                    .map(|at| moment(i18n, at))
                    .unwrap_or_default(),
            )
    });
    view! {
        <li class="card source">
            <h2><bdi>{source.name.clone()}</bdi></h2>
            <p>
                <span class="badge">{i18n.t(kind_key(source.kind))}</span> " "
                {polled.then(|| view! {
                    <span class="badge">{i18n.t(if source.enabled { "admin.sources.enabled" } else { "admin.sources.disabled" })}</span>
                })}
            </p>
            {source.url.clone().map(|url| view! { <p class="muted"><bdi dir="ltr">{url}</bdi></p> })}
            <p>{every.map(|e| format!("{e} · "))}{live}</p>
            {backoff.map(|b| view! { <p class="notice" role="status">{b}</p> })}
            <h3>{i18n.t("admin.sources.last_run")}</h3>
            {match source.last_run.clone() {
                Some(run) => view! { <RunSummary run=run/> }.into_any(),
                None => view! { <p class="muted">{i18n.t("admin.sources.never")}</p> }.into_any(),
            }}
            <p class="actions">
                {polled.then(|| view! {
                    <button type="button" class="poll" on:click=poll>{i18n.t("admin.sources.poll")}</button> " "
                    <button type="button" class="secondary toggle" on:click=toggle.clone()>
                        {i18n.t(if source.enabled { "admin.sources.disable" } else { "admin.sources.enable" })}
                    </button> " "
                    <button type="button" class="secondary edit" on:click=edit.clone()>{i18n.t("admin.sources.edit")}</button> " "
                })}
                <button type="button" class="secondary history" aria-expanded=move || history.get().to_string()
                    on:click=move |_| history.update(|h| *h = !*h)>
                    {i18n.t("admin.sources.history")}
                </button>
            </p>
            {move || history.get().then(|| view! { <Runs id=id/> })}
        </li>
    }
}

/// The columns of a CSV source as the form writes them: "title=Poste, place=Ville+Région".
fn columns_text(columns: &Option<std::collections::BTreeMap<String, Vec<String>>>) -> String {
    columns
        .iter()
        .flatten()
        // A field read from the column of its own name goes without saying.
        .filter(|(field, names)| names.as_slice() != [field.as_str()])
        .map(|(field, names)| format!("{field}={}", names.join("+")))
        .collect::<Vec<_>>()
        .join(", ")
}

/// Adds a source (name, kind, address, period, and for a CSV file its columns), or changes
/// the one being edited (`editing`): the same form, filled with what the source says.
#[component]
fn SourceForm(reload: RwSignal<u32>, editing: RwSignal<Option<IngestSourceView>>) -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    let errors = FormErrors::new();
    let name = RwSignal::new(String::new());
    let url = RwSignal::new(String::new());
    let every = RwSignal::new("60".to_owned());
    let columns = RwSignal::new(String::new());
    let kind = RwSignal::new(IngestSourceKind::Feed);
    let reset = move || {
        name.set(String::new());
        url.set(String::new());
        every.set("60".to_owned());
        columns.set(String::new());
        kind.set(IngestSourceKind::Feed);
    };
    // Editing a source fills the form with it; leaving the edit empties it.
    Effect::new(move |_| {
        errors.clear();
        match editing.get() {
            Some(source) => {
                name.set(source.name.clone());
                url.set(source.url.clone().unwrap_or_default());
                every.set(
                    source
                        .every_minutes
                        .map(|m| m.to_string())
                        .unwrap_or_default(),
                );
                columns.set(columns_text(&source.columns));
                kind.set(source.kind);
            }
            None => reset(),
        }
    });
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        errors.clear();
        let mut body = serde_json::json!({
            "name": name.get_untracked(),
            "kind": kind.get_untracked(),
            "url": url.get_untracked(),
        });
        if let Ok(minutes) = every.get_untracked().trim().parse::<i64>() {
            body["every_minutes"] = minutes.into();
        }
        // "title=Poste, place=Ville+Région": each field and its columns.
        let spec = columns.get_untracked();
        if kind.get_untracked() == IngestSourceKind::Csv && !spec.trim().is_empty() {
            let mut map = serde_json::Map::new();
            for part in spec
                .split([',', ';', '\n'])
                .map(str::trim)
                .filter(|p| !p.is_empty())
            {
                let (field, names) = part.split_once('=').unwrap_or((part, ""));
                let names: Vec<String> = names.split('+').map(|n| n.trim().to_owned()).collect();
                map.insert(field.trim().to_owned(), names.into());
            }
            body["columns"] = map.into();
        }
        let edited = editing.get_untracked();
        if let Some(source) = &edited {
            body["enabled"] = source.enabled.into();
        }
        spawn_local(async move {
            let answer = match edited {
                Some(source) => session
                    .replace_ingest_source(source.id, body)
                    .await
                    .map(|_| ()),
                None => session.create_ingest_source(body).await.map(|_| ()),
            };
            match answer {
                Ok(()) => {
                    editing.set(None);
                    reset();
                    reload.update(|n| *n += 1);
                }
                Err(error) => errors.show(&error),
            }
        });
    };
    let heading = move || match editing.get() {
        Some(source) => i18n
            .t("admin.sources.editing")
            .replace("{name}", &source.name),
        None => i18n.t("admin.sources.add").to_owned(),
    };
    view! {
        <h2 id="source-form-title">{heading}</h2>
        <form on:submit=submit novalidate id="source-form" aria-labelledby="source-form-title">
            <FormAlert errors=errors/>
            <Field name="name" label="admin.sources.name" value=name errors=errors required=true hint="admin.sources.name.hint"/>
            <div class="field">
                <label for="kind">{move || i18n.t("admin.sources.kind")}</label>
                <select id="kind" on:change=move |ev| {
                    if let Ok(k) = IngestSourceKind::parse(&event_target_value(&ev)) { kind.set(k); }
                }>
                    {[IngestSourceKind::Feed, IngestSourceKind::JsonLd, IngestSourceKind::Csv].into_iter().map(|k| view! {
                        <option value=k.as_str() selected=move || kind.get() == k>{move || i18n.t(kind_key(k))}</option>
                    }).collect_view()}
                </select>
                {move || errors.message("kind").map(|m| view! { <p class="error">{m}</p> })}
            </div>
            <Field name="url" label="admin.sources.url" value=url errors=errors kind="url" required=true/>
            <Field name="every_minutes" label="admin.sources.every_minutes" value=every errors=errors kind="number"/>
            {move || (kind.get() == IngestSourceKind::Csv).then(|| view! {
                <Field name="columns" label="admin.sources.columns" value=columns errors=errors hint="admin.sources.columns.hint"/>
                {move || errors.fields.with(|f| f.iter().find(|e| e.field.starts_with("columns.")).map(|e| {
                    let key = format!("err.{}", e.code);
                    let text = if has(&key) { i18n.t(&key).to_owned() } else { e.message.clone() };
                    view! { <p class="error">{format!("{} — {text}", e.field.trim_start_matches("columns."))}</p> }
                }))}
            })}
            <p class="actions">
                <button type="submit">{move || i18n.t(if editing.get().is_some() { "admin.sources.save" } else { "admin.sources.add" })}</button>
                {move || editing.get().is_some().then(|| view! {
                    " " <button type="button" class="secondary" id="cancel-edit" on:click=move |_| editing.set(None)>{i18n.t("admin.sources.cancel")}</button>
                })}
            </p>
        </form>
    }
}

#[component]
pub fn AdminSources() -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    let reload = RwSignal::new(0u32);
    let editing: RwSignal<Option<IngestSourceView>> = RwSignal::new(None);
    let sources = LocalResource::new(move || {
        reload.track();
        async move { session.ingest_sources().await }
    });
    view! {
        <RoleGate roles=&[Role::Admin] refusal="admin.only">
            <crate::pages::admin::AdminTabs/>
            <h1>{move || i18n.t("admin.sources.title")}</h1>
            <p>{move || i18n.t("admin.sources.intro")}</p>
            {move || {
                // The cards are written in the language of the moment: drawn again when it changes.
                i18n.locale.track();
                match list_state(sources.get(), "admin.sources.none", move || reload.update(|n| *n += 1)) {
                Err(state) => state,
                Ok(items) => view! {
                    <ul class="cards" id="sources">
                        {items.into_iter().map(|s| view! { <SourceCard source=s reload=reload editing=editing/> }).collect_view()}
                    </ul>
                }.into_any(),
                }
            }}
            <SourceForm reload=reload editing=editing/>
        </RoleGate>
    }
}
