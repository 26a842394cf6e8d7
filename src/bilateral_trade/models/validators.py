"""Validation, once: the checks every public function runs at its boundary.

* scalar arguments (re-exported from :mod:`bilateral_trade._util.checks`, where the data model
  and the readers use them too): :func:`check_bool`, :func:`check_int`, :func:`check_choice`,
  :func:`check_level`, :func:`check_number`;
* analysis inputs: :func:`as_values` (a TradeSeries, or a pandas Series on a regular
  PeriodIndex or DatetimeIndex, with finite, real, non-boolean values; :func:`as_array` the
  same as a float64 array and its periods), :func:`numeric_column`
  (a column of real numbers: booleans of every dtype, complex numbers and pandas ``NA``
  refused by name), :func:`check_same_unit` (two series an estimator combines);
* the rules of statistics: :func:`exact_fit_tolerance` (a residual sum of squares that is
  zero up to rounding), :func:`finite_statistic` (a statistic that is not a finite number
  has no p-value), :func:`pow2_scale` (exact rescaling by powers of two, so that sums of
  squares neither overflow nor underflow whatever the unit of the data) and
  :func:`rank_p_value` (a permutation p-value whose ties are not decided by rounding).

A new estimator gets these by calling them, not by writing them.
"""

from __future__ import annotations

import math
from collections.abc import Hashable
from typing import Any, NamedTuple, cast

import numpy as np
import pandas as pd

from .._util.checks import (
    check_bool,
    check_choice,
    check_int,
    check_level,
    check_number,
    numeric_column,
)
from ..data.periods import Frequency, check_regular, format_periods
from ..data.series import TradeSeries, _as_float_array, _coerce
from ..errors import DataValidationError, InsufficientDataError

__all__ = [
    "EXACT_FIT_FACTOR",
    "Values",
    "as_array",
    "as_values",
    "check_bool",
    "check_choice",
    "check_int",
    "check_level",
    "check_level_range",
    "check_number",
    "check_same_unit",
    "exact_fit_tolerance",
    "finite_statistic",
    "numeric_column",
    "period_index",
    "pow2_scale",
    "rank_p_value",
    "ties_or_exceeds",
    "unit_of",
    "value_at",
]

#: ``C`` in the exact-fit bound of :func:`exact_fit_tolerance`.
EXACT_FIT_FACTOR = 1000.0
_EPS = float(np.finfo(np.float64).eps)


def exact_fit_tolerance(tss: np.ndarray | float, sumsq: np.ndarray | float, n: int) -> np.ndarray:
    """Largest residual sum of squares that is zero up to rounding (an exact fit).

    ``C n eps TSS + (n eps)^2 sum(y^2)`` with ``TSS = sum((y - mean y)^2)``, ``eps`` the
    machine epsilon and ``C`` = :data:`EXACT_FIT_FACTOR`. The first term bounds the rounding
    error of residual sums of squares obtained from cumulative cross-product sums (at most
    about ``n eps TSS`` for well-conditioned regressors; ``C`` is the margin), the second the
    rounding of the data themselves (each value carries a relative error of ``eps``). Both
    scale with ``y^2``, so the bound is invariant to scaling ``y``; an RSS at or below it
    cannot be told apart from zero, and an F statistic with it in the denominator is not a
    number.
    """
    return np.asarray(
        EXACT_FIT_FACTOR * n * _EPS * np.asarray(tss) + (n * _EPS) ** 2 * np.asarray(sumsq),
        dtype=np.float64,
    )


def finite_statistic(value: float, name: str) -> float:
    """``value`` if finite; otherwise the typed error (a statistic that is not a number).

    Raises
    ------
    InsufficientDataError
        NaN or an infinity: no p-value may be attached to it.
    """
    if not math.isfinite(value):
        raise InsufficientDataError(
            f"y: {name} is not a finite number ({value}) for these data (a regressor without "
            "variation within a regime, or a singular covariance); there is no p-value"
        )
    return float(value)


#: The smallest positive normal float64; values below it keep only a few significant digits.
TINY = float(np.finfo(np.float64).tiny)


def pow2_scale(amax: Any) -> np.ndarray:
    """The power of two ``2^e`` with ``amax / 2^e`` in [1, 2) (1 where ``amax`` is 0).

    Dividing data by it is exact (only the exponent changes), so every scale-invariant
    statistic is unchanged while no sum of squares can overflow or underflow. Finite for
    every finite ``amax`` (at most ``2^1023``).
    """
    a = np.asarray(amax, dtype=np.float64)
    if a.ndim == 0:  # one scale (the common case): the same exponent, without array calls
        value = float(a)
        return np.asarray(math.ldexp(1.0, math.frexp(value)[1] - 1) if value > 0 else 1.0)
    _, exponent = np.frexp(a)
    return np.asarray(np.ldexp(1.0, np.where(a > 0, exponent - 1, 0)), dtype=np.float64)


#: Relative difference within which two statistics of a permutation test tie.
RANK_RTOL = 1e-9


def ties_or_exceeds(draws: Any, observed: float) -> np.ndarray:
    """Which draws of a permutation test are at least as large as the observed statistic.

    A draw within a relative :data:`RANK_RTOL` of ``observed`` ties with it and counts.
    Statistics that are equal in exact arithmetic (the RMSPE ratios of donors proportional
    to the treated unit, say) differ by rounding, which changes with the unit of the data:
    rounding must not decide a rank, so such draws count as at least as large, as the exact
    statistics would.
    """
    arr = np.asarray(draws, dtype=np.float64)
    return np.asarray(arr >= observed - RANK_RTOL * abs(observed))


def rank_p_value(draws: Any, observed: float) -> float:
    """The permutation p-value ``(1 + k) / (1 + m)``: ``k`` of the ``m`` draws tie or exceed.

    The observed statistic counts as one draw, so the p-value is never 0 and at least
    ``1 / (1 + m)``; ties are those of :func:`ties_or_exceeds`.

    Examples
    --------
    >>> rank_p_value([1.0, 2.0, 3.0], 2.0)
    0.75
    >>> rank_p_value([1.0, 2.0 * (1 - 1e-15)], 2.0)  # a tie up to rounding
    0.6666666666666666
    """
    hits = ties_or_exceeds(draws, observed)
    return (1 + int(hits.sum())) / (1 + hits.size)


#: Outcomes in levels beyond this magnitude (or below its inverse) are refused by the methods
#: that square them in data units (the impact regression, synthetic control in levels).
LEVEL_RANGE = 1e150


def check_level_range(values: Any, field: str, method: str) -> None:
    """Refuse outcomes in levels whose squares leave the range of floating-point numbers.

    ``method`` squares values in data units (variances, RMSPE); at 1e200 they overflow and at
    1e-200 they underflow, which would give infinite or zero standard errors. The message
    says to change the unit (or to use logs).

    Raises
    ------
    DataValidationError
        The largest absolute value above 1e150, or below 1e-150 (and not zero).
    """
    if values is None:
        return
    arr = np.asarray(values, dtype=np.float64)
    amax = float(np.nanmax(np.abs(arr))) if arr.size else 0.0
    if amax > LEVEL_RANGE or 0.0 < amax < 1.0 / LEVEL_RANGE:
        raise DataValidationError(
            f"{field}: its largest absolute value, {amax:.3g}, is outside the range {method} "
            "can square in this unit (1e-150 to 1e150); express the series in another unit "
            "(e.g. billions), or use log=True",
            field=field,
            value=amax,
        )


def unit_of(x: Any) -> str | None:
    """The unit of a :class:`~bilateral_trade.TradeSeries` or panel (None: it carries none)."""
    if isinstance(x, str):
        return x
    unit = getattr(x, "unit", None)
    return unit if isinstance(unit, str) and unit else None


def check_same_unit(a: Any, b: Any, field: str, *, against: str = "y") -> None:
    """Refuse combining two inputs of different units or currencies (``field`` vs ``against``).

    ``a`` and ``b`` are series or panels (their ``unit``) or unit strings; one without a unit
    (a pandas Series) passes: its unit is the caller's responsibility.

    Raises
    ------
    DataValidationError
        The units differ (e.g. EUR against USD), naming both.
    """
    ua, ub = unit_of(a), unit_of(b)
    if ua is not None and ub is not None and ua != ub:
        raise DataValidationError(
            f"{field}: the unit is {ua}, the unit of {against} is {ub}; convert one of them "
            "first (the two are combined, so they must be in the same unit)",
            field=field,
            value=ua,
        )


class Values(NamedTuple):
    """Checked values as :func:`as_array` returns them."""

    array: np.ndarray  #: float64 values
    periods: pd.PeriodIndex  #: regular, sorted, unique
    frequency: Frequency
    series: TradeSeries | None  #: the TradeSeries given, if one was
    name: Hashable  #: the name of the pandas Series (the label of a TradeSeries)


def as_array(y: Any, *, field: str = "y", nonnegative: bool = True) -> Values:
    """:func:`as_values` as a float64 array with its periods (no pandas Series is built).

    The same checks and errors as :func:`as_values`, for estimators that compute on arrays.
    """
    if isinstance(y, TradeSeries):
        own = y.values
        return Values(own.to_numpy(dtype=np.float64), period_index(own), y.frequency, y, own.name)
    if not isinstance(y, pd.Series):
        raise DataValidationError(
            f"{field}: expected a TradeSeries or a pandas Series, got {type(y).__name__}",
            field=field,
            value=type(y).__name__,
        )
    if not isinstance(y.index, pd.PeriodIndex | pd.DatetimeIndex):
        raise DataValidationError(
            f"{field}: a pandas Series needs a PeriodIndex or DatetimeIndex, got "
            f"{type(y.index).__name__}; build a TradeSeries to parse period labels",
            field=field,
            value=type(y.index).__name__,
        )
    try:
        index, raw = _coerce(y, None)
    except DataValidationError as exc:  # "index: …" names the input it is the index of
        raise DataValidationError(
            f"{field}.{exc}", field=f"{field}.{exc.field}", value=exc.value
        ) from None
    if len(index) == 0:
        raise InsufficientDataError(f"{field}: the series is empty")
    check_regular(index, field=f"{field}.index")
    values = _as_float_array(raw, index, field)
    bad = ~np.isfinite(values)
    if bad.any():
        raise DataValidationError(
            f"{field}: missing (NaN or NA) or infinite values at {format_periods(index[bad])}; "
            "declare gaps by "
            "building a TradeSeries with gaps='keep', or supply the figures",
            field=field,
            value=[str(p) for p in index[bad]],
        )
    if nonnegative and (values < 0).any():
        neg = values < 0
        raise DataValidationError(
            f"{field}: negative values at {format_periods(index[neg])}; trade values cannot be "
            "negative",
            field=field,
            value=[str(p) for p in index[neg]],
        )
    return Values(values, index, Frequency.parse(index.freqstr), None, y.name)


def as_values(
    y: Any, *, field: str = "y", nonnegative: bool = True
) -> tuple[pd.Series, Frequency, TradeSeries | None]:
    """Return the float64 values on a regular PeriodIndex, the frequency and the TradeSeries.

    A :class:`TradeSeries` is already valid (its missing values are declared). A
    pandas Series is checked like one: a regular, sorted, unique PeriodIndex or
    DatetimeIndex, finite values, no NaN (declare gaps by building a TradeSeries
    with ``gaps="keep"``) and, with ``nonnegative``, no negative value.

    Raises
    ------
    DataValidationError
        For anything else, naming ``field``.
    """
    if isinstance(y, TradeSeries):
        return y.values, y.frequency, y
    checked = as_array(y, field=field, nonnegative=nonnegative)
    values = pd.Series(checked.array, index=checked.periods, name=checked.name)
    return values, checked.frequency, None


def period_index(values: pd.Series) -> pd.PeriodIndex:
    """The PeriodIndex of values returned by :func:`as_values` (typed)."""
    return cast(pd.PeriodIndex, values.index)


def value_at(values: pd.Series, period: pd.Period) -> float:
    """The value at ``period`` as a float (the index is unique)."""
    pos = cast(int, period_index(values).get_loc(period))
    return float(values.to_numpy()[pos])
