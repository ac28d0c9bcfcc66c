//! Data protection pages (issue 30): the legal hold form, the retention page (what the next
//! run removes and what it keeps, and why), and the case page's "Data protection" section.
//! Who may is `crate::privacy::access`; the writes are `crate::privacy::hold`.

use actix_session::Session;
use actix_web::{web, HttpResponse};
use askama::Template;
use askama_web::WebTemplate;
use chrono::NaiveDate;

use crate::db::cases::{self as case_rows, CaseRow};
use crate::domain::{CaseReference, Viewer};
use crate::privacy::access;
use crate::privacy::hold::{self, HoldError};
use crate::privacy::retention::{self, PastRetention};
use crate::web::client_addr::ClientAddr;
use crate::web::current_user::CurrentUser;
use crate::web::error::{AppError, AppResult};
use crate::web::forms::{render_invalid, FieldErrors, Form};
use crate::web::ombudsman::form::{Field, FormPage, Typed};
use crate::web::page::PageCtx;
use crate::web::responses::see_other;
use crate::web::session;
use crate::web::state::AppState;

pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.route("/retention", web::get().to(retention_page))
        .route(
            "/cases/{reference}/legal-hold",
            web::get().to(hold_form_page),
        )
        .route("/cases/{reference}/legal-hold", web::post().to(hold_submit))
        .route(
            "/cases/{reference}/erasure",
            web::get().to(erasure_form_page),
        )
        .route("/cases/{reference}/erasure", web::post().to(erasure_submit));
}

fn long(date: NaiveDate) -> String {
    date.format("%-d %B %Y").to_string()
}

// ---- The legal hold form ----

/// The longest reason.
const REASON_MAX: usize = 2_000;

/// The case `raw` names, if `user` may place or lift its hold.
async fn holdable_case(
    state: &web::Data<AppState>,
    user: &CurrentUser,
    raw: &str,
) -> AppResult<(CaseRow, hold::Standing)> {
    let reference = CaseReference::parse(raw)
        .map_err(|_| AppError::NotFound)?
        .to_string();
    let user = user.clone();
    state
        .db(move |conn| {
            let case = case_rows::find_by_reference(conn, &reference)?.ok_or(AppError::NotFound)?;
            if !access::may_hold(&user.viewer(), &case) {
                return Err(AppError::Forbidden);
            }
            let standing = hold::standing(conn, &case)?;
            Ok((case, standing))
        })
        .await
}

fn hold_form(
    ctx: PageCtx,
    case: &CaseRow,
    standing: &hold::Standing,
    typed: &Typed,
    errors: FieldErrors,
) -> FormPage {
    let reference = &case.reference;
    let (title, intro, label, submit) = match &standing.reason {
        None => (
            "Place a legal hold",
            vec![
                "A legal hold keeps this case's personal data past its retention period, while litigation, a claim, an inquiry or a subject access request needs it. The retention run skips the case until the hold is lifted.".to_string(),
            ],
            "Why the personal data must be kept",
            "Place the legal hold",
        ),
        Some(reason) => (
            "Lift the legal hold",
            vec![
                format!("The hold was placed because: {reason}"),
                "Once the hold is lifted, the retention run removes the personal data when the case is past its retention period.".to_string(),
            ],
            "Why the hold can end",
            "Lift the legal hold",
        ),
    };
    FormPage {
        ctx,
        title: title.into(),
        caption: format!("Complaint {reference}"),
        intro,
        back_href: format!("/cases/{reference}#data-protection"),
        back_label: "Back to the case".into(),
        action: format!("/cases/{reference}/legal-hold"),
        version: standing.version,
        fields: vec![Field::area(
            typed,
            "reason",
            label,
            "For example, the claim's court reference. Shown on the case's timeline.",
            4,
        )],
        submit: submit.into(),
        errors,
    }
}

pub async fn hold_form_page(
    state: web::Data<AppState>,
    user: CurrentUser,
    path: web::Path<String>,
) -> AppResult<FormPage> {
    let (case, standing) = holdable_case(&state, &user, &path).await?;
    if standing.anonymised_at.is_some() {
        return Err(AppError::NotNow(
            "This case's personal data has already been removed".into(),
        ));
    }
    Ok(hold_form(
        user.page().current("/cases"),
        &case,
        &standing,
        &Typed::default(),
        FieldErrors::new(),
    ))
}

pub async fn hold_submit(
    state: web::Data<AppState>,
    user: CurrentUser,
    session: Session,
    client: ClientAddr,
    path: web::Path<String>,
    Form(typed): Form<Typed>,
) -> AppResult<HttpResponse> {
    let (case, standing) = holdable_case(&state, &user, &path).await?;
    let mut errors = FieldErrors::new();
    let place = standing.reason.is_none();
    let reason = typed.text(
        &mut errors,
        "reason",
        "reason",
        "The reason",
        Some(if place {
            "Enter why the personal data must be kept"
        } else {
            "Enter why the hold can end"
        }),
        REASON_MAX,
    );
    if typed.version() != standing.version {
        return Err(AppError::Conflict(
            "Someone else placed or lifted this case's legal hold while you were on the form: look at the case again"
                .into(),
        ));
    }
    if !errors.is_empty() {
        return render_invalid(&hold_form(
            user.page().current("/cases"),
            &case,
            &standing,
            &typed,
            errors,
        ));
    }
    let (now, ip, version) = (state.clock.now_naive(), client.0.clone(), typed.version());
    let acting = user.clone();
    let reference = case.reference.clone();
    state
        .db(move |conn| {
            let label = acting.audit_label();
            hold::set(
                conn,
                &case,
                place,
                &reason,
                version,
                &crate::cases::transition::ActingUser {
                    id: acting.id,
                    label: &label,
                    ip: Some(&ip),
                },
                now,
            )
            .map_err(|e| match e {
                HoldError::Stale => AppError::Conflict(
                    "Someone else placed or lifted this case's legal hold while you were on the form: look at the case again"
                        .into(),
                ),
                HoldError::NotNow(why) => AppError::NotNow(why.into()),
                HoldError::Database(e) => e.into(),
            })
        })
        .await?;
    session::set_flash(
        &session,
        if place {
            "Legal hold placed"
        } else {
            "Legal hold lifted"
        },
    );
    Ok(see_other(&format!("/cases/{reference}#data-protection")))
}

// ---- Erasure on request ----

fn erasure_form(
    ctx: PageCtx,
    case: &CaseRow,
    others: &[String],
    typed: &Typed,
    errors: FieldErrors,
) -> FormPage {
    let reference = &case.reference;
    let mut intro = vec![
        "This removes the complainant's and any representative's details, vulnerability notes, notes, letters, emails and evidence files from every case of theirs, now and for good. The reference, dates, stage, outcome and compensation stay for reports.".to_string(),
        "Erase only where the law allows: not while a complaint is open or under a legal hold, and not where the data is still needed for a claim.".to_string(),
    ];
    if !others.is_empty() {
        intro.push(format!("Their cases: {}.", others.join(", ")));
    }
    FormPage {
        ctx,
        title: "Erase the complainant's personal data".into(),
        caption: format!("Complaint {reference}"),
        intro,
        back_href: format!("/cases/{reference}#data-protection"),
        back_label: "Back to the case".into(),
        action: format!("/cases/{reference}/erasure"),
        version: 0,
        fields: vec![Field::area(
            typed,
            "reason",
            "Why the personal data is erased",
            "For example, the date of the resident's request and that no claim is expected. Shown on each case's timeline.",
            4,
        )],
        submit: "Erase the personal data".into(),
        errors,
    }
}

/// The case `raw` names (for an officer), with its complainant's case references.
async fn erasable_case(
    state: &web::Data<AppState>,
    user: &CurrentUser,
    raw: &str,
) -> AppResult<(CaseRow, Vec<String>, Option<String>)> {
    let (case, standing) = holdable_case(state, user, raw).await?;
    if standing.anonymised_at.is_some() {
        return Err(AppError::NotNow(
            "This case's personal data has already been removed".into(),
        ));
    }
    state
        .db(move |conn| {
            let others = crate::privacy::erasure::cases_of_complainant(conn, &case)?
                .into_iter()
                .map(|(_, reference, _)| reference)
                .collect();
            let refusal = crate::privacy::erasure::refusal(conn, &case)?;
            Ok((case, others, refusal))
        })
        .await
}

pub async fn erasure_form_page(
    state: web::Data<AppState>,
    user: CurrentUser,
    path: web::Path<String>,
) -> AppResult<FormPage> {
    let (case, others, refusal) = erasable_case(&state, &user, &path).await?;
    let mut errors = FieldErrors::new();
    if let Some(why) = refusal {
        errors.add("reason", why);
    }
    Ok(erasure_form(
        user.page().current("/cases"),
        &case,
        &others,
        &Typed::default(),
        errors,
    ))
}

pub async fn erasure_submit(
    state: web::Data<AppState>,
    user: CurrentUser,
    session: Session,
    client: ClientAddr,
    path: web::Path<String>,
    Form(typed): Form<Typed>,
) -> AppResult<HttpResponse> {
    let (case, others, refusal) = erasable_case(&state, &user, &path).await?;
    let mut errors = FieldErrors::new();
    let reason = typed.text(
        &mut errors,
        "reason",
        "reason",
        "The reason",
        Some("Enter why the personal data is erased"),
        REASON_MAX,
    );
    if let Some(why) = refusal {
        errors.add("reason", why);
    }
    if !errors.is_empty() {
        return render_invalid(&erasure_form(
            user.page().current("/cases"),
            &case,
            &others,
            &typed,
            errors,
        ));
    }
    let (now, ip) = (state.clock.now_naive(), client.0.clone());
    let data_dir = state.settings.storage.data_dir.clone();
    let acting = user.clone();
    let reference = case.reference.clone();
    let done = state
        .db(move |conn| {
            let label = acting.audit_label();
            crate::privacy::erasure::erase(
                conn,
                &data_dir,
                &case,
                &reason,
                &crate::privacy::anonymise::Remover {
                    id: Some(acting.id),
                    label: &label,
                    ip: Some(&ip),
                },
                now,
            )
            .map_err(|e| match e {
                crate::privacy::erasure::ErasureError::Refused(why) => AppError::NotNow(why),
                crate::privacy::erasure::ErasureError::Database(e) => e.into(),
            })
        })
        .await?;
    session::set_flash(
        &session,
        &format!(
            "Personal data erased from {} {}",
            done.len(),
            if done.len() == 1 { "case" } else { "cases" }
        ),
    );
    Ok(see_other(&format!("/cases/{reference}#data-protection")))
}

// ---- The retention page ----

pub struct RetentionRow {
    pub reference: String,
    pub closed_on: String,
    pub ended_on: String,
    pub kept_because: String,
}

fn row(p: &PastRetention) -> RetentionRow {
    RetentionRow {
        reference: p.reference.clone(),
        closed_on: long(p.closed_on),
        ended_on: long(p.ended_on),
        kept_because: p.kept_because.clone(),
    }
}

#[derive(Template, WebTemplate)]
#[template(path = "privacy/retention.html")]
pub struct RetentionPage {
    pub ctx: PageCtx,
    pub years: u32,
    /// "Withdrawn: 3 years", one per outcome with its own period.
    pub by_outcome: Vec<String>,
    pub run_time: String,
    pub anonymise: Vec<RetentionRow>,
    pub kept: Vec<RetentionRow>,
}

pub async fn retention_page(
    state: web::Data<AppState>,
    user: CurrentUser,
) -> AppResult<RetentionPage> {
    if !access::may_see_retention(&user.viewer()) {
        return Err(AppError::Forbidden);
    }
    let policy = state.settings.retention.policy();
    let today = state.clock.today();
    let plan = {
        let policy = policy.clone();
        state
            .db(move |conn| Ok(retention::plan(conn, &policy, today)?))
            .await?
    };
    let by_outcome = policy
        .by_outcome
        .iter()
        .map(|(code, years)| {
            let outcome = code
                .parse::<crate::domain::case::Outcome>()
                .map(|o| o.label().to_string())
                .unwrap_or_else(|_| code.replace('_', " "));
            format!(
                "{outcome}: {years} {}",
                if *years == 1 { "year" } else { "years" }
            )
        })
        .collect();
    Ok(RetentionPage {
        ctx: user.page().current("/cases"),
        years: policy.years,
        by_outcome,
        run_time: state
            .settings
            .retention
            .run_at()
            .map(|t| t.format("%H:%M").to_string())
            .unwrap_or_default(),
        anonymise: plan.anonymise.iter().map(row).collect(),
        kept: plan.kept.iter().map(row).collect(),
    })
}

// ---- The case page's section ----

pub struct CaseSection {
    pub held: Option<String>,
    pub held_on: String,
    pub anonymised_on: Option<String>,
    pub may_hold: bool,
}

/// The case page's "Data protection" section, for those who may see it.
pub fn case_section(
    viewer: &Viewer<'_>,
    loaded: &crate::cases::load::LoadedCase,
) -> Option<CaseSection> {
    let case = &loaded.row;
    if !access::may_see(viewer, case) {
        return None;
    }
    let standing = hold::Standing::of(loaded.privacy.clone());
    Some(CaseSection {
        held_on: standing
            .held_at
            .map(|at| long(crate::clock::london_date_of(at)))
            .unwrap_or_default(),
        held: standing.reason,
        anonymised_on: standing
            .anonymised_at
            .map(|at| long(crate::clock::london_date_of(at))),
        may_hold: standing.anonymised_at.is_none() && access::may_hold(viewer, case),
    })
}
