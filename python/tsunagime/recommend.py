"""Partner recommendation for deals and joint research, learned from the network's history.

:class:`PartnerRecommender` recommends new suppliers (``purpose="supplier"``), new customers
(``"customer"``) or joint-research partners (``"research"``). Candidates are the best
firms of each bipartite collaborative filter ("firms that supply the customers like you":
user-based, item-based and cosine over the 3-step paths, read exactly within a work budget
per firm), of EASE where the network is small enough, of tier-2 suppliers and common
partners, of collaborations, and the most active firms of the markets (region × industry)
the firm's industry trades with, so that a firm without trades still gets an answer. A
scoring of their features (the filters' scores and ranks, industries, region, distance,
size) is learned from the network itself: the links first seen in its last year are the
positives (a seeded fifth of each firm's links when there are no years). Three are fitted —
a ranking within each firm's candidates (conditional logit), the same with gradient-boosted
trees on top, and a pointwise logistic — and a held-out fifth of the training firms (more
fifths in turn, cross-validated, until 500 firms judge) chooses between them, a prior, each
filter alone and popularity, so the result is never below the best simple method there.
With ``reciprocal=True`` the partner's interest is scored too and fused when that ranks the
held-out firms clearly better (by more than two standard errors). Every row carries its
evidence.

:func:`evaluate` measures it by a hold-out beside the baselines — random, popularity, the
networkx heuristics (preferential attachment, common neighbours, Adamic–Adar, resource
allocation), the bipartite collaborative filters and EASE —, each ranking all firms from its
own natural candidates; :func:`link_prediction_scores` gives those scores for any pairs,
exactly as networkx computes its heuristics.
"""

from __future__ import annotations

import inspect
import warnings
from collections.abc import Iterable, Sequence
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa

from . import _tsunagime as _native
from ._network import TradeNetwork
from ._progress import Progress, reporter
from .errors import _YEARS, NotFittedError, ParameterError, _whole

__all__ = ["PartnerRecommender", "evaluate", "link_prediction_scores", "temporal_folds"]


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
        the fusion of both sides where that ranks held-out firms clearly better (by more than
        two standard errors; ``training_["fused"]`` says whether it does); else by the firm's
        side only.
    fusion : {"harmonic", "geometric", "min", "product"}
        How the two one-way scores (probabilities) become one.
    seed : int
        Seed of every sampling choice; the same seed gives the same recommendations.
    max_train_queries : int
        Most firms whose new links are learned from.
    l2 : float
        L2 penalty of the logistic scoring (on standardised features).
    budget : int or None
        Most neighbour-list entries read per firm when gathering candidates: the
        collaborative filters are exact below it; beyond it, the most similar peers' lists
        are read whole with half of it and the others sampled at evenly spaced positions,
        each visit weighing for the entries skipped (an unbiased estimate). ``None`` (the
        default) shares 2·10⁹ entries among the network's firms, between 2,000 and
        2,000,000 each: exact on networks of up to about 20,000 firms (each peer's list is
        read once, so a query reads at most about twice the trades), 2,000 a firm at 1M
        firms, so that top-k for every firm stays within minutes.
    ease_l2 : float
        EASE's penalty λ (Steck 2019); EASE is a feature and a baseline when the smaller
        side of the supplier/customer matrix has at most about 2,500 firms.

    Attributes
    ----------
    network_ : TradeNetwork
        The network fitted on; :meth:`recommend` reads it.
    coef_ : pandas.DataFrame
        The learned weights per feature (rows) and side (columns ``firm``, and ``partner``
        when reciprocal), on standardised features.
    intercept_ : pandas.Series
        The intercept of each side's scoring (a conditional logit has none that matters:
        within a firm's candidates it shifts every score alike).
    training_ : pandas.DataFrame
        How each side learned: ``labels`` (``year``, ``hold_out`` or ``prior``),
        ``label_year``, query firms, their new links, those among the candidates, rows,
        ``chosen`` (``boosted``, ``ranking``, ``learned``, ``prior``, or the one simple
        method ranked by: a path statistic or ``popularity``), ``validation`` (recall@20 +
        MRR of each scoring compared on held-out training firms, a fifth or, cross-validated,
        as many fifths as 500 firms need; the best is kept; the fits are not tried when
        fewer than 100 new links are among the candidates) and ``importance`` (what carries
        the weight in the scoring kept: each feature's share of the linear weights and, when
        boosted, of the trees' gain, as ``trees:<feature>``). ``fused`` says whether the
        ranking fuses both sides.
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
        max_train_queries: int = 4_000,
        l2: float = 1.0,
        budget: int | None = None,
        ease_l2: float = 50.0,
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
        self.budget = budget
        self.ease_l2 = ease_l2

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
        params["seed"] = _whole(params["seed"], "seed")
        params["max_train_queries"] = _whole(params["max_train_queries"], "max_train_queries")
        params["l2"] = float(params["l2"])
        if params["budget"] is not None:
            params["budget"] = _whole(params["budget"], "budget")
        params["ease_l2"] = float(params["ease_l2"])
        if params["max_distance_km"] is not None:
            params["max_distance_km"] = float(params["max_distance_km"])
        return params

    def __repr__(self) -> str:
        defaults = PartnerRecommender()
        changed = [f"{k}={v!r}" for k, v in self.get_params().items() if getattr(defaults, k) != v]
        return f"PartnerRecommender({', '.join(changed)})"

    def __getstate__(self) -> dict[str, Any]:
        # The version stamp lets a pickle from another release warn, as scikit-learn's do.
        state = {**self.get_params(), "_tsunagime_version": _native.__version__}
        model = getattr(self, "_model", None)
        if model is not None:
            state["network_"] = self.network_
            state["_model_bytes"] = bytes(model.to_bytes())
        return state

    def __setstate__(self, state: dict[str, Any]) -> None:
        version = state.pop("_tsunagime_version", None)
        if version != _native.__version__:
            warnings.warn(
                f"this PartnerRecommender was pickled by tsunagime {version or 'before 0.1'}"
                f" and is loaded by {_native.__version__}: refit it if its recommendations"
                " look wrong",
                UserWarning,
                stacklevel=2,
            )
        model_bytes = state.pop("_model_bytes", None)
        network = state.pop("network_", None)
        self.__init__(**state)  # type: ignore[misc]
        if model_bytes is not None and network is not None:
            self._bind(network, _native.Recommender.from_bytes(network._native, model_bytes))

    # ---------------------------------------------------------------- fitting
    def fit(
        self,
        net: TradeNetwork | Sequence[TradeNetwork],
        y: None = None,
        *,
        progress: Progress = False,
    ) -> PartnerRecommender:
        """Learns the scoring from ``net``'s history (both sides when reciprocal).

        Parameters
        ----------
        net : TradeNetwork
            The network to learn from and to recommend on (or a scikit-learn fold holding
            one, see :func:`temporal_folds`).
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
        net = _one_network(net)
        with reporter(progress) as callback:
            model = _native.fit_recommender(net._native, self._native_params(), callback)
        self._bind(net, model)
        return self

    def score(
        self, net: TradeNetwork | Sequence[TradeNetwork], y: None = None, *, k: int = 20
    ) -> float:
        """How well the fitted recommender finds the links ``net`` has and its network lacks.

        scikit-learn's ``score`` (higher is better), so that ``GridSearchCV`` chooses the
        parameters: fit on the history, score on the later network (:func:`temporal_folds`
        makes the fold).

        Parameters
        ----------
        net : TradeNetwork
            A later state of the fitted network (or a scikit-learn fold holding one).
        y : None
            Ignored (scikit-learn convention).
        k : int
            Partners ranked per firm.

        Returns
        -------
        float
            The mean over the query firms of ``(recall@k + reciprocal rank) / 2``.

        Notes
        -----
        The new links are those of ``net`` between firms of the fitted network that it
        lacks, on the side the purpose asks: a customer's new suppliers for ``"supplier"``,
        a supplier's new customers for ``"customer"``, new collaborations (both ways) for
        ``"research"``. Each firm with new links ranks its top ``k``; recall@k is the share
        of its new partners ranked, the reciprocal rank is ``1/r`` for the first one ranked
        at ``r`` (0 when none is). :func:`evaluate` gives these and more metrics beside the
        baselines.

        See Also
        --------
        temporal_folds : the history and the later network as a scikit-learn fold.
        evaluate : the hold-out evaluation beside the baselines.

        Examples
        --------
        >>> import tsunagime as tg
        >>> net = tg.datasets.synthetic_japan(3_000, seed=0)
        >>> rec = tg.PartnerRecommender("supplier").fit(net.until(2018))
        >>> 0.0 < rec.score(net) < 1.0
        True
        """
        self._fitted()
        history: TradeNetwork = self.network_
        later = _one_network(net)
        if self.purpose == "research":
            pairs = later.collaborations[["a", "b"]].to_numpy()
            old = history.collaborations[["a", "b"]].to_numpy()
            pairs, old = (np.concatenate([x, x[:, ::-1]]) for x in (pairs, old))
        else:
            asking = (
                ["customer", "supplier"] if self.purpose == "supplier" else ["supplier", "customer"]
            )
            pairs = later.trades[asking].to_numpy()
            old = history.trades[asking].to_numpy()
        new = pd.DataFrame(pairs, columns=["firm_id", "partner_id"])
        known = new["firm_id"].isin(history.firm_ids) & new["partner_id"].isin(history.firm_ids)
        seen = pd.MultiIndex.from_arrays([old[:, 0], old[:, 1]])
        new = new[known & ~pd.MultiIndex.from_frame(new).isin(seen)].drop_duplicates()
        if new.empty:
            raise ParameterError(
                f"net: it has no {self.purpose} links between the fitted network's firms that"
                " the fitted network lacks (score on a later state of the network)",
                parameter="net",
            )
        firms = new["firm_id"].unique()
        ranked = self.recommend(firms, k=k, evidence=False)[["firm_id", "partner_id", "rank"]]
        hits = ranked.merge(new, on=["firm_id", "partner_id"])
        per_firm = pd.DataFrame(
            {
                "wanted": new.groupby("firm_id", sort=False).size(),
                "found": hits.groupby("firm_id", sort=False).size(),
                "first": hits.groupby("firm_id", sort=False)["rank"].min(),
            }
        ).reindex(firms)
        recall = per_firm["found"].fillna(0) / per_firm["wanted"]
        reciprocal = (1.0 / per_firm["first"]).fillna(0.0)
        return float(((recall + reciprocal) / 2).mean())

    def __sklearn_tags__(self) -> Any:
        """scikit-learn's tags, read by its model selection: no target, and the input is a
        network (or a fold holding one), which scikit-learn passes on without validating."""
        from sklearn.utils import InputTags, Tags, TargetTags

        return Tags(
            estimator_type=None,
            target_tags=TargetTags(required=False),
            no_validation=True,
            input_tags=InputTags(two_d_array=False),
        )

    def _bind(self, net: TradeNetwork, model: Any) -> None:
        self._model = model
        self.network_ = net
        self.region_, self.industry_ = model.columns()
        sides = model.sides()
        names = ["firm", "partner"][: len(sides)]
        coef = {name: side["coef"] for name, side in zip(names, sides, strict=False)}
        self.coef_ = pd.DataFrame(coef, index=pd.Index(sides[0]["features"], name="feature"))
        self.intercept_ = pd.Series(
            [side["intercept"] for side in sides],
            index=pd.Index(names, name="side"),
            name="intercept",
        )
        keys = [
            "purpose",
            "labels",
            "label_year",
            "queries",
            "positives",
            "positives_found",
            "rows",
            "chosen",
            "validation",
            "importance",
        ]
        self.training_ = pd.DataFrame(
            [{k: side[k] for k in keys} for side in sides], index=pd.Index(names, name="side")
        )
        for key in ("validation", "importance"):
            self.training_[key] = [dict(v) for v in self.training_[key]]
        self.training_["fused"] = bool(model.fused())

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
            ``score`` (the fused score when ``training_["fused"]``, else ``firm_score``),
            ``firm_score`` and ``partner_score``
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
        k = _whole(k, "k", 1)
        query = None if firms is None else net.index_of(_as_list(firms))
        pool = None if among is None else net.index_of(_as_list(among))
        fa, fb = _pair_indices(net, forbidden)
        with reporter(progress) as callback:
            ipc = model.recommend(query, k, pool, fa, fb, callback)
        batch = pa.ipc.open_stream(pa.py_buffer(ipc)).read_next_batch()
        cols = dict(zip(batch.schema.names, batch.columns, strict=True))
        firm, partner = cols["firm"].to_numpy(), cols["partner"].to_numpy()
        ids = net.firm_ids.to_numpy()
        data: dict[str, Any] = {
            "firm_id": ids[firm],
            "partner_id": ids[partner],
            "rank": cols["rank"].to_numpy().astype(np.int64),
            "score": cols["score"].to_numpy(),
            "firm_score": cols["firm_score"].to_numpy(),
        }
        if self.reciprocal:
            data["partner_score"] = cols["partner_score"].to_numpy()
        if evidence:
            shared = cols["shared"]
            data["shared_partners"] = _id_lists(
                ids[shared.values.to_numpy()], shared.offsets.to_numpy()
            )
            if self.industry_ is not None:
                data["firm_industry"] = _take_labels(net, self.industry_, firm)
                data["partner_industry"] = _take_labels(net, self.industry_, partner)
        data["industry_propensity"] = cols["propensity"].to_numpy()
        data["region_relation"] = pd.Categorical.from_codes(
            cols["same_region"].cast(pa.int8()).fill_null(-1).to_numpy(),
            categories=pd.Index(["out_region", "in_region"]),
        )
        data["distance_km"] = cols["distance_km"].to_numpy()
        frame: pd.DataFrame = pd.DataFrame(data, copy=False)
        return frame


def _one_network(net: TradeNetwork | Sequence[TradeNetwork]) -> TradeNetwork:
    """``net``, or the one network of a scikit-learn fold (a sequence holding one)."""
    if isinstance(net, TradeNetwork):
        return net
    try:
        (only,) = list(net)
    except (TypeError, ValueError):
        only = None
    if not isinstance(only, TradeNetwork):
        raise TypeError(
            "expected a TradeNetwork, or a scikit-learn fold holding one (see temporal_folds),"
            f" not {type(net).__name__}"
        )
    return only


def temporal_folds(
    net: TradeNetwork, split_year: int | None = None, *, horizon: int = 2
) -> tuple[np.ndarray, list[tuple[np.ndarray, np.ndarray]]]:
    """The history and a later state of ``net`` as one scikit-learn fold, for a grid search.

    Parameters
    ----------
    net : TradeNetwork
        A network whose links have years.
    split_year : int, optional
        The last year of the history; by default the last year minus ``horizon``, as
        :func:`evaluate` splits.
    horizon : int
        Years after ``split_year`` whose new links are scored.

    Returns
    -------
    folds : numpy.ndarray
        Two networks (an object array): ``net`` up to ``split_year``, then up to
        ``split_year + horizon``.
    cv : list
        One split, fit on the first and score on the second: ``GridSearchCV``'s ``cv``.

    See Also
    --------
    PartnerRecommender.score : what the search maximises.

    Examples
    --------
    >>> import tsunagime as tg
    >>> from sklearn.model_selection import GridSearchCV
    >>> net = tg.datasets.synthetic_japan(3_000, seed=0)
    >>> folds, cv = tg.recommend.temporal_folds(net)
    >>> [f.years for f in folds]
    [(2016, 2017), (2016, 2019)]
    >>> grid = {"l2": [0.1, 10.0]}
    >>> search = GridSearchCV(tg.PartnerRecommender("supplier"), grid, cv=cv, refit=False)
    >>> search.fit(folds).best_params_["l2"] in grid["l2"]
    True

    ``refit=False``: the chosen parameters are then fitted on the network to recommend on.
    """
    if net.years is None:
        raise ParameterError(
            "net: its trades have no years to split at (evaluate() hides links instead)",
            parameter="net",
        )
    first, last = net.years
    horizon = _whole(horizon, "horizon", 1, _YEARS[1])
    year = (
        max(last - horizon, first)
        if split_year is None
        else _whole(split_year, "split_year", *_YEARS)
    )
    folds = np.empty(2, dtype=object)
    folds[0], folds[1] = net.until(year), net.until(year + horizon)
    return folds, [(np.array([0]), np.array([1]))]


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
            raise ParameterError(
                "invalid parameter 'forbidden': a DataFrame of pairs needs two columns of firm ids",
                parameter="forbidden",
            )
        a, b = forbidden.iloc[:, 0].tolist(), forbidden.iloc[:, 1].tolist()
    else:
        pairs = [tuple(p) for p in forbidden]
        odd = next((p for p in pairs if len(p) != 2), None)
        if odd is not None:
            raise ParameterError(
                f"invalid parameter 'forbidden': {odd!r} is not a pair of firm ids",
                parameter="forbidden",
            )
        a, b = [p[0] for p in pairs], [p[1] for p in pairs]
    return net.index_of(a), net.index_of(b)


def evaluate(
    net: TradeNetwork,
    split_year: int | None = None,
    *,
    k: int | Sequence[int] = (10, 20),
    purposes: str | Sequence[str] = ("supplier", "customer"),
    baselines: bool = True,
    horizon: int = 2,
    holdout: float = 0.2,
    min_partners: int = 5,
    max_queries: int = 5_000,
    progress: Progress = False,
    **params: Any,
) -> pd.DataFrame:
    """Hold-out evaluation of the recommender beside the baselines.

    With ``split_year`` the recommender is fitted on the network up to that year and tested
    on the links first seen in the next ``horizon`` years. Without it, a network whose links
    have years is split at its last ``horizon`` years; a network without years hides a seeded
    ``holdout`` share of the links of every firm with at least ``min_partners`` partners on
    the side that asks (suppliers of a customer, for ``supplier``) and tests on them.

    Every method ranks, for each query firm, the firms it has no link with, from its own
    natural candidates, exactly: ``random`` and ``popularity`` (most customers first, for
    new suppliers) all firms; the networkx heuristics (``preferential_attachment``,
    ``common_neighbours``, ``adamic_adar``, ``resource_allocation``, on the undirected graph
    of all ties) the firms they reach; the bipartite collaborative filters (``user_cf``,
    ``item_cf``, ``cosine``; see :func:`link_prediction_scores`) the firms two customers
    away; ``ease`` every firm, when the network is small enough. Rankings are cut at 200.

    Parameters
    ----------
    net : TradeNetwork
        The network.
    split_year : int, optional
        The last training year (temporal hold-out).
    k : int or sequence of int
        Cut-offs of precision, recall and NDCG.
    purposes : str or sequence of str
        Purposes to evaluate.
    baselines : bool
        Also rank by the baselines.
    horizon : int
        Test years after ``split_year``.
    holdout : float
        Without years: the share of each qualifying firm's links hidden.
    min_partners : int
        Without years: the fewest partners a query firm has.
    max_queries : int
        Most query firms per purpose (a seeded sample).
    progress : bool or callable
        ``True`` shows a tqdm bar; a callable receives ``(stage, done, total)``.
    **params
        :class:`PartnerRecommender` parameters (``prefer``, ``reciprocal``, ``seed`` — also
        the hold-out's seed —, …).

    Returns
    -------
    pandas.DataFrame
        Indexed by (``purpose``, ``method``), one column per metric: ``precision@k``,
        ``recall@k``, ``ndcg@k``, ``mrr`` (reciprocal rank of the first test link in the top
        200, else 0), ``aupr`` (average precision over the top 200, among the queries with a
        hit), ``coverage`` (share of all firms in someone's top max(k)) and
        ``candidate_recall`` (share of a query firm's test links among the method's
        natural candidates, averaged like recall). ``attrs["evaluation"]`` holds, per
        purpose, the split, the number of query firms and test links, and (``training``,
        one dict per side) how the recommender chose its scoring and what carries the
        weight in it.

    Notes
    -----
    Metrics are averaged over the query firms. recall@k = |top k ∩ test| / |test|;
    NDCG@k = Σ_{hits} 1/log₂(rank + 1) / Σ_{i ≤ min(k, |test|)} 1/log₂(i + 1).

    References
    ----------
    Liben-Nowell & Kleinberg (2007), "The link-prediction problem for social networks".
    Zhou, Lü & Zhang (2009), "Predicting missing links via local information" (resource
    allocation). Steck (2019), "Embarrassingly shallow autoencoders for sparse data" (EASE).

    See Also
    --------
    link_prediction_scores : the baselines' scores of given pairs.

    Examples
    --------
    >>> import tsunagime as tg
    >>> net = tg.datasets.synthetic_japan(5_000, seed=0)
    >>> table = tg.recommend.evaluate(net, split_year=2017, purposes="supplier")
    >>> recall = table["recall@20"].loc["supplier"]
    >>> bool(recall["recommender"] >= recall.drop("recommender").max())
    True
    """
    ks = [_whole(x, "k", 1) for x in ([k] if isinstance(k, (int, np.integer)) else k)]
    wanted = [purposes] if isinstance(purposes, str) else list(purposes)
    frames = []
    info: dict[str, dict[str, Any]] = {}
    for purpose in wanted:
        rec = PartnerRecommender(purpose, **params)
        native = rec._native_params()
        with reporter(progress) as callback:
            out = _native.evaluate(
                net._native,
                native,
                None if split_year is None else _whole(split_year, "split_year", *_YEARS),
                _whole(horizon, "horizon", *_YEARS),
                float(holdout),
                _whole(min_partners, "min_partners"),
                native["seed"],
                ks,
                bool(baselines),
                _whole(max_queries, "max_queries"),
                callback,
            )
        index = pd.MultiIndex.from_product([[purpose], out["methods"]], names=["purpose", "method"])
        frames.append(pd.DataFrame(out["values"], index=index, columns=out["metrics"]))
        info[purpose] = {
            key: out[key] for key in ("split", "queries", "test_links", "candidate_recall")
        }
        info[purpose]["training"] = [
            {"purpose": p, "chosen": c, "validation": dict(v), "importance": dict(i)}
            for p, c, v, i in out["training"]
        ]
    table: pd.DataFrame = pd.concat(frames)
    table.attrs["evaluation"] = info
    return table


def link_prediction_scores(
    net: TradeNetwork,
    pairs: Iterable[tuple[Any, Any]] | pd.DataFrame,
    purpose: str | None = None,
) -> pd.DataFrame:
    """Link-prediction scores of firm pairs, the baselines of :func:`evaluate`.

    Preferential attachment, common neighbours, Adamic–Adar and resource allocation on the
    undirected graph of all ties (trades either way, collaborations), exactly as networkx's
    ``preferential_attachment``, ``common_neighbors``, ``adamic_adar_index`` and
    ``resource_allocation_index`` compute them. With ``purpose="supplier"`` (``b`` as a new
    supplier of ``a``) or ``"customer"`` (``b`` as a new customer), also the bipartite
    collaborative filters, exactly (no work budget), EASE (NaN when the network is too
    large for its dense inverse) and ``b``'s popularity.

    Notes
    -----
    For ``supplier`` (``customer`` is the mirror), with ``q = a`` and ``v = b``:
    ``user_cf = Σ_c sim(q, c)/√|suppliers(c)|`` over customers ``c`` of ``v``, with
    ``sim(q, c) = Σ_{s ∈ suppliers(q) ∩ suppliers(c)} 1/|customers(s)|``;
    ``item_cf = Σ`` over paths ``q ← s → c ← v`` of ``1/(√|customers(s)| · |suppliers(c)|)``;
    ``cosine = Σ_c |suppliers(q) ∩ suppliers(c)| / √(|suppliers(q)| · |suppliers(c)|)``;
    ``ease`` = ``(x_q B)_v`` with ``B = I − P diag(1/diag P)``, ``P = (XᵀX + λI)⁻¹``.

    References
    ----------
    Zhou, Lü & Zhang (2009); Steck (2019), "Embarrassingly shallow autoencoders".

    See Also
    --------
    evaluate : ranks all firms by each of these.

    >>> import tsunagime as tg
    >>> net = tg.TradeNetwork.from_frames(
    ...     None, {"supplier": ["a", "c", "c"], "customer": ["b", "b", "d"]})
    >>> scores = tg.recommend.link_prediction_scores(net, [("a", "c")])
    >>> print(scores.round(3).to_string(index=False))
    a b  preferential_attachment  common_neighbours  adamic_adar  resource_allocation
    a c                      2.0                1.0        1.443                  0.5
    """
    a, b = _pair_indices(net, pairs)
    columns = _native.link_prediction_scores(net._native, a, b, purpose)
    names = ["preferential_attachment", "common_neighbours", "adamic_adar", "resource_allocation"]
    if purpose is not None:
        names += ["user_cf", "item_cf", "cosine", "ease", "popularity"]
    ids = net.firm_ids.to_numpy()
    scores: pd.DataFrame = pd.DataFrame(
        {"a": ids[a], "b": ids[b], **dict(zip(names, columns, strict=True))}
    )
    return scores
