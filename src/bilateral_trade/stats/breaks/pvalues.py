"""p-values and critical values of the break tests (private).

- F tests: ``scipy.stats.f.sf`` (never ``1 - cdf``).
- sup-F, ave-F, exp-F (Andrews 1993; Andrews and Ploberger 1994): Hansen's (1997)
  response-surface approximation, ``p = 1 - G_d(b_0 + b_1 x + … )`` with ``G_d`` the
  chi-square distribution function, interpolated linearly in
  ``tau = 1 / (1 + sqrt(lambda))`` as in strucchange 1.5-3. For ave-F and exp-F the
  cubic polynomial turns down for large statistics, so the approximation stops
  falling and climbs back towards 1 (strucchange reports p-values near 1 for
  overwhelming evidence). Past the turning point we report a documented bound
  instead: ave-F ≤ sup-F and exp-F ≤ sup-F / 2 hold for every sample, so
  ``P(ave-F > x) ≤ P(sup-F > x)`` and ``P(exp-F > x) ≤ P(sup-F > 2x)``; the
  reported p-value is the smaller of the approximation's value at its turning point
  and that bound. The result is non-increasing in the statistic, never NaN or Inf.
- CUSUM: the distribution of the supremum of a Brownian bridge (OLS-CUSUM) and the
  crossing probability of the linear boundary by a Brownian motion (recursive
  CUSUM), as in Ploberger and Krämer (1992) and Brown, Durbin and Evans (1975).
"""

from __future__ import annotations

import json
import math
from functools import cache
from importlib import resources

import numpy as np
from scipy import optimize, special, stats

__all__ = [
    "LEVELS",
    "brownian_bridge_sup_pvalue",
    "critical_value",
    "f_pvalue",
    "hansen_pvalue",
    "hansen_pvalue_array",
    "rec_cusum_pvalue",
]

#: Significance levels reported in ``critical_values``.
LEVELS = {"10%": 0.10, "5%": 0.05, "1%": 0.01}


def f_pvalue(stat: float, df1: float, df2: float) -> float:
    """Upper tail of the F(df1, df2) distribution."""
    return float(stats.f.sf(stat, df1, df2))


@cache
def _hansen_tables() -> dict[str, np.ndarray]:
    text = (resources.files("bilateral_trade.stats.breaks") / "data" / "hansen1997.json").read_text(
        encoding="utf-8"
    )
    raw = json.loads(text)
    return {key: np.asarray(raw[key], dtype=np.float64) for key in ("sup", "ave", "exp")}


def _chi2_sf(x: np.ndarray | float, df: float) -> np.ndarray:
    """``scipy.stats.chi2.sf(x, df)`` (the same function, value for value) without its overhead.

    ``stats.chi2.sf`` evaluates ``special.chdtrc`` after checks that cost ~20 µs a call (the
    Hansen p-values call it six times per test); below the support (``x < 0``) it is 1, as
    ``chdtrc`` at 0.
    """
    return np.asarray(special.chdtrc(df, np.maximum(x, 0.0)), dtype=np.float64)


def _tau(lam: float) -> float:
    return lam if lam < 1 else 1.0 / (1.0 + math.sqrt(lam))


def _hansen_raw_array(xs: np.ndarray, kind: str, k: int, lam: float) -> np.ndarray:
    """Hansen's approximation exactly as strucchange evaluates it, for many statistics."""
    xs = np.asarray(xs, dtype=np.float64)
    beta = _hansen_tables()[kind][(k - 1) * 25 : k * 25]
    m = beta.shape[1] - 1
    tau = _tau(lam)

    def row(r: int) -> np.ndarray:
        dummy = np.polynomial.polynomial.polyval(xs, beta[r, :m])
        dummy = dummy * (dummy > 0)
        return _chi2_sf(dummy, beta[r, m])

    if tau == 0.5:
        return _chi2_sf(xs, k)
    if tau <= 0.01:
        return row(24)
    if tau >= 0.49:
        return np.asarray(((0.5 - tau) * row(0) + (tau - 0.49) * _chi2_sf(xs, k)) * 100)
    taua = (0.51 - tau) * 50
    tau1 = math.floor(taua)
    return np.asarray((tau1 + 1 - taua) * row(tau1 - 1) + (taua - tau1) * row(tau1))


def _hansen_raw(x: float, kind: str, k: int, lam: float) -> float:
    return float(_hansen_raw_array(np.array([x]), kind, k, lam)[0])


def _rows(k: int, lam: float) -> list[int]:
    """The 0-based table rows that Hansen's interpolation uses for this lambda."""
    tau = _tau(lam)
    if tau == 0.5:
        return []
    if tau <= 0.01:
        return [24]
    if tau >= 0.49:
        return [0]
    tau1 = math.floor((0.51 - tau) * 50)
    return [tau1 - 1, tau1]


@cache
def _turning_point(kind: str, k: int, lam: float) -> float:
    """Smallest statistic past which Hansen's approximation stops falling.

    Each table row's p-value ``1 - G_d(poly(x))`` falls while its polynomial rises; the
    turning point is the first positive root of the polynomial's derivative over the
    rows the interpolation uses (``inf`` if none).
    """
    beta = _hansen_tables()[kind][(k - 1) * 25 : k * 25]
    m = beta.shape[1] - 1
    turn = math.inf
    for row in _rows(k, lam):
        deriv = np.polynomial.polynomial.polyder(beta[row, :m])
        roots = np.polynomial.polynomial.polyroots(deriv) if len(deriv) > 1 else np.array([])
        real = [float(r.real) for r in np.atleast_1d(roots) if abs(r.imag) < 1e-12 and r.real > 0]
        if deriv[0] <= 0 and not real:
            real = [0.0]
        if real:
            turn = min(turn, min(real))
    return turn


def hansen_pvalue_array(
    xs: np.ndarray, kind: str, k: int, lam: float
) -> tuple[np.ndarray, np.ndarray]:
    """p-values of many sup-F (``"sup"``), ave-F (``"ave"``) or exp-F (``"exp"``) statistics.

    Returns the p-values and, for each, whether the documented bound was used (past the
    point where Hansen's approximation stops falling; see the module docstring). ``k``
    above 40 uses the tables for 40 regressors, as strucchange does.
    """
    xs = np.asarray(xs, dtype=np.float64)
    kk = min(k, 40)
    p = np.zeros_like(xs)
    bound = ~np.isfinite(xs)
    ok = ~bound
    if kind == "sup":
        p[ok] = np.maximum(_hansen_raw_array(xs[ok], "sup", kk, lam), 0.0)
        return p, bound
    turn = _turning_point(kind, kk, lam)
    inside = ok & (xs <= turn)
    past = ok & (xs > turn)
    p[inside] = _hansen_raw_array(xs[inside], kind, kk, lam)
    if past.any():
        factor = 1.0 if kind == "ave" else 2.0
        sup_bound = _hansen_raw_array(xs[past] * factor, "sup", kk, lam)
        p[past] = np.minimum(_hansen_raw(turn, kind, kk, lam), sup_bound)
    bound |= past
    return p, bound


def hansen_pvalue(x: float, kind: str, k: int, lam: float) -> tuple[float, str]:
    """p-value of one sup-F, ave-F or exp-F statistic and the method used.

    The method is ``"hansen1997"`` or, past the point where the approximation stops
    falling, ``"bound"`` (see the module docstring).
    """
    p, bound = hansen_pvalue_array(np.array([x]), kind, k, lam)
    return float(p[0]), "bound" if bool(bound[0]) else "hansen1997"


def critical_value(pvalue: object, level: float, hi: float = 1.0) -> float:
    """The statistic at which a decreasing p-value function equals ``level``."""
    fn = pvalue  # a callable float -> float
    assert callable(fn)
    while fn(hi) > level:
        hi *= 2.0
        if hi > 1e6:  # pragma: no cover - not reached for the tests here
            return math.inf
    return float(optimize.brentq(lambda s: fn(s) - level, 0.0, hi, xtol=1e-12, rtol=1e-12))


def brownian_bridge_sup_pvalue(x: float) -> float:
    """``P(sup |B(t)| > x)`` for a Brownian bridge ``B`` (Kolmogorov distribution).

    ``1 - (1 + 2 sum_{j=1}^{100} (-1)^j exp(-2 j^2 x^2))``, and 1 for ``x < 0.1``,
    as strucchange evaluates it for the OLS-CUSUM test.
    """
    if x < 0.1:
        return 1.0
    j = np.arange(1, 101)
    total = np.sum(np.exp(-2.0 * j**2 * x**2) * (-1.0) ** j)
    return float(1.0 - (1.0 + 2.0 * total))


def rec_cusum_pvalue(x: float) -> float:
    """p-value of the recursive CUSUM statistic ``max |W(t)| / (1 + 2t)``.

    Crossing probability of the boundary ``x (1 + 2t)`` by a standard Brownian
    motion on ``[0, 1]`` (Brown, Durbin and Evans 1975; formula as in strucchange):
    ``2 (1 - Phi(3x) + exp(-4x^2) (Phi(x) + Phi(5x) - 1) - exp(-16x^2) (1 - Phi(x)))``,
    and ``1 - 0.1465 x`` for ``x < 0.3``.
    """
    if x < 0.3:
        return float(1.0 - 0.1465 * x)
    norm = stats.norm
    return float(
        2.0
        * (
            norm.sf(3.0 * x)
            + math.exp(-4.0 * x * x) * (norm.cdf(x) + norm.cdf(5.0 * x) - 1.0)
            - math.exp(-16.0 * x * x) * norm.sf(x)
        )
    )
