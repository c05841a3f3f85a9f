"""Summit benchmark: tsunagime's scheduler beside networkx's per-slot maximum-weight matching
and the OR-Tools CP-SAT model on the same random instances, in one run.

    python bench/summit.py                # 1,000 × 10 and 5,000 × 12, CP-SAT 120 s on the first
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
    cases = [(1_000, 10, 150, 0), (5_000, 12, 800, 1)]
    print(
        f"{'instance':<16}{'tsunagime':>12}{'seconds':>9}{'gap to bound':>14}"
        f"{'networkx/slot':>15}{'seconds':>9}{'ours/nx':>9}"
    )
    for n, slots, tables, seed in cases:
        inst = tg.summit.random_instance(n, slots, seed=seed)
        start = time.perf_counter()
        plan = tg.schedule_meetings(**inst, tables=tables)
        ours = time.perf_counter() - start
        assert plan.validate() == []
        label = f"{n}x{slots}x{tables}"
        if n > 1_000 and args.skip_large_networkx:
            print(f"{label:<16}{plan.objective:>12.0f}{ours:>9.2f}{100 * plan.gap:>13.2f}%")
            continue
        start = time.perf_counter()
        base = networkx_per_slot(inst, tables)
        nx_time = time.perf_counter() - start
        print(
            f"{label:<16}{plan.objective:>12.0f}{ours:>9.2f}{100 * plan.gap:>13.2f}%"
            f"{base:>15.0f}{nx_time:>9.1f}{plan.objective / base:>9.4f}"
        )
    if args.cp_sat_seconds > 0:
        n, slots, tables, seed = cases[0]
        inst = tg.summit.random_instance(n, slots, seed=seed)
        plan = tg.schedule_meetings(**inst, tables=tables)
        best, optimal = cpsat(inst, tables, time_limit=args.cp_sat_seconds)
        state = "optimal" if optimal else f"best in {args.cp_sat_seconds:.0f} s"
        print(
            f"CP-SAT on {n}x{slots}x{tables}: {best:.0f} ({state}); tsunagime {plan.objective:.0f} "
            f"= {plan.objective / best:.4f} of it"
        )


if __name__ == "__main__":
    main()
