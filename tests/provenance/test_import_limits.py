"""Import files cannot exhaust memory (issue 16, item 4): XLSX expansion and ratio, rows, distinct items and
errors are capped by settings, each refused with a message naming the limit; the admin shows the first
errors and offers the whole report as a CSV file."""

import csv
import io
import tracemalloc
import zipfile

import pytest
from django.test import Client

from provenance.models import RecoveredItem
from provenance.services.teardown import teardown_import
from tests import factories
from tests.provenance.test_teardown_admin import upload
from tests.provenance.test_teardown_import import HEADER, build_world

MB = 1_048_576


@pytest.fixture
def world(db):
    return build_world()


@pytest.fixture(autouse=True)
def upload_dir(settings, tmp_path):
    settings.TEARDOWN_UPLOAD_DIR = tmp_path / "uploads"


def _bomb(*, shared_strings_mb: int, compress: int = zipfile.ZIP_DEFLATED) -> bytes:
    """A workbook whose shared-strings table expands to `shared_strings_mb` MB (written in 1 MB chunks)."""
    target = io.BytesIO()
    with zipfile.ZipFile(target, "w", compression=compress) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("xl/workbook.xml", "<workbook/>")
        archive.writestr("xl/worksheets/sheet1.xml", "<worksheet><sheetData/></worksheet>")
        with archive.open("xl/sharedStrings.xml", "w", force_zip64=True) as member:
            member.write(b"<sst><si><t>")
            chunk = b"A" * MB
            for _ in range(shared_strings_mb):
                member.write(chunk)
            member.write(b"</t></si></sst>")
    return target.getvalue()


def _import(data: bytes, filename: str = "list.csv"):
    return teardown_import(file=io.BytesIO(data), filename=filename)


def test_an_xlsx_bomb_is_refused_before_it_expands(world):
    data = _bomb(shared_strings_mb=300)
    assert len(data) < 2 * MB  # 300 MB of text in a small file
    tracemalloc.start()
    try:
        result = _import(data, "bomb.xlsx")
        _current, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    (error,) = result.errors
    assert "TEARDOWN_XLSX_MAX_UNCOMPRESSED_BYTES" in error.message
    assert "expands to 300.0 MB" in error.message
    assert peak < 20 * MB  # nothing was unpacked
    assert not RecoveredItem.objects.exists()


def test_an_xlsx_with_an_abnormal_compression_ratio_is_refused(world):
    (error,) = _import(_bomb(shared_strings_mb=20), "ratio.xlsx").errors
    assert "TEARDOWN_XLSX_MAX_RATIO" in error.message
    assert "xl/sharedStrings.xml" in error.message


def test_an_xlsx_with_a_large_text_table_is_refused(world, settings):
    settings.TEARDOWN_XLSX_MAX_SHARED_STRINGS_BYTES = 2 * MB
    (error,) = _import(_bomb(shared_strings_mb=3, compress=zipfile.ZIP_STORED), "text.xlsx").errors
    assert "TEARDOWN_XLSX_MAX_SHARED_STRINGS_BYTES" in error.message


def _rows(n: int, *, items: int = 1, bad: bool = False) -> bytes:
    quantity = "x" if bad else "1"
    lines = [f"ITEM-{k % items},9M727,,,,,US,,{quantity},,\n" for k in range(n)]
    return (HEADER + "".join(lines)).encode()


def test_too_many_rows_are_refused(world, settings):
    settings.TEARDOWN_MAX_ROWS = 5
    result = _import(_rows(10))
    assert [(e.row, e.message) for e in result.errors] == [
        (7, "more than 5 rows (TEARDOWN_MAX_ROWS): split the file into several imports")
    ]
    assert not RecoveredItem.objects.exists()


def test_too_many_items_stop_reading(world, settings):
    settings.TEARDOWN_MAX_ITEMS = 3
    result = _import(_rows(1000, items=1000))
    assert [(e.row, e.message) for e in result.errors] == [
        (6, "more than 3 items (TEARDOWN_MAX_ITEMS): split the file into several imports")
    ]
    assert result.rows == 4  # reading stopped there: memory does not grow with the file


def test_errors_are_capped(world, settings):
    settings.TEARDOWN_MAX_ERRORS = 10
    result = _import(_rows(500, bad=True))
    assert len(result.errors) == 11
    assert result.errors[-1].message.startswith("more than 10 errors (TEARDOWN_MAX_ERRORS)")


def test_the_admin_shows_the_first_errors_and_streams_the_report(admin_client, world, settings):
    settings.TEARDOWN_ERRORS_SHOWN = 20
    response = upload(admin_client, _rows(300, bad=True))
    assert response.status_code == 200
    assert response.content.count(b"<code>x</code>") == 20
    link = response.context["error_report"]
    assert b"Download the error report (CSV)" in response.content
    report = admin_client.get(link)
    assert report.status_code == 200
    assert report["Content-Disposition"].startswith("attachment")
    rows = list(csv.reader(io.StringIO(b"".join(report.streaming_content).decode())))
    assert rows[0] == ["Row", "Column", "Value", "Problem"]
    assert len(rows) == 1 + 300
    assert rows[1][:3] == ["2", "quantity", "x"]
    # Another staff session cannot fetch it.
    other = Client()
    other.force_login(factories.StaffUserFactory(username="other"))
    assert other.get(link).status_code == 404
