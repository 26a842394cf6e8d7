"""Typed, immutable results of the break tests.

:class:`TestStatistic` lives in :mod:`bilateral_trade.models.results` (beside the other values
results share) and is importable from here as before.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any

import numpy as np
import pandas as pd

from ..._util.aliases import JSONDict, JSONValue
from ..._util.format import Summary, json_number, json_value
from ...models.results import Frozen, NotComputed, Result, TestStatistic

__all__ = [
    "BreakTestResult",
    "CusumTestResult",
    "MultipleBreaksResult",
    "Partition",
    "SupFTestResult",
    "TestStatistic",
]


def _fmt(x: float, digits: int = 4) -> str:
    if not math.isfinite(x):
        return "n/a"
    return f"{x:.{digits}f}"


def _fmt_p(p: float) -> str:
    if not math.isfinite(p):
        return "n/a"
    return "< 1e-16" if p < 1e-16 else (f"{p:.4g}" if p < 1e-3 else f"{p:.4f}")


def _bound(p: float) -> str:
    """A p-value read off a table: an upper bound, or above the largest tabulated level."""
    return f"≤ {p:g}" if p < 1 else "> 0.1"


def _crit(cv: Mapping[str, float]) -> str:
    return ", ".join(f"{k}: {_fmt(v, 3)}" for k, v in cv.items())


def _series_dict(s: pd.Series) -> JSONValue:
    return {str(p): json_number(float(v)) for p, v in s.items()}


class _TestResult(Result):
    """Results of single tests: the common part of their ``to_dict()``."""

    def _test_dict(self, **fields: JSONValue) -> JSONDict:
        """Method, label, statistic, p-value and critical values, ``fields``, then the rest."""
        r: Any = self
        return {
            "method": r.method,
            "label": r.label,
            "statistic": json_number(r.statistic),
            "p_value": json_number(r.p_value),
            "critical_values": {k: json_number(v) for k, v in r.critical_values.items()},
            **fields,
            "nobs": r.nobs,
            "null_hypothesis": r.null_hypothesis,
            "alternative": r.alternative,
            "options": json_value(r.options),
            "reference": r.reference,
        }


@dataclass(frozen=True, eq=False)
class BreakTestResult(_TestResult):
    """Result of a test for structural change at known break periods (Chow test).

    ``break_periods`` are the first periods of the new regimes.
    """

    statistic: float
    p_value: float
    critical_values: dict[str, float]
    df: tuple[float, ...]
    break_periods: tuple[pd.Period, ...]
    nobs: int
    method: str
    null_hypothesis: str
    alternative: str
    label: str
    options: Mapping[str, Any]
    reference: str

    def headline(self) -> str:
        """The test, its statistic and p-value at the break period(s), and the series."""
        return (
            f"{self.method} at {', '.join(str(p) for p in self.break_periods)}: statistic "
            f"{_fmt(self.statistic)}, p-value {_fmt_p(self.p_value)} — {self.label}"
        )

    def summary(self) -> Summary:
        """Readable text of the test."""
        lines = [
            f"{self.method} — {self.label}",
            f"  H0: {self.null_hypothesis}",
            f"  H1: {self.alternative}",
            f"  break period(s) (first period of the new regime): "
            f"{', '.join(str(p) for p in self.break_periods)}",
            f"  statistic = {_fmt(self.statistic)}, df = {self.df}, "
            f"p-value = {_fmt_p(self.p_value)}, n = {self.nobs}",
            f"  critical values: {_crit(self.critical_values)}",
            f"  options: {dict(self.options)}",
            f"  reference: {self.reference}",
        ]
        return Summary("\n".join(lines))

    def to_dict(self) -> JSONDict:
        """JSON-ready dictionary."""
        return self._test_dict(
            df=[float(d) for d in self.df],
            break_periods=[str(p) for p in self.break_periods],
        )


@dataclass(frozen=True, eq=False)
class SupFTestResult(_TestResult):
    """sup-F, ave-F and exp-F tests for one break at an unknown period.

    The F path and the three statistics are on strucchange's ``Fstats`` scale: the
    Wald form ``(RSS_0 - RSS_1(b)) / (RSS_1(b) / (n - 2k))``, not divided by ``k``.
    ``break_period`` (the arg-max of the F path) is the first period of the new regime.
    """

    sup_f: TestStatistic
    ave_f: TestStatistic
    exp_f: TestStatistic
    break_period: pd.Period
    f_path: pd.Series
    nobs: int
    nreg: int
    lam: float
    label: str
    options: Mapping[str, Any]
    method: str = "sup-F, ave-F and exp-F tests"
    null_hypothesis: str = "no structural change (coefficients constant)"
    alternative: str = "one break in all coefficients at an unknown period"
    reference: str = (
        "Andrews (1993); Andrews and Ploberger (1994); p-values Hansen (1997); "
        "as R strucchange::Fstats/sctest"
    )

    @property
    def statistic(self) -> float:
        """The sup-F statistic."""
        return self.sup_f.statistic

    @property
    def p_value(self) -> float:
        """p-value of sup-F."""
        return self.sup_f.p_value

    @property
    def critical_values(self) -> dict[str, float]:
        """Critical values of sup-F."""
        return self.sup_f.critical_values

    def headline(self) -> str:
        """sup-F, its p-value and the arg-max break period, and the series."""
        return (
            f"sup-F {_fmt(self.statistic)}, p-value {_fmt_p(self.p_value)}, break period "
            f"{self.break_period} — {self.label}"
        )

    def summary(self) -> Summary:
        """Readable text of the tests."""
        lines = [
            f"{self.method} — {self.label}",
            f"  H0: {self.null_hypothesis}; H1: {self.alternative}",
            f"  candidate breaks: {self.f_path.index[0]} to {self.f_path.index[-1]} "
            f"({len(self.f_path)}), n = {self.nobs}, k = {self.nreg}, lambda = {self.lam:.4g}",
        ]
        for t in (self.sup_f, self.ave_f, self.exp_f):
            note = " (bound)" if t.p_value_method == "bound" else ""
            lines.append(
                f"  {t.name:<6} = {_fmt(t.statistic):>10}  p-value = {_fmt_p(t.p_value)}{note}"
                f"  [{_crit(t.critical_values)}]"
            )
        lines.append(
            f"  break period (arg-max, first period of the new regime): {self.break_period}"
        )
        lines.append(f"  options: {dict(self.options)}")
        lines.append(f"  reference: {self.reference}")
        return Summary("\n".join(lines))

    def to_frame(self) -> pd.DataFrame:
        """The F path: one row per candidate break period."""
        frame = self.f_path.rename("F").to_frame()
        frame.index.name = "break_period"
        return frame

    def to_dict(self) -> JSONDict:
        """JSON-ready dictionary."""
        return {
            "method": self.method,
            "label": self.label,
            "sup_f": self.sup_f.to_dict(),
            "ave_f": self.ave_f.to_dict(),
            "exp_f": self.exp_f.to_dict(),
            "break_period": str(self.break_period),
            "f_path": _series_dict(self.f_path),
            "nobs": self.nobs,
            "nreg": self.nreg,
            "lambda": self.lam,
            "null_hypothesis": self.null_hypothesis,
            "alternative": self.alternative,
            "options": json_value(self.options),
            "reference": self.reference,
        }


@dataclass(frozen=True, eq=False)
class CusumTestResult(_TestResult):
    """CUSUM test: the process, its 5% boundary, the statistic and p-value."""

    statistic: float
    p_value: float
    critical_values: dict[str, float]
    process: pd.Series
    boundary: pd.Series
    nobs: int
    kind: str
    label: str
    options: Mapping[str, Any]
    method: str
    null_hypothesis: str = "no structural change (coefficients constant)"
    alternative: str = "coefficients change over time"
    reference: str = ""

    def headline(self) -> str:
        """The test, its statistic and p-value, and the series."""
        return (
            f"{self.method}: statistic {_fmt(self.statistic)}, p-value {_fmt_p(self.p_value)} "
            f"— {self.label}"
        )

    def summary(self) -> Summary:
        """Readable text of the test."""
        crossed = self.process.index[(self.process.abs() > self.boundary).to_numpy()]
        lines = [
            f"{self.method} — {self.label}",
            f"  H0: {self.null_hypothesis}",
            f"  statistic = {_fmt(self.statistic)}, p-value = {_fmt_p(self.p_value)}, "
            f"n = {self.nobs}",
            f"  critical values: {_crit(self.critical_values)}",
            "  process crosses the 5% boundary: "
            + (f"first at {crossed[0]}" if len(crossed) else "no"),
            f"  reference: {self.reference}",
        ]
        return Summary("\n".join(lines))

    def to_frame(self) -> pd.DataFrame:
        """Process and boundary by period."""
        frame = pd.DataFrame({"process": self.process, "boundary": self.boundary})
        frame.index.name = "period"
        return frame

    def to_dict(self) -> JSONDict:
        """JSON-ready dictionary."""
        return self._test_dict(
            kind=self.kind,
            process=_series_dict(self.process),
            boundary=_series_dict(self.boundary),
        )


@dataclass(frozen=True, eq=False)
class Partition(Frozen):
    """The optimal partition with ``m`` breaks: break periods, RSS, BIC and LWZ."""

    m: int
    break_periods: tuple[pd.Period, ...]
    rss: float
    bic: float
    lwz: float

    def to_dict(self) -> JSONDict:
        """JSON-ready dictionary."""
        return {
            "m": self.m,
            "break_periods": [str(p) for p in self.break_periods],
            "rss": json_number(self.rss),
            "bic": self.bic,
            "lwz": self.lwz,
        }


@dataclass(frozen=True, eq=False)
class MultipleBreaksResult(Result):
    """Bai–Perron estimation of multiple breaks at unknown periods.

    ``break_periods`` (and the ``break_period`` column of ``confidence_intervals``)
    are first periods of new regimes.
    """

    n_breaks: int
    break_periods: tuple[pd.Period, ...]
    by_m: dict[int, Partition]
    criterion: str
    confidence_intervals: pd.DataFrame
    coefficients: pd.DataFrame
    nobs: int
    nreg: int
    h: int
    label: str
    options: Mapping[str, Any]
    sequential: pd.DataFrame | None = None
    udmax: TestStatistic | None = None
    wdmax: TestStatistic | None = None
    method: str = "Bai–Perron multiple break estimation"
    reference: str = (
        "Bai and Perron (1998, 2003); confidence intervals Bai (1997); "
        "as R strucchange::breakpoints/confint"
    )
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def not_computed(self) -> Mapping[str, NotComputed]:
        """The sequential and Dmax tests when they could not be computed, with the reason."""
        reason = self.extra.get("tests_unavailable")
        if reason is None:
            return MappingProxyType({})
        return MappingProxyType(
            {name: NotComputed(name, str(reason)) for name in ("sequential", "udmax", "wdmax")}
        )

    def headline(self) -> str:
        """The number of breaks chosen and their periods, and the series."""
        at = ", ".join(str(p) for p in self.break_periods)
        return (
            f"{self.n_breaks} break(s){' at ' + at if at else ''} ({self.criterion}) — {self.label}"
        )

    def summary(self) -> Summary:
        """Readable text: partitions by m, the selected one, intervals, coefficients."""
        lines = [
            f"{self.method} — {self.label}",
            f"  n = {self.nobs}, k = {self.nreg}, minimal segment h = {self.h}, "
            f"criterion = {self.criterion}",
            "  m  RSS            BIC          LWZ        break periods (first of new regime)",
        ]
        for m, part in self.by_m.items():
            mark = "*" if m == self.n_breaks else " "
            rss = f"{part.rss:.6g}" if 0 < part.rss < math.inf else "out of range"
            lines.append(
                f" {mark}{m:<2} {rss:<14} {part.bic:<12.4f} {part.lwz:<10.5f} "
                f"{', '.join(str(p) for p in part.break_periods) or '—'}"
            )
        if len(self.confidence_intervals):
            lines.append(f"  confidence intervals ({self.options.get('level', 0.95):.0%}):")
            for row in self.confidence_intervals.itertuples(index=False):
                lines.append(f"    {row.lower} – {row.break_period} – {row.upper}")
        if self.sequential is not None:
            lines.append("  sequential sup-F(l+1|l) (Bai–Perron 2003 critical values):")
            for rec in self.sequential.to_dict(orient="records"):
                stat, p = float(rec["statistic"]), float(rec["p_value"])
                note = rec.get("note") or "no regime long enough for another break"
                lines.append(
                    f"    l = {rec['l']}: {_fmt(stat, 3):>9}  p {_bound(p)}  "
                    f"[5%: {rec['cv_5%']}]  new break: {rec['new_break_period']}"
                    if math.isfinite(stat)
                    else f"    l = {rec['l']}: {note}"
                )
        for t in (self.udmax, self.wdmax):
            if t is not None:
                lines.append(
                    f"  {t.name} = {_fmt(t.statistic, 3)}, p {_bound(t.p_value)} "
                    f"[{_crit(t.critical_values)}]"
                )
        if "tests_unavailable" in self.extra:
            lines.append(f"  sequential and Dmax tests: {self.extra['tests_unavailable']}")
        lines.append("  coefficients by segment:")
        for line in self.coefficients.to_string(index=False).splitlines():
            lines.append("    " + line)
        lines.append(f"  reference: {self.reference}")
        return Summary("\n".join(lines))

    def to_frame(self) -> pd.DataFrame:
        """One row per m: RSS, BIC, LWZ and the break periods."""
        return pd.DataFrame(
            {
                "rss": [p.rss for p in self.by_m.values()],
                "bic": [p.bic for p in self.by_m.values()],
                "lwz": [p.lwz for p in self.by_m.values()],
                "break_periods": [
                    ", ".join(str(b) for b in p.break_periods) for p in self.by_m.values()
                ],
            },
            index=pd.Index(list(self.by_m), name="m"),
        )

    def to_dict(self) -> JSONDict:
        """JSON-ready dictionary."""
        ci = [
            {
                k: (str(v) if isinstance(v, pd.Period) else None if pd.isna(v) else v)
                for k, v in rec.items()
            }
            for rec in self.confidence_intervals.to_dict(orient="records")
        ]
        coefs = [
            {str(k): (None if isinstance(v, float) and np.isnan(v) else v) for k, v in r.items()}
            for r in self.coefficients.astype(object).to_dict(orient="records")
        ]
        return {
            "method": self.method,
            "label": self.label,
            "n_breaks": self.n_breaks,
            "break_periods": [str(p) for p in self.break_periods],
            "criterion": self.criterion,
            "by_m": {str(m): p.to_dict() for m, p in self.by_m.items()},
            "confidence_intervals": ci,  # type: ignore[dict-item]
            "coefficients": [{k: str(v) for k, v in c.items()} for c in coefs],
            "nobs": self.nobs,
            "nreg": self.nreg,
            "h": self.h,
            "sequential": None
            if self.sequential is None
            else [
                {
                    str(k): (
                        str(v)
                        if isinstance(v, pd.Period)
                        else (None if v is None or (isinstance(v, float) and np.isnan(v)) else v)
                    )
                    for k, v in rec.items()
                }
                for rec in self.sequential.to_dict(orient="records")
            ],
            "udmax": None if self.udmax is None else self.udmax.to_dict(),
            "wdmax": None if self.wdmax is None else self.wdmax.to_dict(),
            "options": json_value(self.options),
            "reference": self.reference,
        }
