//! The lettre transport named by `mail.transport`: `.eml` files in `{data_dir}/mail/` (the
//! embedded default) or an SMTP relay (STARTTLS, implicit TLS or plain, with credentials).

use std::path::PathBuf;
use std::time::Duration;

use anyhow::Context;
use lettre::message::Mailbox;
use lettre::transport::smtp::authentication::Credentials;
use lettre::transport::smtp::client::{Tls, TlsParameters};
use lettre::{FileTransport, Message, SmtpTransport, Transport};

use crate::config::{MailSettings, Settings};

/// Where mail goes, and who it is from.
#[derive(Clone)]
pub struct Mailer {
    pub from: Mailbox,
    transport: Delivery,
}

#[derive(Clone)]
enum Delivery {
    File(FileTransport, PathBuf),
    Smtp(SmtpTransport),
}

/// A failed attempt: `permanent` when trying again cannot help (a 5xx refusal).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SendError {
    pub message: String,
    pub permanent: bool,
}

impl Mailer {
    pub fn from_settings(settings: &Settings) -> anyhow::Result<Mailer> {
        let mail = &settings.mail;
        let from: Mailbox = mail
            .from
            .parse()
            .map_err(|e| anyhow::anyhow!("configuration error in `mail.from`: {e}"))?;
        let transport = match mail.transport.as_str() {
            "smtp" => Delivery::Smtp(smtp(mail)?),
            _ => {
                let dir = settings.storage.data_dir.join("mail");
                std::fs::create_dir_all(&dir)
                    .with_context(|| format!("creating {}", dir.display()))?;
                Delivery::File(FileTransport::new(&dir), dir)
            }
        };
        Ok(Mailer { from, transport })
    }

    /// Where the file transport writes, if that is the transport.
    pub fn folder(&self) -> Option<&std::path::Path> {
        match &self.transport {
            Delivery::File(_, dir) => Some(dir),
            Delivery::Smtp(_) => None,
        }
    }

    pub fn send(&self, message: &Message) -> Result<(), SendError> {
        match &self.transport {
            Delivery::File(file, _) => file.send(message).map(|_| ()).map_err(|e| SendError {
                message: format!("writing the mail file failed: {e}"),
                permanent: false,
            }),
            Delivery::Smtp(smtp) => smtp.send(message).map(|_| ()).map_err(|e| SendError {
                message: describe(&e),
                permanent: e.is_permanent(),
            }),
        }
    }
}

fn smtp(mail: &MailSettings) -> anyhow::Result<SmtpTransport> {
    let host = mail.smtp_host.trim();
    let tls = || {
        TlsParameters::new(host.to_string())
            .with_context(|| format!("configuration error in `mail.smtp_host`: `{host}`"))
    };
    let security = match mail.smtp_security.as_str() {
        "tls" => Tls::Wrapper(tls()?),
        "none" => Tls::None,
        _ => Tls::Required(tls()?),
    };
    let mut builder = SmtpTransport::builder_dangerous(host)
        .port(mail.smtp_port)
        .tls(security)
        .timeout(Some(Duration::from_secs(mail.smtp_timeout_seconds.max(1))));
    if !mail.smtp_username.is_empty() {
        builder = builder.credentials(Credentials::new(
            mail.smtp_username.clone(),
            mail.smtp_password.clone(),
        ));
    }
    Ok(builder.build())
}

/// The SMTP error with its cause chain, never the credentials.
fn describe(error: &lettre::transport::smtp::Error) -> String {
    let mut text = error.to_string();
    let mut source = std::error::Error::source(error);
    while let Some(cause) = source {
        text.push_str(": ");
        text.push_str(&cause.to_string());
        source = cause.source();
    }
    text
}
