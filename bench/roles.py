"""Roles benchmark: tsunagime beside R sna (brokerage) and bctpy (cartography) on the same
networks in one run, and all five role functions on the national-scale network.

    python bench/roles.py                      # sna on 100k firms, bctpy on 4k, roles on 1M
    python bench/roles.py --sna-firms 20000 --bctpy-firms 2000 --firms 200000

bctpy builds dense N x N matrices and an N x N matrix product per call (time ~ N^3, 13 s at
N = 2,000 here), so 4,000 firms is the largest size it handles in minutes.

Each task runs in its own process so that its peak memory is its own.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import tempfile
import time
from pathlib import Path

from _process import peak_mb, run_task

R_TIMED = r"""
suppressPackageStartupMessages(library(sna))
args <- commandArgs(trailingOnly = TRUE)
e <- read.csv(file.path(args[1], "edges.csv"))
cl <- as.character(read.csv(file.path(args[1], "classes.csv"), colClasses = "character")$cl)
g <- cbind(e$snd, e$rec, rep(1, nrow(e)))
attr(g, "n") <- length(cl)
t <- system.time(b <- brokerage(g, cl))[["elapsed"]]
cat(sprintf('{"seconds": %.3f, "total": %.0f}\n', t, b$raw.gli[6]))
"""


def task(name: str, n: int) -> dict[str, float]:
    import numpy as np

    import tsunagime as tg

    net = tg.datasets.synthetic_japan(n, seed=0)
    if name == "ours-brokerage":
        start = time.perf_counter()
        b = tg.roles.brokerage_summary(net)
        return {"seconds": time.perf_counter() - start, "total": float(b.loc["total", "raw"])}
    if name == "sna-brokerage":
        with tempfile.TemporaryDirectory() as tmp:
            folder = Path(tmp)
            t = net.trades
            import pandas as pd

            edges = pd.DataFrame(
                {"snd": net.index_of(t["supplier"]) + 1, "rec": net.index_of(t["customer"]) + 1}
            )
            edges.to_csv(folder / "edges.csv", index=False)
            pd.DataFrame({"cl": net.firms["prefecture"].astype(str)}).to_csv(
                folder / "classes.csv", index=False
            )
            (folder / "t.R").write_text(R_TIMED)
            out = subprocess.run(
                ["Rscript", str(folder / "t.R"), str(folder)],
                capture_output=True,
                text=True,
                check=True,
            )
        result: dict[str, float] = json.loads(out.stdout.strip().splitlines()[-1])
        return result
    if name == "ours-cartography":
        start = time.perf_counter()
        c = tg.roles.cartography(net)
        return {"seconds": time.perf_counter() - start, "p_sum": float(c["participation"].sum())}
    if name == "bctpy-cartography":
        import bct

        t = net.trades
        w = np.zeros((n, n))
        w[net.index_of(t["supplier"]), net.index_of(t["customer"])] = 1.0
        ci = net.firms["prefecture"].cat.codes.to_numpy() + 1
        start = time.perf_counter()
        p = bct.participation_coef(w, ci, degree="out")
        bct.module_degree_zscore(w, ci, flag=1)
        return {
            "seconds": time.perf_counter() - start,
            "p_sum": float(np.nansum(p)),
            "peak_mb": peak_mb(),
        }
    if name == "all-roles":
        before = peak_mb()
        times = {}
        start = time.perf_counter()
        for label, f in (
            ("linkage", lambda: tg.linkage(net)),
            ("brokerage", lambda: tg.brokerage(net)),
            ("cartography", lambda: tg.cartography(net)),
            ("ripple", lambda: tg.ripple(net)),
            ("select_leading_firms", lambda: tg.select_leading_firms(net)),
        ):
            t0 = time.perf_counter()
            f()
            times[label] = time.perf_counter() - t0
        total = time.perf_counter() - start
        return {
            "seconds": total,
            "peak_mb": peak_mb(),
            "peak_before_mb": before,
            **times,
            "trades": net.n_trades,
        }
    raise ValueError(name)


def run(name: str, n: int) -> dict[str, float]:
    return run_task(__file__, "--task", name, "--n", str(n))


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    p.add_argument("--sna-firms", type=int, default=100_000)
    p.add_argument("--bctpy-firms", type=int, default=4_000)
    p.add_argument("--firms", type=int, default=1_000_000)
    p.add_argument("--skip-sna", action="store_true")
    p.add_argument("--skip-bctpy", action="store_true")
    p.add_argument("--task", help=argparse.SUPPRESS)
    p.add_argument("--n", type=int, help=argparse.SUPPRESS)
    args = p.parse_args()
    if args.task:
        print(json.dumps(task(args.task, args.n)))
        return
    if not args.skip_sna:
        ours, ref = run("ours-brokerage", args.sna_firms), run("sna-brokerage", args.sna_firms)
        assert ours["total"] == ref["total"], (ours, ref)
        print(f"brokerage on synthetic_japan({args.sna_firms:,}), 47 prefectures:")
        print(f"  R sna::brokerage  {ref['seconds']:9.2f} s")
        ratio = ref["seconds"] / ours["seconds"]
        print(f"  tsunagime         {ours['seconds']:9.3f} s   ({ratio:,.0f}x faster)")
    if not args.skip_bctpy:
        ours, ref = (
            run("ours-cartography", args.bctpy_firms),
            run("bctpy-cartography", args.bctpy_firms),
        )
        assert abs(ours["p_sum"] - ref["p_sum"]) < 1e-6 * max(1.0, ref["p_sum"]), (ours, ref)
        size = f"synthetic_japan({args.bctpy_firms:,})"
        print(f"cartography on {size} (bctpy dense, peak {ref['peak_mb']:,.0f} MiB):")
        print(f"  bctpy             {ref['seconds']:9.2f} s")
        ratio = ref["seconds"] / ours["seconds"]
        print(f"  tsunagime         {ours['seconds']:9.3f} s   ({ratio:,.0f}x faster)")
    r = run("all-roles", args.firms)
    print(
        f"all five role functions on synthetic_japan({args.firms:,}) ({r['trades']:,.0f} trades):"
    )
    for label in ("linkage", "brokerage", "cartography", "ripple", "select_leading_firms"):
        print(f"  {label:<22}{r[label]:7.2f} s")
    print(
        f"  {'together':<22}{r['seconds']:7.2f} s   peak RSS {r['peak_mb']:,.0f} MiB "
        f"(of which {r['peak_before_mb']:,.0f} MiB holding the network)"
    )


if __name__ == "__main__":
    main()
