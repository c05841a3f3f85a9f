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
    for rationing in ("proportional", "final_demand_last", "priority"):
        r = tg.shock.simulate(japan, {}, days=30, rationing=rationing, substitution=1.0)
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


def test_customers_that_switch_suppliers_lose_less_when_firms_come_first(
    japan: tg.TradeNetwork,
):
    """Shikoku loses half its capacity. Where suppliers serve firms before households, the
    customers that move their orders to suppliers of the same industry outside Shikoku lose
    less than customers that keep them. (Under proportional rationing a substitute's
    households keep their share of its capacity, so moving orders can cost more than it
    saves: 11,275 -> 11,994 on this network.)"""
    shikoku = {p: 0.5 for p in ("Kochi", "Ehime", "Tokushima", "Kagawa")}
    for rationing in ("final_demand_last", "priority"):
        indirect = [
            tg.shock.simulate(japan, shikoku, days=40, rationing=rationing, substitution=s)
            .firms["indirect"]
            .sum()
            for s in (0.0, 0.5, 1.0)
        ]
        assert indirect[2] < indirect[1] < indirect[0], (rationing, indirect)


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
    with pytest.raises(tg.errors.ParameterError, match="substitution"):
        tg.shock.simulate(japan, {}, substitution=-0.1)
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


def test_equals_boario_at_sector_level():
    """On pymrio's test MRIO, with ARIO's orders and ψ, the day-by-day production of every
    region and sector equals BoARIO's ARIOPsiModel (same shock, same parameters)."""
    pymrio = pytest.importorskip("pymrio")
    from .oracles.shock_references import boario_production

    io = pymrio.load_test()
    io.calc_all()
    hit = pd.DataFrame(
        {
            "region": ["reg1", "reg2", "reg4"],
            "industry": ["manufactoring", "electricity", "mining"],
            "damage": [0.3, 0.5, 0.2],
        }
    )
    days = 120
    impact = hit.set_index(["region", "industry"])["damage"]
    reference = boario_production(io, impact, days, inventory_days=15, tau=6, psi=0.8)
    net = tg.TradeNetwork.from_pymrio(io)
    r = tg.shock.simulate(
        net,
        hit,
        days=days,
        inventory_days=15,
        tau=6,
        orders="ario",
        psi=0.8,
        region="region",
        industry="sector",
        output="output",
    )
    ours = r.daily.pivot_table(index="day", columns=["region", "sector"], values="ratio")
    ours = ours[reference.columns]
    assert ours.shape == reference.shape
    assert reference.min().min() < 0.7  # the shock does travel
    np.testing.assert_allclose(ours.to_numpy(), reference.to_numpy(), rtol=0, atol=1e-9)


def test_a_demand_drop_settles_at_the_static_leontief_answer():
    """No damage, final demand down by a fifth in two prefectures: production follows the
    orders down and settles at x' = (I − A)⁻¹ c' (a dense numpy solve)."""
    from .oracles.shock_references import leontief_output

    net = tg.datasets.synthetic_japan(1_500, seed=3)
    prefecture = net.firms["prefecture"]
    cut = np.where(prefecture.isin(["Kochi", "Osaka"]), 0.2, 0.0)
    r = tg.shock.simulate(net, {}, demand=cut, days=400, industry=None)
    expected = leontief_output(net, cut)
    last = r.daily[r.daily["day"] == 399].groupby("prefecture", observed=True)["output"].sum()
    by_region = pd.Series(expected, index=net.firm_ids).groupby(prefecture.to_numpy()).sum()
    np.testing.assert_allclose(last.to_numpy(), by_region[last.index].to_numpy(), rtol=1e-9)
    assert r.firms["direct"].abs().max() == 0  # nothing lost to capacity


def test_criticality_simulates_the_top_firms_as_simulate_does(japan: tg.TradeNetwork):
    c = tg.shock.criticality(japan, exact=3, days=15)
    assert len(c) == japan.n_firms and int(c["simulated"].sum()) == 3
    assert c["approx_national"].is_monotonic_decreasing
    assert c["simulated"].iloc[:3].all() and c["national"].iloc[3:].isna().all()
    # Its own output is part of what the economy loses: the index is at least that share.
    assert (c["approx_national"] >= c["output"] / c["output"].sum() - 1e-12).all()
    top = c.index[0]
    alone = tg.shock.simulate(japan, {top: 1.0}, days=15)
    lost = alone.firms["loss"].sum() / (alone.firms["baseline"].sum() * 15)
    assert np.isclose(c.loc[top, "national"], lost, rtol=1e-9)
    pref = c.loc[top, "prefecture"]
    row = alone.regions.loc[pref]
    assert np.isclose(c.loc[top, "region_loss"], row["loss"] / (row["baseline"] * 15))
    some = tg.shock.criticality(japan, japan.firm_ids[:50], exact=0)
    assert len(some) == 50 and not some["simulated"].any()
    with pytest.raises(TypeError, match="horizon"):
        tg.shock.criticality(japan, exact=0, horizon=3)


def test_criticality_is_an_indicator_for_leading_firms(japan: tg.TradeNetwork):
    c = tg.shock.criticality(japan, exact=0)
    chosen = tg.select_leading_firms(japan, indicators=c[["approx_region"]], per_region=1)
    best = c.groupby("prefecture", observed=True)["approx_region"].idxmax()
    picked = chosen.index[chosen["selected"]]
    assert set(picked) == set(best)


def test_criticality_screens_better_than_size_and_knows_the_inventory():
    """Every firm of a small economy simulated: the approximation ranks them closer to the
    simulation than their output does, and holds the simulation's top 10 within a few more
    (bench/criticality_screen.py prints the same on four networks). Customers are hurt only
    once their inventories run out, so over fewer days than inventory_days the screen counts
    a firm's own output and its purchases alone."""
    net = tg.datasets.synthetic_japan(400, seed=3)
    every = tg.shock.criticality(net, exact=net.n_firms, days=30)
    truth = every["national"]
    screen, size = every["approx_national"], every["output"]
    assert screen.corr(truth, method="spearman") > size.corr(truth, method="spearman") + 0.1
    top = truth.nlargest(10).index
    assert screen.rank(ascending=False)[top].max() <= 30
    assert size.rank(ascending=False)[top].max() > 30
    short = tg.shock.criticality(net, exact=0, days=10)
    t = net.trades
    bought = t.groupby("customer")["amount"].sum().reindex(short.index, fill_value=0.0)
    expected = (short["output"] + bought) / short["output"].sum()
    np.testing.assert_allclose(short["approx_national"], expected, rtol=1e-12)
    longer = tg.shock.criticality(net, exact=0, days=10, inventory_days=5)
    longer = longer.reindex(short.index)
    assert (longer["approx_national"] >= short["approx_national"] - 1e-15).all()
    assert (longer["approx_national"] > short["approx_national"]).any()
