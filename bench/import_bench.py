"""Benchmark the teardown import against a raw COPY of the same rows, on PostgreSQL.

    .venv/bin/python bench/import_bench.py [--rows 100000] [--items 1000]
        [--url postgres://postgres@127.0.0.1:5432/bench_import] [--keep]

Creates (and afterwards drops, unless --keep) its own database `bench_import`, migrates it, seeds weapon
models and 300 manufacturers with aliases, generates a teardown CSV (bench/teardown_file.py) and imports it
with `teardown_import` (validation, name resolution, 40 new manufacturers, a few thousand new parts, items,
findings and their history rows, all in one transaction). In the same run it copies the resulting finding
rows back into the emptied (truncated) findings table with one hand-written `COPY ... FROM STDIN` (the floor
for inserting those rows) and reports rows/s, the ratio to COPY, the time of a second, idempotent import, and memory:
the peak resident set of the process and the peak of Python allocations (tracemalloc, in a separate run,
rolled back). Targets: under 10 s, within 3x of COPY, memory independent of the file size.
"""

from __future__ import annotations

import argparse
import io
import os
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from bench.common import django_setup, drop_database, recreate_database, rss_mb  # noqa: E402 (needs the root on the path)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--items", type=int, default=1000)
    parser.add_argument(
        "--url", default=os.environ.get("BENCH_IMPORT_URL", "postgres://postgres@127.0.0.1:5432/bench_import")
    )
    parser.add_argument("--keep", action="store_true", help="keep the bench_import database afterwards")
    args = parser.parse_args()

    recreate_database(args.url, prefix="bench_import")
    os.environ.setdefault("TEARDOWN_MAX_BYTES", str(2 * 1024**3))
    django_setup(args.url)
    from django.core.management import call_command
    from django.db import connection, transaction

    from bench.teardown_file import seed_world, write_teardown_csv
    from provenance.services.teardown import teardown_import
    from provenance.teardown.writer import finding_copy_columns

    columns = ", ".join(finding_copy_columns())

    try:
        call_command("migrate", verbosity=0)
        seed_world()
        workdir = Path(tempfile.mkdtemp(prefix="bench_import_"))
        path = write_teardown_csv(workdir / "teardown.csv", rows=args.rows, items=args.items)
        size_mb = path.stat().st_size / 1_048_576
        print(f"file: {args.rows:,} rows, {args.items:,} items, {size_mb:.1f} MB")

        events: list[tuple[str, float]] = []

        def progress(phase: str, done: int, total: int | None) -> None:
            events.append((phase, time.perf_counter()))

        rss_before = rss_mb()
        start, cpu_start = time.perf_counter(), time.process_time()
        result = teardown_import(file=path, filename=path.name, progress=progress)
        elapsed, cpu = time.perf_counter() - start, time.process_time() - cpu_start
        rss_after = rss_mb()
        if not result.ok:
            raise SystemExit(f"import failed: {result.errors[:5]}")
        print(result.summary())
        validated = max(t for phase, t in events if phase == "validating") - start
        history = next(t for phase, t in events if phase == "history")
        written = events[-1][1]
        print(
            f"import: {elapsed:.2f} s = {args.rows / elapsed:,.0f} rows/s; of which reading and validating "
            f"{validated:.2f} s, comparing and writing {history - start - validated:.2f} s, finding history rows "
            f"{written - history:.2f} s, commit (deferred foreign-key checks) {start + elapsed - written:.2f} s; "
            f"CPU time of this Python process {cpu:.2f} s (the rest is PostgreSQL)"
        )

        start = time.perf_counter()
        again = teardown_import(file=path, filename=path.name)
        reimport_s = time.perf_counter() - start
        print(f"re-import (idempotent): {reimport_s:.2f} s: {again.summary()}")

        # The floor: the same finding rows, COPY'd into an empty findings table by hand-written SQL.
        buffer = io.BytesIO()
        export_sql = f"COPY (SELECT {columns} FROM provenance_finding ORDER BY id) TO STDOUT"
        with connection.cursor() as cursor, cursor.copy(export_sql) as copy:
            for chunk in copy:
                buffer.write(chunk)
        data = buffer.getvalue()
        with transaction.atomic():
            with connection.cursor() as cursor:
                # An empty table like the one the import wrote into (TRUNCATE, not DELETE: no dead index entries).
                cursor.execute("TRUNCATE provenance_finding, provenance_evidencefile")
                start = time.perf_counter()
                with cursor.copy(f"COPY provenance_finding ({columns}) FROM STDIN") as copy:
                    for offset in range(0, len(data), 1 << 20):
                        copy.write(data[offset : offset + (1 << 20)])
                cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")  # deferred FK checks count too
                copy_s = time.perf_counter() - start
                cursor.execute("SELECT COUNT(*) FROM provenance_finding")
                copied = cursor.fetchone()[0]
            transaction.set_rollback(True)
        print(f"raw COPY of the same {copied:,} rows: {copy_s:.2f} s = {copied / copy_s:,.0f} rows/s")
        print(
            f"ratio import / COPY: {elapsed / copy_s:.2f}x "
            f"(load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs)"
        )

        # Memory: a traced import into emptied tables, rolled back.
        with transaction.atomic():
            with connection.cursor() as cursor:
                cursor.execute("DELETE FROM provenance_historicalfinding")
                cursor.execute("DELETE FROM provenance_finding")
                cursor.execute("DELETE FROM provenance_recovereditem_sources")
                cursor.execute("DELETE FROM provenance_recovereditem")
            tracemalloc.start()
            traced = teardown_import(file=path, filename=path.name)
            _, peak = tracemalloc.get_traced_memory()
            tracemalloc.stop()
            transaction.set_rollback(True)
        assert traced.ok
        print(
            f"memory: peak Python allocations during an import {peak / 1_048_576:.1f} MB "
            f"(file {size_mb:.1f} MB); process peak RSS {rss_after:.0f} MB "
            f"(+{rss_after - rss_before:.0f} MB during the first import)"
        )
    finally:
        from django.db import connections

        connections.close_all()
        if not args.keep:
            drop_database(args.url)


if __name__ == "__main__":
    main()
