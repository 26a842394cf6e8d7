from __future__ import annotations

import io
import json
import shutil
import subprocess
import sys

import pandas as pd
import pytest

from bilateral_trade._util.format import money, pct
from bilateral_trade.cli import main


def run(*args: str) -> subprocess.CompletedProcess[str]:
    exe = shutil.which("bilateral-trade")
    cmd = [exe, *args] if exe else [sys.executable, "-m", "bilateral_trade.cli", *args]
    return subprocess.run(cmd, capture_output=True, text=True, timeout=120, check=False)


def statsmodels_reference() -> dict[str, float]:
    """The demo's numbers recomputed with statsmodels from the shipped series (2003–2019)."""
    import numpy as np
    import statsmodels.api as sm

    import bilateral_trade as bt

    y = bt.datasets.china_dprk_trade().slice(end=2019).values.to_numpy()
    w = bt.datasets.china_world_trade().slice(end=2019).values.to_numpy()
    n = len(y)  # 2003-2019; 2018 is position 15
    t = np.arange(1.0, n + 1)
    post = (np.arange(n) >= 15).astype(float)
    dummies = np.column_stack([np.ones(n), t, np.arange(n) == 15, np.arange(n) == 16]).astype(float)
    R = np.zeros((2, 4))
    R[0, 2] = R[1, 3] = 1
    f = sm.OLS(np.log(y), dummies).fit().f_test(R)
    trend = sm.OLS(np.log(y), np.column_stack([np.ones(n), t, post])).fit()
    gap = sm.OLS(np.log(y) - np.log(w), np.column_stack([np.ones(n), post])).fit()
    counterfactual = np.exp(gap.params[0] + np.log(w))
    return {
        "chow_f": float(f.fvalue),
        "chow_p": float(f.pvalue),
        "trend": float(np.expm1(trend.params[2])),
        "control": float(np.expm1(gap.params[1])),
        "lost_control": float(np.sum(counterfactual[15:] - y[15:])),
    }


def test_demo_text_in_a_subprocess() -> None:
    proc = run("demo")
    assert proc.returncode == 0, proc.stderr
    out = proc.stdout
    assert "2024: total $2.18bn, -5.0% on 2023" in out
    assert "2023: 82.3% of 2019" in out
    assert "Peak: 2013 at $6.55bn" in out
    assert "2018: -51.1% on 2017" in out and "UNSCR 2397 (2017-12-22)" in out
    assert (
        "First year back at 80% of 2019 after the border closure" in out and ": 2023 (82.3%)" in out
    )
    # the one event analysis: window, tests, counterfactuals side by side, placebo, caveats
    assert "window: 2003–2019 (the confounder rule" in out
    ref = statsmodels_reference()
    assert f"Chow predictive test at 2018: F = {ref['chow_f']:.2f}, p = {ref['chow_p']:.2g}" in out
    assert "2014 (searched 2013–2015): UNSCR 2094" in out
    assert "alternative (measurement): data_definition 2014-01" in out
    assert f"control    effect {pct(ref['control'])}" in out
    assert f"trend      effect {pct(ref['trend'])}" in out
    assert f"trade lost 2018–2019: {money(ref['lost_control'])}" in out
    assert "p = (1 + 0) / (1 + 13) = 0.0714 (smallest attainable 0.0714)" in out
    assert "UNSCR 2371, policy_china 2017-08-15, UNSCR 2375" in out
    assert "the estimate is the joint effect of UNSCR 2397 and them" in out
    # the table covers 2003-2025 with events of the year
    assert "2017            3,245.0            1,731.0    4,976.0" in out
    assert "2356, 2371, 2375, 2397" in out
    # flagged observations with their source
    assert "2016  total    uncertain, derived" in out
    assert "source: Derived from GACC spokesman" in out


def test_demo_json_same_content() -> None:
    proc = run("demo", "--format", "json")
    assert proc.returncode == 0, proc.stderr
    data = json.loads(proc.stdout)
    keys = [s["key"] for s in data["statements"]]
    assert keys[:5] == ["report_year", "recovery", "peak", "sanctions", "back_at_80"]
    by_key = {s["key"]: s for s in data["statements"]}
    assert round(by_key["report_year"]["yoy"], 3) == -0.050
    assert round(by_key["recovery"]["ratio"], 3) == 0.823
    assert by_key["back_at_80"]["year"] == 2023
    analysis = data["analysis"]
    assert analysis["chow"]["p_value"] < 0.01
    assert analysis["window"]["start"] == "2003" and analysis["window"]["end"] == "2019"
    assert analysis["attribution"]["breaks"][0]["alternative"].startswith("data_definition 2014")
    control = analysis["impacts"]["control"]
    assert control["relative_effect"]["estimate"] < 0 and control["lost"]["estimate"] > 0
    assert analysis["effects"][0]["counterfactual"] == "control"
    assert [r["year"] for r in data["table"]] == list(range(2003, 2026))
    assert data["table"][-1]["exports"] is None
    assert any(f["year"] == 2016 and f["flow"] == "total" for f in data["flagged"])


def test_demo_csv_table() -> None:
    proc = run("demo", "--format", "csv")
    assert proc.returncode == 0, proc.stderr
    table = pd.read_csv(io.StringIO(proc.stdout))
    assert list(table.columns) == ["year", "exports", "imports", "total", "yoy", "ratio", "events"]
    assert table["year"].tolist() == list(range(2003, 2026))
    assert table.loc[table.year == 2024, "total"].item() == 2_180_390_000


def test_no_command_prints_help(capsys: pytest.CaptureFixture[str]) -> None:
    assert main([]) == 2
    assert "demo" in capsys.readouterr().out


def test_version() -> None:
    proc = run("--version")
    assert proc.returncode == 0 and proc.stdout.startswith("bilateral-trade ")
