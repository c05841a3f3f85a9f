"""Invariants on random networks through the Python API (hypothesis): brokerage against a naive
count of open two-paths, participation bounds, multipliers against a dense numpy solve, valid
schedules, no existing partner recommended, and the same results after a pickle round trip and
from two threads at once."""

from __future__ import annotations

import pickle
from concurrent.futures import ThreadPoolExecutor

import numpy as np
import pandas as pd
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import tsunagime as tg

SETTINGS = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@st.composite
def networks(draw: st.DrawFn) -> tg.TradeNetwork:
    n = draw(st.integers(2, 30))
    regions = draw(st.lists(st.sampled_from("ABCD"), min_size=n, max_size=n))
    industries = draw(st.lists(st.sampled_from("xyz"), min_size=n, max_size=n))
    pairs = draw(
        st.lists(
            st.tuples(st.integers(0, n - 1), st.integers(0, n - 1), st.floats(0.5, 100.0)),
            max_size=4 * n,
        )
    )
    pairs = [p for p in pairs if p[0] != p[1]]
    trades = pd.DataFrame(pairs, columns=["supplier", "customer", "amount"])
    trades["year"] = [2016 + (i % 4) for i in range(len(trades))]
    # Sales above twice the purchases: in-region input coefficients stay below one half.
    strength = trades.groupby("customer")["amount"].sum().reindex(range(n), fill_value=0.0)
    firms = pd.DataFrame(
        {
            "firm_id": range(n),
            "region": regions,
            "industry": industries,
            "sales": 2.0 * strength.to_numpy(dtype=float) + 1.0,
            "lat": np.linspace(33.0, 36.0, n),
            "lon": np.linspace(130.0, 140.0, n),
        }
    )
    return tg.TradeNetwork.from_frames(firms, trades.astype({"supplier": int, "customer": int}))


def group_of(net: tg.TradeNetwork) -> dict:
    return net.firms["region"].to_dict()


@SETTINGS
@given(networks())
def test_brokerage_equals_the_naive_count_of_open_two_paths(net):
    b = tg.brokerage(net, "region")
    roles = ["coordinator", "itinerant", "representative", "gatekeeper", "liaison"]
    assert (b[roles].sum(axis=1) == b["total"]).all()
    links = set(zip(net.trades["supplier"], net.trades["customer"], strict=True))
    g = group_of(net)
    naive = {firm: dict.fromkeys(roles, 0) for firm in net.firm_ids}
    for a, k in links:
        for k2, c in links:
            if k2 != k or a == c or (a, c) in links:
                continue
            same_ab, same_bc, same_ac = g[a] == g[k], g[k] == g[c], g[a] == g[c]
            role = (
                "coordinator"
                if same_ab and same_bc
                else "representative"
                if same_ab
                else "gatekeeper"
                if same_bc
                else "itinerant"
                if same_ac
                else "liaison"
            )
            naive[k][role] += 1
    expected = pd.DataFrame.from_dict(naive, orient="index")[roles].astype(float)
    pd.testing.assert_frame_equal(b[roles], expected, check_names=False)


@SETTINGS
@given(networks())
def test_participation_lies_in_zero_to_one_minus_one_over_m(net):
    carto = tg.cartography(net, "region")
    m = net.firms["region"].nunique()
    assert carto["participation"].between(0, 1 - 1 / m + 1e-12).all()


@SETTINGS
@given(networks())
def test_multipliers_are_at_least_one_and_equal_the_dense_solve(net):
    r = tg.ripple(net, "region", output="sales")
    ids = list(net.firm_ids)
    pos = {f: i for i, f in enumerate(ids)}
    g = group_of(net)
    a = np.zeros((len(ids), len(ids)))
    for s, c, amount in net.trades[["supplier", "customer", "amount"]].itertuples(index=False):
        if g[s] == g[c]:
            a[pos[s], pos[c]] = amount / net.firms.loc[c, "sales"]
    dense = np.linalg.solve(np.eye(len(ids)) - a.T, np.ones(len(ids)))
    assert (r["multiplier"] >= 1).all()
    np.testing.assert_allclose(r["multiplier"].to_numpy(), dense, rtol=1e-9)


@SETTINGS
@given(
    st.integers(2, 40),
    st.integers(1, 6),
    st.integers(1, 12),
    st.floats(0.0, 0.5),
    st.integers(0, 1000),
)
def test_schedules_always_pass_the_validator(n, slots, tables, unavailable, seed):
    summit = tg.summit.random_instance(n, slots=slots, unavailable=unavailable, seed=seed)
    plan = tg.schedule_meetings(**summit, tables=tables, seed=seed)
    assert plan.validate() == []
    assert (plan.meetings.groupby("slot").size() <= tables).all()


@SETTINGS
@given(networks(), st.sampled_from(["supplier", "customer"]))
def test_recommendations_never_name_an_existing_partner(net, purpose):
    rec = tg.PartnerRecommender(purpose, region="region", industry="industry").fit(net)
    recs = rec.recommend(k=5)
    links = set(zip(net.trades["supplier"], net.trades["customer"], strict=True))
    for firm, partner in zip(recs["firm_id"], recs["partner_id"], strict=True):
        assert firm != partner
        assert ((partner, firm) if purpose == "supplier" else (firm, partner)) not in links


@SETTINGS
@given(networks())
def test_pickles_and_threads_give_the_same_results(net):
    again = pickle.loads(pickle.dumps(net))
    assert again == net

    def run(n: tg.TradeNetwork) -> list[pd.DataFrame]:
        rec = tg.PartnerRecommender("customer", region="region", industry="industry").fit(n)
        rec = pickle.loads(pickle.dumps(rec))
        return [
            tg.brokerage(n, "region"),
            tg.cartography(n, "region"),
            tg.ripple(n, "region", output="sales"),
            rec.recommend(k=3, evidence=False),
        ]

    alone = run(net)
    with ThreadPoolExecutor(2) as pool:
        together = list(pool.map(run, [net, again]))
    for frames in together:
        for ours, theirs in zip(alone, frames, strict=True):
            pd.testing.assert_frame_equal(ours, theirs)
