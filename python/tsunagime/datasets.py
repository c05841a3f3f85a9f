"""Datasets: a seeded, Japan-like regional economy, the figures that describe its shape, and
the 47 prefectures (JIS codes, names, capitals) for mapping real data."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, Literal

import pandas as pd

from . import _progress
from . import _tsunagime as _native
from ._network import LoadReport, TradeNetwork
from ._progress import Progress

__all__ = ["calibration", "prefecture_of", "prefectures", "synthetic_japan"]


def synthetic_japan(
    n_firms: int = 10_000,
    seed: int = 0,
    *,
    start_year: int = 2016,
    end_year: int = 2019,
    mean_degree: float = 5.0,
    survival: float = 0.92,
    local_share: float = 0.85,
    copy_share: float = 0.5,
    copy_share_new: float = 0.6,
    collaboration_rate: float = 0.02,
    progress: Progress = False,
) -> TradeNetwork:
    """A seeded Japan-like economy: 47 real prefectures, 20 industries, four years.

    Firms sit in the real prefectures in proportion to real firm counts (Tokyo ≈ 17%,
    Osaka ≈ 7%, Aichi ≈ 6%), around the prefectural capitals, with one of 20 industries,
    Pareto sizes and a panel of ``sales_<year>``, ``employees_<year>`` and
    ``operating_profit_<year>`` (plus ``sales``, ``employees``, ``operating_profit`` of the
    last year, in million yen). Suppliers are found by industry propensity, geography (mostly
    in the own prefecture, else by gravity; large firms nationwide) and attractiveness, or by
    copying a peer's supplier; each year links survive with probability ``survival`` and lost
    suppliers are replaced by the same mechanisms. The result has heavy-tailed degrees
    (customer counts heavier than supplier counts), a median partner distance of a few tens
    of km, disassortative mixing, few triangles and many 4-cycles. :func:`calibration`
    measures all of this; ``docs/calibration.md`` lists the targets and their sources.

    Parameters
    ----------
    n_firms : int
        Number of firms (1 to 50 million).
    seed : int
        Random seed: the same seed gives the same economy, on every machine.
    start_year, end_year : int
        The years of the panel (inclusive).
    mean_degree : float
        Trade rows (links ever observed) per firm over the panel.
    survival : float
        Probability that a link active in one year is active the next.
    local_share : float
        Probability that a regional supplier search stays in the firm's own prefecture.
    copy_share, copy_share_new : float
        Share of initial, and of later new, links formed by copying a peer's supplier.
    collaboration_rate : float
        Joint-research collaborations per firm.
    progress : bool or callable
        ``True`` shows a progress bar (needs ``tqdm``); a callable receives
        ``(stage, done, total)``. Ctrl-C stops the generation with ``KeyboardInterrupt``.

    Returns
    -------
    TradeNetwork
        With partitions ``prefecture``, ``prefecture_code`` (JIS, ``"01"``–``"47"``),
        ``bloc`` and ``industry``; attributes ``lat``, ``lon`` and the panel; trades with
        ``amount``, ``year`` (first observed) and ``last_year``; collaborations with ``year``.

    Examples
    --------
    >>> import tsunagime as tg
    >>> net = tg.datasets.synthetic_japan(5_000, seed=42)
    >>> net.firms["prefecture"].value_counts().index[0]
    'Tokyo'
    >>> net == tg.datasets.synthetic_japan(5_000, seed=42)
    True
    """
    with _progress.reporter(progress) as callback:
        native = _native.synthetic_japan(
            int(n_firms),
            int(seed),
            int(start_year),
            int(end_year),
            float(mean_degree),
            float(survival),
            float(local_share),
            float(copy_share),
            float(copy_share_new),
            float(collaboration_rate),
            callback,
        )
    report = LoadReport(
        source="synthetic_japan",
        firms_read=int(native.n_firms),
        trades_read=int(native.n_trades),
        trades_kept=int(native.n_trades),
        collaborations_read=int(native.n_collaborations),
        collaborations_kept=int(native.n_collaborations),
    )
    return TradeNetwork(native, report)


def calibration(
    net: TradeNetwork,
    *,
    max_cycle_trades: int = 2_000_000,
    seed: int = 0,
    progress: Progress = False,
) -> pd.Series:
    """The shape figures of a network, as a Series.

    Links per firm, the largest prefectures' shares (needs a ``prefecture`` partition), tail
    exponents of the customer- and supplier-count CCDFs (discrete MLE for k ≥ 10), median
    partner distance (needs ``lat``/``lon``), same-prefecture share, degree assortativity and
    transitivity of the undirected graph, the share of links on a triangle and on a 4-cycle
    beside a degree-preserving rewiring (NaN above ``max_cycle_trades`` links), yearly link
    survival (needs ``year`` and ``last_year``) and the size–degree correlation (needs
    ``sales``). Figures the data cannot give are NaN. ``progress`` reports the eight stages
    (``True``: a tqdm bar; a callable receives ``(stage, done, total)``); Ctrl-C stops the call
    between stages.

    Examples
    --------
    >>> import tsunagime as tg
    >>> figures = tg.datasets.calibration(tg.datasets.synthetic_japan(20_000, seed=0))
    >>> figures["prefecture_1"], round(figures["survival"], 2)
    ('Tokyo', 0.92)
    """
    with _progress.reporter(progress) as callback:
        figures = _native.calibration(net._native, int(max_cycle_trades), int(seed), callback)
    series: pd.Series = pd.Series(figures, dtype=object, name="calibration")
    return series


def prefectures() -> pd.DataFrame:
    """The 47 prefectures: JIS X 0401 code (``"01"``–``"47"``, the index), English and
    Japanese name, regional bloc and the coordinates of the prefectural government office.

    The codes, names and coordinates come from the CC0 table of code4fukui/localgovjp.

    Examples
    --------
    >>> import tsunagime as tg
    >>> tg.datasets.prefectures().loc["17", ["name", "name_ja", "bloc"]].tolist()
    ['Ishikawa', '石川県', 'Chubu']
    """
    frame: pd.DataFrame = pd.DataFrame(_native.prefectures()).set_index("code")
    return frame


def _check_digit(five: str) -> str:
    """The check digit of a 5-digit local government code: 11 minus the weighted sum (weights
    6, 5, 4, 3, 2) modulo 11, its last digit."""
    total = sum(int(d) * w for d, w in zip(five, (6, 5, 4, 3, 2), strict=True))
    return str((11 - total % 11) % 10)


def prefecture_of(
    codes: Iterable[Any],
    *,
    to: Literal["name", "name_ja", "code"] = "name",
    errors: Literal["raise", "coerce"] = "raise",
) -> pd.Series:
    """The prefecture of each local government (municipality) code.

    Accepts the 6-digit 全国地方公共団体コード with its check digit (``"172014"``, Kanazawa;
    the check digit is verified), the 5-digit code without it (``"17201"``), codes read as
    integers that lost their leading zero (``1100`` for Sapporo's ``"01100"``) and bare
    prefecture codes (``"17"``, ``17``). Cells are trimmed; empty cells and NaN stay missing.

    Parameters
    ----------
    codes : iterable of str or int
        A Series keeps its index.
    to : {"name", "name_ja", "code"}
        What to return: the English name, the Japanese name or the two-digit JIS code.
    errors : {"raise", "coerce"}
        ``"raise"``: a code that is not one names its row and why (``ValueError``);
        ``"coerce"``: it becomes missing.

    Returns
    -------
    Series
        Categorical, one value per code.

    Examples
    --------
    >>> import tsunagime as tg
    >>> tg.datasets.prefecture_of(["172014", "13101", 1100, " 47 "]).tolist()
    ['Ishikawa', 'Tokyo', 'Hokkaido', 'Okinawa']
    >>> tg.datasets.prefecture_of(["172015"])
    Traceback (most recent call last):
    ...
    ValueError: row 0: '172015' has check digit 5, but 17201 needs 4
    """
    if to not in ("name", "name_ja", "code"):
        raise ValueError(f"to='{to}' is not one of 'name', 'name_ja', 'code'")
    if errors not in ("raise", "coerce"):
        raise ValueError(f"errors='{errors}' is not one of 'raise', 'coerce'")
    series = codes if isinstance(codes, pd.Series) else pd.Series(list(codes), dtype=object)
    table = prefectures()
    labels = table.index if to == "code" else table[to]
    lookup = dict(zip(table.index, labels, strict=True))
    out: list[Any] = []
    for row, value in enumerate(series.tolist()):
        try:
            out.append(_prefecture_code(value, lookup))
        except ValueError as e:
            if errors == "raise":
                raise ValueError(f"row {row}: {e}") from None
            out.append(None)
    result: pd.Series = pd.Series(
        pd.Categorical([lookup.get(c) if c else None for c in out], categories=list(labels)),
        index=series.index,
        name="prefecture",
    )
    return result


def _prefecture_code(value: Any, lookup: dict[str, Any]) -> str | None:
    """The two-digit prefecture code of one cell, None when missing."""
    if value is None or (isinstance(value, float) and value != value):
        return None
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    text = str(value).strip()
    if not text:
        return None
    if not text.isdigit() or not text.isascii():
        raise ValueError(f"'{value}' is not a local government code (digits only)")
    if len(text) == 6:
        if _check_digit(text[:5]) != text[5]:
            raise ValueError(
                f"'{text}' has check digit {text[5]}, but {text[:5]} needs {_check_digit(text[:5])}"
            )
        prefecture = text[:2]
    elif len(text) in (4, 5):
        prefecture = text.zfill(5)[:2]
    elif len(text) in (1, 2):
        prefecture = text.zfill(2)
    else:
        raise ValueError(f"'{text}' has {len(text)} digits (a code has 2, 5 or 6)")
    if prefecture not in lookup:
        raise ValueError(f"'{text}' names prefecture {prefecture}, which does not exist (01–47)")
    return prefecture
