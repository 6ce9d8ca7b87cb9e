//! Invariants the database keeps under concurrency: the two conflicting requests are fired at
//! once, several times over, and exactly one may win.

use reqwest::{Method, StatusCode};
use serde_json::json;
use shared::Role;

use sea_orm::ConnectionTrait;

use crate::helpers::TestApp;

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

crate::on_both_databases!(
    two_owners_removing_each_other_at_once_leave_one_owner,
    two_admins_demoting_each_other_at_once_leave_one_admin,
);
