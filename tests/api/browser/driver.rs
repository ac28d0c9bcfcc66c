//! Headless Chromium through chromedriver: one chromedriver (and so one Chromium) per browser,
//! started as a child process on a free loopback port and killed, with everything it started,
//! when the browser is dropped — so a failing test never leaves a Chromium behind.

use std::net::{SocketAddr, TcpListener, TcpStream};
use std::os::unix::process::CommandExt;
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::sync::Once;
use std::time::{Duration, Instant};

use fantoccini::wd::Capabilities;
use fantoccini::{Client, ClientBuilder};
use serde_json::json;

static SKIP_NOTICE: Once = Once::new();

/// True when `TEST_CHROMIUM` is set: the browser tests must then run (and fail if Chromium or
/// chromedriver is missing). Otherwise they say so once and each test returns.
pub fn enabled() -> bool {
    match std::env::var("TEST_CHROMIUM") {
        Ok(v) if !v.is_empty() && v != "0" => true,
        _ => {
            SKIP_NOTICE.call_once(|| {
                eprintln!(
                    "NOTE: browser tests skipped: set TEST_CHROMIUM=1 to run them in headless \
                     Chromium (needs Debian's chromium and chromium-driver: /usr/bin/chromium, \
                     /usr/bin/chromedriver)"
                );
            });
            false
        }
    }
}

fn binary(var: &str, default: &str) -> PathBuf {
    let path = PathBuf::from(std::env::var(var).unwrap_or_else(|_| default.to_string()));
    assert!(
        path.is_file(),
        "TEST_CHROMIUM is set but {} is missing (install Debian's chromium and chromium-driver, \
         or set {var})",
        path.display()
    );
    path
}

/// A running chromedriver. Dropping it kills its whole process group: chromedriver and the
/// Chromium processes it launched.
pub struct Chromedriver {
    child: Child,
    pub url: String,
}

impl Chromedriver {
    pub fn start() -> Chromedriver {
        let driver = binary("CHROMEDRIVER", "/usr/bin/chromedriver");
        let mut last_error = String::new();
        // A port found free can be taken by someone else before chromedriver binds it: retry.
        for _ in 0..5 {
            let port = free_port();
            let mut child = Command::new(&driver)
                .arg(format!("--port={port}"))
                .arg("--allowed-ips=127.0.0.1")
                .stdin(Stdio::null())
                .stdout(Stdio::null())
                .stderr(Stdio::null())
                // Its own process group, so Drop can end Chromium with it.
                .process_group(0)
                .spawn()
                .unwrap_or_else(|e| panic!("cannot start {}: {e}", driver.display()));
            let address: SocketAddr = format!("127.0.0.1:{port}").parse().unwrap();
            let deadline = Instant::now() + Duration::from_secs(10);
            while Instant::now() < deadline {
                if let Ok(Some(status)) = child.try_wait() {
                    last_error = format!("chromedriver exited with {status}");
                    break;
                }
                if TcpStream::connect_timeout(&address, Duration::from_millis(100)).is_ok() {
                    return Chromedriver {
                        child,
                        url: format!("http://127.0.0.1:{port}"),
                    };
                }
                std::thread::sleep(Duration::from_millis(50));
            }
            let _ = child.kill();
            let _ = child.wait();
            if last_error.is_empty() {
                last_error = "chromedriver did not listen within 10 s".into();
            }
        }
        panic!("could not start chromedriver: {last_error}");
    }
}

impl Drop for Chromedriver {
    fn drop(&mut self) {
        // The group id is chromedriver's pid (process_group(0)); Chromium inherits it.
        let _ = Command::new("kill")
            .args(["-KILL", "--", &format!("-{}", self.child.id())])
            .stderr(Stdio::null())
            .status();
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .expect("a free loopback port")
}

/// Whether the page's own JavaScript runs.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Scripts {
    On,
    /// Chromium's content setting blocks page scripts; WebDriver's own scripts (axe) still run.
    Off,
}

/// Width and height of the window: wide enough for the two-thirds GOV.UK layout.
pub const WINDOW: (u32, u32) = (1200, 1000);

/// Starts chromedriver and a new headless Chromium session with a fresh profile.
pub async fn launch(scripts: Scripts) -> (Chromedriver, Client, tempfile::TempDir) {
    let chromium = binary("CHROMIUM", "/usr/bin/chromium");
    let driver = Chromedriver::start();
    let profile = tempfile::tempdir().expect("profile dir");
    // The flags the machine notes give: without the background-networking ones Chromium keeps
    // trying to reach Google's hosts, which this closed network refuses.
    let mut args = vec![
        "--headless".to_string(),
        "--no-sandbox".into(),
        "--disable-gpu".into(),
        "--disable-quic".into(),
        "--no-first-run".into(),
        "--disable-background-networking".into(),
        "--disable-component-update".into(),
        "--disable-sync".into(),
        "--disable-dev-shm-usage".into(),
        "--hide-scrollbars".into(),
        "--force-device-scale-factor=1".into(),
        format!("--window-size={},{}", WINDOW.0, WINDOW.1),
        format!("--user-data-dir={}", profile.path().display()),
    ];
    args.push("--lang=en-GB".into());
    let mut options = json!({
        "binary": chromium.display().to_string(),
        "args": args,
    });
    if scripts == Scripts::Off {
        options["prefs"] = json!({ "profile.managed_default_content_settings.javascript": 2 });
    }
    let mut caps = Capabilities::new();
    caps.insert("browserName".into(), json!("chrome"));
    caps.insert("goog:chromeOptions".into(), options);
    caps.insert("pageLoadStrategy".into(), json!("normal"));
    let connector = hyper_util::client::legacy::connect::HttpConnector::new();
    let client = ClientBuilder::new(connector)
        .capabilities(caps)
        .connect(&driver.url)
        .await
        .unwrap_or_else(|e| panic!("Chromium session did not start: {e}"));
    (driver, client, profile)
}
