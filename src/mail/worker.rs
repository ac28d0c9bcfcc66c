//! Delivery. A worker claims due messages with a lease, sends each through the [`Mailer`]
//! and settles it, every write naming the lease owner so a worker whose claim was taken
//! over (it hung past its lease) changes nothing. Failed attempts back off exponentially;
//! after `mail.max_attempts`, or at once on a permanent refusal, a message is `failed` and
//! waits for an officer's retry. Time is a parameter, so tests can move the clock.

use std::sync::Arc;
use std::time::Duration as StdDuration;

use chrono::{NaiveDateTime, TimeDelta, Utc};
use rand::RngCore;
use serde::Serialize;

use crate::config::Settings;
use crate::db::outbox::{self as table, AfterFailure, OutboxRow};
use crate::db::{DbConnection, DbPool};
use crate::mail::{message, notify, Mailer};
use crate::rules::Calendar;
use crate::shutdown::Shutdown;

/// What one run did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct Summary {
    pub claimed: usize,
    pub sent: usize,
    /// Failed this time, to be tried again later.
    pub retrying: usize,
    /// Given up on: shown to officers as failed.
    pub failed: usize,
    /// Claimed, then found taken over by another worker before sending.
    pub lost: usize,
}

/// First retry after 30 seconds, doubling each time, never more than an hour apart.
pub fn backoff(failed_attempts: u32) -> TimeDelta {
    let exponent = failed_attempts.saturating_sub(1).min(16);
    let seconds = 30i64.saturating_mul(1i64 << exponent).min(3600);
    TimeDelta::seconds(seconds)
}

#[derive(Debug, Clone)]
pub struct Worker {
    /// Names this worker's claims: unique per process and worker.
    pub owner: String,
    pub lease: TimeDelta,
    pub max_attempts: u32,
    pub batch_size: i64,
    /// When on, a run stops before its next message (the server is shutting down).
    pub stop: Shutdown,
}

impl Worker {
    pub fn new(settings: &Settings) -> Worker {
        let mut bytes = [0u8; 4];
        rand::rng().fill_bytes(&mut bytes);
        let tag: String = bytes.iter().map(|b| format!("{b:02x}")).collect();
        let host = hostname::get()
            .ok()
            .and_then(|h| h.into_string().ok())
            .unwrap_or_else(|| "host".into());
        Worker::with_owner(settings, format!("{host}:{}:{tag}", std::process::id()))
    }

    pub fn with_owner(settings: &Settings, owner: impl Into<String>) -> Worker {
        Worker {
            owner: owner.into(),
            lease: TimeDelta::seconds(settings.mail.lease_seconds as i64),
            max_attempts: settings.mail.max_attempts,
            batch_size: settings.mail.batch_size as i64,
            stop: Shutdown::default(),
        }
    }

    /// This worker, stopping between messages once `stop` is on.
    pub fn stopping_on(self, stop: Shutdown) -> Worker {
        Worker { stop, ..self }
    }

    /// Hands back the messages this worker claimed and did not settle (see
    /// [`table::release_claims`]).
    pub fn release_claims(&self, conn: &mut DbConnection) -> diesel::QueryResult<usize> {
        table::release_claims(conn, &self.owner)
    }

    /// Claims up to one batch of due messages for this worker.
    pub fn claim(
        &self,
        conn: &mut DbConnection,
        now: NaiveDateTime,
    ) -> diesel::QueryResult<Vec<OutboxRow>> {
        table::claim(conn, &self.owner, now, now + self.lease, self.batch_size)
    }

    /// Delivers everything due at `now`, batch by batch, until nothing is left to claim, or
    /// until `stop` is on: then the rest of the batch stays claimed for
    /// [`Worker::release_claims`].
    pub fn run_once(
        &self,
        pool: &DbPool,
        mailer: &Mailer,
        now: NaiveDateTime,
    ) -> anyhow::Result<Summary> {
        let mut conn = pool.get()?;
        let mut summary = Summary::default();
        // A batch of slow sends must renew each lease from when that message is sent, not
        // from when the run began: the real time spent so far is added to the lease.
        let started = std::time::Instant::now();
        loop {
            if self.stop.is_stopping() {
                return Ok(summary);
            }
            let batch = self.claim(&mut conn, now)?;
            if batch.is_empty() {
                return Ok(summary);
            }
            summary.claimed += batch.len();
            for row in &batch {
                if self.stop.is_stopping() {
                    return Ok(summary);
                }
                let spent = TimeDelta::from_std(started.elapsed()).unwrap_or(self.lease);
                self.send_and_settle(&mut conn, mailer, row, now, spent, &mut summary)?;
            }
        }
    }

    /// Sends one claimed message and settles it. The lease is renewed to a full
    /// `mail.lease_seconds` just before sending, and configuration refuses a lease that is
    /// not longer than the longest an SMTP send can take (every step bounded by
    /// `mail.smtp_timeout_seconds`), so no other worker can take a message over while it is
    /// being sent. What remains is at-least-once: if the process dies after the SMTP
    /// server accepted the message and before `mark_sent` commits, the message is sent
    /// again after the lease, with the same Message-ID. A send whose settling finds the
    /// claim gone is logged.
    pub fn deliver(
        &self,
        conn: &mut DbConnection,
        mailer: &Mailer,
        row: &OutboxRow,
        now: NaiveDateTime,
        summary: &mut Summary,
    ) -> anyhow::Result<()> {
        self.send_and_settle(conn, mailer, row, now, TimeDelta::zero(), summary)
    }

    /// [`Worker::deliver`], `spent` into a run that began at `now`.
    fn send_and_settle(
        &self,
        conn: &mut DbConnection,
        mailer: &Mailer,
        row: &OutboxRow,
        now: NaiveDateTime,
        spent: TimeDelta,
        summary: &mut Summary,
    ) -> anyhow::Result<()> {
        if table::renew_lease(conn, row.id, &self.owner, now + spent + self.lease)? == 0 {
            summary.lost += 1;
            return Ok(());
        }
        let outcome = message::build(&mailer.from, row)
            .map_err(|e| (e.0, true))
            .and_then(|email| mailer.send(&email).map_err(|e| (e.message, e.permanent)));
        match outcome {
            Ok(()) => {
                if table::mark_sent(conn, row.id, &self.owner, now)? == 1 {
                    summary.sent += 1;
                } else {
                    tracing::warn!(
                        "outbox message {} was sent but its claim had been taken over",
                        row.id
                    );
                    summary.lost += 1;
                }
            }
            Err((error, permanent)) => {
                let attempts = row.attempts as u32 + 1;
                let after = if permanent || attempts >= self.max_attempts {
                    AfterFailure::GiveUp
                } else {
                    AfterFailure::RetryAt(now + backoff(attempts))
                };
                tracing::warn!(
                    "outbox message {} to {}: attempt {attempts} failed: {error}",
                    row.id,
                    row.recipient
                );
                if table::mark_attempt_failed(conn, row.id, &self.owner, &error, after)? == 1 {
                    match after {
                        AfterFailure::GiveUp => summary.failed += 1,
                        AfterFailure::RetryAt(_) => summary.retrying += 1,
                    }
                } else {
                    summary.lost += 1;
                }
            }
        }
        Ok(())
    }
}

/// What the background worker and `redress outbox run-once` do each round: queue the
/// scheduled notifications that are due, then deliver.
pub fn round(
    pool: &DbPool,
    settings: &Settings,
    calendar: &Calendar,
    updates_owed: &dyn notify::UpdatesOwed,
    worker: &Worker,
    mailer: &Mailer,
    now: NaiveDateTime,
) -> anyhow::Result<(notify::Scheduled, Summary)> {
    let scheduled = {
        let mut conn = pool.get()?;
        notify::queue_scheduled(&mut conn, settings, calendar, updates_owed, now)?
    };
    let summary = worker.run_once(pool, mailer, now)?;
    Ok((scheduled, summary))
}

/// The server's background worker: a round every `mail.poll_seconds` until `stop` is on.
/// Then it finishes the message it is sending, hands back the ones it claimed and did not
/// send (so another instance sends them at once), and returns. Database work runs on the
/// blocking pool.
pub async fn run_in_background(
    pool: DbPool,
    settings: Arc<Settings>,
    calendar: Arc<Calendar>,
    updates_owed: Arc<dyn notify::UpdatesOwed>,
    mailer: Mailer,
    stop: Shutdown,
) {
    let worker = Arc::new(Worker::new(&settings).stopping_on(stop.clone()));
    let every = StdDuration::from_secs(settings.mail.poll_seconds.max(1));
    let mailer = Arc::new(mailer);
    loop {
        let sleep = std::pin::pin!(actix_web::rt::time::sleep(every));
        let stopping = std::pin::pin!(stop.wait());
        futures_util::future::select(sleep, stopping).await;
        if stop.is_stopping() {
            break;
        }
        let (pool, settings, calendar, updates_owed, worker, mailer) = (
            pool.clone(),
            settings.clone(),
            calendar.clone(),
            updates_owed.clone(),
            worker.clone(),
            mailer.clone(),
        );
        let result = actix_web::web::block(move || {
            round(
                &pool,
                &settings,
                &calendar,
                updates_owed.as_ref(),
                &worker,
                &mailer,
                Utc::now().naive_utc(),
            )
        })
        .await;
        match result {
            Ok(Ok((_, summary))) if summary.claimed > 0 => tracing::info!("outbox: {summary:?}"),
            Ok(Ok(_)) => {}
            Ok(Err(e)) => tracing::error!("outbox round failed: {e:#}"),
            Err(e) => tracing::error!("outbox round did not finish: {e}"),
        }
    }
    let released = actix_web::web::block(move || {
        let mut conn = pool.get()?;
        anyhow::Ok(worker.release_claims(&mut conn)?)
    })
    .await;
    match released {
        Ok(Ok(0)) => {}
        Ok(Ok(n)) => tracing::info!("outbox: stopping; handed back {n} claimed messages"),
        Ok(Err(e)) => tracing::error!("outbox: stopping; could not hand back claims: {e:#}"),
        Err(e) => tracing::error!("outbox: stopping; could not hand back claims: {e}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backoff_doubles_from_thirty_seconds_and_caps_at_an_hour() {
        let seconds: Vec<i64> = (1..=10).map(|n| backoff(n).num_seconds()).collect();
        assert_eq!(
            seconds,
            [30, 60, 120, 240, 480, 960, 1920, 3600, 3600, 3600]
        );
        assert_eq!(backoff(u32::MAX).num_seconds(), 3600);
    }
}
