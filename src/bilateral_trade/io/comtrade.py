"""UN Comtrade files (the current layout and the legacy CSV layout) into a TradePanel."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from ..countries import check_country, m49_to_iso3
from ..errors import DataValidationError
from ..panel import TradePanel

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


def to_iso3(codes: pd.Series, isos: pd.Series | None, field: str) -> pd.Series:
    """ISO3 codes from an ISO column when valid, else from M49 numeric codes.

    Raises
    ------
    DataValidationError
        Codes with no ISO3 equivalent (naming them).
    """
    out: dict[Any, str] = {}
    unknown = []
    pairs = pd.DataFrame({"code": codes, "iso": isos if isos is not None else ""}).drop_duplicates()
    for code, iso in pairs.itertuples(index=False):
        if isinstance(iso, str) and len(iso.strip()) == 3 and iso.strip().upper() not in ("W00",):
            try:
                out[(code, iso)] = check_country(iso, field)
                continue
            except DataValidationError:
                pass
        try:
            number = int(float(code))
        except (TypeError, ValueError):
            unknown.append(code)
            continue
        iso3 = COMTRADE_SPECIAL_CODES.get(number) or m49_to_iso3(number)
        if iso3 is None:
            unknown.append(code)
        else:
            out[(code, iso)] = iso3
    if unknown:
        raise DataValidationError(
            f"{field}: codes {', '.join(map(str, unknown[:10]))} have no ISO 3166-1 alpha-3 "
            "equivalent (areas n.e.s., groups); filter them out before reading",
            field=field,
            value=unknown[:10],
        )
    keys = list(zip(codes, isos if isos is not None else [""] * len(codes), strict=True))
    return pd.Series([out[k] for k in keys], index=codes.index)


def _hs(codes: pd.Series, levels: pd.Series | None) -> pd.Series:
    """Commodity codes as strings: TOTAL, or HS digits with the leading zero restored."""
    out = []
    for i, raw in enumerate(codes.astype(str).str.strip()):
        if raw.upper() in ("TOTAL", "ALL", "TOTAL ALL COMMODITIES"):
            out.append("TOTAL")
            continue
        text = raw[:-2] if raw.endswith(".0") else raw
        if levels is not None and str(levels.iloc[i]).isdigit():
            text = text.zfill(int(levels.iloc[i]))
        elif len(text) in (1, 3, 5):
            text = "0" + text  # an HS code read as a number loses its leading zero
        out.append(text)
    return pd.Series(out, index=codes.index)


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
        A layout with missing columns (naming them and the layout expected), annual and
        monthly rows in one file, rows broken down by mode of transport, customs procedure or
        second partner (they would be double counted), flow codes other than X, M, RX, RM,
        or country codes with no ISO3 equivalent.
    """
    if isinstance(source, pd.DataFrame):
        frame, name = source.copy(), "DataFrame"
    else:
        frame = pd.read_csv(source, dtype=str, keep_default_na=False)
        name = Path(source).name
    if "primaryValue" in frame.columns or "flowCode" in frame.columns:
        layout = "UN Comtrade (current)"
        _require(frame, [*_NEW.values(), "reporterCode", "partnerCode"], layout)
        if "freqCode" in frame.columns:
            freqs = sorted(set(frame["freqCode"].astype(str)))
            if len(freqs) > 1:
                raise DataValidationError(
                    f"freqCode: the file mixes frequencies {', '.join(freqs)}; read annual and "
                    "monthly rows separately (filter freqCode first)",
                    field="freqCode",
                    value=freqs,
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
            monthly = "freqCode" in frame.columns and (frame["freqCode"].astype(str) == "M").all()
            period = frame["refYear"].astype(str)
            if monthly:
                period = period + "-" + frame["refMonth"].astype(str).str.zfill(2)
        flows = frame["flowCode"].astype(str).str.strip().str.upper()
        reporter = to_iso3(frame["reporterCode"], frame.get("reporterISO"), "reporter")
        partner = to_iso3(frame["partnerCode"], frame.get("partnerISO"), "partner")
        product = _hs(frame["cmdCode"], frame.get("aggrLevel"))
        value = frame["primaryValue"]
        qty, qty_unit, net = frame.get("qty"), frame.get("qtyUnitAbbr"), frame.get("netWgt")
    elif "Trade Value (US$)" in frame.columns or "Trade Flow Code" in frame.columns:
        layout = "UN Comtrade (legacy)"
        _require(
            frame,
            [_LEGACY[k] for k in ("flow", "product", "value", "reporter_code", "partner_code")],
            layout,
        )
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
        reporter = to_iso3(frame["Reporter Code"], frame.get("Reporter ISO"), "reporter")
        partner = to_iso3(frame["Partner Code"], frame.get("Partner ISO"), "partner")
        product = _hs(frame["Commodity Code"], frame.get("Aggregate Level"))
        value = frame["Trade Value (US$)"]
        qty, qty_unit, net = frame.get("Qty"), frame.get("Qty Unit"), frame.get("Netweight (kg)")
    else:
        raise DataValidationError(
            "columns: not a UN Comtrade layout; the current layout needs "
            f"{', '.join(_NEW.values())}, the legacy one {_LEGACY['flow']}, {_LEGACY['value']}; "
            f"columns found: {', '.join(map(str, frame.columns))}",
            field="columns",
            value=list(frame.columns),
        )
    unknown = sorted(set(flows) - set(_FLOWS))
    if unknown:
        raise DataValidationError(
            f"flowCode: flows {', '.join(unknown)} are not exports, imports, re-exports or "
            "re-imports (X, M, RX, RM); filter them out first",
            field="flowCode",
            value=unknown,
        )
    flow = flows.map(_FLOWS)
    if fold_reexports:
        flow = flow.replace({"re-exports": "exports", "re-imports": "imports"})
    out = pd.DataFrame(
        {
            "reporter": reporter,
            "partner": partner,
            "flow": flow,
            "product": product,
            "period": period,
            "value": pd.to_numeric(value.replace("", np.nan), errors="coerce"),
        }
    )
    for col, series in (("quantity", qty), ("quantity_unit", qty_unit), ("net_weight", net)):
        if series is not None:
            out[col] = (
                series
                if col == "quantity_unit"
                else pd.to_numeric(series.replace("", np.nan), errors="coerce")
            )
    if fold_reexports:
        sums = {"value": "sum"}
        if "net_weight" in out.columns:
            sums["net_weight"] = "sum"
        out = out.groupby(
            ["reporter", "partner", "flow", "product", "period"], sort=False, as_index=False
        ).agg(sums)
    return TradePanel(out, unit="USD", source=f"{name} ({layout})", published=published)
