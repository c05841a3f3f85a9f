//! Printable HTML: the slot × table grid in pages of a few tables, and one agenda page per
//! participant. A print stylesheet puts the grid on landscape pages and each agenda on a page
//! of its own, so that every table and every participant reaches paper.

use super::{by_participant, escape, Print};
use crate::error::{Error, Result};
use crate::summit::Schedule;
use std::fmt::Write;

const STYLE: &str = "\
@page{size:A4;margin:12mm}@page grid{size:A4 landscape;margin:10mm}\
body{font-family:'Noto Sans CJK JP','Noto Sans JP','Hiragino Sans','Yu Gothic',Meiryo,system-ui,sans-serif;margin:1.5rem;color:#222}\
h1{font-size:1.4rem}h2{font-size:1.1rem}\
table{border-collapse:collapse;margin:.6rem 0;width:100%;table-layout:fixed}\
th,td{border:1px solid #999;padding:.25rem .4rem;font-size:.8rem;vertical-align:top;overflow-wrap:anywhere}\
th{background:#eef}td.empty{background:#f6f6f6;color:#777}tr{break-inside:avoid}\
th.slot{width:9rem}.who{display:block;font-weight:600}.org{display:block;font-size:.72rem;color:#555}\
.vs{display:block;font-size:.7rem;color:#888}.facts{color:#444}\
section.grid{page:grid}section.grid+section.grid,section.agenda{break-before:page}\
@media print{body{margin:0}}";

fn head(print: &Print, title: &str) -> String {
    format!(
        "<!DOCTYPE html>\n<html lang=\"{}\"><head><meta charset=\"utf-8\"><title>{}</title>\n\
         <style>{STYLE}</style></head><body>\n",
        print.labels().lang,
        escape(title)
    )
}

/// Slot `slot` as printed in the first column: number, session (when named) and times (with
/// the date when the event runs over more than one day and this slot is not on the first).
fn slot_label(print: &Print, slot: usize) -> String {
    let l = print.labels();
    match &print.timing {
        Some(t) => {
            let (a, b) = t.slot(slot);
            let day = if a.date() != t.start().date() {
                format!("{} ", a.date())
            } else {
                String::new()
            };
            let session = t
                .session_of(slot)
                .map_or(String::new(), |n| format!("{n} · "));
            format!(
                "{} {} · {session}{day}{}–{}",
                l.slot,
                slot + 1,
                a.clock(),
                b.clock()
            )
        }
        None => format!("{} {}", l.slot, slot + 1),
    }
}

/// A participant in a grid cell: name, then organisation on its own line.
fn who(s: &Schedule, print: &Print, v: usize) -> String {
    let org = print.organisation(v);
    let org = if org.is_empty() {
        String::new()
    } else {
        format!("<span class=\"org\">{}</span>", escape(org))
    };
    format!(
        "<span class=\"who\">{}</span>{org}",
        escape(print.name(&s.ids, v))
    )
}

/// The title line: title, then date and figures.
fn overview(s: &Schedule, print: &Print, h: &mut String) {
    let l = print.labels();
    let date = print
        .timing
        .as_ref()
        .map_or(String::new(), |t| format!("{} · ", t.start().date()));
    let _ = write!(
        h,
        "<h1>{}</h1>\n<p class=\"facts\">{date}{} {} · {} {:.1} · {} {:.1} ({} {:.2}%)</p>\n",
        escape(&print.title),
        s.meetings.len(),
        l.meetings,
        l.total_score,
        s.objective,
        l.upper_bound,
        s.upper_bound,
        l.gap,
        100.0 * s.gap()
    );
}

fn agenda(
    s: &Schedule,
    print: &Print,
    v: usize,
    list: &[(usize, u32, usize, f64)],
    h: &mut String,
) {
    let l = print.labels();
    let _ = writeln!(
        h,
        "<section class=\"agenda\"><h2>{}{}</h2>",
        l.agenda,
        escape(print.name(&s.ids, v))
    );
    let person = print.people.get(v).cloned().unwrap_or_default();
    let mut facts: Vec<String> = [&person.organisation, &person.prefecture]
        .into_iter()
        .filter(|x| !x.is_empty())
        .map(|x| escape(x))
        .collect();
    if !person.contact.is_empty() {
        facts.push(format!("{}: {}", l.contact, escape(&person.contact)));
    }
    if print.name(&s.ids, v) != s.ids[v] {
        facts.push(format!("ID {}", escape(&s.ids[v])));
    }
    let date = print
        .timing
        .as_ref()
        .map_or(String::new(), |t| format!(" · {}", t.start().date()));
    let _ = write!(
        h,
        "<p class=\"facts\">{}</p>\n<p class=\"facts\">{}{date} · {} {}</p>\n",
        facts.join(" · "),
        escape(&print.title),
        list.len(),
        l.meetings
    );
    let _ = writeln!(
        h,
        "<table><thead><tr><th class=\"slot\">{}</th><th style=\"width:5rem\">{}</th><th>{}</th><th>{}</th></tr></thead><tbody>",
        l.when, l.table, l.partner, l.organisation
    );
    for slot in 0..s.slots {
        match list.iter().find(|x| x.0 == slot) {
            Some(&(_, table, other, _)) => {
                let _ = writeln!(
                    h,
                    "<tr><td>{}</td><td>{table}</td><td>{}</td><td>{}</td></tr>",
                    escape(&slot_label(print, slot)),
                    escape(print.name(&s.ids, other)),
                    escape(print.organisation(other))
                );
            }
            None => {
                let _ = writeln!(
                    h,
                    "<tr><td>{}</td><td></td><td class=\"empty\" colspan=\"2\">{}</td></tr>",
                    escape(&slot_label(print, slot)),
                    l.free
                );
            }
        }
    }
    h.push_str("</tbody></table></section>\n");
}

/// A printable HTML page: the slot × table grid split into pages of at most
/// [`Print::tables_per_page`] tables (landscape), then one agenda per participant, each on a
/// page of its own (name, organisation, time, table, partner's name and organisation, free
/// slots). Labels follow [`Print::language`]; every name is escaped.
///
/// ```
/// # use tsunagime::summit::{random_instance, schedule, SolveOptions};
/// # let input = random_instance(12, 3, 4, 4, 0.0, 0);
/// # let plan = schedule(&input, &SolveOptions::default())?;
/// use tsunagime::summit::export::{to_html, Print};
/// let print = Print { title: "Aizu <summit>".into(), tables_per_page: 3, ..Print::default() };
/// let html = to_html(&plan, &input.tables, &print)?;
/// assert!(html.contains("Aizu &lt;summit&gt;"));
/// assert_eq!(html.matches("<section class=\"grid\"").count(), 2); // tables 1–3, 4
/// # Ok::<(), tsunagime::Error>(())
/// ```
pub fn to_html(s: &Schedule, tables: &[u32], print: &Print) -> Result<String> {
    if print.tables_per_page == 0 {
        return Err(Error::parameter("tables_per_page", "must be at least 1"));
    }
    let l = print.labels();
    let mut h = head(print, &print.title);
    let width = tables.iter().copied().max().unwrap_or(0) as usize;
    let mut at = vec![vec![None; width + 1]; s.slots];
    for m in &s.meetings {
        if (m.table as usize) <= width {
            at[m.slot][m.table as usize] = Some(m);
        }
    }
    let pages = width.div_ceil(print.tables_per_page).max(1);
    for page in 0..pages {
        let lo = page * print.tables_per_page + 1;
        let hi = ((page + 1) * print.tables_per_page).min(width);
        // The title goes on the first grid page: a page of its own would be portrait.
        h.push_str("<section class=\"grid\">");
        if page == 0 {
            overview(s, print, &mut h);
        }
        let _ = write!(
            h,
            "<h2>{} · {} {lo}–{hi} ({} {}/{pages})</h2>\n\
             <table class=\"grid\"><thead><tr><th class=\"slot\">{}</th>",
            l.schedule,
            l.tables,
            l.page,
            page + 1,
            l.slot
        );
        for table in lo..=hi {
            let _ = write!(h, "<th>{} {table}</th>", l.table);
        }
        h.push_str("</tr></thead><tbody>\n");
        for (slot, row) in at.iter().enumerate() {
            let _ = write!(h, "<tr><th>{}</th>", escape(&slot_label(print, slot)));
            for cell in &row[lo.min(width + 1)..=hi] {
                match cell {
                    Some(m) => {
                        let _ = write!(
                            h,
                            "<td>{}<span class=\"vs\">×</span>{}</td>",
                            who(s, print, m.a),
                            who(s, print, m.b)
                        );
                    }
                    None => h.push_str("<td class=\"empty\"></td>"),
                }
            }
            h.push_str("</tr>\n");
        }
        h.push_str("</tbody></table></section>\n");
    }
    for (v, list) in by_participant(s).iter().enumerate() {
        agenda(s, print, v, list, &mut h);
    }
    h.push_str("</body></html>\n");
    Ok(h)
}

/// Participant `v`'s agenda as a page of its own, to hand out or send.
///
/// ```
/// # use tsunagime::summit::{random_instance, schedule, SolveOptions};
/// # let input = random_instance(12, 3, 4, 4, 0.0, 0);
/// # let plan = schedule(&input, &SolveOptions::default())?;
/// use tsunagime::summit::export::{agenda_html, Language, Print};
/// let print = Print { language: Language::Ja, ..Print::default() };
/// let page = agenda_html(&plan, 0, &print)?;
/// assert!(page.contains("個別スケジュール") && page.contains(&plan.ids[0]));
/// # Ok::<(), tsunagime::Error>(())
/// ```
pub fn agenda_html(s: &Schedule, v: usize, print: &Print) -> Result<String> {
    let Some(list) = by_participant(s).into_iter().nth(v) else {
        return Err(Error::parameter(
            "participant",
            format!("{v} is not below {}", s.ids.len()),
        ));
    };
    let title = format!("{} — {}", print.title, print.name(&s.ids, v));
    let mut h = head(print, &title);
    agenda(s, print, v, &list, &mut h);
    h.push_str("</body></html>\n");
    Ok(h)
}
