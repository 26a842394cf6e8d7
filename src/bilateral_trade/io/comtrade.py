"""UN Comtrade files (the current layout and the legacy CSV layout) into a TradePanel."""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterable
from functools import partial
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from .._util.checks import check_bool
from .._util.files import LineMap, read_table
from ..data.countries import check_country, m49_to_iso3
from ..data.panel import KEYS, TradePanel, frame_rows, numbers_of
from ..data.periods import Frequency, parse_period_column, plain
from ..errors import DataValidationError, InsufficientDataError
from ._filters import Filters
from ._stream import UnparsedError, csv_batches, header_of

__all__ = ["COMTRADE_SPECIAL_CODES", "read_comtrade", "to_iso3"]

#: Codes that UN Comtrade (and BACI) use where they differ from ISO 3166-1 numeric codes.
#: Source: UN Comtrade reference tables (partner/reporter areas): 0 World; 490 "Other Asia,
#: nes" (Taiwan); 842 USA (incl. Puerto Rico and the US Virgin Islands); 251 France (incl.
#: Monaco); 579 Norway (incl. Svalbard and Jan Mayen); 699 India; 757 Switzerland (incl.
#: Liechtenstein).
COMTRADE_SPECIAL_CODES = {
    0: "WLD",
    490: "TWN",
    842: "USA",
    251: "FRA",
    579: "NOR",
    699: "IND",
    757: "CHE",
}

_NEW = {"flow": "flowCode", "product": "cmdCode", "value": "primaryValue"}
_LEGACY = {
    "flow": "Trade Flow Code",
    "product": "Commodity Code",
    "value": "Trade Value (US$)",
    "year": "Year",
    "period": "Period",
    "reporter_iso": "Reporter ISO",
    "partner_iso": "Partner ISO",
    "reporter_code": "Reporter Code",
    "partner_code": "Partner Code",
}
_LEGACY_FLOWS = {"1": "M", "2": "X", "3": "RX", "4": "RM", "import": "M", "export": "X",
                 "re-export": "RX", "re-import": "RM"}  # fmt: skip
_FLOWS = {"X": "exports", "M": "imports", "RX": "re-exports", "RM": "re-imports"}


def _m49(code: object) -> str | None:
    """The ISO3 code of a Comtrade/M49 numeric code, or None."""
    try:
        number = int(float(str(code).strip()))
    except (TypeError, ValueError, OverflowError):
        return None
    return COMTRADE_SPECIAL_CODES.get(number) or m49_to_iso3(number)


def to_iso3(
    codes: pd.Series,
    isos: pd.Series | None,
    field: str,
    locate: Callable[[int], str] | None = None,
    *,
    unknown_ok: bool = False,
) -> pd.Series:
    """ISO3 codes from an ISO column when valid, else from M49 numeric codes.

    Each distinct (code, ISO) pair is looked up once. With ``unknown_ok``, a code with no
    ISO3 equivalent becomes ``""`` (the caller filters, then refuses the rows it keeps).

    Raises
    ------
    DataValidationError
        Codes with no ISO3 equivalent (naming them), or an ISO code that contradicts the
        numeric code of the same row (naming both and the row).
    """
    where = locate if locate is not None else (lambda pos: f"row {pos + 1}")
    iso_column = isos if isos is not None else pd.Series("", index=codes.index, dtype=object)
    code_ids, code_values = pd.factorize(codes.astype(object), use_na_sentinel=False)
    iso_ids, iso_values = pd.factorize(iso_column.astype(object), use_na_sentinel=False)
    combined = np.asarray(code_ids, dtype=np.int64) * len(iso_values) + np.asarray(iso_ids)
    pair_codes, pair_values = pd.factorize(combined)
    out: list[str] = []
    unknown = []
    for k, pair in enumerate(pair_values.tolist()):
        code = plain(code_values[pair // len(iso_values)])
        iso = plain(iso_values[pair % len(iso_values)])
        from_code = _m49(code)
        from_iso = None
        if isinstance(iso, str) and len(iso.strip()) == 3 and iso.strip().upper() != "W00":
            with contextlib.suppress(DataValidationError):
                from_iso = check_country(iso, field)
        if from_iso is not None and from_code is not None and from_iso != from_code:
            row = int(np.argmax(np.asarray(pair_codes) == k))
            raise DataValidationError(
                f"{field} at {where(row)}: the ISO code {iso!r} ({from_iso}) contradicts the "
                f"numeric code {code!r} ({from_code}); fix the file (which one is right "
                "cannot be guessed)",
                field=field,
                value=(str(code), str(iso)),
            )
        found = from_iso or from_code
        if found is None:
            unknown.append(code)
            found = ""
        out.append(found)
    if unknown and not unknown_ok:
        raise _unknown_codes(field, unknown)
    return pd.Series(np.asarray(out, dtype=object)[np.asarray(pair_codes)], index=codes.index)


def _unknown_codes(field: str, unknown: list[Any], first: str | None = None) -> DataValidationError:
    names = list(dict.fromkeys(str(u).strip() or "(empty)" for u in unknown))
    return DataValidationError(
        f"{field}: codes {', '.join(names[:10])} have no ISO 3166-1 alpha-3 equivalent (areas "
        "n.e.s., groups"
        + (f"; the first at {first}" if first else "")
        + "); filter them out before reading",
        field=field,
        value=names[:10],
    )


def _mapped(column: pd.Series, fn: Callable[[str], str]) -> pd.Series:
    """``fn`` of the text of each cell (``str(cell)``), computed once per distinct cell."""
    codes, uniques = pd.factorize(column.astype(object), use_na_sentinel=False)
    table = np.asarray([fn(str(plain(u))) for u in uniques], dtype=object)
    return pd.Series(table[np.asarray(codes)], index=column.index, dtype=object)


def _distinct(column: pd.Series, fn: Callable[[str], str]) -> set[str]:
    """The distinct values of ``fn`` of the text of the cells."""
    uniques = pd.unique(column.astype(object))
    return {fn(str(plain(u))) for u in uniques}


def _hs_one(raw: str, level: str | None) -> str:
    if raw.upper() in ("TOTAL", "ALL", "TOTAL ALL COMMODITIES"):
        return "TOTAL"
    text = raw[:-2] if raw.endswith(".0") else raw
    if level in ("2", "4", "6"):
        return text.zfill(int(level))
    if len(text) in (1, 3, 5):
        return "0" + text  # an HS code read as a number loses its leading zero
    return text


def _hs(codes: pd.Series, levels: pd.Series | None) -> pd.Series:
    """Commodity codes as strings: TOTAL, or HS digits with the leading zero restored.

    Each distinct (code, level) pair is converted once.
    """
    text = _mapped(codes, str.strip)
    level = (
        _mapped(levels, str.strip)
        if levels is not None
        else pd.Series("", index=codes.index, dtype=object)
    )
    code_ids, code_values = pd.factorize(text.astype(object), use_na_sentinel=False)
    level_ids, level_values = pd.factorize(level.astype(object), use_na_sentinel=False)
    pairs, pair_values = pd.factorize(
        np.asarray(code_ids, dtype=np.int64) * len(level_values) + np.asarray(level_ids)
    )
    table = [
        _hs_one(str(code_values[v // len(level_values)]), str(level_values[v % len(level_values)]))
        for v in pair_values.tolist()
    ]
    return pd.Series(np.asarray(table, dtype=object)[np.asarray(pairs)], index=codes.index)


def _require(frame: pd.DataFrame, columns: Iterable[str], layout: str) -> None:
    missing = [c for c in columns if c not in frame.columns]
    if missing:
        raise DataValidationError(
            f"columns: the {layout} layout needs {', '.join(missing)}; columns found: "
            f"{', '.join(map(str, frame.columns))}",
            field="columns",
            value=missing,
        )


def read_comtrade(
    source: str | Path | pd.DataFrame,
    *,
    fold_reexports: bool = False,
    published: str | None = None,
    countries: str | Iterable[str] | None = None,
    products: str | Iterable[str] | None = None,
    years: int | Iterable[int] | None = None,
) -> TradePanel:
    """Read a UN Comtrade extract (current "Comtrade+" layout or the legacy CSV layout).

    Current layout: ``freqCode``, ``period`` (or ``refYear``/``refMonth``), ``reporterCode``/
    ``reporterISO``, ``partnerCode``/``partnerISO``, ``flowCode``, ``cmdCode``,
    ``primaryValue``, and optionally ``qty``, ``qtyUnitAbbr``, ``netWgt``. Legacy layout:
    ``Year``, ``Period``, ``Trade Flow Code`` (1 import, 2 export, 3 re-export, 4 re-import),
    ``Reporter Code``/``Reporter ISO``, ``Partner Code``/``Partner ISO``, ``Commodity Code``,
    ``Trade Value (US$)``.

    Countries become ISO3 codes (M49 codes through the shipped table, with Comtrade's own
    codes such as 490 and 842); partner 0 (World) becomes ``"WLD"`` and stays a partner of its
    own, never added to the others. Re-exports and re-imports stay separate flows unless
    ``fold_reexports=True`` adds them to exports and imports. Periods ``"201712"`` are months,
    ``"2017"`` years (a ``refMonth`` of 52 on annual rows is ignored). Commodity codes read as
    numbers get their leading zero back.

    A file is read batch by batch with pyarrow's CSV reader, only the columns used, codes
    mapped once per distinct code; the filters are applied to each batch as it is read.

    Parameters
    ----------
    source : path or pandas.DataFrame
    fold_reexports : bool, default False
    published : str, optional
        Publication or download date, recorded in the panel.
    countries : ISO3 code or iterable of them, optional
        Keep rows whose reporter or partner is one of these (a string is one code). Rows
        dropped by the filter are not checked further (a partner code with no ISO3
        equivalent, say, is refused only in the rows kept).
    products : str or iterable of str, optional
        Keep rows whose commodity code starts with one of these HS codes (2, 4 or 6
        digits), or is ``"TOTAL"`` when that is asked for.
    years : int or iterable of int, optional
        Keep rows whose period falls in these years.

    Returns
    -------
    TradePanel
        Values in USD; ``source`` is the file name.

    Raises
    ------
    DataValidationError
        A file that cannot be read as CSV (empty, not UTF-8, ragged rows), a layout with
        missing columns (naming them and the layout expected), annual and monthly rows in
        one file, a ``freqCode`` that disagrees with the periods, rows broken down by mode
        of transport, customs procedure or second partner (they would be double counted),
        flow codes other than X, M, RX, RM, country codes with no ISO3 equivalent or an
        ISO code that contradicts the numeric code, an empty or non-numeric value or
        quantity, quantities in different units folded together, a bad filter, or any
        check of :class:`TradePanel`. Errors name the line of the file (line 1 is the
        header), or the row of a DataFrame (row 1 is its first).
    InsufficientDataError
        A header without data rows, or filters that leave no row.
    OSError
        A missing or unreadable file (FileNotFoundError, PermissionError).

    Notes
    -----
    With ``fold_reexports=True`` the rows are checked exactly as without it, then
    re-exports are added to exports and re-imports to imports. A quantity or net weight is
    summed only where every row of the sum has one (else it is unknown, NaN).
    """
    fold_reexports = check_bool(fold_reexports, "fold_reexports")
    filters = Filters.of(countries, products, years, total=True)
    if isinstance(source, pd.DataFrame):
        frame = source.reset_index(drop=True)
        doubled = sorted({str(c) for c in frame.columns[frame.columns.duplicated()]})
        if doubled:
            raise DataValidationError(
                f"columns: the frame has several columns named {', '.join(doubled)}; keep one",
                field="columns",
                value=doubled,
            )
        # codes and labels as text, as read from a file (an empty cell is ""); amounts stay
        frame = frame.assign(
            **{
                str(c): frame[c].astype(str).where(frame[c].notna(), "")
                for c in frame.columns
                if c not in _NUMBERS
            }
        )
        reader = _Reader("DataFrame", filters, frame_rows)
        reader.part(frame, 0, typed=False)
    else:
        path = Path(source)
        lines = LineMap(path)
        reader = _Reader(path.name, filters, lines)
        _read_file(reader, path)
    panel = reader.panel(published)
    if not fold_reexports:
        return panel
    return TradePanel(_fold(panel.to_frame()), unit="USD", source=panel.source, published=published)


_NUMBERS = {"primaryValue", "qty", "netWgt", "Trade Value (US$)", "Qty", "Netweight (kg)"}
_USED = {
    "freqCode", "period", "refYear", "refMonth", "reporterCode", "reporterISO", "partnerCode",
    "partnerISO", "flowCode", "cmdCode", "aggrLevel", "motCode", "customsCode", "partner2Code",
    "qtyUnitAbbr", *_NUMBERS, "Year", "Period", "Trade Flow Code", "Reporter Code",
    "Reporter ISO", "Partner Code", "Partner ISO", "Commodity Code", "Aggregate Level",
    "Qty Unit",
}  # fmt: skip


def _streamable(header: list[str] | None) -> bool:
    """A header the batch reader can take: names once, a known layout, its columns present."""
    if header is None or len(set(header)) != len(header):
        return False
    if "primaryValue" in header or "flowCode" in header:
        needed = [*_NEW.values(), "reporterCode", "partnerCode"]
        if "period" not in header:
            needed.append("refYear")
    elif "Trade Value (US$)" in header or "Trade Flow Code" in header:
        needed = [_LEGACY[k] for k in ("flow", "product", "value", "reporter_code", "partner_code")]
        if "Period" not in header:
            needed.append("Year")
    else:
        return False
    return all(c in header for c in needed)


def _fixed(where: Callable[[int], str], pos: int, _row: int) -> str:
    """Where row ``pos`` is, whatever row is asked for."""
    return where(pos)


class _RetryError(Exception):
    """The typed reading met a cell it cannot vouch for: read the file as text."""


def _read_file(reader: _Reader, path: Path) -> None:
    """Stream a file through ``reader``; files pyarrow cannot parse go to the reference reader."""
    import pyarrow as pa

    header = header_of(path)
    if header is not None and _streamable(header):
        used = [c for c in header if c in _USED]
        for typed in (True, False):
            word = pa.dictionary(pa.int32(), pa.string())
            number = pa.float64() if typed else pa.string()
            types = {c: number if c in _NUMBERS else word for c in used}
            reader.reset()
            offset = 0
            try:
                batches = csv_batches(
                    path, types, null_values=("",) if typed else (), newlines=not typed
                )
                for batch in batches:
                    frame = batch.to_pandas()
                    reader.part(frame, offset, typed=typed)
                    offset += len(frame)
            except (_RetryError, UnparsedError):
                continue
            if offset == 0:
                read_table(path)  # a header without data rows: the reference error
            return
    reader.reset()
    reader.part(read_table(path), 0, typed=False)


class _Reader:
    """The parts kept from the batches of one source, and what must agree across them."""

    def __init__(self, name: str, filters: Filters, locate: Callable[[int], str]) -> None:
        self.name = name
        self.filters = filters
        self.locate = locate  # data row -> words
        self.reset()

    def reset(self) -> None:
        self.parts: list[pd.DataFrame] = []
        self.rows: list[np.ndarray] = []
        self.freq_code: str | None = None
        self.layout = ""
        self.first_period: str | None = None
        self._years: dict[str, bool] = {}

    def _keep_year(self, period: pd.Series, where: Callable[[int], str]) -> np.ndarray:
        codes, uniques = pd.factorize(period.astype(object))
        keep = []
        for k, label in enumerate(uniques):
            if label not in self._years:
                first = int(np.argmax(codes == k))
                parsed = parse_period_column(
                    pd.Series([label], dtype=object),
                    field="period",
                    locate=partial(_fixed, where, first),
                )[0]
                self._years[label] = self.filters.keep_period(parsed)
            keep.append(self._years[label])
        return np.asarray(keep, dtype=bool)[codes]

    def part(self, frame: pd.DataFrame, offset: int, *, typed: bool) -> None:
        """Check, filter and keep one batch (rows ``offset`` … of the source)."""

        def where(pos: int) -> str:
            return self.locate(offset + pos)

        layout, columns = self._columns(frame, where)
        period = columns["period"]
        flows = columns["flows"]
        reporter = to_iso3(
            columns["reporter_code"], columns["reporter_iso"], "reporter", where, unknown_ok=True
        )
        partner = to_iso3(
            columns["partner_code"], columns["partner_iso"], "partner", where, unknown_ok=True
        )
        product = _hs(columns["product"], columns["level"])
        mask = self._mask(period, reporter, partner, product, where)
        rows = np.flatnonzero(mask)
        kept = mask.all()

        def pick(column: pd.Series) -> pd.Series:
            return column if kept else column.iloc[rows].reset_index(drop=True)

        def at(pos: int) -> str:
            return where(int(rows[pos]))

        frame = frame if kept else frame.iloc[rows].reset_index(drop=True)
        reporter, partner, product = pick(reporter), pick(partner), pick(product)
        period, flows = pick(period), pick(flows)
        _check_codes(
            reporter,
            partner,
            flows,
            pick(columns["reporter_code"]),
            pick(columns["partner_code"]),
            at,
        )
        keys = {"reporter": reporter, "partner": partner, "flows": flows, "product": product}
        out = _rows(frame, keys, period, columns["value_name"], columns["names"], at, typed=typed)
        if len(out):
            if self.first_period is None:
                self.first_period = str(period.iloc[0])
            self.parts.append(out)
            self.rows.append(rows + offset)
        self.layout = layout

    def _mask(
        self,
        period: pd.Series,
        reporter: pd.Series,
        partner: pd.Series,
        product: pd.Series,
        where: Callable[[int], str],
    ) -> np.ndarray:
        """The rows the filters keep (years, countries, products)."""
        mask = np.ones(len(period), dtype=bool)
        if self.filters.years is not None:
            mask &= self._keep_year(period, where)
        if self.filters.countries is not None:
            wanted = list(self.filters.countries)
            mask &= (reporter.isin(wanted) | partner.isin(wanted)).to_numpy()
        if self.filters.products is not None:
            codes, uniques = pd.factorize(product.astype(object))
            mask &= np.asarray([self.filters.keep_product(u) for u in uniques], dtype=bool)[codes]
        return mask

    def _columns(
        self, frame: pd.DataFrame, where: Callable[[int], str]
    ) -> tuple[str, dict[str, Any]]:
        """The layout of a batch and its key columns (checks that hold for every row)."""
        if "primaryValue" in frame.columns or "flowCode" in frame.columns:
            return "UN Comtrade (current)", self._current_columns(frame)
        if "Trade Value (US$)" in frame.columns or "Trade Flow Code" in frame.columns:
            return "UN Comtrade (legacy)", _legacy_columns(frame, "UN Comtrade (legacy)")
        raise DataValidationError(
            "columns: not a UN Comtrade layout; the current layout needs "
            f"{', '.join(_NEW.values())}, the legacy one {_LEGACY['flow']}, {_LEGACY['value']}; "
            f"columns found: {', '.join(map(str, frame.columns))}",
            field="columns",
            value=[str(c) for c in frame.columns],
        )

    def _current_columns(self, frame: pd.DataFrame) -> dict[str, Any]:
        """The key columns of the current layout (checks the frequency and the breakdowns)."""
        layout = "UN Comtrade (current)"
        _require(frame, [*_NEW.values(), "reporterCode", "partnerCode"], layout)
        if "freqCode" in frame.columns:
            self._check_freq(frame["freqCode"])
        for col, total in (("motCode", "0"), ("customsCode", "C00"), ("partner2Code", "0")):
            if col in frame.columns:
                other = sorted(_distinct(frame[col], str.strip) - {total, "", "nan"})
                if other:
                    raise DataValidationError(
                        f"{col}: rows broken down by {col} ({', '.join(other[:5])}) would "
                        f"be double counted; keep only the totals ({col} = {total})",
                        field=col,
                        value=other[:5],
                    )
        if "period" in frame.columns:
            period = _mapped(frame["period"], str.strip)
        else:
            _require(frame, ["refYear"], layout)
            period = _mapped(frame["refYear"], str.strip)
            if self.freq_code == "M":
                if "refMonth" not in frame.columns:
                    raise DataValidationError(
                        "refMonth: monthly rows (freqCode M) without a period column need "
                        "refYear and refMonth; columns found: "
                        f"{', '.join(map(str, frame.columns))}",
                        field="refMonth",
                        value=None,
                    )
                month = _mapped(frame["refMonth"], lambda v: v.strip().zfill(2))
                period = period + "-" + month
        return {
            "period": period,
            "flows": _mapped(frame["flowCode"], lambda v: v.strip().upper()),
            "reporter_code": frame["reporterCode"],
            "reporter_iso": frame.get("reporterISO"),
            "partner_code": frame["partnerCode"],
            "partner_iso": frame.get("partnerISO"),
            "product": frame["cmdCode"],
            "level": frame.get("aggrLevel"),
            "value_name": "primaryValue",
            "names": {
                "quantity": "qty",
                "quantity_unit": "qtyUnitAbbr",
                "net_weight": "netWgt",
            },
        }

    def _check_freq(self, column: pd.Series) -> None:
        found = _distinct(column, lambda v: v.strip().upper())
        if self.freq_code is not None:
            found.add(self.freq_code)
        freqs = sorted(found)
        if len(freqs) > 1:
            raise DataValidationError(
                f"freqCode: the file mixes frequencies {', '.join(freqs)}; read annual and "
                "monthly rows separately (filter freqCode first)",
                field="freqCode",
                value=freqs,
            )
        if freqs[0] not in ("A", "M"):
            raise DataValidationError(
                f"freqCode: {freqs[0]!r} is not 'A' (annual) or 'M' (monthly)",
                field="freqCode",
                value=freqs[0],
            )
        self.freq_code = freqs[0]

    def panel(self, published: str | None) -> TradePanel:
        if not self.parts:
            raise InsufficientDataError(f"read_comtrade: no row of {self.name} matches the filters")
        out = pd.concat(self.parts, ignore_index=True) if len(self.parts) > 1 else self.parts[0]
        rows = np.concatenate(self.rows)

        def where(pos: int) -> str:
            return self.locate(int(rows[pos]))

        label = f"{self.name} ({self.layout})"
        panel = TradePanel._located(out, where, unit="USD", source=label, published=published)
        if self.freq_code is not None and panel.frequency.value != self.freq_code:
            wanted = Frequency.parse(self.freq_code).label
            raise DataValidationError(
                f"freqCode: the rows are {wanted} (freqCode {self.freq_code}) but the period "
                f"{self.first_period!r} at {where(0)} is {panel.frequency.label}; fix the "
                "period (or refYear/refMonth) column",
                field="freqCode",
                value=self.freq_code,
            )
        return panel


def _legacy_columns(frame: pd.DataFrame, layout: str) -> dict[str, Any]:
    """The key columns of the legacy layout (``Trade Value (US$)``, ``Trade Flow Code``)."""
    _require(
        frame,
        [_LEGACY[k] for k in ("flow", "product", "value", "reporter_code", "partner_code")],
        layout,
    )
    if "Period" not in frame.columns:
        _require(frame, ["Year"], layout + " (without Period)")
    period = _mapped(frame["Period"] if "Period" in frame.columns else frame["Year"], str.strip)
    flows = _mapped(
        frame["Trade Flow Code"],
        lambda v: _LEGACY_FLOWS.get(v.strip().lower(), v.strip().lower().upper()),
    )
    return {
        "period": period,
        "flows": flows,
        "reporter_code": frame["Reporter Code"],
        "reporter_iso": frame.get("Reporter ISO"),
        "partner_code": frame["Partner Code"],
        "partner_iso": frame.get("Partner ISO"),
        "product": frame["Commodity Code"],
        "level": frame.get("Aggregate Level"),
        "value_name": "Trade Value (US$)",
        "names": {
            "quantity": "Qty",
            "quantity_unit": "Qty Unit",
            "net_weight": "Netweight (kg)",
        },
    }


def _check_codes(
    reporter: pd.Series,
    partner: pd.Series,
    flows: pd.Series,
    reporter_code: pd.Series,
    partner_code: pd.Series,
    at: Callable[[int], str],
) -> None:
    """Refuse country codes with no ISO 3166 code and flows other than X, M, RX, RM."""
    for field, iso, code in (
        ("reporter", reporter, reporter_code),
        ("partner", partner, partner_code),
    ):
        unknown = (iso == "").to_numpy()
        if unknown.any():
            raise _unknown_codes(
                field, [plain(c) for c in pd.unique(code[unknown])], at(int(np.argmax(unknown)))
            )
    unknown_flows = sorted(set(pd.unique(flows)) - set(_FLOWS))
    if unknown_flows:
        first = int(np.argmax(flows.isin(unknown_flows).to_numpy()))
        raise DataValidationError(
            f"flowCode: flows {', '.join(str(u) or '(empty)' for u in unknown_flows)} are "
            "not exports, imports, re-exports or re-imports (X, M, RX, RM; the first at "
            f"{at(first)}); filter them out first",
            field="flowCode",
            value=unknown_flows,
        )


def _rows(
    frame: pd.DataFrame,
    keys: dict[str, pd.Series],
    period: pd.Series,
    value_name: str,
    names: dict[str, str],
    at: Callable[[int], str],
    *,
    typed: bool,
) -> pd.DataFrame:
    """The panel rows of a batch: keys, period, value, and quantities where given.

    Raises :class:`_RetryError` when a typed batch holds cells only the text reading can
    name (an empty value, a ``'nan'`` amount).
    """
    value = numbers_of(frame[value_name], value_name, at)
    empty = np.isnan(value)
    if empty.any():
        if typed:
            raise _RetryError  # an empty or 'nan' cell: the text reading names it
        row = int(np.argmax(empty))
        raise DataValidationError(
            f"{value_name} at {at(row)}: the trade value is empty; every row needs one "
            "(filter such rows out first)",
            field=value_name,
            value=None,
        )
    out = pd.DataFrame(
        {
            "reporter": keys["reporter"],
            "partner": keys["partner"],
            "flow": keys["flows"].map(_FLOWS),
            "product": keys["product"],
            "period": period,
            "value": value,
        }
    )
    for col, theirs in names.items():
        if theirs in frame.columns:
            raw = frame[theirs]
            if col == "quantity_unit":
                out[col] = raw
                continue
            amounts = numbers_of(raw, theirs, at)
            if (
                typed
                and np.isnan(amounts).any()
                and not np.array_equal(np.isnan(amounts), raw.isna().to_numpy())
            ):
                raise _RetryError  # 'nan' is not a number
            out[col] = amounts
    return out


def _fold(frame: pd.DataFrame) -> pd.DataFrame:
    """Add re-exports to exports and re-imports to imports (rows already validated).

    A quantity or net weight is summed only where every row of the sum has one (else it is
    unknown, NaN); quantities in different units are refused.
    """
    frame = frame.assign(
        flow=frame["flow"]
        .astype(object)
        .replace({"re-exports": "exports", "re-imports": "imports"})
    )
    keys = [*KEYS, "period"]
    grouped = frame.groupby(keys, sort=False, dropna=False)
    out = grouped["value"].sum().reset_index()
    size = grouped.size().to_numpy()
    if "quantity_unit" in frame.columns:
        units = grouped["quantity_unit"].nunique().to_numpy()
        if (units > 1).any():
            group = int(np.argmax(units > 1))
            key = out.iloc[group]
            found = frame[(frame[keys] == key[keys]).all(axis=1)]["quantity_unit"].dropna()
            raise DataValidationError(
                f"quantity_unit: fold_reexports=True would add quantities in "
                f"{', '.join(sorted(set(found)))} for {key['reporter']}→{key['partner']} "
                f"{key['flow']} {key['product']} {key['period']}; read with "
                "fold_reexports=False, or drop the quantity columns first",
                field="quantity_unit",
                value=sorted(set(found)),
            )
        out["quantity_unit"] = grouped["quantity_unit"].first().to_numpy()
    for col in ("quantity", "net_weight"):
        if col in frame.columns:
            total = grouped[col].sum(min_count=1).to_numpy(dtype=np.float64)
            complete = grouped[col].count().to_numpy() == size
            out[col] = np.where(complete, total, np.nan)
    return out
