"""The worked example of docs/architecture.md runs, and its estimator follows the protocol."""

from __future__ import annotations

import json
import re
import warnings
from pathlib import Path

import bilateral_trade as bt

DOC = Path(__file__).resolve().parent.parent / "docs" / "architecture.md"


def test_the_example_estimator_runs_and_follows_the_protocol() -> None:
    code = re.search(r"## Adding an estimator.*?```python\n(.*?)```", DOC.read_text(), re.S)
    assert code is not None
    namespace: dict[str, object] = {}
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        exec(compile(code.group(1), str(DOC), "exec"), namespace)
    r = namespace["r"]
    assert isinstance(r, bt.Result)
    assert repr(r).startswith("MeanShiftResult(") and str(r) == r.headline()  # type: ignore[attr-defined]
    json.dumps(r.to_dict(), allow_nan=False)  # type: ignore[attr-defined]
    # the example's statistic is the squared HAC t statistic of the step: statsmodels agrees
    import numpy as np
    import statsmodels.api as sm

    from bilateral_trade.models.spec import default_hac_lags

    s = bt.datasets.china_dprk_trade().slice(end=2019)
    y = np.log(s.values.to_numpy())
    X = sm.add_constant((np.arange(len(y)) >= list(s.values.index.year).index(2018)) * 1.0)
    fit = sm.OLS(y, X).fit(
        cov_type="HAC", cov_kwds={"maxlags": default_hac_lags(len(y)), "use_correction": False}
    )
    np.testing.assert_allclose(r.statistic, fit.tvalues[1] ** 2, rtol=1e-8)  # type: ignore[attr-defined]
    assert any(issubclass(w.category, bt.DataQualityWarning) for w in caught)  # n = 17 < 20
