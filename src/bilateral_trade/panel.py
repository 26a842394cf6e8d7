"""TradePanel: many trade series in one long table.

Columns: ``reporter, partner, flow, product, period, value`` and optionally ``quantity,
quantity_unit, net_weight, flags, source``. A panel is validated when it is built (the
same checks and error types as :class:`~bilateral_trade.TradeSeries`: ISO codes, flows,
HS codes, one frequency, finite non-negative values, one row per key and period) and is
immutable. Its rows are a set of observations: :meth:`TradePanel.series` orders a
series' periods, nothing else is reordered.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Mapping
from pathlib import Path
from typing import Any, Literal, cast

import numpy as np
import pandas as pd

from ._periods import Frequency, parse_periods
from .countries import check_country, check_currency
from .errors import DataValidationError, InsufficientDataError
from .series import Flow, TradeSeries, check_product

__all__ = ["KEYS", "TradePanel"]

#: The key columns of a panel, in order.
KEYS = ("reporter", "partner", "flow", "product")
_OPTIONAL = ("quantity", "quantity_unit", "net_weight", "flags", "source")
_NUMERIC = ("value", "quantity", "net_weight")


def _normalise(frame: pd.DataFrame, column: str, fn: Any) -> pd.Series:
    """Apply a validating function to the distinct values of a column."""
    mapping = {v: fn(v, column) for v in pd.unique(frame[column])}
    return frame[column].map(mapping)


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

    Raises
    ------
    DataValidationError
        A missing column (naming the columns found), an unknown country, flow or HS code,
        mixed frequencies, a NaN, negative or infinite value, or two rows for one key and
        period.
    InsufficientDataError
        An empty panel.
    """

    __slots__ = ("_frame", "_frequency", "_published", "_source", "_unit")

    _frame: pd.DataFrame
    _frequency: Frequency
    _unit: str
    _source: str
    _published: str | None

    def __init__(
        self,
        frame: pd.DataFrame,
        *,
        unit: str = "USD",
        source: str = "",
        published: str | None = None,
    ) -> None:
        if not isinstance(frame, pd.DataFrame):
            raise DataValidationError(
                f"frame: expected a pandas DataFrame, got {type(frame).__name__}",
                field="frame",
                value=type(frame).__name__,
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
        if "unit" in frame.columns:
            units = sorted({str(u) for u in frame["unit"]})
            if units != [check_currency(unit, "unit")]:
                raise DataValidationError(
                    f"unit: the frame's unit column holds {', '.join(units)} but the panel's unit "
                    f"is {unit!r}; a panel has one unit (convert first)",
                    field="unit",
                    value=units,
                )
        data = frame[[c for c in (*KEYS, "period", "value", *_OPTIONAL) if c in frame.columns]]
        data = data.reset_index(drop=True).copy()
        data["reporter"] = _normalise(data, "reporter", check_country)
        data["partner"] = _normalise(data, "partner", check_country)
        data["flow"] = _normalise(data, "flow", lambda v, _c: Flow.parse(v).value)
        data["product"] = _normalise(data, "product", check_product)
        if isinstance(data["period"].dtype, pd.PeriodDtype):
            periods = pd.PeriodIndex(data["period"])
            Frequency.parse(periods.freqstr)
        else:
            # parse each distinct label once, then map by category code (fast for long panels)
            labels = pd.Categorical(data["period"])
            parsed = parse_periods(list(labels.categories), None, field="period")
            ordinals = np.asarray(parsed.asi8)[np.asarray(labels.codes)]
            periods = cast(Any, pd.PeriodIndex).from_ordinals(ordinals, freq=parsed.freqstr)
        data["period"] = periods
        freq = Frequency.parse(periods.freqstr)
        for col in _NUMERIC:
            if col not in data.columns:
                continue
            try:
                data[col] = pd.to_numeric(data[col], errors="raise").astype(np.float64)
            except (TypeError, ValueError):
                raise DataValidationError(
                    f"{col}: the column holds values that are not numbers", field=col, value=col
                ) from None
        values = data["value"].to_numpy()
        bad = ~np.isfinite(values) | (values < 0)
        if bad.any():
            row = int(np.argmax(bad))
            where = "/".join(str(v) for v in data.iloc[row][[*KEYS, "period"]].tolist())
            raise DataValidationError(
                f"value: {float(values[row])!r} in row {row} ({where}) is not a finite "
                f"non-negative trade value ({int(bad.sum())} such rows); drop or fix them first",
                field="value",
                value=float(values[row]),
            )
        dup = data.duplicated(subset=[*KEYS, "period"], keep=False)
        if dup.any():
            first = data[dup].iloc[0]
            raise DataValidationError(
                f"period: {int(dup.sum())} rows share a key and period, e.g. "
                f"{first['reporter']}→{first['partner']} {first['flow']} {first['product']} "
                f"{first['period']}; each series has one value per period (aggregate first)",
                field="period",
                value=str(first["period"]),
            )
        if not isinstance(source, str):
            raise DataValidationError(
                f"source: {source!r} is not text", field="source", value=source
            )
        set_ = object.__setattr__
        set_(self, "_frame", data)
        set_(self, "_frequency", freq)
        set_(self, "_unit", check_currency(unit, "unit"))
        set_(self, "_source", source)
        set_(self, "_published", published)

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

    def __len__(self) -> int:
        """Number of rows (observations)."""
        return len(self._frame)

    def __repr__(self) -> str:
        return (
            f"TradePanel({len(self)} rows, {len(self.keys())} series, {self._frequency.label} "
            f"{self._frame['period'].min()}–{self._frame['period'].max()}, {self._unit}"
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
        return TradePanel(
            self._frame[mask], unit=self._unit, source=self._source, published=self._published
        )

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
    def rollup(self, level: Literal[2, 4]) -> TradePanel:
        """Sum HS6 (or HS4) lines to chapters (``level=2``) or headings (``level=4``).

        Values and net weights are summed; quantities are not (their units differ across
        lines) and are left out of the result, as are flags.

        Raises
        ------
        DataValidationError
            ``level`` not 2 or 4, ``TOTAL`` rows, or HS codes of different lengths.
        """
        if level not in (2, 4):
            raise DataValidationError(f"level: {level!r} is not 2 or 4", field="level", value=level)
        products = self._frame["product"]
        if (products == "TOTAL").any():
            raise DataValidationError(
                "product: the panel holds TOTAL rows; select HS lines before rolling up",
                field="product",
                value="TOTAL",
            )
        lengths = sorted(set(products.str.len()))
        if len(lengths) > 1 or lengths[0] <= level:
            raise DataValidationError(
                f"product: HS codes of lengths {', '.join(map(str, lengths))} cannot be rolled up "
                f"to {level} digits together; give lines of one length above {level}",
                field="product",
                value=lengths,
            )
        frame = self._frame.assign(product=products.str[:level])
        sums = {"value": "sum"}
        if "net_weight" in frame.columns:
            sums["net_weight"] = "sum"
        grouped = frame.groupby([*KEYS, "period"], sort=False, as_index=False).agg(sums)
        return TradePanel(grouped, unit=self._unit, source=self._source, published=self._published)

    # ------------------------------------------------------------------ files
    def _meta(self) -> dict[str, Any]:
        return {
            "format": "bilateral_trade.TradePanel",
            "unit": self._unit,
            "frequency": self._frequency.value,
            "source": self._source,
            "published": self._published,
        }

    def to_csv(self, path: str | Path) -> None:
        """Write the rows to CSV with a first comment line holding unit, source and date."""
        frame = self._frame.assign(period=self._frame["period"].astype(str))
        with Path(path).open("w", encoding="utf-8", newline="") as fh:
            fh.write("# " + json.dumps(self._meta(), ensure_ascii=False) + "\n")
            frame.to_csv(fh, index=False)

    @classmethod
    def read_csv(cls, path: str | Path) -> TradePanel:
        """Read a panel written by :meth:`to_csv` (exactly the same panel).

        Raises
        ------
        DataValidationError
            A file that is not a panel (see the constructor).
        """
        with Path(path).open(encoding="utf-8") as fh:
            first = fh.readline()
            meta = json.loads(first[2:]) if first.startswith("# {") else {}
            if not meta:
                fh.seek(0)
            frame = pd.read_csv(
                fh,
                dtype={
                    "reporter": str,
                    "partner": str,
                    "flow": str,
                    "product": str,
                    "period": str,
                    "quantity_unit": str,
                    "flags": str,
                    "source": str,
                },
                keep_default_na=False,
                na_values={"quantity": [""], "net_weight": [""]},
            )
        return cls(
            frame,
            unit=meta.get("unit", "USD"),
            source=meta.get("source", Path(path).name),
            published=meta.get("published"),
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
    def read_parquet(cls, path: str | Path) -> TradePanel:
        """Read a panel written by :meth:`to_parquet` (exactly the same panel)."""
        import pyarrow.parquet as pq

        table = pq.read_table(str(path))
        raw = (table.schema.metadata or {}).get(b"bilateral_trade")
        meta = json.loads(raw) if raw else {}
        frame = table.to_pandas()
        return cls(
            frame,
            unit=meta.get("unit", "USD"),
            source=meta.get("source", Path(path).name),
            published=meta.get("published"),
        )
