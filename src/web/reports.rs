//! Reports pages (SPEC section 7): performance (HTML + CSV), Tenant Satisfaction Measures,
//! contractors, the learning register and the Code self-assessment evidence pack (the
//! annual report and the self-assessment itself are `web::governance`). Everyone with `ViewReports` (officers and directors) sees the whole
//! organisation's figures.

use actix_web::{http::StatusCode, web, HttpResponse};
use askama::Template;
use askama_web::WebTemplate;
use chrono::NaiveDate;
use serde::Deserialize;

use crate::auth::Permission;
use crate::reports::evidence::{self, EvidencePack};
use crate::reports::learning::{self, LearningRegister};
use crate::reports::performance::{self, Dimension, PerformanceReport, Table};
use crate::reports::period::{year_label, Period, PeriodError};
use crate::reports::tsm::{self, Tsm, TsmError, CH01_DEFINITION, CH02_DEFINITION};
use crate::web::current_user::CurrentUser;
use crate::web::error::{AppError, AppResult};
use crate::web::filters;
use crate::web::forms::{FieldErrors, Query};
use crate::web::page::PageCtx;
use crate::web::state::AppState;
use crate::web::today::Today;

pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.route("/reports", web::get().to(index))
        .route("/reports/performance", web::get().to(performance_page))
        .route("/reports/performance.csv", web::get().to(performance_csv))
        .route("/reports/contractors", web::get().to(contractors_page))
        .route("/reports/tsm", web::get().to(tsm_page))
        .route("/reports/learning", web::get().to(learning_page))
        .route("/reports/evidence", web::get().to(evidence_page));
}

/// `?year=2025`, or `?from=2025-04-01&to=2025-06-30`; the current reporting year if neither.
#[derive(Debug, Default, Deserialize)]
pub struct PeriodQuery {
    #[serde(default)]
    pub year: String,
    #[serde(default)]
    pub from: String,
    #[serde(default)]
    pub to: String,
}

/// One problem, against the field (`year`, `from` or `to`) the user is to correct.
fn field_error(field: &str, message: impl Into<String>) -> FieldErrors {
    let mut errors = FieldErrors::new();
    errors.add(field, message);
    errors
}

impl PeriodQuery {
    /// The reporting year asked for (the current one if none), or what is wrong with it.
    fn year(&self, today: NaiveDate) -> Result<i32, FieldErrors> {
        let year = self.year.trim();
        if year.is_empty() {
            return Ok(Period::year_of(today));
        }
        match year.parse::<i32>() {
            Ok(y) if (2000..=2100).contains(&y) => Ok(y),
            Ok(_) => Err(field_error(
                "year",
                "Reporting year must be between 2000 and 2100",
            )),
            Err(_) => Err(field_error(
                "year",
                "Enter the reporting year as the year it starts, for example 2025",
            )),
        }
    }

    /// A date range when `from` or `to` is filled in, else the reporting year. Both dates are
    /// checked so that two bad dates are reported together.
    fn period(&self, today: NaiveDate) -> Result<Period, FieldErrors> {
        let (from, to) = (self.from.trim(), self.to.trim());
        if from.is_empty() && to.is_empty() {
            let year = self.year(today)?;
            return Period::reporting_year(year).map_err(|e| field_error("year", e.to_string()));
        }
        let date = |s: &str| NaiveDate::parse_from_str(s, "%Y-%m-%d").ok();
        let mut errors = FieldErrors::new();
        let (from, to) = (date(from), date(to));
        if from.is_none() {
            errors.add(
                "from",
                "Enter the start date as year-month-day, for example 2025-04-01",
            );
        }
        if to.is_none() {
            errors.add(
                "to",
                "Enter the end date as year-month-day, for example 2025-06-30",
            );
        }
        let (Some(from), Some(to)) = (from, to) else {
            return Err(errors);
        };
        Period::range(from, to).map_err(|e| match e {
            PeriodError::EndBeforeStart => field_error(
                "to",
                "The end date must be the same as or after the start date",
            ),
            PeriodError::TooLong => field_error("to", "The date range must be 5 years or shorter"),
            other => field_error("from", other.to_string()),
        })
    }

    /// The period asked for; if it cannot be used, the current reporting year with the
    /// errors to show beside the form.
    fn period_or_default(&self, today: NaiveDate) -> (Period, FieldErrors) {
        match self.period(today) {
            Ok(period) => (period, FieldErrors::new()),
            Err(errors) => (Period::containing(today), errors),
        }
    }

    pub(crate) fn year_or_default(&self, today: NaiveDate) -> (i32, FieldErrors) {
        match self.year(today) {
            Ok(year) => (year, FieldErrors::new()),
            Err(errors) => (Period::year_of(today), errors),
        }
    }

    fn query_string(&self, period: &Period) -> String {
        match period.year {
            Some(y) => format!("year={y}"),
            None => format!("from={}&to={}", period.from, period.to),
        }
    }
}

/// A report page; 400 when it is shown with the period's errors (and the default year's figures).
pub(crate) fn respond(page: &impl Template, errors: &FieldErrors) -> AppResult<HttpResponse> {
    let status = if errors.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::BAD_REQUEST
    };
    Ok(HttpResponse::build(status)
        .content_type("text/html; charset=utf-8")
        .body(page.render()?))
}

#[derive(Template, WebTemplate)]
#[template(path = "reports/index.html")]
pub struct IndexPage {
    pub ctx: PageCtx,
    pub year: i32,
    pub current_label: String,
    pub years: Vec<(i32, String)>,
}

pub async fn index(user: CurrentUser, Today(today): Today) -> AppResult<IndexPage> {
    user.require(Permission::ViewReports)?;
    let year = Period::year_of(today);
    Ok(IndexPage {
        ctx: user.page().current("/reports"),
        year,
        current_label: year_label(year),
        years: (1..=3).map(|b| (year - b, year_label(year - b))).collect(),
    })
}

#[derive(Template, WebTemplate)]
#[template(path = "reports/performance.html")]
pub struct PerformancePage {
    pub ctx: PageCtx,
    pub heading: &'static str,
    pub action: &'static str,
    pub report: PerformanceReport,
    pub tables: Vec<Table>,
    pub show_chart: bool,
    pub show_paid: bool,
    pub paid: String,
    pub csv_href: String,
    pub year: String,
    pub from: String,
    pub to: String,
    pub errors: FieldErrors,
}

async fn build_performance(
    state: &AppState,
    period: Period,
    dimensions: &'static [Dimension],
) -> AppResult<PerformanceReport> {
    state
        .db(move |conn| Ok(performance::build(conn, &period, dimensions)?))
        .await
}

/// What the period form shows: what was typed when it is wrong, else the period used.
fn form_values(
    query: &PeriodQuery,
    period: &Period,
    errors: &FieldErrors,
) -> (String, String, String) {
    if !errors.is_empty() {
        return (query.year.clone(), query.from.clone(), query.to.clone());
    }
    match period.year {
        Some(y) => (y.to_string(), String::new(), String::new()),
        None => (
            query.year.clone(),
            period.from.to_string(),
            period.to.to_string(),
        ),
    }
}

/// Which of the performance report's parts a page shows: the whole report, or only the
/// contractor breakdown (the contractor report is the same figures, one table of them).
#[derive(Clone, Copy, PartialEq, Eq)]
enum PerformanceView {
    Whole,
    Contractors,
}

pub async fn performance_page(
    user: CurrentUser,
    state: web::Data<AppState>,
    query: Query<PeriodQuery>,
) -> AppResult<HttpResponse> {
    performance_view(user, state, query, PerformanceView::Whole).await
}

pub async fn contractors_page(
    user: CurrentUser,
    state: web::Data<AppState>,
    query: Query<PeriodQuery>,
) -> AppResult<HttpResponse> {
    performance_view(user, state, query, PerformanceView::Contractors).await
}

async fn performance_view(
    user: CurrentUser,
    state: web::Data<AppState>,
    query: Query<PeriodQuery>,
    view: PerformanceView,
) -> AppResult<HttpResponse> {
    let clock = state.clock;
    user.require(Permission::ViewReports)?;
    let (period, errors) = query.period_or_default(clock.today());
    let whole = view == PerformanceView::Whole;
    let dimensions: &'static [Dimension] = if whole {
        &Dimension::ALL
    } else {
        &[Dimension::Contractor]
    };
    let report = build_performance(&state, period, dimensions).await?;
    let (year, from, to) = form_values(&query, &report.period, &errors);
    let (heading, action, tables) = if whole {
        (
            "Complaints performance",
            "/reports/performance",
            report.tables.clone(),
        )
    } else {
        (
            "Complaints about contractors",
            "/reports/contractors",
            report
                .table(Dimension::Contractor)
                .cloned()
                .into_iter()
                .collect(),
        )
    };
    let page = PerformancePage {
        ctx: user.page().current("/reports"),
        heading,
        action,
        tables,
        show_chart: whole,
        show_paid: whole,
        paid: if whole {
            crate::reports::pounds(report.compensation_paid_pence)
        } else {
            String::new()
        },
        csv_href: format!(
            "/reports/performance.csv?{}",
            query.query_string(&report.period)
        ),
        report,
        year,
        from,
        to,
        errors,
    };
    respond(&page, &page.errors)
}

pub async fn performance_csv(
    user: CurrentUser,
    state: web::Data<AppState>,
    query: Query<PeriodQuery>,
) -> AppResult<HttpResponse> {
    let clock = state.clock;
    user.require(Permission::ViewReports)?;
    // A download has no form to show errors beside: a plain 400 naming the problems.
    let period = query.period(clock.today()).map_err(|errors| {
        let messages: Vec<&str> = errors.list().iter().map(|e| e.message.as_str()).collect();
        AppError::BadRequest(messages.join(". "))
    })?;
    let report = build_performance(&state, period, &Dimension::ALL).await?;
    let body = report
        .to_csv()
        .map_err(|e| AppError::Internal(anyhow::anyhow!(e)))?;
    let name = match report.period.year {
        Some(y) => format!("complaints-performance-{}.csv", year_label(y)),
        None => format!(
            "complaints-performance-{}-to-{}.csv",
            report.period.from, report.period.to
        ),
    };
    Ok(HttpResponse::Ok()
        .content_type("text/csv; charset=utf-8")
        .insert_header((
            "Content-Disposition",
            format!("attachment; filename=\"{name}\""),
        ))
        .body(body))
}

#[derive(Template, WebTemplate)]
#[template(path = "reports/tsm.html")]
pub struct TsmPage {
    pub ctx: PageCtx,
    pub year: i32,
    pub label: String,
    pub tsm: Tsm,
    pub ch01: &'static str,
    pub ch02: &'static str,
    /// The year field as typed (the year shown when it was fine).
    pub typed_year: String,
    pub errors: FieldErrors,
}

pub async fn tsm_page(
    user: CurrentUser,
    state: web::Data<AppState>,
    query: Query<PeriodQuery>,
) -> AppResult<HttpResponse> {
    let clock = state.clock;
    user.require(Permission::ViewReports)?;
    let (year, errors) = query.year_or_default(clock.today());
    let settings = state.settings.reports.clone();
    let tsm = state
        .db(move |conn| match tsm::measure(conn, &settings, year) {
            Ok(t) => Ok(t),
            Err(TsmError::Period(e)) => Err(AppError::BadRequest(e.to_string())),
            Err(TsmError::Database(e)) => Err(e.into()),
        })
        .await?;
    let page = TsmPage {
        ctx: user.page().current("/reports"),
        year,
        label: year_label(year),
        tsm,
        ch01: CH01_DEFINITION,
        ch02: CH02_DEFINITION,
        typed_year: if errors.is_empty() {
            year.to_string()
        } else {
            query.year.clone()
        },
        errors,
    };
    respond(&page, &page.errors)
}

/// How many lessons and actions a page lists in full (the counts cover all of them).
const LESSON_LIMIT: usize = 200;
const ACTION_LIMIT: usize = 500;

#[derive(Template, WebTemplate)]
#[template(path = "reports/learning.html")]
pub struct LearningPage {
    pub ctx: PageCtx,
    pub learning: LearningRegister,
    pub lesson_limit: usize,
    pub action_limit: usize,
    pub year: String,
    pub from: String,
    pub to: String,
    pub errors: FieldErrors,
}

pub async fn learning_page(
    user: CurrentUser,
    state: web::Data<AppState>,
    query: Query<PeriodQuery>,
) -> AppResult<HttpResponse> {
    let clock = state.clock;
    user.require(Permission::ViewReports)?;
    let (period, errors) = query.period_or_default(clock.today());
    let (year, from, to) = form_values(&query, &period, &errors);
    let learning = state
        .db(move |conn| Ok(learning::build(conn, &period, clock.today())?))
        .await?;
    let page = LearningPage {
        ctx: user.page().current("/reports"),
        learning,
        lesson_limit: LESSON_LIMIT,
        action_limit: ACTION_LIMIT,
        year,
        from,
        to,
        errors,
    };
    respond(&page, &page.errors)
}

#[derive(Template, WebTemplate)]
#[template(path = "reports/evidence.html")]
pub struct EvidencePage {
    pub ctx: PageCtx,
    pub heading: &'static str,
    pub intro: &'static str,
    pub pack: EvidencePack,
    pub learning: LearningRegister,
    pub today: NaiveDate,
    pub show_samples: bool,
    pub show_months: bool,
    pub stage_dimension: Dimension,
    pub month_dimension: Dimension,
    pub lesson_limit: usize,
    pub action_limit: usize,
    pub action: &'static str,
    pub typed_year: String,
    pub errors: FieldErrors,
}

async fn evidence_for(
    user: &CurrentUser,
    state: &AppState,
    query: &PeriodQuery,
) -> AppResult<HttpResponse> {
    let clock = state.clock;
    user.require(Permission::ViewReports)?;
    let (year, errors) = query.year_or_default(clock.today());
    let settings = state.settings.reports.clone();
    let pack = state
        .db(move |conn| {
            evidence::build(conn, &settings, year, clock.today()).map_err(|e| match e {
                TsmError::Database(e) => e.into(),
                other => AppError::BadRequest(other.to_string()),
            })
        })
        .await?;
    let (heading, intro) = (
        "Complaint Handling Code self-assessment: evidence pack",
        "The figures and sample cases the Housing Ombudsman's annual self-assessment asks about: volumes, timescales met, extensions, escalations, remedies and learning.",
    );
    let page = EvidencePage {
        ctx: user.page().current("/reports"),
        heading,
        intro,
        learning: pack.learning.clone(),
        pack,
        today: clock.today(),
        show_samples: true,
        show_months: false,
        stage_dimension: Dimension::Stage,
        month_dimension: Dimension::Month,
        lesson_limit: LESSON_LIMIT,
        action_limit: ACTION_LIMIT,
        action: "/reports/evidence",
        typed_year: if errors.is_empty() {
            year.to_string()
        } else {
            query.year.clone()
        },
        errors,
    };
    respond(&page, &page.errors)
}

pub async fn evidence_page(
    user: CurrentUser,
    state: web::Data<AppState>,
    query: Query<PeriodQuery>,
) -> AppResult<HttpResponse> {
    evidence_for(&user, &state, &query).await
}
