//! Schedule exports a person can open: CSV (spreadsheet-safe), JSON, iCalendar (one calendar
//! for the event and one per participant) and printable HTML (the slot × table grid in pages of
//! a few tables, then one agenda page per participant), in Japanese or English.
//!
//! Everything a printout needs beside the schedule — the title, when the slots happen, the time
//! zone, the language, who each participant is — travels in one [`Print`].

mod calendar;
mod html;
mod tables;
mod time;

pub use calendar::{agenda_ics, to_ics};
pub use html::{agenda_html, to_html};
pub use tables::{to_csv, to_json};
pub use time::{Session, Timing, Zone};

use serde::{Deserialize, Serialize};

/// Who a participant is, for printouts; the id stays the key. Empty fields are left out.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Person {
    /// A person's or firm's name, printed instead of the id.
    pub name: String,
    /// The firm or body the person comes from.
    pub organisation: String,
    /// Where they come from (a prefecture, a city).
    pub prefecture: String,
    /// How to reach them (e-mail, phone), printed on their own agenda only.
    pub contact: String,
}

/// The language of printed labels: `"en"` or `"ja"`.
///
/// ```
/// use tsunagime::summit::export::Language;
/// assert_eq!("ja".parse::<Language>()?, Language::Ja);
/// assert!("fr".parse::<Language>().is_err());
/// # Ok::<(), tsunagime::Error>(())
/// ```
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub enum Language {
    /// English labels, `lang="en"`.
    #[default]
    En,
    /// Japanese labels, `lang="ja"`.
    Ja,
}

named!(Language, "language", "en" => Language::En, "ja" => Language::Ja);

/// Printed words in each language.
pub(crate) struct Labels {
    pub lang: &'static str,
    pub schedule: &'static str,
    pub slot: &'static str,
    pub table: &'static str,
    pub tables: &'static str,
    pub page: &'static str,
    pub agenda: &'static str,
    pub when: &'static str,
    pub partner: &'static str,
    pub organisation: &'static str,
    pub free: &'static str,
    pub meetings: &'static str,
    pub total_score: &'static str,
    pub upper_bound: &'static str,
    pub gap: &'static str,
    pub contact: &'static str,
}

impl Language {
    pub(crate) fn labels(self) -> &'static Labels {
        const EN: Labels = Labels {
            lang: "en",
            schedule: "Schedule",
            slot: "Slot",
            table: "Table",
            tables: "tables",
            page: "page",
            agenda: "Agenda: ",
            when: "When",
            partner: "Meeting with",
            organisation: "Organisation",
            free: "free",
            meetings: "meetings",
            total_score: "total score",
            upper_bound: "upper bound",
            gap: "gap",
            contact: "Contact",
        };
        const JA: Labels = Labels {
            lang: "ja",
            schedule: "面談スケジュール",
            slot: "枠",
            table: "テーブル",
            tables: "テーブル",
            page: "ページ",
            agenda: "個別スケジュール：",
            when: "時間",
            partner: "面談相手",
            organisation: "所属",
            free: "空き",
            meetings: "件の面談",
            total_score: "合計スコア",
            upper_bound: "上界",
            gap: "差",
            contact: "連絡先",
        };
        match self {
            Language::En => &EN,
            Language::Ja => &JA,
        }
    }
}

/// How a schedule is printed: title, times, zone, language and who the participants are.
///
/// ```
/// # use tsunagime::summit::{random_instance, schedule, SolveOptions};
/// # let input = random_instance(12, 3, 4, 4, 0.0, 0);
/// # let plan = schedule(&input, &SolveOptions::default())?;
/// use tsunagime::summit::export::{to_html, Language, Print, Timing};
/// let print = Print {
///     title: "会津サミット".into(),
///     timing: Some(Timing::parse("2026/04/20 10:00", 20)?),
///     language: Language::Ja,
///     ..Print::default()
/// };
/// let html = to_html(&plan, &input.tables, &print)?;
/// assert!(html.contains("lang=\"ja\"") && html.contains("10:00–10:20"));
/// # Ok::<(), tsunagime::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct Print {
    /// The event's title.
    pub title: String,
    /// When the slots happen (`None`: slots are printed by number only).
    pub timing: Option<Timing>,
    /// The venue's time zone for calendars (`None`: floating local times).
    pub zone: Option<Zone>,
    /// Label language.
    pub language: Language,
    /// Who each participant is, by participant index (missing entries: the id alone).
    pub people: Vec<Person>,
    /// Tables per printed page of the grid (at least 1).
    pub tables_per_page: usize,
}

impl Default for Print {
    fn default() -> Self {
        Print {
            title: "Summit schedule".into(),
            timing: None,
            zone: None,
            language: Language::En,
            people: Vec::new(),
            tables_per_page: 8,
        }
    }
}

impl Print {
    /// The participant `v` as printed: the name (else the id).
    pub(crate) fn name<'a>(&'a self, ids: &'a [String], v: usize) -> &'a str {
        match self.people.get(v) {
            Some(p) if !p.name.is_empty() => &p.name,
            _ => &ids[v],
        }
    }

    /// The participant `v`'s organisation (may be empty).
    pub(crate) fn organisation(&self, v: usize) -> &str {
        self.people.get(v).map_or("", |p| p.organisation.as_str())
    }

    /// The participant `v` with their organisation in brackets, e.g. `佐藤 (会津精機)`.
    pub(crate) fn full_name(&self, ids: &[String], v: usize) -> String {
        match self.organisation(v) {
            "" => self.name(ids, v).to_string(),
            org => format!("{} ({org})", self.name(ids, v)),
        }
    }

    pub(crate) fn labels(&self) -> &'static Labels {
        self.language.labels()
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

/// Each participant's meetings `(slot, table, partner, score)`, by slot.
pub(crate) fn by_participant(s: &super::Schedule) -> Vec<Vec<(usize, u32, usize, f64)>> {
    let mut by: Vec<Vec<(usize, u32, usize, f64)>> = vec![Vec::new(); s.ids.len()];
    for m in &s.meetings {
        by[m.a].push((m.slot, m.table, m.b, m.score));
        by[m.b].push((m.slot, m.table, m.a, m.score));
    }
    for list in &mut by {
        list.sort_by_key(|x| x.0);
    }
    by
}
