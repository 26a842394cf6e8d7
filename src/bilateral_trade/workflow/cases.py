"""The library's worked cases: each is a question asked of the embedded data.

A case names the series, the event, the catalog and the comparison series; the design of the
analysis (window, tests, models) is :func:`bilateral_trade.analyze`'s. ``bilateral-trade
demo``, ``bilateral-trade report`` without a file and the tutorial all render the same case,
so they print the same numbers.

- :func:`china_dprk_2397`: China–DPRK trade and the December 2017 resolutions (catalog
  ``"dprk"``).
- :func:`china_russia_2022`: China–Russia trade and the EU's first package of 2022 (catalog
  ``"russia"``).

:func:`plan_report` says which analysis ``bilateral-trade report`` renders for a request: the
worked case of the catalog, or the analysis of the series and event given.
"""

from __future__ import annotations

from collections.abc import Sequence
from contextlib import nullcontext
from typing import Any, NamedTuple

from .. import datasets
from ..data.events import EventCatalog
from ..models.caveats import collecting
from ..models.validators import check_bool
from .analysis import Counterfactual, EventAnalysis, analyze

__all__ = [
    "CASE_EVENTS",
    "CHINA_DPRK_COUNTERFACTUALS",
    "CHINA_RUSSIA_COUNTERFACTUALS",
    "ReportPlan",
    "china_dprk_2397",
    "china_russia_2022",
    "plan_report",
]

#: Headline first: the log gap between China–DPRK and China–world trade is flat before 2018
#: (2003–2017), so the control comparison needs no trend; the trend counterfactual is shown
#: beside it because it is what a single-series analysis would give.
CHINA_DPRK_COUNTERFACTUALS: tuple[Counterfactual, ...] = ("control", "trend")

#: The pre-event trend: China–Russia trade was growing fast before 2022, so the pre-event
#: mean overstates and the control comparison (Russia's share of China's trade) drifts up;
#: the trend is the lower bound (see the user guide's Russia page for all three).
CHINA_RUSSIA_COUNTERFACTUALS: tuple[Counterfactual, ...] = ("trend",)

#: The event of the worked case of each embedded catalog (:func:`bilateral_trade.datasets.catalog`).
CASE_EVENTS: dict[str, str] = {"dprk": "UNSCR 2397", "russia": "eu-2022-02-23"}


def china_dprk_2397(
    *,
    baseline: Any = 2019,
    window: tuple[Any, Any] | None = None,
    counterfactual: Counterfactual | Sequence[Counterfactual] = CHINA_DPRK_COUNTERFACTUALS,
    quiet: bool = True,
) -> EventAnalysis:
    """Answer: what did the December 2017 resolutions do to China–DPRK trade.

    :func:`~bilateral_trade.analyze` of China's total trade with the DPRK
    (:func:`~bilateral_trade.datasets.china_dprk_trade`) at UNSCR 2397 (2017-12-22) with the
    DPRK catalog (:func:`~bilateral_trade.datasets.dprk_sanctions`) and China's total trade
    with the world (:func:`~bilateral_trade.datasets.china_world_trade`) as the control
    series.

    Parameters
    ----------
    baseline : period, default 2019
        Baseline of the recovery (the pre-pandemic year).
    window : (start, end), optional
        Override the confounder rule (default 2003–2019: the data start, the COVID border
        closure of January 2020).
    counterfactual : str or sequence, default ("control", "trend")
        China's trade with the world is the control of ``"control"``.
    quiet : bool, default True
        Keep the analysis' :class:`~bilateral_trade.DataQualityWarning` in ``caveats``
        without emitting them (renderers print the caveats).

    Returns
    -------
    EventAnalysis
    """
    asked = (counterfactual,) if isinstance(counterfactual, str) else tuple(counterfactual)
    with collecting() if check_bool(quiet, "quiet") else nullcontext():
        return analyze(
            datasets.china_dprk_trade(),
            "UNSCR 2397",
            catalog=datasets.dprk_sanctions(),
            window=window,
            counterfactual=counterfactual,
            # the case's control, for the counterfactual that uses it (analyze refuses it
            # otherwise: counterfactual="mean" failed with "control: given")
            control=datasets.china_world_trade() if "control" in asked else None,
            baseline=baseline,
        )


def china_russia_2022(
    *,
    baseline: Any = None,
    window: tuple[Any, Any] | None = None,
    counterfactual: Counterfactual | Sequence[Counterfactual] = CHINA_RUSSIA_COUNTERFACTUALS,
    quiet: bool = True,
) -> EventAnalysis:
    """Answer: what happened to China–Russia trade after the EU's first package of 2022.

    :func:`~bilateral_trade.analyze` of China's total trade with Russia
    (:func:`~bilateral_trade.datasets.china_russia_trade`, GACC, 2013–2025) at the EU's
    first package of 2022 (``"eu-2022-02-23"``, first period 2023 in annual data) with the
    Russia catalog (:func:`~bilateral_trade.datasets.russia_sanctions`). It is the analysis
    ``bilateral-trade report --catalog russia`` renders.

    Parameters
    ----------
    baseline : period, (start, end) or float, optional
        Baseline of the recovery (default: the last period before the event).
    window : (start, end), optional
        Override the confounder rule (default 2015–2025: after the 2014 shocks, to the end
        of the data; the invasion of 2022-02-24 cannot be separated from the event and
        stays inside, named in the caveats).
    counterfactual : str or sequence, default ("trend",)
        ``"trend"`` and ``"mean"``; the case has no control series (``"control"`` needs
        :func:`~bilateral_trade.analyze` with ``control=``).
    quiet : bool, default True
        Keep the analysis' :class:`~bilateral_trade.DataQualityWarning` in ``caveats``
        without emitting them (renderers print the caveats).

    Returns
    -------
    EventAnalysis

    Raises
    ------
    DataValidationError
        The errors of :func:`~bilateral_trade.analyze` (a ``"control"`` counterfactual, a
        window outside the data).
    InsufficientDataError
        A window with too few periods before 2023 for the impact model.

    Notes
    -----
    The estimate is the joint effect of every measure that takes effect from 2023 in annual
    data and of the invasion; the analysis lists them in ``caveats``. The trend
    counterfactual extends the boom of 2015–2022 and is a lower bound.

    Examples
    --------
    >>> import bilateral_trade as bt
    >>> a = bt.cases.china_russia_2022()
    >>> str(a.window.start), str(a.window.end), str(a.first_period)
    ('2015', '2025', '2023')
    """
    with collecting() if check_bool(quiet, "quiet") else nullcontext():
        return analyze(
            datasets.china_russia_trade(),
            CASE_EVENTS["russia"],
            catalog=datasets.russia_sanctions(),
            window=window,
            counterfactual=counterfactual,
            baseline=baseline,
        )


class ReportPlan(NamedTuple):
    """What a report renders: the analysis (or the series to describe) and its baseline."""

    #: An :class:`~bilateral_trade.EventAnalysis`, or the series when no event is analysed.
    subject: Any
    #: The baseline of the report's recovery section (None: no recovery section).
    baseline: Any


def plan_report(
    name: str,
    catalog: EventCatalog,
    *,
    series: Any = None,
    control: Any = None,
    event: str | None = None,
    baseline: Any = None,
    window: tuple[Any, Any] | None = None,
    counterfactual: Sequence[Counterfactual] | None = None,
) -> ReportPlan:
    """The analysis ``bilateral-trade report`` renders for a catalog and a request.

    Without a series of its own, a control or an event other than the case's, the request
    is the worked case of the catalog: :func:`china_russia_2022` for ``"russia"``, else
    :func:`china_dprk_2397` (which reports the recovery against its baseline, 2019 unless
    ``baseline`` is given). Otherwise ``series`` (default: the catalog's embedded series)
    is analysed at ``event`` (default without a series: the case's event) with ``catalog``,
    against ``control`` when given (the default counterfactual is then ``"control"``, else
    ``"trend"``); a series without an event is only described.

    Parameters
    ----------
    name : str
        The catalog's name: ``"dprk"``, ``"russia"`` or any other (a catalog from a file,
        used with the DPRK data).
    catalog : EventCatalog
        The catalog the event is looked up in, and the report draws.
    series, control : TradeSeries, optional
    event : str, optional
        The reference of the event to analyse.
    baseline : period, (start, end) or float, optional
        Baseline of the recovery (None: none, or the case's own).
    window : (start, end), optional
    counterfactual : sequence of str, optional
        Headline first; empty or None: the default.

    Returns
    -------
    ReportPlan
        The subject for :func:`~bilateral_trade.report` and the baseline to report.

    Raises
    ------
    UnknownEventError
        ``event`` is not in ``catalog``.
    DataValidationError, InsufficientDataError
        The errors of :func:`~bilateral_trade.analyze`.
    """
    case_event = CASE_EVENTS["russia" if name == "russia" else "dprk"]
    if series is None and control is None and event in (None, case_event):
        return _case_plan(name, baseline, window, counterfactual)
    subject = series
    if subject is None:
        subject = datasets.china_russia_trade() if name == "russia" else datasets.china_dprk_trade()
    reference = event or (case_event if series is None else None)
    if reference is None:
        return ReportPlan(subject, baseline)
    with collecting():  # kept in the analysis' caveats
        analysis = analyze(
            subject,
            catalog.get(reference),
            catalog=catalog,
            window=window,
            counterfactual=counterfactual or ("control" if control is not None else "trend"),
            control=control,
            baseline=baseline,
        )
    return ReportPlan(analysis, baseline)


def _case_plan(
    name: str,
    baseline: Any,
    window: tuple[Any, Any] | None,
    counterfactual: Sequence[Counterfactual] | None,
) -> ReportPlan:
    """The worked case of catalog ``name`` with the options given (None: the case's own)."""
    if name == "russia":
        analysis = china_russia_2022(
            baseline=baseline,
            window=window,
            counterfactual=counterfactual or CHINA_RUSSIA_COUNTERFACTUALS,
        )
        return ReportPlan(analysis, baseline)
    analysis = china_dprk_2397(
        baseline=2019 if baseline is None else baseline,
        window=window,
        counterfactual=counterfactual or CHINA_DPRK_COUNTERFACTUALS,
    )
    return ReportPlan(analysis, analysis.options["baseline"])
