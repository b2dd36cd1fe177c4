"""One value that changes whenever the evidence a partner can read changes (the API's response cache key).

The version is the pair (epoch, sum of the weights modulo 2^40), read with one aggregate
(`provenance.selectors.data_version`):
- every write adds a row with a random 40-bit weight to `DataVersionWeight` (database triggers,
  `provenance.services.data_version`, on every table of the manufacturers, components and provenance apps
  except the ones a read writes to (access log, API keys) or that no cached response shows (briefing
  reports, history tables)). Only inserts: no writer updates a shared row, so no writer waits for another
  one (a 1M-row import used to hold the single version row's lock until it committed). The weight commits
  with the change it stands for, so the sum changes exactly when the change becomes visible;
- the table is compacted now and then (its rows replaced by one row holding their sum), which keeps the
  sum, and the read, small;
- the epoch (the single `DataVersion` row) is a random 63-bit value that `migrate` and `flush` renew.
A trigger sees every write: the admin, the services, a teardown import, a bulk `QuerySet.update()`, raw SQL
in a shell. The value is opaque: only equality matters, and it does not come back after a rollback or the
restore of an older dump (the weights of the writes after it are random).
"""

from django.db import models
from django.db.models import Q

__all__ = ["WEIGHT_BITS", "DataVersion", "DataVersionWeight"]

WEIGHT_BITS = 40  # SQLite's sum() of integers must not overflow: 2^23 weights of 40 bits fit in 63 bits


class DataVersion(models.Model):
    """The single row (id 1) holding the epoch: renewed by `migrate` and `flush`, never by a data write."""

    id = models.PositiveSmallIntegerField(primary_key=True, default=1)
    epoch = models.BigIntegerField()

    class Meta:
        constraints = [models.CheckConstraint(condition=Q(id=1), name="dataversion_single_row")]

    def __str__(self) -> str:
        return f"data version epoch {self.epoch}"


class DataVersionWeight(models.Model):
    """One write's random weight (0 <= weight < 2^40), or after a compaction the sum of many, modulo 2^40."""

    id = models.BigAutoField(primary_key=True)
    weight = models.BigIntegerField()

    def __str__(self) -> str:
        return f"data version weight {self.weight}"
