"""Coercion of analysis inputs to validated values (private)."""

from __future__ import annotations

from typing import Any, cast

import numpy as np
import pandas as pd

from ..data.periods import Frequency, check_regular, format_periods
from ..data.series import TradeSeries, _as_float_array, _coerce
from ..errors import DataValidationError, InsufficientDataError

__all__ = ["as_values", "period_index", "value_at"]


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
    index, raw = _coerce(y, None)
    if len(index) == 0:
        raise InsufficientDataError(f"{field}: the series is empty")
    check_regular(index, field=f"{field}.index")
    values = _as_float_array(raw, index)
    bad = ~np.isfinite(values)
    if bad.any():
        raise DataValidationError(
            f"{field}: NaN or infinite values at {format_periods(index[bad])}; declare gaps by "
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
    return pd.Series(values, index=index, name=y.name), Frequency.parse(index.freqstr), None


def period_index(values: pd.Series) -> pd.PeriodIndex:
    """The PeriodIndex of values returned by :func:`as_values` (typed)."""
    return cast(pd.PeriodIndex, values.index)


def value_at(values: pd.Series, period: pd.Period) -> float:
    """The value at ``period`` as a float (the index is unique)."""
    pos = cast(int, period_index(values).get_loc(period))
    return float(values.to_numpy()[pos])
