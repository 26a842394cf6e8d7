"""Synthetic control: a weighted average of donor series as the path without the event.

``synthetic_control`` builds the counterfactual of a treated series from donor series (a
:class:`~bilateral_trade.TradePanel` or a wide DataFrame) with non-negative weights that sum
to one and reproduce the treated unit's pre-event outcome path as closely as possible
(Abadie, Diamond and Hainmueller 2010, with the outcome path as the only predictors), and
judges the effect with in-space placebos. ``simplex_lstsq`` is the exact weight solver.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType
from typing import Any

import numpy as np
import pandas as pd

from .._util.aliases import JSONDict, JSONValue
from .._util.checks import numeric_column
from .._util.format import Summary, json_number, json_rows, json_value, money, pct
from ..data.panel import TradePanel
from ..data.periods import Frequency, format_periods, parse_period
from ..data.series import TradeSeries
from ..errors import DataValidationError, InsufficientDataError
from ..models.caveats import emit
from ..models.results import Effect, LostTrade, NotComputed, Result
from ..models.validators import (
    as_values,
    check_bool,
    check_same_unit,
    exact_fit_tolerance,
    pow2_scale,
    rank_p_value,
)
from .impact import _event_period

__all__ = ["SyntheticControlResult", "simplex_lstsq", "synthetic_control"]

#: Placebo inference is flagged when fewer placebos than this carry a ratio.
MIN_PLACEBOS = 5


# --------------------------------------------------------------------------- solver
def _affine_lstsq(D: np.ndarray, passive: np.ndarray, w: np.ndarray) -> np.ndarray:
    """Minimise ``||D z||`` over ``sum z = 1`` with ``z`` zero outside ``passive``.

    The constraint is removed by writing ``z_r = 1 - sum(z_others)`` for a reference donor
    ``r`` (the one with the largest current weight): an unconstrained least-squares problem
    in the other weights, solved by SVD (minimum-norm solution if it is rank deficient).
    """
    idx = np.flatnonzero(passive)
    z = np.zeros(D.shape[1])
    if len(idx) == 1:
        z[idx[0]] = 1.0
        return z
    ref = int(idx[np.argmax(w[idx])])
    others = idx[idx != ref]
    B = D[:, others] - D[:, [ref]]
    v = np.linalg.lstsq(B, -D[:, ref], rcond=None)[0]
    z[others] = v
    z[ref] = 1.0 - float(v.sum())
    return z


def simplex_lstsq(X: Any, y: Any) -> np.ndarray:
    """Exact least squares on the unit simplex: ``min ||y - X w||²`` s.t. ``w >= 0, sum w = 1``.

    An active-set method in the style of Lawson and Hanson's NNLS, carried over to the
    sum-to-one constraint. Because the weights sum to one, subtracting ``y`` from every
    column of ``X`` leaves the objective unchanged; the solver works on ``D = X - y 1'`` (which
    also removes the common level, e.g. of log trade values, before any product is formed).
    It starts at the best single donor and alternates: (1) with the gradient
    ``g = X'(X w - y)`` and the common value ``λ`` of ``g`` on the donors with positive
    weight, stop if every other donor has ``g_j >= λ - tol`` (the KKT conditions: ``g_j = λ``
    where ``w_j > 0``, ``g_j >= λ`` where ``w_j = 0``); otherwise (2) free the donor with the
    smallest ``g_j - λ`` and solve the least-squares problem on the free donors under
    ``sum w = 1`` alone; while that solution has a non-positive weight, step towards it as far
    as the weights stay non-negative and fix the donor(s) that reach zero. The objective falls
    at every step, so the method ends after finitely many steps at an exact minimiser (up to
    rounding; ``tol`` is ``64·T·ε`` times the squared largest column norm of ``D``).

    Ties. When the minimiser is not unique (collinear or duplicated donors, or a treated path
    inside the donors' convex hull with more donors than pre-event periods plus one), the
    method returns a basic minimiser: the donors with positive weight are affinely
    independent, so at most ``T + 1`` of them are positive. Which minimiser it returns is
    deterministic — the start is the nearest donor and the entering donor the one with the
    smallest ``g_j - λ``, ties broken by column order — so duplicated donors share nothing:
    the first of them takes the weight. The fitted path ``X w`` is unique in every case.

    Parameters
    ----------
    X : array-like, shape (T, J)
        One column per donor (the pre-event outcomes).
    y : array-like, shape (T,)
        The treated unit's pre-event outcomes.

    Returns
    -------
    numpy.ndarray, shape (J,)
        The weights (non-negative, summing to one up to rounding).

    Raises
    ------
    DataValidationError
        ``X`` not a non-empty 2-D array, ``y`` of another length, or values not finite.

    References
    ----------
    Lawson, C. L. and Hanson, R. J. (1974), Solving Least Squares Problems, ch. 23. Nocedal, J.
    and Wright, S. J. (2006), Numerical Optimization, 2nd ed., Algorithm 16.3.

    Examples
    --------
    >>> import numpy as np
    >>> X = np.array([[0.0, 1.0, 0.0], [0.0, 0.0, 1.0]])
    >>> simplex_lstsq(X, np.array([0.2, 0.5])).round(12).tolist()
    [0.3, 0.2, 0.5]
    >>> simplex_lstsq(X, np.array([2.0, 0.0])).round(12).tolist()  # outside: nearest vertex
    [0.0, 1.0, 0.0]
    """
    A = np.asarray(X, dtype=np.float64)
    b = np.asarray(y, dtype=np.float64)
    if A.ndim != 2 or A.shape[1] == 0 or A.shape[0] == 0:
        raise DataValidationError(
            f"X: expected a non-empty 2-D array (periods × donors), got shape {A.shape}",
            field="X",
            value=A.shape,
        )
    if b.shape != (A.shape[0],):
        raise DataValidationError(
            f"y: expected {A.shape[0]} values (one per row of X), got shape {b.shape}",
            field="y",
            value=b.shape,
        )
    if not (np.isfinite(A).all() and np.isfinite(b).all()):
        raise DataValidationError(
            "X, y: values must be finite", field="X", value="NaN or infinite values"
        )
    T, J = A.shape
    if J == 1:
        return np.ones(1)
    # The weights do not change when X and y are scaled together: divide both by a power of
    # two (exact) so that no difference or sum of squares overflows or underflows.
    scale = float(pow2_scale(max(float(np.max(np.abs(A))), float(np.max(np.abs(b))))))
    A, b = A / scale, b / scale
    D = A - b[:, None]
    norms = np.sqrt(np.einsum("ij,ij->j", D, D))
    tol = 64.0 * T * np.finfo(np.float64).eps * float(norms.max()) ** 2
    k = int(np.argmin(norms))
    w = np.zeros(J)
    w[k] = 1.0
    passive = np.zeros(J, dtype=bool)
    passive[k] = True
    steps, max_steps = 0, 50 * J + 100
    while True:
        g = D.T @ (D @ w)
        lam = float(g[passive].mean())
        gap = np.where(passive, np.inf, g - lam)
        j = int(np.argmin(gap))
        if not gap[j] < -tol:
            break
        passive[j] = True
        entering: int | None = j
        stalled = False
        while True:
            steps += 1
            if steps > max_steps:  # pragma: no cover - a safeguard; never reached in tests
                raise InsufficientDataError(
                    f"simplex_lstsq: no optimum after {max_steps} active-set steps; the donors "
                    "are numerically collinear — drop near-duplicate donors"
                )
            z = _affine_lstsq(D, passive, w)
            if entering is not None and z[entering] <= 0.0:
                # rounding: the freed donor cannot enter, so w is optimal (Lawson–Hanson)
                passive[entering] = False
                stalled = True
                break
            entering = None
            neg = passive & (z <= 0.0)
            if not neg.any():
                w = z
                break
            cand = np.flatnonzero(neg)
            ratios = w[cand] / (w[cand] - z[cand])
            leave = int(cand[np.argmin(ratios)])
            w = w + float(ratios.min()) * (z - w)
            w[leave] = 0.0
            passive &= w > 0.0
            w[~passive] = 0.0
        if stalled:
            break
    w = np.clip(w, 0.0, None)
    out: np.ndarray = w / w.sum()
    return out


# --------------------------------------------------------------------------- result
@dataclass(frozen=True, eq=False)
class SyntheticControlResult(Result):
    """Synthetic-control estimate of an event's effect (immutable).

    Attributes
    ----------
    weights : pandas.Series
        The weight of every donor (zeros included), indexed by donor name.
    path : pandas.DataFrame
        The by-period table (the same name as in :class:`~bilateral_trade.ImpactResult`),
        indexed by period: ``actual`` and ``synthetic`` (levels), ``counterfactual`` (the
        synthetic level again, under the name every counterfactual path uses), ``gap``
        (actual − synthetic, level), ``outcome``, ``synthetic_outcome`` and ``outcome_gap``
        (outcome scale: log values with ``log=True``), ``post`` (bool).
    lost : LostTrade
        ``sum(synthetic − actual)`` over the post-event periods; ``std_error`` and ``ci`` are
        ``None`` (a synthetic control has no sampling distribution).
    average_effect : float
        Mean ``outcome_gap`` over the post-event periods (log points with ``log=True``).
    relative_effect : Effect or None
        With ``log=True``: ``estimate = exp(average_effect) − 1``; ``std_error`` and both
        bounds of ``ci`` are NaN (``null`` in :meth:`to_dict`), since a synthetic control has
        no sampling distribution; ``p_value`` is the in-space placebo :attr:`p_value` (NaN
        when that is None; ``note`` says why). ``None`` with ``log=False``. (An
        :class:`~bilateral_trade.models.results.Effect`, as in
        :class:`~bilateral_trade.ImpactResult`; it was a float before.)
    rmspe_pre, rmspe_post, rmspe_ratio : float
        Root mean squared ``outcome_gap`` before and after the event, and post / pre.
    placebos : pandas.DataFrame or None
        In-space placebos (``unit, rmspe_pre, rmspe_post, ratio, status``); ``status`` is
        ``"used"`` or the reason the placebo was excluded.
    p_value : float or None
        ``(1 + #placebo ratios >= rmspe_ratio) / (1 + #placebos used)``; ``None`` without
        placebos, with no usable placebo, or when the treated unit's pre-period fit is exact.
    """

    weights: pd.Series
    path: pd.DataFrame
    lost: LostTrade
    average_effect: float
    rmspe_pre: float
    rmspe_post: float
    rmspe_ratio: float
    placebos: pd.DataFrame | None
    p_value: float | None
    event_periods: tuple[pd.Period, ...]
    event_labels: tuple[str, ...]
    nobs: int
    label: str
    unit: str
    options: Mapping[str, Any]
    method: str = "Synthetic control (outcome path as predictors)"
    reference: str = (
        "Abadie, Diamond and Hainmueller (2010), synthetic control and in-space placebos; "
        "Ferman and Pinto (2021), demeaned synthetic control"
    )

    @property
    def relative_effect(self) -> Effect | None:
        """``exp(average_effect) − 1`` as an :class:`Effect` (``log=True``), else None.

        No sampling interval: ``std_error`` and ``ci`` are NaN; ``p_value`` is the in-space
        placebo p-value (NaN when there is none), and ``note`` says so.
        """
        if not self.options["log"]:
            return None
        nan = math.nan
        p = nan if self.p_value is None else self.p_value
        return Effect(
            math.expm1(self.average_effect),
            nan,
            (nan, nan),
            p,
            note="synthetic control: no sampling interval; p-value from in-space placebos: "
            + self.p_value_note,
        )

    @property
    def not_computed(self) -> Mapping[str, NotComputed]:
        """The in-space placebos when they were not computed (``placebo=False``)."""
        if self.placebos is None:
            return MappingProxyType(
                {"placebos": NotComputed("placebos", "in-space placebos not asked (placebo=False)")}
            )
        return MappingProxyType({})

    @property
    def n_placebos(self) -> int:
        """Number of placebos that carry a ratio (0 without placebos)."""
        if self.placebos is None:
            return 0
        return int((self.placebos["status"] == "used").sum())

    @property
    def smallest_p_value(self) -> float | None:
        """The smallest attainable placebo p-value, ``1 / (1 + n_placebos)``."""
        if self.placebos is None or self.n_placebos == 0:
            return None
        return 1.0 / (1 + self.n_placebos)

    @property
    def p_value_note(self) -> str:
        """Why ``p_value`` is what it is (or why it is ``None``)."""
        if self.placebos is None:
            return "in-space placebos not computed (placebo=False)"
        if self.n_placebos == 0:
            return "no donor gives a usable placebo"
        if self.p_value is None:
            return (
                "the treated unit's pre-period fit is exact (RMSPE 0), so its post/pre RMSPE "
                "ratio is undefined"
            )
        return (
            f"rank of the post/pre RMSPE ratio among {self.n_placebos + 1} units; smallest "
            f"attainable value 1/{self.n_placebos + 1} = {self.smallest_p_value:.3g}"
        )

    def headline(self) -> str:
        """The average (relative) effect, the placebo p-value and the lost trade."""
        unit = "log points" if self.options["log"] else self.unit
        text = f"{self.label}: average effect {self.average_effect:.4g} {unit}".rstrip()
        if self.options["log"]:
            text += f" ({pct(math.expm1(self.average_effect))})"
        p = "n/a" if self.p_value is None else f"{self.p_value:.3g}"
        return (
            f"{text}, placebo p = {p}; trade lost {self.lost.start}–{self.lost.end} "
            f"{money(self.lost.estimate, self.unit)}"
        )

    def summary(self) -> Summary:
        """Readable text of the estimate."""
        opts = self.options
        outcome = "log value" if opts["log"] else "value"
        if opts["demean"]:
            outcome += ", demeaned (pre-period means removed)"
        unit_name = "log points" if opts["log"] else self.unit
        weights = self.weights
        shown = weights[weights > 0.001].sort_values(ascending=False, kind="stable")
        width = max(len(str(n)) for n in shown.index)
        lines = [
            f"{self.method} — {self.label}",
            f"  event: {self.event_labels[0]} (from {self.event_periods[0]})",
            f"  window: {opts['pre']} to {opts['post']} ({opts['n_pre']} pre-event, "
            f"{opts['n_post']} post-event periods); outcome {outcome}",
            f"  weights above 0.001 ({len(shown)} of {len(weights)} donors):",
            *(f"    {name!s:<{width}}  {w:.3f}" for name, w in shown.items()),
            f"  fit: pre-period RMSPE {self.rmspe_pre:.4g}, post-period RMSPE "
            f"{self.rmspe_post:.4g}, ratio {self.rmspe_ratio:.4g}",
            f"  average effect: {self.average_effect:.4g} {unit_name}".rstrip()
            + (f" (relative {pct(math.expm1(self.average_effect))})" if opts["log"] else ""),
            f"  trade lost {self.lost.start}–{self.lost.end} against the synthetic control: "
            f"{money(self.lost.estimate, self.unit).strip()} (no sampling interval)",
        ]
        if self.placebos is None:
            lines.append("  in-space placebo p-value: not computed")
        else:
            excluded = len(self.placebos) - self.n_placebos
            p = "n/a" if self.p_value is None else f"{self.p_value:.3g}"
            lines.append(f"  in-space placebo p-value: {p} ({self.p_value_note})")
            if excluded:
                lines.append(f"    {excluded} donor(s) excluded as placebos:")
                for row in self.placebos[self.placebos["status"] != "used"].itertuples():
                    lines.append(f"      {row.unit}: {row.status}")
        lines.append(f"  reference: {self.reference}")
        return Summary("\n".join(lines))

    def to_frame(self) -> pd.DataFrame:
        """The by-period table :attr:`path` (a copy)."""
        return self.path

    def to_dict(self) -> JSONDict:
        """JSON-ready dictionary."""
        path: dict[str, JSONValue] = json_rows(self.path)
        placebos: list[JSONValue] | None = None
        table = self.placebos
        if table is not None:
            placebos = [
                {
                    "unit": str(r["unit"]),
                    "rmspe_pre": json_number(r["rmspe_pre"]),
                    "rmspe_post": json_number(r["rmspe_post"]),
                    "ratio": json_number(r["ratio"]),
                    "status": str(r["status"]),
                }
                for r in table.to_dict(orient="records")
            ]
        relative = self.relative_effect
        return {
            "method": self.method,
            "label": self.label,
            "events": [
                {"label": lab, "first_period": str(p)}
                for lab, p in zip(self.event_labels, self.event_periods, strict=True)
            ],
            "weights": {str(k): json_number(float(v)) for k, v in self.weights.items()},
            "average_effect": json_number(self.average_effect),
            "relative_effect": None if relative is None else relative.to_dict(),
            "rmspe_pre": json_number(self.rmspe_pre),
            "rmspe_post": json_number(self.rmspe_post),
            "rmspe_ratio": json_number(self.rmspe_ratio),
            "lost": self.lost.to_dict(),
            "p_value": json_number(self.p_value),
            "smallest_p_value": json_number(self.smallest_p_value),
            "p_value_note": self.p_value_note,
            "placebos": placebos,
            "path": path,
            "nobs": self.nobs,
            "unit": self.unit,
            "options": json_value(self.options),
            "reference": self.reference,
        }


# --------------------------------------------------------------------------- inputs
def _donor_frame(donors: Any, freq: Frequency) -> tuple[pd.DataFrame, str | None]:
    """Donor values as a wide float frame (PeriodIndex, one column per donor) and the unit."""
    if isinstance(donors, TradePanel):
        return _panel_donors(donors, freq), donors.unit
    if not isinstance(donors, pd.DataFrame):
        raise DataValidationError(
            f"donors: expected a TradePanel or a wide pandas DataFrame (one column per donor), "
            f"got {type(donors).__name__}",
            field="donors",
            value=type(donors).__name__,
        )
    if donors.shape[1] == 0:
        raise DataValidationError(
            "donors: no donor series (the DataFrame has no columns)", field="donors", value=0
        )
    index = _donor_index(donors.index, freq)
    names = [str(c) for c in donors.columns]
    dup_names = sorted(n for n, count in Counter(names).items() if count > 1)
    if dup_names:
        raise DataValidationError(
            f"donors: duplicate donor names {', '.join(map(repr, dup_names))}; each donor "
            "needs its own column name",
            field="donors",
            value=dup_names,
        )
    # every donor column is a column of real numbers (booleans and complex numbers refused)
    data = (
        np.column_stack(
            [
                numeric_column(
                    donors[c],
                    "donors",
                    labels=[f"{p} (donor {c!r})" for p in index],
                    column=f"donor {c!r}",
                )
                for c in donors.columns
            ]
        )
        if len(donors.columns)
        else np.empty((len(donors), 0))
    )
    frame = pd.DataFrame(data, index=index, columns=names).sort_index()
    for name in names:
        col = frame[name].to_numpy()
        bad = np.isinf(col) | (col < 0)
        if bad.any():
            raise DataValidationError(
                f"donors: {name!r} has infinite or negative values at "
                f"{format_periods(frame.index[bad])}; trade values are finite and non-negative",
                field="donors",
                value={name: [str(p) for p in frame.index[bad]]},
            )
    return frame, None


def _panel_donors(donors: TradePanel, freq: Frequency) -> pd.DataFrame:
    """Every series of a panel as a donor column, named by its label."""
    if donors.frequency is not freq:
        raise DataValidationError(
            f"donors: the panel is {donors.frequency.label} but the treated series is {freq.label}",
            field="donors",
            value=donors.frequency.value,
        )
    columns: dict[str, pd.Series] = {}
    for reporter, partner, flow, product in donors.keys():  # noqa: SIM118 (a panel is not a dict)
        s = donors.series(
            reporter=reporter, partner=partner, flow=flow, product=product, gaps="keep"
        )
        if s.label in columns:  # pragma: no cover - a panel's keys give distinct labels
            raise DataValidationError(
                f"donors: two donors are named {s.label!r}", field="donors", value=s.label
            )
        columns[s.label] = s.values
    return pd.DataFrame(columns).sort_index()


def _donor_index(index: pd.Index, freq: Frequency) -> pd.PeriodIndex:
    """The donors' index as periods of ``freq``, refusing another frequency or duplicates."""
    if isinstance(index, pd.DatetimeIndex):
        index = index.to_period(freq.pandas_freq)
    elif isinstance(index, pd.PeriodIndex):
        found = Frequency.parse(index.freqstr)
        if found is not freq:
            raise DataValidationError(
                f"donors: the DataFrame is {found.label} but the treated series is {freq.label}",
                field="donors",
                value=found.value,
            )
    else:
        raise DataValidationError(
            f"donors: a DataFrame of donors needs a PeriodIndex or DatetimeIndex, got "
            f"{type(index).__name__}",
            field="donors",
            value=type(index).__name__,
        )
    if index.has_duplicates:
        dups = index[index.duplicated()].unique()
        raise DataValidationError(
            f"donors: duplicate periods {format_periods(dups)} in the index",
            field="donors",
            value=[str(p) for p in dups],
        )
    return index


def _span(values: pd.Series) -> tuple[pd.Period, pd.Period] | None:
    valid = values.index[values.notna().to_numpy()]
    if len(valid) == 0:
        return None
    return valid[0], valid[-1]


def _shortened_by(
    donors: pd.DataFrame, treated: tuple[pd.Period, pd.Period], lo: pd.Period, hi: pd.Period
) -> str:
    """In words, the donors that start after the treated series or end before it.

    ``lo`` and ``hi`` are the window's ends; empty when the donors shorten neither end.
    """
    spans = {str(c): _span(donors[c]) for c in donors.columns}

    def named(side: int, bound: pd.Period, verb: str) -> str:
        found = [name for name, sp in spans.items() if sp is not None and sp[side] == bound]
        one = len(found) == 1
        return f"donor{'' if one else 's'} {', '.join(map(repr, found))} {verb}{'s' if one else ''}"

    parts = [named(0, lo, "start") + f" in {lo}"] if lo > treated[0] else []
    if hi < treated[1]:
        parts.append(named(1, hi, "end") + f" in {hi}")
    if not parts:
        return ""
    return (
        f"{' and '.join(parts)}, so the window is {lo}–{hi}, not the treated series' "
        f"{treated[0]}–{treated[1]}"
    )


def _window(
    treated: pd.Series, donors: pd.DataFrame, pre: Any, post: Any, freq: Frequency
) -> tuple[pd.PeriodIndex, str]:
    """The window the treated series and every donor share (or ``pre``–``post``).

    Also returns, in words, which donors shortened it (empty when none did, or the user
    gave both ends).
    """
    spans = [_span(treated), *(_span(donors[c]) for c in donors.columns)]
    empty = [name for name, sp in zip(["treated", *donors.columns], spans, strict=True) if not sp]
    if empty:
        raise DataValidationError(
            f"donors: no value at all for {', '.join(map(repr, empty))}",
            field="donors",
            value=empty,
        )
    firsts = [sp[0] for sp in spans if sp is not None]
    lasts = [sp[1] for sp in spans if sp is not None]
    lo = parse_period(pre, freq, field="pre") if pre is not None else max(firsts)
    hi = parse_period(post, freq, field="post") if post is not None else min(lasts)
    treated_span = (firsts[0], lasts[0])
    note = _shortened_by(
        donors,
        treated_span,
        treated_span[0] if pre is not None else lo,
        treated_span[1] if post is not None else hi,
    )
    if lo > hi:
        field, value = ("pre", str(lo)) if pre is not None else ("donors", [str(lo), str(hi)])
        how = (
            "choose an estimation window the donors share"
            if pre is None and post is None
            else "check pre and post"
        )
        raise DataValidationError(
            f"{field}: the window would run from {lo} to {hi}; the treated series and the donors "
            f"share no period there ({how}){'; ' + note if note else ''}",
            field=field,
            value=value,
        )
    return pd.period_range(lo, hi, freq=freq.pandas_freq), note


def _check_window(
    y: np.ndarray, Y: np.ndarray, names: list[str], label: str, index: pd.PeriodIndex, log: bool
) -> None:
    where = f"the window {index[0]} to {index[-1]}"
    miss = np.isnan(y)
    if miss.any():
        raise DataValidationError(
            f"treated: {label} has no value at {format_periods(index[miss])} in {where}; choose "
            "an estimation window inside its data",
            field="treated",
            value=[str(p) for p in index[miss]],
        )
    if log and (y <= 0).any():
        bad = y <= 0
        raise DataValidationError(
            f"treated: log=True needs positive values; {label} is 0 at "
            f"{format_periods(index[bad])}",
            field="treated",
            value=[str(p) for p in index[bad]],
        )
    bad_cols = {names[j]: index[np.isnan(Y[:, j])] for j in range(Y.shape[1])}
    bad_cols = {k: v for k, v in bad_cols.items() if len(v)}
    if bad_cols:
        listed = "; ".join(f"{k!r} at {format_periods(v)}" for k, v in bad_cols.items())
        raise DataValidationError(
            f"donors: no value (missing, or outside the donor's data) in {where} for {listed}; "
            "drop these donors or choose an estimation window inside their data (donors are "
            "never dropped silently)",
            field="donors",
            value={k: [str(p) for p in v] for k, v in bad_cols.items()},
        )
    if log:
        bad_cols = {names[j]: index[Y[:, j] <= 0] for j in range(Y.shape[1])}
        bad_cols = {k: v for k, v in bad_cols.items() if len(v)}
        if bad_cols:
            listed = "; ".join(f"{k!r} at {format_periods(v)}" for k, v in bad_cols.items())
            raise DataValidationError(
                f"donors: log=True needs positive values; zero in {where} for {listed}; drop "
                "these donors or use log=False",
                field="donors",
                value={k: [str(p) for p in v] for k, v in bad_cols.items()},
            )


# --------------------------------------------------------------------------- fit
@dataclass(frozen=True)
class _Fit:
    weights: np.ndarray
    synthetic: np.ndarray  # outcome scale, every period
    gap: np.ndarray  # outcome - synthetic
    rmspe_pre: float
    rmspe_post: float
    ratio: float
    exact: bool  # pre-period fit exact: the ratio is undefined


def _fit(y: np.ndarray, Y: np.ndarray, n_pre: int, demean: bool, scale: float = 1.0) -> _Fit:
    """Weights on the pre-event periods, the synthetic outcome and its RMSPEs.

    ``y`` and ``Y`` are the outcomes divided by ``scale`` (a power of two, so the division is
    exact and no square of a gap overflows or underflows); the synthetic outcome, the gaps
    and the RMSPEs are returned multiplied back (exactly), in the unit of the outcome. The
    pre-period fit is exact when its residual sum of squares is zero up to rounding
    (:func:`~bilateral_trade.models.validators.exact_fit_tolerance` of the unit's
    pre-period outcome): the post/pre RMSPE ratio is then undefined.
    """
    if demean:
        y_mean = float(y[:n_pre].mean())
        Y_mean = Y[:n_pre].mean(axis=0)
        w = simplex_lstsq(Y[:n_pre] - Y_mean, y[:n_pre] - y_mean)
        synthetic = y_mean + (Y - Y_mean) @ w
    else:
        w = simplex_lstsq(Y[:n_pre], y[:n_pre])
        synthetic = Y @ w
    gap = y - synthetic
    pre = math.sqrt(float(np.mean(gap[:n_pre] ** 2)))
    post = math.sqrt(float(np.mean(gap[n_pre:] ** 2)))
    own = y[:n_pre]
    rss = float(gap[:n_pre] @ gap[:n_pre])
    tss = float(np.sum((own - own.mean()) ** 2))
    exact = rss <= float(exact_fit_tolerance(tss, float(own @ own), n_pre))
    ratio = post / pre if pre > 0 else (math.inf if post > 0 else math.nan)
    return _Fit(w, synthetic * scale, gap * scale, pre * scale, post * scale, ratio, exact)


def _placebos(
    Y: np.ndarray, names: list[str], n_pre: int, demean: bool, scale: float
) -> pd.DataFrame:
    """Each donor's fit by the other donors (``Y`` divided by ``scale``, as in :func:`_fit`)."""
    rows = []
    for j, name in enumerate(names):
        if len(names) == 1:
            rows.append(
                {
                    "unit": name,
                    "rmspe_pre": math.nan,
                    "rmspe_post": math.nan,
                    "ratio": math.nan,
                    "status": "excluded: no other donor to build its synthetic control",
                }
            )
            continue
        fit = _fit(Y[:, j], np.delete(Y, j, axis=1), n_pre, demean, scale)
        status = "used"
        if fit.exact:
            status = (
                "excluded: exact pre-period fit (RMSPE 0) by the other donors, so its "
                "post/pre RMSPE ratio is undefined"
            )
        rows.append(
            {
                "unit": name,
                "rmspe_pre": fit.rmspe_pre,
                "rmspe_post": fit.rmspe_post,
                "ratio": fit.ratio,
                "status": status,
            }
        )
    return pd.DataFrame(rows, columns=["unit", "rmspe_pre", "rmspe_post", "ratio", "status"])


def synthetic_control(
    treated: Any,
    donors: Any,
    event: Any,
    *,
    pre: Any = None,
    post: Any = None,
    log: bool = True,
    demean: bool = False,
    placebo: bool = True,
) -> SyntheticControlResult:
    """Estimate an event's effect against a synthetic control built from donor series.

    Model (Abadie, Diamond and Hainmueller 2010, with the outcome path as the only
    predictors, so that the predictor weights ``V`` are the identity). Let ``y1_t`` be the
    treated unit's outcome (``log`` of the value with ``log=True``), ``Y0_t`` the row of
    the ``J`` donors' outcomes, and ``t = 1, …, T0`` the pre-event periods of the window. The
    weights solve

        min_w  Σ_{t ≤ T0} (y1_t − Y0_t w)²   subject to  w_j ≥ 0,  Σ_j w_j = 1,

    exactly (:func:`simplex_lstsq`, an active-set method; no generic optimiser). The
    synthetic outcome is ``Y0_t w`` in every period; the effect path is
    ``gap_t = y1_t − Y0_t w`` (log points with ``log=True``); the counterfactual level is
    ``exp(Y0_t w)`` with ``log=True``, else ``Y0_t w``.

    ``demean=True`` first subtracts from every unit its own pre-period mean outcome and
    re-adds the treated unit's mean to the synthetic outcome (the demeaned synthetic control
    of Ferman and Pinto 2021, equivalent to an intercept): the donors then reproduce the
    treated unit's movements rather than its level, as needed when a small pair is compared
    with large ones. With ``log=True`` that matches growth paths; the level of the treated
    unit is its own.

    Effect measures: ``average_effect`` is the mean gap over the post-event periods (outcome
    scale); with ``log=True`` ``relative_effect = exp(average_effect) − 1``. ``lost`` is
    ``Σ_post (synthetic − actual)`` in levels: trade lost against the synthetic control
    (``std_error`` and ``ci`` are ``None``: no sampling distribution). ``rmspe_pre`` and
    ``rmspe_post`` are the root mean squared gaps before and after the event. The outcomes
    are divided by one power of two before the fit and the results multiplied back (both
    exact, :func:`~bilateral_trade.models.validators.pow2_scale`), so in levels the weights,
    ratios and p-value are the same in any unit (1e-200 or 1e200 as at 1), and the paths,
    RMSPEs and lost trade scale with it.

    The event starts at ``event.first_period(freq)`` (the first period that starts on or
    after its date: UNSCR 2397 of 2017-12-22 gives 2018 in annual data); a period given
    directly is taken as the first post-event period; a date is treated like an event on
    that day.

    In-space placebo inference (``placebo=True``): every donor in turn is treated as if it
    had had the event, with the other donors (never the treated unit) as its donor pool and
    the same window, outcome and ``demean``. With ``r`` the post/pre RMSPE ratio of a unit,

        p = (1 + #{placebos with r_j ≥ r_treated}) / (1 + #placebos used),

    which is never 0; the smallest attainable value is ``1 / (1 + #placebos used)``, e.g.
    1/16 with 15 donors. A placebo whose pre-period fit by the other donors is exact
    (a residual sum of squares that is zero up to rounding,
    :func:`~bilateral_trade.models.validators.exact_fit_tolerance`, e.g. a donor that is
    a convex combination of others) has an undefined ratio and is excluded, with that reason
    in ``placebos["status"]``; if the treated unit's own fit is exact, ``p_value`` is
    ``None`` (a perfect pre-period fit is a sign of overfitting: more donors than pre-event
    periods). No placebo is excluded for a poor fit: the ratio already scales each unit's
    post-period gap by its pre-period fit.

    Parameters
    ----------
    treated : TradeSeries or pandas.Series
        The treated series (a pandas Series needs a PeriodIndex or DatetimeIndex).
    donors : TradePanel or pandas.DataFrame
        The donor pool: every series of a panel is a donor named by its label
        (``"CHN→MNG total TOTAL"``); a wide DataFrame has a PeriodIndex (or DatetimeIndex) and
        one column per donor, named by the column. Values may be missing outside the window.
    event : TradeEvent, period-like or date
        The event (one).
    pre, post : period-like, optional
        First and last period of the window (default: the span common to the treated series
        and all donors; a :class:`~bilateral_trade.DataQualityWarning` names the donors that
        start later or end earlier than the treated series).
    log : bool, default True
        Model log values (all values in the window must be positive).
    demean : bool, default False
        Remove each unit's pre-period mean outcome before fitting (an intercept).
    placebo : bool, default True
        Compute the in-space placebos and their p-value.

    Returns
    -------
    SyntheticControlResult

    Raises
    ------
    DataValidationError
        Donors that are not a TradePanel or a wide DataFrame, no donor, duplicate donor names,
        a donor equal to the treated series (same name or same values in the window), another
        frequency or unit, missing values of the treated series or of a donor in the window
        (naming the donor and periods), non-positive values with ``log=True``, an event
        outside the window or in its first period, or a list of events.
    InsufficientDataError
        Fewer than 2 pre-event periods in the window.

    Warns
    -----
    DataQualityWarning
        A poor pre-period fit (pre RMSPE above the standard deviation, ddof 0, of the treated
        unit's pre-period outcome: a fit worse than that unit's own pre-period mean), a
        treated pre-period mean outside the donors' range with ``demean=False`` (no convex
        combination can match its level: use ``demean=True``), or
        fewer than 5 usable placebos (the p-value cannot fall below ``1 / (1 + #placebos)``).

    References
    ----------
    Abadie, A., Diamond, A. and Hainmueller, J. (2010), Synthetic control methods for
    comparative case studies, JASA 105, 493–505. Abadie, A. (2021), Using synthetic controls,
    J. Econ. Lit. 59, 391–425. Ferman, B. and Pinto, C. (2021), Synthetic controls with
    imperfect pretreatment fit, Quant. Econ. 12, 1197–1221.

    Examples
    --------
    Six donors; the treated unit follows 0.3 × donor a + 0.7 × donor b (in logs) until 2010,
    then falls by 0.5 log points.

    >>> import numpy as np, pandas as pd
    >>> from bilateral_trade.stats.synthetic import synthetic_control
    >>> years = pd.period_range("2000", periods=13, freq="Y")
    >>> t = np.arange(13.0)
    >>> logs = pd.DataFrame(
    ...     {n: 5 + s * t + 0.3 * np.sin(f * t) for n, s, f in
    ...      [("a", 0.02, 1.0), ("b", 0.05, 1.7), ("c", -0.01, 0.6),
    ...       ("d", 0.08, 2.3), ("e", 0.0, 2.9), ("f", 0.03, 0.3)]}, index=years)
    >>> y = 0.3 * logs["a"] + 0.7 * logs["b"] - 0.5 * (years >= pd.Period("2010", "Y"))
    >>> r = synthetic_control(np.exp(y), np.exp(logs), 2010)
    >>> r.weights.round(6).to_dict()
    {'a': 0.3, 'b': 0.7, 'c': 0.0, 'd': 0.0, 'e': 0.0, 'f': 0.0}
    >>> round(r.average_effect, 6), r.p_value
    (-0.5, None)

    The pre-period fit is exact, so the placebo ratio is undefined and ``p_value`` is
    ``None``; see ``r.p_value_note``.
    """
    values, freq, series = as_values(treated, field="treated")
    label = series.label if series is not None else str(values.name or "treated")
    log, demean = check_bool(log, "log"), check_bool(demean, "demean")
    placebo = check_bool(placebo, "placebo")
    frame, unit = _donors_of(donors, freq, series)
    if isinstance(event, list | tuple):
        raise DataValidationError(
            "event: synthetic_control takes one event, got a list", field="event", value=event
        )
    first, ev_label = _event_period(event, freq)
    index, shortened = _window(values, frame, pre, post, freq)
    if shortened:
        emit(f"synthetic_control: {shortened}; drop or extend these donors", "data_quality")
    names = [str(c) for c in frame.columns]
    y_raw = values.reindex(index).to_numpy(dtype=np.float64)
    Y_raw = frame.reindex(index).to_numpy(dtype=np.float64)
    _check_window(y_raw, Y_raw, names, label, index, log)
    _check_design(y_raw, Y_raw, names, label, index, first, ev_label, shortened)
    n_pre = int((index < first).sum())
    n = len(index)
    y = np.log(y_raw) if log else y_raw
    Y = np.log(Y_raw) if log else Y_raw
    # every outcome divided by one power of two (exact): at any unit the weights and ratios
    # are the same and the RMSPEs scale exactly, and no square overflows or underflows
    scale = float(pow2_scale(max(float(np.max(np.abs(y))), float(np.max(np.abs(Y))))))
    fit = _fit(y / scale, Y / scale, n_pre, demean, scale)
    _warn_poor_fit(fit, y / scale, Y / scale, n_pre, demean, label, scale)
    placebos = _placebos(Y / scale, names, n_pre, demean, scale) if placebo else None
    p_value = None if placebos is None else _placebo_p_value(placebos, fit, len(names))
    synthetic_level = np.exp(fit.synthetic) if log else fit.synthetic
    path = pd.DataFrame(
        {
            "actual": y_raw,
            "synthetic": synthetic_level,
            "counterfactual": synthetic_level,
            "gap": y_raw - synthetic_level,
            "outcome": y,
            "synthetic_outcome": fit.synthetic,
            "outcome_gap": fit.gap,
            "post": np.arange(n) >= n_pre,
        },
        index=pd.PeriodIndex(index, name="period"),
    )
    average = float(fit.gap[n_pre:].mean())
    lost = LostTrade(
        float(np.sum(synthetic_level[n_pre:] - y_raw[n_pre:])), None, None, first, index[-1], unit
    )
    return SyntheticControlResult(
        weights=pd.Series(fit.weights, index=pd.Index(names, name="donor"), name="weight"),
        path=path,
        lost=lost,
        average_effect=average,
        rmspe_pre=fit.rmspe_pre,
        rmspe_post=fit.rmspe_post,
        rmspe_ratio=fit.ratio,
        placebos=placebos,
        p_value=p_value,
        event_periods=(first,),
        event_labels=(ev_label,),
        nobs=n,
        label=label,
        unit=unit,
        options={
            "pre": str(index[0]),
            "post": str(index[-1]),
            "event": str(first),
            "log": log,
            "demean": demean,
            "placebo": placebo,
            "n_donors": len(names),
            "n_pre": n_pre,
            "n_post": n - n_pre,
        },
    )


def _donors_of(
    donors: Any, freq: Frequency, series: TradeSeries | None
) -> tuple[pd.DataFrame, str]:
    """The donors' wide frame and the unit of the comparison (refusing another unit)."""
    frame, donor_unit = _donor_frame(donors, freq)
    unit = series.unit if series is not None else ""
    check_same_unit(donor_unit, series, "donors", against="the treated series")
    return frame, unit or (donor_unit or "")


def _check_design(
    y_raw: np.ndarray,
    Y_raw: np.ndarray,
    names: list[str],
    label: str,
    index: pd.PeriodIndex,
    first: pd.Period,
    ev_label: str,
    shortened: str = "",
) -> None:
    """Refuse a donor that is the treated series, and an event without periods either side.

    ``shortened`` (which donors shortened the window) is added to the messages on the window.
    """
    why = f"; {shortened}" if shortened else ""
    same = [n for j, n in enumerate(names) if n == label or np.array_equal(Y_raw[:, j], y_raw)]
    if same:
        raise DataValidationError(
            f"donors: {', '.join(map(repr, same))} is the treated series ({label}) — same name "
            "or same values in the window; remove it from the donors",
            field="donors",
            value=same,
        )
    if first <= index[0] or first > index[-1]:
        where = "in the window's first period" if first == index[0] else "outside the window"
        raise DataValidationError(
            f"event: {ev_label} starts in {first}, {where} {index[0]} to {index[-1]}; "
            f"synthetic control needs pre-event and post-event periods{why}",
            field="event",
            value=ev_label,
        )
    n_pre = int((index < first).sum())
    if n_pre < 2:
        raise InsufficientDataError(
            f"synthetic_control needs at least 2 pre-event periods before {ev_label} "
            f"({first}), got {n_pre} in the window {index[0]} to {index[-1]}{why}"
        )


def _warn_poor_fit(
    fit: _Fit, y: np.ndarray, Y: np.ndarray, n_pre: int, demean: bool, label: str, scale: float
) -> None:
    """Warn of a pre-period fit worse than the treated unit's mean, or a level out of reach.

    ``y`` and ``Y`` are divided by ``scale`` (as in :func:`_fit`); the numbers of the
    messages are in the unit of the outcome.
    """
    sd_pre = float(np.std(y[:n_pre])) * scale
    if fit.rmspe_pre > sd_pre and not fit.exact:
        hint = "" if demean else "try demean=True or "
        emit(
            f"synthetic_control: the pre-period RMSPE ({fit.rmspe_pre:.4g}) exceeds the "
            f"standard deviation of {label}'s pre-period outcome ({sd_pre:.4g}); the donors "
            f"do not reproduce its path — {hint}choose other donors",
            "fit",
        )
    if not demean:
        means = Y[:n_pre].mean(axis=0) * scale
        own = float(y[:n_pre].mean()) * scale
        if own < means.min() or own > means.max():
            emit(
                f"synthetic_control: {label}'s pre-period mean outcome ({own:.4g}) lies "
                f"outside the donors' range ({means.min():.4g} to {means.max():.4g}); no "
                "convex combination can match its level — use demean=True",
                "extrapolation",
            )


def _placebo_p_value(placebos: pd.DataFrame, fit: _Fit, n_donors: int) -> float | None:
    """The in-space placebo p-value (None for an exact fit); warn when few placebos are usable."""
    used = placebos[placebos["status"] == "used"]
    if len(used) < MIN_PLACEBOS:
        k = len(used) + 1
        smallest = "none" if k == 1 else f"1/{k} = {1 / k:.3g}"
        emit(
            f"synthetic_control: only {len(used)} usable placebo(s) from {n_donors} "
            f"donor(s); the smallest attainable placebo p-value is {smallest}",
            "inference",
        )
    if len(used) and not fit.exact and math.isfinite(fit.ratio):
        return rank_p_value(used["ratio"].to_numpy(), fit.ratio)
    return None
