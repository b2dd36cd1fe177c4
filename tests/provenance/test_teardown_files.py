"""Teardown import: every class of bad input gets a clear message (and writes nothing); CSV/XLSX details."""

import io
import zipfile

import openpyxl
import pytest

from provenance.models import Finding, RecoveredItem
from tests.provenance.test_teardown_import import EXAMPLE, build_world, run


@pytest.fixture
def world(db):
    return build_world()


def messages(result) -> list[str]:
    return [str(error) for error in result.errors]


def xlsx_bytes(rows: list[list]) -> bytes:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    for row in rows:
        sheet.append(row)
    stream = io.BytesIO()
    workbook.save(stream)
    return stream.getvalue()


@pytest.mark.parametrize(
    ("data", "filename", "message"),
    [
        (b"", "list.csv", "The file is empty."),
        (b"\xef\xbb\xbf\r\n\r\n", "list.csv", "The file is empty."),
        (
            b"item_ref,weapon,manufacturer_country\nA,9M727,RU\n",
            "list.pdf",
            "Unsupported file type '.pdf': upload a .csv or .xlsx file.",
        ),
        (
            "item_ref,weapon,manufacturer_country\nA,9M727,RU\n".encode("utf-16"),
            "list.csv",
            "The file is UTF-16 text: save it as 'CSV UTF-8'.",
        ),
        (
            b"item_ref,weapon,manufacturer_country\nA,9M727,RU\nIHDR\x00\x00\x00\r\n",
            "list.csv",
            "The file contains binary data (a NUL byte on line 3): it is not a UTF-8 CSV file. Save it as 'CSV UTF-8'.",
        ),
        (
            b"item_ref,weapon,manufacturer_country,place\nA,9M727,RU,Kyiv\nA,9M727,RU,Dnipropetrovs\xb4k\n",
            "list.csv",
            "The file is not UTF-8 text (line 3 has the byte 0xb4): save it as 'CSV UTF-8'.",
        ),
        (
            b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 100,
            "list.xls",
            "Unsupported file type '.xls': upload a .csv or .xlsx file.",
        ),
        (
            b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 100,
            "list.csv",
            "This is a legacy Excel (.xls) or other binary file: save it as .xlsx or CSV UTF-8.",
        ),
        (b"item_ref,weapon,manufacturer_country\n", "list.csv", "The file has a header row but no data rows."),
        (b"item_ref,weapon,manufacturer_country\n,,\n", "list.csv", "The file has a header row but no data rows."),
        (b"just some text", "list.xlsx", "The file is named .xlsx but is not an XLSX workbook."),
    ],
)
def test_bad_files_get_a_clear_message_and_write_nothing(world, data, filename, message):
    result = run(data, filename=filename)

    assert messages(result) == [message]
    assert result.summary() == "invalid: 1 error; nothing imported"
    assert RecoveredItem.objects.count() == 0


def test_an_unknown_column_is_an_error_naming_it(world):
    result = run("item_ref,weapon,manufacturer_country,manufactuer\nA,9M727,RU,TI\n")

    assert [(e.row, e.column, e.message.split(";")[0]) for e in result.errors] == [(1, "manufactuer", "unknown column")]
    assert RecoveredItem.objects.count() == 0


def test_missing_required_and_duplicate_columns_are_errors(world):
    result = run("Weapon,manufacturer_country,MANUFACTURER_COUNTRY\n9M727,RU,RU\n")

    assert [(e.row, e.column, e.message) for e in result.errors] == [
        (1, "manufacturer_country", "duplicate column (also column 2)"),
        (1, "item_ref", "required column is missing"),
    ]


def test_a_file_over_the_size_limit_is_refused(world, settings):
    settings.TEARDOWN_MAX_BYTES = 1024
    data = (EXAMPLE * 20).encode()

    result = run(data)

    assert messages(result) == [
        f"The file is {len(data) / 1_048_576:.1f} MB, over the limit of 0.0 MB (TEARDOWN_MAX_BYTES): "
        "split it into several files."
    ]


def test_csv_with_bom_crlf_and_mixed_case_header_imports(world):
    data = "\ufeffITEM_REF,Weapon,Manufacturer_Country\r\nA,9M727,RU\r\n".encode()

    result = run(data)

    assert result.ok, result.errors
    assert Finding.objects.get().country == "RU"


def test_a_row_longer_than_the_header_is_an_error(world):
    result = run("item_ref,weapon,manufacturer_country\nA,9M727,RU,surprise\n")

    assert [(e.row, e.column, e.value) for e in result.errors] == [(2, "D", "surprise")]


def test_xlsx_first_sheet_imports_with_formulas_and_numbers_as_text(world):
    data = xlsx_bytes(
        [
            ["item_ref", "weapon", "manufacturer_country", "quantity", "marking", "date_code", "recovered_on"],
            ["A", "9M727", "RU", 57, "=1+2", 2235, "2025-09"],
            ["A", None, "by", 5.0, "'=SUM(A1)", None, None],
            [None, None, None, None, None, None, None],
        ]
    )

    result = run(data, filename="list.xlsx")

    assert result.ok, result.errors
    assert list(Finding.objects.order_by("line_no").values_list("quantity", "marking", "date_code", "country")) == [
        (57, "=1+2", "2235", "RU"),
        (5, "=SUM(A1)", "", "BY"),
    ]
    assert RecoveredItem.objects.get().recovered_on_precision == "month"


def _zip(names: dict[str, bytes]) -> bytes:
    stream = io.BytesIO()
    with zipfile.ZipFile(stream, "w") as archive:
        for name, content in names.items():
            archive.writestr(name, content)
    return stream.getvalue()


def test_xlsx_with_macros_is_refused(world):
    workbook = xlsx_bytes([["item_ref", "weapon", "manufacturer_country"], ["A", "9M727", "RU"]])
    with zipfile.ZipFile(io.BytesIO(workbook)) as archive:
        parts = {name: archive.read(name) for name in archive.namelist()}
    parts["xl/vbaProject.bin"] = b"\x00macro"

    as_xlsx = run(_zip(parts), filename="list.xlsx")
    as_xlsm = run(workbook, filename="list.xlsm")

    assert messages(as_xlsx) == ["The workbook contains macros: save the sheet as .xlsx without macros, or as CSV."]
    assert messages(as_xlsm) == ["Workbooks with macros (.xlsm) are not accepted: save the sheet as .xlsx or CSV."]
    assert RecoveredItem.objects.count() == 0


def test_a_zip_that_is_not_a_workbook_is_refused(world):
    result = run(_zip({"readme.txt": b"hello"}), filename="list.xlsx")

    assert messages(result) == ["The file is a ZIP archive but not an XLSX workbook."]


def test_a_damaged_workbook_is_refused_without_a_traceback(world):
    result = run(_zip({"xl/workbook.xml": b"<not really>"}), filename="list.xlsx")

    assert len(result.errors) == 1
    assert result.errors[0].message.startswith("The workbook cannot be read")


def test_an_empty_workbook_is_refused(world):
    result = run(xlsx_bytes([]), filename="list.xlsx")

    assert messages(result) == ["The file is empty (the first sheet has no rows)."]


def test_a_header_only_workbook_is_refused(world):
    result = run(xlsx_bytes([["item_ref", "weapon", "manufacturer_country"]]), filename="list.xlsx")

    assert messages(result) == ["The file has a header row but no data rows."]


def test_over_long_values_are_reported_with_the_limit(world):
    result = run(f"item_ref,weapon,manufacturer_country,lot_code\nA,9M727,RU,{'L' * 61}\n")

    assert [(e.row, e.column, e.message) for e in result.errors] == [(2, "lot_code", "longer than 60 characters")]


def test_a_column_without_header_is_an_error_only_when_it_holds_values(world):
    blank_column = run("item_ref,,weapon,manufacturer_country\nA,,9M727,RU\n")
    filled = run("item_ref,,weapon,manufacturer_country\nA,,9M727,RU\nA,oops,9M727,RU\n")

    assert blank_column.ok, blank_column.errors
    assert [str(e) for e in filled.errors] == ["row 3, column B: 'oops' a value in a column without a header"]
