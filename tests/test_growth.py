from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

import bilateral_trade as bt
from bilateral_trade import DataQualityWarning, DataValidationError, InsufficientDataError
from conftest import make_series


def test_yoy_annual_matches_pandas_pct_change(annual: bt.TradeSeries) -> None:
    expected = annual.values.pct_change(fill_method=None)
    got = bt.yoy(annual)
    assert got.name == "yoy"
    np.testing.assert_allclose(got.to_numpy(), expected.to_numpy(), rtol=1e-15, equal_nan=True)
    assert got.index.equals(annual.index)


def test_yoy_monthly_same_month_a_year_earlier() -> None:
    rng = np.random.default_rng(1)
    s = make_series(rng.uniform(1, 10, 36), start="2018-01", freq="M")
    expected = s.values.pct_change(periods=12, fill_method=None)
    np.testing.assert_allclose(
        bt.yoy(s).to_numpy(), expected.to_numpy(), rtol=1e-15, equal_nan=True
    )
    assert bt.yoy(s).iloc[:12].isna().all()


def test_yoy_quarterly() -> None:
    s = make_series([1.0, 2, 3, 4, 2, 4, 6, 8], start="2018Q1", freq="Q")
    assert bt.yoy(s).iloc[4:].tolist() == [1.0, 1.0, 1.0, 1.0]


def test_yoy_missing_base_is_nan_not_a_wrong_comparison() -> None:
    s = bt.TradeSeries(
        {2018: 1.0, 2019: np.nan, 2020: 4.0, 2021: 5.0},
        reporter="CHN",
        partner="PRK",
        flow="X",
        gaps="keep",
    )
    got = bt.yoy(s)
    assert math.isnan(got.iloc[2])  # 2020 against missing 2019, never against 2018
    assert got.iloc[3] == pytest.approx(0.25, rel=1e-15)


def test_yoy_zero_base_warns_and_is_nan() -> None:
    s = make_series([0.0, 5.0, 10.0])
    with pytest.warns(DataQualityWarning, match=r"base is zero for 2011 \(base periods 2010\)"):
        got = bt.yoy(s)
    assert math.isnan(got.iloc[1]) and got.iloc[2] == 1.0
    assert not np.isinf(got.to_numpy()).any()


def test_yoy_pandas_input() -> None:
    values = pd.Series([2.0, 3.0], index=pd.period_range("2019", periods=2, freq="Y"))
    assert bt.yoy(values).iloc[1] == 0.5


def test_yoy_pandas_nan_refused() -> None:
    values = pd.Series([2.0, np.nan], index=pd.period_range("2019", periods=2, freq="Y"))
    with pytest.raises(
        DataValidationError,
        match=r"s: missing \(NaN or NA\) or infinite values at 2020.*gaps='keep'",
    ):
        bt.yoy(values)


def test_yoy_rejects_plain_index() -> None:
    with pytest.raises(DataValidationError, match="needs a PeriodIndex or DatetimeIndex"):
        bt.yoy(pd.Series([1.0, 2.0]))


def test_ytd_yoy_by_hand() -> None:
    rng = np.random.default_rng(7)
    raw = rng.uniform(1, 10, 30)  # 2018-01 .. 2020-06
    s = make_series(raw, start="2018-01", freq="M")
    got = bt.ytd_yoy(s)
    for pos in range(12, 30):
        month = pos % 12
        this = raw[pos - month : pos + 1].sum()
        last = raw[pos - 12 - month : pos - 12 + 1].sum()
        assert got.iloc[pos] == pytest.approx(this / last - 1, rel=1e-13)
    assert got.iloc[:12].isna().all()


def test_ytd_yoy_needs_the_start_of_the_year() -> None:
    s = make_series(np.ones(20), start="2018-03", freq="M")
    got = bt.ytd_yoy(s)
    # 2019-01 onwards has a complete 2019 YTD but 2018's YTD lacks Jan-Feb 2018
    assert got.isna().all()


def test_ytd_yoy_annual_refused(annual: bt.TradeSeries) -> None:
    with pytest.raises(DataValidationError, match="needs monthly or quarterly data"):
        bt.ytd_yoy(annual)


def test_cagr_compounds_back_to_the_end_value() -> None:
    s = bt.datasets.china_dprk_trade()
    g = bt.cagr(s, 2003, 2013)
    start, end = s.values[pd.Period("2003", "Y")], s.values[pd.Period("2013", "Y")]
    assert start * (1 + g) ** 10 == pytest.approx(end, rel=1e-12)


def test_cagr_monthly_in_years() -> None:
    s = make_series(np.linspace(100, 121, 25), start="2018-01", freq="M")
    assert bt.cagr(s, "2018-01", "2020-01") == pytest.approx(0.1, rel=1e-12)


@pytest.mark.parametrize(
    ("start", "end", "match"),
    [
        (2030, 2031, "start: 2030 is outside the series"),
        (2012, 2011, "end: 2011 is not after start 2012"),
        (2010, 2012, "start: the value at 2010 is 0.0"),
    ],
)
def test_cagr_bad(start: int, end: int, match: str) -> None:
    s = make_series([0.0, 1.0, 2.0])
    with pytest.raises(DataValidationError, match=match):
        bt.cagr(s, start, end)


def test_log_change_matches_numpy(annual: bt.TradeSeries) -> None:
    got = bt.log_change(annual)
    expected = np.diff(np.log(annual.values.to_numpy()))
    np.testing.assert_allclose(got.to_numpy()[1:], expected, rtol=1e-15)
    assert math.isnan(got.iloc[0])
    got2 = bt.log_change(annual, periods=2)
    assert got2.iloc[2] == pytest.approx(math.log(121.0 / 100.0), rel=1e-15)


def test_log_change_zero_warns() -> None:
    with pytest.warns(DataQualityWarning, match="zero values at 2011"):
        got = bt.log_change(make_series([1.0, 0.0, 2.0]))
    assert got.isna().all()


def test_log_change_bad_periods() -> None:
    with pytest.raises(DataValidationError, match="periods: 0 is not a positive whole number"):
        bt.log_change(make_series([1.0, 2.0]), periods=0)
    with pytest.raises(InsufficientDataError, match="needs at least 3 observations, got 2"):
        bt.log_change(make_series([1.0, 2.0]), periods=2)
