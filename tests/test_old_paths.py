"""Every public name of the modules from before the layers still imports from its old path.

``OLD_NAMES`` is the ``__all__`` of each public module of the package before it was split
into layers (the flat ``bilateral_trade.impact``, ``bilateral_trade.breaks.chow``, …). Each
name is imported from its old path in a fresh interpreter and must be the object the library
now exports. Paths whose name the package now gives to a function (``bilateral_trade.gravity``
is ``bt.gravity``) and names that moved to a later layer (``attribute_breaks``) warn with a
:class:`FutureWarning` that names the new place; the other old paths are silent aliases.
"""

from __future__ import annotations

import importlib
import importlib.util
import json
import subprocess
import sys
import warnings
from pathlib import Path

import pytest

import bilateral_trade as bt

OLD_NAMES: dict[str, list[str]] = {
    "analysis": ["COUNTERFACTUALS", "EventAnalysis", "analyze"],
    "breaks": [
        "BreakTestResult", "CusumTestResult", "MultipleBreaksResult", "Partition",
        "SupFTestResult", "TestStatistic", "bai_perron", "chow_forecast_test", "chow_test",
        "cusum_test", "sup_f_test",
    ],
    "breaks.baiperron": ["bai_perron"],
    "breaks.chow": ["chow_test"],
    "breaks.cusum": ["cusum_test", "recursive_residuals"],
    "breaks.forecast": ["chow_forecast_test"],
    "breaks.results": [
        "BreakTestResult", "CusumTestResult", "MultipleBreaksResult", "Partition",
        "SupFTestResult", "TestStatistic",
    ],
    "breaks.supf": ["sup_f_test"],
    "cases": ["CHINA_DPRK_COUNTERFACTUALS", "china_dprk_2397"],
    "cli": ["main"],
    "countries": ["WORLD", "check_country", "check_currency", "country_name", "m49_to_iso3"],
    "demo": ["DemoResult", "Statement", "china_dprk_demo"],
    "events": [
        "ORGANISATIONS", "SCHEMA_VERSION", "EventCatalog", "EventKind", "EventRole", "TradeEvent",
    ],
    "exposure": ["BasketGap", "basket_gap", "baskets", "exposure"],
    "gravity": [
        "BLOCS", "EU_MEMBERS", "G7_MEMBERS", "UN_MEMBERS", "GravityResult",
        "MissingDependencyError", "gravity", "sanction_measures", "simulate_panel",
    ],
    "growth": ["cagr", "log_change", "yoy", "ytd_yoy"],
    "impact": [
        "BreakAttribution", "Effect", "ImpactResult", "LostTrade", "PlaceboResult",
        "attribute_breaks", "event_impact", "placebo_test",
    ],
    "mirror": ["MirrorResult", "mirror"],
    "panel": ["KEYS", "TradePanel"],
    "plot": ["fstat_path", "impact", "recovery", "series", "yoy"],
    "recovery": ["RecoveryResult", "recovery"],
    "report": ["Report", "Section", "report", "title_in_words"],
    "screening": [
        "SCHEMA", "adjust_pvalues", "arrow_schema", "bucket_of", "describe_model", "screen",
    ],
    "series": ["MISSING", "Flow", "Frequency", "TradeSeries", "check_product"],
    "synthetic": ["SyntheticControlResult", "simplex_lstsq", "synthetic_control"],
    "window": [
        "AnalysisWindow", "check_window", "choose_window", "confounders_inside", "periods_needed",
    ],
}  # fmt: skip

#: Where each old module's names live now.
NEW_HOME = {
    "analysis": "bilateral_trade.workflow.analysis",
    "breaks": "bilateral_trade.stats.breaks",
    "breaks.baiperron": "bilateral_trade.stats.breaks.baiperron",
    "breaks.chow": "bilateral_trade.stats.breaks.chow",
    "breaks.cusum": "bilateral_trade.stats.breaks.cusum",
    "breaks.forecast": "bilateral_trade.stats.breaks.forecast",
    "breaks.results": "bilateral_trade.stats.breaks.results",
    "breaks.supf": "bilateral_trade.stats.breaks.supf",
    "cases": "bilateral_trade.workflow.cases",
    "cli": "bilateral_trade.cli",
    "countries": "bilateral_trade.data.countries",
    "demo": "bilateral_trade.present.demo",
    "events": "bilateral_trade.data.events",
    "exposure": "bilateral_trade.stats.exposure",
    "gravity": "bilateral_trade.stats.gravity",
    "growth": "bilateral_trade.stats.growth",
    "impact": "bilateral_trade.stats.impact",
    "mirror": "bilateral_trade.stats.mirror",
    "panel": "bilateral_trade.data.panel",
    "plot": "bilateral_trade.present.plot",
    "recovery": "bilateral_trade.stats.recovery",
    "report": "bilateral_trade.present.report",
    "screening": "bilateral_trade.stats.screening",
    "series": "bilateral_trade.data.series",
    "synthetic": "bilateral_trade.stats.synthetic",
    "window": "bilateral_trade.workflow.window",
}

#: Names that moved on from the module an old path aliases, and their new module.
MOVED = {
    ("impact", "attribute_breaks"): "bilateral_trade.workflow.attribution",
    ("impact", "BreakAttribution"): "bilateral_trade.workflow.attribution",
}

#: Old paths that are functions of the package now: their names warn.
FUNCTIONS = {"exposure", "gravity", "mirror", "recovery", "report"}

_SCRIPT = """
import json, sys, warnings
names = json.loads(sys.argv[1])
out = {}
for module, listed in names.items():
    for name in listed:
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            scope = {}
            exec(f"from bilateral_trade.{module} import {name} as value", scope)
        out[f"{module}:{name}"] = [
            f"{w.category.__name__}: {w.message} @ {w.filename}" for w in caught
        ]
    if module == "breaks.supf":
        out["matplotlib before plot"] = ["matplotlib" in sys.modules]
print(json.dumps(out))
"""


def test_the_list_is_complete() -> None:
    assert set(OLD_NAMES) == set(NEW_HOME)


@pytest.fixture(scope="module")
def fresh() -> dict[str, list[object]]:
    """Every old name imported in a fresh interpreter, with the warnings each raised."""
    names = dict(OLD_NAMES)
    if importlib.util.find_spec("matplotlib") is None:  # the plot extra is not installed
        del names["plot"]
    src = str(Path(bt.__file__).parents[1])
    done = subprocess.run(
        [sys.executable, "-c", _SCRIPT, json.dumps(names)],
        capture_output=True,
        text=True,
        check=True,
        env={"PYTHONPATH": src, "PATH": ""},
    )
    result: dict[str, list[object]] = json.loads(done.stdout)
    return result


@pytest.mark.parametrize(
    ("module", "name"), [(m, n) for m, names in OLD_NAMES.items() for n in names]
)
def test_old_name_imports_from_its_old_path(
    fresh: dict[str, list[str]], module: str, name: str
) -> None:
    if module == "plot":
        pytest.importorskip("matplotlib")
    warned = fresh[f"{module}:{name}"]
    if (module, name) in MOVED:
        new = MOVED[(module, name)]
        assert len(warned) == 1 and warned[0].startswith("FutureWarning"), warned
        assert f"moved to {new}.{name}" in warned[0] and warned[0].endswith("@ <string>")
    elif module in FUNCTIONS:
        assert len(warned) == 1 and warned[0].startswith("FutureWarning"), warned
        assert f"is now the function bt.{module}" in warned[0]
        assert f"import {name} from {NEW_HOME[module]}" in warned[0]
    else:
        assert warned == [], warned


def test_old_paths_do_not_load_matplotlib_until_plot_is_read(
    fresh: dict[str, list[object]],
) -> None:
    assert fresh["matplotlib before plot"] == [False]


@pytest.mark.parametrize(
    ("module", "name"), [(m, n) for m, names in OLD_NAMES.items() for n in names]
)
def test_old_name_is_the_object_the_library_exports(module: str, name: str) -> None:
    if module == "plot":
        pytest.importorskip("matplotlib")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", FutureWarning)
        old = getattr(importlib.import_module(f"bilateral_trade.{module}"), name)
    home = MOVED.get((module, name), NEW_HOME[module])
    assert old is getattr(importlib.import_module(home), name)


def test_old_submodules_are_the_new_modules_not_copies() -> None:
    import bilateral_trade.breaks.chow as old

    import bilateral_trade.stats.breaks.chow as new

    assert old is new
    assert importlib.import_module("bilateral_trade.impact") is importlib.import_module(
        "bilateral_trade.stats.impact"
    )


def test_moved_names_warn_at_the_importing_line_also_from_the_new_module() -> None:
    with pytest.warns(FutureWarning, match="workflow.attribution.attribute_breaks") as caught:
        from bilateral_trade.impact import attribute_breaks
    assert attribute_breaks is bt.attribute_breaks
    assert caught[0].filename == __file__
    with pytest.warns(FutureWarning, match="moved to bilateral_trade.workflow.attribution"):
        from bilateral_trade.stats.impact import BreakAttribution
    assert BreakAttribution is bt.BreakAttribution
    with pytest.raises(ImportError, match="nothing_here"):
        from bilateral_trade.impact import nothing_here  # type: ignore[attr-defined]  # noqa: F401


def test_function_paths_stay_functions_and_name_their_module() -> None:
    with pytest.warns(FutureWarning, match=r"import simulate_panel from bilateral_trade\.stats"):
        from bilateral_trade.gravity import simulate_panel
    from bilateral_trade.stats.gravity import simulate_panel as new

    assert simulate_panel is new
    assert callable(bt.gravity) and not isinstance(bt.gravity, type(bt))
    for name in FUNCTIONS:
        assert callable(getattr(bt, name)), name
    with pytest.raises(ImportError, match="nothing_here"):
        from bilateral_trade.gravity import nothing_here  # type: ignore[attr-defined]  # noqa: F401
