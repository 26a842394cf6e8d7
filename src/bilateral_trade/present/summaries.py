"""Plain-text summaries of the library's tables (the screen's results, the catalog list).

The tables are pandas DataFrames with a documented schema, not result objects, so their
summaries live here; ``bilateral-trade screen`` and ``bilateral-trade catalogs`` print them.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import pandas as pd

from .._util.format import Summary
from ..stats.screening import describe_model

__all__ = ["catalogs_json", "catalogs_text", "screen_summary"]


def catalogs_text(table: pd.DataFrame) -> Summary:
    """Each catalog of :func:`bilateral_trade.datasets.catalogs` in three lines.

    Parameters
    ----------
    table : pandas.DataFrame
        As :func:`~bilateral_trade.datasets.catalogs` returns it.

    Returns
    -------
    Summary
        One paragraph per catalog: its size, span and events by role; its loader; its
        sources.
    """
    blocks = [
        f"{r.name}: {r.events} events, {r.first} to {r.last} (sanctions {r.sanctions}, "
        f"confounders {r.confounders}, measurement {r.measurement}, context {r.context})\n"
        f"  loader: {r.loader}\n"
        f"  sources: {r.source}"
        for r in table.itertuples(index=False)
    ]
    return Summary("\n\n".join(blocks))


def catalogs_json(table: pd.DataFrame) -> str:
    """The table of :func:`bilateral_trade.datasets.catalogs` as a JSON list of records.

    Dates are ISO 8601 text.
    """
    records = [
        {str(k): v.isoformat() if hasattr(v, "isoformat") else v for k, v in row.items()}
        for row in table.astype(object).to_dict(orient="records")
    ]
    return json.dumps(records, indent=1, ensure_ascii=False)


def screen_summary(
    result: pd.DataFrame,
    *,
    tests: Sequence[str],
    log: bool,
    trend: bool,
    at: Any = None,
    at_hint: str = "give at= for the Chow test",
    written: Path | None = None,
    top: int = 10,
) -> Summary:
    """A summary of :func:`bilateral_trade.screen`'s results: counts and the largest breaks.

    Parameters
    ----------
    result : pandas.DataFrame
        The screen's rows (:data:`bilateral_trade.stats.screening.SCHEMA`).
    tests : sequence of str
        The tests the screen ran, in the order to report them.
    log, trend : bool
        The model the screen used (described in words).
    at : period, optional
        The Chow test's break period; without one the Chow line ends with ``at_hint``.
    at_hint : str
        How to give the Chow test a period (the command line says ``give --at ...``).
    written : Path, optional
        The file the results were written to, named on the first line.
    top : int, default 10
        Series listed per test, largest statistic first.

    Returns
    -------
    Summary
        The number of series screened; the model; per test the rows tested, those with a
        q-value below 0.05, the rows not tested by reason, and the ``top`` largest breaks.
    """
    n_series = result[["reporter", "partner", "flow", "product"]].drop_duplicates().shape[0]
    lines = [
        f"screened {n_series:,} series" + ("" if written is None else f"; wrote {written}"),
        f"model: {describe_model(log, trend)}",
    ]
    for test in tests:
        rows = result[result["test"] == test]
        ok = rows[rows["status"] == "ok"]
        lines.append(
            f"{test}: {len(ok):,} tested, {int((ok['q_value'] < 0.05).sum()):,} with q < 0.05"
            + _not_tested(rows)
            + (f"; {at_hint}" if test == "chow" and at is None else "")
        )
        for r in ok.sort_values("statistic", ascending=False).head(top).itertuples(index=False):
            lines.append(
                f"  {r.reporter}->{r.partner} {r.flow} {r.product}: {r.statistic:.2f} "
                f"(q = {r.q_value:.2g}, break {r.break_period})"
            )
    return Summary("\n".join(lines))


def _not_tested(rows: pd.DataFrame) -> str:
    """``"; not tested: 2 (exact fit 1, not tested 1)"``, or nothing when every row was."""
    why = rows.loc[rows["status"] != "ok", "status"].value_counts()
    if not len(why):
        return ""
    counts = ", ".join(f"{status} {count:,}" for status, count in why.items())
    return f"; not tested: {int(why.sum()):,} ({counts})"
