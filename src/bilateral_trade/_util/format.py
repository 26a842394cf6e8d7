"""Formatting of numbers and results for people (private)."""

from __future__ import annotations

import html
import math
from decimal import ROUND_HALF_UP, Decimal
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


class Presentable:
    """Mixin: ``summary()`` is also the ``str`` and the notebook display of a result."""

    def summary(self) -> Summary:  # pragma: no cover - overridden
        raise NotImplementedError

    def __str__(self) -> str:
        return str(self.summary())

    def _repr_html_(self) -> str:
        return self.summary()._repr_html_()
