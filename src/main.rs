use std::process::ExitCode;

use clap::Parser;
use redress::cli::seed_demo::SeedDemoError;
use redress::cli::{Cli, Command};
use redress::config::{Overrides, Settings};
use redress::rules::calendar::Region;

/// Every page allocates and frees thousands of small values (rows read into owned strings,
/// the page's text): glibc's malloc and free took 15-22% of the server's time in a profile of
/// the case page under load, mimalloc's per-thread free lists much less (docs/performance.md,
/// session 12). The binary only: the tests run the library with the system allocator.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    let cli = Cli::parse();
    redress::web::request_log::init();
    let bind = match &cli.command {
        Some(Command::Serve { bind }) => bind.clone(),
        _ => None,
    };
    let settings = match Settings::load(&cli.config_dir, &Overrides { bind }) {
        Ok(settings) => settings,
        Err(e) => {
            eprintln!("{e}");
            return ExitCode::from(2);
        }
    };
    match cli.command.unwrap_or(Command::Serve { bind: None }) {
        Command::Serve { .. } => serve(settings),
        Command::Migrate => match redress::startup::open_database(&settings) {
            Ok(_) => {
                println!("Migrations are up to date");
                ExitCode::SUCCESS
            }
            Err(e) => fail(e),
        },
        Command::User { command } => {
            let pool = match redress::startup::open_database(&settings) {
                Ok(pool) => pool,
                Err(e) => return fail(e),
            };
            match redress::cli::user::run(&command, &pool, &mut std::io::stdin().lock()) {
                Ok(message) => {
                    println!("{message}");
                    ExitCode::SUCCESS
                }
                Err(message) => {
                    eprintln!("{message}");
                    ExitCode::from(2)
                }
            }
        }
        Command::SeedDemo(args) => match redress::cli::seed_demo::run(&args, &settings) {
            Ok(()) => ExitCode::SUCCESS,
            Err(SeedDemoError::Refused(message)) => {
                eprintln!("{message}");
                ExitCode::from(2)
            }
            Err(SeedDemoError::Failed(e)) => fail(e),
        },
        Command::Intake { command } => match redress::cli::intake::run(&command, &settings) {
            Ok(json) => {
                println!("{json}");
                ExitCode::SUCCESS
            }
            Err(e) => fail(e),
        },
        Command::Retention { command } => match redress::cli::retention::run(&command, &settings) {
            Ok(json) => {
                println!("{json}");
                ExitCode::SUCCESS
            }
            Err(e) => fail(e),
        },
        Command::Outbox { command } => match redress::cli::outbox::run(&command, &settings) {
            Ok(json) => {
                println!("{json}");
                ExitCode::SUCCESS
            }
            Err(e) => fail(e),
        },
        Command::Report { command } => match redress::cli::report::run(&command, &settings) {
            Ok(json) => {
                println!("{json}");
                ExitCode::SUCCESS
            }
            Err(redress::cli::report::ReportError::Refused(message)) => {
                eprintln!("{message}");
                ExitCode::from(2)
            }
            Err(redress::cli::report::ReportError::Failed(e)) => fail(e),
        },
        Command::Backup(args) => backup_outcome(redress::cli::backup::backup(&args, &settings)),
        Command::Restore(args) => backup_outcome(redress::cli::backup::restore(&args, &settings)),
        Command::Deadlines(args) => {
            let region = settings.rules.region.parse::<Region>().unwrap_or_default();
            match redress::cli::deadlines::run(
                &args,
                region,
                &settings.rules.policies_dir,
                &settings.rules.holidays_file,
            ) {
                Ok(json) => {
                    println!("{json}");
                    ExitCode::SUCCESS
                }
                Err(message) => {
                    eprintln!("{message}");
                    ExitCode::from(2)
                }
            }
        }
    }
}

fn backup_outcome(outcome: Result<String, redress::cli::backup::BackupError>) -> ExitCode {
    match outcome {
        Ok(message) => {
            println!("{message}");
            ExitCode::SUCCESS
        }
        Err(redress::cli::backup::BackupError::Refused(message)) => {
            eprintln!("{message}");
            ExitCode::from(2)
        }
        Err(redress::cli::backup::BackupError::Failed(e)) => fail(e),
    }
}

fn fail(e: anyhow::Error) -> ExitCode {
    eprintln!("error: {e:#}");
    ExitCode::FAILURE
}

fn serve(settings: Settings) -> ExitCode {
    let result = actix_web::rt::System::new().block_on(async move {
        let app = redress::startup::build(settings.clone()).await?;
        if let Some(password) = &app.bootstrap_password {
            println!(
                "Created the first administrator.\n  email:    {}\n  password: {}\nThis password is shown once; you must change it when you first sign in.",
                redress::startup::BOOTSTRAP_ADMIN_EMAIL,
                password
            );
        }
        println!("Redress is listening on http://{}", settings.server.bind.replace(":0", &format!(":{}", app.port())));
        app.run_until_stopped().await?;
        anyhow::Ok(())
    });
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => fail(e),
    }
}
