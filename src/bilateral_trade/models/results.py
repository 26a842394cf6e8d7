"""One protocol for every result, and the value types results share.

Every result of the library (a break test, an impact estimate, a synthetic control, a
gravity fit, an event analysis, a report…) derives from :class:`Result`:

- ``summary()`` is the readable text; it is also ``str(result)`` and the notebook display
  (``_repr_html_``); ``repr(result)`` is short (at most :data:`MAX_REPR` characters): the
  class name and the result's :meth:`~Result.headline`.
- ``to_dict()`` is strict JSON: ``json.dumps(result.to_dict(), allow_nan=False)`` works, with
  NaN, infinities and ``NaT`` as ``null``.
- ``to_frame()`` gives the main table of a tabular result (a copy).
- A result cannot be changed after it is made: its fields cannot be reassigned, and every
  table, array, dict or list it holds is handed out as a copy (:func:`handout`); ``options``
  is a read-only mapping.

The same concept has the same name and type in every result: an effect with its interval is
an :class:`Effect`, the trade lost against a counterfactual a :class:`LostTrade`, a test
statistic with its p-value a :class:`TestStatistic`, a component that could not be computed a
:class:`NotComputed` (with the reason), a caveat about the data or the design a
:class:`Caveat`; a result with a counterfactual follows :class:`CounterfactualResult`.
"""

from __future__ import annotations

import copy
import dataclasses
import warnings
from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType
from typing import TYPE_CHECKING, Any, Final, Literal, Protocol, cast, get_args

import numpy as np
import pandas as pd

from .._util.aliases import JSONDict
from .._util.format import Summary, json_number
from ..errors import DataValidationError

__all__ = [
    "CAVEAT_KINDS",
    "MAX_REPR",
    "Caveat",
    "CaveatKind",
    "CounterfactualResult",
    "Effect",
    "Frozen",
    "LostTrade",
    "NotComputed",
    "Result",
    "TestStatistic",
    "handout",
    "warn_renamed",
]

#: The longest ``repr`` of a result, in characters.
MAX_REPR: Final = 2000

#: What a caveat is about.
CaveatKind = Literal[
    "confounder", "measurement", "extrapolation", "fit", "inference", "data_quality"
]

#: Every :data:`CaveatKind`, in order.
CAVEAT_KINDS: tuple[CaveatKind, ...] = get_args(CaveatKind)


# --------------------------------------------------------------------------- immutability
#: Immutable values that results hand out as they are, recognised by their exact type first
#: (results read many of them; the checks below are for containers).
_ATOMS: Final = frozenset({str, int, float, bool, type(None), pd.Period, np.float64, np.int64})


def handout(value: Any) -> Any:
    """What a result hands out for one of its values: a copy of anything mutable.

    A pandas DataFrame or Series and a numpy array are copied (``copy()``, a deep copy of
    the data); a dict, list, set or tuple is rebuilt with its items handed out the same
    way; a read-only mapping (:class:`types.MappingProxyType`) becomes a new read-only
    mapping of handed-out items; a dataclass instance that is not frozen is deep-copied.
    Everything else — numbers, strings, periods, pandas indexes (immutable), results and
    frozen values — is returned as it is.

    Parameters
    ----------
    value : object

    Returns
    -------
    object
        ``value`` or a copy of it that shares nothing mutable with it.

    Examples
    --------
    >>> import pandas as pd
    >>> frame = pd.DataFrame({"a": [1.0]})
    >>> mine = handout(frame)
    >>> mine.iloc[0, 0] = -1.0
    >>> float(frame.iloc[0, 0])
    1.0
    """
    if type(value) in _ATOMS:
        return value
    if isinstance(value, pd.DataFrame | pd.Series | np.ndarray):
        return value.copy()
    if isinstance(value, MappingProxyType):
        return MappingProxyType({k: handout(v) for k, v in value.items()})
    if isinstance(value, dict):
        return {k: handout(v) for k, v in value.items()}
    if isinstance(value, list):
        return [handout(v) for v in value]
    if type(value) is tuple:
        return tuple(handout(v) for v in value)
    if isinstance(value, set):
        return {handout(v) for v in value}
    if (
        dataclasses.is_dataclass(value)
        and not isinstance(value, type)
        and not type(value).__dataclass_params__.frozen  # type: ignore[attr-defined]
    ):
        return copy.deepcopy(value)
    return value


def _plain(value: Any) -> Any:
    """Read-only mappings inside a value as dicts (``repr`` as before; read out as copies).

    numpy booleans and numbers become Python ones, so that an option given as
    ``np.bool_(True)`` is kept as ``True`` (``options["log"] is True``), as the checks read it.
    """
    if type(value) in _ATOMS:
        return value
    if isinstance(value, Mapping):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    if isinstance(value, np.bool_):
        return bool(value)
    if isinstance(value, np.integer):
        return int(value)
    if isinstance(value, np.floating):
        return float(value)
    return value


def _read_only(value: Any) -> Any:
    """A mapping as a read-only mapping of its own copies; anything else unchanged."""
    if isinstance(value, Mapping):
        return MappingProxyType({k: _plain(handout(v)) for k, v in value.items()})
    return value


class Frozen:
    """Mixin of results and their values: nothing they hold can be changed through them.

    Subclasses are frozen dataclasses. Every public attribute that is a DataFrame, Series,
    array, dict, list, set or tuple is handed out as a copy (:func:`handout`) each time it
    is read, so ``result.table.iloc[0, 0] = -1`` changes only that copy; an ``options``
    field is stored as a read-only mapping (``result.options["level"] = 0.9`` raises
    :class:`TypeError`). Pickling and :func:`copy.deepcopy` keep both rules.
    """

    def __post_init__(self) -> None:
        if "options" in getattr(self, "__dataclass_fields__", {}):
            object.__setattr__(
                self, "options", _read_only(object.__getattribute__(self, "options"))
            )

    if not TYPE_CHECKING:  # invisible to type checkers, which keep checking attribute names

        def __getattribute__(self, name):
            value = object.__getattribute__(self, name)
            if name[:1] == "_":
                return value
            return handout(value)

    def __getstate__(self) -> dict[str, Any]:
        state = dict(object.__getattribute__(self, "__dict__"))
        return {k: dict(v) if isinstance(v, MappingProxyType) else v for k, v in state.items()}

    def __setstate__(self, state: dict[str, Any]) -> None:
        for key, value in state.items():
            object.__setattr__(self, key, _read_only(value) if key == "options" else value)


def warn_renamed(owner: type, old: str, new: str, *, stacklevel: int = 4) -> None:
    """Warn (:class:`FutureWarning`) that ``owner.old`` is a deprecated name of ``owner.new``.

    Parameters
    ----------
    owner : type
        The class whose attribute was renamed.
    old, new : str
        The deprecated and the current name.
    stacklevel : int, default 4
        Where the warning points: 4 is the user's line that read the deprecated property of
        a :class:`Result` (this function, the property and the attribute access in between).
    """
    warnings.warn(
        f"{owner.__name__}.{old} is deprecated and will be removed; use {owner.__name__}.{new}",
        FutureWarning,
        stacklevel=stacklevel,
    )


# --------------------------------------------------------------------------- the base
class Result(Frozen):
    """Base class of every result.

    Subclasses are frozen dataclasses that define :meth:`summary` and :meth:`to_dict` (and
    ``to_frame()`` when the result is tabular). The base gives them the rest of the
    protocol:

    - ``str(result)`` is ``str(result.summary())``, and notebooks show the summary
      (``_repr_html_``);
    - ``repr(result)`` is ``ClassName(headline)``, at most :data:`MAX_REPR` characters
      (longer headlines are cut with ``…``);
    - :meth:`headline` is one line (by default the summary's first);
    - :attr:`not_computed` names the components that could not be computed, each a
      :class:`NotComputed` with the reason (empty by default).

    Immutability: fields cannot be reassigned (the dataclasses are frozen), and every
    DataFrame, Series, numpy array, dict, list, set or tuple a result holds is handed out
    as a copy each time it is read (:func:`handout`) — the library chose copies over
    read-only arrays because pandas frames can always be written to. So mutating what a
    result gives you (``r.path.iloc[0, 0] = -1``, ``r.to_frame()["gap"] = 0``,
    ``r.weights["a"] = 1``) never changes the result: ``r.to_frame()`` and ``r.to_dict()``
    stay as they were. ``options`` is a read-only mapping (:class:`types.MappingProxyType`).

    ``to_dict()`` is strict JSON: ``json.dumps(r.to_dict(), allow_nan=False)`` works for
    every result, with NaN, infinities and ``NaT`` written as ``null``.
    """

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        # dataclasses keep a __repr__ the class defines itself: the short one, not a dump
        if "__repr__" not in cls.__dict__:
            cls.__repr__ = Result.__repr__  # type: ignore[method-assign]

    def summary(self) -> Summary:
        """Readable text of the result (also ``str(result)``)."""
        raise NotImplementedError  # pragma: no cover - every result defines it

    def to_dict(self) -> JSONDict:
        """JSON-ready dictionary (strict JSON: NaN and NaT as ``None``)."""
        raise NotImplementedError  # pragma: no cover - every result defines it

    def headline(self) -> str:
        """One line: what the result says (by default the first line of the summary)."""
        for line in str(self.summary()).splitlines():
            if line.strip():
                return line.strip()
        return ""

    @property
    def not_computed(self) -> Mapping[str, NotComputed]:
        """The components that could not be computed, by name, each with the reason."""
        return MappingProxyType({})

    def __str__(self) -> str:
        return str(self.summary())

    def _repr_html_(self) -> str:
        return self.summary()._repr_html_()

    def __repr__(self) -> str:
        text = f"{type(self).__name__}({' '.join(self.headline().split())})"
        if len(text) > MAX_REPR:
            text = text[: MAX_REPR - 2] + "…)"
        return text


class CounterfactualResult(Protocol):
    """What every result with a counterfactual path has (impact and synthetic control).

    Attributes
    ----------
    path : pandas.DataFrame
        The by-period table, indexed by period, with at least the columns ``actual``,
        ``counterfactual`` (the path without the event, in levels), ``gap`` (actual −
        counterfactual) and ``post`` (bool: from the event's first period on).
    relative_effect : Effect or None
        The effect on the level as a fraction (``None`` when the outcome is not in logs).
    lost : LostTrade
        ``sum(counterfactual − actual)`` over the post-event periods.
    """

    @property
    def path(self) -> pd.DataFrame: ...  # noqa: D102

    @property
    def relative_effect(self) -> Effect | None: ...  # noqa: D102

    @property
    def lost(self) -> LostTrade: ...  # noqa: D102

    def summary(self) -> Summary: ...  # noqa: D102

    def to_dict(self) -> JSONDict: ...  # noqa: D102

    def to_frame(self) -> pd.DataFrame: ...  # noqa: D102


# --------------------------------------------------------------------------- values
@dataclass(frozen=True)
class Effect(Frozen):
    """An estimated effect: estimate, standard error, confidence interval, p-value.

    Where a method gives no sampling interval (synthetic control), ``std_error`` and both
    bounds of ``ci`` are NaN — written as ``null`` by :meth:`to_dict` — and ``note`` says
    so and where the p-value comes from.

    Attributes
    ----------
    estimate : float
    std_error : float
        NaN without a sampling distribution.
    ci : tuple of float
        Lower and upper bound (NaN without a sampling distribution).
    p_value : float
        NaN when none can be computed (``note`` says why).
    note : str
        How the interval and the p-value were obtained, or why there are none (empty for
        the regression's own t-based inference).
    """

    estimate: float
    std_error: float
    ci: tuple[float, float]
    p_value: float
    note: str = ""

    def to_dict(self) -> JSONDict:
        """JSON-ready dictionary (NaN as ``None``; ``note`` only when there is one)."""
        out: JSONDict = {
            "estimate": json_number(self.estimate),
            "std_error": json_number(self.std_error),
            "ci": [json_number(self.ci[0]), json_number(self.ci[1])],
            "p_value": json_number(self.p_value),
        }
        if self.note:
            out["note"] = self.note
        return out


@dataclass(frozen=True)
class LostTrade(Frozen):
    """Cumulative trade lost against the counterfactual over the post-event periods.

    ``estimate = sum(counterfactual - actual)``: positive when trade fell short of the path
    without the event. The interval reflects the uncertainty of the estimated coefficients
    (delta method), not the noise of individual periods. A counterfactual without a
    sampling distribution (synthetic control) has ``std_error`` and ``ci`` ``None``.
    """

    estimate: float
    std_error: float | None
    ci: tuple[float, float] | None
    start: pd.Period
    end: pd.Period
    unit: str

    def to_dict(self) -> JSONDict:
        """JSON-ready dictionary."""
        return {
            "estimate": json_number(self.estimate),
            "std_error": json_number(self.std_error),
            "ci": None if self.ci is None else [json_number(self.ci[0]), json_number(self.ci[1])],
            "start": str(self.start),
            "end": str(self.end),
            "unit": self.unit,
        }


@dataclass(frozen=True, eq=False)
class TestStatistic(Frozen):
    """One test statistic with its p-value and critical values.

    ``p_value_method`` says how the p-value was obtained (``"F"``, ``"hansen1997"``,
    ``"bound"``, ``"brownian_bridge"``, ``"brownian_motion"``).
    """

    __test__ = False  # not a pytest test class

    name: str
    statistic: float
    p_value: float
    critical_values: dict[str, float]
    p_value_method: str

    def to_dict(self) -> JSONDict:
        """JSON-ready dictionary."""
        return {
            "name": self.name,
            "statistic": json_number(self.statistic),
            "p_value": json_number(self.p_value),
            "critical_values": {k: json_number(v) for k, v in self.critical_values.items()},
            "p_value_method": self.p_value_method,
        }


@dataclass(frozen=True)
class NotComputed:
    """A component of a result that could not be computed, and why.

    Falsy (``if result.not_computed["sup_f"]:`` is false), and ``str()`` of it is the
    reason, so a summary reads ``sup_f: <reason>``.

    Attributes
    ----------
    component : str
        The component's name (``"sup_f"``, ``"placebo"``…).
    reason : str
        Why it could not be computed (the error's message, or the rule that left it out).

    Examples
    --------
    >>> nc = NotComputed("sup_f", "the window has 9 observations")
    >>> bool(nc), str(nc)
    (False, 'the window has 9 observations')
    >>> nc.to_dict()
    {'not_computed': 'the window has 9 observations', 'component': 'sup_f'}
    """

    component: str
    reason: str

    def __bool__(self) -> bool:
        return False

    def __str__(self) -> str:
        return self.reason

    def to_dict(self) -> JSONDict:
        """JSON-ready dictionary: ``{"not_computed": reason, "component": name}``."""
        return {"not_computed": self.reason, "component": self.component}


class Caveat(str):
    """A caveat about a result: its text, and what it is about.

    A string (the text, exactly as the warning that reported it), so summaries and reports
    read as before, with a ``kind``:

    - ``"confounder"``: other events inside the window move trade too (confounders, other
      measures taking effect in the same period): the estimate is a joint effect;
    - ``"measurement"``: the way the data are compiled changes inside the window;
    - ``"extrapolation"``: the counterfactual is carried beyond what it was fitted on;
    - ``"fit"``: the counterfactual reproduces the pre-event path poorly;
    - ``"inference"``: too few placebos or observations for the stated p-value to be small;
    - ``"data_quality"``: anything else about the data (flagged or derived values…).

    Parameters
    ----------
    text : str
    kind : CaveatKind, default "data_quality"

    Raises
    ------
    DataValidationError
        An unknown ``kind``.

    Examples
    --------
    >>> c = Caveat("the trend is extrapolated over 8 periods", "extrapolation")
    >>> c.kind, str(c), "extrapolated" in c
    ('extrapolation', 'the trend is extrapolated over 8 periods', True)
    """

    kind: CaveatKind

    def __new__(cls, text: str, kind: str = "data_quality") -> Caveat:
        """A caveat of ``text`` about ``kind``."""
        if kind not in CAVEAT_KINDS:
            raise DataValidationError(
                f"kind: {kind!r} is not one of {', '.join(CAVEAT_KINDS)}", field="kind", value=kind
            )
        self = super().__new__(cls, text)
        object.__setattr__(self, "kind", kind)
        return self

    @classmethod
    def from_warning(cls, warning: Warning, default: str = "data_quality") -> Caveat:
        """The caveat a warning reports: its message, and its ``kind`` (or ``default``)."""
        kind = getattr(warning, "kind", None)
        return cls(str(warning), kind if kind in CAVEAT_KINDS else default)

    @property
    def text(self) -> str:
        """The caveat's text (a plain string)."""
        return str(self)

    def __setattr__(self, name: str, value: Any) -> None:
        raise AttributeError(f"Caveat is immutable; cannot set {name!r}")

    def __getnewargs__(self) -> tuple[str, str]:  # type: ignore[override]
        return str(self), self.kind

    def __repr__(self) -> str:
        return f"Caveat({str(self)!r}, kind={self.kind!r})"

    def to_dict(self) -> JSONDict:
        """JSON-ready dictionary: ``{"text": ..., "kind": ...}``."""
        return {"text": str(self), "kind": cast(str, self.kind)}
