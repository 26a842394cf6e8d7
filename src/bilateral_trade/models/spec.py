"""The model specification: one frozen object that owns every rule of the regression model.

Every estimator of the package fits a version of one linear model,

    o_t = d_t' a_j + z_t' c_j + u_t,

where ``o_t`` is the outcome (``log y_t`` with ``log=True``, else ``y_t``), ``d_t`` the
deterministic terms (``"c"``: an intercept; ``"ct"``: an intercept and a linear trend
``t = 1, …, n``; plus seasonal dummies for quarterly and monthly data when asked), ``z_t``
the user's extra regressors (``exog``) and ``j`` the regime. The break tests let every
coefficient change at a break (pure structural change, as strucchange's formula interface);
the impact model keeps them fixed and adds event terms. A :class:`Spec` says which model;
its methods are the rules that used to be copied across modules:

* :meth:`Spec.coefficients` — the coefficients per regime ``k``;
* :meth:`Spec.periods_needed` — the fewest periods before and from an event the impact
  model can be fitted on (used by the window rule of :func:`bilateral_trade.analyze`);
* :meth:`Spec.min_segment`, :meth:`Spec.choose_trim`, :meth:`Spec.break_range` — trimming
  and the admissible break periods of sup-F, Bai–Perron and the screen;
* :meth:`Spec.chow_range` — the admissible break periods of the Chow test;
* :meth:`Spec.describe` — the model in words, for summaries, reports and the CLI;
* :meth:`Spec.hac` — the covariance choice with its lag rule.

Public functions keep their keywords (``log=``, ``trend=``, ``seasonal=``, ``cov=``,
``hac_lags=``) and translate them once, with :meth:`Spec.from_keywords`, so that names,
defaults and checks cannot drift between estimators.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Literal

from .._util.checks import check_bool, check_choice, check_int
from .._util.format import show
from ..data.periods import Frequency
from ..errors import DataValidationError, InsufficientDataError
from .caveats import emit

__all__ = [
    "COVARIANCES",
    "TABULATED_TRIMS",
    "CovType",
    "Deterministic",
    "Spec",
    "check_trim",
    "default_hac_lags",
]

#: Deterministic terms: ``"c"`` an intercept, ``"ct"`` an intercept and a linear trend.
Deterministic = Literal["c", "ct"]
#: Covariance of the coefficients: classical (homoskedastic), HC1 or Newey–West (HAC).
CovType = Literal["classical", "HC1", "HAC"]
COVARIANCES: tuple[CovType, ...] = ("classical", "HC1", "HAC")
#: The trimmings with published Bai–Perron (2003) critical values, smallest first.
TABULATED_TRIMS = (0.15, 0.20, 0.25)


def default_hac_lags(n: int) -> int:
    """The Newey–West (1994) lag rule ``floor(4 (n/100)^(2/9))`` (3 for n = 30, 4 for n = 200)."""
    return math.floor(4.0 * float((n / 100) ** (2 / 9)))


def check_trim(trim: Any, method: str) -> float | int:
    """Validate ``trim``: a fraction in (0, 0.5) or a positive whole number of observations.

    Returns it as a Python ``float`` or ``int``.

    Raises
    ------
    DataValidationError
        Anything else (a string, a bool, NaN, 0, 0.5, a negative number), naming ``trim``.
    """
    import numpy as np

    if isinstance(trim, bool | np.bool_) or not isinstance(
        trim, int | float | np.integer | np.floating
    ):
        raise DataValidationError(
            f"trim: {show(trim)} is not a number; give a fraction such as 0.15 or a whole "
            "number of observations",
            field="trim",
            value=trim,
        )
    if isinstance(trim, int | np.integer):
        if trim < 1:
            raise DataValidationError(
                f"trim: {show(trim)} observations is not a positive segment length",
                field="trim",
                value=trim,
            )
        return int(trim)
    if not 0 < trim < 0.5:
        raise DataValidationError(
            f"trim: {show(trim)} is outside (0, 0.5); give a fraction such as 0.15 or a whole "
            f"number of observations ({method})",
            field="trim",
            value=trim,
        )
    return float(trim)


@dataclass(frozen=True)
class Spec:
    """A regression model: outcome transform, deterministic terms, regressors, covariance.

    Parameters
    ----------
    log : bool, default False
        Model ``log y`` (every value must be positive) rather than ``y``.
    deterministic : {"c", "ct"}, default "c"
        An intercept (``"c"``), or an intercept and a linear trend (``"ct"``), as in
        arch's unit-root tests.
    seasonal : bool or "auto", default False
        Seasonal dummies (one fewer than the periods in a year) for quarterly and monthly
        data; ``"auto"`` adds them for sub-annual data; annual data never have them.
    exog : tuple of str, default ()
        Names of extra regressors (their values come with the data).
    cov : {"classical", "HC1", "HAC"}, default "classical"
        Covariance of the coefficients.
    hac_lags : int, optional
        Newey–West lags (``cov="HAC"``); default :func:`default_hac_lags` of ``n``.

    Examples
    --------
    >>> spec = Spec.from_keywords(log=True, trend=True)
    >>> spec.describe()
    'log value on an intercept and a linear trend'
    >>> spec.coefficients("A"), spec.periods_needed("A")
    (2, (3, 1))
    >>> spec.choose_trim(16, k=2)
    0.2
    """

    log: bool = False
    deterministic: Deterministic = "c"
    seasonal: bool | Literal["auto"] = False
    exog: tuple[str, ...] = ()
    cov: CovType = "classical"
    hac_lags: int | None = None

    # ------------------------------------------------------------------ construction
    @classmethod
    def from_keywords(
        cls,
        *,
        log: Any = False,
        trend: Any = False,
        seasonal: Any = False,
        exog: Any = (),
        cov: Any = "classical",
        hac_lags: Any = None,
    ) -> Spec:
        """The spec of a public function's keywords, each checked once, here.

        Raises
        ------
        DataValidationError
            ``log``/``trend`` not ``True``/``False`` (``"no"`` and ``None`` are refused),
            ``seasonal`` not a bool or ``"auto"``, an unknown ``cov``, ``hac_lags`` not a
            non-negative whole number.
        """
        log = check_bool(log, "log")
        trend = check_bool(trend, "trend")
        if not (isinstance(seasonal, str) and seasonal == "auto"):
            seasonal = check_bool(seasonal, "seasonal")
        cov = check_choice(cov, "cov", COVARIANCES)
        if hac_lags is not None:
            hac_lags = check_int(hac_lags, "hac_lags", minimum=0)
        names = tuple(str(c) for c in exog) if exog is not None else ()
        return cls(
            log=log,
            deterministic="ct" if trend else "c",
            seasonal=seasonal,
            exog=names,
            cov=cov,
            hac_lags=hac_lags,
        )

    @classmethod
    def from_options(cls, options: Mapping[str, Any]) -> Spec:
        """The spec that a result's ``options`` record.

        The keys ``log``, ``trend``, ``seasonal``, ``cov`` and ``hac_lags`` are read; an
        absent key takes the keyword's default. A result's model is rebuilt by this one
        function, so that a result, the report and the placebo test read the same model.
        """
        keys = ("log", "trend", "seasonal", "cov", "hac_lags")
        return cls.from_keywords(**{key: options[key] for key in keys if key in options})

    # ------------------------------------------------------------------ the terms
    @property
    def trend(self) -> bool:
        """Whether the model has a linear trend."""
        return self.deterministic == "ct"

    def seasonal_dummies(self, freq: Frequency | str) -> int:
        """The number of seasonal dummies for data of frequency ``freq`` (0 for annual data)."""
        f = Frequency.parse(freq)
        if f is Frequency.ANNUAL:
            return 0
        wanted = self.seasonal is True or self.seasonal == "auto"
        return f.periods_per_year - 1 if wanted else 0

    def coefficients(self, freq: Frequency | str = "A", n_exog: int | None = None) -> int:
        """Coefficients per regime: intercept, trend, seasonal dummies, extra regressors."""
        extra = len(self.exog) if n_exog is None else n_exog
        return 1 + int(self.trend) + self.seasonal_dummies(freq) + extra

    def periods_needed(
        self, freq: Frequency | str, *, model: Literal["level", "level+slope"] = "level"
    ) -> tuple[int, int]:
        """The fewest periods before and from an event that the impact model can be fitted on.

        Before the event: one per pre-event coefficient plus one degree of freedom. From the
        event on: one period, two for a slope change (``model="level+slope"``).
        """
        return self.coefficients(freq) + 1, 2 if model == "level+slope" else 1

    # ------------------------------------------------------------------ breaks
    @staticmethod
    def min_segment(trim: float | int, n: int, method: str = "the break test") -> int:
        """Minimal segment length ``h``: ``floor(trim * n)`` for a fraction, ``trim`` for an int.

        Raises
        ------
        DataValidationError
            ``trim`` neither in (0, 0.5) nor a positive integer.
        """
        checked = check_trim(trim, method)
        if isinstance(checked, int):
            return checked
        return math.floor(checked * n)

    def choose_trim(
        self, n: int, k: int | None = None, freq: Frequency | str = "A"
    ) -> float | None:
        """The smallest tabulated trimming whose minimal segment holds more than ``k`` periods.

        ``k`` defaults to :meth:`coefficients` for ``freq``. Returns None when even 0.25
        leaves segments too short for the model. :func:`bilateral_trade.analyze` and
        :func:`bilateral_trade.screen` (``trim="auto"``) both choose their trimming by it.
        """
        kk = self.coefficients(freq) if k is None else k
        for trim in TABULATED_TRIMS:
            if math.floor(trim * n) > kk:
                return trim
        return None

    @staticmethod
    def break_range(n: int, k: int, trim: float | int, method: str = "sup-F") -> tuple[int, int]:
        """Admissible positions of a break found by search: ``h`` to ``n - h``.

        A position ``p`` is the 0-based index of the first period of the new regime (the
        old regime holds ``p`` periods): strucchange's ``Fstats(from = h)`` candidates.

        Raises
        ------
        DataValidationError
            A whole-number ``trim`` below ``k + 1`` (segments too short for the model).
        InsufficientDataError
            Too few observations for the trimming (the message gives the minimum).
        """
        h = Spec.min_segment(trim, n, method)
        if isinstance(trim, int) and not isinstance(trim, bool):
            if h < k + 1:
                raise DataValidationError(
                    f"trim: {h} observations per regime is too few for {k} regressors; give at "
                    f"least {k + 1}",
                    field="trim",
                    value=trim,
                )
            if h > n - h:
                raise InsufficientDataError(
                    f"{method} with trim {h} needs at least {2 * h} observations, got {n}"
                )
            return h, n - h
        if h < k + 1 or h > n - h:
            need = next(
                m for m in range(n + 1, 100 * (k + 2) + n) if k + 1 <= math.floor(trim * m) <= m / 2
            )
            raise InsufficientDataError(
                f"{method} with trim {trim} and {k} regressor(s) needs at least {need} "
                f"observations, got {n}"
            )
        return h, n - h

    @staticmethod
    def min_nobs(k: int, breaks: int = 1, dof: int = 1) -> int:
        """The fewest observations for ``breaks`` breaks with ``k`` coefficients per regime.

        Every regime's coefficients plus ``dof`` residual degrees of freedom:
        ``(breaks + 1) k + dof`` (a Chow test with one break: ``2k + 1``; the pre-break
        regression of the predictive test, ``breaks=0``: ``k + 1``; the CUSUM tests,
        ``breaks=0, dof=2``: ``k + 2``, so that at least two recursive residuals follow the
        ``k`` periods that start the recursion).
        """
        return (breaks + 1) * k + dof

    @staticmethod
    def require_nobs(
        n: int, k: int, method: str, *, breaks: int = 1, dof: int = 1, where: str = ""
    ) -> None:
        """Refuse a sample shorter than :meth:`min_nobs`, in one wording for every test.

        ``where`` says which part of the sample was counted (e.g. ``" before the break"``).

        Raises
        ------
        InsufficientDataError
            ``n`` below ``min_nobs(k, breaks, dof)``, naming the method, the coefficients,
            the minimum and the count.
        """
        need = Spec.min_nobs(k, breaks, dof)
        if n < need:
            with_breaks = f"{breaks} break(s) and " if breaks else ""
            raise InsufficientDataError(
                f"{method} with {with_breaks}{k} coefficient(s) per regime needs at least {need} "
                f"observations{where}, got {n}"
            )

    @staticmethod
    def chow_range(n: int, k: int) -> tuple[int, int]:
        """Admissible positions of a Chow break: every regime holds more than ``k`` periods."""
        return k + 1, n - k - 1

    # ------------------------------------------------------------------ covariance
    def hac(self, n: int, stacklevel: int = 3) -> tuple[CovType, int | None]:
        """The covariance type and, for HAC, the lag (the Newey–West rule when not given).

        Raises
        ------
        DataValidationError
            A lag of ``n`` or more (no autocovariances at lag ``n`` or beyond).

        Warns
        -----
        DataQualityWarning
            More than ``n / 4`` lags: the Bartlett-kernel estimate then leans on
            autocovariances from few pairs of residuals and, since the residuals sum to zero,
            shrinks towards zero — standard errors too small, statistics too large.
        """
        if self.cov != "HAC":
            return self.cov, None
        rule = default_hac_lags(n)
        if self.hac_lags is None:
            return self.cov, rule
        lags = self.hac_lags
        if lags >= n:
            raise DataValidationError(
                f"hac_lags: {lags} lags with {n} observations; the lag must be below the number "
                f"of observations (the Newey–West rule gives {rule})",
                field="hac_lags",
                value=lags,
            )
        if lags > n / 4:
            emit(
                f"hac_lags: {lags} lags is more than a quarter of the {n} observations; the "
                "Newey–West covariance then rests on few pairs of residuals and understates "
                f"the standard errors (the Newey–West rule gives {rule})",
                "inference",
                stacklevel=stacklevel,
            )
        return self.cov, lags

    # ------------------------------------------------------------------ words
    def terms(self, freq: Frequency | str = "A") -> str:
        """The regressors in words: ``"an intercept and a linear trend"``."""
        parts = ["an intercept"]
        if self.trend:
            parts.append("a linear trend")
        dummies = self.seasonal_dummies(freq)
        if dummies:
            parts.append("month dummies" if dummies == 11 else "quarter dummies")
        parts += [repr(name) for name in self.exog]
        return parts[0] if len(parts) == 1 else ", ".join(parts[:-1]) + " and " + parts[-1]

    def describe(self, freq: Frequency | str = "A", *, breaks: bool = False) -> str:
        """The model in words: ``"log value on an intercept and a linear trend"``.

        Without a trend the text says ``"(mean only, no trend)"``; ``breaks=True`` adds
        ``"; every coefficient may break"`` (the break tests' pure structural change).
        """
        text = f"{'log value' if self.log else 'value (levels)'} on {self.terms(freq)}"
        if not self.trend and not self.exog and not self.seasonal_dummies(freq):
            text += " (mean only, no trend)"
        return text + ("; every coefficient may break" if breaks else "")

    def options(self) -> dict[str, Any]:
        """The model options as results record them."""
        return {"log": self.log, "trend": self.trend}
