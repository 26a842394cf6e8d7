"""Fuzzing the Parquet dataset reader and the sanctions loaders (issue 18, "Keep it fixed").

The byte-level fuzz of every loader is in ``test_adversarial_io``; here the mutations are
structural. A Parquet dataset written by ``convert_baci`` (or a panel file written by
``TradePanel.to_parquet``) has a file rewritten by pyarrow with a column dropped, renamed,
doubled or of another type, rows removed or added, a file emptied or removed. A mutation that
keeps the data (a column of another but exact type, another column order) must read the same
panel or be refused; a mutation that changes the data must be refused with the library's
error, never read as a different panel. The sanctions loader (``read_sanctions``, the
``--sanctions`` file of the gravity command) takes byte mutations, a byte order mark,
doubled columns and cells of the wrong type; the catalog JSON loader takes values of the
wrong type in every field.
"""

from __future__ import annotations

import json
import re
import shutil
import warnings
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import bilateral_trade as bt
from bilateral_trade import BilateralTradeError, DataValidationError
from bilateral_trade.io import convert_baci, read_parquet
from bilateral_trade.io.sanctions import read_sanctions
from bilateral_trade.stats.gravity import sanction_measures
from test_adversarial_io import NASTY, mutations

FUZZ = settings(
    max_examples=30,
    deadline=None,
    database=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)

Table = Any  # a pyarrow.Table


# --------------------------------------------------------- structural mutations
def _set(name: str, values: Any, typ: Any = None) -> Callable[[Table], Table]:
    def change(t: Table) -> Table:
        array = pa.array(values(t) if callable(values) else values, typ)
        return t.set_column(t.schema.get_field_index(name), name, array)

    return change


def _cast(name: str, typ: Any, *, safe: bool = True) -> Callable[[Table], Table]:
    def change(t: Table) -> Table:
        i = t.schema.get_field_index(name)
        return t.set_column(i, pa.field(name, typ), t.column(name).cast(typ, safe=safe))

    return change


def _drop(name: str) -> Callable[[Table], Table]:
    return lambda t: t.drop_columns([name])


#: Rewrites that keep every value: the panel read must be the same (or the file refused).
KEEPS: dict[str, Callable[[Table], Table]] = {
    "columns reversed": lambda t: t.select(list(reversed(t.column_names))),
    "keys as plain text": _cast("reporter", pa.string()),
    "keys as large text": _cast("product", pa.large_string()),
    "values as float32": _cast("value", pa.float32()),  # 1500, 2500, 3500: exact
    "values as int64": _cast("value", pa.int64()),
    "values as decimal": _cast("value", pa.decimal128(12, 2)),
    "quantities as int64": _cast("quantity", pa.int64()),
    "an extra column": lambda t: t.append_column("extra", pa.array(range(t.num_rows))),
    "no metadata": lambda t: t.replace_schema_metadata(None),
}
#: Rewrites that change the data: refused, never read.
CHANGES: dict[str, Callable[[Table], Table | None]] = {
    **{
        f"no {c}": _drop(c)
        for c in ("reporter", "partner", "flow", "product", "period", "value", "quantity")
    },
    "no quantity_unit": _drop("quantity_unit"),
    "value renamed": lambda t: t.rename_columns(
        ["v" if c == "value" else c for c in t.column_names]
    ),
    "value twice, other values first": lambda t: pa.table(
        [pa.array([9.0] * t.num_rows), *t.columns], names=["value", *t.column_names]
    ),
    "value twice, other values last": lambda t: t.append_column(
        "value", pa.array([9.0] * t.num_rows)
    ),
    "period twice": lambda t: t.append_column("period", t.column("period")),
    "no rows": lambda t: t.slice(0, 0),
    "a row less": lambda t: t.slice(1),
    "rows twice": lambda t: pa.concat_tables([t, t]),
    "a null value": _set(
        "value", lambda t: [None, *t.column("value").to_pylist()[1:]], pa.float64()
    ),
    "a NaN value": _set("value", lambda t: [float("nan"), *t.column("value").to_pylist()[1:]]),
    "a negative value": _set("value", lambda t: [-1.0, *t.column("value").to_pylist()[1:]]),
    "an infinite value": _set(
        "value", lambda t: [float("inf"), *t.column("value").to_pylist()[1:]]
    ),
    "values as strings of words": _set("value", lambda t: ["many"] * t.num_rows),
    "periods of another year": _set("period", lambda t: ["1999"] * t.num_rows),
    "periods as dates": _set(
        "period", lambda t: [pd.Timestamp("2018-01-01").date()] * t.num_rows, pa.date32()
    ),
    "products as numbers": _set("product", lambda t: list(range(t.num_rows)), pa.int64()),
    "a null reporter": _set(
        "reporter", lambda t: [None, *t.column("reporter").to_pylist()[1:]], pa.string()
    ),
    "an empty file": lambda t: None,
}


def _rewrite(file: Path, change: Callable[[Table], Table | None]) -> None:
    table = pq.read_table(file)
    new = change(table)
    if new is None:
        file.write_bytes(b"")
        return
    if new.schema.metadata is None and change is not KEEPS["no metadata"]:
        new = new.replace_schema_metadata(table.schema.metadata)
    pq.write_table(new, file)


@pytest.fixture(scope="module")
def dataset(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Three years written by convert_baci (three rows a year, with quantities)."""
    folder = tmp_path_factory.mktemp("fuzzds")
    files = []
    for year in (2017, 2018, 2019):
        path = folder / f"BACI_HS17_Y{year}_V202501.csv"
        path.write_text(
            "t,i,j,k,v,q\n"
            + "".join(
                f"{year},156,{j},{k},{1.5 + n},{n}\n"
                for n, (j, k) in enumerate([(408, "030111"), (410, "270111"), (842, "670419")])
            )
        )
        files.append(path)
    return convert_baci(files, folder / "ds")


def _frame(panel: bt.TradePanel) -> pd.DataFrame:
    return panel.to_frame().reset_index(drop=True)


def _read(root: Path, years: Any, engine: str) -> pd.DataFrame:
    with warnings.catch_warnings():
        warnings.simplefilter("error", bt.BilateralTradeWarning)
        if engine == "dask":
            return (
                read_parquet(root, years=years, engine="dask")
                .compute(scheduler="synchronous")
                .reset_index(drop=True)
            )
        return _frame(bt.TradePanel.read_parquet(root, years=years))


def _same_panel(got: pd.DataFrame, want: pd.DataFrame) -> bool:
    key = ["reporter", "partner", "flow", "product", "period"]
    a = got.astype({k: str for k in key}).sort_values(key).reset_index(drop=True)
    b = want.astype({k: str for k in key}).sort_values(key).reset_index(drop=True)
    return a.equals(b)


@pytest.mark.parametrize("engine", ["pandas", "dask"])
def test_fuzz_dataset_structure(dataset: Path, tmp_path: Path, engine: str) -> None:
    if engine == "dask":
        pytest.importorskip("dask.dataframe")
    wanted = {years: _read(dataset, years, engine) for years in (None, 2018, 2019)}
    counter = iter(range(10**6))
    parts = sorted(p.relative_to(dataset) for p in dataset.glob("year=*/*.parquet"))

    @settings(FUZZ, max_examples=40 if engine == "pandas" else 15)
    @given(
        name=st.sampled_from(sorted(KEEPS) + sorted(CHANGES)),
        part=st.sampled_from(parts),
        years=st.sampled_from([None, 2018, 2019]),
    )
    def run(name: str, part: Path, years: Any) -> None:
        root = tmp_path / f"ds{next(counter)}"
        shutil.copytree(dataset, root)
        try:
            _rewrite(root / part, KEEPS.get(name) or CHANGES[name])
            try:
                got = _read(root, years, engine)
            except BilateralTradeError:
                return
            read_part = years is None or part.parts[0] == f"year={years}"
            # a change to rows that years= leaves out may go unseen: the rows read are right
            assert name in KEEPS or not read_part, f"{name} in {part} was read as a panel"
            assert _same_panel(got, wanted[years]), name
        finally:
            shutil.rmtree(root, ignore_errors=True)

    run()


@pytest.mark.parametrize("name", sorted(KEEPS))
def test_dataset_rewrites_that_keep_the_data_read_the_same(
    dataset: Path, tmp_path: Path, name: str
) -> None:
    root = tmp_path / "ds"
    shutil.copytree(dataset, root)
    for part in root.glob("year=*/*.parquet"):
        _rewrite(part, KEEPS[name])
    assert _same_panel(_read(root, None, "pandas"), _frame(bt.TradePanel.read_parquet(dataset)))


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ("no quantity", "lacks the column(s) quantity of the dataset's schema"),
        ("value twice, other values first", "has the column 'value' twice"),
        ("no rows", "hold 6 rows, its metadata records 9 rows"),
        ("rows twice", "hold 12 rows, its metadata records 9 rows"),
    ],
)
def test_a_damaged_dataset_file_is_named(
    dataset: Path, tmp_path: Path, change: str, message: str
) -> None:
    root = tmp_path / "ds"
    shutil.copytree(dataset, root)
    _rewrite(next((root / "year=2018").iterdir()), CHANGES[change])
    for engine in ("pandas", "dask"):
        with pytest.raises(DataValidationError, match=re.escape(message)):
            _read(root, 2019, engine)  # also when years= skips the folder


@pytest.mark.parametrize("removed", ["a part file", "a year folder", "the common metadata"])
def test_a_removed_file(dataset: Path, tmp_path: Path, removed: str) -> None:
    root = tmp_path / "ds"
    shutil.copytree(dataset, root)
    if removed == "a part file":
        next((root / "year=2018").iterdir()).unlink()
    elif removed == "a year folder":
        shutil.rmtree(root / "year=2018")
    else:  # the files keep their own metadata: the same panel, without the row counts
        (root / "_common_metadata").unlink()
        assert _same_panel(_read(root, None, "pandas"), _frame(bt.TradePanel.read_parquet(dataset)))
        return
    with pytest.raises(DataValidationError, match="hold 6 rows, its metadata records 9 rows"):
        _read(root, None, "pandas")


def test_damaged_row_counts_in_the_metadata(dataset: Path, tmp_path: Path) -> None:
    root = tmp_path / "ds"
    shutil.copytree(dataset, root)
    common = root / "_common_metadata"
    schema = pq.read_schema(common)
    meta = json.loads(schema.metadata[b"bilateral_trade"])
    meta["files"][0]["rows"] = "3"
    raw = {**schema.metadata, b"bilateral_trade": json.dumps(meta).encode()}
    pq.write_metadata(schema.with_metadata(raw), common)
    with pytest.raises(DataValidationError, match="without their row counts"):
        _read(root, None, "pandas")


@pytest.fixture(scope="module")
def panel_file(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, pd.DataFrame]:
    """A panel with quantities and flags written by TradePanel.to_parquet."""
    panel = bt.TradePanel(
        pd.DataFrame(
            {
                "reporter": ["CHN", "CHN", "KOR", "KOR"],
                "partner": ["PRK"] * 4,
                "flow": ["exports", "imports", "exports", "exports"],
                "product": ["0301", "TOTAL", "0301", "0301"],
                "period": ["2018", "2019", "2018", "2019"],
                "value": [1500.0, 2000.0, 3000.0, 250.0],
                "quantity": [1.0, None, 2.0, 4.0],
                "quantity_unit": ["kg", None, "kg", "kg"],
            }
        ),
        source="s",
    )
    path = tmp_path_factory.mktemp("panel") / "panel.parquet"
    panel.to_parquet(path)
    return path, _frame(panel)


def test_fuzz_panel_file_structure(panel_file: tuple[Path, pd.DataFrame], tmp_path: Path) -> None:
    """One file is its own schema: dropping an optional column reads a panel without it."""
    seed, original = panel_file
    optional = {"no quantity": "quantity", "no quantity_unit": "quantity_unit"}
    counter = iter(range(10**6))

    @FUZZ
    @given(name=st.sampled_from(sorted(KEEPS) + sorted(CHANGES)))
    def run(name: str) -> None:
        path = tmp_path / f"p{next(counter)}.parquet"
        shutil.copy(seed, path)
        _rewrite(path, KEEPS.get(name) or CHANGES[name])
        try:
            got = _frame(bt.TradePanel.read_parquet(path))
        except BilateralTradeError:
            return
        if name in optional:
            assert _same_panel(got, original.drop(columns=[optional[name]])), name
        elif name == "a row less":  # a smaller panel, as the file now holds
            assert _same_panel(got, original.iloc[1:]), name
        else:
            assert name in KEEPS, f"{name} was read as a panel"
            assert _same_panel(got, original), name

    run()


# ------------------------------------------------------------ sanctions loader
MEASURES = (
    b"reference,sanctioning,target,start,end,kind\n"
    b"m1,USA;JPN,PRK,2006-10-14,,trade\n"
    b"m2,EU,RUS,2014-07-31,2020-12-31,financial\n"
    b'm3,UN,PRK,2017,,"trade"\n'
)
WRONG_CELLS = [b"abc", b"2017-13-45", b"2017-02-30", b"1e400", b"-1", b"True", b"[]", b"{}",
               b"XXX", b"USA;;", b";", b"\xe9", b"null", b"NaN", b"2017Q5", b"0"]  # fmt: skip


def _measures_of(path: Path) -> pd.DataFrame:
    with warnings.catch_warnings():
        warnings.simplefilter("error", bt.BilateralTradeWarning)
        loaded = read_sanctions(path, field="--sanctions")
        # a table names each measure's target (target= is refused for it); a catalog read
        # from a mutated header may need one
        target = "PRK" if isinstance(loaded, bt.EventCatalog) else None
        return sanction_measures(loaded, target=target)


@st.composite
def measure_mutations(draw: st.DrawFn) -> tuple[str, bytes]:
    """A table of measures with a BOM, a doubled column, a wrong cell, or byte mutations."""
    hazard = draw(st.sampled_from(["bom", "doubled", "cell", "bytes", "several"]))
    lines = MEASURES.split(b"\n")
    if hazard in ("doubled", "several"):
        cells = [line.split(b",") for line in lines if line]
        col = draw(st.integers(0, len(cells[0]) - 1))
        lines = [b",".join([*row, row[col]]) for row in cells] + [b""]
    if hazard in ("cell", "several"):
        row = draw(st.integers(1, 3))
        col = draw(st.integers(1, 5))  # not the reference, which may be any text
        cells = lines[row].split(b",")
        cells[col] = draw(st.sampled_from(WRONG_CELLS + NASTY))
        lines[row] = b",".join(cells)
    data = b"\n".join(lines)
    if hazard in ("bom", "several"):
        data = b"\xef\xbb\xbf" + data
    if hazard in ("bytes", "several"):
        data = draw(mutations(data))
    return hazard, data


def test_fuzz_sanctions_table(tmp_path: Path) -> None:
    seed = tmp_path / "seed.csv"
    seed.write_bytes(MEASURES)
    expected = _measures_of(seed)
    assert list(expected["status"]) == ["used"] * 3
    path = tmp_path / "measures.csv"

    @settings(FUZZ, max_examples=60)
    @given(case=measure_mutations())
    def run(case: tuple[str, bytes]) -> None:
        hazard, data = case
        path.write_bytes(data)
        if hazard == "bom":
            pd.testing.assert_frame_equal(_measures_of(path), expected)
        elif hazard == "doubled":  # never the last (or first) of two columns silently
            with pytest.raises(DataValidationError):
                _measures_of(path)
        else:
            try:
                got = _measures_of(path)
            except BilateralTradeError:
                return
            assert isinstance(got, pd.DataFrame)

    run()


def test_fuzz_sanctions_catalog_files(tmp_path: Path) -> None:
    """A catalog given as --sanctions (CSV or JSON) takes the same mutations as the table."""
    catalog = bt.datasets.dprk_sanctions()[:4]
    seeds = {".csv": catalog.to_csv().encode(), ".json": catalog.to_json().encode()}
    for suffix, seed in seeds.items():
        path = tmp_path / f"seed{suffix}"
        path.write_bytes(b"\xef\xbb\xbf" + seed)
        assert read_sanctions(path) == catalog  # a BOM is dropped, as if it were not there

    @settings(FUZZ, max_examples=40)
    @given(suffix=st.sampled_from(sorted(seeds)), data=st.data())
    def run(suffix: str, data: st.DataObject) -> None:
        path = tmp_path / f"mutated{suffix}"
        path.write_bytes(data.draw(mutations(seeds[suffix])))
        try:
            got = _measures_of(path)
        except BilateralTradeError:
            return
        assert isinstance(got, pd.DataFrame)

    run()


# ------------------------------------------------------ catalog JSON: wrong types
WRONG_VALUES: list[Any] = [None, 5, 2.5, True, [], ["x"], {}, {"a": 1}, "", " ", [1, 2],
                           ["UN", 5], 2017, 1513900800, "2017-02-30", [["PRK"]], -1]  # fmt: skip
#: Fields that identify an event: a value that is not their kind of text is refused.
IDENTITY = ("date", "kind", "reference", "label")


def test_fuzz_catalog_json_wrong_types() -> None:
    catalog = bt.datasets.dprk_sanctions()[:2] | bt.datasets.russia_sanctions()[:1]
    seed = json.loads(catalog.to_json())
    fields = sorted(seed["events"][0])

    @settings(FUZZ, max_examples=80)
    @given(
        event=st.integers(0, len(seed["events"]) - 1),
        field=st.sampled_from(fields),
        value=st.sampled_from(WRONG_VALUES),
    )
    def run(event: int, field: str, value: Any) -> None:
        doc = json.loads(json.dumps(seed))
        doc["events"][event][field] = value
        if field in IDENTITY and not isinstance(value, str):
            with pytest.raises(DataValidationError, match=field):
                bt.EventCatalog.from_json(json.dumps(doc))
            return
        try:
            got = bt.EventCatalog.from_json(json.dumps(doc))
        except BilateralTradeError:
            return
        # what was accepted is what is written again: reading it back changes nothing
        assert bt.EventCatalog.from_json(got.to_json()) == got
        # and the other events are untouched
        assert len(got) == len(catalog)
        assert all(e in list(got) for i, e in enumerate(catalog) if i != event)

    run()
