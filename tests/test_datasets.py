"""The seed statements of the China–DPRK story, computed from the embedded data.

References are the published figures (Kyodo 2025-01-18: 2024 fell 5% to about $2.18bn;
Yonhap 2024-01-18: 2023 at 82.3% of 2019; KOTRA/Kyodo: above $6.5bn in 2013;
Reuters 2019-01-23: 2018 down 51.2% on the preliminary 2017 figure), compared at the
precision they were published with.
"""

from __future__ import annotations

import csv
import datetime as dt
from importlib.resources import files

import numpy as np
import pandas as pd
import pytest

import bilateral_trade as bt

Y = lambda year: pd.Period(year=year, freq="Y")  # noqa: E731


@pytest.fixture(scope="module")
def total() -> bt.TradeSeries:
    return bt.datasets.china_dprk_trade()


def test_total_metadata(total: bt.TradeSeries) -> None:
    assert (total.reporter, total.partner, total.flow, total.unit) == (
        "CHN",
        "PRK",
        bt.Flow.TOTAL,
        "USD",
    )
    assert (str(total.start), str(total.end), len(total)) == ("2003", "2025", 23)
    assert "GACC" in total.source


def test_2024_fell_5_percent_to_2_18bn(total: bt.TradeSeries) -> None:
    assert round(total.values[Y(2024)] / 1e9, 2) == 2.18
    assert round(float(bt.yoy(total)[Y(2024)]), 3) == -0.050


def test_2023_at_82_percent_of_2019(total: bt.TradeSeries) -> None:
    r = bt.recovery(total, baseline=2019)
    assert round(float(r.ratio[Y(2023)]), 3) == 0.823


def test_2013_above_6_5bn_and_peak(total: bt.TradeSeries) -> None:
    assert total.values[Y(2013)] > 6.5e9
    assert total.values.idxmax() == Y(2013)


def test_2018_collapse_after_unscr_2397(total: bt.TradeSeries) -> None:
    unscr = bt.datasets.dprk_sanctions().get("UNSCR 2397")
    assert unscr.date == dt.date(2017, 12, 22)
    first = unscr.first_period("A")
    assert first == Y(2018)
    assert round(float(bt.yoy(total)[first]), 3) == -0.511


def test_first_year_back_at_80_percent_after_closure(total: bt.TradeSeries) -> None:
    closure = bt.datasets.dprk_sanctions().get("covid_border 2020-01-31")
    r = bt.recovery(total, baseline=2019)
    assert r.first_at(0.8, after=closure.period("A")) == Y(2023)


def test_components_sum_to_total_within_rounding() -> None:
    x = bt.datasets.china_dprk_trade("exports")
    m = bt.datasets.china_dprk_trade("imports")
    t = bt.datasets.china_dprk_trade("total").slice(end=2024)
    both = x + m
    rel = np.abs(both.values.to_numpy() / t.values.to_numpy() - 1)
    assert rel.max() < 0.004  # SOURCES: components sum to the total within 0.4%


def test_flags_carried(total: bt.TradeSeries) -> None:
    assert total.flags_at(2016) == ("derived", "uncertain")
    assert total.flags_at(2022) == ("possibly_revised",)
    assert total.flags_at(2025) == ("preliminary",)
    assert total.flags_at(2023) == ()
    assert "source:" in total.notes[Y(2016)]
    assert bt.datasets.china_dprk_trade("exports").flags_at(2024) == ("derived", "uncertain")


def test_flows_end_2024() -> None:
    assert str(bt.datasets.china_dprk_trade("X").end) == "2024"


def test_kotra_definition() -> None:
    k = bt.datasets.china_dprk_trade(definition="kotra")
    assert (k.reporter, k.partner) == ("PRK", "CHN")
    assert k.values[Y(2013)] == 6.54e9
    assert np.isnan(k.values[Y(2019)]) and k.flags_at(2019) == ("missing",)
    exports_to_prk = bt.datasets.china_dprk_trade("exports", definition="kotra")
    assert exports_to_prk.flow is bt.Flow.IMPORTS  # the DPRK's imports from China
    with pytest.raises(bt.DataValidationError, match="definition: 'wto'"):
        bt.datasets.china_dprk_trade(definition="wto")  # type: ignore[arg-type]


def test_monthly_is_sparse_and_explicit() -> None:
    path = files("bilateral_trade.datasets") / "data" / "china_dprk_monthly.csv"
    with path.open(encoding="utf-8") as fh:
        rows = [r for r in csv.DictReader(fh) if r["total_usd"]]
    m = bt.datasets.china_dprk_monthly()
    assert m.frequency is bt.Frequency.MONTHLY
    assert (str(m.start), str(m.end)) == (rows[0]["period"], rows[-1]["period"])
    present = m.values.notna()
    assert int(present.sum()) == len(rows)
    missing = m.flagged("missing")
    assert len(missing) == len(m) - len(rows)
    assert (m.values[~present].isna()).all()
    assert m.values[pd.Period("2018-01", "M")] == 215_970_000
    assert "uncertain" in m.flags_at("2023-12")


def test_sanctions_catalog() -> None:
    c = bt.datasets.dprk_sanctions()
    resolutions = c.of_kind(bt.EventKind.SANCTIONS_RESOLUTION).references
    assert resolutions == tuple(
        f"UNSCR {n}" for n in (1695, 1718, 1874, 2087, 2094, 2270, 2321, 2356, 2371, 2375, 2397)
    )
    assert c.of_kind("veto").references == ("Vetoed draft 2022-05-26", "Vetoed draft 2024-03-28")
    assert len(c) == 11 + 2 + 44
    r2371 = c.get("UNSCR 2371")
    assert {"2701", "2601", "03"} <= set(r2371.hs_codes) and "hs_mapped" in r2371.flags
    assert {"84", "85", "72", "83"} <= set(c.get("UNSCR 2397").hs_codes)
    assert "uncertain" in c.get("UNSCR 1695").flags
    assert c.get("covid_reopening 2023").date_precision == "year"


def test_provenance_table() -> None:
    prov = bt.datasets.china_dprk_provenance()
    assert set(prov.columns) == {"year", "flow", "value", "flags", "reason", "source", "note"}
    row = prov[(prov.year == 2016) & (prov.flow == "total")].iloc[0]
    assert row["flags"] == "uncertain;derived" and "least trusted" in row["reason"]
