"""``bilateral-trade gravity``: sanctions across many pairs (PPML structural gravity)."""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING

from .options import read_panel, worded_for

if TYPE_CHECKING:
    from .options import Commands

__all__ = ["register", "run"]


def register(commands: Commands) -> None:
    """Add the ``gravity`` command."""
    grav = commands.add_parser(
        "gravity",
        help="sanctions across many pairs: PPML structural gravity with sanction dummies",
        description="Estimate the effect of sanctions on bilateral trade with a structural "
        "gravity model (PPML with exporter-time, importer-time and pair fixed effects; needs "
        "the gravity extra: pip install 'bilateral-trade[gravity]'). Writes the coefficients "
        "as JSON (the whole result) or CSV (one row per sanction variable).",
    )
    grav.add_argument(
        "panel",
        help="PANEL.parquet or PANEL.csv (written by TradePanel), or a Parquet dataset "
        "directory (written by bilateral-trade convert)",
    )
    grav.add_argument(
        "--sanctions",
        required=True,
        help="event catalog (.json or .csv) or table of measures (.csv with columns "
        "sanctioning, target, start, end, kind)",
    )
    grav.add_argument(
        "--target", help="target of catalog events that name none, e.g. PRK (';' for several)"
    )
    grav.add_argument(
        "--fixed-effects",
        default="structural",
        help="structural (default), pair+time, or a comma-separated list such as "
        "exporter^period,importer^period,pair",
    )
    grav.add_argument("--cluster", choices=("pair", "exporter", "importer"), default="pair")
    grav.add_argument(
        "--by", choices=("kind", "direction"), help="separate coefficients by kind or direction"
    )
    grav.add_argument(
        "--reports",
        choices=("exporter", "importer"),
        default="exporter",
        help="whose declarations: exporters' exports (default) or importers' imports",
    )
    grav.add_argument("--product", help="product to use when the panel holds several")
    grav.add_argument(
        "--absent",
        choices=("missing", "zero"),
        default="missing",
        help="zero: an absent exporter-importer-period row is a zero flow (as in BACI)",
    )
    grav.add_argument("--level", type=float, default=0.95, help="confidence level (0.95)")
    grav.add_argument(
        "--out",
        required=True,
        help="results.json or results.csv (missing directories are created)",
    )
    grav.set_defaults(run=run)


def _fixed_effects(text: str) -> str | list[str]:
    """``"structural"`` as given; ``"pair,period"`` → ["pair", "period"]."""
    if "," in text:
        return [part.strip() for part in text.split(",") if part.strip()]
    return text


def run(args: argparse.Namespace) -> str:
    """Estimate, write the result, return its summary (with its caveats)."""
    import json

    from .._util.output import check_output, write_atomic
    from ..io.sanctions import read_sanctions
    from ..models.caveats import collecting
    from ..stats.gravity import gravity

    out, fmt = check_output(
        args.out,
        {".json": "json", ".csv": "csv"},
        field="--out",
        inputs={"PANEL": args.panel, "--sanctions": args.sanctions},
    )
    catalog = read_sanctions(args.sanctions, field="--sanctions")
    panel = read_panel(args.panel)
    target = None if args.target is None else f"--target {args.target}"
    with collecting(), worded_for({"target": target}):  # caveats: in result.caveats
        result = gravity(
            panel,
            catalog=catalog,
            fixed_effects=_fixed_effects(args.fixed_effects),
            cluster=args.cluster,
            by=args.by,
            target=args.target,
            reports=args.reports,
            product=args.product,
            absent=args.absent,
            level=args.level,
        )
    if fmt == "json":
        text = json.dumps(result.to_dict(), indent=1, ensure_ascii=False, allow_nan=False)
        write_atomic(out, lambda tmp: tmp.write_text(text + "\n", encoding="utf-8"))
    else:
        write_atomic(out, lambda tmp: result.to_frame().to_csv(tmp, index=False))
    # the summary lists result.caveats (what a Python user gets as warnings), once
    return f"{result.summary()}\nwrote {out.resolve()}"
