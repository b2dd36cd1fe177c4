"""Writes for manufacturers: reference-data upserts of manufacturers, aliases, identifiers and ownership."""

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.utils.translation import gettext as _

from config.common.services import Outcome, object_upsert
from config.common.text import name_key
from manufacturers.models import Manufacturer, ManufacturerAlias, ManufacturerIdentifier, Ownership


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
            raise ValidationError(
                _("Alias “{alias}” of “{name}” already belongs to “{owner}”.").format(
                    alias=alias, name=name, owner=existing.manufacturer.name
                )
            )
    return manufacturer, outcome


@transaction.atomic
def manufacturer_identifiers_add(
    *, manufacturer: Manufacturer, identifiers: list[tuple[str, str]], source: str = ""
) -> Outcome:
    """Give `manufacturer` these (kind, value) identifiers (added, never removed), each checked as the admin
    checks it (kind, check digits, one maker per identifier); "changed" when one was added."""
    outcome: Outcome = "unchanged"
    for kind, value in identifiers:
        identifier = ManufacturerIdentifier(manufacturer=manufacturer, kind=kind, value=value, source=source)
        identifier.clean()
        existing = ManufacturerIdentifier.objects.filter(kind=kind, value=identifier.value).first()
        if existing is None:
            identifier.full_clean()
            identifier.save()
            outcome = "changed"
        elif existing.manufacturer_id != manufacturer.pk:
            raise ValidationError(f"Identifier {kind} {value} of {manufacturer.name!r} belongs to another maker.")
    return outcome


def ownership_upsert(*, parent: Manufacturer, child: Manufacturer, start_on: dt.date) -> tuple[Ownership, Outcome]:
    """Record that `parent` owns `child` from `start_on` (open-ended)."""
    return object_upsert(Ownership, lookup={"parent": parent, "child": child}, values={"start_on": start_on})


@transaction.atomic
def manufacturers_mark_reviewed(*, manufacturers: QuerySet[Manufacturer]) -> int:
    """Mark the not yet reviewed of `manufacturers` as reviewed; returns how many changed.

    Saved one by one (not queryset.update) so that each change is kept in the history.
    """
    changed = 0
    for manufacturer in manufacturers.filter(reviewed=False):
        manufacturer.reviewed = True
        manufacturer.save(update_fields=["reviewed", "updated_at"])
        changed += 1
    return changed
