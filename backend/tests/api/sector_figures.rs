//! Growth sectors in figures, from the offers: open vacancies by sector (a vacancy two
//! partners publish counts once), the last 30 days against the 30 before, and for one sector
//! its regions, trades and education asked.

use chrono::{Duration, Utc};
use reqwest::StatusCode;
use serde_json::{Value, json};
use shared::Role;

use crate::helpers::TestApp;
use crate::offers::{organisation, push};

const CASABLANCA: &str = "06.141.01.0";
const RABAT: &str = "04.421.01.0";

fn vacancy(id: &str, title: &str, sector: &str, isco08: &str, commune: &str) -> Value {
    json!({
        "external_id": id,
        "kind": "job",
        "contract": "cdi",
        "title": title,
        "employer_name": "Atlas BPO",
        "description": format!("<p>{title} : rejoignez notre centre, formation assurée, \
            évolution rapide, équipe bienveillante et horaires fixes.</p>"),
        "commune_code": commune,
        "sector": sector,
        "isco08": isco08,
    })
}

async fn sectors_say_what_their_offers_say(app: TestApp) {
    let (_, admin) = app.account("admin@cc.ma", Role::Admin, None).await;
    let (_, first) = app.account("rh@talent.ma", Role::Partner, None).await;
    let (_, second) = app.account("rh@rekrut.ma", Role::Partner, None).await;
    let scopes = json!(["offers:write"]);
    let (a, key_a) = organisation(&app, &admin, &first, "Talent Maroc", scopes.clone()).await;
    let (b, key_b) = organisation(&app, &admin, &second, "Rekrut Plus", scopes).await;
    let mut callers = vacancy(
        "A1",
        "Téléconseiller francophone",
        "offshoring",
        "4222",
        CASABLANCA,
    );
    callers["education"] = json!("bac");
    let mut java = vacancy("A2", "Développeur Java", "offshoring", "2512", RABAT);
    java["education"] = json!("bac_5");
    java["posted_at"] = json!((Utc::now() - Duration::days(40)).to_rfc3339());
    let mechanic = vacancy(
        "A3",
        "Technicien automobile",
        "automotive",
        "7231",
        CASABLANCA,
    );
    push(&app, a, &key_a, vec![callers.clone(), java, mechanic]).await;
    // The other agency publishes the same vacancy: one vacancy, two offers.
    let mut copy = callers.clone();
    copy["external_id"] = json!("B1");
    push(&app, b, &key_b, vec![copy]).await;
    let placed = backend::dedup::place_waiting(&app.db, Utc::now())
        .await
        .unwrap();
    assert_eq!(placed.joined, 1, "{placed}");

    let all = app.get("/api/v1/sectors/figures", None).await;
    assert_eq!(all.status, StatusCode::OK, "{}", all.body);
    assert_eq!(all.header("cache-control"), "public, max-age=60");
    let sectors = all.body.as_array().unwrap();
    assert_eq!(sectors.len(), 16);
    let of = |code: &str| sectors.iter().find(|s| s["code"] == code).unwrap().clone();
    assert_eq!(
        of("offshoring"),
        json!({"code": "offshoring", "live_offers": 2, "last_30_days": 1, "previous_30_days": 1})
    );
    assert_eq!(of("automotive")["live_offers"], 1);
    assert_eq!(of("tourism")["live_offers"], 0);

    let one = app.get("/api/v1/sectors/offshoring/figures", None).await;
    assert_eq!(one.status, StatusCode::OK, "{}", one.body);
    let body = &one.body;
    assert_eq!(body["live_offers"], 2);
    let regions: Vec<(&str, u64)> = body["regions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            (
                r["region_code"].as_str().unwrap(),
                r["live_offers"].as_u64().unwrap(),
            )
        })
        .collect();
    assert_eq!(regions, [("04", 1), ("06", 1)]);
    assert_eq!(body["regions"][1]["name_fr"], "Casablanca-Settat");
    let trades: Vec<&str> = body["occupations"]
        .as_array()
        .unwrap()
        .iter()
        .map(|o| o["occupation"]["isco08"].as_str().unwrap())
        .collect();
    assert_eq!(trades, ["2512", "4222"]);
    assert_eq!(
        body["education"],
        json!([{"education": "bac", "live_offers": 1}, {"education": "bac_5", "live_offers": 1}])
    );
    assert_eq!(body["education_unstated"], 0);

    let none = app.get("/api/v1/sectors/nowhere/figures", None).await;
    assert_eq!(none.status, StatusCode::NOT_FOUND);
    assert!(none.is_problem());
}

crate::on_both_databases!(sectors_say_what_their_offers_say);
