"""Panels simulated from a structural gravity model with a known sanction effect."""

from __future__ import annotations

import numpy as np
import pandas as pd

from ..errors import DataValidationError
from ..panel import TradePanel
from ._measures import UN_MEMBERS

__all__ = ["simulate_panel"]

#: Countries of simulated panels, in order (the target of the simulated measures comes first).
_SIM_TEXT = (
    "PRK USA JPN KOR GBR FRA DEU CAN AUS ITA NLD CHN IND BRA RUS MEX IDN TUR SAU CHE ESP POL "
    "SWE BEL THA ARG NGA AUT IRN ARE NOR ISR IRL SGP MYS ZAF PHL DNK COL BGD EGY CHL FIN VNM "
    "PAK ROU CZE PRT NZL PER GRC IRQ KAZ QAT DZA HUN KWT MAR UKR ECU"
)
_SIM_COUNTRIES = _SIM_TEXT.split()


def simulate_panel(
    countries: int = 20,
    years: int = 8,
    effect: float = -0.7,
    *,
    sanctioning: int = 5,
    start: int | None = None,
    scale: float = 1e6,
    seed: int = 0,
) -> tuple[TradePanel, pd.DataFrame]:
    """A panel simulated from a structural gravity model with a known sanction effect.

    Parameters
    ----------
    countries : int
        Number of countries (3 to the number of ISO codes in the list, about 200); the first
        is the target (``PRK``).
    years : int
        Number of years, from 2000.
    effect : float
        The true sanction coefficient β (log points; ``exp(β) − 1`` is the percent effect).
    sanctioning : int
        Number of sanctioning countries (the 2nd to the ``sanctioning + 1``-th).
    start : int, optional
        First year of the sanctions (default: the middle year).
    scale : float
        Value of one unit of the count process, in USD.
    seed : int
        Seed of the random generator.

    Returns
    -------
    (TradePanel, pandas.DataFrame)
        The exports of every country to every other (zeros included) and the measures: one
        row per sanctioning country (``sanctioning, target, start, end, kind``).

    Notes
    -----
    ``E[X_ijt] = scale · exp(1 + o_it + d_jt + p_ij + β S_ijt)`` with exporter–year and
    importer–year terms ``o, d ~ N(a_i, 0.5)`` (``a_i ~ N(0, 1)``), pair terms
    ``p_ij ~ N(0, 1)``, and ``S_ijt = 1`` for flows between a sanctioning country and the
    target from ``start``. ``X_ijt = scale · Poisson(E[X_ijt] · g / scale)`` with
    ``g ~ Gamma(2, 1/2)`` (mean 1): overdispersed, with zeros, and with the conditional mean
    PPML estimates.
    """
    codes = [c for c in _SIM_COUNTRIES if c in UN_MEMBERS]
    codes += sorted(UN_MEMBERS - set(codes))
    if isinstance(countries, bool) or not isinstance(countries, int):
        raise DataValidationError(
            f"countries: {countries!r} is not an integer", field="countries", value=countries
        )
    if not 3 <= countries <= len(codes):
        raise DataValidationError(
            f"countries: {countries} is not between 3 and {len(codes)}",
            field="countries",
            value=countries,
        )
    if not 1 <= sanctioning < countries:
        raise DataValidationError(
            f"sanctioning: {sanctioning} is not between 1 and {countries - 1}",
            field="sanctioning",
            value=sanctioning,
        )
    if not 2 <= years <= 200:
        raise DataValidationError(
            f"years: {years} is not between 2 and 200", field="years", value=years
        )
    first = 2000
    start = first + years // 2 if start is None else int(start)
    rng = np.random.default_rng(seed)
    n, t = countries, years
    a = rng.normal(0.0, 1.0, n)
    o = a[:, None] + rng.normal(0.0, 0.5, (n, t))
    d = a[:, None] + rng.normal(0.0, 0.5, (n, t))
    p = rng.normal(0.0, 1.0, (n, n))
    e, m, k = np.meshgrid(np.arange(n), np.arange(n), np.arange(t), indexing="ij")
    off = e != m
    e, m, k = e[off], m[off], k[off]
    senders = np.zeros(n, dtype=bool)
    senders[1 : sanctioning + 1] = True
    target = np.zeros(n, dtype=bool)
    target[0] = True
    bound = (senders[e] & target[m]) | (target[e] & senders[m])
    s = bound & (first + k >= start)
    mu = np.exp(1.0 + o[e, k] + d[m, k] + p[e, m] + effect * s)
    counts = rng.poisson(mu * rng.gamma(2.0, 0.5, mu.shape))
    names = np.asarray(codes[:n], dtype=object)
    frame = pd.DataFrame(
        {
            "reporter": names[e],
            "partner": names[m],
            "flow": "exports",
            "product": "TOTAL",
            "period": (first + k).astype(str),
            "value": counts * float(scale),
        }
    )
    panel = TradePanel(frame, source=f"simulated structural gravity (seed {seed})")
    measures = pd.DataFrame(
        {
            "sanctioning": names[1 : sanctioning + 1],
            "target": names[0],
            "start": start,
            "end": None,
            "kind": "trade",
        }
    )
    return panel, measures
