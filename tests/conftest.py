"""Shared fixtures for the Python tests."""

from __future__ import annotations

import signal
from collections.abc import Iterator

import pandas as pd
import pytest

import tsunagime as tg


@pytest.fixture(scope="session", autouse=True)
def ctrl_c_raises_keyboard_interrupt() -> Iterator[None]:
    """The Ctrl-C tests need Python's KeyboardInterrupt handler, which Python does not
    install when the suite starts with SIGINT ignored (as a shell's background job does)."""
    previous = signal.signal(signal.SIGINT, signal.default_int_handler)
    yield
    signal.signal(signal.SIGINT, previous)


@pytest.fixture(scope="session")
def japan() -> tg.TradeNetwork:
    """A small seeded economy, shared by the tests that only read it."""
    return tg.datasets.synthetic_japan(3_000, seed=11)


@pytest.fixture()
def small_frames() -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    firms = pd.DataFrame(
        {
            "firm_id": ["a", "b", "c", "d"],
            "prefecture": pd.Categorical(["Tokyo", "Tokyo", "Osaka", None]),
            "industry": ["maker", "maker", "retail", "retail"],
            "sales": [10.0, 20.0, float("nan"), 5.0],
            "employees": pd.array([1, 2, None, 4], dtype="Int64"),
        }
    )
    trades = pd.DataFrame(
        {
            "supplier": ["a", "b", "a", "c", "a"],
            "customer": ["b", "c", "c", "d", "b"],
            "amount": [1.0, 2.0, 3.0, 4.0, 5.0],
            "year": [2017, 2018, 2019, 2018, 2016],
        }
    )
    collaborations = pd.DataFrame({"a": ["b", "d"], "b": ["a", "c"], "year": [2018, 2019]})
    return firms, trades, collaborations
