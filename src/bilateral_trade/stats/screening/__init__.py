"""Screening: test many series at once for breaks, with false-discovery control.

``bt.screen(panel, tests=("chow", "sup_f"), at=2018)`` returns one row per series × test with
a fixed schema (:data:`SCHEMA`). Series of equal length and start are stacked into a matrix
and tested in one batched least-squares pass from cumulative cross-product sums — no
per-series pandas objects, no per-series regressions — and give the same statistics and
p-values as :func:`bilateral_trade.chow_test` and :func:`bilateral_trade.sup_f_test`. A
series that cannot be tested gets a row with its ``status`` and ``message``; the screen never
stops on one series. q-values control the false-discovery rate across all tested rows of a
test (Benjamini–Hochberg, or Benjamini–Yekutieli under dependence).
"""

from .api import screen
from .core import SCHEMA, adjust_pvalues, arrow_schema, bucket_of, describe_model

__all__ = ["SCHEMA", "adjust_pvalues", "arrow_schema", "bucket_of", "describe_model", "screen"]
