"""Resource limits: a national-size load (5M trades, 1M firms) under an address-space limit
either succeeds or raises MemoryError naming what it could not allocate — never an abort."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

LOAD = """
import resource, sys
limit = int(sys.argv[1]) << 20
resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
import tsunagime as tg
try:
    net = tg.TradeNetwork.read_csv(None, sys.argv[2], id_type="int")
    print("loaded", net.n_firms, net.n_trades)
except MemoryError as e:
    print("MemoryError:", e)
"""


@pytest.fixture(scope="module")
def five_million(tmp_path_factory: pytest.TempPathFactory) -> Path:
    rng = np.random.default_rng(0)
    n = 5_000_000
    supplier = rng.integers(0, 1_000_000, n)
    customer = (supplier + rng.integers(1, 1_000_000, n)) % 1_000_000  # never a self-loop
    path = tmp_path_factory.mktemp("limits") / "trades.csv"
    frame = pd.DataFrame({"supplier": supplier, "customer": customer})
    frame["amount"] = rng.integers(1, 1000, n)
    frame.to_csv(path, index=False)
    return path


@pytest.mark.parametrize("limit_mib", [2048, 1000, 800, 600, 450])
def test_a_five_million_trade_load_under_a_memory_limit(five_million: Path, limit_mib: int):
    done = subprocess.run(
        [sys.executable, "-c", LOAD, str(limit_mib), str(five_million)],
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert done.returncode == 0, done.stderr[-3000:]  # no abort, no signal
    out = done.stdout.strip()
    loaded = out.startswith("loaded 999")  # ~1M firms, ~5M distinct trades
    refused = out.startswith("MemoryError: out of memory: could not allocate")
    assert loaded or refused, out
    if limit_mib == 2048:
        assert loaded, out  # the bound: a national load fits in 2 GiB
    if limit_mib == 450:
        assert refused, out
