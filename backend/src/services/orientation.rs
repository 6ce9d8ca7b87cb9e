//! The orientation assessment: drafts, results and their recommendations, counselors' notes and
//! action plans.
//!
//! Ownership, not only role: a youth reaches their own results; a counselor those of the youths
//! of their own center; an admin all. A result the caller may not see answers 404, so ids cannot
//! be probed. The server rescores every answer sheet with `shared`'s functions: what the web app
//! showed is never trusted, only recomputed.

use std::collections::HashMap;

use chrono::Utc;
use sea_orm::{
    ActiveModelTrait,
    ActiveValue::Set,
    ColumnTrait, Condition, ConnectionTrait, DatabaseConnection, EntityTrait, NotSet, QueryFilter,
    QueryOrder, QuerySelect,
    sea_query::{OnConflict, Query},
};
use serde::{Deserialize, Serialize};
use serde_json::json;
use shared::dto::Page;
use shared::dto::orientation::{
    Answers, AnswersRequest, AreaScores, Comparison, Draft, Fit, NewNoteRequest,
    NewPlanStepRequest, Note, OccupationMatch, OrientationResult, PlanStep, ResultListQuery,
    ResultSummary, SectorMatch, UpdatePlanStepRequest,
};
use shared::inventory::{INSTRUMENT_VERSION, ITEMS};
use shared::matching::{code_of, mean_profile, rank, shared_areas};
use shared::orientation::{HollandCode, RiasecArea, RiasecScores, pearson, score};
use shared::{EducationLevel, Role, StepStatus};

use super::audit::{self, Actor};
use super::occupations::{
    all_occupations, all_sectors, occupation_summary, profile, sector_areas, sector_summary,
};
use super::pagination;
use crate::auth::CurrentUser;
use crate::entities::{
    occupation, orientation_draft, orientation_note, orientation_result, plan_step, sector, user,
};
use crate::error::{ApiError, ApiResult};
use crate::extract::JsonBody;

/// Occupations a result recommends.
const OCCUPATIONS_SHOWN: usize = 20;
/// Sectors a result lists at most; only those whose profile correlates positively.
const SECTORS_SHOWN: usize = 5;

/// How the caller stands to a result.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Access {
    /// The youth whose result it is.
    Owner,
    /// A counselor of the youth's center, or an admin.
    Staff,
}

/// What a result recommended, by key, with the measures at the time.
#[derive(Serialize, Deserialize)]
struct Stored {
    occupations: Vec<StoredFit>,
    sectors: Vec<StoredFit>,
}

#[derive(Serialize, Deserialize)]
struct StoredFit {
    key: String,
    fit: Fit,
}

fn youth_only(caller: &CurrentUser) -> ApiResult<()> {
    caller.require(&[Role::Youth])
}

fn parse_answers(text: &str) -> ApiResult<Answers> {
    serde_json::from_str(text).map_err(|e| ApiError::Internal(e.into()))
}

fn draft_view(d: orientation_draft::Model) -> ApiResult<Draft> {
    let answers = parse_answers(&d.answers)?;
    Ok(Draft {
        instrument_version: d.instrument_version,
        answered: answers.len(),
        total: ITEMS.len(),
        answers,
        updated_at: d.updated_at,
    })
}

/// The youth's draft, if it answers the current inventory. A draft saved under an earlier
/// version is not one: its ids name other activities now, so it can be neither resumed nor
/// submitted, and the next save replaces it.
pub async fn get_draft(db: &impl ConnectionTrait, caller: &CurrentUser) -> ApiResult<Draft> {
    youth_only(caller)?;
    let draft = orientation_draft::Entity::find_by_id(caller.id())
        .one(db)
        .await?
        .filter(|d| d.instrument_version == INSTRUMENT_VERSION)
        .ok_or(ApiError::NotFound)?;
    draft_view(draft)
}

/// Saves the answers given so far, replacing the previous draft.
pub async fn save_draft(
    db: &DatabaseConnection,
    caller: &CurrentUser,
    body: JsonBody<AnswersRequest>,
) -> ApiResult<Draft> {
    youth_only(caller)?;
    let request = body.read()?;
    request.parse()?;
    // One statement that inserts or replaces: two saves at once (two tabs, a retry) both
    // land, the later one wins, and neither meets the other's row as a unique violation.
    let saved = orientation_draft::Model {
        user_id: caller.id(),
        instrument_version: request.instrument_version.clone(),
        answers: serde_json::to_string(&request.answers).map_err(anyhow::Error::from)?,
        updated_at: Utc::now(),
    };
    orientation_draft::Entity::insert(orientation_draft::ActiveModel::from(saved.clone()))
        .on_conflict(
            OnConflict::column(orientation_draft::Column::UserId)
                .update_columns([
                    orientation_draft::Column::InstrumentVersion,
                    orientation_draft::Column::Answers,
                    orientation_draft::Column::UpdatedAt,
                ])
                .to_owned(),
        )
        .exec_without_returning(db)
        .await?;
    draft_view(saved)
}

pub async fn delete_draft(db: &impl ConnectionTrait, caller: &CurrentUser) -> ApiResult<()> {
    youth_only(caller)?;
    let deleted = orientation_draft::Entity::delete_by_id(caller.id())
        .exec(db)
        .await?;
    if deleted.rows_affected == 0 {
        return Err(ApiError::NotFound);
    }
    Ok(())
}

fn fit(
    youth: &HollandCode,
    ranked: &shared::matching::Ranked,
    areas: &[shared::orientation::RiasecArea],
) -> Fit {
    Fit {
        correlation: ranked.correlation,
        congruence: ranked.congruence,
        shared_areas: shared_areas(youth, areas),
    }
}

/// Ranks occupations (within the preparation the youth's education reaches) and sectors.
async fn recommend(
    db: &impl ConnectionTrait,
    scores: &RiasecScores,
    max_job_zone: Option<u8>,
) -> ApiResult<Stored> {
    let youth = scores.code();
    let catalogue = all_occupations(db).await?;
    let eligible: Vec<&occupation::Model> = catalogue
        .iter()
        .filter(|o| max_job_zone.is_none_or(|max| o.job_zone as u8 <= max))
        .collect();
    let profiles: Vec<[f64; 6]> = eligible.iter().map(|o| profile(o)).collect();
    let occupations = rank(scores, &profiles, OCCUPATIONS_SHOWN)
        .iter()
        .map(|r| {
            let o = eligible[r.index];
            StoredFit {
                key: o.isco08.clone(),
                fit: fit(&youth, r, &code_of(&profiles[r.index]).0),
            }
        })
        .collect();

    let by_code: HashMap<&str, &occupation::Model> =
        catalogue.iter().map(|o| (o.isco08.as_str(), o)).collect();
    let sectors = all_sectors(db).await?;
    let mut with_profiles = Vec::new();
    for (s, codes) in &sectors {
        let trades: Vec<[f64; 6]> = codes
            .iter()
            .filter_map(|c| by_code.get(c.as_str()).map(|o| profile(o)))
            .collect();
        if let Some(p) = mean_profile(&trades) {
            with_profiles.push((s, p));
        }
    }
    let sector_profiles: Vec<[f64; 6]> = with_profiles.iter().map(|(_, p)| *p).collect();
    let sectors = rank(scores, &sector_profiles, SECTORS_SHOWN)
        .iter()
        .filter(|r| r.correlation > 0.0)
        .map(|r| {
            let s = with_profiles[r.index].0;
            StoredFit {
                key: s.code.clone(),
                fit: fit(&youth, r, &sector_areas(s)),
            }
        })
        .collect();
    Ok(Stored {
        occupations,
        sectors,
    })
}

/// Scores a complete answer sheet, stores the result with its recommendations and drops the
/// draft, in one transaction.
pub async fn submit(
    db: &DatabaseConnection,
    caller: &CurrentUser,
    body: JsonBody<AnswersRequest>,
) -> ApiResult<OrientationResult> {
    youth_only(caller)?;
    let request = body.read()?;
    let pairs = request.parse_complete()?;
    let scores = score(&pairs).map_err(|i| ApiError::field("answers", i.code, i.message))?;
    let education = caller
        .0
        .education_level
        .as_deref()
        .and_then(|e| EducationLevel::parse(e).ok());
    let max_job_zone = education.map(EducationLevel::max_job_zone);
    let stored = recommend(db, &scores, max_job_zone).await?;
    let s = scores.0.map(i16::from);
    let txn = crate::db::begin_write(db).await?;
    let result = orientation_result::ActiveModel {
        id: NotSet,
        user_id: Set(caller.id()),
        instrument_version: Set(request.instrument_version.clone()),
        answers: Set(serde_json::to_string(&request.answers).map_err(anyhow::Error::from)?),
        realistic: Set(s[0]),
        investigative: Set(s[1]),
        artistic: Set(s[2]),
        social: Set(s[3]),
        enterprising: Set(s[4]),
        conventional: Set(s[5]),
        code: Set(scores.code().to_string()),
        flat: Set(scores.is_flat()),
        education_level: Set(education.map(|e| e.as_str().to_owned())),
        max_job_zone: Set(max_job_zone.map(i16::from)),
        recommendations: Set(serde_json::to_string(&stored).map_err(anyhow::Error::from)?),
        created_at: Set(Utc::now()),
    }
    .insert(&txn)
    .await?;
    orientation_draft::Entity::delete_by_id(caller.id())
        .exec(&txn)
        .await?;
    txn.commit().await?;
    view(db, result, Access::Owner).await
}

fn scores_of(r: &orientation_result::Model) -> [u8; 6] {
    [
        r.realistic,
        r.investigative,
        r.artistic,
        r.social,
        r.enterprising,
        r.conventional,
    ]
    .map(|v| v.clamp(0, 40) as u8)
}

pub(crate) fn full_name(u: Option<&user::Model>) -> String {
    u.map(|u| format!("{} {}", u.first_name, u.last_name))
        .unwrap_or_default()
}

fn summary(r: &orientation_result::Model, owner: Option<&user::Model>) -> ResultSummary {
    ResultSummary {
        id: r.id,
        user_id: r.user_id,
        user_name: full_name(owner),
        instrument_version: r.instrument_version.clone(),
        scores: AreaScores::from_array(scores_of(r)),
        code: r.code.clone(),
        flat: r.flat,
        created_at: r.created_at,
    }
}

fn step_view(s: plan_step::Model) -> PlanStep {
    PlanStep {
        id: s.id,
        result_id: s.result_id,
        title: s.title,
        due_on: s.due_on,
        status: StepStatus::parse(&s.status).unwrap_or(StepStatus::Todo),
        created_by: s.created_by,
        created_at: s.created_at,
        updated_at: s.updated_at,
        completed_at: s.completed_at,
    }
}

async fn users_by_id(
    db: &impl ConnectionTrait,
    ids: impl IntoIterator<Item = i64>,
) -> ApiResult<HashMap<i64, user::Model>> {
    let ids: Vec<i64> = ids.into_iter().collect();
    if ids.is_empty() {
        return Ok(HashMap::new());
    }
    Ok(user::Entity::find()
        .filter(user::Column::Id.is_in(ids))
        .all(db)
        .await?
        .into_iter()
        .map(|u| (u.id, u))
        .collect())
}

/// A result with its recommendations resolved to titles, its notes and its plan.
async fn view(
    db: &impl ConnectionTrait,
    result: orientation_result::Model,
    access: Access,
) -> ApiResult<OrientationResult> {
    let stored: Stored =
        serde_json::from_str(&result.recommendations).map_err(anyhow::Error::from)?;
    let occupations: HashMap<String, occupation::Model> = occupation::Entity::find()
        .filter(occupation::Column::Isco08.is_in(stored.occupations.iter().map(|o| o.key.clone())))
        .all(db)
        .await?
        .into_iter()
        .map(|o| (o.isco08.clone(), o))
        .collect();
    let sectors: HashMap<String, sector::Model> = sector::Entity::find()
        .filter(sector::Column::Code.is_in(stored.sectors.iter().map(|s| s.key.clone())))
        .all(db)
        .await?
        .into_iter()
        .map(|s| (s.code.clone(), s))
        .collect();
    let mut notes = orientation_note::Entity::find()
        .filter(orientation_note::Column::ResultId.eq(result.id))
        .order_by_asc(orientation_note::Column::Id);
    if access == Access::Owner {
        notes = notes.filter(orientation_note::Column::Private.eq(false));
    }
    let notes = notes.all(db).await?;
    let people = users_by_id(
        db,
        notes
            .iter()
            .map(|n| n.author_id)
            .chain(std::iter::once(result.user_id)),
    )
    .await?;
    let plan = plan_step::Entity::find()
        .filter(plan_step::Column::ResultId.eq(result.id))
        .order_by_asc(plan_step::Column::Id)
        .all(db)
        .await?;
    // Events for her: her two strongest areas, her three best-fitting sectors.
    let strongest: Vec<RiasecArea> = result
        .code
        .chars()
        .take(2)
        .filter_map(RiasecArea::from_letter)
        .collect();
    let best_sectors: Vec<String> = stored
        .sectors
        .iter()
        .take(3)
        .map(|s| s.key.clone())
        .collect();
    let owner_center = people.get(&result.user_id).and_then(|u| u.center_id);
    let events = super::events::suggested(db, owner_center, &strongest, &best_sectors, 3).await?;
    let meetings = super::appointments::meetings(db, result.user_id, 10).await?;
    // Offers for her: her ten best-fitting occupations, her three best-fitting sectors.
    let best_occupations: Vec<String> = stored
        .occupations
        .iter()
        .take(10)
        .map(|o| o.key.clone())
        .collect();
    let offers = super::offers::suggested(db, &best_occupations, &best_sectors, 5).await?;
    Ok(OrientationResult {
        events,
        offers,
        meetings,
        summary: summary(&result, people.get(&result.user_id)),
        education_level: result
            .education_level
            .as_deref()
            .and_then(|e| EducationLevel::parse(e).ok()),
        max_job_zone: result.max_job_zone.map(|z| z as u8),
        occupations: stored
            .occupations
            .into_iter()
            .filter_map(|f| {
                occupations.get(&f.key).map(|o| OccupationMatch {
                    occupation: occupation_summary(o),
                    fit: f.fit,
                })
            })
            .collect(),
        sectors: stored
            .sectors
            .into_iter()
            .filter_map(|f| {
                sectors.get(&f.key).map(|s| SectorMatch {
                    sector: sector_summary(s),
                    fit: f.fit,
                })
            })
            .collect(),
        notes: notes
            .into_iter()
            .map(|n| Note {
                id: n.id,
                author_id: n.author_id,
                author_name: full_name(people.get(&n.author_id)),
                body: n.body,
                private: n.private,
                created_at: n.created_at,
            })
            .collect(),
        plan: plan.into_iter().map(step_view).collect(),
    })
}

/// The result and how the caller stands to it, or 404 when the caller may not see it.
async fn visible(
    db: &impl ConnectionTrait,
    caller: &CurrentUser,
    id: i64,
) -> ApiResult<(orientation_result::Model, Access)> {
    // Roles that never see results are turned away before the lookup, so that their answer
    // is the same whether the result exists or not.
    caller.require(&[Role::Youth, Role::Counselor, Role::Admin])?;
    let result = orientation_result::Entity::find_by_id(id)
        .one(db)
        .await?
        .ok_or(ApiError::NotFound)?;
    if result.user_id == caller.id() {
        return Ok((result, Access::Owner));
    }
    match caller.role() {
        Role::Admin => Ok((result, Access::Staff)),
        Role::Counselor => {
            let center = caller.0.center_id.ok_or(ApiError::NotFound)?;
            let owner = user::Entity::find_by_id(result.user_id)
                .one(db)
                .await?
                .ok_or(ApiError::NotFound)?;
            if owner.center_id == Some(center) && owner.role == Role::Youth.as_str() {
                Ok((result, Access::Staff))
            } else {
                Err(ApiError::NotFound)
            }
        }
        Role::Youth | Role::Employer | Role::Partner => Err(ApiError::NotFound),
    }
}

/// Staff access or the right refusal: a youth may read their result but not annotate it.
async fn staff(
    db: &impl ConnectionTrait,
    caller: &CurrentUser,
    id: i64,
) -> ApiResult<orientation_result::Model> {
    caller.require(&[Role::Counselor, Role::Admin])?;
    match visible(db, caller, id).await? {
        (result, Access::Staff) => Ok(result),
        (_, Access::Owner) => Err(ApiError::Forbidden),
    }
}

pub async fn get(
    db: &impl ConnectionTrait,
    caller: &CurrentUser,
    id: i64,
) -> ApiResult<OrientationResult> {
    let (result, access) = visible(db, caller, id).await?;
    view(db, result, access).await
}

pub async fn list(
    db: &impl ConnectionTrait,
    caller: &CurrentUser,
    query: &ResultListQuery,
) -> ApiResult<Page<ResultSummary>> {
    let mut filter = Condition::all();
    match caller.role() {
        Role::Youth => {
            if query.user_id.is_some_and(|id| id != caller.id()) {
                return Err(ApiError::Forbidden);
            }
            filter = filter.add(orientation_result::Column::UserId.eq(caller.id()));
        }
        Role::Counselor => {
            let center = caller.0.center_id.ok_or(ApiError::Forbidden)?;
            filter = filter.add(
                orientation_result::Column::UserId.in_subquery(
                    Query::select()
                        .column(user::Column::Id)
                        .from(user::Entity)
                        .and_where(user::Column::CenterId.eq(center))
                        .and_where(user::Column::Role.eq(Role::Youth.as_str()))
                        .to_owned(),
                ),
            );
        }
        Role::Admin => {}
        Role::Employer | Role::Partner => return Err(ApiError::Forbidden),
    }
    if let Some(user_id) = query.user_id {
        filter = filter.add(orientation_result::Column::UserId.eq(user_id));
    }
    if let Some(before) = pagination::decode(query.cursor.as_deref())? {
        filter = filter.add(orientation_result::Column::Id.lt(before));
    }
    let limit = pagination::limit(query.limit)?;
    let rows = orientation_result::Entity::find()
        .filter(filter)
        .order_by_desc(orientation_result::Column::Id)
        .limit(limit + 1)
        .all(db)
        .await?;
    // A youth's list is theirs alone: the owner is the caller, already read.
    let people = if caller.role() == Role::Youth {
        HashMap::from([(caller.id(), caller.0.clone())])
    } else {
        users_by_id(db, rows.iter().map(|r| r.user_id)).await?
    };
    Ok(pagination::page(
        rows,
        limit,
        |r| r.id,
        |r| summary(&r, people.get(&r.user_id)),
    ))
}

/// The result beside the same youth's previous one.
pub async fn compare(
    db: &impl ConnectionTrait,
    caller: &CurrentUser,
    id: i64,
) -> ApiResult<Comparison> {
    let (current, _) = visible(db, caller, id).await?;
    let previous = orientation_result::Entity::find()
        .filter(orientation_result::Column::UserId.eq(current.user_id))
        .filter(orientation_result::Column::Id.lt(current.id))
        .order_by_desc(orientation_result::Column::Id)
        .one(db)
        .await?;
    let people = users_by_id(db, [current.user_id]).await?;
    let owner = people.get(&current.user_id);
    let now = scores_of(&current);
    let (changes, correlation, code_changed) = match &previous {
        Some(p) => {
            let before = scores_of(p);
            let changes: [i16; 6] =
                std::array::from_fn(|i| i16::from(now[i]) - i16::from(before[i]));
            (
                Some(AreaScores::from_array(changes)),
                pearson(&now.map(f64::from), &before.map(f64::from))
                    .map(|r| (r * 1000.0).round() / 1000.0),
                p.code != current.code,
            )
        }
        None => (None, None, false),
    };
    Ok(Comparison {
        current: summary(&current, owner),
        previous: previous.as_ref().map(|p| summary(p, owner)),
        changes,
        correlation,
        code_changed,
    })
}

pub async fn add_note(
    db: &DatabaseConnection,
    caller: &CurrentUser,
    id: i64,
    body: JsonBody<NewNoteRequest>,
) -> ApiResult<Note> {
    let result = staff(db, caller, id).await?;
    let request = body.read()?;
    let body = request.parse()?;
    let txn = crate::db::begin_write(db).await?;
    let note = orientation_note::ActiveModel {
        id: NotSet,
        result_id: Set(result.id),
        author_id: Set(caller.id()),
        body: Set(body),
        private: Set(request.private),
        created_at: Set(Utc::now()),
    }
    .insert(&txn)
    .await?;
    audit::record(
        &txn,
        Actor::User(caller.id()),
        "orientation.note_added",
        "orientation_result",
        result.id,
        json!({ "note_id": note.id, "private": note.private }),
    )
    .await?;
    txn.commit().await?;
    Ok(Note {
        id: note.id,
        author_id: note.author_id,
        author_name: full_name(Some(&caller.0)),
        body: note.body,
        private: note.private,
        created_at: note.created_at,
    })
}

pub async fn add_step(
    db: &DatabaseConnection,
    caller: &CurrentUser,
    id: i64,
    body: JsonBody<NewPlanStepRequest>,
) -> ApiResult<PlanStep> {
    let result = staff(db, caller, id).await?;
    let (title, due_on) = body.read()?.parse()?;
    let now = Utc::now();
    let txn = crate::db::begin_write(db).await?;
    let step = plan_step::ActiveModel {
        id: NotSet,
        result_id: Set(result.id),
        title: Set(title),
        due_on: Set(due_on),
        status: Set(StepStatus::Todo.as_str().to_owned()),
        created_by: Set(caller.id()),
        created_at: Set(now),
        updated_at: Set(now),
        completed_at: Set(None),
    }
    .insert(&txn)
    .await?;
    audit::record(
        &txn,
        Actor::User(caller.id()),
        "orientation.step_added",
        "orientation_result",
        result.id,
        json!({ "step_id": step.id }),
    )
    .await?;
    txn.commit().await?;
    Ok(step_view(step))
}

/// The step and how the caller stands to its result.
async fn visible_step(
    db: &impl ConnectionTrait,
    caller: &CurrentUser,
    step_id: i64,
) -> ApiResult<(plan_step::Model, Access)> {
    caller.require(&[Role::Youth, Role::Counselor, Role::Admin])?;
    let step = plan_step::Entity::find_by_id(step_id)
        .one(db)
        .await?
        .ok_or(ApiError::NotFound)?;
    let (_, access) = visible(db, caller, step.result_id).await?;
    Ok((step, access))
}

/// A youth ticks their own steps (status only); counselors of the center and admins change
/// anything.
pub async fn update_step(
    db: &DatabaseConnection,
    caller: &CurrentUser,
    step_id: i64,
    body: JsonBody<UpdatePlanStepRequest>,
) -> ApiResult<PlanStep> {
    let (step, access) = visible_step(db, caller, step_id).await?;
    let request = body.read()?;
    if access == Access::Owner && !request.only_status() {
        return Err(ApiError::Forbidden);
    }
    let (title, due_on) = request.parse()?;
    let now = Utc::now();
    let result_id = step.result_id;
    let mut active: plan_step::ActiveModel = step.clone().into();
    if let Some(title) = title {
        active.title = Set(title);
    }
    if let Some(due_on) = due_on {
        active.due_on = Set(due_on);
    }
    if let Some(status) = request.status {
        active.status = Set(status.as_str().to_owned());
        let was_done = step.status == StepStatus::Done.as_str();
        match (status == StepStatus::Done, was_done) {
            (true, false) => active.completed_at = Set(Some(now)),
            (false, true) => active.completed_at = Set(None),
            _ => {}
        }
    }
    active.updated_at = Set(now);
    let txn = crate::db::begin_write(db).await?;
    let updated = active.update(&txn).await?;
    if access == Access::Staff {
        audit::record(
            &txn,
            Actor::User(caller.id()),
            "orientation.step_updated",
            "orientation_result",
            result_id,
            json!({ "step_id": step_id }),
        )
        .await?;
    }
    txn.commit().await?;
    Ok(step_view(updated))
}

pub async fn delete_step(
    db: &DatabaseConnection,
    caller: &CurrentUser,
    step_id: i64,
) -> ApiResult<()> {
    caller.require(&[Role::Counselor, Role::Admin])?;
    let (step, access) = visible_step(db, caller, step_id).await?;
    if access != Access::Staff {
        return Err(ApiError::Forbidden);
    }
    let txn = crate::db::begin_write(db).await?;
    plan_step::Entity::delete_by_id(step.id).exec(&txn).await?;
    audit::record(
        &txn,
        Actor::User(caller.id()),
        "orientation.step_deleted",
        "orientation_result",
        step.result_id,
        json!({ "step_id": step.id, "title": step.title }),
    )
    .await?;
    txn.commit().await?;
    Ok(())
}
