"""Formatting of numbers and results for people (private)."""

from __future__ import annotations

import html
import math
from decimal import ROUND_HALF_UP, Decimal

_SYMBOLS = {"USD": "$", "EUR": "€", "GBP": "£", "JPY": "¥", "CNY": "CN¥"}


def json_number(x: float | None) -> float | None:
    """A float for JSON: None for NaN, infinities and None."""
    if x is None or not math.isfinite(float(x)):
        return None
    return float(x)


class Summary(str):
    """Readable text of a result; shown as preformatted text in notebooks."""

    __slots__ = ()

    def _repr_html_(self) -> str:
        return f"<pre>{html.escape(self)}</pre>"

    def __repr__(self) -> str:
        return str(self)


def money(value: float, unit: str = "USD", digits: int = 2) -> str:
    """``2180390000`` → ``"$2.18bn"``; NaN → ``"n/a"``."""
    if value is None or math.isnan(value):
        return "n/a"
    prefix = _SYMBOLS.get(unit, "")
    suffix = "" if prefix else f" {unit}"
    sign = "-" if value < 0 else ""
    size = abs(float(value))
    for scale, word in ((10**12, "tn"), (10**9, "bn"), (10**6, "m"), (10**3, "k")):
        if size >= scale:
            # Decimal rounding of the printed digits: 6.545e9 shows as 6.55bn, not 6.54bn.
            scaled = (Decimal(repr(size)) / scale).quantize(
                Decimal(1).scaleb(-digits), rounding=ROUND_HALF_UP
            )
            return f"{sign}{prefix}{scaled}{word}{suffix}"
    return f"{sign}{prefix}{size:.0f}{suffix}"


def pct(fraction: float, digits: int = 1, signed: bool = True) -> str:
    """``-0.0501`` → ``"-5.0%"``; NaN → ``"n/a"``."""
    if fraction is None or math.isnan(fraction):
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
