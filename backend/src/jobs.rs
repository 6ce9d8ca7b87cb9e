//! Background jobs: one worker inside the binary runs every job when it is due, and stops at a
//! safe point (between two jobs) when the server shuts down.
//!
//! Several instances may share one PostgreSQL database, so each run is *claimed* first: one
//! guarded `UPDATE` of the job's row in `job_leases` succeeds for exactly one instance (the
//! database serialises the two writes; the second finds the row already taken or already run).
//! A lease ends when the run finishes; one left by an instance that died runs out after
//! [`LEASE`], and another instance takes the job over. Later jobs (offer expiry, feed polling,
//! webhook delivery) are added to [`catalogue`].

use std::future::Future;
use std::pin::Pin;
use std::time::Duration as StdDuration;

use chrono::{DateTime, Duration, Utc};
use sea_orm::sea_query::{Expr, OnConflict};
use sea_orm::{ColumnTrait, Condition, ConnectionTrait, EntityTrait, QueryFilter};
use tokio_util::sync::CancellationToken;

use crate::auth::tokens::random_token;
use crate::entities::{account_token, idempotency_key, job_lease, mail_outbox, refresh_token};
use crate::state::AppState;

/// How long a claimed run may take before another instance may assume it died.
pub const LEASE: StdDuration = StdDuration::from_secs(15 * 60);

type JobFuture<'a> = Pin<Box<dyn Future<Output = anyhow::Result<String>> + Send + 'a>>;

/// A job: its name (its row in `job_leases`), how often it runs, and what it does. A run
/// returns a one-line summary, kept as the row's `last_outcome`.
pub struct Job {
    pub name: &'static str,
    pub every: StdDuration,
    pub run: for<'a> fn(&'a AppState) -> JobFuture<'a>,
}

/// Every job of the server; `tick` is how often the worker looks.
pub fn catalogue(tick: StdDuration) -> Vec<Job> {
    vec![
        Job {
            name: "sweep",
            every: StdDuration::from_secs(3600),
            run: |state| Box::pin(sweep(&state.db, Utc::now())),
        },
        Job {
            name: "mail",
            every: tick,
            run: |state| Box::pin(state.mailer.retry_due(Utc::now())),
        },
        Job {
            name: "ingest",
            every: tick,
            run: |state| Box::pin(crate::services::ingest::poll::due(state)),
        },
        Job {
            name: "offer_clusters",
            every: tick,
            run: |state| {
                Box::pin(async move {
                    let done = crate::dedup::place_waiting(&state.db, Utc::now()).await?;
                    // The index shows a cluster once: told when one has changed.
                    if done.joined > 0 {
                        state.offers_written().await;
                    }
                    Ok(done.to_string())
                })
            },
        },
        Job {
            name: "offer_expiry",
            // Often: the search shows one offer of each vacancy, and another offer of the
            // vacancy takes the place of one past its date once this job has marked it.
            every: StdDuration::from_secs(60),
            run: |state| {
                Box::pin(async move {
                    let done = crate::services::offers::expire(&state.db, Utc::now()).await;
                    state.offers_written().await;
                    done
                })
            },
        },
    ]
}

/// Runs the jobs of [`catalogue`] until `stop` is cancelled, looking for due ones every
/// `tick`. A job already started finishes its run first.
pub async fn work(state: actix_web::web::Data<AppState>, stop: CancellationToken) {
    let jobs = catalogue(state.settings.job_tick);
    let owner = random_token()[..16].to_owned();
    let mut tick = tokio::time::interval(state.settings.job_tick);
    tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Skip);
    loop {
        tokio::select! {
            () = stop.cancelled() => break,
            _ = tick.tick() => {}
        }
        for job in &jobs {
            if stop.is_cancelled() {
                break;
            }
            if let Err(error) = run_if_due(&state, job, &owner).await {
                tracing::error!(job = job.name, error = %error, "background job failed");
            }
        }
    }
    tracing::info!("background worker stopped");
}

/// Claims `job` and runs it if it is due and no other instance holds it; whether it ran.
pub async fn run_if_due(state: &AppState, job: &Job, owner: &str) -> anyhow::Result<bool> {
    let now = Utc::now();
    // Half a tick of slack: the worker looks once a tick, a few milliseconds later or earlier
    // each time, and a job due every tick must not wait a whole extra tick for them.
    let every = job.every.saturating_sub(state.settings.job_tick / 2);
    if !claim(&state.db, job.name, owner, every, now).await? {
        return Ok(false);
    }
    let outcome = (job.run)(state).await;
    let summary = match &outcome {
        Ok(summary) => summary.clone(),
        Err(error) => format!("failed: {error}"),
    };
    tracing::info!(job = job.name, outcome = %summary, "background job ran");
    release(&state.db, job.name, owner, &summary).await?;
    outcome.map(|_| true)
}

/// Takes the lease of `name` for `owner` if the job is free and its last run started at least
/// `every` before `now`. Of any number of instances calling this at once, one gets `true`.
pub async fn claim(
    db: &impl ConnectionTrait,
    name: &str,
    owner: &str,
    every: StdDuration,
    now: DateTime<Utc>,
) -> anyhow::Result<bool> {
    job_lease::Entity::insert(job_lease::ActiveModel {
        name: sea_orm::Set(name.to_owned()),
        owner: sea_orm::Set(None),
        leased_until: sea_orm::Set(None),
        last_started_at: sea_orm::Set(None),
        last_finished_at: sea_orm::Set(None),
        last_outcome: sea_orm::Set(None),
    })
    .on_conflict(
        OnConflict::column(job_lease::Column::Name)
            .do_nothing()
            .to_owned(),
    )
    .exec_without_returning(db)
    .await?;
    let due_before = now - Duration::from_std(every)?;
    let claimed = job_lease::Entity::update_many()
        .col_expr(job_lease::Column::Owner, Expr::value(owner))
        .col_expr(
            job_lease::Column::LeasedUntil,
            Expr::value(now + Duration::from_std(LEASE)?),
        )
        .col_expr(job_lease::Column::LastStartedAt, Expr::value(now))
        .filter(job_lease::Column::Name.eq(name))
        .filter(
            Condition::any()
                .add(job_lease::Column::LeasedUntil.is_null())
                .add(job_lease::Column::LeasedUntil.lt(now)),
        )
        .filter(
            Condition::any()
                .add(job_lease::Column::LastStartedAt.is_null())
                .add(job_lease::Column::LastStartedAt.lte(due_before)),
        )
        .exec(db)
        .await?;
    Ok(claimed.rows_affected == 1)
}

/// Ends `owner`'s lease of `name`, recording how the run went.
async fn release(
    db: &impl ConnectionTrait,
    name: &str,
    owner: &str,
    outcome: &str,
) -> anyhow::Result<()> {
    job_lease::Entity::update_many()
        .col_expr(
            job_lease::Column::LeasedUntil,
            Expr::value(Option::<DateTime<Utc>>::None),
        )
        .col_expr(job_lease::Column::LastFinishedAt, Expr::value(Utc::now()))
        .col_expr(
            job_lease::Column::LastOutcome,
            Expr::value(outcome.chars().take(1000).collect::<String>()),
        )
        .filter(job_lease::Column::Name.eq(name))
        .filter(job_lease::Column::Owner.eq(owner))
        .exec(db)
        .await?;
    Ok(())
}

/// How long an idempotency row is kept, in hours (answers are replayed for 24 hours).
const IDEMPOTENCY_RETENTION_HOURS: i64 = 24;
/// How long a used or expired account link is kept, in days, to answer "already used".
const ACCOUNT_TOKEN_RETENTION_DAYS: i64 = 7;

/// Deletes what nothing will read again, as of `now`: refresh tokens past their expiry or
/// revoked more than a day ago (a spent, unexpired one stays: presenting it again is how
/// theft is detected), account links expired or used a week ago, idempotency rows older than
/// their retention, and mail given up on a week ago. Returns what it removed.
pub async fn sweep(db: &impl ConnectionTrait, now: DateTime<Utc>) -> anyhow::Result<String> {
    let links_before = now - Duration::days(ACCOUNT_TOKEN_RETENTION_DAYS);
    let refresh = refresh_token::Entity::delete_many()
        .filter(
            Condition::any()
                .add(refresh_token::Column::ExpiresAt.lt(now))
                .add(refresh_token::Column::RevokedAt.lt(now - Duration::days(1))),
        )
        .exec(db)
        .await?
        .rows_affected;
    let links = account_token::Entity::delete_many()
        .filter(
            Condition::any()
                .add(account_token::Column::ExpiresAt.lt(links_before))
                .add(account_token::Column::UsedAt.lt(links_before)),
        )
        .exec(db)
        .await?
        .rows_affected;
    let given_up = mail_outbox::Entity::delete_many()
        .filter(mail_outbox::Column::NextAttemptAt.is_null())
        .filter(mail_outbox::Column::CreatedAt.lt(links_before))
        .exec(db)
        .await?
        .rows_affected;
    let idempotency = idempotency_key::Entity::delete_many()
        .filter(
            idempotency_key::Column::CreatedAt
                .lt(now - Duration::hours(IDEMPOTENCY_RETENTION_HOURS)),
        )
        .exec(db)
        .await?
        .rows_affected;
    Ok(format!(
        "removed {refresh} refresh tokens, {links} account links, {idempotency} idempotency keys, \
{given_up} mails given up on"
    ))
}
