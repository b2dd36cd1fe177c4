"""Benchmark `sanctions_coverage` against equivalent hand-written SQL on a copy of `bench_1m` (1M findings).

    createdb -h 127.0.0.1 -U postgres -T bench_1m bench_<branch>
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench_<branch> .venv/bin/python manage.py migrate
    .venv/bin/python bench/sanctions_coverage_bench.py --url postgres://postgres@127.0.0.1:5432/bench_<branch>

Adds (idempotently) sanctions data to the copy: listed entities with EU / US / GB designations for 30 of the
most frequent makers, confirmed matches for 20 of them, manual designations on 10, and for 5 more a listed
owner holding 51 % (and one holding 49 %, which must not count). Then times the selector (median of
`--runs`, alternating with the SQL) for all findings and for one weapon family, after checking that both give
the same units and the same `listed_by` per maker. Target: within 1.5x of the SQL.
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

AS_OF = dt.date(2026, 12, 2)

SQL = """
WITH RECURSIVE valid AS (
    SELECT DISTINCT ON (child_id) child_id, parent_id FROM manufacturers_ownership
    WHERE start_on <= %(as_of)s AND (end_on IS NULL OR end_on >= %(as_of)s)
    ORDER BY child_id, start_on DESC, parent_id
), chain(child, ancestor, depth) AS (
    SELECT child_id, parent_id, 1 FROM valid
    UNION ALL
    SELECT c.child, v.parent_id, c.depth + 1 FROM chain c JOIN valid v ON v.child_id = c.ancestor
    WHERE c.depth < 20 AND v.parent_id <> c.child
), in_force AS (
    SELECT d.* FROM manufacturers_designation d
    LEFT JOIN manufacturers_listedentity le ON le.id = d.listed_entity_id
    WHERE (d.listed_on IS NULL OR d.listed_on <= %(as_of)s) AND (d.delisted_on IS NULL OR d.delisted_on > %(as_of)s)
      AND le.removed_at IS NULL
), direct AS (
    SELECT manufacturer_id AS m, authority FROM in_force WHERE manufacturer_id IS NOT NULL
    UNION
    SELECT sm.manufacturer_id, d.authority FROM in_force d
    JOIN manufacturers_sanctionmatch sm ON sm.listed_entity_id = d.listed_entity_id AND sm.decision = 'confirmed'
), listed AS (
    SELECT m, authority FROM direct
    UNION
    SELECT sm.manufacturer_id, d.authority FROM in_force d
    JOIN manufacturers_listedownership o ON o.owner_id = d.listed_entity_id AND o.percentage >= 50
         AND (o.start_on IS NULL OR o.start_on <= %(as_of)s) AND (o.end_on IS NULL OR o.end_on >= %(as_of)s)
    JOIN manufacturers_listedentity asset ON asset.id = o.asset_id AND asset.removed_at IS NULL
    JOIN manufacturers_sanctionmatch sm ON sm.listed_entity_id = o.asset_id AND sm.decision = 'confirmed'
    UNION
    SELECT chain.child, direct.authority FROM chain JOIN direct ON direct.m = chain.ancestor
), counts AS (
    SELECT f.manufacturer_id AS m, SUM(f.quantity) AS n FROM provenance_finding f
    {join} GROUP BY f.manufacturer_id
)
SELECT mm.name, counts.n, array_remove(array_agg(DISTINCT listed.authority), NULL)
FROM counts LEFT JOIN manufacturers_manufacturer mm ON mm.id = counts.m
LEFT JOIN listed ON listed.m = counts.m
GROUP BY mm.name, counts.n
"""
FAMILY_JOIN = """JOIN provenance_recovereditem i ON i.id = f.item_id
    JOIN provenance_weaponmodel w ON w.id = i.weapon_model_id
    WHERE UPPER(w.family) = UPPER(%(family)s)"""


def seed() -> None:
    """Sanctions data for the most frequent makers (idempotent: source ids prefixed `bench-`)."""
    from django.db.models import Sum

    from manufacturers.models import Designation, ListedEntity, ListedOwnership, SanctionMatch
    from provenance.models import Finding

    if ListedEntity.objects.filter(source_id__startswith="bench-").exists():
        return
    top = list(
        Finding.objects.exclude(manufacturer=None)
        .values("manufacturer_id")
        .annotate(n=Sum("quantity"))
        .order_by("-n")
        .values_list("manufacturer_id", flat=True)[:40]
    )
    decided = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)
    for i, manufacturer_id in enumerate(top):
        entity = ListedEntity.objects.create(source_id=f"bench-{i}", schema="Company", caption=f"Bench {i} JSC",
                                             digest="x")  # fmt: skip
        if i < 30:
            Designation.objects.create(listed_entity=entity, authority=("EU", "US", "GB")[i % 3], program="P",
                                       listed_on=dt.date(2023, 1, 1) + dt.timedelta(days=30 * i))  # fmt: skip
        if i < 20:
            SanctionMatch.objects.create(manufacturer_id=manufacturer_id, listed_entity=entity, score=0.97,
                                         strong=True, decision="confirmed", decided_at=decided)  # fmt: skip
        elif i < 30:
            Designation.objects.create(manufacturer_id=manufacturer_id, authority="JP", program="JP-METI",
                                       listed_on=dt.date(2024, 1, 1))  # fmt: skip
        else:
            owner = ListedEntity.objects.get(source_id=f"bench-{i - 30}")
            SanctionMatch.objects.create(manufacturer_id=manufacturer_id, listed_entity=entity, score=0.97,
                                         strong=True, decision="confirmed", decided_at=decided)  # fmt: skip
            ListedOwnership.objects.create(source_id=f"bench-own-{i}", owner=owner, asset=entity,
                                           percentage=51 if i < 35 else 49, digest="x")  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--url", required=True)
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args()
    django_setup(args.url)
    from django.db import connection

    from provenance.selectors.analytics import AnalyticsFilters
    from provenance.selectors.sanctions import sanctions_coverage

    seed()

    def sql(join: str = "", **params):
        with connection.cursor() as cursor:
            cursor.execute(SQL.format(join=join), {"as_of": AS_OF, **params})
            return cursor.fetchall()

    cases = [
        ("coverage, all findings", AnalyticsFilters(), lambda: sql()),
        ("coverage, family Iskander", AnalyticsFilters(family="Iskander"),
         lambda: sql(FAMILY_JOIN, family="Iskander")),
    ]  # fmt: skip
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM provenance_finding")
        (findings,) = cursor.fetchone()
    load = os.getloadavg()[0]
    print(f"{findings:,} findings; median of {args.runs} runs; load average {load:.2f} on {os.cpu_count()} CPUs")
    print(f"{'case':32} {'ours ms':>9} {'SQL ms':>9} {'ratio':>6}  listed makers  target")
    for name, filters, theirs in cases:
        result = sanctions_coverage(filters=filters, as_of=AS_OF)
        ours_rows = {r["key"]: (r["count"], r["listed_by"]) for r in result["rows"]}
        sql_rows = {key: (int(n), sorted(a)) for key, n, a in theirs() if n}
        if ours_rows != sql_rows:
            diff = [(k, ours_rows.get(k), sql_rows.get(k)) for k in set(ours_rows) | set(sql_rows)
                    if ours_rows.get(k) != sql_rows.get(k)]  # fmt: skip
            raise SystemExit(f"results differ: {diff[:5]}")
        listed = sum(1 for r in result["rows"] if r["listed_by"])
        ours_ms, sql_ms = medians_ms(lambda f=filters: sanctions_coverage(filters=f, as_of=AS_OF), theirs, args.runs)
        ratio = ours_ms / sql_ms
        print(f"{name:32} {ours_ms:9.1f} {sql_ms:9.1f} {ratio:6.2f}  {listed:13}  {'ok' if ratio <= 1.5 else 'MISSED'}")


if __name__ == "__main__":
    main()
