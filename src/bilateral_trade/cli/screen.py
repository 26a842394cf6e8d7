"""``bilateral-trade screen``: test every series of a panel for breaks."""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING

from .options import TABLE_SUFFIXES, add_progress, number_or_period, progress_on, read_panel

if TYPE_CHECKING:
    from .options import Commands

__all__ = ["register", "run"]


def register(commands: Commands) -> None:
    """Add the ``screen`` command."""
    scr = commands.add_parser(
        "screen",
        help="test every series of a panel for breaks, with false-discovery control",
        description="Screen a panel (Parquet or CSV written by TradePanel) with Chow and sup-F "
        "tests; write one row per series and test.",
    )
    scr.add_argument(
        "panel",
        help="PANEL.parquet or PANEL.csv (written by TradePanel), or a Parquet dataset "
        "directory (written by bilateral-trade convert)",
    )
    scr.add_argument("--at", help="first period of the new regime for the Chow test, e.g. 2018")
    scr.add_argument("--tests", default="chow,sup_f", help="comma-separated: chow, sup_f")
    scr.add_argument(
        "--trim",
        type=_trim,
        default="auto",
        help="sup-F trimming: a fraction such as 0.15, or auto (default: per series length, the "
        "smallest of 0.15, 0.20, 0.25 whose segments hold the model, as analyze chooses)",
    )
    scr.add_argument("--fdr", choices=("bh", "by", "none"), default="bh")
    scr.add_argument(
        "--trend",
        action=argparse.BooleanOptionalAction,
        default=True,
        help="a linear trend in the model (default: on; --no-trend tests the mean only)",
    )
    scr.add_argument("--levels", action="store_true", help="test levels instead of logs")
    scr.add_argument("--jobs", type=int, default=1, help="processes (default 1)")
    add_progress(scr)
    scr.add_argument(
        "--out",
        required=True,
        help="results.parquet or results.csv (missing directories are created)",
    )
    scr.add_argument("--quiet", action="store_true", help="no progress bar")
    scr.set_defaults(run=run)


def run(args: argparse.Namespace) -> str:
    """Screen the panel, write the rows, return the summary."""
    from .._util.output import check_output, write_atomic
    from ..present.summaries import screen_summary
    from ..stats.screening import screen

    out, fmt = check_output(args.out, TABLE_SUFFIXES, field="--out", inputs={"PANEL": args.panel})
    panel = read_panel(args.panel)
    tests = tuple(t.strip() for t in args.tests.split(",") if t.strip())
    at = number_or_period(args.at) if args.at else None
    result = screen(
        panel,
        tests=tests,
        at=at,
        trim=args.trim,
        log=not args.levels,
        trend=args.trend,
        fdr=None if args.fdr == "none" else args.fdr,
        n_jobs=args.jobs,
        progress=progress_on(args),
    )
    if fmt == "parquet":
        write_atomic(out, lambda tmp: result.to_parquet(tmp, index=False))
    else:
        write_atomic(out, lambda tmp: result.to_csv(tmp, index=False))
    return screen_summary(
        result,
        tests=tests,
        log=not args.levels,
        trend=args.trend,
        at=at,
        at_hint="give --at for the Chow test",
        written=out.resolve(),
    )


def _trim(text: str) -> float | str:
    """``--trim``: ``auto`` or a number (the library checks its range)."""
    if text.strip().lower() == "auto":
        return "auto"
    try:
        return float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"{text!r} is not a number or auto; give a fraction such as 0.15, or auto"
        ) from None
