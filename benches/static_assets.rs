//! Static files over a kept-alive connection (issue 31): one browser-like client fetches the
//! stylesheets and scripts a page links to, one request after another on a single
//! connection, and prints median and p99 per file as a markdown table.
//!
//! Run with `cargo bench --bench static_assets` (knob: `REDRESS_BENCH_REQUESTS`, default
//! 2,000 per file). The figures are in docs/performance.md. No database is seeded: the
//! files are served from memory whatever the case count.

// Only the settings and percentile helpers are used here: no database is seeded.
#[allow(dead_code)]
mod support;

use std::time::{Duration, Instant};

use support::{env_number, ms, percentile, settings_for};

const WARM_UP: usize = 20;

fn main() {
    let requests = env_number("REDRESS_BENCH_REQUESTS", 2_000);
    let data_dir = tempfile::tempdir().expect("temporary folder");
    let root = env!("CARGO_MANIFEST_DIR");
    let mut settings = settings_for(data_dir.path());
    settings.server.bind = "127.0.0.1:0".into();
    settings.server.workers = 2;
    settings.server.static_dir = format!("{root}/static").into();
    settings.mail.poll_seconds = 0;

    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .expect("runtime");
    runtime.block_on(async move {
        let app = redress::startup::build(settings).await.expect("app builds");
        let base = format!("http://127.0.0.1:{}", app.port());
        tokio::spawn(app.run_until_stopped());
        // One connection, kept alive, as a browser reuses it for a page's assets.
        let client = reqwest::Client::builder()
            .pool_max_idle_per_host(1)
            .build()
            .expect("client");
        let login = client
            .get(format!("{base}/login"))
            .send()
            .await
            .expect("GET /login")
            .text()
            .await
            .expect("login page");
        let linked: Vec<String> = login
            .split('"')
            .filter(|part| part.starts_with("/static/"))
            .map(str::to_string)
            .collect();
        println!("| File | Encoding | Bytes sent | Requests | Median | p99 |");
        println!("|---|---|---:|---:|---:|---:|");
        for path in linked {
            for encoding in ["br", "identity"] {
                measure(&client, &base, &path, encoding, requests).await;
            }
        }
    });
}

async fn measure(client: &reqwest::Client, base: &str, path: &str, encoding: &str, n: usize) {
    let url = format!("{base}{path}");
    let mut times = Vec::with_capacity(n);
    let mut bytes = 0;
    for i in 0..WARM_UP + n {
        let sent = Instant::now();
        let body = client
            .get(&url)
            .header("accept-encoding", encoding)
            .send()
            .await
            .expect("GET")
            .bytes()
            .await
            .expect("body");
        if i >= WARM_UP {
            times.push(sent.elapsed());
        }
        bytes = body.len();
    }
    times.sort();
    let median: Duration = percentile(&times, 0.5);
    println!(
        "| `{path}` | {encoding} | {bytes} | {n} | {} | {} |",
        ms(median),
        ms(percentile(&times, 0.99)),
    );
}
