"""Reference values for structural gravity (PPML), from statsmodels' GLM Poisson with dummies.

Writes ``gravity.json`` next to this script. Everything here is independent of
bilateral_trade: the panel is simulated with numpy, the sanction dummies are built by this
script's own reading of the rule, observations PPML cannot use are dropped by this script's
own loop, and the model is fitted by ``statsmodels.GLM(family=Poisson())`` with explicit
fixed-effect dummies (a full-rank subset of them, chosen by QR with column pivoting).

The rule (as documented for ``bt.gravity``):

* a measure in a table binds its sanctioning countries and its target(s): flows from a
  sanctioning country to a target and from a target to a sanctioning country;
* a UN sanctions resolution in a catalog binds the target and every UN member (countries
  that are not UN members, such as Hong Kong, Macao and Taiwan, are not bound);
* a period is treated when the measure is in force for the whole of it (the first period
  that starts on or after the first day, to the last period that ends on or before the last
  day; years in a table are inclusive);
* measures feeding one variable are combined by "any is in force".

Dropped before fitting, repeatedly until none is left: observations in a fixed-effect group
whose flows are all zero, then singletons of any fixed effect.

Standard errors: statsmodels' cluster-robust covariance without its correction
(``use_correction=False``) multiplied by ``G/(G - 1)``, ``G`` the number of clusters, i.e.
CR1 with the cluster factor only (no ``(N - 1)/(N - K)``). Intervals and p-values are normal
(z). Lost trade: ``sum over treated of mu * (exp(-b'S) - 1)`` with the delta-method variance
``g'Vg``, ``g = -sum mu * exp(-b'S) * S``, from statsmodels' fitted values.

Run from the repository root (statsmodels, scipy and numpy installed; takes a few minutes):

    python tests/reference/make_gravity.py
"""

from __future__ import annotations

import datetime as dt
import json
from importlib.metadata import version
from pathlib import Path
from typing import Any

import numpy as np
import scipy.linalg as sla
from scipy import stats

OUT = Path(__file__).with_name("gravity.json")

# 20 countries: the target, UN members, and three economies that are not UN members
COUNTRIES = [
    "PRK", "USA", "JPN", "KOR", "GBR", "FRA", "DEU", "CAN", "AUS", "ITA",
    "NLD", "CHN", "IND", "BRA", "RUS", "MEX", "SGP", "HKG", "MAC", "TWN",
]  # fmt: skip
NOT_UN = {"HKG", "MAC", "TWN"}
YEARS = list(range(2000, 2008))

# A GSDB-like table: sanctioning, target, start, end, kind (years inclusive; None: open-ended)
MEASURES = [
    {"sanctioning": "USA", "target": "PRK", "start": 2003, "end": None, "kind": "trade"},
    {"sanctioning": "JPN;KOR", "target": "PRK", "start": 2004, "end": None, "kind": "trade"},
    {"sanctioning": "GBR", "target": "PRK", "start": 2002, "end": 2005, "kind": "trade"},
    {"sanctioning": "FRA", "target": "RUS", "start": 2005, "end": None, "kind": "financial"},
    {"sanctioning": "DEU;ITA;NLD", "target": "RUS", "start": 2004, "end": 2006, "kind": "financial"},
    {"sanctioning": "CAN", "target": "RUS", "start": "2003-01-01", "end": "2006-06-30", "kind": "financial"},
    {"sanctioning": "AUS", "target": "PRK", "start": "2003-07-01", "end": None, "kind": "financial"},
]  # fmt: skip
TRUE = {"trade": -0.7, "financial": -0.3}

# An event catalog: two UN resolutions on the target, a national step without a sanctioning
# country and a veto (both left out by the rule)
EVENTS = [
    {"reference": "UNSCR A", "date": "2003-06-15", "kind": "sanctions_resolution", "label": "A"},
    {"reference": "UNSCR B", "date": "2005-01-01", "kind": "sanctions_resolution", "label": "B"},
    {"reference": "Step C", "date": "2004-03-01", "kind": "enforcement", "label": "C"},
    {"reference": "Veto D", "date": "2006-05-01", "kind": "veto", "label": "D"},
]
UN_START = 2004  # first year wholly after 2003-06-15 (B adds nothing: the union starts in 2004)

CASES: list[dict[str, Any]] = [
    {
        "name": "structural_pair",
        "sanctions": "table",
        "options": {"fixed_effects": "structural", "cluster": "pair", "by": None},
    },
    {
        "name": "structural_by_kind_importer",
        "sanctions": "table",
        "options": {"fixed_effects": "structural", "cluster": "importer", "by": "kind"},
    },
    {
        "name": "pair_time_by_direction",
        "sanctions": "table",
        "options": {"fixed_effects": "pair+time", "cluster": "pair", "by": "direction"},
    },
    {
        "name": "catalog_un_structural",
        "sanctions": "catalog",
        "options": {
            "fixed_effects": "structural",
            "cluster": "pair",
            "by": None,
            "target": "PRK",
        },
    },
]
FE_SETS = {
    "structural": (("exporter", "year"), ("importer", "year"), ("exporter", "importer")),
    "pair+time": (("exporter", "importer"), ("year",)),
}


def simulate(seed: int = 20240612) -> dict[str, np.ndarray]:
    """Exports of every country to every other, 2000–2007, with zeros and a few oddities."""
    rng = np.random.default_rng(seed)
    n, t = len(COUNTRIES), len(YEARS)
    size = rng.normal(0.0, 1.0, n)
    o = size[:, None] + rng.normal(0.0, 0.4, (n, t))
    d = size[:, None] + rng.normal(0.0, 0.4, (n, t))
    p = rng.normal(0.0, 1.0, (n, n))
    rows = [(i, j, k) for i in range(n) for j in range(n) if i != j for k in range(t)]
    e, m, k = (np.array(c) for c in zip(*rows, strict=True))
    trade = table_dummies(e, m, k, by="kind")
    logmu = 1.3 + o[e, k] + d[m, k] + p[e, m]
    logmu += (
        TRUE["trade"] * trade["sanctions:trade"] + TRUE["financial"] * trade["sanctions:financial"]
    )
    y = rng.poisson(np.exp(logmu) * rng.gamma(2.0, 0.5, len(e))).astype(float)
    # oddities the library must drop and count: an all-zero pair, an all-zero
    # exporter-year, and a pair observed in one year only (a singleton)
    idx = {c: i for i, c in enumerate(COUNTRIES)}
    y[(e == idx["MEX"]) & (m == idx["SGP"])] = 0.0
    y[(e == idx["MAC"]) & (k == 3)] = 0.0
    keep = ~((e == idx["BRA"]) & (m == idx["MAC"]) & (k != 5))
    return {"exporter": e[keep], "importer": m[keep], "year": k[keep], "value": y[keep] * 1000.0}


def _codes(value: str) -> list[int]:
    return [COUNTRIES.index(c) for c in value.split(";") if c in COUNTRIES]


def _years(start: Any, end: Any) -> tuple[int, int]:
    """First and last year wholly in force."""
    if isinstance(start, str):
        day = dt.date.fromisoformat(start)
        first = day.year if (day.month, day.day) == (1, 1) else day.year + 1
    else:
        first = int(start)
    if end is None:
        last = YEARS[-1]
    elif isinstance(end, str):
        day = dt.date.fromisoformat(end)
        last = day.year if (day.month, day.day) == (12, 31) else day.year - 1
    else:
        last = int(end)
    return first, last


def table_dummies(
    e: np.ndarray, m: np.ndarray, k: np.ndarray, by: str | None
) -> dict[str, np.ndarray]:
    year = np.asarray(YEARS)[k]
    out: dict[str, np.ndarray] = {}
    for row in MEASURES:
        senders, targets = _codes(row["sanctioning"]), _codes(row["target"])
        first, last = _years(row["start"], row["end"])
        when = (year >= first) & (year <= last)
        to_t = np.isin(e, senders) & np.isin(m, targets) & when
        from_t = np.isin(e, targets) & np.isin(m, senders) & when
        parts = {
            None: {"sanctions": to_t | from_t},
            "kind": {f"sanctions:{row['kind']}": to_t | from_t},
            "direction": {"sanctions:to_target": to_t, "sanctions:from_target": from_t},
        }[by]
        for name, mask in parts.items():
            out[name] = out.get(name, np.zeros(len(e), dtype=bool)) | mask
    return {name: mask.astype(float) for name, mask in out.items()}


def catalog_dummies(e: np.ndarray, m: np.ndarray, k: np.ndarray) -> dict[str, np.ndarray]:
    year = np.asarray(YEARS)[k]
    target = COUNTRIES.index("PRK")
    members = [i for i, c in enumerate(COUNTRIES) if c not in NOT_UN and i != target]
    when = year >= UN_START
    s = ((e == target) & np.isin(m, members) | (m == target) & np.isin(e, members)) & when
    return {"sanctions": s.astype(float)}


def group_codes(data: dict[str, np.ndarray], dims: tuple[str, ...]) -> np.ndarray:
    key = np.zeros(len(data["value"]), dtype=np.int64)
    for dim in dims:
        key = key * 1000 + data[dim]
    return np.unique(key, return_inverse=True)[1]


def prune(y: np.ndarray, fes: list[np.ndarray]) -> tuple[np.ndarray, dict[str, int]]:
    keep = np.ones(len(y), dtype=bool)
    counts = {"all_zero_group": 0, "singleton": 0, "separated": 0}
    while True:
        changed = False
        for g in fes:
            for level in np.unique(g[keep]):
                rows = keep & (g == level)
                if y[rows].max() == 0:
                    counts["all_zero_group"] += int(rows.sum())
                    keep &= ~rows
                    changed = True
        for g in fes:
            for level in np.unique(g[keep]):
                rows = keep & (g == level)
                if rows.sum() == 1:
                    counts["singleton"] += 1
                    keep &= ~rows
                    changed = True
        if not changed:
            return keep, counts


def dummies(g: np.ndarray) -> np.ndarray:
    out = np.zeros((len(g), int(g.max()) + 1))
    out[np.arange(len(g)), g] = 1.0
    return out


def fit_case(data: dict[str, np.ndarray], case: dict[str, Any]) -> dict[str, Any]:
    import statsmodels.api as sm

    opts = case["options"]
    e, m, k = data["exporter"], data["importer"], data["year"]
    if case["sanctions"] == "table":
        S = table_dummies(e, m, k, opts["by"])
    else:
        S = catalog_dummies(e, m, k)
    names = list(S)
    fes = [group_codes(data, dims) for dims in FE_SETS[opts["fixed_effects"]]]
    keep, dropped = prune(data["value"], fes)
    y = data["value"][keep]
    X = np.column_stack([S[name][keep] for name in names])
    D = np.column_stack([dummies(np.unique(g[keep], return_inverse=True)[1]) for g in fes])
    # a full-rank set of dummies: QR with column pivoting on the dummies after projecting
    # out the sanction variables' span would change nothing; pivot on [X D] with X first
    full = np.column_stack([X, D])
    _, r, piv = sla.qr(full, mode="economic", pivoting=True)
    diag = np.abs(np.diag(r))
    rank = int((diag > 1e-10 * diag[0]).sum())
    cols = np.sort(piv[:rank])
    assert all(c in cols for c in range(X.shape[1])), "a sanction variable is collinear"
    design = full[:, cols]
    cluster_dims = {"pair": ("exporter", "importer"), "exporter": ("exporter",)}
    cluster_dims["importer"] = ("importer",)
    groups = group_codes(data, cluster_dims[opts["cluster"]])[keep]
    G = len(np.unique(groups))
    model = sm.GLM(y, design, family=sm.families.Poisson())
    res = model.fit(
        tol=1e-13,
        maxiter=500,
        cov_type="cluster",
        cov_kwds={"groups": groups, "use_correction": False},
    )
    check = model.fit(tol=1e-10, maxiter=500)
    p = X.shape[1]
    beta = np.asarray(res.params[:p])
    np.testing.assert_allclose(np.asarray(check.params[:p]), beta, rtol=1e-9)
    V = np.asarray(res.cov_params())[:p, :p] * G / (G - 1)
    se = np.sqrt(np.diag(V))
    z = stats.norm.ppf(0.975)
    mu = np.asarray(res.fittedvalues)
    treated = (X > 0).any(axis=1)
    cf = mu * np.exp(-(X @ beta))
    lost = float(np.sum((cf - mu)[treated]))
    g = -(cf[treated] @ X[treated])
    lost_se = float(np.sqrt(g @ V @ g))
    coefs = {}
    for j, name in enumerate(names):
        lo, hi = beta[j] - z * se[j], beta[j] + z * se[j]
        coefs[name] = {
            "estimate": float(beta[j]),
            "std_error": float(se[j]),
            "p_value": float(2 * stats.norm.sf(abs(beta[j] / se[j]))),
            "ci": [float(lo), float(hi)],
            "effect": float(np.expm1(beta[j])),
            "effect_ci": [float(np.expm1(lo)), float(np.expm1(hi))],
            "treated": int((X[:, j] > 0).sum()),
        }
    return {
        "name": case["name"],
        "sanctions": case["sanctions"],
        "options": opts,
        "coefficients": coefs,
        "nobs": int(keep.sum()),
        "dropped": dropped,
        "clusters": G,
        "design_columns": int(design.shape[1]),
        "lost": {"estimate": lost, "std_error": lost_se},
        "converged": bool(res.converged),
        "iterations": int(res.fit_history["iteration"]),
    }


def main() -> None:
    data = simulate()
    cases = []
    for case in CASES:
        result = fit_case(data, case)
        print(case["name"], {k: round(v["estimate"], 4) for k, v in result["coefficients"].items()})
        cases.append(result)
    rows = [
        [COUNTRIES[int(a)], COUNTRIES[int(b)], YEARS[int(c)], float(v)]
        for a, b, c, v in zip(
            data["exporter"], data["importer"], data["year"], data["value"], strict=True
        )
    ]
    out = {
        "description": (
            "PPML structural gravity with sanction dummies: statsmodels GLM Poisson with "
            "explicit fixed-effect dummies; cluster-robust covariance with G/(G-1) only"
        ),
        "generator": "tests/reference/make_gravity.py",
        "versions": {lib: version(lib) for lib in ("statsmodels", "numpy", "scipy")},
        "panel": {"columns": ["exporter", "importer", "year", "value"], "rows": rows},
        "measures": MEASURES,
        "events": EVENTS,
        "not_un_members": sorted(NOT_UN),
        "true_effects": TRUE,
        "cases": cases,
    }
    OUT.write_text(json.dumps(out, indent=None, separators=(",", ":")) + "\n", encoding="utf-8")
    print(f"wrote {OUT}")


if __name__ == "__main__":
    main()
