"""Reads for manufacturers: name resolution, and manufacturers with their designations."""

from django.db.models import Prefetch, QuerySet

from config.common.text import name_key
from manufacturers.models import Manufacturer, ManufacturerAlias, SanctionMatch


def manufacturer_by_name(*, name: str) -> Manufacturer | None:
    """The manufacturer whose canonical name or alias is `name` (case- and space-insensitive)."""
    key = name_key(name)
    if not key:
        return None
    found = Manufacturer.objects.filter(name_key=key).first()
    if found is not None:
        return found
    alias = ManufacturerAlias.objects.select_related("manufacturer").filter(alias_key=key).first()
    return alias.manufacturer if alias else None


def manufacturers_with_designations(queryset: QuerySet[Manufacturer]) -> QuerySet[Manufacturer]:
    """Manufacturers with aliases, own designations and the designations of the listed entities they are
    confirmed to be (`confirmed_matches`), in a fixed number of queries whatever the page size."""
    confirmed = SanctionMatch.objects.filter(decision=SanctionMatch.Decision.CONFIRMED).select_related("listed_entity")
    return queryset.prefetch_related(
        "aliases",
        "designations",
        Prefetch("sanction_matches", queryset=confirmed, to_attr="confirmed_matches"),
        "confirmed_matches__listed_entity__designations",
    )
