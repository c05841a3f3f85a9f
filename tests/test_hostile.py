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
