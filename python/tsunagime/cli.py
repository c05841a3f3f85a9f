"""The ``tsunagime`` command line.

``tsunagime demo`` builds the embedded synthetic economy and writes it, with a summary, to a
folder; ``tsunagime load`` reads CSV files and prints what was read, merged and rejected.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

from . import __version__
from . import _demo as _demo_module
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
        help="build the seeded Japan-like economy, analyse it, write everything to a folder",
        description="Builds the seeded Japan-like economy and writes its firms, trades, "
        "linkage roles, leading firms and a one-page summary per prefecture to a folder.",
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
    lines = _demo_module.run(args.out, args.firms, args.seed)
    print("\n".join(lines[:5]))
    print(f"\nwrote the demo to {args.out.resolve()}")
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
