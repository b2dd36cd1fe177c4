"""Write helpers shared by the apps' services."""

from typing import Literal

from django.db import connection, models

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


def rows_copy(model: type[models.Model], fields: tuple[str, ...] | list[str], rows: list[tuple]) -> None:
    """PostgreSQL: COPY `rows` (values of `fields`, in order) into the table of `model`."""
    columns = ", ".join(connection.ops.quote_name(model._meta.get_field(n).column) for n in fields)
    table = connection.ops.quote_name(model._meta.db_table)
    with connection.cursor() as cursor, cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
        for row in rows:
            copy.write_row(row)
