//! The case work lists (SPEC section 7): one query answers every list, filter, search and
//! page, always inside what the viewer may see (`cases::access::scope`).

use chrono::NaiveDate;
use diesel::dsl::sql;
use diesel::prelude::*;
use diesel::sql_types::{Bool, Text};

use super::conn::MultiBackend;
use super::schema::{cases, complainants, service_areas, users};
use super::DbConnection;
use crate::cases::access::{self, Scope, Viewer};
use crate::domain::case::{Channel, Status};
use crate::domain::{Role, ServiceAreaId, UserId};
use crate::rules::{Calendar, CalendarError, Stage, Unit};

/// Rows per page.
pub const PAGE_SIZE: i64 = 50;

/// "Due soon" means due within this many working days from today (overdue excluded).
pub const DUE_SOON_WORKING_DAYS: u32 = 5;

/// Shown instead of the name when the viewer may not know who complained.
pub const CONFIDENTIAL_COMPLAINANT: &str = "Confidential complainant";

/// Which work list. Every list but [`ListKind::All`] holds open cases only.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ListKind {
    /// Logged and not yet triaged (status `received`).
    AwaitingTriage,
    /// An officer's cases as case officer; a manager's or director's as assignee.
    Mine,
    /// Cases in the viewer's service areas.
    MyAreas,
    /// Next deadline between today and 5 working days from today, both included.
    DueSoon,
    /// Next deadline before today.
    Overdue,
    AllOpen,
    /// Open at stage 2: a director's own reviews (assigned to them); every one for others.
    Stage2Review,
    /// Open and closed.
    All,
}

impl ListKind {
    pub const ALL: [ListKind; 8] = [
        ListKind::Mine,
        ListKind::MyAreas,
        ListKind::AwaitingTriage,
        ListKind::DueSoon,
        ListKind::Overdue,
        ListKind::AllOpen,
        ListKind::Stage2Review,
        ListKind::All,
    ];

    /// The value in the URL.
    pub fn key(self) -> &'static str {
        match self {
            ListKind::AwaitingTriage => "triage",
            ListKind::Mine => "mine",
            ListKind::MyAreas => "areas",
            ListKind::DueSoon => "due_soon",
            ListKind::Overdue => "overdue",
            ListKind::AllOpen => "open",
            ListKind::Stage2Review => "stage2_review",
            ListKind::All => "all",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            ListKind::AwaitingTriage => "Awaiting triage",
            ListKind::Mine => "My cases",
            ListKind::MyAreas => "My service areas",
            ListKind::DueSoon => "Due within 5 working days",
            ListKind::Overdue => "Overdue",
            ListKind::AllOpen => "All open cases",
            ListKind::Stage2Review => "Stage 2 awaiting director",
            ListKind::All => "All cases",
        }
    }

    pub fn parse(key: &str) -> Option<ListKind> {
        ListKind::ALL.into_iter().find(|k| k.key() == key)
    }

    /// Officers start from every open case; managers and directors from their own.
    pub fn default_for(role: Role) -> ListKind {
        match role {
            Role::Officer => ListKind::AllOpen,
            _ => ListKind::Mine,
        }
    }
}

/// A flag filter. Ticking more than one shows cases with any of them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Flag {
    HealthAndSafety,
    Safeguarding,
}

impl Flag {
    pub const ALL: [Flag; 2] = [Flag::HealthAndSafety, Flag::Safeguarding];

    pub fn key(self) -> &'static str {
        match self {
            Flag::HealthAndSafety => "health_and_safety",
            Flag::Safeguarding => "safeguarding",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Flag::HealthAndSafety => "Health and safety",
            Flag::Safeguarding => "Safeguarding",
        }
    }

    pub fn parse(key: &str) -> Option<Flag> {
        Flag::ALL.into_iter().find(|f| f.key() == key)
    }
}

/// What the viewer asked for: a list, filters, search text and a page (from 1).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CaseFilter {
    pub list: ListKind,
    pub stage: Option<Stage>,
    pub status: Option<Status>,
    pub area: Option<ServiceAreaId>,
    pub assignee: Option<UserId>,
    pub channel: Option<Channel>,
    pub flags: Vec<Flag>,
    /// Reference (exact or prefix), complainant name or description text; empty for none.
    pub search: String,
    pub page: i64,
}

impl CaseFilter {
    pub fn new(list: ListKind) -> CaseFilter {
        CaseFilter {
            list,
            stage: None,
            status: None,
            area: None,
            assignee: None,
            channel: None,
            flags: Vec::new(),
            search: String::new(),
            page: 1,
        }
    }
}

/// The dates the lists count from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ListDates {
    pub today: NaiveDate,
    /// The last day "due soon" includes.
    pub due_soon_until: NaiveDate,
}

impl ListDates {
    pub fn new(calendar: &Calendar, today: NaiveDate) -> Result<ListDates, CalendarError> {
        Ok(ListDates {
            today,
            due_soon_until: calendar.add(today, DUE_SOON_WORKING_DAYS, Unit::WorkingDays)?,
        })
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WorkListRow {
    pub reference: String,
    /// The name, or [`CONFIDENTIAL_COMPLAINANT`] when the viewer may not see it.
    pub complainant: String,
    pub status: String,
    pub stage: Option<String>,
    pub service_area: Option<String>,
    pub assignee: Option<String>,
    pub next_due_on: Option<NaiveDate>,
    pub health_and_safety: bool,
    pub safeguarding: bool,
    pub confidential: bool,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WorkListPage {
    pub rows: Vec<WorkListRow>,
    /// Matching cases over all pages.
    pub total: i64,
    /// The page shown: the one asked for, moved back to the last page when past it.
    pub page: i64,
}

impl WorkListPage {
    pub fn last_page(&self) -> i64 {
        ((self.total + PAGE_SIZE - 1) / PAGE_SIZE).max(1)
    }
}

/// A row as selected, before the identity rule is applied.
#[derive(Queryable)]
struct ListedCase {
    reference: String,
    name: String,
    status: String,
    stage: Option<String>,
    service_area: Option<String>,
    assignee: Option<String>,
    next_due_on: Option<NaiveDate>,
    health_and_safety: bool,
    safeguarding: bool,
    confidential: bool,
}

diesel::define_sql_function!(fn lower(x: Text) -> Text);

/// A page's rows with what the table shows about them. Joined only for the page's (at most
/// 50) cases: joining every matching case before counting and sorting was what made the
/// lists slow at 100,000 cases (docs/performance.md).
#[diesel::dsl::auto_type]
fn listed() -> _ {
    let assignee: diesel::dsl::Eq<cases::assignee_id, diesel::dsl::Nullable<users::id>> =
        cases::assignee_id.eq(users::id.nullable());
    cases::table
        .inner_join(complainants::table)
        .left_join(service_areas::table)
        .left_join(users::table.on(assignee))
}

/// Matching cases, from `cases` alone so counting and ordering can use its indexes.
type Filtered = cases::BoxedQuery<'static, MultiBackend>;

fn open_statuses() -> Vec<&'static str> {
    Status::ALL
        .iter()
        .filter(|s| s.is_open())
        .map(|s| s.as_str())
        .collect()
}

/// `text` for use inside a LIKE pattern with `\` as the escape character.
fn escape_like(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if matches!(c, '\\' | '%' | '_') {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

/// The database answering: only text search is written differently for each.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Backend {
    Sqlite,
    Postgres,
}

impl Backend {
    fn of(conn: &DbConnection) -> Backend {
        match conn {
            DbConnection::Sqlite(_) => Backend::Sqlite,
            DbConnection::Pg(_) => Backend::Postgres,
        }
    }
}

/// Search text shorter than this has no trigram to look up, so it is matched by reading
/// every candidate case (as all search text was before the trigram indexes).
const TRIGRAM: usize = 3;

/// Cases whose reference starts with `search`, or whose description or complainant's name
/// contains it, ignoring case; every character of `search` is literal. A name the viewer may
/// not see (`sees_names` false and the case confidential) must not be findable by it either.
/// Returns `query` narrowed to those cases.
///
/// The meaning is the same on both backends; how it is looked up is not. From three
/// characters the description and name are looked up in a trigram index (migration
/// `2026-11-24-000002_case_search`), as "case id IN (index lookup)" so the index is read
/// once per request, not per case:
/// - SQLite: the FTS5 table `case_search` (trigram tokenizer, case-folding), matched with a
///   quoted phrase, which is a literal substring (a `"` is doubled; `%` and `_` mean
///   nothing there). Its `LIKE` would need an `ESCAPE` clause for `%` and `_`, and with one
///   FTS5 scans the table. The reference is a range on its unique index, not `LIKE 'X%'`
///   (which no SQLite index answers without case-insensitive collation).
/// - PostgreSQL: `lower(x) LIKE '%…%'` on exactly the expressions the pg_trgm GIN indexes
///   cover, with no `ESCAPE` clause (backslash is PostgreSQL's default escape character).
fn text_search(query: Filtered, backend: Backend, search: &str, sees_names: bool) -> Filtered {
    let reference = search.to_uppercase();
    let contains = format!("%{}%", escape_like(&search.to_lowercase()));
    if search.chars().count() < TRIGRAM {
        let by_reference = cases::reference
            .like(format!("{}%", escape_like(&reference)))
            .escape('\\');
        let by_description = lower(cases::description)
            .like(contains.clone())
            .escape('\\');
        // A correlated EXISTS, not a join, keeps the query on `cases`: the complainant is
        // looked up by primary key only for a case no other term matched.
        let by_name = sql::<Bool>(
            "EXISTS (SELECT 1 FROM complainants WHERE complainants.id = cases.complainant_id \
             AND lower(complainants.name) LIKE ",
        )
        .bind::<Text, _>(contains)
        .sql(" ESCAPE '\\')");
        return if sees_names {
            query.filter(by_reference.or(by_name).or(by_description))
        } else {
            query.filter(
                by_reference
                    .or(by_name.and(cases::confidential.eq(false)))
                    .or(by_description),
            )
        };
    }
    match backend {
        Backend::Sqlite => {
            let phrase = format!("\"{}\"", search.replace('"', "\"\""));
            // One `cases.id IN (…)` over everything the indexes find, so that SQLite can look
            // the matching cases up by id (for `list=all` ~8-14 ms in `sqlite3`, ~20 ms with
            // an `OR` of terms); `filtered` hides a manager's scope from the planner so it
            // does the same there.
            // The reference range ends at the last character there is: every reference
            // starting with `reference` sorts between the two (BINARY compares bytes).
            let ids = sql::<Bool>("cases.id IN (SELECT c.id FROM cases AS c WHERE c.reference >= ")
                .bind::<Text, _>(reference.clone())
                .sql(" AND c.reference < ")
                .bind::<Text, _>(format!("{reference}\u{10FFFF}"))
                .sql(" UNION ALL SELECT rowid FROM case_search WHERE case_search MATCH ");
            if sees_names {
                query.filter(
                    ids.bind::<Text, _>(format!("{{name description}} : {phrase}"))
                        .sql(")"),
                )
            } else {
                query.filter(
                    ids.bind::<Text, _>(format!("description : {phrase}"))
                        .sql(
                            " UNION ALL SELECT case_search.rowid FROM case_search \
                             JOIN cases AS n ON n.id = case_search.rowid \
                             WHERE case_search MATCH ",
                        )
                        .bind::<Text, _>(format!("name : {phrase}"))
                        .sql(" AND n.confidential = 0)"),
                )
            }
        }
        Backend::Postgres => {
            let by_reference = cases::reference.like(format!("{}%", escape_like(&reference)));
            let by_description = sql::<Bool>(
                "cases.id IN (SELECT cases.id FROM cases WHERE lower(cases.description) LIKE ",
            )
            .bind::<Text, _>(contains.clone())
            .sql(")");
            let by_name = sql::<Bool>(
                "cases.complainant_id IN (SELECT complainants.id FROM complainants \
                 WHERE lower(complainants.name) LIKE ",
            )
            .bind::<Text, _>(contains)
            .sql(")");
            if sees_names {
                query.filter(by_reference.or(by_description).or(by_name))
            } else {
                query.filter(
                    by_reference
                        .or(by_description)
                        .or(by_name.and(cases::confidential.eq(false))),
                )
            }
        }
    }
}

/// The cases the filter selects, inside the viewer's scope; `None` when the scope is empty.
fn filtered(
    backend: Backend,
    viewer: &Viewer<'_>,
    filter: &CaseFilter,
    dates: &ListDates,
) -> Option<Filtered> {
    let mut query = cases::table.into_boxed();
    match access::scope(viewer) {
        Scope::All => {}
        Scope::AssignedOrInAreas { user, areas }
            if backend == Backend::Sqlite && filter.search.trim().chars().count() >= TRIGRAM =>
        {
            // `+ 0` keeps SQLite from using the scope's indexes: without ANALYZE statistics
            // it would start from every case assigned or in the areas (~11,000 for one area
            // at 100,000 cases) and check each against the search, instead of looking up
            // the search's few matches by id (61 ms -> 22 ms for 602 matches, single query).
            query = query.filter(
                (cases::assignee_id + 0)
                    .eq(user)
                    .or((cases::service_area_id + 0).eq_any(areas)),
            )
        }
        Scope::AssignedOrInAreas { user, areas } => {
            query = query.filter(
                cases::assignee_id
                    .eq(user)
                    .or(cases::service_area_id.eq_any(areas)),
            )
        }
        Scope::Nothing => return None,
    }

    if filter.list != ListKind::All {
        query = query.filter(cases::status.eq_any(open_statuses()));
    }
    query = match filter.list {
        ListKind::AwaitingTriage => query.filter(cases::status.eq(Status::Received.as_str())),
        ListKind::Mine if viewer.role == Role::Officer => {
            query.filter(cases::case_officer_id.eq(viewer.id))
        }
        ListKind::Mine => query.filter(cases::assignee_id.eq(viewer.id)),
        ListKind::MyAreas => {
            query.filter(cases::service_area_id.eq_any(viewer.service_areas.to_vec()))
        }
        ListKind::DueSoon => query.filter(
            cases::next_due_on
                .ge(dates.today)
                .and(cases::next_due_on.le(dates.due_soon_until)),
        ),
        ListKind::Overdue => query.filter(cases::next_due_on.lt(dates.today)),
        ListKind::Stage2Review if viewer.role == Role::Director => query
            .filter(cases::status.eq(Status::Stage2Open.as_str()))
            .filter(cases::assignee_id.eq(viewer.id)),
        ListKind::Stage2Review => query.filter(cases::status.eq(Status::Stage2Open.as_str())),
        ListKind::AllOpen | ListKind::All => query,
    };

    if let Some(stage) = filter.stage {
        query = query.filter(cases::stage.eq(stage.key()));
    }
    if let Some(status) = filter.status {
        query = query.filter(cases::status.eq(status.as_str()));
    }
    if let Some(area) = filter.area {
        query = query.filter(cases::service_area_id.eq(area));
    }
    if let Some(assignee) = filter.assignee {
        query = query.filter(cases::assignee_id.eq(assignee));
    }
    if let Some(channel) = filter.channel {
        query = query.filter(cases::channel.eq(channel.as_str()));
    }
    let hs = filter.flags.contains(&Flag::HealthAndSafety);
    let sg = filter.flags.contains(&Flag::Safeguarding);
    query = match (hs, sg) {
        (true, true) => query.filter(
            cases::health_and_safety
                .eq(true)
                .or(cases::safeguarding.eq(true)),
        ),
        (true, false) => query.filter(cases::health_and_safety.eq(true)),
        (false, true) => query.filter(cases::safeguarding.eq(true)),
        (false, false) => query,
    };

    let search = filter.search.trim();
    if !search.is_empty() {
        let sees_names = access::sees_confidential_identities(viewer);
        query = text_search(query, backend, search, sees_names);
    }
    Some(query)
}

/// One page of a work list, soonest deadline first (no deadline last), then by reference.
///
/// The page's case ids come from `cases` alone (in the order of the `cases_worklist_order`
/// and `cases_status_order` indexes, so no join happens before the page is cut), then only
/// those rows are joined to their complainant, service area and assignee. Without search
/// text the total is a `COUNT(*)` over `cases` that the indexes answer; with search text
/// (looked up in a trigram index, see [`text_search`]) one query returns the matching ids in
/// order and gives both the total and the page.
pub fn work_list(
    conn: &mut DbConnection,
    viewer: &Viewer<'_>,
    filter: &CaseFilter,
    dates: &ListDates,
) -> QueryResult<WorkListPage> {
    let backend = Backend::of(conn);
    let Some(counted) = filtered(backend, viewer, filter, dates) else {
        return Ok(WorkListPage {
            rows: Vec::new(),
            total: 0,
            page: 1,
        });
    };
    let ordered = || {
        filtered(backend, viewer, filter, dates)
            .expect("same scope as the count")
            .order((
                cases::next_due_on.is_null().asc(),
                cases::next_due_on.asc(),
                cases::reference.asc(),
            ))
            .select(cases::id)
    };
    let page_of = |total: i64| {
        filter
            .page
            .clamp(1, ((total + PAGE_SIZE - 1) / PAGE_SIZE).max(1))
    };
    let (ids, total, page) = if filter.search.trim().is_empty() {
        let total: i64 = counted.count().get_result(conn)?;
        let page = page_of(total);
        let ids: Vec<i32> = ordered()
            .offset((page - 1) * PAGE_SIZE)
            .limit(PAGE_SIZE)
            .load(conn)?;
        (ids, total, page)
    } else {
        let all: Vec<i32> = ordered().load(conn)?;
        let total = all.len() as i64;
        let page = page_of(total);
        let ids = all
            .into_iter()
            .skip(((page - 1) * PAGE_SIZE) as usize)
            .take(PAGE_SIZE as usize)
            .collect();
        (ids, total, page)
    };
    if ids.is_empty() {
        return Ok(WorkListPage {
            rows: Vec::new(),
            total,
            page,
        });
    }

    let sees_identities = access::sees_confidential_identities(viewer);
    let rows = listed()
        .filter(cases::id.eq_any(ids))
        .order((
            cases::next_due_on.is_null().asc(),
            cases::next_due_on.asc(),
            cases::reference.asc(),
        ))
        .select((
            cases::reference,
            complainants::name,
            cases::status,
            cases::stage,
            service_areas::name.nullable(),
            users::display_name.nullable(),
            cases::next_due_on,
            cases::health_and_safety,
            cases::safeguarding,
            cases::confidential,
        ))
        .load::<ListedCase>(conn)?
        .into_iter()
        .map(|c| WorkListRow {
            complainant: if c.confidential && !sees_identities {
                CONFIDENTIAL_COMPLAINANT.to_string()
            } else {
                c.name
            },
            reference: c.reference,
            status: c.status,
            stage: c.stage,
            service_area: c.service_area,
            assignee: c.assignee,
            next_due_on: c.next_due_on,
            health_and_safety: c.health_and_safety,
            safeguarding: c.safeguarding,
            confidential: c.confidential,
        })
        .collect();
    Ok(WorkListPage { rows, total, page })
}
