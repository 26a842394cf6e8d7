"""Structural gravity at scale: bt.gravity against statsmodels' GLM with dummies, and BACI size.

Run from the repository root (needs the gravity extra: pip install -e '.[gravity]'):

    .venv/bin/python benchmarks/gravity.py [--countries 150] [--years 20] [--skip-large]

1. A panel both can fit: 30 countries × 10 years (8,700 flows), three fixed-effect sets
   (exporter×year, importer×year, pair), one sanction variable, standard errors clustered by
   pair. `bt.gravity` against statsmodels' `GLM(family=Poisson())` with explicit dummies (a
   full-rank subset chosen by QR with column pivoting, and the same cluster-robust covariance:
   no correction, times G/(G-1)). Wall time, peak memory, the estimates and their relative
   differences are printed side by side.
2. A BACI-sized panel: 150 countries × 149 partners × 20 years (447,000 flows), the same
   model, `bt.gravity` alone: the time to build the TradePanel, then wall time and peak memory
   of the estimation.

Each measurement runs in a fresh process, so that its peak resident memory (ru_maxrss) is its
own; the memory before the step (data built, modules imported) is printed too.
"""

from __future__ import annotations

import argparse
import multiprocessing as mp
import resource
import time
import warnings
from typing import Any

import numpy as np


def _rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0


def _panel(countries: int, years: int, sanctioning: int, targets: int) -> tuple[Any, Any]:
    from bilateral_trade.stats.gravity import simulate_panel

    return simulate_panel(
        countries=countries,
        years=years,
        effect=-0.7,
        sanctioning=sanctioning,
        targets=targets,
        seed=42,
    )


def run_gravity(countries: int, years: int, sanctioning: int, targets: int) -> dict[str, Any]:
    import bilateral_trade as bt

    t0 = time.perf_counter()
    panel, measures = _panel(countries, years, sanctioning, targets)
    build = time.perf_counter() - t0
    import pyfixest  # noqa: F401  (imported before the clock starts, as statsmodels is)

    before = _rss_mb()
    t0 = time.perf_counter()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        result = bt.gravity(panel, measures)
    wall = time.perf_counter() - t0
    row = result.coefficients.loc["sanctions"]
    return {
        "build": build,
        "wall": wall,
        "before": before,
        "peak": _rss_mb(),
        "estimate": float(row["estimate"]),
        "std_error": float(row["std_error"]),
        "nobs": result.nobs,
        "rows": len(panel),
        "dropped": result.dropped,
    }


def run_statsmodels(countries: int, years: int, sanctioning: int, targets: int) -> dict[str, Any]:
    import scipy.linalg as sla
    import statsmodels.api as sm

    panel, measures = _panel(countries, years, sanctioning, targets)
    frame = panel.to_frame()
    before = _rss_mb()
    t0 = time.perf_counter()
    # the same sample as bt.gravity: drop flows in all-zero groups and singletons, repeatedly
    exp, imp = frame["reporter"].to_numpy(), frame["partner"].to_numpy()
    year = frame["period"].astype(str).to_numpy()
    y = frame["value"].to_numpy()
    groups = [
        np.unique(np.char.add(exp.astype(str), year.astype(str)), return_inverse=True)[1],
        np.unique(np.char.add(imp.astype(str), year.astype(str)), return_inverse=True)[1],
        np.unique(np.char.add(exp.astype(str), imp.astype(str)), return_inverse=True)[1],
    ]
    keep = np.ones(len(y), dtype=bool)
    while True:
        before_n = keep.sum()
        for g in groups:
            pos = np.bincount(g[keep], weights=(y[keep] > 0), minlength=g.max() + 1)
            keep &= pos[g] > 0
        for g in groups:
            count = np.bincount(g[keep], minlength=g.max() + 1)
            keep &= count[g] > 1
        if keep.sum() == before_n:
            break
    senders = set(measures["sanctioning"])
    tgts = set(measures["target"])
    start = int(measures["start"].iloc[0])
    yr = frame["period"].dt.year.to_numpy()
    s = (
        (np.isin(exp, list(senders)) & np.isin(imp, list(tgts)))
        | (np.isin(exp, list(tgts)) & np.isin(imp, list(senders)))
    ) & (yr >= start)
    cols = [s[keep].astype(float)]
    for g in groups:
        codes = np.unique(g[keep], return_inverse=True)[1]
        dummies = np.zeros((keep.sum(), codes.max() + 1))
        dummies[np.arange(keep.sum()), codes] = 1.0
        cols.append(dummies)
    full = np.column_stack(cols)
    _, r, piv = sla.qr(full, mode="economic", pivoting=True)
    diag = np.abs(np.diag(r))
    chosen = np.sort(piv[: int((diag > 1e-10 * diag[0]).sum())])
    design = full[:, chosen]
    pairs = groups[2][keep]
    G = len(np.unique(pairs))
    res = sm.GLM(y[keep] / 1e6, design, family=sm.families.Poisson()).fit(
        cov_type="cluster", cov_kwds={"groups": pairs, "use_correction": False}
    )
    wall = time.perf_counter() - t0
    return {
        "wall": wall,
        "before": before,
        "peak": _rss_mb(),
        "estimate": float(res.params[0]),
        "std_error": float(np.sqrt(res.cov_params()[0, 0] * G / (G - 1))),
        "nobs": int(keep.sum()),
        "columns": int(design.shape[1]),
    }


def in_child(fn: Any, *args: Any) -> dict[str, Any]:
    with mp.get_context("spawn").Pool(1) as pool:
        out: dict[str, Any] = pool.apply(fn, args)
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--countries", type=int, default=150)
    parser.add_argument("--years", type=int, default=20)
    parser.add_argument("--skip-large", action="store_true")
    args = parser.parse_args()

    size = (30, 10, 10, 2)
    print("1. 30 countries x 10 years: exporter-year, importer-year and pair fixed effects,")
    print("   one sanction variable (true effect -0.7), clustered by pair")
    ours = in_child(run_gravity, *size)
    peer = in_child(run_statsmodels, *size)
    head = f"{'wall time':>11}{'peak RSS':>11}{'(before)':>10}{'estimate':>12}{'s.e.':>10}"
    print(f"   {'':22}{head}")
    for name, r in (("bt.gravity", ours), ("statsmodels GLM", peer)):
        print(
            f"   {name:<22}{r['wall']:>9.2f} s{r['peak']:>8.0f} MB{r['before']:>7.0f} MB"
            f"{r['estimate']:>12.6f}{r['std_error']:>10.6f}"
        )
    print(
        f"   {ours['nobs']:,} flows used by both ({peer['nobs']:,}); statsmodels design "
        f"{peer['columns']:,} columns; statsmodels / bt.gravity time: "
        f"{peer['wall'] / ours['wall']:.1f}x"
    )
    print(
        "   relative difference: estimate "
        f"{abs(ours['estimate'] / peer['estimate'] - 1):.1e}, s.e. "
        f"{abs(ours['std_error'] / peer['std_error'] - 1):.1e}"
    )
    if args.skip_large:
        return
    n, t = args.countries, args.years
    print(f"2. {n} countries x {n - 1} partners x {t} years, the same model, bt.gravity alone")
    big = in_child(run_gravity, n, t, 30, 3)
    print(
        f"   {big['rows']:,} flows: TradePanel built in {big['build']:.1f} s; bt.gravity "
        f"{big['wall']:.1f} s, peak RSS {big['peak']:.0f} MB (before: {big['before']:.0f} MB)"
    )
    print(
        f"   estimate {big['estimate']:.4f} (s.e. {big['std_error']:.4f}); {big['nobs']:,} "
        f"flows used; dropped {big['dropped']}"
    )


if __name__ == "__main__":
    main()
