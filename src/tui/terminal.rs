//! The terminal: raw mode and the alternate screen, put back on every path
//! (a normal return, an error, a panic, a signal), handing it to another
//! program for a while, and reading input on a thread of its own.

use std::io::{Stdout, stdout};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Once, mpsc};
use std::time::Duration;

use anyhow::{Context, Result};
use crossterm::event::{
    self, DisableBracketedPaste, DisableMouseCapture, EnableMouseCapture, Event as TermEvent,
};
use crossterm::execute;
use crossterm::terminal::{
    EnterAlternateScreen, LeaveAlternateScreen, disable_raw_mode, enable_raw_mode,
};
use ratatui::Terminal;
use ratatui::backend::CrosstermBackend;

pub type Term = Terminal<CrosstermBackend<Stdout>>;

/// Whether the terminal is in byline's modes now.
static ACTIVE: AtomicBool = AtomicBool::new(false);

/// Puts the terminal back as it was. Only the first call after setup acts
/// (a second "leave alternate screen" would move the cursor back over what
/// was printed since, such as a panic message), and it never panics:
/// every step's error is ignored.
pub fn restore_terminal() {
    if !ACTIVE.swap(false, Ordering::SeqCst) {
        return;
    }
    let _ = disable_raw_mode();
    let _ = execute!(
        stdout(),
        DisableMouseCapture,
        DisableBracketedPaste,
        LeaveAlternateScreen,
        crossterm::cursor::Show
    );
}

/// Restores the terminal when dropped: on a normal return and on an error.
pub struct TerminalGuard;

impl Drop for TerminalGuard {
    fn drop(&mut self) {
        restore_terminal();
    }
}

/// Restores the terminal before the previous panic hook prints the message.
fn install_panic_hook() {
    static ONCE: Once = Once::new();
    ONCE.call_once(|| {
        let previous = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            restore_terminal();
            previous(info);
        }));
        // Outermost: a panic contained in one file's parse restores nothing.
        crate::loader::install_panic_filter();
    });
}

fn enter() -> Result<()> {
    ACTIVE.store(true, Ordering::SeqCst);
    enable_raw_mode().context("cannot put the terminal in raw mode")?;
    execute!(stdout(), EnterAlternateScreen, EnableMouseCapture)
        .context("cannot set up the terminal")
}

/// Takes the terminal over; the guard gives it back.
pub fn setup() -> Result<(Term, TerminalGuard)> {
    install_panic_hook();
    let guard = TerminalGuard;
    enter()?;
    let terminal = Terminal::new(CrosstermBackend::new(stdout()))?;
    Ok((terminal, guard))
}

/// Set while another program has the terminal: the input thread stops reading.
static INPUT_PAUSED: AtomicBool = AtomicBool::new(false);
/// Set by the input thread once it has stopped reading.
static INPUT_IDLE: AtomicBool = AtomicBool::new(false);

/// Reads terminal input on a thread of its own, except while paused.
pub fn spawn_input<E: Send + 'static>(tx: mpsc::Sender<E>, wrap: fn(TermEvent) -> E) {
    std::thread::spawn(move || {
        loop {
            if INPUT_PAUSED.load(Ordering::SeqCst) {
                INPUT_IDLE.store(true, Ordering::SeqCst);
                std::thread::sleep(Duration::from_millis(10));
                continue;
            }
            INPUT_IDLE.store(false, Ordering::SeqCst);
            match event::poll(Duration::from_millis(50)) {
                Ok(true) => match event::read() {
                    Ok(event) => {
                        if tx.send(wrap(event)).is_err() {
                            break;
                        }
                    }
                    Err(_) => break,
                },
                Ok(false) => {}
                Err(_) => break,
            }
        }
    });
}

/// Runs `command` with the terminal handed over to it, then takes the
/// terminal back. No shell: the program and its arguments are separate.
/// Says how it went.
pub fn run_suspended(
    terminal: &mut Term,
    command: &[String],
    stdin: Option<&str>,
) -> Result<String> {
    let (program, args) = command.split_first().context("no program to run")?;
    INPUT_PAUSED.store(true, Ordering::SeqCst);
    let started = std::time::Instant::now();
    while !INPUT_IDLE.load(Ordering::SeqCst) && started.elapsed() < Duration::from_millis(500) {
        std::thread::sleep(Duration::from_millis(5));
    }
    restore_terminal();
    let status = match stdin {
        None => std::process::Command::new(program).args(args).status(),
        Some(text) => piped(program, args, text),
    };
    enter()?;
    terminal.clear()?;
    INPUT_PAUSED.store(false, Ordering::SeqCst);
    let shown = command.join(" ");
    Ok(match status {
        Ok(s) if s.success() => format!("ran {shown}"),
        Ok(s) => format!("{shown} exited with {s}"),
        Err(e) => format!("cannot run {program}: {e} (set $BROWSER or $PAGER)"),
    })
}

/// Runs a program with `text` on its standard input (a closed pipe from
/// a program that stops reading early is not an error), then waits for
/// Enter so that what it printed can be read.
fn piped(program: &str, args: &[String], text: &str) -> std::io::Result<std::process::ExitStatus> {
    use std::io::{BufRead, Write};
    let mut child = std::process::Command::new(program)
        .args(args)
        .stdin(std::process::Stdio::piped())
        .spawn()?;
    if let Some(mut input) = child.stdin.take() {
        match input.write_all(text.as_bytes()) {
            Err(e) if e.kind() != std::io::ErrorKind::BrokenPipe => return Err(e),
            _ => {}
        }
    }
    let status = child.wait()?;
    let mut out = std::io::stdout();
    let _ = write!(out, "\n[{status}] press Enter to go back to byline ");
    let _ = out.flush();
    let _ = std::io::stdin().lock().read_line(&mut String::new());
    Ok(status)
}

/// Puts text on the terminal's clipboard.
pub fn copy(text: &str) -> Result<()> {
    use std::io::Write;
    let mut out = stdout();
    out.write_all(crate::app::outside::osc52(text).as_bytes())?;
    out.flush()?;
    Ok(())
}
