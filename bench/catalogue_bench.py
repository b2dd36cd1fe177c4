"""Benchmark the public catalogue's pages on a copy of `bench_1m` (1,000,000 findings), against raw SQL.

    createdb -h 127.0.0.1 -U postgres -T bench_1m bench_catalogue
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench_catalogue .venv/bin/python manage.py migrate
    .venv/bin/python bench/catalogue_bench.py [--runs 7] [--url postgres://postgres@127.0.0.1:5432/bench_catalogue]

Each page is requested through Django's test client (URL resolving, middleware, the view, its queries and the
template), the median of `--runs` runs after one warm-up, alternating with hand-written SQL that reads the same
rows (the same option lists, count, page of 50 and photos). "cold" clears the cache before every run: the
option lists, the count and the page are all computed; "warm" is a page of a list whose option lists and count
are cached (another page number each run); "hit" is a page served from the cache; "304" a revalidation.
Target: the list page under 200 ms cold.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

PUBLIC_ITEM = "i.status = 'published' AND i.tlp = 'CLEAR'"
PUBLIC = "f.public"  # the rule stored on each line (provenance.services.public_flag), as the pages read it
# The option lists with their counts and the total: a GROUP BY per filter over the public lines (what a
# hand-written query would do with the partial indexes), then the names of the values found.
SQL_OPTIONS = [
    """SELECT 1, manufacturer_id, NULL, count(*) FROM provenance_finding f WHERE f.public GROUP BY 2
        UNION ALL SELECT 2, NULL, country, count(*) FROM provenance_finding f WHERE f.public GROUP BY 3
        UNION ALL SELECT 3, category_id, NULL, count(*) FROM provenance_finding f WHERE f.public GROUP BY 2
        UNION ALL SELECT 4, i.weapon_model_id, NULL, sum(n) FROM (SELECT item_id, count(*) n FROM provenance_finding f
            WHERE f.public GROUP BY 1) s JOIN provenance_recovereditem i ON i.id = s.item_id GROUP BY 2""",
    "SELECT id, name FROM manufacturers_manufacturer ORDER BY name",
    "SELECT id, name FROM components_category ORDER BY name",
    "SELECT id, designation FROM provenance_weaponmodel ORDER BY designation",
]
SQL_COUNT = f"""SELECT count(*) FROM provenance_finding f JOIN provenance_recovereditem i ON i.id = f.item_id
    WHERE {PUBLIC} {{where}}"""
SQL_PAGE = f"""SELECT f.id, f.item_id, f.line_no, f.quantity, f.marking, f.date_code, f.produced_year, f.produced_week,
    f.country, f.manufacturer_id, f.part_id, f.category_id, f.module, i.reference, w.designation, w.name, m.name,
    m.country, p.part_number, c.name
    FROM provenance_finding f JOIN provenance_recovereditem i ON i.id = f.item_id
    JOIN provenance_weaponmodel w ON w.id = i.weapon_model_id
    LEFT JOIN manufacturers_manufacturer m ON m.id = f.manufacturer_id
    LEFT JOIN components_part p ON p.id = f.part_id LEFT JOIN components_category c ON c.id = f.category_id
    WHERE {PUBLIC} {{where}} ORDER BY {{order}} LIMIT 50 OFFSET %(offset)s"""
SQL_EXPORT = SQL_PAGE.replace("LIMIT 50 OFFSET %(offset)s", "")
SQL_PHOTOS = "SELECT id, finding_id FROM provenance_evidencefile WHERE public AND finding_id = ANY(%(ids)s)"
SQL_WEAPON = [
    f"""SELECT f.country, SUM(f.quantity) FROM provenance_finding f JOIN provenance_recovereditem i ON i.id = f.item_id
        WHERE {PUBLIC_ITEM} AND i.weapon_model_id = %(weapon)s GROUP BY 1""",
    f"""SELECT f.recovered_year, f.country, SUM(f.quantity) FROM provenance_finding f
        JOIN provenance_recovereditem i ON i.id = f.item_id
        WHERE {PUBLIC_ITEM} AND i.weapon_model_id = %(weapon)s GROUP BY 1, 2""",
    f"""SELECT i.id, i.reference, (SELECT count(*) FROM provenance_finding f WHERE f.item_id = i.id),
        (SELECT SUM(quantity) FROM provenance_finding f WHERE f.item_id = i.id)
        FROM provenance_recovereditem i WHERE {PUBLIC_ITEM} AND i.weapon_model_id = %(weapon)s
        ORDER BY i.recovered_on DESC""",
]


def _medians_ms(ours, theirs, runs: int) -> tuple[float, float]:
    """Median wall time of each, alternating the two so that a change in machine load hits both alike."""
    ours(0), theirs(0)  # warm-up: plans, connection, template loading
    times: tuple[list[float], list[float]] = ([], [])
    for run in range(1, runs + 1):
        for fn, bucket in ((ours, times[0]), (theirs, times[1])):
            start = time.perf_counter()
            fn(run)
            bucket.append((time.perf_counter() - start) * 1000)
    return statistics.median(times[0]), statistics.median(times[1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--url", default=os.environ.get("BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/bench_catalogue")
    )
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args()
    if args.url.rstrip("/").endswith("/bench_1m"):
        raise SystemExit("Run on a copy of bench_1m (createdb -T bench_1m bench_catalogue), not on bench_1m itself.")

    os.environ["DATABASE_URL"] = args.url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.base")
    os.environ.setdefault("DEBUG", "false")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.core.cache import cache
    from django.db import connection
    from django.test import Client

    from provenance.services.data_version import data_version_bump

    client = Client()

    def sql(query: str, params: dict | None = None):
        with connection.cursor() as cursor:
            cursor.execute(query, params or {})
            return cursor.fetchall()

    def page(url: str, *, clear: bool, bump: bool = False, **headers):
        def fetch(run: int):
            if clear:
                cache.clear()
            if bump:  # a data change elsewhere: a new version, the cache kept
                data_version_bump()
            response = client.get(url.format(run=run + 2), **headers)
            assert response.status_code in (200, 304), (url, response.status_code)
            if response.streaming:
                b"".join(response.streaming_content)
            return response

        return fetch

    def raw_list(
        where: str = "", params: dict | None = None, *, options: bool = True, count: bool = True, order="f.id DESC"
    ):
        def run_sql(run: int):
            if options:
                for query in SQL_OPTIONS:
                    sql(query)
            if count:
                sql(SQL_COUNT.format(where=where), params)
            offset = 0 if options else 50 * (run + 1)
            rows = sql(SQL_PAGE.format(where=where, order=order), {**(params or {}), "offset": offset})
            sql(SQL_PHOTOS, {"ids": [r[0] for r in rows]})

        return run_sql

    (weapon_id, designation), *_ = sql(
        f"""SELECT w.id, w.designation FROM provenance_weaponmodel w JOIN provenance_recovereditem i
        ON i.weapon_model_id = w.id WHERE {PUBLIC_ITEM} GROUP BY 1, 2 ORDER BY count(*) DESC LIMIT 1"""
    )
    finding_id = sql(SQL_PAGE.format(where="", order="f.id DESC"), {"offset": 0})[0][0]
    (country,), *_ = sql("SELECT country FROM provenance_finding GROUP BY 1 ORDER BY count(*) LIMIT 1 OFFSET 5")
    search = "A7"

    def raw_weapon(run: int):
        for query in SQL_WEAPON:
            sql(query, {"weapon": weapon_id})

    def raw_component(run: int):
        (row,) = sql(SQL_PAGE.format(where="AND f.id = %(id)s", order="f.id"), {"id": finding_id, "offset": 0})
        sql(SQL_PHOTOS, {"ids": [finding_id]})
        sql(
            SQL_PAGE.replace("LIMIT 50", "LIMIT 200").format(where="AND f.item_id = %(item)s", order="f.line_no"),
            {"item": row[1], "offset": 0},
        )

    def raw_export(run: int):
        with connection.cursor() as cursor:
            cursor.execute(
                SQL_EXPORT.format(where="AND i.weapon_model_id = %(weapon)s", order="f.id DESC"), {"weapon": weapon_id}
            )
            while cursor.fetchmany(2000):
                pass

    etag = client.get("/en/components/")["ETag"]
    cases = [
        ("list, cold (options, count, page 1)", page("/en/components/", clear=True), raw_list(count=False)),
        (
            "list, warm (page N; options, count cached)",
            page("/en/components/?page={run}", clear=False),
            raw_list(options=False, count=False),
        ),
        (
            "list, hit (rendered page cached)",
            page("/en/components/", clear=False),
            raw_list(options=False, count=False),
        ),
        (
            "list, 304 (If-None-Match)",
            page("/en/components/", clear=False, HTTP_IF_NONE_MATCH=etag),
            raw_list(options=False, count=False),
        ),
        (
            f"list, cold, country={country}",
            page(f"/en/components/?country={country}", clear=True),
            raw_list("AND f.country = %(country)s", {"country": country}),
        ),
        (
            f"list, cold, weapon={designation}",
            page(f"/en/components/?weapon={weapon_id}", clear=True),
            raw_list("AND i.weapon_model_id = %(weapon)s", {"weapon": weapon_id}),
        ),
        (
            f"list, cold, search '{search}'",
            page(f"/en/components/?q={search}", clear=True),
            raw_list(
                "AND (f.marking ILIKE %(like)s OR f.part_id IN "
                "(SELECT id FROM components_part WHERE part_number_key LIKE %(prefix)s))",
                {"like": f"%{search}%", "prefix": f"{search}%"},
            ),
        ),
        (
            "list, cold, sort=maker",
            page("/en/components/?sort=maker", clear=True),
            raw_list(count=False, order="m.name, f.id"),
        ),
        (f"weapon page {designation}, cold", page(f"/en/weapons/{designation}/", clear=True), raw_weapon),
        (
            f"weapon page {designation}, new data version",
            page(f"/en/weapons/{designation}/", clear=False, bump=True),
            raw_weapon,
        ),
        (
            f"CSV export, weapon={designation}",
            page(f"/en/components/export.csv?weapon={weapon_id}", clear=True),
            raw_export,
        ),
        (f"component page {finding_id}, cold", page(f"/uk/components/{finding_id}/", clear=True), raw_component),
    ]

    (findings,), *_ = sql("SELECT count(*) FROM provenance_finding")
    (public,), *_ = sql(SQL_COUNT.format(where=""))
    load = os.getloadavg()[0]
    print(f"{findings:,} findings, {public:,} of them public; median of {args.runs} runs; load {load:.2f}")
    print(f"{'page':46} {'ours ms':>9} {'SQL ms':>9} {'ratio':>6}")
    for name, ours, theirs in cases:
        ours_ms, sql_ms = _medians_ms(ours, theirs, args.runs)
        print(f"{name:46} {ours_ms:9.1f} {sql_ms:9.1f} {ours_ms / sql_ms if sql_ms else float('nan'):6.2f}")


if __name__ == "__main__":
    main()
