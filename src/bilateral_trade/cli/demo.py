"""``bilateral-trade demo``: the China–DPRK story computed from the embedded data."""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .options import Commands

__all__ = ["register", "run"]


def register(commands: Commands) -> None:
    """Add the ``demo`` command."""
    demo = commands.add_parser(
        "demo",
        help="the China–DPRK story computed from the embedded data",
        description="Print the China–DPRK trade table and statements computed from the "
        "embedded data.",
    )
    demo.add_argument(
        "--format", choices=("text", "json", "csv"), default="text", help="output format"
    )
    demo.add_argument("--year", type=int, default=2024, help="report year (default 2024)")
    demo.add_argument("--baseline", type=int, default=2019, help="baseline year (default 2019)")
    demo.set_defaults(run=run)


def run(args: argparse.Namespace) -> str:
    """The demo as text, JSON or CSV."""
    from ..present.demo import china_dprk_demo

    result = china_dprk_demo(
        report_year=args.year,
        baseline=args.baseline,
        fields={"report_year": "--year", "baseline": "--baseline"},
    )
    if args.format == "json":
        return result.to_json()
    if args.format == "csv":
        return result.to_csv()
    return str(result.to_text())
