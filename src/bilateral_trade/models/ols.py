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
    if X.shape[1] > 1:  # a mean-only model has no column to centre
        other = X[:, 1:]
        sd = other.std(axis=0)
        sd[sd == 0] = 1.0
        Z[:, 1:-1] = (other - other.mean(axis=0)) / sd
    ys = float(y.std()) or 1.0
    Z[:, -1] = (y - y.mean()) / ys
    return Z, ys


def _cumulative_crossproducts(
    X: np.ndarray, y: np.ndarray, backward: bool = True
) -> tuple[np.ndarray, np.ndarray | None, float]:
    """:func:`crossprod_cumsum` with the matrix axes first: ``F[:, :, j]`` (``(K, K, n+1)``).

    Element ``(i, j)`` of every sum is one long contiguous run, so the cumulative sums and
    the elimination of :func:`_eliminate` work on whole vectors instead of ``K x K`` tiles;
    each value is the same sequence of floating-point operations as in the ``(n+1, K, K)``
    layout. ``B`` is None without ``backward``.
    """
    Z, ys = standardise(X, y)
    ZT = np.ascontiguousarray(Z.T)
    K, n = ZT.shape
    outer = ZT[:, None, :] * ZT[None, :, :]
    F = np.zeros((K, K, n + 1))
    np.cumsum(outer, axis=-1, out=F[:, :, 1:])
    if not backward:
        return F, None, ys * ys
    B = np.zeros((K, K, n + 1))
    B[:, :, :n] = np.cumsum(outer[:, :, ::-1], axis=-1)[:, :, ::-1]
    return F, B, ys * ys


def crossprod_cumsum(X: np.ndarray, y: np.ndarray) -> tuple[np.ndarray, np.ndarray, float]:
    """Forward and backward cumulative sums of ``Z_t Z_t'``.

    Returns ``F`` with ``F[j] = sum_{t<j}`` (shape ``(n+1, K, K)``), ``B`` with
    ``B[j] = sum_{t>=j}``, and the squared scale of y that turns RSS back into data units.
    """
    F, B, scale = _cumulative_crossproducts(X, y)
    assert B is not None
    return np.moveaxis(F, -1, 0).copy(), np.moveaxis(B, -1, 0).copy(), scale


#: Relative pivot (``1 - R^2`` of a regressor on the ones before it within a segment) below
#: which :func:`schur_rss` treats the segment's regressors as collinear.
PIVOT_TOLERANCE = 1e-10


def _eliminate(A: np.ndarray) -> np.ndarray:
    """:func:`schur_rss` of ``A[K, K, ...]`` (matrix axes first), overwriting ``A``."""
    K = A.shape[0]
    diagonal = [A[p, p].copy() for p in range(K - 1)]
    deficient = np.zeros(A.shape[2:], dtype=bool)
    term = np.empty(A.shape[2:])
    with np.errstate(divide="ignore", invalid="ignore"):
        for p in range(K - 1):
            pivot = A[p, p]
            deficient |= ~(pivot > PIVOT_TOLERANCE * diagonal[p])
            for i in range(p + 1, K):
                factor = A[i, p] / pivot
                for j in range(p + 1, K):
                    np.multiply(factor, A[p, j], out=term)
                    np.subtract(A[i, j], term, out=A[i, j])
    rss = np.asarray(np.maximum(A[K - 1, K - 1], 0.0), dtype=np.float64)
    rss[deficient] = np.nan
    return rss


def schur_rss(A: np.ndarray) -> np.ndarray:
    """RSS from stacked cross-product matrices ``A[..., K, K]`` (last row/column is y).

    Gaussian elimination of the first ``K-1`` pivots; the remaining corner is the
    residual sum of squares. Where a pivot falls below :data:`PIVOT_TOLERANCE` times its
    diagonal entry (the regressors are collinear within that segment, e.g. a dummy that is
    constant there) the RSS is not defined and is NaN. Works on a copy.
    """
    work = np.moveaxis(np.asarray(A, dtype=np.float64), (-2, -1), (0, 1)).copy()
    return _eliminate(work)


def rss_prefix_suffix(X: np.ndarray, y: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """RSS of the first ``b`` and of the last ``n-b`` observations, for ``b = 0..n``."""
    F, B, scale = _cumulative_crossproducts(X, y)
    assert B is not None
    prefix, suffix = _eliminate(F), _eliminate(B)
    prefix *= scale
    suffix *= scale
    return prefix, suffix


#: About how many numbers the segment sums of one block of :func:`rss_triangle` hold (4 MB):
#: large enough that the elimination runs on long vectors, small enough to stay in cache.
TRIANGLE_BLOCK_NUMBERS = 2**19


def rss_triangle(X: np.ndarray, y: np.ndarray, h: int, block: int | None = None) -> np.ndarray:
    """``T[i, j]`` = RSS of the segment of observations ``i..j`` (0-based, inclusive).

    Only segments of at least ``h`` observations are computed; the rest is NaN. The
    segments are eliminated ``block`` starts at a time (by default as many as fit in
    :data:`TRIANGLE_BLOCK_NUMBERS`, from 4 to 64); the values do not depend on it.
    """
    n = X.shape[0]
    F, _, scale = _cumulative_crossproducts(X, y, backward=False)
    if block is None:
        block = max(4, min(64, TRIANGLE_BLOCK_NUMBERS // (F.shape[0] ** 2 * max(n - h, 1))))
    T = np.full((n, n), np.nan)
    for i0 in range(0, n - h + 1, block):
        i1 = min(i0 + block, n - h + 1)
        lo = i0 + h - 1
        # segment i..j has sums F[j+1] - F[i]: starts i0..i1-1, ends lo..n-1
        sums = F[:, :, None, lo + 1 :] - F[:, :, i0:i1, None]
        rss = _eliminate(sums)
        rss *= scale
        length = np.arange(lo, n)[None, :] - np.arange(i0, i1)[:, None] + 1
        rss[length < h] = np.nan
        T[i0:i1, lo:] = rss
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
