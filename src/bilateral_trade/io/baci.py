"""CEPII BACI files (``t, i, j, k, v, q``) into a TradePanel."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping
from pathlib import Path

import numpy as np
import pandas as pd

from .._periods import factorize, plain
from ..countries import check_country
from ..errors import DataValidationError, InsufficientDataError
from ..panel import TradePanel, numbers_of
from ..series import HS_CODE_RE
from ._files import LineMap, read_table
from .comtrade import to_iso3

__all__ = ["read_baci"]


_DIGITS = re.compile(r"^\d+$")


def _as_list(value: object, field: str) -> list[str]:
    """A filter as a list of text codes: one string is one code (never its characters)."""
    items = [value] if isinstance(value, str) else value
    if not isinstance(items, Iterable) or isinstance(items, bytes | Mapping):
        raise DataValidationError(
            f"{field}: expected a code or a list of codes, got {type(value).__name__}",
            field=field,
            value=type(value).__name__,
        )
    out = []
    for item in items:
        if not isinstance(item, str):
            hint = " (give HS codes as strings: '0301', not 301)" if field == "products" else ""
            raise DataValidationError(
                f"{field}: {plain(item)!r} is not a text code{hint}",
                field=field,
                value=plain(item),
            )
        out.append(item)
    return out


def _country_table(path: str | Path) -> dict[str, str]:
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


def _numeric_codes(column: pd.Series, field: str, where: Callable[[int], str]) -> pd.Series:
    """Country codes as canonical digit strings (``"004"`` and ``"4"`` are both ``"4"``)."""
    codes, uniques = factorize(column.str.strip())
    if (codes < 0).any():  # never from a text reader; a null must not take a code's place
        raise DataValidationError(
            f"{field} at {where(int(np.argmax(codes < 0)))}: the country code is empty",
            field=field,
            value=None,
        )
    normal = []
    for k, item in enumerate(uniques):
        if not (isinstance(item, str) and _DIGITS.match(item)):
            raise DataValidationError(
                f"{field} at {where(int(np.argmax(codes == k)))}: {item!r} is not a numeric "
                "country code",
                field=field,
                value=item,
            )
        normal.append(str(int(item)))
    return pd.Series(np.asarray(normal, dtype=object)[codes], index=column.index)


def read_baci(
    path: str | Path,
    *,
    country_codes: str | Path | None = None,
    countries: str | Iterable[str] | None = None,
    products: str | Iterable[str] | None = None,
) -> TradePanel:
    """Read a BACI file: one row per exporter ``i``, importer ``j``, HS6 product ``k``, year ``t``.

    BACI reconciles the declarations of both sides into one value per flow, so every row
    becomes the exporter's ``exports`` to the importer (reporter = exporter). Values ``v``
    are in thousands of USD and are converted to USD; quantities ``q`` are metric tons
    (``quantity_unit = "t"``; ``NA`` or an empty cell is an unknown quantity). Product codes
    keep their leading zero. Country codes come from BACI's ``country_codes`` file when
    given, otherwise from the ISO 3166-1 numeric table (with the UN Comtrade codes BACI
    shares, such as 842 for the USA). A row whose exporter is its own importer (``i == j``)
    is refused, naming its line: BACI has none, so such a row means a damaged file.

    Parameters
    ----------
    path : path
    country_codes : path, optional
        BACI's ``country_codes_V*.csv`` (columns ``country_code`` and ``iso_3digit_alpha`` or
        ``country_iso3``).
    countries : ISO3 code or iterable of them, optional
        Keep rows whose exporter or importer is one of these (a string is one code).
    products : str or iterable of str, optional
        Keep rows whose HS6 code starts with one of these (``"6704"``, ``["27", "0301"]``;
        a string is one code): HS codes of 2, 4 or 6 digits, as text.

    Returns
    -------
    TradePanel

    Raises
    ------
    DataValidationError
        A file that cannot be read as CSV (empty, not UTF-8, ragged rows), missing columns
        (naming them), unknown or malformed country codes (in the data or in
        ``country_codes``), a bad filter, a value that is empty or not a number, or any
        check of :class:`TradePanel`; errors name the line of the file (line 1 is the
        header).
    InsufficientDataError
        A header without data rows, or filters that leave no row.
    OSError
        A missing or unreadable file (FileNotFoundError, PermissionError).
    """
    wanted_products = None if products is None else _as_list(products, "products")
    for code in wanted_products or []:
        if not HS_CODE_RE.match(code.strip()):
            raise DataValidationError(
                f"products: {code!r} is not an HS code of 2, 4 or 6 digits (a prefix of BACI's "
                "HS6 codes, such as '27', '0301' or '670419')",
                field="products",
                value=code,
            )
    wanted_countries = (
        None
        if countries is None
        else {check_country(c, "countries") for c in _as_list(countries, "countries")}
    )
    name = Path(path).name
    frame = read_table(path)
    missing = [c for c in ("t", "i", "j", "k", "v") if c not in frame.columns]
    if missing:
        raise DataValidationError(
            f"columns: the BACI layout needs t, i, j, k, v (and q); missing {', '.join(missing)}; "
            f"columns found: {', '.join(map(str, frame.columns))}",
            field="columns",
            value=missing,
        )
    lines = LineMap(path)
    rows = np.arange(len(frame))
    k = frame["k"].str.strip().str.zfill(6)
    if wanted_products is not None:
        keep = k.str.startswith(tuple(c.strip() for c in wanted_products)).to_numpy()
        frame, k, rows = frame[keep], k[keep], rows[keep]
    where = lines.subset(rows)
    i_codes = _numeric_codes(frame["i"], "i", where)
    j_codes = _numeric_codes(frame["j"], "j", where)
    if country_codes is not None:
        table = _country_table(country_codes)
        unknown = sorted(set(i_codes).union(j_codes) - set(table), key=int)
        if unknown:
            raise DataValidationError(
                f"i/j: country codes {', '.join(unknown[:10])} are not in "
                f"{Path(country_codes).name}",
                field="i",
                value=unknown[:10],
            )
        exporter = i_codes.map(table)
        importer = j_codes.map(table)
    else:
        exporter = to_iso3(i_codes, None, "i", where)
        importer = to_iso3(j_codes, None, "j", where)
    if wanted_countries is not None:
        keep = (exporter.isin(wanted_countries) | importer.isin(wanted_countries)).to_numpy()
        frame, k, exporter, importer = frame[keep], k[keep], exporter[keep], importer[keep]
        rows = rows[keep]
        where = lines.subset(rows)
    if len(frame) == 0:
        raise InsufficientDataError(f"read_baci: no row of {name} matches the filters")
    value = numbers_of(frame["v"], "v", where)
    empty = np.isnan(value)
    if empty.any():
        row = int(np.argmax(empty))
        raise DataValidationError(
            f"v at {where(row)}: the trade value is empty; every row needs one",
            field="v",
            value=None,
        )
    with np.errstate(over="ignore"):
        value = value * 1000.0
    out = pd.DataFrame(
        {
            "reporter": exporter,
            "partner": importer,
            "flow": "exports",
            "product": k,
            "period": frame["t"].str.strip(),
            "value": value,
        }
    )
    if "q" in frame.columns:
        q = frame["q"].str.strip()
        out["quantity"] = numbers_of(q.where(q != "NA", ""), "q", where)
        out["quantity_unit"] = "t"
    return TradePanel._located(out, where, unit="USD", source=f"{name} (CEPII BACI)")
