//! The case work lists (SPEC section 7): one query answers every list, filter, search and
//! page, always inside what the viewer may see (`Viewer::scope`, filtered by `db::scope`).

use chrono::NaiveDate;
use diesel::dsl::sql;
use diesel::prelude::*;
use diesel::sql_types::{BigInt, Bool, Text};

use super::conn::MultiBackend;
use super::schema::{cases, complainants, service_areas, users};
use super::DbConnection;
use crate::db::scope::{self, Indexes, Visible};
use crate::domain::case::{Channel, Status};
use crate::domain::{Role, ServiceAreaId, UserId};
use crate::domain::{Scope, Viewer};
use crate::rules::{Calendar, CalendarError, Stage, Unit};

/// Rows per page.
pub const PAGE_SIZE: i64 = 50;

/// "Due soon" means due within this many working days from today (overdue excluded).
pub const DUE_SOON_WORKING_DAYS: u32 = 5;

/// Shown instead of the name when the viewer may not know who complained.
pub const CONFIDENTIAL_COMPLAINANT: &str = crate::domain::viewer::WITHHELD_NAME;

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
    pub status: Status,
    pub stage: Option<Stage>,
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
    status: Status,
    stage: Option<Stage>,
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

fn open_statuses() -> Vec<Status> {
    Status::ALL
        .iter()
        .copied()
        .filter(|s| s.is_open())
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

/// Search text shorter than this has no trigram to look up. It finds references starting
/// with it and, when it is letters or digits, complainants with a word starting with it
/// (surnames such as Ng or Li); a one- or two-character piece of a description is in most
/// descriptions, so it is not searched for.
const TRIGRAM: usize = 3;

/// Whether `search` is a short search (see [`TRIGRAM`]) that looks for name words.
fn searches_name_words(search: &str) -> bool {
    search.chars().all(char::is_alphanumeric)
}

/// Cases whose reference starts with `search`, ignoring case, or (three characters or more)
/// whose description or complainant's name contains it, or (one or two letters or digits)
/// whose complainant's name has a word starting with it. Every character of `search` is
/// literal. A name the viewer may not see (`sees_names` false and the case confidential)
/// must not be findable by it either. Returns `query` narrowed to those cases.
///
/// The meaning is the same on both backends; how it is looked up is not:
/// - SQLite: everything is looked up in indexes, as "case id IN (what the indexes found)"
///   so each index is read once per request, not per case ([`sqlite_matches`]).
/// - PostgreSQL: `lower(x) LIKE '%…%'` on exactly the expressions the pg_trgm GIN indexes
///   cover (migration `2026-11-24-000002_case_search`), with no `ESCAPE` clause (backslash
///   is PostgreSQL's default escape character). Name words are matched on the candidate
///   cases' names, which no index holds.
fn text_search(
    query: Filtered,
    backend: Backend,
    id: CaseId,
    search: &str,
    sees_names: bool,
) -> Filtered {
    if backend == Backend::Sqlite {
        return query.filter(sqlite_matches(id, search, sees_names));
    }
    let by_reference = cases::reference.like(format!("{}%", escape_like(&search.to_uppercase())));
    let lowered = escape_like(&search.to_lowercase());
    type Condition = Box<dyn BoxableExpression<cases::table, MultiBackend, SqlType = Bool>>;
    let names_like = |pattern: String, name: &str| -> Condition {
        let found = sql::<Bool>(&format!(
            "cases.complainant_id IN (SELECT complainants.id FROM complainants WHERE {name} LIKE "
        ))
        .bind::<Text, _>(pattern)
        .sql(")");
        if sees_names {
            Box::new(found)
        } else {
            Box::new(found.and(cases::confidential.eq(false)))
        }
    };
    let by_name = if search.chars().count() >= TRIGRAM {
        names_like(format!("%{lowered}%"), "lower(complainants.name)")
    } else if searches_name_words(search) {
        // A word starts at the start of the name or after anything but a letter or digit,
        // as SQLite's `unicode61` tokenizer splits words.
        names_like(
            format!("% {lowered}%"),
            "' ' || regexp_replace(lower(complainants.name), '[^[:alnum:]]+', ' ', 'g')",
        )
    } else {
        Box::new(sql::<Bool>("FALSE"))
    };
    if search.chars().count() >= TRIGRAM {
        let by_description = sql::<Bool>(
            "cases.id IN (SELECT cases.id FROM cases WHERE lower(cases.description) LIKE ",
        )
        .bind::<Text, _>(format!("%{lowered}%"))
        .sql(")");
        query.filter(by_reference.or(by_name).or(by_description))
    } else {
        query.filter(by_reference.or(by_name))
    }
}

/// How a SQLite search names the case id it matches against what the indexes found.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum CaseId {
    /// `cases.id`: SQLite looks each found case up by id (few matches, or a count).
    Looked,
    /// `(cases.id + 0)`: SQLite cannot look the cases up by id, so it walks the list's order
    /// index and probes the found ids, stopping after the page (many matches).
    Probed,
}

impl CaseId {
    fn sql(self) -> &'static str {
        match self {
            CaseId::Looked => "cases.id",
            CaseId::Probed => "(cases.id + 0)",
        }
    }
}

/// What SQLite looks up for `search`: the bounds of the references starting with it, and
/// the full-text table and MATCH expression for the rest (none for a short search that is
/// not letters or digits).
struct SqliteLookup {
    reference_from: String,
    reference_to: String,
    text: Option<(&'static str, String)>,
}

impl SqliteLookup {
    /// The references are a range on their unique index, not `LIKE 'X%'` (which no SQLite
    /// index answers without case-insensitive collation); the range ends at the last
    /// character there is, so every reference starting with the text sorts between the two
    /// (BINARY compares bytes).
    ///
    /// The text is a quoted FTS5 phrase, so literal (a `"` is doubled; `%`, `_` and FTS5
    /// syntax mean nothing inside it), in the columns the viewer may search (migration
    /// `2026-11-25-000001_search_by_role`: a confidential case's name is in `secret_name`):
    /// - three characters or more: `case_search` (trigram tokenizer, case-folding), any
    ///   substring of the name or description. Its `LIKE` would need an `ESCAPE` clause for
    ///   `%` and `_`, and with one FTS5 scans the table.
    /// - one or two letters or digits: `case_search_words` (words, case-folding, with a
    ///   prefix index), a name word starting with them.
    fn new(search: &str, sees_names: bool) -> SqliteLookup {
        let reference = search.to_uppercase();
        let phrase = format!("\"{}\"", search.replace('"', "\"\""));
        let text = if search.chars().count() >= TRIGRAM {
            // Every column needs no column filter, which FTS5 would check per match (3,161
            // matches: 1.8 -> 1.3 ms).
            let text = if sees_names {
                phrase
            } else {
                format!("{{name description}} : {phrase}")
            };
            Some(("case_search", text))
        } else if searches_name_words(search) {
            let columns = if sees_names {
                "{name secret_name}"
            } else {
                "{name}"
            };
            Some(("case_search_words", format!("{columns} : {phrase} *")))
        } else {
            None
        };
        SqliteLookup {
            reference_to: format!("{reference}\u{10FFFF}"),
            reference_from: reference,
            text,
        }
    }
}

/// SQLite: `before`, then the ids of the cases the indexes find for `search` (joined by
/// `union`: `UNION ALL`, or `UNION` for each once), then `after`, as one SQL expression.
fn sqlite_found<QS, ST>(
    lookup: SqliteLookup,
    before: &str,
    union: &str,
    after: &str,
) -> Box<dyn BoxableExpression<QS, MultiBackend, SqlType = ST>>
where
    ST: diesel::sql_types::SqlType + diesel::expression::TypedExpressionType + Send + 'static,
{
    let by_reference = sql::<ST>(&format!(
        "{before}SELECT c.id FROM cases AS c WHERE c.reference >= "
    ))
    .bind::<Text, _>(lookup.reference_from)
    .sql(" AND c.reference < ")
    .bind::<Text, _>(lookup.reference_to);
    match lookup.text {
        Some((table, text)) => Box::new(
            by_reference
                .sql(&format!(
                    " {union} SELECT rowid FROM {table} WHERE {table} MATCH "
                ))
                .bind::<Text, _>(text)
                .sql(after),
        ),
        None => Box::new(by_reference.sql(after)),
    }
}

/// SQLite: "`id` IN (everything the indexes find)" ([`SqliteLookup`]), so each index is read
/// once per request, not per case. Since a confidential case's name is a column of its own,
/// no case row is read to decide whether its name may be searched.
fn sqlite_matches(
    id: CaseId,
    search: &str,
    sees_names: bool,
) -> Box<dyn BoxableExpression<cases::table, MultiBackend, SqlType = Bool>> {
    // Parenthesised whole: diesel joins filters with a bare `AND`.
    sqlite_found(
        SqliteLookup::new(search, sees_names),
        &format!("({} IN (", id.sql()),
        "UNION ALL",
        "))",
    )
}

/// SQLite, a viewer who sees every case: how many cases match, from the indexes alone.
/// Reading each match's case row is what made counting a broad search slow (3,161 matches:
/// ~7 ms, of which the index lookup is ~2). (Fetching the ids instead, to count them and
/// bind them into the page's query, was slower: binding 6,000 ids costs more than the
/// second index lookup it saves; docs/performance.md, run 5.)
fn sqlite_count_matches(
    conn: &mut DbConnection,
    search: &str,
    sees_names: bool,
) -> QueryResult<i64> {
    diesel::select(sqlite_found::<_, BigInt>(
        SqliteLookup::new(search, sees_names),
        "(SELECT count(*) FROM (",
        "UNION",
        "))",
    ))
    .get_result(conn)
}

/// The cases the filter selects, inside the viewer's scope; `None` when the scope is empty.
fn filtered(
    backend: Backend,
    id: CaseId,
    viewer: &Viewer<'_>,
    filter: &CaseFilter,
    dates: &ListDates,
) -> Option<Filtered> {
    // A search narrows far more than the scope: let it lead (`Indexes::Avoid`) on SQLite,
    // which has no statistics to tell (61 ms -> 22 ms for 602 matches at 100,000 cases).
    let indexes = if backend == Backend::Sqlite && !filter.search.trim().is_empty() {
        Indexes::Avoid
    } else {
        Indexes::Use
    };
    let mut query = cases::table.into_boxed();
    match scope::visible(&viewer.scope(), indexes) {
        Visible::Every => {}
        Visible::Only(condition) => query = query.filter(condition),
        Visible::Nothing => return None,
    }

    if filter.list != ListKind::All {
        query = query.filter(cases::status.eq_any(open_statuses()));
    }
    query = match filter.list {
        ListKind::AwaitingTriage => query.filter(cases::status.eq(Status::Received)),
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
            .filter(cases::status.eq(Status::Stage2Open))
            .filter(cases::assignee_id.eq(viewer.id)),
        ListKind::Stage2Review => query.filter(cases::status.eq(Status::Stage2Open)),
        ListKind::AllOpen | ListKind::All => query,
    };

    if let Some(stage) = filter.stage {
        query = query.filter(cases::stage.eq(stage));
    }
    if let Some(status) = filter.status {
        query = query.filter(cases::status.eq(status));
    }
    if let Some(area) = filter.area {
        query = query.filter(cases::service_area_id.eq(area));
    }
    if let Some(assignee) = filter.assignee {
        query = query.filter(cases::assignee_id.eq(assignee));
    }
    if let Some(channel) = filter.channel {
        query = query.filter(cases::channel.eq(channel));
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
        let sees_names = crate::domain::viewer::may_see_identity(viewer.role, true);
        query = text_search(query, backend, id, search, sees_names);
    }
    Some(query)
}

/// Above this many matches, a search's page is found by walking the list's order index
/// (see [`CaseId::Probed`]) rather than by looking up and sorting every match.
const WALK_ABOVE: i64 = 500;

/// A list without search text of at most this many cases is read whole, in one query: it
/// needs no count (the combined filters over all cases in an area read ~19,000 index entries
/// once instead of twice: p99 43 -> 25 ms in the bench).
const READ_WHOLE_UP_TO: i64 = 500;

/// Whether nothing but the search text narrows what this viewer sees, so that the number of
/// matches is the number the search indexes find ([`sqlite_count_matches`]).
fn only_search_narrows(viewer: &Viewer<'_>, filter: &CaseFilter) -> bool {
    filter.list == ListKind::All
        && filter.stage.is_none()
        && filter.status.is_none()
        && filter.area.is_none()
        && filter.assignee.is_none()
        && filter.channel.is_none()
        && filter.flags.is_empty()
        && viewer.scope() == Scope::All
}

/// One page of a work list, soonest deadline first (no deadline last), then by reference.
///
/// The page's case ids come from `cases` alone (in the order of the `cases_worklist_order`
/// and `cases_status_order` indexes, so no join happens before the page is cut), then only
/// those rows are joined to their complainant, service area and assignee ([`page_rows`]).
/// - Without search text, up to [`READ_WHOLE_UP_TO`] + 1 ids are read in order: a list that
///   short is then whole (total and page from one read); a longer one is counted with a
///   `COUNT(*)` the covering indexes answer.
/// - With search text (see [`text_search`]), one query usually returns every matching id in
///   order, giving both the total and the page. On SQLite a list of open cases walks its
///   covering index and probes the matches; when only the search narrows a list of all
///   cases, the total comes from the search indexes alone and a broad search's page from
///   walking the order index, so no match's case row is read.
pub fn work_list(
    conn: &mut DbConnection,
    viewer: &Viewer<'_>,
    filter: &CaseFilter,
    dates: &ListDates,
) -> QueryResult<WorkListPage> {
    let backend = Backend::of(conn);
    let search = filter.search.trim();
    let Some(counted) = filtered(backend, CaseId::Looked, viewer, filter, dates) else {
        return Ok(WorkListPage {
            rows: Vec::new(),
            total: 0,
            page: 1,
        });
    };
    // The same scope every time: only the way a search names the case id differs.
    let matching = |id: CaseId| {
        filtered(backend, id, viewer, filter, dates)
            .expect("the viewer's scope is not empty")
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
    // When only the search narrows the list, SQLite's indexes count the matches without
    // reading them; many matches are then walked in order rather than looked up and sorted.
    let indexed_total = if backend == Backend::Sqlite
        && !search.is_empty()
        && only_search_narrows(viewer, filter)
    {
        let sees_names = crate::domain::viewer::may_see_identity(viewer.role, true);
        Some(sqlite_count_matches(conn, search, sees_names)?)
    } else {
        None
    };
    // A whole list in hand gives its total and any page.
    let cut = |all: Vec<i32>| {
        let total = all.len() as i64;
        let page = page_of(total);
        let ids: Vec<i32> = all
            .into_iter()
            .skip(((page - 1) * PAGE_SIZE) as usize)
            .take(PAGE_SIZE as usize)
            .collect();
        (ids, total, page)
    };
    let (ids, total, page) = match indexed_total {
        None if search.is_empty() => {
            // One read answers a short list (its ids, so its total and every page); a long
            // one is counted (from the indexes) and its page read on its own.
            let first: Vec<i32> = matching(CaseId::Looked)
                .limit(READ_WHOLE_UP_TO + 1)
                .load(conn)?;
            if first.len() as i64 <= READ_WHOLE_UP_TO {
                cut(first)
            } else {
                let total: i64 = counted.count().get_result(conn)?;
                let page = page_of(total);
                let ids = if page == 1 {
                    first.into_iter().take(PAGE_SIZE as usize).collect()
                } else {
                    matching(CaseId::Looked)
                        .offset((page - 1) * PAGE_SIZE)
                        .limit(PAGE_SIZE)
                        .load(conn)?
                };
                (ids, total, page)
            }
        }
        Some(total) if total > WALK_ABOVE => {
            let page = page_of(total);
            let ids = matching(CaseId::Probed)
                .offset((page - 1) * PAGE_SIZE)
                .limit(PAGE_SIZE)
                .load(conn)?;
            (ids, total, page)
        }
        _ => {
            // A list of open cases is a few thousand index entries at most: walking them and
            // probing the search's matches reads no case row, where looking every match up
            // (thousands, for a common surname) reads one each.
            let id = if backend == Backend::Sqlite && filter.list != ListKind::All {
                CaseId::Probed
            } else {
                CaseId::Looked
            };
            cut(matching(id).load(conn)?)
        }
    };
    page_rows(conn, ids, total, page)
}

/// The page's rows: only the page's cases (at most 50) are joined to their complainant,
/// service area and assignee.
fn page_rows(
    conn: &mut DbConnection,
    ids: Vec<i32>,
    total: i64,
    page: i64,
) -> QueryResult<WorkListPage> {
    if ids.is_empty() {
        return Ok(WorkListPage {
            rows: Vec::new(),
            total,
            page,
        });
    }

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
            // A list never names a confidential complainant, officers' included: the case
            // page does, to officers, audited. (Auditing every list view instead put a
            // write on most officer work-list requests.)
            complainant: if c.confidential {
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
