//! Work space reused across the jobs of a parallel loop.

use std::sync::Mutex;

/// One `T` per rayon thread, made once and lent to each job the thread runs. rayon's
/// `for_each_init` calls its `init` for every piece it splits the work into: a work space
/// sized to the network (4 MB for a million firms) is then allocated and zeroed hundreds
/// of times per call, which costs more than the work on national networks.
pub(crate) struct PerThread<T>(Vec<Mutex<T>>);

impl<T> PerThread<T> {
    /// One `make()` for each thread of the current rayon pool.
    pub fn new(make: impl Fn() -> T) -> PerThread<T> {
        PerThread(
            (0..rayon::current_num_threads().max(1))
                .map(|_| Mutex::new(make()))
                .collect(),
        )
    }

    /// Runs `f` with the calling thread's `T` (the first one outside the pool).
    pub fn with<R>(&self, f: impl FnOnce(&mut T) -> R) -> R {
        let i = rayon::current_thread_index().unwrap_or(0) % self.0.len();
        let mut mine = self.0[i].lock().unwrap_or_else(|e| e.into_inner());
        f(&mut mine)
    }
}
