"""Bulk files (issue 13): BACI read in batches, Parquet datasets, Dask, linear read_csv.

Expected values come from an independent reading of the same text with Python's ``csv``
module and ``float`` (:func:`reference_rows`), never from the library's own output.
"""

from __future__ import annotations

import csv
import io
import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import bilateral_trade as bt
from bilateral_trade import DataValidationError, InsufficientDataError
from bilateral_trade.io import convert_baci, read_baci, read_comtrade, read_parquet

# country codes of the test table: BACI's numeric code -> ISO3 (written by the tests)
CODES = {4: "AFG", 156: "CHN", 408: "PRK", 410: "KOR", 842: "USA", 392: "JPN"}
TABLE = "country_code,country_name,iso_3digit_alpha\n" + "".join(
    f"{code},name {code},{iso}\n" for code, iso in CODES.items()
)
PRODUCTS = ["30111", "100630", "270111", "670419", "870323"]


def baci_text(year: int, rng: np.random.Generator, rows: int = 40, trend: float = 0.0) -> str:
    """A BACI-layout file: distinct (i, j, k), values with three decimals, some q NA."""
    out = ["t,i,j,k,v,q"]
    combos = [(i, j, k) for i in CODES for j in CODES if i != j for k in PRODUCTS]
    chosen = sorted(rng.choice(len(combos), size=min(rows, len(combos)), replace=False))
    for c in chosen:
        i, j, k = combos[c]
        v = (100.0 + trend * (year - 2000)) * float(rng.lognormal(0, 0.05))
        q = "NA" if rng.random() < 0.2 else f"{rng.random():.3f}"
        out.append(f"{year},{i},{j},{k},{v:.3f},{q}")
    return "\n".join(out) + "\n"


def reference_rows(text: str) -> list[tuple[str, str, str, str, float, float | None]]:
    """An independent reading: (reporter, partner, product, year, value USD, quantity)."""
    rows = []
    for rec in csv.DictReader(io.StringIO(text)):
        q = rec["q"].strip()
        rows.append(
            (
                CODES[int(rec["i"])],
                CODES[int(rec["j"])],
                rec["k"].strip().zfill(6),
                rec["t"].strip(),
                float(rec["v"]) * 1000.0,
                None if q in ("", "NA") else float(q),
            )
        )
    return rows


def panel_rows(panel: bt.TradePanel) -> list[tuple[str, str, str, str, float, float | None]]:
    f = panel.to_frame()
    assert set(f["flow"]) == {"exports"}
    q = [None if np.isnan(x) else float(x) for x in f["quantity"]]
    return list(
        zip(
            f["reporter"].astype(str),
            f["partner"].astype(str),
            f["product"].astype(str),
            f["period"].astype(str),
            f["value"].astype(float),
            q,
            strict=True,
        )
    )


@pytest.fixture
def small_blocks(monkeypatch: pytest.MonkeyPatch) -> None:
    """Batches of 64 bytes: every file of the tests is read in many batches."""
    monkeypatch.setattr("bilateral_trade.io._stream.BLOCK_SIZE", 64)


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    """A multi-year BACI folder (2005–2020) with the country table."""
    rng = np.random.default_rng(13)
    base = tmp_path / "baci"
    base.mkdir()
    for year in range(2005, 2021):
        (base / f"BACI_HS17_Y{year}_V202501.csv").write_text(
            baci_text(year, rng, rows=60, trend=8.0), encoding="utf-8"
        )
    (base / "country_codes_V202501.csv").write_text(TABLE, encoding="utf-8")
    return base


# ------------------------------------------------------------------ reading BACI
class TestReadBaci:
    @pytest.mark.parametrize("blocks", ["default", "small"])
    def test_values_equal_independent_reading(
        self, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, blocks: str
    ) -> None:
        if blocks == "small":
            monkeypatch.setattr("bilateral_trade.io._stream.BLOCK_SIZE", 64)
        text = baci_text(2019, np.random.default_rng(1), rows=120)
        path = tmp_path / "b.csv"
        path.write_text(text, encoding="utf-8")
        (tmp_path / "cc.csv").write_text(TABLE, encoding="utf-8")
        panel = read_baci(path, country_codes=tmp_path / "cc.csv")
        assert panel_rows(panel) == reference_rows(text)
        assert panel.to_frame()["quantity_unit"].tolist() == ["t"] * len(panel)

    def test_panel_dtypes_and_memory(self, tmp_path: Path) -> None:
        path = tmp_path / "b.csv"
        path.write_text(baci_text(2019, np.random.default_rng(2), rows=150), encoding="utf-8")
        frame = read_baci(path).to_frame()
        for key in ("reporter", "partner", "flow", "product"):
            dtype = frame[key].dtype
            assert isinstance(dtype, pd.CategoricalDtype)
            categories = list(dtype.categories)
            assert categories == sorted(set(frame[key].astype(str)))  # used only, sorted
        assert frame["value"].dtype == np.float64 and frame["quantity"].dtype == np.float64
        assert frame.memory_usage(deep=True).sum() / len(frame) <= 100

    def test_filters_batch_by_batch(self, tmp_path: Path, small_blocks: None) -> None:
        rng = np.random.default_rng(3)
        text = baci_text(2018, rng, rows=80) + baci_text(2019, rng, rows=80).split("\n", 1)[1]
        path = tmp_path / "two_years.csv"
        path.write_text(text, encoding="utf-8")
        every = reference_rows(text)
        got = read_baci(path, countries="PRK", products=["27", "6704"], years=2019)
        want = [
            r
            for r in every
            if "PRK" in (r[0], r[1]) and r[2].startswith(("27", "6704")) and r[3] == "2019"
        ]
        assert want and panel_rows(got) == want
        assert panel_rows(read_baci(path, years=range(2018, 2019))) == [
            r for r in every if r[3] == "2018"
        ]

    @pytest.mark.parametrize(
        ("years", "message"),
        [
            (True, "years: True is not a year"),
            ([2019.5], "years: 2019.5 is not a year"),
            ("20x9", "'20x9' is not a year"),
            ([], "the list of years is empty"),
            ({"a": 1}, "expected a year or a list of years, got dict"),
        ],
    )
    def test_bad_years(self, tmp_path: Path, years: Any, message: str) -> None:
        path = tmp_path / "b.csv"
        path.write_text("t,i,j,k,v,q\n2019,156,408,030111,1,1\n", encoding="utf-8")
        with pytest.raises(DataValidationError, match=message):
            read_baci(path, years=years)

    def test_error_in_a_later_batch_names_its_line(
        self, tmp_path: Path, small_blocks: None
    ) -> None:
        lines = baci_text(2019, np.random.default_rng(4), rows=60).splitlines()
        lines[45] = lines[45].rsplit(",", 2)[0] + ",x,1"
        path = tmp_path / "b.csv"
        path.write_text("\n".join(lines) + "\n", encoding="utf-8")
        with pytest.raises(DataValidationError, match="v at line 46: 'x' is not a number"):
            read_baci(path)
        lines[45] = lines[45].rsplit(",", 2)[0] + ",,1"
        path.write_text("\n".join(lines) + "\n", encoding="utf-8")
        with pytest.raises(DataValidationError, match="v at line 46: the trade value is empty"):
            read_baci(path)

    def test_bad_cell_in_a_dropped_row(self, tmp_path: Path, small_blocks: None) -> None:
        text = "t,i,j,k,v,q\n2019,156,408,030111,1,1\n2019,156,410,100630,x,nan\n"
        path = tmp_path / "b.csv"
        path.write_text(text * 1, encoding="utf-8")
        assert panel_rows(read_baci(path, products="0301")) == [
            ("CHN", "PRK", "030111", "2019", 1000.0, 1.0)
        ]
        with pytest.raises(DataValidationError, match="v at line 3: 'x' is not a number"):
            read_baci(path)

    def test_duplicates_across_batches(self, tmp_path: Path, small_blocks: None) -> None:
        body = "".join(f"2019,156,408,0301{n:02d},1,1\n" for n in range(30))
        path = tmp_path / "b.csv"
        path.write_text("t,i,j,k,v,q\n" + body + "2019,156,408,030105,2,1\n", encoding="utf-8")
        with pytest.raises(DataValidationError, match=r"e\.g\. line 7 and line 32"):
            read_baci(path)

    def test_nan_quantity_and_spaces(self, tmp_path: Path) -> None:
        path = tmp_path / "b.csv"
        path.write_text("t,i,j,k,v,q\n2019,156,408,030111,1,nan\n", encoding="utf-8")
        with pytest.raises(DataValidationError, match="q at line 2: 'nan' is not a number"):
            read_baci(path)
        path.write_text("t,i,j,k,v,q\n 2019 , 156 ,408,30111, 1.5 , NA \n", encoding="utf-8")
        assert panel_rows(read_baci(path)) == [("CHN", "PRK", "030111", "2019", 1500.0, None)]

    def test_short_row_is_refused(self, tmp_path: Path) -> None:
        path = tmp_path / "b.csv"
        path.write_text("t,i,j,k,v,q\n2019,156,408,030111,1,1\n2019,156\n", encoding="utf-8")
        with pytest.raises(
            DataValidationError,
            match=r"b\.csv is not a well-formed CSV file \(line 3 has fewer fields than the "
            r"header: 2, not 6\)",
        ):
            read_baci(path)

    def test_several_files_and_glob(self, folder: Path) -> None:
        files = sorted(folder.glob("BACI_*.csv"))
        by_glob = read_baci(str(folder / "BACI_HS17_Y*.csv"))
        by_list = read_baci(files)
        assert by_glob == by_list and len(by_glob) == 16 * 60
        want = [r for f in files for r in reference_rows(f.read_text(encoding="utf-8"))]
        assert panel_rows(by_glob) == want
        assert by_glob.source.startswith("BACI_HS17_Y2005_V202501.csv, BACI_HS17_Y2006")

    def test_error_names_the_file(self, folder: Path) -> None:
        bad = folder / "BACI_HS17_Y2012_V202501.csv"
        lines = bad.read_text(encoding="utf-8").splitlines()
        lines[3] = lines[3].replace(",", ",999", 1).replace("2012,999", "2012,")
        lines[3] = "2012,156,156," + lines[3].split(",", 3)[3]
        bad.write_text("\n".join(lines) + "\n", encoding="utf-8")
        with pytest.raises(
            DataValidationError,
            match=r"partner at line 4 of BACI_HS17_Y2012_V202501\.csv: reporter and partner",
        ):
            read_baci(str(folder / "BACI_*.csv"))

    def test_no_file(self, tmp_path: Path) -> None:
        with pytest.raises(FileNotFoundError):
            read_baci(str(tmp_path / "BACI_*.csv"))
        with pytest.raises(DataValidationError, match="the list of files is empty"):
            read_baci([])
        with pytest.raises(DataValidationError, match="engine: 'spark'"):
            read_baci(tmp_path / "x.csv", engine="spark")  # type: ignore[call-overload]


@st.composite
def baci_files(draw: st.DrawFn) -> str:
    keys = draw(
        st.lists(
            st.tuples(
                st.sampled_from(sorted(CODES)),
                st.sampled_from(sorted(CODES)),
                st.sampled_from(PRODUCTS),
                st.sampled_from(["2018", "2019"]),
            ),
            min_size=1,
            max_size=25,
            unique=True,
        )
    )
    lines = ["t,i,j,k,v,q"]
    for i, j, k, t in keys:
        if i == j:
            continue
        v = draw(
            st.floats(0, 1e12, allow_nan=False, allow_infinity=False).map(lambda x: repr(x))
            | st.decimals(0, 10**9, places=3).map(str)
        )
        q = draw(st.sampled_from(["NA", "", "0.5", "12", "1e3"]))
        lines.append(f"{t},{i:03d},{j},{k},{v},{q}")
    return "\n".join(lines) + "\n"


@settings(
    max_examples=40,
    deadline=None,
    database=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(
    text=baci_files(), years=st.sampled_from([None, 2019]), country=st.sampled_from([None, "KOR"])
)
def test_any_valid_file_equals_independent_reading(
    tmp_path: Path, text: str, years: int | None, country: str | None
) -> None:
    path = tmp_path / "fuzz.csv"
    path.write_text(text, encoding="utf-8")
    want = [
        r
        for r in reference_rows(text)
        if (years is None or r[3] == str(years)) and (country is None or country in r[:2])
    ]
    if not want:
        with pytest.raises(InsufficientDataError):
            read_baci(path, years=years, countries=country)
        return
    assert panel_rows(read_baci(path, years=years, countries=country)) == want


# ----------------------------------------------------------------- Parquet
class TestParquetDataset:
    def test_convert_and_read_back(self, folder: Path, tmp_path: Path) -> None:
        out = convert_baci(
            str(folder / "BACI_*.csv"),
            tmp_path / "parquet" / "baci",
            country_codes=folder / "country_codes_V202501.csv",
            published="2025-01",
        )
        assert sorted(p.name for p in out.iterdir()) == ["_common_metadata"] + [
            f"year={y}" for y in range(2005, 2021)
        ]
        import pyarrow.parquet as pq

        meta = json.loads(pq.read_schema(out / "_common_metadata").metadata[b"bilateral_trade"])
        assert meta["unit"] == "USD" and meta["frequency"] == "A" and meta["published"] == "2025-01"
        assert meta["files"][0]["file"] == "BACI_HS17_Y2005_V202501.csv"
        assert sum(f["rows"] for f in meta["files"]) == 16 * 60
        one = pq.read_schema(next((out / "year=2019").iterdir()))
        assert json.loads(one.metadata[b"bilateral_trade"])["source"] == meta["source"]
        direct = read_baci(
            str(folder / "BACI_*.csv"),
            country_codes=folder / "country_codes_V202501.csv",
            published="2025-01",
        )
        assert bt.TradePanel.read_parquet(out) == direct
        chosen = bt.TradePanel.read_parquet(out, countries=["PRK"], years=[2010, 2011])
        assert chosen == read_baci(
            str(folder / "BACI_*.csv"),
            country_codes=folder / "country_codes_V202501.csv",
            published="2025-01",
            countries="PRK",
            years=[2010, 2011],
        )
        fish = bt.TradePanel.read_parquet(out, products="0301")
        assert set(fish.to_frame()["product"].astype(str)) == {"030111"}

    def test_years_skip_folders(self, folder: Path, tmp_path: Path) -> None:
        out = convert_baci(str(folder / "BACI_*.csv"), tmp_path / "ds")
        for part in (out / "year=2005").iterdir():
            # the rows are damaged, the footer is whole: its statistics say the folder holds
            # 2005 only, and the rows are never read below
            data = bytearray(part.read_bytes())
            data[4:60] = b"\xff" * 56
            part.write_bytes(bytes(data))
        assert len(bt.TradePanel.read_parquet(out, years=2010)) == 60
        with pytest.raises(DataValidationError, match="is not a readable Parquet"):
            bt.TradePanel.read_parquet(out)
        with pytest.raises(InsufficientDataError, match="no row of ds matches"):
            bt.TradePanel.read_parquet(out, years=1990)
        for part in (out / "year=2005").iterdir():
            part.write_bytes(b"PAR1 not parquet at all PAR1")  # its footer cannot vouch for it
        with pytest.raises(
            DataValidationError, match=r"year=2005/part-00000\.parquet of ds is not a readable"
        ):
            bt.TradePanel.read_parquet(out, years=2010)

    def test_refusals_leave_nothing(self, folder: Path, tmp_path: Path) -> None:
        twin = tmp_path / "BACI_HS17_Y2019_V202401.csv"
        twin.write_bytes((folder / "BACI_HS17_Y2019_V202501.csv").read_bytes())
        files = [folder / "BACI_HS17_Y2019_V202501.csv", twin]
        with pytest.raises(DataValidationError, match="years: 2019 is in both"):
            convert_baci(files, tmp_path / "out")
        assert sorted(p.name for p in tmp_path.iterdir()) == [twin.name, "baci"]
        (tmp_path / "full").mkdir()
        (tmp_path / "full" / "x").write_text("x")
        with pytest.raises(DataValidationError, match="exists and is not empty"):
            convert_baci(files[:1], tmp_path / "full")
        with pytest.raises(DataValidationError, match="exists and is not a directory"):
            convert_baci(files[:1], tmp_path / "full" / "x")
        with pytest.raises(InsufficientDataError, match=r"no row of .* matches the filters"):
            convert_baci(files[:1], tmp_path / "none", countries="JPN", products="01")
        assert not (tmp_path / "none").exists()


# --------------------------------------------------------------------- Dask
def test_dask_on_a_local_cluster(folder: Path, tmp_path: Path) -> None:
    dd = pytest.importorskip("dask.dataframe")
    distributed = pytest.importorskip("distributed")
    pattern = str(folder / "BACI_*.csv")
    panel = read_baci(pattern)
    lazy = read_baci(pattern, engine="dask")
    assert isinstance(lazy, dd.DataFrame) and lazy.npartitions == 16
    assert list(lazy.columns) == list(panel.to_frame().columns)
    assert all(isinstance(lazy[k].dtype, pd.CategoricalDtype) for k in ("reporter", "product"))
    assert lazy["period"].dtype == pd.PeriodDtype("Y") and lazy["value"].dtype == np.float64
    dataset = convert_baci(pattern, tmp_path / "ds")
    expected = bt.screen(panel, at=2018)
    with (
        distributed.LocalCluster(
            n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None
        ) as cluster,
        distributed.Client(cluster),
    ):
        got = bt.screen(lazy, at=2018)
        from_parquet = bt.screen(read_parquet(dataset, engine="dask"), at=2018)
        some = read_parquet(dataset, engine="dask", countries="PRK", years=range(2010, 2013))
        rows = some.compute()
    pd.testing.assert_frame_equal(got, expected)
    pd.testing.assert_frame_equal(from_parquet, expected)
    assert some.npartitions == 3 and len(rows) == len(
        read_baci(pattern, countries="PRK", years=range(2010, 2013))
    )


# ------------------------------------------------------------ read_csv is linear
def test_read_csv_many_series_in_file_order(tmp_path: Path) -> None:
    rows = ["reporter,partner,flow,product,period,value"]
    for year in range(2010, 2014):  # periods outer, series inner: series interleave
        for n in range(300):
            rows.append(f"CHN,PRK,X,{n:04d},{year},{n + year}")
    path = tmp_path / "tidy.csv"
    path.write_text("\n".join(rows) + "\n", encoding="utf-8")
    got = bt.read_csv(path)
    assert isinstance(got, dict) and len(got) == 300
    assert list(got)[:2] == [("CHN", "PRK", "exports", "0000"), ("CHN", "PRK", "exports", "0001")]
    s = got[("CHN", "PRK", "exports", "0299")]
    assert s.values.tolist() == [2309.0, 2310.0, 2311.0, 2312.0]
    rows.append("CHN,PRK,X,0007,2012,1")
    path.write_text("\n".join(rows) + "\n", encoding="utf-8")
    with pytest.raises(
        DataValidationError, match="duplicate period 2012 at line 609 and line 1202"
    ):
        bt.read_csv(path)


# ---------------------------------------------------------------- command line
def test_cli_convert(folder: Path, tmp_path: Path) -> None:
    exe = Path(sys.executable).parent / "bilateral-trade"
    out = tmp_path / "dataset"
    proc = subprocess.run(
        [
            str(exe),
            "convert",
            *map(str, sorted(folder.glob("BACI_HS17_Y201*.csv"))),
            "--country-codes",
            str(folder / "country_codes_V202501.csv"),
            "--out",
            str(out),
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr
    assert proc.stderr == ""  # no progress bar when stderr is not a terminal
    assert "600 rows" in proc.stdout and "10 years" in proc.stdout
    assert len(bt.TradePanel.read_parquet(out, years=2019)) == 60
    again = subprocess.run(
        [str(exe), "convert", str(folder / "BACI_HS17_Y2010_V202501.csv"), "--out", str(out)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert again.returncode == 2 and again.stderr.count("\n") == 1
    assert "exists and is not empty" in again.stderr


# ------------------------------------------------------------------ UN Comtrade
COMTRADE = "freqCode,refYear,refMonth,period,reporterCode,reporterISO,flowCode,partnerCode,partnerISO,cmdCode,aggrLevel,motCode,qtyUnitAbbr,qty,netWgt,primaryValue\n"
M49 = {156: "CHN", 408: "PRK", 410: "KOR", 842: "USA", 0: "WLD", 899: None}


def comtrade_text(rng: np.random.Generator, rows: int = 80) -> str:
    out = [COMTRADE.strip()]
    combos = [
        (year, r, p, f, c)
        for year in (2017, 2018)
        for r in (156, 410)
        for p in (408, 842, 0, 899)
        for f in ("X", "M", "RX")
        for c in ("TOTAL", "301", "2701", "670419")
        if r != p
    ]
    for n in sorted(rng.choice(len(combos), size=rows, replace=False)):
        year, r, p, f, c = combos[n]
        iso = "W00" if p == 0 else ""
        level = "0" if c == "TOTAL" else str(len(c) + len(c) % 2)
        value = f"{float(rng.lognormal(10, 2)):.2f}"
        q = "" if c == "TOTAL" else f"{rng.integers(1, 999)}"
        out.append(f"A,{year},52,{year},{r},,{f},{p},{iso},{c},{level},0,kg,{q},{q},{value}")
    return "\n".join(out) + "\n"


def comtrade_reference(text: str, keep: Any) -> list[tuple[str, str, str, str, str, float]]:
    flows = {"X": "exports", "M": "imports", "RX": "re-exports"}
    rows = []
    for rec in csv.DictReader(io.StringIO(text)):
        c = rec["cmdCode"]
        product = c if c == "TOTAL" else c.zfill(int(rec["aggrLevel"]))
        row = (
            M49[int(rec["reporterCode"])],
            M49[int(rec["partnerCode"])],
            flows[rec["flowCode"]],
            product,
            rec["period"],
            float(rec["primaryValue"]),
        )
        if keep(row):
            rows.append(row)
    return rows


def comtrade_rows(panel: bt.TradePanel) -> list[tuple[str, str, str, str, str, float]]:
    f = panel.to_frame()
    return list(
        zip(
            *(f[c].astype(str) for c in ("reporter", "partner", "flow", "product", "period")),
            f["value"].astype(float),
            strict=True,
        )
    )


class TestReadComtrade:
    def test_filters_in_batches(self, tmp_path: Path, small_blocks: None) -> None:
        text = comtrade_text(np.random.default_rng(5))
        path = tmp_path / "c.csv"
        path.write_text(text, encoding="utf-8")
        # partner 899 (areas n.e.s.) has no ISO3 code: refused unless filtered out
        with pytest.raises(DataValidationError, match="partner: codes 899 have no ISO 3166-1"):
            read_comtrade(path)
        got = read_comtrade(path, countries="PRK", products=["TOTAL", "27"], years=2018)
        want = comtrade_reference(
            text,
            lambda r: (
                "PRK" in r[:2] and (r[3] == "TOTAL" or r[3].startswith("27")) and r[4] == "2018"
            ),
        )
        assert want and comtrade_rows(got) == want
        assert got.source == "c.csv (UN Comtrade (current))"
        usa = read_comtrade(path, countries=["USA"])
        assert comtrade_rows(usa) == comtrade_reference(text, lambda r: "USA" in r[:2])

    def test_errors_in_later_batches(self, tmp_path: Path, small_blocks: None) -> None:
        text = comtrade_text(np.random.default_rng(6)).replace(",899,", ",408,")
        lines = text.splitlines()
        path = tmp_path / "c.csv"
        bad = lines.copy()
        bad[50] = bad[50].rsplit(",", 1)[0] + ",abc"
        path.write_text("\n".join(bad) + "\n", encoding="utf-8")
        with pytest.raises(DataValidationError, match="primaryValue at line 51: 'abc' is not"):
            read_comtrade(path)
        bad = lines.copy()
        bad[60] = "M" + bad[60][1:]
        path.write_text("\n".join(bad) + "\n", encoding="utf-8")
        with pytest.raises(DataValidationError, match="freqCode: the file mixes frequencies A, M"):
            read_comtrade(path)
        bad = lines.copy()
        bad[70] = bad[70].replace(",0,kg,", ",1000,kg,")
        path.write_text("\n".join(bad) + "\n", encoding="utf-8")
        with pytest.raises(DataValidationError, match="motCode: rows broken down by motCode"):
            read_comtrade(path)

    def test_frame_source_with_filters(self) -> None:
        frame = pd.DataFrame(
            {
                "freqCode": ["A", "A", "A"],
                "period": ["2019", "2019", "2020"],
                "reporterCode": [842, 156, 842],
                "partnerCode": [490, 899, 490],
                "flowCode": ["X", "X", "M"],
                "cmdCode": ["TOTAL", "TOTAL", "TOTAL"],
                "primaryValue": [1.5, 2.0, 3.0],
            }
        )
        got = read_comtrade(frame, countries="TWN", years=[2020])
        assert comtrade_rows(got) == [("USA", "TWN", "imports", "TOTAL", "2020", 3.0)]
        with pytest.raises(InsufficientDataError, match="no row of DataFrame matches"):
            read_comtrade(frame, countries="PRK")


@pytest.mark.skipif(sys.platform != "linux", reason="a pseudo-terminal")
@pytest.mark.parametrize("quiet", [False, True])
def test_cli_progress_on_a_terminal(folder: Path, tmp_path: Path, quiet: bool) -> None:
    import fcntl
    import os
    import struct
    import termios

    exe = Path(sys.executable).parent / "bilateral-trade"
    master, slave = os.openpty()
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 24, 100, 0, 0))
    args = [str(exe), "convert", str(folder / "BACI_HS17_Y2010_V202501.csv")]
    args += ["--out", str(tmp_path / "out"), *(["--quiet"] if quiet else [])]
    proc = subprocess.Popen(args, stderr=slave, stdout=subprocess.PIPE)
    os.close(slave)
    seen = b""
    while True:
        try:
            chunk = os.read(master, 4096)
        except OSError:  # the terminal is closed when the command ends
            break
        if not chunk:
            break
        seen += chunk
    os.close(master)
    assert proc.wait() == 0
    assert proc.stdout is not None and b"1 year (2010) from 1 file" in proc.stdout.read()
    assert (b"converting:" in seen) is not quiet


def test_panel_keys_are_canonical_categoricals() -> None:
    rows = pd.DataFrame(
        {
            "reporter": ["KOR", "CHN", "CHN"],
            "partner": ["PRK", "PRK", "KOR"],
            "flow": ["X", "exports", "M"],
            "product": ["0301", "0301", "TOTAL"],
            "period": ["2019", "2019", "2020"],
            "value": [1.0, 2.0, 3.0],
        }
    )
    plain = bt.TradePanel(rows)
    frame = plain.to_frame()
    assert list(frame["reporter"].cat.categories) == ["CHN", "KOR"]
    assert list(frame["flow"].cat.categories) == ["exports", "imports"]
    assert frame["flow"].tolist() == ["exports", "exports", "imports"]
    other = rows.assign(
        reporter=pd.Categorical(rows["reporter"], categories=["USA", "KOR", "CHN"]),
        partner=rows["partner"].astype(pd.CategoricalDtype(pd.Index(["PRK", "KOR"], dtype="str"))),
    )
    assert bt.TradePanel(other) == plain
    assert bt.TradePanel(other).to_frame().dtypes.equals(frame.dtypes)
