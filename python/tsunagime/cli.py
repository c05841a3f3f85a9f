"""The ``tsunagime`` command line.

``tsunagime demo`` builds the embedded synthetic economy and writes it, with a summary, to a
folder; ``tsunagime load`` reads CSV files and prints what was read, merged and rejected.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from . import __version__
from . import _demo as _demo_module
from ._network import TradeNetwork
from ._progress import Progress
from .errors import ParameterError, TsunagimeError

#: The columns ``tsunagime load --column`` can take from other headers (``a``, ``b``: the
#: collaborations' two firms).
LOAD_COLUMNS = ("firm_id", "supplier", "customer", "amount", "year", "last_year", "a", "b")


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
    demo.add_argument(
        "--country",
        choices=["jp", "kr"],
        default="jp",
        help="Japan's 47 prefectures (default) or Korea's 17 provinces",
    )

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
    load.add_argument(
        "--unknown-firms",
        choices=["error", "drop", "add"],
        default="error",
        help="trades naming firms absent from --firms: refuse, set aside, or add them",
    )
    load.add_argument("--encoding", default="auto", help="default: auto (UTF-8, else cp932)")
    load.add_argument("--thousands", help="thousands separator in numbers, e.g. ,")
    load.add_argument("--delimiter", default=",", help="field separator (default ,)")
    load.add_argument(
        "--column",
        action="append",
        default=[],
        metavar="NAME=HEADER",
        help=f"take column NAME ({', '.join(LOAD_COLUMNS)}) from HEADER, e.g. "
        "supplier=仕入先; repeatable",
    )
    load.add_argument(
        "--save",
        type=Path,
        help="also write the network as a network file (a folder TradeNetwork.open maps)",
    )
    sched = sub.add_parser(
        "schedule",
        help="schedule 1:1 meetings of a summit from CSV or Excel files",
        description="Schedules 1:1 meetings over slots and tables from CSV (UTF-8 or "
        "Shift_JIS) or .xlsx files, and writes meetings.csv/.xlsx, schedule.html (grid pages "
        "and agendas), agendas/ (a page and a calendar per participant), schedule.ics, "
        "unmet_wishes.csv and summary.txt. Slots are numbered from 1. Japanese headers are "
        "understood (参加者, 企業名, 相手, 希望, 時間帯, …).",
    )
    files = sched.add_argument_group("input files (CSV or .xlsx)")
    files.add_argument(
        "--participants",
        type=Path,
        required=True,
        help="participant[, name, organisation, prefecture, contact, side, min_meetings, "
        "max_meetings, table]",
    )
    files.add_argument("--scores", type=Path, help="a, b, score")
    files.add_argument("--wishes", type=Path, help="from, to, level (must / want / no or a score)")
    files.add_argument(
        "--unavailable", type=Path, help="participant, slot (or session: a whole session)"
    )
    files.add_argument(
        "--sessions",
        type=Path,
        help="session, start, slots[, minutes]: named sessions in time order (a morning, an "
        "afternoon, several days); replaces --slots, --start and --minutes",
    )
    files.add_argument("--must-meet", type=Path, help="a, b")
    files.add_argument("--forbidden", type=Path, help="a, b")
    files.add_argument("--fixed", type=Path, help="a, b, slot")
    files.add_argument(
        "--keep",
        type=Path,
        help="a published meetings.csv (slot, table, a, b): its meetings stay where they can; "
        "changes.csv lists what was kept, moved, cancelled and new",
    )
    files.add_argument(
        "--encoding", default="auto", help="CSV encoding (default: auto = UTF-8, else cp932)"
    )
    files.add_argument("--sheet", help="worksheet of .xlsx files (default: the first)")
    files.add_argument(
        "--column",
        action="append",
        default=[],
        metavar="NAME=HEADER",
        help="take column NAME (participant, to, slot, …) from HEADER; repeatable",
    )
    rules = sched.add_argument_group("rules")
    rules.add_argument("--slots", type=int, help="number of slots (or give --sessions)")
    rules.add_argument("--tables", type=int, help="meetings at once per slot (default: unlimited)")
    rules.add_argument("--min-meetings", type=int, default=0)
    rules.add_argument("--max-meetings", type=int)
    rules.add_argument(
        "--blank-side",
        choices=["error", "any"],
        default="error",
        help="a blank side in a two-sided event: an error (default) or meets anyone",
    )
    rules.add_argument("--time-limit", type=float, help="seconds for the improvement phase")
    rules.add_argument("--seed", type=int, default=0)
    rules.add_argument(
        "--idle-tolerance",
        type=float,
        default=0.002,
        help="share of the score to give up for fewer idle slots (default 0.002; 0 keeps it)",
    )
    out = sched.add_argument_group("output")
    out.add_argument("--start", help="first slot's start, e.g. 2026/04/20 10:00")
    out.add_argument("--minutes", type=int, default=20, help="minutes per slot (default 20)")
    out.add_argument("--timezone", default="Asia/Tokyo", help="IANA time zone (default Asia/Tokyo)")
    out.add_argument("--language", choices=["ja", "en"], default="en", help="printed labels")
    out.add_argument("--tables-per-page", type=int, default=8, help="grid tables per printed page")
    out.add_argument("--title", default="Summit schedule")
    out.add_argument("--out", type=Path, default=Path("summit-schedule"), help="output folder")
    out.add_argument(
        "--overwrite",
        action="store_true",
        help="replace a schedule already in --out (the previous files move to previous/)",
    )
    return p


def _text_bar(stage: str, done: int, total: int) -> None:
    """A progress bar on stderr for terminals without tqdm."""
    if total:
        filled = min(30, 30 * done // total)
        line = f"\r{stage} [{'#' * filled}{'.' * (30 - filled)}] {done}/{total}"
    else:
        line = f"\r{stage}: {done}"
    print(line, end="", file=sys.stderr, flush=True)


def _progress() -> Progress:
    """tqdm's bar (else a text bar) on a terminal; nothing when stderr is a log file."""
    if not sys.stderr.isatty():
        return False
    try:
        import tqdm  # noqa: F401
    except ImportError:
        return _text_bar
    return True


def _columns(items: Sequence[str], known: Sequence[str]) -> dict[str, str]:
    """The ``--column NAME=HEADER`` options as a mapping, each NAME one of ``known``."""
    rename = {}
    for item in items:
        name, sep, header = (part.strip() for part in item.partition("="))
        if not sep or not name or not header:
            raise ParameterError(f"--column {item!r}: expected NAME=HEADER", parameter="column")
        if name not in known:
            raise ParameterError(
                f"--column {item!r}: no column {name!r} is read (known: {', '.join(known)})",
                parameter="column",
            )
        rename[name] = header
    return rename


def _check(args: argparse.Namespace) -> tuple[Any, dict[str, str]]:
    """Every setting checked before any work: the print settings and the column mapping."""
    from . import summit

    for name, least in (("slots", 1), ("tables", 1), ("minutes", 1), ("tables_per_page", 1)):
        value = getattr(args, name)
        if value is not None and value < least:
            flag = "--" + name.replace("_", "-")
            raise ParameterError(f"{flag} {value}: must be at least {least}", parameter=name)
    if args.slots is None and args.sessions is None:
        raise ParameterError("give --slots or --sessions: when the meetings happen")
    if args.sessions is not None and args.start is not None:
        raise ParameterError(
            "--start with --sessions: the sessions give the times", parameter="start"
        )
    if args.scores is None and args.wishes is None:
        raise ParameterError("give --scores or --wishes (or both): who would like to meet whom")
    known = sorted({c for kind in summit.TABLES.values() for group in kind for c in group})
    rename = _columns(args.column, known)
    printing = summit.make_print(
        args.title, args.start, args.minutes, args.language, args.timezone, args.tables_per_page
    )
    return printing, rename


def _schedule(args: argparse.Namespace) -> int:
    from . import summit

    _, rename = _check(args)
    if not args.overwrite:
        summit.refuse_published(args.out)
    read = {"encoding": args.encoding, "sheet": args.sheet, "rename": rename}
    tables: dict[str, Any] = {
        kind: summit.read_table(path, *summit.TABLES[kind], **read)
        for kind, path in (
            ("participants", args.participants),
            ("scores", args.scores),
            ("wishes", args.wishes),
            ("unavailable", args.unavailable),
            ("sessions", args.sessions),
            ("must_meet", args.must_meet),
            ("forbidden", args.forbidden),
            ("fixed", args.fixed),
            ("keep", args.keep),
        )
        if path is not None
    }
    progress = _progress()
    try:
        plan = summit.schedule_meetings(
            tables.pop("participants"),
            slots=args.slots,
            tables=args.tables,
            min_meetings=args.min_meetings,
            max_meetings=args.max_meetings,
            blank_side=args.blank_side,
            time_limit=args.time_limit,
            seed=args.seed,
            idle_tolerance=args.idle_tolerance,
            progress=progress,
            **tables,
        )
    finally:
        if progress:
            print(file=sys.stderr)
    plan.write(
        args.out,
        title=args.title,
        start=args.start,
        minutes=args.minutes,
        language=args.language,
        timezone=args.timezone,
        tables_per_page=args.tables_per_page,
        overwrite=args.overwrite,
    )
    lines = plan.summary()
    shown = lines[:40]
    print("\n".join(shown))
    if len(lines) > len(shown):
        print(f"… {len(lines) - len(shown)} more lines in summary.txt")
    print(f"wrote the schedule to {args.out.resolve()}")
    return 0


def _demo(args: argparse.Namespace) -> int:
    lines = _demo_module.run(args.out, args.firms, args.seed, args.country)
    print("\n".join(lines[:7]))
    print(f"\nwrote the demo to {args.out.resolve()}")
    return 0


def _load(args: argparse.Namespace) -> int:
    columns: dict[str, Any] = _columns(args.column, LOAD_COLUMNS)
    pair = (columns.pop("a", "a"), columns.pop("b", "b"))
    net = TradeNetwork.read_csv(
        args.firms,
        args.trades,
        args.collaborations,
        **columns,
        collaboration_columns=pair,
        delimiter=args.delimiter,
        duplicates=args.duplicates,
        self_loops=args.self_loops,
        unknown_firms=args.unknown_firms,
        encoding=args.encoding,
        thousands=args.thousands,
    )
    print(repr(net))
    print(net.report)
    if args.save is not None:
        net.save(args.save)
        print(f"saved the network file: {args.save}")
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
    except (TsunagimeError, OSError, ImportError) as e:
        print(f"tsunagime: error: {e}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("tsunagime: interrupted", file=sys.stderr)
        return 130
    except Exception as e:  # a bug: still one line, never a traceback
        print(
            f"tsunagime: internal error ({type(e).__name__}: {e}); please report it",
            file=sys.stderr,
        )
        return 1


if __name__ == "__main__":
    raise SystemExit(main())
