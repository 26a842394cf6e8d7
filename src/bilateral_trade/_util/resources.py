"""Access to data files shipped inside the package (private)."""

from __future__ import annotations

import csv
import io
from functools import cache
from importlib import resources


def read_text(name: str) -> str:
    """Return the text of ``bilateral_trade/datasets/data/<name>``."""
    return (resources.files("bilateral_trade.datasets") / "data" / name).read_text(encoding="utf-8")


@cache
def read_table(name: str) -> tuple[dict[str, str], ...]:
    """Rows of a shipped CSV file as dicts; lines starting with ``#`` are comments."""
    lines = [line for line in read_text(name).splitlines() if not line.startswith("#")]
    return tuple(csv.DictReader(io.StringIO("\n".join(lines))))
