"""Per-firm work on a Dask cluster: the same rows as the single-process calls, in the same order.

Top-k partners for every firm of a national network, evaluation sweeps over parameters and
purposes, the simulated stop of each critical firm: each is a set of independent tasks. This
module cuts them into blocks and runs them on a ``dask.distributed`` cluster, so the work
that outgrows one machine's cores goes where researchers already run their PyData work.

How the network reaches the workers: the fitted recommender (with its network) or the
network is scattered **once to every worker** (``Client.scatter(..., broadcast=True)``), as
the compact bytes a network pickles to (about 60 bytes per trade). Each task then names that
one copy, so a block of firms travels as a list of ids and comes back as a DataFrame. A
worker that dies is replaced by Dask and its blocks run again on another worker, which
holds the same copy; the tasks are pure, so the result does not change.

Each worker computes with Rust threads (rayon). A cluster started here
(``client=None``) has one single-threaded worker process per core and sets
``RAYON_NUM_THREADS=1`` in each, so that the processes do not compete for the cores; set
the same in the environment of your own cluster's workers.

Requires the ``dask`` extra: ``pip install "tsunagime[dask]"``.

Each function's docstring has a runnable example; ``docs/scaling.md`` has measured figures.
"""

from __future__ import annotations

import contextlib
import itertools
import math
import uuid
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from typing import TYPE_CHECKING, Any

import numpy as np
import numpy.typing as npt
import pandas as pd

from ._network import TradeNetwork
from ._progress import Progress, reporter
from .errors import ParameterError
from .recommend import PartnerRecommender, _as_list
from .recommend import evaluate as _evaluate
from .roles import brokerage as _brokerage
from .roles import linkage as _linkage
from .roles import ripple as _ripple
from .shock import _simulated
from .shock import criticality as _criticality

if TYPE_CHECKING:  # pragma: no cover
    from distributed import Client

__all__ = ["brokerage", "evaluate", "linkage", "local_client", "recommend", "ripple"]


def _dask() -> Any:
    try:
        import distributed
    except ImportError as e:  # pragma: no cover - depends on the environment
        raise ImportError('tsunagime.distributed needs Dask: pip install "tsunagime[dask]"') from e
    return distributed


@contextlib.contextmanager
def local_client(n_workers: int | None = None, **cluster: Any) -> Iterator[Client]:
    """A ``LocalCluster`` of single-threaded worker processes on this machine, and its client.

    Parameters
    ----------
    n_workers : int, optional
        Worker processes (one per core by default).
    **cluster
        Further ``distributed.LocalCluster`` arguments (``memory_limit``,
        ``dashboard_address``, …).

    Yields
    ------
    distributed.Client
        Closed, with its cluster, on leaving the block.

    Examples
    --------
    >>> from tsunagime import distributed
    >>> with distributed.local_client(n_workers=1) as client:
    ...     len(client.scheduler_info()["workers"])
    1
    """
    dask = _dask()
    options: dict[str, Any] = {
        "n_workers": n_workers,
        "threads_per_worker": 1,
        "processes": True,
        "dashboard_address": None,
        "env": {"RAYON_NUM_THREADS": "1"},
    }
    options.update(cluster)
    with dask.LocalCluster(**options) as lc, dask.Client(lc) as client:
        yield client


@contextlib.contextmanager
def _session(client: Client | None) -> Iterator[Client]:
    if client is not None:
        yield client
        return
    with local_client() as own:
        yield own


def _block_size(client: Client, n: int, block_size: int | None) -> int:
    """Items per block: by default about eight blocks per worker, of 256 to 50,000 items."""
    if block_size is None:
        workers = len(client.scheduler_info()["workers"])
        return min(50_000, max(256, math.ceil(n / (8 * max(workers, 1)))))
    if int(block_size) < 1:
        raise ParameterError(f"block_size: must be at least 1, got {block_size}")
    return int(block_size)


def _blocks(client: Client, items: Sequence[Any], block_size: int | None) -> list[Sequence[Any]]:
    """Consecutive blocks of :func:`_block_size` items."""
    size = _block_size(client, len(items), block_size)
    return [items[i : i + size] for i in range(0, len(items), size)]


def _run(
    client: Client,
    name: str,
    work: Callable[..., pd.DataFrame],
    shared: Any,
    parts: Sequence[Any],
    progress: Progress,
    **kwargs: Any,
) -> list[Any]:
    """Runs ``work(shared, part, **kwargs)`` for every part (``shared`` scattered once to
    every worker), returning the futures in the parts' order after reporting progress."""
    dask = _dask()
    [remote] = client.scatter([shared], broadcast=True, hash=False)  # type: ignore[no-untyped-call]
    token = uuid.uuid4().hex[:8]
    futures = [
        client.submit(work, remote, part, key=f"tsunagime-{name}-{token}-{i}", pure=False, **kwargs)
        for i, part in enumerate(parts)
    ]
    with reporter(progress) as callback:
        for done, _ in enumerate(dask.as_completed(futures), start=1):
            if callback is not None:
                callback(name, done, len(futures))
    return futures


def _needs_client(as_dask: bool, client: Client | None) -> None:
    if as_dask and client is None:
        raise ParameterError("as_dask: needs a client (the cluster must outlive the result)")


def _lazy(futures: Sequence[Any], empty: Callable[[], pd.DataFrame]) -> Any:
    """The blocks left on the workers as a ``dask.dataframe``, one partition per block; a
    run without blocks is one partition holding ``empty()``."""
    import dask
    import dask.dataframe as dd

    if not futures:
        # As the blocks are: string columns keep pandas' dtype (dask would convert them).
        with dask.config.set({"dataframe.convert-string": False}):
            return dd.from_pandas(empty(), npartitions=1)  # type: ignore[no-untyped-call]
    return dd.from_delayed(futures, verify_meta=False)


def _recommend_block(
    rec: PartnerRecommender, firms: Sequence[Any], k: int, **kwargs: Any
) -> pd.DataFrame:
    return rec.recommend(firms, k, **kwargs)


def recommend(
    recommender: PartnerRecommender,
    firms: Iterable[Any] | None = None,
    k: int = 10,
    *,
    client: Client | None = None,
    block_size: int | None = None,
    as_dask: bool = False,
    progress: Progress = False,
    **kwargs: Any,
) -> Any:
    """``recommender.recommend(firms, k, **kwargs)`` on a Dask cluster, by blocks of firms.

    Parameters
    ----------
    recommender : PartnerRecommender
        A fitted recommender; it is scattered once to every worker, with its network.
    firms : iterable of firm ids, optional
        The firms to recommend to; all firms by default. Unknown ids are a ``KeyError``
        before anything is sent.
    k : int
        Partners per firm.
    client : distributed.Client, optional
        The cluster to run on; by default a :func:`local_client` started and closed here.
    block_size : int, optional
        Firms per task (by default about eight blocks per worker, 256 to 50,000 firms each).
    as_dask : bool
        Return a ``dask.dataframe.DataFrame`` with one partition per block, left on the
        workers (needs ``client``: the cluster must outlive the result).
    progress : bool or callable
        ``True`` shows a tqdm bar over the blocks; a callable receives
        ``("recommend", blocks done, blocks)``. The Dask dashboard shows the tasks too.
    **kwargs
        Further :meth:`PartnerRecommender.recommend` arguments (``among``, ``forbidden``,
        ``evidence``).

    Returns
    -------
    pandas.DataFrame or dask.dataframe.DataFrame
        The rows of ``recommender.recommend(firms, k, **kwargs)``, in the same order, with a
        fresh ``RangeIndex``.

    See Also
    --------
    PartnerRecommender.recommend : the single-process call.

    Examples
    --------
    >>> import tsunagime as tg
    >>> from tsunagime import distributed
    >>> net = tg.datasets.synthetic_japan(1_000, seed=2)
    >>> rec = tg.PartnerRecommender("customer").fit(net)
    >>> with distributed.local_client(n_workers=1) as client:
    ...     rows = distributed.recommend(rec, k=2, client=client, evidence=False)
    >>> rows.equals(rec.recommend(k=2, evidence=False))
    True
    """
    _needs_client(as_dask, client)
    recommender._fitted()
    rec_net: TradeNetwork = recommender.network_
    ids = list(rec_net.firm_ids) if firms is None else _as_list(firms)
    rec_net.index_of(ids)  # unknown ids fail here, naming the id
    if "progress" in kwargs:
        raise ParameterError("progress: give it to distributed.recommend, not to the blocks")
    with _session(client) as c:
        parts = _blocks(c, ids, block_size)
        futures = _run(
            c, "recommend", _recommend_block, recommender, parts, progress, k=int(k), **kwargs
        )
        if as_dask:
            return _lazy(futures, lambda: recommender.recommend([], int(k), **kwargs))
        frames = c.gather(futures)  # type: ignore[no-untyped-call]
    if not frames:
        return recommender.recommend([], int(k), **kwargs)
    frame: pd.DataFrame = pd.concat(frames, ignore_index=True)
    return frame


def _evaluate_one(net: TradeNetwork, task: tuple[int, str], **kwargs: Any) -> pd.DataFrame:
    setting, purpose = task
    params = dict(kwargs.pop("_grid")[setting])
    return _evaluate(net, purposes=purpose, **kwargs, **params)


def evaluate(
    net: TradeNetwork,
    grid: Sequence[Mapping[str, Any]] | None = None,
    *,
    purposes: str | Sequence[str] = ("supplier", "customer"),
    client: Client | None = None,
    progress: Progress = False,
    **kwargs: Any,
) -> pd.DataFrame:
    """:func:`tsunagime.recommend.evaluate` for every purpose and parameter setting in parallel.

    Parameters
    ----------
    net : TradeNetwork
        The network, scattered once to every worker.
    grid : sequence of dict, optional
        Parameter settings (:class:`PartnerRecommender` or hold-out parameters), each
        evaluated for every purpose; ``None`` evaluates ``kwargs`` alone.
    purposes : str or sequence of str
        Purposes to evaluate.
    client : distributed.Client, optional
        The cluster to run on; by default a :func:`local_client` started and closed here.
    progress : bool or callable
        ``True`` shows a tqdm bar over the tasks; a callable receives
        ``("evaluate", tasks done, tasks)``.
    **kwargs
        Arguments shared by every setting (``k``, ``split_year``, ``max_queries``, …).

    Returns
    -------
    pandas.DataFrame
        Without ``grid``: exactly the table of ``tsunagime.recommend.evaluate(net,
        purposes=purposes, **kwargs)``. With a grid: the same tables, one per setting, under
        a first index level ``setting`` (the position in ``grid``; ``attrs["grid"]`` lists
        the settings). ``attrs["evaluation"]`` holds each purpose's information, keyed by
        purpose, or by (setting, purpose) with a grid.

    Examples
    --------
    >>> import tsunagime as tg
    >>> from tsunagime import distributed
    >>> net = tg.datasets.synthetic_japan(2_000, seed=0)
    >>> with distributed.local_client(n_workers=1) as client:
    ...     table = distributed.evaluate(
    ...         net, [{"reciprocal": True}, {"reciprocal": False}], purposes="supplier",
    ...         client=client, baselines=False)
    >>> table.index.names
    FrozenList(['setting', 'purpose', 'method'])
    """
    wanted = [purposes] if isinstance(purposes, str) else list(purposes)
    settings = [{}] if grid is None else [dict(g) for g in grid]
    if "progress" in kwargs:
        raise ParameterError("progress: give it to distributed.evaluate, not to the tasks")
    tasks = [(i, p) for i in range(len(settings)) for p in wanted]
    with _session(client) as c:
        futures = _run(c, "evaluate", _evaluate_one, net, tasks, progress, _grid=settings, **kwargs)
        tables: list[pd.DataFrame] = c.gather(futures)  # type: ignore[no-untyped-call]
    info: dict[Any, Any] = {}
    for (i, p), t in zip(tasks, tables, strict=True):
        info[p if grid is None else (i, p)] = t.attrs["evaluation"][p]
        t.attrs = {}
    if grid is None:
        table: pd.DataFrame = pd.concat(tables)
    else:
        table = pd.concat(
            tables, keys=[i for i, _ in tasks], names=["setting", "purpose", "method"]
        )
        table.attrs["grid"] = settings
    table.attrs["evaluation"] = info
    return table


def _brokerage_block(net: TradeNetwork, firms: Sequence[Any], **kwargs: Any) -> pd.DataFrame:
    return _brokerage(net, firms=firms, **kwargs)


def brokerage(
    net: TradeNetwork,
    region: str = "prefecture",
    *,
    weighted: bool = False,
    client: Client | None = None,
    block_size: int | None = None,
    as_dask: bool = False,
    progress: Progress = False,
) -> Any:
    """:func:`tsunagime.roles.brokerage` on a Dask cluster, by blocks of brokers.

    A broker's counts depend on the network around it, not on the other brokers, so each
    block of firms is counted on a worker (``roles.brokerage(net, firms=block)``) and the
    blocks are put together in firm order. Worth it beyond one machine's reach: on the
    1M-firm synthetic economy one process takes about 4 s.

    Parameters
    ----------
    net : TradeNetwork
        The network, scattered once to every worker.
    region : str
        The partition that defines the groups.
    weighted : bool
        The amount-weighted extension.
    client : distributed.Client, optional
        The cluster to run on; by default a :func:`local_client` started and closed here.
    block_size : int, optional
        Brokers per task (by default about eight blocks per worker).
    as_dask : bool
        Return a ``dask.dataframe.DataFrame`` with one partition per block of brokers, in
        firm order, left on the workers (needs ``client``).
    progress : bool or callable
        ``True`` shows a tqdm bar over the blocks; a callable receives
        ``("brokerage", blocks done, blocks)``.

    Returns
    -------
    pandas.DataFrame or dask.dataframe.DataFrame
        Exactly the table of ``tsunagime.roles.brokerage(net, region, weighted=weighted)``.

    See Also
    --------
    tsunagime.roles.brokerage : the single-process call.

    Examples
    --------
    >>> import tsunagime as tg
    >>> from tsunagime import distributed
    >>> net = tg.datasets.synthetic_japan(2_000, seed=0)
    >>> with distributed.local_client(n_workers=1) as client:
    ...     table = distributed.brokerage(net, client=client, block_size=500)
    >>> table.equals(tg.roles.brokerage(net))
    True
    """
    _needs_client(as_dask, client)
    ids = list(net.firm_ids)
    with _session(client) as c:
        parts = _blocks(c, ids, block_size)
        futures = _run(
            c, "brokerage", _brokerage_block, net, parts, progress, region=region,
            weighted=bool(weighted),
        )  # fmt: skip
        if as_dask:
            return _lazy(futures, lambda: _brokerage(net, region, weighted=weighted))
        frames: list[pd.DataFrame] = c.gather(futures)  # type: ignore[no-untyped-call]
    if not frames:
        return _brokerage(net, region, weighted=weighted)
    table: pd.DataFrame = pd.concat(frames)
    return table


def _regional_blocks(
    client: Client, net: TradeNetwork, region: str, block_size: int | None
) -> tuple[list[npt.NDArray[np.int64]], npt.NDArray[np.int64]]:
    """The firms' positions grouped by region (firm order inside each), cut into blocks of
    whole regions of about ``block_size`` firms (by default about eight blocks per worker);
    also the order of all positions the blocks follow."""
    codes = net._categorical(region).cat.codes.to_numpy()
    order = np.argsort(codes, kind="stable").astype(np.int64)
    if len(order) == 0:
        return [], order
    ends = np.flatnonzero(np.diff(codes[order])) + 1
    bounds = [0, *ends.tolist(), len(order)]
    size = _block_size(client, len(order), block_size)
    blocks: list[npt.NDArray[np.int64]] = []
    start = 0
    for a, b in itertools.pairwise(bounds[1:]):
        # Close the block at region boundary a when adding the next region would pass the size.
        if b - start > size and a > start:
            blocks.append(order[start:a])
            start = a
    blocks.append(order[start:])
    return blocks, order


def _roles_block(
    net: TradeNetwork,
    firms: Sequence[Any],
    *,
    _work: Callable[..., pd.DataFrame],
    **kwargs: Any,
) -> pd.DataFrame:
    return _work(net, firms=firms, **kwargs)


def _by_region(
    work: Callable[..., pd.DataFrame],
    net: TradeNetwork,
    region: str,
    client: Client | None,
    block_size: int | None,
    as_dask: bool,
    progress: Progress,
    **kwargs: Any,
) -> Any:
    """Runs ``work`` (``roles.linkage`` or ``roles.ripple``) on blocks of whole regions and
    puts the rows back in firm order (or leaves the blocks on the workers with ``as_dask``)."""
    _needs_client(as_dask, client)
    work(net, region, firms=[], **kwargs)  # bad parameters fail here, before any task
    ids = net.firm_ids
    with _session(client) as c:
        blocks, order = _regional_blocks(c, net, region, block_size)
        parts = [list(ids[b]) for b in blocks]
        futures = _run(
            c, work.__name__, _roles_block, net, parts, progress, _work=work, region=region,
            **kwargs,
        )  # fmt: skip
        if as_dask:
            return _lazy(futures, lambda: work(net, region, **kwargs))
        frames: list[pd.DataFrame] = c.gather(futures)  # type: ignore[no-untyped-call]
    if not frames:  # a network without firms
        return work(net, region, **kwargs)
    table = pd.concat(frames)
    back: pd.DataFrame = table.iloc[np.argsort(order, kind="stable")]
    back.attrs = frames[0].attrs
    return back


def linkage(
    net: TradeNetwork,
    region: str = "prefecture",
    *,
    hub_threshold: float = 0.5,
    connector_threshold: float = 0.5,
    client: Client | None = None,
    block_size: int | None = None,
    as_dask: bool = False,
    progress: Progress = False,
) -> Any:
    """:func:`tsunagime.roles.linkage` on a Dask cluster, by blocks of whole regions.

    A firm's figures depend on its own trades and on its region's totals (the shares), so
    each block of whole regions is computed on a worker
    (``roles.linkage(net, region, firms=block)``) and the rows are put back in firm order.
    On the 1M-firm synthetic economy one process takes under a second: this is for
    networks that already live on a cluster, and for many regional partitions or years.

    Parameters
    ----------
    net : TradeNetwork
        The network, scattered once to every worker.
    region : str
        The partition that defines regions.
    hub_threshold, connector_threshold : float
        As in :func:`tsunagime.roles.linkage`.
    client : distributed.Client, optional
        The cluster to run on; by default a :func:`local_client` started and closed here.
    block_size : int, optional
        Firms per task, rounded to whole regions (by default about eight blocks per worker);
        a region larger than the block is one block.
    as_dask : bool
        Return a ``dask.dataframe.DataFrame`` left on the workers (needs ``client``), with
        one partition per block of whole regions: the blocks follow the regions' order and
        each lists its firms in firm order, so ``.compute().loc[net.firm_ids]`` is the
        single-process table.
    progress : bool or callable
        ``True`` shows a tqdm bar over the blocks; a callable receives
        ``("linkage", blocks done, blocks)``.

    Returns
    -------
    pandas.DataFrame or dask.dataframe.DataFrame
        Exactly the table of ``tsunagime.roles.linkage(net, region, ...)``.

    See Also
    --------
    tsunagime.roles.linkage : the single-process call.

    Examples
    --------
    >>> import tsunagime as tg
    >>> from tsunagime import distributed
    >>> net = tg.datasets.synthetic_japan(2_000, seed=0)
    >>> with distributed.local_client(n_workers=1) as client:
    ...     table = distributed.linkage(net, client=client, block_size=300)
    >>> table.equals(tg.roles.linkage(net))
    True
    """
    return _by_region(
        _linkage, net, region, client, block_size, as_dask, progress,
        hub_threshold=hub_threshold, connector_threshold=connector_threshold,
    )  # fmt: skip


def ripple(
    net: TradeNetwork,
    region: str = "prefecture",
    *,
    output: str | None = "sales",
    tolerance: float = 1e-12,
    max_sweeps: int = 10_000,
    clip: float | None = None,
    client: Client | None = None,
    block_size: int | None = None,
    as_dask: bool = False,
    progress: Progress = False,
) -> Any:
    """:func:`tsunagime.roles.ripple` on a Dask cluster, by blocks of whole regions.

    Each region's multipliers ``m = 1ᵀ (I − A_RR)⁻¹`` are a system of their own, solved with
    their own stopping rule, so each block of whole regions is solved on a worker
    (``roles.ripple(net, region, firms=block)``) and the rows are put back in firm order.

    Parameters
    ----------
    net : TradeNetwork
        The network, scattered once to every worker.
    region : str
        The partition that defines regions.
    output, tolerance, max_sweeps, clip
        As in :func:`tsunagime.roles.ripple`.
    client : distributed.Client, optional
        The cluster to run on; by default a :func:`local_client` started and closed here.
    block_size : int, optional
        Firms per task, rounded to whole regions (by default about eight blocks per worker).
    as_dask : bool
        Return a ``dask.dataframe.DataFrame`` left on the workers (needs ``client``), with
        one partition per block of whole regions: the blocks follow the regions' order and
        each lists its firms in firm order, so ``.compute().loc[net.firm_ids]`` is the
        single-process table.
    progress : bool or callable
        ``True`` shows a tqdm bar over the blocks; a callable receives
        ``("ripple", blocks done, blocks)``.

    Returns
    -------
    pandas.DataFrame or dask.dataframe.DataFrame
        Exactly the table of ``tsunagime.roles.ripple(net, region, ...)``.

    See Also
    --------
    tsunagime.roles.ripple : the single-process call.

    Examples
    --------
    >>> import tsunagime as tg
    >>> from tsunagime import distributed
    >>> net = tg.datasets.synthetic_japan(2_000, seed=0)
    >>> with distributed.local_client(n_workers=1) as client:
    ...     table = distributed.ripple(net, client=client, block_size=300)
    >>> table.equals(tg.roles.ripple(net))
    True
    """
    return _by_region(
        _ripple, net, region, client, block_size, as_dask, progress,
        output=output, tolerance=tolerance, max_sweeps=max_sweeps, clip=clip,
    )  # fmt: skip


def _criticality_block(net: TradeNetwork, firms: Sequence[Any], **kwargs: Any) -> pd.DataFrame:
    return _simulated(net, firms, **kwargs)


def criticality(
    net: TradeNetwork,
    firms: Any = None,
    *,
    exact: int = 20,
    days: int = 30,
    region: str = "prefecture",
    industry: str | None = "industry",
    output: str | None = "sales",
    client: Client | None = None,
    block_size: int | None = 1,
    progress: Progress = False,
    **model: Any,
) -> pd.DataFrame:
    """:func:`tsunagime.shock.criticality` with its simulations on a Dask cluster.

    The approximation for every firm is one pass over the trades (about 6 s on the 1M-firm
    synthetic economy) and runs here; each simulated stop of one of the ``exact`` highest
    firms is a whole simulation of the economy (7–9 s for 30 days at that scale), and
    the stops are independent, so they run on the workers, ``block_size`` firms per task.

    Parameters
    ----------
    net : TradeNetwork
        The network, scattered once to every worker.
    firms, exact, days, region, industry, output, **model
        As in :func:`tsunagime.shock.criticality`.
    client : distributed.Client, optional
        The cluster to run on; by default a :func:`local_client` started and closed here.
    block_size : int or None
        Simulated firms per task (1 by default: each simulation is long; ``None``: about
        eight blocks per worker, at least 256 firms each).
    progress : bool or callable
        ``True`` shows a tqdm bar over the blocks; a callable receives
        ``("criticality", blocks done, blocks)``.

    Returns
    -------
    pandas.DataFrame
        Exactly the table of ``tsunagime.shock.criticality(net, firms, exact=..., ...)``.

    See Also
    --------
    tsunagime.shock.criticality : the single-process call.

    Examples
    --------
    >>> import tsunagime as tg
    >>> from tsunagime import distributed
    >>> net = tg.datasets.synthetic_japan(2_000, seed=0)
    >>> with distributed.local_client(n_workers=1) as client:
    ...     table = distributed.criticality(net, exact=2, days=10, client=client)
    >>> table.equals(tg.shock.criticality(net, exact=2, days=10))
    True
    """
    settings = dict(region=region, industry=industry, output=output, **model)
    frame = _criticality(net, firms, exact=0, days=days, **settings)
    chosen = list(frame.index[: max(0, int(exact))])
    if not chosen:
        return frame
    with _session(client) as c:
        parts = _blocks(c, chosen, block_size)
        futures = _run(
            c, "criticality", _criticality_block, net, parts, progress, days=int(days),
            **settings,
        )  # fmt: skip
        blocks: list[pd.DataFrame] = c.gather(futures)  # type: ignore[no-untyped-call]
    frame.loc[chosen, ["national", "region_loss"]] = pd.concat(blocks).to_numpy()
    frame.loc[chosen, "simulated"] = True
    return frame
