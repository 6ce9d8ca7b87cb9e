//! `/orientation`: the interest inventory, drafts, results, notes and action plans.

use actix_web::{HttpRequest, HttpResponse, web};
use actix_web::{delete, get, patch, post, put};
use shared::dto::Page;
use shared::dto::orientation::{
    AnswersRequest, Comparison, Draft, Inventory, NewNoteRequest, NewPlanStepRequest, Note,
    OrientationResult, PlanStep, ResultListQuery, ResultSummary, UpdatePlanStepRequest,
};

use crate::auth::CurrentUser;
use crate::error::ApiResult;
use crate::extract::{JsonBody, QueryParams};
use crate::services::orientation;
use crate::state::AppState;

/// The current inventory: sixty activities in French, Arabic and English. Public.
#[utoipa::path(tag = "orientation", responses(
    (status = 200, description = "The inventory, with `ETag` and `Cache-Control`", body = Inventory),
    (status = 304, description = "Not modified: the `ETag` sent in `If-None-Match` is current"),
))]
#[get("/inventory")]
pub async fn get_inventory(
    req: HttpRequest,
    state: web::Data<AppState>,
) -> ApiResult<HttpResponse> {
    Ok(state.reference().await?.inventory.respond(&req))
}

/// The signed-in youth's saved, unfinished answer sheet.
#[utoipa::path(tag = "orientation", security(("bearer" = [])), responses(
    (status = 200, description = "The draft", body = Draft),
))]
// In the `/me` scope: `/api/v1/me/orientation/draft`.
#[get("/orientation/draft")]
pub async fn get_draft(
    state: web::Data<AppState>,
    caller: CurrentUser,
) -> ApiResult<web::Json<Draft>> {
    Ok(web::Json(orientation::get_draft(&state.db, &caller).await?))
}

/// Saves the answers given so far (youths), replacing the previous draft.
#[utoipa::path(tag = "orientation", security(("bearer" = [])), request_body = AnswersRequest, responses(
    (status = 200, description = "The saved draft", body = Draft),
))]
// In the `/me` scope: `/api/v1/me/orientation/draft`.
#[put("/orientation/draft")]
pub async fn save_draft(
    state: web::Data<AppState>,
    caller: CurrentUser,
    body: JsonBody<AnswersRequest>,
) -> ApiResult<web::Json<Draft>> {
    Ok(web::Json(
        orientation::save_draft(&state.db, &caller, body).await?,
    ))
}

/// Throws the draft away.
#[utoipa::path(tag = "orientation", security(("bearer" = [])), responses(
    (status = 204, description = "Deleted"),
))]
// In the `/me` scope: `/api/v1/me/orientation/draft`.
#[delete("/orientation/draft")]
pub async fn delete_draft(
    state: web::Data<AppState>,
    caller: CurrentUser,
) -> ApiResult<HttpResponse> {
    orientation::delete_draft(&state.db, &caller).await?;
    Ok(HttpResponse::NoContent().finish())
}

/// Submits a complete answer sheet (youths): the server scores it, recommends occupations
/// (within the preparation the youth's education level reaches) and sectors, stores the
/// result and drops the draft.
#[utoipa::path(tag = "orientation", security(("bearer" = [])), request_body = AnswersRequest, responses(
    (status = 201, description = "The result", body = OrientationResult),
))]
#[post("/results")]
pub async fn submit_result(
    state: web::Data<AppState>,
    caller: CurrentUser,
    body: JsonBody<AnswersRequest>,
) -> ApiResult<HttpResponse> {
    let result = orientation::submit(&state.db, &caller, body).await?;
    Ok(HttpResponse::Created().json(result))
}

/// Lists results, newest first: a youth's own, a counselor's center's, or anyone's for admins.
#[utoipa::path(tag = "orientation", security(("bearer" = [])), params(ResultListQuery), responses(
    (status = 200, description = "One page of results", body = Page<ResultSummary>),
))]
#[get("/results")]
pub async fn list_results(
    state: web::Data<AppState>,
    caller: CurrentUser,
    query: QueryParams<ResultListQuery>,
) -> ApiResult<web::Json<Page<ResultSummary>>> {
    Ok(web::Json(
        orientation::list(&state.db, &caller, &query.0).await?,
    ))
}

/// Reads one result with its occupations, sectors, notes and plan.
#[utoipa::path(tag = "orientation", security(("bearer" = [])), params(("id" = i64, Path, description = "Result id")), responses(
    (status = 200, description = "The result", body = OrientationResult),
))]
#[get("/results/{id}")]
pub async fn get_result(
    state: web::Data<AppState>,
    caller: CurrentUser,
    id: web::Path<i64>,
) -> ApiResult<web::Json<OrientationResult>> {
    Ok(web::Json(orientation::get(&state.db, &caller, *id).await?))
}

/// Compares a result with the same youth's previous one.
#[utoipa::path(tag = "orientation", security(("bearer" = [])), params(("id" = i64, Path, description = "Result id")), responses(
    (status = 200, description = "The comparison", body = Comparison),
))]
#[get("/results/{id}/comparison")]
pub async fn compare_result(
    state: web::Data<AppState>,
    caller: CurrentUser,
    id: web::Path<i64>,
) -> ApiResult<web::Json<Comparison>> {
    Ok(web::Json(
        orientation::compare(&state.db, &caller, *id).await?,
    ))
}

/// Adds a note to a result (counselors of the youth's center, admins).
#[utoipa::path(tag = "orientation", security(("bearer" = [])), params(("id" = i64, Path, description = "Result id")), request_body = NewNoteRequest, responses(
    (status = 201, description = "The note", body = Note),
))]
#[post("/results/{id}/notes")]
pub async fn add_note(
    state: web::Data<AppState>,
    caller: CurrentUser,
    id: web::Path<i64>,
    body: JsonBody<NewNoteRequest>,
) -> ApiResult<HttpResponse> {
    let note = orientation::add_note(&state.db, &caller, *id, body).await?;
    Ok(HttpResponse::Created().json(note))
}

/// Adds a step to a result's action plan (counselors of the youth's center, admins).
#[utoipa::path(tag = "orientation", security(("bearer" = [])), params(("id" = i64, Path, description = "Result id")), request_body = NewPlanStepRequest, responses(
    (status = 201, description = "The step", body = PlanStep),
))]
#[post("/results/{id}/plan")]
pub async fn add_plan_step(
    state: web::Data<AppState>,
    caller: CurrentUser,
    id: web::Path<i64>,
    body: JsonBody<NewPlanStepRequest>,
) -> ApiResult<HttpResponse> {
    let step = orientation::add_step(&state.db, &caller, *id, body).await?;
    Ok(HttpResponse::Created().json(step))
}

/// Changes a step: the youth ticks it off (status only); counselors change anything.
#[utoipa::path(tag = "orientation", security(("bearer" = [])), params(("id" = i64, Path, description = "Step id")), request_body = UpdatePlanStepRequest, responses(
    (status = 200, description = "The step", body = PlanStep),
))]
#[patch("/plan-steps/{id}")]
pub async fn update_plan_step(
    state: web::Data<AppState>,
    caller: CurrentUser,
    id: web::Path<i64>,
    body: JsonBody<UpdatePlanStepRequest>,
) -> ApiResult<web::Json<PlanStep>> {
    Ok(web::Json(
        orientation::update_step(&state.db, &caller, *id, body).await?,
    ))
}

/// Removes a step (counselors of the youth's center, admins).
#[utoipa::path(tag = "orientation", security(("bearer" = [])), params(("id" = i64, Path, description = "Step id")), responses(
    (status = 204, description = "Deleted"),
))]
#[delete("/plan-steps/{id}")]
pub async fn delete_plan_step(
    state: web::Data<AppState>,
    caller: CurrentUser,
    id: web::Path<i64>,
) -> ApiResult<HttpResponse> {
    orientation::delete_step(&state.db, &caller, *id).await?;
    Ok(HttpResponse::NoContent().finish())
}
