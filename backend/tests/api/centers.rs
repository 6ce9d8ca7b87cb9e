//! Centers, satellite sites and the geography reference.

use reqwest::{Method, StatusCode};
use serde_json::json;
use shared::Role;

use crate::helpers::TestApp;

async fn the_pilot_centers_are_there_with_the_larache_site(app: TestApp) {
    let centers = app.get("/api/v1/centers", None).await;
    assert_eq!(centers.status, StatusCode::OK);
    let items = centers.body["items"].as_array().unwrap();
    assert_eq!(items.len(), 4);
    let tanger = items.iter().find(|c| c["city"] == "Tanger").unwrap();
    assert!(
        tanger["host_institution"]
            .as_str()
            .unwrap()
            .contains("ENSA")
            || tanger["host_institution"]
                .as_str()
                .unwrap()
                .contains("Sciences Appliquées")
    );
    assert_eq!(tanger["sites"][0]["city"], "Larache");
    assert_eq!(tanger["region_name_ar"], "طنجة-تطوان-الحسيمة");
    let casa = items.iter().find(|c| c["city"] == "Casablanca").unwrap();
    assert!(casa["name"].as_str().unwrap().contains("Hay Hassani"));
    let one = app
        .get(&format!("/api/v1/centers/{}", tanger["id"]), None)
        .await;
    assert_eq!(one.body, *tanger);
    assert_eq!(
        app.get("/api/v1/centers/99999", None).await.status,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        app.get("/api/v1/centers/abc", None).await.status,
        StatusCode::NOT_FOUND
    );
}

async fn a_center_and_its_sites_are_created_together_or_not_at_all(app: TestApp) {
    let (_, admin) = app.account("admin@example.ma", Role::Admin, None).await;
    let before = (app.count("centers").await, app.count("center_sites").await);
    let broken = app
        .post(
            "/api/v1/centers",
            Some(&admin),
            json!({
                "name": "Centre de carrière de l'Université Ibn Tofail",
                "host_institution": "Université Ibn Tofail",
                "city": "Kénitra",
                "region_code": "04",
                "sites": [{"name": "Salle A", "city": "Sidi Kacem"}, {"name": "", "city": ""}]
            }),
        )
        .await;
    assert_eq!(broken.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(
        broken.error_fields(),
        vec!["sites[1].name", "sites[1].city"]
    );
    let wrong_commune = app
        .post("/api/v1/centers", Some(&admin), json!({"name": "X", "host_institution": "Y", "city": "Kénitra", "region_code": "04", "commune_code": "06.141.01.0"}))
        .await;
    assert_eq!(wrong_commune.error_fields(), vec!["commune_code"]);
    assert_eq!(
        (app.count("centers").await, app.count("center_sites").await),
        before
    );

    let created = app
        .post(
            "/api/v1/centers",
            Some(&admin),
            json!({
                "name": "Centre de carrière de l'Université Ibn Tofail",
                "host_institution": "Université Ibn Tofail",
                "city": "Kénitra",
                "region_code": "04",
                "sites": [{"name": "Salle A", "city": "Sidi Kacem"}]
            }),
        )
        .await;
    assert_eq!(created.status, StatusCode::CREATED, "{}", created.body);
    let id = created.body["id"].as_i64().unwrap();
    assert_eq!(created.body["region_name_fr"], "Rabat-Salé-Kénitra");

    let site = app
        .post(
            &format!("/api/v1/centers/{id}/sites"),
            Some(&admin),
            json!({"name": "Salle B", "city": "Kénitra"}),
        )
        .await;
    assert_eq!(site.status, StatusCode::CREATED);
    let site_id = site.body["id"].as_i64().unwrap();
    let edited = app
        .patch(
            &format!("/api/v1/centers/{id}"),
            Some(&admin),
            json!({"address": "Campus universitaire, Kénitra"}),
        )
        .await;
    assert_eq!(edited.body["address"], "Campus universitaire, Kénitra");
    assert_eq!(edited.body["sites"].as_array().unwrap().len(), 2);
    let removed = app
        .call(
            Method::DELETE,
            &format!("/api/v1/centers/{id}/sites/{site_id}"),
            Some(&admin),
            None,
        )
        .await;
    assert_eq!(removed.status, StatusCode::NO_CONTENT);
    let other = app.center_in("Tanger").await;
    let elsewhere = app
        .call(
            Method::DELETE,
            &format!("/api/v1/centers/{other}/sites/{site_id}"),
            Some(&admin),
            None,
        )
        .await;
    assert_eq!(elsewhere.status, StatusCode::NOT_FOUND);
}

async fn regions_and_communes_come_from_the_census(app: TestApp) {
    let regions = app.get("/api/v1/regions", None).await;
    assert_eq!(regions.body.as_array().unwrap().len(), 12);
    assert_eq!(regions.body[5]["name_fr"], "Casablanca-Settat");
    let wildcard = app.get("/api/v1/communes?q=_", None).await;
    assert!(
        wildcard.body["items"].as_array().unwrap().is_empty(),
        "_ matches itself only"
    );
    let fes = app.get("/api/v1/communes?q=FES&limit=5", None).await;
    assert_eq!(fes.body["items"][0]["name_fr"], "Fès");
    let arabic = app
        .get("/api/v1/communes?q=%D8%B7%D9%86%D8%AC%D8%A9", None)
        .await;
    assert_eq!(arabic.body["items"][0]["name_fr"], "Tanger");
    // Its province, named in both languages.
    assert_eq!(
        (
            &arabic.body["items"][0]["province_name_fr"],
            &arabic.body["items"][0]["province_name_ar"]
        ),
        (&json!("Tanger-Assilah"), &json!("طنجة-أصيلة"))
    );
    let mut total = 0;
    let mut cursor: Option<String> = None;
    loop {
        let path = match &cursor {
            Some(c) => format!("/api/v1/communes?region=12&limit=100&cursor={c}"),
            None => "/api/v1/communes?region=12&limit=100".to_owned(),
        };
        let page = app.get(&path, None).await;
        total += page.body["items"].as_array().unwrap().len();
        match page.body["next_cursor"].as_str() {
            Some(c) => cursor = Some(c.to_owned()),
            None => break,
        }
    }
    assert!(
        total > 5 && total < 30,
        "Dakhla-Oued Ed-Dahab has a handful of communes, got {total}"
    );
}

crate::on_both_databases!(
    the_pilot_centers_are_there_with_the_larache_site,
    a_center_and_its_sites_are_created_together_or_not_at_all,
    regions_and_communes_come_from_the_census,
);
