"""No silent wrong number in the loaders and the event catalog (issue 18).

One class per item of the issue that concerns reading files and catalogs: short CSV rows
(8), BACI product codes (9), numbers as event dates (12), duplicate columns and keys (15),
reference matching (16), event consistency (17), Parquet folders that disagree with their
rows (18), byte order marks (24), BACI overflow and empty filters (26). Each file is written
in the test, and the expected values and lines are worked out by hand from it.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pytest

import bilateral_trade as bt
from bilateral_trade import DataValidationError, UnknownEventError
from bilateral_trade.cli import main
from bilateral_trade.io import convert_baci, read_baci, read_comtrade, read_parquet

BOM = "\ufeff"
BACI = "t,i,j,k,v,q\n"


def write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8", newline="")
    return path


def short(line: int, fields: int, header: int) -> str:
    """The message of a row with fewer fields than the header."""
    return (
        rf"is not a well-formed CSV file \(line {line} has fewer fields than the header: "
        rf"{fields}, not {header}\)"
    )


def panel_csv(path: Path) -> Path:
    """A panel file whose last column (source) is text that may be empty."""
    frame = pd.DataFrame(
        {
            "reporter": ["CHN", "CHN", "CHN"],
            "partner": ["USA", "PRK", "KOR"],
            "flow": ["exports"] * 3,
            "product": ["TOTAL"] * 3,
            "period": ["2019"] * 3,
            "value": [1.0, 2.0, 3.0],
            "source": ["a", "b", "c"],
        }
    )
    bt.TradePanel(frame).to_csv(path)
    return path


# --------------------------------------------------------- 8. short CSV rows
class TestShortRows:
    """A row with fewer fields than the header is refused, naming the file and the line."""

    TEXT = BACI + "2019,156,408,030111,1.5,2\n2019,156,410,030111,2.5\n"

    def test_read_baci(self, tmp_path: Path) -> None:
        path = write(tmp_path / "b.csv", self.TEXT)  # q of the KOR row is missing
        with pytest.raises(DataValidationError, match=r"b\.csv " + short(3, 5, 6)):
            read_baci(path)
        with pytest.raises(DataValidationError, match=short(3, 5, 6)):
            read_baci(path, countries="KOR", years=2019)

    def test_read_baci_dask(self, tmp_path: Path) -> None:
        pytest.importorskip("dask.dataframe")
        lazy = read_baci(write(tmp_path / "b.csv", self.TEXT), engine="dask")
        with pytest.raises(DataValidationError, match=r"b\.csv " + short(3, 5, 6)):
            lazy.compute()

    def test_convert_baci_leaves_nothing(self, tmp_path: Path) -> None:
        path = write(tmp_path / "b.csv", self.TEXT)
        with pytest.raises(DataValidationError, match=short(3, 5, 6)):
            convert_baci(path, tmp_path / "ds")
        assert not (tmp_path / "ds").exists()

    def test_panel_read_csv(self, tmp_path: Path) -> None:
        path = panel_csv(tmp_path / "p.csv")
        lines = path.read_bytes().decode("utf-8").split("\r\n")
        assert lines[3] == "CHN,PRK,exports,TOTAL,2019,2.0,b"  # line 4: comment, header, USA
        lines[3] = "CHN,PRK,exports,TOTAL,2019,2.0"  # its source is missing, not empty
        write(path, "\r\n".join(lines))
        with pytest.raises(DataValidationError, match=r"p\.csv " + short(4, 6, 7)):
            bt.TradePanel.read_csv(path)

    def test_empty_last_cell_is_not_short(self, tmp_path: Path) -> None:
        path = panel_csv(tmp_path / "p.csv")
        text = path.read_bytes().decode("utf-8").replace("2.0,b\r\n", "2.0,\r\n")
        got = bt.TradePanel.read_csv(write(path, text)).to_frame()
        assert got["source"].tolist() == ["a", None, "c"]  # an empty cell: no source

    def test_screen_from_the_command_line(
        self, tmp_path: Path, capsys: pytest.CaptureFixture[str]
    ) -> None:
        path = panel_csv(tmp_path / "p.csv")
        text = path.read_bytes().decode("utf-8").replace("2.0,b\r\n", "2.0\r\n")
        code = main(["screen", str(write(path, text)), "--out", str(tmp_path / "r.csv")])
        err = capsys.readouterr().err
        assert code == 2 and "p.csv is not a well-formed CSV file (line 4 has fewer" in err
        assert not (tmp_path / "r.csv").exists()

    def test_series_and_comtrade(self, tmp_path: Path) -> None:
        path = write(tmp_path / "s.csv", "period,value,note\n2019,1,a\n2020,2\n")
        with pytest.raises(DataValidationError, match=short(3, 2, 3)):
            bt.read_csv(path, reporter="CHN", partner="PRK", flow="X")
        header = "freqCode,refYear,period,reporterCode,flowCode,partnerCode,cmdCode,primaryValue"
        path = write(tmp_path / "c.csv", f"{header}\nA,2017,2017,156,X,408,TOTAL,5\nA,2017\n")
        with pytest.raises(DataValidationError, match=short(3, 2, 8)):
            read_comtrade(path)

    def test_line_counts_blank_lines_and_quoted_breaks(self, tmp_path: Path) -> None:
        text = 'period,value,note\n2019,1,"two\nlines"\n\n2020,2,x\n2021,3\n'
        path = write(tmp_path / "s.csv", text)  # the short row starts on line 6
        with pytest.raises(DataValidationError, match=short(6, 2, 3)):
            bt.read_csv(path, reporter="CHN", partner="PRK", flow="X")

    def test_long_row_names_its_line(self, tmp_path: Path) -> None:
        path = write(tmp_path / "s.csv", "period,value\n2019,1\n2020,2,3\n")
        with pytest.raises(DataValidationError, match=r"line 3 has more fields than the header"):
            bt.read_csv(path, reporter="CHN", partner="PRK", flow="X")

    def test_separator_of_several_characters(self, tmp_path: Path) -> None:
        path = write(tmp_path / "s.csv", "period;;value\n2019;;1\n2020;;2\n")
        got = bt.read_csv(path, sep=";;", reporter="CHN", partner="PRK", flow="X")
        assert isinstance(got, bt.TradeSeries) and got.values.tolist() == [1.0, 2.0]
        write(path, "period;;value\n2019;;1\n2020\n")
        with pytest.raises(DataValidationError, match=short(3, 1, 2)):
            bt.read_csv(path, sep=";;", reporter="CHN", partner="PRK", flow="X")


# ------------------------------------------------------------- 24. byte order mark
class TestByteOrderMark:
    """Excel's "CSV UTF-8" starts with a BOM: every reader drops it."""

    def test_event_catalog_csv_and_json(self, tmp_path: Path) -> None:
        catalog = bt.datasets.dprk_sanctions()[:5]
        path = tmp_path / "c.csv"
        path.write_text(BOM + catalog.to_csv(), encoding="utf-8")
        assert bt.EventCatalog.from_csv(path) == catalog
        assert bt.EventCatalog.read_csv(path) == catalog
        path = tmp_path / "c.json"
        path.write_text(BOM + catalog.to_json(), encoding="utf-8")
        assert bt.EventCatalog.from_json(path) == catalog
        assert bt.EventCatalog.from_json(BOM + catalog.to_json()) == catalog

    def test_panel_with_comment_line(self, tmp_path: Path) -> None:
        path = panel_csv(tmp_path / "p.csv")
        panel = bt.TradePanel.read_csv(path)
        write(path, BOM + path.read_bytes().decode("utf-8"))
        assert bt.TradePanel.read_csv(path) == panel  # the comment line is still read

    def test_baci_text_reading_and_series(self, tmp_path: Path) -> None:
        # an empty value sends BACI to the text reader: the line is still line 2
        path = write(tmp_path / "b.csv", BOM + BACI + "2019,156,408,030111,,2\n")
        with pytest.raises(DataValidationError, match="v at line 2: the trade value is empty"):
            read_baci(path)
        path = write(tmp_path / "s.csv", BOM + "period,value\n2019,1\n")
        got = bt.read_csv(path, reporter="CHN", partner="PRK", flow="X")
        assert isinstance(got, bt.TradeSeries) and got.values.tolist() == [1.0]

    def test_doubled_header_is_seen_behind_a_bom(self, tmp_path: Path) -> None:
        path = write(tmp_path / "s.csv", BOM + "period,period,value\n2019,2020,1\n")
        with pytest.raises(DataValidationError, match="names the column 'period' twice"):
            bt.read_csv(path, reporter="CHN", partner="PRK", flow="X")


# ---------------------------------------------------------- 9. BACI product codes
class TestBaciProductCodes:
    """Only the one zero a 5-digit code lost is restored; other lengths are refused."""

    def read(self, tmp_path: Path, code: str, **kwargs: Any) -> bt.TradePanel:
        text = BACI + "2019,156,408,030111,1,1\n" + f"2019,156,410,{code},2,1\n"
        return read_baci(write(tmp_path / "b.csv", text), **kwargs)

    @pytest.mark.parametrize("code", ["30111", " 30111 ", "030111"])
    def test_five_digits_get_their_zero_back(self, tmp_path: Path, code: str) -> None:
        got = self.read(tmp_path, code).to_frame()["product"].tolist()
        assert got == ["030111", "030111"]

    @pytest.mark.parametrize("code", ["2710", "1", "301", "1234567", "03011X", "TOTAL", ""])
    def test_other_codes_are_refused_as_written(self, tmp_path: Path, code: str) -> None:
        message = rf"k at line 3: {code!r} is not an HS6 product code"
        with pytest.raises(DataValidationError, match=message):
            self.read(tmp_path, code)
        with pytest.raises(DataValidationError, match=message):  # a filter does not hide it
            self.read(tmp_path, code, products="27")

    def test_total_is_quoted_as_written(self, tmp_path: Path) -> None:
        with pytest.raises(DataValidationError) as info:
            self.read(tmp_path, "TOTAL")
        assert "'TOTAL'" in str(info.value) and "0TOTAL" not in str(info.value)
        assert info.value.field == "k" and info.value.value == "TOTAL"

    def test_rows_of_other_years_are_not_checked(self, tmp_path: Path) -> None:
        text = BACI + "2019,156,408,030111,1,1\n2018,156,410,2710,2,1\n"
        got = read_baci(write(tmp_path / "b.csv", text), years=2019).to_frame()
        assert got["product"].tolist() == ["030111"]
        assert list(got["product"].cat.categories) == ["030111"]

    def test_dask_path(self, tmp_path: Path) -> None:
        pytest.importorskip("dask.dataframe")
        text = BACI + "2019,156,408,2710,1,1\n"
        lazy = read_baci(write(tmp_path / "b.csv", text), engine="dask")
        with pytest.raises(DataValidationError, match="k at line 2: '2710' is not an HS6"):
            lazy.compute()


# ----------------------------------------------- 26. BACI overflow, empty filters
class TestBaciOverflowAndEmptyFilters:
    @pytest.mark.parametrize("value", ["1e306", "1.8e305", " 1e306 "])
    def test_value_too_large_for_usd_is_refused(self, tmp_path: Path, value: str) -> None:
        text = BACI + "2019,156,408,030111,1,1\n" + f"2019,156,410,030111,{value},1\n"
        path = write(tmp_path / "b.csv", text)
        with pytest.raises(
            DataValidationError, match=rf"v at line 3: {value.strip()} thousand USD is too large"
        ):
            read_baci(path)

    def test_largest_convertible_value_is_kept(self, tmp_path: Path) -> None:
        text = BACI + "2019,156,408,030111,1.7e305,1\n"
        got = read_baci(write(tmp_path / "b.csv", text)).to_frame()["value"].tolist()
        assert got == [1.7e305 * 1000.0] and np.isfinite(got[0])

    @pytest.mark.parametrize(
        ("filters", "message"),
        [
            ({"products": []}, "products: the list of product codes is empty"),
            ({"products": ()}, "products: the list of product codes is empty"),
            ({"countries": []}, "countries: the list of countries is empty"),
            ({"years": []}, "years: the list of years is empty"),
        ],
    )
    def test_empty_filter_lists_are_refused(
        self, tmp_path: Path, filters: dict[str, Any], message: str
    ) -> None:
        path = write(tmp_path / "b.csv", BACI + "2019,156,408,030111,1,1\n")
        panel = read_baci(path)
        panel.to_parquet(tmp_path / "p.parquet")
        header = "freqCode,refYear,period,reporterCode,flowCode,partnerCode,cmdCode,primaryValue"
        comtrade = write(tmp_path / "c.csv", f"{header}\nA,2017,2017,156,X,408,TOTAL,5\n")
        calls: list[Callable[[], object]] = [
            lambda: read_baci(path, **filters),
            lambda: read_baci(path, engine="dask", **filters),
            lambda: convert_baci(path, tmp_path / "ds", **filters),
            lambda: read_parquet(tmp_path / "p.parquet", **filters),
            lambda: bt.TradePanel.read_parquet(tmp_path / "p.parquet", **filters),
            lambda: read_comtrade(comtrade, **filters),
        ]
        for call in calls:
            with pytest.raises(DataValidationError, match=message):
                call()
        assert not (tmp_path / "ds").exists()


# --------------------------------------- 18. Parquet folders that disagree with rows
@pytest.fixture
def dataset(tmp_path: Path) -> Path:
    """A dataset of two years, 2018 and 2019, two rows each."""
    files = []
    for year in (2018, 2019):
        text = BACI + f"{year},156,408,030111,1,1\n{year},156,410,030111,2,1\n"
        files.append(write(tmp_path / f"BACI_Y{year}.csv", text))
    return convert_baci(files, tmp_path / "ds")


def swap_folders(out: Path) -> None:
    (out / "year=2018").rename(out / "tmp")
    (out / "year=2019").rename(out / "year=2018")
    (out / "tmp").rename(out / "year=2019")


class TestParquetFolders:
    MESSAGE = (
        r"year: the folder year=2018 of ds holds rows of another year: row 1 of "
        r"year=2018/part-00001\.parquet has period '2019'"
    )

    def test_agreeing_dataset_reads(self, dataset: Path) -> None:
        assert len(read_parquet(dataset)) == 4
        assert len(read_parquet(dataset, years=2019)) == 2

    @pytest.mark.parametrize("years", [None, 2018, 2019, [2018, 2019]])
    def test_swapped_folders_are_refused(self, dataset: Path, years: Any) -> None:
        swap_folders(dataset)
        with pytest.raises(DataValidationError, match=self.MESSAGE) as info:
            read_parquet(dataset, years=years)
        assert info.value.field == "year" and info.value.value == "2019"
        with pytest.raises(DataValidationError, match=self.MESSAGE):
            bt.TradePanel.read_parquet(dataset, years=years)

    def test_dask_is_refused_before_any_partition(self, dataset: Path) -> None:
        pytest.importorskip("dask.dataframe")
        swap_folders(dataset)
        with pytest.raises(DataValidationError, match=self.MESSAGE):
            read_parquet(dataset, engine="dask", years=2019)

    @pytest.mark.parametrize("name", ["year=abc", "year=", "year=-1", "year=02018", "year=2018.0"])
    @pytest.mark.parametrize("engine", ["pandas", "dask"])
    def test_folder_not_named_by_a_year(self, dataset: Path, name: str, engine: str) -> None:
        if engine == "dask":
            pytest.importorskip("dask.dataframe")
        (dataset / "year=2018").rename(dataset / name)
        for years in (None, 2018, 2019):
            with pytest.raises(
                DataValidationError, match=rf"the folder {re.escape(name)} of ds is not named by"
            ):
                read_parquet(dataset, years=years, engine=engine)

    def test_folder_outside_the_partitioning(self, dataset: Path) -> None:
        (dataset / "year=2018").rename(dataset / "old")  # not partitioned: periods decide
        assert len(read_parquet(dataset)) == 4
        got = read_parquet(dataset, years=2018).to_frame()
        assert got["period"].astype(str).tolist() == ["2018", "2018"]

    def test_one_row_of_another_year_without_statistics(
        self, dataset: Path, tmp_path: Path
    ) -> None:
        import pyarrow.parquet as pq

        part = next((dataset / "year=2019").iterdir())
        table = pq.read_table(part)
        periods = table.column("period").to_pylist()
        assert periods == ["2019", "2019"]
        fixed = table.set_column(
            table.schema.get_field_index("period"), "period", [["2019", "2018"]]
        )
        pq.write_table(fixed, part, write_statistics=False)  # the rows must be read
        with pytest.raises(
            DataValidationError,
            match=r"folder year=2019 of ds holds rows of another year: row 2 of "
            r"year=2019/part-00001\.parquet has period '2018'",
        ):
            read_parquet(dataset, years=2018)

    def test_monthly_periods_are_of_their_year(self, tmp_path: Path) -> None:
        frame = pd.DataFrame(
            {
                "reporter": ["CHN", "CHN"],
                "partner": ["PRK", "PRK"],
                "flow": ["exports"] * 2,
                "product": ["TOTAL"] * 2,
                "period": ["2019-01", "2019-12"],
                "value": [1.0, 2.0],
            }
        )
        (tmp_path / "m" / "year=2019").mkdir(parents=True)
        bt.TradePanel(frame).to_parquet(tmp_path / "m" / "year=2019" / "part.parquet")
        assert len(read_parquet(tmp_path / "m", years=2019)) == 2
        shutil.move(tmp_path / "m" / "year=2019", tmp_path / "m" / "year=2020")
        with pytest.raises(DataValidationError, match="has period '2019-01'"):
            read_parquet(tmp_path / "m")


# ------------------------------------------------------- 12. numbers as event dates
EVENT = {"kind": "sanctions_resolution", "label": "x", "reference": "R 1"}
NUMBER_DATE = r"is a number, not a date \(it would be read as seconds since 1970\)"


class TestNumericDates:
    @pytest.mark.parametrize(
        "date", [0, 2017, 1513900800, 1.5, np.int64(2017), "0", "2017", " 20171222 "]
    )
    def test_numbers_are_refused(self, date: object) -> None:
        with pytest.raises(DataValidationError, match=NUMBER_DATE) as info:
            bt.TradeEvent(date=date, **EVENT)
        assert info.value.field == "date"
        assert "'2017-12-22'" in str(info.value) and "date_precision='year'" in str(info.value)

    def test_a_year_is_written_with_its_precision(self) -> None:
        e = bt.TradeEvent(date="2017-01-01", date_precision="year", **EVENT)
        assert e.date == dt.date(2017, 1, 1)

    def test_json_catalog(self) -> None:
        text = json.dumps(
            [{"date": "2017-12-22", **EVENT}, {**EVENT, "date": 0, "reference": "R 2"}]
        )
        with pytest.raises(
            DataValidationError, match=r"^event 2: TradeEvent: date: 0 " + NUMBER_DATE
        ):
            bt.EventCatalog.from_json(text)

    def test_csv_catalog(self, tmp_path: Path) -> None:
        path = write(
            tmp_path / "c.csv",
            "reference,date,kind,label\nA,2017-12-22,veto,a\nB,2017,veto,b\n",
        )
        with pytest.raises(DataValidationError, match=r"^line 3: TradeEvent: date: '2017' "):
            bt.EventCatalog.from_csv(path)


# ----------------------------------------- 15. duplicate columns and JSON keys
class TestDuplicates:
    def test_csv_column_twice(self, tmp_path: Path) -> None:
        path = write(
            tmp_path / "c.csv",
            "reference,date,kind,label,date\nA,2017-12-22,veto,a,2018-01-01\n",
        )
        with pytest.raises(
            DataValidationError, match=r"the header of c\.csv names the column 'date' twice"
        ) as info:
            bt.EventCatalog.from_csv(path)
        assert info.value.field == "columns" and info.value.value == "date"

    def test_json_key_twice_in_an_event(self) -> None:
        text = (
            '[{"reference": "A", "date": "2017-12-22", "kind": "veto", "label": "a", '
            '"date": "2018-01-01"}]'
        )
        with pytest.raises(
            DataValidationError,
            match=r"json: an object holds the key 'date' twice \('2017-12-22' and '2018-01-01'\)",
        ) as info:
            bt.EventCatalog.from_json(text)
        assert info.value.field == "date"

    def test_json_key_twice_at_the_top(self, tmp_path: Path) -> None:
        one = bt.datasets.dprk_sanctions()[:1].to_dict()["events"]
        text = json.dumps({"events": one})[:-1] + ', "events": []}'
        path = tmp_path / "c.json"
        path.write_text(text, encoding="utf-8")
        with pytest.raises(DataValidationError, match="holds the key 'events' twice"):
            bt.EventCatalog.from_json(path)


# --------------------------------------------------------- 16. reference matching
def simple(reference: str, date: str = "2017-01-01") -> bt.TradeEvent:
    return bt.TradeEvent(date=date, kind="veto", label="x", reference=reference)


class TestReferences:
    @pytest.mark.parametrize(
        ("a", "b"),
        [("Резолюция 1", "Постановление 1"), ("决议 2397", "制裁 2397"), ("OPEC", "OPEC+")],
    )
    def test_other_scripts_stay_distinct(self, a: str, b: str) -> None:
        catalog = bt.EventCatalog([simple(a), simple(b, "2018-01-01")])
        assert catalog.get(a).reference == a and catalog.get(b).reference == b

    def test_unicode_forms_are_one_reference(self) -> None:
        catalog = bt.EventCatalog([simple("Резолюция 1")])
        assert catalog.get("резолюция-1").reference == "Резолюция 1"
        unscr = bt.EventCatalog([simple("UNSCR 2397")])
        assert unscr.get("ＵＮＳＣＲ　２３９７").reference == "UNSCR 2397"  # full-width forms
        with pytest.raises(DataValidationError, match="two different events share"):
            bt.EventCatalog([simple("Резолюция 1"), simple("РЕЗОЛЮЦИЯ-1", "2018-01-01")])

    @pytest.mark.parametrize("reference", ["!!!", "", "  ", "--", "\u200b"])
    def test_text_without_letters_or_digits(self, reference: str) -> None:
        catalog = bt.datasets.dprk_sanctions()
        with pytest.raises(DataValidationError, match="holds no letter or digit") as info:
            catalog.get(reference)
        assert info.value.field == "reference"
        assert reference not in catalog

    @pytest.mark.parametrize("reference", ["!!!", "\u200b", "()"])
    def test_event_without_letters_or_digits(self, reference: str) -> None:
        with pytest.raises(DataValidationError, match="reference: the reference holds no letter"):
            simple(reference)

    @pytest.mark.parametrize("reference", [-2397, 0, True, None, 2397.0, b"2397", ["2397"]])
    def test_non_text_references(self, reference: Any) -> None:
        catalog = bt.datasets.dprk_sanctions()
        with pytest.raises(DataValidationError, match="reference: "):
            catalog.get(reference)
        assert reference not in catalog

    def test_shipped_catalogs_and_documented_lookups(self) -> None:
        dprk, russia = bt.datasets.dprk_sanctions(), bt.datasets.russia_sanctions()
        both = dprk | russia
        assert len(both) == len(dprk) + len(russia)
        for catalog in (dprk, russia):
            assert [catalog.get(r).reference for r in catalog.references] == list(
                catalog.references
            )
        for lookup in ("UNSCR 2397", "unscr2397", "unscr-2397", "2397", 2397, np.int64(2397)):
            assert dprk.get(lookup).reference == "UNSCR 2397"
        assert russia.get("EU-2022-02-23").reference == "eu-2022-02-23"
        assert dprk.get("covid reopening 2023").reference == "covid_reopening 2023"
        with pytest.raises(UnknownEventError, match="did you mean 'UNSCR 2397'"):
            dprk.get("UNSCR 2398")


# --------------------------------------------------------- 17. event consistency
class TestEventConsistency:
    @pytest.mark.parametrize(
        "kind", ["sanctions_measure", "sanctions_resolution", "countermeasure", "enforcement"]
    )
    def test_sanctions_on_oneself_are_refused(self, kind: str) -> None:
        with pytest.raises(
            DataValidationError, match=r"target: USA is both the actor and the target"
        ) as info:
            bt.TradeEvent(
                date="2017-01-01",
                kind=kind,
                label="x",
                reference="a",
                actor="USA;EU",
                target="usa",
            )
        assert info.value.field == "target" and info.value.value == ["USA"]

    def test_other_kinds_may_name_one_country_twice(self) -> None:
        e = bt.TradeEvent(
            date="2014-12-16",
            kind="market_shock",
            label="x",
            reference="a",
            actor="RUS",
            target="RUS",
        )
        assert e.actor == e.target == ("RUS",)

    @pytest.mark.parametrize(
        ("precision", "date", "first"),
        [
            ("year", "2017-03-05", "2017-01-01"),
            ("year", "2017-03-01", "2017-01-01"),
            ("month", "2017-03-05", "2017-03-01"),
        ],
    )
    def test_precision_and_date_disagree(self, precision: str, date: str, first: str) -> None:
        with pytest.raises(
            DataValidationError,
            match=rf"date: {date} with date_precision '{precision}': .* \({first}\)",
        ) as info:
            bt.TradeEvent(date=date, date_precision=precision, **EVENT)
        assert info.value.field == "date"

    @pytest.mark.parametrize(
        ("precision", "date"), [("year", "2017-01-01"), ("month", "2017-03-01")]
    )
    def test_precision_and_date_agree(self, precision: str, date: str) -> None:
        assert (
            bt.TradeEvent(date=date, date_precision=precision, **EVENT).date_precision == precision
        )

    def test_csv_catalog_names_the_line(self, tmp_path: Path) -> None:
        path = write(
            tmp_path / "c.csv",
            "reference,date,date_precision,kind,actor,target,label\n"
            "A,2017-01-01,year,veto,,,a\nB,2017-05-01,year,veto,,,b\n",
        )
        with pytest.raises(DataValidationError, match=r"^line 3: TradeEvent: date: 2017-05-01"):
            bt.EventCatalog.from_csv(path)
