"""Critical values of Bai and Perron (2003) for sup-F(m), sup-F(l+1|l), UDmax and WDmax (private).

The tables (``data/bai_perron_2003.json``) are the published asymptotic critical values
of Bai, J. and Perron, P. (2003), "Critical values for multiple structural change
tests", Econometrics Journal 6(1), 72–78, for trimming ``eps`` in 0.05, 0.10, 0.15,
0.20, 0.25, ``q = 1..10`` breaking regressors and the 10%, 5%, 2.5% and 1% levels.
The statistics are on the Wald scale per break (not divided by ``q``), like the F path of
:func:`bilateral_trade.sup_f_test`.
"""

from __future__ import annotations

import json
import math
from functools import cache
from importlib import resources
from typing import Any

__all__ = ["LEVELS", "Table", "table_for"]

#: Levels of the published tables, as fractions.
LEVELS = {"10%": 0.10, "5%": 0.05, "2.5%": 0.025, "1%": 0.01}


@cache
def _raw() -> dict[str, Any]:
    text = (
        resources.files("bilateral_trade.stats.breaks") / "data" / "bai_perron_2003.json"
    ).read_text(encoding="utf-8")
    data: dict[str, Any] = json.loads(text)
    return data


class Table:
    """The critical values for one trimming ``eps`` and ``q`` regressors."""

    def __init__(self, eps: str, q: int) -> None:
        raw = _raw()
        self.eps = eps
        self.q = q
        self.max_breaks = int(raw["max_breaks"][eps])
        self._raw = raw

    def sup_f(self, m: int) -> dict[str, float]:
        """Critical values of sup-F(m) (per break), ``m = 1..max_breaks``."""
        return {lev: self._raw["supF"][self.eps][lev][self.q - 1][m - 1] for lev in LEVELS}

    def sup_f_next(self, l_null: int) -> dict[str, float]:
        """Critical values of sup-F(l+1|l), ``l = 0..9``."""
        return {lev: self._raw["supF_next"][self.eps][lev][self.q - 1][l_null] for lev in LEVELS}

    def udmax(self) -> dict[str, float]:
        """Critical values of UDmax (at most ``max_breaks`` breaks)."""
        return {lev: self._raw["Dmax"][self.eps][lev][self.q - 1][0] for lev in LEVELS}

    def wdmax(self) -> dict[str, float]:
        """Critical values of WDmax (at most ``max_breaks`` breaks)."""
        return {lev: self._raw["Dmax"][self.eps][lev][self.q - 1][1] for lev in LEVELS}


def table_for(trim: float | int, h: int, n: int, q: int) -> tuple[Table | None, str]:
    """The table for the trimming ``trim`` (``h`` of ``n`` observations), or None and why.

    ``trim`` itself when it is a tabulated fraction, else the tabulated value nearest
    ``h / n`` (within 0.0125).
    """
    if q > 10:
        return None, f"Bai–Perron (2003) tabulate q = 1..10 breaking regressors, not {q}"
    for eps in _raw()["eps"]:
        if isinstance(trim, float) and abs(trim - float(eps)) < 1e-12:
            return Table(eps, q), ""
    ratio = h / n
    best = min(_raw()["eps"], key=lambda e: abs(float(e) - ratio))
    if abs(float(best) - ratio) > 0.0125:
        return None, (
            f"no Bai–Perron (2003) table for trimming h/n = {ratio:.3f} (tabulated: 0.05, "
            "0.10, 0.15, 0.20, 0.25)"
        )
    return Table(best, q), ""


def table_pvalue(stat: float, crit: dict[str, float]) -> float:
    """Upper bound on the p-value read off a table: the smallest level rejected, else 1."""
    if not math.isfinite(stat):
        return math.nan
    rejected = [LEVELS[lev] for lev, cv in crit.items() if stat > cv]
    return min(rejected) if rejected else 1.0
