"""The current data version (see `provenance.models.data_version`)."""

from provenance.models import DataVersion

__all__ = ["data_version"]


def data_version() -> int | None:
    """The version now, or None when there is none (no row: e.g. a flushed test database)."""
    return DataVersion.objects.filter(pk=1).values_list("version", flat=True).first()
