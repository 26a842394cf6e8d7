"""Progress bars, one way for every long-running function (private).

Every public function that can show progress takes ``progress: bool`` (``True``: a tqdm bar
on stderr). A callable is the old form of the readers' ``progress=`` (told the bytes of each
batch); it still works, with a :class:`FutureWarning`.
"""

from __future__ import annotations

import sys
import warnings
from collections.abc import Callable, Iterable
from pathlib import Path
from types import TracebackType
from typing import Any

from .checks import check_bool
from .compat import user_stacklevel

__all__ = ["ProgressBar", "byte_progress"]


class ProgressBar:
    """A tqdm bar on stderr when ``on``, or nothing; call it with the amount done since.

    Parameters
    ----------
    on : bool
    total : int
        The amount of work (bytes, series).
    desc : str
        What is being done (``"reading"``, ``"screening"``).
    unit : str, default "B"
        The unit of ``total`` (bytes are shown with SI prefixes).
    """

    def __init__(self, on: bool, total: int, desc: str, unit: str = "B") -> None:
        self._bar: Any = None
        if on:
            from tqdm import tqdm

            self._bar = tqdm(
                total=total,
                desc=desc,
                unit=unit,
                unit_scale=unit == "B",
                file=sys.stderr,
                leave=False,
            )

    def __call__(self, n: int) -> None:
        """Advance by ``n``."""
        if self._bar is not None:
            self._bar.update(n)

    update = __call__

    def close(self) -> None:
        """Remove the bar from the terminal."""
        if self._bar is not None:
            self._bar.close()
            self._bar = None

    def __enter__(self) -> ProgressBar:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        value: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()


def byte_progress(
    progress: Any, files: Iterable[Path], desc: str, func: str
) -> tuple[Callable[[int], None] | None, ProgressBar | None]:
    """The callback a reader tells the bytes it reads, and the bar to close at the end.

    ``progress`` is ``True``/``False`` (a bar over the files' sizes, or none), or a callable
    (the old form: used as the callback, with a :class:`FutureWarning`).
    """
    if callable(progress) and not isinstance(progress, bool):
        warnings.warn(
            f"{func}(): progress= takes True or False now (True shows a progress bar); a "
            "callable will not be accepted in a future release",
            FutureWarning,
            stacklevel=user_stacklevel(),
        )
        return progress, None
    if progress is None or not check_bool(progress, "progress"):
        return None, None
    bar = ProgressBar(True, sum(Path(f).stat().st_size for f in files), desc)
    return bar, bar
