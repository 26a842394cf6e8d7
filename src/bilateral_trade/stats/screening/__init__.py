"""Screening many series for structural breaks with false-discovery control: see :mod:`.core`."""

from .api import screen
from .core import SCHEMA, adjust_pvalues, arrow_schema, bucket_of, describe_model

__all__ = ["SCHEMA", "adjust_pvalues", "arrow_schema", "bucket_of", "describe_model", "screen"]
