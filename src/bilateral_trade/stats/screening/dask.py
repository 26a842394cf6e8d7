"""Screening on Dask (the ``dask`` extra; private).

Series are assigned to buckets by a stable hash of their keys (:func:`.core.bucket_of`, the
same on every machine), each bucket is screened by the same kernel in one partition, and the
false-discovery adjustment is done once on the collected result.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, Literal

import numpy as np
import pandas as pd

from ...data.panel import KEYS, TradePanel
from ...errors import DataValidationError
from .core import SCHEMA, _screen_frame, bucket_of, finalize

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
    trim: float | int | Literal["auto"],
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
