"""Time bilateral_trade's Bai–Perron and sup-F against R's strucchange on the same series.

Run from the repository root (needs R with strucchange: `apt-get install r-base-core
r-cran-strucchange r-cran-jsonlite`):

    .venv/bin/python benchmarks/breaks_vs_strucchange.py [--sizes 500 1000 2000 4000]

For every n and model (mean only; mean and two regressors) it times
`bai_perron(max_breaks=5, trim=0.15)` against `breakpoints(h = 0.15, breaks = 5)` and
`sup_f_test(trim=0.15)` against `Fstats(from = 0.15)` (R timed inside R with
system.time, excluding start-up), prints the ratios, and checks that the break dates of
every m and the sup-F arg-max are identical. strucchange's break points (last period of
the old regime, 1-based) equal our 0-based positions of the first new period.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import tempfile
import time
from pathlib import Path

import numpy as np
import pandas as pd

import bilateral_trade as bt

R_SCRIPT = r"""
suppressMessages({library(strucchange); library(jsonlite)})
args <- commandArgs(trailingOnly = TRUE)
d <- read.csv(args[1])
f <- if (args[2] == "mean") y ~ 1 else y ~ x1 + x2
t_bp <- system.time(bp <- breakpoints(f, data = d, h = 0.15, breaks = 5))[["elapsed"]]
parts <- lapply(1:5, function(m) breakpoints(bp, breaks = m)$breakpoints)
t_fs <- system.time(fs <- Fstats(f, data = d, from = 0.15))[["elapsed"]]
write_json(list(t_bp = t_bp, t_fs = t_fs, parts = parts, fs_bp = fs$breakpoint,
                selected = breakpoints(bp)$breakpoints), args[3], digits = NA, auto_unbox = TRUE)
"""


def best_of(fn: object, repeat: int = 3) -> float:
    assert callable(fn)
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return min(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[500, 1000, 2000, 4000])
    args = parser.parse_args()
    rng = np.random.default_rng(20171222)
    workdir = Path(tempfile.mkdtemp())
    script = workdir / "bench.R"
    script.write_text(R_SCRIPT, encoding="utf-8")
    print(
        f"{'n':>5} {'model':<6} {'strucchange bp':>14} {'ours':>8} {'ratio':>7}   "
        f"{'Fstats':>8} {'ours':>8} {'ratio':>7}  identical"
    )
    for n in args.sizes:
        t = np.arange(n)
        x1, x2 = rng.normal(size=n), rng.normal(size=n)
        y = (
            rng.normal(size=n)
            + np.where(t >= n // 3, 1.0, 0.0)
            + np.where(t >= 2 * n // 3, -0.8, 0.0)
        )
        y = y + 0.5 * x1 - np.where(t >= n // 2, 0.7 * x2, 0.0)
        frame = pd.DataFrame({"y": y, "x1": x1, "x2": x2})
        data = workdir / f"data_{n}.csv"
        frame.to_csv(data, index=False)
        index = pd.period_range("1800-01", periods=n, freq="M")
        series = pd.Series(y, index=index)
        for model in ("mean", "exog"):
            exog = None if model == "mean" else frame[["x1", "x2"]].set_axis(index)
            out = workdir / f"r_{n}_{model}.json"
            subprocess.run(["Rscript", str(script), str(data), model, str(out)], check=True)
            ref = json.loads(out.read_text())
            ours_bp = best_of(
                lambda s=series, e=exog: bt.bai_perron(s, exog=e, max_breaks=5, trim=0.15)
            )
            ours_fs = best_of(lambda s=series, e=exog: bt.sup_f_test(s, exog=e, trim=0.15))
            bp = bt.bai_perron(series, exog=exog, max_breaks=5, trim=0.15)
            fs = bt.sup_f_test(series, exog=exog, trim=0.15)
            same = all(
                [index.get_loc(p) for p in bp.by_m[m].break_periods]
                == [int(v) for v in np.atleast_1d(ref["parts"][m - 1])]
                for m in range(1, 6)
            )
            same = same and index.get_loc(fs.break_period) == int(ref["fs_bp"])
            print(
                f"{n:>5} {model:<6} {ref['t_bp']:>13.2f}s {ours_bp:>7.3f}s "
                f"{ref['t_bp'] / ours_bp:>6.0f}x"
                f"   {ref['t_fs']:>7.3f}s {ours_fs:>7.4f}s {ref['t_fs'] / ours_fs:>6.0f}x  "
                f"{'yes' if same else 'NO'}",
                flush=True,
            )


if __name__ == "__main__":
    main()
