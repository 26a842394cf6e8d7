"""One result protocol: every result class of the package, built once from the embedded data.

For each: a short ``repr`` that starts with the class name, ``str`` equal to the summary,
strict-JSON ``to_dict()``, and nothing handed out (``to_frame()``, a frame, array, dict or
list attribute) can change the result. Then the shared value types, the renamed attributes
and their deprecated aliases, ``NotComputed`` and ``Caveat``.
"""

from __future__ import annotations

import dataclasses
import functools
import importlib
import json
import math
import pickle
import pkgutil
import warnings
from collections.abc import Callable
from types import MappingProxyType
from typing import Any

import numpy as np
import pandas as pd
import pytest

import bilateral_trade as bt
from bilateral_trade.datasets import SYNTHETIC_LINES
from bilateral_trade.models.results import (
    CAVEAT_KINDS,
    MAX_REPR,
    Caveat,
    Effect,
    LostTrade,
    NotComputed,
    Result,
    TestStatistic,
    handout,
)
from bilateral_trade.present.demo import china_dprk_demo
from bilateral_trade.stats.gravity import simulate_panel

EVENTS = ["UNSCR 2371", "UNSCR 2375", "UNSCR 2397"]


def quiet(make: Callable[[], Any]) -> Any:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", bt.DataQualityWarning)
        return make()


@functools.cache
def series() -> bt.TradeSeries:
    return bt.datasets.china_dprk_trade()


@functools.cache
def catalog() -> bt.EventCatalog:
    return bt.datasets.dprk_sanctions()


@functools.cache
def analysis() -> bt.EventAnalysis:
    return bt.cases.china_dprk_2397()


def _bai_perron() -> bt.MultipleBreaksResult:
    return bt.bai_perron(series().slice(end=2019), log=True, max_breaks=2)


def _synthetic() -> bt.SyntheticControlResult:
    panel = bt.datasets.synthetic_product_panel(seed=3)
    treated = panel.series(reporter="CHN", partner="PRK", flow="imports", product="440399")
    donors = panel.select(product=[k for k, v in SYNTHETIC_LINES.items() if v is None])
    return quiet(lambda: bt.synthetic_control(treated, donors, 2018, demean=True))


def _mirror() -> bt.MirrorResult:
    panel = bt.TradePanel(
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
    return bt.mirror(panel, "CHN", "KOR", cif_fob=1.06)


def _gravity() -> bt.GravityResult:
    pytest.importorskip("pyfixest")
    panel, measures = simulate_panel(countries=12, years=6, sanctioning=4, seed=1)
    return quiet(lambda: bt.gravity(panel, measures))


BUILDERS: dict[str, Callable[[], Result]] = {
    "BreakTestResult": lambda: bt.chow_test(series(), 2018, log=True, trend=True),
    "SupFTestResult": lambda: bt.sup_f_test(series(), log=True, trend=True),
    "MultipleBreaksResult": _bai_perron,
    "CusumTestResult": lambda: bt.cusum_test(series(), log=True),
    "ImpactResult": lambda: quiet(
        lambda: bt.event_impact(series(), catalog().get("UNSCR 2397"), post=2019)
    ),
    "PlaceboResult": lambda: quiet(
        lambda: bt.placebo_test(series(), catalog().get("UNSCR 2397"), post=2019)
    ),
    "BreakAttribution": lambda: bt.attribute_breaks(_bai_perron(), catalog()),
    "SyntheticControlResult": _synthetic,
    "RecoveryResult": lambda: bt.recovery(series(), baseline=2019),
    "GravityResult": _gravity,
    "EventAnalysis": analysis,
    "MirrorResult": _mirror,
    "BasketGap": lambda: bt.basket_gap(
        bt.datasets.synthetic_product_panel(seed=3),
        catalog(),
        reporter="CHN",
        partner="PRK",
        flow="imports",
        events=EVENTS,
    ),
    "Report": lambda: bt.report(analysis(), catalog=catalog(), baseline=2019),
    "DemoResult": china_dprk_demo,
    "AnalysisWindow": lambda: analysis().window,
}


@functools.cache
def build(name: str) -> Result:
    result = BUILDERS[name]()
    assert type(result).__name__ == name
    return result


def _result_classes() -> set[type]:
    """Every subclass of Result defined in the package."""
    for info in pkgutil.walk_packages(bt.__path__, "bilateral_trade."):
        if ".cli" not in info.name and not info.name.endswith("__main__"):
            importlib.import_module(info.name)

    def walk(cls: type) -> set[type]:
        out = set()
        for sub in cls.__subclasses__():
            out |= {sub} | walk(sub)
        return out

    return {c for c in walk(Result) if c.__module__.startswith("bilateral_trade.")}


def test_every_result_class_is_covered() -> None:
    names = {c.__name__ for c in _result_classes()}
    # the private base of the single tests is covered through its three classes
    assert names - {"_TestResult"} == set(BUILDERS)


# ------------------------------------------------------------------ the protocol, per class
@pytest.fixture(params=sorted(BUILDERS))
def result(request: pytest.FixtureRequest) -> Result:
    return build(request.param)


def test_repr_is_short_and_names_the_class(result: Result) -> None:
    text = repr(result)
    assert len(text) <= MAX_REPR
    assert text.startswith(f"{type(result).__name__}(")
    assert result.headline() in text or text.endswith("…)")


def test_str_is_the_summary(result: Result) -> None:
    assert str(result) == str(result.summary())
    assert result._repr_html_().startswith("<pre>")


def test_to_dict_is_strict_json(result: Result) -> None:
    text = json.dumps(result.to_dict(), allow_nan=False)
    assert json.loads(text) == result.to_dict()


def _mutate(value: Any, depth: int = 0) -> None:
    """Change everything mutable in ``value`` (a handed-out copy) in place."""
    if depth > 3 or isinstance(value, Result):
        return
    if isinstance(value, pd.DataFrame):
        if value.shape[0] and value.shape[1]:
            for col in value.columns:
                if pd.api.types.is_numeric_dtype(value[col]) and not pd.api.types.is_bool_dtype(
                    value[col]
                ):
                    value.loc[value.index[0], col] = -12345.0
        value["__mutated__"] = 1
    elif isinstance(value, pd.Series):
        if len(value) and pd.api.types.is_float_dtype(value):
            value.iloc[:] = -12345.0
        value.name = "__mutated__"
    elif isinstance(value, np.ndarray):
        if value.flags.writeable and value.dtype.kind == "f":
            value[...] = -12345.0
    elif isinstance(value, MappingProxyType):
        with pytest.raises(TypeError):
            value["__mutated__"] = 1  # type: ignore[index]
        for v in value.values():
            _mutate(v, depth + 1)
    elif isinstance(value, dict):
        for v in value.values():
            _mutate(v, depth + 1)
        value.clear()
    elif isinstance(value, list):
        for v in value:
            _mutate(v, depth + 1)
        value.clear()
    elif isinstance(value, tuple):
        for v in value:
            _mutate(v, depth + 1)
    elif dataclasses.is_dataclass(value) and not isinstance(value, type):
        for f in dataclasses.fields(value):
            _mutate(getattr(value, f.name), depth + 1)


def _snapshot(result: Result) -> tuple[str, pd.DataFrame | None]:
    frame = result.to_frame() if hasattr(result, "to_frame") else None
    return json.dumps(result.to_dict(), sort_keys=True), frame


def test_nothing_handed_out_changes_the_result(result: Result) -> None:
    before, frame = _snapshot(result)
    if frame is not None:
        _mutate(result.to_frame())  # type: ignore[attr-defined]
    assert dataclasses.is_dataclass(result)
    names = [f.name for f in dataclasses.fields(result)]
    for name in names:
        _mutate(getattr(result, name))
    after, frame_after = _snapshot(result)
    assert after == before
    if frame is not None:
        assert frame_after is not None
        pd.testing.assert_frame_equal(frame_after, frame)
    with pytest.raises(dataclasses.FrozenInstanceError):
        setattr(result, names[0], None)


WITH_OPTIONS = sorted(
    c.__name__ for c in _result_classes() if "options" in getattr(c, "__dataclass_fields__", {})
)


@pytest.mark.parametrize("name", WITH_OPTIONS)
def test_options_are_read_only(name: str) -> None:
    result = build(name)
    options = result.options  # type: ignore[attr-defined]
    assert isinstance(options, MappingProxyType)
    with pytest.raises(TypeError):
        options["level"] = 0.5
    assert json.dumps(result.to_dict(), allow_nan=False)


def test_not_computed_is_a_mapping_of_typed_values(result: Result) -> None:
    for name, value in result.not_computed.items():
        assert isinstance(value, NotComputed) and value.component == name
        assert not value and str(value) == value.reason


# ------------------------------------------------------------------ immutability details
def test_handout_copies_frames_arrays_and_containers() -> None:
    frame = pd.DataFrame({"a": [1.0, 2.0]})
    array = np.arange(3.0)
    nested = {"frame": frame, "list": [array], "t": (array,)}
    copy = handout(nested)
    copy["frame"].iloc[0, 0] = -1.0
    copy["list"][0][0] = -1.0
    copy["t"][0][1] = -1.0
    copy["list"].append(0)
    assert frame.iloc[0, 0] == 1.0 and array.tolist() == [0.0, 1.0, 2.0]
    assert len(nested["list"]) == 1
    assert handout(pd.Period("2018", "Y")) == pd.Period("2018", "Y")


def test_the_reported_problem_is_fixed() -> None:
    r = build("ImpactResult")
    assert isinstance(r, bt.ImpactResult)
    first = float(r.to_frame().iloc[0, 0])
    path = r.path
    path.iloc[0, 0] = -1
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", FutureWarning)
        old = r.counterfactual
    old.iloc[0, 0] = -1
    assert float(r.to_frame().iloc[0, 0]) == first
    assert len(repr(build("EventAnalysis"))) <= MAX_REPR


def test_results_pickle_with_their_protocol() -> None:
    for name in ("RecoveryResult", "SupFTestResult", "ImpactResult", "SyntheticControlResult"):
        r = build(name)
        back = pickle.loads(pickle.dumps(r))
        assert back.to_dict() == r.to_dict()
        if hasattr(back, "options"):
            assert isinstance(back.options, MappingProxyType)


# ------------------------------------------------------------------ one name, one type
def test_relative_effect_is_an_effect_in_impact_and_synthetic_control() -> None:
    impact, synthetic = build("ImpactResult"), build("SyntheticControlResult")
    assert isinstance(impact, bt.ImpactResult)
    assert isinstance(synthetic, bt.SyntheticControlResult)
    assert isinstance(impact.relative_effect, Effect)
    rel = synthetic.relative_effect
    assert isinstance(rel, Effect)
    assert rel.estimate == pytest.approx(math.expm1(synthetic.average_effect), rel=1e-15)
    assert math.isnan(rel.std_error) and all(math.isnan(b) for b in rel.ci)
    assert synthetic.p_value is not None and rel.p_value == synthetic.p_value
    assert "no sampling interval" in rel.note
    d = synthetic.to_dict()["relative_effect"]
    assert isinstance(d, dict)
    assert d["ci"] == [None, None] and d["std_error"] is None
    assert d["estimate"] == pytest.approx(rel.estimate)


def test_one_name_for_the_by_period_table() -> None:
    impact, synthetic = build("ImpactResult"), build("SyntheticControlResult")
    assert isinstance(impact, bt.ImpactResult)
    assert isinstance(synthetic, bt.SyntheticControlResult)
    for r in (impact, synthetic):
        assert {"actual", "counterfactual", "gap", "post"} <= set(r.path.columns)
        pd.testing.assert_frame_equal(r.to_frame(), r.path)
        np.testing.assert_allclose(r.path["gap"], r.path["actual"] - r.path["counterfactual"])
        assert "path" in r.to_dict()
    assert "counterfactual" not in impact.to_dict()
    np.testing.assert_array_equal(synthetic.path["counterfactual"], synthetic.path["synthetic"])


def test_deprecated_counterfactual_warns_and_gives_the_path() -> None:
    r = build("ImpactResult")
    assert isinstance(r, bt.ImpactResult)
    with pytest.warns(FutureWarning, match=r"ImpactResult\.counterfactual .*ImpactResult\.path"):
        old = r.counterfactual
    pd.testing.assert_frame_equal(old, r.path)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", FutureWarning)
        _ = r.counterfactual
    assert caught[0].filename == __file__  # points at the user's line


def test_old_keyword_still_builds_an_impact_result() -> None:
    r = build("ImpactResult")
    assert isinstance(r, bt.ImpactResult)
    fields = {f.name: getattr(r, f.name) for f in dataclasses.fields(r) if f.name != "path"}
    again = bt.ImpactResult(**fields, counterfactual=r.path)
    pd.testing.assert_frame_equal(again.path, r.path)
    with pytest.raises(bt.DataValidationError, match="path"):
        bt.ImpactResult(**fields, path=r.path, counterfactual=r.path)


def test_shared_values_live_beside_the_base_and_keep_their_old_homes() -> None:
    from bilateral_trade.stats import impact
    from bilateral_trade.stats.breaks import results as breaks_results

    assert impact.Effect is Effect and impact.LostTrade is LostTrade
    assert breaks_results.TestStatistic is TestStatistic
    assert bt.breaks.TestStatistic is TestStatistic
    assert bt.Effect is Effect and bt.LostTrade is LostTrade and bt.Result is Result
    assert Effect.__module__ == "bilateral_trade.models.results"


def test_effects_table_uses_the_protocol_and_is_numeric() -> None:
    a = analysis()
    e = a.effects()
    for col in ("relative_effect", "effect_lower", "effect_upper", "p_value", "lost"):
        assert pd.api.types.is_float_dtype(e[col]), col
    control = a.impacts["control"]
    row = e.set_index("counterfactual").loc["control"]
    assert control.relative_effect is not None
    assert row["relative_effect"] == control.relative_effect.estimate
    assert (row["effect_lower"], row["effect_upper"]) == control.relative_effect.ci
    assert row["lost"] == control.lost.estimate
    tests = a.tests()
    assert pd.api.types.is_float_dtype(tests["statistic"])


def test_effects_of_a_synthetic_control_have_no_interval() -> None:
    panel = bt.datasets.synthetic_product_panel(seed=3)
    treated = panel.series(reporter="CHN", partner="PRK", flow="imports", product="440399")
    donors = panel.select(product=[k for k, v in SYNTHETIC_LINES.items() if v is None])
    a = quiet(
        lambda: bt.analyze(
            treated,
            "UNSCR 2397",
            catalog=catalog(),
            counterfactual=("synthetic", "trend"),
            donors=donors,
            demean=True,
        )
    )
    row = a.effects().iloc[0]
    direct = a.impacts["synthetic"]
    assert isinstance(direct, bt.SyntheticControlResult)
    assert row["relative_effect"] == pytest.approx(math.expm1(direct.average_effect), rel=1e-15)
    assert math.isnan(row["effect_lower"]) and math.isnan(row["lost_lower"])
    assert row["p_value"] == direct.p_value
    json.dumps(a.to_dict(), allow_nan=False)
    assert a.to_frame()["counterfactual_synthetic"].notna().any()


# ------------------------------------------------------------------ NotComputed and Caveat
def test_not_computed_components_are_typed() -> None:
    s = series()
    a = quiet(lambda: bt.analyze(s, "UNSCR 2397", catalog=catalog(), window=(2012, 2019)))
    assert a.skipped, "a short window leaves the break tests out"
    for name, value in a.skipped.items():
        assert isinstance(value, NotComputed) and value.component == name
        assert not value
        assert a.not_computed[name] is value
        assert getattr(a, name) is None
        assert a.to_dict()[name] == {"not_computed": value.reason, "component": name}
        assert a.to_dict()["skipped"][name] == value.reason
        assert f"{name}: {value.reason}" in str(a)
    with pytest.raises(TypeError):
        a.skipped["chow"] = NotComputed("chow", "x")  # type: ignore[index]


def test_not_computed_of_other_results() -> None:
    panel = bt.datasets.synthetic_product_panel(seed=3)
    treated = panel.series(reporter="CHN", partner="PRK", flow="imports", product="440399")
    donors = panel.select(product=[k for k, v in SYNTHETIC_LINES.items() if v is None])
    r = quiet(lambda: bt.synthetic_control(treated, donors, 2018, demean=True, placebo=False))
    assert set(r.not_computed) == {"placebos"}
    assert build("SyntheticControlResult").not_computed == {}


def test_caveats_are_typed_and_read_as_before() -> None:
    a = analysis()
    assert a.caveats and all(isinstance(c, Caveat) for c in a.caveats)
    kinds = {c.kind for c in a.caveats}
    assert kinds <= set(CAVEAT_KINDS)
    assert {"measurement", "confounder"} <= kinds  # the 2009/2014 data changes; 2017 measures
    for c in a.caveats:
        assert str(c) == c.text and f"    - {c}" in str(a)
    assert a.to_dict()["caveats"] == [{"text": str(c), "kind": c.kind} for c in a.caveats]


def test_caveat_kinds_follow_the_warning() -> None:
    s = series()
    with pytest.warns(bt.DataQualityWarning) as record:
        a = bt.analyze(s, "UNSCR 2397", catalog=catalog(), window=(2015, 2024))
    by_text = {str(c): c.kind for c in a.caveats}
    assert "extrapolation" in by_text.values()
    assert "confounder" in by_text.values()
    emitted = {str(w.message): getattr(w.message, "kind", None) for w in record}
    assert emitted == by_text


def test_caveat_and_not_computed_values() -> None:
    c = Caveat("a text", "fit")
    assert c == "a text" and c.kind == "fit" and repr(c) == "Caveat('a text', kind='fit')"
    with pytest.raises(AttributeError):
        c.kind = "confounder"  # type: ignore[misc]
    with pytest.raises(bt.DataValidationError, match="kind"):
        Caveat("x", "nonsense")
    back = pickle.loads(pickle.dumps(c))
    assert back == c and back.kind == "fit"
    nc = NotComputed("sup_f", "too short")
    assert not nc and str(nc) == "too short"
    assert json.dumps(nc.to_dict()) == '{"not_computed": "too short", "component": "sup_f"}'
