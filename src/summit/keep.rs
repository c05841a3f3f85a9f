//! Re-scheduling without upheaval: the meetings of a published schedule stay at their slot
//! and table unless the rules no longer allow them, newcomers and freed slots are filled, and
//! every difference is reported.
//!
//! Once agendas are printed, a summit changes: participants register late, cancel, become
//! unavailable. Scheduling again from scratch would move everyone's meetings (event platforms
//! offer "generate for unbooked slots only" for this reason). A published meeting is kept —
//! fixed at its slot, at its table — when both participants still take part, both are
//! available then, the pair may still meet, the slot still exists and neither participant is
//! over their maximum; otherwise it is cancelled with the reason. A kept meeting whose table
//! no longer exists (or is now a participant's own table) gets another table at the same slot:
//! it is reported as moved.

use super::problem::{Meeting, Pair, Pin, Problem, Published};
use rustc_hash::{FxHashMap, FxHashSet};
use serde::{Deserialize, Serialize};

/// What happened to a meeting between the published schedule and the new one.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ChangeKind {
    /// At the same slot and table.
    Kept,
    /// At the same slot, another table.
    Moved,
    /// Not in the new schedule.
    Cancelled,
    /// Not in the published schedule.
    New,
}

impl ChangeKind {
    /// The lower-case name (`"kept"`, …).
    pub fn name(self) -> &'static str {
        match self {
            ChangeKind::Kept => "kept",
            ChangeKind::Moved => "moved",
            ChangeKind::Cancelled => "cancelled",
            ChangeKind::New => "new",
        }
    }
}

/// One line of [`Schedule::changes`](super::Schedule::changes).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Change {
    /// What happened.
    pub kind: ChangeKind,
    /// One participant.
    pub a: String,
    /// The other.
    pub b: String,
    /// Slot and table in the published schedule.
    pub before: Option<(usize, u32)>,
    /// Slot and table in the new schedule.
    pub after: Option<(usize, u32)>,
    /// Why a meeting was cancelled or moved (empty otherwise).
    pub reason: String,
}

impl Problem {
    /// Fixes every published meeting that can stay (after the input's fixed meetings) and
    /// records why the others cannot; `find` is a participant's index, `allowed(x, y)`
    /// whether the pair may meet.
    pub(crate) fn keep(
        &mut self,
        published: &[Published],
        find: impl Fn(&str) -> Option<u32>,
        allowed: impl Fn(u32, u32) -> bool,
    ) {
        let mut busy = FxHashSet::default();
        let mut count = vec![0u32; self.n()];
        let mut per_slot = vec![0u32; self.slots];
        let mut fixed_pairs = FxHashSet::default();
        for &(q, s) in &self.fixed {
            let pr = self.pairs[q];
            for v in [pr.a, pr.b] {
                busy.insert((v, s));
                count[v as usize] += 1;
            }
            per_slot[s] += 1;
            fixed_pairs.insert(q);
        }
        let mut pair_of: FxHashMap<(u32, u32), usize> = self
            .pairs
            .iter()
            .enumerate()
            .map(|(i, pr)| ((pr.a, pr.b), i))
            .collect();
        let mut tables_taken = FxHashSet::default();
        let owned: FxHashSet<u32> = self.table.iter().flatten().copied().collect();
        for m in published {
            let ends = (find(&m.a), find(&m.b));
            let ok = matches!(ends, (Some(x), Some(y)) if x != y && allowed(x, y));
            let mut why = obstacle(self, m, ends, ok, &busy, &count);
            if why.is_none() && per_slot[m.slot] >= self.tables[m.slot] {
                why = Some(format!("slot {} has no free table", m.slot + 1));
            }
            let (Some(x), Some(y), None) = (ends.0, ends.1, &why) else {
                self.published.push(Err(why.unwrap_or_default()));
                continue;
            };
            let (lo, hi) = (x.min(y), x.max(y));
            let pair = *pair_of.entry((lo, hi)).or_insert_with(|| {
                self.pairs.push(Pair {
                    a: lo,
                    b: hi,
                    score: 0.0,
                    must: false,
                });
                self.pairs.len() - 1
            });
            if !fixed_pairs.insert(pair) {
                self.published
                    .push(Err("the pair already meets in another slot".into()));
                continue;
            }
            self.fixed.push((pair, m.slot));
            for v in [x, y] {
                busy.insert((v, m.slot));
                count[v as usize] += 1;
            }
            per_slot[m.slot] += 1;
            // The published table, if it still exists, is free, and is nobody else's own.
            let own = self.table[x as usize].or(self.table[y as usize]);
            let fits = m.table >= 1
                && m.table <= self.tables[m.slot]
                && own.map_or(!owned.contains(&m.table), |o| o == m.table)
                && tables_taken.insert((m.slot, m.table));
            self.published.push(Ok(Pin {
                pair,
                slot: m.slot,
                table: if fits { m.table } else { 0 },
            }));
        }
    }
}

/// Why published meeting `m` cannot stay, or `None`: `ends` are its participants' indices,
/// `allowed` whether the pair may meet, `busy` and `count` what the meetings kept so far take
/// (participants' slots, their numbers of meetings).
fn obstacle(
    p: &Problem,
    m: &Published,
    ends: (Option<u32>, Option<u32>),
    allowed: bool,
    busy: &FxHashSet<(u32, usize)>,
    count: &[u32],
) -> Option<String> {
    let (Some(x), Some(y)) = ends else {
        let gone = if ends.0.is_none() { &m.a } else { &m.b };
        return Some(format!(
            "'{}' no longer takes part",
            crate::error::clip(gone)
        ));
    };
    if m.slot >= p.slots {
        return Some(format!("slot {} no longer exists", m.slot + 1));
    }
    if !allowed {
        return Some("the pair may no longer meet".into());
    }
    for v in [x, y] {
        let id = &p.ids[v as usize];
        if !p.is_available(v, m.slot) {
            return Some(format!("'{id}' is not available in slot {}", m.slot + 1));
        }
        if busy.contains(&(v, m.slot)) {
            return Some(format!(
                "'{id}' has another kept meeting in slot {}",
                m.slot + 1
            ));
        }
        if count[v as usize] >= p.cap[v as usize] {
            return Some(format!("'{id}' is at their maximum of meetings"));
        }
    }
    None
}

/// The changes from the published meetings to `meetings` (empty when nothing was published).
pub(crate) fn changes(published: &[Published], p: &Problem, meetings: &[Meeting]) -> Vec<Change> {
    if published.is_empty() {
        return Vec::new();
    }
    // A pair meets at most once, so a kept meeting is found by its pair.
    let by_pair: FxHashMap<(usize, usize), usize> = meetings
        .iter()
        .enumerate()
        .map(|(k, x)| ((x.a, x.b), k))
        .collect();
    let mut pinned = vec![false; meetings.len()];
    let mut out = Vec::with_capacity(published.len() + meetings.len());
    for (m, outcome) in published.iter().zip(&p.published) {
        let change = |kind, after: Option<&Meeting>, reason: String| Change {
            kind,
            a: m.a.clone(),
            b: m.b.clone(),
            before: Some((m.slot, m.table)),
            after: after.map(|x| (x.slot, x.table)),
            reason,
        };
        let pin = match outcome {
            Err(reason) => {
                out.push(change(ChangeKind::Cancelled, None, reason.clone()));
                continue;
            }
            Ok(pin) => pin,
        };
        let pair = p.pairs[pin.pair];
        let Some(&k) = by_pair.get(&(pair.a as usize, pair.b as usize)) else {
            continue;
        };
        pinned[k] = true;
        let x = &meetings[k];
        out.push(if x.table == m.table {
            change(ChangeKind::Kept, Some(x), String::new())
        } else {
            let why = format!(
                "table {} is not free in slot {} (no such table, or a participant's own)",
                m.table,
                m.slot + 1
            );
            change(ChangeKind::Moved, Some(x), why)
        });
    }
    for (x, _) in meetings.iter().zip(&pinned).filter(|(_, &k)| !k) {
        out.push(Change {
            kind: ChangeKind::New,
            a: p.ids[x.a].clone(),
            b: p.ids[x.b].clone(),
            before: None,
            after: Some((x.slot, x.table)),
            reason: String::new(),
        });
    }
    out
}
