//! One orientation result: the RIASEC hexagon, the code, the occupations and sectors that fit
//! and why, the change since the previous result, and the counselor's notes and action plan.

use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::components::A;
use leptos_router::hooks::use_params_map;
use shared::dto::orientation::{
    Comparison, Fit, NewNoteRequest, NewPlanStepRequest, OrientationResult, PlanStep,
    UpdatePlanStepRequest,
};
use shared::orientation::{MAX_AREA_SCORE, RiasecArea};
use shared::{AppointmentStatus, Role, StepStatus};

use crate::api::use_session;
use crate::forms::{Field, FormAlert, FormErrors};
use crate::gate::{RoleGate, failed, loading};
use crate::i18n::{I18n, colon, format_date, format_day, format_moment, isolated, list, use_i18n};

/// Catalogue key of an area's name.
pub fn area_key(area: RiasecArea) -> &'static str {
    match area {
        RiasecArea::Realistic => "area.realistic",
        RiasecArea::Investigative => "area.investigative",
        RiasecArea::Artistic => "area.artistic",
        RiasecArea::Social => "area.social",
        RiasecArea::Enterprising => "area.enterprising",
        RiasecArea::Conventional => "area.conventional",
    }
}

/// Catalogue key of a job zone: the preparation an occupation asks.
pub fn zone_key(zone: u8) -> &'static str {
    match zone {
        1 => "zone.1",
        2 => "zone.2",
        3 => "zone.3",
        4 => "zone.4",
        _ => "zone.5",
    }
}

/// "Your strongest interests, Social and Enterprising, are this occupation's", in the interface
/// language; `sector` picks the sector wording.
fn explain(i18n: I18n, fit: &Fit, sector: bool) -> String {
    let names: Vec<&str> = fit
        .shared_areas
        .iter()
        .map(|a| i18n.t(area_key(*a)))
        .collect();
    let (none, one, many) = if sector {
        ("fit.sector.none", "fit.sector.one", "fit.sector.many")
    } else {
        (
            "fit.occupation.none",
            "fit.occupation.one",
            "fit.occupation.many",
        )
    };
    match names.as_slice() {
        [] => i18n.t(none).to_owned(),
        [only] => i18n.t(one).replace("{areas}", only),
        names => i18n
            .t(many)
            .replace("{areas}", &list(i18n.locale.get(), names)),
    }
}

fn strength_key(fit: &Fit) -> &'static str {
    match fit.correlation {
        r if r >= 0.8 => "fit.strong",
        r if r >= 0.5 => "fit.good",
        _ => "fit.partial",
    }
}

/// Six scores on Holland's hexagon, R at the top and clockwise. Text beside it gives the same
/// figures to screen readers.
#[component]
fn Hexagon(
    scores: [u8; 6],
    /// The youth's name when staff look at it; `None` when she looks at her own.
    owner: Option<String>,
) -> impl IntoView {
    let i18n = use_i18n();
    // Its text alternative gives the six scores, and speaks to whoever looks: "your scores" to
    // the youth, "Amina's scores" to her counselor.
    let alternative = move || {
        let locale = i18n.locale.get();
        let of = match &owner {
            None => i18n.t("result.hexagon").to_owned(),
            Some(name) => i18n.t("result.hexagon.of").replace("{name}", name),
        };
        let out_of = i18n.t("result.out_of");
        let each: Vec<String> = RiasecArea::ALL
            .iter()
            .map(|a| {
                out_of
                    .replace("{area}", i18n.t(area_key(*a)))
                    .replace("{score}", &scores[a.index()].to_string())
                    .replace("{max}", &MAX_AREA_SCORE.to_string())
            })
            .collect();
        let each: Vec<&str> = each.iter().map(String::as_str).collect();
        format!("{of}{}{}", colon(locale), list(locale, &each))
    };
    const C: f64 = 150.0;
    const R: f64 = 100.0;
    // Whole SVG units are precise enough at this size, and formatting integers keeps the
    // float formatting machinery out of the bundle.
    let point = |i: usize, r: f64| {
        let angle = (-90.0 + 60.0 * i as f64).to_radians();
        (
            (C + r * angle.cos()).round() as i32,
            (C + r * angle.sin()).round() as i32,
        )
    };
    let ring = move |fraction: f64| {
        (0..6)
            .map(|i| {
                let (x, y) = point(i, R * fraction);
                format!("{x},{y}")
            })
            .collect::<Vec<_>>()
            .join(" ")
    };
    let shape = (0..6)
        .map(|i| {
            let (x, y) = point(i, R * f64::from(scores[i]) / f64::from(MAX_AREA_SCORE));
            format!("{x},{y}")
        })
        .collect::<Vec<_>>()
        .join(" ");
    view! {
        <svg class="hexagon" viewBox="0 0 300 300" role="img" aria-labelledby="hexagon-title" id="hexagon">
            <title id="hexagon-title">{alternative}</title>
            {[0.25, 0.5, 0.75, 1.0].map(|f| view! { <polygon class="grid" points=ring(f)/> })}
            {(0..6).map(|i| {
                let (x, y) = point(i, R);
                view! { <line class="grid" x1="150" y1="150" x2=x.to_string() y2=y.to_string()/> }
            }).collect_view()}
            <polygon class="profile" points=shape/>
            {RiasecArea::ALL.iter().enumerate().map(|(i, area)| {
                let (x, y) = point(i, R + 22.0);
                view! {
                    <text x=x.to_string() y=(y + 5).to_string() text-anchor="middle">
                        {area.letter().to_string()}
                    </text>
                }
            }).collect_view()}
        </svg>
    }
}

#[component]
pub fn ResultPage() -> impl IntoView {
    let params = use_params_map();
    let id = move || {
        params
            .with(|p| p.get("id").and_then(|v| v.parse::<i64>().ok()))
            .unwrap_or(0)
    };
    view! {
        <RoleGate roles=&[Role::Youth, Role::Counselor, Role::Admin] refusal="orientation.only">
            {move || view! { <ResultView id=id()/> }}
        </RoleGate>
    }
}

#[component]
fn ResultView(id: i64) -> impl IntoView {
    let session = use_session();
    let reload = RwSignal::new(0u32);
    let result = LocalResource::new(move || {
        reload.track();
        async move { session.result(id).await }
    });
    let comparison = LocalResource::new(move || async move { session.comparison(id).await });
    // The sectors' figures, read once for the page: the recommendations below are drawn again
    // whenever the result or its comparison arrives, and each drawing would ask again.
    provide_context(SectorFiguresRead(LocalResource::new(
        crate::api::sector_figures,
    )));
    let staff = move || {
        session.user.with(|u| {
            u.as_ref()
                .is_some_and(|u| matches!(u.role, Role::Counselor | Role::Admin))
        })
    };
    move || match result.get() {
        None => loading().into_any(),
        Some(Err(error)) => failed(&error, "result.missing", move || result.refetch()),
        Some(Ok(r)) => {
            let compared = comparison.get().and_then(Result::ok);
            view! {
                <Summary r=r.clone() staff=staff()/>
                {compared.map(|c| view! { <Change c=c/> })}
                <Recommendations r=r.clone()/>
                <Follow r=r staff=staff() reload=reload/>
            }
            .into_any()
        }
    }
}

#[component]
fn Summary(r: OrientationResult, staff: bool) -> impl IntoView {
    let i18n = use_i18n();
    let s = r.summary.scores.to_array();
    let heading = if staff {
        format!("{} — {}", i18n.t("result.of"), r.summary.user_name)
    } else {
        i18n.t("result.title").to_owned()
    };
    let date = format_date(i18n.locale.get_untracked(), r.summary.created_at);
    view! {
        <h1>{heading}</h1>
        <p class="muted">{date}</p>
        <div class="profile-summary">
            <Hexagon scores=s owner=staff.then(|| r.summary.user_name.clone())/>
            <div>
                <p class="code">{i18n.t("result.code")} " " <bdi><strong id="holland-code">{r.summary.code.clone()}</strong></bdi></p>
                <table class="scores">
                    <caption>{i18n.t("result.scores")}</caption>
                    <tbody>
                        {RiasecArea::ALL.iter().map(|a| view! {
                            <tr>
                                <th scope="row">{a.letter().to_string()} " — " {i18n.t(area_key(*a))}</th>
                                <td>{s[a.index()]} " / " {MAX_AREA_SCORE}</td>
                            </tr>
                        }).collect_view()}
                    </tbody>
                </table>
            </div>
        </div>
        {r.summary.flat.then(|| view! { <p class="alert" id="flat-profile">{i18n.t("result.flat")}</p> })}
    }
}

#[component]
fn Change(c: Comparison) -> impl IntoView {
    let i18n = use_i18n();
    let (Some(previous), Some(changes)) = (c.previous, c.changes) else {
        return ().into_any();
    };
    let date = format_date(i18n.locale.get_untracked(), previous.created_at);
    let changes = changes.to_array();
    view! {
        <section id="comparison">
            <h2>{i18n.t("result.compare")}</h2>
            <p id="compare-line">{isolated(
                i18n.t("result.compare.line"),
                &[("date", date), ("before", previous.code.clone()), ("after", c.current.code.clone())],
            )}</p>
            <ul class="changes">
                {RiasecArea::ALL.iter().map(|a| {
                    let d = changes[a.index()];
                    let sign = if d > 0 { "+" } else { "" };
                    view! { <li>{i18n.t(area_key(*a))} " " <bdi>{format!("{sign}{d}")}</bdi></li> }
                }).collect_view()}
            </ul>
        </section>
    }
    .into_any()
}

#[component]
fn Recommendations(r: OrientationResult) -> impl IntoView {
    let i18n = use_i18n();
    let locale = i18n.locale.get_untracked();
    view! {
        <section id="occupations">
            <h2>{i18n.t("result.occupations")}</h2>
            {r.max_job_zone.map(|z| view! { <p class="muted">{i18n.t("result.filtered")} " " {i18n.t(zone_key(z))}</p> })}
            <ol class="matches">
                {r.occupations.into_iter().map(|m| view! {
                    <li class="card">
                        <h3><A href=format!("/occupations/{}", m.occupation.isco08)>{m.occupation.title.get(locale).to_owned()}</A></h3>
                        <p>
                            <span class="badge">{i18n.t(strength_key(&m.fit))}</span> " "
                            <bdi class="badge">{m.occupation.code.clone()}</bdi> " "
                            <span class="badge">{i18n.t(zone_key(m.occupation.job_zone))}</span>
                        </p>
                        <p class="why">{explain(i18n, &m.fit, false)}</p>
                    </li>
                }).collect_view()}
            </ol>
        </section>
        <section id="sectors">
            <h2>{i18n.t("result.sectors")}</h2>
            {if r.sectors.is_empty() {
                view! { <p>{i18n.t("result.sectors.none")}</p> }.into_any()
            } else {
                view! { <SectorCards matches=r.sectors/> }.into_any()
            }}
        </section>
        <section id="offers">
            <h2>{i18n.t("result.offers")}</h2>
            {if r.offers.is_empty() {
                view! { <p>{i18n.t("result.offers.none")}</p> }.into_any()
            } else {
                view! {
                    <ul class="cards">
                        {r.offers.into_iter().map(|o| view! {
                            <li class="card">
                                <h3 dir="auto"><A href=format!("/offers/{}", o.id)>{o.title}</A></h3>
                                <p dir="auto">{crate::pages::offers::employer_label(i18n, &o.employer_name)}</p>
                            </li>
                        }).collect_view()}
                    </ul>
                }.into_any()
            }}
            <p><A href="/offers">{i18n.t("result.offers.all")}</A></p>
        </section>
        <section id="events">
            <h2>{i18n.t("result.events")}</h2>
            {if r.events.is_empty() {
                view! { <p>{i18n.t("result.events.none")}</p> }.into_any()
            } else {
                view! {
                    <ul class="cards">
                        {r.events.into_iter().map(|e| {
                            let lang = e.title.language_of_best(locale).as_str();
                            let title = e.title.best(locale).unwrap_or_default().to_owned();
                            view! {
                                <li class="card">
                                    <h3 lang=lang dir="auto"><A href=format!("/events/{}", e.id)>{title}</A></h3>
                                    <p>{format_moment(locale, e.starts_at)}</p>
                                    {e.online.then(|| view! { <p class="muted">{i18n.t("result.events.online")}</p> })}
                                </li>
                            }
                        }).collect_view()}
                    </ul>
                }.into_any()
            }}
            <p><A href="/events">{i18n.t("result.events.all")}</A></p>
        </section>
    }
}

/// Notes and the action plan; staff add to them, the youth ticks steps off.
#[component]
fn Follow(r: OrientationResult, staff: bool, reload: RwSignal<u32>) -> impl IntoView {
    let i18n = use_i18n();
    let result_id = r.summary.id;
    view! {
        <section id="plan">
            <h2>{i18n.t("plan.title")}</h2>
            {if r.plan.is_empty() {
                view! { <p>{i18n.t("plan.empty")}</p> }.into_any()
            } else {
                view! {
                    <ul class="steps">
                        {r.plan.into_iter().map(|step| view! { <Step step=step reload=reload/> }).collect_view()}
                    </ul>
                }.into_any()
            }}
            {staff.then(|| view! { <NewStep result_id=result_id reload=reload/> })}
        </section>
        <section id="meetings">
            <h2>{i18n.t("result.meetings")}</h2>
            {if r.meetings.is_empty() {
                view! { <p>{i18n.t("result.meetings.none")}</p> }.into_any()
            } else {
                view! {
                    <ul class="notes">
                        {r.meetings.into_iter().map(|m| {
                            let when = format_moment(i18n.locale.get_untracked(), m.starts_at);
                            let key = if m.status == AppointmentStatus::NoShow { "result.meetings.no_show" } else { "result.meetings.held" };
                            view! {
                                <li class="card">
                                    <p class="muted">{m.counselor_name} " — " {when} " " <span class="badge">{i18n.t(key)}</span></p>
                                    {m.outcome.map(|o| view! { <p class="note-body" dir="auto">{o}</p> })}
                                </li>
                            }
                        }).collect_view()}
                    </ul>
                }.into_any()
            }}
            {(!staff).then(|| view! { <p><a href="/appointments" rel="external">{i18n.t("result.meetings.book")}</a></p> })}
        </section>
        <section id="notes">
            <h2>{i18n.t("notes.title")}</h2>
            {if r.notes.is_empty() {
                view! { <p>{i18n.t("notes.empty")}</p> }.into_any()
            } else {
                view! {
                    <ul class="notes">
                        {r.notes.into_iter().map(|n| {
                            let date = format_date(i18n.locale.get_untracked(), n.created_at);
                            view! {
                                <li class="card">
                                    <p class="muted">{n.author_name} " — " {date}
                                        {n.private.then(|| view! { " " <span class="badge">{i18n.t("notes.private")}</span> })}
                                    </p>
                                    <p class="note-body">{n.body}</p>
                                </li>
                            }
                        }).collect_view()}
                    </ul>
                }.into_any()
            }}
            {staff.then(|| view! { <NewNote result_id=result_id reload=reload/> })}
        </section>
    }
}

#[component]
fn Step(step: PlanStep, reload: RwSignal<u32>) -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    let failures = crate::forms::Failures::get();
    let done = step.status == StepStatus::Done;
    let id = step.id;
    let toggle = move |_| {
        let request = UpdatePlanStepRequest {
            status: Some(if done {
                StepStatus::Todo
            } else {
                StepStatus::Done
            }),
            ..Default::default()
        };
        spawn_local(async move {
            let result = session.update_step(id, &request).await;
            failures.after(&result);
            if result.is_ok() {
                reload.update(|n| *n += 1);
            }
        });
    };
    let checkbox_id = format!("step-{id}");
    view! {
        <li class="step">
            <input type="checkbox" id=checkbox_id.clone() checked=done on:change=toggle/>
            <label for=checkbox_id>{step.title}</label>
            {step.due_on.map(|d| view! { " " <span class="badge">{i18n.t("plan.due")} " " {format_day(i18n.locale.get_untracked(), d)}</span> })}
        </li>
    }
}

/// The `YYYY-MM-DD` of a date input, read by hand: chrono's format parser is heavy for the
/// bundle and the input's format is fixed.
fn parse_date(text: &str) -> Option<chrono::NaiveDate> {
    let mut parts = text.splitn(3, '-').map(|p| p.parse::<u32>().ok());
    let (y, m, d) = (parts.next()??, parts.next()??, parts.next()??);
    chrono::NaiveDate::from_ymd_opt(y as i32, m, d)
}

#[component]
fn NewStep(result_id: i64, reload: RwSignal<u32>) -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    let title = RwSignal::new(String::new());
    let due = RwSignal::new(String::new());
    let errors = FormErrors::new();
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        errors.clear();
        let request = NewPlanStepRequest {
            title: title.get_untracked(),
            due_on: parse_date(&due.get_untracked()),
        };
        spawn_local(async move {
            match session.add_step(result_id, &request).await {
                Ok(_) => {
                    title.set(String::new());
                    due.set(String::new());
                    reload.update(|n| *n += 1);
                }
                Err(error) => errors.show(&error),
            }
        });
    };
    view! {
        <form on:submit=submit novalidate id="step-form">
            <h3>{move || i18n.t("plan.add")}</h3>
            <FormAlert errors=errors/>
            <Field name="title" label="plan.step" value=title errors=errors required=true/>
            <Field name="due_on" label="plan.due" value=due errors=errors kind="date"/>
            <button type="submit">{move || i18n.t("plan.add")}</button>
        </form>
    }
}

#[component]
fn NewNote(result_id: i64, reload: RwSignal<u32>) -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    let body = RwSignal::new(String::new());
    let private = RwSignal::new(false);
    let errors = FormErrors::new();
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        errors.clear();
        let request = NewNoteRequest {
            body: body.get_untracked(),
            private: private.get_untracked(),
        };
        spawn_local(async move {
            match session.add_note(result_id, &request).await {
                Ok(_) => {
                    body.set(String::new());
                    private.set(false);
                    reload.update(|n| *n += 1);
                }
                Err(error) => errors.show(&error),
            }
        });
    };
    view! {
        <form on:submit=submit novalidate id="note-form">
            <h3>{move || i18n.t("notes.add")}</h3>
            <FormAlert errors=errors/>
            <div class="field">
                <label for="note-body">{move || i18n.t("notes.body")}</label>
                <textarea id="note-body" rows="4"
                    aria-invalid=move || if errors.message("body").is_some() { "true" } else { "false" }
                    prop:value=move || body.get()
                    on:input=move |ev| body.set(event_target_value(&ev))></textarea>
                {move || errors.message("body").map(|m| view! { <p class="error">{m}</p> })}
            </div>
            <label class="checkbox">
                <input type="checkbox" id="note-private" prop:checked=move || private.get()
                    on:change=move |ev| private.set(event_target_checked(&ev))/>
                {move || i18n.t("notes.private.label")}
            </label>
            <button type="submit">{move || i18n.t("notes.add")}</button>
        </form>
    }
}

/// A sector's open offers and its last 30 days against the 30 before, in one line.
pub fn figures_line(i18n: I18n, f: &shared::dto::orientation::SectorFigures) -> String {
    if f.live_offers == 0 && f.last_30_days == 0 && f.previous_30_days == 0 {
        return i18n.t("figures.none").to_owned();
    }
    let trend = match f.last_30_days.cmp(&f.previous_30_days) {
        std::cmp::Ordering::Greater => "figures.up",
        std::cmp::Ordering::Less => "figures.down",
        std::cmp::Ordering::Equal => "figures.steady",
    };
    i18n.t("figures.line")
        .replace("{live}", &f.live_offers.to_string())
        .replace("{last}", &f.last_30_days.to_string())
        .replace("{previous}", &f.previous_30_days.to_string())
        .replace("{trend}", i18n.t(trend))
}

/// The figures of sector `code` among `all`, as a line (nothing while they load or when they
/// cannot be read: the page says the rest).
pub fn figures_of(
    i18n: I18n,
    all: &Option<Vec<shared::dto::orientation::SectorFigures>>,
    code: &str,
) -> Option<String> {
    all.as_ref()?
        .iter()
        .find(|f| f.code == code)
        .map(|f| figures_line(i18n, f))
}

/// The growth sectors' figures, as the result page reads them.
#[derive(Clone, Copy)]
struct SectorFiguresRead(
    LocalResource<Result<Vec<shared::dto::orientation::SectorFigures>, crate::api::ApiError>>,
);

/// The sectors a result recommends, each with why and what its offers say.
#[component]
fn SectorCards(matches: Vec<shared::dto::orientation::SectorMatch>) -> impl IntoView {
    let i18n = use_i18n();
    let figures = use_context::<SectorFiguresRead>();
    let figures = move || figures.and_then(|f| f.0.get()).and_then(Result::ok);
    let locale = i18n.locale.get_untracked();
    view! {
        <ul class="cards">
            {matches.into_iter().map(|m| {
                let code = m.sector.code.clone();
                view! {
                    <li class="card">
                        <h3><A href=format!("/sectors/{}", m.sector.code)>{m.sector.name.get(locale).to_owned()}</A></h3>
                        <p class="why">{explain(i18n, &m.fit, true)}</p>
                        {move || figures_of(i18n, &figures(), &code).map(|line| view! { <p class="muted figures">{line}</p> })}
                    </li>
                }
            }).collect_view()}
        </ul>
    }
}
