"""Self-contained reports (HTML and Markdown) of a trade series and its analysis.

``bt.report(s, events=..., baseline=2019, event=...)`` computes the analyses, draws the
figures and returns a :class:`Report`; ``to_html(path)`` writes one file that works offline
(figures embedded as base64 PNG, CSS inline, no script or font fetched), ``to_markdown(path)``
the same sections and tables in Markdown. Files are written to a temporary file first and
moved into place, so a failure never leaves a partial report.
"""

from __future__ import annotations

import base64
import html
import io
import os
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from ._format import money, pct
from ._input import as_values
from .breaks import bai_perron, chow_test, sup_f_test
from .errors import BilateralTradeError, DataValidationError
from .events import EventCatalog, TradeEvent
from .growth import yoy
from .impact import attribute_breaks, event_impact
from .recovery import recovery

__all__ = ["Report", "Section", "report"]

_TESTS = ("chow", "sup_f", "bai_perron")

_CSS = """
body{font-family:-apple-system,Segoe UI,Helvetica,Arial,sans-serif;max-width:60rem;
margin:2rem auto;padding:0 1rem;color:#1a1a1a;line-height:1.45}
h1{font-size:1.6rem;border-bottom:2px solid #1f3b73;padding-bottom:.3rem}
h2{font-size:1.25rem;margin-top:2rem;color:#1f3b73}
table{border-collapse:collapse;font-size:.85rem;margin:.6rem 0}
th,td{border:1px solid #ccc;padding:.2rem .5rem;text-align:left;vertical-align:top}
th{background:#eef2f8}img{max-width:100%}
pre{background:#f6f6f6;padding:.6rem;overflow-x:auto;font-size:.8rem}
.note{color:#555;font-size:.85rem}
"""


@dataclass
class Section:
    """One section of a report: a title, paragraphs, tables, figures (PNG) and notes."""

    title: str
    paragraphs: list[str] = field(default_factory=list)
    tables: list[tuple[str, pd.DataFrame]] = field(default_factory=list)
    figures: list[tuple[str, bytes]] = field(default_factory=list)
    preformatted: list[str] = field(default_factory=list)


def _png(fig: Any) -> bytes:
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=110)
    return buffer.getvalue()


def _write_atomic(path: str | Path, text: str) -> Path:
    target = Path(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            fh.write(text)
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(tmp, 0o666 & ~umask)  # mkstemp makes 0600; give the usual permissions
        os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return target


def _md_table(frame: pd.DataFrame) -> str:
    cols = [str(c) for c in frame.columns]
    lines = ["| " + " | ".join(cols) + " |", "|" + "---|" * len(cols)]
    for row in frame.astype(str).itertuples(index=False):
        lines.append("| " + " | ".join(str(v).replace("|", "\\\\|") for v in row) + " |")
    return "\n".join(lines)


@dataclass
class Report:
    """A computed report: title, sections and the options that regenerate it."""

    title: str
    sections: list[Section]
    options: dict[str, Any]
    version: str

    def _footer(self) -> Section:
        return Section(
            "Reproducibility",
            paragraphs=[f"bilateral_trade {self.version}. Options used:"],
            preformatted=["\n".join(f"{k} = {v!r}" for k, v in self.options.items())],
        )

    def to_html(self, path: str | Path | None = None) -> str:
        """Render as one self-contained HTML page; write it to ``path`` when given."""
        parts = [
            "<!DOCTYPE html>",
            '<html lang="en"><head><meta charset="utf-8">',
            f"<title>{html.escape(self.title)}</title><style>{_CSS}</style></head><body>",
            f"<h1>{html.escape(self.title)}</h1>",
        ]
        for sec in [*self.sections, self._footer()]:
            parts.append(f"<section><h2>{html.escape(sec.title)}</h2>")
            parts += [f"<p>{html.escape(p)}</p>" for p in sec.paragraphs]
            for caption, png in sec.figures:
                data = base64.b64encode(png).decode("ascii")
                parts.append(
                    f'<figure><img alt="{html.escape(caption)}" src="data:image/png;base64,{data}">'
                    f'<figcaption class="note">{html.escape(caption)}</figcaption></figure>'
                )
            for caption, table in sec.tables:
                parts.append(f'<p class="note">{html.escape(caption)}</p>')
                parts.append(table.to_html(index=False, border=0, na_rep="", escape=True))
            parts += [f"<pre>{html.escape(t)}</pre>" for t in sec.preformatted]
            parts.append("</section>")
        parts.append("</body></html>")
        text = "\n".join(parts)
        if path is not None:
            _write_atomic(path, text)
        return text

    def to_markdown(self, path: str | Path | None = None) -> str:
        """Render as Markdown (figures as embedded PNG data); write it to ``path`` when given."""
        parts = [f"# {self.title}", ""]
        for sec in [*self.sections, self._footer()]:
            parts += [f"## {sec.title}", ""]
            parts += [p + "\n" for p in sec.paragraphs]
            for caption, png in sec.figures:
                data = base64.b64encode(png).decode("ascii")
                parts += [f"![{caption}](data:image/png;base64,{data})", ""]
            for caption, table in sec.tables:
                parts += [f"*{caption}*", "", _md_table(table.fillna("")), ""]
            for t in sec.preformatted:
                parts += ["```", t, "```", ""]
        text = "\n".join(parts)
        if path is not None:
            _write_atomic(path, text)
        return text


def _fmt_values(values: pd.Series, unit: str) -> list[str]:
    return [money(float(v), unit) for v in values]


def report(
    s: Any,
    *,
    events: EventCatalog | Sequence[TradeEvent] | None = None,
    baseline: Any = None,
    event: TradeEvent | None = None,
    tests: Sequence[str] = _TESTS,
    log: bool = True,
    trend: bool = True,
    title: str | None = None,
) -> Report:
    """Compute a report on a trade series: data, growth, recovery, break tests and impact.

    Parameters
    ----------
    s : TradeSeries or pandas.Series
    events : EventCatalog or list of TradeEvent, optional
        Events drawn on the figures and used to attribute breaks.
    baseline : period, (start, end) or float, optional
        Baseline of the recovery table (no recovery section when None).
    event : TradeEvent, optional
        The event of the Chow test and of the impact section.
    tests : sequence of {"chow", "sup_f", "bai_perron"}
    log, trend : bool, default True
        Model options of the break tests and the impact estimate.
    title : str, optional

    Returns
    -------
    Report

    Raises
    ------
    DataValidationError
        An unknown test name, or events of the wrong type.
    """
    from . import __version__, plot

    unknown = [t for t in tests if t not in _TESTS]
    if unknown:
        raise DataValidationError(
            f"tests: unknown test(s) {', '.join(map(repr, unknown))}; choose from "
            f"{', '.join(_TESTS)}",
            field="tests",
            value=unknown,
        )
    if event is not None and not isinstance(event, TradeEvent):
        raise DataValidationError(
            f"event: expected a TradeEvent, got {type(event).__name__}",
            field="event",
            value=type(event).__name__,
        )
    values, freq, ts = as_values(s, field="s")
    unit = ts.unit if ts is not None else ""
    label = ts.label if ts is not None else str(values.name or "series")
    catalog = events if events is None or isinstance(events, EventCatalog) else EventCatalog(events)
    sections: list[Section] = []

    data = Section("Data")
    data.paragraphs.append(
        f"{label}: {freq.label}, {values.index[0]} to {values.index[-1]} ({len(values)} periods)"
        + (f", values in {unit}" if unit else "")
        + "."
    )
    if ts is not None:
        data.paragraphs.append(f"Source: {ts.source or 'not given'}.")
        flagged = [(p, f) for p, f in ts.flags.items()]
        if flagged:
            data.tables.append(
                (
                    "Flagged observations",
                    pd.DataFrame(
                        {
                            "period": [str(p) for p, _ in flagged],
                            "flags": [", ".join(f) for _, f in flagged],
                            "note": [ts.notes.get(p, "") for p, _ in flagged],
                        }
                    ),
                )
            )
    data.figures.append(
        ("The series with its events", _png(plot.series(s, events=_inside(catalog, values))))
    )
    sections.append(data)

    growth = Section("Growth")
    g = yoy(s)
    growth.tables.append(
        (
            "Year-on-year change",
            pd.DataFrame(
                {
                    "period": [str(p) for p in g.index],
                    "value": _fmt_values(values, unit),
                    "yoy": [pct(float(v)) for v in g],
                }
            ),
        )
    )
    growth.figures.append(("Year-on-year change", _png(plot.yoy(s))))
    sections.append(growth)

    if baseline is not None:
        rec = recovery(s, baseline=baseline)
        sec = Section(f"Recovery against {rec.baseline}")
        sec.preformatted.append(str(rec.summary()))
        sec.tables.append(
            (
                "Ratio to the baseline",
                pd.DataFrame(
                    {
                        "period": [str(p) for p in rec.ratio.index],
                        "ratio": [pct(float(v), signed=False) for v in rec.ratio],
                        "shortfall": [
                            "" if pd.isna(v) else money(float(v), unit)
                            for v in rec.shortfall.reindex(rec.ratio.index)
                        ],
                    }
                ),
            )
        )
        sec.figures.append(("Recovery", _png(plot.recovery(rec))))
        sections.append(sec)

    breaks = Section("Break tests")
    breaks.paragraphs.append(
        "Model: y = x'b_j + u with an intercept"
        + (", a linear trend" if trend else "")
        + (", on log values" if log else "")
        + "; all coefficients may break. Break periods are the first periods of new regimes "
        "(R's strucchange reports the last period of the old regime)."
    )
    bp_result = None
    for name in tests:
        try:
            if name == "chow":
                if event is None:
                    breaks.paragraphs.append("Chow test: no event given, skipped.")
                    continue
                breaks.preformatted.append(str(chow_test(s, event, log=log, trend=trend).summary()))
            elif name == "sup_f":
                sf = sup_f_test(s, log=log, trend=trend)
                breaks.preformatted.append(str(sf.summary()))
                breaks.figures.append(("F path of the sup-F test", _png(plot.fstat_path(sf))))
            else:
                bp_result = bai_perron(s, log=log, trend=trend, max_breaks=3)
                breaks.preformatted.append(str(bp_result.summary()))
                breaks.figures.append(
                    (
                        "Bai–Perron breaks with confidence intervals",
                        _png(plot.series(s, events=_inside(catalog, values), breaks=bp_result)),
                    )
                )
        except BilateralTradeError as exc:
            breaks.paragraphs.append(f"{name}: could not be computed: {exc}")
    if bp_result is not None and catalog is not None and bp_result.n_breaks:
        table = attribute_breaks(bp_result, catalog)
        breaks.tables.append(("Breaks attributed to events", table.astype(str)))
    sections.append(breaks)

    if event is not None:
        sec = Section(f"Impact of {event.reference}")
        try:
            imp = event_impact(s, event, log=log, trend=trend)
            sec.preformatted.append(str(imp.summary()))
            sec.figures.append(("Actual and counterfactual", _png(plot.impact(imp))))
        except BilateralTradeError as exc:
            sec.paragraphs.append(f"The impact could not be estimated: {exc}")
        sections.append(sec)

    return Report(
        title=title or f"Trade report: {label}",
        sections=sections,
        options={
            "series": label,
            "baseline": baseline,
            "event": None if event is None else event.reference,
            "tests": list(tests),
            "log": log,
            "trend": trend,
            "events": None if catalog is None else len(catalog),
        },
        version=__version__,
    )


def _inside(catalog: EventCatalog | None, values: pd.Series) -> EventCatalog | None:
    """The events within the series' span (None when there are none)."""
    if catalog is None:
        return None
    index = values.index
    inside = catalog.between(index[0].start_time.date(), index[-1].end_time.date())
    return inside if len(inside) else None
