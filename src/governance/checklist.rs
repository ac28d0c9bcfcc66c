//! The self-assessment checklist: one requirement per Code paragraph, read from a TOML file
//! the landlord may edit (`[governance] checklist`, by default `config/self-assessment.toml`).

use std::path::Path;

use serde::Deserialize;

/// Figures Redress can compute for a requirement (see [`super::evidence`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Evidence {
    Exclusions,
    Stage0,
    Stage1Timescales,
    Stage2Timescales,
    Extensions,
    Stage2Independence,
    Remedies,
    Learning,
}

#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Requirement {
    /// The Code's paragraph, e.g. "6.3": the answer's key.
    pub paragraph: String,
    pub section: String,
    pub text: String,
    #[serde(default)]
    pub evidence: Option<Evidence>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct File {
    requirement: Vec<Requirement>,
}

#[derive(Debug, thiserror::Error)]
pub enum ChecklistError {
    #[error("the self-assessment checklist {0} cannot be read: {1}")]
    Read(String, std::io::Error),
    #[error("the self-assessment checklist {0} is not valid: {1}")]
    Invalid(String, String),
}

pub fn parse(text: &str, name: &str) -> Result<Vec<Requirement>, ChecklistError> {
    let file: File =
        toml::from_str(text).map_err(|e| ChecklistError::Invalid(name.into(), e.to_string()))?;
    let mut seen = std::collections::BTreeSet::new();
    for r in &file.requirement {
        if !seen.insert(r.paragraph.clone()) {
            return Err(ChecklistError::Invalid(
                name.into(),
                format!("paragraph {} is listed twice", r.paragraph),
            ));
        }
    }
    Ok(file.requirement)
}

pub fn load(path: &Path) -> Result<Vec<Requirement>, ChecklistError> {
    let name = path.display().to_string();
    let text = std::fs::read_to_string(path).map_err(|e| ChecklistError::Read(name.clone(), e))?;
    parse(&text, &name)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_shipped_checklist_covers_every_section_of_the_code() {
        let list = load(Path::new(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/config/self-assessment.toml"
        )))
        .unwrap();
        for section in 1..=9 {
            assert!(
                list.iter()
                    .any(|r| r.section.starts_with(&format!("{section} "))),
                "section {section}"
            );
        }
        assert!(list
            .iter()
            .any(|r| r.paragraph == "6.13" && r.evidence == Some(Evidence::Stage2Independence)));
    }

    #[test]
    fn a_paragraph_listed_twice_is_refused() {
        let text = "[[requirement]]\nparagraph = \"1.2\"\nsection = \"1\"\ntext = \"a\"\n\
                    [[requirement]]\nparagraph = \"1.2\"\nsection = \"1\"\ntext = \"b\"\n";
        assert!(parse(text, "t").is_err());
    }
}
