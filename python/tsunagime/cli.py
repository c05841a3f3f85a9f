"""The ``tsunagime`` command line.

``tsunagime demo`` builds the embedded synthetic economy and writes it, with a summary, to a
folder; ``tsunagime load`` reads CSV files and prints what was read, merged and rejected.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections.abc import Sequence
from pathlib import Path

from . import __version__, datasets
from ._network import TradeNetwork
from .errors import TsunagimeError


def _parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="tsunagime",
        description="Regional-economy network analysis and business matching.",
    )
    p.add_argument("--version", action="version", version=f"tsunagime {__version__}")
    sub = p.add_subparsers(dest="command", required=True, metavar="COMMAND")

    demo = sub.add_parser(
        "demo",
        help="build the seeded Japan-like economy and write it with a summary",
        description="Builds the seeded Japan-like economy and writes firms, trades, "
        "collaborations and a summary to a folder.",
    )
    demo.add_argument("--out", type=Path, default=Path("tsunagime-demo"), help="output folder")
    demo.add_argument("--firms", type=int, default=50_000, help="number of firms (default 50,000)")
    demo.add_argument("--seed", type=int, default=0, help="random seed (default 0)")

    load = sub.add_parser(
        "load",
        help="read CSV files and report what was read, merged and rejected",
        description="Reads a network from CSV files and prints the load report.",
    )
    load.add_argument(
        "--trades", type=Path, required=True, help="trades CSV (supplier, customer, …)"
    )
    load.add_argument("--firms", type=Path, help="firms CSV (firm_id, …); inferred when absent")
    load.add_argument("--collaborations", type=Path, help="collaborations CSV (a, b, year)")
    load.add_argument("--duplicates", choices=["sum", "max", "first", "error"], default="sum")
    load.add_argument("--self-loops", choices=["error", "drop"], default="error")
    return p


def _demo(args: argparse.Namespace) -> int:
    out: Path = args.out
    out.mkdir(parents=True, exist_ok=True)
    start = time.perf_counter()
    net = datasets.synthetic_japan(args.firms, seed=args.seed)
    built = time.perf_counter() - start
    net.to_csv(out / "firms.csv", out / "trades.csv", out / "collaborations.csv")
    figures = datasets.calibration(net, seed=args.seed)
    figures.to_frame().to_csv(out / "calibration.csv", index_label="figure")
    firms = net.firms
    by_pref = firms.groupby("prefecture", observed=True).agg(
        firms=("sales", "size"), sales=("sales", "sum"), employees=("employees", "sum")
    )
    by_pref.sort_values("firms", ascending=False).to_csv(out / "prefectures.csv")
    summary = {
        "network": repr(net),
        "seed": args.seed,
        "seconds_to_build": round(built, 3),
        "calibration": {k: (v if isinstance(v, str) else float(v)) for k, v in figures.items()},
    }
    (out / "summary.json").write_text(json.dumps(summary, indent=2, ensure_ascii=False) + "\n")
    lines = [
        "tsunagime demo: a seeded Japan-like economy",
        "",
        repr(net),
        f"built in {built:.2f} s (seed {args.seed})",
        "",
        "calibration figures:",
        *(
            f"  {k:<30} {v if isinstance(v, str) else f'{float(v):.4g}'}"
            for k, v in figures.items()
        ),
        "",
        "files: firms.csv, trades.csv, collaborations.csv, prefectures.csv, calibration.csv, "
        "summary.json",
    ]
    (out / "summary.txt").write_text("\n".join(lines) + "\n")
    print("\n".join(lines[:4]))
    print(f"\nwrote the demo to {out.resolve()}")
    return 0


def _load(args: argparse.Namespace) -> int:
    net = TradeNetwork.read_csv(
        args.firms,
        args.trades,
        args.collaborations,
        duplicates=args.duplicates,
        self_loops=args.self_loops,
    )
    print(repr(net))
    print(net.report)
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    """Runs the command line; returns the exit status (2 for bad input)."""
    args = _parser().parse_args(argv)
    try:
        if args.command == "demo":
            return _demo(args)
        return _load(args)
    except (TsunagimeError, OSError) as e:
        print(f"tsunagime: error: {e}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("tsunagime: interrupted", file=sys.stderr)
        return 130


if __name__ == "__main__":
    raise SystemExit(main())
