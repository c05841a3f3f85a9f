"""Summit scheduling: 1:1 meetings of participants over time slots and tables.

:func:`schedule_meetings` puts the most valuable pairs together while every participant meets
at most once per slot, never when unavailable, and at most ``tables`` meetings happen at once;
must-meet pairs are placed, forbidden pairs never meet, fixed meetings stay. Minimum meetings
per participant come first, the total score second. The :class:`Schedule` reports its
objective beside an upper bound, fairness figures, and exports CSV, JSON, iCalendar and a
printable HTML page.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from . import _tsunagime as _native
from ._network import TradeNetwork
from ._progress import Progress, reporter
from ._tables import read_table
from .errors import InputError, MissingColumnError, ParameterError, TsunagimeError, _whole
from .recommend import PartnerRecommender

#: The largest count the core holds in a u32 (meetings, tables, minutes).
_U32 = 2**32 - 1

__all__ = ["Schedule", "pair_scores", "random_instance", "read_table", "schedule_meetings"]

PathLike = str | os.PathLike[str]


def _pairs(obj: Any, name: str, columns: tuple[str, ...]) -> pd.DataFrame:
    if obj is None:
        empty: pd.DataFrame = pd.DataFrame({c: [] for c in columns})
        return empty
    frame = obj if isinstance(obj, pd.DataFrame) else pd.DataFrame(list(obj), columns=list(columns))
    missing = [c for c in columns if c not in frame.columns]
    if missing:
        present = ", ".join(map(str, frame.columns))
        raise MissingColumnError(
            f"{name}: missing column '{missing[0]}' (columns present: {present})",
            source=name,
            column=missing[0],
        )
    return frame


def _scores(scores: Any) -> pd.DataFrame:
    """Pair scores from ``a, b, score`` or from ``PartnerRecommender.recommend`` output
    (``firm_id, partner_id, score``); None: no scored pairs (only must-meet pairs meet)."""
    if scores is None:
        return _pairs(None, "scores", ("a", "b", "score"))
    if isinstance(scores, pd.DataFrame):
        frame = scores
        if {"firm_id", "partner_id"} <= set(frame.columns) and "a" not in frame.columns:
            frame = frame.rename(columns={"firm_id": "a", "partner_id": "b"})
        return _pairs(frame, "scores", ("a", "b", "score"))
    return _pairs(list(scores), "scores", ("a", "b", "score"))


def _slot(value: Any, table: str, row: int, slots: int) -> int:
    try:
        s = int(value)
    except (TypeError, ValueError):
        raise InputError(
            f"{table}, row {row}, column 'slot': {value!r} is not a slot number",
            source=table,
            row=row,
            column="slot",
        ) from None
    if not 1 <= s <= slots or s != value:
        raise InputError(
            f"{table}, row {row}, column 'slot': slot {value!r} is not in 1..{slots}",
            source=table,
            row=row,
            column="slot",
        )
    return s - 1


def random_instance(
    n: int,
    slots: int,
    *,
    partners: int = 10,
    unavailable: float = 0.1,
    seed: int = 0,
) -> dict[str, Any]:
    """A random summit: participants ``p0…``, each scoring about ``partners`` others (1–100),
    a share ``unavailable`` of (participant, slot) cells closed. Returns keyword arguments
    for :func:`schedule_meetings` (``participants``, ``scores``, ``slots``, ``unavailable``).

    >>> import tsunagime as tg
    >>> inst = tg.summit.random_instance(60, 6, seed=1)
    >>> plan = tg.schedule_meetings(**inst, tables=10)
    >>> plan.validate()
    []
    """
    ids, scores, away = _native.random_instance(
        _whole(n, "n"),
        _whole(slots, "slots"),
        0,
        _whole(partners, "partners"),
        float(unavailable),
        _whole(seed, "seed"),
    )
    return {
        "participants": ids,
        "scores": pd.DataFrame(scores, columns=["a", "b", "score"]),
        "slots": int(slots),
        "unavailable": pd.DataFrame([(p, s + 1) for p, s in away], columns=["participant", "slot"]),
    }


def pair_scores(
    net: TradeNetwork,
    firms: Iterable[Any],
    *,
    per_firm: int = 15,
    purposes: Iterable[str] = ("customer", "supplier", "research"),
    region: str | None = None,
    seed: int = 0,
    progress: Progress = False,
) -> pd.DataFrame:
    """Pair scores for a summit of ``firms``, from the partner recommender.

    For each unordered pair, the best of the recommender's reciprocal scores over
    ``purposes``: a deal either way (one would buy from the other) or joint research. Each
    firm keeps its ``per_firm`` best partners among the participants, so that the scheduler
    chooses among pairs worth a meeting.

    Parameters
    ----------
    net : TradeNetwork
    firms : iterable of firm ids
        The participants.
    per_firm : int
        Partners kept per firm and purpose.
    purposes : iterable of str
        Which of ``"customer"``, ``"supplier"``, ``"research"`` count.
    region : str, optional
        The recommenders' region partition (default: ``prefecture`` when present).
    seed : int
        The recommenders' seed.
    progress : bool or callable
        Progress of each recommender's scoring.

    Returns
    -------
    DataFrame
        Columns ``a``, ``b``, ``score`` (a < b), ready for :func:`schedule_meetings`.

    Examples
    --------
    >>> import tsunagime as tg
    >>> net = tg.datasets.synthetic_japan(3_000, seed=0)
    >>> firms = net.firm_ids[:40]
    >>> scores = tg.summit.pair_scores(net, firms, per_firm=5)
    >>> list(scores.columns), bool((scores["a"] < scores["b"]).all())
    (['a', 'b', 'score'], True)
    >>> plan = tg.schedule_meetings(firms, scores, slots=4, tables=10)
    """
    firms = pd.Index(list(firms))
    frames = []
    for purpose in purposes:
        rec = PartnerRecommender(purpose, region=region, seed=seed).fit(net)
        recs = rec.recommend(firms, k=per_firm, among=firms, evidence=False, progress=progress)
        frames.append(recs[["firm_id", "partner_id", "score"]])
    pairs = pd.concat(frames, ignore_index=True)
    first = pairs[["firm_id", "partner_id"]].min(axis=1)
    second = pairs[["firm_id", "partner_id"]].max(axis=1)
    scores: pd.DataFrame = (
        pd.DataFrame({"a": first, "b": second, "score": pairs["score"]})
        .groupby(["a", "b"], as_index=False)["score"]
        .max()
    )
    return scores


#: The inputs of :func:`schedule_meetings` as tables: required and optional columns.
TABLES: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "participants": (
        (),
        ("participant", "name", "organisation", "prefecture", "contact", "side",
         "min_meetings", "max_meetings", "table"),
    ),
    "scores": (("a", "b", "score"), ()),
    "wishes": (("from", "to", "level"), ()),
    "unavailable": (("participant",), ("slot", "session")),
    "sessions": (("session", "start", "slots"), ("minutes",)),
    "must_meet": (("a", "b"), ()),
    "forbidden": (("a", "b"), ()),
    "fixed": (("a", "b", "slot"), ()),
    "keep": (("a", "b", "slot", "table"), ()),
}  # fmt: skip

#: Who a participant is, carried to every output.
PEOPLE = ("name", "organisation", "prefecture", "contact")

#: How wishes combine, as the summary prints it.
WISH_RULE = (
    "wishes: 'no' from either side forbids the pair; else 'must' from either side makes it a "
    "must-meet pair; a pair's score is the sum of both sides' wishes (want and must count 1, "
    "a number counts itself)"
)


def _file(obj: Any, kind: str, **read: Any) -> Any:
    """A path becomes its table through :func:`read_table`; anything else is kept."""
    if isinstance(obj, str | os.PathLike):
        columns, optional = TABLES[kind]
        return read_table(obj, columns, optional, **read)
    return obj


def _blank(value: Any) -> bool:
    return value is None or (isinstance(value, float) and np.isnan(value)) or str(value) == ""


def _where(frame: pd.DataFrame, rows: list[int]) -> str:
    """``lines 4, 9`` of a file, or ``rows 2, 7`` of a table; the first five and a count."""
    lines = frame.attrs.get("lines")
    nums = [lines[i] if lines else i for i in rows]
    shown = ", ".join(map(str, nums[:5])) + (f" and {len(nums) - 5} more" if len(nums) > 5 else "")
    return f"{'line' if lines else 'row'}{'s' if len(nums) > 1 else ''} {shown}"


def _participants(frame: pd.DataFrame, blank_side: str) -> pd.DataFrame:
    """The participants table checked: an id column (or names as ids), sides resolved."""
    source = frame.attrs.get("path", "participants")
    if "participant" not in frame.columns:
        if "name" not in frame.columns:
            present = ", ".join(map(str, frame.attrs.get("headers", frame.columns))) or "none"
            raise MissingColumnError(
                f"{source}: missing column 'participant' (or a name column to use as ids; "
                f"columns present: {present})",
                source=source,
                column="participant",
            )
        frame = frame.assign(participant=frame["name"])
    if frame.empty:
        raise InputError(f"{source}: no participants (the table has no rows)", source=source)
    if blank_side not in ("error", "any"):
        raise ParameterError(
            f"invalid parameter 'blank_side': {blank_side!r} is not one of 'error', 'any'",
            parameter="blank_side",
        )
    if "side" in frame.columns:
        blank = [i for i, v in enumerate(frame["side"]) if _blank(v)]
        if blank and len(blank) < len(frame) and blank_side == "error":
            sides = sorted({str(v) for v in frame["side"] if not _blank(v)})
            raise InputError(
                f"{source}: blank side on {_where(frame, blank)} while others have sides "
                f"({', '.join(map(repr, sides))}); fill them in, or let such participants meet "
                "anyone with blank_side='any' (--blank-side any)",
                source=source,
                column="side",
            )
    return frame


def _in_file(e: TsunagimeError, frames: Mapping[str, Any]) -> TsunagimeError:
    """Restates an error about a table read from a file with its path and line."""
    frame = frames.get(e.source or "")
    if not isinstance(frame, pd.DataFrame) or "path" not in frame.attrs or e.row is None:
        return e
    lines = frame.attrs["lines"]
    line = lines[e.row] if e.row < len(lines) else e.row + 2
    header = frame.attrs.get("columns", {}).get(e.column, e.column)
    rest = str(e).split(": ", 1)[-1]
    column = f", column '{header}'" if header else ""
    e.message = f"{frame.attrs['path']}, line {line}{column}: {rest}"
    e.args = (e.message,)
    e.source, e.line, e.row = frame.attrs["path"], line, None
    return e


def schedule_meetings(
    participants: Iterable[Any] | pd.DataFrame | str | os.PathLike[str],
    scores: Any = None,
    *,
    slots: int | None = None,
    sessions: Any = None,
    tables: int | Iterable[int] | None = None,
    wishes: Any = None,
    unavailable: Any = None,
    must_meet: Any = None,
    forbidden: Any = None,
    fixed: Any = None,
    min_meetings: int = 0,
    max_meetings: int | None = None,
    sides: Mapping[Any, str] | None = None,
    blank_side: str = "error",
    time_limit: float | None = None,
    seed: int = 0,
    progress: Progress = False,
    compact: bool = True,
    idle_tolerance: float = 0.002,
    keep: Any = None,
) -> Schedule:
    """Schedules 1:1 meetings for a summit.

    Every table argument may also be a path: a CSV (UTF-8 with or without BOM, or cp932 as
    Excel in Japan saves it) or an ``.xlsx`` workbook, read by :func:`read_table` with its
    Japanese header aliases; errors then name the file, line and column.

    Parameters
    ----------
    participants : iterable of ids, DataFrame or path
        Ids (firm ids or any hashable), or a table with a ``participant`` column (or index;
        or only ``name``, which then serves as id) and optional columns ``name``,
        ``organisation``, ``prefecture``, ``contact`` (carried to every output), ``side``,
        ``min_meetings``, ``max_meetings`` and ``table`` (a table kept all day).
    scores : DataFrame or path, optional
        ``a, b, score``: scored pairs; a pair given twice (in either order) gets the sum. The
        output of ``PartnerRecommender.recommend`` (``firm_id, partner_id, score``) is
        accepted as is.
    slots : int, optional
        Number of time slots; slots are numbered from 1 in every table. Not needed with
        ``sessions``.
    sessions : DataFrame, path or list of dicts, optional
        ``session, start, slots[, minutes]`` (セッション, 開始, 枠数, 分): the slots grouped
        into named sessions in time order, e.g. a morning and an afternoon on each of two
        days, each starting at its local time with ``slots`` slots of ``minutes`` (default
        20); the breaks are the gaps between them. Slots are numbered across the sessions
        (the first session's first slot is 1); ``unavailable`` may name a session, and every
        export prints the real times and session names without ``start``.
    tables : int or list of int, optional
        Meetings possible at once, per slot (one number for all); default: unlimited.
    wishes : DataFrame or path, optional
        ``from, to, level``: directed wishes, ``level`` one of ``must``, ``want``, ``no``
        (必須, 希望, 不可) or a score ≥ 0. They combine per pair (see Notes) with ``scores``.
    unavailable : DataFrame or path, optional
        ``participant, slot`` or ``participant, session``: when a participant cannot meet, a
        slot or a whole session (a row may give either; the other cell blank).
    must_meet, forbidden : DataFrame, path or list of pairs, optional
        ``a, b``: pairs that must meet (or the error names the pair and why), pairs that
        never meet.
    fixed : DataFrame or path, optional
        ``a, b, slot``: meetings already fixed.
    min_meetings, max_meetings : int
        Defaults for participants without their own values.
    sides : mapping, optional
        Participant → side (e.g. ``"buyer"``/``"supplier"``): a two-sided event where
        only different sides meet.
    blank_side : {"error", "any"}
        A participant with a blank side in a two-sided event: an error naming the rows, or
        ``"any"``: they may meet anyone.
    time_limit : float, optional
        Seconds for the whole call: the Lagrangian bound stops at half of it, the search at
        nine tenths, compacting the agendas takes the rest (the construction always
        completes). Without it the effort is fixed by the summit's size and stops once it
        finds nothing better (the relaxation after ten steps, the search after a fifth of
        its iterations), so the same seed gives the same schedule on any machine: about
        0.2 s for 150 participants, 0.35 s for 200, 0.7 s for 1,000 and 2.8 s for 5,000
        on two cores (``bench/summit.py``).
    seed : int
        Seed of the search order: the same seed gives the same schedule when no time limit
        cuts the search short.
    progress : bool or callable
        Progress bar or callback; Ctrl-C interrupts.
    compact : bool
        Compact agendas (default): once the meetings are chosen, move them between slots so
        that participants wait less between meetings. The meetings stay, so the objective
        does not change; :attr:`Schedule.idle` counts each participant's idle slots.
        Annealing moves them first; on summits of up to 400 meetings a SAT search then
        looks for fewer idle slots and, on most summits of a few dozen participants, proves
        the fewest (then :attr:`Schedule.idle_bound` equals their total).
    idle_tolerance : float
        Share of the total score that compacting may give up for fewer idle slots (default
        0.002, 0.2%): a meeting apart from the rest of someone's agenda is dropped, or gives
        its table to a pair that fills someone's gap, the most idle slots saved per point of
        score first. Must-meet pairs and minimum meetings never give way. Summits of up to
        400 meetings only (larger ones keep every meeting); 0 keeps the meetings, and so the
        objective, exactly.
    keep : Schedule, DataFrame or path, optional
        A published schedule (its ``meetings``, or a table ``slot, table, a, b`` such as the
        ``meetings.csv`` it wrote) to re-schedule without upheaval: each of its meetings stays
        at its slot and table unless a participant left, is unavailable then, is over their
        maximum, or the pair may no longer meet; newcomers and freed slots are filled.
        :attr:`Schedule.changes` lists what was kept, moved (same slot, another table: the old
        one no longer exists) or cancelled, with the reason, and what is new.

    Returns
    -------
    Schedule

    Notes
    -----
    Re-scheduling follows what organizers need once agendas are printed ("generate for
    unbooked slots only"): kept meetings are fixed meetings, so everything else — minimum
    meetings, scores, compact agendas — works around them.

    Compact agendas follow the stand-by time event platforms minimise (b2match) and the breaks
    of Bofill et al. (2022): a participant's idle slots are the slots between their first and
    last meeting in which they are available and meet no one. A meeting moves to another slot
    where both participants and a table are free, or a Kempe chain of meetings swaps two
    slots, while that lowers the total.

    Wishes combine per unordered pair: *no* from either side forbids it; else *must* from
    either side makes it a must-meet pair; its score is the sum of both sides' wishes (*want*
    and *must* count 1, a number counts itself), so a mutual wish weighs twice a one-sided
    one. A wish that can never be met (the other said no, same side, no common free slot) is
    not enforced but listed in :attr:`Schedule.unmet_wishes` with the reason, beside the wishes
    the schedule had no room for.

    Examples
    --------
    >>> import pandas as pd
    >>> import tsunagime as tg
    >>> scores = pd.DataFrame({"a": ["Kaga", "Kaga", "Noto"], "b": ["Noto", "Wajima", "Wajima"],
    ...                        "score": [5.0, 3.0, 4.0]})
    >>> plan = tg.schedule_meetings(["Kaga", "Noto", "Wajima"], scores, slots=2, tables=1)
    >>> plan.objective, plan.upper_bound
    (9.0, 9.0)
    >>> plan.meetings.sort_values("score", ascending=False)[["a", "b", "score"]].to_numpy().tolist()
    [['Kaga', 'Noto', 5.0], ['Noto', 'Wajima', 4.0]]
    >>> plan.validate()
    []

    Wishes, as an organizer collects them:

    >>> wishes = pd.DataFrame({"from": ["Kaga", "Noto", "Wajima"], "to": ["Noto", "Kaga", "Kaga"],
    ...                        "level": ["must", "希望", "want"]})
    >>> plan = tg.schedule_meetings(["Kaga", "Noto", "Wajima"], wishes=wishes, slots=1)
    >>> plan.unmet_wishes[["from", "to", "reason"]].to_numpy().tolist()
    [['Wajima', 'Kaga', 'no_room']]

    A morning and an afternoon; Wajima comes in the afternoon only:

    >>> sessions = [{"session": "AM", "start": "2026-04-20 10:00", "slots": 2},
    ...             {"session": "PM", "start": "2026-04-20 14:00", "slots": 1, "minutes": 30}]
    >>> away = [{"participant": "Wajima", "session": "AM"}]
    >>> plan = tg.schedule_meetings(["Kaga", "Noto", "Wajima"], wishes=wishes,
    ...                             sessions=sessions, unavailable=away)
    >>> plan.agenda("Wajima")["slot"].tolist(), plan.sessions["last_slot"].tolist()
    ([3], [2, 3])
    """
    session_table = _file(sessions, "sessions")
    try:
        timing = _sessions(session_table)
    except TsunagimeError as e:
        raise _in_file(e, {"sessions": session_table}) from None
    if timing is not None:
        total = sum(s[2] for s in timing)
        if slots is not None and slots != total:
            raise ParameterError(
                f"invalid parameter 'slots': {slots}, but the sessions hold {total} slots",
                parameter="slots",
            )
        slots = total
    if slots is None:
        raise ParameterError(
            "invalid parameter 'slots': give the number of slots, or sessions",
            parameter="slots",
        )
    frames = {
        "participants": _file(participants, "participants"),
        "scores": _file(scores, "scores"),
        "wishes": _file(wishes, "wishes"),
        "unavailable": _file(unavailable, "unavailable"),
        "must_meet": _file(must_meet, "must_meet"),
        "forbidden": _file(forbidden, "forbidden"),
        "fixed": _file(fixed, "fixed"),
        "keep": keep.meetings if isinstance(keep, Schedule) else _file(keep, "keep"),
    }
    slots, seed = _whole(slots, "slots"), _whole(seed, "seed")
    min_meetings = _whole(min_meetings, "min_meetings", 0, _U32)
    if max_meetings is not None:
        max_meetings = _whole(max_meetings, "max_meetings", min_meetings, _U32)
    try:
        return _schedule(frames, slots, tables, min_meetings, max_meetings, sides, blank_side,
                         time_limit, seed, progress, compact, idle_tolerance, timing)  # fmt: skip
    except TsunagimeError as e:
        raise _in_file(e, frames) from None


def _schedule(
    frames: dict[str, Any],
    slots: int,
    tables: int | Iterable[int] | None,
    min_meetings: int,
    max_meetings: int | None,
    sides: Mapping[Any, str] | None,
    blank_side: str,
    time_limit: float | None,
    seed: int,
    progress: Progress,
    compact: bool,
    idle_tolerance: float,
    timing: list[tuple[str, str, int, int]] | None = None,
) -> Schedule:
    participants = frames["participants"]
    if isinstance(participants, pd.DataFrame):
        frame = participants
        ids_in_index = "path" not in frame.attrs  # a user's table, not a file read
        if "participant" not in frame.columns and "name" not in frame.columns and ids_in_index:
            frame = frame.reset_index()
            frame = frame.rename(columns={frame.columns[0]: "participant"})
    else:
        frame = pd.DataFrame({"participant": list(participants)})
    frame = _participants(frame, blank_side)
    ids = [str(v) for v in frame["participant"]]
    original = dict(zip(ids, frame["participant"], strict=True))

    def column(name: str, default: Any) -> list[Any]:
        if name not in frame.columns:
            return [default] * len(frame)
        return [default if _blank(v) else v for v in frame[name]]

    side_of = {str(k): str(v) for k, v in (sides or {}).items()}
    rows = []
    for i, (pid, side, lo, hi, table) in enumerate(
        zip(
            ids,
            column("side", None),
            column("min_meetings", min_meetings),
            column("max_meetings", max_meetings),
            column("table", None),
            strict=True,
        )
    ):
        side = side_of.get(pid, side)
        rows.append(
            (
                pid,
                None if side is None else str(side),
                _number(lo, "participants", i, "min_meetings", least=0),
                None if hi is None else _number(hi, "participants", i, "max_meetings", least=0),
                None if table is None else _number(table, "participants", i, "table"),
            )
        )
    people = pd.DataFrame(
        {c: [str(v) for v in column(c, "")] for c in PEOPLE}, index=pd.Index(ids, dtype=object)
    )
    score_frame = _scores(frames["scores"])
    score_rows = [
        (str(a), str(b), float(s))
        for a, b, s in zip(score_frame["a"], score_frame["b"], score_frame["score"], strict=True)
    ]
    wish = _pairs(frames["wishes"], "wishes", ("from", "to", "level"))
    wish_rows = [
        (str(a), str(b), str(level))
        for a, b, level in zip(wish["from"], wish["to"], wish["level"], strict=True)
    ]
    if tables is None:
        per_slot = [max(len(ids) // 2, 1)] * slots
    elif isinstance(tables, int | np.integer):
        per_slot = [_whole(tables, "tables", 0, _U32)] * slots
    else:
        per_slot = [_whole(t, "tables", 0, _U32) for t in tables]
    away_rows = _unavailable(frames["unavailable"], slots, timing)
    must = _pairs(frames["must_meet"], "must_meet", ("a", "b"))
    never = _pairs(frames["forbidden"], "forbidden", ("a", "b"))
    fix = _pairs(frames["fixed"], "fixed", ("a", "b", "slot"))
    published = _pairs(frames["keep"], "keep", ("a", "b", "slot", "table"))
    with reporter(progress) as callback:
        native = _native.schedule(
            rows,
            score_rows,
            int(slots),
            per_slot,
            away_rows,
            [(str(a), str(b)) for a, b in zip(must["a"], must["b"], strict=True)],
            [(str(a), str(b)) for a, b in zip(never["a"], never["b"], strict=True)],
            [
                (str(a), str(b), _slot(s, "fixed", i, slots))
                for i, (a, b, s) in enumerate(zip(fix["a"], fix["b"], fix["slot"], strict=True))
            ],
            wish_rows,
            time_limit,
            int(seed),
            callback,
            bool(compact),
            [
                (str(a), str(b), _slot(s, "keep", i, 1_000), _number(t, "keep", i, "table"))
                for i, (a, b, s, t) in enumerate(
                    zip(
                        published["a"],
                        published["b"],
                        published["slot"],
                        published["table"],
                        strict=True,
                    )
                )
            ],
            float(idle_tolerance),
        )
    return Schedule(native, original, people, wish.attrs.get("lines"), timing)


def _records(obj: Any, columns: tuple[str, ...]) -> pd.DataFrame:
    """A table from a DataFrame, a list of dicts, or a list of tuples in ``columns`` order."""
    if isinstance(obj, pd.DataFrame):
        return obj
    items = list(obj)
    if items and isinstance(items[0], Mapping):
        frame: pd.DataFrame = pd.DataFrame(items)
        return frame
    width = len(items[0]) if items else len(columns)
    rows: pd.DataFrame = pd.DataFrame(items, columns=list(columns[:width]))
    return rows


def _sessions(obj: Any) -> list[tuple[str, str, int, int]] | None:
    """The sessions as ``(name, start, slots, minutes)``, checked (names, order, overlaps)
    by the same rules the exports use, before any scheduling."""
    if obj is None:
        return None
    frame = _records(obj, ("session", "start", "slots", "minutes"))
    frame = _pairs(frame, "sessions", ("session", "start", "slots"))
    minutes = frame["minutes"] if "minutes" in frame.columns else [20] * len(frame)
    rows = []
    for i, (name, start, n, m) in enumerate(
        zip(frame["session"], frame["start"], frame["slots"], minutes, strict=True)
    ):
        rows.append(
            (
                "" if _blank(name) else str(name),
                "" if _blank(start) else str(start),
                _number(n, "sessions", i, "slots"),
                20 if _blank(m) else _number(m, "sessions", i, "minutes"),
            )
        )
    make_print(sessions=rows, timezone=None)
    return rows


def _unavailable(
    obj: Any, slots: int, timing: list[tuple[str, str, int, int]] | None
) -> list[tuple[str, int]]:
    """``(participant, slot)`` rows; a row naming a session stands for each of its slots."""
    if obj is None:
        return []
    frame = _records(obj, ("participant", "slot"))
    if "session" not in frame.columns:
        frame = _pairs(frame, "unavailable", ("participant", "slot"))
    frame = _pairs(frame, "unavailable", ("participant",))
    first: dict[str, range] = {}
    at = 0
    for name, _, n, _ in timing or []:
        first[name] = range(at, at + n)
        at += n
    slot_column = frame["slot"] if "slot" in frame.columns else [None] * len(frame)
    session_column = frame["session"] if "session" in frame.columns else [None] * len(frame)
    rows: list[tuple[str, int]] = []
    for i, (p, s, session) in enumerate(
        zip(frame["participant"], slot_column, session_column, strict=True)
    ):
        if not _blank(session) and not _blank(s):
            raise InputError(
                f"unavailable, row {i}: slot {s!r} and session {session!r}: give one of them",
                source="unavailable",
                row=i,
            )
        if not _blank(session):
            span = first.get(str(session).strip())
            if span is None:
                known = ", ".join(first) or "none: no sessions were given"
                raise InputError(
                    f"unavailable, row {i}, column 'session': unknown session {session!r} "
                    f"(sessions: {known})",
                    source="unavailable",
                    row=i,
                    column="session",
                )
            rows.extend((str(p), s) for s in span)
        elif not _blank(s):
            rows.append((str(p), _slot(s, "unavailable", i, slots)))
        else:
            raise InputError(
                f"unavailable, row {i}: neither a slot nor a session",
                source="unavailable",
                row=i,
            )
    return rows


def _number(value: Any, table: str, row: int, column: str, least: int = 1) -> int:
    """A whole number from ``least`` (a table, a count of meetings) that the core's u32 holds,
    or an error naming the row and column."""
    try:
        n = int(value)
    except (TypeError, ValueError):
        n = least - 1
    if not least <= n <= _U32 or n != value:
        why = f"is more than {_U32:,}" if n > _U32 else f"is not a number from {least}"
        raise InputError(
            f"{table}, row {row}, column '{column}': {value!r} {why}",
            source=table,
            row=row,
            column=column,
        )
    return n


class Schedule:
    """A summit schedule: meetings, agendas, quality figures and exports.

    Attributes
    ----------
    meetings : DataFrame
        ``slot`` (1-based), ``table`` (1-based), ``a``, ``b`` (participant ids), ``score``.
    objective : float
        Total score of the meetings.
    upper_bound : float
        A valid upper bound on any schedule's total score: the smaller of half the sum, over
        participants, of their best *b* pair scores (*b*: the meetings they can have) and the
        sum of the best (slots × tables) pair scores.
    gap : float
        ``(upper_bound − objective) / upper_bound``; an optimal schedule may still show a gap
        since the bound ignores how meetings must fit into slots.
    idle : Series
        Idle slots of each participant (between their first and last meeting, available,
        meeting no one); compact agendas keep them few.
    idle_bound : int
        A lower bound on the total idle slots of these meetings in any slots: the proven
        optimum (equal to ``idle.sum()``) when the exact search finished, as it does on most
        summits of a few dozen participants; else what fixed meetings and availability force
        on any schedule giving everyone as many meetings.


    Examples
    --------
    >>> import tsunagime as tg
    >>> plan = tg.schedule_meetings(**tg.summit.random_instance(12, slots=3, seed=0), tables=4)
    >>> plan
    Schedule(12 meetings over 3 slots, objective ..., meetings per participant ...)
    >>> list(plan.meetings.columns)
    ['slot', 'table', 'a', 'b', 'score']
    """

    def __init__(
        self,
        native: _native.Schedule,
        original: Mapping[str, Any],
        people: pd.DataFrame | None = None,
        wish_lines: list[int] | None = None,
        sessions: list[tuple[str, str, int, int]] | None = None,
    ) -> None:
        self._native = native
        self._sessions = sessions
        #: The sessions (``session, start, slots, minutes, first_slot, last_slot``, slots
        #: numbered from 1) when the schedule was made with ``sessions``, else None.
        self.sessions: pd.DataFrame | None = None
        if sessions is not None:
            ends = np.cumsum([s[2] for s in sessions])
            self.sessions = pd.DataFrame(
                sessions, columns=["session", "start", "slots", "minutes"]
            ).assign(first_slot=ends - [s[2] for s in sessions] + 1, last_slot=ends)
        self._original = dict(original)
        cols = native.columns()
        ids = [self._original.get(i, i) for i in native.ids()]
        lookup = np.asarray(ids, dtype=object)
        self.meetings: pd.DataFrame = pd.DataFrame(
            {
                "slot": cols["slot"].astype(np.int64) + 1,
                "table": cols["table"].astype(np.int64),
                "a": lookup[cols["a"]] if len(ids) else [],
                "b": lookup[cols["b"]] if len(ids) else [],
                "score": cols["score"],
            }
        )
        self.objective = float(cols["objective"])
        self.upper_bound = float(cols["upper_bound"])
        self.gap = float(cols["gap"])
        counts = pd.Series(cols["meetings_per_participant"], index=pd.Index(ids, dtype=object))
        self.meetings_per_participant: pd.Series = counts
        self._minimum = pd.Series(cols["min_meetings"], index=counts.index)
        #: Idle slots of each participant: slots between their first and last meeting in
        #: which they are available and meet no one.
        self.idle: pd.Series = pd.Series(cols["idle"], index=counts.index, dtype=np.int64)
        #: A lower bound on the total idle slots of any schedule giving everyone as many
        #: meetings: what fixed meetings and availability force.
        self.idle_bound = int(cols["idle_bound"])
        self._violations = list(cols["violations"])
        if people is None:
            people = pd.DataFrame({c: [""] * len(ids) for c in PEOPLE}, index=native.ids())
        self._people = people
        #: Who each participant is: ``name``, ``organisation``, ``prefecture``, ``contact``
        #: (empty text when not given), indexed by participant id.
        self.participants: pd.DataFrame = people.set_axis(counts.index)
        self._wish_lines = wish_lines
        changes = native.changes()

        where: dict[str, list[Any]] = {
            k: [] for k in ("slot_before", "table_before", "slot", "table")
        }
        for c in changes:
            for prefix, at in (("", c[4]), ("_before", c[3])):
                where["slot" + prefix].append(pd.NA if at is None else at[0] + 1)
                where["table" + prefix].append(pd.NA if at is None else at[1])
        #: What changed from a published schedule (``keep=``): ``change`` (``kept``,
        #: ``moved``, ``cancelled``, ``new``), ``a``, ``b``, ``slot_before``,
        #: ``table_before``, ``slot``, ``table`` (missing where there is none) and ``reason``.
        #: Empty when nothing was published.
        self.changes: pd.DataFrame = pd.DataFrame(
            {
                "change": pd.Categorical(
                    [c[0] for c in changes], categories=["kept", "moved", "cancelled", "new"]
                ),
                "a": [self._original.get(c[1], c[1]) for c in changes],
                "b": [self._original.get(c[2], c[2]) for c in changes],
                **{k: pd.array(v, dtype="Int64") for k, v in where.items()},
                "reason": [c[5] for c in changes],
            }
        )
        unmet = native.unmet_wishes()
        rows = [r[0] for r in unmet]
        name = self.participants["name"]
        #: Wishes not met: the wish list's ``line`` (file) or ``row``, ``from``, ``to`` with
        #: their names, ``level``, ``reason`` (``forbidden``, ``same_side``,
        #: ``no_common_slot``, ``no_room``) and ``detail`` in words.
        self.unmet_wishes: pd.DataFrame = pd.DataFrame(
            {
                "line" if wish_lines else "row": [wish_lines[r] for r in rows]
                if wish_lines
                else rows,
                "from": [self._original.get(r[1], r[1]) for r in unmet],
                "from_name": [name.get(self._original.get(r[1], r[1]), "") for r in unmet],
                "to": [self._original.get(r[2], r[2]) for r in unmet],
                "to_name": [name.get(self._original.get(r[2], r[2]), "") for r in unmet],
                "level": [r[3] for r in unmet],
                "reason": [r[4] for r in unmet],
                "detail": [r[5] for r in unmet],
            }
        )

    def label(self, participant: Any) -> str:
        """A participant as printed: name (and organisation), else the id.

        >>> import tsunagime as tg
        >>> plan = tg.schedule_meetings(["x", "y"], [("x", "y", 1.0)], slots=1)
        >>> plan.label("x")
        'x'
        """
        row = self.participants.loc[participant]
        name = row["name"] or str(participant)
        return f"{name} ({row['organisation']})" if row["organisation"] else name

    @property
    def fairness(self) -> dict[str, Any]:
        """Minimum, median and maximum meetings per participant, and who is below their
        minimum.

        Examples
        --------
        >>> import tsunagime as tg
        >>> plan = tg.schedule_meetings(**tg.summit.random_instance(12, slots=3, seed=0), tables=4)
        >>> sorted(plan.fairness)
        ['below_minimum', 'max_meetings', 'median_meetings', 'min_meetings']
        """
        c = self.meetings_per_participant
        below = c.index[c < self._minimum].tolist()
        return {
            "min_meetings": int(c.min()) if len(c) else 0,
            "median_meetings": float(c.median()) if len(c) else 0.0,
            "max_meetings": int(c.max()) if len(c) else 0,
            "below_minimum": below,
        }

    def agenda(self, participant: Any) -> pd.DataFrame:
        """One participant's meetings: ``slot, table, partner, score``.

        >>> import tsunagime as tg
        >>> plan = tg.schedule_meetings(["x", "y"], [("x", "y", 1.0)], slots=2)
        >>> plan.agenda("y")[["table", "partner", "score"]]
           table partner  score
        0      1       x    1.0
        """
        if participant not in self.meetings_per_participant.index:
            raise KeyError(f"unknown participant {participant!r}")
        m = self.meetings
        mine = m[(m["a"] == participant) | (m["b"] == participant)]
        partner = np.where(mine["a"] == participant, mine["b"], mine["a"])
        frame: pd.DataFrame = pd.DataFrame(
            {
                "slot": mine["slot"].to_numpy(),
                "table": mine["table"].to_numpy(),
                "partner": partner,
                "score": mine["score"].to_numpy(),
            }
        )
        return frame

    def validate(self) -> list[str]:
        """Every hard rule the schedule breaks, checked independently of the solver (empty
        when valid).

        Examples
        --------
        >>> import tsunagime as tg
        >>> plan = tg.schedule_meetings(**tg.summit.random_instance(12, slots=3, seed=0), tables=4)
        >>> plan.validate()
        []
        """
        return list(self._violations)

    # ------------------------------------------------------------------ exports
    def _print(
        self,
        title: str = "Summit schedule",
        start: str | None = None,
        minutes: int = 20,
        language: str = "en",
        timezone: str | None = "Asia/Tokyo",
        tables_per_page: int = 8,
    ) -> _native.Print:
        people = [
            (str(a), str(b), str(c), str(d))
            for a, b, c, d in self._people[list(PEOPLE)].itertuples(index=False)
        ]
        sessions = self._sessions if start is None else None
        return make_print(
            title, start, minutes, language, timezone, tables_per_page, people, sessions
        )

    def to_csv(
        self, path: PathLike, *, start: str | None = None, minutes: int = 20, bom: bool = True
    ) -> None:
        """Writes the meetings as CSV (``slot, start, table, a, b, score``; with names and
        organisations when known), with a UTF-8 byte-order mark so that Excel opens it in any
        locale (``bom=False`` leaves it out). Cells that begin with ``=``, ``+``, ``-`` or
        ``@`` get a leading apostrophe against formula injection.

        Examples
        --------
        >>> import tsunagime as tg
        >>> plan = tg.schedule_meetings(**tg.summit.random_instance(12, slots=3, seed=0), tables=4)
        >>> import tempfile, pathlib, pandas as pd
        >>> path = pathlib.Path(tempfile.mkdtemp()) / "meetings.csv"
        >>> plan.to_csv(path, start="2026/04/20 10:00", minutes=20)
        >>> pd.read_csv(path)["start"].iloc[0]
        '2026-04-20 10:00'
        """
        text = self._native.csv(self._print(start=start, minutes=minutes))
        _write(path, ("\ufeff" if bom else "") + text)

    def to_excel(self, path: PathLike, *, start: str | None = None, minutes: int = 20) -> None:
        """Writes the meetings as an ``.xlsx`` workbook, the same rows and columns as
        :meth:`to_csv` (needs ``openpyxl``: ``pip install "tsunagime[excel]"``).

        Examples
        --------
        >>> import tsunagime as tg
        >>> plan = tg.schedule_meetings(**tg.summit.random_instance(12, slots=3, seed=0), tables=4)
        >>> import tempfile, pathlib, pandas as pd
        >>> path = pathlib.Path(tempfile.mkdtemp()) / "meetings.xlsx"
        >>> plan.to_excel(path)
        >>> len(pd.read_excel(path)) == len(plan.meetings)
        True
        """
        import io

        text = self._native.csv(self._print(start=start, minutes=minutes))
        frame = pd.read_csv(io.StringIO(text), dtype=str, keep_default_na=False)
        for c in ("slot", "table", "score"):
            frame[c] = pd.to_numeric(frame[c])
        try:
            frame.to_excel(path, index=False, sheet_name="meetings")
        except ImportError:
            raise ImportError(
                "writing Excel needs openpyxl: pip install 'tsunagime[excel]'"
            ) from None

    def to_json(self, path: PathLike) -> None:
        """Writes figures, meetings and per-participant counts as JSON.

        Examples
        --------
        >>> import tsunagime as tg
        >>> plan = tg.schedule_meetings(**tg.summit.random_instance(12, slots=3, seed=0), tables=4)
        >>> import json, tempfile, pathlib
        >>> path = pathlib.Path(tempfile.mkdtemp()) / "schedule.json"
        >>> plan.to_json(path)
        >>> len(json.loads(path.read_text())["meetings"])
        12
        """
        _write(path, self._native.json())

    def to_ics(
        self,
        path: PathLike,
        *,
        start: str | None = None,
        minutes: int = 20,
        event: str = "Summit",
        timezone: str | None = "Asia/Tokyo",
        participant: Any = None,
    ) -> None:
        """Writes an iCalendar file: one event per meeting, or only ``participant``'s meetings
        (each named after the partner). Times carry ``timezone`` (an IANA name, with its
        VTIMEZONE; ``None``: floating local times); UIDs are stable for the same event, pair
        and slot, so a re-run updates entries instead of duplicating them. ``start`` is the
        first slot's local start, e.g. ``"2026-04-20 10:00"``; without it, the schedule's
        sessions give the times.

        Examples
        --------
        >>> import tsunagime as tg
        >>> plan = tg.schedule_meetings(**tg.summit.random_instance(12, slots=3, seed=0), tables=4)
        >>> import tempfile, pathlib
        >>> path = pathlib.Path(tempfile.mkdtemp()) / "schedule.ics"
        >>> plan.to_ics(path, start="2026-04-20T10:00", minutes=20)
        >>> text = path.read_text()
        >>> text.count("BEGIN:VEVENT"), "TZID:Asia/Tokyo" in text
        (12, True)
        """
        p = self._print(title=event, start=start, minutes=minutes, timezone=timezone)
        _write(path, self._native.ics(p, self._index(participant)))

    def to_html(
        self,
        path: PathLike,
        *,
        title: str = "Summit schedule",
        start: str | None = None,
        minutes: int = 20,
        language: str = "en",
        tables_per_page: int = 8,
        participant: Any = None,
    ) -> None:
        """Writes a printable HTML page: the slot × table grid in pages of at most
        ``tables_per_page`` tables, then one agenda per participant, each on its own printed
        page (name, organisation, time, table, partner's name and organisation, free slots);
        or, with ``participant``, that participant's agenda alone. Labels in ``language``
        (``"ja"`` or ``"en"``); every name is escaped.

        Examples
        --------
        >>> import tsunagime as tg
        >>> plan = tg.schedule_meetings(**tg.summit.random_instance(12, slots=3, seed=0), tables=4)
        >>> import tempfile, pathlib
        >>> path = pathlib.Path(tempfile.mkdtemp()) / "schedule.html"
        >>> plan.to_html(path, title="会津サミット", language="ja")
        >>> text = path.read_text()
        >>> "会津サミット" in text, 'lang="ja"' in text
        (True, True)
        """
        p = self._print(title, start, minutes, language, None, tables_per_page)
        _write(path, self._native.html(p, self._index(participant)))

    def _index(self, participant: Any) -> int | None:
        if participant is None:
            return None
        if participant not in self.meetings_per_participant.index:
            raise KeyError(f"unknown participant {participant!r}")
        return self.meetings_per_participant.index.tolist().index(participant)

    def summary(self) -> list[str]:
        """The figures an organizer reads first, one per line: meetings, score against the
        bound, meetings per participant, everyone below their minimum and every unmet wish,
        by name.

        >>> import tsunagime as tg
        >>> plan = tg.schedule_meetings(["x", "y"], [("x", "y", 1.0)], slots=1)
        >>> plan.summary()[0]
        '1 meetings; objective 1.0, upper bound 1.0, gap 0.00%'
        """
        f = self.fairness
        lines = [
            f"{len(self.meetings)} meetings; objective {self.objective:.1f}, upper bound "
            f"{self.upper_bound:.1f}, gap {100 * self.gap:.2f}%",
            f"meetings per participant: min {f['min_meetings']}, median "
            f"{f['median_meetings']:g}, max {f['max_meetings']}",
            f"below their minimum: {len(f['below_minimum'])}",
        ]
        if self.idle.sum() > 0:
            worst = int(np.argmax(self.idle.to_numpy()))
            lines.append(
                f"idle slots between meetings: {int(self.idle.sum())} in all (lower bound "
                f"{self.idle_bound}), {int((self.idle > 0).sum())} participants wait, at most "
                f"{int(self.idle.iloc[worst])} ({self.label(self.idle.index[worst])})"
            )
        else:
            lines.append("idle slots between meetings: none")
        if len(self.changes):
            n = self.changes["change"].value_counts()
            lines.append(
                f"changes from the published schedule: {n['kept']} kept, {n['moved']} moved "
                f"to another table, {n['cancelled']} cancelled, {n['new']} new"
            )
            known = self.participants.index

            def name(x: Any) -> str:
                return self.label(x) if x in known else str(x)

            changed = self.changes[self.changes["change"].isin(["moved", "cancelled"])]
            for r in changed.itertuples():
                lines.append(f"  {name(r.a)} – {name(r.b)} ({r.change}): {r.reason}")
        for p in f["below_minimum"]:
            lines.append(
                f"  {self.label(p)}: {self.meetings_per_participant[p]} of "
                f"{self._minimum[p]} meetings"
            )
        if len(self.unmet_wishes) or self._wish_lines is not None:
            lines.append(WISH_RULE)
            lines.append(f"unmet wishes: {len(self.unmet_wishes)}")
            for r in self.unmet_wishes.itertuples(index=False):
                lines.append(
                    f"  {self.label(r[1])} → {self.label(r[3])} ({r.level}): {r.reason}: {r.detail}"
                )
        return lines

    def write(
        self,
        folder: PathLike,
        *,
        title: str = "Summit schedule",
        start: str | None = None,
        minutes: int = 20,
        language: str = "en",
        timezone: str | None = "Asia/Tokyo",
        tables_per_page: int = 8,
        overwrite: bool = False,
    ) -> list[Path]:
        """Writes everything an organizer hands out to ``folder``: ``meetings.csv`` (with a
        BOM) and ``meetings.xlsx`` (when openpyxl is installed), ``schedule.json``,
        ``schedule.html`` (grid pages and every agenda), ``participants.csv``,
        ``unmet_wishes.csv``, ``changes.csv`` (after ``keep=``), ``summary.txt``, and with
        ``start`` (or the schedule's sessions) the combined ``schedule.ics``; ``agendas/``
        holds one HTML page (and with times one ``.ics``) per participant.

        A folder that already holds a schedule is refused (agendas may already be in
        participants' hands) unless ``overwrite=True``; the previous files then move to
        ``previous/<date-time>/`` beside the new ones. Returns the paths written.

        Examples
        --------
        >>> import tsunagime as tg, tempfile, pathlib
        >>> plan = tg.schedule_meetings(**tg.summit.random_instance(12, slots=3, seed=0), tables=4)
        >>> folder = pathlib.Path(tempfile.mkdtemp())
        >>> paths = plan.write(folder, start="2026-04-20 10:00")
        >>> sorted(p.name for p in paths if p.parent == folder)[:3]
        ['meetings.csv', 'meetings.xlsx', 'participants.csv']
        >>> plan.write(folder)
        Traceback (most recent call last):
        ...
        FileExistsError: ... already holds a schedule (schedule.json, ...); ...
        """
        folder = Path(folder)
        p = self._print(title, start, minutes, language, timezone, tables_per_page)
        _make_room(folder, overwrite)
        agendas = folder / "agendas"
        agendas.mkdir(parents=True, exist_ok=True)
        written = []

        def put(name: Path, text: str) -> None:
            _write(name, text)
            written.append(name)

        put(folder / "meetings.csv", "\ufeff" + self._native.csv(p))
        try:
            self.to_excel(folder / "meetings.xlsx", start=start, minutes=minutes)
            written.append(folder / "meetings.xlsx")
        except ImportError:
            pass
        put(folder / "schedule.json", self._native.json())
        put(folder / "schedule.html", self._native.html(p, None))
        timed = p.slot_label(0) is not None
        if timed:
            put(folder / "schedule.ics", self._native.ics(p, None))
        people = self.participants.assign(
            meetings=self.meetings_per_participant, min_meetings=self._minimum
        )
        people["agenda"] = [
            f"agendas/{_file_name(i, pid)}.html" for i, pid in enumerate(people.index)
        ]
        for i, pid in enumerate(people.index):
            stem = _file_name(i, pid)
            put(agendas / f"{stem}.html", self._native.html(p, i))
            if timed:
                put(agendas / f"{stem}.ics", self._native.ics(p, i))
        put(folder / "participants.csv", "\ufeff" + people.to_csv(index_label="participant"))
        put(folder / "unmet_wishes.csv", "\ufeff" + self.unmet_wishes.to_csv(index=False))
        if len(self.changes):
            put(folder / "changes.csv", "\ufeff" + self.changes.to_csv(index=False))
        put(folder / "summary.txt", "\n".join([title, *self.summary()]) + "\n")
        return written

    def __repr__(self) -> str:
        f = self.fairness
        return (
            f"Schedule({len(self.meetings)} meetings over {int(self.meetings['slot'].max() or 0)} "
            f"slots, objective {self.objective:.1f}, upper bound {self.upper_bound:.1f}, "
            f"gap {100 * self.gap:.2f}%, meetings per participant "
            f"{f['min_meetings']}–{f['max_meetings']})"
        )

    def __reduce__(self) -> tuple[Any, ...]:
        state = (
            bytes(self._native.to_bytes()),
            self._original,
            self._people,
            self._wish_lines,
            self._sessions,
        )
        return (_unpickle, state)


def _unpickle(
    data: bytes,
    original: Mapping[str, Any],
    people: pd.DataFrame | None = None,
    wish_lines: list[int] | None = None,
    sessions: list[tuple[str, str, int, int]] | None = None,
) -> Schedule:
    native = _native.Schedule.from_bytes(data)
    return Schedule(native, original, people, wish_lines, sessions)


def make_print(
    title: str = "Summit schedule",
    start: str | None = None,
    minutes: int = 20,
    language: str = "en",
    timezone: str | None = "Asia/Tokyo",
    tables_per_page: int = 8,
    people: list[tuple[str, str, str, str]] | None = None,
    sessions: list[tuple[str, str, int, int]] | None = None,
) -> _native.Print:
    """How a schedule is printed, checked before any work: ``start`` (``2026-04-20 10:00``,
    ``2026/04/20 10:00``, full-width digits too), ``minutes``, ``language``, ``timezone``
    (an IANA name; its offset on the first day serves the event) and ``tables_per_page``;
    or ``sessions`` (``(name, start, slots, minutes)`` in time order) instead of ``start``
    and ``minutes``.

    >>> make_print(start="２０２６/04/20 10:00").slot_label(1)
    '2026-04-20 10:20–10:40'
    >>> make_print(start="2026-04-31 10:00")
    Traceback (most recent call last):
    ...
    tsunagime.errors.ParameterError: invalid parameter 'start': '2026-04-31 10:00' is not ...
    """
    import datetime
    import unicodedata
    import zoneinfo

    if start is not None:
        start = unicodedata.normalize("NFKC", start)
    if sessions is not None:
        sessions = [(n, unicodedata.normalize("NFKC", s), k, m) for n, s, k, m in sessions]
    people = people or []
    minutes = _whole(minutes, "minutes", 0, _U32)
    tables_per_page = _whole(tables_per_page, "tables_per_page")
    # Checked even when no start gives times: a misspelt zone is a mistake either way.
    try:
        zone = None if timezone is None else zoneinfo.ZoneInfo(timezone)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        raise ParameterError(
            f"invalid parameter 'timezone': {timezone!r} is not a known time zone "
            "(an IANA name such as Asia/Tokyo)",
            parameter="timezone",
        ) from None
    p = _native.Print(title, start, minutes, language, people, tables_per_page, None, sessions)
    if zone is None or p.slot_label(0) is None:
        return p
    first = datetime.datetime.fromisoformat(str(p.slot_label(0))[:16]).replace(tzinfo=zone)
    offset = first.utcoffset() or datetime.timedelta(0)
    minutes_east = int(offset.total_seconds() // 60)
    where = (zone.key, minutes_east)
    return _native.Print(title, start, minutes, language, people, tables_per_page, where, sessions)


def _file_name(i: int, participant: Any) -> str:
    """``007-会津精機``: a stable, portable file name for a participant's agenda."""
    text = "".join(c if c.isalnum() or c in "-_" else "_" for c in str(participant))
    return f"{i + 1:03d}-{text[:60]}"


SCHEDULE_FILES = ("schedule.json", "meetings.csv", "schedule.html", "schedule.ics", "agendas")


def refuse_published(folder: Path) -> None:
    """A :class:`FileExistsError` when ``folder`` already holds a schedule."""
    found = [n for n in SCHEDULE_FILES if (folder / n).exists()]
    if found:
        raise FileExistsError(
            f"{folder} already holds a schedule ({', '.join(found)}); agendas may already be "
            "in participants' hands: choose another folder, or overwrite=True (--overwrite) to "
            "keep the previous files under previous/"
        )


def _make_room(folder: Path, overwrite: bool) -> None:
    """Refuses to overwrite a published schedule, or moves it to ``previous/<date-time>/``."""
    if not overwrite:
        refuse_published(folder)
    if not any((folder / n).exists() for n in SCHEDULE_FILES):
        return
    import datetime
    import shutil

    stamp = datetime.datetime.now().strftime("%Y%m%d-%H%M%S")
    keep = folder / "previous" / stamp
    keep.mkdir(parents=True, exist_ok=True)
    for name in (*SCHEDULE_FILES, "meetings.xlsx", "participants.csv", "unmet_wishes.csv",
                 "summary.txt"):  # fmt: skip
        if (folder / name).exists():
            shutil.move(str(folder / name), str(keep / name))


def _write(path: PathLike, text: str) -> None:
    with open(path, "w", encoding="utf-8", newline="") as f:
        f.write(text)
