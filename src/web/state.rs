//! What every handler can reach: the pool, the settings and the loaded rules.

use std::sync::Arc;

use crate::config::Settings;
use crate::db::DbPool;
use crate::rules::calendar::Calendar;
use crate::rules::policy::PolicySet;
use crate::web::error::AppError;

#[derive(Clone)]
pub struct AppState {
    pub pool: DbPool,
    pub settings: Arc<Settings>,
    pub calendar: Arc<Calendar>,
    pub policies: Arc<PolicySet>,
    /// Links to Redress for staff emails, worked out from the settings once.
    pub links: crate::mail::links::Links,
    /// The time every handler counts from.
    pub clock: crate::clock::Clock,
    /// The work lists' counts, kept until a case write changes them (issue 31).
    pub list_counts: Arc<crate::cases::list_counts::ListCounts>,
    /// The totals of filtered and searched lists, kept the same way (issue 31).
    pub filtered_totals: Arc<crate::cases::list_counts::FilteredTotals>,
    /// The work lists' filter choices, kept until one of them changes (issue 31).
    pub list_choices: Arc<crate::cases::list_choices::KeptChoices>,
    /// The dashboard's open cases by scope, kept by the case generation.
    pub open_cases: Arc<crate::reports::dashboard::KeptOpenCases>,
}

impl AppState {
    /// Runs database work off the async threads with a pooled connection.
    pub async fn db<T, F>(&self, work: F) -> Result<T, AppError>
    where
        F: FnOnce(&mut crate::db::DbConnection) -> Result<T, AppError> + Send + 'static,
        T: Send + 'static,
    {
        let pool = self.pool.clone();
        // The blocking thread does not inherit the request's span: carry it over, so the
        // database work's lines carry the request id.
        let request = tracing::Span::current();
        actix_web::web::block(move || {
            let _in_request = request.enter();
            let _database = tracing::debug_span!("database").entered();
            let mut conn = pool.get()?;
            work(&mut conn)
        })
        .await?
    }
}
