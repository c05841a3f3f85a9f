"""How a loss of production capacity travels through the supply network.

:func:`simulate` runs a firm-level propagation model after Inoue & Todo (Nature
Sustainability 2:841–847, 2019), the day-by-day mechanics of ARIO (Hallegatte 2008) on firms
instead of sectors. Each day every firm meets its customers' orders and final demand as far as
its remaining capacity and its scarcest input allow; inputs are pooled by the supplier's
industry and kept at a target of ``inventory_days`` days, restored over ``tau`` days; short
supply is rationed proportionally or with final demand served last. With no damage the economy
stays at its steady state; the loss a damaged firm causes beyond its own lost capacity is the
indirect loss, and :class:`ShockResult` splits it between the damaged regions and the rest.
"""

from __future__ import annotations

import inspect
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt
import pandas as pd

from . import _tsunagime as _native
from ._frames import _error, as_frame, column, numbers
from ._network import TradeNetwork
from ._progress import Progress, reporter
from .errors import _whole

__all__ = ["ShockResult", "criticality", "simulate"]


@dataclass(frozen=True)
class ShockResult:
    """What a shock did, from :func:`simulate`.

    Attributes
    ----------
    firms : DataFrame
        One row per firm (indexed by firm id): its region and industry, ``damage`` (the share
        of capacity lost on the first day), ``baseline`` (steady daily output), ``loss``
        (output lost over the days), ``direct`` (the part its own lost capacity explains) and
        ``indirect`` (the rest, which came through its suppliers and customers).
    daily : DataFrame
        Output by day, region and industry, beside its steady level: columns ``day``
        (0 is the day of the shock), region, industry, ``output``, ``baseline``, ``ratio``.
    regions : DataFrame
        Per region: ``damaged`` (whether any of its firms was hit), ``baseline`` (steady daily
        output), ``loss``, ``direct``, ``indirect`` and ``loss_share`` (loss over the steady
        output of the days simulated).
    days : int
    """

    firms: pd.DataFrame
    daily: pd.DataFrame
    regions: pd.DataFrame
    days: int

    def summary(self) -> list[str]:
        """The shock in a few lines: direct and indirect loss, inside and outside the damaged
        regions."""
        r = self.regions
        total = float(r["loss"].sum())
        steady = float(r["baseline"].sum()) * self.days
        inside = float(r.loc[r["damaged"], "loss"].sum())
        share = 100 * total / steady if steady else 0.0
        return [
            f"{self.days} days: output lost {total:,.6g} ({share:.3g}% of the steady output)",
            f"direct {float(r['direct'].sum()):,.6g}, indirect {float(r['indirect'].sum()):,.6g}",
            f"in the damaged regions {inside:,.6g}, elsewhere {total - inside:,.6g}",
        ]


def simulate(
    net: TradeNetwork,
    damage: Any,
    *,
    demand: Any = None,
    days: int = 100,
    inventory_days: float = 15.0,
    tau: float = 6.0,
    rationing: str = "proportional",
    orders: str = "inoue_todo",
    psi: float | None = None,
    recovery: float = 0.0,
    substitution: float = 0.0,
    region: str = "prefecture",
    industry: str | None = "industry",
    output: str | None = "sales",
    progress: Progress = False,
) -> ShockResult:
    """Simulates ``days`` days after firms lose part of their production capacity.

    For firm *i* with steady daily output ``x_i``, input coefficients ``a_ri = Z_ri / x_i``
    pooled by supplier industry *r*, final demand ``c_i = x_i − Σ_k Z_ik`` and inventories
    ``S_ri`` (``inventory_days · a_ri x_i`` at the start), each day:

    - demand ``D_i = Σ_k O_ik + c_i`` (yesterday's orders and final demand);
    - production ``p_i = min(x_i (1 − δ_i (1 − recovery)^t), D_i, min_r S_ri / a_ri)``
      (with ARIO's ``psi``: ``S_ri / (ψ n a_ri)``);
    - deliveries rationed when ``p_i < D_i`` (``"proportional"``: every buyer in the share
      ``p_i / D_i``; ``"final_demand_last"``: firms first; ``"priority"``: whole orders, the
      largest usual buyer first, final demand last);
    - ``S_ri += delivered − a_ri p_i``;
    - orders ``O_ji = (Z_ji / Z_ri) · max(0, a_ri D_i + (n a_ri D_i − S_ri) / τ)``
      (Inoue & Todo) or ``(Z_ji / Z_ri) · (a_ri p_i + max(0, n a_ri p*_i − S_ri) / τ)`` with
      ``p*_i = min(capacity, D_i)`` (ARIO, as BoARIO); with ``substitution`` ``σ`` a pool's
      orders go to its suppliers in proportion to ``Z_ji (1 − σ (1 − r_j))``, where ``r_j`` is
      the share of its usual output supplier *j* can make that day.

    Parameters
    ----------
    net : TradeNetwork
        Trade amounts are read as one day's flows (the model is linear in its units).
    damage : Series, dict, DataFrame or array
        The share of capacity each firm loses, 0 to 1: by firm (a Series or dict keyed by firm
        id, a DataFrame with columns ``firm`` and ``damage``, or an array of one value per
        firm), by region (keyed by the labels of ``region``, or a DataFrame with columns
        ``region`` and ``damage``), or by region and industry (a DataFrame with columns
        ``region``, ``industry`` and ``damage``).
    demand : same forms as ``damage``, optional
        The share of each firm's final demand that disappears from the first day on (the
        column is then ``demand``). With no damage and ample inventories the economy settles
        at the static Leontief answer, ``x' = (I − A)⁻¹ c'``.
    days : int
        Days simulated, 1 to 100,000.
    inventory_days : float
        Target inventory ``n`` in days of each input (Inoue & Todo: about 15).
    tau : float
        Days ``τ`` over which a firm restores its inventory target (Inoue & Todo: 6; ≥ 1).
    rationing : {"proportional", "final_demand_last", "priority"}
        Who is served when a firm cannot meet its demand: every buyer in the same share;
        firms first, in proportion to their orders, then final demand (Inoue & Todo); or whole
        orders one customer at a time, the largest usual buyer first, then final demand (the
        priority rule of Pichler & Farmer 2022, ranked by the steady trade amount).
    orders : {"inoue_todo", "ario"}
        The ordering rule: Inoue & Todo's, or ARIO's as BoARIO implements it.
    psi : float or None
        ``None``: production is limited by the inputs at hand (Inoue & Todo). ARIO's ``ψ``
        in (0, 1] limits it as soon as a stock falls below ``ψ`` times its target (BoARIO's
        ``ARIOPsiModel`` uses 0.8). ``orders="ario"`` with ``psi`` is BoARIO's model (orders
        ``"noalt"``, no overproduction) on firms.
    recovery : float
        Share of the remaining damage repaired each day (0: none).
    substitution : float
        0 to 1: how far customers move their orders from suppliers that cannot deliver to the
        other suppliers of the same input pool (same industry) they already buy from. 0 keeps
        the steady shares; 1 splits orders in proportion to what each supplier can make. With
        ``industry=None`` every supplier is a pool of its own and nothing moves.
    region : str
        The partition that names regions (for ``damage`` by region and for the results).
    industry : str or None
        The partition whose groups pool a firm's inputs; ``None``, or a network without it,
        makes each supplier an input of its own.
    output : str or None
        Attribute with each firm's output (``"sales"``); a firm's output is never taken
        below what it sells to or buys from firms. ``None`` or a missing attribute: trades only.
    progress : bool or callable
        ``True`` for a tqdm bar; Ctrl-C stops the simulation within a day.

    Returns
    -------
    ShockResult

    References
    ----------
    Inoue, H. & Todo, Y. (2019). Firm-level propagation of shocks through supply-chain networks.
    Nature Sustainability 2, 841–847. Hallegatte, S. (2008). An adaptive regional input–output
    model and its application to the assessment of the economic cost of Katrina. Risk
    Analysis 28, 779–799. Pichler, A. & Farmer, J. D. (2022). Simultaneous supply and demand
    constraints in input–output networks: the case of Covid-19 in Germany, Italy, and Spain.
    Economic Systems Research 34, 273–293.

    Examples
    --------
    >>> import tsunagime as tg
    >>> net = tg.datasets.synthetic_japan(3_000, seed=0)
    >>> r = tg.shock.simulate(net, {"Kochi": 0.5, "Ehime": 0.3}, days=30)
    >>> bool(r.regions.loc["Kochi", "damaged"] and r.firms["indirect"].sum() > 0)
    True
    >>> bool((r.regions.loc[~r.regions["damaged"], "loss"] > 0).any())  # it travels
    True
    """
    days = _whole(days, "days")
    regions = net._categorical(region) if region in net.partitions else None
    industry, output = _present(net, industry, output)
    industries = net._categorical(industry) if industry is not None else None
    per_firm = _damage(net, damage, regions, industries, region)
    cut = None if demand is None else _damage(net, demand, regions, industries, region, "demand")
    labels = [
        s if s is not None else pd.Series(pd.Categorical([None] * net.n_firms), index=net.firm_ids)
        for s in (regions, industries)
    ]
    pairs = pd.MultiIndex.from_arrays([labels[0].cat.codes, labels[1].cat.codes])
    groups, combos = pd.factorize(pairs)
    with reporter(progress) as callback:
        d = _native.simulate_shock(
            net._native,
            per_firm,
            cut,
            groups.astype(np.uint32),
            len(combos),
            days,
            float(inventory_days),
            float(tau),
            rationing,
            orders,
            None if psi is None else float(psi),
            float(recovery),
            float(substitution),
            industry,
            output,
            callback,
        )
    region_name, industry_name = region, industry or "industry"
    firms = pd.DataFrame(
        {
            region_name: labels[0].to_numpy(),
            industry_name: labels[1].to_numpy(),
            "damage": per_firm,
            "baseline": d["baseline"],
            "loss": d["loss"],
            "direct": d["direct"],
            "indirect": d["loss"] - d["direct"],
        },
        index=net.firm_ids,
    )
    combo_region = labels[0].cat.categories.take(combos.get_level_values(0), allow_fill=True)
    combo_industry = labels[1].cat.categories.take(combos.get_level_values(1), allow_fill=True)
    steady = np.bincount(groups, weights=d["baseline"], minlength=len(combos))
    grid: npt.NDArray[np.float64] = d["group_output"]
    daily = pd.DataFrame(
        {
            "day": np.repeat(np.arange(days), len(combos)),
            region_name: np.tile(np.asarray(combo_region, dtype=object), days),
            industry_name: np.tile(np.asarray(combo_industry, dtype=object), days),
            "output": grid.ravel(),
            "baseline": np.tile(steady, days),
        }
    )
    with np.errstate(invalid="ignore", divide="ignore"):
        daily["ratio"] = daily["output"] / daily["baseline"]
    by = firms.groupby(region_name, observed=True, dropna=False)
    table = by[["baseline", "loss", "direct", "indirect"]].sum()
    table.insert(0, "damaged", by["damage"].max() > 0)
    table["loss_share"] = table["loss"] / (table["baseline"] * days)
    return ShockResult(firms=firms, daily=daily, regions=table, days=days)


def _present(
    net: TradeNetwork, industry: str | None, output: str | None
) -> tuple[str | None, str | None]:
    """The industry partition and output attribute, each ``None`` when the network lacks it."""
    return (
        industry if industry in net.partitions else None,
        output if output in net.attributes else None,
    )


def _damage(
    net: TradeNetwork,
    damage: Any,
    regions: pd.Series | None,
    industries: pd.Series | None,
    region: str,
    name: str = "damage",
) -> npt.NDArray[np.float64]:
    """One share per firm of ``name`` (damage or demand), from any form :func:`simulate` takes."""
    if isinstance(damage, np.ndarray) and damage.ndim == 1:
        if len(damage) != net.n_firms:
            why = f"{len(damage)} values for {net.n_firms} firms"
            raise _error(name, None, name, why)
        return np.ascontiguousarray(damage, dtype=np.float64)
    if isinstance(damage, Mapping | pd.Series):
        series = pd.Series(damage, dtype=np.float64)
        keys, values = series.index, series.to_numpy()
        if regions is not None and keys.isin(regions.cat.categories).all():
            frame = pd.DataFrame({"region": keys, name: values})
        else:
            frame = pd.DataFrame({"firm": keys, name: values})
    else:
        frame = as_frame(damage, name)
    shares = numbers(column(frame, name, name), name, name)
    out = np.zeros(net.n_firms)
    if "firm" in frame.columns:
        out[net.index_of(frame["firm"])] = shares
        return out
    if regions is None:
        raise _error(name, None, "region", f"the network has no partition '{region}'")
    known = regions.cat.categories
    for i, label in enumerate(column(frame, "region", name)):
        if label not in known:
            raise _error(name, i, "region", f"{label!r} is not a {region} of the network")
    by_cell = "industry" in frame.columns
    twice = frame.duplicated(["region", "industry"] if by_cell else ["region"])
    if twice.any():
        raise _error(name, int(np.argmax(twice)), "region", "the region is given twice")
    if by_cell:
        if industries is None:
            raise _error(name, None, "industry", "the network has no industry partition")
        pairs = pd.MultiIndex.from_arrays([regions.astype(object), industries.astype(object)])
        at = pd.MultiIndex.from_arrays([frame["region"], frame["industry"]]).get_indexer(pairs)
    else:
        at = pd.Index(frame["region"]).get_indexer(regions.astype(object))
    hit = at >= 0
    out[hit] = shares[at[hit]]
    return out


def criticality(
    net: TradeNetwork,
    firms: Any = None,
    *,
    exact: int = 20,
    days: int = 30,
    region: str = "prefecture",
    industry: str | None = "industry",
    output: str | None = "sales",
    progress: Progress = False,
    **model: Any,
) -> pd.DataFrame:
    """How much output the economy, and the firm's own region, lose if a firm stops: an
    index in the spirit of Diem et al.'s Economic Systemic Risk Index (Sci. Rep. 12:7719,
    2022), fast for every firm and simulated for the most critical.

    The **approximation** (``approx_national``, ``approx_region``) counts, for firm *k* with
    output ``x_k``, per day: its own output; what its customers cannot make once their
    inventories run out, ``w Σ_j x_j · Z_kj / Z_rj`` (*k*'s share of customer *j*'s pool of
    inputs of *k*'s industry *r*, the Leontief limit), for the share of the days after the
    stock of a sole supplier's input is gone, ``w = max(0, days − n (1 − ψ)) / days`` with
    ``n`` = ``inventory_days`` (``ψ`` = 0 under Inoue & Todo's rule); and the sales its
    suppliers lose, ``Σ_s Z_sk``. It is a share of the output of the nation, or of *k*'s
    region (the sums kept to firms of that region). It screens, and does not replace the
    simulation: ``python bench/criticality_screen.py`` simulates every firm of four networks
    of 3,000 firms and prints how far down a screen's ranking the simulation's top 20 lie:
    22–62 for this one on the synthetic economy, a keiretsu and a sparse network (ranking by
    output or by trades: 218–2,384), 303 on the synthetic economy stripped to ids (output:
    1,389), where it misses the losses that bounce up and down long chains of sole
    suppliers. Give ``exact`` room accordingly. The ``exact`` firms ranked highest by it
    are then **simulated**
    (:func:`simulate` with the firm's capacity at zero for ``days`` days): ``national`` and
    ``region_loss`` are the shares of the output of those days lost in the nation and in
    the firm's region; NaN for the others.

    Parameters
    ----------
    net : TradeNetwork
    firms : iterable of firm ids, optional
        The firms to rank (all by default); ``exact`` of them are simulated.
    exact : int
        How many firms to simulate, the highest by the approximation first (0: none).
    days : int
        Days each simulation runs.
    region, industry, output, progress
        As in :func:`simulate`.
    **model
        Further keywords of :func:`simulate` (``inventory_days``, ``tau``, ``rationing``,
        ``orders``, ``psi``).

    Returns
    -------
    DataFrame
        Indexed by firm id: region, ``output`` (steady daily), ``approx_national``,
        ``approx_region``, ``national``, ``region_loss``, ``simulated``; sorted by
        ``approx_national``, highest first. Feed a column to
        :func:`tsunagime.roles.select_leading_firms` as an indicator.

    Examples
    --------
    >>> import tsunagime as tg
    >>> net = tg.datasets.synthetic_japan(3_000, seed=0)
    >>> c = tg.shock.criticality(net, exact=3, days=20)
    >>> int(c["simulated"].sum()), bool((c["national"].dropna() > 0).all())
    (3, True)
    """
    exact, days = _whole(exact, "exact"), _whole(days, "days")
    industry, output = _present(net, industry, output)
    regions = (
        net._categorical(region)
        if region in net.partitions
        else pd.Series(pd.Categorical(["all"] * net.n_firms), index=net.firm_ids)
    )
    codes = regions.cat.codes.to_numpy()
    n_groups = len(regions.cat.categories)
    steady = simulate(
        net, np.zeros(net.n_firms), days=1, region=region, industry=industry, output=output,
        **model,
    )  # fmt: skip
    x = steady.firms["baseline"].to_numpy()
    t = net.trades
    s = net.index_of(t["supplier"]).astype(np.int64)
    c = net.index_of(t["customer"]).astype(np.int64)
    z = t["amount"].to_numpy(dtype=np.float64) if "amount" in t else np.ones(len(t))
    source = net._categorical(industry).cat.codes.to_numpy()[s] if industry is not None else s
    pool_total = pd.Series(z).groupby([c, source]).transform("sum").to_numpy()
    share = np.divide(z, pool_total, out=np.zeros_like(z), where=pool_total > 0)
    downstream = x[c] * share * _stocked_out(days, model)
    n = net.n_firms
    same = codes[s] == codes[c]
    national = x + np.bincount(s, downstream, n) + np.bincount(c, z, n)
    local = x + np.bincount(s, downstream * same, n) + np.bincount(c, z * same, n)
    home_codes = np.where(codes < 0, n_groups, codes)
    own = np.bincount(home_codes, x, n_groups + 1)[home_codes]
    frame: pd.DataFrame = pd.DataFrame(
        {
            region: regions.to_numpy(),
            "output": x,
            "approx_national": national / x.sum(),
            "approx_region": np.divide(local, own, out=np.full(n, np.nan), where=own > 0),
            "national": np.nan,
            "region_loss": np.nan,
            "simulated": False,
        },
        index=net.firm_ids,
    )
    if firms is not None:
        frame = frame.iloc[net.index_of(list(firms))]
    frame = frame.sort_values("approx_national", ascending=False, kind="stable")
    chosen = frame.index[:exact]
    simulated = _simulated(
        net, chosen, days=days, region=region, industry=industry, output=output,
        progress=progress, **model,
    )  # fmt: skip
    frame.loc[chosen, ["national", "region_loss"]] = simulated.to_numpy()
    frame.loc[chosen, "simulated"] = True
    return frame


def _stocked_out(days: int, model: dict[str, Any]) -> float:
    """The share of ``days`` a customer of a stopped sole supplier goes without: its stock of
    ``n`` days of that input (:func:`simulate`'s ``inventory_days``) lasts ``n``, or
    ``n (1 − ψ)`` when production falls below ``ψ`` of the target stock."""
    n = float(model.get("inventory_days", _DEFAULTS["inventory_days"]))
    psi = model.get("psi")
    onset = n * (1.0 - float(psi)) if psi is not None else n
    return max(0.0, days - onset) / max(1, days)


_DEFAULTS = {
    name: p.default
    for name, p in inspect.signature(simulate).parameters.items()
    if p.default is not inspect.Parameter.empty
}


def _simulated(
    net: TradeNetwork,
    firms: Any,
    *,
    days: int,
    region: str,
    industry: str | None,
    output: str | None,
    progress: Progress = False,
    **model: Any,
) -> pd.DataFrame:
    """The share of the output of ``days`` days lost in the nation (``national``) and in the
    firm's region (``region_loss``, NaN without one) when each of ``firms`` stops: one
    :func:`simulate` per firm. ``tsunagime.distributed.criticality`` runs blocks of it on a
    cluster."""
    ids = list(firms)
    table: pd.DataFrame = pd.DataFrame(
        {"national": np.nan, "region_loss": np.nan}, index=pd.Index(ids)
    )
    at = net.index_of(ids)
    homes = net._categorical(region).iloc[at] if region in net.partitions else None
    for i, k in enumerate(at):
        damage = np.zeros(net.n_firms)
        damage[k] = 1.0
        lost = simulate(
            net, damage, days=days, region=region, industry=industry, output=output,
            progress=progress, **model,
        ).regions  # fmt: skip
        steady = lost["baseline"] * days
        table.iloc[i, 0] = lost["loss"].sum() / steady.sum()
        if homes is not None and not pd.isna(homes.iloc[i]):
            home = homes.iloc[i]
            table.iloc[i, 1] = lost.loc[home, "loss"] / steady[home]
    return table
