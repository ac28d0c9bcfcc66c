//! The annual complaints performance and service improvement report (Code 8.1), in the
//! Code's order: (a) the self-assessment, (b) the analysis compared with the year before,
//! (c) the Ombudsman's findings of non-compliance, (d) the year's service improvements,
//! (e, f) the Ombudsman's annual letter and other reports, and the governing body's
//! response. The narrative is edited until the report is published; publishing stores the
//! report as rendered, so a past year never changes.

use chrono::NaiveDateTime;
use diesel::Connection;
use serde::{Deserialize, Serialize};

use super::analysis::{self, Analysis};
use super::checklist::Requirement;
use super::documents::{self, Listed, Slot};
use super::evidence::{self, Facts};
use super::improvements::{self, Improvements};
use super::self_assessment;
use super::self_assessment::{Answer, Answers, Compliance};
use crate::db::audit::{self, AuditEntry};
use crate::db::governance as table;
use crate::db::reports;
use crate::db::DbConnection;
use crate::domain::{FieldErrors, UserId};
use crate::reports::Period;

/// What people write for the year; every part may be empty until it is published.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct Narrative {
    pub introduction: String,
    pub analysis: String,
    pub ombudsman_findings: String,
    pub improvements: String,
    pub ombudsman_letter: String,
    pub other_reports: String,
    pub response: String,
}

impl Narrative {
    pub fn from_json(json: &str) -> Narrative {
        serde_json::from_str(json).unwrap_or_default()
    }

    pub fn to_json(&self) -> String {
        serde_json::to_string(self).expect("narrative serialises")
    }
}

/// The most any one part of the narrative may hold.
pub const NARRATIVE_LIMIT: usize = 20_000;

/// One requirement of the self-assessment with its answer and the figures beside it.
#[derive(Debug, Clone)]
pub struct AssessedRequirement {
    pub requirement: Requirement,
    pub answer: Answer,
    pub evidence: Vec<String>,
}

impl AssessedRequirement {
    pub fn compliance_label(&self) -> &'static str {
        self.answer
            .compliance
            .map(Compliance::short)
            .unwrap_or("Not answered")
    }

    pub fn is(&self, key: &str) -> bool {
        self.answer.compliance.map(Compliance::key) == Some(key)
    }
}

/// A finding of non-compliance by the Ombudsman in the year (Code 8.1(c)): a finding of
/// severe maladministration, maladministration or service failure in a determination, or
/// a complaint handling failure order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OmbudsmanFinding {
    /// The case's reference.
    pub reference: String,
    pub ombudsman_reference: String,
    /// The determination's or order's date, "12 May 2025".
    pub on: String,
    /// "Maladministration", or "Complaint handling failure order (Code paragraph 6.14)".
    pub finding: String,
    /// The complaint element and the Ombudsman's reasons, or what the order concerns.
    pub details: String,
}

/// The findings of non-compliance the Ombudsman register holds for `period`, in date order:
/// each failing finding of a determination dated in the period, and each complaint handling
/// failure order issued in it.
pub fn ombudsman_findings(
    conn: &mut DbConnection,
    period: &Period,
) -> diesel::QueryResult<Vec<OmbudsmanFinding>> {
    let figures = crate::ombudsman::figures::for_period(conn, period.from, period.to)?;
    let mut dated: Vec<(chrono::NaiveDate, OmbudsmanFinding)> = figures
        .failings
        .into_iter()
        .map(|f| {
            let details = match (f.element.trim(), f.reasons.trim()) {
                ("", reasons) => reasons.to_string(),
                (element, "") => element.to_string(),
                (element, reasons) => format!("{element}: {reasons}"),
            };
            (
                f.determined_on,
                OmbudsmanFinding {
                    reference: f.case_reference,
                    ombudsman_reference: f.ombudsman_reference,
                    on: f.determined_on.format("%-d %B %Y").to_string(),
                    finding: f.finding.label().to_string(),
                    details,
                },
            )
        })
        .collect();
    dated.extend(figures.chfos.into_iter().map(|c| {
        let finding = if c.paragraph.trim().is_empty() {
            "Complaint handling failure order".to_string()
        } else {
            format!(
                "Complaint handling failure order (Code paragraph {})",
                c.paragraph
            )
        };
        (
            c.issued_on,
            OmbudsmanFinding {
                reference: c.case_reference,
                ombudsman_reference: c.ombudsman_reference,
                on: c.issued_on.format("%-d %B %Y").to_string(),
                finding,
                details: c.details,
            },
        )
    }));
    dated.sort_by_key(|(on, _)| *on);
    Ok(dated.into_iter().map(|(_, f)| f).collect())
}

/// The requirements with their answers and the year's evidence.
pub fn assess(
    conn: &mut DbConnection,
    checklist: &[Requirement],
    answers: &Answers,
    period: &Period,
) -> diesel::QueryResult<(
    Vec<AssessedRequirement>,
    analysis::PeriodFigures,
    Improvements,
)> {
    let figures = analysis::figures(conn, period)?;
    let improvements = improvements::for_period(conn, period)?;
    let facts = Facts {
        figures: &figures,
        improvements: &improvements,
        lessons: reports::lessons(conn, period.from, period.to)?.len(),
        remedies: reports::remedies(conn, period.from, period.to)?.len(),
    };
    let rows = checklist
        .iter()
        .map(|r| AssessedRequirement {
            answer: answers.get(&r.paragraph).cloned().unwrap_or_default(),
            evidence: r
                .evidence
                .map(|kind| evidence::sentences(kind, &facts))
                .unwrap_or_default(),
            requirement: r.clone(),
        })
        .collect();
    Ok((rows, figures, improvements))
}

#[derive(Debug, Clone)]
pub struct AnnualReport {
    pub period: Period,
    pub label: String,
    pub assessment: Vec<AssessedRequirement>,
    /// `(yes, partly, no, not answered)`.
    pub compliance_counts: (usize, usize, usize, usize),
    pub analysis: Analysis,
    pub findings: Vec<OmbudsmanFinding>,
    pub improvements: Improvements,
    pub narrative: Narrative,
    /// The year's evidence files, for the self-assessment's requirements and the parts.
    pub documents: Vec<Listed>,
}

impl AnnualReport {
    /// The files of a part of the report (`ombudsman_letter`...).
    pub fn files_of(&self, part: &str) -> Vec<&Listed> {
        self.documents
            .iter()
            .filter(|d| d.slot.part() == part)
            .collect()
    }

    /// The files of a requirement of the self-assessment.
    pub fn files_for(&self, paragraph: &str) -> Vec<&Listed> {
        self.documents
            .iter()
            .filter(|d| d.slot == Slot::Requirement(paragraph.to_string()))
            .collect()
    }
}

pub fn build(
    conn: &mut DbConnection,
    checklist: &[Requirement],
    answers: &Answers,
    year: i32,
    narrative: Narrative,
) -> diesel::QueryResult<AnnualReport> {
    let period = Period::reporting_year(year).map_err(|_| diesel::result::Error::NotFound)?;
    let (assessment, now, improvements) = assess(conn, checklist, answers, &period)?;
    let previous = analysis::previous(&period);
    let before = analysis::figures(conn, &previous)?;
    let count = |c: Option<Compliance>| {
        assessment
            .iter()
            .filter(|r| r.answer.compliance == c)
            .count()
    };
    Ok(AnnualReport {
        label: period.label(),
        compliance_counts: (
            count(Some(Compliance::Yes)),
            count(Some(Compliance::Partly)),
            count(Some(Compliance::No)),
            count(None),
        ),
        analysis: analysis::compare(period.clone(), previous, now, before),
        findings: ombudsman_findings(conn, &period)?,
        documents: documents::for_year(conn, year)?,
        assessment,
        improvements,
        narrative,
        period,
    })
}

/// The narrative's parts: form field, label, hint.
pub const NARRATIVE_PARTS: [(&str, &str, &str); 7] = [
    (
        "introduction",
        "Introduction",
        "Opens the report: the year in a few sentences.",
    ),
    (
        "analysis",
        "Commentary on the figures",
        "Part 2: what the figures say, compared with the year before.",
    ),
    (
        "ombudsman_findings",
        "Findings of non-compliance by the Housing Ombudsman",
        "Part 3: each finding in the year and what was done.",
    ),
    (
        "improvements",
        "Service improvements",
        "Part 4: what changed because of complaints.",
    ),
    (
        "ombudsman_letter",
        "The Housing Ombudsman's annual letter",
        "Part 5: its main points, or the letter's text.",
    ),
    (
        "other_reports",
        "Other reports and investigations",
        "Part 6: reports by the Ombudsman or others on the landlord's complaint handling.",
    ),
    (
        "response",
        "The governing body's response",
        "Part 7: as agreed by the governing body.",
    ),
];

impl Narrative {
    pub fn part(&self, name: &str) -> &str {
        match name {
            "introduction" => &self.introduction,
            "analysis" => &self.analysis,
            "ombudsman_findings" => &self.ombudsman_findings,
            "improvements" => &self.improvements,
            "ombudsman_letter" => &self.ombudsman_letter,
            "other_reports" => &self.other_reports,
            "response" => &self.response,
            _ => "",
        }
    }

    /// Trimmed; each part too long is named beside its field.
    pub fn checked(mut self) -> (Narrative, FieldErrors) {
        let mut errors = FieldErrors::new();
        for (name, label, _) in NARRATIVE_PARTS {
            let part = match name {
                "introduction" => &mut self.introduction,
                "analysis" => &mut self.analysis,
                "ombudsman_findings" => &mut self.ombudsman_findings,
                "improvements" => &mut self.improvements,
                "ombudsman_letter" => &mut self.ombudsman_letter,
                "other_reports" => &mut self.other_reports,
                _ => &mut self.response,
            };
            *part = part.trim().to_string();
            if part.chars().count() > NARRATIVE_LIMIT {
                errors.add(name, format!("{label} must be 20,000 characters or fewer"));
            }
        }
        (self, errors)
    }
}

/// The year's report as it stands: live until published, then the stored snapshot.
pub struct Stored {
    pub year: i32,
    pub narrative: Narrative,
    /// 0: nothing saved yet.
    pub version: i32,
    /// The report as published, and when and by whom.
    pub published: Option<Published>,
}

pub struct Published {
    pub snapshot: String,
    pub at: NaiveDateTime,
    pub by: String,
}

pub fn stored(conn: &mut DbConnection, year: i32) -> diesel::QueryResult<Stored> {
    Ok(match table::annual_report(conn, year)? {
        Some(row) => Stored {
            year,
            narrative: Narrative::from_json(&row.narrative),
            version: row.version,
            published: match (row.snapshot, row.published_at) {
                (Some(snapshot), Some(at)) => Some(Published {
                    snapshot,
                    at,
                    by: row
                        .published_by
                        .unwrap_or_else(|| "a former member of staff".into()),
                }),
                _ => None,
            },
        },
        None => Stored {
            year,
            narrative: Narrative::default(),
            version: 0,
            published: None,
        },
    })
}

/// The report for `year` as it would be published now.
pub fn current(
    conn: &mut DbConnection,
    checklist: &[Requirement],
    year: i32,
    narrative: Narrative,
) -> diesel::QueryResult<AnnualReport> {
    let (answers, _) = self_assessment::load(conn, year)?;
    build(conn, checklist, &answers, year, narrative)
}

/// Who is changing the report, over which version.
pub struct Change {
    pub year: i32,
    pub seen: i32,
    pub actor: UserId,
    pub actor_label: String,
    pub ip: Option<String>,
    pub at: NaiveDateTime,
}

/// Why a change was not made.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Refused {
    /// Someone saved since the form was opened.
    Stale,
    /// The report is published: it no longer changes.
    Published,
    /// A file to remove was removed meanwhile.
    Gone,
}

fn refusal(conn: &mut DbConnection, year: i32) -> diesel::QueryResult<Refused> {
    Ok(match table::annual_report(conn, year)? {
        Some(row) if row.published_at.is_some() => Refused::Published,
        _ => Refused::Stale,
    })
}

fn audit_change(
    conn: &mut DbConnection,
    change: &Change,
    action: &str,
    version: i32,
) -> diesel::QueryResult<()> {
    audit::record(
        conn,
        &AuditEntry::new(
            Some(change.actor),
            change.actor_label.clone(),
            action,
            format!("annual-report:{}", change.year),
            format!("version {version}"),
            change.ip.as_deref(),
        ),
    )?;
    Ok(())
}

/// Saves the narrative (checked by [`Narrative::checked`]) and the files added to and
/// removed from its parts, each audited, in one transaction; a refused save writes nothing.
/// The new version and the files changed, in words.
pub fn save_narrative(
    conn: &mut DbConnection,
    change: &Change,
    narrative: &Narrative,
    files: &documents::Changes,
) -> diesel::QueryResult<Result<(i32, documents::Done), Refused>> {
    conn.transaction(|conn| {
        match documents::check(conn, change.year, files)? {
            Ok(()) => {}
            Err(documents::Refused::Published) => return Ok(Err(Refused::Published)),
            Err(documents::Refused::Gone) => return Ok(Err(Refused::Gone)),
        }
        match table::save_narrative(
            conn,
            change.year,
            change.seen,
            &narrative.to_json(),
            change.actor,
            change.at,
        )? {
            Ok(version) => {
                audit_change(conn, change, "annual_report_saved", version)?;
                let by = documents::By {
                    id: change.actor,
                    label: &change.actor_label,
                    ip: change.ip.as_deref(),
                    at: change.at,
                };
                let done = documents::apply(conn, change.year, files, &by)?;
                Ok(Ok((version, done)))
            }
            Err(_) => Ok(Err(refusal(conn, change.year)?)),
        }
    })
}

/// Publishes the year's report: renders it with `render` as it stands now and stores that,
/// so the year's report never changes afterwards; audited.
pub fn publish<E>(
    conn: &mut DbConnection,
    checklist: &[Requirement],
    change: &Change,
    render: impl FnOnce(&AnnualReport) -> Result<String, E>,
) -> Result<Result<i32, Refused>, PublishError<E>> {
    conn.transaction(|conn| {
        let stored = stored(conn, change.year)?;
        if stored.published.is_some() {
            return Ok(Err(Refused::Published));
        }
        if stored.version != change.seen {
            return Ok(Err(Refused::Stale));
        }
        let mut seen = change.seen;
        if seen == 0 {
            // Nothing written yet: the report is published with no narrative.
            match table::save_narrative(
                conn,
                change.year,
                0,
                &stored.narrative.to_json(),
                change.actor,
                change.at,
            )? {
                Ok(v) => seen = v,
                Err(_) => return Ok(Err(Refused::Stale)),
            }
        }
        let report = current(conn, checklist, change.year, stored.narrative)?;
        let html = render(&report).map_err(PublishError::Render)?;
        match table::publish(conn, change.year, seen, &html, change.actor, change.at)? {
            Ok(version) => {
                audit_change(conn, change, "annual_report_published", version)?;
                Ok(Ok(version))
            }
            Err(_) => Ok(Err(Refused::Stale)),
        }
    })
}

#[derive(Debug)]
pub enum PublishError<E> {
    Database(diesel::result::Error),
    Render(E),
}

impl<E> From<diesel::result::Error> for PublishError<E> {
    fn from(e: diesel::result::Error) -> Self {
        PublishError::Database(e)
    }
}
