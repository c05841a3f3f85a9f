"""How well criticality's fast approximation screens for the firms the simulation finds most
critical, on four structurally different networks, every firm simulated.

    python bench/criticality_screen.py            # about 3,000 firms per network
    python bench/criticality_screen.py --firms 1000 --days 20

`tg.shock.criticality` ranks every firm by an approximation and simulates only the highest
(`exact`). Here every firm is simulated, so the screen can be judged against the truth:
the rank correlation of each screen with the simulated national loss, and how far down each
screen's ranking one must go to hold the simulation's top 10 and top 20 (the `exact` that
would have found them all). The competitors are the simple screens a user would try first:
the firm's output (size) and its number of trades (degree).
"""

from __future__ import annotations

import argparse
import sys
import time

import numpy as np
import pandas as pd


def networks(n: int) -> dict[str, object]:
    """The test networks, each with what it stands for."""
    import tsunagime as tg

    return {
        # Regions, industries (inputs pooled by the supplier's industry), sales.
        "synthetic Japan": tg.datasets.synthetic_japan(n, seed=0),
        # Assemblers buying from many suppliers; ids only, so a pool per supplier.
        "keiretsu": tg.datasets.keiretsu(max(20, n // 30), n, seed=0),
        # Thin extract: one to three partners per firm, ids only.
        "sparse": tg.datasets.sparse_supply(n, seed=0, n_communities=max(10, n // 40)),
        # The synthetic economy stripped to ids: no industries, no sales.
        "bare": tg.datasets.bare(tg.datasets.synthetic_japan(n, seed=1)),
    }


def depth(screen: pd.Series, truth: pd.Series, top: int) -> int:
    """How many firms of the screen's ranking hold the truth's ``top`` highest."""
    rank = screen.rank(ascending=False, method="max")
    return int(rank[truth.nlargest(top).index].max())


def main() -> None:
    import tsunagime as tg

    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--firms", type=int, default=3_000)
    ap.add_argument("--days", type=int, default=30)
    a = ap.parse_args()
    print(
        f"every firm simulated for {a.days} days; rho: Spearman rank correlation with the "
        "simulated national loss; top-10/top-20: firms of the screen's ranking needed to hold "
        "the simulation's top 10 / top 20"
    )
    print(f"{'network':<16} {'firms':>6} {'trades':>7} {'screen':<14} {'rho':>6} "
          f"{'top-10':>7} {'top-20':>7}")  # fmt: skip
    for name, net in networks(a.firms).items():
        start = time.perf_counter()
        table = tg.shock.criticality(net, exact=0, days=a.days)
        approx_s = time.perf_counter() - start
        start = time.perf_counter()
        every = tg.shock.criticality(net, exact=net.n_firms, days=a.days)
        exact_s = time.perf_counter() - start
        truth = every["national"]
        t = net.trades
        degree = pd.concat([t["supplier"], t["customer"]]).value_counts()
        screens = {
            "approximation": table["approx_national"],
            "output": table["output"],
            "degree": degree.reindex(table.index, fill_value=0).astype(np.float64),
        }
        for label, screen in screens.items():
            screen = screen.reindex(truth.index)
            rho = screen.corr(truth, method="spearman")
            print(
                f"{name:<16} {net.n_firms:>6,} {net.n_trades:>7,} {label:<14} {rho:>6.3f} "
                f"{depth(screen, truth, 10):>7,} {depth(screen, truth, 20):>7,}"
            )
        print(f"{'':<16} approximation {approx_s:.2f} s; every firm simulated {exact_s:.1f} s")


if __name__ == "__main__":
    sys.exit(main())
