"""Property tests of the new analysis API on degenerate data, any unit, and its flags (issue 18).

``test_adversarial_stats`` holds the rule for the break tests; here it is extended to
``analyze``, ``event_impact``, ``placebo_test``, ``chow_forecast_test``,
``synthetic_control`` and ``gravity``:

* on degenerate series — constant, an exact exponential, an exact line, a step at the
  event, a control proportional to (or equal to, or shifted from) the series, donors equal
  or proportional to it — each either returns finite statistics (no p-value beside a NaN
  statistic or a zero or infinite standard error; a permutation p-value never 0) or raises
  the library's error, and it raises whenever the model fits the data exactly;
* scaling every value by ``m 10^k`` (k from −200 to 200) gives the same relative effects,
  p-values and weights, to a relative 1e-9, or the typed refusal of a unit beyond the range
  of a method in levels;
* a flag that is not a boolean (``"no"``, ``"False"``, ``None``, ``1``…) is refused by name;
  a numpy boolean is a boolean.
"""

from __future__ import annotations

import json
import math
import warnings
from collections.abc import Callable
from typing import Any

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import bilateral_trade as bt
from bilateral_trade import BilateralTradeError, DataValidationError, InsufficientDataError
from bilateral_trade.models.results import Effect

PROPERTY = settings(
    deadline=None,
    database=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
)
RTOL = 1e-9
START = 2000


def annual(values: Any) -> pd.Series:
    arr = np.asarray(values, dtype=np.float64)
    return pd.Series(arr, index=pd.period_range(str(START), periods=len(arr), freq="Y"))


def event_at(pos: int) -> bt.TradeEvent:
    """A sanctions event whose first annual period is position ``pos`` of the series."""
    return bt.TradeEvent(
        date=f"{START + pos}-01-01", kind="sanctions_resolution", label="E", reference="E 1"
    )


def quietly(call: Callable[[], Any]) -> Any:
    """Run ``call`` with numpy's complaints as errors and the library's caveats ignored."""
    with warnings.catch_warnings():
        warnings.simplefilter("error", RuntimeWarning)
        warnings.simplefilter("ignore", bt.BilateralTradeWarning)
        return call()


# ------------------------------------------------------- degenerate series
#: base kinds, each with the models that fit it exactly: (log, trend) pairs
EXACT_IN = {
    "constant": {(True, True), (True, False), (False, True), (False, False)},
    "exponential": {(True, True)},
    "line": {(False, True)},
}


@st.composite
def degenerate(draw: st.DrawFn) -> tuple[str, bool, np.ndarray, int]:
    """(base kind, stepped, values, position of the event); the step, if any, at the event."""
    kind = draw(st.sampled_from(sorted(EXACT_IN)))
    n = draw(st.integers(10, 30))
    pos = draw(st.integers(3, n - 2))
    t = np.arange(1.0, n + 1.0)
    a = float(draw(st.integers(1, 1000)))
    if kind == "constant":
        y = np.full(n, a)
    elif kind == "exponential":
        y = a * draw(st.sampled_from([1.05, 1.1, 0.9, 2.0])) ** t
    else:
        y = a + draw(st.integers(1, 50)) * t
    stepped = draw(st.booleans())
    if stepped and kind == "line":  # a step at the event: absorbed by the level change
        y = y + np.where(t > pos, float(draw(st.integers(1 - int(a), 500))), 0.0)
    elif stepped:
        y = y * np.where(t > pos, draw(st.sampled_from([0.5, 3.0])), 1.0)
    return kind, stepped, y, pos


CONTROLS = ["none", "equal", "proportional", "shifted", "noise"]


def control_of(kind: str, y: np.ndarray, draw: st.DrawFn) -> np.ndarray | None:
    if kind == "none":
        return None
    if kind == "equal":
        return y.copy()
    if kind == "proportional":
        return y * draw(st.sampled_from([2.0, 0.5, 7.0, 1e3]))
    if kind == "shifted":
        return y + float(draw(st.integers(1, 100)))
    rng = np.random.default_rng(draw(st.integers(0, 10**6)))
    return rng.uniform(50.0, 150.0, len(y))


def impact_is_exact(kind: str, control: str, log: bool, trend: bool) -> bool:
    """Does the impact model (with the event's level change) fit the outcome exactly?"""
    if control == "equal" or (control == "proportional" and log):
        return True  # the outcome (the gap to the control) is constant
    if control == "shifted" and not log:
        return True
    if control in ("shifted", "noise"):
        return kind == "constant" and control == "shifted" and log
    # no control, or (in levels) a proportional one: the outcome is a multiple of the series
    return (log, trend) in EXACT_IN[kind]


def check_effect(e: Effect, where: str) -> None:
    assert math.isfinite(e.estimate), where
    if math.isnan(e.std_error):  # no sampling distribution: the note says where p comes from
        assert e.note, where
        assert math.isnan(e.p_value) or 0 < e.p_value <= 1, where
        return
    assert math.isfinite(e.std_error) and e.std_error > 0, (where, e)
    assert 0 <= e.p_value <= 1 and math.isfinite(e.ci[0]) and math.isfinite(e.ci[1]), (where, e)
    assert e.ci[0] < e.ci[1], (where, e)


def check_result(r: Any) -> None:
    """The rule for every result: finite statistics, p-values only where they are defined."""
    json.dumps(r.to_dict(), allow_nan=False)  # strict JSON
    if isinstance(r, bt.ImpactResult):
        for name in ("level_change", "slope_change", "relative_effect"):
            if getattr(r, name) is not None:
                check_effect(getattr(r, name), name)
        table = r.coefficients[["estimate", "std_error", "p_value"]].to_numpy(dtype=float)
        assert np.isfinite(table).all() and (table[:, 1] > 0).all(), r.coefficients
        assert math.isfinite(r.lost.estimate) and r.lost.std_error is not None
        assert math.isfinite(r.lost.std_error) and r.lost.std_error >= 0
    elif isinstance(r, bt.PlaceboResult):
        check_result(r.real)
        m = len(r.placebos)
        assert m >= 1 and 1 / (1 + m) <= r.p_value <= 1 and r.p_value > 0
        table = r.placebos[["estimate", "std_error", "p_value"]].to_numpy(dtype=float)
        assert np.isfinite(table).all() and (table[:, 1] > 0).all()
    elif isinstance(r, bt.BreakTestResult):
        assert math.isfinite(r.statistic) and r.statistic >= 0 and 0 <= r.p_value <= 1, r
    elif isinstance(r, bt.SyntheticControlResult):
        w = r.weights.to_numpy()
        assert np.isfinite(w).all() and (w >= 0).all() and math.isclose(w.sum(), 1.0)
        assert math.isfinite(r.average_effect) and math.isfinite(r.rmspe_pre)
        if r.p_value is not None:  # a ratio of RMSPEs that is a number, and some placebos
            used = (r.placebos["status"] == "used").sum()
            assert r.rmspe_pre > 0 and math.isfinite(r.rmspe_ratio)
            assert 1 / (1 + used) <= r.p_value <= 1
        if r.relative_effect is not None:
            check_effect(r.relative_effect, "relative_effect")
    elif isinstance(r, bt.EventAnalysis):
        for part in (*r.impacts.values(), r.placebo, r.chow):
            if part is not None:
                check_result(part)
        if r.sup_f is not None:
            for s in (r.sup_f.sup_f, r.sup_f.ave_f, r.sup_f.exp_f):
                assert math.isfinite(s.statistic) and 0 <= s.p_value <= 1
    elif isinstance(r, bt.GravityResult):
        table = r.coefficients[["estimate", "std_error", "p_value"]].to_numpy(dtype=float)
        assert np.isfinite(table).all() and (table[:, 1] > 0).all(), r.coefficients


def outcome(call: Callable[[], Any]) -> Any:
    """The result, or the library's error (anything else fails the test)."""
    try:
        return quietly(call)
    except BilateralTradeError as exc:
        return exc


@settings(PROPERTY, max_examples=100)
@given(
    case=degenerate(),
    control=st.sampled_from(CONTROLS),
    log=st.booleans(),
    trend=st.booleans(),
    data=st.data(),
)
def test_event_impact_and_placebo_on_degenerate_series(
    case: tuple[str, bool, np.ndarray, int],
    control: str,
    log: bool,
    trend: bool,
    data: st.DataObject,
) -> None:
    kind, _, values, pos = case
    y = annual(values)
    c = control_of(control, values, data.draw)
    kw: dict[str, Any] = {"log": log, "trend": trend}
    if c is not None:
        kw["control"] = annual(c)
    exact = impact_is_exact(kind, control, log, trend)
    for call in (bt.event_impact, bt.placebo_test):
        got = outcome(lambda call=call: call(y, event_at(pos), **kw))
        if exact:
            assert isinstance(got, BilateralTradeError), (call.__name__, kind, control, got)
        elif not isinstance(got, BilateralTradeError):
            check_result(got)


@settings(PROPERTY, max_examples=100)
@given(case=degenerate(), log=st.booleans(), trend=st.booleans(), data=st.data())
def test_chow_forecast_on_degenerate_series(
    case: tuple[str, bool, np.ndarray, int], log: bool, trend: bool, data: st.DataObject
) -> None:
    kind, stepped, values, pos = case
    at = data.draw(st.integers(pos, len(values) - 1), label="at") if stepped else pos
    got = outcome(
        lambda: bt.breaks.chow_forecast_test(annual(values), START + at, log=log, trend=trend)
    )
    # the periods before `at` hold no step: an exact fit there has no error variance
    if (log, trend) in EXACT_IN[kind] and (not stepped or at <= pos):
        assert isinstance(got, InsufficientDataError), (kind, got)
    elif not isinstance(got, BilateralTradeError):
        check_result(got)


@settings(PROPERTY, max_examples=40)
@given(
    case=degenerate(),
    control=st.sampled_from(CONTROLS),
    log=st.booleans(),
    headline=st.sampled_from(["trend", "mean", "control"]),
    data=st.data(),
)
def test_analyze_on_degenerate_series(
    case: tuple[str, bool, np.ndarray, int],
    control: str,
    log: bool,
    headline: str,
    data: st.DataObject,
) -> None:
    kind, _, values, pos = case
    if headline == "control" and control == "none":
        control = "proportional"
    c = control_of(control, values, data.draw) if headline == "control" else None
    got = outcome(
        lambda: bt.analyze(
            annual(values),
            event_at(pos),
            log=log,
            counterfactual=headline,
            control=None if c is None else annual(c),
        )
    )
    exact = impact_is_exact(kind, control if c is not None else "none", log, headline == "trend")
    if exact:  # the headline impact cannot be estimated: analyze raises, as event_impact
        assert isinstance(got, BilateralTradeError), (kind, control, headline, got)
    elif not isinstance(got, BilateralTradeError):
        check_result(got)


DONORS = [
    "equal",
    "proportional",
    "shifted",
    "constant",
    "exponential",
    "noise and one proportional",
]


def donors_of(kind: str, y: np.ndarray, seed: int) -> pd.DataFrame:
    n = len(y)
    rng = np.random.default_rng(seed)
    cols: dict[str, np.ndarray]
    if kind == "equal":
        cols = {"a": rng.uniform(50, 150, n), "b": y.copy(), "c": rng.uniform(50, 150, n)}
    elif kind == "proportional":
        cols = {"a": 2 * y, "b": 3 * y, "c": 5 * y, "d": 0.5 * y}
    elif kind == "shifted":
        cols = {"a": y + 1, "b": y + 10, "c": y + 100}
    elif kind == "constant":
        cols = {"a": np.full(n, 2.0), "b": np.full(n, 30.0), "c": np.full(n, 400.0)}
    elif kind == "exponential":
        t = np.arange(1.0, n + 1.0)
        cols = {f"g{g}": 10 * g**t for g in (1.02, 1.05, 1.1, 0.95)}
    else:
        cols = {f"n{i}": rng.uniform(50, 150, n) for i in range(5)} | {"p": 4 * y}
    return pd.DataFrame(cols, index=annual(y).index)


@settings(PROPERTY, max_examples=100)
@given(
    case=degenerate(),
    donors=st.sampled_from(DONORS),
    log=st.booleans(),
    demean=st.booleans(),
    seed=st.integers(0, 10**6),
)
def test_synthetic_control_on_degenerate_series(
    case: tuple[str, bool, np.ndarray, int], donors: str, log: bool, demean: bool, seed: int
) -> None:
    _, _, values, pos = case
    frame = donors_of(donors, values, seed)
    got = outcome(
        lambda: bt.synthetic_control(annual(values), frame, event_at(pos), log=log, demean=demean)
    )
    if donors == "equal":
        assert isinstance(got, DataValidationError) and "is the treated series" in str(got)
    elif not isinstance(got, BilateralTradeError):
        check_result(got)


# ------------------------------------------------------------------- gravity
def _gravity_inputs() -> tuple[pd.DataFrame, pd.DataFrame]:
    from bilateral_trade.stats.gravity import simulate_panel

    panel, measures = simulate_panel(countries=8, years=5, seed=1)
    return panel.to_frame(), measures


def _exact_flows(frame: pd.DataFrame) -> pd.DataFrame:
    """Flows that are exactly exporter × importer × year effects: PPML fits them exactly."""
    codes = sorted(set(frame["reporter"]) | set(frame["partner"]))
    size = {c: 1.0 + i / 4 for i, c in enumerate(codes)}
    year = frame["period"].dt.year.to_numpy()
    values = [100.0 * size[r] * size[p] ** 2 * 1.1 ** (t - 2000)
              for r, p, t in zip(frame["reporter"], frame["partner"], year, strict=True)]  # fmt: skip
    return frame.assign(value=values)


GRAVITY_EXACT = {
    "constant flows": lambda f: f.assign(value=5.0),
    "exporter, importer and year effects": _exact_flows,
    "a line in time": lambda f: f.assign(value=f["period"].dt.year - 1990.0),
}
PPML_EXACT = (
    "gravity in stats/gravity/ has no exact-fit rule: flows that the fixed effects fit "
    "exactly give a standard error of rounding noise (or 0) with a p-value (or NaN)"
)


@pytest.mark.parametrize(
    "name",
    [
        pytest.param(n, marks=pytest.mark.xfail(strict=True, reason=PPML_EXACT))
        for n in GRAVITY_EXACT
    ],
)
@pytest.mark.parametrize("fixed_effects", ["structural", "pair+time"])
def test_gravity_refuses_flows_it_fits_exactly(name: str, fixed_effects: str) -> None:
    pytest.importorskip("pyfixest")
    frame, measures = _gravity_inputs()
    panel = bt.TradePanel(GRAVITY_EXACT[name](frame), unit="USD")
    got = outcome(lambda: bt.gravity(panel, measures, fixed_effects=fixed_effects))
    assert isinstance(got, InsufficientDataError), got


@settings(PROPERTY, max_examples=6)
@given(seed=st.integers(0, 10**6), zeros=st.floats(0.0, 0.5))
def test_gravity_on_noisy_flows_with_zeros(seed: int, zeros: float) -> None:
    pytest.importorskip("pyfixest")
    frame, measures = _gravity_inputs()
    rng = np.random.default_rng(seed)
    value = frame["value"].to_numpy() * rng.lognormal(0, 0.3, len(frame))
    value[rng.uniform(size=len(frame)) < zeros] = 0.0
    got = outcome(lambda: bt.gravity(bt.TradePanel(frame.assign(value=value)), measures))
    if not isinstance(got, BilateralTradeError):
        check_result(got)


# ---------------------------------------------------------- invariance to the unit
UNIT_REFUSAL = "express the series in another unit"


def _scale(draw: st.DrawFn) -> float:
    """``m 10^k`` with k from -200 to 200: the unit of the data (billions, cents…)."""
    mantissa = draw(st.floats(1.0, 10.0, exclude_max=True))
    return mantissa * 10.0 ** draw(st.integers(-200, 200))


def _noisy(draw: st.DrawFn, n: int) -> np.ndarray:
    return np.asarray(draw(st.lists(st.integers(1, 1000), min_size=n, max_size=n)), float)


def _same_or_unit_refusal(base: Any, scaled: Any, log: bool) -> bool:
    """True when both ran; otherwise they must refuse alike, or the scaled unit be refused.

    In levels, the methods that square values refuse data beyond 1e±150 (the refusal names
    the unit); in logs nothing may depend on the unit.
    """
    if isinstance(base, BilateralTradeError):
        assert isinstance(scaled, type(base)), (base, scaled)
        return False
    if isinstance(scaled, BilateralTradeError):
        assert not log and UNIT_REFUSAL in str(scaled), scaled
        return False
    return True


def _close(scaled: float, base: float, *, atol: float = 0.0, what: str = "") -> None:
    np.testing.assert_allclose(scaled, base, rtol=RTOL, atol=atol, err_msg=what)


def _same_effect(scaled: Effect, base: Effect, factor: float, what: str) -> None:
    """Estimate and interval in units scaled by ``factor``; the same p-value."""
    se = base.std_error
    _close(scaled.estimate / factor, base.estimate, atol=RTOL * se, what=what)
    _close(scaled.std_error / factor, se, what=what)
    _close(scaled.ci[0] / factor, base.ci[0], atol=RTOL * se, what=what)
    _close(scaled.p_value, base.p_value, what=what)


@st.composite
def scaled_case(draw: st.DrawFn) -> dict[str, Any]:
    n = draw(st.integers(12, 30))
    y = _noisy(draw, n)
    return {
        "y": y,
        "control": _noisy(draw, n) if draw(st.booleans()) else None,
        "donors": np.column_stack([_noisy(draw, n) for _ in range(4)]),
        "pos": draw(st.integers(6, n - 3)),
        "scale": _scale(draw),
        "log": draw(st.booleans()),
        "trend": draw(st.booleans()),
    }


def _impact_pair(case: dict[str, Any]) -> tuple[Any, Any, float]:
    s, log = case["scale"], case["log"]

    def run(factor: float) -> Any:
        kw: dict[str, Any] = {"log": log, "trend": case["trend"]}
        if case["control"] is not None:
            kw["control"] = annual(case["control"] * factor)
        return outcome(
            lambda: bt.event_impact(annual(case["y"] * factor), event_at(case["pos"]), **kw)
        )

    return run(1.0), run(s), 1.0 if log else s


@settings(PROPERTY, max_examples=60)
@given(case=scaled_case())
def test_event_impact_does_not_depend_on_the_unit(case: dict[str, Any]) -> None:
    base, scaled, factor = _impact_pair(case)
    if not _same_or_unit_refusal(base, scaled, case["log"]):
        return
    _same_effect(scaled.level_change, base.level_change, factor, "level change")
    if base.relative_effect is not None:
        _same_effect(scaled.relative_effect, base.relative_effect, 1.0, "relative effect")
    s = case["scale"]
    _close(scaled.lost.estimate / s, base.lost.estimate, atol=RTOL * base.lost.std_error)
    _close(scaled.lost.std_error / s, base.lost.std_error)


@settings(PROPERTY, max_examples=12)
@given(case=scaled_case())
def test_placebo_test_does_not_depend_on_the_unit(case: dict[str, Any]) -> None:
    s, log = case["scale"], case["log"]
    kw = {"log": log, "trend": case["trend"]}
    base, scaled = (
        outcome(lambda f=f: bt.placebo_test(annual(case["y"] * f), event_at(case["pos"]), **kw))
        for f in (1.0, s)
    )
    if not _same_or_unit_refusal(base, scaled, log):
        return
    assert scaled.p_value == base.p_value and scaled.n_extreme == base.n_extreme
    factor = 1.0 if log else s
    se = base.placebos["std_error"].to_numpy()
    np.testing.assert_allclose(
        scaled.placebos["estimate"].to_numpy() / factor,
        base.placebos["estimate"].to_numpy(),
        rtol=RTOL,
        atol=RTOL * float(se.max()),
    )
    np.testing.assert_allclose(scaled.placebos["p_value"], base.placebos["p_value"], rtol=RTOL)


@settings(PROPERTY, max_examples=60)
@given(case=scaled_case())
def test_chow_forecast_does_not_depend_on_the_unit(case: dict[str, Any]) -> None:
    s, log, trend = case["scale"], case["log"], case["trend"]
    at = START + len(case["y"]) - 2
    base, scaled = (
        outcome(
            lambda f=f: bt.breaks.chow_forecast_test(
                annual(case["y"] * f), at, log=log, trend=trend
            )
        )
        for f in (1.0, s)
    )
    if not _same_or_unit_refusal(base, scaled, log):
        return
    _close(scaled.statistic, base.statistic, what="F")
    _close(scaled.p_value, base.p_value, what="p")


@settings(PROPERTY, max_examples=40)
@given(case=scaled_case(), demean=st.booleans())
def test_synthetic_control_does_not_depend_on_the_unit(case: dict[str, Any], demean: bool) -> None:
    s, log = case["scale"], case["log"]

    def run(factor: float) -> Any:
        y = annual(case["y"] * factor)
        donors = pd.DataFrame(case["donors"] * factor, index=y.index, columns=list("abcd"))
        return outcome(
            lambda: bt.synthetic_control(y, donors, event_at(case["pos"]), log=log, demean=demean)
        )

    base, scaled = run(1.0), run(s)
    if not _same_or_unit_refusal(base, scaled, log):
        return
    np.testing.assert_allclose(scaled.weights, base.weights, rtol=RTOL, atol=RTOL)
    assert scaled.p_value == base.p_value
    factor = 1.0 if log else s
    _close(scaled.average_effect / factor, base.average_effect, atol=RTOL * base.rmspe_pre)
    _close(scaled.rmspe_pre / factor, base.rmspe_pre)
    _close(scaled.rmspe_ratio, base.rmspe_ratio)
    _close(scaled.lost.estimate / s, base.lost.estimate, atol=RTOL * abs(base.lost.estimate))


@settings(PROPERTY, max_examples=12)
@given(case=scaled_case(), headline=st.sampled_from(["trend", "mean", "control"]))
def test_analyze_does_not_depend_on_the_unit(case: dict[str, Any], headline: str) -> None:
    s, log = case["scale"], case["log"]
    control = case["control"] if case["control"] is not None else case["donors"][:, 0]

    def run(factor: float) -> Any:
        c = annual(control * factor) if headline == "control" else None
        return outcome(
            lambda: bt.analyze(
                annual(case["y"] * factor),
                event_at(case["pos"]),
                log=log,
                counterfactual=headline,
                control=c,
            )
        )

    base, scaled = run(1.0), run(s)
    if not _same_or_unit_refusal(base, scaled, log):
        return
    assert set(scaled.skipped) == set(base.skipped)
    factor = 1.0 if log else s
    _same_effect(scaled.impact.level_change, base.impact.level_change, factor, "impact")
    if base.placebo is not None:
        assert scaled.placebo is not None and scaled.placebo.p_value == base.placebo.p_value
    for name in ("chow", "sup_f"):
        a, b = getattr(base, name), getattr(scaled, name)
        if a is not None:
            a, b = (a, b) if name == "chow" else (a.sup_f, b.sup_f)
            _close(b.statistic, a.statistic, atol=1e-9, what=name)
            _close(b.p_value, a.p_value, what=name)


@settings(PROPERTY, max_examples=6)
@given(scale=st.builds(lambda m, k: m * 10.0**k, st.floats(1.0, 10.0), st.integers(-200, 200)))
def test_gravity_does_not_depend_on_the_unit(scale: float) -> None:
    pytest.importorskip("pyfixest")
    frame, measures = _gravity_inputs()
    base, scaled = (
        outcome(
            lambda f=f: bt.gravity(bt.TradePanel(frame.assign(value=frame["value"] * f)), measures)
        )
        for f in (1.0, scale)
    )
    assert not isinstance(base, BilateralTradeError) and not isinstance(scaled, BilateralTradeError)
    cols = ["estimate", "std_error", "p_value"]
    a, b = base.coefficients[cols].to_numpy(), scaled.coefficients[cols].to_numpy()
    np.testing.assert_allclose(b[:, 0], a[:, 0], rtol=RTOL, atol=RTOL * float(a[:, 1].min()))
    np.testing.assert_allclose(b[:, 1:], a[:, 1:], rtol=RTOL)
    _close(scaled.lost.estimate / scale, base.lost.estimate)
    _close(scaled.lost.std_error / scale, base.lost.std_error)


# ------------------------------------------------------------------------ flags
def _flag_calls() -> dict[str, Callable[[Any], Any]]:
    rng = np.random.default_rng(2)
    y = annual(rng.uniform(50, 100, 18))
    donors = pd.DataFrame(rng.uniform(50, 100, (18, 5)), index=y.index, columns=list("abcde"))
    ev = event_at(10)
    calls: dict[str, Callable[[Any], Any]] = {
        "analyze log": lambda v: bt.analyze(y, ev, log=v),
        "analyze demean": lambda v: bt.analyze(
            y, ev, counterfactual="synthetic", donors=donors, demean=v
        ),
        "event_impact log": lambda v: bt.event_impact(y, ev, log=v),
        "event_impact trend": lambda v: bt.event_impact(y, ev, trend=v),
        "placebo_test log": lambda v: bt.placebo_test(y, ev, log=v),
        "placebo_test trend": lambda v: bt.placebo_test(y, ev, trend=v),
        "chow_forecast_test log": lambda v: bt.breaks.chow_forecast_test(y, 2016, log=v),
        "chow_forecast_test trend": lambda v: bt.breaks.chow_forecast_test(y, 2016, trend=v),
        "synthetic_control log": lambda v: bt.synthetic_control(y, donors, ev, log=v),
        "synthetic_control demean": lambda v: bt.synthetic_control(y, donors, ev, demean=v),
        "synthetic_control placebo": lambda v: bt.synthetic_control(y, donors, ev, placebo=v),
    }
    if _has_pyfixest():
        frame, measures = _gravity_inputs()
        panel = bt.TradePanel(frame)
        calls["gravity separation"] = lambda v: bt.gravity(panel, measures, separation=v)
    return calls


def _has_pyfixest() -> bool:
    try:
        import pyfixest  # noqa: F401
    except ImportError:
        return False
    return True


FLAG_CALLS = _flag_calls()
NOT_BOOLEANS: list[Any] = ["no", "False", "True", "false", "yes", "", "0", None, 0, 1, 1.0,
                           0.0, np.int64(1), np.float64(0.0), np.array(True), [True], (), pd.NA]  # fmt: skip


@settings(PROPERTY, max_examples=120)
@given(name=st.sampled_from(sorted(FLAG_CALLS)), value=st.sampled_from(NOT_BOOLEANS))
def test_flags_that_are_not_booleans_are_refused_by_name(name: str, value: Any) -> None:
    flag = name.split()[-1]
    with pytest.raises(DataValidationError, match=f"{flag}: .* is not True or False") as info:
        quietly(lambda: FLAG_CALLS[name](value))
    assert info.value.field == flag


@pytest.mark.parametrize("name", sorted(FLAG_CALLS))
@pytest.mark.parametrize("value", [True, False])
def test_a_numpy_boolean_is_a_boolean(name: str, value: bool) -> None:
    plain, numpy = (outcome(lambda v=v: FLAG_CALLS[name](v)) for v in (value, np.bool_(value)))
    if isinstance(plain, BilateralTradeError):
        assert type(numpy) is type(plain) and str(numpy) == str(plain)
        return
    assert not isinstance(numpy, BilateralTradeError)
    assert numpy.to_dict() == plain.to_dict()
    options = dict(numpy.options)
    assert all(type(v) is bool for v in options.values() if isinstance(v, bool | np.bool_))


# ------------------------------------------------------- ties decided by rounding
@pytest.mark.parametrize("log", [True, False])
@pytest.mark.parametrize("demean", [True, False])
def test_placebo_ratios_equal_in_exact_arithmetic_tie_at_every_unit(
    log: bool, demean: bool
) -> None:
    """Donors 2y, 3y and 5y: the treated unit and its placebos have the same RMSPE ratio in
    exact arithmetic (their gaps are proportional), so rounding, which changes with the
    unit, must not rank them: the p-value is the same at every scale."""
    t = np.arange(1.0, 17.0)
    y0 = 3.0 * 1.1**t
    p_values = set()
    for k in range(-150, 150, 10):
        scale = 10.0**k
        y = annual(y0 * scale)
        donors = pd.DataFrame({"a": 2 * y, "b": 3 * y, "c": 5 * y}, index=y.index)
        got = quietly(
            lambda y=y, donors=donors: bt.synthetic_control(
                y, donors, event_at(10), log=log, demean=demean
            )
        )
        p_values.add(got.p_value)
    # every placebo used ties with the treated unit: all are at least as large, p = 1
    assert p_values == ({None} if log and demean else {1.0}), sorted(p_values, key=str)
