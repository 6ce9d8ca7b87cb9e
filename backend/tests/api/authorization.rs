//! Who may call what: every route, every role, and a foreign owner.
//!
//! A caller who may not use a route at all gets 403; one who may use it but not on this
//! resource (another center's youth, another organisation) gets 404, as if it did not exist.

use reqwest::{Method, StatusCode};
use serde_json::{Value, json};
use shared::Role;

use crate::helpers::TestApp;

/// Callers in column order.
const CALLERS: [&str; 6] = [
    "anonymous",
    "youth",
    "counselor",
    "employer",
    "partner",
    "admin",
];

struct Row {
    method: Method,
    path: String,
    body: Option<Value>,
    /// Expected status per caller, in [`CALLERS`] order.
    expect: [u16; 6],
}

fn row(method: Method, path: impl Into<String>, body: Option<Value>, expect: [u16; 6]) -> Row {
    Row {
        method,
        path: path.into(),
        body,
        expect,
    }
}

/// The path with every id in it replaced by one that names nothing.
fn missing_ids(path: &str) -> String {
    path.split('/')
        .map(|segment| {
            if !segment.is_empty() && segment.bytes().all(|b| b.is_ascii_digit()) {
                "987654321"
            } else {
                segment
            }
        })
        .collect::<Vec<_>>()
        .join("/")
}

async fn every_route_allows_exactly_the_callers_it_should(app: TestApp) {
    let casa = app.center_in("Casablanca").await;
    let tanger = app.center_in("Tanger").await;
    let (_, admin) = app.account("admin@example.ma", Role::Admin, None).await;
    let (youth_casa, youth) = app
        .account("youth@example.ma", Role::Youth, Some(casa))
        .await;
    let (youth_tanger, far_youth) = app
        .account("far@example.ma", Role::Youth, Some(tanger))
        .await;
    let (_, counselor) = app
        .account("counselor@example.ma", Role::Counselor, Some(casa))
        .await;
    let (_, employer) = app
        .account("employer@example.ma", Role::Employer, None)
        .await;
    let (_, partner) = app.account("partner@example.ma", Role::Partner, None).await;
    let (recruit, recruit_token) = app
        .account("recruit@example.ma", Role::Employer, None)
        .await;
    let org = app
        .post(
            "/api/v1/organizations",
            Some(&employer),
            json!({"name": "Atlas", "kind": "employer"}),
        )
        .await
        .body["id"]
        .as_i64()
        .unwrap();
    app.verify_organization(org, &admin).await;
    app.join_by_invitation(org, &employer, "recruit@example.ma", &recruit_token)
        .await;
    app.post(
        "/api/v1/organizations",
        Some(&partner),
        json!({"name": "Agence", "kind": "recruitment_agency"}),
    )
    .await;

    // An offer of the organisation, and the youth's application to it.
    let posted = app
        .post(
            &format!("/api/v1/organizations/{org}/offers"),
            Some(&employer),
            crate::offers::offer("M-1", "Stage PFE"),
        )
        .await;
    assert_eq!(posted.status, StatusCode::CREATED, "{}", posted.body);
    let job = posted.body["id"].as_i64().unwrap();
    let applied = app
        .post(
            &format!("/api/v1/offers/{job}/applications"),
            Some(&youth),
            json!({}),
        )
        .await;
    assert_eq!(applied.status, StatusCode::CREATED, "{}", applied.body);
    let application = applied.body["id"].as_i64().unwrap();

    let result_casa = app.submit_result(&youth, [30, 10, 5, 20, 12, 8]).await;
    let result_tanger = app.submit_result(&far_youth, [5, 10, 30, 20, 12, 8]).await;
    let step_casa = app.add_step(result_casa, &admin, "Visiter le salon").await;
    let step_tanger = app.add_step(result_tanger, &admin, "Lire la fiche").await;
    let sheet = crate::helpers::answer_sheet([20, 20, 20, 20, 20, 20]);
    let draft =
        json!({"instrument_version": shared::inventory::INSTRUMENT_VERSION, "answers": {"r01": 3}});

    // Events: a draft and two public events of Casablanca's center, and one for Tanger's
    // youths alone.
    let event = |center: i64, audience: &str| {
        let start = chrono::Utc::now() + chrono::Duration::days(5);
        json!({
            "kind": "workshop",
            "title": {"fr": "Simulation d'entretien"},
            "starts_at": start.to_rfc3339(),
            "ends_at": (start + chrono::Duration::hours(2)).to_rfc3339(),
            "center_id": center,
            "capacity": 20,
            "audience": audience
        })
    };
    let new_event = |staff: &str, body: Value| {
        let app = &app;
        let staff = staff.to_owned();
        async move {
            let reply = app.post("/api/v1/events", Some(&staff), body).await;
            assert_eq!(reply.status, StatusCode::CREATED, "{}", reply.body);
            reply.body["id"].as_i64().unwrap()
        }
    };
    let draft_event = new_event(&counselor, event(casa, "public")).await;
    let mut public_events = Vec::new();
    for _ in 0..2 {
        let id = new_event(&counselor, event(casa, "public")).await;
        app.post(
            &format!("/api/v1/events/{id}/publication"),
            Some(&counselor),
            json!({}),
        )
        .await;
        public_events.push(id);
    }
    let tanger_event = new_event(&admin, event(tanger, "center")).await;
    app.post(
        &format!("/api/v1/events/{tanger_event}/publication"),
        Some(&admin),
        json!({}),
    )
    .await;

    // Appointments: two slots of Casablanca's counselor, one of Tanger's that Tanger's youth
    // booked.
    let (_, far_counselor) = app
        .account("counselor@tanger.ma", Role::Counselor, Some(tanger))
        .await;
    let slot_at = |days: i64| {
        let start = chrono::Utc::now() + chrono::Duration::days(days);
        json!({"starts_at": start.to_rfc3339(), "minutes": 30})
    };
    let offer = |counselor: String, days: i64| {
        let app = &app;
        async move {
            let reply = app
                .post("/api/v1/appointment-slots", Some(&counselor), slot_at(days))
                .await;
            assert_eq!(reply.status, StatusCode::CREATED, "{}", reply.body);
            reply.body[0]["id"].as_i64().unwrap()
        }
    };
    let casa_slot = offer(counselor.clone(), 3).await;
    let far_slot = offer(far_counselor.clone(), 3).await;
    let far_appointment = app
        .post(
            &format!("/api/v1/appointment-slots/{far_slot}/booking"),
            Some(&far_youth),
            json!({}),
        )
        .await
        .body["id"]
        .as_i64()
        .unwrap();

    // A source of gathered offers, never polled (disabled).
    let source_body = json!({"name": "matrix.example", "kind": "feed",
                             "url": "https://matrix.example/rss", "enabled": false});
    let source = app
        .post("/api/v1/ingest-sources", Some(&admin), source_body.clone())
        .await
        .body["id"]
        .as_i64()
        .unwrap();

    let tokens = [
        None,
        Some(youth),
        Some(counselor),
        Some(employer),
        Some(partner),
        Some(admin),
    ];
    let center = json!({"name": "Centre", "host_institution": "Institut", "city": "Agadir", "region_code": "09"});
    let key = json!({"name": "k", "scopes": ["organization:read"]});
    let rows = vec![
        // Sources of gathered offers: admins alone.
        row(
            Method::GET,
            "/api/v1/ingest-sources",
            None,
            [401, 403, 403, 403, 403, 200],
        ),
        row(
            Method::POST,
            "/api/v1/ingest-sources",
            Some(
                json!({"name": "new.example", "kind": "feed", "url": "https://new.example/rss", "enabled": false}),
            ),
            [401, 403, 403, 403, 403, 201],
        ),
        row(
            Method::GET,
            format!("/api/v1/ingest-sources/{source}"),
            None,
            [401, 403, 403, 403, 403, 200],
        ),
        row(
            Method::PUT,
            format!("/api/v1/ingest-sources/{source}"),
            Some(source_body.clone()),
            [401, 403, 403, 403, 403, 200],
        ),
        row(
            Method::POST,
            format!("/api/v1/ingest-sources/{source}/poll"),
            None,
            [401, 403, 403, 403, 403, 202],
        ),
        row(
            Method::GET,
            format!("/api/v1/ingest-sources/{source}/runs"),
            None,
            [401, 403, 403, 403, 403, 200],
        ),
        row(
            Method::GET,
            "/api/v1/me",
            None,
            [401, 200, 200, 200, 200, 200],
        ),
        row(
            Method::PATCH,
            "/api/v1/me",
            Some(json!({"city": "Rabat"})),
            [401, 200, 200, 200, 200, 200],
        ),
        // Everyone signed in reads and clears her own notices, and only hers.
        row(
            Method::GET,
            "/api/v1/me/notices",
            None,
            [401, 200, 200, 200, 200, 200],
        ),
        row(
            Method::POST,
            "/api/v1/me/notices/read",
            Some(json!({})),
            [401, 204, 204, 204, 204, 204],
        ),
        row(
            Method::GET,
            "/api/v1/users",
            None,
            [401, 403, 200, 403, 403, 200],
        ),
        row(
            Method::GET,
            format!("/api/v1/users/{youth_casa}"),
            None,
            [401, 403, 200, 403, 403, 200],
        ),
        row(
            Method::GET,
            format!("/api/v1/users/{youth_tanger}"),
            None,
            [401, 403, 404, 403, 403, 200],
        ),
        row(
            Method::POST,
            "/api/v1/users",
            Some(json!({"role": "youth"})),
            [401, 403, 201, 403, 403, 201],
        ),
        row(
            Method::PATCH,
            format!("/api/v1/users/{youth_tanger}"),
            Some(json!({"center_id": tanger})),
            [401, 403, 403, 403, 403, 200],
        ),
        row(
            Method::GET,
            "/api/v1/centers",
            None,
            [200, 200, 200, 200, 200, 200],
        ),
        row(
            Method::GET,
            format!("/api/v1/centers/{casa}"),
            None,
            [200, 200, 200, 200, 200, 200],
        ),
        row(
            Method::POST,
            "/api/v1/centers",
            Some(center),
            [401, 403, 403, 403, 403, 201],
        ),
        row(
            Method::PATCH,
            format!("/api/v1/centers/{casa}"),
            Some(json!({"address": "Hay Hassani"})),
            [401, 403, 403, 403, 403, 200],
        ),
        row(
            Method::POST,
            format!("/api/v1/centers/{casa}/sites"),
            Some(json!({"name": "Salle", "city": "Casablanca"})),
            [401, 403, 403, 403, 403, 201],
        ),
        row(
            Method::DELETE,
            format!("/api/v1/centers/{casa}/sites/99999"),
            None,
            [401, 403, 403, 403, 403, 404],
        ),
        row(
            Method::GET,
            "/api/v1/regions",
            None,
            [200, 200, 200, 200, 200, 200],
        ),
        row(
            Method::GET,
            "/api/v1/communes",
            None,
            [200, 200, 200, 200, 200, 200],
        ),
        row(
            Method::GET,
            "/api/v1/organizations",
            None,
            [401, 403, 403, 200, 200, 200],
        ),
        row(
            Method::POST,
            "/api/v1/organizations",
            Some(json!({"name": "Nouvelle", "kind": "association"})),
            [401, 403, 403, 201, 201, 201],
        ),
        row(
            Method::GET,
            format!("/api/v1/organizations/{org}"),
            None,
            [401, 404, 404, 200, 404, 200],
        ),
        row(
            Method::PATCH,
            format!("/api/v1/organizations/{org}"),
            Some(json!({"city": "Casablanca"})),
            [401, 404, 404, 200, 404, 200],
        ),
        row(
            Method::PUT,
            format!("/api/v1/organizations/{org}/verification"),
            None,
            [401, 403, 403, 403, 403, 200],
        ),
        row(
            Method::GET,
            format!("/api/v1/organizations/{org}/members"),
            None,
            [401, 404, 404, 200, 404, 200],
        ),
        // Offers: anyone reads the live ones; an organisation's members (and admins) post and
        // read theirs, others who may post offers see no such organisation.
        row(
            Method::GET,
            "/api/v1/offers",
            None,
            [200, 200, 200, 200, 200, 200],
        ),
        row(
            Method::GET,
            "/api/v1/offers/search?q=stage",
            None,
            [200, 200, 200, 200, 200, 200],
        ),
        row(
            Method::GET,
            "/api/v1/offers/999999",
            None,
            [404, 404, 404, 404, 404, 404],
        ),
        row(
            Method::GET,
            "/api/v1/offers?status=pending",
            None,
            [403, 403, 403, 403, 403, 200],
        ),
        row(
            Method::POST,
            "/api/v1/offers/999999/approval",
            None,
            [401, 403, 403, 403, 403, 404],
        ),
        row(
            Method::POST,
            "/api/v1/offers/999999/removal",
            None,
            [401, 403, 403, 403, 403, 404],
        ),
        row(
            Method::POST,
            "/api/v1/offers/999999/withdrawal",
            None,
            [401, 403, 403, 404, 404, 404],
        ),
        row(
            Method::PUT,
            "/api/v1/offers/999999",
            Some(json!({})),
            [401, 403, 403, 404, 404, 404],
        ),
        row(
            Method::POST,
            "/api/v1/offers/999999/reports",
            Some(json!({})),
            [401, 404, 404, 404, 404, 404],
        ),
        // Applications: youths apply and follow links; the offer's organisation reads and
        // moves its applicants; each youth reads and withdraws her own.
        row(
            Method::POST,
            "/api/v1/offers/999999/applications",
            Some(json!({})),
            [401, 404, 403, 403, 403, 403],
        ),
        row(
            Method::POST,
            "/api/v1/offers/999999/outbound",
            None,
            [401, 404, 403, 403, 403, 403],
        ),
        row(
            Method::GET,
            format!("/api/v1/offers/{job}/applications"),
            None,
            [401, 403, 403, 200, 404, 403],
        ),
        row(
            Method::GET,
            "/api/v1/me/applications",
            None,
            [401, 200, 200, 200, 200, 200],
        ),
        // What one keeps of the offers: one's own, for everyone signed in.
        row(
            Method::GET,
            "/api/v1/me/saved-offers",
            None,
            [401, 200, 200, 200, 200, 200],
        ),
        row(
            Method::PUT,
            "/api/v1/me/saved-offers/999999",
            None,
            [401, 404, 404, 404, 404, 404],
        ),
        row(
            Method::DELETE,
            "/api/v1/me/saved-offers/999999",
            None,
            [401, 204, 204, 204, 204, 204],
        ),
        row(
            Method::GET,
            "/api/v1/me/saved-searches",
            None,
            [401, 200, 200, 200, 200, 200],
        ),
        row(
            Method::POST,
            "/api/v1/me/saved-searches",
            Some(json!({"q": "stage"})),
            [401, 201, 201, 201, 201, 201],
        ),
        row(
            Method::POST,
            "/api/v1/me/saved-searches/999999/visit",
            None,
            [401, 404, 404, 404, 404, 404],
        ),
        row(
            Method::DELETE,
            "/api/v1/me/saved-searches/999999",
            None,
            [401, 404, 404, 404, 404, 404],
        ),
        row(
            Method::GET,
            format!("/api/v1/applications/{application}"),
            None,
            [401, 200, 403, 200, 404, 403],
        ),
        row(
            Method::PATCH,
            format!("/api/v1/applications/{application}"),
            Some(json!({"status": "shortlisted"})),
            [401, 403, 403, 200, 404, 403],
        ),
        row(
            Method::POST,
            format!("/api/v1/applications/{application}/withdrawal"),
            None,
            [401, 200, 403, 403, 403, 403],
        ),
        row(
            Method::GET,
            "/api/v1/offer-reports",
            None,
            [401, 403, 403, 403, 403, 200],
        ),
        row(
            Method::POST,
            "/api/v1/offer-reports/999999/dismissal",
            None,
            [401, 403, 403, 403, 403, 404],
        ),
        row(
            Method::POST,
            format!("/api/v1/organizations/{org}/offers"),
            Some(json!({})),
            [401, 403, 403, 422, 404, 422],
        ),
        row(
            Method::POST,
            format!("/api/v1/organizations/{org}/offers/batch"),
            Some(json!({})),
            [401, 403, 403, 422, 404, 422],
        ),
        row(
            Method::GET,
            format!("/api/v1/organizations/{org}/offers"),
            None,
            [401, 403, 403, 200, 404, 200],
        ),
        row(
            Method::POST,
            format!("/api/v1/organizations/{org}/invitations"),
            Some(json!({"email": "newcomer@example.ma"})),
            [401, 404, 404, 201, 404, 201],
        ),
        row(
            Method::GET,
            format!("/api/v1/organizations/{org}/invitations"),
            None,
            [401, 404, 404, 200, 404, 200],
        ),
        row(
            Method::DELETE,
            format!("/api/v1/organizations/{org}/invitations/999999"),
            None,
            [401, 404, 404, 404, 404, 404],
        ),
        row(
            Method::GET,
            "/api/v1/me/invitations",
            None,
            [401, 200, 200, 200, 200, 200],
        ),
        row(
            Method::POST,
            "/api/v1/me/invitations/999999/acceptance",
            None,
            [401, 404, 404, 404, 404, 404],
        ),
        row(
            Method::DELETE,
            "/api/v1/me/invitations/999999",
            None,
            [401, 404, 404, 404, 404, 404],
        ),
        row(
            Method::POST,
            "/api/v1/invitations/acceptance",
            Some(json!({"token": "0000"})),
            [401, 422, 422, 422, 422, 422],
        ),
        row(
            Method::POST,
            "/api/v1/auth/verification",
            None,
            [401, 202, 202, 202, 202, 202],
        ),
        row(
            Method::POST,
            "/api/v1/auth/verification/confirmation",
            Some(json!({"token": "0000"})),
            [422, 422, 422, 422, 422, 422],
        ),
        row(
            Method::POST,
            "/api/v1/auth/password-reset/confirmation",
            Some(json!({"token": "0000", "new_password": "un-nouveau-mot-de-passe"})),
            [422, 422, 422, 422, 422, 422],
        ),
        row(
            Method::GET,
            format!("/api/v1/organizations/{org}/api-keys"),
            None,
            [401, 404, 404, 200, 404, 200],
        ),
        row(
            Method::POST,
            format!("/api/v1/organizations/{org}/api-keys"),
            Some(key),
            [401, 404, 404, 201, 404, 201],
        ),
        row(
            Method::DELETE,
            format!("/api/v1/organizations/{org}/api-keys/99999"),
            None,
            [401, 404, 404, 404, 404, 404],
        ),
        row(
            Method::DELETE,
            format!("/api/v1/organizations/{org}/members/{recruit}"),
            None,
            [401, 404, 404, 204, 404, 404],
        ),
        row(
            Method::DELETE,
            format!("/api/v1/organizations/{org}/verification"),
            None,
            [401, 403, 403, 403, 403, 200],
        ),
        row(
            Method::GET,
            "/api/v1/orientation/inventory",
            None,
            [200, 200, 200, 200, 200, 200],
        ),
        row(
            Method::GET,
            "/api/v1/occupations?sector=automotive",
            None,
            [200, 200, 200, 200, 200, 200],
        ),
        row(
            Method::GET,
            "/api/v1/occupations/7231",
            None,
            [200, 200, 200, 200, 200, 200],
        ),
        row(
            Method::GET,
            "/api/v1/sectors",
            None,
            [200, 200, 200, 200, 200, 200],
        ),
        row(
            Method::GET,
            "/api/v1/sectors/automotive",
            None,
            [200, 200, 200, 200, 200, 200],
        ),
        row(
            Method::PUT,
            "/api/v1/me/orientation/draft",
            Some(draft),
            [401, 200, 403, 403, 403, 403],
        ),
        row(
            Method::GET,
            "/api/v1/me/orientation/draft",
            None,
            [401, 200, 403, 403, 403, 403],
        ),
        row(
            Method::DELETE,
            "/api/v1/me/orientation/draft",
            None,
            [401, 204, 403, 403, 403, 403],
        ),
        row(
            Method::POST,
            "/api/v1/orientation/results",
            Some(sheet),
            [401, 201, 403, 403, 403, 403],
        ),
        row(
            Method::GET,
            "/api/v1/orientation/results",
            None,
            [401, 200, 200, 403, 403, 200],
        ),
        row(
            Method::GET,
            format!("/api/v1/orientation/results?user_id={youth_tanger}"),
            None,
            [401, 403, 200, 403, 403, 200],
        ),
        row(
            Method::GET,
            format!("/api/v1/orientation/results/{result_casa}"),
            None,
            [401, 200, 200, 403, 403, 200],
        ),
        row(
            Method::GET,
            format!("/api/v1/orientation/results/{result_tanger}"),
            None,
            [401, 404, 404, 403, 403, 200],
        ),
        row(
            Method::GET,
            format!("/api/v1/orientation/results/{result_casa}/comparison"),
            None,
            [401, 200, 200, 403, 403, 200],
        ),
        row(
            Method::GET,
            format!("/api/v1/orientation/results/{result_tanger}/comparison"),
            None,
            [401, 404, 404, 403, 403, 200],
        ),
        row(
            Method::POST,
            format!("/api/v1/orientation/results/{result_casa}/notes"),
            Some(json!({"body": "Bon entretien."})),
            [401, 403, 201, 403, 403, 201],
        ),
        row(
            Method::POST,
            format!("/api/v1/orientation/results/{result_tanger}/notes"),
            Some(json!({"body": "Bon entretien."})),
            [401, 403, 404, 403, 403, 201],
        ),
        row(
            Method::POST,
            format!("/api/v1/orientation/results/{result_casa}/plan"),
            Some(json!({"title": "Préparer un CV"})),
            [401, 403, 201, 403, 403, 201],
        ),
        row(
            Method::POST,
            format!("/api/v1/orientation/results/{result_tanger}/plan"),
            Some(json!({"title": "Préparer un CV"})),
            [401, 403, 404, 403, 403, 201],
        ),
        row(
            Method::PATCH,
            format!("/api/v1/orientation/plan-steps/{step_casa}"),
            Some(json!({"status": "done"})),
            [401, 200, 200, 403, 403, 200],
        ),
        row(
            Method::PATCH,
            format!("/api/v1/orientation/plan-steps/{step_casa}"),
            Some(json!({"title": "Visiter deux salons"})),
            [401, 403, 200, 403, 403, 200],
        ),
        row(
            Method::PATCH,
            format!("/api/v1/orientation/plan-steps/{step_tanger}"),
            Some(json!({"status": "done"})),
            [401, 404, 404, 403, 403, 200],
        ),
        row(
            Method::DELETE,
            format!("/api/v1/orientation/plan-steps/{step_tanger}"),
            None,
            [401, 403, 404, 403, 403, 204],
        ),
        row(
            Method::GET,
            "/api/v1/events",
            None,
            [200, 200, 200, 200, 200, 200],
        ),
        row(
            Method::GET,
            format!("/api/v1/events/{}", public_events[0]),
            None,
            [200, 200, 200, 200, 200, 200],
        ),
        row(
            Method::GET,
            format!("/api/v1/events/{draft_event}"),
            None,
            [404, 404, 200, 404, 404, 200],
        ),
        row(
            Method::GET,
            format!("/api/v1/events/{tanger_event}"),
            None,
            [404, 404, 404, 404, 404, 200],
        ),
        row(
            Method::POST,
            "/api/v1/events",
            Some(event(casa, "public")),
            [401, 403, 201, 403, 403, 201],
        ),
        row(
            Method::PATCH,
            format!("/api/v1/events/{}", public_events[0]),
            Some(json!({"title": {"fr": "Atelier CV, deuxième séance"}})),
            [401, 403, 200, 404, 404, 200],
        ),
        row(
            Method::PATCH,
            format!("/api/v1/events/{tanger_event}"),
            Some(json!({"capacity": 30})),
            [401, 403, 404, 404, 404, 200],
        ),
        row(
            Method::POST,
            format!("/api/v1/events/{draft_event}/publication"),
            None,
            [401, 403, 200, 404, 404, 409],
        ),
        row(
            Method::POST,
            format!("/api/v1/events/{}/registration", public_events[0]),
            None,
            [401, 201, 403, 403, 403, 403],
        ),
        row(
            Method::DELETE,
            format!("/api/v1/events/{}/registration", public_events[0]),
            None,
            [401, 200, 403, 403, 403, 403],
        ),
        row(
            Method::POST,
            format!("/api/v1/events/{tanger_event}/registration"),
            None,
            [401, 404, 403, 403, 403, 403],
        ),
        row(
            Method::GET,
            format!("/api/v1/events/{}/registrations", public_events[0]),
            None,
            [401, 403, 200, 404, 404, 200],
        ),
        row(
            Method::GET,
            format!("/api/v1/events/{}/attendance.csv", public_events[0]),
            None,
            [401, 403, 200, 404, 404, 200],
        ),
        row(
            Method::POST,
            format!("/api/v1/events/{}/check-ins", public_events[0]),
            Some(json!({"code": "NOSUCHCODE"})),
            [401, 403, 422, 404, 404, 422],
        ),
        row(
            Method::POST,
            format!("/api/v1/events/{}/completion", public_events[0]),
            None,
            [401, 403, 409, 404, 404, 409],
        ),
        row(
            Method::GET,
            format!("/api/v1/events/{}/calendar.ics", public_events[0]),
            None,
            [200, 200, 200, 200, 200, 200],
        ),
        row(
            Method::POST,
            "/api/v1/me/calendar",
            None,
            [401, 201, 403, 403, 403, 403],
        ),
        row(
            Method::DELETE,
            "/api/v1/me/calendar",
            None,
            [401, 204, 403, 403, 403, 403],
        ),
        row(
            Method::GET,
            "/api/v1/certificates/NOSUCHCERTIFICATE",
            None,
            [404, 404, 404, 404, 404, 404],
        ),
        row(
            Method::GET,
            format!("/api/v1/calendars/{}", "0".repeat(64)),
            None,
            [404, 404, 404, 404, 404, 404],
        ),
        row(
            Method::POST,
            format!("/api/v1/events/{}/cancellation", public_events[1]),
            None,
            [401, 403, 200, 404, 404, 409],
        ),
        row(
            Method::GET,
            "/api/v1/appointment-slots",
            None,
            [401, 200, 200, 403, 403, 200],
        ),
        row(
            Method::POST,
            "/api/v1/appointment-slots",
            Some(slot_at(9)),
            [401, 403, 201, 403, 403, 403],
        ),
        row(
            Method::POST,
            format!("/api/v1/appointment-slots/{casa_slot}/booking"),
            Some(json!({"topic": "Mon CV"})),
            [401, 201, 403, 403, 403, 403],
        ),
        row(
            Method::POST,
            format!("/api/v1/appointment-slots/{far_slot}/booking"),
            Some(json!({})),
            [401, 404, 403, 403, 403, 403],
        ),
        row(
            Method::GET,
            "/api/v1/appointments",
            None,
            [401, 200, 200, 403, 403, 200],
        ),
        row(
            Method::GET,
            format!("/api/v1/appointments/{far_appointment}"),
            None,
            [401, 404, 404, 403, 403, 200],
        ),
        row(
            Method::PUT,
            format!("/api/v1/appointments/{far_appointment}/outcome"),
            Some(json!({"status": "held"})),
            [401, 403, 404, 403, 403, 409],
        ),
        row(
            Method::POST,
            format!("/api/v1/appointments/{far_appointment}/cancellation"),
            None,
            [401, 404, 404, 403, 403, 200],
        ),
        row(
            Method::POST,
            format!("/api/v1/appointment-slots/{far_slot}/withdrawal"),
            None,
            [401, 403, 404, 403, 403, 200],
        ),
        row(
            Method::PUT,
            "/api/v1/me/password",
            Some(
                json!({"current_password": "not-the-password-1", "new_password": "couscous-du-vendredi-5"}),
            ),
            [401, 422, 422, 422, 422, 422],
        ),
        row(
            Method::POST,
            "/api/v1/auth/logout",
            Some(json!({})),
            [204, 204, 204, 204, 204, 204],
        ),
    ];

    let mut failures = Vec::new();
    for (n, row) in rows.iter().enumerate() {
        for (i, token) in tokens.iter().enumerate() {
            let body = row.body.clone().map(|mut body| {
                if row.path == "/api/v1/users" {
                    body = json!({"email": format!("new{n}-{i}@example.ma"), "password": crate::helpers::PASSWORD, "role": "youth", "first_name": "N", "last_name": "N"});
                }
                body
            });
            let reply = app
                .call(row.method.clone(), &row.path, token.as_deref(), body)
                .await;
            if reply.status.as_u16() != row.expect[i] {
                failures.push(format!(
                    "{} {} as {}: expected {}, got {} {}",
                    row.method, row.path, CALLERS[i], row.expect[i], reply.status, reply.body
                ));
            }
            if !reply.status.is_success() {
                assert!(
                    reply.is_problem(),
                    "{} {} as {}: error without problem+json",
                    row.method,
                    row.path,
                    CALLERS[i]
                );
            }
            if ![401, 403, 404].contains(&row.expect[i]) {
                continue;
            }
            // The one refusal that the body itself decides: a youth may tick their own step
            // (status only) but not rename it, so an empty change is theirs to make.
            let body_decides = (row.method == Method::PATCH
                && row.path.starts_with("/api/v1/orientation/plan-steps/")
                && CALLERS[i] == "youth")
                // Employers and partners organise events, for the organisation the body names.
                || (row.method == Method::POST
                    && row.path == "/api/v1/events"
                    && matches!(CALLERS[i], "employer" | "partner"));
            if body_decides {
                continue;
            }
            // A caller turned away is turned away before anything else is looked at: a body
            // that is not even an object, or one that lacks every field, changes nothing…
            if row.body.is_some() {
                for bad in [json!([]), json!({})] {
                    let reply = app
                        .call(
                            row.method.clone(),
                            &row.path,
                            token.as_deref(),
                            Some(bad.clone()),
                        )
                        .await;
                    if reply.status.as_u16() != row.expect[i] {
                        failures.push(format!(
                            "{} {} as {} with body {bad}: expected {}, got {} {}",
                            row.method,
                            row.path,
                            CALLERS[i],
                            row.expect[i],
                            reply.status,
                            reply.body
                        ));
                    }
                }
            }
            // …and neither does whether the resource exists.
            let missing = missing_ids(&row.path);
            if missing != row.path {
                let reply = app
                    .call(
                        row.method.clone(),
                        &missing,
                        token.as_deref(),
                        row.body.clone(),
                    )
                    .await;
                if reply.status.as_u16() != row.expect[i] {
                    failures.push(format!(
                        "{} {missing} as {}: expected {} as for an existing one, got {} {}",
                        row.method, CALLERS[i], row.expect[i], reply.status, reply.body
                    ));
                }
            }
        }
    }
    assert!(
        failures.is_empty(),
        "authorisation mismatches:\n{}",
        failures.join("\n")
    );
    assert_eq!(
        app.get("/api/v1/users/1", Some("not-a-token")).await.status,
        StatusCode::UNAUTHORIZED
    );
}

crate::on_both_databases!(every_route_allows_exactly_the_callers_it_should);
