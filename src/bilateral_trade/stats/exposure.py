"""Sanctioned-goods exposure: how much of a pair's trade fell in the HS lines a resolution banned.

Each resolution of a catalog carries its bans by direction: ``banned_exports`` (goods the
target may not export — they hit its partners' imports from it) and ``banned_supply`` (goods
that may not be supplied to it — its partners' exports to it). The functions here pick the
list that matches the flow: a reporter's ``imports`` from the target use ``banned_exports``,
its ``exports`` to the target ``banned_supply``.

A panel line counts as banned when it lies within a banned code (``"270111"`` within
``"2701"``, ``"6204"`` within ``"62"``). A line coarser than a banned code (chapter ``"27"``
against ``"2701"``) cannot be split and is reported, never guessed.
"""

from __future__ import annotations

import math
import warnings
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd
from scipy import stats

from .._util.aliases import JSONDict
from .._util.compat import case_default
from .._util.format import Summary, json_number, pct, show
from ..data.countries import check_country
from ..data.events import EventCatalog, EventKind, TradeEvent
from ..data.panel import TradePanel
from ..data.periods import parse_period
from ..data.series import Flow, TradeSeries
from ..errors import DataQualityWarning, DataValidationError, InsufficientDataError
from ..models.results import Result

__all__ = ["BasketGap", "basket_gap", "baskets", "exposure"]

_TINY = float(np.finfo(np.float64).tiny)


def _banned(event: TradeEvent, flow: Flow) -> tuple[str, ...]:
    if flow is Flow.IMPORTS:
        return event.banned_exports
    if flow is Flow.EXPORTS:
        return event.banned_supply
    raise DataValidationError(
        f"flow: exposure is by direction: 'imports' (from the target) or 'exports' (to it), not "
        f"{flow.value}",
        field="flow",
        value=flow.value,
    )


def _inputs(panel: Any, catalog: Any, reporter: Any, partner: Any) -> tuple[str, str]:
    """Check the panel and catalog types; return the reporter and partner as ISO codes."""
    if not isinstance(panel, TradePanel):
        raise DataValidationError(
            f"panel: expected a TradePanel, got {type(panel).__name__}; build one with "
            "bt.TradePanel(frame)",
            field="panel",
            value=type(panel).__name__,
        )
    if not isinstance(catalog, EventCatalog):
        raise DataValidationError(
            f"catalog: expected an EventCatalog, got {type(catalog).__name__} (e.g. "
            "bt.datasets.dprk_sanctions())",
            field="catalog",
            value=type(catalog).__name__,
        )
    return check_country(reporter, "reporter"), check_country(partner, "partner")


def _pair_lines(frame: pd.DataFrame, reporter: str, partner: str, flow: Flow) -> pd.DataFrame:
    if flow not in (Flow.IMPORTS, Flow.EXPORTS):
        raise DataValidationError(
            f"flow: exposure is by direction: 'imports' (from the target) or 'exports' (to it), "
            f"not {flow.value}",
            field="flow",
            value=flow.value,
        )
    rows = frame[
        (frame["reporter"] == reporter)
        & (frame["partner"] == partner)
        & (frame["flow"] == flow.value)
        & (frame["product"] != "TOTAL")
    ]
    if len(rows) == 0:
        raise InsufficientDataError(
            f"exposure: the panel has no HS lines for {reporter} {flow.value} "
            f"{'from' if flow is Flow.IMPORTS else 'to'} {partner}"
        )
    return rows


def _classify(products: Iterable[str], codes: Sequence[str]) -> tuple[set[str], set[str]]:
    """Lines within a banned code, and lines coarser than one (cannot be split)."""
    inside, partial = set(), set()
    for p in set(products):
        if any(p.startswith(c) for c in codes):
            inside.add(p)
        elif any(c.startswith(p) and len(c) > len(p) for c in codes):
            partial.add(p)
    return inside, partial


def _resolutions(catalog: EventCatalog, flow: Flow, partner: str) -> list[TradeEvent]:
    # sanctions resolutions and measures, countermeasures and enforcement steps (not vetoes)
    # aimed at the partner (or with no target recorded)
    chosen = [
        e
        for e in catalog
        if e.kind.role == "sanctions"
        and e.kind is not EventKind.VETO
        and (not e.target or partner in e.target)
    ]
    if not chosen:
        raise DataValidationError(
            f"catalog: no sanctions resolution or measure against {partner} in the catalog",
            field="catalog",
            value=len(catalog),
        )
    with_list = [e for e in chosen if _banned(e, flow)]
    if not with_list:
        raise DataValidationError(
            f"catalog: none of {', '.join(e.reference for e in chosen)} has an HS list for "
            f"{'the target’s exports' if flow is Flow.IMPORTS else 'supplies to the target'}",
            field="catalog",
            value=[e.reference for e in chosen],
        )
    return with_list


def exposure(
    panel: TradePanel,
    catalog: EventCatalog,
    *,
    reporter: str,
    partner: str,
    flow: Flow | str,
    base: Any = None,
) -> pd.DataFrame:
    """Share of a pair's trade in the base period that each resolution banned.

    Parameters
    ----------
    panel : TradePanel
        HS lines (2, 4 or 6 digits) of the pair; a TOTAL row, when present, is the base value.
    catalog : EventCatalog
        Resolutions (or unilateral measures) with ``banned_exports``/``banned_supply`` lists.
        Every event of role ``"sanctions"`` but vetoes counts, when its ``target`` includes
        ``partner`` or is empty; choose the actor yourself (``catalog.of_actor("EU")`` for
        an EU member's trade with Russia).
    reporter, partner : str
        The pair: the reporter's trade with the sanctions target.
    flow : {"imports", "exports"}
        ``"imports"`` (from the target) uses the export bans, ``"exports"`` (to the target)
        the supply bans.
    base : period-like
        The base period, before the bans (2016 for the DPRK resolutions of 2016–2017).
        Give it: a call without it still uses 2016, with a ``FutureWarning``.

    Returns
    -------
    pandas.DataFrame
        One row per resolution with a list for this direction, in date order: ``reference,
        date, banned_value, base_value, share, cumulative_share, hs_lines`` (the panel codes
        counted) and ``partial_lines`` (panel codes coarser than a banned code, not counted).
        ``cumulative_share`` counts each line once, however many resolutions banned it.

    Raises
    ------
    DataValidationError
        ``panel`` not a TradePanel or ``catalog`` not an EventCatalog, a reporter or partner
        that is not an ISO 3166-1 alpha-3 code (codes are case-insensitive), a base period
        outside the panel, a flow other than imports or exports, or no resolution with an
        HS list (naming the resolutions).
    InsufficientDataError
        No HS line for the pair.

    Warns
    -----
    DataQualityWarning
        A base value of zero: the shares are NaN.
    """
    reporter, partner = _inputs(panel, catalog, reporter, partner)
    f = Flow.parse(flow)
    frame = panel.to_frame()
    lines = _pair_lines(frame, reporter, partner, f)
    base = case_default(base, "base", 2016, "exposure", "the DPRK bans'")
    period = parse_period(base, panel.frequency, field="base")
    at_base = lines[lines["period"] == period]
    if len(at_base) == 0:
        periods = lines["period"]
        raise DataValidationError(
            f"base: {period} is outside the pair's data ({periods.min()} to {periods.max()})",
            field="base",
            value=str(period),
        )
    total_row = frame[
        (frame["reporter"] == reporter)
        & (frame["partner"] == partner)
        & (frame["flow"] == f.value)
        & (frame["product"] == "TOTAL")
        & (frame["period"] == period)
    ]
    with np.errstate(over="ignore"):
        base_value = (
            float(total_row["value"].sum()) if len(total_row) else float(at_base["value"].sum())
        )
    if not math.isfinite(base_value):
        raise DataValidationError(
            f"value: the base value of {reporter} {f.value} in {period} exceeds the range of "
            "floating-point numbers; express the panel in a larger unit",
            field="value",
            value=str(period),
        )
    if base_value < _TINY:
        warnings.warn(
            DataQualityWarning(
                f"exposure: the base value of {reporter} {f.value} "
                f"{'from' if f is Flow.IMPORTS else 'to'} {partner} in {period} is "
                f"{'zero' if base_value == 0 else show(base_value)}; the shares are NaN (choose "
                "a base period with trade)"
            ),
            stacklevel=2,
        )
    values = dict(zip(at_base["product"], at_base["value"], strict=True))
    counted: set[str] = set()
    rows = []
    for event in _resolutions(catalog, f, partner):
        inside, partial = _classify(values, _banned(event, f))
        counted |= inside
        banned_value = float(sum(values[p] for p in inside))
        rows.append(
            {
                "reference": event.reference,
                "date": event.date,
                "banned_value": banned_value,
                "base_value": base_value,
                "share": banned_value / base_value if base_value >= _TINY else math.nan,
                "cumulative_share": (
                    float(sum(values[p] for p in counted)) / base_value
                    if base_value >= _TINY
                    else math.nan
                ),
                "hs_lines": ";".join(sorted(inside)),
                "partial_lines": ";".join(sorted(partial)),
            }
        )
    return pd.DataFrame(rows)


def _events_codes(
    catalog: EventCatalog, events: Any, flow: Flow
) -> tuple[list[TradeEvent], list[str]]:
    items = [events] if isinstance(events, TradeEvent | str) else list(events)
    chosen = [catalog.get(e) if isinstance(e, str) else e for e in items]
    missing = [e.reference for e in chosen if not _banned(e, flow)]
    if missing:
        raise DataValidationError(
            f"events: {', '.join(missing)} ha{'s' if len(missing) == 1 else 've'} no HS list for "
            f"this direction",
            field="events",
            value=missing,
        )
    codes = sorted({c for e in chosen for c in _banned(e, flow)})
    return chosen, codes


def baskets(
    panel: TradePanel,
    catalog: EventCatalog,
    *,
    reporter: str,
    partner: str,
    flow: Flow | str,
    events: Any,
) -> tuple[TradeSeries, TradeSeries]:
    """The pair's trade split into two series: lines banned by ``events`` and the rest.

    Parameters
    ----------
    panel, catalog, reporter, partner, flow
        As for :func:`exposure`.
    events : TradeEvent, reference or a list of them
        The resolutions whose bans (united) define the banned basket.

    Returns
    -------
    (TradeSeries, TradeSeries)
        Banned and not banned, summed over lines by period (``product = "TOTAL"``, with the
        basket named in ``source``).

    Raises
    ------
    DataValidationError
        Lines coarser than a banned code (they cannot be assigned), an event without an HS
        list for this direction, or a basket that is empty in some period.
    """
    reporter, partner = _inputs(panel, catalog, reporter, partner)
    f = Flow.parse(flow)
    lines = _pair_lines(panel.to_frame(), reporter, partner, f)
    chosen, codes = _events_codes(catalog, events, f)
    inside, partial = _classify(lines["product"], codes)
    if partial:
        raise DataValidationError(
            f"product: lines {', '.join(sorted(partial)[:8])} are coarser than banned codes and "
            "cannot be split between the baskets; use finer lines",
            field="product",
            value=sorted(partial)[:8],
        )
    label = ", ".join(e.reference for e in chosen)
    out = []
    for name, mask in (
        ("banned", lines["product"].isin(inside)),
        ("not banned", ~lines["product"].isin(inside)),
    ):
        sums = lines[mask.to_numpy()].groupby("period")["value"].sum()
        if len(sums) == 0:
            raise DataValidationError(
                f"events: the {name} basket is empty for this pair", field="events", value=label
            )
        index = pd.PeriodIndex(sums.index)
        out.append(
            TradeSeries(
                pd.Series(sums.to_numpy(), index=index),
                reporter=reporter,
                partner=partner,
                flow=f,
                unit=panel.unit,
                source=f"{name} basket of {label} ({panel.source})",
                gaps="keep",
            )
        )
    return out[0], out[1]


@dataclass(frozen=True)
class BasketGap(Result):
    """Difference in log change across an event between the banned and the other basket.

    ``estimate = [mean_post(log B) − mean_pre(log B)] − [mean_post(log N) − mean_pre(log N)]``,
    a difference-in-differences within one pair; negative when the banned goods fell more.
    """

    estimate: float
    std_error: float
    ci: tuple[float, float]
    p_value: float
    event_period: pd.Period
    n_pre: int
    n_post: int
    events: tuple[str, ...]

    def summary(self) -> Summary:
        """Readable text."""
        return Summary(
            f"Banned-basket gap across {', '.join(self.events)} (from {self.event_period}): "
            f"{self.estimate:.3f} log points ({pct(math.expm1(self.estimate))}); s.e. "
            f"{self.std_error:.3f}, 95% CI {self.ci[0]:.3f} to {self.ci[1]:.3f}, p = "
            f"{self.p_value:.3g}; {self.n_pre} periods before, {self.n_post} after"
        )

    def to_dict(self) -> JSONDict:
        """JSON-ready dictionary."""
        return {
            "estimate": json_number(self.estimate),
            "std_error": json_number(self.std_error),
            "ci": [json_number(self.ci[0]), json_number(self.ci[1])],
            "p_value": json_number(self.p_value),
            "event_period": str(self.event_period),
            "n_pre": self.n_pre,
            "n_post": self.n_post,
            "events": list(self.events),
        }


def basket_gap(
    panel: TradePanel,
    catalog: EventCatalog,
    *,
    reporter: str,
    partner: str,
    flow: Flow | str,
    events: Any,
    level: float = 0.95,
) -> BasketGap:
    """Did the banned basket fall more than the rest? A difference-in-differences in logs.

    With ``z_t = log B_t − log N_t`` (banned over not-banned basket), the estimate is
    ``mean(z_t, t ≥ T) − mean(z_t, t < T)`` with ``T`` the first period of the last of
    ``events`` (``event.first_period``), and its standard error the Welch two-sample one; the
    interval and p-value use the Welch–Satterthwaite t distribution.

    Raises
    ------
    InsufficientDataError
        Fewer than two periods on either side of the event, or a basket with a zero value.
    """
    f = Flow.parse(flow)
    banned, other = baskets(
        panel, catalog, reporter=reporter, partner=partner, flow=f, events=events
    )
    chosen, _ = _events_codes(catalog, events, f)
    start = max(e.first_period(panel.frequency) for e in chosen)
    both = pd.DataFrame({"b": banned.values, "n": other.values}).dropna()
    if (both <= 0).any().any():
        raise InsufficientDataError("basket_gap: a basket is zero in some period; logs undefined")
    z = np.log(both["b"]) - np.log(both["n"])
    index = pd.PeriodIndex(both.index)
    pre, post = z[(index < start)], z[(index >= start)]
    if len(pre) < 2 or len(post) < 2:
        raise InsufficientDataError(
            f"basket_gap: needs at least two periods before and after {start}, got {len(pre)} and "
            f"{len(post)}"
        )
    est = float(post.mean() - pre.mean())
    v1, v2 = float(pre.var(ddof=1)) / len(pre), float(post.var(ddof=1)) / len(post)
    se = math.sqrt(v1 + v2)
    df = (v1 + v2) ** 2 / (v1**2 / (len(pre) - 1) + v2**2 / (len(post) - 1)) if se > 0 else math.inf
    tcrit = float(stats.t.ppf(0.5 + level / 2, df))
    p = float(2 * stats.t.sf(abs(est) / se, df)) if se > 0 else 0.0
    return BasketGap(
        est,
        se,
        (est - tcrit * se, est + tcrit * se),
        p,
        start,
        len(pre),
        len(post),
        tuple(e.reference for e in chosen),
    )
