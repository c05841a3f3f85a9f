"""Recommender benchmark: top-10 partners for every firm of the national-scale network, and
per-firm latency beside networkx's resource_allocation_index over the same 2-hop candidates.

    python bench/recommend.py                        # 1M firms for the batch, 100k for latency
    python bench/recommend.py --firms 200000 --latency-firms 20000 --queries 50

For the latency comparison networkx gets its own undirected graph built beforehand (not
timed); per query it scores every firm two steps away with resource_allocation_index and
keeps the best 10. Ours is one ``recommend([firm], k=10)`` call from Python (candidates,
features, both sides' scoring, evidence, DataFrame).

Each task runs in its own process so that its peak memory is its own.
"""

from __future__ import annotations

import argparse
import heapq
import json
import time

from _process import peak_mb, run_task


def task(name: str, n: int, queries: int) -> dict[str, float]:
    import numpy as np

    import tsunagime as tg

    net = tg.datasets.synthetic_japan(n, seed=0)
    held = peak_mb()
    if name == "batch":
        out: dict[str, float] = {"trades": net.n_trades, "peak_before_mb": held}
        for purpose in ("supplier", "customer", "research"):
            start = time.perf_counter()
            rec = tg.PartnerRecommender(purpose).fit(net)
            fitted = time.perf_counter()
            lean = rec.recommend(k=10, evidence=False)
            lean_done = time.perf_counter()
            full = rec.recommend(k=10)
            full_done = time.perf_counter()
            out[f"{purpose}_fit"] = fitted - start
            out[f"{purpose}_recommend"] = lean_done - fitted
            out[f"{purpose}_with_evidence"] = full_done - lean_done
            out[f"{purpose}_rows"] = len(full)
            del lean, full
        out["peak_mb"] = peak_mb()
        return out
    rng = np.random.default_rng(1)
    firms = rng.choice(net.firm_ids.to_numpy(), queries, replace=False)
    if name == "ours-latency":
        rec = tg.PartnerRecommender("supplier").fit(net)
        rec.recommend(firms[:1], k=10)
        start = time.perf_counter()
        for f in firms:
            rec.recommend([f], k=10)
        return {"per_firm_ms": 1000 * (time.perf_counter() - start) / queries}
    if name == "networkx-latency":
        import networkx as nx

        g = nx.Graph()
        g.add_nodes_from(net.firm_ids)
        g.add_edges_from(net.trades[["supplier", "customer"]].itertuples(index=False))
        g.add_edges_from(net.collaborations[["a", "b"]].itertuples(index=False))
        candidates = 0
        start = time.perf_counter()
        for u in firms:
            near = set(g[u])
            two_hop = {v for w in near for v in g[w]} - near - {u}
            candidates += len(two_hop)
            scores = nx.resource_allocation_index(g, [(u, v) for v in two_hop])
            heapq.nlargest(10, scores, key=lambda t: t[2])
        return {
            "per_firm_ms": 1000 * (time.perf_counter() - start) / queries,
            "candidates": candidates / queries,
        }
    raise ValueError(name)


def run(name: str, n: int, queries: int = 0) -> dict[str, float]:
    return run_task(__file__, "--task", name, "--n", str(n), "--queries", str(queries))


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    p.add_argument("--firms", type=int, default=1_000_000)
    p.add_argument("--latency-firms", type=int, default=100_000)
    p.add_argument("--queries", type=int, default=200)
    p.add_argument("--task", help=argparse.SUPPRESS)
    p.add_argument("--n", type=int, help=argparse.SUPPRESS)
    args = p.parse_args()
    if args.task:
        print(json.dumps(task(args.task, args.n, args.queries)))
        return
    r = run("batch", args.firms)
    print(
        f"top-10 partners for every firm of synthetic_japan({args.firms:,}) "
        f"({r['trades']:,.0f} trades):"
    )
    print(f"  {'purpose':<10}{'fit':>8}{'recommend':>12}{'+ evidence':>12}{'total':>9}{'rows':>13}")
    for purpose in ("supplier", "customer", "research"):
        fit, rec, ev = (r[f"{purpose}_{k}"] for k in ("fit", "recommend", "with_evidence"))
        print(
            f"  {purpose:<10}{fit:7.1f}s{rec:11.1f}s{ev:11.1f}s{fit + rec:8.1f}s"
            f"{r[f'{purpose}_rows']:13,.0f}"
        )
    print(
        f"  peak RSS {r['peak_mb']:,.0f} MiB (of which {r['peak_before_mb']:,.0f} MiB holding "
        "the network); 'total' = fit + recommend without the evidence lists"
    )
    ours = run("ours-latency", args.latency_firms, args.queries)
    ref = run("networkx-latency", args.latency_firms, args.queries)
    print(
        f"per-firm latency on synthetic_japan({args.latency_firms:,}), "
        f"{args.queries} random firms, top 10:"
    )
    print(
        f"  networkx resource_allocation_index  {ref['per_firm_ms']:8.2f} ms "
        f"({ref['candidates']:,.0f} two-hop candidates per firm)"
    )
    ratio = ref["per_firm_ms"] / ours["per_firm_ms"]
    print(
        f"  tsunagime recommend                 {ours['per_firm_ms']:8.2f} ms   "
        f"({ratio:,.1f}x faster)"
    )


if __name__ == "__main__":
    main()
