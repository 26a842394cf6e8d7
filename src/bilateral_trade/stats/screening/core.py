"""Screening: test many series at once for breaks, with false-discovery control.

``bt.screen(panel, tests=("chow", "sup_f"), at=2018)`` returns one row per series × test with
a fixed schema (:data:`SCHEMA`). Series of equal length and start are stacked into a matrix
and tested in one batched least-squares pass from cumulative cross-product sums — no
per-series pandas objects, no per-series regressions — and give the same statistics and
p-values as :func:`bilateral_trade.chow_test` and :func:`bilateral_trade.sup_f_test`. A
series that cannot be tested gets a row with its ``status`` and ``message``; the screen never
stops on one series. q-values control the false-discovery rate across all tested rows of a
test (Benjamini–Hochberg, or Benjamini–Yekutieli under dependence).
"""

from __future__ import annotations

import zlib
from collections.abc import Callable, Iterable
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from typing import Any, Literal

import numpy as np
import pandas as pd
from scipy import stats

from ..._util.progress import ProgressBar
from ...data.events import TradeEvent
from ...data.panel import KEYS, TradePanel
from ...data.periods import Frequency, parse_period
from ...errors import BilateralTradeError, DataValidationError, InsufficientDataError
from ...models.spec import Spec, check_trim
from ...models.validators import exact_fit_tolerance, pow2_scale
from ..breaks.pvalues import hansen_pvalue_array

__all__ = [
    "SCHEMA",
    "TESTS",
    "adjust_pvalues",
    "arrow_schema",
    "bucket_of",
    "describe_model",
    "finalize",
]

#: The columns of :func:`screen`'s result and their pandas dtypes, in order.
SCHEMA: dict[str, str] = {
    "reporter": "object",
    "partner": "object",
    "flow": "object",
    "product": "object",
    "test": "object",
    "statistic": "float64",
    "p_value": "float64",
    "q_value": "float64",
    "break_period": "object",
    "nobs": "int64",
    "status": "object",
    "message": "object",
    "at": "object",
    "trim": "float64",
    "log": "bool",
    "trend": "bool",
}
TESTS = ("chow", "sup_f")


def arrow_schema() -> Any:
    """:data:`SCHEMA` as a ``pyarrow.Schema`` (strings, float64, int64, bool)."""
    import pyarrow as pa

    kinds = {
        "object": pa.string(),
        "float64": pa.float64(),
        "int64": pa.int64(),
        "bool": pa.bool_(),
    }
    return pa.schema([(name, kinds[dtype]) for name, dtype in SCHEMA.items()])


def bucket_of(keys: pd.DataFrame, buckets: int) -> np.ndarray:
    """A stable bucket per key: CRC-32 of ``reporter|partner|flow|product`` modulo ``buckets``.

    The same on every machine and run (unlike Python's ``hash``), so a distributed engine can
    send every row of a series to the same worker.
    """
    joined = keys[KEYS[0]].astype(str)
    for key in KEYS[1:]:  # vectorised text operations, not a Python function per row
        joined = joined + "|" + keys[key].astype(str)
    return np.fromiter(
        (zlib.crc32(s.encode("utf-8")) % buckets for s in joined.tolist()),
        dtype=np.int64,
        count=len(joined),
    )


def adjust_pvalues(p: np.ndarray, method: Literal["bh", "by"] = "bh") -> np.ndarray:
    """Benjamini–Hochberg (``"bh"``) or Benjamini–Yekutieli (``"by"``) q-values; NaN stays NaN."""
    p = np.asarray(p, dtype=np.float64)
    q = np.full_like(p, np.nan)
    ok = ~np.isnan(p)
    m = int(ok.sum())
    if m == 0:
        return q
    order = np.argsort(p[ok], kind="mergesort")
    ranked = p[ok][order] * m / np.arange(1, m + 1)
    if method == "by":
        ranked *= float(np.sum(1.0 / np.arange(1, m + 1)))
    ranked = np.minimum.accumulate(ranked[::-1])[::-1]
    out = np.empty(m)
    out[order] = np.minimum(ranked, 1.0)
    q[ok] = out
    return q


@dataclass
class _Options:
    tests: tuple[str, ...]
    at: pd.Period | None
    trim: float | int | Literal["auto"]
    spec: Spec
    min_obs: int

    def trim_for(self, n: int, k: int) -> float | int | None:
        """The trimming used for series of ``n`` observations (None: none is tabulated)."""
        return self.spec.choose_trim(n, k) if self.trim == "auto" else self.trim


def _prefix_rss(Z: np.ndarray, k: int) -> tuple[np.ndarray, np.ndarray]:
    """RSS of the first ``b`` and last ``n - b`` rows of every series (``b = 0..n``).

    ``Z`` is ``(m, n, k + 1)``: standardised regressors (shared) and ``y`` per series.
    """
    m = Z.shape[0]
    x = Z[0, :, :k]
    xx = x[:, :, None] * x[:, None, :]
    fxx = np.concatenate([np.zeros((1, k, k)), np.cumsum(xx, axis=0)])
    bxx = np.concatenate([np.cumsum(xx[::-1], axis=0)[::-1], np.zeros((1, k, k))])
    y = Z[:, :, k]
    xy = x[None, :, :] * y[:, :, None]
    fxy = np.concatenate([np.zeros((m, 1, k)), np.cumsum(xy, axis=1)], axis=1)
    bxy = np.concatenate([np.cumsum(xy[:, ::-1], axis=1)[:, ::-1], np.zeros((m, 1, k))], axis=1)
    yy = y * y
    fyy = np.concatenate([np.zeros((m, 1)), np.cumsum(yy, axis=1)], axis=1)
    byy = np.concatenate([np.cumsum(yy[:, ::-1], axis=1)[:, ::-1], np.zeros((m, 1))], axis=1)
    with np.errstate(all="ignore"):
        finv = np.linalg.pinv(fxx)  # rank-deficient (short) prefixes are never used
        binv = np.linalg.pinv(bxx)
        pre = fyy - np.einsum("mbi,bij,mbj->mb", fxy, finv, fxy)
        suf = byy - np.einsum("mbi,bij,mbj->mb", bxy, binv, bxy)
    return np.maximum(pre, 0.0), np.maximum(suf, 0.0)


_TINY = float(np.finfo(np.float64).tiny)


def _statuses(
    values: np.ndarray, opts: _Options, k: int
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Status and message per series, and the outcome rows scaled by powers of two.

    Returns ``status, message, y, centred, tss, sumsq``. Series too short for the model are
    called so before any other check (a one-observation series is too short, not constant).
    """
    m, n = values.shape
    spec = opts.spec
    status = np.full(m, "ok", dtype=object)
    message = np.full(m, "", dtype=object)
    need = max(opts.min_obs, spec.min_nobs(k))
    if n < need:
        status[:] = "too short"
        message[:] = f"{n} observations, need at least {need}"
    y = values.copy()
    if spec.log:
        nonpos = (y <= 0).any(axis=1) & (status == "ok")
        status[nonpos] = "non-positive with log"
        message[nonpos] = "log=True needs positive values"
        with np.errstate(divide="ignore", invalid="ignore"):
            y = np.log(np.where(y > 0, y, 1.0))
    # Divide every row by a power of two (exact): sums of squares can then neither
    # overflow nor underflow, whatever the units; every statistic is invariant to it.
    amax = np.max(np.abs(y), axis=1)
    subnormal = (amax > 0) & (amax < _TINY) & (status == "ok")
    status[subnormal] = "subnormal"
    message[subnormal] = (
        f"every value is below {_TINY:.3g} (subnormal numbers keep only a few significant "
        "digits); express the series in a smaller unit"
    )
    y = y / pow2_scale(np.where(amax >= _TINY, amax, 0.0))[:, None]
    centred = y - y.mean(axis=1, keepdims=True)
    tss = np.einsum("ij,ij->i", centred, centred)
    sumsq = np.einsum("ij,ij->i", y, y)
    constant = (tss <= exact_fit_tolerance(tss, sumsq, n)) & (status == "ok")
    status[constant] = "constant"
    message[constant] = (
        "the series is constant" + (" in logs" if spec.log else "") + " (up to rounding)"
    )
    return status, message, y, centred, tss, sumsq


def _chow_stats(
    pre: np.ndarray,
    suf: np.ndarray,
    tol: np.ndarray,
    periods: pd.PeriodIndex,
    opts: _Options,
    k: int,
) -> dict[str, Any]:
    """The Chow F statistic at ``opts.at`` for every series, or why it cannot be computed."""
    assert opts.at is not None
    n = len(periods)
    rss0 = pre[:, n]
    pos = (opts.at - periods[0]).n if opts.at.freqstr == periods.freqstr else -1
    lo, hi = opts.spec.chow_range(n, k)
    if not lo <= pos <= hi:
        return {
            "stat": None,
            "why": f"at {opts.at} is outside the admissible range "
            + (f"{periods[lo]} to {periods[hi]}" if lo <= hi else "(series too short)"),
        }
    rss1 = pre[:, pos] + suf[:, pos]
    df1, df2 = float(k), float(n - 2 * k)
    with np.errstate(divide="ignore", invalid="ignore"):  # rows not ok are dropped
        f = (np.maximum(rss0 - rss1, 0.0) / df1) / (rss1 / df2)
    return {
        "stat": f,
        "p": np.asarray(stats.f.sf(f, df1, df2)),
        "brk": str(opts.at),
        "why": "",
        "exact": rss1 <= tol,
        "exact_at": str(opts.at),
        "name": "F",
    }


def _sup_f_stats(
    pre: np.ndarray,
    suf: np.ndarray,
    tol: np.ndarray,
    ok: np.ndarray,
    periods: pd.PeriodIndex,
    trim: float | int | None,
    k: int,
) -> dict[str, Any]:
    """The sup-F statistic, its p-value and arg-max for every series, or why not."""
    n = len(periods)
    if trim is None:
        return {
            "stat": None,
            "why": f"{n} observations are too few for {k} coefficient(s) per segment with a "
            "trimming of at most 0.25",
        }
    try:
        h, _ = Spec.break_range(n, k, trim)  # the admissible breaks of sup_f_test
    except BilateralTradeError:
        return {"stat": None, "why": f"too short for trim {trim}: {n} observations"}
    rss0 = pre[:, n]
    points = np.arange(h, n - h + 1)
    rss1 = pre[:, points] + suf[:, points]
    exact_at = rss1 <= tol[:, None]
    with np.errstate(divide="ignore", invalid="ignore"):  # rows not ok are dropped
        path = np.maximum(rss0[:, None] - rss1, 0.0) / (rss1 / (n - 2 * k))
    arg = np.argmax(path, axis=1)
    sup = path[np.arange(len(path)), arg]
    exact = exact_at.any(axis=1)
    lam = ((n - h) * (n - h)) / (h * (n - (n - h)))
    p, _ = hansen_pvalue_array(np.where(ok & ~exact, sup, 0.0), "sup", k, lam)
    labels = np.asarray([str(p) for p in periods[points]], dtype=object)
    return {
        "stat": sup,
        "p": p,
        "brk": labels[arg],
        "why": "",
        "exact": exact,
        "exact_at": labels[np.argmax(exact_at, axis=1)],
        "name": "sup-F",
    }


def _kernel(values: np.ndarray, periods: pd.PeriodIndex, opts: _Options) -> dict[str, Any]:
    """Statistics for a block of series that share their periods (rows of ``values``).

    Returns the statuses and messages per series and, per test, a dict with ``stat``,
    ``p``, ``brk`` (arrays, or ``stat`` None when the test cannot run on this block),
    ``why`` (the reason then), ``exact`` (series that the model with the break fits
    exactly, up to rounding: the statistic is infinite), ``exact_at`` (that break period)
    and ``name`` (of the statistic).
    """
    m, n = values.shape
    spec = opts.spec
    k = spec.coefficients()
    status, message, _, centred, tss, sumsq = _statuses(values, opts, k)
    trim = opts.trim_for(n, k)
    out: dict[str, Any] = {"status": status, "message": message, "nobs": n, "trim": trim}
    ok = status == "ok"
    if not ok.any():
        return out
    Z = np.empty((m, n, k + 1))
    Z[:, :, 0] = 1.0
    if spec.trend:
        t = np.arange(1.0, n + 1.0)
        Z[:, :, 1] = (t - t.mean()) / t.std()
    var = np.where(tss > 0, tss / n, 1.0)
    Z[:, :, k] = centred / np.sqrt(var)[:, None]
    pre, suf = _prefix_rss(Z, k)  # in units of the standardised y (its TSS is n)
    tol = exact_fit_tolerance(np.float64(n), sumsq / var, n)
    exact_null = (pre[:, n] <= tol) & ok
    status[exact_null] = "exact fit"
    message[exact_null] = (
        f"the model without a break ({spec.terms()}) fits the series exactly, up to rounding: "
        "nothing to test"
    )
    if "chow" in opts.tests and opts.at is not None:
        out["chow"] = _chow_stats(pre, suf, tol, periods, opts, k)
    if "sup_f" in opts.tests:
        out["sup_f"] = _sup_f_stats(pre, suf, tol, ok, periods, trim, k)
    return out


def _screen_block(args: tuple[np.ndarray, pd.PeriodIndex, pd.DataFrame, _Options]) -> pd.DataFrame:
    values, periods, keys, opts = args
    res = _kernel(values, periods, opts)
    frames = []
    for test in opts.tests:
        m = len(keys)
        stat = np.full(m, np.nan)
        pval = np.full(m, np.nan)
        brk = np.full(m, None, dtype=object)
        status = res["status"].copy()
        message = res["message"].copy()
        if test == "chow" and opts.at is None:
            status[status == "ok"] = "not tested"
            message[status == "not tested"] = "chow needs at="
        elif test in res:
            r = res[test]
            ok = status == "ok"
            if r["stat"] is None:
                status[ok] = "too short" if test == "sup_f" else "at outside"
                message[ok] = r["why"]
            else:
                exact = ok & r["exact"]
                if exact.any():
                    where = r["exact_at"]
                    at_rows = (
                        where[exact] if isinstance(where, np.ndarray) else [where] * exact.sum()
                    )
                    status[exact] = "exact break"
                    message[exact] = [
                        f"the model with a break at {w} fits the series exactly, up to "
                        f"rounding: {r['name']} is infinite and has no p-value"
                        for w in at_rows
                    ]
                ok &= ~exact
                # the rule: a statistic that is not a finite number never carries a p-value
                bad = ok & ~(np.isfinite(r["stat"]) & np.isfinite(r["p"]))
                status[bad] = "undefined"
                message[bad] = "the statistic is not a finite number for this series"
                ok &= ~bad
                stat[ok], pval[ok] = r["stat"][ok], r["p"][ok]
                b = r["brk"]
                brk[ok] = b[ok] if isinstance(b, np.ndarray) else b
        frame = keys.reset_index(drop=True).copy()
        frame["test"] = test
        frame["statistic"] = stat
        frame["p_value"] = pval
        frame["q_value"] = np.nan
        frame["break_period"] = brk
        frame["nobs"] = np.int64(values.shape[1])
        frame["trim"] = np.nan if res["trim"] is None else float(res["trim"])
        frame["status"] = status
        frame["message"] = message
        frames.append(frame)
    return pd.concat(frames, ignore_index=True)


def _blocks(
    frame: pd.DataFrame, freq: Frequency
) -> tuple[list[tuple[np.ndarray, pd.PeriodIndex, pd.DataFrame]], pd.DataFrame]:
    """Stack series of equal start and length; return blocks and the rows of gapped series."""
    ordinal_all = pd.PeriodIndex(frame["period"]).asi8
    codes = [pd.Categorical(frame[k]).codes for k in reversed(KEYS)]
    order = np.lexsort((ordinal_all, *codes))
    frame = frame.take(order)
    ordinal = ordinal_all[order]
    group = frame.groupby(list(KEYS), sort=False).ngroup().to_numpy()
    starts = np.r_[0, np.flatnonzero(np.diff(group)) + 1]
    ends = np.r_[starts[1:], len(frame)]
    first, last = ordinal[starts], ordinal[ends - 1]
    counts = ends - starts
    regular = (last - first + 1) == counts
    keys = frame[list(KEYS)].take(starts).reset_index(drop=True)
    values = frame["value"].to_numpy(dtype=np.float64)
    blocks = []
    shapes = np.stack([first, counts], axis=1)[regular]
    rows_of = np.flatnonzero(regular)
    for f0, cnt in np.unique(shapes, axis=0):
        rows = rows_of[(shapes[:, 0] == f0) & (shapes[:, 1] == cnt)]
        take = starts[rows][:, None] + np.arange(int(cnt))[None, :]
        periods = pd.period_range(
            pd.Period(ordinal=int(f0), freq=freq.pandas_freq), periods=int(cnt)
        )
        blocks.append((values[take], periods, keys.iloc[rows].reset_index(drop=True)))
    gapped = keys[~regular].assign(nobs=counts[~regular])
    return blocks, gapped


def _chunks(
    blocks: list[tuple[np.ndarray, pd.PeriodIndex, pd.DataFrame]], size: int
) -> Iterable[tuple[np.ndarray, pd.PeriodIndex, pd.DataFrame]]:
    for values, periods, keys in blocks:
        for i in range(0, len(values), size):
            yield values[i : i + size], periods, keys.iloc[i : i + size]


def _panel_frame(data: Any) -> tuple[pd.DataFrame, Frequency]:
    if isinstance(data, TradePanel):
        return data._frame, data.frequency  # read-only use: no copy of a large panel
    if isinstance(data, pd.DataFrame):
        panel = TradePanel(data)
        return panel.to_frame(), panel.frequency
    raise DataValidationError(
        f"data: expected a TradePanel, a pandas DataFrame or a Dask DataFrame, got "
        f"{type(data).__name__}",
        field="data",
        value=type(data).__name__,
    )


def describe_model(log: bool, trend: bool) -> str:
    """The screen's model in words: ``"log value on an intercept and a linear trend; …"``."""
    return Spec.from_keywords(log=log, trend=trend).describe(breaks=True)


def _screen_frame(
    frame: pd.DataFrame,
    freq: Frequency,
    *,
    tests: tuple[str, ...],
    at: Any,
    trim: float | int | Literal["auto"],
    log: bool,
    trend: bool,
    min_obs: int,
    n_jobs: int = 1,
    progress: bool = False,
    chunk_size: int = 20_000,
) -> pd.DataFrame:
    """The per-partition kernel: rows for every series, before the FDR adjustment."""
    if len(frame) == 0:
        raise InsufficientDataError("data: the panel is empty")
    if isinstance(at, TradeEvent):
        at_period: pd.Period | None = at.first_period(freq)
    else:
        at_period = parse_period(at, freq, field="at") if at is not None else None
    checked = trim if trim == "auto" else check_trim(trim, "as sup_f_test")
    opts = _Options(tests, at_period, checked, Spec.from_keywords(log=log, trend=trend), min_obs)
    blocks, gapped = _blocks(frame, freq)
    work = list(_chunks(blocks, chunk_size))
    total = sum(len(v) for v, _, _ in work)
    bar = ProgressBar(True, total, "screening", unit=" series") if progress else None
    parts: list[pd.DataFrame] = []
    run: Callable[[tuple[np.ndarray, pd.PeriodIndex, pd.DataFrame, _Options]], pd.DataFrame] = (
        _screen_block
    )
    if n_jobs > 1 and len(work) > 1:
        with ProcessPoolExecutor(max_workers=n_jobs) as pool:
            for part in pool.map(run, [(v, p, kk, opts) for v, p, kk in work]):
                parts.append(part)
                if bar:
                    bar.update(part["reporter"].size // len(tests))
    else:
        for v, p, kk in work:
            parts.append(run((v, p, kk, opts)))
            if bar:
                bar.update(len(v))
    if bar:
        bar.close()
    if len(gapped):
        for test in tests:
            g = gapped.drop(columns="nobs").copy()
            g["test"] = test
            g["statistic"] = np.nan
            g["p_value"] = np.nan
            g["q_value"] = np.nan
            g["break_period"] = None
            g["nobs"] = gapped["nobs"].to_numpy(dtype=np.int64)
            g["trim"] = np.nan if checked == "auto" else float(checked)
            g["status"] = "gaps"
            g["message"] = "the series has missing periods"
            parts.append(g)
    out = pd.concat(parts, ignore_index=True)
    out["at"] = None if at_period is None else str(at_period)
    out["log"] = bool(log)
    out["trend"] = bool(trend)
    return out


def finalize(result: pd.DataFrame, fdr: Literal["bh", "by"] | None) -> pd.DataFrame:
    """Sort by key and test, adjust p-values per test, and apply :data:`SCHEMA`."""
    out = result.sort_values([*KEYS, "test"], kind="mergesort").reset_index(drop=True)
    if fdr is not None:
        for test in out["test"].unique():
            mask = (out["test"] == test).to_numpy()
            out.loc[mask, "q_value"] = adjust_pvalues(out.loc[mask, "p_value"].to_numpy(), fdr)
    return out[list(SCHEMA)].astype(SCHEMA)
