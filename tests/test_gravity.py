"""Structural gravity (bt.gravity): references, simulations, the sanction-variable rule, errors."""

from __future__ import annotations

import dataclasses
import json
import sys
import warnings
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pytest

import bilateral_trade as bt
from bilateral_trade import DataQualityWarning, DataValidationError, InsufficientDataError
from bilateral_trade.cli import main
from bilateral_trade.models.caveats import collecting
from bilateral_trade.models.results import Caveat
from bilateral_trade.stats.gravity import (
    BLOCS,
    EU_MEMBERS,
    UN_MEMBERS,
    MissingDependencyError,
    sanction_measures,
    simulate_panel,
)

REF = json.loads((Path(__file__).parent / "reference" / "gravity.json").read_text())
CASES = {case["name"]: case for case in REF["cases"]}

needs_pyfixest = pytest.mark.skipif(
    __import__("importlib").util.find_spec("pyfixest") is None,
    reason="pyfixest (the gravity extra) is not installed",
)


def ref_panel() -> bt.TradePanel:
    rows = pd.DataFrame(REF["panel"]["rows"], columns=REF["panel"]["columns"])
    return bt.TradePanel(
        pd.DataFrame(
            {
                "reporter": rows["exporter"],
                "partner": rows["importer"],
                "flow": "exports",
                "product": "TOTAL",
                "period": rows["year"].astype(str),
                "value": rows["value"],
            }
        )
    )


def ref_sanctions(kind: str) -> bt.EventCatalog | pd.DataFrame:
    if kind == "table":
        return pd.DataFrame(REF["measures"])
    return bt.EventCatalog.from_records(REF["events"])


def fit(*args: Any, **kwargs: Any) -> bt.GravityResult:
    """bt.gravity, ignoring the few-treated-clusters warning (tested on its own)."""
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", "sanctions.*cluster", DataQualityWarning)
        return bt.gravity(*args, **kwargs)


# ------------------------------------------------------------------ references
@needs_pyfixest
@pytest.mark.parametrize("name", sorted(CASES))
def test_equals_statsmodels_glm_with_dummies(name: str) -> None:
    case = CASES[name]
    result = fit(ref_panel(), ref_sanctions(case["sanctions"]), **case["options"])
    coefs = result.coefficients
    assert list(coefs.index) == list(case["coefficients"])
    for var, want in case["coefficients"].items():
        got = coefs.loc[var]
        np.testing.assert_allclose(got["estimate"], want["estimate"], rtol=1e-6)
        np.testing.assert_allclose(got["std_error"], want["std_error"], rtol=1e-4)
        np.testing.assert_allclose(got["p_value"], want["p_value"], rtol=1e-3)
        np.testing.assert_allclose([got["ci_lower"], got["ci_upper"]], want["ci"], rtol=1e-4)
        np.testing.assert_allclose(got["effect"], want["effect"], rtol=1e-6)
        np.testing.assert_allclose(
            [got["effect_lower"], got["effect_upper"]], want["effect_ci"], rtol=1e-4
        )
        assert int(got["treated"]) == want["treated"]
    assert result.nobs == case["nobs"]
    assert result.dropped == case["dropped"]
    assert result.sample["clusters"] == case["clusters"]
    np.testing.assert_allclose(result.lost.estimate, case["lost"]["estimate"], rtol=1e-6)
    np.testing.assert_allclose(result.lost.std_error, case["lost"]["std_error"], rtol=1e-4)
    assert result.lost.ci is not None
    half = 1.959963984540054 * case["lost"]["std_error"]
    np.testing.assert_allclose(result.lost.ci[1] - result.lost.estimate, half, rtol=1e-4)


def test_reference_cases_exercise_the_drops() -> None:
    # the committed reference drops all-zero groups and a singleton (not a vacuous check)
    assert all(c["dropped"]["all_zero_group"] > 0 for c in REF["cases"])
    assert all(c["dropped"]["singleton"] == 1 for c in REF["cases"])
    assert all(c["converged"] for c in REF["cases"])


# ------------------------------------------------------------------ simulations
@needs_pyfixest
def test_simulated_effect_within_two_standard_errors() -> None:
    panel, measures = simulate_panel(
        countries=24, years=8, effect=-0.7, sanctioning=8, targets=2, heterogeneity=0.4, seed=0
    )
    assert (panel.to_frame()["value"] == 0).mean() > 0.05  # zeros present, and kept
    result = bt.gravity(panel, measures)
    row = result.coefficients.loc["sanctions"]
    assert abs(row["estimate"] + 0.7) < 2 * row["std_error"]
    assert row["std_error"] < 0.35  # informative, not a vacuous pass
    assert result.sample["zeros"] > 0
    # the percent effect and its interval are exp(b) - 1 of the estimate and the interval
    np.testing.assert_allclose(result.effect(), np.expm1(row["estimate"]), rtol=1e-12)
    # with one variable, lost trade = (exp(-b) - 1) * actual treated trade (the PPML FOC)
    actual = result.pairs["actual"].sum()
    np.testing.assert_allclose(result.lost.estimate, np.expm1(-row["estimate"]) * actual, rtol=1e-6)
    np.testing.assert_allclose(result.pairs["fitted"].sum(), actual, rtol=1e-6)


@needs_pyfixest
@pytest.mark.slow
def test_coverage_of_the_95_percent_interval() -> None:
    # 24 countries x 8 years, 8 sanctioning countries, 2 targets, moderate heterogeneity
    # (about 10% zeros): the interval covers the truth in 94-96% of 200 draws. With more
    # heterogeneity and fewer treated pairs it covers less (see the docs): the known
    # downward bias of cluster-robust standard errors in three-way PPML.
    reps, covered = 200, 0
    for seed in range(reps):
        panel, measures = simulate_panel(
            countries=24, years=8, sanctioning=8, targets=2, heterogeneity=0.4, seed=1000 + seed
        )
        row = fit(panel, measures).coefficients.loc["sanctions"]
        covered += bool(row["ci_lower"] <= -0.7 <= row["ci_upper"])
    assert covered / reps >= 0.90, covered


# ------------------------------------------------------------------ the rule
def test_un_resolution_binds_the_target_and_every_un_member() -> None:
    table = sanction_measures(bt.datasets.dprk_sanctions())
    used = table[table["status"] == "used"]
    assert set(used["kind"]) == {"sanctions_resolution", "enforcement"}
    assert "UNSCR 2397" in set(used["reference"])
    row = used[used["reference"] == "UNSCR 2397"].iloc[0]
    assert row["sanctioning"] == "UN" and row["target"] == "PRK"
    assert row["start"] == "2017-12-22" and row["end"] is None
    senders = set(row["senders"].split(";"))
    assert len(UN_MEMBERS) == 193 and senders == set(UN_MEMBERS)
    assert not {"HKG", "MAC", "TWN", "PSE", "VAT"} & senders
    # China's enforcement steps name China as the actor: a bilateral measure China -> DPRK
    china = used[used["reference"] == "policy_china 2017-08-15"].iloc[0]
    assert china["senders"] == "CHN" and china["targets"] == "PRK"
    skipped = dict(zip(table["reference"], table["status"], strict=True))
    assert skipped["Vetoed draft 2022-05-26"] == "a veto imposes no measure"


def test_catalog_without_a_target_is_refused() -> None:
    catalog = bt.EventCatalog(
        [bt.TradeEvent(date="2016-03-02", kind="sanctions_resolution", label="c", reference="R")]
    )
    with pytest.raises(DataValidationError, match="target='PRK'") as info:
        sanction_measures(catalog)
    assert info.value.field == "target"


def test_events_with_actor_and_target_are_bilateral_measures() -> None:
    catalog = bt.EventCatalog(
        [
            bt.TradeEvent(
                date="2014-03-17",
                kind="sanctions_measure",
                label="a",
                reference="EU 1",
                actor=("EU",),
                target=("RUS",),
            ),
            bt.TradeEvent(
                date="2014-08-07",
                kind="countermeasure",
                label="b",
                reference="RU 1",
                actor=("RUS",),
                target=("USA", "CAN"),
            ),
            bt.TradeEvent(date="2016-03-02", kind="sanctions_resolution", label="c", reference="R"),
        ]
    )
    table = sanction_measures(catalog, target="PRK").set_index("reference")
    assert set(table.loc["EU 1", "senders"].split(";")) == set(EU_MEMBERS)
    assert table.loc["EU 1", "targets"] == "RUS"
    assert table.loc["RU 1", "senders"] == "RUS"
    assert table.loc["RU 1", "targets"] == "CAN;USA"
    # an event without its own target takes the parameter
    assert table.loc["R", "targets"] == "PRK" and table.loc["R", "sanctioning"] == "UN"
    assert (table["status"] == "used").all()


def test_blocs_can_be_extended_and_replaced() -> None:
    table = pd.DataFrame(
        {"sanctioning": ["quad", "EU"], "target": ["PRK", "PRK"], "start": [2010, 2011]}
    )
    out = sanction_measures(table, blocs={"QUAD": ["USA", "JPN", "AUS", "IND"], "EU": ["FRA"]})
    assert out["senders"].tolist() == ["AUS;IND;JPN;USA", "FRA"]
    assert "EU" in BLOCS and BLOCS["EU"] == EU_MEMBERS  # the module's table is unchanged


@pytest.mark.parametrize(
    ("row", "match"),
    [
        ({"sanctioning": "XYZ", "target": "PRK", "start": 2010}, "sanctioning at sanctions row 1"),
        ({"sanctioning": "USA", "target": "", "start": 2010}, "target at sanctions row 1"),
        ({"sanctioning": "USA", "target": "PRK", "start": ""}, "start at sanctions row 1"),
        ({"sanctioning": "USA", "target": "PRK", "start": "soon"}, "start at sanctions row 1"),
        ({"sanctioning": "USA", "target": "PRK", "start": 2012, "end": 2010}, "before the start"),
        ({"sanctioning": "USA", "target": "PRK", "start": "2012-02-30"}, "not a date"),
        ({"sanctioning": "USA", "target": "PRK", "start": 2012, "kind": 3}, "kind at"),
    ],
)
def test_bad_tables_of_measures(row: dict[str, object], match: str) -> None:
    with pytest.raises(DataValidationError, match=match):
        sanction_measures(pd.DataFrame([row]))


def test_table_needs_its_columns() -> None:
    with pytest.raises(DataValidationError, match="start missing") as info:
        sanction_measures(pd.DataFrame({"sanctioning": ["USA"], "target": ["PRK"]}))
    assert info.value.field == "sanctions"
    with pytest.raises(DataValidationError, match="EventCatalog or a DataFrame"):
        sanction_measures([("USA", "PRK")])  # type: ignore[arg-type]


def test_catalog_with_only_vetoes_has_no_measure() -> None:
    catalog = bt.datasets.dprk_sanctions().of_kind("veto")
    with pytest.raises(InsufficientDataError, match="no sanctions measure"):
        sanction_measures(catalog, target="PRK")


# ------------------------------------------------------------------ estimation
@pytest.fixture(scope="module")
def sim() -> tuple[bt.TradePanel, pd.DataFrame]:
    return simulate_panel(countries=16, years=8, effect=-0.7, sanctioning=6, seed=3)


@needs_pyfixest
def test_periods_are_treated_when_wholly_in_force() -> None:
    # a monthly panel: a measure from 2020-03-15 to 2020-09-30 treats April to September
    panel, _ = simulate_panel(countries=12, years=2, sanctioning=6, seed=5)
    frame = panel.to_frame()
    months = []
    for m in range(1, 13):
        part = frame.assign(period=frame["period"].astype(str) + f"-{m:02d}")
        months.append(part)
    monthly = bt.TradePanel(pd.concat(months, ignore_index=True))
    measures = pd.DataFrame(
        {
            "sanctioning": ["USA;JPN;KOR;GBR;FRA;DEU"],
            "target": ["PRK"],
            "start": ["2000-03-15"],
            "end": ["2000-09-30"],
        }
    )
    result = fit(monthly, measures, fixed_effects="pair+time")
    assert set(result.pairs["first_treated"]) == {"2000-04"}
    assert set(result.pairs["last_treated"]) == {"2000-09"}
    assert (result.pairs["treated_periods"] <= 6).all()


@needs_pyfixest
def test_result_is_immutable_and_renders(sim: tuple[bt.TradePanel, pd.DataFrame]) -> None:
    panel, measures = sim
    result = fit(panel, measures)
    with pytest.raises(dataclasses.FrozenInstanceError):
        result.nobs = 0  # type: ignore[misc]
    text = str(result.summary())
    assert "sanctions" in text and "exporter^period, importer^period, pair" in text
    assert "G/(G-1)" in text and "trade lost" in text
    data = result.to_dict()
    json.dumps(data, allow_nan=False)
    assert data["coefficients"][0]["variable"] == "sanctions"  # type: ignore[index]
    assert data["dropped"] == result.dropped
    frame = result.to_frame()
    assert list(frame["variable"]) == ["sanctions"] and (frame["nobs"] == result.nobs).all()
    assert set(result.to_frame("pairs")["flow"]) == {"exports"}
    assert len(result.to_frame("measures")) == len(measures)
    assert set(result.to_frame("dropped")["reason"]) <= {"all_zero_group", "singleton", "separated"}
    assert len(result.to_frame("dropped")) == sum(result.dropped.values())
    with pytest.raises(DataValidationError, match="table"):
        result.to_frame("nope")  # type: ignore[arg-type]
    with pytest.raises(DataValidationError, match="not one of"):
        result.effect("trade")
    assert "<pre>" in result._repr_html_()


@needs_pyfixest
def test_absent_rows_as_zeros_equal_explicit_zeros(
    sim: tuple[bt.TradePanel, pd.DataFrame],
) -> None:
    panel, measures = sim
    frame = panel.to_frame()
    positive = bt.TradePanel(frame[frame["value"] > 0])
    explicit = fit(panel, measures)
    filled = fit(positive, measures, absent="zero")
    assert filled.sample["filled_zeros"] == int((frame["value"] == 0).sum())
    pd.testing.assert_frame_equal(filled.coefficients, explicit.coefficients, rtol=1e-9)
    assert filled.nobs == explicit.nobs and filled.dropped == explicit.dropped
    # without filling, the zeros are not observations
    assert fit(positive, measures).sample["zeros"] == 0


@needs_pyfixest
def test_importers_reports_only_when_asked(sim: tuple[bt.TradePanel, pd.DataFrame]) -> None:
    panel, measures = sim
    frame = panel.to_frame()
    mirror = frame.assign(reporter=frame["partner"], partner=frame["reporter"], flow="imports")
    both = bt.TradePanel(pd.concat([frame, mirror.assign(value=mirror["value"] * 1.1)]))
    by_exporters = fit(both, measures)
    np.testing.assert_allclose(
        by_exporters.coefficients["estimate"], fit(panel, measures).coefficients["estimate"]
    )
    by_importers = fit(both, measures, reports="importer")
    # the same flows, 10% higher: the same coefficient (scale only moves the fixed effects)
    np.testing.assert_allclose(
        by_importers.coefficients["estimate"], by_exporters.coefficients["estimate"], rtol=1e-6
    )
    assert set(by_importers.pairs["flow"]) == {"imports"}
    assert (by_importers.pairs["reporter"] == by_importers.pairs["importer"]).all()


@needs_pyfixest
def test_separated_observations_are_dropped_counted_and_refitted(
    sim: tuple[bt.TradePanel, pd.DataFrame], monkeypatch: pytest.MonkeyPatch
) -> None:
    # the bookkeeping around the engine's separation check: let the check "find" three zero
    # flows; they are dropped and counted, and the model is refitted without them (no check)
    import pyfixest

    panel, measures = sim
    real = pyfixest.fepois
    checks: list[object] = []

    def fepois(fml: str, data: pd.DataFrame, **kwargs: Any) -> Any:
        checks.append(kwargs["separation_check"])
        if not kwargs["separation_check"]:
            return real(fml, data, **kwargs)
        rows = data.index[(data["y"] == 0).to_numpy()][[0, 10, 20]]
        found = real(fml, data.drop(rows), **kwargs)
        found.na_index = np.asarray(rows)
        return found

    monkeypatch.setattr(pyfixest, "fepois", fepois)
    result = fit(panel, measures)
    assert checks == [["ir"], []]
    assert result.dropped["separated"] == 3
    out = result.to_frame("dropped")
    out = out[out["reason"] == "separated"]
    assert (out["value"] == 0).all()
    monkeypatch.setattr(pyfixest, "fepois", real)
    frame = panel.to_frame()
    key = frame["reporter"].astype(str) + frame["partner"].astype(str) + frame["period"].astype(str)
    gone = set(out["exporter"] + out["importer"] + out["period"])
    without = fit(bt.TradePanel(frame[~key.isin(gone)]), measures)
    np.testing.assert_allclose(
        result.coefficients["std_error"], without.coefficients["std_error"], rtol=1e-6
    )
    np.testing.assert_allclose(
        result.coefficients["estimate"], without.coefficients["estimate"], rtol=1e-9
    )
    assert result.nobs == without.nobs == len(panel) - sum(result.dropped.values())


@needs_pyfixest
def test_separation_check_runs_and_can_be_turned_off(
    sim: tuple[bt.TradePanel, pd.DataFrame],
) -> None:
    panel, measures = sim
    on, off = fit(panel, measures), fit(panel, measures, separation=False)
    assert on.options["separation"] == "iterative rectifier" and off.options["separation"] == "off"
    pd.testing.assert_frame_equal(on.coefficients, off.coefficients, rtol=1e-9)


@needs_pyfixest
def test_un_resolution_is_absorbed_by_structural_effects(
    sim: tuple[bt.TradePanel, pd.DataFrame],
) -> None:
    # every country of the simulated panel is a UN member: the resolution treats every flow
    # of the target, which exporter-period and importer-period effects absorb
    panel, _ = sim
    event = bt.TradeEvent(
        date="2003-06-01", kind="sanctions_resolution", label="x", reference="UNSCR X"
    )
    with pytest.raises(InsufficientDataError, match="collinear with the fixed effects") as info:
        fit(panel, bt.EventCatalog([event]), target="PRK")
    assert "pair+time" in str(info.value)
    result = fit(panel, bt.EventCatalog([event]), target="PRK", fixed_effects="pair+time")
    # the target's flows with its 15 partners in 2004-2007, both ways
    assert (
        result.coefficients.loc["sanctions", "treated"]
        == 15 * 2 * 4
        - result.to_frame("dropped")
        .query("(exporter == 'PRK' or importer == 'PRK') and period >= '2004'")
        .shape[0]
    )


@needs_pyfixest
def test_by_kind_and_direction(sim: tuple[bt.TradePanel, pd.DataFrame]) -> None:
    panel, measures = sim
    kinds = measures.assign(kind=["trade", "trade", "trade", "financial", "financial", "trade"])
    result = fit(panel, kinds, by="kind")
    assert result.variables == ("sanctions:trade", "sanctions:financial")
    # each pair is bound by one sanctioning country: the kinds treat disjoint observations
    assert result.coefficients["treated"].sum() == result.sample["treated"]
    single = fit(panel, measures)
    assert single.sample["treated"] == result.sample["treated"]
    np.testing.assert_allclose(result.lost.estimate, result.pairs["lost"].sum(), rtol=1e-9)
    direction = fit(panel, measures, by="direction", fixed_effects="pair+time")
    assert direction.variables == ("sanctions:to_target", "sanctions:from_target")
    assert set(direction.measures["variable"]) == {"sanctions:to_target; sanctions:from_target"}
    with pytest.raises(DataValidationError, match="name one"):
        direction.effect()


@needs_pyfixest
def test_few_treated_clusters_warn(sim: tuple[bt.TradePanel, pd.DataFrame]) -> None:
    panel, measures = sim
    with pytest.warns(DataQualityWarning, match="treated observations fall in") as caught:
        bt.gravity(panel, measures, by="direction", cluster="exporter")
    texts = sorted(str(w.message).split(":")[1] for w in caught)
    assert texts == ["from_target", "to_target"]
    assert "fall in 1 cluster(s) (by exporter)" in str(caught[0].message) + str(caught[1].message)


@needs_pyfixest
def test_warnings_point_at_the_caller(sim: tuple[bt.TradePanel, pd.DataFrame]) -> None:
    panel, measures = sim
    with pytest.warns(DataQualityWarning, match="treated observations fall in") as caught:
        bt.gravity(panel, catalog=measures, cluster="exporter")
    assert {Path(w.filename).name for w in caught} == {Path(__file__).name}


@needs_pyfixest
def test_caveats_are_kept_on_the_result_and_warned_once(
    sim: tuple[bt.TradePanel, pd.DataFrame],
) -> None:
    panel, measures = sim
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        result = bt.gravity(panel, measures, by="direction", cluster="exporter")
    ours = [w for w in caught if issubclass(w.category, bt.BilateralTradeWarning)]
    assert [str(w.message) for w in ours] == [str(c) for c in result.caveats]
    assert len(result.caveats) == 2 and all(isinstance(c, Caveat) for c in result.caveats)
    assert {c.kind for c in result.caveats} == {"inference"}
    assert {w.filename for w in ours} == {__file__}
    text = str(result.summary())
    assert "caveats:" in text and all(str(c) in text for c in result.caveats)
    data = result.to_dict()
    json.dumps(data, allow_nan=False)
    assert data["caveats"] == [{"text": str(c), "kind": "inference"} for c in result.caveats]
    # called inside the library (collecting), nothing is warned and the result keeps them
    with warnings.catch_warnings(record=True) as caught, collecting() as sink:
        warnings.simplefilter("always")
        quiet = bt.gravity(panel, measures, by="direction", cluster="exporter")
    assert caught == [] and list(sink) == list(quiet.caveats) == list(result.caveats)
    clean = fit(panel, measures)  # clustered by pair: no caveat
    assert clean.caveats == () and "caveats:" not in str(clean.summary())
    assert clean.to_dict()["caveats"] == []


def _exporters(panel: bt.TradePanel, *names: str) -> bt.TradePanel:
    frame = panel.to_frame()
    return bt.TradePanel(frame[frame["reporter"].isin(names)].reset_index(drop=True))


@needs_pyfixest
def test_a_single_cluster_is_refused_naming_the_count_and_the_fix(
    sim: tuple[bt.TradePanel, pd.DataFrame],
) -> None:
    panel, measures = sim
    one = _exporters(panel, "PRK")  # every flow is exported by the target
    with pytest.raises(InsufficientDataError) as info:
        bt.gravity(one, measures, fixed_effects="pair+time", cluster="exporter")
    text = str(info.value)
    assert isinstance(info.value, ValueError)
    assert "1 cluster(s) by exporter" in text and "at least 2 clusters" in text
    assert "cluster='pair' gives 15" in text and "cluster='importer' gives 15" in text
    # the fix works
    assert fit(one, measures, fixed_effects="pair+time", cluster="pair").sample["clusters"] == 15


@needs_pyfixest
def test_clusters_are_counted_after_singletons_are_dropped(
    sim: tuple[bt.TradePanel, pd.DataFrame],
) -> None:
    # a second exporter with a single flow: its row is a singleton of its pair, dropped
    panel, measures = sim
    frame = panel.to_frame()
    prk = frame[frame["reporter"] == "PRK"]
    extra = frame[(frame["reporter"] == "USA") & (frame["partner"] == "CHN")].iloc[:1]
    two = bt.TradePanel(pd.concat([prk, extra], ignore_index=True))
    with pytest.raises(InsufficientDataError, match=r"1 cluster\(s\) by exporter"):
        bt.gravity(two, measures, fixed_effects="pair+time", cluster="exporter")


@needs_pyfixest
def test_two_clusters_for_two_variables_are_refused_and_for_one_a_caveat(
    sim: tuple[bt.TradePanel, pd.DataFrame],
) -> None:
    panel, measures = sim
    two = _exporters(panel, "PRK", "USA")
    with pytest.raises(InsufficientDataError, match=r"2 sanction variables needs at least 3"):
        bt.gravity(two, measures, fixed_effects="pair+time", cluster="exporter", by="direction")
    with pytest.warns(DataQualityWarning, match="only 2 clusters") as caught:
        result = bt.gravity(two, measures, fixed_effects="pair+time", cluster="exporter")
    assert len(caught) == 1  # the sample's few clusters, not also the treated ones
    assert [c.kind for c in result.caveats] == ["inference"]
    assert np.isfinite(result.coefficients["std_error"]).all()


@needs_pyfixest
def test_sanctions_keyword_is_the_old_name_of_catalog(
    sim: tuple[bt.TradePanel, pd.DataFrame],
) -> None:
    panel, measures = sim
    with pytest.warns(FutureWarning, match=r"sanctions= is deprecated.*use catalog=") as caught:
        old = fit(panel, sanctions=measures)
    assert Path(caught[0].filename).name == Path(__file__).name
    assert old.to_dict() == fit(panel, catalog=measures).to_dict() == fit(panel, measures).to_dict()
    with pytest.raises(DataValidationError, match="both sanctions= and catalog="):
        bt.gravity(panel, sanctions=measures, catalog=measures)


@needs_pyfixest
@pytest.mark.parametrize(
    ("kwargs", "error", "match"),
    [
        ({"fixed_effects": "exporter^year"}, DataValidationError, "is not a fixed effect"),
        ({"fixed_effects": []}, DataValidationError, "at least one"),
        ({"fixed_effects": "pair^pair"}, DataValidationError, "is not a fixed effect"),
        ({"cluster": "period"}, DataValidationError, "cluster"),
        ({"by": "year"}, DataValidationError, "by"),
        ({"level": 1.5}, DataValidationError, "level"),
        ({"level": True}, DataValidationError, "level"),
        ({"tol": 0.5}, DataValidationError, "tol"),
        ({"max_iter": 0}, DataValidationError, "max_iter"),
        ({"reports": "both"}, DataValidationError, "reports"),
        ({"absent": "drop"}, DataValidationError, "absent"),
        ({"product": "27"}, DataValidationError, "product"),
    ],
)
def test_bad_options(
    sim: tuple[bt.TradePanel, pd.DataFrame],
    kwargs: dict[str, Any],
    error: type[Exception],
    match: str,
) -> None:
    panel, measures = sim
    with pytest.raises(error, match=match):
        bt.gravity(panel, measures, **kwargs)


@needs_pyfixest
def test_bad_panels(sim: tuple[bt.TradePanel, pd.DataFrame]) -> None:
    panel, measures = sim
    frame = panel.to_frame()
    for bad, match in ((-1.0, "finite non-negative"), (np.nan, "finite non-negative")):
        broken = frame.copy()
        broken.loc[3, "value"] = bad
        with pytest.raises(DataValidationError, match=match) as info:
            bt.gravity(broken, measures)
        assert info.value.field == "value"
    with pytest.raises(DataValidationError, match="no imports rows"):
        bt.gravity(panel, measures, reports="importer")
    total = bt.TradePanel(frame.assign(flow="total"))
    with pytest.raises(DataValidationError, match="directed flows"):
        bt.gravity(total, measures)
    two = bt.TradePanel(pd.concat([frame, frame.assign(product="27")]))
    with pytest.raises(DataValidationError, match="2 products"):
        bt.gravity(two, measures)
    assert bt.gravity(two, measures, product="27").nobs > 0
    with pytest.raises(DataValidationError, match="TradePanel or a DataFrame"):
        bt.gravity([1, 2], measures)  # type: ignore[arg-type]


@needs_pyfixest
def test_world_rows_are_left_out_and_counted(sim: tuple[bt.TradePanel, pd.DataFrame]) -> None:
    panel, measures = sim
    frame = panel.to_frame()
    world = frame.groupby(["reporter", "flow", "product", "period"], as_index=False)["value"].sum()
    with_world = bt.TradePanel(pd.concat([frame, world.assign(partner="WLD")]))
    result = fit(with_world, measures)
    assert result.sample["world_rows"] == len(world)
    pd.testing.assert_frame_equal(result.coefficients, fit(panel, measures).coefficients)


@needs_pyfixest
def test_untreated_and_unidentified_variables(sim: tuple[bt.TradePanel, pd.DataFrame]) -> None:
    panel, measures = sim
    elsewhere = pd.DataFrame({"sanctioning": ["USA"], "target": ["CUB"], "start": [2001]})
    with pytest.raises(InsufficientDataError, match="no observation of the panel is treated"):
        bt.gravity(panel, elsewhere)
    later = measures.assign(start=2050)
    with pytest.raises(InsufficientDataError, match="no observation of the panel is treated"):
        bt.gravity(panel, later)
    # a treated pair whose flows are always zero is an all-zero group: nothing is left
    frame = panel.to_frame()
    usa_prk = ((frame["reporter"] == "USA") & (frame["partner"] == "PRK")) | (
        (frame["reporter"] == "PRK") & (frame["partner"] == "USA")
    )
    one = pd.DataFrame({"sanctioning": ["USA"], "target": ["PRK"], "start": [2004]})
    zeroed = bt.TradePanel(frame.assign(value=frame["value"].where(~usa_prk, 0.0)))
    with pytest.raises(
        InsufficientDataError, match=r"8 treated .*\(dropped: all-zero group 8; 8 of them"
    ):
        bt.gravity(zeroed, one)
    # zero only while treated: perfectly predicted by the dummy (separation, minus infinity)
    late = usa_prk & (frame["period"].astype(str) >= "2004")
    zeroed = bt.TradePanel(frame.assign(value=frame["value"].where(~late, 0.0)))
    with pytest.raises(
        InsufficientDataError, match=r"8 treated .*\(dropped: .*separated \d; 8 of them"
    ):
        bt.gravity(zeroed, one)


def test_missing_engine_names_the_extra(
    monkeypatch: pytest.MonkeyPatch, sim: tuple[bt.TradePanel, pd.DataFrame]
) -> None:
    panel, measures = sim
    monkeypatch.setitem(sys.modules, "pyfixest", None)
    with pytest.raises(MissingDependencyError, match=r"bilateral-trade\[gravity\]") as info:
        bt.gravity(panel, measures)
    assert isinstance(info.value, ImportError) and isinstance(info.value, bt.BilateralTradeError)


def test_simulate_panel_checks_its_arguments() -> None:
    for kwargs in ({"countries": 2}, {"countries": 10, "sanctioning": 10}, {"years": 1}):
        with pytest.raises(DataValidationError):
            simulate_panel(**kwargs)  # type: ignore[arg-type]
    panel, measures = simulate_panel(countries=5, years=3, sanctioning=2, seed=1)
    assert len(panel) == 5 * 4 * 3
    assert (
        measures["target"].tolist() == ["PRK", "PRK"] and measures["start"].tolist() == [2001] * 2
    )
    again, _ = simulate_panel(countries=5, years=3, sanctioning=2, seed=1)
    assert again == panel


def test_import_does_not_load_the_engine() -> None:
    import subprocess

    code = "import sys, bilateral_trade as bt; bt.gravity; print('pyfixest' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


# ------------------------------------------------------------------ screening meets gravity
@needs_pyfixest
def test_screen_results_join_gravity_by_pair(sim: tuple[bt.TradePanel, pd.DataFrame]) -> None:
    panel, measures = sim
    result = fit(panel, measures)
    screened = bt.screen(panel, tests=("chow",), at=2004)
    keys = ["reporter", "partner", "flow", "product"]
    joined = result.pairs.merge(screened, on=keys, how="left", validate="one_to_one")
    assert len(joined) == len(result.pairs) > 0
    assert joined["test"].eq("chow").all()


# ------------------------------------------------------------------ command line
@pytest.fixture
def files(tmp_path: Path, sim: tuple[bt.TradePanel, pd.DataFrame]) -> dict[str, Path]:
    panel, measures = sim
    paths = {
        "panel": tmp_path / "panel.csv",
        "measures": tmp_path / "measures.csv",
        "catalog": tmp_path / "catalog.json",
    }
    panel.to_csv(paths["panel"])
    measures.to_csv(paths["measures"], index=False)
    event = bt.TradeEvent(
        date="2003-06-01", kind="sanctions_resolution", label="x", reference="UNSCR X"
    )
    bt.EventCatalog([event]).to_json(paths["catalog"])
    return paths


@needs_pyfixest
def test_cli_writes_json_and_csv(
    files: dict[str, Path], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "out" / "results.json"
    code = main(
        ["gravity", str(files["panel"]), "--sanctions", str(files["measures"]), "--out", str(out)]
    )
    assert code == 0, capsys.readouterr().err
    data = json.loads(out.read_text())
    panel, measures = simulate_panel(countries=16, years=8, effect=-0.7, sanctioning=6, seed=3)
    direct = fit(panel, measures)
    np.testing.assert_allclose(
        data["coefficients"][0]["estimate"], direct.coefficients.loc["sanctions", "estimate"]
    )
    assert "wrote" in capsys.readouterr().out
    csv = tmp_path / "results.CSV"
    code = main(
        [
            "gravity", str(files["panel"]), "--sanctions", str(files["catalog"]), "--target",
            "PRK", "--fixed-effects", "pair,period", "--cluster", "exporter", "--out", str(csv),
        ]
    )  # fmt: skip
    assert code == 0, capsys.readouterr().err
    table = pd.read_csv(csv)
    assert table["variable"].tolist() == ["sanctions"] and "p_value" in table.columns
    assert "caveats:" not in capsys.readouterr().out


@needs_pyfixest
def test_cli_errors_are_one_line(
    files: dict[str, Path], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    cases = [
        ([str(files["panel"]), "--sanctions", str(files["catalog"])], "target='PRK'"),
        ([str(files["panel"]), "--sanctions", str(tmp_path / "no.csv")], "no such file"),
        ([str(tmp_path / "no.csv"), "--sanctions", str(files["measures"])], "no such file"),
        ([str(files["panel"]), "--sanctions", str(files["panel"])], "columns"),
        ([str(files["catalog"]), "--sanctions", str(files["measures"])], "suffix"),
    ]
    for args, match in cases:
        code = main(["gravity", *args, "--out", str(tmp_path / "r.json")])
        err = capsys.readouterr().err
        assert code == 2 and match in err and err.count("\n") == 1, err
    code = main(
        [
            "gravity",
            str(files["panel"]),
            "--sanctions",
            str(files["measures"]),
            "--out",
            str(tmp_path / "r.txt"),
        ]
    )
    assert code == 2 and "suffix" in capsys.readouterr().err
    assert not (tmp_path / "r.json").exists()


@needs_pyfixest
def test_cli_single_cluster_and_caveats(
    tmp_path: Path, sim: tuple[bt.TradePanel, pd.DataFrame], capsys: pytest.CaptureFixture[str]
) -> None:
    panel, measures = sim
    one, two = tmp_path / "one.csv", tmp_path / "two.csv"
    _exporters(panel, "PRK").to_csv(one)
    _exporters(panel, "PRK", "USA").to_csv(two)
    table = tmp_path / "measures.csv"
    measures.to_csv(table, index=False)
    base = ["--sanctions", str(table), "--fixed-effects", "pair,period", "--cluster", "exporter"]
    code = main(["gravity", str(one), *base, "--out", str(tmp_path / "r.json")])
    err = capsys.readouterr().err
    assert code == 2 and err.count("\n") == 1, err
    assert "unexpected" not in err and "ZeroDivisionError" not in err
    assert "1 cluster(s) by exporter" in err and "cluster='pair' gives 15" in err
    assert not (tmp_path / "r.json").exists()
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        code = main(["gravity", str(two), *base, "--out", str(tmp_path / "r.json")])
    out = capsys.readouterr().out
    assert code == 0 and caught == []  # rendered from the result, not caught as warnings
    assert "caveats:" in out and "only 2 clusters (by exporter)" in out
    data = json.loads((tmp_path / "r.json").read_text())
    assert [c["kind"] for c in data["caveats"]] == ["inference"]


def test_cli_without_the_engine(
    files: dict[str, Path],
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setitem(sys.modules, "pyfixest", None)
    code = main(
        [
            "gravity",
            str(files["panel"]),
            "--sanctions",
            str(files["measures"]),
            "--out",
            str(tmp_path / "r.json"),
        ]
    )
    err = capsys.readouterr().err
    assert code == 2 and "pip install 'bilateral-trade[gravity]'" in err
