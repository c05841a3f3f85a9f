//! Schedule exports a person can open: CSV (spreadsheet-safe), JSON, iCalendar and a printable
//! HTML page with the slot × table grid and one agenda per participant.

use super::solver::Schedule;
use crate::error::{Error, Result};
use std::fmt::Write;

/// When the slots happen: the first slot's start and each slot's length.
///
/// ```
/// # use tsunagime::summit::{random_instance, schedule, SolveOptions};
/// # let input = random_instance(12, 3, 4, 4, 0.0, 0);
/// # let plan = schedule(&input, &SolveOptions::default())?;
/// use tsunagime::summit::export::{to_csv, Timing};
/// let t = Timing { start: "2026-04-20T10:00".into(), minutes: 20 };
/// assert!(to_csv(&plan, Some(&t))?.contains("10:00"));
/// # Ok::<(), tsunagime::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Timing {
    /// Start of slot 0 as `YYYY-MM-DDTHH:MM` (local time of the venue).
    pub start: String,
    /// Minutes per slot (meeting plus change-over).
    pub minutes: u32,
}

/// A civil date-time, enough for slot arithmetic.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Civil {
    y: i32,
    mo: u32,
    d: u32,
    h: u32,
    mi: u32,
}

fn days_in_month(y: i32, m: u32) -> u32 {
    match m {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        _ if (y % 4 == 0 && y % 100 != 0) || y % 400 == 0 => 29,
        _ => 28,
    }
}

impl Civil {
    fn parse(s: &str) -> Result<Civil> {
        let bad = || {
            Error::parameter(
                "start",
                format!("'{s}' is not a date-time like 2026-04-20T10:00"),
            )
        };
        let (date, time) = s.trim().split_once(['T', ' ']).ok_or_else(bad)?;
        let d: Vec<&str> = date.split('-').collect();
        let t: Vec<&str> = time.split(':').collect();
        if d.len() != 3 || t.len() < 2 {
            return Err(bad());
        }
        let num = |x: &str| x.parse::<u32>().map_err(|_| bad());
        let c = Civil {
            y: d[0].parse().map_err(|_| bad())?,
            mo: num(d[1])?,
            d: num(d[2])?,
            h: num(t[0])?,
            mi: num(t[1])?,
        };
        if !(1..=12).contains(&c.mo)
            || c.d == 0
            || c.d > days_in_month(c.y, c.mo)
            || c.h > 23
            || c.mi > 59
        {
            return Err(bad());
        }
        Ok(c)
    }

    fn plus_minutes(self, minutes: u64) -> Civil {
        let mut c = self;
        let total = c.h as u64 * 60 + c.mi as u64 + minutes;
        let mut days = total / (24 * 60);
        let rest = total % (24 * 60);
        c.h = (rest / 60) as u32;
        c.mi = (rest % 60) as u32;
        while days > 0 {
            days -= 1;
            c.d += 1;
            if c.d > days_in_month(c.y, c.mo) {
                c.d = 1;
                c.mo += 1;
                if c.mo > 12 {
                    c.mo = 1;
                    c.y += 1;
                }
            }
        }
        c
    }

    fn ics(self) -> String {
        format!(
            "{:04}{:02}{:02}T{:02}{:02}00",
            self.y, self.mo, self.d, self.h, self.mi
        )
    }

    fn clock(self) -> String {
        format!("{:02}:{:02}", self.h, self.mi)
    }
}

impl Timing {
    fn slot(&self, s: usize) -> Result<(Civil, Civil)> {
        let start = Civil::parse(&self.start)?;
        let m = self.minutes as u64;
        Ok((
            start.plus_minutes(m * s as u64),
            start.plus_minutes(m * (s as u64 + 1)),
        ))
    }
}

/// Neutralises a CSV cell against spreadsheet formula injection: cells starting with `=`, `+`,
/// `-`, `@`, tab or carriage return get a leading apostrophe.
///
/// ```
/// use tsunagime::summit::export::safe_cell;
/// assert_eq!(safe_cell("=1+2"), "'=1+2");
/// assert_eq!(safe_cell("Kaga"), "Kaga");
/// ```
pub fn safe_cell(s: &str) -> String {
    match s.chars().next() {
        Some('=' | '+' | '-' | '@' | '\t' | '\r') => format!("'{s}"),
        _ => s.to_string(),
    }
}

/// The meetings as CSV: `slot, start, table, a, b, score` (slots 1-based, as printed).
///
/// ```
/// # use tsunagime::summit::{random_instance, schedule, SolveOptions};
/// # let input = random_instance(12, 3, 4, 4, 0.0, 0);
/// # let plan = schedule(&input, &SolveOptions::default())?;
/// use tsunagime::summit::export::to_csv;
/// assert!(to_csv(&plan, None)?.starts_with("slot,"));
/// # Ok::<(), tsunagime::Error>(())
/// ```
pub fn to_csv(s: &Schedule, timing: Option<&Timing>) -> Result<String> {
    let mut w = csv::Writer::from_writer(Vec::new());
    let io = |e: csv::Error| Error::Decode(e.to_string());
    w.write_record(["slot", "start", "table", "a", "b", "score"])
        .map_err(io)?;
    for m in &s.meetings {
        let start = match timing {
            Some(t) => t.slot(m.slot)?.0.clock(),
            None => String::new(),
        };
        w.write_record([
            (m.slot + 1).to_string(),
            start,
            m.table.to_string(),
            safe_cell(&s.ids[m.a]),
            safe_cell(&s.ids[m.b]),
            m.score.to_string(),
        ])
        .map_err(io)?;
    }
    String::from_utf8(w.into_inner().map_err(|e| Error::Decode(e.to_string()))?)
        .map_err(|e| Error::Decode(e.to_string()))
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
    serde_json::to_string_pretty(&doc).map_err(|e| Error::Decode(e.to_string()))
}

fn ics_text(s: &str) -> String {
    s.replace('\\', "\\\\")
        .replace(';', "\\;")
        .replace(',', "\\,")
        .replace('\n', "\\n")
        .replace('\r', "")
}

/// Folds an iCalendar content line at 75 octets (RFC 5545 §3.1), on character boundaries.
fn fold(line: &str) -> String {
    let mut out = String::new();
    let mut len = 0;
    for ch in line.chars() {
        let w = ch.len_utf8();
        if len + w > 75 {
            out.push_str("\r\n ");
            len = 1;
        }
        out.push(ch);
        len += w;
    }
    out.push_str("\r\n");
    out
}

/// A stable UID: the same event, pair and slot give the same UID on every run, so importing a
/// revised schedule updates calendar entries instead of duplicating them.
fn uid(event: &str, a: &str, b: &str, slot: usize) -> String {
    // FNV-1a, 64 bits: stable across runs and platforms (unlike the std hasher).
    let mut h: u64 = 0xcbf29ce484222325;
    let (x, y) = if a < b { (a, b) } else { (b, a) };
    for byte in event
        .bytes()
        .chain([0])
        .chain(x.bytes())
        .chain([0])
        .chain(y.bytes())
        .chain([0])
        .chain(slot.to_le_bytes())
    {
        h ^= byte as u64;
        h = h.wrapping_mul(0x100000001b3);
    }
    format!("{h:016x}@tsunagime")
}

/// The schedule as an iCalendar file: one event per meeting (floating local times), with
/// stable UIDs.
///
/// ```
/// # use tsunagime::summit::{random_instance, schedule, SolveOptions};
/// # let input = random_instance(12, 3, 4, 4, 0.0, 0);
/// # let plan = schedule(&input, &SolveOptions::default())?;
/// use tsunagime::summit::export::{to_ics, Timing};
/// let t = Timing { start: "2026-04-20T10:00".into(), minutes: 20 };
/// let ics = to_ics(&plan, &t, "Aizu summit")?;
/// assert_eq!(ics.matches("BEGIN:VEVENT").count(), plan.meetings.len());
/// # Ok::<(), tsunagime::Error>(())
/// ```
pub fn to_ics(s: &Schedule, timing: &Timing, event: &str) -> Result<String> {
    let mut out = String::new();
    for line in [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        "PRODID:-//tsunagime//summit schedule//EN",
        "CALSCALE:GREGORIAN",
    ] {
        out.push_str(&fold(line));
    }
    out.push_str(&fold(&format!("X-WR-CALNAME:{}", ics_text(event))));
    let stamp = Civil::parse(&timing.start)?.ics();
    for m in &s.meetings {
        let (from, to) = timing.slot(m.slot)?;
        let (a, b) = (&s.ids[m.a], &s.ids[m.b]);
        for line in [
            "BEGIN:VEVENT".to_string(),
            format!("UID:{}", uid(event, a, b, m.slot)),
            format!("DTSTAMP:{stamp}"),
            format!("DTSTART:{}", from.ics()),
            format!("DTEND:{}", to.ics()),
            format!("SUMMARY:{}", ics_text(&format!("{a} × {b}"))),
            format!(
                "LOCATION:{}",
                ics_text(&format!("{event}, table {}", m.table))
            ),
            format!(
                "DESCRIPTION:{}",
                ics_text(&format!(
                    "Slot {}, table {}: {a} meets {b}.",
                    m.slot + 1,
                    m.table
                ))
            ),
            "END:VEVENT".to_string(),
        ] {
            out.push_str(&fold(&line));
        }
    }
    out.push_str(&fold("END:VCALENDAR"));
    Ok(out)
}

/// Escapes text for HTML.
///
/// ```
/// use tsunagime::summit::export::escape;
/// assert_eq!(escape("<b>A&B</b>"), "&lt;b&gt;A&amp;B&lt;/b&gt;");
/// ```
pub fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            _ => out.push(c),
        }
    }
    out
}

/// A printable HTML page: the slot × table grid, then one agenda per participant (each on
/// its own printed page). Every name is escaped.
///
/// ```
/// # use tsunagime::summit::{random_instance, schedule, SolveOptions};
/// # let input = random_instance(12, 3, 4, 4, 0.0, 0);
/// # let plan = schedule(&input, &SolveOptions::default())?;
/// use tsunagime::summit::export::to_html;
/// let html = to_html(&plan, &input.tables, None, "Aizu <summit>")?;
/// assert!(html.contains("Aizu &lt;summit&gt;"));
/// # Ok::<(), tsunagime::Error>(())
/// ```
pub fn to_html(
    s: &Schedule,
    tables: &[u32],
    timing: Option<&Timing>,
    title: &str,
) -> Result<String> {
    let mut h = String::new();
    let t = escape(title);
    let label = |slot: usize| -> Result<String> {
        Ok(match timing {
            Some(tm) => {
                let (a, b) = tm.slot(slot)?;
                format!("Slot {} · {}–{}", slot + 1, a.clock(), b.clock())
            }
            None => format!("Slot {}", slot + 1),
        })
    };
    let _ = write!(
        h,
        "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>{t}</title>\n<style>\
body{{font-family:system-ui,sans-serif;margin:1.5rem;color:#222}}h1{{font-size:1.4rem}}\
table{{border-collapse:collapse;margin:1rem 0}}th,td{{border:1px solid #999;padding:.3rem .5rem;font-size:.85rem;vertical-align:top}}\
th{{background:#eef}}td.empty{{background:#f6f6f6}}.agenda{{page-break-before:always}}\
@media print{{body{{margin:0}}}}</style></head><body>\n<h1>{t}</h1>\n<p>{} meetings · total score {:.1} · upper bound {:.1} (gap {:.2}%)</p>\n",
        s.meetings.len(),
        s.objective,
        s.upper_bound,
        100.0 * s.gap()
    );
    let width = tables.iter().copied().max().unwrap_or(0);
    h.push_str("<h2>Schedule</h2>\n<table id=\"grid\"><thead><tr><th>Slot</th>");
    for table in 1..=width {
        let _ = write!(h, "<th>Table {table}</th>");
    }
    h.push_str("</tr></thead><tbody>\n");
    let mut at = vec![vec![None; width as usize + 1]; s.slots];
    for m in &s.meetings {
        if (m.table as usize) <= width as usize {
            at[m.slot][m.table as usize] = Some(m);
        }
    }
    for (slot, row) in at.iter().enumerate() {
        let _ = write!(h, "<tr><th>{}</th>", escape(&label(slot)?));
        for cell in row.iter().skip(1) {
            match cell {
                Some(m) => {
                    let _ = write!(
                        h,
                        "<td>{}<br>{}</td>",
                        escape(&s.ids[m.a]),
                        escape(&s.ids[m.b])
                    );
                }
                None => h.push_str("<td class=\"empty\"></td>"),
            }
        }
        h.push_str("</tr>\n");
    }
    h.push_str("</tbody></table>\n");
    let mut by_person: Vec<Vec<(usize, u32, usize, f64)>> = vec![Vec::new(); s.ids.len()];
    for m in &s.meetings {
        by_person[m.a].push((m.slot, m.table, m.b, m.score));
        by_person[m.b].push((m.slot, m.table, m.a, m.score));
    }
    for (v, list) in by_person.iter_mut().enumerate() {
        list.sort_by_key(|x| x.0);
        let _ = write!(h, "<section class=\"agenda\"><h2>Agenda: {}</h2>\n<table><tr><th>When</th><th>Table</th><th>Meeting</th></tr>", escape(&s.ids[v]));
        for slot in 0..s.slots {
            match list.iter().find(|x| x.0 == slot) {
                Some(&(_, table, other, _)) => {
                    let _ = write!(
                        h,
                        "<tr><td>{}</td><td>{table}</td><td>{}</td></tr>",
                        escape(&label(slot)?),
                        escape(&s.ids[other])
                    );
                }
                None => {
                    let _ = write!(
                        h,
                        "<tr><td>{}</td><td></td><td class=\"empty\">free</td></tr>",
                        escape(&label(slot)?)
                    );
                }
            }
        }
        h.push_str("</table></section>\n");
    }
    h.push_str("</body></html>\n");
    Ok(h)
}
