"""Recovery against a baseline: the level of a series as a ratio of a reference level.

``bt.recovery(s, baseline=2019)`` answers "how far back to its 2019 level is trade?",
"when was it lowest?", "when did it first get back to 80% of 2019?" and "how much
trade was lost against 2019 meanwhile?".
"""

from __future__ import annotations

import datetime as _dt
import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any, cast

import numpy as np
import pandas as pd

from .._util.aliases import JSONDict, PeriodLike
from .._util.compat import case_default, renamed_keyword
from .._util.format import Summary, json_number, money, pct, show
from ..data.periods import Frequency, format_periods, parse_period
from ..errors import DataValidationError
from ..models.results import Result
from ..models.validators import as_values, check_number

__all__ = ["RecoveryResult", "recovery"]

_TINY = float(np.finfo(np.float64).tiny)

Baseline = PeriodLike | tuple[PeriodLike, PeriodLike] | list[PeriodLike] | float


@dataclass(frozen=True, eq=False)
class RecoveryResult(Result):
    """Levels of a series relative to a baseline level (immutable).

    Attributes
    ----------
    values : pandas.Series
        The levels, by period.
    ratio : pandas.Series
        ``value / baseline_value`` by period (1.0 is back at the baseline).
    baseline : str
        How the baseline was given: ``"2019"``, ``"mean of 2017–2019"`` or ``"value 2.5e9"``.
    baseline_value : float
        The baseline level, in ``unit``.
    baseline_periods : tuple of pandas.Period
        The periods the baseline averages (empty for a number).
    trough_period, trough_ratio
        The lowest ratio after the baseline (over the whole series for a number).
    shortfall : pandas.Series
        ``max(baseline_value - value, 0)`` for each period after the baseline
        (NaN where the value is missing); 0 at or above the baseline.
    cumulative_shortfall : float
        Sum of ``shortfall``: trade lost against the baseline level. NaN if a value
        after the baseline is missing (a sum over the rest would understate it).
    unit, frequency, label, flags
        Metadata of the input series (``flags`` maps flagged periods to their flags).
    """

    values: pd.Series
    ratio: pd.Series
    baseline: str
    baseline_value: float
    baseline_periods: tuple[pd.Period, ...]
    trough_period: pd.Period | None
    trough_ratio: float
    shortfall: pd.Series
    cumulative_shortfall: float
    unit: str
    frequency: Frequency
    label: str
    flags: dict[pd.Period, tuple[str, ...]] = field(default_factory=dict)

    @property
    def after(self) -> pd.Period | None:
        """Last period of the baseline (None for a number): recovery is looked for after it."""
        return self.baseline_periods[-1] if self.baseline_periods else None

    @renamed_keyword("level", "share")
    def first_at(self, share: float = 1.0, after: PeriodLike | None = None) -> pd.Period | None:
        """First period whose ratio is at or above ``share`` (a fraction of the baseline).

        Parameters
        ----------
        share : float, default 1.0
            ``0.8`` for 80% of the baseline. (``level=`` is its old name, still accepted with
            a ``FutureWarning``: ``level`` is only ever a confidence level.)
        after : period-like, optional
            Look only at periods strictly after this one (e.g. the period of a
            border closure). Default: after the baseline (the whole series for a
            number baseline).

        Returns
        -------
        pandas.Period or None
            None if the series never gets there. Missing values never count.
        """
        share = check_number(
            share,
            "share",
            minimum=0.0,
            open_bounds=True,
            what="a positive fraction",
            hint="0.8 is 80% of the baseline",
        )
        start = parse_period(after, self.frequency, field="after") if after is not None else None
        start = start if start is not None else self.after
        ratio = self.ratio if start is None else self.ratio[self.ratio.index > start]
        hits = ratio.index[(ratio >= share).to_numpy()]
        return hits[0] if len(hits) else None

    def summary(self) -> Summary:
        """Readable text: baseline, latest ratio, trough, first periods back at 80% and 100%."""
        last = self.ratio.dropna()
        lines = [
            f"Recovery of {self.label} against {self.baseline} "
            f"({money(self.baseline_value, self.unit)})",
            f"  periods:            {self.ratio.index[0]} to {self.ratio.index[-1]} "
            f"({len(self.ratio)})",
        ]
        if len(last):
            lines.append(
                f"  latest:             {last.index[-1]} at "
                f"{pct(float(last.iloc[-1]), signed=False)} of the baseline"
            )
        if self.trough_period is not None:
            lines.append(
                f"  trough:             {self.trough_period} at "
                f"{pct(self.trough_ratio, signed=False)}"
            )
        for level in (0.8, 1.0):
            hit = self.first_at(level)
            lines.append(
                f"  first at {pct(level, 0, signed=False):>4}:      "
                + (str(hit) if hit is not None else "not reached")
            )
        lines.append(
            f"  cumulative shortfall: {money(self.cumulative_shortfall, self.unit)}"
            + (" (incomplete: missing values)" if math.isnan(self.cumulative_shortfall) else "")
        )
        flagged = [p for p, f in self.flags.items() if set(f) - {"missing"}]
        missing = [p for p, f in self.flags.items() if "missing" in f]
        if flagged:
            lines.append(f"  flagged periods:    {format_periods(flagged)}")
        if missing:
            lines.append(f"  missing periods:    {len(missing)} ({format_periods(missing, 4)})")
        return Summary("\n".join(lines))

    def to_frame(self) -> pd.DataFrame:
        """One row per period: ``value``, ``ratio``, ``shortfall``, ``flags``."""
        frame = pd.DataFrame(
            {
                "value": self.values,
                "ratio": self.ratio,
                "shortfall": self.shortfall.reindex(self.values.index),
                "flags": [";".join(self.flags.get(p, ())) for p in self.values.index],
            }
        )
        frame.index.name = "period"
        return frame

    def to_dict(self) -> JSONDict:
        """JSON-ready dictionary (periods as strings, NaN as None)."""
        num = json_number

        hit80, hit100 = self.first_at(0.8), self.first_at(1.0)
        return {
            "method": "recovery",
            "label": self.label,
            "unit": self.unit,
            "frequency": self.frequency.value,
            "baseline": self.baseline,
            "baseline_value": json_number(self.baseline_value),
            "baseline_periods": [str(p) for p in self.baseline_periods],
            "trough_period": None if self.trough_period is None else str(self.trough_period),
            "trough_ratio": num(self.trough_ratio),
            "first_at_80": None if hit80 is None else str(hit80),
            "first_at_100": None if hit100 is None else str(hit100),
            "cumulative_shortfall": num(self.cumulative_shortfall),
            "periods": [str(p) for p in self.values.index],
            "values": [num(v) for v in self.values],
            "ratio": [num(v) for v in self.ratio],
            "shortfall": [num(v) for v in self.shortfall.reindex(self.values.index)],
            "flags": {str(p): list(f) for p, f in self.flags.items()},
        }


def _resolve_baseline(
    baseline: Any, values: pd.Series, freq: Frequency
) -> tuple[str, float, tuple[pd.Period, ...]]:
    if isinstance(baseline, float | np.floating):
        value = float(baseline)
        if not math.isfinite(value) or value < _TINY:
            raise DataValidationError(
                f"baseline: {show(baseline)} is not a positive level"
                + (
                    f" of at least {_TINY:.3g} (a normal floating-point number)"
                    if 0 < value < _TINY
                    else ""
                ),
                field="baseline",
                value=baseline,
            )
        return f"value {value:g}", value, ()
    if isinstance(baseline, tuple | list):
        if len(baseline) != 2:
            raise DataValidationError(
                f"baseline: a range is (start, end), got {show(baseline)}",
                field="baseline",
                value=baseline,
            )
        p0 = parse_period(baseline[0], freq, field="baseline")
        p1 = parse_period(baseline[1], freq, field="baseline")
        if p1 < p0:
            raise DataValidationError(
                f"baseline: the range {p0}–{p1} ends before it starts",
                field="baseline",
                value=baseline,
            )
        periods: Sequence[pd.Period] = list(pd.period_range(p0, p1, freq=freq.pandas_freq))
        label = f"mean of {p0}–{p1}"
    elif isinstance(baseline, int | str | pd.Period | pd.Timestamp | _dt.date):
        periods = [parse_period(baseline, freq, field="baseline")]
        label = str(periods[0])
    else:
        raise DataValidationError(
            f"baseline: {show(baseline)} is not a period, a (start, end) range or a level (float)",
            field="baseline",
            value=baseline,
        )
    outside = [p for p in periods if p not in values.index]
    if outside:
        raise DataValidationError(
            f"baseline: {outside[0]} is outside the series ({values.index[0]} to "
            f"{values.index[-1]})",
            field="baseline",
            value=str(outside[0]),
        )
    levels = values.reindex(pd.PeriodIndex(list(periods))).to_numpy()
    if np.isnan(levels).any():
        raise DataValidationError(
            f"baseline: the value at {periods[int(np.argmax(np.isnan(levels)))]} is missing",
            field="baseline",
            value=label,
        )
    top = float(levels.max())
    level = top * float(np.mean(levels / top)) if top > 0 else 0.0  # no overflow of the sum
    if level < _TINY:
        raise DataValidationError(
            f"baseline: the baseline level ({label}) is {show(level)}; ratios need a positive "
            "baseline" + (f" of at least {_TINY:.3g}" if level > 0 else ""),
            field="baseline",
            value=level,
        )
    return label, level, tuple(periods)


def recovery(s: Any, baseline: Baseline | None = None) -> RecoveryResult:
    """Ratio of a series to a baseline level, its trough, recovery periods and shortfall.

    Parameters
    ----------
    s : TradeSeries or pandas.Series
    baseline : period, (start, end) or float
        A period of the series (``2019``, ``"2019-06"``), a range of periods whose
        mean is the baseline (``(2017, 2019)``), or a level given as a float
        (``2.5e9``). An integer is a period, never a level. Give it: a call without it
        still uses 2019 (the pre-pandemic year of the China–DPRK case), with a
        ``FutureWarning``.

    Returns
    -------
    RecoveryResult

    Raises
    ------
    DataValidationError
        A baseline outside the series, missing, zero or subnormal (below ``2.2e-308``), or
        ratios or a cumulative shortfall beyond the range of floating-point numbers.

    Examples
    --------
    >>> import bilateral_trade as bt
    >>> r = bt.recovery(bt.datasets.china_dprk_trade(), baseline=2019)
    >>> round(float(r.ratio["2023"]), 3)
    0.823
    >>> str(r.first_at(0.8, after=2020))
    '2023'
    """
    chosen: Baseline = case_default(
        baseline, "baseline", cast(Baseline, 2019), "recovery", "the China–DPRK case's"
    )
    values, freq, series = as_values(s, field="s")
    label, level, periods = _resolve_baseline(chosen, values, freq)
    with np.errstate(over="ignore"):
        ratio = (values / level).rename("ratio")
    if np.isinf(ratio.to_numpy()).any():
        raise DataValidationError(
            f"baseline: the ratio of the values to the baseline level {show(level)} exceeds the "
            "range of floating-point numbers; choose a baseline of the size of the data",
            field="baseline",
            value=show(level),
        )
    after = values.index > periods[-1] if periods else np.ones(len(values), dtype=bool)
    window = ratio[after]
    trough_period: pd.Period | None = None
    trough_ratio = math.nan
    if window.notna().any():
        trough_period = cast(pd.Period, window.idxmin())
        trough_ratio = float(window.min())
    gap = (level - values[after]).clip(lower=0).rename("shortfall")
    with np.errstate(over="ignore"):
        cumulative = float(gap.sum()) if not gap.isna().any() else math.nan
    if math.isinf(cumulative):
        raise DataValidationError(
            f"baseline: the cumulative shortfall against {label} exceeds the range of "
            "floating-point numbers; express the series in a larger unit",
            field="baseline",
            value=label,
        )
    return RecoveryResult(
        values=values.rename("value"),
        ratio=ratio,
        baseline=label,
        baseline_value=level,
        baseline_periods=periods if isinstance(periods, tuple) else tuple(periods),
        trough_period=trough_period,
        trough_ratio=trough_ratio,
        shortfall=gap,
        cumulative_shortfall=cumulative,
        unit=series.unit if series is not None else "",
        frequency=freq,
        label=series.label if series is not None else str(values.name or "series"),
        flags=series.flags if series is not None else {},
    )
