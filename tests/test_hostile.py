"""Hostile input through the public Python API and the command line: every case gives a clear
error naming the file (or table), the line (or row) and the column, or a documented result.
None crashes the interpreter; each runs in a subprocess-free, bounded time."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import tsunagime as tg
from tsunagime.cli import main

FIRMS = "firm_id,prefecture\n1,Tokyo\n2,Osaka\n3,Osaka\n"
#: A small economy for the parameter checks.
NET = tg.datasets.synthetic_japan(400, seed=0)


def load(tmp_path: Path, trades: bytes | str, firms: str | None = FIRMS, **kw) -> tg.TradeNetwork:
    t = tmp_path / "trades.csv"
    t.write_bytes(trades.encode() if isinstance(trades, str) else trades)
    f = None
    if firms is not None:
        f = tmp_path / "firms.csv"
        f.write_text(firms)
    return tg.TradeNetwork.read_csv(f, t, **kw)


def test_empty_files_are_errors_at_line_one(tmp_path: Path):
    for table in ("firms", "trades"):
        (tmp_path / "empty.csv").write_text("")
        (tmp_path / "t.csv").write_text("supplier,customer\n1,2\n")
        args = (tmp_path / "empty.csv", tmp_path / "t.csv")
        if table == "trades":
            (tmp_path / "f.csv").write_text(FIRMS)
            args = (tmp_path / "f.csv", tmp_path / "empty.csv")
        with pytest.raises(tg.errors.InputError, match="line 1: empty file") as e:
            tg.TradeNetwork.read_csv(*args)
        assert e.value.source == str(tmp_path / "empty.csv") and e.value.line == 1


def test_header_only_files_are_empty_networks(tmp_path: Path):
    net = load(tmp_path, "supplier,customer,amount\n")
    assert (net.n_firms, net.n_trades) == (3, 0)
    assert net.report.trades_read == 0
    assert (tg.linkage(net)["role"] == "isolated").all()
    empty = load(tmp_path, "supplier,customer\n", firms="firm_id\n")
    assert (empty.n_firms, empty.n_trades) == (0, 0)
    assert tg.brokerage(load(tmp_path, "supplier,customer\n"), "prefecture")["total"].sum() == 0


def test_bom_crlf_and_quoted_commas(tmp_path: Path):
    firms = '\ufefffirm_id,name,prefecture\r\n1,"Kaga, Ltd",Ishikawa\r\n2,"say ""hi""",Tokyo\r\n'
    net = load(tmp_path, "\ufeffsupplier,customer\r\n1,2\r\n", firms=firms)
    assert net.firms["name"].tolist() == ["Kaga, Ltd", 'say "hi"']
    with pytest.raises(tg.errors.UnknownFirmError) as e:
        load(tmp_path, "supplier,customer\r\n1,2\r\n1,9\r\n", firms=firms)
    assert e.value.line == 3  # CRLF files count lines as an editor does


def test_a_ten_megabyte_field_is_read_or_named_briefly(tmp_path: Path):
    huge = "x" * 10_000_000
    net = load(tmp_path, f"supplier,customer\n{huge},1\n", firms=None)
    assert net.n_firms == 2 and len(net.firm_ids[0]) == 10_000_000
    with pytest.raises(tg.errors.UnknownFirmError) as e:
        load(tmp_path, f"supplier,customer\n{huge},1\n")
    assert len(str(e.value)) < 300 and "(10000000 characters)" in str(e.value)
    assert e.value.line == 2 and e.value.column == "supplier"


def test_ids_that_collide_after_trimming(tmp_path: Path):
    # CSV cells are trimmed: " 1" and "1" are one firm, listed twice.
    with pytest.raises(tg.errors.InputError, match="line 3, column 'id': duplicate firm id '1'"):
        load(tmp_path, "supplier,customer\n1,2\n", firms="firm_id\n1\n 1 \n2\n")
    # Frames keep ids exactly as given (documented): " a" and "a" are two firms.
    net = tg.TradeNetwork.from_frames(None, {"supplier": ["a"], "customer": [" a"]})
    assert net.firm_ids.tolist() == ["a", " a"]


def test_numeric_ids_as_strings_and_integers(tmp_path: Path):
    frames = tg.TradeNetwork.from_frames(
        pd.DataFrame({"firm_id": [1, 2]}), pd.DataFrame({"supplier": ["1"], "customer": [2]})
    )
    assert frames.trades[["supplier", "customer"]].values.tolist() == [[1, 2]]
    # "007" is not the integer 7 unless asked: zero-padded codes stay strings.
    net = load(tmp_path, "supplier,customer\n007,8\n", firms=None)
    assert net.firm_ids.tolist() == ["007", "8"]
    ints = load(tmp_path, "supplier,customer\n007,8\n8,7\n", firms=None, id_type="int")
    assert ints.firm_ids.tolist() == [7, 8] and ints.n_trades == 2  # "007" and "7": one firm
    with pytest.raises(tg.errors.InputError, match="line 2, column 'supplier'"):
        load(tmp_path, "supplier,customer\nA7,8\n", firms=None, id_type="int")


@pytest.mark.parametrize(
    ("amount", "message"),
    [
        ("NaN", "missing (NaN) amount"),
        ("inf", "infinite amount"),
        ("-inf", "negative amount: -inf"),
        ("-1", "negative amount"),
        ("1e999", "infinite amount"),
    ],
)
def test_bad_amounts_name_line_and_column(tmp_path: Path, amount: str, message: str):
    with pytest.raises(tg.errors.InputError, match=re.escape(message)) as e:
        load(tmp_path, f"supplier,customer,amount\n1,2,{amount}\n")
    assert (e.value.line, e.value.column) == (2, "amount")


def test_huge_amounts_that_add_up_to_infinity(tmp_path: Path):
    net = load(tmp_path, "supplier,customer,amount\n1,2,1e308\n2,3,1e308\n")
    assert net.trades["amount"].tolist() == [1e308, 1e308]  # huge but finite: kept
    with pytest.raises(tg.errors.InputError, match="add up to more than the largest") as e:
        load(tmp_path, "supplier,customer,amount\n1,2,1e308\n1,2,1e308\n")
    assert (e.value.line, e.value.column) == (3, "amount")
    frames = {"supplier": [1, 1], "customer": [2, 2], "amount": [1e308, 1e308]}
    with pytest.raises(tg.errors.InputError, match="row 1, column 'amount'"):
        tg.TradeNetwork.from_frames(None, frames)


@pytest.mark.parametrize("year", ["99999", "-5", "0", "2019.5", "MMXIX"])
def test_years_out_of_range(tmp_path: Path, year: str):
    with pytest.raises(tg.errors.InputError) as e:
        load(tmp_path, f"supplier,customer,year\n1,2,{year}\n")
    assert (e.value.line, e.value.column) == (2, "year")
    with pytest.raises(tg.errors.InputError, match="column 'year'"):
        tg.TradeNetwork.from_frames(None, {"supplier": [1], "customer": [2], "year": [40_000]})


def test_a_firm_in_a_region_of_its_own():
    firms = pd.DataFrame({"firm_id": [1, 2, 3], "region": ["a", "a", "island"]})
    net = tg.TradeNetwork.from_frames(firms, {"supplier": [1, 2], "customer": [2, 3]})
    assert tg.brokerage(net, "region").loc[2, "representative"] == 1
    carto = tg.cartography(net, "region")
    assert carto.loc[3, "within_module_z"] == 0  # a one-firm module: z = 0 (documented)
    assert tg.linkage(net, "region").loc[2, "role"] == "connector hub"  # buys in a, sells out
    assert tg.ripple(net, "region", output=None, clip=0.9).loc[3, "multiplier"] == 1


def test_a_million_unknown_firms_is_one_error(tmp_path: Path):
    n = 1_000_000
    trades = pd.DataFrame({"supplier": np.arange(10, 10 + n), "customer": np.arange(n) + 2 * n})
    trades.to_csv(tmp_path / "trades.csv", index=False)
    (tmp_path / "firms.csv").write_text(FIRMS)
    with pytest.raises(tg.errors.UnknownFirmError) as e:
        tg.TradeNetwork.read_csv(tmp_path / "firms.csv", tmp_path / "trades.csv")
    assert "unknown firm id '10', and 999999 more rows name unknown firms" in str(e.value)
    assert e.value.line == 2
    with pytest.raises(tg.errors.UnknownFirmError, match="999999 more"):
        tg.TradeNetwork.from_frames(pd.DataFrame({"firm_id": [1, 2]}), trades)


def test_an_unsatisfiable_summit_names_the_participant():
    with pytest.raises(tg.errors.ParameterError, match="'a' must meet 2 participants"):
        tg.schedule_meetings(
            ["a", "b", "c"], None, slots=1, tables=1, must_meet=[("a", "b"), ("a", "c")]
        )
    with pytest.raises(tg.errors.UnknownFirmError, match="must_meet, row 0, column 'b'"):
        tg.schedule_meetings(["a", "b"], None, slots=2, must_meet=[("a", "zed")])


def test_html_and_formula_payloads_are_neutralised(tmp_path: Path):
    evil = ["<script>alert(1)</script>", '=HYPERLINK("http://x")', "+SUM(A1)", "@cmd", "-2+3"]
    scores = pd.DataFrame(
        {"a": evil[:-1], "b": evil[1:], "score": [1.0, 2.0, 3.0, 4.0]}, dtype=object
    )
    plan = tg.schedule_meetings(evil, scores, slots=2, tables=2)
    plan.to_html(tmp_path / "s.html", title="<b>Summit</b>")
    html = (tmp_path / "s.html").read_text()
    assert "<script>alert" not in html and "&lt;script&gt;" in html and "<b>Summit" not in html
    plan.to_csv(tmp_path / "m.csv")
    cells = pd.read_csv(tmp_path / "m.csv", dtype=str)[["a", "b"]].to_numpy().ravel()
    assert not any(str(c)[0] in "=+-@" for c in cells)  # spreadsheet formulas defused
    firms = pd.DataFrame({"firm_id": evil, "prefecture": ["<i>x</i>"] * 5})
    net = tg.TradeNetwork.from_frames(firms, {"supplier": evil[:2], "customer": evil[2:4]})
    net.to_csv(tmp_path / "f.csv", tmp_path / "t.csv")
    again = tg.TradeNetwork.read_csv(tmp_path / "f.csv", tmp_path / "t.csv")
    assert again.firm_ids.tolist() == evil  # the network's own files keep ids exactly


def test_command_line_reports_bad_files_without_a_traceback(tmp_path: Path, capsys):
    cases = {
        "empty.csv": (b"", "line 1: empty file"),
        "nan.csv": (b"supplier,customer,amount\r\n1,2,NaN\r\n", "line 2, column 'amount'"),
        "ragged.csv": (b"supplier,customer\n1,2,3,4\n", "line 2"),
        "binary.csv": (b"supplier,customer\n\xff\xfe,1\n", "not valid UTF-8"),
    }
    for name, (body, message) in cases.items():
        (tmp_path / name).write_bytes(body)
        assert main(["load", "--trades", str(tmp_path / name)]) == 2
        err = capsys.readouterr().err
        assert str(tmp_path / name) in err and message in err and "Traceback" not in err
    (tmp_path / "p.csv").write_text("participant\na\nb\nc\n")
    (tmp_path / "m.csv").write_text("a,b\na,b\na,c\n")
    (tmp_path / "s.csv").write_text("a,b,score\na,b,1\n")
    code = main(
        [
            "schedule",
            *("--participants", str(tmp_path / "p.csv"), "--scores", str(tmp_path / "s.csv")),
            *("--must-meet", str(tmp_path / "m.csv"), "--slots", "1", "--tables", "1"),
            *("--out", str(tmp_path / "out")),
        ]
    )
    assert code == 2 and "'a' must meet 2 participants" in capsys.readouterr().err


def test_corrupt_pickles_are_errors_not_crashes():
    net = tg.datasets.synthetic_japan(200, seed=0)
    data = net.__reduce__()[1][0]
    script = (
        "import pickle, sys, tsunagime as tg\n"
        "from tsunagime._network import _unpickle\n"
        "data = sys.stdin.buffer.read()\n"
        "bad = 0\n"
        "for cut in range(0, len(data), max(1, len(data) // 300)):\n"
        "    for blob in (data[:cut], data[:cut] + bytes([data[cut] ^ 0xFF]) + data[cut + 1:]):\n"
        "        try:\n"
        "            _unpickle(blob)\n"
        "        except tg.errors.TsunagimeError:\n"
        "            bad += 1\n"
        "print(bad)\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", script], input=data, capture_output=True, timeout=300
    )
    assert done.returncode == 0, done.stderr.decode()[-2000:]
    assert int(done.stdout) > 300


def _summit_files(tmp_path: Path, participants: str) -> list[str]:
    (tmp_path / "p.csv").write_text(participants)
    (tmp_path / "s.csv").write_text("a,b,score\nA,B,1\nB,C,2\n")
    return [
        *("schedule", "--participants", str(tmp_path / "p.csv")),
        *("--scores", str(tmp_path / "s.csv"), "--slots", "3", "--out", str(tmp_path / "out")),
    ]


@pytest.mark.parametrize(
    ("flags", "message"),
    [
        (["--seed", "-5"], "invalid parameter 'seed': must be at least 0, got -5"),
        (["--seed", str(2**70)], "invalid parameter 'seed': must be at most"),
        (["--min-meetings", "-1"], "invalid parameter 'min_meetings': must be at least 0"),
        (["--min-meetings", "3", "--max-meetings", "2"], "'max_meetings': must be at least 3"),
        (["--timezone", "Mars/Base"], "'Mars/Base' is not a known time zone"),
        (["--column", "firm=会員番号"], "--column 'firm=会員番号': no column 'firm' is read"),
    ],
)
def test_command_line_settings_out_of_range_exit_2(tmp_path: Path, capsys, flags, message):
    """Settings pyo3 would refuse with an unnamed OverflowError, or that would be ignored."""
    assert main([*_summit_files(tmp_path, "participant\nA\nB\nC\n"), *flags]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and message in err and "internal error" not in err, err
    assert not (tmp_path / "out").exists()


@pytest.mark.parametrize(
    ("participants", "message"),
    [
        ("", "p.csv: missing column 'participant' (or a name column to use as ids; columns "),
        ("x,y\nA,a\n", "p.csv: missing column 'participant' (or a name column to use as ids; c"),
        ("participant,name\n", "p.csv: no participants (the table has no rows)"),
        ('participant,name\nA,"Aizu\nB,x\nC,y\n', "p.csv, line 2: a quoted cell opened here is"),
        ('participant,name\nA,x\nB,"y"z\nC,w\n', "p.csv, line 3: text follows a closing quote"),
        ("participant,name\nA,x,Aizu,,\nB,y\nC,z\n", "p.csv, line 2: 5 cells but 2 headers"),
        ("participant,min_meetings,max_meetings\nA,3,1\nB,,\nC,,\n", "line 2, column 'max_m"),
        ("participant,min_meetings\nA,-1\nB,\nC,\n", "line 2, column 'min_meetings': -1"),
    ],
)
def test_organizer_files_that_would_lose_rows_are_errors(tmp_path, capsys, participants, message):
    """An open quote swallowed every later row into one cell, cells past the last header were
    dropped, and an empty participants file surfaced as an unknown id in the scores."""
    assert main(_summit_files(tmp_path, participants)) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and message in err, err


def test_trailing_empty_cells_are_not_extra_cells(tmp_path: Path, capsys):
    assert main(_summit_files(tmp_path, "participant,name\nA,x,,\nB,y,\nC,z\n")) == 0
    assert "wrote the schedule" in capsys.readouterr().out


def test_load_takes_columns_by_other_headers(tmp_path: Path, capsys):
    trades = tmp_path / "t.csv"
    trades.write_bytes("仕入先;販売先;金額\n1;2;1,200\n2;3;5\n".encode("cp932"))
    flags = [
        "--column",
        "supplier=仕入先",
        "--column",
        "customer=販売先",
        "--column",
        "amount=金額",
    ]
    args = ["load", "--trades", str(trades), "--delimiter", ";", *flags]
    assert main([*args, "--thousands", ","]) == 0
    assert "2 read, 2 kept" in capsys.readouterr().out
    for extra, message in [
        (["--thousands", ""], "invalid parameter 'thousands': \"\" is not one ASCII character"),
        (["--delimiter", ";;"], "invalid parameter 'delimiter': \";;\" is not one ASCII"),
        (["--column", "seller=x"], "no column 'seller' is read"),
    ]:
        assert main([*args, *extra]) == 2
        err = capsys.readouterr().err
        assert err.count("\n") == 1 and message in err and "internal error" not in err, err


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (lambda: tg.datasets.synthetic_japan(-5), "'n_firms': must be at least 0, got -5"),
        (lambda: tg.datasets.keiretsu(0), "'n_assemblers': must be at least 1, got 0"),
        (lambda: tg.datasets.sparse_supply(100, seed=-1), "'seed': must be at least 0"),
        (lambda: tg.summit.random_instance(10, -2), "'slots': must be at least 0, got -2"),
        (lambda: tg.shock.simulate(NET, {"Tokyo": 0.5}, days=-1), "'days': must be at least 0"),
        (lambda: tg.shock.criticality(NET, days=-3), "'days': must be at least 0, got -3"),
        (lambda: tg.roles.ripple(NET, "prefecture", max_sweeps=-1), "'max_sweeps'"),
        (lambda: tg.roles.select_leading_firms(NET, year=2**40), "'year': must be at most"),
        (lambda: tg.recommend.evaluate(NET, k=(10, -1)), "'k': must be at least 1, got -1"),
        (lambda: tg.recommend.evaluate(NET, max_queries=-1), "'max_queries'"),
        (lambda: tg.PartnerRecommender(seed=-1).fit(NET), "'seed': must be at least 0"),
        (lambda: tg.PartnerRecommender(budget=2**64).fit(NET), "'budget': must be at most"),
    ],
)
def test_counts_and_seeds_out_of_range_name_the_parameter(call, message):
    """Negative or huge counts and seeds are a ParameterError naming the parameter, not
    pyo3's OverflowError 'can't convert negative int to unsigned'."""
    with pytest.raises(tg.errors.ParameterError, match=re.escape(message)):
        call()


def test_a_float_where_a_count_is_due_is_a_type_error():
    with pytest.raises(TypeError, match=re.escape("parameter 'seed': 2.5 is not a whole number")):
        tg.datasets.synthetic_japan(100, seed=2.5)


def test_ids_beyond_int64_stay_exact_as_text():
    """Unsigned 64-bit keys above 2^63 wrapped to negative ids; the CSV reader kept them as
    text, and so do the table readers now."""
    import pyarrow as pa

    big = 2**63 + 5
    tables = [
        pa.table({"supplier": pa.array([big, 1], pa.uint64()), "customer": pa.array([1, 2])}),
        pd.DataFrame({"supplier": np.array([big, 1], np.uint64), "customer": [1, 2]}),
        pd.DataFrame({"supplier": [2**70, 1], "customer": [1, 2]}),
    ]
    for trades in tables:
        net = tg.TradeNetwork.from_frames(None, trades)
        first = str(
            trades["supplier"][0].as_py() if isinstance(trades, pa.Table) else trades["supplier"][0]
        )
        assert list(net.firm_ids) == [first, "1", "2"]
    small = pd.DataFrame({"supplier": np.array([5, 1], np.uint64), "customer": [1, 2]})
    assert list(tg.TradeNetwork.from_frames(None, small).firm_ids) == [5, 1, 2]


def test_dates_in_the_year_column_count_by_their_year():
    import datetime

    trades = pd.DataFrame({"supplier": ["a", "b"], "customer": ["b", "c"]})
    for year in (
        pd.to_datetime(["2019-04-01", "2020-12-31"]),
        [datetime.date(2019, 4, 1), datetime.date(2020, 12, 31)],
    ):
        net = tg.TradeNetwork.from_frames(None, trades.assign(year=year))
        assert net.years == (2019, 2020)
    with pytest.raises(tg.errors.InputError, match="row 1, column 'year': missing year"):
        tg.TradeNetwork.from_frames(None, trades.assign(year=pd.to_datetime(["2019-04-01", None])))
    with pytest.raises(tg.errors.InputError, match=r"row 0, column 'year': 2019\.5 is not a year"):
        tg.TradeNetwork.from_frames(None, trades.assign(year=[2019.5, 2020]))


def test_a_series_is_not_a_table():
    with pytest.raises(TypeError, match="trades: a pandas Series is one column"):
        tg.TradeNetwork.from_frames(None, pd.Series([1, 2]))


def _book(path: Path, rows: list[list], *, title: bool = False, hidden: bool = False):
    import openpyxl

    book = openpyxl.Workbook()
    sheet = book.active
    if hidden:
        sheet.title, sheet.sheet_state = "old", "hidden"
        sheet.append(["junk"])
        sheet = book.create_sheet("参加者")
    if title:
        sheet.append(["第1回 商談会 参加者一覧"])
        sheet.append([])
    for row in rows:
        sheet.append(row)
    book.save(path)
    return sheet


def test_workbooks_as_organizers_lay_them_out(tmp_path: Path):
    """A title above the header, a hidden first sheet, a merged cell over several rows: each
    was read as no participants or as blank ids; a formula never calculated was a NaN score."""
    people = [["参加者", "企業名"], ["A", "a"], ["B", "b"], ["C", "c"]]
    for kind in ({"title": True}, {"hidden": True}):
        _book(tmp_path / "p.xlsx", people, **kind)
        frame = tg.summit.read_table(tmp_path / "p.xlsx", *tg.summit.TABLES["participants"])
        assert frame["participant"].tolist() == ["A", "B", "C"], kind
    assert frame.attrs["lines"] == [2, 3, 4]
    (tmp_path / "p.csv").write_text("第1回 商談会\n\n参加者,企業名\nA,a\nB,b\n")
    frame = tg.summit.read_table(tmp_path / "p.csv", *tg.summit.TABLES["participants"])
    assert frame["participant"].tolist() == ["A", "B"] and frame.attrs["lines"] == [4, 5]
    sheet = _book(tmp_path / "s.xlsx", [["a", "b", "score"], ["A", "B", 1], [None, "C", 2]])
    sheet.merge_cells("A2:A3")
    sheet.parent.save(tmp_path / "s.xlsx")
    frame = tg.summit.read_table(tmp_path / "s.xlsx", *tg.summit.TABLES["scores"])
    assert frame[["a", "b"]].values.tolist() == [["A", "B"], ["A", "C"]]
    _book(tmp_path / "f.xlsx", [["a", "b", "score"], ["A", "B", 3], ["B", "C", "=1+1"]])
    with pytest.raises(tg.errors.InputError, match=r"f\.xlsx, line 3, column C: the formula =1"):
        tg.summit.read_table(tmp_path / "f.xlsx", *tg.summit.TABLES["scores"])


def test_nothing_to_evaluate_names_the_setting_to_change():
    net = tg.TradeNetwork.from_frames(None, {"supplier": ["a", "b"], "customer": ["b", "c"]})
    with pytest.raises(tg.errors.ParameterError, match="lower min_partners") as e:
        tg.recommend.evaluate(net)
    assert e.value.parameter == "min_partners"


def test_a_boolean_mask_selects_a_subgraph():
    """A mask was taken for ids ('True' unknown); a Series is aligned on the firm ids."""
    tokyo = NET.firms["prefecture"] == "Tokyo"
    want = NET.subgraph(NET.firm_ids[tokyo.to_numpy()])
    assert NET.subgraph(tokyo) == want and NET.subgraph(tokyo.to_numpy()) == want
    assert NET.subgraph(tokyo.sample(frac=1.0, random_state=0)) == want
    with pytest.raises(tg.errors.ParameterError, match="a mask of 3 values for 400 firms"):
        NET.subgraph(np.ones(3, dtype=bool))


def test_malformed_forbidden_pairs_and_fractional_years_are_named():
    with pytest.raises(tg.errors.ParameterError, match=r"\('a',\) is not a pair of firm ids"):
        tg.PartnerRecommender().fit(NET).recommend(k=2, forbidden=[("a",)])
    with pytest.raises(TypeError, match=r"parameter 'year': 2018\.5 is not a whole number"):
        NET.until(2018.5)


def test_blank_rows_a_spreadsheet_leaves_are_skipped_and_counted(tmp_path: Path):
    """Excel's trailing ',,,' rows stopped a load at 'missing year' or 'empty firm id'; they
    carry nothing, so they are set aside and the report counts them."""
    (tmp_path / "f.csv").write_text("firm_id,prefecture\n1,Tokyo\n,\n2,Osaka\n,,\n")
    (tmp_path / "t.csv").write_text("supplier,customer,year\n1,2,2020\n,,\n , ,\n")
    net = tg.TradeNetwork.read_csv(tmp_path / "f.csv", tmp_path / "t.csv")
    assert (net.n_firms, net.n_trades) == (2, 1)
    text = str(net.report)
    assert "firms: 4 read" in text and "trades: 3 read, 1 kept" in text  # read = kept + set aside
    assert "rejected from firms: 2 rows, blank row (every cell empty) (first at" in text
    assert f"{tmp_path / 't.csv'}, line 3)" in text
    (tmp_path / "t.csv").write_text("supplier,customer\n1,2\n,\n3\n")
    with pytest.raises(tg.errors.InputError, match="line 4: 1 fields, but the header has 2"):
        tg.TradeNetwork.read_csv(None, tmp_path / "t.csv")
