"""bilateral_trade: bilateral trade series, sanctions events and structural-break analysis.

>>> import bilateral_trade as bt
>>> s = bt.datasets.china_dprk_trade()
>>> events = bt.datasets.dprk_sanctions()
>>> round(float(bt.yoy(s)[events.get("UNSCR 2397").first_period("A")]), 3)
-0.511
"""

from __future__ import annotations

from importlib.metadata import PackageNotFoundError, version
from typing import Any

from . import breaks, cases, datasets, io, screening
from ._periods import Frequency
from .analysis import EventAnalysis, analyze
from .breaks import (
    BreakTestResult,
    CusumTestResult,
    MultipleBreaksResult,
    SupFTestResult,
    bai_perron,
    chow_test,
    cusum_test,
    sup_f_test,
)
from .errors import (
    BilateralTradeError,
    BilateralTradeWarning,
    DataQualityWarning,
    DataValidationError,
    InsufficientDataError,
    UnknownEventError,
)
from .events import EventCatalog, EventKind, TradeEvent
from .exposure import BasketGap, basket_gap, baskets, exposure
from .gravity import GravityResult, gravity
from .growth import cagr, log_change, yoy, ytd_yoy
from .impact import (
    BreakAttribution,
    ImpactResult,
    PlaceboResult,
    attribute_breaks,
    event_impact,
    placebo_test,
)
from .io import read_csv
from .mirror import MirrorResult, mirror
from .panel import TradePanel
from .recovery import RecoveryResult, recovery
from .report import Report, report
from .screening import screen
from .series import Flow, TradeSeries
from .synthetic import SyntheticControlResult, synthetic_control
from .window import AnalysisWindow

try:
    __version__ = version("bilateral-trade")
except PackageNotFoundError:  # pragma: no cover - running from a source tree
    __version__ = "0+unknown"

__all__ = [
    "AnalysisWindow",
    "BasketGap",
    "BilateralTradeError",
    "BilateralTradeWarning",
    "BreakAttribution",
    "BreakTestResult",
    "CusumTestResult",
    "DataQualityWarning",
    "DataValidationError",
    "EventAnalysis",
    "EventCatalog",
    "EventKind",
    "Flow",
    "Frequency",
    "GravityResult",
    "ImpactResult",
    "InsufficientDataError",
    "MirrorResult",
    "MultipleBreaksResult",
    "PlaceboResult",
    "RecoveryResult",
    "Report",
    "SupFTestResult",
    "SyntheticControlResult",
    "TradeEvent",
    "TradePanel",
    "TradeSeries",
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
    """Load :mod:`bilateral_trade.plot` (and matplotlib) on first use of ``bt.plot``."""
    if name == "plot":
        import importlib

        return importlib.import_module(".plot", __name__)
    raise AttributeError(f"module 'bilateral_trade' has no attribute {name!r}")
