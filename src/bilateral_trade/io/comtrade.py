"""UN Comtrade files (the current layout and the legacy CSV layout) into a TradePanel."""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterable
from pathlib import Path

import numpy as np
import pandas as pd

from .._periods import Frequency, plain
from ..countries import check_country, m49_to_iso3
from ..errors import DataValidationError
from ..panel import KEYS, TradePanel, frame_rows, numbers_of
from ._files import LineMap, read_table

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
_AMOUNTS = {"primaryValue", "qty", "netWgt", "Trade Value (US$)", "Qty", "Netweight (kg)"}


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
) -> pd.Series:
    """ISO3 codes from an ISO column when valid, else from M49 numeric codes.

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
            unknown.append((k, str(code).strip() or "(empty)"))
            found = ""
        out.append(found)
    if unknown:
        names = list(dict.fromkeys(text for _, text in unknown))
        row = int(np.argmax(np.asarray(pair_codes) == unknown[0][0]))
        raise DataValidationError(
            f"{field}: codes {', '.join(names[:10])} have no ISO 3166-1 alpha-3 "
            f"equivalent (areas n.e.s., groups; the first at {where(row)}); filter them out "
            "before reading",
            field=field,
            value=names[:10],
        )
    return pd.Series(np.asarray(out, dtype=object)[np.asarray(pair_codes)], index=codes.index)


def _hs(codes: pd.Series, levels: pd.Series | None) -> pd.Series:
    """Commodity codes as strings: TOTAL, or HS digits with the leading zero restored."""
    out = []
    level_list = levels.astype(str).str.strip().tolist() if levels is not None else None
    for i, raw in enumerate(codes.astype(str).str.strip().tolist()):
        if raw.upper() in ("TOTAL", "ALL", "TOTAL ALL COMMODITIES"):
            out.append("TOTAL")
            continue
        text = raw[:-2] if raw.endswith(".0") else raw
        if level_list is not None and level_list[i] in ("2", "4", "6"):
            text = text.zfill(int(level_list[i]))
        elif len(text) in (1, 3, 5):
            text = "0" + text  # an HS code read as a number loses its leading zero
        out.append(text)
    return pd.Series(out, index=codes.index, dtype=object)


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

    Parameters
    ----------
    source : path or pandas.DataFrame
    fold_reexports : bool, default False
    published : str, optional
        Publication or download date, recorded in the panel.

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
        quantity, quantities in different units folded together, or any check of
        :class:`TradePanel`. Errors name the line of the file (line 1 is the header), or
        the row of a DataFrame (row 1 is its first).
    InsufficientDataError
        A header without data rows.
    OSError
        A missing or unreadable file (FileNotFoundError, PermissionError).

    Notes
    -----
    With ``fold_reexports=True`` the rows are checked exactly as without it, then
    re-exports are added to exports and re-imports to imports. A quantity or net weight is
    summed only where every row of the sum has one (else it is unknown, NaN).
    """
    if not isinstance(fold_reexports, bool):
        raise DataValidationError(
            f"fold_reexports: {fold_reexports!r} is not True or False",
            field="fold_reexports",
            value=fold_reexports,
        )
    where: Callable[[int], str]
    if isinstance(source, pd.DataFrame):
        frame, name, where = source.reset_index(drop=True), "DataFrame", frame_rows
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
                if c not in _AMOUNTS
            }
        )
    else:
        frame = read_table(source)
        name, where = Path(source).name, LineMap(source)
    freq_code: str | None = None
    if "primaryValue" in frame.columns or "flowCode" in frame.columns:
        layout = "UN Comtrade (current)"
        _require(frame, [*_NEW.values(), "reporterCode", "partnerCode"], layout)
        if "freqCode" in frame.columns:
            freqs = sorted(set(frame["freqCode"].astype(str).str.strip().str.upper()))
            if len(freqs) > 1:
                raise DataValidationError(
                    f"freqCode: the file mixes frequencies {', '.join(freqs)}; read annual and "
                    "monthly rows separately (filter freqCode first)",
                    field="freqCode",
                    value=freqs,
                )
            freq_code = freqs[0]
            if freq_code not in ("A", "M"):
                raise DataValidationError(
                    f"freqCode: {freq_code!r} is not 'A' (annual) or 'M' (monthly)",
                    field="freqCode",
                    value=freq_code,
                )
        for col, total in (("motCode", "0"), ("customsCode", "C00"), ("partner2Code", "0")):
            if col in frame.columns:
                other = sorted(set(frame[col].astype(str).str.strip()) - {total, "", "nan"})
                if other:
                    raise DataValidationError(
                        f"{col}: rows broken down by {col} ({', '.join(other[:5])}) would be "
                        f"double counted; keep only the totals ({col} = {total})",
                        field=col,
                        value=other[:5],
                    )
        if "period" in frame.columns:
            period = frame["period"].astype(str).str.strip()
        else:
            _require(frame, ["refYear"], layout)
            period = frame["refYear"].astype(str).str.strip()
            if freq_code == "M":
                if "refMonth" not in frame.columns:
                    raise DataValidationError(
                        "refMonth: monthly rows (freqCode M) without a period column need "
                        "refYear and refMonth; columns found: "
                        f"{', '.join(map(str, frame.columns))}",
                        field="refMonth",
                        value=None,
                    )
                period = period + "-" + frame["refMonth"].astype(str).str.strip().str.zfill(2)
        flows = frame["flowCode"].astype(str).str.strip().str.upper()
        reporter = to_iso3(frame["reporterCode"], frame.get("reporterISO"), "reporter", where)
        partner = to_iso3(frame["partnerCode"], frame.get("partnerISO"), "partner", where)
        product = _hs(frame["cmdCode"], frame.get("aggrLevel"))
        value_name = "primaryValue"
        names = {"quantity": "qty", "quantity_unit": "qtyUnitAbbr", "net_weight": "netWgt"}
    elif "Trade Value (US$)" in frame.columns or "Trade Flow Code" in frame.columns:
        layout = "UN Comtrade (legacy)"
        _require(
            frame,
            [_LEGACY[k] for k in ("flow", "product", "value", "reporter_code", "partner_code")],
            layout,
        )
        if "Period" not in frame.columns:
            _require(frame, ["Year"], layout + " (without Period)")
        period = (
            (frame["Period"] if "Period" in frame.columns else frame["Year"])
            .astype(str)
            .str.strip()
        )
        flows = (
            frame["Trade Flow Code"]
            .astype(str)
            .str.strip()
            .str.lower()
            .map(lambda v: _LEGACY_FLOWS.get(v, v.upper()))
        )
        reporter = to_iso3(frame["Reporter Code"], frame.get("Reporter ISO"), "reporter", where)
        partner = to_iso3(frame["Partner Code"], frame.get("Partner ISO"), "partner", where)
        product = _hs(frame["Commodity Code"], frame.get("Aggregate Level"))
        value_name = "Trade Value (US$)"
        names = {"quantity": "Qty", "quantity_unit": "Qty Unit", "net_weight": "Netweight (kg)"}
    else:
        raise DataValidationError(
            "columns: not a UN Comtrade layout; the current layout needs "
            f"{', '.join(_NEW.values())}, the legacy one {_LEGACY['flow']}, {_LEGACY['value']}; "
            f"columns found: {', '.join(map(str, frame.columns))}",
            field="columns",
            value=[str(c) for c in frame.columns],
        )
    unknown = sorted(set(flows) - set(_FLOWS))
    if unknown:
        row = int(np.argmax(flows.isin(unknown).to_numpy()))
        raise DataValidationError(
            f"flowCode: flows {', '.join(u or '(empty)' for u in unknown)} are not exports, "
            "imports, re-exports or re-imports (X, M, RX, RM; the first at "
            f"{where(row)}); filter them out first",
            field="flowCode",
            value=unknown,
        )
    value = numbers_of(frame[value_name], value_name, where)
    empty = np.isnan(value)
    if empty.any():
        row = int(np.argmax(empty))
        raise DataValidationError(
            f"{value_name} at {where(row)}: the trade value is empty; every row needs one "
            "(filter such rows out first)",
            field=value_name,
            value=None,
        )
    out = pd.DataFrame(
        {
            "reporter": reporter,
            "partner": partner,
            "flow": flows.map(_FLOWS),
            "product": product,
            "period": period,
            "value": value,
        }
    )
    for col, theirs in names.items():
        if theirs in frame.columns:
            raw = frame[theirs]
            out[col] = raw if col == "quantity_unit" else numbers_of(raw, theirs, where)
    label = f"{name} ({layout})"
    panel = TradePanel._located(out, where, unit="USD", source=label, published=published)
    if freq_code is not None and panel.frequency.value != freq_code:
        wanted = Frequency.parse(freq_code).label
        raise DataValidationError(
            f"freqCode: the rows are {wanted} (freqCode {freq_code}) but the period "
            f"{period.iloc[0]!r} at {where(0)} is {panel.frequency.label}; fix the period "
            "(or refYear/refMonth) column",
            field="freqCode",
            value=freq_code,
        )
    if not fold_reexports:
        return panel
    return TradePanel(_fold(panel.to_frame()), unit="USD", source=label, published=published)


def _fold(frame: pd.DataFrame) -> pd.DataFrame:
    """Add re-exports to exports and re-imports to imports (rows already validated).

    A quantity or net weight is summed only where every row of the sum has one (else it is
    unknown, NaN); quantities in different units are refused.
    """
    frame = frame.assign(
        flow=frame["flow"].replace({"re-exports": "exports", "re-imports": "imports"})
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
