"""Chow test for structural change at known break periods."""

from __future__ import annotations

import itertools
import math
from collections.abc import Sequence
from typing import Any

import numpy as np
from scipy import stats

from ...data.events import EventCatalog, TradeEvent
from ...errors import DataValidationError
from ...models.caveats import check_window
from ...models.design import (
    break_position,
    build_design,
    check_regime_rank,
    exact_break_error,
    exact_null_error,
)
from ...models.ols import cov_hac, cov_hc1, ols
from ...models.spec import CovType, Spec
from ...models.validators import finite_statistic
from .pvalues import LEVELS, f_pvalue
from .results import BreakTestResult

__all__ = ["chow_test"]


def chow_test(
    y: Any,
    at: Any,
    *,
    exog: Any = None,
    trend: bool = False,
    log: bool = False,
    cov: CovType = "classical",
    hac_lags: int | None = None,
    catalog: EventCatalog | None = None,
) -> BreakTestResult:
    """Chow test of constant coefficients against breaks at known periods.

    Model: ``y_t = x_t' b_j + u_t`` in regime ``j``, with an intercept always included,
    a linear trend if ``trend=True`` and the columns of ``exog``; all coefficients may
    break. With ``m`` break periods and ``k`` regressors the statistic is
    ``F = ((RSS_0 - RSS_1) / (m k)) / (RSS_1 / (n - (m + 1) k))`` with p-value from
    ``F(m k, n - (m + 1) k)`` (``scipy.stats.f.sf``). For one break this equals R's
    ``strucchange::sctest(formula, type = "Chow", point = b)``. With
    ``cov="HC1"`` or ``"HAC"`` the statistic is the Wald statistic of the coefficient
    differences with a heteroskedasticity- (HC1) or autocorrelation-robust
    (Newey–West, Bartlett kernel, ``hac_lags`` lags, no prewhitening) covariance,
    divided by ``m k``, with the same F reference distribution (as statsmodels'
    ``f_test`` on a robust fit).

    Parameters
    ----------
    y : TradeSeries or pandas.Series
        Complete series on a regular PeriodIndex or DatetimeIndex.
    at : period-like, TradeEvent, or a list of them
        The first period of each new regime: ``2018``, ``"2018-01"``, a
        :class:`pandas.Period`, or an event (``event.first_period(freq)`` is used:
        UNSCR 2397 of 2017-12-22 gives 2018 in annual data). strucchange's ``point``
        (the last observation of the old regime, 1-based) is our 0-based position.
    exog : pandas.DataFrame, optional
        Further regressors on the index of ``y``.
    trend : bool, default False
        Add a linear trend.
    log : bool, default False
        Test ``log(y)``; non-positive values raise.
    cov : {"classical", "HC1", "HAC"}, default "classical"
    hac_lags : int, optional
        Lags of the Newey–West covariance; default ``floor(4 (n/100)^(2/9))``.
    catalog : EventCatalog, optional
        When given, a :class:`~bilateral_trade.DataQualityWarning` names every confounder
        or measurement event (:attr:`EventKind.role`) dated within the data tested.

    Returns
    -------
    BreakTestResult

    Raises
    ------
    DataValidationError
        A break period outside the admissible interior (the message gives the range),
        repeated break periods, ``hac_lags`` not below ``n``, regressors collinear within a
        regime, or invalid data (see
        :func:`bilateral_trade.sup_f_test`).
    InsufficientDataError
        Too few observations, a constant series, or an exact fit up to rounding (see
        Notes): the model without a break fits exactly (nothing to test), or the model
        with the breaks fits exactly (the F statistic is infinite and has no p-value).

    Warns
    -----
    DataQualityWarning
        ``hac_lags`` above ``n / 4``.

    Notes
    -----
    A residual sum of squares is treated as zero when it is at most
    ``1000 n eps TSS + (n eps)^2 sum(y^2)`` (``eps`` the machine epsilon, ``TSS`` the
    centred total sum of squares): the rounding error of the computation and of the data.
    The bound scales with ``y^2``, so the test stays invariant to the units of ``y``.

    References
    ----------
    Chow, G. C. (1960), Tests of equality between sets of coefficients in two linear
    regressions, Econometrica 28(3), 591–605.

    Examples
    --------
    >>> import bilateral_trade as bt
    >>> s = bt.datasets.china_dprk_trade()
    >>> unscr = bt.datasets.dprk_sanctions().get("UNSCR 2397")
    >>> r = bt.chow_test(s, unscr, log=True, trend=True)
    >>> str(r.break_periods[0]), r.p_value < 0.01
    ('2018', True)
    """
    spec = Spec.from_keywords(log=log, trend=trend, cov=cov, hac_lags=hac_lags)
    design = build_design(y, spec, exog=exog)
    items: Sequence[Any] = at if isinstance(at, list | tuple) else [at]
    analysed = [a for a in items if isinstance(a, TradeEvent)]
    check_window(catalog, design.index[0], design.index[-1], where="chow_test", exclude=analysed)
    n, k = design.n, design.k
    cov, lags = spec.hac(n)
    if not items:
        raise DataValidationError("at: no break period given", field="at", value=at)
    positions = sorted(break_position(design, a) for a in items)
    if len(set(positions)) != len(positions):
        raise DataValidationError(
            "at: the same break period is given twice", field="at", value=[str(a) for a in items]
        )
    m = len(positions)
    spec.require_nobs(n, k, "the Chow test", breaks=m)
    bounds = [0, *positions, n]
    first_pos, last_pos = spec.chow_range(n, k)
    for lo, hi in itertools.pairwise(bounds):
        if hi - lo < first_pos:
            first, last = design.index[first_pos], design.index[last_pos]
            raise DataValidationError(
                f"at: every regime needs more than {k} observations (the number of "
                f"regressors); the admissible break periods run from {first} to {last}"
                + ("" if m == 1 else " with at least that spacing between breaks"),
                field="at",
                value=[str(design.index[p]) for p in positions],
            )
    for lo, hi in itertools.pairwise(bounds):
        check_regime_rank(design, lo, hi)
    X, yv = design.X, design.y
    df1, df2 = float(m * k), float(n - (m + 1) * k)
    _, e0 = ols(X, yv)
    rss0 = float(e0 @ e0)
    if design.exact(rss0):
        raise exact_null_error(design)
    rss1 = 0.0
    for lo, hi in itertools.pairwise(bounds):
        _, e = ols(X[lo:hi], yv[lo:hi])
        rss1 += float(e @ e)
    if design.exact(rss1):
        raise exact_break_error(design, positions, "the F statistic")
    if cov == "classical":
        # nested models: RSS_1 <= RSS_0 exactly; a difference below zero is rounding
        stat = (max(rss0 - rss1, 0.0) / df1) / (rss1 / df2)
    else:
        blocks = [X]
        for p in positions:
            shifted = np.zeros_like(X)
            shifted[p:] = X[p:]
            blocks.append(shifted)
        Z = np.hstack(blocks)
        beta, e = ols(Z, yv)
        V = cov_hc1(Z, e) if cov == "HC1" else cov_hac(Z, e, int(lags or 0))
        delta = beta[k:]
        try:
            stat = float(delta @ np.linalg.solve(V[k:, k:], delta)) / df1
        except np.linalg.LinAlgError:
            stat = math.nan
    stat = finite_statistic(stat, "the F statistic")
    pval = f_pvalue(stat, df1, df2)
    crit = {name: float(stats.f.isf(level, df1, df2)) for name, level in LEVELS.items()}
    return BreakTestResult(
        statistic=float(stat),
        p_value=pval,
        critical_values=crit,
        df=(df1, df2),
        break_periods=tuple(design.index[p] for p in positions),
        nobs=n,
        method="Chow test" + ("" if cov == "classical" else f" (Wald form, {cov} covariance)"),
        null_hypothesis="no structural change at the given period(s)",
        alternative="all coefficients change at the given period(s)",
        label=design.label,
        options={**design.options(), "cov": cov, "hac_lags": lags},
        reference="Chow (1960); as R strucchange::sctest(type = 'Chow')",
    )
