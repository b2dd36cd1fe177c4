"""Writes for manufacturers: reference-data upserts of manufacturers, aliases and ownership."""

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction

from config.common.services import Outcome, object_upsert
from config.common.text import name_key
from manufacturers.models import Manufacturer, ManufacturerAlias, Ownership


@transaction.atomic
def manufacturer_upsert(
    *, name: str, country: str, aliases: list[str] = (), notes: str = "", reviewed: bool = True
) -> tuple[Manufacturer, Outcome]:
    """Create or update a manufacturer by its canonical name, with its aliases (added, never removed)."""
    manufacturer, outcome = object_upsert(
        Manufacturer,
        lookup={"name_key": name_key(name)},
        values={"name": name, "country": country, "notes": notes, "reviewed": reviewed},
    )
    for alias in aliases:
        key = name_key(alias)
        if not key or key == manufacturer.name_key:
            continue
        existing = ManufacturerAlias.objects.filter(alias_key=key).select_related("manufacturer").first()
        if existing is None:
            ManufacturerAlias.objects.create(manufacturer=manufacturer, alias=alias)
            outcome = "changed" if outcome == "unchanged" else outcome
        elif existing.manufacturer_id != manufacturer.pk:
            raise ValidationError(f"Alias {alias!r} of {name!r} already belongs to {existing.manufacturer.name!r}.")
    return manufacturer, outcome


def ownership_upsert(*, parent: Manufacturer, child: Manufacturer, start_on: dt.date) -> tuple[Ownership, Outcome]:
    """Record that `parent` owns `child` from `start_on` (open-ended)."""
    return object_upsert(Ownership, lookup={"parent": parent, "child": child}, values={"start_on": start_on})
