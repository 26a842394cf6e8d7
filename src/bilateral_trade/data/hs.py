"""HS revisions and the official correspondence tables between them.

The Harmonized System has been revised six times since HS1992 (HS1996, HS2002, HS2007,
HS2012, HS2017, HS2022). A six-digit code of one revision may correspond to one code of
another (``1:1``), be split over several (``1:n``), be one of several codes merged into
one (``n:1``), or take part in a many-to-many regrouping (``n:n``).

The package ships the UN Statistics Division's correlation tables for all 21 pairs of
revisions (each later revision against every earlier one; 198,878 rows; see
``bilateral_trade/data/hs_tables/PROVENANCE.md``). Every pair has its own direct table, so
no conversion here chains adjacent tables; :func:`correspondence` says so in its
``attrs["chained"]`` (always ``False`` for the shipped tables).

Conventions
-----------
- A revision is named ``"HS1992"`` … ``"HS2022"``; :func:`revision` also reads ``"HS17"``,
  ``"H5"`` (the UN Comtrade classification codes H0 … H6), ``"2017"`` and ``2017``.
- ``relationship`` is the UN's label read from the requested direction: in
  ``correspondence("HS2022", "HS2017")`` a ``1:n`` row is an HS2022 code that corresponds
  to several HS2017 codes. Asking for the reverse direction swaps the columns, the
  ``ex`` marks and the sides of the label.
- ``from_ex`` / ``to_ex`` are the UN's "ex" marks: that side's code corresponds only in part.
"""

from __future__ import annotations

import difflib
import gzip
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any

import pandas as pd

from .._util.aliases import JSONDict
from .._util.format import show
from ..errors import DataValidationError, UnknownCodeError

__all__ = [
    "REVISIONS",
    "CodeCorrespondence",
    "codes",
    "correspondence",
    "relationship",
    "revision",
    "revisions",
]

#: The HS revisions, oldest first, with the year each entered into force.
REVISIONS: tuple[str, ...] = ("HS1992", "HS1996", "HS2002", "HS2007", "HS2012", "HS2017", "HS2022")

# UN Comtrade's classification codes: H0 is HS1992 (as first adopted, "HS as reported")
_COMTRADE = {f"H{i}": rev for i, rev in enumerate(REVISIONS)}
_HINT = "name a revision as 'HS1992' … 'HS2022' (also 'HS17', 'H5', 2017)"
_REVERSE = {"1:1": "1:1", "1:n": "n:1", "n:1": "1:n", "n:n": "n:n"}
_TABLE = "hs_correlations.csv.gz"


def revisions() -> tuple[str, ...]:
    """The HS revisions the package has tables for, oldest first.

    Returns
    -------
    tuple of str
        ``("HS1992", "HS1996", "HS2002", "HS2007", "HS2012", "HS2017", "HS2022")``.
    """
    return REVISIONS


def revision(value: Any, field: str = "hs_revision") -> str:
    """The canonical name of an HS revision.

    Parameters
    ----------
    value : str or int
        ``"HS2017"``, ``"hs2017"``, ``"HS17"``, ``"H5"`` (UN Comtrade's code), ``"2017"``
        or ``2017``.
    field : str, default "hs_revision"
        The argument's name, for the error message.

    Returns
    -------
    str
        One of :data:`REVISIONS`.

    Raises
    ------
    DataValidationError
        Not a revision (booleans and years between revisions included), naming the value
        and the accepted spellings.
    """
    if isinstance(value, bool) or not isinstance(value, (str, int)):
        raise DataValidationError(
            f"{field}: {show(value)} is not an HS revision; {_HINT}", field=field, value=value
        )
    text = str(value).strip().upper()
    if text in _COMTRADE:
        return _COMTRADE[text]
    digits = text[2:] if text.startswith("HS") else text
    if digits.isdigit() and len(digits) in (2, 4):
        year = int(digits)
        if len(digits) == 2:  # "HS17" is HS2017, "HS92" HS1992
            year += 1900 if year >= 88 else 2000
        name = f"HS{year}"
        if name in REVISIONS:
            return name
    raise DataValidationError(
        f"{field}: {show(value)} is not an HS revision; {_HINT}", field=field, value=value
    )


@cache
def _tables() -> pd.DataFrame:
    """All 21 shipped tables, as read from the compressed file (cached, read-only use)."""
    path = resources.files("bilateral_trade.data.hs_tables") / _TABLE
    with path.open("rb") as raw, gzip.open(raw, "rt", encoding="utf-8") as text:
        frame = pd.read_csv(
            text,
            dtype={
                "from_hs": str,
                "from_code": str,
                "to_hs": str,
                "to_code": str,
                "relationship": str,
            },
            converters={"from_ex": _flag, "to_ex": _flag},
        )
    return frame


def _flag(text: str) -> bool:
    if text == "True":
        return True
    if text == "False":
        return False
    raise DataValidationError(f"{_TABLE}: bad ex mark {text!r}", field="ex", value=text)


@cache
def _pair(source: str, target: str) -> pd.DataFrame:
    tables = _tables()
    later, earlier = (
        (source, target) if REVISIONS.index(source) > REVISIONS.index(target) else (target, source)
    )
    rows = tables[(tables["from_hs"] == later) & (tables["to_hs"] == earlier)]
    if source == later:
        frame = rows[["from_code", "to_code", "relationship", "from_ex", "to_ex"]]
    else:
        frame = pd.DataFrame(
            {
                "from_code": rows["to_code"].to_numpy(),
                "to_code": rows["from_code"].to_numpy(),
                "relationship": rows["relationship"].map(_REVERSE).to_numpy(),
                "from_ex": rows["to_ex"].to_numpy(),
                "to_ex": rows["from_ex"].to_numpy(),
            }
        )
    frame = frame.sort_values(["from_code", "to_code"], kind="stable").reset_index(drop=True)
    return frame


def _revisions(from_rev: Any, to_rev: Any) -> tuple[str, str]:
    """Two different revisions, by their canonical names."""
    source = revision(from_rev, "from_rev")
    target = revision(to_rev, "to_rev")
    if source == target:
        raise DataValidationError(
            f"to_rev: {target} is also the source revision; there is nothing to convert "
            "(a panel already in that revision needs no table)",
            field="to_rev",
            value=to_rev,
        )
    return source, target


def correspondence(from_rev: Any, to_rev: Any) -> pd.DataFrame:
    """The official correspondence table from one HS revision to another.

    Parameters
    ----------
    from_rev, to_rev : str or int
        Revisions (see :func:`revision` for the spellings); they must differ.

    Returns
    -------
    pandas.DataFrame
        A new frame (yours to change) with columns ``from_code, to_code, relationship,
        from_ex, to_ex``, one row per pair of corresponding six-digit codes, sorted by
        ``from_code`` then ``to_code``. ``attrs`` holds ``from_rev``, ``to_rev``,
        ``table`` (the UN table it was read from) and ``chained`` (``False``: every pair
        of revisions has a direct table).

    Raises
    ------
    DataValidationError
        An unknown revision, or the same revision twice (nothing to convert).

    Examples
    --------
    >>> import bilateral_trade as bt
    >>> t = bt.hs.correspondence("HS2022", "HS2017")
    >>> len(t), t.attrs["chained"]
    (15657, False)
    """
    source, target = _revisions(from_rev, to_rev)
    frame = _pair(source, target).copy()
    later, earlier = sorted((source, target), key=REVISIONS.index, reverse=True)
    frame.attrs = {
        "from_rev": source,
        "to_rev": target,
        "table": f"UN Statistics Division, {later} to {earlier} correlation table"
        + ("" if source == later else " (read in reverse)"),
        "chained": False,
    }
    return frame


@cache
def _codes(rev: str) -> frozenset[str]:
    other = REVISIONS[1] if rev == REVISIONS[0] else REVISIONS[0]
    return frozenset(_pair(rev, other)["from_code"])


def codes(rev: Any) -> frozenset[str]:
    """The six-digit codes of one HS revision, as its correspondence tables list them.

    Parameters
    ----------
    rev : str or int
        A revision (see :func:`revision`).

    Returns
    -------
    frozenset of str
        E.g. 5,613 codes for HS2022 (the UN tables' own count).
    """
    return _codes(revision(rev, "rev"))


def _unknown(code: str, rev: str) -> UnknownCodeError:
    elsewhere = [r for r in REVISIONS if r != rev and code in _codes(r)]
    near = difflib.get_close_matches(code, sorted(_codes(rev)), n=3, cutoff=0.8)
    fix = (
        f"it is a code of {', '.join(elsewhere)}: is the data in that revision?"
        if elsewhere
        else (f"did you mean {', '.join(near)}?" if near else "check the code")
    )
    return UnknownCodeError(
        f"code: {code!r} is not a six-digit code of {rev}; {fix}", field="code", value=code
    )


@dataclass(frozen=True, slots=True)
class CodeCorrespondence:
    """Where one six-digit code of one revision goes in another.

    Attributes
    ----------
    code : str
        The code, in ``from_rev``.
    from_rev, to_rev : str
        The two revisions.
    relationship : str
        ``"1:1"``, ``"1:n"``, ``"n:1"`` or ``"n:n"`` (the UN's label, read from ``from_rev``).
    targets : tuple of str
        The corresponding codes in ``to_rev``, sorted.
    partial : bool
        The UN marks the code as corresponding only in part (an "ex" mark on either side).
    """

    code: str
    from_rev: str
    to_rev: str
    relationship: str
    targets: tuple[str, ...]
    partial: bool

    def summary(self) -> str:
        """One line: the code, its relationship and its targets."""
        return (
            f"{self.from_rev} {self.code} → {self.to_rev} {', '.join(self.targets)} "
            f"({self.relationship}{', in part' if self.partial else ''})"
        )

    def __str__(self) -> str:
        return self.summary()

    def to_dict(self) -> JSONDict:
        """JSON-ready fields."""
        return {
            "code": self.code,
            "from_rev": self.from_rev,
            "to_rev": self.to_rev,
            "relationship": self.relationship,
            "targets": list(self.targets),
            "partial": self.partial,
        }


def relationship(code: Any, from_rev: Any, to_rev: Any) -> CodeCorrespondence:
    """How one six-digit code of ``from_rev`` corresponds to the codes of ``to_rev``.

    Parameters
    ----------
    code : str
        A six-digit HS code (``"854231"``; dots and spaces are not accepted).
    from_rev, to_rev : str or int
        The revisions (see :func:`revision`).

    Returns
    -------
    CodeCorrespondence

    Raises
    ------
    UnknownCodeError
        The code is not in ``from_rev`` (naming the revisions it is in, if any).
    DataValidationError
        Not a six-digit string, or a bad revision.
    """
    if not isinstance(code, str) or len(code) != 6 or not code.isdigit():
        raise DataValidationError(
            f"code: {show(code)} is not a six-digit HS code given as text (e.g. '854231')",
            field="code",
            value=code,
        )
    source, target = _revisions(from_rev, to_rev)
    table = _pair(source, target)  # cached and read only here: no copy
    rows = table[table["from_code"] == code]
    if len(rows) == 0:
        raise _unknown(code, source)
    labels = set(rows["relationship"])
    label = labels.pop() if len(labels) == 1 else "n:n"
    return CodeCorrespondence(
        code=code,
        from_rev=source,
        to_rev=target,
        relationship=label,
        targets=tuple(rows["to_code"]),
        partial=bool(rows["from_ex"].any() or rows["to_ex"].any()),
    )
