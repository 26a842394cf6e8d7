"""Old names kept working: module paths from before the layers, renamed keywords (private).

A renamed keyword is declared once, on the function, with :func:`renamed_keyword`::

    @renamed_keyword("events", "catalog")
    def report(s, *, catalog=None, ...): ...

``report(s, events=c)`` then still works: it emits a :class:`FutureWarning` that names the
new keyword (``catalog=``) and calls ``report(s, catalog=c)``. Passing both is refused with
a :class:`~bilateral_trade.DataValidationError`. The function's signature, docstring and
type show only the new name, so the old one disappears from the documentation; say in the
docstring's Parameters (or Notes) which old name is still accepted, and add a CHANGELOG line.
"""

from __future__ import annotations

import functools
import os
import sys
import warnings
from collections.abc import Callable
from pathlib import Path
from types import ModuleType
from typing import Any, TypeVar, cast

from ..errors import DataValidationError

__all__ = ["alias_modules", "case_default", "renamed_keyword", "user_stacklevel"]

F = TypeVar("F", bound=Callable[..., Any])
T = TypeVar("T")

# the package's directory, as the code objects of its modules name their files
_PACKAGE = os.path.join(str(Path(__file__).absolute().parents[1]), "")


def alias_modules(package: str, modules: dict[str, ModuleType]) -> None:
    """Make ``import package.old`` give the module that now lives elsewhere.

    Only names that are not attributes of the package with another meaning are aliased
    (``bilateral_trade.gravity`` is the function :func:`bilateral_trade.gravity`; its module
    is :mod:`bilateral_trade.stats.gravity`).
    """
    for old, module in modules.items():
        sys.modules.setdefault(f"{package}.{old}", module)


def renamed_keyword(old: str, new: str) -> Callable[[F], F]:
    """Keep the keyword ``old`` of a function working after its rename to ``new``.

    Parameters
    ----------
    old : str
        The keyword's former name; a call that uses it emits a :class:`FutureWarning`
        naming ``new`` (at the caller's line) and passes the value as ``new``.
    new : str
        The keyword's name in the function's signature.

    Returns
    -------
    callable
        A decorator; the decorated function keeps its name, docstring and signature.

    Raises
    ------
    DataValidationError
        (from the decorated function) Both ``old`` and ``new`` given.
    """

    def decorate(fn: F) -> F:
        @functools.wraps(fn)
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            if old in kwargs:
                if new in kwargs:
                    raise DataValidationError(
                        f"{old}: {fn.__name__}() got both {old}= and {new}=; {old}= is the "
                        f"old name of {new}=, give only {new}=",
                        field=old,
                        value=old,
                    )
                warnings.warn(
                    f"{fn.__name__}(): the keyword {old}= is deprecated and will be removed; "
                    f"use {new}= (the same value)",
                    FutureWarning,
                    stacklevel=2,
                )
                kwargs[new] = kwargs.pop(old)
            return fn(*args, **kwargs)

        return cast(F, wrapper)

    return decorate


def user_stacklevel() -> int:
    """The ``stacklevel`` that makes a warning point at the first caller outside the package.

    Call it where the warning is emitted: ``warnings.warn(message, Category,
    stacklevel=user_stacklevel())``. It counts the frames of the package's own modules
    between the warning and the user's code (helpers, decorators such as
    :func:`renamed_keyword`), so the warning names the user's line however the function is
    split into steps.
    """
    frame = sys._getframe(1)
    level = 1
    while frame.f_back is not None and frame.f_code.co_filename.startswith(_PACKAGE):
        frame = frame.f_back
        level += 1
    return level


def case_default(value: T | None, name: str, old_default: T, func: str, why: str) -> T:
    """``value``, or the old default taken from one worked case, with a ``FutureWarning``.

    Defaults that belong to one case (the DPRK's 2019 baseline, its 2016 base year) are
    leaving the general functions: until they are required, a call without the argument
    still gets the old value, and is told to pass it.
    """
    if value is not None:
        return value
    warnings.warn(
        f"{func}(): give {name}= explicitly; the default {old_default!r} ({why}) will be "
        "removed in a future release",
        FutureWarning,
        stacklevel=user_stacklevel(),
    )
    return old_default
