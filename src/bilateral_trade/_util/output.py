"""Where results are written: one rule for every file the library and the CLI write (private).

An output is a new path or an existing regular file, with a suffix the writer supports
(case-insensitive). Missing parent directories are created; a parent that exists and is not
a directory is refused. Files are written to a temporary file beside the target and moved
into place, so a failure never leaves a partial file, and a device, FIFO or directory is
never replaced.
"""

from __future__ import annotations

import os
import stat
import tempfile
from collections.abc import Callable, Mapping
from pathlib import Path

from ..errors import DataValidationError

__all__ = ["check_output", "check_output_directory", "write_atomic"]


def check_output(
    path: str | Path,
    suffixes: Mapping[str, str],
    *,
    field: str = "out",
    inputs: Mapping[str, str | Path | None] | None = None,
) -> tuple[Path, str]:
    """Validate an output path; return the real path to write and the format of its suffix.

    Parameters
    ----------
    path : str or Path
    suffixes : mapping
        Supported suffixes (lower case, with the dot) and the format each one means.
    field : str
        The argument's name, for messages.
    inputs : mapping, optional
        The inputs of the same command by argument name (paths; None or a name that is not
        an existing path is skipped): the output may be none of them, by any name or link,
        nor lie inside an input directory.

    Raises
    ------
    DataValidationError
        An empty path, an unsupported suffix (naming the supported ones), an existing path
        that is not a regular file, a parent that is not a directory, or an output that is
        one of the inputs.
    """
    text = _path_text(path, field, "a file name")
    target = Path(text)
    suffix = target.suffix.lower()
    if suffix not in suffixes:
        raise DataValidationError(
            f"{field}: {text!r} has the suffix {target.suffix or '(none)'!r}; supported: "
            f"{', '.join(suffixes)}",
            field=field,
            value=text,
        )
    real = target.resolve() if target.is_symlink() else target
    if real.exists() or real.is_symlink():
        mode = real.stat().st_mode if real.exists() else 0
        if not stat.S_ISREG(mode):
            kind = "a directory" if stat.S_ISDIR(mode) else "not a regular file"
            raise DataValidationError(
                f"{field}: {text} exists and is {kind} (a device, pipe or directory is never "
                "replaced); give a new path or a regular file",
                field=field,
                value=text,
            )
    _check_parents(real, text, field)
    _check_not_an_input(real, text, field, inputs or {})
    return real, suffixes[suffix]


def check_output_directory(path: str | os.PathLike[str], *, field: str = "out") -> Path:
    """Validate a directory a dataset is written to: a new one, or an existing empty one.

    A dataset is never merged into another directory nor written over one, so an input
    (which holds files) can never be the output.

    Raises
    ------
    DataValidationError
        An empty name, an existing path that is not a directory, a directory that is not
        empty, or a parent that is not a directory.
    """
    text = _path_text(path, field, "a directory name")
    target = Path(text)
    if target.exists() and not target.is_dir():
        raise DataValidationError(
            f"{field}: {text} exists and is not a directory; give a new directory",
            field=field,
            value=text,
        )
    if target.is_dir() and any(target.iterdir()):
        raise DataValidationError(
            f"{field}: {text} exists and is not empty; give a new directory (a dataset is "
            "never merged into another, nor overwritten)",
            field=field,
            value=text,
        )
    _check_parents(target.absolute(), text, field)
    return target


def _path_text(path: object, field: str, what: str) -> str:
    """The path as text; an empty or blank name (or not a path at all) is refused."""
    text = os.fspath(path) if isinstance(path, str | os.PathLike) else None
    if not text or not text.strip():
        raise DataValidationError(f"{field}: {path!r} is not {what}", field=field, value=repr(path))
    return text


def _check_parents(real: Path, text: str, field: str) -> None:
    """The nearest existing parent of ``real`` must be a directory."""
    for parent in real.parents:
        if parent.exists():
            if not parent.is_dir():
                raise DataValidationError(
                    f"{field}: {parent} is not a directory, so {text} cannot be written",
                    field=field,
                    value=text,
                )
            break


def _check_not_an_input(
    real: Path, text: str, field: str, inputs: Mapping[str, str | Path | None]
) -> None:
    """Refuse an output that resolves to an input, or lies inside an input directory."""
    target = real.resolve()
    for name, given in inputs.items():
        if given is None or not os.fspath(given).strip():
            continue
        source = Path(given)
        if not source.exists():
            continue  # a catalog name, a glob: not a path that could be overwritten
        same = real.exists() and os.path.samefile(real, source)
        inside = source.is_dir() and source.resolve() in target.parents
        if same or target == source.resolve() or inside:
            where = "inside the input" if inside else "the input"
            raise DataValidationError(
                f"{field}: {text} is {where} {name} ({given}); an output never replaces an "
                "input: give another path",
                field=field,
                value=text,
            )


def write_atomic(path: Path, write: Callable[[Path], object]) -> Path:
    """Write through ``write(tmp)`` to a temporary file beside ``path``, then move it in place.

    The parent directories are created when missing; the file gets the usual permissions
    (``0666`` less the umask). ``path`` should come from :func:`check_output`.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    os.close(fd)
    try:
        write(Path(tmp))
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(tmp, 0o666 & ~umask)  # mkstemp makes 0600; give the usual permissions
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return path
