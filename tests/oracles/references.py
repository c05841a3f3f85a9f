"""Reference implementations run as test oracles: R's ``sna::brokerage`` (via ``Rscript``),
``bctpy``'s cartography and a dense numpy Leontief solve, on the same networks as
tsunagime. Installed by the test set-up (``make test``: Debian ``r-cran-sna``, PyPI
``bctpy``); nothing of them is part of tsunagime.

Run as a script to print a comparison on a synthetic network::

    python tests/oracles/references.py
"""

from __future__ import annotations

import subprocess
import tempfile
from pathlib import Path

import numpy as np
import numpy.typing as npt
import pandas as pd

import tsunagime as tg

R_BROKERAGE = r"""
suppressPackageStartupMessages(library(sna))
args <- commandArgs(trailingOnly = TRUE)
e <- read.csv(file.path(args[1], "edges.csv"))
cl <- as.character(read.csv(file.path(args[1], "classes.csv"), colClasses = "character")$cl)
n <- length(cl)
g <- cbind(e$snd, e$rec, rep(1, nrow(e)))
attr(g, "n") <- n
attr(g, "vnames") <- seq_len(n)
b <- brokerage(g, cl)
put <- function(x, name) write.csv(x, file.path(args[1], name), row.names = FALSE)
options(digits = 17)
put(format(b$raw.nli, digits = 17), "raw.csv")
put(format(b$exp.nli, digits = 17), "exp.csv")
put(format(b$sd.nli, digits = 17), "sd.csv")
put(format(b$z.nli, digits = 17), "z.csv")
put(data.frame(raw = format(b$raw.gli, digits = 17), exp = format(b$exp.gli, digits = 17),
               sd = format(b$sd.gli, digits = 17), z = format(b$z.gli, digits = 17)), "gli.csv")
"""


def adjacency(net: tg.TradeNetwork, weighted: bool = False) -> npt.NDArray[np.float64]:
    """Dense W[i, j] = 1 (or the amount) for each trade i → j, in the network's firm order."""
    t = net.trades
    n = net.n_firms
    w = np.zeros((n, n))
    i = net.index_of(t["supplier"])
    j = net.index_of(t["customer"])
    w[i, j] = t["amount"].to_numpy() if weighted else 1.0
    return w


def sna_brokerage(net: tg.TradeNetwork, region: str) -> dict[str, pd.DataFrame]:
    """R ``sna::brokerage(g, cl)`` on the network's trades, classes from ``region``."""
    t = net.trades
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        edges = pd.DataFrame(
            {"snd": net.index_of(t["supplier"]) + 1, "rec": net.index_of(t["customer"]) + 1}
        )
        edges.to_csv(folder / "edges.csv", index=False)
        labels = net.firms[region].astype(str)
        pd.DataFrame({"cl": labels}).to_csv(folder / "classes.csv", index=False)
        (folder / "brokerage.R").write_text(R_BROKERAGE)
        subprocess.run(["Rscript", str(folder / "brokerage.R"), str(folder)], check=True)
        out = {
            name: pd.read_csv(folder / f"{name}.csv", na_values=["NaN", "NA"]).astype(float)
            for name in ("raw", "exp", "sd", "z", "gli")
        }
    return out


def bctpy_cartography(
    net: tg.TradeNetwork, module: str, direction: str, weighted: bool
) -> tuple[npt.NDArray[np.float64], npt.NDArray[np.float64]]:
    """``bctpy.participation_coef`` and ``bctpy.module_degree_zscore`` on the adjacency."""
    import bct

    w = adjacency(net, weighted)
    ci = net.firms[module].cat.codes.to_numpy() + 1
    if direction == "out":
        p = bct.participation_coef(w, ci, degree="out")
        z = bct.module_degree_zscore(w, ci, flag=1)  # flag 1 sums rows: out-links
    elif direction == "in":
        p = bct.participation_coef(w, ci, degree="in")
        z = bct.module_degree_zscore(w, ci, flag=2)  # flag 2 transposes: in-links
    else:
        p = bct.participation_coef(w + w.T, ci, degree="undirected")
        z = bct.module_degree_zscore(w, ci, flag=3)
    return np.asarray(p), np.asarray(z)


def dense_multipliers(
    net: tg.TradeNetwork, region: str, output: str = "sales"
) -> npt.NDArray[np.float64]:
    """m = 1ᵀ (I − A_RR)⁻¹ per region by a dense numpy solve."""
    w = adjacency(net, weighted=True)
    x = net.firms[output].to_numpy()
    a = w / x[np.newaxis, :]
    groups = net.firms[region].cat.codes.to_numpy()
    m = np.ones(net.n_firms)
    for g in np.unique(groups):
        idx = np.flatnonzero(groups == g)
        block = a[np.ix_(idx, idx)]
        # mᵀ (I − A) = 1ᵀ  ⇔  (I − A)ᵀ m = 1
        m[idx] = np.linalg.solve((np.eye(len(idx)) - block).T, np.ones(len(idx)))
    return m


if __name__ == "__main__":
    japan = tg.datasets.synthetic_japan(2_000, seed=0)
    ref = sna_brokerage(japan, "prefecture")
    ours = tg.roles.brokerage_summary(japan)
    print(pd.concat([ours, ref["gli"].set_index(ours.index).add_prefix("sna_")], axis=1))
