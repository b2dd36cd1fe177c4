"""Reads for manufacturers: name resolution."""

from config.common.text import name_key
from manufacturers.models import Manufacturer, ManufacturerAlias


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
