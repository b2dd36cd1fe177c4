"""Benchmark the analysts' admin pages on a copy of `bench_1m` (1,000,000 findings), as a logged-in user.

    createdb -h 127.0.0.1 -U postgres -T bench_1m bench_<branch>      # a copy; never bench_1m itself
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench_<branch> .venv/bin/python manage.py migrate
    .venv/bin/python bench/admin_bench.py --url postgres://postgres@127.0.0.1:5432/bench_<branch> [--runs 5]

Each page is fetched through Django's test client (the whole stack: middleware, admin, templates) with a
superuser's session, with DEBUG off: one warm-up, then the median of `--runs` timed fetches; the number
of SQL queries and the size of the HTML come from one more fetch. "CPU ms" is this process's CPU time
(Python: admin, forms, templates), which a loaded machine inflates less than the wall time. The reference
for "fast" is a raw SQL statement reading one page of 100 findings by index, timed in the same process.

The first run adds two things to the copy it is given, and reuses them afterwards: the superuser
`bench-admin` and the recovered item `BENCH-2000`, a 2,000-line teardown (lines copied from other items
with one INSERT ... SELECT). Target: every page under 300 ms.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
import warnings
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TARGET_MS = 300
BIG_ITEM = "BENCH-2000"

# One page of findings by the primary key: what any list page must at least read.
SQL_PAGE = "SELECT * FROM provenance_finding ORDER BY id DESC LIMIT 100"

# The 2,000-line item's lines: copied from the findings of the first items, renumbered 1..2000.
SQL_BIG_ITEM_LINES = """
INSERT INTO provenance_finding (created_at, updated_at, line_no, country, quantity, marking, date_code,
    produced_year, produced_week, lot_code, origin_marking, origin_country, module, confidence, notes,
    category_id, manufacturer_id, part_id, item_id, source_id, analysed_year, recovered_year)
SELECT now(), now(), row_number() OVER (ORDER BY f.id), f.country, f.quantity, f.marking, f.date_code,
    f.produced_year, f.produced_week, f.lot_code, f.origin_marking, f.origin_country, f.module, f.confidence,
    f.notes, f.category_id, f.manufacturer_id, f.part_id, %(item)s, f.source_id, %(analysed)s, %(recovered)s
FROM (SELECT * FROM provenance_finding WHERE item_id <> %(item)s ORDER BY id LIMIT 2000) f
"""


def _median_ms(fetch, runs: int) -> tuple[float, float]:
    """Median wall time and median CPU time of this process (Python's share; the database's is not in it)."""
    fetch()  # warm-up: plans, caches, template loading
    wall, cpu = [], []
    for _ in range(runs):
        start, start_cpu = time.perf_counter(), time.process_time()
        fetch()
        wall.append((time.perf_counter() - start) * 1000)
        cpu.append((time.process_time() - start_cpu) * 1000)
    return statistics.median(wall), statistics.median(cpu)


def main() -> None:
    """Time each admin page and print the table (median ms, queries, HTML size, verdict)."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--url", default=os.environ.get("BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/bench_1m")
    )
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--only", default="", help="run only the pages whose name contains this text")
    args = parser.parse_args()

    os.environ["DATABASE_URL"] = args.url
    os.environ["DEBUG"] = "false"
    warnings.filterwarnings("ignore", message="No directory at")  # static files are not served here
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.base")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.contrib.auth import get_user_model
    from django.db import connection
    from django.db.models import Count
    from django.test import Client

    from provenance.models import Finding, RecoveredItem
    from provenance.services.findings import item_years, recovered_item_save

    user, _created = get_user_model().objects.get_or_create(
        username="bench-admin", defaults={"is_staff": True, "is_superuser": True}
    )
    client = Client()
    client.force_login(user)

    # The pages of the table. A 350-line item and a part number that is on many findings.
    item_350 = (
        Finding.objects.order_by().values("item").annotate(n=Count("pk")).filter(n=350).values_list("item", flat=True)
    ).first()
    part_number = (
        Finding.objects.filter(part__isnull=False).order_by("id").values_list("part__part_number", flat=True).first()
    )
    big = RecoveredItem.objects.filter(reference=BIG_ITEM).first()
    if big is None:
        template = RecoveredItem.objects.get(pk=item_350)
        big = RecoveredItem(
            reference=BIG_ITEM,
            weapon_model_id=template.weapon_model_id,
            recovered_on=template.recovered_on,
            analysed_on=template.analysed_on,
            place="benchmark: a 2,000-line teardown",
        )
        recovered_item_save(item=big, user=user)
        recovered, analysed = item_years(recovered_on=big.recovered_on, analysed_on=big.analysed_on)
        with connection.cursor() as cursor:
            cursor.execute(SQL_BIG_ITEM_LINES, {"item": big.pk, "recovered": recovered, "analysed": analysed})
            cursor.execute("ANALYZE provenance_finding")
    pages = [
        ("recovered items, search by part number", f"/admin/provenance/recovereditem/?q={part_number}"),
        ("findings, search by part number", f"/admin/provenance/finding/?q={part_number}"),
        ("findings list, no filter", "/admin/provenance/finding/"),
        ("findings, filter country=US", "/admin/provenance/finding/?country=US"),
        ("change page, item with 350 lines", f"/admin/provenance/recovereditem/{item_350}/change/"),
        ("change page, item with 2,000 lines", f"/admin/provenance/recovereditem/{big.pk}/change/"),
        ("analytics page", "/admin/provenance/analytics/"),
        ("recovered items list", "/admin/provenance/recovereditem/"),
        ("manufacturers list", "/admin/manufacturers/manufacturer/"),
        ("parts, search by part number", f"/admin/components/part/?q={part_number}"),
    ]
    pages = [(name, url) for name, url in pages if args.only in name]

    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM provenance_finding")
        (findings,) = cursor.fetchone()

    def raw_page():
        with connection.cursor() as cursor:
            cursor.execute(SQL_PAGE)
            cursor.fetchall()

    load = os.getloadavg()[0]
    print(
        f"{findings:,} findings; part number {part_number}; median of {args.runs} runs after a warm-up; "
        f"load average {load:.2f} on {os.cpu_count()} CPUs"
    )
    sql_ms, _cpu = _median_ms(raw_page, args.runs)
    print(f"reference: one page of 100 findings by raw SQL {sql_ms:.1f} ms")
    print(f"{'page':38} {'ms':>8} {'CPU ms':>8} {'queries':>8} {'HTML kB':>8} {'x SQL':>7}  target")
    for name, url in pages:
        queries: list[str] = []

        def count(execute, sql, *rest, queries=queries):
            queries.append(sql)
            return execute(sql, *rest)

        with connection.execute_wrapper(count):
            response = client.get(url)
        if response.status_code != 200:
            raise SystemExit(f"{url} answered {response.status_code}")
        size = len(response.content) / 1024
        ms, cpu_ms = _median_ms(lambda url=url: client.get(url), args.runs)
        verdict = "ok" if ms < TARGET_MS else "MISSED"
        print(
            f"{name:38} {ms:8.1f} {cpu_ms:8.1f} {len(queries):8d} {size:8.0f} {ms / sql_ms:7.0f}  {verdict}", flush=True
        )


if __name__ == "__main__":
    main()
