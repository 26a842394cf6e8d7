"""Structural-break tests: Chow, sup/ave/exp-F, Bai–Perron and CUSUM.

All tests share one model, ``y_t = x_t' b_j + u_t`` with an intercept always included
(``trend=True`` adds a linear trend, ``exog`` more regressors, ``log=True`` takes logs
of ``y``), and one convention: **a break period is the first period of the new
regime**. R's strucchange reports the last period of the old regime instead.
"""

from __future__ import annotations

from .baiperron import bai_perron
from .chow import chow_test
from .cusum import cusum_test
from .forecast import chow_forecast_test
from .results import (
    BreakTestResult,
    CusumTestResult,
    MultipleBreaksResult,
    Partition,
    SupFTestResult,
    TestStatistic,
)
from .supf import sup_f_test

__all__ = [
    "BreakTestResult",
    "CusumTestResult",
    "MultipleBreaksResult",
    "Partition",
    "SupFTestResult",
    "TestStatistic",
    "bai_perron",
    "chow_forecast_test",
    "chow_test",
    "cusum_test",
    "sup_f_test",
]
