"""Pictures of the results, with matplotlib (an optional dependency: ``pip install matplotlib``).

Each function draws on the Axes it is given (or a new figure's) and returns that Axes, so that
figures compose and notebooks show them:

- :func:`connector_hubs` — in-region purchase share against out-of-region sales share;
- :func:`brokerage_profile` — the mix of Gould–Fernandez roles in each region;
- :func:`cartography` — the Guimerà–Amaral z–P plane with the regions R1–R7 drawn;
- :func:`regional_flows` — in-region trade, sales out and purchases in, per region;
- :func:`schedule_grid` — a summit's slot × table grid;
- :func:`save_all` — all of them as PNG files (the demo's and the documentation's figures).

Examples
--------
>>> import matplotlib
>>> matplotlib.use("Agg")
>>> import tsunagime as tg
>>> net = tg.datasets.synthetic_japan(2_000, seed=0)
>>> ax = tg.plot.connector_hubs(tg.linkage(net))
>>> ax.get_xlabel()
'share of purchases bought inside the region'
"""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from ._network import TradeNetwork
from .roles import ROLE_NAMES

if TYPE_CHECKING:
    from matplotlib.axes import Axes

    from .summit import Schedule

__all__ = [
    "brokerage_profile",
    "cartography",
    "connector_hubs",
    "regional_flows",
    "regional_trade",
    "save_all",
    "schedule_grid",
]

#: One colour per linkage role, the seam (connector hub) the strongest.
ROLE_COLOURS = {
    "connector hub": "#d62728",
    "connector": "#ff7f0e",
    "hub": "#1f77b4",
    "local": "#9e9e9e",
    "isolated": "#dddddd",
}

#: One colour per brokerage role (Gould–Fernandez), in sna's order.
BROKERAGE_COLOURS = dict(
    zip(list(ROLE_NAMES)[:5], ["#1f77b4", "#9467bd", "#d62728", "#2ca02c", "#ff7f0e"], strict=True)
)


#: Fonts with Japanese (and Korean) glyphs, in order of preference. On Debian/Ubuntu
#: ``apt install fonts-noto-cjk`` (or ``fonts-ipaexfont``); on macOS and Windows one is there.
CJK_FONTS = (
    "Noto Sans CJK JP",
    "Noto Sans JP",
    "IPAexGothic",
    "IPAGothic",
    "Hiragino Sans",
    "Yu Gothic",
    "Meiryo",
    "MS Gothic",
    "TakaoGothic",
    "Noto Sans CJK KR",
    "NanumGothic",
    "Malgun Gothic",
)
_cjk: list[str | None] = []


def cjk_font() -> str | None:
    """The installed font that draws Japanese and Korean names, added once as a fallback
    after the current font family (so Latin text keeps its look); ``None``, with one
    warning, when no font of :data:`CJK_FONTS` is installed — names then draw as boxes.

    Examples
    --------
    >>> import tsunagime as tg
    >>> tg.plot.cjk_font() in (None, *tg.plot.CJK_FONTS)
    True
    """
    if _cjk:
        return _cjk[0]
    import warnings

    import matplotlib
    from matplotlib import font_manager

    def first() -> str | None:
        installed = {f.name for f in font_manager.fontManager.ttflist}
        return next((name for name in CJK_FONTS if name in installed), None)

    found = first()
    if found is None:  # installed after matplotlib cached its font list: add the files
        for path in font_manager.findSystemFonts():
            if any(k in Path(path).name for k in ("CJK", "IPA", "Nanum", "Takao", "NotoSansJP")):
                font_manager.fontManager.addfont(path)
        found = first()
    _cjk.append(found)
    if found is None:
        warnings.warn(
            "no font with Japanese glyphs is installed: Japanese names will draw as boxes "
            "(install one, e.g. apt install fonts-noto-cjk; see tsunagime.plot.CJK_FONTS)",
            stacklevel=3,
        )
        return None
    # Fallback works across font.family (not within the generic sans-serif list).
    family = list(matplotlib.rcParams["font.family"])
    if found not in family:
        matplotlib.rcParams["font.family"] = [*family, found]
    return found


def _axes(ax: Axes | None, size: tuple[float, float]) -> Axes:
    """The Axes to draw on: the one given, or a new figure's; Japanese text will draw."""
    try:
        import matplotlib.pyplot as plt
    except ImportError as e:  # pragma: no cover - depends on the environment
        raise ImportError("tsunagime.plot needs matplotlib: pip install matplotlib") from e
    cjk_font()
    if ax is not None:
        return ax
    _, new = plt.subplots(figsize=size, layout="constrained")
    return new


def _region_column(frame: pd.DataFrame, region: str | None) -> str:
    """The region column of a roles frame: the one named, else its first categorical."""
    if region is not None:
        if region not in frame.columns:
            raise KeyError(f"the frame has no column '{region}'")
        return region
    for name, dtype in frame.dtypes.items():
        if isinstance(dtype, pd.CategoricalDtype):
            return str(name)
    raise ValueError("the frame has no region column; pass region=")


def connector_hubs(
    linkage: pd.DataFrame,
    *,
    ax: Axes | None = None,
    label: int = 5,
) -> Axes:
    """The connector–hub plane: where each firm buys (x) and where it sells (y).

    x is the share of its purchases bought inside its region (``hub_ratio``), y the share of
    its sales made outside it (``connector_ratio``); dot area follows total sales, colour the
    role. Connector hubs — the seams that bring outside money in and spend it locally — are the
    upper-right quadrant, bounded by the thresholds the frame was computed with.

    Parameters
    ----------
    linkage : DataFrame
        The result of :func:`tsunagime.linkage`.
    ax : matplotlib Axes, optional
        Where to draw; a new figure when omitted.
    label : int
        How many of the largest connector hubs to name.

    Returns
    -------
    matplotlib Axes

    Examples
    --------
    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> import tsunagime as tg
    >>> links = tg.linkage(tg.datasets.synthetic_japan(2_000, seed=0))
    >>> ax = tg.plot.connector_hubs(links, label=3)
    >>> len(ax.texts)
    3
    """
    ax = _axes(ax, (6.5, 5.5))
    sales = (linkage["sales_in"] + linkage["sales_out"]).to_numpy(dtype=float)
    scale = 400.0 / max(float(np.nanmax(sales, initial=0.0)), 1e-12)
    for role, colour in ROLE_COLOURS.items():
        part = linkage[linkage["role"] == role]
        if role == "isolated" or part.empty:
            continue
        ax.scatter(
            part["hub_ratio"],
            part["connector_ratio"],
            s=4 + scale * (part["sales_in"] + part["sales_out"]),
            c=colour,
            alpha=0.55,
            linewidths=0,
            label=f"{role} ({len(part):,})",
        )
    hub = float(linkage.attrs.get("hub_threshold", 0.5))
    connector = float(linkage.attrs.get("connector_threshold", 0.5))
    ax.axvline(hub, color="black", lw=0.8, ls="--")
    ax.axhline(connector, color="black", lw=0.8, ls="--")
    top = linkage[linkage["role"] == "connector hub"]
    top = top.assign(_sales=top["sales_in"] + top["sales_out"]).nlargest(label, "_sales")
    for firm, row in top.iterrows():
        ax.annotate(
            str(firm),
            (row["hub_ratio"], row["connector_ratio"]),
            fontsize=7,
            xytext=(3, 3),
            textcoords="offset points",
        )
    ax.set(
        xlim=(-0.02, 1.02),
        ylim=(-0.02, 1.02),
        xlabel="share of purchases bought inside the region",
        ylabel="share of sales made outside the region",
        title="Connector hubs: buy inside, sell outside",
    )
    ax.legend(loc="lower left", fontsize=7, markerscale=0.6, framealpha=0.8)
    return ax


def brokerage_profile(
    brokerage: pd.DataFrame,
    *,
    region: str | None = None,
    top: int = 15,
    ax: Axes | None = None,
) -> Axes:
    """The mix of brokerage roles in each region: stacked shares of the five roles.

    Regions are the ``top`` with the most brokered pairs, largest first. A region whose firms
    are mostly *representatives* (A→A→B) carries its own supply out; *gatekeepers* (A→B→B)
    bring outside supply in.

    Parameters
    ----------
    brokerage : DataFrame
        The result of :func:`tsunagime.brokerage`.
    region : str, optional
        The region column; the frame's categorical column when omitted.
    top : int
        How many regions to show.
    ax : matplotlib Axes, optional

    Returns
    -------
    matplotlib Axes

    Examples
    --------
    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> import tsunagime as tg
    >>> b = tg.brokerage(tg.datasets.synthetic_japan(2_000, seed=0))
    >>> ax = tg.plot.brokerage_profile(b, top=5)
    >>> len(ax.get_yticklabels())
    5
    """
    column = _region_column(brokerage, region)
    roles = list(BROKERAGE_COLOURS)
    sums = brokerage.groupby(column, observed=True)[[*roles, "total"]].sum()
    sums = sums[sums["total"] > 0].nlargest(top, "total").iloc[::-1]
    ax = _axes(ax, (7.0, 0.35 * len(sums) + 1.5))
    left = np.zeros(len(sums))
    labels = [str(r) for r in sums.index]
    for role in roles:
        share = (sums[role] / sums["total"]).to_numpy()
        ax.barh(labels, share, left=left, color=BROKERAGE_COLOURS[role], label=role)
        left += share
    ax.set(xlim=(0, 1), xlabel="share of brokered pairs", title="Brokerage roles by region")
    ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.12), ncols=5, fontsize=7, frameon=False)
    return ax


def cartography(
    cartography: pd.DataFrame,
    *,
    ax: Axes | None = None,
) -> Axes:
    """The Guimerà–Amaral plane: participation P (x) against within-module z (y).

    The seven role regions are drawn from the cut-offs the frame was computed with (kept in
    its ``attrs``): non-hubs R1–R4 below ``hub_z``, hubs R5–R7 above; dots are coloured by
    role.

    Parameters
    ----------
    cartography : DataFrame
        The result of :func:`tsunagime.cartography`.
    ax : matplotlib Axes, optional

    Returns
    -------
    matplotlib Axes

    Examples
    --------
    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> import tsunagime as tg
    >>> carto = tg.cartography(tg.datasets.synthetic_japan(2_000, seed=0))
    >>> ax = tg.plot.cartography(carto)
    >>> sorted(t.get_text() for t in ax.texts)
    ['R1', 'R2', 'R3', 'R4', 'R5', 'R6', 'R7']
    """
    ax = _axes(ax, (6.5, 5.0))
    hub_z = float(cartography.attrs.get("hub_z", 2.5))
    non_hub = [0.0, *cartography.attrs.get("non_hub_p", (0.05, 0.62, 0.80)), 1.0]
    hub = [0.0, *cartography.attrs.get("hub_p", (0.30, 0.75)), 1.0]
    z = cartography["within_module_z"].to_numpy(dtype=float)
    finite = z[np.isfinite(z)]
    low = min(float(finite.min(initial=0.0)), -1.0) - 0.3
    high = max(float(finite.max(initial=hub_z)), hub_z + 1.0) + 0.3
    shades = ["#f7f7f7", "#e8eef7", "#dfe9f5", "#d4e3f2", "#fbe9e7", "#f8d7d2", "#f4c5bd"]
    cells = [(non_hub[i], non_hub[i + 1], low, hub_z) for i in range(4)]
    cells += [(hub[i], hub[i + 1], hub_z, high) for i in range(3)]
    for k, (x0, x1, y0, y1) in enumerate(cells):
        ax.fill_between([x0, x1], y0, y1, color=shades[k], zorder=0)
        ax.text((x0 + x1) / 2, y1 - 0.05 * (high - low), f"R{k + 1}", ha="center", fontsize=8)
    ax.axhline(hub_z, color="black", lw=0.8)
    colours = [*["#7f7f7f", "#1f77b4", "#2ca02c", "#9467bd"], *["#ff7f0e", "#d62728", "#8c564b"]]
    roles = cartography["role"].to_numpy()
    ax.scatter(
        cartography["participation"],
        z,
        s=6,
        c=[colours[int(r) - 1] for r in roles],
        alpha=0.6,
        linewidths=0,
        zorder=2,
    )
    ax.set(
        xlim=(0, 1),
        ylim=(low, high),
        xlabel="participation coefficient P (links spread over regions)",
        ylabel="within-region degree z",
        title="Cartography roles R1–R7",
    )
    return ax


def regional_flows(
    net: TradeNetwork,
    region: str = "prefecture",
    *,
    top: int = 15,
    ax: Axes | None = None,
) -> Axes:
    """Trade of each region: bought and sold inside it, sold to and bought from other regions.

    For each of the ``top`` regions by total trade, three bars: in-region trade, sales to other
    regions (money flowing in) and purchases from other regions (money flowing out). Amounts
    are trade amounts, or link counts when the network has none.

    Parameters
    ----------
    net : TradeNetwork
    region : str
        The partition of regions.
    top : int
        How many regions to show.
    ax : matplotlib Axes, optional

    Returns
    -------
    matplotlib Axes

    Examples
    --------
    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> import tsunagime as tg
    >>> ax = tg.plot.regional_flows(tg.datasets.synthetic_japan(2_000, seed=0), top=4)
    >>> [t.get_text() for t in ax.get_legend().get_texts()]
    ['in-region trade', 'sold to other regions', 'bought from other regions']
    """
    flows = regional_trade(net, region).nlargest(top, "total").iloc[::-1]
    ax = _axes(ax, (7.0, 0.45 * len(flows) + 1.5))
    y = np.arange(len(flows))
    height = 0.27
    bars = [
        ("in_region", "in-region trade", "#7f7f7f"),
        ("sold_out", "sold to other regions", "#d62728"),
        ("bought_in", "bought from other regions", "#1f77b4"),
    ]
    for k, (column, label, colour) in enumerate(bars):
        ax.barh(y + (1 - k) * height, flows[column], height=height, color=colour, label=label)
    ax.set_yticks(y, [str(r) for r in flows.index])
    unit = "amount" if "amount" in net.trades.columns else "links"
    ax.set(xlabel=f"trade ({unit})", title=f"Trade by {region}: inside and across its borders")
    ax.legend(loc="lower right", fontsize=7)
    return ax


def regional_trade(net: TradeNetwork, region: str = "prefecture") -> pd.DataFrame:
    """In-region trade, sales out and purchases in per region (the numbers behind
    :func:`regional_flows`), indexed by region.

    Examples
    --------
    >>> import tsunagime as tg
    >>> flows = tg.plot.regional_trade(tg.datasets.synthetic_japan(2_000, seed=0))
    >>> list(flows.columns)
    ['in_region', 'sold_out', 'bought_in', 'total']
    """
    regions = net.firms[region]
    trades = net.trades
    amount = trades["amount"] if "amount" in trades.columns else pd.Series(1.0, index=trades.index)
    frame = pd.DataFrame(
        {
            "supplier": regions.reindex(trades["supplier"]).to_numpy(),
            "customer": regions.reindex(trades["customer"]).to_numpy(),
            "amount": amount.to_numpy(),
        }
    )
    same = (frame["supplier"] == frame["customer"]).to_numpy()
    inside = frame[same].groupby("supplier", observed=True)["amount"].sum()
    across = frame[~same]
    out: pd.DataFrame = pd.DataFrame(
        {
            "in_region": inside,
            "sold_out": across.groupby("supplier", observed=True)["amount"].sum(),
            "bought_in": across.groupby("customer", observed=True)["amount"].sum(),
        }
    ).fillna(0.0)
    out["total"] = out.sum(axis=1)
    out.index.name = region
    return out


def schedule_grid(
    schedule: Schedule,
    *,
    ax: Axes | None = None,
    names: bool | None = None,
) -> Axes:
    """A summit's slot × table grid: each cell one meeting, coloured by its score.

    Parameters
    ----------
    schedule : Schedule
        The result of :func:`tsunagime.schedule_meetings`.
    ax : matplotlib Axes, optional
    names : bool, optional
        Write the two participants in each cell; by default when the grid is small enough to
        read (at most 16 tables).

    Returns
    -------
    matplotlib Axes

    Examples
    --------
    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> import tsunagime as tg
    >>> plan = tg.schedule_meetings(**tg.summit.random_instance(20, slots=3, seed=0), tables=6)
    >>> ax = tg.plot.schedule_grid(plan)
    >>> len(ax.texts) == len(plan.meetings)
    True
    """
    meetings = schedule.meetings
    slots = int(meetings["slot"].max()) if len(meetings) else 1
    tables = int(meetings["table"].max()) if len(meetings) else 1
    grid = np.full((slots, tables), np.nan)
    grid[meetings["slot"].to_numpy() - 1, meetings["table"].to_numpy() - 1] = meetings["score"]
    ax = _axes(ax, (min(2.0 + 0.9 * tables, 18.0), 1.2 + 0.55 * slots))
    image = ax.imshow(grid, cmap="YlGn", aspect="auto", interpolation="nearest")
    if names if names is not None else tables <= 16:
        cells = zip(meetings["slot"], meetings["table"], meetings["a"], meetings["b"], strict=True)
        for slot, table, a, b in cells:
            ax.text(
                int(table) - 1,
                int(slot) - 1,
                f"{a}\n{b}",
                ha="center",
                va="center",
                fontsize=6,
            )
    ax.set_xticks(range(tables), [str(t + 1) for t in range(tables)], fontsize=7)
    ax.set_yticks(range(slots), [f"slot {s + 1}" for s in range(slots)], fontsize=7)
    ax.set(xlabel="table", title=f"{len(meetings)} meetings (colour: score)")
    ax.figure.colorbar(image, ax=ax, shrink=0.8, label="score")
    return ax


def save_all(
    net: TradeNetwork,
    folder: str | os.PathLike[str],
    *,
    schedule: Schedule | None = None,
    region: str = "prefecture",
    dpi: int = 72,
) -> list[Path]:
    """Draws every plot of ``net`` (and of ``schedule``, when given) into ``folder`` as PNG
    files named after the functions; returns their paths.

    Uses the Agg backend (no window), so it runs on servers and in scripts.

    Examples
    --------
    >>> import tempfile
    >>> import tsunagime as tg
    >>> paths = tg.plot.save_all(tg.datasets.synthetic_japan(2_000, seed=0), tempfile.mkdtemp())
    >>> [p.name for p in paths]
    ['connector_hubs.png', 'brokerage_profile.png', 'cartography.png', 'regional_flows.png']
    """
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    from . import roles

    out = Path(folder)
    out.mkdir(parents=True, exist_ok=True)
    drawings: dict[str, Callable[[], Any]] = {
        "connector_hubs": lambda: connector_hubs(roles.linkage(net, region)),
        "brokerage_profile": lambda: brokerage_profile(roles.brokerage(net, region), top=12),
        "cartography": lambda: cartography(roles.cartography(net, region)),
        "regional_flows": lambda: regional_flows(net, region, top=10),
    }
    if schedule is not None:
        drawings["schedule_grid"] = lambda: schedule_grid(schedule)
    paths = []
    for name, draw in drawings.items():
        figure = draw().figure
        path = out / f"{name}.png"
        figure.savefig(path, dpi=dpi)
        plt.close(figure)
        paths.append(path)
    return paths
