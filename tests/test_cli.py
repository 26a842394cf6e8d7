from __future__ import annotations

import io
import json
import shutil
import subprocess
import sys

import pandas as pd
import pytest

from bilateral_trade.cli import main


def run(*args: str) -> subprocess.CompletedProcess[str]:
    exe = shutil.which("bilateral-trade")
    cmd = [exe, *args] if exe else [sys.executable, "-m", "bilateral_trade.cli", *args]
    return subprocess.run(cmd, capture_output=True, text=True, timeout=120, check=False)


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
    # breaks and the impact of the December 2017 resolutions
    assert "Chow test (log, trend) for a break in 2018" in out
    assert "2018 (2017–2019) → UNSCR 2397" in out
    assert "Effect of UNSCR 2397 (from 2018; UNSCR 2371, UNSCR 2375 also take effect then" in out
    assert "Trade lost 2018–2019 against the counterfactual" in out
    assert "Placebo test:" in out
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
    analysis = {a["key"]: a for a in data["analysis"]}
    assert analysis["chow"]["p_value"] < 0.01
    assert analysis["bai_perron"]["attributed_to"][-1] == "UNSCR 2397"
    assert analysis["impact"]["relative_effect"] < 0 and analysis["lost_trade"]["estimate"] > 0
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
