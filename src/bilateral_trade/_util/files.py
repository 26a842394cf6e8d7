"""Reading delimited text files with typed errors and exact line numbers (private).

Every reader of the package goes through :func:`read_table`, so an empty file, bytes in
another encoding, ragged rows (more or fewer fields than the header), a bad separator or
encoding, and a header without data all raise the same typed errors, naming the file.
:func:`open_text` is the one place where the library opens a text file itself (the event
catalogs, the header and line scans): a UTF-8 byte order mark, as Excel writes it ("CSV
UTF-8"), is dropped there, as pandas drops it. :class:`LineMap` turns the position of a
data row into the line of the file (a quoted field may span lines, blank lines are
skipped), computed only when an error needs it.
"""

from __future__ import annotations

import codecs
import csv
import json
import re
import warnings
from collections.abc import Callable, Iterable, Mapping
from pathlib import Path
from typing import IO, Any

import numpy as np
import pandas as pd

from ..errors import DataValidationError, InsufficientDataError

__all__ = [
    "LineMap",
    "check_text_options",
    "doubled",
    "doubled_column_error",
    "first_line",
    "open_text",
    "parse_meta",
    "read_table",
    "without_bom",
]

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


def without_bom(encoding: str) -> str:
    """The codec that reads ``encoding`` text with or without a leading byte order mark.

    UTF-8 is read as ``"utf-8-sig"``, which drops a BOM at the start of the file and reads a
    file without one unchanged (other encodings are returned as given: UTF-16 decoding drops
    its BOM itself).
    """
    try:
        name = codecs.lookup(encoding).name
    except LookupError:
        return encoding
    return "utf-8-sig" if name == "utf-8" else encoding


def open_text(path: str | Path, encoding: str = "utf-8", errors: str = "strict") -> IO[str]:
    """Open a text file for reading (``newline=""``, for :mod:`csv`), dropping a UTF-8 BOM.

    Raises
    ------
    OSError
        A missing or unreadable file.
    """
    return Path(path).open(encoding=without_bom(encoding), errors=errors, newline="")


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


def doubled(names: Iterable[str]) -> str | None:
    """The first name that comes twice in ``names`` (a header's column names), or None."""
    seen: set[str] = set()
    for name in names:
        if name in seen:
            return name
        seen.add(name)
    return None


def doubled_column_error(name: str, column: str) -> DataValidationError:
    """The error for a header that names ``column`` twice (the last would silently win)."""
    return DataValidationError(
        f"columns: the header of {name} names the column {column!r} twice; keep one "
        "(which one is meant cannot be guessed)",
        field="columns",
        value=column,
    )


def _doubled_header(
    path: str | Path, columns: list[str], sep: str, encoding: str, skip: int
) -> str | None:
    """A column name the header holds twice (pandas renames the second 'x' to 'x.1')."""
    suspects = [c for c in columns if (m := re.match(r"^(.*)\.\d+$", str(c))) and m[1] in columns]
    if not suspects:
        return None
    with open_text(path, encoding, errors="replace") as fh:
        for _ in range(skip):
            fh.readline()
        for record in csv.reader(fh, delimiter=sep if len(sep) == 1 else ","):
            if record:
                return doubled(record)
    return None


def _arrow_width_ok(path: str | Path, sep: str, encoding: str, skip: int) -> bool | None:
    """Whether pyarrow's parser finds every row as wide as the header (None: it cannot tell).

    A fast screen (pyarrow parses in C++, batch by batch, converting one column): pandas
    fills the missing cells of a short row with empty text, so a short row cannot be seen in
    the frame it reads.
    """
    import pyarrow as pa
    import pyarrow.csv as pcsv

    ragged: list[int] = []

    def handler(row: Any) -> str:
        ragged.append(int(row.actual_columns))
        return "skip"

    try:
        reader = pcsv.open_csv(
            str(path),
            read_options=pcsv.ReadOptions(
                skip_rows=skip, autogenerate_column_names=True, encoding=encoding
            ),
            parse_options=pcsv.ParseOptions(
                delimiter=sep, newlines_in_values=True, invalid_row_handler=handler
            ),
            convert_options=pcsv.ConvertOptions(
                include_columns=["f0"], column_types={"f0": pa.string()}, check_utf8=False
            ),
        )
        for _ in reader:  # batch by batch: nothing is kept
            if ragged:
                break
    except (pa.ArrowException, ValueError, OSError, UnicodeError, LookupError):
        return None
    return not ragged


def _ragged_row(
    path: str | Path, sep: str, encoding: str, skip: int
) -> tuple[int, int, int] | None:
    """The first row whose number of fields differs from the header's: (line, fields, header).

    Read with :mod:`csv`, the reader :class:`LineMap` counts lines with (blank lines are
    skipped; a quoted field over two lines counts two; line 1 is the first line of the file).
    Only a one-character separator can be scanned (None otherwise).
    """
    if len(sep) != 1:
        return None
    try:
        with open_text(path, encoding, errors="replace") as fh:
            for _ in range(skip):
                fh.readline()
            reader = csv.reader(fh, delimiter=sep)
            width: int | None = None
            previous = 0
            for record in reader:
                start, previous = previous + 1, reader.line_num
                if not record:
                    continue
                if width is None:
                    width = len(record)
                elif len(record) != width:
                    return start + skip, len(record), width
    except (OSError, csv.Error):
        return None
    return None


def _multichar_short_row(
    path: str | Path, sep: str, encoding: str, skip: int
) -> tuple[int, int, int] | None:
    """The first short row of a file whose separator has several characters, or None.

    pandas' Python parser (the one such a separator needs) leaves the missing cells of a
    short row NaN, unlike the C parser. Returns (line, fields, header); the line counts the
    header as line 1 + ``skip`` and one line per row.
    """
    frame = pd.read_csv(
        path,
        sep=sep,
        encoding=encoding,
        dtype=str,
        keep_default_na=False,
        skiprows=skip,
        index_col=False,
        engine="python",
    )
    missing = frame.isna().to_numpy()
    if not missing.any():
        return None
    row = int(np.argmax(missing.any(axis=1)))
    return row + 2 + skip, int((~missing[row]).sum()), frame.shape[1]


def _short_row(path: str | Path, sep: str, encoding: str, skip: int) -> tuple[int, int, int] | None:
    """The first row with fewer fields than the header, or None: (line, fields, header)."""
    if len(sep) != 1:
        return _multichar_short_row(path, sep, encoding, skip)
    if _arrow_width_ok(path, sep, encoding, skip):
        return None
    found = _ragged_row(path, sep, encoding, skip)  # confirm, and find the line
    return found if found is not None and found[1] < found[2] else None


def _ragged_error(name: str, sep: str, found: tuple[int, int, int]) -> DataValidationError:
    line, fields, width = found
    fix = (
        "add the missing cells (leave a cell empty when it is unknown)"
        if fields < width
        else "quote the fields that hold the separator, or remove the extra ones"
    )
    return DataValidationError(
        f"file: {name} is not a well-formed CSV file (line {line} has "
        f"{'fewer' if fields < width else 'more'} fields than the header: {fields}, not "
        f"{width}); every row needs as many fields as the header, separated by {sep!r}: {fix}",
        field="file",
        value=name,
    )


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

    A UTF-8 byte order mark is dropped. A row with fewer fields than the header is refused
    like one with more (pandas would give its missing cells as empty text).

    Raises
    ------
    DataValidationError
        An empty file, bytes that are not ``encoding`` text, malformed or ragged rows
        (naming the first one's line), a header that names a column twice, a bad ``sep`` or
        ``encoding``; naming the file.
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
                # a separator of several characters is a pattern only the Python parser reads
                engine="c" if len(sep) == 1 else "python",
            )
    except pd.errors.EmptyDataError:
        raise DataValidationError(
            f"file: {name} is empty (no header line, no data)", field="file", value=name
        ) from None
    except UnicodeError as exc:
        raise _decode_error(name, exc, encoding, encoding_hint) from None
    except (pd.errors.ParserError, pd.errors.ParserWarning) as exc:
        found = _ragged_row(path, sep, encoding, skiprows)
        if found is not None:
            raise _ragged_error(name, sep, found) from None
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
    twice = _doubled_header(path, [str(c) for c in frame.columns], sep, encoding, skiprows)
    if twice is not None:
        raise doubled_column_error(name, twice)
    if len(frame) and (short := _short_row(path, sep, encoding, skiprows)) is not None:
        raise _ragged_error(name, sep, short)
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
        return raw.decode("utf-8-sig").rstrip("\r\n")  # without a byte order mark
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
            with open_text(self._path, self._encoding, errors="replace") as fh:
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
