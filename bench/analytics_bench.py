"""Benchmark the analytics selectors against equivalent hand-written SQL on `bench_1m` (1,000,000 findings).

    .venv/bin/python bench/generate.py          # once
    .venv/bin/python bench/analytics_bench.py [--runs 10] [--url postgres://postgres@127.0.0.1:5432/bench_1m]

For each case: the median of `--runs` timed runs (after one warm-up; ours and the SQL alternate, so that
a change in machine load hits both alike) of our selector (including its small extra queries and the Python
fold) and of hand-written SQL giving the same numbers, in the same process and on the same connection; the
results of both are compared before timing. Target: each under 300 ms and within 1.5x of the SQL.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from bench.common import django_setup, medians_ms  # noqa: E402 (needs the root on the path)

AS_OF = dt.date(2025, 1, 1)

SQL_COUNTRY = """
SELECT f.country, SUM(f.quantity) FROM provenance_finding f GROUP BY f.country
"""

# Ultimate parent on a date by a recursive CTE over the ownerships valid then, joined to the findings.
SQL_PARENT = """
WITH RECURSIVE valid AS (
    SELECT DISTINCT ON (child_id) child_id, parent_id FROM manufacturers_ownership
    WHERE start_on <= %(as_of)s AND (end_on IS NULL OR end_on >= %(as_of)s)
    ORDER BY child_id, start_on DESC, parent_id
), chain(id, root, depth) AS (
    SELECT child_id, parent_id, 1 FROM valid
    UNION ALL
    SELECT c.id, v.parent_id, c.depth + 1 FROM chain c JOIN valid v ON v.child_id = c.root WHERE c.depth < 20
), roots AS (
    SELECT DISTINCT ON (id) id, root FROM chain ORDER BY id, depth DESC
)
SELECT m.name, SUM(f.quantity)
FROM provenance_finding f
LEFT JOIN roots r ON r.id = f.manufacturer_id
LEFT JOIN manufacturers_manufacturer m ON m.id = COALESCE(r.root, f.manufacturer_id)
GROUP BY m.name
"""

# The year recovered is stored on each finding (copied from its item), so the hand-written SQL reads it too.
SQL_SHIFT = """
SELECT f.recovered_year, f.country, SUM(f.quantity) FROM provenance_finding f GROUP BY 1, 2
"""

# For reference: the same shift joining the items for their year, as the selector did before the stored year.
SQL_SHIFT_JOIN = """
SELECT EXTRACT(YEAR FROM i.recovered_on) AS year, f.country, SUM(f.quantity)
FROM provenance_finding f JOIN provenance_recovereditem i ON i.id = f.item_id
GROUP BY 1, 2
"""

SQL_FAMILY = """
SELECT f.country, SUM(f.quantity)
FROM provenance_finding f
JOIN provenance_recovereditem i ON i.id = f.item_id
JOIN provenance_weaponmodel w ON w.id = i.weapon_model_id
WHERE UPPER(w.family) = UPPER(%(family)s) AND i.recovered_on BETWEEN %(start)s AND %(end)s
GROUP BY f.country
"""

# Reviewed items only (`--status verified`): the items' status joins in.
SQL_VERIFIED = """
SELECT f.country, SUM(f.quantity)
FROM provenance_finding f
JOIN provenance_recovereditem i ON i.id = f.item_id
WHERE i.status IN ('verified', 'published')
GROUP BY f.country
"""


def main() -> None:
    """Time each case and print the table (ours ms, SQL ms, ratio)."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--url", default=os.environ.get("BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/bench_1m")
    )
    parser.add_argument("--runs", type=int, default=10)
    args = parser.parse_args()

    django_setup(args.url)
    from django.db import connection

    from provenance.selectors.analytics import AnalyticsFilters, breakdown, shift

    def sql(query: str, params: dict | None = None):
        with connection.cursor() as cursor:
            cursor.execute(query, params or {})
            return cursor.fetchall()

    everything = AnalyticsFilters()
    iskander = AnalyticsFilters(family="Iskander", date_from=dt.date(2023, 1, 1), date_to=dt.date(2025, 12, 31))
    family_params = {"family": "Iskander", "start": dt.date(2023, 1, 1), "end": dt.date(2025, 12, 31)}
    cases = [
        (
            "breakdown by country (hq, units, all 1M)",
            lambda: breakdown(filters=everything, by="country"),
            lambda: sql(SQL_COUNTRY),
        ),
        (
            "breakdown by manufacturer (parent)",
            lambda: breakdown(filters=everything, by="manufacturer", attribution="parent", as_of=AS_OF),
            lambda: sql(SQL_PARENT, {"as_of": AS_OF}),
        ),
        (
            "shift by country over years recovered",
            lambda: shift(filters=everything, by="country", period="recovered"),
            lambda: sql(SQL_SHIFT),
        ),
        (
            "breakdown by country, family + dates",
            lambda: breakdown(filters=iskander, by="country"),
            lambda: sql(SQL_FAMILY, family_params),
        ),
        (
            "breakdown by country, status verified",
            lambda: breakdown(filters=AnalyticsFilters(status="verified"), by="country"),
            lambda: sql(SQL_VERIFIED),
        ),
    ]

    _check(cases[0][1](), sql(SQL_COUNTRY))
    _check(cases[1][1](), sql(SQL_PARENT, {"as_of": AS_OF}))
    _check_shift(cases[2][1](), sql(SQL_SHIFT))
    _check_shift(cases[2][1](), sql(SQL_SHIFT_JOIN))
    _check(cases[3][1](), sql(SQL_FAMILY, family_params))
    _check(cases[4][1](), sql(SQL_VERIFIED))

    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM provenance_finding")
        (findings,) = cursor.fetchone()
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    print(f"{findings:,} findings; median of {args.runs} runs; load average {load:.2f} on {os.cpu_count()} CPUs")
    print(f"{'case':42} {'ours ms':>9} {'SQL ms':>9} {'ratio':>6}  target")
    for name, ours, theirs in cases:
        ours_ms, sql_ms = medians_ms(ours, theirs, args.runs)
        ratio = ours_ms / sql_ms if sql_ms else float("nan")
        verdict = "ok" if ours_ms < 300 and ratio <= 1.5 else "MISSED"
        print(f"{name:42} {ours_ms:9.1f} {sql_ms:9.1f} {ratio:6.2f}  {verdict}")
    ours_ms, join_ms = medians_ms(cases[2][1], lambda: sql(SQL_SHIFT_JOIN), args.runs)
    print(f"(the shift's SQL joining the items for the year instead: {join_ms:.1f} ms; ours {ours_ms:.1f} ms)")


def _check(result: dict, rows: list[tuple]) -> None:
    """Our breakdown and the SQL must give the same numbers."""
    ours = {row["key"]: row["count"] for row in result["rows"]}
    theirs = {(key or None): int(n) for key, n in rows if n}
    if ours != theirs:
        raise SystemExit(
            f"results differ:\n ours {sorted(ours.items(), key=str)[:10]}\n sql {sorted(theirs.items(), key=str)[:10]}"
        )


def _check_shift(result: dict, rows: list[tuple]) -> None:
    theirs: dict[tuple, int] = {}
    for year, key, n in rows:
        if year is not None and n:
            theirs[(str(int(year)), key or None)] = int(n)
    ours = {(y, row["key"]): n for row in result["rows"] for y, n in row["counts"].items() if n}
    if ours != theirs:
        raise SystemExit("shift results differ")


if __name__ == "__main__":
    main()
