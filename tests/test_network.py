"""TradeNetwork from pandas and CSV: contents, policies, round trips, views, networkx/igraph."""

from __future__ import annotations

import pickle
from pathlib import Path

import networkx as nx
import numpy as np
import pandas as pd
import pytest

import tsunagime as tg


def test_from_frames_reads_partitions_attributes_and_merges(small_frames):
    firms, trades, collabs = small_frames
    net = tg.TradeNetwork.from_frames(firms, trades, collabs)
    assert (net.n_firms, net.n_trades, net.n_collaborations) == (4, 4, 2)
    assert net.partitions == ["prefecture", "industry"]
    assert net.attributes == ["sales", "employees"]
    assert net.report.trades_merged == 1
    assert net.report.missing == {"prefecture": 1, "sales": 1, "employees": 1}
    f = net.firms
    assert list(f.index) == ["a", "b", "c", "d"] and f.index.name == "firm_id"
    assert isinstance(f["prefecture"].dtype, pd.CategoricalDtype)
    assert pd.isna(f.loc["d", "prefecture"]) and np.isnan(f.loc["c", "sales"])
    t = net.trades.set_index(["supplier", "customer"])
    assert t.loc[("a", "b"), "amount"] == 6.0 and t.loc[("a", "b"), "year"] == 2016
    assert net.years == (2016, 2019)


def test_accessors_say_what_the_network_holds():
    """The accessors (one-line docs in the class) on a bare network and on the economy."""
    net = tg.TradeNetwork.from_frames(None, {"supplier": ["a", "b"], "customer": ["b", "c"]})
    assert (net.n_firms, net.n_trades, net.n_collaborations) == (3, 2, 0)
    assert net.firm_ids.tolist() == ["a", "b", "c"] and net.firm_ids.name == "firm_id"
    assert net.partitions == [] and net.attributes == []
    assert net.firms.index.name == "firm_id" and len(net.firms) == 3
    assert net.trades.values.tolist() == [["a", "b"], ["b", "c"]]
    assert list(net.collaborations.columns) == ["a", "b"] and net.years is None
    japan = tg.datasets.synthetic_japan(500, seed=0)
    assert japan.partitions[:2] == ["prefecture", "prefecture_code"]
    assert japan.attributes[:3] == ["lat", "lon", "sales"]
    assert japan.years == (2016, 2019)
    assert isinstance(japan.firms["prefecture"].dtype, pd.CategoricalDtype)
    assert list(japan.trades.columns[:2]) == ["supplier", "customer"]
    assert len(japan.collaborations) == japan.n_collaborations > 0


def test_duplicate_policies(small_frames):
    firms, trades, _ = small_frames
    amount = {
        policy: tg.TradeNetwork.from_frames(firms, trades, duplicates=policy)
        .trades.set_index(["supplier", "customer"])
        .loc[("a", "b"), "amount"]
        for policy in ("sum", "max", "first")
    }
    assert amount == {"sum": 6.0, "max": 5.0, "first": 1.0}
    with pytest.raises(tg.errors.InputError) as e:
        tg.TradeNetwork.from_frames(firms, trades, duplicates="error")
    assert e.value.row == 4 and "same as trades, row 0" in str(e.value)
    with pytest.raises(tg.errors.ParameterError, match="duplicates"):
        tg.TradeNetwork.from_frames(firms, trades, duplicates="mean")  # type: ignore[arg-type]


def test_dicts_of_numpy_arrays_and_index_as_id():
    firms = pd.DataFrame({"pref": ["x", "y", "y"]}, index=pd.Index([10, 20, 30], name="firm_id"))
    trades = {
        "supplier": np.array([10, 20]),
        "customer": np.array([20, 30]),
        "amount": np.array([1.0, 2.0]),
    }
    net = tg.TradeNetwork.from_frames(firms, trades)
    assert net.firm_ids.tolist() == [10, 20, 30] and net.firm_ids.dtype == np.int64
    assert net.trades["supplier"].tolist() == [10, 20]


def test_bare_ids_and_inferred_firms():
    net = tg.TradeNetwork.from_frames(
        {"firm_id": ["p", "q"]}, {"supplier": ["p"], "customer": ["q"]}
    )
    assert net.partitions == [] and net.attributes == [] and net.n_trades == 1
    assert list(net.trades.columns) == ["supplier", "customer"]
    inferred = tg.TradeNetwork.from_frames(None, {"supplier": [5, 6], "customer": [6, 7]})
    assert inferred.firm_ids.tolist() == [5, 6, 7] and inferred.report.firms_inferred == 3


def test_integer_ids_meet_string_ids():
    firms = pd.DataFrame({"firm_id": [7, 8]})
    net = tg.TradeNetwork.from_frames(firms, {"supplier": ["7"], "customer": [8]})
    assert net.n_trades == 1
    with pytest.raises(tg.errors.UnknownFirmError, match="'07'"):
        tg.TradeNetwork.from_frames(firms, {"supplier": ["07"], "customer": ["8"]})


@pytest.mark.parametrize(
    ("trades", "error", "row", "column", "text"),
    [
        (
            {"supplier": [1, 9], "customer": [2, 3]},
            tg.errors.UnknownFirmError,
            1,
            "supplier",
            "unknown firm id '9'",
        ),
        (
            {"supplier": [1, 2], "customer": [2, 3], "amount": [1.0, np.nan]},
            tg.errors.InputError,
            1,
            "amount",
            "missing (NaN) amount",
        ),
        (
            {"supplier": [1, 2], "customer": [2, 3], "amount": [-1.0, 1.0]},
            tg.errors.InputError,
            0,
            "amount",
            "negative amount",
        ),
        (
            {"supplier": [1, 2], "customer": [2, 3], "amount": [1.0, np.inf]},
            tg.errors.InputError,
            1,
            "amount",
            "infinite amount",
        ),
        (
            {"supplier": [1, 2], "customer": [2, 3], "amount": ["1", "x"]},
            tg.errors.InputError,
            1,
            "amount",
            "'x' is not a number",
        ),
        ({"supplier": [1, 3], "customer": [2, 3]}, tg.errors.InputError, 1, None, "self-loop"),
        (
            {"supplier": [1, None], "customer": [2, 3]},
            tg.errors.InputError,
            1,
            "supplier",
            "missing firm id",
        ),
        (
            {"supplier": [1, 2], "customer": [2, 3], "year": [2019, np.nan]},
            tg.errors.InputError,
            1,
            "year",
            "missing year",
        ),
        (
            {"supplier": [1, 2], "customer": [2, 3], "year": [2019, 12]},
            tg.errors.InputError,
            1,
            "year",
            "year 12 is outside",
        ),
    ],
)
def test_bad_trades_name_row_and_column(trades, error, row, column, text):
    with pytest.raises(error) as e:
        tg.TradeNetwork.from_frames({"firm_id": [1, 2, 3]}, trades)
    assert e.value.row == row and e.value.column == column and e.value.source == "trades"
    assert text in str(e.value)


def test_bad_firms():
    with pytest.raises(tg.errors.InputError, match="duplicate firm id '1'") as e:
        tg.TradeNetwork.from_frames({"firm_id": [1, 2, 1]}, {"supplier": [1], "customer": [2]})
    assert e.value.row == 2
    with pytest.raises(tg.errors.InputError, match="empty firm id"):
        tg.TradeNetwork.from_frames({"firm_id": ["a", ""]}, {"supplier": ["a"], "customer": ["a"]})
    with pytest.raises(tg.errors.MissingColumnError, match="missing column 'firm_id'") as e2:
        tg.TradeNetwork.from_frames({"id": [1]}, {"supplier": [1], "customer": [1]})
    assert isinstance(e2.value, ValueError)
    with pytest.raises(KeyError):
        tg.TradeNetwork.from_frames({"firm_id": [1]}, {"supplier": [1], "customer": [2]})
    with pytest.raises(tg.errors.InputError, match="neither categorical nor numeric"):
        tg.TradeNetwork.from_frames(
            {"firm_id": [1], "when": pd.to_datetime(["2020-01-01"])},
            {"supplier": [], "customer": []},
        )
    with pytest.raises(TypeError, match="DataFrame or a dict"):
        tg.TradeNetwork.from_frames({"firm_id": [1]}, [[1, 2]])  # type: ignore[arg-type]


def test_self_loops_dropped_are_reported():
    net = tg.TradeNetwork.from_frames(
        None, {"supplier": [1, 2], "customer": [2, 2]}, self_loops="drop"
    )
    assert net.n_trades == 1
    (rejected,) = net.report.rejected
    assert rejected["count"] == 1 and rejected["first"] == "trades, row 1"
    assert "rejected from trades: 1 rows" in str(net.report)


def test_frames_round_trip(japan):
    again = tg.TradeNetwork.from_frames(japan.firms, japan.trades, japan.collaborations)
    assert again == japan


def test_csv_round_trip(japan, tmp_path: Path):
    paths = [tmp_path / n for n in ("f.csv", "t.csv", "c.csv")]
    japan.to_csv(*paths)
    again = tg.TradeNetwork.read_csv(*paths)
    assert again == japan
    assert again.report.trades_read == japan.n_trades
    assert again.firms["prefecture_code"].iloc[0].startswith(("0", "1", "2", "3", "4"))


def test_pickle_round_trip(japan):
    again = pickle.loads(pickle.dumps(japan))
    assert again == japan and again.report.source == "pickle"
    assert again.firms.equals(japan.firms) and again.trades.equals(japan.trades)


def test_corrupt_pickle_is_a_clear_error(japan):
    data = pickle.dumps(japan)
    with pytest.raises(tg.errors.DecodeError):
        tg.TradeNetwork.__reduce__(japan)[0](b"\x00\x01garbage")
    assert len(data) > 0


def test_until_and_subgraph(japan):
    train = japan.until(2017)
    assert train.n_firms == japan.n_firms
    assert train.trades["year"].max() <= 2017 and train.trades["last_year"].max() <= 2017
    assert train.n_trades == int((japan.trades["year"] <= 2017).sum())
    ids = japan.firm_ids[:500][::-1]
    sub = japan.subgraph(ids)
    assert sub.firm_ids.tolist() == ids.tolist()
    inside = japan.trades[japan.trades["supplier"].isin(ids) & japan.trades["customer"].isin(ids)]
    assert sub.n_trades == len(inside)
    with pytest.raises(tg.errors.UnknownFirmError) as e:
        japan.subgraph([12345])
    assert e.value.firm_id == "12345"
    with pytest.raises(tg.errors.ParameterError, match="no year"):
        tg.TradeNetwork.from_frames(None, {"supplier": [1], "customer": [2]}).until(2020)


def test_to_networkx_matches_the_trades(japan):
    g = japan.to_networkx()
    assert (g.number_of_nodes(), g.number_of_edges()) == (japan.n_firms, japan.n_trades)
    row = japan.trades.iloc[0]
    edge = g.edges[row["supplier"], row["customer"]]
    assert edge["amount"] == row["amount"] and edge["year"] == row["year"]
    node = g.nodes[japan.firm_ids[0]]
    assert node["prefecture"] == japan.firms["prefecture"].iloc[0]
    degrees = pd.Series(dict(g.out_degree())).reindex(japan.firm_ids)
    counts = japan.trades["supplier"].value_counts().reindex(japan.firm_ids, fill_value=0)
    assert (degrees.to_numpy() == counts.to_numpy()).all()


def test_csv_load_matches_networkx_and_igraph(japan, tmp_path: Path):
    """The same trades file loaded by networkx and igraph gives the same graph."""
    import igraph as ig

    japan.to_csv(tmp_path / "f.csv", tmp_path / "t.csv")
    ours = tg.TradeNetwork.read_csv(tmp_path / "f.csv", tmp_path / "t.csv")
    frame = pd.read_csv(tmp_path / "t.csv")
    g = nx.from_pandas_edgelist(frame, "supplier", "customer", create_using=nx.DiGraph)
    assert g.number_of_edges() == ours.n_trades
    h = ig.Graph.DataFrame(frame[["supplier", "customer"]], directed=True, use_vids=False)
    assert h.ecount() == ours.n_trades
    assert sorted(h.indegree()) == sorted(d for _, d in g.in_degree())


def test_repr_says_what_it_holds(japan):
    text = repr(japan)
    assert text.startswith("TradeNetwork(3000 firms, ") and "partitions: prefecture" in text
    assert "years 2016–2019" in text


def test_progress_callback_and_ctrl_c(tmp_path: Path):
    """Long loads report progress and stop on Ctrl-C with KeyboardInterrupt."""
    import signal
    import threading

    n = 1_000_000
    rng = np.random.default_rng(0)
    frame = pd.DataFrame(
        {"supplier": rng.integers(0, 50_000, n), "customer": rng.integers(0, 50_000, n)}
    )
    frame = frame[frame["supplier"] != frame["customer"]]
    trades = tmp_path / "t.csv"
    frame.to_csv(trades, index=False)
    seen: list[tuple[str, int, int]] = []
    tg.TradeNetwork.read_csv(None, trades, progress=lambda *a: seen.append(a))
    assert seen and seen[-1][1] >= 2**16 and "t.csv" in seen[-1][0]

    # Ctrl-C arrives while Rust reads (after the first progress report): the load stops
    # part-way with KeyboardInterrupt.
    partial: list[int] = []

    def interrupt_once(stage: str, done: int, total: int) -> None:
        partial.append(done)
        if len(partial) == 1:
            # Raised from another thread, as a terminal's Ctrl-C is; joined so that the signal
            # is pending before the load goes on and cannot arrive after it has finished.
            sender = threading.Thread(target=signal.raise_signal, args=(signal.SIGINT,))
            sender.start()
            sender.join()

    with pytest.raises(KeyboardInterrupt):
        tg.TradeNetwork.read_csv(None, trades, progress=interrupt_once)
    assert max(partial) < len(frame)


def test_a_raising_progress_callback_stops_the_call():
    def stop(stage: str, done: int, total: int) -> None:
        raise RuntimeError(f"stop at {stage}")

    with pytest.raises(RuntimeError, match="stop at wiring firms"):
        tg.datasets.synthetic_japan(200_000, progress=stop)


def test_native_errors_are_raised_as_the_classes_tsunagime_errors_registered() -> None:
    """`tsunagime.errors` hands its classes to the native module once; a second registration
    (a reload) changes nothing, so `except` clauses written against the first ones hold."""
    from tsunagime import _tsunagime as native

    trades = {"supplier": [1], "customer": [2]}
    with pytest.raises(tg.errors.ParameterError) as caught:
        tg.TradeNetwork.from_frames(None, trades, duplicates="bogus")
    assert type(caught.value) is tg.errors.ParameterError

    class OtherError(Exception):
        pass

    native._register_errors(dict.fromkeys(tg.errors._CLASSES, OtherError))
    with pytest.raises(tg.errors.ParameterError):
        tg.TradeNetwork.from_frames(None, trades, duplicates="bogus")
    with pytest.raises(tg.errors.UnknownFirmError):
        tg.TradeNetwork.from_frames({"firm_id": [1, 2]}, {"supplier": [1], "customer": [3]})
    errors = tg.errors
    pairs = [
        (errors.MissingColumnError, errors.InputError),
        (errors.InputError, ValueError),
        (errors.UnknownFirmError, KeyError),
        (errors.UnknownNameError, KeyError),
        (errors.ParameterError, ValueError),
        (errors.DecodeError, ValueError),
        (errors.EncodeError, ValueError),
    ]
    assert all(issubclass(a, b) for a, b in pairs)
