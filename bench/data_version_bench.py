"""The data version's cost: its read (on every cached request) and its write (every evidence statement).

    .venv/bin/python bench/data_version_bench.py --url postgres://postgres@127.0.0.1:5432/bench_<copy>

On a migrated PostgreSQL database, inside one transaction that is rolled back (the database is left as it
was), it times the median of:
- the version's read (`provenance.selectors.data_version`: epoch and the sum of the weights in one statement)
  with the weights compacted (one row), with 128 rows (the most the triggers leave between compactions) and
  with 10,000 rows (no compaction at all), against the single-row read the version used to be
  (`SELECT epoch FROM provenance_dataversion WHERE id = 1`): the ratio is the price of the sum;
- one write's share: adding one weight (`data_version_bump`, a compaction every 128th time).
"""

from __future__ import annotations

import os

from timing import django_for, median_ms


def main() -> None:
    args = django_for(__doc__, repeat=2000)
    from django.db import connection, transaction

    from provenance.models import DataVersionWeight
    from provenance.selectors.data_version import data_version
    from provenance.services.data_version import COMPACT_EVERY, data_version_bump, data_version_compact

    weights = DataVersionWeight._meta.db_table

    def single_row() -> None:
        with connection.cursor() as cursor:
            cursor.execute("SELECT epoch FROM provenance_dataversion WHERE id = 1")
            cursor.fetchone()

    def rows(count: int) -> None:
        data_version_bump()  # a fresh database has no weight yet
        data_version_compact()
        with connection.cursor() as cursor:
            cursor.execute(
                f"INSERT INTO {weights} (weight) SELECT n FROM generate_series(1, %s) n",
                [count - 1],
            )

    print(f"load average: {os.getloadavg()}")
    with transaction.atomic():
        baseline, _ = median_ms(single_row, args.repeat)
        print(f"single-row read (before): {baseline:.3f} ms")
        for count in (1, COMPACT_EVERY, 10_000):
            rows(count)
            assert DataVersionWeight.objects.count() == count
            median, _ = median_ms(data_version, args.repeat)
            print(f"version read, {count:>6} weight rows: {median:.3f} ms ({median / baseline:.2f}x the single row)")
        data_version_compact()
        write, _ = median_ms(data_version_bump, 10 * COMPACT_EVERY)
        print(f"one write's weight (a compaction every {COMPACT_EVERY}): {write:.3f} ms")
        print(f"weight rows afterwards: {DataVersionWeight.objects.count()}")
        transaction.set_rollback(True)


if __name__ == "__main__":
    main()
