"""Bad invocations of the CLI and bad output paths: exit status 2, one line, nothing damaged."""

from __future__ import annotations

import errno
import os
import stat
from pathlib import Path

import pandas as pd
import pytest

import bilateral_trade as bt
from bilateral_trade import DataValidationError
from bilateral_trade.cli import main


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def assert_one_line_error(code: int, err: str, *needles: str) -> None:
    assert code == 2
    lines = err.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("bilateral-trade: error: "), err
    assert "Traceback" not in err
    for needle in needles:
        assert needle in lines[0], lines[0]


@pytest.fixture(scope="module")
def panel_files(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    d = tmp_path_factory.mktemp("panel")
    idx = pd.period_range("2000", periods=20, freq="Y").astype(str)
    frame = pd.DataFrame(
        {
            "reporter": ["CHN"] * 40,
            "partner": ["PRK"] * 20 + ["KOR"] * 20,
            "flow": ["exports"] * 40,
            "product": ["TOTAL"] * 40,
            "period": list(idx) * 2,
            "value": [100.0 * 1.05**i for i in range(20)] + [50.0 * 1.02**i for i in range(20)],
        }
    )
    panel = bt.TradePanel(frame)
    files = {"csv": d / "panel.csv", "parquet": d / "panel.parquet"}
    panel.to_csv(files["csv"])
    panel.to_parquet(files["parquet"])
    disguised = d / "parquet_named.csv"
    disguised.write_bytes(files["parquet"].read_bytes())
    files["disguised"] = disguised
    json_file = d / "demo.json"
    json_file.write_text('{"a": 1}', encoding="utf-8")
    files["json"] = json_file
    return files


@pytest.mark.parametrize("year", ["1800", "2030"])
def test_demo_year_outside_the_data(capsys: pytest.CaptureFixture[str], year: str) -> None:
    code, _, err = run(capsys, "demo", "--year", year)
    assert_one_line_error(code, err, f"--year: {year} is outside the embedded data", "2004 to 2025")


@pytest.mark.parametrize("year", ["1990", "2030"])
def test_demo_baseline_outside_the_data(capsys: pytest.CaptureFixture[str], year: str) -> None:
    code, _, err = run(capsys, "demo", "--baseline", year)
    assert_one_line_error(
        code, err, f"--baseline: {year} is outside the embedded data", "2003 to 2025"
    )


def test_report_events_of_the_wrong_shape(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    events = tmp_path / "ints.json"
    events.write_text("[1, 2]", encoding="utf-8")
    code, _, err = run(capsys, "report", "--events", str(events), "--out", str(tmp_path / "r.html"))
    assert_one_line_error(code, err, "event 1")
    assert not (tmp_path / "r.html").exists()


@pytest.mark.parametrize("suffix", [".pdf", ".txt", ""])
def test_report_unknown_suffix(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, suffix: str
) -> None:
    code, _, err = run(capsys, "report", "--out", str(tmp_path / f"r{suffix}"))
    assert_one_line_error(code, err, "supported: .html, .htm, .md, .markdown")
    assert list(tmp_path.iterdir()) == []


def test_report_suffix_is_case_insensitive(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    out = tmp_path / "new" / "dir" / "R.MD"  # missing directories are created
    code, _, err = run(capsys, "report", "--out", str(out))
    assert code == 0, err
    assert out.read_text(encoding="utf-8").startswith("# China → DPRK, total trade")


def test_parent_is_a_file(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    existing = tmp_path / "existing.html"
    existing.write_text("keep", encoding="utf-8")
    code, _, err = run(capsys, "report", "--out", str(existing / "x.html"))
    assert_one_line_error(code, err, "is not a directory")
    assert existing.read_text(encoding="utf-8") == "keep"


def test_devices_and_fifos_are_never_replaced(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    fifo = tmp_path / "f.html"
    os.mkfifo(fifo)
    code, _, err = run(capsys, "report", "--out", str(fifo))
    assert_one_line_error(code, err, "not a regular file")
    assert stat.S_ISFIFO(fifo.stat().st_mode)
    link = tmp_path / "full.html"
    link.symlink_to("/dev/full")
    code, _, err = run(capsys, "report", "--out", str(link))
    assert_one_line_error(code, err, "not a regular file")
    assert stat.S_ISCHR(os.stat("/dev/full").st_mode)
    directory = tmp_path / "d.md"
    directory.mkdir()
    code, _, err = run(capsys, "report", "--out", str(directory))
    assert_one_line_error(code, err, "is a directory")
    for device in ("/dev/full", "/dev/null"):
        code, _, err = run(capsys, "report", "--out", device)
        assert_one_line_error(code, err)
        assert stat.S_ISCHR(os.stat(device).st_mode)


def test_read_only_file_system(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def refuse(src: object, dst: object) -> None:
        raise OSError(errno.EROFS, "Read-only file system", str(dst))

    monkeypatch.setattr(os, "replace", refuse)
    code, _, err = run(capsys, "report", "--out", str(tmp_path / "r.html"))
    assert_one_line_error(code, err, "Read-only file system")
    assert list(tmp_path.iterdir()) == []  # no temporary file left behind


class TestScreen:
    def test_inputs(self, capsys: pytest.CaptureFixture[str], panel_files: dict[str, Path]) -> None:
        out = str(panel_files["csv"].parent / "r.csv")
        code, _, err = run(capsys, "screen", "nosuch.parquet", "--out", out)
        assert_one_line_error(code, err, "no such file: nosuch.parquet")
        code, _, err = run(capsys, "screen", str(panel_files["json"]), "--out", out)
        assert_one_line_error(code, err, "supported: .parquet, .csv")
        code, _, err = run(capsys, "screen", str(panel_files["disguised"]), "--out", out)
        assert_one_line_error(code, err)

    def test_outputs(
        self, capsys: pytest.CaptureFixture[str], panel_files: dict[str, Path], tmp_path: Path
    ) -> None:
        code, _, err = run(
            capsys, "screen", str(panel_files["csv"]), "--out", str(tmp_path / "r.xlsx")
        )
        assert_one_line_error(code, err, "supported: .parquet, .csv")
        upper = tmp_path / "nodir" / "res.PARQUET"  # one rule: directories are created
        code, out, err = run(capsys, "screen", str(panel_files["parquet"]), "--out", str(upper))
        assert code == 0, err
        assert len(pd.read_parquet(upper)) > 0  # really Parquet, whatever the case
        csv = tmp_path / "nodir2" / "x.csv"
        code, out, err = run(capsys, "screen", str(panel_files["csv"]), "--out", str(csv))
        assert code == 0, err and "model:" in out
        assert "give --at for the Chow test" in out


def test_report_methods_check_their_paths(tmp_path: Path) -> None:
    s = pd.Series(
        [1.0 + i for i in range(12)], index=pd.period_range("2000", periods=12, freq="Y"), name="x"
    )
    rep = bt.report(s, tests=("sup_f",))
    with pytest.raises(DataValidationError, match="is not a file name"):
        rep.to_html("")
    with pytest.raises(DataValidationError, match=r"supported: \.html, \.htm"):
        rep.to_html(tmp_path / "r.md")
    with pytest.raises(DataValidationError, match=r"supported: \.md, \.markdown"):
        rep.to_markdown(tmp_path / "r.html")


def test_markdown_escapes_html(tmp_path: Path) -> None:
    s = pd.Series(
        [1.0 + i for i in range(12)], index=pd.period_range("2000", periods=12, freq="Y"), name="x"
    )
    events = bt.EventCatalog(
        [
            bt.TradeEvent(
                date="2005-01-01",
                kind="sanctions_resolution",
                label="<b>bold</b>",
                reference="<script>alert(1)</script>",
            )
        ]
    )
    rep = bt.report(s, catalog=events, title="<script>x</script> | a", tests=("bai_perron",))
    md = rep.to_markdown()
    assert "<script>" not in md and "<b>" not in md
    assert md.splitlines()[0] == "# &lt;script&gt;x&lt;/script&gt; | a"
    html_text = rep.to_html()
    assert "<script>" not in html_text


def _panel_csv(path: Path) -> Path:
    rng = __import__("numpy").random.default_rng(3)
    years = pd.period_range("2005", periods=14, freq="Y")
    rows = [
        {
            "reporter": "CHN",
            "partner": p,
            "flow": "exports",
            "product": "TOTAL",
            "period": y,
            "value": float(100 + 10 * i + rng.normal(0, 3)),
        }
        for p in ("KOR", "JPN")
        for i, y in enumerate(years)
    ]
    bt.TradePanel(pd.DataFrame(rows)).to_csv(path)
    return path


@pytest.mark.parametrize("via", ["same", "symlink", "relative"])
def test_an_output_never_replaces_an_input(
    capsys: pytest.CaptureFixture[str],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    via: str,
) -> None:
    panel = _panel_csv(tmp_path / "panel.csv")
    series = tmp_path / "series.csv"
    series.write_text("period,value\n" + "".join(f"{y},{100 + y % 7}\n" for y in range(2003, 2020)))
    monkeypatch.chdir(tmp_path)

    def out_for(target: Path) -> str:
        if via == "symlink":
            link = tmp_path / f"link-{target.stem}{target.suffix}"
            link.symlink_to(target)
            return str(link)
        return target.name if via == "relative" else str(target)

    measures = tmp_path / "measures.csv"
    measures.write_text("reference,start,senders,targets\nm1,2010,KOR,CHN\n")
    md = tmp_path / "series.md"  # a report output suffix, given as the report's input file
    md.write_text("period,value\n2003,1\n")
    before = {p: p.read_bytes() for p in (panel, series, measures, md)}
    cases = [
        ["screen", str(panel), "--out", out_for(panel), "--quiet"],
        ["gravity", str(panel), "--sanctions", str(measures), "--out", out_for(measures)],
        ["report", str(md), "--out", out_for(md)],
    ]
    for args in cases:
        code, _, err = run(capsys, *args)
        assert code == 2, args
        assert "an output never replaces an input" in err, err
    assert {p: p.read_bytes() for p in (panel, series, measures, md)} == before


@pytest.fixture
def series_files(tmp_path: Path) -> dict[str, Path]:
    s, w = bt.datasets.china_dprk_trade(), bt.datasets.china_world_trade()
    files = {}
    for name, values in (("series", s.values), ("control", w.values), ("short", w.values[:2])):
        path = tmp_path / f"{name}.csv"
        path.write_text("period,value\n" + "".join(f"{p},{v}\n" for p, v in values.items()))
        files[name] = path
    (tmp_path / "bad.csv").write_text("period,value\n2003,abc\n")
    (tmp_path / "dup.csv").write_text("period,value\n2003,1\n2003,2\n")
    files["bad"], files["dup"] = tmp_path / "bad.csv", tmp_path / "dup.csv"
    return files


SERIES = ("--reporter", "CHN", "--partner", "PRK", "--flow", "total", "--event", "UNSCR 2397")


class TestReportOptions:
    """Issue 18 items 14 and 23: options are never silently ignored; errors name the option."""

    @pytest.mark.parametrize("text", ["", " , ", ","])
    def test_an_empty_counterfactual_is_refused(
        self, capsys: pytest.CaptureFixture[str], tmp_path: Path, text: str
    ) -> None:
        out = tmp_path / "r.html"
        code, _, err = run(capsys, "report", "--counterfactual", text, "--out", str(out))
        assert_one_line_error(code, err, "--counterfactual", "names no counterfactual")
        assert not out.exists()

    def test_synthetic_is_refused_by_name(
        self, capsys: pytest.CaptureFixture[str], tmp_path: Path
    ) -> None:
        code, _, err = run(
            capsys, "report", "--counterfactual", "synthetic", "--out", str(tmp_path / "r.html")
        )
        assert_one_line_error(code, err, "--counterfactual: synthetic needs donor series")

    def test_control_without_its_counterfactual(
        self, capsys: pytest.CaptureFixture[str], series_files: dict[str, Path], tmp_path: Path
    ) -> None:
        out = str(tmp_path / "r.html")
        control = str(series_files["control"])
        for file in ([str(series_files["series"]), *SERIES], list(SERIES[:6])):
            code, _, err = run(
                capsys, "report", *file, "--counterfactual", "trend", "--control", control,
                "--out", out,
            )  # fmt: skip
            assert_one_line_error(
                code, err, f"--control {control}: given", "add 'control' to --counterfactual"
            )
            assert "control=" not in err and "counterfactual=" not in err
        code, _, err = run(
            capsys, "report", str(series_files["series"]), *SERIES, "--counterfactual",
            "control", "--out", out,
        )  # fmt: skip
        assert_one_line_error(code, err, "--control: counterfactual 'control' needs")

    def test_the_embedded_case_takes_any_counterfactual(
        self, capsys: pytest.CaptureFixture[str], tmp_path: Path
    ) -> None:
        # the case's own control was passed to every counterfactual, and refused for "mean"
        out = tmp_path / "r.md"
        code, _, err = run(capsys, "report", "--counterfactual", "mean", "--out", str(out))
        assert code == 0, err
        assert "pre-event mean" in out.read_text(encoding="utf-8")

    @pytest.mark.parametrize(
        ("name", "needle"),
        [
            ("bad", "value: 'abc' at line 2 is not a number"),
            ("dup", "period: duplicate period 2003 at line 2 and line 3"),
            ("short", "no value at 2005"),
        ],
    )
    def test_control_file_errors_name_the_control(
        self,
        capsys: pytest.CaptureFixture[str],
        series_files: dict[str, Path],
        tmp_path: Path,
        name: str,
        needle: str,
    ) -> None:
        control = str(series_files[name])
        code, _, err = run(
            capsys, "report", str(series_files["series"]), *SERIES, "--control", control,
            "--out", str(tmp_path / "r.html"),
        )  # fmt: skip
        assert_one_line_error(code, err, f"--control {control}: ", needle)
        assert "pre/post" not in err

    def test_missing_files_and_file_options(
        self, capsys: pytest.CaptureFixture[str], series_files: dict[str, Path], tmp_path: Path
    ) -> None:
        out = str(tmp_path / "r.html")
        code, _, err = run(
            capsys, "report", str(series_files["series"]), *SERIES, "--control",
            str(tmp_path / "nosuch.csv"), "--out", out,
        )  # fmt: skip
        assert_one_line_error(code, err, "--control: no such file:", "nosuch.csv")
        code, _, err = run(capsys, "report", str(series_files["series"]), "--out", out)
        assert_one_line_error(code, err, "FILE ", "no --reporter was given")


class TestGravityTarget:
    """Issue 18 item 14: --target is checked even when the sanctions do not need it."""

    @pytest.fixture
    def files(self, tmp_path: Path) -> dict[str, Path]:
        panel = _panel_csv(tmp_path / "panel.csv")
        table = tmp_path / "measures.csv"
        table.write_text("sanctioning,target,start,end,kind\nKOR,JPN,2010,,trade\n")
        catalog = tmp_path / "catalog.csv"
        bt.EventCatalog(
            [
                bt.TradeEvent(
                    date="2010-01-01",
                    kind="sanctions_measure",
                    label="a measure",
                    reference="M 1",
                    actor="KOR",
                    target="JPN",
                )
            ]
        ).to_csv(catalog)
        return {"panel": panel, "table": table, "catalog": catalog, "out": tmp_path / "g.json"}

    @pytest.mark.parametrize(
        ("sanctions", "target", "needle"),
        [
            ("catalog", "ZZZ", "--target ZZZ: "),
            ("table", "ZZZ", "--target ZZZ: "),
            ("catalog", "CHN", "every sanctions event of the catalog names its own target"),
            ("table", "CHN", "a table of measures names the target of each measure"),
        ],
    )
    def test_a_target_never_silently_ignored(
        self,
        capsys: pytest.CaptureFixture[str],
        files: dict[str, Path],
        sanctions: str,
        target: str,
        needle: str,
    ) -> None:
        code, _, err = run(
            capsys, "gravity", str(files["panel"]), "--sanctions", str(files[sanctions]),
            "--target", target, "--out", str(files["out"]),
        )  # fmt: skip
        assert_one_line_error(code, err, f"--target {target}: ", needle)
        assert "target=" not in err
        assert not files["out"].exists()

    def test_the_library_refuses_the_same(self) -> None:
        from bilateral_trade.stats.gravity import sanction_measures

        table = pd.DataFrame(
            {"sanctioning": ["KOR"], "target": ["JPN"], "start": ["2010"], "end": [None]}
        )
        with pytest.raises(DataValidationError, match="would be ignored") as info:
            sanction_measures(table, target="PRK")
        assert info.value.field == "target"
        dprk = bt.datasets.dprk_sanctions()  # every event names its target (PRK)
        for target in ("ZZZ", "PRK"):
            with pytest.raises(DataValidationError) as info:
                sanction_measures(dprk, target=target)
            assert info.value.field == "target"
        own = bt.EventCatalog(
            [
                bt.TradeEvent(
                    date="2016-03-02", kind="sanctions_resolution", label="c", reference="R"
                )
            ]
        )  # a resolution without a target takes the argument
        with pytest.raises(DataValidationError, match="ZZZ"):
            sanction_measures(own, target="ZZZ")
        assert sanction_measures(own, target="PRK")["targets"].tolist() == ["PRK"]


@pytest.fixture(scope="module")
def dataset_dir(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """A Parquet dataset written by `bilateral-trade convert` from a simulated gravity panel."""
    from bilateral_trade.stats.gravity import simulate_panel

    folder = tmp_path_factory.mktemp("dataset")
    panel, measures = simulate_panel(countries=8, years=5, seed=1)
    frame = panel.to_frame()
    codes = {c: 100 + n for n, c in enumerate(sorted({*frame["reporter"], *frame["partner"]}))}
    names = folder / "country_codes.csv"
    names.write_text(
        "country_code,country_name,iso_3digit_alpha\n"
        + "".join(f"{n},{c},{c}\n" for c, n in codes.items())
    )
    files = []
    for period, rows in frame.groupby("period", observed=True):
        path = folder / f"BACI_HS17_Y{period}_V202501.csv"
        path.write_text(
            "t,i,j,k,v,q\n"
            + "".join(
                f"{period},{codes[r]},{codes[p]},010121,{v / 1000},1\n"
                for r, p, v in zip(rows["reporter"], rows["partner"], rows["value"], strict=True)
            )
        )
        files.append(str(path))
    out = folder / "ds"
    assert main(["convert", *files, "--country-codes", str(names), "--out", str(out)]) == 0
    table = folder / "measures.csv"
    measures.to_csv(table, index=False)
    return {"dataset": out, "measures": table, "folder": folder}


class TestDatasetDirectories:
    """Issue 18 item 26: screen and gravity read the directory `convert` writes."""

    def test_screen(
        self, capsys: pytest.CaptureFixture[str], dataset_dir: dict[str, Path], tmp_path: Path
    ) -> None:
        out = tmp_path / "s.csv"
        code, text, err = run(capsys, "screen", str(dataset_dir["dataset"]), "--out", str(out))
        assert code == 0, err
        assert "screened 56 series" in text
        assert len(pd.read_csv(out)[["reporter", "partner"]].drop_duplicates()) == 56

    @pytest.mark.skipif(
        __import__("importlib").util.find_spec("pyfixest") is None, reason="needs pyfixest"
    )
    def test_gravity(
        self, capsys: pytest.CaptureFixture[str], dataset_dir: dict[str, Path], tmp_path: Path
    ) -> None:
        out = tmp_path / "g.json"
        code, text, err = run(
            capsys, "gravity", str(dataset_dir["dataset"]), "--sanctions",
            str(dataset_dir["measures"]), "--out", str(out),
        )  # fmt: skip
        assert code == 0, err
        assert out.exists() and "sanctions" in text

    def test_a_directory_that_is_no_dataset(
        self, capsys: pytest.CaptureFixture[str], tmp_path: Path
    ) -> None:
        empty = tmp_path / "empty"
        empty.mkdir()
        code, _, err = run(capsys, "screen", str(empty), "--out", str(tmp_path / "s.csv"))
        assert_one_line_error(code, err, f"PANEL {empty}: ", "holds no Parquet files")
        assert "no such file" not in err
