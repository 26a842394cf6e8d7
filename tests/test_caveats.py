"""Caveats are data: emitted once, at the public function the user called."""

from __future__ import annotations

import json
import warnings

import numpy as np
import pandas as pd
import pytest

import bilateral_trade as bt
from bilateral_trade.models.caveats import collecting, emit
from bilateral_trade.models.results import Caveat


def test_emit_warns_at_the_callers_line_or_goes_to_the_collector() -> None:
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        emit("a caveat", "inference", stacklevel=1)
    assert len(caught) == 1 and caught[0].filename == __file__
    assert caught[0].category is bt.DataQualityWarning
    with warnings.catch_warnings(record=True) as caught, collecting() as sink:
        warnings.simplefilter("always")
        emit("kept as data", "fit")
    assert caught == [] and sink == [Caveat("kept as data", "fit")] and sink[0].kind == "fit"


def test_analyze_reports_each_caveat_once_at_the_users_line() -> None:
    s = bt.datasets.china_dprk_trade()
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        a = bt.analyze(s, "UNSCR 2397", catalog=bt.datasets.dprk_sanctions(), baseline=2019)
    ours = [w for w in caught if issubclass(w.category, bt.BilateralTradeWarning)]
    assert [str(w.message) for w in ours] == [str(c) for c in a.caveats]
    assert all(w.filename == __file__ for w in ours)
    assert len(set(map(str, a.caveats))) == len(a.caveats)


def test_a_sub_call_caveat_reaches_the_analysis_with_its_kind() -> None:
    rng = np.random.default_rng(4)
    y = pd.Series(
        np.exp(np.linspace(1, 3, 12) + rng.normal(0, 0.05, 12)),
        index=pd.period_range("2000", periods=12, freq="Y"),
    )
    event = bt.TradeEvent(reference="ev", date="2004-01-01", kind="other", label="an event")
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        a = bt.analyze(y, event, counterfactual="trend", baseline=2003)
    extrapolation = [c for c in a.caveats if c.kind == "extrapolation"]
    assert len(extrapolation) == 1 and "extrapolated over 8 periods" in extrapolation[0]
    assert sum("extrapolated" in str(w.message) for w in caught) == 1


def test_analyze_refuses_arguments_it_would_ignore() -> None:
    s = bt.datasets.china_dprk_trade()
    c = bt.datasets.dprk_sanctions()
    with pytest.raises(bt.DataValidationError, match="control: given, but only counterfactual"):
        bt.analyze(s, "UNSCR 2397", catalog=c, counterfactual="trend", control=s, baseline=2019)
    for bad in (0, 2.5, True):
        with pytest.raises(bt.DataValidationError, match="n_placebos"):
            bt.analyze(s, "UNSCR 2397", catalog=c, n_placebos=bad, baseline=2019)
    with pytest.raises(bt.DataValidationError, match="demean: 'no' is not True or False"):
        bt.analyze(s, "UNSCR 2397", catalog=c, demean="no", baseline=2019)
    with pytest.raises(bt.DataValidationError, match="log: 'no' is not True or False"):
        bt.analyze(s, "UNSCR 2397", catalog=c, log="no", baseline=2019)


def test_a_report_names_the_components_it_could_not_compute() -> None:
    s = bt.datasets.china_dprk_trade().slice(end=2010)  # 8 years: too short for sup-F
    r = bt.report(s, tests=("sup_f", "bai_perron"))
    assert set(r.not_computed) == {"sup_f", "bai_perron"}
    assert all(isinstance(v, bt.NotComputed) and str(v) for v in r.not_computed.values())
    a = bt.cases.china_dprk_2397()
    assert dict(bt.report(a).not_computed) == dict(a.not_computed)


def test_analyze_refuses_malformed_counterfactuals_and_catalogs_by_name() -> None:
    s = bt.datasets.china_dprk_trade()
    c = bt.datasets.dprk_sanctions()
    for bad in (None, 3):
        with pytest.raises(
            bt.DataValidationError, match=r"counterfactual: .* is not a counterfactual"
        ):
            bt.analyze(s, "UNSCR 2397", catalog=c, counterfactual=bad, baseline=2019)
    with pytest.raises(bt.DataValidationError, match="catalog: expected an EventCatalog"):
        bt.analyze(s, "UNSCR 2397", catalog="dprk", baseline=2019)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", bt.DataQualityWarning)
        as_list = bt.analyze(s, "UNSCR 2397", catalog=list(c), baseline=2019)
        as_catalog = bt.analyze(s, "UNSCR 2397", catalog=c, baseline=2019)
    assert as_list.headline() == as_catalog.headline()


def test_a_break_without_an_interval_is_attributed_at_its_period() -> None:
    # In levels, Bai's distribution for the 2014 break is degenerate: no interval (NaT).
    s = bt.datasets.china_dprk_trade()
    c = bt.datasets.dprk_sanctions()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", bt.DataQualityWarning)
        a = bt.analyze(s, "UNSCR 2397", catalog=c, log=False, baseline=2019)
    ci = a.bai_perron.confidence_intervals  # type: ignore[union-attr]
    assert ci["lower"].isna().any()
    row = a.attribution.row(2014)  # type: ignore[union-attr]
    assert row["attributed"] is not None and row["distance"] == 0
    json.dumps(a.to_dict(), allow_nan=False)
    rep = bt.report(s, catalog=c, event="UNSCR 2397", log=False, baseline=2019)
    assert "2014" in rep.to_html()
