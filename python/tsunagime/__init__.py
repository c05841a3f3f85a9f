"""tsunagime — the seams of a regional economy.

Build the supplier → customer network of a country's firms, split into regions, and measure
how each firm links its region to the rest of the economy.

>>> import tsunagime as tg
>>> net = tg.datasets.synthetic_japan(n_firms=2_000, seed=1)
>>> net
TradeNetwork(2000 firms, ... collaborations; partitions: prefecture, ... years 2016–2019)
"""

from __future__ import annotations

from . import datasets, errors, plot, recommend, roles, shock, summit
from ._network import LoadReport, TradeNetwork
from ._tsunagime import __version__
from .recommend import PartnerRecommender
from .roles import (
    brokerage,
    brokerage_summary,
    cartography,
    linkage,
    ripple,
    select_leading_firms,
)
from .summit import Schedule, schedule_meetings

__all__ = [
    "LoadReport",
    "PartnerRecommender",
    "Schedule",
    "TradeNetwork",
    "__version__",
    "brokerage",
    "brokerage_summary",
    "cartography",
    "datasets",
    "errors",
    "linkage",
    "plot",
    "recommend",
    "ripple",
    "roles",
    "schedule_meetings",
    "select_leading_firms",
    "shock",
    "summit",
]
