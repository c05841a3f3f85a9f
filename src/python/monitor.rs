//! A [`Monitor`] for Python callers: Ctrl-C stops long calls, and an optional callable
//! `progress(stage, done, total)` receives progress (tqdm in notebooks); and [`enter`], the
//! one way a binding runs core work.

use crate::monitor::Monitor;
use crate::Error;
use pyo3::prelude::*;
use std::sync::Mutex;

/// Runs core `work` the one way every binding does (polars' `enter_polars`): without the GIL,
/// so that other Python threads run meanwhile; with a [`PyMonitor`] that reports progress to
/// `progress` and stops the work at Ctrl-C (for core functions that take a monitor); and with
/// the error mapped to its Python exception, or the exception that stopped the work.
pub(crate) fn enter<T: Send>(
    py: Python<'_>,
    progress: Option<Py<PyAny>>,
    work: impl FnOnce(&PyMonitor) -> crate::Result<T> + Send,
) -> PyResult<T> {
    let monitor = PyMonitor::new(progress);
    py.detach(|| work(&monitor)).map_err(|e| monitor.error(e))
}

pub(crate) struct PyMonitor {
    callback: Option<Py<PyAny>>,
    /// The exception that stopped the call (a raising callback, or KeyboardInterrupt).
    raised: Mutex<Option<PyErr>>,
}

impl PyMonitor {
    pub(crate) fn new(callback: Option<Py<PyAny>>) -> Self {
        PyMonitor {
            callback,
            raised: Mutex::new(None),
        }
    }

    fn keep(&self, err: PyErr) {
        if let Ok(mut slot) = self.raised.lock() {
            slot.get_or_insert(err);
        }
    }

    /// The Python exception for a core error: the one raised during the call if it was
    /// interrupted, else the mapped error.
    pub(crate) fn error(&self, err: Error) -> PyErr {
        if matches!(err, Error::Interrupted) {
            if let Some(raised) = self.raised.lock().ok().and_then(|mut slot| slot.take()) {
                return raised;
            }
        }
        super::errors::to_py(err)
    }
}

impl Monitor for PyMonitor {
    fn progress(&self, stage: &str, done: u64, total: u64) {
        if let Some(cb) = &self.callback {
            Python::attach(|py| {
                if let Err(e) = cb.call1(py, (stage, done, total)) {
                    self.keep(e);
                }
            });
        }
    }

    fn interrupted(&self) -> bool {
        if self
            .raised
            .lock()
            .map(|slot| slot.is_some())
            .unwrap_or(false)
        {
            return true;
        }
        Python::attach(|py| match py.check_signals() {
            Ok(()) => false,
            Err(e) => {
                self.keep(e);
                true
            }
        })
    }
}
