//! The meetings as a spreadsheet-safe CSV, and the schedule as JSON.

use super::{safe_cell, Print};
use crate::error::{Error, Result};
use crate::summit::Schedule;

/// One CSV field: formula-safe, quoted when it holds a comma, quote or line break.
fn field(s: &str) -> String {
    let s = safe_cell(s);
    if s.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", s.replace('"', "\"\""))
    } else {
        s
    }
}

/// The meetings as CSV: `slot, start, table, a, b, score` (slots 1-based, as printed;
/// `start` is the slot's local date and time when [`Print::timing`] is set, and a `session`
/// column follows `slot` when the timing has named sessions). When the
/// participants have names or organisations, `a_name, a_organisation` follow `a` and
/// `b_name, b_organisation` follow `b`. Cells are neutralised against formula injection.
///
/// ```
/// # use tsunagime::summit::{random_instance, schedule, SolveOptions};
/// # let input = random_instance(12, 3, 4, 4, 0.0, 0);
/// # let plan = schedule(&input, &SolveOptions::default())?;
/// use tsunagime::summit::export::{to_csv, Print, Timing};
/// let print = Print { timing: Some(Timing::parse("2026-04-20T10:00", 20)?), ..Print::default() };
/// let csv = to_csv(&plan, &print);
/// assert!(csv.starts_with("slot,start,table,a,b,score\n") && csv.contains("2026-04-20 10:00"));
/// # Ok::<(), tsunagime::Error>(())
/// ```
pub fn to_csv(s: &Schedule, print: &Print) -> String {
    let named = print
        .people
        .iter()
        .any(|p| !p.name.is_empty() || !p.organisation.is_empty());
    let sessions = print.timing.as_ref().filter(|t| t.session_of(0).is_some());
    let mut out = String::from(if sessions.is_some() {
        "slot,session,start,table,a,"
    } else {
        "slot,start,table,a,"
    });
    out.push_str(if named {
        "a_name,a_organisation,b,b_name,b_organisation,score\n"
    } else {
        "b,score\n"
    });
    for m in &s.meetings {
        let start = print.timing.as_ref().map_or(String::new(), |t| {
            let (from, _) = t.slot(m.slot);
            format!("{} {}", from.date(), from.clock())
        });
        let mut row = vec![(m.slot + 1).to_string()];
        if let Some(t) = sessions {
            row.push(field(t.session_of(m.slot).unwrap_or_default()));
        }
        row.extend([start, m.table.to_string(), field(&s.ids[m.a])]);
        if named {
            row.push(field(print.name(&s.ids, m.a)));
            row.push(field(print.organisation(m.a)));
        }
        row.push(field(&s.ids[m.b]));
        if named {
            row.push(field(print.name(&s.ids, m.b)));
            row.push(field(print.organisation(m.b)));
        }
        row.push(m.score.to_string());
        out.push_str(&row.join(","));
        out.push('\n');
    }
    out
}

/// The schedule as JSON: figures, meetings and per-participant counts.
///
/// ```
/// # use tsunagime::summit::{random_instance, schedule, SolveOptions};
/// # let input = random_instance(12, 3, 4, 4, 0.0, 0);
/// # let plan = schedule(&input, &SolveOptions::default())?;
/// use tsunagime::summit::export::to_json;
/// assert!(to_json(&plan)?.contains("\"meetings\""));
/// # Ok::<(), tsunagime::Error>(())
/// ```
pub fn to_json(s: &Schedule) -> Result<String> {
    let meetings: Vec<serde_json::Value> = s
        .meetings
        .iter()
        .map(|m| serde_json::json!({"slot": m.slot + 1, "table": m.table, "a": s.ids[m.a], "b": s.ids[m.b], "score": m.score}))
        .collect();
    let doc = serde_json::json!({
        "objective": s.objective,
        "upper_bound": s.upper_bound,
        "gap": s.gap(),
        "slots": s.slots,
        "meetings": meetings,
        "meetings_per_participant": s
            .ids
            .iter()
            .zip(&s.meetings_per_participant)
            .map(|(id, &k)| (id.clone(), serde_json::Value::from(k)))
            .collect::<serde_json::Map<String, serde_json::Value>>(),
        "below_minimum": s.below_minimum().iter().map(|&v| s.ids[v].clone()).collect::<Vec<_>>(),
    });
    serde_json::to_string_pretty(&doc).map_err(|e| Error::Encode(e.to_string()))
}
