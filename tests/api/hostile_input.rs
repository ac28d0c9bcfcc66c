//! Hostile input on every form (issue 17): a fixed table of hostile values posted to every
//! POST route, one field at a time, as every role that may post it, on both backends. No
//! answer may be a 5xx, and a refused post may write nothing (no row added to the tables
//! a form writes, the case's version unchanged).
//!
//! The routes are one table ([`ROUTES`]); `every_post_route_is_in_the_hostile_table` reads
//! the route tables in `src/web` and fails when a POST route is missing from it. One app and
//! one set of users per backend; the two backends run side by side.

use std::collections::BTreeSet;

use chrono::Datelike;
use diesel::prelude::*;
use redress::db::schema::{
    attachments, case_events, cases, categories, complainants, contact_restrictions, contractors,
    governance_documents, letters, ombudsman_contacts, ombudsman_evidence_requests,
    ombudsman_orders, personal_data_markings, service_areas, subject_access_requests, users,
};
use redress::domain::Role;

use crate::helpers::{backends, make_area, spawn_app, TestApp, PASSWORD};
use crate::investigation::stage1_case;
use crate::triage::{log_case, team, today, Team};

/// Who posts a route.
#[derive(Debug, Clone, Copy, PartialEq)]
enum As {
    Public,
    Officer,
    /// The manager the case is assigned to.
    Manager,
    Director,
    Admin,
    /// A signed-in officer kept for this route alone (sign-out, password change).
    OwnOfficer,
}

/// The case a case route is posted against.
#[derive(Debug, Clone, Copy, PartialEq)]
enum CaseIn {
    /// None: the path has no `{reference}`.
    Nowhere,
    /// Awaiting triage.
    Received,
    /// Stage 1, acknowledged, assigned to the manager.
    Stage1,
    /// Awaiting triage, confidential, with the complainant's home as the property.
    Confidential,
}

struct FormRoute {
    path: &'static str,
    who: &'static [As],
    case: CaseIn,
    /// A plausible form; each field in turn is replaced by each hostile value. `{today_*}`
    /// and `{version}` are filled in when posting.
    fields: &'static [(&'static str, &'static str)],
}

const SEEN: [(&str, &str); 2] = [("version", "{version}"), ("last_event", "0")];

const ROUTES: &[FormRoute] = &[
    FormRoute {
        path: "/login",
        who: &[As::Public],
        case: CaseIn::Nowhere,
        fields: &[
            ("email", "nobody@example.org"),
            ("password", "wrong-password"),
        ],
    },
    FormRoute {
        path: "/login/code",
        who: &[As::Public],
        case: CaseIn::Nowhere,
        fields: &[("code", "123456")],
    },
    FormRoute {
        path: "/account/two-factor",
        who: &[As::OwnOfficer],
        case: CaseIn::Nowhere,
        fields: &[("code", "123456")],
    },
    FormRoute {
        path: "/logout",
        who: &[As::OwnOfficer],
        case: CaseIn::Nowhere,
        fields: &[],
    },
    FormRoute {
        path: "/account",
        who: &[As::Officer, As::Manager],
        case: CaseIn::Nowhere,
        fields: &[
            ("notify_assignment", "on"),
            ("notify_digest", "on"),
            ("notify_missed", ""),
        ],
    },
    FormRoute {
        path: "/account/password",
        who: &[As::OwnOfficer],
        case: CaseIn::Nowhere,
        fields: &[
            ("current_password", PASSWORD),
            ("new_password", "lantern-harbour-quiet-92"),
            ("confirm_password", "lantern-harbour-quiet-93"),
        ],
    },
    FormRoute {
        path: "/outbox/{id}/retry",
        who: &[As::Officer, As::Admin],
        case: CaseIn::Nowhere,
        fields: &[],
    },
    FormRoute {
        path: "/emails/{id}/attach",
        who: &[As::Officer, As::Manager, As::Admin],
        case: CaseIn::Nowhere,
        fields: &[("reference", "CMP-2026-000001")],
    },
    FormRoute {
        path: "/emails/{id}/discard",
        who: &[As::Officer, As::Manager, As::Admin],
        case: CaseIn::Nowhere,
        fields: &[("reason", "Spam")],
    },
    FormRoute {
        path: "/letters/receipt",
        who: &[As::Officer],
        case: CaseIn::Nowhere,
        fields: &[
            ("subject", "Received: {reference}"),
            ("body", "Dear {name}, your reference is {reference}."),
            ("version", "0"),
        ],
    },
    FormRoute {
        path: "/complain",
        who: &[As::Public],
        case: CaseIn::Nowhere,
        fields: &[
            ("complainant_name", "Pat Resident"),
            ("email", "pat@example.org"),
            ("phone", "07700 900 982"),
            ("address_line_1", "1 High Street"),
            ("address_town", "Canterbury"),
            ("address_postcode", "CT1 1AA"),
            ("tenancy_relationship", "tenant"),
            ("representative_name", ""),
            ("occurred_day", "{today_day}"),
            ("occurred_month", "{today_month}"),
            ("occurred_year", "{today_year}"),
            ("description", "My repair was cancelled twice."),
            ("outcome_sought", "Book the repair"),
            ("website", ""),
        ],
    },
    FormRoute {
        path: "/cases",
        who: &[As::Officer],
        case: CaseIn::Nowhere,
        fields: &[
            ("complainant_name", "Jo Bloggs"),
            ("email", "jo@example.org"),
            ("tenancy_relationship", "tenant"),
            ("channel", "phone"),
            ("received_day", "{today_day}"),
            ("received_month", "{today_month}"),
            ("received_year", "{today_year}"),
            ("occurred_day", "{today_day}"),
            ("occurred_month", "{today_month}"),
            ("occurred_year", "{today_year}"),
            ("property_id", ""),
            ("category_id", "{category}"),
            ("contractor_id", ""),
            ("vulnerability_notes", "Lives alone"),
            ("interpreter_language", ""),
            ("description", "Repair not done"),
            ("triage_now", "true"),
        ],
    },
    FormRoute {
        path: "/cases/{reference}/attachments",
        who: &[As::Officer],
        case: CaseIn::Stage1,
        fields: &[("file", "not a file")],
    },
    FormRoute {
        path: "/cases/{reference}/triage",
        who: &[As::Officer],
        case: CaseIn::Received,
        fields: &[
            ("decision", "excluded"),
            ("exclusion_reasons", "legal_proceedings"),
            ("exclusion_explanation", "Legal proceedings have started."),
            ("decline_sent_day", "{today_day}"),
            ("decline_sent_month", "{today_month}"),
            ("decline_sent_year", "{today_year}"),
            ("decline_method", "letter"),
            ("referred_to", ""),
            ("category_id", ""),
            ("contractor_id", ""),
            SEEN[0],
            SEEN[1],
        ],
    },
    FormRoute {
        path: "/cases/{reference}/assign",
        who: &[As::Officer],
        case: CaseIn::Stage1,
        fields: &[
            ("service_area", "{area}"),
            ("manager", "{other_manager}"),
            SEEN[0],
            SEEN[1],
        ],
    },
    FormRoute {
        path: "/cases/{reference}/involvement",
        who: &[As::Officer, As::Manager],
        case: CaseIn::Stage1,
        fields: &[("manager", "{other_manager}"), SEEN[0], SEEN[1]],
    },
    FormRoute {
        path: "/cases/{reference}/acknowledge",
        who: &[As::Officer],
        case: CaseIn::Stage1,
        fields: &[
            ("method", "letter"),
            ("points", "One\nTwo"),
            ("outcome_sought", "A repair"),
            ("sent_day", "{today_day}"),
            ("sent_month", "{today_month}"),
            ("sent_year", "{today_year}"),
            SEEN[0],
            SEEN[1],
        ],
    },
    FormRoute {
        path: "/cases/{reference}/convert",
        who: &[As::Officer],
        case: CaseIn::Stage1,
        fields: &[
            ("on_day", "{today_day}"),
            ("on_month", "{today_month}"),
            ("on_year", "{today_year}"),
            SEEN[0],
            SEEN[1],
        ],
    },
    FormRoute {
        path: "/cases/{reference}/property-address",
        who: &[As::Officer],
        case: CaseIn::Confidential,
        fields: &[
            ("on_day", "{today_day}"),
            ("on_month", "{today_month}"),
            ("on_year", "{today_year}"),
            SEEN[0],
            SEEN[1],
        ],
    },
    FormRoute {
        path: "/cases/{reference}/stage1",
        who: &[As::Officer],
        case: CaseIn::Stage1,
        fields: &[
            ("on_day", "{today_day}"),
            ("on_month", "{today_month}"),
            ("on_year", "{today_year}"),
            SEEN[0],
            SEEN[1],
        ],
    },
    FormRoute {
        path: "/cases/{reference}/escalate",
        who: &[As::Officer],
        case: CaseIn::Stage1,
        fields: &[
            ("choice", "escalate"),
            ("reason", "Unhappy with the answer"),
            ("on_day", "{today_day}"),
            ("on_month", "{today_month}"),
            ("on_year", "{today_year}"),
            SEEN[0],
            SEEN[1],
        ],
    },
    FormRoute {
        path: "/cases/{reference}/withdraw",
        who: &[As::Officer],
        case: CaseIn::Stage1,
        fields: &[
            ("choice", "resident"),
            ("reason", ""),
            ("on_day", "{today_day}"),
            ("on_month", "{today_month}"),
            ("on_year", "{today_year}"),
            SEEN[0],
            SEEN[1],
        ],
    },
    FormRoute {
        path: "/cases/{reference}/reopen",
        who: &[As::Officer],
        case: CaseIn::Stage1,
        fields: &[
            ("reason", "Closed by mistake"),
            ("on_day", "{today_day}"),
            ("on_month", "{today_month}"),
            ("on_year", "{today_year}"),
            SEEN[0],
            SEEN[1],
        ],
    },
    FormRoute {
        path: "/cases/{reference}/related",
        who: &[As::Officer],
        case: CaseIn::Stage1,
        fields: &[
            ("other", "CMP-2020-999999"),
            ("kind", "related"),
            SEEN[0],
            SEEN[1],
        ],
    },
    FormRoute {
        path: "/cases/{reference}/representative",
        who: &[As::Officer],
        case: CaseIn::Stage1,
        fields: &[
            ("representative_name", "Sam Advocate"),
            ("representative_relationship", "advocate"),
            ("representative_email", "sam@example.org"),
            ("representative_phone", ""),
            ("representative_address_line_1", ""),
            ("representative_address_town", ""),
            ("representative_address_postcode", ""),
            ("representative_consent_day", "{today_day}"),
            ("representative_consent_month", "{today_month}"),
            ("representative_consent_year", "{today_year}"),
            SEEN[0],
            SEEN[1],
        ],
    },
    FormRoute {
        path: "/cases/{reference}/details/complainant",
        who: &[As::Officer],
        case: CaseIn::Stage1,
        fields: &[
            ("complainant_name", "Jo Bloggs"),
            ("tenancy_relationship", "tenant"),
            ("email", "jo@example.org"),
            ("phone", "07700 900 123"),
            ("address_line_1", "22 New Street"),
            ("address_line_2", ""),
            ("address_town", "Anytown"),
            ("address_postcode", "AN2 2BB"),
            ("preferred_contact", "email"),
            SEEN[0],
            SEEN[1],
        ],
    },
    FormRoute {
        path: "/cases/{reference}/details/adjustments",
        who: &[As::Officer, As::Manager],
        case: CaseIn::Stage1,
        fields: &[
            ("adjustments", "interpreter"),
            ("interpreter_language", "Polish"),
            ("vulnerability_notes", ""),
            SEEN[0],
            SEEN[1],
        ],
    },
    FormRoute {
        path: "/cases/{reference}/details/flags",
        who: &[As::Officer],
        case: CaseIn::Stage1,
        fields: &[
            ("health_and_safety", "true"),
            ("safeguarding", ""),
            ("confidential", ""),
            SEEN[0],
            SEEN[1],
        ],
    },
    FormRoute {
        path: "/cases/{reference}/details/dates",
        who: &[As::Officer],
        case: CaseIn::Received,
        fields: &[
            ("channel", "letter"),
            ("received_day", "{today_day}"),
            ("received_month", "{today_month}"),
            ("received_year", "{today_year}"),
            ("occurred_day", "{today_day}"),
            ("occurred_month", "{today_month}"),
            ("occurred_year", "{today_year}"),
            ("aware_day", ""),
            ("aware_month", ""),
            ("aware_year", ""),
            SEEN[0],
            SEEN[1],
        ],
    },
    FormRoute {
        path: "/cases/{reference}/details/classification",
        who: &[As::Officer],
        case: CaseIn::Stage1,
        fields: &[
            ("category_id", ""),
            ("contractor_id", ""),
            ("service_area_id", "{area}"),
            ("property_address", "3 Oak Road"),
            ("property_postcode", "AN3 3CC"),
            SEEN[0],
            SEEN[1],
        ],
    },
    FormRoute {
        path: "/cases/{reference}/details/description",
        who: &[As::Officer],
        case: CaseIn::Received,
        fields: &[
            ("description", "The boiler repair was not done"),
            ("outcome_sought", "A working boiler"),
            SEEN[0],
            SEEN[1],
        ],
    },
    FormRoute {
        path: "/cases/{reference}/details/points",
        who: &[As::Officer],
        case: CaseIn::Stage1,
        fields: &[
            ("points", "1. Repair not done\n2. Lost letter"),
            ("reason", "Added on the phone"),
            SEEN[0],
            SEEN[1],
        ],
    },
    FormRoute {
        path: "/cases/{reference}/details/officer",
        who: &[As::Officer],
        case: CaseIn::Stage1,
        fields: &[("officer", "{officer}"), SEEN[0], SEEN[1]],
    },
    FormRoute {
        path: "/cases/{reference}/notes",
        who: &[As::Officer, As::Manager],
        case: CaseIn::Stage1,
        fields: &[
            ("kind", "note"),
            ("text", ""),
            ("on_day", "{today_day}"),
            ("on_month", "{today_month}"),
            ("on_year", "{today_year}"),
            SEEN[0],
            SEEN[1],
        ],
    },
    FormRoute {
        path: "/cases/{reference}/extend",
        who: &[As::Officer, As::Manager],
        case: CaseIn::Stage1,
        fields: &[
            ("length", "10"),
            ("reason", "other"),
            ("reason_other", ""),
            ("granted_day", "{today_day}"),
            ("granted_month", "{today_month}"),
            ("granted_year", "{today_year}"),
            ("notified_day", "{today_day}"),
            ("notified_month", "{today_month}"),
            ("notified_year", "{today_year}"),
            ("notified_method", "email"),
            SEEN[0],
            SEEN[1],
        ],
    },
    FormRoute {
        path: "/cases/{reference}/decision",
        who: &[As::Manager],
        case: CaseIn::Stage1,
        fields: &[
            ("outcome", "upheld"),
            ("summary", "Our decision."),
            ("finding_1", "upheld"),
            ("reasons_1", "Reasons"),
            ("finding_2", "upheld"),
            ("reasons_2", ""),
            ("remedy_kind_1", "compensation"),
            ("remedy_description_1", "For the delay"),
            ("remedy_owner_1", "{manager}"),
            ("remedy_time_and_trouble_1", "50"),
            ("remedy_due_1_day", "{today_day}"),
            ("remedy_due_1_month", "{today_month}"),
            ("remedy_due_1_year", "{today_year}"),
            ("lesson", "Book repairs sooner"),
            ("action_description_1", "Review the booking rules"),
            ("action_owner_1", "{manager}"),
            SEEN[0],
            SEEN[1],
        ],
    },
    FormRoute {
        path: "/cases/{reference}/decision/send",
        who: &[As::Manager],
        case: CaseIn::Stage1,
        fields: &[
            ("method", "email"),
            ("sent_day", "{today_day}"),
            ("sent_month", "{today_month}"),
            ("sent_year", "{today_year}"),
            SEEN[0],
            SEEN[1],
        ],
    },
    FormRoute {
        path: "/cases/{reference}/compensation/approve",
        who: &[As::Director],
        case: CaseIn::Stage1,
        fields: &[SEEN[0], SEEN[1]],
    },
    FormRoute {
        path: "/cases/{reference}/compensation/paid",
        who: &[As::Officer],
        case: CaseIn::Stage1,
        fields: &[
            ("amount", "50"),
            ("paid_day", "{today_day}"),
            ("paid_month", "{today_month}"),
            ("paid_year", "{today_year}"),
            SEEN[0],
            SEEN[1],
        ],
    },
    FormRoute {
        path: "/cases/{reference}/restriction",
        who: &[As::Officer, As::Manager],
        case: CaseIn::Stage1,
        fields: &[
            ("what", ""),
            ("reason", "Abusive calls"),
            ("review_day", "{today_day}"),
            ("review_month", "{today_month}"),
            ("review_year", "{today_year}"),
            SEEN[0],
            SEEN[1],
        ],
    },
    FormRoute {
        path: "/cases/{reference}/restriction/decide",
        who: &[As::Director],
        case: CaseIn::Stage1,
        fields: &[
            ("decision", "decline"),
            ("decline_reason", "Not needed"),
            ("restriction", "999999"),
            ("restriction_version", "1"),
            SEEN[0],
            SEEN[1],
        ],
    },
    FormRoute {
        path: "/cases/{reference}/approval/{id}",
        who: &[As::Director],
        case: CaseIn::Stage1,
        fields: &[
            ("decision", "decline"),
            ("decline_reason", "Too much for the delay"),
            ("comment", ""),
            ("request_version", "1"),
            SEEN[0],
            SEEN[1],
        ],
    },
    FormRoute {
        path: "/cases/{reference}/response-check",
        who: &[As::Officer],
        case: CaseIn::Stage1,
        fields: &[
            ("result", "return"),
            ("comment", "Point 2 needs the call date"),
            ("drafted_at", "1767225600"),
            SEEN[0],
            SEEN[1],
        ],
    },
    FormRoute {
        path: "/cases/{reference}/restriction/end",
        who: &[As::Officer, As::Director],
        case: CaseIn::Stage1,
        fields: &[
            ("reason", "Behaviour improved"),
            ("restriction", "999999"),
            ("restriction_version", "1"),
            SEEN[0],
            SEEN[1],
        ],
    },
    FormRoute {
        path: "/cases/{reference}/letters/{kind}",
        who: &[As::Officer, As::Manager],
        case: CaseIn::Stage1,
        fields: &[
            ("action", "save"),
            ("body", "Dear resident"),
            ("points", "One"),
            ("outcome_sought", ""),
            ("extension_length", ""),
            ("extension_reason", ""),
            ("exclusion_explanation", ""),
            ("letter_version", "0"),
            SEEN[0],
            SEEN[1],
        ],
    },
    FormRoute {
        path: "/cases/{reference}/letters/{kind}/sent-elsewhere",
        who: &[As::Officer, As::Manager],
        case: CaseIn::Stage1,
        fields: &[
            ("method", "letter"),
            ("sent_day", "{today_day}"),
            ("sent_month", "{today_month}"),
            ("sent_year", "{today_year}"),
            ("copy_text", "Dear resident"),
            ("points", "One"),
            ("outcome_sought", ""),
            SEEN[0],
            SEEN[1],
        ],
    },
    // Issue 25: how often the resident is updated (Code 5.9).
    FormRoute {
        path: "/cases/{reference}/progress-updates",
        who: &[As::Officer, As::Manager],
        case: CaseIn::Stage1,
        fields: &[("every", "10"), SEEN[0], SEEN[1]],
    },
    // Issue 30: a legal hold (its own version: a case without one is at 1).
    FormRoute {
        path: "/cases/{reference}/legal-hold",
        who: &[As::Officer],
        case: CaseIn::Received,
        fields: &[("reason", "Disrepair claim"), ("version", "1")],
    },
    // Erasure on request: refused for an open case, whatever is typed.
    FormRoute {
        path: "/cases/{reference}/erasure",
        who: &[As::Officer],
        case: CaseIn::Received,
        fields: &[("reason", "Resident's request")],
    },
    // Subject access requests (issue 30).
    FormRoute {
        path: "/subject-access/new",
        who: &[As::Officer],
        case: CaseIn::Nowhere,
        fields: &[
            ("person_name", "Ella Patel"),
            ("email", "ella@example.org"),
            ("postcode", "LS1 4AB"),
            ("telephone", "07700 900 982"),
            ("received_day", "{today_day}"),
            ("received_month", "{today_month}"),
            ("received_year", "{today_year}"),
        ],
    },
    FormRoute {
        path: "/subject-access/{sar}/extend",
        who: &[As::Officer],
        case: CaseIn::Nowhere,
        fields: &[("months", "1"), ("reason", "Many cases"), ("version", "1")],
    },
    FormRoute {
        path: "/subject-access/{sar}/answered",
        who: &[As::Officer],
        case: CaseIn::Nowhere,
        fields: &[("version", "99")],
    },
    FormRoute {
        path: "/subject-access/{sar}/cases/{sar_case}/{item_kind}/{item}/marking",
        who: &[As::Officer],
        case: CaseIn::Nowhere,
        fields: &[
            ("marking", "third_party"),
            ("reason", "Neighbour"),
            ("version", "0"),
        ],
    },
    FormRoute {
        path: "/cases/{reference}/ombudsman",
        who: &[As::Officer],
        case: CaseIn::Stage1,
        fields: &[
            ("kind", "referral"),
            ("contacted_day", "{today_day}"),
            ("contacted_month", "{today_month}"),
            ("contacted_year", "{today_year}"),
            ("ombudsman_reference", "202612345"),
            ("contact_name", "Sam Caseworker"),
            ("notes", "They asked for the case file"),
        ],
    },
    FormRoute {
        path: "/ombudsman/{contact}/evidence",
        who: &[As::Officer],
        case: CaseIn::Nowhere,
        fields: &[
            ("received_day", "{today_day}"),
            ("received_month", "{today_month}"),
            ("received_year", "{today_year}"),
            ("asked", "The case file"),
            ("deadline", "days"),
            ("days", "10"),
            ("version", "{contact_version}"),
        ],
    },
    FormRoute {
        path: "/ombudsman/{contact}/evidence/{request}/sent",
        who: &[As::Officer],
        case: CaseIn::Nowhere,
        fields: &[
            ("sent_day", "{today_day}"),
            ("sent_month", "{today_month}"),
            ("sent_year", "{today_year}"),
            ("summary", "The case file"),
            ("attachments", ""),
            ("version", "{contact_version}"),
        ],
    },
    FormRoute {
        path: "/ombudsman/{contact}/evidence/{request}/bundle",
        who: &[As::Officer],
        case: CaseIn::Nowhere,
        fields: &[],
    },
    FormRoute {
        path: "/ombudsman/{contact}/determination",
        who: &[As::Officer],
        case: CaseIn::Nowhere,
        fields: &[
            ("determined_day", "{today_day}"),
            ("determined_month", "{today_month}"),
            ("determined_year", "{today_year}"),
            ("element_1", "Repairs"),
            ("finding_1", "maladministration"),
            ("reasons_1", "Slow"),
            ("order_kind_1", "compensation"),
            ("order_details_1", "Pay"),
            ("order_amount_1", "250"),
            ("order_due_1_day", "{today_day}"),
            ("order_due_1_month", "{today_month}"),
            ("order_due_1_year", "{today_year}"),
            ("recommendation_1", "Review the policy"),
            ("accepted_1", "no"),
            ("accepted_reason_1", "Already done"),
            ("version", "{contact_version}"),
        ],
    },
    FormRoute {
        path: "/ombudsman/{contact}/chfo",
        who: &[As::Officer],
        case: CaseIn::Nowhere,
        fields: &[
            ("issued_day", "{today_day}"),
            ("issued_month", "{today_month}"),
            ("issued_year", "{today_year}"),
            ("paragraph", "6.14"),
            ("details", "Late"),
            ("version", "{contact_version}"),
        ],
    },
    FormRoute {
        path: "/ombudsman/{contact}/orders/{order}/complied",
        who: &[As::Officer],
        case: CaseIn::Nowhere,
        fields: &[
            ("completed_day", "{today_day}"),
            ("completed_month", "{today_month}"),
            ("completed_year", "{today_year}"),
            ("evidence", "Paid"),
            ("version", "{contact_version}"),
        ],
    },
    FormRoute {
        path: "/ombudsman/{contact}/review",
        who: &[As::Officer],
        case: CaseIn::Nowhere,
        fields: &[
            ("requested_day", "{today_day}"),
            ("requested_month", "{today_month}"),
            ("requested_year", "{today_year}"),
            ("outcome", "Upheld"),
            ("version", "{contact_version}"),
        ],
    },
    FormRoute {
        path: "/ombudsman/{contact}/lessons",
        who: &[As::Officer],
        case: CaseIn::Nowhere,
        fields: &[
            ("lesson", "Answer on time"),
            ("action", "Train the team"),
            ("version", "{contact_version}"),
        ],
    },
    FormRoute {
        path: "/ombudsman/{contact}/close",
        who: &[As::Officer],
        case: CaseIn::Nowhere,
        fields: &[("version", "{contact_version}")],
    },
    FormRoute {
        path: "/letters/{id}/posted",
        who: &[As::Officer],
        case: CaseIn::Nowhere,
        fields: &[],
    },
    FormRoute {
        path: "/actions/remedies/{id}/done",
        who: &[As::Officer, As::Manager],
        case: CaseIn::Nowhere,
        fields: &[("evidence", "Paid"), ("status", "done")],
    },
    FormRoute {
        path: "/actions/improvements/{id}",
        who: &[As::Officer, As::Manager],
        case: CaseIn::Nowhere,
        fields: &[("evidence", "Done"), ("status", "done")],
    },
    FormRoute {
        path: "/admin/users",
        who: &[As::Admin],
        case: CaseIn::Nowhere,
        fields: &[
            ("email", ""),
            ("display_name", "New Person"),
            ("role", "manager"),
            ("service_area", "{area}"),
        ],
    },
    FormRoute {
        path: "/admin/users/{user}/service-areas",
        who: &[As::Admin],
        case: CaseIn::Nowhere,
        fields: &[("service_area", "{area}")],
    },
    FormRoute {
        path: "/reports/annual/narrative",
        who: &[As::Officer],
        case: CaseIn::Nowhere,
        fields: &[
            ("year", "2025"),
            ("version", "0"),
            ("introduction", "A better year"),
            ("response", "The board noted the report"),
        ],
    },
    FormRoute {
        path: "/reports/annual/publish",
        who: &[As::Officer],
        case: CaseIn::Nowhere,
        fields: &[("year", "2025"), ("version", "1")],
    },
    FormRoute {
        path: "/reports/self-assessment",
        who: &[As::Officer],
        case: CaseIn::Nowhere,
        fields: &[
            ("year", "2025"),
            ("version", "0"),
            ("compliance-6-3", "partly"),
            ("commentary-6-3", "Two responses late in March"),
        ],
    },
    // Issue 26: the same forms' file buttons (the files themselves: governance_files.rs).
    FormRoute {
        path: "/reports/self-assessment",
        who: &[As::Officer],
        case: CaseIn::Nowhere,
        fields: &[
            ("year", "2025"),
            ("version", "0"),
            ("upload", "6.3"),
            ("remove", "{id}"),
        ],
    },
    FormRoute {
        path: "/reports/annual/narrative",
        who: &[As::Officer],
        case: CaseIn::Nowhere,
        fields: &[
            ("year", "2025"),
            ("version", "0"),
            ("upload", "ombudsman_letter"),
            ("remove", "{id}"),
        ],
    },
    FormRoute {
        path: "/admin/users/{user}/job-title",
        who: &[As::Admin],
        case: CaseIn::Nowhere,
        fields: &[("job_title", "Head of Repairs")],
    },
    FormRoute {
        path: "/admin/users/{user}/active",
        who: &[As::Admin],
        case: CaseIn::Nowhere,
        fields: &[("active", "true")],
    },
    FormRoute {
        path: "/admin/users/{id}/reset-password",
        who: &[As::Admin],
        case: CaseIn::Nowhere,
        fields: &[],
    },
    FormRoute {
        path: "/admin/users/{user}/reset-second-factor",
        who: &[As::Admin],
        case: CaseIn::Nowhere,
        fields: &[],
    },
    FormRoute {
        path: "/admin/users/{id}/sign-out-everywhere",
        who: &[As::Admin],
        case: CaseIn::Nowhere,
        fields: &[],
    },
    FormRoute {
        path: "/admin/service-areas",
        who: &[As::Admin],
        case: CaseIn::Nowhere,
        fields: &[
            ("name", ""),
            ("code", "NEW"),
            ("head_of_service", "{director}"),
        ],
    },
    FormRoute {
        path: "/admin/service-areas/{area}",
        who: &[As::Admin],
        case: CaseIn::Nowhere,
        fields: &[
            ("name", "Repairs"),
            ("code", "REP"),
            ("head_of_service", "{director}"),
            ("active", "on"),
        ],
    },
    FormRoute {
        path: "/admin/categories",
        who: &[As::Admin],
        case: CaseIn::Nowhere,
        fields: &[("name", ""), ("active", "on")],
    },
    FormRoute {
        path: "/admin/categories/{category}",
        who: &[As::Admin],
        case: CaseIn::Nowhere,
        fields: &[("name", "Damp"), ("active", "on")],
    },
    FormRoute {
        path: "/admin/contractors",
        who: &[As::Admin],
        case: CaseIn::Nowhere,
        fields: &[
            ("name", ""),
            ("contact_email", "c@example.org"),
            ("active", "on"),
        ],
    },
    FormRoute {
        path: "/admin/contractors/{id}",
        who: &[As::Admin],
        case: CaseIn::Nowhere,
        fields: &[
            ("name", "Builders"),
            ("contact_email", ""),
            ("active", "on"),
        ],
    }, // Issue 24: bulk actions and saved views.
    FormRoute {
        path: "/cases/bulk",
        who: &[As::Officer, As::Manager],
        case: CaseIn::Nowhere,
        fields: &[
            ("action", "assign"),
            ("service_area", "{area}"),
            ("manager", "{manager}"),
            ("case", "CMP-2020-999999:1"),
            ("back", "/cases?list=open"),
        ],
    },
    FormRoute {
        path: "/cases/views",
        who: &[As::Officer, As::Manager],
        case: CaseIn::Nowhere,
        fields: &[("name", "My view"), ("query", "list=overdue&stage=stage1")],
    },
    FormRoute {
        path: "/cases/views/{id}",
        who: &[As::Officer],
        case: CaseIn::Nowhere,
        fields: &[("name", "Renamed")],
    },
    FormRoute {
        path: "/cases/views/{id}/delete",
        who: &[As::Officer],
        case: CaseIn::Nowhere,
        fields: &[],
    },
];

/// The hostile values, each posted in place of every field in turn.
fn hostile_values() -> Vec<String> {
    vec![
        String::new(),
        "x".repeat(100 * 1024),
        "\u{0}".into(),
        "a\u{0}b\u{7}\u{1b}[2J\u{7f}\u{85}".into(),
        "invoice\u{202E}gpj.exe".into(),
        "' OR 1=1; DROP TABLE cases; --".into(),
        "\"><script>alert(1)</script>".into(),
        "31".into(),
        "99999999999999999999".into(),
        "-1".into(),
        "999999".into(),
        "=HYPERLINK(\"x\")".into(),
    ]
}

/// Every POST route in the route tables under `src/web`, read from the source: each
/// `.route(PATH, web::post()…)`; the reference-data routes take their path from each kind's
/// `path: "…"`.
pub(crate) fn post_routes_in_source() -> BTreeSet<String> {
    let mut found = BTreeSet::new();
    let mut kinds = Vec::new();
    let mut stack = vec![std::path::PathBuf::from(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/src/web"
    ))];
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                stack.push(path);
                continue;
            }
            let source = std::fs::read_to_string(&path).unwrap();
            for line in source.lines() {
                if let Some(rest) = line.trim().strip_prefix("path: \"/admin/") {
                    kinds.push(format!("/admin/{}", rest.trim_end_matches("\",")));
                }
            }
            for (at, _) in source.match_indices("web::post()") {
                let route = source[..at]
                    .rfind(".route(")
                    .expect("a post inside .route(");
                let first = source[route + 7..at].trim().trim_end_matches(',').trim();
                match first.strip_prefix('"').and_then(|p| p.strip_suffix('"')) {
                    Some(literal) => found.insert(literal.to_string()),
                    None if first == "path" => found.insert("{kind}".to_string()),
                    None => found.insert("{kind}/{id}".to_string()),
                };
            }
        }
    }
    assert!(!kinds.is_empty(), "reference data kinds found");
    for generic in ["{kind}", "{kind}/{id}"] {
        if found.remove(generic) {
            for kind in &kinds {
                found.insert(generic.replace("{kind}", kind));
            }
        }
    }
    found
}

/// A route's path as the route table writes it (`{user}`, `{area}`, `{category}` are `{id}`).
fn route_pattern(path: &str) -> String {
    path.replace("{user}", "{id}")
        .replace("{sar_case}", "{reference}")
        .replace("{sar}", "{id}")
        .replace("{contact}", "{id}")
        .replace("{area}", "{id}")
        .replace("{category}", "{id}")
}

#[test]
fn every_post_route_is_in_the_hostile_table() {
    let listed: BTreeSet<String> = ROUTES.iter().map(|r| route_pattern(r.path)).collect();
    let in_source = post_routes_in_source();
    let missing: Vec<&String> = in_source.difference(&listed).collect();
    assert!(
        missing.is_empty(),
        "POST routes with no row in the hostile-input table: {missing:?}"
    );
    let gone: Vec<&String> = listed.difference(&in_source).collect();
    assert!(
        gone.is_empty(),
        "rows for routes that no longer exist: {gone:?}"
    );
}

/// The people, the ids the forms refer to, and a signed-in client per role.
struct World {
    team: Team,
    director: TestApp,
    admin: TestApp,
    public: TestApp,
    officer_token: String,
    manager_token: String,
    director_token: String,
    admin_token: String,
    ids: Vec<(&'static str, String)>,
}

async fn signed_in(
    app: &TestApp,
    email: &str,
    role: Role,
    areas: &[redress::domain::ServiceAreaId],
) -> (TestApp, redress::domain::UserId) {
    let id = app.create_user(email, email, role, areas);
    let client = app.with_new_client();
    assert_eq!(client.sign_in(email, PASSWORD).await.status(), 303);
    (client, id)
}

async fn token(client: &TestApp) -> String {
    client.csrf().await
}

async fn world(app: &TestApp) -> World {
    let team = team(app).await;
    let (director, director_id) =
        signed_in(app, "dee@example.org", Role::Director, &[team.area]).await;
    let (admin, _) = signed_in(app, "ada@example.org", Role::Admin, &[]).await;
    let public = app.with_new_client();
    public.get("/complain").await;
    let category = {
        let now = chrono::Utc::now().naive_utc();
        diesel::insert_into(categories::table)
            .values((
                categories::name.eq("Damp"),
                categories::active.eq(true),
                categories::created_at.eq(now),
                categories::updated_at.eq(now),
            ))
            .returning(categories::id)
            .get_result::<i32>(&mut app.conn())
            .unwrap()
    };
    make_area(app, "Lettings", "LET");
    let officer_id: i32 = users::table
        .filter(users::role.eq("officer"))
        .select(users::id)
        .first(&mut app.conn())
        .unwrap();
    // Issue 27: an Ombudsman contact with an evidence request and an order, on a case of
    // its own. Its version is read as posted: a post that moves it on makes the rest stale.
    let on_case = stage1_case(app, &team, today(), today()).await;
    let contact =
        crate::ombudsman::contact(&team.officer, &on_case, "referral", today(), "2026001").await;
    crate::ombudsman::evidence_request(&team.officer, contact, today(), 10).await;
    crate::ombudsman::determine(
        &team.officer,
        contact,
        today(),
        &[("Repairs", "maladministration")],
        &[("apology", "", today() + chrono::Duration::days(28))],
        false,
    )
    .await;
    let (request, order) = crate::ombudsman::request_and_order(app, contact);
    // Issue 30: a subject access request, and a note on a case to mark for it.
    let sar = crate::privacy::record_request(&team.officer, &[("person_name", "Jo Bloggs")])
        .await
        .trim_start_matches("/subject-access/")
        .to_string();
    let sar_case = log_case(&team.officer, today(), &[]).await;
    let sar_note: i32 = case_events::table
        .inner_join(cases::table)
        .filter(cases::reference.eq(&sar_case))
        .select(case_events::id)
        .first::<redress::domain::CaseEventId>(&mut app.conn())
        .unwrap()
        .0;
    let t = today();
    let ids = vec![
        ("{sar_case}", sar_case),
        ("{sar}", sar),
        ("{item_kind}", "note".to_string()),
        ("{item}", sar_note.to_string()),
        (
            "{contact_version}",
            crate::ombudsman::version_of(app, contact).to_string(),
        ),
        ("{contact}", contact.to_string()),
        ("{request}", request.to_string()),
        ("{order}", order.to_string()),
        ("{today_day}", t.day().to_string()),
        ("{today_month}", t.month().to_string()),
        ("{today_year}", t.year().to_string()),
        ("{area}", team.area.to_string()),
        ("{manager}", team.manager.to_string()),
        ("{other_manager}", team.other_manager.to_string()),
        ("{director}", director_id.to_string()),
        ("{user}", team.other_manager.to_string()),
        ("{category}", category.to_string()),
        ("{kind}", "stage1_response".to_string()),
        ("{id}", "999999".to_string()),
        ("{officer}", officer_id.to_string()),
    ];
    World {
        officer_token: token(&team.officer).await,
        manager_token: token(&team.manager_client).await,
        director_token: token(&director).await,
        admin_token: token(&admin).await,
        team,
        director,
        admin,
        public,
        ids,
    }
}

/// Rows in the tables forms write, and the case's version: equal before and after a refusal.
fn written(app: &TestApp, reference: Option<&str>) -> Vec<i64> {
    let mut conn = app.conn();
    let mut counts = vec![
        cases::table.count().get_result::<i64>(&mut conn).unwrap(),
        case_events::table.count().get_result(&mut conn).unwrap(),
        complainants::table.count().get_result(&mut conn).unwrap(),
        users::table.count().get_result(&mut conn).unwrap(),
        service_areas::table.count().get_result(&mut conn).unwrap(),
        categories::table.count().get_result(&mut conn).unwrap(),
        contractors::table.count().get_result(&mut conn).unwrap(),
        letters::table.count().get_result(&mut conn).unwrap(),
        attachments::table.count().get_result(&mut conn).unwrap(),
        governance_documents::table
            .count()
            .get_result(&mut conn)
            .unwrap(),
        contact_restrictions::table
            .count()
            .get_result(&mut conn)
            .unwrap(),
        ombudsman_contacts::table
            .count()
            .get_result(&mut conn)
            .unwrap(),
        ombudsman_evidence_requests::table
            .count()
            .get_result(&mut conn)
            .unwrap(),
        ombudsman_orders::table
            .count()
            .get_result(&mut conn)
            .unwrap(),
        subject_access_requests::table
            .count()
            .get_result(&mut conn)
            .unwrap(),
        personal_data_markings::table
            .count()
            .get_result(&mut conn)
            .unwrap(),
    ];
    if let Some(reference) = reference {
        let version: i32 = cases::table
            .filter(cases::reference.eq(reference))
            .select(cases::version)
            .first(&mut conn)
            .unwrap();
        counts.push(version.into());
    }
    counts
}

fn fill(value: &str, ids: &[(&str, String)], version: i32) -> String {
    let mut value = value.replace("{version}", &version.to_string());
    for (name, id) in ids {
        value = value.replace(name, id);
    }
    value
}

/// A new case in the state `case` names, or none.
async fn case_for(app: &TestApp, w: &World, case: CaseIn) -> Option<String> {
    match case {
        CaseIn::Nowhere => None,
        CaseIn::Received => Some(log_case(&w.team.officer, today(), &[]).await),
        CaseIn::Stage1 => Some(stage1_case(app, &w.team, today(), today()).await),
        CaseIn::Confidential => Some(
            log_case(
                &w.team.officer,
                today(),
                &[
                    ("confidential", "true"),
                    ("address_line_1", "1 Quay Street"),
                    ("address_town", "Anytown"),
                    ("address_postcode", "AN1 1AA"),
                ],
            )
            .await,
        ),
    }
}

fn version_of(app: &TestApp, reference: Option<&str>) -> i32 {
    reference.map_or(0, |r| {
        cases::table
            .filter(cases::reference.eq(r))
            .select(cases::version)
            .first(&mut app.conn())
            .unwrap()
    })
}

/// One post of a route's form.
enum Variant {
    /// Field `i` replaced by a hostile value.
    Replace(usize, String),
    /// Every field sent twice, the second time as 999999.
    Doubled,
    /// The version before the case's current one.
    Stale,
    /// 31 February 2026 in every date.
    ImpossibleDate,
}

/// Posts every hostile variant of `route` as `who`; the problems found, if any.
async fn probe(app: &TestApp, w: &World, route: &FormRoute, who: As) -> Vec<String> {
    let mut reference = case_for(app, w, route.case).await;
    let own;
    let (client, token) = match who {
        As::Public => (&w.public, token(&w.public).await),
        As::Officer => (&w.team.officer, w.officer_token.clone()),
        As::Manager => (&w.team.manager_client, w.manager_token.clone()),
        As::Director => (&w.director, w.director_token.clone()),
        As::Admin => (&w.admin, w.admin_token.clone()),
        As::OwnOfficer => {
            own = app.signed_in_as(Role::Officer).await;
            let t = token(&own).await;
            (&own, t)
        }
    };
    let base = |version: i32| -> Vec<(String, String)> {
        route
            .fields
            .iter()
            .map(|(k, v)| (k.to_string(), fill(v, &w.ids, version)))
            .collect()
    };
    // Each field replaced by each value; then every field twice; then a stale version; then
    // 31 February wherever there is a date. The version is read just before each post, so
    // each reaches the form's own checks even after an earlier post moved the case on.
    let values = hostile_values();
    let mut variants: Vec<Variant> = Vec::new();
    for i in 0..route.fields.len().max(1) {
        variants.extend(values.iter().map(|v| Variant::Replace(i, v.clone())));
    }
    variants.push(Variant::Doubled);
    if reference.is_some() {
        variants.push(Variant::Stale);
    }
    if route.fields.iter().any(|(k, _)| k.ends_with("_day")) {
        variants.push(Variant::ImpossibleDate);
    }
    let mut problems = Vec::new();
    for variant in variants {
        let now = version_of(app, reference.as_deref());
        let path = fill(
            &route
                .path
                .replace("{reference}", reference.as_deref().unwrap_or_default()),
            &w.ids,
            0,
        );
        let mut fields = base(now);
        match variant {
            Variant::Replace(i, value) => match fields.get_mut(i) {
                Some(field) => field.1 = value,
                None => fields.push(("field".into(), value)),
            },
            Variant::Doubled => {
                let again: Vec<(String, String)> = fields
                    .iter()
                    .map(|(k, _)| (k.clone(), "999999".into()))
                    .collect();
                fields.extend(again);
            }
            Variant::Stale => fields = base(now - 1),
            Variant::ImpossibleDate => {
                for (k, v) in fields.iter_mut() {
                    if k.ends_with("_day") {
                        *v = "31".into();
                    } else if k.ends_with("_month") {
                        *v = "2".into();
                    } else if k.ends_with("_year") {
                        *v = "2026".into();
                    }
                }
            }
        }
        fields.push(("csrf_token".into(), token.clone()));
        let before = written(app, reference.as_deref());
        let body = serde_html_form::to_string(&fields).unwrap();
        let response = client
            .client
            .post(client.url(&path))
            .header("Content-Type", "application/x-www-form-urlencoded")
            .body(body)
            .send()
            .await
            .expect("POST");
        let status = response.status();
        let html = response.text().await.unwrap_or_default();
        let shown: Vec<String> = fields
            .iter()
            .map(|(k, v)| format!("{k}={}", v.chars().take(40).collect::<String>()))
            .collect();
        if status.is_server_error() {
            problems.push(format!("{status} {who:?} {path} {shown:?}"));
            continue;
        }
        let refused = status.is_client_error() || html.contains("govuk-error-summary");
        if refused && written(app, reference.as_deref()) != before {
            problems.push(format!(
                "refused but wrote: {status} {who:?} {path} {shown:?}"
            ));
        }
        if !refused && reference.is_some() {
            // Accepted: the case has moved on, so the next variants get a fresh one and
            // still reach the form's checks rather than "already done".
            reference = case_for(app, w, route.case).await;
        }
    }
    problems
}

async fn probe_backend(app: TestApp) -> (String, usize, Vec<String>) {
    let w = world(&app).await;
    let mut problems = Vec::new();
    let mut posts = 0;
    for route in ROUTES {
        for who in route.who {
            posts += 1;
            problems.extend(probe(&app, &w, route, *who).await);
        }
    }
    (app.backend.to_string(), posts, problems)
}

#[tokio::test]
async fn hostile_values_on_every_form_never_give_a_server_error_or_write_on_refusal() {
    let mut runs = Vec::new();
    for backend in backends() {
        runs.push(async move { probe_backend(spawn_app(backend).await).await });
    }
    let results = futures_join_all(runs).await;
    let mut all = Vec::new();
    for (backend, routes, problems) in results {
        assert!(routes >= ROUTES.len());
        all.extend(problems.into_iter().map(|p| format!("{backend}: {p}")));
    }
    assert!(
        all.is_empty(),
        "{} problems:\n{}",
        all.len(),
        all.join("\n")
    );
}

/// Runs the backends side by side.
async fn futures_join_all<F: std::future::Future>(runs: Vec<F>) -> Vec<F::Output> {
    let mut out = Vec::new();
    let mut runs: Vec<_> = runs.into_iter().map(Box::pin).collect();
    match runs.len() {
        2 => {
            let (b, a) = (runs.pop().unwrap(), runs.pop().unwrap());
            let (x, y) = tokio::join!(a, b);
            out.push(x);
            out.push(y);
        }
        _ => {
            for run in runs {
                out.push(run.await);
            }
        }
    }
    out
}
