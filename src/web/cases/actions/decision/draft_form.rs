//! The decision draft as posted: findings per complaint point, and any number of remedy and
//! improvement-action rows (the GOV.UK add-another pattern). Fields are numbered per point
//! and per row, so the form is read from its name → value pairs rather than a fixed type.
//! Rows are renumbered 1, 2, 3… in the order posted, so a removed row leaves no gap.

use std::collections::{BTreeSet, HashMap};

use chrono::{Datelike, NaiveDate};

use crate::db::decisions::{self, Draft, NewAction, NewRemedy};
use crate::db::references::Reference;
use crate::db::DbConnection;
use crate::domain::case::{Outcome, RemedyKind};
use crate::domain::date_input::DateField;
use crate::domain::{CaseId, CompensationHead, CompensationHeads, Money, UserId};
use crate::rules::Stage;
use crate::web::error::AppError;
use crate::web::forms::{check_length, limits, FieldErrors};
use crate::web::runner::Seen;

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

    /// The numbers of the `prefix` rows posted, in order. Every row posts its description
    /// (empty or not), so its name marks the row; the numbers come from the names posted,
    /// never from a count the browser sends.
    fn rows(&self, prefix: &str) -> Vec<usize> {
        let start = format!("{prefix}_description_");
        let numbers: BTreeSet<usize> = self
            .0
            .keys()
            .filter_map(|name| name.strip_prefix(&start)?.parse().ok())
            .collect();
        numbers.into_iter().collect()
    }

    fn due(&self, prefix: &str, n: usize) -> DueInput {
        let part = |p: &str| self.get(&format!("{prefix}_due_{n}_{p}")).to_string();
        DueInput {
            day: part("day"),
            month: part("month"),
            year: part("year"),
        }
    }
}

/// A due date as typed in its three boxes.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct DueInput {
    pub day: String,
    pub month: String,
    pub year: String,
}

impl DueInput {
    fn of(date: Option<NaiveDate>) -> DueInput {
        date.map(|d| DueInput {
            day: d.day().to_string(),
            month: d.month().to_string(),
            year: d.year().to_string(),
        })
        .unwrap_or_default()
    }

    fn is_empty(&self) -> bool {
        self.day.is_empty() && self.month.is_empty() && self.year.is_empty()
    }

    /// The date, or the error (keyed by `{id}-day` etc.) naming the row it belongs to.
    fn read(&self, id: &str, row: &str, errors: &mut FieldErrors) -> Option<NaiveDate> {
        let field = DateField {
            id: "due",
            label: "The due date",
            missing: "",
        };
        match field.parse(&self.day, &self.month, &self.year, false) {
            Ok(date) => date,
            Err((box_id, message)) => {
                let part = box_id.trim_start_matches("due-");
                let message =
                    message.replacen("The due date", &format!("The due date of {row}"), 1);
                errors.add(&format!("{id}-{part}"), message);
                None
            }
        }
    }
}

/// One compensation head's box in a remedy row.
pub struct HeadField {
    pub id: String,
    pub name: String,
    pub label: &'static str,
    pub value: String,
}

/// One remedy row as typed.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RemedyInput {
    pub kind: String,
    pub description: String,
    pub owner: String,
    pub due: DueInput,
    /// The amount typed under each head, in [`CompensationHead::ALL`] order.
    pub heads: [String; 4],
}

impl RemedyInput {
    fn posted(form: &Posted, n: usize) -> RemedyInput {
        let f = |name: &str| form.get(&format!("remedy_{name}_{n}")).to_string();
        RemedyInput {
            kind: f("kind"),
            description: f("description"),
            owner: f("owner"),
            due: form.due("remedy", n),
            heads: CompensationHead::ALL.map(|h| f(h.field())),
        }
    }

    fn is_blank(&self) -> bool {
        self.kind.is_empty()
            && self.description.is_empty()
            && self.owner.is_empty()
            && self.due.is_empty()
            && self.heads.iter().all(String::is_empty)
    }

    /// Whether the row is compensation, the one kind with an amount.
    pub fn is_compensation(&self) -> bool {
        self.kind
            .parse::<RemedyKind>()
            .is_ok_and(RemedyKind::needs_amount)
    }

    /// The head boxes of row `i`, named and identified for the form (a reference, as the
    /// template passes its loop index).
    pub fn head_fields(&self, i: &usize) -> Vec<HeadField> {
        let i = *i;
        CompensationHead::ALL
            .iter()
            .zip(&self.heads)
            .map(|(head, value)| HeadField {
                id: head_id(i, *head),
                name: format!("remedy_{}_{i}", head.field()),
                label: head.label(),
                value: value.clone(),
            })
            .collect()
    }

    /// The sum of the heads as typed, when every head typed is an amount.
    pub fn total(&self) -> Option<Money> {
        let mut pence = 0;
        for typed in self.heads.iter().filter(|t| !t.is_empty()) {
            pence += Money::parse(typed).ok()?.pence();
        }
        Some(Money::from_pence(pence))
    }
}

fn head_id(i: usize, head: CompensationHead) -> String {
    format!("remedy-{i}-{}", head.field().replace('_', "-"))
}

/// One improvement-action row as typed.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ActionInput {
    pub description: String,
    pub owner: String,
    pub due: DueInput,
}

impl ActionInput {
    fn posted(form: &Posted, n: usize) -> ActionInput {
        let f = |name: &str| form.get(&format!("action_{name}_{n}")).to_string();
        ActionInput {
            description: f("description"),
            owner: f("owner"),
            due: form.due("action", n),
        }
    }

    fn is_blank(&self) -> bool {
        self.description.is_empty() && self.owner.is_empty() && self.due.is_empty()
    }
}

/// The whole decision form as typed (or as last saved).
#[derive(Debug, Clone, Default)]
pub struct DraftInput {
    pub outcome: String,
    pub summary: String,
    pub lesson: String,
    /// Point number → (finding, reasons).
    pub findings: HashMap<i32, (String, String)>,
    pub remedies: Vec<RemedyInput>,
    pub actions: Vec<ActionInput>,
}

impl DraftInput {
    pub fn posted(form: &Posted, points: &[i32]) -> DraftInput {
        DraftInput {
            outcome: form.get("outcome").to_string(),
            summary: form.get("summary").to_string(),
            lesson: form.get("lesson").to_string(),
            findings: points
                .iter()
                .map(|n| {
                    (
                        *n,
                        (
                            form.get(&format!("finding_{n}")).to_string(),
                            form.get(&format!("reasons_{n}")).to_string(),
                        ),
                    )
                })
                .collect(),
            remedies: form
                .rows("remedy")
                .into_iter()
                .map(|n| RemedyInput::posted(form, n))
                .collect(),
            actions: form
                .rows("action")
                .into_iter()
                .map(|n| ActionInput::posted(form, n))
                .collect(),
        }
    }

    /// The saved draft as the form shows it, so redrafting starts from it.
    pub fn saved(
        conn: &mut DbConnection,
        case: CaseId,
        stage: Stage,
    ) -> Result<DraftInput, AppError> {
        let mut input = DraftInput::default();
        let Some(d) = decisions::find(conn, case, stage)? else {
            return Ok(input);
        };
        input.outcome = d.outcome.clone().unwrap_or_default();
        input.summary = d.summary.clone();
        for (n, finding, reasons) in decisions::findings_of(conn, d.id)? {
            input.findings.insert(n, (finding, reasons));
        }
        let owner = |o: Option<UserId>| o.map(|o| o.to_string()).unwrap_or_default();
        for r in decisions::remedies_of(conn, d.id)? {
            let heads = r.heads();
            input.remedies.push(RemedyInput {
                kind: r.kind.as_str().to_string(),
                description: r.description,
                owner: owner(r.owner_id),
                due: DueInput::of(r.due_on),
                heads: CompensationHead::ALL.map(|h| {
                    let amount = heads.get(h);
                    if amount.pence() > 0 {
                        amount.decimal()
                    } else {
                        String::new()
                    }
                }),
            });
        }
        if let Some((lesson, actions)) = decisions::learning_of(conn, d.id)?.into_iter().next() {
            input.lesson = lesson;
            for (_, _, description, owner_id, due, _) in actions {
                input.actions.push(ActionInput {
                    description,
                    owner: owner(owner_id),
                    due: DueInput::of(due),
                });
            }
        }
        Ok(input)
    }

    /// A form to fill in starts with one empty remedy and one empty action row.
    pub fn with_a_row_to_fill(mut self) -> DraftInput {
        if self.remedies.is_empty() {
            self.remedies.push(RemedyInput::default());
        }
        if self.actions.is_empty() {
            self.actions.push(ActionInput::default());
        }
        self
    }

    /// Applies an "Add another" or "Remove" button; everything typed is kept.
    pub fn apply(&mut self, change: RowChange) {
        match change {
            RowChange::AddRemedy => self.remedies.push(RemedyInput::default()),
            RowChange::AddAction => self.actions.push(ActionInput::default()),
            RowChange::RemoveRemedy(i) if (1..=self.remedies.len()).contains(&i) => {
                self.remedies.remove(i - 1);
            }
            RowChange::RemoveAction(i) if (1..=self.actions.len()).contains(&i) => {
                self.actions.remove(i - 1);
            }
            RowChange::RemoveRemedy(_) | RowChange::RemoveAction(_) => {}
        }
    }

    /// The finding and reasons typed for point `n`.
    pub fn finding(&self, n: i32) -> (String, String) {
        self.findings.get(&n).cloned().unwrap_or_default()
    }
}

/// A button that changes the rows instead of saving: the page comes back with the change
/// and everything typed, and nothing is saved.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RowChange {
    AddRemedy,
    AddAction,
    RemoveRemedy(usize),
    RemoveAction(usize),
}

impl RowChange {
    /// The button pressed (its `change` value), if it was one of these.
    pub fn of(form: &Posted) -> Option<RowChange> {
        let change = form.get("change");
        match change {
            "add-remedy" => Some(RowChange::AddRemedy),
            "add-action" => Some(RowChange::AddAction),
            _ => {
                if let Some(i) = change.strip_prefix("remove-remedy-") {
                    i.parse().ok().map(RowChange::RemoveRemedy)
                } else if let Some(i) = change.strip_prefix("remove-action-") {
                    i.parse().ok().map(RowChange::RemoveAction)
                } else {
                    None
                }
            }
        }
    }
}

/// Reads the draft, with a message per field problem beside the row it is about.
pub fn read_draft(
    input: &DraftInput,
    points: &[i32],
    stage: Stage,
    by: UserId,
) -> (Draft, FieldErrors) {
    let mut errors = FieldErrors::new();
    let mut findings = Vec::new();
    for n in points {
        let (finding, reasons) = input.finding(*n);
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
            &reasons,
            limits::LONG,
        );
        findings.push((*n, finding, reasons));
    }
    let outcome = match input.outcome.as_str() {
        "" => None,
        o if o.parse::<Outcome>().is_ok_and(Outcome::is_decided) => Some(o.to_string()),
        _ => {
            errors.add("outcome", "Select the overall outcome");
            None
        }
    };
    let remedies = read_remedies(&input.remedies, &mut errors);
    let lesson = Some(input.lesson.clone()).filter(|l| !l.is_empty());
    check_length(
        &mut errors,
        "lesson",
        "The lesson learned",
        &input.lesson,
        limits::LONG,
    );
    check_length(
        &mut errors,
        "summary",
        "The summary",
        &input.summary,
        limits::LONG,
    );
    let actions = read_actions(&input.actions, lesson.is_some(), &mut errors);
    (
        Draft {
            stage,
            outcome,
            summary: input.summary.clone(),
            findings,
            remedies,
            lesson,
            actions,
            drafted_by: by,
        },
        errors,
    )
}

fn read_remedies(rows: &[RemedyInput], errors: &mut FieldErrors) -> Vec<NewRemedy> {
    let mut remedies = Vec::new();
    // The decision's compensation in total, kept within what the database columns hold.
    let mut decision_total = Money::default();
    for (i, row) in rows.iter().enumerate().map(|(i, r)| (i + 1, r)) {
        if row.is_blank() {
            continue;
        }
        let known_kind = row.kind.parse::<RemedyKind>().ok();
        if known_kind.is_none() {
            errors.add(
                &format!("remedy-{i}-kind"),
                format!("Select the kind of remedy {i}"),
            );
        }
        if row.description.is_empty() {
            errors.add(
                &format!("remedy-{i}-description"),
                format!("Describe remedy {i}"),
            );
        }
        check_length(
            errors,
            &format!("remedy-{i}-description"),
            &format!("Remedy {i}"),
            &row.description,
            limits::LONG,
        );
        // Only compensation has an amount: the boxes are hidden for other kinds, so what
        // is left in them is not read.
        let heads = if known_kind.is_some_and(RemedyKind::needs_amount) {
            read_heads(row, i, &mut decision_total, errors)
        } else {
            CompensationHeads::default()
        };
        let due_on = row
            .due
            .read(&format!("remedy-{i}-due"), &format!("remedy {i}"), errors);
        // A row of unknown kind is already an error, so the draft is not saved.
        let Some(kind) = known_kind else { continue };
        remedies.push(NewRemedy {
            kind,
            description: row.description.clone(),
            owner_id: row.owner.parse().ok().map(UserId),
            due_on,
            heads,
        });
    }
    remedies
}

/// The heads of compensation row `i`, each an amount in pounds, at least one of them more
/// than nothing, and the decision's total within [`Money::MAX`].
fn read_heads(
    row: &RemedyInput,
    i: usize,
    decision_total: &mut Money,
    errors: &mut FieldErrors,
) -> CompensationHeads {
    let mut heads = CompensationHeads::default();
    let mut typed_wrong = false;
    for (head, typed) in CompensationHead::ALL.iter().zip(&row.heads) {
        if typed.is_empty() {
            continue;
        }
        match Money::parse(typed) {
            Ok(amount) => heads.set(*head, amount),
            Err(_) => {
                typed_wrong = true;
                errors.add(
                    &head_id(i, *head),
                    format!(
                        "Enter an amount in pounds for {} in remedy {i}, like 50 or 125.50",
                        head.phrase()
                    ),
                );
            }
        }
    }
    let first = head_id(i, CompensationHead::ALL[0]);
    if !typed_wrong && heads.total().pence() == 0 {
        errors.add(
            &first,
            format!("Enter the compensation in remedy {i} under at least one heading"),
        );
    }
    *decision_total = Money::from_pence(decision_total.pence() + heads.total().pence());
    if *decision_total > Money::MAX {
        errors.add(
            &first,
            format!(
                "The decision's compensation must total {} or less",
                Money::MAX
            ),
        );
    }
    heads
}

fn read_actions(
    rows: &[ActionInput],
    has_lesson: bool,
    errors: &mut FieldErrors,
) -> Vec<NewAction> {
    let mut actions = Vec::new();
    for (i, row) in rows.iter().enumerate().map(|(i, r)| (i + 1, r)) {
        if row.is_blank() {
            continue;
        }
        if row.description.is_empty() {
            errors.add(
                &format!("action-{i}-description"),
                format!("Describe improvement action {i}"),
            );
        }
        check_length(
            errors,
            &format!("action-{i}-description"),
            &format!("Improvement action {i}"),
            &row.description,
            limits::LONG,
        );
        if !has_lesson {
            errors.add(
                "lesson",
                "Enter the lesson learned that the improvement actions follow from",
            );
        }
        actions.push(NewAction {
            description: row.description.clone(),
            owner_id: row.owner.parse().ok().map(UserId),
            due_on: row.due.read(
                &format!("action-{i}-due"),
                &format!("improvement action {i}"),
                errors,
            ),
        });
    }
    actions
}

/// The owner selects of the remedy and action rows in use, by the id each error goes beside.
pub fn chosen_owners(input: &DraftInput) -> Vec<(String, Option<Reference>)> {
    let remedies = input
        .remedies
        .iter()
        .enumerate()
        .filter(|(_, r)| !r.is_blank())
        .map(|(i, r)| ("remedy", i + 1, &r.owner));
    let actions = input
        .actions
        .iter()
        .enumerate()
        .filter(|(_, a)| !a.is_blank())
        .map(|(i, a)| ("action", i + 1, &a.owner));
    remedies
        .chain(actions)
        .map(|(prefix, i, owner)| {
            (
                format!("{prefix}-{i}-owner"),
                owner.parse().ok().map(|id| Reference::User(UserId(id))),
            )
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn posted(pairs: &[(&str, &str)]) -> Posted {
        Posted(
            pairs
                .iter()
                .map(|(k, v)| (k.to_string(), v.to_string()))
                .collect(),
        )
    }

    #[test]
    fn rows_are_renumbered_in_the_order_posted() {
        let form = posted(&[
            ("remedy_description_7", "Seventh"),
            ("remedy_description_2", "Second"),
            ("remedy_kind_2", "apology"),
            (
                "remedy_description_99999999999999999999",
                "Not a row number",
            ),
        ]);
        let input = DraftInput::posted(&form, &[]);
        let descriptions: Vec<&str> = input
            .remedies
            .iter()
            .map(|r| r.description.as_str())
            .collect();
        assert_eq!(descriptions, ["Second", "Seventh"]);
        assert_eq!(input.remedies[0].kind, "apology");
    }

    #[test]
    fn buttons_add_and_remove_rows_keeping_the_rest() {
        let mut input = DraftInput::default();
        for text in ["one", "two", "three"] {
            input.remedies.push(RemedyInput {
                description: text.into(),
                ..RemedyInput::default()
            });
        }
        input.apply(RowChange::of(&posted(&[("change", "remove-remedy-2")])).unwrap());
        input.apply(RowChange::of(&posted(&[("change", "add-remedy")])).unwrap());
        input.apply(RowChange::RemoveRemedy(9));
        let descriptions: Vec<&str> = input
            .remedies
            .iter()
            .map(|r| r.description.as_str())
            .collect();
        assert_eq!(descriptions, ["one", "three", ""]);
        assert_eq!(RowChange::of(&posted(&[("change", "save")])), None);
    }

    #[test]
    fn compensation_is_read_by_heads_and_other_kinds_have_no_amount() {
        let mut heads = [String::new(), String::new(), String::new(), String::new()];
        heads[0] = "50".into();
        heads[2] = "12.37".into();
        let input = DraftInput {
            remedies: vec![
                RemedyInput {
                    kind: "compensation".into(),
                    description: "For the delay".into(),
                    heads: heads.clone(),
                    ..RemedyInput::default()
                },
                RemedyInput {
                    kind: "apology".into(),
                    description: "Sorry".into(),
                    heads,
                    ..RemedyInput::default()
                },
            ],
            ..DraftInput::default()
        };
        let (draft, errors) = read_draft(&input, &[], Stage::Stage1, UserId(1));
        assert!(errors.is_empty(), "{errors:?}");
        assert_eq!(draft.remedies[0].amount_pence(), Some(6_237));
        assert_eq!(draft.remedies[1].amount_pence(), None);
        assert_eq!(draft.compensation_pence(), 6_237);
    }

    #[test]
    fn each_rows_errors_are_beside_that_row() {
        let mut rows: Vec<RemedyInput> = (1..=3)
            .map(|n| RemedyInput {
                kind: "apology".into(),
                description: format!("Remedy {n}"),
                ..RemedyInput::default()
            })
            .collect();
        rows.push(RemedyInput {
            kind: "compensation".into(),
            description: "For the delay".into(),
            heads: ["12.345".into(), String::new(), String::new(), String::new()],
            ..RemedyInput::default()
        });
        rows.push(RemedyInput {
            kind: "compensation".into(),
            description: String::new(),
            ..RemedyInput::default()
        });
        let input = DraftInput {
            remedies: rows,
            ..DraftInput::default()
        };
        let (_, errors) = read_draft(&input, &[], Stage::Stage1, UserId(1));
        assert!(errors.has("remedy-4-time-and-trouble"));
        assert!(errors.has("remedy-5-description"));
        assert!(errors.has("remedy-5-time-and-trouble"));
        assert!(!errors.has("remedy-1-description"));
        assert_eq!(errors.len(), 3, "{errors:?}");
    }
}
