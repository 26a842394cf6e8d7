"""Dask readers (the ``dask`` extra; private).

BACI files and Parquet panel datasets become lazy Dask DataFrames with the
panel's columns and dtypes, one partition per file, each read and validated as a panel when
it is computed.
"""

from __future__ import annotations

import csv
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from ..data.panel import KEYS, TradePanel
from ..data.periods import Frequency, parse_period
from ..errors import DataValidationError


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


def read_baci_dask(files: list[Path], *, read: Callable[[list[Path]], TradePanel | None]) -> Any:
    """BACI files as a lazy Dask DataFrame: one partition per file, each parsed by ``read``.

    ``read`` is the BACI reader of :mod:`.baci` with its options bound (a picklable partial):
    it turns a list of one file into a panel, or None when the filters leave no row.
    """
    import dask.dataframe as dd

    from ._stream import header_of

    quantity = any("q" in (header_of(f) or []) for f in files)
    meta = panel_meta(_first_period(files[0], "t"), quantity)
    return dd.from_map(  # type: ignore[no-untyped-call]
        _baci_part,
        [str(f) for f in files],
        meta=meta,
        label="read-baci",
        enforce_metadata=False,
        read=read,
        columns_meta=meta,
    )


def _baci_part(
    path: str,
    *,
    read: Callable[[list[Path]], TradePanel | None],
    columns_meta: pd.DataFrame,
) -> pd.DataFrame:
    panel = read([Path(path)])
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
