"""What changed in a recovered item's finding lines: from the django-simple-history records of its findings.

Read by the item's history page in the admin, so that each change reads "line 3: quantity 3 → 4 (reason)",
not just "Changed".
"""

from __future__ import annotations

from typing import Any

from components.models import Part
from manufacturers.models import Manufacturer
from provenance.models import Finding

__all__ = ["finding_line_changes"]

_SKIPPED = {"created_at", "updated_at"}
_NAMED = {"manufacturer": Manufacturer, "part": Part}


def finding_line_changes(*, item_id: int, limit: int = 300) -> list[dict[str, Any]]:
    """The latest `limit` changes of the item's lines, newest first: when, who, +/~/-, line, fields, reason.

    Each change lists `(field, old, new)` against the line's previous record; manufacturers and parts are
    named. Two queries for the records, one per kind of named relation.
    """
    history = Finding.history.model
    records = list(
        history.objects.filter(item_id=item_id).select_related("history_user").order_by("id", "history_date", "pk")
    )
    fields = [f.name for f in Finding._meta.concrete_fields if f.name not in _SKIPPED and f.name != "id"]
    rows: list[dict[str, Any]] = []
    previous: dict[int, Any] = {}
    for record in records:
        before = previous.get(record.id)
        changes = []
        if record.history_type == "~" and before is not None:
            for name in fields:
                attname = Finding._meta.get_field(name).attname
                old, new = getattr(before, attname, None), getattr(record, attname, None)
                if old != new:
                    changes.append([name, old, new])
        previous[record.id] = record
        rows.append(
            {
                "at": record.history_date,
                "user": record.history_user,
                "type": record.history_type,
                "type_label": record.get_history_type_display(),
                "line": record.line_no,
                "changes": changes,
                "reason": record.history_change_reason or "",
            }
        )
    rows.sort(key=lambda row: row["at"], reverse=True)
    rows = rows[:limit]
    for name, model in _NAMED.items():
        ids = {value for row in rows for field, *values in row["changes"] if field == name for value in values}
        labels = {pk: str(obj) for pk, obj in model.objects.in_bulk([i for i in ids if i is not None]).items()}
        for row in rows:
            for change in row["changes"]:
                if change[0] == name:
                    change[1:] = [labels.get(v, v) if v is not None else "–" for v in change[1:]]
    return rows
