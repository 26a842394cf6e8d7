"""Reference values for synthetic control, from an independent solver (cvxpy + Clarabel).

Writes ``synthetic.json`` next to this script:

* ``problems``: simplex-constrained least squares ``min ||y - X w||² s.t. w >= 0, sum w = 1``
  on seeded random and constructed inputs, solved by cvxpy with the Clarabel interior-point
  solver at tight tolerances. ``weights`` are Clarabel's weights clipped at 0 and renormalised
  (a feasible point); ``objective`` is ``||y - X w||²`` at those weights; ``unique`` says
  whether the minimiser is unique (the donors with positive weight are affinely independent
  and every donor at zero has a strictly larger gradient), so that weights can be compared;
  otherwise only the objective and the fitted path ``X w`` are.
* ``pipelines``: whole synthetic-control analyses on seeded simulated panels, computed here
  with numpy and the cvxpy weights (not with bilateral_trade): weights, synthetic path,
  RMSPEs, average effect, lost trade, every in-space placebo ratio and the placebo p-value
  ``(1 + #{ratio_j >= ratio_treated}) / (1 + J)``.

Run from the repository root with cvxpy installed (``pip install cvxpy``):

    python tests/reference/make_synthetic.py
"""

from __future__ import annotations

import json
from importlib.metadata import version
from pathlib import Path
from typing import Any

import numpy as np

OUT = Path(__file__).with_name("synthetic.json")
TOL = {"tol_gap_abs": 1e-13, "tol_gap_rel": 1e-13, "tol_feas": 1e-13, "max_iter": 500}


def solve(X: np.ndarray, y: np.ndarray) -> np.ndarray:
    """Clarabel's minimiser, clipped at 0 and renormalised."""
    import cvxpy as cp  # here, so that the test run (which imports this file) needs no cvxpy

    J = X.shape[1]
    if J == 1:
        return np.ones(1)
    # the objective is unchanged by subtracting y from every column (the weights sum to 1)
    # and scaling it by a positive constant leaves the minimiser unchanged
    D = X - y[:, None]
    D = D / max(float(np.abs(D).max()), 1e-300)
    w = cp.Variable(J)
    prob = cp.Problem(cp.Minimize(cp.sum_squares(D @ w)), [w >= 0, cp.sum(w) == 1])
    prob.solve(solver=cp.CLARABEL, **TOL)
    assert prob.status == cp.OPTIMAL, prob.status
    out = np.clip(np.asarray(w.value, dtype=float), 0.0, None)
    return out / out.sum()


def objective(X: np.ndarray, y: np.ndarray, w: np.ndarray) -> float:
    r = y - X @ w
    return float(r @ r)


def is_unique(X: np.ndarray, y: np.ndarray, w: np.ndarray) -> bool:
    """Positive-weight donors affinely independent and strict complementarity at zeros."""
    pos = np.flatnonzero(w > 1e-9)
    if len(pos) > 1:
        B = X[:, pos[1:]] - X[:, [pos[0]]]
        if np.linalg.matrix_rank(B, tol=1e-8 * max(1.0, np.abs(B).max())) < len(pos) - 1:
            return False
    g = X.T @ (X @ w - y)
    lam = g[pos].mean()
    zero = np.setdiff1d(np.arange(X.shape[1]), pos)
    scale = max(1.0, float(np.abs(g).max()), float(np.linalg.norm(X, axis=0).max()) ** 2)
    return bool(np.all(g[zero] - lam > 1e-7 * scale))


def problems() -> list[dict[str, Any]]:
    rng = np.random.default_rng(20240611)
    cases: list[tuple[str, np.ndarray, np.ndarray]] = []

    X = rng.normal(size=(20, 5))
    cases.append(("outside_hull_T20_J5", X, X.mean(axis=1) + 3.0 + rng.normal(0, 0.3, 20)))

    X = rng.normal(size=(12, 8))
    w0 = np.array([0.5, 0.0, 0.3, 0.0, 0.0, 0.2, 0.0, 0.0])
    cases.append(("inside_with_noise_T12_J8", X, X @ w0 + rng.normal(0, 0.05, 12)))

    X = rng.normal(size=(10, 6))
    w0 = np.array([0.2, 0.0, 0.5, 0.0, 0.3, 0.0])
    cases.append(("exact_combination_T10_J6", X, X @ w0))

    X = rng.normal(size=(5, 12))
    cases.append(("more_donors_than_periods_T5_J12", X, X.max(axis=1) + 1.0))

    X = rng.normal(size=(9, 5))
    X[:, 3] = X[:, 0]
    cases.append(("duplicate_donors_T9_J5", X, 2.0 * X[:, 0] - X[:, 2] + rng.normal(0, 0.1, 9)))

    base = 20.0 + np.cumsum(rng.normal(0.05, 0.1, 15))
    X = base[:, None] + rng.normal(0, 0.3, (15, 10)) + rng.normal(0, 1.0, 10)
    cases.append(("log_trade_scale_T15_J10", X, X[:, :4] @ [0.1, 0.2, 0.3, 0.4] + 0.05))

    X = rng.normal(size=(8, 4))
    cases.append(("nearest_vertex_T8_J4", X, X[:, 2] + 5.0 * (X[:, 2] - X.mean(axis=1))))

    X = rng.normal(size=(40, 30))
    w0 = rng.dirichlet(np.ones(30) * 0.3)
    cases.append(("many_donors_T40_J30", X, X @ w0 + rng.normal(0, 0.2, 40)))

    X = rng.normal(size=(6, 1))
    cases.append(("single_donor_T6_J1", X, rng.normal(size=6)))

    out = []
    for name, X, y in cases:
        w = solve(X, y)
        out.append(
            {
                "name": name,
                "X": X.tolist(),
                "y": y.tolist(),
                "weights": w.tolist(),
                "objective": objective(X, y, w),
                "fitted": (X @ w).tolist(),
                "unique": is_unique(X, y, w),
            }
        )
    return out


def pipeline(name: str, seed: int, *, log: bool, demean: bool, effect: float) -> dict[str, Any]:
    """A simulated panel (factor model) and the whole analysis, by hand."""
    rng = np.random.default_rng(seed)
    n_pre, n_post, J = 16, 5, 12
    n = n_pre + n_post
    factors = np.cumsum(rng.normal(0.03, 0.08, (n, 2)), axis=0)
    loads = rng.uniform(0.2, 1.5, (2, J + 1))
    loads[:, 0] = loads[:, 1:5].mean(axis=1)
    levels = rng.normal(21.0, 1.0, J + 1)
    # log and demeaned: a small pair against big ones; otherwise a level the donors match
    levels[0] = 17.0 if demean and log else levels[1:5].mean()
    outcome = levels + factors @ loads + rng.normal(0, 0.04, (n, J + 1))
    outcome[n_pre:, 0] += effect
    values = np.exp(outcome) if log else np.exp(outcome) / 1e6
    y_raw, Y_raw = values[:, 0], values[:, 1:]
    y = np.log(y_raw) if log else y_raw
    Y = np.log(Y_raw) if log else Y_raw

    def fit(y1: np.ndarray, Y0: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        if demean:
            m1, m0 = y1[:n_pre].mean(), Y0[:n_pre].mean(axis=0)
            w = solve(Y0[:n_pre] - m0, y1[:n_pre] - m1)
            return w, m1 + (Y0 - m0) @ w
        w = solve(Y0[:n_pre], y1[:n_pre])
        return w, Y0 @ w

    def ratio(y1: np.ndarray, synth: np.ndarray) -> tuple[float, float, float]:
        gap = y1 - synth
        pre = float(np.sqrt(np.mean(gap[:n_pre] ** 2)))
        post = float(np.sqrt(np.mean(gap[n_pre:] ** 2)))
        return pre, post, post / pre

    w, synth = fit(y, Y)
    pre, post, r = ratio(y, synth)
    level = np.exp(synth) if log else synth
    placebo = {}
    for j in range(J):
        _, s_j = fit(Y[:, j], np.delete(Y, j, axis=1))
        placebo[f"d{j:02d}"] = ratio(Y[:, j], s_j)[2]
    ratios = np.array(list(placebo.values()))
    return {
        "name": name,
        "start": "2000",
        "frequency": "A",
        "event": str(2000 + n_pre),
        "log": log,
        "demean": demean,
        "treated": y_raw.tolist(),
        "donors": {f"d{j:02d}": Y_raw[:, j].tolist() for j in range(J)},
        "weights": dict(zip([f"d{j:02d}" for j in range(J)], w.tolist(), strict=True)),
        "synthetic": level.tolist(),
        "rmspe_pre": pre,
        "rmspe_post": post,
        "rmspe_ratio": r,
        "average_effect": float(np.mean((y - synth)[n_pre:])),
        "lost": float(np.sum(level[n_pre:] - y_raw[n_pre:])),
        "placebo_ratios": placebo,
        "p_value": float((1 + np.sum(ratios >= r)) / (1 + J)),
    }


def main() -> None:
    data = {
        "generator": "tests/reference/make_synthetic.py",
        "solver": f"cvxpy {version('cvxpy')} with Clarabel {version('clarabel')}, {TOL}",
        "problems": problems(),
        "pipelines": [
            pipeline("log_demeaned_effect", 11, log=True, demean=True, effect=-0.5),
            pipeline("log_no_effect", 12, log=True, demean=True, effect=0.0),
            pipeline("log_not_demeaned", 13, log=True, demean=False, effect=-0.3),
            pipeline("levels_demeaned", 14, log=False, demean=True, effect=-0.4),
        ],
    }
    OUT.write_text(json.dumps(data, indent=1) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
