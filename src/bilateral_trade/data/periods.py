"""Frequencies and period parsing (private helpers shared by series, events and io)."""

from __future__ import annotations

import datetime as _dt
import re
from collections.abc import Callable, Iterable, Sequence
from enum import StrEnum
from typing import Any, cast

import numpy as np
import pandas as pd

from .._util.aliases import PeriodLike
from ..errors import DataValidationError

__all__ = [
    "Frequency",
    "check_regular",
    "factorize",
    "format_periods",
    "parse_period",
    "parse_period_column",
    "parse_periods",
    "plain",
    "unhashable",
]


def plain(value: object) -> object:
    """A numpy scalar as the Python value it holds, for messages (``15.4``, not ``np.float64``)."""
    return value.item() if isinstance(value, np.generic) else value


class Frequency(StrEnum):
    """Sampling frequency of a trade series (calendar years, quarters or months).

    The value is the one-letter code used by UN Comtrade's ``freqCode``
    (``"A"``, ``"Q"``, ``"M"``). :meth:`parse` also accepts words
    (``"annual"``, ``"monthly"``) and pandas frequency strings (``"Y"``, ``"Y-DEC"``, ``"ME"``).
    """

    ANNUAL = "A"
    QUARTERLY = "Q"
    MONTHLY = "M"

    @property
    def pandas_freq(self) -> str:
        """The pandas period frequency string (``"Y"``, ``"Q"`` or ``"M"``)."""
        return {"A": "Y", "Q": "Q", "M": "M"}[self.value]

    @property
    def periods_per_year(self) -> int:
        """Number of periods in one calendar year (1, 4 or 12)."""
        return {"A": 1, "Q": 4, "M": 12}[self.value]

    @property
    def label(self) -> str:
        """A lower-case word for messages (``"annual"``, ``"quarterly"``, ``"monthly"``)."""
        return {"A": "annual", "Q": "quarterly", "M": "monthly"}[self.value]

    @classmethod
    def parse(cls, value: Frequency | str) -> Frequency:
        """Return the frequency named by ``value``.

        Raises
        ------
        DataValidationError
            If ``value`` names no supported frequency (e.g. a fiscal year ``"Y-JUN"``).
        """
        if isinstance(value, Frequency):
            return value
        key = str(value).strip().upper()
        aliases = {
            "A": cls.ANNUAL, "Y": cls.ANNUAL, "YE": cls.ANNUAL, "YS": cls.ANNUAL,
            "A-DEC": cls.ANNUAL, "Y-DEC": cls.ANNUAL, "YE-DEC": cls.ANNUAL, "AS-JAN": cls.ANNUAL,
            "YS-JAN": cls.ANNUAL, "ANNUAL": cls.ANNUAL, "YEARLY": cls.ANNUAL,
            "Q": cls.QUARTERLY, "QE": cls.QUARTERLY, "QS": cls.QUARTERLY, "Q-DEC": cls.QUARTERLY,
            "QE-DEC": cls.QUARTERLY, "QS-JAN": cls.QUARTERLY, "QUARTERLY": cls.QUARTERLY,
            "M": cls.MONTHLY, "ME": cls.MONTHLY, "MS": cls.MONTHLY, "MONTHLY": cls.MONTHLY,
        }  # fmt: skip
        if key in aliases:
            return aliases[key]
        raise DataValidationError(
            f"frequency: {value!r} is not a supported frequency; use 'A' (annual, calendar "
            "years), 'Q' (calendar quarters) or 'M' (months)",
            field="frequency",
            value=value,
        )


_ANNUAL = re.compile(r"^(\d{4})$")
_MONTHLY = re.compile(r"^(\d{4})-(\d{1,2})$")
_MONTHLY_COMPACT = re.compile(r"^(\d{4})(\d{2})$")
_QUARTERLY = re.compile(r"^(\d{4})[- ]?[Qq](\d)$")
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def _check_year(year: int, text: object) -> None:
    if not 1000 <= year <= 9999:
        raise ValueError(f"year {year} of {text!r} is out of range")


def _parse_one(value: object, freq: Frequency | None) -> pd.Period:
    """Parse one period; raise ValueError (without context) when impossible."""
    value = plain(value)
    if isinstance(value, pd.Period):
        found = Frequency.parse(value.freqstr)
        if freq is not None and found is not freq:
            raise ValueError(f"{value} is {found.label}, expected {freq.label}")
        return value
    if isinstance(value, bool):
        raise ValueError(f"{value!r} is not a period")
    if isinstance(value, int | np.integer):
        text = str(int(value))
    elif isinstance(value, pd.Timestamp | _dt.date):
        if freq is None:
            raise ValueError(f"the date {value} needs a frequency to name a period")
        return pd.Period(pd.Timestamp(value), freq=freq.pandas_freq)
    elif isinstance(value, str):
        text = value.strip()
    else:
        raise ValueError(f"{value!r} ({type(value).__name__}) is not a period")
    if m := _ANNUAL.match(text):
        _check_year(int(m[1]), value)
        found, period = Frequency.ANNUAL, pd.Period(year=int(m[1]), freq="Y")
    elif (m := _MONTHLY.match(text)) or (m := _MONTHLY_COMPACT.match(text)):
        _check_year(int(m[1]), value)
        if not 1 <= int(m[2]) <= 12:
            raise ValueError(f"month {int(m[2])} of {value!r} is not in 1–12")
        found, period = Frequency.MONTHLY, pd.Period(year=int(m[1]), month=int(m[2]), freq="M")
    elif m := _QUARTERLY.match(text):
        _check_year(int(m[1]), value)
        if not 1 <= int(m[2]) <= 4:
            raise ValueError(f"quarter {int(m[2])} of {value!r} is not in 1–4")
        found, period = Frequency.QUARTERLY, pd.Period(year=int(m[1]), quarter=int(m[2]), freq="Q")
    elif _DATE.match(text):
        if freq is None:
            raise ValueError(f"the date {value!r} needs a frequency to name a period")
        try:
            return pd.Period(pd.Timestamp(text), freq=freq.pandas_freq)
        except (ValueError, OverflowError) as exc:
            raise ValueError(f"{value!r} is not a valid date ({exc})") from None
    else:
        raise ValueError(
            f"{value!r} is not a period; write years as 2019, months as 2019-03 or 201903, "
            "quarters as 2019Q1"
        )
    if freq is not None and found is not freq:
        raise ValueError(f"{value!r} is {found.label}, expected {freq.label}")
    return period


def parse_period(
    value: PeriodLike, freq: Frequency | None = None, *, field: str = "period"
) -> pd.Period:
    """Parse one period-like value, optionally requiring a frequency.

    Raises
    ------
    DataValidationError
        Naming ``field`` and the value.
    """
    try:
        return _parse_one(value, freq)
    except ValueError as exc:
        raise DataValidationError(f"{field}: {exc}", field=field, value=plain(value)) from None


def factorize(values: pd.Series) -> tuple[np.ndarray, list[Any]]:
    """Codes (-1 for a null cell) and the distinct values as Python objects.

    A categorical column is read from its codes (only the categories in use are kept);
    anything else is hashed once. Raises TypeError for unhashable cells.
    """
    if isinstance(values.dtype, pd.CategoricalDtype):
        codes = np.asarray(values.cat.codes)  # int8/int16/…: no copy of a long column
        index = values.cat.categories
        categories = index.tolist()
        null = bool(codes.size) and int(codes.min()) < 0
        counts = np.bincount(codes[codes >= 0] if null else codes, minlength=len(categories))
        used = counts[: len(categories)] > 0
        if not used.all():
            remap = np.cumsum(used) - 1
            codes = np.where(codes >= 0, remap[codes], -1)
            categories = [c for c, u in zip(categories, used, strict=True) if u]
        return codes, _python(categories, index.dtype)
    found, uniques = pd.factorize(values, use_na_sentinel=True)
    return np.asarray(found), _python(uniques.tolist(), uniques.dtype)


def _python(items: list[Any], dtype: object) -> list[Any]:
    """Python values (``tolist`` leaves numpy scalars stored in an object array as they are)."""
    return [plain(v) for v in items] if getattr(dtype, "kind", "O") == "O" else items


def unhashable(values: pd.Series) -> int:
    """Position of the first cell that cannot be hashed (a list in a column of labels)."""
    for pos, item in enumerate(values.tolist()):
        try:
            hash(item)
        except TypeError:
            return pos
    return 0


def parse_periods(
    values: Iterable[object],
    freq: Frequency | None = None,
    *,
    field: str = "period",
    rows: Sequence[int] | None = None,
    row_label: str = "row",
    locate: Callable[[int], str] | None = None,
) -> pd.PeriodIndex:
    """Parse a sequence of period-like values into a :class:`pandas.PeriodIndex`.

    All values must share one frequency. Errors say where the value is: ``locate(pos)``
    gives the words for the 0-based position ``pos`` (e.g. ``"line 7"``); without it,
    ``rows`` gives the row number of each value (default: 1-based position), after
    ``row_label``. Locations are computed only when an error is raised.

    Raises
    ------
    DataValidationError
        For an unparseable value (naming its row) or mixed frequencies.
    """

    def where(pos: int) -> str:
        if locate is not None:
            return locate(pos)
        return f"{row_label} {rows[pos] if rows is not None else pos + 1}"

    items = [plain(v) for v in values]
    parsed: list[pd.Period] = []
    first: tuple[pd.Period, object, int] | None = None
    for pos, item in enumerate(items):
        try:
            period = _parse_one(item, freq)
        except ValueError as exc:
            raise DataValidationError(
                f"{field}: cannot parse {item!r} at {where(pos)}: {exc}",
                field=field,
                value=item,
            ) from None
        if first is None:
            first = (period, item, pos)
        elif period.freqstr != first[0].freqstr:
            f0 = Frequency.parse(first[0].freqstr).label
            f1 = Frequency.parse(period.freqstr).label
            raise DataValidationError(
                f"{field}: mixed frequencies: {first[1]!r} ({f0}) at {where(first[2])} "
                f"and {item!r} ({f1}) at {where(pos)}; a series has one frequency",
                field=field,
                value=item,
            )
        parsed.append(period)
    if not parsed:
        pandas_freq = freq.pandas_freq if freq is not None else "Y"
        return pd.PeriodIndex([], freq=pandas_freq)
    return pd.PeriodIndex(parsed)


def parse_period_column(
    values: pd.Series,
    freq: Frequency | None = None,
    *,
    field: str = "period",
    locate: Callable[[int], str] | None = None,
) -> pd.PeriodIndex:
    """Parse a column of period labels, each distinct label once (fast for long tables).

    A null cell (None, NaN, NaT) is refused, never given a period. ``locate(pos)`` gives
    the words for the 0-based row ``pos`` in errors (default ``"row {pos + 1}"``); an
    error names the first row that holds the offending label.

    Raises
    ------
    DataValidationError
        A null or unparseable period, or mixed frequencies, naming the row.
    """
    where = locate if locate is not None else (lambda pos: f"row {pos + 1}")
    if isinstance(values.dtype, pd.PeriodDtype):
        index = pd.PeriodIndex(values)
        null = np.asarray(index.isna())
        found = Frequency.parse(index.freqstr)
        if freq is not None and found is not freq:
            raise DataValidationError(
                f"{field}: the periods are {found.label}, expected {freq.label}",
                field=field,
                value=found.value,
            )
    else:
        try:
            codes, uniques = factorize(values)
        except TypeError:  # unhashable cells (lists, dicts)
            pos = unhashable(values)
            raise DataValidationError(
                f"{field}: {values.iloc[pos]!r} at {where(pos)} is not a period",
                field=field,
                value=values.iloc[pos],
            ) from None
        null = codes < 0
    if null.any():
        pos = int(np.argmax(null))
        raise DataValidationError(
            f"{field}: the period at {where(pos)} is empty (null); every row needs a period",
            field=field,
            value=None,
        )
    if isinstance(values.dtype, pd.PeriodDtype):
        return index
    parsed = parse_periods(
        uniques,
        freq,
        field=field,
        locate=lambda k: where(int(np.argmax(codes == k))),
    )
    ordinals = np.asarray(parsed.asi8)[codes]
    return cast(Any, pd.PeriodIndex).from_ordinals(ordinals, freq=parsed.freqstr)  # type: ignore[no-any-return]


def format_periods(periods: Iterable[pd.Period], limit: int = 8) -> str:
    """Join periods for a message, eliding the middle of long lists."""
    items = [str(p) for p in periods]
    if len(items) > limit:
        items = [*items[: limit - 2], f"… ({len(items) - limit + 1} more)", items[-1]]
    return ", ".join(items)


def check_regular(index: pd.PeriodIndex, *, field: str = "index", gaps_hint: str = "") -> None:
    """Refuse duplicate, unsorted or gapped period indexes with a clear error.

    Raises
    ------
    DataValidationError
        Naming the duplicate periods, the first out-of-order pair, or the missing periods.
    """
    if len(index) == 0:
        return
    if index.has_duplicates:
        dups = index[index.duplicated()].unique()
        raise DataValidationError(
            f"{field}: duplicate periods {format_periods(dups)}; each period must appear once "
            "(aggregate or de-duplicate the data first)",
            field=field,
            value=[str(p) for p in dups],
        )
    ordinals = index.asi8
    steps = np.diff(ordinals)
    if (steps < 0).any():
        pos = int(np.argmax(steps < 0))
        raise DataValidationError(
            f"{field}: periods are not sorted: {index[pos]} comes before {index[pos + 1]} "
            f"(positions {pos} and {pos + 1}); sort the data by period first",
            field=field,
            value=str(index[pos + 1]),
        )
    if (steps > 1).any():
        full = pd.period_range(index[0], index[-1], freq=index.freq)
        missing = full.difference(index)
        raise DataValidationError(
            f"{field}: the index is not regular: periods {format_periods(missing)} are absent. "
            + (gaps_hint or "Insert them as missing values if they are gaps."),
            field=field,
            value=[str(p) for p in missing],
        )
