//! The Housing Ombudsman stage (issue 27), through the forms as a browser posts them, on both
//! backends: the whole path from a request to respond on an open case to a closed referral
//! (evidence request counted in working days, evidence bundle exported and recorded as sent,
//! determination, an order complied with); an overdue order first on the register and on the
//! dashboard; and a year's figures — the maladministration rate against a hand-computed
//! fixture and a complaint handling failure order.

use std::io::Read;

use chrono::{Datelike, Duration, NaiveDate};
use diesel::prelude::*;
use redress::db::schema::{
    case_events, cases, ombudsman_contacts, ombudsman_evidence_requests, ombudsman_orders,
};
use redress::rules::Unit;

use crate::helpers::{calendar, for_each_backend, location, TestApp};
use crate::investigation::stage1_case;
use crate::triage::{act, date_fields, hidden, row_of, team, today};

fn owned(fields: &[(&str, &str)]) -> Vec<(String, String)> {
    fields
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect()
}

/// Opens the form at `path` and posts `fields` with the version it showed.
pub async fn step(client: &TestApp, path: &str, fields: &[(String, String)]) -> reqwest::Response {
    let form = client.get_html(path).await;
    let version = hidden(&form, "version");
    let mut all: Vec<(&str, &str)> = fields
        .iter()
        .map(|(k, v)| (k.as_str(), v.as_str()))
        .collect();
    all.push(("version", &version));
    client.post_form(path, &all).await
}

/// Records a contact of `kind` on case `reference`; gives its id.
pub async fn contact(
    officer: &TestApp,
    reference: &str,
    kind: &str,
    on: NaiveDate,
    ombudsman_reference: &str,
) -> i32 {
    let mut fields = owned(&[
        ("kind", kind),
        ("ombudsman_reference", ombudsman_reference),
        ("contact_name", "Sam Caseworker"),
        ("notes", "They asked us to respond"),
    ]);
    fields.extend(date_fields("contacted", on));
    let form = officer
        .get(&format!("/cases/{reference}/ombudsman/new"))
        .await;
    assert_eq!(form.status(), 200);
    let borrowed: Vec<(&str, &str)> = fields
        .iter()
        .map(|(k, v)| (k.as_str(), v.as_str()))
        .collect();
    let response = officer
        .post_form(&format!("/cases/{reference}/ombudsman"), &borrowed)
        .await;
    assert_eq!(response.status(), 303, "{}", response.text().await.unwrap());
    location(&response)
        .trim_start_matches("/ombudsman/")
        .parse()
        .unwrap()
}

/// An evidence request received `received`, due in `days` working days.
pub async fn evidence_request(officer: &TestApp, contact: i32, received: NaiveDate, days: u32) {
    let mut fields = owned(&[
        ("asked", "The complete case file and the repair records"),
        ("deadline", "days"),
        ("days", &days.to_string()),
    ]);
    fields.extend(date_fields("received", received));
    let response = step(officer, &format!("/ombudsman/{contact}/evidence"), &fields).await;
    assert_eq!(response.status(), 303, "{}", response.text().await.unwrap());
}

/// A determination dated `on` with `findings` (element, finding) and `orders` (kind,
/// amount, due).
pub async fn determine(
    officer: &TestApp,
    contact: i32,
    on: NaiveDate,
    findings: &[(&str, &str)],
    orders: &[(&str, &str, NaiveDate)],
    recommendation: bool,
) {
    let mut fields = date_fields("determined", on).to_vec();
    for (n, (element, finding)) in findings.iter().enumerate() {
        let n = n + 1;
        fields.push((format!("element_{n}"), element.to_string()));
        fields.push((format!("finding_{n}"), finding.to_string()));
        fields.push((format!("reasons_{n}"), format!("Reasons for element {n}")));
    }
    for (n, (kind, amount, due)) in orders.iter().enumerate() {
        let n = n + 1;
        fields.push((format!("order_kind_{n}"), kind.to_string()));
        fields.push((format!("order_details_{n}"), format!("Order {n} details")));
        fields.push((format!("order_amount_{n}"), amount.to_string()));
        fields.extend(date_fields(&format!("order_due_{n}"), *due));
    }
    if recommendation {
        fields.extend(owned(&[
            ("recommendation_1", "Review the damp and mould policy"),
            ("accepted_1", "yes"),
        ]));
    }
    let response = step(
        officer,
        &format!("/ombudsman/{contact}/determination"),
        &fields,
    )
    .await;
    assert_eq!(response.status(), 303, "{}", response.text().await.unwrap());
}

/// The first evidence request and order of `contact`.
pub fn request_and_order(app: &TestApp, contact: i32) -> (i32, i32) {
    let request = ombudsman_evidence_requests::table
        .filter(ombudsman_evidence_requests::contact_id.eq(contact))
        .select(ombudsman_evidence_requests::id)
        .first(&mut app.conn())
        .unwrap();
    let order = ombudsman_orders::table
        .filter(ombudsman_orders::contact_id.eq(contact))
        .select(ombudsman_orders::id)
        .first(&mut app.conn())
        .unwrap();
    (request, order)
}

/// Contact `id`'s version.
pub fn version_of(app: &TestApp, id: i32) -> i32 {
    ombudsman_contacts::table
        .find(id)
        .select(ombudsman_contacts::version)
        .first(&mut app.conn())
        .unwrap()
}

fn state_on_register(register: &str, contact: i32) -> &str {
    let at = register
        .find(&format!("href=\"/ombudsman/{contact}\""))
        .unwrap_or_else(|| panic!("contact {contact} on the register: {register}"));
    let row = &register[at..];
    &row[..row.find("</tr>").unwrap()]
}

#[tokio::test]
async fn an_officer_takes_a_case_from_a_request_to_respond_to_a_closed_referral() {
    for_each_backend(|app| async move {
        let t = team(&app).await;
        let reference = stage1_case(
            &app,
            &t,
            today() - Duration::days(3),
            today() - Duration::days(2),
        )
        .await;
        let case = format!("/cases/{reference}");

        // While the complaint is open, the Ombudsman asks us to respond to it.
        let early = contact(
            &t.officer,
            &reference,
            "request_to_respond",
            today() - Duration::days(1),
            "202600001",
        )
        .await;
        let page = t.officer.get_html(&case).await;
        assert!(page.contains("id=\"ombudsman-contacts\""), "{page}");
        assert!(
            page.contains("Request to respond to an open complaint"),
            "{page}"
        );
        assert!(page.contains(&format!("href=\"/ombudsman/{early}\"")));

        // A note and a file on the case, then our response closes it.
        let note = act(
            &t.officer,
            &reference,
            "notes",
            &[
                ("kind", "note"),
                ("text", "Phoned the resident about the damp"),
            ],
        )
        .await;
        assert_eq!(note.status(), 303);
        let uploaded = crate::attachments::upload(
            &t.officer,
            &reference,
            "survey.pdf",
            crate::attachments::PDF,
        )
        .await;
        assert_eq!(uploaded.status(), 303);
        crate::journey::close_stage1(&t, &reference).await;
        assert_eq!(row_of(&app, &reference).0, "closed");

        // After the final response, the resident refers it; the Ombudsman asks for evidence
        // within 10 working days.
        let referral = contact(&t.officer, &reference, "referral", today(), "202612345").await;
        evidence_request(&t.officer, referral, today(), 10).await;
        let (request, due_on): (i32, NaiveDate) = ombudsman_evidence_requests::table
            .filter(ombudsman_evidence_requests::contact_id.eq(referral))
            .select((
                ombudsman_evidence_requests::id,
                ombudsman_evidence_requests::due_on,
            ))
            .first(&mut app.conn())
            .unwrap();
        let expected = calendar().add(today(), 10, Unit::WorkingDays).unwrap();
        assert_eq!(due_on, expected);
        let register = t.officer.get_html("/ombudsman").await;
        assert!(
            state_on_register(&register, referral).contains("Awaiting evidence"),
            "{register}"
        );

        // The evidence bundle: a ZIP whose index lists every letter, note and attachment.
        let response = t
            .officer
            .post_form(
                &format!("/ombudsman/{referral}/evidence/{request}/bundle"),
                &[],
            )
            .await;
        assert_eq!(response.status(), 200);
        assert_eq!(
            response.headers()["content-type"].to_str().unwrap(),
            "application/zip"
        );
        let bytes = response.bytes().await.unwrap();
        let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes.to_vec())).unwrap();
        let names: Vec<String> = zip.file_names().map(|n| n.unwrap().to_string()).collect();
        let mut index = String::new();
        zip.by_name("index.html")
            .unwrap()
            .read_to_string(&mut index)
            .unwrap();
        let letters: Vec<&String> = names.iter().filter(|n| n.starts_with("letters/")).collect();
        assert_eq!(letters.len(), 2, "acknowledgement and response: {names:?}");
        for letter in &letters {
            assert!(index.contains(&format!("href=\"{letter}\"")), "{letter}");
        }
        assert!(index.contains("Phoned the resident about the damp"));
        assert!(index.contains("survey.pdf"), "{index}");
        let pdf = names
            .iter()
            .find(|n| n.ends_with(".pdf"))
            .expect("the attachment");
        let mut kept = Vec::new();
        zip.by_name(pdf).unwrap().read_to_end(&mut kept).unwrap();
        assert_eq!(kept, crate::attachments::PDF);
        assert!(names.contains(&"case-file.html".to_string()));
        let (sent_on, sha): (Option<NaiveDate>, Option<String>) =
            ombudsman_evidence_requests::table
                .find(request)
                .select((
                    ombudsman_evidence_requests::sent_on,
                    ombudsman_evidence_requests::bundle_sha256,
                ))
                .first(&mut app.conn())
                .unwrap();
        assert_eq!(sent_on, Some(today()), "the bundle is recorded as sent");
        assert_eq!(sha.unwrap().len(), 64);
        assert_eq!(app.audit_count("ombudsman_bundle_exported"), 1);

        // The determination: two elements, one order due in four weeks, one recommendation.
        let order_due = today() + Duration::days(28);
        determine(
            &t.officer,
            referral,
            today(),
            &[
                ("Repairs to the damp", "maladministration"),
                ("Complaint handling", "no_maladministration"),
            ],
            &[("compensation", "250", order_due)],
            true,
        )
        .await;
        let contact_page = t.officer.get_html(&format!("/ombudsman/{referral}")).await;
        assert!(
            contact_page.contains("Orders outstanding"),
            "{contact_page}"
        );
        assert!(contact_page.contains("£250.00"), "{contact_page}");
        assert!(contact_page.contains("Review the damp and mould policy"));
        let order: i32 = ombudsman_orders::table
            .filter(ombudsman_orders::contact_id.eq(referral))
            .filter(ombudsman_orders::kind.eq("compensation"))
            .select(ombudsman_orders::id)
            .first(&mut app.conn())
            .unwrap();

        // The order complied with, the evidence sent; then the contact closes.
        let mut complied = owned(&[("evidence", "Paid by bank transfer")]);
        complied.extend(date_fields("completed", today()));
        complied.extend(date_fields("evidence_sent", today()));
        let response = step(
            &t.officer,
            &format!("/ombudsman/{referral}/orders/{order}/complied"),
            &complied,
        )
        .await;
        assert_eq!(response.status(), 303, "{}", response.text().await.unwrap());
        let contact_page = t.officer.get_html(&format!("/ombudsman/{referral}")).await;
        assert!(contact_page.contains("Complied"), "{contact_page}");
        let version = hidden(&contact_page, "version");
        let closed = t
            .officer
            .post_form(
                &format!("/ombudsman/{referral}/close"),
                &[("version", &version)],
            )
            .await;
        assert_eq!(closed.status(), 303);
        let closed_on: Option<NaiveDate> = ombudsman_contacts::table
            .find(referral)
            .select(ombudsman_contacts::closed_on)
            .first(&mut app.conn())
            .unwrap();
        assert_eq!(closed_on, Some(today()));
        let register = t.officer.get_html("/ombudsman").await;
        assert!(state_on_register(&register, referral).contains("Closed"));

        // Every step is on the case's timeline and in the audit log.
        let case_id: redress::domain::CaseId = cases::table
            .filter(cases::reference.eq(&reference))
            .select(cases::id)
            .first(&mut app.conn())
            .unwrap();
        let steps: i64 = case_events::table
            .filter(case_events::case_id.eq(case_id))
            .filter(case_events::kind.eq("ombudsman"))
            .count()
            .get_result(&mut app.conn())
            .unwrap();
        // Two contacts, the request, the bundle, the determination, compliance, closing.
        assert_eq!(steps, 7);
        let page = t.officer.get_html(&case).await;
        assert!(
            page.contains("Housing Ombudsman: determination made on"),
            "{page}"
        );
        for action in [
            "ombudsman_contact_recorded",
            "ombudsman_evidence_requested",
            "ombudsman_determination_recorded",
            "ombudsman_order_complied",
            "ombudsman_contact_closed",
        ] {
            assert!(app.audit_count(action) >= 1, "{action}");
        }
        assert_eq!(app.audit_count("ombudsman_contact_recorded"), 2);
    })
    .await;
}

#[tokio::test]
async fn an_overdue_order_comes_first_on_the_register_and_the_dashboard() {
    for_each_backend(|app| async move {
        let t = team(&app).await;
        let received = today() - Duration::days(40);
        let first = stage1_case(&app, &t, received, received).await;
        let second = stage1_case(&app, &t, received, received).await;
        // Evidence due in 20 working days: not overdue.
        let waiting = contact(&t.officer, &first, "referral", today(), "202600010").await;
        evidence_request(&t.officer, waiting, today(), 20).await;
        // An order that was due three days ago.
        let late = contact(
            &t.officer,
            &second,
            "referral",
            today() - Duration::days(35),
            "202600011",
        )
        .await;
        determine(
            &t.officer,
            late,
            today() - Duration::days(30),
            &[("Repairs", "service_failure")],
            &[("apology", "", today() - Duration::days(3))],
            false,
        )
        .await;
        let register = t.officer.get_html("/ombudsman").await;
        let (at_late, at_waiting) = (
            register
                .find(&format!("href=\"/ombudsman/{late}\""))
                .unwrap(),
            register
                .find(&format!("href=\"/ombudsman/{waiting}\""))
                .unwrap(),
        );
        assert!(at_late < at_waiting, "overdue first: {register}");
        assert!(state_on_register(&register, late).contains("1 order overdue"));
        assert!(state_on_register(&register, late).contains("Orders outstanding"));
        let overdue_only = t.officer.get_html("/ombudsman?overdue=yes").await;
        assert!(overdue_only.contains(&format!("href=\"/ombudsman/{late}\"")));
        assert!(!overdue_only.contains(&format!("href=\"/ombudsman/{waiting}\"")));

        let home = t.officer.get_html("/").await;
        let tile = &home[home.find("id=\"ombudsman-tile\"").expect("the tile")..];
        let tile = &tile[..tile.find("</p>").unwrap()];
        assert!(
            tile.contains("<strong>1</strong> evidence request due")
                && tile.contains("<strong>1</strong> order overdue"),
            "{tile}"
        );

        // The register as CSV, audited.
        let csv = t.officer.get("/ombudsman.csv").await;
        assert_eq!(csv.status(), 200);
        let text = csv.text().await.unwrap();
        assert_eq!(text.lines().count(), 3, "{text}");
        let second_line = text.lines().nth(1).unwrap();
        assert!(second_line.starts_with(&second) && second_line.ends_with("Yes"));
        assert_eq!(app.audit_count("ombudsman_register_exported"), 1);
    })
    .await;
}

#[tokio::test]
async fn a_years_figures_give_the_maladministration_rate_and_the_chfos() {
    for_each_backend(|app| async move {
        let t = team(&app).await;
        let received = today() - Duration::days(10);
        let mut contacts = Vec::new();
        for n in 0..3 {
            let reference = stage1_case(&app, &t, received, received).await;
            contacts.push(contact(&t.officer, &reference, "referral", received, &format!("20260010{n}")).await);
        }
        // This year: 3 failings (severe, maladministration, service failure) of 5 findings
        // within jurisdiction (outside jurisdiction left out): 60.0%.
        determine(
            &t.officer,
            contacts[0],
            today(),
            &[
                ("Damp", "severe_maladministration"),
                ("Repairs", "maladministration"),
                ("Communication", "reasonable_redress"),
            ],
            &[],
            false,
        )
        .await;
        determine(
            &t.officer,
            contacts[1],
            today(),
            &[
                ("Noise", "service_failure"),
                ("Records", "no_maladministration"),
                ("Rent", "outside_jurisdiction"),
            ],
            &[],
            false,
        )
        .await;
        // Last year: one finding of no maladministration, not counted this year.
        let last_year = NaiveDate::from_ymd_opt(today().year() - 1, 6, 15).unwrap();
        determine(
            &t.officer,
            contacts[2],
            last_year,
            &[("Parking", "no_maladministration")],
            &[],
            false,
        )
        .await;
        // A complaint handling failure order this year.
        let mut chfo = owned(&[
            ("paragraph", "6.14"),
            ("details", "Stage 2 response sent late"),
        ]);
        chfo.extend(date_fields("issued", today()));
        let response = step(&t.officer, &format!("/ombudsman/{}/chfo", contacts[2]), &chfo).await;
        assert_eq!(response.status(), 303, "{}", response.text().await.unwrap());

        let figures = redress::ombudsman::figures::for_year(&mut app.conn(), today().year())
            .unwrap();
        assert_eq!(figures.determinations, 2);
        let rate = figures.maladministration_rate;
        assert_eq!((rate.part, rate.whole), (3, 5));
        assert_eq!(figures.chfos.len(), 1);
        assert_eq!(figures.chfos[0].paragraph, "6.14");
        let before = redress::ombudsman::figures::for_year(&mut app.conn(), today().year() - 1)
            .unwrap();
        assert_eq!(
            (before.maladministration_rate.part, before.maladministration_rate.whole),
            (0, 1)
        );
        assert!(before.chfos.is_empty());

        let page = t.officer.get_html("/ombudsman/figures").await;
        assert!(page.contains("id=\"rate\">60.0%</span>"), "{page}");
        assert!(page.contains("(3 of 5 findings)"), "{page}");
        assert!(
            page.contains("findings of severe maladministration, maladministration or service failure ÷ all findings other than outside jurisdiction"),
            "the formula is stated on the page"
        );
        assert!(page.contains("Stage 2 response sent late"), "{page}");
        let earlier = t
            .officer
            .get_html(&format!("/ombudsman/figures?year={}", today().year() - 1))
            .await;
        assert!(earlier.contains("id=\"rate\">0.0%</span>"), "{earlier}");
    })
    .await;
}
