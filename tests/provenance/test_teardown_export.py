"""Teardown export: the same format out, formula-safe, and a round trip through an empty database."""

import io
import json

import openpyxl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from components.models import Category, Part
from manufacturers.models import Manufacturer
from provenance.models import Finding, RecoveredItem, Source, Strike
from provenance.services.teardown import teardown_export
from provenance.teardown.columns import COLUMNS, escape_formula, unescape_formula
from tests.provenance.test_teardown_import import build_world, run

FULL = (
    ",".join(COLUMNS) + "\n"
    "KYIV-2025-09-07-CAB,9M727,2025-09-07,2025-09,Kyiv,2025-09-07,SN-1,TMS320F28335,TI,US,microcontroller,1,"
    '"TMS320F28335PGFA\nTI 2235",2235,LOT7,MALAYSIA,flight computer,confirmed,https://example.org/a,'
    "\"=cmd|' /C calc'!A0\"\n"
    "KYIV-2025-09-07-CAB,,,,,,,,,RU,,57,,,,,,probable,,-40C rated\n"
    "KYIV-2025-09-07-CAB,,,,,,,,JSC Integral,BY,memory,5,@INTEGRAL,1748A,,Belarus,,possible,,+ sign\n"
    "CHERNIHIV-2023-08-19,Iskander-K,2023,,Chernihiv,,,XC7A35T,Texas Instruments,,FPGA,4,,,,,CH-99 GNSS receiver,,,\n"
)


@pytest.fixture
def world(db):
    return build_world()


def empty_database() -> None:
    """Remove everything an import creates, keeping the reference data (weapons, known makers)."""
    Finding.objects.all().delete()
    RecoveredItem.objects.all().delete()
    Part.objects.all().delete()
    Source.objects.all().delete()
    Strike.objects.all().delete()
    Category.objects.all().delete()
    Manufacturer.objects.filter(reviewed=False).delete()


def xlsx_cells(data: bytes) -> list[tuple]:
    return list(openpyxl.load_workbook(io.BytesIO(data), read_only=True).worksheets[0].iter_rows(values_only=True))


def export(fmt: str) -> bytes:
    return teardown_export(items=RecoveredItem.objects.all(), format=fmt)


def test_csv_export_writes_every_column_in_the_spec_order(world):
    assert run(FULL).ok

    lines = export("csv").decode().split("\r\n")

    assert lines[0] == ",".join(COLUMNS)
    assert lines[1].startswith(
        "CHERNIHIV-2023-08-19,9M727,2023,,Chernihiv,,,XC7A35T,Texas Instruments,US,FPGA,4,,,,,CH-99 GNSS receiver,"
    )
    assert lines[2].startswith("KYIV-2025-09-07-CAB,9M727,2025-09-07,2025-09,Kyiv,2025-09-07,SN-1,TMS320F28335,")


def test_csv_export_escapes_formula_cells(world):
    assert run(FULL).ok

    text = export("csv").decode()

    assert ",'=cmd|' /C calc'!A0\r\n" in text
    assert ",'-40C rated\r\n" in text
    assert ",'@INTEGRAL," in text
    assert ",'+ sign\r\n" in text


def test_xlsx_export_escapes_formula_cells_and_keeps_numbers(world):
    assert run(FULL).ok

    sheet = openpyxl.load_workbook(io.BytesIO(export("xlsx")), read_only=True).worksheets[0]
    rows = list(sheet.iter_rows(values_only=True))

    assert list(rows[0]) == list(COLUMNS)
    notes = [row[COLUMNS.index("notes")] for row in rows[1:]]
    assert notes == [None, "'=cmd|' /C calc'!A0", "'-40C rated", "'+ sign"]
    assert [row[COLUMNS.index("quantity")] for row in rows[1:]] == [4, 1, 57, 5]


def test_json_export_is_the_raw_values(world):
    assert run(FULL).ok

    rows = json.loads(export("json"))

    assert list(rows[1]) == list(COLUMNS)
    assert rows[1]["notes"] == "=cmd|' /C calc'!A0"
    assert rows[1]["marking"] == "TMS320F28335PGFA\nTI 2235"
    assert rows[2]["quantity"] == 57


@pytest.mark.parametrize(("fmt", "filename"), [("csv", "t.csv"), ("xlsx", "t.xlsx"), ("json", "t.json")])
def test_an_export_reimports_into_an_empty_database_unchanged(world, fmt, filename):
    assert run(FULL).ok, run(FULL).errors
    first = export(fmt)
    first_csv = export("csv")
    empty_database()

    result = run(first, filename=filename)

    assert result.ok, result.errors
    assert result.summary().startswith("items: 2 created, 0 changed, 0 unchanged; findings: 4 created")
    assert export("csv") == first_csv
    if fmt == "xlsx":  # an XLSX file carries its own timestamps: compare its cells
        assert xlsx_cells(export(fmt)) == xlsx_cells(first)
    else:
        assert export(fmt) == first
    assert run(first, filename=filename).items_unchanged == 2


def test_export_of_an_import_reimports_as_unchanged(world):
    assert run(FULL).ok

    result = run(export("csv"))

    assert result.summary().startswith("items: 0 created, 0 changed, 2 unchanged; findings: 0 created, 0 changed, 4")


_text = st.text(
    alphabet=st.characters(blacklist_categories=("Cs", "Cc"), blacklist_characters="\u2028\u2029\x85"), max_size=12
).map(str.strip)


@given(st.lists(st.tuples(_text, _text, st.integers(1, 10_000), st.sampled_from(["US", "RU", "GB"])), min_size=1))
@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
def test_generated_rows_survive_a_csv_round_trip(world, lines):
    empty_database()
    rows = [
        {"item_ref": "GEN-1", "weapon": "9M727", "manufacturer_country": country, "quantity": str(quantity),
         "marking": marking, "notes": notes}
        for marking, notes, quantity, country in lines
    ]  # fmt: skip
    stream = io.StringIO()
    import csv

    writer = csv.DictWriter(stream, fieldnames=list(rows[0]))
    writer.writeheader()
    for row in rows:
        writer.writerow({key: escape_formula(value) for key, value in row.items()})
    assert run(stream.getvalue()).ok

    exported = export("csv")
    stored = list(Finding.objects.order_by("line_no").values_list("marking", "notes", "quantity", "country"))

    assert stored == [(m, n, q, c) for m, n, q, c in lines]
    empty_database()
    assert run(exported).ok
    assert export("csv") == exported


@given(st.text(max_size=20))
def test_formula_escape_is_undone_exactly(value):
    escaped = escape_formula(value)

    assert unescape_formula(escaped) == value
    assert escaped[:1] not in ("=", "+", "-", "@", "\t", "\r")
