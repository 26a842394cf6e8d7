"""Adversarial inputs to the statistics: degenerate series, extreme scales, bad arguments.

Regression tests for the statistics side of issue 11 (items 5–11, 13, 14, 18, 19, 23), and
hypothesis-driven checks of the rule for the whole library: a statistic that is NaN or
infinite never carries a p-value — single-series functions raise a typed error, the screen
gives the row a status other than "ok".
"""

from __future__ import annotations

import math
import warnings
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pytest
import statsmodels.api as sm
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from statsmodels.stats.multitest import multipletests

import bilateral_trade as bt
from bilateral_trade import (
    BilateralTradeError,
    BilateralTradeWarning,
    DataQualityWarning,
    DataValidationError,
    InsufficientDataError,
)
from bilateral_trade._util.format import money, pct


def annual(values: Any, start: str = "2000") -> pd.Series:
    arr = np.asarray(values, dtype=np.float64)
    return pd.Series(arr, index=pd.period_range(start, periods=len(arr), freq="Y"))


def long_frame(series: dict[str, Any], start: int = 2000) -> pd.DataFrame:
    rows = [
        ("CHN", "PRK", "imports", product, str(start + t), float(v))
        for product, values in series.items()
        for t, v in enumerate(values)
    ]
    return pd.DataFrame(rows, columns=["reporter", "partner", "flow", "product", "period", "value"])


def trending_frame(m: int, n: int, seed: int) -> pd.DataFrame:
    """``m`` break-free series: log level = a + b t + N(0, 0.1^2) noise, growth -5% to 15%."""
    rng = np.random.default_rng(seed)
    t = np.arange(n)
    logs = 10 + rng.uniform(-0.05, 0.15, (m, 1)) * t + rng.normal(0, 0.1, (m, n))
    return pd.DataFrame(
        {
            "reporter": "CHN",
            "partner": "PRK",
            "flow": "imports",
            "product": np.repeat([f"{i:06d}" for i in range(m)], n),
            "period": np.tile([str(2000 + i) for i in range(n)], m),
            "value": np.exp(logs.ravel()),
        }
    )


EXACT = "fits the series exactly, up to rounding"
#: Statistics that are zero in exact arithmetic (identical regimes) come out as rounding
#: noise around 1e-30; relative agreement is then meaningless.
STAT_ATOL = 1e-9


# ----------------------------------------------------------------- 5. perfect fits
class TestPerfectFits:
    def test_chow_step_is_an_exact_break(self) -> None:
        with pytest.raises(InsufficientDataError, match=f"break at 2002 {EXACT}.*infinite"):
            bt.chow_test(annual([0.0, 0, 5, 5, 5]), 2002)

    def test_bai_perron_step_is_an_exact_fit(self) -> None:
        with pytest.raises(InsufficientDataError, match="1 break\\(s\\) at 2010 fit the series"):
            bt.bai_perron(annual([1.0] * 10 + [2.0] * 10))

    def test_sup_f_step_is_an_exact_break(self) -> None:
        with pytest.raises(InsufficientDataError, match=f"break at 2010 {EXACT}.*sup-F"):
            bt.sup_f_test(annual([1.0] * 10 + [2.0] * 10))

    def test_robust_chow_step_is_an_exact_break(self) -> None:
        for cov in ("HC1", "HAC"):
            with pytest.raises(InsufficientDataError, match=EXACT):
                bt.chow_test(annual([1.0] * 10 + [2.0] * 10), 2010, cov=cov)

    def test_screen_step_has_a_status(self) -> None:
        res = bt.screen(long_frame({"01": [1.0] * 10 + [2.0] * 10}), at=2010, trend=False)
        assert set(res["status"]) == {"exact break"}
        assert res[["statistic", "p_value", "q_value"]].isna().all().all()
        assert res["message"].str.contains("break at 2010 fits the series exactly").all()

    def test_exact_regime_inside_noisy_series(self) -> None:
        # trade stops: noise, then zeros. Not an exact fit overall: the tests run, and the
        # Bai-Perron intervals do not fail on the regime without residual variation.
        rng = np.random.default_rng(5)
        y = annual(np.r_[rng.normal(10, 1, 14), np.zeros(10)])
        r = bt.chow_test(y, 2014)
        assert math.isfinite(r.statistic) and 0 <= r.p_value <= 1
        bp = bt.bai_perron(y, max_breaks=2)
        assert bp.n_breaks >= 1 and all(math.isfinite(p.bic) for p in bp.by_m.values())
        assert bp.sequential is not None
        for rec in bp.sequential.to_dict(orient="records"):
            finite = math.isfinite(rec["statistic"])
            assert (finite and 0 <= rec["p_value"] <= 1) or (
                math.isnan(rec["p_value"]) and rec["note"]
            )


# ------------------------------------------------------- 6. exact line with a trend
class TestExactLine:
    line = annual(range(1, 21))

    @pytest.mark.parametrize(
        "call",
        [
            lambda y: bt.chow_test(y, 2010, trend=True),
            lambda y: bt.chow_test(y, 2010, trend=True, cov="HAC"),
            lambda y: bt.sup_f_test(y, trend=True),
            lambda y: bt.sup_f_test(y, trend=True, cov="HC1"),
            lambda y: bt.cusum_test(y, trend=True),
            lambda y: bt.cusum_test(y, trend=True, kind="recursive"),
            lambda y: bt.bai_perron(y, trend=True),
        ],
    )
    def test_single_series_tests_refuse(self, call: Any) -> None:
        with pytest.raises(InsufficientDataError, match=f"without a break .*{EXACT}"):
            call(self.line)

    def test_exact_line_in_logs(self) -> None:
        with pytest.raises(InsufficientDataError, match=EXACT):
            bt.chow_test(annual(np.exp(0.1 * np.arange(20))), 2010, trend=True, log=True)

    def test_screen_exact_line(self) -> None:
        res = bt.screen(long_frame({"01": range(1, 21)}), at=2010, trend=True, log=False)
        assert set(res["status"]) == {"exact fit"}
        assert res[["statistic", "p_value", "q_value"]].isna().all().all()

    def test_f_never_negative_near_an_exact_line(self) -> None:
        # a line plus noise of 1e-4: R^2 = 1 - 4e-10, still a regression with residuals
        rng = np.random.default_rng(2)
        y = annual(np.arange(1.0, 21.0) + 1e-4 * rng.normal(size=20))
        r = bt.chow_test(y, 2010, trend=True)
        assert r.statistic >= 0 and 0 <= r.p_value <= 1


# ------------------------------------------------------------- 7. extreme scales
class TestExtremeScales:
    base = np.random.default_rng(0).normal(size=24)

    @pytest.mark.parametrize("scale", [1e300, 1.7e308 / 4, 1e-300, 3e-308])
    def test_break_tests_are_finite_and_invariant(self, scale: float) -> None:
        y, ys = annual(self.base), annual(self.base * scale)
        with warnings.catch_warnings():
            warnings.simplefilter("error", RuntimeWarning)
            pairs = [
                (bt.chow_test(y, 2012).statistic, bt.chow_test(ys, 2012).statistic),
                (bt.sup_f_test(y).sup_f.statistic, bt.sup_f_test(ys).sup_f.statistic),
                (bt.cusum_test(y).statistic, bt.cusum_test(ys).statistic),
                (
                    bt.cusum_test(y, kind="recursive").statistic,
                    bt.cusum_test(ys, kind="recursive").statistic,
                ),
            ]
            bp, bps = bt.bai_perron(y, max_breaks=2), bt.bai_perron(ys, max_breaks=2)
        for a, b in pairs:
            np.testing.assert_allclose(b, a, rtol=1e-9)
        assert bps.break_periods == bp.break_periods
        # BIC moves by 2 n log(scale) exactly; it stays finite though RSS leaves the float range
        np.testing.assert_allclose(
            bps.by_m[1].bic - bp.by_m[1].bic, 2 * 24 * math.log(scale), rtol=1e-9
        )
        assert "out of range" in str(bps.summary())

    def test_screen_levels_near_1e300(self) -> None:
        rng = np.random.default_rng(3)
        base = 1 + 0.1 * rng.random(20)
        frame = long_frame({"01": base, "02": base * 1e300, "03": base * 1e-300})
        res = bt.screen(frame, at=2010, log=False).set_index(["product", "test"])
        assert (res["status"] == "ok").all()
        for test in ("chow", "sup_f"):
            ref = res.loc[("01", test), "statistic"]
            for product in ("02", "03"):
                np.testing.assert_allclose(res.loc[(product, test), "statistic"], ref, rtol=1e-9)

    def test_subnormal_series_refused(self) -> None:
        with pytest.raises(DataValidationError, match="subnormal"):
            bt.chow_test(annual([1e-320, 3e-320, 2e-320, 5e-320, 4e-320, 1e-320]), 2003)
        res = bt.screen(long_frame({"01": np.arange(1, 21) * 1e-320}), at=2010, log=False)
        assert set(res["status"]) == {"subnormal"}

    def test_recovery_and_money_near_1e300(self) -> None:
        r = bt.recovery(annual([1.0, 2.0, 3.0]), 1e300)
        text = str(r.summary())
        assert "1.00e+300" in text and "n/a" not in text
        assert money(1.5e300) == "$1.50e+300"
        assert money(6.545e9) == "$6.55bn"
        assert money(float("inf")) == "n/a" and pct(float("inf")) == "n/a"
        with pytest.raises(DataValidationError, match="baseline: 1e-320 is not a positive level"):
            bt.recovery(annual([1.0, 2.0]), 1e-320)
        with pytest.raises(DataValidationError, match="exceeds the range"):
            bt.recovery(annual([1e300, 2.0]), 1e-10)

    def test_yoy_of_a_subnormal_base(self) -> None:
        with pytest.warns(DataQualityWarning, match="base is below 2.23e-308"):
            got = bt.yoy(annual([1e-320, 1e10]))
        assert got.isna().all()
        with pytest.warns(DataQualityWarning, match="exceeds the range"):
            got = bt.yoy(annual([1e-300, 1e300]))
        assert got.isna().all()

    def test_cagr_in_logs_when_the_ratio_overflows(self) -> None:
        # (1e200 / 1e-200) ** (1/2) - 1 = 1e200 - 1 exactly in real numbers
        np.testing.assert_allclose(
            bt.cagr(annual([1e-200, 1.0, 1e200]), 2000, 2002), 1e200, rtol=1e-9
        )
        with pytest.raises(DataValidationError, match="beyond the range"):
            bt.cagr(annual([1e-300, 1e300]), 2000, 2001)
        with pytest.raises(DataValidationError, match="start: the value at 2000 is 1e-320"):
            bt.cagr(annual([1e-320, 5.0]), 2000, 2001)

    def test_mirror_cif_fob_subnormal(self) -> None:
        with pytest.raises(DataValidationError, match="cif_fob: 1e-320 is not a CIF/FOB factor"):
            bt.mirror(mirror_panel(), "CHN", "KOR", cif_fob=1e-320)


# ---------------------------------------------------- 8. a regressor around 1e13
def test_large_regressor_is_not_collinear() -> None:
    rng = np.random.default_rng(8)
    gdp = 1e13 * (1 + 0.3 * rng.random(30))
    y = annual(rng.normal(size=30) + 2e-13 * gdp)
    exog = pd.DataFrame({"gdp": gdp}, index=y.index)
    r = bt.chow_test(y, 2015, exog=exog)
    # statsmodels: F test of the coefficient differences in the interacted regression. The F
    # statistic does not depend on the regressor's units; statsmodels itself loses a rank
    # with the column at 1e13, so it is given GDP in units of 1e13.
    X = sm.add_constant(gdp / 1e13)
    post = (np.arange(30) >= 15)[:, None] * X
    fit = sm.OLS(y.to_numpy(), np.hstack([X, post])).fit()
    test = fit.f_test(np.hstack([np.zeros((2, 2)), np.eye(2)]))
    np.testing.assert_allclose(r.statistic, float(np.squeeze(test.fvalue)), rtol=1e-7)
    np.testing.assert_allclose(r.p_value, float(test.pvalue), rtol=1e-7)
    bp = bt.bai_perron(y, exog=exog, max_breaks=1, trim=0.2)
    assert bp.coefficients["estimate"].notna().all()
    with pytest.raises(DataValidationError, match="collinear: twice is a linear combination"):
        bt.chow_test(y, 2015, exog=exog.assign(twice=2 * gdp))


def test_dummy_constant_within_a_regime_is_named() -> None:
    rng = np.random.default_rng(9)
    y = annual(rng.normal(size=30))
    exog = pd.DataFrame({"d": (np.arange(30) >= 20).astype(float)}, index=y.index)
    with pytest.raises(DataValidationError, match=r"within the regime 2000 to 2014 .*\(d\)"):
        bt.chow_test(y, 2015, exog=exog)
    with pytest.raises(DataValidationError, match="collinear"):
        bt.sup_f_test(y, exog=exog)


# ------------------------------------------------------------------- 9. HAC lags
class TestHacLags:
    y = annual(np.exp(np.random.default_rng(9).normal(size=30)))

    def test_lags_must_be_below_n(self) -> None:
        with pytest.raises(DataValidationError, match="hac_lags: 1000 lags with 30 observations"):
            bt.chow_test(self.y, 2015, cov="HAC", hac_lags=1000)
        with pytest.raises(DataValidationError, match="hac_lags: 30 lags"):
            bt.sup_f_test(self.y, cov="HAC", hac_lags=30)
        with pytest.raises(DataValidationError, match="hac_lags"):
            bt.event_impact(self.y, "2015", cov="HAC", hac_lags=1000)

    def test_many_lags_warn(self) -> None:
        with pytest.warns(DataQualityWarning, match="more than a quarter of the 30 observations"):
            bt.chow_test(self.y, 2015, cov="HAC", hac_lags=8)
        with pytest.warns(DataQualityWarning, match="Newey–West rule gives 3"):
            bt.event_impact(self.y, "2015", cov="HAC", hac_lags=20)
        with warnings.catch_warnings():
            warnings.simplefilter("error")
            bt.chow_test(self.y, 2015, cov="HAC", hac_lags=7)  # n / 4 = 7.5: no warning


# ----------------------------------------------------- 10. the rule in the screen
def test_constant_in_logs_is_excluded_from_fdr() -> None:
    rng = np.random.default_rng(10)
    noisy = {f"{i:02d}": np.exp(rng.normal(2, 0.2, 20)) for i in range(10, 30)}
    frame = long_frame({"01": [0.1] * 20, "02": [3.0] * 20, **noisy})
    for trend in (False, True):
        res = bt.screen(frame, at=2010, trend=trend, log=True)
        flat = res[res["product"].isin(["01", "02"])]
        assert set(flat["status"]) == {"constant"}
        assert flat[["statistic", "p_value", "q_value"]].isna().all().all()
        for test in ("chow", "sup_f"):
            ok = res[(res["test"] == test) & (res["status"] == "ok")]
            assert len(ok) == 20
            expected = multipletests(ok["p_value"].to_numpy(), method="fdr_bh")[1]
            np.testing.assert_allclose(ok["q_value"].to_numpy(), expected, rtol=1e-12)


def test_constant_in_logs_single_series() -> None:
    with pytest.raises(InsufficientDataError, match="constant"):
        bt.sup_f_test(annual([0.1] * 20), log=True)


# ---------------------------------------------------- 11. the default model
class TestDefaultModel:
    def test_default_is_log_level_with_trend(self) -> None:
        res = bt.screen(trending_frame(5, 20, 0), at=2012)
        assert res["trend"].all() and res["log"].all()
        assert res.attrs["model"] == (
            "log value on an intercept and a linear trend; every coefficient may break"
        )

    def test_false_positive_rate_near_nominal(self) -> None:
        # Under the null (trend, no break, iid normal errors) Chow's F is exactly F(k, n - 2k):
        # the rejection rate at 5% is 5% (binomial sd 0.7% for 1000 series).
        res = bt.screen(trending_frame(1000, 25, 11), at=2017)
        chow = res[(res["test"] == "chow") & (res["status"] == "ok")]
        assert len(chow) == 1000
        assert 0.03 <= (chow["p_value"] < 0.05).mean() <= 0.07
        assert (chow["q_value"] < 0.05).mean() <= 0.01
        # the mean-only model flags most of these break-free series
        mean_only = bt.screen(trending_frame(1000, 25, 11), at=2017, trend=False)
        flagged = mean_only[mean_only["test"] == "chow"]["p_value"] < 0.05
        assert flagged.mean() > 0.5

    def test_cli_prints_the_model(self, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
        from bilateral_trade.cli import main

        path = tmp_path / "panel.parquet"
        bt.TradePanel(trending_frame(12, 20, 1)).to_parquet(path)
        out = tmp_path / "r.csv"
        base = ["screen", str(path), "--at", "2012", "--out", str(out), "--no-progress"]
        assert main(base) == 0
        assert "model: log value on an intercept and a linear trend" in capsys.readouterr().out
        assert main([*base, "--no-trend"]) == 0
        assert "model: log value on an intercept (mean only, no trend)" in capsys.readouterr().out
        assert main([*base, "--trend", "--levels"]) == 0
        assert "model: value (levels) on an intercept and a linear trend" in (
            capsys.readouterr().out
        )
        assert pd.read_csv(out)["trend"].all()


# ------------------------------------------------------ 14. screen arguments
@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("n_jobs", 2.5),
        ("n_jobs", "2"),
        ("n_jobs", None),
        ("n_jobs", 0),
        ("n_jobs", True),
        ("chunk_size", 0),
        ("chunk_size", -1),
        ("chunk_size", 2.5),
        ("trim", "0.15"),
        ("trim", float("nan")),
        ("trim", 0.5),
        ("trim", 0.0),
        ("trim", -0.1),
        ("trim", 0.7),
        ("trim", True),
        ("trim", 0),
        ("min_obs", 0),
        ("log", "yes"),
        ("trend", 1),
    ],
)
def test_screen_refuses_bad_arguments(name: str, value: Any) -> None:
    frame = trending_frame(3, 20, 2)
    with pytest.raises(DataValidationError) as info:
        bt.screen(frame, at=2012, **{name: value})
    assert info.value.field == name
    assert str(info.value).startswith(f"{name}: ")
    assert "np." not in str(info.value)


def test_sup_f_and_screen_share_the_trim_rule() -> None:
    y = annual(np.random.default_rng(4).normal(size=30))
    for trim in (0.5, 0.7, 0.0, float("nan"), "0.15", True):
        with pytest.raises(DataValidationError, match="trim: "):
            bt.sup_f_test(y, trim=trim)  # type: ignore[arg-type]
    frame = trending_frame(3, 20, 2)
    int_trim = bt.screen(frame, trim=np.int64(4)).query("test == 'sup_f'")
    single = bt.sup_f_test(
        bt.TradePanel(frame).series(product="000000"), trim=4, log=True, trend=True
    )
    np.testing.assert_allclose(int_trim["statistic"].iloc[0], single.sup_f.statistic, rtol=1e-9)


def test_n_jobs_above_the_cpus_is_capped() -> None:
    frame = trending_frame(20, 20, 3)
    with pytest.warns(BilateralTradeWarning, match="n_jobs: 300 processes on"):
        many = bt.screen(frame, at=2012, n_jobs=300, chunk_size=7)
    pd.testing.assert_frame_equal(many, bt.screen(frame, at=2012))


# --------------------------------------------- 13, 18, 19. mirror and exposure
def mirror_panel() -> bt.TradePanel:
    return bt.TradePanel(
        pd.DataFrame(
            {
                "reporter": ["CHN"] * 3 + ["KOR"] * 3,
                "partner": ["KOR"] * 3 + ["CHN"] * 3,
                "flow": ["exports"] * 3 + ["imports"] * 3,
                "product": "TOTAL",
                "period": ["2010", "2011", "2012"] * 2,
                "value": [100.0, 110, 120, 106, 118, 125],
            }
        )
    )


class TestMirrorAndExposure:
    def test_codes_are_case_insensitive(self) -> None:
        panel = mirror_panel()
        upper = bt.mirror(panel, "CHN", "KOR", cif_fob=1.06)
        lower = bt.mirror(panel, "chn", " kor", product="total", cif_fob=1.06)
        pd.testing.assert_frame_equal(lower.to_frame(), upper.to_frame())
        np.testing.assert_allclose(upper.to_frame()["mirror"], [100.0, 111.320755, 117.924528])

    def test_unknown_code_differs_from_no_data(self) -> None:
        panel = mirror_panel()
        with pytest.raises(DataValidationError, match="reporter: 'XXX' is not an ISO") as info:
            bt.mirror(panel, "XXX", "KOR")
        assert info.value.field == "reporter"
        with pytest.raises(InsufficientDataError, match="its reporters: CHN, KOR"):
            bt.mirror(panel, "CHN", "prk")

    def test_mirror_of_a_dataframe(self) -> None:
        with pytest.raises(
            DataValidationError, match="panel: expected a TradePanel, got DataFrame"
        ):
            bt.mirror(mirror_panel().to_frame(), "CHN", "KOR")  # type: ignore[arg-type]

    def test_exposure_codes_and_zero_base(self) -> None:
        panel = bt.datasets.synthetic_product_panel(seed=3)
        catalog = bt.datasets.dprk_sanctions()
        kw: dict[str, Any] = {"flow": "imports", "base": 2016}
        upper = bt.exposure(panel, catalog, reporter="CHN", partner="PRK", **kw)
        lower = bt.exposure(panel, catalog, reporter="chn", partner="prk", **kw)
        pd.testing.assert_frame_equal(lower, upper)
        with pytest.raises(DataValidationError, match="partner: 'XXX'"):
            bt.exposure(panel, catalog, reporter="CHN", partner="XXX", **kw)
        with pytest.raises(DataValidationError, match="panel: expected a TradePanel"):
            bt.exposure(panel.to_frame(), catalog, reporter="CHN", partner="PRK", **kw)
        frame = panel.to_frame()
        frame.loc[frame["period"] == pd.Period("2016", "Y"), "value"] = 0.0
        with pytest.warns(DataQualityWarning, match="base value of CHN imports from PRK in 2016"):
            zero = bt.exposure(bt.TradePanel(frame), catalog, reporter="CHN", partner="PRK", **kw)
        assert zero["share"].isna().all()


# ------------------------------------------------- 23. numbers in messages
def test_messages_show_numbers_not_numpy_reprs() -> None:
    with pytest.raises(InsufficientDataError) as info:
        bt.chow_test(annual(np.full(10, 15.42)), 2005)
    assert "15.42 throughout" in str(info.value) and "np." not in str(info.value)
    y = annual(np.random.default_rng(1).normal(size=30))
    for call in (
        lambda: bt.sup_f_test(y, trim=np.float64(0.7)),
        lambda: bt.bai_perron(y, level=np.float64(1.5)),
        lambda: bt.recovery(annual([1.0, 2.0]), np.float64(-2.0)),
        lambda: bt.screen(trending_frame(2, 20, 0), trim=np.float64(0.6)),
    ):
        with pytest.raises(DataValidationError) as info:
            call()
        assert "np." not in str(info.value)


# ------------------------------------------------------- hypothesis: the rule
def _degenerate(kind: str, n: int, data: st.DataObject) -> np.ndarray:
    t = np.arange(1.0, n + 1.0)
    cut = data.draw(st.integers(2, n - 2), label="cut")
    a = data.draw(st.integers(1, 50), label="a")
    b = data.draw(st.integers(1, 50), label="b")
    if kind == "constant":
        return np.full(n, float(a))
    if kind == "line":
        return a + b * t
    if kind == "step":
        return np.where(t > cut, float(a), float(a + b))
    if kind == "two steps":
        cut2 = data.draw(st.integers(cut, n - 1), label="cut2")
        return np.where(t > cut2, float(a), np.where(t > cut, float(a + b), float(b)))
    if kind == "step on a line":
        return a + t + np.where(t > cut, float(b), 0.0)
    if kind == "kinked line":
        return a + t + np.where(t > cut, b * (t - cut), 0.0)
    if kind == "one ulp":
        y = np.full(n, 0.3)
        y[cut:] = 0.1 + 0.2  # 0.30000000000000004
        return y
    if kind == "zeros then noise":
        rng = np.random.default_rng(a)
        return np.where(t > cut, rng.uniform(1, 2, n), 0.0)
    rng = np.random.default_rng(a * 100 + b)
    return rng.uniform(1, 100, n)


KINDS = [
    "constant",
    "line",
    "step",
    "two steps",
    "step on a line",
    "kinked line",
    "one ulp",
    "zeros then noise",
    "noise",
]
SCALES = st.sampled_from([1e-300, 1e-150, 1e-20, 1.0, 3.7, 1e20, 1e150, 1e300])


def _check_test_result(r: Any) -> None:
    """Every statistic finite, every p-value in [0, 1] (or no p-value and a reason)."""
    if isinstance(r, bt.MultipleBreaksResult):
        for part in r.by_m.values():
            assert math.isfinite(part.bic) and math.isfinite(part.lwz)
        for t in (r.udmax, r.wdmax):
            if t is not None:
                assert math.isfinite(t.statistic) and 0 <= t.p_value <= 1
        if r.sequential is not None:
            for rec in r.sequential.to_dict(orient="records"):
                if math.isfinite(rec["statistic"]):
                    assert 0 <= rec["p_value"] <= 1
                else:
                    assert math.isnan(rec["p_value"]) and rec["note"]
        assert np.isfinite(r.coefficients["estimate"].to_numpy(dtype=float)).all()
        return
    stats_ = [r.sup_f, r.ave_f, r.exp_f] if isinstance(r, bt.SupFTestResult) else [r]
    for s in stats_:
        assert math.isfinite(s.statistic) and s.statistic >= 0
        assert 0 <= s.p_value <= 1
    if isinstance(r, bt.SupFTestResult):
        assert np.isfinite(r.f_path.to_numpy()).all()
    if isinstance(r, bt.CusumTestResult):
        assert np.isfinite(r.process.to_numpy()).all()


CALLS = {
    "chow": lambda y, tr, lg: bt.chow_test(y, y.index[len(y) // 2], trend=tr, log=lg),
    "chow HC1": lambda y, tr, lg: bt.chow_test(
        y, y.index[len(y) // 2], trend=tr, log=lg, cov="HC1"
    ),
    "sup_f": lambda y, tr, lg: bt.sup_f_test(y, trend=tr, log=lg),
    "bai_perron": lambda y, tr, lg: bt.bai_perron(y, trend=tr, log=lg, max_breaks=2, trim=0.2),
    "cusum": lambda y, tr, lg: bt.cusum_test(y, trend=tr, log=lg),
    "cusum recursive": lambda y, tr, lg: bt.cusum_test(y, trend=tr, log=lg, kind="recursive"),
}


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.sampled_from(KINDS),
    st.integers(min_value=4, max_value=40),
    SCALES,
    st.booleans(),
    st.booleans(),
    st.sampled_from(sorted(CALLS)),
    st.data(),
)
def test_break_tests_finite_or_typed_error(
    kind: str, n: int, scale: float, trend: bool, log: bool, name: str, data: st.DataObject
) -> None:
    y = annual(_degenerate(kind, n, data) * scale)
    with warnings.catch_warnings():
        warnings.simplefilter("error", RuntimeWarning)  # numpy must not be left to complain
        try:
            result = CALLS[name](y, trend, log)
        except BilateralTradeError:
            return
    _check_test_result(result)


def _check_screen(res: pd.DataFrame) -> None:
    ok = res["status"] == "ok"
    for col in ("statistic", "p_value", "q_value"):
        values = res.loc[ok, col].to_numpy()
        assert np.isfinite(values).all(), col
        assert res.loc[~ok, col].isna().all(), col
    assert ((res.loc[ok, "p_value"] >= 0) & (res.loc[ok, "p_value"] <= 1)).all()
    assert ((res.loc[ok, "q_value"] >= 0) & (res.loc[ok, "q_value"] <= 1)).all()
    assert (res.loc[ok, "statistic"] >= 0).all()
    assert (res.loc[~ok, "message"].str.len() > 0).all()


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.lists(st.tuples(st.sampled_from(KINDS), SCALES), min_size=1, max_size=6),
    st.integers(min_value=4, max_value=30),
    st.booleans(),
    st.booleans(),
    st.data(),
)
def test_screen_rows_finite_or_not_ok(
    specs: list[tuple[str, float]], n: int, trend: bool, log: bool, data: st.DataObject
) -> None:
    series = {
        f"{i:06d}": _degenerate(kind, n, data) * scale for i, (kind, scale) in enumerate(specs)
    }
    at = 2000 + n // 2
    with warnings.catch_warnings():
        warnings.simplefilter("error", RuntimeWarning)
        res = bt.screen(long_frame(series), at=at, trend=trend, log=log, min_obs=4)
    _check_screen(res)
    # the screen and the single-series tests agree: same statistic, or both decline
    indexed = res.set_index(["product", "test"])
    for product, values in series.items():
        row = indexed.loc[(product, "chow")]
        try:
            single = bt.chow_test(annual(values), at, trend=trend, log=log).statistic
        except BilateralTradeError:
            assert row["status"] != "ok"
            continue
        assert row["status"] == "ok", (product, row["status"], row["message"])
        np.testing.assert_allclose(row["statistic"], single, rtol=1e-6, atol=STAT_ATOL)


# --------------------------------------------- hypothesis: invariance to scaling
@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.lists(st.integers(min_value=1, max_value=1000), min_size=12, max_size=30),
    st.floats(min_value=1.0, max_value=10.0),
    st.integers(min_value=-200, max_value=200),
    st.booleans(),
    st.booleans(),
)
def test_statistics_invariant_to_scaling_y(
    values: list[int], mantissa: float, exponent: int, trend: bool, log: bool
) -> None:
    y = annual(values)
    ys = annual(np.asarray(values, dtype=np.float64) * (mantissa * 10.0**exponent))
    for name, call in CALLS.items():
        outcomes = []
        for series in (y, ys):
            try:
                outcomes.append(call(series, trend, log))
            except BilateralTradeError as exc:
                outcomes.append(type(exc))
        a, b = outcomes
        if isinstance(a, type) or isinstance(b, type):
            assert a == b, name
            continue
        if isinstance(a, bt.MultipleBreaksResult):
            # (break periods may differ where two partitions tie in exact arithmetic)
            shift = 0.0 if log else 2 * len(values) * math.log(mantissa * 10.0**exponent)
            for m in a.by_m:
                np.testing.assert_allclose(
                    b.by_m[m].bic - shift, a.by_m[m].bic, rtol=1e-6, atol=1e-6 * len(values)
                )
            for ta, tb in ((a.udmax, b.udmax), (a.wdmax, b.wdmax)):
                if ta is not None and tb is not None:
                    np.testing.assert_allclose(
                        tb.statistic, ta.statistic, rtol=1e-6, atol=STAT_ATOL
                    )
            continue
        if isinstance(a, bt.SupFTestResult):
            for sa, sb in ((a.sup_f, b.sup_f), (a.ave_f, b.ave_f), (a.exp_f, b.exp_f)):
                np.testing.assert_allclose(
                    sb.statistic, sa.statistic, rtol=1e-6, atol=STAT_ATOL, err_msg=name
                )
                np.testing.assert_allclose(sb.p_value, sa.p_value, rtol=1e-6, atol=1e-12)
            continue
        np.testing.assert_allclose(
            b.statistic, a.statistic, rtol=1e-6, atol=STAT_ATOL, err_msg=name
        )
        np.testing.assert_allclose(b.p_value, a.p_value, rtol=1e-6, atol=1e-12, err_msg=name)


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.lists(st.integers(min_value=1, max_value=1000), min_size=20, max_size=20),
    st.integers(min_value=-200, max_value=200),
    st.booleans(),
)
def test_screen_invariant_to_scaling(values: list[int], exponent: int, trend: bool) -> None:
    arr = np.asarray(values, dtype=np.float64)
    frame = long_frame({"01": arr, "02": arr * 2.5 * 10.0**exponent})
    res = bt.screen(frame, at=2010, trend=trend, log=False).set_index(["test", "product"])
    for test in ("chow", "sup_f"):
        a, b = res.loc[(test, "01")], res.loc[(test, "02")]
        assert a["status"] == b["status"]
        if a["status"] == "ok":
            np.testing.assert_allclose(b["statistic"], a["statistic"], rtol=1e-6, atol=STAT_ATOL)


def test_dummy_that_cannot_break_in_bai_perron_and_recursive_cusum() -> None:
    rng = np.random.default_rng(9)
    y = annual(rng.normal(size=40))
    exog = pd.DataFrame({"d": (np.arange(40) >= 20).astype(float)}, index=y.index)
    with pytest.raises(DataValidationError, match="no partition with a break"):
        bt.bai_perron(y, exog=exog, max_breaks=3)
    with pytest.raises(DataValidationError, match="recursive residuals are undefined"):
        bt.cusum_test(y, exog=exog, kind="recursive")
    assert math.isfinite(bt.cusum_test(y, exog=exog).statistic)
