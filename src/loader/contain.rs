//! Containment: a parser that panics on one file costs that file, never
//! the library. Each file's parse runs under [`contain`]; a panic inside it
//! becomes a skip with a reason, and the panic hook stays quiet about it
//! (no message over the interface, no terminal restored mid-session).

use std::cell::{Cell, RefCell};
use std::panic::{AssertUnwindSafe, catch_unwind};

use super::SkipReason;

thread_local! {
    /// Whether this thread is inside [`contain`].
    static CONTAINED: Cell<bool> = const { Cell::new(false) };
    /// The message of the last contained panic on this thread.
    static MESSAGE: RefCell<Option<String>> = const { RefCell::new(None) };
}

/// Wraps the current panic hook so that a panic inside [`contain`] is
/// recorded rather than printed. Call it after installing any other hook
/// (the interface's restores the terminal, which a contained panic must
/// not do); calling it again wraps again, which is harmless.
pub fn install_panic_filter() {
    let previous = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        if CONTAINED.with(Cell::get) {
            let payload = info.payload();
            let text = payload
                .downcast_ref::<&str>()
                .map(|s| (*s).to_owned())
                .or_else(|| payload.downcast_ref::<String>().cloned())
                .unwrap_or_else(|| "panic".to_owned());
            let at = info
                .location()
                .map(|l| format!(" at {}:{}", l.file(), l.line()))
                .unwrap_or_default();
            MESSAGE.with(|m| *m.borrow_mut() = Some(format!("{text}{at}")));
            return;
        }
        previous(info);
    }));
}

/// Runs one file's parse. A panic inside becomes
/// [`SkipReason::Internal`], with the panic's message when the filter
/// caught it.
pub fn contain<T>(parse: impl FnOnce() -> Result<T, SkipReason>) -> Result<T, SkipReason> {
    let was = CONTAINED.with(|c| c.replace(true));
    let result = catch_unwind(AssertUnwindSafe(parse));
    CONTAINED.with(|c| c.set(was));
    result.unwrap_or_else(|_| {
        let message = MESSAGE.with(|m| m.borrow_mut().take());
        Err(SkipReason::Internal(
            message.unwrap_or_else(|| "panic".to_owned()),
        ))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_panicking_parse_becomes_a_skip_and_the_next_one_runs() {
        install_panic_filter();
        let failed: Result<(), SkipReason> = contain(|| panic!("bad offset"));
        let reason = failed.unwrap_err();
        assert!(matches!(reason, SkipReason::Internal(_)));
        let text = reason.to_string();
        assert!(
            text.starts_with("internal error while parsing (please report)"),
            "{text}"
        );
        assert!(text.contains("bad offset"), "{text}");
        assert_eq!(contain(|| Ok(7)), Ok(7));
        // A nested containment restores the outer state.
        let outer: Result<(), SkipReason> = contain(|| {
            let _ = contain(|| -> Result<(), SkipReason> { panic!("inner") });
            panic!("outer")
        });
        assert!(outer.unwrap_err().to_string().contains("outer"));
    }
}
