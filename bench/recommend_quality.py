"""Recommendation quality beside the strongest simple methods, on five kinds of network.

    python bench/recommend_quality.py               # the five networks, every purpose
    python bench/recommend_quality.py --quick       # smaller networks (a minute)
    python bench/recommend_quality.py --budget 20000  # what a smaller work budget costs
    python bench/recommend_quality.py --trades edges.csv --supplier s --customer c
                                                    # a network of your own instead

Each network stands for a kind of data the recommender must hold on:

- ``japan``: the synthetic Japan economy (regions, industries, distances, years), tested on
  the links first seen in its last two years (temporal hold-out);
- ``japan-large``: the same economy five times larger, for research partners only. The
  20,000-firm economy's hold-out has about 400 new collaborations, so one of them is 0.25%
  of recall@20, and the research ratios follow the seed (0.96× to 1.31× over seeds 0 to 5);
  this one has about 2,000;
- ``keiretsu``: a tiered, hub-dominated supply network like an automotive keiretsu (a few
  hundred assemblers buying from tens to thousands of suppliers), ids only;
- ``bare``: the synthetic economy's trades with ids only (no attributes, no years);
- ``sparse``: a sparse low-degree network (one to three partners per firm), ids only;
- ``attachment``: a supply network grown by preferential attachment (networkx's bipartite
  generator, 800 customers of 12 suppliers each), where popularity is the strongest simple
  method, ids only.

The networks without years hide a seeded 20% of the links of every firm with enough
partners (5; 3 on the sparse one). ``--trades`` evaluates a supplier → customer CSV of
your own instead (any encoding ``read_csv`` reads; its ``--year`` column, if given, makes
the hold-out temporal), so the comparison can be made on data that is not in the
repository. Every method ranks all firms from its own natural
candidates (``tsunagime.recommend.evaluate``). For each network and purpose the table gives
recall@10/20, MRR and NDCG@20 of the recommender and of every baseline, then the ratio of
the recommender to the best baseline on each metric, the recommender's candidate recall
beside the best baseline's recall@200, the scoring the recommender chose and the features
that carry its weight.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))

from oracles.networks import attachment

import tsunagime as tg

METRICS = ["recall@10", "recall@20", "mrr", "ndcg@20"]


def networks(quick: bool) -> list[tuple[str, tg.TradeNetwork, tuple[str, ...], int]]:
    d = tg.datasets
    n = 8_000 if quick else 20_000
    return [
        ("japan", d.synthetic_japan(n, seed=0), ("supplier", "customer", "research"), 5),
        ("japan-large", d.synthetic_japan(5 * n, seed=0), ("research",), 5),
        (
            "keiretsu",
            d.keiretsu(300 if quick else 600, 6_000 if quick else 15_000),
            ("supplier", "customer"),
            5,
        ),
        ("bare", d.bare(d.synthetic_japan(n, seed=1)), ("supplier", "customer"), 5),
        ("sparse", d.sparse_supply(n), ("supplier", "customer"), 3),
        ("attachment", attachment(400 if quick else 800, seed=7), ("supplier", "customer"), 5),
    ]


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    p.add_argument("--quick", action="store_true", help="smaller networks")
    p.add_argument("--budget", type=int, help="the recommender's work budget per query firm")
    p.add_argument("--trades", type=Path, help="a supplier → customer CSV to evaluate instead")
    p.add_argument("--supplier", default="supplier", help="its supplier column")
    p.add_argument("--customer", default="customer", help="its customer column")
    p.add_argument("--year", help="its first-year column (default: none, a seeded hold-out)")
    p.add_argument("--min-partners", type=int, default=5, help="partners a query firm needs")
    args = p.parse_args()
    pd.set_option("display.width", 200)
    pd.set_option("display.max_columns", 20)
    summary = []
    if args.trades is None:
        suite = networks(args.quick)
    else:
        own = tg.TradeNetwork.read_csv(
            None,
            args.trades,
            supplier=args.supplier,
            customer=args.customer,
            year=args.year,
            amount=None,
            last_year=None,
        )
        suite = [(args.trades.stem, own, ("supplier", "customer"), args.min_partners)]
    for name, net, purposes, min_partners in suite:
        start = time.perf_counter()
        params = {} if args.budget is None else {"budget": args.budget}
        table = tg.recommend.evaluate(
            net, k=(10, 20, 200), purposes=purposes, min_partners=min_partners, **params
        )
        seconds = time.perf_counter() - start
        print(f"\n== {name}: {net.n_firms:,} firms, {net.n_trades:,} trades ({seconds:.0f} s)")
        for purpose in purposes:
            info = table.attrs["evaluation"][purpose]
            rows = table.loc[purpose]
            print(
                f"-- {purpose}: {info['split']}, {info['queries']:,} query firms, "
                f"{info['test_links']:,} test links"
            )
            print(rows[METRICS].round(4).to_string())
            ours = rows.loc["recommender"]
            others = rows.drop("recommender")
            ratios = {m: ours[m] / max(others[m].max(), 1e-12) for m in METRICS}
            best = {m: others[m].idxmax() for m in METRICS}
            print(
                "   ratio to the best baseline: "
                + ", ".join(f"{m} {ratios[m]:.2f}× ({best[m]})" for m in METRICS)
            )
            print(
                f"   candidate recall {ours['candidate_recall']:.3f} "
                f"(best baseline recall@200 {others['recall@200'].max():.3f})"
            )
            side = info["training"][0]
            top = ", ".join(f"{f} {w:.2f}" for f, w in list(side["importance"].items())[:4])
            print(f"   chosen: {side['chosen']}; weight: {top}")
            summary.append((name, purpose, ratios["recall@20"], ratios["mrr"]))
    print("\n== ratio to the best baseline (recall@20, MRR)")
    for name, purpose, r20, mrr in summary:
        print(f"   {name:<11} {purpose:<9} {r20:5.2f}× {mrr:5.2f}×")


if __name__ == "__main__":
    main()
