//! Search over folded text: the query is folded as the stored `search_text` was
//! (`shared::search::fold`), and each of its words must begin a word of the row. Both sides
//! are plain lower-case letters, digits and spaces, so SQLite and PostgreSQL compare the same
//! bytes and answer alike. `LIKE` with a leading `%` reads the whole table: fine for people,
//! organisations and centers by the thousand; offers will have a full-text index.

use sea_orm::sea_query::Expr;
use sea_orm::{ActiveModelTrait, ColumnTrait, Condition, DatabaseTransaction, EntityTrait, Set};
use shared::search::{FOLD_VERSION, fold, fold_all};

use crate::entities::{center, commune, organization, reference_version, user};

/// Rows whose folded `column` holds every word of `typed` at the start of one of its words;
/// `None` (no filter) when `typed` is blank. A query of punctuation only (`%`, `_`) matches
/// nothing: no name is made of it.
pub fn words_in(column: impl ColumnTrait + Copy, typed: &str) -> Option<Condition> {
    if typed.trim().is_empty() {
        return None;
    }
    let folded = fold(typed);
    if folded.is_empty() {
        return Some(Condition::all().add(Expr::cust("1 = 0")));
    }
    let mut all = Condition::all();
    for word in folded.split(' ') {
        all = all.add(
            Condition::any()
                .add(column.like(format!("{word}%")))
                .add(column.like(format!("% {word}%"))),
        );
    }
    Some(all)
}

const FOLD_NAME: &str = "search-fold";

/// Brings every `search_text` (and the communes' `search_key`) in step with this binary's
/// fold, once per fold version: rows written before the column existed, or folded by an older
/// rule. Runs inside the seed's transaction, which no other instance runs at the same time.
/// Occupations are refolded with the rest of their reference data.
pub async fn refold(txn: &DatabaseTransaction) -> anyhow::Result<()> {
    let version = FOLD_VERSION.to_string();
    let current = reference_version::Entity::find_by_id(FOLD_NAME)
        .one(txn)
        .await?
        .is_some_and(|v| v.digest == version);
    if current {
        return Ok(());
    }
    for row in user::Entity::find().all(txn).await? {
        let text = user::search_text(&row.first_name, &row.last_name, &row.email);
        let mut active: user::ActiveModel = row.into();
        active.search_text = Set(Some(text));
        active.update(txn).await?;
    }
    for row in organization::Entity::find().all(txn).await? {
        let text = organization::search_text(&row.name);
        let mut active: organization::ActiveModel = row.into();
        active.search_text = Set(Some(text));
        active.update(txn).await?;
    }
    for row in center::Entity::find().all(txn).await? {
        let text = center::search_text(&row.name, &row.host_institution, &row.city);
        let mut active: center::ActiveModel = row.into();
        active.search_text = Set(Some(text));
        active.update(txn).await?;
    }
    for row in commune::Entity::find().all(txn).await? {
        let key = commune_key(&row.name_fr, &row.name_ar);
        if row.search_key != key {
            let mut active: commune::ActiveModel = row.into();
            active.search_key = Set(key);
            active.update(txn).await?;
        }
    }
    reference_version::Entity::delete_by_id(FOLD_NAME)
        .exec(txn)
        .await?;
    reference_version::Entity::insert(reference_version::ActiveModel {
        name: Set(FOLD_NAME.into()),
        digest: Set(version),
    })
    .exec(txn)
    .await?;
    Ok(())
}

/// A commune's folded names, French and Arabic.
pub fn commune_key(name_fr: &str, name_ar: &str) -> String {
    fold_all([name_fr, name_ar])
}
