// @generated automatically by Diesel CLI.

diesel::table! {
    approval_requests (id) {
        id -> Integer,
        case_id -> Integer,
        kind -> Text,
        stage -> Text,
        decision_id -> Nullable<Integer>,
        restriction_id -> Nullable<Integer>,
        requested_by_id -> Integer,
        requested_at -> Timestamp,
        amount_pence -> Nullable<Integer>,
        what -> Text,
        reason -> Text,
        state -> Text,
        decided_by_id -> Nullable<Integer>,
        decided_at -> Nullable<Timestamp>,
        comment -> Nullable<Text>,
        version -> Integer,
    }
}

diesel::table! {
    attachments (id) {
        id -> Integer,
        case_id -> Integer,
        file_name -> Text,
        content_type -> Text,
        size_bytes -> Integer,
        sha256 -> Text,
        storage_key -> Text,
        uploaded_by -> Integer,
        uploaded_at -> Timestamp,
    }
}

diesel::table! {
    audit_log (id) {
        id -> Integer,
        actor_id -> Nullable<Integer>,
        actor_label -> Text,
        action -> Text,
        target -> Text,
        detail -> Text,
        ip -> Nullable<Text>,
        at -> Timestamp,
    }
}

diesel::table! {
    case_events (id) {
        id -> Integer,
        case_id -> Integer,
        kind -> Text,
        occurred_on -> Date,
        actor_id -> Nullable<Integer>,
        actor_label -> Text,
        summary -> Text,
        detail -> Text,
        recorded_at -> Timestamp,
    }
}

diesel::table! {
    case_links (id) {
        id -> Integer,
        case_id -> Integer,
        related_case_id -> Integer,
        created_at -> Timestamp,
    }
}

diesel::table! {
    case_sequences (year) {
        year -> Integer,
        last_sequence -> Integer,
    }
}

diesel::table! {
    cases (id) {
        id -> Integer,
        reference -> Text,
        complainant_id -> Integer,
        property_id -> Nullable<Integer>,
        channel -> Text,
        received_on -> Date,
        logged_at -> Timestamp,
        occurred_on -> Nullable<Date>,
        aware_on -> Nullable<Date>,
        classification -> Nullable<Text>,
        stage -> Nullable<Text>,
        status -> Text,
        health_and_safety -> Bool,
        safeguarding -> Bool,
        confidential -> Bool,
        service_area_id -> Nullable<Integer>,
        category_id -> Nullable<Integer>,
        contractor_id -> Nullable<Integer>,
        case_officer_id -> Nullable<Integer>,
        assignee_id -> Nullable<Integer>,
        description -> Text,
        outcome_sought -> Text,
        policy -> Text,
        stage_started_on -> Nullable<Date>,
        acknowledged_on -> Nullable<Date>,
        next_due_on -> Nullable<Date>,
        closed_at -> Nullable<Timestamp>,
        duplicate_of_id -> Nullable<Integer>,
        version -> Integer,
        created_at -> Timestamp,
        updated_at -> Timestamp,
        tenure -> Text,
    }
}

diesel::table! {
    categories (id) {
        id -> Integer,
        name -> Text,
        active -> Bool,
        created_at -> Timestamp,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    compensation_payments (id) {
        id -> Integer,
        case_id -> Integer,
        amount_pence -> Integer,
        paid_on -> Date,
        recorded_by_id -> Nullable<Integer>,
        created_at -> Timestamp,
    }
}

diesel::table! {
    complainants (id) {
        id -> Integer,
        name -> Text,
        email -> Nullable<Text>,
        phone -> Nullable<Text>,
        address -> Nullable<Text>,
        postcode -> Nullable<Text>,
        preferred_channel -> Text,
        tenancy_relationship -> Text,
        adjustments -> Text,
        interpreter_language -> Nullable<Text>,
        vulnerability_notes -> Nullable<Text>,
        created_at -> Timestamp,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    complaint_points (id) {
        id -> Integer,
        case_id -> Integer,
        stage -> Text,
        number -> Integer,
        text -> Text,
        created_at -> Timestamp,
    }
}

diesel::table! {
    contact_restrictions (id) {
        id -> Integer,
        case_id -> Integer,
        proposed_by_id -> Integer,
        proposed_at -> Timestamp,
        what -> Text,
        reason -> Text,
        review_on -> Date,
        status -> Text,
        decided_by_id -> Nullable<Integer>,
        decided_at -> Nullable<Timestamp>,
        decline_reason -> Nullable<Text>,
        ended_by_id -> Nullable<Integer>,
        ended_at -> Nullable<Timestamp>,
        end_reason -> Nullable<Text>,
        version -> Integer,
    }
}

diesel::table! {
    contractors (id) {
        id -> Integer,
        name -> Text,
        contact_email -> Nullable<Text>,
        active -> Bool,
        created_at -> Timestamp,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    decisions (id) {
        id -> Integer,
        case_id -> Integer,
        stage -> Text,
        outcome -> Nullable<Text>,
        summary -> Text,
        compensation_pence -> Integer,
        compensation_status -> Text,
        approved_by_id -> Nullable<Integer>,
        approved_at -> Nullable<Timestamp>,
        sent_on -> Nullable<Date>,
        sent_method -> Nullable<Text>,
        drafted_by_id -> Nullable<Integer>,
        created_at -> Timestamp,
        updated_at -> Timestamp,
        check_state -> Nullable<Text>,
        check_comment -> Nullable<Text>,
        checked_by_id -> Nullable<Integer>,
        checked_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    director_digests_sent (user_id, day) {
        user_id -> Integer,
        day -> Date,
        queued_at -> Timestamp,
    }
}

diesel::table! {
    digests_sent (user_id, day) {
        user_id -> Integer,
        day -> Date,
        queued_at -> Timestamp,
    }
}

diesel::table! {
    findings (id) {
        id -> Integer,
        decision_id -> Integer,
        point_number -> Integer,
        finding -> Text,
        reasons -> Text,
    }
}

diesel::table! {
    head_of_service_alerts (case_id, due_on) {
        case_id -> Integer,
        due_on -> Date,
        queued_at -> Timestamp,
    }
}

diesel::table! {
    heartbeat (id) {
        id -> Integer,
        beat_at -> Timestamp,
    }
}

diesel::table! {
    improvement_actions (id) {
        id -> Integer,
        lesson_id -> Integer,
        case_id -> Integer,
        description -> Text,
        owner_id -> Nullable<Integer>,
        due_on -> Nullable<Date>,
        status -> Text,
        evidence -> Nullable<Text>,
        created_at -> Timestamp,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    incoming_email_files (id) {
        id -> Integer,
        email_id -> Integer,
        file_name -> Text,
        content_type -> Text,
        size_bytes -> BigInt,
        sha256 -> Text,
        storage_key -> Text,
        refused -> Nullable<Text>,
    }
}

diesel::table! {
    incoming_emails (id) {
        id -> Integer,
        message_id -> Text,
        from_address -> Text,
        from_name -> Text,
        subject -> Text,
        sent_at -> Nullable<Timestamp>,
        received_at -> Timestamp,
        body_text -> Text,
        quoted_text -> Text,
        status -> Text,
        automatic -> Nullable<Text>,
        reason -> Nullable<Text>,
        case_id -> Nullable<Integer>,
        handled_by -> Nullable<Integer>,
        handled_at -> Nullable<Timestamp>,
        eml_key -> Text,
        eml_sha256 -> Text,
        eml_size -> BigInt,
    }
}

diesel::table! {
    lessons (id) {
        id -> Integer,
        case_id -> Integer,
        decision_id -> Integer,
        lesson -> Text,
        created_at -> Timestamp,
    }
}

diesel::table! {
    letters (id) {
        id -> Integer,
        case_id -> Integer,
        kind -> Text,
        stage -> Text,
        status -> Text,
        body -> Text,
        details -> Text,
        recipient_name -> Nullable<Text>,
        recipient_address -> Nullable<Text>,
        recipient_email -> Nullable<Text>,
        channel -> Nullable<Text>,
        large_print -> Bool,
        frozen_html -> Nullable<Text>,
        frozen_text -> Nullable<Text>,
        sent_on -> Nullable<Date>,
        sent_by_id -> Nullable<Integer>,
        sent_at -> Nullable<Timestamp>,
        posted_on -> Nullable<Date>,
        posted_by_id -> Nullable<Integer>,
        version -> Integer,
        created_by_id -> Nullable<Integer>,
        created_at -> Timestamp,
        updated_at -> Timestamp,
        elsewhere_method -> Nullable<Text>,
        copy_attachment_id -> Nullable<Integer>,
    }
}

diesel::table! {
    message_wordings (kind) {
        kind -> Text,
        subject -> Text,
        body -> Text,
        version -> Integer,
        updated_by -> Integer,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    missed_deadline_alerts (case_id, due_on) {
        case_id -> Integer,
        due_on -> Date,
        queued_at -> Timestamp,
    }
}

diesel::table! {
    outbox (id) {
        id -> Integer,
        kind -> Text,
        recipient -> Text,
        subject -> Text,
        body_text -> Text,
        body_html -> Nullable<Text>,
        message_id -> Text,
        case_id -> Nullable<Integer>,
        letter_id -> Nullable<Integer>,
        status -> Text,
        attempts -> Integer,
        next_attempt_at -> Timestamp,
        lease_owner -> Nullable<Text>,
        lease_expires_at -> Nullable<Timestamp>,
        last_error -> Nullable<Text>,
        created_at -> Timestamp,
        sent_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    properties (id) {
        id -> Integer,
        address -> Text,
        postcode -> Text,
        property_reference -> Nullable<Text>,
        created_at -> Timestamp,
    }
}

diesel::table! {
    public_submissions (id) {
        id -> Integer,
        ip -> Text,
        submitted_at -> Timestamp,
    }
}

diesel::table! {
    recovery_codes (id) {
        id -> Integer,
        user_id -> Integer,
        code_hash -> Text,
        used_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    remedies (id) {
        id -> Integer,
        case_id -> Integer,
        decision_id -> Integer,
        kind -> Text,
        description -> Text,
        owner_id -> Nullable<Integer>,
        due_on -> Nullable<Date>,
        amount_pence -> Nullable<Integer>,
        done_on -> Nullable<Date>,
        evidence -> Nullable<Text>,
        created_at -> Timestamp,
        time_and_trouble_pence -> Integer,
        distress_pence -> Integer,
        financial_loss_pence -> Integer,
        other_pence -> Integer,
    }
}

diesel::table! {
    representatives (id) {
        id -> Integer,
        case_id -> Integer,
        name -> Text,
        relationship -> Text,
        email -> Nullable<Text>,
        phone -> Nullable<Text>,
        address -> Nullable<Text>,
        consent_received_on -> Nullable<Date>,
        created_at -> Timestamp,
    }
}

diesel::table! {
    saved_views (id) {
        id -> Integer,
        owner_id -> Integer,
        name -> Text,
        query -> Text,
        created_at -> Timestamp,
    }
}

diesel::table! {
    service_areas (id) {
        id -> Integer,
        name -> Text,
        code -> Text,
        head_of_service_id -> Nullable<Integer>,
        active -> Bool,
        created_at -> Timestamp,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    sign_in_attempts (id) {
        id -> Integer,
        email -> Text,
        ip -> Text,
        succeeded -> Bool,
        attempted_at -> Timestamp,
    }
}

diesel::table! {
    stage_outcomes (id) {
        id -> Integer,
        case_id -> Integer,
        stage -> Text,
        outcome -> Text,
        sent_on -> Date,
        due_on -> Nullable<Date>,
        met -> Bool,
        days_late -> Integer,
        extended -> Bool,
        code_due_on -> Nullable<Date>,
        code_met -> Bool,
        code_days_late -> Integer,
        created_at -> Timestamp,
        stage_started_on -> Nullable<Date>,
        working_days -> Nullable<Integer>,
        service_area_id -> Nullable<Integer>,
        category_id -> Nullable<Integer>,
        contractor_id -> Nullable<Integer>,
        channel -> Text,
        assignee_id -> Nullable<Integer>,
        compensation_pence -> Integer,
    }
}

diesel::table! {
    user_service_areas (user_id, service_area_id) {
        user_id -> Integer,
        service_area_id -> Integer,
    }
}

diesel::table! {
    users (id) {
        id -> Integer,
        email -> Text,
        display_name -> Text,
        role -> Text,
        password_hash -> Text,
        must_change_password -> Bool,
        active -> Bool,
        created_at -> Timestamp,
        updated_at -> Timestamp,
        notify_assignment -> Bool,
        notify_digest -> Bool,
        notify_missed -> Bool,
        session_generation -> Integer,
        job_title -> Text,
        second_factor_secret -> Nullable<Text>,
        second_factor_last_step -> Nullable<BigInt>,
        demo -> Bool,
    }
}

diesel::joinable!(attachments -> cases (case_id));
diesel::joinable!(incoming_email_files -> incoming_emails (email_id));
diesel::joinable!(incoming_emails -> cases (case_id));
diesel::joinable!(incoming_emails -> users (handled_by));
diesel::joinable!(attachments -> users (uploaded_by));
diesel::joinable!(audit_log -> users (actor_id));
diesel::joinable!(recovery_codes -> users (user_id));
diesel::joinable!(case_events -> cases (case_id));
diesel::joinable!(case_events -> users (actor_id));
diesel::joinable!(cases -> categories (category_id));
diesel::joinable!(cases -> complainants (complainant_id));
diesel::joinable!(cases -> contractors (contractor_id));
diesel::joinable!(cases -> properties (property_id));
diesel::joinable!(cases -> service_areas (service_area_id));
diesel::joinable!(compensation_payments -> cases (case_id));
diesel::joinable!(compensation_payments -> users (recorded_by_id));
diesel::joinable!(complaint_points -> cases (case_id));
diesel::joinable!(contact_restrictions -> cases (case_id));
diesel::joinable!(decisions -> cases (case_id));
diesel::joinable!(digests_sent -> users (user_id));
diesel::joinable!(findings -> decisions (decision_id));
diesel::joinable!(improvement_actions -> cases (case_id));
diesel::joinable!(improvement_actions -> lessons (lesson_id));
diesel::joinable!(improvement_actions -> users (owner_id));
diesel::joinable!(lessons -> cases (case_id));
diesel::joinable!(lessons -> decisions (decision_id));
diesel::joinable!(letters -> cases (case_id));
diesel::joinable!(missed_deadline_alerts -> cases (case_id));
diesel::joinable!(outbox -> cases (case_id));
diesel::joinable!(outbox -> letters (letter_id));
diesel::joinable!(remedies -> cases (case_id));
diesel::joinable!(remedies -> decisions (decision_id));
diesel::joinable!(remedies -> users (owner_id));
diesel::joinable!(representatives -> cases (case_id));
diesel::joinable!(saved_views -> users (owner_id));
diesel::joinable!(service_areas -> users (head_of_service_id));
diesel::joinable!(stage_outcomes -> cases (case_id));
diesel::joinable!(user_service_areas -> service_areas (service_area_id));
diesel::joinable!(user_service_areas -> users (user_id));

diesel::table! {
    self_assessments (year) {
        year -> Integer,
        answers -> Text,
        version -> Integer,
        updated_by_id -> Nullable<Integer>,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    annual_reports (year) {
        year -> Integer,
        narrative -> Text,
        version -> Integer,
        snapshot -> Nullable<Text>,
        published_at -> Nullable<Timestamp>,
        published_by_id -> Nullable<Integer>,
        updated_by_id -> Nullable<Integer>,
        updated_at -> Timestamp,
    }
}

// Issue 26: evidence files for a reporting year's self-assessment and annual report.
diesel::table! {
    governance_documents (id) {
        id -> Integer,
        year -> Integer,
        part -> Text,
        requirement -> Nullable<Text>,
        file_name -> Text,
        content_type -> Text,
        size_bytes -> Integer,
        sha256 -> Text,
        storage_key -> Text,
        uploaded_by_id -> Integer,
        uploaded_at -> Timestamp,
        removed_by_id -> Nullable<Integer>,
        removed_at -> Nullable<Timestamp>,
    }
}

diesel::allow_tables_to_appear_in_same_query!(
    approval_requests,
    governance_documents,
    attachments,
    audit_log,
    case_privacy,
    subject_access_requests,
    personal_data_markings,
    case_events,
    case_links,
    case_sequences,
    cases,
    categories,
    compensation_payments,
    complainants,
    complaint_points,
    contact_restrictions,
    contractors,
    decisions,
    director_digests_sent,
    digests_sent,
    findings,
    head_of_service_alerts,
    heartbeat,
    improvement_actions,
    incoming_email_files,
    incoming_emails,
    lessons,
    letters,
    message_wordings,
    missed_deadline_alerts,
    ombudsman_contacts,
    ombudsman_evidence_requests,
    ombudsman_findings,
    ombudsman_orders,
    outbox,
    properties,
    public_submissions,
    recovery_codes,
    remedies,
    representatives,
    saved_views,
    service_areas,
    sign_in_attempts,
    stage_outcomes,
    user_service_areas,
    users,
);

// Issue 27: the Housing Ombudsman stage.
diesel::table! {
    ombudsman_contacts (id) {
        id -> Integer,
        case_id -> Integer,
        kind -> Text,
        contacted_on -> Date,
        ombudsman_reference -> Text,
        contact_name -> Text,
        notes -> Text,
        determined_on -> Nullable<Date>,
        determination_summary -> Nullable<Text>,
        review_requested_on -> Nullable<Date>,
        review_outcome -> Nullable<Text>,
        closed_on -> Nullable<Date>,
        version -> Integer,
        recorded_by -> Nullable<Integer>,
        created_at -> Timestamp,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    ombudsman_evidence_requests (id) {
        id -> Integer,
        contact_id -> Integer,
        received_on -> Date,
        due_on -> Date,
        due_basis -> Text,
        asked -> Text,
        sent_on -> Nullable<Date>,
        sent_summary -> Nullable<Text>,
        sent_attachments -> Text,
        bundle_sha256 -> Nullable<Text>,
        bundle_at -> Nullable<Timestamp>,
        created_at -> Timestamp,
    }
}

diesel::table! {
    ombudsman_findings (id) {
        id -> Integer,
        contact_id -> Integer,
        element -> Text,
        finding -> Text,
        reasons -> Text,
    }
}

diesel::table! {
    ombudsman_orders (id) {
        id -> Integer,
        contact_id -> Integer,
        kind -> Text,
        details -> Text,
        amount_pence -> Nullable<BigInt>,
        issued_on -> Date,
        due_on -> Nullable<Date>,
        accepted -> Nullable<Bool>,
        response_reason -> Nullable<Text>,
        code_paragraph -> Nullable<Text>,
        completed_on -> Nullable<Date>,
        completion_evidence -> Nullable<Text>,
        evidence_sent_on -> Nullable<Date>,
    }
}

diesel::joinable!(ombudsman_contacts -> cases (case_id));
diesel::joinable!(ombudsman_evidence_requests -> ombudsman_contacts (contact_id));
diesel::joinable!(ombudsman_findings -> ombudsman_contacts (contact_id));
diesel::joinable!(ombudsman_orders -> ombudsman_contacts (contact_id));

// Issue 30: legal holds and anonymisation.
diesel::table! {
    case_privacy (case_id) {
        case_id -> Integer,
        legal_hold_reason -> Nullable<Text>,
        legal_hold_by -> Nullable<Integer>,
        legal_hold_at -> Nullable<Timestamp>,
        anonymised_at -> Nullable<Timestamp>,
        version -> Integer,
    }
}

diesel::table! {
    subject_access_requests (id) {
        id -> Integer,
        person_name -> Text,
        email -> Nullable<Text>,
        postcode -> Nullable<Text>,
        telephone -> Nullable<Text>,
        received_on -> Date,
        due_on -> Date,
        extension_months -> Integer,
        extension_reason -> Nullable<Text>,
        extended_on -> Nullable<Date>,
        answered_on -> Nullable<Date>,
        recorded_by -> Integer,
        created_at -> Timestamp,
        version -> Integer,
    }
}

diesel::table! {
    personal_data_markings (id) {
        id -> Integer,
        case_id -> Integer,
        item_kind -> Text,
        item_id -> Integer,
        marking -> Text,
        reason -> Text,
        marked_by -> Integer,
        marked_at -> Timestamp,
    }
}

diesel::joinable!(subject_access_requests -> users (recorded_by));
diesel::joinable!(personal_data_markings -> cases (case_id));
diesel::joinable!(case_privacy -> cases (case_id));

// Issue 31: one row whose number changes with every case write that can change a work
// list's count (kept by triggers; src/db/case_generation.rs).
diesel::table! {
    case_generation (id) {
        id -> Integer,
        generation -> BigInt,
    }
}

// Issue 31: one row whose number changes whenever the work lists' filter choices could
// (service areas, categories, contractors, staff names; kept by triggers;
// src/cases/list_choices.rs).
diesel::table! {
    directory_generation (id) {
        id -> Integer,
        generation -> BigInt,
    }
}

// Issue 32: the reports' month-by-month summary (src/db/report_summary.rs).
diesel::table! {
    report_summary (month, stage, breakdown, item) {
        month -> Date,
        stage -> Text,
        breakdown -> Text,
        item -> Text,
        received -> BigInt,
        responded -> BigInt,
        within_timescale -> BigInt,
        days_late -> BigInt,
        extended -> BigInt,
        working_days -> BigInt,
        timed -> BigInt,
        upheld -> BigInt,
        partly_upheld -> BigInt,
        not_upheld -> BigInt,
        compensation_pence -> BigInt,
        code_within -> BigInt,
    }
}

// Read together in one statement (src/db/case_generation.rs).
diesel::allow_tables_to_appear_in_same_query!(case_generation, directory_generation);
