//! The governing body's pages (Code sections 8 and 9, issue 26): the Code self-assessment,
//! answered per April–March year by the complaints officers and read by directors and the
//! Member Responsible for Complaints.

use actix_session::Session;
use actix_web::{http::StatusCode, web, HttpResponse};
use askama::Template;
use askama_web::WebTemplate;

use crate::auth::Permission;
use crate::domain::date_input::DateField;
use crate::governance::analysis::Compared;
use crate::governance::annual::{self, AnnualReport, Change, Narrative, Refused, NARRATIVE_PARTS};
use crate::governance::checklist::{self, Requirement};
use crate::governance::pack::{self, Pack};
use crate::governance::self_assessment::{
    self, commentary_field, compliance_field, Answers, Compliance, SaveCommand,
};
use crate::reports::period::{Period, PeriodError};
use crate::reports::tsm::TsmError;
use crate::web::client_addr::ClientAddr;
use crate::web::current_user::CurrentUser;
use crate::web::error::{AppError, AppResult};
use crate::web::forms::{clean_pairs, render_with, FieldErrors, Form, Opt, Query};
use crate::web::page::PageCtx;
use crate::web::reports::PeriodQuery;
use crate::web::responses::see_other;
use crate::web::session;
use crate::web::state::AppState;

pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.route(
        "/reports/self-assessment",
        web::get().to(self_assessment_page),
    )
    .route(
        "/reports/self-assessment",
        web::post().to(self_assessment_save),
    )
    .route("/reports/annual", web::get().to(annual_page))
    .route("/reports/annual/download", web::get().to(annual_download))
    .route("/reports/annual/narrative", web::get().to(narrative_form))
    .route("/reports/annual/narrative", web::post().to(narrative_save))
    .route("/reports/annual/publish", web::post().to(annual_publish))
    .route("/reports/pack", web::get().to(pack_page));
}

const STALE: &str = "Someone else saved this year's self-assessment after you opened it. Nothing has been saved. Your answers are below: check them against the saved ones (open the page again in a new tab), then save again";

/// The checklist the landlord keeps in `[governance] checklist`.
fn load_checklist(state: &AppState) -> AppResult<Vec<Requirement>> {
    checklist::load(&state.settings.governance.checklist)
        .map_err(|e| AppError::Internal(anyhow::anyhow!(e)))
}

/// One requirement as the page shows it.
pub struct Row {
    pub paragraph: String,
    /// The section heading, on the first requirement of each section.
    pub section: Option<String>,
    pub text: String,
    pub compliance_field: String,
    pub commentary_field: String,
    /// `yes`, `partly`, `no` or empty.
    pub compliance: String,
    pub compliance_label: &'static str,
    pub commentary: String,
    pub evidence: Vec<String>,
}

#[derive(Template, WebTemplate)]
#[template(path = "reports/self_assessment.html")]
pub struct SelfAssessmentPage {
    pub ctx: PageCtx,
    pub year: i32,
    pub label: String,
    pub typed_year: String,
    pub version: i32,
    pub rows: Vec<Row>,
    pub options: Vec<Opt>,
    pub editable: bool,
    /// Problems with the year asked for (GET) or with the answers (POST).
    pub errors: FieldErrors,
    /// Why the form is shown again after a stale save.
    pub stale: Option<&'static str>,
    /// `(yes, partly, no, not answered)`.
    pub counts: (usize, usize, usize, usize),
}

/// The page for `year`: the saved answers, or `typed` when a save is shown again.
async fn build_page(
    user: &CurrentUser,
    state: &AppState,
    year: i32,
    typed: Option<(Answers, Option<i32>)>,
) -> AppResult<SelfAssessmentPage> {
    let list = load_checklist(state)?;
    let period = Period::reporting_year(year).map_err(|e| AppError::BadRequest(e.to_string()))?;
    let label = period.label();
    let (assessed, version) = state
        .db(move |conn| {
            let (saved, version) = self_assessment::load(conn, year)?;
            let (answers, version) = match typed {
                // Shown again after bad input: the version they had; after a stale save:
                // the stored one, so saving again (having checked) goes through.
                Some((answers, seen)) => (answers, seen.unwrap_or(version)),
                None => (saved, version),
            };
            let (rows, _, _) = annual::assess(conn, &list, &answers, &period)?;
            Ok((rows, version))
        })
        .await?;
    let mut last_section = String::new();
    let rows = assessed
        .into_iter()
        .map(|a| {
            let section = (a.requirement.section != last_section).then(|| {
                last_section = a.requirement.section.clone();
                last_section.clone()
            });
            Row {
                compliance_field: compliance_field(&a.requirement.paragraph),
                commentary_field: commentary_field(&a.requirement.paragraph),
                compliance: a
                    .answer
                    .compliance
                    .map(Compliance::key)
                    .unwrap_or("")
                    .to_string(),
                compliance_label: a.compliance_label(),
                commentary: a.answer.commentary.clone(),
                evidence: a.evidence.clone(),
                paragraph: a.requirement.paragraph,
                text: a.requirement.text,
                section,
            }
        })
        .collect::<Vec<_>>();
    let count = |key: &str| rows.iter().filter(|r| r.compliance == key).count();
    let counts = (count("yes"), count("partly"), count("no"), count(""));
    Ok(SelfAssessmentPage {
        ctx: user.page().current("/reports"),
        year,
        label,
        typed_year: year.to_string(),
        version,
        rows,
        options: Compliance::ALL
            .iter()
            .map(|c| Opt::new(c.key(), c.label()))
            .collect(),
        editable: user.require(Permission::ReportToGoverningBody).is_ok(),
        errors: FieldErrors::new(),
        stale: None,
        counts,
    })
}

pub async fn self_assessment_page(
    user: CurrentUser,
    session: Session,
    state: web::Data<AppState>,
    query: Query<PeriodQuery>,
) -> AppResult<HttpResponse> {
    user.require(Permission::ViewReports)?;
    let (year, errors) = query.year_or_default(state.clock.today());
    let mut page = build_page(&user, &state, year, None).await?;
    page.ctx = page.ctx.with_flash(&session);
    if !errors.is_empty() {
        page.typed_year = query.year.clone();
        page.errors = errors;
    }
    crate::web::reports::respond(&page, &page.errors)
}

pub async fn self_assessment_save(
    user: CurrentUser,
    session: Session,
    client: ClientAddr,
    state: web::Data<AppState>,
    body: web::Bytes,
) -> AppResult<HttpResponse> {
    user.require(Permission::ReportToGoverningBody)?;
    let pairs = clean_pairs(&body);
    let field = |name: &str| {
        pairs
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.trim().to_string())
            .unwrap_or_default()
    };
    let year = match field("year").parse::<i32>() {
        Ok(y) if Period::reporting_year(y).is_ok() => y,
        _ => return Err(AppError::BadRequest("The reporting year is missing".into())),
    };
    let seen = field("version").parse::<i32>().unwrap_or(-1);
    if seen < 0 {
        return Err(AppError::BadRequest("The form's version is missing".into()));
    }
    let list = load_checklist(&state)?;
    let (answers, errors) = self_assessment::parse_form(&list, &pairs);
    if !errors.is_empty() {
        let mut page = build_page(&user, &state, year, Some((answers, Some(seen)))).await?;
        page.errors = errors;
        return render_with(StatusCode::BAD_REQUEST, &page);
    }
    let cmd = SaveCommand {
        year,
        seen,
        answers: answers.clone(),
        actor: user.id,
        actor_label: user.audit_label(),
        ip: Some(client.0.clone()),
        at: state.clock.now().naive_utc(),
    };
    let saved = state
        .db(move |conn| Ok(self_assessment::save(conn, cmd)?))
        .await?;
    match saved {
        Ok(_) => {
            session::set_flash(&session, "Self-assessment saved");
            Ok(see_other(&format!("/reports/self-assessment?year={year}")))
        }
        Err(_) => {
            let mut page = build_page(&user, &state, year, Some((answers, None))).await?;
            page.stale = Some(STALE);
            render_with(StatusCode::CONFLICT, &page)
        }
    }
}

/// The report itself, without the page around it: what publishing stores.
#[derive(Template)]
#[template(path = "reports/annual_body.html")]
pub struct AnnualBody<'a> {
    pub report: &'a AnnualReport,
}

#[derive(Template, WebTemplate)]
#[template(path = "reports/annual.html")]
pub struct AnnualPage {
    pub ctx: PageCtx,
    pub year: i32,
    pub label: String,
    pub typed_year: String,
    pub errors: FieldErrors,
    /// The report's HTML: rendered now, or as published.
    pub body: String,
    /// "Published on 30 April 2026 by Emma Carter".
    pub published: Option<String>,
    /// An officer, and the report not yet published.
    pub editable: bool,
    pub version: i32,
}

/// A standalone copy of the report to save or send: one HTML file.
#[derive(Template)]
#[template(path = "reports/annual_download.html")]
pub struct AnnualDownload<'a> {
    pub label: &'a str,
    pub body: &'a str,
    pub published: &'a Option<String>,
}

impl AnnualBody<'_> {
    /// Part 2's tables: caption, id, rows.
    pub fn tables(&self) -> Vec<(&'static str, &'static str, &[Compared])> {
        let a = &self.report.analysis;
        vec![
            ("Volumes", "volumes", &a.volumes),
            ("Timeliness and extensions", "timeliness", &a.timeliness),
            ("Outcomes of responses sent", "outcomes", &a.outcomes),
            ("Complaints refused, by reason", "refusals", &a.refusals),
            ("Complaints by category", "categories", &a.categories),
            ("Complaints by service area", "areas", &a.areas),
        ]
    }
}

fn render_body(report: &AnnualReport) -> Result<String, askama::Error> {
    AnnualBody { report }.render()
}

/// The year's report page content: the body (live or as published) and what is said about it.
async fn annual_content(
    state: &AppState,
    year: i32,
) -> AppResult<(String, Option<String>, i32, String)> {
    let list = load_checklist(state)?;
    let label = Period::reporting_year(year)
        .map_err(|e| AppError::BadRequest(e.to_string()))?
        .label();
    let (body, published, version) = state
        .db(move |conn| {
            let stored = annual::stored(conn, year)?;
            Ok(match stored.published {
                Some(p) => (
                    p.snapshot,
                    Some(format!(
                        "Published on {} by {}",
                        crate::clock::london_date_of(p.at).format("%-d %B %Y"),
                        p.by
                    )),
                    stored.version,
                ),
                None => {
                    let report = annual::current(conn, &list, year, stored.narrative)?;
                    let body =
                        render_body(&report).map_err(|e| AppError::Internal(anyhow::anyhow!(e)))?;
                    (body, None, stored.version)
                }
            })
        })
        .await?;
    Ok((body, published, version, label))
}

pub async fn annual_page(
    user: CurrentUser,
    session: Session,
    state: web::Data<AppState>,
    query: Query<PeriodQuery>,
) -> AppResult<HttpResponse> {
    user.require(Permission::ViewReports)?;
    let (year, errors) = query.year_or_default(state.clock.today());
    let (body, published, version, label) = annual_content(&state, year).await?;
    let page = AnnualPage {
        ctx: user.page().current("/reports").with_flash(&session),
        year,
        label,
        typed_year: if errors.is_empty() {
            year.to_string()
        } else {
            query.year.clone()
        },
        errors,
        body,
        editable: published.is_none() && user.require(Permission::ReportToGoverningBody).is_ok(),
        published,
        version,
    };
    crate::web::reports::respond(&page, &page.errors)
}

pub async fn annual_download(
    user: CurrentUser,
    state: web::Data<AppState>,
    query: Query<PeriodQuery>,
) -> AppResult<HttpResponse> {
    user.require(Permission::ViewReports)?;
    let year = query
        .year
        .trim()
        .parse::<i32>()
        .ok()
        .filter(|y| Period::reporting_year(*y).is_ok())
        .ok_or(AppError::NotFound)?;
    let (body, published, _, label) = annual_content(&state, year).await?;
    let html = AnnualDownload {
        label: &label,
        body: &body,
        published: &published,
    }
    .render()?;
    Ok(HttpResponse::Ok()
        .content_type("text/html; charset=utf-8")
        .insert_header((
            "Content-Disposition",
            format!("attachment; filename=\"annual-complaints-report-{label}.html\""),
        ))
        .body(html))
}

/// One part of the narrative form.
pub struct Part {
    pub name: &'static str,
    pub label: &'static str,
    pub hint: &'static str,
    pub value: String,
}

#[derive(Template, WebTemplate)]
#[template(path = "reports/annual_narrative.html")]
pub struct NarrativePage {
    pub ctx: PageCtx,
    pub year: i32,
    pub label: String,
    pub version: i32,
    pub parts: Vec<Part>,
    pub errors: FieldErrors,
    pub stale: Option<&'static str>,
}

fn narrative_page(
    user: &CurrentUser,
    year: i32,
    version: i32,
    narrative: &Narrative,
) -> AppResult<NarrativePage> {
    let label = Period::reporting_year(year)
        .map_err(|e| AppError::BadRequest(e.to_string()))?
        .label();
    Ok(NarrativePage {
        ctx: user.page().current("/reports"),
        year,
        label,
        version,
        parts: NARRATIVE_PARTS
            .iter()
            .map(|(name, label, hint)| Part {
                name,
                label,
                hint,
                value: narrative.part(name).to_string(),
            })
            .collect(),
        errors: FieldErrors::new(),
        stale: None,
    })
}

const PUBLISHED: &str =
    "The annual report for this year is published, so it can no longer be changed";
const REPORT_CHANGED: &str = "Someone else saved this year's report after you opened it. Nothing has been saved. Your text is below: check it against the saved report (open it again in a new tab), then save again";

#[derive(Debug, Default, serde::Deserialize)]
#[serde(default)]
pub struct YearQuery {
    pub year: String,
}

fn year_from(raw: &str) -> AppResult<i32> {
    raw.trim()
        .parse::<i32>()
        .ok()
        .filter(|y| Period::reporting_year(*y).is_ok())
        .ok_or_else(|| AppError::BadRequest("The reporting year is missing".into()))
}

pub async fn narrative_form(
    user: CurrentUser,
    state: web::Data<AppState>,
    query: Query<YearQuery>,
) -> AppResult<HttpResponse> {
    user.require(Permission::ReportToGoverningBody)?;
    let year = year_from(&query.year)?;
    let stored = state
        .db(move |conn| Ok(annual::stored(conn, year)?))
        .await?;
    if stored.published.is_some() {
        return Err(AppError::NotNow(PUBLISHED.into()));
    }
    let page = narrative_page(&user, year, stored.version, &stored.narrative)?;
    render_with(StatusCode::OK, &page)
}

#[derive(Debug, Default, serde::Deserialize)]
#[serde(default)]
pub struct NarrativeForm {
    pub year: String,
    pub version: String,
    #[serde(flatten)]
    pub narrative: Narrative,
}

fn change(
    user: &CurrentUser,
    client: &ClientAddr,
    state: &AppState,
    year: i32,
    version: &str,
) -> AppResult<Change> {
    let seen = version
        .trim()
        .parse::<i32>()
        .ok()
        .filter(|v| *v >= 0)
        .ok_or_else(|| AppError::BadRequest("The form's version is missing".into()))?;
    Ok(Change {
        year,
        seen,
        actor: user.id,
        actor_label: user.audit_label(),
        ip: Some(client.0.clone()),
        at: state.clock.now().naive_utc(),
    })
}

pub async fn narrative_save(
    user: CurrentUser,
    session: Session,
    client: ClientAddr,
    state: web::Data<AppState>,
    Form(form): Form<NarrativeForm>,
) -> AppResult<HttpResponse> {
    user.require(Permission::ReportToGoverningBody)?;
    let year = year_from(&form.year)?;
    let change = change(&user, &client, &state, year, &form.version)?;
    let (narrative, errors) = form.narrative.checked();
    if !errors.is_empty() {
        let mut page = narrative_page(&user, year, change.seen, &narrative)?;
        page.errors = errors;
        return render_with(StatusCode::BAD_REQUEST, &page);
    }
    let typed = narrative.clone();
    let saved = state
        .db(move |conn| {
            let saved = annual::save_narrative(conn, &change, &narrative)?;
            let version = annual::stored(conn, year)?.version;
            Ok((saved, version))
        })
        .await?;
    match saved {
        (Ok(_), _) => {
            session::set_flash(&session, "Annual report saved");
            Ok(see_other(&format!("/reports/annual?year={year}")))
        }
        (Err(Refused::Published), _) => Err(AppError::NotNow(PUBLISHED.into())),
        (Err(Refused::Stale), version) => {
            let mut page = narrative_page(&user, year, version, &typed)?;
            page.stale = Some(REPORT_CHANGED);
            render_with(StatusCode::CONFLICT, &page)
        }
    }
}

#[derive(Debug, Default, serde::Deserialize)]
#[serde(default)]
pub struct PublishForm {
    pub year: String,
    pub version: String,
}

pub async fn annual_publish(
    user: CurrentUser,
    session: Session,
    client: ClientAddr,
    state: web::Data<AppState>,
    Form(form): Form<PublishForm>,
) -> AppResult<HttpResponse> {
    user.require(Permission::ReportToGoverningBody)?;
    let year = year_from(&form.year)?;
    let change = change(&user, &client, &state, year, &form.version)?;
    let list = load_checklist(&state)?;
    let published = state
        .db(move |conn| {
            annual::publish(conn, &list, &change, render_body).map_err(|e| match e {
                annual::PublishError::Database(e) => AppError::from(e),
                annual::PublishError::Render(e) => AppError::Internal(anyhow::anyhow!(e)),
            })
        })
        .await?;
    match published {
        Ok(_) => {
            session::set_flash(&session, "Annual report published: its figures and text are now fixed");
            Ok(see_other(&format!("/reports/annual?year={year}")))
        }
        Err(Refused::Published) => Err(AppError::NotNow(PUBLISHED.into())),
        Err(Refused::Stale) => Err(AppError::Conflict(
            "Someone saved this year's report after you opened it, so it was not published. Open the report again, check it, then publish".into(),
        )),
    }
}

/// `?from_day=1&from_month=7&from_year=2026&to_day=30…`: the period as two GOV.UK date inputs.
#[derive(Debug, Default, serde::Deserialize)]
#[serde(default)]
pub struct PackQuery {
    pub from_day: String,
    pub from_month: String,
    pub from_year: String,
    pub to_day: String,
    pub to_month: String,
    pub to_year: String,
}

const PACK_FROM: DateField = DateField {
    id: "from",
    label: "Start date",
    missing: "Enter the start date",
};
const PACK_TO: DateField = DateField {
    id: "to",
    label: "End date",
    missing: "Enter the end date",
};

impl PackQuery {
    fn is_empty(&self) -> bool {
        [
            &self.from_day,
            &self.from_month,
            &self.from_year,
            &self.to_day,
            &self.to_month,
            &self.to_year,
        ]
        .iter()
        .all(|v| v.trim().is_empty())
    }

    /// The period asked for (last quarter if none), or the problems beside their fields.
    fn period(&self, today: chrono::NaiveDate) -> Result<Period, FieldErrors> {
        if self.is_empty() {
            return Ok(pack::last_quarter(today));
        }
        let mut errors = FieldErrors::new();
        let from = errors
            .take(PACK_FROM.parse(&self.from_day, &self.from_month, &self.from_year, true))
            .flatten();
        let to = errors
            .take(PACK_TO.parse(&self.to_day, &self.to_month, &self.to_year, true))
            .flatten();
        let (Some(from), Some(to)) = (from, to) else {
            return Err(errors);
        };
        Period::range(from, to).map_err(|e| {
            let message = match e {
                PeriodError::EndBeforeStart => {
                    "End date must be the same as or after the start date"
                }
                _ => "The period must be 5 years or shorter",
            };
            errors.add("to-day", message);
            errors
        })
    }

    fn of(period: &Period) -> PackQuery {
        let parts = |d: chrono::NaiveDate| {
            use chrono::Datelike;
            (
                d.day().to_string(),
                d.month().to_string(),
                d.year().to_string(),
            )
        };
        let (from_day, from_month, from_year) = parts(period.from);
        let (to_day, to_month, to_year) = parts(period.to);
        PackQuery {
            from_day,
            from_month,
            from_year,
            to_day,
            to_month,
            to_year,
        }
    }

    fn href(&self) -> String {
        format!(
            "/reports/pack?from_day={}&from_month={}&from_year={}&to_day={}&to_month={}&to_year={}",
            self.from_day,
            self.from_month,
            self.from_year,
            self.to_day,
            self.to_month,
            self.to_year
        )
    }
}

#[derive(Template, WebTemplate)]
#[template(path = "reports/pack.html")]
pub struct PackPage {
    pub ctx: PageCtx,
    pub pack: Pack,
    pub label: String,
    pub previous_label: String,
    /// The date boxes: as typed when wrong, else the period shown.
    pub typed: PackQuery,
    pub errors: FieldErrors,
    /// `(words, link)` for the quick choices of period.
    pub quick: Vec<(String, String)>,
    pub today: chrono::NaiveDate,
    pub formula: &'static str,
}

impl PackPage {
    /// The comparison tables: caption, id, rows.
    pub fn tables(&self) -> Vec<(&'static str, &'static str, &[Compared])> {
        let a = &self.pack.analysis;
        vec![
            ("Volumes by stage", "volumes", &a.volumes),
            ("Timeliness and extensions", "timeliness", &a.timeliness),
            ("Outcomes of responses sent", "outcomes", &a.outcomes),
            ("Complaints refused, by reason", "refusals", &a.refusals),
        ]
    }

    pub fn themes(&self) -> Vec<(&'static str, &'static str, &[Compared])> {
        let a = &self.pack.analysis;
        vec![
            ("Complaints by category", "categories", &a.categories),
            ("Complaints by service area", "areas", &a.areas),
        ]
    }
}

pub async fn pack_page(
    user: CurrentUser,
    state: web::Data<AppState>,
    query: Query<PackQuery>,
) -> AppResult<HttpResponse> {
    user.require(Permission::ViewReports)?;
    let today = state.clock.today();
    let (period, errors) = match query.period(today) {
        Ok(period) => (period, FieldErrors::new()),
        Err(errors) => (pack::last_quarter(today), errors),
    };
    let settings = state.settings.reports.clone();
    let asked = period.clone();
    let pack = state
        .db(move |conn| {
            pack::build(conn, &settings, &asked, today).map_err(|e| match e {
                TsmError::Period(e) => AppError::BadRequest(e.to_string()),
                TsmError::Database(e) => e.into(),
            })
        })
        .await?;
    let quick = [
        ("Last quarter", pack::last_quarter(today)),
        ("This quarter", pack::this_quarter(today)),
        ("This reporting year", Period::containing(today)),
    ]
    .into_iter()
    .map(|(words, p)| (format!("{words}: {}", p.label()), PackQuery::of(&p).href()))
    .collect();
    let typed = if errors.is_empty() {
        PackQuery::of(&period)
    } else {
        query.0
    };
    let page = PackPage {
        ctx: user.page().current("/reports"),
        label: period.label(),
        previous_label: pack.analysis.previous.label(),
        pack,
        typed,
        errors,
        quick,
        today,
        formula: crate::ombudsman::figures::RATE_FORMULA,
    };
    crate::web::reports::respond(&page, &page.errors)
}
