"""The China–DPRK story computed from the embedded data: the job ``bilateral-trade demo`` runs.

Every number in the demo comes from the library's functions applied to the data
shipped in :mod:`bilateral_trade.datasets`; the only inputs are the years the
statements are about (the 2024 report, the 2019 baseline) and the events the
catalog holds.
"""

from __future__ import annotations

import io
import json
import math
from dataclasses import dataclass
from typing import Any, cast

import pandas as pd

from . import datasets
from ._format import Summary, money, pct
from ._input import value_at
from ._typing import JSONDict, JSONValue
from .breaks import bai_perron, chow_test
from .events import EventCatalog, EventKind
from .growth import yoy
from .impact import attribute_breaks, event_impact, placebo_test
from .recovery import recovery

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
class Statement:
    """One statement of the story with the numbers behind it."""

    key: str
    text: str
    values: dict[str, Any]


@dataclass(frozen=True)
class DemoResult:
    """The computed story: the table by year, the statements and the flagged figures."""

    table: pd.DataFrame
    statements: tuple[Statement, ...]
    analysis: tuple[Statement, ...]
    flagged: pd.DataFrame
    baseline: int
    sources: dict[str, str]

    def to_text(self) -> Summary:
        """The demo as text: statements, table and flagged observations."""
        out = [
            "China–DPRK trade as China's customs report it (embedded data, current USD)",
            "=" * 74,
            "",
            "Statements, computed from the data:",
        ]
        out += [f"  - {s.text}" for s in self.statements]
        out += ["", "Breaks and the December 2017 resolutions (log of the total):"]
        out += [f"  - {s.text}" for s in self.analysis]
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
        table = self.table.reset_index()
        records = [
            {k: (None if isinstance(v, float) and math.isnan(v) else v) for k, v in rec.items()}
            for rec in table.to_dict(orient="records")
        ]
        return {
            "title": "China–DPRK trade as China's customs report it",
            "unit": "USD",
            "baseline": self.baseline,
            "statements": [{"key": s.key, "text": s.text, **s.values} for s in self.statements],
            "analysis": [{"key": s.key, "text": s.text, **s.values} for s in self.analysis],
            "table": cast(JSONValue, records),
            "flagged": cast(JSONValue, self.flagged.to_dict(orient="records")),
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


def _analysis(total: Any, catalog: EventCatalog, last_pre_covid: int) -> tuple[Statement, ...]:
    """Chow and Bai–Perron tests, the impact of UNSCR 2397 and the attribution of breaks."""
    unscr = catalog.get("UNSCR 2397")
    same = [
        e.reference
        for e in catalog.of_kind(EventKind.SANCTIONS_RESOLUTION)
        if e.first_period("A") == unscr.first_period("A") and e is not unscr and e.hs_codes
    ]
    out = []
    chow = chow_test(total, unscr, log=True, trend=True)
    out.append(
        Statement(
            "chow",
            f"Chow test (log, trend) for a break in {chow.break_periods[0]}: "
            f"F = {chow.statistic:.2f}, p = {chow.p_value:.2g}",
            {"statistic": chow.statistic, "p_value": chow.p_value},
        )
    )
    before = total.slice(end=last_pre_covid)
    bp = bai_perron(before, log=True, max_breaks=2)
    attribution = attribute_breaks(bp, catalog)
    parts = []
    for row in attribution.to_dict(orient="records"):
        nearest = row["nearest"] or "no event"
        parts.append(f"{row['break_period']} ({row['lower']}–{row['upper']}) → {nearest}")
    out.append(
        Statement(
            "bai_perron",
            f"Bai–Perron (BIC, {before.start}–{before.end}, before the COVID closure): "
            f"{bp.n_breaks} break(s): " + "; ".join(parts),
            {
                "breaks": [str(p) for p in bp.break_periods],
                "attributed_to": [r["nearest"] for r in attribution.to_dict(orient="records")],
            },
        )
    )
    impact = event_impact(total, unscr, pre=total.start, post=last_pre_covid)
    rel = impact.relative_effect
    assert rel is not None
    out.append(
        Statement(
            "impact",
            f"Effect of {unscr.reference} (from {impact.event_periods[0]}; "
            + (f"{', '.join(same)} also take effect then; " if same else "")
            + f"log model with trend, {impact.options['pre']}–{impact.options['post']}, HAC "
            f"errors): level {pct(rel.estimate)} (95% CI {pct(rel.ci[0])} to {pct(rel.ci[1])})",
            {"relative_effect": rel.estimate, "ci": list(rel.ci), "p_value": rel.p_value},
        )
    )
    lost = impact.lost
    assert lost.ci is not None
    out.append(
        Statement(
            "lost_trade",
            f"Trade lost {lost.start}–{lost.end} against the counterfactual: "
            f"{money(lost.estimate)} (95% CI {money(lost.ci[0])} to {money(lost.ci[1])})",
            {"estimate": lost.estimate, "ci": list(lost.ci)},
        )
    )
    placebo = placebo_test(total, unscr, pre=total.start, post=last_pre_covid)
    out.append(
        Statement(
            "placebo",
            f"Placebo test: {len(placebo.placebos)} fake dates before {impact.event_periods[0]}; "
            f"share with an effect at least as large: {placebo.p_value:.2f}",
            {"p_value": placebo.p_value, "n_placebos": len(placebo.placebos)},
        )
    )
    return tuple(out)


def china_dprk_demo(report_year: int = 2024, baseline: int = 2019) -> DemoResult:
    """Compute the China–DPRK story from the embedded data.

    Parameters
    ----------
    report_year : int, default 2024
        The year of the statement "fell 5% to about $2.18bn".
    baseline : int, default 2019
        The pre-pandemic baseline year.

    Returns
    -------
    DemoResult
    """
    total = datasets.china_dprk_trade("total")
    exports = datasets.china_dprk_trade("exports")
    imports = datasets.china_dprk_trade("imports")
    catalog = datasets.dprk_sanctions()
    growth = yoy(total)
    rec = recovery(total, baseline=baseline)
    years = total.index
    table = pd.DataFrame(
        {
            "exports": exports.values.reindex(years).to_numpy(),
            "imports": imports.values.reindex(years).to_numpy(),
            "total": total.values.to_numpy(),
            "yoy": growth.to_numpy(),
            "ratio": rec.ratio.to_numpy(),
            "events": _events_by_year(catalog, years),
        },
        index=pd.Index(years.year, name="year"),
    )
    statements = []

    def at(series: pd.Series, year: int | pd.Period) -> float:
        period = year if isinstance(year, pd.Period) else pd.Period(year=year, freq="Y")
        return value_at(series, period)

    v, g = at(total.values, report_year), at(growth, report_year)
    statements.append(
        Statement(
            "report_year",
            f"{report_year}: total {money(v)}, {pct(g)} on {report_year - 1}",
            {"year": report_year, "total": v, "yoy": g},
        )
    )
    prev = report_year - 1
    r = at(rec.ratio, prev)
    statements.append(
        Statement(
            "recovery",
            f"{prev}: {pct(r, signed=False)} of {baseline} ({money(at(total.values, prev))} "
            f"against {money(rec.baseline_value)})",
            {"year": prev, "baseline": baseline, "ratio": r},
        )
    )
    peak = total.index[int(total.values.to_numpy().argmax())]
    statements.append(
        Statement(
            "peak",
            f"Peak: {peak} at {money(at(total.values, peak))}",
            {"year": int(peak.year), "total": at(total.values, peak)},
        )
    )
    unscr = catalog.get("UNSCR 2397")
    first = unscr.first_period("A")
    g18 = at(growth, first)
    statements.append(
        Statement(
            "sanctions",
            f"{first}: {pct(g18)} on {first - 1}, to {money(at(total.values, first))} — the "
            f"first full year after {unscr.reference} ({unscr.date.isoformat()})",
            {"year": int(first.year), "yoy": g18, "event": unscr.reference},
        )
    )
    closures = catalog.of_kind(EventKind.BORDER_CLOSURE)
    reopenings = catalog.of_kind(EventKind.BORDER_REOPENING)
    closure = closures[0] if len(closures) else None
    if closure is not None:
        reopening = next((e for e in reopenings if e.date > closure.date), None)
        back = rec.first_at(0.8, after=closure.period("A"))
        span = (
            f"{closure.date.isoformat()} to the reopening of {reopening.date.isoformat()}"
            if reopening is not None
            else closure.date.isoformat()
        )
        statements.append(
            Statement(
                "back_at_80",
                f"First year back at 80% of {baseline} after the border closure ({span}): "
                + (
                    f"{back} ({pct(at(rec.ratio, back), signed=False)})"
                    if back is not None
                    else "not yet"
                ),
                {"year": None if back is None else int(back.year), "level": 0.8},
            )
        )
    last = total.end
    statements.append(
        Statement(
            "latest",
            f"Latest: {last} at {money(at(total.values, last))} "
            f"({pct(at(growth, last))} on {last - 1}, "
            f"{pct(at(rec.ratio, last), signed=False)} of {baseline})"
            + (f"; flagged {', '.join(total.flags_at(last))}" if total.flags_at(last) else ""),
            {"year": int(last.year), "total": at(total.values, last)},
        )
    )
    analysis = _analysis(total, catalog, last_pre_covid=baseline)
    prov = datasets.china_dprk_provenance()
    flagged = prov[prov["flags"].str.contains("uncertain|derived", regex=True)][
        ["year", "flow", "flags", "reason", "source"]
    ].reset_index(drop=True)
    flagged["flags"] = flagged["flags"].str.replace(";", ", ")
    return DemoResult(
        table=table,
        statements=tuple(statements),
        analysis=analysis,
        flagged=flagged,
        baseline=baseline,
        sources={
            "trade": total.source,
            "events": "UN Security Council resolutions on the DPRK and other dated events "
            "(bilateral_trade.datasets.dprk_sanctions)",
        },
    )
