"""Old spellings kept working: module paths before the layers, renamed keywords (private)."""

from __future__ import annotations

import functools
import sys
import warnings
from collections.abc import Callable
from types import ModuleType
from typing import ParamSpec, TypeVar

from ..errors import DataValidationError

__all__ = ["alias_modules", "case_default", "renamed_keywords"]


def alias_modules(package: str, modules: dict[str, ModuleType]) -> None:
    """Make ``import package.old`` give the module that now lives elsewhere.

    Only names that are not attributes of the package with another meaning are aliased
    (``bilateral_trade.gravity`` is the function :func:`bilateral_trade.gravity`; its module
    is :mod:`bilateral_trade.stats.gravity`).
    """
    for old, module in modules.items():
        sys.modules.setdefault(f"{package}.{old}", module)


P = ParamSpec("P")
R = TypeVar("R")
T = TypeVar("T")


def renamed_keywords(**renames: str) -> Callable[[Callable[P, R]], Callable[P, R]]:
    """Accept old keyword names of a function, with a :class:`FutureWarning` naming the new one.

    ``@renamed_keywords(alpha="significance")`` lets callers keep writing ``alpha=0.05``:
    the value is passed as ``significance=0.05`` and a ``FutureWarning`` says so, once per
    call. Giving both spellings is a :class:`~bilateral_trade.DataValidationError`. The
    decorated function keeps its signature and docstring (only the new names are documented).
    """

    def decorate(func: Callable[P, R]) -> Callable[P, R]:
        @functools.wraps(func)
        def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
            for old, new in renames.items():
                if old not in kwargs:
                    continue
                if new in kwargs:
                    raise DataValidationError(
                        f"{old}: {func.__name__}() got both {old}= and {new}=; {old}= is the old "
                        f"name of {new}=, give only {new}=",
                        field=old,
                        value=kwargs[old],
                    )
                warnings.warn(
                    f"{func.__name__}(): the keyword {old}= is now {new}=; {old}= will be "
                    "removed in a future release",
                    FutureWarning,
                    stacklevel=2,
                )
                kwargs[new] = kwargs.pop(old)
            return func(*args, **kwargs)

        return wrapper

    return decorate


def case_default(value: T, name: str, old_default: T, func: str, why: str) -> T:
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
        stacklevel=3,
    )
    return old_default
