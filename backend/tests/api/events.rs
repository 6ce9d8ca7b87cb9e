//! Events: who creates, publishes and sees them; registration with capacity and waitlist,
//! under concurrency on both databases.

use chrono::{Duration, Utc};
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};
use shared::Role;

use crate::helpers::{TestApp, with_key};

/// A workshop of `center` starting in `days` days, for `capacity` youths.
fn workshop(center: i64, days: i64, capacity: i64) -> Value {
    let start = Utc::now() + Duration::days(days);
    json!({
        "kind": "workshop",
        "title": {"fr": "Réussir son CV", "ar": "إعداد السيرة الذاتية"},
        "description": {"fr": "Deux heures pour un CV qui se lit en trente secondes."},
        "starts_at": start.to_rfc3339(),
        "ends_at": (start + Duration::hours(2)).to_rfc3339(),
        "center_id": center,
        "capacity": capacity,
        "sectors": ["offshoring"],
        "areas": ["social", "enterprising"]
    })
}

/// A company visit of organisation `org` in `city`, six days ahead, for fifteen youths.
fn company_visit(org: i64, city: &str) -> Value {
    let mut visit = workshop(0, 6, 15);
    visit["kind"] = json!("company_visit");
    visit.as_object_mut().unwrap().remove("center_id");
    visit["organization_id"] = json!(org);
    visit["city"] = json!(city);
    visit
}

impl TestApp {
    /// Creates and publishes an event as `staff`; returns its id.
    async fn published(&self, staff: &str, body: Value) -> i64 {
        let created = self.post("/api/v1/events", Some(staff), body).await;
        assert_eq!(created.status, StatusCode::CREATED, "{}", created.body);
        let id = created.body["id"].as_i64().unwrap();
        let published = self
            .post(
                &format!("/api/v1/events/{id}/publication"),
                Some(staff),
                json!({}),
            )
            .await;
        assert_eq!(published.status, StatusCode::OK, "{}", published.body);
        id
    }
}

async fn a_counselor_publishes_a_workshop_and_youths_take_seats_then_wait(app: TestApp) {
    let center = app.center_in("Marrakech").await;
    let (_, counselor) = app
        .account("conseil@marrakech.ma", Role::Counselor, Some(center))
        .await;
    let created = app
        .post("/api/v1/events", Some(&counselor), workshop(center, 7, 1))
        .await;
    assert_eq!(created.status, StatusCode::CREATED, "{}", created.body);
    let id = created.body["id"].as_i64().unwrap();
    assert_eq!(created.body["status"], "draft");
    assert_eq!(
        created.body["city"], "Marrakech",
        "the center's city by default"
    );
    assert_eq!(created.body["sectors"], json!(["offshoring"]));
    assert_eq!(created.body["areas"], json!(["social", "enterprising"]));
    // Morocco's time, with its offset (UTC+00 since 2026-09-20, written `Z`).
    let starts = created.body["starts_at"].as_str().unwrap();
    assert!(starts.ends_with('Z'), "{starts}");

    // A draft exists for its organisers only.
    let path = format!("/api/v1/events/{id}");
    assert_eq!(app.get(&path, None).await.status, StatusCode::NOT_FOUND);
    let listed = app.get("/api/v1/events", None).await;
    assert_eq!(listed.body["items"], json!([]));
    assert_eq!(
        app.get(&path, Some(&counselor)).await.body["status"],
        "draft"
    );
    assert_eq!(
        app.get(&path, Some(&counselor)).await.body["organised"],
        true
    );

    let published = app
        .post(&format!("{path}/publication"), Some(&counselor), json!({}))
        .await;
    assert_eq!(published.status, StatusCode::OK, "{}", published.body);
    let again = app
        .post(&format!("{path}/publication"), Some(&counselor), json!({}))
        .await;
    assert_eq!(again.status, StatusCode::CONFLICT);
    assert_eq!(again.error_fields(), [""]);
    assert_eq!(again.body["errors"][0]["code"], "event.wrong_status");
    let listed = app.get("/api/v1/events?kind=workshop", None).await;
    assert_eq!(listed.body["items"][0]["id"], id);
    assert_eq!(listed.body["items"][0]["organised"], false);
    assert_eq!(
        app.get("/api/v1/events?kind=job_fair", None).await.body["items"],
        json!([])
    );
    assert_eq!(
        app.get("/api/v1/events?sector=offshoring&seats_left=true", None)
            .await
            .body["items"][0]["id"],
        id
    );

    let youths = app.youths("amal", 3, Some(center)).await;
    let registration = format!("{path}/registration");
    let first = app.post(&registration, Some(&youths[0]), json!({})).await;
    assert_eq!(first.status, StatusCode::CREATED, "{}", first.body);
    assert_eq!(first.body["my_registration"]["status"], "registered");
    assert_eq!(first.body["seats_left"], 0);
    let twice = app.post(&registration, Some(&youths[0]), json!({})).await;
    assert_eq!(twice.status, StatusCode::CONFLICT);
    assert_eq!(twice.body["errors"][0]["code"], "registration.exists");
    for (youth, place) in [(&youths[1], 1), (&youths[2], 2)] {
        let waiting = app.post(&registration, Some(youth), json!({})).await;
        assert_eq!(waiting.status, StatusCode::CREATED, "{}", waiting.body);
        assert_eq!(waiting.body["my_registration"]["status"], "waitlisted");
        assert_eq!(waiting.body["my_registration"]["waitlist_position"], place);
    }
    assert_eq!(
        app.get("/api/v1/events?seats_left=true", None).await.body["items"],
        json!([])
    );

    // The seat given up goes to the first in line at once; the second moves up.
    let left = app
        .call(Method::DELETE, &registration, Some(&youths[0]), None)
        .await;
    assert_eq!(left.status, StatusCode::OK, "{}", left.body);
    assert_eq!(left.body["my_registration"]["status"], "cancelled");
    let promoted = app.get(&path, Some(&youths[1])).await;
    assert_eq!(promoted.body["my_registration"]["status"], "registered");
    assert_eq!(promoted.body["waitlisted"], 1);
    let second = app.get(&path, Some(&youths[2])).await;
    assert_eq!(second.body["my_registration"]["waitlist_position"], 1);
    let none = app
        .call(Method::DELETE, &registration, Some(&youths[0]), None)
        .await;
    assert_eq!(none.status, StatusCode::CONFLICT);
    assert_eq!(none.body["errors"][0]["code"], "registration.none");
    // Coming back after cancelling: the end of the line.
    let back = app.post(&registration, Some(&youths[0]), json!({})).await;
    assert_eq!(back.body["my_registration"]["waitlist_position"], 2);

    // Cancelling the event ends every registration.
    let cancelled = app
        .post(&format!("{path}/cancellation"), Some(&counselor), json!({}))
        .await;
    assert_eq!(cancelled.status, StatusCode::OK, "{}", cancelled.body);
    assert_eq!(cancelled.body["seats_left"], 1);
    let seen = app.get(&path, Some(&youths[1])).await;
    assert_eq!(seen.body["status"], "cancelled");
    assert_eq!(seen.body["my_registration"]["status"], "cancelled");
    let late = app.post(&registration, Some(&youths[1]), json!({})).await;
    assert_eq!(late.status, StatusCode::CONFLICT);
    assert_eq!(late.body["errors"][0]["code"], "registration.closed");
    assert_eq!(
        app.count(&format!(
            "audit_log WHERE target_type = 'event' AND target_id = '{id}'"
        ))
        .await,
        3,
        "created, published, cancelled"
    );
}

async fn bad_events_are_refused_field_by_field_and_nothing_is_stored(app: TestApp) {
    let center = app.center_in("Marrakech").await;
    let (_, counselor) = app
        .account("conseil@marrakech.ma", Role::Counselor, Some(center))
        .await;
    let start = Utc::now() + Duration::days(3);
    let mut bad = workshop(center, 3, 10);
    bad["ends_at"] = json!((start - Duration::hours(1)).to_rfc3339());
    bad["capacity"] = json!(0);
    bad["title"] = json!({"fr": "  "});
    bad["online"] = json!(true);
    bad["sectors"] = json!(["offshoring"]);
    let refused = app.post("/api/v1/events", Some(&counselor), bad).await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    let mut fields = refused.error_fields();
    fields.sort();
    assert_eq!(
        fields,
        ["capacity", "ends_at", "online_url", "title"],
        "{}",
        refused.body
    );
    let mut huge = workshop(center, 3, 10);
    huge["capacity"] = json!(1_000_000_000);
    let refused = app.post("/api/v1/events", Some(&counselor), huge).await;
    assert_eq!(refused.body["errors"][0]["code"], "capacity.out_of_range");
    let mut unknown = workshop(center, 3, 10);
    unknown["sectors"] = json!(["no-such-sector"]);
    let refused = app.post("/api/v1/events", Some(&counselor), unknown).await;
    assert_eq!(refused.body["errors"][0]["code"], "sector.unknown");
    let mut past = workshop(center, 3, 10);
    past["starts_at"] = json!((Utc::now() - Duration::hours(1)).to_rfc3339());
    let refused = app.post("/api/v1/events", Some(&counselor), past).await;
    assert_eq!(refused.body["errors"][0]["code"], "date.not_future");
    assert_eq!(app.count("events").await, 0);
    assert_eq!(app.count("event_sectors").await, 0);

    // Registration ends at the start, whatever the window said.
    let id = app.published(&counselor, workshop(center, 3, 10)).await;
    started(&app, id, 5).await;
    let youth = app.youths("late", 1, Some(center)).await;
    let late = app
        .post(
            &format!("/api/v1/events/{id}/registration"),
            Some(&youth[0]),
            json!({}),
        )
        .await;
    assert_eq!(late.status, StatusCode::CONFLICT, "{}", late.body);
    assert_eq!(late.body["errors"][0]["code"], "registration.closed");
    assert_eq!(app.count("registrations").await, 0);
}

async fn events_are_seen_and_changed_by_those_they_belong_to(app: TestApp) {
    let marrakech = app.center_in("Marrakech").await;
    let tanger = app.center_in("Tanger").await;
    let (_, marrakech_staff) = app
        .account("conseil@marrakech.ma", Role::Counselor, Some(marrakech))
        .await;
    let (_, tanger_staff) = app
        .account("conseil@tanger.ma", Role::Counselor, Some(tanger))
        .await;
    let (_, admin) = app.account("admin@cc.ma", Role::Admin, None).await;
    let marrakech_youth = app.youths("marrakech", 1, Some(marrakech)).await.remove(0);
    let tanger_youth = app.youths("tanger", 1, Some(tanger)).await.remove(0);

    // Roles that organise nothing are refused before the body is read.
    for body in [json!({}), json!([]), workshop(marrakech, 3, 10)] {
        let refused = app
            .post("/api/v1/events", Some(&marrakech_youth), body)
            .await;
        assert_eq!(refused.status, StatusCode::FORBIDDEN);
    }
    // A counselor organises for her own center only.
    let other = app
        .post(
            "/api/v1/events",
            Some(&tanger_staff),
            workshop(marrakech, 3, 10),
        )
        .await;
    assert_eq!(other.status, StatusCode::FORBIDDEN);

    // An event for the center's youths only.
    let mut own = workshop(marrakech, 3, 10);
    own["audience"] = json!("center");
    let id = app.published(&marrakech_staff, own).await;
    let path = format!("/api/v1/events/{id}");
    assert_eq!(
        app.get(&path, Some(&marrakech_youth)).await.status,
        StatusCode::OK
    );
    for outsider in [None, Some(tanger_youth.as_str())] {
        assert_eq!(app.get(&path, outsider).await.status, StatusCode::NOT_FOUND);
        assert_eq!(
            app.get("/api/v1/events", outsider).await.body["items"],
            json!([])
        );
    }
    let refused = app
        .post(
            &format!("{path}/registration"),
            Some(&tanger_youth),
            json!({}),
        )
        .await;
    assert_eq!(refused.status, StatusCode::NOT_FOUND);
    // Another center's counselor sees a public event but cannot change it: to her it is as if
    // it did not exist.
    let public = app
        .published(&marrakech_staff, workshop(marrakech, 4, 10))
        .await;
    let cancel = app
        .post(
            &format!("/api/v1/events/{public}/cancellation"),
            Some(&tanger_staff),
            json!({}),
        )
        .await;
    assert_eq!(cancel.status, StatusCode::NOT_FOUND);
    // Staff do not register; admins organise anywhere.
    let staff_registers = app
        .post(
            &format!("/api/v1/events/{public}/registration"),
            Some(&marrakech_staff),
            json!({}),
        )
        .await;
    assert_eq!(staff_registers.status, StatusCode::FORBIDDEN);
    let by_admin = app
        .post("/api/v1/events", Some(&admin), workshop(tanger, 5, 10))
        .await;
    assert_eq!(by_admin.status, StatusCode::CREATED, "{}", by_admin.body);
    // Each organiser's own events, drafts included: what her screens list.
    let draft = app
        .post(
            "/api/v1/events",
            Some(&marrakech_staff),
            workshop(marrakech, 9, 10),
        )
        .await
        .body["id"]
        .as_i64()
        .unwrap();
    let ids = |reply: crate::helpers::Reply| -> Vec<i64> {
        reply.body["items"]
            .as_array()
            .unwrap()
            .iter()
            .map(|e| e["id"].as_i64().unwrap())
            .collect()
    };
    let own = ids(app
        .get("/api/v1/events?organised=true", Some(&marrakech_staff))
        .await);
    assert_eq!(own, [id, public, draft]);
    // The admin's event at Tanger's center is its counselors' to run.
    let tanger_own = by_admin.body["id"].as_i64().unwrap();
    assert_eq!(
        ids(app
            .get("/api/v1/events?organised=true", Some(&tanger_staff))
            .await),
        [tanger_own]
    );
    assert!(
        ids(app
            .get("/api/v1/events?organised=true", Some(&marrakech_youth))
            .await)
        .is_empty()
    );
    assert!(ids(app.get("/api/v1/events?organised=true", None).await).is_empty());
    assert_eq!(
        ids(app.get("/api/v1/events?organised=true", Some(&admin)).await).len(),
        4
    );
    // An expired or forged token on a public read is a 401, not a quieter answer.
    let forged = app.get("/api/v1/events", Some("not-a-token")).await;
    assert_eq!(forged.status, StatusCode::UNAUTHORIZED);

    // An organisation publishes once verified.
    let (_, employer) = app.account("rh@atlas.ma", Role::Employer, None).await;
    let org = app
        .post(
            "/api/v1/organizations",
            Some(&employer),
            json!({"name": "Atlas Câblage", "kind": "employer"}),
        )
        .await
        .body["id"]
        .as_i64()
        .unwrap();
    let visit = company_visit(org, "Kénitra");
    let unverified = app
        .post("/api/v1/events", Some(&employer), visit.clone())
        .await;
    assert_eq!(unverified.status, StatusCode::CONFLICT);
    assert_eq!(
        unverified.body["errors"][0]["code"],
        "organization.unverified"
    );
    app.verify_organization(org, &admin).await;
    let id = app.published(&employer, visit.clone()).await;
    let seen = app.get(&format!("/api/v1/events/{id}"), None).await;
    assert_eq!(seen.body["organizer_name"], "Atlas Câblage");
    assert_eq!(seen.body["city"], "Kénitra");
    // Another employer cannot organise for it.
    let (_, stranger) = app.account("rh@other.ma", Role::Employer, None).await;
    let refused = app.post("/api/v1/events", Some(&stranger), visit).await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN);
    assert_eq!(app.count("events").await, 5);
}

async fn an_online_link_goes_to_registrants_and_organisers_only(app: TestApp) {
    let center = app.center_in("Marrakech").await;
    let (_, counselor) = app
        .account("conseil@marrakech.ma", Role::Counselor, Some(center))
        .await;
    let mut online = workshop(center, 3, 10);
    online["online"] = json!(true);
    online["online_url"] = json!("https://meet.example.ma/cv");
    let id = app.published(&counselor, online).await;
    let path = format!("/api/v1/events/{id}");
    let public = app.get(&path, None).await;
    assert_eq!(public.body["online"], true);
    assert!(public.body.get("online_url").is_none(), "{}", public.body);
    assert_eq!(
        app.get(&path, Some(&counselor)).await.body["online_url"],
        "https://meet.example.ma/cv"
    );
    let youth = app.youths("net", 1, Some(center)).await.remove(0);
    assert!(
        app.get(&path, Some(&youth))
            .await
            .body
            .get("online_url")
            .is_none()
    );
    let registered = app
        .post(&format!("{path}/registration"), Some(&youth), json!({}))
        .await;
    assert_eq!(registered.body["online_url"], "https://meet.example.ma/cv");
}

/// Moves an event's start `minutes` into the past, as time would.
async fn started(app: &TestApp, id: i64, minutes: i64) {
    use backend::entities::event;
    use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, sea_query::Expr};
    event::Entity::update_many()
        .col_expr(
            event::Column::StartsAt,
            Expr::value(Utc::now() - Duration::minutes(minutes)),
        )
        .filter(event::Column::Id.eq(id))
        .exec(&app.db)
        .await
        .unwrap();
}

async fn a_counselor_checks_youths_in_by_code_and_the_others_did_not_come(app: TestApp) {
    let center = app.center_in("Marrakech").await;
    let tanger = app.center_in("Tanger").await;
    let (_, counselor) = app
        .account("conseil@marrakech.ma", Role::Counselor, Some(center))
        .await;
    let (_, stranger) = app
        .account("conseil@tanger.ma", Role::Counselor, Some(tanger))
        .await;
    let id = app.published(&counselor, workshop(center, 2, 2)).await;
    let other = app.published(&counselor, workshop(center, 2, 5)).await;
    let youths = app.youths("salle", 3, Some(center)).await;
    let path = format!("/api/v1/events/{id}");
    for youth in &youths {
        let reply = app
            .post(&format!("{path}/registration"), Some(youth), json!({}))
            .await;
        assert_eq!(reply.status, StatusCode::CREATED, "{}", reply.body);
    }
    app.post(
        &format!("/api/v1/events/{other}/registration"),
        Some(&youths[0]),
        json!({}),
    )
    .await;

    // Her code and its QR code are hers; the list gives the code without the drawing.
    let mine = app.get(&path, Some(&youths[0])).await.body["my_registration"].clone();
    let code = mine["code"].as_str().unwrap().to_owned();
    assert_eq!(code.len(), 10);
    assert!(
        mine["qr_svg"].as_str().unwrap().starts_with("<svg"),
        "{mine}"
    );
    let listed = app.get("/api/v1/events", Some(&youths[0])).await;
    let in_list = &listed.body["items"][0]["my_registration"];
    assert_eq!(in_list["code"].as_str(), Some(code.as_str()));
    assert!(in_list.get("qr_svg").is_none());
    let waiting = app.get(&path, Some(&youths[2])).await.body["my_registration"].clone();
    assert!(waiting.get("qr_svg").is_none(), "no seat, nothing to scan");
    assert!(
        app.get(&path, None)
            .await
            .body
            .get("my_registration")
            .is_none()
    );

    // Her events: this one and the other, past ones too; nobody else's.
    let mine = app.get("/api/v1/events?mine=true", Some(&youths[0])).await;
    let ids: Vec<i64> = mine.body["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["id"].as_i64().unwrap())
        .collect();
    assert_eq!(ids, [id, other]);
    let hers = app.get("/api/v1/events?mine=true", Some(&youths[1])).await;
    assert_eq!(hers.body["items"].as_array().unwrap().len(), 1);
    for nobody in [None, Some(counselor.as_str())] {
        let none = app.get("/api/v1/events?mine=true", nobody).await;
        assert_eq!(none.body["items"], json!([]));
    }

    // The roster, for the organisers only.
    let roster = app
        .get(&format!("{path}/registrations"), Some(&counselor))
        .await;
    assert_eq!(roster.status, StatusCode::OK, "{}", roster.body);
    let entries = roster.body["items"].as_array().unwrap();
    assert_eq!(entries.len(), 3);
    assert_eq!(entries[0]["first_name"], "Test");
    assert_eq!(entries[0]["code"].as_str(), Some(code.as_str()));
    assert_eq!(
        app.get(&format!("{path}/registrations"), Some(&youths[0]))
            .await
            .status,
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        app.get(&format!("{path}/registrations"), Some(&stranger))
            .await
            .status,
        StatusCode::NOT_FOUND
    );
    let waiting_list = app
        .get(
            &format!("{path}/registrations?status=waitlisted"),
            Some(&counselor),
        )
        .await;
    assert_eq!(waiting_list.body["items"].as_array().unwrap().len(), 1);

    // Not days ahead: the doors open an hour before the start.
    let check_ins = format!("{path}/check-ins");
    let early = app
        .post(&check_ins, Some(&counselor), json!({"code": code}))
        .await;
    assert_eq!(early.status, StatusCode::CONFLICT);
    assert_eq!(early.body["errors"][0]["code"], "checkin.not_yet");
    started(&app, id, -30).await;
    // Characters no code has are refused before the database is asked (a NUL would make
    // PostgreSQL fail).
    let strange = app
        .post(&check_ins, Some(&counselor), json!({"code": "AB\u{0}CD"}))
        .await;
    assert_eq!(
        strange.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "{}",
        strange.body
    );
    // Scanned, or typed in lower case with spaces: the same youth, checked in once.
    let typed = format!("{} {}", code[..5].to_lowercase(), &code[5..]);
    for attempt in [code.clone(), typed] {
        let checked = app
            .post(&check_ins, Some(&counselor), json!({"code": attempt}))
            .await;
        assert_eq!(checked.status, StatusCode::OK, "{}", checked.body);
        assert_eq!(checked.body["status"], "attended");
    }
    let waiting_code = waiting["code"].as_str().unwrap();
    let refused = app
        .post(&check_ins, Some(&counselor), json!({"code": waiting_code}))
        .await;
    assert_eq!(refused.status, StatusCode::CONFLICT);
    assert_eq!(refused.body["errors"][0]["code"], "checkin.no_seat");
    // The code of her registration to another event is unknown here.
    started(&app, other, -30).await;
    let elsewhere = app
        .get(&format!("/api/v1/events/{other}"), Some(&youths[0]))
        .await
        .body["my_registration"]["code"]
        .as_str()
        .unwrap()
        .to_owned();
    let refused = app
        .post(&check_ins, Some(&counselor), json!({"code": elsewhere}))
        .await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(refused.error_fields(), ["code"]);
    assert_eq!(refused.body["errors"][0]["code"], "checkin.unknown");
    for bad in [
        json!({}),
        json!({"code": code, "registration_id": 1}),
        json!({"code": " - "}),
    ] {
        let refused = app.post(&check_ins, Some(&counselor), bad).await;
        assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    }

    // Not before it starts; then those not checked in did not come, and the line ends.
    let early = app
        .post(&format!("{path}/completion"), Some(&counselor), json!({}))
        .await;
    assert_eq!(early.status, StatusCode::CONFLICT);
    assert_eq!(early.body["errors"][0]["code"], "event.wrong_status");
    started(&app, id, 90).await;
    let held = app
        .post(&format!("{path}/completion"), Some(&counselor), json!({}))
        .await;
    assert_eq!(held.status, StatusCode::OK, "{}", held.body);
    assert_eq!(held.body["status"], "held");
    let statuses: Vec<String> = app
        .get(&format!("{path}/registrations"), Some(&counselor))
        .await
        .body["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["status"].as_str().unwrap().to_owned())
        .collect();
    assert_eq!(statuses, ["attended", "no_show", "cancelled"]);
    // A past event stays in her list, with what came of it.
    let past = app.get("/api/v1/events?mine=true", Some(&youths[0])).await;
    assert_eq!(past.body["items"][0]["id"], id);
    assert_eq!(
        past.body["items"][0]["my_registration"]["status"],
        "attended"
    );
    // Attendance can be mended from the roster afterwards.
    let second = app
        .get(
            &format!("{path}/registrations?status=no_show"),
            Some(&counselor),
        )
        .await
        .body["items"][0]["id"]
        .as_i64()
        .unwrap();
    let mended = app
        .post(
            &check_ins,
            Some(&counselor),
            json!({"registration_id": second}),
        )
        .await;
    assert_eq!(mended.status, StatusCode::OK, "{}", mended.body);
    assert_eq!(mended.body["status"], "attended");
    assert_eq!(
        app.count("audit_log WHERE action = 'event.check_in'").await,
        2,
        "a second scan of the same youth changes nothing"
    );
}

async fn an_event_goes_to_a_calendar_and_a_youth_subscribes_to_her_own(app: TestApp) {
    let center = app.center_in("Marrakech").await;
    let (_, counselor) = app
        .account("conseil@marrakech.ma", Role::Counselor, Some(center))
        .await;
    let id = app.published(&counselor, workshop(center, 3, 10)).await;
    let mut own = workshop(center, 4, 10);
    own["audience"] = json!("center");
    own["title"] = json!({"fr": "Visite de l'usine"});
    let center_only = app.published(&counselor, own).await;
    let other = app.published(&counselor, workshop(center, 5, 10)).await;

    let file = app
        .client
        .get(app.url(&format!("/api/v1/events/{id}/calendar.ics")))
        .send()
        .await
        .unwrap();
    assert_eq!(file.status(), StatusCode::OK);
    assert!(
        file.headers()["content-type"]
            .to_str()
            .unwrap()
            .starts_with("text/calendar")
    );
    let text = file.text().await.unwrap();
    for line in [
        "BEGIN:VCALENDAR",
        "BEGIN:VEVENT",
        "SUMMARY:Réussir son CV",
        &format!("UID:event-{id}@"),
        "STATUS:CONFIRMED",
    ] {
        assert!(text.contains(line), "{line} in {text}");
    }
    // Times in UTC, as RFC 5545 writes them.
    assert!(
        text.lines()
            .any(|l| l.starts_with("DTSTART:") && l.trim_end().ends_with('Z')),
        "{text}"
    );
    let arabic = app
        .client
        .get(app.url(&format!("/api/v1/events/{id}/calendar.ics?lang=ar")))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(arabic.contains("SUMMARY:إعداد السيرة الذاتية"), "{arabic}");
    // What one may not see has no calendar either.
    assert_eq!(
        app.get(&format!("/api/v1/events/{center_only}/calendar.ics"), None)
            .await
            .status,
        StatusCode::NOT_FOUND
    );

    // Her feed: her registrations only, at an address she can replace or remove.
    let youth = app.youths("agenda", 1, Some(center)).await.remove(0);
    for event in [id, center_only] {
        app.post(
            &format!("/api/v1/events/{event}/registration"),
            Some(&youth),
            json!({}),
        )
        .await;
    }
    let feed_path = |reply: &crate::helpers::Reply| {
        let url = reply.body["url"].as_str().unwrap();
        url[url.find("/api/v1/calendars/").unwrap()..].to_owned()
    };
    let read = |path: String| {
        let app = &app;
        async move {
            let reply = app.client.get(app.url(&path)).send().await.unwrap();
            (reply.status(), reply.text().await.unwrap_or_default())
        }
    };
    let created = app
        .post("/api/v1/me/calendar", Some(&youth), json!({}))
        .await;
    assert_eq!(created.status, StatusCode::CREATED, "{}", created.body);
    let first = feed_path(&created);
    let (status, text) = read(first.clone()).await;
    assert_eq!(status, StatusCode::OK);
    assert!(text.contains("SUMMARY:Réussir son CV"), "{text}");
    assert!(text.contains("SUMMARY:Visite de l'usine"), "{text}");
    assert!(!text.contains(&format!("UID:event-{other}@")), "{text}");
    // A place given up leaves her calendar.
    app.call(
        Method::DELETE,
        &format!("/api/v1/events/{center_only}/registration"),
        Some(&youth),
        None,
    )
    .await;
    let (status, text) = read(first.clone()).await;
    assert_eq!(status, StatusCode::OK);
    assert!(!text.contains("Visite de l'usine"), "{text}");
    // A new address revokes the old one; removing it revokes it too.
    let second = feed_path(
        &app.post("/api/v1/me/calendar", Some(&youth), json!({}))
            .await,
    );
    assert_ne!(first, second);
    assert_eq!(read(first).await.0, StatusCode::NOT_FOUND);
    assert_eq!(read(second.clone()).await.0, StatusCode::OK);
    let removed = app
        .call(Method::DELETE, "/api/v1/me/calendar", Some(&youth), None)
        .await;
    assert_eq!(removed.status, StatusCode::NO_CONTENT);
    assert_eq!(read(second).await.0, StatusCode::NOT_FOUND);
    // Asked twice at once (a double tap): both answered, one address kept.
    let (a, b) = tokio::join!(
        app.post("/api/v1/me/calendar", Some(&youth), json!({})),
        app.post("/api/v1/me/calendar", Some(&youth), json!({})),
    );
    assert_eq!(
        (a.status, b.status),
        (StatusCode::CREATED, StatusCode::CREATED),
        "{} {}",
        a.body,
        b.body
    );
    assert_eq!(app.count("calendar_feeds").await, 1);
    let answers = [read(feed_path(&a)).await.0, read(feed_path(&b)).await.0];
    assert!(
        answers.contains(&StatusCode::OK) && answers.contains(&StatusCode::NOT_FOUND),
        "{answers:?}"
    );
    // The address is never kept in clear, not even by the replay of a retried POST.
    let replayed = app
        .client
        .post(app.url("/api/v1/me/calendar"))
        .bearer_auth(&youth)
        .header("Idempotency-Key", "feed-once")
        .json(&json!({}))
        .send()
        .await
        .unwrap();
    assert_eq!(replayed.headers()["cache-control"], "no-store");
    assert_eq!(
        app.count("idempotency_keys WHERE response_body LIKE '%calendars%'")
            .await,
        0
    );
    // Feeds are for youths' registrations.
    let refused = app
        .post("/api/v1/me/calendar", Some(&counselor), json!({}))
        .await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN);
}

async fn a_soft_skills_training_attended_earns_a_certificate_anyone_can_check(app: TestApp) {
    let center = app.center_in("Marrakech").await;
    let (_, counselor) = app
        .account("conseil@marrakech.ma", Role::Counselor, Some(center))
        .await;
    let mut training = workshop(center, 2, 10);
    training["kind"] = json!("soft_skills_training");
    training["title"] = json!({"fr": "Prendre la parole en public", "en": "Speaking in public"});
    let id = app.published(&counselor, training).await;
    let plain = app.published(&counselor, workshop(center, 2, 10)).await;
    let youth = app.youths("parole", 1, Some(center)).await.remove(0);
    let mut codes = Vec::new();
    for event in [id, plain] {
        let reply = app
            .post(
                &format!("/api/v1/events/{event}/registration"),
                Some(&youth),
                json!({}),
            )
            .await;
        codes.push(
            reply.body["my_registration"]["code"]
                .as_str()
                .unwrap()
                .to_owned(),
        );
        assert!(
            reply.body["my_registration"]
                .get("certificate_code")
                .is_none()
        );
    }
    for (event, code) in [id, plain].iter().zip(&codes) {
        started(&app, *event, -30).await;
        let checked = app
            .post(
                &format!("/api/v1/events/{event}/check-ins"),
                Some(&counselor),
                json!({"code": code}),
            )
            .await;
        assert_eq!(checked.status, StatusCode::OK, "{}", checked.body);
    }
    let mine = app.get(&format!("/api/v1/events/{id}"), Some(&youth)).await;
    let certificate = mine.body["my_registration"]["certificate_code"]
        .as_str()
        .expect("a certificate for the training")
        .to_owned();
    assert_eq!(certificate.len(), 16);
    // A workshop gives none.
    let workshop_seen = app
        .get(&format!("/api/v1/events/{plain}"), Some(&youth))
        .await;
    assert!(
        workshop_seen.body["my_registration"]
            .get("certificate_code")
            .is_none()
    );
    // Anyone checks it from its code, typed in lower case; it says nothing more of her.
    let checked = app
        .get(
            &format!("/api/v1/certificates/{}", certificate.to_lowercase()),
            None,
        )
        .await;
    assert_eq!(checked.status, StatusCode::OK, "{}", checked.body);
    assert_eq!(checked.body["holder"], "Test youth");
    assert_eq!(checked.body["training"]["en"], "Speaking in public");
    assert_eq!(checked.body["kind"], "soft_skills_training");
    assert!(checked.body["held_on"].as_str().unwrap().len() == 10);
    let mut fields: Vec<&String> = checked.body.as_object().unwrap().keys().collect();
    fields.sort();
    assert_eq!(
        fields,
        [
            "attended_at",
            "code",
            "held_on",
            "holder",
            "kind",
            "organizer_name",
            "training"
        ]
    );
    for unknown in ["ZZZZZZZZZZZZZZZZ", "ZZZZZZZZZZZZZZ%00Z", "short"] {
        assert_eq!(
            app.get(&format!("/api/v1/certificates/{unknown}"), None)
                .await
                .status,
            StatusCode::NOT_FOUND,
            "{unknown}"
        );
    }
    // A training called off certifies nothing.
    app.post(
        &format!("/api/v1/events/{id}/cancellation"),
        Some(&counselor),
        json!({}),
    )
    .await;
    assert_eq!(
        app.get(&format!("/api/v1/certificates/{certificate}"), None)
            .await
            .status,
        StatusCode::NOT_FOUND
    );
    // The check-in code is not a certificate's.
    assert_eq!(
        app.get(&format!("/api/v1/certificates/{}", codes[0]), None)
            .await
            .status,
        StatusCode::NOT_FOUND
    );
}

async fn an_organisation_runs_its_events_by_key_and_only_while_verified(app: TestApp) {
    let (_, admin) = app.account("admin@cc.ma", Role::Admin, None).await;
    let (_, employer) = app.account("rh@atlas.ma", Role::Employer, None).await;
    let org = app
        .post(
            "/api/v1/organizations",
            Some(&employer),
            json!({"name": "Atlas Câblage", "kind": "employer"}),
        )
        .await
        .body["id"]
        .as_i64()
        .unwrap();
    app.verify_organization(org, &admin).await;
    let key_for = |scopes: Value| {
        let app = &app;
        let employer = employer.clone();
        async move {
            let created = app
                .post(
                    &format!("/api/v1/organizations/{org}/api-keys"),
                    Some(&employer),
                    json!({"name": "ATS", "scopes": scopes}),
                )
                .await;
            assert_eq!(created.status, StatusCode::CREATED, "{}", created.body);
            created.body["secret"].as_str().unwrap().to_owned()
        }
    };
    let key = key_for(json!(["events:write"])).await;
    let reader = key_for(json!(["organization:read"])).await;
    let center = app.center_in("Marrakech").await;
    let visit = company_visit(org, "Tanger");

    // A key without the scope is refused before its body is read.
    for body in [json!({}), visit.clone()] {
        let refused = with_key(&app, Method::POST, "/api/v1/events", &reader, Some(body)).await;
        assert_eq!(refused.status, StatusCode::FORBIDDEN);
        assert_eq!(refused.body["type"], "/problems/insufficient-scope");
    }
    // With it, for its own organisation only.
    let mut elsewhere = visit.clone();
    elsewhere["organization_id"] = json!(org + 1000);
    let refused = with_key(&app, Method::POST, "/api/v1/events", &key, Some(elsewhere)).await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN);
    let for_center = workshop(center, 6, 15);
    let refused = with_key(&app, Method::POST, "/api/v1/events", &key, Some(for_center)).await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN);
    let created = with_key(
        &app,
        Method::POST,
        "/api/v1/events",
        &key,
        Some(visit.clone()),
    )
    .await;
    assert_eq!(created.status, StatusCode::CREATED, "{}", created.body);
    let id = created.body["id"].as_i64().unwrap();
    let published = with_key(
        &app,
        Method::POST,
        &format!("/api/v1/events/{id}/publication"),
        &key,
        None,
    )
    .await;
    assert_eq!(published.status, StatusCode::OK, "{}", published.body);
    // A key is not a youth: it registers nobody.
    let refused = with_key(
        &app,
        Method::POST,
        &format!("/api/v1/events/{id}/registration"),
        &key,
        None,
    )
    .await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN);

    // Its verification withdrawn, the organisation neither publishes nor cancels: its key is
    // refused and its members no longer organise its events.
    let draft = app
        .post("/api/v1/events", Some(&employer), visit.clone())
        .await;
    assert_eq!(draft.status, StatusCode::CREATED, "{}", draft.body);
    let draft = draft.body["id"].as_i64().unwrap();
    let withdrawn = app
        .call(
            Method::DELETE,
            &format!("/api/v1/organizations/{org}/verification"),
            Some(&admin),
            None,
        )
        .await;
    assert_eq!(withdrawn.status, StatusCode::OK, "{}", withdrawn.body);
    let refused = app
        .post(
            &format!("/api/v1/events/{draft}/publication"),
            Some(&employer),
            json!({}),
        )
        .await;
    assert_eq!(refused.status, StatusCode::NOT_FOUND);
    let refused = app
        .post(
            &format!("/api/v1/events/{id}/cancellation"),
            Some(&employer),
            json!({}),
        )
        .await;
    assert_eq!(refused.status, StatusCode::NOT_FOUND);
    let refused = with_key(
        &app,
        Method::POST,
        &format!("/api/v1/events/{id}/cancellation"),
        &key,
        None,
    )
    .await;
    assert_eq!(refused.status, StatusCode::UNAUTHORIZED);
    let refused = app.post("/api/v1/events", Some(&employer), visit).await;
    assert_eq!(refused.status, StatusCode::CONFLICT);
    assert_eq!(refused.body["errors"][0]["code"], "organization.unverified");
}

/// A list read page by page gives each event once, in order of start, whatever the
/// fractions of seconds sent; any cursor of the stated form and any moment asked for are
/// answered, on PostgreSQL too, whose timestamps stop at 4713 BC.
async fn pages_give_each_event_once_and_any_cursor_is_a_position(app: TestApp) {
    let center = app.center_in("Marrakech").await;
    let (_, counselor) = app
        .account("conseil@marrakech.ma", Role::Counselor, Some(center))
        .await;
    let start = Utc::now() + Duration::days(4);
    for n in 0..5 {
        let mut body = workshop(center, 4, 10);
        // Two at the very same second, with fractions a cursor in microseconds would cut.
        let at = start + Duration::nanoseconds(123_456_789) + Duration::seconds(n / 2);
        body["starts_at"] = json!(at.to_rfc3339_opts(chrono::SecondsFormat::Nanos, true));
        body["ends_at"] = json!((at + Duration::hours(1)).to_rfc3339());
        app.published(&counselor, body).await;
    }
    let mut seen = Vec::new();
    let mut path = "/api/v1/events?limit=1".to_owned();
    for _ in 0..10 {
        let page = app.get(&path, None).await;
        assert_eq!(page.status, StatusCode::OK, "{}", page.body);
        seen.extend(
            page.body["items"]
                .as_array()
                .unwrap()
                .iter()
                .map(|e| e["id"].as_i64().unwrap()),
        );
        match page.body["next_cursor"].as_str() {
            Some(cursor) => path = format!("/api/v1/events?limit=1&cursor={cursor}"),
            None => break,
        }
    }
    let mut sorted = seen.clone();
    sorted.sort_unstable();
    sorted.dedup();
    assert_eq!(seen.len(), 5, "{seen:?}");
    assert_eq!(sorted.len(), 5, "{seen:?}");
    for cursor in [
        "1800000000000000000000000000000000",
        "17fffffffffffffff0000000000000000",
        "1c0000000000000000000000000000001",
    ] {
        let cursor = &cursor[..33];
        let page = app
            .get(&format!("/api/v1/events?cursor={cursor}"), None)
            .await;
        assert_eq!(page.status, StatusCode::OK, "{cursor}: {}", page.body);
    }
    // A sector of no sector's form is refused before the database is asked (a NUL would make
    // PostgreSQL fail).
    for bad in ["%00", "Automotive", "a%20b"] {
        let page = app.get(&format!("/api/v1/events?sector={bad}"), None).await;
        assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY, "{bad}");
    }
    for moment in [
        "-5000-01-01T00:00:00Z",
        "+200000-01-01T00:00:00Z",
        "0001-01-01T00:00:00Z",
    ] {
        let path = format!(
            "/api/v1/events?from={}&to={}",
            moment.replace('+', "%2B"),
            moment.replace('+', "%2B")
        );
        let page = app.get(&path, None).await;
        assert!(
            page.status == StatusCode::OK || page.status == StatusCode::UNPROCESSABLE_ENTITY,
            "{moment}: {} {}",
            page.status,
            page.body
        );
    }
}

/// 200 youths ask at once for 50 seats: exactly 50 seats are taken and 150 wait, in the order
/// the database took them; then 20 registered youths cancel at once and exactly 20 of the
/// waiting get their seats, the first 20 in line.
async fn two_hundred_youths_for_fifty_seats(app: TestApp) {
    let center = app.center_in("Marrakech").await;
    let (_, counselor) = app
        .account("conseil@marrakech.ma", Role::Counselor, Some(center))
        .await;
    let id = app.published(&counselor, workshop(center, 3, 50)).await;
    let youths = app.youths("burst", 200, Some(center)).await;
    let path = format!("/api/v1/events/{id}/registration");
    let replies = futures_util::future::join_all(
        youths
            .iter()
            .map(|token| app.post(&path, Some(token), json!({}))),
    )
    .await;
    for reply in &replies {
        assert_eq!(reply.status, StatusCode::CREATED, "{}", reply.body);
    }
    let status_count = |status: &'static str| {
        replies
            .iter()
            .filter(|r| r.body["my_registration"]["status"] == status)
            .count()
    };
    assert_eq!(status_count("registered"), 50);
    assert_eq!(status_count("waitlisted"), 150);
    assert_eq!(
        app.count(&format!(
            "registrations WHERE event_id = {id} AND status = 'registered'"
        ))
        .await,
        50
    );
    // Places in line are 1 to 150, once each.
    let mut places: Vec<i64> = replies
        .iter()
        .filter_map(|r| r.body["my_registration"]["waitlist_position"].as_i64())
        .collect();
    places.sort_unstable();
    assert_eq!(places, (1..=150).collect::<Vec<_>>());

    let seated: Vec<&String> = youths
        .iter()
        .zip(&replies)
        .filter(|(_, r)| r.body["my_registration"]["status"] == "registered")
        .map(|(t, _)| t)
        .take(20)
        .collect();
    let first_in_line: Vec<i64> = {
        let mut waiting: Vec<(i64, i64)> = replies
            .iter()
            .filter_map(|r| {
                Some((
                    r.body["my_registration"]["waitlist_position"].as_i64()?,
                    r.body["my_registration"]["id"].as_i64()?,
                ))
            })
            .collect();
        waiting.sort_unstable();
        waiting.into_iter().take(20).map(|(_, id)| id).collect()
    };
    let left = futures_util::future::join_all(
        seated
            .iter()
            .map(|token| app.call(Method::DELETE, &path, Some(token), None)),
    )
    .await;
    for reply in &left {
        assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
    }
    let event = app.get(&format!("/api/v1/events/{id}"), None).await;
    assert_eq!(event.body["seats_left"], 0);
    assert_eq!(event.body["waitlisted"], 130);
    let promoted = app
        .count(&format!(
            "registrations WHERE event_id = {id} AND status = 'registered' AND id IN ({})",
            first_in_line
                .iter()
                .map(i64::to_string)
                .collect::<Vec<_>>()
                .join(",")
        ))
        .await;
    assert_eq!(promoted, 20, "the first twenty in line got the seats");
    assert_eq!(
        app.count(&format!(
            "registrations WHERE event_id = {id} AND status = 'registered'"
        ))
        .await,
        50
    );
}

async fn an_organiser_edits_an_event_until_it_starts_and_new_seats_go_to_those_waiting(
    app: TestApp,
) {
    let center = app.center_in("Marrakech").await;
    let (_, counselor) = app
        .account("conseil@marrakech.ma", Role::Counselor, Some(center))
        .await;
    let id = app.published(&counselor, workshop(center, 7, 2)).await;
    let path = format!("/api/v1/events/{id}");
    let youths = app.youths("edit", 5, Some(center)).await;
    for youth in &youths {
        let reply = app
            .post(&format!("{path}/registration"), Some(youth), json!({}))
            .await;
        assert_eq!(reply.status, StatusCode::CREATED, "{}", reply.body);
    }

    // What is sent changes; the rest stays.
    let start = Utc::now() + Duration::days(8);
    let moved = app
        .patch(
            &path,
            Some(&counselor),
            json!({
                "title": {"fr": "Réussir son CV (deuxième séance)"},
                "starts_at": start.to_rfc3339(),
                "ends_at": (start + Duration::hours(3)).to_rfc3339(),
                "areas": ["conventional"]
            }),
        )
        .await;
    assert_eq!(moved.status, StatusCode::OK, "{}", moved.body);
    assert_eq!(
        moved.body["title"],
        json!({"fr": "Réussir son CV (deuxième séance)"}),
        "a title is replaced whole"
    );
    assert_eq!(moved.body["sectors"], json!(["offshoring"]));
    assert_eq!(moved.body["areas"], json!(["conventional"]));
    assert_eq!(
        moved.body["description"]["fr"],
        "Deux heures pour un CV qui se lit en trente secondes."
    );
    assert_eq!(moved.body["capacity"], 2);
    assert_eq!(moved.body["waitlisted"], 3);

    // Refused, field by field, and nothing changes.
    for (body, status, field, code) in [
        (
            json!({"capacity": 1}),
            409,
            "capacity",
            "capacity.below_taken",
        ),
        (
            json!({"capacity": 0}),
            422,
            "capacity",
            "capacity.out_of_range",
        ),
        (
            json!({"capacity": 1_000_000_000}),
            422,
            "capacity",
            "capacity.out_of_range",
        ),
        (
            json!({"ends_at": (start - Duration::hours(1)).to_rfc3339()}),
            422,
            "ends_at",
            "ends_at.before_start",
        ),
        (
            json!({"starts_at": (Utc::now() - Duration::hours(1)).to_rfc3339()}),
            422,
            "starts_at",
            "date.not_future",
        ),
        (json!({"online": true}), 422, "online_url", "required"),
        (
            json!({"audience": "center"}),
            409,
            "audience",
            "audience.narrowed",
        ),
        (
            json!({"sectors": ["no_such_sector"]}),
            422,
            "sectors",
            "sector.unknown",
        ),
        (json!({"title": {}}), 422, "title", "required"),
        // What cannot be cleared is refused as null, not read as absent.
        (json!({"capacity": null}), 422, "capacity", "invalid_type"),
        (json!({"sectors": null}), 422, "sectors", "invalid_type"),
        // A center's event is at the center or one of its sites.
        (
            json!({"address": "Rue 5"}),
            422,
            "address",
            "place.of_center",
        ),
    ] {
        let refused = app.patch(&path, Some(&counselor), body.clone()).await;
        assert_eq!(refused.status.as_u16(), status, "{body}: {}", refused.body);
        assert_eq!(refused.error_fields(), [field], "{body}");
        assert_eq!(refused.body["errors"][0]["code"], code, "{body}");
    }
    let organiser = app
        .patch(&path, Some(&counselor), json!({"center_id": center}))
        .await;
    assert_eq!(organiser.status, StatusCode::UNPROCESSABLE_ENTITY);
    let unchanged = app.get(&path, Some(&counselor)).await;
    assert_eq!(unchanged.body, moved.body, "nothing stored by a refusal");

    // Two more seats go to the first two in line at once; the third moves up.
    let raised = app
        .patch(&path, Some(&counselor), json!({"capacity": 4}))
        .await;
    assert_eq!(raised.status, StatusCode::OK, "{}", raised.body);
    assert_eq!(raised.body["seats_left"], 0);
    assert_eq!(raised.body["waitlisted"], 1);
    for (youth, status) in youths.iter().zip([
        "registered",
        "registered",
        "registered",
        "registered",
        "waitlisted",
    ]) {
        let seen = app.get(&path, Some(youth)).await;
        assert_eq!(seen.body["my_registration"]["status"], status);
    }
    assert_eq!(
        app.get(&path, Some(&youths[4])).await.body["my_registration"]["waitlist_position"],
        1
    );

    // Online: the link comes with it; back in person, it goes.
    let online = app
        .patch(
            &path,
            Some(&counselor),
            json!({"online": true, "online_url": "https://meet.example.ma/cv"}),
        )
        .await;
    assert_eq!(online.status, StatusCode::OK, "{}", online.body);
    assert_eq!(online.body["online_url"], "https://meet.example.ma/cv");
    let in_person = app
        .patch(
            &path,
            Some(&counselor),
            json!({"online": false, "sectors": []}),
        )
        .await;
    assert_eq!(in_person.status, StatusCode::OK, "{}", in_person.body);
    assert_eq!(in_person.body["online"], false);
    assert_eq!(in_person.body.get("online_url"), None);
    assert_eq!(in_person.body["sectors"], json!([]));

    // Once its check-ins open (an hour before the start), or once cancelled, it no longer
    // changes: who came is recorded against it as it stands.
    started(&app, id, -30).await;
    let late = app
        .patch(&path, Some(&counselor), json!({"capacity": 10}))
        .await;
    assert_eq!(late.status, StatusCode::CONFLICT);
    assert_eq!(late.body["errors"][0]["code"], "event.not_editable");
    let other = app.published(&counselor, workshop(center, 3, 5)).await;
    app.post(
        &format!("/api/v1/events/{other}/cancellation"),
        Some(&counselor),
        json!({}),
    )
    .await;
    let cancelled = app
        .patch(
            &format!("/api/v1/events/{other}"),
            Some(&counselor),
            json!({"capacity": 10}),
        )
        .await;
    assert_eq!(cancelled.status, StatusCode::CONFLICT);
    assert_eq!(cancelled.body["errors"][0]["code"], "event.not_editable");
    assert_eq!(
        app.count(&format!(
            "audit_log WHERE action = 'event.update' AND target_id = '{id}'"
        ))
        .await,
        4
    );
}

/// A capacity raised while youths register: every seat is counted once, and no one waits
/// while a seat is free.
async fn a_capacity_raised_during_a_burst_of_registrations(app: TestApp) {
    let center = app.center_in("Marrakech").await;
    let (_, counselor) = app
        .account("conseil@marrakech.ma", Role::Counselor, Some(center))
        .await;
    let id = app.published(&counselor, workshop(center, 3, 10)).await;
    let youths = app.youths("raise", 40, Some(center)).await;
    let path = format!("/api/v1/events/{id}");
    let registration = format!("{path}/registration");
    // Full, with a line, before the raises: the raises must promote.
    for token in &youths[..15] {
        let reply = app.post(&registration, Some(token), json!({})).await;
        assert_eq!(reply.status, StatusCode::CREATED, "{}", reply.body);
    }
    let registrations = youths[15..]
        .iter()
        .map(|token| app.post(&registration, Some(token), json!({})));
    let raises = [20, 25, 30]
        .map(|capacity| app.patch(&path, Some(&counselor), json!({"capacity": capacity})));
    let (registered, raised) = futures_util::future::join(
        futures_util::future::join_all(registrations),
        futures_util::future::join_all(raises),
    )
    .await;
    for reply in &registered {
        assert_eq!(reply.status, StatusCode::CREATED, "{}", reply.body);
    }
    // A smaller raise that comes after a larger one filled may find too many seats taken.
    for reply in &raised {
        assert!(
            reply.status == StatusCode::OK
                || reply.body["errors"][0]["code"] == "capacity.below_taken",
            "{}",
            reply.body
        );
    }
    let event = app.get(&path, Some(&counselor)).await;
    let capacity = event.body["capacity"].as_i64().unwrap();
    let seated = app
        .count(&format!(
            "registrations WHERE event_id = {id} AND status = 'registered'"
        ))
        .await;
    assert_eq!(seated, capacity, "every seat taken while 40 asked");
    assert_eq!(event.body["seats_left"], 0);
    assert_eq!(event.body["waitlisted"].as_i64().unwrap(), 40 - capacity);
    // The seats went in arrival order: no one seated arrived after someone still waiting.
    assert_eq!(
        app.count(&format!(
            "registrations AS w WHERE w.event_id = {id} AND w.status = 'waitlisted' AND \
             EXISTS (SELECT 1 FROM registrations AS r WHERE r.event_id = {id} \
             AND r.status = 'registered' AND r.id > w.id)"
        ))
        .await,
        0
    );
}

/// The attendance sheet: every registration with its outcome, in the organiser's language, as a
/// spreadsheet opens it; for the organisers only.
async fn the_attendance_goes_out_as_a_spreadsheet_for_the_organisers(app: TestApp) {
    let center = app.center_in("Marrakech").await;
    let tanger = app.center_in("Tanger").await;
    let (_, counselor) = app
        .account("conseil@marrakech.ma", Role::Counselor, Some(center))
        .await;
    let (_, stranger) = app
        .account("conseil@tanger.ma", Role::Counselor, Some(tanger))
        .await;
    let id = app.published(&counselor, workshop(center, 1, 2)).await;
    let youths = app.youths("feuille", 3, Some(center)).await;
    // A name a spreadsheet would run as a formula, and one in Arabic.
    for (youth, first, last) in [
        (&youths[0], "=HYPERLINK(\"http://x.test\")", "Alaoui"),
        (&youths[1], "سلمى", "العلوي"),
    ] {
        let changed = app
            .patch(
                "/api/v1/me",
                Some(youth),
                json!({"first_name": first, "last_name": last}),
            )
            .await;
        assert_eq!(changed.status, StatusCode::OK, "{}", changed.body);
    }
    let path = format!("/api/v1/events/{id}");
    for youth in &youths {
        app.post(&format!("{path}/registration"), Some(youth), json!({}))
            .await;
    }
    started(&app, id, 10).await;
    let code = app.get(&path, Some(&youths[1])).await.body["my_registration"]["code"]
        .as_str()
        .unwrap()
        .to_owned();
    let checked = app
        .post(
            &format!("{path}/check-ins"),
            Some(&counselor),
            json!({"code": code}),
        )
        .await;
    assert_eq!(checked.status, StatusCode::OK, "{}", checked.body);
    app.post(&format!("{path}/completion"), Some(&counselor), json!({}))
        .await;

    let sheet = |lang: &str, token: String| {
        let url = app.url(&format!("{path}/attendance.csv{lang}"));
        async move {
            reqwest::Client::new()
                .get(url)
                .bearer_auth(token)
                .send()
                .await
                .unwrap()
        }
    };
    let french = sheet("", counselor.clone()).await;
    assert_eq!(french.status(), StatusCode::OK);
    assert_eq!(french.headers()["content-type"], "text/csv; charset=utf-8");
    assert_eq!(french.headers()["cache-control"], "private, no-store");
    let bytes = french.bytes().await.unwrap();
    assert!(
        bytes.starts_with(b"\xEF\xBB\xBF"),
        "a byte-order mark first"
    );
    let text = String::from_utf8(bytes[3..].to_vec()).unwrap();
    let mut rows = csv::ReaderBuilder::new()
        .delimiter(b';')
        .from_reader(text.as_bytes());
    assert_eq!(
        rows.headers().unwrap().iter().collect::<Vec<_>>(),
        [
            "N°",
            "Nom",
            "Prénom",
            "Situation",
            "Pointé(e) à",
            "Inscrit(e) le"
        ]
    );
    let rows: Vec<Vec<String>> = rows
        .records()
        .map(|r| r.unwrap().iter().map(str::to_owned).collect())
        .collect();
    assert_eq!(rows.len(), 3, "{text}");
    assert_eq!(
        rows[0][..4],
        ["1", "Alaoui", "'=HYPERLINK(\"http://x.test\")", "Absent(e)"]
    );
    assert_eq!(rows[1][..4], ["2", "العلوي", "سلمى", "Présent(e)"]);
    assert!(!rows[1][4].is_empty(), "checked in at a time");
    assert_eq!(
        rows[2][3], "Inscription annulée",
        "waiting when it ended: {text}"
    );
    let arabic = sheet("?lang=ar", counselor.clone())
        .await
        .text()
        .await
        .unwrap();
    assert!(
        arabic.contains("الوضعية") && arabic.contains("حاضر(ة)"),
        "{arabic}"
    );

    // Nobody else reads it.
    assert_eq!(
        sheet("", youths[0].clone()).await.status(),
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        sheet("", stranger.clone()).await.status(),
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        app.get(&format!("{path}/attendance.csv"), None)
            .await
            .status,
        StatusCode::UNAUTHORIZED
    );
}

/// A result's recommendations list upcoming events serving the youth's two strongest areas or
/// her best-fitting sectors, among those open to her.
async fn a_result_recommends_upcoming_events_for_the_youths_interests(app: TestApp) {
    let marrakech = app.center_in("Marrakech").await;
    let tanger = app.center_in("Tanger").await;
    let (_, here) = app
        .account("conseil@marrakech.ma", Role::Counselor, Some(marrakech))
        .await;
    let (_, there) = app
        .account("conseil@tanger.ma", Role::Counselor, Some(tanger))
        .await;
    let youth = &app.youths("profil", 1, Some(marrakech)).await[0];
    // Social first, then enterprising: code S E …
    let result = app.submit_result(youth, [10, 12, 14, 38, 30, 16]).await;
    let event = |center: i64, days: i64, areas: Value, audience: &str, title: &str| {
        let mut body = workshop(center, days, 10);
        body["areas"] = areas;
        body["sectors"] = json!([]);
        body["audience"] = json!(audience);
        body["title"] = json!({"fr": title});
        body
    };
    let later_social = app
        .published(
            &there,
            event(tanger, 9, json!(["social"]), "public", "Parler en public"),
        )
        .await;
    let own_center = app
        .published(
            &here,
            event(
                marrakech,
                4,
                json!(["enterprising"]),
                "center",
                "Créer son projet",
            ),
        )
        .await;
    // Not for her: another center's youths only, an area she is not strong in, a draft, one
    // that has started.
    app.published(
        &there,
        event(tanger, 2, json!(["social"]), "center", "Réservé à Tanger"),
    )
    .await;
    app.published(
        &here,
        event(
            marrakech,
            2,
            json!(["realistic"]),
            "public",
            "Atelier mécanique",
        ),
    )
    .await;
    app.post(
        "/api/v1/events",
        Some(&here),
        event(marrakech, 3, json!(["social"]), "public", "Brouillon"),
    )
    .await;
    let begun = app
        .published(
            &here,
            event(marrakech, 1, json!(["social"]), "public", "Déjà commencé"),
        )
        .await;
    started(&app, begun, 10).await;

    let seen = app
        .get(
            &format!("/api/v1/orientation/results/{result}"),
            Some(youth),
        )
        .await;
    assert_eq!(seen.status, StatusCode::OK, "{}", seen.body);
    assert_eq!(&seen.body["code"].as_str().unwrap()[..2], "SE");
    let suggested: Vec<(i64, String)> = seen.body["events"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| {
            (
                e["id"].as_i64().unwrap(),
                e["title"]["fr"].as_str().unwrap().to_owned(),
            )
        })
        .collect();
    assert_eq!(
        suggested,
        [
            (own_center, "Créer son projet".to_owned()),
            (later_social, "Parler en public".to_owned())
        ],
        "soonest first"
    );
    // An event for one of her best-fitting sectors, whatever its areas.
    let sector = seen.body["sectors"][0]["sector"]["code"]
        .as_str()
        .unwrap()
        .to_owned();
    let mut for_sector = event(
        marrakech,
        3,
        json!(["realistic"]),
        "public",
        "Métiers du secteur",
    );
    for_sector["sectors"] = json!([sector]);
    let for_sector = app.published(&here, for_sector).await;
    let seen = app
        .get(
            &format!("/api/v1/orientation/results/{result}"),
            Some(youth),
        )
        .await;
    let ids: Vec<i64> = seen.body["events"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["id"].as_i64().unwrap())
        .collect();
    assert_eq!(ids, [for_sector, own_center, later_social]);
    // Her counselor reads the same suggestions on her result.
    let by_counselor = app
        .get(
            &format!("/api/v1/orientation/results/{result}"),
            Some(&here),
        )
        .await;
    assert_eq!(by_counselor.body["events"], seen.body["events"]);
}

/// Youths holding a seat or a place in line are told by e-mail, in their language, and in the
/// app, when the first place in line gets a seat, when the event moves, and when it is called
/// off; nobody else is, and a change of title alone tells no one.
async fn registrants_are_told_of_a_seat_a_move_and_a_cancellation(app: TestApp) {
    let center = app.center_in("Marrakech").await;
    let (_, counselor) = app
        .account("conseil@marrakech.ma", Role::Counselor, Some(center))
        .await;
    let (_, seated) = app
        .account("assise@example.ma", Role::Youth, Some(center))
        .await;
    let (_, waiting) = app
        .account("attente@example.ma", Role::Youth, Some(center))
        .await;
    let arabic = app
        .patch("/api/v1/me", Some(&waiting), json!({"locale": "ar"}))
        .await;
    assert_eq!(arabic.status, StatusCode::OK, "{}", arabic.body);
    let id = app.published(&counselor, workshop(center, 5, 1)).await;
    let path = format!("/api/v1/events/{id}");
    for youth in [&seated, &waiting] {
        let reply = app
            .post(&format!("{path}/registration"), Some(youth), json!({}))
            .await;
        assert_eq!(reply.status, StatusCode::CREATED, "{}", reply.body);
    }
    // The seat given up goes to the one waiting, who is told in Arabic.
    let left = app
        .call(
            Method::DELETE,
            &format!("{path}/registration"),
            Some(&seated),
            None,
        )
        .await;
    assert_eq!(left.status, StatusCode::OK, "{}", left.body);
    let sent = app.wait_for_mail("attente@example.ma", 1).await;
    assert!(
        sent[0].subject.starts_with("مقعد لك"),
        "{}",
        sent[0].subject
    );
    assert!(
        sent[0].text.contains("إعداد السيرة الذاتية"),
        "{}",
        sent[0].text
    );
    assert!(
        sent[0].text.contains(&format!("/events/{id}")),
        "{}",
        sent[0].text
    );

    // A new title tells no one; a new day does.
    let renamed = app
        .patch(
            &path,
            Some(&counselor),
            json!({"title": {"fr": "Réussir son CV (2)"}}),
        )
        .await;
    assert_eq!(renamed.status, StatusCode::OK, "{}", renamed.body);
    let start = Utc::now() + Duration::days(6);
    let moved = app
        .patch(
            &path,
            Some(&counselor),
            json!({"starts_at": start.to_rfc3339(), "ends_at": (start + Duration::hours(2)).to_rfc3339()}),
        )
        .await;
    assert_eq!(moved.status, StatusCode::OK, "{}", moved.body);
    let sent = app.wait_for_mail("attente@example.ma", 2).await;
    assert!(sent[1].subject.starts_with("تغيير"), "{}", sent[1].subject);
    assert!(sent[1].text.contains("Marrakech"), "{}", sent[1].text);

    let cancelled = app
        .post(&format!("{path}/cancellation"), Some(&counselor), json!({}))
        .await;
    assert_eq!(cancelled.status, StatusCode::OK, "{}", cancelled.body);
    let sent = app.wait_for_mail("attente@example.ma", 3).await;
    assert_eq!(sent.len(), 3, "the new title told no one");
    assert!(sent[2].subject.starts_with("أُلغي"), "{}", sent[2].subject);
    assert!(
        app.mail_to("assise@example.ma").is_empty(),
        "she had given her seat up"
    );

    // The same three reach her in the app, newest first, the event as it now stands.
    let me = app.get("/api/v1/me", Some(&waiting)).await;
    assert_eq!(me.body["unread_notices"], 3, "{}", me.body);
    let notices = app.get("/api/v1/me/notices?limit=2", Some(&waiting)).await;
    assert_eq!(notices.status, StatusCode::OK, "{}", notices.body);
    let kinds = |page: &Value| -> Vec<String> {
        page["items"]
            .as_array()
            .unwrap()
            .iter()
            .map(|n| n["kind"].as_str().unwrap().to_owned())
            .collect()
    };
    assert_eq!(kinds(&notices.body), ["event_cancelled", "event_moved"]);
    let event = &notices.body["items"][1]["event"];
    assert_eq!(event["id"], id);
    assert_eq!(event["title"]["fr"], "Réussir son CV (2)");
    assert_eq!(event["online"], false);
    assert!(
        event["place"].as_str().unwrap().contains("Marrakech"),
        "{event}"
    );
    let cursor = notices.body["next_cursor"].as_str().unwrap();
    let rest = app
        .get(
            &format!("/api/v1/me/notices?cursor={cursor}"),
            Some(&waiting),
        )
        .await;
    assert_eq!(kinds(&rest.body), ["seat_given"]);
    assert_eq!(rest.body["next_cursor"], Value::Null);
    // Nobody else was told; she who gave her seat up has none.
    let none = app.get("/api/v1/me/notices", Some(&seated)).await;
    assert_eq!(none.body["items"], json!([]));
    assert_eq!(
        app.get("/api/v1/me", Some(&seated)).await.body["unread_notices"],
        0
    );
    let staff = app.get("/api/v1/me/notices", Some(&counselor)).await;
    assert_eq!(staff.body["items"], json!([]));
    // Read up to the one she was shown (the oldest here): the two after it stay unread.
    let oldest = rest.body["items"][0]["id"].as_i64().unwrap();
    let read = app
        .post(
            "/api/v1/me/notices/read",
            Some(&waiting),
            json!({"through": oldest}),
        )
        .await;
    assert_eq!(read.status, StatusCode::NO_CONTENT, "{}", read.body);
    assert_eq!(
        app.get("/api/v1/me", Some(&waiting)).await.body["unread_notices"],
        2
    );
    // Read, they stay listed with when; the count is back to zero.
    let read = app
        .post("/api/v1/me/notices/read", Some(&waiting), json!({}))
        .await;
    assert_eq!(read.status, StatusCode::NO_CONTENT, "{}", read.body);
    assert_eq!(
        app.get("/api/v1/me", Some(&waiting)).await.body["unread_notices"],
        0
    );
    let all = app.get("/api/v1/me/notices", Some(&waiting)).await;
    assert_eq!(all.body["items"].as_array().unwrap().len(), 3);
    assert!(
        all.body["items"]
            .as_array()
            .unwrap()
            .iter()
            .all(|n| n["read_at"].is_string()),
        "{}",
        all.body
    );
    // A page's position is one this API gave.
    let bad = app
        .get("/api/v1/me/notices?cursor=nope", Some(&waiting))
        .await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(bad.body["errors"][0]["code"], "cursor.invalid");
}

/// Seats given from waiting lists while she reads her notices, all at once: whatever the
/// interleaving, the count on her account is the number of her notices not yet read.
async fn the_unread_count_holds_while_notices_arrive_and_are_read(app: TestApp) {
    let center = app.center_in("Tanger").await;
    let (_, counselor) = app
        .account("conseil@tanger.ma", Role::Counselor, Some(center))
        .await;
    let (_, waiting) = app
        .account("patiente@example.ma", Role::Youth, Some(center))
        .await;
    let holders = app.youths("siege", 8, Some(center)).await;
    let mut events = Vec::new();
    for holder in &holders {
        let id = app.published(&counselor, workshop(center, 3, 1)).await;
        for youth in [holder, &waiting] {
            let reply = app
                .post(
                    &format!("/api/v1/events/{id}/registration"),
                    Some(youth),
                    json!({}),
                )
                .await;
            assert_eq!(reply.status, StatusCode::CREATED, "{}", reply.body);
        }
        events.push(id);
    }
    let paths: Vec<String> = events
        .iter()
        .map(|id| format!("/api/v1/events/{id}/registration"))
        .collect();
    let gives = paths
        .iter()
        .zip(&holders)
        .map(|(path, holder)| app.call(Method::DELETE, path, Some(holder), None));
    let reads = (0..8).map(|_| {
        app.call(
            Method::POST,
            "/api/v1/me/notices/read",
            Some(&waiting),
            Some(json!({})),
        )
    });
    let (given, read) = futures_util::future::join(
        futures_util::future::join_all(gives),
        futures_util::future::join_all(reads),
    )
    .await;
    for reply in &given {
        assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
    }
    for reply in &read {
        assert_eq!(reply.status, StatusCode::NO_CONTENT, "{}", reply.body);
    }
    let all = app
        .get("/api/v1/me/notices?limit=100", Some(&waiting))
        .await;
    let items = all.body["items"].as_array().unwrap();
    assert_eq!(items.len(), 8, "one seat per event");
    let unread = items.iter().filter(|n| n["read_at"].is_null()).count();
    assert_eq!(
        app.get("/api/v1/me", Some(&waiting)).await.body["unread_notices"],
        unread
    );
}

crate::on_both_databases!(
    registrants_are_told_of_a_seat_a_move_and_a_cancellation,
    the_unread_count_holds_while_notices_arrive_and_are_read,
    a_counselor_publishes_a_workshop_and_youths_take_seats_then_wait,
    bad_events_are_refused_field_by_field_and_nothing_is_stored,
    events_are_seen_and_changed_by_those_they_belong_to,
    an_online_link_goes_to_registrants_and_organisers_only,
    two_hundred_youths_for_fifty_seats,
    an_organisation_runs_its_events_by_key_and_only_while_verified,
    pages_give_each_event_once_and_any_cursor_is_a_position,
    a_counselor_checks_youths_in_by_code_and_the_others_did_not_come,
    an_event_goes_to_a_calendar_and_a_youth_subscribes_to_her_own,
    a_soft_skills_training_attended_earns_a_certificate_anyone_can_check,
    an_organiser_edits_an_event_until_it_starts_and_new_seats_go_to_those_waiting,
    a_capacity_raised_during_a_burst_of_registrations,
    the_attendance_goes_out_as_a_spreadsheet_for_the_organisers,
    a_result_recommends_upcoming_events_for_the_youths_interests,
);
