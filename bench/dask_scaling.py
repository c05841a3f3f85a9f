"""All-firm recommendations on a Dask LocalCluster: one worker against two, beside one process.

    python bench/dask_scaling.py                       # 200,000 firms, supplier purpose
    python bench/dask_scaling.py --firms 1000000 --purpose customer
    python bench/dask_scaling.py --firms 1000000 --sample 20000 --network-file

One run prints, on the same fitted recommender and the same firms:

- the in-process call (``recommender.recommend``, Rust threads on every core);
- ``tsunagime.distributed.recommend`` on a LocalCluster of one and of two single-threaded
  worker processes, each time with the time to scatter the recommender (with its network)
  to the workers, the speed-up of two workers over one, and each worker's peak resident
  memory;
- what a network costs to move: its pickled size, the time to pickle and to unpickle it,
  beside reading the same network from CSV files and opening it from a network file.

``--network-file`` fits on the network opened from a network file, so that the recommender
reaches the workers as the file's path and its own model (each worker maps the file);
``--sample N`` asks for N firms spread over the network instead of all of them.

Every distributed result is checked equal to the in-process one.
"""

from __future__ import annotations

import argparse
import pickle
import resource
import tempfile
import time
from pathlib import Path
from typing import Any

import pandas as pd

import tsunagime as tg
from tsunagime import distributed


def _peak_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    p.add_argument("--firms", type=int, default=200_000)
    p.add_argument("--purpose", default="supplier")
    p.add_argument("--k", type=int, default=10)
    p.add_argument("--sample", type=int, help="recommend for this many firms (default: all)")
    p.add_argument("--budget", type=int, help="the recommender's work budget")
    p.add_argument("--network-file", action="store_true", help="fit on an opened network file")
    args = p.parse_args()

    net = tg.datasets.synthetic_japan(args.firms, seed=0)
    print(f"{net.n_firms:,} firms, {net.n_trades:,} trades; purpose {args.purpose}, k={args.k}")
    tmp = tempfile.TemporaryDirectory()
    fitted_on = net
    if args.network_file:
        net.save(Path(tmp.name) / "net")
        fitted_on = tg.TradeNetwork.open(Path(tmp.name) / "net")
    options = {} if args.budget is None else {"budget": args.budget}
    start = time.perf_counter()
    rec = tg.PartnerRecommender(args.purpose, **options).fit(fitted_on)
    print(f"fit (in process): {time.perf_counter() - start:.1f} s")
    print(f"the recommender pickles to {len(pickle.dumps(rec)) / 2**20:,.1f} MiB")
    firms = None
    if args.sample:
        firms = list(net.firm_ids[:: max(1, net.n_firms // args.sample)][: args.sample])

    start = time.perf_counter()
    expected = rec.recommend(firms, k=args.k, evidence=False)
    local = time.perf_counter() - start
    print(f"recommend, in process (all cores): {local:.1f} s, {len(expected):,} rows")

    seconds: dict[int, float] = {}
    for workers in (1, 2):
        with distributed.local_client(n_workers=workers) as client:
            start = time.perf_counter()
            client.scatter([rec], broadcast=True, hash=False)
            scatter = time.perf_counter() - start
            start = time.perf_counter()
            got = distributed.recommend(rec, firms, k=args.k, client=client, evidence=False)
            seconds[workers] = time.perf_counter() - start
            peaks: dict[str, Any] = client.run(_peak_mib)
        pd.testing.assert_frame_equal(got, expected)
        memory = ", ".join(f"{v:,.0f}" for v in peaks.values())
        print(
            f"distributed, {workers} worker(s): {seconds[workers]:.1f} s "
            f"(scatter alone {scatter:.1f} s); peak memory per worker {memory} MiB; equal rows"
        )
    print(f"speed-up of 2 workers over 1: {seconds[1] / seconds[2]:.2f}×")

    start = time.perf_counter()
    data = pickle.dumps(net)
    dumped = time.perf_counter() - start
    start = time.perf_counter()
    pickle.loads(data)
    loaded = time.perf_counter() - start
    with tempfile.TemporaryDirectory() as folder:
        firms_csv, trades_csv = Path(folder) / "firms.csv", Path(folder) / "trades.csv"
        net.to_csv(firms_csv, trades_csv)
        start = time.perf_counter()
        tg.TradeNetwork.read_csv(firms_csv, trades_csv)
        csv = time.perf_counter() - start
        net.save(Path(folder) / "net")
        start = time.perf_counter()
        tg.TradeNetwork.open(Path(folder) / "net")
        opened = time.perf_counter() - start
    print(
        f"network: pickled {len(data) / 2**20:,.0f} MiB ({len(data) / net.n_trades:.0f} bytes "
        f"per trade) in {dumped:.2f} s, unpickled in {loaded:.2f} s; read_csv {csv:.2f} s; "
        f"TradeNetwork.open {opened:.3f} s"
    )
    tmp.cleanup()


if __name__ == "__main__":
    main()
