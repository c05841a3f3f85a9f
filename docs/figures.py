"""Draws the figures of the documentation (docs/img/*.png) from the seeded synthetic economy.

Run ``python docs/figures.py`` after changing a plot; the images are kept small (≈ 50 kB).
"""

from __future__ import annotations

import sys
from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt

import tsunagime as tg

OUT = Path(__file__).resolve().parent / "img"


def main(out: Path = OUT) -> list[Path]:
    """Writes one PNG per plot into ``out`` and returns their paths."""
    out.mkdir(parents=True, exist_ok=True)
    net = tg.datasets.synthetic_japan(8_000, seed=0)
    leaders = tg.select_leading_firms(net, per_region=2)
    chosen = leaders.index[leaders["selected"]][:40]
    scores = tg.summit.random_instance(len(chosen), slots=6, seed=0)
    plan = tg.schedule_meetings(**scores, tables=12)
    drawings = {
        "connector_hubs": lambda: tg.plot.connector_hubs(tg.linkage(net)),
        "brokerage_profile": lambda: tg.plot.brokerage_profile(tg.brokerage(net), top=12),
        "cartography": lambda: tg.plot.cartography(tg.cartography(net)),
        "regional_flows": lambda: tg.plot.regional_flows(net, top=10),
        "schedule_grid": lambda: tg.plot.schedule_grid(plan),
    }
    paths = []
    for name, draw in drawings.items():
        ax = draw()
        path = out / f"{name}.png"
        ax.figure.savefig(path, dpi=72)
        plt.close(ax.figure)
        paths.append(path)
    return paths


if __name__ == "__main__":
    for p in main(Path(sys.argv[1]) if len(sys.argv) > 1 else OUT):
        print(f"{p.name}: {p.stat().st_size / 1024:.0f} kB")
