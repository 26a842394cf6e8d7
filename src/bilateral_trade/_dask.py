"""Dask adapters (the ``dask`` extra; private).

Screening: series are assigned to buckets by a stable hash of their keys
(:func:`screening.bucket_of`, the same on every machine), each bucket is screened by the same
kernel in one partition, and the false-discovery adjustment is done once on the collected
result. Reading: BACI files and Parquet panel datasets become lazy Dask DataFrames with the
panel's columns and dtypes, one partition per file, each read and validated as a panel when
it is computed.
"""

from __future__ import annotations

import csv
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any, Literal

import numpy as np
import pandas as pd

from ._periods import Frequency, parse_period
from .errors import DataValidationError
from .panel import KEYS, TradePanel
from .screening import SCHEMA, _screen_frame, bucket_of, finalize

_ROW = "_bt_row"


def _panel(part: pd.DataFrame) -> TradePanel:
    """The panel of one partition; errors name the row of the whole frame (row 1 is its first)."""
    rows = part[_ROW].to_numpy()
    frame = part.drop(columns=["bucket", _ROW], errors="ignore")
    return TradePanel._located(frame, lambda pos: f"row {int(rows[pos])}")


def _kernel(part: pd.DataFrame, **options: Any) -> pd.DataFrame:
    """Screen one bucket; ``_freq`` says its frequency (checked once, after the compute)."""
    if len(part) == 0:
        out = pd.DataFrame({c: pd.Series(dtype=d) for c, d in SCHEMA.items()})
        out[_FREQ] = pd.Series(dtype=object)
        return out
    panel = _panel(part)
    out = _screen_frame(panel.to_frame(), panel.frequency, **options)
    out = out[list(SCHEMA)].astype(SCHEMA)
    out[_FREQ] = panel.frequency.value
    return out


_FREQ = "_bt_frequency"


def screen_dask(
    data: Any,
    *,
    tests: Sequence[str],
    at: Any,
    trim: float | int,
    log: bool,
    trend: bool,
    min_obs: int,
    fdr: Literal["bh", "by"] | None,
    chunk_size: int,
    buckets: int | None = None,
) -> pd.DataFrame:
    """Screen a Dask DataFrame: bucket by key hash, run the kernel per partition, adjust once."""
    missing = [c for c in (*KEYS, "period", "value") if c not in data.columns]
    if missing:
        raise DataValidationError(
            f"data: the Dask frame lacks column(s) {', '.join(missing)}; columns found: "
            f"{', '.join(map(str, data.columns))}",
            field="data",
            value=missing,
        )
    n = buckets or max(1, int(data.npartitions))
    # the 1-based position of each row in the whole frame, for error messages
    ones = data.map_partitions(
        lambda df: pd.Series(np.ones(len(df), dtype=np.int64), index=df.index),
        meta=(_ROW, "int64"),
    )
    with_bucket = data.assign(
        bucket=data.map_partitions(
            lambda df: pd.Series(bucket_of(df, n), index=df.index), meta=("bucket", "int64")
        ),
        **{_ROW: ones.cumsum()},
    )
    shuffled = with_bucket.shuffle("bucket", npartitions=n)
    meta = pd.DataFrame({c: pd.Series(dtype=d) for c, d in SCHEMA.items()})
    meta[_FREQ] = pd.Series(dtype=object)
    # one pass over the data: the frequency of every bucket travels with its rows
    result = shuffled.map_partitions(
        _kernel,
        tests=tuple(tests),
        at=at,
        trim=trim,
        log=log,
        trend=trend,
        min_obs=min_obs,
        chunk_size=chunk_size,
        meta=meta,
    ).compute()
    freqs = {str(f) for f in result[_FREQ].unique()}
    if len(freqs) > 1:
        raise DataValidationError(
            f"period: the frame mixes frequencies {', '.join(sorted(freqs))}; screen them apart",
            field="period",
            value=sorted(freqs),
        )
    return finalize(result.drop(columns=_FREQ), fdr)


# ------------------------------------------------------------------------ reading
def panel_meta(frequency: Frequency, quantity: bool) -> pd.DataFrame:
    """An empty frame with the panel's columns and dtypes (categories unknown, as Dask has it)."""
    from dask.dataframe.utils import clear_known_categories

    key = pd.Categorical([], categories=pd.Index([], dtype=object))
    columns: dict[str, Any] = {k: key for k in KEYS}
    columns["period"] = pd.PeriodIndex([], freq=frequency.pandas_freq)
    columns["value"] = np.empty(0)
    if quantity:
        columns["quantity"] = np.empty(0)
        columns["quantity_unit"] = pd.Series([], dtype=object)
    meta = pd.DataFrame(columns)
    out: pd.DataFrame = clear_known_categories(meta, cols=list(KEYS))  # type: ignore[no-untyped-call]
    return out


def conform(frame: pd.DataFrame, meta: pd.DataFrame, name: str) -> pd.DataFrame:
    """A partition's panel frame with the columns of ``meta``; its frequency must be meta's."""
    want: Any = meta["period"].dtype
    have: Any = frame["period"].dtype
    if have != want:
        got = Frequency.parse(have.freqstr).label
        expected = Frequency.parse(want.freqstr).label
        raise DataValidationError(
            f"period: {name} holds {got} periods but the first file {expected} ones; read "
            "files of one frequency together",
            field="period",
            value=got,
        )
    for col in meta.columns:
        if col not in frame.columns:
            frame[col] = None if col == "quantity_unit" else np.nan
    return frame[list(meta.columns)]


def _first_period(path: Path, column: str) -> Frequency:
    """The frequency of the first data row of a CSV file (annual when it cannot be read)."""
    try:
        with path.open(encoding="utf-8-sig", newline="") as fh:
            reader = csv.reader(fh)
            header = next(reader)
            row = next(reader)
        return Frequency.parse(parse_period(row[header.index(column)].strip()).freqstr)
    except (OSError, UnicodeError, StopIteration, ValueError, IndexError, csv.Error):
        return Frequency.ANNUAL
    except DataValidationError:
        return Frequency.ANNUAL


def read_baci_dask(
    files: list[Path],
    *,
    country_codes: str | Path | None,
    filters: Any,
    published: str | None,
) -> Any:
    """BACI files as a lazy Dask DataFrame: one partition per file."""
    import dask.dataframe as dd

    from .io._stream import header_of

    if country_codes is not None:
        from .io.baci import _country_table

        _country_table(country_codes)  # a bad table is refused now, not in every worker
    quantity = any("q" in (header_of(f) or []) for f in files)
    meta = panel_meta(_first_period(files[0], "t"), quantity)
    return dd.from_map(  # type: ignore[no-untyped-call]
        _baci_part,
        [str(f) for f in files],
        meta=meta,
        label="read-baci",
        enforce_metadata=False,
        country_codes=None if country_codes is None else str(country_codes),
        filters=filters,
        published=published,
        columns_meta=meta,
    )


def _baci_part(
    path: str,
    *,
    country_codes: str | None,
    filters: Any,
    published: str | None,
    columns_meta: pd.DataFrame,
) -> pd.DataFrame:
    from .io.baci import baci_panel

    panel = baci_panel(
        [Path(path)],
        country_codes=country_codes,
        filters=filters,
        published=published,
        empty_ok=True,
    )
    if panel is None:
        return columns_meta.iloc[:0].copy()
    return conform(panel.to_frame(), columns_meta, Path(path).name)


def read_parquet_dask(
    files: list[Path],
    *,
    read: Callable[[Path], TradePanel | None],
    frequency: Frequency,
    quantity: bool,
) -> Any:
    """Files of a Parquet panel dataset as a lazy Dask DataFrame: one partition per file."""
    import dask.dataframe as dd

    meta = panel_meta(frequency, quantity)
    return dd.from_map(  # type: ignore[no-untyped-call]
        _parquet_part,
        [str(f) for f in files],
        meta=meta,
        label="read-panel-parquet",
        enforce_metadata=False,
        read=read,
        columns_meta=meta,
    )


def _parquet_part(
    path: str, *, read: Callable[[Path], TradePanel | None], columns_meta: pd.DataFrame
) -> pd.DataFrame:
    panel = read(Path(path))
    if panel is None:
        return columns_meta.iloc[:0].copy()
    return conform(panel.to_frame(), columns_meta, Path(path).name)
