//! The admins' moderation of offers in the staff's app: the offers waiting (organisations not
//! yet verified), let go live or removed, and the reports of offers, dismissed or acted on by
//! removing the offer.

use leptos::prelude::*;
use leptos::task::spawn_local;
use shared::dto::offers::{OfferReportView, OfferView};
use shared::{ReportReason, Role};

use crate::api::use_session;
use crate::forms::Failures;
use crate::gate::{Paged, RoleGate};
use crate::i18n::{format_date, use_i18n};
use crate::pages::offers::kind_key;

pub fn reason_key(reason: ReportReason) -> &'static str {
    match reason {
        ReportReason::Fraud => "report.reason.fraud",
        ReportReason::Discrimination => "report.reason.discrimination",
        ReportReason::Expired => "report.reason.expired",
        ReportReason::Other => "report.reason.other",
    }
}

#[component]
pub fn Moderation() -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <RoleGate roles=&[Role::Admin] refusal="moderation.only">
            <crate::pages::admin::AdminTabs/>
            <h1>{move || i18n.t("moderation.title")}</h1>
            <Pending/>
            <Reports/>
        </RoleGate>
    }
}

#[component]
fn Pending() -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    let failures = Failures::get();
    let list = Paged::new(move |cursor| async move { session.pending_offers(cursor).await });
    let act = move |id: i64, approve: bool| {
        spawn_local(async move {
            let answer = if approve {
                session.approve_offer(id).await
            } else {
                session.remove_offer(id).await
            };
            failures.after(&answer);
            if answer.is_ok() {
                // Read again: what is left waiting, and its count.
                list.restart();
            }
        });
    };
    view! {
        <h2>{move || i18n.t("moderation.pending")}</h2>
        {move || match list.state("moderation.pending.none") {
            Err(state) => state,
            Ok(items) => view! {
                <ul class="cards" id="pending-offers">
                    {items.into_iter().map(|o: OfferView| {
                        let id = o.id;
                        view! {
                            <li class="card">
                                <h3><bdi>{o.title.clone()}</bdi></h3>
                                <p><bdi>{o.employer_name.clone()}</bdi> " · " {i18n.t(kind_key(o.kind))}</p>
                                <p class="description note-body" dir="auto">{o.description_text.chars().take(400).collect::<String>()}</p>
                                <p class="actions">
                                    <button type="button" class="approve" on:click=move |_| act(id, true)>{i18n.t("moderation.approve")}</button> " "
                                    <button type="button" class="secondary" on:click=move |_| act(id, false)>{i18n.t("moderation.remove")}</button>
                                </p>
                            </li>
                        }
                    }).collect_view()}
                </ul>
            }.into_any(),
        }}
        {list.more()}
    }
}

#[component]
fn Reports() -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    let failures = Failures::get();
    let list = Paged::new(move |cursor| async move { session.offer_reports(cursor).await });
    let act = move |report: i64, offer: i64, remove: bool| {
        spawn_local(async move {
            let answer = if remove {
                session.remove_offer(offer).await.map(|_| ())
            } else {
                session.dismiss_report(report).await.map(|_| ())
            };
            failures.after(&answer);
            if answer.is_ok() {
                list.restart();
            }
        });
    };
    view! {
        <h2>{move || i18n.t("moderation.reports")}</h2>
        {move || match list.state("moderation.reports.none") {
            Err(state) => state,
            Ok(items) => view! {
                <ul class="cards" id="offer-reports">
                    {items.into_iter().map(|r: OfferReportView| {
                        let (id, offer) = (r.id, r.offer_id);
                        view! {
                            <li class="card">
                                <h3><bdi>{r.offer_title.clone()}</bdi></h3>
                                <p><span class="badge">{i18n.t(reason_key(r.reason))}</span> " "
                                    <span class="muted">{format_date(i18n.locale.get_untracked(), r.created_at)}</span></p>
                                {r.comment.clone().map(|c| view! { <blockquote class="note-body" dir="auto">{c}</blockquote> })}
                                <p class="actions">
                                    <a href=format!("/offers/{offer}") target="_blank" rel="noopener">{i18n.t("moderation.see_offer")}</a> " "
                                    <button type="button" class="secondary" on:click=move |_| act(id, offer, false)>{i18n.t("moderation.dismiss")}</button> " "
                                    <button type="button" on:click=move |_| act(id, offer, true)>{i18n.t("moderation.remove")}</button>
                                </p>
                            </li>
                        }
                    }).collect_view()}
                </ul>
            }.into_any(),
        }}
        {list.more()}
    }
}
