//! The names the work lists' filters offer (issue 31), kept in memory between pages.
//!
//! Every work-list page showed every service area, category, contractor and member of staff
//! in its filter panel: four statements on each page for rows that change a few times a
//! year. The database numbers the writes that change them (the directory generation,
//! migration `2026-12-10-000031_directory_generation`), read with the case generation in the
//! page's first statement, so the choices are read again only after such a write, on every
//! instance sharing the database.

use std::sync::{Arc, Mutex};

use diesel::QueryResult;

use crate::db::{categories, contractors, service_areas, users, DbConnection};
use crate::domain::{CategoryId, ContractorId, Role, ServiceAreaId, UserId};

/// What the filters offer, each by name.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct ListChoices {
    /// Every service area, open ones first.
    pub areas: Vec<(ServiceAreaId, String)>,
    pub categories: Vec<(CategoryId, String)>,
    pub contractors: Vec<(ContractorId, String)>,
    /// Active managers and directors (who investigate), by name.
    pub managers: Vec<(UserId, String)>,
    /// Active officers (case officers), by name.
    pub officers: Vec<(UserId, String)>,
}

impl ListChoices {
    /// Read from the database.
    pub fn read(conn: &mut DbConnection) -> QueryResult<ListChoices> {
        let areas = service_areas::list_all(conn)?
            .into_iter()
            .map(|a| (a.id, a.name))
            .collect();
        let categories = categories::list_all(conn)?
            .into_iter()
            .map(|c| (c.id, c.name))
            .collect();
        let contractors = contractors::list_all(conn)?
            .into_iter()
            .map(|c| (c.id, c.name))
            .collect();
        // Managers and directors investigate; officers are case officers: one read of
        // all three, by name.
        let (mut managers, mut officers) = (Vec::new(), Vec::new());
        let roles = [Role::Manager, Role::Director, Role::Officer].map(Role::as_str);
        for user in users::list_by_roles(conn, &roles)? {
            let named = (user.id, user.display_name);
            if user.role == Role::Officer.as_str() {
                officers.push(named);
            } else {
                managers.push(named);
            }
        }
        // By name as Rust orders text, whatever the database's collation.
        managers.sort_by(|a, b| a.1.cmp(&b.1));
        officers.sort_by(|a, b| a.1.cmp(&b.1));
        Ok(ListChoices {
            areas,
            categories,
            contractors,
            managers,
            officers,
        })
    }

    /// Managers and directors, then officers: everyone a filter can name.
    pub fn staff(&self) -> Vec<(UserId, String)> {
        self.managers
            .iter()
            .chain(&self.officers)
            .cloned()
            .collect()
    }
}

/// The choices of one process (in [`crate::web::state::AppState`]), with the directory
/// generation they were read at.
#[derive(Default)]
pub struct KeptChoices {
    kept: Mutex<Option<(i64, Arc<ListChoices>)>>,
}

impl KeptChoices {
    /// The choices as of `generation` (the directory generation read before this call, so
    /// a write committed after it only makes what is kept newer than its number), read
    /// again when the kept ones were read at another.
    pub fn get(&self, conn: &mut DbConnection, generation: i64) -> QueryResult<Arc<ListChoices>> {
        {
            let kept = self.kept.lock().unwrap_or_else(|e| e.into_inner());
            if let Some((at, choices)) = kept.as_ref() {
                if *at == generation {
                    return Ok(choices.clone());
                }
            }
        }
        let choices = Arc::new(ListChoices::read(conn)?);
        *self.kept.lock().unwrap_or_else(|e| e.into_inner()) = Some((generation, choices.clone()));
        Ok(choices)
    }
}
