"""``bilateral-trade catalogs``: the embedded event catalogs, their sizes and sources."""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .options import Commands

__all__ = ["register", "run"]


def register(commands: Commands) -> None:
    """Add the ``catalogs`` command."""
    cat = commands.add_parser(
        "catalogs",
        help="list the embedded event catalogs with their sizes and sources",
        description="List the embedded event catalogs (for --catalog): events, dates, "
        "events by role, loader and sources.",
    )
    cat.add_argument("--format", choices=("text", "json"), default="text", help="output format")
    cat.set_defaults(run=run)


def run(args: argparse.Namespace) -> str:
    """The table of :func:`bilateral_trade.datasets.catalogs` as text or JSON."""
    from ..datasets import catalogs
    from ..present.summaries import catalogs_json, catalogs_text

    table = catalogs()
    if args.format == "json":
        return catalogs_json(table)
    return (
        "Embedded event catalogs (use with: bilateral-trade report --catalog NAME)\n\n"
        + catalogs_text(table)
    )
