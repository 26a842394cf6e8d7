"""Event impact: segmented (interrupted time-series) regression around dated events.

``bt.event_impact`` estimates how much a series' level (and slope) changed from the first
period after an event, builds the counterfactual path without the event and the trade lost
against it; ``bt.placebo_test`` repeats the estimate at fake dates before the event; and
``bt.attribute_breaks`` ties the breaks found by a break test to the events of a catalog.
"""

from __future__ import annotations

import datetime as _dt
import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Literal, cast

import numpy as np
import pandas as pd
from scipy import stats

from .._util.aliases import JSONDict, JSONValue
from .._util.format import Summary, json_number, json_rows, json_value, money, pct
from ..data.events import EventCatalog, EventKind, TradeEvent
from ..data.periods import Frequency, format_periods, parse_period
from ..data.series import title_in_words
from ..errors import DataValidationError, InsufficientDataError
from ..models.caveats import check_catalog_event, check_window, collecting, emit
from ..models.results import Effect, LostTrade, Result, warn_renamed
from ..models.spec import CovType, Spec
from ..models.validators import (
    as_values,
    check_choice,
    check_int,
    check_level,
    check_level_range,
    check_same_unit,
    exact_fit_tolerance,
    period_index,
    pow2_scale,
    rank_p_value,
    ties_or_exceeds,
)

__all__ = [
    "Effect",
    "ImpactResult",
    "LostTrade",
    "PlaceboResult",
    "event_impact",
    "placebo_test",
]

Model = Literal["level", "level+slope"]


@dataclass(frozen=True, eq=False, init=False)
class ImpactResult(Result):
    """Segmented-regression estimate of an event's effect (immutable).

    Attributes
    ----------
    level_change : Effect
        The change in the level from the event's first period (log points with ``log=True``;
        with several events, the total after the last one).
    slope_change : Effect or None
        The change in the slope per period (``model="level+slope"``), else None.
    relative_effect : Effect or None
        ``exp(level_change) − 1`` with its transformed interval (``log=True``), else None.
    path : pandas.DataFrame
        The by-period table (the same name as in
        :class:`~bilateral_trade.SyntheticControlResult`), indexed by period: ``actual``,
        ``control`` (with a control series), ``fitted``, ``counterfactual`` (the fit with
        every event term at zero), ``lower`` and ``upper`` (its prediction band), ``gap``
        (actual − counterfactual), ``post`` (bool) and ``cumulative_gap``. Formerly
        ``counterfactual``, still readable under that name with a :class:`FutureWarning`.
    lost : LostTrade
        ``sum(counterfactual − actual)`` over the post-event periods, with a delta-method
        interval.
    coefficients : pandas.DataFrame
        One row per term: estimate, std_error, t, p_value, lower, upper.
    steps : pandas.DataFrame
        One row per event: its first period, level change and standard error.
    event_periods, event_labels : tuple
        The events' first periods and labels.
    nobs : int
    label, unit : str
    options : Mapping
        Every option used (read-only).
    regression : statsmodels results
        The OLS fit.
    """

    level_change: Effect
    slope_change: Effect | None
    relative_effect: Effect | None
    path: pd.DataFrame
    lost: LostTrade
    coefficients: pd.DataFrame
    steps: pd.DataFrame
    event_periods: tuple[pd.Period, ...]
    event_labels: tuple[str, ...]
    nobs: int
    label: str
    unit: str
    options: Mapping[str, Any]
    regression: Any = field(default=None, repr=False, compare=False)
    method: str = "Segmented regression (interrupted time series)"
    reference: str = (
        "Wagner et al. (2002), segmented regression of interrupted time series; "
        "Newey and West (1987) HAC covariance"
    )

    def __init__(
        self,
        *,
        level_change: Effect,
        slope_change: Effect | None,
        relative_effect: Effect | None,
        path: pd.DataFrame | None = None,
        lost: LostTrade,
        coefficients: pd.DataFrame,
        steps: pd.DataFrame,
        event_periods: tuple[pd.Period, ...],
        event_labels: tuple[str, ...],
        nobs: int,
        label: str,
        unit: str,
        options: Mapping[str, Any],
        regression: Any = None,
        method: str = "Segmented regression (interrupted time series)",
        reference: str = (
            "Wagner et al. (2002), segmented regression of interrupted time series; "
            "Newey and West (1987) HAC covariance"
        ),
        counterfactual: pd.DataFrame | None = None,
    ) -> None:
        """Make the result; ``counterfactual=`` is the former name of ``path=``."""
        if (path is None) == (counterfactual is None):
            raise DataValidationError(
                "path: give the by-period table once, as path= (counterfactual= is its old name)",
                field="path",
                value=None,
            )
        values = {
            "level_change": level_change,
            "slope_change": slope_change,
            "relative_effect": relative_effect,
            "path": path if path is not None else counterfactual,
            "lost": lost,
            "coefficients": coefficients,
            "steps": steps,
            "event_periods": event_periods,
            "event_labels": event_labels,
            "nobs": nobs,
            "label": label,
            "unit": unit,
            "options": options,
            "regression": regression,
            "method": method,
            "reference": reference,
        }
        for name, value in values.items():
            object.__setattr__(self, name, value)
        self.__post_init__()

    @property
    def counterfactual(self) -> pd.DataFrame:
        """Deprecated name of :attr:`path` (warns with :class:`FutureWarning`)."""
        warn_renamed(type(self), "counterfactual", "path")
        return self.path

    def model_text(self) -> str:
        """The regression in words (:meth:`Spec.describe`), without the event terms."""
        return Spec.from_options(self.options).describe(
            cast(pd.PeriodIndex, self.path.index).freqstr
        )

    def headline(self) -> str:
        """The level change (relative effect), its p-value and the lost trade."""
        lvl, rel, lost = self.level_change, self.relative_effect, self.lost
        unit = "log points" if self.options["log"] else self.unit
        text = f"{self.label}: level change {lvl.estimate:.4g} {unit}".rstrip()
        if rel is not None:
            text += f" ({pct(rel.estimate)})"
        return (
            f"{text}, p = {lvl.p_value:.3g}; trade lost {lost.start}–{lost.end} "
            f"{money(lost.estimate, self.unit)}"
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
            f"  window: {self.path.index[0]} to {self.path.index[-1]} "
            f"(n = {self.nobs}); {self.options['model']} change, {self.model_text()}, "
            f"cov = {self.options['cov']}"
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
        """The by-period table :attr:`path` (a copy)."""
        return self.path

    def to_dict(self) -> JSONDict:
        """JSON-ready dictionary."""
        path: dict[str, JSONValue] = json_rows(self.path)
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
            "path": path,
            "coefficients": coefs,
            "nobs": self.nobs,
            "unit": self.unit,
            "options": json_value(self.options),
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
    regression: Any


def _fit(
    outcome: np.ndarray,
    index: pd.PeriodIndex,
    freq: Frequency,
    starts: list[int],
    *,
    model: Model,
    trend: bool,
    seasonal: bool,
    cov: str,
    lags: int | None,
) -> _Fit:
    """Build the segmented design and fit it by OLS with statsmodels."""
    from statsmodels.regression.linear_model import OLS

    n = len(outcome)
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
    scaled = X / np.abs(X).max(axis=0)
    if np.linalg.matrix_rank(scaled) < X.shape[1]:
        raise DataValidationError(
            "event: the model's regressors are collinear in this window (an event too near "
            "the end of the window, or seasonal dummies without enough periods); widen the "
            "window or drop seasonal terms",
            field="event",
            value=[str(index[s]) for s in starts],
        )
    kwargs: dict[str, Any] = {"use_t": True}
    if cov == "HC1":
        kwargs["cov_type"] = "HC1"
    elif cov == "HAC":
        # sandwich::NeweyWest(prewhite = FALSE, adjust = FALSE): Bartlett weights, no n/(n-k)
        kwargs.update(cov_type="HAC", cov_kwds={"maxlags": int(lags or 0), "use_correction": False})
    regression = OLS(outcome, X).fit(**kwargs)
    beta = np.asarray(regression.params, dtype=np.float64)
    resid = np.asarray(regression.resid, dtype=np.float64)
    V = np.asarray(regression.cov_params(), dtype=np.float64)
    df = n - X.shape[1]
    return _Fit(
        X,
        outcome,
        beta,
        resid,
        V,
        names,
        step_cols + slope_cols,
        step_cols,
        slope_cols,
        df,
        regression,
    )


def _check_not_exact(fit: _Fit, spec: Spec, index: pd.PeriodIndex) -> None:
    """Refuse a fit that is exact up to rounding: its standard errors are rounding noise.

    The residual sum of squares is compared with :func:`exact_fit_tolerance` on the outcome
    rescaled by a power of two (exact), so the rule holds whatever the unit of the data.
    """
    scale = float(pow2_scale(np.max(np.abs(fit.y))))
    ys, es = fit.y / scale, fit.resid / scale
    centred = ys - ys.mean()
    tol = float(exact_fit_tolerance(float(centred @ centred), float(ys @ ys), len(ys)))
    if float(es @ es) <= tol:
        what = "log " if spec.log else ""
        raise InsufficientDataError(
            f"event_impact: the model ({spec.describe()}, with the event terms) fits the {what}"
            f"outcome in {index[0]}–{index[-1]} exactly, up to rounding (noise-free data, such "
            "as a constant series, a step, or a control equal to the series up to a factor); "
            "with no residual variation the standard errors, intervals and p-values are not "
            "defined"
        )


def _effect(fit: _Fit, weights: np.ndarray, level: float) -> Effect:
    est = float(weights @ fit.beta)
    var = float(weights @ fit.V @ weights)
    if not (math.isfinite(est) and math.isfinite(var)) or var <= 0.0:
        raise InsufficientDataError(
            f"event_impact: the estimate ({est}) or its variance ({var}) is not a finite "
            "positive number for these data; there is no interval or p-value"
        )
    se = math.sqrt(var)
    tcrit = float(stats.t.ppf(0.5 + level / 2, fit.df))
    p = float(2 * stats.t.sf(abs(est / se), fit.df))
    return Effect(est, se, (est - tcrit * se, est + tcrit * se), p)


def _control_values(control: Any, window: pd.Series, freq: Frequency) -> pd.Series:
    """The control series on the window's periods, checked."""
    cvalues, cfreq, _ = as_values(control, field="control")
    if cfreq is not freq:
        raise DataValidationError(
            f"control: frequency {cfreq.label} differs from the series' {freq.label}",
            field="control",
            value=cfreq.label,
        )
    index = period_index(window)
    aligned = cvalues.reindex(index)
    missing = index[np.isnan(aligned.to_numpy(dtype=np.float64))]
    if len(missing):
        raise DataValidationError(
            f"control: no value at {format_periods(missing)} inside the estimation window "
            f"{index[0]} to {index[-1]}; narrow the estimation window to the control's span, "
            "or extend the control",
            field="control",
            value=[str(p) for p in missing],
        )
    return aligned


def _effects(fit: _Fit, log: bool, level: float) -> tuple[Effect, Effect | None, Effect | None]:
    """The level change (sum of the steps), the slope change, and the relative effect."""
    p = fit.X.shape[1]
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
    return level_change, slope_change, relative


def _path_and_lost(
    fit: _Fit,
    actual: np.ndarray,
    base: np.ndarray,
    cvalues: pd.Series | None,
    start: int,
    log: bool,
    level: float,
    index: pd.PeriodIndex,
    unit: str,
) -> tuple[pd.DataFrame, LostTrade]:
    """The by-period table and the lost trade with its delta-method interval.

    The table holds the actual values, the fitted values, the counterfactual with its
    prediction band, the gap and its cumulation over the post-event periods.
    """
    n = len(actual)
    tcrit = float(stats.t.ppf(0.5 + level / 2, fit.df))
    X_cf = fit.X.copy()
    X_cf[:, fit.event_cols] = 0.0
    cf = X_cf @ fit.beta + base
    sigma2 = float(fit.resid @ fit.resid) / fit.df
    se_pred = np.sqrt(np.einsum("ij,jk,ik->i", X_cf, fit.V, X_cf) + sigma2)
    lower, upper = cf - tcrit * se_pred, cf + tcrit * se_pred
    transform = np.exp if log else (lambda a: a)
    cf_level = transform(cf)
    post_mask = np.arange(n) >= start
    frame = pd.DataFrame(
        {
            "actual": actual,
            "fitted": transform(fit.X @ fit.beta + base),
            "counterfactual": cf_level,
            "lower": transform(lower),
            "upper": transform(upper),
            "gap": actual - cf_level,
            "post": post_mask,
        },
        index=pd.PeriodIndex(index, name="period"),
    )
    if cvalues is not None:
        frame.insert(1, "control", cvalues.to_numpy(dtype=np.float64))
    frame["cumulative_gap"] = np.where(
        post_mask, np.cumsum(np.where(post_mask, frame["gap"], 0.0)), 0.0
    )
    grad = (cf_level[post_mask, None] * X_cf[post_mask]) if log else X_cf[post_mask]
    g = grad.sum(axis=0)
    lost_est = float(np.sum(cf_level[post_mask] - actual[post_mask]))
    # the quadratic form on the gradient divided by a power of two (exact), then scaled back
    g_scale = float(pow2_scale(float(np.max(np.abs(g))) if len(g) else 0.0))
    lost_se = g_scale * math.sqrt(max(float((g / g_scale) @ fit.V @ (g / g_scale)), 0.0))
    lost = LostTrade(
        lost_est,
        lost_se,
        (lost_est - tcrit * lost_se, lost_est + tcrit * lost_se),
        index[start],
        index[-1],
        unit,
    )
    return frame, lost


def _tables(
    fit: _Fit, ordered: list[tuple[pd.Period, str]], level: float
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The coefficient table and the table of steps (one per event)."""
    tcrit = float(stats.t.ppf(0.5 + level / 2, fit.df))
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
    return coefficients, steps


def _impact_options(
    model: Model,
    index: pd.PeriodIndex,
    spec: Spec,
    control: Any,
    control_label: str | None,
    use_seasonal: bool,
    cov: str,
    lags: int | None,
    level: float,
) -> dict[str, Any]:
    """Every option the estimate used, as :attr:`ImpactResult.options` records them."""
    log, trend = spec.log, spec.trend
    return {
        "model": model,
        "pre": str(index[0]),
        "post": str(index[-1]),
        "log": log,
        "trend": trend,
        "counterfactual": "control" if control is not None else ("trend" if trend else "mean"),
        "control": control_label,
        "seasonal": use_seasonal,
        "cov": cov,
        "hac_lags": lags,
        "level": level,
    }


def _estimation_window(values: pd.Series, pre: Any, post: Any, freq: Frequency) -> pd.Series:
    """The values from ``pre`` to ``post`` (default: all), refusing gaps inside."""
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
            f"y: gaps in the estimation window at {format_periods(missing)}; choose an "
            "estimation window without them",
            field="y",
            value=[str(p) for p in missing],
        )
    return window


def _check_positive(vals: pd.Series | None, index: pd.PeriodIndex, name: str) -> None:
    """``log=True`` needs positive values (of the series and of its control)."""
    if vals is not None and (vals.to_numpy() <= 0).any():
        bad = index[vals.to_numpy() <= 0]
        raise DataValidationError(
            f"{name}: log=True needs positive values; non-positive at {format_periods(bad)}",
            field=name,
            value=[str(p) for p in bad],
        )


#: How many times larger (or smaller) than the series a control may be, on average over the
#: window, before a difference in levels is mostly the control's own movement.
CONTROL_SCALE_LIMIT = 100.0


def _scale_caveat(path: pd.DataFrame, label: str, lost: LostTrade | None) -> str:
    """In levels: the control's size against the series' when it is orders of magnitude off.

    Empty when the mean control is within :data:`CONTROL_SCALE_LIMIT` times the mean series
    (either way); otherwise the ratio and (given ``lost``) what it does to the trade lost.
    """
    c_mean, y_mean = float(path["control"].mean()), float(path["actual"].mean())
    ratio = c_mean / y_mean if y_mean > 0 else math.inf
    if 1.0 / CONTROL_SCALE_LIMIT <= ratio <= CONTROL_SCALE_LIMIT:
        return ""
    if ratio > 1.0:
        size = "infinitely many times" if math.isinf(ratio) else f"{ratio:,.0f} times"
    else:
        size = "a negligible fraction of" if ratio == 0.0 else f"1/{1.0 / ratio:,.0f} of"
    named = "the control" if label == "control" else f"the control ({label})"
    own = float(path.loc[path["post"], "actual"].sum())
    share = (
        f"; the trade lost, {money(lost.estimate, lost.unit)}, is {abs(lost.estimate) / own:,.0f} "
        f"times the series' own trade over {lost.start}–{lost.end}"
        if lost is not None and own > 0 and abs(lost.estimate) > CONTROL_SCALE_LIMIT * own
        else ""
    )
    return (
        f"difference-in-differences in levels: {named} is on average {size} the series over "
        f"{path.index[0]}–{path.index[-1]}, so the difference in levels is mostly the "
        f"control's own movement, not a comparison of like with like{share}; use log=True "
        "(a gap in logs does not depend on the size of either series)"
    )


def _check_levels(result: ImpactResult) -> None:
    """A counterfactual in levels: reported only where it can be a trade value.

    A control orders of magnitude larger or smaller than the series is named in a caveat
    (``"fit"``); a counterfactual below zero in a post-event period is refused: trade cannot
    be negative, and the trade lost against it would be a meaningless number.

    Raises
    ------
    DataValidationError
        The counterfactual is negative in a post-event period (naming the periods, the
        lowest value and what to use instead).
    """
    opts = result.options
    if opts["log"]:
        return
    path = result.path
    label = opts["control"]
    cf = path["counterfactual"].to_numpy(dtype=np.float64)
    bad = path["post"].to_numpy(dtype=bool) & (cf < 0)
    if not bad.any():
        scale = "" if label is None else _scale_caveat(path, label, result.lost)
        if scale:
            emit(scale, "fit")
        return
    field = "log" if label is None else "control"
    fix = (
        "use log=True (a counterfactual in logs stays positive), a counterfactual without a "
        "trend, or a shorter estimation window after the event"
        if label is None
        else _scale_caveat(path, label, None)
        or "use log=True: the gap in logs keeps the counterfactual positive"
    )
    raise DataValidationError(
        f"{field}: the counterfactual in levels is negative at "
        f"{format_periods(path.index[bad])} (down to {money(float(cf[bad].min()), result.unit)})"
        f"; trade cannot be negative, so no trade lost can be measured against it; {fix}",
        field=field,
        value=[str(p) for p in path.index[bad]],
    )


def _check_catalog(event: Any, catalog: EventCatalog, index: pd.PeriodIndex) -> None:
    """The events given, against ``catalog``; then the confounders inside the window.

    An event whose reference the catalog dates otherwise is refused; the events analysed are
    not named as confounders of themselves.
    """
    items = event if isinstance(event, list | tuple) else [event]
    analysed = [e for e in items if isinstance(e, TradeEvent)]
    for e in analysed:
        check_catalog_event(e, catalog)
    check_window(catalog, index[0], index[-1], where="event_impact", exclude=analysed)


def _event_positions(
    event: Any, index: pd.PeriodIndex, freq: Frequency, spec: Spec, model: Model
) -> tuple[list[tuple[pd.Period, str]], list[int]]:
    """The events in order of their first periods, and those periods' positions.

    Raises
    ------
    DataValidationError
        No event, two events in one period, an event outside the window or too near its end.
    InsufficientDataError
        Fewer periods before the first event than the model needs (:meth:`Spec.periods_needed`).
    """
    items = list(event) if isinstance(event, list | tuple) else [event]
    if not items:
        raise DataValidationError(
            "event: no event given (an empty list)", field="event", value=list(items)
        )
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
    n = len(index)
    need, min_post = spec.periods_needed(freq, model=model)
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
    if starts[0] < need:
        raise InsufficientDataError(
            f"the impact regression on {spec.terms(freq)} needs at least {need} observations "
            f"before {ordered[0][1]} ({ordered[0][0]}), got {starts[0]}"
        )
    return ordered, starts


def event_impact(
    y: Any,
    event: Any,
    *,
    model: Model = "level",
    pre: Any = None,
    post: Any = None,
    log: bool = True,
    trend: bool = True,
    control: Any = None,
    seasonal: bool | Literal["auto"] = "auto",
    cov: CovType = "HAC",
    hac_lags: int | None = None,
    level: float = 0.95,
    catalog: EventCatalog | None = None,
) -> ImpactResult:
    """Estimate the effect of one or more events by segmented regression.

    Model (one event, ``model="level+slope"``, ``trend=True``, no seasonal terms):

        o_t = b0 + b1 t + b2 post_t + b3 (t - T0) post_t + e_t,

    with ``t = 1, …, n`` over the estimation window, ``post_t = 1`` from the first
    post-event period (inclusive) and ``T0`` the value of ``t`` in the last pre-event period,
    so the slope term is 1 in the first post-event period. The outcome ``o_t`` is ``log y_t``
    (``log=True``) or ``y_t``; with a ``control`` series ``c_t`` it is the gap
    ``log y_t - log c_t`` (or ``y_t - c_t``): a difference-in-differences in which the
    control carries what moved both series. ``model="level"`` drops the slope term;
    ``trend=False`` drops ``b1 t`` (the counterfactual is then the pre-period mean, or the
    pre-period mean gap to the control); each further event adds its own step (and slope);
    for monthly (quarterly) data ``seasonal="auto"`` adds month (quarter) dummies. With
    ``log=True`` the level change is in log points and ``relative_effect = exp(b) - 1``.

    The intervention starts at ``event.first_period(freq)``, the first period that starts on
    or after the event date (UNSCR 2397 of 2017-12-22: 2018 in annual data). A period given
    directly is taken as that first post-event period; a date is treated like an event on
    that day.

    With several events, ``level_change`` (``slope_change``) is the total change after the
    last event (the sum of the steps, with its standard error); ``steps`` lists each event.

    The regression is a statsmodels OLS fit (``result.regression``). Standard errors:
    ``cov="HAC"`` (default) is Newey–West with a Bartlett kernel, ``hac_lags`` lags (default
    ``floor(4 (n/100)^(2/9))``), no prewhitening and no small-sample adjustment — R's
    ``sandwich::NeweyWest(fit, lag = L, prewhite = FALSE, adjust = FALSE)``, statsmodels'
    ``cov_type="HAC"`` with ``use_correction=False``; ``"HC1"`` and ``"classical"`` are also
    available. p-values and intervals use the t distribution with ``n - p`` degrees of
    freedom (as R's ``lmtest::coeftest``).

    The counterfactual is the fitted model with every event term set to zero (times the
    control, with a control); its band is a prediction band (coefficient uncertainty plus
    the residual variance). ``lost`` is the cumulated ``counterfactual - actual`` over the
    post-event periods, in the series' unit, with a delta-method interval.

    Parameters
    ----------
    y : TradeSeries or pandas.Series
    event : TradeEvent, date, period, or a list of them
    model : {"level", "level+slope"}, default "level"
    pre, post : period-like, optional
        First and last period of the estimation window (default: the whole series; see
        :func:`bilateral_trade.analyze` for a window chosen from a catalog's confounders).
    log, trend : bool, default True
    control : TradeSeries or pandas.Series, optional
        A control series of the same frequency covering the window.
    seasonal : bool or "auto", default "auto"
    cov : {"HAC", "HC1", "classical"}, default "HAC"
    hac_lags : int, optional
    level : float, default 0.95
    catalog : EventCatalog, optional
        When given, a :class:`~bilateral_trade.DataQualityWarning` names every confounder
        (:attr:`EventKind.role` ``"confounder"`` or ``"measurement"``) inside the window.

    Returns
    -------
    ImpactResult

    Raises
    ------
    DataValidationError
        An event outside the window or too near its ends (the message says how many periods
        are needed), two events in the same period (naming both), missing values in the
        window (in ``y`` or ``control``), non-positive values with ``log=True``; in levels
        (``log=False``), a counterfactual below zero in a post-event period (trade cannot be
        negative: no trade lost is measured against it).
    InsufficientDataError
        Too few pre-event observations for the model (the message gives the minimum).

    Warns
    -----
    DataQualityWarning
        A trend extrapolated over more post-event periods than the pre-period holds;
        a confounder inside the window (with ``catalog``); in levels, a control more than
        :data:`CONTROL_SCALE_LIMIT` (100) times larger or smaller than the series on average.

    References
    ----------
    Wagner, A. K., Soumerai, S. B., Zhang, F. and Ross-Degnan, D. (2002), Segmented regression
    analysis of interrupted time series studies, J. Clin. Pharm. Ther. 27, 299–309. Newey, W. K.
    and West, K. D. (1987, 1994). Angrist, J. D. and Pischke, J.-S. (2009), Mostly Harmless
    Econometrics, ch. 5 (difference-in-differences).

    Examples
    --------
    >>> import bilateral_trade as bt
    >>> s = bt.datasets.china_dprk_trade()
    >>> r = bt.event_impact(s, bt.datasets.dprk_sanctions().get("UNSCR 2397"), post=2019)
    >>> r.relative_effect.estimate < 0
    True
    """
    result = _estimate(
        y,
        event,
        model=model,
        pre=pre,
        post=post,
        log=log,
        trend=trend,
        control=control,
        seasonal=seasonal,
        cov=cov,
        hac_lags=hac_lags,
        level=level,
        catalog=catalog,
    )
    _check_levels(result)
    return result


def _estimate(
    y: Any,
    event: Any,
    *,
    model: Model = "level",
    pre: Any = None,
    post: Any = None,
    log: bool = True,
    trend: bool = True,
    control: Any = None,
    seasonal: bool | Literal["auto"] = "auto",
    cov: CovType = "HAC",
    hac_lags: int | None = None,
    level: float = 0.95,
    catalog: EventCatalog | None = None,
) -> ImpactResult:
    """The estimate of :func:`event_impact`, without its checks of a counterfactual in levels.

    :func:`placebo_test` fits its fake events with it: a placebo compares level changes,
    and its fits' counterfactuals are not reported.
    """
    model = check_choice(model, "model", ("level", "level+slope"))
    level = check_level(level)
    spec = Spec.from_keywords(log=log, trend=trend, seasonal=seasonal, cov=cov, hac_lags=hac_lags)
    log, trend = spec.log, spec.trend
    values, freq, series = as_values(y, field="y")
    if control is not None:
        check_same_unit(control, y, "control")
    window = _estimation_window(values, pre, post, freq)
    index = period_index(window)
    cvalues = None if control is None else _control_values(control, window, freq)
    if log:
        for name, vals in (("y", window), ("control", cvalues)):
            _check_positive(vals, index, name)
    n = len(index)
    use_seasonal = spec.seasonal_dummies(freq) > 0
    ordered, starts = _event_positions(event, index, freq, spec, model)
    cov, lags = spec.hac(n)
    if catalog is not None:
        _check_catalog(event, catalog, index)
    n_post = n - starts[0]
    if trend and n_post > starts[0]:
        emit(
            f"the trend counterfactual is extrapolated over {n_post} periods "
            f"from {index[starts[0]]} on, more than the {starts[0]} pre-event periods it was "
            "fitted on; shorten the estimation window after the event, or use a counterfactual "
            "without a trend or against a control series",
            "extrapolation",
        )
    actual = window.to_numpy(dtype=np.float64)
    if not log:  # levels are squared in data units: refuse what would overflow
        for name, level_values in (("y", actual), ("control", cvalues)):
            check_level_range(level_values, name, "the impact regression in levels")
    outcome = np.log(actual) if log else actual.copy()
    base = np.zeros(n)
    if cvalues is not None:
        base = np.log(cvalues.to_numpy(dtype=np.float64)) if log else cvalues.to_numpy()
        outcome = outcome - base
    fit = _fit(
        outcome,
        index,
        freq,
        starts,
        model=model,
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
    _check_not_exact(fit, spec, index)
    level_change, slope_change, relative = _effects(fit, log, level)
    unit = series.unit if series is not None else ""
    frame, lost = _path_and_lost(fit, actual, base, cvalues, starts[0], log, level, index, unit)
    coefficients, steps = _tables(fit, ordered, level)
    control_label = None
    if control is not None:
        _, _, cseries = as_values(control, field="control")
        control_label = cseries.label if cseries is not None else "control"
    return ImpactResult(
        level_change=level_change,
        slope_change=slope_change,
        relative_effect=relative,
        path=frame,
        lost=lost,
        coefficients=coefficients,
        steps=steps,
        event_periods=tuple(p for p, _ in ordered),
        event_labels=tuple(lab for _, lab in ordered),
        nobs=n,
        label=(title_in_words(series) if series is not None else str(values.name or "y")),
        unit=series.unit if series is not None else "",
        options=_impact_options(
            model, index, spec, control, control_label, use_seasonal, cov, lags, level
        ),
        regression=fit.regression,
    )


@dataclass(frozen=True, eq=False)
class PlaceboResult(Result):
    """Placebo-in-time test: the same model at fake event periods before the real one.

    ``p_value = (1 + k) / (1 + m)`` with ``m`` placebo periods of which ``k`` gave a level
    change at least as large in absolute value as the real one (the real effect counts as
    one draw of the placebo distribution, so the p-value is never 0; the smallest value
    attainable is ``1 / (1 + m)``). A small value says the real effect is unusual for this
    series.
    """

    real: ImpactResult
    placebos: pd.DataFrame
    p_value: float
    options: Mapping[str, Any] = field(default_factory=dict)

    def headline(self) -> str:
        """The placebo p-value and how many placebos were at least as large."""
        return (
            f"Placebo-in-time test — {self.real.label}: p = {self.p_value:.3g} "
            f"({self.n_extreme} of {len(self.placebos)} placebos at least as large)"
        )

    def summary(self) -> Summary:
        """Readable text of the test."""
        lines = [
            f"Placebo-in-time test — {self.real.label}",
            f"  real event(s): {', '.join(self.real.event_labels)}; level change "
            f"{self.real.level_change.estimate:.4g}",
            f"  placebo periods: {len(self.placebos)} "
            f"({self.placebos['period'].iloc[0]} to {self.placebos['period'].iloc[-1]})",
            f"  placebo effects at least as large: {self.n_extreme} of {len(self.placebos)}; "
            f"p = (1 + {self.n_extreme}) / (1 + {len(self.placebos)}) = {self.p_value:.3g} "
            f"(smallest attainable {self.min_p_value:.3g})",
        ]
        return Summary("\n".join(lines))

    @property
    def n_extreme(self) -> int:
        """Number of placebo level changes at least as large (in absolute value) as the real."""
        real = abs(self.real.level_change.estimate)
        return int(ties_or_exceeds(np.abs(self.placebos["estimate"].to_numpy()), real).sum())

    @property
    def min_p_value(self) -> float:
        """The smallest p-value attainable with this many placebos: ``1 / (1 + m)``."""
        return 1.0 / (1 + len(self.placebos))

    def to_frame(self) -> pd.DataFrame:
        """The placebo distribution: period, estimate, std_error, p_value."""
        return self.placebos.copy()

    def to_dict(self) -> JSONDict:
        """JSON-ready dictionary."""
        return {
            "method": "placebo-in-time test",
            "real": self.real.to_dict(),
            "p_value": self.p_value,
            "n_extreme": self.n_extreme,
            "min_p_value": self.min_p_value,
            "placebos": [
                {
                    "period": str(r["period"]),
                    "estimate": json_number(r["estimate"]),
                    "std_error": json_number(r["std_error"]),
                }
                for r in self.placebos.to_dict(orient="records")
            ],
            "options": json_value(self.options),
        }


def placebo_test(
    y: Any, event: Any, *, n_placebos: int | None = None, **options: Any
) -> PlaceboResult:
    """Placebo-in-time test of :func:`event_impact`.

    The model is estimated with the real event, then, on the data before the real event
    only, at every admissible fake event period (enough observations before it for the
    model, and at least one period — two for ``"level+slope"`` — between it and the real
    event). With ``k`` of the ``m`` placebo level changes at least as large in absolute
    value as the real one, the p-value is ``(1 + k) / (1 + m)``: never 0, and at least
    ``1 / (1 + m)`` (Abadie, Diamond and Hainmueller 2010, section 2.4, for the rank logic).

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
    if n_placebos is not None:
        n_placebos = check_int(n_placebos, "n_placebos", minimum=1)
    real = event_impact(y, event, **options)
    values, freq, _ = as_values(y, field="y")
    control = options.get("control")
    first_real = real.event_periods[0]
    pre_opt = options.get("pre")
    before = values[values.index < first_real]
    if pre_opt is not None:
        before = before[before.index >= parse_period(pre_opt, freq, field="pre")]
    opts = {k: v for k, v in options.items() if k not in ("pre", "post", "catalog")}
    if control is not None:
        opts["control"] = control
    spec = Spec.from_options(real.options)
    need, min_post = spec.periods_needed(freq, model=real.options["model"])
    periods = period_index(before)
    admissible = periods[need : len(periods) - min_post + 1]
    if len(admissible) == 0:
        raise InsufficientDataError(
            f"placebo_test: no admissible placebo period before {first_real}: a fake event "
            f"needs {need} observations before it ({spec.terms(freq)}) and {min_post} from it "
            f"on, and {len(periods)} precede the real event"
        )
    with collecting():  # the fake periods are the design: their caveats say nothing new
        candidates = [(period, _estimate(before, period, **opts)) for period in admissible]
    if n_placebos is not None:
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
    p_value = rank_p_value(np.abs(frame["estimate"].to_numpy()), abs(real.level_change.estimate))
    shown = {key: val for key, val in options.items() if key not in ("control", "catalog")}
    return PlaceboResult(real, frame, p_value, {"n_placebos": len(frame), **shown})
