//! Offers: an organisation's jobs, internships and immersions, posted one at a time (members in
//! the web app, or a key) or pushed in batches by a partner's key with `offers:write`, each
//! upserted by the organisation's own `external_id`.
//!
//! A batch is one transaction: every valid offer is created, updated or found unchanged, every
//! invalid one is listed with its field errors, and nothing of the batch is written if the
//! transaction fails. An offer is unchanged when the digest of what was sent (`content_hash`)
//! matches the stored one, so the same batch twice writes nothing. Offers of an organisation an
//! admin has not verified wait for moderation (`pending`); a verified one's are `live` until
//! they expire. An organisation's writes are serialised by a lock of its row, so the same
//! batch sent twice at once creates each offer once.

use std::collections::{HashMap, HashSet};

use chrono::{DateTime, SubsecRound as _, Utc};
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, DatabaseTransaction,
    EntityTrait, QueryFilter, QueryOrder, QuerySelect,
};
use serde_json::json;
use sha2::{Digest, Sha256};
use shared::dto::Page;
use shared::dto::offers::{
    BatchItemResult, BatchOutcome, BatchResult, MAX_BATCH, NewOffer, OfferBatch, OfferInput,
    OfferView, Publication,
};
use shared::validation::FieldErrors;
use shared::{
    ApiScope, Contract, InternshipType, OfferKind, OfferStatus, RequiredEducation, Role, codes,
};

use super::audit::{self, Actor};
use super::pagination;
use crate::auth::Caller;
use crate::entities::{commune, ingest_source, membership, offer, organization, region};
use crate::error::{ApiError, ApiResult, DbResultExt};
use crate::extract::JsonBody;
use crate::state::AppState;

/// Query of an organisation's offers, or of the live ones.
#[derive(Debug, Default, serde::Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct OfferListQuery {
    pub status: Option<OfferStatus>,
    pub kind: Option<OfferKind>,
    /// Page size, 1 to 100 (default 20).
    #[param(minimum = 1, maximum = 100)]
    pub limit: Option<u64>,
    /// `next_cursor` of the previous page (its form: `1` then thirty-two hex digits).
    #[param(pattern = "pair_cursor")]
    pub cursor: Option<String>,
}

/// 403 unless the caller's role or key may write offers at all: employers, partners and admins,
/// keys with `offers:write`. Which organisation's offers is decided after (404 for another's).
fn may_write_offers(caller: &Caller) -> ApiResult<()> {
    match caller {
        Caller::User(user) => user.require(&[Role::Employer, Role::Partner, Role::Admin]),
        Caller::ApiKey(key) => key.require(ApiScope::OffersWrite),
    }
}

/// The organisation `id` if the caller may write its offers: its members (employers and
/// partners, owners or not), its keys with `offers:write`, admins. Anyone else who may post
/// offers gets 404 as for an organisation that does not exist; other roles 403. Decided before
/// any body is read.
async fn writable(state: &AppState, caller: &Caller, id: i64) -> ApiResult<organization::Model> {
    may_write_offers(caller)?;
    let allowed = match caller {
        Caller::User(user) if user.role() == Role::Admin => true,
        Caller::User(user) => membership::Entity::find_by_id((id, user.id()))
            .one(&state.db)
            .await?
            .is_some(),
        Caller::ApiKey(key) => key.organization_id == id,
    };
    if !allowed {
        return Err(ApiError::NotFound);
    }
    organization::Entity::find_by_id(id)
        .one(&state.db)
        .await?
        .ok_or(ApiError::NotFound)
}

fn actor(caller: &Caller) -> Actor {
    match caller {
        Caller::User(user) => Actor::User(user.id()),
        Caller::ApiKey(key) => Actor::ApiKey(key.key_id),
    }
}

fn source(caller: &Caller) -> &'static str {
    match caller {
        Caller::User(_) => "employer",
        Caller::ApiKey(_) => "partner",
    }
}

/// The sanitiser's rules, part of each offer's digest: when they change, an offer sent again
/// unchanged is cleaned again instead of keeping what the old rules made of it.
const SANITISER: u32 = 2;

/// Whether a description is HTML: a tag's opening (`<p`, `</`, `<!--`), not a mere `<` as in
/// "salaire <5000 DH".
fn is_html(text: &str) -> bool {
    text.as_bytes()
        .windows(2)
        .any(|w| w[0] == b'<' && (w[1].is_ascii_alphabetic() || w[1] == b'/' || w[1] == b'!'))
}

/// The sanitised HTML of a description and its plain-text twin. Plain text becomes paragraphs
/// and line breaks; HTML keeps paragraphs, line breaks, lists, emphasis, headings and absolute
/// links (`http`, `https`, `mailto`, opened without the referrer and marked `nofollow`);
/// scripts, styles, event handlers, images, relative links and everything else go. The twin is
/// text, not HTML: whoever shows it as HTML must escape it.
pub fn sanitise(description: &str) -> (String, String) {
    let description = description.replace("\r\n", "\n");
    let html = if is_html(&description) {
        description
    } else {
        description
            .split("\n\n")
            .map(str::trim)
            .filter(|p| !p.is_empty())
            .map(|p| format!("<p>{}</p>", escape(p).replace('\n', "<br>")))
            .collect()
    };
    let tags: HashSet<&str> = [
        "p", "br", "ul", "ol", "li", "strong", "em", "b", "i", "u", "h3", "h4", "a",
    ]
    .into_iter()
    .collect();
    let clean = ammonia::Builder::default()
        .tags(tags)
        .url_schemes(["http", "https", "mailto"].into_iter().collect())
        .url_relative(ammonia::UrlRelative::Deny)
        .link_rel(Some("noopener noreferrer nofollow ugc"))
        .clean(&html)
        .to_string();
    // The twin: each block on its own line, tags dropped, the serializer's escapes undone.
    let spaced = ["</p>", "<br>", "</li>", "</h3>", "</h4>", "</ul>", "</ol>"]
        .iter()
        .fold(clean.clone(), |text, end| {
            text.replace(end, &format!("{end}\n"))
        });
    let bare = ammonia::Builder::empty().clean(&spaced).to_string();
    let text = bare
        .replace("&nbsp;", " ")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&amp;", "&");
    let text = text
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .collect::<Vec<_>>()
        .join("\n");
    (clean, text)
}

fn escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

/// The digest of an offer as sent: the same offer sent again has the same one.
pub(crate) fn digest(offer: &NewOffer, employer: &str) -> String {
    let canonical = json!({
        "kind": offer.kind, "internship": offer.internship, "contract": offer.contract,
        "title": offer.title, "description": offer.description, "employer": employer,
        "commune": offer.commune_code, "region": offer.region_code, "remote": offer.remote,
        "sector": offer.sector, "isco08": offer.isco08, "education": offer.education,
        "experience": offer.experience_years, "salary": [offer.salary_min, offer.salary_max],
        "posted": offer.posted_at, "valid_through": offer.valid_through, "url": offer.url,
        "apply": offer.apply_in_platform, "sanitiser": SANITISER,
    });
    let bytes = Sha256::digest(canonical.to_string().as_bytes());
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// The places and codes an offer may name, read once for a batch.
pub(crate) struct Known {
    communes: HashMap<String, String>,
    regions: HashSet<String>,
}

impl Known {
    pub(crate) async fn load(db: &impl ConnectionTrait) -> ApiResult<Self> {
        Ok(Self {
            communes: commune::Entity::find()
                .all(db)
                .await?
                .into_iter()
                .map(|c| (c.code, c.region_code))
                .collect(),
            regions: region::Entity::find()
                .all(db)
                .await?
                .into_iter()
                .map(|r| r.code)
                .collect(),
        })
    }
}

/// Checks the codes an offer names against the reference: the commune (its region follows, or
/// must agree), the region, the sector, the occupation.
pub(crate) fn check_codes(
    state_reference: &crate::reference::Reference,
    known: &Known,
    offer: &mut NewOffer,
) -> Result<(), FieldErrors> {
    let mut errors = FieldErrors::new();
    if let Some(code) = &offer.commune_code {
        match known.communes.get(code) {
            None => errors.push(
                "commune_code",
                codes::COMMUNE_UNKNOWN,
                "is not a commune code (see /api/v1/communes)",
            ),
            Some(region) if offer.region_code.as_ref().is_some_and(|r| r != region) => errors.push(
                "commune_code",
                codes::COMMUNE_OTHER_REGION,
                "this commune is in another region",
            ),
            Some(region) => offer.region_code = Some(region.clone()),
        }
    } else if let Some(code) = &offer.region_code
        && !known.regions.contains(code)
    {
        errors.push(
            "region_code",
            codes::REGION_UNKNOWN,
            "is not a region code (see /api/v1/regions)",
        );
    }
    if let Some(sector) = &offer.sector
        && state_reference.sector(sector).is_err()
    {
        errors.push(
            "sector",
            codes::SECTOR_UNKNOWN,
            "is not a growth sector (see /api/v1/sectors)",
        );
    }
    if let Some(isco08) = &offer.isco08
        && state_reference.occupation(isco08).is_err()
    {
        errors.push(
            "isco08",
            codes::OCCUPATION_UNKNOWN,
            "is not an ISCO-08 unit group (see /api/v1/occupations)",
        );
    }
    errors.finish(|| ())
}

/// The status an offer takes when written: pending while its organisation is not verified
/// (`verified`: a gathered offer's source is an admin's choice), else expired past its date,
/// live otherwise; removed by an admin, it stays removed.
pub(crate) fn status_for(
    verified: bool,
    expires_at: DateTime<Utc>,
    now: DateTime<Utc>,
    before: Option<&str>,
) -> OfferStatus {
    // Unverified, it waits for an admin whatever its date: only what was once live may be
    // read as expired by everyone.
    if before == Some(OfferStatus::Removed.as_str()) {
        OfferStatus::Removed
    } else if !verified {
        OfferStatus::Pending
    } else if expires_at <= now {
        OfferStatus::Expired
    } else {
        OfferStatus::Live
    }
}

pub(crate) fn write(
    row: &mut offer::ActiveModel,
    p: &Prepared,
    posted_at: DateTime<Utc>,
    (was_live, status): (bool, OfferStatus),
    now: DateTime<Utc>,
) {
    let o = &p.offer;
    // Put live here now (new, approved meanwhile, back after a withdrawal or past its date):
    // new to the youths from now.
    if status == OfferStatus::Live && !was_live {
        row.listed_at = Set(Some(now));
    }
    row.employer_name = Set(p.employer.clone());
    row.kind = Set(o.kind.as_str().to_owned());
    row.internship = Set(o.internship.map(|i| i.as_str().to_owned()));
    row.contract = Set(o.contract.map(|c| c.as_str().to_owned()));
    row.title = Set(o.title.clone());
    row.description_html = Set(p.html.clone());
    row.description_text = Set(p.text.clone());
    row.commune_code = Set(o.commune_code.clone());
    row.region_code = Set(o.region_code.clone());
    row.remote = Set(o.remote);
    row.sector_code = Set(o.sector.clone());
    row.isco08 = Set(o.isco08.clone());
    row.education = Set(o.education.map(|e| e.as_str().to_owned()));
    row.experience_years = Set(o.experience_years);
    row.salary_min = Set(o.salary_min);
    row.salary_max = Set(o.salary_max);
    row.posted_at = Set(posted_at);
    row.expires_at = Set(o.expires_at(posted_at));
    row.url = Set(o.url.clone());
    row.apply_in_platform = Set(o.apply_in_platform);
    row.status = Set(status.as_str().to_owned());
    row.content_hash = Set(p.hash.clone());
    row.updated_at = Set(now);
}

/// Whether `offer` is live for the youths now: marked live and not past its date (the expiry
/// job marks it every minute).
pub(crate) fn live_now(offer: &offer::Model, now: DateTime<Utc>) -> bool {
    offer.status == OfferStatus::Live.as_str() && offer.expires_at > now
}

/// An offer checked, cleaned and digested before any lock is taken: inside the transaction
/// only lookups and writes remain (on SQLite every other writer waits meanwhile).
pub(crate) struct Prepared {
    pub(crate) offer: NewOffer,
    pub(crate) employer: String,
    pub(crate) hash: String,
    pub(crate) html: String,
    pub(crate) text: String,
}

/// Checks `input` (a batch's items need an `external_id`) and cleans its description;
/// without an employer's name, the offer is `org`'s.
fn prepare(
    reference: &crate::reference::Reference,
    known: &Known,
    org: &organization::Model,
    input: &OfferInput,
    needs_external_id: bool,
    now: DateTime<Utc>,
) -> Result<Prepared, FieldErrors> {
    prepare_for(reference, known, &org.name, input, needs_external_id, now)
}

/// Checks `input` and cleans its description; without an employer's name, the offer is
/// `employer`'s (empty for a gathered offer whose source does not say).
pub(crate) fn prepare_for(
    reference: &crate::reference::Reference,
    known: &Known,
    employer: &str,
    input: &OfferInput,
    needs_external_id: bool,
    now: DateTime<Utc>,
) -> Result<Prepared, FieldErrors> {
    let mut offer = input.parse(now, needs_external_id)?;
    check_codes(reference, known, &mut offer)?;
    let (html, text) = sanitise(&offer.description);
    // Nothing left once cleaned (only an image, only a script): no description.
    if text.is_empty() {
        let mut errors = FieldErrors::new();
        errors.push(
            "description",
            codes::REQUIRED,
            "holds no text once scripts, images and other markup are removed",
        );
        return Err(errors);
    }
    let employer = offer
        .employer_name
        .clone()
        .unwrap_or_else(|| employer.to_owned());
    let hash = digest(&offer, &employer);
    Ok(Prepared {
        offer,
        employer,
        hash,
        html,
        text,
    })
}

/// Writes one prepared offer inside `txn` (the organisation's row locked): by `external_id`
/// when it has one, else created.
async fn store(
    txn: &impl ConnectionTrait,
    caller: &Caller,
    org: &organization::Model,
    p: &Prepared,
    now: DateTime<Utc>,
) -> ApiResult<(BatchOutcome, offer::Model)> {
    let existing = match &p.offer.external_id {
        Some(external) => {
            offer::Entity::find()
                .filter(offer::Column::OrganizationId.eq(org.id))
                .filter(offer::Column::ExternalId.eq(external.as_str()))
                .one(txn)
                .await?
        }
        None => None,
    };
    match existing {
        Some(found) if found.content_hash == p.hash => Ok((BatchOutcome::Unchanged, found)),
        Some(found) => {
            // Sent without a date, it keeps the one it was first published with.
            let posted_at = p.offer.posted_at.unwrap_or(found.posted_at);
            let status = status_for(
                org.verified_at.is_some(),
                p.offer.expires_at(posted_at),
                now,
                Some(&found.status),
            );
            let was_live = live_now(&found, now);
            let mut row: offer::ActiveModel = found.into();
            write(&mut row, p, posted_at, (was_live, status), now);
            Ok((BatchOutcome::Updated, row.update(txn).await?))
        }
        None => {
            // Whole seconds, as every moment a page's cursor carries.
            let posted_at = p.offer.posted_at.unwrap_or(now.trunc_subsecs(0));
            let status = status_for(
                org.verified_at.is_some(),
                p.offer.expires_at(posted_at),
                now,
                None,
            );
            let mut row = offer::ActiveModel {
                organization_id: Set(Some(org.id)),
                source: Set(source(caller).to_owned()),
                external_id: Set(p.offer.external_id.clone()),
                created_by: Set(match caller {
                    Caller::User(user) => Some(user.id()),
                    Caller::ApiKey(_) => None,
                }),
                created_at: Set(now),
                ..Default::default()
            };
            write(&mut row, p, posted_at, (false, status), now);
            Ok((BatchOutcome::Created, row.insert(txn).await?))
        }
    }
}

/// `input` checked and cleaned (with the reference and the known codes, outside any
/// transaction), then a write transaction holding organisation `org`'s row: one writer of an
/// organisation's offers at a time, in the order batches and decisions take it, so two posts
/// of one external id at once update the same offer instead of racing to insert it. The
/// organisation is the one read under the lock.
async fn prepared_under_lock(
    state: &AppState,
    org: &organization::Model,
    input: &OfferInput,
    now: DateTime<Utc>,
) -> ApiResult<(Prepared, DatabaseTransaction, organization::Model)> {
    let reference = state.reference().await?;
    let known = Known::load(&state.db).await?;
    let prepared =
        prepare(reference, &known, org, input, false, now).map_err(ApiError::Validation)?;
    let txn = crate::db::begin_write(&state.db).await?;
    let org = super::organizations::lock(&txn, org.id).await?;
    Ok((prepared, txn, org))
}

/// Ends a write of one offer: its audit row (unless nothing changed), the commit, the index
/// told, and the offer as its organisation sees it.
async fn written(
    state: &AppState,
    txn: DatabaseTransaction,
    caller: &Caller,
    outcome: BatchOutcome,
    row: offer::Model,
) -> ApiResult<(BatchOutcome, OfferView)> {
    let changed = outcome != BatchOutcome::Unchanged;
    if changed {
        audit::record(
            &txn,
            actor(caller),
            "offer.write",
            "offer",
            row.id,
            json!({"outcome": outcome}),
        )
        .await?;
    }
    txn.commit().await?;
    if changed {
        state.offers_written().await;
    }
    let view = views(&state.db, vec![row], true).await?.remove(0);
    Ok((outcome, view))
}

/// Posts one offer of organisation `id` (its members, its keys, admins); with an
/// `external_id` already used by the organisation, that offer is updated instead.
pub async fn create(
    state: &AppState,
    caller: &Caller,
    id: i64,
    body: JsonBody<OfferInput>,
) -> ApiResult<(BatchOutcome, OfferView)> {
    let org = writable(state, caller, id).await?;
    let input = body.read()?;
    let now = Utc::now();
    let (prepared, txn, org) = prepared_under_lock(state, &org, &input, now).await?;
    let (outcome, row) = store(&txn, caller, &org, &prepared, now).await?;
    written(state, txn, caller, outcome, row).await
}

/// Replaces offer `id` with `body`: its organisation's members and key with `offers:write`, and
/// admins (403 for another role or a key without the scope; 404 for another organisation's
/// offer, as for none; both before the body is read). Without an `external_id`, an
/// `employer_name` or a `posted_at` it keeps its own. Its status follows as for an update by
/// batch: an organisation not yet verified sends it back to the admins, a past date expires
/// it, a withdrawn or expired one comes back; a removed one stays down (409).
pub async fn edit(
    state: &AppState,
    caller: &Caller,
    id: i64,
    body: JsonBody<OfferInput>,
) -> ApiResult<(BatchOutcome, OfferView)> {
    may_write_offers(caller)?;
    let found = offer::Entity::find_by_id(id)
        .one(&state.db)
        .await?
        .ok_or(ApiError::NotFound)?;
    // An offer gathered from elsewhere has no organisation to write it.
    let Some(org_id) = found.organization_id else {
        return Err(ApiError::NotFound);
    };
    if !belongs(&state.db, Some(caller), Some(org_id)).await? {
        return Err(ApiError::NotFound);
    }
    let mut input = body.read()?;
    // The name of the employer an agency posted for stays (the digest reads the name resolved).
    if input.employer_name.is_none() {
        input.employer_name = Some(found.employer_name.clone());
    }
    let org = organization::Entity::find_by_id(org_id)
        .one(&state.db)
        .await?
        .ok_or(ApiError::NotFound)?;
    let now = Utc::now();
    let (prepared, txn, org) = prepared_under_lock(state, &org, &input, now).await?;
    // Read again under the lock.
    let found = offer::Entity::find_by_id(id)
        .one(&txn)
        .await?
        .ok_or(ApiError::NotFound)?;
    if found.status == OfferStatus::Removed.as_str() {
        return Err(ApiError::Conflict {
            field: None,
            code: codes::OFFER_WRONG_STATUS,
            message: "an offer removed by the moderators cannot be changed".into(),
        });
    }
    // Its own id, as it stands under the lock, unless another is sent (the digest leaves ids out).
    let external_id = prepared
        .offer
        .external_id
        .clone()
        .or_else(|| found.external_id.clone());
    if found.content_hash == prepared.hash && found.external_id == external_id {
        return written(state, txn, caller, BatchOutcome::Unchanged, found).await;
    }
    let posted_at = prepared.offer.posted_at.unwrap_or(found.posted_at);
    let status = status_for(
        org.verified_at.is_some(),
        prepared.offer.expires_at(posted_at),
        now,
        Some(&found.status),
    );
    let was_live = live_now(&found, now);
    let mut row: offer::ActiveModel = found.into();
    write(&mut row, &prepared, posted_at, (was_live, status), now);
    row.external_id = Set(external_id);
    let row = row.update(&txn).await.on_unique_violation(
        "external_id",
        codes::EXTERNAL_ID_DUPLICATE,
        "another of the organisation's offers has this external id",
    )?;
    written(state, txn, caller, BatchOutcome::Updated, row).await
}

/// Upserts a batch of offers of organisation `id` by their `external_id`, in one transaction:
/// a result per offer, in the batch's order. Each offer is read on its own, so one that does
/// not even fit the schema is rejected alone.
pub async fn batch(
    state: &AppState,
    caller: &Caller,
    id: i64,
    body: JsonBody<OfferBatch>,
) -> ApiResult<BatchResult> {
    let org = writable(state, caller, id).await?;
    let batch = body.read()?;
    if batch.offers.is_empty() || batch.offers.len() > MAX_BATCH {
        return Err(ApiError::field(
            "offers",
            codes::TOO_MANY,
            format!("send 1 to {MAX_BATCH} offers at once; split larger sets into several batches"),
        ));
    }
    let reference = state.reference().await?;
    let known = Known::load(&state.db).await?;
    let now = Utc::now();
    // Checked and cleaned first, outside the transaction.
    let mut seen: HashSet<String> = HashSet::new();
    let items: Vec<(Option<String>, Result<Prepared, FieldErrors>)> = batch
        .offers
        .into_iter()
        .map(|value| {
            let external_id = value
                .get("external_id")
                .and_then(|v| v.as_str())
                .map(|v| v.trim().to_owned())
                .filter(|v| !v.is_empty());
            let prepared = crate::extract::value_as::<OfferInput>(value).and_then(|input| {
                // The same id twice in one batch: the second is refused, the first stands.
                if let Some(external) = &external_id
                    && !seen.insert(external.clone())
                {
                    let mut errors = FieldErrors::new();
                    errors.push(
                        "external_id",
                        codes::EXTERNAL_ID_DUPLICATE,
                        "appears earlier in this batch",
                    );
                    return Err(errors);
                }
                prepare(reference, &known, &org, &input, true, now)
            });
            (external_id, prepared)
        })
        .collect();
    let txn = crate::db::begin_write(&state.db).await?;
    // One batch of an organisation at a time (its row locked): the same batch sent twice at
    // once is created by one and found unchanged by the other, never a conflict.
    let org = super::organizations::lock(&txn, org.id).await?;
    let mut results = Vec::with_capacity(items.len());
    let (mut created, mut updated, mut unchanged, mut rejected) = (0, 0, 0, 0);
    for (index, (external_id, prepared)) in items.into_iter().enumerate() {
        match prepared {
            Ok(p) => {
                let (outcome, row) = store(&txn, caller, &org, &p, now).await?;
                match outcome {
                    BatchOutcome::Created => created += 1,
                    BatchOutcome::Updated => updated += 1,
                    _ => unchanged += 1,
                }
                results.push(BatchItemResult {
                    index,
                    external_id,
                    outcome,
                    id: Some(row.id),
                    errors: Vec::new(),
                });
            }
            Err(errors) => {
                rejected += 1;
                results.push(BatchItemResult {
                    index,
                    external_id,
                    outcome: BatchOutcome::Rejected,
                    id: None,
                    errors: errors.0,
                });
            }
        }
    }
    if created + updated > 0 {
        audit::record(
            &txn,
            actor(caller),
            "offer.batch",
            "organization",
            org.id,
            json!({"created": created, "updated": updated, "unchanged": unchanged, "rejected": rejected}),
        )
        .await?;
    }
    txn.commit().await?;
    if created + updated > 0 {
        state.offers_written().await;
    }
    Ok(BatchResult {
        created,
        updated,
        unchanged,
        rejected,
        results,
    })
}

/// Live offers of one of `occupations` (ISCO-08 unit groups) or `sectors`, newest first, at
/// most `limit`: what an orientation result suggests beside trades, sectors and events.
pub async fn suggested(
    db: &impl ConnectionTrait,
    occupations: &[String],
    sectors: &[String],
    limit: u64,
) -> ApiResult<Vec<shared::dto::offers::OfferSuggestion>> {
    if occupations.is_empty() && sectors.is_empty() {
        return Ok(Vec::new());
    }
    let fits = sea_orm::Condition::any()
        .add(offer::Column::Isco08.is_in(occupations.iter().cloned()))
        .add(offer::Column::SectorCode.is_in(sectors.iter().cloned()));
    let rows = offer::Entity::find()
        .filter(offer::Column::Status.eq(OfferStatus::Live.as_str()))
        .filter(offer::Column::ExpiresAt.gt(Utc::now()))
        .filter(fits)
        .order_by_desc(offer::Column::PostedAt)
        .order_by_desc(offer::Column::Id)
        .limit(limit)
        .all(db)
        .await?;
    Ok(rows
        .into_iter()
        .map(|o| shared::dto::offers::OfferSuggestion {
            id: o.id,
            kind: OfferKind::parse(&o.kind).unwrap_or(OfferKind::Job),
            title: o.title,
            employer_name: o.employer_name,
            posted_at: o.posted_at,
        })
        .collect())
}

/// Whether an offer of `organization` is the caller's to see whatever its status: admins, the
/// organisation's members (employers and partners), its keys.
async fn belongs(
    db: &impl ConnectionTrait,
    caller: Option<&Caller>,
    organization: Option<i64>,
) -> ApiResult<bool> {
    Ok(match (caller, organization) {
        (Some(Caller::User(user)), _) if user.role() == Role::Admin => true,
        (Some(Caller::User(user)), Some(org))
            if matches!(user.role(), Role::Employer | Role::Partner) =>
        {
            membership::Entity::find_by_id((org, user.id()))
                .one(db)
                .await?
                .is_some()
        }
        (Some(Caller::ApiKey(key)), Some(org)) => key.organization_id == org,
        _ => false,
    })
}

/// One offer: live and expired ones for anyone; any status for its organisation's members and
/// keys, and admins; otherwise 404, as for none.
pub async fn get(state: &AppState, caller: Option<&Caller>, id: i64) -> ApiResult<OfferView> {
    let row = offer::Entity::find_by_id(id)
        .one(&state.db)
        .await?
        .ok_or(ApiError::NotFound)?;
    let own = belongs(&state.db, caller, row.organization_id).await?;
    // Expired offers stay readable (a shared link says the offer has ended); pending,
    // withdrawn and removed ones are their organisation's alone.
    let public = [OfferStatus::Live.as_str(), OfferStatus::Expired.as_str()];
    if !own && !public.contains(&row.status.as_str()) {
        return Err(ApiError::NotFound);
    }
    Ok(views(&state.db, vec![row], own).await?.remove(0))
}

/// Organisation `id`'s offers, newest first, every status (its members, keys and admins).
pub async fn of_organization(
    state: &AppState,
    caller: &Caller,
    id: i64,
    query: &OfferListQuery,
) -> ApiResult<Page<OfferView>> {
    writable(state, caller, id).await?;
    list(state, Some(id), query, true).await
}

/// The live offers, newest first; for admins, the offers of any `status` (`pending`: the
/// moderation queue). Anyone else asking for another status gets 403.
pub async fn live(
    state: &AppState,
    caller: Option<&Caller>,
    query: &OfferListQuery,
) -> ApiResult<Page<OfferView>> {
    match query.status {
        None | Some(OfferStatus::Live) => list(state, None, query, false).await,
        Some(_) if matches!(caller, Some(Caller::User(user)) if user.role() == Role::Admin) => {
            list(state, None, query, true).await
        }
        Some(_) => Err(ApiError::Forbidden),
    }
}

async fn list(
    state: &AppState,
    organization: Option<i64>,
    query: &OfferListQuery,
    own: bool,
) -> ApiResult<Page<OfferView>> {
    let limit = pagination::limit(query.limit)?;
    let after = pagination::decode_pair(query.cursor.as_deref())?;
    let mut select = offer::Entity::find();
    select = match organization {
        Some(org) => select.filter(offer::Column::OrganizationId.eq(org)),
        // Live and not yet past its date (the expiry job marks it expired later).
        None if query.status.is_none_or(|s| s == OfferStatus::Live) => select
            .filter(offer::Column::Status.eq(OfferStatus::Live.as_str()))
            .filter(offer::Column::ExpiresAt.gt(Utc::now())),
        None => select,
    };
    if let Some(status) = query.status {
        select = select.filter(offer::Column::Status.eq(status.as_str()));
    }
    if let Some(kind) = query.kind {
        select = select.filter(offer::Column::Kind.eq(kind.as_str()));
    }
    if let Some(cursor) = after {
        select = select.filter(pagination::after_moment(
            offer::Column::PostedAt,
            offer::Column::Id,
            cursor,
            true,
        ));
    }
    let rows = select
        .order_by_desc(offer::Column::PostedAt)
        .order_by_desc(offer::Column::Id)
        .limit(limit + 1)
        .all(&state.db)
        .await?;
    let cx = Places::load(&state.db, &rows).await?;
    Ok(pagination::page(
        rows,
        limit,
        |r| (r.posted_at.timestamp_micros(), r.id),
        |r| view(r, &cx, own),
    ))
}

/// The names of the places a set of offers names, the other offers of their vacancies, and
/// the sources gathered ones came from.
struct Places {
    communes: HashMap<String, commune::Model>,
    regions: HashMap<String, region::Model>,
    sources: HashMap<i64, String>,
    clusters: HashMap<i64, Vec<offer::Model>>,
}

impl Places {
    async fn load(db: &impl ConnectionTrait, rows: &[offer::Model]) -> ApiResult<Self> {
        let clusters = crate::dedup::members(db, rows.iter().filter_map(|r| r.cluster_id)).await?;
        let sources: Vec<i64> = rows
            .iter()
            .chain(clusters.values().flatten())
            .filter_map(|r| r.ingest_source_id)
            .collect();
        Ok(Self {
            clusters,
            communes: commune::Entity::find()
                .filter(
                    commune::Column::Code.is_in(rows.iter().filter_map(|r| r.commune_code.clone())),
                )
                .all(db)
                .await?
                .into_iter()
                .map(|c| (c.code.clone(), c))
                .collect(),
            regions: region::Entity::find()
                .filter(
                    region::Column::Code.is_in(rows.iter().filter_map(|r| r.region_code.clone())),
                )
                .all(db)
                .await?
                .into_iter()
                .map(|r| (r.code.clone(), r))
                .collect(),
            sources: ingest_source::Entity::find()
                .filter(ingest_source::Column::Id.is_in(sources))
                .all(db)
                .await?
                .into_iter()
                .map(|s| (s.id, s.name))
                .collect(),
        })
    }
}

async fn views(
    db: &impl ConnectionTrait,
    rows: Vec<offer::Model>,
    own: bool,
) -> ApiResult<Vec<OfferView>> {
    let cx = Places::load(db, &rows).await?;
    Ok(rows.into_iter().map(|r| view(r, &cx, own)).collect())
}

fn view(r: offer::Model, cx: &Places, own: bool) -> OfferView {
    let commune = r.commune_code.as_ref().and_then(|c| cx.communes.get(c));
    let region = r.region_code.as_ref().and_then(|c| cx.regions.get(c));
    let now = Utc::now();
    let mut status = OfferStatus::parse(&r.status).unwrap_or(OfferStatus::Pending);
    if status == OfferStatus::Live && r.expires_at <= now {
        status = OfferStatus::Expired;
    }
    let site = |o: &offer::Model| {
        o.ingest_source_id
            .and_then(|id| cx.sources.get(&id).cloned())
    };
    let mut also_published_on: Vec<Publication> = r
        .cluster_id
        .and_then(|c| cx.clusters.get(&c))
        .into_iter()
        .flatten()
        .filter(|o| o.id != r.id && crate::dedup::live(o, now))
        .map(|o| Publication {
            offer_id: o.id,
            published_on: site(o),
            url: o.url.clone(),
            apply_in_platform: o.apply_in_platform,
        })
        .collect();
    also_published_on
        .sort_by(|a, b| (&a.published_on, a.offer_id).cmp(&(&b.published_on, b.offer_id)));
    OfferView {
        id: r.id,
        status,
        kind: OfferKind::parse(&r.kind).unwrap_or(OfferKind::Job),
        internship: r
            .internship
            .as_deref()
            .and_then(|i| InternshipType::parse(i).ok()),
        contract: r.contract.as_deref().and_then(|c| Contract::parse(c).ok()),
        title: r.title,
        description_html: r.description_html,
        description_text: r.description_text,
        employer_name: r.employer_name,
        organization_id: r.organization_id,
        commune_code: r.commune_code,
        commune_name_fr: commune.map(|c| c.name_fr.clone()),
        commune_name_ar: commune.map(|c| c.name_ar.clone()),
        region_code: r.region_code,
        region_name_fr: region.map(|g| g.name_fr.clone()),
        region_name_ar: region.map(|g| g.name_ar.clone()),
        remote: r.remote,
        sector: r.sector_code,
        isco08: r.isco08,
        education: r
            .education
            .as_deref()
            .and_then(|e| RequiredEducation::parse(e).ok()),
        experience_years: r.experience_years,
        salary_min: r.salary_min,
        salary_max: r.salary_max,
        posted_at: r.posted_at,
        expires_at: r.expires_at,
        source: r.source,
        published_on: r
            .ingest_source_id
            .and_then(|id| cx.sources.get(&id).cloned()),
        external_id: if own { r.external_id } else { None },
        url: r.url,
        apply_in_platform: r.apply_in_platform,
        also_published_on,
        created_at: r.created_at,
        updated_at: r.updated_at,
    }
}

/// Marks expired the live offers past their date (pending ones wait for an admin, who cannot
/// approve one past its date): the `offer_expiry` job, run by
/// one instance at a time (its lease). One statement, so a run cut short leaves nothing half
/// done, and a second run finds nothing more to do.
pub async fn expire(db: &impl ConnectionTrait, now: DateTime<Utc>) -> anyhow::Result<String> {
    let expired = offer::Entity::update_many()
        .col_expr(
            offer::Column::Status,
            Expr::value(OfferStatus::Expired.as_str()),
        )
        .col_expr(offer::Column::UpdatedAt, Expr::value(now))
        .filter(offer::Column::Status.eq(OfferStatus::Live.as_str()))
        .filter(offer::Column::ExpiresAt.lte(now))
        .exec(db)
        .await?;
    Ok(format!("{} offers expired", expired.rows_affected))
}

/// Moves an organisation's offers with its verification, inside the transaction that changes
/// it (the organisation's row locked): verified, its pending offers go live (those not past
/// their date); no longer verified, its live offers wait for an admin again.
pub(crate) async fn follow_verification(
    txn: &impl ConnectionTrait,
    organization: i64,
    verified: bool,
    now: DateTime<Utc>,
) -> ApiResult<u64> {
    let (from, to) = if verified {
        (OfferStatus::Pending, OfferStatus::Live)
    } else {
        (OfferStatus::Live, OfferStatus::Pending)
    };
    let mut moved = offer::Entity::update_many()
        .col_expr(offer::Column::Status, Expr::value(to.as_str()))
        .col_expr(offer::Column::UpdatedAt, Expr::value(now));
    if verified {
        moved = moved.col_expr(offer::Column::ListedAt, Expr::value(now));
    }
    let moved = moved
        .filter(offer::Column::OrganizationId.eq(organization))
        .filter(offer::Column::Status.eq(from.as_str()))
        .filter(offer::Column::ExpiresAt.gt(now))
        .exec(txn)
        .await?;
    Ok(moved.rows_affected)
}

/// What a moderation or an organisation's decision does to an offer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Decision {
    /// An admin lets a pending offer go live.
    Approve,
    /// An admin takes an offer down (fraud, discrimination…): it stays down.
    Remove,
    /// Its organisation takes it down.
    Withdraw,
}

/// Applies `decision` to offer `id`: approvals and removals by admins (403 for anyone else),
/// withdrawals by the offer's organisation (its members, its key with `offers:write`) or
/// admins (404 for another organisation's offer, as for none).
pub async fn decide(
    state: &AppState,
    caller: &Caller,
    id: i64,
    decision: Decision,
) -> ApiResult<OfferView> {
    let admin = matches!(caller, Caller::User(user) if user.role() == Role::Admin);
    match (decision, caller) {
        (Decision::Approve | Decision::Remove, _) if !admin => return Err(ApiError::Forbidden),
        (Decision::Withdraw, _) => may_write_offers(caller)?,
        _ => {}
    }
    let txn = crate::db::begin_write(&state.db).await?;
    let found = offer::Entity::find_by_id(id)
        .one(&txn)
        .await?
        .ok_or(ApiError::NotFound)?;
    // Taken in the order batches take it (the organisation's row, then its offers) and read
    // again under it: a batch or another decision meanwhile is seen, never overwritten.
    let found = match found.organization_id {
        Some(org) => {
            super::organizations::lock(&txn, org).await?;
            offer::Entity::find_by_id(id)
                .one(&txn)
                .await?
                .ok_or(ApiError::NotFound)?
        }
        None => found,
    };
    if !belongs(&txn, Some(caller), found.organization_id).await? {
        return Err(ApiError::NotFound);
    }
    let from = OfferStatus::parse(&found.status).unwrap_or(OfferStatus::Pending);
    let now = Utc::now();
    let to = match decision {
        Decision::Approve if from == OfferStatus::Pending && found.expires_at > now => {
            OfferStatus::Live
        }
        Decision::Remove if from != OfferStatus::Removed => OfferStatus::Removed,
        Decision::Withdraw
            if matches!(
                from,
                OfferStatus::Live | OfferStatus::Pending | OfferStatus::Draft
            ) =>
        {
            OfferStatus::Withdrawn
        }
        _ => {
            return Err(ApiError::Conflict {
                field: None,
                code: codes::OFFER_WRONG_STATUS,
                message: format!("a {from} offer cannot be changed so"),
            });
        }
    };
    let mut row: offer::ActiveModel = found.into();
    row.status = Set(to.as_str().to_owned());
    row.updated_at = Set(now);
    if to == OfferStatus::Live {
        row.listed_at = Set(Some(now));
    }
    let row = row.update(&txn).await?;
    if to == OfferStatus::Removed {
        super::offer_reports::resolve_all(&txn, id).await?;
    }
    audit::record(
        &txn,
        actor(caller),
        &format!("offer.{to}"),
        "offer",
        id,
        json!({"from": from.as_str()}),
    )
    .await?;
    txn.commit().await?;
    state.offers_written().await;
    Ok(views(&state.db, vec![row], true).await?.remove(0))
}
