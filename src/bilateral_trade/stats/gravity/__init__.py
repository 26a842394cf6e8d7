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

from ...errors import MissingDependencyError
from ._measures import BLOCS, EU_MEMBERS, G7_MEMBERS, UN_MEMBERS, sanction_measures
from ._result import GravityResult
from ._simulate import simulate_panel
from .estimate import gravity

__all__ = [
    "BLOCS",
    "EU_MEMBERS",
    "G7_MEMBERS",
    "UN_MEMBERS",
    "GravityResult",
    "MissingDependencyError",
    "gravity",
    "sanction_measures",
    "simulate_panel",
]
