//! Appointments with a counselor: slots offered, booked, cancelled within the center's delay,
//! followed up; double booking refused under concurrency, on both databases.

use chrono::{DateTime, Duration, FixedOffset, Timelike, Utc};
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};
use shared::Role;

use crate::helpers::TestApp;

/// Tomorrow (or `days` ahead) at `hour`:00 in Morocco (UTC+00 since 2026-09-20).
fn at(days: i64, hour: u32) -> DateTime<FixedOffset> {
    (Utc::now() + Duration::days(days))
        .with_hour(hour)
        .and_then(|t| t.with_minute(0))
        .and_then(|t| t.with_second(0))
        .and_then(|t| t.with_nanosecond(0))
        .unwrap()
        .fixed_offset()
}

fn slots(starts: DateTime<FixedOffset>, minutes: i64, count: u32) -> Value {
    json!({"starts_at": starts.to_rfc3339(), "minutes": minutes, "count": count})
}

impl TestApp {
    /// Offers slots as `counselor`; their ids.
    async fn offer(&self, counselor: &str, body: Value) -> Vec<i64> {
        let reply = self
            .post("/api/v1/appointment-slots", Some(counselor), body)
            .await;
        assert_eq!(reply.status, StatusCode::CREATED, "{}", reply.body);
        reply
            .body
            .as_array()
            .unwrap()
            .iter()
            .map(|s| s["id"].as_i64().unwrap())
            .collect()
    }

    async fn book(&self, youth: &str, slot: i64, topic: &str) -> crate::helpers::Reply {
        self.post(
            &format!("/api/v1/appointment-slots/{slot}/booking"),
            Some(youth),
            json!({"topic": topic}),
        )
        .await
    }
}

/// Moves a slot (and the appointment it holds) `minutes` into the past, as time would.
async fn begun(app: &TestApp, slot: i64, minutes: i64) {
    use backend::entities::{appointment, appointment_slot};
    use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, sea_query::Expr};
    let starts = Utc::now() - Duration::minutes(minutes);
    appointment_slot::Entity::update_many()
        .col_expr(appointment_slot::Column::StartsAt, Expr::value(starts))
        .col_expr(
            appointment_slot::Column::EndsAt,
            Expr::value(starts + Duration::minutes(30)),
        )
        .filter(appointment_slot::Column::Id.eq(slot))
        .exec(&app.db)
        .await
        .unwrap();
    appointment::Entity::update_many()
        .col_expr(appointment::Column::StartsAt, Expr::value(starts))
        .filter(appointment::Column::SlotId.eq(slot))
        .exec(&app.db)
        .await
        .unwrap();
}

fn ids(page: &Value) -> Vec<i64> {
    page["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["id"].as_i64().unwrap())
        .collect()
}

async fn a_youth_books_a_counselor_and_the_meeting_joins_her_follow_up(app: TestApp) {
    let center = app.center_in("Marrakech").await;
    let tanger = app.center_in("Tanger").await;
    let (_, counselor) = app
        .account("conseil@marrakech.ma", Role::Counselor, Some(center))
        .await;
    let (_, colleague) = app
        .account("collegue@marrakech.ma", Role::Counselor, Some(center))
        .await;
    let (_, far_counselor) = app
        .account("conseil@tanger.ma", Role::Counselor, Some(tanger))
        .await;
    let (youth_id, youth) = app
        .account("salma@example.ma", Role::Youth, Some(center))
        .await;
    let (_, far_youth) = app
        .account("yassine@example.ma", Role::Youth, Some(tanger))
        .await;

    // Three half-hours back to back from 09:00 in two days, at the center.
    let offered = app
        .post(
            "/api/v1/appointment-slots",
            Some(&counselor),
            slots(at(2, 9), 30, 3),
        )
        .await;
    assert_eq!(offered.status, StatusCode::CREATED, "{}", offered.body);
    let mine: Vec<i64> = offered
        .body
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["id"].as_i64().unwrap())
        .collect();
    assert_eq!(mine.len(), 3);
    let first = &offered.body[0];
    assert_eq!(first["minutes"], 30);
    assert_eq!(first["city"], "Marrakech");
    assert_eq!(first["online"], false);
    assert_eq!(first["status"], "open");
    assert_eq!(offered.body[1]["starts_at"], first["ends_at"]);
    assert!(first["starts_at"].as_str().unwrap().ends_with('Z'));

    // Her slots never overlap: 09:15 for a quarter of an hour is refused, nothing stored.
    let overlap = app
        .post(
            "/api/v1/appointment-slots",
            Some(&counselor),
            json!({"starts_at": (at(2, 9) + Duration::minutes(15)).to_rfc3339(), "minutes": 15}),
        )
        .await;
    assert_eq!(overlap.status, StatusCode::CONFLICT, "{}", overlap.body);
    assert_eq!(overlap.body["errors"][0]["code"], "slot.overlaps");
    assert_eq!(app.count("appointment_slots").await, 3);
    // A colleague may offer the same hours: they are her own.
    let colleague_slots = app.offer(&colleague, slots(at(2, 9), 45, 1)).await;
    // And an online hour at 14:00.
    let online = app
        .offer(
            &colleague,
            json!({"starts_at": at(2, 14).to_rfc3339(), "minutes": 45, "online_url": "https://meet.example.ma/orientation"}),
        )
        .await;

    // The youth sees her center's free slots; a youth of Tanger sees none of them.
    let seen = app.get("/api/v1/appointment-slots", Some(&youth)).await;
    assert_eq!(seen.status, StatusCode::OK, "{}", seen.body);
    assert_eq!(ids(&seen.body).len(), 5);
    assert!(seen.body["items"][0].get("appointment").is_none());
    let far = app.get("/api/v1/appointment-slots", Some(&far_youth)).await;
    assert_eq!(ids(&far.body), Vec::<i64>::new());
    // Read a page at a time, each slot once.
    let page = app
        .get("/api/v1/appointment-slots?limit=2", Some(&youth))
        .await;
    let cursor = page.body["next_cursor"].as_str().unwrap().to_owned();
    let rest = app
        .get(
            &format!("/api/v1/appointment-slots?limit=10&cursor={cursor}"),
            Some(&youth),
        )
        .await;
    let mut all = ids(&page.body);
    all.extend(ids(&rest.body));
    assert_eq!(all, ids(&seen.body));

    // She books the first, with what she wants to talk about.
    let booked = app
        .book(&youth, mine[0], "Choisir entre BTS et licence")
        .await;
    assert_eq!(booked.status, StatusCode::CREATED, "{}", booked.body);
    assert_eq!(booked.body["status"], "booked");
    assert_eq!(booked.body["topic"], "Choisir entre BTS et licence");
    assert_eq!(booked.body["slot"]["counselor_name"], "Test counselor");
    let appointment = booked.body["id"].as_i64().unwrap();
    let until: DateTime<FixedOffset> = booked.body["cancellable_until"]
        .as_str()
        .unwrap()
        .parse()
        .unwrap();
    assert_eq!(until, at(2, 9) - Duration::hours(24), "the default delay");
    // It is gone from what youths may book, and the counselors see who took it.
    let seen = app.get("/api/v1/appointment-slots", Some(&youth)).await;
    assert!(!ids(&seen.body).contains(&mine[0]));
    let staff_view = app.get("/api/v1/appointment-slots", Some(&colleague)).await;
    let taken = staff_view.body["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["id"] == mine[0])
        .unwrap()
        .clone();
    assert_eq!(taken["taken"], true);
    assert_eq!(taken["appointment"]["youth_id"], youth_id);
    assert_eq!(
        taken["appointment"]["topic"],
        "Choisir entre BTS et licence"
    );
    // Someone else's slot, or another center's, is not hers to take.
    assert_eq!(
        app.book(&far_youth, mine[1], "").await.status,
        StatusCode::NOT_FOUND
    );
    let again = app.book(&youth, mine[0], "").await;
    assert_eq!(again.status, StatusCode::CONFLICT);
    assert_eq!(again.body["errors"][0]["code"], "slot.taken");
    // Not two meetings at once: the colleague's 09:00 overlaps hers.
    let twice = app.book(&youth, colleague_slots[0], "").await;
    assert_eq!(twice.status, StatusCode::CONFLICT, "{}", twice.body);
    assert_eq!(twice.body["errors"][0]["code"], "appointment.overlaps");
    // At most two upcoming: the online hour, then nothing more.
    let second = app.book(&youth, online[0], "").await;
    assert_eq!(second.status, StatusCode::CREATED, "{}", second.body);
    assert_eq!(
        second.body["online_url"], "https://meet.example.ma/orientation",
        "the link goes to the youth who booked"
    );
    let third = app.book(&youth, mine[2], "").await;
    assert_eq!(third.status, StatusCode::CONFLICT);
    assert_eq!(third.body["errors"][0]["code"], "appointment.too_many");

    // In her calendar app, through her private feed: the meeting, at its place.
    let feed = app
        .post("/api/v1/me/calendar", Some(&youth), json!({}))
        .await;
    assert_eq!(feed.status, StatusCode::CREATED, "{}", feed.body);
    let url = feed.body["url"].as_str().unwrap().to_owned();
    let path_of_feed = &url[url.find("/api/v1/").unwrap()..];
    let ics = app
        .client
        .get(app.url(path_of_feed))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(
        ics.contains(&format!("UID:appointment-{appointment}@"))
            && ics.contains("SUMMARY:Rendez-vous avec Test counselor")
            && ics.contains("LOCATION:https://meet.example.ma/orientation"),
        "{ics}"
    );
    // Hers, soonest first; nobody else's.
    let listed = app.get("/api/v1/appointments", Some(&youth)).await;
    assert_eq!(
        ids(&listed.body),
        vec![appointment, second.body["id"].as_i64().unwrap()]
    );
    let path = format!("/api/v1/appointments/{appointment}");
    assert_eq!(
        app.get(&path, Some(&far_youth)).await.status,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        app.get(&path, Some(&far_counselor)).await.status,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        app.get(&path, Some(&colleague)).await.status,
        StatusCode::OK
    );

    // She gives the online hour up: free again for others.
    let given_up = app
        .post(
            &format!(
                "/api/v1/appointments/{}/cancellation",
                second.body["id"].as_i64().unwrap()
            ),
            Some(&youth),
            json!({}),
        )
        .await;
    assert_eq!(given_up.status, StatusCode::OK, "{}", given_up.body);
    assert_eq!(given_up.body["status"], "cancelled");
    assert_eq!(given_up.body["cancelled_by"], "youth");
    assert!(given_up.body.get("online_url").is_none());
    let seen = app.get("/api/v1/appointment-slots", Some(&youth)).await;
    assert!(ids(&seen.body).contains(&online[0]));

    // Before the meeting there is nothing to record; once begun, the counselor records it.
    let outcome = json!({"status": "held", "outcome": "Licence pro en logistique ; visiter le salon de l'étudiant."});
    let early = app
        .call(
            Method::PUT,
            &format!("{path}/outcome"),
            Some(&counselor),
            Some(outcome.clone()),
        )
        .await;
    assert_eq!(early.status, StatusCode::CONFLICT);
    assert_eq!(early.body["errors"][0]["code"], "outcome.not_yet");
    begun(&app, mine[0], 10).await;
    let recorded = app
        .call(
            Method::PUT,
            &format!("{path}/outcome"),
            Some(&counselor),
            Some(outcome),
        )
        .await;
    assert_eq!(recorded.status, StatusCode::OK, "{}", recorded.body);
    assert_eq!(recorded.body["status"], "held");
    assert_eq!(
        app.count("audit_log WHERE action = 'appointment.outcome'")
            .await,
        1
    );
    // Too late to cancel now, for her as for the staff.
    let late = app
        .post(&format!("{path}/cancellation"), Some(&counselor), json!({}))
        .await;
    assert_eq!(late.status, StatusCode::CONFLICT);
    assert_eq!(late.body["errors"][0]["code"], "appointment.wrong_status");
    let past = app
        .get("/api/v1/appointments?when=past", Some(&youth))
        .await;
    assert_eq!(ids(&past.body), vec![appointment]);

    // The meeting joins her orientation follow-up, beside the notes and the plan.
    let result = app.submit_result(&youth, [30, 10, 5, 20, 12, 8]).await;
    let follow_up = app
        .get(
            &format!("/api/v1/orientation/results/{result}"),
            Some(&youth),
        )
        .await;
    assert_eq!(follow_up.status, StatusCode::OK, "{}", follow_up.body);
    let meetings = &follow_up.body["meetings"];
    assert_eq!(
        meetings.as_array().unwrap().len(),
        1,
        "{follow_up:?}",
        follow_up = follow_up.body
    );
    assert_eq!(meetings[0]["status"], "held");
    assert_eq!(meetings[0]["counselor_name"], "Test counselor");
    assert!(
        meetings[0]["outcome"]
            .as_str()
            .unwrap()
            .starts_with("Licence pro")
    );
}

async fn a_center_sets_its_delay_and_the_staff_cancel_or_withdraw(app: TestApp) {
    let center = app.center_in("Marrakech").await;
    let (_, admin) = app.account("admin@example.ma", Role::Admin, None).await;
    let (_, counselor) = app
        .account("conseil@marrakech.ma", Role::Counselor, Some(center))
        .await;
    let youths = app.youths("rdv", 2, Some(center)).await;
    // The center asks for two days' notice.
    let set = app
        .patch(
            &format!("/api/v1/centers/{center}"),
            Some(&admin),
            json!({"cancellation_notice_hours": 48}),
        )
        .await;
    assert_eq!(set.status, StatusCode::OK, "{}", set.body);
    assert_eq!(set.body["cancellation_notice_hours"], 48);
    let too_long = app
        .patch(
            &format!("/api/v1/centers/{center}"),
            Some(&admin),
            json!({"cancellation_notice_hours": 169}),
        )
        .await;
    assert_eq!(too_long.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(too_long.body["errors"][0]["code"], "notice.out_of_range");

    let offered = app.offer(&counselor, slots(at(1, 10), 15, 2)).await;
    let booked = app.book(&youths[0], offered[0], "").await;
    let id = booked.body["id"].as_i64().unwrap();
    let until: DateTime<FixedOffset> = booked.body["cancellable_until"]
        .as_str()
        .unwrap()
        .parse()
        .unwrap();
    assert_eq!(until, at(1, 10) - Duration::hours(48));
    // Tomorrow is within two days: too late for her…
    let late = app
        .post(
            &format!("/api/v1/appointments/{id}/cancellation"),
            Some(&youths[0]),
            json!({}),
        )
        .await;
    assert_eq!(late.status, StatusCode::CONFLICT, "{}", late.body);
    assert_eq!(late.body["errors"][0]["code"], "cancellation.too_late");
    // …not for the center, until the start.
    let by_staff = app
        .post(
            &format!("/api/v1/appointments/{id}/cancellation"),
            Some(&counselor),
            json!({}),
        )
        .await;
    assert_eq!(by_staff.status, StatusCode::OK, "{}", by_staff.body);
    assert_eq!(by_staff.body["cancelled_by"], "staff");
    // She is told by e-mail, with a link to book another.
    let told = app.wait_for_mail("rdv0@test.ma", 1).await;
    assert_eq!(told[0].subject, "Votre rendez-vous est annulé");
    assert!(told[0].text.contains("Test counselor"), "{}", told[0].text);
    assert!(told[0].text.contains("/appointments"), "{}", told[0].text);
    // And in the app: a notice naming the meeting, counted unread on her account.
    let me = app.get("/api/v1/me", Some(&youths[0])).await;
    assert_eq!(me.body["unread_notices"], 1, "{}", me.body);
    let notices = app.get("/api/v1/me/notices", Some(&youths[0])).await;
    assert_eq!(notices.status, StatusCode::OK, "{}", notices.body);
    let notice = &notices.body["items"][0];
    assert_eq!(notice["kind"], "appointment_cancelled", "{}", notices.body);
    assert_eq!(notice["appointment"]["id"], id);
    assert_eq!(notice["appointment"]["counselor_name"], "Test counselor");
    assert_eq!(notice["read_at"], Value::Null);

    // A withdrawn slot cancels the booking it held, and is no longer offered.
    let second = app.book(&youths[1], offered[1], "").await;
    let second_id = second.body["id"].as_i64().unwrap();
    let withdrawn = app
        .post(
            &format!("/api/v1/appointment-slots/{}/withdrawal", offered[1]),
            Some(&counselor),
            json!({}),
        )
        .await;
    assert_eq!(withdrawn.status, StatusCode::OK, "{}", withdrawn.body);
    assert_eq!(withdrawn.body["status"], "withdrawn");
    let theirs = app
        .get(
            &format!("/api/v1/appointments/{second_id}"),
            Some(&youths[1]),
        )
        .await;
    assert_eq!(theirs.body["status"], "cancelled");
    assert_eq!(theirs.body["cancelled_by"], "staff");
    app.wait_for_mail("rdv1@test.ma", 1).await;
    let notices = app.get("/api/v1/me/notices", Some(&youths[1])).await;
    assert_eq!(notices.body["items"][0]["appointment"]["id"], second_id);
    let open = app.get("/api/v1/appointment-slots", Some(&youths[1])).await;
    assert_eq!(ids(&open.body), vec![offered[0]]);
    let again = app
        .post(
            &format!("/api/v1/appointment-slots/{}/withdrawal", offered[1]),
            Some(&counselor),
            json!({}),
        )
        .await;
    assert_eq!(again.status, StatusCode::CONFLICT);
    assert_eq!(
        app.count("audit_log WHERE action LIKE 'appointment%'")
            .await,
        2
    );
}

async fn bad_slots_and_bookings_are_refused_field_by_field_and_nothing_is_stored(app: TestApp) {
    let center = app.center_in("Marrakech").await;
    let tanger = app.center_in("Tanger").await;
    let (_, admin) = app.account("admin@example.ma", Role::Admin, None).await;
    let (_, counselor) = app
        .account("conseil@marrakech.ma", Role::Counselor, Some(center))
        .await;
    let (_, homeless) = app.account("sans@example.ma", Role::Youth, None).await;
    let far_site = app
        .post(
            &format!("/api/v1/centers/{tanger}/sites"),
            Some(&admin),
            json!({"name": "Antenne de Tétouan", "city": "Tétouan"}),
        )
        .await;
    assert_eq!(far_site.status, StatusCode::CREATED, "{}", far_site.body);
    let far_site = far_site.body["sites"]
        .as_array()
        .and_then(|s| s.last())
        .and_then(|s| s["id"].as_i64())
        .or_else(|| far_site.body["id"].as_i64())
        .unwrap();
    let refused = |body: Value, fields: &'static [&'static str]| {
        let app = &app;
        let counselor = counselor.clone();
        async move {
            let reply = app
                .post("/api/v1/appointment-slots", Some(&counselor), body.clone())
                .await;
            assert_eq!(
                reply.status,
                StatusCode::UNPROCESSABLE_ENTITY,
                "{body}: {}",
                reply.body
            );
            assert_eq!(reply.error_fields(), fields, "{body}: {}", reply.body);
        }
    };
    refused(slots(at(2, 9), 20, 1), &["minutes"]).await;
    refused(slots(at(2, 9), 30, 0), &["count"]).await;
    refused(slots(at(2, 9), 30, 17), &["count"]).await;
    refused(slots(at(-1, 9), 30, 1), &["starts_at"]).await;
    refused(slots(at(200, 9), 30, 1), &["starts_at"]).await;
    refused(
        json!({"starts_at": at(2, 9).to_rfc3339(), "minutes": 30, "online_url": "javascript:alert(1)"}),
        &["online_url"],
    )
    .await;
    refused(
        json!({"starts_at": at(2, 9).to_rfc3339(), "minutes": 30, "site_id": far_site}),
        &["site_id"],
    )
    .await;
    assert_eq!(app.count("appointment_slots").await, 0);

    // A youth with no center is told to choose one.
    let none = app.get("/api/v1/appointment-slots", Some(&homeless)).await;
    assert_eq!(none.status, StatusCode::CONFLICT);
    assert_eq!(none.body["errors"][0]["code"], "center.required");

    let offered = app.offer(&counselor, slots(at(2, 9), 30, 1)).await;
    let youth = &app.youths("mot", 1, Some(center)).await[0];
    let long = app.book(youth, offered[0], &"x".repeat(501)).await;
    assert_eq!(long.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(long.error_fields(), ["topic"]);
    assert_eq!(app.count("appointments").await, 0);
    let booked = app.book(youth, offered[0], "").await;
    assert_eq!(booked.status, StatusCode::CREATED);
    assert!(booked.body["topic"].is_null(), "a blank topic is none");
    let id = booked.body["id"].as_i64().unwrap();
    begun(&app, offered[0], 5).await;
    let wrong = app
        .call(
            Method::PUT,
            &format!("/api/v1/appointments/{id}/outcome"),
            Some(&counselor),
            Some(json!({"status": "booked", "outcome": "x"})),
        )
        .await;
    assert_eq!(wrong.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(wrong.error_fields(), ["status"]);
    let unchanged = app
        .get(&format!("/api/v1/appointments/{id}"), Some(youth))
        .await;
    assert_eq!(unchanged.body["status"], "booked");
    // A meeting under way (or already recorded) still holds its time: nothing else is booked
    // over it.
    let (_, colleague) = app
        .account("collegue@marrakech.ma", Role::Counselor, Some(center))
        .await;
    let over = app
        .offer(
            &colleague,
            json!({"starts_at": (Utc::now() + Duration::minutes(15)).to_rfc3339(), "minutes": 15}),
        )
        .await;
    let during = app.book(youth, over[0], "").await;
    assert_eq!(during.status, StatusCode::CONFLICT, "{}", during.body);
    assert_eq!(during.body["errors"][0]["code"], "appointment.overlaps");
    // A slot that has begun is no longer booked.
    let (_, late_youth) = app
        .account("tard@example.ma", Role::Youth, Some(center))
        .await;
    let started = app.offer(&counselor, slots(at(3, 9), 15, 1)).await;
    begun(&app, started[0], 1).await;
    let late = app.book(&late_youth, started[0], "").await;
    assert_eq!(late.status, StatusCode::CONFLICT);
    assert_eq!(late.body["errors"][0]["code"], "slot.taken");

    // A counselor who leaves the center takes her slots with her: withdrawn, and the youth who
    // had booked one is told.
    let (leaving_id, leaving) = app
        .account("depart@marrakech.ma", Role::Counselor, Some(center))
        .await;
    let hers = app.offer(&leaving, slots(at(5, 9), 30, 2)).await;
    let seen = app
        .get("/api/v1/appointment-slots", Some(&late_youth))
        .await;
    assert!(ids(&seen.body).contains(&hers[0]));
    let (_, booker) = app
        .account("reserve@example.ma", Role::Youth, Some(center))
        .await;
    let held = app.book(&booker, hers[1], "").await;
    assert_eq!(held.status, StatusCode::CREATED, "{}", held.body);
    let moved = app
        .patch(
            &format!("/api/v1/users/{leaving_id}"),
            Some(&admin),
            json!({"center_id": tanger}),
        )
        .await;
    assert_eq!(moved.status, StatusCode::OK, "{}", moved.body);
    let seen = app
        .get("/api/v1/appointment-slots", Some(&late_youth))
        .await;
    assert!(!ids(&seen.body).contains(&hers[0]));
    let gone = app.book(&late_youth, hers[0], "").await;
    assert_eq!(gone.status, StatusCode::CONFLICT, "{}", gone.body);
    assert_eq!(gone.body["errors"][0]["code"], "slot.taken");
    let theirs = app
        .get(
            &format!("/api/v1/appointments/{}", held.body["id"]),
            Some(&booker),
        )
        .await;
    assert_eq!(theirs.body["status"], "cancelled", "{}", theirs.body);
    assert_eq!(theirs.body["cancelled_by"], "staff");
    assert_eq!(
        app.count(&format!(
            "appointment_slots WHERE counselor_id = {leaving_id} AND status = 'open'"
        ))
        .await,
        0
    );
    app.wait_for_mail("reserve@example.ma", 1).await;
    let notices = app.get("/api/v1/me/notices", Some(&booker)).await;
    assert_eq!(notices.body["items"][0]["kind"], "appointment_cancelled");
    assert_eq!(
        notices.body["items"][0]["appointment"]["id"],
        held.body["id"]
    );

    // A site where slots are offered is not removed from under them.
    let site = app
        .post(
            &format!("/api/v1/centers/{center}/sites"),
            Some(&admin),
            json!({"name": "Antenne de Safi", "city": "Safi"}),
        )
        .await;
    let site_id = site.body["sites"]
        .as_array()
        .and_then(|s| s.iter().find(|x| x["name"] == "Antenne de Safi"))
        .and_then(|s| s["id"].as_i64())
        .or_else(|| site.body["id"].as_i64())
        .unwrap();
    let at_site = app
        .offer(
            &counselor,
            json!({"starts_at": at(7, 9).to_rfc3339(), "minutes": 30, "site_id": site_id}),
        )
        .await;
    let path = format!("/api/v1/centers/{center}/sites/{site_id}");
    let refused = app.call(Method::DELETE, &path, Some(&admin), None).await;
    assert_eq!(refused.status, StatusCode::CONFLICT, "{}", refused.body);
    assert_eq!(refused.body["errors"][0]["code"], "site.in_use");
    app.post(
        &format!("/api/v1/appointment-slots/{}/withdrawal", at_site[0]),
        Some(&counselor),
        json!({}),
    )
    .await;
    let removed = app.call(Method::DELETE, &path, Some(&admin), None).await;
    assert_eq!(removed.status, StatusCode::NO_CONTENT, "{}", removed.body);

    // A youth detached from her center still reads and cancels her own appointments.
    let (youth_id, detached) = app
        .account("detachee@example.ma", Role::Youth, Some(center))
        .await;
    let mine = app.offer(&counselor, slots(at(6, 9), 30, 1)).await;
    let booked = app.book(&detached, mine[0], "").await;
    assert_eq!(booked.status, StatusCode::CREATED, "{}", booked.body);
    app.patch(
        &format!("/api/v1/users/{youth_id}"),
        Some(&admin),
        json!({"center_id": null}),
    )
    .await;
    let listed = app.get("/api/v1/appointments", Some(&detached)).await;
    assert_eq!(listed.status, StatusCode::OK, "{}", listed.body);
    assert_eq!(ids(&listed.body), vec![booked.body["id"].as_i64().unwrap()]);
    let cancelled = app
        .post(
            &format!("/api/v1/appointments/{}/cancellation", booked.body["id"]),
            Some(&detached),
            json!({}),
        )
        .await;
    assert_eq!(cancelled.status, StatusCode::OK, "{}", cancelled.body);
}

/// Exactly one of requests sent at once succeeded (201); every other was refused with 409 `code`.
fn one_won(replies: &[crate::helpers::Reply], code: &str) {
    let won = replies
        .iter()
        .filter(|r| r.status == StatusCode::CREATED)
        .count();
    assert_eq!(
        won,
        1,
        "{:?}",
        replies.iter().map(|r| &r.body).collect::<Vec<_>>()
    );
    for reply in replies.iter().filter(|r| r.status != StatusCode::CREATED) {
        assert_eq!(reply.status, StatusCode::CONFLICT, "{}", reply.body);
        assert_eq!(reply.body["errors"][0]["code"], code, "{}", reply.body);
    }
}

/// Twenty youths ask for one slot at once: one gets it, nineteen are told it is taken. One
/// youth asks for five slots at the same hour at once: she gets one. A counselor offers the
/// same hour twice at once: it is offered once.
async fn a_slot_goes_to_one_youth_whatever_the_concurrency(app: TestApp) {
    let center = app.center_in("Marrakech").await;
    let mut counselors = Vec::new();
    let mut counselor_ids = Vec::new();
    for i in 0..5 {
        let (id, token) = app
            .account(
                &format!("conseil{i}@marrakech.ma"),
                Role::Counselor,
                Some(center),
            )
            .await;
        counselors.push(token);
        counselor_ids.push(id);
    }
    let slot = app.offer(&counselors[0], slots(at(2, 11), 30, 1)).await[0];
    let youths = app.youths("ruee", 20, Some(center)).await;
    let path = format!("/api/v1/appointment-slots/{slot}/booking");
    let replies = futures_util::future::join_all(
        youths
            .iter()
            .map(|youth| app.post(&path, Some(youth), json!({}))),
    )
    .await;
    one_won(&replies, "slot.taken");
    assert_eq!(
        app.count(&format!(
            "appointments WHERE slot_id = {slot} AND status <> 'cancelled'"
        ))
        .await,
        1
    );

    // One youth, five counselors' slots at the same hour, all asked for at once.
    let same_hour: Vec<i64> = {
        let mut ids = Vec::new();
        for counselor in &counselors {
            ids.push(app.offer(counselor, slots(at(3, 11), 15, 1)).await[0]);
        }
        ids
    };
    let youth = &app.youths("pressee", 1, Some(center)).await[0];
    let paths: Vec<String> = same_hour
        .iter()
        .map(|slot| format!("/api/v1/appointment-slots/{slot}/booking"))
        .collect();
    let replies = futures_util::future::join_all(
        paths
            .iter()
            .map(|path| app.post(path, Some(youth), json!({}))),
    )
    .await;
    one_won(&replies, "appointment.overlaps");

    // The same hour offered twice at once by one counselor: once.
    let body = slots(at(4, 11), 45, 4);
    let replies = futures_util::future::join_all((0..6).map(|_| {
        app.post(
            "/api/v1/appointment-slots",
            Some(&counselors[1]),
            body.clone(),
        )
    }))
    .await;
    one_won(&replies, "slot.overlaps");
    assert_eq!(
        app.count(&format!(
            "appointment_slots WHERE counselor_id = {}",
            counselor_ids[1]
        ))
        .await,
        1 + 4,
        "her hour of the day before, and the four of the burst once"
    );
}

crate::on_both_databases!(
    a_youth_books_a_counselor_and_the_meeting_joins_her_follow_up,
    a_center_sets_its_delay_and_the_staff_cancel_or_withdraw,
    bad_slots_and_bookings_are_refused_field_by_field_and_nothing_is_stored,
    a_slot_goes_to_one_youth_whatever_the_concurrency,
);
