from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pandas as pd
import pytest

import bilateral_trade as bt
from bilateral_trade import DataValidationError, EventKind, TradeEvent


def event(reference: str, date: str, kind: EventKind = EventKind.OTHER, **kw: object) -> TradeEvent:
    return TradeEvent(
        date=dt.date.fromisoformat(date), kind=kind, label=reference, reference=reference, **kw
    )


@pytest.fixture
def catalog() -> bt.EventCatalog:
    return bt.EventCatalog(
        [
            event(
                "UNSCR 2397", "2017-12-22", EventKind.SANCTIONS_RESOLUTION, hs_codes=("84", "2709")
            ),
            event("UNSCR 2371", "2017-08-05", EventKind.SANCTIONS_RESOLUTION),
            event("closure", "2020-01-31", EventKind.BORDER_CLOSURE),
            event("new year", "2018-01-01"),
        ]
    )


class TestTradeEvent:
    def test_first_period_and_period(self) -> None:
        e = event("UNSCR 2397", "2017-12-22")
        assert e.first_period("A") == pd.Period("2018", "Y")
        assert e.first_period("M") == pd.Period("2018-01", "M")
        assert e.first_period("Q") == pd.Period("2018Q1", "Q")
        assert e.period("A") == pd.Period("2017", "Y")
        assert e.period(bt.Frequency.MONTHLY) == pd.Period("2017-12", "M")

    def test_first_period_on_boundary(self) -> None:
        e = event("x", "2018-01-01")
        assert e.first_period("A") == pd.Period("2018", "Y")
        assert e.first_period("M") == pd.Period("2018-01", "M")

    def test_immutable(self) -> None:
        e = event("x", "2018-01-01")
        with pytest.raises(Exception, match="frozen"):
            e.label = "y"  # type: ignore[misc]

    def test_validation_error_is_ours(self) -> None:
        with pytest.raises(DataValidationError, match=r"hs_codes.*'67O4' is not an HS code"):
            event("x", "2018-01-01", hs_codes=("67O4",))
        with pytest.raises(DataValidationError, match="kind"):
            TradeEvent(date=dt.date(2018, 1, 1), kind="earthquake", label="x", reference="x")  # type: ignore[arg-type]
        with pytest.raises(DataValidationError, match="date"):
            TradeEvent(date="2018-02-30", kind="other", label="x", reference="x")  # type: ignore[arg-type]

    def test_to_dict_is_json(self) -> None:
        data = event("x", "2018-01-01", flags=("uncertain",)).to_dict()
        assert json.loads(json.dumps(data))["date"] == "2018-01-01"


class TestCatalog:
    def test_ordered_by_date(self, catalog: bt.EventCatalog) -> None:
        assert catalog.references == ("UNSCR 2371", "UNSCR 2397", "new year", "closure")
        assert len(catalog) == 4
        assert next(iter(catalog)).reference == "UNSCR 2371"

    def test_get_forgiving(self, catalog: bt.EventCatalog) -> None:
        assert catalog.get("UNSCR 2397").date == dt.date(2017, 12, 22)
        assert catalog.get("unscr2397").reference == "UNSCR 2397"
        assert catalog.get("2397").reference == "UNSCR 2397"
        assert "UNSCR 2371" in catalog and "UNSCR 9999" not in catalog

    def test_get_suggests(self, catalog: bt.EventCatalog) -> None:
        with pytest.raises(KeyError) as info:
            catalog.get("UNSCR 2398")
        assert isinstance(info.value, bt.UnknownEventError)
        assert "did you mean 'UNSCR 2397'" in str(info.value)

    def test_of_kind(self, catalog: bt.EventCatalog) -> None:
        assert catalog.of_kind("sanctions_resolution").references == ("UNSCR 2371", "UNSCR 2397")
        assert len(catalog.of_kind(EventKind.BORDER_CLOSURE, EventKind.OTHER)) == 2
        with pytest.raises(DataValidationError, match="kind: 'war' is not an EventKind"):
            catalog.of_kind("war")

    def test_between_and_in_period(self, catalog: bt.EventCatalog) -> None:
        assert catalog.between("2017-12-01", "2018-01-01").references == ("UNSCR 2397", "new year")
        assert catalog.between(2017, 2017).references == ("UNSCR 2371", "UNSCR 2397")
        assert catalog.in_period("2017-12").references == ("UNSCR 2397",)
        assert catalog.in_period(pd.Period("2020Q1", "Q")).references == ("closure",)

    def test_merge(self, catalog: bt.EventCatalog) -> None:
        more = bt.EventCatalog([event("later", "2025-01-01"), catalog.get("closure")])
        merged = catalog + more
        assert len(merged) == 5 and merged.references[-1] == "later"

    def test_duplicate_reference(self, catalog: bt.EventCatalog) -> None:
        with pytest.raises(
            DataValidationError, match="two different events share the reference 'closure'"
        ):
            catalog + bt.EventCatalog([event("closure", "2021-01-01")])

    def test_to_frame(self, catalog: bt.EventCatalog) -> None:
        frame = catalog.to_frame()
        assert frame["reference"].tolist() == list(catalog.references)
        assert frame.loc[1, "hs_codes"] == "84;2709"

    def test_json_round_trip(self, catalog: bt.EventCatalog, tmp_path: Path) -> None:
        path = tmp_path / "events.json"
        catalog.to_json(path)
        assert bt.EventCatalog.from_json(path) == catalog
        assert bt.EventCatalog.from_json(catalog.to_json()) == catalog

    def test_json_wrong_format_is_refused(self, catalog: bt.EventCatalog) -> None:
        data = json.loads(catalog.to_json())
        data["format"] = "bilateral_trade.TradeSeries"
        with pytest.raises(DataValidationError) as info:
            bt.EventCatalog.from_json(json.dumps(data))
        assert info.value.field == "format"
        assert "bilateral_trade.TradeSeries" in str(info.value)
        assert "EventCatalog.to_json" in str(info.value)
        del data["format"]  # older catalogs without the key still load
        assert bt.EventCatalog.from_json(json.dumps(data)) == catalog

    def test_csv_round_trip(self, catalog: bt.EventCatalog, tmp_path: Path) -> None:
        path = tmp_path / "events.csv"
        catalog.to_csv(path)
        assert bt.EventCatalog.from_csv(path) == catalog

    def test_csv_bad_row_names_line(self, tmp_path: Path) -> None:
        path = tmp_path / "events.csv"
        path.write_text(
            "reference,date,kind,label\nA,2017-01-01,other,a\nB,2017-13-01,other,b\n",
            encoding="utf-8",
        )
        with pytest.raises(DataValidationError, match="line 3: TradeEvent: date"):
            bt.EventCatalog.from_csv(path)

    def test_csv_missing_column(self, tmp_path: Path) -> None:
        path = tmp_path / "events.csv"
        path.write_text("ref,date,kind,label\nA,2017-01-01,other,a\n", encoding="utf-8")
        with pytest.raises(
            DataValidationError, match=r"column\(s\) reference missing .*columns found: ref, date"
        ):
            bt.EventCatalog.from_csv(path)

    def test_immutable(self, catalog: bt.EventCatalog) -> None:
        with pytest.raises(AttributeError):
            catalog._events = ()  # type: ignore[misc]
