"""Write helpers shared by the apps' services."""

from collections.abc import Iterable
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


def rows_copy(model: type[models.Model], fields: tuple[str, ...] | list[str], rows: Iterable[tuple]) -> None:
    """PostgreSQL: COPY `rows` (values of `fields`, in order) into the table of `model`."""
    table_copy(model._meta.db_table, [model._meta.get_field(n).column for n in fields], rows)


def table_copy(table: str, columns: list[str], rows: Iterable[tuple]) -> None:
    """PostgreSQL: COPY `rows` (values of `columns`, in order) into `table` (names as in the database)."""
    quote = connection.ops.quote_name
    names = ", ".join(quote(column) for column in columns)
    with connection.cursor() as cursor, cursor.copy(f"COPY {quote(table)} ({names}) FROM STDIN") as copy:
        for row in rows:
            copy.write_row(row)
