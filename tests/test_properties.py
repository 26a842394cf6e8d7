"""Property-based tests of invariants (hypothesis)."""

from __future__ import annotations

import numpy as np
import pandas as pd
from hypothesis import given, settings
from hypothesis import strategies as st

import bilateral_trade as bt

FREQS = {"A": "Y", "Q": "Q", "M": "M"}
positive = st.floats(min_value=1e-3, max_value=1e12, allow_nan=False, allow_infinity=False)
nonnegative = st.floats(min_value=0.0, max_value=1e12, allow_nan=False, allow_infinity=False)
FLAGS = ["uncertain", "derived", "preliminary", "approximate"]


@st.composite
def series(draw: st.DrawFn, freq: str | None = None, min_size: int = 1) -> bt.TradeSeries:
    code = freq or draw(st.sampled_from(sorted(FREQS)))
    values = draw(st.lists(nonnegative, min_size=min_size, max_size=40))
    start = draw(st.integers(min_value=1990, max_value=2030))
    index = pd.period_range(
        pd.Period(year=start, month=1, freq="M").asfreq(FREQS[code]),
        periods=len(values),
        freq=FREQS[code],
    )
    missing = draw(st.sets(st.integers(0, len(values) - 1), max_size=len(values) // 3))
    arr = np.array(values, dtype=float)
    arr[list(missing)] = np.nan
    flags = {
        index[i]: draw(st.lists(st.sampled_from(FLAGS), max_size=2, unique=True))
        for i in draw(st.sets(st.integers(0, len(values) - 1), max_size=3))
        if i not in missing
    }
    notes = {
        index[i]: draw(st.text(max_size=20))
        for i in draw(st.sets(st.integers(0, len(values) - 1), max_size=2))
    }
    return bt.TradeSeries(
        pd.Series(arr, index=index),
        reporter=draw(st.sampled_from(["CHN", "RUS", "KOR"])),
        partner="PRK",
        flow=draw(st.sampled_from(["exports", "imports", "total"])),
        product=draw(st.sampled_from(["TOTAL", "03", "6704", "270112"])),
        source=draw(st.text(max_size=30)),
        flags=flags,
        notes={p: n for p, n in notes.items() if n},
        gaps="keep",
    )


@settings(max_examples=60, deadline=None)
@given(st.sampled_from(sorted(FREQS)), positive, st.integers(min_value=2, max_value=30))
def test_yoy_of_constant_is_zero(freq: str, level: float, years: int) -> None:
    n = years * bt.Frequency(freq).periods_per_year
    s = pd.Series(np.full(n, level), index=pd.period_range("2000", periods=n, freq=FREQS[freq]))
    got = bt.yoy(s)
    k = bt.Frequency(freq).periods_per_year
    assert got.iloc[:k].isna().all()
    assert (got.iloc[k:] == 0.0).all()


@settings(max_examples=60, deadline=None)
@given(st.lists(positive, min_size=1, max_size=30), st.data())
def test_recovery_against_itself_is_one(values: list[float], data: st.DataObject) -> None:
    s = pd.Series(values, index=pd.period_range("2000", periods=len(values), freq="Y"))
    pos = data.draw(st.integers(0, len(values) - 1))
    r = bt.recovery(s, baseline=s.index[pos])
    assert r.ratio.iloc[pos] == 1.0


@settings(max_examples=80, deadline=None)
@given(series())
def test_json_round_trip_is_lossless(s: bt.TradeSeries) -> None:
    again = bt.TradeSeries.from_json(s.to_json())
    assert again == s
    np.testing.assert_array_equal(again.values.to_numpy(), s.values.to_numpy())


@settings(max_examples=80, deadline=None)
@given(series())
def test_frame_round_trip_is_lossless(s: bt.TradeSeries) -> None:
    assert bt.TradeSeries.from_frame(s.to_frame(), gaps="keep") == s


@settings(max_examples=60, deadline=None)
@given(st.lists(nonnegative, min_size=12, max_size=12 * 6).filter(lambda v: len(v) % 12 == 0))
def test_aggregation_equals_sum_by_year(values: list[float]) -> None:
    index = pd.period_range("2001-01", periods=len(values), freq="M")
    s = bt.TradeSeries(pd.Series(values, index=index), reporter="CHN", partner="PRK", flow="X")
    yearly = s.aggregate("A")
    expected = pd.Series(values, index=index).groupby(index.year).sum()
    np.testing.assert_allclose(yearly.values.to_numpy(), expected.to_numpy(), rtol=1e-12)
    assert list(yearly.index.year) == list(expected.index)
