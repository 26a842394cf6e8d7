"""event_impact, placebo_test and attribute_breaks against R (lm + sandwich) and statsmodels."""

from __future__ import annotations

import json
import warnings
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pytest
import statsmodels.api as sm

import bilateral_trade as bt
from bilateral_trade import DataValidationError, InsufficientDataError

REF = json.loads((Path(__file__).parent / "reference" / "impact.json").read_text())
FREQ = {"A": "Y", "Q": "Q", "M": "M"}


def ref_series(case: dict[str, Any]) -> pd.Series:
    y = np.asarray(case["y"], dtype=float)
    return pd.Series(
        y, index=pd.period_range(case["start"], periods=len(y), freq=FREQ[case["frequency"]])
    )


@pytest.mark.parametrize("case", REF["cases"], ids=[c["name"] for c in REF["cases"]])
@pytest.mark.parametrize("cov", ["classical", "HC1", "HAC"])
def test_against_r_lm_and_sandwich(case: dict[str, Any], cov: str) -> None:
    y = ref_series(case)
    event = y.index[case["first_post"] - 1]
    r = bt.event_impact(
        y, event, model=case["model"], log=case["log"], cov=cov, hac_lags=case["hac_lags"]
    )
    assert list(r.coefficients.index) == case["terms"]
    np.testing.assert_allclose(r.coefficients["estimate"], case["estimate"], rtol=1e-8)
    key = {"classical": "se_classical", "HC1": "se_hc1", "HAC": "se_hac"}[cov]
    np.testing.assert_allclose(r.coefficients["std_error"], case[key], rtol=1e-8)
    assert r.nobs - len(case["terms"]) == case["df_residual"]


@pytest.mark.parametrize("cov", ["classical", "HC1", "HAC"])
def test_against_statsmodels(cov: str) -> None:
    rng = np.random.default_rng(5)
    n = 60
    t = np.arange(1.0, n + 1)
    post = (t >= 41).astype(float)
    y = np.exp(3 + 0.02 * t - 0.3 * post - 0.01 * (t - 40) * post + rng.normal(0, 0.05, n))
    s = pd.Series(y, index=pd.period_range("2000Q1", periods=n, freq="Q"))
    r = bt.event_impact(s, "2010Q1", model="level+slope", seasonal=False, cov=cov, hac_lags=3)
    X = np.column_stack([np.ones(n), t, post, (t - 40) * post])
    kw: dict[str, Any] = {
        "classical": {},
        "HC1": {"cov_type": "HC1"},
        "HAC": {"cov_type": "HAC", "cov_kwds": {"maxlags": 3, "use_correction": False}},
    }[cov]
    fit = sm.OLS(np.log(y), X).fit(use_t=True, **kw)
    np.testing.assert_allclose(r.coefficients["estimate"], fit.params, rtol=1e-8)
    np.testing.assert_allclose(r.coefficients["std_error"], fit.bse, rtol=1e-8)
    np.testing.assert_allclose(r.coefficients["p_value"], fit.pvalues, rtol=1e-6)
    assert r.level_change.estimate == pytest.approx(fit.params[2], rel=1e-10)
    assert r.slope_change is not None and r.slope_change.estimate == pytest.approx(
        fit.params[3], rel=1e-10
    )
    lo, hi = fit.conf_int()[2]
    np.testing.assert_allclose(r.level_change.ci, (lo, hi), rtol=1e-8)


def test_slope_term_is_one_in_first_post_period() -> None:
    noise = np.exp(np.random.default_rng(7).normal(0, 1e-4, 20))
    s = pd.Series(
        np.exp(np.linspace(1, 2, 20)) * noise, index=pd.period_range("2000", periods=20, freq="Y")
    )
    r = bt.event_impact(s, 2010, model="level+slope", cov="classical")
    frame = r.path
    assert (
        frame.loc[pd.Period("2010", "Y"), "post"] and not frame.loc[pd.Period("2009", "Y"), "post"]
    )
    # a log-linear series (up to noise of 1e-4) has no effect: counterfactual near the data
    assert abs(r.level_change.estimate) < 1e-3 and r.slope_change is not None
    np.testing.assert_allclose(frame["counterfactual"], s.to_numpy(), rtol=1e-3)


@pytest.mark.parametrize(
    "values",
    [
        np.exp(np.linspace(1, 2, 20)),  # an exact log-linear line
        np.full(20, 5.0),  # a constant
        np.where(np.arange(20) >= 10, 2.0, 4.0),  # a noise-free step
    ],
)
def test_exact_fit_has_no_p_value(values: np.ndarray) -> None:
    s = pd.Series(values, index=pd.period_range("2000", periods=20, freq="Y"))
    with pytest.raises(InsufficientDataError, match="exactly, up to rounding"):
        bt.event_impact(s, 2010, model="level+slope", cov="classical")
    with pytest.raises(InsufficientDataError, match="exactly, up to rounding"):
        bt.placebo_test(s, 2010)


def test_control_equal_to_the_series_up_to_a_factor_is_refused() -> None:
    rng = np.random.default_rng(3)
    y = pd.Series(
        np.exp(rng.normal(5, 0.3, 20)), index=pd.period_range("2000", periods=20, freq="Y")
    )
    for factor in (1.0, 2.0):
        with pytest.raises(InsufficientDataError, match="exactly, up to rounding"):
            bt.event_impact(y, 2010, control=y * factor)


def test_relative_effect_and_lost_trade() -> None:
    n = 40
    t = np.arange(n)
    y = pd.Series(
        100.0 * np.where(t >= 30, 0.5, 1.0), index=pd.period_range("1980", periods=n, freq="Y")
    )
    y = y * np.exp(np.random.default_rng(1).normal(0, 1e-6, n))
    r = bt.event_impact(y, 2010, trend=False, cov="classical")
    assert r.relative_effect is not None
    assert r.relative_effect.estimate == pytest.approx(-0.5, abs=1e-5)
    assert r.lost.estimate == pytest.approx(10 * 50.0, rel=1e-4)
    assert (str(r.lost.start), str(r.lost.end)) == ("2010", "2019")


@pytest.mark.slow
def test_interval_coverage() -> None:
    rng = np.random.default_rng(20171222)
    n, true = 48, -0.4
    t = np.arange(1.0, n + 1)
    index = pd.period_range("2000", periods=n, freq="Y")
    covered = 0
    for _ in range(500):
        y = np.exp(2 + 0.01 * t + true * (t >= 31) + rng.normal(0, 0.1, n))
        r = bt.event_impact(pd.Series(y, index=index), 2030, cov="classical")
        covered += r.level_change.ci[0] <= true <= r.level_change.ci[1]
    assert 0.91 <= covered / 500 <= 0.99


def test_interval_coverage_hac_quick() -> None:
    # The same check with HAC errors on fewer draws (the full 500-draw check is marked slow).
    rng = np.random.default_rng(1)
    n, true = 60, 0.3
    t = np.arange(1.0, n + 1)
    index = pd.period_range("2000Q1", periods=n, freq="Q")
    covered = 0
    draws = 200
    for _ in range(draws):
        y = np.exp(1 + true * (t >= 31) + rng.normal(0, 0.1, n))
        r = bt.event_impact(
            pd.Series(y, index=index), "2007Q3", seasonal=False, trend=False, cov="HAC", hac_lags=2
        )
        covered += r.level_change.ci[0] <= true <= r.level_change.ci[1]
    assert 0.88 <= covered / draws <= 0.99


class TestChinaDPRK:
    def test_december_2017_resolutions(self) -> None:
        s = bt.datasets.china_dprk_trade()
        unscr = bt.datasets.dprk_sanctions().get("UNSCR 2397")
        r = bt.event_impact(s, unscr, pre=2003, post=2019)
        assert r.event_periods == (pd.Period("2018", "Y"),)
        assert r.level_change.p_value < 0.01 and r.relative_effect is not None
        assert r.relative_effect.ci[1] < 0
        assert r.lost.estimate > 0
        placebo = bt.placebo_test(s, unscr, pre=2003, post=2019)
        assert 0 <= placebo.p_value <= 0.1
        assert len(placebo.to_frame()) >= 5

    def test_attribution_to_unscr_2397(self) -> None:
        s = bt.datasets.china_dprk_trade().slice(end=2019)
        catalog = bt.datasets.dprk_sanctions()
        table = bt.attribute_breaks(bt.bai_perron(s, log=True, max_breaks=2), catalog)
        row = table.row(2018)
        assert row["attributed"] == "UNSCR 2397" and row["distance"] == 0
        assert any(c.startswith("UNSCR 2375") for c in row["candidates"])
        assert any(c.startswith("UNSCR 2371") for c in row["candidates"])
        only = bt.attribute_breaks(
            bt.bai_perron(s, log=True, max_breaks=2), catalog, kinds=["sanctions_resolution"]
        )
        assert only.to_frame()["attributed"].tolist() == ["UNSCR 1874", "UNSCR 2397"]
        sup = bt.sup_f_test(s, log=True)
        with pytest.raises(DataValidationError, match="give max_distance="):
            bt.attribute_breaks(sup, catalog)
        assert len(bt.attribute_breaks(sup, catalog, max_distance=1)) == 1
        # the old keyword still works, with a FutureWarning naming the new one
        with pytest.warns(
            FutureWarning, match="window= is deprecated and will be removed; use max_distance="
        ):
            old = bt.attribute_breaks(sup, catalog, window=1)
        assert old.to_frame().equals(bt.attribute_breaks(sup, catalog, max_distance=1).to_frame())
        with pytest.raises(DataValidationError, match="both window= and max_distance="):
            bt.attribute_breaks(sup, catalog, window=1, max_distance=1)


class TestBadInput:
    @pytest.fixture
    def s(self) -> bt.TradeSeries:
        return bt.datasets.china_dprk_trade()

    def test_event_outside(self, s: bt.TradeSeries) -> None:
        with pytest.raises(DataValidationError, match="outside the window 2003 to 2025"):
            bt.event_impact(s, 2030)

    def test_event_too_near_end(self, s: bt.TradeSeries) -> None:
        with pytest.raises(
            DataValidationError, match="needs at least 2 period\\(s\\) from the event on, got 1"
        ):
            bt.event_impact(s, 2025, model="level+slope")

    def test_too_few_pre(self, s: bt.TradeSeries) -> None:
        with pytest.raises(
            InsufficientDataError,
            match="needs at least 3 observations before 2005 \\(2005\\), got 2",
        ):
            bt.event_impact(s, 2005)

    def test_non_positive_with_log(self) -> None:
        y = pd.Series(
            np.r_[np.ones(10), 0.0, np.ones(9)], index=pd.period_range("2000", periods=20, freq="Y")
        )
        with pytest.raises(
            DataValidationError, match="log=True needs positive values; non-positive at 2010"
        ):
            bt.event_impact(y, 2015)

    def test_gaps_in_window(self) -> None:
        k = bt.datasets.china_dprk_trade(definition="kotra")
        with pytest.raises(DataValidationError, match="gaps in the estimation window at 2011"):
            bt.event_impact(k, 2018)

    def test_events_in_same_period(self, s: bt.TradeSeries) -> None:
        cat = bt.datasets.dprk_sanctions()
        with pytest.raises(
            DataValidationError, match="UNSCR 2375 and UNSCR 2397 both start in 2018"
        ):
            bt.event_impact(s, [cat.get("UNSCR 2375"), cat.get("UNSCR 2397")])

    def test_bad_options(self, s: bt.TradeSeries) -> None:
        with pytest.raises(DataValidationError, match="model: 'step'"):
            bt.event_impact(s, 2018, model="step")  # type: ignore[arg-type]
        with pytest.raises(DataValidationError, match="cov: 'HC0'"):
            bt.event_impact(s, 2018, cov="HC0")
        with pytest.raises(DataValidationError, match="result: expected a MultipleBreaksResult"):
            bt.attribute_breaks(bt.chow_test(s, 2018, log=True), bt.datasets.dprk_sanctions())  # type: ignore[arg-type]


def test_results_serialise() -> None:
    s = bt.datasets.china_dprk_trade()
    r = bt.event_impact(s, 2018, post=2019, model="level+slope")
    json.dumps(r.to_dict())
    assert "level change" in r.summary() and str(r) == r.summary()
    assert list(r.to_frame().columns) == [
        "actual",
        "fitted",
        "counterfactual",
        "lower",
        "upper",
        "gap",
        "post",
        "cumulative_gap",
    ]
    p = bt.placebo_test(s, 2018, post=2019, n_placebos=4)
    assert len(p.to_frame()) == 4
    json.dumps(p.to_dict())


class TestCounterfactualInLevels:
    """Issue 18 item 5: a counterfactual in levels is reported only where it can be trade."""

    @staticmethod
    def by_hand() -> tuple[str, str]:
        """The control's size and the trade lost in levels, computed from the data directly.

        Window 2003–2019, event from 2018, no trend: the counterfactual is the control plus
        the mean pre-event gap, so the trade lost is minus the post-event gaps' excess over
        it (the difference of means), against the series' own post-event trade.
        """
        y = bt.datasets.china_dprk_trade().values
        y = y[(y.index.year >= 2003) & (y.index.year <= 2019)]
        c = bt.datasets.china_world_trade().values.reindex(y.index)
        gap = y - c
        post = gap.index.year >= 2018
        lost = -float((gap[post] - gap[~post].mean()).sum())
        return f"{c.mean() / y.mean():,.0f} times", f"{lost / y[post].sum():,.0f} times"

    def test_negative_counterfactual_against_a_huge_control_is_refused(self) -> None:
        s, w = bt.datasets.china_dprk_trade(), bt.datasets.china_world_trade()
        event = bt.datasets.dprk_sanctions().get("UNSCR 2397")
        with pytest.raises(DataValidationError, match="negative at 2018, 2019") as info:
            bt.event_impact(s, event, control=w, log=False, post=2019)
        assert info.value.field == "control"
        message = str(info.value)
        assert "trade cannot be negative" in message
        size, _ = self.by_hand()
        assert f"{size} the series" in message and "use log=True" in message
        assert "trade lost," not in message  # no number against a negative counterfactual

    def test_negative_trend_counterfactual_is_refused(self) -> None:
        idx = pd.period_range("2000", periods=12, freq="Y")
        noise = np.array([0.3, -0.2, 0.1, -0.3, 0.2, -0.1, 0.2, -0.2, 0.1, 0.0, 0.1, -0.1])
        y = pd.Series(10.0 - 1.2 * np.arange(12) + noise, index=idx).clip(lower=0.5)
        with pytest.raises(
            DataValidationError, match="counterfactual in levels is negative"
        ) as info:
            bt.event_impact(y, idx[8], log=False)
        assert info.value.field == "log"
        assert "log=True" in str(info.value)
        bt.event_impact(y, idx[8], log=True)  # in logs the counterfactual stays positive

    def test_a_control_orders_of_magnitude_larger_is_a_caveat(self) -> None:
        s, w = bt.datasets.china_dprk_trade(), bt.datasets.china_world_trade()
        event = bt.datasets.dprk_sanctions().get("UNSCR 2397")
        size, share = self.by_hand()
        with pytest.warns(bt.DataQualityWarning, match=f"{size} the series") as caught:
            r = bt.event_impact(s, event, control=w, log=False, trend=False, post=2019)
        caveat = next(w for w in caught if "times the series" in str(w.message))
        assert caveat.message.kind == "fit"  # type: ignore[union-attr]
        assert caveat.filename == __file__  # at the user's line
        assert f"{share} the series' own trade over 2018–2019" in str(caveat.message)
        assert r.lost.estimate > 0

    def test_the_analysis_keeps_the_caveat(self) -> None:
        s, w = bt.datasets.china_dprk_trade(), bt.datasets.china_world_trade()
        with pytest.warns(bt.DataQualityWarning):
            a = bt.analyze(
                s,
                "UNSCR 2397",
                catalog=bt.datasets.dprk_sanctions(),
                counterfactual="control",
                control=w,
                log=False,
            )
        _, share = self.by_hand()
        fits = [c for c in a.caveats if c.kind == "fit"]
        assert any(f"{share} the series' own trade" in c for c in fits)
        assert share in str(a.summary())

    def test_no_caveat_in_logs_or_for_a_control_of_the_series_size(self) -> None:
        s, w = bt.datasets.china_dprk_trade(), bt.datasets.china_world_trade()
        event = bt.datasets.dprk_sanctions().get("UNSCR 2397")
        with warnings.catch_warnings():
            warnings.simplefilter("error", bt.DataQualityWarning)
            bt.event_impact(s, event, control=w, log=True, trend=False, post=2019)
            rng = np.random.default_rng(0)
            near = 2 * s.values * np.exp(rng.normal(0, 0.02, len(s.values)))
            bt.event_impact(s.values, event, control=near, log=False, trend=False, post=2019)

    def test_placebo_fits_are_not_refused(self) -> None:
        s, w = bt.datasets.china_dprk_trade(), bt.datasets.china_world_trade()
        event = bt.datasets.dprk_sanctions().get("UNSCR 2397")
        with pytest.warns(bt.DataQualityWarning, match="times the series"):
            p = bt.placebo_test(s, event, control=w, log=False, trend=False, post=2019)
        assert len(p.placebos) > 0


class TestControlErrorsNameTheControl:
    """Issue 18 item 23: every error about the control names the control."""

    @pytest.fixture
    def data(self) -> tuple[bt.TradeSeries, pd.Series, bt.TradeEvent]:
        s, w = bt.datasets.china_dprk_trade(), bt.datasets.china_world_trade()
        return s, w.values, bt.datasets.dprk_sanctions().get("UNSCR 2397")

    def test_cells(self, data: tuple[bt.TradeSeries, pd.Series, bt.TradeEvent]) -> None:
        s, w, event = data
        cases: dict[str, tuple[object, str]] = {
            "text": ("abc", "'abc' at 2006 is not a number"),
            "NA": (pd.NA, "missing (NaN or NA) or infinite values at 2006"),
            "NaN": (np.nan, "missing (NaN or NA) or infinite values at 2006"),
            "negative": (-1.0, "negative values at 2006"),
            "boolean": (True, "True at 2006 is a boolean"),
        }
        for cell, needle in cases.values():
            c = w.astype(object)
            c.iloc[3] = cell
            for call, kwargs in (
                (bt.event_impact, {}),
                (bt.analyze, {"counterfactual": "control"}),
            ):
                with pytest.raises(DataValidationError) as info:
                    call(s, event, control=c, **kwargs)
                assert str(info.value).startswith("control"), str(info.value)
                assert needle in str(info.value)
                assert info.value.field is not None and info.value.field.startswith("control")
        c = w.astype(object)
        c.iloc[3] = pd.NA
        with pytest.raises(DataValidationError) as info:
            bt.event_impact(s, event, control=c)
        assert "not a number" not in str(info.value)  # pd.NA is a missing value

    def test_index(self, data: tuple[bt.TradeSeries, pd.Series, bt.TradeEvent]) -> None:
        s, w, event = data
        stamps = w.index.to_timestamp()
        irregular = pd.Series(w.to_numpy(), index=stamps.where(stamps.year != 2010, stamps[6]))
        monthly = pd.Series(w.to_numpy(), index=pd.date_range("2003-01", periods=len(w), freq="MS"))
        zoned = pd.Series(w.to_numpy(), index=stamps.tz_localize("UTC"))
        for c, needle in (
            (irregular, "control.index: cannot infer a regular frequency"),
            (monthly, "control: frequency monthly differs"),
            (zoned, "control.index: the timestamps are timezone-aware"),
            (w.iloc[8:], "control: no value at 2003"),
        ):
            with pytest.raises(DataValidationError, match=needle):
                bt.event_impact(s, event, control=c)
