"""The second case: Russia 2014–2025 (catalog schema v2, merging, data, analysis, CLI).

Reference figures are typed in by hand from the sources named in each row of the compiled
files (GACC figures as relayed by TASS, Sputnik, RT, bne IntelliNews; Council press releases
and the annexes of Regulation (EU) No 833/2014), not read back from the library.
"""

from __future__ import annotations

import csv
import datetime as dt
import json
import warnings
from importlib.resources import files
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pytest
import statsmodels.api as sm

import bilateral_trade as bt
from bilateral_trade import DataQualityWarning, DataValidationError, EventKind, TradeEvent
from bilateral_trade.cli import main
from bilateral_trade.data.events import ORGANISATIONS, SCHEMA_VERSION
from bilateral_trade.workflow.window import choose_window, periods_needed

DOCS = Path(__file__).resolve().parent.parent / "docs"


def Y(year: int) -> pd.Period:  # noqa: N802
    return pd.Period(year=year, freq="Y")


def quiet(func: Any, *args: Any, **kwargs: Any) -> Any:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DataQualityWarning)
        return func(*args, **kwargs)


@pytest.fixture(scope="module")
def russia() -> bt.EventCatalog:
    return bt.datasets.russia_sanctions()


@pytest.fixture(scope="module")
def trade() -> bt.TradeSeries:
    return bt.datasets.china_russia_trade()


# ------------------------------------------------------------------ China–Russia trade
class TestChinaRussiaTrade:
    def test_metadata(self, trade: bt.TradeSeries) -> None:
        assert (trade.reporter, trade.partner, trade.flow, trade.unit, trade.product) == (
            "CHN",
            "RUS",
            bt.Flow.TOTAL,
            "USD",
            "TOTAL",
        )
        assert (str(trade.start), str(trade.end), len(trade)) == ("2013", "2025", 13)
        assert not trade.flagged("missing").size
        for flow in ("exports", "imports", "X", "M"):
            s = bt.datasets.china_russia_trade(flow)
            assert (str(s.start), str(s.end)) == ("2013", "2024")  # no 2025 split
        with pytest.raises(DataValidationError, match="flow"):
            bt.datasets.china_russia_trade("balance")

    def test_values_from_the_sources(self, trade: bt.TradeSeries) -> None:
        x = bt.datasets.china_russia_trade("exports").values
        m = bt.datasets.china_russia_trade("imports").values
        v = trade.values
        # GACC via ITAR-TASS: 2014 total 95.28bn, exports 53.68bn, imports 41.6bn
        assert (v[Y(2014)], x[Y(2014)], m[Y(2014)]) == (95.28e9, 53.68e9, 41.6e9)
        # Kommersant/RIA: 2016 69.525bn = 37.297bn + 32.228bn
        assert (v[Y(2016)], x[Y(2016)], m[Y(2016)]) == (69.525e9, 37.297e9, 32.228e9)
        # the figures: $147bn in 2021, $240bn in 2023
        assert v[Y(2021)] == 146.887e9 and v[Y(2023)] == 240.11e9
        # Vestnik Kavkaza/GACC 2022: 190.271bn total, 76.12bn exports, 114.15bn imports
        assert (v[Y(2022)], x[Y(2022)], m[Y(2022)]) == (190.271e9, 76.12e9, 114.15e9)
        # bne IntelliNews 2024: 244.81bn = 115.49bn + 129.32bn; TASS 2025: 228.105bn
        assert (v[Y(2024)], x[Y(2024)], m[Y(2024)]) == (244.81e9, 115.49e9, 129.32e9)
        assert v[Y(2025)] == 228.105e9
        # totals equal exports + imports where both were published (to USD 10m)
        for year in (2014, 2016, 2018, 2019, 2020, 2024):
            assert abs(x[Y(year)] + m[Y(year)] - v[Y(year)]) < 1e7, year

    def test_derived_figures_follow_their_formula(self) -> None:
        x = bt.datasets.china_russia_trade("exports").values
        m = bt.datasets.china_russia_trade("imports").values
        v = bt.datasets.china_russia_trade().values
        # derived from the next year's level and its published growth (notes of the rows)
        assert x[Y(2013)] == pytest.approx(53.68e9 / 1.082, abs=1.0)
        assert m[Y(2013)] == pytest.approx(41.6e9 / 1.049, abs=1.0)
        assert v[Y(2015)] == pytest.approx(69.525e9 / 1.022, abs=1.0)
        assert x[Y(2021)] == pytest.approx(76.12e9 / 1.128, abs=1.0)
        assert m[Y(2021)] == pytest.approx(114.15e9 / 1.434, abs=1.0)
        assert x[Y(2023)] == pytest.approx(115.49e9 / 1.041, abs=1.0)
        assert m[Y(2023)] == pytest.approx(240.11e9 - 115.49e9 / 1.041, abs=1.0)

    def test_growth_matches_published_rates(self, trade: bt.TradeSeries) -> None:
        g = bt.yoy(trade)
        # published y/y: 2014 +6.8%, 2017 +20.8%, 2020 -2.9%, 2023 +26.3%, 2024 +1.9%,
        # 2025 -6.9%; levels are first releases, rates use a revised base: within 0.3pp
        published = {2014: 0.068, 2017: 0.208, 2020: -0.029, 2023: 0.263, 2024: 0.019}
        published[2025] = -0.069
        for year, rate in published.items():
            assert float(g[Y(year)]) == pytest.approx(rate, abs=0.003), year

    def test_flags(self, trade: bt.TradeSeries) -> None:
        x = bt.datasets.china_russia_trade("exports")
        m = bt.datasets.china_russia_trade("imports")
        assert trade.flags_at(2015) == ("derived", "uncertain")
        assert trade.flags_at(2013) == ("sum_mismatch",) == trade.flags_at(2021)
        assert trade.flags_at(2025) == ("preliminary",)
        assert trade.flags_at(2023) == () and trade.flags_at(2022) == ()
        for year in (2013, 2015, 2021, 2023):
            assert x.flags_at(year) == ("derived",) == m.flags_at(year), year
        assert [str(p) for p in x.flagged("derived")] == ["2013", "2015", "2021", "2023"]

    def test_notes_keep_sources_and_yuan_figures(self, trade: bt.TradeSeries) -> None:
        note = trade.notes[Y(2015)]
        assert "kommersant.ru" in note and "CNY: 422,700,000,000" in note
        assert "64.2bn" in note  # the disagreement with TASS's conversion
        assert "CNY: 1,740,000,000,000" in trade.notes[Y(2024)]
        assert all("http" in trade.notes[p] for p in trade.index)


# ------------------------------------------------------------------ the catalog
EU_PACKAGES = {  # Council adoption dates (Clecat, Interfax-Ukraine, PSA BDP, law-firm notes)
    "eu-2022-02-23": "1st",
    "eu-2022-02-25": "2nd",
    "eu-2022-02-28": "3rd",
    "eu-2022-03-15": "4th",
    "eu-2022-04-08": "5th",
    "eu-2022-06-03": "6th",
    "eu-2022-07-21": "7th",
    "eu-2022-10-06": "8th",
    "eu-2022-12-16": "9th",
    "eu-2023-02-25": "10th",
    "eu-2023-06-23": "11th",
    "eu-2023-12-18": "12th",
    "eu-2024-02-23": "13th",
    "eu-2024-06-24": "14th",
    "eu-2024-12-16": "15th",
    "eu-2025-02-24": "16th",
    "eu-2025-05-20": "17th",
    "eu-2025-07-18": "18th",
    "eu-2025-10-23": "19th",
}


class TestRussiaCatalog:
    def test_size_kinds_and_span(self, russia: bt.EventCatalog) -> None:
        assert len(russia) == 54
        kinds = pd.Series([e.kind.value for e in russia]).value_counts().to_dict()
        assert kinds == {
            "sanctions_measure": 46,
            "market_shock": 3,
            "conflict": 2,
            "countermeasure": 2,
            "pandemic": 1,
        }
        assert (russia[0].date, russia[-1].date) == (dt.date(2014, 3, 17), dt.date(2025, 10, 23))
        # the two 2026 packages (low confidence, outside 2014-2025) are left out
        assert "eu-2026-04-23" not in russia and "eu-2026-07-23" not in russia
        assert all(e.date.year <= 2025 for e in russia)

    def test_eu_packages_dates(self, russia: bt.EventCatalog) -> None:
        for reference, ordinal in EU_PACKAGES.items():
            e = russia.get(reference)
            assert e.date == dt.date.fromisoformat(reference[3:]), reference
            assert e.kind is EventKind.SANCTIONS_MEASURE and e.actor == ("EU",)
            assert f"{ordinal} " in e.label and e.description == "sanctions package", reference
        assert "date_disputed" in russia.get("eu-2023-02-25").flags  # 24 vs 25 Feb
        assert "24 Feb 2023" in russia.get("eu-2023-02-25").note

    def test_confounders_and_countermeasures(self, russia: bt.EventCatalog) -> None:
        kinds = {
            "cf-2014-03-18": EventKind.CONFLICT,
            "cf-2014-11-27": EventKind.MARKET_SHOCK,
            "cf-2014-12-16": EventKind.MARKET_SHOCK,
            "cf-2020-03-06": EventKind.MARKET_SHOCK,
            "cf-2020-03-11": EventKind.PANDEMIC,
            "cf-2022-02-24": EventKind.CONFLICT,
        }
        assert {e.reference: e.kind for e in russia.of_role("confounder")} == kinds
        assert russia.get("cf-2022-02-24").actor == ("RUS",)
        assert russia.get("cf-2022-02-24").target == ("UKR",)
        assert "uncertain" in russia.get("cf-2020-03-11").flags
        food = russia.get("ru-2014-08-06")
        assert food.kind is EventKind.COUNTERMEASURE and food.kind.role == "sanctions"
        assert food.actor == ("RUS",) and food.target == ("EU", "USA", "CAN", "AUS", "NOR")
        assert {"0201", "0406", "03", "07", "08"} <= set(food.banned_exports)
        assert "hs_mapped" in food.flags

    def test_hs_codes_normalised_with_the_annex_text_kept(self, russia: bt.EventCatalog) -> None:
        annex2 = russia.get("eu-2014-07-31")  # Annex II, 2017 consolidated text
        assert annex2.hs_codes[:3] == ("730411", "730419", "730422")  # "7304 11 00" ...
        assert "841350" in annex2.hs_codes  # "ex 8413 50"
        assert "hs_ex_codes" in annex2.flags and "hs_mapped" not in annex2.flags
        assert "7304 11 00; 7304 19 10" in annex2.note and "HS basis: text" in annex2.note
        assert annex2.banned_exports == () == annex2.banned_supply  # authorisation, not a ban
        sixth = russia.get("eu-2022-06-03")  # Annex XXV: "2709 00; 2710"
        assert sixth.hs_codes == ("270900", "2710") == sixth.banned_exports
        eighth = russia.get("eu-2022-10-06")  # Annex XVII Part B: 7206-7229; 7301-7326
        steel = [f"{c}" for c in range(7206, 7230)] + [f"{c}" for c in range(7301, 7327)]
        assert set(steel) <= set(eighth.banned_exports)
        assert "hs_incomplete" in eighth.flags
        fourth = russia.get("eu-2022-03-15")  # imports Annex XVII A; luxury exports XVIII
        assert "721510" in fourth.banned_exports and "010121" in fourth.banned_supply
        assert {"2203", "2208", "97"} <= set(fourth.banned_supply)
        assert "721510" not in fourth.banned_supply
        assert {"hs_ex_codes", "hs_incomplete"} <= set(fourth.flags)
        for e in russia:
            assert set(e.banned_exports) | set(e.banned_supply) <= set(e.hs_codes), e.reference
            assert all(len(c) in (2, 4, 6) and c.isdigit() for c in e.hs_codes)

    def test_basis_flag_and_sources(self, russia: bt.EventCatalog) -> None:
        mapped = russia.get("eu-2023-12-18")  # 12th package: product words mapped
        assert "hs_mapped" in mapped.flags and "7102" in mapped.banned_exports
        assert "HS basis: mapped" in mapped.note
        for e in russia:
            assert e.source and "http" in e.source, e.reference
            assert "as written in the source" in e.note

    def test_territorial_and_effective_dates(self, russia: bt.EventCatalog) -> None:
        crimea = russia.get("eu-2014-06-23")
        assert crimea.target == ("UKR",) and "territorial" in crimea.flags
        first = russia.get("eu-2022-02-23")
        assert first.target == ("RUS", "UKR") and "territorial" in first.flags
        assert first.banned_supply == ()  # the export ban is on the occupied areas
        effective = [e.reference for e in russia if "effective_date" in e.flags]
        assert effective == ["eu-2022-08-10", "eu-2022-12-05", "eu-2023-02-05", "eu-2024-01-01"]

    def test_shipped_file_is_in_the_schema(self, russia: bt.EventCatalog, tmp_path: Path) -> None:
        shipped = files("bilateral_trade.datasets") / "data" / "russia_sanctions.csv"
        path = tmp_path / "russia.csv"
        path.write_text(shipped.read_text(encoding="utf-8"), encoding="utf-8")
        assert bt.EventCatalog.from_csv(path) == russia
        with path.open(encoding="utf-8") as fh:
            header = next(csv.reader(fh))
        assert header == list(bt.EventCatalog.schema()["column"])

    def test_of_actor_and_target(self, russia: bt.EventCatalog) -> None:
        assert len(russia.of_actor("EU")) == 29 + 2  # eu-* rows and the two price caps
        us = russia.of_actor("usa")
        assert len(us) == 15 and all(e.reference.startswith("us-") for e in us)
        assert russia.of_target("IND").references == ("us-2025-08-06",)
        assert russia.of_actor("G7").references == ("pc-2022-12-05", "pc-2023-02-05")
        with pytest.raises(DataValidationError, match=r"actor: 'US' is neither .*'USA'"):
            russia.of_actor("US")


# ------------------------------------------------------------------ schema and merging
def event(reference: str, day: str, kind: str = "other", **kw: Any) -> TradeEvent:
    return TradeEvent(
        date=dt.date.fromisoformat(day), kind=kind, label=reference, reference=reference, **kw
    )


class TestSchema:
    def test_version_and_columns(self) -> None:
        assert SCHEMA_VERSION == 2
        schema = bt.EventCatalog.schema()
        assert list(schema.columns) == [
            "column",
            "type",
            "required",
            "allowed",
            "since_version",
            "meaning",
        ]
        assert set(schema.loc[schema["required"], "column"]) == {
            "reference",
            "date",
            "kind",
            "label",
        }
        new = schema.loc[schema["since_version"] == 2, "column"].tolist()
        assert new == ["actor", "target"]
        assert list(schema["column"]) == list(bt.EventCatalog([]).to_frame().columns)

    def test_docs_list_every_column_and_kind(self) -> None:
        text = (DOCS / "data-model.md").read_text(encoding="utf-8")
        for column in bt.EventCatalog.schema()["column"]:
            assert f"| `{column}` |" in text, column
        for kind in EventKind:
            assert f"`{kind.value}`" in text, kind
        for code in ORGANISATIONS:
            assert f"`{code}`" in text, code
        roles = (DOCS / "analysis.md").read_text(encoding="utf-8")
        assert "`sanctions_measure`" in roles and "`countermeasure`" in roles

    def test_actor_and_target(self) -> None:
        e = event("x", "2022-02-23", "sanctions_measure", actor="eu", target="RUS; blr")
        assert (e.actor, e.target) == (("EU",), ("RUS", "BLR"))
        assert event("y", "2020-01-01").actor == ()  # optional: version 1 events still load
        with pytest.raises(DataValidationError, match=r"actor: .*'UK'.*did you mean 'GBR'"):
            event("x", "2022-02-23", actor="UK")
        with pytest.raises(DataValidationError, match=r"target: .*'Russia' is neither"):
            event("x", "2022-02-23", target=("Russia",))
        assert EventKind.SANCTIONS_MEASURE.role == "sanctions"
        assert EventKind.COUNTERMEASURE.role == "sanctions"

    def test_json_round_trip_and_version(self, russia: bt.EventCatalog, tmp_path: Path) -> None:
        path = tmp_path / "russia.json"
        russia.to_json(path)
        data = json.loads(path.read_text(encoding="utf-8"))
        assert data["schema_version"] == 2 and data["format"] == "bilateral_trade.EventCatalog"
        assert data["events"][0]["actor"] == ["EU"]
        assert bt.EventCatalog.from_json(path) == russia
        data["schema_version"] = 3
        with pytest.raises(DataValidationError, match=r"schema_version: .* version 3; .* 1 to 2"):
            bt.EventCatalog.from_json(json.dumps(data))
        data["schema_version"] = "2"
        with pytest.raises(DataValidationError, match="schema_version: '2' is not"):
            bt.EventCatalog.from_json(json.dumps(data))

    def test_version_1_files_load(self, tmp_path: Path) -> None:
        v1 = {
            "format": "bilateral_trade.EventCatalog",
            "events": [event("a", "2017-12-22").to_dict()],
        }
        for e in v1["events"]:  # type: ignore[attr-defined]
            del e["actor"], e["target"]
        c = bt.EventCatalog.from_json(json.dumps(v1))
        assert c.get("a").actor == () and c.get("a").target == ()
        path = tmp_path / "v1.csv"
        path.write_text("reference,date,kind,label\nA,2017-01-01,other,a\n", encoding="utf-8")
        assert bt.EventCatalog.read_csv(path).get("A").target == ()

    def test_csv_round_trip(self, russia: bt.EventCatalog, tmp_path: Path) -> None:
        path = tmp_path / "russia.csv"
        russia.to_csv(path)
        assert bt.EventCatalog.from_csv(path) == russia
        dprk = bt.datasets.dprk_sanctions()
        dprk.to_csv(path)
        assert bt.EventCatalog.from_csv(path) == dprk

    def test_errors_name_the_row(self, tmp_path: Path) -> None:
        path = tmp_path / "events.csv"
        path.write_text(
            "reference,date,kind,actor,label,note\n"
            'A,2022-02-23,sanctions_measure,EU,a,"a note\nover two lines"\n'
            "\n"
            "B,2022-02-24,conflict,Russia,b,\n",
            encoding="utf-8",
        )
        # line 1 header, lines 2-3 row A, line 4 blank, line 5 row B
        with pytest.raises(DataValidationError, match=r"^line 5: TradeEvent: actor: .*'Russia'"):
            bt.EventCatalog.from_csv(path)
        path.write_text(
            "reference,date,kind,label\nA,2022-02-23,sanctions_measure,a\nB,2022-02-24,war,b\n",
            encoding="utf-8",
        )
        with pytest.raises(DataValidationError, match=r"^line 3: TradeEvent: kind"):
            bt.EventCatalog.from_csv(path)
        bad = [event("a", "2022-01-01").to_dict(), {**event("b", "2022-01-02").to_dict()}]
        bad[1]["target"] = ["XX"]
        with pytest.raises(DataValidationError, match=r"^event 2: TradeEvent: target"):
            bt.EventCatalog.from_json(json.dumps(bad))


class TestMerge:
    def test_union_three_ways(self, russia: bt.EventCatalog) -> None:
        dprk = bt.datasets.dprk_sanctions()
        both = dprk | russia
        assert len(both) == len(dprk) + len(russia) == 57 + 54
        assert both == dprk + russia == bt.EventCatalog.merge(dprk, russia)
        assert dprk.merge(russia) == both  # called on a catalog, it includes that catalog
        assert both.references.index("eu-2014-03-17") < both.references.index("UNSCR 2397")
        assert bt.EventCatalog.merge(russia, russia) == russia  # same event kept once
        assert bt.EventCatalog.merge() == bt.EventCatalog([])

    def test_clash_names_the_reference_and_fields(self, russia: bt.EventCatalog) -> None:
        first = russia.get("eu-2022-02-23")
        clash = bt.EventCatalog([first.model_copy(update={"actor": ("USA",)})])
        with pytest.raises(
            DataValidationError,
            match=r"two different events share the reference 'eu-2022-02-23' .*differ in actor",
        ):
            russia | clash
        with pytest.raises(DataValidationError, match="'EU-2022-02-23'"):
            bt.EventCatalog.merge(russia, bt.EventCatalog([event("EU-2022-02-23", "2022-01-01")]))

    def test_wrong_types(self, russia: bt.EventCatalog) -> None:
        with pytest.raises(DataValidationError, match="argument 2 is a list"):
            bt.EventCatalog.merge(russia, [])  # type: ignore[arg-type]
        with pytest.raises(TypeError):
            russia | 1  # type: ignore[operator]


def test_dprk_events_have_actor_and_target() -> None:
    dprk = bt.datasets.dprk_sanctions()
    for e in dprk.of_kind("sanctions_resolution"):
        assert (e.actor, e.target) == (("UN",), ("PRK",)), e.reference
    assert dprk.get("Vetoed draft 2022-05-26").actor == ("CHN", "RUS")  # 13-2
    assert dprk.get("Vetoed draft 2024-03-28").actor == ("RUS",)  # China abstained
    assert dprk.get("nuclear_test 2017-09-03").actor == ("PRK",)
    assert dprk.get("policy_china 2017-08-15").target == ("PRK",)
    assert dprk.get("covid_border 2022-04-29").actor == ("CHN",)


# ------------------------------------------------------------------ the analysis
class TestWindowRule:
    def test_periods_needed(self) -> None:
        assert periods_needed("A") == (3, 1)
        assert periods_needed("A", trend=False) == (2, 1)
        assert periods_needed("Q") == (6, 1)  # intercept, trend, 3 quarter dummies, 1 df
        assert periods_needed("M", trend=False, model="level+slope") == (13, 2)

    def test_confounder_leaving_too_short_a_pre_period_is_kept_inside(self) -> None:
        idx = pd.period_range("2010", "2025", freq="Y")
        cat = bt.EventCatalog(
            [
                event("oil", "2014-11-27", "market_shock"),
                event("covid", "2020-03-11", "pandemic"),
                event("pkg", "2022-02-23", "sanctions_measure"),
                event("war", "2022-02-24", "conflict"),
            ]
        )
        # the bare rule: the window starts in 2021, two years before 2023
        bare = choose_window(idx, cat.get("pkg"), cat)
        assert (str(bare.start), bare.bound_before and bare.bound_before.reference) == (
            "2021",
            "covid",
        )
        need = choose_window(idx, cat.get("pkg"), cat, min_pre=3)
        assert (str(need.start), str(need.end)) == ("2015", "2025")
        assert need.bound_before is not None and need.bound_before.reference == "oil"
        assert [e.reference for e in need.joint] == ["covid", "war"]

    def test_ties_name_the_last_confounder_before(self, russia: bt.EventCatalog) -> None:
        trade = bt.datasets.china_russia_trade()
        w = choose_window(trade.index, russia.get("eu-2022-02-23"), russia, min_pre=3)
        # Crimea (03-18), oil collapse (11-27) and ruble crisis (12-16) all end in 2014
        assert w.bound_before is not None and w.bound_before.reference == "cf-2014-12-16"


@pytest.fixture(scope="module")
def analysis(russia: bt.EventCatalog, trade: bt.TradeSeries) -> bt.EventAnalysis:
    return quiet(
        bt.analyze,
        trade,
        "eu-2022-02-23",
        catalog=russia,
        counterfactual=("trend", "mean", "control"),
        control=bt.datasets.china_world_trade(),
    )


class TestDiversionToChina:
    def test_window_keeps_war_inside_and_post_period(self, analysis: bt.EventAnalysis) -> None:
        w = analysis.window
        assert (str(w.start), str(w.end), w.chosen_by) == ("2015", "2025", "rule")
        assert analysis.first_period == Y(2023)
        joint = [e.reference for e in w.joint]
        assert joint == ["cf-2020-03-06", "cf-2020-03-11", "cf-2022-02-24"]
        assert analysis.lost.start == Y(2023) and analysis.lost.end == Y(2025)

    def test_caveats_say_joint_effect(self, analysis: bt.EventAnalysis) -> None:
        text = " ".join(analysis.caveats)
        assert "the estimate is a joint effect with cf-2022-02-24" in text
        assert "cf-2020-03-06, cf-2020-03-11 would leave too short a pre-period" in text
        # the other 2022 measures take effect from 2023 in annual data too
        assert "eu-2022-02-25" in text and "eu-2022-12-16" in text
        assert "the estimate is the joint effect of eu-2022-02-23 and them" in text

    def test_warns(self, russia: bt.EventCatalog, trade: bt.TradeSeries) -> None:
        with pytest.warns(DataQualityWarning) as record:
            bt.analyze(trade, "eu-2022-02-23", catalog=russia)
        assert any("joint effect with cf-2022-02-24" in str(w.message) for w in record)

    def test_effect_is_positive(self, analysis: bt.EventAnalysis) -> None:
        effects = analysis.effects().set_index("counterfactual")["relative_effect"]
        assert all(float(effects[c]) > 0 for c in ("trend", "mean", "control"))
        assert analysis.lost.estimate < 0  # trade gained, not lost

    def test_trend_effect_equals_statsmodels(self, trade: bt.TradeSeries) -> None:
        # log y = a + b t + d 1[t >= 2023] on 2015-2025, OLS (statsmodels, independently)
        years = np.arange(2015, 2026)
        y = np.log(trade.values[(trade.values.index >= Y(2015))].to_numpy())
        X = sm.add_constant(np.column_stack([years - 2015, (years >= 2023).astype(float)]))
        d = sm.OLS(y, X).fit().params[2]
        analysis = quiet(bt.analyze, trade, "eu-2022-02-23", catalog=bt.datasets.russia_sanctions())
        assert analysis.impact.relative_effect.estimate == pytest.approx(np.expm1(d), rel=1e-9)
        # the mean model needs two periods before the event, not three: the window then
        # starts after COVID (2021) and the effect is exp(mean post log - mean pre log) - 1
        mean = quiet(
            bt.analyze,
            trade,
            "eu-2022-02-23",
            catalog=bt.datasets.russia_sanctions(),
            counterfactual="mean",
        )
        assert (str(mean.window.start), mean.window.bound_before.reference) == (
            "2021",
            "cf-2020-03-11",
        )
        pre, post = y[(years >= 2021) & (years < 2023)], y[years >= 2023]
        assert mean.impact.relative_effect.estimate == pytest.approx(
            np.expm1(post.mean() - pre.mean()), rel=1e-9
        )


class TestCaseFunction:
    """bt.cases.china_russia_2022(): the analysis `bilateral-trade report --catalog russia` renders."""

    def test_is_the_analysis_of_the_embedded_data(self, trade: bt.TradeSeries) -> None:
        case = bt.cases.china_russia_2022()
        direct = quiet(bt.analyze, trade, "eu-2022-02-23", catalog=bt.datasets.russia_sanctions())
        assert case.options == direct.options
        assert case.to_dict() == direct.to_dict()
        assert (str(case.window.start), str(case.window.end)) == ("2015", "2025")
        assert case.options["counterfactual"] == ["trend"]
        assert "joint effect with cf-2022-02-24" in " ".join(case.caveats)

    def test_options_are_passed_on(self, trade: bt.TradeSeries) -> None:
        case = bt.cases.china_russia_2022(counterfactual="mean", baseline=2019)
        direct = quiet(
            bt.analyze,
            trade,
            "eu-2022-02-23",
            catalog=bt.datasets.russia_sanctions(),
            counterfactual="mean",
            baseline=2019,
        )
        assert case.to_dict() == direct.to_dict()
        with pytest.warns(DataQualityWarning) as record:
            bt.cases.china_russia_2022(quiet=False)
        assert any("joint effect with cf-2022-02-24" in str(w.message) for w in record)

    def test_the_cli_renders_the_case(
        self, capsys: pytest.CaptureFixture[str], tmp_path: Path
    ) -> None:
        out = tmp_path / "cli.md"
        code, _, err = run(capsys, "report", "--catalog", "russia", "--out", str(out))
        assert code == 0, err
        catalog = bt.datasets.catalog("russia")
        expected = bt.report(bt.cases.china_russia_2022(), catalog=catalog).to_markdown()
        assert out.read_text(encoding="utf-8") == expected
        plan = bt.cases.plan_report("russia", catalog)
        assert (
            plan.baseline is None
            and plan.subject.to_dict() == bt.cases.china_russia_2022().to_dict()
        )


# ------------------------------------------------------------------ exposure
def test_exposure_recipe_on_eu_imports(russia: bt.EventCatalog) -> None:
    values = {  # EUR bn, made up: a test of the bookkeeping, not data
        "270900": 50.0,
        "271019": 20.0,
        "270112": 5.0,
        "440711": 3.0,
        "710812": 2.0,
        "720711": 4.0,
        "310420": 6.0,
        "261000": 1.0,
        "300490": 9.0,
    }
    rows = [
        ("DEU", "RUS", "imports", line, str(year), v * 1e9)
        for year in (2021, 2022)
        for line, v in values.items()
    ]
    frame = pd.DataFrame(
        rows, columns=["reporter", "partner", "flow", "product", "period", "value"]
    )
    panel = bt.TradePanel(frame, unit="EUR")
    eu = bt.EventCatalog(e for e in russia.of_actor("EU") if "effective_date" not in e.flags)
    table = bt.exposure(panel, eu, reporter="DEU", partner="RUS", flow="imports", base=2021)
    share = dict(zip(table["reference"], table["share"], strict=True))
    assert share["eu-2022-04-08"] == pytest.approx((5 + 3 + 6) / 100)  # coal, wood, potash
    assert share["eu-2022-06-03"] == pytest.approx((50 + 20) / 100)  # crude, products
    assert share["eu-2022-07-21"] == pytest.approx(2 / 100)  # gold
    assert share["eu-2022-10-06"] == pytest.approx(4 / 100)  # semi-finished steel
    assert float(table["cumulative_share"].iloc[-1]) == pytest.approx(0.90)
    # chromium ore (2610) is an export ban of the 16th package: not in the import shares
    assert "261000" not in ";".join(table["hs_lines"])
    # the food embargo targets the EU's exports, not Russia's: not counted
    assert "ru-2014-08-06" not in set(
        bt.exposure(panel, russia, reporter="DEU", partner="RUS", flow="imports", base=2021)[
            "reference"
        ]
    )


# ------------------------------------------------------------------ CLI
def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


class TestCli:
    def test_catalogs(self, capsys: pytest.CaptureFixture[str]) -> None:
        code, out, _ = run(capsys, "catalogs")
        assert code == 0
        assert "dprk: 57 events, 2006-07-15 to 2025-09-03" in out
        assert "russia: 54 events, 2014-03-17 to 2025-10-23 (sanctions 48, confounders 6" in out
        assert "Regulation (EU) No 833/2014" in out
        code, out, _ = run(capsys, "catalogs", "--format", "json")
        data = json.loads(out)
        assert [(d["name"], d["events"]) for d in data] == [("dprk", 57), ("russia", 54)]
        assert data[1]["loader"] == "bilateral_trade.datasets.russia_sanctions()"

    def test_report_with_the_russia_catalog(
        self, capsys: pytest.CaptureFixture[str], tmp_path: Path
    ) -> None:
        out = tmp_path / "russia.md"
        code, _, err = run(capsys, "report", "--catalog", "russia", "--out", str(out))
        assert code == 0, err
        text = out.read_text(encoding="utf-8")
        assert "China → Russian Federation" in text and "eu-2022-02-23" in text
        assert "joint effect with cf-2022-02-24" in text

    def test_report_with_a_catalog_file(
        self, capsys: pytest.CaptureFixture[str], tmp_path: Path, russia: bt.EventCatalog
    ) -> None:
        series = tmp_path / "chn_rus.csv"
        bt.datasets.china_russia_trade().values.rename("value").to_frame().rename_axis(
            "period"
        ).to_csv(series)
        catalog = tmp_path / "mine.csv"
        russia.to_csv(catalog)
        out = tmp_path / "r.md"
        args = ("--reporter", "CHN", "--partner", "RUS", "--flow", "total")
        code, _, err = run(
            capsys,
            "report",
            str(series),
            *args,
            "--catalog",
            str(catalog),
            "--event",
            "eu-2022-02-23",
            "--out",
            str(out),
        )
        assert code == 0, err
        assert "joint effect with cf-2022-02-24" in out.read_text(encoding="utf-8")

    def test_catalog_errors_are_one_line(
        self, capsys: pytest.CaptureFixture[str], tmp_path: Path
    ) -> None:
        out = str(tmp_path / "r.md")
        code, _, err = run(capsys, "report", "--catalog", "iran", "--out", out)
        assert code == 2 and len(err.strip().splitlines()) == 1
        assert "--catalog: 'iran' is neither an embedded catalog (dprk, russia)" in err
        bad = tmp_path / "bad.csv"
        bad.write_text(
            "reference,date,kind,label,actor\nA,2022-01-01,other,a,EU\nB,2022-01-02,other,b,US\n",
            encoding="utf-8",
        )
        code, _, err = run(capsys, "report", "--events", str(bad), "--out", out)
        assert code == 2 and len(err.strip().splitlines()) == 1
        assert "--catalog bad.csv: line 3: TradeEvent: actor" in err and "'USA'" in err
        code, _, err = run(
            capsys, "report", "--catalog", "russia", "--event", "UNSCR 2397", "--out", out
        )
        assert code == 2 and "no event with reference 'UNSCR 2397'" in err
        assert not Path(out).exists()


def test_gravity_takes_the_russia_catalog() -> None:
    """EU members and the US sanction Russia from each measure's start (issue 14, item 3)."""
    pytest.importorskip("pyfixest")
    from bilateral_trade.stats.gravity import EU_MEMBERS, sanction_measures

    catalog = bt.datasets.russia_sanctions()
    measures = sanction_measures(catalog)
    first_eu = measures[measures["reference"] == "eu-2014-03-17"].iloc[0]
    assert set(first_eu["senders"].split(";")) == set(EU_MEMBERS)
    assert first_eu["targets"] == "RUS"
    assert "ru-2014-08-06" in set(measures["reference"])  # countermeasures bind too
    # a panel simulated with the rule: sanctioning country <-> RUS from 2015 (first full year)
    rng = np.random.default_rng(3)
    countries = ["RUS", "DEU", "FRA", "ITA", "POL", "USA", "CHN", "IND", "TUR", "BRA", "KAZ"]
    senders = set(EU_MEMBERS) | {"USA"}
    size = {c: rng.normal(0, 1) for c in countries}
    rows = []
    for year in range(2008, 2023):
        for i in countries:
            for j in countries:
                if i == j:
                    continue
                treated = year >= 2015 and "RUS" in (i, j) and ({i, j} - {"RUS"}) <= senders
                mu = 1e6 * np.exp(2 + size[i] + size[j] + 0.02 * (year - 2008) - 0.5 * treated)
                rows.append(
                    (i, j, "exports", "TOTAL", str(year), float(rng.poisson(mu / 1e4) * 1e4))
                )
    frame = pd.DataFrame(
        rows, columns=["reporter", "partner", "flow", "product", "period", "value"]
    )
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", bt.DataQualityWarning)  # few clusters in a toy panel
        result = bt.gravity(bt.TradePanel(frame), catalog)
    coef = result.to_frame().iloc[0]
    assert abs(coef["estimate"] - (-0.5)) < 3 * coef["std_error"]
