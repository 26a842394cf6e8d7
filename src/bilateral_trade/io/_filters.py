"""The options every bulk reader shares (private).

The ``countries=``, ``products=`` and ``years=`` filters, and the ``engine=``.
"""

from __future__ import annotations

import numbers
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any, Literal, get_args

import pandas as pd

from ..data.countries import check_country
from ..data.periods import plain
from ..data.series import HS_CODE_RE
from ..errors import DataValidationError
from ._stream import text_filter

__all__ = ["ENGINES", "Engine", "Filters"]

#: How a bulk reader works: in memory with pandas, or lazily with Dask (the dask extra).
Engine = Literal["pandas", "dask"]
ENGINES: tuple[str, ...] = get_args(Engine)


def _years(value: object) -> frozenset[int]:
    items: Iterable[Any]
    if isinstance(value, str | numbers.Integral):
        items = [value]
    elif isinstance(value, Iterable) and not isinstance(value, bytes | Mapping):
        items = value
    else:
        raise DataValidationError(
            f"years: expected a year or a list of years, got {type(value).__name__}",
            field="years",
            value=type(value).__name__,
        )
    out = set()
    for item in items:
        year: int | None = None
        if isinstance(item, numbers.Integral) and not isinstance(item, bool):
            year = int(item)
        elif isinstance(item, str) and item.strip().isdigit():
            year = int(item.strip())
        if year is None or not 1000 <= year <= 9999:
            raise DataValidationError(
                f"years: {plain(item)!r} is not a year (give years as 2019 or [2018, 2019], "
                "or range(2015, 2020))",
                field="years",
                value=plain(item),
            )
        out.add(year)
    _not_empty(out, "years", "years")
    return frozenset(out)


def _not_empty(items: object, field: str, what: str) -> None:
    """Refuse an empty filter list (it would keep no row): ``years=[]``, ``products=[]``.

    Raises
    ------
    DataValidationError
        Naming the filter; ``None`` (the default) is how every row is kept.
    """
    if not items:
        raise DataValidationError(
            f"{field}: the list of {what} is empty, so no row would be kept; give at least "
            f"one, or leave {field}= out to keep every row",
            field=field,
            value=[],
        )


@dataclass(frozen=True)
class Filters:
    """Which rows a reader keeps; None keeps every row."""

    countries: frozenset[str] | None = None
    products: tuple[str, ...] | None = None
    years: frozenset[int] | None = None

    @classmethod
    def of(
        cls,
        countries: object = None,
        products: object = None,
        years: object = None,
        *,
        total: bool = False,
    ) -> Filters:
        """Validate the filters (a string is one code, never its characters).

        ``total=True`` also accepts ``"TOTAL"`` among the products (UN Comtrade).

        Raises
        ------
        DataValidationError
            A filter of the wrong type, an empty list, a code that is not an ISO3 country
            code, an HS code that is not 2, 4 or 6 digits, or a year that is not a year.
        """
        wanted_products = None
        if products is not None:
            wanted_products = []
            for code in text_filter(products, "products"):
                text = code.strip()
                if total and text.upper() == "TOTAL":
                    wanted_products.append("TOTAL")
                    continue
                if not HS_CODE_RE.match(text):
                    raise DataValidationError(
                        f"products: {code!r} is not an HS code of 2, 4 or 6 digits (a prefix of "
                        "BACI's HS6 codes, such as '27', '0301' or '670419')",
                        field="products",
                        value=code,
                    )
                wanted_products.append(text)
            _not_empty(wanted_products, "products", "product codes")
        wanted_countries = None
        if countries is not None:
            codes = text_filter(countries, "countries")
            _not_empty(codes, "countries", "countries")
            wanted_countries = frozenset(check_country(c, "countries") for c in codes)
        return cls(
            countries=wanted_countries,
            products=None if wanted_products is None else tuple(wanted_products),
            years=None if years is None else _years(years),
        )

    @property
    def active(self) -> bool:
        """Whether any row may be dropped."""
        return not (self.countries is None and self.products is None and self.years is None)

    def keep_product(self, code: str) -> bool:
        """An HS code (or TOTAL) that starts with one of the wanted prefixes."""
        if self.products is None:
            return True
        if code == "TOTAL":
            return "TOTAL" in self.products
        return code.startswith(tuple(p for p in self.products if p != "TOTAL"))

    def keep_period(self, period: pd.Period) -> bool:
        """A period whose year is wanted."""
        return self.years is None or int(period.year) in self.years
