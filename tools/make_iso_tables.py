"""Regenerate the ISO code tables shipped in src/bilateral_trade/datasets/data/.

Source: Debian's ``iso-codes`` package (``apt-get install iso-codes``), files
``/usr/share/iso-codes/json/iso_3166-1.json`` (countries: alpha-3 and numeric
codes; the numeric code equals the UN M49 code) and ``iso_4217.json`` (currencies).
"""

from __future__ import annotations

import csv
import json
import subprocess
from pathlib import Path

ISO_DIR = Path("/usr/share/iso-codes/json")
TARGET = Path(__file__).resolve().parents[1] / "src/bilateral_trade/datasets/data"


def _version() -> str:
    return subprocess.run(
        ["dpkg-query", "-W", "-f=${Version}", "iso-codes"],
        capture_output=True,
        text=True,
        check=False,
    ).stdout.strip()


def _write(name: str, header: list[str], rows: list[tuple[str, ...]], title: str) -> None:
    with (TARGET / name).open("w", newline="", encoding="utf-8") as fh:
        fh.write(f"# {title}; source: Debian iso-codes {_version()}\n")
        writer = csv.writer(fh, lineterminator="\n")
        writer.writerow(header)
        writer.writerows(sorted(rows))
    print(f"wrote {len(rows)} rows to {TARGET / name}")


def main() -> None:
    countries = json.loads((ISO_DIR / "iso_3166-1.json").read_text(encoding="utf-8"))["3166-1"]
    _write(
        "iso3166.csv",
        ["alpha3", "numeric", "name"],
        [(e["alpha_3"], e["numeric"], e.get("common_name", e["name"])) for e in countries],
        "ISO 3166-1 alpha-3 and numeric codes",
    )
    currencies = json.loads((ISO_DIR / "iso_4217.json").read_text(encoding="utf-8"))["4217"]
    _write(
        "iso4217.csv",
        ["code", "name"],
        [(e["alpha_3"], e["name"]) for e in currencies],
        "ISO 4217 currency codes",
    )


if __name__ == "__main__":
    main()
