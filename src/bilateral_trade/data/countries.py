"""Country and currency codes: ISO 3166-1 alpha-3 (plus ``"WLD"``) and ISO 4217.

The tables ship in ``bilateral_trade/datasets/data/`` (generated from Debian's
``iso-codes`` by ``tools/make_iso_tables.py``). The ISO 3166-1 numeric code of a
country equals its UN M49 code, which UN Comtrade uses.
"""

from __future__ import annotations

import difflib
from functools import cache

from .._util.resources import read_table
from ..errors import DataValidationError

__all__ = ["WORLD", "check_country", "check_currency", "country_name", "m49_to_iso3"]

#: Code for the world as a partner (UN Comtrade's partner 0).
WORLD = "WLD"


@cache
def _countries() -> dict[str, tuple[int, str]]:
    table = {row["alpha3"]: (int(row["numeric"]), row["name"]) for row in read_table("iso3166.csv")}
    table[WORLD] = (0, "World")
    return table


@cache
def _currencies() -> frozenset[str]:
    return frozenset(row["code"] for row in read_table("iso4217.csv"))


def check_country(code: object, field: str) -> str:
    """Return ``code`` if it is an ISO 3166-1 alpha-3 code (or ``"WLD"``).

    Lower-case input is accepted and returned in upper case.

    Raises
    ------
    DataValidationError
        Naming ``field``, the value and the closest valid codes.
    """
    if not isinstance(code, str):
        raise DataValidationError(
            f"{field}: {code!r} is not a country code; give an ISO 3166-1 alpha-3 code "
            "such as 'CHN' or 'PRK'",
            field=field,
            value=code,
        )
    upper = code.strip().upper()
    if upper in _countries():
        return upper
    close = difflib.get_close_matches(upper, list(_countries()), n=3, cutoff=0.6)
    hint = f" (did you mean {', '.join(close)}?)" if close else ""
    raise DataValidationError(
        f"{field}: {code!r} is not an ISO 3166-1 alpha-3 country code{hint}; "
        "use codes such as 'CHN' (China), 'PRK' (DPRK), 'KOR' or 'WLD' for the world",
        field=field,
        value=code,
    )


def country_name(code: str) -> str:
    """Return the short English name of an ISO 3166-1 alpha-3 code."""
    return _countries()[check_country(code, "country")][1]


def m49_to_iso3(number: int) -> str | None:
    """Return the alpha-3 code for a UN M49 / ISO 3166-1 numeric code, or None."""
    for code, (numeric, _) in _countries().items():
        if numeric == number:
            return code
    return None


def check_currency(code: object, field: str = "unit") -> str:
    """Return ``code`` if it is an ISO 4217 currency code.

    Raises
    ------
    DataValidationError
        If it is not, with a hint to store values in units (scale millions on reading).
    """
    if isinstance(code, str) and code.strip().upper() in _currencies():
        return code.strip().upper()
    raise DataValidationError(
        f"{field}: {code!r} is not an ISO 4217 currency code; values are stored in units of "
        "a currency such as 'USD' or 'CNY' (to read a file in millions, pass scale=1e6)",
        field=field,
        value=code,
    )
