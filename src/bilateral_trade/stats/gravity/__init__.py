"""Structural gravity with sanction variables (PPML with fixed effects): see :mod:`.estimate`."""

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
