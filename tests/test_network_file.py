"""Network files: save writes standard Arrow IPC tables, open maps them back into an equal
network, pickling an opened network sends its path and checksum, damage is an error."""

from __future__ import annotations

import pickle
import re
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pytest

import tsunagime as tg
from tsunagime.errors import InputError


@pytest.fixture(scope="module")
def net() -> tg.TradeNetwork:
    return tg.datasets.synthetic_japan(2_000, seed=4)


@pytest.fixture()
def saved(net: tg.TradeNetwork, tmp_path: Path) -> Path:
    path = tmp_path / "japan"
    net.save(path)
    return path


def test_opens_equal_with_every_table(net: tg.TradeNetwork, saved: Path) -> None:
    assert net.n_collaborations > 0
    for verify in (False, True):
        opened = tg.TradeNetwork.open(saved, verify=verify)
        assert opened == net
        pd.testing.assert_frame_equal(opened.firms, net.firms)
        pd.testing.assert_frame_equal(opened.trades, net.trades)
        pd.testing.assert_frame_equal(opened.collaborations, net.collaborations)
    pd.testing.assert_frame_equal(tg.linkage(opened, "prefecture"), tg.linkage(net, "prefecture"))
    ids = list(net.firm_ids[[5, 1999]])
    np.testing.assert_array_equal(opened.index_of(ids), [5, 1999])


def test_string_ids_and_missing_labels(tmp_path: Path) -> None:
    firms = pd.DataFrame({"firm_id": ["株式会社あ", "b", "c"], "region": ["東北", None, "九州"]})
    trades = pd.DataFrame({"supplier": ["株式会社あ", "b"], "customer": ["b", "c"]})
    net = tg.TradeNetwork.from_frames(firms, trades)
    net.save(tmp_path / "n")
    opened = tg.TradeNetwork.open(tmp_path / "n", verify=True)
    assert opened == net
    assert opened.firms["region"].isna().tolist() == [False, True, False]


def test_pyarrow_and_polars_read_the_tables(net: tg.TradeNetwork, saved: Path) -> None:
    firms = pa.ipc.open_file(saved / "firms.arrow").read_all()
    assert firms.column("id").to_pylist() == list(net.firm_ids)
    assert firms.column("prefecture").to_pylist() == net.firms["prefecture"].tolist()
    trades = pa.ipc.open_file(saved / "trades.arrow").read_all().to_pandas()
    ids = np.asarray(net.firm_ids)
    expected = net.trades
    np.testing.assert_array_equal(ids[trades["supplier"]], expected["supplier"])
    np.testing.assert_array_equal(ids[trades["customer"]], expected["customer"])
    np.testing.assert_array_equal(trades["amount"], expected["amount"])
    pl = pytest.importorskip("polars")
    assert pl.read_ipc(saved / "trades.arrow").height == net.n_trades
    assert pl.read_ipc(saved / "firms.arrow")["id"].to_list() == list(net.firm_ids)


def test_an_opened_network_pickles_as_its_path(net: tg.TradeNetwork, saved: Path) -> None:
    opened = tg.TradeNetwork.open(saved)
    data = pickle.dumps(opened)
    assert len(data) < 1_000 < len(pickle.dumps(net)) // 100
    assert pickle.loads(data) == net
    recommender = tg.PartnerRecommender("supplier").fit(opened)
    with_model = pickle.dumps(recommender)
    assert len(with_model) < len(pickle.dumps(net)) // 2  # the model, not the network
    # The file replaced by another network: the pickle no longer names what it did.
    tg.datasets.synthetic_japan(500, seed=1).save(saved, overwrite=True)
    with pytest.raises(InputError, match="changed since the network was pickled"):
        pickle.loads(data)


def test_never_overwritten_silently(net: tg.TradeNetwork, saved: Path, tmp_path: Path) -> None:
    with pytest.raises(InputError, match="already exists"):
        net.save(saved)
    net.save(saved, overwrite=True)
    notes = tmp_path / "notes"
    notes.mkdir()
    (notes / "keep.txt").write_text("mine")
    with pytest.raises(InputError, match="not a network file"):
        net.save(notes, overwrite=True)
    assert (notes / "keep.txt").read_text() == "mine"


@pytest.mark.parametrize("name", ["firms.arrow", "trades.arrow", "offsets.arrow"])
def test_damage_is_an_error_naming_the_file(saved: Path, name: str) -> None:
    file = saved / name
    data = file.read_bytes()
    file.write_bytes(data[: len(data) // 2])
    with pytest.raises(InputError, match=rf"{re.escape(name)}.*truncated"):
        tg.TradeNetwork.open(saved)
    flipped = bytearray(data)
    flipped[len(data) // 2] ^= 0xFF
    file.write_bytes(bytes(flipped))
    with pytest.raises(InputError, match=re.escape(name)):
        tg.TradeNetwork.open(saved, verify=True)


def test_not_a_network_file(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="not a network file"):
        tg.TradeNetwork.open(tmp_path / "missing")
    (tmp_path / "manifest.json").write_text('{"format": "something else"}')
    with pytest.raises(InputError, match=r"manifest\.json"):
        tg.TradeNetwork.open(tmp_path)
