from __future__ import annotations

import subprocess
import sys
import zlib
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from statsmodels.stats.multitest import multipletests

import bilateral_trade as bt
from bilateral_trade import DataValidationError, InsufficientDataError
from bilateral_trade.stats.screening.core import (
    SCHEMA,
    adjust_pvalues,
    arrow_schema,
    bucket_of,
    finalize,
)


def make_frame(n_series: int = 60, n: int = 25, seed: int = 0, start: int = 2000) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    rows = []
    for i in range(n_series):
        drop = -1.0 if i % 5 == 0 else 0.0
        y = np.exp(rng.normal(10, 0.2, n) + (np.arange(n) >= 18) * drop)
        for t in range(n):
            rows.append(("CHN", "PRK", "imports", f"{100000 + i:06d}", str(start + t), float(y[t])))
    return pd.DataFrame(rows, columns=["reporter", "partner", "flow", "product", "period", "value"])


@pytest.fixture(scope="module")
def frame() -> pd.DataFrame:
    f = make_frame()
    extra = (
        [
            ("CHN", "PRK", "imports", "999999", str(2000 + t), 5.0)
            for t in range(25)  # constant
        ]
        + [
            ("CHN", "PRK", "imports", "999998", str(2000 + t), float(t))
            for t in range(25)  # a zero
        ]
        + [
            ("CHN", "PRK", "imports", "999997", str(2000 + t), 1.0 + t)
            for t in range(6)  # short
        ]
        + [
            ("CHN", "PRK", "imports", "999996", str(y), 2.0 + y % 3)
            for y in (2000, 2001, 2003, 2004, 2005, 2006, 2007, 2008, 2009, 2010)  # gap
        ]
        + [
            ("CHN", "PRK", "exports", "999995", str(2017 + t), 1.0 + t + (t % 2))
            for t in range(9)  # at 2018 too near the start
        ]
    )
    return pd.concat([f, pd.DataFrame(extra, columns=f.columns)], ignore_index=True)


def test_schema_and_statuses(frame: pd.DataFrame) -> None:
    res = bt.screen(frame, at=2018)
    assert list(res.columns) == list(SCHEMA)
    assert {c: str(t) for c, t in res.dtypes.items()} == SCHEMA
    status = res.set_index(["product", "test"])["status"]
    assert status[("999999", "chow")] == "constant"
    assert status[("999998", "sup_f")] == "non-positive with log"
    assert status[("999997", "sup_f")] == "too short"
    assert status[("999996", "chow")] == "gaps"
    assert status[("999995", "chow")] == "at outside"
    assert (res[res["product"].str.startswith("1")]["status"] == "ok").all()
    assert len(res) == 2 * frame.groupby(["product", "flow"]).ngroups
    assert arrow_schema().names == list(SCHEMA)


def test_equals_single_series_tests(frame: pd.DataFrame) -> None:
    res = bt.screen(frame, at=2018, trend=True).set_index(["product", "test"])
    panel = bt.TradePanel(frame)
    rng = np.random.default_rng(1)
    for product in rng.choice([f"{100000 + i:06d}" for i in range(60)], 12, replace=False):
        s = panel.series(product=product)
        chow = bt.chow_test(s, 2018, log=True, trend=True)
        sup = bt.sup_f_test(s, log=True, trend=True, trim=0.15)
        np.testing.assert_allclose(
            res.loc[(product, "chow"), "statistic"], chow.statistic, rtol=1e-9
        )
        np.testing.assert_allclose(res.loc[(product, "chow"), "p_value"], chow.p_value, rtol=1e-9)
        np.testing.assert_allclose(
            res.loc[(product, "sup_f"), "statistic"], sup.sup_f.statistic, rtol=1e-9
        )
        np.testing.assert_allclose(
            res.loc[(product, "sup_f"), "p_value"], sup.sup_f.p_value, rtol=1e-9
        )
        assert res.loc[(product, "sup_f"), "break_period"] == str(sup.break_period)


def test_fdr_matches_statsmodels() -> None:
    p = np.random.default_rng(4).uniform(0, 1, 200) ** 3
    p[::17] = np.nan
    ok = ~np.isnan(p)
    for method, sm in (("bh", "fdr_bh"), ("by", "fdr_by")):
        q = adjust_pvalues(p, method)  # type: ignore[arg-type]
        np.testing.assert_allclose(q[ok], multipletests(p[ok], method=sm)[1], rtol=1e-12)
        assert np.isnan(q[~ok]).all()


def test_true_breaks_found(frame: pd.DataFrame) -> None:
    res = bt.screen(frame, at=2018)
    chow = res[
        (res["test"] == "chow") & (res["status"] == "ok") & res["product"].str.startswith("1")
    ]
    broken = chow["product"].str[-2:].astype(int) % 5 == 0
    assert (chow[broken]["q_value"] < 0.05).all()
    assert (chow[~broken]["q_value"] < 0.05).mean() <= 0.1


def test_processes_give_the_same_result(frame: pd.DataFrame) -> None:
    one = bt.screen(frame, at=2018)
    two = bt.screen(frame, at=2018, n_jobs=2, chunk_size=7)
    pd.testing.assert_frame_equal(one, two)


@settings(max_examples=10, deadline=None)
@given(st.integers(min_value=1, max_value=59), st.integers(min_value=0, max_value=10_000))
def test_split_invariance(cut: int, seed: int) -> None:
    frame = make_frame(n_series=60, seed=seed % 50)
    products = sorted(frame["product"].unique())
    left = frame[frame["product"].isin(products[:cut])]
    right = frame[~frame["product"].isin(products[:cut])]
    whole = bt.screen(frame, at=2018, fdr=None)
    parts = pd.concat([bt.screen(right, at=2018, fdr=None), bt.screen(left, at=2018, fdr=None)])

    pd.testing.assert_frame_equal(whole, finalize(parts, None))  # the kernel is per series


def test_bucket_is_stable() -> None:
    keys = pd.DataFrame(
        {"reporter": ["CHN"], "partner": ["PRK"], "flow": ["imports"], "product": ["670419"]}
    )
    assert bucket_of(keys, 97)[0] == zlib.crc32(b"CHN|PRK|imports|670419") % 97


def test_bad_input(frame: pd.DataFrame) -> None:
    with pytest.raises(DataValidationError, match="choose from chow, sup_f"):
        bt.screen(frame, tests=("cusum",))
    mixed = frame.copy()
    mixed.loc[0, "period"] = "2000-01"
    with pytest.raises(DataValidationError, match="mixed frequencies"):
        bt.screen(mixed)
    with pytest.raises(DataValidationError, match="rows share a key and period"):
        bt.screen(pd.concat([frame, frame.iloc[[0]]]))
    with pytest.raises(InsufficientDataError, match="the panel is empty"):
        bt.screen(frame.iloc[:0])
    res = bt.screen(frame, tests=("chow",))
    assert (res["status"] != "ok").all() and "chow needs at=" in set(res["message"])


def test_dask_local_cluster_equals_pandas(frame: pd.DataFrame) -> None:
    dd = pytest.importorskip("dask.dataframe")
    distributed = pytest.importorskip("distributed")
    ddf = dd.from_pandas(frame, npartitions=4)
    with (
        distributed.LocalCluster(
            n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None
        ) as cluster,
        distributed.Client(cluster),
    ):
        got = bt.screen(ddf, at=2018)
    pd.testing.assert_frame_equal(got, bt.screen(frame, at=2018))
    with pytest.raises(DataValidationError, match="lacks column\\(s\\) product"):
        bt.screen(dd.from_pandas(frame.drop(columns="product"), npartitions=2), at=2018)


def test_cli_screen(tmp_path: Path, frame: pd.DataFrame) -> None:
    path = tmp_path / "panel.parquet"
    bt.TradePanel(frame).to_parquet(path)
    out = tmp_path / "results.parquet"
    exe = Path(sys.executable).parent / "bilateral-trade"
    proc = subprocess.run(
        [str(exe), "screen", str(path), "--at", "2018", "--out", str(out), "--no-progress"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr
    assert "with q < 0.05" in proc.stdout
    assert len(pd.read_parquet(out)) == len(bt.screen(frame, at=2018))
