"""Shock oracles: BoARIO's ARIO model (GPL-3, installed by the test set-up only) on pymrio's
test MRIO, and the static Leontief answer by a dense numpy solve."""

from __future__ import annotations

import logging
import warnings

import numpy as np
import pandas as pd


def boario_production(
    io: object, impact: pd.Series, days: int, inventory_days: int, tau: int, psi: float
) -> pd.DataFrame:
    """BoARIO's daily production over steady output, per (region, sector), from the day the
    ``impact`` (a share of production capacity per (region, sector), never recovered) hits.

    ARIOPsiModel with orders ``"noalt"`` (steady supplier shares), no overproduction
    (``alpha_max = 1``) and every sector's inventory target ``inventory_days``. BoARIO's first
    affected step is ``occurrence + 1``; the frame starts there."""
    import boario.event
    from boario.extended_models import ARIOPsiModel
    from boario.simulation import Simulation

    logging.getLogger("boario").setLevel(logging.ERROR)
    sectors = list(io.get_sectors())  # type: ignore[attr-defined]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        model = ARIOPsiModel(
            io,
            order_type="noalt",
            alpha_base=1.0,
            alpha_max=1.0,
            main_inv_dur=inventory_days,
            inventory_dict=dict.fromkeys(sectors, inventory_days),
            psi_param=psi,
            inventory_restoration_tau=tau,
        )
        sim = Simulation(model, n_temporal_units_to_sim=days + 3)
        event = boario.event.from_series(
            impact, event_type="arbitrary", occurrence=1, duration=days + 1, recovery_tau=1
        )
        sim.add_event(event)
        sim.loop()
    produced: pd.DataFrame = sim.production_realised
    steady = pd.Series(model.X_0, index=produced.columns)
    return (produced / steady).iloc[2 : 2 + days].reset_index(drop=True)


def leontief_output(net: object, cut: np.ndarray) -> np.ndarray:
    """Each firm's output ``x' = (I − A)⁻¹ c'`` once final demand ``c`` has lost the share
    ``cut``, with ``a_jk = Z_jk / x_k`` and ``x`` the network's outputs (``sales``, never
    below what a firm sells to or buys from firms)."""
    ids = net.firm_ids  # type: ignore[attr-defined]
    t = net.trades  # type: ignore[attr-defined]
    n = len(ids)
    s, c = net.index_of(t["supplier"]), net.index_of(t["customer"])  # type: ignore[attr-defined]
    z = np.zeros((n, n))
    np.add.at(z, (s, c), t["amount"].to_numpy())
    sales = net.firms["sales"].fillna(0).to_numpy()  # type: ignore[attr-defined]
    x = np.maximum(sales, np.maximum(z.sum(axis=1), z.sum(axis=0)))
    a = np.divide(z, x, out=np.zeros_like(z), where=x > 0)
    final = x - z.sum(axis=1)
    return np.linalg.solve(np.eye(n) - a, final * (1 - cut))
