"""Loading benchmark: tsunagime beside polars, igraph and networkx on the same files, in one run.

Builds the synthetic economy, writes it as CSV, and as Parquet with string ids ("F0000001"),
then times each loader in its own process (so that peak memory is each loader's own), three
times by default (``--repeat``), and prints the median run's seconds and peak RSS and the
ratios. The string-id tasks time ``from_frames`` on tables already in
memory (firm ids and the trade table): from pyarrow, from polars, and from pandas object
columns. polars' ``read_csv`` of the same files is the parse reference:

    python bench/load.py                 # 1M firms / ~5M trades
    python bench/load.py --firms 100000 --skip-networkx
    python bench/load.py --tasks open,open_lookup,open_verify,unpickle   # network files

A network file (``TradeNetwork.save``) is timed the same way: ``open`` maps it, ``open_lookup``
adds the first id lookup (which builds the id index), ``open_verify`` re-reads every byte and
rebuilds the network, and ``unpickle`` decodes the in-memory pickle of a network built from
tables (bytes, not a file).
"""

from __future__ import annotations

import argparse
import json
import os
import pickle
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from _process import peak_mb, run_task


def timed(load: Callable[[], int]) -> dict[str, float]:
    """Seconds and peak memory of ``load``, which returns how many trades it read."""
    start = time.perf_counter()
    trades = load()
    return {"seconds": time.perf_counter() - start, "peak_mb": peak_mb(), "trades": trades}


def task(name: str, folder: Path, n_firms: int) -> dict[str, float]:
    """Runs one loader and returns its seconds and peak memory."""
    import pandas as pd

    import tsunagime as tg

    firms_csv, trades_csv = folder / "firms.csv", folder / "trades.csv"
    if name == "synthetic":
        return timed(lambda: tg.datasets.synthetic_japan(n_firms, seed=0).n_trades)
    if name == "arrays":
        trades = pd.read_csv(trades_csv)
        columns = {c: trades[c].to_numpy() for c in trades.columns}
        ids = pd.read_csv(firms_csv, usecols=["firm_id"])["firm_id"].to_numpy()
        return timed(lambda: tg.TradeNetwork.from_frames({"firm_id": ids}, columns).n_trades)
    if name in ("arrow", "polars", "pandas"):
        firms_pq, trades_pq = folder / "firms.parquet", folder / "trades.parquet"
        if name == "arrow":
            import pyarrow.parquet as pq

            firms, trades = pq.read_table(firms_pq), pq.read_table(trades_pq)
        elif name == "polars":
            import polars as pl

            firms, trades = pl.read_parquet(firms_pq), pl.read_parquet(trades_pq)
        else:
            firms, trades = pd.read_parquet(firms_pq), pd.read_parquet(trades_pq)
            firms["firm_id"] = firms["firm_id"].astype(object)
            trades = trades.astype({"supplier": object, "customer": object})
        return timed(lambda: tg.TradeNetwork.from_frames(firms, trades).n_trades)
    if name == "polars_csv":
        import polars as pl

        def polars_csv() -> int:
            pl.read_csv(firms_csv)
            return len(pl.read_csv(trades_csv))

        return timed(polars_csv)
    if name == "csv":
        return timed(lambda: tg.TradeNetwork.read_csv(firms_csv, trades_csv).n_trades)
    if name == "open":
        return timed(lambda: tg.TradeNetwork.open(folder / "net").n_trades)
    if name == "open_lookup":

        def open_lookup() -> int:
            net = tg.TradeNetwork.open(folder / "net")
            net.index_of([net.firm_ids[-1]])  # builds the id index
            return net.n_trades

        return timed(open_lookup)
    if name == "open_verify":
        return timed(lambda: tg.TradeNetwork.open(folder / "net", verify=True).n_trades)
    if name == "unpickle":
        import pickle

        data = (folder / "net.pickle").read_bytes()
        return timed(lambda: pickle.loads(data).n_trades)
    if name == "networkx":
        import networkx as nx

        def networkx() -> int:
            frame = pd.read_csv(trades_csv)
            g = nx.from_pandas_edgelist(
                frame, "supplier", "customer", ["amount", "year"], create_using=nx.DiGraph
            )
            return int(g.number_of_edges())

        return timed(networkx)
    if name == "igraph":
        import igraph as ig

        def igraph() -> int:
            frame = pd.read_csv(trades_csv)
            return int(ig.Graph.DataFrame(frame, directed=True, use_vids=False).ecount())

        return timed(igraph)
    raise ValueError(name)


def _string_ids_parquet(net: object, folder: Path) -> None:
    """The network's firm ids and trades as Parquet with string ids, as a company database
    exports them."""
    import pandas as pd

    def text(ids: pd.Series) -> pd.Series:
        return "F" + ids.astype(str).str.zfill(9)

    firms = pd.DataFrame({"firm_id": text(pd.Series(net.firm_ids))})  # type: ignore[attr-defined]
    trades = net.trades  # type: ignore[attr-defined]
    trades["supplier"], trades["customer"] = text(trades["supplier"]), text(trades["customer"])
    firms.to_parquet(folder / "firms.parquet", index=False)
    trades.to_parquet(folder / "trades.parquet", index=False)


def run(name: str, folder: Path, n_firms: int, repeat: int) -> dict[str, float]:
    """The run of median time among ``repeat`` fresh processes: a first touch of memory on a
    virtual machine varies by a factor of two from one process to the next."""
    runs = [
        run_task(__file__, "--task", name, "--dir", str(folder), "--firms", str(n_firms))
        for _ in range(repeat)
    ]
    return sorted(runs, key=lambda r: r["seconds"])[len(runs) // 2]


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    p.add_argument("--firms", type=int, default=1_000_000)
    p.add_argument("--skip-networkx", action="store_true", help="networkx needs minutes and GBs")
    p.add_argument("--tasks", help="comma-separated subset of the tasks to run")
    p.add_argument("--repeat", type=int, default=3, help="processes per task (median shown)")
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
        _string_ids_parquet(net, folder)
        start = time.perf_counter()
        net.save(folder / "net")
        saved = time.perf_counter() - start
        (folder / "net.pickle").write_bytes(pickle.dumps(net))
        print(f"network: {net.n_firms:,} firms, {net.n_trades:,} trades")
        del net  # the tasks run beside this process: it holds no network while they run
        os.sync()  # the inputs are on disk before any task is timed, not written back meanwhile
        size = (folder / "trades.csv").stat().st_size / 2**20
        print(f"wrote trades.csv ({size:.0f} MiB) in {written:.2f} s")
        net_size = sum(f.stat().st_size for f in (folder / "net").iterdir()) / 2**20
        pickled = (folder / "net.pickle").stat().st_size / 2**20
        print(f"saved the network file ({net_size:.0f} MiB) in {saved:.2f} s", end="; ")
        print(f"pickle {pickled:.0f} MiB\n")
        names = ["synthetic", "arrays", "arrow", "polars", "pandas", "csv", "polars_csv", "igraph"]
        names += ["open", "open_lookup", "open_verify", "unpickle"]
        if not args.skip_networkx:
            names.append("networkx")
        if args.tasks:
            names = [n for n in names if n in args.tasks.split(",") or n == "csv"]
        results = {name: run(name, folder, args.firms, args.repeat) for name in names}
    print(f"{'task':<48}{'seconds':>9}{'peak MiB':>10}")
    labels = {
        "synthetic": f"tsunagime synthetic_japan({args.firms:,})",
        "arrays": "tsunagime from_frames (numpy arrays)",
        "arrow": "tsunagime from_frames, string ids: pyarrow",
        "polars": "tsunagime from_frames, string ids: polars",
        "pandas": "tsunagime from_frames, string ids: pandas",
        "csv": "tsunagime read_csv (firms + trades)",
        "polars_csv": "polars read_csv (firms + trades, parse only)",
        "igraph": "igraph: pandas.read_csv + Graph.DataFrame",
        "networkx": "networkx: pandas.read_csv + from_pandas_edgelist",
        "open": "tsunagime TradeNetwork.open (network file)",
        "open_lookup": "tsunagime open + first id lookup (index built)",
        "open_verify": "tsunagime open(verify=True)",
        "unpickle": "tsunagime pickle.loads (bytes in memory)",
    }
    for name, r in results.items():
        print(f"{labels[name]:<48}{r['seconds']:>9.2f}{r['peak_mb']:>10.0f}")
    ours = results["csv"]["seconds"]
    print()
    for other in ("polars_csv", "igraph", "networkx"):
        if other in results:
            ratio = results[other]["seconds"] / ours
            print(f"CSV load: {other} takes {ratio:.1f}x as long as tsunagime read_csv")
    for other in ("csv", "unpickle"):
        if "open" in results and other in results:
            ratio = results[other]["seconds"] / results["open"]["seconds"]
            print(f"{labels[other]} takes {ratio:,.0f}x as long as TradeNetwork.open")
    assert len({r["trades"] for k, r in results.items() if k != "synthetic"}) == 1, results


if __name__ == "__main__":
    main()
