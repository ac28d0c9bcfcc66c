//! The complaints mailbox over IMAP (the `imap` crate, blocking; run it off the async
//! threads): list what waits in the inbox folder, fetch one message without marking it
//! read, move it to the processed or quarantine folder, and append (tests and tooling).

use anyhow::Context;
use imap::{ConnectionMode, TlsKind};

use crate::config::IntakeSettings;

/// A signed-in IMAP session with the inbox folder selected.
pub struct Mailbox {
    session: imap::Session<imap::Connection>,
    folder: String,
}

impl Mailbox {
    /// Connects with `intake.security`, signs in and selects `intake.folder`; the processed
    /// and quarantine folders (and the inbox folder, if it is not INBOX) are created when
    /// missing.
    pub fn open(settings: &IntakeSettings) -> anyhow::Result<Mailbox> {
        let mode = match settings.security.as_str() {
            "tls" => ConnectionMode::Tls,
            "starttls" => ConnectionMode::StartTls,
            _ => ConnectionMode::Plaintext,
        };
        let address = format!("{}:{}", settings.host.trim(), settings.port);
        let client = imap::ClientBuilder::new(settings.host.trim(), settings.port)
            .mode(mode)
            .tls_kind(TlsKind::Rust)
            .connect()
            .with_context(|| format!("opening an IMAP connection to {address}"))?;
        let mut session = client
            .login(&settings.username, &settings.password)
            .map_err(|(e, _)| e)
            .with_context(|| format!("signing in to {address} as {}", settings.username))?;
        for folder in [
            &settings.folder,
            &settings.processed_folder,
            &settings.quarantine_folder,
        ] {
            // Already there is the usual answer; a real problem shows when moving.
            let _ = session.create(folder);
        }
        session
            .select(&settings.folder)
            .with_context(|| format!("opening the folder {}", settings.folder))?;
        Ok(Mailbox {
            session,
            folder: settings.folder.clone(),
        })
    }

    /// The UIDs of the messages waiting in the folder, oldest first.
    pub fn waiting(&mut self) -> anyhow::Result<Vec<u32>> {
        // NOOP first so messages that arrived since SELECT are seen.
        self.session.noop()?;
        let mut uids: Vec<u32> = self.session.uid_search("ALL")?.into_iter().collect();
        uids.sort_unstable();
        Ok(uids)
    }

    /// The message `uid` as it arrived (`BODY.PEEK[]` leaves it unread); `None` when it is
    /// no longer there (another worker moved it).
    pub fn fetch(&mut self, uid: u32) -> anyhow::Result<Option<Vec<u8>>> {
        let fetched = match self.session.uid_fetch(uid.to_string(), "BODY.PEEK[]") {
            Ok(fetched) => fetched,
            Err(e) if gone(&e) => return Ok(None),
            Err(e) => return Err(e.into()),
        };
        Ok(fetched
            .iter()
            .find(|f| f.uid == Some(uid))
            .and_then(|f| f.body().map(<[u8]>::to_vec)))
    }

    /// Moves `uid` into `folder` (UID MOVE, RFC 6851). A message already moved by another
    /// worker is not an error: the server answers OK for no messages.
    pub fn move_to(&mut self, uid: u32, folder: &str) -> anyhow::Result<()> {
        match self.session.uid_mv(uid.to_string(), folder) {
            Ok(()) => Ok(()),
            // Dovecot's answer when another worker moved it first (RFC 5530).
            Err(e) if gone(&e) => Ok(()),
            Err(e) => Err(e)
                .with_context(|| format!("moving message {uid} from {} to {folder}", self.folder)),
        }
    }

    /// Adds a message to `folder` (IMAP APPEND).
    pub fn append(&mut self, folder: &str, raw: &[u8]) -> anyhow::Result<()> {
        self.session
            .append(folder, raw)
            .finish()
            .with_context(|| format!("appending a message to {folder}"))?;
        Ok(())
    }

    /// How many messages `folder` holds (STATUS), for tests and the command line.
    pub fn count(&mut self, folder: &str) -> anyhow::Result<u32> {
        let status = self.session.status(folder, "(MESSAGES)")?;
        Ok(status.exists)
    }

    pub fn close(mut self) {
        let _ = self.session.logout();
    }
}

/// The server says the message was expunged meanwhile (`[EXPUNGEISSUED]`, RFC 5530).
fn gone(error: &imap::Error) -> bool {
    error.to_string().contains("EXPUNGEISSUED")
}
