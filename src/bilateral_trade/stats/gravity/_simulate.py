"""Panels simulated from a structural gravity model with a known sanction effect."""

from __future__ import annotations

import numpy as np
import pandas as pd

from ..._util.checks import check_int
from ...data.panel import TradePanel
from ._measures import UN_MEMBERS

__all__ = ["simulate_panel"]

#: Countries of simulated panels, in order: targets first, then the others.
_TARGETS = ("PRK", "IRN", "SYR", "CUB", "VEN", "MMR", "BLR", "RUS")
_SIM_TEXT = (
    "USA JPN KOR GBR FRA DEU CAN AUS ITA NLD CHN IND BRA MEX IDN TUR SAU CHE ESP POL "
    "SWE BEL THA ARG NGA AUT ARE NOR ISR IRL SGP MYS ZAF PHL DNK COL BGD EGY CHL FIN VNM "
    "PAK ROU CZE PRT NZL PER GRC IRQ KAZ QAT DZA HUN KWT MAR UKR ECU"
)
_SIM_COUNTRIES = _SIM_TEXT.split()


def _positive_int(value: object, field: str, lo: int, hi: int) -> int:
    return check_int(value, field, minimum=lo, maximum=hi)


def simulate_panel(
    countries: int = 20,
    years: int = 8,
    effect: float = -0.7,
    *,
    sanctioning: int = 5,
    targets: int = 1,
    start: int | None = None,
    heterogeneity: float = 1.0,
    scale: float = 1e6,
    seed: int = 0,
) -> tuple[TradePanel, pd.DataFrame]:
    """A panel simulated from a structural gravity model with a known sanction effect.

    Parameters
    ----------
    countries : int
        Number of countries (3 to 193, all UN members).
    years : int
        Number of years, from 2000.
    effect : float
        The true sanction coefficient β (log points; ``exp(β) − 1`` is the percent effect).
    sanctioning : int
        Number of sanctioning countries (``USA``, ``JPN``, ``KOR``… in this order).
    targets : int
        Number of targets (``PRK``, ``IRN``, ``SYR``… in this order; at most 8).
    start : int, optional
        First year of the sanctions (default: the middle year).
    heterogeneity : float
        Standard deviation of the country sizes and of the pair terms (below).
    scale : float
        Value of one unit of the count process, in USD.
    seed : int
        Seed of the random generator.

    Returns
    -------
    (TradePanel, pandas.DataFrame)
        The exports of every country to every other (zeros included) and the measures: one
        row per sanctioning country and target (``sanctioning, target, start, end, kind``).

    Notes
    -----
    ``E[X_ijt] = scale · exp(1.5 + o_it + d_jt + p_ij + β S_ijt)`` with exporter–year and
    importer–year terms ``o_it, d_it ~ N(a_i, 0.3²)``, sizes ``a_i ~ N(0, h²)`` and pair
    terms ``p_ij ~ N(0, h²)`` (``h = heterogeneity``), and ``S_ijt = 1`` for flows between a
    sanctioning country and a target from ``start`` on.
    ``X_ijt = scale · Poisson(E[X_ijt] · g / scale)`` with ``g ~ Gamma(4, 1/4)`` (mean 1):
    overdispersed, with zeros (about 15–25%), and with the conditional mean PPML estimates.
    """
    codes = [*_TARGETS, *(c for c in _SIM_COUNTRIES if c not in _TARGETS)]
    codes += sorted(UN_MEMBERS - set(codes))
    n = _positive_int(countries, "countries", 3, len(codes))
    t = _positive_int(years, "years", 2, 200)
    n_targets = _positive_int(targets, "targets", 1, min(len(_TARGETS), n - 1))
    n_senders = _positive_int(sanctioning, "sanctioning", 1, n - n_targets)
    first = 2000
    start = first + t // 2 if start is None else int(start)
    names = np.asarray(
        [*codes[:n_targets], *[c for c in codes[len(_TARGETS) :]][: n - n_targets]], dtype=object
    )
    rng = np.random.default_rng(seed)
    a = rng.normal(0.0, heterogeneity, n)
    o = a[:, None] + rng.normal(0.0, 0.3, (n, t))
    d = a[:, None] + rng.normal(0.0, 0.3, (n, t))
    p = rng.normal(0.0, heterogeneity, (n, n))
    e, m, k = np.meshgrid(np.arange(n), np.arange(n), np.arange(t), indexing="ij")
    off = e != m
    e, m, k = e[off], m[off], k[off]
    target = np.arange(n) < n_targets
    senders = (np.arange(n) >= n_targets) & (np.arange(n) < n_targets + n_senders)
    bound = (senders[e] & target[m]) | (target[e] & senders[m])
    s = bound & (first + k >= start)
    mu = np.exp(1.5 + o[e, k] + d[m, k] + p[e, m] + effect * s)
    counts = rng.poisson(mu * rng.gamma(4.0, 0.25, mu.shape))
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
    pairs = [(str(sd), str(tg)) for sd in names[senders] for tg in names[target]]
    measures = pd.DataFrame(
        {
            "sanctioning": [sd for sd, _ in pairs],
            "target": [tg for _, tg in pairs],
            "start": start,
            "end": None,
            "kind": "trade",
        }
    )
    return panel, measures
