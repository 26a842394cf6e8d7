"""Example data shipped with the package: two sanctions cases.

North Korea: China–DPRK trade, China's trade with the world (a control series) and the DPRK
sanctions catalog. Russia: China–Russia trade and the catalog of EU, US and G7 measures,
Russia's countermeasures and the confounders of 2014–2025. Every figure carries its source;
derived or doubtful figures carry flags. See
``bilateral_trade/datasets/data/PROVENANCE.md`` for where each file comes from.
"""

from .loaders import (
    SYNTHETIC_LINES,
    catalog,
    catalogs,
    china_dprk_monthly,
    china_dprk_products,
    china_dprk_provenance,
    china_dprk_trade,
    china_russia_trade,
    china_world_trade,
    dprk_sanctions,
    russia_sanctions,
    synthetic_product_panel,
)

__all__ = [
    "SYNTHETIC_LINES",
    "catalog",
    "catalogs",
    "china_dprk_monthly",
    "china_dprk_products",
    "china_dprk_provenance",
    "china_dprk_trade",
    "china_russia_trade",
    "china_world_trade",
    "dprk_sanctions",
    "russia_sanctions",
    "synthetic_product_panel",
]
