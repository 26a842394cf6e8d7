"""Formatting of numbers and results for people (private)."""

from __future__ import annotations

import datetime as _dt
import html
import math
from collections.abc import Mapping
from decimal import ROUND_HALF_UP, Decimal
from enum import Enum
from typing import Any

import numpy as np
import pandas as pd

from .aliases import JSONValue

_SYMBOLS = {"USD": "$", "EUR": "€", "GBP": "£", "JPY": "¥", "CNY": "CN¥"}


def json_number(x: float | None) -> float | None:
    """A float for JSON: None for NaN, infinities and None."""
    if x is None or not math.isfinite(float(x)):
        return None
    return float(x)


def json_value(value: Any) -> JSONValue:
    """Any value of a result as strict JSON (``json.dumps(..., allow_nan=False)`` works).

    NaN, infinities, ``NaT`` and ``None`` become ``None``; numpy scalars become Python
    numbers; periods, timestamps and dates become strings (ISO dates for dates); enums
    their values; mappings dicts with string keys; lists, tuples, sets and arrays lists;
    an object with ``to_dict()`` its dictionary; anything else its ``str``.
    """
    if value is None or value is pd.NaT:
        return None
    if isinstance(value, bool | np.bool_):
        return bool(value)
    if isinstance(value, Enum):
        return json_value(value.value)
    if isinstance(value, str):
        return str(value)
    if isinstance(value, int | np.integer):
        return int(value)
    if isinstance(value, float | np.floating):
        return json_number(float(value))
    if isinstance(value, pd.Period):
        return str(value)
    if isinstance(value, pd.Timestamp):
        return value.isoformat()
    if isinstance(value, _dt.date):
        return value.isoformat()
    if isinstance(value, Mapping):
        return {str(k): json_value(v) for k, v in value.items()}
    if isinstance(value, pd.Series):
        return {str(k): json_value(v) for k, v in value.items()}
    if isinstance(value, list | tuple | set | frozenset | np.ndarray | pd.Index):
        return [json_value(v) for v in value]
    to_dict = getattr(value, "to_dict", None)
    if callable(to_dict):
        return json_value(to_dict())
    return str(value)


def json_rows(frame: pd.DataFrame) -> dict[str, JSONValue]:
    """A table of numbers and flags by period for JSON: ``{period: {column: value}}``.

    Floats go through :func:`json_number` (NaN and infinities become None); other cells are
    flags and become booleans.
    """
    return {
        str(p): {
            str(k): (json_number(v) if isinstance(v, float) else bool(v)) for k, v in row.items()
        }
        for p, row in frame.to_dict(orient="index").items()
    }


class Summary(str):
    """Readable text of a result; shown as preformatted text in notebooks."""

    __slots__ = ()

    def _repr_html_(self) -> str:
        return f"<pre>{html.escape(self)}</pre>"

    def __repr__(self) -> str:
        return str(self)


def show(value: Any) -> str:
    """``repr`` of a value for a message, with numpy scalars shown as Python numbers.

    ``np.float64(15.42)`` is shown as ``15.42``, ``np.int64(3)`` as ``3``; lists and tuples
    of numpy scalars likewise.
    """
    if isinstance(value, np.generic):
        return repr(value.item())
    if isinstance(value, list | tuple):
        inner = ", ".join(show(v) for v in value)
        return (
            f"[{inner}]"
            if isinstance(value, list)
            else f"({inner}{',' if len(value) == 1 else ''})"
        )
    return repr(value)


def money(value: float, unit: str = "USD", digits: int = 2) -> str:
    """``2180390000`` → ``"$2.18bn"``; NaN or infinite → ``"n/a"``.

    Amounts of a thousand trillion and more are written in scientific notation
    (``"$1.50e+300"``).
    """
    if value is None or not math.isfinite(float(value)):
        return "n/a"
    prefix = _SYMBOLS.get(unit, "")
    suffix = "" if prefix or not unit else f" {unit}"
    sign = "-" if value < 0 else ""
    size = abs(float(value))
    if size >= 1e15:
        return f"{sign}{prefix}{size:.{digits}e}{suffix}"
    for scale, word in ((10**12, "tn"), (10**9, "bn"), (10**6, "m"), (10**3, "k")):
        if size >= scale:
            # Decimal rounding of the printed digits: 6.545e9 shows as 6.55bn, not 6.54bn.
            scaled = (Decimal(repr(size)) / scale).quantize(
                Decimal(1).scaleb(-digits), rounding=ROUND_HALF_UP
            )
            return f"{sign}{prefix}{scaled}{word}{suffix}"
    return f"{sign}{prefix}{size:.0f}{suffix}"


def pct(fraction: float, digits: int = 1, signed: bool = True) -> str:
    """``-0.0501`` → ``"-5.0%"``; NaN or infinite → ``"n/a"``."""
    if fraction is None or not math.isfinite(float(fraction)):
        return "n/a"
    return f"{fraction * 100:+.{digits}f}%" if signed else f"{fraction * 100:.{digits}f}%"
