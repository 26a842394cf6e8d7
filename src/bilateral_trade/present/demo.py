"""The China–DPRK story computed from the embedded data: the job ``bilateral-trade demo`` runs.

The demo renders one :class:`~bilateral_trade.EventAnalysis`, the case
:func:`bilateral_trade.workflow.cases.china_dprk_2397`, and states the descriptive facts (the 2024
figure, the recovery against 2019, the peak) from that analysis' growth and recovery. It
chooses nothing about windows, models or counterfactuals.
"""

from __future__ import annotations

import io
import json
import math
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import pandas as pd

from .. import datasets
from .._util.aliases import JSONDict
from .._util.format import Summary, json_value, money, pct
from ..data.events import EventCatalog, EventKind
from ..data.series import TradeSeries
from ..errors import DataValidationError
from ..models.results import Frozen, Result
from ..models.validators import check_int, value_at
from ..stats.recovery import RecoveryResult
from ..workflow.analysis import EventAnalysis
from ..workflow.cases import china_dprk_2397

__all__ = ["DemoResult", "Statement", "china_dprk_demo"]

_COLUMNS = {
    "exports": "China exports ($m)",
    "imports": "China imports ($m)",
    "total": "Total ($m)",
    "yoy": "YoY total",
    "ratio": "Total / base",
    "events": "UNSC resolutions",
}


@dataclass(frozen=True)
class Statement(Frozen):
    """One statement of the story with the numbers behind it."""

    key: str
    text: str
    values: dict[str, Any]


@dataclass(frozen=True, eq=False)
class DemoResult(Result):
    """The computed story: the table by year, the statements and the flagged figures."""

    table: pd.DataFrame
    statements: tuple[Statement, ...]
    analysis: EventAnalysis
    flagged: pd.DataFrame
    baseline: int
    sources: dict[str, str]

    def summary(self) -> Summary:
        """The demo as text (:meth:`to_text`)."""
        return self.to_text()

    def to_frame(self) -> pd.DataFrame:
        """The table by year (a copy): exports, imports, total, yoy, ratio, events."""
        return self.table

    def to_text(self) -> Summary:
        """The demo as text: statements, table and flagged observations."""
        out = [
            "China–DPRK trade as China's customs report it (embedded data, current USD)",
            "=" * 74,
            "",
            "Statements, computed from the data:",
        ]
        out += [f"  - {s.text}" for s in self.statements]
        out += ["", "What did the December 2017 resolutions do to trade?", ""]
        out += str(self.analysis.summary()).splitlines()
        out += ["", f"By year (ratio to {self.baseline}; events = UNSC resolutions and vetoes):"]
        table = self.table.copy()
        shown = pd.DataFrame(index=table.index)
        for col in ("exports", "imports", "total"):
            shown[_COLUMNS[col]] = table[col].map(
                lambda v: "" if math.isnan(v) else f"{v / 1e6:,.1f}"
            )
        shown[_COLUMNS["yoy"]] = table["yoy"].map(lambda v: "" if math.isnan(v) else pct(v))
        shown[f"% of {self.baseline}"] = table["ratio"].map(
            lambda v: "" if math.isnan(v) else pct(v, signed=False)
        )
        shown[_COLUMNS["events"]] = table["events"]
        out += ["  " + line for line in shown.to_string().splitlines()]
        out += ["", "Observations flagged 'uncertain' or 'derived' (flow from China's side):"]
        for year, rows in self.flagged.groupby("year", sort=True):
            for i, row in enumerate(rows.itertuples(index=False)):
                lead = str(year) if i == 0 else ""
                out.append(f"  {lead:<6}{row.flow:<8} {row.flags:<19} {row.reason}")
            out.append(f"  {'':<6}source: {rows['source'].iloc[0]}")
        out += ["", "Sources:"] + [f"  {k}: {v}" for k, v in self.sources.items()]
        return Summary("\n".join(out))

    def to_dict(self) -> JSONDict:
        """The same content as JSON-ready data."""
        records = json_value(self.table.reset_index().to_dict(orient="records"))
        return {
            "title": "China–DPRK trade as China's customs report it",
            "unit": "USD",
            "baseline": self.baseline,
            "statements": [
                {"key": s.key, "text": s.text, **{k: json_value(v) for k, v in s.values.items()}}
                for s in self.statements
            ],
            "analysis": self.analysis.to_dict(),
            "table": records,
            "flagged": json_value(self.flagged.to_dict(orient="records")),
            "sources": dict(self.sources),
        }

    def to_json(self) -> str:
        """:meth:`to_dict` as JSON text."""
        return json.dumps(self.to_dict(), indent=2, ensure_ascii=False)

    def to_csv(self) -> str:
        """The table by year as CSV (values in USD, rates as fractions)."""
        buffer = io.StringIO()
        self.table.to_csv(buffer, lineterminator="\n")
        return buffer.getvalue()


def _events_by_year(catalog: EventCatalog, years: pd.PeriodIndex) -> list[str]:
    wanted = catalog.of_kind(EventKind.SANCTIONS_RESOLUTION, EventKind.VETO)
    out = []
    for year in years:
        names = []
        for event in wanted.in_period(year):
            if event.kind is EventKind.VETO:
                names.append(f"veto {event.date.isoformat()}")
            else:
                names.append(event.reference.replace("UNSCR ", ""))
        out.append(", ".join(names))
    return out


def china_dprk_demo(
    report_year: int = 2024, baseline: int = 2019, *, fields: Mapping[str, str] | None = None
) -> DemoResult:
    """Compute the China–DPRK story from the embedded data.

    Parameters
    ----------
    report_year : int, default 2024
        The year of the statement "fell 5% to about $2.18bn": a year of the embedded data
        after the first (it has a growth rate).
    baseline : int, default 2019
        The pre-pandemic baseline year: a year of the embedded data.
    fields : mapping, optional
        The names errors give the two arguments (default ``report_year`` and ``baseline``),
        e.g. ``{"report_year": "--year", "baseline": "--baseline"}`` on the command line.

    Returns
    -------
    DemoResult

    Raises
    ------
    DataValidationError
        ``report_year`` or ``baseline`` not a whole number or outside the embedded data
        (naming the years to choose from), or ``fields`` naming another argument.
    """
    total = datasets.china_dprk_trade("total")
    report_year, baseline = _check_years(total, report_year, baseline, fields)
    analysis = china_dprk_2397(baseline=baseline)
    catalog = datasets.dprk_sanctions()
    return DemoResult(
        table=_table(analysis, total, catalog),
        statements=_statements(analysis, total, catalog, report_year, baseline),
        analysis=analysis,
        flagged=_flagged(),
        baseline=baseline,
        sources={
            "trade": total.source,
            "events": "UN Security Council resolutions on the DPRK and other dated events "
            "(bilateral_trade.datasets.dprk_sanctions)",
        },
    )


def _check_years(
    total: TradeSeries, report_year: Any, baseline: Any, fields: Mapping[str, str] | None
) -> tuple[int, int]:
    """The report year (after the first year of the data) and the baseline, checked."""
    names = {"report_year": "report_year", "baseline": "baseline"}
    unknown = sorted(set(fields or {}) - set(names))
    if unknown:
        raise DataValidationError(
            f"fields: {', '.join(map(repr, unknown))} is not an argument of china_dprk_demo "
            "(name report_year or baseline)",
            field="fields",
            value=unknown,
        )
    names.update(fields or {})
    first, last = int(total.index[0].year), int(total.index[-1].year)
    checked = []
    for key, value, lo in (("report_year", report_year, first + 1), ("baseline", baseline, first)):
        name = names[key]
        year = check_int(value, name)
        if not lo <= year <= last:
            raise DataValidationError(
                f"{name}: {year} is outside the embedded data; choose a year from {lo} to {last}",
                field=name,
                value=year,
            )
        checked.append(year)
    return checked[0], checked[1]


def _table(analysis: EventAnalysis, total: TradeSeries, catalog: EventCatalog) -> pd.DataFrame:
    """Exports, imports, total, growth, ratio to the baseline and events, by year."""
    exports = datasets.china_dprk_trade("exports")
    imports = datasets.china_dprk_trade("imports")
    years = total.index
    return pd.DataFrame(
        {
            "exports": exports.values.reindex(years).to_numpy(),
            "imports": imports.values.reindex(years).to_numpy(),
            "total": total.values.to_numpy(),
            "yoy": analysis.growth.to_numpy(),
            "ratio": analysis.recovery.ratio.to_numpy(),
            "events": _events_by_year(catalog, years),
        },
        index=pd.Index(years.year, name="year"),
    )


def _at(series: pd.Series, year: int | pd.Period) -> float:
    period = year if isinstance(year, pd.Period) else pd.Period(year=year, freq="Y")
    return value_at(series, period)


def _statements(
    analysis: EventAnalysis,
    total: TradeSeries,
    catalog: EventCatalog,
    report_year: int,
    baseline: int,
) -> tuple[Statement, ...]:
    """The statements of the story, in order: report year, recovery, peak, sanctions, latest."""
    growth, rec, values = analysis.growth, analysis.recovery, total.values
    v, g = _at(values, report_year), _at(growth, report_year)
    statements = [
        Statement(
            "report_year",
            f"{report_year}: total {money(v)}, {pct(g)} on {report_year - 1}",
            {"year": report_year, "total": v, "yoy": g},
        )
    ]
    prev = report_year - 1
    r = _at(rec.ratio, prev)
    statements.append(
        Statement(
            "recovery",
            f"{prev}: {pct(r, signed=False)} of {baseline} ({money(_at(values, prev))} "
            f"against {money(rec.baseline_value)})",
            {"year": prev, "baseline": baseline, "ratio": r},
        )
    )
    peak = total.index[int(values.to_numpy().argmax())]
    statements.append(
        Statement(
            "peak",
            f"Peak: {peak} at {money(_at(values, peak))}",
            {"year": int(peak.year), "total": _at(values, peak)},
        )
    )
    unscr, first = analysis.event, analysis.first_period
    g18 = _at(growth, first)
    statements.append(
        Statement(
            "sanctions",
            f"{first}: {pct(g18)} on {first - 1}, to {money(_at(values, first))} — the "
            f"first full year after {unscr.reference} ({unscr.date.isoformat()})",
            {"year": int(first.year), "yoy": g18, "event": unscr.reference},
        )
    )
    back = _back_at_80(rec, catalog, baseline)
    if back is not None:
        statements.append(back)
    statements.append(_latest(analysis, total, baseline))
    return tuple(statements)


def _back_at_80(rec: RecoveryResult, catalog: EventCatalog, baseline: int) -> Statement | None:
    """The first year back at 80% of the baseline after the border closure (None: no closure)."""
    closures = catalog.of_kind(EventKind.BORDER_CLOSURE)
    reopenings = catalog.of_kind(EventKind.BORDER_REOPENING)
    closure = closures[0] if len(closures) else None
    if closure is None:
        return None
    reopening = next((e for e in reopenings if e.date > closure.date), None)
    back = rec.first_at(0.8, after=closure.period("A"))
    span = (
        f"{closure.date.isoformat()} to the reopening of {reopening.date.isoformat()}"
        if reopening is not None
        else closure.date.isoformat()
    )
    return Statement(
        "back_at_80",
        f"First year back at 80% of {baseline} after the border closure ({span}): "
        + (
            f"{back} ({pct(_at(rec.ratio, back), signed=False)})" if back is not None else "not yet"
        ),
        {"year": None if back is None else int(back.year), "level": 0.8},
    )


def _latest(analysis: EventAnalysis, total: TradeSeries, baseline: int) -> Statement:
    """The latest year: value, growth, ratio to the baseline and its flags."""
    last = total.end
    return Statement(
        "latest",
        f"Latest: {last} at {money(_at(total.values, last))} "
        f"({pct(_at(analysis.growth, last))} on {last - 1}, "
        f"{pct(_at(analysis.recovery.ratio, last), signed=False)} of {baseline})"
        + (f"; flagged {', '.join(total.flags_at(last))}" if total.flags_at(last) else ""),
        {"year": int(last.year), "total": _at(total.values, last)},
    )


def _flagged() -> pd.DataFrame:
    """The uncertain or derived figures of the embedded data, with their reasons and sources."""
    prov = datasets.china_dprk_provenance()
    flagged = prov[prov["flags"].str.contains("uncertain|derived", regex=True)][
        ["year", "flow", "flags", "reason", "source"]
    ].reset_index(drop=True)
    flagged["flags"] = flagged["flags"].str.replace(";", ", ")
    return flagged
