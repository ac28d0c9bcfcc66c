use chrono::NaiveDate;

use super::*;

const HOC: &str = include_str!("../../../config/policies/hoc-2024.toml");
const EAST_KENT: &str = include_str!("../../../config/policies/east-kent-housing.toml");
const SOUTH_ESSEX: &str = include_str!("../../../config/policies/south-essex-homes.toml");

fn hoc() -> PolicyProfile {
    PolicyProfile::from_toml("hoc-2024", HOC).unwrap()
}

fn d(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
}

fn today() -> NaiveDate {
    d("2026-11-20")
}

fn s(v: &str) -> String {
    v.to_string()
}

/// A complete, valid officer form.
fn raw() -> RawComplaint {
    RawComplaint {
        complainant_name: s("Jo Bloggs"),
        email: s("Jo@Example.org"),
        phone: s("07700 900 982"),
        address_line_1: s("1 High Street"),
        address_town: s("Canterbury"),
        address_postcode: s("ct1 1aa"),
        preferred_contact: s("email"),
        tenancy_relationship: s("tenant"),
        adjustments: vec![s("large_print"), s("interpreter"), s("large_print")],
        interpreter_language: s(" Polish "),
        vulnerability_notes: s("Hearing impaired"),
        channel: s("phone"),
        received_day: s("18"),
        received_month: s("11"),
        received_year: s("2026"),
        occurred_day: s("1"),
        occurred_month: s("10"),
        occurred_year: s("2026"),
        category_id: s("3"),
        description: s("The boiler has been broken for three weeks."),
        outcome_sought: s("Fix the boiler"),
        ..RawComplaint::default()
    }
}

/// The errors of a form that must fail.
fn errors(raw: &RawComplaint) -> Vec<(String, String)> {
    validate(raw, &hoc(), today()).unwrap_err().0.pairs()
}

fn public_errors(raw: &RawComplaint) -> Vec<(String, String)> {
    validate_public(raw, &hoc(), today()).unwrap_err().0.pairs()
}

/// The one error the form has.
fn only_error(raw: &RawComplaint) -> (String, String) {
    let errors = errors(raw);
    assert_eq!(errors.len(), 1, "{errors:?}");
    errors[0].clone()
}

fn error(field: &str, message: &str) -> (String, String) {
    (s(field), s(message))
}

#[test]
fn a_complete_form_is_valid() {
    let (complaint, warnings) = validate(&raw(), &hoc(), today()).unwrap();
    assert!(warnings.is_empty());
    let c = &complaint.complainant;
    assert_eq!(c.name.as_deref(), Some("Jo Bloggs"));
    assert_eq!(c.email.as_ref().unwrap().as_str(), "jo@example.org");
    assert_eq!(c.phone.as_ref().unwrap().as_str(), "07700900982");
    let address = c.address.as_ref().unwrap();
    assert_eq!(address.postcode.as_str(), "CT1 1AA");
    assert_eq!(address.line_2, None);
    assert_eq!(c.preferred_contact, Some(ContactMethod::Email));
    assert_eq!(c.tenancy, Some(TenancyRelationship::Tenant));
    assert_eq!(
        c.adjustments,
        [Adjustment::LargePrint, Adjustment::Interpreter]
    );
    assert_eq!(c.interpreter_language.as_deref(), Some("Polish"));
    assert_eq!(c.vulnerability_notes.as_deref(), Some("Hearing impaired"));
    assert_eq!(complaint.representative, None);
    assert_eq!(complaint.channel, Channel::Phone);
    assert_eq!(complaint.received, d("2026-11-18"));
    assert_eq!(complaint.occurred, d("2026-10-01"));
    assert_eq!(complaint.aware, None);
    assert_eq!(complaint.category, Some(CategoryId(3)));
    assert_eq!(complaint.contractor, None);
    assert_eq!(complaint.outcome_sought.as_deref(), Some("Fix the boiler"));
    assert!(!complaint.outside_time_limit);
}

#[test]
fn an_empty_form_lists_every_required_field_in_page_order() {
    assert_eq!(
        errors(&RawComplaint::default()),
        [
            error("complainant-name", "Enter the complainant's name"),
            error(
                "tenancy-relationship",
                "Select the complainant's relationship to the home, like tenant or leaseholder"
            ),
            error(
                "email",
                "Enter at least one way to contact the complainant: email, telephone or postal address"
            ),
            error("channel", "Select how the complaint was received"),
            error("received-day", "Enter the date the complaint was received"),
            error("occurred-day", "Enter the date the problem happened"),
            error("description", "Enter a description of the complaint"),
        ]
    );
}

#[test]
fn the_public_form_speaks_to_the_resident() {
    assert_eq!(
        public_errors(&RawComplaint::default()),
        [
            error("complainant-name", "Enter your name"),
            error(
                "tenancy-relationship",
                "Select whether you are a tenant, leaseholder or something else"
            ),
            error(
                "email",
                "Enter at least one way to contact you: email, telephone or postal address"
            ),
            error("occurred-day", "Enter the date the problem happened"),
            error("description", "Enter what happened"),
        ]
    );
}

#[test]
fn the_public_form_fixes_channel_and_date_and_ignores_staff_fields() {
    let form = RawComplaint {
        channel: s("nonsense"),
        received_day: s("99"),
        category_id: s("x"),
        contractor_id: s("x"),
        property_id: s("x"),
        vulnerability_notes: "x".repeat(5000),
        anonymous: true,
        health_and_safety: true,
        safeguarding: true,
        confidential: true,
        ..raw()
    };
    let (complaint, _) = validate_public(&form, &hoc(), today()).unwrap();
    assert_eq!(complaint.channel, Channel::WebForm);
    assert_eq!(complaint.received, today());
    assert_eq!(complaint.category, None);
    assert_eq!(complaint.property, None);
    assert_eq!(complaint.complainant.vulnerability_notes, None);
    assert!(!complaint.complainant.anonymous);
    assert!(!complaint.health_and_safety && !complaint.safeguarding && !complaint.confidential);
}

#[test]
fn name_rules() {
    let long = RawComplaint {
        complainant_name: "a".repeat(201),
        ..raw()
    };
    assert_eq!(
        only_error(&long),
        error("complainant-name", "Name must be 200 characters or fewer")
    );
    let exactly = RawComplaint {
        complainant_name: "é".repeat(200),
        ..raw()
    };
    assert!(validate(&exactly, &hoc(), today()).is_ok());
}

#[test]
fn an_anonymous_complainant_needs_no_name_contact_or_tenancy() {
    let form = RawComplaint {
        anonymous: true,
        complainant_name: s(""),
        email: s(""),
        phone: s(""),
        address_line_1: s(""),
        address_town: s(""),
        address_postcode: s(""),
        preferred_contact: s(""),
        tenancy_relationship: s(""),
        ..raw()
    };
    let (complaint, _) = validate(&form, &hoc(), today()).unwrap();
    assert!(complaint.complainant.anonymous);
    assert_eq!(complaint.complainant.name, None);
    assert_eq!(complaint.complainant.tenancy, None);
}

#[test]
fn one_way_of_contact_is_enough() {
    let none = RawComplaint {
        email: s(""),
        phone: s(""),
        address_line_1: s(""),
        address_town: s(""),
        address_postcode: s(""),
        preferred_contact: s(""),
        ..raw()
    };
    assert_eq!(
        only_error(&none),
        error(
            "email",
            "Enter at least one way to contact the complainant: email, telephone or postal address"
        )
    );
    let phone_only = RawComplaint {
        phone: s("+44 808 157 0192"),
        ..none.clone()
    };
    assert!(validate(&phone_only, &hoc(), today()).is_ok());
    let address_only = RawComplaint {
        address_line_1: s("1 High Street"),
        address_town: s("Canterbury"),
        address_postcode: s("CT1 1AA"),
        ..none
    };
    assert!(validate(&address_only, &hoc(), today()).is_ok());
}

#[test]
fn email_and_phone_must_be_well_formed() {
    let form = RawComplaint {
        email: s("jo@"),
        phone: s("12345"),
        ..raw()
    };
    assert_eq!(
        errors(&form),
        [
            error(
                "email",
                "Enter an email address in the correct format, like name@example.com"
            ),
            error(
                "phone",
                "Enter a telephone number, like 01632 960 001, 07700 900 982 or +44 808 157 0192"
            ),
        ]
    );
}

#[test]
fn a_partial_address_names_the_missing_lines() {
    let form = RawComplaint {
        address_line_1: s(""),
        address_line_2: s("Flat 2"),
        address_town: s(""),
        address_postcode: s(""),
        ..raw()
    };
    assert_eq!(
        errors(&form),
        [
            error(
                "address-line-1",
                "Enter address line 1, typically the building and street"
            ),
            error("address-town", "Enter town or city"),
            error("address-postcode", "Enter a postcode"),
        ]
    );
    let bad_postcode = RawComplaint {
        address_postcode: s("CT1"),
        ..raw()
    };
    assert_eq!(
        only_error(&bad_postcode),
        error("address-postcode", "Enter a real postcode")
    );
    let long = RawComplaint {
        address_line_1: "a".repeat(201),
        address_line_2: "b".repeat(201),
        address_town: "c".repeat(201),
        ..raw()
    };
    assert_eq!(
        errors(&long),
        [
            error(
                "address-line-1",
                "Address line 1 must be 200 characters or fewer"
            ),
            error(
                "address-line-2",
                "Address line 2 must be 200 characters or fewer"
            ),
            error(
                "address-town",
                "Town or city must be 200 characters or fewer"
            ),
        ]
    );
}

#[test]
fn the_preferred_way_of_contact_must_be_possible() {
    let bad = RawComplaint {
        preferred_contact: s("pigeon"),
        ..raw()
    };
    assert_eq!(
        only_error(&bad),
        error(
            "preferred-contact",
            "Select how the complainant prefers to be contacted"
        )
    );
    assert_eq!(
        public_errors(&bad),
        [error(
            "preferred-contact",
            "Select how you prefer to be contacted"
        )]
    );
    let email = RawComplaint {
        email: s(""),
        ..raw()
    };
    assert_eq!(
        only_error(&email),
        error(
            "email",
            "Enter an email address, or choose another preferred way to be contacted"
        )
    );
    let phone = RawComplaint {
        preferred_contact: s("phone"),
        phone: s(""),
        ..raw()
    };
    assert_eq!(
        only_error(&phone),
        error(
            "phone",
            "Enter a telephone number, or choose another preferred way to be contacted"
        )
    );
    let letter = RawComplaint {
        preferred_contact: s("letter"),
        address_line_1: s(""),
        address_town: s(""),
        address_postcode: s(""),
        ..raw()
    };
    assert_eq!(
        only_error(&letter),
        error(
            "address-line-1",
            "Enter an address, or choose another preferred way to be contacted"
        )
    );
}

#[test]
fn tenancy_must_be_from_the_list() {
    let form = RawComplaint {
        tenancy_relationship: s("lodger"),
        ..raw()
    };
    assert_eq!(
        only_error(&form),
        error(
            "tenancy-relationship",
            "Select the complainant's relationship to the home, like tenant or leaseholder"
        )
    );
}

#[test]
fn adjustments_rules() {
    let unknown = RawComplaint {
        adjustments: vec![s("braille"), s("telepathy")],
        ..raw()
    };
    assert_eq!(
        only_error(&unknown),
        error("adjustments", "Select reasonable adjustments from the list")
    );
    let no_language = RawComplaint {
        interpreter_language: s(" "),
        ..raw()
    };
    assert_eq!(
        only_error(&no_language),
        error(
            "interpreter-language",
            "Enter the language the complainant needs an interpreter for"
        )
    );
    assert_eq!(
        public_errors(&no_language),
        [error(
            "interpreter-language",
            "Enter the language you need an interpreter for"
        )]
    );
    let long_language = RawComplaint {
        interpreter_language: "x".repeat(101),
        ..raw()
    };
    assert_eq!(
        only_error(&long_language),
        error(
            "interpreter-language",
            "Language must be 100 characters or fewer"
        )
    );
    // A language without an interpreter is dropped.
    let no_interpreter = RawComplaint {
        adjustments: vec![s("bsl"), s("")],
        ..raw()
    };
    let (complaint, _) = validate(&no_interpreter, &hoc(), today()).unwrap();
    assert_eq!(complaint.complainant.adjustments, [Adjustment::Bsl]);
    assert_eq!(complaint.complainant.interpreter_language, None);
}

#[test]
fn vulnerability_notes_have_a_limit() {
    let form = RawComplaint {
        vulnerability_notes: "x".repeat(2001),
        ..raw()
    };
    assert_eq!(
        only_error(&form),
        error(
            "vulnerability-notes",
            "Vulnerability notes must be 2,000 characters or fewer"
        )
    );
}

fn with_representative(relationship: &str) -> RawComplaint {
    RawComplaint {
        representative_name: s("Sam Advocate"),
        representative_relationship: s(relationship),
        representative_email: s("sam@advocacy.example.org"),
        representative_consent_day: s("10"),
        representative_consent_month: s("11"),
        representative_consent_year: s("2026"),
        ..raw()
    }
}

#[test]
fn a_representative_with_consent() {
    let (complaint, _) = validate(&with_representative("advocate"), &hoc(), today()).unwrap();
    assert_eq!(
        complaint.representative,
        Some(RepresentativeDetails {
            name: s("Sam Advocate"),
            relationship: RepresentativeRelationship::Advocate,
            email: Some(Email::parse("sam@advocacy.example.org").unwrap()),
            phone: None,
            address: None,
            consent_received: Some(d("2026-11-10")),
        })
    );
    let no_consent = RawComplaint {
        representative_consent_day: s(""),
        representative_consent_month: s(""),
        representative_consent_year: s(""),
        ..with_representative("mp")
    };
    let (complaint, _) = validate(&no_consent, &hoc(), today()).unwrap();
    assert_eq!(complaint.representative.unwrap().consent_received, None);
}

#[test]
fn a_representative_needs_a_name_and_relationship() {
    let form = RawComplaint {
        representative_name: s(""),
        representative_relationship: s(""),
        ..with_representative("")
    };
    assert_eq!(
        errors(&form),
        [
            error("representative-name", "Enter the representative's name"),
            error(
                "representative-relationship",
                "Select the representative's relationship to the complainant"
            ),
        ]
    );
    let public = RawComplaint {
        representative_name: s("Sam"),
        representative_email: s("sam@example.org"),
        representative_consent: true,
        ..raw()
    };
    assert_eq!(
        public_errors(&public),
        [error(
            "representative-relationship",
            "Select the representative's relationship to you"
        )]
    );
    let long = RawComplaint {
        representative_name: "x".repeat(201),
        ..with_representative("mp")
    };
    assert_eq!(
        only_error(&long),
        error(
            "representative-name",
            "Representative's name must be 200 characters or fewer"
        )
    );
}

#[test]
fn a_representatives_contact_details() {
    let form = RawComplaint {
        representative_email: s(""),
        representative_phone: s("01632 960 001"),
        representative_address_line_1: s("Town Hall"),
        representative_address_town: s("Anytown"),
        representative_address_postcode: s("an1 1th"),
        ..with_representative("councillor")
    };
    let (complaint, _) = validate(&form, &hoc(), today()).unwrap();
    let rep = complaint.representative.unwrap();
    assert_eq!(rep.email, None);
    assert!(rep.phone.is_some());
    assert_eq!(
        rep.address_text().as_deref(),
        Some("Town Hall\nAnytown\nAN1 1TH")
    );

    let bad = RawComplaint {
        representative_email: s("not an email"),
        ..with_representative("mp")
    };
    assert_eq!(only_error(&bad).0, "representative-email");
    let half_address = RawComplaint {
        representative_address_line_1: s("Town Hall"),
        ..with_representative("mp")
    };
    assert_eq!(
        errors(&half_address)
            .into_iter()
            .map(|(field, _)| field)
            .collect::<Vec<_>>(),
        [
            "representative-address-town",
            "representative-address-postcode"
        ]
    );
}

#[test]
fn consent_needs_somewhere_to_send_letters() {
    let nowhere = RawComplaint {
        representative_email: s(""),
        representative_phone: s("01632 960 001"),
        ..with_representative("advocate")
    };
    assert_eq!(
        only_error(&nowhere),
        error(
            "representative-email",
            "Enter the representative's email address or postal address: once consent is recorded, letters go to them"
        )
    );
    // Without consent letters still go to the complainant, so nothing more is needed.
    let no_consent = RawComplaint {
        representative_consent_day: s(""),
        representative_consent_month: s(""),
        representative_consent_year: s(""),
        ..nowhere.clone()
    };
    assert!(validate(&no_consent, &hoc(), today()).is_ok());
    let public = RawComplaint {
        representative_name: s("Sam"),
        representative_relationship: s("friend_relative"),
        representative_consent: true,
        ..raw()
    };
    assert_eq!(
        public_errors(&public),
        [error(
            "representative-email",
            "Enter an email address or postal address for the person acting for you, so we can send them letters about your complaint"
        )]
    );
}

#[test]
fn a_solicitor_is_refused_where_the_policy_says() {
    let east_kent = PolicyProfile::from_toml("east-kent-housing", EAST_KENT).unwrap();
    let (errors, _) = validate(&with_representative("solicitor"), &east_kent, today()).unwrap_err();
    assert_eq!(
        errors.pairs(),
        [error(
            "representative-relationship",
            "East Kent Housing does not accept the use of lawyers as this is then a litigation process and is excluded from its complaints procedure (policy 9.2.1)."
        )]
    );
    assert!(validate(&with_representative("solicitor"), &hoc(), today()).is_ok());
}

#[test]
fn consent_date_rules() {
    let future = RawComplaint {
        representative_consent_day: s("21"),
        ..with_representative("mp")
    };
    assert_eq!(
        only_error(&future),
        error(
            "representative-consent-day",
            "Date consent was given must be today or in the past"
        )
    );
    let unreal = RawComplaint {
        representative_consent_day: s("31"),
        representative_consent_month: s("9"),
        ..with_representative("mp")
    };
    assert_eq!(
        only_error(&unreal),
        error(
            "representative-consent-day",
            "Date consent was given must be a real date"
        )
    );
    let partial = RawComplaint {
        representative_consent_year: s(""),
        ..with_representative("mp")
    };
    assert_eq!(
        only_error(&partial),
        error(
            "representative-consent-year",
            "Date consent was given must include a year"
        )
    );
}

#[test]
fn public_consent_is_dated_today() {
    let form = RawComplaint {
        representative_name: s("Pat Friend"),
        representative_relationship: s("friend_relative"),
        representative_email: s("pat@example.org"),
        representative_consent: true,
        // Ignored on the public form.
        representative_consent_day: s("99"),
        ..raw()
    };
    let (complaint, _) = validate_public(&form, &hoc(), today()).unwrap();
    assert_eq!(
        complaint.representative.unwrap().consent_received,
        Some(today())
    );
}

#[test]
fn channel_must_be_from_the_list() {
    let form = RawComplaint {
        channel: s("fax"),
        ..raw()
    };
    assert_eq!(
        only_error(&form),
        error("channel", "Select how the complaint was received")
    );
}

#[test]
fn received_date_rules() {
    for (day, month, year, field, message) in [
        (
            "18",
            "11",
            "",
            "received-year",
            "Date received must include a year",
        ),
        (
            "",
            "11",
            "2026",
            "received-day",
            "Date received must include a day",
        ),
        (
            "18",
            "",
            "",
            "received-month",
            "Date received must include a month and year",
        ),
        (
            "31",
            "11",
            "2026",
            "received-day",
            "Date received must be a real date",
        ),
        (
            "18",
            "11",
            "26",
            "received-year",
            "Year must include 4 numbers",
        ),
        (
            "21",
            "11",
            "2026",
            "received-day",
            "Date received must be today or in the past",
        ),
    ] {
        let form = RawComplaint {
            received_day: s(day),
            received_month: s(month),
            received_year: s(year),
            ..raw()
        };
        assert_eq!(
            only_error(&form),
            error(field, message),
            "{day}/{month}/{year}"
        );
    }
}

#[test]
fn occurred_date_rules() {
    for (day, month, year, field, message) in [
        (
            "1",
            "10",
            "",
            "occurred-year",
            "Date the problem happened must include a year",
        ),
        (
            "30",
            "2",
            "2026",
            "occurred-day",
            "Date the problem happened must be a real date",
        ),
        (
            "21",
            "11",
            "2026",
            "occurred-day",
            "Date the problem happened must be today or in the past",
        ),
        (
            "19",
            "11",
            "2026",
            "occurred-day",
            "Date the problem happened must be the same as or before the date received",
        ),
    ] {
        let form = RawComplaint {
            occurred_day: s(day),
            occurred_month: s(month),
            occurred_year: s(year),
            ..raw()
        };
        assert_eq!(
            only_error(&form),
            error(field, message),
            "{day}/{month}/{year}"
        );
    }
}

#[test]
fn aware_date_rules() {
    let aware = |day: &str, month: &str, year: &str| RawComplaint {
        aware_day: s(day),
        aware_month: s(month),
        aware_year: s(year),
        ..raw()
    };
    let (complaint, _) = validate(&aware("5", "10", "2026"), &hoc(), today()).unwrap();
    assert_eq!(complaint.aware, Some(d("2026-10-05")));
    for (form, field, message) in [
        (
            aware("5", "", "2026"),
            "aware-month",
            "Date the resident became aware must include a month",
        ),
        (
            aware("5", "13", "2026"),
            "aware-month",
            "Date the resident became aware must be a real date",
        ),
        (
            aware("21", "11", "2026"),
            "aware-day",
            "Date the resident became aware must be today or in the past",
        ),
        (
            aware("30", "9", "2026"),
            "aware-day",
            "Date the resident became aware must be the same as or after the date the problem happened",
        ),
        (
            aware("19", "11", "2026"),
            "aware-day",
            "Date the resident became aware must be the same as or before the date received",
        ),
    ] {
        assert_eq!(only_error(&form), error(field, message));
    }
    assert_eq!(
        public_errors(&aware("30", "9", "2026")),
        [error(
            "aware-day",
            "Date you became aware must be the same as or after the date the problem happened"
        )]
    );
}

#[test]
fn ids_must_be_from_the_lists() {
    let form = RawComplaint {
        property_id: s("-1"),
        category_id: s("abc"),
        contractor_id: s("0"),
        ..raw()
    };
    assert_eq!(
        errors(&form),
        [
            error("property", "Select a property from the list"),
            error("category", "Select a category from the list"),
            error("contractor", "Select a contractor from the list"),
        ]
    );
    let form = RawComplaint {
        property_id: s("12"),
        contractor_id: s(" 4 "),
        ..raw()
    };
    let (complaint, _) = validate(&form, &hoc(), today()).unwrap();
    assert_eq!(complaint.property, Some(PropertyId(12)));
    assert_eq!(complaint.contractor, Some(ContractorId(4)));
}

#[test]
fn description_and_outcome_sought_rules() {
    let blank = RawComplaint {
        description: s("  \n "),
        ..raw()
    };
    assert_eq!(
        only_error(&blank),
        error("description", "Enter a description of the complaint")
    );
    let long = RawComplaint {
        description: "x".repeat(5001),
        outcome_sought: "y".repeat(2001),
        ..raw()
    };
    assert_eq!(
        errors(&long),
        [
            error(
                "description",
                "Description must be 5,000 characters or fewer"
            ),
            error(
                "outcome-sought",
                "Outcome sought must be 2,000 characters or fewer"
            ),
        ]
    );
    assert_eq!(
        public_errors(&long),
        [
            error(
                "description",
                "What happened must be 5,000 characters or fewer"
            ),
            error(
                "outcome-sought",
                "What would put things right must be 2,000 characters or fewer"
            ),
        ]
    );
    let no_outcome = RawComplaint {
        outcome_sought: s(""),
        ..raw()
    };
    let (complaint, _) = validate(&no_outcome, &hoc(), today()).unwrap();
    assert_eq!(complaint.outcome_sought, None);
}

#[test]
fn flags_are_kept() {
    let form = RawComplaint {
        health_and_safety: true,
        safeguarding: true,
        confidential: true,
        ..raw()
    };
    let (complaint, _) = validate(&form, &hoc(), today()).unwrap();
    assert!(complaint.health_and_safety && complaint.safeguarding && complaint.confidential);
}

#[test]
fn past_the_exclusion_limit_is_a_warning_not_an_error() {
    let south_essex = PolicyProfile::from_toml("south-essex-homes", SOUTH_ESSEX).unwrap();
    // Received 18 Nov 2026; 6 months from 17 May 2026 is 17 Nov: outside.
    let form = RawComplaint {
        occurred_day: s("17"),
        occurred_month: s("5"),
        ..raw()
    };
    let (complaint, warnings) = validate(&form, &south_essex, today()).unwrap();
    assert!(complaint.outside_time_limit);
    assert_eq!(
        warnings,
        [Warning {
            field: s("occurred-day"),
            message: s("The complaint was received more than 6 months after the problem happened or the resident became aware of it, which is past the time limit set by South Essex Homes. You can still log it; it may be excluded at triage."),
        }]
    );
    // Exactly at the limit is within it.
    let form = RawComplaint {
        occurred_day: s("18"),
        occurred_month: s("5"),
        ..raw()
    };
    let (complaint, warnings) = validate(&form, &south_essex, today()).unwrap();
    assert!(!complaint.outside_time_limit && warnings.is_empty());
    // Becoming aware later brings it back within.
    let form = RawComplaint {
        occurred_day: s("1"),
        occurred_month: s("1"),
        aware_day: s("1"),
        aware_month: s("10"),
        aware_year: s("2026"),
        ..raw()
    };
    assert!(validate(&form, &south_essex, today()).unwrap().1.is_empty());
    // hoc-2024's limit is 12 months; the warning also comes back with errors.
    let form = RawComplaint {
        occurred_year: s("2025"),
        occurred_month: s("9"),
        description: s(""),
        safeguarding: true,
        ..raw()
    };
    let (errors, warnings) = validate(&form, &hoc(), today()).unwrap_err();
    assert_eq!(errors.len(), 1);
    assert_eq!(warnings.len(), 1);
    assert!(warnings[0].message.contains("more than 12 months"));
    assert!(warnings[0].message.ends_with(
        "A health and safety or safeguarding complaint cannot be excluded for this reason."
    ));
}

#[test]
fn no_exclusion_limit_no_warning() {
    let east_kent = PolicyProfile::from_toml("east-kent-housing", EAST_KENT).unwrap();
    let form = RawComplaint {
        occurred_year: s("2010"),
        ..raw()
    };
    let (complaint, warnings) = validate(&form, &east_kent, today()).unwrap();
    assert!(!complaint.outside_time_limit && warnings.is_empty());
}

#[test]
fn raw_form_deserialises_with_missing_fields_empty() {
    let raw: RawComplaint = serde_json::from_value(serde_json::json!({
        "complainant_name": "Jo",
        "adjustments": ["braille", "bsl"],
        "health_and_safety": true,
    }))
    .unwrap();
    assert_eq!(raw.complainant_name, "Jo");
    assert_eq!(raw.adjustments, ["braille", "bsl"]);
    assert!(raw.health_and_safety);
    assert_eq!(raw.email, "");
}
