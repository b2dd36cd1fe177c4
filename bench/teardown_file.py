"""Generate realistic teardown lists for the import benchmark and for manual tests.

    .venv/bin/python bench/teardown_file.py -o /tmp/teardown.csv [--rows 100000] [--items 1000]

The file refers to weapon models and manufacturers by designation, alias and odd spellings (case, spaces),
gives countries as alpha-2, alpha-3 and English names, carries date codes, part numbers, categories and
origin markings, and includes some manufacturers that are not in the database (created unreviewed) and
some rows with a country only. `seed_world()` creates the matching reference data through the ORM.
"""

from __future__ import annotations

import argparse
import csv
import random
from pathlib import Path

WEAPONS = [("9M727", "Iskander-K"), ("Kh-101", "X-101"), ("Geran-2", "Shahed-136"), ("9M723", "Iskander-M"),
           ("Kalibr", "3M-14"), ("Kh-59", "Ovod"), ("Kh-22", "Burya"), ("Lancet-3", "Izdeliye 53")]  # fmt: skip
COUNTRIES = [("US", "USA", "United States"), ("JP", "JPN", "Japan"), ("DE", "DEU", "Germany"),
             ("CH", "CHE", "Switzerland"), ("GB", "GBR", "UK"), ("CN", "CHN", "China"), ("TW", "TWN", "Taiwan"),
             ("NL", "NLD", "Netherlands"), ("KR", "KOR", "South Korea"), ("RU", "RUS", "Russia"),
             ("BY", "BLR", "Belarus"), ("FR", "FRA", "France")]  # fmt: skip
CATEGORIES = ["microcontroller", "FPGA", "DC-DC converter", "GNSS receiver", "memory", "RF transceiver", "ADC",
              "power", "connector", "passive", "oscillator", "op-amp", "transistor", "sensor", "DSP"]  # fmt: skip
ORIGINS = ["", "", "MALAYSIA", "Made in Japan", "PHILIPPINES", "TAIWAN", "CHINA", "Thailand"]
HEADER = ["item_ref", "weapon", "recovered_on", "analysed_on", "place", "strike_date", "serial", "part_number",
          "manufacturer", "manufacturer_country", "category", "quantity", "marking", "date_code", "lot_code",
          "origin_marking", "module", "confidence", "source_url", "notes"]  # fmt: skip
MODULES = ["flight computer", "CH-99 GNSS receiver", "radio altimeter", "power supply", "servo drive", "seeker"]
PLACES = ["Kyiv", "Kharkiv", "Odesa", "Dnipro", "Lviv", "Zaporizhzhia"]
KNOWN_MANUFACTURERS = 300
NEW_MANUFACTURERS = 40


def manufacturer_name(index: int) -> str:
    return f"Maker {index:03d} Semiconductor"


def manufacturer_country(index: int) -> str:
    return COUNTRIES[index % len(COUNTRIES)][0]


def seed_world() -> None:
    """Weapon models with aliases and 300 manufacturers, each with one alias (for a fresh database)."""
    from manufacturers.models import Manufacturer, ManufacturerAlias
    from provenance.models import WeaponAlias, WeaponModel

    for designation, alias in WEAPONS:
        weapon, _ = WeaponModel.objects.get_or_create(
            designation=designation, defaults={"name": designation, "origin_country": "RU"}
        )
        WeaponAlias.objects.get_or_create(weapon_model=weapon, alias=alias)
    for index in range(KNOWN_MANUFACTURERS):
        maker, _ = Manufacturer.objects.get_or_create(
            name=manufacturer_name(index), defaults={"country": manufacturer_country(index)}
        )
        ManufacturerAlias.objects.get_or_create(manufacturer=maker, alias=f"M{index:03d}")


def _maker_cells(rng: random.Random) -> tuple[str, str, str]:
    """(manufacturer, manufacturer_country, part-number prefix) as an analyst might write them."""
    roll = rng.random()
    if roll < 0.15:  # country only (a count by country from a published statement)
        return "", rng.choice(COUNTRIES)[rng.randrange(3)], ""
    if roll < 0.20:  # a maker the database does not know yet, with its country
        index = rng.randrange(NEW_MANUFACTURERS)
        return f"Newco {index:02d} Electronics", COUNTRIES[index % len(COUNTRIES)][1], f"NC{index:02d}"
    index = rng.randrange(KNOWN_MANUFACTURERS)
    spelling = rng.choice([manufacturer_name(index), f"M{index:03d}", manufacturer_name(index).upper(),
                           "  " + manufacturer_name(index).lower().replace(" ", "  ")])  # fmt: skip
    country = rng.choice(["", COUNTRIES[index % len(COUNTRIES)][rng.randrange(3)]])
    return spelling, country, f"PN{index:03d}"


def generate_rows(*, rows: int, items: int, seed: int = 1):
    """Yield `rows` teardown rows (lists of cells) spread over `items` items, in item order."""
    rng = random.Random(seed)
    per_item = max(1, rows // items)
    made = 0
    for number in range(items):
        count = per_item if number < items - 1 else rows - made
        weapon = WEAPONS[number % len(WEAPONS)]
        year = 2022 + number % 4
        item_cells = [
            f"BENCH-{year}-{number:05d}",
            rng.choice(weapon),
            f"{year}-{1 + number % 12:02d}-{1 + number % 28:02d}",
            f"{year}-{1 + number % 12:02d}" if number % 3 else "",
            rng.choice(PLACES),
            "",
            f"SN{number:06d}",
        ]
        for line in range(count):
            maker, country, prefix = _maker_cells(rng)
            # About 20 part types per maker: a few thousand distinct parts, as in real teardowns.
            part = f"{prefix}-{rng.randrange(10):02d}{rng.choice('AB')}" if maker else ""
            week = 1 + rng.randrange(52)
            date_code = f"{rng.randrange(12, 24):02d}{week:02d}" if rng.random() < 0.7 else ""
            yield [
                *(item_cells if line == 0 else [item_cells[0], "", "", "", "", "", ""]),
                part,
                maker,
                country,
                rng.choice(CATEGORIES) if maker else "",
                str(1 + rng.randrange(4)),
                f"{part} {date_code}".strip(),
                date_code,
                f"L{rng.randrange(100000):05d}" if rng.random() < 0.3 else "",
                rng.choice(ORIGINS),
                rng.choice(MODULES),
                rng.choice(["confirmed", "confirmed", "confirmed", "probable", "possible"]),
                "https://example.org/teardown/" + str(number % 50),
                "",
            ]
            made += 1


def write_teardown_csv(path: Path, *, rows: int = 100_000, items: int = 1000, seed: int = 1) -> Path:
    """Write a generated teardown list to `path` (CSV, UTF-8)."""
    with open(path, "w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(HEADER)
        writer.writerows(generate_rows(rows=rows, items=items, seed=seed))
    return path


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("-o", "--output", required=True, type=Path)
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--items", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    write_teardown_csv(args.output, rows=args.rows, items=args.items, seed=args.seed)
    print(f"wrote {args.rows:,} rows for {args.items:,} items to {args.output}")


if __name__ == "__main__":
    main()
