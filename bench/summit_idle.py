"""Compact agendas: idle slots with and without compaction, beside CP-SAT minimising idle slots
over the same meetings' slots and over any schedule at >= 99.5% of our objective, in one run.

    python bench/summit_idle.py                   # CP-SAT 30 s per model
    python bench/summit_idle.py --cp-sat-seconds 0
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))

from oracles.summit_references import cpsat_idle

import tsunagime as tg


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    p.add_argument("--cp-sat-seconds", type=float, default=30.0, help="0 skips CP-SAT")
    args = p.parse_args()
    # Ten small summits (every table taken in every slot, as organisers fill them) where CP-SAT
    # is the reference, and two large ones for the time.
    small = [(20, 6, 6, 0), (24, 6, 7, 1), (30, 6, 8, 0), (30, 6, 8, 5), (36, 6, 10, 2)]
    small += [(40, 6, 12, 1), (45, 8, 14, 3), (50, 8, 14, 4), (60, 8, 20, 2), (60, 6, 18, 7)]
    cases = [*small, (200, 8, 60, 3), (1_000, 10, 150, 0)]
    print(
        f"{'instance':<14}{'objective':>11}{'idle before':>13}{'after':>7}{'worst':>7}"
        f"{'s before':>10}{'s after':>9}{'CP-SAT same':>13}{'CP-SAT 99.5%':>14}"
    )
    for n, slots, tables, seed in cases:
        inst = tg.summit.random_instance(n, slots, seed=seed)
        start = time.perf_counter()
        loose = tg.schedule_meetings(**inst, tables=tables, compact=False)
        t_loose = time.perf_counter() - start
        start = time.perf_counter()
        plan = tg.schedule_meetings(**inst, tables=tables)
        t_plan = time.perf_counter() - start
        assert plan.validate() == [] and plan.objective == loose.objective
        same = free = "-"
        if args.cp_sat_seconds > 0 and n <= 60:
            pairs = list(zip(plan.meetings["a"], plan.meetings["b"], strict=True))
            best, opt = cpsat_idle(inst, tables, plan.objective, pairs, args.cp_sat_seconds)
            same = f"{best}{'*' if opt else ''}"
            best, opt = cpsat_idle(inst, tables, 0.995 * plan.objective, None, args.cp_sat_seconds)
            free = f"{best}{'*' if opt else ''}"
        label = f"{n}x{slots}x{tables}"
        print(
            f"{label:<14}{plan.objective:>11.0f}{int(loose.idle.sum()):>13}"
            f"{int(plan.idle.sum()):>7}{int(plan.idle.max()):>7}{t_loose:>10.2f}{t_plan:>9.2f}"
            f"{same:>13}{free:>14}"
        )
    print("\nCP-SAT: best found in the time limit; * = proved optimal.")


if __name__ == "__main__":
    main()
