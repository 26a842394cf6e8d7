"""Caveats: how the library reports what a result cannot show, once (private).

A caveat is data (:class:`~bilateral_trade.models.results.Caveat`: its text and its kind),
reported by :func:`emit`. Called by a user, a function turns it into one
:class:`~bilateral_trade.DataQualityWarning` at the user's line. Called inside the library —
within :func:`collecting`, as :func:`bilateral_trade.analyze` calls ``event_impact`` and
the break tests — the caveat goes to the collecting function instead, which keeps it on its
result and reports it (once) to *its* caller. No warning is raised and caught again inside
the library.

One rule for every estimator that takes ``catalog=``: the confounders and measurement events
dated within a window of whole periods are named, in one caveat (:func:`check_window`); the
event analysed is never among them (:func:`same_event`), and an event whose reference the
catalog holds with another date is refused (:func:`check_catalog_event`).
"""

from __future__ import annotations

import warnings
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar

import pandas as pd

from .._util.compat import user_stacklevel
from ..data.events import EventCatalog, TradeEvent
from ..errors import DataQualityWarning, DataValidationError
from .results import Caveat

__all__ = [
    "check_catalog_event",
    "check_window",
    "collecting",
    "confounders_inside",
    "describe_events",
    "emit",
    "same_event",
]

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


def same_event(a: TradeEvent, b: TradeEvent) -> bool:
    """Two records of one event (:meth:`TradeEvent.is_same`)."""
    return a.is_same(b)


def check_catalog_event(
    event: TradeEvent, catalog: EventCatalog | None, *, field: str = "event"
) -> None:
    """Refuse an event whose reference ``catalog`` holds with another date.

    Analysing "UNSCR 2397" on a date the catalog does not give it would read the catalog's
    confounders and same-period measures around the wrong day, silently.

    Raises
    ------
    DataValidationError
        Naming the reference and both dates, and what to give instead.
    """
    if catalog is None or event.reference not in catalog:
        return
    listed = catalog.get(event.reference)
    if listed.date != event.date:
        raise DataValidationError(
            f"{field}: {event.reference} is dated {event.date.isoformat()}, but the catalog has "
            f"{listed.reference} on {listed.date.isoformat()}; analyse the catalog's event "
            f"(catalog.get({listed.reference!r})), or give yours a reference of its own",
            field=field,
            value=event.date.isoformat(),
        )


def confounders_inside(
    catalog: EventCatalog | None,
    start: pd.Period,
    end: pd.Period,
    *,
    exclude: Iterable[TradeEvent] = (),
) -> tuple[TradeEvent, ...]:
    """Confounders and measurement events dated within ``start``–``end`` (whole periods).

    The events of ``exclude`` (the events analysed, by :func:`same_event`) are left out: an
    event is not a confounder of itself.
    """
    if catalog is None:
        return ()
    lo, hi = start.start_time.date(), end.end_time.date()
    analysed = tuple(exclude)
    return tuple(
        e
        for e in catalog.of_role("confounder", "measurement")
        if lo <= e.date <= hi and not any(same_event(e, a) for a in analysed)
    )


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
    exclude: Iterable[TradeEvent] = (),
    stacklevel: int | None = None,
) -> tuple[str, ...]:
    """Warn (:class:`DataQualityWarning`) about each confounder inside a window.

    The events analysed (``exclude``) are not named (:func:`confounders_inside`). The
    warning points at the user's line (``stacklevel``, as for :func:`emit`, overrides that).
    Returns the messages (empty when the window is clean or there is no catalog).
    """
    inside = confounders_inside(catalog, start, end, exclude=exclude)
    if not inside:
        return ()
    message = (
        f"{where}: the window {start}–{end} contains confounders that move trade for reasons "
        f"other than the event: {describe_events(inside)}"
    )
    kind = "confounder" if any(e.kind.role == "confounder" for e in inside) else "measurement"
    emit(message, kind, stacklevel=stacklevel)
    return (message,)
