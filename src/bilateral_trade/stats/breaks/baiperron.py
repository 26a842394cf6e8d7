"""Bai–Perron estimation of multiple structural breaks at unknown periods."""

from __future__ import annotations

import itertools
import math
from typing import Any, Literal

import numpy as np
import pandas as pd

from ..._util.compat import renamed_keyword
from ..._util.format import show
from ...data.events import EventCatalog
from ...errors import DataValidationError, InsufficientDataError
from ...models.caveats import check_window
from ...models.design import (
    Design,
    build_design,
    collinear_regimes_error,
    exact_null_error,
    window_positions,
)
from ...models.ols import cov_hac, cov_hc1, ols, rss_triangle
from ...models.spec import CovType, Spec
from ...models.validators import check_bool, check_choice, check_int, check_level
from . import _argmax
from ._bptables import LEVELS as BP_LEVELS
from ._bptables import Table, table_for, table_pvalue
from .results import MultipleBreaksResult, Partition, TestStatistic

__all__ = ["bai_perron"]

Criterion = Literal["bic", "lwz", "sequential"]


def _dp_tables(
    T: np.ndarray, n: int, h: int, M: int, allowed: np.ndarray | None = None
) -> tuple[list[np.ndarray], list[np.ndarray]]:
    """Bai–Perron dynamic programme on the RSS triangle, as strucchange's ``breakpoints``.

    Positions are 1-based ends of segments (strucchange's convention). ``cost[m][i]`` is
    the least RSS of ``m`` segments covering ``1..i`` (the ``m``-th ending at ``i``),
    ``prev[m][i]`` the end of segment ``m - 1`` in that optimum. Ties go to the smallest
    position, like R's ``which.min``.
    """
    cost = [np.full(n + 1, np.inf)]  # placeholder for m = 0
    prev = [np.zeros(n + 1, dtype=np.int64)]
    first = np.full(n + 1, np.inf)
    ends = np.arange(h, n - h + 1)
    first[ends] = T[0, ends - 1]
    first[np.isnan(first)] = np.inf  # segments with collinear regressors are not allowed
    if allowed is not None:
        first[~allowed] = np.inf
    cost.append(first)
    prev.append(np.zeros(n + 1, dtype=np.int64))
    for m in range(2, M + 1):
        ends = np.arange(m * h, n - h + 1)
        cands = np.arange((m - 1) * h, n - h + 1)
        # total[e, c]: the last segment c+1..e (1-based) after m - 1 segments ending at c;
        # one contiguous row per end, so that the arg-min runs along rows
        total = np.empty((len(ends), len(cands)))
        last = T[(m - 1) * h : n - h + 1, m * h - 1 : n - h].T  # T[c, e - 1] at [e, c]
        np.add(cost[m - 1][cands][None, :], last, out=total)
        total[cands[None, :] > ends[:, None] - h] = np.inf
        total[np.isnan(total)] = np.inf
        best = np.argmin(total, axis=1)
        c = np.full(n + 1, np.inf)
        p = np.zeros(n + 1, dtype=np.int64)
        c[ends] = total[np.arange(len(ends)), best]
        p[ends] = cands[best]
        if allowed is not None:
            c[~allowed] = np.inf
        cost.append(c)
        prev.append(p)
    return cost, prev


def _extract(
    T: np.ndarray, cost: list[np.ndarray], prev: list[np.ndarray], n: int, h: int, m: int
) -> list[int] | None:
    """The optimal ``m``-break partition (1-based ends), or None if no partition is allowed."""
    ends = np.arange(h, n - h + 1)
    total = cost[m][ends] + T[ends, n - 1]
    total[np.isnan(total)] = np.inf
    if not np.isfinite(total).any():
        return None
    opt = [int(ends[int(np.argmin(total))])]
    for level in range(m, 1, -1):
        opt.insert(0, int(prev[level][opt[0]]))
    return opt


def _segments(bps: list[int], n: int) -> list[tuple[int, int]]:
    bounds = [0, *bps, n]
    return list(itertools.pairwise(bounds))


def _lwz(log_rss: float, n: int, k: int, m: int) -> float:
    p_star = (m + 1) * k + m
    return float(log_rss - math.log(n - p_star) + p_star / n * 0.299 * math.log(n) ** 2.1)


def _bic(log_rss: float, n: int, k: int, m: int) -> float:
    return n * (log_rss + 1 - math.log(n) + math.log(2 * math.pi)) + math.log(n) * (k + 1) * (m + 1)


def _segment_cov(X: np.ndarray, e: np.ndarray, cov: str, lags: int | None) -> np.ndarray:
    return cov_hc1(X, e) if cov == "HC1" else cov_hac(X, e, int(lags or 0))


def _intervals(
    design: Design,
    bps: list[int],
    level: float,
    cov: str,
    lags: int | None,
    het_reg: bool,
    het_err: bool,
) -> pd.DataFrame:
    """Bai (1997) confidence intervals for the break positions, as strucchange's ``confint``."""
    X, y, n = design.X, design.y, design.n
    a2 = (1 - level) / 2
    segs = _segments(bps, n)
    res = np.concatenate([ols(X[a:b], y[a:b])[1] for a, b in segs])
    robust = cov != "classical"
    sigma2 = float(res @ res) / n
    Q2 = X.T @ X / n
    Omega2 = n * Q2 @ _segment_cov(X, res, cov, lags) @ Q2 if robust else sigma2 * Q2
    a, b = segs[0]
    beta2, e2 = ols(X[a:b], y[a:b])
    X2 = X[a:b]
    if het_reg:
        Q2 = X2.T @ X2 / len(X2)
    if het_err:
        sigma2 = float(e2 @ e2) / len(X2)
        Omega2 = len(X2) * Q2 @ _segment_cov(X2, e2, cov, lags) @ Q2 if robust else sigma2 * Q2
    rows = []
    for i, bp in enumerate(bps):
        beta1, sigma1, Q1, Omega1 = beta2, sigma2, Q2, Omega2
        a, b = segs[i + 1]
        X2 = X[a:b]
        beta2, e2 = ols(X2, y[a:b])
        delta = beta2 - beta1
        if het_reg:
            Q2 = X2.T @ X2 / len(X2)
        if het_err:
            sigma2 = float(e2 @ e2) / len(X2)
            Omega2 = len(X2) * Q2 @ _segment_cov(X2, e2, cov, lags) @ Q2 if robust else sigma2 * Q2
        o1, o2 = float(delta @ Omega1 @ delta), float(delta @ Omega2 @ delta)
        q1, q2 = float(delta @ Q1 @ delta), float(delta @ Q2 @ delta)
        period = design.index[0] + bp
        if not (q1 > 0 and q2 > 0 and (o1 > 0 and o2 > 0 if robust else sigma1 > 0 < sigma2)):
            # a regime without residual variation (or no coefficient change): Bai's
            # distribution is degenerate and there is no interval
            rows.append({"lower": None, "break_period": period, "upper": None})
            continue
        xi = q2 / q1 if het_reg else 1.0
        phi1 = math.sqrt(o1 / q1) if robust else math.sqrt(sigma1)
        phi2 = math.sqrt(o2 / q2) if robust else math.sqrt(sigma2)
        p0 = _argmax.cdf(0.0, xi, phi1, phi2)
        if not math.isfinite(p0) or p0 < a2 or p0 > 1 - a2:
            rows.append({"lower": None, "break_period": period, "upper": None})
            continue
        scale = phi1**2 / q1
        upper = _argmax.quantile(1 - a2, xi, phi1, phi2) * scale
        lower = _argmax.quantile(a2, xi, phi1, phi2) * scale
        rows.append(
            {
                "lower": design.index[0] + (bp - math.ceil(upper)),
                "break_period": period,
                "upper": design.index[0] + (bp - math.floor(lower)),
            }
        )
    return pd.DataFrame(rows, columns=["lower", "break_period", "upper"])


def _coefficients(design: Design, bps: list[int], cov: str, lags: int | None) -> pd.DataFrame:
    X, y, n, k = design.X, design.y, design.n, design.k
    segs = _segments(bps, n)
    Z = np.zeros((n, k * len(segs)))
    for s, (a, b) in enumerate(segs):
        Z[a:b, s * k : (s + 1) * k] = X[a:b]
    beta, e = ols(Z, y)
    if cov == "classical":
        V = float(e @ e) / (n - Z.shape[1]) * np.linalg.inv(Z.T @ Z)
    else:
        V = _segment_cov(Z, e, cov, lags)
    se = np.sqrt(np.diag(V))
    unit = design.y_scale / design.x_scale  # back to the units of y and of each regressor
    rows = []
    for s, (a, b) in enumerate(segs):
        for j, name in enumerate(design.names):
            rows.append(
                {
                    "segment": s + 1,
                    "start": design.index[a],
                    "end": design.index[b - 1],
                    "term": name,
                    "estimate": float(beta[s * k + j] * unit[j]),
                    "std_error": float(se[s * k + j] * unit[j]),
                }
            )
    return pd.DataFrame(rows)


def _f_m(rss0: float, rss_m: float, n: int, k: int, m: int) -> float:
    """Bai–Perron's F(m): ((RSS_0 - RSS_m) / m) / (RSS_m / (n - (m + 1) k)).

    ``RSS_m <= RSS_0`` exactly (a refinement of the partition); a negative difference is
    rounding and counts as 0.
    """
    return (max(rss0 - rss_m, 0.0) / m) / (rss_m / (n - (m + 1) * k))


def _sequential(
    design: Design, T: np.ndarray, positions: dict[int, list[int]], h: int, table: Table
) -> pd.DataFrame:
    """sup-F(l+1|l) for l = 0..M-1 with the global l-break partition under the null.

    A regime without residual variation (an exact fit up to rounding) has nothing to split
    and is skipped; a regime that splits exactly gives an infinite statistic, reported
    without a p-value and with a ``note`` saying why.
    """
    n, k = design.n, design.k
    rows = []
    for l_null in range(0, len(positions) - 1):
        best, where, note = -math.inf, None, ""
        for a, b in _segments(positions[l_null], n):
            null = T[a, b - 1]
            if b - a < 2 * h or not null > design.tol:
                continue
            cuts = np.arange(a + h, b - h + 1)
            rss_split = T[a, cuts - 1] + T[cuts, b - 1]
            valid = ~np.isnan(rss_split)
            exact = valid & (rss_split <= design.tol)
            if exact.any():
                cut = int(cuts[int(np.argmax(exact))])
                best, where = math.inf, cut
                note = (
                    f"the regime {design.index[a]} to {design.index[b - 1]} splits exactly at "
                    f"{design.index[cut]} (up to rounding): F is infinite and has no p-value"
                )
                break
            if not valid.any():
                continue
            with np.errstate(invalid="ignore"):
                f = np.where(
                    valid,
                    np.maximum(null - rss_split, 0.0) / (rss_split / (b - a - 2 * k)),
                    -np.inf,
                )
            j = int(np.argmax(f))
            if f[j] > best:
                best, where = float(f[j]), int(cuts[j])
        if where is None:
            note = f"no regime of at least {2 * h} observations with residual variation to split"
        crit = table.sup_f_next(l_null)
        finite = where is not None and math.isfinite(best)
        rows.append(
            {
                "l": l_null,
                "statistic": best if where is not None else math.nan,
                "p_value": table_pvalue(best, crit) if finite else math.nan,
                **{f"cv_{lev}": cv for lev, cv in crit.items()},
                "new_break_period": design.index[where] if where is not None else None,
                "note": note,
            }
        )
    return pd.DataFrame(rows)


def _dmax(
    rss: dict[int, float], n: int, k: int, table: Table
) -> tuple[TestStatistic, TestStatistic]:
    """UDmax and WDmax from the RSS of the optimal partitions by ``m`` (any common unit)."""
    ms = [m for m in rss if 1 <= m <= table.max_breaks]
    fs = {m: _f_m(rss[0], rss[m], n, k, m) for m in ms}
    ud = max(fs.values())
    ud_crit = table.udmax()
    weights = {lev: {m: table.sup_f(1)[lev] / table.sup_f(m)[lev] for m in ms} for lev in BP_LEVELS}
    wd_by_level = {lev: max(weights[lev][m] * fs[m] for m in ms) for lev in BP_LEVELS}
    wd_crit = table.wdmax()
    rejected = [BP_LEVELS[lev] for lev in BP_LEVELS if wd_by_level[lev] > wd_crit[lev]]
    method = f"bai_perron_2003_table (eps = {table.eps}; p-value is an upper bound)"
    return (
        TestStatistic("UDmax", ud, table_pvalue(ud, ud_crit), ud_crit, method),
        TestStatistic(
            "WDmax", wd_by_level["5%"], min(rejected) if rejected else 1.0, wd_crit, method
        ),
    )


def _check_max_breaks(max_breaks: Any, n: int, h: int) -> None:
    """``max_breaks`` must be a whole number from 1 to what the trimming allows."""
    allowed = math.ceil(n / h) - 2
    check_int(
        max_breaks,
        "max_breaks",
        minimum=1,
        maximum=allowed,
        hint=f"with n = {n} and regimes of at least h = {h} observations, at most {allowed} "
        "break(s) fit",
    )


def _partitions(
    design: Design,
    T: np.ndarray,
    cost: list[np.ndarray],
    prev: list[np.ndarray],
    h: int,
    max_breaks: int,
) -> tuple[dict[int, Partition], dict[int, list[int]], dict[int, float]]:
    """The optimal partition for each number of breaks, with its RSS (data and scaled units).

    Raises
    ------
    InsufficientDataError
        A partition with breaks that fits exactly (the criteria take log RSS).
    """
    n, k = design.n, design.k
    by_m: dict[int, Partition] = {}
    positions: dict[int, list[int]] = {0: []}
    to_data = np.float64(design.y_scale)
    scaled_rss: dict[int, float] = {}
    for m in range(0, max_breaks + 1):
        found = [] if m == 0 else _extract(T, cost, prev, n, h, m)
        if found is None or (m and not np.isfinite(cost[m]).any()):
            break  # no partition with m breaks fits (in the window)
        bps = found
        positions[m] = bps
        rss = float(sum(T[a, b - 1] for a, b in _segments(bps, n)))
        if m and design.exact(rss):
            raise InsufficientDataError(
                f"y: {m} break(s) at {', '.join(str(design.index[b]) for b in bps)} fit the "
                "series exactly, up to rounding (noise-free data, such as a step): with a zero "
                "residual sum of squares the information criteria (log RSS), the tests and "
                "the confidence intervals are undefined"
            )
        scaled_rss[m] = rss
        with np.errstate(over="ignore", under="ignore"):  # beyond the float range: inf or 0
            rss_data = float(rss * to_data * to_data)
        log_rss = math.log(rss) + 2.0 * design.log_y_scale
        by_m[m] = Partition(
            m=m,
            break_periods=tuple(design.index[b] for b in bps),
            rss=rss_data,
            bic=_bic(log_rss, n, k, m),
            lwz=_lwz(log_rss, n, k, m),
        )
    return by_m, positions, scaled_rss


def _choose(
    criterion: str,
    by_m: dict[int, Partition],
    sequential: pd.DataFrame | None,
    significance: float,
    why: str,
) -> int:
    """The number of breaks the criterion chooses (BIC, LWZ, or the sequential tests)."""
    if criterion != "sequential":
        scores = [getattr(p, criterion) for p in by_m.values()]
        return int(np.argmin(scores))
    if sequential is None:
        raise DataValidationError(
            f"criterion: 'sequential' needs the Bai–Perron critical values: {why}",
            field="criterion",
            value=criterion,
        )
    level_name = next(lev for lev, a in BP_LEVELS.items() if a == significance)
    significant = sequential["statistic"] > sequential[f"cv_{level_name}"]
    not_rejected = np.flatnonzero(~significant.to_numpy())
    return int(not_rejected[0]) if len(not_rejected) else max(by_m)


def _options(
    max_breaks: int,
    trim: float | int,
    h: int,
    criterion: str,
    level: float,
    cov: str,
    lags: int | None,
    het_reg: bool,
    het_err: bool,
) -> dict[str, Any]:
    """The options of the search, the criterion and the intervals, for the result."""
    return {
        "max_breaks": max_breaks,
        "trim": trim,
        "h": h,
        "criterion": criterion,
        "level": level,
        "cov": cov,
        "hac_lags": lags,
        "het_reg": het_reg,
        "het_err": het_err,
    }


@renamed_keyword("alpha", "significance")
def bai_perron(
    y: Any,
    *,
    exog: Any = None,
    trend: bool = False,
    log: bool = False,
    max_breaks: int = 5,
    trim: float | int = 0.15,
    criterion: Criterion = "bic",
    level: float = 0.95,
    cov: CovType = "classical",
    hac_lags: int | None = None,
    het_reg: bool = True,
    het_err: bool = True,
    significance: float = 0.05,
    window: Any = None,
    catalog: EventCatalog | None = None,
) -> MultipleBreaksResult:
    """Estimate multiple breaks at unknown periods by global least squares (Bai–Perron).

    Model: ``y_t = x_t' b_j + u_t`` in regime ``j = 1..m+1``, with an intercept always
    included, a linear trend if ``trend=True`` and the columns of ``exog``; all
    coefficients break (pure structural change). For every ``m = 0..max_breaks`` the
    partition minimising the total RSS is found by dynamic programming over the
    triangle of segment RSS, with every regime at least ``h`` observations long
    (``h = floor(trim * n)``, or ``trim`` itself when an integer) — identical to R's
    ``strucchange::breakpoints(formula, h = trim, breaks = max_breaks)``, including the
    segment-length constraint under which the RSS need not fall with ``m``.

    The number of breaks is chosen by ``criterion``: ``"bic"`` as strucchange,
    ``n (log RSS + 1 - log n + log 2π) + log(n) (k + 1)(m + 1)``; ``"lwz"`` (Liu, Wu and
    Zidek 1997, as Bai and Perron 2003) ``log(RSS / (n - p)) + (p / n) 0.299 (log n)^2.1``
    with ``p = (m + 1) k + m``. Confidence intervals for the selected breaks follow
    Bai (1997) as strucchange's ``confint(…, het.reg, het.err, vcov.)``; bounds are
    periods and may lie outside the sample (they are not truncated).

    **Break periods are first periods of new regimes**: strucchange's breakpoint ``b``
    (1-based, the last observation of the old regime) is our 0-based position ``b``.

    Parameters
    ----------
    y : TradeSeries or pandas.Series
    exog : pandas.DataFrame, optional
    trend, log : bool
    max_breaks : int, default 5
        Largest number of breaks considered; at most ``ceil(n / h) - 2``.
    trim : float in (0, 0.5) or int, default 0.15
        Minimal regime length as a fraction of ``n`` or a number of observations.
    criterion : {"bic", "lwz"}, default "bic"
    level : float, default 0.95
        Confidence level of the break-period intervals.
    cov : {"classical", "HC1", "HAC"}, default "classical"
        Covariance for the intervals and the coefficient standard errors.
    hac_lags : int, optional
        Newey–West lags; default ``floor(4 (n/100)^(2/9))``.
    het_reg, het_err : bool, default True
        Allow the regressor moments and the error variance to differ between regimes
        in the intervals (strucchange's ``het.reg`` and ``het.err``).
    significance : float, default 0.05
        Significance level of the sequential tests for ``criterion="sequential"`` (0.10,
        0.05, 0.025, 0.01). ``level`` is only ever a confidence level (of the intervals);
        the old name ``alpha=`` still works, with a ``FutureWarning``.
    window : (start, end), optional
        Only allow breaks whose first new period lies in this range (periods or events),
        keeping the trimming. The Bai–Perron tables assume unrestricted breaks, so the
        sequential and double-maximum tests are not reported with a window.
    catalog : EventCatalog, optional
        When given, a :class:`~bilateral_trade.DataQualityWarning` names every confounder
        or measurement event (:attr:`EventKind.role`) dated within the data tested.

    Returns
    -------
    MultipleBreaksResult

    Raises
    ------
    DataValidationError
        ``trim`` outside (0, 0.5), ``max_breaks`` more than the trimming allows (the
        message gives the maximum), an unknown criterion, or invalid data.
    InsufficientDataError
        A series too short for the trimming (the message gives the minimum ``n``), constant,
        or fitted exactly up to rounding (as :func:`bilateral_trade.chow_test`) without a
        break or with up to ``max_breaks`` breaks (noise-free data: the log RSS of the
        criteria is minus infinity and the tests and intervals are undefined).

    Warns
    -----
    DataQualityWarning
        ``hac_lags`` above ``n / 4``.

    Notes
    -----
    ``by_m[m].rss`` is in the units of ``y`` squared (outside the float range, as 0 or inf,
    only for data beyond about ``1e±150``); BIC and LWZ are computed from ``log RSS`` and are
    exact for any scale. Regimes in which the regressors are collinear (e.g. a dummy
    constant within the regime) are not allowed in any partition. In ``sequential`` a
    regime without residual variation is not split, and an exact split gives an infinite
    statistic without a p-value (column ``note`` says why). An interval bound is None where
    Bai's distribution is degenerate (a regime without residual variation).

    References
    ----------
    Bai, J. (1997), Estimation of a change point in multiple regression models, REStat
    79(4), 551–563. Bai, J. and Perron, P. (1998), Estimating and testing linear models
    with multiple structural changes, Econometrica 66(1), 47–78. Bai, J. and Perron, P.
    (2003), Computation and analysis of multiple structural change models, JAE 18(1),
    1–22. Zeileis, A., Kleiber, C., Krämer, W. and Hornik, K. (2003), Testing and dating
    of structural changes in practice, CSDA 44, 109–123.

    Examples
    --------
    >>> import bilateral_trade as bt
    >>> before_covid = bt.datasets.china_dprk_trade().slice(end=2019)
    >>> r = bt.bai_perron(before_covid, log=True, max_breaks=2)
    >>> [str(p) for p in r.break_periods]
    ['2010', '2018']
    """
    criterion = check_choice(criterion, "criterion", ("bic", "lwz", "sequential"))
    het_reg, het_err = check_bool(het_reg, "het_reg"), check_bool(het_err, "het_err")
    if significance not in (0.10, 0.05, 0.025, 0.01):
        raise DataValidationError(
            f"significance: {show(significance)} is not a tabulated level (0.10, 0.05, 0.025 "
            "or 0.01)",
            field="significance",
            value=significance,
        )
    level = check_level(level)
    spec = Spec.from_keywords(log=log, trend=trend, cov=cov, hac_lags=hac_lags)
    design = build_design(y, spec, exog=exog)
    check_window(catalog, design.index[0], design.index[-1], where="bai_perron")
    n, k = design.n, design.k
    cov, lags = spec.hac(n)
    h, _ = spec.break_range(n, k, trim, "Bai–Perron")
    _check_max_breaks(max_breaks, n, h)
    T = rss_triangle(design.X, design.y, h)
    if np.isnan(T[0, n - 1]):
        raise collinear_regimes_error(design, [0, n])
    if design.exact(float(T[0, n - 1])):
        raise exact_null_error(design)
    in_window = None
    if window is not None:
        lo, hi = window_positions(design, window, h, n - h)
        in_window = np.zeros(n + 1, dtype=bool)
        in_window[lo : hi + 1] = True
    cost, prev = _dp_tables(T, n, h, max_breaks, in_window)
    by_m, positions, scaled_rss = _partitions(design, T, cost, prev, h, max_breaks)
    if len(by_m) == 1 and window is None:
        raise DataValidationError(
            f"exog: no partition with a break leaves the regressors "
            f"({', '.join(design.names[1:])}) full rank within every regime of at least {h} "
            "observations (a dummy constant within a regime cannot break with it); drop the "
            "column or use a test at a known period",
            field="exog",
            value=list(design.names[1:]),
        )
    table, why = table_for(trim, h, n, k)
    if window is not None:
        table, why = None, "a window restricts the breaks; the Bai–Perron tables assume none"
    sequential = _sequential(design, T, positions, h, table) if table is not None else None
    udmax, wdmax = _dmax(scaled_rss, n, k, table) if table is not None else (None, None)
    chosen = _choose(criterion, by_m, sequential, significance, why)
    bps = positions[chosen]
    intervals = (
        _intervals(design, bps, level, cov, lags, het_reg, het_err)
        if bps
        else pd.DataFrame(columns=["lower", "break_period", "upper"])
    )
    return MultipleBreaksResult(
        n_breaks=chosen,
        break_periods=by_m[chosen].break_periods,
        by_m=by_m,
        criterion=criterion,
        confidence_intervals=intervals,
        coefficients=_coefficients(design, bps, cov, lags),
        nobs=n,
        nreg=k,
        h=h,
        label=design.label,
        sequential=sequential,
        udmax=udmax,
        wdmax=wdmax,
        extra=(
            {"tests_unavailable": why}
            if table is None
            else {"table_eps": table.eps, "table_max_breaks": table.max_breaks}
        ),
        options={
            **design.options(),
            **_options(max_breaks, trim, h, criterion, level, cov, lags, het_reg, het_err),
            "significance": significance,
            "window": None if window is None else [str(w) for w in window],
        },
    )
