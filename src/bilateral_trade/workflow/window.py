"""Analysis windows that respect confounders: the rule, and the check of a user's window.

An event's effect on trade can only be read off a window in which nothing else moved trade.
:func:`choose_window` applies the library's rule to a catalog; :func:`check_window` names
the confounders inside a window the user chose. Both are used by
:func:`bilateral_trade.analyze`, :func:`bilateral_trade.event_impact` and the reports, so the
same question gets the same window everywhere.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

import pandas as pd

from .._util.aliases import JSONDict
from .._util.format import Summary
from ..data.events import EventCatalog, TradeEvent
from ..data.periods import Frequency
from ..models.caveats import check_window, confounders_inside, same_event
from ..models.results import Result
from ..models.spec import Spec

__all__ = [
    "AnalysisWindow",
    "check_window",
    "choose_window",
    "confounders_inside",
    "periods_needed",
]

RULE = (
    "from the first period after the last confounder before the event (or the start of the "
    "data) to the last period before the first confounder after it (or the end of the data); "
    "confounders are events whose kind moves trade for reasons other than sanctions (border "
    "closures and reopenings, pandemics, wars, market shocks). A confounder too close to the "
    "event to leave a pre- or post-period the impact model can be fitted on is kept inside the "
    "window and named: the estimate is then a joint effect. Measurement events "
    "(data-definition changes) do not bound the window; they are named when inside it."
)


def periods_needed(
    freq: Frequency | str, *, trend: bool = True, model: Literal["level", "level+slope"] = "level"
) -> tuple[int, int]:
    """The fewest periods before and from an event that the impact model can be fitted on.

    Before the event: one per pre-event coefficient (intercept, a trend when ``trend``,
    seasonal dummies for quarterly and monthly data, as in
    :func:`bilateral_trade.event_impact`) plus one degree of freedom. From the event on:
    one period, two for a slope change (``model="level+slope"``). :func:`choose_window`
    keeps a confounder that would leave fewer inside the window (``joint``) rather than
    hand the model a pre- or post-period it cannot be fitted on.

    Examples
    --------
    >>> periods_needed("A")
    (3, 1)
    >>> periods_needed("M", trend=False, model="level+slope")
    (13, 2)
    """
    spec = Spec.from_keywords(trend=trend, seasonal="auto")
    return spec.periods_needed(freq, model=model)


def _last_before(event: TradeEvent, freq: Frequency) -> pd.Period:
    """The last period that ends before the event's day."""
    return event.period(freq) - 1


@dataclass(frozen=True)
class AnalysisWindow(Result):
    """The estimation window of an event analysis and how it was chosen.

    Attributes
    ----------
    start, end : pandas.Period
        First and last period of the window (both included).
    chosen_by : {"rule", "user", "data"}
        ``"rule"``: the confounder rule of :func:`choose_window`; ``"user"``: ``window=``;
        ``"data"``: no catalog was given, so the whole series.
    rule : str
        The rule in words (or what the user asked).
    bound_before, bound_after : TradeEvent or None
        The confounders that set the start and the end (None where the data did).
    inside : tuple of TradeEvent
        Confounders and measurement events dated inside the window.
    joint : tuple of TradeEvent
        Confounders too close to the event to be kept out: the effect includes them.
    """

    start: pd.Period
    end: pd.Period
    chosen_by: Literal["rule", "user", "data"]
    rule: str
    bound_before: TradeEvent | None = None
    bound_after: TradeEvent | None = None
    inside: tuple[TradeEvent, ...] = ()
    joint: tuple[TradeEvent, ...] = ()

    def describe(self) -> str:
        """One sentence: the window and why."""
        why = {
            "rule": "the confounder rule",
            "user": "chosen by the user",
            "data": "the whole series (no catalog of confounders given)",
        }[self.chosen_by]
        parts = [f"{self.start}–{self.end} ({why}"]
        if self.chosen_by == "rule":
            parts.append(
                "; starts with the data"
                if self.bound_before is None
                else f"; starts after {self.bound_before.reference} "
                f"({self.bound_before.date.isoformat()})"
            )
            parts.append(
                "; ends with the data"
                if self.bound_after is None
                else f"; ends before {self.bound_after.reference} "
                f"({self.bound_after.date.isoformat()})"
            )
        return "".join(parts) + ")"

    def headline(self) -> str:
        """The window in one line (as :meth:`describe`)."""
        return self.describe()

    def summary(self) -> Summary:
        """The window, why it was chosen, and the events it holds."""
        lines = [f"Analysis window: {self.describe()}"]
        if self.inside:
            lines.append("  inside: " + "; ".join(e.reference for e in self.inside))
        if self.joint:
            lines.append("  joint effect with: " + "; ".join(e.reference for e in self.joint))
        lines.append(f"  rule: {self.rule}")
        return Summary("\n".join(lines))

    def to_dict(self) -> JSONDict:
        """JSON-ready dictionary."""
        return {
            "start": str(self.start),
            "end": str(self.end),
            "chosen_by": self.chosen_by,
            "rule": self.rule,
            "bound_before": None if self.bound_before is None else self.bound_before.reference,
            "bound_after": None if self.bound_after is None else self.bound_after.reference,
            "inside": [e.reference for e in self.inside],
            "joint": [e.reference for e in self.joint],
        }


def choose_window(
    index: pd.PeriodIndex,
    event: TradeEvent,
    catalog: EventCatalog | None,
    *,
    min_pre: int = 1,
    min_post: int = 1,
) -> AnalysisWindow:
    """The default estimation window of an event: the confounder rule.

    The window runs from the first period after the last confounder before the event (the
    first period that starts on or after the confounder's day; or the first period of the
    data) to the last period before the first confounder after the event (the last period
    that ends before its day; or the last period of the data). Confounders are the events of
    role ``"confounder"`` (:attr:`EventKind.role`: border closures and reopenings, pandemics,
    wars, market shocks). A confounder that would leave fewer than ``min_pre`` periods before
    the event's first period, or fewer than ``min_post`` from it on, cannot be separated from
    the event: it stays inside the window and is listed in ``joint``; the bound moves to the
    next confounder out (or the data). :func:`bilateral_trade.analyze` asks for the periods
    its impact model needs (:func:`periods_needed`: three annual periods before the event
    with a trend), so a pandemic two years before a war-year package is kept inside rather
    than leaving a pre-period too short to fit. Measurement events (data-definition changes)
    do not move the bounds; they are listed in ``inside``.

    Parameters
    ----------
    index : pandas.PeriodIndex
        The periods of the data.
    event : TradeEvent
    catalog : EventCatalog or None
        Without a catalog the window is the whole series.
    min_pre, min_post : int, default 1
        The fewest periods the window must keep before the event's first period and from it
        on (see :func:`periods_needed`).

    Returns
    -------
    AnalysisWindow

    Examples
    --------
    >>> import bilateral_trade as bt
    >>> s = bt.datasets.china_dprk_trade()
    >>> c = bt.datasets.dprk_sanctions()
    >>> w = choose_window(s.index, c.get("UNSCR 2397"), c)
    >>> str(w.start), str(w.end), w.bound_after.reference
    ('2003', '2019', 'covid_border 2020-01-22')
    """
    freq = Frequency.parse(index.freqstr)
    first, last = index[0], index[-1]
    if catalog is None:
        return AnalysisWindow(first, last, "data", "the whole series")
    first_post = event.first_period(freq)
    start, end = first, last
    before: TradeEvent | None = None
    after: TradeEvent | None = None
    joint: list[TradeEvent] = []
    for conf in catalog.of_role("confounder"):
        if same_event(conf, event):  # the event analysed does not bound its own window
            continue
        if conf.date < event.date:
            candidate = conf.first_period(freq)
            if candidate > last:
                continue
            if (first_post - max(candidate, first)).n < min_pre:
                joint.append(conf)
            elif candidate >= start:  # ties: the last confounder before the event
                start, before = candidate, conf
        else:
            candidate = _last_before(conf, freq)
            if candidate < first:
                continue
            if (min(candidate, last) - first_post).n + 1 < min_post:
                joint.append(conf)
            elif candidate < end:
                end, after = candidate, conf
    inside = confounders_inside(catalog, start, end, exclude=(event,))
    return AnalysisWindow(
        start, end, "rule", RULE, before, after, inside, tuple(e for e in joint if e in inside)
    )
