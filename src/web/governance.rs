//! The governing body's pages (Code sections 8 and 9, issue 26): the Code self-assessment,
//! answered per April–March year by the complaints officers and read by directors and the
//! Member Responsible for Complaints.

use actix_session::Session;
use actix_web::{http::StatusCode, web, HttpRequest, HttpResponse};
use askama::Template;
use askama_web::WebTemplate;

use crate::attachments::store;
use crate::auth::Permission;
use crate::db::governance_documents as document_rows;
use crate::domain::date_input::DateField;
use crate::governance::analysis::Compared;
use crate::governance::annual::{self, AnnualReport, Change, Narrative, Refused, NARRATIVE_PARTS};
use crate::governance::checklist::{self, Requirement};
use crate::governance::documents::{self, Listed, Slot};
use crate::governance::pack::{self, Pack};
use crate::governance::self_assessment::{
    self, commentary_field, compliance_field, file_field, Answers, Compliance, SaveCommand,
};
use crate::reports::period::{Period, PeriodError};
use crate::reports::tsm::TsmError;
use crate::web::client_addr::ClientAddr;
use crate::web::current_user::CurrentUser;
use crate::web::error::{AppError, AppResult};
use crate::web::filters;
use crate::web::forms::{render_with, FieldErrors, Form, Opt, Query};
use crate::web::page::PageCtx;
use crate::web::reports::PeriodQuery;
use crate::web::responses::see_other;
use crate::web::session;
use crate::web::state::AppState;
use crate::web::uploads;

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
    .route("/reports/pack", web::get().to(pack_page))
    .route("/reports/documents/{id}", web::get().to(document_download));
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
    /// The file input for this requirement's evidence files: `file-6-3`.
    pub file_field: String,
    /// The files kept as evidence for the requirement.
    pub documents: Vec<Listed>,
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
    /// The year's annual report is published: its evidence files no longer change.
    pub published: bool,
    /// The largest file taken, in words ("20MB").
    pub max_upload: String,
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
    let (assessed, version, mut files, published) = state
        .db(move |conn| {
            let (saved, version) = self_assessment::load(conn, year)?;
            let (answers, version) = match typed {
                // Shown again after bad input: the version they had; after a stale save:
                // the stored one, so saving again (having checked) goes through.
                Some((answers, seen)) => (answers, seen.unwrap_or(version)),
                None => (saved, version),
            };
            let (rows, _, _) = annual::assess(conn, &list, &answers, &period)?;
            let files = documents::for_year(conn, year)?;
            let published = annual::stored(conn, year)?.published.is_some();
            Ok((rows, version, files, published))
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
                file_field: file_field(&a.requirement.paragraph),
                documents: take_files(
                    &mut files,
                    &Slot::Requirement(a.requirement.paragraph.clone()),
                ),
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
        published,
        max_upload: crate::attachments::human_size(state.settings.storage.max_upload_bytes),
    })
}

/// The files of `slot`, taken out of `files`.
fn take_files(files: &mut Vec<Listed>, slot: &Slot) -> Vec<Listed> {
    let (mine, rest) = std::mem::take(files)
        .into_iter()
        .partition(|f| f.slot == *slot);
    *files = rest;
    mine
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

/// The most text a self-assessment or narrative form brings besides its files.
const FORM_LIMITS: uploads::Limits = uploads::Limits {
    field: 128 * 1024,
    total: 1024 * 1024,
};

/// Evidence files ride in fields named `file-…`.
fn is_file_field(name: &str) -> bool {
    name.starts_with("file-")
}

/// Reads a form of the governance pages that may carry files, answers it with `handle`, and
/// removes the files kept when the post was not a success (a redirect).
async fn with_files<F, Fut>(
    state: &AppState,
    request: &HttpRequest,
    payload: web::Payload,
    handle: F,
) -> AppResult<HttpResponse>
where
    F: FnOnce(uploads::Posted) -> Fut,
    Fut: std::future::Future<Output = AppResult<HttpResponse>>,
{
    let data_dir = state.settings.storage.data_dir.clone();
    let limit = state.settings.storage.max_upload_bytes;
    let posted = uploads::read(
        request,
        payload,
        &data_dir,
        limit,
        FORM_LIMITS,
        is_file_field,
    )
    .await?;
    let kept = posted.kept();
    let response = handle(posted).await;
    if !matches!(&response, Ok(r) if r.status().is_redirection()) {
        uploads::discard(data_dir, kept).await;
    }
    response
}

/// The files a post adds and removes. `slot_of` tells a file field's slot and how messages
/// name it, `field_of` the file field an "Upload file" button names; a field or button
/// neither knows (or a remove button naming no file) is refused as a bad request. A file
/// refused, or "Upload file" pressed with none chosen, is said beside its field in `errors`.
fn file_changes(
    posted: uploads::Posted,
    slot_of: impl Fn(&str) -> Option<(Slot, String)>,
    field_of: impl Fn(&str) -> Option<String>,
    errors: &mut FieldErrors,
) -> AppResult<documents::Changes> {
    let unknown = || AppError::BadRequest("There is no such place for a file".into());
    let removed = posted
        .pairs
        .iter()
        .filter(|(n, _)| n == "remove")
        .map(|(_, v)| {
            v.trim()
                .parse::<i32>()
                .map_err(|_| AppError::BadRequest("The file to remove is not known".into()))
        })
        .collect::<AppResult<Vec<i32>>>()?;
    let mut changes = documents::Changes {
        removed,
        ..Default::default()
    };
    let button = posted.value("upload");
    if !button.is_empty() {
        let field = field_of(&button).ok_or_else(unknown)?;
        let (_, place) = slot_of(&field).ok_or_else(unknown)?;
        if !posted.files.iter().any(|(n, _)| *n == field) {
            errors.add(&field, format!("Select a file for {place}"));
        }
    }
    for (field, file) in posted.files {
        let (slot, place) = slot_of(&field).ok_or_else(unknown)?;
        match file {
            Ok(file) => changes.added.push((slot, file)),
            Err(message) => errors.add(&field, file_message(&message, &place)),
        }
    }
    Ok(changes)
}

/// A refused file's message, naming where it was meant to go: "The selected file for 6.3 is empty".
fn file_message(message: &str, place: &str) -> String {
    if let Some(rest) = message.strip_prefix("The selected file") {
        format!("The selected file for {place}{rest}")
    } else if message == "Select a file" {
        format!("Select a file for {place}")
    } else {
        message.to_string()
    }
}

fn published_message(label: &str) -> String {
    format!("The annual report for {label} is published, so its evidence files can no longer be added or removed")
}

const FILE_GONE: &str = "The file you removed had already been removed by someone else. Nothing has been saved. Your answers are below: check them, then save again";

pub async fn self_assessment_save(
    user: CurrentUser,
    session: Session,
    client: ClientAddr,
    state: web::Data<AppState>,
    request: HttpRequest,
    payload: web::Payload,
) -> AppResult<HttpResponse> {
    // Who may save is settled before a byte of a file is read.
    user.require(Permission::ReportToGoverningBody)?;
    with_files(&state, &request, payload, |posted| {
        save_self_assessment(&user, &session, &client, &state, posted)
    })
    .await
}

async fn save_self_assessment(
    user: &CurrentUser,
    session: &Session,
    client: &ClientAddr,
    state: &AppState,
    posted: uploads::Posted,
) -> AppResult<HttpResponse> {
    let year = year_from(&posted.value("year"))?;
    let seen = version_from(&posted.value("version"))?;
    let list = load_checklist(state)?;
    let (answers, mut errors) = self_assessment::parse_form(&list, &posted.pairs);
    let changes = file_changes(
        posted,
        |field| {
            self_assessment::requirement_of_file(&list, field)
                .map(|r| (Slot::Requirement(r.paragraph.clone()), r.paragraph.clone()))
        },
        |button| {
            list.iter()
                .find(|r| r.paragraph == button)
                .map(|r| file_field(&r.paragraph))
        },
        &mut errors,
    )?;
    if !errors.is_empty() {
        let mut page = build_page(user, state, year, Some((answers, Some(seen)))).await?;
        page.errors = errors;
        return render_with(StatusCode::BAD_REQUEST, &page);
    }
    let added: Vec<(String, String)> = changes
        .added
        .iter()
        .filter_map(|(slot, _)| slot.requirement().map(|p| (file_field(p), p.to_string())))
        .collect();
    let removing = changes.removed.clone();
    let cmd = SaveCommand {
        year,
        seen,
        answers: answers.clone(),
        documents: changes,
        actor: user.id,
        actor_label: user.audit_label(),
        ip: Some(client.0.clone()),
        at: state.clock.now().naive_utc(),
    };
    let saved = state
        .db(move |conn| Ok(self_assessment::save(conn, cmd)?))
        .await?;
    match saved {
        Ok(done) => {
            let mut said = Vec::new();
            if done.answers_saved {
                said.push("Self-assessment saved".to_string());
            }
            // Back beside the requirement whose files changed.
            let anchor = done
                .files
                .iter()
                .find_map(|(slot, _)| slot.requirement())
                .map(|p| format!("#requirement-{}", compliance_field(p)))
                .unwrap_or_default();
            said.extend(done.files.iter().map(|(_, words)| words.clone()));
            session::set_flash(session, &said.join(". "));
            Ok(see_other(&format!(
                "/reports/self-assessment?year={year}{anchor}"
            )))
        }
        Err(self_assessment::Refused::Stale) => {
            let mut page = build_page(user, state, year, Some((answers, None))).await?;
            page.stale = Some(STALE);
            render_with(StatusCode::CONFLICT, &page)
        }
        Err(self_assessment::Refused::Files(documents::Refused::Published)) => {
            let mut page = build_page(user, state, year, Some((answers, Some(seen)))).await?;
            let message = published_message(&page.label);
            let mut fields: Vec<String> = added.into_iter().map(|(f, _)| f).collect();
            fields.extend(
                page.rows
                    .iter()
                    .filter(|r| r.documents.iter().any(|d| removing.contains(&d.id)))
                    .map(|r| r.file_field.clone()),
            );
            if fields.is_empty() {
                return Err(AppError::NotNow(message));
            }
            for field in fields {
                page.errors.add(&field, message.clone());
            }
            render_with(StatusCode::BAD_REQUEST, &page)
        }
        Err(self_assessment::Refused::Files(documents::Refused::Gone)) => {
            let mut page = build_page(user, state, year, Some((answers, Some(seen)))).await?;
            page.stale = Some(FILE_GONE);
            render_with(StatusCode::CONFLICT, &page)
        }
    }
}

/// A file of the self-assessment or the annual report, as uploaded: for everyone who may
/// read the reports (the Member Responsible for Complaints included); each download audited.
pub async fn document_download(
    user: CurrentUser,
    client: ClientAddr,
    state: web::Data<AppState>,
    path: web::Path<i32>,
) -> AppResult<HttpResponse> {
    user.require(Permission::ViewReports)?;
    let id = path.into_inner();
    let data_dir = state.settings.storage.data_dir.clone();
    let at = state.clock.now().naive_utc();
    let (row, bytes) = state
        .db(move |conn| {
            let row = document_rows::find(conn, id)?
                .filter(|row| row.removed_at.is_none())
                .ok_or(AppError::NotFound)?;
            let bytes = store::read_verified(&data_dir, &row.storage_key, &row.sha256)
                .map_err(|e| AppError::Internal(e.into()))?;
            let label = user.audit_label();
            documents::record_download(
                conn,
                &row,
                &documents::By {
                    id: user.id,
                    label: &label,
                    ip: Some(&client.0),
                    at,
                },
            )?;
            Ok((row, bytes))
        })
        .await?;
    Ok(uploads::file_response(
        &row.file_name,
        &row.content_type,
        bytes,
    ))
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
    let year = year_from(&query.year).map_err(|_| AppError::NotFound)?;
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
    /// The part takes files (what others wrote: findings, letters, reports, the response).
    pub takes_files: bool,
    /// Its file input: `file-ombudsman_letter`.
    pub file_field: String,
    /// How messages name it: "part 5 (the Ombudsman's annual letter)".
    pub place: &'static str,
    pub documents: Vec<Listed>,
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
    /// The largest file taken, in words ("20MB").
    pub max_upload: String,
}

fn narrative_page(
    user: &CurrentUser,
    state: &AppState,
    year: i32,
    version: i32,
    narrative: &Narrative,
    mut files: Vec<Listed>,
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
                takes_files: Slot::report_part(name).is_some(),
                file_field: format!("file-{name}"),
                place: part_label(name),
                documents: Slot::report_part(name)
                    .map(|slot| take_files(&mut files, &slot))
                    .unwrap_or_default(),
            })
            .collect(),
        errors: FieldErrors::new(),
        stale: None,
        max_upload: crate::attachments::human_size(state.settings.storage.max_upload_bytes),
    })
}

/// The narrative form with the year's files.
async fn narrative_page_now(
    user: &CurrentUser,
    state: &AppState,
    year: i32,
    version: i32,
    narrative: &Narrative,
) -> AppResult<NarrativePage> {
    let files = state
        .db(move |conn| Ok(documents::for_year(conn, year)?))
        .await?;
    narrative_page(user, state, year, version, narrative, files)
}

const PUBLISHED: &str =
    "The annual report for this year is published, so it can no longer be changed";
const REPORT_CHANGED: &str = "Someone else saved this year's report after you opened it. Nothing has been saved. Your text is below: check it against the saved report (open it again in a new tab), then save again";

#[derive(Debug, Default, serde::Deserialize)]
#[serde(default)]
pub struct YearQuery {
    pub year: String,
}

/// The version a form was filled in on (0: nothing saved yet).
fn version_from(raw: &str) -> AppResult<i32> {
    raw.trim()
        .parse::<i32>()
        .ok()
        .filter(|v| *v >= 0)
        .ok_or_else(|| AppError::BadRequest("The form's version is missing".into()))
}

/// The reporting year a form or link names.
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
    let page = narrative_page_now(&user, &state, year, stored.version, &stored.narrative).await?;
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
    Ok(Change {
        year,
        seen: version_from(version)?,
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
    request: HttpRequest,
    payload: web::Payload,
) -> AppResult<HttpResponse> {
    // Who may save is settled before a byte of a file is read.
    user.require(Permission::ReportToGoverningBody)?;
    with_files(&state, &request, payload, |posted| {
        save_narrative(&user, &session, &client, &state, posted)
    })
    .await
}

async fn save_narrative(
    user: &CurrentUser,
    session: &Session,
    client: &ClientAddr,
    state: &AppState,
    posted: uploads::Posted,
) -> AppResult<HttpResponse> {
    let form: NarrativeForm = posted.parse()?;
    let year = year_from(&form.year)?;
    let change = change(user, client, state, year, &form.version)?;
    let (narrative, mut errors) = form.narrative.checked();
    let files = file_changes(
        posted,
        |field| {
            let slot = field.strip_prefix("file-").and_then(Slot::report_part)?;
            let place = part_label(slot.part()).to_string();
            Some((slot, place))
        },
        |button| Slot::report_part(button).map(|slot| format!("file-{}", slot.part())),
        &mut errors,
    )?;
    if !errors.is_empty() {
        let mut page = narrative_page_now(user, state, year, change.seen, &narrative).await?;
        page.errors = errors;
        return render_with(StatusCode::BAD_REQUEST, &page);
    }
    let typed = narrative.clone();
    let saved = state
        .db(move |conn| {
            let saved = annual::save_narrative(conn, &change, &narrative, &files)?;
            let version = annual::stored(conn, year)?.version;
            Ok((saved, version))
        })
        .await?;
    match saved {
        (Ok((_, done)), _) => {
            let mut said = vec!["Annual report saved".to_string()];
            said.extend(done.iter().map(|(_, words)| words.clone()));
            session::set_flash(session, &said.join(". "));
            match done.first() {
                // Back beside the part whose files changed, to add or remove another.
                Some((slot, _)) => Ok(see_other(&format!(
                    "/reports/annual/narrative?year={year}#file-{}-files",
                    slot.part()
                ))),
                None => Ok(see_other(&format!("/reports/annual?year={year}"))),
            }
        }
        (Err(Refused::Published), _) => Err(AppError::NotNow(PUBLISHED.into())),
        (Err(Refused::Gone), version) => {
            let mut page = narrative_page_now(user, state, year, version, &typed).await?;
            page.stale = Some(FILE_GONE_TEXT);
            render_with(StatusCode::CONFLICT, &page)
        }
        (Err(Refused::Stale), version) => {
            let mut page = narrative_page_now(user, state, year, version, &typed).await?;
            page.stale = Some(REPORT_CHANGED);
            render_with(StatusCode::CONFLICT, &page)
        }
    }
}

/// A part of the report that takes files, as a message names it.
fn part_label(part: &str) -> &'static str {
    match part {
        "ombudsman_findings" => "part 3 (findings of non-compliance)",
        "ombudsman_letter" => "part 5 (the Ombudsman's annual letter)",
        "other_reports" => "part 6 (other reports)",
        "response" => "part 7 (the governing body's response)",
        _ => "this part",
    }
}

const FILE_GONE_TEXT: &str = "The file you removed had already been removed by someone else. Nothing has been saved. Your text is below: check it, then save again";

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
        Err(Refused::Stale | Refused::Gone) => Err(AppError::Conflict(
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
