"""Datasets: a seeded, Japan-like regional economy, and the figures that describe its shape."""

from __future__ import annotations

import pandas as pd

from . import _progress
from . import _tsunagime as _native
from ._network import LoadReport, TradeNetwork
from ._progress import Progress

__all__ = ["calibration", "synthetic_japan"]


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
    net: TradeNetwork, *, max_cycle_trades: int = 2_000_000, seed: int = 0
) -> pd.Series:
    """The shape figures of a network, as a Series.

    Links per firm, the largest prefectures' shares (needs a ``prefecture`` partition), tail
    exponents of the customer- and supplier-count CCDFs (discrete MLE for k ≥ 10), median
    partner distance (needs ``lat``/``lon``), same-prefecture share, degree assortativity and
    transitivity of the undirected graph, the share of links on a triangle and on a 4-cycle
    beside a degree-preserving rewiring (NaN above ``max_cycle_trades`` links), yearly link
    survival (needs ``year`` and ``last_year``) and the size–degree correlation (needs
    ``sales``). Figures the data cannot give are NaN.

    Examples
    --------
    >>> import tsunagime as tg
    >>> figures = tg.datasets.calibration(tg.datasets.synthetic_japan(20_000, seed=0))
    >>> figures["prefecture_1"], round(figures["survival"], 2)
    ('Tokyo', 0.92)
    """
    figures = _native.calibration(net._native, int(max_cycle_trades), int(seed))
    series: pd.Series = pd.Series(figures, dtype=object, name="calibration")
    return series
