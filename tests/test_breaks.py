"""Break tests: cross-checks with statsmodels, the China–DPRK example, bad input, properties."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest
import statsmodels.api as sm
from hypothesis import given, settings
from hypothesis import strategies as st
from statsmodels.stats.diagnostic import breaks_cusumolsresid, recursive_olsresiduals

import bilateral_trade as bt
from bilateral_trade import DataValidationError, InsufficientDataError
from bilateral_trade.stats.breaks.cusum import recursive_residuals
from bilateral_trade.stats.breaks.pvalues import hansen_pvalue


def series(values: np.ndarray, start: str = "2000", freq: str = "Y") -> pd.Series:
    return pd.Series(values, index=pd.period_range(start, periods=len(values), freq=freq))


@pytest.fixture
def regression() -> tuple[pd.Series, pd.DataFrame]:
    rng = np.random.default_rng(42)
    n = 80
    x = rng.normal(size=n)
    e = rng.standard_t(5, size=n) * np.where(np.arange(n) > 40, 2.0, 1.0)
    y = 1.0 + 0.5 * x + np.where(np.arange(n) >= 50, 1.0 + 0.7 * x, 0.0) + e
    idx = pd.period_range("2010-01", periods=n, freq="M")
    return pd.Series(y, index=idx), pd.DataFrame({"x": x}, index=idx)


class TestAgainstStatsmodels:
    @pytest.mark.parametrize(
        ("cov", "kwds"), [("HC1", {}), ("HAC", {"maxlags": 3, "use_correction": False})]
    )
    def test_robust_chow_equals_wald_f_test(
        self, regression: tuple[pd.Series, pd.DataFrame], cov: str, kwds: dict[str, object]
    ) -> None:
        y, exog = regression
        X = sm.add_constant(exog["x"].to_numpy())
        post = (np.arange(len(y)) >= 50)[:, None] * X
        fit = sm.OLS(y.to_numpy(), np.hstack([X, post])).fit(cov_type=cov, cov_kwds=kwds or None)
        test = fit.f_test(np.hstack([np.zeros((2, 2)), np.eye(2)]))
        r = bt.chow_test(y, y.index[50], exog=exog, cov=cov, hac_lags=3)
        np.testing.assert_allclose(r.statistic, float(np.squeeze(test.fvalue)), rtol=1e-8)
        np.testing.assert_allclose(r.p_value, float(test.pvalue), rtol=1e-8)
        assert r.df == (2.0, float(len(y) - 4))

    def test_classical_chow_equals_f_test(self, regression: tuple[pd.Series, pd.DataFrame]) -> None:
        y, exog = regression
        X = sm.add_constant(exog["x"].to_numpy())
        post = (np.arange(len(y)) >= 50)[:, None] * X
        fit = sm.OLS(y.to_numpy(), np.hstack([X, post])).fit()
        test = fit.f_test(np.hstack([np.zeros((2, 2)), np.eye(2)]))
        r = bt.chow_test(y, "2014-03", exog=exog)
        np.testing.assert_allclose(r.statistic, float(np.squeeze(test.fvalue)), rtol=1e-8)

    def test_ols_cusum_equals_statsmodels(self, regression: tuple[pd.Series, pd.DataFrame]) -> None:
        y, exog = regression
        fit = sm.OLS(y.to_numpy(), sm.add_constant(exog["x"].to_numpy())).fit()
        stat, pval, _ = breaks_cusumolsresid(fit.resid, ddof=2)
        r = bt.cusum_test(y, exog=exog)
        np.testing.assert_allclose(r.statistic, stat, rtol=1e-10)
        np.testing.assert_allclose(r.p_value, pval, rtol=1e-8)

    def test_recursive_residuals_equal_statsmodels(
        self, regression: tuple[pd.Series, pd.DataFrame]
    ) -> None:
        y, exog = regression
        X = sm.add_constant(exog["x"].to_numpy())
        fit = sm.OLS(y.to_numpy(), X).fit()
        expected = recursive_olsresiduals(fit)[4][
            2:
        ]  # rresid_scaled: (y - x'b) / sqrt(1 + x'(X'X)^-1 x)
        np.testing.assert_allclose(recursive_residuals(X, y.to_numpy()), expected, rtol=1e-8)

    def test_segment_coefficients_equal_statsmodels(
        self, regression: tuple[pd.Series, pd.DataFrame]
    ) -> None:
        y, exog = regression
        r = bt.bai_perron(y, exog=exog, max_breaks=1, trim=0.2, cov="HC1")
        assert r.n_breaks == 1
        b = r.break_periods[0]
        pos = y.index.get_loc(b)
        X = sm.add_constant(exog["x"].to_numpy())
        Z = np.zeros((len(y), 4))
        Z[:pos, :2], Z[pos:, 2:] = X[:pos], X[pos:]
        fit = sm.OLS(y.to_numpy(), Z).fit(cov_type="HC1")
        np.testing.assert_allclose(r.coefficients["estimate"], fit.params, rtol=1e-8)
        np.testing.assert_allclose(r.coefficients["std_error"], fit.bse, rtol=1e-8)
        classical = bt.bai_perron(y, exog=exog, max_breaks=1, trim=0.2)
        np.testing.assert_allclose(
            classical.coefficients["std_error"], sm.OLS(y.to_numpy(), Z).fit().bse, rtol=1e-8
        )


class TestChinaDPRK:
    def test_chow_at_unscr_2397_significant_at_1_percent(self) -> None:
        s = bt.datasets.china_dprk_trade()
        event = bt.datasets.dprk_sanctions().get("UNSCR 2397")
        r = bt.chow_test(s, event, log=True, trend=True)
        assert r.break_periods == (pd.Period("2018", "Y"),)
        assert r.p_value < 0.01

    def test_bai_perron_bic_dates_2018_before_covid(self) -> None:
        # Up to 2019, before the 2020 border closure dominates the series.
        s = bt.datasets.china_dprk_trade().slice(end=2019)
        r = bt.bai_perron(s, log=True, max_breaks=2, criterion="bic")
        assert pd.Period("2018", "Y") in r.break_periods


class TestPValues:
    @pytest.mark.parametrize("kind", ["sup", "ave", "exp"])
    @pytest.mark.parametrize("k", [1, 2, 3, 5, 10, 40])
    def test_monotone_and_finite(self, kind: str, k: int) -> None:
        lam = ((100 - 15) * 85) / (15 * (100 - 15))
        xs = np.concatenate([np.linspace(0, 60, 1201), np.geomspace(60, 1e5, 200)])
        ps = np.array([hansen_pvalue(float(x), kind, k, lam)[0] for x in xs])
        assert np.isfinite(ps).all() and (ps >= 0).all() and (ps <= 1).all()
        assert (np.diff(ps) <= 0).all()

    def test_large_statistic_series(self) -> None:
        rng = np.random.default_rng(3)
        y = series(np.concatenate([rng.normal(0, 1, 40), rng.normal(60, 1, 40)]))
        r = bt.sup_f_test(y, trend=True)
        assert r.sup_f.statistic > 1500
        assert np.isfinite(r.exp_f.statistic)
        for t in (r.sup_f, r.ave_f, r.exp_f):
            assert 0 <= t.p_value < 1e-6
        assert r.exp_f.p_value_method == "bound"


class TestBadInput:
    def test_too_short_for_trim(self) -> None:
        with pytest.raises(
            InsufficientDataError,
            match=r"sup-F with trim 0\.15 and 1 regressor\(s\) needs at least 14 observations, "
            r"got 9",
        ):
            bt.sup_f_test(series(np.arange(9.0)))
        with pytest.raises(
            InsufficientDataError,
            match=r"Bai–Perron with trim 0\.15 and 1 regressor\(s\) needs at least 14 "
            r"observations, got 10",
        ):
            bt.bai_perron(series(np.arange(10.0)))

    @pytest.mark.parametrize("trim", [0.0, 0.5, 0.7, -1])
    def test_trim_outside(self, trim: float) -> None:
        with pytest.raises(DataValidationError, match="trim: "):
            bt.sup_f_test(series(np.arange(40.0)), trim=trim)

    def test_max_breaks_too_many(self) -> None:
        with pytest.raises(
            DataValidationError,
            match=r"max_breaks: 9 is not a whole number from 1 to 5; with n = 40 and regimes of "
            r"at least h = 6 observations, at most 5 break\(s\) fit",
        ):
            bt.bai_perron(series(np.arange(40.0)), max_breaks=9)

    def test_chow_outside_interior(self) -> None:
        y = series(np.arange(20.0))
        with pytest.raises(
            DataValidationError, match="admissible break periods run from 2003 to 2017"
        ):
            bt.chow_test(y, 2001, trend=True)
        with pytest.raises(DataValidationError, match="at: 2030 is outside the series"):
            bt.chow_test(y, 2030)

    def test_constant_y(self) -> None:
        with pytest.raises(InsufficientDataError, match="y: the series is constant"):
            bt.sup_f_test(series(np.full(30, 5.0)))

    def test_collinear_exog_named(self) -> None:
        y = series(np.random.default_rng(1).normal(size=30))
        exog = pd.DataFrame({"a": np.arange(30.0), "b": 2 * np.arange(30.0) + 1}, index=y.index)
        with pytest.raises(DataValidationError, match="collinear: b is a linear combination"):
            bt.chow_test(y, 2015, exog=exog)

    def test_nan_in_y_and_exog(self) -> None:
        y = series(np.r_[np.arange(29.0), np.nan])
        with pytest.raises(
            DataValidationError, match=r"y: missing \(NaN or NA\) or infinite values at 2029"
        ):
            bt.sup_f_test(y)
        y2 = series(np.arange(30.0))
        exog = pd.DataFrame({"x": np.r_[np.nan, np.arange(29.0)]}, index=y2.index)
        with pytest.raises(
            DataValidationError, match="exog: column 'x' has missing or infinite values at 2000"
        ):
            bt.sup_f_test(y2, exog=exog)
        s = bt.datasets.china_dprk_trade(definition="kotra")
        with pytest.raises(DataValidationError, match="y: missing values at 2011"):
            bt.sup_f_test(s)

    def test_exog_on_another_index(self) -> None:
        y = series(np.random.default_rng(1).normal(size=30))
        exog = pd.DataFrame(
            {"x": np.arange(30.0)}, index=pd.period_range("2001", periods=30, freq="Y")
        )
        with pytest.raises(
            DataValidationError,
            match="exog: the index \\(2001 to 2030, 30 rows\\) is not the index of y",
        ):
            bt.cusum_test(y, exog=exog)

    def test_log_non_positive(self) -> None:
        with pytest.raises(
            DataValidationError, match="y: log=True needs positive values; non-positive at 2001"
        ):
            bt.chow_test(series(np.r_[1.0, 0.0, np.arange(1.0, 29.0)]), 2015, log=True)

    def test_unknown_options(self) -> None:
        y = series(np.random.default_rng(1).normal(size=30))
        with pytest.raises(DataValidationError, match="cov: 'HC3'"):
            bt.sup_f_test(y, cov="HC3")
        with pytest.raises(DataValidationError, match="criterion: 'aic'"):
            bt.bai_perron(y, criterion="aic")  # type: ignore[arg-type]
        with pytest.raises(DataValidationError, match="kind: 'mosum'"):
            bt.cusum_test(y, kind="mosum")  # type: ignore[arg-type]


class TestResults:
    def test_serialisable_and_readable(self) -> None:
        s = bt.datasets.china_dprk_trade()
        for r in (
            bt.chow_test(s, 2018, log=True, trend=True),
            bt.sup_f_test(s, log=True),
            bt.bai_perron(s, log=True, max_breaks=3),
            bt.cusum_test(s, log=True),
        ):
            json.dumps(r.to_dict())
            text = r.summary()
            assert str(r) == text and "<pre>" in r._repr_html_()
        sup = bt.sup_f_test(s, log=True)
        assert list(sup.to_frame().columns) == ["F"]
        assert sup.statistic == sup.sup_f.statistic
        bp = bt.bai_perron(s, log=True, max_breaks=3)
        assert list(bp.to_frame().index) == [0, 1, 2, 3]
        assert list(bp.confidence_intervals.columns) == ["lower", "break_period", "upper"]
        with pytest.raises(AttributeError):
            bp.n_breaks = 0  # type: ignore[misc]


@settings(max_examples=25, deadline=None)
@given(st.floats(min_value=1e-3, max_value=1e6), st.integers(min_value=0, max_value=2**31 - 1))
def test_invariant_to_scaling_y(scale: float, seed: int) -> None:
    rng = np.random.default_rng(seed)
    y = series(rng.normal(size=40) + np.where(np.arange(40) >= 25, 1.0, 0.0))
    a, b = bt.sup_f_test(y, trend=True), bt.sup_f_test(y * scale, trend=True)
    np.testing.assert_allclose(a.f_path.to_numpy(), b.f_path.to_numpy(), rtol=1e-7, atol=1e-9)
    assert a.break_period == b.break_period
    np.testing.assert_allclose(
        bt.chow_test(y, 2025).statistic, bt.chow_test(y * scale, 2025).statistic, rtol=1e-8
    )
    assert (
        bt.bai_perron(y, max_breaks=2).break_periods
        == bt.bai_perron(y * scale, max_breaks=2).break_periods
    )


class TestBaiPerronTables:
    """The published Bai–Perron (2003) tables, checked against each other and Hansen (1997)."""

    def test_sup_f_one_break_equals_sequential_zero(self) -> None:
        from bilateral_trade.stats.breaks._bptables import _raw

        raw = _raw()
        for eps in raw["eps"]:
            for lev in raw["levels"]:
                for q in range(10):
                    assert raw["supF"][eps][lev][q][0] == raw["supF_next"][eps][lev][q][0]

    @pytest.mark.parametrize("eps", [0.05, 0.10, 0.15, 0.20, 0.25])
    @pytest.mark.parametrize("q", [1, 2, 3, 5, 10])
    def test_five_percent_sup_f_agrees_with_hansen(self, eps: float, q: int) -> None:
        from bilateral_trade.stats.breaks._bptables import Table

        cv = Table(f"{eps:.2f}", q).sup_f(1)["5%"]
        lam = ((1 - eps) / eps) ** 2
        # Two independent published approximations of the same limiting distribution.
        assert 0.04 < hansen_pvalue(cv, "sup", q, lam)[0] < 0.06

    def test_sequential_and_dmax(self) -> None:
        rng = np.random.default_rng(0)
        y = series(np.r_[rng.normal(size=50), rng.normal(2, 1, 50)], start="1900")
        r = bt.bai_perron(y, criterion="sequential")
        assert r.n_breaks == 1 and r.break_periods == (pd.Period("1946", "Y"),)
        assert r.sequential is not None and r.udmax is not None and r.wdmax is not None
        first = r.sequential.iloc[0]
        np.testing.assert_allclose(first["statistic"], bt.sup_f_test(y).sup_f.statistic, rtol=1e-10)
        assert first["p_value"] == 0.01 and first["cv_5%"] == 8.58
        assert r.udmax.critical_values["5%"] == 8.88 and r.wdmax.critical_values["5%"] == 9.91
        assert r.udmax.statistic >= first["statistic"]

    def test_no_table_for_odd_trimming(self) -> None:
        y = series(np.random.default_rng(2).normal(size=100))
        r = bt.bai_perron(y, trim=33, max_breaks=1)
        assert r.sequential is None and r.udmax is None
        assert "no Bai–Perron (2003) table" in r.extra["tests_unavailable"]
        with pytest.raises(
            DataValidationError, match="'sequential' needs the Bai–Perron critical values"
        ):
            bt.bai_perron(y, trim=33, max_breaks=1, criterion="sequential")


class TestWindow:
    def test_bai_perron_window(self) -> None:
        rng = np.random.default_rng(11)
        y = series(
            np.r_[rng.normal(0, 1, 30), rng.normal(3, 1, 30), rng.normal(0, 1, 40)], start="1900"
        )
        free = bt.bai_perron(y, max_breaks=2)
        assert free.break_periods == (pd.Period("1930", "Y"), pd.Period("1960", "Y"))
        everything = bt.bai_perron(y, max_breaks=2, window=(1900, 1999))
        assert everything.break_periods == free.break_periods
        assert everything.by_m[2].rss == free.by_m[2].rss
        narrow = bt.bai_perron(y, max_breaks=2, window=(1950, 1975))
        assert all(
            pd.Period("1950", "Y") <= p <= pd.Period("1975", "Y") for p in narrow.break_periods
        )
        assert narrow.sequential is None and "window" in narrow.extra["tests_unavailable"]

    def test_window_around_event(self) -> None:
        s = bt.datasets.china_dprk_trade().slice(end=2019)
        ev = bt.datasets.dprk_sanctions()
        r = bt.sup_f_test(s, log=True, window=(ev.get("UNSCR 2270"), ev.get("UNSCR 2397")))
        assert r.break_period == pd.Period("2018", "Y")
        assert (str(r.f_path.index[0]), str(r.f_path.index[-1])) == ("2017", "2018")

    def test_window_outside(self) -> None:
        y = series(np.random.default_rng(3).normal(size=40))
        with pytest.raises(
            DataValidationError,
            match="leaves no admissible break period; with this trimming breaks may start "
            "from 2006 to 2034",
        ):
            bt.sup_f_test(y, window=(2000, 2003))
        with pytest.raises(DataValidationError, match="window: expected \\(start, end\\)"):
            bt.bai_perron(y, window=2010)
