"""The current data version (see `provenance.models.data_version`): read on every cached request."""

from django.db import connection

from provenance.models import WEIGHT_BITS, DataVersion, DataVersionWeight

__all__ = ["data_version"]

# One statement: the epoch and the weights' sum from one snapshot. The weights stay few (compacted).
_SQL = (
    f"SELECT d.epoch, CAST((SELECT COALESCE(SUM(w.weight), 0) FROM {DataVersionWeight._meta.db_table} w) "  # noqa: S608
    f"% {2**WEIGHT_BITS} AS BIGINT) FROM {DataVersion._meta.db_table} d WHERE d.id = 1"
)


def data_version() -> int | None:
    """The version now (epoch and weights' sum in one number), or None when there is none (no epoch row)."""
    with connection.cursor() as cursor:
        cursor.execute(_SQL)
        row = cursor.fetchone()
    if row is None:
        return None
    epoch, weights = row
    return (epoch << WEIGHT_BITS) | weights
