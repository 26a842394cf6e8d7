"""TradePanel: many trade series in one long table.

Columns: ``reporter, partner, flow, product, period, value`` and optionally ``quantity,
quantity_unit, net_weight, flags, source``. A panel is validated when it is built (the
same checks and error types as :class:`~bilateral_trade.TradeSeries`: ISO codes, flows,
HS codes, one frequency, finite non-negative values, one row per key and period) and is
immutable. Its rows are a set of observations: :meth:`TradePanel.series` orders a
series' periods, nothing else is reordered.
"""

from __future__ import annotations

import itertools
import json
import math
import numbers
import re
import warnings
from collections.abc import Callable, Iterable, Mapping
from functools import partial
from pathlib import Path
from typing import Any, Literal

import numpy as np
import pandas as pd

from .._util.checks import check_int, check_text
from .._util.compat import renamed_keyword
from ..errors import DataValidationError, InsufficientDataError
from . import hs
from .countries import check_country, check_currency
from .periods import Frequency, factorize, parse_period_column, plain, unhashable
from .series import MISSING, Flow, TradeSeries, _split_flags, check_product

__all__ = ["KEYS", "TradePanel"]

#: The key columns of a panel, in order.
KEYS = ("reporter", "partner", "flow", "product")
_OPTIONAL = ("quantity", "quantity_unit", "net_weight", "flags", "source")
_NUMERIC = ("value", "quantity", "net_weight")


#: Says where a row is, from its 0-based position: ``"row 5"`` (a frame) or ``"line 7"`` (a file).
Locate = Callable[[int], str]

_TEXT = ("quantity_unit", "flags", "source")
_NUMBER = re.compile(
    r"^\s*[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?\s*$|^\s*[+-]?inf(inity)?\s*$", re.I
)


def frame_rows(pos: int) -> str:
    """Where a row of a DataFrame is: ``"row 1"`` is the first row, whatever the index."""
    return f"row {pos + 1}"


def located(exc: DataValidationError, where: str) -> DataValidationError:
    """The same error with its location: ``"reporter at line 7: 'XXX' is not ..."``."""
    text = str(exc)
    prefix = f"{exc.field}: " if exc.field else ""
    if prefix and text.startswith(prefix):
        text = f"{exc.field} at {where}: {text[len(prefix) :]}"
    else:
        text = f"{where}: {text}"
    return DataValidationError(text, field=exc.field, value=exc.value)


def _distinct(column: pd.Series, field: str, where: Locate) -> tuple[np.ndarray, list[Any]]:
    """Codes (-1 for null) and distinct values in order of appearance, as Python values."""
    try:
        return factorize(column)
    except TypeError:  # unhashable cells (lists, dicts)
        pos = unhashable(column)
        raise DataValidationError(
            f"{field} at {where(pos)}: {column.iloc[pos]!r} is not a valid {field}",
            field=field,
            value=column.iloc[pos],
        ) from None


def _normalise(
    frame: pd.DataFrame, column: str, fn: Any, where: Locate
) -> tuple[pd.Series, np.ndarray, list[str]]:
    """Apply a validating function to the distinct values of a key column.

    Returns the normalised column as a categorical (its categories: the values in use,
    sorted), the codes of the distinct input values and the normalised value of each.
    """
    col = frame[column]
    codes, uniques = _distinct(col, column, where)
    if (codes < 0).any():
        pos = int(np.argmax(codes < 0))
        raise DataValidationError(
            f"{column} at {where(pos)}: the cell is empty (null); every row needs a {column}",
            field=column,
            value=None,
        )
    normal = []
    for k, value in enumerate(uniques):
        try:
            normal.append(fn(value, column))
        except DataValidationError as exc:
            raise located(exc, where(int(np.argmax(codes == k)))) from None
    if (
        isinstance(col.dtype, pd.CategoricalDtype)
        and col.cat.categories.dtype == object
        and len(normal) == len(col.cat.categories)
        and normal == uniques
        and all(a < b for a, b in itertools.pairwise(normal))
    ):
        return col, codes, normal  # already canonical: the codes in use, sorted
    return pd.Series(categorical(codes, normal), index=col.index), codes, normal


def categorical(codes: np.ndarray, values: list[str]) -> Any:
    """A canonical categorical: ``values[codes]`` with the distinct values, sorted, as categories.

    Panels store their keys this way (a few bytes a row, and two panels with the same rows
    have the same dtypes, whatever their sources).
    """
    categories = np.asarray(sorted(set(values)), dtype=object)
    position = np.searchsorted(categories, np.asarray(values, dtype=object))
    small = np.int8 if len(categories) < 128 else np.int16 if len(categories) < 32768 else np.int32
    return pd.Categorical.from_codes(
        position.astype(small)[codes], dtype=pd.CategoricalDtype(pd.Index(categories, dtype=object))
    )


def _number(item: object, field: str, where: Callable[[], str]) -> float:
    """One cell as a float: a number or numeric text; NaN for an empty cell."""
    item = plain(item)
    if item is None or item is pd.NA or item is pd.NaT:
        return math.nan
    if isinstance(item, bool | np.bool_):
        raise DataValidationError(
            f"{field} at {where()}: {item!r} is a boolean, not a number",
            field=field,
            value=item,
        )
    if isinstance(item, numbers.Real):
        return float(item)
    if isinstance(item, numbers.Complex):
        raise DataValidationError(
            f"{field} at {where()}: {item!r} is a complex number; give real numbers "
            "(the imaginary part is never dropped silently)",
            field=field,
            value=str(item),
        )
    if isinstance(item, str):
        if not item.strip():
            return math.nan
        if _NUMBER.match(item):
            return float(item)
    raise DataValidationError(
        f"{field} at {where()}: {item!r} is not a number", field=field, value=item
    )


def numbers_of(column: pd.Series, field: str, where: Locate = frame_rows) -> np.ndarray:
    """A column as float64 (NaN for empty cells), refusing booleans, complex numbers and text.

    Numeric dtypes are converted at once; text and mixed columns are checked value by
    value only when the fast conversion fails. Errors name the first offending row.

    Raises
    ------
    DataValidationError
        Naming the field, the row and the value.
    """
    dtype = column.dtype
    if pd.api.types.is_bool_dtype(dtype):
        raise DataValidationError(
            f"{field}: the column holds booleans (True/False), not numbers",
            field=field,
            value=str(dtype),
        )
    if pd.api.types.is_complex_dtype(dtype):
        raise DataValidationError(
            f"{field}: the column holds complex numbers; give real numbers (the imaginary part "
            "is never dropped silently)",
            field=field,
            value=str(dtype),
        )
    if isinstance(dtype, np.dtype) and dtype.kind in "fiu":
        return column.to_numpy(dtype=np.float64)
    if pd.api.types.is_numeric_dtype(dtype) and not isinstance(dtype, pd.CategoricalDtype):
        return column.to_numpy(dtype=np.float64, na_value=np.nan)
    if isinstance(dtype, pd.CategoricalDtype):
        column = column.astype(object)
    kind = pd.api.types.infer_dtype(column, skipna=True)
    if kind in ("string", "empty", "integer", "floating", "mixed-integer-float", "decimal"):
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore", RuntimeWarning)
                return np.asarray(pd.to_numeric(column, errors="raise"), dtype=np.float64)
        except (TypeError, ValueError, OverflowError):
            pass
    # True == 1.0 and 3+0j == 3.0 when hashed: find them before counting distinct values
    for pos, item in enumerate(column.tolist()):
        if isinstance(item, bool | np.bool_ | complex | np.complexfloating):
            _number(item, field, partial(where, pos))
    codes, uniques = _distinct(column, field, where)
    out = np.empty(len(uniques) + 1, dtype=np.float64)
    out[-1] = math.nan  # code -1: a null cell
    for k, item in enumerate(uniques):
        out[k] = _number(item, field, partial(_first_of, codes, k, where))
    result: np.ndarray = out[codes]
    return result


def _first_of(codes: np.ndarray, k: int, where: Locate) -> str:
    """Where the first row with code ``k`` is."""
    return where(int(np.argmax(codes == k)))


def _texts(column: pd.Series, field: str, where: Locate) -> pd.Series:
    """A text column with None for null and empty cells (object dtype)."""
    if isinstance(column.dtype, pd.CategoricalDtype):
        codes, uniques = factorize(column)  # per distinct value, not per row
        for k, item in enumerate(uniques):
            if not isinstance(item, str):
                raise DataValidationError(
                    f"{field} at {where(int(np.argmax(codes == k)))}: {plain(item)!r} is not text",
                    field=field,
                    value=plain(item),
                )
        table = np.asarray([u if u != "" else None for u in uniques] + [None], dtype=object)
        return pd.Series(table[codes], index=column.index, dtype=object)
    kind = pd.api.types.infer_dtype(column, skipna=True)
    if kind not in ("string", "empty"):
        for pos, item in enumerate(column.tolist()):
            if not (isinstance(item, str) or (pd.api.types.is_scalar(item) and pd.isna(item))):
                raise DataValidationError(
                    f"{field} at {where(pos)}: {plain(item)!r} is not text",
                    field=field,
                    value=plain(item),
                )
    values = column.to_numpy(dtype=object, copy=True)
    blank = np.asarray(column.isna()) | np.asarray(column == "", dtype=bool)
    values[blank] = None
    return pd.Series(values, index=column.index, dtype=object)


def _check_flags(column: pd.Series, where: Locate) -> None:
    """Every flag is a flag word; ``missing`` is refused (a panel holds no missing values)."""
    codes, uniques = _distinct(column, "flags", where)
    for k, text in enumerate(uniques):
        try:
            flags = _split_flags(text, "?")
            if MISSING in flags:
                raise DataValidationError(
                    "flags: 'missing' flags a missing value, but a panel holds none (NaN "
                    "values are refused); drop the row instead",
                    field="flags",
                    value=MISSING,
                )
        except DataValidationError as exc:
            at = where(int(np.argmax(codes == k)))
            head, _, tail = str(exc).rpartition(" at ?")  # the placeholder, not the flag
            text = head + tail if head else tail
            raise located(DataValidationError(text, field=exc.field, value=exc.value), at) from None


def _key_text(data: pd.DataFrame, pos: int) -> str:
    row = data.iloc[pos]
    return f"{row['reporter']}→{row['partner']} {row['flow']} {row['product']} {row['period']}"


def _validated(frame: object, where: Locate) -> tuple[pd.DataFrame, Frequency]:
    """Check and normalise a panel frame; return the rows and the frequency."""
    frame = _checked_columns(frame)
    data = frame[[c for c in (*KEYS, "period", "value", *_OPTIONAL) if c in frame.columns]]
    # a new frame: columns are replaced below, never written into (the caller's frame and
    # its arrays stay as they are)
    data = data.reset_index(drop=True)
    data["reporter"], rep_codes, rep_names = _normalise(data, "reporter", check_country, where)
    data["partner"], par_codes, par_names = _normalise(data, "partner", check_country, where)
    data["flow"] = _normalise(data, "flow", lambda v, _c: Flow.parse(v).value, where)[0]
    data["product"] = _normalise(data, "product", check_product, where)[0]
    periods = parse_period_column(data["period"], None, field="period", locate=where)
    data["period"] = periods
    freq = Frequency.parse(periods.freqstr)
    for col in _NUMERIC:
        if col in data.columns:
            data[col] = numbers_of(data[col], col, where)
    _check_amounts(data, where)
    for col in _TEXT:
        if col in data.columns:
            data[col] = _texts(data[col], col, where)
    if "flags" in data.columns:
        _check_flags(data["flags"], where)
    _check_two_countries(data, (rep_codes, rep_names), (par_codes, par_names), where)
    _check_unique(data, where)
    return data, freq


def _checked_columns(frame: object) -> pd.DataFrame:
    """Refuse a non-frame, a column named twice, a missing column and an empty frame."""
    if not isinstance(frame, pd.DataFrame):
        raise DataValidationError(
            f"frame: expected a pandas DataFrame, got {type(frame).__name__}",
            field="frame",
            value=type(frame).__name__,
        )
    names = [c for c in (*KEYS, "period", "value", *_OPTIONAL, "unit") if c in frame.columns]
    doubled = [c for c in names if int((frame.columns == c).sum()) > 1]
    if doubled:
        raise DataValidationError(
            f"{doubled[0]}: the frame has {int((frame.columns == doubled[0]).sum())} columns "
            f"named {doubled[0]!r}; keep one (which one is meant cannot be guessed)",
            field=doubled[0],
            value=doubled[0],
        )
    missing = [c for c in (*KEYS, "period", "value") if c not in frame.columns]
    if missing:
        raise DataValidationError(
            f"{missing[0]}: column(s) {', '.join(missing)} missing from the panel; columns "
            f"found: {', '.join(map(str, frame.columns))}",
            field=missing[0],
            value=None,
        )
    if len(frame) == 0:
        raise InsufficientDataError("frame: the panel is empty")
    return frame


def _check_amounts(data: pd.DataFrame, where: Locate) -> None:
    """Values finite and non-negative; quantities and weights, when given, too."""
    values = data["value"].to_numpy()
    bad = ~np.isfinite(values) | (values < 0)
    if bad.any():
        row = int(np.argmax(bad))
        raise DataValidationError(
            f"value at {where(row)}: {float(values[row])!r} ({_key_text(data, row)}) is not a "
            f"finite non-negative trade value ({int(bad.sum())} such rows); drop or fix them "
            "first (a missing value is declared in a TradeSeries, not a panel)",
            field="value",
            value=float(values[row]),
        )
    for col in ("quantity", "net_weight"):
        if col in data.columns:
            amounts = data[col].to_numpy()
            bad = np.isinf(amounts) | (amounts < 0)
            if bad.any():
                row = int(np.argmax(bad))
                raise DataValidationError(
                    f"{col} at {where(row)}: {float(amounts[row])!r} ({_key_text(data, row)}) is "
                    "not a finite non-negative amount (leave the cell empty when unknown)",
                    field=col,
                    value=float(amounts[row]),
                )


def _check_two_countries(
    data: pd.DataFrame,
    reporters: tuple[np.ndarray, list[str]],
    partners: tuple[np.ndarray, list[str]],
    where: Locate,
) -> None:
    """Refuse a row whose reporter and partner are one country (codes and names of each)."""
    rep_codes, rep_names = reporters
    par_codes, par_names = partners
    same = np.zeros(1, dtype=bool)
    if not set(rep_names).isdisjoint(par_names):  # else no row can name one country twice
        ids = {name: i for i, name in enumerate(dict.fromkeys([*rep_names, *par_names]))}
        same = (
            np.asarray([ids[n] for n in rep_names], dtype=np.int32)[rep_codes]
            == np.asarray([ids[n] for n in par_names], dtype=np.int32)[par_codes]
        )
    if same.any():
        row = int(np.argmax(same))
        raise DataValidationError(
            f"partner at {where(row)}: reporter and partner are both "
            f"{data['reporter'].iloc[row]!r}; a bilateral series needs two different countries "
            f"({int(same.sum())} such rows; drop them first)",
            field="partner",
            value=str(data["partner"].iloc[row]),
        )


def _check_unique(data: pd.DataFrame, where: Locate) -> None:
    """Refuse two rows with the same key and period, naming their lines."""
    row_keys = _row_keys(data)
    ordered = np.sort(row_keys)
    if (ordered[1:] == ordered[:-1]).any():
        keys = pd.Series(row_keys)
        later = keys.duplicated(keep="first").to_numpy()
        second = int(np.argmax(later))
        first = int(np.argmax(keys.to_numpy() == keys.iloc[second]))
        count = int(keys.duplicated(keep=False).sum())
        raise DataValidationError(
            f"period: {count} rows share a key and period, e.g. {where(first)} and "
            f"{where(second)} ({_key_text(data, second)}); each series has one value per "
            "period (aggregate first)",
            field="period",
            value=str(data["period"].iloc[second]),
        )


def _row_keys(data: pd.DataFrame) -> np.ndarray:
    """One integer per row, equal for two rows exactly when their keys and periods are equal.

    Built from the codes of the categorical keys and the period ordinals in one linear pass
    (mixed-radix, re-compressed to dense codes whenever the next column would overflow).
    """
    ordinals = np.asarray(data["period"].array.asi8, dtype=np.int64)
    columns = [(np.asarray(data[c].cat.codes), len(data[c].cat.categories)) for c in KEYS]
    low = int(ordinals.min())
    columns.append((ordinals - low, int(ordinals.max()) - low + 1))
    total = 1
    for _, size in columns:
        total *= size
    if total < 1 << 31:  # half the memory traffic, and a faster sort
        key32 = np.zeros(len(data), dtype=np.int32)
        for codes, size in columns:
            key32 = key32 * np.int32(size) + codes.astype(np.int32)
        return key32
    key = np.zeros(len(data), dtype=np.int64)
    space = 1
    for codes, size in columns:
        if space * size >= 1 << 62:
            dense, uniques = pd.factorize(key)
            key, space = np.asarray(dense, dtype=np.int64), len(uniques)
        key = key * size + codes
        space *= size
    return key


#: Readers of file formats that live in the io layer, registered by it on import (so that
#: :meth:`TradePanel.read_parquet` works without the data model importing io).
_READERS: dict[str, Callable[..., Any]] = {}


def register_reader(kind: str, reader: Callable[..., Any]) -> None:
    """Register the io layer's reader of ``kind`` (e.g. ``"parquet"``) for the panel's methods."""
    _READERS[kind] = reader


class TradePanel:
    """An immutable long table of trade series with one frequency and one unit.

    Parameters
    ----------
    frame : pandas.DataFrame
        Columns ``reporter, partner, flow, product, period, value`` (and optional
        ``quantity, quantity_unit, net_weight, flags, source``). Periods may be
        :class:`pandas.Period` values or labels (``2019``, ``"2019-03"``, ``"201903"``).
    unit : str, default "USD"
        ISO 4217 currency of ``value``.
    source : str, default ""
        Where the data come from (a file name, a database and its vintage).
    published : str, optional
        Publication or download date of the source, when known.
    hs_revision : str, optional
        The HS revision the product codes are written in (``"HS2017"``; also ``"HS17"``,
        ``"H5"``, ``2017``: see :func:`bilateral_trade.hs.revision`), stored by its canonical
        name. None (the default) when unknown: functions that interpret product codes
        across revisions then say so.

    Raises
    ------
    DataValidationError
        A missing or doubled column (naming the columns found), an empty (null) key or
        period, an unknown country, flow or HS code, mixed frequencies, a value that is NaN,
        negative, infinite, boolean, complex or not a number, a negative or infinite
        quantity or net weight, a bad flag, a reporter that is its own partner, or two
        rows for one key and period. Errors name the row: ``row 1`` is the first row of the
        frame, whatever its index (the file readers name the line of the file instead).
    InsufficientDataError
        An empty panel.

    Notes
    -----
    Text columns (``quantity_unit``, ``flags``, ``source``) hold text or None: an empty
    cell, ``""``, None and NaN are all stored as None, so a panel written to CSV reads back
    equal. ``quantity`` and ``net_weight`` may be empty (NaN, unknown); ``value`` may not.
    The key columns are stored as categoricals whose categories are the codes in use,
    sorted: a few bytes a row, and two panels with the same rows are equal whatever the
    dtypes of the frames they were built from.
    """

    __slots__ = ("_frame", "_frequency", "_hs_revision", "_published", "_source", "_unit")

    _frame: pd.DataFrame
    _frequency: Frequency
    _unit: str
    _source: str
    _published: str | None
    _hs_revision: str | None

    def __init__(
        self,
        frame: pd.DataFrame,
        *,
        unit: str = "USD",
        source: str = "",
        published: str | None = None,
        hs_revision: str | int | None = None,
    ) -> None:
        self._setup(
            frame,
            unit=unit,
            source=source,
            published=published,
            where=frame_rows,
            hs_revision=hs_revision,
        )

    @classmethod
    def _located(
        cls,
        frame: pd.DataFrame,
        where: Locate,
        *,
        unit: str = "USD",
        source: str = "",
        published: str | None = None,
        hs_revision: str | int | None = None,
    ) -> TradePanel:
        """Build a panel whose errors name rows with ``where`` (lines of a file, say)."""
        panel = cls.__new__(cls)
        panel._setup(
            frame,
            unit=unit,
            source=source,
            published=published,
            where=where,
            hs_revision=hs_revision,
        )
        return panel

    def _setup(
        self,
        frame: pd.DataFrame,
        *,
        unit: str,
        source: str,
        published: str | None,
        where: Locate,
        hs_revision: str | int | None = None,
    ) -> None:
        check_text(source, "source")
        revision = None if hs_revision is None else hs.revision(hs_revision, "hs_revision")
        check_text(published, "published", optional=True, hint="give a date such as '2026-11-01'")
        currency = check_currency(unit, "unit")
        data, freq = _validated(frame, where)
        if "unit" in frame.columns:
            units = sorted({str(plain(u)) for u in pd.unique(frame["unit"].astype(object))})
            if units != [currency]:
                raise DataValidationError(
                    f"unit: the frame's unit column holds {', '.join(units)} but the panel's unit "
                    f"is {unit!r}; a panel has one unit (convert first)",
                    field="unit",
                    value=units,
                )
        set_ = object.__setattr__
        set_(self, "_frame", data)
        set_(self, "_frequency", freq)
        set_(self, "_unit", currency)
        set_(self, "_source", source)
        set_(self, "_published", published)
        set_(self, "_hs_revision", revision)

    def __setattr__(self, name: str, value: object) -> None:
        raise AttributeError(f"TradePanel is immutable; cannot set {name!r}")

    # ------------------------------------------------------------------ basics
    @property
    def frequency(self) -> Frequency:
        """The one sampling frequency of the panel."""
        return self._frequency

    @property
    def unit(self) -> str:
        """ISO 4217 currency of the values."""
        return self._unit

    @property
    def source(self) -> str:
        """Where the data come from."""
        return self._source

    @property
    def published(self) -> str | None:
        """Publication or download date of the source, when known."""
        return self._published

    @property
    def hs_revision(self) -> str | None:
        """The HS revision of the product codes (``"HS2017"``), or None when unknown."""
        return self._hs_revision

    def __len__(self) -> int:
        """Number of rows (observations)."""
        return len(self._frame)

    def __repr__(self) -> str:
        return (
            f"TradePanel({len(self)} rows, {len(self.keys())} series, {self._frequency.label} "
            f"{self._frame['period'].min()}–{self._frame['period'].max()}, {self._unit}"
            + (f", {self._hs_revision}" if self._hs_revision else "")
            + (f", source={self._source[:50]!r}" if self._source else "")
            + ")"
        )

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, TradePanel):
            return NotImplemented
        return (
            self._unit == other._unit
            and self._source == other._source
            and self._published == other._published
            and self._hs_revision == other._hs_revision
            and self._frame.equals(other._frame)
        )

    __hash__ = None  # type: ignore[assignment]

    def keys(self) -> list[tuple[str, str, str, str]]:
        """The distinct (reporter, partner, flow, product) keys, in order of first appearance."""
        unique = self._frame[list(KEYS)].drop_duplicates()
        return [tuple(str(v) for v in row) for row in unique.itertuples(index=False)]  # type: ignore[misc]

    def to_frame(self) -> pd.DataFrame:
        """The rows as a DataFrame (a copy)."""
        return self._frame.copy()

    @classmethod
    def from_frame(cls, frame: pd.DataFrame, **kwargs: Any) -> TradePanel:
        """Build a panel from a DataFrame (see the constructor for the keywords)."""
        return cls(frame, **kwargs)

    # --------------------------------------------------------------- selection
    def _mask(self, filters: Mapping[str, Any]) -> np.ndarray:
        mask = np.ones(len(self._frame), dtype=bool)
        checks: dict[str, Callable[[Any, str], str]] = {
            "reporter": check_country,
            "partner": check_country,
            "flow": lambda v, _c: Flow.parse(v).value,
            "product": check_product,
        }
        for name, wanted in filters.items():
            if wanted is None:
                continue
            if name not in checks:
                raise DataValidationError(
                    f"{name}: panels are selected by {', '.join(KEYS)}", field=name, value=wanted
                )
            items = [wanted] if isinstance(wanted, str | Flow) else list(wanted)
            normal = {checks[name](w, name) for w in items}
            mask &= self._frame[name].isin(normal).to_numpy()
        return mask

    def select(self, **filters: str | Iterable[str] | None) -> TradePanel:
        """The rows whose keys match: ``panel.select(partner="PRK", flow=["exports", "imports"])``.

        Raises
        ------
        InsufficientDataError
            If nothing matches.
        """
        mask = self._mask(filters)
        if not mask.any():
            raise InsufficientDataError(f"select: no row matches {filters}")
        return self._derived(self._frame[mask])

    def series(
        self,
        *,
        reporter: str | None = None,
        partner: str | None = None,
        flow: Flow | str | None = None,
        product: str | None = None,
        gaps: Literal["raise", "keep"] = "raise",
    ) -> TradeSeries:
        """One series of the panel as a :class:`TradeSeries` (keys that are unique may be omitted).

        Raises
        ------
        DataValidationError
            If the selection matches no series or several (listing them), or the series has
            gaps and ``gaps="raise"``.
        """
        filters = {"reporter": reporter, "partner": partner, "flow": flow, "product": product}
        rows = self._frame[self._mask(filters)]
        found = rows[list(KEYS)].drop_duplicates()
        if len(found) != 1:
            listed = "; ".join("/".join(map(str, r)) for r in found.head(8).itertuples(index=False))
            raise DataValidationError(
                f"series: the selection {filters} matches {len(found)} series"
                + (f" ({listed})" if listed else "")
                + "; give more keys",
                field="series",
                value=len(found),
            )
        rows = rows.sort_values("period")
        key = found.iloc[0]
        flags = {}
        if "flags" in rows.columns:
            flags = {
                p: f
                for p, f in zip(rows["period"], rows["flags"], strict=True)
                if isinstance(f, str) and f
            }
        return TradeSeries(
            pd.Series(rows["value"].to_numpy(), index=pd.PeriodIndex(rows["period"])),
            reporter=str(key["reporter"]),
            partner=str(key["partner"]),
            flow=str(key["flow"]),
            product=str(key["product"]),
            unit=self._unit,
            source=self._source,
            flags=flags,
            gaps=gaps,
        )

    # ------------------------------------------------------------------ roll-up
    @renamed_keyword("level", "digits")
    def rollup(self, digits: Literal[2, 4]) -> TradePanel:
        """Sum HS6 (or HS4) lines to chapters (``digits=2``) or headings (``digits=4``).

        ``digits`` was called ``level`` (still accepted, with a ``FutureWarning``: ``level``
        is only ever a confidence level).

        Values and net weights are summed; quantities are not (their units differ across
        lines) and are left out of the result, as are flags.

        Raises
        ------
        DataValidationError
            ``digits`` not 2 or 4, ``TOTAL`` rows, or HS codes of different lengths.
        """
        check_int(digits, "digits", allowed=(2, 4), hint="HS chapters or headings")
        products = self._frame["product"]
        if (products == "TOTAL").any():
            raise DataValidationError(
                "product: the panel holds TOTAL rows; select HS lines before rolling up",
                field="product",
                value="TOTAL",
            )
        lengths = sorted(set(products.str.len()))
        if len(lengths) > 1 or lengths[0] <= digits:
            raise DataValidationError(
                f"product: HS codes of lengths {', '.join(map(str, lengths))} cannot be rolled up "
                f"to {digits} digits together; give lines of one length above {digits}",
                field="product",
                value=lengths,
            )
        frame = self._frame.assign(product=products.str[:digits])
        sums = {"value": "sum"}
        if "net_weight" in frame.columns:
            sums["net_weight"] = "sum"
        grouped = frame.groupby([*KEYS, "period"], sort=False, as_index=False).agg(sums)
        return self._derived(grouped)

    def _derived(self, frame: pd.DataFrame) -> TradePanel:
        """A panel of other rows with this panel's unit, source, date and HS revision."""
        return TradePanel(
            frame,
            unit=self._unit,
            source=self._source,
            published=self._published,
            hs_revision=self._hs_revision,
        )

    # ------------------------------------------------------------------ files
    def _meta(self) -> dict[str, Any]:
        return {
            "format": "bilateral_trade.TradePanel",
            "unit": self._unit,
            "frequency": self._frequency.value,
            "source": self._source,
            "published": self._published,
            "hs_revision": self._hs_revision,
        }

    def to_csv(self, path: str | Path) -> None:
        """Write the rows to CSV with a first comment line holding unit, source and date.

        Lines end with CRLF (as RFC 4180 has it), so a text field holding a line break
        or a carriage return is quoted and reads back unchanged; None is an empty cell.
        """
        frame = self._frame.assign(period=self._frame["period"].astype(str))
        with Path(path).open("w", encoding="utf-8", newline="") as fh:
            fh.write("# " + json.dumps(self._meta(), ensure_ascii=False) + "\r\n")
            frame.to_csv(fh, index=False, lineterminator="\r\n")

    @classmethod
    def read_csv(cls, path: str | Path) -> TradePanel:
        """Read a panel written by :meth:`to_csv` (exactly the same panel).

        A first line ``# {...}`` holds the unit, source and publication date as JSON; a file
        without it is read as USD with the file name as source. Errors name the line of
        the file (line 1 is the comment line, when there is one).

        Raises
        ------
        DataValidationError
            A file that is not a panel: empty, not UTF-8, malformed rows (a row with fewer
            or more fields than the header, naming its line), a bad comment line, or any
            check of the constructor (naming the line).
        InsufficientDataError
            A header without data rows.
        OSError
            A missing or unreadable file (FileNotFoundError, PermissionError).
        """
        from .._util.files import LineMap, first_line, parse_meta, read_table

        name = Path(path).name
        head = first_line(path)
        meta: dict[str, Any] = {}
        skip = 0
        if head.startswith("# {"):
            meta = parse_meta(head[2:], name, "comment line")
            skip = 1
        text = dict.fromkeys((*KEYS, "period", "quantity_unit", "flags", "source"), str)
        frame = read_table(
            path,
            skiprows=skip,
            dtype=text,
            na_values={"quantity": [""], "net_weight": [""]},
        )
        return cls._located(
            frame,
            LineMap(path, skip=skip),
            unit=meta.get("unit", "USD"),
            source=meta.get("source", name),
            published=meta.get("published"),
            hs_revision=meta.get("hs_revision"),
        )

    def to_parquet(self, path: str | Path) -> None:
        """Write the rows to Parquet (pyarrow), with unit, frequency and source as metadata."""
        import pyarrow as pa
        import pyarrow.parquet as pq

        frame = self._frame.assign(period=self._frame["period"].astype(str))
        table = pa.Table.from_pandas(frame, preserve_index=False)
        meta = dict(table.schema.metadata or {})
        meta[b"bilateral_trade"] = json.dumps(self._meta()).encode("utf-8")
        pq.write_table(table.replace_schema_metadata(meta), str(path))

    @classmethod
    def read_parquet(
        cls,
        path: str | Path,
        *,
        countries: str | Iterable[str] | None = None,
        products: str | Iterable[str] | None = None,
        years: int | Iterable[int] | None = None,
    ) -> TradePanel:
        """Read a panel written by :meth:`to_parquet` (exactly the same panel), or a dataset.

        ``path`` may be a directory written by :func:`bilateral_trade.io.convert_baci` (one
        ``year=YYYY`` folder per year; a folder holding a row of another year is refused).
        The filters are pushed down to pyarrow: ``years=`` skips the folders of other
        years; ``countries=`` (reporter or partner) and ``products=`` (HS prefixes, or
        ``"TOTAL"``) are evaluated while the files are scanned, so only the rows kept ever
        become pandas objects. A string is one code. Errors name the data row (row 1 is the
        first row read).

        Raises
        ------
        DataValidationError
            A file that is not Parquet, bad ``bilateral_trade`` metadata, a bad filter, or
            any check of the constructor (naming the row).
        InsufficientDataError
            Filters that leave no row.
        OSError
            A missing or unreadable file (FileNotFoundError, PermissionError).
        """
        reader = _READERS.get("parquet")
        if reader is None:  # pragma: no cover - the io layer registers it on import
            raise RuntimeError("no Parquet reader is registered; import bilateral_trade first")
        panel: TradePanel = reader(path, countries=countries, products=products, years=years)
        return panel
