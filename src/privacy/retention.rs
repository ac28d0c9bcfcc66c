//! The retention run (issue 30): which closed cases are past their period today, which of
//! those are kept (legal hold, open Ombudsman contact) and why; the dry run lists them, the
//! run anonymises exactly the cases the dry run lists, one audit entry each.

use std::path::Path;

use chrono::{NaiveDate, NaiveDateTime, NaiveTime};
use diesel::QueryResult;
use serde::Serialize;

use super::anonymise::{self, Remover, Why, RETENTION_RUN};
use crate::db::privacy;
use crate::db::DbConnection;
use crate::domain::CaseId;
use crate::rules::retention::{verdict, ClosedCase, RetentionPolicy, Verdict};

/// One closed case past its retention period.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PastRetention {
    #[serde(skip)]
    pub id: CaseId,
    pub reference: String,
    pub closed_on: NaiveDate,
    /// The first day it was past its period.
    pub ended_on: NaiveDate,
    /// Why it is kept, in words; empty when it goes.
    #[serde(skip_serializing_if = "String::is_empty")]
    pub kept_because: String,
}

/// What a run removes and what it keeps.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Plan {
    pub anonymise: Vec<PastRetention>,
    pub kept: Vec<PastRetention>,
}

/// What a run on `today` would do.
pub fn plan(
    conn: &mut DbConnection,
    policy: &RetentionPolicy,
    today: NaiveDate,
) -> QueryResult<Plan> {
    let mut plan = Plan::default();
    for row in privacy::closed_not_anonymised(conn)? {
        let closed = ClosedCase {
            closed_on: row.closed_on,
            outcome: row.outcome.clone(),
            legal_hold: row.legal_hold,
            open_ombudsman_contact: row.open_ombudsman_contact,
        };
        let decided = verdict(policy, &closed, today);
        let past = PastRetention {
            id: row.id,
            reference: row.reference,
            closed_on: row.closed_on,
            ended_on: policy.ends_on(row.closed_on, row.outcome.as_deref()),
            kept_because: match decided {
                Verdict::Anonymise | Verdict::Keep => String::new(),
                other => other.label().to_string(),
            },
        };
        match decided {
            Verdict::Keep => {}
            Verdict::Anonymise => plan.anonymise.push(past),
            Verdict::Held | Verdict::WithOmbudsman => plan.kept.push(past),
        }
    }
    Ok(plan)
}

/// Anonymises every case the plan for `today` lists; gives that plan.
///
/// Under a lock, planning included: every instance sharing a database runs the daily run at
/// the same time, and two runs planning together would both anonymise the same cases (twice
/// the timeline lines and audit entries). The later run waits and plans nothing.
pub fn run(
    conn: &mut DbConnection,
    data_dir: &Path,
    policy: &RetentionPolicy,
    today: NaiveDate,
    now: NaiveDateTime,
) -> QueryResult<Plan> {
    crate::db::conn::with_session_lock(conn, "retention run", |conn| {
        run_unlocked(conn, data_dir, policy, today, now)
    })
}

fn run_unlocked(
    conn: &mut DbConnection,
    data_dir: &Path,
    policy: &RetentionPolicy,
    today: NaiveDate,
    now: NaiveDateTime,
) -> QueryResult<Plan> {
    let plan = plan(conn, policy, today)?;
    for case in &plan.anonymise {
        anonymise::anonymise(
            conn,
            data_dir,
            case.id,
            &case.reference,
            &Why::Retention {
                ended_on: case.ended_on,
            },
            &Remover {
                id: None,
                label: RETENTION_RUN,
                ip: None,
            },
            now,
        )?;
    }
    Ok(plan)
}

/// The server's daily run: sleeps until `at` (London time) each day, then runs.
pub async fn run_daily(
    pool: crate::db::DbPool,
    settings: std::sync::Arc<crate::config::Settings>,
    clock: crate::clock::Clock,
    at: NaiveTime,
) {
    let mut last_day: Option<NaiveDate> = None;
    loop {
        actix_web::rt::time::sleep(std::time::Duration::from_secs(60)).await;
        let now = clock.now_naive();
        let london = now.and_utc().with_timezone(&chrono_tz::Europe::London);
        let (today, london_time) = (london.date_naive(), london.time());
        if london_time < at || last_day == Some(today) {
            continue;
        }
        last_day = Some(today);
        let (pool, settings) = (pool.clone(), settings.clone());
        let result = actix_web::web::block(move || -> anyhow::Result<Plan> {
            let mut conn = pool.get()?;
            Ok(run(
                &mut conn,
                &settings.storage.data_dir,
                &settings.retention.policy(),
                today,
                now,
            )?)
        })
        .await;
        match result {
            Ok(Ok(plan)) => tracing::info!(
                "retention: {} cases anonymised, {} kept past their period",
                plan.anonymise.len(),
                plan.kept.len()
            ),
            Ok(Err(e)) => tracing::error!("retention run failed: {e:#}"),
            Err(e) => tracing::error!("retention run did not finish: {e}"),
        }
    }
}
