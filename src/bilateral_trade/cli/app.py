"""The ``bilateral-trade`` command."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, cast

from .._util.output import check_output, write_atomic
from .._util.version import __version__
from ..errors import BilateralTradeError, DataValidationError

if TYPE_CHECKING:
    from ..data.events import EventCatalog
    from ..data.panel import TradePanel

__all__ = ["main"]

_TABLE_SUFFIXES = {".parquet": "parquet", ".csv": "csv"}


def _window(text: str | None) -> tuple[object, object] | None:
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
    return (_number_or_period(lo) if lo else None, _number_or_period(hi) if hi else None)


def _counterfactuals(text: str | None) -> tuple[str, ...] | None:
    if text is None:
        return None
    return tuple(part.strip() for part in text.split(",") if part.strip())


def _demo(args: argparse.Namespace) -> str:
    from ..datasets import china_dprk_trade
    from ..present.demo import china_dprk_demo

    span = china_dprk_trade().index
    first, last = int(span[0].year), int(span[-1].year)
    for name, year, lo in (("--year", args.year, first + 1), ("--baseline", args.baseline, first)):
        if not lo <= year <= last:
            raise DataValidationError(
                f"{name}: {year} is outside the embedded data; choose a year from {lo} to {last}",
                field=name,
                value=year,
            )
    result = china_dprk_demo(report_year=args.year, baseline=args.baseline)
    if args.format == "json":
        return result.to_json()
    if args.format == "csv":
        return result.to_csv()
    return str(result.to_text())


def _number_or_period(text: str) -> object:
    for kind in (int, float):
        try:
            return kind(text)
        except ValueError:
            continue
    return text


def _read_series(path: str, args: argparse.Namespace, field: str) -> object:
    from ..io import read_csv

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
    if isinstance(loaded, dict):
        keys = ", ".join("/".join(k) for k in loaded)
        raise DataValidationError(
            f"{field}: {path} holds several series ({keys}); choose one with --reporter, "
            "--partner, --flow or --product",
            field=field,
            value=path,
        )
    return loaded


# ------------------------------------------------------------------ event catalogs
# the embedded series and event of each embedded catalog (report without FILE)
_CATALOG_CASES = {"dprk": "UNSCR 2397", "russia": "eu-2022-02-23"}


def _load_catalog(spec: str | None) -> tuple[str, EventCatalog]:
    """``--catalog dprk|russia|PATH`` → (name, catalog); name is ``"file"`` for a path."""
    from ..data.events import EventCatalog
    from ..datasets import catalog

    if spec is None:
        return "dprk", catalog("dprk")
    name = spec.strip().lower()
    if name in _CATALOG_CASES:
        return name, catalog(name)
    path = Path(spec)
    if not path.is_file():
        raise DataValidationError(
            f"--catalog: {spec!r} is neither an embedded catalog ({', '.join(_CATALOG_CASES)}) "
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


def _catalogs(args: argparse.Namespace) -> str:
    import json

    from ..datasets import catalogs

    table = catalogs()
    if args.format == "json":
        records = [
            {str(k): v.isoformat() if hasattr(v, "isoformat") else v for k, v in row.items()}
            for row in table.astype(object).to_dict(orient="records")
        ]
        return json.dumps(records, indent=1, ensure_ascii=False)
    lines = ["Embedded event catalogs (use with: bilateral-trade report --catalog NAME)"]
    for r in table.itertuples(index=False):
        lines += [
            "",
            f"{r.name}: {r.events} events, {r.first} to {r.last} (sanctions {r.sanctions}, "
            f"confounders {r.confounders}, measurement {r.measurement}, context {r.context})",
            f"  loader: {r.loader}",
            f"  sources: {r.source}",
        ]
    return "\n".join(lines)


def _report(args: argparse.Namespace) -> str:
    from ..present.report import REPORT_SUFFIXES, report
    from ..workflow.cases import china_dprk_2397

    out, fmt = check_output(args.out, REPORT_SUFFIXES, field="--out")
    name, catalog = _load_catalog(args.catalog)
    window = _window(args.window)
    counterfactual = _counterfactuals(args.counterfactual)
    if (
        args.file is None
        and args.control is None
        and name != "russia"
        and args.event in (None, "UNSCR 2397")
    ):
        # the embedded case: the same analysis as `bilateral-trade demo`
        analysis = china_dprk_2397(
            baseline=_number_or_period(args.baseline) if args.baseline else 2019,
            window=window,
            **cast(dict[str, Any], {"counterfactual": counterfactual} if counterfactual else {}),
        )
        result = report(analysis, events=catalog, baseline=analysis.options["baseline"])
    else:
        from ..datasets import china_dprk_trade, china_russia_trade

        embedded = china_russia_trade if name == "russia" else china_dprk_trade
        series = embedded() if args.file is None else _read_series(args.file, args, "file")
        control = None if args.control is None else _read_series(args.control, args, "control")
        case_event = _CATALOG_CASES.get(name, "UNSCR 2397")
        event_ref = args.event or (case_event if args.file is None else None)
        result = report(
            series,
            events=catalog,
            baseline=_number_or_period(args.baseline) if args.baseline else None,
            event=catalog.get(event_ref) if event_ref else None,
            window=window,
            counterfactual=counterfactual or ("control" if control is not None else "trend"),
            control=control,
        )
    if fmt == "markdown":
        result.to_markdown(out)
    else:
        result.to_html(out)
    return f"wrote {out.resolve()}"


def _read_panel(name: str) -> TradePanel:
    """The PANEL argument: a Parquet or CSV file written by TradePanel, checked first."""
    from ..data.panel import TradePanel

    path = Path(name)
    kind = _TABLE_SUFFIXES.get(path.suffix.lower())
    if kind is None:
        raise DataValidationError(
            f"PANEL: {name!r} has the suffix {path.suffix or '(none)'!r}; supported: "
            f"{', '.join(_TABLE_SUFFIXES)} (a panel written by TradePanel.to_parquet or to_csv)",
            field="panel",
            value=name,
        )
    if not path.is_file():
        raise DataValidationError(f"PANEL: no such file: {name}", field="panel", value=name)
    return TradePanel.read_parquet(path) if kind == "parquet" else TradePanel.read_csv(path)


def _screen(args: argparse.Namespace) -> str:
    from ..stats.screening import describe_model, screen

    out, fmt = check_output(args.out, _TABLE_SUFFIXES, field="--out")
    panel = _read_panel(args.panel)
    tests = tuple(t.strip() for t in args.tests.split(",") if t.strip())
    progress = _progress_on(args)
    result = screen(
        panel,
        tests=tests,
        at=_number_or_period(args.at) if args.at else None,
        trim=args.trim,
        log=not args.levels,
        trend=args.trend,
        fdr=None if args.fdr == "none" else args.fdr,
        n_jobs=args.jobs,
        progress=progress,
    )
    if fmt == "parquet":
        write_atomic(out, lambda tmp: result.to_parquet(tmp, index=False))
    else:
        write_atomic(out, lambda tmp: result.to_csv(tmp, index=False))
    n_series = result[["reporter", "partner", "flow", "product"]].drop_duplicates().shape[0]
    lines = [
        f"screened {n_series:,} series; wrote {out.resolve()}",
        f"model: {describe_model(not args.levels, args.trend)}",
    ]
    for test in tests:
        rows = result[result["test"] == test]
        ok = rows[rows["status"] == "ok"]
        why = rows.loc[rows["status"] != "ok", "status"].value_counts()
        lines.append(
            f"{test}: {len(ok):,} tested, {int((ok['q_value'] < 0.05).sum()):,} with q < 0.05"
            + (
                f"; not tested: {int(why.sum()):,} ("
                + ", ".join(f"{status} {count:,}" for status, count in why.items())
                + ")"
                if len(why)
                else ""
            )
            + ("; give --at for the Chow test" if test == "chow" and not args.at else "")
        )
        top = ok.sort_values("statistic", ascending=False).head(10)
        for r in top.itertuples(index=False):
            lines.append(
                f"  {r.reporter}->{r.partner} {r.flow} {r.product}: {r.statistic:.2f} "
                f"(q = {r.q_value:.2g}, break {r.break_period})"
            )
    return "\n".join(lines)


def _gravity(args: argparse.Namespace) -> str:
    import json
    import warnings

    import pandas as pd

    from .._util.files import first_line, read_table
    from ..data.events import EventCatalog
    from ..errors import BilateralTradeWarning
    from ..stats.gravity import gravity

    out, fmt = check_output(args.out, {".json": "json", ".csv": "csv"}, field="--out")
    source = Path(args.sanctions)
    if not source.is_file():
        raise DataValidationError(
            f"--sanctions: no such file: {args.sanctions}", field="sanctions", value=args.sanctions
        )
    sanctions: EventCatalog | pd.DataFrame
    if source.suffix.lower() == ".json":
        sanctions = EventCatalog.from_json(source)
    elif source.suffix.lower() == ".csv":
        header = [c.strip().strip('"') for c in first_line(source).split(",")]
        table = "sanctioning" in header
        sanctions = read_table(source) if table else EventCatalog.from_csv(source)
    else:
        raise DataValidationError(
            f"--sanctions: {args.sanctions!r} has the suffix {source.suffix or '(none)'!r}; "
            "supported: .json or .csv (an event catalog) or .csv with columns sanctioning, "
            "target, start, end, kind (a table of measures)",
            field="sanctions",
            value=args.sanctions,
        )
    panel = _read_panel(args.panel)
    text: str = args.fixed_effects
    fixed: str | list[str] = text
    if "," in text:
        fixed = [part.strip() for part in text.split(",") if part.strip()]
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", BilateralTradeWarning)
        result = gravity(
            panel,
            sanctions,
            fixed_effects=fixed,
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
    lines = [str(result.summary()), f"wrote {out.resolve()}"]
    lines += [
        "warning: " + " ".join(str(w.message).split())
        for w in caught
        if issubclass(w.category, BilateralTradeWarning)
    ]
    return "\n".join(lines)


def _progress_on(args: argparse.Namespace) -> bool:
    """A progress bar only on a terminal, never with --quiet (--progress/--no-progress win)."""
    if getattr(args, "quiet", False):
        return False
    chosen = getattr(args, "progress", None)
    return sys.stderr.isatty() if chosen is None else bool(chosen)


class _Bar:
    """A tqdm progress bar on stderr (bytes read), or nothing."""

    def __init__(self, on: bool, total: int, what: str) -> None:
        self._bar: Any = None
        if on:
            from tqdm import tqdm

            self._bar = tqdm(
                total=total, desc=what, unit="B", unit_scale=True, file=sys.stderr, leave=False
            )

    def __call__(self, n: int) -> None:
        if self._bar is not None:
            self._bar.update(n)

    def close(self) -> None:
        if self._bar is not None:
            self._bar.close()


def _codes(text: str | None) -> list[str] | None:
    """``"PRK,KOR"`` → ["PRK", "KOR"]."""
    if text is None:
        return None
    return [part.strip() for part in text.split(",") if part.strip()]


def _years(text: str | None) -> list[int] | None:
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


def _convert(args: argparse.Namespace) -> str:
    import json
    import os

    import pyarrow.parquet as pq

    from ..io._stream import expand_paths
    from ..io.parquet import convert_baci

    files = expand_paths(args.files)
    bar = _Bar(_progress_on(args), sum(os.path.getsize(f) for f in files), "converting")
    try:
        out = convert_baci(
            files,
            args.out,
            country_codes=args.country_codes,
            countries=_codes(args.countries),
            products=_codes(args.products),
            years=_years(args.years),
            published=args.published,
            progress=bar,
        )
    finally:
        bar.close()
    meta = json.loads(pq.read_schema(out / "_common_metadata").metadata[b"bilateral_trade"])
    rows = sum(int(f["rows"]) for f in meta["files"])
    years = sorted(int(p.name.removeprefix("year=")) for p in out.glob("year=*"))
    span = f"{years[0]}–{years[-1]}" if len(years) > 1 else str(years[0])
    return (
        f"wrote {rows:,} rows, {len(years)} year{'s' * (len(years) != 1)} ({span}) from "
        f"{len(files)} file{'s' * (len(files) != 1)} to {out.resolve()}"
    )


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
    rep.set_defaults(run=_report)
    scr = commands.add_parser(
        "screen",
        help="test every series of a panel for breaks, with false-discovery control",
        description="Screen a panel (Parquet or CSV written by TradePanel) with Chow and sup-F "
        "tests; write one row per series and test.",
    )
    scr.add_argument("panel", help="PANEL.parquet or PANEL.csv")
    scr.add_argument("--at", help="first period of the new regime for the Chow test, e.g. 2018")
    scr.add_argument("--tests", default="chow,sup_f", help="comma-separated: chow, sup_f")
    scr.add_argument("--trim", type=float, default=0.15, help="sup-F trimming (default 0.15)")
    scr.add_argument("--fdr", choices=("bh", "by", "none"), default="bh")
    scr.add_argument(
        "--trend",
        action=argparse.BooleanOptionalAction,
        default=True,
        help="a linear trend in the model (default: on; --no-trend tests the mean only)",
    )
    scr.add_argument("--levels", action="store_true", help="test levels instead of logs")
    scr.add_argument("--jobs", type=int, default=1, help="processes (default 1)")
    scr.add_argument(
        "--progress",
        action=argparse.BooleanOptionalAction,
        default=None,
        help="progress bar (default: on when stderr is a terminal)",
    )
    scr.add_argument(
        "--out",
        required=True,
        help="results.parquet or results.csv (missing directories are created)",
    )
    scr.add_argument("--quiet", action="store_true", help="no progress bar")
    scr.set_defaults(run=_screen)
    cat = commands.add_parser(
        "catalogs",
        help="list the embedded event catalogs with their sizes and sources",
        description="List the embedded event catalogs (for --catalog): events, dates, "
        "events by role, loader and sources.",
    )
    cat.add_argument("--format", choices=("text", "json"), default="text", help="output format")
    cat.set_defaults(run=_catalogs)
    grav = commands.add_parser(
        "gravity",
        help="sanctions across many pairs: PPML structural gravity with sanction dummies",
        description="Estimate the effect of sanctions on bilateral trade with a structural "
        "gravity model (PPML with exporter-time, importer-time and pair fixed effects; needs "
        "the gravity extra: pip install 'bilateral-trade[gravity]'). Writes the coefficients "
        "as JSON (the whole result) or CSV (one row per sanction variable).",
    )
    grav.add_argument("panel", help="PANEL.parquet or PANEL.csv (written by TradePanel)")
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
    grav.set_defaults(run=_gravity)

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
    conv.add_argument(
        "--progress",
        action=argparse.BooleanOptionalAction,
        default=None,
        help="progress bar (default: on when stderr is a terminal)",
    )
    conv.add_argument("--quiet", action="store_true", help="no progress bar")
    conv.set_defaults(run=_convert)
    return parser


def _fail(message: str) -> int:
    """Print one line on stderr and return the exit status of bad input (2)."""
    line = " ".join(message.split())
    print(f"bilateral-trade: error: {line}", file=sys.stderr)
    return 2


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
