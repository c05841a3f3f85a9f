//! Slot times: a civil date-time, minute arithmetic across days, months and years, and the
//! venue's time zone.

use crate::error::{Error, Result};

/// When the slots happen: the first slot's local start and each slot's length.
///
/// ```
/// use tsunagime::summit::export::Timing;
/// let t = Timing::parse("2026/12/31 23:40", 30)?;
/// assert_eq!(t.slot_label(1), "2027-01-01 00:10–00:40");
/// assert!(Timing::parse("2026-02-30T10:00", 20).is_err());
/// # Ok::<(), tsunagime::Error>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Timing {
    start: Civil,
    minutes: u32,
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
    /// `2026/04/20 10:00`; seconds allowed), each slot lasts `minutes` (at least 1).
    pub fn parse(start: &str, minutes: u32) -> Result<Timing> {
        if minutes == 0 || minutes > 24 * 60 {
            return Err(Error::parameter(
                "minutes",
                format!("{minutes} is not in 1..=1440"),
            ));
        }
        Ok(Timing {
            start: Civil::parse(start)?,
            minutes,
        })
    }

    /// Minutes per slot.
    pub fn minutes(&self) -> u32 {
        self.minutes
    }

    /// Local start and end of slot `s` (0-based).
    pub(crate) fn slot(&self, s: usize) -> (Civil, Civil) {
        let m = self.minutes as i64;
        let from = self.start.plus(m * s as i64);
        (from, from.plus(m))
    }

    /// Slot `s` (0-based) as printed: `2026-04-20 10:00–10:20`.
    pub fn slot_label(&self, s: usize) -> String {
        let (a, b) = self.slot(s);
        format!("{} {}–{}", a.date(), a.clock(), b.clock())
    }

    /// The first slot's start.
    pub(crate) fn start(&self) -> Civil {
        self.start
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
