"""Every plot draws on the Axes it is given (or a new one), returns it, and shows what it says;
the documentation's figures are drawn by the same code."""

from __future__ import annotations

from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import pytest

import tsunagime as tg

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def net() -> tg.TradeNetwork:
    return tg.datasets.synthetic_japan(3_000, seed=2)


def test_connector_hubs_draws_each_role_and_the_thresholds(net):
    links = tg.linkage(net, hub_threshold=0.6, connector_threshold=0.4)
    fig, ax = plt.subplots()
    assert tg.plot.connector_hubs(links, ax=ax, label=2) is ax
    legend = [t.get_text() for t in ax.get_legend().get_texts()]
    hubs = int((links["role"] == "connector hub").sum())
    assert f"connector hub ({hubs:,})" in legend
    lines = {(tuple(line.get_xdata()), tuple(line.get_ydata())) for line in ax.get_lines()}
    assert ((0.6, 0.6), (0, 1)) in lines and ((0, 1), (0.4, 0.4)) in lines
    assert len(ax.texts) == 2
    plt.close(fig)


def test_brokerage_profile_shares_sum_to_one(net):
    b = tg.brokerage(net)
    ax = tg.plot.brokerage_profile(b, top=6)
    widths = np.zeros(6)
    for patch in ax.patches:
        widths[round(patch.get_y() + patch.get_height() / 2)] += patch.get_width()
    np.testing.assert_allclose(widths, 1.0)
    biggest = b.groupby("prefecture", observed=True)["total"].sum().idxmax()
    assert ax.get_yticklabels()[-1].get_text() == biggest  # largest on top
    plt.close(ax.figure)


def test_cartography_plane_uses_the_frames_cut_offs(net):
    carto = tg.cartography(net, hub_z=1.5, hub_p=(0.2, 0.6))
    ax = tg.plot.cartography(carto)
    assert [line.get_ydata()[0] for line in ax.get_lines()] == [1.5]
    assert len(ax.collections[-1].get_offsets()) == net.n_firms
    plt.close(ax.figure)


def test_regional_flows_match_the_trades(net):
    flows = tg.plot.regional_trade(net)
    amount = net.trades["amount"].sum()
    # Every trade is either inside a region or sold out of one (and bought into another).
    assert flows["in_region"].sum() + flows["sold_out"].sum() == pytest.approx(amount)
    assert flows["sold_out"].sum() == pytest.approx(flows["bought_in"].sum())
    ax = tg.plot.regional_flows(net, top=5)
    assert ax.get_yticklabels()[-1].get_text() == flows["total"].idxmax()
    plt.close(ax.figure)


def test_schedule_grid_has_one_cell_per_meeting():
    plan = tg.schedule_meetings(**tg.summit.random_instance(30, slots=4, seed=1), tables=10)
    ax = tg.plot.schedule_grid(plan)
    grid = ax.images[0].get_array()
    assert grid.shape == (4, 10) and int(np.isfinite(grid).sum()) == len(plan.meetings)
    plt.close(ax.figure)
    ax = tg.plot.schedule_grid(plan, names=False)
    assert not ax.texts
    plt.close(ax.figure)


def test_bad_region_column_is_a_clear_error(net):
    with pytest.raises(KeyError, match="no column 'bloc'"):
        tg.plot.brokerage_profile(tg.brokerage(net), region="bloc")


def test_documentation_figures_are_drawn_small(tmp_path: Path):
    import importlib.util

    spec = importlib.util.spec_from_file_location("figures", ROOT / "docs" / "figures.py")
    assert spec and spec.loader
    figures = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(figures)
    paths = figures.main(tmp_path)
    assert {p.stem for p in paths} == {
        "connector_hubs",
        "brokerage_profile",
        "cartography",
        "regional_flows",
        "schedule_grid",
    }
    assert all(0 < p.stat().st_size < 200_000 for p in paths)
    assert {p.name for p in (ROOT / "docs" / "img").glob("*.png")} == {p.name for p in paths}


def test_japanese_names_draw_without_missing_glyphs(tmp_path: Path):
    import warnings

    import matplotlib

    matplotlib.use("Agg")
    from tsunagime import plot

    assert plot.cjk_font() is not None, "make test installs fonts-noto-cjk"
    firms = pd.DataFrame(
        {"firm_id": ["会津精機", "喜多方酒造", "郡山電子"], "prefecture": ["福島県"] * 3}
    )
    trades = {"supplier": ["会津精機", "喜多方酒造"], "customer": ["喜多方酒造", "郡山電子"]}
    links = tg.linkage(tg.TradeNetwork.from_frames(firms, trades))
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # "Glyph ... missing from font(s)" would fail here
        ax = plot.connector_hubs(links, label=3)
        ax.set_title("福島県のつなぎ役")
        ax.figure.savefig(tmp_path / "hubs.png")
