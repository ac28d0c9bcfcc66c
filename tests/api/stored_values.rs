//! The case vocabularies as the database holds them (`src/db/text_enum.rs`): every value is
//! written and read back as its text on each backend, and a stored value the code does not
//! know is a clear error rather than a panic or a silently blank label.

use diesel::prelude::*;
use diesel::result::Error;
use diesel::sql_types::{Nullable, Text};
use redress::db::cases as case_rows;
use redress::db::schema::cases;
use redress::domain::case::{Channel, CompensationStatus, RemedyKind, Status};
use redress::domain::Role;
use redress::rules::Stage;

use crate::helpers::for_each_backend;
use crate::triage::{log_case, today};

/// Binds each value, checks the text the database received, and reads that text back.
macro_rules! assert_round_trips {
    ($conn:expr, $type:ty, $values:expr, $stored:expr) => {
        for value in $values {
            let text: String = diesel::select(value.into_sql::<Text>())
                .get_result($conn)
                .unwrap();
            assert_eq!(text, $stored(*value));
            let back: $type = diesel::select(text.into_sql::<Text>())
                .get_result($conn)
                .unwrap();
            assert_eq!(back, *value);
        }
    };
}

#[tokio::test]
async fn every_value_is_stored_as_its_text_and_read_back() {
    for_each_backend(|app| async move {
        let conn = &mut app.conn();
        assert_round_trips!(conn, Status, Status::ALL, Status::as_str);
        assert_round_trips!(conn, Channel, Channel::ALL, Channel::as_str);
        assert_round_trips!(conn, Stage, &Stage::ALL, Stage::key);
        assert_round_trips!(
            conn,
            CompensationStatus,
            CompensationStatus::ALL,
            CompensationStatus::as_str
        );
        assert_round_trips!(conn, RemedyKind, RemedyKind::ALL, RemedyKind::as_str);
        // `cases.stage` is nullable.
        for stage in [None, Some(Stage::Stage2)] {
            let back: Option<Stage> = diesel::select(stage.into_sql::<Nullable<Text>>())
                .get_result(conn)
                .unwrap();
            assert_eq!(back, stage, "{}", app.backend);
        }
    })
    .await;
}

#[tokio::test]
async fn a_case_whose_stored_status_is_unknown_is_a_clear_error_not_a_panic() {
    for_each_backend(|app| async move {
        let officer = app.signed_in_as(Role::Officer).await;
        let reference = log_case(&officer, today(), &[]).await;
        let conn = &mut app.conn();
        let row = case_rows::find_by_reference(conn, &reference)
            .unwrap()
            .unwrap();
        assert_eq!(
            (row.status, row.channel, row.stage),
            (Status::Received, Channel::Phone, None)
        );

        diesel::update(cases::table.filter(cases::reference.eq(&reference)))
            .set(cases::status.eq("on_hold"))
            .execute(conn)
            .unwrap();
        let err = case_rows::find_by_reference(conn, &reference).unwrap_err();
        assert!(
            matches!(err, Error::DeserializationError(_)),
            "{}: {err:?}",
            app.backend
        );
        // What the log shows (`{:#}` of the error, as `AppError` writes it).
        let logged = format!("{:#}", anyhow::Error::from(err));
        assert!(
            logged.contains("field 'status'") && logged.contains("`on_hold` is not a known status"),
            "{}: {logged}",
            app.backend
        );
        // The case page reports a server error; the worker survives to answer the next one.
        let page = officer.get(&format!("/cases/{reference}")).await;
        assert_eq!(page.status(), 500, "{}", app.backend);
        assert_eq!(
            officer.get("/cases/new").await.status(),
            200,
            "{}",
            app.backend
        );
    })
    .await;
}
