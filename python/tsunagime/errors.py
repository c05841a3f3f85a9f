"""Exceptions raised by tsunagime.

Every error caused by bad input says what is wrong and where: ``source`` (a file path or the
name of an in-memory table), ``line`` (files: the line as an editor shows it, the header being
line 1) or ``row`` (tables: the 0-based position, as ``DataFrame.iloc``), and ``column``.

Each class also derives from the built-in exception a caller would expect, so
``except ValueError`` and ``except KeyError`` keep working.

Examples
--------
>>> import pandas as pd
>>> import tsunagime as tg
>>> trades = pd.DataFrame({"supplier": [1, 2], "customer": [2, 2]})
>>> try:
...     tg.TradeNetwork.from_frames(None, trades)
... except tg.errors.InputError as e:
...     print(e.row, e)
1 trades, row 1: self-loop: a firm cannot trade with itself (self_loops='drop' sets such rows aside)
"""

from __future__ import annotations

__all__ = [
    "DecodeError",
    "EncodeError",
    "InputError",
    "MissingColumnError",
    "NotFittedError",
    "ParameterError",
    "TsunagimeError",
    "UnknownFirmError",
    "UnknownNameError",
]


class TsunagimeError(Exception):
    """Base class of tsunagime's errors; carries where the problem is when known.

    Examples
    --------
    >>> import tsunagime as tg
    >>> try:
    ...     tg.TradeNetwork.from_frames(None, {"supplier": [1], "customer": [1]})
    ... except tg.errors.TsunagimeError as e:
    ...     print(e.source, e.row, e.column)
    trades 0 None
    """

    def __init__(
        self,
        message: str,
        *,
        source: str | None = None,
        line: int | None = None,
        row: int | None = None,
        column: str | None = None,
        **details: object,
    ) -> None:
        super().__init__(message)
        self.message = message
        self.source = source
        self.line = line
        self.row = row
        self.column = column
        for key, value in details.items():
            setattr(self, key, value)

    def __str__(self) -> str:
        return self.message


class InputError(TsunagimeError, ValueError):
    """A value in the input is malformed or not allowed (NaN amount, self-loop, empty id, …).

    Examples
    --------
    >>> import tsunagime as tg
    >>> tg.TradeNetwork.from_frames(None, {"supplier": [1], "customer": [2], "amount": [-1.0]})
    Traceback (most recent call last):
    ...
    tsunagime.errors.InputError: trades, row 0, column 'amount': negative amount: -1; ...
    """


class MissingColumnError(InputError):
    """A table lacks a column that the call needs.

    Examples
    --------
    >>> import tsunagime as tg
    >>> tg.TradeNetwork.from_frames(None, {"seller": [1], "customer": [2]})
    Traceback (most recent call last):
    ...
    tsunagime.errors.MissingColumnError: trades: missing column 'supplier' (columns present: ...)
    """


class UnknownFirmError(TsunagimeError, KeyError):
    """A firm id that the network does not know (``firm_id`` holds it).

    Examples
    --------
    >>> import tsunagime as tg
    >>> firms = {"firm_id": [1, 2]}
    >>> try:
    ...     tg.TradeNetwork.from_frames(firms, {"supplier": [1], "customer": [3]})
    ... except KeyError as e:
    ...     print(e.firm_id, e.column)
    3 customer
    """

    firm_id: str


class UnknownNameError(TsunagimeError, KeyError):
    """A partition or attribute name that the network does not have (``name`` holds it).

    Examples
    --------
    >>> import tsunagime as tg
    >>> net = tg.TradeNetwork.from_frames(None, {"supplier": [1], "customer": [2]})
    >>> try:
    ...     tg.linkage(net, region="prefecture")
    ... except KeyError as e:
    ...     print(e.name)
    prefecture
    """

    name: str


class ParameterError(TsunagimeError, ValueError):
    """A parameter is out of range or inconsistent (``parameter`` holds its name).

    Examples
    --------
    >>> import tsunagime as tg
    >>> try:
    ...     tg.PartnerRecommender("supplier", fusion="mean").fit(tg.datasets.synthetic_japan(300))
    ... except ValueError as e:
    ...     print(e.parameter)
    fusion
    """

    parameter: str


class DecodeError(TsunagimeError, ValueError):
    """Saved bytes (a pickled network, recommender or schedule) could not be decoded.

    Examples
    --------
    >>> import tsunagime as tg
    >>> from tsunagime._network import _unpickle
    >>> _unpickle(b"not a network")
    Traceback (most recent call last):
    ...
    tsunagime.errors.DecodeError: cannot decode saved data: ...
    """


class EncodeError(TsunagimeError, ValueError):
    """Data could not be written in its format (a network, recommender or schedule being
    pickled, a CSV record); a failure of the file itself is an ``OSError`` naming the file.

    Examples
    --------
    >>> import tsunagime as tg
    >>> issubclass(tg.errors.EncodeError, tg.errors.TsunagimeError)
    True
    """


class NotFittedError(TsunagimeError, ValueError, AttributeError):
    """An estimator was used before ``fit`` (a ``ValueError`` and an ``AttributeError``, as
    scikit-learn's error of the same name).

    Examples
    --------
    >>> import tsunagime as tg
    >>> tg.PartnerRecommender("customer").recommend(k=3)
    Traceback (most recent call last):
    ...
    tsunagime.errors.NotFittedError: ...
    """


#: The range of a year (and of a span of years) in the core: i32.
_YEARS = (-(2**31), 2**31 - 1)


def _whole(value: object, parameter: str, least: int = 0, most: int = 2**64 - 1) -> int:
    """``value`` as a plain int in ``least..=most``, else an error naming ``parameter``.

    The native module takes counts and seeds as unsigned integers; without this check a
    negative or huge value surfaced as an OverflowError that named neither the parameter nor
    the range.

    Examples
    --------
    >>> import numpy as np
    >>> _whole(np.int64(7), "seed")
    7
    >>> _whole(-1, "seed")
    Traceback (most recent call last):
    ...
    tsunagime.errors.ParameterError: invalid parameter 'seed': must be at least 0, got -1
    """
    if isinstance(value, bool) or not hasattr(value, "__index__"):
        raise TypeError(f"parameter '{parameter}': {value!r} is not a whole number")
    number = int(value.__index__())
    if not least <= number <= most:
        bound = f"at least {least}" if number < least else f"at most {most}"
        raise ParameterError(
            f"invalid parameter '{parameter}': must be {bound}, got {number}", parameter=parameter
        )
    return number


#: The class of each kind of error the native module raises, handed to it at import.
_CLASSES: dict[str, type[TsunagimeError]] = {
    "input": InputError,
    "missing_column": MissingColumnError,
    "unknown_firm": UnknownFirmError,
    "unknown_name": UnknownNameError,
    "parameter": ParameterError,
    "decode": DecodeError,
    "encode": EncodeError,
}

if __name__ == "tsunagime.errors":  # not a copy imported by file path (pytest's importlib mode)
    from tsunagime._tsunagime import _register_errors

    _register_errors(_CLASSES)
