"""Summit benchmark: tsunagime's scheduler beside networkx's per-slot maximum-weight matching
and the OR-Tools CP-SAT model on the same random instances, in one run.

    python bench/summit.py                # 150 × 6 up to 5,000 × 12; CP-SAT up to 120 s each
    python bench/summit.py --cp-sat-seconds 0 --skip-large-networkx
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))

from oracles.summit_references import cpsat, networkx_per_slot

import tsunagime as tg


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    p.add_argument("--cp-sat-seconds", type=float, default=120.0, help="0 skips CP-SAT")
    p.add_argument(
        "--skip-large-networkx", action="store_true", help="networkx on 5,000 takes long"
    )
    args = p.parse_args()
    # The sizes: small summits CP-SAT solves to optimality in seconds, a large one it
    # cannot prove in two minutes, and a national one.
    cases = [
        (150, 6, 30, 0),
        (200, 8, 60, 0),
        (200, 8, 60, 1),
        (1_000, 10, 150, 0),
        (5_000, 12, 800, 1),
    ]
    print(
        f"{'instance':<18}{'tsunagime':>10}{'seconds':>9}{'gap':>8}{'idle':>7}{'bound':>7}"
        f"{'networkx/slot':>15}{'seconds':>9}{'ours/nx':>9}{'CP-SAT':>9}{'seconds':>9}"
        f"{'ours/CP-SAT':>13}"
    )
    for n, slots, tables, seed in cases:
        inst = tg.summit.random_instance(n, slots, seed=seed)
        start = time.perf_counter()
        plan = tg.schedule_meetings(**inst, tables=tables)
        ours = time.perf_counter() - start
        assert plan.validate() == []
        line = (
            f"{f'{n}x{slots}x{tables} s{seed}':<18}{plan.objective:>10.0f}{ours:>9.2f}"
            f"{100 * plan.gap:>7.2f}%{int(plan.idle.sum()):>7}{plan.idle_bound:>7}"
        )
        if n > 1_000 and args.skip_large_networkx:
            line += f"{'-':>15}{'-':>9}{'-':>9}"
        else:
            start = time.perf_counter()
            base = networkx_per_slot(inst, tables)
            nx_time = time.perf_counter() - start
            line += f"{base:>15.0f}{nx_time:>9.1f}{plan.objective / base:>9.4f}"
        if args.cp_sat_seconds > 0 and n <= 1_000:
            start = time.perf_counter()
            best, optimal = cpsat(inst, tables, time_limit=args.cp_sat_seconds)
            mark = "" if optimal else "*"
            line += (
                f"{best:>8.0f}{mark:1}{time.perf_counter() - start:>9.1f}"
                f"{plan.objective / best:>13.5f}"
            )
        print(line, flush=True)
    print(
        "gap: to tsunagime's upper bound; idle: idle slots between meetings, beside a lower "
        "bound;\nCP-SAT: its optimum, or (*) its best within --cp-sat-seconds on two workers"
    )


if __name__ == "__main__":
    main()
