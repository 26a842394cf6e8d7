"""synthetic_control and its weight solver against cvxpy/Clarabel references and scipy."""

from __future__ import annotations

import json
import math
import warnings
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy.optimize import Bounds, LinearConstraint, minimize

import bilateral_trade as bt
from bilateral_trade import DataQualityWarning, DataValidationError, InsufficientDataError
from bilateral_trade.stats.synthetic import SyntheticControlResult, simplex_lstsq, synthetic_control

REF = json.loads((Path(__file__).parent / "reference" / "synthetic.json").read_text())
PROBLEMS = {p["name"]: p for p in REF["problems"]}


# ----------------------------------------------------------------------------- helpers
def objective(X: np.ndarray, y: np.ndarray, w: np.ndarray) -> float:
    r = y - X @ w
    return float(r @ r)


def assert_kkt(X: np.ndarray, y: np.ndarray, w: np.ndarray, rtol: float = 1e-9) -> None:
    """w >= 0, sum w = 1, g_j = λ where w_j > 0 and g_j >= λ where w_j = 0."""
    g = X.T @ (X @ w - y)
    scale = float(np.linalg.norm(X, axis=0).max()) * (
        float(np.linalg.norm(X, axis=0).max()) + float(np.linalg.norm(y))
    )
    tol = rtol * max(scale, 1.0)
    assert (w >= 0).all()
    assert abs(w.sum() - 1.0) < 1e-12
    pos = w > 0
    assert pos.any()
    lam = float(np.mean(g[pos]))
    np.testing.assert_allclose(g[pos], lam, rtol=0, atol=tol)
    assert (g[~pos] >= lam - tol).all(), (g[~pos] - lam).min()


def slsqp(X: np.ndarray, y: np.ndarray) -> np.ndarray:
    """scipy's SLSQP at tight tolerances: the second, generic solver."""
    J = X.shape[1]
    P, q = X.T @ X, X.T @ y
    res = minimize(
        lambda w: 0.5 * w @ P @ w - q @ w,
        np.full(J, 1.0 / J),
        jac=lambda w: P @ w - q,
        bounds=Bounds(np.zeros(J), np.ones(J)),
        constraints=[LinearConstraint(np.ones((1, J)), 1.0, 1.0)],
        method="SLSQP",
        options={"ftol": 1e-15, "maxiter": 2000},
    )
    w = np.clip(res.x, 0.0, None)
    return np.asarray(w / w.sum())


def simulate(
    seed: int, effect: float, *, J: int = 15, n_pre: int = 20, n_post: int = 6
) -> tuple[pd.Series, pd.DataFrame]:
    """Log trade values from a 3-factor model; the treated unit (a small pair, level 17 against
    donors near 20) loads on the factors as a convex combination of four donors, and falls by
    ``effect`` log points from the first post period."""
    rng = np.random.default_rng(seed)
    n = n_pre + n_post
    factors = np.cumsum(rng.normal(0.02, 0.1, (n, 3)), axis=0)
    loads = rng.uniform(0.0, 1.5, (3, J))
    donors = rng.normal(20.0, 1.5, J) + factors @ loads + rng.normal(0, 0.03, (n, J))
    pick = rng.choice(J, 4, replace=False)
    treated = 17.0 + factors @ (loads[:, pick] @ rng.dirichlet(np.ones(4)))
    treated = treated + rng.normal(0, 0.03, n)
    treated[n_pre:] += effect
    idx = pd.period_range("2000", periods=n, freq="Y")
    return (
        pd.Series(np.exp(treated), idx, name="treated"),
        pd.DataFrame(np.exp(donors), idx, columns=[f"d{j:02d}" for j in range(J)]),
    )


def small_panel(n: int = 12, J: int = 6, seed: int = 3) -> tuple[pd.Series, pd.DataFrame]:
    """Positive level data with a treated path inside the donors' range (no warning)."""
    rng = np.random.default_rng(seed)
    idx = pd.period_range("2005", periods=n, freq="Y")
    logs = 10 + np.cumsum(rng.normal(0.02, 0.1, (n, J)), axis=0) + np.linspace(-0.5, 0.5, J)
    treated = logs[:, :3].mean(axis=1) + rng.normal(0, 0.01, n)
    return (
        pd.Series(np.exp(treated), idx, name="treated"),
        pd.DataFrame(np.exp(logs), idx, columns=list("abcdefghij"[:J])),
    )


# ----------------------------------------------------------------------------- solver
@pytest.mark.parametrize("name", sorted(PROBLEMS))
def test_solver_against_cvxpy_clarabel(name: str) -> None:
    case = PROBLEMS[name]
    X, y = np.asarray(case["X"]), np.asarray(case["y"])
    w = simplex_lstsq(X, y)
    assert_kkt(X, y, w)
    ref_obj = case["objective"]
    # not above the interior-point solver's objective (at its clipped, renormalised weights)
    assert objective(X, y, w) <= ref_obj + 1e-12 * max(1.0, ref_obj)
    np.testing.assert_allclose(X @ w, case["fitted"], rtol=0, atol=1e-6)
    if case["unique"] and name != "exact_combination_T10_J6":
        np.testing.assert_allclose(w, case["weights"], rtol=0, atol=1e-8)


def test_exact_convex_combination_recovered_to_machine_precision() -> None:
    case = PROBLEMS["exact_combination_T10_J6"]
    X, y = np.asarray(case["X"]), np.asarray(case["y"])
    truth = np.array([0.2, 0.0, 0.5, 0.0, 0.3, 0.0])  # the script's construction
    w = simplex_lstsq(X, y)
    np.testing.assert_allclose(w, truth, rtol=0, atol=1e-12)
    assert objective(X, y, w) < 1e-24
    # Clarabel stops near the degenerate optimum (zero loss): agreement to its accuracy only
    np.testing.assert_allclose(w, case["weights"], rtol=0, atol=1e-6)


@pytest.mark.parametrize("seed", range(5))
def test_known_construction_random(seed: int) -> None:
    rng = np.random.default_rng(seed)
    T, J = 15, 9
    X = rng.normal(size=(T, J)) + 25.0  # log-trade-like level
    truth = np.zeros(J)
    idx = rng.choice(J, 4, replace=False)
    truth[idx] = rng.dirichlet(np.ones(4))
    w = simplex_lstsq(X, X @ truth)
    np.testing.assert_allclose(w, truth, rtol=0, atol=1e-11)


def test_single_donor_and_nearest_vertex() -> None:
    X = np.array([[1.0], [2.0], [3.0]])
    assert simplex_lstsq(X, np.array([5.0, -1.0, 0.0])).tolist() == [1.0]
    X = np.array([[0.0, 1.0, 0.0], [0.0, 0.0, 1.0]])
    np.testing.assert_allclose(simplex_lstsq(X, np.array([-1.0, -2.0])), [1, 0, 0], atol=1e-15)
    # projection onto the edge between the second and third vertices
    np.testing.assert_allclose(simplex_lstsq(X, np.array([1.0, 1.0])), [0.0, 0.5, 0.5], atol=1e-15)


def test_duplicate_donors_first_takes_the_weight() -> None:
    """Ties are broken by column order (documented): duplicates never share."""
    case = PROBLEMS["duplicate_donors_T9_J5"]
    X, y = np.asarray(case["X"]), np.asarray(case["y"])
    w = simplex_lstsq(X, y)
    assert_kkt(X, y, w)
    assert w[3] == 0.0 and w[0] > 0
    np.testing.assert_allclose(w[0], case["weights"][0] + case["weights"][3], atol=1e-8)


def test_treated_inside_hull_with_more_donors_than_periods() -> None:
    rng = np.random.default_rng(9)
    X = rng.normal(size=(4, 20))
    y = X @ rng.dirichlet(np.ones(20))  # inside the hull: many exact minimisers
    w = simplex_lstsq(X, y)
    assert objective(X, y, w) < 1e-25
    assert (w > 0).sum() <= 5  # a basic solution: at most T + 1 positive weights
    assert_kkt(X, y, w)


def test_solver_refuses_bad_input() -> None:
    with pytest.raises(DataValidationError, match="2-D"):
        simplex_lstsq(np.ones(3), np.ones(3))
    with pytest.raises(DataValidationError, match="one per row"):
        simplex_lstsq(np.ones((3, 2)), np.ones(4))
    with pytest.raises(DataValidationError, match="finite"):
        simplex_lstsq(np.array([[1.0, np.nan]]), np.ones(1))


@settings(max_examples=150, deadline=None)
@given(
    st.integers(0, 2**32 - 1),
    st.integers(2, 25),
    st.integers(1, 15),
    st.sampled_from(["outside", "inside", "collinear", "level"]),
)
def test_kkt_and_not_worse_than_slsqp(seed: int, T: int, J: int, kind: str) -> None:
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(T, J))
    if kind == "outside":
        y = X.max(axis=1) + rng.uniform(0.1, 2.0)
    elif kind == "inside":
        y = X @ rng.dirichlet(np.ones(J)) + rng.normal(0, 0.05, T)
    elif kind == "collinear":
        if J > 2:
            X[:, -1] = 0.5 * X[:, 0] + 0.5 * X[:, 1]
            X[:, -2] = X[:, 0]
        y = rng.normal(size=T)
    else:
        X = X + 22.0
        y = X[:, 0] + rng.normal(0, 0.5, T)
    w = simplex_lstsq(X, y)
    assert_kkt(X, y, w)
    f, f_ref = objective(X, y, w), objective(X, y, slsqp(X, y))
    assert f <= f_ref + 1e-12 * max(1.0, f_ref)


@pytest.mark.parametrize("name", ["outside_hull_T20_J5", "many_donors_T40_J30"])
def test_slsqp_agrees_on_unique_problems(name: str) -> None:
    case = PROBLEMS[name]
    X, y = np.asarray(case["X"]), np.asarray(case["y"])
    np.testing.assert_allclose(simplex_lstsq(X, y), slsqp(X, y), rtol=0, atol=1e-6)


# ----------------------------------------------------------------------------- analysis
@pytest.mark.parametrize("case", REF["pipelines"], ids=[p["name"] for p in REF["pipelines"]])
def test_pipeline_against_independent_computation(case: dict[str, Any]) -> None:
    idx = pd.period_range(case["start"], periods=len(case["treated"]), freq="Y")
    y = pd.Series(case["treated"], index=idx, name="treated")
    donors = pd.DataFrame(case["donors"], index=idx)
    r = synthetic_control(y, donors, int(case["event"]), log=case["log"], demean=case["demean"])
    ref_w = pd.Series(case["weights"])
    np.testing.assert_allclose(r.weights[ref_w.index], ref_w, rtol=0, atol=1e-8)
    np.testing.assert_allclose(r.path["synthetic"], case["synthetic"], rtol=1e-8)
    np.testing.assert_allclose(r.rmspe_pre, case["rmspe_pre"], rtol=1e-8)
    np.testing.assert_allclose(r.rmspe_post, case["rmspe_post"], rtol=1e-8)
    np.testing.assert_allclose(r.rmspe_ratio, case["rmspe_ratio"], rtol=1e-8)
    np.testing.assert_allclose(r.average_effect, case["average_effect"], rtol=1e-8)
    np.testing.assert_allclose(r.lost.estimate, case["lost"], rtol=1e-8)
    assert r.placebos is not None
    ratios = r.placebos.set_index("unit")["ratio"]
    ref_r = pd.Series(case["placebo_ratios"])
    np.testing.assert_allclose(ratios[ref_r.index], ref_r, rtol=1e-7)
    assert (r.placebos["status"] == "used").all()
    assert r.p_value == pytest.approx(case["p_value"], rel=1e-15)


def test_simulated_effect_is_recovered_with_smallest_p_value() -> None:
    for seed in range(8):
        y, donors = simulate(seed, -0.5)
        r = synthetic_control(y, donors, 2020, demean=True)
        # 6 post periods with noise s.d. 0.03 per unit: error well below 0.1 log points
        assert abs(r.average_effect - (-0.5)) < 0.1, (seed, r.average_effect)
        assert r.relative_effect is not None
        assert r.relative_effect.estimate == pytest.approx(math.expm1(r.average_effect))
        assert r.relative_effect.p_value == r.p_value  # the in-space placebo p-value
        assert all(math.isnan(b) for b in (*r.relative_effect.ci, r.relative_effect.std_error))
        assert r.p_value == pytest.approx(1 / 16) and r.smallest_p_value == pytest.approx(1 / 16)
        assert r.n_placebos == 15
        assert r.lost.estimate > 0


def test_no_effect_gives_placebo_p_values_that_are_not_small() -> None:
    ps = []
    for seed in range(20):
        y, donors = simulate(seed, 0.0)
        r = synthetic_control(y, donors, 2020, demean=True)
        assert abs(r.average_effect) < 0.1
        assert r.p_value is not None
        ps.append(r.p_value)
    # under the null the p-value is roughly uniform on {1/16, ..., 1}
    assert np.mean(np.array(ps) <= 0.1) <= 0.2
    assert np.median(ps) > 0.3


@pytest.mark.parametrize(("log", "demean"), [(True, True), (True, False), (False, True)])
def test_scaling_all_series_leaves_weights_unchanged(log: bool, demean: bool) -> None:
    y, donors = simulate(4, -0.3, J=8, n_pre=15, n_post=4)
    if not demean:  # a treated level the donors can match
        y = pd.Series(donors.iloc[:, :3].mean(axis=1).to_numpy() * 1.01, y.index, name="t")
    r1 = synthetic_control(y, donors, 2015, log=log, demean=demean, placebo=False)
    r2 = synthetic_control(y * 1000.0, donors * 1000.0, 2015, log=log, demean=demean, placebo=False)
    np.testing.assert_allclose(r2.weights, r1.weights, rtol=0, atol=1e-10)
    np.testing.assert_allclose(r2.path["synthetic"], 1000.0 * r1.path["synthetic"], rtol=1e-9)
    np.testing.assert_allclose(r2.lost.estimate, 1000.0 * r1.lost.estimate, rtol=1e-8)


PIPELINES = {p["name"]: p for p in REF["pipelines"]}


def _reference_case(name: str, factor: float) -> tuple[pd.Series, pd.DataFrame, int]:
    case = PIPELINES[name]
    idx = pd.period_range(case["start"], periods=len(case["treated"]), freq="Y")
    y = pd.Series(case["treated"], index=idx, name="treated") * factor
    return y, pd.DataFrame(case["donors"], index=idx) * factor, int(case["event"])


def _assert_scaled(r: SyntheticControlResult, base: SyntheticControlResult, k: float) -> None:
    """``r`` is ``base`` in a unit ``k`` times smaller: weights and ratios equal, levels scaled."""
    np.testing.assert_allclose(r.weights, base.weights, rtol=0, atol=1e-12)
    assert r.p_value == base.p_value
    np.testing.assert_allclose(r.rmspe_ratio, base.rmspe_ratio, rtol=1e-10)
    for name in ("rmspe_pre", "rmspe_post", "average_effect"):
        np.testing.assert_allclose(getattr(r, name), getattr(base, name) * k, rtol=1e-10)
    np.testing.assert_allclose(r.lost.estimate, base.lost.estimate * k, rtol=1e-10)
    for col in ("synthetic", "gap", "outcome_gap"):
        np.testing.assert_allclose(r.path[col], base.path[col] * k, rtol=1e-9, atol=0)
    assert r.placebos is not None and base.placebos is not None
    assert r.placebos["status"].tolist() == base.placebos["status"].tolist()
    np.testing.assert_allclose(r.placebos["ratio"], base.placebos["ratio"], rtol=1e-9)
    np.testing.assert_allclose(r.placebos["rmspe_pre"], base.placebos["rmspe_pre"] * k, rtol=1e-9)


@pytest.mark.parametrize(
    ("name", "demean"), [("levels_demeaned", True), ("log_not_demeaned", False)]
)
@pytest.mark.parametrize("power", [-200, -100, 0, 100, 200])
def test_levels_in_any_unit_give_the_same_weights(name: str, demean: bool, power: int) -> None:
    # the outcome and the donors are rescaled internally by a power of two (exact): at 1e200
    # the squared gaps would overflow, at 1e-200 underflow; the fit is the same as at 1
    y, donors, event = _reference_case(name, 1.0)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DataQualityWarning)  # the same caveats at every scale
        base = synthetic_control(y, donors, event, log=False, demean=demean)
        with warnings.catch_warnings():
            warnings.simplefilter("error", RuntimeWarning)  # no overflow, no underflow
            r = synthetic_control(
                y * 10.0**power, donors * 10.0**power, event, log=False, demean=demean
            )
    _assert_scaled(r, base, 10.0**power)
    if name == "levels_demeaned":  # the reference values hold at every scale
        case = PIPELINES[name]
        np.testing.assert_allclose(r.rmspe_pre, case["rmspe_pre"] * 10.0**power, rtol=1e-8)
        np.testing.assert_allclose(r.p_value, case["p_value"], rtol=1e-15)


@pytest.mark.parametrize("power", [-660, -3, 0, 5, 660])
def test_scaling_by_a_power_of_two_changes_nothing_but_the_unit(power: int) -> None:
    y, donors, event = _reference_case("levels_demeaned", 1.0)
    base = synthetic_control(y, donors, event, log=False, demean=True)
    k = 2.0**power
    r = synthetic_control(y * k, donors * k, event, log=False, demean=True)
    assert r.weights.tolist() == base.weights.tolist()  # bit for bit
    assert (r.rmspe_pre, r.rmspe_post, r.rmspe_ratio, r.p_value) == (
        base.rmspe_pre * k,
        base.rmspe_post * k,
        base.rmspe_ratio,
        base.p_value,
    )
    assert r.path["synthetic"].tolist() == (base.path["synthetic"] * k).tolist()


@pytest.mark.parametrize("name", sorted(PROBLEMS))
@pytest.mark.parametrize("power", [-300, -200, 200, 300])
def test_simplex_lstsq_is_the_same_in_any_unit(name: str, power: int) -> None:
    X, y = np.asarray(PROBLEMS[name]["X"]), np.asarray(PROBLEMS[name]["y"])
    w = simplex_lstsq(X, y)
    np.testing.assert_allclose(simplex_lstsq(X * 10.0**power, y * 10.0**power), w, atol=1e-12)
    exact = 2.0 ** (power * 3)  # 2^±900 .. 2^±600: a power of two changes no bit
    assert simplex_lstsq(X * exact, y * exact).tolist() == w.tolist()


def test_result_tables_and_dict() -> None:
    y, donors = simulate(1, -0.5)
    r = synthetic_control(y, donors, 2020, demean=True)
    assert isinstance(r, SyntheticControlResult)
    assert list(r.weights.index) == list(donors.columns)
    path = r.to_frame()
    assert list(path.columns) == [
        "actual",
        "synthetic",
        "counterfactual",
        "gap",
        "outcome",
        "synthetic_outcome",
        "outcome_gap",
        "post",
    ]
    np.testing.assert_array_equal(path["counterfactual"], path["synthetic"])
    np.testing.assert_allclose(path["actual"], y.to_numpy())
    np.testing.assert_allclose(path["gap"], path["actual"] - path["synthetic"])
    np.testing.assert_allclose(path["synthetic"], np.exp(path["synthetic_outcome"]))
    np.testing.assert_allclose(path["outcome_gap"], path["outcome"] - path["synthetic_outcome"])
    assert path["post"].sum() == 6 and path.index[path["post"]][0] == pd.Period("2020", "Y")
    # demeaned: the synthetic outcome has the treated unit's pre-period mean
    pre = ~path["post"]
    assert path.loc[pre, "outcome_gap"].mean() == pytest.approx(0.0, abs=1e-12)
    post = path[path["post"]]
    assert r.lost.estimate == pytest.approx(float((post["synthetic"] - post["actual"]).sum()))
    assert r.lost.std_error is None and r.lost.ci is None
    assert (str(r.lost.start), str(r.lost.end)) == ("2020", "2025")
    gaps = path["outcome_gap"].to_numpy()
    assert r.rmspe_pre == pytest.approx(math.sqrt(np.mean(gaps[:20] ** 2)))
    assert r.rmspe_ratio == pytest.approx(r.rmspe_post / r.rmspe_pre)
    assert r.average_effect == pytest.approx(gaps[20:].mean())
    d = r.to_dict()
    json.dumps(d, allow_nan=False)
    assert d["p_value"] == pytest.approx(1 / 16) and d["smallest_p_value"] == pytest.approx(1 / 16)
    assert d["lost"]["ci"] is None
    assert set(d["weights"]) == set(donors.columns)
    assert d["options"]["demean"] is True and d["options"]["n_pre"] == 20
    text = str(r.summary())
    assert "1/16" in text and "weights above 0.001" in text and "no sampling interval" in text
    shown = [w for w in r.weights if w > 0.001]
    assert text.count("\n    d") == len(shown)


def test_trade_panel_donors_and_trade_event() -> None:
    y, donors = simulate(2, -0.5, J=4, n_pre=12, n_post=3)
    partners = ["MNG", "VNM", "LAO", "KHM"]
    rows = [
        {"reporter": "CHN", "partner": p, "flow": "total", "product": "TOTAL", "period": per,
         "value": v}
        for p, col in zip(partners, donors.columns, strict=True)
        for per, v in donors[col].items()
    ]  # fmt: skip
    panel = bt.TradePanel(pd.DataFrame(rows), source="simulated")
    treated = bt.TradeSeries(y, reporter="CHN", partner="PRK", flow="total")
    event = bt.TradeEvent(
        date="2011-06-30", kind="sanctions_resolution", label="x", reference="test event"
    )
    with pytest.warns(DataQualityWarning, match="smallest attainable placebo p-value is 1/5"):
        r = synthetic_control(treated, panel, event, demean=True)
    assert r.event_periods == (pd.Period("2012", "Y"),) and r.event_labels == ("test event",)
    assert list(r.weights.index) == [f"CHN→{p} total TOTAL" for p in partners]
    assert r.label == "CHN→PRK total TOTAL" and r.unit == "USD"
    plain = synthetic_control(y, donors, 2012, demean=True, placebo=False)
    np.testing.assert_allclose(r.weights.to_numpy(), plain.weights.to_numpy(), atol=1e-14)
    assert plain.placebos is None and plain.p_value is None
    assert "not computed" in str(plain.summary())


def test_default_window_is_the_common_span() -> None:
    y, donors = small_panel(n=14)
    donors.loc[donors.index[:2], "a"] = np.nan  # donor a starts two years later
    y_short = y.iloc[:-1]  # treated ends a year earlier
    # the donor that shortens the window is named (issue 18 item 23); the treated series' own
    # end is not a donor's doing
    with pytest.warns(bt.DataQualityWarning, match="donor 'a' starts in 2007") as caught:
        r = synthetic_control(y_short, donors, 2013, placebo=False)
    assert "not the treated series' 2005–2017" in str(caught[0].message)
    assert "end in" not in str(caught[0].message)
    assert (r.options["pre"], r.options["post"]) == ("2007", "2017")
    assert r.nobs == 11
    # a DatetimeIndex is accepted
    dt = donors.set_axis(donors.index.to_timestamp(), axis=0)
    with pytest.warns(bt.DataQualityWarning, match="donor 'a' starts in 2007"):
        r2 = synthetic_control(y_short, dt, 2013, placebo=False)
    np.testing.assert_allclose(r2.weights, r.weights, atol=0)


# ----------------------------------------------------------------------------- placebos
def test_placebo_with_exact_pre_fit_is_excluded() -> None:
    y, donors = simulate(5, -0.5, J=8, n_pre=15, n_post=4)
    logs = np.log(donors)
    donors["combo"] = np.exp(0.5 * logs["d00"] + 0.5 * logs["d01"])  # exact in every period
    r = synthetic_control(y, donors, 2015, demean=True)
    assert r.placebos is not None
    row = r.placebos.set_index("unit").loc["combo"]
    assert row["status"].startswith("excluded: exact pre-period fit")
    assert r.n_placebos == 8
    used = r.placebos[r.placebos["status"] == "used"]
    expected = (1 + int((used["ratio"] >= r.rmspe_ratio).sum())) / 9
    assert r.p_value == pytest.approx(expected)
    assert "excluded as placebos" in str(r.summary())


def test_exact_treated_fit_has_no_p_value() -> None:
    _, donors = small_panel()
    logs = np.log(donors)
    y = np.exp(0.25 * logs["a"] + 0.75 * logs["c"] - 0.2 * (donors.index >= pd.Period("2012")))
    r = synthetic_control(y.rename("t"), donors, 2012)
    assert r.rmspe_pre < 1e-12
    assert r.p_value is None and "exact" in r.p_value_note
    assert r.to_dict()["p_value"] is None
    np.testing.assert_allclose(r.weights.to_numpy(), [0.25, 0, 0.75, 0, 0, 0], atol=1e-12)
    assert r.average_effect == pytest.approx(-0.2, abs=1e-12)


def test_single_donor() -> None:
    _, donors = small_panel()
    y = donors["b"] * np.exp(np.random.default_rng(1).normal(0, 0.01, len(donors)))
    with pytest.warns(DataQualityWarning, match="only 0 usable placebo"):
        r = synthetic_control(y.rename("t"), donors[["b"]], 2012, demean=True)
    assert r.weights.tolist() == [1.0] and r.p_value is None
    assert r.placebos is not None and r.placebos["status"][0].startswith("excluded: no other")


# ----------------------------------------------------------------------------- warnings
def test_poor_fit_warns() -> None:
    # every donor grows by 10% a year, the treated pair shrinks by 10% a year: the demeaned
    # synthetic path fits worse than the treated unit's own pre-period mean
    y, donors = small_panel()
    t = np.arange(len(y))
    rising = donors * np.exp(0.1 * t)[:, None]
    falling = pd.Series(np.exp(10 - 0.1 * t), y.index, name="falling")
    with pytest.warns(DataQualityWarning, match="pre-period RMSPE .* exceeds the standard dev"):
        synthetic_control(falling, rising, 2012, demean=True, placebo=False)


def test_level_outside_donor_range_suggests_demean() -> None:
    y, donors = small_panel()
    with pytest.warns(DataQualityWarning, match="demean=True") as rec:
        synthetic_control(y / 100.0, donors, 2012, placebo=False)
    assert any("outside the donors' range" in str(w.message) for w in rec)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        synthetic_control(y / 100.0, donors, 2012, demean=True, placebo=False)


def test_few_donors_warn_only_with_placebos() -> None:
    y, donors = small_panel(J=4)
    with pytest.warns(DataQualityWarning, match="1/5 = 0.2"):
        synthetic_control(y, donors, 2012)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        synthetic_control(y, donors, 2012, placebo=False)


# ----------------------------------------------------------------------------- bad input
def test_too_few_pre_periods() -> None:
    y, donors = small_panel()
    with pytest.raises(InsufficientDataError, match="at least 2 pre-event periods"):
        synthetic_control(y, donors, 2006)


@pytest.mark.parametrize("event", [2005, 2020, "1999"])
def test_event_outside_or_at_start_of_window(event: Any) -> None:
    y, donors = small_panel()
    with pytest.raises(DataValidationError, match="event") as exc:
        synthetic_control(y, donors, event)
    assert exc.value.field == "event"


def test_bad_donors() -> None:
    y, donors = small_panel()
    cases: list[tuple[Any, str]] = [
        (donors.iloc[:, :0], "no donor"),
        (donors.to_numpy(), "TradePanel or a wide pandas DataFrame"),
        (donors.set_axis(["a", "b", "a", "d", "e", "f"], axis=1), "duplicate donor names 'a'"),
        (donors.reset_index(drop=True), "PeriodIndex or DatetimeIndex"),
        (donors.set_axis(pd.period_range("2005Q1", periods=12, freq="Q"), axis=0), "quarterly"),
        (donors.assign(treated=1.0), "'treated' is the treated series"),
        (donors.assign(copy=y.to_numpy()), "'copy' is the treated series"),
        (donors.assign(g=-1.0), "'g' has infinite or negative values"),
        (donors.assign(g=np.nan), "no value at all for 'g'"),
        (donors.astype(object).assign(g="x"), r"donors: .x. at 2005 \(donor .g.\) is not a number"),
    ]
    for bad, message in cases:
        with pytest.raises(DataValidationError, match=message) as exc:
            synthetic_control(y, bad, 2012)
        assert exc.value.field == "donors", message


def test_missing_and_non_positive_donor_values_are_named() -> None:
    y, donors = small_panel()
    gap = donors.copy()
    gap.loc[pd.Period("2009", "Y"), "c"] = np.nan
    with pytest.raises(DataValidationError, match=r"'c' at 2009") as exc:
        synthetic_control(y, gap, 2012)
    assert exc.value.value == {"c": ["2009"]}
    zero = donors.copy()
    zero.loc[pd.Period("2014", "Y"), "e"] = 0.0
    with pytest.raises(DataValidationError, match=r"log=True needs positive values.*'e' at 2014"):
        synthetic_control(y, zero, 2012)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DataQualityWarning)
        r = synthetic_control(y, zero, 2012, log=False)
    assert r.relative_effect is None
    # a window reaching before a donor's data
    with pytest.raises(DataValidationError, match=r"'c' at 2009") as exc:
        synthetic_control(y, gap, 2012, pre=2008)
    with pytest.raises(DataValidationError, match=r"treated: treated has no value at 2003, 2004"):
        synthetic_control(y, donors, 2012, pre=2003)


def test_treated_gaps_units_and_events() -> None:
    y, donors = small_panel()
    values = y.copy()
    values.iloc[3] = np.nan
    gappy = bt.TradeSeries(values, reporter="CHN", partner="PRK", flow="total", gaps="keep")
    with pytest.raises(DataValidationError, match="no value at 2008") as exc:
        synthetic_control(gappy, donors, 2012)
    assert exc.value.field == "treated"
    with pytest.raises(DataValidationError, match="one event"):
        synthetic_control(y, donors, [2012, 2013])
    rows = [
        {"reporter": "CHN", "partner": "MNG", "flow": "total", "product": "TOTAL", "period": p,
         "value": v}
        for p, v in donors["a"].items()
    ]  # fmt: skip
    eur = bt.TradePanel(pd.DataFrame(rows), unit="EUR")
    treated = bt.TradeSeries(y, reporter="CHN", partner="PRK", flow="total")
    with pytest.raises(
        DataValidationError, match="donors: the unit is EUR, the unit of the treated series is USD"
    ):
        synthetic_control(treated, eur, 2012)
    same = bt.TradePanel(
        pd.DataFrame([{**r, "partner": "PRK"} for r in rows]).assign(value=y.to_numpy())
    )
    with pytest.raises(DataValidationError, match="is the treated series"):
        synthetic_control(treated, same, 2012)
    with pytest.raises(DataValidationError, match="share no period"):
        synthetic_control(y, donors, 2012, pre=2014, post=2010)


def test_donor_errors_name_the_donor() -> None:
    """Issue 18 item 23: donor errors name the donor, and so does a shortened window."""
    y, donors = small_panel(n=14)
    flagged = donors.assign(b=True)
    with pytest.raises(bt.DataValidationError, match="values of donor 'b' are booleans"):
        synthetic_control(y, flagged, 2013, placebo=False)
    with pytest.raises(bt.DataValidationError, match="values of donor 'b' are complex"):
        synthetic_control(y, donors.assign(b=donors["b"] + 1j), 2013, placebo=False)
    cell = donors.astype(object)
    cell.iloc[3, 1] = pd.NA  # missing, not "not a number"
    with pytest.raises(bt.DataValidationError, match=r"for 'b' at 2008") as info:
        synthetic_control(y, cell, 2013, placebo=False)
    assert "not a number" not in str(info.value)
    late = donors.copy()
    late.loc[late.index[:9], "a"] = np.nan  # donor a starts in 2014: after the event
    with (
        pytest.warns(bt.DataQualityWarning, match="donor 'a' starts in 2014"),
        pytest.raises(bt.DataValidationError, match="donor 'a' starts in 2014") as info,
    ):
        synthetic_control(y, late, 2013, placebo=False)
    assert "outside the window 2014 to 2018" in str(info.value)
    early = donors.copy()
    early.loc[early.index[-8:], ["a", "b"]] = np.nan  # both end in 2010
    with (
        pytest.warns(bt.DataQualityWarning),
        pytest.raises(bt.DataValidationError, match="donors 'a', 'b' end in 2010"),
    ):
        synthetic_control(y, early, 2013, placebo=False)
