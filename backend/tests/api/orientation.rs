//! The orientation assessment end to end: drafts, results, matching, history and comparison,
//! counselors' notes and plans, and the reference occupations and sectors.

use reqwest::{Method, StatusCode};
use serde_json::json;
use shared::Role;

use crate::helpers::{TestApp, answer_sheet};

async fn a_youth_goes_from_a_draft_to_a_result_and_a_second_one(app: TestApp) {
    let casa = app.center_in("Casablanca").await;
    let (_, youth) = app
        .account("amina@example.ma", Role::Youth, Some(casa))
        .await;
    app.patch(
        "/api/v1/me",
        Some(&youth),
        json!({"education_level": "vocational_qualification"}),
    )
    .await;

    // Half the inventory, saved and read back.
    let full = answer_sheet([10, 8, 6, 36, 30, 12]);
    let half: serde_json::Map<_, _> = full["answers"]
        .as_object()
        .unwrap()
        .iter()
        .take(30)
        .map(|(k, v)| (k.clone(), v.clone()))
        .collect();
    let saved = app
        .call(
            Method::PUT,
            "/api/v1/me/orientation/draft",
            Some(&youth),
            Some(json!({"instrument_version": shared::inventory::INSTRUMENT_VERSION, "answers": half})),
        )
        .await;
    assert_eq!(saved.status, StatusCode::OK, "{}", saved.body);
    let draft = app.get("/api/v1/me/orientation/draft", Some(&youth)).await;
    assert_eq!(draft.body["answered"], 30);
    assert_eq!(draft.body["total"], 60);

    // Submitting half a sheet names every missing item and stores nothing.
    let partial = app
        .post(
            "/api/v1/orientation/results",
            Some(&youth),
            json!({"instrument_version": shared::inventory::INSTRUMENT_VERSION, "answers": half}),
        )
        .await;
    assert_eq!(partial.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(partial.error_fields().len(), 30);
    assert_eq!(app.count("orientation_results").await, 0);

    let result = app
        .post("/api/v1/orientation/results", Some(&youth), full)
        .await;
    assert_eq!(result.status, StatusCode::CREATED, "{}", result.body);
    let r = &result.body;
    assert_eq!(r["code"], "SEC");
    assert_eq!(r["scores"]["social"], 36);
    assert_eq!(r["flat"], false);
    assert_eq!(r["max_job_zone"], 3);
    let occupations = r["occupations"].as_array().unwrap();
    assert_eq!(occupations.len(), 20);
    let correlations: Vec<f64> = occupations
        .iter()
        .map(|o| o["fit"]["correlation"].as_f64().unwrap())
        .collect();
    assert!(correlations.windows(2).all(|w| w[0] >= w[1]));
    assert!(
        occupations
            .iter()
            .all(|o| o["occupation"]["job_zone"].as_u64().unwrap() <= 3)
    );
    // The best match shares the youth's strongest interest and says so.
    assert_eq!(occupations[0]["fit"]["shared_areas"][0], "social");
    let sectors = r["sectors"].as_array().unwrap();
    assert!(!sectors.is_empty() && sectors.len() <= 5);
    assert!(
        sectors
            .iter()
            .all(|s| s["fit"]["correlation"].as_f64().unwrap() > 0.0)
    );
    // The draft went with the submission.
    assert_eq!(
        app.get("/api/v1/me/orientation/draft", Some(&youth))
            .await
            .status,
        StatusCode::NOT_FOUND
    );

    // A second result, compared with the first.
    let first = r["id"].as_i64().unwrap();
    let first_comparison = app
        .get(
            &format!("/api/v1/orientation/results/{first}/comparison"),
            Some(&youth),
        )
        .await;
    assert!(first_comparison.body["previous"].is_null());
    let second = app.submit_result(&youth, [10, 30, 6, 20, 8, 12]).await;
    let comparison = app
        .get(
            &format!("/api/v1/orientation/results/{second}/comparison"),
            Some(&youth),
        )
        .await;
    assert_eq!(comparison.body["previous"]["id"], first);
    assert_eq!(comparison.body["changes"]["investigative"], 22);
    assert_eq!(comparison.body["changes"]["social"], -16);
    assert_eq!(comparison.body["code_changed"], true);

    let history = app
        .get("/api/v1/orientation/results?limit=1", Some(&youth))
        .await;
    assert_eq!(history.body["items"][0]["id"], second);
    let cursor = history.body["next_cursor"].as_str().unwrap();
    let older = app
        .get(
            &format!("/api/v1/orientation/results?limit=1&cursor={cursor}"),
            Some(&youth),
        )
        .await;
    assert_eq!(older.body["items"][0]["id"], first);
    assert!(older.body["next_cursor"].is_null());
}

async fn bad_answer_sheets_are_refused_field_by_field(app: TestApp) {
    let (_, youth) = app.account("sara@example.ma", Role::Youth, None).await;
    let mut sheet = answer_sheet([20; 6]);
    sheet["instrument_version"] = json!("cc-riasec-0");
    sheet["answers"]["r01"] = json!(7);
    sheet["answers"]["zz9"] = json!(1);
    let reply = app
        .post("/api/v1/orientation/results", Some(&youth), sheet)
        .await;
    assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY);
    let mut fields = reply.error_fields();
    fields.sort();
    assert_eq!(fields, ["answers.r01", "answers.zz9", "instrument_version"]);
    let negative = app
        .post(
            "/api/v1/orientation/results",
            Some(&youth),
            json!({"instrument_version": shared::inventory::INSTRUMENT_VERSION, "answers": {"r01": -1}}),
        )
        .await;
    assert!(negative.status.is_client_error() && negative.is_problem());
    assert_eq!(app.count("orientation_results").await, 0);
    // Without an education level every occupation is considered.
    let r = app
        .post(
            "/api/v1/orientation/results",
            Some(&youth),
            answer_sheet([20; 6]),
        )
        .await;
    assert!(r.body["max_job_zone"].is_null());
    assert_eq!(r.body["flat"], true);
}

async fn a_profile_shaped_like_an_occupation_finds_it(app: TestApp) {
    let (_, youth) = app.account("yassine@example.ma", Role::Youth, None).await;
    // Motor vehicle mechanics: its O*NET profile, moved onto the 0–40 scale.
    let occupation = app.get("/api/v1/occupations/7231", None).await;
    assert_eq!(occupation.status, StatusCode::OK);
    let profile = &occupation.body["profile"];
    let scale = |area: &str| ((profile[area].as_f64().unwrap() - 1.0) / 6.0 * 40.0).round() as u8;
    let scores = [
        "realistic",
        "investigative",
        "artistic",
        "social",
        "enterprising",
        "conventional",
    ]
    .map(scale);
    let result = app
        .post(
            "/api/v1/orientation/results",
            Some(&youth),
            answer_sheet(scores),
        )
        .await;
    let found = result.body["occupations"]
        .as_array()
        .unwrap()
        .iter()
        .find(|o| o["occupation"]["isco08"] == "7231")
        .expect("the mechanic's unit group is among the recommendations");
    assert!(found["fit"]["correlation"].as_f64().unwrap() > 0.99);
    assert_eq!(
        result.body["occupations"][0]["fit"]["correlation"].as_f64(),
        found["fit"]["correlation"].as_f64(),
        "nothing ranks above a profile's own shape"
    );
    assert_eq!(found["occupation"]["code"], occupation.body["code"]);
    assert_eq!(found["fit"]["congruence"], 28);
}

async fn counselors_annotate_and_plan_and_the_youth_ticks_off(app: TestApp) {
    let casa = app.center_in("Casablanca").await;
    let tanger = app.center_in("Tanger").await;
    let (youth_id, youth) = app
        .account("karim@example.ma", Role::Youth, Some(casa))
        .await;
    let (_, counselor) = app
        .account("conseil@example.ma", Role::Counselor, Some(casa))
        .await;
    let (_, far_counselor) = app
        .account("loin@example.ma", Role::Counselor, Some(tanger))
        .await;
    let result = app.submit_result(&youth, [12, 30, 10, 22, 14, 28]).await;
    let notes = format!("/api/v1/orientation/results/{result}/notes");
    for (body, private) in [("Profil investigatif net.", false), ("À revoir.", true)] {
        let reply = app
            .post(
                &notes,
                Some(&counselor),
                json!({"body": body, "private": private}),
            )
            .await;
        assert_eq!(reply.status, StatusCode::CREATED, "{}", reply.body);
    }
    let blank = app
        .post(&notes, Some(&counselor), json!({"body": "   "}))
        .await;
    assert_eq!(blank.error_fields(), ["body"]);
    let step = app
        .add_step(result, &counselor, "S'inscrire à l'atelier CV")
        .await;
    let late = app
        .post(
            &format!("/api/v1/orientation/results/{result}/plan"),
            Some(&counselor),
            json!({"title": "x", "due_on": "1999-01-01"}),
        )
        .await;
    assert_eq!(late.error_fields(), ["due_on"]);

    let path = format!("/api/v1/orientation/results/{result}");
    let seen_by_youth = app.get(&path, Some(&youth)).await;
    assert_eq!(seen_by_youth.body["notes"].as_array().unwrap().len(), 1);
    assert_eq!(
        seen_by_youth.body["notes"][0]["author_name"],
        "Test counselor"
    );
    assert_eq!(seen_by_youth.body["plan"][0]["status"], "todo");
    let seen_by_counselor = app.get(&path, Some(&counselor)).await;
    assert_eq!(seen_by_counselor.body["notes"].as_array().unwrap().len(), 2);
    assert_eq!(
        app.get(&path, Some(&far_counselor)).await.status,
        StatusCode::NOT_FOUND
    );

    let step_path = format!("/api/v1/orientation/plan-steps/{step}");
    let ticked = app
        .patch(&step_path, Some(&youth), json!({"status": "done"}))
        .await;
    assert_eq!(ticked.status, StatusCode::OK);
    assert!(ticked.body["completed_at"].is_string());
    let undone = app
        .patch(&step_path, Some(&youth), json!({"status": "in_progress"}))
        .await;
    assert!(undone.body["completed_at"].is_null());
    let retitled = app
        .patch(&step_path, Some(&counselor), json!({"due_on": null}))
        .await;
    assert!(retitled.body["due_on"].is_null());

    // The center's list has the youth; the other center's does not.
    let own = app
        .get("/api/v1/orientation/results", Some(&counselor))
        .await;
    assert_eq!(own.body["items"][0]["user_id"], youth_id);
    assert_eq!(own.body["items"][0]["user_name"], "Test youth");
    let other = app
        .get("/api/v1/orientation/results", Some(&far_counselor))
        .await;
    assert!(other.body["items"].as_array().unwrap().is_empty());
    assert!(app.count("audit_log").await >= 3);
}

async fn occupations_and_sectors_read_in_three_languages(app: TestApp) {
    let sectors = app.get("/api/v1/sectors", None).await;
    let list = sectors.body.as_array().unwrap();
    assert!(list.len() >= 12);
    assert_eq!(list[0]["code"], "automotive");
    let automotive = app.get("/api/v1/sectors/automotive", None).await;
    assert!(
        !automotive.body["description"]["ar"]
            .as_str()
            .unwrap()
            .is_empty()
    );
    assert!(
        automotive.body["occupations"]
            .as_array()
            .unwrap()
            .iter()
            .any(|o| o["isco08"] == "7231")
    );
    assert_eq!(
        app.get("/api/v1/sectors/space_mining", None).await.status,
        StatusCode::NOT_FOUND
    );

    let search = app.get("/api/v1/occupations?q=infirmi", None).await;
    assert!(
        search.body["items"]
            .as_array()
            .unwrap()
            .iter()
            .any(|o| o["isco08"] == "2221"),
        "{}",
        search.body
    );
    let low = app
        .get("/api/v1/occupations?max_job_zone=1&limit=100", None)
        .await;
    assert!(
        low.body["items"]
            .as_array()
            .unwrap()
            .iter()
            .all(|o| o["job_zone"] == 1)
    );
    let social = app.get("/api/v1/occupations?area=social", None).await;
    assert!(
        social.body["items"]
            .as_array()
            .unwrap()
            .iter()
            .all(|o| o["code"].as_str().unwrap().starts_with('S'))
    );
    let bad = app.get("/api/v1/occupations?max_job_zone=9", None).await;
    assert_eq!(bad.error_fields(), ["max_job_zone"]);
    let mechanic = app.get("/api/v1/occupations/7231", None).await;
    assert!(
        mechanic.body["sectors"]
            .as_array()
            .unwrap()
            .iter()
            .any(|s| s["code"] == "automotive")
    );
    let first = app.get("/api/v1/occupations?limit=2", None).await;
    let cursor = first.body["next_cursor"].as_str().unwrap();
    let next = app
        .get(
            &format!("/api/v1/occupations?limit=2&cursor={cursor}"),
            None,
        )
        .await;
    assert!(next.body["items"][0]["isco08"].as_str() > first.body["items"][1]["isco08"].as_str());
}

/// The first inventory, `cc-riasec-1`, had other activities under the same ids. A result made
/// with it keeps its version and its scores (nothing rescores it) and is still listed, opened
/// and compared; a draft left under it is not offered for resuming, and answers sent for it are
/// refused rather than read as answers to the current inventory.
async fn results_and_drafts_of_the_first_inventory_keep_their_meaning(app: TestApp) {
    use backend::entities::{orientation_draft, orientation_result};
    use sea_orm::{ActiveModelTrait, ActiveValue::NotSet, ActiveValue::Set};

    let (youth_id, youth) = app.account("nadia@example.ma", Role::Youth, None).await;
    let half_v1: serde_json::Map<String, serde_json::Value> = shared::inventory::ITEMS
        .iter()
        .take(30)
        .map(|i| (i.id.to_owned(), json!(3)))
        .collect();
    let earlier = orientation_result::ActiveModel {
        id: NotSet,
        user_id: Set(youth_id),
        instrument_version: Set("cc-riasec-1".into()),
        answers: Set(serde_json::Value::Object(half_v1.clone()).to_string()),
        realistic: Set(34),
        investigative: Set(12),
        artistic: Set(8),
        social: Set(10),
        enterprising: Set(14),
        conventional: Set(20),
        code: Set("RCE".into()),
        flat: Set(false),
        education_level: Set(None),
        max_job_zone: Set(None),
        recommendations: Set(json!({
            "occupations": [{"key": "7231", "fit": {"correlation": 0.91, "congruence": 28, "shared_areas": ["realistic", "conventional"]}}],
            "sectors": [{"key": "automotive", "fit": {"correlation": 0.8, "congruence": 22, "shared_areas": ["realistic"]}}],
        })
        .to_string()),
        created_at: Set(chrono::Utc::now() - chrono::Duration::days(200)),
    }
    .insert(&app.db)
    .await
    .unwrap();
    orientation_draft::ActiveModel {
        user_id: Set(youth_id),
        instrument_version: Set("cc-riasec-1".into()),
        answers: Set(serde_json::Value::Object(half_v1.clone()).to_string()),
        updated_at: Set(chrono::Utc::now()),
    }
    .insert(&app.db)
    .await
    .unwrap();

    // The draft of the first inventory is not the youth's draft any more.
    let draft = app.get("/api/v1/me/orientation/draft", Some(&youth)).await;
    assert_eq!(draft.status, StatusCode::NOT_FOUND, "{}", draft.body);
    for (method, path) in [
        (Method::PUT, "/api/v1/me/orientation/draft"),
        (Method::POST, "/api/v1/orientation/results"),
    ] {
        let refused = app
            .call(
                method,
                path,
                Some(&youth),
                Some(json!({"instrument_version": "cc-riasec-1", "answers": half_v1})),
            )
            .await;
        assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY, "{path}");
        assert!(
            refused
                .error_fields()
                .contains(&"instrument_version".to_owned())
        );
    }
    let saved = app
        .call(
            Method::PUT,
            "/api/v1/me/orientation/draft",
            Some(&youth),
            Some(json!({"instrument_version": shared::inventory::INSTRUMENT_VERSION, "answers": {"r01": 4}})),
        )
        .await;
    assert_eq!(saved.status, StatusCode::OK, "{}", saved.body);
    let draft = app.get("/api/v1/me/orientation/draft", Some(&youth)).await;
    assert_eq!(
        draft.body["instrument_version"],
        shared::inventory::INSTRUMENT_VERSION
    );
    assert_eq!(draft.body["answered"], 1);

    // The earlier result reads as it was made.
    let path = format!("/api/v1/orientation/results/{}", earlier.id);
    let read = app.get(&path, Some(&youth)).await;
    assert_eq!(read.status, StatusCode::OK, "{}", read.body);
    assert_eq!(read.body["instrument_version"], "cc-riasec-1");
    assert_eq!(read.body["scores"]["realistic"], 34);
    assert_eq!(read.body["scores"]["conventional"], 20);
    assert_eq!(read.body["code"], "RCE");
    assert_eq!(read.body["occupations"][0]["occupation"]["isco08"], "7231");
    assert_eq!(read.body["occupations"][0]["fit"]["correlation"], 0.91);
    assert_eq!(read.body["sectors"][0]["sector"]["code"], "automotive");

    // A result of the current inventory is listed above it and compared with it.
    let later = app.submit_result(&youth, [20, 10, 8, 30, 14, 12]).await;
    let history = app.get("/api/v1/orientation/results", Some(&youth)).await;
    let versions: Vec<(i64, &str)> = history.body["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            (
                r["id"].as_i64().unwrap(),
                r["instrument_version"].as_str().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        versions,
        [
            (later, shared::inventory::INSTRUMENT_VERSION),
            (earlier.id, "cc-riasec-1")
        ]
    );
    assert_eq!(history.body["items"][1]["scores"]["realistic"], 34);
    let comparison = app
        .get(
            &format!("/api/v1/orientation/results/{later}/comparison"),
            Some(&youth),
        )
        .await;
    assert_eq!(comparison.body["previous"]["id"], earlier.id);
    assert_eq!(
        comparison.body["previous"]["instrument_version"],
        "cc-riasec-1"
    );
    assert_eq!(comparison.body["changes"]["realistic"], -14);
    // Submitting replaced the draft, whatever its version.
    assert_eq!(app.count("orientation_drafts").await, 0);
}

async fn a_result_suggests_live_offers_for_its_trades_and_sectors(app: TestApp) {
    let (_, admin) = app.account("admin@cc.ma", Role::Admin, None).await;
    let (_, employer) = app.account("rh@atlas.ma", Role::Employer, None).await;
    let (_, youth) = app.account("amina@example.ma", Role::Youth, None).await;
    let id = app.submit_result(&youth, [30, 10, 5, 20, 12, 8]).await;
    let path = format!("/api/v1/orientation/results/{id}");
    let result = app.get(&path, Some(&youth)).await;
    assert_eq!(
        result.body["offers"],
        serde_json::json!([]),
        "{}",
        result.body
    );
    let best = result.body["occupations"][0]["occupation"]["isco08"]
        .as_str()
        .unwrap()
        .to_owned();
    let far = ["2611", "2641", "2651", "2310"]
        .into_iter()
        .find(|code| {
            !result.body["occupations"]
                .as_array()
                .unwrap()
                .iter()
                .take(10)
                .any(|o| o["occupation"]["isco08"] == *code)
        })
        .unwrap();
    let (org, key) = crate::offers::organisation(
        &app,
        &admin,
        &employer,
        "Atlas",
        serde_json::json!(["offers:write"]),
    )
    .await;
    let mut fits = crate::offers::offer("R-1", "Poste qui lui va");
    fits["isco08"] = serde_json::json!(best);
    fits["sector"] = serde_json::Value::Null;
    let mut other = crate::offers::offer("R-2", "Poste d'un autre métier");
    other["isco08"] = serde_json::json!(far);
    other["sector"] = serde_json::Value::Null;
    crate::offers::push(&app, org, &key, vec![fits, other]).await;
    let result = app.get(&path, Some(&youth)).await;
    let offers = result.body["offers"].as_array().unwrap();
    assert_eq!(offers.len(), 1, "{}", result.body["offers"]);
    assert_eq!(offers[0]["title"], "Poste qui lui va");
}

crate::on_both_databases!(
    a_result_suggests_live_offers_for_its_trades_and_sectors,
    a_youth_goes_from_a_draft_to_a_result_and_a_second_one,
    bad_answer_sheets_are_refused_field_by_field,
    a_profile_shaped_like_an_occupation_finds_it,
    counselors_annotate_and_plan_and_the_youth_ticks_off,
    occupations_and_sectors_read_in_three_languages,
    results_and_drafts_of_the_first_inventory_keep_their_meaning,
);
