"""Reading delimited text files with typed errors and exact line numbers (private).

Every reader of the package goes through :func:`read_table`, so an empty file, bytes in
another encoding, ragged rows, a bad separator or encoding, and a header without data all
raise the same typed errors, naming the file. :class:`LineMap` turns the position of a
data row into the line of the file (a quoted field may span lines, blank lines are
skipped), computed only when an error needs it.
"""

from __future__ import annotations

import codecs
import csv
import json
import re
import warnings
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from ..errors import DataValidationError, InsufficientDataError

__all__ = ["LineMap", "check_text_options", "first_line", "parse_meta", "read_table"]

_BOMS = {b"\xff\xfe": "utf-16", b"\xfe\xff": "utf-16"}


def check_text_options(sep: object, encoding: object) -> None:
    """Refuse a separator or encoding the CSV parser cannot use, before reading.

    Raises
    ------
    DataValidationError
        An empty or non-text ``sep``, an unknown ``encoding``.
    """
    if not isinstance(sep, str) or sep == "":
        raise DataValidationError(
            f"sep: {sep!r} is not a field separator; give one character such as ',' or ';' "
            "(or '\\t')",
            field="sep",
            value=sep,
        )
    if not isinstance(encoding, str):
        raise DataValidationError(
            f"encoding: {encoding!r} is not the name of a text encoding",
            field="encoding",
            value=encoding,
        )
    try:
        codecs.lookup(encoding)
    except LookupError:
        raise DataValidationError(
            f"encoding: {encoding!r} is not a known text encoding; use e.g. 'utf-8', "
            "'utf-8-sig', 'latin-1' or 'utf-16'",
            field="encoding",
            value=encoding,
        ) from None


def _decode_error(name: str, exc: UnicodeError, encoding: str, hint: str) -> DataValidationError:
    where = ""
    if isinstance(exc, UnicodeDecodeError):
        bad = exc.object[exc.start : exc.start + 1]
        where = f": byte {bad.hex()} at position {exc.start} is not {encoding}"
        if exc.object[:2] in _BOMS and exc.start < 2:
            where += " (the file starts like UTF-16 text)"
    return DataValidationError(
        f"file: {name} cannot be read as {encoding} text{where}; {hint}",
        field="file",
        value=name,
    )


def _doubled_header(
    path: str | Path, columns: list[str], sep: str, encoding: str, skip: int
) -> str | None:
    """A column name the header holds twice (pandas renames the second 'x' to 'x.1')."""
    suspects = [c for c in columns if (m := re.match(r"^(.*)\.\d+$", str(c))) and m[1] in columns]
    if not suspects:
        return None
    with Path(path).open(encoding=encoding, errors="replace", newline="") as fh:
        for _ in range(skip):
            fh.readline()
        for record in csv.reader(fh, delimiter=sep if len(sep) == 1 else ","):
            if record:
                seen: set[str] = set()
                for name in record:
                    if name in seen:
                        return name
                    seen.add(name)
                return None
    return None


def read_table(
    path: str | Path,
    *,
    sep: str = ",",
    encoding: str = "utf-8",
    skiprows: int = 0,
    dtype: Any = str,
    na_values: Mapping[str, list[str]] | None = None,
    encoding_hint: str = "save it as UTF-8",
) -> pd.DataFrame:
    """Read a CSV file into text columns (no value is guessed to be missing).

    Raises
    ------
    DataValidationError
        An empty file, bytes that are not ``encoding`` text, malformed or ragged rows, a
        header that names a column twice, a bad ``sep`` or ``encoding``; naming the file.
    InsufficientDataError
        A header without data rows.
    """
    check_text_options(sep, encoding)
    name = Path(path).name
    Path(path).open("rb").close()  # a missing file is a FileNotFoundError, as usual
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", pd.errors.ParserWarning)
            frame = pd.read_csv(
                path,
                sep=sep,
                encoding=encoding,
                dtype=dtype,
                keep_default_na=False,
                na_values=na_values,
                skiprows=skiprows,
                index_col=False,
            )
    except pd.errors.EmptyDataError:
        raise DataValidationError(
            f"file: {name} is empty (no header line, no data)", field="file", value=name
        ) from None
    except UnicodeError as exc:
        raise _decode_error(name, exc, encoding, encoding_hint) from None
    except (pd.errors.ParserError, pd.errors.ParserWarning) as exc:
        detail = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        if isinstance(exc, pd.errors.ParserWarning):
            detail = "some rows have more fields than the header"
        raise DataValidationError(
            f"file: {name} is not a well-formed CSV file ({detail}); every row needs as many "
            f"fields as the header, separated by {sep!r}",
            field="file",
            value=name,
        ) from None
    except (ValueError, csv.Error, OverflowError) as exc:
        raise DataValidationError(
            f"file: {name} cannot be read as CSV ({exc})", field="file", value=name
        ) from None
    doubled = _doubled_header(path, [str(c) for c in frame.columns], sep, encoding, skiprows)
    if doubled is not None:
        raise DataValidationError(
            f"columns: the header of {name} names the column {doubled!r} twice; keep one "
            "(which one is meant cannot be guessed)",
            field="columns",
            value=doubled,
        )
    if len(frame) == 0:
        raise InsufficientDataError(
            f"file: {name} has a header ({', '.join(map(str, frame.columns))}) but no data rows"
        )
    return frame


def first_line(path: str | Path, limit: int = 1 << 20) -> str:
    """The first line of a UTF-8 file, without its line break.

    Raises
    ------
    DataValidationError
        If the line is not UTF-8 text.
    """
    with Path(path).open("rb") as fh:
        raw = fh.readline(limit)
    try:
        return raw.decode("utf-8").rstrip("\r\n")
    except UnicodeDecodeError as exc:
        raise _decode_error(Path(path).name, exc, "utf-8", "save it as UTF-8") from None


def parse_meta(raw: str | bytes, name: str, what: str) -> dict[str, Any]:
    """The JSON object of a file's metadata (a CSV comment line, Parquet key-value metadata).

    Raises
    ------
    DataValidationError
        If it is not a JSON object.
    """
    try:
        meta = json.loads(raw)
    except (ValueError, RecursionError) as exc:
        raise DataValidationError(
            f"file: the {what} of {name} is not valid JSON ({exc}); it is written by "
            "TradePanel, fix or remove it",
            field="file",
            value=name,
        ) from None
    if not isinstance(meta, dict):
        raise DataValidationError(
            f"file: the {what} of {name} is {type(meta).__name__} JSON, not an object with "
            "unit, source and published",
            field="file",
            value=name,
        )
    return meta


class LineMap:
    """The line of a file where each data row starts (row 0 is the first row after the header).

    Lines are found by reading the file again with the :mod:`csv` module, once, the first
    time one is asked for, so that reading stays fast when nothing is wrong.

    Parameters
    ----------
    path : path
    sep, encoding : str
        As given to the reader.
    skip : int
        Lines before the header (a comment line).
    """

    def __init__(
        self, path: str | Path, *, sep: str = ",", encoding: str = "utf-8", skip: int = 0
    ) -> None:
        self._path = Path(path)
        self._sep = sep
        self._encoding = encoding
        self._skip = skip
        self._lines: list[int] | None = None

    def _scan(self) -> list[int]:
        lines: list[int] = []
        if len(self._sep) != 1:
            return lines
        try:
            with self._path.open(encoding=self._encoding, errors="replace", newline="") as fh:
                for _ in range(self._skip):
                    fh.readline()
                reader = csv.reader(fh, delimiter=self._sep)
                header = False
                previous = 0
                for record in reader:
                    start, previous = previous + 1, reader.line_num
                    if not record:
                        continue  # a blank line, skipped by the parser
                    if header:
                        lines.append(start + self._skip)
                    header = True
        except (OSError, csv.Error):
            pass
        return lines

    def line(self, pos: int) -> int:
        """The 1-based line where the data row at 0-based position ``pos`` starts."""
        if self._lines is None:
            self._lines = self._scan()
        if 0 <= pos < len(self._lines):
            return self._lines[pos]
        return pos + 2 + self._skip

    def __call__(self, pos: int) -> str:
        return f"line {self.line(pos)}"

    def subset(self, positions: np.ndarray) -> Callable[[int], str]:
        """Locate rows of a selection: row ``pos`` of it is data row ``positions[pos]``."""
        return lambda pos: self(int(positions[pos]))
