"""Linkage roles of firms in their regional economy, as DataFrames indexed by firm id.

- :func:`linkage` — connector hubs: who buys inside the region and sells outside it;
- :func:`brokerage` and :func:`brokerage_summary` — Gould–Fernandez brokerage, as R's
  ``sna::brokerage``;
- :func:`cartography` — Guimerà–Amaral participation, within-module z and roles R1–R7, as
  ``bctpy``;
- :func:`ripple` — firm-level regional output multipliers, leakage and regional pull;
- :func:`select_leading_firms` — METI-style selection by T-scores.

Every function takes the region as the name of a partition (``"prefecture"``, ``"bloc"``…).
Firms whose region is missing form one group of their own (region ``NaN`` in the output).
Goods flow supplier → customer: *sales* go to customers, *purchases* come from suppliers.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

import numpy as np
import numpy.typing as npt
import pandas as pd

from . import _tsunagime as _native
from ._frames import unpacked
from ._network import TradeNetwork
from ._progress import Progress, reporter
from .errors import _YEARS, _whole

__all__ = [
    "ROLE_NAMES",
    "brokerage",
    "brokerage_summary",
    "cartography",
    "linkage",
    "ripple",
    "select_leading_firms",
]

#: Brokerage roles: our column names and sna's.
ROLE_NAMES = {
    "coordinator": "w_I",
    "itinerant": "w_O",
    "representative": "b_IO",
    "gatekeeper": "b_OI",
    "liaison": "b_O",
    "total": "t",
}


def _frame(
    net: TradeNetwork,
    region: str,
    columns: Mapping[str, Any],
    positions: npt.NDArray[np.uint32] | None = None,
) -> pd.DataFrame:
    """Columns indexed by firm id, after the region's labels; ``positions``: those firms only."""
    data = {region: net._categorical(region)} if region in net.partitions else {}
    index = net.firm_ids
    if positions is not None:
        data = {k: v.iloc[positions] for k, v in data.items()}
        index = index[positions]
    data.update(columns)
    # The columns are the core's fresh arrays, owned by nobody else: no copy.
    frame: pd.DataFrame = pd.DataFrame(data, index=index, copy=False)
    return frame


def _positions(net: TradeNetwork, firms: Iterable[Any] | None) -> npt.NDArray[np.uint32] | None:
    """The positions of ``firms`` (None for every firm)."""
    return None if firms is None else net.index_of(list(firms))


def linkage(
    net: TradeNetwork,
    region: str = "prefecture",
    *,
    hub_threshold: float = 0.5,
    connector_threshold: float = 0.5,
    firms: Iterable[Any] | None = None,
) -> pd.DataFrame:
    """Where each firm buys and sells: inside its region or outside (RESAS connector hubs).

    Amounts are trade amounts, or 1 per link when the network has none.

    Parameters
    ----------
    net : TradeNetwork
    region : str
        The partition that defines regions.
    hub_threshold, connector_threshold : float
        A firm *buys mostly in-region* when ``hub_ratio >= hub_threshold`` and *sells mostly
        out-of-region* when ``connector_ratio >= connector_threshold``.
    firms : iterable of firm ids, optional
        The firms to report (all by default), in this order: their rows of the full result,
        computed from their regions alone (what ``tsunagime.distributed.linkage`` sends to
        each worker).

    Returns
    -------
    DataFrame
        Indexed by firm id: the region; ``suppliers_in/out``, ``customers_in/out`` (counts);
        ``purchases_in/out`` (P), ``sales_in/out`` (S); ``hub_ratio`` = P_in/(P_in+P_out);
        ``connector_ratio`` = S_out/(S_in+S_out); ``hub_share`` (the firm's share of its
        region's in-region purchases) and ``connector_share`` (its share of the region's
        out-of-region sales); ``role``: ``"connector hub"`` (buys mostly in, sells mostly
        out), ``"connector"`` (sells mostly out only), ``"hub"`` (buys mostly in only),
        ``"local"`` (neither) or ``"isolated"`` (no trades). Ratios and shares are NaN when
        their denominator is 0.

    Examples
    --------
    >>> import tsunagime as tg
    >>> net = tg.datasets.synthetic_japan(3_000, seed=0)
    >>> roles = tg.roles.linkage(net)
    >>> set(roles["role"]) <= {"connector hub", "connector", "hub", "local", "isolated"}
    True
    >>> float(roles.groupby("prefecture", observed=True)["connector_share"].sum().max().round(6))
    1.0
    """
    positions = _positions(net, firms)
    cols = _native.linkage(
        net._native,
        region,
        float(hub_threshold),
        float(connector_threshold),
        None if positions is None else positions.tolist(),
    )
    cols["role"] = unpacked(cols["role"])
    frame = _frame(net, region, cols, positions)
    frame.attrs.update(
        hub_threshold=float(hub_threshold), connector_threshold=float(connector_threshold)
    )
    return frame


def brokerage(
    net: TradeNetwork,
    region: str = "prefecture",
    *,
    weighted: bool = False,
    progress: Progress = False,
    firms: Iterable[Any] | None = None,
) -> pd.DataFrame:
    """Gould–Fernandez brokerage roles of every firm, exactly as R's ``sna::brokerage``.

    Firm *b* brokers the ordered pair (*a*, *c*) when *a* → *b* → *c*, the three are
    distinct and there is no *a* → *c* link (a reverse *c* → *a* does not matter). Roles by
    the regions of *a*, *b*, *c*: coordinator A→A→A (sna ``w_I``), itinerant A→B→A
    (``w_O``), representative A→A→B (``b_IO``: carries its region's supply out — the METI
    seam), gatekeeper A→B→B (``b_OI``), liaison A→B→C (``b_O``), and the total (``t``).

    Parameters
    ----------
    net : TradeNetwork
    region : str
        The partition that defines the groups.
    weighted : bool
        The amount-weighted extension (not in sna): each open two-path counts
        ``Z[a,b] · Z[b,c] / S(b)``, the part of *a*'s supply that passes on to *c* if *b*
        mixes its inputs proportionally (``S(b)``: all of *b*'s sales). No null model: the
        expected, sd and z columns are NaN.
    progress : bool or callable
        Progress bar (``True``) or callback; Ctrl-C interrupts.
    firms : iterable of firm ids, optional
        The brokers to count (all firms by default), in this order: the rows of these firms
        in the full result, computed alone (what ``tsunagime.distributed.brokerage`` sends
        to each worker).

    Returns
    -------
    DataFrame
        Indexed by firm id: the region, the six counts, then ``expected_<role>``,
        ``sd_<role>`` and ``z_<role>`` under sna's null model (each ordered pair linked
        independently with the network's density; moments by the broker's group size). A
        zero sd gives a NaN z (0/0), as in sna.

    Examples
    --------
    >>> import pandas as pd
    >>> import tsunagime as tg
    >>> firms = pd.DataFrame({"firm_id": ["A", "B", "C"], "region": ["X", "X", "Y"]})
    >>> net = tg.TradeNetwork.from_frames(firms, {"supplier": ["A", "B"], "customer": ["B", "C"]})
    >>> tg.roles.brokerage(net, "region").loc["B", ["representative", "total"]].tolist()
    [1.0, 1.0]
    """
    positions = _positions(net, firms)
    with reporter(progress) as callback:
        d = _native.brokerage(
            net._native,
            region,
            bool(weighted),
            callback,
            None if positions is None else positions.tolist(),
        )
    # The table's rows are the columns, each contiguous: the frame takes them without a copy.
    table = d["table"]
    prefixes = ("", "expected_", "sd_", "z_")
    labels = [prefix + name for prefix in prefixes for name in ROLE_NAMES]
    return _frame(net, region, dict(zip(labels, table, strict=True)), positions)


def brokerage_summary(
    net: TradeNetwork, region: str = "prefecture", *, weighted: bool = False
) -> pd.DataFrame:
    """The network-level brokerage table (sna's ``raw.gli``, ``exp.gli``, ``sd.gli``,
    ``z.gli``), one row per role.

    Examples
    --------
    >>> import tsunagime as tg
    >>> table = tg.roles.brokerage_summary(tg.datasets.synthetic_japan(3_000, seed=0))
    >>> list(table.columns), table.index[2]
    (['sna', 'raw', 'expected', 'sd', 'z'], 'representative')
    """
    d = _native.brokerage(net._native, region, bool(weighted), None)
    frame: pd.DataFrame = pd.DataFrame(
        {
            "sna": list(ROLE_NAMES.values()),
            "raw": d["network_raw"],
            "expected": d["network_expected"],
            "sd": d["network_sd"],
            "z": d["network_z"],
        },
        index=pd.Index(list(ROLE_NAMES), name="role"),
    )
    return frame


def cartography(
    net: TradeNetwork,
    region: str = "prefecture",
    *,
    direction: str = "out",
    weighted: bool = False,
    hub_z: float = 2.5,
    non_hub_p: tuple[float, float, float] = (0.05, 0.62, 0.80),
    hub_p: tuple[float, float] = (0.30, 0.75),
) -> pd.DataFrame:
    """Guimerà–Amaral roles: participation coefficient, within-module degree z-score, R1–R7.

    With *k_i* the degree (or strength, ``weighted=True``) and *κ_is* the part of it to module
    *s*: ``P_i = 1 − Σ_s (κ_is / k_i)²`` (0 without links), and ``z_i`` the z-score of the
    within-module degree among the firms of the module (population sd; one-firm or
    zero-variance modules give 0). With only two modules P ≤ 0.5; with M modules P ≤ 1 − 1/M.

    The values equal ``bctpy`` on the adjacency ``W[i, j]`` (1 or the amount for i → j):

    ========== ======================================= =====================================
    direction  bctpy ``participation_coef``            bctpy ``module_degree_zscore``
    ========== ======================================= =====================================
    ``"out"``  ``degree="out"`` (customers)            ``flag=1`` (its docstring says "in
                                                       degree", but the code sums rows: out)
    ``"in"``   ``degree="in"`` (suppliers)             ``flag=2`` (docstring says "out")
    ``"all"``  ``W + W.T``, ``degree="undirected"``    ``flag=3`` (``W + W.T``)
    ========== ======================================= =====================================

    Roles: non-hubs (z < ``hub_z``) R1 ultra-peripheral (P ≤ 0.05), R2 peripheral (≤ 0.62),
    R3 non-hub connector (≤ 0.80), R4 non-hub kinless; hubs R5 provincial (P ≤ 0.30), R6
    connector hub (≤ 0.75), R7 kinless hub.

    Parameters
    ----------
    net : TradeNetwork
    region : str
        The partition whose groups are the modules (``"prefecture"``, an industry…).
    direction, weighted
        Which links count (see the table) and whether amounts replace link counts.
    hub_z, non_hub_p, hub_p
        The role cut-offs; they are kept in the result's ``attrs`` for
        :func:`tsunagime.plot.cartography`.

    Examples
    --------
    >>> import tsunagime as tg
    >>> carto = tg.roles.cartography(tg.datasets.synthetic_japan(3_000, seed=0))
    >>> bool(carto["participation"].between(0, 1 - 1 / 47).all())
    True
    """
    d = _native.cartography(
        net._native,
        region,
        direction,
        bool(weighted),
        float(hub_z),
        [float(x) for x in non_hub_p],
        [float(x) for x in hub_p],
    )
    frame = _frame(
        net,
        region,
        {
            "participation": d["participation"],
            "within_module_z": d["within_module_z"],
            "role": d["role"],
            "role_name": unpacked(d["role_name"]),
        },
    )
    frame.attrs.update(hub_z=float(hub_z), non_hub_p=tuple(non_hub_p), hub_p=tuple(hub_p))
    return frame


def ripple(
    net: TradeNetwork,
    region: str = "prefecture",
    *,
    output: str | None = "sales",
    tolerance: float = 1e-12,
    max_sweeps: int = 10_000,
    clip: float | None = None,
    firms: Iterable[Any] | None = None,
) -> pd.DataFrame:
    """Firm-level regional ripple effects: in-region output multipliers, leakage, pull.

    With ``x_k`` the firm's output and ``a_jk = Z[j,k] / x_k`` its input coefficients, the
    multiplier of firm *k* is the in-region output that one unit of final demand for *k* sets
    off: ``m = 1ᵀ (I − A_RR)⁻¹`` for its region R, solved region by region (in parallel) by
    Gauss–Seidel sweeps over the links (no dense inverse). ``leakage`` is the share of *k*'s
    purchases bought outside its region; ``pull`` = ``S_out(k) · m_k`` is the in-region output
    induced by the outside demand *k* brings in.

    Parameters
    ----------
    net : TradeNetwork
    region : str
    output : str or None
        Attribute with each firm's output (default ``"sales"``); ``None`` uses the observed
        out-strength. Missing values fall back to the out-strength (``output_from_trades``).
    tolerance : float
        Relative tolerance of the sweeps: a region is solved when a sweep changes none of its
        multipliers by more than ``tolerance`` times its largest.
    max_sweeps : int
    clip : float or None
        A firm whose in-region coefficients sum to ≥ 1 buys more in its region than it
        produces: bad data, an error by default. ``clip=c`` (< 1) scales such firms' inputs
        to sum to ``c`` instead, flagged in ``clipped``.
    firms : iterable of firm ids, optional
        The firms to report (all by default), in this order: their rows of the full result,
        computed from their regions alone (what ``tsunagime.distributed.ripple`` sends to
        each worker).

    Examples
    --------
    >>> import tsunagime as tg
    >>> r = tg.roles.ripple(tg.datasets.synthetic_japan(3_000, seed=0))
    >>> bool((r["multiplier"] >= 1).all())
    True
    """
    positions = _positions(net, firms)
    d = _native.ripple(
        net._native,
        region,
        output,
        float(tolerance),
        _whole(max_sweeps, "max_sweeps"),
        clip,
        None if positions is None else positions.tolist(),
    )
    d.pop("sweeps")
    return _frame(net, region, d, positions)


def select_leading_firms(
    net: TradeNetwork,
    region: str = "prefecture",
    *,
    indicators: str | pd.DataFrame | Iterable[str] = "meti_2019",
    weights: Mapping[str, float] | None = None,
    per_region: int | None = None,
    total: int | None = None,
    threshold: float | None = None,
    nominated: Iterable[Any] = (),
    year: int | None = None,
    within_region: bool = False,
) -> pd.DataFrame:
    """Selects leading firms METI-style: indicators → ranks → T-scores → weighted composite.

    Each indicator is ranked (higher is better; ties share their average rank; missing values
    share the last places) and the ranks become T-scores (偏差値, 50 + 10z) over all firms
    (or within each region, ``within_region=True``). The composite is the weighted mean of
    the T-scores; firms are selected by it: the top ``per_region`` of each region, the top
    ``total`` overall, or those with composite ≥ ``threshold`` (give exactly one).
    ``nominated`` firms are selected regardless. Default: the top 5 per region.

    Parameters
    ----------
    indicators : "meti_2019", DataFrame or list of str
        ``"meti_2019"``: METI's FY2019 indicators — connector share and hub share (15% each),
        3-year average operating profit and employees (15% each), 3-year geometric-mean
        growth of operating profit and of employees (20% each; not defined, so ranked last,
        for non-positive values) — from the attributes ``operating_profit_<y>`` and
        ``employees_<y>``. A DataFrame: one column per indicator, indexed by firm id. A list
        of names: attributes of the network or columns of :func:`linkage`.
    weights : mapping, optional
        Weight per indicator (normalised to sum to 1); default: the preset's, else equal.
    year : int, optional
        Last year of the METI preset (default: the latest with four years of data).

    Returns
    -------
    DataFrame
        Indexed by firm id: region, each indicator's value and ``t_<indicator>``,
        ``composite``, ``rank_in_region``, ``rank_overall``, ``selected`` and ``reason``,
        sorted by region and rank.

    Examples
    --------
    >>> import tsunagime as tg
    >>> net = tg.datasets.synthetic_japan(5_000, seed=0)
    >>> chosen = tg.roles.select_leading_firms(net, per_region=2)
    >>> int(chosen["selected"].sum())
    94
    >>> chosen.loc[chosen["prefecture"] == "Ishikawa", "reason"].iloc[0]
    'top 2 in Ishikawa (rank 1)'
    """
    rules = [
        (k, v)
        for k, v in (("per_region", per_region), ("total", total), ("threshold", threshold))
        if v is not None
    ]
    if len(rules) > 1:
        raise ValueError("give one of per_region, total and threshold")
    rule = rules[0] if rules else ("per_region", 5)
    table = _indicators(net, region, indicators, year)
    weights = dict(weights or {})
    unknown = set(weights) - {name for name, _, _ in table}
    if unknown:
        raise KeyError(f"weights name unknown indicators: {sorted(unknown)}")
    table = [(name, values, float(weights.get(name, w))) for name, values, w in table]
    idx = net.index_of(nominated) if nominated else np.zeros(0, dtype=np.uint32)
    d = _native.select(
        net._native, region, table, (rule[0], float(rule[1])), idx, bool(within_region)
    )
    # The core gives the rows' order (by region, then rank in region): taking it is a tenth
    # of the time pandas takes to sort a million rows.
    order = d["order"]
    columns: dict[str, Any] = {}
    for name, values, t in zip(d["names"], d["values"], d["tscores"], strict=True):
        columns[name] = values[order]
        columns[f"t_{name}"] = t[order]
    for key in ("composite", "rank_in_region", "rank_overall", "selected"):
        columns[key] = d[key][order]
    columns["reason"] = unpacked(d["reason"]).take(order)
    result = _frame(net, region, columns, order)
    return result


def _indicators(
    net: TradeNetwork, region: str, indicators: Any, year: int | None
) -> list[tuple[str, Any, float]]:
    if isinstance(indicators, str):
        if indicators != "meti_2019":
            raise ValueError(f"unknown indicator preset '{indicators}' (known: 'meti_2019')")
        year = None if year is None else _whole(year, "year", *_YEARS)
        return [tuple(x) for x in _native.meti_2019_indicators(net._native, region, year)]  # type: ignore[misc]
    if isinstance(indicators, pd.DataFrame):
        frame = indicators.reindex(net.firm_ids)
        return [
            (str(c), np.ascontiguousarray(pd.to_numeric(frame[c]).to_numpy(dtype=np.float64)), 1.0)
            for c in frame.columns
        ]
    names = list(indicators)
    firms = net.firms
    link = linkage(net, region) if any(n not in firms.columns for n in names) else None
    out: list[tuple[str, Any, float]] = []
    for name in names:
        source = firms if name in firms.columns else link
        if source is None or name not in source.columns:
            raise KeyError(f"indicator '{name}' is neither an attribute nor a linkage column")
        out.append((name, np.ascontiguousarray(source[name].to_numpy(dtype=np.float64)), 1.0))
    return out
