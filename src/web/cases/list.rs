//! The work lists at `/cases`: list tabs, a GET filter form and a results table. With
//! `HX-Request` (and not restoring history) only the results block is rendered (the same markup as the full page) and
//! `HX-Push-Url` names the canonical URL, so reload, bookmarks and back all work. Query
//! values that mean nothing are ignored: the filter shows "Any".

use actix_web::http::header;
use actix_web::{web, HttpRequest, HttpResponse};
use askama::Template;

use crate::auth::Permission;
use crate::db::work_lists::{
    self, CaseFilter, Flag, ListDates, ListKind, WorkListPage, WorkListRow, PAGE_SIZE,
};
use crate::db::{service_areas, users};
use crate::domain::case::{Channel, Status};
use crate::domain::{Role, ServiceAreaId, UserId};
use crate::rules::{rag_for, Calendar, RagThresholds, Stage};
use crate::web::cases::show::{long_date, rag_tag};
use crate::web::current_user::CurrentUser;
use crate::web::error::{AppError, AppResult};
use crate::web::page::PageCtx;
use crate::web::state::AppState;

/// Reads the query string leniently: unknown keys and values are dropped, never refused.
pub fn parse_filter(query: &str, role: Role) -> CaseFilter {
    let mut filter = CaseFilter::new(ListKind::default_for(role));
    for (key, value) in crate::web::forms::clean_pairs(query.as_bytes()) {
        let value = value.trim();
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
            "channel" => filter.channel = value.parse().ok(),
            "flag" => {
                if let Some(flag) = Flag::parse(value) {
                    if !filter.flags.contains(&flag) {
                        filter.flags.push(flag);
                    }
                }
            }
            "q" => filter.search = value.chars().take(200).collect(),
            "page" => filter.page = value.parse::<i64>().ok().filter(|p| *p >= 1).unwrap_or(1),
            _ => {}
        }
    }
    filter
        .flags
        .sort_by_key(|f| Flag::ALL.iter().position(|x| x == f));
    filter
}

/// The canonical `/cases` URL for a filter at `page`: defaults left out.
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
    if let Some(channel) = filter.channel {
        query.append_pair("channel", channel.as_str());
    }
    for flag in &filter.flags {
        query.append_pair("flag", flag.key());
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

fn choices<T: Copy + PartialEq>(
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

pub struct Tab {
    pub label: &'static str,
    pub href: String,
    pub current: bool,
}

pub struct RowView {
    pub reference: String,
    pub complainant: String,
    pub status: String,
    pub stage: String,
    pub service_area: String,
    pub assignee: String,
    pub due: String,
    pub rag: Option<(&'static str, &'static str)>,
    pub flags: Vec<&'static str>,
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

/// Everything the results block shows (list tabs included, so they keep the filters after
/// a swap); the full page adds the filter form.
pub struct Results {
    pub tabs: Vec<Tab>,
    pub caption: &'static str,
    pub rows: Vec<RowView>,
    pub count: String,
    pub pagination: Option<Pagination>,
    pub clear_href: String,
    pub filtered: bool,
}

pub struct FilterForm {
    pub list: &'static str,
    pub search: String,
    pub stages: Vec<Choice>,
    pub statuses: Vec<Choice>,
    pub areas: Vec<Choice>,
    pub assignees: Vec<Choice>,
    pub channels: Vec<Choice>,
    pub flags: Vec<Choice>,
}

#[derive(Template)]
#[template(path = "cases/list.html")]
pub struct CaseListPage {
    pub ctx: PageCtx,
    pub form: FilterForm,
    pub results: Results,
}

#[derive(Template)]
#[template(path = "cases/list.html", block = "results")]
pub struct CaseListResults {
    pub results: Results,
}

fn row_view(
    row: WorkListRow,
    calendar: &Calendar,
    today: chrono::NaiveDate,
    thresholds: &RagThresholds,
) -> RowView {
    let open = row.status.is_open();
    let rag = match row.next_due_on {
        Some(due) if open => rag_for(calendar, today, due, thresholds)
            .ok()
            .map(|(_, rag)| rag_tag(rag)),
        _ => None,
    };
    let mut flags = Vec::new();
    if row.health_and_safety {
        flags.push(Flag::HealthAndSafety.label());
    }
    if row.safeguarding {
        flags.push(Flag::Safeguarding.label());
    }
    if row.confidential {
        flags.push("Confidential");
    }
    RowView {
        complainant: row.complainant,
        status: row.status.label().to_string(),
        stage: row.stage.map(|s| s.label().to_string()).unwrap_or_default(),
        service_area: row.service_area.unwrap_or_default(),
        assignee: row.assignee.unwrap_or_default(),
        due: row.next_due_on.map(long_date).unwrap_or_default(),
        rag,
        flags,
        reference: row.reference,
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
        format!("{} {}", found.total, noun(found.total))
    } else {
        let first = (found.page - 1) * PAGE_SIZE + 1;
        let last = (first + found.rows.len() as i64 - 1).max(first);
        format!(
            "Showing {first} to {last} of {} {}",
            found.total,
            noun(found.total)
        )
    }
}

fn is_filtered(filter: &CaseFilter) -> bool {
    filter.stage.is_some()
        || filter.status.is_some()
        || filter.area.is_some()
        || filter.assignee.is_some()
        || filter.channel.is_some()
        || !filter.flags.is_empty()
        || !filter.search.trim().is_empty()
}

pub async fn page(
    state: web::Data<AppState>,
    user: CurrentUser,
    req: HttpRequest,
) -> AppResult<HttpResponse> {
    let clock = state.clock;
    user.require(Permission::ViewCases)?;
    let filter = parse_filter(req.query_string(), user.role);
    let today = clock.today();
    let dates = ListDates::new(&state.calendar, today)
        .map_err(|e| AppError::Internal(anyhow::anyhow!(e)))?;
    let htmx = crate::web::htmx::wants_partial(req.headers());

    let viewer_user = user.clone();
    let query = filter.clone();
    let (found, areas, assignees) = state
        .db(move |conn| {
            let viewer = viewer_user.viewer();
            let found = work_lists::work_list(conn, &viewer, &query, &dates)?;
            if htmx {
                return Ok((found, Vec::new(), Vec::new()));
            }
            let areas = service_areas::list_all(conn)?;
            let mut assignees = users::list_by_role(conn, Role::Manager.as_str())?;
            assignees.extend(users::list_by_role(conn, Role::Director.as_str())?);
            assignees.sort_by(|a, b| a.display_name.cmp(&b.display_name));
            Ok((found, areas, assignees))
        })
        .await?;

    let thresholds = RagThresholds {
        amber_within: state.settings.rules.amber_within,
    };
    let canonical = url_for(&filter, filter.list, found.page, user.role);
    let tabs = ListKind::ALL
        .into_iter()
        .filter(|kind| *kind != ListKind::MyAreas || !user.service_areas.is_empty())
        .map(|kind| Tab {
            label: kind.label(),
            href: url_for(&filter, kind, 1, user.role),
            current: kind == filter.list,
        })
        .collect();
    let results = Results {
        tabs,
        caption: filter.list.label(),
        count: count_text(&found),
        pagination: pagination(&filter, &found, user.role),
        clear_href: url_for(&CaseFilter::new(filter.list), filter.list, 1, user.role),
        filtered: is_filtered(&filter),
        rows: found
            .rows
            .into_iter()
            .map(|row| row_view(row, &state.calendar, today, &thresholds))
            .collect(),
    };

    let mut response = HttpResponse::Ok();
    response
        .content_type("text/html; charset=utf-8")
        .insert_header((header::VARY, crate::web::htmx::VARY));
    if htmx {
        let body = CaseListResults { results }.render()?;
        return Ok(response
            .insert_header(("HX-Push-Url", canonical))
            .body(body));
    }

    let form = FilterForm {
        list: filter.list.key(),
        search: filter.search.clone(),
        stages: choices(
            Stage::ALL,
            filter.stage,
            |s| s.key().into(),
            |s| s.label().into(),
        ),
        statuses: choices(
            Status::ALL.iter().copied(),
            filter.status,
            |s| s.as_str().into(),
            |s| s.label().into(),
        ),
        areas: areas
            .iter()
            .map(|a| Choice {
                value: a.id.to_string(),
                label: a.name.clone(),
                selected: filter.area == Some(a.id),
            })
            .collect(),
        assignees: assignees
            .iter()
            .map(|u| Choice {
                value: u.id.to_string(),
                label: u.display_name.clone(),
                selected: filter.assignee == Some(u.id),
            })
            .collect(),
        channels: choices(
            Channel::ALL.iter().copied(),
            filter.channel,
            |c| c.as_str().into(),
            |c| c.label().into(),
        ),
        flags: Flag::ALL
            .into_iter()
            .map(|f| Choice {
                value: f.key().into(),
                label: f.label().into(),
                selected: filter.flags.contains(&f),
            })
            .collect(),
    };
    let body = CaseListPage {
        ctx: user.page().current("/cases"),
        form,
        results,
    }
    .render()?;
    Ok(response.body(body))
}
