//! Slot times: a civil date-time, minute arithmetic across days, months and years, and the
//! venue's time zone.

use crate::error::{Error, Result};

/// When the slots happen: sessions (a morning, an afternoon, several days), each starting at
/// its local time with its slots of its length; the breaks between sessions are the gaps
/// between their times. [`Timing::parse`] is one unnamed session that runs on.
///
/// ```
/// use tsunagime::summit::export::{Session, Timing};
/// let t = Timing::parse("2026/12/31 23:40", 30)?;
/// assert_eq!(t.slot_label(1), "2027-01-01 00:10–00:40");
/// assert!(Timing::parse("2026-02-30T10:00", 20).is_err());
///
/// let days = Timing::sessions(vec![
///     Session::new("Day 1 morning", "2026-04-20 10:00", 3, 20),
///     Session::new("Day 1 afternoon", "2026-04-20 13:30", 2, 30),
///     Session::new("Day 2", "2026-04-21 09:00", 4, 20),
/// ])?;
/// assert_eq!(days.n_slots(), Some(9));
/// assert_eq!(days.slot_label(3), "2026-04-20 13:30–14:00");
/// assert_eq!(days.session_of(5), Some("Day 2"));
/// assert_eq!(days.slots_of("Day 1 afternoon"), Some(3..5));
/// # Ok::<(), tsunagime::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Timing {
    sessions: Vec<Block>,
}

/// A named run of slots as the organizer states it: name, local start, slots and minutes per
/// slot. [`Timing::sessions`] checks them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Session {
    /// The name printed on agendas (`"Day 1 morning"`, `"午後"`).
    pub name: String,
    /// Local start of the first slot (`2026-04-20 10:00`, `2026/04/20 10:00`, `…T10:00`).
    pub start: String,
    /// Number of slots.
    pub slots: usize,
    /// Minutes per slot.
    pub minutes: u32,
}

impl Session {
    /// A session named `name` of `slots` slots of `minutes`, the first at `start`.
    pub fn new(name: &str, start: &str, slots: usize, minutes: u32) -> Session {
        Session {
            name: name.to_string(),
            start: start.to_string(),
            slots,
            minutes,
        }
    }
}

/// A checked session; `slots: None` runs on (the one session of [`Timing::parse`]).
#[derive(Debug, Clone, PartialEq, Eq)]
struct Block {
    name: String,
    start: Civil,
    slots: Option<usize>,
    minutes: u32,
}

fn check_minutes(minutes: u32) -> Result<u32> {
    if minutes == 0 || minutes > 24 * 60 {
        return Err(Error::parameter(
            "minutes",
            format!("{minutes} is not in 1..=1440"),
        ));
    }
    Ok(minutes)
}

/// The venue's time zone: an IANA name (e.g. `Asia/Tokyo`) and its offset from UTC during
/// the event. One offset serves the whole event, so an event across a daylight-saving change
/// is printed in the offset of its first day.
///
/// ```
/// use tsunagime::summit::export::Zone;
/// assert_eq!(Zone::new("Asia/Tokyo", 540)?.offset(), "+0900");
/// assert!(Zone::new("Mars/Olympus", 24 * 60).is_err());
/// # Ok::<(), tsunagime::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Zone {
    name: String,
    offset_minutes: i32,
}

impl Zone {
    /// A zone named `name` at `offset_minutes` east of UTC (within ±18 hours).
    pub fn new(name: &str, offset_minutes: i32) -> Result<Zone> {
        if name.trim().is_empty() || name.chars().any(|c| c.is_control() || c == ';') {
            return Err(Error::parameter(
                "timezone",
                format!("'{name}' is not a time zone name"),
            ));
        }
        if offset_minutes.abs() > 18 * 60 {
            return Err(Error::parameter(
                "timezone",
                format!("offset {offset_minutes} minutes is beyond ±18 hours"),
            ));
        }
        Ok(Zone {
            name: name.trim().to_string(),
            offset_minutes,
        })
    }

    /// The IANA name.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// The offset as iCalendar writes it, e.g. `+0900`.
    pub fn offset(&self) -> String {
        let m = self.offset_minutes;
        let sign = if m < 0 { '-' } else { '+' };
        format!("{sign}{:02}{:02}", m.abs() / 60, m.abs() % 60)
    }

    pub(crate) fn offset_minutes(&self) -> i64 {
        self.offset_minutes as i64
    }
}

impl Timing {
    /// The first slot starts at `start` (`2026-04-20T10:00`, `2026-04-20 10:00` or
    /// `2026/04/20 10:00`; seconds allowed), each slot lasts `minutes` (at least 1), and the
    /// slots follow each other without a break.
    pub fn parse(start: &str, minutes: u32) -> Result<Timing> {
        Ok(Timing {
            sessions: vec![Block {
                name: String::new(),
                start: Civil::parse(start)?,
                slots: None,
                minutes: check_minutes(minutes)?,
            }],
        })
    }

    /// Named sessions in time order: slots are numbered across them, the first session's
    /// first. Each must have a distinct non-empty name, at least one slot, 1 to 1,440 minutes
    /// per slot, and start no earlier than the one before it ends.
    ///
    /// # Errors
    /// [`Error::Parameter`] (`sessions`) naming the session and what is wrong.
    pub fn sessions(sessions: Vec<Session>) -> Result<Timing> {
        let bad = |m: String| Error::parameter("sessions", m);
        if sessions.is_empty() {
            return Err(bad("no session".into()));
        }
        let mut blocks: Vec<Block> = Vec::with_capacity(sessions.len());
        for s in sessions {
            let name = s.name.trim().to_string();
            if name.is_empty() {
                return Err(bad(format!("session {} has no name", blocks.len() + 1)));
            }
            if blocks.iter().any(|b| b.name == name) {
                return Err(bad(format!("session '{name}' is listed twice")));
            }
            if s.slots == 0 {
                return Err(bad(format!("session '{name}' has no slot")));
            }
            let minutes =
                check_minutes(s.minutes).map_err(|e| bad(format!("session '{name}': {e}")))?;
            let start =
                Civil::parse(&s.start).map_err(|e| bad(format!("session '{name}': {e}")))?;
            if let Some(prev) = blocks.last() {
                let end = prev.start.plus(prev.length());
                if start.minutes() < end.minutes() {
                    return Err(bad(format!(
                        "session '{name}' starts at {} {}, before '{}' ends at {} {}",
                        start.date(),
                        start.clock(),
                        prev.name,
                        end.date(),
                        end.clock()
                    )));
                }
            }
            blocks.push(Block {
                name,
                start,
                slots: Some(s.slots),
                minutes,
            });
        }
        Ok(Timing { sessions: blocks })
    }

    /// Number of slots, when the sessions end (`None` for [`Timing::parse`]).
    pub fn n_slots(&self) -> Option<usize> {
        self.sessions.iter().map(|b| b.slots).sum()
    }

    /// The session holding slot `s` (0-based) and the slot's place in it; slots past the last
    /// session continue it.
    fn locate(&self, s: usize) -> (&Block, usize) {
        let last = self.sessions.len() - 1;
        let mut first = 0;
        for b in &self.sessions[..last] {
            let n = b.slots.unwrap_or(usize::MAX);
            if s - first < n {
                return (b, s - first);
            }
            first += n;
        }
        (&self.sessions[last], s - first)
    }

    /// The name of the session holding slot `s` (0-based); `None` without named sessions.
    pub fn session_of(&self, s: usize) -> Option<&str> {
        let (b, _) = self.locate(s);
        (!b.name.is_empty()).then_some(b.name.as_str())
    }

    /// The slots (0-based) of the session named `name`.
    pub fn slots_of(&self, name: &str) -> Option<std::ops::Range<usize>> {
        let mut first = 0;
        for b in &self.sessions {
            let n = b.slots.unwrap_or(0);
            if b.name == name.trim() && !b.name.is_empty() {
                return Some(first..first + n);
            }
            first += n;
        }
        None
    }

    /// Local start and end of slot `s` (0-based).
    pub(crate) fn slot(&self, s: usize) -> (Civil, Civil) {
        let (b, k) = self.locate(s);
        let m = b.minutes as i64;
        let from = b.start.plus(m * k as i64);
        (from, from.plus(m))
    }

    /// Slot `s` (0-based) as printed: `2026-04-20 10:00–10:20`.
    pub fn slot_label(&self, s: usize) -> String {
        let (a, b) = self.slot(s);
        format!("{} {}–{}", a.date(), a.clock(), b.clock())
    }

    /// The first slot's start.
    pub(crate) fn start(&self) -> Civil {
        self.sessions[0].start
    }
}

impl Block {
    /// The session's length in minutes.
    fn length(&self) -> i64 {
        self.slots.unwrap_or(0) as i64 * self.minutes as i64
    }
}

/// A civil date-time to the minute.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Civil {
    y: i64,
    mo: u32,
    d: u32,
    h: u32,
    mi: u32,
}

fn days_in_month(y: i64, m: u32) -> u32 {
    match m {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        _ if (y % 4 == 0 && y % 100 != 0) || y % 400 == 0 => 29,
        _ => 28,
    }
}

/// Days since 1970-01-01 of a proleptic Gregorian date (Hinnant's `days_from_civil`).
fn days_from_civil(y: i64, m: u32, d: u32) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (m as i64 + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d as i64 - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// The date `z` days after 1970-01-01 (Hinnant's `civil_from_days`).
fn civil_from_days(z: i64) -> (i64, u32, u32) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    (yoe + era * 400 + i64::from(m <= 2), m, d)
}

impl Civil {
    fn parse(s: &str) -> Result<Civil> {
        let bad = || {
            Error::parameter(
                "start",
                format!("'{s}' is not a date-time like 2026-04-20 10:00 or 2026/04/20 10:00"),
            )
        };
        let (date, time) = s.trim().split_once(['T', ' ']).ok_or_else(bad)?;
        let d: Vec<&str> = date.split(['-', '/']).collect();
        let t: Vec<&str> = time.trim().split(':').collect();
        if d.len() != 3 || !(2..=3).contains(&t.len()) {
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
        if !(1..=9999).contains(&c.y)
            || !(1..=12).contains(&c.mo)
            || c.d == 0
            || c.d > days_in_month(c.y, c.mo)
            || c.h > 23
            || c.mi > 59
            || t.get(2).is_some_and(|x| num(x).map_or(true, |x| x > 59))
        {
            return Err(bad());
        }
        Ok(c)
    }

    /// Minutes since 1970-01-01 00:00.
    fn minutes(self) -> i64 {
        days_from_civil(self.y, self.mo, self.d) * 1440 + self.h as i64 * 60 + self.mi as i64
    }

    /// This time `minutes` later (earlier when negative).
    pub(crate) fn plus(self, minutes: i64) -> Civil {
        let t = self.minutes() + minutes;
        let (y, mo, d) = civil_from_days(t.div_euclid(1440));
        let rest = t.rem_euclid(1440);
        Civil {
            y,
            mo,
            d,
            h: (rest / 60) as u32,
            mi: (rest % 60) as u32,
        }
    }

    /// `YYYYMMDDTHHMMSS`, iCalendar's local form.
    pub(crate) fn ics(self) -> String {
        format!(
            "{:04}{:02}{:02}T{:02}{:02}00",
            self.y, self.mo, self.d, self.h, self.mi
        )
    }

    /// `YYYY-MM-DD`.
    pub(crate) fn date(self) -> String {
        format!("{:04}-{:02}-{:02}", self.y, self.mo, self.d)
    }

    /// `HH:MM`.
    pub(crate) fn clock(self) -> String {
        format!("{:02}:{:02}", self.h, self.mi)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn civil_days_round_trip_across_centuries() {
        for z in (-800_000..800_000).step_by(997) {
            let (y, m, d) = civil_from_days(z);
            assert_eq!(days_from_civil(y, m, d), z);
            assert!(d >= 1 && d <= days_in_month(y, m));
        }
        assert_eq!(days_from_civil(1970, 1, 1), 0);
        assert_eq!(days_from_civil(2000, 3, 1), 11_017);
    }

    #[test]
    fn minutes_roll_over_and_back() {
        let c = Civil::parse("2024-02-28 23:50").unwrap();
        assert_eq!(c.plus(20).date(), "2024-02-29");
        assert_eq!(c.plus(24 * 60 + 20).date(), "2024-03-01");
        assert_eq!(c.plus(-9 * 60).ics(), "20240228T145000");
        assert!(Civil::parse("2026-04-20 10:00:75").is_err());
        assert!(Civil::parse("2026-04-20 10:00:30").is_ok());
    }
}

#[cfg(test)]
mod session_tests {
    use super::*;

    fn day() -> Vec<Session> {
        vec![
            Session::new("AM", "2026-04-20 10:00", 3, 20),
            Session::new("PM", "2026-04-20 13:00", 2, 30),
            Session::new("Day 2", "2026-04-21 09:00", 1, 45),
        ]
    }

    #[test]
    fn slots_run_across_sessions_with_their_own_lengths() {
        let t = Timing::sessions(day()).unwrap();
        let labels: Vec<String> = (0..7).map(|s| t.slot_label(s)).collect();
        assert_eq!(
            labels,
            [
                "2026-04-20 10:00–10:20",
                "2026-04-20 10:20–10:40",
                "2026-04-20 10:40–11:00",
                "2026-04-20 13:00–13:30",
                "2026-04-20 13:30–14:00",
                "2026-04-21 09:00–09:45",
                // Past the last session: it continues.
                "2026-04-21 09:45–10:30",
            ]
        );
        let names: Vec<_> = (0..6).map(|s| t.session_of(s).unwrap()).collect();
        assert_eq!(names, ["AM", "AM", "AM", "PM", "PM", "Day 2"]);
        assert_eq!(t.slots_of("Day 2"), Some(5..6));
        assert_eq!(t.slots_of("night"), None);
        assert_eq!(
            Timing::parse("2026-04-20 10:00", 20).unwrap().session_of(4),
            None
        );
    }

    #[test]
    fn bad_sessions_are_named() {
        fn err(change: fn(&mut Vec<Session>)) -> String {
            let mut s = day();
            change(&mut s);
            Timing::sessions(s).unwrap_err().to_string()
        }
        assert!(err(|s| s[1].name = " ".into()).contains("session 2 has no name"));
        assert!(err(|s| s[2].name = "AM".into()).contains("'AM' is listed twice"));
        assert!(err(|s| s[0].slots = 0).contains("'AM' has no slot"));
        assert!(err(|s| s[1].minutes = 0).contains("'PM'"));
        assert!(err(|s| s[1].start = "2026-04-20 10:50".into())
            .contains("'PM' starts at 2026-04-20 10:50, before 'AM' ends at 2026-04-20 11:00"));
        assert!(err(|s| s[2].start = "tomorrow".into()).contains("'Day 2'"));
        assert!(Timing::sessions(Vec::new()).is_err());
    }
}
