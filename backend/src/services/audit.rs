//! The audit log: one row per privileged change, written in the same transaction as the change.

use chrono::Utc;
use sea_orm::{ActiveModelTrait, ActiveValue::Set, ConnectionTrait, NotSet};

use crate::entities::audit_log;
use crate::error::ApiError;

/// Who did it: a person, a partner key, or the platform itself (seed, first start).
#[derive(Debug, Clone, Copy)]
pub enum Actor {
    User(i64),
    ApiKey(i64),
    System,
}

pub async fn record(
    db: &impl ConnectionTrait,
    actor: Actor,
    action: &str,
    target_type: &str,
    target_id: impl ToString,
    details: serde_json::Value,
) -> Result<(), ApiError> {
    let (user, key) = match actor {
        Actor::User(id) => (Some(id), None),
        Actor::ApiKey(id) => (None, Some(id)),
        Actor::System => (None, None),
    };
    audit_log::ActiveModel {
        id: NotSet,
        actor_user_id: Set(user),
        actor_api_key_id: Set(key),
        action: Set(action.to_owned()),
        target_type: Set(target_type.to_owned()),
        target_id: Set(Some(target_id.to_string())),
        details: Set((!details.is_null()).then(|| details.to_string())),
        created_at: Set(Utc::now()),
    }
    .insert(db)
    .await?;
    Ok(())
}
