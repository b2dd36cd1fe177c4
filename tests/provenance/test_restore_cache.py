"""A restore cannot bring back cached responses of the discarded timeline (issue 16, item 6); `flush` renews
the version too."""

import pytest
from django.core.management import call_command
from django.db import connection

from provenance.models import DataVersion, DataVersionWeight, Finding
from provenance.selectors.data_version import data_version
from tests.provenance.api_world import world_fixture  # noqa: F401

SEQUENCE = "provenance_data_version_seq"  # what the version was drawn from before: restored with a dump


def _sequence_value() -> int | None:
    with connection.cursor() as cursor:
        cursor.execute("SELECT to_regclass(%s) IS NOT NULL", [SEQUENCE])
        if not cursor.fetchone()[0]:
            return None
        cursor.execute(f"SELECT last_value FROM {SEQUENCE}")
        return cursor.fetchone()[0]


def _dump_version_tables() -> dict:
    return {"epoch": DataVersion.objects.get().epoch, "weights": list(DataVersionWeight.objects.values("id", "weight"))}


def _restore(*, quantity: int, finding: Finding, epoch: int, weights: list[dict], sequence: int | None) -> None:
    """What pg_restore does: data loaded with the triggers not yet there (here: disabled), the version's rows
    and the sequence set to their dumped values."""
    with connection.cursor() as cursor:
        cursor.execute("SET session_replication_role = replica")
        try:
            Finding.objects.filter(pk=finding.pk).update(quantity=quantity)
            DataVersion.objects.filter(pk=1).update(epoch=epoch)
            DataVersionWeight.objects.all().delete()
            DataVersionWeight.objects.bulk_create(DataVersionWeight(**row) for row in weights)
            if sequence is not None:
                cursor.execute("SELECT setval(%s, %s)", [SEQUENCE, sequence])
        finally:
            cursor.execute("SET session_replication_role = DEFAULT")


def test_a_restored_database_does_not_serve_the_discarded_timeline(world):
    if connection.vendor != "postgresql":
        pytest.skip("restoring a dump with its sequences: PostgreSQL")
    client = world.client("partner_a")
    item = world.items["CLEAR-published-none"]
    finding = item.findings.get()
    url = f"/api/v1/findings/{finding.pk}/"
    dumped = {"quantity": finding.quantity, "sequence": _sequence_value(), **_dump_version_tables()}
    version = data_version()
    assert client.get(url).json()["quantity"] == dumped["quantity"]

    # The discarded timeline: a change, read (and cached) by a partner.
    Finding.objects.filter(pk=finding.pk).update(quantity=999)
    discarded = client.get(url)
    assert (discarded.json()["quantity"], discarded["X-Cache"]) == (999, "miss")

    _restore(finding=finding, **dumped)
    assert data_version() == version  # the dumped one: its cached responses are the restored state
    # The first write after the restore: with a sequence it drew the discarded timeline's version again.
    item.refresh_from_db()
    item.notes = "after the restore"
    item.save()
    response = client.get(url)
    assert response.json()["quantity"] == dumped["quantity"]
    assert response["X-Cache"] == "miss"


def test_flush_renews_the_version(db):
    before = data_version()
    call_command("flush", "--noinput", verbosity=0)
    assert data_version() not in (None, before)
