"""Figures: a trade series with events and breaks, recovery, the F path, event impact, YoY.

Needs matplotlib (``pip install 'bilateral-trade[plot]'``); importing ``bilateral_trade``
does not import it — this module is loaded on first use of ``bt.plot``. Every function
returns a :class:`matplotlib.figure.Figure`, draws on ``ax`` when one is given, and never
calls ``show()``.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import matplotlib.dates as _mdates
import numpy as np
import pandas as pd
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.ticker import FuncFormatter, PercentFormatter

from .._util.checks import check_bool
from .._util.compat import renamed_keyword
from .._util.format import money
from ..data.events import EventCatalog, EventKind, TradeEvent
from ..data.series import TradeSeries, title_in_words
from ..errors import DataValidationError
from ..models.validators import as_values, period_index, value_at
from ..stats.breaks.results import MultipleBreaksResult, SupFTestResult
from ..stats.growth import yoy as _yoy
from ..stats.impact import ImpactResult
from ..stats.recovery import RecoveryResult

__all__ = ["fstat_path", "impact", "recovery", "series", "yoy"]

#: Colour and line style of each kind of event.
EVENT_STYLE: dict[EventKind, tuple[str, Any]] = {
    EventKind.SANCTIONS_RESOLUTION: ("#b2182b", "-"),
    EventKind.VETO: ("#762a83", "--"),
    EventKind.ENFORCEMENT: ("#ef8a62", ":"),
    EventKind.BORDER_CLOSURE: ("#2166ac", "-."),
    EventKind.BORDER_REOPENING: ("#67a9cf", "-."),
    EventKind.NUCLEAR_TEST: ("#4d4d4d", ":"),
    EventKind.MISSILE_LAUNCH: ("#878787", ":"),
    EventKind.DIPLOMACY: ("#1b7837", ":"),
    EventKind.DATA_DEFINITION: ("#8c510a", "--"),
    EventKind.SANCTIONS_MEASURE: ("#d6604d", "-"),
    EventKind.COUNTERMEASURE: ("#9970ab", "--"),
    EventKind.PANDEMIC: ("#4393c3", "-."),
    EventKind.CONFLICT: ("#1a1a1a", "-"),
    EventKind.MARKET_SHOCK: ("#bf812d", "-."),
    EventKind.OTHER: ("#bababa", ":"),
}
LINE = "#1f3b73"
_md: Any = _mdates  # matplotlib.dates has no type annotations
FLAGS_HOLLOW = ("uncertain", "derived", "approximate", "preliminary", "possibly_revised")


def _require(result: object, kind: type) -> None:
    if not isinstance(result, kind):
        article = "an" if kind.__name__[0] in "AEIOU" else "a"
        raise DataValidationError(
            f"result: expected {article} {kind.__name__}, got {type(result).__name__}",
            field="result",
            value=type(result).__name__,
        )


def _axes(ax: Axes | None, figsize: tuple[float, float] = (9.0, 4.8)) -> tuple[Figure, Axes]:
    if ax is not None:
        fig = ax.figure
        assert isinstance(fig, Figure)
        return fig, ax
    fig = Figure(figsize=figsize, layout="constrained")
    return fig, fig.add_subplot()


def _x(index: pd.PeriodIndex) -> np.ndarray:
    """Periods as matplotlib date numbers (the start of each period)."""
    return np.asarray(_md.date2num(index.to_timestamp(how="start").to_pydatetime()))


def _date(value: Any) -> float:
    return float(_md.date2num(pd.Timestamp(value).to_pydatetime()))


def _money_axis(ax: Axes, unit: str) -> None:
    ax.yaxis.set_major_formatter(FuncFormatter(lambda v, _pos: money(v, unit, digits=1)))


def _events(events: Any, index: pd.PeriodIndex) -> list[TradeEvent]:
    if events is None:
        return []
    items = list(events) if isinstance(events, EventCatalog | list | tuple) else [events]
    for e in items:
        if not isinstance(e, TradeEvent):
            raise DataValidationError(
                f"events: expected TradeEvents or an EventCatalog, got {type(e).__name__}",
                field="events",
                value=type(e).__name__,
            )
    lo = index[0].start_time.date()
    hi = index[-1].end_time.date()
    inside = [e for e in items if lo <= e.date <= hi]
    if items and not inside:
        raise DataValidationError(
            f"events: none of the {len(items)} event(s) falls within the series "
            f"({index[0]} to {index[-1]})",
            field="events",
            value=len(items),
        )
    return inside


def _short_label(event: TradeEvent) -> str:
    if event.kind is EventKind.SANCTIONS_RESOLUTION:
        return event.reference.replace("UNSCR ", "")
    if event.kind is EventKind.VETO:
        return f"veto {event.date.year}"
    return event.reference if len(event.reference) <= 14 else event.reference[:13] + "…"


def _draw_events(ax: Axes, events: list[TradeEvent], max_labels: int = 16) -> list[Line2D]:
    """Vertical lines at event dates; labels placed on the lowest free of six rows.

    A label that would overlap another on every row is left out (its line stays).

    Returns one legend handle per kind of event drawn.
    """
    handles: dict[EventKind, Line2D] = {}
    ranked = sorted(events, key=lambda e: e.kind.role != "sanctions")
    labelled = {id(e) for e in ranked[:max_labels]}
    x0, x1 = ax.get_xlim()
    dates = [_date(e.date) for e in events]
    if dates:
        x0, x1 = min(x0, *dates), max(x1, *dates)
    span = (x1 - x0) or 1.0
    row_end = [-1.0] * 6
    for event, x in sorted(zip(events, dates, strict=True), key=lambda item: item[1]):
        colour, style = EVENT_STYLE.get(event.kind, EVENT_STYLE[EventKind.OTHER])
        line = ax.axvline(x, color=colour, linestyle=style, linewidth=1.1, alpha=0.9)
        line.set_gid(f"event:{event.reference}")
        handles.setdefault(
            event.kind,
            Line2D([], [], color=colour, linestyle=style, label=event.kind.value.replace("_", " ")),
        )
        if id(event) not in labelled:
            continue
        label = _short_label(event)
        frac, width = (x - x0) / span, (len(label) + 1) * 0.0095
        free = [r for r in range(6) if row_end[r] < frac]
        if not free:  # every row is taken here: the line and the legend stay, no overlap
            continue
        row = free[0]
        row_end[row] = frac + width
        ax.text(
            x,
            0.98 - 0.055 * row,
            " " + label,
            transform=ax.get_xaxis_transform(),
            fontsize=7.5,
            color=colour,
            va="top",
            ha="left",
            clip_on=True,
            gid=f"label:{event.reference}",
        )
    return list(handles.values())


def _finish(ax: Axes, title: str | None, extra: Sequence[Any] = ()) -> None:
    handles, _ = ax.get_legend_handles_labels()
    handles = list(handles) + list(extra)
    if handles:
        ax.legend(
            handles=handles,
            fontsize=8,
            loc="upper center",
            bbox_to_anchor=(0.5, -0.08),
            ncol=min(4, len(handles)),
            frameon=False,
        )
    if title:
        ax.set_title(title, fontsize=11, loc="left")
    ax.grid(axis="y", alpha=0.3)
    ax.spines[["top", "right"]].set_visible(False)
    locator = _md.AutoDateLocator(minticks=4, maxticks=12)
    ax.xaxis.set_major_locator(locator)
    ax.xaxis.set_major_formatter(_md.ConciseDateFormatter(locator))


def _segment_fits(
    result: MultipleBreaksResult, index: pd.PeriodIndex
) -> list[tuple[np.ndarray, np.ndarray]]:
    """Fitted values of each regime for mean and mean+trend models (in levels if logged)."""
    terms = set(result.coefficients["term"])
    if not terms <= {"const", "trend"}:
        return []
    out = []
    for _, rows in result.coefficients.groupby("segment"):
        start, end = rows["start"].iloc[0], rows["end"].iloc[-1]
        first, last = index.get_indexer(pd.PeriodIndex([start, end]))
        pos = np.arange(int(first), int(last) + 1)
        coef = dict(zip(rows["term"], rows["estimate"], strict=True))
        fit = coef["const"] + coef.get("trend", 0.0) * (pos + 1.0)
        if result.options.get("log"):
            fit = np.exp(fit)
        out.append((_x(index[pos]), fit))
    return out


@renamed_keyword("events", "catalog")
def series(
    s: Any,
    *,
    catalog: Any = None,
    breaks: MultipleBreaksResult | SupFTestResult | None = None,
    log: bool = False,
    flags: bool = True,
    ax: Axes | None = None,
    title: str | None = None,
) -> Figure:
    """Plot a trade series with events, breaks and flagged observations.

    Events are vertical lines styled by kind, with staggered labels; break periods
    (first periods of new regimes) are dashed lines, their confidence intervals shaded,
    and for mean or mean-and-trend Bai–Perron models the regime fits are drawn.
    Observations flagged ``uncertain``, ``derived``, ``approximate``, ``preliminary`` or
    ``possibly_revised`` are hollow markers.

    Parameters
    ----------
    s : TradeSeries or pandas.Series
    catalog : EventCatalog, TradeEvent or list of them, optional
        The events to draw (``events=`` is the old name: still accepted, with a
        ``FutureWarning``).
    breaks : MultipleBreaksResult or SupFTestResult, optional
    log : bool, default False
        Logarithmic value axis.
    flags : bool, default True
    ax : matplotlib Axes, optional
    title : str, optional

    Returns
    -------
    matplotlib.figure.Figure

    Raises
    ------
    DataValidationError
        Events that all fall outside the series, or a break result of another kind;
        ``log`` or ``flags`` not ``True``/``False``.
    """
    log, flags = check_bool(log, "log"), check_bool(flags, "flags")
    values, _, ts = as_values(s, field="s")
    index = period_index(values)
    fig, ax = _axes(ax)
    x = _x(index)
    unit = ts.unit if ts is not None else ""
    ax.plot(
        x,
        values.to_numpy(),
        color=LINE,
        linewidth=1.8,
        label=title_in_words(ts) if ts else "value",
        gid="series",
    )
    flagged = np.zeros(len(index), dtype=bool)
    if flags and ts is not None:
        marked = ts.flagged(*FLAGS_HOLLOW)
        flagged = np.asarray(index.isin(marked))
    ax.plot(x[~flagged], values.to_numpy()[~flagged], "o", color=LINE, markersize=4, gid="observed")
    if flagged.any():
        ax.plot(
            x[flagged],
            values.to_numpy()[flagged],
            "o",
            markerfacecolor="white",
            markeredgecolor=LINE,
            markersize=6,
            label="flagged (uncertain, derived, …)",
            gid="flagged",
        )
    if breaks is not None:
        if isinstance(breaks, MultipleBreaksResult):
            periods = list(breaks.break_periods)
            intervals = [
                (r["lower"], r["upper"])
                for r in breaks.confidence_intervals.to_dict(orient="records")
                if not (pd.isna(r["lower"]) or pd.isna(r["upper"]))  # no interval: no band
            ]
            for fx, fy in _segment_fits(breaks, index):
                ax.plot(fx, fy, color="#d6604d", linewidth=1.4, gid="regime_fit")
        elif isinstance(breaks, SupFTestResult):
            periods, intervals = [breaks.break_period], []
        else:
            raise DataValidationError(
                f"breaks: expected a MultipleBreaksResult or SupFTestResult, got "
                f"{type(breaks).__name__}",
                field="breaks",
                value=type(breaks).__name__,
            )
        for p in periods:
            ax.axvline(
                _date(p.start_time), color="#d6604d", linestyle="--", linewidth=1.3, gid="break"
            )
        for lo, hi in intervals:
            ax.axvspan(
                _date(lo.start_time),
                _date(hi.end_time),
                color="#d6604d",
                alpha=0.12,
                gid="break_ci",
            )
        extra = [
            Line2D(
                [], [], color="#d6604d", linestyle="--", label="break (first period of new regime)"
            )
        ]
    else:
        extra = []
    extra += _draw_events(ax, _events(catalog, index))
    if log:
        ax.set_yscale("log")
    _money_axis(ax, unit)
    _finish(ax, title or (title_in_words(ts) if ts is not None else None), extra)
    return fig


def recovery(result: RecoveryResult, *, ax: Axes | None = None, title: str | None = None) -> Figure:
    """Ratio to the baseline with the 100% line and the first periods back at 80% and 100%.

    Raises
    ------
    DataValidationError
        If ``result`` is not a RecoveryResult.
    """
    _require(result, RecoveryResult)
    fig, ax = _axes(ax)
    index = period_index(result.ratio)
    x = _x(index)
    ax.plot(
        x,
        result.ratio.to_numpy(),
        color=LINE,
        marker="o",
        markersize=4,
        label=f"ratio to {result.baseline}",
        gid="ratio",
    )
    ax.axhline(1.0, color="#4d4d4d", linewidth=1, label="baseline (100%)", gid="baseline")
    for level, colour in ((0.8, "#ef8a62"), (1.0, "#1b7837")):
        hit = result.first_at(level)
        if hit is not None:
            ax.plot(
                _x(pd.PeriodIndex([hit]))[0],
                value_at(result.ratio, hit),
                "D",
                color=colour,
                markersize=8,
                label=f"first back at {level:.0%}: {hit}",
                gid=f"first_at_{int(level * 100)}",
            )
    ax.yaxis.set_major_formatter(PercentFormatter(1.0))
    _finish(ax, title or f"{result.label}: level relative to {result.baseline}")
    return fig


def fstat_path(
    result: SupFTestResult, *, ax: Axes | None = None, title: str | None = None
) -> Figure:
    """The F path of a sup-F test with its 5% critical value and the arg-max.

    Raises
    ------
    DataValidationError
        If ``result`` is not a SupFTestResult.
    """
    _require(result, SupFTestResult)
    fig, ax = _axes(ax)
    x = _x(period_index(result.f_path))
    ax.plot(
        x,
        result.f_path.to_numpy(),
        color=LINE,
        marker="o",
        markersize=3,
        label="F statistic",
        gid="f_path",
    )
    ax.axhline(
        result.sup_f.critical_values["5%"],
        color="#b2182b",
        linestyle="--",
        label="sup-F 5% critical value",
        gid="critical",
    )
    ax.axvline(
        _date(result.break_period.start_time),
        color="#d6604d",
        linestyle=":",
        label=f"arg-max: {result.break_period}",
        gid="argmax",
    )
    _finish(ax, title or f"F path — {result.label}")
    return fig


def impact(
    result: ImpactResult, *, axes: Sequence[Axes] | None = None, title: str | None = None
) -> Figure:
    """Actual against counterfactual with its prediction band, and the cumulative lost trade.

    Raises
    ------
    DataValidationError
        If ``result`` is not an ImpactResult, or ``axes`` is not two Axes.
    """
    _require(result, ImpactResult)
    if axes is None:
        fig = Figure(figsize=(9.0, 6.4), layout="constrained")
        top, bottom = fig.subplots(2, 1, sharex=True, height_ratios=(2, 1))
    else:
        if len(axes) != 2:
            raise DataValidationError(
                "axes: give two Axes (top and bottom)", field="axes", value=len(axes)
            )
        top, bottom = axes
        fig = top.figure  # type: ignore[assignment]
    frame = result.path
    index = period_index(frame["actual"])
    x = _x(index)
    post = frame["post"].to_numpy()
    top.plot(
        x,
        frame["actual"].to_numpy(),
        color=LINE,
        marker="o",
        markersize=4,
        label="actual",
        gid="actual",
    )
    top.plot(
        x,
        frame["counterfactual"].to_numpy(),
        color="#b2182b",
        linestyle="--",
        label="counterfactual",
        gid="counterfactual",
    )
    top.fill_between(
        x[post],
        frame["lower"].to_numpy()[post],
        frame["upper"].to_numpy()[post],
        color="#b2182b",
        alpha=0.15,
        label=f"{result.options['level']:.0%} prediction band",
        gid="band",
    )
    for p, lab in zip(result.event_periods, result.event_labels, strict=True):
        top.axvline(_date(p.start_time), color="#4d4d4d", linewidth=1, gid=f"event:{lab}")
    _money_axis(top, result.unit)
    _finish(top, title or f"{result.label}: actual and counterfactual")
    lost = -frame["cumulative_gap"].to_numpy()
    bottom.bar(
        x[post],
        lost[post],
        width=0.8 * np.diff(x).min() if len(x) > 1 else 20,
        color="#ef8a62",
        label="cumulative lost trade",
        gid="lost",
    )
    _money_axis(bottom, result.unit)
    _finish(bottom, None)
    return fig


def yoy(s: Any, *, ax: Axes | None = None, title: str | None = None) -> Figure:
    """Bars of year-on-year change; declines in another colour."""
    growth = _yoy(s)
    fig, ax = _axes(ax)
    index = period_index(growth)
    x = _x(index)
    vals = growth.to_numpy()
    ok = ~np.isnan(vals)
    width = 0.8 * float(np.diff(x).min()) if len(x) > 1 else 200.0
    colours = np.where(vals[ok] < 0, "#b2182b", "#2166ac")
    ax.bar(x[ok], vals[ok], width=width, color=colours, gid="yoy")
    ax.axhline(0, color="#4d4d4d", linewidth=0.8)
    ax.yaxis.set_major_formatter(PercentFormatter(1.0))
    handles = [
        Line2D([], [], color="#2166ac", linewidth=6, label="growth"),
        Line2D([], [], color="#b2182b", linewidth=6, label="decline"),
    ]
    label = title_in_words(s) if isinstance(s, TradeSeries) else "series"
    _finish(ax, title or f"{label}: change on a year earlier", handles)
    return fig
