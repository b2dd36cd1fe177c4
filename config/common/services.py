"""Write helpers shared by the apps' services."""

from typing import Literal

from django.db import models

Outcome = Literal["created", "changed", "unchanged"]


def object_upsert[M: models.Model](model: type[M], *, lookup: dict, values: dict) -> tuple[M, Outcome]:
    """Create or update one row found by `lookup`; save only when a value differs.

    Saving nothing when nothing changed keeps reloads idempotent and the change history clean.
    """
    obj = model._default_manager.filter(**lookup).first()
    if obj is None:
        obj = model(**lookup, **values)
        obj.full_clean()
        obj.save()
        return obj, "created"
    changed = [field for field, value in values.items() if getattr(obj, field) != value]
    if not changed:
        return obj, "unchanged"
    for field in changed:
        setattr(obj, field, values[field])
    obj.full_clean()
    obj.save()
    return obj, "changed"
