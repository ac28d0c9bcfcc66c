//! The subject access export (UK GDPR Article 15): for the cases chosen on the request's
//! page, everything held about the person as a ZIP with a readable `index.html` and the same
//! facts as `data.json`: the case details and what they told us, each stage's points and
//! decision, the timeline with its notes, letters as sent, emails, evidence files, and who
//! saw the data only some may see. Items marked third-party or legally privileged are left
//! out, and the index says what was withheld and why.

use askama::Template;
use chrono::{NaiveDate, NaiveDateTime};
use serde::Serialize;

use super::gather::CaseFile;
use crate::attachments::archive::{zip_path_part, ArchiveFile, Source};
use crate::cases::page::Actor;
use crate::domain::case::{ContactMethod, Outcome};
use crate::domain::marking::MarkedItem;

#[derive(Debug, Clone, Serialize)]
pub struct Line {
    pub label: String,
    pub value: String,
}

fn line(label: &str, value: impl Into<String>) -> Line {
    Line {
        label: label.into(),
        value: value.into(),
    }
}

#[derive(Serialize)]
pub struct StageExport {
    pub name: String,
    pub points: Vec<String>,
    pub decision: Vec<Line>,
}

#[derive(Serialize)]
pub struct EntryExport {
    pub on: String,
    pub title: String,
    pub by: String,
    pub text: String,
    pub details: Vec<String>,
}

#[derive(Serialize)]
pub struct LetterExport {
    pub title: String,
    pub sent: String,
    /// Its page inside the ZIP.
    pub file: String,
    pub text: String,
}

#[derive(Serialize)]
pub struct EmailExport {
    pub from: String,
    pub subject: String,
    pub received: String,
    pub text: String,
}

#[derive(Serialize)]
pub struct FileExport {
    pub name: String,
    pub file: String,
    pub kind: String,
    pub size: String,
    pub added: String,
    pub sha256: String,
}

#[derive(Serialize)]
pub struct ViewExport {
    pub when: String,
    pub who: String,
    pub what: String,
    pub place: String,
}

#[derive(Serialize)]
pub struct WithheldExport {
    pub what: String,
    pub why: String,
}

#[derive(Serialize)]
pub struct CaseExport {
    pub reference: String,
    pub details: Vec<Line>,
    pub about_you: Vec<Line>,
    pub stages: Vec<StageExport>,
    pub timeline: Vec<EntryExport>,
    pub letters: Vec<LetterExport>,
    pub emails: Vec<EmailExport>,
    pub files: Vec<FileExport>,
    pub restricted_views: Vec<ViewExport>,
    pub withheld: Vec<WithheldExport>,
}

#[derive(Serialize, Template)]
#[template(path = "privacy/subject_access_export.html")]
pub struct PersonExport {
    pub person: String,
    pub landlord: String,
    pub received: String,
    pub exported: String,
    pub cases: Vec<CaseExport>,
}

/// How much the export holds, for the audit log and the page's message.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Counts {
    pub cases: usize,
    pub entries: usize,
    pub letters: usize,
    pub emails: usize,
    pub files: usize,
    pub withheld: usize,
}

pub struct Export {
    pub files: Vec<ArchiveFile>,
    pub counts: Counts,
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

fn outcome_words(outcome: Option<Outcome>) -> &'static str {
    outcome.map(|o| o.label()).unwrap_or("No finding")
}

fn about_you(file: &CaseFile) -> Vec<Line> {
    let page = &file.page;
    let mut lines = Vec::new();
    if let Some(c) = &page.complainant {
        let row = &c.row;
        lines.push(line("Name", row.name.clone()));
        for (label, value) in [
            ("Email address", &row.email),
            ("Telephone", &row.phone),
            ("Address", &row.address),
            ("Postcode", &row.postcode),
            ("Interpreter", &row.interpreter_language),
        ] {
            if let Some(value) = value.as_ref().filter(|v| !v.is_empty()) {
                lines.push(line(label, value.clone()));
            }
        }
        if let Some(method) = c.preferred {
            lines.push(line("How you asked to be contacted", preferred(method)));
        }
        if !c.adjustments.is_empty() {
            lines.push(line("Adjustments", c.adjustments.join(", ")));
        }
    }
    if let Some(notes) = page.vulnerability_notes.as_ref().filter(|n| !n.is_empty()) {
        lines.push(line(
            "What we noted about your circumstances",
            notes.clone(),
        ));
    }
    if let Some(r) = &page.representative {
        let mut value = r.row.name.clone();
        if let Some(rel) = r.relationship {
            value.push_str(&format!(" ({})", rel.label().to_lowercase()));
        }
        lines.push(line("Your representative", value));
    }
    lines
}

fn preferred(method: ContactMethod) -> String {
    method.label().to_string()
}

fn details(file: &CaseFile) -> Vec<Line> {
    let page = &file.page;
    let mut lines = vec![
        line("Reference", page.reference.clone()),
        line(
            "Received",
            format!(
                "{} by {}",
                long(page.received_on),
                page.channel.label().to_lowercase()
            ),
        ),
        line("Where it is now", page.status.label()),
        line("What happened", page.description.clone()),
        line("What you asked us to do", page.outcome_sought.clone()),
    ];
    if let Some(area) = &page.names.service_area {
        lines.push(line("Service area", area.clone()));
    }
    if let Some(category) = &page.names.category {
        lines.push(line("About", category.clone()));
    }
    lines
}

fn stages(file: &CaseFile) -> Vec<StageExport> {
    file.page
        .stages
        .iter()
        .map(|s| {
            let mut decision = Vec::new();
            if let Some(d) = &s.decision {
                if d.outcome.is_some() {
                    decision.push(line("Outcome", outcome_words(d.outcome)));
                }
                if !d.summary.is_empty() {
                    decision.push(line("Our decision", d.summary.clone()));
                }
                for (n, outcome, reasons) in &d.findings {
                    decision.push(line(
                        &format!("Point {n}"),
                        format!("{}. {reasons}", outcome_words(*outcome)),
                    ));
                }
                if let Some(sent) = d.sent_on {
                    decision.push(line("Sent to you", long(sent)));
                }
            }
            StageExport {
                name: s.stage.label().to_string(),
                points: s.points.iter().map(|(n, p)| format!("{n}. {p}")).collect(),
                decision,
            }
        })
        .collect()
}

/// Builds case `file`'s part of the export, adding its letters and evidence files to `files`.
fn case_part(file: &CaseFile, files: &mut Vec<ArchiveFile>, counts: &mut Counts) -> CaseExport {
    let page = &file.page;
    let reference = page.reference.clone();
    let mut withheld = Vec::new();
    let marked = |item: MarkedItem| file.markings.get(&item).and_then(|m| m.marking());

    let mut entries = page.timeline.clone();
    entries.sort_by_key(|e| (e.on, e.id.0));
    let mut timeline = Vec::new();
    for e in entries {
        if let Some(marking) = marked(MarkedItem::Note(e.id)) {
            withheld.push(WithheldExport {
                what: format!("{} on {}", e.title, long(e.on)),
                why: marking.withheld_because().to_string(),
            });
            continue;
        }
        timeline.push(EntryExport {
            on: long(e.on),
            title: e.title,
            by: match e.by {
                Actor::Staff(member) => member.with_role(),
                Actor::Redress => "Redress".to_string(),
            },
            text: e.text.unwrap_or_default(),
            details: e.details,
        });
    }

    let mut letters = Vec::new();
    for (n, l) in file.letters.iter().enumerate() {
        let title = l.title();
        let path = format!(
            "{reference}/letters/{:02}-{}.html",
            n + 1,
            zip_path_part(&l.kind)
        );
        let html = l.html_as_sent();
        files.push(ArchiveFile {
            name: path.clone(),
            source: Source::Bytes(html.into_bytes()),
        });
        letters.push(LetterExport {
            title,
            sent: l.sent_on.map(long).unwrap_or_default(),
            file: path,
            text: l.text_as_sent(),
        });
    }

    let emails: Vec<EmailExport> = file
        .emails
        .iter()
        .map(|e| EmailExport {
            from: format!("{} <{}>", e.from_name, e.from_address),
            subject: e.subject.clone(),
            received: when(e.received_at),
            text: e.body_text.clone(),
        })
        .collect();

    let mut evidence = Vec::new();
    for (row, by) in &page.evidence {
        if let Some(marking) = marked(MarkedItem::Attachment(row.id)) {
            withheld.push(WithheldExport {
                what: format!("The file {}", row.file_name),
                why: marking.withheld_because().to_string(),
            });
            continue;
        }
        let path = format!(
            "{reference}/files/{}-{}",
            row.id,
            zip_path_part(&row.file_name)
        );
        files.push(ArchiveFile {
            name: path.clone(),
            source: Source::Stored {
                key: row.storage_key.clone(),
                sha256: row.sha256.clone(),
            },
        });
        evidence.push(FileExport {
            name: row.file_name.clone(),
            file: path,
            kind: row.content_type.clone(),
            size: crate::attachments::human_size(row.size_bytes.max(0) as u64),
            added: format!("{} by {by}", when(row.uploaded_at)),
            sha256: row.sha256.clone(),
        });
    }

    let restricted_views = file
        .views
        .iter()
        .map(|v| ViewExport {
            when: when(v.at),
            who: v.who.clone(),
            what: v.what.to_string(),
            place: v.place.clone(),
        })
        .collect();

    counts.cases += 1;
    counts.entries += timeline.len();
    counts.letters += letters.len();
    counts.emails += emails.len();
    counts.files += evidence.len();
    counts.withheld += withheld.len();
    CaseExport {
        details: details(file),
        about_you: about_you(file),
        stages: stages(file),
        reference,
        timeline,
        letters,
        emails,
        files: evidence,
        restricted_views,
        withheld,
    }
}

/// The export's files: `index.html` and `data.json` first, then each case's letters and
/// evidence files.
pub fn build(
    person: &str,
    received_on: NaiveDate,
    case_files: &[CaseFile],
    landlord: &str,
    exported_at: NaiveDateTime,
) -> anyhow::Result<Export> {
    let mut files = Vec::new();
    let mut counts = Counts::default();
    let cases = case_files
        .iter()
        .map(|f| case_part(f, &mut files, &mut counts))
        .collect();
    let export = PersonExport {
        person: person.to_string(),
        landlord: landlord.to_string(),
        received: long(received_on),
        exported: when(exported_at),
        cases,
    };
    let index = export.render()?;
    let json = serde_json::to_vec_pretty(&export)?;
    files.insert(
        0,
        ArchiveFile {
            name: "data.json".into(),
            source: Source::Bytes(json),
        },
    );
    files.insert(
        0,
        ArchiveFile {
            name: "index.html".into(),
            source: Source::Bytes(index.into_bytes()),
        },
    );
    Ok(Export { files, counts })
}
