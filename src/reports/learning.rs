//! The learning register: lessons from the decisions sent in a period, counted by service
//! area and category, and every service improvement action with its owner, due date and
//! status (overdue ones flagged).

use std::collections::BTreeMap;

use chrono::NaiveDate;

use super::Period;
use crate::db::reports::{self, ActionFact, LessonFact};
use crate::db::{categories, service_areas, DbConnection};

pub const IMPLEMENTED: &str = "implemented";

#[derive(Debug, Clone)]
pub struct Lesson {
    pub reference: String,
    pub lesson: String,
    pub service_area: String,
    pub category: String,
    pub sent_on: String,
}

#[derive(Debug, Clone)]
pub struct Action {
    pub reference: String,
    pub description: String,
    pub owner: String,
    pub due: String,
    pub status: String,
    pub overdue: bool,
}

#[derive(Debug, Clone)]
pub struct LearningRegister {
    pub period: Period,
    pub lessons: Vec<Lesson>,
    /// `(service area, lessons)`, most first.
    pub by_area: Vec<(String, usize)>,
    pub by_category: Vec<(String, usize)>,
    pub actions: Vec<Action>,
    /// `(status, actions)`.
    pub by_status: Vec<(String, usize)>,
    pub overdue: usize,
}

fn status_label(status: &str) -> String {
    let mut s = status.replace('_', " ");
    if let Some(first) = s.get(0..1) {
        s.replace_range(0..1, &first.to_uppercase());
    }
    s
}

fn counted(items: impl Iterator<Item = String>) -> Vec<(String, usize)> {
    let mut map: BTreeMap<String, usize> = BTreeMap::new();
    for item in items {
        *map.entry(item).or_default() += 1;
    }
    let mut out: Vec<(String, usize)> = map.into_iter().collect();
    out.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    out
}

/// An action is overdue once its due date has passed and it is not implemented.
pub fn is_overdue(action: &ActionFact, today: NaiveDate) -> bool {
    action.status != IMPLEMENTED && action.due_on.is_some_and(|d| d < today)
}

pub fn build(
    conn: &mut DbConnection,
    period: &Period,
    today: NaiveDate,
) -> diesel::QueryResult<LearningRegister> {
    let areas: BTreeMap<i32, String> = service_areas::list_all(conn)?
        .into_iter()
        .map(|a| (a.id.0, a.name))
        .collect();
    let cats: BTreeMap<i32, String> = categories::list_all(conn)?
        .into_iter()
        .map(|c| (c.id.0, c.name))
        .collect();
    let name = |map: &BTreeMap<i32, String>, id: Option<i32>| {
        id.and_then(|i| map.get(&i).cloned())
            .unwrap_or_else(|| "Not recorded".into())
    };
    let facts: Vec<LessonFact> = reports::lessons(conn, period.from, period.to)?;
    let lessons: Vec<Lesson> = facts
        .iter()
        .map(|l| Lesson {
            reference: l.reference.clone(),
            lesson: l.lesson.clone(),
            service_area: name(&areas, l.service_area_id.map(|i| i.0)),
            category: name(&cats, l.category_id.map(|i| i.0)),
            sent_on: l
                .sent_on
                .map(|d| d.format("%-d %B %Y").to_string())
                .unwrap_or_default(),
        })
        .collect();
    let by_area = counted(lessons.iter().map(|l| l.service_area.clone()));
    let by_category = counted(lessons.iter().map(|l| l.category.clone()));
    let action_facts = reports::actions(conn)?;
    let overdue = action_facts.iter().filter(|a| is_overdue(a, today)).count();
    let by_status = counted(action_facts.iter().map(|a| status_label(&a.status)));
    let actions = action_facts
        .iter()
        .map(|a| Action {
            reference: a.reference.clone(),
            description: a.description.clone(),
            owner: a.owner.clone().unwrap_or_else(|| "No owner".into()),
            due: a
                .due_on
                .map(|d| d.format("%-d %B %Y").to_string())
                .unwrap_or_else(|| "No date".into()),
            status: status_label(&a.status),
            overdue: is_overdue(a, today),
        })
        .collect();
    Ok(LearningRegister {
        period: period.clone(),
        lessons,
        by_area,
        by_category,
        actions,
        by_status,
        overdue,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn overdue_means_past_due_and_not_implemented() {
        let today = NaiveDate::from_ymd_opt(2026, 1, 10).unwrap();
        let mut a = ActionFact {
            id: 1,
            reference: "CMP-2026-000001".into(),
            description: "x".into(),
            owner: None,
            due_on: Some(NaiveDate::from_ymd_opt(2026, 1, 9).unwrap()),
            status: "planned".into(),
            service_area_id: None,
        };
        assert!(is_overdue(&a, today));
        a.status = IMPLEMENTED.into();
        assert!(!is_overdue(&a, today));
        a.status = "in_progress".into();
        a.due_on = Some(today);
        assert!(!is_overdue(&a, today));
        assert_eq!(status_label("in_progress"), "In progress");
    }
}
