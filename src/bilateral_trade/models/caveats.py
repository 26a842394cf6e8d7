"""Caveats: how the library reports what a result cannot show, once (private).

A caveat is data (:class:`~bilateral_trade.models.results.Caveat`: its text and its kind),
reported by :func:`emit`. Called by a user, a function turns it into one
:class:`~bilateral_trade.DataQualityWarning` at the user's line. Called inside the library —
within :func:`collecting`, as :func:`bilateral_trade.analyze` calls ``event_impact`` and
the break tests — the caveat goes to the collecting function instead, which keeps it on its
result and reports it (once) to *its* caller. No warning is raised and caught again inside
the library.

One rule for every estimator that takes ``catalog=``: the confounders and measurement events
dated within a window of whole periods are named, in one caveat (:func:`check_window`).
"""

from __future__ import annotations

import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

import pandas as pd

from .._util.compat import user_stacklevel
from ..data.events import EventCatalog, TradeEvent
from ..errors import DataQualityWarning
from .results import Caveat

__all__ = ["check_window", "collecting", "confounders_inside", "describe_events", "emit"]

_SINK: ContextVar[list[Caveat] | None] = ContextVar("bilateral_trade_caveats", default=None)


def emit(text: str, kind: str = "data_quality", *, stacklevel: int | None = None) -> Caveat:
    """Report a caveat: to the collecting caller (:func:`collecting`), or as one warning.

    The warning points at the first caller outside the package (the user's line), however
    deep the function that emits is split into steps; ``stacklevel`` (counted from the caller
    of :func:`emit`, as :func:`warnings.warn` counts) overrides that.
    """
    caveat = text if isinstance(text, Caveat) else Caveat(text, kind)
    sink = _SINK.get()
    if sink is not None:
        sink.append(caveat)
    else:
        level = user_stacklevel() if stacklevel is None else stacklevel + 1
        warnings.warn(DataQualityWarning(str(caveat), kind=caveat.kind), stacklevel=level)
    return caveat


@contextmanager
def collecting() -> Iterator[list[Caveat]]:
    """Collect the caveats emitted inside the block instead of warning; yields the list."""
    sink: list[Caveat] = []
    token = _SINK.set(sink)
    try:
        yield sink
    finally:
        _SINK.reset(token)


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
    stacklevel: int | None = None,
) -> tuple[str, ...]:
    """Warn (:class:`DataQualityWarning`) about each confounder inside a window.

    The warning points at the user's line (``stacklevel``, as for :func:`emit`, overrides
    that). Returns the messages (empty when the window is clean or there is no catalog).
    """
    inside = confounders_inside(catalog, start, end)
    if not inside:
        return ()
    message = (
        f"{where}: the window {start}–{end} contains confounders that move trade for reasons "
        f"other than the event: {describe_events(inside)}"
    )
    kind = "confounder" if any(e.kind.role == "confounder" for e in inside) else "measurement"
    emit(message, kind, stacklevel=stacklevel)
    return (message,)
