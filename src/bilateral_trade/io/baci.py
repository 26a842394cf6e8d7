"""CEPII BACI files (``t, i, j, k, v, q``) into a TradePanel, batch by batch."""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Iterable
from functools import partial
from pathlib import Path
from typing import Any, Literal, overload

import numpy as np
import pandas as pd

from .._util.checks import check_choice
from .._util.files import LineMap, read_table
from .._util.progress import byte_progress
from ..data import hs
from ..data.panel import TradePanel, numbers_of
from ..errors import DataValidationError, InsufficientDataError
from ._filters import ENGINES, Filters
from ._stream import Codes, Located, UnparsedError, csv_batches, dictionary, expand_paths, header_of
from .comtrade import COMTRADE_SPECIAL_CODES

__all__ = ["read_baci"]

_DIGITS = re.compile(r"^\d+$")
_REQUIRED = ("t", "i", "j", "k", "v")
_BAD = "?"  # prefix of a country cell that is not a number


def _country_table(path: str | Path) -> dict[str, str]:
    """BACI's ``country_codes`` file: numeric code (canonical digits) → ISO3."""
    name = Path(path).name
    table = read_table(path)
    code = "country_code"
    iso = next((c for c in ("iso_3digit_alpha", "country_iso3") if c in table.columns), None)
    if code not in table.columns or iso is None:
        raise DataValidationError(
            f"country_codes: {name} needs country_code and iso_3digit_alpha (or "
            f"country_iso3); columns found: {', '.join(map(str, table.columns))}",
            field="country_codes",
            value=[str(c) for c in table.columns],
        )
    lines = LineMap(path)
    out: dict[str, str] = {}
    for pos, (raw, alpha) in enumerate(zip(table[code].tolist(), table[iso].tolist(), strict=True)):
        number = raw.strip()
        if not _DIGITS.match(number):
            raise DataValidationError(
                f"country_codes at {lines(pos)} of {name}: the country code {raw!r} is not a "
                "number",
                field="country_codes",
                value=raw,
            )
        key, text = str(int(number)), alpha.strip().upper()
        if not text:
            continue
        if out.get(key, text) != text:
            raise DataValidationError(
                f"country_codes at {lines(pos)} of {name}: code {key} is {text} here but "
                f"{out[key]} above; one code has one ISO3 code",
                field="country_codes",
                value=key,
            )
        out[key] = text
    return out


def _canonical_product(raw: str) -> str:
    """An HS6 code: 6 digits, or 5 whose leading zero was lost; any other cell is marked.

    A CSV file that went through a spreadsheet or a reader of numbers drops the leading zero
    of the codes of HS chapters 01-09 (``"030111"`` becomes ``30111``): exactly one zero is
    restored. A code of 1-4 digits cannot be told apart from a truncated one (``2710`` is a
    heading, not the code ``002710``, which does not exist), and text such as ``TOTAL`` is no
    HS6 code: both are kept as written, marked, and refused with their line.
    """
    text = raw.strip()
    if _DIGITS.match(text) and len(text) in (5, 6):
        return text.zfill(6)
    return _BAD + raw


def _canonical_country(raw: str) -> str:
    """``"004"`` and ``" 4"`` are both ``"4"``; a cell that is not a number is marked."""
    text = raw.strip()
    return str(int(text)) if _DIGITS.match(text) else _BAD + text


def _m49_iso3(code: str) -> str:
    from ..data.countries import m49_to_iso3

    number = int(code)
    return COMTRADE_SPECIAL_CODES.get(number) or m49_to_iso3(number) or ""


class _RetryError(Exception):
    """The typed reading of a file met a cell it cannot vouch for: read the file as text."""


class _Reader:
    """One call of :func:`read_baci`: code tables and kept rows of every file."""

    def __init__(
        self,
        files: list[Path],
        table: dict[str, str] | None,
        table_name: str | None,
        filters: Filters,
        progress: Callable[[int], None] | None,
    ) -> None:
        self.files = files
        self.table = table
        self.table_name = table_name
        self.filters = filters
        self.progress = progress
        self.periods: Codes[str] = Codes(str.strip)
        self.products: Codes[str] = Codes(_canonical_product)
        self.countries: Codes[str] = Codes(_canonical_country)
        self.located = Located(many=len(files) > 1)
        self.parts: list[dict[str, np.ndarray]] = []
        self.has_quantity = False
        self._tables: dict[str, tuple[int, np.ndarray]] = {}
        self._lut = np.full(1000, -1, dtype=np.intp)  # country number -> code

    # ------------------------------------------------------------ code tables
    def _cached(self, name: str, codes: Codes[Any], fn: Callable[[Any], Any], dtype: Any) -> Any:
        size, table = self._tables.get(name, (-1, np.empty(0)))
        if size != len(codes.values):
            table = codes.table(fn, dtype)
            self._tables[name] = (len(codes.values), table)
        return table

    def _iso(self, code: str) -> str:
        if code.startswith(_BAD):
            return ""
        if self.table is not None:
            return self.table.get(code, "")
        return _m49_iso3(code)

    def _year_keep(self, where: Callable[[str], str]) -> np.ndarray:
        from ..data.periods import parse_period_column

        def keep(label: str) -> bool:
            period = parse_period_column(
                pd.Series([label], dtype=object), field="period", locate=lambda _: where(label)
            )[0]
            return self.filters.keep_period(period)

        return np.asarray(self._cached("years", self.periods, keep, bool))

    def _countries(self, column: tuple[np.ndarray, list[str]] | np.ndarray) -> np.ndarray:
        """Country codes of a batch: dictionary text, or numbers (typed reading)."""
        if isinstance(column, tuple):
            indices, raws = column
            looked: np.ndarray = self.countries.lookup(raws)[indices]
            return looked
        # numbers: a lookup table indexed by the number itself ("4" and "004" are 4)
        top = int(column.max()) if len(column) else 0
        if len(column) and (int(column.min()) < 0 or top > 999_999):
            raise _RetryError  # the text reading names the cell
        if top >= len(self._lut):
            grown = np.full(top + 1, -1, dtype=np.intp)
            grown[: len(self._lut)] = self._lut
            self._lut = grown
        codes = self._lut[column]
        if (codes < 0).any():
            new = np.unique(column[codes < 0])
            self._lut[new] = self.countries.lookup([str(v) for v in new.tolist()])
            codes = self._lut[column]
        out: np.ndarray = codes
        return out

    # ------------------------------------------------------------------ batches
    def _batch(
        self,
        path: Path,
        offset: int,
        columns: dict[str, Any],
        numbers: dict[str, Any],
        typed: bool,
    ) -> int:
        """Filter, check and keep one batch; return its number of rows."""
        t_idx, t_dict = columns["t"]
        n = len(t_idx)
        t = self.periods.lookup(t_dict)[t_idx]
        k = self.products.lookup(columns["k"][1])[columns["k"][0]]
        i = self._countries(columns["i"])
        j = self._countries(columns["j"])
        mask = np.ones(n, dtype=bool)

        def first_line(hits: np.ndarray) -> str:
            return self.located.line(path, offset + int(np.argmax(hits)))

        if self.filters.years is not None:

            def label_line(label: str) -> str:
                return first_line(np.asarray(self.periods.values, dtype=object)[t] == label)

            mask &= self._year_keep(label_line)[t]
        product_marks = self._cached(
            "product_marks", self.products, lambda v: v.startswith(_BAD), bool
        )
        if product_marks.any() and (hits := mask & product_marks[k]).any():
            item = self.products.values[k[int(np.argmax(hits))]][len(_BAD) :]
            raise DataValidationError(
                f"k at {first_line(hits)}: {item!r} is not an HS6 product code; BACI codes "
                "have 6 digits (a code of 5 digits gets back the leading zero it lost when "
                "read as a number: 30111 is 030111; codes of other lengths are refused)",
                field="k",
                value=item,
            )
        if self.filters.products is not None:
            mask &= self._cached("products", self.products, self.filters.keep_product, bool)[k]
        # the checks look at the rows only when the small code table has a bad code at all
        marks = self._cached("marks", self.countries, lambda v: v.startswith(_BAD), bool)
        for field, codes in (("i", i), ("j", j)):
            if not marks.any():
                break
            hits = mask & marks[codes]
            if hits.any():
                item = self.countries.values[codes[int(np.argmax(hits))]][len(_BAD) :]
                raise DataValidationError(
                    f"{field} at {first_line(hits)}: {item!r} is not a numeric country code",
                    field=field,
                    value=item,
                )
        iso = self._cached("iso", self.countries, self._iso, object)
        known = iso != ""
        if not known.all():
            unknown = {f: codes[mask & ~known[codes]] for f, codes in (("i", i), ("j", j))}
            if any(len(u) for u in unknown.values()):
                self._unknown(unknown)
        if self.filters.countries is not None:
            wanted = self.filters.countries
            keep = self._cached("countries", self.countries, lambda v: self._iso(v) in wanted, bool)
            mask &= keep[i] | keep[j]
        rows = None if not self.filters.active or mask.all() else np.flatnonzero(mask)
        kept = len(rows) if rows is not None else n

        def where(pos: int) -> str:
            return self.located.line(path, offset + (int(rows[pos]) if rows is not None else pos))

        value, quantity = self._numbers(numbers, mask, rows, typed, where)
        part = {
            "i": i if rows is None else i[rows],
            "j": j if rows is None else j[rows],
            "k": k if rows is None else k[rows],
            "t": t if rows is None else t[rows],
            "v": value,
            # the data rows kept: [offset, n] when all of them (no array a row)
            "rows": rows + offset if rows is not None else np.asarray([offset, n]),
            "all": np.asarray(rows is None),
        }
        if quantity is not None:
            part["q"] = quantity
        if kept:
            self.parts.append(part)
        return n

    def _numbers(
        self,
        numbers: dict[str, Any],
        mask: np.ndarray,
        rows: np.ndarray | None,
        typed: bool,
        where: Callable[[int], str],
    ) -> tuple[np.ndarray, np.ndarray | None]:
        """Values (USD) and quantities of the kept rows, as the reference reader reads them."""
        import pyarrow as pa

        def kept(column: Any) -> Any:
            return column if rows is None else column.filter(pa.array(mask))

        quantity = None
        if typed:
            value = np.asarray(kept(numbers["v"]).to_numpy(zero_copy_only=False), dtype=np.float64)
            if np.isnan(value).any():
                raise _RetryError  # an empty, NA or nan cell: the text reading names it
            if "q" in numbers:
                q = kept(numbers["q"])
                quantity = np.asarray(q.to_numpy(zero_copy_only=False), dtype=np.float64)
                null = np.asarray(q.is_null().to_numpy(zero_copy_only=False))
                if (np.isnan(quantity) & ~null).any():
                    raise _RetryError  # 'nan' is not a number
        else:
            v = _texts(kept(numbers["v"]))
            value = numbers_of(v, "v", where)
            empty = np.isnan(value)
            if empty.any():
                row = int(np.argmax(empty))
                raise DataValidationError(
                    f"v at {where(row)}: the trade value is empty; every row needs one",
                    field="v",
                    value=None,
                )
            if "q" in numbers:
                q = _texts(kept(numbers["q"])).str.strip()
                quantity = numbers_of(q.where(q != "NA", ""), "q", where)
        with np.errstate(over="ignore"):
            usd = value * 1000.0
        overflow = np.isinf(usd) & np.isfinite(value)
        if overflow.any():
            if typed:
                raise _RetryError  # the text reading quotes the value as written
            row = int(np.argmax(overflow))
            written = str(_texts(kept(numbers["v"]))[row]).strip()
            raise DataValidationError(
                f"v at {where(row)}: {written} thousand USD is too large to convert to USD "
                "(times 1000 it exceeds the largest floating-point number, about 1.8e308); "
                "a BACI value is never that large: the file is damaged",
                field="v",
                value=float(value[row]),
            )
        return usd, quantity

    def _unknown(self, unknown: dict[str, np.ndarray]) -> None:
        values = self.countries.values
        if self.table is not None:
            found = {values[c] for u in unknown.values() for c in np.unique(u)}
            codes = sorted(found, key=int)
            raise DataValidationError(
                f"i/j: country codes {', '.join(codes[:10])} are not in {self.table_name}",
                field="i",
                value=codes[:10],
            )
        for field, u in unknown.items():
            if len(u):
                _, first = np.unique(u, return_index=True)
                codes = [values[c] for c in u[np.sort(first)]]
                raise DataValidationError(
                    f"{field}: codes {', '.join(codes[:10])} have no ISO 3166-1 alpha-3 "
                    "equivalent (areas n.e.s., groups); filter them out before reading",
                    field=field,
                    value=codes[:10],
                )

    # -------------------------------------------------------------------- files
    def read_file(self, path: Path) -> None:
        header = header_of(path)
        if (
            header is None
            or len(set(header)) != len(header)
            or any(c not in header for c in _REQUIRED)
        ):
            self._read_frame(path)  # the reference reader names what is wrong
            return
        start = len(self.parts)
        quantity = "q" in header
        for typed in (True, False):
            try:
                rows = self._read_arrow(path, typed, quantity)
                break
            except (_RetryError, UnparsedError):
                del self.parts[start:]
        else:
            self._read_frame(path)
            return
        if rows == 0:
            read_table(path)  # a header without data rows: the reference error
        self._done(path, start, quantity)

    def _read_arrow(self, path: Path, typed: bool, quantity: bool) -> int:
        import pyarrow as pa

        word = pa.dictionary(pa.int32(), pa.string())
        number = pa.float64() if typed else pa.string()
        country = pa.int64() if typed else word  # a number, or text the reference reads
        types = {"t": word, "i": country, "j": country, "k": word, "v": number}
        if quantity:
            types["q"] = number
        offset = 0
        for batch in csv_batches(
            path,
            types,
            null_values=("", "NA") if typed else (),
            progress=self.progress if typed else None,
            newlines=not typed,
            whole=typed and not self.filters.active,  # every row is kept: parse in parallel
        ):
            columns: dict[str, Any] = {c: dictionary(batch.column(c)) for c in ("t", "k")}
            for c in ("i", "j"):
                col = batch.column(c)
                if not typed:
                    columns[c] = dictionary(col)
                elif col.null_count:
                    raise _RetryError  # an empty cell: the text reading names it
                else:
                    columns[c] = np.asarray(col.to_numpy(), dtype=np.int64)
            numbers: dict[str, Any] = {c: batch.column(c) for c in ("v", "q") if c in types}
            offset += self._batch(path, offset, columns, numbers, typed)
        return offset

    def _read_frame(self, path: Path) -> None:
        """Read a file pyarrow cannot parse with the reference reader (typed errors)."""
        import pyarrow as pa

        frame = read_table(path)
        missing = [c for c in _REQUIRED if c not in frame.columns]
        if missing:
            raise DataValidationError(
                f"columns: the BACI layout needs t, i, j, k, v (and q); missing "
                f"{', '.join(missing)}; columns found: {', '.join(map(str, frame.columns))}",
                field="columns",
                value=missing,
            )
        columns = {}  # a short row is refused by read_table, naming its line
        for col in ("t", "i", "j", "k"):
            codes, uniques = pd.factorize(frame[col].astype(object))
            columns[col] = (np.asarray(codes, dtype=np.intp), [str(u) for u in uniques])
        numbers = {
            c: pa.array(frame[c].astype(object).tolist(), type=pa.string())
            for c in ("v", "q")
            if c in frame.columns
        }
        start = len(self.parts)
        self._batch(path, 0, columns, numbers, typed=False)
        self._done(path, start, "q" in frame.columns)

    def _done(self, path: Path, start: int, quantity: bool) -> None:
        parts = self.parts[start:]
        if quantity:
            self.has_quantity = True
        else:
            for part in parts:
                part["q"] = np.full(len(part["v"]), np.nan)
                part["no_q"] = np.ones(1, dtype=bool)
        spans = [(p.pop("rows"), bool(p.pop("all"))) for p in parts]
        count = sum(len(p["v"]) for p in parts)
        if all(whole for _, whole in spans) and all(
            int(r[0]) == sum(int(q[1]) for q, _ in spans[:k]) for k, (r, _) in enumerate(spans)
        ):
            self.located.add(path, None, count)  # every row, in order: no array needed
            return
        rows = [np.arange(int(r[0]), int(r[0]) + int(r[1])) if whole else r for r, whole in spans]
        self.located.add(path, np.concatenate(rows), count)

    # ------------------------------------------------------------------- panel
    def panel(
        self,
        source: str,
        published: str | None,
        empty_ok: bool = False,
        hs_revision: str | None = None,
    ) -> TradePanel | None:
        parts = self.parts
        if not parts and empty_ok:
            return None
        if not parts:
            names = ", ".join(p.name for p in self.files)
            raise InsufficientDataError(f"read_baci: no row of {names} matches the filters")
        iso_codes, iso_values = pd.factorize(
            pd.Series(self._cached("iso", self.countries, self._iso, object), dtype=object)
        )

        def column(name: str) -> np.ndarray:
            return np.concatenate([p[name] for p in parts])

        def categorical(codes: np.ndarray, categories: list[str]) -> pd.Categorical:
            return pd.Categorical.from_codes(codes, categories=pd.Index(categories, dtype=object))

        n = sum(len(p["v"]) for p in parts)
        countries = list(iso_values)
        frame = pd.DataFrame(
            {
                "reporter": categorical(iso_codes[column("i")], countries),
                "partner": categorical(iso_codes[column("j")], countries),
                "flow": categorical(np.zeros(n, dtype=np.int8), ["exports"]),
                "product": categorical(column("k"), self.products.values),
                "period": categorical(column("t"), self.periods.values),
                "value": column("v"),
            }
        )
        if self.has_quantity:
            frame["quantity"] = column("q")
            unit = np.zeros(n, dtype=np.int8)
            if any("no_q" in p for p in parts):
                none = np.concatenate([np.full(len(p["v"]), "no_q" in p) for p in parts])
                unit[none] = -1  # no quantity column in that file: no unit
            frame["quantity_unit"] = pd.Categorical.from_codes(
                unit, categories=pd.Index(["t"], dtype=object)
            )
        return TradePanel._located(
            frame,
            self.located,
            unit="USD",
            source=source,
            published=published,
            hs_revision=hs_revision,
        )


def _texts(column: Any) -> pd.Series:
    """A pyarrow string column as a pandas Series of Python strings."""
    return pd.Series(column.to_pylist(), dtype=object)


@overload
def read_baci(
    path: str | os.PathLike[str] | Iterable[str | os.PathLike[str]],
    *,
    country_codes: str | Path | None = ...,
    countries: str | Iterable[str] | None = ...,
    products: str | Iterable[str] | None = ...,
    years: int | Iterable[int] | None = ...,
    published: str | None = ...,
    engine: Literal["pandas"] = ...,
    progress: bool | Callable[[int], None] = ...,
) -> TradePanel: ...


@overload
def read_baci(
    path: str | os.PathLike[str] | Iterable[str | os.PathLike[str]],
    *,
    country_codes: str | Path | None = ...,
    countries: str | Iterable[str] | None = ...,
    products: str | Iterable[str] | None = ...,
    years: int | Iterable[int] | None = ...,
    published: str | None = ...,
    engine: Literal["dask"],
    progress: bool | Callable[[int], None] = ...,
) -> Any: ...


def read_baci(
    path: str | os.PathLike[str] | Iterable[str | os.PathLike[str]],
    *,
    country_codes: str | Path | None = None,
    countries: str | Iterable[str] | None = None,
    products: str | Iterable[str] | None = None,
    years: int | Iterable[int] | None = None,
    published: str | None = None,
    engine: Literal["pandas", "dask"] = "pandas",
    progress: bool | Callable[[int], None] = False,
) -> Any:
    """Read BACI files: one row per exporter ``i``, importer ``j``, HS6 product ``k``, year ``t``.

    BACI reconciles the declarations of both sides into one value per flow, so every row
    becomes the exporter's ``exports`` to the importer (reporter = exporter). Values ``v``
    are in thousands of USD and are converted to USD; quantities ``q`` are metric tons
    (``quantity_unit = "t"``; ``NA`` or an empty cell is an unknown quantity). Product codes
    keep their leading zero: a code has 6 digits, and a code of 5 digits gets back the one
    leading zero a reader of numbers drops (``30111`` is ``030111``); any other code
    (``2710``, ``TOTAL``, an empty cell) is refused with its line, quoted as written. A
    value too large to convert to USD (``1e306`` thousand, beyond the largest float) is
    refused with its line, never read as infinite. Country codes come from BACI's
    ``country_codes`` file when
    given, otherwise from the ISO 3166-1 numeric table (with the UN Comtrade codes BACI
    shares, such as 842 for the USA). A row whose exporter is its own importer (``i == j``)
    is refused, naming its line: BACI has none, so such a row means a damaged file.

    Files are read batch by batch with pyarrow's CSV reader; codes are mapped once per
    distinct code, and the filters are applied to each batch as it is read, so a filtered
    read of a large file never holds the whole file. Key columns of the panel are
    categorical, values float64.

    Parameters
    ----------
    path : path, glob pattern or list of paths
        ``"BACI_HS17_Y2019_V202301.csv"``, ``"BACI_HS17_Y*.csv"`` (sorted by name) or a list.
    country_codes : path, optional
        BACI's ``country_codes_V*.csv`` (columns ``country_code`` and ``iso_3digit_alpha`` or
        ``country_iso3``).
    countries : ISO3 code or iterable of them, optional
        Keep rows whose exporter or importer is one of these (a string is one code).
    products : str or iterable of str, optional
        Keep rows whose HS6 code starts with one of these (``"6704"``, ``["27", "0301"]``;
        a string is one code): HS codes of 2, 4 or 6 digits, as text.
    years : int or iterable of int, optional
        Keep rows of these years (``2019``, ``range(2015, 2020)``).
    published : str, optional
        Publication or download date of the files (BACI's version, say), kept in the panel.
    engine : {"pandas", "dask"}, default "pandas"
        ``"dask"`` returns a lazy ``dask.dataframe.DataFrame`` with the panel's columns and
        dtypes, one partition per file, each read and validated like a panel when computed
        (the ``dask`` extra).
    progress : bool, default False
        A progress bar on stderr (bytes read). A callable (told the bytes of each batch, the
        old form) still works, with a ``FutureWarning``.

    Returns
    -------
    TradePanel or dask.dataframe.DataFrame

    Raises
    ------
    DataValidationError
        A file that cannot be read as CSV (empty, not UTF-8, a row with more or fewer
        fields than the header), missing columns (naming them), unknown or malformed
        country codes (in the data or in ``country_codes``), a product code that is not
        HS6, a bad filter (an empty list included), a value that is empty, not a number or
        too large, or any check of :class:`TradePanel`; errors name the line of the file
        (line 1 is the header) and, when several files are read, the file.
    InsufficientDataError
        A header without data rows, or filters that leave no row.
    OSError
        A missing or unreadable file (FileNotFoundError, PermissionError), or a pattern
        that matches no file.

    Notes
    -----
    A file that pyarrow cannot parse, or a cell it cannot vouch for (an empty value, say),
    is read again as text by the reference reader, which names the offending line; a
    well-formed file is read once.
    """
    check_choice(engine, "engine", ENGINES)
    filters = Filters.of(countries, products, years)
    files = expand_paths(path)
    if engine == "dask":
        from .dask import read_baci_dask

        if country_codes is not None:
            _country_table(country_codes)  # a bad table is refused now, not in every worker
        read = partial(
            baci_panel,
            country_codes=None if country_codes is None else str(country_codes),
            filters=filters,
            published=published,
            empty_ok=True,
        )
        return read_baci_dask(files, read=read)
    callback, bar = byte_progress(progress, files, "reading", "read_baci")
    try:
        panel = baci_panel(
            files,
            country_codes=country_codes,
            filters=filters,
            published=published,
            progress=callback,
        )
    finally:
        if bar is not None:
            bar.close()
    assert panel is not None  # empty_ok is False: no row raises
    return panel


def baci_panel(
    files: list[Path],
    *,
    country_codes: str | Path | None,
    filters: Filters,
    published: str | None = None,
    progress: Callable[[int], None] | None = None,
    empty_ok: bool = False,
) -> TradePanel | None:
    """The panel of BACI files (validated filters and expanded paths).

    With ``empty_ok``, filters that leave no row give None instead of an error.
    """
    table = None if country_codes is None else _country_table(country_codes)
    name = None if country_codes is None else Path(country_codes).name
    reader = _Reader(files, table, name, filters, progress)
    for file in files:
        reader.read_file(file)
    source = f"{', '.join(f.name for f in files)} (CEPII BACI)"
    return reader.panel(source, published, empty_ok, hs_revision=revision_of(files))


_BACI_NAME = re.compile(r"^BACI_HS(\d\d)_", re.IGNORECASE)


def revision_of(files: list[Path]) -> str | None:
    """The HS revision named by BACI file names (``BACI_HS17_Y2019_V202401.csv`` → HS2017).

    None when no name follows CEPII's pattern; files of different revisions are refused.
    """
    found = {}
    for file in files:
        match = _BACI_NAME.match(file.name)
        if match:
            found[file.name] = hs.revision(f"HS{match.group(1)}", "file")
    revisions = sorted(set(found.values()))
    if len(revisions) > 1:
        names = ", ".join(f"{n} ({r})" for n, r in found.items())
        raise DataValidationError(
            f"file: the files are in different HS revisions ({names}); read each revision "
            "on its own and convert with bt.hs before combining",
            field="file",
            value=revisions,
        )
    return revisions[0] if revisions else None
