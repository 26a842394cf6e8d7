"""Reading trade data: CSV files, UN Comtrade extracts, CEPII BACI files, Parquet panels."""

from __future__ import annotations

from .baci import read_baci
from .comtrade import read_comtrade
from .csv import SeriesKey, read_csv
from .parquet import convert_baci, read_parquet

__all__ = ["SeriesKey", "convert_baci", "read_baci", "read_comtrade", "read_csv", "read_parquet"]
