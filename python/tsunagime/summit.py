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
from typing import Any

import numpy as np
import pandas as pd

from . import _tsunagime as _native
from ._network import TradeNetwork
from ._progress import Progress, reporter
from .errors import InputError, MissingColumnError
from .recommend import PartnerRecommender

__all__ = ["Schedule", "pair_scores", "random_instance", "schedule_meetings"]

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
    ids, scores, away = _native.random_summit(
        int(n), int(slots), 0, int(partners), float(unavailable), int(seed)
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
        rec = PartnerRecommender(purpose, seed=seed).fit(net)
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


def schedule_meetings(
    participants: Iterable[Any] | pd.DataFrame,
    scores: Any,
    *,
    slots: int,
    tables: int | Iterable[int] | None = None,
    unavailable: Any = None,
    must_meet: Any = None,
    forbidden: Any = None,
    fixed: Any = None,
    min_meetings: int = 0,
    max_meetings: int | None = None,
    sides: Mapping[Any, str] | None = None,
    time_limit: float | None = None,
    seed: int = 0,
    progress: Progress = False,
) -> Schedule:
    """Schedules 1:1 meetings for a summit.

    Parameters
    ----------
    participants : iterable of ids, or DataFrame
        Ids (firm ids or any hashable), or a DataFrame with a ``participant`` column (or
        index) and optional per-participant columns ``side``, ``min_meetings``,
        ``max_meetings`` and ``table`` (a table the participant keeps all day).
    scores : DataFrame
        ``a, b, score``: only listed pairs (and must-meet pairs) may meet; a pair given twice
        (in either order) gets the sum. The output of ``PartnerRecommender.recommend``
        (``firm_id, partner_id, score``) is accepted as is.
    slots : int
        Number of time slots; slots are numbered from 1 in every table.
    tables : int or list of int, optional
        Meetings possible at once, per slot (one number for all); default: unlimited.
    unavailable : DataFrame, optional
        ``participant, slot``: when a participant cannot meet.
    must_meet, forbidden : DataFrame or list of pairs, optional
        ``a, b``: pairs that must meet (or the error names the pair and why), pairs that
        never meet.
    fixed : DataFrame, optional
        ``a, b, slot``: meetings already fixed.
    min_meetings, max_meetings : int
        Defaults for participants without their own column values.
    sides : mapping, optional
        Participant → side (e.g. ``"buyer"``/``"supplier"``): a two-sided event where
        only different sides meet.
    time_limit : float, optional
        Seconds for the improvement phase (the construction always completes).
    seed : int
        Seed of the search order: the same seed gives the same schedule when no time limit
        cuts the search short.
    progress : bool or callable
        Progress bar or callback; Ctrl-C interrupts.

    Returns
    -------
    Schedule

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
    """
    if isinstance(participants, pd.DataFrame):
        frame = participants
        if "participant" not in frame.columns:
            frame = frame.reset_index()
            frame = frame.rename(columns={frame.columns[0]: "participant"})
    else:
        frame = pd.DataFrame({"participant": list(participants)})
    ids = [str(v) for v in frame["participant"]]
    original = dict(zip(ids, frame["participant"], strict=True))

    def column(name: str, default: Any) -> list[Any]:
        if name not in frame.columns:
            return [default] * len(frame)
        return [default if pd.isna(v) else v for v in frame[name]]

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
        try:
            rows.append(
                (
                    pid,
                    None if side is None else str(side),
                    int(lo),
                    None if hi is None else int(hi),
                    None if table is None else int(table),
                )
            )
        except (TypeError, ValueError) as e:
            raise InputError(f"participants, row {i}: {e}", source="participants", row=i) from None
    score_frame = _scores(scores)
    score_rows = [
        (str(a), str(b), float(s))
        for a, b, s in zip(score_frame["a"], score_frame["b"], score_frame["score"], strict=True)
    ]
    if tables is None:
        per_slot = [max(len(ids) // 2, 1)] * slots
    elif isinstance(tables, int | np.integer):
        per_slot = [int(tables)] * slots
    else:
        per_slot = [int(t) for t in tables]
    away = _pairs(unavailable, "unavailable", ("participant", "slot"))
    away_rows = [
        (str(p), _slot(s, "unavailable", i, slots))
        for i, (p, s) in enumerate(zip(away["participant"], away["slot"], strict=True))
    ]
    must = _pairs(must_meet, "must_meet", ("a", "b"))
    never = _pairs(forbidden, "forbidden", ("a", "b"))
    fix = _pairs(fixed, "fixed", ("a", "b", "slot"))
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
            time_limit,
            int(seed),
            callback,
        )
    return Schedule(native, original)


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


    Examples
    --------
    >>> import tsunagime as tg
    >>> plan = tg.schedule_meetings(**tg.summit.random_instance(12, slots=3, seed=0), tables=4)
    >>> plan
    Schedule(12 meetings over 3 slots, objective ..., meetings per participant ...)
    >>> list(plan.meetings.columns)
    ['slot', 'table', 'a', 'b', 'score']
    """

    def __init__(self, native: _native.Schedule, original: Mapping[str, Any]) -> None:
        self._native = native
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
        self._violations = list(cols["violations"])

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
    def to_csv(self, path: PathLike, *, start: str | None = None, minutes: int = 20) -> None:
        """Writes the meetings as CSV (slot, start, table, a, b, score); cells that begin
        with ``=``, ``+``, ``-`` or ``@`` get a leading apostrophe against formula injection.

        Examples
        --------
        >>> import tsunagime as tg
        >>> plan = tg.schedule_meetings(**tg.summit.random_instance(12, slots=3, seed=0), tables=4)
        >>> import tempfile, pathlib, pandas as pd
        >>> path = pathlib.Path(tempfile.mkdtemp()) / "meetings.csv"
        >>> plan.to_csv(path, start="2026-04-20T10:00", minutes=20)
        >>> pd.read_csv(path)["start"].iloc[0]
        '10:00'
        """
        _write(path, self._native.csv(start, minutes))

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
        self, path: PathLike, *, start: str, minutes: int = 20, event: str = "Summit"
    ) -> None:
        """Writes an iCalendar file, one event per meeting; UIDs are stable for the same
        event, pair and slot, so a re-run updates entries instead of duplicating them.
        ``start`` is the first slot's local start, e.g. ``"2026-04-20T10:00"``.

        Examples
        --------
        >>> import tsunagime as tg
        >>> plan = tg.schedule_meetings(**tg.summit.random_instance(12, slots=3, seed=0), tables=4)
        >>> import tempfile, pathlib
        >>> path = pathlib.Path(tempfile.mkdtemp()) / "schedule.ics"
        >>> plan.to_ics(path, start="2026-04-20T10:00", minutes=20)
        >>> path.read_text().count("BEGIN:VEVENT")
        12
        """
        _write(path, self._native.ics(start, minutes, event))

    def to_html(
        self,
        path: PathLike,
        *,
        title: str = "Summit schedule",
        start: str | None = None,
        minutes: int = 20,
    ) -> None:
        """Writes a printable HTML page: the slot × table grid and one agenda per participant
        (each on its own printed page). Every name is escaped.

        Examples
        --------
        >>> import tsunagime as tg
        >>> plan = tg.schedule_meetings(**tg.summit.random_instance(12, slots=3, seed=0), tables=4)
        >>> import tempfile, pathlib
        >>> path = pathlib.Path(tempfile.mkdtemp()) / "schedule.html"
        >>> plan.to_html(path, title="Aizu summit")
        >>> "Aizu summit" in path.read_text()
        True
        """
        _write(path, self._native.html(title, start, minutes))

    def __repr__(self) -> str:
        f = self.fairness
        return (
            f"Schedule({len(self.meetings)} meetings over {int(self.meetings['slot'].max() or 0)} "
            f"slots, objective {self.objective:.1f}, upper bound {self.upper_bound:.1f}, "
            f"gap {100 * self.gap:.2f}%, meetings per participant "
            f"{f['min_meetings']}–{f['max_meetings']})"
        )

    def __reduce__(self) -> tuple[Any, ...]:
        return (_unpickle, (bytes(self._native.to_bytes()), self._original))


def _unpickle(data: bytes, original: Mapping[str, Any]) -> Schedule:
    return Schedule(_native.Schedule.from_bytes(data), original)


def _write(path: PathLike, text: str) -> None:
    with open(path, "w", encoding="utf-8", newline="") as f:
        f.write(text)
