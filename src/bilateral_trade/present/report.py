"""Self-contained reports (HTML and Markdown) of a trade series and its analysis.

``bt.report(s, catalog=..., baseline=2019, event=...)`` computes the analyses, draws the
figures and returns a :class:`Report`; ``to_html(path)`` writes one file that works offline
(figures embedded as base64 PNG, CSS inline, no script or font fetched), ``to_markdown(path)``
the same sections and tables in Markdown. Files are written to a temporary file first and
moved into place, so a failure never leaves a partial report.
"""

from __future__ import annotations

import base64
import html
import io
import math
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType
from typing import Any

import pandas as pd

from .._util.aliases import JSONDict
from .._util.compat import renamed_keyword
from .._util.format import Summary, json_value, money, pct
from .._util.output import check_output, write_atomic
from ..data.events import EventCatalog, TradeEvent
from ..data.series import TradeSeries, title_in_words
from ..errors import BilateralTradeError, DataValidationError
from ..models.caveats import check_window, collecting
from ..models.results import NotComputed, Result
from ..models.spec import Spec
from ..models.validators import as_values
from ..stats.breaks import bai_perron, sup_f_test
from ..stats.growth import yoy
from ..stats.impact import ImpactResult
from ..stats.recovery import RecoveryResult, recovery
from ..workflow.analysis import EventAnalysis, analyze
from ..workflow.attribution import attribute_breaks

__all__ = ["Report", "Section", "report", "title_in_words"]

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


HTML_SUFFIXES = {".html": "html", ".htm": "html"}
MARKDOWN_SUFFIXES = {".md": "markdown", ".markdown": "markdown"}
REPORT_SUFFIXES = {**HTML_SUFFIXES, **MARKDOWN_SUFFIXES}


def _write_text(path: str | Path, text: str, suffixes: dict[str, str]) -> Path:
    target, _ = check_output(path, suffixes, field="path")
    return write_atomic(target, lambda tmp: tmp.write_text(text, encoding="utf-8"))


def _md_text(text: object) -> str:
    """Text for Markdown: HTML escaped (a title or a note is never markup), one line."""
    return html.escape(" ".join(str(text).split()), quote=False)


def _md_cell(text: object) -> str:
    return _md_text(text).replace("|", "\\|")


def _md_fence(text: str) -> str:
    """A code fence longer than any run of backticks in ``text``."""
    longest = max((len(run) for run in re.findall(r"`+", text)), default=0)
    return "`" * max(3, longest + 1)


def _md_table(frame: pd.DataFrame) -> str:
    cols = [_md_cell(c) for c in frame.columns]
    lines = ["| " + " | ".join(cols) + " |", "|" + "---|" * len(cols)]
    for row in frame.astype(str).itertuples(index=False):
        lines.append("| " + " | ".join(_md_cell(v) for v in row) + " |")
    return "\n".join(lines)


@dataclass(frozen=True, eq=False)
class Report(Result):
    """A computed report: title, sections and the options that regenerate it (immutable).

    Attributes
    ----------
    title : str
    sections : list of Section
        The sections in order (handed out as copies: editing one changes only the copy).
    options : Mapping
        The options that regenerate the report (read-only).
    version : str
        The version of bilateral_trade that made it.
    skipped : Mapping of str to NotComputed
        The components that could not be computed (a break test on too short a series, or
        the analysis' own), each with the reason; also :attr:`not_computed`.
    """

    title: str
    sections: list[Section]
    options: Mapping[str, Any]
    version: str
    skipped: Mapping[str, NotComputed] = field(default_factory=dict)

    @property
    def not_computed(self) -> Mapping[str, NotComputed]:
        """The components that could not be computed, by name, each with the reason."""
        return MappingProxyType(dict(self.skipped))

    def summary(self) -> Summary:
        """The title and, per section, its title and how many tables and figures it has."""
        lines = [f"Report — {self.title}"]
        for sec in self.sections:
            lines.append(
                f"  {sec.title}: {len(sec.paragraphs)} paragraph(s), {len(sec.tables)} "
                f"table(s), {len(sec.figures)} figure(s)"
            )
        lines.append(f"  bilateral_trade {self.version}")
        return Summary("\n".join(lines))

    def headline(self) -> str:
        """The report's title."""
        return self.title

    def to_dict(self) -> JSONDict:
        """JSON-ready dictionary: the sections' text and tables, figure captions, options.

        Tables are lists of records; figures are given by caption and size in bytes (the
        PNG data are in :meth:`to_html` and :meth:`to_markdown`).
        """
        return {
            "title": self.title,
            "sections": [
                {
                    "title": sec.title,
                    "paragraphs": list(sec.paragraphs),
                    "tables": [
                        {
                            "caption": caption,
                            "columns": [str(c) for c in table.columns],
                            "rows": json_value(table.to_dict(orient="records")),
                        }
                        for caption, table in sec.tables
                    ],
                    "figures": [
                        {"caption": caption, "png_bytes": len(png)} for caption, png in sec.figures
                    ],
                    "preformatted": list(sec.preformatted),
                }
                for sec in self.sections
            ],
            "options": json_value(self.options),
            "version": self.version,
        }

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
            for caption, table in sec.tables:
                parts.append(f'<p class="note">{html.escape(caption)}</p>')
                parts.append(table.to_html(index=False, border=0, na_rep="", escape=True))
            for caption, png in sec.figures:
                data = base64.b64encode(png).decode("ascii")
                parts.append(
                    f'<figure><img alt="{html.escape(caption)}" src="data:image/png;base64,{data}">'
                    f'<figcaption class="note">{html.escape(caption)}</figcaption></figure>'
                )
            parts += [f"<pre>{html.escape(t)}</pre>" for t in sec.preformatted]
            parts.append("</section>")
        parts.append("</body></html>")
        text = "\n".join(parts)
        if path is not None:
            _write_text(path, text, HTML_SUFFIXES)
        return text

    def to_markdown(self, path: str | Path | None = None) -> str:
        """Render as Markdown (figures as embedded PNG data); write it to ``path`` when given."""
        parts = [f"# {_md_text(self.title)}", ""]
        for sec in [*self.sections, self._footer()]:
            parts += [f"## {_md_text(sec.title)}", ""]
            parts += [_md_text(p) + "\n" for p in sec.paragraphs]
            for caption, table in sec.tables:
                parts += [f"*{_md_text(caption)}*", "", _md_table(table.fillna("")), ""]
            for caption, png in sec.figures:
                data = base64.b64encode(png).decode("ascii")
                alt = _md_text(caption).replace("[", "(").replace("]", ")")
                parts += [f"![{alt}](data:image/png;base64,{data})", ""]
            for t in sec.preformatted:
                fence = _md_fence(t)
                parts += [fence, t, fence, ""]
        text = "\n".join(parts)
        if path is not None:
            _write_text(path, text, MARKDOWN_SUFFIXES)
        return text


def _fmt_values(values: pd.Series, unit: str) -> list[str]:
    return [money(float(v), unit) for v in values]


def _num(value: Any, fmt: str = ".3g") -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ""
    return format(float(value), fmt)


def _shown_events(catalog: EventCatalog | None, s: Any) -> EventCatalog | None:
    """The sanctions, confounder and measurement events within the series' span."""
    if catalog is None:
        return None
    values, _, _ = as_values(s, field="s")
    return _inside(catalog.of_role("sanctions", "confounder", "measurement"), values)


def _data_sections(
    s: Any, values: pd.Series, ts: TradeSeries | None, unit: str, label: str, shown: Any, freq: Any
) -> list[Section]:
    from . import plot

    data = Section("Data")
    data.paragraphs.append(
        f"{label}: {freq.label}, {values.index[0]} to {values.index[-1]} ({len(values)} periods)"
        + (f", values in {unit}" if unit else "")
        + "."
    )
    if ts is not None:
        data.paragraphs.append(f"Source: {ts.source or 'not given'}.")
        flagged = list(ts.flags.items())
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
        ("The series with its events", _png(plot.series(s, catalog=shown, title=label)))
    )
    return [data]


def _growth_section(s: Any, values: pd.Series, g: pd.Series, unit: str, label: str) -> Section:
    from . import plot

    growth = Section("Growth")
    growth.tables.append(
        (
            "Year-on-year change",
            pd.DataFrame(
                {
                    "period": [str(p) for p in g.index],
                    "value": _fmt_values(values, unit),
                    "change": ["" if pd.isna(v) else pct(float(v)) for v in g],
                }
            ),
        )
    )
    growth.figures.append(
        ("Year-on-year change", _png(plot.yoy(s, title=f"{label}: change on a year earlier")))
    )
    return growth


def _recovery_section(rec: RecoveryResult, unit: str) -> Section:
    from . import plot

    sec = Section(f"Recovery against {rec.baseline}")
    sec.paragraphs.append(
        f"Baseline {rec.baseline}: {money(rec.baseline_value, unit)}. "
        + (
            f"Trough {rec.trough_period} at {pct(rec.trough_ratio, signed=False)} of it. "
            if rec.trough_period is not None
            else ""
        )
        + " ".join(
            f"First back at {pct(lv, 0, signed=False)}: {rec.first_at(lv) or 'not reached'}."
            for lv in (0.8, 1.0)
        )
    )
    sec.tables.append(
        (
            "Ratio to the baseline",
            pd.DataFrame(
                {
                    "period": [str(p) for p in rec.ratio.index],
                    "ratio": ["" if pd.isna(v) else pct(float(v), signed=False) for v in rec.ratio],
                    "shortfall": [
                        "" if pd.isna(v) else money(float(v), unit)
                        for v in rec.shortfall.reindex(rec.ratio.index)
                    ],
                }
            ),
        )
    )
    sec.figures.append(("Recovery", _png(plot.recovery(rec))))
    return sec


def _tests_table(analysis: EventAnalysis) -> pd.DataFrame:
    t = analysis.tests()
    return pd.DataFrame(
        {
            "test": t["test"],
            "statistic": [_num(v, ".2f") for v in t["statistic"]],
            "p-value": [_num(v, ".2g") for v in t["p_value"]],
            "break (first period of new regime)": t["break"],
        }
    )


def _effects_table(analysis: EventAnalysis) -> pd.DataFrame:
    e = analysis.effects()
    unit = analysis.unit

    def band(lo: Any, hi: Any, f: Any) -> str:
        return "" if lo is None or pd.isna(lo) else f"{f(float(lo))} to {f(float(hi))}"

    return pd.DataFrame(
        {
            "counterfactual": e["description"],
            "effect on the level": [
                "" if v is None or pd.isna(v) else pct(float(v)) for v in e["relative_effect"]
            ],
            "95% CI": [
                band(lo, hi, pct)
                for lo, hi in zip(e["effect_lower"], e["effect_upper"], strict=True)
            ],
            "p-value": [_num(v, ".2g") for v in e["p_value"]],
            "trade lost": [money(float(v), unit) for v in e["lost"]],
            "95% CI (lost)": [
                band(lo, hi, lambda v: money(v, unit))
                for lo, hi in zip(e["lost_lower"], e["lost_upper"], strict=True)
            ],
            "periods": [f"{a}–{b}" for a, b in zip(e["lost_start"], e["lost_end"], strict=True)],
        }
    )


def _attribution_table(analysis: EventAnalysis) -> pd.DataFrame:
    """The analysis' Bai–Perron breaks and the events they are attributed to."""
    assert analysis.attribution is not None
    table = analysis.attribution.to_frame()
    return pd.DataFrame(
        {
            "break": table["break_period"].astype(str),
            "searched": [f"{a}–{b}" for a, b in zip(table["lower"], table["upper"], strict=True)],
            "attributed to": table["attributed"].fillna("none in range"),
            "kind": table["kind"].fillna(""),
            "distance": [
                "" if d is None or pd.isna(d) else f"{int(d):+d}" for d in table["distance"]
            ],
            "alternative (measurement)": table["alternative"].fillna(""),
            "other candidates": table["candidates"],
        }
    )


def _window_part(analysis: EventAnalysis, s: Any) -> Any:
    """The series within the analysis' window."""
    start, end = analysis.window.start, analysis.window.end
    if isinstance(s, TradeSeries):
        return s.slice(start, end)
    return s[(s.index >= start) & (s.index <= end)]


def _breaks_in_window_section(analysis: EventAnalysis, s: Any) -> Section:
    """The break tests of an analysis: the model, the tests, the attribution, the figures."""
    from . import plot

    breaks = Section("Break tests in the window")
    breaks.paragraphs.append(
        f"Window {analysis.window.start}–{analysis.window.end}. Model: "
        + analysis.break_model()
        + ". Break periods are the first periods of new regimes (R's strucchange reports the "
        "last period of the old regime)."
    )
    breaks.tables.append(("Tests", _tests_table(analysis)))
    for name, reason in analysis.skipped.items():
        breaks.paragraphs.append(f"{name}: not computed — {reason}")
    if analysis.attribution is not None and len(analysis.attribution):
        breaks.tables.append(
            (
                "Breaks attributed to events (sanctions, confounders and measurement changes)",
                _attribution_table(analysis),
            )
        )
    part = _window_part(analysis, s)
    if analysis.sup_f is not None:
        breaks.figures.append(("F path of the sup-F test", _png(plot.fstat_path(analysis.sup_f))))
    if analysis.bai_perron is not None:
        shown = _shown_events(EventCatalog([analysis.event, *analysis.window.inside]), part)
        figure = plot.series(
            part,
            catalog=shown,
            breaks=analysis.bai_perron,
            title=f"{analysis.label}: breaks in the window",
        )
        breaks.figures.append(("Bai–Perron breaks with confidence intervals", _png(figure)))
    return breaks


def _coefficients_table(head: ImpactResult) -> tuple[str, pd.DataFrame]:
    """The headline regression's coefficients, with its caption."""
    coefs = head.coefficients.reset_index()
    return (
        f"Coefficients of the headline regression ({head.options['counterfactual']}; "
        f"{head.options['cov']} standard errors)",
        pd.DataFrame(
            {
                "term": coefs["term"],
                "estimate": [_num(v, ".4g") for v in coefs["estimate"]],
                "std. error": [_num(v, ".3g") for v in coefs["std_error"]],
                "t": [_num(v, ".3g") for v in coefs["t"]],
                "p-value": [_num(v, ".2g") for v in coefs["p_value"]],
            }
        ),
    )


def _impact_section(analysis: EventAnalysis) -> Section:
    """The effect and lost trade by counterfactual, the headline regression, the placebo."""
    from . import plot

    impact = Section(f"Impact of {analysis.event.reference}")
    impact.paragraphs.append(analysis.headline() + ".")
    impact.tables.append(("Effect and lost trade by counterfactual", _effects_table(analysis)))
    for name, imp in analysis.impacts.items():
        if isinstance(imp, ImpactResult):
            impact.figures.append(
                (
                    f"Actual and counterfactual ({name})",
                    _png(plot.impact(imp, title=f"Counterfactual: {name}")),
                )
            )
    if isinstance(analysis.impact, ImpactResult):
        impact.tables.append(_coefficients_table(analysis.impact))
    if analysis.placebo is not None:
        pl = analysis.placebo
        impact.paragraphs.append(
            f"Placebo-in-time test: {len(pl.placebos)} fake event periods before "
            f"{analysis.first_period}; {pl.n_extreme} gave a level change at least as large; "
            f"p = {pl.p_value:.3g} (the smallest attainable with {len(pl.placebos)} placebos "
            f"is {pl.min_p_value:.3g})."
        )
    return impact


def _analysis_sections(analysis: EventAnalysis, s: Any) -> list[Section]:
    """The break tests in the window and the impact of the event."""
    return [_breaks_in_window_section(analysis, s), _impact_section(analysis)]


def _question_section(analysis: EventAnalysis) -> Section:
    """The question and its answer, the window and its rule, the caveats."""
    top = Section(f"What did {analysis.event.reference} do to trade?")
    top.paragraphs.append(analysis.headline() + ".")
    top.paragraphs.append(f"Window: {analysis.window.describe()}.")
    if analysis.window.chosen_by == "rule":
        top.paragraphs.append(f"The rule: {analysis.window.rule}")
    for caveat in analysis.caveats:
        top.paragraphs.append(f"Caveat: {caveat}.")
    return top


def _check_request(tests: Sequence[str], event: Any) -> None:
    """Refuse an unknown test name and an event that is neither a TradeEvent nor a reference."""
    unknown = [t for t in tests if t not in _TESTS]
    if unknown:
        raise DataValidationError(
            f"tests: unknown test(s) {', '.join(map(repr, unknown))}; choose from "
            f"{', '.join(_TESTS)}",
            field="tests",
            value=unknown,
        )
    if event is not None and not isinstance(event, TradeEvent | str):
        raise DataValidationError(
            f"event: expected a TradeEvent or a reference, got {type(event).__name__}",
            field="event",
            value=type(event).__name__,
        )


def _run_test(
    breaks: Section,
    rows: list[tuple[str, str, str, str]],
    name: str,
    series: Any,
    log: bool,
    trend: bool,
    shown: Any,
    catalog: EventCatalog | None,
) -> None:
    """One break test on the whole series: its row into ``rows``, its figures into ``breaks``."""
    from . import plot

    # the trimming analyze and screen choose (the spec's rule), 0.15 when none is admissible
    trim = Spec.from_keywords(log=log, trend=trend).choose_trim(len(series)) or 0.15
    if name == "sup_f":
        sf = sup_f_test(series, log=log, trend=trend, trim=trim)
        rows.append(
            (
                f"sup-F (trim {trim:g})",
                _num(sf.statistic, ".2f"),
                _num(sf.p_value, ".2g"),
                str(sf.break_period),
            )
        )
        breaks.figures.append(("F path of the sup-F test", _png(plot.fstat_path(sf))))
        return
    bp = bai_perron(series, log=log, trend=trend, max_breaks=3, trim=trim)
    label = f"Bai–Perron (bic, trim {trim:g})"
    rows.append((label, "", "", ", ".join(map(str, bp.break_periods)) or "none"))
    breaks.figures.append(
        (
            "Bai–Perron breaks with confidence intervals",
            _png(plot.series(series, catalog=shown, breaks=bp)),
        )
    )
    if catalog is not None and bp.n_breaks:
        att = attribute_breaks(bp, catalog).to_frame()
        breaks.tables.append(("Breaks attributed to events", att.astype(str)))


def _series_breaks_section(
    series: Any,
    values: pd.Series,
    catalog: EventCatalog | None,
    shown: Any,
    tests: Sequence[str],
    log: bool,
    trend: bool,
    skipped: dict[str, NotComputed],
) -> Section:
    """Without an event: the break tests named in ``tests`` on the whole series.

    A test that cannot run is named in the section and recorded in ``skipped``.
    """
    breaks = Section("Break tests")
    breaks.paragraphs.append(
        "Model: "
        + Spec.from_keywords(log=log, trend=trend).describe(breaks=True)
        + ". Break periods are the first periods of new regimes (R's strucchange reports the "
        "last period of the old regime)."
    )
    with collecting() as caveats:
        check_window(catalog, values.index[0], values.index[-1], where="report")
    for caveat in caveats:
        breaks.paragraphs.append(f"Caveat: {caveat}.")  # the report prints its caveats
    rows: list[tuple[str, str, str, str]] = []
    for name in tests:
        if name == "chow":
            breaks.paragraphs.append("Chow test: no event given, skipped.")
            continue
        try:
            _run_test(breaks, rows, name, series, log, trend, shown, catalog)
        except BilateralTradeError as exc:
            breaks.paragraphs.append(f"{name}: could not be computed: {exc}")
            skipped[name] = NotComputed(name, str(exc))
    if rows:
        table = pd.DataFrame(rows, columns=["test", "statistic", "p-value", "break"])
        breaks.tables.insert(0, ("Tests", table))
    return breaks


def _analysed(
    s: Any, event: TradeEvent | str | None, catalog: EventCatalog | None, **design: Any
) -> tuple[EventAnalysis | None, Any]:
    """The analysis to render (``s``, or ``analyze`` of ``s`` at ``event``) and its series."""
    if isinstance(s, EventAnalysis):
        return s, (s.series if s.series is not None else s.values)
    if event is None:
        return None, s
    with collecting():  # kept in the analysis' caveats, which the report prints
        return analyze(s, event, catalog=catalog, **design), s


@renamed_keyword("events", "catalog")
def report(
    s: Any,
    *,
    catalog: EventCatalog | Sequence[TradeEvent] | None = None,
    baseline: Any = None,
    event: TradeEvent | str | None = None,
    window: tuple[Any, Any] | None = None,
    counterfactual: Any = "trend",
    control: Any = None,
    donors: Any = None,
    tests: Sequence[str] = _TESTS,
    log: bool = True,
    trend: bool = True,
    title: str | None = None,
) -> Report:
    """A report on a trade series: data, growth, recovery, and the analysis of an event.

    With ``event`` (or when ``s`` is an :class:`~bilateral_trade.EventAnalysis`), the report
    renders one :func:`~bilateral_trade.analyze` result: the question and its answer at the
    top, the window and the rule that chose it, the caveats, the break tests in the window
    with the attribution of the breaks, and the effect and lost trade by counterfactual. It
    chooses nothing itself: ``window``, ``counterfactual``, ``control`` and ``donors`` are
    passed to :func:`~bilateral_trade.analyze`. Without an event the report describes the
    series and runs the break tests named in ``tests`` on all of it (``log``, ``trend``);
    with a catalog, confounders inside the series are named.

    Parameters
    ----------
    s : TradeSeries, pandas.Series or EventAnalysis
    catalog : EventCatalog or list of TradeEvent, optional
        The catalog: events drawn on the figures, confounders of the window, candidates of
        the attribution. Its old name ``events=`` still works, with a :class:`FutureWarning`.
    baseline : period, (start, end) or float, optional
        Baseline of the recovery.
    event : TradeEvent or str, optional
        The event to analyse (a reference is looked up in ``catalog``).
    window, counterfactual, control, donors
        As for :func:`~bilateral_trade.analyze`.
    tests : sequence of {"chow", "sup_f", "bai_perron"}
        Without an event: the break tests run on the whole series.
    log, trend : bool, default True
        Without an event: the model of the break tests.
    title : str, optional

    Returns
    -------
    Report

    Raises
    ------
    DataValidationError
        An unknown test name, events of the wrong type, both ``catalog=`` and ``events=``,
        or the errors of ``analyze``.
    """
    from .._util.version import __version__

    _check_request(tests, event)
    events = (
        catalog if catalog is None or isinstance(catalog, EventCatalog) else EventCatalog(catalog)
    )
    analysis, series = _analysed(
        s,
        event,
        events,
        window=window,
        counterfactual=counterfactual,
        control=control,
        donors=donors,
        baseline=baseline,
        log=log,
    )
    values, freq, ts = as_values(series, field="s")
    unit = ts.unit if ts is not None else (analysis.unit if analysis is not None else "")
    label = (
        title_in_words(ts)
        if ts is not None
        else (analysis.label if analysis else str(values.name or "series"))
    )
    shown = _shown_events(events, values)
    sections = [] if analysis is None else [_question_section(analysis)]
    sections += _data_sections(series, values, ts, unit, label, shown, freq)
    sections.append(_growth_section(series, values, yoy(series), unit, label))
    rec = analysis.recovery if analysis is not None and baseline is not None else None
    if rec is None and baseline is not None:
        rec = recovery(series, baseline=baseline)
    if rec is not None:
        sections.append(_recovery_section(rec, unit))
    skipped: dict[str, NotComputed] = {}
    if analysis is not None:
        sections += _analysis_sections(analysis, series)
        skipped.update(analysis.not_computed)
    else:
        sections.append(
            _series_breaks_section(series, values, events, shown, tests, log, trend, skipped)
        )
    return Report(
        title=title or (title_in_words(ts) if ts is not None else f"Trade report: {label}"),
        sections=sections,
        options={
            "series": label,
            "baseline": baseline,
            "event": None if analysis is None else analysis.event.reference,
            "analysis": None if analysis is None else analysis.options,
            "tests": list(tests) if analysis is None else None,
            "log": log,
            "trend": trend if analysis is None else analysis.options["trend"],
            "events": None if events is None else len(events),
        },
        version=__version__,
        skipped=skipped,
    )


def _inside(catalog: EventCatalog | None, values: pd.Series) -> EventCatalog | None:
    """The events within the series' span (None when there are none)."""
    if catalog is None:
        return None
    index = values.index
    inside = catalog.between(index[0].start_time.date(), index[-1].end_time.date())
    return inside if len(inside) else None
