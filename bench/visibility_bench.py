"""The reference-data visibility rule (issue 16, item 1) on a million findings: the partner API's manufacturers,
parts and strikes lists, each filtered by one EXISTS over the findings (or items) the partner may see,
against the same queries written by hand in raw SQL, in the same run.

    .venv/bin/python bench/visibility_bench.py --url postgres://postgres@127.0.0.1:5432/bench_<copy>

Run it on a migrated copy of `bench_1m`. Everything happens in one transaction that is rolled back, so the
copy is left as it was. For the partner with the most shared items it times (median of `--repeat` runs) what
a list request asks the database: the count and the first page of 50 in the view's ordering, built by
`provenance.selectors.visibility` (ORM) and by hand (raw), and prints ms and the ratio ORM / raw. Cases:
- manufacturers as generated (every maker reviewed: the EXISTS is never needed) and with no maker reviewed
  (the EXISTS decides for each of them);
- parts (20,000, each decided by the EXISTS over the findings);
- strikes: the generated data has none, so the run adds 2,000 and links every item to one of them.
"""

from __future__ import annotations

import os

from timing import django_for, median_ms

PAGE = 50

# The partner rule on an item `i`; `{item_id}` is the column holding the item's id. For findings it must be
# `f.item_id` (as the ORM writes it): with `i.id` PostgreSQL chose a per-maker scan of all items for the same
# query, and the count of makers took 10.8 s instead of 0.07 s.
VISIBLE_ITEM = (
    "i.status = %(published)s AND (i.tlp = ANY(%(broad)s) OR (i.tlp = ANY(%(on_request)s) AND (i.owner_id = %(org)s"
    " OR {item_id} IN (SELECT s.recovereditem_id FROM provenance_recovereditem_shared_with s"
    " WHERE s.organisation_id = %(org)s))))"
)
VISIBLE_FINDING = (
    "SELECT 1 FROM provenance_finding f JOIN provenance_recovereditem i ON i.id = f.item_id WHERE {link} AND "
    + VISIBLE_ITEM.replace("{item_id}", "f.item_id")
)
RAW = {
    "manufacturers": (
        "FROM manufacturers_manufacturer m WHERE m.reviewed OR EXISTS ("
        + VISIBLE_FINDING.format(link="f.manufacturer_id = m.id")
        + ")",
        "m.id",
        "m.name",
    ),
    "parts": (
        "FROM components_part p WHERE EXISTS (" + VISIBLE_FINDING.format(link="f.part_id = p.id") + ")",
        "p.id",
        "p.part_number, p.id",
    ),
    "strikes": (
        "FROM provenance_strike s0 WHERE EXISTS (SELECT 1 FROM provenance_recovereditem i WHERE i.strike_id = s0.id"
        " AND " + VISIBLE_ITEM.replace("{item_id}", "i.id") + ")",
        "s0.id",
        "s0.occurred_on DESC, s0.id",
    ),
}


def main() -> None:
    args = django_for(__doc__, repeat=15)
    from django.db import connection, transaction
    from django.db.models import Count

    from provenance.api.views import ManufacturerViewSet, PartViewSet, StrikeViewSet
    from provenance.models import Organisation, RecoveredItem
    from provenance.selectors.visibility import (
        BROADLY_SHARED,
        SHARED_ON_REQUEST,
        manufacturers_visible_to,
        parts_visible_to,
        strikes_visible_to,
    )

    views = {
        "manufacturers": (manufacturers_visible_to, ManufacturerViewSet.ordering),
        "parts": (parts_visible_to, PartViewSet.ordering),
        "strikes": (strikes_visible_to, StrikeViewSet.ordering),
    }
    with transaction.atomic():
        partner = (
            Organisation.objects.filter(kind=Organisation.Kind.PARTNER, is_active=True)
            .annotate(shared=Count("items_shared"))
            .order_by("-shared", "pk")
            .first()
        )
        params = {
            "org": partner.pk,
            "published": RecoveredItem.Status.PUBLISHED,
            "broad": list(BROADLY_SHARED),
            "on_request": list(SHARED_ON_REQUEST),
        }

        def orm(name: str, part: str):
            selector, ordering = views[name]
            queryset = selector(organisation=partner).order_by(*ordering)
            return queryset.count() if part == "count" else list(queryset.values_list("pk", flat=True)[:PAGE])

        def raw(name: str, part: str):
            where, pk, ordering = RAW[name]
            page = f"SELECT {pk} {where} ORDER BY {ordering} LIMIT {PAGE}"
            sql = f"SELECT count(*) {where}" if part == "count" else page
            with connection.cursor() as cursor:
                cursor.execute(sql, params)
                rows = [row[0] for row in cursor.fetchall()]
            return rows[0] if part == "count" else rows

        def case(label: str, name: str) -> None:
            line = []
            for part in ("count", "page"):
                orm_ms, orm_result = median_ms(lambda: orm(name, part), args.repeat)  # noqa: B023
                raw_ms, raw_result = median_ms(lambda: raw(name, part), args.repeat)  # noqa: B023
                assert orm_result == raw_result, (label, part)
                if part == "count":
                    line.append(f"{orm_result:>6} visible")
                line.append(f"{part}: ORM {orm_ms:7.1f} ms, raw {raw_ms:7.1f} ms, ratio {orm_ms / raw_ms:4.2f}")
            print(f"{label:<36}", " | ".join(line))

        with connection.cursor() as cursor:
            cursor.execute("SELECT count(*) FROM provenance_finding")
            findings = cursor.fetchone()[0]
        print(f"load average {os.getloadavg()}; {findings} findings; partner {partner} ({partner.shared} shared items)")
        case("manufacturers (all reviewed)", "manufacturers")
        case("parts", "parts")
        with connection.cursor() as cursor:
            cursor.execute("UPDATE manufacturers_manufacturer SET reviewed = false")
            cursor.execute(
                "INSERT INTO provenance_strike (created_at, updated_at, occurred_on, place, description, "
                "launched_summary) SELECT now(), now(), DATE '2024-01-01' + n, 'Bench ' || n, '', '' "
                "FROM generate_series(1, 2000) n"
            )
            cursor.execute(
                "UPDATE provenance_recovereditem i SET strike_id = s.id FROM (SELECT id, row_number() OVER "
                "(ORDER BY id) - 1 AS n FROM provenance_strike) s WHERE s.n = i.id % 2000"
            )
            cursor.execute("ANALYZE manufacturers_manufacturer, provenance_strike, provenance_recovereditem")
        case("manufacturers (none reviewed)", "manufacturers")
        case("strikes (2,000, every item linked)", "strikes")
        transaction.set_rollback(True)


if __name__ == "__main__":
    main()
