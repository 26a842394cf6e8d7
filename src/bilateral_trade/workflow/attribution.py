"""Which event does a break belong to? Breaks tied to the events of a catalog.

``bt.attribute_breaks`` takes the breaks found by a break test (Bai–Perron, with their
confidence intervals, or sup-F) and ranks the catalog's sanctions, confounder and
measurement events near each one (:class:`BreakAttribution`).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from .._util.aliases import JSONDict, JSONValue
from .._util.compat import renamed_keyword
from .._util.format import Summary, json_value
from ..data.events import EventCatalog, EventKind, EventRole, TradeEvent
from ..data.periods import Frequency
from ..errors import DataValidationError
from ..models.results import Result
from ..models.validators import check_int
from ..stats.breaks.results import MultipleBreaksResult, SupFTestResult

__all__ = ["BreakAttribution", "attribute_breaks"]


_ROLE_ORDER: tuple[EventRole, ...] = ("sanctions", "confounder", "measurement")


@dataclass(frozen=True, eq=False)
class BreakAttribution(Result):
    """Breaks of a break test tied to the events of a catalog (immutable).

    ``table`` has one row per break: ``break_period``, ``lower``, ``upper`` (the interval
    searched), ``attributed`` (the best-ranked sanctions or confounder event), its ``kind``,
    ``distance`` (periods, event's first period minus break period) and ``date``,
    ``alternative`` (the best-ranked measurement event: a break that may be an artefact of
    how the data are compiled), ``candidates`` (at most ``max_candidates``, ranked, as
    ``"reference (kind, distance)"``) and ``n_candidates`` (how many events were in range).
    """

    table: pd.DataFrame
    options: Mapping[str, Any] = field(default_factory=dict)

    def __len__(self) -> int:
        return len(self.table)

    def row(self, period: Any) -> dict[str, Any]:
        """The row of the break that starts in ``period`` (e.g. ``2018``) as a dict."""
        for rec in self.table.to_dict(orient="records"):
            if str(rec["break_period"]) == str(period):
                return {str(k): v for k, v in rec.items()}
        raise DataValidationError(
            f"period: no break in {period}; breaks are in "
            f"{', '.join(str(p) for p in self.table['break_period'])}",
            field="period",
            value=str(period),
        )

    def headline(self) -> str:
        """Each break period with the event it is attributed to."""
        table = self.table
        if table.empty:
            return "Breaks attributed to events: no break to attribute"
        return "Breaks attributed to events: " + "; ".join(
            f"{rec['break_period']} → {rec['attributed'] or 'none in range'}"
            for rec in table.to_dict(orient="records")
        )

    def summary(self) -> Summary:
        """A readable table: one block per break."""
        lines = [
            "Breaks attributed to events (first period of the new regime; distance in periods)"
        ]
        if self.table.empty:
            lines.append("  no break to attribute")
        for rec in self.table.to_dict(orient="records"):
            lines.append(
                f"  {rec['break_period']} (searched {rec['lower']}–{rec['upper']}): "
                + (
                    f"{rec['attributed']} [{rec['kind']}, {rec['date']}, distance "
                    f"{rec['distance']}]"
                    if rec["attributed"] is not None
                    else "no sanctions or confounder event in range"
                )
            )
            if rec["alternative"] is not None:
                lines.append(f"      alternative (measurement): {rec['alternative']}")
            more = rec["n_candidates"] - len(rec["candidates"])
            if rec["candidates"]:
                lines.append(
                    "      candidates: "
                    + "; ".join(rec["candidates"])
                    + (f"; and {more} more" if more > 0 else "")
                )
        return Summary("\n".join(lines))

    def to_frame(self) -> pd.DataFrame:
        """The table (a copy); ``candidates`` joined with ``"; "``."""
        out = self.table.copy()
        out["candidates"] = out["candidates"].map("; ".join)
        return out

    def to_dict(self) -> JSONDict:
        """JSON-ready dictionary."""
        rows: list[JSONValue] = []
        for rec in self.table.to_dict(orient="records"):
            rows.append(
                {
                    "break_period": str(rec["break_period"]),
                    "lower": str(rec["lower"]),
                    "upper": str(rec["upper"]),
                    "attributed": rec["attributed"],
                    "kind": rec["kind"],
                    "distance": rec["distance"],
                    "date": rec["date"],
                    "alternative": rec["alternative"],
                    "candidates": list(rec["candidates"]),
                    "n_candidates": rec["n_candidates"],
                }
            )
        return {
            "method": "attribution of breaks to events",
            "breaks": rows,
            "options": json_value(self.options),
        }


def _breaks_of(result: Any) -> list[tuple[pd.Period, Any, Any]]:
    """Each break of a result with its interval (None for a sup-F result, which has none).

    A Bai–Perron break whose interval could not be computed (Bai's limiting distribution is
    degenerate, e.g. in a noise-free regime) is searched at its own period only.
    """
    if isinstance(result, MultipleBreaksResult):
        return [
            (
                row["break_period"],
                row["break_period"] if pd.isna(row["lower"]) else row["lower"],
                row["break_period"] if pd.isna(row["upper"]) else row["upper"],
            )
            for row in result.confidence_intervals.to_dict(orient="records")
        ]
    if isinstance(result, SupFTestResult):
        return [(result.break_period, None, None)]
    raise DataValidationError(
        f"result: expected a MultipleBreaksResult or SupFTestResult, got {type(result).__name__}",
        field="result",
        value=type(result).__name__,
    )


def _ranked(
    period: pd.Period, lower: pd.Period, upper: pd.Period, catalog: EventCatalog
) -> list[tuple[TradeEvent, int]]:
    """The catalog's events whose first period lies in ``lower``–``upper``, best first.

    By distance to the break; at equal distance, events before the break, then events dated
    before their own first period begins, then the one closest to that start.
    """
    freq = Frequency.parse(period.freqstr)
    ranked = []
    for ev in catalog:
        first = ev.first_period(freq)
        if lower <= first <= upper:
            begins = first.start_time.date()  # the start of the event's first period
            d = (first - period).n
            key = (abs(d), d > 0, ev.date >= begins, abs((begins - ev.date).days))
            ranked.append((key, ev, d))
    ranked.sort(key=lambda item: item[0])
    return [(ev, d) for _, ev, d in ranked]


def _attribute_one(
    period: pd.Period,
    lower: Any,
    upper: Any,
    catalog: EventCatalog,
    max_distance: int | None,
    max_candidates: int,
) -> dict[str, Any]:
    """The row of one break: the event it is attributed to, the alternative, the candidates."""
    if max_distance is not None:
        lower, upper = period - max_distance, period + max_distance
    elif lower is None or upper is None:
        raise DataValidationError(
            "max_distance: this result has no confidence interval for its break; give "
            "max_distance= (a number of periods either side of the break)",
            field="max_distance",
            value=None,
        )
    inside = _ranked(period, lower, upper, catalog)
    cause = next(((e, d) for e, d in inside if e.kind.role != "measurement"), None)
    alt = next((e for e, _ in inside if e.kind.role == "measurement"), None)
    return {
        "break_period": period,
        "lower": lower,
        "upper": upper,
        "attributed": None if cause is None else cause[0].reference,
        "kind": None if cause is None else cause[0].kind.value,
        "distance": None if cause is None else cause[1],
        "date": None if cause is None else cause[0].date.isoformat(),
        "alternative": None
        if alt is None
        else f"{alt.reference} ({alt.date.isoformat()}: {alt.label})",
        "candidates": tuple(
            f"{e.reference} ({e.kind.value}, {d:+d})" for e, d in inside[:max_candidates]
        ),
        "n_candidates": len(inside),
    }


@renamed_keyword("window", "max_distance")
def attribute_breaks(
    result: MultipleBreaksResult | SupFTestResult,
    catalog: EventCatalog,
    *,
    max_distance: int | None = None,
    kinds: Iterable[EventKind | str] | None = None,
    max_candidates: int = 5,
) -> BreakAttribution:
    """Tie each break of a break test to the events of a catalog.

    For every break period, the candidate events are those whose first period
    (``event.first_period(freq)``) falls inside the break's confidence interval — or, with
    ``max_distance``, within that many periods of the break (needed for a sup-F result,
    which has no interval). By default only events whose kind is sanctions-related, a
    confounder or a measurement change are candidates (:attr:`EventKind.role`); nuclear
    tests, launches and summits are context, not causes of a break in trade. ``kinds``
    restricts the candidates to the kinds given instead.

    Candidates are ranked by distance (event's first period minus the break period, in
    absolute value); at equal distance, events before the break come first (they can have
    caused it), then events dated before their own first period begins, then the one
    closest in time to that start — so a 2018 break is attributed to UNSCR 2397
    (2017-12-22) rather than to an event dated earlier in 2017, or to a step dated
    2018-01-01. The break is ``attributed`` to the best-ranked sanctions or confounder
    event; the best-ranked measurement event (a data-definition change) is shown beside it
    as the ``alternative``: a break at the same time as a change in how the data are
    compiled may be an artefact of it.

    Parameters
    ----------
    result : MultipleBreaksResult or SupFTestResult
    catalog : EventCatalog
    max_distance : int, optional
        Search this many periods either side of the break instead of its interval (the old
        name ``window=`` still works, with a ``FutureWarning``: ``window=`` is only ever a
        sample range).
    kinds : iterable of EventKind or str, optional
    max_candidates : int, default 5
        How many candidates to list per break.

    Returns
    -------
    BreakAttribution

    Raises
    ------
    DataValidationError
        A result of another kind, or a sup-F result without ``max_distance``.

    Examples
    --------
    >>> import bilateral_trade as bt
    >>> s = bt.datasets.china_dprk_trade().slice(end=2019)
    >>> bp = bt.bai_perron(s, log=True, max_breaks=2)
    >>> bt.attribute_breaks(bp, bt.datasets.dprk_sanctions()).row(2018)["attributed"]
    'UNSCR 2397'
    """
    breaks = _breaks_of(result)
    if max_distance is not None:
        max_distance = check_int(max_distance, "max_distance", minimum=0)
    max_candidates = check_int(max_candidates, "max_candidates", minimum=1)
    candidates_catalog = (
        catalog.of_kind(*kinds) if kinds is not None else catalog.of_role(*_ROLE_ORDER)
    )
    rows = [
        _attribute_one(period, lower, upper, candidates_catalog, max_distance, max_candidates)
        for period, lower, upper in breaks
    ]
    columns = [
        "break_period",
        "lower",
        "upper",
        "attributed",
        "kind",
        "distance",
        "date",
        "alternative",
        "candidates",
        "n_candidates",
    ]
    return BreakAttribution(
        pd.DataFrame(rows, columns=columns, dtype=object),
        {
            "max_distance": max_distance,
            "kinds": None if kinds is None else [str(k) for k in kinds],
            "roles": None if kinds is not None else list(_ROLE_ORDER),
            "max_candidates": max_candidates,
        },
    )
