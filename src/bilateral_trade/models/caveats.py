"""Caveats about the events inside a sample: confounders and measurement changes (private).

One rule for every estimator that takes ``catalog=``: the confounders and measurement events
dated within a window of whole periods are named, in one message, as a
:class:`~bilateral_trade.DataQualityWarning`.
"""

from __future__ import annotations

import warnings

import pandas as pd

from ..data.events import EventCatalog, TradeEvent
from ..errors import DataQualityWarning

__all__ = ["check_window", "confounders_inside", "describe_events"]


def confounders_inside(
    catalog: EventCatalog | None, start: pd.Period, end: pd.Period
) -> tuple[TradeEvent, ...]:
    """Confounders and measurement events dated within ``start``–``end`` (whole periods)."""
    if catalog is None:
        return ()
    lo, hi = start.start_time.date(), end.end_time.date()
    return tuple(e for e in catalog.of_role("confounder", "measurement") if lo <= e.date <= hi)


def describe_events(events: tuple[TradeEvent, ...]) -> str:
    """Events in one line: ``"UNSCR 2397 (2017-12-22, un_resolution: …); …"``."""
    return "; ".join(
        f"{e.reference} ({e.date.isoformat()}, {e.kind.value}: {e.label})" for e in events
    )


def check_window(
    catalog: EventCatalog | None,
    start: pd.Period,
    end: pd.Period,
    *,
    where: str,
    stacklevel: int = 3,
) -> tuple[str, ...]:
    """Warn (:class:`DataQualityWarning`) about each confounder inside a window.

    Returns the messages (empty when the window is clean or there is no catalog).
    """
    inside = confounders_inside(catalog, start, end)
    if not inside:
        return ()
    message = (
        f"{where}: the window {start}–{end} contains confounders that move trade for reasons "
        f"other than the event: {describe_events(inside)}"
    )
    kind = "confounder" if any(e.kind.role == "confounder" for e in inside) else "measurement"
    warnings.warn(DataQualityWarning(message, kind=kind), stacklevel=stacklevel)
    return (message,)
