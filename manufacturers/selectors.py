"""Reads for manufacturers: name resolution and ownership roll-up."""

import datetime as dt

from django.db.models import Q

from config.common.text import name_key
from manufacturers.models import Manufacturer, ManufacturerAlias, Ownership


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


def ownership_parents_on(*, on: dt.date) -> dict[int, int]:
    """child id -> parent id for every ownership valid on `on` (one query)."""
    valid = Ownership.objects.filter(Q(start_on__lte=on), Q(end_on__isnull=True) | Q(end_on__gte=on))
    return dict(valid.order_by("start_on").values_list("child_id", "parent_id"))
