"""Old module paths kept working after the package was split into layers (private)."""

from __future__ import annotations

import sys
from types import ModuleType

__all__ = ["alias_modules"]


def alias_modules(package: str, modules: dict[str, ModuleType]) -> None:
    """Make ``import package.old`` give the module that now lives elsewhere.

    Only names that are not attributes of the package with another meaning are aliased
    (``bilateral_trade.gravity`` is the function :func:`bilateral_trade.gravity`; its module
    is :mod:`bilateral_trade.stats.gravity`).
    """
    for old, module in modules.items():
        sys.modules.setdefault(f"{package}.{old}", module)
