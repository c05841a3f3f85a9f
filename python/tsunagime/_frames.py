"""Turning pandas columns into the arrays the native core takes, with errors that name the
table, the row (``iloc`` position) and the column."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np
import numpy.typing as npt
import pandas as pd

from .errors import InputError, MissingColumnError


def as_frame(obj: object, name: str) -> pd.DataFrame:
    """A pandas DataFrame from a DataFrame (numpy or Arrow dtypes), a mapping of column name to
    array, a pyarrow Table or RecordBatch, a polars DataFrame or LazyFrame, or any object with
    the Arrow PyCapsule stream interface (``__arrow_c_stream__``), or a ``dask.dataframe``
    (computed: its partitions in order, on the cluster when a client is active).

    Arrow data become pandas columns with Arrow dtypes (``pd.ArrowDtype``), so that nulls stay
    nulls and strings are not converted twice; dictionaries become categoricals.
    """
    if type(obj).__module__.startswith("dask") and callable(getattr(obj, "compute", None)):
        obj = obj.compute()  # type: ignore[attr-defined]
    if isinstance(obj, pd.DataFrame):
        return obj
    if isinstance(obj, pd.Series):  # it has __arrow_c_stream__, but as one column, not a table
        raise TypeError(f"{name}: a pandas Series is one column; give a DataFrame (to_frame())")
    if isinstance(obj, Mapping):  # the arrays are used as they are, not copied into blocks
        frame: pd.DataFrame = pd.DataFrame(dict(obj), copy=False)
        return frame
    if type(obj).__name__ == "LazyFrame" and callable(getattr(obj, "collect", None)):
        obj = obj.collect()  # type: ignore[attr-defined]
    if type(obj).__module__.startswith("polars") and callable(getattr(obj, "to_arrow", None)):
        obj = obj.to_arrow()  # type: ignore[attr-defined]  # large strings, not string views
    if hasattr(obj, "__arrow_c_stream__") or hasattr(obj, "__arrow_c_array__"):
        import pyarrow as pa

        if isinstance(obj, pa.RecordBatch):
            table = pa.Table.from_batches([obj])
        elif isinstance(obj, pa.Table):
            table = obj
        elif hasattr(obj, "__arrow_c_stream__"):
            table = pa.RecordBatchReader.from_stream(obj).read_all()
        else:
            table = pa.Table.from_batches([pa.record_batch(obj)])
        # polars exports strings as string_view, which pandas' Arrow dtypes do not take yet.
        view = getattr(pa, "string_view", None)
        if view is not None:
            schema = pa.schema(
                f.with_type(pa.large_string()) if f.type == view() else f for f in table.schema
            )
            table = table.cast(schema)

        def dtype(t: pa.DataType) -> Any:  # dictionaries become pandas categoricals
            return None if pa.types.is_dictionary(t) else pd.ArrowDtype(t)

        arrow: pd.DataFrame = table.to_pandas(types_mapper=dtype)
        return arrow
    raise TypeError(
        f"{name}: expected a pandas or polars DataFrame or a dict of arrays, a pyarrow Table or "
        f"an object with __arrow_c_stream__, got {type(obj).__name__}"
    )


#: The range of int64, the core's integer ids.
_INT64 = (-(2**63), 2**63 - 1)


def _error(table: str, row: int | None, column: str, why: str) -> InputError:
    where = (
        f"{table}, row {row}, column '{column}'"
        if row is not None
        else f"{table}, column '{column}'"
    )
    return InputError(f"{where}: {why}", source=table, row=row, column=column)


def column(frame: pd.DataFrame, name: str, table: str) -> pd.Series:
    """The column ``name``, or the index when it carries that name."""
    if name in frame.columns:
        return frame[name]
    if frame.index.name == name:
        return frame.index.to_series(index=pd.RangeIndex(len(frame)))
    present = ", ".join(map(str, frame.columns))
    raise MissingColumnError(
        f"{table}: missing column '{name}' (columns present: {present})", source=table, column=name
    )


def _first(mask: npt.NDArray[np.bool_]) -> int:
    return int(np.flatnonzero(mask)[0])


Packed = list[tuple[npt.NDArray[np.int64], npt.NDArray[np.uint8]]]
"""String ids as the chunks of an Arrow ``large_string`` array, each its two buffers: offsets
and UTF-8 bytes."""

Ids = npt.NDArray[np.int64] | Packed
"""A column of firm ids as the native core takes it: int64, or packed strings."""


def packed(values: Any) -> Packed:
    """Strings (a list, an Arrow array, a pandas Series of str) as the buffers of their Arrow
    chunks, without a Python object per string: the native core copies them end to end once
    (the chunks of a Parquet file are not joined here first).

    Raises ``pyarrow.ArrowTypeError`` or ``ArrowInvalid`` when a value is not a string; nulls
    are the caller's to check (``null_count``).
    """
    import pyarrow as pa

    if isinstance(values, (pa.Array, pa.ChunkedArray)):
        arr = values.cast(pa.large_string())
    else:
        arr = pa.array(values, type=pa.large_string(), from_pandas=True)
    chunks = arr.chunks if isinstance(arr, pa.ChunkedArray) else [arr]
    out: Packed = []
    for chunk in chunks:
        _, offsets, data = chunk.buffers()
        start = chunk.offset
        out.append((
            np.frombuffer(offsets, dtype=np.int64)[start : start + len(chunk) + 1],
            np.frombuffer(data, dtype=np.uint8) if data is not None else np.zeros(0, np.uint8),
        ))  # fmt: skip
    if not out:  # a chunked array without chunks: no strings
        out.append((np.zeros(1, np.int64), np.zeros(0, np.uint8)))
    return out


def unpacked(buffers: tuple[npt.NDArray[np.int64], npt.NDArray[np.uint8]]) -> Any:
    """Strings from the two buffers of an Arrow ``large_string`` array (offsets, UTF-8 bytes),
    as pandas' default string array: Arrow-backed without a Python object per string where
    pandas infers ``str`` (pandas 3), else an object array.

    Examples
    --------
    >>> import numpy as np
    >>> list(unpacked((np.array([0, 2, 2, 3]), np.frombuffer(b"abc", np.uint8))))
    ['ab', '', 'c']
    """
    import pyarrow as pa

    offsets, data = buffers
    arr = pa.LargeStringArray.from_buffers(
        len(offsets) - 1, pa.py_buffer(offsets), pa.py_buffer(data)
    )
    default = pd.Series(["a"]).dtype
    if isinstance(default, np.dtype):  # object: pandas 2 without future.infer_string
        return np.asarray(arr.to_pylist(), dtype=object)
    return pd.array(arr, dtype=default)


def _strings(s: pd.Series, table: str, name: str) -> Packed | None:
    """A column holding only strings (and missing values, an error) as packed strings; None
    when some value is not a string."""
    import pyarrow as pa

    try:
        arr = pa.array(s, type=pa.large_string(), from_pandas=True)
    except (pa.ArrowTypeError, pa.ArrowInvalid):
        return None
    if arr.null_count:
        missing = np.asarray(arr.is_null(), dtype=bool)
        raise _error(table, _first(missing), name, "missing firm id")
    return packed(arr)


def ids(values: pd.Series, table: str, name: str) -> Ids:
    """Firm ids: integers stay integers (int64); anything else becomes a string."""
    s = values.reset_index(drop=True)
    dtype = s.dtype
    textual = not (
        pd.api.types.is_bool_dtype(dtype)
        or pd.api.types.is_numeric_dtype(dtype)
        or isinstance(dtype, pd.CategoricalDtype)
    )
    if textual and not (len(s) and isinstance(s.iloc[0], (int, np.integer))):
        strings = _strings(s, table, name)
        if strings is not None:
            return strings
    missing = s.isna().to_numpy()
    if missing.any():
        raise _error(table, _first(missing), name, "missing firm id")
    integers = pd.api.types.is_integer_dtype(dtype) and not pd.api.types.is_bool_dtype(dtype)
    if integers or pd.api.types.infer_dtype(s, skipna=False) == "integer":
        # Ids beyond int64 (unsigned 64-bit keys, Python ints) stay exact as text.
        wide = not integers or "uint64" in str(dtype).lower()
        if wide and len(s) and (s.max() > _INT64[1] or s.min() < _INT64[0]):
            return packed([str(v) for v in s.tolist()])
        return s.to_numpy(dtype=np.int64)
    if pd.api.types.is_float_dtype(dtype):
        arr = s.to_numpy(dtype=np.float64)
        bad = (arr != np.round(arr)) | (np.abs(arr) > 2.0**62)
        if bad.any():
            i = _first(bad)
            raise _error(table, i, name, f"{arr[i].item()!r} is not an integer id")
        return arr.astype(np.int64)
    return packed([str(v) for v in s.tolist()])


def same_kind(a: Ids, b: Ids) -> tuple[Ids, Ids]:
    """Two id columns of one kind (strings when either is)."""
    if isinstance(a, np.ndarray) != isinstance(b, np.ndarray):
        a = packed(a.astype(str)) if isinstance(a, np.ndarray) else a
        b = packed(b.astype(str)) if isinstance(b, np.ndarray) else b
    return a, b


def numbers(values: pd.Series, table: str, name: str) -> npt.NDArray[np.float64]:
    """A numeric column as float64 (missing → NaN); a value that is not a number is an error."""
    import pyarrow as pa

    s = values.reset_index(drop=True)
    arrow_double = isinstance(s.dtype, pd.ArrowDtype) and s.dtype.pyarrow_dtype == pa.float64()
    if s.dtype == np.float64 or (arrow_double and not s.hasnans):
        return np.ascontiguousarray(s.to_numpy())  # no copy when the column is one chunk
    if pd.api.types.is_numeric_dtype(s.dtype):  # numpy, nullable and Arrow numbers, booleans
        return np.ascontiguousarray(s.to_numpy(dtype=np.float64, na_value=np.nan))
    coerced = pd.to_numeric(s, errors="coerce")
    bad = (coerced.isna() & s.notna()).to_numpy()
    if bad.any():
        i = _first(bad)
        raise _error(table, i, name, f"{s.iloc[i]!r} is not a number")
    return np.ascontiguousarray(coerced.to_numpy(dtype=np.float64, na_value=np.nan))


def years(values: pd.Series, table: str, name: str) -> npt.NDArray[np.int32]:
    """A year column as int32 (dates count by their year); missing or fractional years are
    errors."""
    dtype = values.dtype
    dates = pd.api.types.is_object_dtype(dtype) and pd.api.types.infer_dtype(values) in (
        "date",
        "datetime",
    )
    if pd.api.types.is_datetime64_any_dtype(dtype) or dates:
        values = pd.to_datetime(values).dt.year
        dtype = values.dtype
    integer = pd.api.types.is_integer_dtype(dtype) and not pd.api.types.is_bool_dtype(dtype)
    if integer and not values.hasnans:  # the common case, without a detour through float64
        ints = values.to_numpy()  # no copy for int32 columns, numpy or Arrow
        if ints.dtype.kind not in "iu":
            ints = values.to_numpy(dtype=np.int64)
        if ints.dtype.itemsize >= 4 and len(ints):
            lo, hi = int(ints.min()), int(ints.max())
            if lo < -(2**31 - 1) or hi > 2**31 - 1:
                i = _first((ints < -(2**31 - 1)) | (ints > 2**31 - 1))
                raise _error(table, i, name, f"{int(ints[i])} is not a year")
        return np.ascontiguousarray(ints, dtype=np.int32)
    arr = numbers(values, table, name)
    if np.isnan(arr).any():
        raise _error(table, _first(np.isnan(arr)), name, "missing year")
    bad = (arr != np.round(arr)) | (np.abs(arr) > 2.0**31 - 1)
    if bad.any():
        i = _first(bad)
        raise _error(table, i, name, f"{arr[i].item()!r} is not a year")
    return arr.astype(np.int32)


def partition(values: pd.Series) -> tuple[list[str], npt.NDArray[np.int64]]:
    """Labels and codes (-1 = missing) of a categorical column."""
    s = values.reset_index(drop=True)
    if isinstance(s.dtype, pd.CategoricalDtype):
        labels = [str(c) for c in s.cat.categories]
        return labels, s.cat.codes.to_numpy(dtype=np.int64)
    codes, uniques = pd.factorize(s, use_na_sentinel=True)
    return [str(u) for u in uniques], codes.astype(np.int64)


def is_categorical(values: pd.Series) -> bool:
    dtype = values.dtype
    return (
        isinstance(dtype, pd.CategoricalDtype)
        or pd.api.types.is_object_dtype(dtype)
        or pd.api.types.is_string_dtype(dtype)
        or pd.api.types.is_bool_dtype(dtype)
    )


def firm_columns(
    frame: pd.DataFrame,
    firm_id: str,
    partitions: list[str],
    attributes: list[str],
    table: str,
) -> tuple[
    Ids,
    list[tuple[str, list[str], npt.NDArray[np.int64]]],
    list[tuple[str, npt.NDArray[np.float64]]],
]:
    """Splits a firms frame into ids, partitions (categorical columns) and attributes."""
    firm_ids = ids(column(frame, firm_id, table), table, firm_id)
    for name in [*partitions, *attributes]:
        column(frame, name, table)
    parts: list[tuple[str, list[str], npt.NDArray[np.int64]]] = []
    attrs: list[tuple[str, npt.NDArray[np.float64]]] = []
    for name in frame.columns:
        if name == firm_id:
            continue
        label = str(name)
        s = frame[name]
        if label in partitions or (label not in attributes and is_categorical(s)):
            labels, codes = partition(s)
            parts.append((label, labels, codes))
        elif label in attributes or pd.api.types.is_numeric_dtype(s.dtype):
            attrs.append((label, numbers(s, table, label)))
        else:
            raise _error(
                table,
                None,
                label,
                f"type {s.dtype} is neither categorical nor numeric; convert it first",
            )
    return firm_ids, parts, attrs


def optional(frame: pd.DataFrame, name: Any, default: str, table: str) -> pd.Series | None:
    """An optional column: ``name`` None skips it; the default name is used when present."""
    if name is None:
        return None
    if name is DEFAULT:
        return frame[default] if default in frame.columns else None
    return column(frame, str(name), table)


class _Default:
    """Marks a column argument left at its default: read the column if the table has it."""

    def __repr__(self) -> str:
        return "DEFAULT"


DEFAULT: Any = _Default()
