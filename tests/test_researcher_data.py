"""Researchers' files as company databases export them: Shift_JIS, thousands separators,
trades reaching firms outside the extract. Each works, or fails in one line naming where."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import tsunagime as tg
from tsunagime.cli import main

FIRMS = pd.DataFrame(
    {
        "firm_id": ["会津001", "会津002", "郡山003", "いわき004"],
        "prefecture": ["福島県", "福島県", "福島県", "福島県"],
        "sales": ["1,200", "800", "35,000", "7"],
    }
)
TRADES = pd.DataFrame(
    {
        "supplier": ["会津001", "会津002", "郡山003", "東京999", "会津001"],
        "customer": ["会津002", "郡山003", "いわき004", "会津001", "大阪777"],
        "amount": ["1,000", "20", "3", "4", "5"],
    }
)


def _write(folder: Path, name: str, frame: pd.DataFrame, encoding: str) -> Path:
    path = folder / name
    path.write_bytes(frame.to_csv(index=False).encode(encoding))
    return path


@pytest.fixture
def files(tmp_path: Path) -> tuple[Path, Path]:
    firms = _write(tmp_path, "firms.csv", FIRMS, "cp932")
    trades = _write(tmp_path, "trades.csv", TRADES, "utf-8-sig")
    return firms, trades


def test_cp932_and_bom_files_with_japanese_ids(files):
    firms, trades = files
    net = tg.TradeNetwork.read_csv(firms, trades, thousands=",", unknown_firms="drop")
    assert list(net.firm_ids) == FIRMS["firm_id"].tolist()
    assert net.firms["prefecture"].tolist() == ["福島県"] * 4
    assert net.firms["sales"].tolist() == [1200.0, 800.0, 35000.0, 7.0]
    assert net.trades["amount"].tolist() == [1000.0, 20.0, 3.0]
    forced = tg.TradeNetwork.read_csv(
        firms, trades, encoding="cp932", thousands=",", unknown_firms="drop"
    )
    assert forced == net


def test_thousands_separators_are_reported_not_guessed(files):
    firms, trades = files
    plain = tg.TradeNetwork.read_csv(firms, trades, amount=None, unknown_firms="drop")
    assert "sales" in plain.partitions  # "1,200" is not a number without thousands=","
    why = plain.report.columns["sales"]
    assert why.startswith("partition ('1,200' at ") and "thousands=',' reads it" in why
    assert "column 'sales': partition" in str(plain.report)
    read = tg.TradeNetwork.read_csv(firms, trades, thousands=",", unknown_firms="drop")
    assert read.report.columns["sales"] == "attribute (every value is a number)"
    with pytest.raises(tg.errors.InputError, match=r"trades.csv, line 2, column 'amount'"):
        tg.TradeNetwork.read_csv(firms, trades, unknown_firms="drop")  # "1,000" is no amount


def test_a_thousands_separator_inside_an_id_is_kept(tmp_path: Path):
    trades = pd.DataFrame({"supplier": ["1,200", "7"], "customer": ["7", "1,200"]})
    path = _write(tmp_path, "t.csv", trades, "utf-8")
    net = tg.TradeNetwork.read_csv(None, path, thousands=",")
    assert sorted(map(str, net.firm_ids)) == ["1,200", "7"]


@pytest.mark.parametrize("reader", ["read_csv", "from_frames"])
def test_unknown_firms_in_three_modes(files, reader):
    firms, trades = files

    def load(mode: str) -> tg.TradeNetwork:
        if reader == "read_csv":
            return tg.TradeNetwork.read_csv(firms, trades, thousands=",", unknown_firms=mode)
        f = FIRMS.assign(sales=FIRMS["sales"].str.replace(",", "").astype(float))
        t = TRADES.assign(amount=TRADES["amount"].str.replace(",", "").astype(float))
        return tg.TradeNetwork.from_frames(f, t, unknown_firms=mode)

    with pytest.raises(tg.errors.UnknownFirmError, match=r"'東京999'.*and 1 more rows"):
        load("error")
    dropped = load("drop")
    assert (dropped.n_firms, dropped.n_trades, dropped.report.trades_read) == (4, 3, 5)
    (rejected,) = dropped.report.rejected
    assert rejected["count"] == 2 and "東京999" in rejected["first"]
    assert "unknown_firms='drop'" in rejected["reason"]
    added = load("add")
    assert (added.n_firms, added.n_trades, added.report.firms_added) == (6, 5, 2)
    assert list(added.firm_ids[-2:]) == ["東京999", "大阪777"]
    extra = added.firms.iloc[-2:]
    assert extra["prefecture"].isna().all() and np.isnan(extra["sales"]).all()
    assert "2 added from trades" in str(added.report)


def test_read_csv_and_from_frames_agree(files):
    firms, trades = files
    for mode in ("drop", "add"):
        a = tg.TradeNetwork.read_csv(firms, trades, thousands=",", unknown_firms=mode)
        f = FIRMS.assign(sales=FIRMS["sales"].str.replace(",", "").astype(float))
        t = TRADES.assign(amount=TRADES["amount"].str.replace(",", "").astype(float))
        b = tg.TradeNetwork.from_frames(f, t, unknown_firms=mode)
        assert a == b, mode


def test_any_python_codec_and_hostile_encodings(tmp_path: Path, files):
    firms, trades = files
    # A codec only Python knows: decoded into a temporary UTF-8 copy.
    mac = _write(
        tmp_path,
        "mac.csv",
        pd.DataFrame({"supplier": ["Café", "b"], "customer": ["b", "c"]}),
        "mac_roman",
    )
    net = tg.TradeNetwork.read_csv(None, mac, encoding="mac_roman", amount=None)
    assert "Café" in list(net.firm_ids)
    with pytest.raises(tg.errors.ParameterError, match="'klingon' is not a known text encoding"):
        tg.TradeNetwork.read_csv(None, trades, encoding="klingon")
    # Mixed encodings: UTF-8 names, then a Shift_JIS line.
    mixed = tmp_path / "mixed.csv"
    mixed.write_bytes("supplier,customer\n会津,喜多方\n".encode() + "郡山,白河\n".encode("cp932"))
    with pytest.raises(tg.errors.InputError, match=r"mixed.csv, line 3: the file mixes encodings"):
        tg.TradeNetwork.read_csv(None, mixed)
    # Forced UTF-8 on a cp932 file names the line and suggests the encoding.
    with pytest.raises(tg.errors.InputError, match=r"firms.csv, line 2.*give the file's encoding"):
        tg.TradeNetwork.read_csv(firms, trades, encoding="utf-8")
    # Bytes invalid in a forced encoding, and in a Python-only codec, name the line.
    with pytest.raises(tg.errors.InputError, match=r"firms.csv, line 2: 0x89 is not valid EUC-JP"):
        tg.TradeNetwork.read_csv(firms, trades, encoding="euc_jp")
    bad = tmp_path / "bad.csv"
    bad.write_bytes(b"supplier,customer\na,b\n\xff\xfe\xfd,c\n")
    with pytest.raises(tg.errors.InputError, match=r"bad.csv, line 3: byte 0xff"):
        tg.TradeNetwork.read_csv(None, bad, encoding="ascii")


def test_load_command_reads_cp932_in_one_line_or_fails_in_one(files, capsys):
    firms, trades = files
    args = ["load", "--firms", str(firms), "--trades", str(trades), "--thousands", ","]
    assert main([*args, "--unknown-firms", "add"]) == 0
    out = capsys.readouterr().out
    assert "2 added from trades" in out and "column 'sales': attribute" in out
    assert main(args) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "unknown firm id '東京999'" in err


def test_arrow_polars_and_pandas_inputs_give_equal_networks(tmp_path: Path):
    import polars as pl
    import pyarrow as pa
    import pyarrow.parquet as pq

    net = tg.datasets.synthetic_japan(3_000, seed=4)
    firms, trades, collabs = net.firms.reset_index(), net.trades, net.collaborations
    base = tg.TradeNetwork.from_frames(firms, trades, collabs)
    assert base == net

    class Capsule:  # only the Arrow PyCapsule stream interface
        def __init__(self, frame: pd.DataFrame) -> None:
            self.table = pa.Table.from_pandas(frame, preserve_index=False)

        def __arrow_c_stream__(self, requested_schema=None):
            return self.table.__arrow_c_stream__(requested_schema)

    conversions = {
        "pyarrow Table": lambda f: pa.Table.from_pandas(f, preserve_index=False),
        "pyarrow RecordBatch": lambda f: pa.RecordBatch.from_pandas(f, preserve_index=False),
        "polars": pl.from_pandas,
        "polars lazy": lambda f: pl.from_pandas(f).lazy(),
        "pandas Arrow dtypes": lambda f: f.convert_dtypes(dtype_backend="pyarrow"),
        "PyCapsule": Capsule,
    }
    for name, convert in conversions.items():
        made = tg.TradeNetwork.from_frames(convert(firms), convert(trades), convert(collabs))
        assert made == base, name
    # A folder of Parquet parts, as Spark or Dask write them.
    (tmp_path / "trades").mkdir()
    for i, part in enumerate(np.array_split(np.arange(len(trades)), 4)):
        pq.write_table(
            pa.Table.from_pandas(trades.iloc[part], preserve_index=False),
            tmp_path / "trades" / f"part-{i:03d}.parquet",
        )
    for name, frame in (("firms", firms), ("collaborations", collabs)):
        pq.write_table(pa.Table.from_pandas(frame, preserve_index=False), tmp_path / f"{name}.p")
    read = tg.TradeNetwork.read_parquet(
        tmp_path / "firms.p", tmp_path / "trades", tmp_path / "collaborations.p"
    )
    assert read == base and read.report.source == "read_parquet"
    with pytest.raises(TypeError, match="expected a pandas or polars DataFrame"):
        tg.TradeNetwork.from_frames(None, [("a", "b")])


def test_prefecture_names_in_japanese_and_english():
    names = ["福島県", "福島", "Fukushima", "fukushima-ken", "ＦＵＫＵＳＨＩＭＡ", "07", "072010"]
    assert set(tg.datasets.prefecture_of(names).tolist()) == {"Fukushima"}
    assert tg.datasets.prefecture_of(["北海道", "京都", "東京都"], to="code").tolist() == [
        "01",
        "26",
        "13",
    ]
    with pytest.raises(ValueError, match="row 1: 'Atlantis' is neither"):
        tg.datasets.prefecture_of(["石川県", "Atlantis"])
    assert tg.datasets.prefecture_of(["Atlantis"], errors="coerce").isna().all()


def test_networkx_round_trip_and_undirected_graphs():
    import networkx as nx

    net = tg.datasets.synthetic_japan(800, seed=5)
    back = tg.TradeNetwork.from_networkx(net.to_networkx())
    assert back == tg.TradeNetwork.from_frames(net.firms.reset_index(), net.trades)
    g = nx.Graph()
    g.add_node("a", prefecture="福島県")
    g.add_node("b", prefecture="石川県")
    g.add_edge("a", "b", amount=2.0)
    both = tg.TradeNetwork.from_networkx(g)
    assert both.n_trades == 2 and both.trades["amount"].tolist() == [2.0, 2.0]


def test_string_ids_from_every_kind_of_column_agree():
    """String ids reach the core as Arrow buffers (offsets and bytes), whatever held them:
    object columns, pandas string and Arrow dtypes, chunked and sliced Arrow arrays, polars."""
    import polars as pl
    import pyarrow as pa

    firms = FIRMS[["firm_id", "prefecture"]]
    trades_df = TRADES.assign(amount=[1000.0, 20.0, 3.0, 4.0, 5.0])
    base = tg.TradeNetwork.from_frames(firms, trades_df, unknown_firms="add")
    ids = list(base.firm_ids)
    assert ids[:4] == ["会津001", "会津002", "郡山003", "いわき004"]
    trades = pa.Table.from_pandas(trades_df, preserve_index=False)
    chunked = pa.Table.from_batches(trades.to_batches(max_chunksize=2))
    sliced = pa.concat_tables([trades.slice(0, 1), trades.slice(1)])  # arrays with offsets
    inputs = {
        "pandas string dtype": trades_df.astype({"supplier": "string", "customer": "string"}),
        "Arrow dtypes": trades_df.convert_dtypes(dtype_backend="pyarrow"),
        "chunked": chunked,
        "sliced": sliced,
        "polars": pl.from_pandas(trades_df),
    }
    for name, trades_in in inputs.items():
        made = tg.TradeNetwork.from_frames(firms, trades_in, unknown_firms="add")
        assert made == base, name


def test_years_and_amounts_of_every_width_and_backend_agree():
    """Arrow int32 years and one-chunk doubles are taken without a copy; wider or chunked
    columns are converted; a year out of range is named by row in each."""
    import pyarrow as pa

    trades = TRADES.assign(
        amount=[1000.0, 20.0, 3.0, 4.0, 5.0], year=[2001, 2002, 2003, 2004, 2005]
    )
    base = tg.TradeNetwork.from_frames(FIRMS[["firm_id"]], trades, unknown_firms="add")
    table = pa.Table.from_pandas(trades, preserve_index=False)
    for width in (pa.int16(), pa.int32(), pa.int64(), pa.uint32()):
        years = table.set_column(
            table.schema.get_field_index("year"), "year", table["year"].cast(width)
        )
        for frame in (years, pa.Table.from_batches(years.to_batches(max_chunksize=2))):
            made = tg.TradeNetwork.from_frames(FIRMS[["firm_id"]], frame, unknown_firms="add")
            assert made == base, width
    for width in (pa.int64(), pa.uint32()):
        wide = trades.assign(
            year=pd.array([2001, 2002, 2**31, 2004, 2005], dtype=pd.ArrowDtype(width))
        )
        with pytest.raises(
            tg.errors.InputError, match="row 2, column 'year': 2147483648 is not a year"
        ):
            tg.TradeNetwork.from_frames(None, wide)


def test_missing_and_mixed_ids_in_string_columns():
    import pyarrow as pa

    trades = TRADES[["supplier", "customer"]].copy()
    trades.loc[2, "customer"] = None
    for frame in (trades, pa.Table.from_pandas(trades, preserve_index=False)):
        with pytest.raises(tg.errors.InputError, match="trades, row 2, column 'customer'"):
            tg.TradeNetwork.from_frames(None, frame)
    mixed = pd.DataFrame({"supplier": ["a", 7, "b"], "customer": [7, "b", "a"]}, dtype=object)
    net = tg.TradeNetwork.from_frames(None, mixed)
    assert sorted(net.firm_ids) == ["7", "a", "b"]
    ints = pd.DataFrame({"supplier": [1, 2], "customer": [2, 3]}, dtype=object)
    assert tg.TradeNetwork.from_frames(None, ints).firm_ids.dtype == np.int64


def test_unknown_integer_ids_in_three_modes(tmp_path: Path):
    """Integer ids are looked up as they are read; the ids not found (a stranger, and a
    known firm written "007") are set aside, added or reported as text ids are."""
    firms = tmp_path / "firms.csv"
    firms.write_text("firm_id,sales\n5,1\n6,2\n7,3\n")
    trades = tmp_path / "trades.csv"
    trades.write_text("supplier,customer\n5,6\n6,7\n99,5\n007,6\n7,5\n")
    with pytest.raises(tg.errors.UnknownFirmError, match=r"'99'.*and 1 more rows"):
        tg.TradeNetwork.read_csv(firms, trades, unknown_firms="error")
    dropped = tg.TradeNetwork.read_csv(firms, trades, unknown_firms="drop")
    assert (dropped.n_firms, dropped.n_trades) == (3, 3)
    assert dropped.report.rejected[0]["count"] == 2
    with pytest.raises(tg.errors.InputError, match=r"'007' cannot be added"):
        tg.TradeNetwork.read_csv(firms, trades, unknown_firms="add")
    trades.write_text("supplier,customer\n5,6\n6,7\n99,5\n7,5\n")
    added = tg.TradeNetwork.read_csv(firms, trades, unknown_firms="add")
    assert list(added.firm_ids) == [5, 6, 7, 99]
    edges = added.trades
    assert list(zip(edges["supplier"], edges["customer"], strict=True)) == [
        (5, 6),
        (6, 7),
        (7, 5),
        (99, 5),
    ]
