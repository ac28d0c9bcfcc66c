//! The evidence bundle (Code 5.12): the complete case file the Ombudsman asks for, as a ZIP
//! with a readable index (`index.html`, linking every file) and a printable single page
//! (`case-file.html`, everything inline): the complaint definition per stage, the timeline
//! with note and contact text, letters as sent, emails, attachments, deadlines met or late,
//! decisions, remedies and their completion.
//!
//! [`gather`] reads everything in one go through the case page's read model, so what the
//! bundle shows of a confidential complainant is what the exporter may see (the identity
//! gate decides and audits); [`write_zip`] then streams it, reading each attachment from
//! storage as it goes.

use std::io::Write;
use std::path::Path;

use askama::Template;
use chrono::{NaiveDate, NaiveDateTime};
use diesel::QueryResult;
use sha2::{Digest, Sha256};

use crate::attachments::archive::{self, zip_path_part, ArchiveFile, Source};
use crate::cases::page::{self, Actor, CasePage, Looking, PageError, PageRules, TimelineFilter};
use crate::db::ombudsman::{self as table, CaseEmail, ContactRow, EvidenceRequestRow};
use crate::db::{case_file, letters, DbConnection};
use crate::domain::Money;
use crate::rules::DeadlineState;

/// The bundle, gathered and ready to write.
pub struct Bundle {
    pub case_reference: String,
    pub files: Vec<ArchiveFile>,
    /// The SHA-256 of `index.html`, which lists every other file's own SHA-256.
    pub index_sha256: String,
}

impl Bundle {
    pub fn file_name(&self) -> String {
        format!("evidence-bundle-{}.zip", self.case_reference)
    }
}

pub struct Line {
    pub label: String,
    pub value: String,
}

pub struct StageView {
    pub name: &'static str,
    pub points: Vec<String>,
    pub decision: Vec<Line>,
    pub findings: Vec<String>,
    pub remedies: Vec<String>,
}

pub struct EntryView {
    pub on: String,
    pub title: String,
    pub by: String,
    pub text: String,
    pub details: Vec<String>,
}

pub struct LetterView {
    pub title: String,
    pub sent: String,
    pub file: String,
    pub text: String,
}

pub struct FileView {
    pub name: String,
    pub file: String,
    pub kind: String,
    pub size: String,
    pub added: String,
    pub sha256: String,
}

pub struct EmailView {
    pub from: String,
    pub subject: String,
    pub received: String,
    pub text: String,
}

#[derive(Template)]
#[template(path = "ombudsman/bundle.html")]
pub struct BundlePage<'a> {
    /// The index (links to the files) or the single printable page (letters inline).
    pub index: bool,
    pub reference: &'a str,
    pub exported: &'a str,
    pub landlord: &'a str,
    pub contact: Vec<Line>,
    pub summary: Vec<Line>,
    pub stages: &'a [StageView],
    pub deadlines: &'a [Line],
    pub timeline: &'a [EntryView],
    pub letters: &'a [LetterView],
    pub emails: &'a [EmailView],
    pub files: &'a [FileView],
}

fn long(date: NaiveDate) -> String {
    date.format("%-d %B %Y").to_string()
}

fn when(at: NaiveDateTime) -> String {
    at.and_utc()
        .with_timezone(&chrono_tz::Europe::London)
        .format("%-d %B %Y at %H:%M")
        .to_string()
}

fn deadline_words(state: &DeadlineState) -> String {
    match state {
        DeadlineState::Met => "Met".into(),
        DeadlineState::MetLate { days_late } => format!("Met late ({days_late} working days)"),
        DeadlineState::Pending => "Pending".into(),
        DeadlineState::Overdue { days_late } => format!("Overdue by {days_late} working days"),
        DeadlineState::Superseded => "Extended".into(),
    }
}

fn deadline_name(name: &str) -> &'static str {
    match name {
        "acknowledge" => "Acknowledge",
        "respond" => "Respond",
        "respond_extended" => "Respond (extended)",
        _ => "Deadline",
    }
}

/// What the exporter sees, gathered: the case page's read model and the rest of the file.
pub struct Gathered {
    pub page: CasePage,
    pub letters: Vec<letters::LetterRow>,
    pub emails: Vec<CaseEmail>,
    pub remedies: Vec<crate::db::decisions::RemedyRow>,
    pub contact: ContactRow,
    pub request: EvidenceRequestRow,
}

/// Reads everything the bundle holds for `contact`'s case and evidence `request`.
pub fn gather(
    conn: &mut DbConnection,
    looking: &Looking<'_>,
    contact: ContactRow,
    request: EvidenceRequestRow,
    rules: &PageRules<'_>,
) -> Result<Gathered, PageError> {
    let case = crate::db::cases::find(conn, contact.case_id)?.ok_or(PageError::NotFound)?;
    let page = page::load(conn, looking, &case.reference, rules, TimelineFilter::All)?;
    let letters: Vec<letters::LetterRow> = letters::for_case(conn, case.id)?
        .into_iter()
        .filter(|l| l.is_sent())
        .collect();
    let emails = table::emails_of_case(conn, case.id)?;
    let decision_ids: Vec<i32> = case_file::decisions_of(conn, case.id)?
        .iter()
        .map(|d| d.id)
        .collect();
    let remedies = case_file::remedies_of(conn, &decision_ids)?;
    Ok(Gathered {
        page,
        letters,
        emails,
        remedies,
        contact,
        request,
    })
}

/// Builds the bundle's files from what was gathered.
pub fn build(
    gathered: &Gathered,
    landlord: &str,
    exported_at: NaiveDateTime,
) -> QueryResult<Bundle> {
    let page = &gathered.page;
    let reference = page.reference.clone();
    let mut files: Vec<ArchiveFile> = Vec::new();

    let stages: Vec<StageView> = page
        .stages
        .iter()
        .map(|s| {
            let mut decision = Vec::new();
            let mut findings = Vec::new();
            if let Some(d) = &s.decision {
                if let Some(outcome) = d.outcome {
                    decision.push(Line {
                        label: "Outcome".into(),
                        value: outcome.label().into(),
                    });
                }
                decision.push(Line {
                    label: "Summary".into(),
                    value: d.summary.clone(),
                });
                if let Some(sent) = d.sent_on {
                    decision.push(Line {
                        label: "Sent".into(),
                        value: long(sent),
                    });
                }
                findings = d
                    .findings
                    .iter()
                    .map(|(n, outcome, reasons)| {
                        let finding = outcome.map(|o| o.label()).unwrap_or("No finding");
                        format!("Point {n}: {finding}. {reasons}")
                    })
                    .collect();
            }
            if let Some(r) = &s.response {
                decision.push(Line {
                    label: "Response".into(),
                    value: if r.met {
                        format!("Sent {} (within timescale)", long(r.sent_on))
                    } else {
                        format!(
                            "Sent {} ({} working days late)",
                            long(r.sent_on),
                            r.days_late
                        )
                    },
                });
            }
            StageView {
                name: s.stage.label(),
                points: s.points.iter().map(|(n, p)| format!("{n}. {p}")).collect(),
                decision,
                findings,
                remedies: Vec::new(),
            }
        })
        .collect();
    let remedy_lines: Vec<String> = gathered
        .remedies
        .iter()
        .map(|r| {
            let amount = r
                .amount_pence
                .map(|p| format!(" ({})", Money::from_pence(p.into())))
                .unwrap_or_default();
            let due = r
                .due_on
                .map(|d| format!(", due {}", long(d)))
                .unwrap_or_default();
            let done = match (r.done_on, &r.evidence) {
                (Some(d), Some(e)) => format!(": done {} — {e}", long(d)),
                (Some(d), None) => format!(": done {}", long(d)),
                _ => ": not yet done".to_string(),
            };
            format!("{}{amount}: {}{due}{done}", r.kind.label(), r.description)
        })
        .collect();
    let mut stages = stages;
    if let Some(last) = stages.last_mut() {
        last.remedies = remedy_lines;
    }

    let deadlines: Vec<Line> = page
        .deadlines
        .rows
        .iter()
        .map(|d| Line {
            label: format!("{}: {}", d.stage.label(), deadline_name(d.name)),
            value: format!("Due {}: {}", long(d.due), deadline_words(&d.state)),
        })
        .collect();

    let mut entries = page.timeline.clone();
    entries.sort_by_key(|e| (e.on, e.id.0));
    let timeline: Vec<EntryView> = entries
        .into_iter()
        .map(|e| EntryView {
            on: long(e.on),
            title: e.title,
            by: match e.by {
                Actor::Staff(member) => member.with_role(),
                Actor::Redress => "Redress".to_string(),
            },
            text: e.text.unwrap_or_default(),
            details: e.details,
        })
        .collect();

    let mut letter_views = Vec::new();
    for (n, l) in gathered.letters.iter().enumerate() {
        let title = l.title();
        let file = format!("letters/{:02}-{}.html", n + 1, zip_path_part(&l.kind));
        let html = l.html_as_sent();
        files.push(ArchiveFile {
            name: file.clone(),
            source: Source::Bytes(html.into_bytes()),
        });
        letter_views.push(LetterView {
            title,
            sent: l.sent_on.map(long).unwrap_or_default(),
            file,
            text: l.text_as_sent(),
        });
    }

    let emails: Vec<EmailView> = gathered
        .emails
        .iter()
        .map(|e| EmailView {
            from: format!("{} <{}>", e.from_name, e.from_address),
            subject: e.subject.clone(),
            received: when(e.received_at),
            text: e.body_text.clone(),
        })
        .collect();

    let mut file_views = Vec::new();
    for (row, by) in &page.evidence {
        let file = format!("attachments/{}-{}", row.id, zip_path_part(&row.file_name));
        files.push(ArchiveFile {
            name: file.clone(),
            source: Source::Stored {
                key: row.storage_key.clone(),
                sha256: row.sha256.clone(),
            },
        });
        file_views.push(FileView {
            name: row.file_name.clone(),
            file,
            kind: row.content_type.clone(),
            size: crate::attachments::human_size(row.size_bytes.max(0) as u64),
            added: format!("{} by {by}", when(row.uploaded_at)),
            sha256: row.sha256.clone(),
        });
    }

    let c = &gathered.contact;
    let r = &gathered.request;
    let contact = [
        Line {
            label: "Ombudsman's reference".into(),
            value: c.ombudsman_reference.clone(),
        },
        Line {
            label: "Contact".into(),
            value: c.contact_name.clone(),
        },
        Line {
            label: "Evidence asked for".into(),
            value: r.asked.clone(),
        },
        Line {
            label: "Received".into(),
            value: long(r.received_on),
        },
        Line {
            label: "Due".into(),
            value: format!("{} ({})", long(r.due_on), r.due_basis),
        },
    ];
    let mut summary = vec![
        Line {
            label: "Status".into(),
            value: page.status.label().into(),
        },
        Line {
            label: "Received".into(),
            value: format!(
                "{} by {}",
                long(page.received_on),
                page.channel.label().to_lowercase()
            ),
        },
        Line {
            label: "What happened".into(),
            value: page.description.clone(),
        },
        Line {
            label: "Outcome sought".into(),
            value: page.outcome_sought.clone(),
        },
    ];
    if let Some(person) = &page.complainant {
        summary.insert(
            0,
            Line {
                label: "Complainant".into(),
                value: person.row.name.clone(),
            },
        );
    }
    if let Some(area) = &page.names.service_area {
        summary.push(Line {
            label: "Service area".into(),
            value: area.clone(),
        });
    }
    if let Some(category) = &page.names.category {
        summary.push(Line {
            label: "Category".into(),
            value: category.clone(),
        });
    }

    let exported = when(exported_at);
    let render = |index: bool| {
        BundlePage {
            index,
            reference: &reference,
            exported: &exported,
            landlord,
            contact: contact
                .iter()
                .map(|l| Line {
                    label: l.label.clone(),
                    value: l.value.clone(),
                })
                .collect(),
            summary: summary
                .iter()
                .map(|l| Line {
                    label: l.label.clone(),
                    value: l.value.clone(),
                })
                .collect(),
            stages: &stages,
            deadlines: &deadlines,
            timeline: &timeline,
            letters: &letter_views,
            emails: &emails,
            files: &file_views,
        }
        .render()
        .map_err(|e| diesel::result::Error::SerializationError(Box::new(e)))
    };
    let index = render(true)?;
    let print = render(false)?;
    let index_sha256 = format!("{:x}", Sha256::digest(index.as_bytes()));
    files.insert(
        0,
        ArchiveFile {
            name: "case-file.html".into(),
            source: Source::Bytes(print.into_bytes()),
        },
    );
    files.insert(
        0,
        ArchiveFile {
            name: "index.html".into(),
            source: Source::Bytes(index.into_bytes()),
        },
    );
    Ok(Bundle {
        case_reference: reference,
        files,
        index_sha256,
    })
}

/// Writes `bundle` as a ZIP to `out` (which need not seek: it may be the response body).
pub fn write_zip<W: Write>(bundle: Bundle, data_dir: &Path, out: W) -> anyhow::Result<()> {
    archive::write_zip(bundle.files, data_dir, out)
}
