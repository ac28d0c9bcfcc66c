//! Answers worked out from the cases and kept in memory until the case generation moves
//! (issue 31): the work lists' counts and the filtered and searched lists' totals
//! ([`crate::cases::list_counts`]) and the dashboard's open cases
//! ([`crate::reports::dashboard::KeptOpenCases`]).
//!
//! The database numbers every write that changes what these answers read (migrations
//! `2026-12-09-000021_case_generation` and `2026-12-11-000001_search_generation`), so a page
//! reads that number first and uses a kept answer only when it was worked out at the same one.

use std::collections::HashMap;
use std::hash::Hash;
use std::sync::Mutex;

/// Entries kept at most, in each kind (a list's counts are one per member of staff and day;
/// a landlord has tens to hundreds of staff). Past this everything is dropped and worked out
/// again, so memory stays bounded.
const MOST_KEPT: usize = 4096;

/// Answers worked out from the cases, each valid at the case generation they were made at.
struct Kept<K, V> {
    generation: i64,
    answers: HashMap<K, V>,
}

/// What one process keeps by the case generation (the lists' counts, the filtered lists'
/// totals, the dashboard's open cases).
pub struct ByGeneration<K, V> {
    kept: Mutex<Kept<K, V>>,
}

impl<K: Eq + Hash, V: Clone> Default for ByGeneration<K, V> {
    fn default() -> Self {
        ByGeneration {
            kept: Mutex::new(Kept {
                generation: 0,
                answers: HashMap::new(),
            }),
        }
    }
}

impl<K: Eq + Hash, V: Clone> ByGeneration<K, V> {
    /// The answer kept for `key` at `generation`, if any.
    pub fn get(&self, generation: i64, key: &K) -> Option<V> {
        let kept = self.kept.lock().unwrap_or_else(|e| e.into_inner());
        if kept.generation == generation {
            kept.answers.get(key).cloned()
        } else {
            None
        }
    }

    /// Keeps `answer`, worked out after `generation` was read.
    pub fn keep(&self, generation: i64, key: K, answer: V) {
        let mut kept = self.kept.lock().unwrap_or_else(|e| e.into_inner());
        // Any other generation, newer or not (a database restored from a backup goes
        // back), makes everything kept out of date. A page finishing late with an older one
        // only costs the next page a count.
        if kept.generation != generation {
            kept.generation = generation;
            kept.answers.clear();
        }
        if kept.answers.len() >= MOST_KEPT {
            kept.answers.clear();
        }
        kept.answers.insert(key, answer);
    }
}
