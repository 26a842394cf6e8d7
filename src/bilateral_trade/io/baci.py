"""CEPII BACI files (``t, i, j, k, v, q``) into a TradePanel."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

import numpy as np
import pandas as pd

from ..countries import check_country
from ..errors import DataValidationError, InsufficientDataError
from ..panel import TradePanel
from .comtrade import to_iso3

__all__ = ["read_baci"]


def _country_table(path: str | Path) -> dict[str, str]:
    table = pd.read_csv(path, dtype=str, keep_default_na=False)
    code = "country_code"
    iso = next((c for c in ("iso_3digit_alpha", "country_iso3") if c in table.columns), None)
    if code not in table.columns or iso is None:
        raise DataValidationError(
            f"country_codes: {Path(path).name} needs country_code and iso_3digit_alpha (or "
            f"country_iso3); columns found: {', '.join(table.columns)}",
            field="country_codes",
            value=list(table.columns),
        )
    return {
        str(int(c)): v.strip().upper()
        for c, v in zip(table[code], table[iso], strict=True)
        if v.strip()
    }


def read_baci(
    path: str | Path,
    *,
    country_codes: str | Path | None = None,
    countries: Iterable[str] | None = None,
    products: Iterable[str] | None = None,
) -> TradePanel:
    """Read a BACI file: one row per exporter ``i``, importer ``j``, HS6 product ``k``, year ``t``.

    BACI reconciles the declarations of both sides into one value per flow, so every row
    becomes the exporter's ``exports`` to the importer (reporter = exporter). Values ``v``
    are in thousands of USD and are converted to USD; quantities ``q`` are metric tons
    (``quantity_unit = "t"``). Product codes keep their leading zero. Country codes come from
    BACI's ``country_codes`` file when given, otherwise from the ISO 3166-1 numeric table
    (with the UN Comtrade codes BACI shares, such as 842 for the USA).

    Parameters
    ----------
    path : path
    country_codes : path, optional
        BACI's ``country_codes_V*.csv`` (columns ``country_code`` and ``iso_3digit_alpha`` or
        ``country_iso3``).
    countries : iterable of ISO3 codes, optional
        Keep rows whose exporter or importer is one of these.
    products : iterable of str, optional
        Keep rows whose HS6 code starts with one of these (``"6704"``, ``"27"``).

    Returns
    -------
    TradePanel

    Raises
    ------
    DataValidationError
        Missing columns (naming them) or unknown country codes.
    InsufficientDataError
        If the filters leave no row.
    """
    frame = pd.read_csv(path, dtype=str, keep_default_na=False)
    missing = [c for c in ("t", "i", "j", "k", "v") if c not in frame.columns]
    if missing:
        raise DataValidationError(
            f"columns: the BACI layout needs t, i, j, k, v (and q); missing {', '.join(missing)}; "
            f"columns found: {', '.join(frame.columns)}",
            field="columns",
            value=missing,
        )
    k = frame["k"].str.strip().str.zfill(6)
    if products is not None:
        prefixes = tuple(str(p) for p in products)
        keep = k.str.startswith(prefixes)
        frame, k = frame[keep], k[keep]
    if country_codes is not None:
        table = _country_table(country_codes)
        unknown = sorted(set(frame["i"]).union(frame["j"]) - set(table))
        if unknown:
            raise DataValidationError(
                f"i/j: country codes {', '.join(unknown[:10])} are not in "
                f"{Path(country_codes).name}",
                field="i",
                value=unknown[:10],
            )
        exporter = frame["i"].map(table)
        importer = frame["j"].map(table)
    else:
        exporter = to_iso3(frame["i"], None, "i")
        importer = to_iso3(frame["j"], None, "j")
    if countries is not None:
        wanted = {check_country(c, "countries") for c in countries}
        keep = exporter.isin(wanted) | importer.isin(wanted)
        frame, k, exporter, importer = frame[keep], k[keep], exporter[keep], importer[keep]
    if len(frame) == 0:
        raise InsufficientDataError(f"read_baci: no row of {Path(path).name} matches the filters")
    out = pd.DataFrame(
        {
            "reporter": exporter,
            "partner": importer,
            "flow": "exports",
            "product": k,
            "period": frame["t"].str.strip(),
            "value": pd.to_numeric(frame["v"], errors="coerce") * 1000.0,
        }
    )
    if "q" in frame.columns:
        out["quantity"] = pd.to_numeric(
            frame["q"].replace({"NA": np.nan, "": np.nan}), errors="coerce"
        )
        out["quantity_unit"] = "t"
    return TradePanel(out, unit="USD", source=f"{Path(path).name} (CEPII BACI)")
