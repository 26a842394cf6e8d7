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


# --------------------------------------------------------------- China–World (control series)
# Reference figures typed in by hand from the sources named in the data's notes: GACC's
# English table "(5) Imports and Exports by Customs Regime, 12.2019" (US$1,000); the UN
# Statistical Yearbook table "Total imports, exports and balance of trade" (SYB68, US$
# million); the press releases quoted there.


@pytest.fixture(scope="module")
def world() -> bt.TradeSeries:
    return bt.datasets.china_world_trade()


def test_world_metadata(world: bt.TradeSeries) -> None:
    assert (world.reporter, world.partner, world.flow, world.unit, world.product) == (
        "CHN",
        "WLD",
        bt.Flow.TOTAL,
        "USD",
        "TOTAL",
    )
    assert world.frequency is bt.Frequency.ANNUAL
    assert (str(world.start), str(world.end), len(world)) == ("2003", "2025", 23)
    assert not world.flagged("missing").size
    assert "GACC" in world.source and "UN Comtrade" in world.source
    for flow in ("exports", "imports", "X", "M"):
        s = bt.datasets.china_world_trade(flow)
        assert (str(s.start), str(s.end), len(s)) == ("2003", "2025", 23)
    assert bt.datasets.china_world_trade("X").flow is bt.Flow.EXPORTS
    with pytest.raises(bt.DataValidationError, match="flow"):
        bt.datasets.china_world_trade("re-exports")


def test_world_values_from_the_sources(world: bt.TradeSeries) -> None:
    x = bt.datasets.china_world_trade("exports").values
    m = bt.datasets.china_world_trade("imports").values
    # 2013: "foreign trade surpasses $4 tn", GACC rounded to 0.01 tn: 4.16 / 2.21 / 1.95
    assert world.values[Y(2013)] == 4.16e12
    assert (x[Y(2013)], m[Y(2013)]) == (2.21e12, 1.95e12)
    # 2019: GACC's December 2019 table, 1-12 column, US$1,000: 2,499,028,927 and 2,077,097,114
    assert x[Y(2019)] == 2_499_028_927 * 1_000
    assert m[Y(2019)] == 2_077_097_114 * 1_000
    assert world.values[Y(2019)] == (2_499_028_927 + 2_077_097_114) * 1_000
    # 2024: UN Comtrade (SYB68, US$ million): exports 3,576,543, imports 2,585,135
    assert (x[Y(2024)], m[Y(2024)]) == (3_576_543e6, 2_585_135e6)
    assert world.values[Y(2024)] == 6_161_678e6
    # 2003: "China's total trade volume hit US$851.2 billion last year"
    assert round(world.values[Y(2003)] / 1e9, 1) == 851.2
    # 2009: the published rounded total, not the sum of the flows
    assert world.values[Y(2009)] == 2.21e12
    # 2025: preliminary, rounded: exports 3.77 tn, imports 2.58 tn
    assert (x[Y(2025)], m[Y(2025)], world.values[Y(2025)]) == (3.77e12, 2.58e12, 6.35e12)


def test_world_growth_from_levels_not_published_rates() -> None:
    # GACC published 2023 exports -4.6% on a revised base; the level ratio is -6.0%
    x = bt.datasets.china_world_trade("exports")
    assert round(float(bt.yoy(x)[Y(2023)]), 3) == round(3_379_748 / 3_593_601 - 1, 3) == -0.060


def test_world_sum_rule() -> None:
    t = bt.datasets.china_world_trade("total")
    both = bt.datasets.china_world_trade("exports") + bt.datasets.china_world_trade("imports")
    diff = (t.values - both.values).to_dict()
    assert {p.year: d for p, d in diff.items() if d != 0} == {2009: 5e9, 2020: -1e6}
    assert [p.year for p in t.flagged("sum_mismatch")] == [2009, 2020]
    # a total flagged derived is exports + imports, exactly
    for p in t.flagged("derived"):
        assert t.values[p] == both.values[p]
    assert "2.205 tn" in t.notes[Y(2009)] and "4,646,258m" in t.notes[Y(2020)]


def test_world_flags(world: bt.TradeSeries) -> None:
    x = bt.datasets.china_world_trade("exports")
    m = bt.datasets.china_world_trade("imports")
    for s in (world, x, m):
        assert s.flags_at(2017) == ("derived", "uncertain")
        assert set(s.flags_at(2013)) >= {"first_release", "rounded", "inflated"}
        assert set(s.flags_at(2025)) >= {"first_release", "preliminary", "rounded"}
        assert "Hong Kong" in s.notes[Y(2013)]
        revised = [p.year for p in s.flagged("revised")]
        assert revised == [2010, 2015, 2018, 2021, 2022, 2023, 2024]
        first = {p.year for p in s.flagged("first_release")}
        assert first == set(range(2003, 2026)) - set(revised) - {2017}
        assert {p.year for p in s.flagged("rounded")} == {2008, 2009, 2011, 2013, 2014, 2016, 2025}
        assert not s.flagged("approximate").size
        for p in s.index:
            assert "source: " in s.notes[p]
    # exports = published imports + published surplus in 2004, 2005 and 2007
    assert [p.year for p in x.flagged("derived")] == [2004, 2005, 2007, 2017]
    assert [p.year for p in m.flagged("derived")] == [2017]
    assert world.flags_at(2019) == ("derived", "first_release")
    assert world.flags_at(2012) == ("first_release",)
    assert "1.079" in x.notes[Y(2017)]


def test_world_flags_follow_the_shipped_notes() -> None:
    path = files("bilateral_trade.datasets") / "data" / "china_world_annual.csv"
    with path.open(encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    assert len(rows) == 69 and {r["partner"] for r in rows} == {"WLD"}
    for row in rows:
        s = bt.datasets.china_world_trade(row["flow"])
        period = Y(int(row["year"]))
        assert s.values[period] == int(row["value_usd"])
        flags = set(s.flags_at(period))
        note = row["note"].lower()
        if note.startswith("derived"):
            assert "derived" in flags, row
        if "uncertain" in note:
            assert "uncertain" in flags, row
        if "rounded" in note:
            assert "rounded" in flags, row
        if "un comtrade" in note.split(".")[0] and not note.startswith("derived"):
            assert "revised" in flags, row
        assert row["source"] in s.notes[period]


def test_world_round_trips(world: bt.TradeSeries) -> None:
    again = bt.TradeSeries.from_json(world.to_json())
    assert again == world
    assert bt.TradeSeries.from_frame(world.to_frame()) == world
    assert again.flags_at(2013) == world.flags_at(2013)


def test_world_is_a_control_for_dprk(world: bt.TradeSeries) -> None:
    dprk = bt.datasets.china_dprk_trade()
    assert dprk.index.equals(world.index)
    assert (dprk.reporter, dprk.unit, dprk.frequency) == (
        world.reporter,
        world.unit,
        world.frequency,
    )


def test_every_shipped_data_file_has_provenance() -> None:
    data = files("bilateral_trade.datasets") / "data"
    provenance = (data / "PROVENANCE.md").read_text(encoding="utf-8")
    shipped = [p.name for p in data.iterdir() if p.name.endswith(".csv")]
    assert "china_world_annual.csv" in shipped
    for name in shipped:
        assert f"`{name}`" in provenance, name
