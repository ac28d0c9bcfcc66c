//! The case work lists (SPEC section 7): one query answers every list, filter, search and
//! page, always inside what the viewer may see (`Viewer::scope`, filtered by `db::scope`).

use chrono::NaiveDate;
use diesel::dsl::sql;
use diesel::prelude::*;
use diesel::sql_types::{BigInt, Bool, Text};

use super::conn::MultiBackend;
use super::schema::{cases, complainants, decisions, service_areas, users};
use super::DbConnection;
use crate::db::literal_limit::{FirstRow, WindowDsl};
use crate::db::name_words::{name_words_start, PG_SEARCH_NAME, PG_SEARCH_NAME_WORDS};
use crate::db::one_of::one_of;
use crate::db::planned_for_values::PlannedForValues;
use crate::db::scope::{self, Indexes, Visible, Written};
use crate::domain::case::{Channel, CompensationStatus, Status, TenancyRelationship};
use crate::domain::search_terms::SearchTerms;
use crate::domain::{CaseReference, CategoryId, ContractorId, Role, ServiceAreaId, UserId};
use crate::domain::{Scope, Viewer};
use crate::rules::{Calendar, CalendarError, Stage, Unit};

/// Rows per page.
pub const PAGE_SIZE: i64 = 50;

/// "Due soon" means due within this many working days from today (overdue excluded).
pub const DUE_SOON_WORKING_DAYS: u32 = 5;

/// Shown instead of the name when the viewer may not know who complained.
pub const CONFIDENTIAL_COMPLAINANT: &str = crate::domain::viewer::WITHHELD_NAME;

/// Which work list. Every list but [`ListKind::All`] holds open cases only.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
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

    /// Officers (and the governing body's member, who has none of their own) start from every
    /// open case; managers and directors from their own.
    pub fn default_for(role: Role) -> ListKind {
        match role {
            Role::Officer | Role::Member => ListKind::AllOpen,
            _ => ListKind::Mine,
        }
    }
}

/// A flag filter. Ticking more than one shows cases with any of them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
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

/// What a list can be sorted by.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum SortKey {
    /// The next deadline's date; cases without one last either way.
    Deadline,
    Received,
    /// Working days overdue: the same order as the deadline's, the other way round.
    Overdue,
    Reference,
}

impl SortKey {
    pub const ALL: [SortKey; 4] = [
        SortKey::Deadline,
        SortKey::Received,
        SortKey::Overdue,
        SortKey::Reference,
    ];

    /// The value in the URL (`sort=`).
    pub fn key(self) -> &'static str {
        match self {
            SortKey::Deadline => "deadline",
            SortKey::Received => "received",
            SortKey::Overdue => "overdue",
            SortKey::Reference => "reference",
        }
    }

    pub fn parse(key: &str) -> Option<SortKey> {
        SortKey::ALL.into_iter().find(|k| k.key() == key)
    }

    /// The way a first click sorts: most overdue first, otherwise earliest first.
    pub fn first_direction(self) -> Direction {
        match self {
            SortKey::Overdue => Direction::Descending,
            _ => Direction::Ascending,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Direction {
    Ascending,
    Descending,
}

impl Direction {
    /// The value in the URL (`order=`).
    pub fn key(self) -> &'static str {
        match self {
            Direction::Ascending => "asc",
            Direction::Descending => "desc",
        }
    }

    pub fn parse(key: &str) -> Option<Direction> {
        match key {
            "asc" => Some(Direction::Ascending),
            "desc" => Some(Direction::Descending),
            _ => None,
        }
    }

    pub fn reversed(self) -> Direction {
        match self {
            Direction::Ascending => Direction::Descending,
            Direction::Descending => Direction::Ascending,
        }
    }
}

/// How a list is sorted. Ties are broken by reference, in the same direction, so every
/// order is total and paging never repeats or skips a case.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Sort {
    pub key: SortKey,
    pub direction: Direction,
}

impl Default for Sort {
    /// Soonest deadline first.
    fn default() -> Sort {
        Sort {
            key: SortKey::Deadline,
            direction: Direction::Ascending,
        }
    }
}

/// What the viewer asked for: a list, filters, search text, an order and a page (from 1).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct CaseFilter {
    pub list: ListKind,
    pub stage: Option<Stage>,
    pub status: Option<Status>,
    pub area: Option<ServiceAreaId>,
    pub assignee: Option<UserId>,
    pub case_officer: Option<UserId>,
    pub category: Option<CategoryId>,
    pub contractor: Option<ContractorId>,
    pub channel: Option<Channel>,
    pub tenure: Option<TenancyRelationship>,
    /// Received on or after.
    pub received_from: Option<NaiveDate>,
    /// Received on or before.
    pub received_to: Option<NaiveDate>,
    pub flags: Vec<Flag>,
    /// What the search box was given (see [`SearchTerms`]); empty for none.
    pub search: String,
    pub sort: Sort,
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
            case_officer: None,
            category: None,
            contractor: None,
            channel: None,
            tenure: None,
            received_from: None,
            received_to: None,
            flags: Vec::new(),
            search: String::new(),
            sort: Sort::default(),
            page: 1,
        }
    }

    /// Whether a filter or search narrows the list (the page and the order do not).
    pub fn narrows(&self) -> bool {
        CaseFilter {
            sort: Sort::default(),
            page: 1,
            ..self.clone()
        } != CaseFilter::new(self.list)
    }
}

/// The dates the lists count from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
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

/// The current stage's decision, as far as the step it puts the case at needs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CurrentDecision {
    /// An outcome is recorded (not only a draft).
    pub decided: bool,
    pub compensation: CompensationStatus,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WorkListRow {
    pub reference: String,
    /// The case's version, which a bulk action's selection carries so a case changed since
    /// the list was read is refused rather than acted on.
    pub version: i32,
    /// The name, or [`CONFIDENTIAL_COMPLAINANT`] when the viewer may not see it.
    pub complainant: String,
    pub status: Status,
    pub stage: Option<Stage>,
    pub service_area: Option<String>,
    /// The investigating manager's name.
    pub assignee: Option<String>,
    pub case_officer: Option<String>,
    pub received_on: NaiveDate,
    pub next_due_on: Option<NaiveDate>,
    pub health_and_safety: bool,
    pub safeguarding: bool,
    pub confidential: bool,
    /// The complainant asked for reasonable adjustments.
    pub adjustments: bool,
    pub interpreter: bool,
    /// The policy profile's name, which says whether a stage needs an acknowledgement.
    pub policy: String,
    /// When the current stage was acknowledged.
    pub acknowledged_on: Option<NaiveDate>,
    pub decision: Option<CurrentDecision>,
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
    id: i32,
    reference: String,
    version: i32,
    name: String,
    status: Status,
    stage: Option<Stage>,
    service_area: Option<String>,
    assignee_id: Option<UserId>,
    case_officer_id: Option<UserId>,
    received_on: NaiveDate,
    next_due_on: Option<NaiveDate>,
    health_and_safety: bool,
    safeguarding: bool,
    confidential: bool,
    adjustments: String,
    interpreter_language: Option<String>,
    policy: String,
    acknowledged_on: Option<NaiveDate>,
}

diesel::define_sql_function!(fn lower(x: Text) -> Text);

/// A page's rows with what the table shows about them. Joined only for the page's (at most
/// 50) cases: joining every matching case before counting and sorting was what made the
/// lists slow at 100,000 cases (docs/performance.md).
#[diesel::dsl::auto_type]
fn listed() -> _ {
    cases::table
        .inner_join(complainants::table)
        .left_join(service_areas::table)
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
/// - PostgreSQL: `x LIKE '%…%'` on exactly the expressions the pg_trgm GIN indexes cover
///   (migrations `2026-11-24-000002_case_search` and `2026-12-12-000001_case_search_name`),
///   with no `ESCAPE` clause (backslash is PostgreSQL's default escape character), all on the
///   case row: the complainant's name is kept there as [`PG_SEARCH_NAME`] and
///   [`PG_SEARCH_NAME_WORDS`], so the planner knows how many cases a name finds and the
///   alternatives combine in one bitmap (or a walk of the list's order index, stopping after
///   the page).
fn text_search(
    query: Filtered,
    backend: Backend,
    id: CaseId,
    terms: &SearchTerms,
    sees_names: bool,
    years: &[i32],
) -> Filtered {
    let mut found = text_matches(backend, id, &terms.text, sees_names);
    for more in structured_matches(backend, id, terms, sees_names, years) {
        found = Box::new(found.or(more));
    }
    query.filter(found)
}

type Condition = Box<dyn BoxableExpression<cases::table, MultiBackend, SqlType = Bool>>;

/// The text itself, as described at [`text_search`].
fn text_matches(backend: Backend, id: CaseId, search: &str, sees_names: bool) -> Condition {
    if backend == Backend::Sqlite {
        return sqlite_matches(id, search, sees_names);
    }
    let by_reference = cases::reference.like(format!("{}%", escape_like(&search.to_uppercase())));
    let lowered = escape_like(&search.to_lowercase());
    let names_like = |pattern: String, name: &str| -> Condition {
        let found = sql::<Bool>(&format!("{name} LIKE ")).bind::<Text, _>(pattern);
        if sees_names {
            Box::new(found)
        } else {
            Box::new(found.and(cases::confidential.eq(false)))
        }
    };
    let by_name = if search.chars().count() >= TRIGRAM {
        names_like(format!("%{lowered}%"), PG_SEARCH_NAME)
    } else if searches_name_words(search) {
        names_like(format!("% {lowered}%"), PG_SEARCH_NAME_WORDS)
    } else {
        Box::new(sql::<Bool>("FALSE"))
    };
    if search.chars().count() >= TRIGRAM {
        // On the case row itself, not `cases.id = ANY(ARRAY(…))`: the trigram index joins
        // the BitmapOr (and a list's BitmapAnd) directly, so a broad description's matches
        // are read from the heap once, and an open list reads only its open matches (4,036
        // matches, 83 open: 49 -> 13 ms; docs/performance.md, session 11).
        let by_description =
            sql::<Bool>("lower(cases.description) LIKE ").bind::<Text, _>(format!("%{lowered}%"));
        Box::new(by_reference.or(by_name).or(by_description))
    } else {
        Box::new(by_reference.or(by_name))
    }
}

/// How "`column` is one of (subquery)" opens and closes on each backend. PostgreSQL:
/// `= ANY(ARRAY(subquery))`, which it evaluates once and looks up by index, so a contact
/// detail's lookup combines with the search's other alternatives (reference, description,
/// the name kept on the case) as a `BitmapOr` of index scans; `IN (subquery)` in an `OR`
/// made it scan every case and probe a hashed subquery per row (a bare number over 100,000
/// cases: 128 ms -> 0.3 ms).
fn any_of_subquery(backend: Backend) -> (&'static str, &'static str) {
    match backend {
        Backend::Sqlite => ("IN (", ")"),
        Backend::Postgres => ("= ANY(ARRAY(", "))"),
    }
}

/// A name word as the tokenizers see it: lower case, runs of anything but letters and digits
/// as one space (O'Neill-Jones is "o neill jones").
fn word_pieces(word: &str) -> String {
    word.to_lowercase()
        .split(|c: char| !c.is_alphanumeric())
        .filter(|piece| !piece.is_empty())
        .collect::<Vec<_>>()
        .join(" ")
}

/// What the search text may also be: a case number, a postcode, a telephone number, an email
/// address, or words of a name in any order. A complainant's contact details, like their
/// name, find a confidential case only for those who may see who complained.
fn structured_matches(
    backend: Backend,
    id: CaseId,
    terms: &SearchTerms,
    sees_names: bool,
    years: &[i32],
) -> Vec<Condition> {
    let mut found: Vec<Condition> = Vec::new();
    if let Some(number) = terms.number {
        let references: Vec<String> = match number.year {
            Some(year) => vec![year],
            None => years.to_vec(),
        }
        .into_iter()
        .filter_map(|year| CaseReference::new(year, number.sequence).ok())
        .map(|reference| reference.to_string())
        .collect();
        if !references.is_empty() {
            found.push(Box::new(cases::reference.eq_any(references)));
        }
    }
    let private = |condition: Condition| -> Condition {
        if sees_names {
            condition
        } else {
            Box::new(condition.and(cases::confidential.eq(false)))
        }
    };
    // Parenthesised whole: diesel joins filters with a bare `AND`.
    let (open, close) = any_of_subquery(backend);
    let by_complainant = |column: &str, value: &str| -> Condition {
        Box::new(
            sql::<Bool>(&format!(
                "(cases.complainant_id {open}SELECT complainants.id FROM complainants \
                 WHERE complainants.{column} = "
            ))
            .bind::<Text, _>(value.to_string())
            .sql(&format!("{close})")),
        )
    };
    if let Some(postcode) = &terms.postcode {
        found.push(private(by_complainant("postcode", postcode)));
    }
    if let Some(phone) = &terms.phone {
        found.push(private(by_complainant("phone", phone)));
    }
    if let Some(email) = &terms.email {
        found.push(private(by_complainant("email", email)));
    }
    if !terms.name_words.is_empty() {
        let words: Vec<String> = terms.name_words.iter().map(|w| word_pieces(w)).collect();
        found.push(match backend {
            // One MATCH of the words index, in the columns this viewer may search.
            Backend::Sqlite => {
                let columns = if sees_names {
                    "{name secret_name}"
                } else {
                    "{name}"
                };
                let every: Vec<String> = words
                    .iter()
                    .map(|w| format!("\"{}\" *", w.replace('"', "\"\"")))
                    .collect();
                Box::new(
                    sql::<Bool>(&format!(
                        "({} IN (SELECT rowid FROM case_search_words WHERE case_search_words MATCH ",
                        id.sql()
                    ))
                    .bind::<Text, _>(format!("{columns} : ({})", every.join(" AND ")))
                    .sql("))"),
                )
            }
            // Each word starts a word of the name: one lookup in the names' words index.
            Backend::Postgres => {
                let escaped: Vec<String> = words.iter().map(|w| escape_like(w)).collect();
                private(Box::new(name_words_start(&escaped)))
            }
        });
    }
    found
}

/// Whether a list's order may come from an index ([`sorted`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Order {
    Indexed,
    Sorted,
}

impl Order {
    fn of(backend: Backend, filter: &CaseFilter) -> Order {
        if backend == Backend::Postgres && filter.list != ListKind::All {
            Order::Sorted
        } else {
            Order::Indexed
        }
    }
}

/// What a list's query is for: its rows in order, or only how many there are. Some filters
/// are cheapest written differently for each.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Purpose {
    Order,
    Count,
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
    purpose: Purpose,
    viewer: &Viewer<'_>,
    filter: &CaseFilter,
    dates: &ListDates,
    first: &ReadFirst,
) -> Option<Filtered> {
    // A search narrows far more than the scope: let it lead (`Indexes::Avoid`) on SQLite,
    // which has no statistics to tell (61 ms -> 22 ms for 602 matches at 100,000 cases).
    // A list of all cases in order walks the order's index, which holds the scope's columns
    // (migration `2026-12-07-000050_page_and_list_indexes`), and stops once the page is
    // full: starting at the scope's indexes instead meant reading and sorting every case a
    // manager may see (19,246 at 100,000 cases; docs/performance.md, session 8).
    let avoid = !filter.search.trim().is_empty()
        || (filter.list == ListKind::All && purpose == Purpose::Order);
    let indexes = if backend == Backend::Sqlite && avoid {
        Indexes::Avoid
    } else {
        Indexes::Use
    };
    let mut query = cases::table.into_boxed();
    if backend == Backend::Postgres {
        query = query.filter(PlannedForValues);
    }
    let visible = match first.scope {
        Written::AsGiven => scope::visible(&viewer.scope(), indexes),
        Written::AreasOnly => scope::in_areas(viewer.service_areas),
    };
    match visible {
        Visible::Every => {}
        Visible::Only(condition) => query = query.filter(condition),
        Visible::Nothing => return None,
    }

    if filter.list != ListKind::All {
        query = query.filter(one_of(cases::status, open_statuses()));
    }
    query = match filter.list {
        ListKind::AwaitingTriage => query.filter(cases::status.eq(Status::Received)),
        ListKind::Mine if viewer.role == Role::Officer => {
            query.filter(cases::case_officer_id.eq(viewer.id))
        }
        ListKind::Mine => query.filter(cases::assignee_id.eq(viewer.id)),
        ListKind::MyAreas => query.filter(one_of(
            cases::service_area_id,
            viewer.service_areas.to_vec(),
        )),
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
    if let Some(officer) = filter.case_officer {
        query = query.filter(cases::case_officer_id.eq(officer));
    }
    if let Some(category) = filter.category {
        query = query.filter(cases::category_id.eq(category));
    }
    if let Some(contractor) = filter.contractor {
        query = query.filter(cases::contractor_id.eq(contractor));
    }
    if let Some(channel) = filter.channel {
        query = query.filter(cases::channel.eq(channel));
    }
    if let Some(from) = filter.received_from {
        query = query.filter(cases::received_on.ge(from));
    }
    if let Some(to) = filter.received_to {
        query = query.filter(cases::received_on.le(to));
    }
    if let Some(tenure) = filter.tenure {
        query = query.filter(cases::tenure.eq(tenure));
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

    let terms = SearchTerms::read(&filter.search);
    if !terms.is_empty() {
        let sees_names = crate::domain::viewer::may_see_identity(viewer.role, true);
        query = text_search(query, backend, id, &terms, sees_names, &first.years);
    }
    Some(query)
}

/// `query` in the order `sort` asks for, the reference breaking ties (in the same direction).
/// Each order is one an index holds: `cases_worklist_order` (and `_desc`),
/// `cases_received_order`, `cases_reference_order`, each with the scope's columns; the
/// category, contractor and case officer indexes hold the deadline order after their column.
///
/// On PostgreSQL a list of open cases sorted by received date or reference is sorted after
/// it is found ([`Order::Sorted`]): the planner would otherwise walk that order's index and
/// filter for open cases, expecting them spread evenly, when the oldest received dates and
/// references are almost all closed (every case read to find 50: 91 ms at 100,000 cases).
/// The open cases are instead read from the status index and sorted, 2,000 or so.
///
/// [`Reading::Backward`] is the same order from its end: every key reversed, cases with no
/// deadline first (the index read backwards).
fn sorted(query: Filtered, sort: Sort, order: Order, reading: Reading) -> Filtered {
    use Direction::{Ascending, Descending};
    let direction = match reading {
        Reading::Forward => sort.direction,
        Reading::Backward => sort.direction.reversed(),
    };
    if order == Order::Sorted {
        let received = || sql::<diesel::sql_types::Date>("(cases.received_on + 0)");
        let reference = || sql::<Text>("(cases.reference || '')");
        match (sort.key, direction) {
            (SortKey::Received, Ascending) => {
                return query
                    .order_by(received().asc())
                    .then_order_by(reference().asc())
            }
            (SortKey::Received, Descending) => {
                return query
                    .order_by(received().desc())
                    .then_order_by(reference().desc())
            }
            (SortKey::Reference, Ascending) => return query.order_by(reference().asc()),
            (SortKey::Reference, Descending) => return query.order_by(reference().desc()),
            _ => {}
        }
    }
    let direction = match sort.key {
        SortKey::Overdue => direction.reversed(),
        _ => direction,
    };
    let no_deadline_last = |query: Filtered| match reading {
        Reading::Forward => query.order_by(cases::next_due_on.is_null().asc()),
        Reading::Backward => query.order_by(cases::next_due_on.is_null().desc()),
    };
    match (sort.key, direction) {
        (SortKey::Deadline | SortKey::Overdue, Ascending) => no_deadline_last(query)
            .then_order_by(cases::next_due_on.asc())
            .then_order_by(cases::reference.asc()),
        (SortKey::Deadline | SortKey::Overdue, Descending) => no_deadline_last(query)
            .then_order_by(cases::next_due_on.desc())
            .then_order_by(cases::reference.desc()),
        (SortKey::Received, Ascending) => query
            .order_by(cases::received_on.asc())
            .then_order_by(cases::reference.asc()),
        (SortKey::Received, Descending) => query
            .order_by(cases::received_on.desc())
            .then_order_by(cases::reference.desc()),
        (SortKey::Reference, Ascending) => query.order_by(cases::reference.asc()),
        (SortKey::Reference, Descending) => query.order_by(cases::reference.desc()),
    }
}

/// Which end of a list's order a page is read from ([`sorted`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Reading {
    Forward,
    /// From the end: a page in the list's second half is nearer it, so fewer rows are
    /// skipped (the last of 2,000 pages of all cases: 99,950 -> 0).
    Backward,
}

/// Where page `page` of a list of `total` rows is, read from the nearer end: which way to
/// read, how many rows to skip and how many to take (reversed afterwards when read backward).
fn page_window(total: i64, page: i64) -> (Reading, i64, i64) {
    let start = (page - 1) * PAGE_SIZE;
    let end = (page * PAGE_SIZE).min(total);
    if start > total - end {
        (Reading::Backward, total - end, end - start)
    } else {
        (Reading::Forward, start, PAGE_SIZE)
    }
}

/// The years references have been given in (from the first reference to the last: two
/// lookups in the references' index), so a bare number finds its case in any year.
fn reference_years(conn: &mut DbConnection, terms: &SearchTerms) -> QueryResult<Vec<i32>> {
    if terms.number.is_none_or(|n| n.year.is_some()) {
        return Ok(Vec::new());
    }
    let year_of = |reference: Option<String>| {
        reference.and_then(|r| CaseReference::parse(&r).ok().map(|r| r.year()))
    };
    let first = year_of(
        cases::table
            .select(cases::reference)
            .order(cases::reference.asc())
            .first_row(conn)
            .optional()?,
    );
    let last = year_of(
        cases::table
            .select(cases::reference)
            .order(cases::reference.desc())
            .first_row(conn)
            .optional()?,
    );
    Ok(match (first, last) {
        (Some(first), Some(last)) => (first..=last).collect(),
        _ => Vec::new(),
    })
}

/// What a list's statements need read from the database before they are written.
struct ReadFirst {
    /// The years references have been given in, for a bare number ([`reference_years`]).
    years: Vec<i32>,
    /// How the viewer's scope is written ([`Written`]).
    scope: Written,
}

impl ReadFirst {
    /// For a list without search text: nothing.
    fn nothing() -> ReadFirst {
        ReadFirst {
            years: Vec::new(),
            scope: Written::AsGiven,
        }
    }

    /// For `search`, the scope as given.
    fn for_search(conn: &mut DbConnection, search: &str) -> QueryResult<ReadFirst> {
        Ok(ReadFirst {
            years: reference_years(conn, &SearchTerms::read(search))?,
            scope: Written::AsGiven,
        })
    }

    /// For a page of `search`, the scope written as `scope` allows. A search on PostgreSQL
    /// reads case rows, so its scope is best an index condition: the areas alone, when they
    /// are all of it ([`CountedLists::scope`]; a manager's "Wood" over all cases at 100,000:
    /// 255 -> 330 pages a second under load). A list without search text is read from
    /// indexes holding the scope's columns, so the `OR` is tested on index entries, not case
    /// rows; SQLite leads with the search anyway.
    fn read(
        conn: &mut DbConnection,
        backend: Backend,
        search: &str,
        scope: Written,
    ) -> QueryResult<ReadFirst> {
        let mut first = ReadFirst::for_search(conn, search)?;
        if backend == Backend::Postgres && !search.is_empty() {
            first.scope = scope;
        }
        Ok(first)
    }
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
        && filter.case_officer.is_none()
        && filter.category.is_none()
        && filter.contractor.is_none()
        && filter.channel.is_none()
        && filter.tenure.is_none()
        && filter.received_from.is_none()
        && filter.received_to.is_none()
        && filter.flags.is_empty()
        && viewer.scope() == Scope::All
        && !SearchTerms::read(&filter.search).has_structured()
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
    counted_work_list(conn, viewer, filter, dates, None, None, Written::AsGiven)
}

/// [`work_list`], given how many cases the list holds when the caller has already counted
/// it ([`list_counts`]): a list with no filter or search is that many, so it is not counted
/// twice (a manager's list of all cases: 19,246 at 100,000 cases, 2.7 ms each count).
/// Likewise `kept_total`, how many cases this search or these filters matched when last
/// counted, nothing having changed since ([`crate::cases::list_counts::FilteredTotals`]):
/// then only the page is read, from the order's index, and no match is counted. And
/// `scope`, how the viewer's scope may be written, found with those counts
/// ([`CountedLists::scope`]).
pub fn counted_work_list(
    conn: &mut DbConnection,
    viewer: &Viewer<'_>,
    filter: &CaseFilter,
    dates: &ListDates,
    list_count: Option<i64>,
    kept_total: Option<i64>,
    scope: Written,
) -> QueryResult<WorkListPage> {
    let list_count = list_count.filter(|_| !filter.narrows());
    let backend = Backend::of(conn);
    let search = filter.search.trim();
    let first = ReadFirst::read(conn, backend, search, scope)?;
    let Some(counted) = filtered(
        backend,
        CaseId::Looked,
        Purpose::Count,
        viewer,
        filter,
        dates,
        &first,
    ) else {
        return Ok(WorkListPage {
            rows: Vec::new(),
            total: 0,
            page: 1,
        });
    };
    // The same scope every time: only the way a search names the case id differs.
    let read = |id: CaseId, reading: Reading| {
        sorted(
            filtered(backend, id, Purpose::Order, viewer, filter, dates, &first)
                .expect("the viewer's scope is not empty"),
            filter.sort,
            Order::of(backend, filter),
            reading,
        )
        .select(cases::id)
    };
    let matching = |id: CaseId| read(id, Reading::Forward);
    let page_of = |total: i64| {
        filter
            .page
            .clamp(1, ((total + PAGE_SIZE - 1) / PAGE_SIZE).max(1))
    };
    // When only the search narrows the list, SQLite's indexes count the matches without
    // reading them; many matches are then walked in order rather than looked up and sorted.
    let kept_total = kept_total.filter(|_| filter.narrows());
    let sqlite_only_search =
        backend == Backend::Sqlite && !search.is_empty() && only_search_narrows(viewer, filter);
    let indexed_total = if kept_total.is_none() && sqlite_only_search {
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
    // The page of a list of `total` cases, read on its own from the nearer end.
    let page_at = |conn: &mut DbConnection, id: CaseId, total: i64| -> QueryResult<_> {
        let page = page_of(total);
        let (reading, skip, take) = page_window(total, page);
        let mut ids: Vec<i32> = read(id, reading).window(take, skip).load(conn)?;
        if reading == Reading::Backward {
            ids.reverse();
        }
        Ok((ids, total, page))
    };
    // A list of open cases is a few thousand index entries at most: walking them and
    // probing the search's matches reads no case row, where looking every match up
    // (thousands, for a common surname) reads one each.
    let searched_id = if backend == Backend::Sqlite && filter.list != ListKind::All {
        CaseId::Probed
    } else {
        CaseId::Looked
    };
    let (ids, total, page) = match (indexed_total.or(kept_total), list_count) {
        // Counted already (the counts beside the lists' names): only the page is read.
        (None, Some(total)) if search.is_empty() => page_at(conn, CaseId::Looked, total)?,
        (None, None) if search.is_empty() => {
            // One read answers a short list (its ids, so its total and every page); a long
            // one is counted (from the indexes) and its page read on its own.
            let first: Vec<i32> = matching(CaseId::Looked)
                .window(READ_WHOLE_UP_TO + 1, 0)
                .load(conn)?;
            if first.len() as i64 <= READ_WHOLE_UP_TO {
                cut(first)
            } else {
                let total: i64 = counted.count().get_result(conn)?;
                if page_of(total) == 1 {
                    (
                        first.into_iter().take(PAGE_SIZE as usize).collect(),
                        total,
                        1,
                    )
                } else {
                    page_at(conn, CaseId::Looked, total)?
                }
            }
        }
        (Some(total), _) if sqlite_only_search && total > WALK_ABOVE => {
            page_at(conn, CaseId::Probed, total)?
        }
        // Counted before: only the page.
        (Some(total), _) if kept_total.is_some() => page_at(conn, searched_id, total)?,
        _ => cut(matching(searched_id).load(conn)?),
    };
    page_rows(conn, ids, total, page)
}

/// The page's rows, in the page's order: only the page's cases (at most 50) are joined to
/// their complainant and service area, and their staff and current decisions looked up.
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

    let mut listed_cases = listed()
        .filter(one_of(cases::id, ids.iter().copied()))
        .select((
            cases::id,
            cases::reference,
            cases::version,
            complainants::name,
            cases::status,
            cases::stage,
            service_areas::name.nullable(),
            cases::assignee_id,
            cases::case_officer_id,
            cases::received_on,
            cases::next_due_on,
            cases::health_and_safety,
            cases::safeguarding,
            cases::confidential,
            complainants::adjustments,
            complainants::interpreter_language,
            cases::policy,
            cases::acknowledged_on,
        ))
        .load::<ListedCase>(conn)?;
    listed_cases.sort_by_key(|c| ids.iter().position(|id| *id == c.id));

    let staff: Vec<UserId> = listed_cases
        .iter()
        .flat_map(|c| [c.assignee_id, c.case_officer_id])
        .flatten()
        .collect();
    let names: Vec<(UserId, String)> = users::table
        .filter(one_of(users::id, staff))
        .select((users::id, users::display_name))
        .load(conn)?;
    let name_of = |id: Option<UserId>| {
        id.and_then(|id| names.iter().find(|(u, _)| *u == id).map(|(_, n)| n.clone()))
    };
    let decisions: Vec<(i32, Stage, bool, CompensationStatus)> = decisions::table
        .filter(one_of(decisions::case_id, ids.iter().copied()))
        .select((
            decisions::case_id,
            decisions::stage,
            decisions::outcome.is_not_null(),
            decisions::compensation_status,
        ))
        .load(conn)?;

    let rows = listed_cases
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
            decision: decisions
                .iter()
                .find(|(case, stage, _, _)| *case == c.id && Some(*stage) == c.stage)
                .map(|(_, _, decided, compensation)| CurrentDecision {
                    decided: *decided,
                    compensation: *compensation,
                }),
            assignee: name_of(c.assignee_id),
            case_officer: name_of(c.case_officer_id),
            reference: c.reference,
            version: c.version,
            status: c.status,
            stage: c.stage,
            service_area: c.service_area,
            received_on: c.received_on,
            next_due_on: c.next_due_on,
            health_and_safety: c.health_and_safety,
            safeguarding: c.safeguarding,
            confidential: c.confidential,
            adjustments: !c.adjustments.trim().is_empty(),
            interpreter: c.interpreter_language.is_some(),
            policy: c.policy,
            acknowledged_on: c.acknowledged_on,
        })
        .collect();
    Ok(WorkListPage { rows, total, page })
}

/// How many of the cases the viewer may see there are in all (the count beside "All
/// cases"): a manager's as two counts that do not overlap ([`scope::disjoint_parts`]). The
/// second, the cases assigned to them outside their areas, also says how their scope may be
/// written: as the areas alone when it is 0 ([`Written`]).
fn count_all(conn: &mut DbConnection, viewer: &Viewer<'_>) -> QueryResult<(i64, Written)> {
    let scope = viewer.scope();
    let Some([in_areas, assigned_elsewhere]) = scope::disjoint_parts::<cases::table>(&scope) else {
        let total = match scope::visible::<cases::table>(&scope, Indexes::Use) {
            Visible::Every => cases::table.count().get_result(conn)?,
            Visible::Only(condition) => cases::table.filter(condition).count().get_result(conn)?,
            Visible::Nothing => 0,
        };
        return Ok((total, Written::AsGiven));
    };
    let in_areas: i64 = cases::table.filter(in_areas).count().get_result(conn)?;
    let elsewhere: i64 = cases::table
        .filter(assigned_elsewhere)
        .count()
        .get_result(conn)?;
    let written = if elsewhere == 0 {
        Written::AreasOnly
    } else {
        Written::AsGiven
    };
    Ok((in_areas + elsewhere, written))
}

/// The counts beside the lists' names, and how the viewer's scope may be written in a
/// search's statements, which the count of all cases found ([`count_all`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CountedLists {
    pub lists: Vec<(ListKind, i64)>,
    pub scope: Written,
}

/// How many cases each list holds for this viewer, before any filter or search: the counts
/// beside the lists' names. Each is counted from the lists' covering indexes.
pub fn list_counts(
    conn: &mut DbConnection,
    viewer: &Viewer<'_>,
    lists: &[ListKind],
    dates: &ListDates,
) -> QueryResult<CountedLists> {
    let backend = Backend::of(conn);
    let mut scope = Written::AsGiven;
    let lists = lists
        .iter()
        .map(|list| {
            if *list == ListKind::All {
                let (count, written) = count_all(conn, viewer)?;
                scope = written;
                return Ok((*list, count));
            }
            let count = match filtered(
                backend,
                CaseId::Looked,
                Purpose::Count,
                viewer,
                &CaseFilter::new(*list),
                dates,
                &ReadFirst::nothing(),
            ) {
                Some(query) => query.count().get_result(conn)?,
                None => 0,
            };
            Ok((*list, count))
        })
        .collect::<QueryResult<Vec<_>>>()?;
    Ok(CountedLists { lists, scope })
}

/// How many cases match `filter` for this viewer, over every page: the count its list shows.
pub fn count(
    conn: &mut DbConnection,
    viewer: &Viewer<'_>,
    filter: &CaseFilter,
    dates: &ListDates,
) -> QueryResult<i64> {
    let backend = Backend::of(conn);
    let first = ReadFirst::for_search(conn, filter.search.trim())?;
    match filtered(
        backend,
        CaseId::Looked,
        Purpose::Count,
        viewer,
        filter,
        dates,
        &first,
    ) {
        Some(query) => query.count().get_result(conn),
        None => Ok(0),
    }
}

/// The references and versions of the first `limit` cases matching `filter`, in the list's
/// order: "all N matching" for a bulk action, each version as read now.
pub fn selection(
    conn: &mut DbConnection,
    viewer: &Viewer<'_>,
    filter: &CaseFilter,
    dates: &ListDates,
    limit: i64,
) -> QueryResult<Vec<(String, i32)>> {
    let backend = Backend::of(conn);
    let first = ReadFirst::for_search(conn, filter.search.trim())?;
    match filtered(
        backend,
        CaseId::Looked,
        Purpose::Order,
        viewer,
        filter,
        dates,
        &first,
    ) {
        Some(query) => sorted(
            query,
            filter.sort,
            Order::of(backend, filter),
            Reading::Forward,
        )
        .select((cases::reference, cases::version))
        .limit(limit)
        .load(conn),
        None => Ok(Vec::new()),
    }
}

/// The next `limit` rows matching `filter` after case id `after`, in case id order (a keyset
/// page: each batch is found from the index wherever it starts, so an export of any length
/// reads one batch at a time), with the last id read; no rows at the end.
pub fn rows_after(
    conn: &mut DbConnection,
    viewer: &Viewer<'_>,
    filter: &CaseFilter,
    dates: &ListDates,
    after: i32,
    limit: i64,
) -> QueryResult<(Vec<WorkListRow>, Option<i32>)> {
    let backend = Backend::of(conn);
    let first = ReadFirst::for_search(conn, filter.search.trim())?;
    let Some(query) = filtered(
        backend,
        CaseId::Looked,
        Purpose::Order,
        viewer,
        filter,
        dates,
        &first,
    ) else {
        return Ok((Vec::new(), None));
    };
    let ids: Vec<i32> = query
        .filter(cases::id.gt(after))
        .order_by(cases::id.asc())
        .select(cases::id)
        .limit(limit)
        .load(conn)?;
    let last = ids.last().copied();
    let total = ids.len() as i64;
    Ok((page_rows(conn, ids, total, 1)?.rows, last))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_page_is_read_from_the_nearer_end() {
        assert_eq!(page_window(0, 1), (Reading::Forward, 0, PAGE_SIZE));
        assert_eq!(page_window(100_000, 1), (Reading::Forward, 0, 50));
        assert_eq!(page_window(100_000, 1000), (Reading::Forward, 49_950, 50));
        assert_eq!(page_window(100_000, 1001), (Reading::Backward, 49_950, 50));
        assert_eq!(page_window(100_000, 2000), (Reading::Backward, 0, 50));
        // 120 rows: page 2 is rows 50-99, 20 from the end; page 3 the last 20.
        assert_eq!(page_window(120, 2), (Reading::Backward, 20, 50));
        assert_eq!(page_window(120, 3), (Reading::Backward, 0, 20));
    }
}
