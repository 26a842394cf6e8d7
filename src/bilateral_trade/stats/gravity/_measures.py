"""Sanction measures: from an event catalog or a table to the countries and days they bind."""

from __future__ import annotations

import datetime as _dt
import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Literal

import numpy as np
import pandas as pd

from ...data.countries import WORLD, check_country
from ...data.events import EventCatalog, EventKind, TradeEvent
from ...data.periods import parse_period, plain
from ...errors import DataValidationError, InsufficientDataError

__all__ = ["BLOCS", "EU_MEMBERS", "G7_MEMBERS", "UN_MEMBERS", "sanction_measures"]

#: The 193 member states of the United Nations (ISO 3166-1 alpha-3), unchanged since
#: South Sudan joined on 2011-07-14. Observers (the Holy See, Palestine), Taiwan, Kosovo and
#: dependent territories (Hong Kong, Macao, Greenland, Aruba, …) are not members.
_UN = """AFG ALB DZA AND AGO ATG ARG ARM AUS AUT AZE BHS BHR BGD BRB BLR BEL BLZ BEN BTN BOL BIH
    BWA BRA BRN BGR BFA BDI CPV KHM CMR CAN CAF TCD CHL CHN COL COM COG CRI CIV HRV CUB CYP CZE
    PRK COD DNK DJI DMA DOM ECU EGY SLV GNQ ERI EST SWZ ETH FJI FIN FRA GAB GMB GEO DEU GHA GRC
    GRD GTM GIN GNB GUY HTI HND HUN ISL IND IDN IRN IRQ IRL ISR ITA JAM JPN JOR KAZ KEN KIR KWT
    KGZ LAO LVA LBN LSO LBR LBY LIE LTU LUX MDG MWI MYS MDV MLI MLT MHL MRT MUS MEX FSM MCO MNG
    MNE MAR MOZ MMR NAM NRU NPL NLD NZL NIC NER NGA MKD NOR OMN PAK PLW PAN PNG PRY PER PHL POL
    PRT QAT KOR MDA ROU RUS RWA KNA LCA VCT WSM SMR STP SAU SEN SRB SYC SLE SGP SVK SVN SLB SOM
    ZAF SSD ESP LKA SDN SUR SWE CHE SYR TJK THA TLS TGO TON TTO TUN TUR TKM TUV UGA UKR ARE GBR
    TZA USA URY UZB VUT VEN VNM YEM ZMB ZWE"""
UN_MEMBERS: frozenset[str] = frozenset(_UN.split())

#: The 27 member states of the European Union since 2020-02-01 (the United Kingdom left then).
_EU = (
    "AUT BEL BGR HRV CYP CZE DNK EST FIN FRA DEU GRC HUN IRL ITA LVA LTU LUX MLT NLD POL PRT "
    "ROU SVK SVN ESP SWE"
)
EU_MEMBERS: frozenset[str] = frozenset(_EU.split())

#: The G7 countries (the EU, which attends, is a separate bloc).
_G7 = "CAN FRA DEU ITA JPN GBR USA"
G7_MEMBERS: frozenset[str] = frozenset(_G7.split())

#: Names a measure may use for a group of countries (upper case), besides ISO 3166-1
#: alpha-3 codes. ``"UN"`` (or ``"UNSC"``) is every UN member; membership is the present
#: one (the lists are not dated). Override or extend with ``gravity(..., blocs=...)``.
BLOCS: Mapping[str, frozenset[str]] = {
    "UN": UN_MEMBERS,
    "UNSC": UN_MEMBERS,
    "EU": EU_MEMBERS,
    "G7": G7_MEMBERS,
    "US": frozenset({"USA"}),
    "UK": frozenset({"GBR"}),
}


By = Literal["kind", "direction"]
_DIRECTIONS = ("to_target", "from_target")


@dataclass(frozen=True)
class _Measure:
    reference: str
    sanctioning: str
    target: str
    senders: frozenset[str]
    targets: frozenset[str]
    start: _dt.date
    end: _dt.date | None
    kind: str


def _blocs(blocs: Mapping[str, Iterable[str]] | None) -> dict[str, frozenset[str]]:
    table = dict(BLOCS)
    if blocs is None:
        return table
    if not isinstance(blocs, Mapping):
        raise DataValidationError(
            f"blocs: expected a mapping of names to country codes, got {type(blocs).__name__}",
            field="blocs",
            value=type(blocs).__name__,
        )
    for name, members in blocs.items():
        if not isinstance(name, str) or not name.strip():
            raise DataValidationError(
                f"blocs: {name!r} is not a bloc name", field="blocs", value=plain(name)
            )
        items = [members] if isinstance(members, str) else list(members)
        table[name.strip().upper()] = frozenset(check_country(c, f"blocs[{name!r}]") for c in items)
    return table


def _countries(value: object, field: str, blocs: Mapping[str, frozenset[str]]) -> frozenset[str]:
    """Country codes from a code, a bloc name, a ``;``-separated list or an iterable of them."""
    if isinstance(value, str):
        items = [part.strip() for part in value.replace(",", ";").split(";") if part.strip()]
    elif isinstance(value, Iterable) and not isinstance(value, bytes | Mapping):
        items = [str(plain(v)).strip() for v in value]
    else:
        items = []
    if not items:
        raise DataValidationError(
            f"{field}: {plain(value)!r} names no country; give ISO 3166-1 alpha-3 codes (e.g. "
            f"'USA' or 'USA;CAN') or a bloc ({', '.join(sorted(blocs))})",
            field=field,
            value=plain(value) if not isinstance(value, list | tuple | set) else str(value),
        )
    out: set[str] = set()
    for item in items:
        key = item.upper()
        if key in blocs:
            out |= blocs[key]
        else:
            try:
                out.add(check_country(item, field))
            except DataValidationError as exc:
                raise DataValidationError(
                    f"{exc} (or a bloc: {', '.join(sorted(blocs))})", field=field, value=item
                ) from None
    out.discard(WORLD)
    return frozenset(out)


def _bound(value: object, field: str, side: Literal["start", "end"]) -> _dt.date | None:
    """The first (``start``) or last (``end``) day a measure is in force."""
    value = plain(value)
    if value is None or value is pd.NaT or value is pd.NA:
        return None
    if isinstance(value, float):
        if math.isnan(value):
            return None
        if value.is_integer():
            value = int(value)
    if isinstance(value, str) and not value.strip():
        return None
    if isinstance(value, pd.Timestamp):
        return value.date()
    if isinstance(value, _dt.date):  # also datetime.datetime
        return value.date() if isinstance(value, _dt.datetime) else value
    if isinstance(value, str) and len(value.strip()) == 10 and value.strip()[4] == "-":
        try:
            return _dt.date.fromisoformat(value.strip())
        except ValueError:
            raise DataValidationError(
                f"{field}: {value!r} is not a date (use ISO 8601, e.g. 2017-12-22)",
                field=field,
                value=value,
            ) from None
    period = parse_period(value, field=field)  # type: ignore[arg-type]
    stamp = period.start_time if side == "start" else period.end_time
    return stamp.date()


def _frame_measures(
    frame: pd.DataFrame, blocs: Mapping[str, frozenset[str]]
) -> tuple[list[_Measure], dict[str, str]]:
    required = ("sanctioning", "target", "start")
    missing = [c for c in required if c not in frame.columns]
    if missing:
        raise DataValidationError(
            f"sanctions: column(s) {', '.join(missing)} missing from the table of measures; "
            "expected sanctioning, target, start and optionally end, kind, reference; columns "
            f"found: {', '.join(map(str, frame.columns))}",
            field="sanctions",
            value=missing[0],
        )
    if len(frame) == 0:
        raise InsufficientDataError("sanctions: the table of measures is empty")
    measures = []
    seen: dict[tuple[str, object], Any] = {}  # the same cell text parsed once (GSDB-size tables)

    def cached(kind: str, parse: Any, value: object, *args: object) -> Any:
        try:
            key = (kind, plain(value))
            if key not in seen:
                seen[key] = parse(value, *args)
            return seen[key]
        except TypeError:  # unhashable (a list of codes)
            return parse(value, *args)

    for pos, row in enumerate(frame.to_dict(orient="records"), start=1):
        where = f"sanctions row {pos}"
        reference = row.get("reference")
        reference = (
            str(reference)
            if reference is not None
            and not (isinstance(reference, float) and math.isnan(reference))
            else f"row {pos}"
        )
        kind = row.get("kind", "sanctions")
        if kind is None or (isinstance(kind, float) and math.isnan(kind)):
            kind = "sanctions"
        if not isinstance(kind, str) or not kind.strip():
            raise DataValidationError(
                f"kind at {where}: {plain(kind)!r} is not a kind of measure (text such as "
                "'trade' or 'financial')",
                field="kind",
                value=plain(kind),
            )
        senders = cached(
            "countries", _countries, row["sanctioning"], f"sanctioning at {where}", blocs
        )
        targets = cached("countries", _countries, row["target"], f"target at {where}", blocs)
        start = cached("start", _bound, row["start"], f"start at {where}", "start")
        if start is None:
            raise DataValidationError(
                f"start at {where}: the cell is empty; every measure needs its first day or "
                "period in force",
                field="start",
                value=None,
            )
        end = cached("end", _bound, row.get("end"), f"end at {where}", "end")
        if end is not None and end < start:
            raise DataValidationError(
                f"end at {where}: {plain(row.get('end'))!r} is before the start "
                f"{plain(row['start'])!r}",
                field="end",
                value=plain(row.get("end")),
            )
        measures.append(
            _Measure(
                reference=reference,
                sanctioning=_label(row["sanctioning"]),
                target=_label(row["target"]),
                senders=senders,
                targets=targets,
                start=start,
                end=end,
                kind=kind.strip(),
            )
        )
    return measures, {}


def _label(value: object) -> str:
    if isinstance(value, str):
        return value.strip()
    if isinstance(value, Iterable) and not isinstance(value, bytes | Mapping):
        return ";".join(str(plain(v)) for v in value)
    return str(plain(value))


def _catalog_measures(
    catalog: EventCatalog, target: object, blocs: Mapping[str, frozenset[str]]
) -> tuple[list[_Measure], dict[str, str]]:
    measures: list[_Measure] = []
    skipped: dict[str, str] = {}
    target_used = False
    for event in catalog:
        if event.kind.role != "sanctions":
            continue
        if event.kind is EventKind.VETO:
            skipped[event.reference] = "a veto imposes no measure"
            continue
        actor = getattr(event, "actor", None)
        aimed = getattr(event, "target", None)
        defaulted = aimed is None or aimed == "" or aimed == ()
        if defaulted:
            aimed = target
        if actor is None or actor == "" or actor == ():
            if event.kind is not EventKind.SANCTIONS_RESOLUTION:
                skipped[event.reference] = (
                    f"an event of kind {event.kind.value} that names no sanctioning country; give "
                    "the measure in a table (sanctioning, target, start, end, kind) instead"
                )
                continue
            actor = "UN"
        if aimed is None:
            raise DataValidationError(
                f"target: the catalog's event {event.reference!r} names no target country; "
                "pass the target, e.g. gravity(panel, catalog, target='PRK')",
                field="target",
                value=None,
            )
        where = f"event {event.reference!r}"
        target_used = target_used or defaulted
        measures.append(
            _Measure(
                reference=event.reference,
                sanctioning=_label(actor),
                target=_label(aimed),
                senders=_countries(actor, f"actor of {where}", blocs),
                targets=_countries(aimed, f"target of {where}", blocs),
                start=event.date,
                end=None,
                kind=event.kind.value,
            )
        )
    if not measures:
        listed = "; ".join(f"{k}: {v}" for k, v in list(skipped.items())[:3])
        raise InsufficientDataError(
            "sanctions: the catalog holds no sanctions measure that binds countries "
            "(sanctions_resolution events, or sanctions events with an actor)"
            + (f"; left out: {listed}" if listed else "")
        )
    if target is not None and not target_used:
        raise DataValidationError(
            f"target: {_label(target)!r} given, but every sanctions event of the catalog names "
            "its own target, so it would be ignored; leave out target",
            field="target",
            value=_label(target),
        )
    return measures, skipped


def _measures(
    sanctions: object, target: object, blocs: Mapping[str, Iterable[str]] | None
) -> tuple[list[_Measure], dict[str, str]]:
    table = _blocs(blocs)
    if target is not None:  # checked whether or not an event needs it
        _countries(target, "target", table)
    if isinstance(sanctions, EventCatalog):
        return _catalog_measures(sanctions, target, table)
    if isinstance(sanctions, TradeEvent):
        return _catalog_measures(EventCatalog([sanctions]), target, table)
    if isinstance(sanctions, pd.DataFrame):
        if target is not None:
            raise DataValidationError(
                f"target: {_label(target)!r} given, but a table of measures names the target "
                "of each measure (its target column), so it would be ignored; leave out target",
                field="target",
                value=_label(target),
            )
        return _frame_measures(sanctions, table)
    raise DataValidationError(
        "sanctions: expected an EventCatalog or a DataFrame with columns sanctioning, target, "
        f"start, end, kind; got {type(sanctions).__name__}",
        field="sanctions",
        value=type(sanctions).__name__,
    )


def sanction_measures(
    sanctions: EventCatalog | pd.DataFrame,
    *,
    target: str | Sequence[str] | None = None,
    blocs: Mapping[str, Iterable[str]] | None = None,
) -> pd.DataFrame:
    """The measures :func:`gravity` builds its sanction variables from, one row per measure.

    Parameters
    ----------
    sanctions : EventCatalog or pandas.DataFrame
        As in :func:`gravity`.
    target : str or list of str, optional
        The target of catalog events that name none (e.g. ``"PRK"``).
    blocs : mapping, optional
        Extra or replacement groups of countries (see :data:`BLOCS`).

    Returns
    -------
    pandas.DataFrame
        ``reference, sanctioning, target, start, end, kind, senders, targets, status``:
        ``sanctioning`` and ``target`` as given, ``senders`` and ``targets`` the country codes
        they stand for (``;``-joined), ``start`` the first day in force, ``end`` the last
        (empty when open-ended), ``status`` ``"used"`` or why the event was left out.

    Raises
    ------
    DataValidationError
        A malformed table, an unknown country or bloc, a catalog event without a target when
        ``target`` is not given.
    """
    measures, skipped = _measures(sanctions, target, blocs)
    rows: list[dict[str, Any]] = [
        {
            "reference": m.reference,
            "sanctioning": m.sanctioning,
            "target": m.target,
            "start": m.start.isoformat(),
            "end": None if m.end is None else m.end.isoformat(),
            "kind": m.kind,
            "senders": ";".join(sorted(m.senders)),
            "targets": ";".join(sorted(m.targets)),
            "status": "used",
        }
        for m in measures
    ]
    rows += [
        {
            "reference": ref,
            "sanctioning": None,
            "target": None,
            "start": None,
            "end": None,
            "kind": None,
            "senders": None,
            "targets": None,
            "status": why,
        }
        for ref, why in skipped.items()
    ]
    return pd.DataFrame(rows, columns=list(rows[0]) if rows else None)


def _treated_periods(periods: pd.PeriodIndex, m: _Measure) -> np.ndarray:
    """Periods wholly inside the time the measure is in force."""
    starts = periods.start_time
    ends = periods.end_time
    ok = np.asarray(starts >= pd.Timestamp(m.start))
    if m.end is not None:
        ok &= np.asarray(ends < pd.Timestamp(m.end) + pd.Timedelta(days=1))
    return ok
