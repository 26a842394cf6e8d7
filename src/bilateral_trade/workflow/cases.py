"""The library's worked cases: each is a question asked of the embedded data.

A case names the series, the event, the catalog and the comparison series; the design of the
analysis (window, tests, models) is :func:`bilateral_trade.analyze`'s. ``bilateral-trade
demo``, ``bilateral-trade report`` without a file and the tutorial all render the same case,
so they print the same numbers.
"""

from __future__ import annotations

import warnings
from collections.abc import Sequence
from typing import Any

from .. import datasets
from ..errors import DataQualityWarning
from .analysis import Counterfactual, EventAnalysis, analyze

__all__ = ["CHINA_DPRK_COUNTERFACTUALS", "china_dprk_2397"]

#: Headline first: the log gap between China–DPRK and China–world trade is flat before 2018
#: (2003–2017), so the control comparison needs no trend; the trend counterfactual is shown
#: beside it because it is what a single-series analysis would give.
CHINA_DPRK_COUNTERFACTUALS: tuple[Counterfactual, ...] = ("control", "trend")


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
    quiet : bool, default True
        Keep the analysis' :class:`~bilateral_trade.DataQualityWarning` in ``caveats``
        without emitting them (renderers print the caveats).

    Returns
    -------
    EventAnalysis
    """
    with warnings.catch_warnings():
        if quiet:
            warnings.simplefilter("ignore", DataQualityWarning)
        return analyze(
            datasets.china_dprk_trade(),
            "UNSCR 2397",
            catalog=datasets.dprk_sanctions(),
            window=window,
            counterfactual=counterfactual,
            control=datasets.china_world_trade(),
            baseline=baseline,
        )
