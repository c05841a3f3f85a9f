"""Compact agendas: idle slots without compaction, with every meeting kept (idle_tolerance=0)
and with the default tolerance (0.2% of the score), beside CP-SAT minimising idle slots over
the kept meetings' slots and over any schedule at >= 99.5% of our objective, in one run.

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
        f"{'instance':<14}{'objective':>11}{'idle before':>13}{'kept':>6}{'s':>6}"
        f"{'0.2%':>6}{'loss %':>8}{'s':>6}{'CP-SAT same':>13}{'CP-SAT 99.5%':>14}"
    )
    for n, slots, tables, seed in cases:
        inst = tg.summit.random_instance(n, slots, seed=seed)
        loose = tg.schedule_meetings(**inst, tables=tables, compact=False)
        start = time.perf_counter()
        kept = tg.schedule_meetings(**inst, tables=tables, idle_tolerance=0)
        t_kept = time.perf_counter() - start
        start = time.perf_counter()
        plan = tg.schedule_meetings(**inst, tables=tables)
        t_plan = time.perf_counter() - start
        assert kept.validate() == [] and plan.validate() == []
        assert kept.objective == loose.objective
        loss = 100 * (1 - plan.objective / kept.objective)
        same = free = "-"
        if args.cp_sat_seconds > 0 and n <= 60:
            pairs = list(zip(kept.meetings["a"], kept.meetings["b"], strict=True))
            best, opt = cpsat_idle(inst, tables, kept.objective, pairs, args.cp_sat_seconds)
            same = f"{best}{'*' if opt else ''}"
            best, opt = cpsat_idle(inst, tables, 0.995 * kept.objective, None, args.cp_sat_seconds)
            free = f"{best}{'*' if opt else ''}"
        label = f"{n}x{slots}x{tables}"
        print(
            f"{label:<14}{kept.objective:>11.0f}{int(loose.idle.sum()):>13}"
            f"{int(kept.idle.sum()):>6}{t_kept:>6.2f}{int(plan.idle.sum()):>6}{loss:>8.2f}"
            f"{t_plan:>6.2f}{same:>13}{free:>14}"
        )
    print("\nkept: idle_tolerance=0; 0.2%: the default, with the score it gave up (loss %).")
    print("CP-SAT: best found in the time limit; * = proved optimal.")


if __name__ == "__main__":
    main()
