//! Every route of the API, in one place, so the whole surface reads in one screen. The same
//! registrations produce the OpenAPI document (`crate::openapi::spec`).

pub mod applications;
pub mod appointments;
pub mod auth;
pub mod centers;
pub mod events;
pub mod geo;
pub mod health;
pub mod ingest;
pub mod invitations;
pub mod me;
pub mod occupations;
pub mod offers;
pub mod organizations;
pub mod orientation;
pub mod saved;
pub mod users;

use actix_web::web;
use utoipa_actix_web::scope;
use utoipa_actix_web::service_config::ServiceConfig;

/// Base path of the REST API.
pub const API: &str = "/api/v1";

/// Registers every operation. Each handler carries its path and method in one attribute that
/// both actix (the route) and utoipa (the spec) read, so an operation cannot be routed without
/// being documented, nor documented without being routed. A path that exists called with
/// another method answers 405 with `Allow` (see [`unrouted`]).
///
/// Operations are grouped in one scope per first segment of their path (each handler's path is
/// relative to its scope): actix tries a request against the routes in order, and a dynamic
/// route (`/users/{id}`) is a regular expression, so one flat list made every request pay for
/// every route before its own (a quarter of a growth-sector read's time, with sixty routes).
/// A scope's prefix is compared as text; only its own routes are tried after it. A path goes in
/// the scope of its first segment, never beside it: once a scope's prefix matches, actix looks
/// no further, so `/me/x` registered outside the `/me` scope would be documented but unreachable (an API test
/// calls every documented operation and fails on such a route).
pub fn configure(cfg: &mut ServiceConfig) {
    cfg.service(health::healthz)
        .service(health::readyz)
        .service(health::metrics)
        .service(
            scope(API)
                .service(
                    scope("/auth")
                        .service(auth::register)
                        .service(auth::login)
                        .service(auth::refresh)
                        .service(auth::logout)
                        .service(auth::resend_verification)
                        .service(auth::confirm_verification)
                        .service(auth::request_password_reset)
                        .service(auth::confirm_password_reset),
                )
                .service(
                    scope("/me")
                        .service(me::get_me)
                        .service(me::update_me)
                        .service(me::change_password)
                        .service(me::list_notices)
                        .service(me::read_notices)
                        .service(applications::list_my_applications)
                        .service(saved::list_saved_offers)
                        .service(saved::save_offer)
                        .service(saved::unsave_offer)
                        .service(saved::list_saved_searches)
                        .service(saved::save_search)
                        .service(saved::visit_search)
                        .service(saved::delete_search)
                        .service(invitations::list_received_invitations)
                        .service(invitations::decline_invitation)
                        .service(invitations::accept_invitation)
                        .service(orientation::get_draft)
                        .service(orientation::save_draft)
                        .service(orientation::delete_draft)
                        .service(events::create_calendar_feed)
                        .service(events::delete_calendar_feed),
                )
                .service(scope("/invitations").service(invitations::accept_invitation_by_token))
                .service(
                    scope("/users")
                        .service(users::list_users)
                        .service(users::create_user)
                        .service(users::get_user)
                        .service(users::update_user),
                )
                .service(
                    scope("/ingest-sources")
                        .service(ingest::list_sources)
                        .service(ingest::create_source)
                        .service(ingest::get_source)
                        .service(ingest::replace_source)
                        .service(ingest::poll_source)
                        .service(ingest::list_runs),
                )
                .service(scope("/regions").service(geo::list_regions))
                .service(scope("/communes").service(geo::list_communes))
                .service(
                    scope("/centers")
                        .service(centers::list_centers)
                        .service(centers::create_center)
                        .service(centers::get_center)
                        .service(centers::update_center)
                        .service(centers::add_site)
                        .service(centers::remove_site),
                )
                .service(
                    scope("/events")
                        .service(events::list_events)
                        .service(events::create_event)
                        .service(events::get_event)
                        .service(events::update_event)
                        .service(events::publish_event)
                        .service(events::cancel_event)
                        .service(events::register_for_event)
                        .service(events::cancel_registration)
                        .service(events::complete_event)
                        .service(events::event_roster)
                        .service(events::check_in)
                        .service(events::event_calendar)
                        .service(events::event_attendance),
                )
                .service(
                    scope("/appointment-slots")
                        .service(appointments::list_slots)
                        .service(appointments::create_slots)
                        .service(appointments::withdraw_slot)
                        .service(appointments::book_slot),
                )
                .service(
                    scope("/appointments")
                        .service(appointments::list_appointments)
                        .service(appointments::get_appointment)
                        .service(appointments::cancel_appointment)
                        .service(appointments::record_outcome),
                )
                .service(
                    scope("/offers")
                        .service(offers::list_offers)
                        // Before `/{id}`, which would take "search" for an id.
                        .service(offers::search_offers)
                        .service(offers::offers_feed)
                        .service(offers::offers_atom_feed)
                        .service(offers::get_offer)
                        .service(offers::edit_offer)
                        .service(offers::approve_offer)
                        .service(offers::remove_offer)
                        .service(offers::withdraw_offer)
                        .service(offers::report_offer)
                        .service(applications::apply)
                        .service(applications::follow_link)
                        .service(applications::list_offer_applications),
                )
                .service(
                    scope("/applications")
                        .service(applications::get_application)
                        .service(applications::move_application)
                        .service(applications::withdraw_application),
                )
                .service(
                    scope("/offer-reports")
                        .service(offers::list_reports)
                        .service(offers::dismiss_report),
                )
                .service(scope("/calendars").service(events::calendar_feed))
                .service(scope("/certificates").service(events::get_certificate))
                .service(
                    scope("/organizations")
                        .service(organizations::list_organizations)
                        .service(organizations::create_organization)
                        .service(organizations::get_organization)
                        .service(organizations::update_organization)
                        .service(organizations::verify_organization)
                        .service(organizations::unverify_organization)
                        .service(organizations::list_members)
                        .service(invitations::list_invitations)
                        .service(invitations::create_invitation)
                        .service(invitations::withdraw_invitation)
                        .service(organizations::remove_member)
                        .service(organizations::list_api_keys)
                        .service(organizations::create_api_key)
                        .service(organizations::revoke_api_key)
                        .service(offers::create_offer)
                        .service(offers::push_offers)
                        .service(offers::list_organization_offers),
                )
                .service(
                    scope("/orientation")
                        .service(orientation::get_inventory)
                        .service(orientation::list_results)
                        .service(orientation::submit_result)
                        .service(orientation::get_result)
                        .service(orientation::compare_result)
                        .service(orientation::add_note)
                        .service(orientation::add_plan_step)
                        .service(orientation::update_plan_step)
                        .service(orientation::delete_plan_step),
                )
                .service(
                    scope("/occupations")
                        .service(occupations::list_occupations)
                        .service(occupations::get_occupation),
                )
                .service(
                    scope("/sectors")
                        .service(occupations::list_sectors)
                        .service(occupations::list_sector_figures)
                        .service(occupations::get_sector)
                        .service(occupations::get_sector_figures),
                ),
        );
}

/// The methods each path answers, read from the spec the route table produced, so that
/// [`unrouted`] can tell a wrong method (405) from a path of the web app or none.
pub struct Methods(Vec<(actix_web::dev::ResourceDef, String)>);

impl Methods {
    pub fn from_spec(spec: &utoipa::openapi::OpenApi) -> Self {
        let table = spec
            .paths
            .paths
            .iter()
            .map(|(path, item)| {
                let allowed = [
                    ("GET", item.get.is_some()),
                    ("POST", item.post.is_some()),
                    ("PUT", item.put.is_some()),
                    ("PATCH", item.patch.is_some()),
                    ("DELETE", item.delete.is_some()),
                ]
                .into_iter()
                .filter_map(|(method, declared)| declared.then_some(method))
                .collect::<Vec<_>>()
                .join(", ");
                (actix_web::dev::ResourceDef::new(path.as_str()), allowed)
            })
            .collect();
        Self(table)
    }

    fn allowed(&self, path: &str) -> Option<&str> {
        self.0
            .iter()
            .find(|(pattern, _)| pattern.is_match(path))
            .map(|(_, allowed)| allowed.as_str())
    }
}

/// Answers what no route took: 405 with `Allow` when the path names an operation that takes
/// other methods (a problem document on the way out, like every bare error); otherwise the web
/// app, which answers 404 under the API's prefixes.
pub async fn unrouted(
    req: actix_web::HttpRequest,
    methods: web::Data<Methods>,
    spa: Option<web::Data<crate::spa::SpaAssets>>,
    state: web::Data<crate::state::AppState>,
) -> actix_web::HttpResponse {
    match methods.allowed(req.path()) {
        Some(allowed) => actix_web::HttpResponse::MethodNotAllowed()
            .insert_header((actix_web::http::header::ALLOW, allowed))
            .finish(),
        None => crate::spa::serve(req, spa, &state).await,
    }
}
