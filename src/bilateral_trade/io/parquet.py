"""Parquet panels: BACI files converted once into a dataset partitioned by year, then read fast.

:func:`convert_baci` writes ``out/year=2019/part-00000.parquet`` (one folder per year, hive
style) with the panel's schema, and the provenance (source files, their sizes and rows,
unit, frequency, filters, library version) in the key-value metadata of every file and of
``out/_common_metadata``. :func:`read_parquet` reads a dataset or a single panel file with
the filters pushed down to pyarrow: a ``years=`` filter skips the folders of other years,
``countries=`` and ``products=`` are evaluated in the scan, before any pandas object exists.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import tempfile
from collections.abc import Callable, Iterable
from functools import partial
from pathlib import Path
from typing import Any, Literal

import numpy as np

from .._util.checks import check_choice
from .._util.files import parse_meta
from .._util.output import check_output_directory
from .._util.progress import byte_progress
from ..data.panel import TradePanel, register_reader
from ..data.periods import Frequency
from ..errors import DataValidationError, InsufficientDataError
from ._filters import ENGINES, Filters
from ._stream import expand_paths, header_of

__all__ = ["convert_baci", "describe_dataset", "read_parquet"]

_KEY = b"bilateral_trade"
_ROW_GROUP = 1 << 20


def _schema(quantity: bool) -> Any:
    """The Parquet schema of a panel: dictionary-encoded keys, periods as text, float64."""
    import pyarrow as pa

    word = pa.dictionary(pa.int32(), pa.string())
    fields = [
        ("reporter", word),
        ("partner", word),
        ("flow", word),
        ("product", word),
        ("period", pa.string()),
        ("value", pa.float64()),
    ]
    if quantity:
        fields += [("quantity", pa.float64()), ("quantity_unit", pa.string())]
    return pa.schema(fields)


def convert_baci(
    path: str | os.PathLike[str] | Iterable[str | os.PathLike[str]],
    out: str | os.PathLike[str],
    *,
    country_codes: str | Path | None = None,
    countries: str | Iterable[str] | None = None,
    products: str | Iterable[str] | None = None,
    years: int | Iterable[int] | None = None,
    published: str | None = None,
    progress: bool | Callable[[int], None] = False,
) -> Path:
    """Convert BACI CSV files into a Parquet dataset partitioned by year.

    Each file is read and validated as :func:`bilateral_trade.io.read_baci` reads it (the
    same filters), then written to ``out/year=YYYY/``; the dataset is built in a temporary
    directory beside ``out`` and moved into place at the end, so a failure leaves nothing.
    Read it back with :meth:`bilateral_trade.TradePanel.read_parquet` or
    :func:`read_parquet` (``engine="dask"`` for a lazy frame).

    Parameters
    ----------
    path : path, glob pattern or list of paths
        BACI files (``"BACI_HS17_Y*.csv"``).
    out : path
        A new directory (or an empty one); missing parents are created.
    country_codes, countries, products, years, published
        As :func:`bilateral_trade.io.read_baci`.
    progress : bool, default False
        A progress bar on stderr (bytes read). A callable (told the bytes of each batch, the
        old form) still works, with a ``FutureWarning``.

    Returns
    -------
    Path
        The dataset directory.

    Raises
    ------
    DataValidationError
        Anything :func:`read_baci` refuses (naming the file and line), a year found in two
        files (two versions of one year would be counted twice), files of different
        frequencies, or an ``out`` that is a file or a directory that is not empty.
    InsufficientDataError
        Filters that leave no row in any file.
    OSError
        A missing file or a pattern that matches none; a directory that cannot be written.
    """
    import pyarrow.parquet as pq

    from .baci import baci_panel

    filters = Filters.of(countries, products, years)
    files = expand_paths(path)
    callback, bar = byte_progress(progress, files, "converting", "convert_baci")
    target = check_output_directory(out)
    quantity = any("q" in (header_of(f) or []) for f in files)
    schema = _schema(quantity)
    base = _provenance(files, published, filters)
    target.absolute().parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(dir=target.absolute().parent, prefix=f".{target.name}."))
    try:
        seen: dict[int, str] = {}
        inputs: list[dict[str, Any]] = []
        frequency: Frequency | None = None
        for n, file in enumerate(files):
            panel = baci_panel(
                [file],
                country_codes=country_codes,
                filters=filters,
                published=published,
                progress=callback,
                empty_ok=True,
            )
            inputs.append(
                {"file": file.name, "bytes": file.stat().st_size, "rows": len(panel or ())}
            )
            if panel is None:
                continue
            if frequency is not None and panel.frequency is not frequency:
                raise DataValidationError(
                    f"period: {file.name} holds {panel.frequency.label} periods, the files "
                    f"before it {frequency.label} ones; convert them apart",
                    field="period",
                    value=panel.frequency.value,
                )
            frequency = panel.frequency
            metadata = _metadata(schema, {**base, "frequency": frequency.value})
            frame = panel._frame
            year_of = np.asarray(frame["period"].dt.year, dtype=np.int64)
            found = np.unique(year_of).tolist()
            for year in found:
                if year in seen:
                    raise DataValidationError(
                        f"years: {year} is in both {seen[year]} and {file.name}; convert one "
                        "version of each year (rows of one year in two files would be counted "
                        "twice)",
                        field="years",
                        value=year,
                    )
                seen[year] = file.name
                part = frame if len(found) == 1 else frame[year_of == year]
                folder = tmp / f"year={year}"
                folder.mkdir(exist_ok=True)
                table = _table(part, schema).replace_schema_metadata(metadata)
                pq.write_table(table, folder / f"part-{n:05d}.parquet", row_group_size=_ROW_GROUP)
        if frequency is None:
            names = ", ".join(f.name for f in files)
            raise InsufficientDataError(f"convert: no row of {names} matches the filters")
        meta = {**base, "frequency": frequency.value, "files": inputs}
        pq.write_metadata(schema.with_metadata(_metadata(schema, meta)), tmp / "_common_metadata")
        tmp.rename(target)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    finally:
        if bar is not None:
            bar.close()
    return target


def _provenance(files: list[Path], published: str | None, filters: Filters) -> dict[str, Any]:
    """The metadata every file of a converted dataset carries (without its frequency)."""
    from .._util.version import __version__
    from .baci import revision_of

    return {
        "format": "bilateral_trade.TradePanel",
        "unit": "USD",
        "source": f"{', '.join(f.name for f in files)} (CEPII BACI)",
        "published": published,
        "hs_revision": revision_of(files),
        "layout": "CEPII BACI",
        "partitioning": "year",
        "filters": {
            "countries": None if filters.countries is None else sorted(filters.countries),
            "products": None if filters.products is None else list(filters.products),
            "years": None if filters.years is None else sorted(filters.years),
        },
        "bilateral_trade": __version__,
    }


def describe_dataset(path: str | os.PathLike[str]) -> str:
    """What a dataset written by :func:`convert_baci` holds, in words.

    Parameters
    ----------
    path : path
        The dataset directory.

    Returns
    -------
    str
        ``"600 rows, 10 years (2010–2019) from 10 files"``: the rows written (from the
        provenance in ``_common_metadata``), the year folders and the source files.

    Raises
    ------
    DataValidationError
        The directory has no ``_common_metadata`` written by :func:`convert_baci`.
    """
    import pyarrow.parquet as pq

    base = Path(path)
    common = base / "_common_metadata"
    if not common.is_file():
        raise DataValidationError(
            f"path: {base} has no _common_metadata; it is not a dataset written by convert_baci",
            field="path",
            value=str(base),
        )
    raw = (pq.read_schema(common).metadata or {}).get(_KEY, b"{}")
    meta = parse_meta(raw, common.name, "metadata")
    files = meta.get("files", [])
    rows = sum(int(f["rows"]) for f in files)
    years = sorted(int(p.name.removeprefix("year=")) for p in base.glob("year=*"))
    span = f"{years[0]}–{years[-1]}" if len(years) > 1 else str(years[0]) if years else "none"
    return (
        f"{rows:,} rows, {len(years)} year{'s' * (len(years) != 1)} ({span}) from "
        f"{len(files)} file{'s' * (len(files) != 1)}"
    )


def _table(frame: Any, schema: Any) -> Any:
    """A panel frame as an Arrow table of the dataset's schema (periods as text)."""
    import pyarrow as pa

    rows = frame.assign(period=frame["period"].astype(str))
    for col in ("quantity", "quantity_unit"):
        if col in schema.names and col not in rows.columns:
            rows[col] = np.nan if col == "quantity" else None
    return pa.Table.from_pandas(rows[schema.names], preserve_index=False).cast(schema)


def _metadata(schema: Any, meta: dict[str, Any]) -> dict[bytes, bytes]:
    """The key-value metadata of a dataset file: ours, and pandas' (categorical keys)."""
    import pyarrow as pa

    empty = schema.empty_table().to_pandas()
    for col in ("reporter", "partner", "flow", "product"):
        empty[col] = empty[col].astype("category")
    pandas_meta = pa.Table.from_pandas(empty, preserve_index=False).schema.metadata or {}
    return {**pandas_meta, _KEY: json.dumps(meta).encode("utf-8")}


# -------------------------------------------------------------------- reading
def _files_of(path: Path) -> list[Path]:
    """The data files of a dataset directory (``_`` and ``.`` files are metadata)."""
    found = sorted(
        p
        for p in path.rglob("*")
        if p.is_file()
        and not any(part.startswith(("_", ".")) for part in p.relative_to(path).parts)
    )
    if not found:
        raise DataValidationError(
            f"path: {path.name} holds no Parquet files (a dataset written by convert_baci has "
            "year=YYYY folders)",
            field="path",
            value=str(path),
        )
    return found


def _expression(filters: Filters, partitioned: bool) -> Any:
    """The filters as a pyarrow dataset expression (None: every row)."""
    import pyarrow as pa
    import pyarrow.compute as pc
    import pyarrow.dataset as ds

    parts = []
    if filters.years is not None:
        years = sorted(filters.years)
        if partitioned:
            parts.append(ds.field("year").isin(years))  # whole folders are skipped
        text = ds.field("period").cast(pa.string())
        parts.append(pc.utf8_slice_codeunits(text, 0, 4).isin([str(y) for y in years]))
    if filters.countries is not None:
        wanted = sorted(filters.countries)
        parts.append(
            ds.field("reporter").cast(pa.string()).isin(wanted)
            | ds.field("partner").cast(pa.string()).isin(wanted)
        )
    if filters.products is not None:
        product = ds.field("product").cast(pa.string())
        match = None
        for code in filters.products:
            one = product == code if code == "TOTAL" else pc.starts_with(product, code)
            match = one if match is None else match | one
        parts.append(match)
    if not parts:
        return None
    expr = parts[0]
    for part in parts[1:]:
        expr = expr & part
    return expr


def _read_table(path: Path, filters: Filters) -> tuple[Any, dict[str, Any]]:
    """The filtered Arrow table of a panel file or dataset, and its metadata.

    Raises
    ------
    DataValidationError
        A file that is not Parquet, a dataset with unreadable files, bad metadata.
    """
    import pyarrow as pa
    import pyarrow.dataset as ds
    import pyarrow.parquet as pq

    name = path.name
    errors = (pa.ArrowException, OSError, ValueError, TypeError, KeyError, IndexError)
    try:
        if path.is_dir():
            files = _files_of(path)
            _check_folders(path, files)
            common = path / "_common_metadata"
            schema = pq.read_schema(common if common.is_file() else files[0])
            raw = (schema.metadata or {}).get(_KEY)
            _check_files(path, files, schema.names, raw)
            dataset = ds.dataset(
                [str(f) for f in files],
                format="parquet",
                partitioning=ds.partitioning(flavor="hive"),
                partition_base_dir=str(path),
                schema=_with_partition(schema, files, path),
            )
            partitioned = "year" in dataset.schema.names
            table = dataset.to_table(filter=_expression(filters, partitioned))
            if partitioned:
                table = table.drop_columns(["year"])
            table = table.replace_schema_metadata(schema.metadata)
        else:
            expr = _expression(filters, partitioned=False)
            table = pq.read_table(str(path), filters=expr) if expr is not None else None
            if table is None:
                table = pq.read_table(str(path))
            raw = (table.schema.metadata or {}).get(_KEY)
        table.validate(full=True)  # invalid UTF-8 in a text column, say
    except DataValidationError:
        raise
    except errors as exc:
        raise _unreadable(name, exc) from None
    meta = parse_meta(raw, name, "bilateral_trade metadata") if raw else {}
    return table, meta


def _disagreeing_row(file: Path, key: str) -> tuple[int, str] | None:
    """The first row of a Parquet file whose period is not of year ``key``: (row, period).

    The footer is read first: when every row group's statistics of ``period`` have a minimum
    and a maximum that both start with the year, every period between them does too (text
    is ordered character by character), and no row is read. Otherwise the ``period`` column
    is read. A file without a ``period`` column is left to the panel's checks.
    """
    import pyarrow as pa
    import pyarrow.compute as pc
    import pyarrow.parquet as pq

    meta = pq.read_metadata(str(file))
    names = [meta.schema.column(c).name for c in range(meta.num_columns)]
    if "period" not in names:
        return None
    column = names.index("period")
    agrees = True
    for g in range(meta.num_row_groups):
        stats = meta.row_group(g).column(column).statistics
        if stats is None or not stats.has_min_max:
            agrees = False
            break
        low, high = stats.min, stats.max
        if not (isinstance(low, str | int) and isinstance(high, str | int)):
            agrees = False
            break
        if not (str(low)[:4] == key and str(high)[:4] == key):
            agrees = False
            break
    if agrees:
        return None
    periods = pq.read_table(str(file), columns=["period"]).column("period")
    try:
        text = pc.cast(periods, pa.string())
    except (pa.ArrowException, ValueError, TypeError):
        return None  # not periods at all: the panel's checks name the cell
    other = pc.fill_null(pc.not_equal(pc.utf8_slice_codeunits(text, 0, 4), key), False)
    if not pc.any(other).as_py():
        return None
    row = int(np.argmax(np.asarray(other.to_numpy(zero_copy_only=False))))
    return row, str(text[row].as_py())


def _check_folders(base: Path, files: list[Path]) -> None:
    """Refuse a file in a ``year=YYYY`` folder that holds a row of another year.

    A ``years=`` filter reads whole folders by their name: a row in the folder of another
    year would be silently left out (or read as that year's). Each file's footer is read
    (the rows only when its statistics cannot vouch for them), also in the folders a filter
    skips.

    Raises
    ------
    DataValidationError
        Naming the folder, the file and the first disagreeing row (row 1 is the file's
        first); or a ``year=`` folder not named by a year of at most four digits
        (``year=abc``, ``year=-1``).
    """
    import pyarrow as pa

    for file in files:
        folder = file.relative_to(base).parts[0]
        year = _folder_year(file, base)
        if year is None and folder.startswith("year=") and len(file.relative_to(base).parts) > 1:
            raise DataValidationError(
                f"year: the folder {folder} of {base.name} is not named by a year (such as "
                "year=2019), and years= reads the folders by their names; rename it to the "
                "year of its rows",
                field="year",
                value=folder,
            )
        if year is None:
            continue
        try:
            found = _disagreeing_row(file, f"{year:04d}")
        except (pa.ArrowException, OSError, ValueError) as exc:  # pyarrow's errors are these
            raise _unreadable(file.relative_to(base).as_posix(), exc, base.name) from None
        if found is not None:
            row, period = found
            raise DataValidationError(
                f"year: the folder {folder} of {base.name} holds rows of another year: row "
                f"{row + 1} of {file.relative_to(base).as_posix()} has period {period!r}; in a "
                "dataset partitioned by year every row is in the folder of its year (years= "
                "reads folders by their name), so move the file or convert the data again",
                field="year",
                value=period,
            )


def _unreadable(where: str, exc: Exception, dataset: str = "") -> DataValidationError:
    """The error for a file pyarrow cannot read (``where`` inside ``dataset``, when given)."""
    inside = f" of {dataset}" if dataset else ""
    return DataValidationError(
        f"file: {where}{inside} is not a readable Parquet file "
        f"({type(exc).__name__}: {str(exc)[:200]})",
        field="file",
        value=where,
    )


def _check_files(base: Path, files: list[Path], names: list[str], raw: bytes | None) -> None:
    """Refuse a dataset whose files do not hold what its schema and provenance say.

    pyarrow reads a column that a file lacks as nulls and the first of two columns of one
    name, and a removed or emptied file simply gives fewer rows: each would be a silently
    different panel. So every data file must have each column of the dataset's schema
    (``names``) exactly once, and, when the provenance of ``convert_baci`` records the rows
    it wrote, the files must hold that many rows.

    Raises
    ------
    DataValidationError
        A file without a column of the schema or with a column twice (naming both), rows
        that differ from the count the metadata records, or provenance without row counts.
    """
    import pyarrow as pa
    import pyarrow.parquet as pq

    wanted = [c for c in dict.fromkeys(names) if c != "year"]
    total = 0
    for file in files:
        where = file.relative_to(base).as_posix()
        try:
            info = pq.read_metadata(str(file))
            columns = info.schema.to_arrow_schema().names
        except (pa.ArrowException, OSError, ValueError) as exc:  # pyarrow's errors are these
            raise _unreadable(where, exc, base.name) from None
        twice = sorted({c for c in columns if columns.count(c) > 1})
        missing = [c for c in wanted if c not in columns]
        if twice or missing:
            what = (
                f"has the column {twice[0]!r} twice"
                if twice
                else f"lacks the column(s) {', '.join(missing)} of the dataset's schema"
            )
            raise DataValidationError(
                f"file: {where} of {base.name} {what}; every file of a dataset has each column "
                "of its schema once (else its rows would be read with other or missing values), "
                "so convert the data again",
                field="file",
                value=where,
            )
        total += info.num_rows
    _check_row_count(base, total, parse_meta(raw, base.name, "metadata") if raw else {})


def _check_row_count(base: Path, total: int, meta: dict[str, Any]) -> None:
    """Refuse a dataset whose files hold another number of rows than its provenance records."""
    if "files" not in meta:
        return  # not written by convert_baci: nothing to compare with
    sources = meta["files"]
    rows: list[int] = []
    for source in sources if isinstance(sources, list) else [None]:
        count = source.get("rows") if isinstance(source, dict) else None
        if type(count) is not int or count < 0:
            raise DataValidationError(
                f"metadata: the provenance of {base.name} lists its source files without their "
                "row counts; the metadata is damaged, so convert the data again",
                field="metadata",
                value=str(sources)[:200],
            )
        rows.append(count)
    expected = sum(rows)
    if total != expected:
        raise DataValidationError(
            f"path: the files of {base.name} hold {total} rows, its metadata records {expected} "
            f"rows written from {len(rows)} source file(s); a file was removed, emptied, added "
            "or replaced, so convert the data again",
            field="path",
            value=total,
        )


def _with_partition(schema: Any, files: list[Path], base: Path) -> Any:
    """The dataset schema: the files' columns and, when the folders are year=YYYY, ``year``."""
    import pyarrow as pa

    names = [f.relative_to(base).parts for f in files]
    if names and all(len(p) > 1 and p[0].startswith("year=") for p in names):
        return schema.append(pa.field("year", pa.int32()))
    return schema


def panel_of_table(
    table: Any, meta: dict[str, Any], name: str, *, empty_ok: bool = False
) -> TradePanel | None:
    """A validated panel from a filtered Arrow table (None when empty and ``empty_ok``)."""
    import pyarrow as pa

    errors = (pa.ArrowException, OSError, ValueError, TypeError, KeyError, IndexError)
    if table.num_rows == 0 and table.num_columns and (empty_ok or meta.get("format")):
        if empty_ok:
            return None
        raise InsufficientDataError(f"read_parquet: no row of {name} matches the filters")
    try:
        try:
            frame = table.to_pandas()
        except errors:  # broken pandas metadata: the columns are still good
            frame = table.to_pandas(ignore_metadata=True)
    except errors as exc:
        raise DataValidationError(
            f"file: the columns of {name} cannot be read ({type(exc).__name__}: {str(exc)[:200]})",
            field="file",
            value=name,
        ) from None
    return TradePanel(
        frame,
        unit=meta.get("unit", "USD"),
        source=meta.get("source", name),
        published=meta.get("published"),
        hs_revision=meta.get("hs_revision"),
    )


def read_parquet(
    path: str | os.PathLike[str],
    *,
    countries: str | Iterable[str] | None = None,
    products: str | Iterable[str] | None = None,
    years: int | Iterable[int] | None = None,
    engine: Literal["pandas", "dask"] = "pandas",
) -> Any:
    """Read a panel from a Parquet file or a dataset written by :func:`convert_baci`.

    The filters are pushed down to pyarrow: ``years=`` skips the rows of the ``year=``
    folders of other years, ``countries=`` (exporter or importer) and ``products=`` (HS
    prefixes, or ``"TOTAL"``) are evaluated while the files are scanned. Since folders are
    chosen by their names, every file of a ``year=YYYY`` folder is checked to hold rows of
    that year only, also in the folders skipped (from its footer's statistics; its rows are
    read only when it has none).

    Parameters
    ----------
    path : path
        A file written by :meth:`TradePanel.to_parquet` or a dataset directory.
    countries, products, years : optional
        As :func:`bilateral_trade.io.read_baci` (a string is one code).
    engine : {"pandas", "dask"}, default "pandas"
        ``"dask"`` gives a lazy ``dask.dataframe.DataFrame`` with the panel's columns and
        dtypes, one partition per file (the ``dask`` extra).

    Returns
    -------
    TradePanel or dask.dataframe.DataFrame

    Raises
    ------
    DataValidationError
        A file that is not Parquet, bad ``bilateral_trade`` metadata, a bad filter (an empty
        list included), a ``year=`` folder that holds a row of another year (naming the
        folder, the file and the row) or is not named by a year, a file of a dataset without
        a column of its schema or with a column twice, files that hold another number of rows
        than the dataset's metadata records, or any check of :class:`TradePanel`.
    InsufficientDataError
        Filters that leave no row.
    OSError
        A missing path (FileNotFoundError).
    """
    check_choice(engine, "engine", ENGINES)
    filters = Filters.of(countries, products, years, total=True)
    target = Path(os.fspath(path))
    if not target.is_dir():
        target.open("rb").close()  # a missing file is a FileNotFoundError, as usual
    if engine == "dask":
        return _read_dask(target, filters)
    table, meta = _read_table(target, filters)
    panel = panel_of_table(table, meta, target.name)
    assert panel is not None  # empty_ok is False
    return panel


def _folder_year(file: Path, base: Path) -> int | None:
    """The year of a file in a ``year=YYYY`` folder (None elsewhere)."""
    parts = file.relative_to(base).parts
    text = parts[0].removeprefix("year=")
    named = len(parts) > 1 and parts[0] != text
    return int(text) if named and re.fullmatch(r"[0-9]{1,4}", text) else None


def _read_one(path: Path, *, filters: Filters, meta: dict[str, Any]) -> TradePanel | None:
    table, own = _read_table(path, filters)
    return panel_of_table(table, own or meta, path.name, empty_ok=True)


def _read_dask(path: Path, filters: Filters) -> Any:
    import pyarrow.parquet as pq

    from .dask import read_parquet_dask

    files = _files_of(path) if path.is_dir() else [path]
    name = path.name
    if path.is_dir():
        _check_folders(path, files)
    common = path / "_common_metadata"
    try:
        schema = pq.read_schema(common if common.is_file() else files[0])
    except (OSError, ValueError) as exc:  # pyarrow's errors are both
        raise _unreadable(name, exc) from None
    raw = (schema.metadata or {}).get(_KEY)
    if path.is_dir():
        _check_files(path, files, schema.names, raw)
    if filters.years is not None and path.is_dir():  # whole folders of other years are skipped
        files = [f for f in files if _folder_year(f, path) in (None, *filters.years)]
    if not files:
        raise InsufficientDataError(f"read_parquet: no folder of {path.name} holds those years")
    meta = parse_meta(raw, name, "bilateral_trade metadata") if raw else {}
    frequency = Frequency.parse(meta.get("frequency", "A"))
    quantity = "quantity" in pq.read_schema(files[0]).names
    return read_parquet_dask(
        files,
        read=partial(_read_one, filters=filters, meta=meta),
        frequency=frequency,
        quantity=quantity,
    )


register_reader("parquet", read_parquet)
