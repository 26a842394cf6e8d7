"""Options and argument readers shared by the commands (windows, lists, catalogs, files).

Each reader turns one command-line value into what the library takes and refuses a bad one
with a :class:`~bilateral_trade.DataValidationError` naming the option, so the command exits
with one line (status 2).
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, TypeAlias, cast

from ..errors import DataValidationError

if TYPE_CHECKING:
    from ..data.events import EventCatalog
    from ..data.panel import TradePanel
    from ..data.series import TradeSeries
    from ..workflow.analysis import Counterfactual

    #: The subparsers of the ``bilateral-trade`` parser, to which each command adds its own.
    Commands: TypeAlias = argparse._SubParsersAction[argparse.ArgumentParser]

__all__ = [
    "TABLE_SUFFIXES",
    "add_progress",
    "codes",
    "counterfactuals",
    "load_catalog",
    "number_or_period",
    "progress_on",
    "read_panel",
    "read_series",
    "window",
    "worded_for",
    "years",
]

TABLE_SUFFIXES = {".parquet": "parquet", ".csv": "csv"}


def number_or_period(text: str) -> object:
    """``"2019"`` → 2019, ``"2.5e9"`` → 2.5e9, anything else (``"2019-03"``) as given."""
    for kind in (int, float):
        try:
            return kind(text)
        except ValueError:
            continue
    return text


def window(text: str | None) -> tuple[object, object] | None:
    """``"2003:2019"`` → (2003, 2019); either side may be empty."""
    if text is None:
        return None
    if text.count(":") != 1:
        raise DataValidationError(
            f"--window: {text!r} is not START:END (e.g. 2003:2019; either side may be empty)",
            field="window",
            value=text,
        )
    lo, hi = (part.strip() for part in text.split(":"))
    return (number_or_period(lo) if lo else None, number_or_period(hi) if hi else None)


def counterfactuals(
    text: str | None, supported: tuple[str, ...] = ("trend", "mean", "control")
) -> tuple[Counterfactual, ...] | None:
    """``"control,trend"`` → ("control", "trend"); None (the option not given) → None.

    An option that names no counterfactual (``--counterfactual ""``) is refused, as is
    ``synthetic``, whose donors no command reads; the names are checked by
    :func:`~bilateral_trade.analyze`.
    """
    if text is None:
        return None
    names = tuple(part.strip() for part in text.split(",") if part.strip())
    if not names:
        raise DataValidationError(
            f"--counterfactual: {text!r} names no counterfactual; give one or more of "
            f"{', '.join(supported)}, comma-separated (headline first), or leave the option "
            "out for the default",
            field="--counterfactual",
            value=text,
        )
    if "synthetic" in names and "synthetic" not in supported:
        raise DataValidationError(
            "--counterfactual: synthetic needs donor series, which the command line does not "
            f"read; give {', '.join(supported)}, or use bt.analyze(..., donors=) in Python",
            field="--counterfactual",
            value=text,
        )
    return cast("tuple[Counterfactual, ...]", names)


def codes(text: str | None) -> list[str] | None:
    """``"PRK,KOR"`` → ["PRK", "KOR"]."""
    if text is None:
        return None
    return [part.strip() for part in text.split(",") if part.strip()]


def years(text: str | None) -> list[int] | None:
    """``"2010:2019"`` (both included) or ``"2015,2018"`` → years."""
    if text is None:
        return None
    try:
        if ":" in text:
            lo, hi = (int(part) for part in text.split(":"))
            return list(range(lo, hi + 1))
        return [int(part) for part in text.split(",") if part.strip()]
    except ValueError:
        raise DataValidationError(
            f"--years: {text!r} is not FIRST:LAST (e.g. 2010:2019) or a list such as 2015,2018",
            field="years",
            value=text,
        ) from None


#: The options of :func:`read_series`, each the keyword of ``read_csv`` of the same name.
_SERIES_OPTIONS = ("period", "value", "reporter", "partner", "flow", "product", "scale")


def _keywords_as_options(text: str, keywords: Iterable[str]) -> str:
    """A library message with its keywords (``reporter=``) written as options (``--reporter``)."""
    for keyword in keywords:
        text = text.replace(f"{keyword}=", f"--{keyword}")
    return text


def read_series(path: str, args: argparse.Namespace, field: str) -> TradeSeries:
    """One series of a CSV file, read with the command's ``--period``, ``--value``… options.

    ``field`` is the argument that names the file (``FILE``, ``--control``); every error
    about the file starts with it and the file's name.
    """
    from ..io import read_csv

    if not Path(path).is_file():
        raise DataValidationError(f"{field}: no such file: {path}", field=field, value=path)
    try:
        loaded = read_csv(
            path,
            period=args.period,
            value=args.value,
            reporter=args.reporter,
            partner=args.partner,
            flow=args.flow,
            product=args.product,
            scale=args.scale,
            thousands=args.thousands,
        )
    except DataValidationError as exc:
        text = _keywords_as_options(str(exc), _SERIES_OPTIONS)
        raise DataValidationError(f"{field} {path}: {text}", field=field, value=path) from None
    if isinstance(loaded, dict):
        keys = ", ".join("/".join(k) for k in loaded)
        raise DataValidationError(
            f"{field}: {path} holds several series ({keys}); choose one with --reporter, "
            "--partner, --flow or --product",
            field=field,
            value=path,
        )
    return loaded


def load_catalog(spec: str | None) -> tuple[str, EventCatalog]:
    """``--catalog dprk|russia|PATH`` → (name, catalog); name is ``"file"`` for a path."""
    from ..data.events import EventCatalog
    from ..datasets import catalog
    from ..workflow.cases import CASE_EVENTS

    if spec is None:
        return "dprk", catalog("dprk")
    name = spec.strip().lower()
    if name in CASE_EVENTS:
        return name, catalog(name)
    path = Path(spec)
    if not path.is_file():
        raise DataValidationError(
            f"--catalog: {spec!r} is neither an embedded catalog ({', '.join(CASE_EVENTS)}) "
            "nor a file (a .csv file, or JSON, written in the catalog schema)",
            field="--catalog",
            value=spec,
        )
    try:
        if path.suffix.lower() == ".csv":
            return "file", EventCatalog.from_csv(path)
        return "file", EventCatalog.from_json(path)
    except DataValidationError as exc:
        raise DataValidationError(
            f"--catalog {path.name}: {exc}", field="--catalog", value=spec
        ) from None


def read_panel(name: str) -> TradePanel:
    """The PANEL argument, checked first: a file written by TradePanel, or a dataset.

    A Parquet or CSV file (``TradePanel.to_parquet``, ``to_csv``), or a Parquet dataset
    directory (``bilateral-trade convert``, read with ``TradePanel.read_parquet``).
    """
    from ..data.panel import TradePanel

    path = Path(name)
    if path.is_dir():  # a dataset: the library's reader says what is wrong with it
        try:
            return TradePanel.read_parquet(path)
        except DataValidationError as exc:
            raise DataValidationError(
                f"PANEL {name}: {exc} (PANEL is a file written by TradePanel, or a directory "
                "written by bilateral-trade convert)",
                field="panel",
                value=name,
            ) from None
    kind = TABLE_SUFFIXES.get(path.suffix.lower())
    if kind is None:
        raise DataValidationError(
            f"PANEL: {name!r} has the suffix {path.suffix or '(none)'!r}; supported: "
            f"{', '.join(TABLE_SUFFIXES)} (a panel written by TradePanel.to_parquet or to_csv), "
            "or a Parquet dataset directory written by bilateral-trade convert",
            field="panel",
            value=name,
        )
    if not path.is_file():
        raise DataValidationError(f"PANEL: no such file: {name}", field="panel", value=name)
    return TradePanel.read_parquet(path) if kind == "parquet" else TradePanel.read_csv(path)


@contextmanager
def worded_for(options: Mapping[str, str | None]) -> Iterator[None]:
    """Library errors about an argument, worded for the option that gave it.

    ``options`` maps a library argument (the ``field`` of a
    :class:`~bilateral_trade.DataValidationError`: ``"control"``) to what the user typed for
    it (``"--control c.csv"``; None when the option was not given, and the error is then
    left as it is). The message's leading ``control:`` becomes ``--control c.csv:``, and the
    keywords it names (``control=``) become the options (``--control``).
    """
    try:
        yield
    except DataValidationError as exc:
        given = options.get(exc.field or "")
        if given is None:
            raise
        text, prefix = str(exc), f"{exc.field}: "
        body = text[len(prefix) :] if text.startswith(prefix) else text
        body = _keywords_as_options(body, options)
        option = given.split(" ", 1)[0]
        raise DataValidationError(f"{given}: {body}", field=option, value=exc.value) from None


def add_progress(parser: argparse.ArgumentParser) -> None:
    """``--[no-]progress`` (read it, and ``--quiet``, with :func:`progress_on`)."""
    parser.add_argument(
        "--progress",
        action=argparse.BooleanOptionalAction,
        default=None,
        help="progress bar (default: on when stderr is a terminal)",
    )


def progress_on(args: argparse.Namespace) -> bool:
    """A progress bar only on a terminal, never with --quiet (--progress/--no-progress win)."""
    if getattr(args, "quiet", False):
        return False
    chosen = getattr(args, "progress", None)
    return sys.stderr.isatty() if chosen is None else bool(chosen)
