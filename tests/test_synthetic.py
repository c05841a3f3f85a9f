"""The synthetic economy from Python: determinism, the calibration table (printed with -s),
and the calibration figures checked against networkx on the same graph."""

from __future__ import annotations

import math

import networkx as nx
import numpy as np
import pandas as pd
import pytest

import tsunagime as tg


def test_deterministic_for_a_seed():
    a = tg.datasets.synthetic_japan(2_000, seed=3)
    assert a == tg.datasets.synthetic_japan(2_000, seed=3)
    assert a != tg.datasets.synthetic_japan(2_000, seed=4)


def test_calibration_table_is_printed_and_on_target():
    net = tg.datasets.synthetic_japan(30_000, seed=0)
    figures = tg.datasets.calibration(net)
    with pd.option_context("display.max_rows", 100):
        print(figures.to_string())
    assert figures["prefecture_1"] == "Tokyo" and 0.15 < figures["prefecture_1_share"] < 0.19
    assert 4.5 < figures["trades_per_firm"] < 5.5
    assert figures["customer_ccdf_exponent"] < figures["supplier_ccdf_exponent"]
    assert 15 < figures["median_distance_km"] < 60
    assert figures["assortativity"] < 0
    assert figures["square_link_share"] > figures["square_link_share_rewired"]
    assert 0.9 < figures["survival"] < 0.94


def test_figures_agree_with_networkx():
    net = tg.datasets.synthetic_japan(3_000, seed=5)
    figures = tg.datasets.calibration(net)
    g = net.to_networkx().to_undirected()
    assert math.isclose(
        figures["assortativity"], nx.degree_assortativity_coefficient(g), rel_tol=1e-9
    )
    assert math.isclose(figures["transitivity"], nx.transitivity(g), rel_tol=1e-9)
    out_degrees = np.array([d for _, d in net.to_networkx().out_degree()])
    assert figures["max_customers"] == out_degrees.max()


def test_panel_and_partitions(japan):
    firms = japan.firms
    assert firms["prefecture"].nunique() == 47 and firms["industry"].nunique() == 20
    for year in range(2016, 2020):
        for column in ("sales", "employees", "operating_profit"):
            assert firms[f"{column}_{year}"].notna().all()
    assert (firms["sales"] == firms["sales_2019"]).all()
    assert firms["lat"].between(24, 46).all() and firms["lon"].between(122, 146).all()
    assert set(japan.collaborations.columns) == {"a", "b", "year"}


@pytest.mark.parametrize(
    ("kwargs", "parameter"),
    [
        ({"n_firms": 0}, "n_firms"),
        ({"survival": 2.0}, "survival"),
        ({"end_year": 2000}, "end_year"),
    ],
)
def test_bad_parameters(kwargs, parameter):
    with pytest.raises(tg.errors.ParameterError) as e:
        tg.datasets.synthetic_japan(**kwargs)
    assert e.value.parameter == parameter
