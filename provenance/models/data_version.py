"""One value that changes whenever the evidence a partner can read changes (the API's response cache key).

The value is written by database triggers (`provenance.services.data_version`), installed after every
`migrate` on every table of the manufacturers, components and provenance apps except the ones a read
writes to (access log, API keys) or that no cached response shows (briefing reports, history tables). A
trigger sees every write: the admin, the services, a teardown import, a bulk `QuerySet.update()`, raw SQL
in a shell. The value is opaque: only equality matters. It is never reused, not even after a rollback or
a restore of an older dump (a random 63-bit number).
"""

from django.db import models
from django.db.models import Q

__all__ = ["DataVersion"]


class DataVersion(models.Model):
    """The single row (id 1) holding the current data version."""

    id = models.PositiveSmallIntegerField(primary_key=True, default=1)
    version = models.BigIntegerField()

    class Meta:
        constraints = [models.CheckConstraint(condition=Q(id=1), name="dataversion_single_row")]

    def __str__(self) -> str:
        return f"data version {self.version}"
