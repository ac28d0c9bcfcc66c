//! Memory while a work list downloads as CSV (issue 24): the download is streamed a batch at
//! a time (`web::cases::export`), so the heap it needs must stay flat whatever the list's
//! length. Seeds (or reuses the work-list bench's cached) 100,000 demo cases in SQLite,
//! starts the real server in this process, signs in as the demo officer and downloads lists
//! of different lengths, reading each body a chunk at a time. A counting allocator records
//! the peak of live heap bytes above what was live before each download.
//!
//! Not a timed test: run with `cargo bench --bench list_export`; the figures are in
//! docs/performance.md. `REDRESS_BENCH_CASES` seeds a different number of cases.

#[allow(dead_code)]
mod support;

use std::alloc::{GlobalAlloc, Layout, System};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use redress::seed::people::email_for;
use support::{env_number, prepare_database, settings_for, signed_in, Seeding};

/// The system allocator, counting live bytes and their peak.
struct Counting;

static LIVE: AtomicUsize = AtomicUsize::new(0);
static PEAK: AtomicUsize = AtomicUsize::new(0);

unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        // SAFETY: the caller's contract is passed on to the system allocator unchanged.
        let p = unsafe { System.alloc(layout) };
        if !p.is_null() {
            let now = LIVE.fetch_add(layout.size(), Ordering::Relaxed) + layout.size();
            PEAK.fetch_max(now, Ordering::Relaxed);
        }
        p
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        // SAFETY: as above.
        unsafe { System.dealloc(ptr, layout) };
        LIVE.fetch_sub(layout.size(), Ordering::Relaxed);
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        // SAFETY: as above.
        let p = unsafe { System.realloc(ptr, layout, new_size) };
        if !p.is_null() {
            if new_size >= layout.size() {
                let grown = new_size - layout.size();
                let now = LIVE.fetch_add(grown, Ordering::Relaxed) + grown;
                PEAK.fetch_max(now, Ordering::Relaxed);
            } else {
                LIVE.fetch_sub(layout.size() - new_size, Ordering::Relaxed);
            }
        }
        p
    }
}

#[global_allocator]
static ALLOCATOR: Counting = Counting;

const OFFICER: &str = "Emma Carter";

/// One download: rows, bytes, the peak heap above the start, and how long it took.
async fn download(client: &reqwest::Client, url: &str) -> (usize, usize, usize, Duration) {
    let started = Instant::now();
    let baseline = LIVE.load(Ordering::Relaxed);
    PEAK.store(baseline, Ordering::Relaxed);
    let mut response = client.get(url).send().await.expect("GET");
    assert_eq!(response.status(), 200, "GET {url}");
    let (mut rows, mut bytes) = (0, 0);
    while let Some(chunk) = response.chunk().await.expect("a chunk") {
        rows += chunk.iter().filter(|b| **b == b'\n').count();
        bytes += chunk.len();
    }
    let peak = PEAK.load(Ordering::Relaxed).saturating_sub(baseline);
    // The heading is a line, not a row.
    (rows.saturating_sub(1), bytes, peak, started.elapsed())
}

fn main() {
    let cases = env_number("REDRESS_BENCH_CASES", 100_000) as u32;
    let today = redress::cases::london_today();
    let data_dir = tempfile::tempdir().expect("temp dir");
    let mut settings = settings_for(data_dir.path());
    settings.server.bind = "127.0.0.1:0".into();
    settings.server.workers = 2;
    settings.database.pool_size = 4;
    settings.mail.poll_seconds = 0;
    // The work-list bench's database: the same seeding, cached once for both.
    prepare_database(
        &settings,
        data_dir.path(),
        &Seeding {
            bench: "work_lists",
            cases,
            today,
            analyze: false,
        },
    );
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .expect("runtime");
    runtime.block_on(async {
        let app = redress::startup::build(settings.clone())
            .await
            .expect("app builds");
        let base = format!("http://127.0.0.1:{}", app.port());
        tokio::spawn(app.run_until_stopped());
        let client = signed_in(&base, &email_for(OFFICER)).await;
        // Lists of different lengths, shortest first; the first download warms the pool.
        let lists = [
            ("Overdue", "list=overdue"),
            ("All open cases", "list=open"),
            ("Stage 1, open and closed", "list=all&stage=stage1"),
            ("All cases", "list=all"),
        ];
        download(&client, &format!("{base}/cases/export.csv?list=overdue")).await;
        println!("| List | Rows | CSV size | Peak heap above start | Time |");
        println!("|---|---:|---:|---:|---:|");
        for (label, query) in lists {
            let (rows, bytes, peak, took) =
                download(&client, &format!("{base}/cases/export.csv?{query}")).await;
            println!(
                "| {label} | {rows} | {:.1} MB | {:.2} MB | {:.1} s |",
                bytes as f64 / 1e6,
                peak as f64 / 1e6,
                took.as_secs_f64()
            );
        }
    });
}
