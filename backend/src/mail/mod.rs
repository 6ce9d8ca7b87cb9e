//! Outgoing e-mail: SMTP when `SMTP_URL` is set, otherwise one `.eml` file per message under
//! `DATA_DIR/outbox/`, so a single box runs without a mail server and a developer reads the
//! links there. Every message goes in the recipient's language, as plain text and HTML.
//!
//! Messages leave in the background: how long a mail server takes must not tell a caller
//! whether an address has an account. One that fails (the mail server is down, the disk is
//! full) waits in the `mail_outbox` table, formatted, and the background worker's `mail` job
//! tries it again with a doubling delay (the worker's tick, then twice that, up to an hour),
//! [`MAX_ATTEMPTS`] times in all; a delivered row is deleted, one given up on is kept a week for
//! the operator. The table therefore holds links (reset, verification) while they wait: they
//! expire on their own within hours, and the sweep removes what is left.

mod messages;

use std::time::Duration as StdDuration;

use anyhow::Context;
use chrono::{DateTime, Duration, Utc};
use lettre::address::Envelope;
use lettre::message::{Mailbox, MultiPart};
use lettre::transport::smtp::AsyncSmtpTransport;
use lettre::{AsyncFileTransport, AsyncTransport, Message, Tokio1Executor};
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, DatabaseConnection, EntityTrait, NotSet, QueryFilter,
    QueryOrder, QuerySelect, Set,
};
use secrecy::ExposeSecret;
use shared::Locale;

use crate::entities::mail_outbox;

pub use messages::Mail;

use crate::config::Settings;

#[derive(Clone)]
enum Transport {
    Smtp(AsyncSmtpTransport<Tokio1Executor>),
    Outbox(AsyncFileTransport<Tokio1Executor>),
}

/// Tries of one message, the first included, before the worker gives up.
pub const MAX_ATTEMPTS: i32 = 8;
/// Messages retried per run of the `mail` job.
const RETRY_BATCH: u64 = 50;
/// How long one SMTP exchange may take before it counts as failed.
const SMTP_TIMEOUT: StdDuration = StdDuration::from_secs(10);
/// How long one run of the `mail` job may go on taking new messages: far below the job's
/// lease, so no other instance takes the job over (and sends the same rows) meanwhile.
const RUN_BUDGET: StdDuration = StdDuration::from_secs(60);

#[derive(Clone)]
pub struct Mailer {
    transport: Transport,
    from: Mailbox,
    /// Where users reach the web app, for links.
    public_url: String,
    /// Where failed messages wait for another try.
    db: DatabaseConnection,
    /// The first delay before a retry; each next one doubles.
    retry_after: StdDuration,
}

impl Mailer {
    pub fn from_settings(settings: &Settings, db: DatabaseConnection) -> anyhow::Result<Self> {
        let transport = match &settings.smtp_url {
            Some(url) => Transport::Smtp(
                AsyncSmtpTransport::<Tokio1Executor>::from_url(url.expose_secret())
                    .context("SMTP_URL must look like smtp://user:pass@host:587")?
                    .timeout(Some(SMTP_TIMEOUT))
                    .build(),
            ),
            None => {
                let outbox = settings.outbox();
                std::fs::create_dir_all(&outbox)
                    .with_context(|| format!("creating the outbox {}", outbox.display()))?;
                Transport::Outbox(AsyncFileTransport::new(outbox))
            }
        };
        Ok(Self {
            transport,
            from: settings
                .mail_from
                .parse()
                .context("MAIL_FROM must be an address such as Career Center <no-reply@…>")?,
            public_url: settings.public_url.clone(),
            db,
            retry_after: settings.job_tick,
        })
    }

    /// A link into the web app; `token` rides in the fragment, which browsers never send to a
    /// server nor put in a `Referer`.
    /// The address of a page of the web app (`events/4`).
    pub fn page(&self, path: &str) -> String {
        format!("{}/{path}", self.public_url)
    }

    pub fn link(&self, page: &str, token: &str) -> String {
        format!("{}/{page}#token={token}", self.public_url)
    }

    /// Renders `mail` in `locale` and sends it to `to` in the background.
    pub fn send(&self, to: &str, locale: Locale, mail: Mail) {
        let message = match self.render(to, locale, &mail) {
            Ok(message) => message,
            Err(error) => {
                tracing::error!(error = ?error, kind = mail.kind(), "a message could not be built");
                return;
            }
        };
        let mailer = self.clone();
        let kind = mail.kind();
        let recipient = to.to_owned();
        tokio::spawn(async move {
            let bytes = message.formatted();
            match mailer.deliver(message.envelope(), &bytes, kind).await {
                Ok(()) => {}
                Err(error) => {
                    tracing::warn!(error = ?error, kind, "mail could not be sent; it will be retried");
                    if let Err(error) = mailer.keep(&recipient, kind, &bytes, &error).await {
                        tracing::error!(error = ?error, kind, "a failed mail could not be kept for retry");
                    }
                }
            }
        });
    }

    /// Hands one formatted message to the transport.
    async fn deliver(&self, envelope: &Envelope, bytes: &[u8], kind: &str) -> anyhow::Result<()> {
        match &self.transport {
            Transport::Smtp(smtp) => {
                smtp.send_raw(envelope, bytes).await?;
                tracing::info!(kind, "mail sent");
            }
            Transport::Outbox(files) => {
                let id = files.send_raw(envelope, bytes).await?;
                tracing::info!(kind, file = %format!("{id}.eml"), "mail written to the outbox");
            }
        }
        Ok(())
    }

    /// The delay before try number `attempts + 1`.
    fn backoff(&self, attempts: i32) -> Duration {
        let first = Duration::from_std(self.retry_after).unwrap_or(Duration::minutes(1));
        let doubled = first * 2_i32.saturating_pow(u32::try_from(attempts - 1).unwrap_or(0));
        doubled.min(Duration::hours(1))
    }

    /// Keeps a message whose first try failed, for the worker.
    async fn keep(
        &self,
        recipient: &str,
        kind: &str,
        bytes: &[u8],
        error: &anyhow::Error,
    ) -> anyhow::Result<()> {
        let now = Utc::now();
        mail_outbox::ActiveModel {
            id: NotSet,
            recipient: Set(recipient.to_owned()),
            kind: Set(kind.to_owned()),
            message: Set(String::from_utf8_lossy(bytes).into_owned()),
            attempts: Set(1),
            next_attempt_at: Set(Some(now + self.backoff(1))),
            last_error: Set(Some(error.to_string().chars().take(500).collect())),
            created_at: Set(now),
        }
        .insert(&self.db)
        .await?;
        Ok(())
    }

    /// The `mail` job: tries again the kept messages that are due as of `now`. A delivered one
    /// is deleted; one that fails waits twice as long, until [`MAX_ATTEMPTS`].
    pub async fn retry_due(&self, now: DateTime<Utc>) -> anyhow::Result<String> {
        let due = mail_outbox::Entity::find()
            .filter(mail_outbox::Column::NextAttemptAt.lte(now))
            .order_by_asc(mail_outbox::Column::NextAttemptAt)
            .limit(RETRY_BATCH)
            .all(&self.db)
            .await?;
        let (mut sent, mut failed) = (0, 0);
        let started = std::time::Instant::now();
        for row in due {
            if started.elapsed() > RUN_BUDGET {
                break;
            }
            // One bad row (an address that no longer parses) fails alone, not the batch.
            let attempt = match row.recipient.parse() {
                Ok(to) => match Envelope::new(Some(self.from.email.clone()), vec![to]) {
                    Ok(envelope) => {
                        self.deliver(&envelope, row.message.as_bytes(), &row.kind)
                            .await
                    }
                    Err(error) => Err(error.into()),
                },
                Err(error) => Err(anyhow::Error::from(error)),
            };
            match attempt {
                Ok(()) => {
                    mail_outbox::Entity::delete_by_id(row.id)
                        .exec(&self.db)
                        .await?;
                    sent += 1;
                }
                Err(error) => {
                    failed += 1;
                    let attempts = row.attempts + 1;
                    let next = (attempts < MAX_ATTEMPTS).then(|| now + self.backoff(attempts));
                    if next.is_none() {
                        tracing::error!(kind = row.kind, "mail given up after {attempts} tries");
                    }
                    mail_outbox::Entity::update_many()
                        .col_expr(mail_outbox::Column::Attempts, Expr::value(attempts))
                        .col_expr(mail_outbox::Column::NextAttemptAt, Expr::value(next))
                        .col_expr(
                            mail_outbox::Column::LastError,
                            Expr::value(error.to_string().chars().take(500).collect::<String>()),
                        )
                        .filter(mail_outbox::Column::Id.eq(row.id))
                        .exec(&self.db)
                        .await?;
                }
            }
        }
        Ok(format!("{sent} mails sent on retry, {failed} failed again"))
    }

    fn render(&self, to: &str, locale: Locale, mail: &Mail) -> anyhow::Result<Message> {
        let text = messages::render(locale, mail);
        Ok(Message::builder()
            .from(self.from.clone())
            .to(to.parse().context("recipient address")?)
            .subject(text.subject)
            .multipart(MultiPart::alternative_plain_html(text.plain, text.html))?)
    }
}
