//! An independent check of every hard rule of a schedule (it shares no code with the solver).

use super::problem::SummitInput;
use super::solver::Schedule;
use std::collections::{HashMap, HashSet};

/// Every violated hard rule, in words (empty when the schedule is valid).
pub fn validate(input: &SummitInput, schedule: &Schedule) -> Vec<String> {
    let mut problems = Vec::new();
    let id = |i: usize| {
        schedule
            .ids
            .get(i)
            .cloned()
            .unwrap_or_else(|| format!("#{i}"))
    };
    let by_id: HashMap<&str, &super::Participant> = input
        .participants
        .iter()
        .map(|p| (p.id.as_str(), p))
        .collect();
    let pair = |a: &str, b: &str| {
        if a < b {
            (a.to_string(), b.to_string())
        } else {
            (b.to_string(), a.to_string())
        }
    };
    let allowed: HashSet<(String, String)> = input
        .scores
        .iter()
        .map(|(a, b, _)| pair(a, b))
        .chain(input.must_meet.iter().map(|(a, b)| pair(a, b)))
        .chain(input.fixed.iter().map(|(a, b, _)| pair(a, b)))
        // A published meeting kept stays even if its pair is no longer scored.
        .chain(input.published.iter().map(|m| pair(&m.a, &m.b)))
        .collect();
    let forbidden: HashSet<(String, String)> =
        input.forbidden.iter().map(|(a, b)| pair(a, b)).collect();
    let away: HashSet<(String, usize)> = input.unavailable.iter().cloned().collect();
    let mut met: HashSet<(String, String)> = HashSet::new();
    let mut busy: HashSet<(String, usize)> = HashSet::new();
    let mut tables: HashSet<(usize, u32)> = HashSet::new();
    let mut count: HashMap<String, u32> = HashMap::new();
    let mut per_slot = vec![0u32; input.slots];
    for m in &schedule.meetings {
        let (a, b) = (id(m.a), id(m.b));
        let key = pair(&a, &b);
        if m.slot >= input.slots {
            problems.push(format!("{a}–{b}: slot {} does not exist", m.slot));
            continue;
        }
        if a == b {
            problems.push(format!("{a} meets itself"));
        }
        if !allowed.contains(&key) {
            problems.push(format!("{a}–{b} is not a listed pair"));
        }
        if forbidden.contains(&key) {
            problems.push(format!("{a}–{b} is forbidden"));
        }
        if !met.insert(key) {
            problems.push(format!("{a}–{b} meet twice"));
        }
        for v in [&a, &b] {
            if !busy.insert((v.clone(), m.slot)) {
                problems.push(format!("{v} has two meetings in slot {}", m.slot));
            }
            if away.contains(&(v.clone(), m.slot)) {
                problems.push(format!("{v} is unavailable in slot {}", m.slot));
            }
            *count.entry(v.clone()).or_default() += 1;
        }
        let (pa, pb) = (by_id.get(a.as_str()), by_id.get(b.as_str()));
        if let (Some(pa), Some(pb)) = (pa, pb) {
            if pa.side.is_some() && pa.side == pb.side {
                problems.push(format!("{a}–{b} are on the same side"));
            }
        }
        per_slot[m.slot] += 1;
        if m.table == 0 || m.table > input.tables[m.slot] {
            problems.push(format!(
                "{a}–{b}: table {} does not exist in slot {}",
                m.table, m.slot
            ));
        }
        if !tables.insert((m.slot, m.table)) {
            problems.push(format!(
                "table {} is used twice in slot {}",
                m.table, m.slot
            ));
        }
        for p in [pa, pb].into_iter().flatten() {
            if let Some(t) = p.table {
                let other = if p.id == a { pb } else { pa };
                let both_fixed = other.and_then(|o| o.table).is_some();
                if m.table != t && !both_fixed {
                    problems.push(format!(
                        "{} keeps table {t} but meets at table {}",
                        p.id, m.table
                    ));
                }
            }
        }
    }
    for (s, &k) in per_slot.iter().enumerate() {
        if k > input.tables[s] {
            problems.push(format!(
                "slot {s} has {k} meetings for {} tables",
                input.tables[s]
            ));
        }
    }
    for p in &input.participants {
        if let Some(max) = p.max_meetings {
            let k = count.get(&p.id).copied().unwrap_or(0);
            if k > max {
                problems.push(format!(
                    "{} has {k} meetings, more than its maximum {max}",
                    p.id
                ));
            }
        }
    }
    for (a, b) in &input.must_meet {
        if !met.contains(&pair(a, b)) {
            problems.push(format!("must-meet pair {a}–{b} does not meet"));
        }
    }
    let placed: HashSet<(String, String, usize)> = schedule
        .meetings
        .iter()
        .map(|m| {
            let (x, y) = pair(&id(m.a), &id(m.b));
            (x, y, m.slot)
        })
        .collect();
    for (a, b, s) in &input.fixed {
        let (x, y) = pair(a, b);
        if !placed.contains(&(x, y, *s)) {
            problems.push(format!("fixed meeting {a}–{b} is not in slot {s}"));
        }
    }
    problems
}
