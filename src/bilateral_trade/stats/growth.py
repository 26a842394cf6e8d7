"""Growth rates: year-on-year, year-to-date, compound annual growth and log changes.

All rates are fractions (``-0.05`` is −5%). A rate that cannot be computed is NaN
and is never compared with the wrong period: the base of a year-on-year rate is
the same period one year earlier, found by period arithmetic, and a missing base
gives NaN. A zero or subnormal base (below ``2.2e-308``), or a rate beyond the float
range, gives NaN and a :class:`~bilateral_trade.DataQualityWarning` naming the periods
(never ``inf``).
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np
import pandas as pd

from .._util.aliases import PeriodLike
from .._util.format import show
from ..data.periods import Frequency, format_periods, parse_period
from ..errors import DataValidationError, InsufficientDataError
from ..models.caveats import emit
from ..models.validators import as_values, check_int, period_index, value_at

__all__ = ["cagr", "log_change", "yoy", "ytd_yoy"]


_TINY = float(np.finfo(np.float64).tiny)


def _ratio(
    current: np.ndarray, base: np.ndarray, index: pd.PeriodIndex, lag: int, what: str
) -> np.ndarray:
    """Current / base, with NaN and a warning where the ratio is not a meaningful number.

    That is where the base is zero, where it is a subnormal number (below ``2.2e-308``,
    which keeps only a few significant digits: a rate on it has none), and where the
    ratio or a year-to-date sum exceeds the float range.
    """
    known = ~np.isnan(current) & ~np.isnan(base)
    zero = known & (base == 0)
    subnormal = known & (base != 0) & (np.abs(base) < _TINY)
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        out = current / np.where(zero | subnormal, np.nan, base)
    overflow = known & ~zero & ~subnormal & ~np.isfinite(out)
    for mask, why in (
        (zero, "the base is zero"),
        (subnormal, f"the base is below {_TINY:.3g} (a subnormal number, without precision)"),
        (overflow, "the rate exceeds the range of floating-point numbers"),
    ):
        if mask.any():
            affected = index[mask]
            emit(
                f"{what}: {why} for {format_periods(affected)} (base periods "
                f"{format_periods(affected - lag)}); the rate is NaN there",
                stacklevel=3,
            )
    out[overflow] = np.nan
    return np.asarray(out, dtype=np.float64)


def yoy(s: Any) -> pd.Series:
    """Year-on-year change as a fraction, by period.

    Annual data are compared with the previous year, quarterly with the same
    quarter and monthly with the same month one year earlier:
    ``yoy_t = y_t / y_{t-k} - 1`` with ``k`` periods per year.

    Parameters
    ----------
    s : TradeSeries or pandas.Series
        A series on a regular PeriodIndex or DatetimeIndex (see DESIGN conventions).

    Returns
    -------
    pandas.Series
        Named ``"yoy"``, on the index of ``s``. NaN for the first year, where the
        value or its base is missing, and where the base is zero.

    Warns
    -----
    DataQualityWarning
        When a base is zero, naming the periods.

    Examples
    --------
    >>> import bilateral_trade as bt
    >>> growth = bt.yoy(bt.datasets.china_dprk_trade())
    >>> round(float(growth["2024"]), 3)
    -0.05
    """
    values, freq, _ = as_values(s, field="s")
    k = freq.periods_per_year
    current = values.to_numpy()
    base = np.full_like(current, np.nan)
    base[k:] = current[:-k] if len(current) > k else base[k:]
    change = _ratio(current, base, period_index(values), k, "yoy") - 1.0
    return pd.Series(change, index=values.index, name="yoy")


def ytd_yoy(s: Any) -> pd.Series:
    """Year-to-date change on the same months (quarters) of the previous year.

    For period ``t`` of year ``Y``, ``ytd_t = sum(y[Y-01..t]) / sum(y[Y-1-01..t-12]) - 1``
    (quarters likewise). A year-to-date sum needs every period from the start of
    its year: if the series starts mid-year, or a period is missing, it is NaN.

    Parameters
    ----------
    s : TradeSeries or pandas.Series
        Monthly or quarterly.

    Returns
    -------
    pandas.Series
        Named ``"ytd_yoy"``, on the index of ``s``.

    Raises
    ------
    DataValidationError
        For annual data.
    """
    values, freq, _ = as_values(s, field="s")
    if freq is Frequency.ANNUAL:
        raise DataValidationError(
            "s: year-to-date change needs monthly or quarterly data; this series is annual "
            "(use yoy)",
            field="s",
            value=freq.value,
        )
    index = period_index(values)
    years = index.year
    within = np.asarray(index.month if freq is Frequency.MONTHLY else index.quarter)
    frame = pd.DataFrame({"v": values.to_numpy(), "year": years, "pos": within})
    # A running sum that is NaN once any period of the year so far is absent or missing.
    complete = frame.groupby("year")["v"].transform(lambda v: v.notna().cumprod().astype(bool))
    starts = frame.groupby("year")["pos"].transform("min") == 1
    ytd = frame.groupby("year")["v"].cumsum().where(complete & starts)
    k = freq.periods_per_year
    current = ytd.to_numpy(dtype=np.float64)
    base = np.full_like(current, np.nan)
    if len(current) > k:
        base[k:] = current[:-k]
    change = _ratio(current, base, period_index(values), k, "ytd_yoy") - 1.0
    return pd.Series(change, index=values.index, name="ytd_yoy")


def cagr(s: Any, start: PeriodLike, end: PeriodLike) -> float:
    """Compound annual growth rate between two periods.

    ``cagr = (y_end / y_start) ** (1 / years) - 1`` with ``years`` the distance
    between the periods in years (months / 12 for monthly data).

    Parameters
    ----------
    s : TradeSeries or pandas.Series
    start, end : period-like
        Periods of the series' own frequency, ``start`` before ``end``.

    Returns
    -------
    float
        A fraction per year.

    Raises
    ------
    DataValidationError
        A period outside the series, ``start`` not before ``end``, a missing value, a
        start value that is not positive (or subnormal, below ``2.2e-308``), or a rate
        beyond the range of floating-point numbers.
    """
    values, freq, _ = as_values(s, field="s")
    p0 = parse_period(start, freq, field="start")
    p1 = parse_period(end, freq, field="end")
    for name, p in (("start", p0), ("end", p1)):
        if p not in values.index:
            raise DataValidationError(
                f"{name}: {p} is outside the series ({values.index[0]} to {values.index[-1]})",
                field=name,
                value=str(p),
            )
    if p1 <= p0:
        raise DataValidationError(f"end: {p1} is not after start {p0}", field="end", value=str(p1))
    v0, v1 = value_at(values, p0), value_at(values, p1)
    for name, p, v in (("start", p0, v0), ("end", p1, v1)):
        if math.isnan(v):
            raise DataValidationError(
                f"{name}: the value at {p} is missing", field=name, value=str(p)
            )
    if v0 < _TINY:
        raise DataValidationError(
            f"start: the value at {p0} is {show(v0)}; a growth rate needs a positive start value"
            + (f" of at least {_TINY:.3g} (a normal floating-point number)" if v0 > 0 else ""),
            field="start",
            value=v0,
        )
    years = (p1.ordinal - p0.ordinal) / freq.periods_per_year
    ratio = v1 / v0
    try:
        if math.isfinite(ratio):
            rate = float(ratio ** (1.0 / years) - 1.0)
        else:  # the ratio exceeds the float range; the rate may not: compute it in logs
            rate = math.expm1((math.log(v1) - math.log(v0)) / years)
    except OverflowError:
        rate = math.inf
    if not math.isfinite(rate):
        raise DataValidationError(
            f"end: growing from {show(v0)} at {p0} to {show(v1)} at {p1} is a rate beyond the "
            "range of floating-point numbers",
            field="end",
            value=str(p1),
        )
    return rate


def log_change(s: Any, periods: int = 1) -> pd.Series:
    """Change in natural logarithms over ``periods`` periods: ``log y_t - log y_{t-periods}``.

    Parameters
    ----------
    s : TradeSeries or pandas.Series
    periods : int, default 1
        Distance in periods (use 12 on monthly data for a year-on-year log change).

    Returns
    -------
    pandas.Series
        Named ``"log_change"``. NaN where a value or its base is missing or zero.

    Warns
    -----
    DataQualityWarning
        Where a value or its base is zero (its logarithm is undefined).

    Raises
    ------
    DataValidationError
        If ``periods`` is not a positive integer.
    InsufficientDataError
        If the series has no more than ``periods`` observations.
    """
    periods = check_int(periods, "periods", minimum=1)
    values, _, _ = as_values(s, field="s")
    if len(values) <= periods:
        raise InsufficientDataError(
            f"log_change over {periods} periods needs at least {periods + 1} observations, "
            f"got {len(values)}"
        )
    arr = values.to_numpy()
    zero = arr == 0
    if zero.any():
        emit(
            f"log_change: zero values at {format_periods(values.index[zero])}; their log "
            "changes are NaN",
            stacklevel=2,
        )
    with np.errstate(divide="ignore"):
        logs = np.log(np.where(zero, np.nan, arr))
    out = np.full_like(logs, np.nan)
    out[periods:] = logs[periods:] - logs[:-periods]
    return pd.Series(out, index=values.index, name="log_change")
