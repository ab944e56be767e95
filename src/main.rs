//! Thin binary: parse flags, run a command, map the outcome to an exit code.
//! 0 success, 1 checks or tests failed, 2 usage, I/O or rule-file errors.
//! A closed output pipe (`dechrome clean x | head`) is not an error.

mod cli;
mod commands;

use std::process::ExitCode;

use clap::Parser;

/// glibc raises its mmap threshold each time a large block is freed, after which the 4 MiB
/// segments and batches come from the heap and fragment it: peak RSS then grew with the
/// input (85 MB at 200 MB, up to 107 MB at 1 GB of text). A fixed 1 MiB threshold keeps
/// large buffers mapped and returned on free: 62 MB for both, at the same speed.
fn bounded_heap() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    // SAFETY: mallopt only sets an allocator parameter; called before any thread starts.
    unsafe {
        libc::mallopt(libc::M_MMAP_THRESHOLD, 1 << 20);
    }
}

/// Ctrl-C or SIGTERM: delete the outputs being written (only complete ones have their final
/// names) and exit 130, as a shell reports a command killed by Ctrl-C. Without a handler the
/// signal ends the process before any destructor runs, leaving the temporary files behind.
fn clean_up_on_interrupt() {
    // Failing to install it (another handler is set) only costs the clean-up.
    let _ = ctrlc::set_handler(|| dechrome::io::sink::remove_in_flight_and_exit(130));
}

fn main() -> ExitCode {
    bounded_heap();
    clean_up_on_interrupt();
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
