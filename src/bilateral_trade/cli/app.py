"""The ``bilateral-trade`` command: the parser of every command, and one-line errors.

Each command lives in its own module (:mod:`.demo`, :mod:`.report`, :mod:`.screen`,
:mod:`.catalogs`, :mod:`.gravity`, :mod:`.convert`) with ``register(commands)``, which adds
its subparser, and ``run(args)``, a thin call into the library that returns the text to
print. Shared options and argument readers are in :mod:`.options`.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

from .._util.version import __version__
from ..errors import BilateralTradeError
from . import catalogs, convert, demo, gravity, report, screen

__all__ = ["build_parser", "main"]

# in the order ``bilateral-trade --help`` lists them
_COMMANDS = (demo, report, screen, catalogs, gravity, convert)


def build_parser() -> argparse.ArgumentParser:
    """The ``bilateral-trade`` parser with every command's subparser."""
    parser = argparse.ArgumentParser(
        prog="bilateral-trade",
        description="Bilateral trade series, sanctions events and structural-break analysis.",
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")
    for command in _COMMANDS:
        command.register(commands)
    return parser


def _fail(message: str) -> int:
    """Print one line on stderr and return the exit status of bad input (2)."""
    line = " ".join(message.split())
    print(f"bilateral-trade: error: {line}", file=sys.stderr)
    return 2


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; return the exit status (0 ok, 2 bad input or usage)."""
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.command is None:
        parser.print_help()
        return 2
    try:
        text = args.run(args)
    except BilateralTradeError as exc:
        return _fail(str(exc))
    except OSError as exc:  # read-only file system, permissions, a missing file…
        where = f": {exc.filename}" if exc.filename else ""
        return _fail(f"{exc.strerror or exc}{where}")
    except Exception as exc:  # never a traceback: one line, and a way to report it
        return _fail(
            f"unexpected {type(exc).__name__}: {exc} (please report this with the command you ran)"
        )
    try:
        sys.stdout.write(text if text.endswith("\n") else text + "\n")
        sys.stdout.flush()
    except BrokenPipeError:  # e.g. piped into `head`
        return 0
    return 0
