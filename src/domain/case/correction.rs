//! Corrections made after logging (issue 20): what changed, as a timeline reads it.
//!
//! Three kinds of change, kept apart by type so the rule is not a convention:
//! - **state-bearing** (channel, received date, the health-and-safety and safeguarding flags,
//!   case officer, service area) carry typed old and new values, which
//!   [`CaseState`](super::CaseState) applies when it replays the timeline;
//! - **case fields** (category, contractor, occurred and aware dates, tenancy relationship,
//!   confidential) carry old → new as words, for the timeline only;
//! - **identity, contact, vulnerability, adjustment and description** fields say only which
//!   field changed, never a value: managers read the timeline, and a confidential
//!   complainant's details (or a note about their health) must not reach them through it.
//!   The property is one of these: its address is part of a confidential complainant's
//!   identity, and render-time redaction only knows the current address, not an old one.

use std::fmt;

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use super::event::long_date;
use super::vocabulary::{Channel, TenancyRelationship};
use crate::domain::ids::{ServiceAreaId, UserId};
use crate::rules::Stage;

/// A member of staff or service area as the timeline names it: the id the state keeps and
/// the name people read (as it was when the change was made).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Named<Id> {
    pub id: Id,
    pub name: String,
}

/// Which identity, contact or sensitive field changed (the value is never recorded).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PrivateField {
    Name,
    Address,
    Postcode,
    Telephone,
    Email,
    PreferredContact,
    Adjustments,
    InterpreterLanguage,
    VulnerabilityNotes,
    Property,
    Description,
    OutcomeSought,
}

impl PrivateField {
    pub fn label(self) -> &'static str {
        match self {
            PrivateField::Name => "Name",
            PrivateField::Address => "Address",
            PrivateField::Postcode => "Postcode",
            PrivateField::Telephone => "Telephone number",
            PrivateField::Email => "Email address",
            PrivateField::PreferredContact => "Preferred way to be contacted",
            PrivateField::Adjustments => "Reasonable adjustments",
            PrivateField::InterpreterLanguage => "Interpreter language",
            PrivateField::VulnerabilityNotes => "Vulnerability notes",
            PrivateField::Property => "Property",
            PrivateField::Description => "Description of the complaint",
            PrivateField::OutcomeSought => "Outcome sought",
        }
    }
}

/// One field corrected after logging.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "field", rename_all = "snake_case")]
pub enum Correction {
    // State-bearing: typed old and new values.
    Channel {
        from: Channel,
        to: Channel,
    },
    Received {
        from: NaiveDate,
        to: NaiveDate,
    },
    HealthAndSafety {
        to: bool,
    },
    Safeguarding {
        to: bool,
    },
    CaseOfficer {
        from: Option<Named<UserId>>,
        to: Named<UserId>,
    },
    ServiceArea {
        from: Option<Named<ServiceAreaId>>,
        to: Named<ServiceAreaId>,
    },
    // Case fields: old → new as words ("None" when there was none).
    Category {
        from: Option<String>,
        to: Option<String>,
    },
    Contractor {
        from: Option<String>,
        to: Option<String>,
    },
    Occurred {
        from: Option<NaiveDate>,
        to: NaiveDate,
    },
    Aware {
        from: Option<NaiveDate>,
        to: Option<NaiveDate>,
    },
    Tenancy {
        from: TenancyRelationship,
        to: TenancyRelationship,
    },
    Confidential {
        to: bool,
    },
    // Which field only.
    Private {
        which: PrivateField,
    },
    /// After acknowledgement the complaint definition is amended, not rewritten: the
    /// stage's points were replaced, for the reason given (the points stay off the timeline,
    /// like the description they come from).
    ComplaintPoints {
        stage: Stage,
        reason: String,
    },
}

impl Correction {
    /// The field's name for the audit log (field names and ids only, never values).
    pub fn field(&self) -> &'static str {
        match self {
            Correction::Channel { .. } => "channel",
            Correction::Received { .. } => "received date",
            Correction::HealthAndSafety { .. } => "health and safety flag",
            Correction::Safeguarding { .. } => "safeguarding flag",
            Correction::CaseOfficer { .. } => "case officer",
            Correction::ServiceArea { .. } => "service area",
            Correction::Category { .. } => "category",
            Correction::Contractor { .. } => "contractor",
            Correction::Occurred { .. } => "date the problem happened",
            Correction::Aware { .. } => "date the resident became aware",
            Correction::Tenancy { .. } => "tenancy relationship",
            Correction::Confidential { .. } => "confidential flag",
            Correction::ComplaintPoints { .. } => "complaint points",
            Correction::Private { which } => match which {
                PrivateField::Name => "name",
                PrivateField::Address => "address",
                PrivateField::Postcode => "postcode",
                PrivateField::Telephone => "telephone number",
                PrivateField::Email => "email address",
                PrivateField::PreferredContact => "preferred contact",
                PrivateField::Adjustments => "reasonable adjustments",
                PrivateField::InterpreterLanguage => "interpreter language",
                PrivateField::VulnerabilityNotes => "vulnerability notes",
                PrivateField::Property => "property",
                PrivateField::Description => "description",
                PrivateField::OutcomeSought => "outcome sought",
            },
        }
    }

    /// The ids a change names, for the audit log (`user:7`, `service_area:2`).
    pub fn ids(&self) -> Vec<String> {
        match self {
            Correction::CaseOfficer { from, to } => from
                .iter()
                .chain(std::iter::once(to))
                .map(|n| format!("user:{}", n.id))
                .collect(),
            Correction::ServiceArea { from, to } => from
                .iter()
                .chain(std::iter::once(to))
                .map(|n| format!("service_area:{}", n.id))
                .collect(),
            _ => Vec::new(),
        }
    }
}

fn words(value: &Option<String>) -> &str {
    value.as_deref().unwrap_or("none")
}

fn maybe_date(value: &Option<NaiveDate>) -> String {
    value.map_or_else(|| "not given".to_string(), long_date)
}

fn flag(f: &mut fmt::Formatter<'_>, what: &str, on: bool) -> fmt::Result {
    if on {
        write!(f, "Marked as {what}")
    } else {
        write!(f, "No longer marked as {what}")
    }
}

impl fmt::Display for Correction {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Correction::Channel { from, to } => write!(
                f,
                "How received changed from {} to {}",
                from.label().to_lowercase(),
                to.label().to_lowercase()
            ),
            Correction::Received { from, to } => write!(
                f,
                "Received date changed from {} to {}",
                long_date(*from),
                long_date(*to)
            ),
            Correction::HealthAndSafety { to } => flag(f, "health and safety", *to),
            Correction::Safeguarding { to } => flag(f, "safeguarding", *to),
            Correction::CaseOfficer { from, to } => match from {
                Some(from) => write!(f, "Case officer changed from {} to {}", from.name, to.name),
                None => write!(f, "Case officer set to {}", to.name),
            },
            Correction::ServiceArea { from, to } => match from {
                Some(from) => write!(f, "Service area changed from {} to {}", from.name, to.name),
                None => write!(f, "Service area set to {}", to.name),
            },
            Correction::Category { from, to } => {
                write!(f, "Category changed from {} to {}", words(from), words(to))
            }
            Correction::Contractor { from, to } => write!(
                f,
                "Contractor changed from {} to {}",
                words(from),
                words(to)
            ),
            Correction::Occurred { from, to } => write!(
                f,
                "Date the problem happened changed from {} to {}",
                maybe_date(from),
                long_date(*to)
            ),
            Correction::Aware { from, to } => write!(
                f,
                "Date the resident became aware changed from {} to {}",
                maybe_date(from),
                maybe_date(to)
            ),
            Correction::Tenancy { from, to } => write!(
                f,
                "Relationship to the home changed from {} to {}",
                from.label().to_lowercase(),
                to.label().to_lowercase()
            ),
            Correction::Confidential { to } => {
                if *to {
                    f.write_str("Complainant marked as confidential")
                } else {
                    f.write_str("Complainant no longer confidential")
                }
            }
            Correction::Private { which } => write!(f, "{} changed", which.label()),
            Correction::ComplaintPoints { stage, reason } => {
                write!(f, "{} complaint points amended: {reason}", stage.label())
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    #[test]
    fn the_timeline_reads_old_and_new_for_case_fields() {
        assert_eq!(
            Correction::Received {
                from: d(2026, 3, 2),
                to: d(2026, 2, 28)
            }
            .to_string(),
            "Received date changed from 2 March 2026 to 28 February 2026"
        );
        assert_eq!(
            Correction::Channel {
                from: Channel::Phone,
                to: Channel::WebForm
            }
            .to_string(),
            "How received changed from phone to web form"
        );
        assert_eq!(
            Correction::Category {
                from: None,
                to: Some("Damp and mould".into())
            }
            .to_string(),
            "Category changed from none to Damp and mould"
        );
        assert_eq!(
            Correction::CaseOfficer {
                from: Some(Named {
                    id: UserId(3),
                    name: "Emma Carter".into()
                }),
                to: Named {
                    id: UserId(4),
                    name: "Tom Reed".into()
                },
            }
            .to_string(),
            "Case officer changed from Emma Carter to Tom Reed"
        );
        assert_eq!(
            Correction::HealthAndSafety { to: true }.to_string(),
            "Marked as health and safety"
        );
    }

    #[test]
    fn private_fields_say_which_changed_and_nothing_else() {
        let change = Correction::Private {
            which: PrivateField::Telephone,
        };
        assert_eq!(change.to_string(), "Telephone number changed");
        let json = serde_json::to_string(&change).unwrap();
        assert_eq!(json, r#"{"field":"private","which":"telephone"}"#);
        assert_eq!(serde_json::from_str::<Correction>(&json).unwrap(), change);
    }

    #[test]
    fn the_audit_names_fields_and_ids() {
        let change = Correction::ServiceArea {
            from: None,
            to: Named {
                id: ServiceAreaId(2),
                name: "Repairs".into(),
            },
        };
        assert_eq!(change.field(), "service area");
        assert_eq!(change.ids(), ["service_area:2"]);
    }
}
