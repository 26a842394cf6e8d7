"""Structural gravity with sanction variables: PPML with high-dimensional fixed effects.

``bt.gravity(panel, catalog)`` estimates, on the bilateral flows of a
:class:`~bilateral_trade.TradePanel`, ``X_ijt = exp(b'S_ijt + fixed effects) * e_ijt``
by Poisson pseudo-maximum likelihood (PPML), where ``S_ijt`` are sanction dummies built
from an :class:`~bilateral_trade.EventCatalog` or a table of measures (GSDB-like). The
estimator is pyfixest's ``fepois`` (an optional extra: ``pip install
'bilateral-trade[gravity]'``); this module builds the sample and the sanction variables,
drops and counts what PPML cannot use, and reports coefficients, percent effects and the
trade lost, with cluster-robust inference. See the user guide page "Sanctions across
many pairs" for the model, the rule that turns measures into dummies and a worked example.
"""

from __future__ import annotations

import importlib
import warnings
from collections.abc import Iterable, Mapping, Sequence
from typing import Any, Literal

import numpy as np
import pandas as pd

from ..._util.compat import renamed_keyword
from ...data.events import EventCatalog
from ...data.panel import TradePanel
from ...errors import DataValidationError, InsufficientDataError, MissingDependencyError
from ...models.caveats import collecting, emit
from ...models.validators import (
    check_bool,
    check_choice,
    check_int,
    check_level,
    check_number,
    pow2_scale,
)
from ._measures import By, _label, _measures
from ._result import GravityResult, _result
from ._sample import (
    Cluster,
    FixedEffects,
    _codes,
    _fixed_effects,
    _prune,
    _Sample,
    _sample,
    _variables,
)

__all__ = ["gravity"]

_EXTRA = "pip install 'bilateral-trade[gravity]'"


def _engine() -> Any:
    try:
        return importlib.import_module("pyfixest")
    except ModuleNotFoundError as exc:
        if exc.name is not None and exc.name.split(".")[0] != "pyfixest":
            raise
        raise MissingDependencyError(
            "gravity needs pyfixest, the estimator of PPML with high-dimensional fixed "
            f"effects, which is not installed; install the extra: {_EXTRA}"
        ) from None


def _fit(
    pf: Any,
    data: pd.DataFrame,
    xnames: list[str],
    fenames: list[str],
    *,
    separation: bool,
    tol: float,
    max_iter: int,
) -> tuple[Any, list[str]]:
    """Run fepois; return the fit and the messages of the warnings it raised."""
    from pyfixest.demeaners import MapDemeaner

    formula = f"y ~ {' + '.join(xnames)} | {' + '.join(fenames)}"
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        fit = pf.fepois(
            formula,
            data,
            vcov={"CRV1": "cluster"},
            ssc=pf.ssc(k_adj=False, k_fixef="none", G_adj=True, G_df="conventional"),
            fixef_rm="none",
            separation_check=["ir"] if separation else [],
            iwls_tol=tol,
            iwls_maxiter=max_iter,
            demeaner=MapDemeaner(fixef_tol=tol),
            copy_data=False,
        )
    return fit, [str(w.message) for w in caught]


# ------------------------------------------------------------------------------ gravity
@renamed_keyword("sanctions", "catalog")
def gravity(
    panel: TradePanel | pd.DataFrame,
    catalog: EventCatalog | pd.DataFrame,
    *,
    fixed_effects: FixedEffects | str | Sequence[str] = "structural",
    cluster: Cluster = "pair",
    by: By | None = None,
    target: str | Sequence[str] | None = None,
    reports: Literal["exporter", "importer"] = "exporter",
    product: str | None = None,
    absent: Literal["missing", "zero"] = "missing",
    blocs: Mapping[str, Iterable[str]] | None = None,
    level: float = 0.95,
    separation: bool = True,
    tol: float = 1e-10,
    max_iter: int = 100,
) -> GravityResult:
    """Estimate the effect of sanctions on bilateral trade with a structural gravity model.

    Parameters
    ----------
    panel : TradePanel or pandas.DataFrame
        Bilateral flows (a DataFrame is validated as a :class:`TradePanel`, so negative,
        missing and non-finite values are refused). Exporters' reports of exports are used
        (exporter = reporter); importers' reports of imports only with
        ``reports="importer"``. Zeros are kept. Rows with the world (``WLD``) as reporter or
        partner are left out (counted in ``sample["world_rows"]``).
    catalog : EventCatalog or pandas.DataFrame
        The sanctions measures (the old keyword ``sanctions=`` still works, with a
        :class:`FutureWarning`). A catalog: each ``sanctions_resolution`` binds its target
        and every UN member; an event with an ``actor`` (and ``target``) attribute binds the
        actor's countries and the target's; vetoes and events without a sanctioning country
        are left out (listed in ``skipped``). A DataFrame (GSDB-like): one row per measure with
        ``sanctioning, target, start`` and optionally ``end`` (empty: still in force),
        ``kind`` (default ``"sanctions"``) and ``reference``; countries are ISO 3166-1
        alpha-3 codes, ``;``-separated lists or blocs (:data:`BLOCS`); ``start``/``end``
        are periods (``2014``, ``"2014-03"``) or dates (``"2014-03-17"``).
    fixed_effects : {"structural", "pair+time"} or list of str
        ``"structural"``: exporter×period, importer×period and (directed) pair;
        ``"pair+time"``: pair and period; or a list of names built from ``exporter``,
        ``importer``, ``pair`` and ``period`` (``time``), interactions joined by ``^``.
    cluster : {"pair", "exporter", "importer"}
        Clustering of the standard errors (pairs are directed, as the pair fixed effects).
    by : {None, "kind", "direction"}
        One sanction variable (None), one per kind of measure, or two by direction:
        ``sanctions:to_target`` (flows from a sanctioning country to its target) and
        ``sanctions:from_target`` (flows from the target to a sanctioning country).
    target : str or list of str, optional
        The target of catalog events that name none (events have no target field yet), e.g.
        ``"PRK"``.
    reports : {"exporter", "importer"}
        Whose declarations are the flows.
    product : str, optional
        The product to use when the panel holds several (e.g. ``"TOTAL"``).
    absent : {"missing", "zero"}
        ``"zero"`` treats every exporter–importer–period combination of the panel's
        countries and periods that has no row as a zero flow (BACI lists positive flows
        only); ``"missing"`` (default) uses the rows as they are.
    blocs : mapping, optional
        Extra or replacement country groups, e.g. ``{"EU": [...]}``.
    level : float
        Confidence level of the intervals (default 0.95).
    separation : bool
        Run pyfixest's iterative-rectifier separation check (default True).
    tol, max_iter : float, int
        Convergence tolerance of the IRLS iterations and of the fixed-effect demeaning, and
        the maximum number of IRLS iterations.

    Returns
    -------
    GravityResult

    Raises
    ------
    MissingDependencyError
        pyfixest is not installed (an :class:`ImportError` naming the extra to install).
    DataValidationError
        Bad input: no directed flows, several products without ``product``, an unknown
        country or bloc, a malformed table of measures, a bad option.
    InsufficientDataError
        No observation is treated, a sanction variable is absorbed by the fixed effects
        (collinear), too few observations remain, the observations left fall in fewer than
        ``k + 1`` clusters for ``k`` sanction variables (a single cluster is always
        refused), or the estimation does not converge.

    Warns
    -----
    DataQualityWarning
        Once per caveat, also kept in ``result.caveats``: fewer than 10 clusters in the
        sample, or holding a variable's treated observations; an unfinished separation
        check. Called inside :func:`bilateral_trade.models.caveats.collecting`, the caveats
        go to the collector instead.

    Notes
    -----
    The model is ``E[X_ijt] = exp(b'S_ijt + fixed effects)``, estimated by PPML
    (Santos Silva and Tenreyro 2006) with pyfixest's ``fepois`` (the ppmlhdfe algorithm of
    Correia, Guimarães and Zylkin 2020). ``S_ijt`` is 1 when a measure binding exporter
    ``i`` and importer ``j`` is in force for the whole of period ``t``: from the first
    period that starts on or after its first day (as :meth:`TradeEvent.first_period`) to
    the last period that ends on or before its last day. Measures grouped into one
    variable are combined by "any is in force".

    Before estimation, observations in fixed-effect groups whose flows are all zero and
    singletons are dropped, repeatedly until none is left; the iterative-rectifier check
    then drops observations separated by the regressors. Each is counted in ``dropped``.

    Standard errors are cluster-robust (CR1) with the small-sample factor ``G/(G − 1)``
    only (``G`` clusters), as Stata applies to maximum-likelihood estimators; no
    ``(N − 1)/(N − K)`` factor. This equals statsmodels' GLM Poisson cluster covariance
    with explicit dummies (``use_correction=False``) times ``G/(G − 1)``. Intervals and
    p-values use the normal distribution. The percent effect is ``exp(β) − 1``, its
    interval the Wald interval transformed.

    Trade lost is ``L = sum over treated observations of mu_ijt * (exp(-b'S_ijt) - 1)``
    (``mu`` the fitted values); its variance is the delta method in ``b``, ``g' V g`` with
    ``g = -sum mu * exp(-b'S) * S``. With one variable (or variables that treat disjoint
    observations) the PPML first-order condition makes the fitted treated trade equal the
    actual, so ``L = (exp(-b) - 1)`` times the actual treated trade, exactly.

    References
    ----------
    Santos Silva, J. M. C. and Tenreyro, S. (2006). The log of gravity. *Review of
    Economics and Statistics* 88(4), 641–658.

    Yotov, Y. V., Piermartini, R., Monteiro, J.-A. and Larch, M. (2016). *An Advanced Guide
    to Trade Policy Analysis: The Structural Gravity Model*. WTO and UNCTAD.

    Correia, S., Guimarães, P. and Zylkin, T. (2020). Fast Poisson estimation with
    high-dimensional fixed effects. *Stata Journal* 20(1), 95–115.

    Felbermayr, G., Kirilakha, A., Syropoulos, C., Yalcin, E. and Yotov, Y. V. (2020). The
    Global Sanctions Data Base. *European Economic Review* 129, 103561.

    Examples
    --------
    >>> import bilateral_trade as bt
    >>> from bilateral_trade.stats.gravity import simulate_panel
    >>> panel, measures = simulate_panel(countries=12, years=6, effect=-0.7, seed=1)
    >>> result = bt.gravity(panel, measures)  # doctest: +SKIP
    >>> result.effect()  # exp(beta) - 1  # doctest: +SKIP
    """
    panel, fes = _checked_options(
        panel,
        fixed_effects=fixed_effects,
        cluster=cluster,
        by=by,
        reports=reports,
        absent=absent,
        level=level,
        tol=tol,
        max_iter=max_iter,
    )
    measures, skipped = _measures(catalog, target, blocs)
    pf = _engine()
    with collecting() as collected:  # kept on the result, and reported once below
        sample = _sample(panel, reports, product, absent)
        names, S, treats = _variables(sample, measures, by)
        fe_codes = [_codes(sample, name) for name in fes]
        cl_codes = _codes(sample, cluster)
        keep = np.ones(len(sample.y), dtype=bool)
        reason = np.zeros(len(sample.y), dtype=np.int8)
        _check_treated(names, S)
        _prune(sample.y, fe_codes, keep, reason)
        fit, messages = _estimate(
            pf,
            sample,
            names,
            S,
            fe_codes,
            cl_codes,
            keep,
            reason,
            fes,
            cluster=cluster,
            separation=check_bool(separation, "separation"),
            tol=tol,
            max_iter=max_iter,
        )
        _warn_unfinished_separation(messages)
        _check_clusters(names, S, keep, cl_codes, cluster)
        beta, V, mu = _coefficients(
            fit, names, fes, tol=tol, max_iter=max_iter, scale=flow_scale(sample.y)
        )
    caveats = tuple(dict.fromkeys(collected))  # the first of equal texts (and its kind)
    for caveat in caveats:
        emit(caveat)
    return _result(
        sample=sample,
        names=names,
        S=S,
        keep=keep,
        reason=reason,
        beta=beta,
        V=V,
        mu=mu,
        measures=measures,
        treats=treats,
        skipped=skipped,
        by=by,
        fes=fes,
        cluster=cluster,
        cl_codes=cl_codes,
        level=float(level),
        unit=panel.unit,
        caveats=caveats,
        options={
            "by": by,
            "target": None if target is None else _label(target),
            "reports": reports,
            "product": sample.product,
            "absent": absent,
            "level": float(level),
            "separation": "iterative rectifier" if separation else "off",
            "tol": tol,
            "max_iter": max_iter,
            **_sample_options(sample),
            "blocs": None if blocs is None else ", ".join(sorted(str(b) for b in blocs)),
            "engine": f"pyfixest {getattr(pf, '__version__', '?')}",
        },
    )


def _sample_options(sample: _Sample) -> dict[str, str]:
    """The frequency and the first and last period of the sample, for the options."""
    return {
        "frequency": sample.freq.value,
        "first_period": str(sample.periods[0]),
        "last_period": str(sample.periods[-1]),
    }


def _checked_options(
    panel: TradePanel | pd.DataFrame,
    *,
    fixed_effects: FixedEffects | str | Sequence[str],
    cluster: Any,
    by: Any,
    reports: Any,
    absent: Any,
    level: Any,
    tol: Any,
    max_iter: Any,
) -> tuple[TradePanel, tuple[str, ...]]:
    """The panel as a TradePanel and the fixed effects; refuse every bad option."""
    if not isinstance(panel, TradePanel):
        if isinstance(panel, pd.DataFrame):
            panel = TradePanel(panel)
        else:
            raise DataValidationError(
                f"panel: expected a TradePanel or a DataFrame, got {type(panel).__name__}",
                field="panel",
                value=type(panel).__name__,
            )
    fes = _fixed_effects(fixed_effects)
    check_choice(cluster, "cluster", ("pair", "exporter", "importer"))
    check_level(level)
    check_number(tol, "tol", minimum=0.0, maximum=1e-3, open_bounds=True)
    check_int(max_iter, "max_iter", minimum=1)
    if by is not None:
        check_choice(by, "by", ("kind", "direction"))
    check_choice(reports, "reports", ("exporter", "importer"))
    check_choice(absent, "absent", ("missing", "zero"))
    return panel, fes


def _check_treated(names: list[str], S: np.ndarray) -> None:
    """Refuse a sanction variable that treats no observation of the panel."""
    for k, name in enumerate(names):
        if not S[:, k].any():
            raise InsufficientDataError(
                f"{name}: no observation of the panel is treated (no flow between a "
                "sanctioning country and its target in a period the measure is in force); "
                "check the countries, the dates and the target"
            )


def _xnames(names: list[str]) -> list[str]:
    """The sanction variables' column names in the estimation frame."""
    return [f"s{k}" for k in range(len(names))]


def _estimation_frame(
    sample: _Sample,
    S: np.ndarray,
    fe_codes: list[np.ndarray],
    cl_codes: np.ndarray,
    xnames: list[str],
    idx: np.ndarray,
    *,
    guard: bool,
) -> pd.DataFrame:
    """The rows ``idx``: the flow, the sanction variables, the fixed effects and the cluster.

    The flows are divided by :func:`flow_scale` (a power of two: exact), so that PPML's sums
    neither overflow nor underflow whatever the unit; the coefficients of the sanction
    variables do not change (the fixed effects absorb the scale).
    """
    data = pd.DataFrame({"y": sample.y[idx] / flow_scale(sample.y)})
    for k, x in enumerate(xnames):
        data[x] = S[idx, k]
    if guard:  # a regressor that is never collinear, to learn what pyfixest drops
        data["guard"] = np.random.default_rng(0).standard_normal(len(idx))
    for k, codes in enumerate(fe_codes):
        data[f"fe{k}"] = codes[idx]
    data["cluster"] = cl_codes[idx]
    return data


def _estimate(
    pf: Any,
    sample: _Sample,
    names: list[str],
    S: np.ndarray,
    fe_codes: list[np.ndarray],
    cl_codes: np.ndarray,
    keep: np.ndarray,
    reason: np.ndarray,
    fes: tuple[str, ...],
    *,
    cluster: str,
    separation: bool,
    tol: float,
    max_iter: int,
) -> tuple[Any, list[str]]:
    """Fit PPML; drop the separated observations it finds and refit, at most ten times.

    ``keep`` and ``reason`` are updated with the observations dropped. Before each fit the
    clusters of the observations left are counted (:func:`_check_cluster_count`). When every
    variable is dropped as collinear, one more fit with a random guard regressor names the
    absorbed variables.
    """
    xnames = _xnames(names)
    fenames = [f"fe{k}" for k in range(len(fes))]
    fit: Any = None
    messages: list[str] = []
    guard = False
    for _ in range(10):
        _check_variables(names, S, keep, reason, sample)
        _check_cluster_count(sample, keep, cl_codes, cluster, len(names))
        idx = np.flatnonzero(keep)
        data = _estimation_frame(sample, S, fe_codes, cl_codes, xnames, idx, guard=guard)
        try:
            fit, messages = _fit(
                pf,
                data,
                [*xnames, "guard"] if guard else xnames,
                fenames,
                separation=separation,
                tol=tol,
                max_iter=max_iter,
            )
        except (ValueError, np.linalg.LinAlgError) as exc:
            text = " ".join(str(exc).split())
            if "collinear" in text and not guard:
                guard = True  # every variable was dropped: find out why
                continue
            raise InsufficientDataError(_failure_message(type(exc).__name__, text)) from exc
        except ZeroDivisionError as exc:  # G/(G - 1): the separation check left one cluster
            raise InsufficientDataError(
                f"cluster: the observations pyfixest's separation check leaves fall in a single "
                f"cluster (by {cluster}); a cluster-robust covariance needs at least two: "
                f"cluster by another variable ({_other_clusters(cluster)})"
            ) from exc
        separated = np.asarray(getattr(fit, "na_index", []), dtype=np.int64)
        if separated.size:
            rows = idx[separated]
            reason[rows] = 3
            keep[rows] = False
            _prune(sample.y, fe_codes, keep, reason)
            separation = False  # separated observations are out; refit on what is left
            guard = False
            continue
        if guard:
            kept = {str(c) for c in fit.coef().index}
            absorbed = [names[k] for k, x in enumerate(xnames) if x not in kept]
            raise InsufficientDataError(_absorbed_message(absorbed or names, fes))
        break
    assert fit is not None
    return fit, messages


def _warn_unfinished_separation(messages: list[str]) -> None:
    """Report when pyfixest's separation check stopped at its maximum number of iterations."""
    if any("separation check" in m and "maximum number of iterations" in m for m in messages):
        emit(
            "gravity: the iterative-rectifier separation check stopped at its maximum number "
            "of iterations; separated observations may remain (look for huge coefficients or "
            "standard errors)",
            "fit",
        )


def flow_scale(y: np.ndarray) -> float:
    """The power of two that brings the largest flow into [1, 2) (1 when every flow is 0)."""
    return float(pow2_scale(float(np.max(np.abs(y))) if len(y) else 0.0))


def _coefficients(
    fit: Any,
    names: list[str],
    fes: tuple[str, ...],
    *,
    tol: float,
    max_iter: int,
    scale: float = 1.0,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The estimates, their covariance and the fitted values; refuse a failed fit."""
    if not bool(getattr(fit, "convergence", True)):
        raise InsufficientDataError(
            f"gravity: the PPML iterations did not converge in {max_iter} iterations "
            f"(tolerance {tol:g}); raise max_iter or check the data for near-separation"
        )
    xnames = _xnames(names)
    coefnames = [str(c) for c in fit.coef().index]
    absorbed = [names[k] for k, x in enumerate(xnames) if x not in coefnames]
    if absorbed:
        raise InsufficientDataError(_absorbed_message(absorbed, fes))
    order = [coefnames.index(x) for x in xnames]
    beta = np.asarray(fit.coef(), dtype=np.float64)[order]
    V = np.asarray(fit._vcov, dtype=np.float64)[np.ix_(order, order)]
    # fitted values back in the unit of the data (the fit saw flows divided by the scale)
    mu = np.asarray(fit.predict(type="response"), dtype=np.float64) * scale
    if not (np.isfinite(beta).all() and np.isfinite(V).all() and np.isfinite(mu).all()):
        raise InsufficientDataError(
            "gravity: the estimates or their covariance are not finite numbers for these data "
            "(near-separation, or flows beyond the range of floating-point numbers once "
            "multiplied out); no standard error or p-value can be given"
        )
    return beta, V, mu


def _check_variables(
    names: list[str], S: np.ndarray, keep: np.ndarray, reason: np.ndarray, sample: _Sample
) -> None:
    if not keep.any():
        raise InsufficientDataError(
            "gravity: no observation is left once all-zero fixed-effect groups, singletons "
            "and separated observations are dropped"
        )
    used = S[keep]
    words = {1: "all-zero group", 2: "singleton", 3: "separated"}
    for k, name in enumerate(names):
        if not used[:, k].any():
            treated = S[:, k] > 0
            zeros = int((sample.y[treated] == 0).sum())
            why = ", ".join(
                f"{words[code]} {int((reason[treated] == code).sum())}"
                for code in (1, 2, 3)
                if (reason[treated] == code).any()
            )
            raise InsufficientDataError(
                f"{name}: none of its {int(treated.sum())} treated observations is left in the "
                f"estimation (dropped: {why}; {zeros} of them are zero flows), so its effect "
                "cannot be estimated: a treated flow that is zero throughout, or whenever it is "
                "treated, would give an effect of minus infinity"
            )


#: Fewer clusters than this (in the sample, or holding a variable's treated observations)
#: make cluster-robust standard errors unreliable: a caveat.
MIN_TREATED_CLUSTERS = 10

_CLUSTERS = ("pair", "exporter", "importer")


def _other_clusters(cluster: str) -> str:
    """The other ``cluster=`` choices, in words."""
    return " or ".join(f"cluster={c!r}" for c in _CLUSTERS if c != cluster)


def _check_cluster_count(
    sample: _Sample, keep: np.ndarray, cl_codes: np.ndarray, cluster: str, k: int
) -> None:
    """Refuse an estimation sample of fewer than ``k + 1`` clusters (at least 2).

    The scores of the sanction variables sum to zero at the estimate, so ``G`` clusters give
    a cluster-robust covariance of rank at most ``G - 1``: with one cluster it is zero times
    ``G/(G - 1)`` (undefined), with ``G <= k`` it is singular (a combination of the
    coefficients would have no sampling variance). The message counts the clusters the other
    choices of ``cluster=`` would give.

    Raises
    ------
    InsufficientDataError
        Fewer than ``max(2, k + 1)`` clusters among the observations kept.
    """
    count = len(np.unique(cl_codes[keep]))
    needed = max(2, k + 1)
    if count >= needed:
        return
    counts = {c: len(np.unique(_codes(sample, c)[keep])) for c in _CLUSTERS if c != cluster}
    usable = [f"cluster={c!r} gives {n}" for c, n in counts.items() if n >= needed]
    fix = (
        "cluster by another variable (" + ", ".join(usable) + ")"
        if usable
        else "no other choice of cluster= gives enough either ("
        + ", ".join(f"{c}: {n}" for c, n in counts.items())
        + "); use a panel with more countries"
    )
    variables = "one sanction variable" if k == 1 else f"{k} sanction variables"
    raise InsufficientDataError(
        f"cluster: the estimation sample (after dropping all-zero groups, singletons and "
        f"separated observations) falls in {count} cluster(s) by {cluster}; a cluster-robust "
        f"covariance of {variables} needs at least {needed} clusters (with G clusters it has "
        f"rank at most G - 1, and G/(G - 1) is undefined for G = 1); {fix}"
    )


def _check_clusters(
    names: list[str], S: np.ndarray, keep: np.ndarray, clusters: np.ndarray, cluster: str
) -> None:
    """Caveat of few clusters in the sample, or else of a variable's few treated clusters."""
    used = clusters[keep]
    total = len(np.unique(used))
    if total < MIN_TREATED_CLUSTERS:
        emit(
            f"gravity: the estimation sample falls in only {total} clusters (by {cluster}); "
            f"with fewer than {MIN_TREATED_CLUSTERS} clusters the cluster-robust standard "
            "errors are unreliable and tend to be too small, and normal (z) inference "
            f"overstates precision (Cameron and Miller 2015); cluster by another variable "
            f"({_other_clusters(cluster)}) or treat the p-values and intervals with caution",
            "inference",
        )
        return
    for k, name in enumerate(names):
        count = len(np.unique(used[S[keep, k] > 0]))
        if count < MIN_TREATED_CLUSTERS:
            emit(
                f"{name}: its treated observations fall in {count} cluster(s) (by {cluster}); "
                f"with fewer than {MIN_TREATED_CLUSTERS} treated clusters the cluster-robust "
                "standard error is unreliable and tends to be too small (MacKinnon and Webb "
                "2017); treat its p-value and interval with caution",
                "inference",
            )


def _failure_message(kind: str, text: str) -> str:
    return (
        f"gravity: the PPML estimation failed ({kind}: {text}); this often signals perfectly "
        "predicted zeros (separation) that the checks did not find, or fixed effects that are "
        "barely connected: look for countries whose flows are zero with most partners, use "
        "fixed effects that include pairs, or a looser tol"
    )


def _absorbed_message(absorbed: list[str], fes: tuple[str, ...]) -> str:
    text = (
        f"{', '.join(absorbed)}: the sanction variable is collinear with the fixed effects "
        f"({', '.join(fes)}) and cannot be estimated"
    )
    if "exporter^period" in fes and "importer^period" in fes:
        text += (
            "; a measure that binds the target with every partner in the panel (a UN "
            "resolution when every other country is a UN member, or the imports-from-target "
            "flows when all exporters to the target sanction it) varies only by "
            "exporter-period and importer-period, which the structural fixed effects absorb: "
            "use fixed_effects='pair+time', or a panel with countries the measure does not bind"
        )
    return text
