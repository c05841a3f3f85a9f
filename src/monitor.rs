//! Progress and cancellation for long calls. The core never prints: long calls report to a
//! [`Monitor`], which the Python bindings connect to a progress bar and to Ctrl-C.

use crate::error::{Error, Result};

/// Receives progress and decides whether a long call should stop.
///
/// ```
/// use std::sync::atomic::{AtomicU64, Ordering};
/// use tsunagime::Monitor;
/// /// Counts progress reports and stops after the first.
/// struct StopEarly(AtomicU64);
/// impl Monitor for StopEarly {
///     fn progress(&self, _stage: &str, _done: u64, _total: u64) {
///         self.0.fetch_add(1, Ordering::Relaxed);
///     }
///     fn interrupted(&self) -> bool {
///         self.0.load(Ordering::Relaxed) > 0
///     }
/// }
/// use tsunagime::summit::{random_instance, schedule_with, SolveOptions};
/// let input = random_instance(30, 4, 6, 5, 0.0, 0);
/// let stopped = schedule_with(&input, &SolveOptions::default(), &StopEarly(AtomicU64::new(0)));
/// assert!(matches!(stopped, Err(tsunagime::Error::Interrupted)));
/// ```
pub trait Monitor: Sync {
    /// Work done so far: `done` of `total` units of `stage` (rows, firms, years…; `total` is 0
    /// when unknown).
    ///
    /// ```
    /// use std::sync::atomic::{AtomicU64, Ordering};
    /// use tsunagime::Monitor;
    /// /// Counts progress reports and stops after the first.
    /// struct StopEarly(AtomicU64);
    /// impl Monitor for StopEarly {
    ///     fn progress(&self, _stage: &str, _done: u64, _total: u64) {
    ///         self.0.fetch_add(1, Ordering::Relaxed);
    ///     }
    ///     fn interrupted(&self) -> bool {
    ///         self.0.load(Ordering::Relaxed) > 0
    ///     }
    /// }
    /// use tsunagime::summit::{random_instance, schedule_with, SolveOptions};
    /// let input = random_instance(30, 4, 6, 5, 0.0, 0);
    /// let stopped = schedule_with(&input, &SolveOptions::default(), &StopEarly(AtomicU64::new(0)));
    /// assert!(matches!(stopped, Err(tsunagime::Error::Interrupted)));
    /// ```
    fn progress(&self, _stage: &str, _done: u64, _total: u64) {}

    /// Polled every few milliseconds of work; `true` stops the call with
    /// [`Error::Interrupted`].
    ///
    /// ```
    /// use std::sync::atomic::{AtomicU64, Ordering};
    /// use tsunagime::Monitor;
    /// /// Counts progress reports and stops after the first.
    /// struct StopEarly(AtomicU64);
    /// impl Monitor for StopEarly {
    ///     fn progress(&self, _stage: &str, _done: u64, _total: u64) {
    ///         self.0.fetch_add(1, Ordering::Relaxed);
    ///     }
    ///     fn interrupted(&self) -> bool {
    ///         self.0.load(Ordering::Relaxed) > 0
    ///     }
    /// }
    /// use tsunagime::summit::{random_instance, schedule_with, SolveOptions};
    /// let input = random_instance(30, 4, 6, 5, 0.0, 0);
    /// let stopped = schedule_with(&input, &SolveOptions::default(), &StopEarly(AtomicU64::new(0)));
    /// assert!(matches!(stopped, Err(tsunagime::Error::Interrupted)));
    /// ```
    fn interrupted(&self) -> bool {
        false
    }
}

/// A monitor that ignores progress and never interrupts.
///
/// ```
/// use tsunagime::summit::{random_instance, schedule_with, SolveOptions};
/// use tsunagime::Quiet;
/// let input = random_instance(10, 2, 3, 3, 0.0, 0);
/// assert!(schedule_with(&input, &SolveOptions::default(), &Quiet).is_ok());
/// ```
#[derive(Debug, Clone, Copy, Default)]
pub struct Quiet;

impl Monitor for Quiet {}

/// How many units of work between two polls of a monitor.
pub(crate) const POLL_EVERY: u64 = 1 << 16;

/// Reports progress and returns [`Error::Interrupted`] when the monitor asks to stop.
pub(crate) fn checkpoint(monitor: &dyn Monitor, stage: &str, done: u64, total: u64) -> Result<()> {
    monitor.progress(stage, done, total);
    if monitor.interrupted() {
        Err(Error::Interrupted)
    } else {
        Ok(())
    }
}

/// Runs `f(start, block)` over `items` cut into blocks of `block`, reporting progress and
/// polling the monitor before each block and after the last: a long parallel loop done block
/// by block stops soon after Ctrl-C, and each block's results can be folded in (and their
/// memory released) before the next.
pub(crate) fn in_blocks<T>(
    items: &[T],
    block: usize,
    stage: &str,
    monitor: &dyn Monitor,
    mut f: impl FnMut(usize, &[T]),
) -> Result<()> {
    let block = block.max(1);
    let total = items.len() as u64;
    for (b, chunk) in items.chunks(block).enumerate() {
        checkpoint(monitor, stage, (b * block) as u64, total)?;
        f(b * block, chunk);
    }
    checkpoint(monitor, stage, total, total)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::atomic::{AtomicU64, Ordering};

    struct StopAfter(AtomicU64);

    impl Monitor for StopAfter {
        fn interrupted(&self) -> bool {
            self.0.fetch_sub(1, Ordering::SeqCst) <= 1
        }
    }

    #[test]
    fn checkpoint_stops_when_asked() {
        let m = StopAfter(AtomicU64::new(2));
        assert!(checkpoint(&m, "rows", 1, 0).is_ok());
        assert!(matches!(
            checkpoint(&m, "rows", 2, 0),
            Err(Error::Interrupted)
        ));
        assert!(checkpoint(&Quiet, "rows", 3, 0).is_ok());
    }

    #[test]
    fn blocks_cover_the_items_in_order_and_stop_when_asked() {
        let items: Vec<u32> = (0..1000).collect();
        let mut seen = Vec::new();
        let done = in_blocks(&items, 64, "items", &Quiet, |start, block| {
            assert_eq!(block[0] as usize, start);
            seen.extend_from_slice(block);
        });
        assert!(done.is_ok() && seen == items);
        let mut blocks = 0;
        let stopped = in_blocks(
            &items,
            64,
            "items",
            &StopAfter(AtomicU64::new(3)),
            |_, _| blocks += 1,
        );
        assert!(matches!(stopped, Err(Error::Interrupted)) && blocks == 2);
    }
}
