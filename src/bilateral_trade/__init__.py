"""bilateral_trade: bilateral trade series, sanctions events and structural-break analysis.

>>> import bilateral_trade as bt
>>> s = bt.datasets.china_dprk_trade()
>>> events = bt.datasets.dprk_sanctions()
>>> round(float(bt.yoy(s)[events.get("UNSCR 2397").first_period("A")]), 3)
-0.511
"""

from __future__ import annotations

from typing import Any

from . import datasets, io
from ._util.compat import alias_modules, moved_names, old_paths
from ._util.version import __version__
from .data import countries as _countries
from .data import events as _events
from .data import hs
from .data import panel as _panel
from .data import series as _series
from .data.events import EventCatalog, EventKind, TradeEvent
from .data.panel import TradePanel
from .data.periods import Frequency
from .data.series import Flow, TradeSeries
from .errors import (
    BilateralTradeError,
    BilateralTradeWarning,
    DataQualityWarning,
    DataValidationError,
    InsufficientDataError,
    UnknownCodeError,
    UnknownEventError,
)
from .io import read_csv
from .models.results import Caveat, Effect, LostTrade, NotComputed, Result, TestStatistic
from .present.report import Report, report
from .stats import breaks, screening
from .stats import growth as _growth
from .stats import impact as _impact
from .stats import synthetic as _synthetic
from .stats.breaks import (
    BreakTestResult,
    CusumTestResult,
    MultipleBreaksResult,
    SupFTestResult,
    bai_perron,
    chow_test,
    cusum_test,
    sup_f_test,
)
from .stats.exposure import BasketGap, basket_gap, baskets, exposure
from .stats.gravity import GravityResult, gravity
from .stats.growth import cagr, log_change, yoy, ytd_yoy
from .stats.impact import (
    ImpactResult,
    PlaceboResult,
    event_impact,
    placebo_test,
)
from .stats.mirror import MirrorResult, mirror
from .stats.recovery import RecoveryResult, recovery
from .stats.screening import screen
from .stats.synthetic import SyntheticControlResult, synthetic_control
from .workflow import analysis as _analysis
from .workflow import cases
from .workflow import window as _window
from .workflow.analysis import EventAnalysis, analyze
from .workflow.attribution import BreakAttribution, attribute_breaks
from .workflow.window import AnalysisWindow

# Old module paths (before the layers): ``import bilateral_trade.breaks`` and the like.
alias_modules(
    __name__,
    {
        "analysis": _analysis,
        "breaks": breaks,
        "cases": cases,
        "countries": _countries,
        "events": _events,
        "growth": _growth,
        "impact": _impact,
        "panel": _panel,
        "screening": screening,
        "series": _series,
        "synthetic": _synthetic,
        "window": _window,
    },
)
# names that left an old module for a later layer: still read there, with a FutureWarning
moved_names(
    _impact,
    {
        "attribute_breaks": "bilateral_trade.workflow.attribution",
        "BreakAttribution": "bilateral_trade.workflow.attribution",
    },
)
# old paths whose name is now a function of the package: their names, with a FutureWarning
old_paths(
    __name__,
    {
        "exposure": "bilateral_trade.stats.exposure",
        "gravity": "bilateral_trade.stats.gravity",
        "mirror": "bilateral_trade.stats.mirror",
        "recovery": "bilateral_trade.stats.recovery",
        "report": "bilateral_trade.present.report",
    },
    functions=True,
)
# old paths of modules loaded on demand (plot needs matplotlib)
old_paths(
    __name__,
    {"demo": "bilateral_trade.present.demo", "plot": "bilateral_trade.present.plot"},
    functions=False,
)

__all__ = [
    "AnalysisWindow",
    "BasketGap",
    "BilateralTradeError",
    "BilateralTradeWarning",
    "BreakAttribution",
    "BreakTestResult",
    "Caveat",
    "CusumTestResult",
    "DataQualityWarning",
    "DataValidationError",
    "Effect",
    "EventAnalysis",
    "EventCatalog",
    "EventKind",
    "Flow",
    "Frequency",
    "GravityResult",
    "ImpactResult",
    "InsufficientDataError",
    "LostTrade",
    "MirrorResult",
    "MultipleBreaksResult",
    "NotComputed",
    "PlaceboResult",
    "RecoveryResult",
    "Report",
    "Result",
    "SupFTestResult",
    "SyntheticControlResult",
    "TestStatistic",
    "TradeEvent",
    "TradePanel",
    "TradeSeries",
    "UnknownCodeError",
    "UnknownEventError",
    "__version__",
    "analyze",
    "attribute_breaks",
    "bai_perron",
    "basket_gap",
    "baskets",
    "breaks",
    "cagr",
    "cases",
    "chow_test",
    "cusum_test",
    "datasets",
    "event_impact",
    "exposure",
    "gravity",
    "hs",
    "io",
    "log_change",
    "mirror",
    "placebo_test",
    "read_csv",
    "recovery",
    "report",
    "screen",
    "screening",
    "sup_f_test",
    "synthetic_control",
    "yoy",
    "ytd_yoy",
]


def __getattr__(name: str) -> Any:
    """Load :mod:`bilateral_trade.present.plot` (and matplotlib) on first use of ``bt.plot``."""
    if name == "plot":
        import importlib

        return importlib.import_module(".present.plot", __name__)
    raise AttributeError(f"module 'bilateral_trade' has no attribute {name!r}")
