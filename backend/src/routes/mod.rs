//! Every route of the API, in one place, so the whole surface reads in one screen.
//!
//! Routes are registered as `web::resource(path).route(method)` so that a known path called
//! with an undeclared method answers 405, not 404.

pub mod auth;
pub mod centers;
pub mod geo;
pub mod health;
pub mod invitations;
pub mod me;
pub mod occupations;
pub mod organizations;
pub mod orientation;
pub mod users;

use actix_web::web;

/// Base path of the REST API.
pub const API: &str = "/api/v1";

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.service(web::resource("/healthz").route(web::get().to(health::healthz)))
        .service(web::resource("/readyz").route(web::get().to(health::readyz)))
        .service(web::resource("/metrics").route(web::get().to(health::metrics)))
        .service(
            web::scope(API)
                .service(web::resource("/auth/register").route(web::post().to(auth::register)))
                .service(web::resource("/auth/login").route(web::post().to(auth::login)))
                .service(web::resource("/auth/refresh").route(web::post().to(auth::refresh)))
                .service(web::resource("/auth/logout").route(web::post().to(auth::logout)))
                .service(
                    web::resource("/auth/verification")
                        .route(web::post().to(auth::resend_verification)),
                )
                .service(
                    web::resource("/auth/verification/confirmation")
                        .route(web::post().to(auth::confirm_verification)),
                )
                .service(
                    web::resource("/auth/password-reset")
                        .route(web::post().to(auth::request_password_reset)),
                )
                .service(
                    web::resource("/auth/password-reset/confirmation")
                        .route(web::post().to(auth::confirm_password_reset)),
                )
                .service(
                    web::resource("/me")
                        .route(web::get().to(me::get))
                        .route(web::patch().to(me::update)),
                )
                .service(web::resource("/me/password").route(web::put().to(me::change_password)))
                .service(
                    web::resource("/me/invitations").route(web::get().to(invitations::received)),
                )
                .service(
                    web::resource("/me/invitations/{id}")
                        .route(web::delete().to(invitations::decline)),
                )
                .service(
                    web::resource("/me/invitations/{id}/acceptance")
                        .route(web::post().to(invitations::accept)),
                )
                .service(
                    web::resource("/invitations/acceptance")
                        .route(web::post().to(invitations::accept_by_token)),
                )
                .service(
                    web::resource("/users")
                        .route(web::get().to(users::list))
                        .route(web::post().to(users::create)),
                )
                .service(
                    web::resource("/users/{id}")
                        .route(web::get().to(users::get))
                        .route(web::patch().to(users::update)),
                )
                .service(web::resource("/regions").route(web::get().to(geo::regions)))
                .service(web::resource("/communes").route(web::get().to(geo::communes)))
                .service(
                    web::resource("/centers")
                        .route(web::get().to(centers::list))
                        .route(web::post().to(centers::create)),
                )
                .service(
                    web::resource("/centers/{id}")
                        .route(web::get().to(centers::get))
                        .route(web::patch().to(centers::update)),
                )
                .service(
                    web::resource("/centers/{id}/sites").route(web::post().to(centers::add_site)),
                )
                .service(
                    web::resource("/centers/{id}/sites/{site_id}")
                        .route(web::delete().to(centers::remove_site)),
                )
                .service(
                    web::resource("/organizations")
                        .route(web::get().to(organizations::list))
                        .route(web::post().to(organizations::create)),
                )
                .service(
                    web::resource("/organizations/{id}")
                        .route(web::get().to(organizations::get))
                        .route(web::patch().to(organizations::update)),
                )
                .service(
                    web::resource("/organizations/{id}/verification")
                        .route(web::put().to(organizations::verify))
                        .route(web::delete().to(organizations::unverify)),
                )
                .service(
                    web::resource("/organizations/{id}/members")
                        .route(web::get().to(organizations::members)),
                )
                .service(
                    web::resource("/organizations/{id}/invitations")
                        .route(web::get().to(invitations::list))
                        .route(web::post().to(invitations::create)),
                )
                .service(
                    web::resource("/organizations/{id}/invitations/{invitation_id}")
                        .route(web::delete().to(invitations::withdraw)),
                )
                .service(
                    web::resource("/organizations/{id}/members/{user_id}")
                        .route(web::delete().to(organizations::remove_member)),
                )
                .service(
                    web::resource("/organizations/{id}/api-keys")
                        .route(web::get().to(organizations::api_keys))
                        .route(web::post().to(organizations::create_api_key)),
                )
                .service(
                    web::resource("/organizations/{id}/api-keys/{key_id}")
                        .route(web::delete().to(organizations::revoke_api_key)),
                )
                .service(
                    web::resource("/orientation/inventory")
                        .route(web::get().to(orientation::inventory)),
                )
                .service(
                    web::resource("/me/orientation/draft")
                        .route(web::get().to(orientation::get_draft))
                        .route(web::put().to(orientation::save_draft))
                        .route(web::delete().to(orientation::delete_draft)),
                )
                .service(
                    web::resource("/orientation/results")
                        .route(web::get().to(orientation::list))
                        .route(web::post().to(orientation::submit)),
                )
                .service(
                    web::resource("/orientation/results/{id}")
                        .route(web::get().to(orientation::get)),
                )
                .service(
                    web::resource("/orientation/results/{id}/comparison")
                        .route(web::get().to(orientation::compare)),
                )
                .service(
                    web::resource("/orientation/results/{id}/notes")
                        .route(web::post().to(orientation::add_note)),
                )
                .service(
                    web::resource("/orientation/results/{id}/plan")
                        .route(web::post().to(orientation::add_step)),
                )
                .service(
                    web::resource("/orientation/plan-steps/{id}")
                        .route(web::patch().to(orientation::update_step))
                        .route(web::delete().to(orientation::delete_step)),
                )
                .service(web::resource("/occupations").route(web::get().to(occupations::list)))
                .service(
                    web::resource("/occupations/{isco08}").route(web::get().to(occupations::get)),
                )
                .service(web::resource("/sectors").route(web::get().to(occupations::sectors)))
                .service(
                    web::resource("/sectors/{code}").route(web::get().to(occupations::sector)),
                ),
        );
}
