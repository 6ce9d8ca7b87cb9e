//! Outgoing e-mail: SMTP when `SMTP_URL` is set, otherwise one `.eml` file per message under
//! `DATA_DIR/outbox/`, so a single box runs without a mail server and a developer reads the
//! links there. Every message goes in the recipient's language, as plain text and HTML.
//!
//! Messages leave in the background: how long a mail server takes must not tell a caller
//! whether an address has an account. A failure is logged (without the message's link) and not
//! retried yet.

mod messages;

use anyhow::Context;
use lettre::message::{Mailbox, MultiPart};
use lettre::transport::smtp::AsyncSmtpTransport;
use lettre::{AsyncFileTransport, AsyncTransport, Message, Tokio1Executor};
use secrecy::ExposeSecret;
use shared::Locale;

pub use messages::Mail;

use crate::config::Settings;

#[derive(Clone)]
enum Transport {
    Smtp(AsyncSmtpTransport<Tokio1Executor>),
    Outbox(AsyncFileTransport<Tokio1Executor>),
}

#[derive(Clone)]
pub struct Mailer {
    transport: Transport,
    from: Mailbox,
    /// Where users reach the web app, for links.
    public_url: String,
}

impl Mailer {
    pub fn from_settings(settings: &Settings) -> anyhow::Result<Self> {
        let transport = match &settings.smtp_url {
            Some(url) => Transport::Smtp(
                AsyncSmtpTransport::<Tokio1Executor>::from_url(url.expose_secret())
                    .context("SMTP_URL must look like smtp://user:pass@host:587")?
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
        })
    }

    /// A link into the web app; `token` rides in the fragment, which browsers never send to a
    /// server nor put in a `Referer`.
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
        let transport = self.transport.clone();
        let kind = mail.kind();
        tokio::spawn(async move {
            let outcome = match &transport {
                Transport::Smtp(smtp) => smtp.send(message).await.map(drop).map_err(anyhow::Error::from),
                Transport::Outbox(files) => files
                    .send(message)
                    .await
                    .map(|id| tracing::info!(kind, file = %format!("{id}.eml"), "mail written to the outbox"))
                    .map_err(anyhow::Error::from),
            };
            match outcome {
                Ok(()) => tracing::info!(kind, "mail sent"),
                Err(error) => tracing::error!(error = ?error, kind, "mail could not be sent"),
            }
        });
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
