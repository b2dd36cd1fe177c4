"""Generate the shared benchmark dataset: 1,000,000 findings in the PostgreSQL database `bench_1m`.

    .venv/bin/python bench/generate.py            # create + migrate + fill if empty
    .venv/bin/python bench/generate.py --fresh    # drop, recreate, migrate, fill

About 5,000 recovered items (6 years of recovery dates, mixed status / TLP / owners / shared_with),
2,000 manufacturers in 40 countries with ownership chains (some two or three levels deep, some starting
after today, some ended), 30 weapon models in 10 families with aliases, 20,000 parts with categories and
HS codes (CHPL tiers), date codes on ~60% of findings, modules and origin markings. Deterministic for a
given `--seed`. Rows are written with COPY (psycopg `cursor.copy`); history tables are left empty.
Prints `bench_1m ready` at the end.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import random
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import psycopg

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from bench.common import django_setup  # noqa: E402 (needs the root on the path)

DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/bench_1m"
NOW = "2026-01-01 00:00:00+00"

COUNTRIES = [
    "US",
    "RU",
    "CN",
    "JP",
    "DE",
    "GB",
    "CH",
    "FR",
    "NL",
    "TW",
    "KR",
    "BY",
    "IT",
    "SE",
    "FI",
    "IE",
    "CA",
    "IL",
    "SG",
    "MY",
    "PH",
    "TH",
    "VN",
    "IN",
    "MX",
    "CZ",
    "PL",
    "AT",
    "BE",
    "DK",
    "NO",
    "ES",
    "PT",
    "HU",
    "HK",
    "TR",
    "IR",
    "KP",
    "UA",
    "AU",
]
# HQ-country weights of manufacturers: US-heavy, a strong Russian share, a long tail.
COUNTRY_WEIGHTS = [30, 15, 10, 6, 5, 3, 3, 2, 2, 4, 3, 2] + [1] * 28
ASSEMBLY = ["MY", "PH", "TW", "CN", "TH", "VN", "MX"]
ASSEMBLY_NAMES = {
    "MY": "MALAYSIA",
    "PH": "PHILIPPINES",
    "TW": "TAIWAN",
    "CN": "CHINA",
    "TH": "THAILAND",
    "VN": "VIETNAM",
    "MX": "MEXICO",
}

HS_CODES = [
    ("854231", "1", "ICs: processors and controllers"),
    ("854232", "1", "ICs: memories"),
    ("854233", "1", "ICs: amplifiers"),
    ("854239", "1", "ICs: other"),
    ("852691", "2", "GNSS receivers"),
    ("853224", "2", "Fixed capacitors, ceramic multilayer"),
    ("850440", "3.A", "Static converters"),
    ("853669", "3.A", "Plugs and sockets"),
    ("854110", "3.A", "Diodes"),
    ("854121", "3.A", "Transistors < 1 W"),
    ("854160", "3.A", "Mounted piezo-electric crystals"),
    ("848210", "3.B", "Ball bearings"),
    ("903289", "4.A", "Regulating instruments"),
    ("853400", "", "Printed circuits"),
]
CATEGORIES = [
    ("microcontroller", "854231"),
    ("FPGA", "854231"),
    ("processor", "854231"),
    ("memory", "854232"),
    ("amplifier", "854233"),
    ("ADC", "854239"),
    ("RF transceiver", "854239"),
    ("GNSS receiver", "852691"),
    ("capacitor", "853224"),
    ("DC-DC converter", "850440"),
    ("connector", "853669"),
    ("diode", "854110"),
    ("transistor", "854121"),
    ("crystal oscillator", "854160"),
    ("bearing", "848210"),
    ("printed circuit board", "853400"),
    ("mechanical", None),
]
FAMILIES = [
    ("Iskander", "RU", "cruise missile", ["9M727", "9M728", "9M723"]),
    ("Kh-101", "RU", "air-launched cruise missile", ["Kh-101", "Kh-555", "Kh-102"]),
    ("Kalibr", "RU", "cruise missile", ["3M-14", "3M-54", "3M-14T"]),
    ("Kinzhal", "RU", "air-launched ballistic missile", ["Kh-47M2", "Kh-47M2-B", "Kh-47M1"]),
    ("Shahed", "IR", "loitering munition", ["Shahed-136", "Shahed-131", "Shahed-238"]),
    ("Geran", "RU", "loitering munition", ["Geran-2", "Geran-1", "Geran-3"]),
    ("KN-23", "KP", "ballistic missile", ["KN-23", "KN-24", "KN-25"]),
    ("Orlan", "RU", "UAV", ["Orlan-10", "Orlan-30", "Orlan-20"]),
    ("Lancet", "RU", "loitering munition", ["Lancet-1", "Lancet-3", "Izdeliye-53"]),
    ("Kh-59", "RU", "air-launched cruise missile", ["Kh-59", "Kh-59MK", "Kh-69"]),
]
MODULES = [
    "CH-99 GNSS receiver",
    "flight computer",
    "radio altimeter",
    "power supply unit",
    "servo drive",
    "seeker head",
    "telemetry transmitter",
    "inertial measurement unit",
    "fuze",
    "engine control unit",
    "datalink",
    "camera module",
]
ORGANISATIONS = [("Internal analysts", "internal", "UA")] + [
    (f"Partner {name}", "partner", code)
    for name, code in [
        ("Alpha", "GB"),
        ("Bravo", "US"),
        ("Charlie", "DE"),
        ("Delta", "PL"),
        ("Echo", "NL"),
        ("Foxtrot", "JP"),
        ("Golf", "CA"),
        ("Hotel", "FR"),
        ("India", "SE"),
    ]
]
STATUSES = (["published"] * 50) + (["verified"] * 20) + (["submitted"] * 15) + (["draft"] * 15)
TLPS = (["CLEAR"] * 30) + (["GREEN"] * 30) + (["AMBER"] * 25) + (["AMBER+STRICT"] * 10) + (["RED"] * 5)


def _with_db(url: str, name: str) -> str:
    parts = urlsplit(url)
    return urlunsplit((parts.scheme, parts.netloc, f"/{name}", parts.query, parts.fragment))


def _cell(value) -> str:
    if value is None:
        return "\\N"
    if isinstance(value, bool):
        return "t" if value else "f"
    return str(value)


def _copy(cur, table: str, columns: list[str], rows) -> int:
    """COPY `rows` (tuples) into `table`, in chunks of text lines."""
    n = 0
    with cur.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as copy:
        chunk: list[str] = []
        for row in rows:
            chunk.append("\t".join(_cell(v) for v in row))
            n += 1
            if len(chunk) >= 20000:
                copy.write("\n".join(chunk) + "\n")
                chunk.clear()
        if chunk:
            copy.write("\n".join(chunk) + "\n")
    return n


def _finding_columns(url: str) -> list[str]:
    """The findings table's columns in the order the teardown import writes them (the writer's one list)."""
    django_setup(url)
    from provenance.teardown.writer import finding_copy_columns

    return finding_copy_columns()


def prepare_database(url: str, *, fresh: bool) -> bool:
    """Create (or with `fresh`, drop and recreate) the database and migrate it. True when it needs data."""
    name = urlsplit(url).path.lstrip("/")
    with psycopg.connect(_with_db(url, "postgres"), autocommit=True) as admin:
        exists = admin.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
        if exists and fresh:
            admin.execute(f'DROP DATABASE "{name}" WITH (FORCE)')
            exists = None
        if not exists:
            admin.execute(f'CREATE DATABASE "{name}"')
    env = {**os.environ, "DATABASE_URL": url, "DJANGO_SETTINGS_MODULE": "config.settings.base"}
    subprocess.run(
        [sys.executable, str(ROOT / "manage.py"), "migrate", "--noinput", "-v", "0"], check=True, env=env, cwd=ROOT
    )
    with psycopg.connect(url) as conn:
        (count,) = conn.execute("SELECT count(*) FROM provenance_finding").fetchone()
    return count == 0


def generate(url: str, *, seed: int, findings: int, items: int, manufacturers: int) -> None:
    """Fill an empty, migrated database."""
    rng = random.Random(seed)
    t0 = time.perf_counter()
    with psycopg.connect(url) as conn, conn.cursor() as cur:
        # HS codes and categories.
        hs_rows = [(i + 1, NOW, NOW, code, desc, tier) for i, (code, tier, desc) in enumerate(HS_CODES)]
        hs_id = {code: i + 1 for i, (code, _, _) in enumerate(HS_CODES)}
        _copy(cur, "components_hscode", ["id", "created_at", "updated_at", "code", "description", "chpl_tier"], hs_rows)
        cat_rows = [(i + 1, NOW, NOW, name, "", hs_id.get(hs)) for i, (name, hs) in enumerate(CATEGORIES)]
        _copy(cur, "components_category", ["id", "created_at", "updated_at", "name", "name_uk", "hs_code_id"], cat_rows)

        # Manufacturers: ids 1..N; their HQ country by weight.
        m_country = rng.choices(COUNTRIES, weights=COUNTRY_WEIGHTS, k=manufacturers)
        m_rows = [
            (
                m + 1,
                NOW,
                NOW,
                f"Maker {m + 1:04d} {m_country[m]}",
                f"maker {m + 1:04d} {m_country[m].lower()}",
                m_country[m],
                "",
                "",
                True,
            )
            for m in range(manufacturers)
        ]
        _copy(
            cur,
            "manufacturers_manufacturer",
            ["id", "created_at", "updated_at", "name", "name_key", "country", "website", "notes", "reviewed"],
            m_rows,
        )

        # Ownership: 100 groups at the top (ids 1..100), 300 mid-level subsidiaries owned by a group,
        # and ~600 more companies owned by a group or a subsidiary (chains of two or three levels).
        own_rows = []
        oid = 0
        tops = list(range(1, 101))
        mids = list(range(101, 401))
        for child in mids:
            oid += 1
            own_rows.append((oid, NOW, NOW, _rand_date(rng, 2000, 2020), None, "", child, rng.choice(tops)))
        for child in rng.sample(range(401, manufacturers + 1), 600):
            oid += 1
            parent = rng.choice(tops) if rng.random() < 0.4 else rng.choice(mids)
            roll = rng.random()
            if roll < 0.08:  # acquisition announced for after today: must not count yet
                start, end = _rand_date(rng, 2027, 2028), None
            elif roll < 0.14:  # sold again
                start = _rand_date(rng, 2005, 2012)
                end = start + dt.timedelta(days=rng.randint(365, 3000))
            else:
                start, end = _rand_date(rng, 2000, 2024), None
            own_rows.append((oid, NOW, NOW, start, end, "", child, parent))
        _copy(
            cur,
            "manufacturers_ownership",
            ["id", "created_at", "updated_at", "start_on", "end_on", "notes", "child_id", "parent_id"],
            own_rows,
        )

        # Parts: 10 per manufacturer, with a category and (for 60%) an own HS code.
        part_rows = []
        part_of: list[list[tuple[int, int]]] = [[] for _ in range(manufacturers + 1)]
        pid = 0
        for m in range(1, manufacturers + 1):
            for _ in range(10):
                pid += 1
                cat = rng.randrange(len(CATEGORIES)) + 1
                hs = hs_id.get(CATEGORIES[cat - 1][1]) if rng.random() < 0.6 else None
                number = f"P{pid:06d}"
                part_rows.append((pid, NOW, NOW, number, number, "", "", "", cat, hs, m))
                part_of[m].append((pid, cat))
        _copy(
            cur,
            "components_part",
            [
                "id",
                "created_at",
                "updated_at",
                "part_number",
                "part_number_key",
                "description",
                "eccn",
                "datasheet_url",
                "category_id",
                "hs_code_id",
                "manufacturer_id",
            ],
            part_rows,
        )

        # Weapon models (30 in 10 families) and one alias each.
        w_rows, a_rows, w_origin = [], [], {}
        wid = 0
        for family, origin, kind, designations in FAMILIES:
            for designation in designations:
                wid += 1
                w_rows.append((wid, NOW, NOW, designation, f"{designation} ({family})", "", family, kind, origin, ""))
                alias = f"{designation}-alias"
                a_rows.append((wid, NOW, NOW, alias, alias.lower(), wid))
                w_origin[wid] = origin
        _copy(
            cur,
            "provenance_weaponmodel",
            [
                "id",
                "created_at",
                "updated_at",
                "designation",
                "name",
                "name_uk",
                "family",
                "kind",
                "origin_country",
                "notes",
            ],
            w_rows,
        )
        _copy(
            cur,
            "provenance_weaponalias",
            ["id", "created_at", "updated_at", "alias", "alias_key", "weapon_model_id"],
            a_rows,
        )

        org_rows = [
            (i + 1, NOW, NOW, name, kind, country, True, "", False)
            for i, (name, kind, country) in enumerate(ORGANISATIONS)
        ]
        _copy(
            cur,
            "provenance_organisation",
            ["id", "created_at", "updated_at", "name", "kind", "country", "is_active", "notes", "named_as_owner"],
            org_rows,
        )

        # Recovered items over six years (2020-2025).
        item_rows, share_rows, item_year, item_weapon, stored_years = [], [], {}, {}, {}
        sid = 0
        for i in range(1, items + 1):
            weapon = rng.randint(1, wid)
            recovered = _rand_date(rng, 2020, 2025)
            recovered_cell = None if rng.random() < 0.01 else recovered
            analysed = recovered + dt.timedelta(days=rng.randint(3, 200)) if rng.random() < 0.95 else None
            status = rng.choice(STATUSES)
            tlp = rng.choice(TLPS)
            owner = 1 if rng.random() < 0.7 else rng.randint(2, len(ORGANISATIONS))
            item_rows.append(
                (
                    i,
                    NOW,
                    NOW,
                    f"BENCH-{i:05d}",
                    recovered_cell,
                    "day",
                    analysed,
                    "day",
                    f"Oblast {i % 24}",
                    "",
                    "",
                    "",
                    "",
                    status,
                    tlp,
                    None,
                    owner,
                    None,
                    weapon,
                )
            )
            if tlp in ("AMBER", "AMBER+STRICT"):
                for org in rng.sample(range(2, len(ORGANISATIONS) + 1), rng.randint(1, 3)):
                    sid += 1
                    share_rows.append((sid, i, org))
            item_year[i] = recovered.year
            item_weapon[i] = weapon
            # The item's years as every finding of it stores them (provenance.services.findings.item_years).
            stored_years[i] = (recovered_cell.year if recovered_cell else None, analysed.year if analysed else None)
        _copy(
            cur,
            "provenance_recovereditem",
            [
                "id",
                "created_at",
                "updated_at",
                "reference",
                "recovered_on",
                "recovered_on_precision",
                "analysed_on",
                "analysed_on_precision",
                "place",
                "site_details",
                "serial_number",
                "notes",
                "custody_notes",
                "status",
                "tlp",
                "created_by_id",
                "owner_id",
                "strike_id",
                "weapon_model_id",
            ],
            item_rows,
        )
        _copy(cur, "provenance_recovereditem_shared_with", ["id", "recovereditem_id", "organisation_id"], share_rows)

        # Findings: ~200 per item (50-350), scaled to exactly `findings`.
        sizes = [rng.randint(50, 350) for _ in range(items)]
        scale = findings / sum(sizes)
        sizes = [int(s * scale) for s in sizes]
        for k in range(findings - sum(sizes)):
            sizes[k % items] += 1
        domestic = {
            c: [m for m in range(1, manufacturers + 1) if m_country[m - 1] == c] for c in ("RU", "BY", "IR", "KP")
        }
        foreign = [m for m in range(1, manufacturers + 1) if m_country[m - 1] not in ("RU", "BY")]
        print(f"reference rows written in {time.perf_counter() - t0:.1f} s; writing {findings:,} findings")
        finding_rows = _findings(
            rng, sizes, item_year, stored_years, item_weapon, w_origin, domestic, foreign, part_of, m_country
        )
        n = _copy(
            cur,
            "provenance_finding",
            ["id", *_finding_columns(url)],
            finding_rows,
        )
        print(f"{n:,} findings written in {time.perf_counter() - t0:.1f} s")
        # The public flag (provenance.services.public_flag does this for the services' writes; COPY bypasses them).
        cur.execute(
            "UPDATE provenance_finding f SET public = true FROM provenance_recovereditem i "
            "WHERE i.id = f.item_id AND i.status = 'published' AND i.tlp = 'CLEAR'"
        )
        for table in (
            "components_hscode",
            "components_category",
            "manufacturers_manufacturer",
            "manufacturers_ownership",
            "components_part",
            "provenance_weaponmodel",
            "provenance_weaponalias",
            "provenance_organisation",
            "provenance_recovereditem",
            "provenance_recovereditem_shared_with",
            "provenance_finding",
        ):
            cur.execute(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), (SELECT max(id) FROM {table}))")
        conn.commit()
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute("VACUUM ANALYZE")
    print(f"vacuumed and analysed in {time.perf_counter() - t0:.1f} s")


def _rand_date(rng: random.Random, first_year: int, last_year: int) -> dt.date:
    start = dt.date(first_year, 1, 1)
    days = (dt.date(last_year, 12, 31) - start).days
    return start + dt.timedelta(days=rng.randint(0, days))


def _findings(rng, sizes, item_year, stored_years, item_weapon, w_origin, domestic, foreign, part_of, m_country):
    """Yield finding rows; later items hold more domestic (Russian / Belarusian) parts."""
    fid = 0
    modules_by_weapon = {w: rng.sample(MODULES, 6) for w in w_origin}
    for item, size in enumerate(sizes, start=1):
        year = item_year[item]
        weapon = item_weapon[item]
        origin = w_origin[weapon]
        home = domestic.get(origin) or domestic["RU"]
        p_home = min(0.8, 0.3 + 0.07 * (year - 2020))
        modules = modules_by_weapon[weapon]
        for line in range(1, size + 1):
            fid += 1
            roll = rng.random()
            if roll < 0.05:  # country-only line (a report giving counts by country)
                maker = None
                country = "RU" if rng.random() < p_home else rng.choice(COUNTRIES)
                part = category = None
            else:
                pool = foreign
                if rng.random() < p_home:
                    pool = home if rng.random() < 0.85 else domestic["BY"]
                maker = rng.choice(pool)
                country = m_country[maker - 1]
                if roll < 0.85:
                    part, category = rng.choice(part_of[maker])
                else:  # maker known from the logo, part number unreadable
                    part, category = None, rng.randint(1, len(CATEGORIES))
            quantity = 1 if rng.random() < 0.7 else rng.randint(2, 6)
            if rng.random() < 0.6:
                p_year = rng.randint(max(2008, year - 10), year)
                p_week = rng.randint(1, 52)
                date_code = f"{p_year % 100:02d}{p_week:02d}"
            else:
                p_year = p_week = None
                date_code = ""
            if rng.random() < 0.5:
                origin_country = country if rng.random() < 0.7 else rng.choice(ASSEMBLY)
                origin_marking = f"MADE IN {ASSEMBLY_NAMES.get(origin_country, origin_country)}"
            else:
                origin_country = origin_marking = ""
            module = rng.choice(modules) if rng.random() < 0.7 else ""
            confidence = "confirmed" if rng.random() < 0.8 else "probable"
            # In the teardown writer's COPY order (`_finding_columns`), after the id.
            yield (
                fid,
                NOW,
                NOW,
                item,
                line,
                part,
                maker,
                country,
                category,
                quantity,
                f"M{fid}",
                date_code,
                p_year,
                p_week,
                "",
                origin_marking,
                origin_country,
                module,
                confidence,
                None,
                "",
                *stored_years[item],
            )


def main() -> None:
    """Parse options, prepare the database and fill it."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--url", default=os.environ.get("BENCH_DATABASE_URL", DEFAULT_URL))
    parser.add_argument("--fresh", action="store_true", help="drop and recreate the database first")
    parser.add_argument("--seed", type=int, default=20250907)
    parser.add_argument("--findings", type=int, default=1_000_000)
    parser.add_argument("--items", type=int, default=5_000)
    parser.add_argument("--manufacturers", type=int, default=2_000)
    args = parser.parse_args()
    if prepare_database(args.url, fresh=args.fresh):
        generate(args.url, seed=args.seed, findings=args.findings, items=args.items, manufacturers=args.manufacturers)
    else:
        print("findings already present (use --fresh to regenerate)")
    print(f"{urlsplit(args.url).path.lstrip('/')} ready")


if __name__ == "__main__":
    main()
