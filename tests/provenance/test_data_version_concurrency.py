"""An open import does not hold up other evidence writers (issue 16, item 7: an admin save waited 83 s behind
a 1M-row import, queued on the data version's row lock), and the version still changes on every commit,
also on one that commits after a reader read the version."""

import io
import threading

import pytest
from django.db import connection, connections, transaction

from provenance.models import DataVersionWeight, RecoveredItem
from provenance.selectors.data_version import data_version
from provenance.services.data_version import COMPACT_EVERY, data_version_bump, data_version_compact
from provenance.services.findings import recovered_item_save
from provenance.services.teardown import teardown_import
from tests import factories

HEADER = "item_ref,weapon,recovered_on,manufacturer,manufacturer_country,quantity,marking\n"
ROWS = "".join(f"OPEN-IMPORT,9M727,2025-01-01,,US,{n % 7 + 1},m-{n}\n" for n in range(500))


@pytest.mark.django_db(transaction=True)
def test_an_admin_save_does_not_wait_for_an_open_import():
    if connection.vendor != "postgresql":
        pytest.skip("concurrent writers and row locks: PostgreSQL (SQLite has one writer at a time)")
    factories.WeaponModelFactory(designation="9M727")
    other = factories.RecoveredItemFactory(reference="SAVED-BY-ADMIN")
    before = data_version()
    imported, release, results = threading.Event(), threading.Event(), {}

    def open_import() -> None:
        """The import's transaction: written (and the version bumped inside it), then held open."""
        try:
            with transaction.atomic():
                results["import"] = teardown_import(file=io.BytesIO((HEADER + ROWS).encode()), filename="open.csv")
                imported.set()
                release.wait(timeout=30)
        finally:
            imported.set()
            connections.close_all()

    importer = threading.Thread(target=open_import)
    importer.start()
    try:
        assert imported.wait(timeout=30)
        assert results["import"].ok
        # The admin's save, on its own connection: a lock wait of more than 2 s fails it (the old version row
        # lock made it wait until the import committed).
        with connection.cursor() as cursor:
            cursor.execute("SET lock_timeout = '2s'")
        try:
            other.notes = "saved during an import"
            recovered_item_save(item=other, user=None)
        finally:
            with connection.cursor() as cursor:
                cursor.execute("RESET lock_timeout")
        during = data_version()  # a reader now: sees the admin's save, not the import
        assert during != before
    finally:
        release.set()
        importer.join()
    # The import commits after that read: the version moves on, so nothing cached under `during` is served.
    after = data_version()
    assert len({before, during, after}) == 3
    assert other.findings.count() == 0
    assert RecoveredItem.objects.get(reference="OPEN-IMPORT").findings.count() == 500


@pytest.mark.django_db
def test_compaction_keeps_the_table_small_and_the_version_unchanged():
    seen = {data_version()}
    for _ in range(3 * COMPACT_EVERY):
        data_version_bump()
        seen.add(data_version())
    assert len(seen) == 3 * COMPACT_EVERY + 1  # every write gave a new version
    assert DataVersionWeight.objects.count() <= COMPACT_EVERY + 1
    # A compaction on its own (no new weight) keeps the version.
    version = data_version()
    data_version_compact()
    assert data_version() == version
    assert DataVersionWeight.objects.count() == 1
