//! Database connection: SQLite by default, PostgreSQL in production.

use std::time::Duration;

use migrations::{Migrator, MigratorTrait};
use sea_orm::{
    ConnectOptions, ConnectionTrait, Database, DatabaseConnection, DatabaseTransaction, DbBackend,
    DbErr, SqliteTransactionMode, Statement, TransactionOptions, TransactionTrait,
};

/// Connects and brings the schema up to date.
pub async fn connect_and_migrate(url: &str) -> anyhow::Result<DatabaseConnection> {
    let mut options = ConnectOptions::new(url);
    options
        .sqlx_logging(false)
        .acquire_timeout(Duration::from_secs(10))
        // WAL lets readers proceed while one writer writes; the busy timeout makes a second
        // writer wait its turn instead of failing with "database is locked".
        .map_sqlx_sqlite_opts(|o| {
            o.journal_mode(sea_orm::sqlx::sqlite::SqliteJournalMode::Wal)
                .busy_timeout(Duration::from_secs(10))
                .foreign_keys(true)
        });
    if url.starts_with("sqlite") {
        // A connection to a file cannot be dropped under us: checking it out of the pool
        // needs no ping, which on SQLite is one more trip to the connection's own thread.
        options.max_connections(8).test_before_acquire(false);
    } else {
        // Over a network a connection can die while idle (server restart, a proxy's
        // timeout): ping only those idle long enough for that, not every checkout.
        options
            .max_connections(20)
            .test_before_acquire_if_idle_for(Duration::from_secs(30));
    }
    let db = Database::connect(options).await?;
    Migrator::up(&db, None).await?;
    Ok(db)
}

/// Starts a transaction that will write. On SQLite it takes the write lock at `BEGIN`
/// (`IMMEDIATE`): a deferred transaction that reads, then writes after another writer
/// committed, fails at once with `SQLITE_BUSY` (the busy timeout cannot help it), which two
/// concurrent requests turned into a 500. PostgreSQL ignores the option.
pub async fn begin_write(db: &DatabaseConnection) -> Result<DatabaseTransaction, DbErr> {
    db.begin_with_options(TransactionOptions {
        sqlite_transaction_mode: Some(SqliteTransactionMode::Immediate),
        ..Default::default()
    })
    .await
}

/// Work that only one process may do at a time, whichever instance starts it (reference
/// seeding and the first admin at start). Background jobs use leases instead (`jobs.rs`): a
/// job's run is too long to hold a transaction open.
#[derive(Debug, Clone, Copy)]
pub enum Exclusive {
    Seeding = 1,
    /// Placing offers in clusters: a new offer compared with those already placed.
    Clustering = 2,
}

/// Starts a write transaction that no other process holds for the same `what` and `name`
/// until it ends. On PostgreSQL a transaction-scoped advisory lock,
/// taken by waiting; on SQLite the write lock taken at `BEGIN` already excludes every other
/// writer of the file.
pub async fn begin_exclusive(
    db: &DatabaseConnection,
    what: Exclusive,
    name: &str,
) -> Result<DatabaseTransaction, DbErr> {
    let txn = begin_write(db).await?;
    hold(&txn, what, name).await?;
    Ok(txn)
}

/// Inside a write transaction begun by [`begin_write`]: excludes every other transaction that
/// holds the same `what` and `name` until this one ends (see [`begin_exclusive`]).
pub async fn hold(txn: &impl ConnectionTrait, what: Exclusive, name: &str) -> Result<(), DbErr> {
    if txn.get_database_backend() == DbBackend::Postgres {
        txn.execute_raw(Statement::from_sql_and_values(
            DbBackend::Postgres,
            "SELECT pg_advisory_xact_lock($1, hashtext($2))",
            [(what as i32).into(), name.into()],
        ))
        .await?;
    }
    Ok(())
}
