"""Networks of other makers' generators, to test the recommender on structures the project's
own synthetic data do not have (networkx is a test dependency, not tsunagime's)."""

from __future__ import annotations

import numpy as np

import tsunagime as tg


def attachment(customers: int, seed: int) -> tg.TradeNetwork:
    """A supply network grown by preferential attachment (networkx's bipartite generator:
    each customer buys from 12 suppliers, a new supplier with probability 0.35, else a
    supplier chosen in proportion to its customers so far): popularity is the strongest
    simple method there."""
    import networkx as nx

    g = nx.bipartite.preferential_attachment_graph([12] * customers, 0.35, seed=seed)
    customer = {n for n, side in g.nodes(data="bipartite") if side == 0}
    pairs = {(b, a) if a in customer else (a, b) for a, b in g.edges()}
    supplier, buyer = zip(*sorted(pairs), strict=True)
    return tg.TradeNetwork.from_frames(
        None, {"supplier": np.array(supplier), "customer": np.array(buyer)}
    )
