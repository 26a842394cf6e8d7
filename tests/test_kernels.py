"""The fast paths of the break-test numerics give the values of their plain definitions."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from scipy import stats

import bilateral_trade as bt
from bilateral_trade.models.ols import PIVOT_TOLERANCE, rss_triangle, schur_rss
from bilateral_trade.models.validators import as_array, as_values, pow2_scale
from bilateral_trade.stats.breaks.pvalues import _chi2_sf


def _plain_schur(A: np.ndarray) -> np.ndarray:
    """Gaussian elimination on ``A[..., K, K]`` tile by tile, as the definition reads."""
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
    return np.asarray(np.where(deficient, np.nan, np.maximum(A[..., K - 1, K - 1], 0.0)))


def _design(n: int, k: int, dummy: bool) -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(n * 10 + k)
    columns = [np.ones(n)] + [
        rng.normal(size=n) * 10.0 ** rng.integers(-4, 4) for _ in range(k - 1)
    ]
    if dummy and k > 1:
        columns[1] = (np.arange(n) >= n // 2).astype(float)  # collinear within some segments
    X = np.column_stack(columns)
    return X, rng.normal(size=n) + X @ rng.normal(size=k)


@pytest.mark.parametrize("k", [1, 2, 4])
@pytest.mark.parametrize("dummy", [False, True])
def test_elimination_equals_the_tile_by_tile_definition(k: int, dummy: bool) -> None:
    X, y = _design(60, k, dummy)
    Z = np.column_stack([X, y])
    sums = np.cumsum(Z[:, :, None] * Z[:, None, :], axis=0)
    np.testing.assert_array_equal(schur_rss(sums), _plain_schur(sums))


@pytest.mark.parametrize("k", [1, 3])
@pytest.mark.parametrize("dummy", [False, True])
def test_the_rss_triangle_does_not_depend_on_the_block_size(k: int, dummy: bool) -> None:
    X, y = _design(90, k, dummy)
    h = 12
    T = rss_triangle(X, y, h)
    for block in (1, 5, 64):
        np.testing.assert_array_equal(rss_triangle(X, y, h, block=block), T)
    i, j = np.indices(T.shape)
    assert np.isnan(T[j - i + 1 < h]).all()  # segments shorter than h are not computed
    if not dummy:
        assert np.isfinite(T[j - i + 1 >= h]).all()


def test_the_chi_square_survival_function_is_scipys() -> None:
    x = np.concatenate([np.linspace(-3.0, 200.0, 2001), [0.0, -0.0, np.inf, -np.inf, np.nan]])
    for df in (1, 2.5, 7, 40.0, 61.25):
        np.testing.assert_array_equal(_chi2_sf(x, df), stats.chi2.sf(x, df))


@pytest.mark.parametrize(
    "amax", [0.0, 5e-324, 2.2e-308, 1e-300, 0.75, 1.0, 3.0, 1e300, 1.7976931348623157e308, np.inf]
)
def test_one_scale_equals_the_array_rule(amax: float) -> None:
    one = pow2_scale(amax)
    assert one.shape == () and one.dtype == np.float64
    assert one == pow2_scale(np.array([amax, 1.0]))[0]


def test_as_array_checks_as_as_values() -> None:
    y = pd.Series([1.0, 2.0, 4.0], index=pd.period_range("2000", periods=3, freq="Y"), name="v")
    checked = as_array(y, field="y")
    values, freq, series = as_values(y, field="y")
    np.testing.assert_array_equal(checked.array, values.to_numpy())
    assert checked.periods.equals(values.index) and checked.frequency is freq
    assert checked.series is series is None and checked.name == values.name == "v"
    for bad in (y.set_axis(y.index[::-1]), y.where(y < 3), -y):
        with pytest.raises(bt.DataValidationError) as from_array:
            as_array(bad, field="y")
        with pytest.raises(bt.DataValidationError) as from_values:
            as_values(bad, field="y")
        assert str(from_array.value) == str(from_values.value)
