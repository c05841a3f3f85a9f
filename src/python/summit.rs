//! Bindings of the summit scheduler.

use super::errors::IntoPy;
use super::monitor::enter;
use crate::error::Location;
use crate::summit::export::{self, Person, Print, Session, Timing, Zone};
use crate::summit::{
    schedule_with, unmet_wishes, validate as check, Level, Participant, Published, Schedule,
    SolveOptions, SummitInput, Wish,
};
use numpy::PyArray1;
use pyo3::prelude::*;
use pyo3::types::PyBytes;
use pyo3::types::PyDict;
use serde::{Deserialize, Serialize};
use std::time::Duration;

/// Participant ids, scored pairs and unavailable (participant, slot) cells.
type RandomInstance = (
    Vec<String>,
    Vec<(String, String, f64)>,
    Vec<(String, usize)>,
);

/// `(id, side, min_meetings, max_meetings, table)`.
type ParticipantRow = (String, Option<String>, u32, Option<u32>, Option<u32>);

fn to_dict<'py>(
    py: Python<'py>,
    s: &Schedule,
    problems: Vec<String>,
) -> PyResult<Bound<'py, PyDict>> {
    let d = PyDict::new(py);
    let m = &s.meetings;
    d.set_item(
        "slot",
        PyArray1::from_vec(py, m.iter().map(|x| x.slot as u32).collect()),
    )?;
    d.set_item(
        "table",
        PyArray1::from_vec(py, m.iter().map(|x| x.table).collect()),
    )?;
    d.set_item(
        "a",
        PyArray1::from_vec(py, m.iter().map(|x| x.a as u32).collect()),
    )?;
    d.set_item(
        "b",
        PyArray1::from_vec(py, m.iter().map(|x| x.b as u32).collect()),
    )?;
    d.set_item(
        "score",
        PyArray1::from_vec(py, m.iter().map(|x| x.score).collect()),
    )?;
    d.set_item("objective", s.objective)?;
    d.set_item("upper_bound", s.upper_bound)?;
    d.set_item("gap", s.gap())?;
    d.set_item(
        "meetings_per_participant",
        PyArray1::from_vec(py, s.meetings_per_participant.clone()),
    )?;
    d.set_item(
        "min_meetings",
        PyArray1::from_vec(py, s.min_meetings.clone()),
    )?;
    d.set_item("passes", s.passes)?;
    d.set_item("idle", PyArray1::from_vec(py, s.idle.clone()))?;
    d.set_item("idle_bound", s.idle_bound)?;
    d.set_item("violations", problems)?;
    Ok(d)
}

/// A solved schedule (native part of `tsunagime.Schedule`).
#[pyclass(name = "Schedule", module = "tsunagime._tsunagime", frozen)]
#[derive(Serialize, Deserialize)]
pub struct PySchedule {
    inner: Schedule,
    tables: Vec<u32>,
    violations: Vec<String>,
    /// Wishes not met: `(row, from, to, level, code, reason)`.
    unmet: Vec<UnmetRow>,
}

/// `(row, from, to, level, code, reason)` of a wish not met.
type UnmetRow = (usize, String, String, String, String, String);

/// How a schedule is printed (native part of the `Schedule` exports): built once, checked
/// before any work.
#[pyclass(name = "Print", module = "tsunagime._tsunagime", frozen)]
pub struct PyPrint {
    inner: Print,
}

/// `(name, organisation, prefecture, contact)` per participant.
type PersonRow = (String, String, String, String);

#[pymethods]
impl PyPrint {
    #[new]
    #[pyo3(signature = (title, start=None, minutes=20, language="en", people=Vec::new(),
        tables_per_page=8, zone=None, sessions=None))]
    #[allow(clippy::too_many_arguments)]
    fn new(
        title: String,
        start: Option<String>,
        minutes: u32,
        language: &str,
        people: Vec<PersonRow>,
        tables_per_page: usize,
        zone: Option<(String, i32)>,
        sessions: Option<Vec<(String, String, usize, u32)>>,
    ) -> PyResult<Self> {
        if tables_per_page == 0 {
            return Err(crate::Error::parameter(
                "tables_per_page",
                "must be at least 1",
            ))
            .py_err();
        }
        let timing = match sessions {
            Some(list) => Some(Timing::sessions(
                list.into_iter()
                    .map(|(name, start, slots, minutes)| Session {
                        name,
                        start,
                        slots,
                        minutes,
                    })
                    .collect(),
            )),
            None => start.map(|s| Timing::parse(&s, minutes)),
        }
        .transpose()
        .py_err()?;
        let zone = zone.map(|(n, m)| Zone::new(&n, m)).transpose().py_err()?;
        let people = people
            .into_iter()
            .map(|(name, organisation, prefecture, contact)| Person {
                name,
                organisation,
                prefecture,
                contact,
            })
            .collect();
        Ok(PyPrint {
            inner: Print {
                title,
                timing,
                zone,
                language: language.parse().py_err()?,
                people,
                tables_per_page,
            },
        })
    }

    /// Slot `s` (0-based) as printed, e.g. `2026-04-20 10:00–10:20` (None without a start).
    fn slot_label(&self, s: usize) -> Option<String> {
        self.inner.timing.as_ref().map(|t| t.slot_label(s))
    }
}

#[pymethods]
impl PySchedule {
    /// Meeting columns and figures.
    fn columns<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyDict>> {
        to_dict(py, &self.inner, self.violations.clone())
    }

    /// Participant ids in index order.
    fn ids(&self) -> Vec<String> {
        self.inner.ids.clone()
    }

    /// Tables per slot.
    fn tables(&self) -> Vec<u32> {
        self.tables.clone()
    }

    /// Wishes not met: `(row, from, to, level, code, reason)`.
    fn unmet_wishes(&self) -> Vec<UnmetRow> {
        self.unmet.clone()
    }

    /// Changes from the published schedule: `(kind, a, b, before, after, reason)`, slots
    /// 0-based.
    #[allow(clippy::type_complexity)]
    fn changes(
        &self,
    ) -> Vec<(
        &'static str,
        String,
        String,
        Option<(usize, u32)>,
        Option<(usize, u32)>,
        String,
    )> {
        self.inner
            .changes
            .iter()
            .map(|c| {
                (
                    c.kind.name(),
                    c.a.clone(),
                    c.b.clone(),
                    c.before,
                    c.after,
                    c.reason.clone(),
                )
            })
            .collect()
    }

    fn csv(&self, print: &PyPrint) -> String {
        export::to_csv(&self.inner, &print.inner)
    }

    fn json(&self) -> PyResult<String> {
        export::to_json(&self.inner).py_err()
    }

    /// The event's calendar, or participant `v`'s own.
    #[pyo3(signature = (print, v=None))]
    fn ics(&self, print: &PyPrint, v: Option<usize>) -> PyResult<String> {
        match v {
            Some(v) => export::agenda_ics(&self.inner, v, &print.inner),
            None => export::to_ics(&self.inner, &print.inner),
        }
        .py_err()
    }

    /// The printable page, or participant `v`'s agenda page.
    #[pyo3(signature = (print, v=None))]
    fn html(&self, print: &PyPrint, v: Option<usize>) -> PyResult<String> {
        match v {
            Some(v) => export::agenda_html(&self.inner, v, &print.inner),
            None => export::to_html(&self.inner, &self.tables, &print.inner),
        }
        .py_err()
    }

    fn to_bytes<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyBytes>> {
        let bytes = postcard::to_stdvec(self)
            .map_err(|e| crate::Error::Encode(e.to_string()))
            .py_err()?;
        Ok(PyBytes::new(py, &bytes))
    }

    /// A pickled schedule, checked like the core's ([`Schedule::check`]), with a table count
    /// for every slot.
    #[staticmethod]
    fn from_bytes(data: &[u8]) -> PyResult<PySchedule> {
        let s: PySchedule = postcard::from_bytes(data)
            .map_err(|e| crate::Error::Decode(e.to_string()))
            .py_err()?;
        s.inner.check().py_err()?;
        // Every slot's table count, and none beyond what a grid can print.
        let most = s.inner.ids.len().max(10_000) as u32;
        if s.tables.len() != s.inner.slots || s.tables.iter().any(|&t| t > most) {
            return Err(crate::Error::Decode(format!(
                "schedule: table counts {} for {} slots",
                crate::error::clip(&format!("{:?}", s.tables)),
                s.inner.slots
            )))
            .py_err();
        }
        Ok(s)
    }
}

/// Schedules a summit (see `tsunagime.schedule_meetings`).
#[pyfunction]
#[pyo3(signature = (participants, scores, slots, tables, unavailable, must_meet, forbidden, fixed,
    wishes=Vec::new(), time_limit=None, seed=0, progress=None, compact=true, published=Vec::new(),
    idle_tolerance=crate::summit::IDLE_TOLERANCE))]
#[allow(clippy::too_many_arguments)]
fn schedule(
    py: Python<'_>,
    participants: Vec<ParticipantRow>,
    scores: Vec<(String, String, f64)>,
    slots: usize,
    tables: Vec<u32>,
    unavailable: Vec<(String, usize)>,
    must_meet: Vec<(String, String)>,
    forbidden: Vec<(String, String)>,
    fixed: Vec<(String, String, usize)>,
    wishes: Vec<(String, String, String)>,
    time_limit: Option<f64>,
    seed: u64,
    progress: Option<Py<PyAny>>,
    compact: bool,
    published: Vec<(String, String, usize, u32)>,
    idle_tolerance: f64,
) -> PyResult<PySchedule> {
    let participants = participants
        .into_iter()
        .map(
            |(id, side, min_meetings, max_meetings, table)| Participant {
                id,
                side,
                min_meetings,
                max_meetings,
                table,
            },
        )
        .collect();
    let mut input = SummitInput {
        participants,
        scores,
        slots,
        tables,
        unavailable,
        must_meet,
        forbidden,
        fixed,
        published: published
            .into_iter()
            .map(|(a, b, slot, table)| Published { a, b, slot, table })
            .collect(),
    };
    let wishes = wishes
        .into_iter()
        .enumerate()
        .map(|(row, (from, to, level))| {
            let level = level.parse::<Level>().map_err(|why| {
                crate::Error::input(
                    Location::table("wishes").row(row as u64).column("level"),
                    why,
                )
            })?;
            Ok(Wish { from, to, level })
        })
        .collect::<crate::Result<Vec<Wish>>>()
        .py_err()?;
    let never = input.add_wishes(&wishes).py_err()?;
    let limit = match time_limit {
        Some(t) if t.is_finite() && t > 0.0 => Some(Duration::from_secs_f64(t)),
        Some(t) => {
            return Err(crate::Error::parameter(
                "time_limit",
                format!("{t} is not a positive number of seconds"),
            ))
            .py_err()
        }
        None => None,
    };
    let options = SolveOptions {
        time_limit: limit,
        seed,
        compact,
        idle_tolerance,
        ..Default::default()
    };
    let (s, problems) = enter(py, progress, |monitor| {
        schedule_with(&input, &options, monitor).map(|s| {
            let problems = check(&input, &s);
            (s, problems)
        })
    })?;
    let unmet = unmet_wishes(&wishes, &never, &s)
        .into_iter()
        .map(|u| {
            let level = match u.wish.level {
                Level::Must => "must".to_string(),
                Level::Want(1.0) => "want".to_string(),
                Level::Want(x) => x.to_string(),
                Level::No => "no".to_string(),
            };
            (
                u.row,
                u.wish.from,
                u.wish.to,
                level,
                u.why.code().to_string(),
                u.reason,
            )
        })
        .collect();
    Ok(PySchedule {
        inner: s,
        tables: input.tables,
        violations: problems,
        unmet,
    })
}

/// A random instance as `(participants, scores, unavailable)` rows (see
/// `tsunagime.summit.random_instance`).
#[pyfunction]
fn random_instance(
    n: usize,
    slots: usize,
    tables: u32,
    partners: usize,
    unavailable: f64,
    seed: u64,
) -> RandomInstance {
    let i = crate::summit::random_instance(n, slots, tables, partners, unavailable, seed);
    (
        i.participants.into_iter().map(|p| p.id).collect(),
        i.scores,
        i.unavailable,
    )
}

pub(crate) fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_class::<PySchedule>()?;
    m.add_class::<PyPrint>()?;
    m.add_function(wrap_pyfunction!(schedule, m)?)?;
    m.add_function(wrap_pyfunction!(random_instance, m)?)?;
    Ok(())
}
