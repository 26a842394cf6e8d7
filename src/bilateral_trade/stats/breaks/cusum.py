"""CUSUM tests: OLS-based (Ploberger–Krämer 1992) and recursive (Brown–Durbin–Evans 1975)."""

from __future__ import annotations

import math
from typing import Any, Literal

import numpy as np
import pandas as pd

from ...data.events import EventCatalog
from ...errors import DataValidationError
from ...models.caveats import check_window
from ...models.design import build_design, exact_null_error
from ...models.ols import ols, standardise
from ...models.spec import Spec
from ...models.validators import check_choice, finite_statistic
from .pvalues import LEVELS, brownian_bridge_sup_pvalue, critical_value, rec_cusum_pvalue
from .results import CusumTestResult

__all__ = ["cusum_test", "recursive_residuals"]


def recursive_residuals(X: np.ndarray, y: np.ndarray) -> np.ndarray:
    """Standardised one-step-ahead prediction errors ``w_t``, ``t = k+1..n``.

    ``w_t = (y_t - x_t' b_{t-1}) / sqrt(1 + x_t' (X_{t-1}' X_{t-1})^{-1} x_t)`` with ``b_{t-1}``
    the least-squares fit to the first ``t-1`` observations; computed from cumulative
    cross-product sums of the centred data in one batched solve.
    """
    n, k = X.shape
    Z, ys = standardise(X, y)
    sums = np.cumsum(Z[:, :, None] * Z[:, None, :], axis=0)[k - 1 : n - 1]  # first t obs
    Sxx, Sxy = sums[:, :k, :k], sums[:, :k, k]
    x_next, y_next = Z[k:, :k], Z[k:, k]
    try:
        beta = np.linalg.solve(Sxx, Sxy[..., None])[..., 0]
        sol = np.linalg.solve(Sxx, x_next[..., None])[..., 0]
    except np.linalg.LinAlgError:
        raise DataValidationError(
            "exog: the regressors are collinear at the start of the sample (the recursion "
            f"fits the first t observations from t = {k} on), so the recursive residuals are "
            "undefined; use kind='ols' or drop the regressor",
            field="exog",
            value=k,
        ) from None
    f = 1.0 + np.einsum("ij,ij->i", x_next, sol)
    pred = np.einsum("ij,ij->i", x_next, beta)
    return np.asarray((y_next - pred) / np.sqrt(f) * ys, dtype=np.float64)


def cusum_test(
    y: Any,
    *,
    exog: Any = None,
    trend: bool = False,
    log: bool = False,
    kind: Literal["ols", "recursive"] = "ols",
    catalog: EventCatalog | None = None,
) -> CusumTestResult:
    """CUSUM test of constant coefficients.

    Model: ``y_t = x_t' b + u_t`` with an intercept always included, a linear trend if
    ``trend=True`` and the columns of ``exog``.

    - ``kind="ols"`` (OLS-CUSUM, Ploberger and Krämer 1992): the process
      ``W(t) = sum_{s<=t} e_s / (sigma sqrt(n))`` of the OLS residuals, with
      ``sigma^2 = sum (e - mean e)^2 / (n - k)``; statistic ``max |W|``, p-value from the
      supremum of a Brownian bridge. Equals strucchange's ``efp(type = "OLS-CUSUM")``
      with ``sctest`` and statsmodels' ``breaks_cusumolsresid(resid, ddof=k)``.
    - ``kind="recursive"`` (Brown, Durbin and Evans 1975): the process of the
      recursive residuals ``W(j) = sum_{s<=j} w_s / (sigma sqrt(n - k))`` with ``sigma``
      their sample standard deviation; statistic ``max |W(j)| / (1 + 2 j/(n - k))``,
      p-value from the crossing of a linear boundary by a Brownian motion, as
      strucchange's ``efp(type = "Rec-CUSUM")``.

    The process is indexed by period: its value at period ``t`` includes observation
    ``t`` (the recursive process starts at observation ``k + 1``). ``boundary`` is the
    5% boundary at each period (constant for OLS-CUSUM, ``c (1 + 2 j/(n - k))`` for the
    recursive process).

    Parameters
    ----------
    y : TradeSeries or pandas.Series
    exog : pandas.DataFrame, optional
    trend, log : bool
    kind : {"ols", "recursive"}, default "ols"
    catalog : EventCatalog, optional
        When given, a :class:`~bilateral_trade.DataQualityWarning` names every confounder
        or measurement event (:attr:`EventKind.role`) dated within the data tested.

    Returns
    -------
    CusumTestResult

    Raises
    ------
    DataValidationError
        An unknown ``kind`` or invalid data.
    InsufficientDataError
        Fewer than ``k + 2`` observations, a constant series, or one that the model fits
        exactly up to rounding (as :func:`bilateral_trade.chow_test`: no residual variation
        to cumulate).

    References
    ----------
    Brown, R. L., Durbin, J. and Evans, J. M. (1975), Techniques for testing the constancy
    of regression relationships over time, JRSS B 37(2), 149–192. Ploberger, W. and
    Krämer, W. (1992), The CUSUM test with OLS residuals, Econometrica 60(2), 271–285.

    Examples
    --------
    >>> import bilateral_trade as bt
    >>> r = bt.cusum_test(bt.datasets.china_dprk_trade(), log=True)
    >>> r.kind, len(r.process) == len(r.boundary) == 23
    ('ols', True)
    """
    kind = check_choice(kind, "kind", ("ols", "recursive"))
    design = build_design(y, exog=exog, trend=trend, log=log)
    check_window(catalog, design.index[0], design.index[-1], where="cusum_test")
    n, k = design.n, design.k
    Spec.require_nobs(n, k, "the CUSUM test", breaks=0, dof=2)
    _, e = ols(design.X, design.y)
    if design.exact(float(e @ e)):
        raise exact_null_error(design)
    if kind == "ols":
        sigma = math.sqrt(float(np.sum((e - e.mean()) ** 2)) / (n - k))
        process = np.cumsum(e) / (sigma * math.sqrt(n))
        stat = finite_statistic(float(np.max(np.abs(process))), "the OLS-CUSUM statistic")
        pfun = brownian_bridge_sup_pvalue
        crit = {lab: critical_value(pfun, lev) for lab, lev in LEVELS.items()}
        boundary = np.full(n, crit["5%"])
        index = design.index
        method, ref = (
            "OLS-based CUSUM test",
            "Ploberger and Krämer (1992); as R strucchange::efp(type = 'OLS-CUSUM')",
        )
        p = pfun(stat)
    else:
        w = recursive_residuals(design.X, design.y)
        sigma = float(np.std(w, ddof=1))
        nw = n - k
        with np.errstate(divide="ignore", invalid="ignore"):
            process = np.cumsum(w) / (sigma * math.sqrt(nw))
        j = np.arange(1, nw + 1) / nw
        with np.errstate(divide="ignore", invalid="ignore"):
            scaled = np.abs(process) / (1.0 + 2.0 * j)
        stat = finite_statistic(float(np.max(scaled)), "the recursive CUSUM statistic")
        pfun = rec_cusum_pvalue
        crit = {lab: critical_value(pfun, lev) for lab, lev in LEVELS.items()}
        boundary = crit["5%"] * (1.0 + 2.0 * j)
        index = design.index[k:]
        method, ref = (
            "Recursive CUSUM test",
            "Brown, Durbin and Evans (1975); as R strucchange::efp(type = 'Rec-CUSUM')",
        )
        p = pfun(stat)
    return CusumTestResult(
        statistic=stat,
        p_value=float(p),
        critical_values=crit,
        process=pd.Series(process, index=index, name="process"),
        boundary=pd.Series(boundary, index=index, name="boundary"),
        nobs=n,
        kind=kind,
        label=design.label,
        options={**design.options(), "kind": kind},
        method=method,
        reference=ref,
    )
