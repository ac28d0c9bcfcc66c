use super::*;
use crate::rules::test_support::{calendar, d, england, FEED};
use proptest::prelude::*;

const WD: Unit = Unit::WorkingDays;
const CD: Unit = Unit::CalendarDays;

#[test]
fn spec_worked_examples_five_working_days_from_receipt() {
    let cal = england();
    // SPEC section 4: (received, due) for 5 working days, England and Wales.
    let cases = [
        ("2026-11-20", "2026-11-27"), // Friday
        ("2026-11-21", "2026-11-30"), // Saturday: treated as Monday 23rd
        ("2026-12-23", "2027-01-04"), // 25 Dec, 28 Dec (Boxing Day substitute), 1 Jan skipped
    ];
    for (received, due) in cases {
        assert_eq!(
            cal.add(d(received), 5, WD).unwrap(),
            d(due),
            "from {received}"
        );
    }
}

#[test]
fn add_zero_is_the_same_day_moved_to_a_working_day() {
    let cal = england();
    let cases = [
        ("2026-11-20", "2026-11-20"), // working Friday stays
        ("2026-11-21", "2026-11-23"), // Saturday -> Monday
        ("2026-11-22", "2026-11-23"), // Sunday -> Monday
        ("2026-12-25", "2026-12-29"), // Christmas, Boxing Day substitute -> Tuesday
        ("2027-01-01", "2027-01-04"), // New Year's Day (Friday) -> Monday
    ];
    for (start, expected) in cases {
        assert_eq!(
            cal.add(d(start), 0, WD).unwrap(),
            d(expected),
            "from {start}"
        );
    }
}

#[test]
fn receipt_on_a_bank_holiday_starts_the_next_working_day() {
    let cal = england();
    // Received on Good Friday 2026 (3 April): day 0 is Tuesday 7 April (Easter Monday skipped).
    assert_eq!(cal.add(d("2026-04-03"), 1, WD).unwrap(), d("2026-04-08"));
}

#[test]
fn easter_is_skipped_in_england_but_easter_monday_is_worked_in_scotland() {
    // Thursday 2 April 2026 + 1 working day: Good Friday 3rd and Easter Monday 6th skipped.
    assert_eq!(
        england().add(d("2026-04-02"), 1, WD).unwrap(),
        d("2026-04-07")
    );
    let scotland = calendar(Region::Scotland);
    assert!(!scotland.is_working_day(d("2026-04-03")).unwrap());
    assert!(scotland.is_working_day(d("2026-04-06")).unwrap());
    assert_eq!(
        scotland.add(d("2026-04-02"), 1, WD).unwrap(),
        d("2026-04-06")
    );
}

#[test]
fn christmas_and_new_year_substitute_days() {
    let cal = england();
    for holiday in [
        "2026-12-25",
        "2026-12-28",
        "2027-01-01",
        "2027-12-27",
        "2027-12-28",
    ] {
        assert!(!cal.is_working_day(d(holiday)).unwrap(), "{holiday}");
    }
    // Boxing Day 2026 is a Saturday: the bank holiday is the substitute Monday, the Saturday
    // itself is simply a weekend.
    assert!(cal.is_working_day(d("2026-12-29")).unwrap());
    // 10 working days from Friday 18 Dec 2026 crosses Christmas and New Year.
    assert_eq!(cal.add(d("2026-12-18"), 10, WD).unwrap(), d("2027-01-06"));
}

#[test]
fn scotland_has_the_second_of_january() {
    let scotland = calendar(Region::Scotland);
    let england = england();
    assert!(!scotland.is_working_day(d("2026-01-02")).unwrap());
    assert!(england.is_working_day(d("2026-01-02")).unwrap());
    // 2 Jan 2027 is a Saturday: Scotland's substitute is Monday 4 January.
    assert!(!scotland.is_working_day(d("2027-01-04")).unwrap());
    assert!(england.is_working_day(d("2027-01-04")).unwrap());
    assert_eq!(
        scotland.add(d("2026-12-23"), 5, WD).unwrap(),
        d("2027-01-05")
    );
}

#[test]
fn northern_ireland_has_st_patricks_day() {
    let ni = calendar(Region::NorthernIreland);
    assert!(!ni.is_working_day(d("2026-03-17")).unwrap());
    assert!(england().is_working_day(d("2026-03-17")).unwrap());
}

#[test]
fn calendar_days_count_from_the_start_as_given_and_roll_forward() {
    let cal = england();
    let cases = [
        ("2026-12-04", 10, "2026-12-14"), // lands on Monday
        ("2026-11-20", 1, "2026-11-23"),  // lands on Saturday -> Monday
        ("2026-11-21", 2, "2026-11-23"),  // Saturday start is not moved first
        ("2026-12-15", 10, "2026-12-29"), // lands on Christmas Day -> Tuesday 29th
        ("2026-12-18", 30, "2027-01-18"), // lands on Sunday 17th -> Monday
        ("2026-11-21", 0, "2026-11-23"),  // zero still yields a working day
    ];
    for (start, n, expected) in cases {
        assert_eq!(
            cal.add(d(start), n, CD).unwrap(),
            d(expected),
            "{start} + {n}"
        );
    }
}

#[test]
fn between_counts_working_days_after_a_up_to_b() {
    let cal = england();
    assert_eq!(cal.between(d("2026-11-20"), d("2026-11-27")).unwrap(), 5);
    assert_eq!(cal.between(d("2026-11-20"), d("2026-11-20")).unwrap(), 0);
    // Saturday to Monday: one working day (the Monday).
    assert_eq!(cal.between(d("2026-11-21"), d("2026-11-23")).unwrap(), 1);
    // Friday to Sunday: none.
    assert_eq!(cal.between(d("2026-11-20"), d("2026-11-22")).unwrap(), 0);
    // Reversed order is the negated count.
    assert_eq!(cal.between(d("2026-11-27"), d("2026-11-20")).unwrap(), -5);
    assert_eq!(cal.between(d("2026-12-23"), d("2027-01-04")).unwrap(), 5);
}

#[test]
fn dates_outside_the_feed_are_errors_not_guesses() {
    let cal = england();
    assert_eq!(cal.covered(), (d("2012-01-01"), d("2028-12-31")));
    for outside in ["2011-12-31", "2029-01-01"] {
        assert!(matches!(
            cal.is_working_day(d(outside)),
            Err(CalendarError::OutOfRange { .. })
        ));
        assert!(cal.add(d(outside), 0, WD).is_err());
        assert!(cal.between(d("2026-01-01"), d(outside)).is_err());
    }
    assert!(matches!(
        cal.add(d("2028-12-27"), 5, WD),
        Err(CalendarError::RunsPastData { .. })
    ));
    assert!(cal.add(d("2028-12-30"), 0, WD).is_err());
    assert!(cal.add(d("2028-12-20"), 20, CD).is_err());
    // Huge lengths are errors, not panics or overflow.
    assert!(cal.add(d("2026-01-01"), u32::MAX, WD).is_err());
    assert!(cal.add(d("2026-01-01"), u32::MAX, CD).is_err());
    let message = cal.is_working_day(d("2029-01-01")).unwrap_err().to_string();
    assert!(message.contains("2029-01-01"), "{message}");
}

#[test]
fn regions_parse_and_display_as_feed_keys() {
    for region in Region::ALL {
        assert_eq!(region.to_string().parse::<Region>().unwrap(), region);
    }
    assert_eq!(Region::default(), Region::EnglandAndWales);
    assert_eq!(
        "northern-ireland".parse::<Region>().unwrap(),
        Region::NorthernIreland
    );
    assert!(matches!(
        "wales".parse::<Region>(),
        Err(CalendarError::UnknownRegion(_))
    ));
}

#[test]
fn malformed_feeds_are_rejected() {
    assert!(matches!(
        Calendar::from_feed_json("not json", Region::Scotland),
        Err(CalendarError::Format(_))
    ));
    assert!(matches!(
        Calendar::from_feed_json(
            r#"{"scotland":{"division":"scotland","events":[]}}"#,
            Region::EnglandAndWales
        ),
        Err(CalendarError::MissingRegion(Region::EnglandAndWales))
    ));
    let gap = r#"{"scotland":{"division":"scotland","events":[
        {"title":"a","date":"2020-01-01","notes":"","bunting":true},
        {"title":"b","date":"2022-01-03","notes":"","bunting":true}]}}"#;
    assert!(matches!(
        Calendar::from_feed_json(gap, Region::Scotland),
        Err(CalendarError::MissingYear { year: 2021, .. })
    ));
    assert!(matches!(
        Calendar::load(
            Path::new("/nonexistent/bank-holidays.json"),
            Region::Scotland
        ),
        Err(CalendarError::Io { .. })
    ));
}

#[test]
fn shipped_file_loads_from_disk() {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/config/bank-holidays.json");
    let cal = Calendar::load(Path::new(path), Region::EnglandAndWales).unwrap();
    assert_eq!(cal.region(), Region::EnglandAndWales);
    assert!(FEED.contains("2026-12-28"));
}

fn any_date() -> impl Strategy<Value = NaiveDate> {
    // 2012-01-01 .. about 2027-12: leaves room for counting forward inside the data.
    (0u64..5800).prop_map(|offset| d("2012-01-01") + Days::new(offset))
}

proptest! {
    #[test]
    fn every_due_date_is_a_working_day_not_before_its_start(
        start in any_date(), n in 0u32..60, calendar_days in any::<bool>(),
    ) {
        let cal = england();
        let unit = if calendar_days { CD } else { WD };
        let due = cal.add(start, n, unit).unwrap();
        prop_assert!(cal.is_working_day(due).unwrap());
        prop_assert!(due >= start);
    }

    #[test]
    fn working_day_additions_compose(start in any_date(), n in 0u32..40, m in 0u32..40) {
        let cal = england();
        let stepwise = cal.add(cal.add(start, n, WD).unwrap(), m, WD).unwrap();
        prop_assert_eq!(stepwise, cal.add(start, n + m, WD).unwrap());
    }

    #[test]
    fn between_inverts_add_from_a_working_day(start in any_date(), n in 0u32..60) {
        let cal = england();
        let working_start = cal.add(start, 0, WD).unwrap();
        let due = cal.add(working_start, n, WD).unwrap();
        prop_assert_eq!(cal.between(working_start, due).unwrap(), i64::from(n));
    }
}
