"""The model spine: one Spec owns the rules, and every estimator takes them from it."""

from __future__ import annotations

import warnings
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import bilateral_trade as bt
from bilateral_trade import DataValidationError, InsufficientDataError
from bilateral_trade.models.spec import TABULATED_TRIMS, Spec, default_hac_lags
from bilateral_trade.models.validators import check_bool, check_int, check_level, numeric_column
from bilateral_trade.workflow.window import periods_needed


def annual(values: np.ndarray, start: str = "2000") -> pd.Series:
    return pd.Series(values, index=pd.period_range(start, periods=len(values), freq="Y"))


def noisy(n: int, seed: int = 0) -> pd.Series:
    rng = np.random.default_rng(seed)
    return annual(np.exp(np.linspace(3, 4, n) + rng.normal(0, 0.1, n)))


class TestRules:
    def test_coefficients_per_regime(self) -> None:
        assert Spec().coefficients("A") == 1
        assert Spec.from_keywords(trend=True).coefficients("A") == 2
        assert Spec.from_keywords(trend=True, seasonal=True).coefficients("M") == 13
        assert Spec.from_keywords(trend=True, seasonal="auto").coefficients("Q") == 5
        assert Spec.from_keywords(trend=True, seasonal=True).coefficients("A") == 2
        assert Spec(exog=("gdp", "fx")).coefficients("A") == 3

    def test_periods_needed_is_the_window_rule(self) -> None:
        # the window rule of analyze is the spec's rule (one place)
        for freq in ("A", "Q", "M"):
            for trend in (True, False):
                for model in ("level", "level+slope"):
                    spec = Spec.from_keywords(trend=trend, seasonal="auto")
                    assert periods_needed(freq, trend=trend, model=model) == spec.periods_needed(
                        freq, model=model
                    )
        assert Spec.from_keywords(trend=True).periods_needed("A") == (3, 1)
        assert Spec.from_keywords(seasonal="auto").periods_needed("M", model="level+slope") == (
            13,
            2,
        )

    @pytest.mark.parametrize("n", range(5, 60))
    def test_choose_trim_is_the_smallest_tabulated_trim_that_holds_the_model(self, n: int) -> None:
        for trend in (False, True):
            spec = Spec.from_keywords(trend=trend)
            k = spec.coefficients()
            chosen = spec.choose_trim(n)
            admissible = [t for t in TABULATED_TRIMS if int(np.floor(t * n)) > k]
            assert chosen == (admissible[0] if admissible else None)
            if chosen is not None:  # and sup-F accepts it
                lo, hi = spec.break_range(n, k, chosen)
                assert lo >= k + 1 and hi == n - lo

    def test_chow_range(self) -> None:
        assert Spec.chow_range(20, 2) == (3, 17)

    def test_hac_rule(self) -> None:
        assert (
            default_hac_lags(30) == 3 and default_hac_lags(200) == 4 and default_hac_lags(1000) == 6
        )
        assert Spec(cov="HAC").hac(30) == ("HAC", 3)
        assert Spec(cov="classical").hac(30) == ("classical", None)
        with pytest.raises(DataValidationError, match="below the number"):
            Spec(cov="HAC", hac_lags=30).hac(30)

    def test_description(self) -> None:
        assert Spec.from_keywords(log=True, trend=True).describe(breaks=True) == (
            "log value on an intercept and a linear trend; every coefficient may break"
        )
        assert Spec.from_keywords(log=True).describe() == (
            "log value on an intercept (mean only, no trend)"
        )
        assert Spec.from_keywords(trend=True, seasonal=True).describe("M") == (
            "value (levels) on an intercept, a linear trend and month dummies"
        )

    def test_spec_is_frozen(self) -> None:
        spec = Spec()
        with pytest.raises(AttributeError):
            spec.log = True  # type: ignore[misc]


class TestKeywordsAreChecked:
    @pytest.mark.parametrize("bad", ["no", "False", None, 0, 1, "yes"])
    def test_booleans_only(self, bad: object) -> None:
        y = noisy(30)
        calls = [
            lambda: bt.chow_test(y, 2015, log=bad),
            lambda: bt.sup_f_test(y, trend=bad),
            lambda: bt.bai_perron(y, log=bad, max_breaks=1),
            lambda: bt.cusum_test(y, trend=bad),
            lambda: bt.breaks.chow_forecast_test(y, 2028, log=bad),
            lambda: bt.event_impact(y, 2015, log=bad),
            lambda: bt.event_impact(y, 2015, trend=bad),
            lambda: bt.placebo_test(y, 2015, log=bad),
            lambda: Spec.from_keywords(seasonal=bad) if bad is not None else None,
        ]
        for call in calls:
            if bad is None and call is calls[-1]:
                continue
            with pytest.raises(DataValidationError, match="is not True or False"):
                call()

    def test_cov_is_a_choice(self) -> None:
        with pytest.raises(DataValidationError, match="cov: 'hac' is not one of"):
            bt.chow_test(noisy(30), 2015, cov="hac")  # type: ignore[arg-type]
        with pytest.raises(DataValidationError, match="hac_lags"):
            bt.event_impact(noisy(30), 2015, hac_lags=-1)

    def test_scalar_checks(self) -> None:
        assert check_bool(np.bool_(True), "x") is True
        assert check_int(np.int64(3), "x", minimum=1) == 3
        for bad in (True, 3.0, "3", -1):
            with pytest.raises(DataValidationError, match="x:"):
                check_int(bad, "x", minimum=0)
        assert check_level(0.9) == 0.9
        for bad in (1.0, 95, True, "0.95"):
            with pytest.raises(DataValidationError, match="confidence level"):
                check_level(bad)

    def test_numeric_column_refuses_booleans_complex_and_na(self) -> None:
        with pytest.raises(DataValidationError, match="booleans"):
            numeric_column(pd.Series([True, False], dtype="boolean"), "v")
        with pytest.raises(DataValidationError, match="booleans"):
            numeric_column(np.array([True, False]), "v")
        with pytest.raises(DataValidationError, match="complex"):
            numeric_column(np.array([1 + 5j, 2]), "v")
        with pytest.raises(DataValidationError, match="boolean"):
            numeric_column(pd.Series([1.0, True], dtype=object), "v")
        with pytest.raises(DataValidationError, match="'x' at 1 is not a number"):
            numeric_column(pd.Series([1.0, "x"], dtype=object), "v")
        # pandas NA is a missing value (NaN), which the caller then names as missing
        np.testing.assert_array_equal(
            numeric_column(pd.Series([1, None], dtype="Int64"), "v"), [1.0, np.nan]
        )
        np.testing.assert_array_equal(numeric_column(pd.Series([1, 2]), "v"), [1.0, 2.0])

    @pytest.mark.parametrize(
        "values",
        [
            pd.Series([True, False, True], dtype="boolean"),
            pd.Series([1 + 5j, 2, 3]),
            pd.Series([1.0, True, 3.0], dtype=object),
        ],
    )
    def test_series_refuse_booleans_and_complex_numbers(self, values: pd.Series) -> None:
        values.index = pd.period_range("2000", periods=3, freq="Y")
        with pytest.raises(DataValidationError, match=r"boolean|complex"):
            bt.TradeSeries(values, reporter="CHN", partner="PRK", flow="exports")
        with pytest.raises(DataValidationError, match=r"boolean|complex"):
            bt.yoy(values)

    def test_pandas_na_is_named_as_missing(self) -> None:
        values = pd.Series(
            [1, None, 3], dtype="Int64", index=pd.period_range("2000", periods=3, freq="Y")
        )
        with pytest.raises(DataValidationError, match="NaN at 2001"):
            bt.TradeSeries(values, reporter="CHN", partner="PRK", flow="exports")
        kept = bt.TradeSeries(values, reporter="CHN", partner="PRK", flow="exports", gaps="keep")
        assert np.isnan(kept.values.iloc[1])

    def test_timezone_aware_timestamps_are_refused(self) -> None:
        idx = pd.date_range("2000-01-01", periods=3, freq="MS", tz="UTC").tz_convert(
            "America/New_York"
        )
        with pytest.raises(DataValidationError, match="timezone-aware"):
            bt.yoy(pd.Series([1.0, 2.0, 3.0], index=idx))


class TestOneRuleEverywhere:
    def test_screen_chooses_the_trim_as_analyze_does(self) -> None:
        # A 16-year annual history with the default model (log level with a trend): with a
        # fixed 0.15 every segment would hold 2 observations for 2 coefficients.
        rng = np.random.default_rng(11)
        years = pd.period_range("2008", periods=16, freq="Y")
        rows = []
        for partner in ("KOR", "JPN", "USA"):
            values = np.exp(np.linspace(10, 11, 16) + rng.normal(0, 0.1, 16))
            rows += [
                {
                    "reporter": "CHN",
                    "partner": partner,
                    "flow": "exports",
                    "product": "TOTAL",
                    "period": p,
                    "value": v,
                }
                for p, v in zip(years, values, strict=True)
            ]
        panel = bt.TradePanel(pd.DataFrame(rows))
        out = bt.screen(panel, tests=["sup_f"])
        assert (out["status"] == "ok").all()
        expected = Spec.from_keywords(log=True, trend=True).choose_trim(16)
        assert expected == 0.2
        assert (out["trim"] == expected).all()
        # the same statistic as sup_f_test with the trim the screen used
        one = panel.series(reporter="CHN", partner="KOR", flow="exports", product="TOTAL")
        ref = bt.sup_f_test(one, log=True, trend=True, trim=expected)
        row = out[out["partner"] == "KOR"].iloc[0]
        np.testing.assert_allclose(row["statistic"], ref.sup_f.statistic, rtol=1e-9)
        # a fixed trim is still honoured, and says why it cannot run
        fixed = bt.screen(panel, tests=["sup_f"], trim=0.15)
        assert (fixed["status"] == "too short").all() and (fixed["trim"] == 0.15).all()

    def test_screen_describes_its_model_with_the_spec(self) -> None:
        from bilateral_trade.stats.screening import describe_model

        assert describe_model(True, False) == Spec.from_keywords(log=True).describe(breaks=True)

    def test_predictive_chow_refuses_exact_fits(self) -> None:
        line = annual(np.linspace(1.0, 2.0, 17) + 0.0)
        with pytest.raises(InsufficientDataError, match="exactly"):
            bt.breaks.chow_forecast_test(line, 2015, trend=True)
        flat_then_noise = annual(np.r_[np.full(15, 3.0), np.random.default_rng(2).normal(5, 1, 2)])
        with pytest.raises(InsufficientDataError, match="pre-break observations exactly"):
            bt.breaks.chow_forecast_test(flat_then_noise, 2015)


@pytest.mark.parametrize("scale", [1.0, 1e200, 1e-200, 1e300, 1e-300])
def test_simplex_weights_do_not_depend_on_the_unit(scale: float) -> None:
    from bilateral_trade.stats.synthetic import simplex_lstsq

    X = np.array([[1.0, 0.0], [0.0, 1.0], [1.0, 1.0]])
    y = np.array([0.6, 0.4, 1.0])
    np.testing.assert_allclose(simplex_lstsq(X * scale, y * scale), [0.6, 0.4], rtol=1e-12)


def test_a_one_observation_series_is_too_short_not_constant() -> None:
    panel = bt.TradePanel(
        pd.DataFrame(
            {
                "reporter": ["CHN"],
                "partner": ["KOR"],
                "flow": ["exports"],
                "product": ["TOTAL"],
                "period": [pd.Period("2020", "Y")],
                "value": [5.0],
            }
        )
    )
    out = bt.screen(panel, tests=["sup_f"])
    assert out["status"].tolist() == ["too short"]
    assert out["message"].iloc[0] == "1 observations, need at least 8"


class TestOneWordPerConcept:
    def test_bai_perron_significance_replaces_alpha(self) -> None:
        s = bt.datasets.china_dprk_trade().slice(end=2019)
        new = bt.bai_perron(s, log=True, max_breaks=2, criterion="sequential", significance=0.05)
        with pytest.warns(
            FutureWarning, match="alpha= is deprecated and will be removed; use significance="
        ):
            old = bt.bai_perron(s, log=True, max_breaks=2, criterion="sequential", alpha=0.05)
        assert old.break_periods == new.break_periods
        assert new.options["significance"] == 0.05 and "alpha" not in new.options
        with pytest.raises(DataValidationError, match=r"significance: 0\.2 is not a tabulated"):
            bt.bai_perron(s, log=True, significance=0.2)

    def test_rollup_digits_replaces_level(self) -> None:
        panel = bt.datasets.synthetic_product_panel(seed=1)
        new = panel.rollup(digits=2).to_frame()
        with pytest.warns(
            FutureWarning, match="level= is deprecated and will be removed; use digits="
        ):
            old = panel.rollup(level=2).to_frame()  # type: ignore[call-arg]
        assert new.equals(old) and new.equals(panel.rollup(2).to_frame())
        with pytest.raises(DataValidationError, match="digits: True is not 2 or 4"):
            panel.rollup(True)  # type: ignore[arg-type]

    def test_case_defaults_warn_and_keep_their_value(self) -> None:
        s = bt.datasets.china_dprk_trade()
        with pytest.warns(FutureWarning, match="give baseline= explicitly"):
            old = bt.recovery(s)
        assert old.ratio.equals(bt.recovery(s, baseline=2019).ratio)
        panel = bt.datasets.china_dprk_products()
        catalog = bt.datasets.dprk_sanctions()
        kw = {"reporter": "CHN", "partner": "PRK", "flow": "imports"}
        with pytest.warns(FutureWarning, match="give base= explicitly"):
            table = bt.exposure(panel, catalog, **kw)
        assert table.equals(bt.exposure(panel, catalog, base=2016, **kw))


@pytest.mark.parametrize("scale", [1e150, 1e-200, 1e-300])
def test_gravity_does_not_depend_on_the_unit(scale: float) -> None:
    pytest.importorskip("pyfixest")
    from bilateral_trade.stats.gravity import simulate_panel

    panel, measures = simulate_panel(countries=12, years=6, seed=1)
    base = bt.gravity(panel, measures)
    frame = panel.to_frame()
    frame["value"] = frame["value"] * scale
    scaled = bt.gravity(bt.TradePanel(frame, unit=panel.unit), measures)
    np.testing.assert_allclose(
        scaled.coefficients["estimate"], base.coefficients["estimate"], rtol=1e-12, atol=1e-12
    )
    np.testing.assert_allclose(
        scaled.coefficients["std_error"], base.coefficients["std_error"], rtol=1e-10
    )
    np.testing.assert_allclose(scaled.lost.estimate, base.lost.estimate * scale, rtol=1e-10)
    assert scaled.lost.std_error is not None and base.lost.std_error is not None
    np.testing.assert_allclose(scaled.lost.std_error, base.lost.std_error * scale, rtol=1e-10)


def test_a_control_in_another_currency_is_refused() -> None:
    s = bt.datasets.china_dprk_trade()
    eur = bt.TradeSeries(
        s.values, reporter="CHN", partner="WLD", flow="total", unit="EUR", gaps="keep"
    )
    with pytest.raises(DataValidationError, match="control: the unit is EUR, the unit of y is USD"):
        bt.event_impact(s, 2018, control=eur, post=2019)


class TestProgressIsABool:
    TEXT = "t,i,j,k,v,q\n2019,156,408,270111,1.5,NA\n2019,408,156,670419,2.5,1.0\n"

    def test_readers(self, tmp_path: Path) -> None:
        from bilateral_trade.io import convert_baci, read_baci

        path = tmp_path / "BACI_HS17_Y2019_V202401.csv"
        path.write_text(self.TEXT)
        quiet = read_baci(path)
        shown = read_baci(path, progress=True)
        assert shown.to_frame().equals(quiet.to_frame())
        seen: list[int] = []
        with pytest.warns(FutureWarning, match="progress= takes True or False"):
            read_baci(path, progress=seen.append)
        assert sum(seen) == path.stat().st_size
        for bad in ("yes", 1):
            with pytest.raises(DataValidationError, match=r"progress: .* is not True or False"):
                read_baci(path, progress=bad)  # type: ignore[arg-type]
        out = convert_baci(path, tmp_path / "ds", progress=True)
        assert out.is_dir()

    def test_screen(self) -> None:
        panel = bt.datasets.synthetic_product_panel(seed=2)
        with pytest.raises(DataValidationError, match="progress: 'no' is not True or False"):
            bt.screen(panel, progress="no")  # type: ignore[arg-type]
        quiet = bt.screen(panel, tests=["sup_f"])
        shown = bt.screen(panel, tests=["sup_f"], progress=True)
        assert quiet.equals(shown)


def test_the_cli_screen_chooses_the_trim_as_the_library_does(tmp_path: Path) -> None:
    from bilateral_trade.cli import main

    rng = np.random.default_rng(12)
    years = pd.period_range("2008", periods=16, freq="Y")
    rows = [
        {
            "reporter": "CHN",
            "partner": partner,
            "flow": "exports",
            "product": "TOTAL",
            "period": p,
            "value": float(np.exp(10 + 0.05 * i + rng.normal(0, 0.1))),
        }
        for partner in ("KOR", "JPN")
        for i, p in enumerate(years)
    ]
    path = tmp_path / "panel.csv"
    bt.TradePanel(pd.DataFrame(rows)).to_csv(path)
    out = tmp_path / "out.csv"
    assert main(["screen", str(path), "--tests", "sup_f", "--out", str(out), "--quiet"]) == 0
    table = pd.read_csv(out)
    assert (table["status"] == "ok").all() and (table["trim"] == 0.2).all()
    with pytest.raises(SystemExit) as stop:  # argparse's usage error
        main(["screen", str(path), "--trim", "x", "--out", str(out)])
    assert stop.value.code == 2


def test_more_flags_are_booleans_only() -> None:
    s = bt.datasets.china_dprk_trade().slice(end=2019)
    with pytest.raises(DataValidationError, match="het_reg: 'no' is not True or False"):
        bt.bai_perron(s, log=True, max_breaks=2, het_reg="no")
    with pytest.raises(DataValidationError, match="quiet: 0 is not True or False"):
        bt.cases.china_dprk_2397(quiet=0)
    rng = np.random.default_rng(8)
    idx = pd.period_range("2000", periods=16, freq="Y")
    donors = pd.DataFrame(np.exp(rng.normal(5, 0.2, (16, 4))), index=idx, columns=list("abcd"))
    y = pd.Series(np.exp(rng.normal(5, 0.2, 16)), index=idx)
    for flag in ("log", "demean", "placebo"):
        with pytest.raises(DataValidationError, match=f"{flag}: 'no' is not True or False"):
            bt.synthetic_control(y, donors, 2010, **{flag: "no"})
    with pytest.raises(DataValidationError, match="boolean"):
        bt.synthetic_control(y, donors.assign(e=True), 2010)
    with pytest.raises(DataValidationError, match="complex"):
        bt.synthetic_control(y, donors.assign(e=1 + 2j), 2010)


@pytest.mark.parametrize("scale", [1e200, 1e-200])
def test_levels_beyond_the_squarable_range_are_refused(scale: float) -> None:
    rng = np.random.default_rng(9)
    idx = pd.period_range("2000", periods=16, freq="Y")
    y = pd.Series(np.exp(rng.normal(5, 0.2, 16)) * scale, index=idx)
    with pytest.raises(DataValidationError, match="express the series in another unit"):
        bt.event_impact(y, 2010, log=False)
    # synthetic control in levels rescales instead (tests/test_synthetic.py)
    # in logs the same data are fine: the estimate does not depend on the unit
    base = bt.event_impact(y / scale, 2010, cov="classical")
    scaled = bt.event_impact(y, 2010, cov="classical")
    np.testing.assert_allclose(
        scaled.level_change.estimate, base.level_change.estimate, rtol=1e-9, atol=1e-12
    )
    np.testing.assert_allclose(
        scaled.level_change.std_error, base.level_change.std_error, rtol=1e-7
    )


def test_lost_trade_in_logs_does_not_overflow_at_large_scales() -> None:
    rng = np.random.default_rng(9)
    idx = pd.period_range("2000", periods=16, freq="Y")
    y = pd.Series(np.exp(rng.normal(5, 0.2, 16)), index=idx)
    base = bt.event_impact(y, 2010, cov="classical")
    with warnings.catch_warnings():
        warnings.simplefilter("error", RuntimeWarning)
        scaled = bt.event_impact(y * 1e200, 2010, cov="classical")
    assert base.lost.std_error is not None and scaled.lost.std_error is not None
    np.testing.assert_allclose(scaled.lost.estimate, base.lost.estimate * 1e200, rtol=1e-8)
    np.testing.assert_allclose(scaled.lost.std_error, base.lost.std_error * 1e200, rtol=1e-7)
