"""Reading trade series from CSV files: two-column files and tidy long files."""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any, Literal, cast

import numpy as np
import pandas as pd

from .._util.files import LineMap, read_table
from ..data.countries import check_country
from ..data.panel import located
from ..data.periods import Frequency, factorize, parse_period_column
from ..data.series import Flow, TradeSeries, check_product
from ..errors import DataValidationError

__all__ = ["SeriesKey", "read_csv"]

#: Key of a series in a multi-series file: (reporter, partner, flow, product).
SeriesKey = tuple[str, str, str, str]

_KEYS = ("reporter", "partner", "flow", "product")


def _numbers(
    raw: pd.Series, where: Callable[[int], str], field: str, thousands: str | None, scale: float
) -> np.ndarray:
    out = np.empty(len(raw), dtype=np.float64)
    for i, text in enumerate(raw.tolist()):
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
                f"{field}: {text!r} at {where(i)} is not a number{hint}",
                field=field,
                value=text,
            ) from None
    with np.errstate(over="ignore"):
        return out * scale


def _check_order(index: pd.PeriodIndex, where: Callable[[int], str], field: str) -> None:
    """Refuse a duplicate or an out-of-order period, naming the lines (rows keep their order)."""
    ordinals = np.asarray(index.asi8)
    later = pd.Index(ordinals).duplicated(keep="first")
    if later.any():
        second = int(np.argmax(later))
        first = int(np.argmax(ordinals == ordinals[second]))
        raise DataValidationError(
            f"{field}: duplicate period {index[second]} at {where(first)} and {where(second)}; "
            "each period must appear once (aggregate or de-duplicate the data first)",
            field=field,
            value=str(index[second]),
        )
    steps = np.diff(ordinals)
    if (steps < 0).any():
        pos = int(np.argmax(steps < 0))
        raise DataValidationError(
            f"{field}: periods are not sorted: {index[pos]} comes before {index[pos + 1]} "
            f"({where(pos)} and {where(pos + 1)}); sort the file by period first (rows are "
            "never reordered)",
            field=field,
            value=str(index[pos + 1]),
        )


def _normalise_key(name: str, value: str) -> str:
    if name in ("reporter", "partner"):
        return check_country(value, name)
    if name == "flow":
        return Flow.parse(value).value
    return check_product(value)


def _normal_column(column: pd.Series, name: str, where: Callable[[int], str]) -> pd.Series:
    """Normalise the distinct values of a key column, naming the line of a bad one."""
    codes, uniques = factorize(column)
    if (codes < 0).any():  # never from a text reader; a null must not take a code's place
        raise DataValidationError(
            f"{name} at {where(int(np.argmax(codes < 0)))}: the cell is empty",
            field=name,
            value=None,
        )
    normal = []
    for k, item in enumerate(uniques):
        try:
            normal.append(_normalise_key(name, item))
        except DataValidationError as exc:
            raise located(exc, where(int(np.argmax(codes == k)))) from None
    return pd.Series(np.asarray(normal, dtype=object)[codes], index=column.index)


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
        A file that cannot be read as CSV (empty, not in ``encoding``, ragged rows, a
        column named twice, a bad ``sep`` or ``encoding``), a missing column (naming the
        columns found), an unparseable key, period or value, a duplicate or out-of-order
        period (naming the lines), a selection that matches no row, mixed units in one
        series, or any check of :class:`TradeSeries`. Lines are lines of the file: line 1
        is the header.
    InsufficientDataError
        A header without data rows.
    OSError
        A missing or unreadable file (FileNotFoundError, PermissionError).
    """
    _check_options(scale=scale, thousands=thousands, period=period, value=value, columns=columns)
    name = Path(path).name
    frame, lines = _read_frame(path, name, sep=sep, encoding=encoding, columns=columns)
    found = ", ".join(map(str, frame.columns))
    for col in (period, value):
        if col not in frame.columns:
            raise DataValidationError(
                f"{col}: no column {col!r} in {name}; columns found: {found}",
                field=col,
                value=None,
            )
    given: dict[str, str | None] = {
        "reporter": reporter,
        "partner": partner,
        "flow": None if flow is None else str(flow.value if isinstance(flow, Flow) else flow),
        "product": product,
    }
    frame, keys, rows = _select(frame, given, lines, found)
    where = lines.subset(rows)
    freq = Frequency.parse(frequency) if frequency is not None else None
    periods = parse_period_column(frame[period], freq, field=period, locate=where)
    numbers = _numbers(frame[value], where, value, thousands, float(scale))
    result = _split(
        frame,
        keys,
        rows,
        periods,
        numbers,
        lines,
        period=period,
        unit=unit,
        source=source or (name + (f" (values × {scale:g} on reading)" if scale != 1 else "")),
        frequency=freq,
        gaps=gaps,
    )
    if len(result) == 1:
        return next(iter(result.values()))
    return result


def _check_options(
    *, scale: object, thousands: object, period: object, value: object, columns: object
) -> None:
    """Refuse a bad scale, thousands separator, column name or column mapping."""
    if not (
        isinstance(scale, int | float)
        and not isinstance(scale, bool)
        and math.isfinite(scale)
        and scale > 0
    ):
        raise DataValidationError(
            f"scale: {scale!r} is not a positive number", field="scale", value=scale
        )
    if thousands is not None and not (isinstance(thousands, str) and thousands):
        raise DataValidationError(
            f"thousands: {thousands!r} is not a separator; give one character such as ','",
            field="thousands",
            value=thousands,
        )
    for arg, given_name in (("period", period), ("value", value)):
        if not isinstance(given_name, str):
            raise DataValidationError(
                f"{arg}: {given_name!r} is not a column name", field=arg, value=given_name
            )
    if columns is not None and not (
        isinstance(columns, Mapping)
        and all(isinstance(k, str) and isinstance(v, str) for k, v in columns.items())
    ):
        raise DataValidationError(
            f"columns: expected a mapping of our field names to the file's column names, e.g. "
            f"{{'value': 'Trade Value (US$)'}}, got {columns!r}",
            field="columns",
            value=columns,
        )


def _read_frame(
    path: str | Path, name: str, *, sep: str, encoding: str, columns: Mapping[str, str] | None
) -> tuple[pd.DataFrame, LineMap]:
    """The file's text columns under our names (``columns``), and its line map."""
    frame = read_table(
        path,
        sep=sep,
        encoding=encoding,
        encoding_hint="pass encoding='latin-1' (or the file's encoding), or save it as UTF-8",
    )
    lines = LineMap(path, sep=sep, encoding=encoding)
    rename = {theirs: ours for ours, theirs in (columns or {}).items()}
    for ours, theirs in (columns or {}).items():
        if theirs not in frame.columns:
            raise DataValidationError(
                f"columns: {ours}={theirs!r} names no column of {name}; columns "
                f"found: {', '.join(map(str, frame.columns))}",
                field="columns",
                value=theirs,
            )
    return frame.rename(columns=rename), lines


def _select(
    frame: pd.DataFrame, given: dict[str, str | None], lines: LineMap, found: str
) -> tuple[pd.DataFrame, pd.DataFrame, np.ndarray]:
    """The key of every row, and the rows the keywords select.

    A keyword for a key column the file has selects its rows; one for a column it lacks
    gives the key of every row. Returns the rows kept, their keys and their data rows
    (0 = the first row after the header).
    """
    rows = np.arange(len(frame))
    keys = pd.DataFrame(index=frame.index)
    for key_name in _KEYS:
        kw = given[key_name]
        if key_name in frame.columns:
            keys[key_name] = _normal_column(frame[key_name], key_name, lines.subset(rows))
            if kw is not None:
                wanted = _normalise_key(key_name, kw)
                selected = keys[key_name] == wanted
                if not selected.any():
                    raise DataValidationError(
                        f"{key_name}: no row has {key_name} {wanted!r}; the file has "
                        f"{', '.join(sorted(set(keys[key_name])))}",
                        field=key_name,
                        value=kw,
                    )
                mask = selected.to_numpy()
                frame, keys, rows = frame[mask], keys[mask], rows[mask]
        elif kw is not None:
            keys[key_name] = _normalise_key(key_name, kw)
        elif key_name == "product":
            keys[key_name] = "TOTAL"
        else:
            raise DataValidationError(
                f"{key_name}: the file has no {key_name!r} column and no {key_name}= was given; "
                f"columns found: {found}",
                field=key_name,
                value=None,
            )
    return frame, keys, rows


def _split(
    frame: pd.DataFrame,
    keys: pd.DataFrame,
    rows: np.ndarray,
    periods: pd.PeriodIndex,
    numbers: np.ndarray,
    lines: LineMap,
    *,
    period: str,
    unit: str | None,
    source: str,
    frequency: Frequency | None,
    gaps: Literal["raise", "keep"],
) -> dict[SeriesKey, TradeSeries]:
    """One TradeSeries per key, its rows in the file's order."""
    # One sort by series (stable: rows keep their order within a series), then contiguous
    # slices: linear in the number of rows, whatever the number of series.
    group = keys.groupby(list(_KEYS), sort=False).ngroup().to_numpy()
    order = np.argsort(group, kind="stable")
    bounds = np.r_[0, np.cumsum(np.bincount(group))]
    ordinals = np.asarray(periods.asi8)[order]
    values = numbers[order]
    where_rows = rows[order]
    key_columns = {k: keys[k].to_numpy(dtype=object)[order] for k in _KEYS}
    text = {
        c: frame[c].to_numpy(dtype=object)[order]
        for c in ("unit", "source", "flags", "note")
        if c in frame.columns
    }
    # every series at once: a period not after the one before it, inside a series
    inside = np.ones(max(len(ordinals) - 1, 0), dtype=bool)
    inside[bounds[1:-1] - 1] = False
    disorder = set(
        np.searchsorted(bounds, np.flatnonzero(inside & (np.diff(ordinals) <= 0)), "right") - 1
    )
    result: dict[SeriesKey, TradeSeries] = {}
    for g in range(len(bounds) - 1):
        lo, hi = int(bounds[g]), int(bounds[g + 1])
        key = cast(SeriesKey, tuple(str(key_columns[k][lo]) for k in _KEYS))
        index = cast(Any, pd.PeriodIndex).from_ordinals(ordinals[lo:hi], freq=periods.freqstr)
        if g in disorder:
            _check_order(index, lines.subset(where_rows[lo:hi]), period)
        cells = {c: column[lo:hi] for c, column in text.items()}
        result[key] = _series(
            key,
            pd.Series(values[lo:hi], index=index),
            cells,
            unit=unit,
            source=source,
            frequency=frequency,
            gaps=gaps,
        )
    return result


def _series(
    key: SeriesKey,
    values: pd.Series,
    cells: dict[str, np.ndarray],
    *,
    unit: str | None,
    source: str,
    frequency: Frequency | None,
    gaps: Literal["raise", "keep"],
) -> TradeSeries:
    """The series of one key from its values and its unit, source, flags and note cells."""
    units = sorted(set(cells["unit"])) if "unit" in cells else [unit or "USD"]
    if "unit" in cells and unit is not None and units != [unit]:
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
    sources = sorted(set(cells["source"])) if "source" in cells else [source]
    index = values.index
    flags = {}
    if "flags" in cells:
        flags = {p: f for p, f in zip(index, cells["flags"], strict=True) if f.strip()}
    notes = {}
    if "note" in cells:
        notes = {p: n for p, n in zip(index, cells["note"], strict=True) if n}
    return TradeSeries(
        values,
        reporter=key[0],
        partner=key[1],
        flow=key[2],
        product=key[3],
        unit=units[0],
        source="; ".join(s for s in sources if s),
        frequency=frequency,
        flags=flags,
        notes=notes,
        gaps=gaps,
    )
