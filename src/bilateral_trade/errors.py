"""Exception and warning hierarchy of :mod:`bilateral_trade`.

Every error the library raises on purpose is a :class:`BilateralTradeError`.
Bad input is a :class:`DataValidationError` (also a :class:`ValueError`); data
that are valid but too short or degenerate for a method raise
:class:`InsufficientDataError`. Warnings are named classes under
:class:`BilateralTradeWarning`, so they can be filtered or turned into errors.
"""

from __future__ import annotations

__all__ = [
    "BilateralTradeError",
    "BilateralTradeWarning",
    "DataQualityWarning",
    "DataValidationError",
    "InsufficientDataError",
    "MissingDependencyError",
    "UnknownCodeError",
    "UnknownEventError",
]


class BilateralTradeError(Exception):
    """Base class of every error raised by :mod:`bilateral_trade`."""


class DataValidationError(BilateralTradeError, ValueError):
    """Input data or arguments are invalid.

    The message names the field, the offending value and how to fix it.
    ``field`` and ``value`` are also kept as attributes for programs.
    """

    def __init__(self, message: str, *, field: str | None = None, value: object = None) -> None:
        super().__init__(message)
        self.field = field
        self.value = value


class InsufficientDataError(BilateralTradeError, ValueError):
    """Data are valid but too short or degenerate for the requested method."""


class UnknownEventError(BilateralTradeError, KeyError):
    """No event in a catalog has the requested reference.

    A :class:`KeyError`, so ``catalog.get(ref)`` behaves like a mapping lookup,
    but its message is printed as text (with close matches), not as a repr.
    """

    def __str__(self) -> str:
        return str(self.args[0]) if self.args else ""


class UnknownCodeError(DataValidationError):
    """A product code does not exist in the HS revision it is said to be written in.

    The message names the code, the revision and the nearest fix (the revision it does
    exist in, when there is one).
    """


class MissingDependencyError(BilateralTradeError, ImportError):
    """An optional dependency needed by a function is not installed.

    The message names the extra to install, e.g. ``pip install 'bilateral-trade[gravity]'``.
    """


class BilateralTradeWarning(UserWarning):
    """Base class of every warning issued by :mod:`bilateral_trade`."""


class DataQualityWarning(BilateralTradeWarning):
    """A result depends on data of doubtful quality (a zero base, a flagged value).

    ``kind`` says what the warning is about, as the ``kind`` of the
    :class:`~bilateral_trade.models.results.Caveat` a result keeps of it: ``"confounder"``,
    ``"measurement"``, ``"extrapolation"``, ``"fit"``, ``"inference"`` or
    ``"data_quality"`` (the default).
    """

    def __init__(self, message: object = "", kind: str = "data_quality") -> None:
        super().__init__(message)
        self.kind = kind

    def __reduce__(self) -> tuple[type[DataQualityWarning], tuple[str, str]]:
        return type(self), (str(self), self.kind)
