"""sup-F, ave-F and exp-F tests for one structural break at an unknown period."""

from __future__ import annotations

import math
from functools import cache
from typing import Any

import numpy as np
import pandas as pd
from scipy.special import logsumexp

from ...data.events import EventCatalog
from ...models.caveats import check_window
from ...models.design import (
    Design,
    build_design,
    check_regime_rank,
    collinear_regimes_error,
    exact_break_error,
    exact_null_error,
    window_positions,
)
from ...models.ols import cov_hac, cov_hc1, ols, rss_prefix_suffix
from ...models.spec import CovType, Spec
from ...models.validators import finite_statistic
from .pvalues import LEVELS, critical_value, hansen_pvalue
from .results import SupFTestResult, TestStatistic

__all__ = ["sup_f_test"]


def _wald_path(design: Design, points: np.ndarray, cov: str, lags: int) -> np.ndarray:
    X, y, k, n = design.X, design.y, design.k, design.n
    out = np.empty(len(points))
    for i, p in enumerate(points):
        check_regime_rank(design, 0, int(p))
        check_regime_rank(design, int(p), n)
        Z = np.hstack([X, np.where(np.arange(n)[:, None] >= p, X, 0.0)])
        beta, e = ols(Z, y)
        if design.exact(float(e @ e)):
            raise exact_break_error(design, [p], "the sup-F statistic")
        V = cov_hc1(Z, e) if cov == "HC1" else cov_hac(Z, e, lags)
        delta = beta[k:]
        try:
            out[i] = float(delta @ np.linalg.solve(V[k:, k:], delta))
        except np.linalg.LinAlgError:
            out[i] = math.nan
    return out


@cache
def _critical_values(kind: str, k: int, lam: float) -> tuple[tuple[str, float], ...]:
    return tuple(
        (label, critical_value(lambda s: hansen_pvalue(s, kind, k, lam)[0], level))
        for label, level in LEVELS.items()
    )


def _statistic(name: str, kind: str, value: float, k: int, lam: float) -> TestStatistic:
    p, method = hansen_pvalue(value, kind, k, lam)
    crit = dict(_critical_values(kind, k, lam))
    return TestStatistic(name, float(value), float(p), crit, method)


def sup_f_test(
    y: Any,
    *,
    exog: Any = None,
    trend: bool = False,
    log: bool = False,
    trim: float | int = 0.15,
    cov: CovType = "classical",
    hac_lags: int | None = None,
    window: Any = None,
    catalog: EventCatalog | None = None,
) -> SupFTestResult:
    """Andrews' sup-F and Andrews–Ploberger ave-F and exp-F tests for one break.

    Model: ``y_t = x_t' b_1 + u_t`` before the break and ``x_t' b_2 + u_t`` from it, with
    an intercept always included, a linear trend if ``trend=True`` and the columns of
    ``exog`` (all coefficients may break). For every candidate break the statistic
    ``F(b) = (RSS_0 - RSS_1(b)) / (RSS_1(b) / (n - 2k))`` is computed (the Wald form,
    **not** divided by ``k``: strucchange's ``Fstats`` scale); sup-F is its maximum,
    ave-F its mean and exp-F ``log(mean(exp(F / 2)))`` (computed without overflow).

    Candidate breaks are exactly strucchange's ``Fstats(from = trim)``: with
    ``h = floor(trim * n)`` (or ``h = trim`` for an integer), the old regime ends at
    observation ``h, …, n - h`` (1-based), i.e. the first period of the new regime is at
    0-based position ``h, …, n - h`` — our break periods are first periods of new
    regimes, strucchange's breakpoints the last periods of old ones.

    p-values follow Hansen (1997) as in strucchange, with ``lambda = ((n - h)(n - h)) /
    (h · h)`` from the trimming. For ave-F and exp-F, where Hansen's approximation stops
    falling for large statistics (strucchange then reports p-values climbing back
    towards 1), a documented upper bound from the sup-F distribution is reported
    instead (``p_value_method == "bound"``); p-values are non-increasing in the
    statistic and never NaN. With ``cov="HC1"`` or ``"HAC"`` the path is the robust
    Wald statistic, as strucchange's ``Fstats(vcov. = …)``.

    Parameters
    ----------
    y : TradeSeries or pandas.Series
    exog : pandas.DataFrame, optional
    trend, log : bool
    trim : float in (0, 0.5) or int, default 0.15
        Minimal regime length as a fraction of ``n`` or a number of observations.
    cov : {"classical", "HC1", "HAC"}, default "classical"
    hac_lags : int, optional
        Newey–West lags (Bartlett kernel, no prewhitening); default ``floor(4 (n/100)^(2/9))``.
    window : (start, end), optional
        Only consider breaks whose first new period lies in this range of periods (or the
        first periods of two events), intersected with the trimming — strucchange's
        ``from``/``to``. The p-values then use Andrews' ``lambda`` of the restricted range.
    catalog : EventCatalog, optional
        When given, a :class:`~bilateral_trade.DataQualityWarning` names every confounder
        or measurement event (:attr:`EventKind.role`) dated within the data tested.

    Returns
    -------
    SupFTestResult

    Raises
    ------
    InsufficientDataError
        A series too short for the trimming (the message gives the minimum ``n``), constant,
        or fitted exactly (up to rounding, as :func:`bilateral_trade.chow_test`) by the model
        without a break (nothing to test) or with a break at some candidate period (the F
        statistic there is infinite and has no p-value).
    DataValidationError
        ``trim`` outside (0, 0.5), missing values, collinear ``exog`` (also within a regime
        of some candidate break), ``exog`` on another index, ``log=True`` with non-positive
        values, ``hac_lags`` not below ``n``.

    Warns
    -----
    DataQualityWarning
        ``hac_lags`` above ``n / 4``.

    References
    ----------
    Andrews, D. W. K. (1993), Tests for parameter instability and structural change with
    unknown change point, Econometrica 61(4), 821–856. Andrews, D. W. K. and Ploberger, W.
    (1994), Optimal tests when a nuisance parameter is present only under the alternative,
    Econometrica 62(6), 1383–1414. Hansen, B. E. (1997), Approximate asymptotic p values
    for structural-change tests, JBES 15(1), 60–67. Zeileis et al. (2002), strucchange,
    JSS 7(2).

    Examples
    --------
    >>> import bilateral_trade as bt
    >>> r = bt.sup_f_test(bt.datasets.china_dprk_trade(), log=True, trim=0.15)
    >>> r.sup_f.p_value < 0.05
    True
    """
    spec = Spec.from_keywords(log=log, trend=trend, cov=cov, hac_lags=hac_lags)
    design = build_design(y, spec, exog=exog)
    check_window(catalog, design.index[0], design.index[-1], where="sup_f_test")
    n, k = design.n, design.k
    cov, lags = spec.hac(n)
    start, stop = spec.break_range(n, k, trim, "sup-F")
    start, stop = window_positions(design, window, start, stop)
    points = np.arange(start, stop + 1)
    if cov == "classical":
        prefix, suffix = rss_prefix_suffix(design.X, design.y)
        rss0 = float(prefix[n])
        if design.exact(rss0):
            raise exact_null_error(design)
        rss1 = prefix[points] + suffix[points]
        undefined = np.isnan(rss1)
        if undefined.any():
            raise collinear_regimes_error(design, [0, int(points[np.argmax(undefined)]), n])
        exact = rss1 <= design.tol
        if exact.any():
            raise exact_break_error(design, [points[np.argmax(exact)]], "the sup-F statistic")
        # nested models: RSS_1 <= RSS_0 exactly; a difference below zero is rounding
        path = np.maximum(rss0 - rss1, 0.0) / (rss1 / (n - 2 * k))
    else:
        _, e0 = ols(design.X, design.y)
        if design.exact(float(e0 @ e0)):
            raise exact_null_error(design)
        path = _wald_path(design, points, cov, int(lags or 0))
    if not np.isfinite(path).all():
        finite_statistic(float(path[~np.isfinite(path)][0]), "the F statistic at some candidate")
    lam = ((n - start) * stop) / (start * (n - stop))
    sup = finite_statistic(float(path.max()), "the sup-F statistic")
    ave = float(path.mean())
    expf = float(logsumexp(0.5 * path) - math.log(len(path)))
    f_path = pd.Series(path, index=design.index[start : stop + 1], name="F")  # the points
    return SupFTestResult(
        sup_f=_statistic("sup-F", "sup", sup, k, lam),
        ave_f=_statistic("ave-F", "ave", ave, k, lam),
        exp_f=_statistic("exp-F", "exp", expf, k, lam),
        break_period=design.index[int(points[int(np.argmax(path))])],
        f_path=f_path,
        nobs=n,
        nreg=k,
        lam=float(lam),
        label=design.label,
        options={
            **design.options(),
            "trim": trim,
            "from": int(start),
            "to": int(stop),
            "window": None
            if window is None
            else [str(design.index[start]), str(design.index[stop])],
            "cov": cov,
            "hac_lags": lags,
        },
    )
