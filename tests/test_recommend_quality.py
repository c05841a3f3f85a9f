"""The recommender beside the strongest simple methods on structurally different networks.

Each network stands for a kind of data (see ``bench/recommend_quality.py``, which runs the
same comparison at full size and prints it): the synthetic economy with years (temporal
hold-out), a hub-dominated keiretsu, the economy's trades with ids only, and a sparse
low-degree network (seeded hold-outs). The recommender chooses its scoring on an inner
split, so on the test links it must stay near the level of the best baseline; its candidates
must hold at least the test links the best baseline finds in its top 200.
"""

from __future__ import annotations

import numpy as np
import pytest

import tsunagime as tg

D = tg.datasets
NETWORKS = {
    "japan": lambda: D.synthetic_japan(6_000, seed=2),
    "keiretsu": lambda: D.keiretsu(250, 5_000, seed=2),
    "bare": lambda: D.bare(D.synthetic_japan(6_000, seed=3)),
    "sparse": lambda: D.sparse_supply(20_000, seed=2),
}
MIN_PARTNERS = {"sparse": 3}


@pytest.mark.parametrize("name", list(NETWORKS))
def test_at_the_level_of_the_best_baseline(name: str) -> None:
    net = NETWORKS[name]()
    table = tg.recommend.evaluate(
        net, k=(10, 20, 200), min_partners=MIN_PARTNERS.get(name, 5), max_queries=1_500
    )
    print(f"\n{name}")
    print(table[["recall@10", "recall@20", "mrr", "ndcg@20", "candidate_recall"]].round(4))
    for purpose in ("supplier", "customer"):
        rows = table.loc[purpose]
        info = table.attrs["evaluation"][purpose]
        assert info["split"].startswith("temporal" if name == "japan" else "holdout")
        ours, others = rows.loc["recommender"], rows.drop("recommender")
        assert {"user_cf", "item_cf", "cosine", "popularity"} <= set(others.index)
        # At full size (bench/recommend_quality.py) the ratios are 1.01-1.27; on these small
        # networks the inner split is small, and the choice it makes is noisier.
        for metric, level in (("recall@20", 0.95), ("mrr", 0.9)):
            assert ours[metric] >= level * others[metric].max(), (purpose, metric)
        # Every method's values are shares; the filters' natural candidates hold their top 200.
        assert ((rows >= 0) & (rows <= 1 + 1e-12)).all().all()
        assert (others["candidate_recall"] >= others["recall@200"] - 1e-12).all()
        assert ours["candidate_recall"] >= others["recall@200"].max() - 1e-12, purpose
        side = info["training"][0]
        assert side["validation"][side["chosen"]] == max(side["validation"].values())
        assert side["importance"] and sum(side["importance"].values()) <= 2 + 1e-9


def test_keiretsu_is_tiered_and_hub_dominated() -> None:
    net = D.keiretsu(200, 4_000, seed=5)
    trades = net.trades
    buyers = trades["customer"].value_counts()
    sellers = trades[trades["customer"].str.startswith("A")]["supplier"].value_counts()
    assert buyers.index[0].startswith("A") and buyers.iloc[0] >= 200
    assert np.median(sellers) <= 3
    assert trades["supplier"].str.startswith("T").any()
    assert net.years is None and list(trades.columns) == ["supplier", "customer"]
    again = D.keiretsu(200, 4_000, seed=5)
    assert again.trades.equals(trades)


def test_holdout_is_seeded_and_evaluates_without_years() -> None:
    net = D.sparse_supply(3_000, seed=4)
    a = tg.recommend.evaluate(net, purposes="customer", min_partners=3, seed=1)
    b = tg.recommend.evaluate(net, purposes="customer", min_partners=3, seed=1)
    c = tg.recommend.evaluate(net, purposes="customer", min_partners=3, seed=2)
    assert a.equals(b)
    assert not a.equals(c)
    with pytest.raises(ValueError, match="holdout"):
        tg.recommend.evaluate(net, holdout=1.5)
