"""Loaders of the embedded data sets (see :mod:`bilateral_trade.datasets`)."""

from __future__ import annotations

import datetime as _dt
import math
import re
from collections.abc import Callable
from functools import cache
from typing import Literal

import numpy as np
import pandas as pd

from .._util.resources import read_table
from ..data.countries import WORLD
from ..data.events import EventCatalog, EventKind, TradeEvent
from ..data.panel import TradePanel
from ..data.series import Flow, TradeSeries
from ..errors import DataValidationError

__all__ = [
    "SYNTHETIC_LINES",
    "catalog",
    "catalogs",
    "china_dprk_monthly",
    "china_dprk_products",
    "china_dprk_provenance",
    "china_dprk_trade",
    "china_russia_trade",
    "china_world_trade",
    "dprk_sanctions",
    "russia_sanctions",
    "synthetic_product_panel",
]

FlowName = Literal["total", "exports", "imports"]

_GACC_SOURCE = (
    "China customs (GACC) headline figures as reported by Yonhap, Reuters, Kyodo, KBS and "
    "others; 2017 final value from UN Comtrade (China as reporter); per-year sources in notes"
)
_KOTRA_SOURCE = (
    "KOTRA (Korea Trade-Investment Promotion Agency) estimates of DPRK trade with China, "
    "including KOTRA's crude-oil estimate from 2014; per-year sources in notes"
)
_WORLD_SOURCE = (
    "China's merchandise trade with the world as China's customs (GACC) report it: GACC "
    "first releases (2003–2009, 2011–2014, 2016, 2019, 2020, 2025), UN Comtrade with China "
    "as reporter via the UN Statistical Yearbook (2010, 2015, 2018, 2021–2024: GACC data as "
    "revised), 2017 derived from 2016 levels and published growth; per-year sources in notes"
)
_RUSSIA_SOURCE = (
    "China customs (GACC) figures for China's trade with Russia as relayed by TASS, Sputnik, "
    "RT, bne IntelliNews, Reuters and others; the 2013, 2021 and 2023 splits and all of 2015 "
    "derived from published levels and growth rates; per-year sources in notes"
)
_MONTHLY_SOURCE = (
    "Monthly China–DPRK figures printed in news items citing China's customs (GACC) or "
    "MOFCOM; per-month sources in notes"
)


def _flow_name(flow: str) -> FlowName:
    parsed = Flow.parse(flow)
    if parsed is Flow.TOTAL:
        return "total"
    if parsed is Flow.EXPORTS:
        return "exports"
    if parsed is Flow.IMPORTS:
        return "imports"
    raise DataValidationError(
        f"flow: {flow!r}: this dataset has 'total', 'exports' and 'imports' only",
        field="flow",
        value=flow,
    )


def _note(source: str, note: str, reason: str = "") -> str:
    parts = [reason, f"source: {source}" if source else "", f"note: {note}" if note else ""]
    return "; ".join(p for p in parts if p)


@cache
def _flag_table(name: str) -> dict[tuple[int, str], tuple[str, str]]:
    """(year, flow) → (flags, reason) from a shipped flags file."""
    return {
        (int(row["year"]), row["flow"]): (row["flags"], row["reason"]) for row in read_table(name)
    }


def _annual_flags() -> dict[tuple[int, str], tuple[str, str]]:
    return _flag_table("china_dprk_annual_flags.csv")


@cache
def _gacc(flow: FlowName) -> TradeSeries:
    column = {
        "total": "total_usd",
        "exports": "china_exports_to_dprk_usd",
        "imports": "china_imports_from_dprk_usd",
    }[flow]
    values: dict[int, float] = {}
    flags: dict[int, str] = {}
    notes: dict[int, str] = {}
    for row in read_table("china_dprk_annual.csv"):
        if not row[column]:
            continue  # 2025: no split published; the series ends at the last figure
        year = int(row["year"])
        values[year] = float(row[column])
        flag, reason = _annual_flags().get((year, flow), ("", ""))
        if flag:
            flags[year] = flag
        notes[year] = _note(row["source"], row["note"], reason)
    return TradeSeries(
        values,
        reporter="CHN",
        partner="PRK",
        flow=flow,
        unit="USD",
        product="TOTAL",
        source=_GACC_SOURCE,
        frequency="A",
        flags=flags,
        notes=notes,
    )


def _keyword_flags(note: str) -> set[str]:
    text = note.lower()
    found = set()
    if "uncertain" in text:
        found.add("uncertain")
    if "derived" in text:
        found.add("derived")
    if "approximate" in text or "rounded" in text or "roughly" in text:
        found.add("approximate")
    return found


@cache
def _kotra(flow: FlowName) -> TradeSeries:
    # China's exports to the DPRK are the DPRK's imports from China, and vice versa.
    column, kotra_flow = {
        "total": ("dprk_china_total_usd", "total"),
        "exports": ("dprk_imports_from_china_usd", "imports"),
        "imports": ("dprk_exports_to_china_usd", "exports"),
    }[flow]
    values: dict[int, float] = {}
    flags: dict[int, set[str]] = {}
    notes: dict[int, str] = {}
    for row in read_table("dprk_china_kotra_annual.csv"):
        if not row[column]:
            continue
        year = int(row["year"])
        values[year] = float(row[column])
        # A note that speaks of "components" qualifies the split, not the total.
        about_split = "components" in row["note"]
        found = set() if flow == "total" and about_split else _keyword_flags(row["note"])
        if flow != "total" and about_split and "derived" in row["note"]:
            found.add("derived")
        if found:
            flags[year] = found
        notes[year] = _note(row["source"], row["note"])
    series = pd.Series(values, dtype="float64")
    series.index = pd.PeriodIndex([pd.Period(year=y, freq="Y") for y in values])
    return TradeSeries(
        series,
        reporter="PRK",
        partner="CHN",
        flow=kotra_flow,
        unit="USD",
        source=_KOTRA_SOURCE,
        flags={pd.Period(year=y, freq="Y"): sorted(f) for y, f in flags.items()},
        notes={pd.Period(year=y, freq="Y"): n for y, n in notes.items()},
        gaps="keep",
    )


def china_dprk_trade(
    flow: FlowName | str = "total", definition: Literal["gacc", "kotra"] = "gacc"
) -> TradeSeries:
    """China's annual trade with the DPRK, in current US dollars.

    Parameters
    ----------
    flow : {"total", "exports", "imports"}, default "total"
        From China's side: ``"exports"`` is China → DPRK, ``"imports"`` DPRK → China.
    definition : {"gacc", "kotra"}, default "gacc"
        ``"gacc"``: the figures of China's customs (GACC) as reported by the press,
        2003–2025 for the total, 2003–2024 for each flow (no split was published for
        2025). Reporter ``"CHN"``, partner ``"PRK"``.
        ``"kotra"``: KOTRA's DPRK-side series, which adds KOTRA's estimate of crude oil
        from 2014 (a different series definition, kept apart; sparse, with missing years
        declared). Reporter ``"PRK"``, partner ``"CHN"``, so China's exports are the
        DPRK's ``imports`` in this series.

    Returns
    -------
    TradeSeries
        Annual series with a note per year (its source, and how a derived figure was
        computed) and flags ``uncertain``, ``derived``, ``preliminary`` and
        ``possibly_revised`` where they apply.

    Notes
    -----
    Caveats of the GACC series:

    - From 2014 China's customs data show no crude-oil exports to the DPRK (grant aid,
      about $0.5bn a year before then, is unrecorded): part of the fall from 2014 is a
      measurement change, not less trade. KOTRA's series adds an estimate.
    - 2016 is derived from preliminary 2017 figures and growth rates (flagged
      ``uncertain``, ``derived``); 2003, 2005, 2012 and 2014 are derived too.
    - 2022 may have been revised: GACC's growth rates for 2023 imply a 2022 base of about
      $0.97bn against the first-published $1.028bn (flag ``possibly_revised``). Growth
      computed from levels (+123% in 2023) differs from the published +137%.
    - The 2024 split between exports and imports is uncertain (imports from KOTRA).
    - 2025 is a single preliminary figure (AFP citing GACC).

    Examples
    --------
    >>> import bilateral_trade as bt
    >>> s = bt.datasets.china_dprk_trade()
    >>> round(float(s.values["2024"]) / 1e9, 2)
    2.18
    >>> s.flags_at(2016)
    ('derived', 'uncertain')
    """
    name = _flow_name(flow)
    if definition == "gacc":
        return _gacc(name)
    if definition == "kotra":
        return _kotra(name)
    raise DataValidationError(
        f"definition: {definition!r} is not 'gacc' or 'kotra'", field="definition", value=definition
    )


@cache
def _world(flow: FlowName) -> TradeSeries:
    values: dict[int, float] = {}
    flags: dict[int, str] = {}
    notes: dict[int, str] = {}
    for row in read_table("china_world_annual.csv"):
        if row["flow"] != flow:
            continue
        year = int(row["year"])
        # value_usd holds whole US dollars (a published "2.34 trillion" is 2340000000000):
        # no scaling; int() refuses anything else.
        values[year] = float(int(row["value_usd"]))
        flag, reason = _flag_table("china_world_annual_flags.csv")[(year, flow)]
        if flag:
            flags[year] = flag
        notes[year] = _note(row["source"], row["note"], reason)
    return TradeSeries(
        values,
        reporter="CHN",
        partner=WORLD,
        flow=flow,
        unit="USD",
        product="TOTAL",
        source=_WORLD_SOURCE,
        frequency="A",
        flags=flags,
        notes=notes,
    )


@cache
def _china_russia(flow: FlowName) -> TradeSeries:
    values: dict[int, float] = {}
    flags: dict[int, str] = {}
    notes: dict[int, str] = {}
    other: dict[int, list[str]] = {}
    for row in read_table("china_russia_annual.csv"):
        if row["flow"] != flow:
            continue
        year = int(row["year"])
        if row["currency"] != "USD":  # yuan figures as published: named in the note only
            other.setdefault(year, []).append(
                f"also published in {row['currency']}: {int(row['value']):,} ({row['note']})"
            )
            continue
        # whole US dollars: no scaling; int() refuses anything else
        values[year] = float(int(row["value"]))
        flag, reason = _flag_table("china_russia_annual_flags.csv").get((year, flow), ("", ""))
        if flag:
            flags[year] = flag
        notes[year] = _note(row["source"], row["note"], reason)
    for year, texts in other.items():
        notes[year] = "; ".join([notes[year], *texts])
    return TradeSeries(
        values,
        reporter="CHN",
        partner="RUS",
        flow=flow,
        unit="USD",
        product="TOTAL",
        source=_RUSSIA_SOURCE,
        frequency="A",
        flags=flags,
        notes=notes,
    )


def china_russia_trade(flow: FlowName | str = "total") -> TradeSeries:
    """China's annual trade with Russia as China's customs (GACC) report it, in US dollars.

    Parameters
    ----------
    flow : {"total", "exports", "imports"}, default "total"
        From China's side: ``"exports"`` is China → Russia, ``"imports"`` Russia → China.

    Returns
    -------
    TradeSeries
        Annual, reporter ``"CHN"``, partner ``"RUS"``, product ``"TOTAL"``, values in US
        dollars (not billions): the total 2013–2025, each flow 2013–2024 (no split was
        published for 2025). Every year has a note (its source, the compiler's note, why it
        is flagged, and the yuan figure where one was published) and flags:

        - ``derived``: computed from the next year's level and its published growth rate —
          the 2013 and 2021 splits, all of 2015 (USD), 2023 exports (2024 exports / 1.041)
          and 2023 imports (total − exports);
        - ``uncertain``: the 2015 total (TASS's dollar conversion of GACC's yuan figure,
          USD 64.2bn, disagrees with the USD 68.03bn derived from 2016 growth);
        - ``sum_mismatch``: 2013 and 2021, where the reported total differs from the sum of
          the derived flows (by USD 0.06bn and 0.19bn);
        - ``preliminary``: 2025, a first release.

    Notes
    -----
    The figures are GACC's, relayed by news agencies; Russia's customs (FCS) report other
    values (2018: USD 108.3bn against GACC's 107.06bn; 2020: 104bn against 107.76bn), and
    these are not mixed in. 2019 is the first-release total (later revisions were not seen).
    2012 is missing (no release found), so the series starts in 2013. Yuan figures (2015,
    2024, 2025) are named in the notes, never converted. From 2022 the trade is the story
    of diversion: USD 146.9bn in 2021, 190.3bn in 2022, 240.1bn in 2023.

    Examples
    --------
    >>> import bilateral_trade as bt
    >>> s = bt.datasets.china_russia_trade()
    >>> round(float(s.values["2023"]) / 1e9, 2)
    240.11
    >>> s.flags_at(2015)
    ('derived', 'uncertain')
    """
    return _china_russia(_flow_name(flow))


def china_world_trade(flow: FlowName | str = "total") -> TradeSeries:
    """China's annual merchandise trade with the world, 2003–2025, in current US dollars.

    A control series for :func:`china_dprk_trade`: the same reporter (China's customs),
    currency and years, with partner ``"WLD"`` (the world, UN Comtrade's partner 0).

    Parameters
    ----------
    flow : {"total", "exports", "imports"}, default "total"
        From China's side: ``"exports"`` is China → world, ``"imports"`` world → China.

    Returns
    -------
    TradeSeries
        Annual, 2003–2025 with no gaps, reporter ``"CHN"``, partner ``"WLD"``, product
        ``"TOTAL"``, values in US dollars (not billions). Every year has a note (its
        source, the compiler's note, and why it is flagged) and flags:

        - ``first_release`` (GACC's first-published figure: 2003–2009, 2011–2014, 2016,
          2019, 2020, 2025) or ``revised`` (UN Comtrade with China as reporter, i.e. GACC's
          data as revised later: 2010, 2015, 2018, 2021–2024); 2017 is neither;
        - ``rounded``: published rounded, to USD 0.01 tn in 2008, 2009, 2011, 2013, 2014
          and 2025 (2011 exports to 0.1 tn), to USD 1bn in 2016;
        - ``derived``: computed from published figures — most totals are exports +
          imports; 2004, 2005 and 2007 exports are published imports plus the published
          surplus; 2017 is the 2016 levels times the published 2017 growth;
        - ``uncertain``: 2017 (about ±USD 3bn a flow);
        - ``preliminary``: 2025, not yet revised;
        - ``inflated``: 2013, which includes fictitious or arbitrage trade via Hong Kong
          that was never removed from the official data;
        - ``sum_mismatch``: 2009 and 2020, where the total shipped is the published one and
          differs from exports + imports.

    Notes
    -----
    The series mixes vintages: precise first releases where they were found, UN Comtrade
    (revised) values where the press gave only rounded numbers, rounded first releases
    otherwise. Revisions are 0–0.5% of the level (2018 exports: about USD 7bn). Growth
    computed from these levels can differ from GACC's published growth rates, which use a
    revised or "comparable" base (2023: published −4.6% for exports, −6.0% from levels).

    The total is the published total where one was published precisely, else exports +
    imports (flag ``derived``). In every year but two the total equals exports + imports
    exactly. 2009: the published rounded total, USD 2.21 tn, is shipped; exports +
    imports are USD 2.205 tn (0.2% lower). 2020: the published total is USD 1m below the
    sum. ``exports + imports`` gives the sum if you want it.

    From 2014 duty-free goods are included in China's customs statistics (a small coverage
    change). From 2015 GACC leads with yuan figures; press conversions to dollars are not
    GACC's USD figures and are not used.

    Examples
    --------
    >>> import bilateral_trade as bt
    >>> w = bt.datasets.china_world_trade()
    >>> w.partner, round(float(w.values["2024"]) / 1e12, 3)
    ('WLD', 6.162)
    >>> w.flags_at(2017)
    ('derived', 'uncertain')
    """
    return _world(_flow_name(flow))


@cache
def _monthly(flow: FlowName) -> TradeSeries:
    column = {"total": "total_usd", "exports": "exports", "imports": "imports"}[flow]
    values: dict[pd.Period, float] = {}
    flags: dict[pd.Period, set[str]] = {}
    notes: dict[pd.Period, str] = {}
    for row in read_table("china_dprk_monthly.csv"):
        if not row[column]:
            continue
        period = pd.Period(row["period"], freq="M")
        values[period] = float(row[column])
        note = row["note"].lower()
        found = {f for f in _keyword_flags(row["note"]) if f != "derived"}
        if flow == "imports" and "imports derived" in note:
            found.add("derived")
        if flow == "total" and "total = sum" in note:
            found.add("derived")
        if found:
            flags[period] = found
        notes[period] = _note(row["source"], row["note"])
    series = pd.Series(list(values.values()), index=pd.PeriodIndex(list(values)), dtype="float64")
    return TradeSeries(
        series,
        reporter="CHN",
        partner="PRK",
        flow=flow,
        unit="USD",
        source=_MONTHLY_SOURCE,
        flags={p: sorted(f) for p, f in flags.items()},
        notes=notes,
        gaps="keep",
    )


def china_dprk_monthly(flow: FlowName | str = "total") -> TradeSeries:
    """The monthly China–DPRK figures that could be found, 2011–2025 (sparse).

    Only 62 months have a figure in a citable news item; the other months are
    *missing* (NaN flagged ``"missing"``), never zero. The series runs from the first
    to the last month with a figure for ``flow``. Months are flagged ``derived``
    (e.g. imports = total − exports, total = sum of flows), ``approximate``
    (rounded wording such as "roughly") or ``uncertain`` as their notes say. Some
    early months are MOFCOM rather than GACC figures (see the notes).

    Parameters
    ----------
    flow : {"total", "exports", "imports"}, default "total"
        From China's side.

    Returns
    -------
    TradeSeries
        Monthly, reporter ``"CHN"``, partner ``"PRK"``, USD.
    """
    return _monthly(_flow_name(flow))


_OTHER_KINDS = {
    "nuclear_test": EventKind.NUCLEAR_TEST,
    "missile_launch": EventKind.MISSILE_LAUNCH,
    "data_gap": EventKind.DATA_DEFINITION,
    "data_definition": EventKind.DATA_DEFINITION,
    "policy_rok": EventKind.OTHER,
    "policy_china": EventKind.ENFORCEMENT,
    "sanctions_deadline": EventKind.ENFORCEMENT,
    "sanctions_monitoring": EventKind.OTHER,
    "diplomacy": EventKind.DIPLOMACY,
    "russia_dprk": EventKind.DIPLOMACY,
    "covid_border": EventKind.BORDER_CLOSURE,
    "covid_reopening": EventKind.BORDER_REOPENING,
    "un_veto": EventKind.VETO,
}


# (actor, target) of the other events by category, where the category says it; the COVID
# rows name their actor in the text ("DPRK closes …", "China suspends …").
_OTHER_PARTIES: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "nuclear_test": (("PRK",), ()),
    "missile_launch": (("PRK",), ()),
    "data_gap": (("CHN",), ()),
    "data_definition": (("CHN",), ()),
    "policy_rok": (("KOR",), ("PRK",)),
    "policy_china": (("CHN",), ("PRK",)),
    "sanctions_deadline": (("UN",), ("PRK",)),
    "sanctions_monitoring": ((), ("PRK",)),
}


def _other_parties(category: str, text: str) -> tuple[tuple[str, ...], tuple[str, ...]]:
    actor, target = _OTHER_PARTIES.get(category, ((), ()))
    if category.startswith("covid_"):
        actor = {"DPRK": ("PRK",), "China": ("CHN",)}.get(text.split(" ", 1)[0], ())
    if category == "sanctions_monitoring" and text.startswith("UN "):
        actor = ("UN",)
    return actor, target


def _vetoers(vote: str) -> tuple[str, ...]:
    """The permanent members that voted against a draft, from the vote text."""
    names = {"China": "CHN", "Russia": "RUS", "United States": "USA", "France": "FRA"}
    against = vote.split("against")[0]
    return tuple(code for name, code in names.items() if name in against)


def _hs_codes(text: str) -> tuple[str, ...]:
    """HS codes named in free text: ``"7101-7104"``, ``"72-83"``, ``"2710.12"``."""
    codes: list[str] = []
    for start, end in re.findall(r"(?<![\d.])(\d{2}(?:\d{2})?(?:\.\d{2})?)(?:-(\d{2,4}))?", text):
        start = start.replace(".", "")
        if end and len(end) == len(start):
            codes.extend(f"{c:0{len(start)}d}" for c in range(int(start), int(end) + 1))
        else:
            codes.append(start)
    return tuple(dict.fromkeys(codes))


def _date(text: str) -> tuple[_dt.date, Literal["day", "month", "year"]]:
    parts = text.split("-")
    if len(parts) == 1:
        return _dt.date(int(parts[0]), 1, 1), "year"
    if len(parts) == 2:
        return _dt.date(int(parts[0]), int(parts[1]), 1), "month"
    return _dt.date.fromisoformat(text), "day"


@cache
def dprk_sanctions() -> EventCatalog:
    """UN Security Council resolutions on the DPRK and other dated events that move its trade.

    The catalog holds the resolutions 1695, 1718, 1874, 2087, 2094, 2270, 2321, 2356,
    2371, 2375 and 2397 (references ``"UNSCR 2397"`` …, kind
    ``SANCTIONS_RESOLUTION``, dated by their New York adoption date, with their trade
    measures and HS codes), the vetoed drafts of 2022-05-26 and 2024-03-28 (kind
    ``VETO``, references ``"Vetoed draft 2022-05-26"``, ``"Vetoed draft 2024-03-28"``),
    and 44 other events: nuclear tests, launches, China's enforcement steps, summits,
    the COVID border closure of 2020 and the reopenings (references
    ``"<category> <date>"``, e.g. ``"covid_border 2020-01-31"``).

    Notes
    -----
    HS codes other than UNSCR 2397's chapter lists are the compiler's mapping, not the
    resolutions' text (flag ``hs_mapped``). ``banned_exports`` (goods the DPRK may not export)
    and ``banned_supply`` (goods that may not be supplied to it) hold the bans by direction
    (``dprk_resolution_hs.csv``); caps on coal and oil are limits, not bans, and are not
    listed. Events not verified against a primary source are flagged ``uncertain``. Launch
    and test dates are local Korean dates. The two vetoes listed among the other events are
    the same events as the vetoed drafts of the resolutions table and appear once. Events
    known only to the month or year are dated on its first day (``date_precision``).

    Examples
    --------
    >>> import bilateral_trade as bt
    >>> bt.datasets.dprk_sanctions().get("UNSCR 2397").first_period("A")
    Period('2018', 'Y-DEC')
    """
    bans: dict[tuple[str, str], tuple[str, ...]] = {
        (row["resolution"], row["direction"]): tuple(row["hs_codes"].split(";"))
        for row in read_table("dprk_resolution_hs.csv")
    }
    events: list[TradeEvent] = []
    for row in read_table("dprk_unsc_resolutions.csv"):
        date = _dt.date.fromisoformat(row["adoption_date"])
        vetoed = row["resolution"].startswith("draft")
        flags = []
        if "uncertain" in row["note"].lower():
            flags.append("uncertain")
        if row["hs_codes"] and "compiler" in row["hs_basis"]:
            flags.append("hs_mapped")
        reference = f"Vetoed draft {date.isoformat()}" if vetoed else f"UNSCR {row['resolution']}"
        note = "; ".join(
            x for x in (row["note"], f"HS basis: {row['hs_basis']}" if row["hs_basis"] else "") if x
        )
        events.append(
            TradeEvent(
                date=date,
                kind=EventKind.VETO if vetoed else EventKind.SANCTIONS_RESOLUTION,
                label=f"{reference} ({row['short_title_trigger']})",
                reference=reference,
                actor=_vetoers(row["vote"]) if vetoed else ("UN",),
                target=("PRK",),
                description=(
                    f"{row['kind']}; vote {row['vote']}; trigger {row['trigger_event_date']}"
                ),
                measures=row["main_trade_measures"],
                hs_codes=_hs_codes(row["hs_codes"]),
                banned_exports=bans.get((row["resolution"], "dprk_exports"), ()),
                banned_supply=bans.get((row["resolution"], "supply_to_dprk"), ()),
                date_precision="day",
                source=row["source"],
                flags=tuple(flags),
                note=note,
            )
        )
    vetoes = {e.date for e in events if e.kind is EventKind.VETO}
    for row in read_table("other_events.csv"):
        date, precision = _date(row["date"])
        kind = _OTHER_KINDS.get(row["category"], EventKind.OTHER)
        if kind is EventKind.VETO and date in vetoes:
            continue
        actor, target = _other_parties(row["category"], row["event"])
        events.append(
            TradeEvent(
                date=date,
                kind=kind,
                label=row["event"],
                reference=f"{row['category']} {row['date']}",
                actor=actor,
                target=target,
                description=row["relevance_to_trade"],
                date_precision=precision,
                source=row["source"],
                flags=("uncertain",) if "uncertain" in row["note"].lower() else (),
                note=row["note"],
            )
        )
    return EventCatalog(events)


@cache
def russia_sanctions() -> EventCatalog:
    """Sanctions on Russia 2014–2025: EU, US and G7 measures, countermeasures, confounders.

    54 dated events, each with its source (``russia_sanctions.csv``, in the catalog schema;
    see ``PROVENANCE.md``), references as in the compiled file (``"eu-2022-02-23"`` is the
    EU's 1st package of 2022):

    - 46 measures of kind ``SANCTIONS_MEASURE`` (role ``"sanctions"``): the EU's packages of
      2014 and its 1st to 19th packages of 2022–2025, the days the coal, crude, products and
      diamond bans applied (flag ``effective_date``), US executive orders, import bans,
      export controls and tariffs, the G7/EU price caps. The compiler's kind (sanctions
      package, import ban, export control, price cap, tariff) is the ``description``.
    - 2 of kind ``COUNTERMEASURE`` (role ``"sanctions"``): Russia's food embargo of
      2014-08-06 and its ban on oil sales under the price cap of 2022-12-27.
    - 6 confounders: the annexation of Crimea (2014-03-18) and the full-scale invasion
      (2022-02-24) as ``CONFLICT``; the 2014 oil-price collapse (2014-11-27), the ruble
      crisis (2014-12-16) and the OPEC+ price war (2020-03-06) as ``MARKET_SHOCK``; COVID-19
      (2020-03-11) as ``PANDEMIC``.

    ``actor`` and ``target`` are ISO 3166-1 alpha-3 or organisation codes (``"EU"``,
    ``"USA"``, ``"G7"``, ``"RUS"``); regions (Crimea, the occupied parts of Donetsk and
    Luhansk) are coded as Ukraine and the event is flagged ``territorial``.

    Notes
    -----
    HS codes are normalised to 2, 4 or 6 digits: the annexes' 8-digit CN codes are cut to
    their HS6 subheading, ranges (``7206-7229``) are expanded, and the text as written is in
    ``note``. ``hs_codes`` holds every code a measure names; ``banned_exports`` (goods whose
    import from the target the actor bans) and ``banned_supply`` (goods whose export to the
    target it bans) hold only bans: export authorisations, price caps, tariffs, transshipment
    bans and designations keep their codes in ``hs_codes`` only, and the note says why.

    Flags: ``hs_mapped`` (the compiler mapped product words to HS codes; the annexes of the
    10th–19th packages were not read), ``hs_ex_codes`` (``ex`` codes: part of the code),
    ``hs_incomplete`` (the part of an annex that was read: 1st, 4th and 8th packages),
    ``territorial``, ``effective_date``, ``date_disputed`` (a source gives another day: see
    the note) and ``uncertain`` (the COVID row's day).

    The 20th (2026-04-23) and 21st (2026-07-23) EU packages of the compiled file are left
    out: they lie outside 2014–2025, their dates come only from a dataset's file headers and
    secondary news, and no Council release was read.

    Examples
    --------
    >>> import bilateral_trade as bt
    >>> russia = bt.datasets.russia_sanctions()
    >>> e = russia.get("eu-2022-02-23")
    >>> e.actor, e.target, e.first_period("A")
    (('EU',), ('RUS', 'UKR'), Period('2023', 'Y-DEC'))
    """
    return EventCatalog.from_records(
        read_table("russia_sanctions.csv"), row_label="line", first_row=2
    )


_CATALOGS: dict[str, tuple[Callable[[], EventCatalog], str]] = {
    "dprk": (
        dprk_sanctions,
        "UN Security Council resolutions on the DPRK 1695–2397 and the vetoed drafts of 2022 "
        "and 2024 (UN press releases, US mission fact sheets, ROK MOFA and others), and 44 "
        "other dated events (Yonhap, Reuters, Kyodo, KBS and others); HS codes other than "
        "UNSCR 2397's are the compiler's mapping",
    ),
    "russia": (
        russia_sanctions,
        "EU, US and G7 measures against Russia 2014–2025, Russia's countermeasures and six "
        "confounders (Council and Commission releases via relays, law-firm notes, OFAC, "
        "Federal Register and BIS texts, the annexes of Regulation (EU) No 833/2014; wires "
        "for the confounders); many HS codes of the 10th–19th packages are the compiler's "
        "mapping",
    ),
}


def catalog(name: str) -> EventCatalog:
    """An embedded event catalog by name: ``"dprk"`` or ``"russia"`` (case-insensitive).

    Raises
    ------
    DataValidationError
        An unknown name (naming the embedded ones).
    """
    key = name.strip().lower() if isinstance(name, str) else None
    if key is None or key not in _CATALOGS:
        raise DataValidationError(
            f"catalog: {name!r} is not an embedded catalog; choose one of {', '.join(_CATALOGS)}",
            field="catalog",
            value=name,
        )
    return _CATALOGS[key][0]()


def catalogs() -> pd.DataFrame:
    """The embedded event catalogs: name, loader, size, span, roles and sources.

    Returns
    -------
    pandas.DataFrame
        One row per catalog with columns ``name, loader, events, first, last, sanctions,
        confounders, measurement, context, source`` (counts by :attr:`EventKind.role`).

    Examples
    --------
    >>> import bilateral_trade as bt
    >>> bt.datasets.catalogs()[["name", "events"]].to_dict("records")
    [{'name': 'dprk', 'events': 57}, {'name': 'russia', 'events': 54}]
    """
    rows = []
    for name, (loader, source) in _CATALOGS.items():
        c = catalog(name)
        roles = {
            "sanctions": len(c.of_role("sanctions")),
            "confounders": len(c.of_role("confounder")),
            "measurement": len(c.of_role("measurement")),
            "context": len(c.of_role("context")),
        }
        rows.append(
            {
                "name": name,
                "loader": f"bilateral_trade.datasets.{loader.__name__}()",
                "events": len(c),
                "first": c[0].date,
                "last": c[-1].date,
                **roles,
                "source": source,
            }
        )
    return pd.DataFrame(rows)


def china_dprk_provenance() -> pd.DataFrame:
    """Source, note and flags of every figure of :func:`china_dprk_trade` (GACC definition).

    Returns
    -------
    pandas.DataFrame
        One row per year and flow (``total``, ``exports``, ``imports``, China's side)
        with columns ``year, flow, value, flags, reason, source, note``; ``reason``
        says why a figure is flagged.
    """
    rows = []
    columns = {
        "total": "total_usd",
        "exports": "china_exports_to_dprk_usd",
        "imports": "china_imports_from_dprk_usd",
    }
    for row in read_table("china_dprk_annual.csv"):
        year = int(row["year"])
        for flow, column in columns.items():
            if not row[column]:
                continue
            flags, reason = _annual_flags().get((year, flow), ("", ""))
            rows.append(
                {
                    "year": year,
                    "flow": flow,
                    "value": float(row[column]),
                    "flags": flags,
                    "reason": reason,
                    "source": row["source"],
                    "note": row["note"],
                }
            )
    return pd.DataFrame(rows)


def china_dprk_products() -> TradePanel:
    """Product-level China–DPRK figures that could be found (partial coverage).

    A few HS lines and years — wigs and false eyelashes (HS 6704: $31.1m in 2019, about
    $12.4m in 2022 (implied), $166.7m in 2023), coal (2701), iron ore (2601), watch movements
    (9108, mapped) and crude oil (2709) — each with its source and the flags
    ``partial_coverage`` (every row: these are not a product breakdown of the totals),
    ``derived``/``uncertain`` (figures implied by a stated growth) and ``hs_mapped`` (the HS
    code is the compiler's mapping of a description).

    Returns
    -------
    TradePanel
        Annual, reporter ``"CHN"``, partner ``"PRK"``, USD; ``flow`` from China's side.
    """
    frame = pd.DataFrame(list(read_table("china_dprk_products.csv")))
    frame["value"] = frame["value"].astype(float)
    return TradePanel(frame, unit="USD", source="product facts (see each row's source)")


#: The HS6 lines of :func:`synthetic_product_panel` and the resolution that bans each
#: (None: not banned). China's imports from the DPRK.
SYNTHETIC_LINES: dict[str, str | None] = {
    "270111": "UNSCR 2371",  # anthracite
    "260111": "UNSCR 2371",  # iron ore
    "030389": "UNSCR 2371",  # frozen fish
    "620342": "UNSCR 2375",  # cotton trousers
    "611020": "UNSCR 2375",  # cotton jerseys
    "440399": "UNSCR 2397",  # wood
    "850440": "UNSCR 2397",  # static converters
    "670419": None,  # wigs and false eyelashes
    "910890": None,  # watch movements
    "950300": None,  # toys
    "261100": None,  # tungsten ores
}


def synthetic_product_panel(
    seed: int = 0,
    *,
    start: int = 2010,
    end: int = 2023,
    collapse: float = 0.05,
    noise: float = 0.1,
) -> TradePanel:
    """A synthetic panel of China's imports from the DPRK by HS6 line, with a known collapse.

    Every line grows 3% a year with log-normal noise (``noise``); the lines banned by UNSCR
    2371, 2375 and 2397 (:data:`SYNTHETIC_LINES`) are multiplied by ``collapse`` from 2018,
    the first year after the December 2017 resolution. The true banned-basket gap is about
    ``log(collapse)`` (−3.0 for 0.05). For tests and examples only — not data.

    Returns
    -------
    TradePanel
    """
    rng = np.random.default_rng(seed)
    rows = []
    years = range(start, end + 1)
    for line, ban in SYNTHETIC_LINES.items():
        level = float(rng.uniform(5e6, 2e8))
        for year in years:
            value = level * 1.03 ** (year - start) * math.exp(float(rng.normal(0.0, noise)))
            if ban is not None and year >= 2018:
                value *= collapse
            rows.append(("CHN", "PRK", "imports", line, str(year), value))
    frame = pd.DataFrame(
        rows, columns=["reporter", "partner", "flow", "product", "period", "value"]
    )
    return TradePanel(frame, unit="USD", source=f"synthetic (seed {seed}, collapse {collapse})")
