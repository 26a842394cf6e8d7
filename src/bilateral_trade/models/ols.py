"""Shared least-squares numerics of the break tests (private).

Segment residual sums of squares come from cumulative cross-product sums of the
centred and scaled data, ``Z_t = (x_t, y_t)``: the RSS of a regression of ``y`` on
``x`` over observations ``i..j`` is the Schur complement of the ``x`` block in
``sum_{t=i..j} Z_t Z_t'``. Centring the non-constant columns and ``y`` (allowed
because an intercept is always in the model) keeps the sums well conditioned; the
elimination is vectorised over many segments at once, so no regression is fitted
segment by segment.
"""

from __future__ import annotations

import numpy as np

__all__ = [
    "PIVOT_TOLERANCE",
    "cov_hac",
    "cov_hc1",
    "crossprod_cumsum",
    "ols",
    "rss_prefix_suffix",
    "rss_triangle",
    "schur_rss",
    "standardise",
]


def ols(X: np.ndarray, y: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Least-squares coefficients and residuals (QR based)."""
    q, r = np.linalg.qr(X)
    beta = np.linalg.solve(r, q.T @ y)
    return beta, y - X @ beta


def standardise(X: np.ndarray, y: np.ndarray) -> tuple[np.ndarray, float]:
    """Centre and scale the non-constant columns and y; return Z and y's scale."""
    Z = np.empty((X.shape[0], X.shape[1] + 1))
    Z[:, 0] = 1.0
    other = X[:, 1:]
    sd = other.std(axis=0)
    sd[sd == 0] = 1.0
    Z[:, 1:-1] = (other - other.mean(axis=0)) / sd
    ys = float(y.std()) or 1.0
    Z[:, -1] = (y - y.mean()) / ys
    return Z, ys


def crossprod_cumsum(X: np.ndarray, y: np.ndarray) -> tuple[np.ndarray, np.ndarray, float]:
    """Forward and backward cumulative sums of ``Z_t Z_t'``.

    Returns ``F`` with ``F[j] = sum_{t<j}`` (shape ``(n+1, K, K)``), ``B`` with
    ``B[j] = sum_{t>=j}``, and the squared scale of y that turns RSS back into data units.
    """
    Z, ys = standardise(X, y)
    outer = Z[:, :, None] * Z[:, None, :]
    n, K = Z.shape
    F = np.zeros((n + 1, K, K))
    np.cumsum(outer, axis=0, out=F[1:])
    B = np.zeros((n + 1, K, K))
    B[:n] = np.cumsum(outer[::-1], axis=0)[::-1]
    return F, B, ys * ys


#: Relative pivot (``1 - R^2`` of a regressor on the ones before it within a segment) below
#: which :func:`schur_rss` treats the segment's regressors as collinear.
PIVOT_TOLERANCE = 1e-10


def schur_rss(A: np.ndarray) -> np.ndarray:
    """RSS from stacked cross-product matrices ``A[..., K, K]`` (last row/column is y).

    Gaussian elimination of the first ``K-1`` pivots; the remaining corner is the
    residual sum of squares. Where a pivot falls below :data:`PIVOT_TOLERANCE` times its
    diagonal entry (the regressors are collinear within that segment, e.g. a dummy that is
    constant there) the RSS is not defined and is NaN. Works on a copy.
    """
    A = np.array(A, dtype=np.float64, copy=True)
    K = A.shape[-1]
    diagonal = np.diagonal(A, axis1=-2, axis2=-1).copy()
    deficient = np.zeros(A.shape[:-2], dtype=bool)
    with np.errstate(divide="ignore", invalid="ignore"):
        for p in range(K - 1):
            pivot = A[..., p, p]
            deficient |= ~(pivot > PIVOT_TOLERANCE * diagonal[..., p])
            factor = A[..., p + 1 :, p] / pivot[..., None]
            A[..., p + 1 :, p + 1 :] -= factor[..., :, None] * A[..., None, p, p + 1 :]
    rss = np.where(deficient, np.nan, np.maximum(A[..., K - 1, K - 1], 0.0))
    return np.asarray(rss, dtype=np.float64)


def rss_prefix_suffix(X: np.ndarray, y: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """RSS of the first ``b`` and of the last ``n-b`` observations, for ``b = 0..n``."""
    F, B, scale = crossprod_cumsum(X, y)
    return schur_rss(F) * scale, schur_rss(B) * scale


def rss_triangle(X: np.ndarray, y: np.ndarray, h: int, block: int = 64) -> np.ndarray:
    """``T[i, j]`` = RSS of the segment of observations ``i..j`` (0-based, inclusive).

    Only segments of at least ``h`` observations are computed; the rest is NaN.
    """
    n = X.shape[0]
    F, _, scale = crossprod_cumsum(X, y)
    T = np.full((n, n), np.nan)
    for i0 in range(0, n - h + 1, block):
        starts = np.arange(i0, min(i0 + block, n - h + 1))
        lo = starts[0] + h - 1
        # segment i..j has sums F[j+1] - F[i]
        sums = F[None, lo + 1 :, :, :] - F[starts, None, :, :]
        rss = schur_rss(sums) * scale
        ends = np.arange(lo, n)
        valid = ends[None, :] - starts[:, None] + 1 >= h
        rss[~valid] = np.nan
        T[starts[:, None], ends[None, :]] = rss
    return T


def _bread(X: np.ndarray) -> np.ndarray:
    return np.linalg.inv(X.T @ X)


def cov_hc1(X: np.ndarray, e: np.ndarray) -> np.ndarray:
    """White's covariance with the HC1 small-sample factor ``n / (n - k)``.

    Equals R's ``sandwich::vcovHC(fit, type = "HC1")``.
    """
    n, k = X.shape
    bread = _bread(X)
    psi = X * e[:, None]
    return np.asarray(bread @ (psi.T @ psi) @ bread * (n / (n - k)), dtype=np.float64)


def cov_hac(X: np.ndarray, e: np.ndarray, lags: int) -> np.ndarray:
    """Newey–West covariance: Bartlett kernel, ``lags`` lags, no prewhitening, no adjustment.

    Equals R's ``sandwich::NeweyWest(fit, lag = lags, prewhite = FALSE, adjust = FALSE)``.
    """
    bread = _bread(X)
    psi = X * e[:, None]
    meat = psi.T @ psi
    for lag in range(1, lags + 1):
        weight = 1.0 - lag / (lags + 1.0)
        gamma = psi[lag:].T @ psi[:-lag]
        meat += weight * (gamma + gamma.T)
    return np.asarray(bread @ meat @ bread, dtype=np.float64)
