"""Reading the sanctions of a gravity model: an event catalog or a table of measures."""

from __future__ import annotations

import os
from pathlib import Path

import pandas as pd

from .._util.files import first_line, read_table
from ..data.events import EventCatalog
from ..errors import DataValidationError

__all__ = ["read_sanctions"]


def read_sanctions(
    path: str | os.PathLike[str], *, field: str = "sanctions"
) -> EventCatalog | pd.DataFrame:
    """Read the measures for :func:`bilateral_trade.gravity` from a file.

    A ``.json`` file is an event catalog (:meth:`EventCatalog.from_json`); a ``.csv`` file
    is a table of measures when its header has a ``sanctioning`` column (GSDB-like:
    ``sanctioning, target, start, end, kind``), else an event catalog
    (:meth:`EventCatalog.from_csv`).

    Parameters
    ----------
    path : path
    field : str, default "sanctions"
        The argument's name, for messages (the command line says ``--sanctions``).

    Returns
    -------
    EventCatalog or pandas.DataFrame

    Raises
    ------
    DataValidationError
        No such file, a suffix other than ``.json`` or ``.csv``, or the errors of the
        catalog and table readers (naming the file and line).
    """
    text = os.fspath(path)
    source = Path(text)
    if not source.is_file():
        raise DataValidationError(f"{field}: no such file: {text}", field=field, value=text)
    suffix = source.suffix.lower()
    if suffix == ".json":
        return EventCatalog.from_json(source)
    if suffix == ".csv":
        header = [c.strip().strip('"') for c in first_line(source).split(",")]
        return read_table(source) if "sanctioning" in header else EventCatalog.from_csv(source)
    raise DataValidationError(
        f"{field}: {text!r} has the suffix {source.suffix or '(none)'!r}; supported: .json or "
        ".csv (an event catalog) or .csv with columns sanctioning, target, start, end, kind "
        "(a table of measures)",
        field=field,
        value=text,
    )
