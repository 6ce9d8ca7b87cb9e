//! Invariants the database keeps under concurrency: the two conflicting requests are fired at
//! once, several times over, and exactly one may win.

use reqwest::{Method, StatusCode};
use serde_json::json;
use shared::Role;

use sea_orm::ConnectionTrait;

use crate::helpers::{TestApp, count_in};

/// Rounds of each race: one round could miss the overlap; five rarely all do.
const ROUNDS: usize = 5;

fn sorted(mut statuses: Vec<u16>) -> Vec<u16> {
    statuses.sort_unstable();
    statuses
}

async fn two_owners_removing_each_other_at_once_leave_one_owner(app: TestApp) {
    for round in 0..ROUNDS {
        let (a_id, a) = app
            .account(&format!("a{round}@atlas.ma"), Role::Employer, None)
            .await;
        let (b_id, b) = app
            .account(&format!("b{round}@atlas.ma"), Role::Employer, None)
            .await;
        let org = app
            .post(
                "/api/v1/organizations",
                Some(&a),
                json!({"name": format!("Atlas {round}"), "kind": "employer"}),
            )
            .await
            .body["id"]
            .as_i64()
            .unwrap();
        let sent = app
            .post(
                &format!("/api/v1/organizations/{org}/invitations"),
                Some(&a),
                json!({"email": format!("b{round}@atlas.ma"), "role": "owner"}),
            )
            .await;
        assert_eq!(sent.status, StatusCode::CREATED);
        let token =
            app.wait_for_mail(&format!("b{round}@atlas.ma"), 1).await[0].token("invitations");
        let joined = app
            .post(
                "/api/v1/invitations/acceptance",
                Some(&b),
                json!({"token": token}),
            )
            .await;
        assert_eq!(joined.status, StatusCode::OK);

        let a_removes_b = format!("/api/v1/organizations/{org}/members/{b_id}");
        let b_removes_a = format!("/api/v1/organizations/{org}/members/{a_id}");
        let (first, second) = tokio::join!(
            app.call(Method::DELETE, &a_removes_b, Some(&a), None),
            app.call(Method::DELETE, &b_removes_a, Some(&b), None),
        );
        // The loser is refused as the last owner, or, arriving after the winner's commit, no
        // longer sees the organisation at all.
        let statuses = sorted(vec![first.status.as_u16(), second.status.as_u16()]);
        assert!(
            statuses == [204, 404] || statuses == [204, 409],
            "round {round}: {statuses:?} {} / {}",
            first.body,
            second.body
        );
        let owners = app
            .count(&format!(
                "memberships WHERE organization_id = {org} AND role = 'owner'"
            ))
            .await;
        assert_eq!(owners, 1, "round {round}");
    }
}

async fn two_admins_demoting_each_other_at_once_leave_one_admin(app: TestApp) {
    let casa = app.center_in("Casablanca").await;
    for round in 0..ROUNDS {
        let (a_id, a) = app
            .account(&format!("admin-a{round}@example.ma"), Role::Admin, None)
            .await;
        let (b_id, b) = app
            .account(&format!("admin-b{round}@example.ma"), Role::Admin, None)
            .await;
        let (a_path, b_path) = (
            format!("/api/v1/users/{a_id}"),
            format!("/api/v1/users/{b_id}"),
        );
        let (first, second) = tokio::join!(
            app.patch(&b_path, Some(&a), json!({"is_active": false})),
            app.patch(
                &a_path,
                Some(&b),
                json!({"role": "counselor", "center_id": casa})
            ),
        );
        // The loser is refused as the last admin, or, arriving after the winner's commit, is no
        // longer an active admin at all.
        let statuses = sorted(vec![first.status.as_u16(), second.status.as_u16()]);
        assert!(
            statuses == [200, 401] || statuses == [200, 403] || statuses == [200, 409],
            "round {round}: {statuses:?} {} / {}",
            first.body,
            second.body
        );
        for reply in [&first, &second] {
            if reply.status == StatusCode::CONFLICT {
                assert_eq!(reply.body["errors"][0]["code"], "user.last_admin");
            }
        }
        let admins = app
            .count("users WHERE role = 'admin' AND is_active = TRUE")
            .await;
        assert_eq!(admins, 1, "round {round}");
        // Retire this round's survivor behind the API's back, so the next two are alone.
        app.db
            .execute_unprepared("UPDATE users SET is_active = FALSE WHERE role = 'admin'")
            .await
            .unwrap();
    }
}

async fn a_draft_saved_twice_at_once_is_one_draft(app: TestApp) {
    let (youth_id, youth) = app.account("youth@example.ma", Role::Youth, None).await;
    for round in 0..ROUNDS {
        let first = json!({"instrument_version": shared::inventory::INSTRUMENT_VERSION, "answers": {"r01": 1 + round % 4}});
        let second = json!({"instrument_version": shared::inventory::INSTRUMENT_VERSION, "answers": {"r02": 2}});
        let (a, b) = tokio::join!(
            app.call(
                Method::PUT,
                "/api/v1/me/orientation/draft",
                Some(&youth),
                Some(first)
            ),
            app.call(
                Method::PUT,
                "/api/v1/me/orientation/draft",
                Some(&youth),
                Some(second)
            ),
        );
        assert_eq!(
            (a.status, b.status),
            (StatusCode::OK, StatusCode::OK),
            "round {round}: {} / {}",
            a.body,
            b.body
        );
        let drafts = app
            .count(&format!("orientation_drafts WHERE user_id = {youth_id}"))
            .await;
        assert_eq!(drafts, 1, "round {round}");
        // The one kept is one of the two, whole.
        let kept = app.get("/api/v1/me/orientation/draft", Some(&youth)).await;
        let answers = kept.body["answers"].as_object().unwrap();
        assert_eq!(answers.len(), 1, "round {round}: {answers:?}");
    }
}

/// Rounds of the rename-and-verify race, whose window is narrower than the others'.
const VERIFY_ROUNDS: usize = 12;

async fn a_rename_racing_a_verification_never_leaves_an_unvetted_name_verified(app: TestApp) {
    let (_, owner) = app.account("owner@atlas.ma", Role::Employer, None).await;
    let (_, admin) = app.account("admin@example.ma", Role::Admin, None).await;
    for round in 0..VERIFY_ROUNDS {
        let org = app
            .post(
                "/api/v1/organizations",
                Some(&owner),
                json!({"name": format!("Atlas {round}"), "kind": "employer"}),
            )
            .await
            .body["id"]
            .as_i64()
            .unwrap();
        let rename = format!("/api/v1/organizations/{org}");
        let verify = format!("/api/v1/organizations/{org}/verification");
        let renamed = json!({"name": format!("Renamed {round}")});
        let (a, b) = tokio::join!(
            app.call(Method::PATCH, &rename, Some(&owner), Some(renamed)),
            app.call(Method::PUT, &verify, Some(&admin), None),
        );
        assert_eq!(
            (a.status, b.status),
            (StatusCode::OK, StatusCode::OK),
            "round {round}"
        );
        let now = app.get(&rename, Some(&admin)).await.body;
        if now["verified_at"].is_null() {
            continue;
        }
        // Verified: then the admin vouched for the name it carries now.
        let row = app
            .db
            .query_one_raw(sea_orm::Statement::from_string(
                app.db.get_database_backend(),
                format!(
                    "SELECT details FROM audit_log WHERE action = 'organization.verify' \
                     AND target_id = '{org}' ORDER BY id DESC"
                ),
            ))
            .await
            .unwrap()
            .unwrap();
        let details: String = row.try_get("", "details").unwrap();
        let vouched: serde_json::Value = serde_json::from_str(&details).unwrap();
        assert_eq!(
            vouched["name"], now["name"],
            "round {round}: verified under a name the admin never saw"
        );
    }
}

async fn two_instances_seeding_one_empty_database_at_once_load_it_once(app: TestApp) {
    let tables = [
        "regions",
        "provinces",
        "communes",
        "occupations",
        "sectors",
        "sector_occupations",
        "centers",
        "center_sites",
    ];
    let mut expected = Vec::new();
    for table in tables {
        expected.push(app.count(table).await);
    }
    let Some((url, _dir, _cleanup)) = crate::helpers::scratch_database(app.backend).await else {
        return;
    };
    let first = backend::db::connect_and_migrate(&url).await.unwrap();
    let second = backend::db::connect_and_migrate(&url).await.unwrap();
    let (a, b) = tokio::join!(
        backend::seed::reference(&first),
        backend::seed::reference(&second)
    );
    a.expect("the first instance seeds");
    b.expect("the second instance starts too");
    for (table, expected) in tables.iter().zip(expected) {
        assert_eq!(count_in(&first, table).await, expected, "{table}");
    }
    let (a, b) = tokio::join!(
        backend::seed::ensure_admin(&first, "admin@example.ma"),
        backend::seed::ensure_admin(&second, "admin@example.ma"),
    );
    let created = [a.unwrap(), b.unwrap()];
    assert_eq!(created.iter().filter(|c| c.is_some()).count(), 1);
    assert_eq!(count_in(&first, "users WHERE role = 'admin'").await, 1);
}

crate::on_both_databases!(
    two_owners_removing_each_other_at_once_leave_one_owner,
    two_admins_demoting_each_other_at_once_leave_one_admin,
    a_draft_saved_twice_at_once_is_one_draft,
    a_rename_racing_a_verification_never_leaves_an_unvetted_name_verified,
    two_instances_seeding_one_empty_database_at_once_load_it_once,
);
