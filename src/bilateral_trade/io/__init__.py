"""Reading and writing trade data: CSV files (two-column and tidy long layouts)."""

from __future__ import annotations

from .csv import SeriesKey, read_csv

__all__ = ["SeriesKey", "read_csv"]
