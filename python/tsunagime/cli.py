"""The ``tsunagime`` command line.

``tsunagime demo`` builds the embedded synthetic economy and writes it, with a summary, to a
folder; ``tsunagime load`` reads CSV files and prints what was read, merged and rejected.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

import pandas as pd

from . import __version__
from . import _demo as _demo_module
from ._network import TradeNetwork
from ._progress import Progress
from .errors import InputError, MissingColumnError, TsunagimeError


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
    sched = sub.add_parser(
        "schedule",
        help="schedule 1:1 meetings of a summit from CSV files",
        description="Schedules 1:1 meetings over slots and tables from CSV files and writes "
        "meetings.csv, schedule.json, schedule.html (grid and agendas) and, with --start, "
        "schedule.ics. Slots are numbered from 1.",
    )
    sched.add_argument(
        "--participants",
        type=Path,
        required=True,
        help="CSV: participant[, side, min_meetings, max_meetings, table]",
    )
    sched.add_argument("--scores", type=Path, required=True, help="CSV: a, b, score")
    sched.add_argument("--slots", type=int, required=True)
    sched.add_argument("--tables", type=int, help="meetings at once per slot (default: unlimited)")
    sched.add_argument("--unavailable", type=Path, help="CSV: participant, slot")
    sched.add_argument("--must-meet", type=Path, help="CSV: a, b")
    sched.add_argument("--forbidden", type=Path, help="CSV: a, b")
    sched.add_argument("--fixed", type=Path, help="CSV: a, b, slot")
    sched.add_argument("--min-meetings", type=int, default=0)
    sched.add_argument("--max-meetings", type=int)
    sched.add_argument("--start", help="first slot's start, e.g. 2026-04-20T10:00")
    sched.add_argument("--minutes", type=int, default=20, help="minutes per slot (default 20)")
    sched.add_argument("--title", default="Summit schedule")
    sched.add_argument("--time-limit", type=float, help="seconds for the improvement phase")
    sched.add_argument("--seed", type=int, default=0)
    sched.add_argument("--out", type=Path, default=Path("summit-schedule"), help="output folder")
    return p


def _read(path: Path | None, columns: tuple[str, ...]) -> pd.DataFrame | None:
    """A CSV of the schedule command, ids kept as text; errors name the file and line."""
    if path is None:
        return None
    frame = pd.read_csv(path, dtype=str, keep_default_na=False, skipinitialspace=True)
    frame.columns = [str(c).strip().lstrip("\ufeff") for c in frame.columns]
    missing = [c for c in columns if c not in frame.columns]
    if missing:
        raise MissingColumnError(
            f"{path}: missing column '{missing[0]}' (columns present: {', '.join(frame.columns)})",
            source=str(path),
            column=missing[0],
        )
    for c in frame.columns:
        frame[c] = frame[c].str.strip()
    for c in ("score", "slot", "min_meetings", "max_meetings", "table"):
        if c not in frame.columns:
            continue
        values = pd.to_numeric(frame[c].replace("", None), errors="coerce")
        bad = values.isna() & frame[c].ne("") if c != "score" else values.isna()
        if bad.any():
            i = int(bad.to_numpy().nonzero()[0][0])
            raise InputError(
                f"{path}, line {i + 2}, column '{c}': {frame[c].iloc[i]!r} is not a number",
                source=str(path),
                line=i + 2,
                column=c,
            )
        frame[c] = values
    frame.attrs["path"] = str(path)
    return frame


def _text_bar(stage: str, done: int, total: int) -> None:
    """A progress bar on stderr for terminals without tqdm."""
    if total:
        filled = min(30, 30 * done // total)
        line = f"\r{stage} [{'#' * filled}{'.' * (30 - filled)}] {done}/{total}"
    else:
        line = f"\r{stage}: {done}"
    print(line, end="", file=sys.stderr, flush=True)


def _progress() -> Progress:
    """tqdm's bar when tqdm is installed, else a text bar."""
    try:
        import tqdm  # noqa: F401
    except ImportError:
        return _text_bar
    return True


def _schedule(args: argparse.Namespace) -> int:
    from . import summit

    files = {
        "participants": _read(args.participants, ("participant",)),
        "scores": _read(args.scores, ("a", "b", "score")),
        "unavailable": _read(args.unavailable, ("participant", "slot")),
        "must_meet": _read(args.must_meet, ("a", "b")),
        "forbidden": _read(args.forbidden, ("a", "b")),
        "fixed": _read(args.fixed, ("a", "b", "slot")),
    }
    paths = {k: v.attrs["path"] for k, v in files.items() if v is not None}

    try:
        participants, scores = files["participants"], files["scores"]
        assert participants is not None and scores is not None  # required arguments
        plan = summit.schedule_meetings(
            participants,
            scores,
            slots=args.slots,
            tables=args.tables,
            unavailable=files["unavailable"],
            must_meet=files["must_meet"],
            forbidden=files["forbidden"],
            fixed=files["fixed"],
            min_meetings=args.min_meetings,
            max_meetings=args.max_meetings,
            time_limit=args.time_limit,
            seed=args.seed,
            progress=_progress(),
        )
    except TsunagimeError as e:
        raise _in_file(e, paths) from None
    finally:
        print(file=sys.stderr)
    out: Path = args.out
    out.mkdir(parents=True, exist_ok=True)
    plan.to_csv(out / "meetings.csv", start=args.start, minutes=args.minutes)
    plan.to_json(out / "schedule.json")
    plan.to_html(out / "schedule.html", title=args.title, start=args.start, minutes=args.minutes)
    if args.start:
        plan.to_ics(out / "schedule.ics", start=args.start, minutes=args.minutes, event=args.title)
    f = plan.fairness
    print(
        f"{len(plan.meetings)} meetings; objective {plan.objective:.1f}, upper bound "
        f"{plan.upper_bound:.1f}, gap {100 * plan.gap:.2f}%"
    )
    print(
        f"meetings per participant: min {f['min_meetings']}, median {f['median_meetings']:g}, "
        f"max {f['max_meetings']}; below their minimum: {len(f['below_minimum'])}"
    )
    print(f"wrote the schedule to {out.resolve()}")
    return 0


def _in_file(e: TsunagimeError, paths: dict[str, str]) -> TsunagimeError:
    """Restates an error about an input table with its file and line."""
    if e.source in paths and e.row is not None:
        rest = str(e).split(": ", 1)[-1]
        column = f", column '{e.column}'" if e.column else ""
        e.message = f"{paths[e.source]}, line {e.row + 2}{column}: {rest}"
        e.args = (e.message,)
    return e


def _demo(args: argparse.Namespace) -> int:
    lines = _demo_module.run(args.out, args.firms, args.seed)
    print("\n".join(lines[:7]))
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
        if args.command == "schedule":
            return _schedule(args)
        return _load(args)
    except (TsunagimeError, OSError) as e:
        print(f"tsunagime: error: {e}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("tsunagime: interrupted", file=sys.stderr)
        return 130


if __name__ == "__main__":
    raise SystemExit(main())
