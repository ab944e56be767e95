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

/// Ctrl-C, SIGTERM or SIGHUP: delete the outputs being written (only complete ones have
/// their final names) and exit 130, as a shell reports a command killed by Ctrl-C. Without
/// a handler the signal ends the process before any destructor runs, leaving the temporary
/// files behind. A signal ignored when the process started stays ignored: `nohup dechrome
/// …` must outlive its terminal, and a background job of a script must not stop on Ctrl-C.
fn clean_up_on_interrupt() {
    let ignored = ignored_signals();
    // Failing to install it (another handler is set) only costs the clean-up.
    let _ = ctrlc::set_handler(|| dechrome::io::sink::remove_in_flight_and_exit(130));
    ignore_again(&ignored);
}

/// Of the signals the handler takes, those this process inherited as ignored.
#[cfg(unix)]
fn ignored_signals() -> Vec<libc::c_int> {
    [libc::SIGINT, libc::SIGTERM, libc::SIGHUP]
        .into_iter()
        .filter(|&signal| {
            // SAFETY: with a null new action, sigaction only reads the current one into `old`.
            unsafe {
                let mut old: libc::sigaction = std::mem::zeroed();
                libc::sigaction(signal, std::ptr::null(), &mut old) == 0 && old.sa_sigaction == libc::SIG_IGN
            }
        })
        .collect()
}

/// Set `signals` back to "ignore" after the handler took them.
#[cfg(unix)]
fn ignore_again(signals: &[libc::c_int]) {
    for &signal in signals {
        // SAFETY: setting a signal's disposition back to "ignore" has no other effect.
        unsafe {
            libc::signal(signal, libc::SIG_IGN);
        }
    }
}

#[cfg(not(unix))]
fn ignored_signals() -> Vec<i32> {
    Vec::new()
}

#[cfg(not(unix))]
fn ignore_again(_signals: &[i32]) {}

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
