"""Every bad CSV input gives an error naming the file, the line and the column."""

from __future__ import annotations

from pathlib import Path

import pytest

import tsunagime as tg

FIRMS = "firm_id,prefecture\n1,Tokyo\n2,Osaka\n3,Osaka\n"


@pytest.mark.parametrize(
    ("body", "error", "line", "column", "text"),
    [
        (
            b"supplier,customer\n1,2\n1,9\n",
            tg.errors.UnknownFirmError,
            3,
            "customer",
            "unknown firm id '9'",
        ),
        (
            b"supplier,customer,amount\n1,2,NaN\n",
            tg.errors.InputError,
            2,
            "amount",
            "missing (NaN) amount",
        ),
        (
            b"supplier,customer,amount\n1,2,inf\n",
            tg.errors.InputError,
            2,
            "amount",
            "infinite amount",
        ),
        (
            b"supplier,customer,amount\n1,2,-3\n",
            tg.errors.InputError,
            2,
            "amount",
            "negative amount",
        ),
        (
            b"supplier,customer,amount\n1,2,\n",
            tg.errors.InputError,
            2,
            "amount",
            "missing (NaN) amount",
        ),
        (
            b"supplier,customer,amount\n1,2,12x\n",
            tg.errors.InputError,
            2,
            "amount",
            "'12x' is not a number",
        ),
        (b"supplier,customer\n1,2\n2,2\n", tg.errors.InputError, 3, None, "self-loop"),
        (
            b"supplier,customer\n1,2\n1\n",
            tg.errors.InputError,
            3,
            None,
            "1 fields, but the header has 2",
        ),
        (b"supplier,customer\n,2\n", tg.errors.InputError, 2, "supplier", "empty firm id"),
        (b"supplier,customer\n1,\xff\n", tg.errors.InputError, 2, "customer", "not valid UTF-8"),
        (b"", tg.errors.InputError, 1, None, "empty file"),
        (
            b"seller,buyer\n1,2\n",
            tg.errors.MissingColumnError,
            None,
            None,
            "missing column 'supplier'",
        ),
        (b"supplier,customer,year\n1,2,1999.5\n", tg.errors.InputError, 2, "year", "is not a year"),
    ],
)
def test_trade_file_errors(tmp_path: Path, body, error, line, column, text):
    firms = tmp_path / "firms.csv"
    firms.write_text(FIRMS)
    trades = tmp_path / "trades.csv"
    trades.write_bytes(body)
    with pytest.raises(error) as e:
        tg.TradeNetwork.read_csv(firms, trades)
    assert e.value.source == str(trades)
    assert e.value.line == line and e.value.column == (
        column if error is not tg.errors.MissingColumnError else "supplier"
    )
    assert text in str(e.value) and str(trades) in str(e.value)


def test_firm_file_errors(tmp_path: Path):
    trades = tmp_path / "t.csv"
    trades.write_text("supplier,customer\n1,2\n")
    firms = tmp_path / "f.csv"
    firms.write_text("firm_id,sales\n1,5\n 1 ,6\n")
    with pytest.raises(
        tg.errors.InputError, match=r"line 3, column 'id': duplicate firm id '1'"
    ) as e:
        tg.TradeNetwork.read_csv(firms, trades)
    assert e.value.line == 3
    firms.write_text("firm_id,sales\n1,5\n2,lots\n")
    with pytest.raises(
        tg.errors.InputError, match=r"line 3, column 'sales': 'lots' is not a number"
    ):
        tg.TradeNetwork.read_csv(firms, trades, attributes=["sales"])
    with pytest.raises(FileNotFoundError) as missing:
        tg.TradeNetwork.read_csv(tmp_path / "nope.csv", trades)
    assert isinstance(missing.value, OSError) and missing.value.filename == str(
        tmp_path / "nope.csv"
    )


def test_messy_but_valid_files(tmp_path: Path):
    firms = tmp_path / "f.csv"
    firms.write_bytes(
        '\ufefffirm_id;name;code\r\n001;"Kaga; Ltd";17\r\n 002 ;Noto ;01\r\n'.encode()
    )
    trades = tmp_path / "t.csv"
    trades.write_bytes(b"supplier;customer;amount\r\n001;002;1e3\r\n001;002;5\r\n")
    net = tg.TradeNetwork.read_csv(firms, trades, delimiter=";")
    assert net.firm_ids.tolist() == ["001", "002"]  # zero-padded ids stay strings
    assert net.firms["name"].tolist() == ["Kaga; Ltd", "Noto"]
    assert net.firms["code"].tolist() == ["17", "01"]
    assert net.trades["amount"].tolist() == [1005.0] and net.report.trades_merged == 1
    ints = tg.TradeNetwork.read_csv(None, trades, delimiter=";", id_type="int")
    assert ints.firm_ids.tolist() == [1, 2]


def test_every_exception_the_core_raises_exists_in_tsunagime_errors() -> None:
    """The core takes one class per kind of error it raises (checked by the compiler against
    its error type) and refuses a hand-over that lacks one; each kind's class is named after
    it."""
    from tsunagime import _tsunagime as native

    kinds = tg.errors._CLASSES
    assert {"input", "decode", "encode", "parameter"} <= set(kinds)
    for kind, cls in kinds.items():
        name = "".join(part.title() for part in kind.split("_")) + "Error"
        assert cls is getattr(tg.errors, name) and issubclass(cls, tg.errors.TsunagimeError)
    lacking = {k: v for k, v in kinds.items() if k != "encode"}
    with pytest.raises(Exception, match="encode"):
        native._register_errors(lacking)
