"""One set of finding rules: the admin and the teardown import give the same result and message for a line.

Each case is one finding line as an analyst gives it (part number, maker, maker's country, origin marking, date
code, quantity). It is entered once through the recovered-item admin page and once as a row of an imported
list; both must save the same line or refuse it on the same field with the same message.
"""

import csv
import html
import io

import pytest
from django.urls import reverse

from components.models import Part
from manufacturers.models import Manufacturer
from provenance.models import Finding, RecoveredItem
from provenance.services.teardown import teardown_import
from tests import factories
from tests.provenance.test_admin import item_post

pytestmark = pytest.mark.django_db

CONFLICT_RU = (
    "Texas Instruments is a US manufacturer; the row says RU. The maker's country is its HQ country; "
    "a country-of-origin marking goes in the origin marking."
)
UNKNOWN_NARNIA = "Unknown country 'Narnia': use an ISO code such as US or a name such as United States."
NEEDS_MAKER = "A finding needs a manufacturer or a country."
QUANTITY = "Quantity must be a positive whole number."

# (line, expected). A line: part number, maker, country, origin marking, date code, quantity. Expected: the saved
# (part as "number/maker", maker, country, origin country, produced year, week, quantity), or the refused
# (field, message), the field named as in the admin form ("" for the line as a whole).
CASES = {
    "maker gives the country": (
        ("", "Texas Instruments", "", "", "", "2"),
        ("", "Texas Instruments", "US", "", None, None, 2),
    ),
    "a country name is read": (
        ("", "Texas Instruments", "United States", "", "", "1"),
        ("", "Texas Instruments", "US", "", None, None, 1),
    ),
    "a country alone": (("", "", "Belarus", "", "", "5"), ("", None, "BY", "", None, None, 5)),
    "a country contradicting the maker": (("", "Texas Instruments", "RU", "", "", "1"), ("country", CONFLICT_RU)),
    "an unknown country": (("", "", "Narnia", "", "", "1"), ("country", UNKNOWN_NARNIA)),
    "neither maker nor country": (("", "", "", "", "2235", "1"), ("", NEEDS_MAKER)),
    "a part gives its maker and country": (
        ("AD9361", "", "", "", "", "1"),
        ("AD9361/Analog Devices", "Analog Devices", "US", "", None, None, 1),
    ),
    "a part with its own maker": (
        ("AD9361", "Analog Devices", "US", "", "", "1"),
        ("AD9361/Analog Devices", "Analog Devices", "US", "", None, None, 1),
    ),
    "a second-source part becomes the given maker's": (
        ("LM317", "Texas Instruments", "", "", "", "1"),
        ("LM317/Texas Instruments", "Texas Instruments", "US", "", None, None, 1),
    ),
    "a part's country contradicting its maker": (
        ("AD9361", "", "RU", "", "", "1"),
        ("country", CONFLICT_RU.replace("Texas Instruments", "Analog Devices")),
    ),
    "an origin marking naming a country": (
        ("", "Texas Instruments", "", "MALAYSIA", "", "1"),
        ("", "Texas Instruments", "US", "MY", None, None, 1),
    ),
    "a 'Made in' origin marking": (
        ("", "Texas Instruments", "", "Made in Japan", "", "1"),
        ("", "Texas Instruments", "US", "JP", None, None, 1),
    ),
    "an origin marking naming no country": (
        ("", "Texas Instruments", "", "e3 lead-free", "", "1"),
        ("", "Texas Instruments", "US", "", None, None, 1),
    ),
    "a date code with a suffix": (
        ("", "Texas Instruments", "", "", "1748A", "1"),
        ("", "Texas Instruments", "US", "", 2017, 48, 1),
    ),
    "an ambiguous date code": (
        ("", "Texas Instruments", "", "", "748", "1"),
        ("", "Texas Instruments", "US", "", None, None, 1),
    ),
    "a zero quantity": (("", "Texas Instruments", "", "", "", "0"), ("quantity", QUANTITY)),
}

# The import's column for an admin form field, where the names differ.
IMPORT_COLUMN = {"": "manufacturer", "country": "manufacturer_country"}
IMPORT_HEADER = [
    "item_ref",
    "weapon",
    "part_number",
    "manufacturer",
    "manufacturer_country",
    "origin_marking",
    "date_code",
    "quantity",
]


@pytest.fixture
def world():
    texas = factories.ManufacturerFactory(name="Texas Instruments", country="US")
    analog = factories.ManufacturerFactory(name="Analog Devices", country="US")
    onsemi = factories.ManufacturerFactory(name="onsemi", country="US")
    factories.PartFactory(manufacturer=analog, part_number="AD9361", category=None)
    factories.PartFactory(manufacturer=onsemi, part_number="LM317", category=None)
    return {"weapon": factories.WeaponModelFactory(designation="9M727"), "makers": [texas, analog, onsemi]}


def saved_line() -> tuple:
    finding = Finding.objects.select_related("part__manufacturer", "manufacturer").get()
    part = f"{finding.part.part_number}/{finding.part.manufacturer.name}" if finding.part else ""
    maker = finding.manufacturer.name if finding.manufacturer else None
    return (
        part,
        maker,
        str(finding.country),
        str(finding.origin_country),
        finding.produced_year,
        finding.produced_week,
        finding.quantity,
    )


def through_the_import(line: tuple) -> tuple:
    part_number, maker, country, origin, date_code, quantity = line
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(IMPORT_HEADER)
    writer.writerow(["A", "9M727", part_number, maker, country, origin, date_code, quantity])
    result = teardown_import(file=io.BytesIO(out.getvalue().encode()), filename="list.csv")
    if result.errors:
        assert len(result.errors) == 1, result.errors
        error = result.errors[0]
        assert error.row == 2
        field = {column: name for name, column in IMPORT_COLUMN.items()}.get(error.column, error.column)
        return field, error.message
    return saved_line()


def through_the_admin(client, weapon, line: tuple) -> tuple:
    part_number, maker, country, origin, date_code, quantity = line
    manufacturer = Manufacturer.objects.get(name=maker) if maker else None
    line = {
        "part_number": part_number,  # typed on the line, as the analyst does
        "manufacturer": manufacturer or "",
        "country": country,
        "origin_marking": origin,
        "date_code": date_code,
        "quantity": quantity,
    }
    data = item_post(weapon, line, reference="A")  # the item page's own fields, as the admin tests post them
    response = client.post(reverse("admin:provenance_recovereditem_add"), data)
    if response.status_code == 302:
        return saved_line()
    assert response.status_code == 200
    (errors,) = [form.errors for inline in response.context["inline_admin_formsets"] for form in inline.formset]
    assert len(errors) == 1, errors
    ((field, (message,)),) = errors.items()
    assert message in html.unescape(response.content.decode())  # what the analyst reads on the page
    return ("" if field == "__all__" else field), message


@pytest.mark.parametrize(("line", "expected"), CASES.values(), ids=CASES.keys())
def test_the_admin_and_the_import_agree_on_every_rule(admin_client, world, line, expected):
    assert through_the_import(line) == expected

    RecoveredItem.objects.all().delete()
    assert through_the_admin(admin_client, world["weapon"], line) == expected


def test_a_second_source_part_is_created_once_under_the_given_maker(admin_client, world):
    line = ("LM317", "Texas Instruments", "", "", "", "1")
    through_the_import(line)
    RecoveredItem.objects.all().delete()
    through_the_admin(admin_client, world["weapon"], (*line[:5], "2"))

    makers = Part.objects.filter(part_number="LM317").values_list("manufacturer__name", flat=True)
    assert sorted(makers) == ["Texas Instruments", "onsemi"]


def test_a_part_number_several_makers_hold_needs_a_maker_in_an_import(world):
    factories.PartFactory(manufacturer=world["makers"][0], part_number="LM317")

    assert through_the_import(("LM317", "", "US", "", "", "1")) == (
        "part_number",
        "A part number needs a manufacturer.",
    )
