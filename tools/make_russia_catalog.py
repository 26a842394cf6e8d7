"""Write ``russia_sanctions.csv`` (the shipped Russia catalog) from the compiled events file.

Usage::

    python tools/make_russia_catalog.py russia_sanctions_events.csv \
        src/bilateral_trade/datasets/data/russia_sanctions.csv

The input is the compiler's ``russia_sanctions_events.csv`` (columns ``id, date, actor,
target, kind, title, trade_measure, hs_codes, hs_basis, source, note``). The output is in the
layout of ``EventCatalog.to_csv`` (schema version 2). What this script decides, row by row,
is written out below so that it can be reviewed:

- the kind: the compiler's ``sanctions_package``, ``import_ban``, ``export_control``,
  ``price_cap`` and ``tariff`` become ``sanctions_measure`` (the compiler's kind is kept in
  ``description``); ``countermeasure`` stays; each ``confounder`` gets its own kind
  (``conflict``, ``market_shock``, ``pandemic``);
- actor and target as ISO 3166-1 alpha-3 or organisation codes (regions as their country,
  flagged ``territorial``);
- HS codes normalised to 2, 4 or 6 digits (8-digit CN codes cut to their HS6 subheading,
  ``ex`` codes kept as the code they are part of, ranges expanded), the text as written kept
  in ``note``;
- which codes are bans, and in which direction: ``banned_exports`` (the actor bans imports of
  these goods from the target) and ``banned_supply`` (the actor bans exports of them to it).
  Export authorisations, price caps, tariffs, transshipment bans, anti-circumvention rules
  and designations are not bans of goods: their codes stay in ``hs_codes`` only;
- flags: ``hs_mapped`` (the compiler mapped product words to HS codes), ``hs_ex_codes``
  (``ex`` codes: only part of the code is covered), ``hs_incomplete`` (the list is the part
  of an annex that was read), ``territorial``, ``effective_date`` (the day a ban adopted
  earlier applies), ``date_disputed`` (sources give another day) and ``uncertain``;
- the two 2026 rows (20th and 21st EU packages) are left out: outside 2014–2025, dated only
  from a dataset's file headers and secondary news, no Council release read.
"""

from __future__ import annotations

import csv
import re
import sys
from pathlib import Path

LAST_DATE = "2025-12-31"

COLUMNS = (
    "reference",
    "date",
    "date_precision",
    "kind",
    "actor",
    "target",
    "label",
    "description",
    "measures",
    "hs_codes",
    "banned_exports",
    "banned_supply",
    "source",
    "flags",
    "note",
)

MEASURE_KINDS = {
    "sanctions_package": "sanctions package",
    "import_ban": "import ban",
    "export_control": "export control",
    "price_cap": "price cap",
    "tariff": "tariff",
}

CONFOUNDERS = {
    "cf-2014-03-18": "conflict",  # annexation of Crimea
    "cf-2014-11-27": "market_shock",  # oil-price collapse
    "cf-2014-12-16": "market_shock",  # ruble crisis
    "cf-2020-03-06": "market_shock",  # OPEC+ price war
    "cf-2020-03-11": "pandemic",  # COVID-19
    "cf-2022-02-24": "conflict",  # full-scale invasion of Ukraine
}

ACTORS = {
    "EU": "EU",
    "US": "USA",
    "US (with UK)": "USA;GBR",
    "G7; EU; Australia": "G7;EU;AUS",
    "Russia": "RUS",
    "Bank of Russia": "RUS",
    "OPEC": "OPEC",
    "OPEC+": "OPEC+",
    "WHO": "WHO",
}

TARGETS = {
    "Russia": "RUS",
    "Russia (individuals)": "RUS",
    "Russia; Belarus": "RUS;BLR",
    "Russia; non-government-controlled Donetsk and Luhansk": "RUS;UKR",
    "foreign financial institutions; Russia": "RUS",
    "Crimea": "UKR",
    "Crimea and Sevastopol": "UKR",
    "Ukraine": "UKR",
    "Ukraine (Crimea)": "UKR",
    "India": "IND",
    "EU; US; Canada; Australia; Norway": "EU;USA;CAN;AUS;NOR",
    "price-cap coalition": "G7;EU;AUS",
    "world": "",
    "world oil market": "",
}

# Which parts of the HS text are bans, by direction. "all": every code of the row; a tuple:
# the sections of the text (split at ". <label> (") in order; None: no ban of goods.
EXPORTS, SUPPLY = "banned_exports", "banned_supply"
BANS: dict[str, tuple[str | None, ...] | str] = {
    "ru-2014-08-06": EXPORTS,  # Russia bans food imports from the targets
    "us-2022-03-08": EXPORTS,
    "us-2022-03-11": EXPORTS,
    "eu-2022-03-15": (EXPORTS, SUPPLY),  # Annex XVII Part A imports; Annex XVIII luxury exports
    "eu-2022-04-08": (EXPORTS, EXPORTS),  # coal (Annex XXII); other imports (Annex XXI Part A)
    "eu-2022-06-03": EXPORTS,
    "us-2022-06-28": EXPORTS,
    "eu-2022-07-21": EXPORTS,
    "eu-2022-08-10": EXPORTS,
    "eu-2022-10-06": (EXPORTS, EXPORTS),  # steel (Annex XVII Part B); Annex XXI Part B
    "eu-2022-12-05": EXPORTS,
    "eu-2023-02-05": EXPORTS,
    "eu-2023-02-25": EXPORTS,  # bitumen, synthetic rubber, carbon black
    "eu-2023-12-18": EXPORTS,
    "us-2023-12-22": EXPORTS,
    "eu-2024-01-01": EXPORTS,
    "eu-2024-02-23": SUPPLY,  # electrical transformers
    "us-2024-04-12": EXPORTS,
    "eu-2025-10-23": EXPORTS,  # LNG, phased in 2026-2027
}
# the 16th package: primary aluminium import ban; chromium ores and game controllers export ban
SPLIT_CODES = {"eu-2025-02-24": {"7601": EXPORTS, "2610": SUPPLY, "950450": SUPPLY}}

NOT_BANS = {
    "eu-2014-07-31": "Annex II items need an export authorisation (denied for deepwater, "
    "Arctic and shale projects): not a ban",
    "eu-2022-02-23": "the export ban applies to the non-government-controlled areas of "
    "Donetsk and Luhansk, not to Russia",
    "pc-2022-12-05": "a price cap, not a ban",
    "ru-2022-12-27": "Russia's ban on supplies to buyers that apply the price cap depends on "
    "the contract, not the goods",
    "pc-2023-02-05": "price caps, not a ban",
    "us-2023-02-24": "a tariff, not a ban",
    "eu-2023-06-23": "extends earlier bans (pipeline crude) and adds anti-circumvention rules: "
    "no new ban of goods",
    "eu-2024-05-30": "prohibitive tariffs, not a ban",
    "eu-2024-06-24": "an LNG transshipment ban; imports unaffected",
    "us-2025-01-10": "designations of companies and vessels, not a ban of goods",
    "eu-2025-06-12": "tariffs, not a ban",
    "eu-2025-07-18": "a price cap and a ban on products refined from Russian crude in third "
    "countries, not a ban of Russia's exports",
    "us-2025-10-22": "designations of companies, not a ban of goods",
}

TERRITORIAL = {"eu-2014-06-23", "us-2014-12-19", "eu-2022-02-23"}
EFFECTIVE = {"eu-2022-08-10", "eu-2022-12-05", "eu-2023-02-05", "eu-2024-01-01"}
INCOMPLETE = {"eu-2022-02-23", "eu-2022-03-15", "eu-2022-10-06"}
DISPUTED = {"eu-2023-02-25", "eu-2024-06-24", "eu-2025-07-18", "cf-2014-12-16", "us-2014-12-19"}
UNCERTAIN = {"cf-2020-03-11"}


def parse_codes(text: str) -> list[str]:
    """HS codes of 2, 4 or 6 digits from the compiler's text (labels and "e.g." dropped)."""
    codes: list[str] = []
    for token in text.split(";"):
        token = token.split(":")[-1].replace("e.g.", "").strip().rstrip(".").strip()
        token = re.sub(r"^ex\s+", "", token)
        if not token or token == "...":
            continue
        span = re.fullmatch(r"(\d{4})-(\d{4})", token)
        if span:
            lo, hi = int(span.group(1)), int(span.group(2))
            codes.extend(f"{c:04d}" for c in range(lo, hi + 1))
            continue
        digits = token.replace(" ", "")
        if not digits.isdigit():
            raise ValueError(f"not an HS code: {token!r}")
        if digits == "9700":  # "ex 9700" in Annex XVIII: chapter 97 (works of art)
            digits = "97"
        if len(digits) in (8, 10):
            digits = digits[:6]  # CN/TARIC code: its HS6 subheading
        if len(digits) not in (2, 4, 6):
            raise ValueError(f"not an HS code of 2, 4 or 6 digits: {token!r}")
        codes.append(digits)
    return list(dict.fromkeys(codes))


def sections(text: str) -> list[str]:
    """The parts of an HS text that has labelled sections ("coal (…): …. other imports (…)")."""
    return re.split(r"\.\s+(?=[a-z][a-z ]*\()", text)


def convert(row: dict[str, str]) -> dict[str, str]:
    ref = row["id"]
    raw = row["hs_codes"]
    out = {c: "" for c in COLUMNS}
    out["reference"] = ref
    out["date"] = row["date"]
    out["date_precision"] = "day"
    if row["kind"] == "confounder":
        out["kind"] = CONFOUNDERS[ref]
        out["description"] = f"confounder ({CONFOUNDERS[ref].replace('_', ' ')})"
    elif row["kind"] == "countermeasure":
        out["kind"] = "countermeasure"
        out["description"] = "countermeasure of the target of sanctions"
    else:
        out["kind"] = "sanctions_measure"
        out["description"] = MEASURE_KINDS[row["kind"]]
        if ref in EFFECTIVE:
            out["description"] += " (the day a ban adopted earlier applies)"
    out["actor"] = ACTORS[row["actor"]]
    out["target"] = TARGETS[row["target"]]
    out["label"] = f"{row['actor']}: {row['title']}"
    out["measures"] = row["trade_measure"]
    codes = list(dict.fromkeys(c for part in sections(raw) for c in parse_codes(part)))
    out["hs_codes"] = ";".join(codes)
    exports: list[str] = []
    supply: list[str] = []
    ban = BANS.get(ref)
    if isinstance(ban, str):
        (exports if ban == EXPORTS else supply).extend(codes)
    elif isinstance(ban, tuple):
        parts = sections(raw)
        if len(parts) != len(ban):
            raise ValueError(f"{ref}: {len(parts)} sections, expected {len(ban)}")
        for part, direction in zip(parts, ban, strict=True):
            (exports if direction == EXPORTS else supply).extend(parse_codes(part))
    elif ref in SPLIT_CODES:
        for code, direction in SPLIT_CODES[ref].items():
            if code not in codes:
                raise ValueError(f"{ref}: {code} not among {codes}")
            (exports if direction == EXPORTS else supply).append(code)
    elif codes and ref not in NOT_BANS:
        raise ValueError(f"{ref}: HS codes without a decision on bans")
    out["banned_exports"] = ";".join(dict.fromkeys(exports))
    out["banned_supply"] = ";".join(dict.fromkeys(supply))
    out["source"] = row["source"]
    flags = []
    if row["hs_basis"] == "mapped":
        flags.append("hs_mapped")
    if re.search(r"(^|[;:.]\s*|e\.g\.\s*)ex\s", raw):
        flags.append("hs_ex_codes")
    for name, refs in (
        ("hs_incomplete", INCOMPLETE),
        ("territorial", TERRITORIAL),
        ("effective_date", EFFECTIVE),
        ("date_disputed", DISPUTED),
        ("uncertain", UNCERTAIN),
    ):
        if ref in refs:
            flags.append(name)
    out["flags"] = ";".join(sorted(flags))
    notes = []
    if row["note"]:
        notes.append(row["note"])
    if raw:
        notes.append(f"HS basis: {row['hs_basis']}; HS/CN codes as written: {raw}")
    if ref in NOT_BANS:
        notes.append(f"no banned lists: {NOT_BANS[ref]}")
    written = f"actor {row['actor']!r}, target {row['target']!r}"
    notes.append(f"as written in the source: {written}")
    out["note"] = "; ".join(notes)
    return out


def main(source: str, target: str) -> None:
    with Path(source).open(newline="", encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    kept = [convert(r) for r in rows if r["date"] <= LAST_DATE]
    with Path(target).open("w", newline="", encoding="utf-8") as fh:
        writer = csv.DictWriter(fh, fieldnames=list(COLUMNS), lineterminator="\n")
        writer.writeheader()
        writer.writerows(kept)
    print(f"{len(kept)} events written, {len(rows) - len(kept)} left out (after {LAST_DATE})")


if __name__ == "__main__":
    main(*sys.argv[1:3])
