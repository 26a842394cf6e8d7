"""Distribution of the break-date estimator (Bai 1997), for confidence intervals (private).

``V`` is the arg-max of a two-sided Brownian motion with drift: ``W1(-s) - |s|/2`` for
``s < 0`` and ``sqrt(phi) W2(s) - xi s / 2`` for ``s > 0``, with ``phi = xi (phi2/phi1)^2``.
Bai (1997, Appendix B) gives its distribution function in closed form; :func:`cdf`
evaluates it with log-space products for large arguments.
"""

from __future__ import annotations

import math

from scipy import optimize
from scipy.special import log_ndtr

__all__ = ["cdf", "quantile"]


def _lower(x: float, xi: float, phi: float) -> float:
    """P(V <= x) for x < 0."""
    a = abs(x)
    r = xi / phi
    term1 = math.exp(0.5 * math.log(a) - a / 8.0 - 0.5 * math.log(2.0 * math.pi))
    c2 = phi / xi * (phi + 2.0 * xi) / (phi + xi)
    term2 = c2 * math.exp(r * (1.0 + r) * a / 2.0 + log_ndtr(-(0.5 + r) * math.sqrt(a)))
    c3 = a / 2.0 - 2.0 + (phi + 2.0 * xi) ** 2 / ((phi + xi) * xi)
    term3 = (
        math.exp(math.log(c3) + log_ndtr(-math.sqrt(a) / 2.0))
        if c3 > 0
        else (c3 * math.exp(log_ndtr(-math.sqrt(a) / 2.0)))
    )
    return -term1 - term2 + term3


def _upper(x: float, xi: float, phi: float) -> float:
    """P(V <= x) for x >= 0."""
    a = abs(x)
    r = xi * xi / phi
    term1 = (
        math.sqrt(r) * math.exp(0.5 * math.log(a) - r * a / 8.0 - 0.5 * math.log(2.0 * math.pi))
        if a > 0
        else 0.0
    )
    c2 = xi / phi * (2.0 * phi + xi) / (phi + xi)
    term2 = c2 * math.exp(
        (phi + xi) * a / 2.0 + log_ndtr(-(phi + xi / 2.0) / math.sqrt(phi) * math.sqrt(a))
    )
    c3 = (2.0 * phi + xi) ** 2 / ((phi + xi) * phi) - 2.0 + r * a / 2.0
    term3 = (
        math.exp(math.log(c3) + log_ndtr(-math.sqrt(r) * math.sqrt(a) / 2.0))
        if c3 > 0
        else (c3 * math.exp(log_ndtr(-math.sqrt(r) * math.sqrt(a) / 2.0)))
    )
    return 1.0 + term1 + term2 - term3


def cdf(x: float, xi: float = 1.0, phi1: float = 1.0, phi2: float = 1.0) -> float:
    """``P(V <= x)`` (Bai 1997) with ``phi = xi (phi2 / phi1)^2``."""
    phi = xi * (phi2 / phi1) ** 2
    if x < 0:
        return _lower(x, xi, phi)
    return _upper(x, xi, phi)


def quantile(level: float, xi: float, phi1: float, phi2: float) -> float:
    """The ``x`` with ``cdf(x) = level`` (searching outwards from 0 in steps of 1000)."""

    def gap(x: float) -> float:
        return cdf(x, xi, phi1, phi2) - level

    if level >= cdf(0.0, xi, phi1, phi2):
        hi = 0.0
        while gap(hi) < 0:
            hi += 1000.0
        return float(optimize.brentq(gap, 0.0, hi, xtol=1e-12, rtol=1e-14))
    lo = 0.0
    while gap(lo) > 0:
        lo -= 1000.0
    return float(optimize.brentq(gap, lo, 0.0, xtol=1e-12, rtol=1e-14))
