"""Long calls report progress (a callable, or ``progress=True`` for a tqdm bar), release the
GIL while they work, and stop on Ctrl-C with KeyboardInterrupt within about a second."""

from __future__ import annotations

import signal
import threading
import time
from collections.abc import Callable
from typing import Any

import pytest

import tsunagime as tg


@pytest.fixture(scope="module")
def net() -> tg.TradeNetwork:
    return tg.datasets.synthetic_japan(30_000, seed=0)


@pytest.fixture(scope="module")
def big() -> tg.TradeNetwork:
    """Large enough for brokerage to take a good fraction of a second."""
    return tg.datasets.synthetic_japan(400_000, seed=1)


@pytest.fixture(scope="module")
def calls(net: tg.TradeNetwork, big: tg.TradeNetwork) -> dict[str, Callable[[Any], object]]:
    """Each long call (0.4 s or more here), taking its ``progress`` argument."""
    summit = tg.summit.random_instance(1_000, slots=10, partners=20, seed=0)
    customer = tg.PartnerRecommender("customer").fit(net)
    return {
        "synthetic_japan": lambda p: tg.datasets.synthetic_japan(400_000, seed=1, progress=p),
        "brokerage": lambda p: tg.brokerage(big, weighted=True, progress=p),
        "calibration": lambda p: tg.datasets.calibration(big, progress=p),
        "fit": lambda p: tg.PartnerRecommender("supplier").fit(net, progress=p),
        "recommend": lambda p: customer.recommend(k=20, progress=p),
        "evaluate": lambda p: tg.recommend.evaluate(net, 2017, purposes=("customer",), progress=p),
        "schedule_meetings": lambda p: tg.schedule_meetings(**summit, tables=150, progress=p),
    }


def test_every_long_call_reports_progress(calls):
    for name, call in calls.items():
        seen: list[tuple[str, int, int]] = []
        call(lambda stage, done, total, seen=seen: seen.append((stage, done, total)))
        assert seen, name
        assert all(isinstance(s, str) and done >= 0 and total >= 0 for s, done, total in seen)


def test_progress_true_draws_a_tqdm_bar(net, capsys):
    tg.brokerage(net, progress=True)
    err = capsys.readouterr().err
    assert "it/s" in err or "%|" in err


def test_long_calls_release_the_gil(calls):
    """A Python thread keeps running while each call works in Rust."""
    for name, call in calls.items():
        stop = threading.Event()
        ticks = [0]

        def count(stop: threading.Event = stop, ticks: list[int] = ticks) -> None:
            while not stop.is_set():
                ticks[0] += 1

        counter = threading.Thread(target=count)
        counter.start()
        time.sleep(0.05)
        before = ticks[0]
        call(None)
        during = ticks[0] - before
        stop.set()
        counter.join()
        # Holding the GIL would leave the counter a few switch intervals at most.
        assert during > 10_000, f"{name}: {during} ticks while it ran"


def test_two_calls_run_at_once_in_threads(net):
    results: dict[int, object] = {}

    def run(k: int) -> None:
        results[k] = tg.brokerage(net, "prefecture")

    threads = [threading.Thread(target=run, args=(k,)) for k in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert results[0].equals(results[1])  # type: ignore[attr-defined]


@pytest.mark.parametrize(
    "name",
    [
        "synthetic_japan",
        "brokerage",
        "calibration",
        "fit",
        "recommend",
        "evaluate",
        "schedule_meetings",
    ],
)
def test_ctrl_c_stops_each_long_call_within_a_second(calls, name):
    call = calls[name]
    sent: list[float] = []

    def interrupt() -> None:
        sent.append(time.perf_counter())
        signal.raise_signal(signal.SIGINT)

    timer = threading.Timer(0.05, interrupt)
    timer.start()
    with pytest.raises(KeyboardInterrupt):
        call(None)
    latency = time.perf_counter() - sent[0]
    print(f"{name}: stopped {latency * 1000:.0f} ms after Ctrl-C")
    assert latency < 1.0


def test_ctrl_c_stops_fit_while_it_boosts(net):
    """Ctrl-C arriving in the boosting rounds (seconds long on large networks, after the
    learning queries) stops the fit within a second, before the rounds are done."""
    stages: list[tuple[str, int]] = []
    sent: list[float] = []

    def interrupt_in_boosting(stage: str, done: int, total: int) -> None:
        stages.append((stage, done))
        if stage == "boosting" and not sent:
            sent.append(time.perf_counter())
            # From another thread, as a terminal's Ctrl-C is; joined so it is pending.
            sender = threading.Thread(target=signal.raise_signal, args=(signal.SIGINT,))
            sender.start()
            sender.join()

    with pytest.raises(KeyboardInterrupt):
        tg.PartnerRecommender("supplier").fit(net, progress=interrupt_in_boosting)
    assert time.perf_counter() - sent[0] < 1.0
    boosted = [done for stage, done in stages if stage == "boosting"]
    assert max(boosted) < 60, "the boosting rounds ran to the end"
