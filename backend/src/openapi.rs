//! The OpenAPI 3.1 description of the API, built from the handlers' annotations as the route
//! table registers them.
//!
//! Error responses common to many operations are added by [`StandardErrors`] from what each
//! operation declares (a body, a security requirement, path parameters), so the spec and the
//! server cannot disagree on them by omission.

use utoipa::openapi::Required;
use utoipa::openapi::path::{Operation, ParameterBuilder, ParameterIn};
use utoipa::openapi::schema::{ObjectBuilder, Schema, Type};
use utoipa::openapi::security::{ApiKey, ApiKeyValue, HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::openapi::{Content, Ref, RefOr, ResponseBuilder};
use utoipa::{Modify, OpenApi};
use utoipa_actix_web::AppExt;

use crate::error::{PROBLEM_JSON, Problem};
use crate::routes;

#[derive(OpenApi)]
#[openapi(
    info(
        title = "Career Center API",
        description = "REST API of Career Center, the platform of Morocco's career centers for youths: \
accounts, centers, organisations and partner API keys, events and registrations, appointments with counselors, orientation (interest inventory, occupations, growth sectors). Errors are RFC 9457 problem documents; \
lists are keyset-paginated (`limit`, `cursor` → `next_cursor`). See docs/api.md for partners.",
        license(name = "MIT")
    ),
    components(schemas(Problem, shared::FieldError)),
    tags(
        (name = "auth", description = "Registration, sessions, address verification and password reset"),
        (name = "me", description = "The signed-in user's own account"),
        (name = "users", description = "Account management by admins and counselors"),
        (name = "centers", description = "Career centers and their satellite sites"),
        (name = "organizations", description = "Employers, partner organisations, members, invitations and API keys"),
        (name = "events", description = "Workshops, soft-skills trainings, conferences, company visits, job fairs and information sessions; registration with capacity and waitlist. Times in Morocco's time (Africa/Casablanca), RFC 3339 with offset"),
        (name = "appointments", description = "Counselors' availability slots (15, 30 or 45 minutes) at their center, a site or online; youths' bookings, cancellations within the center's delay, and the meeting's outcome, which joins the youth's orientation follow-up"),
        (name = "applications", description = "Youths' applications to offers, inside the platform (a message and a snapshot of the profile) or followed to the source; the employer's pipeline: received, shortlisted, interview, rejected, hired"),
        (name = "orientation", description = "The RIASEC interest inventory, results, counselors' notes and action plans; occupations (ISCO-08 with O*NET 29.3 interest profiles, CC BY 4.0) and growth sectors"),
        (name = "ingest", description = "Sources of gathered offers (feeds, pages carrying schema.org JobPosting, partners' CSV files) and the record of each poll: admins only"),
        (name = "reference", description = "Regions and communes of Morocco (HCP, RGPH 2024, CC BY 4.0)"),
        (name = "operations", description = "Health, readiness and metrics"),
    )
)]
struct ApiDoc;

/// The whole spec: the document's header above, every operation from the one route table
/// ([`routes::configure`], read without serving anything), then the security schemes and the
/// standard errors.
pub fn spec() -> utoipa::openapi::OpenApi {
    let (_, mut spec) = actix_web::App::new()
        .into_utoipa_app()
        .openapi(ApiDoc::openapi())
        .configure(routes::configure)
        .split_for_parts();
    SecuritySchemes.modify(&mut spec);
    StandardErrors.modify(&mut spec);
    NamedPatterns.modify(&mut spec);
    spec
}

/// Writes in each schema that names one of `shared::patterns` (`pattern = "line"`) the
/// expression itself.
struct NamedPatterns;

fn expand(schema: &mut RefOr<Schema>) {
    let RefOr::T(schema) = schema else {
        return;
    };
    match schema {
        Schema::Object(object) => {
            if let Some(pattern) = object.pattern.as_mut()
                && let Some(expression) = shared::patterns::named(pattern)
            {
                *pattern = expression.to_owned();
            }
            object.properties.values_mut().for_each(expand);
        }
        Schema::Array(array) => {
            if let utoipa::openapi::schema::ArrayItems::RefOrSchema(items) = &mut array.items {
                expand(items);
            }
        }
        Schema::OneOf(one_of) => one_of.items.iter_mut().for_each(expand),
        Schema::AllOf(all_of) => all_of.items.iter_mut().for_each(expand),
        Schema::AnyOf(any_of) => any_of.items.iter_mut().for_each(expand),
        _ => {}
    }
}

impl Modify for NamedPatterns {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        if let Some(components) = openapi.components.as_mut() {
            components.schemas.values_mut().for_each(expand);
        }
        for item in openapi.paths.paths.values_mut() {
            for operation in [
                &mut item.get,
                &mut item.post,
                &mut item.put,
                &mut item.patch,
                &mut item.delete,
            ]
            .into_iter()
            .flatten()
            {
                for parameter in operation.parameters.iter_mut().flatten() {
                    if let RefOr::T(parameter) = parameter
                        && let Some(schema) = parameter.schema.as_mut()
                    {
                        expand(schema);
                    }
                }
            }
        }
    }
}

/// The spec as the server serves it: [`spec`] plus what moves with the calendar, which the
/// committed file can only state in words: this year's bounds of `birth_year` in requests.
pub fn served(current_year: i32) -> utoipa::openapi::OpenApi {
    let mut served = spec();
    let Some(components) = served.components.as_mut() else {
        return served;
    };
    for (name, schema) in components.schemas.iter_mut() {
        if !name.ends_with("Request") {
            continue;
        }
        if let RefOr::T(Schema::Object(object)) = schema
            && let Some(RefOr::T(Schema::Object(year))) = object.properties.get_mut("birth_year")
        {
            year.minimum = Some((current_year - 100).into());
            year.maximum = Some((current_year - 12).into());
        }
    }
    served
}

struct SecuritySchemes;

impl Modify for SecuritySchemes {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "bearer",
            SecurityScheme::Http(
                HttpBuilder::new()
                    .scheme(HttpAuthScheme::Bearer)
                    .bearer_format("JWT")
                    .description(Some("Access token from POST /api/v1/auth/login"))
                    .build(),
            ),
        );
        components.add_security_scheme(
            "metrics_token",
            SecurityScheme::Http(
                HttpBuilder::new()
                    .scheme(HttpAuthScheme::Bearer)
                    .description(Some("The operator's METRICS_TOKEN, for Prometheus"))
                    .build(),
            ),
        );
        components.add_security_scheme(
            "api_key",
            SecurityScheme::ApiKey(ApiKey::Header(ApiKeyValue::with_description(
                "X-API-Key",
                "Partner API key of a verified organisation",
            ))),
        );
    }
}

struct StandardErrors;

fn problem(description: &str) -> utoipa::openapi::Response {
    ResponseBuilder::new()
        .description(description)
        .content(
            PROBLEM_JSON,
            Content::new(Some(Ref::from_schema_name("Problem"))),
        )
        .build()
}

fn add(operation: &mut Operation, status: &str, description: &str) {
    operation
        .responses
        .responses
        .entry(status.to_owned())
        .or_insert_with(|| problem(description).into());
}

/// Declares the optional `Idempotency-Key` header and the 409 it can cause.
fn idempotency_header(operation: &mut Operation) {
    let parameter = ParameterBuilder::new()
        .name(crate::idempotency::HEADER)
        .parameter_in(ParameterIn::Header)
        .required(Required::False)
        .description(Some(
            "Any unique string (a UUID): a retry with the same key within 24 hours gets the first \
answer instead of running again.",
        ))
        .schema(Some(
            ObjectBuilder::new()
                .schema_type(Type::String)
                .min_length(Some(1))
                .max_length(Some(255)),
        ))
        .build();
    operation
        .parameters
        .get_or_insert_with(Vec::new)
        .push(parameter.into());
    add(
        operation,
        "400",
        "The Idempotency-Key header is malformed, or the body is not valid JSON",
    );
    add(
        operation,
        "409",
        "Conflicts with existing data, or the Idempotency-Key was used for another request",
    );
}

impl Modify for StandardErrors {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        for (path, item) in openapi.paths.paths.iter_mut() {
            let api = path.starts_with(routes::API);
            for (is_post, operation) in [
                (false, &mut item.get),
                (true, &mut item.post),
                (false, &mut item.put),
                (false, &mut item.patch),
                (false, &mut item.delete),
            ]
            .into_iter()
            .filter_map(|(is_post, op)| op.as_mut().map(|op| (is_post, op)))
            {
                if !api {
                    continue;
                }
                let params = operation.parameters.as_deref().unwrap_or_default();
                let located = |place: ParameterIn| {
                    params
                        .iter()
                        .any(|p| matches!(p, RefOr::T(p) if p.parameter_in == place))
                };
                let has_path = located(ParameterIn::Path);
                let has_query = located(ParameterIn::Query);
                if operation.request_body.is_some() {
                    add(operation, "400", "The body is not valid JSON");
                    add(operation, "413", "The body is too large");
                    add(operation, "415", "The body is not JSON");
                    add(operation, "422", "Some fields are invalid; see `errors`");
                }
                if has_query {
                    add(
                        operation,
                        "422",
                        "Some query parameters are invalid; see `errors`",
                    );
                }
                if operation.security.is_some() {
                    if is_post {
                        idempotency_header(operation);
                    }
                    add(operation, "401", "Missing, invalid or expired credentials");
                    add(operation, "403", "This role may not do this");
                }
                if has_path {
                    add(operation, "404", "No such resource, or not one of yours");
                }
                add(operation, "500", "Something went wrong on our side");
            }
        }
    }
}
