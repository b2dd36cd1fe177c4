"""Reads for recovered items and the admin's list pages: counts per row in one query, the per-item summary.

Counts are correlated subqueries rather than `Count()` over joins, so that a search or filter on findings
(which adds joins) can never multiply them, and a list page costs one query whatever its length.
"""

from django.db import connection
from django.db.models import Count, IntegerField, OuterRef, QuerySet, Subquery, Sum, Value
from django.db.models.functions import Coalesce
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from config.common.countries import country_name
from manufacturers.models import Manufacturer
from provenance.finding_columns import table_lookups
from provenance.models import Finding, RecoveredItem, WeaponModel
from provenance.selectors.analytics import AnalyticsFilters, breakdown

__all__ = [
    "finding_countries",
    "finding_rows",
    "item_country_summary",
    "manufacturers_with_finding_counts",
    "recovered_items_with_counts",
    "weapon_models_with_item_counts",
]


def _per_row(queryset: QuerySet, group_by: str, aggregate) -> Coalesce:
    """The aggregate of `queryset` grouped by `group_by` = the outer row, as a scalar subquery (0 if none)."""
    subquery = (
        queryset.filter(**{group_by: OuterRef("pk")})
        .order_by()
        .values(group_by)
        .annotate(value=aggregate)
        .values("value")
    )
    return Coalesce(Subquery(subquery, output_field=IntegerField()), Value(0))


def recovered_items_with_counts(queryset: QuerySet[RecoveredItem] | None = None) -> QuerySet[RecoveredItem]:
    """Recovered items with `unit_count` (sum of quantities) and `finding_count` (lines), in one query."""
    queryset = RecoveredItem.objects.all() if queryset is None else queryset
    return queryset.select_related("weapon_model", "owner").annotate(
        unit_count=_per_row(Finding.objects.all(), "item", Sum("quantity")),
        finding_count=_per_row(Finding.objects.all(), "item", Count("pk")),
    )


def weapon_models_with_item_counts(queryset: QuerySet[WeaponModel] | None = None) -> QuerySet[WeaponModel]:
    """Weapon models with `item_count`, the number of recovered items of that model."""
    queryset = WeaponModel.objects.all() if queryset is None else queryset
    return queryset.annotate(item_count=_per_row(RecoveredItem.objects.all(), "weapon_model", Count("pk")))


def manufacturers_with_finding_counts(queryset: QuerySet[Manufacturer] | None = None) -> QuerySet[Manufacturer]:
    """Manufacturers with `finding_count` (finding lines naming them) and `unit_count` (their units)."""
    queryset = Manufacturer.objects.all() if queryset is None else queryset
    return queryset.annotate(
        finding_count=_per_row(Finding.objects.all(), "manufacturer", Count("pk")),
        unit_count=_per_row(Finding.objects.all(), "manufacturer", Sum("quantity")),
    )


def finding_countries() -> list[tuple[str, str]]:
    """The makers' countries present in findings, as (code, name) sorted by name, for list filters.

    Read by a skip scan of the country index (one index probe per distinct country, a recursive query that
    PostgreSQL and SQLite both run), not a DISTINCT over every finding.
    """
    table = connection.ops.quote_name(Finding._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(_COUNTRIES_SKIP_SCAN.format(table=table))
        codes = [code for (code,) in cursor.fetchall()]
    return sorted(((code, country_name(code)) for code in codes), key=lambda pair: pair[1])


# Each step finds the next country above the previous one through the index on country.
_COUNTRIES_SKIP_SCAN = """
WITH RECURSIVE present(country) AS (
    SELECT MIN(country) FROM {table} WHERE country > ''
    UNION ALL
    SELECT (SELECT MIN(f.country) FROM {table} f WHERE f.country > present.country)
    FROM present WHERE present.country IS NOT NULL
)
SELECT country FROM present WHERE country IS NOT NULL
"""


# The columns of an item's read-only lines table, read as plain rows (no model instances, no forms).
FINDING_ROW_FIELDS = table_lookups()


def finding_rows(*, item: RecoveredItem) -> list[dict]:
    """All lines of `item` as plain rows in line order, in one query (the item page's lines table)."""
    return list(Finding.objects.filter(item_id=item.pk).order_by("line_no", "id").values(*FINDING_ROW_FIELDS))


def item_country_summary(*, item: RecoveredItem) -> str:
    """One line per item, e.g. "US 35 · RU 57 · BY 5 · JP 1 · GB 1 · CH 1, 100 units".

    Counted by the analytics breakdown (units, HQ attribution), so the admin, reports and API agree.
    Countries are sorted by count, descending, then code; findings with no country count as "unknown".
    """
    result = breakdown(filters=AnalyticsFilters(item=item.reference), by="country")
    total = result["total"]
    if not total:
        return _("no findings yet")
    parts = " · ".join(f"{row['key'] or _('unknown')} {row['count']}" for row in result["rows"])
    return parts + ngettext(", {total} unit", ", {total} units", total).format(total=total)
