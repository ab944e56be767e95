//! Thin binary: parse flags, run a command, map the outcome to an exit code.
//! 0 success, 1 checks or tests failed, 2 usage, I/O or rule-file errors.
//! A closed output pipe (`dechrome clean x | head`) is not an error.

mod cli;
mod commands;

use std::process::ExitCode;

use clap::Parser;

fn main() -> ExitCode {
    let cli = cli::Cli::parse();
    match commands::run(cli) {
        Ok(code) => code,
        Err(e) => {
            if e.downcast_ref::<std::io::Error>().is_some_and(|io| io.kind() == std::io::ErrorKind::BrokenPipe) {
                return ExitCode::SUCCESS;
            }
            eprintln!("dechrome: {e:#}");
            ExitCode::from(2)
        }
    }
}
