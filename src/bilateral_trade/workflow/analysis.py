"""One event analysis, designed in one place: :func:`analyze` and :class:`EventAnalysis`.

"What did the 2017 resolutions do to trade?" is answered here, once: the window (chosen from
the catalog's confounders), the tests (Chow at the event, sup-F and Bai–Perron in the
window, attribution of the breaks), the counterfactual(s), the lost trade and the placebo
test. The demo, the reports, the command line and the tutorial only render an
:class:`EventAnalysis`, so the same question gets the same number everywhere.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any, Literal, cast

import numpy as np
import pandas as pd

from .._util.aliases import JSONDict, JSONValue
from .._util.format import Summary, json_number, json_value, money, pct
from ..data.events import EventCatalog, TradeEvent
from ..data.periods import Frequency, parse_period
from ..data.series import TradeSeries, title_in_words
from ..errors import BilateralTradeError, DataValidationError
from ..models.caveats import (
    check_catalog_event,
    check_window,
    collecting,
    describe_events,
    emit,
    same_event,
)
from ..models.results import Caveat, CounterfactualResult, LostTrade, NotComputed, Result
from ..models.spec import CovType, Spec
from ..models.validators import as_values, check_bool, check_int
from ..stats.breaks import bai_perron, chow_forecast_test, chow_test, sup_f_test
from ..stats.breaks.results import BreakTestResult, MultipleBreaksResult, SupFTestResult
from ..stats.growth import yoy
from ..stats.impact import (
    PlaceboResult,
    event_impact,
    placebo_test,
)
from ..stats.recovery import RecoveryResult, recovery
from .attribution import BreakAttribution, attribute_breaks
from .window import AnalysisWindow, choose_window

__all__ = ["COUNTERFACTUALS", "EventAnalysis", "analyze"]

Counterfactual = Literal["trend", "mean", "control", "synthetic"]
COUNTERFACTUALS: tuple[Counterfactual, ...] = ("trend", "mean", "control", "synthetic")

_DESCRIPTIONS = {
    "trend": "pre-event trend",
    "mean": "pre-event mean level (no trend)",
    "control": "control series (difference-in-differences)",
    "synthetic": "synthetic control from donor series",
}

_EFFECT_NUMBERS = (
    "relative_effect",
    "effect_lower",
    "effect_upper",
    "p_value",
    "lost",
    "lost_lower",
    "lost_upper",
)
_EFFECT_COLUMNS = ("counterfactual", "description", *_EFFECT_NUMBERS, "lost_start", "lost_end")


def _missing(x: Any) -> bool:
    return x is None or (isinstance(x, float) and math.isnan(x))


@dataclass(frozen=True, eq=False)
class EventAnalysis(Result):
    """The analysis of one event on one series (immutable): the answer and how it was reached.

    Attributes
    ----------
    label, unit : str
        The series' label and unit.
    event : TradeEvent
    first_period : pandas.Period
        The first period of the new regime (``event.first_period(freq)``).
    window : AnalysisWindow
        The estimation window and the rule that chose it.
    values : pandas.Series
        The whole series (not only the window).
    growth : pandas.Series
        Year-on-year change of the whole series (fractions).
    recovery : RecoveryResult
        Level against ``baseline`` (default: the last period before the event).
    chow, sup_f, bai_perron : results or None
        Break tests on the window (None when the data do not allow one: see ``skipped``).
    attribution : BreakAttribution or None
        The Bai–Perron breaks tied to the catalog's events.
    impacts : dict of CounterfactualResult
        One impact result per counterfactual, in the order asked
        (:class:`~bilateral_trade.ImpactResult` or
        :class:`~bilateral_trade.SyntheticControlResult`, both with ``path``,
        ``relative_effect`` and ``lost``); the first is the headline (``impact``, ``lost``).
    placebo : PlaceboResult or None
        Placebo-in-time test of the headline regression (synthetic control carries its own
        in-space placebo).
    caveats : tuple of Caveat
        Every :class:`~bilateral_trade.DataQualityWarning` the analysis raised, each a
        :class:`~bilateral_trade.models.results.Caveat` (a string with a ``kind``:
        ``"confounder"``, ``"measurement"``, ``"extrapolation"``, ``"fit"``, ``"inference"``
        or ``"data_quality"``).
    skipped : Mapping of str to NotComputed
        Components not computed (``"chow"``, ``"sup_f"``, ``"bai_perron"``, ``"placebo"``),
        each a :class:`~bilateral_trade.models.results.NotComputed` whose ``str()`` is the
        reason; the same as :attr:`not_computed`.
    options : Mapping
        Every option used, enough to regenerate the analysis (read-only).
    series : TradeSeries or None
        The series analysed, with its metadata (None for a plain pandas Series).
    """

    label: str
    unit: str
    event: TradeEvent
    first_period: pd.Period
    window: AnalysisWindow
    values: pd.Series
    growth: pd.Series
    recovery: RecoveryResult
    chow: BreakTestResult | None
    sup_f: SupFTestResult | None
    bai_perron: MultipleBreaksResult | None
    attribution: BreakAttribution | None
    impacts: dict[str, CounterfactualResult]
    placebo: PlaceboResult | None
    caveats: tuple[Caveat, ...]
    skipped: Mapping[str, NotComputed]
    options: Mapping[str, Any] = field(default_factory=dict)
    series: TradeSeries | None = field(default=None, repr=False)

    def __post_init__(self) -> None:
        super().__post_init__()
        caveats = tuple(c if isinstance(c, Caveat) else Caveat(c) for c in self.caveats)
        object.__setattr__(self, "caveats", caveats)
        object.__setattr__(self, "skipped", MappingProxyType(dict(self.skipped)))

    @property
    def impact(self) -> CounterfactualResult:
        """The headline impact (the first counterfactual asked)."""
        return next(iter(self.impacts.values()))

    @property
    def lost(self) -> LostTrade:
        """Trade lost against the headline counterfactual."""
        return self.impact.lost

    @property
    def not_computed(self) -> Mapping[str, NotComputed]:
        """The components that could not be computed (:attr:`skipped`)."""
        return self.skipped

    # ------------------------------------------------------------ rendering
    def _description(self, name: str) -> str:
        text = _DESCRIPTIONS[name]
        control = self.options.get("control")
        if name == "control" and control:
            text = f"control series {control} (difference-in-differences)"
        return text

    def effects(self) -> pd.DataFrame:
        """One row per counterfactual: effect, interval, lost trade and its interval.

        Columns ``counterfactual``, ``description`` (text), ``relative_effect``,
        ``effect_lower``, ``effect_upper``, ``p_value`` (the ``relative_effect``
        :class:`~bilateral_trade.models.results.Effect` of each result), ``lost``,
        ``lost_lower``, ``lost_upper`` (its :class:`~bilateral_trade.models.results.LostTrade`)
        as floats — NaN where a result has none (no interval for a synthetic control, no
        relative effect with ``log=False``) — and ``lost_start``, ``lost_end`` (text).
        """
        nan = math.nan
        columns: dict[str, list[Any]] = {c: [] for c in _EFFECT_COLUMNS}
        for name, imp in self.impacts.items():
            rel, lost = imp.relative_effect, imp.lost
            effect = (nan, nan, nan, nan) if rel is None else (rel.estimate, *rel.ci, rel.p_value)
            lost_ci = (nan, nan) if lost.ci is None else lost.ci
            row = (
                name,
                self._description(name),
                *effect,
                lost.estimate,
                *lost_ci,
                str(lost.start),
                str(lost.end),
            )
            for col, value in zip(_EFFECT_COLUMNS, row, strict=True):
                columns[col].append(value)
        return pd.DataFrame(
            {
                c: np.asarray(v, dtype=np.float64) if c in _EFFECT_NUMBERS else v
                for c, v in columns.items()
            }
        )

    def tests(self) -> pd.DataFrame:
        """The break tests in the window: test, statistic, p-value, break period."""
        rows: list[dict[str, Any]] = []
        if self.chow is not None:
            rows.append(
                {
                    "test": f"{self.chow.method} at {self.first_period}",
                    "statistic": self.chow.statistic,
                    "p_value": self.chow.p_value,
                    "break": str(self.first_period),
                }
            )
        if self.sup_f is not None:
            rows.append(
                {
                    "test": f"sup-F (trim {self.sup_f.options['trim']:g})",
                    "statistic": self.sup_f.statistic,
                    "p_value": self.sup_f.p_value,
                    "break": str(self.sup_f.break_period),
                }
            )
        if self.bai_perron is not None:
            rows.append(
                {
                    "test": f"Bai–Perron ({self.bai_perron.options.get('criterion', 'bic')}, "
                    f"trim {self.bai_perron.options['trim']:g})",
                    "statistic": math.nan,
                    "p_value": math.nan,
                    "break": ", ".join(str(p) for p in self.bai_perron.break_periods) or "none",
                }
            )
        frame = pd.DataFrame(rows, columns=["test", "statistic", "p_value", "break"])
        # Bai–Perron has no single statistic: NaN (summaries and reports leave it blank)
        return frame.astype({"statistic": "float64", "p_value": "float64"})

    def to_frame(self, table: str = "series") -> pd.DataFrame:
        """A table of the analysis.

        ``"series"`` (default): by period, the value, YoY, ratio to the baseline, whether it
        is in the window and after the event, and each counterfactual path; ``"effects"``:
        one row per counterfactual; ``"tests"``: the break tests; ``"attribution"``: the
        breaks and their events; ``"placebo"``: the placebo distribution.
        """
        if table == "series":
            frame = pd.DataFrame(
                {
                    "value": self.values,
                    "yoy": self.growth,
                    "ratio": self.recovery.ratio,
                },
                index=self.values.index,
            )
            frame.index.name = "period"
            frame["in_window"] = (frame.index >= self.window.start) & (
                frame.index <= self.window.end
            )
            frame["post"] = frame.index >= self.first_period
            for name, imp in self.impacts.items():
                frame[f"counterfactual_{name}"] = imp.path["counterfactual"].reindex(frame.index)
            return frame
        if table == "effects":
            return self.effects()
        if table == "tests":
            return self.tests()
        if table == "attribution":
            return self.attribution.to_frame() if self.attribution is not None else pd.DataFrame()
        if table == "placebo":
            return self.placebo.to_frame() if self.placebo is not None else pd.DataFrame()
        raise DataValidationError(
            f"table: {table!r} is not one of 'series', 'effects', 'tests', 'attribution', "
            "'placebo'",
            field="table",
            value=table,
        )

    def break_model(self) -> str:
        """The break tests' model in words, as :meth:`Spec.describe` gives it.

        E.g. ``"log value on an intercept and a linear trend; every coefficient may break"``.
        """
        return Spec.from_options(self.options).describe(breaks=True)

    def headline(self) -> str:
        """One sentence: the effect and the lost trade against the headline counterfactual."""
        rel, lost = self.impact.relative_effect, self.lost
        text = f"{self.event.reference} ({self.event.date.isoformat()}), from {self.first_period}"
        if rel is not None and not math.isnan(rel.estimate):
            text += f": level {pct(rel.estimate)}"
            if not math.isnan(rel.ci[0]):
                text += f" (95% CI {pct(rel.ci[0])} to {pct(rel.ci[1])})"
        gained = lost.estimate < 0  # trade above the counterfactual (diversion)
        sign = -1.0 if gained else 1.0
        ci = None if lost.ci is None else sorted((sign * lost.ci[0], sign * lost.ci[1]))
        text += (
            f"; trade {'gained' if gained else 'lost'} {lost.start}–{lost.end}: "
            f"{money(sign * lost.estimate, self.unit)}"
            + (
                f" (95% CI {money(ci[0], self.unit)} to {money(ci[1], self.unit)})"
                if ci is not None
                else ""
            )
            + f", against the {self._description(next(iter(self.impacts)))}"
        )
        return text

    def summary(self) -> Summary:
        """Readable text of the whole analysis."""
        lines = [
            f"Event analysis — {self.label}",
            f"  event: {self.event.reference} ({self.event.date.isoformat()}, "
            f"{self.event.kind.value}); first period of the new regime {self.first_period}",
            f"  window: {self.window.describe()}",
            f"  break-test model: {self.break_model()}; impact: "
            f"{self.options['model']} change, {self.options['cov']} errors",
            "",
            "  Answer: " + self.headline(),
            "",
            "  Counterfactuals:",
        ]
        for r in self.effects().to_dict(orient="records"):
            effect = (
                "—"
                if r["relative_effect"] is None or pd.isna(r["relative_effect"])
                else pct(float(r["relative_effect"]))
            )
            if r["effect_lower"] is not None and not pd.isna(r["effect_lower"]):
                effect += f" ({pct(float(r['effect_lower']))} to {pct(float(r['effect_upper']))})"
            lost = money(float(r["lost"]), self.unit)
            if r["lost_lower"] is not None and not pd.isna(r["lost_lower"]):
                lost += (
                    f" ({money(float(r['lost_lower']), self.unit)} to "
                    f"{money(float(r['lost_upper']), self.unit)})"
                )
            p = "" if _missing(r["p_value"]) else f"; p = {float(r['p_value']):.2g}"
            if r["counterfactual"] == "synthetic" and not _missing(r["p_value"]):
                p += " (in-space placebo)"
            lines.append(f"    {r['counterfactual']:<10} effect {effect}{p}; lost {lost}")
        lines += ["", "  Break tests in the window:"]
        for r in self.tests().to_dict(orient="records"):
            stat = "" if _missing(r["statistic"]) else f"F = {r['statistic']:.2f}, "
            p = "" if _missing(r["p_value"]) else f"p = {r['p_value']:.2g}, "
            lines.append(f"    {r['test']}: {stat}{p}break {r['break']}")
        if self.attribution is not None and len(self.attribution):
            lines += ["", *("  " + x for x in str(self.attribution.summary()).splitlines())]
        if self.placebo is not None:
            lines += ["", *("  " + x for x in str(self.placebo.summary()).splitlines())]
        if self.skipped:
            lines += ["", "  Not computed:"]
            lines += [f"    {k}: {v}" for k, v in self.skipped.items()]
        if self.caveats:
            lines += ["", "  Caveats:"]
            lines += [f"    - {c}" for c in self.caveats]
        return Summary("\n".join(lines))

    def to_dict(self) -> JSONDict:
        """JSON-ready dictionary of every component.

        A component that could not be computed is ``{"not_computed": reason, "component":
        name}`` (:class:`~bilateral_trade.models.results.NotComputed`); ``"skipped"`` maps the
        same names to the reasons, and ``"caveats"`` lists ``{"text": ..., "kind": ...}``.
        """
        skipped = self.skipped

        def _maybe(name: str, x: Any) -> JSONValue:
            if x is not None:
                return cast(JSONValue, x.to_dict())
            return skipped[name].to_dict() if name in skipped else None

        effects: list[JSONValue] = [
            {str(k): (json_number(v) if isinstance(v, float) else v) for k, v in rec.items()}
            for rec in self.effects().to_dict(orient="records")
        ]
        return {
            "method": "event analysis",
            "label": self.label,
            "unit": self.unit,
            "event": self.event.to_dict(),
            "first_period": str(self.first_period),
            "window": self.window.to_dict(),
            "headline": self.headline(),
            "effects": effects,
            "growth": {
                str(p): json_number(float(v))
                for p, v in zip(self.growth.index, self.growth, strict=True)
            },
            "recovery": self.recovery.to_dict(),
            "chow": _maybe("chow", self.chow),
            "sup_f": _maybe("sup_f", self.sup_f),
            "bai_perron": _maybe("bai_perron", self.bai_perron),
            "attribution": _maybe("attribution", self.attribution),
            "impacts": {k: cast(JSONValue, v.to_dict()) for k, v in self.impacts.items()},
            "placebo": _maybe("placebo", self.placebo),
            "caveats": [c.to_dict() for c in self.caveats],
            "skipped": {k: str(v) for k, v in skipped.items()},
            "options": json_value(self.options),
        }


def _joint_caveat(win: AnalysisWindow, event: TradeEvent) -> str:
    """What the confounders kept inside the window mean for the estimate."""
    before = [e.reference for e in win.joint if e.date < event.date]
    after = [e.reference for e in win.joint if e.date >= event.date]
    text = ""
    if before:
        text += (
            f"; {', '.join(before)} would leave too short a pre-period for the model and "
            "are kept inside: the pre-event fit includes them"
        )
    if after:
        text += f"; the estimate is a joint effect with {', '.join(after)}"
    return text


def _as_catalog(catalog: Any) -> EventCatalog | None:
    """``catalog=`` as an EventCatalog (a list of TradeEvents is accepted, as in ``report``).

    Anything else is refused by name.
    """
    if catalog is None or isinstance(catalog, EventCatalog):
        return catalog
    if isinstance(catalog, list | tuple) and all(isinstance(e, TradeEvent) for e in catalog):
        return EventCatalog(list(catalog))
    raise DataValidationError(
        f"catalog: expected an EventCatalog or a list of TradeEvents, got {type(catalog).__name__}",
        field="catalog",
        value=type(catalog).__name__,
    )


def _resolve_event(event: Any, catalog: EventCatalog | None) -> TradeEvent:
    """The event analysed: a TradeEvent (consistent with the catalog), or looked up in it."""
    if isinstance(event, TradeEvent):
        check_catalog_event(event, catalog)
        return event
    if isinstance(event, str):
        if catalog is None:
            raise DataValidationError(
                f"event: {event!r} is a reference; give catalog= to look it up, or a TradeEvent",
                field="event",
                value=event,
            )
        return catalog.get(event)
    raise DataValidationError(
        f"event: expected a TradeEvent or a reference in the catalog, got {type(event).__name__}",
        field="event",
        value=repr(event),
    )


def _first_period_in(event: TradeEvent, freq: Frequency, values: pd.Series) -> pd.Period:
    """The event's first period, which must lie inside the data, after its first period.

    Checked before anything is derived from the event (the window, the recovery's default
    baseline), so that the message is about the event.
    """
    first, index = event.first_period(freq), pd.PeriodIndex(values.index)
    span = f"the series runs from {index[0]} to {index[-1]}"
    where = f"{event.reference} ({event.date.isoformat()}) takes effect from {first}"
    if first < index[0] or first > index[-1]:
        raise DataValidationError(
            f"event: {where}, outside the data ({span}); analyse an event that takes effect "
            "inside the series, or extend the series",
            field="event",
            value=event.reference,
        )
    if first == index[0]:
        raise DataValidationError(
            f"event: {where}, the first period of the data ({span}): no period precedes it "
            "to say what trade would have been without it; extend the series back",
            field="event",
            value=event.reference,
        )
    return first


def _counterfactuals(counterfactual: Any) -> tuple[Counterfactual, ...]:
    if not isinstance(counterfactual, str | list | tuple):
        raise DataValidationError(
            f"counterfactual: {counterfactual!r} is not a counterfactual name or a list of "
            f"them; choose from {', '.join(COUNTERFACTUALS)} (e.g. counterfactual='trend')",
            field="counterfactual",
            value=repr(counterfactual),
        )
    items = (counterfactual,) if isinstance(counterfactual, str) else tuple(counterfactual)
    if not items:
        raise DataValidationError(
            "counterfactual: no counterfactual given", field="counterfactual", value=[]
        )
    for item in items:
        if item not in COUNTERFACTUALS:
            raise DataValidationError(
                f"counterfactual: {item!r} is not one of {', '.join(COUNTERFACTUALS)}",
                field="counterfactual",
                value=item,
            )
    if len(set(items)) != len(items):
        raise DataValidationError(
            f"counterfactual: {list(items)} names one twice", field="counterfactual", value=items
        )
    return cast(tuple[Counterfactual, ...], items)


def _window(
    values: pd.Series,
    freq: Frequency,
    event: TradeEvent,
    catalog: EventCatalog | None,
    window: Any,
    need: tuple[int, int] = (1, 1),
) -> AnalysisWindow:
    index = pd.PeriodIndex(values.index)
    if window is None:
        return choose_window(index, event, catalog, min_pre=need[0], min_post=need[1])
    if not isinstance(window, tuple | list) or len(window) != 2:
        raise DataValidationError(
            f"window: {window!r} is not a (start, end) pair of periods",
            field="window",
            value=repr(window),
        )
    start = index[0] if window[0] is None else parse_period(window[0], freq, field="window")
    end = index[-1] if window[1] is None else parse_period(window[1], freq, field="window")
    if start > end or end < index[0] or start > index[-1]:
        raise DataValidationError(
            f"window: {start}–{end} does not overlap the data ({index[0]}–{index[-1]})",
            field="window",
            value=[str(start), str(end)],
        )
    start, end = max(start, index[0]), min(end, index[-1])
    from .window import confounders_inside

    inside = confounders_inside(catalog, start, end, exclude=(event,))
    return AnalysisWindow(start, end, "user", f"window={start}–{end}", inside=inside)


def _check_arguments(*, chosen_raw: Any, control: Any, donors: Any) -> tuple[Counterfactual, ...]:
    """The counterfactuals asked for, with the series each needs and nothing left unused."""
    chosen = _counterfactuals(chosen_raw)
    for name, value, keyword in (("control", control, "control"), ("synthetic", donors, "donors")):
        if name in chosen and value is None:
            what = "a control series" if name == "control" else "donor series"
            raise DataValidationError(
                f"{keyword}: counterfactual {name!r} needs {what} ({keyword}=)",
                field=keyword,
                value=None,
            )
        if name not in chosen and value is not None:
            raise DataValidationError(
                f"{keyword}: given, but only counterfactual {name!r} uses it and the "
                f"counterfactuals asked are {', '.join(chosen)}; add {name!r} to "
                f"counterfactual= or leave out {keyword}=",
                field=keyword,
                value=type(value).__name__,
            )
    return chosen


def _window_caveats(
    win: AnalysisWindow, ev: TradeEvent, catalog: EventCatalog | None, freq: Frequency
) -> list[Caveat]:
    """What the window holds besides the event: confounders, measures of the same period."""
    caveats: list[Caveat] = []
    first = ev.first_period(freq)
    if win.chosen_by == "user":
        check_window(catalog, win.start, win.end, where="analyze", exclude=(ev,))
    elif win.inside:
        caveats.append(
            Caveat(
                f"the window {win.start}–{win.end} contains {describe_events(win.inside)}"
                + _joint_caveat(win, ev),
                "confounder"
                if any(e.kind.role == "confounder" for e in win.inside)
                else "measurement",
            )
        )
    if catalog is not None:
        same = [
            e.reference
            for e in catalog.of_role("sanctions")
            if not same_event(e, ev) and e.first_period(freq) == first  # before or after it
        ]
        if same:
            caveats.append(
                Caveat(
                    f"{', '.join(same)} also take effect from {first} in {freq.label} data: "
                    f"the estimate is the joint effect of {ev.reference} and them",
                    "confounder",
                )
            )
    return caveats


@dataclass
class _Tests:
    """The break tests of step 3 and the components that could not run."""

    chow: BreakTestResult | None = None
    sup_f: SupFTestResult | None = None
    bai_perron: MultipleBreaksResult | None = None
    attribution: BreakAttribution | None = None
    trim: float | None = None
    skipped: dict[str, NotComputed] = field(default_factory=dict)


def _break_tests(
    part: Any,
    ev: TradeEvent,
    spec: Spec,
    freq: Frequency,
    max_breaks: int,
    catalog: EventCatalog | None,
) -> _Tests:
    """Chow at the event (predictive form when few periods follow), sup-F and Bai–Perron.

    sup-F and Bai–Perron use the trimming of :meth:`Spec.choose_trim`; the breaks found are
    attributed to the catalog's events.
    """
    out = _Tests()
    common: dict[str, Any] = {"log": spec.log, "trend": spec.trend}
    k = spec.coefficients(freq)
    n_post = int((pd.PeriodIndex(part.index) >= ev.first_period(freq)).sum())
    try:
        if n_post > k:
            out.chow = chow_test(part, ev, cov="classical", **common)
        else:  # too few periods after the event to estimate its regime: predictive form
            out.chow = chow_forecast_test(part, ev, **common)
    except BilateralTradeError as exc:
        out.skipped["chow"] = NotComputed("chow", str(exc))
    out.trim = spec.choose_trim(len(part), k)
    if out.trim is None:
        why = (
            f"the window has {len(part)} observations, too few for {k} coefficients per "
            "segment with a trimming of at most 0.25"
        )
        out.skipped["sup_f"] = NotComputed("sup_f", why)
        out.skipped["bai_perron"] = NotComputed("bai_perron", why)
        return out
    try:
        out.sup_f = sup_f_test(part, trim=out.trim, **common)
    except BilateralTradeError as exc:
        out.skipped["sup_f"] = NotComputed("sup_f", str(exc))
    try:
        out.bai_perron = bai_perron(part, max_breaks=max_breaks, trim=out.trim, **common)
        if catalog is not None and out.bai_perron.n_breaks:
            out.attribution = attribute_breaks(out.bai_perron, catalog)
    except BilateralTradeError as exc:
        out.skipped["bai_perron"] = NotComputed("bai_perron", str(exc))
    return out


def _impacts(
    part: Any,
    ev: TradeEvent,
    chosen: tuple[Counterfactual, ...],
    shared: dict[str, Any],
    *,
    control: Any,
    donors: Any,
    demean: bool,
) -> dict[str, Any]:
    """One impact per counterfactual: segmented regression, or synthetic control."""
    impacts: dict[str, Any] = {}
    for name in chosen:
        if name == "synthetic":
            from ..stats.synthetic import synthetic_control

            impacts[name] = synthetic_control(
                part, donors, ev, log=shared["log"], demean=demean, placebo=True
            )
        else:
            impacts[name] = event_impact(
                part,
                ev,
                trend=name == "trend",
                control=control if name == "control" else None,
                **shared,
            )
    return impacts


def _placebo(
    part: Any,
    ev: TradeEvent,
    head: Counterfactual,
    shared: dict[str, Any],
    control: Any,
    n_placebos: int | None,
    skipped: dict[str, NotComputed],
) -> PlaceboResult | None:
    """The placebo-in-time test of the headline regression (none for synthetic control)."""
    if head == "synthetic":
        return None
    try:
        return placebo_test(
            part,
            ev,
            n_placebos=n_placebos,
            trend=head == "trend",
            **({"control": control} if head == "control" else {}),
            **shared,
        )
    except BilateralTradeError as exc:
        skipped["placebo"] = NotComputed("placebo", str(exc))
        return None


def _options(
    ev: TradeEvent,
    win: AnalysisWindow,
    window: Any,
    chosen: tuple[Counterfactual, ...],
    control: Any,
    donors: Any,
    base: Any,
    shared: dict[str, Any],
    trend: bool,
    max_breaks: int,
    trim: float | None,
    n_placebos: int | None,
    demean: bool,
) -> dict[str, Any]:
    """Every option the analysis used, so that it can be run again."""
    model, log, cov, hac_lags, level = (
        shared["model"],
        shared["log"],
        shared["cov"],
        shared["hac_lags"],
        shared["level"],
    )
    return {
        "event": ev.reference,
        "window": None if window is None else [str(win.start), str(win.end)],
        "counterfactual": list(chosen),
        "control": None
        if control is None
        else (title_in_words(control) if isinstance(control, TradeSeries) else "given"),
        "donors": None if donors is None else type(donors).__name__,
        "baseline": str(base) if not isinstance(base, float) else base,
        "model": model,
        "log": log,
        "trend": trend,
        "cov": cov,
        "hac_lags": hac_lags,
        "level": level,
        "max_breaks": max_breaks,
        "trim": trim,
        "n_placebos": n_placebos,
        "demean": demean,
    }


def analyze(
    series: Any,
    event: TradeEvent | str,
    *,
    catalog: EventCatalog | None = None,
    window: tuple[Any, Any] | None = None,
    counterfactual: Counterfactual | Sequence[Counterfactual] = "trend",
    control: Any = None,
    donors: Any = None,
    baseline: Any = None,
    model: Literal["level", "level+slope"] = "level",
    log: bool = True,
    cov: CovType = "HAC",
    hac_lags: int | None = None,
    level: float = 0.95,
    max_breaks: int = 2,
    n_placebos: int | None = None,
    demean: bool = False,
) -> EventAnalysis:
    """Analyse what an event did to a trade series: one design, every component.

    Steps, in order:

    1. **Window.** Without ``window=``, the confounder rule of
       :func:`bilateral_trade.workflow.window.choose_window`: from the first period after the last
       confounder before the event (border closure or reopening, pandemic, war, market
       shock; :attr:`EventKind.role`) or the start of the data, to the last period before
       the first confounder after it or the end of the data. Measurement events
       (data-definition changes) inside it are named in ``caveats``. With ``window=(start,
       end)`` that window is used, and every confounder inside it is named in a
       :class:`~bilateral_trade.DataQualityWarning`.
    2. **Description.** Year-on-year change of the whole series; recovery against
       ``baseline`` (default: the last period before the event).
    3. **Break tests on the window**, on the same model as the impact (log level with a
       linear trend by default): the Chow test at the event's first period (Chow's
       predictive test when the window holds no more periods after the event than the
       model has coefficients, :func:`bilateral_trade.stats.breaks.chow_forecast_test`); sup-F and
       Bai–Perron (BIC, at most ``max_breaks`` breaks), with the smallest trimming of 0.15,
       0.20, 0.25 whose minimal segment holds more observations than the model has
       coefficients; the Bai–Perron breaks attributed to the catalog's events.
    4. **Impact**, for each counterfactual asked (the first is the headline):
       ``"trend"`` — segmented regression with a linear trend (:func:`event_impact`);
       ``"mean"`` — the same without a trend (the pre-event level); ``"control"`` —
       difference-in-differences: the log gap to ``control`` is the outcome, no trend
       (parallel paths are the identifying assumption); ``"synthetic"`` — synthetic control
       from ``donors`` (:func:`bilateral_trade.stats.synthetic.synthetic_control`). The trade lost
       is summed over the post-event periods of the window.
    5. **Placebo-in-time test** of the headline regression, p-value ``(1 + k) / (1 + m)``.

    A component the data cannot support (too few observations for sup-F in a short window,
    say) is left out with its reason in ``skipped``; the impact itself must be estimable, or
    the call raises.

    Parameters
    ----------
    series : TradeSeries or pandas.Series
    event : TradeEvent or str
        An event, or its reference in ``catalog``.
    catalog : EventCatalog, optional
        The events: confounders for the window, candidates for the attribution. Without
        one, the window is the whole series and no break is attributed.
    window : (start, end), optional
        Override the rule (either bound may be None for the data's own).
    counterfactual : str or sequence of str, default "trend"
        One or more of ``"trend"``, ``"mean"``, ``"control"``, ``"synthetic"``.
    control : TradeSeries or pandas.Series, optional
        The control series for ``"control"`` (e.g. China's trade with the world).
    donors : TradePanel or pandas.DataFrame, optional
        Donor series for ``"synthetic"``.
    baseline : period, (start, end) or float, optional
        Baseline of the recovery (default: the last period before the event).
    model : {"level", "level+slope"}, default "level"
    log : bool, default True
    cov : {"HAC", "HC1", "classical"}, default "HAC"
    hac_lags : int, optional
    level : float, default 0.95
    max_breaks : int, default 2
    n_placebos : int, optional
    demean : bool, default False
        Demeaned synthetic control (units of different size).

    Returns
    -------
    EventAnalysis

    Raises
    ------
    DataValidationError
        An unknown counterfactual, a missing control or donors, an event reference without
        a catalog, an event that takes effect outside the data or in its first period
        (checked before anything else is derived from it), an event whose reference the
        catalog dates otherwise, a window outside the data; the errors of
        :func:`event_impact`.
    InsufficientDataError
        Too few observations before the event in the window for the impact model.

    Warns
    -----
    DataQualityWarning
        Once per caveat (also kept in ``caveats``): confounders inside a user's window,
        measurement events inside the window, a trend extrapolated further than the
        pre-period, a poor synthetic fit.

    Examples
    --------
    >>> import warnings
    >>> import bilateral_trade as bt
    >>> s = bt.datasets.china_dprk_trade()
    >>> with warnings.catch_warnings():
    ...     warnings.simplefilter("ignore", bt.DataQualityWarning)
    ...     a = bt.analyze(s, "UNSCR 2397", catalog=bt.datasets.dprk_sanctions())
    >>> str(a.window.start), str(a.window.end)
    ('2003', '2019')
    """
    chosen = _check_arguments(chosen_raw=counterfactual, control=control, donors=donors)
    catalog = _as_catalog(catalog)
    max_breaks = check_int(max_breaks, "max_breaks", minimum=1)
    if n_placebos is not None:
        n_placebos = check_int(n_placebos, "n_placebos", minimum=1)
    demean = check_bool(demean, "demean")
    values, freq, ts = as_values(series, field="series")
    ev = _resolve_event(event, catalog)
    first = _first_period_in(ev, freq, values)
    trend = "trend" in chosen or chosen[0] != "mean"
    # the break tests' model; the window must also hold the trend counterfactual when chosen
    spec = Spec.from_keywords(log=log, trend=trend)
    window_spec = Spec.from_keywords(log=log, trend="trend" in chosen, seasonal="auto")
    shared: dict[str, Any] = {
        "model": model,
        "log": log,
        "cov": cov,
        "hac_lags": hac_lags,
        "level": level,
    }
    with collecting() as collected:  # the caveats of every step, reported once below
        # 1. the window, and what it holds
        need = window_spec.periods_needed(freq, model=model)
        win = _window(values, freq, ev, catalog, window, need)
        caveats = _window_caveats(win, ev, catalog, freq)
        part: Any = (
            ts.slice(win.start, win.end)
            if isinstance(ts, TradeSeries)
            else values[(values.index >= win.start) & (values.index <= win.end)]
        )
        # 2. description of the whole series
        growth = yoy(series)
        base = baseline if baseline is not None else first - 1
        rec = recovery(series, baseline=base)
        # 3. break tests on the window
        tests = _break_tests(part, ev, spec, freq, max_breaks, catalog)
        # 4. the impact under each counterfactual, 5. the placebo test of the headline
        impacts = _impacts(part, ev, chosen, shared, control=control, donors=donors, demean=demean)
        placebo = _placebo(part, ev, chosen[0], shared, control, n_placebos, tests.skipped)
    caveats += collected
    unique = tuple(dict.fromkeys(caveats))  # the first of equal texts (and its kind) is kept
    for caveat in unique:
        emit(caveat, stacklevel=2)
    return EventAnalysis(
        label=title_in_words(ts) if ts is not None else str(values.name or "series"),
        unit=ts.unit if ts is not None else "",
        event=ev,
        first_period=first,
        window=win,
        values=values.copy(),
        growth=growth,
        recovery=rec,
        chow=tests.chow,
        sup_f=tests.sup_f,
        bai_perron=tests.bai_perron,
        attribution=tests.attribution,
        impacts=impacts,
        placebo=placebo,
        caveats=unique,
        skipped=tests.skipped,
        options=_options(
            ev,
            win,
            window,
            chosen,
            control,
            donors,
            base,
            dict(shared),
            trend,
            max_breaks,
            tests.trim,
            n_placebos,
            demean,
        ),
        series=ts if isinstance(ts, TradeSeries) else None,
    )
