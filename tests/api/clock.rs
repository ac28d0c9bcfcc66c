//! The app counts from its clock, not the machine's: stopped on 31 March 2027 (the last day
//! of a reporting year, months after the day these tests are written), a complaint received
//! that day is logged, dated, and its deadlines counted from it.

use chrono::{NaiveDate, TimeZone, Utc};
use diesel::prelude::*;
use redress::db::schema::cases;
use redress::domain::Role;
use redress::rules::Unit;

use crate::helpers::{backends, calendar, spawn_app_at};
use crate::triage::{act, log_case};

#[tokio::test]
async fn a_stopped_clock_is_the_day_every_page_and_rule_counts_from() {
    let day = NaiveDate::from_ymd_opt(2027, 3, 31).unwrap();
    // 10:00 in London (BST starts on 28 March 2027: 09:00 UTC).
    let at = Utc.with_ymd_and_hms(2027, 3, 31, 9, 0, 0).unwrap();
    for backend in backends() {
        let app = spawn_app_at(backend, at).await;
        let officer = app.signed_in_as(Role::Officer).await;
        // The form offers the clock's day; on the machine's clock it would be in the future.
        let form = officer.get_html("/cases/new").await;
        assert!(form.contains("value=\"2027\""), "{}", app.backend);
        let reference = log_case(&officer, day, &[]).await;
        assert!(reference.starts_with("CMP-2027-"), "{reference}");
        let triaged = act(&officer, &reference, "triage", &[("decision", "stage1")]).await;
        assert_eq!(triaged.status(), 303);
        let due: Option<NaiveDate> = cases::table
            .filter(cases::reference.eq(&reference))
            .select(cases::next_due_on)
            .first(&mut app.conn())
            .unwrap();
        assert_eq!(
            due,
            Some(calendar().add(day, 5, Unit::WorkingDays).unwrap()),
            "acknowledge within 5 working days of the clock's day"
        );
        let page = officer.get_html(&format!("/cases/{reference}")).await;
        assert!(
            page.contains("Received</dt>") || page.contains("31 March 2027"),
            "{page}"
        );
        assert!(page.contains("31 March 2027"), "the received date");
    }
}
