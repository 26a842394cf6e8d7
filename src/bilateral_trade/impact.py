"""Event impact: segmented (interrupted time-series) regression around dated events.

``bt.event_impact`` estimates how much a series' level (and slope) changed from the first
period after an event, builds the counterfactual path without the event and the trade lost
against it; ``bt.placebo_test`` repeats the estimate at fake dates before the event; and
``bt.attribute_breaks`` ties the breaks found by a break test to the events of a catalog.
"""

from __future__ import annotations

import datetime as _dt
import math
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any, Literal

import numpy as np
import pandas as pd
from scipy import stats

from ._format import Presentable, Summary, json_number, money, pct
from ._input import as_values, period_index
from ._periods import Frequency, format_periods, parse_period
from ._typing import JSONDict, JSONValue
from .breaks._design import check_cov
from .breaks._ols import cov_hac, cov_hc1, ols
from .breaks.results import MultipleBreaksResult, SupFTestResult
from .errors import DataValidationError, InsufficientDataError
from .events import EventCatalog, EventKind, TradeEvent

__all__ = [
    "Effect",
    "ImpactResult",
    "LostTrade",
    "PlaceboResult",
    "attribute_breaks",
    "event_impact",
    "placebo_test",
]

Model = Literal["level", "level+slope"]


@dataclass(frozen=True)
class Effect:
    """An estimated effect: estimate, standard error, confidence interval, p-value."""

    estimate: float
    std_error: float
    ci: tuple[float, float]
    p_value: float

    def to_dict(self) -> JSONDict:
        """JSON-ready dictionary."""
        return {
            "estimate": json_number(self.estimate),
            "std_error": json_number(self.std_error),
            "ci": [json_number(self.ci[0]), json_number(self.ci[1])],
            "p_value": json_number(self.p_value),
        }


@dataclass(frozen=True)
class LostTrade:
    """Cumulative trade lost against the counterfactual over the post-event periods.

    ``estimate = sum(counterfactual - actual)``: positive when trade fell short of the path
    without the event. The interval reflects the uncertainty of the estimated coefficients
    (delta method), not the noise of individual periods. A counterfactual without a
    sampling distribution (synthetic control) has ``std_error`` and ``ci`` ``None``.
    """

    estimate: float
    std_error: float | None
    ci: tuple[float, float] | None
    start: pd.Period
    end: pd.Period
    unit: str

    def to_dict(self) -> JSONDict:
        """JSON-ready dictionary."""
        return {
            "estimate": json_number(self.estimate),
            "std_error": json_number(self.std_error),
            "ci": None if self.ci is None else [json_number(self.ci[0]), json_number(self.ci[1])],
            "start": str(self.start),
            "end": str(self.end),
            "unit": self.unit,
        }


@dataclass(frozen=True, eq=False)
class ImpactResult(Presentable):
    """Segmented-regression estimate of an event's effect (immutable)."""

    level_change: Effect
    slope_change: Effect | None
    relative_effect: Effect | None
    counterfactual: pd.DataFrame
    lost: LostTrade
    coefficients: pd.DataFrame
    steps: pd.DataFrame
    event_periods: tuple[pd.Period, ...]
    event_labels: tuple[str, ...]
    nobs: int
    label: str
    unit: str
    options: dict[str, Any]
    method: str = "Segmented regression (interrupted time series)"
    reference: str = (
        "Wagner et al. (2002), segmented regression of interrupted time series; "
        "Newey and West (1987) HAC covariance"
    )

    def summary(self) -> Summary:
        """Readable text of the estimate."""
        events = ", ".join(
            f"{lab} (from {p})"
            for lab, p in zip(self.event_labels, self.event_periods, strict=True)
        )
        lvl = self.level_change
        unit = "log points" if self.options["log"] else self.unit
        lines = [
            f"{self.method} — {self.label}",
            f"  event(s): {events}",
            f"  window: {self.counterfactual.index[0]} to {self.counterfactual.index[-1]} "
            f"(n = {self.nobs}); model {self.options['model']}, trend = {self.options['trend']}, "
            f"seasonal = {self.options['seasonal']}, cov = {self.options['cov']}"
            + (f" (lags {self.options['hac_lags']})" if self.options["cov"] == "HAC" else ""),
            f"  level change: {lvl.estimate:.4g} {unit} (s.e. {lvl.std_error:.3g}; "
            f"{self.options['level']:.0%} CI {lvl.ci[0]:.4g} to {lvl.ci[1]:.4g}; "
            f"p = {lvl.p_value:.3g})",
        ]
        if self.relative_effect is not None:
            rel = self.relative_effect
            lines.append(
                f"  relative effect: {pct(rel.estimate)} (CI {pct(rel.ci[0])} to {pct(rel.ci[1])})"
            )
        if self.slope_change is not None:
            sl = self.slope_change
            lines.append(
                f"  slope change per period: {sl.estimate:.4g} (s.e. {sl.std_error:.3g}; "
                f"p = {sl.p_value:.3g})"
            )
        lost = self.lost
        assert lost.ci is not None  # the regression always gives a delta-method interval
        lines.append(
            f"  trade lost {lost.start}–{lost.end} against the counterfactual: "
            f"{money(lost.estimate, self.unit)} (CI {money(lost.ci[0], self.unit)} to "
            f"{money(lost.ci[1], self.unit)})"
        )
        lines.append(f"  reference: {self.reference}")
        return Summary("\n".join(lines))

    def to_frame(self) -> pd.DataFrame:
        """The counterfactual table: actual, counterfactual, lower, upper, gap, post."""
        return self.counterfactual.copy()

    def to_dict(self) -> JSONDict:
        """JSON-ready dictionary."""
        cf: dict[str, JSONValue] = {
            str(p): {
                str(k): (json_number(v) if isinstance(v, float) else bool(v))
                for k, v in row.items()
            }
            for p, row in self.counterfactual.to_dict(orient="index").items()
        }
        coefs: list[JSONValue] = [
            {str(k): (json_number(v) if isinstance(v, float) else str(v)) for k, v in rec.items()}
            for rec in self.coefficients.reset_index().to_dict(orient="records")
        ]
        return {
            "method": self.method,
            "label": self.label,
            "events": [
                {"label": lab, "first_period": str(p)}
                for lab, p in zip(self.event_labels, self.event_periods, strict=True)
            ],
            "level_change": self.level_change.to_dict(),
            "slope_change": None if self.slope_change is None else self.slope_change.to_dict(),
            "relative_effect": None
            if self.relative_effect is None
            else self.relative_effect.to_dict(),
            "lost": self.lost.to_dict(),
            "counterfactual": cf,
            "coefficients": coefs,
            "nobs": self.nobs,
            "unit": self.unit,
            "options": dict(self.options),
            "reference": self.reference,
        }


def _event_period(event: Any, freq: Frequency) -> tuple[pd.Period, str]:
    if isinstance(event, TradeEvent):
        return event.first_period(freq), event.reference
    if isinstance(event, _dt.date | pd.Timestamp) or (
        isinstance(event, str) and len(event.strip()) == 10 and event.count("-") == 2
    ):
        day = pd.Timestamp(event).date()
        synthetic = TradeEvent(date=day, kind=EventKind.OTHER, label=str(day), reference=str(day))
        return synthetic.first_period(freq), str(day)
    period = parse_period(event, freq, field="event")
    return period, str(period)


def _seasonal_columns(index: pd.PeriodIndex, freq: Frequency) -> tuple[list[np.ndarray], list[str]]:
    if freq is Frequency.MONTHLY:
        pos, names = np.asarray(index.month), [f"month_{m}" for m in range(2, 13)]
        values = range(2, 13)
    elif freq is Frequency.QUARTERLY:
        pos, names = np.asarray(index.quarter), [f"quarter_{q}" for q in range(2, 5)]
        values = range(2, 5)
    else:
        return [], []
    return [(pos == v).astype(float) for v in values], names


@dataclass(frozen=True)
class _Fit:
    X: np.ndarray
    y: np.ndarray
    beta: np.ndarray
    resid: np.ndarray
    V: np.ndarray
    names: list[str]
    event_cols: list[int]
    step_cols: list[int]
    slope_cols: list[int]
    df: int


def _fit(
    values: pd.Series,
    freq: Frequency,
    starts: list[int],
    *,
    model: Model,
    log: bool,
    trend: bool,
    seasonal: bool,
    cov: str,
    lags: int | None,
) -> _Fit:
    index = period_index(values)
    n = len(values)
    y = values.to_numpy(dtype=np.float64)
    if log:
        y = np.log(y)
    t = np.arange(1.0, n + 1.0)
    cols, names = [np.ones(n)], ["const"]
    if trend:
        cols.append(t)
        names.append("trend")
    if seasonal:
        extra, extra_names = _seasonal_columns(index, freq)
        cols += extra
        names += extra_names
    step_cols, slope_cols = [], []
    for i, s in enumerate(starts):
        post = (np.arange(n) >= s).astype(float)
        step_cols.append(len(cols))
        cols.append(post)
        names.append(f"level_{i + 1}")
        if model == "level+slope":
            slope_cols.append(len(cols))
            cols.append((t - s) * post)  # t - T0 with T0 the last pre period: 1 at the first post
            names.append(f"slope_{i + 1}")
    X = np.column_stack(cols)
    if np.linalg.matrix_rank(X) < X.shape[1]:
        raise DataValidationError(
            "event: the model's regressors are collinear in this window (an event too near "
            "the end of the window, or seasonal dummies without enough periods); widen the "
            "window or drop seasonal terms",
            field="event",
            value=[str(index[s]) for s in starts],
        )
    beta, e = ols(X, y)
    df = n - X.shape[1]
    if cov == "classical":
        V = float(e @ e) / df * np.linalg.inv(X.T @ X)
    elif cov == "HC1":
        V = cov_hc1(X, e)
    else:
        V = cov_hac(X, e, int(lags or 0))
    return _Fit(X, y, beta, e, V, names, step_cols + slope_cols, step_cols, slope_cols, df)


def _effect(fit: _Fit, weights: np.ndarray, level: float) -> Effect:
    est = float(weights @ fit.beta)
    se = math.sqrt(float(weights @ fit.V @ weights))
    tcrit = float(stats.t.ppf(0.5 + level / 2, fit.df))
    p = float(2 * stats.t.sf(abs(est / se), fit.df)) if se > 0 else math.nan
    return Effect(est, se, (est - tcrit * se, est + tcrit * se), p)


def event_impact(
    y: Any,
    event: Any,
    *,
    model: Model = "level",
    pre: Any = None,
    post: Any = None,
    log: bool = True,
    trend: bool = True,
    seasonal: bool | Literal["auto"] = "auto",
    cov: str = "HAC",
    hac_lags: int | None = None,
    level: float = 0.95,
) -> ImpactResult:
    """Estimate the effect of one or more events by segmented regression.

    Model (one event, ``model="level+slope"``, ``trend=True``, no seasonal terms):

        y_t = b0 + b1 t + b2 post_t + b3 (t - T0) post_t + e_t,

    with ``t = 1, …, n`` over the estimation window, ``post_t = 1`` from the first
    post-event period (inclusive) and ``T0`` the value of ``t`` in the last pre-event period,
    so the slope term is 1 in the first post-event period. ``model="level"`` drops the slope
    term; each further event adds its own step (and slope); for monthly (quarterly) data
    ``seasonal="auto"`` adds month (quarter) dummies. ``log=True`` models ``log y``: the level
    change is in log points and ``relative_effect = exp(b) - 1``.

    The intervention starts at ``event.first_period(freq)``, the first period that starts on
    or after the event date (UNSCR 2397 of 2017-12-22: 2018 in annual data). A period given
    directly is taken as that first post-event period; a date is treated like an event on
    that day.

    With several events, ``level_change`` (``slope_change``) is the total change after the
    last event (the sum of the steps, with its standard error); ``steps`` lists each event.

    Standard errors: ``cov="HAC"`` (default) is Newey–West with a Bartlett kernel, ``hac_lags``
    lags (default ``floor(4 (n/100)^(2/9))``), no prewhitening and no small-sample adjustment —
    R's ``sandwich::NeweyWest(fit, lag = L, prewhite = FALSE, adjust = FALSE)``; ``"HC1"`` and
    ``"classical"`` are also available. p-values and intervals use the t distribution with
    ``n - p`` degrees of freedom (as R's ``lmtest::coeftest``).

    The counterfactual is the fitted model with every event term set to zero; its band is a
    prediction band (coefficient uncertainty plus the residual variance). ``lost`` is the
    cumulated ``counterfactual - actual`` over the post-event periods, in the series' unit.

    Parameters
    ----------
    y : TradeSeries or pandas.Series
    event : TradeEvent, date, period, or a list of them
    model : {"level", "level+slope"}, default "level"
    pre, post : period-like, optional
        First and last period of the estimation window (default: the whole series).
    log, trend : bool, default True
    seasonal : bool or "auto", default "auto"
    cov : {"HAC", "HC1", "classical"}, default "HAC"
    hac_lags : int, optional
    level : float, default 0.95

    Returns
    -------
    ImpactResult

    Raises
    ------
    DataValidationError
        An event outside the window or too near its ends (the message says how many periods
        are needed), two events in the same period (naming both), missing values in the
        window, non-positive values with ``log=True``.
    InsufficientDataError
        Too few pre-event observations for the model (the message gives the minimum).

    References
    ----------
    Wagner, A. K., Soumerai, S. B., Zhang, F. and Ross-Degnan, D. (2002), Segmented regression
    analysis of interrupted time series studies, J. Clin. Pharm. Ther. 27, 299–309. Newey, W. K.
    and West, K. D. (1987, 1994).

    Examples
    --------
    >>> import bilateral_trade as bt
    >>> s = bt.datasets.china_dprk_trade()
    >>> r = bt.event_impact(s, bt.datasets.dprk_sanctions().get("UNSCR 2397"), post=2019)
    >>> r.relative_effect.estimate < 0
    True
    """
    if model not in ("level", "level+slope"):
        raise DataValidationError(
            f"model: {model!r} is not 'level' or 'level+slope'", field="model", value=model
        )
    if not 0 < level < 1:
        raise DataValidationError(f"level: {level!r} is not in (0, 1)", field="level", value=level)
    values, freq, series = as_values(y, field="y")
    window = values
    if pre is not None or post is not None:
        lo = parse_period(pre, freq, field="pre") if pre is not None else values.index[0]
        hi = parse_period(post, freq, field="post") if post is not None else values.index[-1]
        window = values[(values.index >= lo) & (values.index <= hi)]
        if len(window) == 0:
            raise DataValidationError(
                f"pre/post: no observation between {lo} and {hi}", field="pre", value=str(lo)
            )
    index = period_index(window)
    missing = index[np.isnan(window.to_numpy())]
    if len(missing):
        raise DataValidationError(
            f"y: gaps in the estimation window at {format_periods(missing)}; choose pre/post "
            "to avoid them",
            field="y",
            value=[str(p) for p in missing],
        )
    if log and (window.to_numpy() <= 0).any():
        bad = index[window.to_numpy() <= 0]
        raise DataValidationError(
            f"y: log=True needs positive values; non-positive at {format_periods(bad)}",
            field="y",
            value=[str(p) for p in bad],
        )
    items = event if isinstance(event, list | tuple) else [event]
    resolved = [_event_period(e, freq) for e in items]
    by_period: dict[pd.Period, str] = {}
    for period, lab in resolved:
        if period in by_period:
            raise DataValidationError(
                f"event: {by_period[period]} and {lab} both start in {period}; they cannot be "
                "told apart in this series (use a finer frequency or one event)",
                field="event",
                value=[by_period[period], lab],
            )
        by_period[period] = lab
    ordered = sorted(by_period.items())
    use_seasonal = (freq is not Frequency.ANNUAL) if seasonal == "auto" else bool(seasonal)
    n = len(index)
    n_pre_params = 1 + int(trend) + (freq.periods_per_year - 1 if use_seasonal else 0)
    min_post = 2 if model == "level+slope" else 1
    starts = []
    for period, lab in ordered:
        if period < index[0] or period > index[-1]:
            raise DataValidationError(
                f"event: {lab} starts in {period}, outside the window {index[0]} to {index[-1]}",
                field="event",
                value=lab,
            )
        pos = int(index.get_indexer(pd.PeriodIndex([period]))[0])
        starts.append(pos)
        if n - pos < min_post:
            raise DataValidationError(
                f"event: {lab} starts in {period}, too near the end of the window: model "
                f"{model!r} needs at least {min_post} period(s) from the event on, got {n - pos}",
                field="event",
                value=lab,
            )
    need = n_pre_params + 1
    if starts[0] < need:
        raise InsufficientDataError(
            f"event_impact with {'a trend' if trend else 'no trend'}"
            f"{' and seasonal dummies' if use_seasonal else ''} needs at least {need} "
            f"observations before {ordered[0][1]} ({ordered[0][0]}), got {starts[0]}"
        )
    cov, lags = check_cov(cov, hac_lags, n)
    fit = _fit(
        window,
        freq,
        starts,
        model=model,
        log=log,
        trend=trend,
        seasonal=use_seasonal,
        cov=cov,
        lags=lags,
    )
    p = fit.X.shape[1]
    if fit.df < 1:
        raise InsufficientDataError(
            f"event_impact: {p} coefficients need more than {p} observations, got {n}"
        )
    w_level = np.zeros(p)
    w_level[fit.step_cols] = 1.0
    level_change = _effect(fit, w_level, level)
    slope_change = None
    if fit.slope_cols:
        w_slope = np.zeros(p)
        w_slope[fit.slope_cols] = 1.0
        slope_change = _effect(fit, w_slope, level)
    relative = None
    if log:
        relative = Effect(
            math.expm1(level_change.estimate),
            level_change.std_error,
            (math.expm1(level_change.ci[0]), math.expm1(level_change.ci[1])),
            level_change.p_value,
        )
    tcrit = float(stats.t.ppf(0.5 + level / 2, fit.df))
    X_cf = fit.X.copy()
    X_cf[:, fit.event_cols] = 0.0
    cf = X_cf @ fit.beta
    sigma2 = float(fit.resid @ fit.resid) / fit.df
    se_pred = np.sqrt(np.einsum("ij,jk,ik->i", X_cf, fit.V, X_cf) + sigma2)
    lower, upper = cf - tcrit * se_pred, cf + tcrit * se_pred
    transform = np.exp if log else (lambda a: a)
    actual = window.to_numpy(dtype=np.float64)
    cf_level = transform(cf)
    post_mask = np.arange(n) >= starts[0]
    frame = pd.DataFrame(
        {
            "actual": actual,
            "fitted": transform(fit.X @ fit.beta),
            "counterfactual": cf_level,
            "lower": transform(lower),
            "upper": transform(upper),
            "gap": actual - cf_level,
            "post": post_mask,
        },
        index=pd.PeriodIndex(index, name="period"),
    )
    frame["cumulative_gap"] = np.where(
        post_mask, np.cumsum(np.where(post_mask, frame["gap"], 0.0)), 0.0
    )
    grad = (cf_level[post_mask, None] * X_cf[post_mask]) if log else X_cf[post_mask]
    g = grad.sum(axis=0)
    lost_est = float(np.sum(cf_level[post_mask] - actual[post_mask]))
    lost_se = math.sqrt(float(g @ fit.V @ g))
    lost = LostTrade(
        lost_est,
        lost_se,
        (lost_est - tcrit * lost_se, lost_est + tcrit * lost_se),
        index[starts[0]],
        index[-1],
        series.unit if series is not None else "",
    )
    se = np.sqrt(np.diag(fit.V))
    tvals = fit.beta / se
    coefficients = pd.DataFrame(
        {
            "estimate": fit.beta,
            "std_error": se,
            "t": tvals,
            "p_value": 2 * stats.t.sf(np.abs(tvals), fit.df),
            "lower": fit.beta - tcrit * se,
            "upper": fit.beta + tcrit * se,
        },
        index=pd.Index(fit.names, name="term"),
    )
    steps = pd.DataFrame(
        {
            "event": [lab for _, lab in ordered],
            "first_period": [p for p, _ in ordered],
            "level_change": [fit.beta[c] for c in fit.step_cols],
            "level_std_error": [se[c] for c in fit.step_cols],
        }
    )
    return ImpactResult(
        level_change=level_change,
        slope_change=slope_change,
        relative_effect=relative,
        counterfactual=frame,
        lost=lost,
        coefficients=coefficients,
        steps=steps,
        event_periods=tuple(p for p, _ in ordered),
        event_labels=tuple(lab for _, lab in ordered),
        nobs=n,
        label=(series.label if series is not None else str(values.name or "y")),
        unit=series.unit if series is not None else "",
        options={
            "model": model,
            "pre": str(index[0]),
            "post": str(index[-1]),
            "log": log,
            "trend": trend,
            "seasonal": use_seasonal,
            "cov": cov,
            "hac_lags": lags,
            "level": level,
        },
    )


@dataclass(frozen=True, eq=False)
class PlaceboResult(Presentable):
    """Placebo-in-time test: the same model at fake event periods before the real one.

    ``p_value`` is the share of placebo level changes at least as large in absolute value
    as the real one: a small value says the real effect is unusual for this series.
    """

    real: ImpactResult
    placebos: pd.DataFrame
    p_value: float
    options: dict[str, Any] = field(default_factory=dict)

    def summary(self) -> Summary:
        """Readable text of the test."""
        lines = [
            f"Placebo-in-time test — {self.real.label}",
            f"  real event(s): {', '.join(self.real.event_labels)}; level change "
            f"{self.real.level_change.estimate:.4g}",
            f"  placebo periods: {len(self.placebos)} "
            f"({self.placebos['period'].iloc[0]} to {self.placebos['period'].iloc[-1]})",
            f"  share of placebo effects at least as large: {self.p_value:.3g}",
        ]
        return Summary("\n".join(lines))

    def to_frame(self) -> pd.DataFrame:
        """The placebo distribution: period, estimate, std_error, p_value."""
        return self.placebos.copy()

    def to_dict(self) -> JSONDict:
        """JSON-ready dictionary."""
        return {
            "method": "placebo-in-time test",
            "real": self.real.to_dict(),
            "p_value": self.p_value,
            "placebos": [
                {
                    "period": str(r["period"]),
                    "estimate": json_number(r["estimate"]),
                    "std_error": json_number(r["std_error"]),
                }
                for r in self.placebos.to_dict(orient="records")
            ],
            "options": dict(self.options),
        }


def placebo_test(
    y: Any, event: Any, *, n_placebos: int | None = None, **options: Any
) -> PlaceboResult:
    """Placebo-in-time test of :func:`event_impact`.

    The model is estimated with the real event, then, on the data before the real event
    only, at every admissible fake event period (enough observations before it for the
    model, and at least one period — two for ``"level+slope"`` — between it and the real
    event). The placebo p-value is the share of placebo level changes whose absolute value
    is at least that of the real one.

    Parameters
    ----------
    y : TradeSeries or pandas.Series
    event : as for :func:`event_impact`
    n_placebos : int, optional
        Use this many placebo periods, evenly spaced over the admissible ones (default: all).
    **options
        Passed to :func:`event_impact` (``model``, ``pre``, ``post``, ``log``, ``trend``…).

    Returns
    -------
    PlaceboResult

    Raises
    ------
    InsufficientDataError
        No admissible placebo period before the event.
    """
    real = event_impact(y, event, **options)
    values, freq, _ = as_values(y, field="y")
    first_real = real.event_periods[0]
    pre_opt = options.get("pre")
    before = values[values.index < first_real]
    if pre_opt is not None:
        before = before[before.index >= parse_period(pre_opt, freq, field="pre")]
    opts = {k: v for k, v in options.items() if k not in ("pre", "post")}
    candidates = []
    for period in period_index(before)[1:]:
        try:
            candidates.append((period, event_impact(before, period, **opts)))
        except (DataValidationError, InsufficientDataError):
            continue
    if not candidates:
        raise InsufficientDataError(
            f"placebo_test: no admissible placebo period before {first_real}; the model needs "
            "more observations before the real event"
        )
    if n_placebos is not None:
        if isinstance(n_placebos, bool) or not isinstance(n_placebos, int) or n_placebos < 1:
            raise DataValidationError(
                f"n_placebos: {n_placebos!r} is not a positive integer",
                field="n_placebos",
                value=n_placebos,
            )
        pick = np.unique(
            np.linspace(0, len(candidates) - 1, min(n_placebos, len(candidates))).round()
        )
        candidates = [candidates[int(i)] for i in pick]
    frame = pd.DataFrame(
        {
            "period": [p for p, _ in candidates],
            "estimate": [r.level_change.estimate for _, r in candidates],
            "std_error": [r.level_change.std_error for _, r in candidates],
            "p_value": [r.level_change.p_value for _, r in candidates],
        }
    )
    share = float(np.mean(np.abs(frame["estimate"]) >= abs(real.level_change.estimate)))
    return PlaceboResult(real, frame, share, {"n_placebos": len(frame), **options})


def attribute_breaks(
    result: MultipleBreaksResult | SupFTestResult,
    catalog: EventCatalog,
    *,
    window: int | None = None,
    kinds: Iterable[EventKind | str] | None = None,
) -> pd.DataFrame:
    """Tie each break of a break test to the events of a catalog.

    For every break period, the events whose first period (``event.first_period(freq)``)
    falls inside the break's confidence interval — or, with ``window``, within ``window``
    periods of it (needed for a sup-F result, which has no interval) — are listed, with the
    nearest one and its distance in periods (event's first period minus break period). The
    nearest is the event at the smallest distance; ties go to events dated before the break
    period begins (the candidate causes), then to the one closest in time to its start — so
    a break in 2018 is attributed to UNSCR 2397 (2017-12-22) rather than to an event dated
    within 2017 earlier, or to a step dated on 2018-01-01. ``kinds`` restricts the events
    considered (e.g. ``("sanctions_resolution", "enforcement")``).

    Returns
    -------
    pandas.DataFrame
        One row per break: ``break_period``, ``lower``, ``upper``, ``events`` (references
        inside), ``nearest``, ``distance`` (periods), ``nearest_date``.

    Raises
    ------
    DataValidationError
        A result of another kind, or a sup-F result without ``window``.
    """
    if isinstance(result, MultipleBreaksResult):
        breaks = [
            (row["break_period"], row["lower"], row["upper"])
            for row in result.confidence_intervals.to_dict(orient="records")
        ]
    elif isinstance(result, SupFTestResult):
        breaks = [(result.break_period, None, None)]
    else:
        raise DataValidationError(
            f"result: expected a MultipleBreaksResult or SupFTestResult, got "
            f"{type(result).__name__}",
            field="result",
            value=type(result).__name__,
        )
    if window is not None and (
        isinstance(window, bool) or not isinstance(window, int) or window < 0
    ):
        raise DataValidationError(
            f"window: {window!r} is not a non-negative number of periods",
            field="window",
            value=window,
        )
    if kinds is not None:
        catalog = catalog.of_kind(*kinds)
    rows = []
    for period, lower, upper in breaks:
        freq = Frequency.parse(period.freqstr)
        if window is not None:
            lower, upper = period - window, period + window
        elif lower is None or upper is None:
            raise DataValidationError(
                "window: this result has no confidence interval for its break; give window= "
                "(a number of periods)",
                field="window",
                value=None,
            )
        start = period.start_time.date()
        inside = []
        for ev in catalog:
            first = ev.first_period(freq)
            if lower <= first <= upper:
                inside.append((ev, (first - period).n))
        if inside:
            best = min(
                inside,
                key=lambda item: (
                    abs(item[1]),
                    item[0].date >= start,
                    abs((start - item[0].date).days),
                ),
            )
            nearest, distance, nearest_date = best[0].reference, best[1], best[0].date.isoformat()
        else:
            nearest, distance, nearest_date = None, None, None
        rows.append(
            {
                "break_period": period,
                "lower": lower,
                "upper": upper,
                "events": ", ".join(ev.reference for ev, _ in inside),
                "nearest": nearest,
                "distance": distance,
                "nearest_date": nearest_date,
            }
        )
    return pd.DataFrame(rows)
