"""Shock benchmark: 100 days of a Shikoku earthquake on the national-scale network, and
the criticality of firms.

    python bench/shock.py                  # 1M firms, 100 days
    python bench/shock.py --firms 200000 --days 50
    python bench/shock.py --dask           # also the two simulations on a 2-worker cluster

Prints the time of `tg.shock.simulate` (the network built beforehand), its peak memory and
the loss it finds. Runs in its own process so that the peak memory is its own.
"""

from __future__ import annotations

import argparse
import json
import sys
import time

from _process import peak_mb, run_task

SHIKOKU = {"Tokushima": 0.3, "Kagawa": 0.3, "Ehime": 0.4, "Kochi": 0.5}


def task(n: int, days: int, dask: bool) -> dict[str, float]:
    import tsunagime as tg

    net = tg.datasets.synthetic_japan(n, seed=0)
    start = time.perf_counter()
    r = tg.shock.simulate(net, SHIKOKU, days=days)
    seconds = time.perf_counter() - start
    start = time.perf_counter()
    rules = tg.shock.simulate(net, SHIKOKU, days=days, rationing="priority", substitution=1.0)
    rules_seconds = time.perf_counter() - start
    start = time.perf_counter()
    c = tg.shock.criticality(net, exact=0)
    approx = time.perf_counter() - start
    start = time.perf_counter()
    pair = tg.shock.criticality(net, c.index[:2], exact=2, days=30)
    two = time.perf_counter() - start
    on_cluster = float("nan")
    if dask:
        from tsunagime import distributed

        with distributed.local_client(n_workers=2) as client:
            start = time.perf_counter()
            got = distributed.criticality(net, c.index[:2], exact=2, days=30, client=client)
            on_cluster = time.perf_counter() - start
        assert got.equals(pair)
    regions = r.regions
    steady = float(regions["baseline"].sum()) * days
    return {
        "seconds": seconds,
        "rules_seconds": rules_seconds,
        "rules_indirect_pct": 100 * float(rules.regions["indirect"].sum()) / steady,
        "peak_mb": peak_mb(),
        "approx_seconds": approx,
        "two_exact_seconds": two,
        "two_on_cluster_seconds": on_cluster,
        "trades": net.n_trades,
        "direct_pct": 100 * float(regions["direct"].sum()) / steady,
        "indirect_pct": 100 * float(regions["indirect"].sum()) / steady,
        "outside_pct": 100 * float(regions.loc[~regions["damaged"], "loss"].sum()) / steady,
    }


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--firms", type=int, default=1_000_000)
    ap.add_argument("--days", type=int, default=100)
    ap.add_argument("--dask", action="store_true", help="also on a 2-worker LocalCluster")
    ap.add_argument("--task", action="store_true", help=argparse.SUPPRESS)
    a = ap.parse_args()
    if a.task:
        print(json.dumps(task(a.firms, a.days, a.dask)))
        return
    extra = ["--dask"] if a.dask else []
    r = run_task(__file__, "--task", "--firms", str(a.firms), "--days", str(a.days), *extra)
    print(
        f"{a.firms:,} firms, {r['trades']:,.0f} trades, {a.days} days: "
        f"{r['seconds']:.2f} s, peak {r['peak_mb']:,.0f} MiB (network included)\n"
        f"output lost: direct {r['direct_pct']:.3f}% of the steady output, indirect "
        f"{r['indirect_pct']:.3f}%, outside Shikoku {r['outside_pct']:.3f}%\n"
        f"priority rationing with full substitution: {r['rules_seconds']:.2f} s, indirect "
        f"{r['rules_indirect_pct']:.3f}%\n"
        f"criticality: approximation for every firm {r['approx_seconds']:.2f} s; "
        f"two firms simulated for 30 days {r['two_exact_seconds']:.2f} s"
    )
    if a.dask:
        print(
            f"the same two on a LocalCluster of two single-threaded workers (network "
            f"scattered to both): {r['two_on_cluster_seconds']:.2f} s, equal table"
        )


if __name__ == "__main__":
    sys.exit(main())
