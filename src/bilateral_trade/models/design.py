"""The regression model of the break tests: y, the regressors and their checks (private).

Model: ``y_t = x_t' b_j + u_t`` in regime ``j``, with an intercept always included,
optionally a linear trend ``t = 1, …, n`` and the columns of ``exog``; every
coefficient may break (pure structural change, as strucchange's formula interface).
"""

from __future__ import annotations

import itertools
import math
from dataclasses import dataclass, field, replace
from typing import Any

import numpy as np
import pandas as pd

from .._util.format import show
from ..data.periods import Frequency, format_periods
from ..data.series import TradeSeries
from ..errors import DataValidationError, InsufficientDataError
from .spec import Spec
from .validators import (
    TINY,
    as_array,
    exact_fit_tolerance,
    finite_statistic,
    pow2_scale,
)

__all__ = [
    "Design",
    "build_design",
    "check_regime_rank",
    "collinear_regimes_error",
    "exact_break_error",
    "exact_null_error",
    "finite_statistic",
]


@dataclass(frozen=True, eq=False)
class Design:
    """Response, regressors and metadata of one break-test model.

    ``y`` and the columns of ``X`` are the data divided by powers of two (``y_scale`` and
    ``x_scale``), so that their largest absolute values lie in [1, 2): the division is
    exact, every break statistic is invariant to it, and no sum of squares overflows or
    underflows whatever the units of the data. Coefficients in data units are
    ``beta * y_scale / x_scale``. ``tol`` is the residual sum of squares (in the scaled
    units) at or below which a fit is exact up to rounding (see
    :func:`~bilateral_trade.models.ols.exact_fit_tolerance`).
    """

    y: np.ndarray
    X: np.ndarray
    index: pd.PeriodIndex
    frequency: Frequency
    names: tuple[str, ...]
    label: str
    spec: Spec
    y_scale: float = 1.0
    x_scale: np.ndarray = field(default_factory=lambda: np.ones(1))
    tol: float = 0.0
    meta: dict[str, Any] = field(default_factory=dict)

    @property
    def log(self) -> bool:
        """Whether the outcome is ``log y``."""
        return self.spec.log

    @property
    def trend(self) -> bool:
        """Whether the model has a linear trend."""
        return self.spec.trend

    @property
    def n(self) -> int:
        """Number of observations."""
        return int(self.y.shape[0])

    @property
    def k(self) -> int:
        """Number of regressors (intercept included)."""
        return int(self.X.shape[1])

    @property
    def log_y_scale(self) -> float:
        """``log(y_scale)``: turns the log of a scaled RSS into the log of an RSS in data units."""
        return float(np.frexp(self.y_scale)[1] - 1) * math.log(2.0)

    def exact(self, rss: float) -> bool:
        """Whether a residual sum of squares (scaled units) is zero up to rounding."""
        return bool(rss <= self.tol)

    def options(self) -> dict[str, Any]:
        """The model options, for results."""
        return {**self.spec.options(), "regressors": list(self.names)}

    def model_text(self) -> str:
        """The null model in words, for messages: ``"an intercept and a linear trend"``."""
        return self.spec.terms(self.frequency)


def _outcome(raw: np.ndarray, index: pd.PeriodIndex, log: bool) -> tuple[np.ndarray, float, float]:
    """The outcome (log with ``log``) divided by a power of two, its scale and exact-fit bound.

    Raises
    ------
    DataValidationError
        Missing values; non-positive values with ``log``; subnormal values.
    InsufficientDataError
        A constant outcome (exactly, or up to rounding).
    """
    arr = raw
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
    if arr.max() == arr.min():
        raise InsufficientDataError(
            f"y: the series is constant ({show(raw[0])} throughout); there is nothing to test"
        )
    amax = float(np.max(np.abs(arr)))
    if amax < TINY:
        raise DataValidationError(
            f"y: every value is below {TINY:.3g} in absolute value (subnormal floating-point "
            "numbers, which keep only a few significant digits); express the series in a "
            "smaller unit first (multiply it by a power of ten)",
            field="y",
            value=show(float(raw[np.argmax(np.abs(raw))])),
        )
    y_scale = float(pow2_scale(np.asarray(amax)))
    ys = arr / y_scale
    n = len(ys)
    centred = ys - ys.mean()
    tss = float(centred @ centred)
    tol = float(exact_fit_tolerance(tss, float(ys @ ys), n))
    if tss <= tol:
        raise InsufficientDataError(
            f"y: the series is constant up to rounding ({'log ' if log else ''}values from "
            f"{show(float(arr.min()))} to {show(float(arr.max()))}, a spread within the "
            "precision of floating-point numbers); there is nothing to test"
        )
    return ys, y_scale, tol


def _regressors(
    n: int, index: pd.PeriodIndex, trend: bool, exog: Any
) -> tuple[np.ndarray, list[str], np.ndarray]:
    """The regressors (intercept, trend, ``exog``) divided by powers of two, their names, scales.

    Raises
    ------
    DataValidationError
        A bad ``exog`` (see :func:`_exog_columns`), a subnormal column, collinear regressors.
    """
    columns = [np.ones(n)]
    names = ["const"]
    if trend:
        columns.append(np.arange(1.0, n + 1.0))
        names.append("trend")
    if exog is not None:
        for name, column in _exog_columns(exog, index):
            columns.append(column)
            names.append(str(name))
    X = np.column_stack(columns)
    col_max = np.max(np.abs(X), axis=0)
    sub = (col_max > 0) & (col_max < TINY)
    if sub.any():
        bad_name = names[int(np.argmax(sub))]
        raise DataValidationError(
            f"exog: every value of column {bad_name!r} is below {TINY:.3g} in absolute value "
            "(subnormal floating-point numbers); rescale the column",
            field="exog",
            value=bad_name,
        )
    x_scale = pow2_scale(col_max)
    X = X / x_scale
    _check_rank(X, names)
    return X, names, x_scale


def build_design(
    y: Any, spec: Spec | None = None, *, exog: Any = None, trend: Any = False, log: Any = False
) -> Design:
    """Validate the inputs of a break test and build ``y`` and ``X`` for the model ``spec``.

    Without ``spec`` the model is ``Spec.from_keywords(log=log, trend=trend)`` (which checks
    that both are booleans). The design's spec records the names of the ``exog`` columns.

    Raises
    ------
    DataValidationError
        Missing values in ``y`` or ``exog``, ``exog`` on another index, ``log=True``
        with a non-positive value, collinear regressors (naming the columns), values so
        small that they are subnormal floating-point numbers.
    InsufficientDataError
        A constant ``y`` (exactly, or up to rounding).
    """
    if spec is None:
        spec = Spec.from_keywords(log=log, trend=trend)
    log, trend = spec.log, spec.trend
    raw, index, freq, series, name = as_array(y, field="y", nonnegative=False)
    ys, y_scale, tol = _outcome(raw, index, log)
    X, names, x_scale = _regressors(len(ys), index, trend, exog)
    label = series.label if isinstance(series, TradeSeries) else str(name or "y")
    return Design(
        y=ys,
        X=X,
        index=index,
        frequency=freq,
        names=tuple(names),
        label=("log " if log else "") + label,
        spec=replace(spec, exog=tuple(names[1 + int(trend) :])),
        y_scale=y_scale,
        x_scale=x_scale,
        tol=tol,
    )


def exact_null_error(design: Design) -> InsufficientDataError:
    """The error for a series that the model without a break fits exactly (up to rounding)."""
    return InsufficientDataError(
        f"y: the model without a break ({design.model_text()}) fits the series exactly, up to "
        "rounding; with no residual variation there is nothing to test"
    )


def exact_break_error(design: Design, positions: Any, statistic: str) -> InsufficientDataError:
    """The error for a fit that is exact (up to rounding) with breaks at ``positions``."""
    periods = ", ".join(str(design.index[int(p)]) for p in positions)
    return InsufficientDataError(
        f"y: the model with a break at {periods} fits the series exactly, up to rounding "
        f"(noise-free data, such as a step); {statistic} is infinite and has no p-value"
    )


def _exog_columns(exog: Any, index: pd.PeriodIndex) -> list[tuple[Any, np.ndarray]]:
    """The columns of ``exog`` (by name) as float64 arrays, each read once, checked.

    Raises
    ------
    DataValidationError
        Not a DataFrame (or Series), an index other than that of y, a column that is not
        numeric or has missing or infinite values.
    """
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
    columns = []
    for name in exog.columns:
        try:
            col = exog[name].to_numpy(dtype=np.float64)
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
        columns.append((name, col))
    return columns


def _check_rank(X: np.ndarray, names: list[str]) -> None:
    """Refuse collinear regressors; the rank is that of the columns scaled to unit length.

    Scaling the columns first makes the check invariant to the units of each regressor
    (a GDP of 1e13 is not "collinear" because its column is long).
    """
    if X.shape[1] == 1:
        return  # the intercept alone, a column of ones, has full rank
    norms = np.sqrt(np.sum(X * X, axis=0))
    zero = norms == 0
    unit = X / np.where(zero, 1.0, norms)
    rank = np.linalg.matrix_rank(unit)
    if rank == X.shape[1] and not zero.any():
        return
    # Name the columns that are linear combinations of the ones before them.
    culprits = [
        names[j]
        for j in range(1, X.shape[1])
        if zero[j] or np.linalg.matrix_rank(unit[:, : j + 1]) <= np.linalg.matrix_rank(unit[:, :j])
    ]
    raise DataValidationError(
        f"exog: the regressors are collinear: {', '.join(culprits)} "
        f"{'is a linear combination' if len(culprits) == 1 else 'are linear combinations'} "
        "of the other regressors (the intercept is always included); drop them",
        field="exog",
        value=culprits,
    )


def check_regime_rank(design: Design, lo: int, hi: int) -> None:
    """Refuse a regime ``lo..hi-1`` in which the regressors are collinear.

    Every coefficient may break, so each regime needs its own full-rank regressors: a dummy
    that is constant within a regime is collinear with the intercept there.

    Raises
    ------
    DataValidationError
        Naming the regime and the columns.
    """
    if len(design.names) <= 1 + int(design.trend):
        return  # intercept and trend are full rank in any regime of more than k periods
    part = design.X[lo:hi]
    norms = np.sqrt(np.sum(part * part, axis=0))
    unit = part / np.where(norms == 0, 1.0, norms)
    if np.linalg.matrix_rank(unit) == part.shape[1] and (norms > 0).all():
        return
    culprits = [
        design.names[j]
        for j in range(1, part.shape[1])
        if norms[j] == 0
        or np.linalg.matrix_rank(unit[:, : j + 1]) <= np.linalg.matrix_rank(unit[:, :j])
    ]
    raise DataValidationError(
        f"exog: within the regime {design.index[lo]} to {design.index[hi - 1]} the regressors "
        f"are collinear ({', '.join(culprits)}); every coefficient may break, so each regime "
        "needs regressors that vary independently (a dummy constant within a regime cannot "
        "break with it): drop the column or choose another break period",
        field="exog",
        value=culprits,
    )


def collinear_regimes_error(design: Design, bounds: Any) -> DataValidationError:
    """The error for regimes (``bounds``: positions ``0, b_1, …, n``) with collinear regressors.

    Raises the specific error of :func:`check_regime_rank` when a regime is exactly rank
    deficient; otherwise returns a general one (nearly collinear regressors).
    """
    pairs = list(itertools.pairwise(bounds))
    for lo, hi in pairs:
        check_regime_rank(design, int(lo), int(hi))
    shown = "; ".join(f"{design.index[int(lo)]} to {design.index[int(hi) - 1]}" for lo, hi in pairs)
    return DataValidationError(
        f"exog: the regressors are nearly collinear within a regime ({shown}), so the "
        "residual sums of squares cannot be computed reliably; drop a regressor, or restrict "
        "the candidate breaks (trim, window)",
        field="exog",
        value=list(design.names[1:]),
    )


def break_position(design: Design, at: Any, field: str = "at") -> int:
    """Position of the first period of the new regime named by ``at``.

    ``at`` is a period, a year, a date string, a :class:`pandas.Period` or a
    :class:`~bilateral_trade.TradeEvent` (its ``first_period``).
    """
    from ..data.events import TradeEvent
    from ..data.periods import parse_period

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
            f"window: expected (start, end), got {show(window)}", field="window", value=window
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
