"""Reading large CSV files batch by batch with pyarrow (private).

:func:`csv_batches` streams a file through pyarrow's CSV reader: key columns arrive
dictionary-encoded (a few thousand distinct codes for millions of rows), numbers as
float64. :class:`Codes` turns the dictionary of each batch into codes of one table for the
whole read, applying a Python function once per distinct value, never once per row.
:func:`expand_paths` turns a path, a glob pattern or a list of paths into files.

pyarrow is strict: a file it cannot parse (ragged rows, bytes that are not UTF-8, an
empty file) raises :class:`UnparsedError`, and the caller reads it with the reference reader of
:mod:`._files`, which raises the library's typed errors naming the file and line.
"""

from __future__ import annotations

import csv
import errno
import glob
import os
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any, Generic, TypeVar

import numpy as np

from ..data.periods import plain
from ..errors import DataValidationError

__all__ = [
    "BLOCK_SIZE",
    "Codes",
    "Located",
    "UnparsedError",
    "csv_batches",
    "expand_paths",
    "header_of",
    "text_filter",
]

#: Bytes of CSV text per batch: large enough that the per-batch Python work (a few thousand
#: distinct codes) is negligible, small enough that a filtered read holds little at once
#: (pyarrow reads a few dozen blocks ahead: about 40 MiB in flight at 1 MiB, whatever the
#: size of the file).
BLOCK_SIZE = 1 << 20

#: Bytes per block when a whole file is parsed at once (every row is kept).
WHOLE_BLOCK_SIZE = 8 << 20

T = TypeVar("T")


class UnparsedError(Exception):
    """pyarrow cannot parse the file (or a value in a typed column): read it another way."""


def expand_paths(paths: str | os.PathLike[str] | Iterable[str | os.PathLike[str]]) -> list[Path]:
    """Files from a path, a glob pattern (``"BACI_HS17_Y*.csv"``) or an iterable of paths.

    A pattern's matches are sorted by name. A path that exists is never read as a pattern.

    Raises
    ------
    FileNotFoundError
        A pattern that matches nothing, or a missing file.
    DataValidationError
        An empty list, or an item that is not a path.
    """
    if isinstance(paths, str | os.PathLike):
        items: list[Any] = [paths]
    elif isinstance(paths, Iterable) and not isinstance(paths, bytes | Mapping):
        items = list(paths)
    else:
        raise DataValidationError(
            f"path: expected a path, a glob pattern or a list of paths, got {type(paths).__name__}",
            field="path",
            value=type(paths).__name__,
        )
    if not items:
        raise DataValidationError("path: the list of files is empty", field="path", value=[])
    out: list[Path] = []
    for item in items:
        if not isinstance(item, str | os.PathLike):
            raise DataValidationError(
                f"path: {plain(item)!r} is not a path", field="path", value=plain(item)
            )
        text = os.fspath(item)
        if not Path(text).exists() and glob.has_magic(text):
            found = sorted(glob.glob(text))
            if not found:
                raise FileNotFoundError(errno.ENOENT, "no file matches the pattern", text)
            out.extend(Path(f) for f in found)
        else:
            Path(text).open("rb").close()  # a missing file is a FileNotFoundError, as usual
            out.append(Path(text))
    return out


def header_of(path: Path) -> list[str] | None:
    """The column names of a CSV file's first line, or None when it cannot be decoded."""
    try:
        with path.open(encoding="utf-8", newline="") as fh:
            line = fh.readline(1 << 20)
    except (OSError, UnicodeError):
        return None
    if line.startswith("\ufeff"):
        line = line[1:]
    rows = list(csv.reader([line]))
    return rows[0] if rows else None


def csv_batches(
    path: Path,
    types: Mapping[str, Any],
    *,
    block_size: int | None = None,
    null_values: Sequence[str] = ("",),
    progress: Callable[[int], None] | None = None,
    newlines: bool = True,
    whole: bool = False,
) -> Iterator[Any]:
    """Record batches of the columns in ``types`` (names → pyarrow types), in file order.

    ``progress(n)`` is told the bytes of each batch (about ``block_size``, by default
    :data:`BLOCK_SIZE`). ``newlines=False`` lets pyarrow split the file at any line break
    and parse the blocks in parallel; a quoted value with a line break then fails to parse
    (an unterminated quote), never silently, and the caller reads again with ``newlines``.
    ``whole=True`` parses the whole file at once (pyarrow converts blocks in parallel only
    then: about 1.5 times as fast on two cores) and yields its batches: for a read that
    keeps every row anyway; ``progress`` then hears of the whole file at the end.

    Raises
    ------
    UnparsedError
        Anything pyarrow cannot parse or convert.
    """
    import pyarrow as pa
    import pyarrow.csv as pcsv

    size = path.stat().st_size
    block_size = block_size or BLOCK_SIZE
    if whole:  # fewer, larger batches: less Python per row; the whole table is kept anyway
        block_size = max(block_size, WHOLE_BLOCK_SIZE)
    options: dict[str, Any] = {
        "read_options": pcsv.ReadOptions(block_size=block_size, use_threads=True),
        "parse_options": pcsv.ParseOptions(newlines_in_values=newlines),
        "convert_options": pcsv.ConvertOptions(
            column_types=dict(types),
            include_columns=list(types),
            null_values=list(null_values),
            strings_can_be_null=False,
            quoted_strings_can_be_null=False,
            check_utf8=True,
        ),
    }
    try:
        if whole:
            # one dictionary for every batch: its codes are looked up once
            table = pcsv.read_csv(str(path), **options).unify_dictionaries()
            if progress is not None:
                progress(size)
            yield from table.to_batches()
            return
        reader = pcsv.open_csv(str(path), **options)
        done = 0
        for batch in reader:
            if progress is not None:
                step = min(block_size, size - done)
                done += step
                progress(step)
            yield batch
        if progress is not None and size > done:
            progress(size - done)
    except (pa.ArrowException, ValueError, OverflowError) as exc:
        raise UnparsedError(str(exc)) from None


def dictionary(column: Any) -> tuple[np.ndarray, Any]:
    """The indices (intp) and the dictionary (a pyarrow array) of a dictionary-encoded column."""
    indices = np.asarray(column.indices.to_numpy(zero_copy_only=False), dtype=np.intp)
    return indices, column.dictionary


class Codes(Generic[T]):
    """One code table for a column read in batches: raw text → code → value.

    ``normalise(raw)`` gives the value of a raw cell (or raises); equal values share a code.
    The values are kept in order of first appearance. A batch's dictionary is matched
    against the raw texts seen so far in pyarrow (hashed in C++); only texts never seen
    before reach Python, and a dictionary equal to the previous batch's is not matched
    again.
    """

    def __init__(self, normalise: Callable[[str], T]) -> None:
        import pyarrow as pa

        self._normalise = normalise
        self._known: Any = pa.array([], type=pa.string())  # raw texts seen
        self._known_codes = np.empty(0, dtype=np.intp)
        self._index: dict[Any, int] = {}
        self._last: tuple[Any, np.ndarray] | None = None
        self.values: list[T] = []

    def lookup(self, raws: Any) -> np.ndarray:
        """The codes of a batch's dictionary values (a lookup table for its indices).

        ``raws``: a pyarrow string array (a batch's dictionary) or a list of texts.
        """
        import pyarrow as pa
        import pyarrow.compute as pc

        values = raws if isinstance(raws, pa.Array) else pa.array(list(raws), type=pa.string())
        last = self._last
        if last is not None and (last[0] is values or last[0].equals(values)):
            return last[1]
        found = np.asarray(
            pc.fill_null(pc.index_in(values, value_set=self._known), -1).to_numpy(),
            dtype=np.intp,
        )
        table = np.append(self._known_codes, -1)  # position -1: not seen yet
        out = table[found]
        new = np.flatnonzero(found < 0)
        if len(new):
            fresh: dict[str, int] = {}
            for pos, raw in zip(new.tolist(), values.take(pa.array(new)).to_pylist(), strict=True):
                code = fresh.get(raw)
                if code is None:
                    value = self._normalise(raw)
                    code = self._index.get(value)
                    if code is None:
                        code = len(self.values)
                        self._index[value] = code
                        self.values.append(value)
                    fresh[raw] = code
                out[pos] = code
            self._known = pa.concat_arrays([self._known, pa.array(list(fresh), pa.string())])
            self._known_codes = np.concatenate(
                [self._known_codes, np.asarray(list(fresh.values()), dtype=np.intp)]
            )
        self._last = (values, out)
        return out

    def table(self, fn: Callable[[T], Any], dtype: Any) -> np.ndarray:
        """``fn`` of every value, as an array indexed by code."""
        return np.asarray([fn(v) for v in self.values], dtype=dtype)


class Located:
    """Where a row of a multi-file read is: ``"line 7"`` or ``"line 7 of BACI_2019.csv"``.

    Each file contributes the data rows it kept (None: all of them, in order); the line of
    a data row is found by :class:`._files.LineMap` only when an error needs it.
    """

    def __init__(self, many: bool) -> None:
        self._many = many
        self._files: list[tuple[Path, np.ndarray | None, int]] = []
        self._ends: list[int] = []
        self._maps: dict[int, Any] = {}

    def add(self, path: Path, rows: np.ndarray | None, count: int) -> None:
        """Record the rows a file contributed (``rows`` None: data rows 0 … count-1)."""
        self._files.append((path, rows, count))
        self._ends.append((self._ends[-1] if self._ends else 0) + count)

    def row(self, pos: int) -> tuple[Path, int]:
        """The file and data row (0 = first after the header) of output row ``pos``."""
        k = int(np.searchsorted(np.asarray(self._ends), pos, side="right"))
        k = min(k, len(self._files) - 1)
        path, rows, _ = self._files[k]
        start = self._ends[k - 1] if k else 0
        local = pos - start
        return path, int(rows[local]) if rows is not None else local

    def line(self, path: Path, data_row: int) -> str:
        """The words for a data row of a file."""
        from .._util.files import LineMap

        key = id(path)
        if key not in self._maps:
            self._maps[key] = LineMap(path)
        where = f"line {self._maps[key].line(data_row)}"
        return f"{where} of {path.name}" if self._many else where

    def __call__(self, pos: int) -> str:
        path, data_row = self.row(pos)
        return self.line(path, data_row)


def text_filter(value: object, field: str) -> list[str]:
    """A filter as a list of text codes: one string is one code (never its characters)."""
    items = [value] if isinstance(value, str) else value
    if not isinstance(items, Iterable) or isinstance(items, bytes | Mapping):
        raise DataValidationError(
            f"{field}: expected a code or a list of codes, got {type(value).__name__}",
            field=field,
            value=type(value).__name__,
        )
    out = []
    for item in items:
        if not isinstance(item, str):
            hint = " (give HS codes as strings: '0301', not 301)" if field == "products" else ""
            raise DataValidationError(
                f"{field}: {plain(item)!r} is not a text code{hint}",
                field=field,
                value=plain(item),
            )
        out.append(item)
    return out
