//! The decision draft as posted: its fields are numbered per complaint point and per remedy
//! or action row, so it is read from the name → value pairs rather than a fixed form type.

use std::collections::HashMap;

use chrono::{Datelike, NaiveDate};

use crate::db::decisions::{self, Draft, NewAction, NewRemedy};
use crate::db::references::Reference;
use crate::db::DbConnection;
use crate::domain::case::{Outcome, RemedyKind};
use crate::domain::date_input::DateField;
use crate::domain::{CaseId, Money, UserId};
use crate::rules::Stage;
use crate::web::error::AppError;
use crate::web::forms::{check_length, limits, FieldErrors};
use crate::web::runner::Seen;

pub const REMEDY_ROWS: usize = 3;
pub const ACTION_ROWS: usize = 2;

/// The posted form as name → value; the draft form's fields are numbered per point and row.
pub struct Posted(HashMap<String, String>);

impl Posted {
    pub fn parse(body: &[u8]) -> Posted {
        Posted(crate::web::forms::clean_pairs(body).into_iter().collect())
    }

    pub fn get(&self, name: &str) -> &str {
        self.0.get(name).map(|s| s.trim()).unwrap_or("")
    }

    fn int(&self, name: &str) -> i32 {
        self.get(name).parse().unwrap_or(0)
    }

    /// The version and newest event the form was shown with.
    pub fn seen(&self) -> Seen {
        Seen {
            version: self.int("version"),
            last_event: self.int("last_event"),
        }
    }
}

/// One remedy or action row as typed.
pub struct RowView {
    pub i: usize,
    pub kind: String,
    pub description: String,
    pub owner: String,
    pub due_day: String,
    pub due_month: String,
    pub due_year: String,
    pub amount: String,
}

impl RowView {
    pub fn of(form: &Posted, prefix: &str, i: usize) -> RowView {
        let f = |name: &str| form.get(&format!("{prefix}_{name}_{i}")).to_string();
        let due = |part: &str| form.get(&format!("{prefix}_due_{i}_{part}")).to_string();
        RowView {
            i,
            kind: f("kind"),
            description: f("description"),
            owner: f("owner"),
            due_day: due("day"),
            due_month: due("month"),
            due_year: due("year"),
            amount: f("amount"),
        }
    }
}

/// The saved draft as form values, so redrafting starts from it.
pub fn saved_values(
    conn: &mut DbConnection,
    case: CaseId,
    stage: Stage,
) -> Result<Posted, AppError> {
    let mut values = HashMap::new();
    let Some(d) = decisions::find(conn, case, stage)? else {
        return Ok(Posted(values));
    };
    values.insert("outcome".into(), d.outcome.clone().unwrap_or_default());
    values.insert("summary".into(), d.summary.clone());
    for (n, finding, reasons) in decisions::findings_of(conn, d.id)? {
        values.insert(format!("finding_{n}"), finding);
        values.insert(format!("reasons_{n}"), reasons);
    }
    for (i, r) in decisions::remedies_of(conn, d.id)?
        .into_iter()
        .enumerate()
        .take(REMEDY_ROWS)
    {
        let i = i + 1;
        values.insert(format!("remedy_kind_{i}"), r.kind.as_str().to_string());
        values.insert(format!("remedy_description_{i}"), r.description);
        values.insert(
            format!("remedy_owner_{i}"),
            r.owner_id.map(|o| o.to_string()).unwrap_or_default(),
        );
        if let Some(due) = r.due_on {
            values.insert(format!("remedy_due_{i}_day"), due.day().to_string());
            values.insert(format!("remedy_due_{i}_month"), due.month().to_string());
            values.insert(format!("remedy_due_{i}_year"), due.year().to_string());
        }
        if let Some(p) = r.amount_pence {
            values.insert(
                format!("remedy_amount_{i}"),
                Money::from_pence(p.into()).decimal(),
            );
        }
    }
    if let Some((lesson, actions)) = decisions::learning_of(conn, d.id)?.into_iter().next() {
        values.insert("lesson".into(), lesson);
        for (i, (_, _, description, owner, due, _)) in
            actions.into_iter().enumerate().take(ACTION_ROWS)
        {
            let i = i + 1;
            values.insert(format!("action_description_{i}"), description);
            values.insert(
                format!("action_owner_{i}"),
                owner.map(|o| o.to_string()).unwrap_or_default(),
            );
            if let Some(due) = due {
                values.insert(format!("action_due_{i}_day"), due.day().to_string());
                values.insert(format!("action_due_{i}_month"), due.month().to_string());
                values.insert(format!("action_due_{i}_year"), due.year().to_string());
            }
        }
    }
    Ok(Posted(values))
}

fn optional_date(
    form: &Posted,
    id: &'static str,
    name: &str,
    label: &'static str,
    errors: &mut FieldErrors,
) -> Option<NaiveDate> {
    let field = DateField {
        id,
        label,
        missing: "",
    };
    match field.parse(
        form.get(&format!("{name}_day")),
        form.get(&format!("{name}_month")),
        form.get(&format!("{name}_year")),
        false,
    ) {
        Ok(date) => date,
        Err((field, message)) => {
            errors.add(&field, message);
            None
        }
    }
}

const DUE_IDS: [&str; 3] = ["remedy-1-due", "remedy-2-due", "remedy-3-due"];
const ACTION_DUE_IDS: [&str; 2] = ["action-1-due", "action-2-due"];

/// Reads the draft, with a message per field problem.
pub fn read_draft(form: &Posted, points: &[i32], stage: Stage, by: UserId) -> (Draft, FieldErrors) {
    let mut errors = FieldErrors::new();
    let mut findings = Vec::new();
    for n in points {
        let finding = form.get(&format!("finding_{n}"));
        let reasons = form.get(&format!("reasons_{n}"));
        if finding.is_empty() && reasons.is_empty() {
            continue; // unanswered points are allowed in a draft; sending checks them
        }
        if finding.parse::<Outcome>().is_err() {
            errors.add(
                &format!("finding-{n}"),
                format!("Select a finding for complaint point {n}"),
            );
        }
        if reasons.is_empty() {
            errors.add(
                &format!("reasons-{n}"),
                format!("Enter the reasons for the finding on complaint point {n}"),
            );
        }
        check_length(
            &mut errors,
            &format!("reasons-{n}"),
            &format!("The reasons for complaint point {n}"),
            reasons,
            limits::LONG,
        );
        findings.push((*n, finding.to_string(), reasons.to_string()));
    }
    let outcome = match form.get("outcome") {
        "" => None,
        o if o.parse::<Outcome>().is_ok_and(Outcome::is_decided) => Some(o.to_string()),
        _ => {
            errors.add("outcome", "Select the overall outcome");
            None
        }
    };
    let mut remedies = Vec::new();
    for i in 1..=REMEDY_ROWS {
        let kind = form.get(&format!("remedy_kind_{i}"));
        let description = form.get(&format!("remedy_description_{i}"));
        let amount = form.get(&format!("remedy_amount_{i}"));
        if kind.is_empty() && description.is_empty() && amount.is_empty() {
            continue;
        }
        let known_kind = kind.parse::<RemedyKind>().ok();
        if known_kind.is_none() {
            errors.add(
                &format!("remedy-{i}-kind"),
                format!("Select the kind of remedy {i}"),
            );
        }
        if description.is_empty() {
            errors.add(
                &format!("remedy-{i}-description"),
                format!("Describe remedy {i}"),
            );
        }
        check_length(
            &mut errors,
            &format!("remedy-{i}-description"),
            &format!("Remedy {i}"),
            description,
            limits::LONG,
        );
        let amount_pence = if amount.is_empty() {
            None
        } else {
            match Money::parse(amount).ok().and_then(Money::stored_pence) {
                Some(p) => Some(p),
                None => {
                    errors.add(
                        &format!("remedy-{i}-amount"),
                        "Enter an amount in pounds, like 50 or 125.50",
                    );
                    None
                }
            }
        };
        if known_kind.is_some_and(RemedyKind::needs_amount)
            && amount_pence.unwrap_or(0) == 0
            && !errors.has(&format!("remedy-{i}-amount"))
        {
            errors.add(
                &format!("remedy-{i}-amount"),
                "Enter the amount of compensation",
            );
        }
        let due_on = optional_date(
            form,
            DUE_IDS[i - 1],
            &format!("remedy_due_{i}"),
            "The due date",
            &mut errors,
        );
        // A row of unknown kind is already an error, so the draft is not saved.
        let Some(kind) = known_kind else { continue };
        remedies.push(NewRemedy {
            kind,
            description: description.to_string(),
            owner_id: form
                .get(&format!("remedy_owner_{i}"))
                .parse()
                .ok()
                .map(UserId),
            due_on,
            amount_pence,
        });
    }
    let lesson = Some(form.get("lesson").to_string()).filter(|l| !l.is_empty());
    check_length(
        &mut errors,
        "lesson",
        "The lesson learned",
        form.get("lesson"),
        limits::LONG,
    );
    check_length(
        &mut errors,
        "summary",
        "The summary",
        form.get("summary"),
        limits::LONG,
    );
    let mut actions = Vec::new();
    for i in 1..=ACTION_ROWS {
        let description = form.get(&format!("action_description_{i}"));
        if description.is_empty() {
            continue;
        }
        check_length(
            &mut errors,
            &format!("action-{i}-description"),
            &format!("Improvement action {i}"),
            description,
            limits::LONG,
        );
        if lesson.is_none() {
            errors.add(
                "lesson",
                "Enter the lesson learned that the improvement actions follow from",
            );
        }
        actions.push(NewAction {
            description: description.to_string(),
            owner_id: form
                .get(&format!("action_owner_{i}"))
                .parse()
                .ok()
                .map(UserId),
            due_on: optional_date(
                form,
                ACTION_DUE_IDS[i - 1],
                &format!("action_due_{i}"),
                "The due date",
                &mut errors,
            ),
        });
    }
    (
        Draft {
            stage,
            outcome,
            summary: form.get("summary").to_string(),
            findings,
            remedies,
            lesson,
            actions,
            drafted_by: by,
        },
        errors,
    )
}

/// The owner selects of the remedy and action rows in use, by the id each error goes beside.
pub fn chosen_owners(form: &Posted) -> Vec<(String, Option<Reference>)> {
    let rows = (1..=REMEDY_ROWS)
        .filter(|i| !form.get(&format!("remedy_kind_{i}")).is_empty())
        .map(|i| ("remedy", i));
    let actions = (1..=ACTION_ROWS)
        .filter(|i| !form.get(&format!("action_description_{i}")).is_empty())
        .map(|i| ("action", i));
    rows.chain(actions)
        .map(|(prefix, i)| {
            let owner = form.get(&format!("{prefix}_owner_{i}")).parse().ok();
            (
                format!("{prefix}-{i}-owner"),
                owner.map(|id| Reference::User(UserId(id))),
            )
        })
        .collect()
}
