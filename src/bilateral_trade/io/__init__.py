"""Reading trade data: CSV files, UN Comtrade extracts and CEPII BACI files."""

from __future__ import annotations

from .baci import read_baci
from .comtrade import read_comtrade
from .csv import SeriesKey, read_csv

__all__ = ["SeriesKey", "read_baci", "read_comtrade", "read_csv"]
