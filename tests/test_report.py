from __future__ import annotations

import base64
import io
import os
import re
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path

import pytest
from matplotlib.image import imread

import bilateral_trade as bt
from bilateral_trade import DataQualityWarning, DataValidationError

SECTIONS = [
    "What did UNSCR 2397 do to trade?",
    "Data",
    "Growth",
    "Recovery against 2019",
    "Break tests in the window",
    "Impact of UNSCR 2397",
    "Reproducibility",
]


class Collector(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.h2: list[str] = []
        self.tables = 0
        self.images: list[str] = []
        self.urls: list[str] = []
        self._in_h2 = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        self._in_h2 = tag == "h2"
        self.tables += tag == "table"
        if tag == "img":
            self.images.append(a["src"] or "")
        for key in ("href", "src"):
            v = a.get(key)
            if v and not v.startswith("data:"):
                self.urls.append(v)

    def handle_data(self, data: str) -> None:
        if self._in_h2:
            self.h2.append(data)
            self._in_h2 = False


@pytest.fixture(scope="module")
def report() -> bt.Report:
    s = bt.datasets.china_dprk_trade()
    ev = bt.datasets.dprk_sanctions()
    return bt.report(s, catalog=ev, baseline=2019, event=ev.get("UNSCR 2397"))


def test_html_is_self_contained(report: bt.Report, tmp_path: Path) -> None:
    path = tmp_path / "r.html"
    text = report.to_html(path)
    assert path.read_text(encoding="utf-8") == text
    assert path.stat().st_mode & 0o044  # readable by others, like any file the user writes
    parser = Collector()
    parser.feed(text)
    assert parser.h2 == SECTIONS
    assert parser.tables >= 4  # flags, YoY, recovery, attribution
    assert parser.urls == []
    assert not re.search(r"<script|<link|@import|https?://fonts", text)
    assert len(parser.images) >= 5
    for src in parser.images:
        png = base64.b64decode(src.split(",", 1)[1])
        assert imread(io.BytesIO(png), format="png").shape[2] in (3, 4)
    assert "82.3%" in text and "UNSCR 2397" in text
    assert f"bilateral_trade {bt.__version__}" in text


def test_markdown_has_the_same_tables(report: bt.Report, tmp_path: Path) -> None:
    md = report.to_markdown(tmp_path / "r.md")
    assert [line[3:] for line in md.splitlines() if line.startswith("## ")] == SECTIONS
    html = report.to_html()
    for caption in (
        "Flagged observations",
        "Year-on-year change",
        "Ratio to the baseline",
        "Breaks attributed to events",
    ):
        assert caption in md and caption in html
    assert "| 2024 | $2.18bn | -5.0% |" in md


def test_no_partial_file_on_failure(
    report: bt.Report, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "r.html"
    path.write_text("old", encoding="utf-8")

    def boom(*args: object, **kwargs: object) -> None:
        raise OSError("disk full")

    monkeypatch.setattr(os, "replace", boom)
    with pytest.raises(OSError, match="disk full"):
        report.to_html(path)
    assert path.read_text(encoding="utf-8") == "old"
    assert list(tmp_path.iterdir()) == [path]


def test_bad_input() -> None:
    s = bt.datasets.china_dprk_trade()
    with pytest.raises(DataValidationError, match="tests: unknown test\\(s\\) 'cusum'"):
        bt.report(s, tests=("cusum",))
    with pytest.raises(DataValidationError, match="event: 'UNSCR 2397' is a reference"):
        bt.report(s, event="UNSCR 2397")
    with pytest.raises(DataValidationError, match="event: expected a TradeEvent or a reference"):
        bt.report(s, event=2397)  # type: ignore[arg-type]


def test_events_keyword_is_the_old_name_of_catalog() -> None:
    s = bt.datasets.china_dprk_trade().slice(end=2016)
    ev = bt.datasets.dprk_sanctions()
    with pytest.warns(FutureWarning, match=r"report\(\): the keyword events= .* use catalog=") as w:
        old = bt.report(s, events=ev, tests=("sup_f",))
    assert Path(w[0].filename).name == Path(__file__).name  # the caller's line
    assert old.to_markdown() == bt.report(s, catalog=ev, tests=("sup_f",)).to_markdown()
    with pytest.raises(DataValidationError, match="both events= and catalog="):
        bt.report(s, events=ev, catalog=ev)


def test_report_renders_the_analysis() -> None:
    s = bt.datasets.china_dprk_trade()
    ev = bt.datasets.dprk_sanctions()
    rep = bt.report(s, catalog=ev, event="UNSCR 2397", window=(2003, 2019), counterfactual="mean")
    html = rep.to_html()
    assert rep.title == "China → DPRK, total trade"
    assert "Window: 2003–2019 (chosen by the user)" in html
    with pytest.warns(DataQualityWarning):
        a = bt.analyze(s, "UNSCR 2397", catalog=ev, window=(2003, 2019), counterfactual="mean")
    assert bt._util.format.money(a.lost.estimate) in html
    # tables, not pasted summaries: the effects and the tests are HTML tables
    assert "<th>counterfactual</th>" in html and "<th>statistic</th>" in html
    assert "<pre>" not in html.split("Reproducibility")[0]


def test_cli_report(tmp_path: Path) -> None:
    out = tmp_path / "demo-report.html"
    exe = Path(sys.executable).parent / "bilateral-trade"
    proc = subprocess.run(
        [str(exe), "report", "--out", str(out)], capture_output=True, text=True, check=False
    )
    assert proc.returncode == 0, proc.stderr
    assert "wrote" in proc.stdout and out.exists()
    csv = tmp_path / "s.csv"
    csv.write_text(
        "year,usd\n" + "\n".join(f"{2000 + i},{100 + 10 * i}" for i in range(20)), encoding="utf-8"
    )
    md = tmp_path / "r.md"
    proc = subprocess.run(
        [
            str(exe),
            "report",
            str(csv),
            "--period",
            "year",
            "--value",
            "usd",
            "--reporter",
            "CHN",
            "--partner",
            "PRK",
            "--flow",
            "exports",
            "--baseline",
            "2010",
            "--out",
            str(md),
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr
    assert "## Recovery against 2010" in md.read_text(encoding="utf-8")
    bad = subprocess.run(
        [str(exe), "report", str(csv), "--out", str(md)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert bad.returncode == 2 and "no column 'period'" in bad.stderr
