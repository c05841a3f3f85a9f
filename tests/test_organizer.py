"""The summit as organizers run it: Japanese CSV and Excel files, names, wishes, printouts.

Every input an organizer may hand over either works or fails with one line naming the file,
line and column (exit status 2); every output can be opened: Excel reads the CSV (BOM) and
the workbook, calendars parse with their time zone, the HTML prints with every table and
every name.
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import icalendar
import openpyxl
import pandas as pd
import pytest

from tsunagime.cli import main

SURNAMES = ["佐藤", "鈴木", "高橋", "田中", "伊藤", "渡辺", "山本", "中村"]
SURNAMES += ["小林", "加藤", "吉田", "山田", "佐々木", "山口", "松本"]
FIRMS = ["会津精機", "喜多方酒造", "郡山電子", "白河工業", "磐梯化成", "猪苗代食品"]
FIRMS += ["須賀川製作所", "二本松商事"]


def _people(n: int = 30) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "参加者ID": [f"{100 + i}" for i in range(n)],
            "氏名": [f"{SURNAMES[i % 15]}{'一二三四五六七八'[i % 8]}郎" for i in range(n)],
            "所属": [f"{FIRMS[i % 8]}{i // 8 + 1}号店" for i in range(n)],
            "都道府県": ["福島県"] * n,
            "区分": ["buyer" if i % 3 == 0 else "supplier" for i in range(n)],
        }
    )


def _wishes(n: int = 30) -> pd.DataFrame:
    rows = []
    for i in range(n):
        for j in (1, 2, 4, 7):
            k = (i + j) % n
            rows.append((f"{100 + i}", f"{100 + k}", "希望" if j != 7 else "必須"))
    rows.append(("101", "100", "不可"))  # 100 wished for 101; 101 says no
    return pd.DataFrame(rows, columns=["申込者", "相手", "希望"])


def _write_cp932_csv(frame: pd.DataFrame, path: Path, trailing: bool = True) -> None:
    text = frame.to_csv(index=False, lineterminator="\r\n")
    if trailing:  # what Excel leaves below the data
        text += ",,,,\r\n" * 3
    path.write_bytes(text.encode("cp932"))


def _write_xlsx(frame: pd.DataFrame, path: Path) -> None:
    frame.to_excel(path, index=False)


def _run(tmp_path: Path, *extra: str, out: str = "out") -> list[str]:
    return [
        "schedule",
        "--participants",
        str(tmp_path / "participants.csv"),
        "--wishes",
        str(tmp_path / "wishes.xlsx"),
        "--slots",
        "6",
        "--tables",
        "12",
        "--start",
        "２０２６/04/20 10:00",
        "--language",
        "ja",
        "--tables-per-page",
        "5",
        "--title",
        "会津ビジネスサミット",
        "--out",
        str(tmp_path / out),
        *extra,
    ]


@pytest.fixture
def event(tmp_path: Path) -> Path:
    _write_cp932_csv(_people(), tmp_path / "participants.csv")
    _write_xlsx(_wishes(), tmp_path / "wishes.xlsx")
    away = pd.DataFrame({"参加者": ["１０３", "104"], "時間帯": ["１", "6"]})
    (tmp_path / "unavailable.csv").write_text(away.to_csv(index=False), encoding="utf-8-sig")
    return tmp_path


def test_japanese_files_make_a_schedule_with_names(event: Path, capsys):
    assert main(_run(event, "--unavailable", str(event / "unavailable.csv"))) == 0
    printed = capsys.readouterr().out
    out = event / "out"
    # The rule is printed; the wishes that could never be met are named, with the reason.
    assert "'no' from either side forbids the pair" in printed
    assert "佐藤一郎 (会津精機1号店) → 鈴木二郎 (喜多方酒造1号店) (want): forbidden" in printed
    unmet = pd.read_csv(out / "unmet_wishes.csv", dtype=str)
    assert set(unmet["reason"]) <= {"forbidden", "same_side", "no_common_slot", "no_room"}
    assert {"forbidden", "same_side"} <= set(unmet["reason"])
    same = unmet[unmet["reason"] == "same_side"]
    assert same["from_name"].str.endswith("郎").all() and (same["line"].astype(int) >= 2).all()
    # meetings.csv opens in Excel (BOM) and holds names; meetings.xlsx holds the same rows.
    raw = (out / "meetings.csv").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    meetings = pd.read_csv(out / "meetings.csv", dtype=str, keep_default_na=False)
    assert meetings["a_name"].str.endswith("郎").all() and len(meetings) > 40
    assert meetings["start"].iloc[0].startswith("2026-04-20 ")
    book = openpyxl.load_workbook(out / "meetings.xlsx", read_only=True)
    rows = list(book.worksheets[0].iter_rows(values_only=True))
    assert list(rows[0]) == list(meetings.columns)
    back = [[("" if v is None else str(v)) for v in r] for r in rows[1:]]
    as_csv = meetings.astype(str).to_numpy().tolist()
    assert [r[3:9] for r in back] == [r[3:9] for r in as_csv]
    assert [int(r[0]) for r in back] == [int(r[0]) for r in as_csv]
    # Nobody is both buyer and buyer; nobody unavailable meets then.
    sides = _people().set_index("参加者ID")["区分"]
    assert (meetings["a"].map(sides) != meetings["b"].map(sides)).all()
    slot1 = meetings[meetings["slot"] == "1"]
    assert "103" not in set(slot1["a"]) | set(slot1["b"])


def test_each_participant_gets_a_calendar_with_a_time_zone_and_stable_uids(event: Path):
    assert main(_run(event)) == 0
    agendas = event / "out" / "agendas"
    calendars = sorted(agendas.glob("*.ics"))
    assert len(calendars) == 30 and len(list(agendas.glob("*.html"))) == 30

    def uids(folder: Path) -> dict[str, list[str]]:
        found = {}
        for path in sorted(folder.glob("*.ics")):
            cal = icalendar.Calendar.from_ical(path.read_bytes())
            zones = [c for c in cal.walk("VTIMEZONE")]
            assert [str(z["TZID"]) for z in zones] == ["Asia/Tokyo"]
            events = cal.walk("VEVENT")
            for e in events:
                start = e.decoded("DTSTART")
                assert str(start.tzinfo) in ("Asia/Tokyo", "JST") or start.utcoffset() is not None
                assert start.utcoffset().total_seconds() == 9 * 3600
            found[path.name] = sorted(str(e["UID"]) for e in events)
        return found

    first = uids(agendas)
    assert sum(len(v) for v in first.values()) == 2 * len(
        pd.read_csv(event / "out" / "meetings.csv")
    )
    # Re-running refuses to overwrite what may be in participants' hands ...
    assert main(_run(event)) == 2
    # ... and with --overwrite keeps the previous files and gives the same UIDs.
    assert main(_run(event, "--overwrite")) == 0
    assert uids(agendas) == first
    (previous,) = (event / "out" / "previous").iterdir()
    assert (previous / "agendas").is_dir() and (previous / "meetings.csv").exists()


def test_printed_html_shows_every_table_and_every_name(event: Path):
    browser = shutil.which("chromium") or shutil.which("chromium-browser")
    pdftotext = shutil.which("pdftotext")
    assert browser and pdftotext, "make test installs chromium and poppler-utils"
    assert main(_run(event)) == 0
    page = event / "out" / "schedule.html"
    assert 'lang="ja"' in page.read_text()
    pdf = event / "schedule.pdf"
    flags = ["--headless", "--no-sandbox", "--disable-gpu", "--no-pdf-header-footer"]
    subprocess.run(
        [browser, *flags, f"--print-to-pdf={pdf}", page.as_uri()],
        capture_output=True,
        timeout=180,
        check=True,
    )
    text = subprocess.run(
        [pdftotext, "-layout", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    compact = text.replace(" ", "")
    for table in range(1, 13):
        assert f"テーブル{table}" in compact, table
    for name in _people()["氏名"]:
        assert compact.count(name) >= 1, name
    pages = text.count("\f")
    assert pages >= 3 + 30  # grid pages of 5 tables, then one agenda per page


@pytest.mark.parametrize(
    "setup, message",
    [
        ("corrupt_xlsx", "wishes.xlsx: not a readable Excel workbook"),
        ("latin1", "participants.csv, line 3: neither UTF-8 nor Shift_JIS"),
        ("utf16_no_bom", "participants.csv, line 1: NUL bytes"),
        ("blank_side", "participants.csv: blank side on lines 3, 6"),
        ("bad_number", "participants.csv, line 2, column '最低面談数': 'three' is not a number"),
        ("unknown_partner", "wishes.xlsx, line 3, column '相手': unknown firm id '999'"),
        ("bad_level", "wishes.xlsx, line 2, column '希望': 'maybe' is not must / want / no"),
    ],
)
def test_bad_files_fail_in_one_line(event: Path, capsys, setup: str, message: str):
    people = _people()
    if setup == "corrupt_xlsx":
        (event / "wishes.xlsx").write_bytes(b"PK\x03\x04 not really a workbook")
    elif setup == "latin1":
        frame = pd.DataFrame({"participant": ["100", "101"], "name": ["Kaga", "Café"]})
        (event / "participants.csv").write_bytes(frame.to_csv(index=False).encode("latin-1"))
    elif setup == "utf16_no_bom":
        (event / "participants.csv").write_bytes(people.to_csv(index=False).encode("utf-16-le"))
    elif setup == "blank_side":
        people.loc[[1, 4], "区分"] = ""
        _write_cp932_csv(people, event / "participants.csv")
    elif setup == "bad_number":
        people = people.assign(最低面談数=["three"] + ["1"] * 29)
        _write_cp932_csv(people, event / "participants.csv")
    elif setup == "unknown_partner":
        _write_xlsx(pd.DataFrame({"申込者": ["100", "101"], "相手": ["101", "999"],
                                  "希望": ["want", "want"]}), event / "wishes.xlsx")  # fmt: skip
    elif setup == "bad_level":
        _write_xlsx(pd.DataFrame({"申込者": ["100"], "相手": ["101"], "希望": ["maybe"]}),
                    event / "wishes.xlsx")  # fmt: skip
    assert main(_run(event)) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "Traceback" not in err, err
    assert message in err, err
    assert not (event / "out").exists()  # nothing written


def test_other_encodings_and_utf16_with_bom_work(event: Path):
    people = _people()
    (event / "participants.csv").write_bytes(people.to_csv(index=False, sep="\t").encode("utf-16"))
    assert main(_run(event)) == 0
    _write_cp932_csv(people, event / "p_euc.csv", trailing=False)
    (event / "participants.csv").write_bytes(people.to_csv(index=False).encode("euc_jp"))
    assert main(_run(event, "--encoding", "euc_jp", out="euc")) == 0
    names = pd.read_csv(event / "euc" / "participants.csv")["name"]
    assert names.tolist() == people["氏名"].tolist()


@pytest.mark.parametrize(
    "extra, message",
    [
        (["--tables", "0"], "--tables 0: must be at least 1"),
        (["--start", "2026/02/30 10:00"], "'2026/02/30 10:00' is not a date-time"),
        (["--timezone", "Tokyo"], "'Tokyo' is not a known time zone"),
        (["--column", "participant"], "expected NAME=HEADER"),
        (["--column", "participant=会員番号"], "no column '会員番号' for 'participant'"),
    ],
)
def test_settings_are_checked_before_any_work(event: Path, capsys, extra, message):
    assert main(_run(event, *extra)) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and message in err, err


def test_blank_sides_may_meet_anyone_when_asked(event: Path):
    people = _people()
    people.loc[[1, 4], "区分"] = ""
    _write_cp932_csv(people, event / "participants.csv")
    assert main(_run(event, "--blank-side", "any")) == 0
    meetings = pd.read_csv(event / "out" / "meetings.csv", dtype=str)
    assert {"101", "104"} & (set(meetings["a"]) | set(meetings["b"]))


def _sessions_event(event: Path) -> list[str]:
    """Two days: a morning and an afternoon, then a morning; participant 103 comes on the
    first morning only, 104 skips the afternoon."""
    sessions = pd.DataFrame(
        {
            "セッション": ["1日目 午前", "1日目 午後", "2日目 午前"],
            "開始": ["2026/04/20 10:00", "2026/04/20 13:30", "２０２６/04/21 09:00"],
            "枠数": [3, 2, 2],
            "分": [20, 30, 25],
        }
    )
    _write_cp932_csv(sessions, event / "sessions.csv", trailing=False)
    away = pd.DataFrame(
        {
            "参加者": ["103", "103", "104"],
            "セッション": ["1日目 午後", "2日目 午前", "1日目 午後"],
        }
    )
    _write_cp932_csv(away, event / "away.csv", trailing=False)
    args = _run(event, "--sessions", str(event / "sessions.csv"))
    at = args.index("--start")
    del args[at : at + 2]
    at = args.index("--slots")
    del args[at : at + 2]
    return [*args, "--unavailable", str(event / "away.csv")]


def test_sessions_over_two_days_print_their_times_and_names(event: Path, capsys):
    assert main(_sessions_event(event)) == 0
    out = event / "out"
    meetings = pd.read_csv(out / "meetings.csv", dtype=str, keep_default_na=False)
    assert list(meetings.columns[:3]) == ["slot", "session", "start"]
    start = {
        "1": "2026-04-20 10:00",
        "3": "2026-04-20 10:40",
        "4": "2026-04-20 13:30",
        "5": "2026-04-20 14:00",
        "6": "2026-04-21 09:00",
        "7": "2026-04-21 09:25",
    }
    for slot, when in start.items():
        rows = meetings[meetings["slot"] == slot]
        assert len(rows) and (rows["start"] == when).all(), (slot, rows)
    assert set(meetings["slot"].astype(int)) <= set(range(1, 8))
    session = dict(zip(meetings["slot"], meetings["session"], strict=True))
    assert session["1"] == "1日目 午前" and session["4"] == "1日目 午後"
    assert session["7"] == "2日目 午前"

    # Unavailable by session: 103 meets only on the first morning, 104 never in the afternoon.
    def slots_of(p: str) -> set[int]:
        mine = meetings[(meetings["a"] == p) | (meetings["b"] == p)]
        return set(mine["slot"].astype(int))

    assert slots_of("103") and slots_of("103") <= {1, 2, 3}
    assert not slots_of("104") & {4, 5}
    # Calendars carry the real times, afternoon and second day included.
    cal = icalendar.Calendar.from_ical((out / "schedule.ics").read_bytes())
    starts = {e.decoded("DTSTART").strftime("%m-%d %H:%M") for e in cal.walk("VEVENT")}
    assert {"04-20 13:30", "04-21 09:25"} <= starts
    ends = {e.decoded("DTEND").strftime("%H:%M") for e in cal.walk("VEVENT")}
    assert "09:50" in ends  # a 25-minute slot of the second day
    html = (out / "schedule.html").read_text()
    assert "1日目 午後 · 13:30–14:00" in html and "2日目 午前 · 2026-04-21 09:25–09:50" in html


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ("overlap", "session '1日目 午後' starts at 2026-04-20 10:30, before '1日目 午前' ends"),
        ("unknown", "away.csv, line 3, column 'セッション': unknown session '夜'"),
        ("start", "--start with --sessions"),
        ("slots", "sessions.csv, line 3, column '枠数': 0 is not a number from 1"),
    ],
)
def test_bad_sessions_fail_in_one_line(event: Path, capsys, change: str, message: str):
    args = _sessions_event(event)
    if change == "overlap":
        text = (event / "sessions.csv").read_bytes().decode("cp932")
        text = text.replace("2026/04/20 13:30", "2026/04/20 10:30")
        (event / "sessions.csv").write_bytes(text.encode("cp932"))
    elif change == "unknown":
        text = (event / "away.csv").read_bytes().decode("cp932").replace("2日目 午前", "夜")
        (event / "away.csv").write_bytes(text.encode("cp932"))
    elif change == "slots":
        frame = pd.read_csv(event / "sessions.csv", encoding="cp932")
        frame.loc[1, "枠数"] = 0
        _write_cp932_csv(frame, event / "sessions.csv", trailing=False)
    else:
        args += ["--start", "2026/04/20 10:00"]
    assert main(args) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and message in err, err
