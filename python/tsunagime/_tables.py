"""Tables as organizers keep them: CSV in UTF-8 or Shift_JIS, Excel workbooks, Japanese headers.

:func:`read_table` turns a file into a DataFrame of text with canonical column names, the
file's line numbers kept in ``frame.attrs["lines"]`` so that every later error can name the
line. Cells are NFKC-normalised (full-width digits and spaces become ASCII) and stripped;
rows with no value at all (Excel's trailing ``,,,,``) are dropped, title lines above the
header are skipped, and merged Excel cells count on every row they cover.
"""

from __future__ import annotations

import codecs
import csv
import io
import os
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any

import pandas as pd

from .errors import InputError, MissingColumnError

__all__ = ["ALIASES", "decode", "read_table"]

#: Header aliases of each canonical column: a header matches when, NFKC-normalised, lower-cased
#: and without spaces, underscores or hyphens, it equals one of these.
ALIASES: dict[str, tuple[str, ...]] = {
    "participant": ("participant", "participantid", "id", "firmid", "参加者", "参加者id",
                    "参加者番号", "企業id", "企業コード", "企業番号", "会社id", "番号"),
    "name": ("name", "名前", "氏名", "企業名", "会社名", "名称", "参加者名"),
    "organisation": ("organisation", "organization", "org", "company", "所属", "組織", "団体",
                     "所属先", "会社"),
    "prefecture": ("prefecture", "region", "都道府県", "県", "所在地", "地域"),
    "contact": ("contact", "email", "mail", "phone", "連絡先", "メール", "メールアドレス", "電話",
                "電話番号", "担当者"),
    "side": ("side", "role", "区分", "立場", "側", "種別"),
    "min_meetings": ("minmeetings", "最低面談数", "最少面談数", "最低件数"),
    "max_meetings": ("maxmeetings", "最大面談数", "上限", "最大件数"),
    "table": ("table", "テーブル", "テーブル番号", "席", "ブース"),
    "a": ("a", "企業a", "参加者a"),
    "b": ("b", "企業b", "参加者b"),
    "score": ("score", "スコア", "点数", "評価"),
    "from": ("from", "希望元", "申込者", "依頼者", "申込企業", "参加者", "企業"),
    "to": ("to", "相手", "希望先", "面談相手", "相手先", "相手企業"),
    "level": ("level", "希望", "希望度", "優先度", "wish"),
    "slot": ("slot", "時間帯", "枠", "スロット", "コマ"),
    "session": ("session", "セッション", "部", "日程", "回"),
    "start": ("start", "開始", "開始時刻", "開始日時", "開始時間"),
    "slots": ("slots", "枠数", "コマ数", "スロット数"),
    "minutes": ("minutes", "分", "1枠の分数", "枠の長さ", "所要時間"),
}  # fmt: skip

NUMERIC = ("score", "slot", "min_meetings", "max_meetings", "table", "slots", "minutes")


def _key(header: str) -> str:
    text = unicodedata.normalize("NFKC", str(header)).strip().lower()
    return "".join(c for c in text if c not in " _-\u3000")


def decode(data: bytes, source: str, encoding: str = "auto") -> str:
    """Text of a file's bytes: ``encoding="auto"`` takes UTF-8 (with or without BOM), UTF-16
    with a BOM, else cp932 (Shift_JIS as Excel in Japan saves it); any Python codec name
    forces one. An undecodable byte is an error naming its line.

    >>> decode("参加者\\n".encode("cp932"), "p.csv")
    '参加者\\n'
    >>> decode(b"\\xef\\xbb\\xbfid\\n", "p.csv")
    'id\\n'
    """

    def fail(e: UnicodeDecodeError, name: str) -> InputError:
        line = data[: e.start].count(b"\n") + 1
        hint = "" if encoding != "auto" else "; give the encoding (e.g. --encoding cp932)"
        return InputError(
            f"{source}, line {line}: byte 0x{data[e.start]:02x} is not valid {name}{hint}",
            source=source,
            line=line,
        )

    if encoding != "auto":
        try:
            codecs.lookup(encoding)
        except LookupError:
            raise InputError(f"{source}: unknown encoding {encoding!r}", source=source) from None
        try:
            return data.decode(encoding).lstrip("\ufeff")
        except UnicodeDecodeError as e:
            raise fail(e, encoding) from None
    if data.startswith(codecs.BOM_UTF8):
        try:
            return data[3:].decode("utf-8")
        except UnicodeDecodeError as e:
            raise fail(e, "UTF-8") from None
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError as e:
            raise fail(e, "UTF-16") from None
    if b"\x00" in data[:4096]:
        line = data[: data.index(b"\x00")].count(b"\n") + 1
        raise InputError(
            f"{source}, line {line}: NUL bytes: the file looks like UTF-16 without a byte-order "
            "mark or is not text; save it as CSV UTF-8",
            source=source,
            line=line,
        )
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as utf8:
        try:
            return data.decode("cp932")
        except UnicodeDecodeError:
            line = data[: utf8.start].count(b"\n") + 1
            raise InputError(
                f"{source}, line {line}: neither UTF-8 nor Shift_JIS (cp932) (byte "
                f"0x{data[utf8.start]:02x}); give the encoding (e.g. --encoding euc_jp)",
                source=source,
                line=line,
            ) from None


def _cell(value: Any) -> str:
    """An Excel or CSV cell as normalised text (integral floats without ``.0``)."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    elif hasattr(value, "isoformat"):
        value = value.isoformat(sep=" ", timespec="minutes") if hasattr(value, "date") else value
    return unicodedata.normalize("NFKC", str(value)).strip()


def _csv_rows(text: str, source: str) -> tuple[list[str], list[list[str]], list[int]]:
    first = text.split("\n", 1)[0]
    delimiter = max((",", "\t", ";"), key=first.count)
    # strict: a quote left open would otherwise swallow every later row into one cell.
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    header: list[str] = []
    rows, lines = [], []
    try:
        header = next(reader, [])
        for row in reader:
            rows.append(row)
            lines.append(reader.line_num)
    except csv.Error as e:
        # The record after the last one read (the header's line when it is the header).
        line = (lines[-1] if lines else 1) + 1 if header else 1
        why = str(e)
        if "end of data" in why:
            why = "a quoted cell opened here is never closed"
        elif "expected after" in why:
            why = 'text follows a closing quote (write "a""b" for a quote inside a cell)'
        raise InputError(f"{source}, line {line}: {why}", source=source, line=line) from None
    return header, rows, lines


def _xlsx_rows(
    path: Path, source: str, sheet: str | None
) -> tuple[list[str], list[list[str]], list[int]]:
    """A worksheet's rows as organizers lay them out: the first visible sheet unless one is
    named, merged cells read as their top-left value on every row they cover, and a formula
    with no saved value (a file written by a program, never opened in Excel) an error rather
    than a blank."""
    try:
        import openpyxl
    except ImportError:
        raise InputError(
            f"{source}: reading Excel files needs openpyxl: pip install 'tsunagime[excel]'",
            source=source,
        ) from None
    try:  # values as Excel last saved them, and the formulas behind them
        book = openpyxl.load_workbook(path, data_only=True)
        formulas = openpyxl.load_workbook(path, data_only=False)
    except Exception as e:  # openpyxl raises zipfile, KeyError, XML and value errors alike
        raise InputError(
            f"{source}: not a readable Excel workbook ({type(e).__name__}: {e})", source=source
        ) from None
    visible = [ws.title for ws in book.worksheets if ws.sheet_state == "visible"]
    if sheet is None and not visible:
        raise InputError(f"{source}: every sheet is hidden", source=source)
    name = visible[0] if sheet is None else sheet
    if name not in book.sheetnames:
        raise InputError(
            f"{source}: no sheet {sheet!r} (sheets: {', '.join(book.sheetnames)})", source=source
        )
    ws, wf = book[name], formulas[name]
    values = [list(row) for row in ws.iter_rows(values_only=True)]
    for merged in ws.merged_cells.ranges:
        top = values[merged.min_row - 1][merged.min_col - 1]
        for r in range(merged.min_row - 1, min(merged.max_row, len(values))):
            for c in range(merged.min_col - 1, merged.max_col):
                values[r][c] = top
    for r, row in enumerate(wf.iter_rows(values_only=True)):
        for c, formula in enumerate(row):
            if isinstance(formula, str) and formula.startswith("=") and values[r][c] is None:
                raise InputError(
                    f"{source}, line {r + 1}, column {openpyxl.utils.get_column_letter(c + 1)}: "
                    f"the formula {formula} has no saved value; open and save the file in "
                    "Excel (or paste the values) first",
                    source=source,
                    line=r + 1,
                )
    rows = [[_cell(v) for v in row] for row in values]
    return rows[0] if rows else [], rows[1:], list(range(2, len(rows) + 1))


def _header_row(
    header: list[str], rows: list[list[str]], lines: list[int], names: Iterable[str]
) -> tuple[list[str], list[list[str]], list[int]]:
    """The header found below title lines: when no cell of the first line names a column, the
    first of the next ten lines that does becomes the header (``第1回 商談会 参加者一覧`` above
    ``参加者, 企業名``, as organizers' lists often start)."""
    keys = {_key(a) for n in names for a in (n, *ALIASES.get(n, ()))}
    if any(_key(h) in keys for h in header):
        return header, rows, lines
    for i, row in enumerate(rows[:10]):
        if any(_key(_cell(h)) in keys for h in row):
            return row, rows[i + 1 :], lines[i + 1 :]
    return header, rows, lines


def read_table(
    path: str | os.PathLike[str],
    columns: Sequence[str] = (),
    optional: Iterable[str] = (),
    *,
    encoding: str = "auto",
    sheet: str | None = None,
    rename: Mapping[str, str] | None = None,
) -> pd.DataFrame:
    """Reads a CSV (UTF-8, UTF-8 with BOM, UTF-16 with BOM or cp932; comma, tab or semicolon)
    or an ``.xlsx`` workbook (first sheet, or ``sheet``) into text columns.

    Parameters
    ----------
    path : path
    columns : sequence of str
        Canonical columns the table must have; headers match through :data:`ALIASES`
        (``参加者`` → ``participant``, ``相手`` → ``to``, ``時間帯`` → ``slot`` …).
    optional : iterable of str
        Canonical columns taken when present.
    encoding : str
        ``"auto"`` or a Python codec name.
    sheet : str, optional
        Worksheet of an ``.xlsx`` file.
    rename : mapping, optional
        Canonical column → header, overriding the aliases (``{"participant": "会員番号"}``).

    Returns
    -------
    DataFrame
        Canonical columns as text (NFKC, stripped), numbers in ``score``, ``slot``,
        ``min_meetings``, ``max_meetings``, ``table`` (NaN when blank);
        ``attrs["path"]`` and ``attrs["lines"]`` (each row's line in the file).

    Examples
    --------
    >>> import tempfile, pathlib
    >>> path = pathlib.Path(tempfile.mkdtemp()) / "参加者.csv"
    >>> text = "参加者,企業名,最低面談数\\n１０１,会津精機,３\\n,,\\n"
    >>> _ = path.write_bytes(text.encode("cp932"))
    >>> frame = read_table(path, ["participant"], ["name", "min_meetings"])
    >>> frame.to_dict("records")
    [{'participant': '101', 'name': '会津精機', 'min_meetings': 3}]
    """
    path = Path(path)
    source = str(path)
    if path.suffix.lower() in (".xlsx", ".xlsm"):
        header, rows, lines = _xlsx_rows(path, source, sheet)
    elif path.suffix.lower() == ".xls":
        raise InputError(
            f"{source}: old .xls workbooks are not read; save it as .xlsx or CSV", source=source
        )
    else:
        header, rows, lines = _csv_rows(decode(path.read_bytes(), source, encoding), source)
    names = [*columns, *optional]
    header, rows, lines = _header_row(header, rows, lines, [*names, *(rename or {}).values()])
    header = [_cell(h) for h in header]
    keep = [i for i, row in enumerate(rows) if any(_cell(v) for v in row)]
    for i in keep:
        extra = [v for v in map(_cell, rows[i][len(header) :]) if v]
        if extra:
            raise InputError(
                f"{source}, line {lines[i]}: {len(rows[i])} cells but {len(header)} headers; "
                f"the cells past the last header ({', '.join(map(repr, extra[:3]))}) would be lost",
                source=source,
                line=lines[i],
            )
    frame = pd.DataFrame(
        [[_cell(v) for v in rows[i]][: len(header)] for i in keep], columns=header, dtype=object
    ).fillna("")
    chosen: dict[str, str] = {}
    by_key = {_key(h): h for h in reversed(header) if h}
    for canonical in [*columns, *optional]:
        wanted = (rename or {}).get(canonical)
        if wanted is not None:
            if wanted not in header:
                raise MissingColumnError(
                    f"{source}: no column {wanted!r} for '{canonical}' "
                    f"(columns present: {', '.join(header)})",
                    source=source,
                    column=wanted,
                )
            chosen[canonical] = wanted
            continue
        for alias in (canonical, *ALIASES.get(canonical, ())):
            h = by_key.get(_key(alias))
            if h is not None and h not in chosen.values():
                chosen[canonical] = h
                break
    missing = [c for c in columns if c not in chosen]
    if missing:
        known = "/".join(dict.fromkeys((missing[0], *ALIASES.get(missing[0], ())[:4])))
        raise MissingColumnError(
            f"{source}: missing column '{missing[0]}' (a header like {known}; columns present: "
            f"{', '.join(header)})",
            source=source,
            column=missing[0],
        )
    out: pd.DataFrame = pd.DataFrame(
        {c: frame[h].to_numpy() for c, h in chosen.items()}, dtype=object
    )
    line_of = [lines[i] for i in keep]
    for c in NUMERIC:
        if c not in out.columns:
            continue
        values = pd.to_numeric(out[c].replace("", None), errors="coerce")
        bad = values.isna() & out[c].ne("")
        if bad.any():
            i = int(bad.to_numpy().nonzero()[0][0])
            raise InputError(
                f"{source}, line {line_of[i]}, column '{chosen[c]}': {out[c].iloc[i]!r} is not "
                "a number",
                source=source,
                line=line_of[i],
                column=chosen[c],
            )
        out[c] = values
    out.attrs["path"] = source
    out.attrs["lines"] = line_of
    out.attrs["columns"] = chosen
    out.attrs["headers"] = header
    return out
