//! The year's self-assessment against the Code: for each requirement of the checklist,
//! whether the landlord complies (yes, no or partly) and its commentary, saved per
//! April–March year as JSON and versioned.

use std::collections::BTreeMap;

use chrono::NaiveDateTime;
use diesel::Connection;
use serde::{Deserialize, Serialize};

use super::checklist::Requirement;
use super::documents;
use crate::db::audit::{self, AuditEntry};
use crate::db::governance as table;
use crate::db::DbConnection;
use crate::domain::{FieldErrors, UserId};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Compliance {
    Yes,
    Partly,
    No,
}

impl Compliance {
    pub const ALL: [Compliance; 3] = [Compliance::Yes, Compliance::Partly, Compliance::No];

    pub fn key(self) -> &'static str {
        match self {
            Compliance::Yes => "yes",
            Compliance::Partly => "partly",
            Compliance::No => "no",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Compliance::Yes => "Yes, we comply",
            Compliance::Partly => "Partly",
            Compliance::No => "No, we do not comply",
        }
    }

    pub fn short(self) -> &'static str {
        match self {
            Compliance::Yes => "Yes",
            Compliance::Partly => "Partly",
            Compliance::No => "No",
        }
    }

    pub fn parse(key: &str) -> Option<Compliance> {
        Compliance::ALL.into_iter().find(|c| c.key() == key)
    }
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Answer {
    pub compliance: Option<Compliance>,
    pub commentary: String,
}

/// Answers keyed by the requirement's paragraph.
pub type Answers = BTreeMap<String, Answer>;

/// The most a commentary may hold.
pub const COMMENTARY_LIMIT: usize = 5_000;

pub fn to_json(answers: &Answers) -> String {
    serde_json::to_string(answers).expect("answers serialise")
}

/// Stored answers; none if the JSON no longer reads (never a failure to show the page).
pub fn from_json(json: &str) -> Answers {
    serde_json::from_str(json).unwrap_or_default()
}

/// The form field for a requirement's answer: `compliance-6-3` for paragraph 6.3.
pub fn compliance_field(paragraph: &str) -> String {
    format!("compliance-{}", field_key(paragraph))
}

/// The form field for a requirement's commentary: `commentary-6-3`.
pub fn commentary_field(paragraph: &str) -> String {
    format!("commentary-{}", field_key(paragraph))
}

/// The form field for a file of evidence for a requirement: `file-6-3`.
pub fn file_field(paragraph: &str) -> String {
    format!("file-{}", field_key(paragraph))
}

/// The requirement of the checklist whose file field is `field`.
pub fn requirement_of_file<'a>(
    checklist: &'a [Requirement],
    field: &str,
) -> Option<&'a Requirement> {
    checklist.iter().find(|r| file_field(&r.paragraph) == field)
}

fn field_key(paragraph: &str) -> String {
    paragraph
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { '-' })
        .collect()
}

/// The answers typed into the form, one per requirement of the checklist (fields for
/// paragraphs not on it are ignored), and what is wrong with them beside their fields.
pub fn parse_form(checklist: &[Requirement], pairs: &[(String, String)]) -> (Answers, FieldErrors) {
    let value = |name: &str| {
        pairs
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
            .unwrap_or("")
    };
    let mut answers = Answers::new();
    let mut errors = FieldErrors::new();
    for r in checklist {
        let field = compliance_field(&r.paragraph);
        let typed = value(&field).trim();
        let compliance = if typed.is_empty() {
            None
        } else {
            let parsed = Compliance::parse(typed);
            if parsed.is_none() {
                errors.add(
                    &field,
                    format!("Select yes, partly or no for {} {}", r.paragraph, r.section),
                );
            }
            parsed
        };
        let note_field = commentary_field(&r.paragraph);
        let commentary = value(&note_field).trim().to_string();
        if commentary.chars().count() > COMMENTARY_LIMIT {
            errors.add(
                &note_field,
                format!(
                    "The commentary on {} must be 5,000 characters or fewer",
                    r.paragraph
                ),
            );
        }
        if compliance.is_some() || !commentary.is_empty() {
            answers.insert(
                r.paragraph.clone(),
                Answer {
                    compliance,
                    commentary,
                },
            );
        }
    }
    (answers, errors)
}

/// A save of the year's answers by `actor`, over the version they loaded (0: none yet), with
/// the evidence files added and removed in the same post.
pub struct SaveCommand {
    pub year: i32,
    pub seen: i32,
    pub answers: Answers,
    pub documents: documents::Changes,
    pub actor: UserId,
    pub actor_label: String,
    pub ip: Option<String>,
    pub at: NaiveDateTime,
}

/// Why nothing was saved.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Refused {
    /// Someone saved the answers since the form was opened.
    Stale,
    /// The files cannot change (the year is published, or a file was removed meanwhile).
    Files(documents::Refused),
}

/// What a save did: the answers' version now, and the files added and removed, in words.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SaveDone {
    pub version: i32,
    pub answers_saved: bool,
    /// Each file added or removed, where, in words.
    pub files: Vec<(documents::Slot, String)>,
}

/// Saves and audits the answers and the files in one transaction; a refused save writes
/// nothing. Answers unchanged since they were stored are not saved again when the post only
/// adds or removes files (so an upload does not move the version on, nor clash with a save
/// by someone else).
pub fn save(
    conn: &mut DbConnection,
    cmd: SaveCommand,
) -> diesel::QueryResult<Result<SaveDone, Refused>> {
    conn.transaction(|conn| {
        if let Err(why) = documents::check(conn, cmd.year, &cmd.documents)? {
            return Ok(Err(Refused::Files(why)));
        }
        let (stored, version) = load(conn, cmd.year)?;
        let answers_saved = cmd.documents.is_empty() || stored != cmd.answers;
        let version = if answers_saved {
            let Ok(version) = table::save_self_assessment(
                conn,
                cmd.year,
                cmd.seen,
                &to_json(&cmd.answers),
                cmd.actor,
                cmd.at,
            )?
            else {
                return Ok(Err(Refused::Stale));
            };
            let answered = cmd
                .answers
                .values()
                .filter(|a| a.compliance.is_some())
                .count();
            audit::record(
                conn,
                &AuditEntry::new(
                    Some(cmd.actor),
                    cmd.actor_label.clone(),
                    "self_assessment_saved",
                    format!("self-assessment:{}", cmd.year),
                    format!("version {version}, {answered} requirements answered"),
                    cmd.ip.as_deref(),
                ),
            )?;
            version
        } else {
            version
        };
        let by = documents::By {
            id: cmd.actor,
            label: &cmd.actor_label,
            ip: cmd.ip.as_deref(),
            at: cmd.at,
        };
        let files = documents::apply(conn, cmd.year, &cmd.documents, &by)?;
        Ok(Ok(SaveDone {
            version,
            answers_saved,
            files,
        }))
    })
}

/// The year's answers and their version (0: none saved yet).
pub fn load(conn: &mut DbConnection, year: i32) -> diesel::QueryResult<(Answers, i32)> {
    Ok(match table::self_assessment(conn, year)? {
        Some(row) => (from_json(&row.answers), row.version),
        None => (Answers::new(), 0),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn req(paragraph: &str) -> Requirement {
        Requirement {
            paragraph: paragraph.into(),
            section: "6 Stage 1".into(),
            text: "x".into(),
            evidence: None,
        }
    }

    #[test]
    fn the_form_is_read_per_requirement_and_bad_answers_are_named() {
        let list = [req("6.3"), req("6.4"), req("6.5")];
        let pairs: Vec<(String, String)> = [
            ("compliance-6-3", "partly"),
            ("commentary-6-3", " Two late "),
            ("compliance-6-4", "maybe"),
            ("compliance-9-9", "yes"),
        ]
        .iter()
        .map(|(a, b)| (a.to_string(), b.to_string()))
        .collect();
        let (answers, errors) = parse_form(&list, &pairs);
        assert_eq!(answers["6.3"].compliance, Some(Compliance::Partly));
        assert_eq!(answers["6.3"].commentary, "Two late");
        assert!(!answers.contains_key("6.5"));
        assert!(errors.has("compliance-6-4"));
        assert_eq!(errors.len(), 1);
    }

    #[test]
    fn answers_round_trip() {
        let mut a = Answers::new();
        a.insert(
            "6.3".into(),
            Answer {
                compliance: Some(Compliance::Partly),
                commentary: "Two late responses in March".into(),
            },
        );
        assert_eq!(from_json(&to_json(&a)), a);
        assert_eq!(Compliance::parse("no"), Some(Compliance::No));
        assert_eq!(Compliance::parse("maybe"), None);
    }
}
