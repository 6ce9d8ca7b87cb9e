//! `/offers` and `/organizations/{id}/offers`: jobs, internships and immersions.

use actix_web::{HttpResponse, get, post, put, web};
use shared::dto::Page;
use shared::dto::offers::{
    BatchOutcome, BatchResult, OfferBatch, OfferInput, OfferReportView, OfferSearchResult,
    OfferView, ReportOfferRequest,
};

use crate::auth::{Caller, CurrentUser, Visitor};
use crate::error::ApiResult;
use crate::extract::{BatchBody, JsonBody, QueryInLanguage, QueryParams};
use crate::services::offer_feeds::{self, FeedFormat, FeedLanguage};
use crate::services::offer_reports::{self, ReportListQuery};
use crate::services::offer_search::{self, OfferSearchQuery};
use crate::services::offers::{self, Decision, OfferListQuery};
use crate::state::AppState;

/// Lists the live offers, newest first. Admins list the offers of any `status`
/// (`pending`: the moderation queue).
#[utoipa::path(tag = "offers", security((), ("bearer" = []), ("api_key" = [])), params(OfferListQuery), responses(
    (status = 200, description = "One page of offers", body = Page<OfferView>),
))]
#[get("")]
pub async fn list_offers(
    state: web::Data<AppState>,
    visitor: Visitor,
    query: QueryParams<OfferListQuery>,
) -> ApiResult<web::Json<Page<OfferView>>> {
    Ok(web::Json(
        offers::live(&state, visitor.0.as_ref(), &query.0).await?,
    ))
}

/// The RSS 2.0 feed of a search: the same words and filters as `/offers/search`, its newest
/// offers first (50 unless `limit` says otherwise), each linking to its page; its own words
/// (title, places, kinds) in `lang`. Open to everyone.
#[utoipa::path(tag = "offers", security(()), params(OfferSearchQuery, FeedLanguage), responses(
    (status = 200, description = "The feed", content_type = "application/rss+xml", body = String),
))]
#[get("/feed.rss")]
pub async fn offers_feed(
    state: web::Data<AppState>,
    query: QueryInLanguage<OfferSearchQuery>,
) -> ApiResult<HttpResponse> {
    feed_response(&state, query, FeedFormat::Rss).await
}

/// The same feed in Atom (RFC 4287), for readers that prefer it.
#[utoipa::path(tag = "offers", security(()), params(OfferSearchQuery, FeedLanguage), responses(
    (status = 200, description = "The feed", content_type = "application/atom+xml", body = String),
))]
#[get("/feed.atom")]
pub async fn offers_atom_feed(
    state: web::Data<AppState>,
    query: QueryInLanguage<OfferSearchQuery>,
) -> ApiResult<HttpResponse> {
    feed_response(&state, query, FeedFormat::Atom).await
}

async fn feed_response(
    state: &AppState,
    QueryInLanguage(query, locale): QueryInLanguage<OfferSearchQuery>,
    format: FeedFormat,
) -> ApiResult<HttpResponse> {
    let feed = offer_feeds::feed(state, query, locale, format).await?;
    Ok(HttpResponse::Ok()
        .content_type(format.content_type())
        .insert_header((
            actix_web::http::header::CACHE_CONTROL,
            "public, max-age=300",
        ))
        .body(feed))
}

/// Searches the live offers: words in French, Arabic or English, filters, the counts of each
/// filter's values (`facets`), by relevance or by date. Open to everyone.
#[utoipa::path(tag = "offers", security((), ("bearer" = []), ("api_key" = [])), params(OfferSearchQuery), responses(
    (status = 200, description = "One page of matching offers, their number and the filters' counts", body = OfferSearchResult),
))]
#[get("/search")]
pub async fn search_offers(
    state: web::Data<AppState>,
    query: QueryParams<OfferSearchQuery>,
) -> ApiResult<web::Json<OfferSearchResult>> {
    Ok(web::Json(offer_search::search(&state, &query.0).await?))
}

/// Lets a pending offer go live (admins: the moderation queue).
#[utoipa::path(tag = "offers", security(("bearer" = [])), params(("id" = i64, Path, description = "Offer id")), responses(
    (status = 200, description = "The offer, live", body = OfferView),
    (status = 409, description = "The offer is not pending, or past its date"),
))]
#[post("/{id}/approval")]
pub async fn approve_offer(
    state: web::Data<AppState>,
    caller: Caller,
    id: web::Path<i64>,
) -> ApiResult<web::Json<OfferView>> {
    Ok(web::Json(
        offers::decide(&state, &caller, *id, Decision::Approve).await?,
    ))
}

/// Takes an offer down for good (admins: fraud, discrimination…); sent again by its
/// organisation, it stays down.
#[utoipa::path(tag = "offers", security(("bearer" = [])), params(("id" = i64, Path, description = "Offer id")), responses(
    (status = 200, description = "The offer, removed", body = OfferView),
    (status = 409, description = "The offer is already removed"),
))]
#[post("/{id}/removal")]
pub async fn remove_offer(
    state: web::Data<AppState>,
    caller: Caller,
    id: web::Path<i64>,
) -> ApiResult<web::Json<OfferView>> {
    Ok(web::Json(
        offers::decide(&state, &caller, *id, Decision::Remove).await?,
    ))
}

/// Takes an offer down (its organisation's members and key, admins); sent again with changes,
/// it comes back.
#[utoipa::path(tag = "offers", security(("bearer" = []), ("api_key" = [])), params(("id" = i64, Path, description = "Offer id")), responses(
    (status = 200, description = "The offer, withdrawn", body = OfferView),
    (status = 409, description = "The offer is expired, withdrawn or removed"),
))]
#[post("/{id}/withdrawal")]
pub async fn withdraw_offer(
    state: web::Data<AppState>,
    caller: Caller,
    id: web::Path<i64>,
) -> ApiResult<web::Json<OfferView>> {
    Ok(web::Json(
        offers::decide(&state, &caller, *id, Decision::Withdraw).await?,
    ))
}

/// Changes one offer: the whole offer is sent again, as when it was posted (its organisation's
/// members and key with `offers:write`, admins). Without an `external_id`, an `employer_name` or
/// a `posted_at` it keeps its own. Changed by an organisation not yet verified, it waits
/// for the admins again; a withdrawn or expired offer given a later `valid_through` comes back;
/// one removed by the admins stays down.
#[utoipa::path(tag = "offers", security(("bearer" = []), ("api_key" = [])), params(("id" = i64, Path, description = "Offer id")), request_body = OfferInput, responses(
    (status = 200, description = "The offer, changed or as it was when nothing changed", body = OfferView),
    (status = 409, description = "The offer was removed by the admins, or another of the organisation's offers has this `external_id`"),
    (status = 405, description = "The id is not a number: `PUT /offers/search` names no offer"),
))]
// A number only: `PUT /offers/search` names no offer, and answers 405 as any undeclared method.
#[put("/{id:-?[0-9]+}")]
pub async fn edit_offer(
    state: web::Data<AppState>,
    caller: Caller,
    id: web::Path<i64>,
    body: JsonBody<OfferInput>,
) -> ApiResult<web::Json<OfferView>> {
    let (_, offer) = offers::edit(&state, &caller, *id, body).await?;
    Ok(web::Json(offer))
}

/// Reads one offer: a live or expired one for anyone; any status for its organisation's members
/// and keys, and admins (404 for anyone else, as for none).
#[utoipa::path(tag = "offers", security((), ("bearer" = []), ("api_key" = [])), params(("id" = i64, Path, description = "Offer id")), responses(
    (status = 200, description = "The offer", body = OfferView),
))]
#[get("/{id}")]
pub async fn get_offer(
    state: web::Data<AppState>,
    visitor: Visitor,
    id: web::Path<i64>,
) -> ApiResult<web::Json<OfferView>> {
    Ok(web::Json(
        offers::get(&state, visitor.0.as_ref(), *id).await?,
    ))
}

/// Posts one offer of the organisation: its members, its API key (`offers:write`), admins.
/// With an `external_id` the organisation already used, that offer is updated (200) or left
/// as it is when nothing changed (200).
#[utoipa::path(tag = "offers", security(("bearer" = []), ("api_key" = [])), params(("id" = i64, Path, description = "Organisation id")), request_body = OfferInput, responses(
    (status = 201, description = "The new offer", body = OfferView),
    (status = 200, description = "The offer of this `external_id`, updated or unchanged", body = OfferView),
))]
#[post("/{id}/offers")]
pub async fn create_offer(
    state: web::Data<AppState>,
    caller: Caller,
    id: web::Path<i64>,
    body: BatchBody<OfferInput>,
) -> ApiResult<HttpResponse> {
    let (outcome, offer) = offers::create(&state, &caller, *id, body.0).await?;
    Ok(match outcome {
        BatchOutcome::Created => HttpResponse::Created().json(offer),
        _ => HttpResponse::Ok().json(offer),
    })
}

/// Pushes up to 1,000 offers at once, each upserted by its `external_id`: a result per offer
/// (created, updated, unchanged, or rejected with its field errors), in one transaction. The
/// same batch twice changes nothing.
#[utoipa::path(tag = "offers", security(("bearer" = []), ("api_key" = [])), params(("id" = i64, Path, description = "Organisation id")), request_body = OfferBatch, responses(
    (status = 200, description = "A result per offer", body = BatchResult),
))]
#[post("/{id}/offers/batch")]
pub async fn push_offers(
    state: web::Data<AppState>,
    caller: Caller,
    id: web::Path<i64>,
    body: BatchBody<OfferBatch>,
) -> ApiResult<web::Json<BatchResult>> {
    Ok(web::Json(
        offers::batch(&state, &caller, *id, body.0).await?,
    ))
}

/// Lists the organisation's own offers, every status, newest first.
#[utoipa::path(tag = "offers", security(("bearer" = []), ("api_key" = [])), params(("id" = i64, Path, description = "Organisation id"), OfferListQuery), responses(
    (status = 200, description = "One page of the organisation's offers", body = Page<OfferView>),
))]
#[get("/{id}/offers")]
pub async fn list_organization_offers(
    state: web::Data<AppState>,
    caller: Caller,
    id: web::Path<i64>,
    query: QueryParams<OfferListQuery>,
) -> ApiResult<web::Json<Page<OfferView>>> {
    Ok(web::Json(
        offers::of_organization(&state, &caller, *id, &query.0).await?,
    ))
}

/// Reports an offer to the admins (fraud, discrimination, ended, other): anyone signed in who
/// can read it, once.
#[utoipa::path(tag = "offers", security(("bearer" = [])), params(("id" = i64, Path, description = "Offer id")), request_body = ReportOfferRequest, responses(
    (status = 201, description = "The report", body = OfferReportView),
    (status = 409, description = "Already reported by this person"),
))]
#[post("/{id}/reports")]
pub async fn report_offer(
    state: web::Data<AppState>,
    user: CurrentUser,
    id: web::Path<i64>,
    body: JsonBody<ReportOfferRequest>,
) -> ApiResult<HttpResponse> {
    let report = offer_reports::report(&state, &user, *id, body).await?;
    Ok(HttpResponse::Created().json(report))
}

/// Lists the reports of offers, oldest first (admins): the open ones, or `all`. An admin
/// removes the offer (`POST /offers/{id}/removal`, which resolves its reports) or dismisses a
/// report.
#[utoipa::path(tag = "offers", security(("bearer" = [])), params(ReportListQuery), responses(
    (status = 200, description = "One page of reports", body = Page<OfferReportView>),
))]
#[get("")]
pub async fn list_reports(
    state: web::Data<AppState>,
    user: CurrentUser,
    query: QueryParams<ReportListQuery>,
) -> ApiResult<web::Json<Page<OfferReportView>>> {
    Ok(web::Json(
        offer_reports::list(&state, &user, &query.0).await?,
    ))
}

/// Dismisses an open report (admins): the offer stays as it is.
#[utoipa::path(tag = "offers", security(("bearer" = [])), params(("id" = i64, Path, description = "Report id")), responses(
    (status = 200, description = "The report, resolved", body = OfferReportView),
    (status = 409, description = "Already resolved"),
))]
#[post("/{id}/dismissal")]
pub async fn dismiss_report(
    state: web::Data<AppState>,
    user: CurrentUser,
    id: web::Path<i64>,
) -> ApiResult<web::Json<OfferReportView>> {
    Ok(web::Json(offer_reports::dismiss(&state, &user, *id).await?))
}
