//! Summit scheduling: optimal 1:1 meetings of participants over time slots and tables.
//!
//! A pair meets at most once, a participant at most once per slot and never when unavailable,
//! at most `tables[s]` meetings happen in slot `s`; must-meet pairs are placed (or the error
//! names the pair and why), forbidden pairs never meet, fixed meetings stay, and a published
//! schedule's meetings stay at their slot and table where the rules still allow ([`Published`]). Then minimum
//! meetings per participant come first, the total score second. [`schedule`] returns the
//! meetings with their tables, the objective, a valid upper bound and fairness figures;
//! [`validate`] checks every hard rule independently of the solver.
//!
//! Numbering: here a slot is an index (from 0: it indexes `tables[s]` and each participant's
//! availability), a table is a label (from 1, as on the floor plan and the printed agenda).
//! Python, the command line and every file [`export`] writes number slots from 1 too, as
//! people read them.

mod bmatching;
pub mod export;
mod keep;
mod lagrange;
mod matching;
mod problem;
mod random;
mod solver;
mod validate;
mod wishes;

pub use keep::{Change, ChangeKind};
pub use problem::{Meeting, Participant, Published, SummitInput};
pub use random::random_instance;
pub use solver::{schedule, schedule_with, Schedule, SolveOptions, IDLE_TOLERANCE};
pub use validate::validate;
pub use wishes::{unmet_wishes, Level, Unmet, UnmetWish, Wish};
