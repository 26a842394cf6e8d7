"""Reference facts of the shipped HS correspondence tables, read without bilateral_trade.

Writes ``hs.json`` next to this script. The file is read with the standard library only
(``gzip`` + ``csv``), not with the package's reader, and every fact is computed here:

* rows per pair of revisions (later -> earlier, as the UN tables run), and per relationship;
* distinct codes of each revision on each side of each table;
* the ``1:1`` rows whose code changes number, per pair, and the number of HS2017 codes
  the HS2022 heading 8549 is drawn from;
* for a fixed random sample of codes of each pair (seed 2017), the sorted target codes in
  both directions, with the relationship as read from that direction (the reverse of
  ``1:n`` is ``n:1``).

The UN files' own totals for HS2022 -> HS2017 (15,657 rows; 5,613 HS2022 and 5,387 HS2017
codes) are checked as asserted facts below, so a damaged table cannot produce a reference.

Run from the repository root: ``python tests/reference/make_hs.py``.
"""

from __future__ import annotations

import csv
import gzip
import json
import random
from collections import Counter, defaultdict
from pathlib import Path

TABLE = Path("src/bilateral_trade/data/hs_tables/hs_correlations.csv.gz")
REVERSE = {"1:1": "1:1", "1:n": "n:1", "n:1": "1:n", "n:n": "n:n"}


def main() -> None:
    with gzip.open(TABLE, "rt", encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    pairs: dict[str, list[dict[str, str]]] = defaultdict(list)
    for row in rows:
        pairs[f"{row['from_hs']}>{row['to_hs']}"].append(row)
    out: dict[str, object] = {"rows": len(rows), "pairs": {}}
    rng = random.Random(2017)
    for key in sorted(pairs):
        block = pairs[key]
        forward: dict[str, set[str]] = defaultdict(set)
        backward: dict[str, set[str]] = defaultdict(set)
        label_f: dict[str, set[str]] = defaultdict(set)
        label_b: dict[str, set[str]] = defaultdict(set)
        for r in block:
            forward[r["from_code"]].add(r["to_code"])
            backward[r["to_code"]].add(r["from_code"])
            label_f[r["from_code"]].add(r["relationship"])
            label_b[r["to_code"]].add(REVERSE[r["relationship"]])
        sample_f = rng.sample(sorted(forward), 25)
        sample_b = rng.sample(sorted(backward), 25)
        out["pairs"][key] = {  # type: ignore[index]
            "rows": len(block),
            "relationships": dict(sorted(Counter(r["relationship"] for r in block).items())),
            "from_codes": len(forward),
            "to_codes": len(backward),
            "one_to_one_renumbered": sum(
                r["relationship"] == "1:1" and r["from_code"] != r["to_code"] for r in block
            ),
            "forward": {c: [sorted(forward[c]), sorted(label_f[c])] for c in sample_f},
            "backward": {c: [sorted(backward[c]), sorted(label_b[c])] for c in sample_b},
        }
    # the HS2017 codes that the HS2022 heading 8549 (e-waste) is drawn from
    out["hs2022_8549_sources"] = len(
        {r["to_code"] for r in pairs["HS2022>HS2017"] if r["from_code"].startswith("8549")}
    )
    known = out["pairs"]["HS2022>HS2017"]  # type: ignore[index]
    assert (known["rows"], known["from_codes"], known["to_codes"]) == (15657, 5613, 5387)
    assert len(rows) == 198878 and len(pairs) == 21
    Path(__file__).with_name("hs.json").write_text(json.dumps(out, indent=1) + "\n")


if __name__ == "__main__":
    main()
