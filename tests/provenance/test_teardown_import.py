"""Teardown import: validation, all or nothing, idempotence, edits, aliases and countries."""

import datetime as dt
import io

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from components.models import Category, Part
from manufacturers.models import Manufacturer
from provenance.models import Finding, RecoveredItem, Source, Strike
from provenance.selectors.analytics import AnalyticsFilters, shift
from provenance.services.teardown import teardown_import
from tests import factories

HEADER = (
    "item_ref,weapon,recovered_on,place,part_number,manufacturer,manufacturer_country,category,quantity,"
    "date_code,module\n"
)
EXAMPLE = HEADER + (
    'KYIV-2025-09-07-CAB,9M727,2025-09-07,"Kyiv, Cabinet of Ministers",TMS320F28335,Texas Instruments,US,'
    "microcontroller,1,2235,flight computer\n"
    "KYIV-2025-09-07-CAB,9M727,,,,,RU,,57,,\n"
)


@pytest.fixture
def world(db):
    return build_world()


def build_world() -> dict:
    """Two weapon models with aliases, three manufacturers with aliases, one category."""
    iskander = factories.WeaponModelFactory(designation="9M727", family="Iskander")
    factories.WeaponAliasFactory(weapon_model=iskander, alias="Iskander-K")
    shahed = factories.WeaponModelFactory(designation="Geran-2", family="Shahed", kind="loitering munition")
    factories.WeaponAliasFactory(weapon_model=shahed, alias="Shahed-136")
    ti = factories.ManufacturerFactory(name="Texas Instruments", country="US")
    factories.ManufacturerAliasFactory(manufacturer=ti, alias="TI")
    golledge = factories.ManufacturerFactory(name="Golledge Electronics", country="GB")
    factories.ManufacturerAliasFactory(manufacturer=golledge, alias="College Electronics Ltd")
    factories.ManufacturerFactory(name="Traco Power", country="CH")
    factories.CategoryFactory(name="microcontroller")
    return {"iskander": iskander, "shahed": shahed, "ti": ti, "golledge": golledge}


def run(text: str | bytes, filename: str = "list.csv", **options):
    data = text.encode() if isinstance(text, str) else text
    return teardown_import(file=io.BytesIO(data), filename=filename, **options)


def errors_of(result) -> list[tuple]:
    return [(e.row, e.column, e.value) for e in result.errors]


def test_example_of_the_spec_imports(world):
    result = run(EXAMPLE)

    assert result.ok, result.errors
    assert result.summary() == (
        "items: 1 created, 0 changed, 0 unchanged; findings: 2 created, 0 changed, 0 unchanged, 0 deleted; "
        "0 new manufacturers to review"
    )
    item = RecoveredItem.objects.get(reference="KYIV-2025-09-07-CAB")
    assert item.weapon_model == world["iskander"]
    assert item.place == "Kyiv, Cabinet of Ministers"
    assert (item.status, item.tlp, item.owner.name) == ("draft", "AMBER", "Internal")
    ti_line, ru_line = item.findings.order_by("line_no")
    assert (ti_line.line_no, ti_line.manufacturer, ti_line.country) == (1, world["ti"], "US")
    assert (ti_line.part.part_number, ti_line.category.name) == ("TMS320F28335", "microcontroller")
    assert (ti_line.date_code, ti_line.produced_year, ti_line.produced_week) == ("2235", 2022, 35)
    assert (ru_line.line_no, ru_line.manufacturer, ru_line.country, ru_line.quantity) == (2, None, "RU", 57)


def test_history_rows_are_written_for_bulk_created_findings(world):
    run(EXAMPLE)

    assert Finding.history.filter(history_type="+").count() == 2
    assert RecoveredItem.history.filter(reference="KYIV-2025-09-07-CAB").count() == 1


def test_importing_the_same_file_twice_changes_nothing(world):
    run(EXAMPLE)
    ids = list(Finding.objects.values_list("id", "updated_at"))

    again = run(EXAMPLE)

    assert again.summary().startswith("items: 0 created, 0 changed, 1 unchanged; findings: 0 created, 0 changed, 2 ")
    assert list(Finding.objects.values_list("id", "updated_at")) == ids
    assert Finding.history.count() == 2


def test_an_edited_file_updates_the_lines_of_its_item(world):
    run(EXAMPLE)
    first_line = Finding.objects.get(line_no=1)
    edited = EXAMPLE.replace(",57,", ",58,") + "KYIV-2025-09-07-CAB,9M727,,,,,BY,,5,,\n"

    result = run(edited)

    assert result.summary().startswith(
        "items: 0 created, 1 changed, 0 unchanged; findings: 1 created, 1 changed, 1 unchanged, 0 deleted"
    )
    lines = list(Finding.objects.order_by("line_no").values_list("line_no", "country", "quantity"))
    assert lines == [(1, "US", 1), (2, "RU", 58), (3, "BY", 5)]
    assert Finding.objects.get(line_no=1).pk == first_line.pk
    assert Finding.history.filter(history_type="~").count() == 1


def test_rows_removed_from_the_file_are_deleted_from_the_item(world):
    run(EXAMPLE)

    result = run(EXAMPLE.rsplit("KYIV", 1)[0])

    assert "findings: 0 created, 0 changed, 1 unchanged, 1 deleted" in result.summary()
    assert list(Finding.objects.values_list("country", flat=True)) == ["US"]
    assert Finding.history.filter(history_type="-").count() == 1


def test_an_item_field_edit_changes_the_item_only(world):
    run(EXAMPLE)

    result = run(EXAMPLE.replace("2025-09-07,", "2025-09,", 1))

    assert result.summary().startswith("items: 0 created, 1 changed, 0 unchanged; findings: 0 created, 0 changed, 2")
    item = RecoveredItem.objects.get()
    assert (item.recovered_on, item.recovered_on_precision) == (dt.date(2025, 9, 1), "month")


def test_a_new_recovery_date_in_a_reimported_file_moves_its_lines_in_the_shift(world):
    run(EXAMPLE)
    assert shift(filters=AnalyticsFilters())["periods"] == [{"period": 2025, "total": 58}]

    run(EXAMPLE.replace("2025-09-07,", "2023-09-07,", 1) + "KYIV-2025-09-07-CAB,9M727,,,,,BY,,5,,\n")

    assert shift(filters=AnalyticsFilters())["periods"] == [{"period": 2023, "total": 63}]


def test_aliases_and_country_spellings_resolve(world):
    text = (
        "item_ref,weapon,manufacturer,manufacturer_country,origin_marking\n"
        "A,iskander-k,  ti ,USA,MALAYSIA\n"
        "A,,College  electronics LTD,United Kingdom,Made in Japan\n"
        "A,,,Russian Federation,\n"
        "B,SHAHED-136,traco power,che,\n"
    )

    result = run(text)

    assert result.ok, result.errors
    assert RecoveredItem.objects.get(reference="A").weapon_model == world["iskander"]
    assert RecoveredItem.objects.get(reference="B").weapon_model == world["shahed"]
    rows = list(
        Finding.objects.order_by("item__reference", "line_no").values_list(
            "manufacturer__name", "country", "origin_country"
        )
    )
    assert rows == [
        ("Texas Instruments", "US", "MY"),
        ("Golledge Electronics", "GB", "JP"),
        (None, "RU", ""),
        ("Traco Power", "CH", ""),
    ]


def test_an_unknown_manufacturer_with_a_country_is_created_unreviewed(world):
    result = run("item_ref,weapon,manufacturer,manufacturer_country\nA,9M727,JSC  Integral,BY\nA,,jsc integral,\n")

    assert result.ok, result.errors
    assert result.summary().endswith("1 new manufacturer to review")
    integral = Manufacturer.objects.get(name="JSC Integral")
    assert (integral.country, integral.reviewed) == ("BY", False)
    assert Finding.objects.filter(manufacturer=integral, country="BY").count() == 2


def test_known_manufacturer_in_another_country_is_an_error(world):
    result = run("item_ref,weapon,manufacturer,manufacturer_country\nA,9M727,Texas Instruments,DE\n")

    assert [str(e) for e in result.errors] == [
        "row 2, column manufacturer_country: 'DE' Texas Instruments is a US manufacturer; the row says DE. "
        "The maker's country is its HQ country; a country-of-origin marking goes in the origin marking."
    ]


def test_a_mix_of_good_and_bad_rows_writes_nothing_and_lists_every_bad_row(world):
    text = (
        "item_ref,weapon,manufacturer,manufacturer_country,quantity,confidence,recovered_on\n"
        "A,9M727,TI,US,1,confirmed,2025-09-07\n"
        "A,Kalibr-X,TI,US,1,,\n"
        "A,,Nobody Inc,,2,,\n"
        "B,9M727,TI,US,-3,sure,2025-13-01\n"
        "B,9M727,,Atlantis,1,,\n"
        ",9M727,TI,US,1,,\n"
        "A,,TI,US,1,,2025-09-08\n"
        "C,Geran-2,TI,US,1,,\n"
    )

    result = run(text)

    assert errors_of(result) == [
        (3, "weapon", "Kalibr-X"),
        (4, "manufacturer", "Nobody Inc"),
        (5, "recovered_on", "2025-13-01"),
        (5, "quantity", "-3"),
        (5, "confidence", "sure"),
        (6, "manufacturer_country", "Atlantis"),
        (7, "item_ref", ""),
        (8, "recovered_on", "2025-09-08"),
    ]
    assert result.errors[-1].message == "conflicts with '2025-09-07' on row 2 for item A"
    assert result.summary() == "invalid: 8 errors in 6 rows; nothing imported"
    assert RecoveredItem.objects.count() == Finding.objects.count() == 0
    assert Manufacturer.objects.count() == 3


def test_dry_run_reports_the_counts_and_writes_nothing(world):
    result = run(EXAMPLE + "X,9M727,,,,Someone New,PL,,1,,\n", dry_run=True)

    assert result.ok, result.errors
    assert result.summary() == (
        "dry run (nothing written): items: 2 created, 0 changed, 0 unchanged; findings: 3 created, 0 changed, "
        "0 unchanged, 0 deleted; 1 new manufacturer to review"
    )
    assert (RecoveredItem.objects.count(), Finding.objects.count(), Manufacturer.objects.count()) == (0, 0, 3)


def test_source_option_and_column_create_sources_on_finding_and_item(world):
    text = "item_ref,weapon,manufacturer_country,source_url\nA,9M727,RU,https://example.org/a\nA,9M727,BY,\n"

    result = run(text, source_url="https://example.org/statement")

    assert result.ok, result.errors
    assert list(Finding.objects.order_by("line_no").values_list("source__url", flat=True)) == [
        "https://example.org/a",
        "https://example.org/statement",
    ]
    item = RecoveredItem.objects.get()
    assert sorted(item.sources.values_list("url", flat=True)) == [
        "https://example.org/a",
        "https://example.org/statement",
    ]
    assert run(text, source_url="https://example.org/statement").items_unchanged == 1
    assert Source.objects.count() == 2


def test_parts_are_created_once_per_manufacturer_and_category_comes_from_the_part(world):
    text = (
        "item_ref,weapon,part_number,manufacturer,category\n"
        "A,9M727,TMS320F28335PGFA,TI,microcontroller\n"
        "A,9M727,tms320f28335-pgfa,Texas Instruments,\n"
        "A,9M727,XC7A35T,TI,FPGA\n"
    )

    result = run(text)

    assert result.ok, result.errors
    assert Part.objects.count() == 2
    assert list(Finding.objects.order_by("line_no").values_list("category__name", flat=True)) == [
        "microcontroller",
        "microcontroller",
        "FPGA",
    ]
    assert result.new_categories == ["FPGA"]
    assert Category.objects.filter(name="FPGA").exists()
    assert run(text).items_unchanged == 1


def test_strike_date_links_to_a_strike_on_that_day(world):
    strike = factories.StrikeFactory(occurred_on=dt.date(2025, 9, 7))
    text = (
        "item_ref,weapon,manufacturer_country,strike_date,place\n"
        "A,9M727,RU,2025-09-07,Kyiv\n"
        "B,9M727,RU,2025-07-04,Kyiv\n"
    )

    result = run(text)

    assert result.ok, result.errors
    assert RecoveredItem.objects.get(reference="A").strike == strike
    assert RecoveredItem.objects.get(reference="B").strike.occurred_on == dt.date(2025, 7, 4)
    assert Strike.objects.count() == 2


def test_formula_like_cells_are_stored_as_the_text_they_are(world):
    text = 'item_ref,weapon,manufacturer_country,marking,notes\nA,9M727,RU,=HYPERLINK("x"),@SUM(A1)\nA,,RU,-40C,+1\n'

    result = run(text)

    assert result.ok, result.errors
    assert list(Finding.objects.order_by("line_no").values_list("marking", "notes")) == [
        ('=HYPERLINK("x")', "@SUM(A1)"),
        ("-40C", "+1"),
    ]


def test_evidence_of_a_deleted_line_moves_to_its_item(world):
    from django.core.files.base import ContentFile

    from provenance.models import EvidenceFile

    run(EXAMPLE)
    second = Finding.objects.get(line_no=2)
    photo = EvidenceFile.objects.create(finding=second, file=ContentFile(b"jpeg", name="line2.jpg"), sha256="0" * 64)

    run(EXAMPLE.rsplit("KYIV", 1)[0])

    photo.refresh_from_db()
    assert (photo.finding, photo.item.reference) == (None, "KYIV-2025-09-07-CAB")


@given(st.lists(st.one_of(st.integers(-5, 500).map(str), st.sampled_from(["", "x", "1.5", "٣"])), min_size=1))
@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
def test_every_bad_quantity_is_reported_and_any_one_blocks_the_import(world, quantities):
    Finding.objects.all().delete()
    RecoveredItem.objects.all().delete()
    text = "item_ref,weapon,manufacturer_country,quantity\n" + "".join(f"A,9M727,RU,{q}\n" for q in quantities)
    bad_rows = [
        row for row, q in enumerate(quantities, start=2) if q and not (q.isascii() and q.isdigit() and int(q) > 0)
    ]

    result = run(text)

    assert [e.row for e in result.errors] == bad_rows
    assert all(e.column == "quantity" for e in result.errors)
    assert Finding.objects.count() == (0 if bad_rows else len(quantities))


def test_an_item_column_left_out_of_the_file_keeps_the_stored_value(world):
    run(EXAMPLE)
    without_place = (
        "item_ref,weapon,part_number,manufacturer,manufacturer_country,category,quantity,date_code,module\n"
        + (
            "KYIV-2025-09-07-CAB,9M727,TMS320F28335,Texas Instruments,US,microcontroller,1,2235,flight computer\n"
            "KYIV-2025-09-07-CAB,9M727,,,RU,,57,,\n"
        )
    )

    result = run(without_place)

    assert result.items == [("KYIV-2025-09-07-CAB", "unchanged")]
    item = RecoveredItem.objects.get()
    assert (item.place, item.recovered_on) == ("Kyiv, Cabinet of Ministers", dt.date(2025, 9, 7))


def test_lines_added_by_a_file_without_dates_take_the_stored_year_of_their_item(world):
    run(EXAMPLE)
    more = (
        "item_ref,weapon,manufacturer_country,quantity\n"
        + "KYIV-2025-09-07-CAB,9M727,US,1\n" * 2
        + ("KYIV-2025-09-07-CAB,9M727,BY,5\n")
    )

    result = run(more)

    assert result.ok, result.errors
    assert shift(filters=AnalyticsFilters())["periods"] == [{"period": 2025, "total": 7}]
