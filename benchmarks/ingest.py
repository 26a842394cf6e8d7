"""Reading bulk files: read_baci against a bare pyarrow read, panel memory, Parquet, read_csv.

Run from the repository root:

    .venv/bin/python benchmarks/ingest.py [--rows 2000000] [--tidy-rows 1000000] [--skip-tidy]

1. One generated BACI-layout file (``t,i,j,k,v,q``; ``--rows`` rows, 200 countries, 5,000
   HS6 codes, 5% of quantities NA): the time of ``bt.io.read_baci`` as a multiple of a bare
   ``pyarrow.csv.read_csv`` of the same file (best of five each, interleaved; goal <= 3x), and the
   panel's bytes per row (``memory_usage(deep=True)``, goal <= 100). The CPU times of
   both (every thread) and the load average are printed too: on a shared machine the wall
   ratio depends on how many cores pyarrow's parallel parse gets.
2. Peak memory (RSS) of a fresh process that reads the file whole, and one that reads it
   with ``countries=["PRK"]`` (the filtered read holds one batch at a time).
3. ``convert_baci`` of the file to a Parquet dataset, then ``TradePanel.read_parquet`` of
   the whole dataset and of one country.
4. ``bt.read_csv`` on a tidy file of ``--tidy-rows`` rows in series of 20 years, and
   ``TradePanel.read_csv`` on the same file.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pandas as pd

import bilateral_trade as bt


def write_baci(path: Path, rows: int, *, year: int = 2019, seed: int = 0) -> int:
    """A BACI-layout file with distinct (i, j, k), sorted like BACI's; returns its rows."""
    rng = np.random.default_rng(seed)
    table = pd.read_csv(
        Path(bt.__file__).parent / "datasets" / "data" / "iso3166.csv", comment="#", dtype=str
    )
    countries = np.sort(table["numeric"].astype(int).to_numpy())[:200]
    products = np.sort(rng.choice(np.arange(10100, 980000), 5000, replace=False))
    space = len(countries) ** 2 * len(products)
    draw = np.unique(rng.integers(0, space, int(rows * 1.2)))
    draw = np.sort(rng.choice(draw, min(rows, len(draw)), replace=False))
    i = countries[draw // (len(countries) * len(products))]
    j = countries[(draw // len(products)) % len(countries)]
    k = products[draw % len(products)]
    keep = i != j
    i, j, k = i[keep], j[keep], k[keep]
    v = np.char.mod("%.3f", np.round(rng.lognormal(3, 2, len(i)), 3))
    q = np.char.mod("%.3f", np.round(rng.lognormal(1, 2, len(i)), 3)).astype(object)
    q[rng.random(len(i)) < 0.05] = "NA"
    frame = pd.DataFrame({"t": year, "i": i, "j": j, "k": k, "v": v, "q": q})
    frame.to_csv(path, index=False)
    return len(frame)


def write_tidy(path: Path, rows: int, years: int = 20) -> int:
    """A tidy multi-series file: rows / years series of ``years`` annual values."""
    n = rows // years
    s = np.arange(n)
    iso = np.asarray(["CHN", "PRK", "KOR", "USA", "JPN", "DEU", "FRA", "RUS", "IND", "BRA"])
    reporter = iso[s % 10]
    partner = iso[(s // 10) % 9 + 1]
    partner = np.where(partner == reporter, "WLD", partner)
    product = np.char.zfill((s // 90).astype(str), 6)
    flow = np.where(s % 2 == 0, "exports", "imports")
    rng = np.random.default_rng(1)
    pd.DataFrame(
        {
            "reporter": np.repeat(reporter, years),
            "partner": np.repeat(partner, years),
            "flow": np.repeat(flow, years),
            "product": np.repeat(product, years),
            "period": np.tile(np.arange(2000, 2000 + years), n),
            "value": np.round(rng.lognormal(5, 1, n * years), 2),
        }
    ).to_csv(path, index=False)
    return n


def best_of(fn: Callable[[], object], times: int = 3) -> float:
    best = np.inf
    for _ in range(times):
        t0 = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - t0)
    return float(best)


def cpu_of(fn: Callable[[], object], times: int = 3) -> float:
    """Least CPU time of this process (every thread) over ``times`` runs."""
    best = np.inf
    for _ in range(times):
        t0 = time.process_time()
        fn()
        best = min(best, time.process_time() - t0)
    return float(best)


PEAK = """
import bilateral_trade as bt
import pyarrow.csv
{call}
with open("/proc/self/status") as fh:  # VmHWM: this process's peak, not its parent's
    print(next(line.split()[1] for line in fh if line.startswith("VmHWM")))
"""


def peak_mib(call: str) -> float:
    """Peak RSS (MiB) of a fresh process that imports the library and runs ``call`` (Linux)."""
    out = subprocess.run(
        [sys.executable, "-c", PEAK.format(call=call)], capture_output=True, text=True, check=True
    )
    return int(out.stdout.split()[-1]) / 1024


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rows", type=int, default=2_000_000)
    parser.add_argument("--tidy-rows", type=int, default=1_000_000)
    parser.add_argument("--skip-tidy", action="store_true")
    args = parser.parse_args()
    import pyarrow.csv as pcsv

    work = Path(tempfile.mkdtemp())
    path = work / "BACI_HS17_Y2019_V202501.csv"
    n = write_baci(path, args.rows)
    size = path.stat().st_size / 2**20
    print(f"1. BACI-layout file: {n:,} rows, {size:,.0f} MiB")
    panel = bt.io.read_baci(path)
    bare, ours = np.inf, np.inf
    for _ in range(5):  # interleaved, best of five: the same machine load for both
        bare = min(bare, best_of(lambda: pcsv.read_csv(str(path)), 1))
        ours = min(ours, best_of(lambda: bt.io.read_baci(path), 1))
    per_row = panel.to_frame().memory_usage(deep=True).sum() / len(panel)
    print(f"   pyarrow.csv.read_csv: {bare:.2f} s ({n / bare:,.0f} rows/s)")
    print(f"   bt.io.read_baci:      {ours:.2f} s ({n / ours:,.0f} rows/s)")
    print(f"   read_baci / pyarrow = {ours / bare:.2f}x (goal <= 3x)")
    cpu_bare = cpu_of(lambda: pcsv.read_csv(str(path)))
    cpu_ours = cpu_of(lambda: bt.io.read_baci(path))
    load = os.getloadavg()[0]
    print(
        f"   CPU time (all threads): {cpu_bare:.2f} s and {cpu_ours:.2f} s = "
        f"{cpu_ours / cpu_bare:.2f}x; load average {load:.1f} on {os.cpu_count()} CPUs"
    )
    print(f"   panel memory: {per_row:.1f} bytes per row (goal <= 100)")

    base = peak_mib("")
    whole = peak_mib(f"bt.io.read_baci({str(path)!r})")
    some = peak_mib(f"bt.io.read_baci({str(path)!r}, countries=['PRK'])")
    arrow = peak_mib(f"pyarrow.csv.read_csv({str(path)!r})")
    print(f"2. peak RSS: import only {base:,.0f} MiB; bare pyarrow read {arrow:,.0f} MiB;")
    print(f"   read_baci whole {whole:,.0f} MiB; read_baci countries=['PRK'] {some:,.0f} MiB")

    t0 = time.perf_counter()
    out = bt.io.convert_baci(path, work / "baci")
    convert = time.perf_counter() - t0
    mib = sum(p.stat().st_size for p in out.rglob("*.parquet")) / 2**20
    whole_pq = best_of(lambda: bt.TradePanel.read_parquet(out))
    one = best_of(lambda: bt.TradePanel.read_parquet(out, countries="PRK"))
    rows_one = len(bt.TradePanel.read_parquet(out, countries="PRK"))
    print(f"3. convert_baci: {convert:.2f} s, {mib:,.0f} MiB of Parquet")
    print(f"   TradePanel.read_parquet(dataset): {whole_pq:.2f} s")
    print(f"   TradePanel.read_parquet(dataset, countries='PRK'): {one:.2f} s ({rows_one:,} rows)")

    if not args.skip_tidy:
        tidy = work / "tidy.csv"
        series = write_tidy(tidy, args.tidy_rows)
        t0 = time.perf_counter()
        got = bt.read_csv(tidy)
        elapsed = time.perf_counter() - t0
        assert isinstance(got, dict) and len(got) == series
        t0 = time.perf_counter()
        bt.TradePanel.read_csv(tidy)
        as_panel = time.perf_counter() - t0
        print(f"4. tidy file: {args.tidy_rows:,} rows, {series:,} series")
        print(f"   bt.read_csv: {elapsed:.1f} s; TradePanel.read_csv: {as_panel:.1f} s")


if __name__ == "__main__":
    main()
