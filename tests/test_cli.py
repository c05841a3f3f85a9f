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
    prefectures = pd.read_csv(out / "prefectures.csv")
    assert len(prefectures) == 47 and prefectures["firms"].sum() == 3000


def test_load_reports_and_errors(tmp_path: Path, capsys):
    trades = tmp_path / "t.csv"
    trades.write_text("supplier,customer\na,b\na,b\nb,b\n")
    assert main(["load", "--trades", str(trades), "--self-loops", "drop"]) == 0
    out = capsys.readouterr().out
    assert "1 merged as duplicates" in out and "rejected from trades: 1 rows" in out
    assert main(["load", "--trades", str(trades)]) == 2
    assert f"{trades}, line 4: self-loop" in capsys.readouterr().err
    assert main(["load", "--trades", str(tmp_path / "missing.csv")]) == 2


def test_python_dash_m_runs_the_command_line():
    done = subprocess.run(
        [sys.executable, "-m", "tsunagime", "--version"], capture_output=True, text=True
    )
    assert done.returncode == 0 and done.stdout.startswith("tsunagime ")
