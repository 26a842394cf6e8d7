"""Type aliases shared across the package (private)."""

from __future__ import annotations

import datetime as _dt
from typing import TypeAlias

import pandas as pd

#: Anything that names one period: ``2018``, ``"2018-01"``, ``"2018Q1"``,
#: a :class:`pandas.Period`, a :class:`datetime.date` or a :class:`pandas.Timestamp`.
PeriodLike: TypeAlias = int | str | pd.Period | _dt.date | pd.Timestamp

#: A date: ISO string, :class:`datetime.date` or :class:`pandas.Timestamp`.
DateLike: TypeAlias = str | _dt.date | pd.Timestamp

#: JSON-ready values as produced by ``to_dict()``.
JSONValue: TypeAlias = bool | int | float | str | list["JSONValue"] | dict[str, "JSONValue"] | None
JSONDict: TypeAlias = dict[str, JSONValue]
