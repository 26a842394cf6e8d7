"""The ``bilateral-trade`` command."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

from . import __version__
from .errors import BilateralTradeError

__all__ = ["main"]


def _demo(args: argparse.Namespace) -> str:
    from .demo import china_dprk_demo

    result = china_dprk_demo(report_year=args.year, baseline=args.baseline)
    if args.format == "json":
        return result.to_json()
    if args.format == "csv":
        return result.to_csv()
    return str(result.to_text())


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="bilateral-trade",
        description="Bilateral trade series, sanctions events and structural-break analysis.",
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")
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
    demo.set_defaults(run=_demo)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; return the exit status (0 ok, 2 bad input or usage)."""
    parser = _parser()
    args = parser.parse_args(argv)
    if args.command is None:
        parser.print_help()
        return 2
    try:
        text = args.run(args)
    except BilateralTradeError as exc:
        print(f"bilateral-trade: error: {exc}", file=sys.stderr)
        return 2
    try:
        sys.stdout.write(text if text.endswith("\n") else text + "\n")
        sys.stdout.flush()
    except BrokenPipeError:  # e.g. piped into `head`
        return 0
    return 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
