//! Wishes as event platforms take them: each participant says, for another, *must*, *want*
//! (or a numeric score) or *no*; the wishes of both sides of a pair combine into the
//! scheduler's scores, must-meet and forbidden pairs.
//!
//! The combination rule, per unordered pair:
//! 1. *no* from either side forbids the pair (it overrides any wish of the other side);
//! 2. else *must* from either side makes it a must-meet pair;
//! 3. the pair's score is the sum of both sides' wishes (*want* and *must* count 1, a number
//!    counts itself), so a mutual wish weighs twice a one-sided one.
//!
//! A wish that can never be met (the other side said no, both are on one side, they share no
//! free slot) is not passed on as a must-meet pair (that would make the summit infeasible):
//! it is reported, with the reason, by [`SummitInput::add_wishes`] and [`unmet_wishes`].

use super::problem::SummitInput;
use super::solver::Schedule;
use crate::error::{Error, Location, Result};
use rustc_hash::FxHashMap;
use std::str::FromStr;

/// How much `from` wants to meet `to`.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Level {
    /// Must meet (必須).
    Must,
    /// Wants to meet, with a weight (`want`/希望 is 1).
    Want(f64),
    /// Must not meet (不可).
    No,
}

impl FromStr for Level {
    type Err = String;

    /// `must`, `want`, `no`, their Japanese forms (必須 / 希望 / 不可, …) or a number ≥ 0.
    ///
    /// ```
    /// use tsunagime::summit::Level;
    /// assert_eq!("希望".parse::<Level>(), Ok(Level::Want(1.0)));
    /// assert_eq!("MUST".parse::<Level>(), Ok(Level::Must));
    /// assert_eq!("2.5".parse::<Level>(), Ok(Level::Want(2.5)));
    /// assert!("maybe".parse::<Level>().is_err());
    /// ```
    fn from_str(s: &str) -> std::result::Result<Self, String> {
        let t = s.trim().to_lowercase();
        match t.as_str() {
            "must" | "必須" | "必ず" | "絶対" | "◎" => Ok(Level::Must),
            "want" | "yes" | "希望" | "○" | "〇" => Ok(Level::Want(1.0)),
            "no" | "ng" | "不可" | "拒否" | "×" | "✕" => Ok(Level::No),
            _ => match t.parse::<f64>() {
                Ok(x) if x.is_finite() && x >= 0.0 => Ok(Level::Want(x)),
                _ => Err(format!(
                    "'{}' is not must / want / no (必須 / 希望 / 不可) or a score ≥ 0",
                    crate::error::clip(s)
                )),
            },
        }
    }
}

/// One row of a wish list.
#[derive(Debug, Clone, PartialEq)]
pub struct Wish {
    /// Who wishes.
    pub from: String,
    /// Whom they wish to meet (or not).
    pub to: String,
    /// How much.
    pub level: Level,
}

/// Why a wish was not met.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Unmet {
    /// The pair is forbidden (a *no* wish or the forbidden list).
    Forbidden,
    /// Both are on the same side of a two-sided event.
    SameSide,
    /// They share no slot where both are free (or one can have no meeting at all).
    NoCommonSlot,
    /// It could have been met, but the schedule had better uses of their slots and tables.
    NoRoom,
}

impl Unmet {
    /// A short code: `forbidden`, `same_side`, `no_common_slot`, `no_room`.
    pub fn code(self) -> &'static str {
        match self {
            Unmet::Forbidden => "forbidden",
            Unmet::SameSide => "same_side",
            Unmet::NoCommonSlot => "no_common_slot",
            Unmet::NoRoom => "no_room",
        }
    }
}

/// A wish that was not met, with the reason in words.
#[derive(Debug, Clone, PartialEq)]
pub struct UnmetWish {
    /// Row of the wish list (0-based).
    pub row: usize,
    /// The wish.
    pub wish: Wish,
    /// Why.
    pub why: Unmet,
    /// The reason in words, naming the participants.
    pub reason: String,
}

/// Each participant id's position.
fn positions(ids: &[String]) -> FxHashMap<&str, usize> {
    ids.iter()
        .enumerate()
        .map(|(i, id)| (id.as_str(), i))
        .collect()
}

fn at(row: usize, column: &str) -> Location {
    Location::table("wishes").row(row as u64).column(column)
}

impl SummitInput {
    /// Adds `wishes` to the scores, must-meet and forbidden pairs by the rule of the
    /// module (`summit::wishes`); returns the wishes that can never be met, with the reason. Errors name
    /// the wish list's row: an unknown participant, a wish for oneself.
    ///
    /// ```
    /// use tsunagime::summit::{schedule, Level, Participant, SolveOptions, SummitInput, Wish};
    /// let mut input = SummitInput {
    ///     participants: ["Kaga", "Noto", "Wajima"].map(Participant::new).to_vec(),
    ///     slots: 2,
    ///     tables: vec![1, 1],
    ///     ..SummitInput::default()
    /// };
    /// let wish = |a: &str, b: &str, level| Wish { from: a.into(), to: b.into(), level };
    /// let never = input.add_wishes(&[
    ///     wish("Kaga", "Noto", Level::Must),
    ///     wish("Noto", "Wajima", Level::Want(1.0)),
    ///     wish("Wajima", "Kaga", Level::Want(1.0)),
    ///     wish("Kaga", "Wajima", Level::No),
    /// ])?;
    /// assert_eq!(never.len(), 1); // Wajima's wish for Kaga: Kaga said no
    /// assert_eq!(input.forbidden, vec![("Kaga".into(), "Wajima".into())]);
    /// assert_eq!(input.must_meet, vec![("Kaga".into(), "Noto".into())]);
    /// let plan = schedule(&input, &SolveOptions::default())?;
    /// assert_eq!(plan.meetings.len(), 2);
    /// # Ok::<(), tsunagime::Error>(())
    /// ```
    pub fn add_wishes(&mut self, wishes: &[Wish]) -> Result<Vec<UnmetWish>> {
        let problem = self.problem()?;
        let index = positions(&problem.ids);
        let find = |id: &str, row: usize, column: &str| -> Result<usize> {
            index.get(id).copied().ok_or_else(|| Error::UnknownFirm {
                location: Box::new(at(row, column)),
                id: crate::error::clip(id),
                more: " (not a participant)".into(),
            })
        };
        // Per unordered pair: who said no (a row), must, score, and the rows wishing.
        #[derive(Default)]
        struct Pair {
            no: Option<usize>,
            must: bool,
            score: f64,
            rows: Vec<usize>,
        }
        let mut pairs: FxHashMap<(usize, usize), Pair> = FxHashMap::default();
        let mut order = Vec::new();
        for (row, w) in wishes.iter().enumerate() {
            let (a, b) = (find(&w.from, row, "from")?, find(&w.to, row, "to")?);
            if a == b {
                return Err(Error::input(
                    at(row, "to"),
                    format!("'{}' cannot wish to meet itself", w.from),
                ));
            }
            let key = (a.min(b), a.max(b));
            let p = pairs.entry(key).or_insert_with(|| {
                order.push(key);
                Pair::default()
            });
            match w.level {
                Level::No => p.no = p.no.or(Some(row)),
                Level::Must => {
                    p.must = true;
                    p.score += 1.0;
                    p.rows.push(row);
                }
                Level::Want(x) => {
                    p.score += x;
                    if x > 0.0 {
                        p.rows.push(row);
                    }
                }
            }
        }
        let forbidden: rustc_hash::FxHashSet<(usize, usize)> = self
            .forbidden
            .iter()
            .filter_map(|(a, b)| {
                let (x, y) = (*index.get(a.as_str())?, *index.get(b.as_str())?);
                Some((x.min(y), x.max(y)))
            })
            .collect();
        let id = |v: usize| problem.ids[v].clone();
        let mut never = Vec::new();
        for key in order {
            let p = &pairs[&key];
            let (a, b) = key;
            let side = |v: usize| self.participants[v].side.as_deref();
            let why = if let Some(row) = p.no {
                let who = &wishes[row].from;
                Some((
                    Unmet::Forbidden,
                    format!("'{who}' said no (wish list row {row})"),
                ))
            } else if forbidden.contains(&key) {
                Some((Unmet::Forbidden, "the pair is forbidden".to_string()))
            } else if let (Some(x), Some(y)) = (side(a), side(b)) {
                (x == y).then(|| (Unmet::SameSide, format!("both are on side '{x}'")))
            } else {
                None
            };
            let common = (0..problem.slots)
                .any(|s| problem.is_available(a as u32, s) && problem.is_available(b as u32, s));
            let why = why.or_else(|| {
                (!common || problem.cap[a] == 0 || problem.cap[b] == 0).then(|| {
                    (
                        Unmet::NoCommonSlot,
                        format!("'{}' and '{}' share no free slot", id(a), id(b)),
                    )
                })
            });
            match why {
                Some((why, reason)) => {
                    if p.no.is_some() {
                        self.forbidden.push((id(a), id(b)));
                    }
                    never.extend(p.rows.iter().map(|&row| UnmetWish {
                        row,
                        wish: wishes[row].clone(),
                        why,
                        reason: reason.clone(),
                    }));
                }
                None => {
                    if p.must {
                        self.must_meet.push((id(a), id(b)));
                    }
                    if p.score != 0.0 {
                        self.scores.push((id(a), id(b), p.score));
                    }
                }
            }
        }
        Ok(never)
    }
}

/// Every wish (*must* or *want* above 0) that `schedule` does not meet: those that could
/// never be met (`never`, from [`SummitInput::add_wishes`]) with their reasons, and the others
/// as [`Unmet::NoRoom`], naming how many meetings each side got. By wish-list row.
///
/// ```
/// use tsunagime::summit::{schedule, unmet_wishes, Level, Participant, SolveOptions, SummitInput, Wish};
/// let mut input = SummitInput {
///     participants: ["Kaga", "Noto", "Wajima"].map(Participant::new).to_vec(),
///     slots: 1,
///     tables: vec![1],
///     ..SummitInput::default()
/// };
/// let wishes = [
///     Wish { from: "Kaga".into(), to: "Noto".into(), level: Level::Want(3.0) },
///     Wish { from: "Kaga".into(), to: "Wajima".into(), level: Level::Want(1.0) },
/// ];
/// let never = input.add_wishes(&wishes)?;
/// let plan = schedule(&input, &SolveOptions::default())?;
/// let unmet = unmet_wishes(&wishes, &never, &plan);
/// assert_eq!(unmet.len(), 1);
/// assert_eq!(unmet[0].wish.to, "Wajima");
/// # Ok::<(), tsunagime::Error>(())
/// ```
pub fn unmet_wishes(wishes: &[Wish], never: &[UnmetWish], schedule: &Schedule) -> Vec<UnmetWish> {
    let index = positions(&schedule.ids);
    let met: rustc_hash::FxHashSet<(usize, usize)> = schedule
        .meetings
        .iter()
        .map(|m| (m.a.min(m.b), m.a.max(m.b)))
        .collect();
    let mut out: Vec<UnmetWish> = never.to_vec();
    let known: rustc_hash::FxHashSet<usize> = never.iter().map(|u| u.row).collect();
    for (row, w) in wishes.iter().enumerate() {
        let wished = match w.level {
            Level::Must => true,
            Level::Want(x) => x > 0.0,
            Level::No => false,
        };
        let (Some(&a), Some(&b)) = (index.get(w.from.as_str()), index.get(w.to.as_str())) else {
            continue;
        };
        if !wished || known.contains(&row) || met.contains(&(a.min(b), a.max(b))) {
            continue;
        }
        let k = &schedule.meetings_per_participant;
        out.push(UnmetWish {
            row,
            wish: w.clone(),
            why: Unmet::NoRoom,
            reason: format!(
                "not placed: '{}' has {} meetings, '{}' has {}; their free slots and tables went to pairs worth more",
                w.from, k[a], w.to, k[b]
            ),
        });
    }
    out.sort_by_key(|u| u.row);
    out
}
