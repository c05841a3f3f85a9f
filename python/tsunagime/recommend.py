"""Partner recommendation for deals and joint research, learned from the network's history.

:class:`PartnerRecommender` recommends new suppliers (``purpose="supplier"``), new customers
(``"customer"``) or joint-research partners (``"research"``). Candidates come from the
supplier/customer structure — "firms that supply the firms like you" (3-hop paths), tier-2
suppliers, common partners —, from collaborations, and from the most active firms of the
markets (region × industry) the firm's industry trades with, so that a firm without trades
still gets an answer. A logistic scoring of their features is learned from the network
itself: the links first seen in its last year are the positives (a seeded tenth of the links
when there are no years). With ``reciprocal=True`` the partner's interest is scored too and
the two fused. Every row carries its evidence.

:func:`evaluate` measures it by a temporal hold-out beside the classic baselines (random,
preferential attachment, common neighbours, Adamic–Adar, resource allocation) scored on the
same candidates; :func:`link_prediction_scores` gives those baselines for any pairs, exactly
as networkx computes them.
"""

from __future__ import annotations

import inspect
from collections.abc import Iterable, Sequence
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa

from . import _tsunagime as _native
from ._network import TradeNetwork
from ._progress import Progress, reporter
from .errors import NotFittedError

__all__ = ["PartnerRecommender", "evaluate", "link_prediction_scores"]


class PartnerRecommender:
    """Recommends new suppliers, customers or joint-research partners to firms.

    Follows the scikit-learn estimator contract: parameters are set at construction and
    returned by :meth:`get_params`; :meth:`fit` learns from a network and returns the
    recommender; learned attributes end in ``_``; it pickles (with its network).

    Parameters
    ----------
    purpose : {"supplier", "customer", "research"}
        What to recommend: new suppliers of the firm (it buys from them), new customers (it
        sells to them), or joint-research partners.
    region : str, optional
        Partition naming regions; by default ``prefecture`` when the network has it.
    industry : str, optional
        Partition naming industries; by default ``industry`` when the network has it.
    prefer : {"in_region", "out_region"}, optional
        Keep only partners inside the firm's region (local procurement: the hub function) or
        outside it (outside demand: the connector function).
    max_distance_km : float, optional
        Keep only partners at most this far (needs ``lat``/``lon`` attributes).
    exclude_existing : bool
        Leave out firms that already are partners of that kind.
    reciprocal : bool
        Score the partner's interest too (a supplier's interest in a new customer) and rank by
        the fusion of both sides; else by the firm's side only.
    fusion : {"harmonic", "geometric", "min", "product"}
        How the two one-way scores (probabilities) become one.
    seed : int
        Seed of every sampling choice; the same seed gives the same recommendations.
    max_train_queries : int
        Most firms whose new links are learned from.
    l2 : float
        L2 penalty of the logistic scoring (on standardised features).

    Attributes
    ----------
    network_ : TradeNetwork
        The network fitted on; :meth:`recommend` reads it.
    coef_ : pandas.DataFrame
        The learned weights per feature (rows) and side (columns ``firm``, and ``partner``
        when reciprocal), on standardised features, with the ``intercept`` last.
    training_ : pandas.DataFrame
        How each side learned: ``labels`` (``year``, ``hold_out`` or ``prior``),
        ``label_year``, query firms, their new links, those among the candidates, rows, and
        the recall@20 of the fitted scoring and of the hand-set prior on a held-out fifth of
        the training firms (the better one is kept; the prior also when fewer than 100 new
        links are among the candidates).
    region_, industry_ : str or None
        The partitions used.

    Examples
    --------
    >>> import tsunagime as tg
    >>> net = tg.datasets.synthetic_japan(3_000, seed=1)
    >>> rec = tg.PartnerRecommender(purpose="customer", prefer="out_region").fit(net)
    >>> recs = rec.recommend(net.firm_ids[:2], k=3)
    >>> list(recs.columns[:4])
    ['firm_id', 'partner_id', 'rank', 'score']
    >>> bool((recs["region_relation"] == "out_region").all())
    True
    >>> rec.training_.loc["firm", "labels"]
    'year'
    """

    def __init__(
        self,
        purpose: str = "supplier",
        *,
        region: str | None = None,
        industry: str | None = None,
        prefer: str | None = None,
        max_distance_km: float | None = None,
        exclude_existing: bool = True,
        reciprocal: bool = True,
        fusion: str = "harmonic",
        seed: int = 0,
        max_train_queries: int = 10_000,
        l2: float = 1.0,
    ) -> None:
        self.purpose = purpose
        self.region = region
        self.industry = industry
        self.prefer = prefer
        self.max_distance_km = max_distance_km
        self.exclude_existing = exclude_existing
        self.reciprocal = reciprocal
        self.fusion = fusion
        self.seed = seed
        self.max_train_queries = max_train_queries
        self.l2 = l2

    # ------------------------------------------------------- estimator contract
    @classmethod
    def _param_names(cls) -> list[str]:
        signature = inspect.signature(cls.__init__)
        return [p for p in signature.parameters if p != "self"]

    def get_params(self, deep: bool = True) -> dict[str, Any]:
        """The parameters, as given at construction or by :meth:`set_params`.

        Examples
        --------
        >>> import tsunagime as tg
        >>> tg.PartnerRecommender("customer", prefer="out_region").get_params()["prefer"]
        'out_region'
        """
        return {name: getattr(self, name) for name in self._param_names()}

    def set_params(self, **params: Any) -> PartnerRecommender:
        """Sets parameters by name; an unknown name is a ``ValueError``. Returns ``self``.

        Examples
        --------
        >>> import tsunagime as tg
        >>> tg.PartnerRecommender("customer").set_params(k=5)
        Traceback (most recent call last):
        ...
        ValueError: invalid parameter 'k' for PartnerRecommender (valid: purpose, ...)
        """
        names = self._param_names()
        for key, value in params.items():
            if key not in names:
                raise ValueError(
                    f"invalid parameter '{key}' for PartnerRecommender (valid: {', '.join(names)})"
                )
            setattr(self, key, value)
        return self

    def _native_params(self) -> dict[str, Any]:
        """The parameters with numpy or other numbers made plain (the core checks ranges)."""
        params = self.get_params()
        params["seed"] = int(params["seed"])
        params["max_train_queries"] = int(params["max_train_queries"])
        params["l2"] = float(params["l2"])
        if params["max_distance_km"] is not None:
            params["max_distance_km"] = float(params["max_distance_km"])
        return params

    def __repr__(self) -> str:
        defaults = PartnerRecommender()
        changed = [f"{k}={v!r}" for k, v in self.get_params().items() if getattr(defaults, k) != v]
        return f"PartnerRecommender({', '.join(changed)})"

    def __getstate__(self) -> dict[str, Any]:
        state = self.get_params()
        model = getattr(self, "_model", None)
        if model is not None:
            state["network_"] = self.network_
            state["_model_bytes"] = bytes(model.to_bytes())
        return state

    def __setstate__(self, state: dict[str, Any]) -> None:
        model_bytes = state.pop("_model_bytes", None)
        network = state.pop("network_", None)
        self.__init__(**state)  # type: ignore[misc]
        if model_bytes is not None and network is not None:
            self._bind(network, _native.Recommender.from_bytes(network._native, model_bytes))

    # ---------------------------------------------------------------- fitting
    def fit(
        self, net: TradeNetwork, y: None = None, *, progress: Progress = False
    ) -> PartnerRecommender:
        """Learns the scoring from ``net``'s history (both sides when reciprocal).

        Parameters
        ----------
        net : TradeNetwork
            The network to learn from and to recommend on.
        y : None
            Ignored (scikit-learn convention).
        progress : bool or callable
            ``True`` shows a tqdm bar; a callable receives ``(stage, done, total)``.

        Returns
        -------
        PartnerRecommender
            ``self``, fitted.

        Examples
        --------
        >>> import tsunagime as tg
        >>> rec = tg.PartnerRecommender("supplier").fit(tg.datasets.synthetic_japan(2_000, seed=0))
        >>> rec.region_, rec.industry_
        ('prefecture', 'industry')
        """
        with reporter(progress) as callback:
            model = _native.fit_recommender(net._native, self._native_params(), callback)
        self._bind(net, model)
        return self

    def _bind(self, net: TradeNetwork, model: Any) -> None:
        self._model = model
        self.network_ = net
        self.region_, self.industry_ = model.columns()
        sides = model.sides()
        names = ["firm", "partner"][: len(sides)]
        coef = {
            name: [*side["coef"], side["intercept"]]
            for name, side in zip(names, sides, strict=False)
        }
        self.coef_ = pd.DataFrame(coef, index=pd.Index([*sides[0]["features"], "intercept"]))
        self.coef_.index.name = "feature"
        keys = [
            "purpose",
            "labels",
            "label_year",
            "queries",
            "positives",
            "positives_found",
            "rows",
            "validation_recall_fitted",
            "validation_recall_prior",
        ]
        self.training_ = pd.DataFrame(
            [{k: side[k] for k in keys} for side in sides], index=pd.Index(names, name="side")
        )

    def _fitted(self) -> Any:
        model = getattr(self, "_model", None)
        if model is None:
            raise NotFittedError("this PartnerRecommender is not fitted yet: call fit(net) first")
        return model

    # -------------------------------------------------------------- recommending
    def recommend(
        self,
        firms: Iterable[Any] | None = None,
        k: int = 10,
        *,
        among: Iterable[Any] | None = None,
        forbidden: Iterable[tuple[Any, Any]] | pd.DataFrame | None = None,
        evidence: bool = True,
        progress: Progress = False,
    ) -> pd.DataFrame:
        """The ``k`` best partners of each firm, best first, with their evidence.

        Parameters
        ----------
        firms : iterable of firm ids, optional
            The firms to recommend to; all firms by default. An unknown id is a ``KeyError``
            naming it.
        k : int
            Partners per firm (fewer when the filters leave fewer candidates).
        among : iterable of firm ids, optional
            Score exactly these firms as partners (e.g. a summit's participants) instead of the
            generated candidates.
        forbidden : pairs of firm ids or DataFrame with two columns, optional
            Pairs (either order) never recommended.
        evidence : bool
            Add the ``shared_partners`` lists and industry labels (building a list per row
            takes a few seconds per million rows; turn off for bulk runs).
        progress : bool or callable
            ``True`` shows a tqdm bar; a callable receives ``(stage, done, total)``.

        Returns
        -------
        pandas.DataFrame
            One row per (firm, partner): ``firm_id``, ``partner_id``, ``rank`` (1 = best),
            ``score`` (the fused score when reciprocal), ``firm_score`` and ``partner_score``
            (each side's one-way probability; the latter only when reciprocal),
            ``shared_partners`` (up to 5 firm ids tying the two: for 3-hop candidates the
            partner's trading partners that share a partner with the firm, else common
            partners or collaborators), ``firm_industry``, ``partner_industry``,
            ``industry_propensity`` (share of the customer industry's purchases from the
            supplier industry; for research, collaborations over chance),
            ``region_relation`` (``in_region``/``out_region``) and ``distance_km``.

        Examples
        --------
        >>> import tsunagime as tg
        >>> net = tg.datasets.synthetic_japan(3_000, seed=1)
        >>> rec = tg.PartnerRecommender("supplier").fit(net)
        >>> top = rec.recommend([net.firm_ids[0]], k=2)
        >>> top["rank"].tolist()
        [1, 2]
        >>> rec.recommend(["no such firm"])
        Traceback (most recent call last):
        ...
        tsunagime.errors.UnknownFirmError: firm ids: unknown firm id 'no such firm'
        """
        model = self._fitted()
        net: TradeNetwork = self.network_
        k = int(k)
        query = None if firms is None else net.index_of(_as_list(firms))
        pool = None if among is None else net.index_of(_as_list(among))
        fa, fb = _pair_indices(net, forbidden)
        with reporter(progress) as callback:
            cols = model.recommend(query, k, pool, fa, fb, callback)
        ids = net.firm_ids.to_numpy()
        data: dict[str, Any] = {
            "firm_id": ids[cols["firm"]],
            "partner_id": ids[cols["partner"]],
            "rank": cols["rank"].astype(np.int64),
            "score": cols["score"],
            "firm_score": cols["firm_score"],
        }
        if self.reciprocal:
            data["partner_score"] = cols["partner_score"]
        if evidence:
            data["shared_partners"] = _id_lists(ids[cols["shared"]], cols["shared_offsets"])
            if self.industry_ is not None:
                data["firm_industry"] = _take_labels(net, self.industry_, cols["firm"])
                data["partner_industry"] = _take_labels(net, self.industry_, cols["partner"])
        data["industry_propensity"] = cols["propensity"]
        data["region_relation"] = pd.Categorical.from_codes(
            cols["same_region"], categories=pd.Index(["out_region", "in_region"])
        )
        data["distance_km"] = cols["distance_km"]
        frame: pd.DataFrame = pd.DataFrame(data, copy=False)
        return frame


def _take_labels(net: TradeNetwork, partition: str, positions: np.ndarray) -> pd.Categorical:
    """The labels of a partition at the given positions, as a Categorical (codes taken, no
    strings made: cheap for millions of rows)."""
    for name, labels, codes in net._native.partitions():
        if name == partition:
            return pd.Categorical.from_codes(
                np.asarray(codes)[positions], categories=pd.Index(labels)
            )
    raise KeyError(partition)


def _id_lists(values: np.ndarray, offsets: np.ndarray) -> pd.arrays.ArrowExtensionArray:
    """Lists of ids as one Arrow list column: a few bytes per id where Python lists would
    take about a hundred (ten million rows stay well under a gigabyte); each cell reads
    back as a Python list."""
    kind = pa.int64() if values.dtype.kind in "iu" else pa.string()
    lists = pa.LargeListArray.from_arrays(pa.array(offsets), pa.array(values, type=kind))
    return pd.arrays.ArrowExtensionArray(lists)


def _as_list(values: Iterable[Any]) -> list[Any]:
    if isinstance(values, (str, bytes)):
        return [values]
    return list(values)


def _pair_indices(
    net: TradeNetwork, forbidden: Iterable[tuple[Any, Any]] | pd.DataFrame | None
) -> tuple[np.ndarray, np.ndarray]:
    if forbidden is None:
        empty = np.zeros(0, dtype=np.uint32)
        return empty, empty
    if isinstance(forbidden, pd.DataFrame):
        if forbidden.shape[1] < 2:
            raise ValueError("forbidden: a DataFrame of pairs needs two columns of firm ids")
        a, b = forbidden.iloc[:, 0].tolist(), forbidden.iloc[:, 1].tolist()
    else:
        pairs = list(forbidden)
        a, b = [p[0] for p in pairs], [p[1] for p in pairs]
    return net.index_of(a), net.index_of(b)


def evaluate(
    net: TradeNetwork,
    split_year: int,
    *,
    k: int | Sequence[int] = (10, 20),
    purposes: str | Sequence[str] = ("supplier", "customer"),
    baselines: bool = True,
    horizon: int = 2,
    max_queries: int = 5_000,
    progress: Progress = False,
    **params: Any,
) -> pd.DataFrame:
    """Temporal hold-out: fit on ``net`` up to ``split_year``, rank each firm's candidates,
    check them against the links new in the next ``horizon`` years.

    Query firms are those with at least one new link in the test years (from the side that
    asks: a customer gaining suppliers, for ``supplier``), a seeded sample of at most
    ``max_queries``; metrics are averaged over them. ``recall@k`` counts every new link, also
    those outside the candidates; ``mrr`` uses the first new link in the whole candidate
    ranking; ``aupr`` is the average precision over the candidate ranking, averaged over the
    queries with a new link among their candidates; ``coverage`` is the share of all firms
    recommended at least once in the top max(k). The baselines rank the very same candidates
    (ties broken by one seeded random order for every method), computed on the undirected
    graph of all ties as networkx does.

    Parameters
    ----------
    net : TradeNetwork
        A network whose trades (and collaborations, for research) have years.
    split_year : int
        The last training year.
    k : int or sequence of int
        Cut-offs of precision, recall and NDCG.
    purposes : str or sequence of str
        Purposes to evaluate.
    baselines : bool
        Also score the baselines.
    horizon : int
        Test years after ``split_year``.
    max_queries : int
        Most query firms per purpose.
    progress : bool or callable
        ``True`` shows a tqdm bar; a callable receives ``(stage, done, total)``.
    **params
        :class:`PartnerRecommender` parameters (``prefer``, ``reciprocal``, …).

    Returns
    -------
    pandas.DataFrame
        Indexed by (``purpose``, ``method``), one column per metric; ``attrs`` holds, per
        purpose, the number of query firms, of new links and the candidate recall (the most
        any method can reach).

    Examples
    --------
    >>> import tsunagime as tg
    >>> net = tg.datasets.synthetic_japan(5_000, seed=0)
    >>> table = tg.recommend.evaluate(net, split_year=2017, purposes="supplier")
    >>> recall = table["recall@20"].loc["supplier"]
    >>> bool(recall["recommender"] > 1.3 * recall.drop("recommender").max())
    True
    """
    ks = [int(k)] if isinstance(k, (int, np.integer)) else [int(x) for x in k]
    wanted = [purposes] if isinstance(purposes, str) else list(purposes)
    frames = []
    info: dict[str, dict[str, Any]] = {}
    for purpose in wanted:
        rec = PartnerRecommender(purpose, **params)
        with reporter(progress) as callback:
            out = _native.evaluate(
                net._native,
                rec._native_params(),
                int(split_year),
                int(horizon),
                ks,
                bool(baselines),
                int(max_queries),
                callback,
            )
        index = pd.MultiIndex.from_product([[purpose], out["methods"]], names=["purpose", "method"])
        frames.append(pd.DataFrame(out["values"], index=index, columns=out["metrics"]))
        info[purpose] = {key: out[key] for key in ("queries", "test_links", "candidate_recall")}
    table: pd.DataFrame = pd.concat(frames)
    table.attrs["evaluation"] = info
    return table


def link_prediction_scores(
    net: TradeNetwork, pairs: Iterable[tuple[Any, Any]] | pd.DataFrame
) -> pd.DataFrame:
    """Preferential attachment, common neighbours, Adamic–Adar and resource allocation of
    firm pairs on the undirected graph of all ties (trades either way, collaborations),
    exactly as networkx's functions of the same names compute them.

    >>> import tsunagime as tg
    >>> net = tg.TradeNetwork.from_frames(
    ...     None, {"supplier": ["a", "c", "c"], "customer": ["b", "b", "d"]})
    >>> scores = tg.recommend.link_prediction_scores(net, [("a", "c")])
    >>> print(scores.round(3).to_string(index=False))
    a b  preferential_attachment  common_neighbours  adamic_adar  resource_allocation
    a c                      2.0                1.0        1.443                  0.5
    """
    a, b = _pair_indices(net, pairs)
    pa, cn, aa, ra = _native.link_scores(net._native, a, b)
    ids = net.firm_ids.to_numpy()
    scores: pd.DataFrame = pd.DataFrame(
        {
            "a": ids[a],
            "b": ids[b],
            "preferential_attachment": pa,
            "common_neighbours": cn,
            "adamic_adar": aa,
            "resource_allocation": ra,
        }
    )
    return scores
