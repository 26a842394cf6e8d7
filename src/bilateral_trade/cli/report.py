"""``bilateral-trade report``: a self-contained HTML or Markdown report of a series."""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING

from .options import (
    counterfactuals,
    load_catalog,
    number_or_period,
    read_series,
    window,
    worded_for,
)

if TYPE_CHECKING:
    from .options import Commands

__all__ = ["register", "run"]


def register(commands: Commands) -> None:
    """Add the ``report`` command."""
    rep = commands.add_parser(
        "report",
        help="a self-contained HTML (or Markdown) report of a series",
        description="Write a report: data and provenance, growth, recovery, break tests and "
        "the impact of an event, with figures. Without FILE, the embedded China–DPRK data.",
    )
    rep.add_argument("file", nargs="?", help="CSV file with one series (see read_csv)")
    rep.add_argument(
        "--catalog",
        "--events",
        dest="catalog",
        metavar="dprk|russia|PATH",
        help="event catalog: an embedded one (dprk, russia; see `bilateral-trade catalogs`) or "
        "a file in the catalog schema, CSV (.csv) or JSON (any other name); default: dprk. "
        "Without FILE, russia reports China–Russia trade and the EU's first 2022 package. "
        "--events is an alias",
    )
    rep.add_argument(
        "--event", help="reference of the event to test and estimate, e.g. 'UNSCR 2397'"
    )
    rep.add_argument("--baseline", help="baseline period (e.g. 2019) or level (e.g. 2.5e9)")
    rep.add_argument(
        "--window",
        help="estimation window START:END, e.g. 2003:2019 (default: the confounder rule)",
    )
    rep.add_argument(
        "--counterfactual",
        help="comma-separated, headline first: trend, mean, control (default for the "
        "embedded data: control,trend; for a file: trend, or control with --control)",
    )
    rep.add_argument("--control", help="CSV file with the control series (same options as FILE)")
    rep.add_argument(
        "--out",
        required=True,
        help="output file: .html or .htm, .md or .markdown (missing directories are created)",
    )
    for name in ("reporter", "partner", "flow", "product"):
        rep.add_argument(f"--{name}", help=f"{name} (value, or selection in a tidy file)")
    rep.add_argument("--period", default="period", help="name of the period column")
    rep.add_argument("--value", default="value", help="name of the value column")
    rep.add_argument("--scale", type=float, default=1.0, help="multiply values (1e6 for millions)")
    rep.add_argument("--thousands", help="thousands separator to remove, e.g. ','")
    rep.set_defaults(run=run)


def run(args: argparse.Namespace) -> str:
    """Write the report of :func:`bilateral_trade.workflow.cases.plan_report`'s analysis."""
    from .._util.output import check_output
    from ..present.report import REPORT_SUFFIXES, report
    from ..workflow.cases import plan_report

    out, fmt = check_output(
        args.out,
        REPORT_SUFFIXES,
        field="--out",
        inputs={"FILE": args.file, "--control": args.control, "--catalog": args.catalog},
    )
    name, catalog = load_catalog(args.catalog)
    chosen_window = window(args.window)
    chosen = counterfactuals(args.counterfactual)
    series = None if args.file is None else read_series(args.file, args, "FILE")
    control = None if args.control is None else read_series(args.control, args, "--control")
    given = {
        "control": args.control,
        "counterfactual": args.counterfactual,
        "window": args.window,
        "baseline": args.baseline,
        "event": args.event,
    }
    options = {k: None if v is None else f"--{k} {v}" for k, v in given.items()}
    options["control"] = options["control"] or "--control"  # only --control gives a control
    with worded_for(options):
        plan = plan_report(
            name,
            catalog,
            series=series,
            control=control,
            event=args.event,
            baseline=number_or_period(args.baseline) if args.baseline else None,
            window=chosen_window,
            counterfactual=chosen,
        )
    result = report(plan.subject, catalog=catalog, baseline=plan.baseline)
    if fmt == "markdown":
        result.to_markdown(out)
    else:
        result.to_html(out)
    return f"wrote {out.resolve()}"
