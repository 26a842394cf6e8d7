from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from scipy import stats

import bilateral_trade as bt
from bilateral_trade import DataValidationError
from bilateral_trade.datasets import SYNTHETIC_LINES

EVENTS = ["UNSCR 2371", "UNSCR 2375", "UNSCR 2397"]


@pytest.fixture(scope="module")
def panel() -> bt.TradePanel:
    return bt.datasets.synthetic_product_panel(seed=3)


@pytest.fixture(scope="module")
def catalog() -> bt.EventCatalog:
    return bt.datasets.dprk_sanctions()


def test_bans_by_direction(catalog: bt.EventCatalog) -> None:
    r2397 = catalog.get("UNSCR 2397")
    assert set(r2397.banned_exports) == {"12", "08", "07", "84", "85", "25", "44", "89"}
    assert {"86", "87", "72", "83"} <= set(r2397.banned_supply)
    assert catalog.get("UNSCR 2375").banned_exports[0] == "50"
    assert catalog.get("UNSCR 2087").banned_exports == ()


def test_exposure_shares(panel: bt.TradePanel, catalog: bt.EventCatalog) -> None:
    table = bt.exposure(panel, catalog, reporter="CHN", partner="PRK", flow="imports", base=2016)
    assert list(table.columns) == [
        "reference",
        "date",
        "banned_value",
        "base_value",
        "share",
        "cumulative_share",
        "hs_lines",
        "partial_lines",
    ]
    assert list(table["date"]) == sorted(table["date"])
    frame = panel.to_frame()
    base = frame[frame["period"] == pd.Period("2016", "Y")].set_index("product")["value"]
    total = float(base.sum())
    by_ref = table.set_index("reference")
    for ref in EVENTS:
        lines = [line for line, ban in SYNTHETIC_LINES.items() if ban == ref]
        assert set(by_ref.loc[ref, "hs_lines"].split(";")) == set(lines)
        assert by_ref.loc[ref, "share"] == pytest.approx(
            float(base[lines].sum()) / total, rel=1e-12
        )
    # 2270 banned coal and iron ore, which 2371 bans again: counted once
    banned = [line for line, ban in SYNTHETIC_LINES.items() if ban is not None]
    assert by_ref.loc["UNSCR 2397", "cumulative_share"] == pytest.approx(
        float(base[banned].sum()) / total, rel=1e-12
    )
    assert by_ref.loc["UNSCR 2371", "cumulative_share"] == pytest.approx(
        by_ref.loc["UNSCR 2371", "share"], rel=1e-12
    )


def test_baskets_and_gap(panel: bt.TradePanel, catalog: bt.EventCatalog) -> None:
    banned, other = bt.baskets(
        panel, catalog, reporter="CHN", partner="PRK", flow="imports", events=EVENTS
    )
    frame = panel.to_frame()
    assert float(banned.values.sum() + other.values.sum()) == pytest.approx(
        float(frame["value"].sum()), rel=1e-12
    )
    gap = bt.basket_gap(
        panel, catalog, reporter="CHN", partner="PRK", flow="imports", events=EVENTS
    )
    z = np.log(banned.values.to_numpy()) - np.log(other.values.to_numpy())
    years = banned.index.year
    pre, post = z[years < 2018], z[years >= 2018]
    welch = stats.ttest_ind(post, pre, equal_var=False)
    assert gap.estimate == pytest.approx(post.mean() - pre.mean(), rel=1e-12)
    assert gap.p_value == pytest.approx(welch.pvalue, rel=1e-8)
    assert gap.estimate / gap.std_error == pytest.approx(welch.statistic, rel=1e-10)
    assert gap.ci[0] < math.log(0.05) < gap.ci[1]  # the synthetic collapse
    assert str(gap.event_period) == "2018" and (gap.n_pre, gap.n_post) == (8, 6)


def test_real_product_facts() -> None:
    p = bt.datasets.china_dprk_products()
    wigs = p.series(product="6704", gaps="keep")
    assert wigs.values[pd.Period("2023", "Y")] == 166737894
    assert "partial_coverage" in wigs.flags_at(2023) and "derived" in wigs.flags_at(2022)


def test_bad_input(panel: bt.TradePanel, catalog: bt.EventCatalog) -> None:
    with pytest.raises(
        DataValidationError, match="base: 2030 is outside the pair's data \\(2010 to 2023\\)"
    ):
        bt.exposure(panel, catalog, reporter="CHN", partner="PRK", flow="imports", base=2030)
    only = bt.EventCatalog([catalog.get("UNSCR 2087"), catalog.get("UNSCR 2356")])
    with pytest.raises(DataValidationError, match="none of UNSCR 2087, UNSCR 2356 has an HS list"):
        bt.exposure(panel, only, reporter="CHN", partner="PRK", flow="imports", base=2016)
    with pytest.raises(DataValidationError, match="UNSCR 2087 has no HS list"):
        bt.baskets(
            panel, catalog, reporter="CHN", partner="PRK", flow="imports", events="UNSCR 2087"
        )
    with pytest.raises(DataValidationError, match="exposure is by direction"):
        bt.exposure(panel, catalog, reporter="CHN", partner="PRK", flow="total")
    chapters = panel.rollup(2)
    with pytest.raises(DataValidationError, match="lines 26, 27 are coarser than banned codes"):
        bt.baskets(
            chapters, catalog, reporter="CHN", partner="PRK", flow="imports", events=["UNSCR 2270"]
        )
    table = bt.exposure(chapters, catalog, reporter="CHN", partner="PRK", flow="imports", base=2016)
    assert "27" in table.set_index("reference").loc["UNSCR 2270", "partial_lines"]
