"""tsunagime.distributed on a two-process LocalCluster: every call equals its single-process
result exactly, also when a worker dies in the middle of the run."""

from __future__ import annotations

import os
import signal
from collections.abc import Iterator
from typing import Any

import pandas as pd
import pytest

import tsunagime as tg

pytest.importorskip("distributed")
from tsunagime import distributed


@pytest.fixture(scope="module")
def client() -> Iterator[Any]:
    with distributed.local_client(n_workers=2) as c:
        yield c


@pytest.fixture(scope="module")
def net() -> tg.TradeNetwork:
    return tg.datasets.synthetic_japan(4_000, seed=3)


@pytest.fixture(scope="module")
def fitted(net: tg.TradeNetwork) -> dict[str, tg.PartnerRecommender]:
    return {p: tg.PartnerRecommender(p).fit(net) for p in ("supplier", "customer", "research")}


@pytest.mark.parametrize("purpose", ["supplier", "customer", "research"])
def test_recommend_equals_the_single_process_rows(
    client: Any, fitted: dict[str, tg.PartnerRecommender], net: tg.TradeNetwork, purpose: str
) -> None:
    rec = fitted[purpose]
    expected = rec.recommend(k=5)
    got = distributed.recommend(rec, k=5, client=client, block_size=500)
    pd.testing.assert_frame_equal(got, expected)
    assert len(got) > 4 * net.n_firms


def test_recommend_keeps_the_order_of_the_firms_given(
    client: Any, fitted: dict[str, tg.PartnerRecommender], net: tg.TradeNetwork
) -> None:
    rec = fitted["supplier"]
    firms = list(net.firm_ids[::-7])
    forbidden = [(firms[0], firms[1])]
    expected = rec.recommend(firms, k=3, forbidden=forbidden, evidence=False)
    got = distributed.recommend(
        rec, firms, k=3, client=client, block_size=33, forbidden=forbidden, evidence=False
    )
    pd.testing.assert_frame_equal(got, expected)
    assert got["firm_id"].drop_duplicates().tolist() == firms[: got["firm_id"].nunique()]


def test_recommend_as_a_dask_dataframe(
    client: Any, fitted: dict[str, tg.PartnerRecommender], net: tg.TradeNetwork
) -> None:
    rec = fitted["customer"]
    firms = list(net.firm_ids[:900])
    lazy = distributed.recommend(
        rec, firms, k=4, client=client, block_size=300, as_dask=True, evidence=False
    )
    assert lazy.npartitions == 3
    got = lazy.compute().reset_index(drop=True)
    pd.testing.assert_frame_equal(got, rec.recommend(firms, k=4, evidence=False))


def test_a_worker_killed_mid_run_changes_nothing(
    client: Any, fitted: dict[str, tg.PartnerRecommender], net: tg.TradeNetwork
) -> None:
    rec = fitted["supplier"]
    expected = rec.recommend(k=5, evidence=False)
    killed: list[str] = []

    def kill_one(stage: str, done: int, total: int) -> None:
        if done == 2 and not killed:
            worker = sorted(client.scheduler_info()["workers"])[0]
            killed.append(worker)
            # As on a crash: the process dies at once; its nanny starts a new one.
            pid = client.run(os.getpid, workers=[worker])[worker]
            os.kill(pid, signal.SIGKILL)

    got = distributed.recommend(
        rec, k=5, client=client, block_size=100, progress=kill_one, evidence=False
    )
    assert killed, "the run ended before a worker could be killed"
    pd.testing.assert_frame_equal(got, expected)
    client.wait_for_workers(2, timeout=60)


def test_evaluate_equals_the_single_process_tables(client: Any, net: tg.TradeNetwork) -> None:
    common = {"k": (10, 20), "max_queries": 400}
    plain = distributed.evaluate(net, purposes=("supplier", "customer"), client=client, **common)
    expected = tg.recommend.evaluate(net, purposes=("supplier", "customer"), **common)
    pd.testing.assert_frame_equal(plain, expected)
    assert plain.attrs["evaluation"].keys() == expected.attrs["evaluation"].keys()

    grid = [{"reciprocal": False}, {"reciprocal": True, "budget": 20_000}]
    swept = distributed.evaluate(
        net, grid, purposes="supplier", client=client, baselines=False, **common
    )
    assert swept.index.names == ["setting", "purpose", "method"]
    for i, setting in enumerate(grid):
        one = tg.recommend.evaluate(net, purposes="supplier", baselines=False, **common, **setting)
        pd.testing.assert_frame_equal(swept.loc[i], one)
        assert (
            swept.attrs["evaluation"][(i, "supplier")]["queries"]
            == (one.attrs["evaluation"]["supplier"]["queries"])
        )


def test_bad_calls_are_named(
    client: Any, fitted: dict[str, tg.PartnerRecommender], net: tg.TradeNetwork
) -> None:
    rec = fitted["supplier"]
    with pytest.raises(tg.errors.UnknownFirmError, match="nobody"):
        distributed.recommend(rec, ["nobody"], client=client)
    with pytest.raises(tg.errors.ParameterError, match="block_size"):
        distributed.recommend(rec, client=client, block_size=0)
    with pytest.raises(tg.errors.ParameterError, match="as_dask"):
        distributed.recommend(rec, as_dask=True)
    with pytest.raises(tg.errors.NotFittedError):
        distributed.recommend(tg.PartnerRecommender("supplier"), client=client)


@pytest.mark.parametrize("weighted", [False, True])
def test_brokerage_by_blocks_equals_the_whole(
    client: Any, net: tg.TradeNetwork, weighted: bool
) -> None:
    expected = tg.roles.brokerage(net, weighted=weighted)
    got = distributed.brokerage(net, weighted=weighted, client=client, block_size=700)
    pd.testing.assert_frame_equal(got, expected)
    some = list(net.firm_ids[[5, 3, 900]])
    pd.testing.assert_frame_equal(
        tg.roles.brokerage(net, weighted=weighted, firms=some), expected.loc[some]
    )
    lazy = distributed.brokerage(
        net, weighted=weighted, client=client, block_size=1_500, as_dask=True
    )
    assert lazy.npartitions == 3
    pd.testing.assert_frame_equal(lazy.compute(), expected)


def test_criticality_simulated_on_the_cluster_equals_the_single_process_table(
    client: Any, net: tg.TradeNetwork
) -> None:
    expected = tg.shock.criticality(net, exact=3, days=10, rationing="final_demand_last")
    got = distributed.criticality(
        net, exact=3, days=10, rationing="final_demand_last", client=client
    )
    pd.testing.assert_frame_equal(got, expected)
    assert got["simulated"].sum() == 3 and (got["national"].dropna() > 0).all()
    some = list(net.firm_ids[[7, 2, 400, 31]])
    pd.testing.assert_frame_equal(
        distributed.criticality(net, some, exact=2, days=5, client=client, block_size=2),
        tg.shock.criticality(net, some, exact=2, days=5),
    )
    with pytest.raises(TypeError):
        distributed.criticality(net, exact=1, client=client, horizon=3)


@pytest.mark.parametrize("measure", ["linkage", "ripple"])
def test_regional_measures_by_blocks_of_regions_equal_the_whole(
    client: Any, net: tg.TradeNetwork, measure: str
) -> None:
    """Blocks of whole regions (one, several, all in one task) give the single-process table;
    firms without a region are a region of their own."""
    single = getattr(tg.roles, measure)
    many = getattr(distributed, measure)
    for region in ("prefecture", "bloc"):
        expected = single(net, region)
        for block_size in (1, 700, None, 10_000):
            got = many(net, region, client=client, block_size=block_size)
            pd.testing.assert_frame_equal(got, expected)
    firms = net.firms.reset_index()
    firms["prefecture"] = firms["prefecture"].astype(object)
    firms.loc[firms.index % 7 == 0, "prefecture"] = None
    gaps = tg.TradeNetwork.from_frames(firms, net.trades)
    pd.testing.assert_frame_equal(many(gaps, client=client, block_size=500), single(gaps))
    some = list(net.firm_ids[[900, 5, 3]])
    pd.testing.assert_frame_equal(single(net, firms=some), single(net).loc[some])
    with pytest.raises(tg.errors.UnknownNameError, match="nowhere"):
        many(net, "nowhere", client=client)
    with pytest.raises(tg.errors.ParameterError, match="as_dask"):
        many(net, as_dask=True)


@pytest.mark.parametrize("measure", ["linkage", "ripple"])
def test_regional_measures_as_dask_dataframes(
    client: Any, net: tg.TradeNetwork, measure: str
) -> None:
    """One partition per block of whole regions; put back in firm order they are the table."""
    expected = getattr(tg.roles, measure)(net, "bloc")
    lazy = getattr(distributed, measure)(net, "bloc", client=client, block_size=1, as_dask=True)
    assert lazy.npartitions == net.firms["bloc"].nunique()
    blocks = [lazy.get_partition(i).compute() for i in range(lazy.npartitions)]
    for block in blocks:
        assert block["bloc"].nunique() == 1  # a block is one whole region here
        assert list(block.index) == [f for f in net.firm_ids if f in set(block.index)]
    pd.testing.assert_frame_equal(lazy.compute().loc[net.firm_ids], expected)
    empty = tg.TradeNetwork.from_frames(net.firms.iloc[:0].reset_index(), net.trades.iloc[:0])
    got = getattr(distributed, measure)(empty, "bloc", client=client, as_dask=True).compute()
    pd.testing.assert_frame_equal(got, getattr(tg.roles, measure)(empty, "bloc"))


def test_an_opened_network_reaches_the_workers_as_its_path(
    client: Any, net: tg.TradeNetwork, fitted: dict[str, tg.PartnerRecommender], tmp_path: Any
) -> None:
    """The workers map the network file: what travels is its path and checksum."""
    import pickle

    net.save(tmp_path / "net")
    opened = tg.TradeNetwork.open(tmp_path / "net")
    assert len(pickle.dumps(opened)) < 1_000 < len(pickle.dumps(net)) // 100
    got = distributed.brokerage(opened, client=client, block_size=700)
    pd.testing.assert_frame_equal(got, tg.roles.brokerage(net))
    rec = tg.PartnerRecommender("customer").fit(opened)
    whole = len(pickle.dumps(fitted["customer"]))
    assert len(pickle.dumps(rec)) < whole - len(pickle.dumps(net)) // 2
    expected = fitted["customer"].recommend(k=4)
    pd.testing.assert_frame_equal(distributed.recommend(rec, k=4, client=client), expected)


def test_dask_dataframes_and_their_parquet_folders_build_one_network(
    client: Any, net: tg.TradeNetwork, tmp_path: Any
) -> None:
    """Partitioned inputs: a dask.dataframe, and the folder of Parquet files Dask writes."""
    import dask.dataframe as dd

    firms = net.firms.reset_index()
    trades = net.trades
    got = tg.TradeNetwork.from_frames(
        dd.from_pandas(firms, npartitions=3), dd.from_pandas(trades, npartitions=5)
    )
    assert got == tg.TradeNetwork.from_frames(firms, trades)
    dd.from_pandas(firms, npartitions=3).to_parquet(tmp_path / "firms")
    dd.from_pandas(trades, npartitions=5).to_parquet(tmp_path / "trades")
    assert len(list((tmp_path / "trades").glob("*.parquet"))) == 5
    read = tg.TradeNetwork.read_parquet(tmp_path / "firms", tmp_path / "trades")
    assert read == got
