"""Every output of every CLI command: one that is an input is refused, and the input is kept.

The commands and their options are read from the parser: each command that writes (an
``--out`` option) is run once with a new output, which must succeed, and then with its
output equal to each of its input files — by the same name, another spelling, a symbolic
link, a chain of links, a link to the folder or a hard link. Each of those must exit with
status 2 and leave every input byte for byte as it was, with no file left behind. A command
or an option that reads a file and is not in the tables below fails the test, so a new one
cannot go unchecked.
"""

from __future__ import annotations

import argparse
import os
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import bilateral_trade as bt
from bilateral_trade.cli import main
from bilateral_trade.cli.app import build_parser

#: Per command that writes: its arguments that name input files (dest names).
INPUTS: dict[str, tuple[str, ...]] = {
    "report": ("file", "control", "catalog"),
    "screen": ("panel",),
    "gravity": ("panel", "sanctions"),
    "convert": ("files", "country_codes"),
}
#: Per command, what the refusal says: the output rule, or the new-directory rule of convert.
REFUSAL = {
    "report": "an output never replaces an input",
    "screen": "an output never replaces an input",
    "gravity": "an output never replaces an input",
    "convert": "exists and is not a directory",
}
#: Arguments that take text other than a file (names, periods, numbers, choices, flags).
NOT_FILES = {
    "report": {"event", "baseline", "window", "counterfactual", "reporter", "partner", "flow",
               "product", "period", "value", "scale", "thousands"},
    "screen": {"at", "tests", "trim", "fdr", "trend", "levels", "jobs", "progress", "quiet"},
    "gravity": {"target", "fixed_effects", "cluster", "by", "reports", "product", "absent",
                "level"},
    "convert": {"countries", "products", "years", "published", "progress", "quiet"},
}  # fmt: skip


def _subparsers() -> dict[str, argparse.ArgumentParser]:
    parser = build_parser()
    action = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
    return dict(action.choices)


def _arguments(sub: argparse.ArgumentParser) -> dict[str, argparse.Action]:
    skip = (argparse._HelpAction, argparse._VersionAction)
    return {a.dest: a for a in sub._actions if not isinstance(a, skip)}


def test_every_command_that_writes_is_covered() -> None:
    writers = {name for name, sub in _subparsers().items() if "out" in _arguments(sub)}
    assert writers == set(INPUTS)
    for name in writers:
        dests = set(_arguments(_subparsers()[name]))
        # every argument is an input file, the output, or text that names no file
        assert dests == {*INPUTS[name], "out", *NOT_FILES[name]}, name


# ------------------------------------------------------------------ the inputs
def _series_csv(path: Path, seed: int) -> Path:
    rng = np.random.default_rng(seed)
    rows = "".join(f"{y},{np.exp(5 + 0.03 * i + rng.normal(0, 0.1)):.6f}\n"
                   for i, y in enumerate(range(2003, 2020)))  # fmt: skip
    path.write_text("period,value\n" + rows)
    return path


def _gravity_panel() -> tuple[bt.TradePanel, pd.DataFrame]:
    from bilateral_trade.stats.gravity import simulate_panel

    return simulate_panel(countries=8, years=5, seed=1)


BACI_ROWS = "".join(f"2019,156,{j},{k},{v},1\n" for j, k, v in
                    [(408, "030111", 1.5), (842, "670419", 2.5), (410, "270111", 3.5)])  # fmt: skip
CODES = "country_code,country_name,iso_3digit_alpha\n156,China,CHN\n408,DPRK,PRK\n410,Korea,KOR\n842,USA,USA\n"


def _inputs(command: str, folder: Path, fmt: str) -> tuple[dict[str, Path], list[str]]:
    """Valid input files of ``command`` and the arguments that use them (without --out).

    ``fmt`` is the output's suffix; every input has it too, so that the output rule, not
    the suffix rule, is what refuses an output equal to an input.
    """
    if command == "report":
        files = {
            "file": _series_csv(folder / f"series{fmt}", 1),
            "control": _series_csv(folder / f"control{fmt}", 2),
            "catalog": folder / f"catalog{fmt}",
        }
        files["catalog"].write_text(bt.datasets.dprk_sanctions().to_json(), encoding="utf-8")
        args = ["report", str(files["file"]), "--control", str(files["control"]),
                "--catalog", str(files["catalog"]), "--event", "UNSCR 2397",
                "--window", "2003:2019", "--reporter", "CHN", "--partner", "PRK",
                "--flow", "total"]  # fmt: skip
        return files, args
    if command == "screen":
        path = folder / f"panel{fmt}"
        panel = bt.datasets.synthetic_product_panel(seed=1)
        panel.to_parquet(path) if fmt == ".parquet" else panel.to_csv(path)
        return {"panel": path}, ["screen", str(path), "--tests", "sup_f", "--quiet"]
    if command == "gravity":
        panel, measures = _gravity_panel()
        # the panel is CSV (a Parquet panel is no output of gravity: its suffix is refused)
        files = {"panel": folder / "panel.csv", "sanctions": folder / f"measures{fmt}"}
        panel.to_csv(files["panel"])
        if fmt == ".json":  # a catalog of measures, as JSON
            catalog = bt.EventCatalog(
                [
                    bt.TradeEvent(date="2002-01-01", kind="sanctions_measure", label="m",
                                  reference="m 1", actor="USA", target="PRK")
                ]
            )  # fmt: skip
            files["sanctions"].write_text(catalog.to_json(), encoding="utf-8")
        else:
            measures.to_csv(files["sanctions"], index=False)
        return files, ["gravity", str(files["panel"]), "--sanctions", str(files["sanctions"])]
    files = {
        "files": folder / "BACI_HS17_Y2019_V202501.csv",
        "country_codes": folder / "country_codes_V202501.csv",
    }
    files["files"].write_text("t,i,j,k,v,q\n" + BACI_ROWS)
    files["country_codes"].write_text(CODES)
    args = ["convert", str(files["files"]), "--country-codes", str(files["country_codes"]),
            "--quiet"]  # fmt: skip
    return files, args


#: The output formats of each command (every one of its output suffixes' kinds).
FORMATS = {
    "report": [".html", ".md"],
    "screen": [".csv", ".parquet"],
    "gravity": [".csv", ".json"],
    "convert": [""],
}
CASES = [(command, fmt) for command, formats in FORMATS.items() for fmt in formats]


def _snapshot(folder: Path) -> dict[str, bytes]:
    return {
        str(p.relative_to(folder)): p.read_bytes()
        for p in sorted(folder.rglob("*"))
        if p.is_file() and not p.is_symlink()
    }


def _spellings(target: Path, folder: Path) -> dict[str, Callable[[], str]]:
    """Ways to name ``target`` as an output, each made when called (links are files)."""

    def link(name: str, to: Path) -> Path:
        path = folder / name
        path.symlink_to(to)
        return path

    def hard() -> str:
        path = folder / f"hard-{target.name}"
        os.link(target, path)
        return str(path)

    return {
        "same path": lambda: str(target),
        "relative": lambda: os.path.relpath(target),
        "dotted": lambda: str(folder / "." / "sub" / ".." / target.name),
        "symlink": lambda: str(link(f"link-{target.name}", target)),
        "relative symlink": lambda: str(link(f"rel-{target.name}", Path(target.name))),
        "chain of symlinks": lambda: str(
            link(f"b-{target.name}", link(f"a-{target.name}", target))
        ),
        "symlinked folder": lambda: str(link("alias", folder) / target.name),
        "hard link": hard,
    }


@pytest.mark.parametrize(("command", "fmt"), CASES)
def test_a_new_output_is_written(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, command: str, fmt: str
) -> None:
    """The invocations below are valid: only the output makes them fail."""
    monkeypatch.chdir(tmp_path)
    files, args = _inputs(command, tmp_path, fmt)
    before = {name: path.read_bytes() for name, path in files.items()}
    out = tmp_path / "new" / f"result{fmt or '-dataset'}"
    assert main([*args, "--out", str(out)]) == 0
    assert out.exists()
    assert {name: path.read_bytes() for name, path in files.items()} == before


@pytest.mark.parametrize(("command", "fmt"), CASES)
def test_an_output_equal_to_an_input_is_refused(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    command: str,
    fmt: str,
) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "sub").mkdir()
    files, args = _inputs(command, tmp_path, fmt)
    assert set(files) == set(INPUTS[command])
    tried = 0
    for name, target in files.items():
        for spelling, make in _spellings(target, tmp_path).items():
            before = _snapshot(tmp_path)
            out = make()
            code = main([*args, "--out", out])
            err = capsys.readouterr().err
            assert code == 2, (name, spelling, err)
            assert REFUSAL[command] in err, (name, spelling, err)
            # every input byte for byte as it was, and nothing written beside them
            assert _snapshot(tmp_path) == {**before, **_snapshot_of_links(tmp_path, before)}
            _remove_links(tmp_path)
            tried += 1
    assert tried == len(files) * 8


@pytest.mark.parametrize(("command", "fmt"), CASES)
def test_an_input_named_by_a_link_is_not_an_output_either(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    command: str,
    fmt: str,
) -> None:
    """The input given as a symbolic link, the output as the file it points to."""
    monkeypatch.chdir(tmp_path)
    files, args = _inputs(command, tmp_path, fmt)
    for name, target in files.items():
        link = tmp_path / f"in-{target.name}"
        link.symlink_to(target)
        before = _snapshot(tmp_path)
        linked = [str(link) if a == str(target) else a for a in args]
        assert linked != args, name
        code = main([*linked, "--out", str(target)])
        err = capsys.readouterr().err
        assert code == 2 and REFUSAL[command] in err, (name, err)
        assert _snapshot(tmp_path) == before
        link.unlink()


def _snapshot_of_links(folder: Path, before: dict[str, bytes]) -> dict[str, bytes]:
    """A hard link made by a spelling is a new name of an input: its bytes are the input's."""
    return {
        name: data
        for name, data in _snapshot(folder).items()
        if name.startswith("hard-") and data == before.get(name.removeprefix("hard-"))
    }


def _remove_links(folder: Path) -> None:
    for path in folder.iterdir():
        if path.is_symlink() or path.name.startswith("hard-"):
            path.unlink()
