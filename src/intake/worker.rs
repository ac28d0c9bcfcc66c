//! Reading the complaints mailbox: each waiting message is fetched, filed in one
//! transaction ([`super::file_message`]) and only then moved to the processed (or
//! quarantine) folder. A crash between the commit and the move leaves the message in the
//! inbox already stored; the next round finds its Message-ID stored and only moves it. Two
//! workers that fetch the same message both reach the store, where a lock on the
//! Message-ID and its unique index let one store it; the other sees it stored.

use std::sync::Arc;
use std::time::Duration as StdDuration;

use serde::Serialize;

use super::file::{file_message, Filed};
use super::mailbox::Mailbox;
use crate::clock::Clock;
use crate::config::Settings;
use crate::db::DbPool;

/// What one round did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct Summary {
    /// Messages fetched from the inbox folder.
    pub read: usize,
    /// Stored this round (any status).
    pub stored: usize,
    /// Of those, added to an open case's timeline.
    pub filed_to_cases: usize,
    /// Of those, quarantined.
    pub quarantined: usize,
    /// Found stored already (an earlier round crashed before moving them, or another
    /// worker stored them): only moved.
    pub already_stored: usize,
    /// Left in the inbox for the next round: storing them failed.
    pub failed: usize,
}

/// Reads the mailbox once: every message waiting, batch by batch, until none is left.
pub fn run_once(pool: &DbPool, settings: &Settings, clock: Clock) -> anyhow::Result<Summary> {
    let intake = &settings.intake;
    let mut mailbox = Mailbox::open(intake)?;
    let mut conn = pool.get()?;
    let mut summary = Summary::default();
    let mut failed: Vec<u32> = Vec::new();
    // Messages another worker held are left to it this round.
    let mut skipped: Vec<u32> = Vec::new();
    loop {
        let batch: Vec<u32> = mailbox
            .waiting()?
            .into_iter()
            .filter(|uid| !failed.contains(uid) && !skipped.contains(uid))
            .take(intake.batch_size as usize)
            .collect();
        if batch.is_empty() {
            break;
        }
        for uid in batch {
            // Held from the fetch to the move; another worker skips the message meanwhile
            // and finds it gone afterwards.
            let hold = format!("intake:{}:{uid}", intake.folder);
            if !crate::db::incoming_emails::try_hold(&mut conn, &hold)? {
                skipped.push(uid);
                continue;
            }
            let result = file_one(&mut mailbox, &mut conn, settings, clock, uid, &mut summary);
            crate::db::incoming_emails::release(&mut conn, &hold)?;
            if !result? {
                failed.push(uid);
            }
        }
    }
    mailbox.close();
    Ok(summary)
}

/// Fetches, files and moves one message; `false` when storing it failed (it stays in the
/// inbox for the next round).
fn file_one(
    mailbox: &mut Mailbox,
    conn: &mut crate::db::DbConnection,
    settings: &Settings,
    clock: Clock,
    uid: u32,
    summary: &mut Summary,
) -> anyhow::Result<bool> {
    let intake = &settings.intake;
    let Some(raw) = mailbox.fetch(uid)? else {
        return Ok(true);
    };
    summary.read += 1;
    let filed = match file_message(conn, settings, &raw, clock.now_naive()) {
        Ok(filed) => filed,
        Err(e) => {
            tracing::error!("intake: message {uid} could not be stored: {e:#}");
            summary.failed += 1;
            return Ok(false);
        }
    };
    match &filed {
        Filed::Stored { status, .. } => {
            summary.stored += 1;
            summary.filed_to_cases += usize::from(*status == crate::db::incoming_emails::FILED);
            summary.quarantined += usize::from(filed.quarantined());
        }
        Filed::AlreadyStored { .. } => summary.already_stored += 1,
    }
    let folder = if filed.quarantined() {
        &intake.quarantine_folder
    } else {
        &intake.processed_folder
    };
    // Stored and committed: only now may it leave the inbox.
    mailbox.move_to(uid, folder)?;
    Ok(true)
}

/// The server's mailbox reader: a round every `intake.poll_seconds` until the server stops.
pub async fn run_in_background(pool: DbPool, settings: Arc<Settings>, clock: Clock) {
    let every = StdDuration::from_secs(settings.intake.poll_seconds.max(1));
    loop {
        let (pool, settings) = (pool.clone(), settings.clone());
        let result = actix_web::web::block(move || run_once(&pool, &settings, clock)).await;
        match result {
            Ok(Ok(summary)) if summary.read > 0 => tracing::info!("intake: {summary:?}"),
            Ok(Ok(_)) => {}
            Ok(Err(e)) => tracing::error!("intake round failed: {e:#}"),
            Err(e) => tracing::error!("intake round did not finish: {e}"),
        }
        actix_web::rt::time::sleep(every).await;
    }
}
