//! Checking a new complaint as typed into a form: the officer's "log a complaint" form
//! ([`validate`]) and the public form at `/complain` ([`validate_public`]), which share the
//! same field rules. Errors follow the GOV.UK design system: one message per field, keyed by
//! the HTML id the error summary links to, in page order. A complaint past the profile's
//! exclusion time limit is a [`Warning`], not an error: it may still be logged.

use chrono::NaiveDate;
use serde::Deserialize;

use super::vocabulary::{
    Adjustment, Channel, ContactMethod, RepresentativeRelationship, TenancyRelationship,
};
use crate::domain::contact::{PhoneNumber, Postcode};
use crate::domain::date_input::DateField;
use crate::domain::email::Email;
use crate::domain::ids::{CategoryId, ContractorId, PropertyId};
use crate::rules::{outside_exclusion_limit, PolicyProfile};

pub const NAME_MAX: usize = 200;
pub const ADDRESS_LINE_MAX: usize = 200;
pub const LANGUAGE_MAX: usize = 100;
pub const DESCRIPTION_MAX: usize = 5_000;
pub const OUTCOME_SOUGHT_MAX: usize = 2_000;
pub const VULNERABILITY_NOTES_MAX: usize = 2_000;

/// `(HTML field id, message)`, in page order, at most one per field.
pub use crate::domain::FieldErrors;

/// Something staff should know before saving, which does not stop it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Warning {
    /// The HTML id the warning is about.
    pub field: String,
    pub message: String,
}

/// The form as posted: every value a string (checkbox groups a list, single checkboxes a
/// bool). Field names match the form's `name` attributes; the public form leaves the
/// staff-only ones empty.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(default)]
pub struct RawComplaint {
    /// Staff only: the complainant did not give their identity.
    pub anonymous: bool,
    pub complainant_name: String,
    pub email: String,
    pub phone: String,
    pub address_line_1: String,
    pub address_line_2: String,
    pub address_town: String,
    pub address_postcode: String,
    /// `letter`, `email` or `phone`; optional.
    pub preferred_contact: String,
    pub tenancy_relationship: String,
    pub adjustments: Vec<String>,
    pub interpreter_language: String,
    /// Staff only.
    pub vulnerability_notes: String,
    pub representative_name: String,
    pub representative_relationship: String,
    /// How letters reach the representative once consent is recorded (all optional).
    pub representative_email: String,
    pub representative_phone: String,
    pub representative_address_line_1: String,
    pub representative_address_line_2: String,
    pub representative_address_town: String,
    pub representative_address_postcode: String,
    /// Staff only: the date consent was received.
    pub representative_consent_day: String,
    pub representative_consent_month: String,
    pub representative_consent_year: String,
    /// Public form only: "I agree to this person acting for me" (consent dated today).
    pub representative_consent: bool,
    /// Staff only.
    pub channel: String,
    /// Staff only.
    pub received_day: String,
    pub received_month: String,
    pub received_year: String,
    pub occurred_day: String,
    pub occurred_month: String,
    pub occurred_year: String,
    pub aware_day: String,
    pub aware_month: String,
    pub aware_year: String,
    /// Staff only.
    pub property_id: String,
    /// Staff only.
    pub category_id: String,
    /// Staff only.
    pub contractor_id: String,
    pub description: String,
    pub outcome_sought: String,
    /// Staff only.
    pub health_and_safety: bool,
    /// Staff only.
    pub safeguarding: bool,
    /// Staff only.
    pub confidential: bool,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Address {
    pub line_1: String,
    pub line_2: Option<String>,
    pub town: String,
    pub postcode: Postcode,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ComplainantDetails {
    pub anonymous: bool,
    /// Absent only for an anonymous complainant.
    pub name: Option<String>,
    pub email: Option<Email>,
    pub phone: Option<PhoneNumber>,
    pub address: Option<Address>,
    pub preferred_contact: Option<ContactMethod>,
    pub tenancy: Option<TenancyRelationship>,
    pub adjustments: Vec<Adjustment>,
    /// Present only when an interpreter is needed.
    pub interpreter_language: Option<String>,
    pub vulnerability_notes: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RepresentativeDetails {
    pub name: String,
    pub relationship: RepresentativeRelationship,
    pub email: Option<Email>,
    pub phone: Option<PhoneNumber>,
    pub address: Option<Address>,
    /// Letters go to the representative only once consent is recorded, so then an email or
    /// postal address is required.
    pub consent_received: Option<NaiveDate>,
}

impl RepresentativeDetails {
    /// The postal address as stored (the representatives table has one address column): one
    /// line per part, the postcode last, which is how letters split it back into lines.
    pub fn address_text(&self) -> Option<String> {
        self.address.as_ref().map(|a| {
            [
                Some(a.line_1.as_str()),
                a.line_2.as_deref(),
                Some(a.town.as_str()),
                Some(a.postcode.as_str()),
            ]
            .into_iter()
            .flatten()
            .collect::<Vec<_>>()
            .join("\n")
        })
    }
}

/// The representative's fields as typed: on the logging forms, or the case's own
/// "representative" form ([`validate_representative`]).
#[derive(Debug, Clone, Copy)]
pub struct RepresentativeInput<'a> {
    pub name: &'a str,
    pub relationship: &'a str,
    pub email: &'a str,
    pub phone: &'a str,
    pub address: AddressInput<'a>,
    pub consent: ConsentInput<'a>,
}

/// A postal address as typed, in four boxes.
#[derive(Debug, Clone, Copy)]
pub struct AddressInput<'a> {
    pub line_1: &'a str,
    pub line_2: &'a str,
    pub town: &'a str,
    pub postcode: &'a str,
}

impl AddressInput<'_> {
    fn given(&self) -> bool {
        [self.line_1, self.line_2, self.town, self.postcode]
            .iter()
            .any(|part| !part.trim().is_empty())
    }
}

/// Staff type the date consent was received; the public form has an "I agree" box.
#[derive(Debug, Clone, Copy)]
pub enum ConsentInput<'a> {
    Date {
        day: &'a str,
        month: &'a str,
        year: &'a str,
    },
    Agreed(bool),
}

impl RawComplaint {
    fn representative_input(&self, audience: Audience) -> RepresentativeInput<'_> {
        RepresentativeInput {
            name: &self.representative_name,
            relationship: &self.representative_relationship,
            email: &self.representative_email,
            phone: &self.representative_phone,
            address: AddressInput {
                line_1: &self.representative_address_line_1,
                line_2: &self.representative_address_line_2,
                town: &self.representative_address_town,
                postcode: &self.representative_address_postcode,
            },
            consent: match audience {
                Audience::Staff => ConsentInput::Date {
                    day: &self.representative_consent_day,
                    month: &self.representative_consent_month,
                    year: &self.representative_consent_year,
                },
                Audience::Public => ConsentInput::Agreed(self.representative_consent),
            },
        }
    }

    fn address_input(&self) -> AddressInput<'_> {
        AddressInput {
            line_1: &self.address_line_1,
            line_2: &self.address_line_2,
            town: &self.address_town,
            postcode: &self.address_postcode,
        }
    }
}

/// A complaint that passed every check, ready to be logged as a `received` case.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ValidComplaint {
    pub complainant: ComplainantDetails,
    pub representative: Option<RepresentativeDetails>,
    pub channel: Channel,
    pub received: NaiveDate,
    pub occurred: NaiveDate,
    pub aware: Option<NaiveDate>,
    pub property: Option<PropertyId>,
    pub category: Option<CategoryId>,
    pub contractor: Option<ContractorId>,
    pub description: String,
    pub outcome_sought: Option<String>,
    pub health_and_safety: bool,
    pub safeguarding: bool,
    pub confidential: bool,
    /// Past the profile's exclusion time limit (a warning was given).
    pub outside_time_limit: bool,
}

/// The result of a validation: the complaint and its warnings, or the errors and warnings.
pub type Validation = Result<(ValidComplaint, Vec<Warning>), (FieldErrors, Vec<Warning>)>;

/// Checks the officer's "log a complaint" form.
pub fn validate(raw: &RawComplaint, profile: &PolicyProfile, today: NaiveDate) -> Validation {
    check(raw, profile, today, Audience::Staff)
}

/// Checks the public form: the channel is the web form, the complaint is received today,
/// and staff-only fields are ignored.
pub fn validate_public(
    raw: &RawComplaint,
    profile: &PolicyProfile,
    today: NaiveDate,
) -> Validation {
    check(raw, profile, today, Audience::Public)
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Audience {
    Staff,
    Public,
}

impl Audience {
    /// Picks the message for the audience: staff talk about "the complainant", the public
    /// form says "you".
    fn say(self, staff: &'static str, public: &'static str) -> &'static str {
        match self {
            Audience::Staff => staff,
            Audience::Public => public,
        }
    }
}

/// Trims; empty means not given. Too long is an error on `field`.
fn text(
    errors: &mut FieldErrors,
    field: &str,
    value: &str,
    max: usize,
    label: &str,
) -> Option<String> {
    let value = value.trim();
    if value.is_empty() {
        return None;
    }
    if value.chars().count() > max {
        errors.add(
            field,
            format!(
                "{label} must be {} characters or fewer",
                crate::domain::number::thousands(max as i64)
            ),
        );
    }
    Some(value.to_string())
}

fn optional_id(errors: &mut FieldErrors, field: &str, value: &str, message: &str) -> Option<i32> {
    let value = value.trim();
    if value.is_empty() {
        return None;
    }
    match value.parse::<i32>() {
        Ok(id) if id > 0 => Some(id),
        _ => {
            errors.add(field, message);
            None
        }
    }
}

pub const RECEIVED: DateField = DateField {
    id: "received",
    label: "Date received",
    missing: "Enter the date the complaint was received",
};

pub const OCCURRED: DateField = DateField {
    id: "occurred",
    label: "Date the problem happened",
    missing: "Enter the date the problem happened",
};

pub const AWARE_STAFF: DateField = DateField {
    id: "aware",
    label: "Date the resident became aware",
    missing: "",
};

const AWARE_PUBLIC: DateField = DateField {
    id: "aware",
    label: "Date you became aware",
    missing: "",
};

const CONSENT: DateField = DateField {
    id: "representative-consent",
    label: "Date consent was given",
    missing: "",
};

fn check(
    raw: &RawComplaint,
    profile: &PolicyProfile,
    today: NaiveDate,
    audience: Audience,
) -> Validation {
    let staff = audience == Audience::Staff;
    let mut errors = FieldErrors::new();
    let anonymous = staff && raw.anonymous;

    // Who they are.
    let name = text(
        &mut errors,
        "complainant-name",
        &raw.complainant_name,
        NAME_MAX,
        "Name",
    );
    if name.is_none() && !anonymous {
        errors.add(
            "complainant-name",
            audience.say("Enter the complainant's name", "Enter your name"),
        );
    }

    // Errors are listed in the form's order: the relationship comes before contact.
    let tenancy_message = audience.say(
        "Select the complainant's relationship to the home, like tenant or leaseholder",
        "Select whether you are a tenant, leaseholder or something else",
    );
    let tenancy = match raw.tenancy_relationship.trim() {
        "" => {
            if !anonymous {
                errors.add("tenancy-relationship", tenancy_message);
            }
            None
        }
        value => match value.parse::<TenancyRelationship>() {
            Ok(tenancy) => Some(tenancy),
            Err(_) => {
                errors.add("tenancy-relationship", tenancy_message);
                None
            }
        },
    };

    // How to contact them.
    let email = match raw.email.trim() {
        "" => None,
        value => errors.take(Email::parse(value).map_err(|m| ("email".into(), m.into()))),
    };
    let phone = match raw.phone.trim() {
        "" => None,
        value => errors.take(PhoneNumber::parse(value).map_err(|m| ("phone".into(), m.into()))),
    };
    let address = address(&mut errors, "", raw.address_input());
    let any_contact =
        !raw.email.trim().is_empty() || !raw.phone.trim().is_empty() || raw.address_input().given();
    if !any_contact && !anonymous {
        errors.add(
            "email",
            audience.say(
                "Enter at least one way to contact the complainant: email, telephone or postal address",
                "Enter at least one way to contact you: email, telephone or postal address",
            ),
        );
    }
    let preferred_contact = match raw.preferred_contact.trim() {
        "" => None,
        value => match value.parse::<ContactMethod>() {
            Ok(method) => Some(method),
            Err(_) => {
                errors.add(
                    "preferred-contact",
                    audience.say(
                        "Select how the complainant prefers to be contacted",
                        "Select how you prefer to be contacted",
                    ),
                );
                None
            }
        },
    };
    match preferred_contact {
        Some(ContactMethod::Email) if raw.email.trim().is_empty() => errors.add(
            "email",
            "Enter an email address, or choose another preferred way to be contacted",
        ),
        Some(ContactMethod::Phone) if raw.phone.trim().is_empty() => errors.add(
            "phone",
            "Enter a telephone number, or choose another preferred way to be contacted",
        ),
        Some(ContactMethod::Letter) if !raw.address_input().given() => errors.add(
            "address-line-1",
            "Enter an address, or choose another preferred way to be contacted",
        ),
        _ => {}
    }

    // Reasonable adjustments.
    let (adjustments, interpreter_language) = adjustments_and_language(
        &mut errors,
        &raw.adjustments,
        &raw.interpreter_language,
        audience.say(
            "Enter the language the complainant needs an interpreter for",
            "Enter the language you need an interpreter for",
        ),
    );
    let vulnerability_notes = if staff {
        text(
            &mut errors,
            "vulnerability-notes",
            &raw.vulnerability_notes,
            VULNERABILITY_NOTES_MAX,
            "Vulnerability notes",
        )
    } else {
        None
    };

    let representative = representative(
        &mut errors,
        raw.representative_input(audience),
        profile,
        today,
        audience,
    );

    // The complaint.
    let channel = if staff {
        match raw.channel.trim().parse::<Channel>() {
            Ok(channel) => Some(channel),
            Err(_) => {
                errors.add("channel", "Select how the complaint was received");
                None
            }
        }
    } else {
        Some(Channel::WebForm)
    };
    let received = if staff {
        errors
            .take(RECEIVED.parse_not_future(
                &raw.received_day,
                &raw.received_month,
                &raw.received_year,
                true,
                today,
            ))
            .flatten()
    } else {
        Some(today)
    };
    let occurred = errors
        .take(OCCURRED.parse_not_future(
            &raw.occurred_day,
            &raw.occurred_month,
            &raw.occurred_year,
            true,
            today,
        ))
        .flatten();
    if let (Some(occurred), Some(received)) = (occurred, received) {
        if occurred > received {
            errors.add(
                "occurred-day",
                "Date the problem happened must be the same as or before the date received",
            );
        }
    }
    let aware_field = if staff { AWARE_STAFF } else { AWARE_PUBLIC };
    let aware = errors
        .take(aware_field.parse_not_future(
            &raw.aware_day,
            &raw.aware_month,
            &raw.aware_year,
            false,
            today,
        ))
        .flatten();
    if let Some(aware) = aware {
        if occurred.is_some_and(|occurred| aware < occurred) {
            errors.add(
                "aware-day",
                format!(
                    "{} must be the same as or after the date the problem happened",
                    aware_field.label
                ),
            );
        } else if received.is_some_and(|received| aware > received) {
            errors.add(
                "aware-day",
                format!(
                    "{} must be the same as or before the date received",
                    aware_field.label
                ),
            );
        }
    }

    let (property, category, contractor) = if staff {
        (
            optional_id(
                &mut errors,
                "property",
                &raw.property_id,
                "Select a property from the list",
            )
            .map(PropertyId),
            optional_id(
                &mut errors,
                "category",
                &raw.category_id,
                "Select a category from the list",
            )
            .map(CategoryId),
            optional_id(
                &mut errors,
                "contractor",
                &raw.contractor_id,
                "Select a contractor from the list",
            )
            .map(ContractorId),
        )
    } else {
        (None, None, None)
    };

    let description = text(
        &mut errors,
        "description",
        &raw.description,
        DESCRIPTION_MAX,
        audience.say("Description", "What happened"),
    );
    if description.is_none() {
        errors.add(
            "description",
            audience.say(
                "Enter a description of the complaint",
                "Enter what happened",
            ),
        );
    }
    let outcome_sought = text(
        &mut errors,
        "outcome-sought",
        &raw.outcome_sought,
        OUTCOME_SOUGHT_MAX,
        audience.say("Outcome sought", "What would put things right"),
    );

    let health_and_safety = staff && raw.health_and_safety;
    let safeguarding = staff && raw.safeguarding;

    // The time limit: a warning, never an error.
    let mut warnings = Vec::new();
    let outside_time_limit = match (occurred, received) {
        (Some(occurred), Some(received)) => {
            outside_exclusion_limit(profile, occurred, aware, received)
        }
        _ => false,
    };
    if outside_time_limit {
        let months = profile.exclusion_limit_months().unwrap_or_default();
        let mut message = format!(
            "The complaint was received more than {months} months after the problem happened or the resident became aware of it, which is past the time limit set by {}. You can still log it; it may be excluded at triage.",
            profile.display_name()
        );
        if health_and_safety || safeguarding {
            message.push_str(
                " A health and safety or safeguarding complaint cannot be excluded for this reason.",
            );
        }
        warnings.push(Warning {
            field: "occurred-day".to_string(),
            message,
        });
    }

    if !errors.is_empty() {
        return Err((errors, warnings));
    }
    let (Some(channel), Some(received), Some(occurred), Some(description)) =
        (channel, received, occurred, description)
    else {
        // Each is reported above when missing, so errors cannot be empty here.
        return Err((errors, warnings));
    };
    let complaint = ValidComplaint {
        complainant: ComplainantDetails {
            anonymous,
            name,
            email,
            phone,
            address,
            preferred_contact,
            tenancy,
            adjustments,
            interpreter_language,
            vulnerability_notes,
        },
        representative,
        channel,
        received,
        occurred,
        aware,
        property,
        category,
        contractor,
        description,
        outcome_sought,
        health_and_safety,
        safeguarding,
        confidential: staff && raw.confidential,
        outside_time_limit,
    };
    Ok((complaint, warnings))
}

/// An address is optional, but once any part is given, line 1, town and postcode are needed.
/// `prefix` starts each box's HTML id ("" for the complainant, "representative-").
fn address(errors: &mut FieldErrors, prefix: &str, input: AddressInput<'_>) -> Option<Address> {
    if !input.given() {
        return None;
    }
    let id = |part: &str| format!("{prefix}address-{part}");
    let line_1 = text(
        errors,
        &id("line-1"),
        input.line_1,
        ADDRESS_LINE_MAX,
        "Address line 1",
    );
    if line_1.is_none() {
        errors.add(
            &id("line-1"),
            "Enter address line 1, typically the building and street",
        );
    }
    let line_2 = text(
        errors,
        &id("line-2"),
        input.line_2,
        ADDRESS_LINE_MAX,
        "Address line 2",
    );
    let town = text(
        errors,
        &id("town"),
        input.town,
        ADDRESS_LINE_MAX,
        "Town or city",
    );
    if town.is_none() {
        errors.add(&id("town"), "Enter town or city");
    }
    let postcode =
        errors.take(Postcode::parse(input.postcode).map_err(|m| (id("postcode"), m.into())));
    Some(Address {
        line_1: line_1?,
        line_2,
        town: town?,
        postcode: postcode?,
    })
}

/// The complainant's name and contact details as typed on the case's "change" form.
#[derive(Debug, Clone, Copy)]
pub struct ContactInput<'a> {
    pub name: &'a str,
    pub email: &'a str,
    pub phone: &'a str,
    pub address: AddressInput<'a>,
    pub preferred_contact: &'a str,
    pub tenancy: &'a str,
}

/// The complainant's contact details as corrected after logging.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ContactDetails {
    pub name: String,
    pub email: Option<Email>,
    pub phone: Option<PhoneNumber>,
    pub address: Option<Address>,
    pub preferred_contact: ContactMethod,
    pub tenancy: TenancyRelationship,
}

impl Address {
    /// The address lines as stored (the postcode is kept apart): one line per part.
    pub fn lines_text(&self) -> String {
        [
            Some(self.line_1.as_str()),
            self.line_2.as_deref(),
            Some(self.town.as_str()),
        ]
        .into_iter()
        .flatten()
        .collect::<Vec<_>>()
        .join("\n")
    }
}

/// Checks the complainant's "change contact details" form (staff): the field rules of the
/// logging form, with a name, a relationship to the home, one way to reach them and a
/// preferred way that has its details.
pub fn validate_contact(input: ContactInput<'_>) -> Result<ContactDetails, FieldErrors> {
    let mut errors = FieldErrors::new();
    let name = text(
        &mut errors,
        "complainant-name",
        input.name,
        NAME_MAX,
        "Name",
    );
    if name.is_none() {
        errors.add("complainant-name", "Enter the complainant's name");
    }
    let tenancy = input.tenancy.trim().parse::<TenancyRelationship>().ok();
    if tenancy.is_none() {
        errors.add(
            "tenancy-relationship",
            "Select the complainant's relationship to the home, like tenant or leaseholder",
        );
    }
    let email = match input.email.trim() {
        "" => None,
        value => errors.take(Email::parse(value).map_err(|m| ("email".into(), m.into()))),
    };
    let phone = match input.phone.trim() {
        "" => None,
        value => errors.take(PhoneNumber::parse(value).map_err(|m| ("phone".into(), m.into()))),
    };
    let address = address(&mut errors, "", input.address);
    if input.email.trim().is_empty() && input.phone.trim().is_empty() && !input.address.given() {
        errors.add(
            "email",
            "Enter at least one way to contact the complainant: email, telephone or postal address",
        );
    }
    let preferred = input.preferred_contact.trim().parse::<ContactMethod>().ok();
    match preferred {
        None => errors.add(
            "preferred-contact",
            "Select how the complainant prefers to be contacted",
        ),
        Some(ContactMethod::Email) if input.email.trim().is_empty() => errors.add(
            "email",
            "Enter an email address, or choose another preferred way to be contacted",
        ),
        Some(ContactMethod::Phone) if input.phone.trim().is_empty() => errors.add(
            "phone",
            "Enter a telephone number, or choose another preferred way to be contacted",
        ),
        Some(ContactMethod::Letter) if !input.address.given() => errors.add(
            "address-line-1",
            "Enter an address, or choose another preferred way to be contacted",
        ),
        Some(_) => {}
    }
    match (name, tenancy, preferred) {
        (Some(name), Some(tenancy), Some(preferred_contact)) if errors.is_empty() => {
            Ok(ContactDetails {
                name,
                email,
                phone,
                address,
                preferred_contact,
                tenancy,
            })
        }
        _ => Err(errors),
    }
}

/// Reasonable adjustments, the interpreter's language and vulnerability notes as typed on
/// the case's "change" form.
#[derive(Debug, Clone, Copy)]
pub struct NeedsInput<'a> {
    pub adjustments: &'a [String],
    pub interpreter_language: &'a str,
    pub vulnerability_notes: &'a str,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Needs {
    pub adjustments: Vec<Adjustment>,
    pub interpreter_language: Option<String>,
    pub vulnerability_notes: Option<String>,
}

/// The adjustments ticked (each once) and, when an interpreter is among them, the language,
/// which is then required (`missing_language` beside its field). Shared by logging and by
/// the later correction of a resident's needs, so both keep the same rules.
fn adjustments_and_language(
    errors: &mut FieldErrors,
    ticked: &[String],
    language: &str,
    missing_language: &str,
) -> (Vec<Adjustment>, Option<String>) {
    let mut adjustments = Vec::new();
    for value in ticked.iter().map(|v| v.trim()).filter(|v| !v.is_empty()) {
        match value.parse::<Adjustment>() {
            Ok(adjustment) if !adjustments.contains(&adjustment) => adjustments.push(adjustment),
            Ok(_) => {}
            Err(_) => errors.add("adjustments", "Select reasonable adjustments from the list"),
        }
    }
    let interpreter_language = if adjustments.contains(&Adjustment::Interpreter) {
        let language = text(
            errors,
            "interpreter-language",
            language,
            LANGUAGE_MAX,
            "Language",
        );
        if language.is_none() {
            errors.add("interpreter-language", missing_language);
        }
        language
    } else {
        None
    };
    (adjustments, interpreter_language)
}

/// Checks the adjustments form with the logging form's rules (an interpreter needs a
/// language). `with_notes`: the user may see (and so change) the vulnerability notes.
pub fn validate_needs(input: NeedsInput<'_>, with_notes: bool) -> Result<Needs, FieldErrors> {
    let mut errors = FieldErrors::new();
    let (adjustments, interpreter_language) = adjustments_and_language(
        &mut errors,
        input.adjustments,
        input.interpreter_language,
        "Enter the language the complainant needs an interpreter for",
    );
    let vulnerability_notes = if with_notes {
        text(
            &mut errors,
            "vulnerability-notes",
            input.vulnerability_notes,
            VULNERABILITY_NOTES_MAX,
            "Vulnerability notes",
        )
    } else {
        None
    };
    if errors.is_empty() {
        Ok(Needs {
            adjustments,
            interpreter_language,
            vulnerability_notes,
        })
    } else {
        Err(errors)
    }
}

/// Checks a description and outcome sought as typed on the case's "change" form.
pub fn validate_description(
    description: &str,
    outcome_sought: &str,
) -> Result<(String, String), FieldErrors> {
    let mut errors = FieldErrors::new();
    let description = text(
        &mut errors,
        "description",
        description,
        DESCRIPTION_MAX,
        "Description",
    );
    if description.is_none() {
        errors.add("description", "Enter a description of the complaint");
    }
    let outcome = text(
        &mut errors,
        "outcome-sought",
        outcome_sought,
        OUTCOME_SOUGHT_MAX,
        "Outcome sought",
    );
    match description {
        Some(description) if errors.is_empty() => Ok((description, outcome.unwrap_or_default())),
        _ => Err(errors),
    }
}

/// Checks the case's own representative form (staff): the same rules as at logging, with a
/// representative always given.
pub fn validate_representative(
    input: RepresentativeInput<'_>,
    profile: &PolicyProfile,
    today: NaiveDate,
) -> Result<RepresentativeDetails, FieldErrors> {
    let mut errors = FieldErrors::new();
    let details = check_representative(&mut errors, input, profile, today, Audience::Staff);
    match details {
        Some(details) if errors.is_empty() => Ok(details),
        _ => Err(errors),
    }
}

fn representative(
    errors: &mut FieldErrors,
    input: RepresentativeInput<'_>,
    profile: &PolicyProfile,
    today: NaiveDate,
    audience: Audience,
) -> Option<RepresentativeDetails> {
    let consent_given = match input.consent {
        ConsentInput::Date { day, month, year } => [day, month, year]
            .iter()
            .any(|part| !part.trim().is_empty()),
        ConsentInput::Agreed(agreed) => agreed,
    };
    let given = [input.name, input.relationship, input.email, input.phone]
        .iter()
        .any(|part| !part.trim().is_empty())
        || input.address.given()
        || consent_given;
    if !given {
        return None;
    }
    check_representative(errors, input, profile, today, audience)
}

fn check_representative(
    errors: &mut FieldErrors,
    input: RepresentativeInput<'_>,
    profile: &PolicyProfile,
    today: NaiveDate,
    audience: Audience,
) -> Option<RepresentativeDetails> {
    let name = text(
        errors,
        "representative-name",
        input.name,
        NAME_MAX,
        "Representative's name",
    );
    if name.is_none() {
        errors.add("representative-name", "Enter the representative's name");
    }
    let relationship_message = audience.say(
        "Select the representative's relationship to the complainant",
        "Select the representative's relationship to you",
    );
    let relationship = match input.relationship.trim().parse() {
        Ok(RepresentativeRelationship::Solicitor) if !profile.accepts_solicitors() => {
            errors.add(
                "representative-relationship",
                profile.solicitor_refusal_reason().unwrap_or(
                    "This complaints policy does not accept solicitors as representatives",
                ),
            );
            None
        }
        Ok(relationship) => Some(relationship),
        Err(_) => {
            errors.add("representative-relationship", relationship_message);
            None
        }
    };
    let email = match input.email.trim() {
        "" => None,
        value => {
            errors.take(Email::parse(value).map_err(|m| ("representative-email".into(), m.into())))
        }
    };
    let phone = match input.phone.trim() {
        "" => None,
        value => errors
            .take(PhoneNumber::parse(value).map_err(|m| ("representative-phone".into(), m.into()))),
    };
    let address = address(errors, "representative-", input.address);
    let consent_received = match input.consent {
        ConsentInput::Date { day, month, year } => errors
            .take(CONSENT.parse_not_future(day, month, year, false, today))
            .flatten(),
        ConsentInput::Agreed(agreed) => agreed.then_some(today),
    };
    // Once consent is recorded letters go to the representative, not the complainant, so
    // there must be somewhere to send them.
    if consent_received.is_some() && input.email.trim().is_empty() && !input.address.given() {
        errors.add(
            "representative-email",
            audience.say(
                "Enter the representative's email address or postal address: once consent is recorded, letters go to them",
                "Enter an email address or postal address for the person acting for you, so we can send them letters about your complaint",
            ),
        );
    }
    Some(RepresentativeDetails {
        name: name?,
        relationship: relationship?,
        email,
        phone,
        address,
        consent_received,
    })
}

#[cfg(test)]
#[path = "intake_tests.rs"]
mod tests;
