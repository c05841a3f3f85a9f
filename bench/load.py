"""Loading benchmark: tsunagime beside networkx and igraph on the same files, in one run.

Builds the synthetic economy, writes it as CSV, then times each loader in its own process
(so that peak memory is each loader's own) and prints seconds, peak RSS and the ratios:

    python bench/load.py                 # 1M firms / ~5M trades
    python bench/load.py --firms 100000 --skip-networkx
"""

from __future__ import annotations

import argparse
import json
import tempfile
import time
from pathlib import Path

from _process import peak_mb, run_task


def task(name: str, folder: Path, n_firms: int) -> dict[str, float]:
    """Runs one loader and returns its seconds and peak memory."""
    import pandas as pd

    import tsunagime as tg

    firms_csv, trades_csv = folder / "firms.csv", folder / "trades.csv"
    if name == "synthetic":
        start = time.perf_counter()
        net = tg.datasets.synthetic_japan(n_firms, seed=0)
        seconds = time.perf_counter() - start
        return {"seconds": seconds, "peak_mb": peak_mb(), "trades": net.n_trades}
    if name == "arrays":
        trades = pd.read_csv(trades_csv)
        columns = {c: trades[c].to_numpy() for c in trades.columns}
        ids = pd.read_csv(firms_csv, usecols=["firm_id"])["firm_id"].to_numpy()
        start = time.perf_counter()
        net = tg.TradeNetwork.from_frames({"firm_id": ids}, columns)
        seconds = time.perf_counter() - start
        return {"seconds": seconds, "peak_mb": peak_mb(), "trades": net.n_trades}
    if name == "csv":
        start = time.perf_counter()
        net = tg.TradeNetwork.read_csv(firms_csv, trades_csv)
        seconds = time.perf_counter() - start
        return {"seconds": seconds, "peak_mb": peak_mb(), "trades": net.n_trades}
    if name == "networkx":
        import networkx as nx

        start = time.perf_counter()
        frame = pd.read_csv(trades_csv)
        g = nx.from_pandas_edgelist(
            frame, "supplier", "customer", edge_attr=["amount", "year"], create_using=nx.DiGraph
        )
        seconds = time.perf_counter() - start
        return {"seconds": seconds, "peak_mb": peak_mb(), "trades": g.number_of_edges()}
    if name == "igraph":
        import igraph as ig

        start = time.perf_counter()
        frame = pd.read_csv(trades_csv)
        h = ig.Graph.DataFrame(frame, directed=True, use_vids=False)
        seconds = time.perf_counter() - start
        return {"seconds": seconds, "peak_mb": peak_mb(), "trades": h.ecount()}
    raise ValueError(name)


def run(name: str, folder: Path, n_firms: int) -> dict[str, float]:
    return run_task(__file__, "--task", name, "--dir", str(folder), "--firms", str(n_firms))


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    p.add_argument("--firms", type=int, default=1_000_000)
    p.add_argument("--skip-networkx", action="store_true", help="networkx needs minutes and GBs")
    p.add_argument("--task", help=argparse.SUPPRESS)
    p.add_argument("--dir", type=Path, help=argparse.SUPPRESS)
    args = p.parse_args()
    if args.task:
        print(json.dumps(task(args.task, args.dir, args.firms)))
        return

    import tsunagime as tg

    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        net = tg.datasets.synthetic_japan(args.firms, seed=0)
        start = time.perf_counter()
        net.to_csv(folder / "firms.csv", folder / "trades.csv")
        written = time.perf_counter() - start
        size = (folder / "trades.csv").stat().st_size / 2**20
        print(f"network: {net.n_firms:,} firms, {net.n_trades:,} trades")
        print(f"wrote trades.csv ({size:.0f} MiB) in {written:.2f} s\n")
        names = ["synthetic", "arrays", "csv", "igraph"]
        if not args.skip_networkx:
            names.append("networkx")
        results = {name: run(name, folder, args.firms) for name in names}
    print(f"{'task':<44}{'seconds':>9}{'peak MiB':>10}")
    labels = {
        "synthetic": f"tsunagime synthetic_japan({args.firms:,})",
        "arrays": "tsunagime from_frames (numpy arrays)",
        "csv": "tsunagime read_csv (firms + trades)",
        "igraph": "igraph: pandas.read_csv + Graph.DataFrame",
        "networkx": "networkx: pandas.read_csv + from_pandas_edgelist",
    }
    for name, r in results.items():
        print(f"{labels[name]:<44}{r['seconds']:>9.2f}{r['peak_mb']:>10.0f}")
    ours = results["csv"]["seconds"]
    print()
    for other in ("igraph", "networkx"):
        if other in results:
            ratio = results[other]["seconds"] / ours
            print(f"CSV load: {other} takes {ratio:.1f}x as long as tsunagime read_csv")
    assert len({r["trades"] for k, r in results.items() if k != "synthetic"}) == 1, results


if __name__ == "__main__":
    main()
