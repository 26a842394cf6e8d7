"""``bilateral-trade convert``: BACI CSV files into a Parquet dataset partitioned by year."""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING

from .options import add_progress, codes, progress_on, years

if TYPE_CHECKING:
    from .options import Commands

__all__ = ["register", "run"]


def register(commands: Commands) -> None:
    """Add the ``convert`` command."""
    conv = commands.add_parser(
        "convert",
        help="convert BACI CSV files into a Parquet dataset partitioned by year",
        description="Read CEPII BACI files (validated as read_baci reads them) and write a "
        "Parquet dataset with one year=YYYY folder per year, the panel's schema and the "
        "provenance in its metadata. Read it with TradePanel.read_parquet(DIR, years=...).",
    )
    conv.add_argument("files", nargs="+", help="BACI_*.csv files (or a quoted glob pattern)")
    conv.add_argument("--out", required=True, help="a new (or empty) directory")
    conv.add_argument("--country-codes", help="BACI's country_codes_V*.csv")
    conv.add_argument("--countries", help="keep rows of these exporters or importers: PRK,KOR")
    conv.add_argument("--products", help="keep HS codes starting with these: 27,6704")
    conv.add_argument("--years", help="keep these years: 2010:2019 or 2015,2018")
    conv.add_argument("--published", help="publication date or version of the files")
    add_progress(conv)
    conv.add_argument("--quiet", action="store_true", help="no progress bar")
    conv.set_defaults(run=run)


def run(args: argparse.Namespace) -> str:
    """Convert the files; return what the dataset holds."""
    from ..io.parquet import convert_baci, describe_dataset

    out = convert_baci(
        args.files,
        args.out,
        country_codes=args.country_codes,
        countries=codes(args.countries),
        products=codes(args.products),
        years=years(args.years),
        published=args.published,
        progress=progress_on(args),
    )
    return f"wrote {describe_dataset(out)} to {out.resolve()}"
