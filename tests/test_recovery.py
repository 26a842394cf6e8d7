from __future__ import annotations

import json
import math

import numpy as np
import pandas as pd
import pytest

import bilateral_trade as bt
from bilateral_trade import DataValidationError
from conftest import make_series

Y = lambda year: pd.Period(year=year, freq="Y")  # noqa: E731


def test_ratio_trough_shortfall(annual: bt.TradeSeries) -> None:
    # values 2015..2019: 100, 110, 121, 60.5, 90
    r = bt.recovery(annual, baseline=2017)
    assert r.baseline == "2017" and r.baseline_value == 121.0
    np.testing.assert_allclose(r.ratio.to_numpy(), annual.values.to_numpy() / 121.0, rtol=1e-15)
    assert (r.trough_period, r.trough_ratio) == (Y(2018), 0.5)
    assert r.shortfall.tolist() == [60.5, 31.0]
    assert r.cumulative_shortfall == 91.5
    assert r.first_at(0.7) == Y(2019)
    assert r.first_at(1.0) is None
    assert r.first_at(0.8, after=2015) == Y(2016)


def test_baseline_range_is_mean(annual: bt.TradeSeries) -> None:
    r = bt.recovery(annual, baseline=(2015, 2017))
    assert r.baseline_value == pytest.approx((100 + 110 + 121) / 3, rel=1e-15)
    assert r.baseline == "mean of 2015–2017"
    assert r.baseline_periods == (Y(2015), Y(2016), Y(2017))


def test_baseline_number(annual: bt.TradeSeries) -> None:
    r = bt.recovery(annual, baseline=50.0)
    assert r.ratio.iloc[0] == 2.0 and r.baseline_periods == ()
    assert r.trough_period == Y(2018)  # the whole series counts


def test_summary_to_dict_to_frame() -> None:
    r = bt.recovery(bt.datasets.china_dprk_trade(), baseline=2019)
    text = r.summary()
    assert "against 2019 ($2.79bn)" in text and "trough:             2021 at 11.4%" in text
    assert "first at  80%:      2023" in text
    assert str(r) == text and "<pre>" in r._repr_html_()
    data = json.loads(json.dumps(r.to_dict()))
    assert data["first_at_80"] == "2023" and data["trough_period"] == "2021"
    frame = r.to_frame()
    assert list(frame.columns) == ["value", "ratio", "shortfall", "flags"]
    assert frame.loc[Y(2022), "flags"] == "possibly_revised"


def test_missing_after_baseline_makes_shortfall_nan() -> None:
    s = bt.TradeSeries(
        {2019: 10.0, 2020: np.nan, 2021: 5.0}, reporter="CHN", partner="PRK", flow="X", gaps="keep"
    )
    r = bt.recovery(s, baseline=2019)
    assert math.isnan(r.cumulative_shortfall)
    assert "incomplete" in r.summary()


@pytest.mark.parametrize(
    ("baseline", "match"),
    [
        (2030, "baseline: 2030 is outside the series"),
        ((2019, 2016), "ends before it starts"),
        (0.0, "baseline: 0.0 is not a positive level"),
        ("2019-03", "is monthly, expected annual"),
    ],
)
def test_bad_baseline(annual: bt.TradeSeries, baseline: object, match: str) -> None:
    with pytest.raises(DataValidationError, match=match):
        bt.recovery(annual, baseline=baseline)  # type: ignore[arg-type]


def test_zero_baseline_value() -> None:
    s = make_series([0.0, 1.0])
    with pytest.raises(DataValidationError, match=r"baseline: the baseline level \(2010\) is 0\.0"):
        bt.recovery(s, baseline=2010)


def test_missing_baseline_value() -> None:
    s = bt.TradeSeries(
        {2019: np.nan, 2020: 1.0}, reporter="CHN", partner="PRK", flow="X", gaps="keep"
    )
    with pytest.raises(DataValidationError, match="baseline: the value at 2019 is missing"):
        bt.recovery(s, baseline=2019)


def test_first_at_bad_level(annual: bt.TradeSeries) -> None:
    r = bt.recovery(annual, baseline=2015)
    with pytest.raises(DataValidationError, match="share: -1 is not a positive fraction"):
        r.first_at(-1)
    # share= was level= (only ever a confidence level now): the old name warns
    with pytest.warns(FutureWarning, match="level= is deprecated and will be removed; use share="):
        old = r.first_at(level=0.8)
    assert old == r.first_at(share=0.8)
