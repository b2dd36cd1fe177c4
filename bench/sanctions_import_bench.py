"""Benchmark the sanctions list import (a FollowTheMoney entity stream) against a raw COPY, on PostgreSQL.

    .venv/bin/python bench/sanctions_import_bench.py [--sizes 100000,1000000]
        [--url postgres://postgres@127.0.0.1:5432/bench_sanctions_data] [--keep]

For each size, in a fresh process (so the peak resident set is that size's own): recreate and migrate the
database `bench_sanctions_data`, generate an FtM stream of that many entities into a temporary file (40 %
Company, 30 % Sanction of a company, 10 % Ownership between companies, 20 % Person to skip; lines in id
order, so sanctions often come before their company, as in OpenSanctions' files), import it with
`sanctions_list_import` (the service behind `import_sanctions` and the admin upload: one streaming pass into
staging tables, set-based writes, one transaction), then, in the same run, copy the rows it wrote (listed
entities, their names, designations, ownerships) back into the emptied tables with one hand-written
`COPY ... FROM STDIN` per table: the floor for inserting those rows. Reports entities/s, the ratio to COPY and
the peak RSS. Target: memory flat with the file's size and under 300 MB.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from bench.common import django_setup, drop_database, recreate_database, rss_mb  # noqa: E402 (needs the root on the path)

TABLES = (
    "manufacturers_listedentity",
    "manufacturers_listedname",
    "manufacturers_designation",
    "manufacturers_listedownership",
)
WORDS = (
    "Integral",
    "Mikron",
    "Angstrem",
    "Strela",
    "Zvezda",
    "Kalashnikov",
    "Almaz",
    "Antey",
    "Elektron",
    "Radio",
    "Pribor",
    "Avia",
    "Tekh",
    "Mash",
    "Zavod",
    "Optic",
    "Signal",
    "Volna",
    "Kristall",
    "Kvant",
    "Polyus",
    "Sapfir",
    "Svetlana",
    "Granit",
    "Fazotron",
    "Impuls",
    "Tor",
    "Buk",
    "Orion",
    "Vega",
    "Sirius",
)
FORMS = ("JSC", "LLC", "PJSC", "AO", "OOO", "Акционерное общество", "ООО")


def generate(path: Path, entities: int, seed: int = 11) -> None:
    """An FtM stream of `entities` lines, in id order, written line by line."""
    rng = random.Random(seed)
    companies = int(entities * 0.4)
    sanctions = int(entities * 0.3)
    ownerships = int(entities * 0.1)
    persons = entities - companies - sanctions - ownerships
    programmes = [("eu", "EU-UKR"), ("us", "US-BIS-EL"), ("gb", "GB-RUS"), ("jp", "JP-MOF"), ("ch", "SECO-UKRAINE")]

    def company(i: int) -> str:
        name = f"{rng.choice(FORMS)} {rng.choice(WORDS)}-{rng.choice(WORDS)} {i}"
        props = {
            "name": [name],
            "alias": [f"{rng.choice(WORDS)} {i}", f"{rng.choice(WORDS)} Group {i}"],
            "jurisdiction": [rng.choice(["ru", "by", "cn", "hk"])],
            "innCode": [str(7700000000 + i)],
            "ogrnCode": [str(1027700000000 + i)],
        }
        return json.dumps({"id": f"c-{i:08d}", "schema": "Company", "caption": name, "properties": props,
                           "datasets": ["bench"], "first_seen": "2024-01-01T00:00:00"})  # fmt: skip

    with path.open("w", encoding="utf-8") as out:
        # Entities by id, as OpenSanctions sorts them: o-... (ownerships) and p-/s-... come after c-...,
        # but a sanction's id and its company's id are unrelated, so the importer cannot rely on the order.
        for i in range(companies):
            out.write(company(i) + "\n")
        for i in range(ownerships):
            owner, asset = rng.randrange(companies), rng.randrange(companies)
            props = {"owner": [f"c-{owner:08d}"], "asset": [f"c-{asset:08d}"], "percentage": [str(rng.randint(1, 100))],
                     "startDate": [f"{rng.randint(2000, 2024)}-0{rng.randint(1, 9)}-1{rng.randint(0, 9)}"]}  # fmt: skip
            out.write(json.dumps({"id": f"o-{i:08d}", "schema": "Ownership", "properties": props}) + "\n")
        for i in range(persons):
            props = {"name": [f"Ivan {rng.choice(WORDS)} {i}"], "nationality": ["ru"]}
            out.write(json.dumps({"id": f"p-{i:08d}", "schema": "Person", "properties": props}) + "\n")
        for i in range(sanctions):
            country, programme = rng.choice(programmes)
            props = {"entity": [f"c-{rng.randrange(companies):08d}"], "country": [country], "programId": [programme],
                     "listingDate": [f"{rng.randint(2014, 2025)}-0{rng.randint(1, 9)}-2{rng.randint(0, 8)}"],
                     "provisions": ["Asset freeze"], "sourceUrl": ["https://example.org/list"]}  # fmt: skip
            out.write(json.dumps({"id": f"s-{i:08d}", "schema": "Sanction", "properties": props}) + "\n")


def child(entities: int, url: str) -> dict:
    """One size, in this process: import, then COPY the same rows; return the figures."""
    recreate_database(url, prefix="bench_sanctions")
    os.environ.setdefault("SECRET_KEY", "bench")
    os.environ.setdefault("ALLOWED_HOSTS", "localhost")
    django_setup(url, DEBUG="false")  # no SQL kept in memory per query
    from django.core.management import call_command
    from django.db import connection

    from manufacturers.sanctions.importing import sanctions_list_import

    call_command("migrate", verbosity=0)
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "entities.ftm.json"
        started = time.perf_counter()
        generate(path, entities)
        generated = time.perf_counter() - started
        size_mb = path.stat().st_size / 2**20
        rss_before = rss_mb()

        started = time.perf_counter()
        with path.open("rb") as stream:
            summary = sanctions_list_import(stream=stream, file_name=path.name, via="bench")
        imported = time.perf_counter() - started
        rss_import = rss_mb()

        # The same rows by COPY: dump each table, empty them, load them back; only the loading is timed.
        dumps = {}
        with connection.cursor() as cursor:
            for table in TABLES:
                dump = Path(tmp) / f"{table}.copy"
                with dump.open("wb") as out, cursor.copy(f'COPY "{table}" TO STDOUT') as copy:
                    for data in copy:
                        out.write(data)
                dumps[table] = dump
            cursor.execute("TRUNCATE " + ", ".join(f'"{t}"' for t in TABLES) + " CASCADE")
        started = time.perf_counter()
        with connection.cursor() as cursor:
            for table in TABLES:
                with dumps[table].open("rb") as source, cursor.copy(f'COPY "{table}" FROM STDIN') as copy:
                    while chunk := source.read(1 << 20):
                        copy.write(chunk)
        copied = time.perf_counter() - started
        rows = {}
        with connection.cursor() as cursor:
            for table in TABLES:
                cursor.execute(f'SELECT count(*) FROM "{table}"')
                rows[table] = cursor.fetchone()[0]
    return {
        "entities": entities,
        "file_mb": round(size_mb, 1),
        "generate_s": round(generated, 1),
        "import_s": round(imported, 1),
        "entities_per_s": round(entities / imported),
        "copy_s": round(copied, 2),
        "ratio_to_copy": round(imported / copied, 1),
        "rss_before_import_mb": round(rss_before),
        "peak_rss_mb": round(rss_import),
        "summary": summary.line(),
        "rows": rows,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", default="100000,1000000")
    parser.add_argument(
        "--url",
        default=os.environ.get("BENCH_SANCTIONS_URL", "postgres://postgres@127.0.0.1:5432/bench_sanctions_data"),
    )
    parser.add_argument("--keep", action="store_true", help="keep the database afterwards")
    parser.add_argument("--child", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        print(json.dumps(child(args.child, args.url)))
        return
    results = []
    for size in (int(s) for s in args.sizes.split(",")):
        output = subprocess.run(
            [sys.executable, __file__, "--child", str(size), "--url", args.url],
            check=True,
            capture_output=True,
            text=True,
        ).stdout
        result = json.loads(output.strip().splitlines()[-1])
        results.append(result)
        print(
            f"{result['entities']:>9,} entities ({result['file_mb']} MB): import {result['import_s']} s = "
            f"{result['entities_per_s']:,} entities/s; COPY of the same rows {result['copy_s']} s "
            f"(ratio {result['ratio_to_copy']}x); peak RSS {result['peak_rss_mb']} MB "
            f"(before the import {result['rss_before_import_mb']} MB)\n"
            f"    {result['summary']}\n    rows: {result['rows']}",
            flush=True,
        )
    if not args.keep:
        drop_database(args.url)


if __name__ == "__main__":
    main()
