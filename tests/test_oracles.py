"""tsunagime's roles against the references: R sna (brokerage), bctpy (cartography) and a
dense numpy solve (ripple multipliers), on the same networks."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

import tsunagime as tg

from .oracles.references import bctpy_cartography, dense_multipliers, sna_brokerage


def hub_network() -> tg.TradeNetwork:
    """2,400 firms in three regions, random links, and one hub with 1,100 suppliers and 1,100
    customers (half of them both), some of whose suppliers also sell to its customers."""
    rng = np.random.default_rng(7)
    n, hub = 2_400, 0
    regions = rng.choice(["Kanto", "Kinki", "Tohoku"], size=n, p=[0.5, 0.3, 0.2])
    sup = list(rng.integers(1, n, 6_000))
    cus = list(rng.integers(1, n, 6_000))
    suppliers = rng.choice(np.arange(1, n), 1_100, replace=False)
    others = np.setdiff1d(np.arange(1, n), suppliers)
    customers = np.concatenate([suppliers[:550], rng.choice(others, 550, replace=False)])
    sup += [*suppliers, *[hub] * len(customers)]
    cus += [*[hub] * len(suppliers), *customers]
    closed = rng.choice(suppliers, 300), rng.choice(customers, 300)
    sup += list(closed[0])
    cus += list(closed[1])
    trades = pd.DataFrame({"supplier": sup, "customer": cus})
    trades = trades[trades["supplier"] != trades["customer"]]
    firms = pd.DataFrame({"firm_id": np.arange(n), "region": regions})
    net = tg.TradeNetwork.from_frames(firms, trades)
    degrees = net.trades.groupby("supplier").size()
    assert degrees.loc[hub] >= 1_000 and (net.trades["customer"] == hub).sum() >= 1_000
    return net


NETWORKS = {
    "japan-47-prefectures": lambda: (tg.datasets.synthetic_japan(2_000, seed=0), "prefecture"),
    "japan-20-industries": lambda: (tg.datasets.synthetic_japan(2_500, seed=1), "industry"),
    "hub-degree-1000": lambda: (hub_network(), "region"),
}


@pytest.fixture(scope="module", params=list(NETWORKS))
def case(request):
    net, region = NETWORKS[request.param]()
    return net, region, sna_brokerage(net, region)


def test_brokerage_equals_sna(case):
    net, region, ref = case
    ours = tg.roles.brokerage(net, region)
    names = list(tg.roles.ROLE_NAMES)
    assert np.array_equal(ours[names].to_numpy(), ref["raw"].to_numpy()), "raw counts"
    for prefix, key in (("expected_", "exp"), ("sd_", "sd"), ("z_", "z")):
        got = ours[[prefix + r for r in names]].to_numpy()
        np.testing.assert_allclose(got, ref[key].to_numpy(), rtol=1e-9, atol=0, equal_nan=True)
    table = tg.roles.brokerage_summary(net, region)
    gli = ref["gli"]
    assert np.array_equal(table["raw"].to_numpy(), gli["raw"].to_numpy())
    for ours_col, ref_col in (("expected", "exp"), ("sd", "sd"), ("z", "z")):
        np.testing.assert_allclose(table[ours_col], gli[ref_col], rtol=1e-9, atol=0)
    print(f"\n{region}: sna and tsunagime agree on {len(ours)} firms\n{table}")


@pytest.mark.parametrize("direction", ["out", "in", "all"])
@pytest.mark.parametrize("weighted", [False, True])
@pytest.mark.parametrize("module", ["prefecture", "bloc"])
def test_cartography_equals_bctpy(direction, weighted, module):
    # bctpy is dense and slow (an N × N matrix product per call): keep N modest.
    net = tg.datasets.synthetic_japan(800, seed=3)
    ours = tg.roles.cartography(net, module, direction=direction, weighted=weighted)
    p, z = bctpy_cartography(net, module, direction, weighted)
    z = np.nan_to_num(z)
    np.testing.assert_allclose(ours["participation"], p, rtol=1e-12, atol=1e-12)
    np.testing.assert_allclose(ours["within_module_z"], z, rtol=1e-12, atol=1e-12)


@pytest.mark.parametrize(
    ("n", "region"), [(500, "prefecture"), (2_000, "prefecture"), (2_000, "bloc")]
)
def test_ripple_equals_dense_solve(n, region):
    net = tg.datasets.synthetic_japan(n, seed=5)
    ours = tg.roles.ripple(net, region)
    np.testing.assert_allclose(ours["multiplier"], dense_multipliers(net, region), rtol=1e-8)
