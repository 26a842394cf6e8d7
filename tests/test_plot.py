"""Figures: checked by content (lines, positions, bands, colours), not pixels."""

from __future__ import annotations

import matplotlib.dates as mdates
import numpy as np
import pandas as pd
import pytest
from matplotlib.collections import PolyCollection
from matplotlib.figure import Figure

import bilateral_trade as bt
from bilateral_trade import DataValidationError


@pytest.fixture(scope="module")
def s() -> bt.TradeSeries:
    return bt.datasets.china_dprk_trade()


@pytest.fixture(scope="module")
def events() -> bt.EventCatalog:
    return bt.datasets.dprk_sanctions()


def gids(ax: object, prefix: str) -> list[object]:
    return [a for a in ax.get_children() if (a.get_gid() or "").startswith(prefix)]  # type: ignore[attr-defined]


def test_series_with_events_breaks_and_flags(s: bt.TradeSeries, events: bt.EventCatalog) -> None:
    resolutions = events.of_kind("sanctions_resolution")
    bp = bt.bai_perron(s.slice(end=2019), log=True, max_breaks=2)
    fig = bt.plot.series(s, catalog=resolutions, breaks=bp)
    assert isinstance(fig, Figure)
    ax = fig.axes[0]
    lines = gids(ax, "event:")
    assert len(lines) == len(resolutions)
    x2397 = next(line for line in lines if line.get_gid() == "event:UNSCR 2397")
    assert x2397.get_xdata()[0] == pytest.approx(mdates.date2num(pd.Timestamp("2017-12-22")))
    breaks = gids(ax, "break")
    assert len([b for b in breaks if b.get_gid() == "break"]) == 2
    assert len([b for b in breaks if b.get_gid() == "break_ci"]) == 2
    hollow = gids(ax, "flagged")[0]
    assert len(hollow.get_xdata()) == len(
        s.flagged("uncertain", "derived", "approximate", "preliminary", "possibly_revised")
    )
    assert hollow.get_markerfacecolor() == "white"
    assert len(gids(ax, "regime_fit")) == 3
    # value axis in $ with bn
    fig.canvas.draw()
    labels = [t.get_text() for t in ax.get_yticklabels()]
    assert any(lab.startswith("$") and lab.endswith("bn") for lab in labels)
    # event labels do not overlap
    texts = gids(ax, "label:")
    boxes = [t.get_window_extent() for t in texts]
    overlaps = sum(a.overlaps(b) for i, a in enumerate(boxes) for b in boxes[i + 1 :])
    assert overlaps == 0
    assert ax.get_legend() is not None


def test_recovery_plot(s: bt.TradeSeries) -> None:
    fig = bt.plot.recovery(bt.recovery(s, baseline=2019))
    ax = fig.axes[0]
    baseline = gids(ax, "baseline")[0]
    assert list(baseline.get_ydata()) == [1.0, 1.0]
    marker = gids(ax, "first_at_80")[0]
    assert marker.get_xdata()[0] == pytest.approx(mdates.date2num(pd.Timestamp("2023-01-01")))


def test_fstat_path_plot(s: bt.TradeSeries) -> None:
    r = bt.sup_f_test(s, log=True)
    ax = bt.plot.fstat_path(r).axes[0]
    assert len(gids(ax, "f_path")[0].get_xdata()) == len(r.f_path)
    assert gids(ax, "critical")[0].get_ydata()[0] == r.sup_f.critical_values["5%"]


def test_impact_plot_has_band_and_lost(s: bt.TradeSeries, events: bt.EventCatalog) -> None:
    r = bt.event_impact(s, events.get("UNSCR 2397"), post=2019)
    fig = bt.plot.impact(r)
    top, bottom = fig.axes
    band = [c for c in top.collections if isinstance(c, PolyCollection)]
    assert len(band) == 1 and band[0].get_gid() == "band"
    assert len(gids(top, "counterfactual")) == 1
    heights = [p.get_height() for p in bottom.patches]
    np.testing.assert_allclose(heights[-1], r.lost.estimate, rtol=1e-10)


def test_yoy_plot_colours(s: bt.TradeSeries) -> None:
    ax = bt.plot.yoy(s).axes[0]
    g = bt.yoy(s).dropna()
    bars = ax.patches
    assert len(bars) == len(g)
    neg = [b for b, v in zip(bars, g, strict=True) if v < 0]
    pos = [b for b, v in zip(bars, g, strict=True) if v >= 0]
    assert {b.get_facecolor() for b in neg}.isdisjoint({b.get_facecolor() for b in pos})


def test_given_axes_are_used(s: bt.TradeSeries) -> None:
    fig = Figure()
    ax = fig.add_subplot()
    assert bt.plot.yoy(s, ax=ax) is fig


def test_bad_input(s: bt.TradeSeries, events: bt.EventCatalog) -> None:
    with pytest.raises(
        DataValidationError, match="result: expected a RecoveryResult, got SupFTestResult"
    ):
        bt.plot.recovery(bt.sup_f_test(s, log=True))  # type: ignore[arg-type]
    with pytest.raises(
        DataValidationError, match="none of the 1 event\\(s\\) falls within the series"
    ):
        bt.plot.series(s.slice(2003, 2005), catalog=[events.get("UNSCR 2397")])
    with pytest.raises(DataValidationError, match="breaks: expected a MultipleBreaksResult"):
        bt.plot.series(s, breaks=bt.chow_test(s, 2018, log=True))  # type: ignore[arg-type]
