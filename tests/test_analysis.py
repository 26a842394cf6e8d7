"""bt.analyze / EventAnalysis, the window rule, the control counterfactual, attribution."""

from __future__ import annotations

import datetime as dt
import json
import warnings
from typing import Any

import numpy as np
import pandas as pd
import pytest
import statsmodels.api as sm

import bilateral_trade as bt
from bilateral_trade import DataQualityWarning, DataValidationError
from bilateral_trade._util.format import money
from bilateral_trade.present.demo import china_dprk_demo
from bilateral_trade.workflow.window import RULE, choose_window


def quiet(fn: Any, *args: Any, **kwargs: Any) -> Any:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DataQualityWarning)
        return fn(*args, **kwargs)


@pytest.fixture(scope="module")
def case() -> bt.EventAnalysis:
    return bt.cases.china_dprk_2397()


def ev(day: str, kind: str, ref: str) -> bt.TradeEvent:
    return bt.TradeEvent(date=dt.date.fromisoformat(day), kind=kind, label=ref, reference=ref)


def annual(values: Any, start: str = "2000") -> pd.Series:
    v = np.asarray(values, dtype=float)
    return pd.Series(v, index=pd.period_range(start, periods=len(v), freq="Y"))


# ------------------------------------------------------------------ the window rule
class TestWindowRule:
    def test_unscr_2397_window_is_2003_2019(self, case: bt.EventAnalysis) -> None:
        w = case.window
        assert (str(w.start), str(w.end), w.chosen_by) == ("2003", "2019", "rule")
        assert w.bound_before is None and w.bound_after is not None
        assert w.bound_after.reference == "covid_border 2020-01-22"
        # the measurement events inside are named, not used as bounds
        assert [e.reference for e in w.inside] == ["data_gap 2009-08", "data_definition 2014-01"]
        assert any("data_definition 2014-01" in c for c in case.caveats)
        assert w.rule == RULE

    def test_bounds_on_both_sides(self) -> None:
        idx = pd.period_range("2000", "2020", freq="Y")
        cat = bt.EventCatalog(
            [
                ev("2004-06-01", "border_closure", "close"),
                ev("2010-03-01", "sanctions_resolution", "R"),
                ev("2016-01-01", "pandemic", "flu"),
            ]
        )
        w = choose_window(idx, cat.get("R"), cat)
        # first period after the closure (2005) to the last before the pandemic (2015)
        assert (str(w.start), str(w.end)) == ("2005", "2015")
        assert w.bound_before is not None and w.bound_before.reference == "close"
        assert w.bound_after is not None and w.bound_after.reference == "flu"

    def test_confounder_that_cannot_be_separated_is_joint(self) -> None:
        idx = pd.period_range("2000", "2020", freq="Y")
        cat = bt.EventCatalog(
            [
                ev("2010-03-01", "sanctions_resolution", "R"),
                ev("2010-06-01", "conflict", "war"),  # same year: no post period before it
                ev("2015-05-01", "border_closure", "close"),
            ]
        )
        w = choose_window(idx, cat.get("R"), cat)
        assert (str(w.start), str(w.end)) == ("2000", "2014")
        assert [e.reference for e in w.joint] == ["war"]
        noise = np.random.default_rng(1).normal(0, 0.05, 21)
        a = quiet(bt.analyze, annual(np.exp(np.linspace(1, 2, 21) + noise)), "R", catalog=cat)
        assert any("joint effect with war" in c for c in a.caveats)
        assert a.impact.lost.end == pd.Period("2014", "Y")

    def test_no_catalog_means_whole_series(self) -> None:
        s = bt.datasets.china_dprk_trade()
        unscr = bt.datasets.dprk_sanctions().get("UNSCR 2397")
        w = choose_window(s.index, unscr, None)
        assert (str(w.start), str(w.end), w.chosen_by) == ("2003", "2025", "data")

    def test_user_window_with_confounder_warns_everywhere(self) -> None:
        s = bt.datasets.china_dprk_trade()
        cat = bt.datasets.dprk_sanctions()
        with pytest.warns(DataQualityWarning) as record:
            a = bt.analyze(s, "UNSCR 2397", catalog=cat, window=(2003, 2025))
        assert any("covid_border 2020-01-22" in str(w.message) for w in record)
        assert a.window.chosen_by == "user"
        with pytest.warns(DataQualityWarning, match="covid_border 2020-01-22"):
            bt.event_impact(s, cat.get("UNSCR 2397"), catalog=cat)
        with pytest.warns(DataQualityWarning, match="covid_border"):
            bt.placebo_test(s, cat.get("UNSCR 2397"), catalog=cat, post=2021)

    def test_window_must_overlap(self) -> None:
        s = bt.datasets.china_dprk_trade()
        cat = bt.datasets.dprk_sanctions()
        with pytest.raises(DataValidationError, match="window"):
            bt.analyze(s, "UNSCR 2397", catalog=cat, window=(1990, 1995))
        with pytest.raises(DataValidationError, match="window"):
            bt.analyze(s, "UNSCR 2397", catalog=cat, window=2003)  # type: ignore[arg-type]


# ------------------------------------------------------------------ the analysis
class TestEventAnalysis:
    def test_components(self, case: bt.EventAnalysis) -> None:
        assert list(case.impacts) == ["control", "trend"]
        assert case.first_period == pd.Period("2018", "Y")
        assert case.chow is not None and case.chow.method == "Chow predictive test"
        assert case.sup_f is not None and case.bai_perron is not None
        assert case.attribution is not None and case.placebo is not None
        assert case.recovery.baseline == "2019"
        assert case.impact is case.impacts["control"] and case.lost is case.impact.lost
        assert case.label == "China → DPRK, total trade"
        # the descriptive statements of the mission, from the analysis' own pieces
        assert float(case.growth["2024"]) == pytest.approx(2180.39 / 2295.38 - 1, rel=1e-6)
        assert float(case.recovery.ratio["2023"]) == pytest.approx(2295.38 / 2789.0, rel=1e-4)

    def test_headline_is_the_same_everywhere(self, case: bt.EventAnalysis, tmp_path: Any) -> None:
        lost = money(case.lost.estimate)
        assert lost in case.headline() and lost in str(case.summary())
        demo = china_dprk_demo()
        assert lost in str(demo.to_text())
        data = json.loads(demo.to_json())
        assert data["analysis"]["impacts"]["control"]["lost"]["estimate"] == pytest.approx(
            case.lost.estimate, rel=1e-12
        )
        rep = bt.report(case, catalog=bt.datasets.dprk_sanctions(), baseline=2019)
        assert lost in rep.to_html() and lost in rep.to_markdown()

    @pytest.mark.parametrize(
        ("kwargs", "match"),
        [
            ({"report_year": 1800}, r"report_year: 1800 is outside the embedded data; choose a "
             "year from 2004 to 2025"),
            ({"report_year": 2003}, "report_year: 2003 is outside the embedded data"),
            ({"baseline": 2030}, "baseline: 2030 is outside the embedded data.*2003 to 2025"),
            ({"report_year": 2024.5}, "report_year: 2024.5 is not a whole number"),
            ({"report_year": True}, "report_year: True is not a whole number"),
            ({"baseline": "2019"}, "baseline: '2019' is not a whole number"),
            ({"report_year": 1800, "fields": {"report_year": "--year"}}, "--year: 1800 is"),
            ({"fields": {"year": "--year"}}, "fields: 'year' is not an argument"),
        ],
    )  # fmt: skip
    def test_demo_refuses_years_outside_the_data(self, kwargs: Any, match: str) -> None:
        with pytest.raises(bt.DataValidationError, match=match) as info:
            china_dprk_demo(**kwargs)
        assert info.value.field in {"report_year", "baseline", "--year", "fields"}

    def test_serialises(self, case: bt.EventAnalysis) -> None:
        text = json.dumps(case.to_dict(), allow_nan=False)
        back = json.loads(text)
        assert (
            back["window"]["start"] == "2003" and back["effects"][0]["counterfactual"] == "control"
        )
        for name in ("series", "effects", "tests", "attribution", "placebo"):
            assert len(case.to_frame(name)) > 0
        frame = case.to_frame()
        assert frame.loc[pd.Period("2019", "Y"), "in_window"]
        assert not frame.loc[pd.Period("2020", "Y"), "in_window"]
        with pytest.raises(DataValidationError, match="table"):
            case.to_frame("nope")

    def test_analyze_emits_its_caveats(self) -> None:
        with pytest.warns(DataQualityWarning) as record:
            a = bt.analyze(
                bt.datasets.china_dprk_trade(), "UNSCR 2397", catalog=bt.datasets.dprk_sanctions()
            )
        assert {str(w.message) for w in record} == set(a.caveats)
        assert any("data_definition 2014-01" in c for c in a.caveats)

    def test_bad_input(self) -> None:
        s = bt.datasets.china_dprk_trade()
        cat = bt.datasets.dprk_sanctions()
        with pytest.raises(DataValidationError, match="counterfactual"):
            bt.analyze(s, "UNSCR 2397", catalog=cat, counterfactual="bogus")  # type: ignore[arg-type]
        with pytest.raises(DataValidationError, match="control"):
            bt.analyze(s, "UNSCR 2397", catalog=cat, counterfactual="control")
        with pytest.raises(DataValidationError, match="donors"):
            bt.analyze(s, "UNSCR 2397", catalog=cat, counterfactual="synthetic")
        with pytest.raises(DataValidationError, match="catalog"):
            bt.analyze(s, "UNSCR 2397")
        with pytest.raises(bt.UnknownEventError):
            bt.analyze(s, "UNSCR 9999", catalog=cat)
        with pytest.raises(DataValidationError, match="max_breaks"):
            bt.analyze(s, "UNSCR 2397", catalog=cat, max_breaks=0)


# ------------------------------------------------------------------ counterfactuals
class TestCounterfactuals:
    def test_control_is_did_on_the_log_gap(self) -> None:
        s = bt.datasets.china_dprk_trade().slice(end=2019)
        w = bt.datasets.china_world_trade().slice(end=2019)
        unscr = bt.datasets.dprk_sanctions().get("UNSCR 2397")
        r = bt.event_impact(s, unscr, control=w, trend=False, hac_lags=2)
        gap = np.log(s.values.to_numpy()) - np.log(w.values.to_numpy())
        post = (np.arange(len(gap)) >= 15).astype(float)
        X = np.column_stack([np.ones(len(gap)), post])
        fit = sm.OLS(gap, X).fit(
            cov_type="HAC", cov_kwds={"maxlags": 2, "use_correction": False}, use_t=True
        )
        np.testing.assert_allclose(r.coefficients["estimate"], fit.params, rtol=1e-10)
        np.testing.assert_allclose(r.coefficients["std_error"], fit.bse, rtol=1e-10)
        # counterfactual level = exp(const) * control, so the lost trade follows by hand
        cf = np.exp(fit.params[0] + np.log(w.values.to_numpy()))
        lost = float(np.sum(cf[15:] - s.values.to_numpy()[15:]))
        assert r.lost.estimate == pytest.approx(lost, rel=1e-10)
        assert r.options["counterfactual"] == "control"
        assert "control" in r.to_frame().columns

    def test_mean_counterfactual_has_no_trend(self) -> None:
        y = annual([10.0, 12, 11, 13, 12, 5, 6])
        r = bt.event_impact(y, 2005, trend=False, cov="classical")
        assert list(r.coefficients.index) == ["const", "level_1"]
        assert r.coefficients.loc["const", "estimate"] == pytest.approx(np.mean(np.log(y[:5])))

    def test_trend_extrapolated_too_far_warns(self) -> None:
        noise = np.random.default_rng(5).normal(0, 0.05, 12)
        y = annual(np.exp(np.linspace(1, 3, 12) + noise))
        with pytest.warns(DataQualityWarning, match="extrapolated over 8 periods"):
            bt.event_impact(y, 2004)

    def test_control_needs_coverage(self) -> None:
        y = annual(np.exp(np.linspace(1, 3, 12)))
        with pytest.raises(DataValidationError, match="control: no value at 2010"):
            bt.event_impact(y, 2006, control=y.iloc[:10], trend=False)

    def test_regression_is_a_statsmodels_fit(self) -> None:
        s = bt.datasets.china_dprk_trade()
        r = bt.event_impact(s, bt.datasets.dprk_sanctions().get("UNSCR 2397"), post=2019)
        assert "OLS Regression Results" in str(r.regression.summary())
        np.testing.assert_allclose(r.regression.params, r.coefficients["estimate"], rtol=0)


# ------------------------------------------------------------------ placebo p-values
def test_placebo_p_value_cannot_be_zero() -> None:
    s = bt.datasets.china_dprk_trade()
    unscr = bt.datasets.dprk_sanctions().get("UNSCR 2397")
    p = bt.placebo_test(s, unscr, pre=2003, post=2019)
    m = len(p.placebos)
    k = int((p.placebos["estimate"].abs() >= abs(p.real.level_change.estimate)).sum())
    assert p.p_value == pytest.approx((1 + k) / (1 + m))
    assert p.min_p_value == pytest.approx(1 / (1 + m))
    assert p.p_value >= p.min_p_value > 0
    assert f"smallest attainable {1 / (1 + m):.3g}" in str(p.summary())


# ------------------------------------------------------------------ attribution
class TestAttribution:
    def test_measurement_change_shown_as_alternative(self) -> None:
        s = bt.datasets.china_dprk_trade()
        bp = bt.bai_perron(s, log=True, trend=True, max_breaks=3)
        a = bt.attribute_breaks(bp, bt.datasets.dprk_sanctions())
        row = a.row(2014)
        assert row["attributed"] == "UNSCR 2094"
        assert row["alternative"].startswith("data_definition 2014-01")
        text = str(a.summary())
        assert "alternative (measurement): data_definition 2014-01" in text

    def test_ranked_at_most_five_and_no_context_events(self) -> None:
        s = bt.datasets.china_dprk_trade().slice(end=2019)
        a = bt.attribute_breaks(
            bt.bai_perron(s, log=True, max_breaks=2), bt.datasets.dprk_sanctions()
        )
        row = a.row(2018)
        assert row["attributed"] == "UNSCR 2397" and row["distance"] == 0
        assert len(row["candidates"]) == 5 < row["n_candidates"]
        assert row["candidates"][0].startswith("UNSCR 2397 (sanctions_resolution, +0)")
        joined = " ".join(row["candidates"])
        assert "missile" not in joined and "diplomacy" not in joined
        assert "and " in str(a.summary())
        with pytest.raises(DataValidationError, match="no break in 2030"):
            a.row(2030)

    def test_events_before_the_break_rank_first(self) -> None:
        s = bt.datasets.china_dprk_trade()
        bp = bt.bai_perron(s, log=True, trend=True, max_breaks=3)
        a = bt.attribute_breaks(bp, bt.datasets.dprk_sanctions())
        # 2019: candidates at distance -1 (first periods in 2018) before those at +1
        assert a.row(2019)["attributed"] == "UNSCR 2397"


def test_chow_forecast_test_equals_dummy_f_test() -> None:
    s = bt.datasets.china_dprk_trade().slice(end=2019)
    r = bt.breaks.chow_forecast_test(s, 2018, log=True, trend=True)
    y = np.log(s.values.to_numpy())
    n = len(y)
    X = np.column_stack([np.ones(n), np.arange(1.0, n + 1), np.arange(n) == 15, np.arange(n) == 16])
    R = np.zeros((2, 4))
    R[0, 2] = R[1, 3] = 1
    f = sm.OLS(y, X.astype(float)).fit().f_test(R)
    assert r.statistic == pytest.approx(float(f.fvalue), rel=1e-10)
    assert r.p_value == pytest.approx(float(f.pvalue), rel=1e-8)
    assert r.df == (2.0, 13.0) and r.break_periods == (pd.Period("2018", "Y"),)
    with pytest.raises(DataValidationError, match="one break period"):
        bt.breaks.chow_forecast_test(s, [2016, 2018])
    with pytest.raises(bt.InsufficientDataError, match="before the break"):
        bt.breaks.chow_forecast_test(s, 2005, trend=True)


def test_event_roles() -> None:
    assert bt.EventKind.BORDER_CLOSURE.role == "confounder"
    assert bt.EventKind.DATA_DEFINITION.role == "measurement"
    assert bt.EventKind.SANCTIONS_RESOLUTION.role == "sanctions"
    assert bt.EventKind.MISSILE_LAUNCH.role == "context"
    assert bt.EventKind.PANDEMIC.is_confounder and not bt.EventKind.DIPLOMACY.is_confounder
    cat = bt.datasets.dprk_sanctions()
    assert all(e.kind.is_confounder for e in cat.of_role("confounder", "measurement"))
    with pytest.raises(DataValidationError, match="role"):
        cat.of_role("bogus")  # type: ignore[arg-type]


def test_synthetic_counterfactual_in_the_analysis() -> None:
    rng = np.random.default_rng(0)
    idx = pd.period_range("2000", periods=26, freq="Y")
    f = np.cumsum(rng.normal(0.03, 0.05, 26))
    donors = pd.DataFrame(
        {
            f"d{j}": np.exp(5 + f * rng.uniform(0.5, 1.5) + rng.normal(0, 0.03, 26))
            for j in range(12)
        },
        index=idx,
    )
    y = pd.Series(np.exp(5 + f + rng.normal(0, 0.03, 26) - 0.5 * (np.arange(26) >= 20)), index=idx)
    cat = bt.EventCatalog([ev("2020-01-01", "sanctions_resolution", "R")])
    a = quiet(bt.analyze, y, "R", catalog=cat, counterfactual=("synthetic", "trend"), donors=donors)
    direct = bt.synthetic_control(y, donors, cat.get("R"))
    assert a.lost.estimate == pytest.approx(direct.lost.estimate, rel=1e-12)
    assert a.lost.ci is None and a.placebo is None  # inference is the in-space placebo
    assert "(in-space placebo)" in str(a.summary())
    assert a.effects().iloc[0]["p_value"] == pytest.approx(direct.p_value)
    json.dumps(a.to_dict(), allow_nan=False)


@pytest.mark.parametrize("test", ["chow", "sup_f", "bai_perron", "cusum"])
def test_break_tests_name_confounders_when_given_a_catalog(test: str) -> None:
    s = bt.datasets.china_dprk_trade()
    cat = bt.datasets.dprk_sanctions()
    call = {
        "chow": lambda **kw: bt.chow_test(s, 2018, log=True, **kw),
        "sup_f": lambda **kw: bt.sup_f_test(s, log=True, **kw),
        "bai_perron": lambda **kw: bt.bai_perron(s, log=True, max_breaks=2, **kw),
        "cusum": lambda **kw: bt.cusum_test(s, log=True, **kw),
    }[test]
    with pytest.warns(DataQualityWarning) as record:
        call(catalog=cat)
    assert any("covid_border 2020-01-22" in str(w.message) for w in record)
    call()  # without a catalog: no warning (warnings are errors in this suite)
    call(catalog=cat.of_role("sanctions"))  # a catalog without confounders: none either


def test_headline_speaks_of_trade_gained_when_trade_rose() -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DataQualityWarning)
        a = bt.analyze(
            bt.datasets.china_russia_trade(),
            "eu-2022-02-23",
            catalog=bt.datasets.russia_sanctions(),
        )
    assert a.lost.estimate < 0
    assert f"trade gained 2023–2025: {money(-a.lost.estimate)}" in a.headline()
    assert a.lost.ci is not None
    assert f"95% CI {money(-a.lost.ci[1])} to {money(-a.lost.ci[0])}" in a.headline()


class TestEventAgainstItsCatalog:
    """Issue 18 item 17: the event analysed is checked against the catalog it is read with."""

    def test_a_reference_dated_otherwise_in_the_catalog_is_refused(self) -> None:
        s, c = bt.datasets.china_dprk_trade(), bt.datasets.dprk_sanctions()
        listed = c.get("UNSCR 2397")
        moved = listed.model_copy(update={"date": dt.date(2016, 3, 2)})
        for call in (
            lambda: bt.analyze(s, moved, catalog=c),
            lambda: bt.event_impact(s, moved, catalog=c),
            lambda: bt.event_impact(s, [c.get("UNSCR 2094"), moved], catalog=c),
        ):
            with pytest.raises(DataValidationError, match="2016-03-02") as info:
                call()
            assert "UNSCR 2397 on 2017-12-22" in str(info.value)
            assert info.value.field == "event"
        # the same event, as a copy or without the catalog, is analysed
        quiet(bt.analyze, s, listed.model_copy(), catalog=c)
        quiet(bt.analyze, s, moved)

    def test_the_event_is_not_a_confounder_of_itself(self) -> None:
        s, c = bt.datasets.china_dprk_trade(), bt.datasets.dprk_sanctions()
        closure = c.get("covid_border 2020-01-22")
        for window in (None, (2003, 2023)):
            with warnings.catch_warnings(record=True) as caught:
                warnings.simplefilter("always", DataQualityWarning)
                a = bt.analyze(s, closure, catalog=c, window=window)
            assert closure not in a.window.inside and closure not in a.window.joint
            assert a.window.bound_after is None or a.window.bound_after != closure
            texts = [str(w.message) for w in caught] + list(a.caveats)
            assert texts and not any("covid_border 2020-01-22 (" in t for t in texts), texts
            assert "covid_border 2020-01-31" in " ".join(texts)  # its neighbours still are
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always", DataQualityWarning)
            bt.event_impact(s, closure, catalog=c)
            bt.chow_test(s, closure, catalog=c)
        assert len(caught) == 2
        assert not any("covid_border 2020-01-22 (" in str(w.message) for w in caught)

    def test_same_event_compares_references_as_a_catalog_does(self) -> None:
        from bilateral_trade.models.caveats import same_event

        e = bt.datasets.dprk_sanctions().get("UNSCR 2397")
        assert same_event(e, e.model_copy(update={"reference": "unscr-2397", "label": "x"}))
        assert not same_event(e, e.model_copy(update={"date": dt.date(2017, 12, 23)}))
        assert not same_event(e, e.model_copy(update={"reference": "UNSCR 2375"}))


@pytest.mark.parametrize(
    ("day", "baseline", "needle"),
    [
        (dt.date(1999, 6, 1), None, "takes effect from 2000, outside the data"),
        (dt.date(2030, 6, 1), None, "takes effect from 2031, outside the data"),
        (dt.date(2003, 1, 1), None, "the first period of the data"),
        (dt.date(1999, 6, 1), 2010, "takes effect from 2000, outside the data"),
    ],
)
def test_an_event_outside_the_data_is_named_before_the_baseline(
    day: dt.date, baseline: int | None, needle: str
) -> None:
    """Issue 18 item 21: the event is checked first (it was "baseline: 1999 is outside")."""
    s = bt.datasets.china_dprk_trade()
    event = bt.TradeEvent(date=day, kind="sanctions_resolution", label="x", reference="X 1")
    for catalog in (None, bt.datasets.dprk_sanctions()):
        with pytest.raises(DataValidationError, match=needle) as info:
            bt.analyze(s, event, catalog=catalog, baseline=baseline)
        assert info.value.field == "event" and "baseline" not in str(info.value)
        assert "2003 to 2025" in str(info.value)


def _gapped_dprk() -> bt.TradeSeries:
    s = bt.datasets.china_dprk_trade()
    values = s.values
    values.iloc[5] = np.nan
    return bt.TradeSeries(
        values, reporter="CHN", partner="PRK", flow="total", unit="USD", gaps="keep"
    )


def test_analyze_messages_name_only_its_own_arguments() -> None:
    """Issue 18 item 22: no "choose pre/post" (or trend=) from inside analyze."""
    s, c = bt.datasets.china_dprk_trade(), bt.datasets.dprk_sanctions()
    world = bt.datasets.china_world_trade()
    donors = pd.DataFrame({"A": world.values * 1e-3, "B": world.values * 2e-3})
    calls = {
        "short control": lambda: bt.analyze(
            s, "UNSCR 2397", catalog=c, counterfactual="control", control=world.slice(2010)
        ),
        "gap in the window": lambda: bt.analyze(_gapped_dprk(), "UNSCR 2397", catalog=c),
        "too few before": lambda: bt.analyze(s, "UNSCR 2397", catalog=c, window=(2016, 2019)),
        "donors short": lambda: bt.analyze(
            s, "UNSCR 2397", catalog=c, counterfactual="synthetic", donors=donors.iloc[8:12]
        ),
        "donor gap": lambda: bt.analyze(
            s,
            "UNSCR 2397",
            catalog=c,
            counterfactual="synthetic",
            donors=donors.assign(A=donors["A"].where(donors.index != donors.index[4])),
        ),
    }
    for name, call in calls.items():
        with pytest.raises(bt.BilateralTradeError) as info:
            quiet(call)
        message = str(info.value)
        for word in ("pre/post", "pre=", "post=", "trend=", "event_impact on"):
            assert word not in message, (name, message)
    with pytest.warns(DataQualityWarning) as caught:
        a = bt.analyze(s, "UNSCR 2397", catalog=c, window=(2012, 2025))
    texts = [str(w.message) for w in caught] + list(a.caveats)
    assert any("extrapolated over 8 periods" in t for t in texts)
    for text in texts:
        assert "post=" not in text and "trend=" not in text, text
