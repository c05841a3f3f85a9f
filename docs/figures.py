"""Draws the figures of the documentation (docs/img/*.png) from the seeded synthetic economy.

Run ``python docs/figures.py`` after changing a plot; the images are kept small (≈ 50 kB).
"""

from __future__ import annotations

import sys
from pathlib import Path

import tsunagime as tg

OUT = Path(__file__).resolve().parent / "img"


def main(out: Path = OUT) -> list[Path]:
    """Writes one PNG per plot into ``out`` and returns their paths."""
    net = tg.datasets.synthetic_japan(8_000, seed=0)
    plan = tg.schedule_meetings(**tg.summit.random_instance(40, slots=6, seed=0), tables=12)
    paths: list[Path] = tg.plot.save_all(net, out, schedule=plan)
    return paths


if __name__ == "__main__":
    for p in main(Path(sys.argv[1]) if len(sys.argv) > 1 else OUT):
        print(f"{p.name}: {p.stat().st_size / 1024:.0f} kB")
