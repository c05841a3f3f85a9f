//! The summit scheduler from Rust: hard rules on random instances, a hand-checked optimum,
//! determinism, exports.

use tsunagime::summit::export::{
    safe_cell, to_csv, to_html, to_ics, Language, Person, Print, Timing, Zone,
};
use tsunagime::summit::{
    random_instance, schedule, schedule_with, validate, ChangeKind, Participant, Published,
    SolveOptions, SummitInput, IDLE_TOLERANCE,
};

#[test]
fn random_instances_pass_the_validator_and_respect_the_bound() {
    for (n, slots, tables, seed) in [(30, 4, 5, 1), (80, 6, 40, 2), (150, 8, 20, 3)] {
        let input = random_instance(n, slots, tables, 8, 0.1, seed);
        let s = schedule(&input, &SolveOptions::default()).unwrap();
        assert!(
            validate(&input, &s).is_empty(),
            "{:?}",
            validate(&input, &s)
        );
        assert!(s.objective <= s.upper_bound + 1e-9);
        assert_eq!(
            schedule(&input, &SolveOptions::default()).unwrap(),
            s,
            "deterministic"
        );
    }
}

#[test]
fn a_triangle_over_two_slots_takes_the_two_best_pairs() {
    let input = SummitInput {
        participants: ["a", "b", "c"].map(Participant::new).to_vec(),
        scores: vec![
            ("a".into(), "b".into(), 5.0),
            ("b".into(), "c".into(), 4.0),
            ("a".into(), "c".into(), 3.0),
        ],
        slots: 2,
        tables: vec![1, 1],
        ..Default::default()
    };
    let s = schedule(&input, &SolveOptions::default()).unwrap();
    assert_eq!(s.objective, 9.0);
    assert_eq!(s.upper_bound, 9.0); // three pairs, two tables in all: the best two
}

#[test]
fn exports_neutralise_formulas_and_roll_over_midnight() {
    assert_eq!(safe_cell("=SUM(A1)"), "'=SUM(A1)");
    assert_eq!(safe_cell("@x"), "'@x");
    assert_eq!(safe_cell("Kaga"), "Kaga");
    let input = random_instance(10, 3, 5, 4, 0.0, 9);
    let s = schedule(&input, &SolveOptions::default()).unwrap();
    let print = Print {
        title: "Year-end summit".into(),
        timing: Some(Timing::parse("2026-12-31T23:40", 30).unwrap()),
        zone: Some(Zone::new("Asia/Tokyo", 540).unwrap()),
        ..Print::default()
    };
    let ics = to_ics(&s, &print).unwrap();
    assert!(
        ics.contains("DTSTART;TZID=Asia/Tokyo:20270101T001000")
            || s.meetings.iter().all(|m| m.slot == 0)
    );
    assert!(ics.contains("DTSTAMP:20261231T144000Z")); // 23:40 in Tokyo is 14:40 UTC
    assert!(ics.lines().all(|l| l.len() <= 75));
    assert!(to_csv(&s, &print).starts_with("slot,start,table,a,b,score"));
    assert!(Timing::parse("2026-02-30T10:00", 20).is_err());
    assert!(to_ics(&s, &Print::default()).is_err()); // a calendar needs a start
}

#[test]
fn printouts_carry_names_and_page_the_grid() {
    let input = random_instance(30, 3, 12, 4, 0.0, 2);
    let s = schedule(&input, &SolveOptions::default()).unwrap();
    let people: Vec<Person> = (0..30)
        .map(|i| Person {
            name: format!("社長{i}"),
            organisation: format!("会津精機{i}"),
            ..Person::default()
        })
        .collect();
    let print = Print {
        people,
        language: Language::Ja,
        tables_per_page: 5,
        ..Print::default()
    };
    let html = to_html(&s, &input.tables, &print).unwrap();
    assert!(html.contains("lang=\"ja\""));
    assert_eq!(html.matches("<section class=\"grid\"").count(), 3); // 5 + 5 + 2 tables
    for (i, &k) in s.meetings_per_participant.iter().enumerate() {
        // Each name is in its agenda's heading and in the grid once per meeting.
        let name = format!("社長{i}<");
        assert!(html.matches(&name).count() as u32 > k, "{name}");
    }
    let csv = to_csv(&s, &print);
    assert!(csv.starts_with("slot,start,table,a,a_name,a_organisation,b,b_name,b_organisation,"));
    assert!(to_html(
        &s,
        &input.tables,
        &Print {
            tables_per_page: 0,
            ..Print::default()
        }
    )
    .is_err());
}

/// Found by fuzzing (`fuzz/fuzz_targets/summit.rs`): a summit without participants, or with
/// participants but no pair that may meet, panicked in the search ("cannot sample empty
/// range"). It is an empty schedule.
#[test]
fn a_summit_with_nobody_or_no_pairs_is_an_empty_schedule() {
    let empty = SummitInput {
        slots: 1,
        tables: vec![0],
        ..Default::default()
    };
    let lonely = SummitInput {
        participants: ["a", "b"].map(Participant::new).to_vec(),
        slots: 2,
        tables: vec![4, 4],
        ..Default::default()
    };
    for input in [empty, lonely] {
        let s = schedule(&input, &SolveOptions::default()).unwrap();
        assert!(s.meetings.is_empty());
        assert_eq!((s.objective, s.upper_bound), (0.0, 0.0));
        assert!(validate(&input, &s).is_empty());
    }
}

/// Found by fuzzing: scores near 1e236 overflowed the integer weights of the exact matching
/// (a panic with overflow checks, as in a debug build; wrapped weights without). Weights are
/// now scaled to the largest score, which also keeps scores in yen (1e10) below the
/// minimum-meeting tier of the weights.
#[test]
fn huge_scores_keep_minimum_meetings_first_and_do_not_overflow() {
    let mut input = SummitInput {
        participants: ["a", "b", "c"].map(Participant::new).to_vec(),
        scores: vec![
            ("a".into(), "b".into(), 3e10),
            ("a".into(), "c".into(), 2e10),
            ("b".into(), "c".into(), 1.0),
        ],
        slots: 2,
        tables: vec![1, 1],
        ..Default::default()
    };
    input.participants[2].min_meetings = 2;
    let s = schedule(&input, &SolveOptions::default()).unwrap();
    assert!(validate(&input, &s).is_empty());
    assert_eq!(s.objective, 2e10 + 1.0, "c meets both a and b");
    for score in [2e236, f64::MAX] {
        input.scores[0].2 = score;
        let s = schedule(&input, &SolveOptions::default()).unwrap();
        assert!(validate(&input, &s).is_empty());
    }
    // Ten tables, twenty firms asking for one meeting each with a low score, and pairs of
    // other firms worth 1e10: the ten meetings go to the firms asking.
    let mut people: Vec<Participant> = (0..20).map(|i| Participant::new(format!("x{i}"))).collect();
    for i in 0..20 {
        people.push(Participant {
            min_meetings: 1,
            ..Participant::new(format!("y{i}"))
        });
    }
    let mut scores: Vec<(String, String, f64)> = (0..10)
        .map(|i| (format!("x{}", 2 * i), format!("x{}", 2 * i + 1), 1e10))
        .collect();
    scores.extend((0..20).map(|i| (format!("x{i}"), format!("y{i}"), 1.0)));
    let crowded = SummitInput {
        participants: people,
        scores,
        slots: 1,
        tables: vec![10],
        ..Default::default()
    };
    let s = schedule(&crowded, &SolveOptions::default()).unwrap();
    assert_eq!(s.objective, 10.0, "{:?}", s.meetings);
    input.scores.push(("b".into(), "a".into(), f64::MAX));
    let e = schedule(&input, &SolveOptions::default()).unwrap_err();
    assert!(e.to_string().contains("'a'–'b' add up to inf"), "{e}");
}

/// Found by fuzzing: a fixed meeting of a participant allowed no meetings (`max_meetings` 0)
/// was placed, and the schedule broke the participant's maximum. It is an error naming it.
#[test]
fn a_fixed_meeting_beyond_a_maximum_is_an_error() {
    let mut input = SummitInput {
        participants: ["a", "b"].map(Participant::new).to_vec(),
        slots: 2,
        tables: vec![1, 1],
        fixed: vec![("a".into(), "b".into(), 0)],
        ..Default::default()
    };
    input.participants[0].max_meetings = Some(0);
    let e = schedule(&input, &SolveOptions::default()).unwrap_err();
    assert!(
        e.to_string().contains("'a' may have at most 0 meetings"),
        "{e}"
    );
    input.participants[0].max_meetings = Some(1);
    let s = schedule(&input, &SolveOptions::default()).unwrap();
    assert!(validate(&input, &s).is_empty() && s.meetings.len() == 1);
}

/// A participant asking for more meetings than it allows itself is an error naming its row,
/// not a minimum left silently unmet.
#[test]
fn a_minimum_above_the_maximum_is_an_error() {
    let mut input = SummitInput {
        participants: ["a", "b", "c"].map(Participant::new).to_vec(),
        scores: vec![("a".into(), "b".into(), 1.0)],
        slots: 3,
        tables: vec![1; 3],
        ..Default::default()
    };
    input.participants[1].min_meetings = 3;
    input.participants[1].max_meetings = Some(2);
    let e = schedule(&input, &SolveOptions::default()).unwrap_err();
    let text = e.to_string();
    assert!(
        text.contains("participants, row 1, column 'max_meetings'"),
        "{text}"
    );
    assert!(
        text.contains("at most 2 meetings, but at least 3 asked"),
        "{text}"
    );
    input.participants[1].max_meetings = Some(3);
    assert!(schedule(&input, &SolveOptions::default()).is_ok());
}

/// Asks to stop as soon as the scheduler reports the given stage (as Ctrl-C would).
struct StopAt(&'static str, std::sync::atomic::AtomicBool);

impl tsunagime::Monitor for StopAt {
    fn progress(&self, stage: &str, _done: u64, _total: u64) {
        if stage == self.0 {
            self.1.store(true, std::sync::atomic::Ordering::Relaxed);
        }
    }

    fn interrupted(&self) -> bool {
        self.1.load(std::sync::atomic::Ordering::Relaxed)
    }
}

#[test]
fn every_phase_of_the_scheduler_stops_when_asked() {
    let input = random_instance(60, 6, 20, 8, 0.1, 5);
    for stage in [
        "matching slots",
        "improving",
        "bounding",
        "searching",
        "compacting",
    ] {
        let monitor = StopAt(stage, Default::default());
        let stopped = schedule_with(&input, &SolveOptions::default(), &monitor);
        assert!(
            matches!(stopped, Err(tsunagime::Error::Interrupted)),
            "{stage}: {stopped:?}"
        );
    }
}

/// With no idle tolerance, compact agendas move meetings between slots only: the same
/// meetings, the same objective, a valid schedule, fewer idle slots (each participant's count
/// checked from the meetings). The default tolerance gives up at most its share of the score.
#[test]
fn compacting_keeps_the_meetings_and_shortens_the_waits() {
    for (n, slots, tables, away, seed) in [(40, 6, 12, 0.0, 1), (120, 8, 30, 0.15, 2)] {
        let input = random_instance(n, slots, tables, 8, away, seed);
        let plain = SolveOptions {
            compact: false,
            ..Default::default()
        };
        let keep_all = SolveOptions {
            idle_tolerance: 0.0,
            ..Default::default()
        };
        let loose = schedule(&input, &plain).unwrap();
        let tight = schedule(&input, &keep_all).unwrap();
        let traded = schedule(&input, &SolveOptions::default()).unwrap();
        assert!(validate(&input, &traded).is_empty());
        assert!(traded.objective >= (1.0 - IDLE_TOLERANCE) * loose.objective - 1e-9);
        assert!(
            validate(&input, &tight).is_empty(),
            "{:?}",
            validate(&input, &tight)
        );
        let pairs = |s: &tsunagime::summit::Schedule| {
            let mut v: Vec<(usize, usize)> = s.meetings.iter().map(|m| (m.a, m.b)).collect();
            v.sort_unstable();
            v
        };
        assert_eq!(pairs(&loose), pairs(&tight));
        assert_eq!(loose.objective, tight.objective);
        let away: std::collections::HashSet<(String, usize)> =
            input.unavailable.iter().cloned().collect();
        for (v, id) in tight.ids.iter().enumerate() {
            let mine: Vec<usize> = tight
                .meetings
                .iter()
                .filter(|m| m.a == v || m.b == v)
                .map(|m| m.slot)
                .collect();
            let idle = match (mine.iter().min(), mine.iter().max()) {
                (Some(&f), Some(&l)) => (f..=l)
                    .filter(|s| !mine.contains(s) && !away.contains(&(id.clone(), *s)))
                    .count() as u32,
                _ => 0,
            };
            assert_eq!(tight.idle[v], idle, "{id}");
        }
        let (before, after) = (
            loose.idle.iter().sum::<u32>(),
            tight.idle.iter().sum::<u32>(),
        );
        assert!(
            2 * after <= before,
            "{n} participants: {before} idle slots -> {after}"
        );
        assert!(tight.idle_bound <= after);
    }
}

/// Fixed meetings at the first and last slot force the slots between them to wait: the bound
/// says so and the schedule meets it.
#[test]
fn fixed_meetings_far_apart_bound_the_idle_slots() {
    let input = SummitInput {
        participants: ["x", "y", "z"].map(Participant::new).to_vec(),
        scores: vec![("x".into(), "y".into(), 1.0), ("x".into(), "z".into(), 1.0)],
        slots: 5,
        tables: vec![1; 5],
        fixed: vec![("x".into(), "y".into(), 0), ("x".into(), "z".into(), 4)],
        ..Default::default()
    };
    let s = schedule(&input, &SolveOptions::default()).unwrap();
    assert_eq!((s.idle[0], s.idle_bound), (3, 3));
}

#[test]
fn a_published_schedule_stays_where_it_can() {
    let input = random_instance(60, 6, 12, 8, 0.1, 4);
    let first = schedule(&input, &SolveOptions::default()).unwrap();
    let name = |v: usize| first.ids[v].clone();
    let mut again = input.clone();
    again.published = first
        .meetings
        .iter()
        .map(|m| Published {
            a: name(m.a),
            b: name(m.b),
            slot: m.slot,
            table: m.table,
        })
        .collect();
    // One participant leaves: their meetings are cancelled, every other one stays put.
    let gone = name(first.meetings[0].a);
    again.participants.retain(|p| p.id != gone);
    again.scores.retain(|(a, b, _)| *a != gone && *b != gone);
    again.unavailable.retain(|(p, _)| *p != gone);
    let s = schedule(&again, &SolveOptions::default()).unwrap();
    assert!(
        validate(&again, &s).is_empty(),
        "{:?}",
        validate(&again, &s)
    );
    let count = |k: ChangeKind| s.changes.iter().filter(|c| c.kind == k).count();
    let theirs = again
        .published
        .iter()
        .filter(|m| m.a == gone || m.b == gone)
        .count();
    assert!(theirs > 0);
    assert_eq!(count(ChangeKind::Cancelled), theirs);
    assert_eq!(count(ChangeKind::Kept), first.meetings.len() - theirs);
    assert_eq!(count(ChangeKind::Moved), 0);
    for c in s.changes.iter().filter(|c| c.kind == ChangeKind::Kept) {
        assert_eq!(c.before, c.after);
    }
    assert_eq!(
        count(ChangeKind::New),
        s.meetings.len() - count(ChangeKind::Kept)
    );
}
