"""HS revisions and the shipped correspondence tables (bt.hs), against tests/reference/hs.json.

The reference is computed from the compressed table with the standard library only
(tests/reference/make_hs.py); the UN's own totals for HS2022 -> HS2017 are asserted there.
"""

from __future__ import annotations

import hashlib
import json
import re
from importlib import resources
from pathlib import Path

import pytest

import bilateral_trade as bt

REF = json.loads((Path(__file__).parent / "reference" / "hs.json").read_text())
PAIRS = sorted(REF["pairs"])


def test_revisions_and_spellings() -> None:
    assert bt.hs.revisions() == (
        "HS1992",
        "HS1996",
        "HS2002",
        "HS2007",
        "HS2012",
        "HS2017",
        "HS2022",
    )
    for spelling in ("HS2017", "hs2017", "HS17", "H5", "2017", 2017, " HS2017 "):
        assert bt.hs.revision(spelling) == "HS2017"
    assert bt.hs.revision("H0") == "HS1992"
    assert bt.hs.revision("HS92") == "HS1992"
    assert bt.hs.revision("H6") == "HS2022"


@pytest.mark.parametrize("bad", ["HS2018", 2018, "H7", True, None, 2017.0, "", "HS", "HS2O17"])
def test_bad_revision_is_refused_by_name(bad: object) -> None:
    with pytest.raises(bt.DataValidationError, match="from_rev") as err:
        bt.hs.correspondence(bad, "HS2017")
    assert err.value.field == "from_rev"
    assert "HS1992" in str(err.value)


def test_same_revision_is_refused() -> None:
    with pytest.raises(bt.DataValidationError, match="nothing to convert"):
        bt.hs.correspondence("HS2017", "H5")


@pytest.mark.parametrize("key", PAIRS)
def test_every_pair_matches_the_table_read_independently(key: str) -> None:
    later, earlier = key.split(">")
    ref = REF["pairs"][key]
    down = bt.hs.correspondence(later, earlier)
    up = bt.hs.correspondence(earlier, later)
    assert down.attrs["chained"] is False and up.attrs["chained"] is False
    assert len(down) == len(up) == ref["rows"]
    assert down["relationship"].value_counts().to_dict() == ref["relationships"]
    assert down["from_code"].nunique() == ref["from_codes"]
    assert up["from_code"].nunique() == ref["to_codes"]
    assert list(down.columns) == ["from_code", "to_code", "relationship", "from_ex", "to_ex"]
    for code, (targets, labels) in ref["forward"].items():
        rows = down[down["from_code"] == code]
        assert sorted(rows["to_code"]) == targets
        assert sorted(set(rows["relationship"])) == labels
    for code, (targets, labels) in ref["backward"].items():
        rows = up[up["from_code"] == code]
        assert sorted(rows["to_code"]) == targets
        assert sorted(set(rows["relationship"])) == labels


def test_relationships_agree_with_the_row_counts() -> None:
    # a "1:n" code has several targets, each of which it alone feeds; the reverse read of a
    # table swaps the sides of the label
    t = bt.hs.correspondence("HS2022", "HS2017")
    fan_out = t.groupby("from_code")["to_code"].transform("size")
    fan_in = t.groupby("to_code")["from_code"].transform("size")
    assert ((fan_out == 1) & (fan_in == 1)).eq(t["relationship"] == "1:1").all()
    assert ((fan_out > 1) & (fan_in == 1)).eq(t["relationship"] == "1:n").all()
    assert ((fan_out == 1) & (fan_in > 1)).eq(t["relationship"] == "n:1").all()
    back = bt.hs.correspondence("HS2017", "HS2022")
    assert back["relationship"].value_counts()["n:1"] == t["relationship"].value_counts()["1:n"]


@pytest.mark.parametrize("key", PAIRS)
def test_one_to_one_codes_map_to_themselves_and_back(key: str) -> None:
    later, earlier = key.split(">")
    down = bt.hs.correspondence(later, earlier)
    up = bt.hs.correspondence(earlier, later)
    ones = down[down["relationship"] == "1:1"]
    # most keep their number; the table's own count of those that do not
    renumbered = int((ones["from_code"] != ones["to_code"]).sum())
    assert renumbered == REF["pairs"][key]["one_to_one_renumbered"]
    # every 1:1 code comes back to itself, and only to itself, through the reverse read
    back = ones.merge(up, left_on="to_code", right_on="from_code", suffixes=("", "_back"))
    assert len(back) == len(ones)
    assert (back["to_code_back"] == back["from_code"]).all()
    assert (back["relationship_back"] == "1:1").all()
    for code in ones["from_code"].iloc[::1000]:
        there = bt.hs.relationship(code, later, earlier)
        assert there.relationship == "1:1" and len(there.targets) == 1
        assert bt.hs.relationship(there.targets[0], earlier, later).targets == (code,)


def test_ewaste_heading_8549_is_drawn_from_many_chapters() -> None:
    # the UN table: HS2022 heading 8549 corresponds to about a thousand HS2017 codes
    t = bt.hs.correspondence("HS2022", "HS2017")
    sources = t[t["from_code"].str.startswith("8549")]["to_code"].unique()
    assert len(sources) == REF["hs2022_8549_sources"]
    assert len({c[:2] for c in sources}) >= 5


def test_relationship_of_a_code() -> None:
    r = bt.hs.relationship("854231", "HS2022", "HS2017")
    assert r.targets == ("854231",)
    assert r.to_dict()["from_rev"] == "HS2022"
    assert "854231" in r.summary()
    json.dumps(r.to_dict())


def test_unknown_code_is_refused_by_name() -> None:
    with pytest.raises(bt.UnknownCodeError, match="'854910'") as err:
        bt.hs.relationship("854910", "HS2017", "HS2022")
    assert isinstance(err.value, bt.DataValidationError) and err.value.field == "code"
    # an HS2022-only code read as HS2017 names the revision it belongs to
    with pytest.raises(bt.UnknownCodeError, match="HS2022"):
        bt.hs.relationship("880730", "HS2017", "HS2012")
    for bad in (854231, "8542.31", "8542", None, True):
        with pytest.raises(bt.DataValidationError, match="six-digit"):
            bt.hs.relationship(bad, "HS2022", "HS2017")


def test_tables_are_copies() -> None:
    t = bt.hs.correspondence("HS2022", "HS2017")
    t.loc[0, "to_code"] = "999999"
    assert bt.hs.correspondence("HS2022", "HS2017").loc[0, "to_code"] != "999999"


def test_codes_per_revision() -> None:
    assert len(bt.hs.codes("HS2022")) == REF["pairs"]["HS2022>HS2017"]["from_codes"]
    assert len(bt.hs.codes("HS2017")) == REF["pairs"]["HS2022>HS2017"]["to_codes"]
    assert all(re.fullmatch(r"\d{6}", c) for c in bt.hs.codes("HS1992"))


def test_shipped_table_matches_its_provenance() -> None:
    folder = resources.files("bilateral_trade.data.hs_tables")
    digest = hashlib.sha256((folder / "hs_correlations.csv.gz").read_bytes()).hexdigest()
    assert digest in (folder / "PROVENANCE.md").read_text(encoding="utf-8")


def test_panel_carries_its_revision(tmp_path: Path) -> None:
    frame = bt.datasets.synthetic_product_panel().to_frame()
    assert bt.TradePanel(frame).hs_revision is None
    panel = bt.TradePanel(frame, hs_revision="H4")
    assert panel.hs_revision == "HS2012" and "HS2012" in repr(panel)
    assert panel.select(flow="imports").hs_revision == "HS2012"
    assert panel != bt.TradePanel(frame, hs_revision="HS2017")
    panel.to_csv(tmp_path / "p.csv")
    assert bt.TradePanel.read_csv(tmp_path / "p.csv") == panel
    panel.to_parquet(tmp_path / "p.parquet")
    assert bt.TradePanel.read_parquet(tmp_path / "p.parquet").hs_revision == "HS2012"
    for bad in ("HS2019", True, 2017.5):
        with pytest.raises(bt.DataValidationError, match="hs_revision"):
            bt.TradePanel(frame, hs_revision=bad)


def test_baci_file_names_give_the_revision(tmp_path: Path) -> None:
    from bilateral_trade.io.baci import revision_of

    assert revision_of([Path("BACI_HS17_Y2019_V202401.csv")]) == "HS2017"
    assert revision_of([Path("BACI_HS92_Y1995_V202401.csv")]) == "HS1992"
    assert revision_of([Path("trade.csv")]) is None
    with pytest.raises(bt.DataValidationError, match="different HS revisions"):
        revision_of([Path("BACI_HS17_Y2019_V202401.csv"), Path("BACI_HS12_Y2019_V202401.csv")])
