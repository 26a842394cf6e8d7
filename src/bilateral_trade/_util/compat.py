"""Old names kept working: module paths from before the layers, renamed keywords (private).

Module paths from before the layers are declared once, in the package's ``__init__``:

- :func:`alias_modules`: ``bilateral_trade.breaks`` *is* :mod:`bilateral_trade.stats.breaks`
  (and ``bilateral_trade.breaks.chow`` its submodule);
- :func:`moved_names`: a name that left a module for a later layer (``attribute_breaks``
  left :mod:`bilateral_trade.stats.impact` for :mod:`bilateral_trade.workflow.attribution`)
  is still read from the old module, with a :class:`FutureWarning` naming the new one, and
  without the old module importing the later layer;
- :func:`old_paths`: an old path whose name the package now gives to a function
  (``bilateral_trade.gravity`` is ``bt.gravity``), or whose module loads an extra
  (``bilateral_trade.plot`` needs matplotlib), reads its names lazily from the new module
  (``from bilateral_trade.gravity import simulate_panel``), the former with a
  ``FutureWarning``.

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
import importlib
import os
import sys
import warnings
from collections.abc import Callable
from pathlib import Path
from types import ModuleType
from typing import Any, TypeVar, cast

from ..errors import DataValidationError

__all__ = [
    "alias_modules",
    "case_default",
    "moved_names",
    "old_paths",
    "renamed_keyword",
    "user_stacklevel",
]

F = TypeVar("F", bound=Callable[..., Any])
T = TypeVar("T")

# the package's directory, as the code objects of its modules name their files
_PACKAGE = os.path.join(str(Path(__file__).absolute().parents[1]), "")


def alias_modules(package: str, modules: dict[str, ModuleType]) -> None:
    """Make ``import package.old`` give the module that now lives elsewhere.

    Only names that are not attributes of the package with another meaning are aliased
    (``bilateral_trade.gravity`` is the function :func:`bilateral_trade.gravity`; its module
    is :mod:`bilateral_trade.stats.gravity`, whose names :func:`old_paths` keeps readable
    from the old path). The submodules of an aliased package that are loaded are aliased
    too (``bilateral_trade.breaks.chow``), so that no module is loaded a second time under
    its old name.
    """
    for old, module in modules.items():
        sys.modules.setdefault(f"{package}.{old}", module)
        if hasattr(module, "__path__"):  # a package: its submodules are aliased too
            prefix = f"{module.__name__}."
            for name, sub in list(sys.modules.items()):
                if name.startswith(prefix):
                    sys.modules.setdefault(f"{package}.{old}.{name[len(prefix) :]}", sub)


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


def moved_names(module: ModuleType, moved: dict[str, str]) -> None:
    """Keep ``module.name`` working for each name that moved to the module ``moved[name]``.

    Reading one of them (``from bilateral_trade.impact import attribute_breaks``) emits a
    :class:`FutureWarning` naming the new module, at the reader's line, and gives the object
    of the new module (imported then: ``module`` never imports a later layer). Other missing
    names raise :class:`AttributeError` as before.
    """
    own = module.__dict__.get("__getattr__")

    def __getattr__(name: str) -> Any:  # noqa: N807 (the module hook of PEP 562)
        if name not in moved:
            if own is not None:
                return own(name)
            raise AttributeError(f"module {module.__name__!r} has no attribute {name!r}")
        warnings.warn(
            f"{module.__name__}.{name} moved to {moved[name]}.{name}; import it from there "
            "(the old place will be removed)",
            FutureWarning,
            stacklevel=2,
        )
        return getattr(importlib.import_module(moved[name]), name)

    module.__getattr__ = __getattr__  # type: ignore[method-assign]


class _OldPath(ModuleType):
    """An old module path: every name read from the module that now holds it, on demand."""

    def __init__(self, name: str, target: str, warn: bool) -> None:
        super().__init__(name, f"Old path of {target} (its names, read from there).")
        self.__dict__["_target"] = target
        self.__dict__["_warn"] = warn

    def __getattr__(self, name: str) -> Any:
        if name.startswith("__") and name != "__all__":
            raise AttributeError(f"module {self.__name__!r} has no attribute {name!r}")
        target = self.__dict__["_target"]
        value = getattr(importlib.import_module(target), name)
        if self.__dict__["_warn"]:
            warnings.warn(
                f"{self.__name__}.{name}: {self.__name__} is now the function "
                f"bt.{self.__name__.rpartition('.')[2]}; import {name} from {target} (the old "
                "path will be removed)",
                FutureWarning,
                stacklevel=2,
            )
        return value

    def __dir__(self) -> list[str]:
        return dir(importlib.import_module(self.__dict__["_target"]))


def old_paths(package: str, paths: dict[str, str], *, functions: bool) -> None:
    """Make ``from package.old import name`` read ``name`` from the module ``paths[old]``.

    The new module is imported only when a name is read, so an old path of a module that
    needs an extra costs nothing until then. With ``functions``, the package's attribute
    ``old`` is now a function (``bilateral_trade.gravity`` is ``bt.gravity``): it is left
    alone, and reading a name of the old path emits a :class:`FutureWarning` at the
    importing line that names the module to import it from.
    """
    for old, target in paths.items():
        sys.modules.setdefault(f"{package}.{old}", _OldPath(f"{package}.{old}", target, functions))
