"""Dated events that matter for trade series: :class:`TradeEvent` and :class:`EventCatalog`.

An event is a UN Security Council resolution, a unilateral sanctions package, a
countermeasure of the target, a veto, a national enforcement step, a border closure or
reopening, a war, a market shock, a nuclear test, a summit, a change in how the statistics
are compiled… Each event names who acts (``actor``) and whom it targets (``target``).
Analysis functions take events where they take dates: :meth:`TradeEvent.first_period` gives
the first period of a series that lies wholly on or after the event, the period a break test
or an impact model treats as the first period of the new regime.

A catalog is data with a schema (:data:`SCHEMA_VERSION`, :meth:`EventCatalog.schema`): any
sanctions regime written in it loads with :meth:`EventCatalog.from_csv` or
:meth:`EventCatalog.from_json`, and catalogs combine with ``a | b`` or
:meth:`EventCatalog.merge`.
"""

from __future__ import annotations

import csv
import datetime as _dt
import difflib
import io
import itertools
import json
import numbers
import re
import unicodedata
from collections.abc import Callable, Iterable, Iterator, Mapping
from enum import StrEnum
from pathlib import Path
from typing import IO, Any, Literal, overload

import pandas as pd
from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    ValidationError,
    field_validator,
    model_validator,
)
from pydantic_core import PydanticCustomError

from .._util.aliases import DateLike, JSONDict, PeriodLike
from .._util.checks import check_choice, check_int
from .._util.files import doubled, doubled_column_error, open_text
from ..errors import DataValidationError, UnknownEventError
from .countries import check_country
from .periods import Frequency, parse_period
from .series import FLAG_RE, HS_CODE_RE

__all__ = [
    "ORGANISATIONS",
    "SCHEMA_VERSION",
    "EventCatalog",
    "EventKind",
    "EventRole",
    "TradeEvent",
]

_CATALOG_FORMAT = "bilateral_trade.EventCatalog"

#: Version of the catalog schema (the fields of :class:`TradeEvent`, the CSV columns and the
#: JSON layout). 1: without ``actor`` and ``target``; 2: with them. Files of every version up
#: to this one load; :meth:`EventCatalog.to_json` writes it as ``schema_version``.
SCHEMA_VERSION = 2

#: Codes of the organisations that may act or be targeted, besides ISO 3166-1 alpha-3 country
#: codes (``"EU"`` stands for the member states at the date of the event).
ORGANISATIONS: dict[str, str] = {
    "UN": "United Nations (Security Council)",
    "EU": "European Union",
    "G7": "Group of Seven",
    "OPEC": "Organization of the Petroleum Exporting Countries",
    "OPEC+": "OPEC and its partners (Russia among them)",
    "WHO": "World Health Organization",
}

_CSV_COLUMNS = (
    "reference",
    "date",
    "date_precision",
    "kind",
    "actor",
    "target",
    "label",
    "description",
    "measures",
    "hs_codes",
    "banned_exports",
    "banned_supply",
    "source",
    "flags",
    "note",
)


class EventKind(StrEnum):
    """What kind of event a :class:`TradeEvent` is."""

    SANCTIONS_RESOLUTION = "sanctions_resolution"
    SANCTIONS_MEASURE = "sanctions_measure"
    COUNTERMEASURE = "countermeasure"
    VETO = "veto"
    ENFORCEMENT = "enforcement"
    BORDER_CLOSURE = "border_closure"
    BORDER_REOPENING = "border_reopening"
    NUCLEAR_TEST = "nuclear_test"
    MISSILE_LAUNCH = "missile_launch"
    DIPLOMACY = "diplomacy"
    DATA_DEFINITION = "data_definition"
    PANDEMIC = "pandemic"
    CONFLICT = "conflict"
    MARKET_SHOCK = "market_shock"
    OTHER = "other"

    @property
    def role(self) -> EventRole:
        """What the kind is to an analysis of sanctions.

        ``"sanctions"``: a sanctions measure or its enforcement (UN resolutions, vetoes of
        them, national enforcement steps, unilateral measures and packages, and the
        target's countermeasures, which belong to the same episode: they are candidates for
        a break and named when they take effect in the same period as the event analysed,
        and never bound a window). ``"confounder"``: moves trade for reasons other
        than sanctions (border closures and reopenings, a pandemic, a war, a market shock);
        the default window of :func:`bilateral_trade.analyze` stops at these.
        ``"measurement"``: changes how the data are compiled (a definition change, a gap in
        publication); a break may be an artefact of it, so it is named wherever it falls
        inside a window and offered as an alternative explanation of a break. ``"context"``:
        everything else (tests, launches, summits).
        """
        return _ROLES.get(self, "context")

    @property
    def is_confounder(self) -> bool:
        """True for kinds that move trade for reasons other than sanctions, or its measure.

        Both ``"confounder"`` and ``"measurement"`` roles count: a window that contains
        such an event gets a :class:`~bilateral_trade.DataQualityWarning`.
        """
        return self.role in ("confounder", "measurement")


EventRole = Literal["sanctions", "confounder", "measurement", "context"]

_ROLES: dict[EventKind, EventRole] = {
    EventKind.SANCTIONS_RESOLUTION: "sanctions",
    EventKind.SANCTIONS_MEASURE: "sanctions",
    EventKind.COUNTERMEASURE: "sanctions",
    EventKind.VETO: "sanctions",
    EventKind.ENFORCEMENT: "sanctions",
    EventKind.BORDER_CLOSURE: "confounder",
    EventKind.BORDER_REOPENING: "confounder",
    EventKind.PANDEMIC: "confounder",
    EventKind.CONFLICT: "confounder",
    EventKind.MARKET_SHOCK: "confounder",
    EventKind.DATA_DEFINITION: "measurement",
}


def _describe(exc: ValidationError, where: str = "") -> tuple[str, str | None, object]:
    """The message of a validation error, and the field and value of its first part."""
    parts = []
    field: str | None = None
    value: object = None
    for err in exc.errors():
        msg = err["msg"].removeprefix("Value error, ")
        ctx = err.get("ctx") or {}
        if not err["loc"] and "field" in ctx:  # a check across fields names its own field
            name, got, text = str(ctx["field"]), ctx.get("value"), msg
        else:
            name = ".".join(str(x) for x in err["loc"]) or "event"
            got = err.get("input")
            text = f"{name}: {msg} (got {got!r})"
        if field is None:
            field, value = name, got
        parts.append(text)
    prefix = f"{where}: " if where else ""
    return prefix + "; ".join(parts), field, value


#: A number written as text: ``"2017"``, ``"0"``, ``"1513900800"``, ``"1.5e9"``.
_NUMBER_TEXT = re.compile(r"^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$")


class TradeEvent(BaseModel):
    """One dated event, validated on construction and immutable.

    Build it with keyword arguments named as the attributes below.

    Attributes
    ----------
    date : datetime.date
        The day of the event (local date of the place where it happened; UN
        resolutions carry their New York adoption date), given as a date or an ISO 8601
        string (``"2017-12-22"``); a number (``2017``, ``0``, ``"1513900800"``) is refused,
        never read as seconds since 1970. An event known only to the month or year is
        stored on the first day of it, with ``date_precision``.
    kind : EventKind
        What kind of event it is.
    label : str
        Short human-readable label.
    reference : str
        Identifier unique within a catalog, e.g. ``"UNSCR 2397"``; it needs a letter or a
        digit (of any script), since references are compared ignoring case, spaces and
        punctuation.
    actor : tuple of str
        Who imposes or acts: ISO 3166-1 alpha-3 country codes (``"RUS"``, ``"USA"``) or
        organisation codes (:data:`ORGANISATIONS`: ``"UN"``, ``"EU"``, ``"G7"``, …). Empty
        when not recorded. Text is accepted and split on ``";"`` (``actor="UN"``).
    target : tuple of str
        Whom the event targets, in the same codes (``"PRK"``, ``"RUS"``); a region is coded
        as the country it belongs to under international law. Empty when it targets no one
        (a market shock, a pandemic) or is not recorded.
    description, measures : str
        What happened; the trade measures it imposed.
    hs_codes : tuple of str
        HS codes (2, 4 or 6 digits) the measures name or are mapped to.
    banned_exports : tuple of str
        HS codes the target may not export (they hit its partners' imports from it).
    banned_supply : tuple of str
        HS codes that may not be supplied to the target (its partners' exports to it).
    date_precision : {"day", "month", "year"}
        ``"month"`` needs a date on the 1st, ``"year"`` a date on 1 January.
    source : str
        Where the facts come from.
    flags : tuple of str
        Quality flags, e.g. ``"uncertain"`` (date or facts not verified against a
        primary source) or ``"hs_mapped"`` (HS codes mapped by the compiler, not
        written in the resolution).
    note : str
        Anything else worth knowing.

    Raises
    ------
    DataValidationError
        Naming the field and the value that failed validation; also an event of the
        sanctions role (:attr:`EventKind.role`) whose actor is among its targets, and a
        ``date_precision`` the date does not have (``"year"`` with 2017-03-05).
    """

    model_config = ConfigDict(frozen=True, extra="forbid", str_strip_whitespace=True)

    date: _dt.date
    kind: EventKind
    label: str = Field(min_length=1)
    reference: str = Field(min_length=1)
    actor: tuple[str, ...] = ()
    target: tuple[str, ...] = ()
    description: str = ""
    measures: str = ""
    hs_codes: tuple[str, ...] = ()
    banned_exports: tuple[str, ...] = ()
    banned_supply: tuple[str, ...] = ()
    date_precision: Literal["day", "month", "year"] = "day"
    source: str = ""
    flags: tuple[str, ...] = ()
    note: str = ""

    def __init__(self, **data: Any) -> None:
        try:
            super().__init__(**data)
        except ValidationError as exc:
            message, field, value = _describe(exc, "TradeEvent")
            raise DataValidationError(message, field=field, value=value) from None

    @field_validator("date", mode="before")
    @classmethod
    def _date_not_number(cls, value: Any) -> Any:
        # pydantic reads a number (or digits) as seconds since 1970: 0 would be 1970-01-01
        number = isinstance(value, numbers.Number) and not isinstance(value, bool)
        if number or (isinstance(value, str) and _NUMBER_TEXT.match(value.strip())):
            raise ValueError(
                f"{value!r} is a number, not a date (it would be read as seconds since "
                "1970); give an ISO 8601 date such as '2017-12-22' (an event known only to its "
                "year is dated on 1 January with date_precision='year': '2017-01-01')"
            )
        return value

    @field_validator("reference")
    @classmethod
    def _check_reference(cls, value: str) -> str:
        if not _normalise(value):
            raise ValueError(
                "the reference holds no letter or digit; references are compared ignoring "
                "case, spaces and punctuation, so give one with a letter or a digit (e.g. "
                "'UNSCR 2397')"
            )
        return value

    @field_validator("actor", "target", mode="before")
    @classmethod
    def _split_parties(cls, value: Any) -> Any:
        if isinstance(value, str):
            return tuple(x.strip() for x in value.split(";") if x.strip())
        return value

    @field_validator("actor", "target")
    @classmethod
    def _check_parties(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        return tuple(dict.fromkeys(_party(code) for code in value))

    @field_validator("hs_codes", "banned_exports", "banned_supply")
    @classmethod
    def _check_hs(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        for code in value:
            if not HS_CODE_RE.match(code):
                raise ValueError(f"{code!r} is not an HS code of 2, 4 or 6 digits")
        return value

    @field_validator("flags")
    @classmethod
    def _check_flags(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        for flag in value:
            if not FLAG_RE.match(flag):
                raise ValueError(f"{flag!r} is not a lower-case flag word")
        return tuple(sorted(set(value)))

    @model_validator(mode="after")
    def _consistent(self) -> TradeEvent:
        if self.kind.role == "sanctions" and (both := [c for c in self.actor if c in self.target]):
            raise PydanticCustomError(
                "event_consistency",
                "target: {codes} is both the actor and the target of this {kind} event; a "
                "sanctions measure binds someone else (check the actor and target columns)",
                {"field": "target", "value": both, "codes": ", ".join(both), "kind": self.kind},
            )
        first = {
            "year": (self.date.replace(month=1, day=1), "1 January of its year"),
            "month": (self.date.replace(day=1), "the first day of its month"),
        }
        if self.date_precision in first and self.date != first[self.date_precision][0]:
            day, words = first[self.date_precision]
            raise PydanticCustomError(
                "event_consistency",
                "date: {date} with date_precision '{precision}': an event known only to the "
                "{precision} is dated on {words} ({day}); give that date, or the precision "
                "the date has",
                {
                    "field": "date",
                    "value": self.date.isoformat(),
                    "date": self.date.isoformat(),
                    "precision": self.date_precision,
                    "words": words,
                    "day": day.isoformat(),
                },
            )
        return self

    def is_same(self, other: TradeEvent) -> bool:
        """Whether ``other`` records this event: equal, or the same reference on the same date.

        References are compared as a catalog compares them (case, spaces and punctuation
        aside), so ``"unscr-2397"`` on 2017-12-22 is UNSCR 2397.
        """
        return self == other or (
            self.date == other.date and _normalise(self.reference) == _normalise(other.reference)
        )

    def period(self, freq: Frequency | str) -> pd.Period:
        """The period of frequency ``freq`` that contains the event date.

        UNSCR 2397 (2017-12-22) is in 2017 (annual) and 2017-12 (monthly).
        """
        return pd.Period(self.date, freq=Frequency.parse(freq).pandas_freq)

    def first_period(self, freq: Frequency | str) -> pd.Period:
        """The first period of frequency ``freq`` that starts on or after the event date.

        This is the first period wholly after the event began: the first period of
        the new regime in break tests and impact models. UNSCR 2397 (2017-12-22)
        gives 2018 in annual data and 2018-01 in monthly data; an event on
        2018-01-01 gives 2018 and 2018-01.
        """
        containing = self.period(freq)
        if containing.start_time.date() == self.date:
            return containing
        return containing + 1

    def to_dict(self) -> JSONDict:
        """JSON-ready dictionary (dates as ISO strings)."""
        data: JSONDict = self.model_dump(mode="json")
        return data

    def __str__(self) -> str:
        return f"{self.reference} ({self.date.isoformat()}, {self.kind.value}): {self.label}"


# two-letter country codes people write for the alpha-3 ones
_ALPHA2 = {
    "US": "USA",
    "UK": "GBR",
    "GB": "GBR",
    "RU": "RUS",
    "CN": "CHN",
    "KP": "PRK",
    "KR": "KOR",
    "UA": "UKR",
    "BY": "BLR",
    "IN": "IND",
    "JP": "JPN",
}


def _party(code: str) -> str:
    """An actor or target code: an organisation of :data:`ORGANISATIONS` or an ISO3 code."""
    upper = code.strip().upper()
    if upper in ORGANISATIONS:
        return upper
    try:
        return check_country(upper, "code")
    except DataValidationError:
        close = _ALPHA2.get(upper) or ", ".join(
            map(repr, difflib.get_close_matches(upper, list(ORGANISATIONS), n=2, cutoff=0.6))
        )
        hint = f" (did you mean {close if upper not in _ALPHA2 else repr(close)}?)" if close else ""
        raise ValueError(
            f"{code!r} is neither an ISO 3166-1 alpha-3 country code (e.g. 'RUS', 'USA') nor "
            f"one of the organisations {', '.join(ORGANISATIONS)}{hint}"
        ) from None


def _to_date(value: DateLike | PeriodLike, field: str) -> _dt.date:
    if isinstance(value, pd.Timestamp):
        return value.date()
    if isinstance(value, _dt.date):
        return value
    if isinstance(value, pd.Period):
        return value.start_time.date()
    try:
        return pd.Timestamp(str(value)).date()
    except (ValueError, TypeError):
        raise DataValidationError(
            f"{field}: {value!r} is not a date (use ISO 8601, e.g. 2017-12-22)",
            field=field,
            value=value,
        ) from None


def _short(value: object, limit: int = 60) -> str:
    """A value's repr for a message, cut to ``limit`` characters."""
    text = repr(value)
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _normalise(reference: str) -> str:
    """A reference as it is compared: ``"UNSCR 2397"``, ``"unscr-2397"`` → ``"unscr2397"``.

    Case-folded and NFKC-normalised (``"ＵＮＳＣＲ２３９７"`` is ``"unscr2397"``), without
    whitespace, punctuation and invisible (control and format) characters; the letters,
    digits, marks and symbols of every script are kept, so ``"Резолюция 1"`` and
    ``"Постановление 1"`` stay two references.
    """
    text = unicodedata.normalize("NFKC", unicodedata.normalize("NFKC", reference).casefold())
    return "".join(
        ch
        for ch in text
        if not ch.isspace()
        and unicodedata.category(ch)[0] not in "PZ"
        and unicodedata.category(ch) not in ("Cc", "Cf")
    )


def _codes(codes: tuple[str, ...], field: str) -> set[str]:
    out = set()
    for code in codes:
        if not isinstance(code, str):
            raise DataValidationError(
                f"{field}: {code!r} is not a code; give text such as 'EU' or 'RUS'",
                field=field,
                value=code,
            )
        try:
            out.add(_party(code))
        except ValueError as exc:
            raise DataValidationError(f"{field}: {exc}", field=field, value=code) from None
    return out


_SCHEMA_HEADER = ("column", "type", "required", "allowed", "since_version", "meaning")
_HS = "';'-separated HS codes of 2, 4 or 6 digits"
_PARTIES = (
    f"';'-separated ISO 3166-1 alpha-3 codes or organisation codes ({', '.join(ORGANISATIONS)})"
)
_SCHEMA: tuple[tuple[str, str, bool, str, int, str], ...] = (
    (
        "reference",
        "text",
        True,
        "non-empty; unique in a catalog (ignoring case, spaces and punctuation)",
        1,
        "identifier, e.g. 'UNSCR 2397'",
    ),
    (
        "date",
        "date",
        True,
        "ISO 8601 YYYY-MM-DD",
        1,
        "day of the event (first day of the month or year when known only to it)",
    ),
    (
        "date_precision",
        "text",
        False,
        "day, month, year (default day)",
        1,
        "how precisely the date is known",
    ),
    (
        "kind",
        "text",
        True,
        "an EventKind value: " + ", ".join(k.value for k in EventKind),
        1,
        "what kind of event; its role (sanctions, confounder, measurement, context) follows",
    ),
    ("actor", "list of codes", False, _PARTIES, 2, "who imposes or acts"),
    (
        "target",
        "list of codes",
        False,
        _PARTIES,
        2,
        "whom it targets; a region is coded as its country",
    ),
    ("label", "text", True, "non-empty", 1, "short human-readable label"),
    ("description", "text", False, "any", 1, "what happened"),
    ("measures", "text", False, "any", 1, "the trade measures imposed"),
    ("hs_codes", "list of HS codes", False, _HS, 1, "HS codes the measures name"),
    (
        "banned_exports",
        "list of HS codes",
        False,
        _HS,
        1,
        "goods the target may not export (its partners' imports from it)",
    ),
    (
        "banned_supply",
        "list of HS codes",
        False,
        _HS,
        1,
        "goods that may not be supplied to the target (its partners' exports to it)",
    ),
    ("source", "text", False, "any", 1, "where the facts come from"),
    (
        "flags",
        "list of flags",
        False,
        "';'-separated lower-case words, e.g. uncertain, hs_mapped",
        1,
        "quality flags",
    ),
    ("note", "text", False, "any", 1, "anything else"),
)


class _Merge:
    """``EventCatalog.merge(a, b, ...)`` and ``a.merge(b, ...)`` (which includes ``a``)."""

    def __get__(
        self, obj: EventCatalog | None, owner: type[EventCatalog]
    ) -> Callable[..., EventCatalog]:
        def merge(*catalogs: EventCatalog) -> EventCatalog:
            """The union of catalogs: one event per reference.

            ``EventCatalog.merge(a, b, c)``, or ``a.merge(b, c)`` (``a`` included), is
            ``a | b | c``. An event in several catalogs is kept once.

            Raises
            ------
            DataValidationError
                An argument that is not an EventCatalog (naming its position), or two
                different events with one reference (naming it and the fields that differ).
            """
            items = catalogs if obj is None else (obj, *catalogs)
            events: list[TradeEvent] = []
            for number, catalog in enumerate(items, start=1):
                if not isinstance(catalog, EventCatalog):
                    raise DataValidationError(
                        f"catalogs: argument {number} is a {type(catalog).__name__}, not an "
                        "EventCatalog",
                        field="catalogs",
                        value=type(catalog).__name__,
                    )
                events.extend(catalog)
            return owner(events)

        return merge


class EventCatalog:
    """An immutable, date-ordered collection of :class:`TradeEvent` with unique references.

    Events are kept in date order (ties keep the order given). ``get`` finds an
    event by reference, forgiving case, spaces and punctuation
    (``"unscr2397"`` finds ``"UNSCR 2397"``; a bare number finds the one reference
    that ends with it). References are compared case-folded and NFKC-normalised, without
    whitespace, punctuation and invisible characters: the letters and digits of every
    script count, so ``"Резолюция 1"`` and ``"Постановление 1"`` are two references.

    Parameters
    ----------
    events : iterable of TradeEvent

    Raises
    ------
    DataValidationError
        If two different events share a reference.
    """

    __slots__ = ("_events",)

    _events: tuple[TradeEvent, ...]

    def __init__(self, events: Iterable[TradeEvent] = ()) -> None:
        items = list(events)
        seen: dict[str, TradeEvent] = {}
        unique: list[TradeEvent] = []
        for event in items:
            if not isinstance(event, TradeEvent):
                raise DataValidationError(
                    f"events: expected TradeEvent, got {type(event).__name__}",
                    field="events",
                    value=type(event).__name__,
                )
            key = _normalise(event.reference)
            if key in seen:
                if seen[key] == event:
                    continue
                differ = [
                    name
                    for name in TradeEvent.model_fields
                    if getattr(seen[key], name) != getattr(event, name)
                ]
                raise DataValidationError(
                    f"reference: two different events share the reference {event.reference!r} "
                    f"({seen[key].date} and {event.date}; they differ in {', '.join(differ)}); "
                    "references must be unique: rename one",
                    field="reference",
                    value=event.reference,
                )
            seen[key] = event
            unique.append(event)
        unique.sort(key=lambda e: e.date)
        object.__setattr__(self, "_events", tuple(unique))

    def __setattr__(self, name: str, value: object) -> None:
        raise AttributeError(f"EventCatalog is immutable; cannot set {name!r}")

    # -------------------------------------------------------------- container
    def __iter__(self) -> Iterator[TradeEvent]:
        return iter(self._events)

    def __len__(self) -> int:
        return len(self._events)

    @overload
    def __getitem__(self, item: int) -> TradeEvent: ...
    @overload
    def __getitem__(self, item: slice) -> EventCatalog: ...
    def __getitem__(self, item: int | slice) -> TradeEvent | EventCatalog:
        if isinstance(item, slice):
            return EventCatalog(self._events[item])
        return self._events[item]

    def __contains__(self, reference: object) -> bool:
        return isinstance(reference, str) and self._find(reference) is not None

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, EventCatalog):
            return NotImplemented
        return self._events == other._events

    def __hash__(self) -> int:
        return hash(self._events)

    def __add__(self, other: object) -> EventCatalog:
        """Merge two catalogs (as ``a | b``); an event in both is kept once."""
        if not isinstance(other, EventCatalog):
            return NotImplemented
        return EventCatalog((*self._events, *other._events))

    def __or__(self, other: object) -> EventCatalog:
        """``a | b``: the union of two catalogs (see :meth:`merge`)."""
        if not isinstance(other, EventCatalog):
            return NotImplemented
        return EventCatalog((*self._events, *other._events))

    merge = _Merge()

    def __repr__(self) -> str:
        if not self._events:
            return "EventCatalog(0 events)"
        return (
            f"EventCatalog({len(self)} events, {self._events[0].date} to {self._events[-1].date})"
        )

    @property
    def references(self) -> tuple[str, ...]:
        """References of the events, in date order."""
        return tuple(e.reference for e in self._events)

    # ---------------------------------------------------------------- queries
    def _find(self, reference: str) -> TradeEvent | None:
        key = _normalise(reference)
        if not key:
            return None
        for event in self._events:
            if _normalise(event.reference) == key:
                return event
        if key.isascii() and key.isdigit():
            hits = [
                e
                for e in self._events
                if re.search(rf"(^|[^0-9]){re.escape(key)}$", e.reference.strip())
            ]
            if len(hits) == 1:
                return hits[0]
        return None

    def get(self, reference: str | int) -> TradeEvent:
        """The event with this reference (a bare number, ``2397``, may be a positive int).

        References are compared as :class:`EventCatalog` says (case, spaces and punctuation
        ignored, in every script); a bare number finds the one reference that ends with it.

        Raises
        ------
        UnknownEventError
            A :class:`KeyError` whose message suggests close references.
        DataValidationError
            If ``reference`` is neither text nor a positive integer (None, ``-2397``, a
            boolean), or is text without a letter or a digit (``"!!!"``, ``""``).
        """
        if not isinstance(reference, str):
            if not isinstance(reference, numbers.Integral) or isinstance(reference, bool):
                raise DataValidationError(
                    f"reference: {_short(reference)} is not an event reference; give text "
                    "such as 'UNSCR 2397' (or the number of a resolution, 2397)",
                    field="reference",
                    value=reference,
                )
            number = check_int(
                reference,
                "reference",
                minimum=1,
                hint="give text such as 'UNSCR 2397', or the number of a resolution (2397)",
            )
            reference = str(number)
        if not _normalise(reference):
            raise DataValidationError(
                f"reference: {_short(reference)} holds no letter or digit, so it names no "
                "event; give a reference such as 'UNSCR 2397'",
                field="reference",
                value=reference,
            )
        event = self._find(reference)
        if event is not None:
            return event
        refs = list(self.references)
        close = difflib.get_close_matches(reference, refs, n=3, cutoff=0.5)
        if not close:
            by_norm = {_normalise(r): r for r in refs}
            close = [
                by_norm[m]
                for m in difflib.get_close_matches(_normalise(reference), by_norm, n=3, cutoff=0.5)
            ]
        hint = f"; did you mean {', '.join(map(repr, close))}?" if close else ""
        raise UnknownEventError(f"no event with reference {reference!r} in the catalog{hint}")

    def of_kind(self, *kinds: EventKind | str) -> EventCatalog:
        """The events of any of the given kinds."""
        wanted = set()
        for kind in kinds:
            try:
                wanted.add(EventKind(kind))
            except ValueError:
                raise DataValidationError(
                    f"kind: {kind!r} is not an EventKind; use one of "
                    f"{', '.join(k.value for k in EventKind)}",
                    field="kind",
                    value=kind,
                ) from None
        return EventCatalog(e for e in self._events if e.kind in wanted)

    def of_role(self, *roles: EventRole) -> EventCatalog:
        """The events whose kind has one of the given roles (see :attr:`EventKind.role`).

        ``catalog.of_role("confounder", "measurement")`` are the confounders an analysis
        window is checked against.
        """
        known = ("sanctions", "confounder", "measurement", "context")
        for role in roles:
            if role not in known:
                raise DataValidationError(
                    f"role: {role!r} is not one of {', '.join(known)}", field="role", value=role
                )
        return EventCatalog(e for e in self._events if e.kind.role in roles)

    def of_actor(self, *codes: str) -> EventCatalog:
        """The events whose ``actor`` includes any of the codes (``of_actor("EU", "USA")``).

        Raises
        ------
        DataValidationError
            A code that is neither an ISO 3166-1 alpha-3 code nor an organisation code.
        """
        wanted = _codes(codes, "actor")
        return EventCatalog(e for e in self._events if wanted & set(e.actor))

    def of_target(self, *codes: str) -> EventCatalog:
        """The events whose ``target`` includes any of the codes (``of_target("RUS")``).

        Raises
        ------
        DataValidationError
            A code that is neither an ISO 3166-1 alpha-3 code nor an organisation code.
        """
        wanted = _codes(codes, "target")
        return EventCatalog(e for e in self._events if wanted & set(e.target))

    def between(self, start: DateLike | PeriodLike, end: DateLike | PeriodLike) -> EventCatalog:
        """The events dated from ``start`` to ``end``, both included.

        A period bound covers the whole period: ``between("2017", "2017")`` is the year 2017.
        """
        lo = _to_date(start, "start")
        if isinstance(end, pd.Period) or (isinstance(end, int | str) and not _is_date(end)):
            hi = parse_period(end, field="end").end_time.date()
        else:
            hi = _to_date(end, "end")
        if isinstance(start, int | str) and not _is_date(start):
            lo = parse_period(start, field="start").start_time.date()
        return EventCatalog(e for e in self._events if lo <= e.date <= hi)

    def in_period(self, period: PeriodLike, freq: Frequency | str | None = None) -> EventCatalog:
        """The events dated within one period (``2017``, ``"2017-12"``, a Period)."""
        p = parse_period(period, Frequency.parse(freq) if freq else None, field="period")
        lo, hi = p.start_time.date(), p.end_time.date()
        return EventCatalog(e for e in self._events if lo <= e.date <= hi)

    # ------------------------------------------------------------------ tables
    def to_frame(self) -> pd.DataFrame:
        """One row per event; list fields joined with ``";"``."""
        rows = [_event_row(e) for e in self._events]
        frame = pd.DataFrame(rows, columns=list(_CSV_COLUMNS))
        frame["date"] = pd.to_datetime(frame["date"])
        return frame

    def to_dict(self) -> JSONDict:
        """JSON-ready dictionary: ``format``, ``schema_version`` and ``events``."""
        return {
            "format": _CATALOG_FORMAT,
            "schema_version": SCHEMA_VERSION,
            "events": [e.to_dict() for e in self._events],
        }

    @staticmethod
    def schema() -> pd.DataFrame:
        """The catalog schema, one row per field (CSV column, JSON key).

        Columns ``column, type, required, allowed, since_version, meaning``. The schema's
        version is :data:`SCHEMA_VERSION`.
        """
        return pd.DataFrame(
            [dict(zip(_SCHEMA_HEADER, row, strict=True)) for row in _SCHEMA],
            columns=list(_SCHEMA_HEADER),
        )

    def to_json(self, path: str | Path | None = None, *, indent: int | None = 1) -> str:
        """Serialise to JSON (and write it to ``path`` when given)."""
        text = json.dumps(self.to_dict(), indent=indent, ensure_ascii=False)
        if path is not None:
            Path(path).write_text(text + "\n", encoding="utf-8")
        return text

    def to_csv(self, path: str | Path | None = None) -> str:
        """Serialise to CSV in the layout :meth:`from_csv` reads."""
        buffer = io.StringIO()
        writer = csv.DictWriter(buffer, fieldnames=list(_CSV_COLUMNS), lineterminator="\n")
        writer.writeheader()
        for event in self._events:
            writer.writerow(_event_row(event))
        if path is not None:
            Path(path).write_text(buffer.getvalue(), encoding="utf-8")
        return buffer.getvalue()

    @classmethod
    def from_records(
        cls, records: Iterable[Mapping[str, Any]], *, row_label: str = "record", first_row: int = 1
    ) -> EventCatalog:
        """Build a catalog from dictionaries with :class:`TradeEvent` fields.

        ``hs_codes`` and ``flags`` may be lists or ``";"``-separated strings.

        Raises
        ------
        DataValidationError
            Naming the record (row) number, the field and the value.
        """
        return cls._build(records, row_label, itertools.count(first_row))

    @classmethod
    def _build(
        cls, records: Iterable[Mapping[str, Any]], row_label: str, numbers: Iterable[int]
    ) -> EventCatalog:
        events = []
        for number, record in zip(numbers, records, strict=False):
            if not isinstance(record, Mapping):
                raise DataValidationError(
                    f"{row_label} {number}: expected an object with TradeEvent fields (date, "
                    f"kind, label, reference), got {type(record).__name__} {_short(record)}",
                    field="events",
                    value=_short(record),
                )
            odd = [k for k in record if not isinstance(k, str)]
            if odd:
                raise DataValidationError(
                    f"{row_label} {number}: field names are text, got {_short(odd[0])}",
                    field="events",
                    value=_short(odd[0]),
                )
            data = {k: v for k, v in record.items() if v is not None and v != ""}
            for key in ("actor", "target", "hs_codes", "banned_exports", "banned_supply", "flags"):
                if isinstance(data.get(key), str):
                    data[key] = tuple(x.strip() for x in data[key].split(";") if x.strip())
            try:
                events.append(TradeEvent(**data))
            except DataValidationError as exc:
                raise DataValidationError(
                    f"{row_label} {number}: {exc}", field=exc.field, value=exc.value
                ) from None
        return cls(events)

    @classmethod
    def from_json(cls, source: str | Path) -> EventCatalog:
        """Read a catalog from a JSON file path or a JSON string written by :meth:`to_json`.

        A string that starts with ``{`` or ``[`` is JSON text; any other string, or a
        :class:`~pathlib.Path`, names a file (UTF-8).

        A UTF-8 byte order mark before the JSON is dropped.

        Raises
        ------
        DataValidationError
            Text that is not JSON, an object that holds a key twice (naming it), JSON that is
            not a list of events (or an object with ``events``), an invalid event (naming its
            number, from 1), or a file that is not UTF-8 text.
        OSError
            A missing or unreadable file (FileNotFoundError, PermissionError).
        """
        if not isinstance(source, str | Path):
            raise DataValidationError(
                f"source: expected JSON text or a file path, got {type(source).__name__}",
                field="source",
                value=type(source).__name__,
            )
        text = str(source).removeprefix("\ufeff")  # a byte order mark is no part of the JSON
        if isinstance(source, Path) or not text.lstrip().startswith(("{", "[")):
            if "\x00" in text:
                raise DataValidationError(
                    "source: neither JSON text (it does not start with '{' or '[') nor a file "
                    "name (it holds a NUL character)",
                    field="source",
                    value=_short(text),
                )
            try:
                with open_text(source) as fh:  # a UTF-8 byte order mark is dropped
                    text = fh.read()
            except UnicodeDecodeError as exc:
                raise DataValidationError(
                    f"source: {Path(source).name} is not UTF-8 text (byte "
                    f"{exc.object[exc.start : exc.start + 1].hex()} at position {exc.start}); "
                    "save it as UTF-8",
                    field="source",
                    value=Path(source).name,
                ) from None
        try:
            data = json.loads(text, object_pairs_hook=_unique_keys)
        except _DoubledKeyError as exc:
            key, first, second = exc.args
            raise DataValidationError(
                f"json: an object holds the key {key!r} twice ({_short(first, 40)} and "
                f"{_short(second, 40)}); keep one (which one is meant cannot be guessed)",
                field=key,
                value=key,
            ) from None
        except (ValueError, RecursionError) as exc:
            raise DataValidationError(f"json: not valid JSON ({exc})", field="json") from None
        if isinstance(data, dict) and "format" in data:
            # Older catalogs (a bare list, or an object without the key) still load.
            check_choice(
                data["format"],
                "format",
                (_CATALOG_FORMAT,),
                hint=(
                    "this is not an EventCatalog JSON (a 'bilateral_trade.TradeSeries' file "
                    "is read with TradeSeries.from_json); write catalogs with EventCatalog.to_json"
                ),
            )
        if isinstance(data, dict) and "schema_version" in data:
            version = data["schema_version"]
            version = check_int(
                version, "schema_version", minimum=1, hint="a schema version is 1, 2, …"
            )
            if version > SCHEMA_VERSION:
                raise DataValidationError(
                    f"schema_version: the catalog is written in schema version {version}; this "
                    f"version of bilateral_trade reads versions 1 to {SCHEMA_VERSION} "
                    "(upgrade bilateral_trade)",
                    field="schema_version",
                    value=version,
                )
        records = data.get("events") if isinstance(data, dict) else data
        if not isinstance(records, list):
            raise DataValidationError(
                "json: expected a list of events or an object with 'events'", field="json"
            )
        return cls.from_records(records, row_label="event")

    @classmethod
    def from_csv(cls, path: str | Path) -> EventCatalog:
        """Read a catalog from CSV in the layout :meth:`to_csv` writes.

        The columns ``date``, ``kind``, ``label`` and ``reference`` are required; the others
        (:meth:`schema`) are optional, so files of every schema version load. Empty cells are
        the field's default; list fields are ``";"``-separated.

        The file is UTF-8 text, with or without a byte order mark.

        Raises
        ------
        DataValidationError
            A missing column (naming the columns found), a column named twice, a row with
            more or fewer fields than the header, or an invalid row, naming its line
            as an editor shows it (line 1 is the header; a quoted field that spans lines
            counts each; the line named is the first of the row).
        """
        name = Path(path).name
        try:
            with open_text(path) as fh:  # a UTF-8 byte order mark (Excel's "CSV UTF-8") is dropped
                lines = _CountingLines(fh)
                reader = csv.DictReader(lines)
                found = reader.fieldnames or []
                lines.mark()
                twice = doubled(found)
                if twice is not None:  # the last column of that name would silently win
                    raise doubled_column_error(name, twice)
                missing = [c for c in ("date", "kind", "label", "reference") if c not in found]
                if missing:
                    raise DataValidationError(
                        f"{missing[0]}: column(s) {', '.join(missing)} missing from {name}; "
                        f"columns found: {', '.join(found)}",
                        field=missing[0],
                    )
                records = []
                numbers = []
                for record in reader:
                    numbers.append(lines.first_of_row())
                    if None in record or None in record.values():
                        raise DataValidationError(
                            f"line {numbers[-1]}: the row has "
                            f"{'more' if None in record else 'fewer'} fields than the header "
                            f"of {name}",
                            field="file",
                            value=name,
                        )
                    records.append(record)
        except UnicodeDecodeError as exc:
            raise DataValidationError(
                f"file: {name} is not UTF-8 text (byte "
                f"{exc.object[exc.start : exc.start + 1].hex()} at position {exc.start}); "
                "save it as UTF-8",
                field="file",
                value=name,
            ) from None
        except csv.Error as exc:
            raise DataValidationError(
                f"file: {name} is not a well-formed CSV file ({exc})", field="file", value=name
            ) from None
        return cls._build(records, "line", numbers)

    @classmethod
    def read_csv(cls, path: str | Path) -> EventCatalog:
        """The same as :meth:`from_csv` (named like :meth:`TradePanel.read_csv`)."""
        return cls.from_csv(path)


class _DoubledKeyError(Exception):
    """A JSON object holds a key twice: (key, first value, second value)."""


def _unique_keys(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    """A JSON object, refusing a key given twice (``json`` would keep the last silently)."""
    out: dict[str, Any] = {}
    for key, value in pairs:
        if key in out:
            raise _DoubledKeyError(key, out[key], value)
        out[key] = value
    return out


class _CountingLines:
    """Lines of a file for :mod:`csv`, remembering where each row starts."""

    def __init__(self, handle: IO[str]) -> None:
        self._handle = handle
        self._number = 0
        self._nonblank: list[int] = []
        self._taken = 0

    def __iter__(self) -> _CountingLines:
        return self

    def __next__(self) -> str:
        line = next(self._handle)
        self._number += 1
        if line.strip("\r\n"):
            self._nonblank.append(self._number)
        return line

    def mark(self) -> None:
        """Forget the lines read so far (the header)."""
        self._taken = len(self._nonblank)

    def first_of_row(self) -> int:
        """The first non-blank line read since the previous call: where the row starts."""
        number = self._nonblank[self._taken] if self._taken < len(self._nonblank) else 0
        self._taken = len(self._nonblank)
        return number


def _is_date(value: object) -> bool:
    return isinstance(value, str) and bool(re.match(r"^\d{4}-\d{2}-\d{2}$", value.strip()))


def _event_row(event: TradeEvent) -> dict[str, str]:
    return {
        "reference": event.reference,
        "date": event.date.isoformat(),
        "date_precision": event.date_precision,
        "kind": event.kind.value,
        "actor": ";".join(event.actor),
        "target": ";".join(event.target),
        "label": event.label,
        "description": event.description,
        "measures": event.measures,
        "hs_codes": ";".join(event.hs_codes),
        "banned_exports": ";".join(event.banned_exports),
        "banned_supply": ";".join(event.banned_supply),
        "source": event.source,
        "flags": ";".join(event.flags),
        "note": event.note,
    }
