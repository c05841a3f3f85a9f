"""Input–output tables as networks of (region, sector) nodes: ripple's multipliers are the
Leontief multipliers that pymrio computes (single region) and the regional block inverses
(several regions), to 1e-8."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pymrio
import pytest

import tsunagime as tg


@pytest.fixture(scope="module")
def mrio() -> pymrio.IOSystem:
    io = pymrio.load_test()
    io.calc_all()
    return io


def test_pymrio_test_system_loads_with_its_diagonal(mrio):
    net = tg.TradeNetwork.from_pymrio(mrio)
    assert net.n_firms == 48 and set(net.partitions) == {"region", "sector"}
    z = mrio.Z.to_numpy()
    assert net.report.self_loops_kept == int((np.diag(z) != 0).sum())
    assert np.allclose(net.firms["self_amount"].to_numpy(), np.diag(z))
    assert np.isclose(net.trades["amount"].sum() + np.trace(z), z.sum())
    # A firm network still refuses self-loops by default.
    with pytest.raises(tg.errors.InputError, match="self-loop"):
        tg.TradeNetwork.from_frames(None, {"supplier": [1], "customer": [1]})


def test_regional_multipliers_are_the_block_inverses(mrio):
    net = tg.TradeNetwork.from_pymrio(mrio)
    got = tg.ripple(net, "region", output="output")["multiplier"].to_numpy()
    a = mrio.A.to_numpy()
    regions = mrio.Z.index.get_level_values(0).to_numpy()
    want = np.empty(len(regions))
    for r in np.unique(regions):
        block = regions == r
        inv = np.linalg.inv(np.eye(block.sum()) - a[np.ix_(block, block)])
        want[block] = inv.sum(axis=0)
    np.testing.assert_allclose(got, want, rtol=1e-8, atol=0)


def test_one_region_multipliers_are_pymrios_leontief_column_sums(mrio):
    one = mrio.copy()
    one.aggregate(region_agg="all")
    one.reset_all_full()
    one.calc_all()
    net = tg.TradeNetwork.from_pymrio(one)
    got = tg.ripple(net, "region", output="output")["multiplier"].to_numpy()
    np.testing.assert_allclose(got, one.L.sum(axis=0).to_numpy(), rtol=1e-8, atol=0)


def test_bad_tables_are_errors():
    with pytest.raises(tg.errors.ParameterError, match="a 2×3 table for 2 outputs"):
        tg.TradeNetwork.from_io_table(np.ones((2, 3)), [1.0, 1.0])
    with pytest.raises(tg.errors.InputError, match="negative amount"):
        tg.TradeNetwork.from_io_table(np.array([[0.0, -1.0], [1.0, 0.0]]), [5.0, 5.0])
    frame = pd.DataFrame(np.ones((2, 2)), index=["a", "b"])
    net = tg.TradeNetwork.from_io_table(frame, [10.0, 10.0])
    assert list(net.firm_ids) == ["all/a", "all/b"]


def test_labelled_tables_are_read_by_label():
    """Columns in another order than the rows were read by position, and an output missing a
    sector became a NaN output; lists of lists are tables too."""
    z = pd.DataFrame([[1.0, 2.0], [3.0, 4.0]], index=["farm", "food"], columns=["farm", "food"])
    x = pd.Series([10.0, 20.0], index=["farm", "food"])
    want = tg.TradeNetwork.from_io_table(z, x)
    assert tg.TradeNetwork.from_io_table(z[["food", "farm"]], x.iloc[::-1]) == want
    assert tg.TradeNetwork.from_io_table(z.to_numpy().tolist(), [10, 20], sectors=z.index) == want
    with pytest.raises(tg.errors.ParameterError, match="NaN for 'all/food' is not an output"):
        tg.TradeNetwork.from_io_table(z, x.iloc[:1])
    with pytest.raises(tg.errors.ParameterError, match="columns are not the sectors of its rows"):
        tg.TradeNetwork.from_io_table(z.set_axis(["farm", "fish"], axis=1), x)
    with pytest.raises(tg.errors.ParameterError, match="a 1-dimensional array"):
        tg.TradeNetwork.from_io_table(np.ones(4), x)
    with pytest.raises(TypeError, match="expected a pymrio IOSystem, got dict"):
        tg.TradeNetwork.from_pymrio({})
