"""``bt.screen``: the options, the engines (processes, Dask) and the false-discovery step."""

from __future__ import annotations

import os
import warnings
from collections.abc import Sequence
from typing import Any, Literal

import pandas as pd

from ..._util.format import show
from ...errors import BilateralTradeWarning, DataValidationError
from ...models.spec import Spec, check_trim
from ...models.validators import check_bool, check_choice, check_int
from .core import TESTS, _panel_frame, _screen_frame, describe_model, finalize

__all__ = ["screen"]


def _cpu_count() -> int:
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # pragma: no cover - not on Linux
        return max(1, os.cpu_count() or 1)


def _check_options(
    tests: Any, trim: Any, log: Any, trend: Any, min_obs: Any, n_jobs: Any, chunk_size: Any
) -> tuple[tuple[str, ...], float | int | Literal["auto"], int, int, int]:
    """Validate the arguments of :func:`screen` before any series is touched."""
    chosen = (tests,) if isinstance(tests, str) else tuple(tests)
    unknown = [t for t in chosen if t not in TESTS]
    if unknown or not chosen:
        raise DataValidationError(
            f"tests: {', '.join(map(show, unknown)) or 'none'} — choose from chow, sup_f",
            field="tests",
            value=list(chosen),
        )
    checked_trim: float | int | Literal["auto"] = (
        "auto" if isinstance(trim, str) and trim == "auto" else check_trim(trim, "as sup_f_test")
    )
    Spec.from_keywords(log=log, trend=trend)  # booleans only
    obs = check_int(
        min_obs, "min_obs", minimum=1, hint="give the least number of observations to test"
    )
    jobs = check_int(
        n_jobs, "n_jobs", minimum=1, hint="give a number of processes (1 runs in this one)"
    )
    cpus = _cpu_count()
    if jobs > cpus:
        warnings.warn(
            BilateralTradeWarning(
                f"n_jobs: {jobs} processes on {cpus} CPU(s); using {cpus} (more processes "
                "than CPUs only add overhead)"
            ),
            stacklevel=3,
        )
        jobs = cpus
    size = check_int(chunk_size, "chunk_size", minimum=1, hint="give a number of series per chunk")
    return chosen, checked_trim, obs, jobs, size


def screen(
    data: Any,
    *,
    tests: Sequence[str] = TESTS,
    at: Any = None,
    trim: float | int | Literal["auto"] = "auto",
    log: bool = True,
    trend: bool = True,
    min_obs: int = 8,
    fdr: Literal["bh", "by"] | None = "bh",
    n_jobs: int = 1,
    progress: bool = False,
    chunk_size: int = 20_000,
) -> pd.DataFrame:
    """Test every series of a panel for a structural break.

    Model per series (the default): ``log y_t`` on an intercept and a linear trend, all
    coefficients may break — trade grows, and a test against a constant mean flags almost
    every growing series (on simulated break-free trending series, Chow at 5% rejects for
    92% with ``trend=False`` and 5% with the default; see the docs' "Screening at scale").
    ``trend=False`` tests the mean only, ``log=False`` the levels.
    ``"chow"`` tests a break at ``at`` (the first period of the new regime: a period, a year,
    or a TradeEvent's first period), ``"sup_f"`` a break at an unknown period with trimming
    ``trim`` — the same statistics and p-values as :func:`bilateral_trade.chow_test` and
    :func:`bilateral_trade.sup_f_test` with the same ``log`` and ``trend``. The default
    ``trim="auto"`` takes, for each series length, the smallest tabulated trimming (0.15,
    0.20, 0.25) whose segments hold more observations than the model has coefficients — the
    rule of :func:`bilateral_trade.analyze` (:meth:`~bilateral_trade.models.spec.Spec.choose_trim`):
    a 16-year annual history with a trend is screened with trim 0.20, where 0.15 would leave
    segments of 2 observations for 2 coefficients. The trim used is in the ``trim`` column.

    Parameters
    ----------
    data : TradePanel, pandas.DataFrame or dask.dataframe.DataFrame
        Long table with the panel's columns.
    tests : sequence of {"chow", "sup_f"}
    at : period-like or TradeEvent, optional
        Needed for ``"chow"``; series where it is not admissible get status ``"at outside"``.
    trim : float in (0, 0.5), int or "auto", default "auto"
        As :func:`bilateral_trade.sup_f_test`; ``"auto"`` chooses per series length (above).
    log : bool, default True
        Test ``log y`` (series with a non-positive value get a status).
    trend : bool, default True
        Include a linear trend (in every regime).
    min_obs : int, default 8
        Series shorter than this get status ``"too short"``.
    fdr : {"bh", "by"} or None, default "bh"
        q-values across the tested rows of each test.
    n_jobs : int, default 1
        Processes over chunks of series (not one task per series); more than the CPUs
        available is reduced to their number, with a warning.
    progress : bool, default False
        A progress bar with rate and ETA on stderr.
    chunk_size : int, default 20000
        Series per chunk.

    Returns
    -------
    pandas.DataFrame
        One row per series × test, with the columns and dtypes of :data:`SCHEMA`, sorted by
        key and test; ``attrs["model"]`` describes the model. ``status`` is ``"ok"`` or why
        the series was not tested (``"too short"``, ``"constant"`` — also constant in logs,
        or up to rounding —, ``"exact fit"`` — the model without a break fits exactly, up to
        rounding, e.g. an exact line with ``trend=True`` —, ``"exact break"`` — the model
        with a break fits exactly, the statistic is infinite —, ``"subnormal"``, ``"gaps"``,
        ``"non-positive with log"``, ``"at outside"``, ``"not tested"``), with a
        ``message``. Only ``"ok"`` rows carry a statistic, a p-value and a q-value: a
        statistic that is not a finite number never carries a p-value.

    Raises
    ------
    DataValidationError
        An unknown test; ``trim``, ``min_obs``, ``n_jobs``, ``chunk_size``, ``log`` or
        ``trend`` of the wrong type or range (naming the argument); mixed frequencies or
        duplicate keys in the panel; a Dask frame without the key columns.
    InsufficientDataError
        An empty panel.

    Warns
    -----
    BilateralTradeWarning
        ``n_jobs`` above the number of CPUs (it is reduced to that number).
    """
    tests, trim, min_obs, n_jobs, chunk_size = _check_options(
        tests, trim, log, trend, min_obs, n_jobs, chunk_size
    )
    log, trend = bool(log), bool(trend)
    progress = False if progress is None else check_bool(progress, "progress")
    if fdr is not None:
        check_choice(fdr, "fdr", ("bh", "by"))
    if type(data).__module__.startswith("dask"):
        from .dask import screen_dask

        result = screen_dask(
            data,
            tests=tests,
            at=at,
            trim=trim,
            log=log,
            trend=trend,
            min_obs=min_obs,
            fdr=fdr,
            chunk_size=chunk_size,
        )
    else:
        frame, freq = _panel_frame(data)
        result = finalize(
            _screen_frame(
                frame,
                freq,
                tests=tests,
                at=at,
                trim=trim,
                log=log,
                trend=trend,
                min_obs=min_obs,
                n_jobs=n_jobs,
                progress=progress,
                chunk_size=chunk_size,
            ),
            fdr,
        )
    result.attrs["model"] = describe_model(log, trend)
    return result
