from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

import bilateral_trade as bt


def make_series(
    values: list[float] | np.ndarray,
    start: str = "2010",
    freq: str = "Y",
    **meta: object,
) -> bt.TradeSeries:
    index = pd.period_range(start, periods=len(values), freq=freq)
    args: dict[str, object] = {"reporter": "CHN", "partner": "PRK", "flow": "total"}
    args.update(meta)
    return bt.TradeSeries(pd.Series(np.asarray(values, dtype=float), index=index), **args)  # type: ignore[arg-type]


@pytest.fixture
def annual() -> bt.TradeSeries:
    return make_series([100.0, 110.0, 121.0, 60.5, 90.0], start="2015")


@pytest.fixture
def monthly() -> bt.TradeSeries:
    return make_series(np.arange(1.0, 25.0), start="2018-01", freq="M")
