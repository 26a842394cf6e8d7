"""Mirror statistics: a reporter's declared flow beside its partner's declaration of the same flow.

The DPRK reports nothing to UN Comtrade: everything about its trade is *mirror* data, its
partners' reports. ``bt.mirror(panel, "CHN", "PRK", flow="exports")`` puts China's declared
exports to the DPRK beside the DPRK's (absent) imports from China; for two reporting
countries it shows how far their declarations disagree.
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass
from typing import Any, Literal

import numpy as np
import pandas as pd

from .._util.aliases import JSONDict
from .._util.format import Summary, json_number, pct, show
from ..data.countries import check_country
from ..data.panel import TradePanel
from ..data.periods import format_periods
from ..data.series import Flow, TradeSeries, check_product
from ..errors import DataQualityWarning, DataValidationError, InsufficientDataError
from ..models.results import Result
from ..models.validators import check_number

__all__ = ["MirrorResult", "mirror"]


def _side(frame: pd.DataFrame, reporter: str, partner: str, flow: str, product: str) -> pd.Series:
    rows = frame[
        (frame["reporter"] == reporter)
        & (frame["partner"] == partner)
        & (frame["flow"] == flow)
        & (frame["product"] == product)
    ]
    return pd.Series(rows["value"].to_numpy(), index=pd.PeriodIndex(rows["period"])).sort_index()


@dataclass(frozen=True, eq=False)
class MirrorResult(Result):
    """A reporter's declared flow and the partner's mirror flow, by period."""

    reporter: str
    partner: str
    flow: str
    product: str
    cif_fob: float
    unit: str
    table: pd.DataFrame

    def to_frame(self) -> pd.DataFrame:
        """Columns ``reported``, ``mirror``, ``ratio`` (mirror / reported), ``difference``."""
        return self.table

    def combined(
        self, prefer: Literal["reporter", "mirror"], *, switch: bool = False
    ) -> TradeSeries:
        """One series from the preferred side.

        A series never switches sides silently: where the preferred side is missing, this
        raises unless ``switch=True``, which takes the other side there and flags each such
        period ``"mirror"`` (or ``"reported"``), since a change of source can itself look
        like a break.

        Raises
        ------
        DataValidationError
            An unknown ``prefer``, or missing periods on the preferred side without ``switch``.
        """
        if prefer not in ("reporter", "mirror"):
            raise DataValidationError(
                f"prefer: {show(prefer)} is not 'reporter' or 'mirror'",
                field="prefer",
                value=prefer,
            )
        main, other = ("reported", "mirror") if prefer == "reporter" else ("mirror", "reported")
        values = self.table[main].copy()
        gaps = values.index[values.isna().to_numpy()]
        if len(gaps) and not switch:
            raise DataValidationError(
                f"prefer: the {main} side has no value at {format_periods(gaps)}; pass "
                f"switch=True to take the {other} side there (those periods are flagged)",
                field="prefer",
                value=[str(p) for p in gaps],
            )
        flags = {}
        for p in gaps:
            values[p] = self.table.loc[p, other]
            flags[p] = "mirror" if other == "mirror" else "reported"
        reporter, partner = (self.reporter, self.partner)
        return TradeSeries(
            values,
            reporter=reporter,
            partner=partner,
            flow=self.flow,
            product=self.product,
            unit=self.unit,
            source=f"{main} side" + (" (other side where missing, flagged)" if flags else ""),
            flags=flags,
            gaps="keep",
        )

    def summary(self) -> Summary:
        """Readable text: mean ratio and the periods each side covers."""
        t = self.table
        both = t.dropna(subset=["reported", "mirror"])
        lines = [
            f"Mirror statistics: {self.reporter} {self.flow} to {self.partner} ({self.product}) "
            f"against {self.partner}'s declaration (CIF/FOB factor {self.cif_fob:g})",
            f"  periods: {len(t)}; reported {int(t['reported'].notna().sum())}, mirror "
            f"{int(t['mirror'].notna().sum())}, both {len(both)}",
        ]
        if len(both):
            lines.append(
                f"  median ratio mirror/reported: {float(both['ratio'].median()):.3f} "
                f"({pct(float(both['ratio'].median()) - 1)})"
            )
        return Summary("\n".join(lines))

    def to_dict(self) -> JSONDict:
        """JSON-ready dictionary."""

        def num(v: Any) -> float | None:
            return None if v is None else json_number(float(v))

        return {
            "reporter": self.reporter,
            "partner": self.partner,
            "flow": self.flow,
            "product": self.product,
            "cif_fob": json_number(self.cif_fob),
            "unit": self.unit,
            "table": {
                str(p): {str(k): num(v) for k, v in row.items()}
                for p, row in self.table.to_dict(orient="index").items()
            },
        }


def mirror(
    panel: TradePanel,
    reporter: str,
    partner: str,
    *,
    flow: Flow | str = "exports",
    product: str = "TOTAL",
    cif_fob: float = 1.0,
) -> MirrorResult:
    """The reporter's declared flow beside the partner's mirror declaration.

    For ``flow="exports"`` the mirror is the partner's imports from the reporter divided by
    ``cif_fob`` (imports are valued CIF, exports FOB); for ``flow="imports"`` it is the
    partner's exports to the reporter multiplied by ``cif_fob``. ``ratio = mirror /
    reported`` and ``difference = mirror - reported`` by period; a side with no declaration
    in a period is NaN there.

    Parameters
    ----------
    panel : TradePanel
    reporter, partner : str
        ISO 3166-1 alpha-3 codes (any case).
    flow : {"exports", "imports"}, default "exports"
    product : str, default "TOTAL"
    cif_fob : float, default 1.0
        CIF/FOB factor (e.g. 1.06), between 0.5 and 2.

    Returns
    -------
    MirrorResult

    Raises
    ------
    DataValidationError
        ``panel`` not a TradePanel, a reporter or partner that is not an ISO 3166-1 alpha-3
        code (codes are case-insensitive: ``"chn"`` is ``"CHN"``), a product that is not
        ``"TOTAL"`` or an HS code, a flow other than exports or imports, a CIF/FOB factor
        outside [0.5, 2].
    InsufficientDataError
        If neither side has data for the pair (the message lists the panel's reporters).

    Warns
    -----
    DataQualityWarning
        Where a ratio exceeds the range of floating-point numbers (it is NaN there).
    """
    if not isinstance(panel, TradePanel):
        raise DataValidationError(
            f"panel: expected a TradePanel, got {type(panel).__name__}; build one with "
            "bt.TradePanel(frame) (columns reporter, partner, flow, product, period, value)",
            field="panel",
            value=type(panel).__name__,
        )
    reporter = check_country(reporter, "reporter")
    partner = check_country(partner, "partner")
    product = check_product(product, "product")
    f = Flow.parse(flow)
    if f not in (Flow.EXPORTS, Flow.IMPORTS):
        raise DataValidationError(
            f"flow: mirror statistics compare exports or imports, not {f.value}",
            field="flow",
            value=f.value,
        )
    cif_fob = check_number(
        cif_fob,
        "cif_fob",
        minimum=0.5,
        maximum=2.0,
        what="a CIF/FOB factor",
        hint="give the ratio of import (CIF) to export (FOB) values "
        "(typically 1.0 to 1.2; 1.06 is common)",
    )
    opposite = "imports" if f is Flow.EXPORTS else "exports"
    frame = panel.to_frame()
    reported = _side(frame, reporter, partner, f.value, product)
    mirrored = _side(frame, partner, reporter, opposite, product)
    mirrored = mirrored / cif_fob if f is Flow.EXPORTS else mirrored * cif_fob
    if len(reported) == 0 and len(mirrored) == 0:
        reporters = sorted(frame["reporter"].unique())
        shown = ", ".join(reporters[:10]) + (", …" if len(reporters) > 10 else "")
        raise InsufficientDataError(
            f"mirror: neither {reporter} ({f.value} to {partner}) nor {partner} ({opposite} from "
            f"{reporter}) has data for product {product} in this panel (its reporters: {shown})"
        )
    index = pd.PeriodIndex(reported.index.union(mirrored.index))
    full = pd.period_range(index.min(), index.max(), freq=panel.frequency.pandas_freq)
    table = pd.DataFrame({"reported": reported.reindex(full), "mirror": mirrored.reindex(full)})
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        ratio = table["mirror"] / table["reported"].where(table["reported"] > 0)
    overflow = np.isinf(ratio.to_numpy())
    if overflow.any():
        warnings.warn(
            DataQualityWarning(
                f"mirror: the ratio mirror/reported exceeds the range of floating-point numbers "
                f"at {format_periods(table.index[overflow])} (a reported value near zero); it "
                "is NaN there"
            ),
            stacklevel=2,
        )
    table["ratio"] = ratio.where(~overflow)
    table["difference"] = table["mirror"] - table["reported"]
    table.index.name = "period"
    return MirrorResult(reporter, partner, f.value, product, float(cif_fob), panel.unit, table)
