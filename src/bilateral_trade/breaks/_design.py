"""The regression model of the break tests: y, the regressors and their checks (private).

Model: ``y_t = x_t' b_j + u_t`` in regime ``j``, with an intercept always included,
optionally a linear trend ``t = 1, …, n`` and the columns of ``exog``; every
coefficient may break (pure structural change, as strucchange's formula interface).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from .._input import as_values, period_index
from .._periods import Frequency, format_periods
from ..errors import DataValidationError, InsufficientDataError
from ..series import TradeSeries

__all__ = ["Design", "build_design", "resolve_trim"]


@dataclass(frozen=True, eq=False)
class Design:
    """Response, regressors and metadata of one break-test model."""

    y: np.ndarray
    X: np.ndarray
    index: pd.PeriodIndex
    frequency: Frequency
    names: tuple[str, ...]
    label: str
    log: bool
    trend: bool
    meta: dict[str, Any] = field(default_factory=dict)

    @property
    def n(self) -> int:
        """Number of observations."""
        return int(self.y.shape[0])

    @property
    def k(self) -> int:
        """Number of regressors (intercept included)."""
        return int(self.X.shape[1])

    def options(self) -> dict[str, Any]:
        """The model options, for results."""
        return {"trend": self.trend, "log": self.log, "regressors": list(self.names)}


def build_design(y: Any, *, exog: Any = None, trend: bool = False, log: bool = False) -> Design:
    """Validate the inputs of a break test and build ``y`` and ``X``.

    Raises
    ------
    DataValidationError
        Missing values in ``y`` or ``exog``, ``exog`` on another index, ``log=True``
        with a non-positive value, collinear regressors (naming the columns).
    InsufficientDataError
        A constant ``y``.
    """
    values, freq, series = as_values(y, field="y", nonnegative=False)
    index = period_index(values)
    arr = values.to_numpy(dtype=np.float64)
    if np.isnan(arr).any():
        bad = index[np.isnan(arr)]
        raise DataValidationError(
            f"y: missing values at {format_periods(bad)}; break tests need a complete series "
            "(slice the series to a complete stretch first)",
            field="y",
            value=[str(p) for p in bad],
        )
    if log:
        if (arr <= 0).any():
            bad = index[arr <= 0]
            raise DataValidationError(
                f"y: log=True needs positive values; non-positive at {format_periods(bad)}",
                field="y",
                value=[str(p) for p in bad],
            )
        arr = np.log(arr)
    if np.ptp(arr) == 0:
        raise InsufficientDataError(
            f"y: the series is constant ({arr[0]!r} throughout); there is nothing to test"
        )
    columns = [np.ones_like(arr)]
    names = ["const"]
    if trend:
        columns.append(np.arange(1.0, len(arr) + 1.0))
        names.append("trend")
    if exog is not None:
        frame = _exog_frame(exog, index)
        for name in frame.columns:
            columns.append(frame[name].to_numpy(dtype=np.float64))
            names.append(str(name))
    X = np.column_stack(columns)
    _check_rank(X, names)
    label = series.label if isinstance(series, TradeSeries) else str(values.name or "y")
    return Design(
        y=arr,
        X=X,
        index=index,
        frequency=freq,
        names=tuple(names),
        label=("log " if log else "") + label,
        log=log,
        trend=trend,
    )


def _exog_frame(exog: Any, index: pd.PeriodIndex) -> pd.DataFrame:
    if isinstance(exog, pd.Series):
        exog = exog.to_frame()
    if not isinstance(exog, pd.DataFrame):
        raise DataValidationError(
            f"exog: expected a pandas DataFrame, got {type(exog).__name__}",
            field="exog",
            value=type(exog).__name__,
        )
    ex_index = exog.index
    if isinstance(ex_index, pd.DatetimeIndex):
        ex_index = ex_index.to_period(index.freqstr)
    if not isinstance(ex_index, pd.PeriodIndex) or not ex_index.equals(index):
        shown = f"{ex_index[0]} to {ex_index[-1]}" if len(ex_index) else "empty"
        raise DataValidationError(
            f"exog: the index ({shown}, {len(ex_index)} rows) is not the index of y "
            f"({index[0]} to {index[-1]}, {len(index)} rows); align exog with y first",
            field="exog",
            value=shown,
        )
    frame = exog.set_axis(index)
    for name in frame.columns:
        try:
            col = frame[name].to_numpy(dtype=np.float64)
        except (TypeError, ValueError):
            raise DataValidationError(
                f"exog: column {name!r} is not numeric", field="exog", value=name
            ) from None
        bad = ~np.isfinite(col)
        if bad.any():
            raise DataValidationError(
                f"exog: column {name!r} has missing or infinite values at "
                f"{format_periods(index[bad])}",
                field="exog",
                value=name,
            )
    return frame


def _check_rank(X: np.ndarray, names: list[str]) -> None:
    rank = np.linalg.matrix_rank(X)
    if rank == X.shape[1]:
        return
    # Name the columns that are linear combinations of the ones before them.
    culprits = [
        names[j]
        for j in range(1, X.shape[1])
        if np.linalg.matrix_rank(X[:, : j + 1]) <= np.linalg.matrix_rank(X[:, :j])
    ]
    raise DataValidationError(
        f"exog: the regressors are collinear: {', '.join(culprits)} "
        f"{'is a linear combination' if len(culprits) == 1 else 'are linear combinations'} "
        "of the other regressors (the intercept is always included); drop them",
        field="exog",
        value=culprits,
    )


def resolve_trim(trim: float | int, n: int, method: str) -> int:
    """Minimal segment length ``h``: ``floor(trim * n)`` for a fraction, ``trim`` for an int.

    Raises
    ------
    DataValidationError
        ``trim`` not in (0, 0.5) and not a positive integer.
    """
    if isinstance(trim, bool) or not isinstance(trim, int | float | np.integer | np.floating):
        raise DataValidationError(f"trim: {trim!r} is not a number", field="trim", value=trim)
    if isinstance(trim, int | np.integer):
        if trim < 1:
            raise DataValidationError(
                f"trim: {trim!r} observations is not a positive segment length",
                field="trim",
                value=trim,
            )
        return int(trim)
    if not 0 < trim < 0.5:
        raise DataValidationError(
            f"trim: {trim!r} is outside (0, 0.5); give a fraction such as 0.15 or a whole "
            f"number of observations ({method})",
            field="trim",
            value=trim,
        )
    return int(np.floor(trim * n))


_COVS = ("classical", "HC1", "HAC")


def check_cov(cov: str, hac_lags: int | None, n: int) -> tuple[str, int | None]:
    """Validate ``cov`` and return it with the HAC lag (default rule when None).

    Raises
    ------
    DataValidationError
        An unknown covariance type or a negative lag.
    """
    if cov not in _COVS:
        raise DataValidationError(
            f"cov: {cov!r} is not one of {', '.join(map(repr, _COVS))}", field="cov", value=cov
        )
    if cov != "HAC":
        return cov, None
    if hac_lags is None:
        from ._ols import default_hac_lags

        return cov, default_hac_lags(n)
    if isinstance(hac_lags, bool) or not isinstance(hac_lags, int) or hac_lags < 0:
        raise DataValidationError(
            f"hac_lags: {hac_lags!r} is not a non-negative integer",
            field="hac_lags",
            value=hac_lags,
        )
    return cov, hac_lags


def break_position(design: Design, at: Any, field: str = "at") -> int:
    """Position of the first period of the new regime named by ``at``.

    ``at`` is a period, a year, a date string, a :class:`pandas.Period` or a
    :class:`~bilateral_trade.TradeEvent` (its ``first_period``).
    """
    from .._periods import parse_period
    from ..events import TradeEvent

    if isinstance(at, TradeEvent):
        period = at.first_period(design.frequency)
    else:
        period = parse_period(at, design.frequency, field=field)
    pos = int(design.index.get_indexer(pd.PeriodIndex([period]))[0])
    if pos < 0:
        raise DataValidationError(
            f"{field}: {period} is outside the series ({design.index[0]} to {design.index[-1]})",
            field=field,
            value=str(period),
        )
    return pos


def window_positions(design: Design, window: Any, lo: int, hi: int) -> tuple[int, int]:
    """Restrict admissible break positions ``lo..hi`` to a ``(start, end)`` window of periods.

    ``start`` and ``end`` are period-likes or events (their first periods); the result is
    the intersection with the trimming's admissible range.

    Raises
    ------
    DataValidationError
        A malformed window, or one that leaves no admissible break period (the message
        gives the admissible range).
    """
    if window is None:
        return lo, hi
    if not isinstance(window, tuple | list) or len(window) != 2:
        raise DataValidationError(
            f"window: expected (start, end), got {window!r}", field="window", value=window
        )
    start = break_position(design, window[0], field="window")
    end = break_position(design, window[1], field="window")
    a, b = max(lo, start), min(hi, end)
    if a > b:
        raise DataValidationError(
            f"window: {design.index[start]} to {design.index[end]} leaves no admissible break "
            f"period; with this trimming breaks may start from {design.index[lo]} to "
            f"{design.index[hi]}",
            field="window",
            value=[str(design.index[start]), str(design.index[end])],
        )
    return a, b
