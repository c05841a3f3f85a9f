//! iCalendar (RFC 5545) files: the whole event, or one participant's meetings.

use super::time::{Civil, Timing};
use super::Print;
use crate::error::{Error, Result};
use crate::summit::{Meeting, Schedule};

fn text(s: &str) -> String {
    s.replace('\\', "\\\\")
        .replace(';', "\\;")
        .replace(',', "\\,")
        .replace('\n', "\\n")
        .replace('\r', "")
}

/// Folds a content line at 75 octets (RFC 5545 §3.1), on character boundaries.
fn fold(line: &str, out: &mut String) {
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

fn timing(print: &Print) -> Result<Timing> {
    print.timing.clone().ok_or_else(|| {
        Error::parameter(
            "start",
            "a calendar needs the first slot's start (e.g. 2026-04-20 10:00)",
        )
    })
}

/// A calendar of `meetings`, seen by `viewer` (`None`: the organiser's view of both sides).
fn calendar(
    s: &Schedule,
    print: &Print,
    name: &str,
    meetings: &[&Meeting],
    viewer: Option<usize>,
) -> Result<String> {
    let t = timing(print)?;
    let mut out = String::new();
    for line in [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        "PRODID:-//tsunagime//summit schedule//EN",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
    ] {
        fold(line, &mut out);
    }
    fold(&format!("X-WR-CALNAME:{}", text(name)), &mut out);
    // Local times carry the zone's TZID and a VTIMEZONE of its one offset; DTSTAMP is UTC (the
    // first slot's start, so that re-running gives byte-identical files).
    let (local, stamp): (Box<dyn Fn(Civil) -> String>, Civil) = match &print.zone {
        Some(z) => {
            fold(&format!("X-WR-TIMEZONE:{}", z.name()), &mut out);
            for line in [
                "BEGIN:VTIMEZONE".to_string(),
                format!("TZID:{}", z.name()),
                "BEGIN:STANDARD".to_string(),
                "DTSTART:19700101T000000".to_string(),
                format!("TZOFFSETFROM:{}", z.offset()),
                format!("TZOFFSETTO:{}", z.offset()),
                "END:STANDARD".to_string(),
                "END:VTIMEZONE".to_string(),
            ] {
                fold(&line, &mut out);
            }
            let tzid = z.name().to_string();
            (
                Box::new(move |c: Civil| format!(";TZID={tzid}:{}", c.ics())),
                t.start().plus(-z.offset_minutes()),
            )
        }
        None => (Box::new(|c: Civil| format!(":{}", c.ics())), t.start()),
    };
    let l = print.labels();
    for m in meetings {
        let (from, to) = t.slot(m.slot);
        let (a, b) = (&s.ids[m.a], &s.ids[m.b]);
        let summary = match viewer {
            Some(v) => {
                let other = if m.a == v { m.b } else { m.a };
                format!("{}: {}", l.partner, print.full_name(&s.ids, other))
            }
            None => format!(
                "{} × {}",
                print.full_name(&s.ids, m.a),
                print.full_name(&s.ids, m.b)
            ),
        };
        for line in [
            "BEGIN:VEVENT".to_string(),
            format!("UID:{}", uid(&print.title, a, b, m.slot)),
            format!("DTSTAMP:{}Z", stamp.ics()),
            format!("DTSTART{}", local(from)),
            format!("DTEND{}", local(to)),
            format!("SUMMARY:{}", text(&summary)),
            format!(
                "LOCATION:{}",
                text(&format!("{}, {} {}", print.title, l.table, m.table))
            ),
            format!(
                "DESCRIPTION:{}",
                text(&format!(
                    "{} {}, {} {}: {} × {}",
                    l.slot,
                    m.slot + 1,
                    l.table,
                    m.table,
                    print.full_name(&s.ids, m.a),
                    print.full_name(&s.ids, m.b)
                ))
            ),
            "END:VEVENT".to_string(),
        ] {
            fold(&line, &mut out);
        }
    }
    fold("END:VCALENDAR", &mut out);
    Ok(out)
}

/// The whole event as an iCalendar file, one event per meeting, with stable UIDs; times carry
/// [`Print::zone`] (floating local times without one). Needs [`Print::timing`].
///
/// ```
/// # use tsunagime::summit::{random_instance, schedule, SolveOptions};
/// # let input = random_instance(12, 3, 4, 4, 0.0, 0);
/// # let plan = schedule(&input, &SolveOptions::default())?;
/// use tsunagime::summit::export::{to_ics, Print, Timing, Zone};
/// let print = Print {
///     title: "Aizu summit".into(),
///     timing: Some(Timing::parse("2026-04-20 10:00", 20)?),
///     zone: Some(Zone::new("Asia/Tokyo", 540)?),
///     ..Print::default()
/// };
/// let ics = to_ics(&plan, &print)?;
/// assert_eq!(ics.matches("BEGIN:VEVENT").count(), plan.meetings.len());
/// assert!(ics.contains("DTSTART;TZID=Asia/Tokyo:20260420T100000"));
/// # Ok::<(), tsunagime::Error>(())
/// ```
pub fn to_ics(s: &Schedule, print: &Print) -> Result<String> {
    let all: Vec<&Meeting> = s.meetings.iter().collect();
    calendar(s, print, &print.title, &all, None)
}

/// Participant `v`'s own calendar: their meetings only, each named after the partner.
///
/// ```
/// # use tsunagime::summit::{random_instance, schedule, SolveOptions};
/// # let input = random_instance(12, 3, 4, 4, 0.0, 0);
/// # let plan = schedule(&input, &SolveOptions::default())?;
/// use tsunagime::summit::export::{agenda_ics, Print, Timing};
/// let print = Print { timing: Some(Timing::parse("2026-04-20 10:00", 20)?), ..Print::default() };
/// let ics = agenda_ics(&plan, 0, &print)?;
/// assert_eq!(ics.matches("BEGIN:VEVENT").count(), plan.meetings_per_participant[0] as usize);
/// # Ok::<(), tsunagime::Error>(())
/// ```
pub fn agenda_ics(s: &Schedule, v: usize, print: &Print) -> Result<String> {
    if v >= s.ids.len() {
        return Err(Error::parameter(
            "participant",
            format!("{v} is not below {}", s.ids.len()),
        ));
    }
    let mine: Vec<&Meeting> = s.meetings.iter().filter(|m| m.a == v || m.b == v).collect();
    let name = format!("{} — {}", print.title, print.name(&s.ids, v));
    calendar(s, print, &name, &mine, Some(v))
}
