//! Reports pages (SPEC section 7): performance (HTML + CSV), Tenant Satisfaction Measures,
//! contractors, the learning register, the annual report and the Code self-assessment
//! evidence pack. Everyone with `ViewReports` (officers and directors) sees the whole
//! organisation's figures.

use actix_web::{web, HttpResponse};
use askama::Template;
use askama_web::WebTemplate;
use chrono::NaiveDate;
use serde::Deserialize;

use crate::auth::Permission;
use crate::error::{AppError, AppResult};
use crate::reports::evidence::{self, EvidencePack};
use crate::reports::learning::{self, LearningRegister};
use crate::reports::performance::{self, Dimension, PerformanceReport, Table};
use crate::reports::period::{year_label, Period};
use crate::reports::tsm::{self, Tsm, TsmError, CH01_DEFINITION, CH02_DEFINITION};
use crate::web::current_user::CurrentUser;
use crate::web::page::PageCtx;
use crate::web::state::AppState;

pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.route("/reports", web::get().to(index))
        .route("/reports/performance", web::get().to(performance_page))
        .route("/reports/performance.csv", web::get().to(performance_csv))
        .route("/reports/contractors", web::get().to(contractors_page))
        .route("/reports/tsm", web::get().to(tsm_page))
        .route("/reports/learning", web::get().to(learning_page))
        .route("/reports/annual", web::get().to(annual_page))
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

fn today() -> NaiveDate {
    crate::cases::london_today()
}

impl PeriodQuery {
    fn year(&self) -> Result<i32, AppError> {
        let year = self.year.trim();
        if year.is_empty() {
            return Ok(Period::year_of(today()));
        }
        year.parse::<i32>()
            .ok()
            .filter(|y| (2000..=2100).contains(y))
            .ok_or_else(|| {
                AppError::BadRequest(
                    "Enter the reporting year as the year it starts, for example 2025".into(),
                )
            })
    }

    fn period(&self) -> Result<Period, AppError> {
        let (from, to) = (self.from.trim(), self.to.trim());
        if from.is_empty() && to.is_empty() {
            return Period::reporting_year(self.year()?)
                .map_err(|e| AppError::BadRequest(e.to_string()));
        }
        let date = |s: &str, which: &str| {
            NaiveDate::parse_from_str(s, "%Y-%m-%d").map_err(|_| {
                AppError::BadRequest(format!(
                    "Enter the {which} date as year-month-day, for example 2025-04-01"
                ))
            })
        };
        Period::range(date(from, "start")?, date(to, "end")?)
            .map_err(|e| AppError::BadRequest(format!("The date range is not valid: {e}")))
    }

    fn query_string(&self, period: &Period) -> String {
        match period.year {
            Some(y) => format!("year={y}"),
            None => format!("from={}&to={}", period.from, period.to),
        }
    }
}

#[derive(Template, WebTemplate)]
#[template(path = "reports/index.html")]
pub struct IndexPage {
    pub ctx: PageCtx,
    pub year: i32,
    pub current_label: String,
    pub years: Vec<(i32, String)>,
}

pub async fn index(user: CurrentUser) -> AppResult<IndexPage> {
    user.require(Permission::ViewReports)?;
    let year = Period::year_of(today());
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
}

async fn build_performance(state: &AppState, query: &PeriodQuery) -> AppResult<PerformanceReport> {
    let period = query.period()?;
    state
        .db(move |conn| Ok(performance::build(conn, &period)?))
        .await
}

fn form_values(query: &PeriodQuery, period: &Period) -> (String, String, String) {
    match period.year {
        Some(y) => (y.to_string(), String::new(), String::new()),
        None => (
            query.year.clone(),
            period.from.to_string(),
            period.to.to_string(),
        ),
    }
}

pub async fn performance_page(
    user: CurrentUser,
    state: web::Data<AppState>,
    query: web::Query<PeriodQuery>,
) -> AppResult<PerformancePage> {
    user.require(Permission::ViewReports)?;
    let report = build_performance(&state, &query).await?;
    let (year, from, to) = form_values(&query, &report.period);
    Ok(PerformancePage {
        ctx: user.page().current("/reports"),
        heading: "Complaints performance",
        action: "/reports/performance",
        tables: report.tables.clone(),
        show_chart: true,
        show_paid: true,
        paid: crate::reports::pounds(report.compensation_paid_pence),
        csv_href: format!(
            "/reports/performance.csv?{}",
            query.query_string(&report.period)
        ),
        report,
        year,
        from,
        to,
    })
}

pub async fn contractors_page(
    user: CurrentUser,
    state: web::Data<AppState>,
    query: web::Query<PeriodQuery>,
) -> AppResult<PerformancePage> {
    user.require(Permission::ViewReports)?;
    let report = build_performance(&state, &query).await?;
    let (year, from, to) = form_values(&query, &report.period);
    Ok(PerformancePage {
        ctx: user.page().current("/reports"),
        heading: "Complaints about contractors",
        action: "/reports/contractors",
        tables: report
            .table(Dimension::Contractor)
            .cloned()
            .into_iter()
            .collect(),
        show_chart: false,
        show_paid: false,
        paid: String::new(),
        csv_href: format!(
            "/reports/performance.csv?{}",
            query.query_string(&report.period)
        ),
        report,
        year,
        from,
        to,
    })
}

pub async fn performance_csv(
    user: CurrentUser,
    state: web::Data<AppState>,
    query: web::Query<PeriodQuery>,
) -> AppResult<HttpResponse> {
    user.require(Permission::ViewReports)?;
    let report = build_performance(&state, &query).await?;
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
    pub tsm: Result<Tsm, String>,
    pub ch01: &'static str,
    pub ch02: &'static str,
}

pub async fn tsm_page(
    user: CurrentUser,
    state: web::Data<AppState>,
    query: web::Query<PeriodQuery>,
) -> AppResult<TsmPage> {
    user.require(Permission::ViewReports)?;
    let year = query.year()?;
    let settings = state.settings.reports.clone();
    let tsm = state
        .db(move |conn| match tsm::measure(conn, &settings, year) {
            Ok(t) => Ok(Ok(t)),
            Err(e @ TsmError::MissingHomes { .. }) => Ok(Err(e.to_string())),
            Err(TsmError::Period(e)) => Err(AppError::BadRequest(e.to_string())),
            Err(TsmError::Database(e)) => Err(e.into()),
        })
        .await?;
    Ok(TsmPage {
        ctx: user.page().current("/reports"),
        year,
        label: year_label(year),
        tsm,
        ch01: CH01_DEFINITION,
        ch02: CH02_DEFINITION,
    })
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
}

pub async fn learning_page(
    user: CurrentUser,
    state: web::Data<AppState>,
    query: web::Query<PeriodQuery>,
) -> AppResult<LearningPage> {
    user.require(Permission::ViewReports)?;
    let period = query.period()?;
    let (year, from, to) = form_values(&query, &period);
    let learning = state
        .db(move |conn| Ok(learning::build(conn, &period, today())?))
        .await?;
    Ok(LearningPage {
        ctx: user.page().current("/reports"),
        learning,
        lesson_limit: LESSON_LIMIT,
        action_limit: ACTION_LIMIT,
        year,
        from,
        to,
    })
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
}

async fn evidence_for(
    user: &CurrentUser,
    state: &AppState,
    query: &PeriodQuery,
    annual: bool,
) -> AppResult<EvidencePage> {
    user.require(Permission::ViewReports)?;
    let year = query.year()?;
    let settings = state.settings.reports.clone();
    let pack = state
        .db(move |conn| {
            evidence::build(conn, &settings, year, today()).map_err(|e| match e {
                TsmError::Database(e) => e.into(),
                other => AppError::BadRequest(other.to_string()),
            })
        })
        .await?;
    let (heading, intro) = if annual {
        (
            "Annual complaints performance and service improvement report",
            "How we handled complaints this year, what we learned and what we changed, for the governing body and residents.",
        )
    } else {
        (
            "Complaint Handling Code self-assessment: evidence pack",
            "The figures and sample cases the Housing Ombudsman's annual self-assessment asks about: volumes, timescales met, extensions, escalations, remedies and learning.",
        )
    };
    Ok(EvidencePage {
        ctx: user.page().current("/reports"),
        heading,
        intro,
        learning: pack.learning.clone(),
        pack,
        today: today(),
        show_samples: !annual,
        show_months: annual,
        stage_dimension: Dimension::Stage,
        month_dimension: Dimension::Month,
        lesson_limit: if annual { 50 } else { LESSON_LIMIT },
        action_limit: ACTION_LIMIT,
    })
}

pub async fn evidence_page(
    user: CurrentUser,
    state: web::Data<AppState>,
    query: web::Query<PeriodQuery>,
) -> AppResult<EvidencePage> {
    evidence_for(&user, &state, &query, false).await
}

pub async fn annual_page(
    user: CurrentUser,
    state: web::Data<AppState>,
    query: web::Query<PeriodQuery>,
) -> AppResult<EvidencePage> {
    evidence_for(&user, &state, &query, true).await
}
