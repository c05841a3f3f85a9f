"""Shock propagation: the steady state, a case worked by hand, the forms of damage, errors."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

import tsunagime as tg


@pytest.fixture(scope="module")
def japan() -> tg.TradeNetwork:
    return tg.datasets.synthetic_japan(3_000, seed=0)


def test_without_damage_nothing_is_lost(japan: tg.TradeNetwork):
    for rationing in ("proportional", "final_demand_last"):
        r = tg.shock.simulate(japan, {}, days=30, rationing=rationing)
        assert np.abs(r.firms["loss"]).max() < 1e-9
        assert np.allclose(r.daily["output"], r.daily["baseline"], rtol=1e-12, atol=1e-9)


def test_a_chain_worked_by_hand():
    """a sells 10 a day to b, which sells 10 to households. a stops; b lives on its 2 days
    of inventory (20), orders 20 to rebuild it and, receiving nothing, stops on day 2."""
    trades = {"supplier": ["a"], "customer": ["b"], "amount": [10.0]}
    net = tg.TradeNetwork.from_frames(None, trades)
    r = tg.shock.simulate(net, {"a": 1.0}, days=4, inventory_days=2, tau=1, output=None)
    f = r.firms
    assert f.loc["a", "loss"] == 40 and f.loc["a", "direct"] == 40
    assert f.loc["b", "loss"] == 20 and f.loc["b", "indirect"] == 20
    assert r.daily.groupby("day")["output"].sum().tolist() == [10, 10, 0, 0]


def test_damage_by_region_by_firm_and_by_region_and_industry_agree(japan: tg.TradeNetwork):
    firms = japan.firms
    kochi = firms.index[firms["prefecture"] == "Kochi"]
    by_region = tg.shock.simulate(japan, {"Kochi": 0.4}, days=20)
    by_firm = tg.shock.simulate(japan, pd.Series(0.4, index=kochi), days=20)
    table = pd.DataFrame({"firm": kochi, "damage": 0.4})
    by_table = tg.shock.simulate(japan, table, days=20)
    pd.testing.assert_frame_equal(by_region.firms, by_firm.firms)
    pd.testing.assert_frame_equal(by_region.firms, by_table.firms)
    industries = firms.loc[kochi, "industry"].unique()
    cells = pd.DataFrame({"region": "Kochi", "industry": industries, "damage": 0.4})
    pd.testing.assert_frame_equal(tg.shock.simulate(japan, cells, days=20).firms, by_region.firms)


def test_the_loss_travels_and_the_tables_add_up(japan: tg.TradeNetwork):
    r = tg.shock.simulate(japan, {"Kochi": 0.5, "Ehime": 0.3}, days=40)
    regions, firms = r.regions, r.firms
    assert set(regions.index[regions["damaged"]]) == {"Kochi", "Ehime"}
    assert regions.loc[~regions["damaged"], "loss"].sum() > 0
    assert np.isclose(regions["loss"].sum(), firms["loss"].sum())
    assert (firms["direct"] <= firms["loss"] + 1e-9).all() and (firms["direct"] >= 0).all()
    assert np.allclose(firms["loss"], firms["direct"] + firms["indirect"])
    lost_by_day = (r.daily["baseline"] - r.daily["output"]).groupby(r.daily["day"]).sum()
    assert np.isclose(lost_by_day.sum(), firms["loss"].sum())
    assert len(r.summary()) == 3 and "indirect" in r.summary()[1]
    healing = tg.shock.simulate(japan, {"Kochi": 0.5, "Ehime": 0.3}, days=40, recovery=0.2)
    assert healing.firms["loss"].sum() < firms["loss"].sum()


def test_bad_damage_is_named(japan: tg.TradeNetwork):
    with pytest.raises(tg.errors.InputError, match=r"row 0, column 'region'.*Atlantis"):
        tg.shock.simulate(japan, pd.DataFrame({"region": ["Atlantis"], "damage": [0.1]}))
    first = japan.firm_ids[0]
    with pytest.raises(tg.errors.InputError, match=f"1.5 for firm {first}"):
        tg.shock.simulate(japan, {first: 1.5})
    with pytest.raises(tg.errors.InputError, match=r"row 1, column 'region'.*twice"):
        tg.shock.simulate(japan, pd.DataFrame({"region": ["Kochi", "Kochi"], "damage": 0.1}))
    with pytest.raises(tg.errors.ParameterError, match="rationing"):
        tg.shock.simulate(japan, {}, rationing="fair")
    with pytest.raises(tg.errors.ParameterError, match="tau"):
        tg.shock.simulate(japan, {}, tau=0)
    with pytest.raises(KeyError):
        tg.shock.simulate(japan, {"no such firm": 0.2})


def test_ctrl_c_stops_within_a_day(japan: tg.TradeNetwork):
    seen = []

    def stop(stage: str, done: int, total: int) -> None:
        seen.append(done)
        if done == 3:
            raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        tg.shock.simulate(japan, {"Kochi": 0.5}, days=1_000, progress=stop)
    assert max(seen) == 3
