"""The estimation sample: flows, fixed effects, sanction variables and what PPML cannot use."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

import numpy as np
import pandas as pd

from ...data.countries import WORLD
from ...data.panel import TradePanel
from ...data.periods import Frequency, plain
from ...errors import DataValidationError, InsufficientDataError
from ...models.validators import check_choice
from ._measures import _DIRECTIONS, By, _Measure, _treated_periods

FixedEffects = Literal["structural", "pair+time"]
Cluster = Literal["pair", "exporter", "importer"]
_PRESETS: dict[str, tuple[str, ...]] = {
    "structural": ("exporter^period", "importer^period", "pair"),
    "pair+time": ("pair", "period"),
}
_DIMS = ("exporter", "importer", "pair", "period")


@dataclass
class _Sample:
    exporter: np.ndarray  # int codes into countries
    importer: np.ndarray
    period: np.ndarray  # int codes into periods
    y: np.ndarray
    countries: list[str]
    periods: pd.PeriodIndex
    freq: Frequency
    counts: dict[str, int]
    reporter_side: Literal["exporter", "importer"]
    product: str


def _sample(
    panel: TradePanel,
    reports: Literal["exporter", "importer"],
    product: str | None,
    absent: Literal["missing", "zero"],
) -> _Sample:
    """The directed flows of one product as codes: exporter, importer, period and value."""
    check_choice(
        reports,
        "reports",
        ("exporter", "importer"),
        hint="'exporter' takes exporters' reports of exports, 'importer' importers' reports "
        "of imports",
    )
    check_choice(
        absent,
        "absent",
        ("missing", "zero"),
        hint="'missing': an absent row is not an observation; 'zero': an absent "
        "exporter–importer–period row is a zero flow, as in BACI",
    )
    frame = panel.to_frame()
    flow = "exports" if reports == "exporter" else "imports"
    rows = frame[frame["flow"] == flow]
    if rows.empty:
        found = ", ".join(sorted(frame["flow"].unique()))
        raise DataValidationError(
            f"flow: the panel holds no {flow} rows (flows found: {found}); gravity needs "
            "directed flows: exports reported by exporters (reports='exporter') or imports "
            "reported by importers (reports='importer')",
            field="flow",
            value=found,
        )
    product = _product(rows, product, flow)
    rows = rows[rows["product"] == product]
    counts = {"rows": len(rows)}
    world = ((rows["reporter"] == WORLD) | (rows["partner"] == WORLD)).to_numpy()
    counts["world_rows"] = int(world.sum())
    rows = rows[~world]
    if rows.empty:
        raise InsufficientDataError(
            "panel: no country-to-country rows are left once the world totals (WLD) are left out"
        )
    exp_col, imp_col = ("reporter", "partner") if reports == "exporter" else ("partner", "reporter")
    names = pd.Index(sorted(set(rows[exp_col]) | set(rows[imp_col])))
    exporter = names.get_indexer(rows[exp_col]).astype(np.int64)
    importer = names.get_indexer(rows[imp_col]).astype(np.int64)
    periods_seen = pd.PeriodIndex(rows["period"])
    periods = pd.PeriodIndex(sorted(set(periods_seen)), freq=periods_seen.freq)
    period = periods.get_indexer(periods_seen).astype(np.int64)
    y = rows["value"].to_numpy(dtype=np.float64)
    counts["filled_zeros"] = 0
    if absent == "zero":
        exporter, importer, period, y = _fill_zeros(
            exporter, importer, period, y, len(names), len(periods)
        )
        counts["filled_zeros"] = len(y) - len(rows)
    return _Sample(
        exporter=exporter,
        importer=importer,
        period=period,
        y=y,
        countries=list(names),
        periods=periods,
        freq=panel.frequency,
        counts=counts,
        reporter_side=reports,
        product=str(product),
    )


def _product(rows: pd.DataFrame, product: str | None, flow: str) -> str:
    """The product to use: the one given (checked), or the only one of the rows."""
    products = list(dict.fromkeys(rows["product"]))
    more = ", …" if len(products) > 6 else ""
    if product is None:
        if len(products) > 1:
            raise DataValidationError(
                f"product: the {flow} rows hold {len(products)} products "
                f"({', '.join(products[:6])}{more}); choose one "
                "with product=... (e.g. 'TOTAL'), or sum them first",
                field="product",
                value=products[:6],
            )
        return str(products[0])
    if product not in products:
        raise DataValidationError(
            f"product: {product!r} is not among the {flow} rows' products "
            f"({', '.join(products[:6])}{more})",
            field="product",
            value=product,
        )
    return product


def _fill_zeros(
    exporter: np.ndarray,
    importer: np.ndarray,
    period: np.ndarray,
    y: np.ndarray,
    n_c: int,
    n_p: int,
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Every exporter–importer–period of the countries and periods, zero where no row is."""
    e, m, p = np.meshgrid(np.arange(n_c), np.arange(n_c), np.arange(n_p), indexing="ij")
    off = e != m
    e, m, p = e[off], m[off], p[off]
    full = np.zeros(len(e))
    # position of (e, m, p) in the grid without the diagonal
    pos = ((exporter * (n_c - 1) + importer - (importer > exporter)) * n_p) + period
    full[pos] = y
    return e.astype(np.int64), m.astype(np.int64), p.astype(np.int64), full


def _variables(
    sample: _Sample, measures: list[_Measure], by: By | None
) -> tuple[list[str], np.ndarray, list[int]]:
    """Names, the 0/1 matrix (n × k) and the number of panel observations each measure treats."""
    n = len(sample.y)
    index = {c: k for k, c in enumerate(sample.countries)}
    names: list[str] = []
    if by is None:
        names = ["sanctions"]
    elif by == "kind":
        names = [f"sanctions:{k}" for k in dict.fromkeys(m.kind for m in measures)]
    elif by == "direction":
        names = [f"sanctions:{d}" for d in _DIRECTIONS]
    else:
        raise DataValidationError(
            f"by: {by!r} is not None, 'kind' or 'direction'", field="by", value=by
        )
    S = np.zeros((n, len(names)), dtype=bool)
    treats = []
    n_c, n_p = len(sample.countries), len(sample.periods)
    # every observation has a unique key (exporter, importer, period): find a measure's cells
    # among them by binary search, so that a measure costs its size, not the panel's
    key = (sample.exporter * n_c + sample.importer) * n_p + sample.period
    order = np.argsort(key, kind="stable")
    sorted_key = key[order]
    spans: dict[tuple[object, object], np.ndarray] = {}

    def rows(exporters: np.ndarray, importers: np.ndarray, periods: np.ndarray) -> np.ndarray:
        cells = (
            (exporters[:, None, None] * n_c + importers[None, :, None]) * n_p
            + periods[None, None, :]
        ).ravel()
        pos = np.minimum(np.searchsorted(sorted_key, cells), n - 1)
        found: np.ndarray = order[pos[sorted_key[pos] == cells]]
        return found

    for m in measures:
        span = (m.start, m.end)
        if span not in spans:
            spans[span] = np.flatnonzero(_treated_periods(sample.periods, m))
        periods = spans[span]
        senders = np.asarray(sorted(index[c] for c in m.senders if c in index), dtype=np.int64)
        targets = np.asarray(sorted(index[c] for c in m.targets if c in index), dtype=np.int64)
        to_target = rows(senders, targets, periods)
        from_target = rows(targets, senders, periods)
        treats.append(len(np.union1d(to_target, from_target)))
        if by is None:
            S[to_target, 0] = True
            S[from_target, 0] = True
        elif by == "kind":
            k = names.index(f"sanctions:{m.kind}")
            S[to_target, k] = True
            S[from_target, k] = True
        else:
            S[to_target, 0] = True
            S[from_target, 1] = True
    return names, S.astype(np.float64), treats


def _fixed_effects(spec: object) -> tuple[str, ...]:
    if isinstance(spec, str):
        if spec in _PRESETS:
            return _PRESETS[spec]
        items = [s.strip() for s in spec.split("+")]
    elif isinstance(spec, Sequence):
        items = [str(s).strip() for s in spec]
    else:
        raise DataValidationError(
            f"fixed_effects: {spec!r} is not 'structural', 'pair+time' or a list of "
            "fixed-effect names",
            field="fixed_effects",
            value=plain(spec),
        )
    out = []
    for item in items:
        dims = [d.strip() for d in item.replace("*", "^").split("^")]
        dims = ["period" if d == "time" else d for d in dims]
        bad = [d for d in dims if d not in _DIMS]
        if bad or not dims or len(set(dims)) != len(dims):
            raise DataValidationError(
                f"fixed_effects: {item!r} is not a fixed effect; use 'structural', 'pair+time' "
                f"or names built from {', '.join(_DIMS)} (or time), joined by '^' for "
                "interactions, e.g. ['exporter^period', 'importer^period', 'pair']",
                field="fixed_effects",
                value=item,
            )
        out.append("^".join(dims))
    if not out:
        raise DataValidationError(
            "fixed_effects: give at least one set of fixed effects",
            field="fixed_effects",
            value=[],
        )
    return tuple(dict.fromkeys(out))


def _codes(sample: _Sample, name: str) -> np.ndarray:
    """Integer codes 0..G-1 of a fixed effect or cluster (``exporter^period``, ``pair``…)."""
    n_c, n_p = len(sample.countries), len(sample.periods)
    parts = {
        "exporter": (sample.exporter, n_c),
        "importer": (sample.importer, n_c),
        "period": (sample.period, n_p),
        "pair": (sample.exporter * n_c + sample.importer, n_c * n_c),
    }
    code = np.zeros(len(sample.y), dtype=np.int64)
    for dim in name.split("^"):
        values, size = parts[dim]
        code = code * size + values
    _, compact = np.unique(code, return_inverse=True)
    return np.asarray(compact, dtype=np.int64)


def _prune(y: np.ndarray, fes: list[np.ndarray], keep: np.ndarray, reason: np.ndarray) -> None:
    """Drop, until none is left, observations in all-zero fixed-effect groups and singletons.

    ``keep`` and ``reason`` (1 all-zero group, 2 singleton) are updated in place.
    """
    positive = (y > 0).astype(np.float64)
    while True:
        changed = False
        for codes in fes:
            size = int(codes.max()) + 1
            pos = np.bincount(codes[keep], weights=positive[keep], minlength=size)
            zero = keep & (pos[codes] == 0)
            if zero.any():
                reason[zero] = 1
                keep &= ~zero
                changed = True
        for codes in fes:
            size = int(codes.max()) + 1
            count = np.bincount(codes[keep], minlength=size)
            single = keep & (count[codes] == 1)
            if single.any():
                reason[single] = 2
                keep &= ~single
                changed = True
        if not changed:
            return
