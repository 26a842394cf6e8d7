"""Checks of scalar arguments, written once for every public function (private).

Every check names the argument, shows the value it got and says what to give instead, and
raises :class:`~bilateral_trade.DataValidationError` (also a :class:`ValueError`). They are
re-exported, with the checks of data and statistics, by :mod:`bilateral_trade.models.validators`;
they live here, in the lowest layer, so that the data model and the readers use them too.

* :func:`check_bool` — ``True`` or ``False`` only: ``"no"``, ``"False"``, ``None``, ``0``
  and ``1`` are refused (a truthy string would silently run the other model).
* :func:`check_int` — a whole number (numpy integers included, booleans refused) within bounds.
* :func:`check_choice` — one of a fixed set of strings.
* :func:`check_level` — a confidence level in (0, 1).
* :func:`check_number` — a finite real number (booleans and complex numbers refused).
* :func:`check_text` — a string (a source, a note, a date as text), optionally None.
* :func:`numeric_column` — a column of real numbers: booleans of every dtype, complex
  numbers and pandas ``NA`` refused, naming the position.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from typing import Any, TypeVar

import numpy as np
import pandas as pd

from ..errors import DataValidationError
from .format import show

__all__ = [
    "check_bool",
    "check_choice",
    "check_int",
    "check_level",
    "check_number",
    "check_text",
    "numeric_column",
]

S = TypeVar("S", bound=str)


def check_bool(value: Any, field: str) -> bool:
    """``value`` as a Python bool; only ``True`` and ``False`` (or numpy booleans) pass.

    Raises
    ------
    DataValidationError
        Anything else, e.g. ``"no"``, ``"False"``, ``None``, ``0`` or ``1``.

    Examples
    --------
    >>> check_bool(True, "log")
    True
    >>> check_bool("no", "log")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    bilateral_trade.errors.DataValidationError: log: 'no' is not True or False; ...
    """
    if isinstance(value, bool | np.bool_):
        return bool(value)
    raise DataValidationError(
        f"{field}: {show(value)} is not True or False; give {field}=True or {field}=False",
        field=field,
        value=value,
    )


def check_int(
    value: Any,
    field: str,
    *,
    minimum: int | None = None,
    maximum: int | None = None,
    allowed: Iterable[int] | None = None,
    hint: str = "",
) -> int:
    """``value`` as a Python int within ``[minimum, maximum]`` (and among ``allowed``).

    Booleans, floats (even ``3.0``) and strings are refused.

    Raises
    ------
    DataValidationError
        Naming ``field``, the value and the bounds (and ``hint``, when given).
    """
    ok = isinstance(value, int | np.integer) and not isinstance(value, bool | np.bool_)
    among = None if allowed is None else tuple(allowed)
    if (
        ok
        and (minimum is None or value >= minimum)
        and (maximum is None or value <= maximum)
        and (among is None or value in among)
    ):
        return int(value)
    if among is not None:
        wanted = " or ".join(map(str, among))
    elif minimum is not None and maximum is not None:
        wanted = f"a whole number from {minimum} to {maximum}"
    elif minimum == 1:
        wanted = "a positive whole number"
    elif minimum == 0:
        wanted = "a non-negative whole number"
    elif minimum is not None:
        wanted = f"a whole number of at least {minimum}"
    elif maximum is not None:
        wanted = f"a whole number of at most {maximum}"
    else:
        wanted = "a whole number"
    raise DataValidationError(
        f"{field}: {show(value)} is not {wanted}" + (f"; {hint}" if hint else ""),
        field=field,
        value=value,
    )


def check_choice(value: Any, field: str, choices: Iterable[S], *, hint: str = "") -> S:
    """``value`` if it is one of ``choices`` (strings, compared exactly).

    ``hint`` (what each choice means) is added to the message.

    Raises
    ------
    DataValidationError
        Listing the choices.
    """
    options = tuple(choices)
    if isinstance(value, str) and value in options:
        return value
    raise DataValidationError(
        f"{field}: {show(value)} is not one of {', '.join(map(repr, options))}"
        + (f"; {hint}" if hint else ""),
        field=field,
        value=value,
    )


def check_number(
    value: Any,
    field: str,
    *,
    minimum: float | None = None,
    maximum: float | None = None,
    open_bounds: bool = False,
    what: str = "a finite number",
    hint: str = "",
) -> float:
    """``value`` as a finite float, within the bounds (open bounds when ``open_bounds``).

    ``what`` names the kind of number in the message (e.g. ``"a CIF/FOB factor"``);
    ``hint`` (what the number means, a typical value) is added to it.

    Raises
    ------
    DataValidationError
        A boolean, a complex number, a string, NaN, an infinity or a value out of bounds.
    """
    numeric = isinstance(value, int | float | np.integer | np.floating) and not isinstance(
        value, bool | np.bool_
    )
    if numeric and math.isfinite(float(value)):
        x = float(value)
        low_ok = minimum is None or (x > minimum if open_bounds else x >= minimum)
        high_ok = maximum is None or (x < maximum if open_bounds else x <= maximum)
        if low_ok and high_ok:
            return x
    lo, hi = ("(", ")") if open_bounds else ("[", "]")
    span = (
        f" in {lo}{show(minimum) if minimum is not None else '-inf'}, "
        f"{show(maximum) if maximum is not None else 'inf'}{hi}"
        if minimum is not None or maximum is not None
        else ""
    )
    raise DataValidationError(
        f"{field}: {show(value)} is not {what}{span}" + (f"; {hint}" if hint else ""),
        field=field,
        value=value,
    )


def check_text(value: Any, field: str, *, optional: bool = False, hint: str = "") -> str | None:
    """``value`` if it is a string (or None, when ``optional``).

    Raises
    ------
    DataValidationError
        A number, a list, bytes, or None where text is required.
    """
    if isinstance(value, str) or (optional and value is None):
        return value
    raise DataValidationError(
        f"{field}: {show(value)} is not text" + (f" ({hint})" if hint else ""),
        field=field,
        value=value,
    )


def check_level(value: Any, field: str = "level") -> float:
    """A confidence level strictly between 0 and 1, e.g. 0.95.

    Raises
    ------
    DataValidationError
        Anything else (1.5, 95, 0, a boolean, a string).
    """
    numeric = isinstance(value, int | float | np.integer | np.floating) and not isinstance(
        value, bool | np.bool_
    )
    if numeric and 0 < float(value) < 1:
        return float(value)
    raise DataValidationError(
        f"{field}: {show(value)} is not a confidence level between 0 and 1 (e.g. 0.95)",
        field=field,
        value=value,
    )


def numeric_column(
    values: Any, field: str, labels: Any = None, hint: str = "", column: str = ""
) -> np.ndarray:
    """The float64 values of a column of real numbers.

    Missing values (NaN, None, pandas ``NA``) become NaN, for the caller to judge.
    ``labels`` (e.g. the periods) name the offending position in messages (by default the
    column's index); ``hint`` is added to the message for a cell that is not a number;
    ``column`` names the column in a message about the whole column (``"donor 'A'"``).

    Raises
    ------
    DataValidationError
        Booleans (numpy ``bool``, pandas ``boolean``, or ``True``/``False`` cells in an
        object column), complex numbers, or a cell that is not a number (naming it and its
        position).
    """
    series = values if isinstance(values, pd.Series) else pd.Series(values)
    where = series.index if labels is None else labels  # named only in an error (boxing is slow)
    dtype = series.dtype
    of = f" of {column}" if column else ""
    if pd.api.types.is_bool_dtype(dtype):
        raise DataValidationError(
            f"{field}: the values{of} are booleans (True/False), not numbers; convert them "
            "explicitly (e.g. .astype(float)) if 1/0 is meant",
            field=field,
            value=str(dtype),
        )
    if pd.api.types.is_complex_dtype(dtype):
        raise DataValidationError(
            f"{field}: the values{of} are complex numbers; give real numbers",
            field=field,
            value=str(dtype),
        )
    if not (pd.api.types.is_object_dtype(dtype) or pd.api.types.is_extension_array_dtype(dtype)):
        try:
            return np.asarray(series.to_numpy(dtype=np.float64))
        except (TypeError, ValueError):
            pass
    cells = series.astype(object).to_numpy()
    out = np.empty(len(cells), dtype=np.float64)
    for i, cell in enumerate(cells):
        if isinstance(cell, bool | np.bool_):
            raise DataValidationError(
                f"{field}: {show(cell)} at {where[i]} is a boolean, not a number",
                field=field,
                value=bool(cell),
            )
        if isinstance(cell, complex | np.complexfloating):
            raise DataValidationError(
                f"{field}: {show(cell)} at {where[i]} is a complex number; give real numbers",
                field=field,
                value=str(cell),
            )
        if cell is None or cell is pd.NA or (isinstance(cell, float) and math.isnan(cell)):
            out[i] = math.nan
            continue
        try:
            out[i] = float(cell)
        except (TypeError, ValueError):
            raise DataValidationError(
                f"{field}: {show(cell)} at {where[i]} is not a number"
                + (f" ({hint})" if hint else ""),
                field=field,
                value=cell,
            ) from None
    return out
