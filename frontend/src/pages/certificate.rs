//! A certificate of attendance at a soft-skills training, as anyone checks it from its code:
//! the page its holder prints or shares, and an employer opens to verify it.

use leptos::prelude::*;
use leptos_router::hooks::use_params_map;

use crate::api;
use crate::gate::{failed, loading};
use crate::i18n::{format_date, isolated, use_i18n};

#[component]
pub fn CertificatePage() -> impl IntoView {
    let i18n = use_i18n();
    let params = use_params_map();
    let certificate = LocalResource::new(move || {
        let code = params.with(|p| p.get("code").unwrap_or_default());
        async move { api::certificate(&code).await }
    });
    move || match certificate.get() {
        None => loading().into_any(),
        Some(Err(error)) => failed(&error, "cert.missing", move || certificate.refetch()),
        Some(Ok(c)) => {
            let locale = i18n.locale.get();
            let training = c.training.best(locale).unwrap_or_default().to_owned();
            let date = format_date(
                locale,
                c.held_on
                    .and_hms_opt(12, 0, 0)
                    .unwrap_or_default()
                    .and_utc(),
            );
            view! {
                <article class="certificate" id="certificate">
                    <p class="muted">{i18n.t("app.name")}</p>
                    <h1>{i18n.t("cert.title")}</h1>
                    <p class="certificate-body">{isolated(i18n.t("cert.body"), &[
                        ("holder", c.holder.clone()),
                        ("training", training),
                        ("organizer", c.organizer_name.clone()),
                        ("date", date),
                    ])}</p>
                    <p class="muted">{i18n.t("cert.code")} " " <bdi dir="ltr" translate="no" class="code">{c.code.clone()}</bdi></p>
                    <p class="muted">{i18n.t("cert.verify")}</p>
                    <button type="button" class="secondary no-print" on:click=move |_| { let _ = window().print(); }>
                        {i18n.t("cert.print")}
                    </button>
                </article>
            }
            .into_any()
        }
    }
}
