"""The command line: the demo writes its folder; input errors exit with status 2."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pandas as pd

import tsunagime as tg
from tsunagime.cli import main


def test_demo_writes_the_economy_and_a_summary(tmp_path: Path, capsys):
    out = tmp_path / "demo"
    assert main(["demo", "--out", str(out), "--firms", "3000", "--seed", "2"]) == 0
    assert str(out.resolve()) in capsys.readouterr().out
    net = tg.TradeNetwork.read_csv(
        out / "firms.csv", out / "trades.csv", out / "collaborations.csv"
    )
    assert net == tg.datasets.synthetic_japan(3000, seed=2)
    summary = json.loads((out / "summary.json").read_text())
    assert summary["calibration"]["n_firms"] == 3000
    roles = pd.read_csv(out / "roles.csv", index_col=0)
    assert len(roles) == 3000
    assert {"connector_share", "z_representative", "multiplier"} <= set(roles)
    leading = pd.read_csv(out / "leading_firms.csv", index_col=0)
    assert leading["selected"].sum() == summary["leading_firms"] == 5 * 47
    pages = sorted((out / "prefectures").glob("*.md"))
    assert len(pages) == 47 and pages[0].name == "01-Hokkaido.md"
    summit = pd.read_csv(out / "summit" / "meetings.csv")
    assert len(summit) > 0 and set(summit["a"]) | set(summit["b"]) <= set(
        leading.index[leading["selected"]]
    )
    assert (out / "summit" / "schedule.html").read_text().count("Agenda: ") == 5 * 47
    text = (out / "prefectures" / "17-Ishikawa.md").read_text()
    assert text.startswith("# Ishikawa") and "## Leading firms" in text
    assert "## Their best recommended partners" in text
    recs = pd.read_csv(out / "recommendations.csv")
    leaders = set(leading.index[leading["selected"]])
    assert set(recs["firm_id"]) <= leaders
    assert set(recs["purpose"]) == {"customer", "supplier", "research"}
    by_purpose = recs.groupby("purpose")["region_relation"].agg(set)
    assert by_purpose["customer"] == {"out_region"} and by_purpose["supplier"] == {"in_region"}
    assert recs.groupby(["purpose", "firm_id"]).size().max() == 5
    assert summary["recommendations"] == len(recs)
    # The summit meets only leading firms, everyone at least twice.
    seats = pd.concat([summit["a"], summit["b"]]).value_counts()
    assert len(seats) == 5 * 47 and seats.min() >= 2
    # With matplotlib installed (the tests install it), the figures are drawn.
    pngs = sorted(p.name for p in (out / "figures").glob("*.png"))
    assert pngs == [
        "brokerage_profile.png",
        "cartography.png",
        "connector_hubs.png",
        "regional_flows.png",
        "schedule_grid.png",
    ]
    assert all((out / "figures" / p).read_bytes()[:4] == b"\x89PNG" for p in pngs)


def test_load_reports_and_errors(tmp_path: Path, capsys):
    trades = tmp_path / "t.csv"
    trades.write_text("supplier,customer\na,b\na,b\nb,b\n")
    assert main(["load", "--trades", str(trades), "--self-loops", "drop"]) == 0
    out = capsys.readouterr().out
    assert "1 merged as duplicates" in out and "rejected from trades: 1 rows" in out
    assert main(["load", "--trades", str(trades)]) == 2
    assert f"{trades}, line 4: self-loop" in capsys.readouterr().err
    assert main(["load", "--trades", str(tmp_path / "missing.csv")]) == 2


def test_load_saves_a_network_file_once(tmp_path: Path, capsys):
    trades = tmp_path / "t.csv"
    trades.write_text("supplier,customer,amount\na,b,1\nb,c,2\n")
    saved = tmp_path / "net"
    assert main(["load", "--trades", str(trades), "--save", str(saved)]) == 0
    assert f"saved the network file: {saved}" in capsys.readouterr().out
    assert tg.TradeNetwork.open(saved) == tg.TradeNetwork.read_csv(None, trades)
    assert main(["load", "--trades", str(trades), "--save", str(saved)]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "already exists" in err


def test_python_dash_m_runs_the_command_line():
    done = subprocess.run(
        [sys.executable, "-m", "tsunagime", "--version"], capture_output=True, text=True
    )
    assert done.returncode == 0 and done.stdout.startswith("tsunagime ")


def test_schedule_command(tmp_path: Path, capsys):
    inst = tg.summit.random_instance(40, 5, seed=2)
    pd.DataFrame({"participant": inst["participants"]}).to_csv(tmp_path / "p.csv", index=False)
    inst["scores"].to_csv(tmp_path / "s.csv", index=False)
    inst["unavailable"].to_csv(tmp_path / "u.csv", index=False)
    out = tmp_path / "out"
    args = [
        "schedule",
        "--participants",
        str(tmp_path / "p.csv"),
        "--scores",
        str(tmp_path / "s.csv"),
        "--unavailable",
        str(tmp_path / "u.csv"),
        "--slots",
        "5",
        "--tables",
        "8",
        "--start",
        "2026-04-20T10:00",
        "--minutes",
        "20",
        "--out",
        str(out),
    ]
    assert main(args) == 0
    printed = capsys.readouterr().out
    assert "upper bound" in printed and "below their minimum: 0" in printed
    assert {p.name for p in out.iterdir()} == {
        "agendas",
        "meetings.csv",
        "meetings.xlsx",
        "participants.csv",
        "schedule.json",
        "schedule.html",
        "schedule.ics",
        "summary.txt",
        "unmet_wishes.csv",
    }
    meetings = pd.read_csv(out / "meetings.csv")
    assert meetings["slot"].between(1, 5).all() and meetings.groupby("slot").size().max() <= 8
    # Re-scheduling from what was published: every meeting stays (nothing changed).
    assert main([*args[:-1], str(tmp_path / "again"), "--keep", str(out / "meetings.csv")]) == 0
    assert f"{len(meetings)} kept, 0 moved to another table, 0 cancelled" in capsys.readouterr().out
    changes = pd.read_csv(tmp_path / "again" / "changes.csv")
    assert (changes["change"] == "kept").sum() == len(meetings)
    assert main([*args[:-1], str(tmp_path / "tol"), "--idle-tolerance", "1.5"]) == 2
    assert "idle_tolerance" in capsys.readouterr().err
    (tmp_path / "bad.csv").write_text("a,b,score\np1,p2,1\np1,nobody,3\n")
    args[4] = str(tmp_path / "bad.csv")
    args[-1] = str(tmp_path / "elsewhere")
    assert main(args) == 2
    assert (
        f"{tmp_path / 'bad.csv'}, line 3, column 'b': unknown firm id 'nobody'"
        in capsys.readouterr().err
    )


def test_text_progress_bar(capsys):
    from tsunagime.cli import _text_bar

    _text_bar("scheduling", 15, 30)
    _text_bar("reading", 7, 0)
    err = capsys.readouterr().err
    assert "scheduling [" + "#" * 15 + "." * 15 + "] 15/30" in err
    assert "reading: 7" in err
