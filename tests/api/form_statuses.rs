//! The status a form answers when it is shown again (issue 18): 400 for input to correct, in
//! every form family; 409 when the record changed since the user opened the form, with the
//! form, what they typed and a list of what changed.

use chrono::Duration;

use crate::helpers::{for_each_backend, TestApp};
use crate::investigation::stage1_case;
use crate::triage::{act, hidden, log_case, team, today, Team};
use redress::domain::Role;

/// What a conflicting post must keep: typed into a free-text field of every form that has one.
const TYPED: &str = "Typed before the conflict";

/// One versioned form: where it is, on which case, who posts it, and a valid filling
/// (`{…}` filled in when posting).
struct Versioned {
    action: &'static str,
    received_only: bool,
    as_manager: bool,
    fields: &'static [(&'static str, &'static str)],
}

const VERSIONED: &[Versioned] = &[
    Versioned {
        action: "triage",
        received_only: true,
        as_manager: false,
        fields: &[
            ("decision", "excluded"),
            ("exclusion_reasons", "legal_proceedings"),
            ("exclusion_explanation", TYPED),
            ("decline_sent_day", "{day}"),
            ("decline_sent_month", "{month}"),
            ("decline_sent_year", "{year}"),
            ("decline_method", "letter"),
        ],
    },
    Versioned {
        action: "notes",
        received_only: false,
        as_manager: false,
        fields: &[
            ("kind", "note"),
            ("text", TYPED),
            ("on_day", "{day}"),
            ("on_month", "{month}"),
            ("on_year", "{year}"),
        ],
    },
    Versioned {
        action: "extend",
        received_only: false,
        as_manager: false,
        fields: &[
            ("length", "5"),
            ("reason", "other"),
            ("reason_other", TYPED),
            ("granted_day", "{day}"),
            ("granted_month", "{month}"),
            ("granted_year", "{year}"),
            ("notified_day", "{day}"),
            ("notified_month", "{month}"),
            ("notified_year", "{year}"),
            ("notified_method", "email"),
        ],
    },
    Versioned {
        action: "decision",
        received_only: false,
        as_manager: true,
        fields: &[("outcome", "upheld"), ("summary", TYPED)],
    },
    Versioned {
        action: "withdraw",
        received_only: false,
        as_manager: false,
        fields: &[
            ("choice", "resident"),
            ("reason", TYPED),
            ("on_day", "{day}"),
            ("on_month", "{month}"),
            ("on_year", "{year}"),
        ],
    },
    Versioned {
        action: "representative",
        received_only: false,
        as_manager: false,
        fields: &[
            ("representative_name", TYPED),
            ("representative_relationship", "advocate"),
            ("representative_email", "sam@example.org"),
            ("representative_consent_day", "{day}"),
            ("representative_consent_month", "{month}"),
            ("representative_consent_year", "{year}"),
        ],
    },
    Versioned {
        action: "restriction",
        received_only: false,
        as_manager: false,
        fields: &[
            ("what", TYPED),
            ("reason", "Abusive calls"),
            ("review_day", "{review_day}"),
            ("review_month", "{review_month}"),
            ("review_year", "{review_year}"),
        ],
    },
    Versioned {
        action: "related",
        received_only: false,
        as_manager: false,
        fields: &[("other", "{other_case}"), ("kind", "related")],
    },
    Versioned {
        action: "assign",
        received_only: false,
        as_manager: false,
        fields: &[("service_area", "{area}"), ("manager", "{other_manager}")],
    },
    Versioned {
        action: "involvement",
        received_only: false,
        as_manager: false,
        fields: &[("manager", "{other_manager}")],
    },
];

fn fill(value: &str, t: &Team, other_case: &str) -> String {
    let d = today();
    let review = d + Duration::days(30);
    let date = |n: u32| n.to_string();
    use chrono::Datelike;
    match value {
        "{day}" => date(d.day()),
        "{month}" => date(d.month()),
        "{year}" => d.year().to_string(),
        "{review_day}" => date(review.day()),
        "{review_month}" => date(review.month()),
        "{review_year}" => review.year().to_string(),
        "{area}" => t.area.to_string(),
        "{other_manager}" => t.other_manager.to_string(),
        "{other_case}" => other_case.to_string(),
        other => other.to_string(),
    }
}

/// Opens the form, lets someone else change the case (a note), then posts what was typed
/// against the version the form showed.
async fn post_stale(app: &TestApp, t: &Team, form: &Versioned) -> (u16, String) {
    let reference = if form.received_only {
        log_case(&t.officer, today(), &[]).await
    } else {
        stage1_case(app, t, today(), today()).await
    };
    let other_case = log_case(&t.officer, today(), &[]).await;
    let poster = if form.as_manager {
        &t.manager_client
    } else {
        &t.officer
    };
    let path = format!("/cases/{reference}/{}", form.action);
    let opened = poster.get_html(&path).await;
    let (version, last_event) = (hidden(&opened, "version"), hidden(&opened, "last_event"));
    let note = act(
        &t.officer,
        &reference,
        "notes",
        &[("kind", "note"), ("text", "Rang the resident")],
    )
    .await;
    assert_eq!(note.status(), 303, "the other change is made");
    let filled: Vec<(String, String)> = form
        .fields
        .iter()
        .map(|(k, v)| (k.to_string(), fill(v, t, &other_case)))
        .collect();
    let mut fields: Vec<(&str, &str)> = filled
        .iter()
        .map(|(k, v)| (k.as_str(), v.as_str()))
        .collect();
    fields.push(("version", &version));
    fields.push(("last_event", &last_event));
    let response = poster.post_form(&path, &fields).await;
    let status = response.status().as_u16();
    (status, response.text().await.unwrap())
}

#[tokio::test]
async fn a_stale_version_on_every_versioned_form_is_a_409_with_the_form_typed_values_and_what_changed(
) {
    for_each_backend(|app| async move {
        let t = team(&app).await;
        let mut problems = Vec::new();
        for form in VERSIONED {
            let (status, page) = post_stale(&app, &t, form).await;
            let typed = form.fields.iter().any(|(_, v)| *v == TYPED);
            let checks = [
                (status == 409, "status 409"),
                (
                    page.contains("changed by someone else"),
                    "the conflict message",
                ),
                (
                    page.contains("Changed since you opened it"),
                    "the what-changed list",
                ),
                (page.contains("Note added"), "the other change, listed"),
                (!typed || page.contains(TYPED), "the typed value kept"),
                (page.contains("<form"), "the form shown again"),
            ];
            for (ok, what) in checks {
                if !ok {
                    problems.push(format!("{}: {what} (status {status})", form.action));
                }
            }
        }
        assert!(problems.is_empty(), "{}", problems.join("\n"));
    })
    .await;
}

#[tokio::test]
async fn a_stale_letter_draft_is_a_409_with_the_typed_text_and_who_saved_meanwhile() {
    for_each_backend(|app| async move {
        let t = team(&app).await;
        let reference = stage1_case(&app, &t, today(), today()).await;
        let path = format!("/cases/{reference}/letters/stage1_response");
        let opened = t.officer.get_html(&path).await;
        let seen = |name| hidden(&opened, name);
        let save = |body: &'static str| {
            let (version, last, letter) =
                (seen("version"), seen("last_event"), seen("letter_version"));
            let client = &t.officer;
            let path = path.clone();
            async move {
                client
                    .post_form(
                        &path,
                        &[
                            ("action", "save"),
                            ("body", body),
                            ("version", &version),
                            ("last_event", &last),
                            ("letter_version", &letter),
                        ],
                    )
                    .await
            }
        };
        assert_eq!(save("Saved first").await.status(), 200);
        let stale = save(TYPED).await;
        assert_eq!(stale.status(), 409);
        let page = stale.text().await.unwrap();
        assert!(page.contains(TYPED), "typed text kept: {page}");
        assert!(page.contains("Changed since you opened it"), "{page}");
        assert!(
            page.contains("Stage 1 response letter draft saved"),
            "says what changed: {page}"
        );
    })
    .await;
}

/// One bad post per form family: each must come back as the form with its errors, 400.
#[tokio::test]
async fn bad_input_to_every_form_family_is_a_400_with_the_form_and_its_errors() {
    for_each_backend(|app| async move {
        let t = team(&app).await;
        let reference = stage1_case(&app, &t, today(), today()).await;
        let admin = app.signed_in_as(Role::Admin).await;
        let own = app.signed_in_as(Role::Officer).await;
        let public = app.with_new_client();
        public.get("/complain").await;
        let too_long = "x".repeat(10_001);
        let note = act(
            &t.officer,
            &reference,
            "notes",
            &[("kind", "note"), ("text", "")],
        )
        .await;
        let letter = {
            let path = format!("/cases/{reference}/letters/stage1_response");
            let opened = t.officer.get_html(&path).await;
            let (v, l) = (hidden(&opened, "version"), hidden(&opened, "last_event"));
            t.officer
                .post_form(
                    &path,
                    &[
                        ("action", "save"),
                        ("body", &too_long),
                        ("version", &v),
                        ("last_event", &l),
                        ("letter_version", "0"),
                    ],
                )
                .await
        };
        let families = [
            ("case action (note)", note),
            ("letter editor", letter),
            (
                "staff intake",
                t.officer
                    .post_form("/cases", &[("complainant_name", "")])
                    .await,
            ),
            (
                "public complaint",
                public
                    .post_form("/complain", &[("complainant_name", "")])
                    .await,
            ),
            ("sign-in", app.with_new_client().sign_in("", "").await),
            (
                "password change",
                own.post_form(
                    "/account/password",
                    &[
                        ("current_password", "wrong"),
                        ("new_password", "short"),
                        ("confirm_password", "other"),
                    ],
                )
                .await,
            ),
            (
                "admin: category",
                admin.post_form("/admin/categories", &[("name", "")]).await,
            ),
            (
                "admin: service area",
                admin
                    .post_form("/admin/service-areas", &[("name", ""), ("code", "")])
                    .await,
            ),
            (
                "admin: user",
                admin
                    .post_form("/admin/users", &[("display_name", ""), ("email", "")])
                    .await,
            ),
        ];
        let mut problems = Vec::new();
        for (family, response) in families {
            let status = response.status().as_u16();
            let page = response.text().await.unwrap();
            if status != 400 || !page.contains("govuk-error-summary") {
                problems.push(format!("{family}: {status}"));
            }
        }
        assert!(problems.is_empty(), "{}", problems.join("\n"));
    })
    .await;
}
