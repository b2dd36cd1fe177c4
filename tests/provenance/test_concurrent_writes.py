"""Two writers of one recovered item at once (issue 16, item 3): they serialise on the item's row lock, and
the item ends as exactly one of them wrote it, never a mix, never duplicate line numbers."""

import io
import threading

import pytest
from django.db import connection, connections

from provenance.models import Finding, RecoveredItem
from provenance.services.teardown import teardown_import
from tests import factories

LINES = 3000
HEADER = "item_ref,weapon,recovered_on,manufacturer,manufacturer_country,quantity,marking\n"


def _teardown_list(version: str, lines: int) -> bytes:
    rows = [f"RACE-1,9M727,2025-01-01,,US,{n % 7 + 1},{version}-{n}\n" for n in range(lines)]
    return (HEADER + "".join(rows)).encode()


def _content(item: RecoveredItem) -> list[tuple]:
    return list(item.findings.order_by("line_no").values_list("line_no", "marking", "quantity"))


def _expected(version: str, lines: int) -> list[tuple]:
    return [(n + 1, f"{version}-{n}", n % 7 + 1) for n in range(lines)]


pytestmark = pytest.mark.django_db(transaction=True)


def test_two_overlapping_imports_of_one_item_leave_one_of_them():
    if connection.vendor != "postgresql":
        pytest.skip("row locks and concurrent writers: PostgreSQL")
    factories.WeaponModelFactory(designation="9M727")
    assert teardown_import(file=io.BytesIO(_teardown_list("v0", LINES)), filename="v0.csv").ok
    # Two edited versions: one shorter, one longer, every line changed.
    files = {"a": _teardown_list("a", LINES - 50), "b": _teardown_list("b", LINES + 50)}
    start = threading.Barrier(2)
    results = {}

    def run(version: str) -> None:
        try:
            start.wait()
            results[version] = teardown_import(file=io.BytesIO(files[version]), filename=f"{version}.csv")
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(version,)) for version in files]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    item = RecoveredItem.objects.get(reference="RACE-1")
    content = _content(item)
    line_numbers = [line for line, _marking, _quantity in content]
    assert len(line_numbers) == len(set(line_numbers))
    assert content in (_expected("a", LINES - 50), _expected("b", LINES + 50))
    # Both succeeded (the second one waited, then applied its edit over the first one's), or the second one
    # failed with a message and wrote nothing: never both half-applied.
    for result in results.values():
        assert result.ok or "nothing was written" in result.errors[0].message
    assert Finding.objects.count() == len(content)
