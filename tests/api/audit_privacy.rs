//! No personal data in the audit log (issue 29): a complaint's journey with distinctive
//! personal details typed at every turn, then every audit entry's detail and target is
//! scanned for them. The journey tests end with the same scan for what they typed.

use chrono::Duration;

use crate::attachments::{upload, PDF};
use crate::helpers::{assert_audit_free_of, for_each_backend};
use crate::triage::{act, act_owned, date_fields, log_case, team, today, with_copy, ACK1};

const NAME: &str = "Zebedee Quartermaine";
const EMAIL: &str = "zebedee.q@example.net";
const PHONE: &str = "07700 900 456";
const STREET: &str = "17 Wisteria Crescent";
const POSTCODE: &str = "CT2 7QZ";
const VULNERABILITY: &str = "Uses a hearing aid since the flood";
const NOTE: &str = "Spoke to Zebedee's daughter Hermione about the mould";
const REPRESENTATIVE: &str = "Ottoline Brackenbury";
const REPRESENTATIVE_EMAIL: &str = "ottoline@example.net";

/// Everything typed below that identifies or describes a person.
const PERSONAL: [&str; 12] = [
    "Zebedee",
    "Quartermaine",
    EMAIL,
    PHONE,
    "900 456",
    "Wisteria",
    POSTCODE,
    "hearing aid",
    "Hermione",
    "Ottoline",
    "Brackenbury",
    REPRESENTATIVE_EMAIL,
];

#[tokio::test]
async fn no_audit_entry_carries_what_was_typed_about_people() {
    for_each_backend(|app| async move {
        let t = team(&app).await;
        let reference = log_case(
            &t.officer,
            today() - Duration::days(2),
            &[
                ("complainant_name", NAME),
                ("email", EMAIL),
                ("phone", PHONE),
                ("address_line_1", STREET),
                ("address_town", "Canterbury"),
                ("address_postcode", POSTCODE),
                ("vulnerability_notes", VULNERABILITY),
                ("description", "Zebedee Quartermaine's ceiling leaks"),
            ],
        )
        .await;
        let ok = |status: reqwest::StatusCode, what: &str| assert_eq!(status, 303, "{what}");
        ok(
            act(&t.officer, &reference, "triage", &[("decision", "stage1")])
                .await
                .status(),
            "triage",
        );
        let (area, manager) = (t.area.to_string(), t.manager.to_string());
        ok(
            act(
                &t.officer,
                &reference,
                "assign",
                &[("service_area", &area), ("manager", &manager)],
            )
            .await
            .status(),
            "assign",
        );
        let mut acknowledgement = vec![
            ("method".to_string(), "letter".to_string()),
            ("points".to_string(), format!("{NAME}'s repair\n{STREET}")),
        ];
        acknowledgement.extend(date_fields("sent", today()));
        ok(
            act_owned(&t.officer, &reference, ACK1, &with_copy(&acknowledgement))
                .await
                .status(),
            "acknowledge",
        );
        // The case page shows the vulnerability notes to the officer: an audited view.
        let page = t.officer.get_html(&format!("/cases/{reference}")).await;
        assert!(page.contains(VULNERABILITY));
        let mut note = vec![
            ("kind".to_string(), "note".to_string()),
            ("text".to_string(), NOTE.to_string()),
        ];
        note.extend(date_fields("on", today()));
        ok(
            act_owned(&t.officer, &reference, "notes", &note)
                .await
                .status(),
            "note",
        );
        let mut representative: Vec<(String, String)> = [
            ("representative_name", REPRESENTATIVE),
            ("representative_relationship", "advocate"),
            ("representative_email", REPRESENTATIVE_EMAIL),
        ]
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect();
        representative.extend(date_fields("representative_consent", today()));
        ok(
            act_owned(&t.officer, &reference, "representative", &representative)
                .await
                .status(),
            "representative",
        );
        let mut restriction = vec![
            (
                "what".to_string(),
                format!("{NAME} may only write to {EMAIL}"),
            ),
            ("reason".to_string(), format!("Hermione asked, {PHONE}")),
        ];
        restriction.extend(date_fields("review", today() + Duration::days(30)));
        ok(
            act_owned(&t.officer, &reference, "restriction", &restriction)
                .await
                .status(),
            "restriction",
        );
        let uploaded = upload(
            &t.officer,
            &reference,
            "Zebedee Quartermaine tenancy.pdf",
            PDF,
        )
        .await;
        assert!(uploaded.status().is_redirection(), "upload");
        let mut withdrawal = vec![
            ("choice".to_string(), "resident".to_string()),
            ("reason".to_string(), format!("{NAME} moved to {STREET}")),
        ];
        withdrawal.extend(date_fields("on", today()));
        ok(
            act_owned(&t.officer, &reference, "withdraw", &withdrawal)
                .await
                .status(),
            "withdraw",
        );
        let mut reopening = vec![("reason".to_string(), format!("Ottoline phoned {PHONE}"))];
        reopening.extend(date_fields("on", today()));
        ok(
            act_owned(&t.officer, &reference, "reopen", &reopening)
                .await
                .status(),
            "reopen",
        );

        for action in [
            "case_logged",
            "case_note",
            "case_representative_changed",
            "case_restriction_proposed",
            "attachment_uploaded",
            "case_withdrawal",
            "case_reopened",
            "vulnerability_notes_viewed",
        ] {
            assert!(app.audit_count(action) >= 1, "{action} was audited");
        }
        let read = assert_audit_free_of(&app, &PERSONAL);
        assert!(read >= 10, "{read} entries read");
    })
    .await;
}
