"""Summit oracles: the OR-Tools CP-SAT optimum and networkx's per-slot maximum-weight
matching, on the same instances as tsunagime (installed by the test set-up).

    python tests/oracles/summit_references.py     # prints a comparison table
"""

from __future__ import annotations

from typing import Any

import networkx as nx
import pandas as pd

import tsunagime as tg


def _instance(
    inst: dict[str, Any], tables: int
) -> tuple[list[str], dict[tuple[str, str], float], set[tuple[str, int]]]:
    scores: dict[tuple[str, str], float] = {}
    for a, b, s in inst["scores"].itertuples(index=False):
        key = (min(a, b), max(a, b))
        scores[key] = scores.get(key, 0.0) + float(s)
    away = {(p, int(s) - 1) for p, s in inst["unavailable"].itertuples(index=False)}
    return list(inst["participants"]), scores, away


def _model(
    inst: dict[str, Any], tables: int, chosen: set[tuple[str, str]] | None = None
) -> tuple[Any, dict[tuple[tuple[str, str], int], Any], dict[tuple[str, int], list[Any]]]:
    """The scheduling model: a Boolean per pair and slot (only ``chosen`` pairs, each meeting
    exactly once, when given), at most one meeting per participant and slot, per pair, and
    ``tables`` per slot. Returns the model, the variables and those of each participant and
    slot."""
    from ortools.sat.python import cp_model

    _ids, scores, away = _instance(inst, tables)
    m = cp_model.CpModel()
    x: dict[tuple[tuple[str, str], int], Any] = {}
    for a, b in scores:
        if chosen is not None and (a, b) not in chosen:
            continue
        for s in range(inst["slots"]):
            if (a, s) not in away and (b, s) not in away:
                x[(a, b), s] = m.NewBoolVar(f"x_{a}_{b}_{s}")
    by_person_slot: dict[tuple[str, int], list[Any]] = {}
    by_pair: dict[tuple[str, str], list[Any]] = {}
    by_slot: dict[int, list[Any]] = {}
    for ((a, b), s), var in x.items():
        by_person_slot.setdefault((a, s), []).append(var)
        by_person_slot.setdefault((b, s), []).append(var)
        by_pair.setdefault((a, b), []).append(var)
        by_slot.setdefault(s, []).append(var)
    for group in by_person_slot.values():
        m.AddAtMostOne(group)
    for group in by_pair.values():
        if chosen is None:
            m.AddAtMostOne(group)
        else:
            m.AddExactlyOne(group)
    for group in by_slot.values():
        m.Add(sum(group) <= tables)
    return m, x, by_person_slot


def _solve(m: Any, time_limit: float, workers: int) -> tuple[float, bool]:
    from ortools.sat.python import cp_model

    solver = cp_model.CpSolver()
    solver.parameters.max_time_in_seconds = time_limit
    solver.parameters.num_workers = workers
    status = solver.Solve(m)
    return float(solver.ObjectiveValue()), status == cp_model.OPTIMAL


def cpsat(
    inst: dict[str, Any], tables: int, time_limit: float = 60.0, workers: int = 2
) -> tuple[float, bool]:
    """CP-SAT's best objective within the time limit, and whether it proved it optimal."""
    _ids, scores, _away = _instance(inst, tables)
    m, x, _ = _model(inst, tables)
    m.Maximize(sum(round(scores[p]) * v for (p, _), v in x.items()))
    return _solve(m, time_limit, workers)


def max_b_matching(inst: dict[str, Any]) -> float:
    """The most score of a set of pairs in which each participant meets at most once per slot
    it is available in (slots aside): an upper bound on any schedule, solved as an integer
    program by scipy's HiGHS."""
    import numpy as np
    from scipy.optimize import Bounds, LinearConstraint, milp
    from scipy.sparse import csr_matrix

    ids, scores, away = _instance(inst, 0)
    index = {p: i for i, p in enumerate(ids)}
    pairs = [(a, b) for (a, b), s in scores.items() if s > 0]
    weight = np.array([scores[pair] for pair in pairs])
    cap = np.array([sum((p, s) not in away for s in range(inst["slots"])) for p in ids])
    rows = [index[a] for a, _ in pairs] + [index[b] for _, b in pairs]
    columns = list(range(len(pairs))) * 2
    incidence = csr_matrix((np.ones(len(rows)), (rows, columns)), shape=(len(ids), len(pairs)))
    result = milp(
        -weight,
        constraints=LinearConstraint(incidence, 0, cap),
        integrality=np.ones(len(pairs)),
        bounds=Bounds(0, 1),
    )
    return float(-result.fun)


def cpsat_idle(
    inst: dict[str, Any],
    tables: int,
    min_score: float,
    meetings: list[tuple[str, str]] | None = None,
    time_limit: float = 30.0,
    workers: int = 2,
) -> tuple[int, bool]:
    """CP-SAT's fewest idle slots (slots between a participant's first and last meeting in
    which they are available and meet no one) over schedules scoring at least ``min_score``,
    or, with ``meetings``, over the slot assignments of exactly those meetings; and whether it
    proved the minimum."""
    ids, scores, away = _instance(inst, tables)
    slots = inst["slots"]
    chosen = None if meetings is None else {(min(a, b), max(a, b)) for a, b in meetings}
    m, x, by_person_slot = _model(inst, tables, chosen)
    m.Add(sum(round(scores[p]) * v for (p, _), v in x.items()) >= round(min_score))
    idle = []
    for v in ids:
        meet = [sum(by_person_slot.get((v, s), [])) for s in range(slots)]
        # before[s]: v meets at or before s; after[s]: at or after s.
        before = [m.NewBoolVar("") for _ in range(slots)]
        after = [m.NewBoolVar("") for _ in range(slots)]
        for s in range(slots):
            prev = before[s - 1] if s else 0
            m.Add(before[s] >= prev)
            m.Add(before[s] >= meet[s])
            m.Add(before[s] <= prev + meet[s])
            nxt = after[s + 1] if s + 1 < slots else 0
            m.Add(after[s] >= nxt)
            m.Add(after[s] >= meet[s])
            m.Add(after[s] <= nxt + meet[s])
            if (v, s) not in away:
                wait = m.NewBoolVar("")
                m.Add(wait >= before[s] + after[s] - 1 - meet[s])
                idle.append(wait)
    m.Minimize(sum(idle))
    best, optimal = _solve(m, time_limit, workers)
    return round(best), optimal


def networkx_per_slot(inst: dict[str, Any], tables: int) -> float:
    """One networkx max_weight_matching per slot on the pairs not met yet (heaviest first when
    the tables are short)."""
    _ids, scores, away = _instance(inst, tables)
    met: set[tuple[str, str]] = set()
    total = 0.0
    for s in range(inst["slots"]):
        g = nx.Graph()
        for (a, b), w in scores.items():
            if (a, b) not in met and (a, s) not in away and (b, s) not in away:
                g.add_edge(a, b, weight=w)
        matching = nx.max_weight_matching(g)
        edges = sorted(((min(a, b), max(a, b)) for a, b in matching), key=lambda e: -scores[e])
        for e in edges[:tables]:
            met.add(e)
            total += scores[e]
    return total


if __name__ == "__main__":
    rows = []
    for n, slots, tables, seed in [
        (60, 6, 10, 0),
        (100, 8, 20, 1),
        (200, 8, 40, 2),
        (200, 8, 100, 3),
    ]:
        inst = tg.summit.random_instance(n, slots, seed=seed)
        ours = tg.schedule_meetings(**inst, tables=tables)
        best, optimal = cpsat(inst, tables)
        base = networkx_per_slot(inst, tables)
        rows.append(
            {
                "instance": f"{n}x{slots}x{tables}",
                "tsunagime": ours.objective,
                "cp_sat": best,
                "cp_sat_optimal": optimal,
                "ours/cp_sat": ours.objective / best,
                "networkx/cp_sat": base / best,
            }
        )
    print(pd.DataFrame(rows).to_string(index=False))
