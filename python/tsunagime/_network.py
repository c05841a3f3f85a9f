"""The :class:`TradeNetwork`: firms, their regions and the supplier → customer links."""

from __future__ import annotations

import contextlib
import dataclasses
import json
import os
import re
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

import numpy as np
import numpy.typing as npt
import pandas as pd

from . import _frames, _progress
from . import _tsunagime as _native
from ._frames import DEFAULT
from ._progress import Progress
from .errors import _YEARS, InputError, ParameterError, TsunagimeError, _whole

if TYPE_CHECKING:
    import networkx as nx

PathLike = str | os.PathLike[str]
Duplicates = Literal["sum", "max", "first", "error"]
SelfLoops = Literal["error", "drop", "keep"]
UnknownFirms = Literal["error", "drop", "add"]


@dataclasses.dataclass(frozen=True)
class LoadReport:
    """What loading read, merged and set aside; nothing is dropped without being counted.

    Attributes
    ----------
    source : str
        How the network was made (``"from_frames"``, ``"read_csv"``, ``"synthetic_japan"``,
        ``"until(2018)"``, ``"subgraph"``, ``"pickle"``).
    firms_read, firms_inferred, firms_added : int
        Firm rows read; firms created from trade ids when no firm table was given; firms
        added because trades named them (``unknown_firms="add"``).
    trades_read, trades_kept, trades_merged, self_loops_kept : int
        Trade rows read, distinct links kept, rows merged into another row of the same pair,
        rows of a firm with itself kept as its ``self_amount`` (``self_loops="keep"``).
    collaborations_read, collaborations_kept, collaborations_merged : int
        The same for collaborations.
    rejected : list of dict
        Rows set aside by a policy (``self_loops="drop"``): table, reason, count, first.
    missing : dict
        Missing values per firm column.
    columns : dict
        For a firms file: how each column became a partition or an attribute, and why
        (``{"sales": "attribute (every value is a number)"}``).

    Examples
    --------
    >>> import tsunagime as tg
    >>> trades = {"supplier": ["a", "a", "b"], "customer": ["b", "b", "b"]}
    >>> report = tg.TradeNetwork.from_frames(None, trades, self_loops="drop").report
    >>> report.trades_read, report.trades_kept, report.trades_merged, report.rejected[0]["count"]
    (3, 1, 1, 1)
    """

    source: str
    firms_read: int = 0
    firms_inferred: int = 0
    firms_added: int = 0
    trades_read: int = 0
    trades_kept: int = 0
    trades_merged: int = 0
    self_loops_kept: int = 0
    collaborations_read: int = 0
    collaborations_kept: int = 0
    collaborations_merged: int = 0
    rejected: tuple[Mapping[str, Any], ...] = ()
    missing: Mapping[str, int] = dataclasses.field(default_factory=dict)
    columns: Mapping[str, str] = dataclasses.field(default_factory=dict)

    @classmethod
    def _from_native(cls, source: str, report: str) -> LoadReport:
        """The core's report (JSON, its fields named once by the core) as read by ``source``."""
        d = json.loads(report)
        d.update(
            source=source,
            rejected=tuple(d["rejected"]),
            missing=dict(d["missing"]),
            columns=dict(d["columns"]),
        )
        return cls(**d)

    def __str__(self) -> str:
        """The core's text of the report, after its source."""
        fields = dataclasses.asdict(self)
        del fields["source"]
        fields["rejected"] = list(self.rejected)
        fields["missing"] = list(self.missing.items())
        fields["columns"] = list(self.columns.items())
        text: str = _native.describe_report(json.dumps(fields))
        return f"source: {self.source}\n{text}".rstrip("\n")


class TradeNetwork:
    """Firms and the distinct supplier → customer links between them.

    Goods flow from supplier to customer; money flows the other way. A network is immutable:
    :meth:`until` and :meth:`subgraph` make new ones. Build one with :meth:`from_frames`,
    :meth:`read_csv` or :func:`tsunagime.datasets.synthetic_japan`.

    Examples
    --------
    >>> import pandas as pd
    >>> import tsunagime as tg
    >>> firms = pd.DataFrame({"firm_id": ["a", "b", "c"],
    ...                       "prefecture": ["Ishikawa", "Ishikawa", "Tokyo"],
    ...                       "sales": [120.0, 300.0, 5000.0]})
    >>> trades = pd.DataFrame({"supplier": ["a", "b"], "customer": ["b", "c"],
    ...                        "amount": [40.0, 100.0], "year": [2018, 2019]})
    >>> net = tg.TradeNetwork.from_frames(firms, trades)
    >>> net.n_firms, net.n_trades, net.partitions, net.attributes
    (3, 2, ['prefecture'], ['sales'])
    >>> net.trades
      supplier customer  amount  year
    0        a        b    40.0  2018
    1        b        c   100.0  2019
    >>> net.until(2018).n_trades
    1
    """

    __slots__ = ("_ids", "_native", "report")

    def __init__(self, native: _native.Network, report: LoadReport) -> None:
        """Wraps a native network; use the ``from_*`` constructors instead."""
        self._native = native
        self._ids: pd.Index | None = None
        self.report = report

    # ----------------------------------------------------------------- constructors
    @classmethod
    def from_frames(
        cls,
        firms: pd.DataFrame | Mapping[str, Any] | None,
        trades: pd.DataFrame | Mapping[str, Any],
        collaborations: pd.DataFrame | Mapping[str, Any] | None = None,
        *,
        firm_id: str = "firm_id",
        supplier: str = "supplier",
        customer: str = "customer",
        amount: str | None = DEFAULT,
        year: str | None = DEFAULT,
        last_year: str | None = DEFAULT,
        collaboration_columns: tuple[str, str] = ("a", "b"),
        partitions: Iterable[str] = (),
        attributes: Iterable[str] = (),
        duplicates: Duplicates = "sum",
        self_loops: SelfLoops = "error",
        unknown_firms: UnknownFirms = "error",
    ) -> TradeNetwork:
        """Builds a network from data frames: pandas (numpy or Arrow dtypes), polars
        (DataFrame or LazyFrame), pyarrow (Table or RecordBatch), any object with the Arrow
        PyCapsule stream interface (``__arrow_c_stream__``), a ``dask.dataframe`` (computed,
        its partitions in order: one network from a partitioned dataset), or dicts of numpy
        arrays.

        Parameters
        ----------
        firms : data frame, dict or None
            One row per firm: the id column (or an index named ``firm_id``) and any others.
            String, categorical and boolean columns become *partitions* (regions, industries);
            numeric columns become *attributes* (NaN = missing). ``None`` infers the firms
            from the trade ids (reported in :attr:`report`).
        trades : data frame or dict
            One row per supplier → customer trade; optional ``amount`` (finite, ≥ 0),
            ``year`` (first observed) and ``last_year`` columns.
        collaborations : data frame or dict, optional
            Undirected ties (e.g. joint research) in columns ``a`` and ``b``, optional ``year``.
        firm_id, supplier, customer : str
            Column names.
        amount, year, last_year : str or None
            Column names; by default each is read when the table has it; ``None`` skips it.
        collaboration_columns : (str, str)
            The two firm columns of ``collaborations``.
        partitions, attributes : iterable of str
            Firm columns to read as partitions (e.g. numeric region codes) or as numbers,
            whatever their dtype.
        duplicates : {"sum", "max", "first", "error"}
            Several rows of one pair: add, keep the largest or the first amount, or refuse.
            Years merge as the earliest ``year`` and the latest ``last_year``.
        self_loops : {"error", "drop", "keep"}
            A trade of a firm with itself: refuse; set it aside and count it; or, for
            sector-level networks (input–output tables, where a sector buys from itself), keep
            it as the firm attribute ``self_amount``, the diagonal of :func:`ripple`'s Leontief
            model (not a graph edge: the graph measures are unchanged).
        unknown_firms : {"error", "drop", "add"}
            A trade or collaboration naming a firm that ``firms`` lacks (an extract of one
            region whose trades reach the whole country): refuse, naming the first row; set
            such rows aside, counted in :attr:`report` with the first one; or add the firms
            with every partition missing and every attribute NaN (counted as
            ``firms_added``).

        Returns
        -------
        TradeNetwork

        Raises
        ------
        tsunagime.errors.InputError
            A bad value (a ``ValueError``), naming the table, row and column.
        tsunagime.errors.UnknownFirmError
            A trade names a firm not in ``firms`` (a ``KeyError``).
        tsunagime.errors.MissingColumnError
            A required column is absent.

        Examples
        --------
        >>> import numpy as np
        >>> import tsunagime as tg
        >>> net = tg.TradeNetwork.from_frames(
        ...     None, {"supplier": np.array([1, 2]), "customer": np.array([2, 3])})
        >>> net.n_firms, net.report.firms_inferred
        (3, 3)
        """
        trades_df = _frames.as_frame(trades, "trades")
        part_names, attr_names = list(partitions), list(attributes)
        if firms is None:
            firm_ids: Any = None
            parts: list[Any] = []
            attrs: list[Any] = []
        else:
            firms_df = _frames.as_frame(firms, "firms")
            firm_ids, parts, attrs = _frames.firm_columns(
                firms_df, firm_id, part_names, attr_names, "firms"
            )
        sup = _frames.ids(_frames.column(trades_df, supplier, "trades"), "trades", supplier)
        cus = _frames.ids(_frames.column(trades_df, customer, "trades"), "trades", customer)
        sup, cus = _frames.same_kind(sup, cus)
        values: dict[str, Any] = {}
        for key, name in (("amount", amount), ("year", year), ("last_year", last_year)):
            col = _frames.optional(trades_df, name, key, "trades")
            if col is not None:
                label = str(col.name)
                values[key] = (
                    _frames.numbers(col, "trades", label)
                    if key == "amount"
                    else _frames.years(col, "trades", label)
                )
        collab: dict[str, Any] = {}
        if collaborations is not None:
            c_df = _frames.as_frame(collaborations, "collaborations")
            ca, cb = collaboration_columns
            a = _frames.ids(_frames.column(c_df, ca, "collaborations"), "collaborations", ca)
            b = _frames.ids(_frames.column(c_df, cb, "collaborations"), "collaborations", cb)
            collab["collab_a"], collab["collab_b"] = _frames.same_kind(a, b)
            cy = _frames.optional(c_df, year, "year", "collaborations")
            if cy is not None:
                collab["collab_year"] = _frames.years(cy, "collaborations", str(cy.name))
        native, report = _native.Network.from_columns(
            firm_ids,
            parts,
            attrs,
            sup,
            cus,
            duplicates=duplicates,
            self_loops=self_loops,
            unknown_firms=unknown_firms,
            **values,
            **collab,
        )
        return cls(native, LoadReport._from_native("from_frames", report))

    @classmethod
    def read_csv(
        cls,
        firms: PathLike | None,
        trades: PathLike,
        collaborations: PathLike | None = None,
        *,
        firm_id: str = "firm_id",
        supplier: str = "supplier",
        customer: str = "customer",
        amount: str | None = DEFAULT,
        year: str | None = DEFAULT,
        last_year: str | None = DEFAULT,
        collaboration_columns: tuple[str, str] = ("a", "b"),
        partitions: Iterable[str] = (),
        attributes: Iterable[str] = (),
        id_type: Literal["auto", "str", "int"] = "auto",
        delimiter: str = ",",
        encoding: str = "auto",
        thousands: str | None = None,
        duplicates: Duplicates = "sum",
        self_loops: SelfLoops = "error",
        unknown_firms: UnknownFirms = "error",
        progress: Progress = False,
    ) -> TradeNetwork:
        """Reads a network from CSV files, streaming in Rust (millions of rows a second).

        Cells are trimmed and an empty cell is a missing value. A firm column becomes a numeric
        attribute when every non-empty cell is a number and none is a zero-padded code such as
        ``"01"``; otherwise it becomes a partition; :attr:`report` says which and why for each
        column. Errors name the file, the line (the header is line 1) and the column.

        Parameters
        ----------
        firms : path or None
            The firms file; ``None`` infers the firms from the trade ids.
        trades : path
            The trades file.
        collaborations : path, optional
            The collaborations file.
        firm_id, supplier, customer, amount, year, last_year, collaboration_columns
            Column names, as in :meth:`from_frames`.
        partitions, attributes : iterable of str
            Firm columns forced to be partitions or numbers.
        id_type : {"auto", "str", "int"}
            ``"auto"`` makes ids integers when every id is a canonical integer (``"42"``, not
            ``"042"``), strings otherwise.
        delimiter : str
            One ASCII character.
        encoding : str
            ``"auto"``: UTF-8 when the whole file is valid UTF-8 (a BOM is skipped), UTF-16
            when it starts with a UTF-16 BOM, else Shift_JIS (cp932, as Excel in Japan saves
            CSV). Any Python codec name forces one (``"cp932"``, ``"euc_jp"``, ``"utf-8"`` …);
            bytes that are not valid in it are an error naming the line.
        thousands : str, optional
            A thousands separator in numbers: ``thousands=","`` reads ``"1,200"`` as 1200
            (the separator must stand between digits; ids are never changed).
        duplicates, self_loops, unknown_firms
            As in :meth:`from_frames`.
        progress : bool or callable
            ``True`` shows a progress bar (needs ``tqdm``); a callable receives
            ``(stage, rows_done, total)``. Ctrl-C stops the load with ``KeyboardInterrupt``.

        Returns
        -------
        TradeNetwork

        Examples
        --------
        >>> import tempfile, pathlib
        >>> import tsunagime as tg
        >>> folder = pathlib.Path(tempfile.mkdtemp())
        >>> _ = (folder / "trades.csv").write_text("supplier,customer,amount\\nA,B,3.5\\nB,C,1\\n")
        >>> net = tg.TradeNetwork.read_csv(None, folder / "trades.csv")
        >>> list(net.firm_ids)
        ['A', 'B', 'C']

        A firms file saved by Excel in Japan, with thousands separators:

        >>> text = 'firm_id,所在地,売上\\nA,福島県,"1,200"\\nB,石川県,800\\nC,福島県,35\\n'
        >>> _ = (folder / "firms.csv").write_bytes(text.encode("cp932"))
        >>> net = tg.TradeNetwork.read_csv(folder / "firms.csv", folder / "trades.csv",
        ...                                thousands=",")
        >>> net.firms["売上"].tolist(), net.report.columns["所在地"]
        ([1200.0, 800.0, 35.0], "partition ('福島県' at ... is not a number)")
        """

        def col(name: str | None, default: str) -> tuple[str | None, bool]:
            if name is DEFAULT:
                return default, False
            return name, name is not None

        originals = [firms, trades, collaborations]
        with contextlib.ExitStack() as stack, _progress.reporter(progress) as callback:
            files, encoding = _utf8_copies(originals, encoding, stack)
            native, report = _in_originals(files, originals, _native.Network.read_csv)(
                files[0],
                os.fspath(trades) if files[1] is None else files[1],
                files[2],
                firm_id,
                supplier,
                customer,
                col(amount, "amount"),
                col(year, "year"),
                col(last_year, "last_year"),
                (collaboration_columns[0], collaboration_columns[1]),
                list(partitions),
                list(attributes),
                id_type,
                delimiter,
                duplicates,
                self_loops,
                encoding,
                thousands,
                unknown_firms,
                callback,
            )
        return cls(native, LoadReport._from_native("read_csv", report))

    @classmethod
    def from_io_table(
        cls,
        Z: pd.DataFrame | npt.ArrayLike,  # noqa: N803 (the textbook name)
        output: pd.Series | npt.ArrayLike,
        *,
        regions: Iterable[Any] | None = None,
        sectors: Iterable[Any] | None = None,
    ) -> TradeNetwork:
        """A network of (region, sector) nodes from an input–output table.

        Each intermediate flow ``Z[i, j]`` (what node *i* sells to node *j*) becomes a trade;
        the diagonal (a sector buying from itself) is kept as the node's ``self_amount``
        (``self_loops="keep"``), so that :func:`tsunagime.ripple` with ``output="output"``
        gives the Leontief multipliers: ``m = 1ᵀ (I − A_RR)⁻¹`` per region R, with
        ``A = Z diag(x)⁻¹`` — the column sums of the Leontief inverse for a single region.

        Parameters
        ----------
        Z : DataFrame or 2-d array
            The n × n intermediate flows. A DataFrame indexed by a (region, sector)
            MultiIndex, as pymrio keeps it, gives the labels.
        output : Series or 1-d array
            Total output ``x`` of each node (the attribute ``output``).
        regions, sectors : iterables, optional
            Labels of each node (partitions ``region`` and ``sector``); by default from
            ``Z``'s MultiIndex, else one region ``"all"`` and sectors ``"0"``, ``"1"``, ….

        Returns
        -------
        TradeNetwork
            Node ids ``"region/sector"``.

        Notes
        -----
        Leontief (1936); Miller & Blair, *Input–Output Analysis* (2nd ed., 2009), ch. 2–3.

        See Also
        --------
        from_pymrio : the same from a pymrio ``IOSystem``.

        Examples
        --------
        >>> import numpy as np
        >>> import tsunagime as tg
        >>> Z = np.array([[20.0, 60.0], [10.0, 80.0]])
        >>> net = tg.TradeNetwork.from_io_table(Z, [100.0, 200.0], sectors=["farm", "food"])
        >>> m = tg.ripple(net, "region", output="output")["multiplier"]
        >>> np.allclose(m, np.linalg.inv(np.eye(2) - Z / [100.0, 200.0]).sum(axis=0))
        True
        """
        flows: Any = Z
        index = None
        if isinstance(Z, pd.DataFrame):
            # Labelled flows are read by label: columns in the rows' order, output aligned
            # (unlabelled columns, a RangeIndex, are taken in order).
            index = Z.index
            labelled = not isinstance(Z.columns, pd.RangeIndex)
            if labelled and not Z.columns.equals(index):
                if set(Z.columns) != set(index):
                    raise ParameterError(
                        "invalid parameter 'Z': its columns are not the sectors of its rows",
                        parameter="Z",
                    )
                flows = Z.loc[:, index]
            if isinstance(output, pd.Series) and not output.index.equals(index):
                output = output.reindex(index)
        try:
            z = np.ascontiguousarray(np.asarray(flows, dtype=np.float64))
            x = np.ascontiguousarray(np.asarray(output, dtype=np.float64).reshape(-1))
        except (TypeError, ValueError) as e:
            raise ParameterError(
                f"invalid parameter 'Z': the flows and outputs must be numbers ({e})",
                parameter="Z",
            ) from None
        if z.ndim != 2:
            raise ParameterError(
                f"invalid parameter 'Z': a {z.ndim}-dimensional array, not the n×n table of flows",
                parameter="Z",
            )
        if regions is None and isinstance(index, pd.MultiIndex):
            regions = index.get_level_values(0)
        if sectors is None and isinstance(index, pd.MultiIndex):
            sectors = index.get_level_values(-1)
        elif sectors is None and index is not None:
            sectors = index
        n = len(x)
        region_labels = ["all"] * n if regions is None else [str(r) for r in regions]
        sector_labels = [str(i) for i in range(n)] if sectors is None else [str(v) for v in sectors]
        native, report = _native.Network.from_io_table(z, x, region_labels, sector_labels)
        return cls(native, LoadReport._from_native("from_io_table", report))

    @classmethod
    def from_pymrio(cls, io: Any) -> TradeNetwork:
        """The network of a pymrio ``IOSystem`` (``io.Z`` and ``io.x``, computed when missing
        with ``io.calc_all()``): see :meth:`from_io_table`.

        Examples
        --------
        >>> import pymrio  # doctest: +SKIP
        >>> net = tg.TradeNetwork.from_pymrio(pymrio.load_test())  # doctest: +SKIP
        >>> net.n_firms  # doctest: +SKIP
        48
        """
        if not callable(getattr(io, "calc_all", None)):
            raise TypeError(f"expected a pymrio IOSystem, got {type(io).__name__}")
        if getattr(io, "Z", None) is None or getattr(io, "x", None) is None:
            io.calc_all()
        x = io.x
        output = x.iloc[:, 0] if isinstance(x, pd.DataFrame) else x
        net = cls.from_io_table(io.Z, output.reindex(io.Z.index))
        net.report = dataclasses.replace(net.report, source="from_pymrio")
        return net

    @classmethod
    def read_parquet(
        cls,
        firms: PathLike | None,
        trades: PathLike,
        collaborations: PathLike | None = None,
        **options: Any,
    ) -> TradeNetwork:
        """Reads a network from Parquet: each argument a file or a folder of files (as Spark,
        Dask or polars write a partitioned table), read with pyarrow and built by
        :meth:`from_frames` (same keyword options). An unnamed index that pandas or Dask
        stored as a column (``__index_level_0__``, ``__null_dask_index__``) numbers rows and
        is not read; a named index (``firm_id``) is a column like the others.

        Examples
        --------
        >>> import tempfile, pathlib
        >>> import pyarrow as pa, pyarrow.parquet as pq
        >>> import tsunagime as tg
        >>> folder = pathlib.Path(tempfile.mkdtemp())
        >>> (folder / "trades").mkdir()
        >>> for i, part in enumerate([{"supplier": [1, 2], "customer": [2, 3]},
        ...                           {"supplier": [3], "customer": [1]}]):
        ...     pq.write_table(pa.table(part), folder / "trades" / f"part-{i}.parquet")
        >>> net = tg.TradeNetwork.read_parquet(None, folder / "trades")
        >>> net.n_firms, net.n_trades
        (3, 3)
        """
        import pyarrow.parquet as pq

        def read(path: PathLike | None) -> Any:
            if path is None:
                return None
            table = pq.read_table(os.fspath(path))
            # pandas and Dask store an unnamed index as a column; it numbers rows, it is not data.
            index = (table.schema.pandas_metadata or {}).get("index_columns", [])
            rows = re.compile(r"__index_level_\d+__|__null_dask_index__")
            unnamed = [c for c in index if isinstance(c, str) and rows.fullmatch(c)]
            return table.drop_columns(unnamed)

        net = cls.from_frames(read(firms), read(trades), read(collaborations), **options)
        net.report = dataclasses.replace(net.report, source="read_parquet")
        return net

    # ----------------------------------------------------------------- accessors
    @property
    def n_firms(self) -> int:
        """Number of firms."""
        return int(self._native.n_firms)

    @property
    def n_trades(self) -> int:
        """Number of distinct supplier → customer links."""
        return int(self._native.n_trades)

    @property
    def n_collaborations(self) -> int:
        """Number of distinct collaborations."""
        return int(self._native.n_collaborations)

    @property
    def firm_ids(self) -> pd.Index:
        """The firm ids, in the network's order, as a pandas Index named ``firm_id``."""
        if self._ids is None:
            raw = self._native.firm_ids()
            values = raw if isinstance(raw, np.ndarray) else np.asarray(raw, dtype=object)
            self._ids = pd.Index(values, name="firm_id")
        return self._ids

    @property
    def partitions(self) -> list[str]:
        """Names of the categorical firm columns (regions, industries, …)."""
        return [p[0] for p in self._native.partitions()]

    @property
    def attributes(self) -> list[str]:
        """Names of the numeric firm columns."""
        return [a[0] for a in self._native.attributes()]

    def _categorical(self, name: str) -> pd.Series:
        """One partition as a categorical Series indexed by firm id."""
        for pname, labels, codes in self._native.partitions():
            if pname == name:
                values = pd.Categorical.from_codes(codes, categories=pd.Index(labels))
                series: pd.Series = pd.Series(values, index=self.firm_ids, name=name)
                return series
        raise KeyError(name)

    @property
    def firms(self) -> pd.DataFrame:
        """The firms, indexed by id: partitions as ``Categorical``, attributes as float64."""
        columns: dict[str, Any] = {}
        for name, labels, codes in self._native.partitions():
            columns[name] = pd.Categorical.from_codes(codes, categories=pd.Index(labels))
        for name, values in self._native.attributes():
            columns[name] = values
        frame: pd.DataFrame = pd.DataFrame(columns, index=self.firm_ids)
        return frame

    def _take(self, positions: npt.NDArray[np.uint32]) -> npt.NDArray[Any]:
        return np.asarray(self.firm_ids.to_numpy()[positions])

    @property
    def trades(self) -> pd.DataFrame:
        """The links: ``supplier``, ``customer`` (ids) and ``amount``, ``year``, ``last_year``
        where known, in (supplier, customer) order.
        """
        t = self._native.trades()
        columns = {
            "supplier": self._take(t.pop("supplier")),
            "customer": self._take(t.pop("customer")),
        }
        columns.update(t)
        frame: pd.DataFrame = pd.DataFrame(columns)
        return frame

    @property
    def collaborations(self) -> pd.DataFrame:
        """The collaborations: ``a``, ``b`` (ids, ``a`` first in the network's order), ``year``."""
        t = self._native.collaborations()
        columns = {"a": self._take(t.pop("a")), "b": self._take(t.pop("b"))}
        columns.update(t)
        frame: pd.DataFrame = pd.DataFrame(columns)
        return frame

    @property
    def years(self) -> tuple[int, int] | None:
        """First and last year of the trades, or ``None`` when they have no years."""
        t = self._native.trades()
        if "year" not in t or len(t["year"]) == 0:
            return None
        last = t.get("last_year", t["year"])
        return int(t["year"].min()), int(last.max())

    def index_of(self, firm_ids: Iterable[Any]) -> npt.NDArray[np.uint32]:
        """Positions of the given ids in the network's order.

        An unknown id raises :class:`~tsunagime.errors.UnknownFirmError` (a ``KeyError``).

        >>> import tsunagime as tg
        >>> net = tg.TradeNetwork.from_frames(None, {"supplier": ["x"], "customer": ["y"]})
        >>> net.index_of(["y", "x"]).tolist()
        [1, 0]
        """
        series = pd.Series(list(firm_ids), dtype=object)
        return self._native.index_of(_frames.ids(series, "firm ids", "firm_id"))

    # ----------------------------------------------------------------- views
    def until(self, year: int) -> TradeNetwork:
        """The network at the end of ``year``: links and collaborations first observed in or
        before it (``last_year`` capped at ``year``); all firms kept. For temporal hold-outs.

        >>> import tsunagime as tg
        >>> net = tg.datasets.synthetic_japan(2_000, seed=0)
        >>> net.until(2018).n_trades < net.n_trades
        True
        """
        year = _whole(year, "year", *_YEARS)
        return TradeNetwork(self._native.until(year), self._derived(f"until({year})"))

    def subgraph(self, firm_ids: Iterable[Any]) -> TradeNetwork:
        """The network induced by the given firms (in that order), or by a boolean mask over the
        firms (a Series is aligned on the firm ids): their links among themselves.

        >>> import tsunagime as tg
        >>> net = tg.TradeNetwork.from_frames(None, {"supplier": [1, 2], "customer": [2, 3]})
        >>> net.subgraph([2, 3]).trades
           supplier  customer
        0         2         3
        >>> net.subgraph(net.firms.index > 1).n_firms
        2
        """
        dtype = getattr(firm_ids, "dtype", None)
        if dtype is not None and pd.api.types.is_bool_dtype(dtype):
            mask = firm_ids
            if isinstance(mask, pd.Series):
                mask = mask.reindex(self.firm_ids)
            mask = np.asarray(mask)
            if mask.shape != (self.n_firms,) or not pd.api.types.is_bool_dtype(mask.dtype):
                raise ParameterError(
                    f"invalid parameter 'firm_ids': a mask of {mask.size} values for"
                    f" {self.n_firms} firms",
                    parameter="firm_ids",
                )
            return TradeNetwork(
                self._native.subgraph(np.flatnonzero(mask).astype(np.uint32)),
                self._derived("subgraph"),
            )
        idx = self.index_of(firm_ids)
        return TradeNetwork(self._native.subgraph(idx), self._derived("subgraph"))

    def _derived(self, source: str) -> LoadReport:
        return LoadReport(source=source)

    # ----------------------------------------------------------------- export
    def save(self, path: PathLike, *, overwrite: bool = False) -> None:
        """Writes a *network file*: a folder of Arrow IPC files that :meth:`open` maps back in
        milliseconds.

        The folder is written beside ``path`` and renamed into place, so no reader sees half a
        network. Its tables are standard Arrow: ``pyarrow.ipc.open_file`` or
        ``polars.read_ipc`` read ``firms.arrow`` (ids, partitions as dictionaries, attributes)
        and ``trades.arrow`` (``supplier`` and ``customer`` as positions in ``firms.arrow``,
        ``amount``, ``year``, ``last_year``); the layout is documented in ``docs/scaling.md``.

        Parameters
        ----------
        path : str or path-like
            The folder to write.
        overwrite : bool, default False
            Replace an existing network file at ``path``. Without it an existing ``path`` is
            an error; a folder that is not a network file is never replaced.

        See Also
        --------
        open : map a network file.
        to_csv : plain CSV files, slower to read back.

        Examples
        --------
        >>> import tempfile, pathlib
        >>> import tsunagime as tg
        >>> net = tg.datasets.synthetic_japan(500, seed=0)
        >>> path = pathlib.Path(tempfile.mkdtemp()) / "japan"
        >>> net.save(path)
        >>> tg.TradeNetwork.open(path) == net
        True
        """
        self._native.save(os.fspath(path), overwrite)

    @classmethod
    def open(cls, path: PathLike, *, verify: bool = False) -> TradeNetwork:
        """Opens a network file written by :meth:`save`, memory-mapped.

        The big arrays (links both ways, amounts, years, partition codes, attributes) are the
        file's pages: nothing is parsed or copied but the firm ids, processes on one machine
        share the pages, and a million firms with five million trades open in milliseconds.
        Opening checks every position the algorithms follow, so a damaged file is an error,
        never a crash. Pickled, an opened network is its path and checksum (a Dask worker maps
        the file instead of receiving its arrays); unpickling where the file is missing or
        changed is an error.

        Parameters
        ----------
        path : str or path-like
            A folder written by :meth:`save`.
        verify : bool, default False
            Also check every byte against the manifest's checksums and rebuild the network
            from its tables to compare (seconds for a national network).

        Returns
        -------
        TradeNetwork

        Raises
        ------
        InputError
            The folder is not a network file, a file is truncated or damaged, or (with
            ``verify``) a checksum differs; the message names the file.

        Examples
        --------
        >>> import pickle, tempfile, pathlib
        >>> import tsunagime as tg
        >>> path = pathlib.Path(tempfile.mkdtemp()) / "japan"
        >>> tg.datasets.synthetic_japan(500, seed=0).save(path)
        >>> net = tg.TradeNetwork.open(path, verify=True)
        >>> len(pickle.dumps(net)) < 1000
        True
        """
        source = os.fspath(path)
        return cls(_native.Network.open(source, verify), LoadReport(source=source))

    def to_csv(
        self, firms: PathLike, trades: PathLike, collaborations: PathLike | None = None
    ) -> None:
        """Writes CSV files that :meth:`read_csv` reads back into an equal network.

        Examples
        --------
        >>> import tsunagime as tg
        >>> trades = {"supplier": ["a", "b"], "customer": ["b", "c"]}
        >>> net = tg.TradeNetwork.from_frames(None, trades)
        >>> import tempfile, pathlib
        >>> folder = pathlib.Path(tempfile.mkdtemp())
        >>> net.to_csv(folder / "firms.csv", folder / "trades.csv")
        >>> tg.TradeNetwork.read_csv(folder / "firms.csv", folder / "trades.csv") == net
        True
        """
        self._native.write_csv(
            os.fspath(firms),
            os.fspath(trades),
            None if collaborations is None else os.fspath(collaborations),
        )

    def to_networkx(self) -> nx.DiGraph:
        """A ``networkx.DiGraph`` of the trades: nodes are firm ids with their partitions and
        (non-missing) attributes; edges carry ``amount``, ``year``, ``last_year`` where known.
        Collaborations are not included.

        >>> import tsunagime as tg
        >>> g = tg.datasets.synthetic_japan(500, seed=0).to_networkx()
        >>> g.number_of_nodes()
        500
        """
        import networkx as nx

        g = nx.DiGraph()
        firms = self.firms
        records = firms.to_dict(orient="records")
        nodes = [
            (_py(i), {k: v for k, v in rec.items() if not (isinstance(v, float) and np.isnan(v))})
            for i, rec in zip(firms.index, records, strict=True)
        ]
        g.add_nodes_from(nodes)
        t = self.trades
        extra = [c for c in ("amount", "year", "last_year") if c in t.columns]
        rows = zip(*(t[c].tolist() for c in ("supplier", "customer", *extra)), strict=True)
        g.add_edges_from((r[0], r[1], dict(zip(extra, r[2:], strict=True))) for r in rows)
        return g

    @classmethod
    def from_networkx(cls, g: Any, **options: Any) -> TradeNetwork:
        """A network from a networkx graph, the inverse of :meth:`to_networkx`: nodes are
        firms (node attributes become partitions or attributes as in :meth:`from_frames`),
        edges supplier → customer trades (edge attributes ``amount``, ``year``,
        ``last_year`` kept). An undirected graph's edges are read in both directions.
        Keyword options go to :meth:`from_frames`.

        Examples
        --------
        >>> import tsunagime as tg
        >>> net = tg.datasets.synthetic_japan(500, seed=0)
        >>> back = tg.TradeNetwork.from_networkx(net.to_networkx())
        >>> back == tg.TradeNetwork.from_frames(net.firms.reset_index(), net.trades)
        True
        """
        nodes = list(g.nodes(data=True))
        firms = pd.DataFrame([data for _, data in nodes], index=[n for n, _ in nodes])
        firms = firms.rename_axis("firm_id").reset_index()
        edges = list(g.edges(data=True))
        if not g.is_directed():
            edges += [(b, a, data) for a, b, data in edges if a != b]
        columns = [c for c in ("amount", "year", "last_year") if any(c in e[2] for e in edges)]
        trades = pd.DataFrame(
            {
                "supplier": pd.Series([e[0] for e in edges], dtype=object),
                "customer": pd.Series([e[1] for e in edges], dtype=object),
                **{c: [e[2].get(c, np.nan) for e in edges] for c in columns},
            }
        )
        if len(edges) and pd.api.types.infer_dtype(trades["supplier"]) == "integer":
            trades = trades.astype({"supplier": np.int64, "customer": np.int64})
        return cls.from_frames(firms, trades, **options)

    # ----------------------------------------------------------------- dunder
    def __repr__(self) -> str:
        parts = ", ".join(self.partitions) or "none"
        attrs = self.attributes
        shown = ", ".join(attrs[:6]) + (f", … ({len(attrs)} in all)" if len(attrs) > 6 else "")
        text = (
            f"TradeNetwork({self.n_firms} firms, {self.n_trades} trades, "
            f"{self.n_collaborations} collaborations; partitions: {parts}"
        )
        if attrs:
            text += f"; attributes: {shown}"
        span = self.years
        if span is not None:
            text += f"; years {span[0]}–{span[1]}"
        return text + ")"

    def __eq__(self, other: object) -> bool:
        return isinstance(other, TradeNetwork) and bool(self._native == other._native)

    __hash__ = None  # type: ignore[assignment]

    def __reduce__(self) -> tuple[Any, ...]:
        file = self._native.file
        if file is not None:
            return (_unpickle_file, (os.fspath(file[0]), file[1]))
        return (_unpickle, (bytes(self._native.to_bytes()),))


def _utf8_copies(
    paths: list[PathLike | None], encoding: str, stack: contextlib.ExitStack[Any]
) -> tuple[list[str | None], str]:
    """The files as the native reader takes them. Encodings it knows (``"auto"``, UTF-8,
    cp932, EUC-JP, UTF-16, …) are decoded while streaming; any other Python codec is decoded
    here into temporary UTF-8 copies (removed afterwards)."""
    import codecs
    import tempfile

    files = [None if p is None else os.fspath(p) for p in paths]
    if _native.known_encoding(encoding):
        return files, encoding
    try:
        codec = codecs.lookup(encoding)
    except LookupError:
        raise ParameterError(
            f"invalid parameter 'encoding': {encoding!r} is not a known text encoding "
            "(e.g. utf-8, cp932, euc_jp)",
            parameter="encoding",
        ) from None
    folder = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="tsunagime-")))
    out: list[str | None] = []
    for i, path in enumerate(files):
        if path is None:
            out.append(None)
            continue
        data = Path(path).read_bytes()
        try:
            text = data.decode(codec.name)
        except UnicodeDecodeError as e:
            line = data[: e.start].count(b"\n") + 1
            raise InputError(
                f"{path}, line {line}: byte 0x{data[e.start]:02x} is not valid {codec.name}",
                source=path,
                line=line,
            ) from None
        copy = folder / f"{i}.csv"
        copy.write_text(text, encoding="utf-8")
        out.append(str(copy))
    return out, "utf-8"


def _in_originals(files: list[str | None], originals: list[PathLike | None], call: Any) -> Any:
    """``call``, with errors about a temporary UTF-8 copy restated about the original file."""

    def wrapped(*args: Any) -> Any:
        try:
            return call(*args)
        except TsunagimeError as e:
            for copy, original in zip(files, originals, strict=True):
                if copy is not None and original is not None and copy != os.fspath(original):
                    e.message = e.message.replace(copy, os.fspath(original))
                    e.source = os.fspath(original) if e.source == copy else e.source
            e.args = (e.message,)
            raise

    return wrapped


def _unpickle_file(path: str, checksum: str) -> TradeNetwork:
    """A network pickled as its network file: mapped again, if it is still the same file."""
    net = TradeNetwork.open(path)
    file = net._native.file
    if file is None or file[1] != checksum:
        raise InputError(
            f"{path}: the network file changed since the network was pickled "
            f"(checksum {checksum}, now {None if file is None else file[1]})",
            source=path,
        )
    return net


def _unpickle(data: bytes) -> TradeNetwork:
    return TradeNetwork(_native.Network.from_bytes(data), LoadReport(source="pickle"))


def _py(value: Any) -> Any:
    """A numpy scalar as a plain Python value (networkx node keys)."""
    return value.item() if isinstance(value, np.generic) else value
