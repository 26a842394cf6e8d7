"""Screening at scale: bilateral_trade.screen against a strucchange loop, and a million series.

Run from the repository root (part 1 needs R with strucchange and jsonlite):

    .venv/bin/python benchmarks/screen.py [--series 1000000] [--skip-r]

1. 1,000 monthly series × 120 points, sup-F + Chow: `bt.screen` against a loop of
   strucchange's `Fstats` + `sctest` over the same series (R timed inside R); the ratio and
   the largest relative difference of the sup-F statistics are printed.
2. `--series` annual series × 25 points (a tenth with a true break in 2018), sup-F + Chow at
   2018 with `n_jobs=2`: wall time, rows per second, peak memory (this process and its
   workers), and the power and false-discovery proportion of the Chow test at q < 0.05.
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import tempfile
import time
from pathlib import Path

import numpy as np
import pandas as pd

import bilateral_trade as bt

R_LOOP = r"""
suppressMessages({library(strucchange); library(jsonlite)})
args <- commandArgs(trailingOnly = TRUE)
m <- as.matrix(read.csv(args[1], header = FALSE))
t0 <- proc.time()[["elapsed"]]
sup <- numeric(nrow(m)); chow <- numeric(nrow(m))
for (i in seq_len(nrow(m))) {
  y <- log(m[i, ])
  fs <- Fstats(y ~ 1, from = 0.15)
  sup[i] <- sctest(fs, type = "supF")$statistic
  chow[i] <- sctest(y ~ 1, type = "Chow", point = 84)$statistic
}
elapsed <- proc.time()[["elapsed"]] - t0
write_json(list(elapsed = elapsed, sup = sup, chow = chow), args[2], digits = NA)
"""


def part_one() -> None:
    rng = np.random.default_rng(1)
    n_series, n = 1000, 120
    y = np.exp(
        rng.normal(10, 0.3, (n_series, n))
        + (np.arange(n) >= 84) * rng.choice([0, -0.8], (n_series, 1))
    )
    work = Path(tempfile.mkdtemp())
    np.savetxt(work / "y.csv", y, delimiter=",")
    (work / "loop.R").write_text(R_LOOP, encoding="utf-8")
    subprocess.run(
        ["Rscript", str(work / "loop.R"), str(work / "y.csv"), str(work / "out.json")], check=True
    )
    ref = json.loads((work / "out.json").read_text())
    r_seconds = float(np.atleast_1d(ref["elapsed"])[0])
    periods = [str(p) for p in pd.period_range("2010-01", periods=n, freq="M")]
    frame = pd.DataFrame(
        {
            "reporter": "CHN",
            "partner": "PRK",
            "flow": "imports",
            "product": np.repeat([f"{i:06d}" for i in range(n_series)], n),
            "period": np.tile(periods, n_series),
            "value": y.ravel(),
        }
    )
    panel = bt.TradePanel(frame)
    t0 = time.perf_counter()
    res = bt.screen(panel, at=periods[84], trim=0.15, trend=False)  # the R loop's y ~ 1
    ours = time.perf_counter() - t0
    sup = res[res["test"] == "sup_f"]["statistic"].to_numpy()
    chow = res[res["test"] == "chow"]["statistic"].to_numpy()
    rel_sup = np.max(np.abs(sup / np.asarray(ref["sup"]) - 1))
    rel_chow = np.max(np.abs(chow / np.asarray(ref["chow"]) - 1))
    print(
        f"1,000 series x 120 months, sup-F + Chow: strucchange loop {r_seconds:.2f}s, "
        f"bt.screen {ours:.3f}s: {r_seconds / ours:.0f}x; largest relative difference "
        f"sup-F {rel_sup:.1e}, Chow {rel_chow:.1e}"
    )


def part_two(n_series: int) -> None:
    rng = np.random.default_rng(2)
    n = 25
    broken = np.zeros(n_series, dtype=bool)
    broken[: n_series // 10] = True
    logs = rng.normal(10, 0.2, (n_series, n)) + np.where(
        broken[:, None] & (np.arange(n) >= 18), -0.6, 0.0
    )
    frame = pd.DataFrame(
        {
            "reporter": pd.Categorical(["CHN"] * (n_series * n)),
            "partner": pd.Categorical(["PRK"] * (n_series * n)),
            "flow": pd.Categorical(["imports"] * (n_series * n)),
            "product": pd.Categorical(np.repeat([f"{i:06d}" for i in range(n_series)], n)),
            "period": pd.Categorical(np.tile([str(2000 + t) for t in range(n)], n_series)),
            "value": np.exp(logs.ravel()),
        }
    )
    del logs
    t0 = time.perf_counter()
    panel = bt.TradePanel(frame)
    del frame
    t1 = time.perf_counter()
    res = bt.screen(panel, at=2018, n_jobs=2, trend=False)  # the model of the published run
    t2 = time.perf_counter()
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024**2
    chow = res[res["test"] == "chow"]
    truth = broken[chow["product"].astype(int).to_numpy()]
    found = (chow["q_value"] < 0.05).to_numpy()
    power = found[truth].mean()
    fdp = (found & ~truth).sum() / max(found.sum(), 1)
    print(
        f"{n_series:,} annual series x 25: panel built and validated in {t1 - t0:.1f}s, screened "
        f"(sup-F + Chow, n_jobs=2) in {t2 - t1:.1f}s; total {t2 - t0:.1f}s, "
        f"{len(res) / (t2 - t1):,.0f} rows/s; peak memory of the main process {own:.2f} GiB "
        f"(workers are forked and share its pages); Chow at q < 0.05: power {power:.3f}, "
        f"false-discovery proportion {fdp:.3f}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--series", type=int, default=1_000_000)
    parser.add_argument("--skip-r", action="store_true")
    args = parser.parse_args()
    if not args.skip_r:
        part_one()
    part_two(args.series)


if __name__ == "__main__":
    main()
