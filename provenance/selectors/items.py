"""Reads for recovered items and the admin's list pages: counts per row in one query, the per-item summary.

Counts are correlated subqueries rather than `Count()` over joins, so that a search or filter on findings
(which adds joins) can never multiply them, and a list page costs one query whatever its length.
"""

from django.db.models import Count, IntegerField, OuterRef, QuerySet, Subquery, Sum, Value
from django.db.models.functions import Coalesce
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from config.common.countries import country_name
from manufacturers.models import Manufacturer
from provenance.models import Finding, RecoveredItem, WeaponModel
from provenance.selectors.analytics import AnalyticsFilters, breakdown

__all__ = [
    "finding_countries",
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
    """The makers' countries present in findings, as (code, name) sorted by name, for list filters."""
    codes = Finding.objects.exclude(country="").order_by().values_list("country", flat=True).distinct()
    return sorted(((code, country_name(code)) for code in codes), key=lambda pair: pair[1])


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
