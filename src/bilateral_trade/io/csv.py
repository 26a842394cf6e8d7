"""Reading trade series from CSV files: two-column files and tidy long files."""

from __future__ import annotations

import math
from collections.abc import Mapping
from pathlib import Path
from typing import Literal, cast

import numpy as np
import pandas as pd

from .._periods import Frequency, parse_periods
from ..countries import check_country
from ..errors import DataValidationError
from ..series import Flow, TradeSeries, check_product

__all__ = ["SeriesKey", "read_csv"]

#: Key of a series in a multi-series file: (reporter, partner, flow, product).
SeriesKey = tuple[str, str, str, str]

_KEYS = ("reporter", "partner", "flow", "product")


def _numbers(
    raw: pd.Series, lines: np.ndarray, field: str, thousands: str | None, scale: float
) -> np.ndarray:
    out = np.empty(len(raw), dtype=np.float64)
    for i, (text, line) in enumerate(zip(raw.tolist(), lines, strict=True)):
        cell = str(text).strip()
        if cell == "":
            out[i] = math.nan
            continue
        if thousands:
            cell = cell.replace(thousands, "")
        try:
            out[i] = float(cell)
        except ValueError:
            hint = (
                "; it has thousands separators: pass thousands=','"
                if not thousands and "," in cell
                else ""
            )
            raise DataValidationError(
                f"{field}: {text!r} at line {line} is not a number{hint}",
                field=field,
                value=text,
            ) from None
    return out * scale


def _normalise_key(name: str, value: str) -> str:
    if name in ("reporter", "partner"):
        return check_country(value, name)
    if name == "flow":
        return Flow.parse(value).value
    return check_product(value)


def read_csv(
    path: str | Path,
    *,
    period: str = "period",
    value: str = "value",
    reporter: str | None = None,
    partner: str | None = None,
    flow: Flow | str | None = None,
    product: str | None = None,
    unit: str | None = None,
    source: str | None = None,
    scale: float = 1.0,
    thousands: str | None = None,
    frequency: Frequency | str | None = None,
    gaps: Literal["raise", "keep"] = "raise",
    columns: Mapping[str, str] | None = None,
    sep: str = ",",
    encoding: str = "utf-8",
) -> TradeSeries | dict[SeriesKey, TradeSeries]:
    """Read one or several trade series from a CSV file.

    Two layouts are read:

    - a two-column file (``period``, ``value``): the metadata come from the
      keyword arguments (``reporter``, ``partner`` and ``flow`` are required);
    - a tidy long file with key columns ``reporter``, ``partner``, ``flow`` and
      optionally ``product``, ``unit``, ``source``, ``flags`` (``";"``-separated)
      and ``note``: one series per key.

    A keyword given for a key column that the file has selects the rows with that
    value (``reporter="CHN"`` reads China's rows only). Rows keep their order:
    unsorted or duplicate periods are refused, never reordered.

    Parameters
    ----------
    path : str or Path
    period, value : str
        Names of the period and value columns.
    reporter, partner, flow, product, unit, source : str, optional
        Metadata for columns the file lacks, or a selection for columns it has.
    scale : float, default 1.0
        Multiplier applied to every value: ``1e6`` for a file in millions.
    thousands : str, optional
        Thousands separator to remove (``","``). Without it, ``"1,234"`` is refused.
    frequency : Frequency or str, optional
        Required only when periods are dates.
    gaps : {"raise", "keep"}, default "raise"
        ``"keep"`` declares empty cells and absent periods as missing values.
    columns : mapping, optional
        Our field name → the file's column name, e.g. ``{"value": "Trade Value (US$)"}``.
    sep, encoding : str
        Passed to the CSV parser.

    Returns
    -------
    TradeSeries or dict
        One series, or a dict keyed by ``(reporter, partner, flow, product)`` when
        the file holds several.

    Raises
    ------
    DataValidationError
        A missing column (naming the columns found), an unparseable period or value
        (naming its line), a selection that matches no row, mixed units in one series,
        or any check of :class:`TradeSeries`.
    """
    if not (isinstance(scale, int | float) and math.isfinite(scale) and scale > 0):
        raise DataValidationError(
            f"scale: {scale!r} is not a positive number", field="scale", value=scale
        )
    frame = pd.read_csv(path, dtype=str, keep_default_na=False, sep=sep, encoding=encoding)
    rename = {theirs: ours for ours, theirs in (columns or {}).items()}
    for ours, theirs in (columns or {}).items():
        if theirs not in frame.columns:
            raise DataValidationError(
                f"columns: {ours}={theirs!r} names no column of {Path(path).name}; columns "
                f"found: {', '.join(frame.columns)}",
                field="columns",
                value=theirs,
            )
    frame = frame.rename(columns=rename)
    found = ", ".join(map(str, frame.columns))
    for col in (period, value):
        if col not in frame.columns:
            raise DataValidationError(
                f"{col}: no column {col!r} in {Path(path).name}; columns found: {found}",
                field=col,
                value=None,
            )
    lines = np.arange(len(frame)) + 2  # line 1 is the header
    given: dict[str, str | None] = {
        "reporter": reporter,
        "partner": partner,
        "flow": None if flow is None else str(flow.value if isinstance(flow, Flow) else flow),
        "product": product,
    }
    keys = pd.DataFrame(index=frame.index)
    for name in _KEYS:
        kw = given[name]
        if name in frame.columns:
            normal = {v: _normalise_key(name, v) for v in pd.unique(frame[name])}
            keys[name] = frame[name].map(normal)
            if kw is not None:
                wanted = _normalise_key(name, kw)
                selected = keys[name] == wanted
                if not selected.any():
                    raise DataValidationError(
                        f"{name}: no row has {name} {wanted!r}; the file has "
                        f"{', '.join(sorted(set(keys[name])))}",
                        field=name,
                        value=kw,
                    )
                frame, keys, lines = frame[selected], keys[selected], lines[selected.to_numpy()]
        elif kw is not None:
            keys[name] = _normalise_key(name, kw)
        elif name == "product":
            keys[name] = "TOTAL"
        else:
            raise DataValidationError(
                f"{name}: the file has no {name!r} column and no {name}= was given; columns "
                f"found: {found}",
                field=name,
                value=None,
            )
    freq = Frequency.parse(frequency) if frequency is not None else None
    periods = parse_periods(
        frame[period].tolist(), freq, field=period, rows=lines.tolist(), row_label="line"
    )
    numbers = _numbers(frame[value], lines, value, thousands, float(scale))
    default_source = source or (
        Path(path).name + (f" (values × {scale:g} on reading)" if scale != 1 else "")
    )
    result: dict[SeriesKey, TradeSeries] = {}
    groups = keys.groupby(list(_KEYS), sort=False).indices
    for group, positions in groups.items():
        key = cast(SeriesKey, group)
        rows = frame.iloc[positions]
        units = sorted(set(rows["unit"])) if "unit" in rows.columns else [unit or "USD"]
        if "unit" in rows.columns and unit is not None and units != [unit]:
            raise DataValidationError(
                f"unit: unit={unit!r} was given but the file says {', '.join(units)} for {key}",
                field="unit",
                value=unit,
            )
        if len(units) > 1:
            raise DataValidationError(
                f"unit: the series {key} mixes units {', '.join(units)}; one series has one unit",
                field="unit",
                value=units,
            )
        sources = sorted(set(rows["source"])) if "source" in rows.columns else [default_source]
        index = periods[positions]
        flags = {}
        if "flags" in rows.columns:
            flags = {p: f for p, f in zip(index, rows["flags"], strict=True) if f.strip()}
        notes = {}
        if "note" in rows.columns:
            notes = {p: n for p, n in zip(index, rows["note"], strict=True) if n.strip()}
        result[key] = TradeSeries(
            pd.Series(numbers[positions], index=index),
            reporter=key[0],
            partner=key[1],
            flow=key[2],
            product=key[3],
            unit=units[0],
            source="; ".join(s for s in sources if s),
            frequency=freq,
            flags=flags,
            notes=notes,
            gaps=gaps,
        )
    if len(result) == 1:
        return next(iter(result.values()))
    return result
