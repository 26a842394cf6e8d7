"""GravityResult: the estimate, its inference, the trade lost and the sample."""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Literal

import numpy as np
import pandas as pd
from scipy import stats

from ..._util.aliases import JSONDict, JSONValue
from ..._util.format import Summary, json_number, json_value, money, pct
from ...errors import DataValidationError
from ...models.results import Caveat, LostTrade, Result
from ...models.validators import pow2_scale
from ._measures import By, _Measure
from ._sample import _Sample

__all__ = ["GravityResult"]


@dataclass(frozen=True, eq=False)
class GravityResult(Result):
    """A structural-gravity estimate of sanctions' effect on trade (immutable).

    Attributes
    ----------
    coefficients : pandas.DataFrame
        One row per sanction variable (index ``variable``): ``estimate`` (β, log points),
        ``std_error`` (cluster-robust), ``statistic`` (z), ``p_value`` (two-sided, normal),
        ``ci_lower``, ``ci_upper`` (Wald interval at ``level``), ``effect`` (``exp(β) − 1``,
        a fraction), ``effect_lower``, ``effect_upper`` (the interval's bounds transformed
        the same way) and ``treated`` (observations used with the variable at 1).
    covariance : pandas.DataFrame
        Cluster-robust covariance of the coefficients.
    lost : LostTrade
        Trade lost over the treated observations used: the sum of (fitted value with the
        sanction variables set to 0) − (fitted value), with a delta-method interval.
    nobs : int
        Observations used in the estimation.
    dropped : dict
        Observations PPML cannot use, by reason (``all_zero_group``, ``singleton``,
        ``separated``), each counted (0 when none).
    sample : dict
        Counts describing the sample: panel rows of the flow and product used, world rows
        left out, zeros filled (``absent="zero"``), zeros used, exporters, importers, pairs,
        periods and clusters in the estimation.
    fixed_effects : tuple of str
        The fixed-effect sets, e.g. ``("exporter^period", "importer^period", "pair")``.
    cluster : str
        What the standard errors are clustered by (``"pair"``, ``"exporter"``, ``"importer"``).
    measures : pandas.DataFrame
        The measures the variables were built from (see :func:`sanction_measures`), with the
        variable each feeds and the number of panel observations it treats.
    skipped : dict
        Catalog events of the sanctions role that were left out, with the reason.
    pairs : pandas.DataFrame
        One row per treated pair: the panel keys (``reporter, partner, flow, product``), the
        ``exporter`` and ``importer``, the treated periods used, the actual, fitted and
        counterfactual trade summed over them and the trade ``lost``. Join it to
        :func:`bilateral_trade.screen` results on the panel keys.
    dropped_rows : pandas.DataFrame
        The dropped observations: ``exporter, importer, period, value, reason``.
    unit : str
    caveats : tuple of Caveat
        What the estimate cannot show (few clusters, an unfinished separation check), each a
        :class:`~bilateral_trade.models.results.Caveat` (a string with a ``kind``); each was
        also reported once, as a :class:`~bilateral_trade.DataQualityWarning` to a user who
        called :func:`~bilateral_trade.gravity` (or to the collecting caller in the library).
    options : Mapping
        Every option used (and the versions of the engine; read-only).
    """

    coefficients: pd.DataFrame
    covariance: pd.DataFrame
    lost: LostTrade
    nobs: int
    dropped: dict[str, int]
    sample: dict[str, int]
    fixed_effects: tuple[str, ...]
    cluster: str
    measures: pd.DataFrame
    skipped: dict[str, str]
    pairs: pd.DataFrame = field(repr=False)
    dropped_rows: pd.DataFrame = field(repr=False)
    unit: str = "USD"
    caveats: tuple[Caveat, ...] = ()
    options: Mapping[str, Any] = field(default_factory=dict)
    method: str = "PPML structural gravity with high-dimensional fixed effects (pyfixest fepois)"
    vcov: str = "cluster-robust (CR1): clustered by {cluster}, small-sample factor G/(G-1) only"
    reference: str = (
        "Santos Silva and Tenreyro (2006); Yotov, Piermartini, Monteiro and Larch (2016), "
        "An Advanced Guide to Trade Policy Analysis; Correia, Guimarães and Zylkin (2020), "
        "ppmlhdfe; Felbermayr et al. (2020), the Global Sanctions Data Base"
    )

    @property
    def variables(self) -> tuple[str, ...]:
        """Names of the sanction variables, in order."""
        return tuple(str(v) for v in self.coefficients.index)

    def effect(self, variable: str | None = None) -> float:
        """The percent effect ``exp(β) − 1`` (a fraction) of one variable (default: the only one).

        Raises
        ------
        DataValidationError
            If ``variable`` is not one of :attr:`variables` (or omitted with several).
        """
        value: Any = self.coefficients.loc[self._variable(variable), "effect"]
        return float(value)

    def _variable(self, variable: str | None) -> str:
        if variable is None:
            if len(self.variables) != 1:
                raise DataValidationError(
                    f"variable: the model has {len(self.variables)} sanction variables "
                    f"({', '.join(self.variables)}); name one",
                    field="variable",
                    value=None,
                )
            return self.variables[0]
        if variable not in self.variables:
            raise DataValidationError(
                f"variable: {variable!r} is not one of {', '.join(self.variables)}",
                field="variable",
                value=variable,
            )
        return variable

    def __post_init__(self) -> None:
        super().__post_init__()
        caveats = tuple(c if isinstance(c, Caveat) else Caveat(c) for c in self.caveats)
        object.__setattr__(self, "caveats", caveats)

    def headline(self) -> str:
        """The percent effect of each sanction variable and the observations used."""
        effects = "; ".join(
            f"{name} {pct(float(row['effect']))}" for name, row in self.coefficients.iterrows()
        )
        return f"PPML structural gravity: {effects} ({self.nobs:,} observations)"

    def summary(self) -> Summary:
        """Readable text of the estimate."""
        lvl = self.options["level"]
        s = self.sample
        lines = [
            self.method,
            f"  sample: {self.nobs:,} observations used ({s['zeros']:,} zeros), "
            f"{s['exporters']} exporters, {s['importers']} importers, {s['pairs']:,} pairs, "
            f"{s['periods']} periods ({self.options['first_period']}–"
            f"{self.options['last_period']}); {self.options['reports']}s' reports of "
            f"{self.options['product']}",
            "  dropped: "
            + (
                ", ".join(f"{k.replace('_', ' ')} {v:,}" for k, v in self.dropped.items())
                if any(self.dropped.values())
                else "none"
            ),
            f"  fixed effects: {', '.join(self.fixed_effects)}",
            f"  standard errors: {self.vcov.format(cluster=self.cluster)}; "
            f"{s['clusters']:,} clusters; normal (z) inference",
            f"  {'variable':<28}{'estimate':>10}{'s.e.':>9}{'p':>9}   "
            f"{'effect exp(b)-1':>16} ({lvl:.0%} CI)",
        ]
        for name, row in self.coefficients.iterrows():
            lines.append(
                f"  {name!s:<28}{row['estimate']:>10.4f}{row['std_error']:>9.4f}"
                f"{row['p_value']:>9.3g}   {pct(row['effect']):>16} "
                f"({pct(row['effect_lower'])} to {pct(row['effect_upper'])})"
            )
        lost = self.lost
        assert lost.ci is not None
        lines.append(
            f"  trade lost {lost.start}–{lost.end} over the {s['treated']:,} treated "
            f"observations: {money(lost.estimate, self.unit)} "
            f"(CI {money(lost.ci[0], self.unit)} to {money(lost.ci[1], self.unit)})"
        )
        if self.skipped:
            lines.append(
                f"  left out of the catalog: {len(self.skipped)} event(s) ("
                + "; ".join(f"{k}: {v}" for k, v in list(self.skipped.items())[:3])
                + ("; …" if len(self.skipped) > 3 else "")
                + ")"
            )
        if self.caveats:
            lines.append("  caveats:")
            lines += [f"    - {c}" for c in self.caveats]
        lines.append(f"  reference: {self.reference}")
        return Summary("\n".join(lines))

    def to_frame(
        self, table: Literal["coefficients", "pairs", "measures", "dropped"] = "coefficients"
    ) -> pd.DataFrame:
        """A table of the result (a copy).

        ``"coefficients"`` (default): one row per variable with a ``variable`` column and
        ``nobs``; ``"pairs"``: :attr:`pairs`; ``"measures"``: :attr:`measures`;
        ``"dropped"``: :attr:`dropped_rows`.
        """
        if table == "coefficients":
            out = self.coefficients.reset_index()
            out["nobs"] = self.nobs
            return out
        tables = {"pairs": self.pairs, "measures": self.measures, "dropped": self.dropped_rows}
        if table not in tables:
            raise DataValidationError(
                f"table: {table!r} is not coefficients, pairs, measures or dropped",
                field="table",
                value=table,
            )
        return tables[table].copy()

    def to_dict(self) -> JSONDict:
        """JSON-ready dictionary (coefficients, covariance, lost trade, sample, options…).

        ``"caveats"`` lists ``{"text": ..., "kind": ...}``, as in every result with caveats.
        """
        coefs: list[JSONValue] = []
        for name, row in self.coefficients.iterrows():
            entry: dict[str, JSONValue] = {"variable": str(name)}
            for col, value in row.items():
                entry[str(col)] = int(value) if col == "treated" else json_number(float(value))
            coefs.append(entry)
        cov: dict[str, JSONValue] = {
            str(r): {str(c): json_number(float(v)) for c, v in row.items()}
            for r, row in self.covariance.iterrows()
        }
        measures: list[JSONValue] = [
            {str(k): (v if isinstance(v, str | int) or v is None else str(v)) for k, v in r.items()}
            for r in self.measures.astype(object)
            .where(self.measures.notna(), None)
            .to_dict(orient="records")
        ]
        options: dict[str, JSONValue] = {
            k: (json_value(v) if isinstance(v, str | int | float | bool) or v is None else str(v))
            for k, v in self.options.items()
        }
        return {
            "method": self.method,
            "coefficients": coefs,
            "covariance": cov,
            "lost": self.lost.to_dict(),
            "nobs": self.nobs,
            "dropped": dict(self.dropped),
            "sample": dict(self.sample),
            "fixed_effects": list(self.fixed_effects),
            "cluster": self.cluster,
            "vcov": self.vcov.format(cluster=self.cluster),
            "measures": measures,
            "skipped": dict(self.skipped),
            "unit": self.unit,
            "caveats": [c.to_dict() for c in self.caveats],
            "options": options,
            "reference": self.reference,
        }


def _result(
    *,
    sample: _Sample,
    names: list[str],
    S: np.ndarray,
    keep: np.ndarray,
    reason: np.ndarray,
    beta: np.ndarray,
    V: np.ndarray,
    mu: np.ndarray,
    measures: list[_Measure],
    treats: list[int],
    skipped: dict[str, str],
    by: By | None,
    fes: tuple[str, ...],
    cluster: str,
    cl_codes: np.ndarray,
    level: float,
    unit: str,
    caveats: tuple[Caveat, ...],
    options: dict[str, Any],
) -> GravityResult:
    idx = np.flatnonzero(keep)
    X = S[idx]
    y = sample.y[idx]
    z = stats.norm.ppf(0.5 + level / 2)
    coefficients = _coefficient_table(beta, V, names, X, z)
    # lost trade: sum over treated of mu * (exp(-x'b) - 1); delta method in b
    treated = np.asarray((X > 0).any(axis=1))
    cf = mu * np.exp(-(X @ beta))
    t_periods = sample.periods[sample.period[idx][treated]]
    lost = _lost_trade(X, V, mu, cf, treated, t_periods, z, unit)
    countries = np.asarray(sample.countries, dtype=object)
    exp_names = countries[sample.exporter]
    imp_names = countries[sample.importer]
    rows = pd.DataFrame(
        {
            "exporter": exp_names[idx][treated],
            "importer": imp_names[idx][treated],
            "period": t_periods,
            "actual": y[treated],
            "fitted": mu[treated],
            "counterfactual": cf[treated],
        }
    )
    codes = {1: "all_zero_group", 2: "singleton", 3: "separated"}
    out = np.flatnonzero(~keep)
    dropped_rows = pd.DataFrame(
        {
            "exporter": exp_names[out],
            "importer": imp_names[out],
            "period": sample.periods[sample.period[out]].astype(str),
            "value": sample.y[out],
            "reason": [codes[int(r)] for r in reason[out]],
        }
    )
    return GravityResult(
        coefficients=coefficients,
        covariance=pd.DataFrame(V, index=names, columns=names),
        lost=lost,
        nobs=len(idx),
        dropped={name: int((reason == code).sum()) for code, name in codes.items()},
        sample=_sample_counts(sample, idx, y, cl_codes, int(treated.sum())),
        fixed_effects=fes,
        cluster=cluster,
        measures=_measures_frame(measures, by, treats),
        skipped=dict(skipped),
        pairs=_pairs(rows, sample),
        dropped_rows=dropped_rows,
        unit=unit,
        caveats=caveats,
        options=options,
    )


def _coefficient_table(
    beta: np.ndarray, V: np.ndarray, names: list[str], X: np.ndarray, z: float
) -> pd.DataFrame:
    """Estimates, normal-based inference and percent effects, one row per variable."""
    se = np.sqrt(np.diag(V))
    lo, hi = beta - z * se, beta + z * se
    with np.errstate(divide="ignore", invalid="ignore"):
        stat = beta / se
    return pd.DataFrame(
        {
            "estimate": beta,
            "std_error": se,
            "statistic": stat,
            "p_value": 2 * stats.norm.sf(np.abs(stat)),
            "ci_lower": lo,
            "ci_upper": hi,
            "effect": np.expm1(beta),
            "effect_lower": np.expm1(lo),
            "effect_upper": np.expm1(hi),
            "treated": (X > 0).sum(axis=0).astype(np.int64),
        },
        index=pd.Index(names, name="variable"),
    )


def _lost_trade(
    X: np.ndarray,
    V: np.ndarray,
    mu: np.ndarray,
    cf: np.ndarray,
    treated: np.ndarray,
    t_periods: pd.PeriodIndex,
    z: float,
    unit: str,
) -> LostTrade:
    """Trade lost over the treated observations, with its delta-method interval."""
    gap = np.where(treated, cf - mu, 0.0)
    grad = -(cf[treated] @ X[treated])
    # the quadratic form on the gradient divided by a power of two (exact), then scaled back:
    # no square of a large flow overflows
    g_scale = float(pow2_scale(float(np.max(np.abs(grad))) if len(grad) else 0.0))
    g = grad / g_scale
    lost_se = g_scale * float(math.sqrt(max(float(g @ V @ g), 0.0)))
    lost_value = float(gap.sum())
    return LostTrade(
        estimate=lost_value,
        std_error=lost_se,
        ci=(lost_value - z * lost_se, lost_value + z * lost_se),
        start=t_periods.min(),
        end=t_periods.max(),
        unit=unit,
    )


def _pairs(rows: pd.DataFrame, sample: _Sample) -> pd.DataFrame:
    """The treated observations summed by pair, keyed like the panel's series."""
    pairs = (
        rows.groupby(["exporter", "importer"], sort=True)
        .agg(
            treated_periods=("period", "size"),
            first_treated=("period", "min"),
            last_treated=("period", "max"),
            actual=("actual", "sum"),
            fitted=("fitted", "sum"),
            counterfactual=("counterfactual", "sum"),
        )
        .reset_index()
    )
    pairs["lost"] = pairs["counterfactual"] - pairs["fitted"]
    pairs["first_treated"] = pairs["first_treated"].astype(str)
    pairs["last_treated"] = pairs["last_treated"].astype(str)
    if sample.reporter_side == "exporter":
        reporter, partner, flow = pairs["exporter"], pairs["importer"], "exports"
    else:
        reporter, partner, flow = pairs["importer"], pairs["exporter"], "imports"
    pairs.insert(0, "reporter", reporter.to_numpy())
    pairs.insert(1, "partner", partner.to_numpy())
    pairs.insert(2, "flow", flow)
    pairs.insert(3, "product", sample.product)
    return pairs


def _sample_counts(
    sample: _Sample, idx: np.ndarray, y: np.ndarray, cl_codes: np.ndarray, n_treated: int
) -> dict[str, int]:
    """The sample's counts: observations, zeros, countries, pairs, periods, clusters."""
    pair_codes = sample.exporter[idx] * len(sample.countries) + sample.importer[idx]
    counts = dict(sample.counts)
    counts.update(
        {
            "observations": len(sample.y),
            "zeros": int((y == 0).sum()),
            "exporters": len(np.unique(sample.exporter[idx])),
            "importers": len(np.unique(sample.importer[idx])),
            "pairs": len(np.unique(pair_codes)),
            "periods": len(np.unique(sample.period[idx])),
            "clusters": len(np.unique(cl_codes[idx])),
            "treated": n_treated,
        }
    )
    return counts


def _measures_frame(measures: list[_Measure], by: By | None, treats: list[int]) -> pd.DataFrame:
    """The measures table of a result: each measure, its variable and the rows it treats."""
    rows = []
    for m, n in zip(measures, treats, strict=True):
        if by is None:
            variable = "sanctions"
        elif by == "kind":
            variable = f"sanctions:{m.kind}"
        else:
            variable = "sanctions:to_target; sanctions:from_target"
        rows.append(
            {
                "reference": m.reference,
                "sanctioning": m.sanctioning,
                "target": m.target,
                "start": m.start.isoformat(),
                "end": None if m.end is None else m.end.isoformat(),
                "kind": m.kind,
                "variable": variable,
                "treated_rows": n,
            }
        )
    return pd.DataFrame(rows)
