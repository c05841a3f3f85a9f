"""The roles from Python: DataFrames indexed by firm id, and every edge case with a defined,
documented result."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

import tsunagime as tg

ROLES = list(tg.roles.ROLE_NAMES)


def build(regions, sup, cus, amount=None, sales=None):
    firms = pd.DataFrame({"firm_id": list(regions), "region": list(regions.values())})
    if sales is not None:
        firms["sales"] = sales
    trades = {"supplier": sup, "customer": cus}
    if amount is not None:
        trades["amount"] = amount
    return tg.TradeNetwork.from_frames(firms, trades)


def test_frames_are_indexed_by_firm_id(japan):
    for frame in (
        tg.linkage(japan),
        tg.brokerage(japan),
        tg.cartography(japan),
        tg.ripple(japan),
    ):
        assert frame.index.equals(japan.firm_ids)
        assert frame["prefecture"].equals(japan.firms["prefecture"])


def test_brokerage_roles_sum_to_total(japan):
    b = tg.brokerage(japan, "bloc")
    assert np.array_equal(b[ROLES[:-1]].sum(axis=1), b["total"])
    w = tg.brokerage(japan, "bloc", weighted=True)
    assert np.allclose(w[ROLES[:-1]].sum(axis=1), w["total"])
    assert w["z_total"].isna().all()


def test_firm_with_no_trades():
    net = build(
        {"a": "X", "b": "X", "c": "Y", "lonely": "Y"},
        ["a", "b"],
        ["b", "c"],
        sales=[10.0, 10, 10, 5],
    )
    assert tg.linkage(net, "region").loc["lonely", "role"] == "isolated"
    assert (tg.brokerage(net, "region").loc["lonely", ROLES] == 0).all()
    carto = tg.cartography(net, "region").loc["lonely"]
    assert carto["participation"] == 0 and carto["role_name"] == "R1 ultra-peripheral"
    r = tg.ripple(net, "region").loc["lonely"]
    assert r["multiplier"] == 1 and np.isnan(r["leakage"]) and r["pull"] == 0


def test_region_with_one_firm():
    net = build({"a": "X", "b": "X", "c": "Solo"}, ["a", "b", "c"], ["b", "c", "a"])
    carto = tg.cartography(net, "region")
    assert carto.loc["c", "within_module_z"] == 0  # one-firm module: z = 0
    link = tg.linkage(net, "region").loc["c"]
    assert np.isnan(link["hub_share"])  # its region buys nothing in-region: share undefined
    assert link["connector_share"] == 1.0  # the only out-seller of its region


def test_two_regions_bound_participation():
    net = tg.datasets.synthetic_japan(3_000, seed=8)
    firms = net.firms.assign(east=np.where(net.firms["lon"] > 137, "east", "west"))
    two = tg.TradeNetwork.from_frames(firms, net.trades)
    p = tg.cartography(two, "east", direction="all")["participation"]
    assert p.max() <= 0.5 + 1e-12 and p.max() > 0.4


def test_all_firms_in_one_region():
    net = tg.datasets.synthetic_japan(2_000, seed=2)
    one = tg.TradeNetwork.from_frames(net.firms.assign(country="Japan"), net.trades)
    b = tg.brokerage(one, "country")
    assert np.array_equal(b["coordinator"], b["total"])
    assert (b[["itinerant", "representative", "gatekeeper", "liaison"]] == 0).all().all()
    assert (tg.cartography(one, "country")["participation"] == 0).all()
    link = tg.linkage(one, "country")
    assert (link["sales_out"] == 0).all() and set(link["role"]) <= {"hub", "local", "isolated"}


def test_missing_amounts_count_links():
    net = build({"a": "X", "b": "X", "c": "Y"}, ["a", "b"], ["b", "c"])
    link = tg.linkage(net, "region").loc["b"]
    assert (link["purchases_in"], link["sales_out"], link["role"]) == (1.0, 1.0, "connector hub")
    # With outputs from link counts, b buys 1 and produces 1: coefficients sum to 1, bad data.
    with pytest.raises(tg.errors.ParameterError, match=r"sum to 1\.0000"):
        tg.ripple(net, "region", output=None)
    clipped = tg.ripple(net, "region", output=None, clip=0.5)
    assert clipped.loc["b", "multiplier"] == 1.5 and clipped.loc["b", "clipped"]


def test_zero_output_firm():
    # A firm with zero output that buys in its region is bad data; without purchases it is fine.
    bad = build({"a": "X", "b": "X"}, ["a"], ["b"], amount=[5.0], sales=[10.0, 0.0])
    with pytest.raises(tg.errors.ParameterError, match="firm 'b' buys 5"):
        tg.ripple(bad, "region")
    assert tg.ripple(bad, "region", clip=0.5).loc["b", "clipped"]
    fine = build({"a": "X", "b": "X"}, ["a"], ["b"], amount=[5.0], sales=[0.0, 10.0])
    assert tg.ripple(fine, "region").loc["a", "multiplier"] == 1.0


def test_unknown_region_is_a_key_error(japan):
    with pytest.raises(KeyError, match="unknown partition 'city'"):
        tg.linkage(japan, "city")
    with pytest.raises(tg.errors.ParameterError, match="direction"):
        tg.cartography(japan, direction="sideways")


def test_selection_meti_preset_weights_and_nominated(japan):
    chosen = tg.select_leading_firms(japan, per_region=3, nominated=[japan.firm_ids[0]])
    assert chosen.loc[japan.firm_ids[0], "selected"]
    assert chosen.loc[japan.firm_ids[0], "reason"].startswith("nominated")
    counts = chosen[chosen["selected"]].groupby("prefecture", observed=True).size()
    assert counts.max() <= 4 and (counts >= 3).all()
    t_cols = [c for c in chosen.columns if c.startswith("t_")]
    assert len(t_cols) == 6 and np.allclose(chosen[t_cols].mean(), 50)
    only_growth = tg.select_leading_firms(
        japan,
        total=10,
        weights={
            "connector_share": 0,
            "hub_share": 0,
            "operating_profit_3y_mean": 0,
            "employees_3y_mean": 0,
        },
    )
    assert only_growth["selected"].sum() == 10
    by_list = tg.select_leading_firms(japan, indicators=["sales", "connector_share"], threshold=60)
    assert (by_list.loc[by_list["selected"], "composite"] >= 60).all()
    with pytest.raises(ValueError, match="one of"):
        tg.select_leading_firms(japan, per_region=1, total=3)
    with pytest.raises(tg.errors.ParameterError, match="METI 2019 preset"):
        bare = tg.TradeNetwork.from_frames(japan.firms[["prefecture"]], japan.trades)
        tg.select_leading_firms(bare)


@pytest.mark.parametrize(
    ("rule", "message"),
    [
        ({"per_region": 2.5}, "2.5 is not a count of firms"),
        ({"total": -1}, "-1 is not a count of firms"),
        ({"threshold": float("nan")}, "NaN is not a finite T-score"),
    ],
)
def test_selection_rules_are_checked_by_the_core_naming_the_parameter(japan, rule, message):
    with pytest.raises(tg.errors.ParameterError, match=message) as caught:
        tg.select_leading_firms(japan, **rule)
    assert caught.value.parameter == next(iter(rule))
