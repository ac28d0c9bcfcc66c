//! The work lists at `/cases` (issue 23): the lists as links with their counts, one search
//! box, a collapsible filter panel whose active filters show as removable tags (the MOJ
//! filter pattern from GOV.UK Frontend parts), and a sortable results table. With
//! `HX-Request` (and not restoring history) only the results block is rendered (the same markup as the full page) and
//! `HX-Push-Url` names the canonical URL, so reload, bookmarks and back all work.
//!
//! Every parameter round-trips: page, sort, list and tag links are all built by [`url_for`]
//! from the one parsed [`ListRequest`]. Choices that mean nothing are ignored (the filter
//! shows "Any"); a received date that is not a real date is the one thing refused: 400, the
//! error beside the boxes, the typed values kept.

use actix_web::http::{header, StatusCode};
use actix_web::{web, HttpRequest, HttpResponse};
use askama::Template;
use chrono::{Datelike, NaiveDate};

use crate::auth::Permission;
use crate::cases::list_choices::ListChoices;
use crate::cases::list_row;
use crate::db::case_generation;
use crate::db::saved_views::{self, SavedView};
use crate::db::work_lists::{
    self, CaseFilter, Direction, Flag, ListDates, ListKind, Sort, SortKey, WorkListPage,
    WorkListRow, PAGE_SIZE,
};
use crate::domain::case::{Channel, Status, TenancyRelationship};
use crate::domain::date_input::DateField;
use crate::domain::number::thousands;
use crate::domain::{CategoryId, ContractorId, FieldErrors, Role, ServiceAreaId, UserId};
use crate::rules::{rag_for, Calendar, PolicySet, Rag, RagThresholds, Stage};
use crate::web::current_user::CurrentUser;
use crate::web::error::{AppError, AppResult};
use crate::web::filters;
use crate::web::page::PageCtx;
use crate::web::state::AppState;

/// A date as typed into the three GOV.UK boxes.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct DateBoxes {
    pub day: String,
    pub month: String,
    pub year: String,
}

impl DateBoxes {
    /// A date's three boxes as a form shows them (empty for none).
    pub fn of(date: Option<NaiveDate>) -> DateBoxes {
        match date {
            Some(d) => DateBoxes {
                day: d.format("%-d").to_string(),
                month: d.format("%-m").to_string(),
                year: d.format("%Y").to_string(),
            },
            None => DateBoxes::default(),
        }
    }
}

const RECEIVED_FROM: DateField = DateField {
    id: "received-from",
    label: "Received from",
    missing: "Enter the first date received",
};
const RECEIVED_TO: DateField = DateField {
    id: "received-to",
    label: "Received to",
    missing: "Enter the last date received",
};

/// What `/cases?…` asked for: the filter, the received dates as typed, and any errors.
#[derive(Debug, Clone)]
pub struct ListRequest {
    pub filter: CaseFilter,
    pub received_from: DateBoxes,
    pub received_to: DateBoxes,
    pub errors: FieldErrors,
}

/// Reads the query string leniently: unknown keys and values are dropped, never refused,
/// except received dates that are not real dates (see the module comment).
pub fn parse_request(query: &str, role: Role) -> ListRequest {
    let mut filter = CaseFilter::new(ListKind::default_for(role));
    let (mut from, mut to) = (DateBoxes::default(), DateBoxes::default());
    let mut sort_key = None;
    let mut direction = None;
    for (key, value) in crate::web::forms::clean_pairs(query.as_bytes()) {
        let value = value.trim();
        let boxed = |value: &str| value.chars().take(10).collect::<String>();
        match key.as_ref() {
            "list" => {
                if let Some(list) = ListKind::parse(value) {
                    filter.list = list;
                }
            }
            "stage" => filter.stage = value.parse().ok(),
            "status" => filter.status = value.parse().ok(),
            "area" => filter.area = value.parse().ok().map(ServiceAreaId),
            "assignee" => filter.assignee = value.parse().ok().map(UserId),
            "officer" => filter.case_officer = value.parse().ok().map(UserId),
            "category" => filter.category = value.parse().ok().map(CategoryId),
            "contractor" => filter.contractor = value.parse().ok().map(ContractorId),
            "channel" => filter.channel = value.parse().ok(),
            "tenure" => filter.tenure = value.parse().ok(),
            "received_from_day" => from.day = boxed(value),
            "received_from_month" => from.month = boxed(value),
            "received_from_year" => from.year = boxed(value),
            "received_to_day" => to.day = boxed(value),
            "received_to_month" => to.month = boxed(value),
            "received_to_year" => to.year = boxed(value),
            "flag" => {
                if let Some(flag) = Flag::parse(value) {
                    if !filter.flags.contains(&flag) {
                        filter.flags.push(flag);
                    }
                }
            }
            "q" => filter.search = value.chars().take(200).collect(),
            "sort" => sort_key = SortKey::parse(value),
            "order" => direction = Direction::parse(value),
            "page" => filter.page = value.parse::<i64>().ok().filter(|p| *p >= 1).unwrap_or(1),
            _ => {}
        }
    }
    filter
        .flags
        .sort_by_key(|f| Flag::ALL.iter().position(|x| x == f));
    if let Some(key) = sort_key {
        filter.sort = Sort {
            key,
            direction: direction.unwrap_or(key.first_direction()),
        };
    } else if let Some(direction) = direction {
        filter.sort.direction = direction;
    }
    let mut errors = FieldErrors::new();
    let mut date = |field: &DateField, boxes: &DateBoxes| {
        errors
            .take(field.parse(&boxes.day, &boxes.month, &boxes.year, false))
            .flatten()
    };
    filter.received_from = date(&RECEIVED_FROM, &from);
    filter.received_to = date(&RECEIVED_TO, &to);
    if let (Some(first), Some(last)) = (filter.received_from, filter.received_to) {
        if last < first {
            errors.add(
                "received-to-day",
                "Received to must be the same as or after received from",
            );
            filter.received_to = None;
        }
    }
    ListRequest {
        filter,
        received_from: from,
        received_to: to,
        errors,
    }
}

/// The canonical `/cases` URL for a filter at `page` in `list`: defaults left out.
pub fn url_for(filter: &CaseFilter, list: ListKind, page: i64, role: Role) -> String {
    let mut query = form_urlencoded::Serializer::new(String::new());
    if list != ListKind::default_for(role) {
        query.append_pair("list", list.key());
    }
    if !filter.search.trim().is_empty() {
        query.append_pair("q", filter.search.trim());
    }
    if let Some(stage) = filter.stage {
        query.append_pair("stage", stage.key());
    }
    if let Some(status) = filter.status {
        query.append_pair("status", status.as_str());
    }
    if let Some(area) = filter.area {
        query.append_pair("area", &area.to_string());
    }
    if let Some(assignee) = filter.assignee {
        query.append_pair("assignee", &assignee.to_string());
    }
    if let Some(officer) = filter.case_officer {
        query.append_pair("officer", &officer.to_string());
    }
    if let Some(category) = filter.category {
        query.append_pair("category", &category.to_string());
    }
    if let Some(contractor) = filter.contractor {
        query.append_pair("contractor", &contractor.to_string());
    }
    if let Some(channel) = filter.channel {
        query.append_pair("channel", channel.as_str());
    }
    if let Some(tenure) = filter.tenure {
        query.append_pair("tenure", tenure.as_str());
    }
    for (name, date) in [
        ("received_from", filter.received_from),
        ("received_to", filter.received_to),
    ] {
        if date.is_some() {
            let boxes = DateBoxes::of(date);
            query.append_pair(&format!("{name}_day"), &boxes.day);
            query.append_pair(&format!("{name}_month"), &boxes.month);
            query.append_pair(&format!("{name}_year"), &boxes.year);
        }
    }
    for flag in &filter.flags {
        query.append_pair("flag", flag.key());
    }
    if filter.sort != Sort::default() {
        query.append_pair("sort", filter.sort.key.key());
        query.append_pair("order", filter.sort.direction.key());
    }
    if page > 1 {
        query.append_pair("page", &page.to_string());
    }
    let query = query.finish();
    if query.is_empty() {
        "/cases".to_string()
    } else {
        format!("/cases?{query}")
    }
}

pub struct Choice {
    pub value: String,
    pub label: String,
    pub selected: bool,
}

fn fixed_choices<T: Copy + PartialEq>(
    all: impl IntoIterator<Item = T>,
    chosen: Option<T>,
    value: impl Fn(T) -> String,
    label: impl Fn(T) -> String,
) -> Vec<Choice> {
    all.into_iter()
        .map(|item| Choice {
            value: value(item),
            label: label(item),
            selected: chosen == Some(item),
        })
        .collect()
}

/// The choices of a filter whose values are ids with names (areas, staff, categories…).
fn named_choices<T: Copy + PartialEq + std::fmt::Display>(
    named: &[(T, String)],
    chosen: Option<T>,
) -> Vec<Choice> {
    named
        .iter()
        .map(|(id, name)| Choice {
            value: id.to_string(),
            label: name.clone(),
            selected: chosen == Some(*id),
        })
        .collect()
}

/// One list in the row of lists above the results.
pub struct ListLink {
    pub label: String,
    pub count: i64,
    pub href: String,
    pub current: bool,
    /// One of the user's saved views, not a built-in list.
    pub saved: bool,
}

/// A sortable column's header link.
pub struct SortHeader {
    pub href: String,
    /// `ascending`, `descending` or `none`, for `aria-sort`.
    pub aria_sort: &'static str,
}

pub struct Headers {
    pub reference: SortHeader,
    pub received: SortHeader,
    pub deadline: SortHeader,
    pub overdue: SortHeader,
}

/// An active filter, shown as a tag whose link removes it.
pub struct ActiveFilter {
    pub heading: &'static str,
    pub label: String,
    pub remove_href: String,
}

pub struct RowView {
    pub reference: String,
    /// The version the bulk selection carries (see `web::cases::bulk`).
    pub version: i32,
    pub complainant: String,
    pub stage_and_step: String,
    pub received: String,
    /// "Respond" or "Acknowledge"; empty without a deadline.
    pub deadline_name: String,
    pub due: String,
    /// The tag class and its words: "Overdue by 3 working days", "2 working days left".
    pub time_left: Option<(&'static str, String)>,
    pub assignee: String,
    pub case_officer: String,
    pub tags: Vec<&'static str>,
}

pub struct PageLink {
    pub number: i64,
    pub href: String,
    pub current: bool,
}

pub struct Pagination {
    pub previous: Option<String>,
    pub next: Option<String>,
    /// `None` marks a gap (an ellipsis).
    pub pages: Vec<Option<PageLink>>,
}

/// Everything the results block shows (the lists and active filters included, so they keep
/// the other parameters after a swap); the full page adds the search and filter forms.
pub struct Results {
    pub lists: Vec<ListLink>,
    pub active: Vec<ActiveFilter>,
    pub caption: &'static str,
    pub headers: Headers,
    pub rows: Vec<RowView>,
    pub count: String,
    pub pagination: Option<Pagination>,
    pub clear_href: String,
    /// Matching cases over every page.
    pub total: i64,
    /// The user may act on cases in bulk: the rows have checkboxes.
    pub selectable: bool,
    /// This list's own address (for "back", and to save it as a view).
    pub here: String,
    /// Every matching case to the bulk action form.
    pub bulk_all_href: String,
    /// This list as a CSV download.
    pub export_href: String,
    /// For the save-view form, which comes with the results.
    pub csrf_token: String,
}

pub struct FilterForm {
    pub list: &'static str,
    pub search: String,
    pub sort: &'static str,
    pub order: &'static str,
    pub sorted: bool,
    /// Open when a date is wrong; otherwise closed, the active filters showing as tags.
    pub open: bool,
    pub stages: Vec<Choice>,
    pub statuses: Vec<Choice>,
    pub areas: Vec<Choice>,
    pub assignees: Vec<Choice>,
    pub officers: Vec<Choice>,
    pub categories: Vec<Choice>,
    pub contractors: Vec<Choice>,
    pub channels: Vec<Choice>,
    pub tenures: Vec<Choice>,
    pub flags: Vec<Choice>,
    pub received_from: DateBoxes,
    pub received_to: DateBoxes,
}

#[derive(Template)]
#[template(path = "cases/list.html")]
pub struct CaseListPage {
    pub ctx: PageCtx,
    /// False: the full page shows the lists above the search, not in the results block.
    pub partial: bool,
    pub form: FilterForm,
    pub errors: FieldErrors,
    pub results: Results,
    /// How many responses wait for the complaints team's check, when they check them.
    pub to_check: Option<usize>,
}

#[derive(Template)]
#[template(path = "cases/list.html", block = "results")]
pub struct CaseListResults {
    /// True: the lists come with the results, to replace the page's own out of band.
    pub partial: bool,
    pub results: Results,
}

/// "3 Mar" in this year, "3 Mar 2025" in any other: short enough for a table cell.
fn short_date(date: NaiveDate, today: NaiveDate) -> String {
    if date.year() == today.year() {
        date.format("%-d %b").to_string()
    } else {
        date.format("%-d %b %Y").to_string()
    }
}

fn working_days(n: i64) -> String {
    if n == 1 {
        "1 working day".to_string()
    } else {
        format!("{n} working days")
    }
}

/// The time-left tag, counted in working days on the rules engine's calendar: red "Overdue
/// by N working days", amber at 0 to `amber_within` working days left, green beyond.
pub fn time_left(
    calendar: &Calendar,
    today: NaiveDate,
    due: NaiveDate,
    thresholds: &RagThresholds,
) -> Option<(&'static str, String)> {
    let (left, rag) = rag_for(calendar, today, due, thresholds).ok()?;
    Some(match rag {
        Rag::Red => {
            // Working days after the due date up to and including today.
            let late = calendar.between(due, today).ok()?.max(1);
            (
                "govuk-tag--red",
                format!("Overdue by {}", working_days(late)),
            )
        }
        Rag::Amber if left <= 0 => ("govuk-tag--orange", "Due today".to_string()),
        Rag::Amber => ("govuk-tag--orange", format!("{} left", working_days(left))),
        Rag::Green => ("govuk-tag--green", format!("{} left", working_days(left))),
    })
}

fn row_view(
    row: WorkListRow,
    calendar: &Calendar,
    policies: &PolicySet,
    today: NaiveDate,
    thresholds: &RagThresholds,
) -> RowView {
    let open = row.status.is_open();
    let time_left = match row.next_due_on {
        Some(due) if open => time_left(calendar, today, due, thresholds),
        _ => None,
    };
    let mut tags = Vec::new();
    if row.health_and_safety {
        tags.push(Flag::HealthAndSafety.label());
    }
    if row.safeguarding {
        tags.push(Flag::Safeguarding.label());
    }
    // A confidential case says so in its complainant column: no tag needed.
    if row.adjustments {
        tags.push("Adjustments");
    }
    if row.interpreter {
        tags.push("Interpreter");
    }
    RowView {
        stage_and_step: list_row::stage_and_step(&row, policies).to_string(),
        deadline_name: list_row::next_deadline_name(&row, policies)
            .unwrap_or_default()
            .to_string(),
        complainant: row.complainant,
        received: short_date(row.received_on, today),
        assignee: row.assignee.unwrap_or_default(),
        case_officer: row.case_officer.unwrap_or_default(),
        due: row
            .next_due_on
            .map(|due| short_date(due, today))
            .unwrap_or_default(),
        time_left,
        tags,
        reference: row.reference,
        version: row.version,
    }
}

fn pagination(filter: &CaseFilter, found: &WorkListPage, role: Role) -> Option<Pagination> {
    let last = found.last_page();
    if last <= 1 {
        return None;
    }
    let current = found.page;
    let href = |page| url_for(filter, filter.list, page, role);
    let mut pages = Vec::new();
    for number in 1..=last {
        let near = (number - current).abs() <= 1;
        if number == 1 || number == last || near {
            pages.push(Some(PageLink {
                number,
                href: href(number),
                current: number == current,
            }));
        } else if pages.last().is_some_and(Option::is_some) {
            pages.push(None);
        }
    }
    Some(Pagination {
        previous: (current > 1).then(|| href(current - 1)),
        next: (current < last).then(|| href(current + 1)),
        pages,
    })
}

fn count_text(found: &WorkListPage) -> String {
    let noun = |n: i64| if n == 1 { "case" } else { "cases" };
    if found.total <= PAGE_SIZE {
        format!("{} {}", thousands(found.total), noun(found.total))
    } else {
        let first = (found.page - 1) * PAGE_SIZE + 1;
        let last = (first + found.rows.len() as i64 - 1).max(first);
        format!(
            "Showing {} to {} of {} {}",
            thousands(first),
            thousands(last),
            thousands(found.total),
            noun(found.total)
        )
    }
}

/// A column header's link: the first click sorts the column its usual way, the next the
/// other way; back to page 1 either way.
fn sort_header(filter: &CaseFilter, key: SortKey, role: Role) -> SortHeader {
    let current = filter.sort.key == key;
    let direction = if current {
        filter.sort.direction.reversed()
    } else {
        key.first_direction()
    };
    let mut next = filter.clone();
    next.sort = Sort { key, direction };
    SortHeader {
        href: url_for(&next, filter.list, 1, role),
        aria_sort: match (current, filter.sort.direction) {
            (false, _) => "none",
            (true, Direction::Ascending) => "ascending",
            (true, Direction::Descending) => "descending",
        },
    }
}

fn name_in<T: PartialEq + Copy>(list: &[(T, String)], id: T) -> String {
    list.iter()
        .find(|(x, _)| *x == id)
        .map(|(_, n)| n.clone())
        .unwrap_or_else(|| "Unknown".to_string())
}

/// The active filters and the search, each with the URL that removes it alone.
/// The names come from `choices`, which holds every id a filter may carry.
fn active_filters(filter: &CaseFilter, choices: &ListChoices, role: Role) -> Vec<ActiveFilter> {
    let mut active = Vec::new();
    let mut add = |heading: &'static str, label: String, remove: &dyn Fn(&mut CaseFilter)| {
        let mut without = filter.clone();
        remove(&mut without);
        active.push(ActiveFilter {
            heading,
            label,
            remove_href: url_for(&without, filter.list, 1, role),
        });
    };
    if !filter.search.trim().is_empty() {
        add("Search", filter.search.trim().to_string(), &|f| {
            f.search.clear()
        });
    }
    if let Some(stage) = filter.stage {
        add("Stage", stage.label().into(), &|f| f.stage = None);
    }
    if let Some(status) = filter.status {
        add("Status", status.label().into(), &|f| f.status = None);
    }
    if let Some(area) = filter.area {
        add("Service area", name_in(&choices.areas, area), &|f| {
            f.area = None
        });
    }
    if let Some(user) = filter.assignee {
        add(
            "Investigating manager",
            name_in(&choices.staff(), user),
            &|f| f.assignee = None,
        );
    }
    if let Some(user) = filter.case_officer {
        add("Case officer", name_in(&choices.staff(), user), &|f| {
            f.case_officer = None
        });
    }
    if let Some(category) = filter.category {
        add("Category", name_in(&choices.categories, category), &|f| {
            f.category = None
        });
    }
    if let Some(contractor) = filter.contractor {
        add(
            "Contractor",
            name_in(&choices.contractors, contractor),
            &|f| f.contractor = None,
        );
    }
    if let Some(channel) = filter.channel {
        add("How received", channel.label().into(), &|f| {
            f.channel = None
        });
    }
    if let Some(tenure) = filter.tenure {
        add("Tenure", tenure.label().into(), &|f| f.tenure = None);
    }
    if let Some(from) = filter.received_from {
        add(
            "Received from",
            crate::web::cases::show::long_date(from),
            &|f| f.received_from = None,
        );
    }
    if let Some(to) = filter.received_to {
        add(
            "Received to",
            crate::web::cases::show::long_date(to),
            &|f| f.received_to = None,
        );
    }
    for flag in &filter.flags {
        let flag = *flag;
        add("Flag", flag.label().into(), &move |f| {
            f.flags.retain(|x| *x != flag)
        });
    }
    active
}

/// The list's filters in words ("Stage: Stage 1, Service area: Repairs"), its search left
/// out: what an export's audit entry says about the list (`web::cases::export`).
pub fn filters_in_words(
    conn: &mut crate::db::DbConnection,
    filter: &CaseFilter,
    role: Role,
) -> diesel::QueryResult<String> {
    let choices = ListChoices::read(conn)?;
    let mut unsearched = filter.clone();
    unsearched.search.clear();
    Ok(active_filters(&unsearched, &choices, role)
        .into_iter()
        .map(|a| format!("{}: {}", a.heading, a.label))
        .collect::<Vec<_>>()
        .join(", "))
}

/// What the page reads from the database besides the page of cases.
struct Looked {
    found: WorkListPage,
    counts: Vec<(ListKind, i64)>,
    /// The user's saved views, with how many cases each holds.
    views: Vec<(SavedView, i64)>,
    choices: std::sync::Arc<ListChoices>,
    /// Responses waiting for the complaints team's check, when they check them (issue 22).
    to_check: Option<usize>,
}

pub async fn page(
    state: web::Data<AppState>,
    user: CurrentUser,
    session: actix_session::Session,
    req: HttpRequest,
) -> AppResult<HttpResponse> {
    let clock = state.clock;
    user.require(Permission::ViewCases)?;
    let request = parse_request(req.query_string(), user.role);
    let filter = request.filter.clone();
    let today = clock.today();
    let dates = ListDates::new(&state.calendar, today)
        .map_err(|e| AppError::Internal(anyhow::anyhow!(e)))?;
    let htmx = crate::web::htmx::wants_partial(req.headers());

    let lists: Vec<ListKind> = ListKind::ALL
        .into_iter()
        .filter(|kind| *kind != ListKind::MyAreas || !user.service_areas.is_empty())
        .collect();
    let viewer_user = user.clone();
    let query = filter.clone();
    let counted = lists.clone();
    let list_counts = state.list_counts.clone();
    let filtered_totals = state.filtered_totals.clone();
    let list_choices = state.list_choices.clone();
    let checks = state.settings.workflow.review_responses
        && crate::auth::permissions::allows(user.role, Permission::ManageCases);
    let looked = state
        .db(move |conn| {
            let viewer = viewer_user.viewer();
            // Read first: whatever is kept is at least as new as these numbers.
            let generations = case_generation::current_with_directory(conn)?;
            let kept = list_counts.counts(conn, generations.cases, &viewer, &counted, &dates)?;
            let list_count = kept
                .lists
                .iter()
                .find(|(list, _)| *list == query.list)
                .map(|(_, count)| *count);
            let kept_total = filtered_totals.total(generations.cases, &viewer, &query, &dates);
            let found = work_lists::counted_work_list(
                conn, &viewer, &query, &dates, list_count, kept_total, kept.scope,
            )?;
            let counts = kept.lists;
            if kept_total.is_none() && query.narrows() {
                filtered_totals.keep(generations.cases, &viewer, &query, &dates, found.total);
            }
            let mut views = Vec::new();
            for view in saved_views::list_for(conn, viewer_user.id)? {
                let filter = parse_request(&view.query, viewer_user.role).filter;
                let count = work_lists::count(conn, &viewer, &filter, &dates)?;
                views.push((view, count));
            }
            let choices = list_choices.get(conn, generations.directory)?;
            let to_check = if checks {
                Some(crate::web::response_checks::waiting_count(conn, &viewer)?)
            } else {
                None
            };
            Ok(Looked {
                found,
                counts,
                to_check,
                views,
                choices,
            })
        })
        .await?;
    let Looked {
        found,
        counts,
        views,
        choices,
        to_check,
    } = looked;

    let thresholds = RagThresholds {
        amber_within: state.settings.rules.amber_within,
    };
    let role = user.role;
    let canonical = url_for(&filter, filter.list, found.page, role);
    let here = url_for(&filter, filter.list, 1, role);
    let query_of = |url: &str| {
        url.trim_start_matches("/cases")
            .trim_start_matches('?')
            .to_string()
    };
    let mut lists: Vec<ListLink> = counts
        .into_iter()
        .map(|(kind, count)| ListLink {
            label: kind.label().to_string(),
            count,
            href: url_for(&filter, kind, 1, role),
            current: kind == filter.list,
            saved: false,
        })
        .collect();
    lists.extend(views.into_iter().map(|(view, count)| ListLink {
        current: view.query == query_of(&here),
        href: crate::web::cases::views::href(&view),
        label: view.name,
        count,
        saved: true,
    }));
    let with = |path: &str, extra: &str| {
        let query = query_of(&here);
        match (query.is_empty(), extra.is_empty()) {
            (true, true) => path.to_string(),
            (true, false) => format!("{path}?{extra}"),
            (false, true) => format!("{path}?{query}"),
            (false, false) => format!("{path}?{query}&{extra}"),
        }
    };
    let results = Results {
        lists,
        total: found.total,
        selectable: crate::auth::permissions::allows(role, Permission::ManageCases),
        bulk_all_href: with("/cases/bulk", "all=true"),
        export_href: with("/cases/export.csv", ""),
        csrf_token: user.csrf_token.clone(),
        here: here.clone(),
        active: active_filters(&filter, &choices, role),
        caption: filter.list.label(),
        headers: Headers {
            reference: sort_header(&filter, SortKey::Reference, role),
            received: sort_header(&filter, SortKey::Received, role),
            deadline: sort_header(&filter, SortKey::Deadline, role),
            overdue: sort_header(&filter, SortKey::Overdue, role),
        },
        count: count_text(&found),
        pagination: pagination(&filter, &found, role),
        clear_href: url_for(&CaseFilter::new(filter.list), filter.list, 1, role),
        rows: found
            .rows
            .into_iter()
            .map(|row| row_view(row, &state.calendar, &state.policies, today, &thresholds))
            .collect(),
    };

    let status = if request.errors.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::BAD_REQUEST
    };
    let mut response = HttpResponse::build(status);
    response
        .content_type("text/html; charset=utf-8")
        .insert_header((header::VARY, crate::web::htmx::VARY));
    // A partial cannot show a date's error beside its boxes: wrong dates get the whole page.
    if htmx && request.errors.is_empty() {
        let body = CaseListResults {
            partial: true,
            results,
        }
        .render()?;
        return Ok(response
            .insert_header(("HX-Push-Url", canonical))
            .body(body));
    }

    let form = FilterForm {
        list: filter.list.key(),
        search: filter.search.clone(),
        sort: filter.sort.key.key(),
        order: filter.sort.direction.key(),
        sorted: filter.sort != Sort::default(),
        open: !request.errors.is_empty(),
        stages: fixed_choices(
            Stage::ALL,
            filter.stage,
            |s| s.key().into(),
            |s| s.label().into(),
        ),
        statuses: fixed_choices(
            Status::ALL.iter().copied(),
            filter.status,
            |s| s.as_str().into(),
            |s| s.label().into(),
        ),
        areas: named_choices(&choices.areas, filter.area),
        assignees: named_choices(&choices.managers, filter.assignee),
        officers: named_choices(&choices.officers, filter.case_officer),
        categories: named_choices(&choices.categories, filter.category),
        contractors: named_choices(&choices.contractors, filter.contractor),
        channels: fixed_choices(
            Channel::ALL.iter().copied(),
            filter.channel,
            |c| c.as_str().into(),
            |c| c.label().into(),
        ),
        tenures: fixed_choices(
            TenancyRelationship::ALL.iter().copied(),
            filter.tenure,
            |t| t.as_str().into(),
            |t| t.label().into(),
        ),
        flags: Flag::ALL
            .into_iter()
            .map(|f| Choice {
                value: f.key().into(),
                label: f.label().into(),
                selected: filter.flags.contains(&f),
            })
            .collect(),
        received_from: request.received_from,
        received_to: request.received_to,
    };
    let body = CaseListPage {
        ctx: user.page().with_flash(&session).current("/cases"),
        partial: false,
        form,
        errors: request.errors,
        results,
        to_check,
    }
    .render()?;
    Ok(response.body(body))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every parameter comes back out of the URL it was read from.
    #[test]
    fn every_parameter_round_trips_through_the_url() {
        let query = "list=overdue&q=patel+ella&stage=stage1&status=stage1_open&area=3\
                     &assignee=4&officer=5&category=6&contractor=7&channel=email\
                     &tenure=leaseholder&received_from_day=1&received_from_month=2\
                     &received_from_year=2026&received_to_day=28&received_to_month=2\
                     &received_to_year=2026&flag=health_and_safety&flag=safeguarding\
                     &sort=received&order=desc&page=3";
        let request = parse_request(query, Role::Officer);
        assert!(request.errors.is_empty());
        let url = url_for(&request.filter, request.filter.list, 3, Role::Officer);
        assert_eq!(url, format!("/cases?{query}"));
        let again = parse_request(&url["/cases?".len()..], Role::Officer);
        assert_eq!(again.filter, request.filter);
    }

    /// "Showing 99,951 to … of 100,000 cases": numbers over 999 as GOV.UK writes them.
    #[test]
    fn the_count_separates_thousands() {
        let page = |total, page| WorkListPage {
            rows: Vec::new(),
            total,
            page,
        };
        assert_eq!(count_text(&page(7, 1)), "7 cases");
        assert_eq!(count_text(&page(1, 1)), "1 case");
        assert_eq!(
            count_text(&page(100_000, 2_000)),
            "Showing 99,951 to 99,951 of 100,000 cases"
        );
    }

    #[test]
    fn a_wrong_date_is_an_error_beside_its_boxes_and_is_not_applied() {
        let request = parse_request(
            "received_from_day=31&received_from_month=2&received_from_year=2026",
            Role::Officer,
        );
        assert_eq!(
            request.errors.get_prefix("received-from"),
            Some("Received from must be a real date")
        );
        assert_eq!(request.filter.received_from, None);
        assert_eq!(request.received_from.day, "31");
    }

    #[test]
    fn a_column_sorts_its_usual_way_first_then_the_other() {
        let filter = CaseFilter::new(ListKind::AllOpen);
        let overdue = sort_header(&filter, SortKey::Overdue, Role::Officer);
        assert_eq!(overdue.href, "/cases?sort=overdue&order=desc");
        assert_eq!(overdue.aria_sort, "none");
        let deadline = sort_header(&filter, SortKey::Deadline, Role::Officer);
        assert_eq!(deadline.aria_sort, "ascending");
        assert_eq!(deadline.href, "/cases?sort=deadline&order=desc");
    }
}
