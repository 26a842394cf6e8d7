"""Trade flows, frequencies and :class:`TradeSeries`, one reporter–partner–flow–product series.

A :class:`TradeSeries` is validated once, when it is built, and is immutable
afterwards: analysis functions can trust it. Values are stored in units of a
currency (never millions), on a regular, sorted, unique :class:`pandas.PeriodIndex`.
Provenance travels with the values: a ``source`` for the series and per-observation
``flags`` (``"uncertain"``, ``"derived"``, ``"preliminary"``, ``"approximate"``,
``"missing"``, …) and ``notes``.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Iterable, Mapping
from enum import StrEnum
from typing import Any, Literal, cast

import numpy as np
import pandas as pd

from .._util.aliases import JSONDict, PeriodLike
from .._util.checks import check_choice, check_text, numeric_column
from ..errors import DataValidationError, InsufficientDataError
from .countries import check_country, check_currency, country_name
from .periods import Frequency, check_regular, format_periods, parse_period, parse_periods, plain

__all__ = ["MISSING", "Flow", "Frequency", "TradeSeries", "check_product", "title_in_words"]

#: The flag that declares an observation missing (its value is NaN).
MISSING = "missing"

#: A flag word (lower case, digits and underscores) and an HS code of 2, 4 or 6 digits.
FLAG_RE = re.compile(r"^[a-z][a-z0-9_]*$")
HS_CODE_RE = re.compile(r"^(\d{2}|\d{4}|\d{6})$")
_JSON_FORMAT = "bilateral_trade.TradeSeries"
_JSON_VERSION = 1


class Flow(StrEnum):
    """Direction of trade, from the reporter's side.

    ``EXPORTS`` are the reporter's exports to the partner, ``IMPORTS`` its imports
    from the partner, ``TOTAL`` their sum. Re-exports (``RE_EXPORTS``, UN Comtrade's
    ``"RX"``) and re-imports (``RE_IMPORTS``, ``"RM"``) are separate flows, kept apart from
    exports and imports. :meth:`parse` accepts the words and UN Comtrade's codes.
    """

    EXPORTS = "exports"
    IMPORTS = "imports"
    TOTAL = "total"
    RE_EXPORTS = "re-exports"
    RE_IMPORTS = "re-imports"

    @classmethod
    def parse(cls, value: Flow | str) -> Flow:
        """Return the flow named by ``value``.

        Raises
        ------
        DataValidationError
            If ``value`` names no flow.
        """
        if isinstance(value, Flow):
            return value
        key = str(value).strip().lower()
        aliases = {
            "x": cls.EXPORTS, "export": cls.EXPORTS, "exports": cls.EXPORTS,
            "m": cls.IMPORTS, "import": cls.IMPORTS, "imports": cls.IMPORTS,
            "t": cls.TOTAL, "total": cls.TOTAL, "trade": cls.TOTAL, "total trade": cls.TOTAL,
            "rx": cls.RE_EXPORTS, "re-export": cls.RE_EXPORTS, "re-exports": cls.RE_EXPORTS,
            "rm": cls.RE_IMPORTS, "re-import": cls.RE_IMPORTS, "re-imports": cls.RE_IMPORTS,
        }  # fmt: skip
        if key in aliases:
            return aliases[key]
        value = cast(Any, plain(value))
        raise DataValidationError(
            f"flow: {value!r} is not a trade flow; use 'exports' (or 'X'), 'imports' (or 'M'), "
            "'total', 're-exports' ('RX') or 're-imports' ('RM')",
            field="flow",
            value=value,
        )

    @property
    def comtrade_code(self) -> str | None:
        """UN Comtrade's flow code (``"X"``, ``"M"``, ``"RX"``, ``"RM"``), or None for ``TOTAL``."""
        codes = {"exports": "X", "imports": "M", "re-exports": "RX", "re-imports": "RM"}
        return codes.get(self.value)


def check_product(product: object, field: str = "product") -> str:
    """Return ``product`` if it is ``"TOTAL"`` or an HS code of 2, 4 or 6 digits.

    Raises
    ------
    DataValidationError
        For anything else (an integer, which loses leading zeros, is refused too).
    """
    if isinstance(product, str):
        text = product.strip()
        if text.upper() == "TOTAL":
            return "TOTAL"
        if HS_CODE_RE.match(text):
            return text
    product = plain(product)
    hint = " (give HS codes as strings: 0301, not 301)" if isinstance(product, int) else ""
    raise DataValidationError(
        f"{field}: {product!r} is not 'TOTAL' or an HS code of 2, 4 or 6 digits{hint}",
        field=field,
        value=product,
    )


def _short(value: object, limit: int = 60) -> str:
    """A value's repr for a message, cut to ``limit`` characters."""
    text = repr(value)
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _split_flags(value: str | Iterable[str], where: str) -> tuple[str, ...]:
    items = re.split(r"[;,]", value) if isinstance(value, str) else list(value)
    flags = sorted({str(item).strip() for item in items if str(item).strip()})
    for flag in flags:
        if not FLAG_RE.match(flag):
            raise DataValidationError(
                f"flags: {flag!r} at {where} is not a flag; flags are lower-case words such as "
                "'uncertain', 'derived', 'preliminary', 'approximate' or 'missing'",
                field="flags",
                value=flag,
            )
    return tuple(flags)


def _as_float_array(raw: pd.Series, index: pd.PeriodIndex, field: str = "values") -> np.ndarray:
    """Convert values to float64, naming the first value that is not a real number."""
    return numeric_column(
        raw,
        field,
        labels=index,
        hint="remove thousands separators or pass thousands=',' when reading a file",
    )


def _infer_frequency(idx: pd.DatetimeIndex) -> Frequency:
    """The finest frequency under which the dates fall in distinct consecutive periods."""
    if len(idx) >= 2:
        for freq in (Frequency.MONTHLY, Frequency.QUARTERLY, Frequency.ANNUAL):
            steps = np.diff(idx.to_period(freq.pandas_freq).asi8)
            if (steps == 1).all():
                return freq
    raise DataValidationError(
        "index: cannot infer a regular frequency from the DatetimeIndex (dates must fall in "
        "consecutive months, quarters or years); pass frequency='A', 'Q' or 'M', or give a "
        "PeriodIndex",
        field="index",
        value=None,
    )


def _coerce(
    values: pd.Series | Mapping[Any, Any], frequency: Frequency | None
) -> tuple[pd.PeriodIndex, pd.Series]:
    """Return a PeriodIndex and the raw values aligned with it."""
    if isinstance(values, pd.Series):
        raw = values
    elif isinstance(values, Mapping):
        raw = pd.Series(list(values.values()), index=list(values.keys()), dtype=object)
    else:
        raise DataValidationError(
            f"values: expected a pandas Series or a mapping of period to value, got "
            f"{type(values).__name__}",
            field="values",
            value=type(values).__name__,
        )
    idx = raw.index
    if isinstance(idx, pd.PeriodIndex):
        found = Frequency.parse(idx.freqstr)
        if frequency is not None and found is not frequency:
            raise DataValidationError(
                f"frequency: the index is {found.label} but frequency={frequency.value!r} "
                "was given",
                field="frequency",
                value=frequency.value,
            )
        index = idx
    elif isinstance(idx, pd.DatetimeIndex):
        if idx.tz is not None:
            raise DataValidationError(
                f"index: the timestamps are timezone-aware ({idx.tz}); a period is a calendar "
                "month, quarter or year without a zone, and converting would move dates near "
                "midnight into another period. Give naive timestamps in the calendar the data "
                "were reported in (e.g. index.tz_localize(None) for UTC month starts) or a "
                "PeriodIndex",
                field="index",
                value=str(idx.tz),
            )
        if frequency is None:
            frequency = _infer_frequency(idx)
        index = idx.to_period(frequency.pandas_freq)
    else:
        index = parse_periods(idx, frequency, field="index")
    _check_not_finer(idx, index)
    return index, raw


def _check_not_finer(labels: pd.Index, index: pd.PeriodIndex) -> None:
    """Refuse distinct dates that fall in one period: data finer than the frequency asked.

    Monthly dates read as annual periods are not duplicate periods (the message said so):
    they are months to aggregate, or the frequency is wrong.
    """
    if not index.has_duplicates or labels.has_duplicates:
        return
    pos = np.flatnonzero(index.duplicated())[0]
    first = int(np.flatnonzero(index == index[pos])[0])
    freq = Frequency.parse(index.freqstr)

    def shown(label: object) -> str:
        if isinstance(label, pd.Timestamp):
            return label.strftime("%Y-%m-%d") if label == label.normalize() else str(label)
        return _short(label)

    raise DataValidationError(
        f"index: {shown(labels[first])} and {shown(labels[pos])} both fall in {index[pos]}: "
        f"the dates are finer than {freq.label} periods; aggregate them to {freq.label} "
        "first, or give the frequency of the data",
        field="index",
        value=[str(labels[first]), str(labels[pos])],
    )


class TradeSeries:
    """One bilateral trade series: reporter, partner, flow, product, values by period.

    Immutable: every attribute is read-only and ``values`` returns a copy.

    Parameters
    ----------
    values : pandas.Series or mapping
        Values in units of ``unit`` (not thousands or millions), indexed by period:
        a :class:`pandas.PeriodIndex`, a regular :class:`pandas.DatetimeIndex`, or
        period labels (``2019``, ``"2019-03"``, ``"2019Q1"``). A mapping of period to
        value is accepted too.
    reporter, partner : str
        ISO 3166-1 alpha-3 codes (``"WLD"`` for the world). The reporter is the
        country whose statistics the series are (China's customs: ``"CHN"``).
    flow : Flow or str
        ``"exports"``/``"X"``, ``"imports"``/``"M"`` or ``"total"``, from the reporter's side.
    unit : str, default "USD"
        ISO 4217 currency code.
    product : str, default "TOTAL"
        ``"TOTAL"`` or an HS code of 2, 4 or 6 digits (as a string).
    source : str, default ""
        Where the figures come from.
    frequency : Frequency or str, optional
        Required when the index cannot tell (dates, a short DatetimeIndex).
    flags : mapping, optional
        Period → flag or flags (``"uncertain"``, ``{"derived", "uncertain"}``, ``"a;b"``).
    notes : mapping, optional
        Period → free-text note (e.g. how a derived value was computed).
    gaps : {"raise", "keep"}, default "raise"
        ``"raise"`` refuses NaN values and absent periods; ``"keep"`` declares them
        missing: absent periods are inserted, and every NaN gets the flag ``"missing"``.
        A NaN already flagged ``"missing"`` is accepted either way.

    Raises
    ------
    DataValidationError
        Duplicate, unsorted or irregular periods; mixed frequencies; negative,
        infinite or undeclared NaN values; an unknown country, currency, flow or a
        malformed HS code; flags or notes for periods not in the series.
    InsufficientDataError
        An empty series.

    Examples
    --------
    >>> import bilateral_trade as bt
    >>> s = bt.TradeSeries({2022: 1.03e9, 2023: 2.30e9}, reporter="CHN", partner="PRK",
    ...                    flow="total", source="GACC")
    >>> s.frequency
    <Frequency.ANNUAL: 'A'>
    """

    __slots__ = (
        "_flags",
        "_flow",
        "_frequency",
        "_index",
        "_notes",
        "_partner",
        "_product",
        "_reporter",
        "_source",
        "_unit",
        "_values",
    )

    _values: np.ndarray
    _index: pd.PeriodIndex
    _frequency: Frequency
    _reporter: str
    _partner: str
    _flow: Flow
    _unit: str
    _product: str
    _source: str
    _flags: tuple[tuple[str, ...], ...]
    _notes: tuple[str, ...]

    def __init__(
        self,
        values: pd.Series | Mapping[Any, Any],
        *,
        reporter: str,
        partner: str,
        flow: Flow | str,
        unit: str = "USD",
        product: str = "TOTAL",
        source: str = "",
        frequency: Frequency | str | None = None,
        flags: Mapping[Any, str | Iterable[str]] | None = None,
        notes: Mapping[Any, str] | None = None,
        gaps: Literal["raise", "keep"] = "raise",
    ) -> None:
        check_choice(gaps, "gaps", ("raise", "keep"))
        freq = Frequency.parse(frequency) if frequency is not None else None
        rep = check_country(reporter, "reporter")
        par = check_country(partner, "partner")
        if rep == par:
            raise DataValidationError(
                f"partner: reporter and partner are both {rep!r}; a bilateral series needs two "
                "different countries",
                field="partner",
                value=par,
            )
        index, raw = _coerce(values, freq)
        if len(index) == 0:
            raise InsufficientDataError("values: the series is empty; give at least one period")
        freq = Frequency.parse(index.freqstr)
        arr = _as_float_array(raw, index)
        hint = (
            "Pass gaps='keep' to insert them as missing values (NaN flagged 'missing'), or "
            "give a complete series."
        )
        if gaps == "keep" and not index.has_duplicates and index.is_monotonic_increasing:
            full = pd.period_range(index[0], index[-1], freq=index.freq)
            if len(full) != len(index):
                arr = pd.Series(arr, index=index).reindex(full).to_numpy(dtype=np.float64)
                index = full
        check_regular(index, field="index", gaps_hint=hint)

        per_flags: list[tuple[str, ...]] = [()] * len(index)
        per_notes: list[str] = [""] * len(index)
        for key, item in (flags or {}).items():
            pos = self._position(index, freq, key, "flags")
            per_flags[pos] = tuple(sorted({*per_flags[pos], *_split_flags(item, str(index[pos]))}))
        for key, text in (notes or {}).items():
            pos = self._position(index, freq, key, "notes")
            check_text(text, f"notes at {index[pos]}")
            per_notes[pos] = text

        self._check_values(arr, index, per_flags, gaps)
        arr = arr.copy()
        arr.flags.writeable = False
        set_ = object.__setattr__
        set_(self, "_values", arr)
        set_(self, "_index", index)
        set_(self, "_frequency", freq)
        set_(self, "_reporter", rep)
        set_(self, "_partner", par)
        set_(self, "_flow", Flow.parse(flow))
        set_(self, "_unit", check_currency(unit, "unit"))
        set_(self, "_product", check_product(product))
        check_text(source, "source")
        set_(self, "_source", source)
        set_(self, "_flags", tuple(per_flags))
        set_(self, "_notes", tuple(per_notes))

    @staticmethod
    def _position(index: pd.PeriodIndex, freq: Frequency, key: Any, field: str) -> int:
        period = parse_period(key, freq, field=field)
        pos = index.get_indexer(pd.PeriodIndex([period]))[0]
        if pos < 0:
            raise DataValidationError(
                f"{field}: period {period} is not in the series ({index[0]} to {index[-1]})",
                field=field,
                value=str(period),
            )
        return int(pos)

    @staticmethod
    def _check_values(
        arr: np.ndarray,
        index: pd.PeriodIndex,
        flags: list[tuple[str, ...]],
        gaps: str,
    ) -> None:
        bad_inf = np.isinf(arr)
        if bad_inf.any():
            raise DataValidationError(
                f"values: infinite values at {format_periods(index[bad_inf])}; trade values must "
                "be finite",
                field="values",
                value=[str(p) for p in index[bad_inf]],
            )
        negative = arr < 0
        if negative.any():
            first = int(np.argmax(negative))
            raise DataValidationError(
                f"values: negative values at {format_periods(index[negative])} (e.g. "
                f"{float(arr[first])!r} at {index[first]}); trade values cannot be negative",
                field="values",
                value=float(arr[first]),
            )
        nan = np.isnan(arr)
        for pos in np.flatnonzero(nan):
            if gaps == "keep" and MISSING not in flags[pos]:
                flags[pos] = tuple(sorted({*flags[pos], MISSING}))
        undeclared = [int(i) for i in np.flatnonzero(nan) if MISSING not in flags[i]]
        if undeclared:
            raise DataValidationError(
                f"values: NaN at {format_periods(index[undeclared])} where no gap was declared; "
                "pass gaps='keep' (or flag those periods 'missing') to keep them as missing "
                "values, or supply the figures",
                field="values",
                value=[str(index[i]) for i in undeclared],
            )
        wrong = [i for i in range(len(arr)) if MISSING in flags[i] and not nan[i]]
        if wrong:
            raise DataValidationError(
                f"flags: periods {format_periods(index[wrong])} are flagged 'missing' but have "
                "values",
                field="flags",
                value=[str(index[i]) for i in wrong],
            )

    def __setattr__(self, name: str, value: object) -> None:
        raise AttributeError(f"TradeSeries is immutable; cannot set {name!r}")

    def __delattr__(self, name: str) -> None:
        raise AttributeError(f"TradeSeries is immutable; cannot delete {name!r}")

    # ----------------------------------------------------------------- attributes
    @property
    def values(self) -> pd.Series:
        """The values as a float64 :class:`pandas.Series` on the PeriodIndex (a copy)."""
        return pd.Series(self._values.copy(), index=self._index.copy(), name=self.label)

    @property
    def index(self) -> pd.PeriodIndex:
        """The periods (regular, sorted, unique)."""
        return self._index.copy()

    @property
    def frequency(self) -> Frequency:
        """Sampling frequency."""
        return self._frequency

    @property
    def reporter(self) -> str:
        """ISO 3166-1 alpha-3 code of the reporting country."""
        return self._reporter

    @property
    def partner(self) -> str:
        """ISO 3166-1 alpha-3 code of the partner country."""
        return self._partner

    @property
    def flow(self) -> Flow:
        """Direction of trade from the reporter's side."""
        return self._flow

    @property
    def unit(self) -> str:
        """ISO 4217 currency code; values are in units of it."""
        return self._unit

    @property
    def product(self) -> str:
        """``"TOTAL"`` or an HS code of 2, 4 or 6 digits."""
        return self._product

    @property
    def source(self) -> str:
        """Where the figures come from."""
        return self._source

    @property
    def flags(self) -> dict[pd.Period, tuple[str, ...]]:
        """Flags of the flagged observations, by period."""
        return {p: f for p, f in zip(self._index, self._flags, strict=True) if f}

    @property
    def notes(self) -> dict[pd.Period, str]:
        """Notes of the annotated observations, by period."""
        return {p: n for p, n in zip(self._index, self._notes, strict=True) if n}

    @property
    def label(self) -> str:
        """Short description, e.g. ``"CHN→PRK total TOTAL"``."""
        return f"{self._reporter}→{self._partner} {self._flow.value} {self._product}"

    @property
    def start(self) -> pd.Period:
        """First period."""
        return self._index[0]

    @property
    def end(self) -> pd.Period:
        """Last period."""
        return self._index[-1]

    def flags_at(self, period: PeriodLike) -> tuple[str, ...]:
        """Flags of one observation (empty tuple when none)."""
        return self._flags[self._position(self._index, self._frequency, period, "period")]

    def flagged(self, *flags: str) -> pd.PeriodIndex:
        """Periods carrying any of ``flags`` (any flag at all when none are given)."""
        wanted = set(flags)
        keep = [bool(f) and (not wanted or bool(wanted & set(f))) for f in self._flags]
        return self._index[np.asarray(keep, dtype=bool)]

    def __len__(self) -> int:
        return len(self._index)

    def __repr__(self) -> str:
        flagged = sum(1 for f in self._flags if f)
        extra = f", {flagged} flagged" if flagged else ""
        source = f", source={self._source[:60]!r}" if self._source else ""
        return (
            f"TradeSeries({self._reporter}→{self._partner}, {self._flow.value}, "
            f"product={self._product}, {self._frequency.label} {self.start}–{self.end}, "
            f"n={len(self)}, {self._unit}{extra}{source})"
        )

    def _key(self) -> tuple[object, ...]:
        return (
            self._reporter,
            self._partner,
            self._flow,
            self._unit,
            self._product,
            self._source,
            self._frequency,
            tuple(self._index.asi8),
            self._values.tobytes(),
            self._flags,
            self._notes,
        )

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, TradeSeries):
            return NotImplemented
        return self._key() == other._key()

    def __hash__(self) -> int:
        return hash(self._key())

    def _replace(self, **changes: Any) -> TradeSeries:
        """Build a new series with some constructor arguments changed (validated again)."""
        args: dict[str, Any] = {
            "values": self.values,
            "reporter": self._reporter,
            "partner": self._partner,
            "flow": self._flow,
            "unit": self._unit,
            "product": self._product,
            "source": self._source,
            "flags": self.flags,
            "notes": self.notes,
        }
        args.update(changes)
        return TradeSeries(**args)

    # ------------------------------------------------------------------ tabular
    def to_frame(self) -> pd.DataFrame:
        """Tidy table: one row per period with the metadata, value, flags and note.

        Columns: ``reporter, partner, flow, product, unit, period, value, flags, note,
        source``. ``flags`` joins the flags of a period with ``";"``.
        """
        n = len(self)
        return pd.DataFrame(
            {
                "reporter": [self._reporter] * n,
                "partner": [self._partner] * n,
                "flow": [self._flow.value] * n,
                "product": [self._product] * n,
                "unit": [self._unit] * n,
                "period": self._index.copy(),
                "value": self._values.copy(),
                "flags": [";".join(f) for f in self._flags],
                "note": list(self._notes),
                "source": [self._source] * n,
            }
        )

    @classmethod
    def from_frame(
        cls,
        frame: pd.DataFrame,
        *,
        period: str = "period",
        value: str = "value",
        reporter: str | None = None,
        partner: str | None = None,
        flow: Flow | str | None = None,
        product: str | None = None,
        unit: str | None = None,
        source: str | None = None,
        frequency: Frequency | str | None = None,
        gaps: Literal["raise", "keep"] = "raise",
    ) -> TradeSeries:
        """Build a series from a tidy table such as :meth:`to_frame` writes.

        Metadata come from the columns ``reporter``, ``partner``, ``flow``,
        ``product``, ``unit`` and ``source`` when present (each must hold one value),
        otherwise from the keyword arguments; a keyword given for a column that is
        present must agree with it. Optional columns ``flags`` and ``note`` give
        per-observation provenance. Rows are taken in their order: unsorted or
        duplicate periods are refused, not reordered.

        Raises
        ------
        DataValidationError
            A missing column (naming the columns found), several series in one
            frame, or any check of the constructor.
        """
        for col in (period, value):
            if col not in frame.columns:
                raise DataValidationError(
                    f"{col}: no column {col!r}; columns found: "
                    f"{', '.join(map(str, frame.columns))}",
                    field=col,
                    value=None,
                )
        given: dict[str, object] = {
            "reporter": reporter,
            "partner": partner,
            "flow": flow,
            "product": product,
            "unit": unit,
            "source": source,
        }
        defaults: dict[str, object] = {"product": "TOTAL", "unit": "USD", "source": ""}
        meta: dict[str, Any] = {}
        for name, kw in given.items():
            if name in frame.columns:
                distinct = pd.unique(frame[name].astype(object).where(frame[name].notna(), ""))
                if len(distinct) > 1:
                    raise DataValidationError(
                        f"{name}: the frame holds several series ({name} = "
                        f"{', '.join(map(repr, distinct[:5]))}); select one, or read it with "
                        "bilateral_trade.read_csv, which returns one series per key",
                        field=name,
                        value=list(distinct[:5]),
                    )
                found = distinct[0] if len(distinct) else defaults.get(name, "")
                if kw is not None and str(kw) != str(found):
                    if name == "flow" and Flow.parse(cast(str, kw)) is Flow.parse(str(found)):
                        pass
                    else:
                        raise DataValidationError(
                            f"{name}: {name}={kw!r} was given but the column says {found!r}",
                            field=name,
                            value=kw,
                        )
                meta[name] = found
            elif kw is not None:
                meta[name] = kw
            elif name in defaults:
                meta[name] = defaults[name]
            else:
                raise DataValidationError(
                    f"{name}: no column {name!r} and no {name}= given; columns found: "
                    f"{', '.join(map(str, frame.columns))}",
                    field=name,
                    value=None,
                )
        freq = Frequency.parse(frequency) if frequency is not None else None
        labels = frame[period]
        if isinstance(labels.dtype, pd.PeriodDtype):
            index = pd.PeriodIndex(labels)
        else:
            index = parse_periods(labels.tolist(), freq, field=period)
        values = pd.Series(frame[value].to_numpy(), index=index)
        flags: dict[pd.Period, str] = {}
        notes: dict[pd.Period, str] = {}
        check_regular(index, field=period)
        for name, target in (("flags", flags), ("note", notes)):
            if name in frame.columns:
                for p, text in zip(index, frame[name].tolist(), strict=True):
                    if isinstance(text, str) and text:
                        target[p] = text
        return cls(values, flags=flags, notes=notes, gaps=gaps, frequency=freq, **meta)

    # --------------------------------------------------------------------- JSON
    def to_dict(self) -> JSONDict:
        """JSON-ready dictionary with values, periods, metadata, flags and notes."""
        return {
            "format": _JSON_FORMAT,
            "version": _JSON_VERSION,
            "reporter": self._reporter,
            "partner": self._partner,
            "flow": self._flow.value,
            "product": self._product,
            "unit": self._unit,
            "frequency": self._frequency.value,
            "source": self._source,
            "periods": [str(p) for p in self._index],
            "values": [None if math.isnan(v) else float(v) for v in self._values],
            "flags": {str(p): list(f) for p, f in zip(self._index, self._flags, strict=True) if f},
            "notes": {str(p): n for p, n in zip(self._index, self._notes, strict=True) if n},
        }

    def to_json(self, *, indent: int | None = None) -> str:
        """Serialise to JSON; :meth:`from_json` restores an equal series exactly."""
        return json.dumps(self.to_dict(), indent=indent, ensure_ascii=False, allow_nan=False)

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> TradeSeries:
        """Rebuild a series from :meth:`to_dict` output.

        Raises
        ------
        DataValidationError
            If the dictionary is not a serialised TradeSeries (a missing key, a key of the
            wrong shape: ``periods`` and ``values`` are lists, ``flags`` and ``notes``
            objects keyed by period) or fails validation.
        """
        _check_serialised(data)
        freq = Frequency.parse(data["frequency"])
        periods = parse_periods(data["periods"], freq, field="periods")
        if len(periods) != len(data["values"]):
            raise DataValidationError(
                f"values: {len(data['values'])} values for {len(periods)} periods",
                field="values",
                value=len(data["values"]),
            )
        vals = _json_values(data["values"], periods)
        return cls(
            pd.Series(vals, index=periods, dtype=np.float64),
            reporter=data["reporter"],
            partner=data["partner"],
            flow=data["flow"],
            unit=data.get("unit", "USD"),
            product=data.get("product", "TOTAL"),
            source=data.get("source", ""),
            frequency=freq,
            flags=data.get("flags") or {},
            notes=data.get("notes") or {},
        )

    @classmethod
    def from_json(cls, text: str | bytes) -> TradeSeries:
        """Rebuild a series from :meth:`to_json` output.

        Raises
        ------
        DataValidationError
            If the text is not JSON, or not a serialised TradeSeries (see :meth:`from_dict`).
        """
        if not isinstance(text, str | bytes | bytearray):
            raise DataValidationError(
                f"json: expected JSON text, got {type(text).__name__}",
                field="json",
                value=type(text).__name__,
            )
        try:
            data = json.loads(text)
        except (ValueError, RecursionError) as exc:  # JSONDecodeError, UnicodeDecodeError
            raise DataValidationError(f"json: not valid JSON ({exc})", field="json") from None
        if not isinstance(data, dict):
            raise DataValidationError(
                f"json: expected an object, got {type(data).__name__}", field="json"
            )
        return cls.from_dict(data)

    # ------------------------------------------------------------- operations
    def _to_own_freq(
        self, value: PeriodLike, how: Literal["start", "end"], field: str
    ) -> pd.Period:
        """Parse a bound; a coarser period (a year on monthly data) covers all its sub-periods."""
        if isinstance(value, pd.Period | int | str):
            try:
                period = parse_period(value, None, field=field)
            except DataValidationError:
                period = parse_period(value, self._frequency, field=field)
            found = Frequency.parse(period.freqstr)
            if found.periods_per_year > self._frequency.periods_per_year:
                raise DataValidationError(
                    f"{field}: {period} is {found.label}, finer than this "
                    f"{self._frequency.label} series",
                    field=field,
                    value=str(period),
                )
            return period.asfreq(self._frequency.pandas_freq, how=how)
        return parse_period(value, self._frequency, field=field)

    def slice(self, start: PeriodLike | None = None, end: PeriodLike | None = None) -> TradeSeries:
        """The observations from ``start`` to ``end``, both included.

        A coarser bound covers all its sub-periods: ``s.slice(2018, 2019)`` on monthly
        data runs from 2018-01 to 2019-12.

        Raises
        ------
        InsufficientDataError
            If no observation falls in the range.
        """
        lo = self._to_own_freq(start, "start", "start") if start is not None else self.start
        hi = self._to_own_freq(end, "end", "end") if end is not None else self.end
        keep = (self._index >= lo) & (self._index <= hi)
        if not keep.any():
            raise InsufficientDataError(
                f"slice: no observation between {lo} and {hi}; the series runs from "
                f"{self.start} to {self.end}"
            )
        return self._subset(np.asarray(keep, dtype=bool))

    def _subset(self, keep: np.ndarray) -> TradeSeries:
        positions = [int(i) for i in np.flatnonzero(keep)]
        index = self._index[positions]
        flags = {self._index[i]: self._flags[i] for i in positions if self._flags[i]}
        notes = {self._index[i]: self._notes[i] for i in positions if self._notes[i]}
        return self._replace(
            values=pd.Series(self._values[keep], index=index), flags=flags, notes=notes
        )

    def aggregate(
        self, to: Frequency | str = "A", *, incomplete: Literal["raise", "missing"] = "raise"
    ) -> TradeSeries:
        """Sum a monthly or quarterly series to a coarser frequency (``"A"`` or ``"Q"``).

        A target period is complete when all its sub-periods are present and none is
        missing. The flags of the sub-periods are carried to the sum (without
        ``"missing"``).

        Parameters
        ----------
        to : Frequency or str, default "A"
            Target frequency, coarser than the series'.
        incomplete : {"raise", "missing"}, default "raise"
            ``"raise"`` refuses incomplete target periods, naming them; ``"missing"``
            makes them missing values (NaN flagged ``"missing"``), and drops them at
            the two ends of the result.

        Raises
        ------
        DataValidationError
            If ``to`` is not coarser, or a target period is incomplete and
            ``incomplete="raise"``.
        """
        target = Frequency.parse(to)
        if target.periods_per_year >= self._frequency.periods_per_year:
            raise DataValidationError(
                f"to: cannot aggregate a {self._frequency.label} series to {target.label}; "
                "the target must be coarser",
                field="to",
                value=target.value,
            )
        size = self._frequency.periods_per_year // target.periods_per_year
        groups = self._index.asfreq(target.pandas_freq)
        frame = pd.DataFrame({"value": self._values, "group": groups})
        count = frame.groupby("group", sort=True)["value"].count()
        sums = frame.groupby("group", sort=True)["value"].sum(min_count=1)
        bad = count.index[count.to_numpy() < size]
        if len(bad) and incomplete == "raise":
            raise DataValidationError(
                f"incomplete: {target.label} periods {format_periods(bad)} lack some "
                f"{self._frequency.label} values (need all {size}); pass incomplete='missing' "
                "to make them missing values",
                field="incomplete",
                value=[str(p) for p in bad],
            )
        result = sums.where(count >= size)
        ok = np.flatnonzero(result.notna().to_numpy())
        if len(ok) == 0:
            raise InsufficientDataError(
                f"aggregate: no complete {target.label} period in the series "
                f"({self.start} to {self.end})"
            )
        result = result.iloc[ok[0] : ok[-1] + 1]
        new_flags: dict[pd.Period, set[str]] = {}
        for p, f in zip(groups, self._flags, strict=True):
            if p in result.index:
                new_flags.setdefault(p, set()).update(x for x in f if x != MISSING)
        for p in result.index[result.isna().to_numpy()]:
            new_flags[p] = {MISSING}
        return self._replace(
            values=pd.Series(
                result.to_numpy(dtype=np.float64), index=pd.PeriodIndex(result.index, name=None)
            ),
            flags={p: sorted(f) for p, f in new_flags.items() if f},
            notes={},
            frequency=target,
        )

    def __add__(self, other: object) -> TradeSeries:
        """Exports plus imports of the same pair: a ``TOTAL`` series.

        Reporter, partner, unit, product, frequency and periods must agree; the
        flows must be one ``EXPORTS`` and one ``IMPORTS``. Flags are united per
        period; a period missing on either side is missing in the sum.

        Raises
        ------
        DataValidationError
            Naming the attribute that differs.
        """
        if not isinstance(other, TradeSeries):
            return NotImplemented
        for name in ("reporter", "partner", "unit", "product", "frequency"):
            a, b = getattr(self, name), getattr(other, name)
            if a != b:
                raise DataValidationError(
                    f"{name}: cannot add series with different {name}s ({a!r} and {b!r})",
                    field=name,
                    value=(str(a), str(b)),
                )
        if {self._flow, other._flow} != {Flow.EXPORTS, Flow.IMPORTS}:
            raise DataValidationError(
                f"flow: only exports + imports make a total; got {self._flow.value} + "
                f"{other._flow.value}",
                field="flow",
                value=(self._flow.value, other._flow.value),
            )
        if not self._index.equals(other._index):
            only = self._index.symmetric_difference(other._index)
            raise DataValidationError(
                f"index: the series cover different periods ({self.start}–{self.end} and "
                f"{other.start}–{other.end}; not in both: {format_periods(only)}); slice them "
                "to common periods first",
                field="index",
                value=[str(p) for p in only],
            )
        total = self._values + other._values
        flags = {
            p: sorted({*a, *b})
            for p, a, b in zip(self._index, self._flags, other._flags, strict=True)
            if a or b
        }
        notes = {
            p: "; ".join(x for x in (a, b) if x)
            for p, a, b in zip(self._index, self._notes, other._notes, strict=True)
            if a or b
        }
        source = (
            self._source
            if self._source == other._source
            else ("; ".join(s for s in (self._source, other._source) if s))
        )
        return self._replace(
            values=pd.Series(total, index=self._index.copy()),
            flow=Flow.TOTAL,
            flags=flags,
            notes=notes,
            source=source,
        )


_FLOW_WORDS = {
    "total": "total trade",
    "exports": "exports",
    "imports": "imports",
    "re_exports": "re-exports",
    "re_imports": "re-imports",
}
_DISPLAY = {"PRK": "DPRK", "WLD": "the world"}


def title_in_words(ts: TradeSeries) -> str:
    """A series' title in words, e.g. ``"China → DPRK, total trade"``."""

    def name(code: str) -> str:
        return _DISPLAY.get(code) or country_name(code)

    what = _FLOW_WORDS.get(ts.flow.value, ts.flow.value.replace("_", " "))
    product = "" if ts.product == "TOTAL" else f" of HS {ts.product}"
    return f"{name(ts.reporter)} → {name(ts.partner)}, {what}{product}"


def _check_serialised(data: object) -> None:
    """Refuse what is not the shape of :meth:`TradeSeries.to_dict` output."""
    if not isinstance(data, Mapping):
        raise DataValidationError(
            f"json: expected an object (a serialised TradeSeries), got {type(data).__name__}",
            field="json",
            value=type(data).__name__,
        )
    if data.get("format") != _JSON_FORMAT:
        raise DataValidationError(
            f"format: expected {_JSON_FORMAT!r}, got {data.get('format')!r}",
            field="format",
            value=data.get("format"),
        )
    missing = [
        k
        for k in ("reporter", "partner", "flow", "frequency", "periods", "values")
        if k not in data
    ]
    if missing:
        raise DataValidationError(
            f"{missing[0]}: missing key(s) {', '.join(missing)} in serialised TradeSeries",
            field=missing[0],
            value=None,
        )
    for key in ("periods", "values"):
        if not isinstance(data[key], list):
            raise DataValidationError(
                f"{key}: expected a list, got {type(data[key]).__name__} ({_short(data[key])})",
                field=key,
                value=_short(data[key]),
            )
    for key in ("flags", "notes"):
        if data.get(key) is not None and not isinstance(data[key], Mapping):
            raise DataValidationError(
                f"{key}: expected an object keyed by period, got {type(data[key]).__name__} "
                f"({_short(data[key])})",
                field=key,
                value=_short(data[key]),
            )
    for period, item in (data.get("flags") or {}).items():
        if not (
            isinstance(item, str)
            or (isinstance(item, list) and all(isinstance(f, str) for f in item))
        ):
            raise DataValidationError(
                f"flags: the flags of {period} are {_short(item)}, not a flag word or a list "
                "of them",
                field="flags",
                value=_short(item),
            )


def _json_values(values: list[Any], periods: pd.PeriodIndex) -> list[float]:
    """The serialised values as floats (null is NaN), refusing anything else."""
    vals = []
    for pos, v in enumerate(values):
        try:
            if v is not None and (isinstance(v, bool) or not isinstance(v, int | float)):
                raise TypeError
            vals.append(math.nan if v is None else float(v))
        except (TypeError, OverflowError):
            raise DataValidationError(
                f"values: {_short(v)} at {periods[pos]} is not a number or null",
                field="values",
                value=_short(v),
            ) from None
    return vals
