"""Chow's predictive (forecast) test: a break when the new regime is too short to estimate."""

from __future__ import annotations

from typing import Any

from scipy import stats

from ...errors import DataValidationError, InsufficientDataError
from ...models.design import break_position, build_design, exact_null_error
from ...models.ols import ols
from ...models.spec import Spec
from ...models.validators import finite_statistic
from .pvalues import LEVELS, f_pvalue
from .results import BreakTestResult

__all__ = ["chow_forecast_test"]


def chow_forecast_test(
    y: Any, at: Any, *, exog: Any = None, trend: bool = False, log: bool = False
) -> BreakTestResult:
    """Chow's predictive test: do the periods from ``at`` on follow the earlier model.

    Chow's second test, for a new regime with too few observations to estimate its own
    coefficients (``n2 <= k``, e.g. two years after a resolution in annual data with a
    trend). With ``n1`` observations before the break (``RSS_1`` from the model fitted on
    them alone) and ``n2`` from it on (``RSS`` from the model fitted on all ``n``):

        F = ((RSS - RSS_1) / n2) / (RSS_1 / (n1 - k))  ~  F(n2, n1 - k)

    under the null of no change (the same coefficients and error variance). It equals the
    F test that ``n2`` indicator variables, one for each observation from ``at`` on, are
    zero in the regression on all the data. The break period is the first period of the new
    regime.

    Parameters
    ----------
    y : TradeSeries or pandas.Series
    at : period-like or TradeEvent
        The first period of the new regime.
    exog : pandas.DataFrame, optional
    trend, log : bool, default False

    Returns
    -------
    BreakTestResult

    Raises
    ------
    DataValidationError
        ``at`` outside the data, or leaving no observation after it.
    InsufficientDataError
        ``n1 - k < 1``: the pre-break regression has no residual degree of freedom.

    References
    ----------
    Chow, G. C. (1960), Tests of equality between sets of coefficients in two linear
    regressions, Econometrica 28(3), 591–605 (the second test); Greene, W. H.,
    Econometric Analysis, section on predictive tests of model stability.

    Examples
    --------
    >>> import bilateral_trade as bt
    >>> s = bt.datasets.china_dprk_trade().slice(end=2019)
    >>> r = chow_forecast_test(s, 2018, log=True, trend=True)
    >>> r.df, r.p_value < 0.01
    ((2.0, 13.0), True)
    """
    design = build_design(y, Spec.from_keywords(log=log, trend=trend), exog=exog)
    n, k = design.n, design.k
    if isinstance(at, list | tuple):
        raise DataValidationError(
            "at: the predictive test takes one break period", field="at", value=list(at)
        )
    pos = break_position(design, at)
    n1, n2 = pos, n - pos
    if n2 < 1:
        raise DataValidationError(
            f"at: no observation from {design.index[-1] + 1} on", field="at", value=str(at)
        )
    Spec.require_nobs(n1, k, "Chow's predictive test", breaks=0, where=" before the break")
    _, e_all = ols(design.X, design.y)
    _, e_pre = ols(design.X[:pos], design.y[:pos])
    rss, rss1 = float(e_all @ e_all), float(e_pre @ e_pre)
    if design.exact(rss):
        raise exact_null_error(design)
    if design.exact(rss1):
        raise InsufficientDataError(
            "Chow's predictive test: the model fits the pre-break observations exactly, up to "
            f"rounding (noise-free data before {design.index[pos]}); with no residual variance "
            "to compare against, the F statistic is infinite and has no p-value"
        )
    df1, df2 = float(n2), float(n1 - k)
    # nested fits: RSS of all periods >= RSS of the pre-break periods; below is rounding
    stat = finite_statistic((max(rss - rss1, 0.0) / df1) / (rss1 / df2), "the F statistic")
    crit = {name: float(stats.f.isf(level, df1, df2)) for name, level in LEVELS.items()}
    return BreakTestResult(
        statistic=float(stat),
        p_value=f_pvalue(stat, df1, df2),
        critical_values=crit,
        df=(df1, df2),
        break_periods=(design.index[pos],),
        nobs=n,
        method="Chow predictive test",
        null_hypothesis="the observations from the break period on follow the pre-break model",
        alternative="they do not (a change in coefficients or error variance)",
        label=design.label,
        options={**design.options(), "cov": "classical"},
        reference="Chow (1960), second (predictive) test",
    )
